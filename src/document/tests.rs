//! Tests of the whole parser: markup text in, blocks out, or an error at the right place.

use super::*;

fn doc(src: &str) -> Vec<Block> {
    match parse(src, "t", DocumentKind::Letter) {
        Ok(d) => d.blocks,
        Err(e) => panic!("unexpected error {e} (hint: {:?})", e.hint),
    }
}

fn err(src: &str) -> ParseError {
    match parse(src, "t", DocumentKind::Letter) {
        Ok(d) => panic!("expected an error, got {:?}", d.blocks),
        Err(e) => e,
    }
}

/// Markup from its lines, each ended by a newline.
fn lines(lines: &[&str]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

fn text(s: &str) -> Inline {
    Inline::Text(Span::plain(s))
}

fn en(s: &str) -> Inline {
    Inline::Text(Span {
        text: s.into(),
        secondary: true,
        ..Span::default()
    })
}

fn bold(s: &str) -> Inline {
    Inline::Text(Span {
        text: s.into(),
        bold: true,
        ..Span::default()
    })
}

fn para(inlines: Vec<Inline>) -> Block {
    Block::Paragraph(Paragraph {
        inlines,
        ..Paragraph::default()
    })
}

fn aligned(align: Align, inlines: Vec<Inline>) -> Block {
    Block::Paragraph(Paragraph {
        inlines,
        align: Some(align),
        no_indent: false,
    })
}

// ---- constructs ----

#[test]
fn document_keeps_title_and_kind() {
    let d = parse("x\n", "承诺书", DocumentKind::Checklist).unwrap();
    assert_eq!(
        (d.title.as_str(), d.kind),
        ("承诺书", DocumentKind::Checklist)
    );
}

#[test]
fn headings_and_paragraphs() {
    let blocks = doc("# 标题\n\n## Section\n\n### Sub\n\n正文。\n");
    assert_eq!(
        blocks,
        vec![
            Block::Heading {
                level: 1,
                inlines: vec![text("标题")]
            },
            Block::Heading {
                level: 2,
                inlines: vec![text("Section")]
            },
            Block::Heading {
                level: 3,
                inlines: vec![text("Sub")]
            },
            para(vec![text("正文。")]),
        ]
    );
}

#[test]
fn alignment_divs_style_the_paragraphs_inside() {
    for (class, align) in [
        ("center", Align::Center),
        ("right", Align::Right),
        ("left", Align::Left),
        ("justify", Align::Justify),
    ] {
        let src = format!("<div class=\"{class}\">\n\n一\n\n二\n\n</div>\n\n三\n");
        let want = vec![
            aligned(align, vec![text("一")]),
            aligned(align, vec![text("二")]),
            para(vec![text("三")]),
        ];
        assert_eq!(doc(&src), want, "class {class}");
    }
}

#[test]
fn noindent_div() {
    let blocks = doc("<div class=\"noindent\">\n\n致：通信管理局\n\n</div>\n");
    let want = Paragraph {
        inlines: vec![text("致：通信管理局")],
        align: None,
        no_indent: true,
    };
    assert_eq!(blocks, vec![Block::Paragraph(want)]);
}

#[test]
fn en_div_makes_every_span_secondary_and_divs_nest() {
    let src = &lines(&[
        "<div class=\"en\">",
        "<div class=\"center\">",
        "",
        "# Letter",
        "",
        "</div>",
        "",
        "A **bold** word.",
        "",
        "| a |",
        "|---|",
        "| b |",
        "",
        "</div>",
    ]);
    let err = parse(src, "t", DocumentKind::Letter).unwrap_err();
    assert_eq!(
        err.line, 4,
        "a heading inside a centre div is refused: {err}"
    );
    let src = &lines(&[
        "<div class=\"en\">",
        "<div class=\"center\">",
        "",
        "Commitment",
        "",
        "</div>",
        "",
        "A **bold** word.",
        "",
        "| a |",
        "|---|",
        "| b |",
        "",
        "</div>",
    ]);
    let blocks = doc(src);
    let en_bold = Inline::Text(Span {
        text: "bold".into(),
        bold: true,
        secondary: true,
    });
    assert_eq!(blocks[0], aligned(Align::Center, vec![en("Commitment")]));
    assert_eq!(blocks[1], para(vec![en("A "), en_bold, en(" word.")]));
    let Block::Table(table) = &blocks[2] else {
        panic!("{:?}", blocks[2])
    };
    assert_eq!(
        table.header,
        vec![Cell {
            inlines: vec![en("a")]
        }]
    );
    assert_eq!(
        table.rows,
        vec![vec![Cell {
            inlines: vec![en("b")]
        }]]
    );
}

#[test]
fn heading_inside_en_div_is_secondary() {
    let blocks = doc("<div class=\"en\">\n\n## Materials\n\n</div>\n");
    assert_eq!(
        blocks,
        vec![Block::Heading {
            level: 2,
            inlines: vec![en("Materials")]
        }]
    );
}

#[test]
fn signature_div_becomes_one_block() {
    let src = &lines(&[
        "正文",
        "",
        "<div class=\"signature\">",
        "",
        "承诺单位（盖章）：北京云声科技有限公司",
        "",
        "<div class=\"en\">",
        "",
        "Beijing Yunsheng",
        "",
        "</div>",
        "",
        "2026年11月10日",
        "",
        "</div>",
    ]);
    let blocks = doc(src);
    let want = Block::Signature(vec![
        Paragraph {
            inlines: vec![text("承诺单位（盖章）：北京云声科技有限公司")],
            ..Paragraph::default()
        },
        Paragraph {
            inlines: vec![en("Beijing Yunsheng")],
            ..Paragraph::default()
        },
        Paragraph {
            inlines: vec![text("2026年11月10日")],
            ..Paragraph::default()
        },
    ]);
    assert_eq!(blocks, vec![para(vec![text("正文")]), want]);
}

#[test]
fn page_break_and_rule() {
    let blocks = doc("一\n\n<pagebreak/>\n\n二\n\n---\n\n三\n");
    let want = vec![
        para(vec![text("一")]),
        Block::PageBreak,
        para(vec![text("二")]),
        Block::Rule,
        para(vec![text("三")]),
    ];
    assert_eq!(blocks, want);
}

#[test]
fn inline_tags() {
    let src = &lines(&[
        "公司名称<en>Company name</en><br>第二行<br/>",
        "<check status=\"ready\"/><check status=\"missing\"/>",
        "<check status=\"not-applicable\"/><check status=\"open\"/>",
    ]);
    let want = vec![
        text("公司名称"),
        en("Company name"),
        Inline::LineBreak,
        text("第二行"),
        Inline::LineBreak,
        Inline::CheckBox(CheckState::Ready),
        Inline::CheckBox(CheckState::Missing),
        // A line break between two boxes (no CJK character beside it) is a space.
        text(" "),
        Inline::CheckBox(CheckState::NotApplicable),
        Inline::CheckBox(CheckState::Open),
    ];
    assert_eq!(doc(src), vec![para(want)]);
}

#[test]
fn bold_both_spellings_and_emphasis_as_plain_text() {
    let blocks = doc("**粗体**与*强调*。\n\n__bold__ and _em_ or *em*\n");
    let want = vec![
        para(vec![bold("粗体"), text("与强调。")]),
        para(vec![bold("bold"), text(" and em or em")]),
    ];
    assert_eq!(blocks, want);
    // CommonMark: `_` next to CJK is not a delimiter (it counts as inside a word), so it stays.
    assert_eq!(doc("与__粗__与\n"), vec![para(vec![text("与__粗__与")])]);
}

#[test]
fn soft_breaks_join_cjk_and_space_latin() {
    let blocks = doc("我们承诺\n所提交的材料\nare true\nand complete\n全部真实。\n");
    assert_eq!(
        blocks,
        vec![para(vec![text(
            "我们承诺所提交的材料are true and complete全部真实。"
        )])]
    );
}

#[test]
fn hard_breaks() {
    let blocks = doc("一行  \n二行\\\n三行\n");
    let want = vec![
        text("一行"),
        Inline::LineBreak,
        text("二行"),
        Inline::LineBreak,
        text("三行"),
    ];
    assert_eq!(blocks, vec![para(want)]);
}

#[test]
fn lists_nest_and_keep_their_start() {
    let src = &lines(&[
        "3. 营业执照",
        "4. 承诺书",
        "   - 法定代表人签字",
        "   - 加盖公章",
        "",
        "- <check status=\"ready\"/> 已备",
    ]);
    let blocks = doc(src);
    let inner = List {
        ordered: None,
        items: vec![
            vec![para(vec![text("法定代表人签字")])],
            vec![para(vec![text("加盖公章")])],
        ],
    };
    let outer = List {
        ordered: Some(3),
        items: vec![
            vec![para(vec![text("营业执照")])],
            vec![para(vec![text("承诺书")]), Block::List(inner)],
        ],
    };
    let checks = List {
        ordered: None,
        items: vec![vec![para(vec![
            Inline::CheckBox(CheckState::Ready),
            text(" 已备"),
        ])]],
    };
    assert_eq!(blocks, vec![Block::List(outer), Block::List(checks)]);
}

#[test]
fn tight_list_item_text_before_a_heading_or_rule_is_kept() {
    let blocks = doc("- 前言\n  # 标题\n- 正文\n  ***\n");
    let Block::List(list) = &blocks[0] else {
        panic!("{blocks:?}")
    };
    let heading = Block::Heading {
        level: 1,
        inlines: vec![text("标题")],
    };
    assert_eq!(list.items[0], vec![para(vec![text("前言")]), heading]);
    assert_eq!(list.items[1], vec![para(vec![text("正文")]), Block::Rule]);
}

#[test]
fn div_inside_a_list_item() {
    let src = &lines(&[
        "- 一",
        "",
        "  <div class=\"right\">",
        "",
        "  二",
        "",
        "  </div>",
        "- 三",
    ]);
    let Block::List(list) = &doc(src)[0] else {
        panic!()
    };
    let want = vec![
        para(vec![text("一")]),
        aligned(Align::Right, vec![text("二")]),
    ];
    assert_eq!(list.items, vec![want, vec![para(vec![text("三")])]]);
}

#[test]
fn loose_list_items_hold_paragraphs() {
    let blocks = doc("- 一\n\n  续\n\n- 二\n");
    let Block::List(list) = &blocks[0] else {
        panic!("{blocks:?}")
    };
    assert_eq!(
        list.items[0],
        vec![para(vec![text("一")]), para(vec![text("续")])]
    );
}

#[test]
fn table_alignment_header_and_inline_tags_in_cells() {
    let src = &lines(&[
        "| 材料 | 状态 | 页数 | 备注 |",
        "|---|:-:|--:|:--|",
        "| 营业执照<br><en>Business licence</en> | <check status=\"ready\"/> | 2 | a\\|b |",
        "| 章程 |",
    ]);
    let blocks = doc(src);
    let Block::Table(table) = &blocks[0] else {
        panic!("{blocks:?}")
    };
    let aligns: Vec<Align> = table.columns.iter().map(|c| c.align).collect();
    assert_eq!(
        aligns,
        vec![Align::Left, Align::Center, Align::Right, Align::Left]
    );
    assert_eq!(
        table.header[0],
        Cell {
            inlines: vec![text("材料")]
        }
    );
    assert_eq!(table.header.len(), 4);
    let row = &table.rows[0];
    assert_eq!(
        row[0].inlines,
        vec![text("营业执照"), Inline::LineBreak, en("Business licence")]
    );
    assert_eq!(row[1].inlines, vec![Inline::CheckBox(CheckState::Ready)]);
    assert_eq!(row[2].inlines, vec![text("2")]);
    assert_eq!(row[3].inlines, vec![text("a|b")]);
    // A short row is padded with empty cells, as in GFM: nothing is lost.
    assert_eq!(table.rows[1].len(), 4);
    assert_eq!(table.rows[1][1], Cell::default());
}

#[test]
fn entities_and_escapes_are_text() {
    assert_eq!(
        doc("A &amp; B &#92; \\*x\\* \\<en\\>\n"),
        vec![para(vec![text("A & B \\ *x* <en>")])]
    );
}

#[test]
fn dashes_under_a_line_make_a_heading_not_a_rule() {
    // CommonMark's setext heading: a rule needs a blank line before it (documented).
    assert_eq!(
        doc("标题\n---\n"),
        vec![Block::Heading {
            level: 2,
            inlines: vec![text("标题")]
        }]
    );
}

#[test]
fn escaped_data_in_a_check_status_attribute() {
    let src = format!(
        "<check status=\"{}\"/> 材料\n",
        escape_text("not-applicable")
    );
    let want = vec![Inline::CheckBox(CheckState::NotApplicable), text(" 材料")];
    assert_eq!(doc(&src), vec![para(want)]);
}

#[test]
fn empty_source_is_an_empty_document() {
    assert_eq!(doc(""), Vec::new());
    assert_eq!(doc("\n\n  \n"), Vec::new());
}

// ---- errors ----

/// Asserts the error's position and that its message contains `needle`.
fn assert_err(src: &str, line: usize, column: usize, needle: &str) -> ParseError {
    let e = err(src);
    assert_eq!((e.line, e.column), (line, column), "{e}");
    assert!(
        e.message.contains(needle),
        "message {:?} lacks {needle:?}",
        e.message
    );
    e
}

#[test]
fn unknown_tag_on_line_7_reports_line_7() {
    let src = "# 标题\n\n第一段\n\n第二段\n\n见 <seal/> 处\n";
    let e = assert_err(src, 7, 3, "unknown tag <seal>");
    assert!(e.hint.is_some());
}

#[test]
fn images_links_and_autolinks() {
    assert_err("x\n\n![logo](a.png)\n", 3, 1, "images");
    assert_err("见 [网站](http://x.cn)\n", 1, 3, "links");
    assert_err("a\nb <https://miit.gov.cn>\n", 2, 3, "links");
}

#[test]
fn code_blocks_and_inline_code() {
    assert_err("a\n\n```\ncode\n```\n", 3, 1, "code blocks");
    assert_err("a\n\n    indented\n", 3, 5, "code blocks");
    assert_err("use `x` here\n", 1, 5, "inline code");
}

#[test]
fn block_quotes_footnotes_reference_definitions_task_lists() {
    assert_err("a\n\n> quoted\n", 3, 1, "block quotes");
    assert_err("a[^1]\n\n[^1]: note\n", 1, 2, "footnotes");
    assert_err("a\n\n[x]: http://x\n", 3, 1, "link reference definition");
    let e = assert_err("- [ ] todo\n", 1, 3, "task list");
    assert!(e.hint.unwrap().contains("<check"));
}

#[test]
fn raw_html_and_comments() {
    assert_err("a <span>b</span>\n", 1, 3, "unknown tag <span>");
    assert_err("a\n\n<table>\n", 3, 1, "unknown tag <table>");
    let e = assert_err("a\n\n<!-- note -->\n", 3, 1, "comments");
    assert!(e.hint.unwrap().contains("{#"));
}

#[test]
fn unknown_div_classes_and_attributes() {
    assert_err(
        "a\n\n<div class=\"centre\">\n\nb\n\n</div>\n",
        3,
        1,
        "unknown div class \"centre\"",
    );
    assert_err(
        "<div class=\"en\" style=\"x\">\n\nb\n\n</div>\n",
        1,
        1,
        "unknown attribute `style`",
    );
    assert_err("a <check status=\"done\"/>\n", 1, 3, "unknown check status");
    assert_err(
        "a <check state=\"ready\"/>\n",
        1,
        3,
        "unknown attribute `state`",
    );
}

#[test]
fn unbalanced_tags() {
    assert_err("a\n\n</div>\n", 3, 1, "without a matching <div>");
    assert_err("<div class=\"center\">\n\na\n", 1, 1, "never closed");
    assert_err("a <en>b\n\nc\n", 1, 3, "<en> is not closed");
    assert_err("a\nb</en>\n", 2, 2, "</en> without a matching <en>");
    assert_err(
        "- a\n\n  <div class=\"en\">\n\n  b\n\n- c\n",
        3,
        3,
        "not closed before its list item ends",
    );
    assert_err(
        "<div class=\"en\">\n\n- a\n\n  </div>\n",
        5,
        3,
        "opened outside this list item",
    );
}

#[test]
fn block_tags_in_the_wrong_place() {
    assert_err("a\n<pagebreak/>\n", 2, 1, "must stand on a line of its own");
    assert_err(
        "<div class=\"center\">\n居中\n</div>\n",
        2,
        1,
        "read as raw HTML",
    );
    assert_err("a\n\n<en>\n", 3, 1, "inline tag");
    assert_err(
        "a\n\n<div class=\"center\">b</div>\n",
        3,
        1,
        "read as raw HTML",
    );
}

#[test]
fn signature_holds_only_paragraphs() {
    assert_err(
        "<div class=\"signature\">\n\n- a\n\n</div>\n",
        3,
        1,
        "cannot stand inside",
    );
    assert_err(
        "<div class=\"signature\">\n\n# a\n\n</div>\n",
        3,
        1,
        "cannot stand inside",
    );
    assert_err(
        "<div class=\"signature\">\n\n---\n\n</div>\n",
        3,
        1,
        "cannot stand inside",
    );
    assert_err(
        "<div class=\"signature\">\n<div class=\"signature\">\n",
        2,
        1,
        "cannot stand inside",
    );
}

#[test]
fn deep_headings_and_aligned_tables() {
    assert_err("a\n\n#### 四级\n", 3, 1, "heading level 4");
    assert_err(
        "<div class=\"right\">\n\n| a |\n|---|\n\n</div>\n",
        3,
        1,
        "a table cannot be aligned",
    );
}

#[test]
fn extra_table_cells_are_refused_not_dropped() {
    let e = assert_err(
        "| a | b |\n|---|---|\n| 1 | 2 | 3 |\n",
        3,
        11,
        "more cells than the table's 2 columns",
    );
    assert!(e.hint.unwrap().contains("\\|"));
}

#[test]
fn header_and_delimiter_rows_that_disagree_are_not_a_table_but_text() {
    // GFM: no table; the pipes stay visible as text, so nothing is lost silently.
    let blocks = doc("| a | b | c |\n|---|---|\n");
    assert_eq!(blocks, vec![para(vec![text("| a | b | c | |---|---|")])]);
}

//! Turns a batch report into `summary.json`, `summary.csv`, `summary.xlsx` and
//! `summary.pdf` (a bilingual overview sorted by the nearest deadline, overdue rows
//! marked), each written atomically.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;

use super::{BatchReport, Row, RowStatus};
use crate::agency::Agency;
use crate::document::{
    Align, Block, Cell, Column, Document, DocumentKind, FooterLang, Inline, Packet, PacketMeta,
    Span, Table,
};
use crate::dossier::checklist::Readiness;
use crate::output::{write_atomic, WriteOutcome};
use crate::packet::Engine;
use crate::templates::Lang;

/// Paths and outcomes of the summary files.
#[derive(Debug, Clone)]
pub struct SummaryFiles {
    pub written: Vec<(PathBuf, WriteOutcome)>,
}

/// Writes the four summaries into `out`; they belong to the batch, so they are replaced
/// when their content changes.
pub fn write_summaries(
    engine: &Engine,
    report: &BatchReport,
    out: &Path,
    today: NaiveDate,
) -> Result<SummaryFiles, String> {
    // The PDF and the workbook are most of the work; they are built side by side, and the
    // four files synced side by side, so the summaries add little to a batch's end.
    let (pdf, xlsx) = rayon::join(
        || engine.write_packet(&overview(report, today, engine.agency())),
        || crate::sheet::summary::summary_xlsx(report, today),
    );
    let json = serde_json::to_vec_pretty(&report.rows).map_err(|e| e.to_string())?;
    let csv = to_csv(&report.rows).map_err(|e| e.to_string())?;
    let pdf = pdf.map_err(|e| e.to_string())?;
    let xlsx = xlsx.map_err(|e| e.to_string())?;
    let written = [
        ("summary.json", json),
        ("summary.csv", csv),
        ("summary.pdf", pdf),
        ("summary.xlsx", xlsx),
    ]
    .into_par_iter()
    .map(|(name, bytes)| {
        let path = out.join(name);
        let outcome = write_atomic(&path, &bytes, true).map_err(|e| e.to_string())?;
        Ok((path, outcome))
    })
    .collect::<Result<Vec<_>, String>>()?;
    Ok(SummaryFiles { written })
}

fn to_csv(rows: &[Row]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "input",
        "company",
        "uscc",
        "license",
        "procedure",
        "status",
        "next_deadline",
        "next_deadline_label",
        "days_left",
        "path",
        "error",
        "materials",
        "ready",
        "total",
        "missing",
        "problems",
        "dossier",
    ])?;
    for r in rows {
        w.write_record([
            r.input.as_str(),
            &r.company,
            &r.uscc,
            &r.license,
            &r.procedure,
            status_word(r.status),
            &r.next_deadline.map(|d| d.to_string()).unwrap_or_default(),
            r.next_deadline_label.as_deref().unwrap_or_default(),
            &r.days_left.map(|d| d.to_string()).unwrap_or_default(),
            r.path.as_deref().unwrap_or_default(),
            r.error.as_deref().unwrap_or_default(),
            r.materials.as_deref().unwrap_or_default(),
            &r.readiness
                .as_ref()
                .map(|x| x.ready.to_string())
                .unwrap_or_default(),
            &r.readiness
                .as_ref()
                .map(|x| x.total.to_string())
                .unwrap_or_default(),
            &r.readiness.as_ref().map(missing_text).unwrap_or_default(),
            &r.readiness.as_ref().map(problems_text).unwrap_or_default(),
            r.dossier.as_deref().unwrap_or_default(),
        ])?;
    }
    w.into_inner().map_err(|e| e.into_error().into())
}

/// The missing materials, for one cell: `id (名称); …`.
pub(crate) fn missing_text(readiness: &Readiness) -> String {
    readiness
        .missing
        .iter()
        .map(|m| format!("{} ({})", m.id, m.name))
        .collect::<Vec<_>>()
        .join("; ")
}

/// The materials with problems, for one cell: `id (名称): reason; …`.
pub(crate) fn problems_text(readiness: &Readiness) -> String {
    readiness
        .problems
        .iter()
        .map(|p| match &p.reason {
            Some(reason) => format!("{} ({}): {reason}", p.id, p.name),
            None => format!("{} ({})", p.id, p.name),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

pub(crate) fn status_word(s: RowStatus) -> &'static str {
    match s {
        RowStatus::Written => "written",
        RowStatus::Replaced => "replaced",
        RowStatus::Unchanged => "unchanged",
        RowStatus::Failed => "failed",
    }
}

fn text(s: impl Into<String>) -> Inline {
    Inline::Text(Span::plain(s))
}

fn secondary(s: impl Into<String>) -> Inline {
    Inline::Text(Span {
        text: s.into(),
        secondary: true,
        ..Span::default()
    })
}

fn cell(zh: impl Into<String>, en: impl Into<String>) -> Cell {
    Cell {
        inlines: vec![text(zh), Inline::LineBreak, secondary(en)],
    }
}

/// The overview document: one table, nearest deadline first, failures last.
fn overview(report: &BatchReport, today: NaiveDate, agency: Option<&Agency>) -> Packet {
    let mut rows: Vec<&Row> = report.rows.iter().collect();
    rows.sort_by_key(|r| {
        (
            r.status == RowStatus::Failed,
            r.next_deadline.unwrap_or(NaiveDate::MAX),
            r.input.clone(),
        )
    });
    let table = Table {
        columns: vec![Column { align: Align::Left }; 5],
        header: vec![
            cell("公司", "Company"),
            cell("许可证 / 事项", "Licence / procedure"),
            cell("下一期限", "Next deadline"),
            cell("剩余天数", "Days left"),
            cell("状态", "Status"),
        ],
        rows: rows.iter().map(|r| overview_row(r)).collect(),
    };
    let date = crate::templates::filters_zh_date(today);
    let title = "批量生成汇总".to_string();
    let blocks = vec![
        Block::Heading {
            level: 1,
            inlines: vec![text(&title)],
        },
        Block::Paragraph(crate::document::Paragraph {
            inlines: vec![
                text(format!("{date}生成，共 {} 项。", report.rows.len())),
                Inline::LineBreak,
                secondary(format!(
                    "Batch summary as of {today}: {} rows.",
                    report.rows.len()
                )),
            ],
            align: Some(Align::Left),
            no_indent: true,
        }),
        Block::Table(table),
    ];
    Packet {
        meta: PacketMeta {
            title: format!("licpack batch summary {today}"),
            author: agency.map_or_else(|| "licpack".into(), |a| a.name.clone()),
            subject: "批量生成汇总 / Batch summary".into(),
            keywords: vec!["summary".into()],
            lang: "zh-CN".into(),
            date: today,
            header: format!("{title} / Batch summary"),
            footer_lang: FooterLang::Bilingual,
            brand: agency.map(|a| crate::packet::brand(a, Lang::Bilingual)),
        },
        documents: vec![Document {
            title,
            kind: DocumentKind::Checklist,
            blocks,
        }],
    }
}

fn overview_row(r: &Row) -> Vec<Cell> {
    let company = Cell {
        inlines: vec![text(if r.company.is_empty() {
            r.input.clone()
        } else {
            r.company.clone()
        })],
    };
    if r.status == RowStatus::Failed {
        let err: String = r
            .error
            .clone()
            .unwrap_or_default()
            .chars()
            .take(300)
            .collect();
        return vec![
            company,
            Cell {
                inlines: vec![text(format!("{} {}", r.license, r.procedure))],
            },
            Cell::default(),
            Cell::default(),
            Cell {
                inlines: vec![
                    Inline::Text(Span {
                        text: "失败".into(),
                        bold: true,
                        ..Span::default()
                    }),
                    Inline::LineBreak,
                    secondary(err),
                ],
            },
        ];
    }
    let overdue = r.days_left.is_some_and(|d| d < 0);
    let days = match r.days_left {
        Some(d) if d < 0 => cell(format!("已逾期{}天", -d), format!("overdue {} days", -d)),
        Some(d) => cell(format!("{d}天"), format!("{d} days")),
        None => Cell::default(),
    };
    let deadline = match (r.next_deadline, &r.next_deadline_label) {
        (Some(d), Some(label)) => Cell {
            inlines: vec![
                text(crate::templates::filters_zh_date(d)),
                Inline::LineBreak,
                secondary(label.clone()),
            ],
        },
        _ => Cell::default(),
    };
    let status = if overdue {
        cell("逾期", "OVERDUE")
    } else {
        cell(status_zh(r.status), status_word(r.status))
    };
    let mut status = status;
    if overdue {
        if let Some(Inline::Text(s)) = status.inlines.first_mut() {
            s.bold = true;
        }
    }
    if let Some(r) = &r.readiness {
        // The materials folder's readiness under the packet's status.
        status.inlines.extend([
            Inline::LineBreak,
            text(format!("材料 {}/{}", r.ready, r.total)),
            Inline::LineBreak,
            secondary(format!("materials {} of {} ready", r.ready, r.total)),
        ]);
    }
    vec![
        company,
        Cell {
            inlines: vec![
                text(r.license.clone()),
                Inline::LineBreak,
                secondary(r.procedure.clone()),
            ],
        },
        deadline,
        days,
        status,
    ]
}

fn status_zh(s: RowStatus) -> &'static str {
    match s {
        RowStatus::Written => "已生成",
        RowStatus::Replaced => "已替换",
        RowStatus::Unchanged => "未变化",
        RowStatus::Failed => "失败",
    }
}

//! Tests of the built-in catalog data and of the loader's diagnostics on user overrides.

use super::*;
use crate::diag::{Diagnostic, Diagnostics};
use crate::library::Library;

/// Loads the built-ins with `files` (name, text) layered over them from a temporary directory.
fn load_with(files: &[(&str, &str)]) -> (tempfile::TempDir, Result<Catalog, Diagnostics>) {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().expect("has parent")).expect("mkdir");
        std::fs::write(&path, text).expect("write");
    }
    let library = Library::with_user_dir(dir.path()).expect("library");
    let result = load(&library);
    (dir, result)
}

/// The text of a built-in file.
fn builtin_text(name: &str) -> String {
    Library::builtin()
        .get(name)
        .expect("built-in file")
        .text
        .clone()
}

fn only_error(result: Result<Catalog, Diagnostics>) -> Diagnostic {
    let diags = result.expect_err("the catalog must be rejected").0;
    assert_eq!(diags.len(), 1, "expected one diagnostic, got: {diags:#?}");
    diags.into_iter().next().expect("one")
}

#[test]
fn builtin_catalog_loads_cleanly() {
    if let Err(diags) = load(&Library::builtin()) {
        panic!("built-in catalog has problems:\n{diags}");
    }
    assert_eq!(builtin().national_authority.zh, "工业和信息化部");
}

/// `load` skips the cross-reference checks for the built-in catalog (it cannot change after
/// the build), so they are held here instead.
#[test]
fn builtin_catalog_passes_every_check() {
    let problems = super::check::check(builtin());
    assert!(problems.is_empty(), "built-in catalog: {problems:?}");
}

#[test]
fn has_all_31_regions_with_design_ids() {
    let catalog = builtin();
    assert_eq!(catalog.regions.len(), 31);
    let ids =
        "beijing tianjin hebei shanxi neimenggu liaoning jilin heilongjiang shanghai jiangsu \
               zhejiang anhui fujian jiangxi shandong henan hubei hunan guangdong guangxi hainan \
               chongqing sichuan guizhou yunnan xizang shaanxi gansu qinghai ningxia xinjiang";
    for id in ids.split_whitespace() {
        assert!(catalog.region(id).is_some(), "region {id} missing");
    }
    assert_eq!(
        catalog.region("内蒙古").map(|r| r.id.as_str()),
        Some("neimenggu")
    );
    assert_eq!(
        catalog.region("shanxi").map(|r| r.name.zh.as_str()),
        Some("山西省")
    );
    assert_eq!(
        catalog.region("shaanxi").map(|r| r.abbr.as_str()),
        Some("陕")
    );
    assert_eq!(
        catalog.region_by_abbr("云").map(|r| r.id.as_str()),
        Some("yunnan")
    );
    let beijing = catalog.region("beijing").expect("beijing");
    assert_eq!(beijing.authority.zh, "北京市通信管理局");
    assert_eq!(
        catalog.authority(Scope::Nationwide, beijing).zh,
        "工业和信息化部"
    );
}

#[test]
fn every_entry_cites_a_source() {
    let catalog = builtin();
    let cited = |s: &str| !s.trim().is_empty();
    for p in &catalog.procedures {
        assert!(cited(&p.source), "procedure {}", p.id);
        for m in &p.materials {
            assert!(cited(&m.source), "{}: material {}", p.id, m.id);
        }
        for r in &p.failure_reasons {
            assert!(cited(&r.source), "{}: reason {}", p.id, r.id);
        }
    }
    for l in &catalog.letters {
        assert!(cited(&l.source), "letter {}", l.id);
    }
}

/// The built-in letters file with one more letter appended; `tail` ends that letter's table.
/// Returns the text and the 1-based line the appended letter's `source` would be on.
fn letters_with_extra(tail: &str) -> (String, usize) {
    let base = builtin_text("catalog/letters.toml");
    let extra = format!("\n[[letter]]\nid = \"x\"\ntitle = {{ zh = \"甲\", en = \"X\" }}\ntemplate = \"x.md.tera\"\n{tail}");
    let source_line = base.lines().count() + 6;
    (format!("{base}{extra}"), source_line)
}

#[test]
fn an_entry_without_a_source_is_rejected_at_its_line() {
    let (letters, line) = letters_with_extra("source = \"\"\n");
    let (_dir, result) = load_with(&[("catalog/letters.toml", &letters)]);
    let diag = only_error(result);
    assert!(
        diag.file.ends_with("catalog/letters.toml"),
        "{}",
        diag.file.display()
    );
    let last = builtin().letters.len();
    assert_eq!(
        (diag.line, diag.field.clone()),
        (line, Some(format!("letter[{last}].source")))
    );
    assert!(diag.message.contains("no source"), "{}", diag.message);
}

#[test]
fn a_missing_source_field_and_an_unknown_key_are_rejected() {
    let (letters, _) = letters_with_extra("");
    let (_dir, result) = load_with(&[("catalog/letters.toml", &letters)]);
    assert!(only_error(result)
        .message
        .contains("missing field `source`"));

    let (letters, line) = letters_with_extra("source = \"S14 S999\"\n");
    let (_dir, result) = load_with(&[("catalog/letters.toml", &letters)]);
    let diag = only_error(result);
    assert!(
        diag.message.contains("unknown source key `S999`"),
        "{}",
        diag.message
    );
    assert_eq!(diag.line, line);
}

#[test]
fn classifies_licence_numbers() {
    let catalog = builtin();
    let scope_and_abbr = |number: &str| {
        catalog
            .classify_number(number)
            .map(|info| (info.scope, info.region.map(|r| r.abbr.as_str())))
    };
    assert_eq!(
        scope_and_abbr("B2-20220318"),
        Some((Scope::Nationwide, None))
    );
    assert_eq!(
        scope_and_abbr("B1-20220567"),
        Some((Scope::Nationwide, None))
    );
    assert_eq!(
        scope_and_abbr("B1.B2-20150315"),
        Some((Scope::Nationwide, None))
    );
    assert_eq!(
        scope_and_abbr("A2.B1.B2-20090001"),
        Some((Scope::Nationwide, None))
    );
    assert_eq!(
        scope_and_abbr("合字B1.B2-20130004"),
        Some((Scope::Nationwide, None))
    );
    assert_eq!(
        scope_and_abbr("沪B2-20230045"),
        Some((Scope::Provincial, Some("沪")))
    );
    assert_eq!(
        scope_and_abbr("粤B2-20220317"),
        Some((Scope::Provincial, Some("粤")))
    );
    assert_eq!(
        scope_and_abbr("苏B1.B2-20150240"),
        Some((Scope::Provincial, Some("苏")))
    );
    let beijing_icp = catalog
        .classify_number("京ICP证090015号")
        .expect("old Beijing ICP number");
    assert_eq!(beijing_icp.region.map(|r| r.id.as_str()), Some("beijing"));
    for bad in [
        "B2-2021001",
        "B2-202100011",
        "京ICP备10046444号",
        "粤B2-20090191-18",
        "B3-20220318",
        // Full-width and Arabic-Indic digits are digits to Unicode, not on a certificate.
        "B2-２０２２０３１８",
        "B2-٢٠٢٢٠٣١٨",
    ] {
        assert!(
            catalog.classify_number(bad).is_none(),
            "{bad} must not classify"
        );
    }
}

#[test]
fn nationwide_example_is_what_errors_show() {
    let info = builtin()
        .classify_number("B2-20220318")
        .expect("classifies");
    assert_eq!(info.format.example, "B2-YYYYNNNN");
}

#[test]
fn user_override_with_a_syntax_error_names_the_user_file_and_line() {
    let text = "id = \"renewal\"\nname = { zh = \"续期\", en = \"Renewal\" }\nsummary = = 3\n";
    let (dir, result) = load_with(&[("catalog/procedures/renewal.toml", text)]);
    let diag = only_error(result);
    assert_eq!(
        diag.file,
        dir.path().join("catalog/procedures/renewal.toml")
    );
    assert_eq!(diag.line, 3);
    assert!(diag.column > 0);
}

#[test]
fn duplicate_material_id_is_reported_at_its_line() {
    let builtin_text = builtin_text("catalog/procedures/renewal.toml");
    let duplicated = builtin_text.replacen(
        "id = \"original-licence\"",
        "id = \"business-license-copy\"",
        1,
    );
    let line = duplicated
        .lines()
        .position(|l| l == "id = \"business-license-copy\"")
        .expect("first");
    let second = duplicated
        .lines()
        .skip(line + 1)
        .position(|l| l == "id = \"business-license-copy\"");
    let expected_line = line + 1 + second.expect("second") + 1;
    let (_dir, result) = load_with(&[("catalog/procedures/renewal.toml", &duplicated)]);
    let diag = only_error(result);
    assert!(
        diag.message
            .contains("`business-license-copy` is listed twice"),
        "{}",
        diag.message
    );
    assert_eq!(diag.line, expected_line);
    assert!(diag.field.as_deref().is_some_and(|f| f.ends_with(".id")));
}

#[test]
fn cross_references_are_checked() {
    let builtin_text = builtin_text("catalog/procedures/legal-rep-change.toml");
    let broken = builtin_text
        .replace("\"change-application\", ", "\"change-aplication\", ")
        .replace(
            "event_field = \"registration_change_date\"",
            "event_field = \"change_date\"",
        );
    let (_dir, result) = load_with(&[("catalog/procedures/legal-rep-change.toml", &broken)]);
    let diags = result.expect_err("rejected").0;
    let messages: Vec<&str> = diags.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(diags.len(), 2, "{messages:?}");
    assert!(messages
        .iter()
        .any(|m| m.contains("unknown letter `change-aplication`")));
    assert!(messages
        .iter()
        .any(|m| m.contains("`change_date` is not in `required_fields`")));
    let letter = diags
        .iter()
        .find(|d| d.message.contains("letter"))
        .expect("letter diag");
    assert_eq!(
        letter.hint.as_deref(),
        Some("did you mean `change-application`?")
    );
}

#[test]
fn unknown_failure_reason_in_a_condition_is_rejected() {
    let builtin_text = builtin_text("catalog/procedures/reapplication.toml");
    let broken = builtin_text.replacen(
        "failure_reasons_any = [\"staff-qualification\"]",
        "failure_reasons_any = [\"staff\"]",
        1,
    );
    let (_dir, result) = load_with(&[("catalog/procedures/reapplication.toml", &broken)]);
    let diag = only_error(result);
    assert!(
        diag.message
            .contains("unknown failure reason of this procedure `staff`"),
        "{}",
        diag.message
    );
    assert!(diag
        .field
        .as_deref()
        .is_some_and(|f| f.ends_with("when.failure_reasons_any[0]")));
}

#[test]
fn core_procedures_have_the_required_materials_and_letters() {
    let catalog = builtin();
    let letters = |id: &str| catalog.procedure(id).expect(id).letters.clone();
    assert_eq!(
        letters("renewal"),
        [
            "commitment-lawful",
            "commitment-security",
            "commitment-truthfulness"
        ]
    );
    assert_eq!(
        letters("legal-rep-change"),
        [
            "change-application",
            "commitment-lawful",
            "commitment-truthfulness"
        ]
    );
    assert_eq!(
        letters("reapplication"),
        [
            "rectification-report",
            "commitment-lawful",
            "commitment-security",
            "commitment-truthfulness"
        ]
    );
    for id in ["renewal", "reapplication"] {
        let procedure = catalog.procedure(id).expect(id);
        for material in [
            "business-license-copy",
            "financial-statements",
            "service-opening-proof",
        ] {
            assert!(
                procedure.materials.iter().any(|m| m.id == material),
                "{id} lacks {material}"
            );
        }
    }
    let renewal = catalog.procedure("renewal").expect("renewal");
    assert!(matches!(
        renewal.deadline,
        DeadlineRule::BeforeExpiry {
            submit_days_before: 90,
            ..
        }
    ));
}

#[test]
fn reapplication_has_every_failure_reason_with_remediation() {
    let procedure = builtin().procedure("reapplication").expect("reapplication");
    let wanted = "materials-incomplete staff-qualification compliance-violation company-changes-unreported \
                  late-application services-not-opened missed-annual-reports unfiled-changes dishonest-list \
                  false-materials out-of-scope security-evaluation marketing-call-violation icp-filing-lapsed";
    for id in wanted.split_whitespace() {
        let reason = procedure.failure_reasons.iter().find(|r| r.id == id);
        assert!(
            reason.is_some_and(|r| !r.remediation.is_empty()),
            "reason {id} missing or empty"
        );
    }
    let staff = procedure
        .materials
        .iter()
        .find(|m| m.when.failure_reasons_any == ["staff-qualification"]);
    assert_eq!(staff.map(|m| m.confidence), Some(Confidence::M));
}

#[test]
fn services_cover_the_catalogue() {
    let catalog = builtin();
    let codes: Vec<(&str, &str)> = catalog
        .services
        .iter()
        .map(|s| (s.id.as_str(), s.code.as_str()))
        .collect();
    for pair in [
        ("call-center", "B24"),
        ("idc", "B11"),
        ("icp", "B25"),
        ("sp", "B25"),
        ("edi", "B21"),
    ] {
        assert!(codes.contains(&pair), "{pair:?} missing");
    }
    for service in &catalog.services {
        assert_eq!(
            (service.validity_years, service.min_capital_nationwide),
            (5, 10_000_000),
            "{}",
            service.id
        );
        assert_eq!(service.min_capital_provincial, 1_000_000, "{}", service.id);
    }
    let icp = catalog.service("icp").expect("icp");
    assert!(icp.materials.iter().any(|m| m.id == "domain-certificates"));
}

#[test]
fn every_procedure_of_the_domain_reference_is_present() {
    let catalog = builtin();
    let ids = "renewal legal-rep-change reapplication new-application name-change capital-change \
               shareholder-change address-change annual-report termination";
    for id in ids.split_whitespace() {
        assert!(catalog.procedure(id).is_some(), "procedure {id} missing");
    }
    let annual = catalog.procedure("annual-report").expect("annual report");
    assert!(
        annual.letters.is_empty(),
        "the annual-report commitment is typed in the system"
    );
}

/// Every material, rule, letter and reason of the built-in catalog names known source keys or
/// says "common practice"; nothing else passes (the loader enforces it too, this test says
/// so in one place and covers every kind of entry).
#[test]
fn every_fact_is_sourced_or_common_practice() {
    let catalog = builtin();
    let keys: Vec<&str> = catalog.sources.iter().map(|s| s.key.as_str()).collect();
    let ok = |what: String, source: &str| {
        let valid = source.trim() == "common practice"
            || (!source.trim().is_empty() && source.split_whitespace().all(|k| keys.contains(&k)));
        assert!(
            valid,
            "{what}: source {source:?} is neither known keys nor common practice"
        );
    };
    let materials = |owner: &str, list: &[Material]| {
        for m in list {
            ok(format!("{owner}: material {}", m.id), &m.source);
        }
    };
    for s in &catalog.services {
        ok(format!("service {}", s.id), &s.source);
        materials(&s.id, &s.materials);
    }
    for k in &catalog.number_kinds {
        ok(format!("number kind {}", k.id), &k.source);
    }
    for p in &catalog.procedures {
        ok(format!("procedure {}", p.id), &p.source);
        ok(format!("{}: applies", p.id), &p.applies.source);
        materials(&p.id, &p.materials);
        for r in &p.failure_reasons {
            ok(format!("{}: reason {}", p.id, r.id), &r.source);
            assert!(
                !r.path.en.is_empty(),
                "{}: reason {} has no path",
                p.id,
                r.id
            );
        }
        if let Some(e) = &p.entry_text {
            ok(format!("{}: entry text", p.id), &e.source);
        }
        match &p.deadline {
            DeadlineRule::BeforeExpiry { source, .. }
            | DeadlineRule::AfterEvent { source, .. }
            | DeadlineRule::Reapplication { source, .. }
            | DeadlineRule::Yearly { source, .. } => ok(format!("{}: deadline", p.id), source),
            DeadlineRule::None => {}
        }
    }
    for l in &catalog.letters {
        ok(format!("letter {}", l.id), &l.source);
    }
}

#[test]
fn every_letter_has_its_template_and_is_used() {
    let catalog = builtin();
    let library = crate::library::Library::builtin();
    for l in &catalog.letters {
        assert!(
            library.get(&l.template).is_some(),
            "{}: no {}",
            l.id,
            l.template
        );
        let used = catalog
            .procedures
            .iter()
            .any(|p| p.letters.contains(&l.id) || p.letters_when.iter().any(|c| c.id == l.id));
        assert!(used, "letter {} is in no procedure", l.id);
    }
}

#[test]
fn limited_procedures_say_why_and_numbers_are_not_granted_by_the_ministry_for_whitelists() {
    let catalog = builtin();
    let outbound = catalog
        .procedure("outbound-calling")
        .expect("outbound-calling");
    assert_eq!(outbound.applies.services, ["call-center"]);
    for id in ["number-95", "number-96", "sms-106", "carrier-whitelist"] {
        let p = catalog.procedure(id).unwrap_or_else(|| panic!("{id}"));
        assert!(p.applies.why_not.is_some(), "{id}");
    }
    let whitelist = catalog.procedure("carrier-whitelist").expect("whitelist");
    assert_eq!(whitelist.handled_by, HandledBy::Carrier);
    // Whatever the whitelist texts say, they never have the ministry or a CA grant it.
    let texts = [&whitelist.summary.zh, &whitelist.name.zh];
    for t in texts {
        assert!(t.contains("不是") || t.contains("非"), "{t}");
    }
    assert!(whitelist
        .materials
        .iter()
        .all(|m| m.confidence == Confidence::L
            || m.source
                .split_whitespace()
                .all(|k| k == "S47" || k == "S48")));
}

#[test]
fn a_calendar_day_both_off_and_worked_is_located() {
    let name = "catalog/calendar/2026.toml";
    let text = builtin_text(name).replacen(
        "workdays = [2026-09-20, 2026-10-10]",
        "workdays = [2026-09-20, 2026-10-03]",
        1,
    );
    let line = text
        .lines()
        .position(|l| l.contains("2026-10-03"))
        .expect("edited")
        + 1;
    let (_dir, result) = load_with(&[(name, &text)]);
    let diag = only_error(result);
    assert_eq!(diag.line, line);
    assert_eq!(diag.field.as_deref(), Some("holiday[6].workdays[1]"));
    assert!(diag
        .message
        .contains("2026-10-03 is both a worked day and a day off (国庆节)"));
}

#[test]
fn an_added_calendar_year_is_used_and_a_misnamed_one_refused() {
    let text = "year = 2027\n[[notice]]\nnumber = \"n\"\ntitle = \"t\"\ndate = 2026-11-01\n";
    let (_dir, result) = load_with(&[("catalog/calendar/2027.toml", text)]);
    let catalog = result.expect("a plain year loads");
    assert_eq!(catalog.calendar.years().last(), Some(2027));
    let (_dir, result) = load_with(&[("catalog/calendar/2028.toml", text)]);
    assert_eq!(only_error(result).field.as_deref(), Some("year"));
}

#[test]
fn a_number_is_matched_against_a_format_only_when_it_starts_like_it() {
    assert_eq!(literal_start("^B2-[0-9]{8}$"), "B2-");
    assert_eq!(literal_start(r"^B1\.B2-[0-9]{8}$"), "B1");
    assert_eq!(literal_start("^A[0-9]"), "A");
    assert_eq!(literal_start("^合字(B1\\.)?B"), "合字");
    assert_eq!(literal_start("^95[0-9]{3,4}$"), "95");
    assert_eq!(literal_start("^ab?c"), "a");
    assert_eq!(literal_start("^(?P<abbr>[京津])B2"), "");
    assert_eq!(literal_start("B2-"), "");
    // Every built-in format still classifies its own example shape the same way.
    for format in &builtin().number_formats {
        let example = format.example.replace("YYYYNNNN", "20210001");
        let full = format.regex().unwrap().captures(&example).is_some();
        assert_eq!(format.captures(&example).is_some(), full, "{}", format.id);
        assert!(format.captures("X-20210001").is_none());
    }
}

#[test]
fn builtin_upload_rules_follow_the_hunan_guide_by_default() {
    let rules =
        crate::dossier::rules::UploadRules::from_catalog(&builtin().submission.rules_for("hunan"));
    assert_eq!(rules.max_images_per_slot, 10);
    assert_eq!(rules.max_file_bytes, 5_242_880);
    assert_eq!(rules.image_formats, ["jpg", "jpeg", "gif"]);
    assert_eq!(rules.letter_max_age_days, 10);
    assert_eq!(rules.letter_age_confidence, Confidence::L);
    assert!(
        rules.source.split(' ').any(|k| k == "S96"),
        "{}",
        rules.source
    );
}

#[test]
fn a_province_override_replaces_one_rule_and_keeps_the_rest() {
    let text = format!(
        "{}\n[[authority]]\nauthority = \"jiangsu\"\nmax_file_bytes = {{ value = 2097152, source = \"S101\", confidence = \"M\" }}\n",
        builtin_text("catalog/submission.toml")
    );
    let (_dir, result) = load_with(&[("catalog/submission.toml", &text)]);
    let catalog = result.expect("valid override");
    let jiangsu =
        crate::dossier::rules::UploadRules::from_catalog(&catalog.submission.rules_for("jiangsu"));
    assert_eq!(jiangsu.max_file_bytes, 2_097_152);
    assert_eq!(jiangsu.max_images_per_slot, 10);
    let hunan =
        crate::dossier::rules::UploadRules::from_catalog(&catalog.submission.rules_for("hunan"));
    assert_eq!(hunan.max_file_bytes, 5_242_880);
}

#[test]
fn an_override_for_an_unknown_authority_is_located_with_a_suggestion() {
    let text = format!(
        "{}\n[[authority]]\nauthority = \"jaingsu\"\nmin_dpi = {{ value = 200, source = \"S101\" }}\n",
        builtin_text("catalog/submission.toml")
    );
    let expected_line = text
        .lines()
        .position(|l| l == "authority = \"jaingsu\"")
        .expect("line")
        + 1;
    let (_dir, result) = load_with(&[("catalog/submission.toml", &text)]);
    let diag = only_error(result);
    assert!(
        diag.message.contains("unknown authority `jaingsu`"),
        "{}",
        diag.message
    );
    assert_eq!(diag.line, expected_line);
    assert!(
        diag.hint.as_deref().is_some_and(|h| h.contains("jiangsu")),
        "{:?}",
        diag.hint
    );
    assert!(diag.file.ends_with("catalog/submission.toml"));
}

#[test]
fn an_alias_that_names_another_material_is_located() {
    let text = builtin_text("catalog/procedures/renewal.toml").replacen(
        "aliases = [\"续期决议\"]",
        "aliases = [\"营业执照\"]",
        1,
    );
    let expected_line = text
        .lines()
        .position(|l| l == "aliases = [\"营业执照\"]")
        .map(|_| ());
    assert!(expected_line.is_some());
    let line = text
        .lines()
        .enumerate()
        .filter(|(_, l)| *l == "aliases = [\"营业执照\"]")
        .map(|(i, _)| i + 1)
        .collect::<Vec<_>>();
    let (_dir, result) = load_with(&[("catalog/procedures/renewal.toml", &text)]);
    let diags = result.expect_err("rejected").0;
    assert!(!diags.is_empty());
    for diag in &diags {
        assert!(
            diag.message
                .contains("alias `营业执照` also names material"),
            "{}",
            diag.message
        );
        assert!(
            line.contains(&diag.line),
            "line {} not in {line:?}",
            diag.line
        );
    }
}

#[test]
fn colour_and_copy_flags_follow_the_section_12_rules() {
    let renewal = builtin().procedure("renewal").expect("renewal");
    let material = |id: &str| renewal.materials.iter().find(|m| m.id == id).expect(id);
    let licence = material("business-license-copy");
    assert!(licence.colour_scan && licence.copy);
    assert_eq!(licence.aliases, ["营业执照"]);
    assert!(
        material("commitment-lawful").colour_scan,
        "a signed, sealed letter"
    );
    assert!(
        !material("credit-publicity-screenshot").colour_scan,
        "a screenshot"
    );
    assert!(!material("original-licence").copy, "an original");
}

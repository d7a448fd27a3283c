//! Turns a few lines of test data into a small [`Catalog`] for the company tests, so they do
//! not depend on the real catalog files (written and changed elsewhere).

use crate::catalog::{
    Applicability, Catalog, Confidence, DeadlineRule, FailureReason, Material, NumberFormat,
    NumberKind, Procedure, Region, Scope, Service, Text,
};

fn text(zh: &str, en: &str) -> Text {
    Text {
        zh: zh.into(),
        en: en.into(),
    }
}

fn region(id: &str, short: &str, abbr: &str, en: &str) -> Region {
    Region {
        id: id.into(),
        name: text(&format!("{short}市"), en),
        short: short.into(),
        abbr: abbr.into(),
        authority: text(
            &format!("{short}市通信管理局"),
            &format!("{en} Communications Administration"),
        ),
        sealing: None,
    }
}

fn service(id: &str, code: &str, materials: Vec<Material>) -> Service {
    Service {
        id: id.into(),
        code: code.into(),
        name: text(id, id),
        trade_name: None,
        class: 2,
        validity_years: 5,
        min_capital_nationwide: 10_000_000,
        min_capital_provincial: 1_000_000,
        materials,
        source: "S1".into(),
    }
}

fn material(id: &str) -> Material {
    Material {
        id: id.into(),
        name: text(id, id),
        note: None,
        signing: None,
        when: Default::default(),
        source: "S1".into(),
        confidence: Confidence::H,
        aliases: Vec::new(),
        colour_scan: false,
        copy: false,
    }
}

fn format(id: &str, scope: Scope, pattern: &str, example: &str) -> NumberFormat {
    NumberFormat {
        id: id.into(),
        scope,
        pattern: pattern.into(),
        example: example.into(),
        source: "S1".into(),
        compiled: Default::default(),
    }
}

fn procedure(id: &str, required: &[&str], reasons: &[&str], materials: &[&str]) -> Procedure {
    Procedure {
        id: id.into(),
        name: text(id, id),
        summary: text("", ""),
        basis: text("", ""),
        source: "S1".into(),
        required_fields: required.iter().map(|f| (*f).into()).collect(),
        deadline: DeadlineRule::None,
        materials: materials.iter().map(|m| material(m)).collect(),
        include_service_materials: true,
        letters: Vec::new(),
        applies: Applicability {
            why: text("all", "all"),
            source: "S1".into(),
            ..Default::default()
        },
        failure_reasons: reasons
            .iter()
            .map(|r| FailureReason {
                id: (*r).into(),
                name: text(r, r),
                remediation: Vec::new(),
                report_section: text(r, r),
                path: text(r, r),
                source: "S1".into(),
            })
            .collect(),
        ..Default::default()
    }
}

/// A procedure limited to call centres, for applicability errors.
fn outbound() -> Procedure {
    let mut p = procedure("outbound-calling", &[], &[], &["business-license-copy"]);
    p.applies.services = vec!["call-center".into()];
    p.applies.why_not = Some(text("仅适用于呼叫中心", "call-centre licences only"));
    p
}

/// The procedure that allocates 95 numbers, limited to call centres like `outbound`.
fn number_95() -> Procedure {
    let mut p = procedure("number-95", &[], &[], &["business-license-copy"]);
    p.applies.services = vec!["call-center".into()];
    p.applies.why_not = Some(text("仅呼叫中心可申请", "call-centre licences only"));
    p
}

pub(super) fn test_catalog() -> Catalog {
    let nationwide = r"^(合字)?(A\d\.)?(B1\.)?B[12]-\d{8}$";
    let provincial = r"^(?P<abbr>[京津沪渝冀晋蒙辽吉黑苏浙皖闽赣鲁豫鄂湘粤桂琼川贵云藏陕甘青宁新])(B1\.)?B[12]-\d{8}$";
    Catalog {
        national_authority: text("工业和信息化部", "MIIT"),
        services: vec![
            service(
                "call-center",
                "B24",
                vec![material("call-center-seats-list")],
            ),
            service("idc", "B11", vec![material("idc-room-contract")]),
            service("edi", "B21", Vec::new()),
            service("icp", "B25", Vec::new()),
        ],
        regions: vec![
            region("beijing", "北京", "京", "Beijing"),
            region("shanghai", "上海", "沪", "Shanghai"),
            region("guangdong", "广东", "粤", "Guangdong"),
            region("zhejiang", "浙江", "浙", "Zhejiang"),
        ],
        number_formats: vec![
            format(
                "nationwide",
                Scope::Nationwide,
                nationwide,
                "B2-YYYYNNNN (e.g. B2-20210001)",
            ),
            format(
                "nationwide-b1",
                Scope::Nationwide,
                r"^B1-\d{8}$",
                "B1-YYYYNNNN",
            ),
            format("provincial", Scope::Provincial, provincial, "京B2-YYYYNNNN"),
            format(
                "icp",
                Scope::Provincial,
                r"^(?P<abbr>京)ICP证\d{6}号$",
                "京ICP证NNNNNN号",
            ),
        ],
        procedures: vec![
            procedure(
                "renewal",
                &[],
                &[],
                &["business-license-copy", "financial-statements"],
            ),
            procedure(
                "legal-rep-change",
                &["previous_legal_rep", "registration_change_date"],
                &[],
                &["business-license-copy", "legal-rep-id-copy"],
            ),
            outbound(),
            number_95(),
            procedure(
                "name-change",
                &["registration_change_date"],
                &[],
                &["business-license-copy"],
            ),
            procedure(
                "reapplication",
                &["failure_date", "failure_reasons"],
                &[
                    "materials-incomplete",
                    "staff-qualification",
                    "compliance-violation",
                ],
                &[
                    "business-license-copy",
                    "financial-statements",
                    "rectification-report",
                ],
            ),
        ],
        letters: Vec::new(),
        sources: Vec::new(),
        number_kinds: vec![NumberKind {
            id: "95".into(),
            name: text("95短号码", "95 short number"),
            pattern: "^95[0-9]{3,4}$".into(),
            example: "95XXX or 95XXXX".into(),
            granted_by: text("工业和信息化部", "MIIT"),
            source: "S1".into(),
            procedure: Some("number-95".into()),
            compiled: Default::default(),
        }],
        ..Default::default()
    }
}

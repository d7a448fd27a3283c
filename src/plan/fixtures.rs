//! A small hand-built catalog and company for unit tests of the later stages, so they do not
//! depend on the built-in catalog's exact contents.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use crate::catalog::*;
use crate::company::*;

fn t(zh: &str, en: &str) -> Text {
    Text {
        zh: zh.into(),
        en: en.into(),
    }
}

fn material(id: &str, zh: &str, en: &str) -> Material {
    Material {
        id: id.into(),
        name: t(zh, en),
        note: Some(t("加盖公章", "company seal")),
        signing: None,
        when: Condition::default(),
        source: "S14".into(),
        confidence: Confidence::H,
        aliases: Vec::new(),
        colour_scan: false,
        copy: false,
    }
}

pub fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

pub fn catalog() -> Catalog {
    let letter = |id: &str, zh: &str, en: &str| Letter {
        id: id.into(),
        title: t(zh, en),
        template: format!("documents/letters/{id}.md.tera"),
        source: "S8".into(),
        signing: None,
        confidence: Confidence::H,
    };
    let procedure = |id: &str, deadline: DeadlineRule, letters: &[&str]| Procedure {
        id: id.into(),
        name: t("经营许可证续期", "Licence renewal"),
        summary: t("续期说明。", "About renewal."),
        basis: t("第二十七条", "Art. 27"),
        source: "S11".into(),
        required_fields: vec![],
        deadline,
        materials: vec![
            material(
                "business-license-copy",
                "营业执照副本",
                "Business licence (copy)",
            ),
            material(
                "financial-statements",
                "年度财务会计报告",
                "Annual financial statements",
            ),
        ],
        include_service_materials: true,
        letters: letters.iter().map(|s| s.to_string()).collect(),
        applies: Applicability {
            why: t("适用于所有许可证", "Applies to every licence"),
            source: "S11".into(),
            ..Default::default()
        },
        failure_reasons: vec![FailureReason {
            id: "staff-qualification".into(),
            name: t("人员资质不足", "Staff qualification"),
            remediation: vec![t("补充人员", "Hire staff")],
            report_section: t("人员整改", "Staff"),
            path: t(
                "整改后重新提交续期申请",
                "Corrected renewal after remediation",
            ),
            source: "common practice".into(),
        }],
        ..Default::default()
    };
    Catalog {
        national_authority: t("工业和信息化部", "MIIT"),
        services: vec![Service {
            id: "call-center".into(),
            code: "B24".into(),
            name: t("呼叫中心业务", "Call centre"),
            trade_name: None,
            class: 2,
            validity_years: 5,
            min_capital_nationwide: 10_000_000,
            min_capital_provincial: 1_000_000,
            materials: vec![],
            source: "S26".into(),
        }],
        regions: vec![Region {
            id: "beijing".into(),
            name: t("北京市", "Beijing"),
            short: "北京".into(),
            abbr: "京".into(),
            authority: t("北京市通信管理局", "Beijing Communications Administration"),
            sealing: None,
        }],
        number_formats: vec![],
        procedures: vec![
            procedure(
                "renewal",
                DeadlineRule::BeforeExpiry {
                    submit_days_before: 90,
                    prepare_months_before: 6,
                    source: "S11".into(),
                },
                &[
                    "commitment-lawful",
                    "commitment-security",
                    "commitment-truthfulness",
                ],
            ),
            procedure(
                "legal-rep-change",
                DeadlineRule::AfterEvent {
                    event_field: "registration_change_date".into(),
                    days: 30,
                    source: "S12".into(),
                },
                &["change-application", "commitment-lawful"],
            ),
            procedure(
                "reapplication",
                DeadlineRule::Reapplication {
                    submit_days_before: 90,
                    source: "S13".into(),
                },
                &["rectification-report", "commitment-truthfulness"],
            ),
        ],
        letters: vec![
            letter(
                "commitment-lawful",
                "依法经营电信业务承诺书",
                "Commitment to lawful operation",
            ),
            letter(
                "commitment-security",
                "网络与信息安全承诺书",
                "Network and information security commitment",
            ),
            letter(
                "commitment-truthfulness",
                "申请材料真实性承诺书",
                "Truthfulness of materials",
            ),
            letter("change-application", "变更申请函", "Change application"),
            letter(
                "rectification-report",
                "整改情况报告",
                "Rectification report",
            ),
        ],
        sources: vec![],
        ..Default::default()
    }
}

/// A company with one nationwide call-centre licence and one request per procedure; its
/// name carries Markdown metacharacters on purpose.
pub fn company() -> Company {
    let request = |kind: &str| ProcedureRequest {
        kind: kind.into(),
        license: "B2-20220318".into(),
        previous_legal_rep: Some("王芳".into()),
        previous_registered_capital: Some(5_000_000),
        registration_change_date: Some(date("2026-11-10")),
        failure_date: Some(date("2026-10-20")),
        failure_reasons: vec!["staff-qualification".into()],
    };
    let mut materials = BTreeMap::new();
    materials.insert(
        "financial-statements".to_string(),
        MaterialStatus {
            state: MaterialState::Missing,
            note: Some("due | 12-05 *soon*".into()),
        },
    );
    Company {
        source: "fixture.toml".into(),
        materials_folder: None,
        info: CompanyInfo {
            name: "北京*云声*科技有限公司".into(),
            name_en: Some("Beijing <Yunsheng> & Co. [Ltd]".into()),
            uscc: "91110108MA01C2XM4Y".into(),
            legal_rep: "张伟".into(),
            legal_rep_en: Some("Zhang Wei".into()),
            address: "北京市海淀区中关村大街1号".into(),
            address_en: None,
            province: "beijing".into(),
            registered_capital: 10_000_000,
            foreign_shareholding_pct: 0.0,
            contact: None,
            annual_reports_filed: None,
            pending_changes: vec![],
        },
        licenses: vec![License {
            number: "B2-20220318".into(),
            scope: Scope::Nationwide,
            services: vec!["call-center".into()],
            issued: date("2022-04-30"),
            expires: date("2027-04-30"),
            services_opened: None,
        }],
        procedures: vec![
            request("renewal"),
            request("legal-rep-change"),
            request("reapplication"),
        ],
        materials,
        numbers: vec![],
    }
}

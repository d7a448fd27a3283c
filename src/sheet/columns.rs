//! Turns a header row into known columns: each header is a company-file dotted key
//! (`company.uscc`) or the Chinese label `init --xlsx` writes for it (统一社会信用代码), or a
//! `materials.<id>` status column; anything else is an error with "did you mean".

use crate::diag::did_you_mean;

/// How a column's cells are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Free text (names, addresses); numbers are written back as digits.
    Text,
    /// An identifier (USCC, licence number): full-width digits and letters are narrowed.
    Code,
    Date,
    Integer,
    Number,
    /// Several ids separated by `,` `，` `、` or `;`.
    List,
    /// Several years separated as [`Kind::List`].
    YearList,
    /// A material status word (`ready`/`已备齐`, `missing`/`缺`, `n/a`/`不适用`).
    Status,
}

/// The part of the company file a column fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Company,
    License,
    Procedure,
    Materials,
    /// Not company data: where the client's files are (its materials folder).
    Client,
}

/// One known column: its dotted key, Chinese label and how to read it.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    pub key: &'static str,
    pub label: &'static str,
    pub kind: Kind,
    /// Shown as the header's comment in the template.
    pub help: &'static str,
}

macro_rules! spec {
    ($key:literal, $label:literal, $kind:ident, $help:literal) => {
        Spec {
            key: $key,
            label: $label,
            kind: Kind::$kind,
            help: $help,
        }
    };
}

/// Every column a client sheet may have, in template order.
pub const SPECS: &[Spec] = &[
    spec!(
        "company.name",
        "公司名称",
        Text,
        "legal name, as on the business licence"
    ),
    spec!("company.name_en", "英文名称", Text, "optional"),
    spec!(
        "company.uscc",
        "统一社会信用代码",
        Code,
        "18 characters; rows with the same code are one company"
    ),
    spec!("company.legal_rep", "法定代表人", Text, "as registered"),
    spec!(
        "company.legal_rep_en",
        "法定代表人（英文）",
        Text,
        "optional"
    ),
    spec!(
        "company.address",
        "注册地址",
        Text,
        "as on the business licence"
    ),
    spec!("company.address_en", "英文地址", Text, "optional"),
    spec!(
        "company.province",
        "省份",
        Text,
        "region id or short name (北京)"
    ),
    spec!(
        "company.registered_capital",
        "注册资本（元）",
        Integer,
        "CNY, whole yuan"
    ),
    spec!(
        "company.foreign_shareholding_pct",
        "外资持股比例（%）",
        Number,
        "0–100; empty = 0"
    ),
    spec!("company.contact.name", "联系人", Text, "optional"),
    spec!("company.contact.phone", "联系电话", Text, "optional"),
    spec!("company.contact.email", "联系邮箱", Text, "optional"),
    spec!(
        "company.annual_reports_filed",
        "已报送年报年份",
        YearList,
        "optional: 2023、2024、2025"
    ),
    spec!(
        "company.pending_changes",
        "未备案变更",
        List,
        "optional: procedure ids"
    ),
    spec!(
        "license.number",
        "许可证编号",
        Code,
        "B2-20220318 or 京B2-20220318"
    ),
    spec!(
        "license.scope",
        "许可范围",
        Text,
        "nationwide or provincial"
    ),
    spec!(
        "license.services",
        "业务种类",
        List,
        "service ids: licpack catalog"
    ),
    spec!("license.issued", "发证日期", Date, "2022-04-30"),
    spec!("license.expires", "有效期至", Date, "2027-04-30"),
    spec!(
        "license.services_opened",
        "已开通业务",
        List,
        "optional: service ids"
    ),
    spec!(
        "procedure.type",
        "办理事项",
        Text,
        "procedure id: licpack catalog"
    ),
    spec!(
        "procedure.previous_legal_rep",
        "原法定代表人",
        Text,
        "legal-rep-change only"
    ),
    spec!(
        "procedure.registration_change_date",
        "工商变更日期",
        Date,
        "change procedures"
    ),
    spec!(
        "procedure.failure_date",
        "未通过日期",
        Date,
        "reapplication only"
    ),
    spec!(
        "procedure.failure_reasons",
        "未通过原因",
        List,
        "reapplication: reason ids"
    ),
    spec!(
        "client.materials_folder",
        "材料文件夹",
        Text,
        "optional: the client's materials folder, relative to the book (batch reads it)"
    ),
];

/// Prefix of material status columns: `materials.business-license-copy`.
pub const MATERIALS_PREFIX: &str = "materials.";

/// A header cell understood.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Column {
    /// The dotted key (`company.uscc`, `materials.financial-statements`).
    pub key: String,
    pub kind: Kind,
    pub section: Section,
    /// The header as written, for messages.
    pub header: String,
}

/// Why a header cell is not understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HeaderError {
    #[error("unknown column \"{header}\"; did you mean \"{suggestion}\"")]
    Near { header: String, suggestion: String },
    #[error("unknown column \"{header}\"")]
    Unknown { header: String },
}

impl HeaderError {
    pub fn hint(&self) -> String {
        match self {
            HeaderError::Near { suggestion, .. } => format!("rename the header to \"{suggestion}\""),
            HeaderError::Unknown { .. } => "use a company-file key (company.uscc, license.expires, \
                 materials.<id>, …) or its Chinese label; `licpack init --xlsx FILE` writes a template \
                 with every column"
                .to_owned(),
        }
    }
}

/// The column a header names.
pub fn resolve(header: &str) -> Result<Column, HeaderError> {
    let text = header.trim();
    if let Some(spec) = SPECS.iter().find(|s| s.key == text || s.label == text) {
        return Ok(Column {
            key: spec.key.to_owned(),
            kind: spec.kind,
            section: section_of(spec.key),
            header: text.to_owned(),
        });
    }
    if let Some(id) = text
        .strip_prefix(MATERIALS_PREFIX)
        .filter(|id| !id.is_empty())
    {
        return Ok(Column {
            key: format!("{MATERIALS_PREFIX}{id}"),
            kind: Kind::Status,
            section: Section::Materials,
            header: text.to_owned(),
        });
    }
    let candidates = SPECS.iter().flat_map(|s| [s.key, s.label]);
    match did_you_mean(text, candidates) {
        Some(near) => Err(HeaderError::Near {
            header: text.to_owned(),
            suggestion: near.to_owned(),
        }),
        None => Err(HeaderError::Unknown {
            header: text.to_owned(),
        }),
    }
}

fn section_of(key: &str) -> Section {
    match key.split('.').next() {
        Some("license") => Section::License,
        Some("procedure") => Section::Procedure,
        Some("materials") => Section::Materials,
        Some("client") => Section::Client,
        _ => Section::Company,
    }
}

/// The Chinese label of `key`, for messages about a column the sheet lacks.
pub fn label_of(key: &str) -> Option<&'static str> {
    SPECS.iter().find(|s| s.key == key).map(|s| s.label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_labels_name_the_same_column() {
        let by_key = resolve("company.uscc").unwrap();
        let by_label = resolve(" 统一社会信用代码 ").unwrap();
        assert_eq!(
            (by_key.key.as_str(), by_key.kind),
            ("company.uscc", Kind::Code)
        );
        assert_eq!(by_label.key, by_key.key);
        assert_eq!(by_label.header, "统一社会信用代码");
        let material = resolve("materials.financial-statements").unwrap();
        assert_eq!(
            (material.section, material.kind),
            (Section::Materials, Kind::Status)
        );
    }

    #[test]
    fn unknown_headers_suggest_the_nearest() {
        let err = resolve("license.expire").unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown column \"license.expire\"; did you mean \"license.expires\""
        );
        assert!(matches!(
            resolve("备注栏目"),
            Err(HeaderError::Unknown { .. })
        ));
    }

    #[test]
    fn labels_and_keys_are_unique() {
        let mut all: Vec<&str> = SPECS.iter().flat_map(|s| [s.key, s.label]).collect();
        all.sort_unstable();
        let n = all.len();
        all.dedup();
        assert_eq!(all.len(), n);
    }
}

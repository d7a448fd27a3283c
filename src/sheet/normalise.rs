//! Turns one cell, as a clerk typed it, into the value its column wants: date serials and
//! text dates into dates, numbers stored as text into numbers, lists split on `,` `，` `、`
//! `;`, status words in either language into the company file's words, stray spaces trimmed,
//! full-width digits and letters in codes narrowed (and said so). What cannot be read is an
//! error with the fix; what merely looks wrong is passed on for the company validation.

use chrono::NaiveDate;

use super::cells::Cell;
use super::columns::Kind;

/// A cell's value, typed as the company file wants it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Text(String),
    Date(NaiveDate),
    Integer(i64),
    Float(f64),
    List(Vec<String>),
    Years(Vec<i64>),
}

impl Value {
    /// The value as TOML source, on one line.
    pub fn to_toml(&self) -> String {
        match self {
            Value::Text(s) => quote(s),
            Value::Date(d) => d.format("%Y-%m-%d").to_string(),
            Value::Integer(i) => i.to_string(),
            Value::Float(f) => toml::Value::Float(*f).to_string(),
            Value::List(items) => {
                let quoted: Vec<String> = items.iter().map(|s| quote(s)).collect();
                format!("[{}]", quoted.join(", "))
            }
            Value::Years(years) => {
                let years: Vec<String> = years.iter().map(i64::to_string).collect();
                format!("[{}]", years.join(", "))
            }
        }
    }

    /// The value as a clerk would write it, for "C3 says X, C7 says Y".
    pub fn shown(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::List(items) => items.join("、"),
            Value::Years(years) => {
                let years: Vec<String> = years.iter().map(i64::to_string).collect();
                years.join("、")
            }
            Value::Date(d) => d.format("%Y-%m-%d").to_string(),
            Value::Integer(i) => i.to_string(),
            Value::Float(f) => f.to_string(),
        }
    }
}

/// A TOML basic string on one line: control characters escaped, so each value stays on the
/// line whose cell it came from.
pub fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Why a cell cannot be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CellProblem {
    #[error("the code was turned into a number ({shown}); its last digits are lost")]
    CodeAsNumber { shown: String },
    #[error("not a date: \"{found}\"")]
    NotADate { found: String },
    #[error("unknown status \"{found}\"")]
    UnknownStatus { found: String },
    #[error("the cell holds a formula error ({0})")]
    FormulaError(String),
}

impl CellProblem {
    pub fn hint(&self) -> &'static str {
        match self {
            CellProblem::CodeAsNumber { .. } => {
                "format the column as text (设置单元格格式 → 文本, or type a ' first) and type the \
                 code again"
            }
            CellProblem::NotADate { .. } => {
                "write the date as 2027-04-30, 2027/4/30 or 2027年4月30日, or make it a date cell"
            }
            CellProblem::UnknownStatus { .. } => {
                "write ready (已备齐), missing (缺) or n/a (不适用)"
            }
            CellProblem::FormulaError(_) => "fix the formula, or type the value itself",
        }
    }

    /// The raw text to hand on, so the company check does not also call the field missing.
    pub fn raw(&self) -> String {
        match self {
            CellProblem::CodeAsNumber { shown } => shown.clone(),
            CellProblem::NotADate { found } | CellProblem::UnknownStatus { found } => found.clone(),
            CellProblem::FormulaError(e) => e.clone(),
        }
    }
}

/// A readable cell: its value and, when the text was changed beyond trimming, a note saying how.
#[derive(Debug, Clone, PartialEq)]
pub struct Read {
    pub value: Value,
    pub note: Option<String>,
}

/// The value of `cell` for a column of `kind`; `Ok(None)` when it is empty.
pub fn read(cell: &Cell, kind: Kind) -> Result<Option<Read>, CellProblem> {
    let plain = |value| Ok(Some(Read { value, note: None }));
    let text = match cell {
        Cell::Empty => return Ok(None),
        Cell::Error(e) => return Err(CellProblem::FormulaError(e.clone())),
        Cell::Number(n) => return number_cell(*n, kind).map(Some),
        Cell::Date(d) if kind == Kind::Date => return plain(Value::Date(*d)),
        Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
        Cell::Bool(b) => b.to_string(),
        Cell::Text(t) => t.trim().to_owned(),
    };
    if text.is_empty() {
        return Ok(None);
    }
    match kind {
        Kind::Text => plain(Value::Text(text)),
        Kind::Code => code(text),
        Kind::Date => parse_date(&narrow(&text))
            .map(|d| {
                Some(Read {
                    value: Value::Date(d),
                    note: None,
                })
            })
            .ok_or(CellProblem::NotADate { found: text }),
        Kind::Integer => plain(integer(&text).map_or(Value::Text(text), Value::Integer)),
        Kind::Number => {
            let digits = narrow(&text);
            let digits = digits.trim_end_matches(['%', '％']).trim();
            plain(digits.parse().map_or(Value::Text(text), Value::Float))
        }
        Kind::List => plain(Value::List(split(&text))),
        Kind::YearList => {
            let items = split(&narrow(&text));
            let years: Result<Vec<i64>, _> = items.iter().map(|y| y.parse()).collect();
            plain(years.map_or(Value::List(items), Value::Years))
        }
        Kind::Status => status(&text).map(|s| {
            Some(Read {
                value: Value::Text(s.into()),
                note: None,
            })
        }),
    }
}

fn number_cell(n: f64, kind: Kind) -> Result<Read, CellProblem> {
    let whole = n.fract() == 0.0 && n.abs() < 1e15;
    let value = match kind {
        Kind::Code => {
            return Err(CellProblem::CodeAsNumber {
                shown: if whole {
                    format!("{n:.0}")
                } else {
                    format!("{n:E}")
                },
            })
        }
        Kind::Date => serial_date(n)
            .map(Value::Date)
            .ok_or(CellProblem::NotADate {
                found: n.to_string(),
            })?,
        Kind::Integer if whole => Value::Integer(n as i64),
        Kind::Number => Value::Float(n),
        Kind::YearList if whole => Value::Years(vec![n as i64]),
        Kind::List => Value::List(vec![shown_number(n)]),
        Kind::Status => Value::Text(status(&shown_number(n))?.into()),
        _ => Value::Text(shown_number(n)),
    };
    Ok(Read { value, note: None })
}

/// A number typed into a text column (a phone number, say), without a decimal tail.
fn shown_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{n:.0}")
    } else {
        n.to_string()
    }
}

/// A plain number in a date column is a 1900-system serial (a date cell knows its epoch).
fn serial_date(n: f64) -> Option<NaiveDate> {
    if !(1.0..2_958_466.0).contains(&n) {
        return None;
    }
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    // Serials below 61 count Excel's phantom 1900-02-29.
    let days = if n < 61.0 { n as i64 + 1 } else { n as i64 };
    epoch.checked_add_signed(chrono::Duration::days(days))
}

fn code(text: String) -> Result<Option<Read>, CellProblem> {
    if is_scientific(&text) {
        return Err(CellProblem::CodeAsNumber { shown: text });
    }
    let narrowed = narrow(&text);
    let note = (narrowed != text)
        .then(|| format!("full-width characters read as \"{narrowed}\" (written \"{text}\")"));
    Ok(Some(Read {
        value: Value::Text(narrowed),
        note,
    }))
}

/// `9.11101E+17`: what a CSV holds after Excel displayed a long code as a number.
fn is_scientific(text: &str) -> bool {
    let Some((mantissa, exponent)) = text.split_once(['E', 'e']) else {
        return false;
    };
    let exponent = exponent.strip_prefix('+').unwrap_or(exponent);
    !mantissa.is_empty()
        && mantissa.chars().all(|c| c.is_ascii_digit() || c == '.')
        && !exponent.is_empty()
        && exponent.chars().all(|c| c.is_ascii_digit())
}

/// Full-width ASCII digits, letters and hyphen (U+FF10…, U+FF21…, U+FF41…, U+FF0D) narrowed;
/// other full-width characters (punctuation that might be meant) are left alone.
pub fn narrow(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' | '－' => {
                char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c)
            }
            c => c,
        })
        .collect()
}

/// `2027-04-30`, `2027/4/30`, `2027.4.30`, `2027年4月30日`, optionally with a midnight time.
fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text
        .strip_suffix(" 00:00:00")
        .or_else(|| text.strip_suffix(" 00:00"))
        .unwrap_or(text)
        .trim();
    let text = text.strip_suffix('日').unwrap_or(text);
    let parts: Vec<&str> = text
        .split(['-', '/', '.', '年', '月'])
        .map(str::trim)
        .collect();
    let [y, m, d] = parts.as_slice() else {
        return None;
    };
    if y.len() != 4 {
        return None;
    }
    NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?)
}

/// `10000000`, `10,000,000`, `1000万`.
fn integer(text: &str) -> Option<i64> {
    let digits: String = narrow(text)
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | ' '))
        .collect();
    match digits.strip_suffix('万') {
        Some(wan) => wan.parse::<i64>().ok()?.checked_mul(10_000),
        None => digits.parse().ok(),
    }
}

fn split(text: &str) -> Vec<String> {
    text.split([',', '，', '、', ';', '；'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

fn status(text: &str) -> Result<&'static str, CellProblem> {
    match text.trim().to_lowercase().as_str() {
        "ready" | "已备齐" | "齐" | "已备" => Ok("ready"),
        "missing" | "缺" | "缺少" | "未备齐" => Ok("missing"),
        "n/a" | "na" | "not-applicable" | "不适用" => Ok("not-applicable"),
        _ => Err(CellProblem::UnknownStatus {
            found: text.to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn value(cell: Cell, kind: Kind) -> Value {
        read(&cell, kind).unwrap().unwrap().value
    }

    fn day(y: i32, m: u32, d: u32) -> Value {
        Value::Date(NaiveDate::from_ymd_opt(y, m, d).unwrap())
    }

    #[test]
    fn dates_in_every_form_a_clerk_types() {
        for text in [
            "2027-04-30",
            "2027/4/30",
            "2027年4月30日",
            " 2027.4.30 ",
            "２０２７/４/３０",
            "2027-04-30 00:00:00",
        ] {
            assert_eq!(
                value(Cell::Text(text.into()), Kind::Date),
                day(2027, 4, 30),
                "{text}"
            );
        }
        // 46507 is 2027-04-30 in the 1900 system; before 1 March 1900 Excel counts a 29 February.
        assert_eq!(value(Cell::Number(46507.0), Kind::Date), day(2027, 4, 30));
        assert_eq!(value(Cell::Number(59.0), Kind::Date), day(1900, 2, 28));
        assert_eq!(value(Cell::Number(61.0), Kind::Date), day(1900, 3, 1));
        let err = read(&Cell::Text("30/4/2027".into()), Kind::Date).unwrap_err();
        assert_eq!(err.to_string(), "not a date: \"30/4/2027\"");
    }

    #[test]
    fn codes_turned_into_numbers_are_refused_with_the_fix() {
        let err = read(&Cell::Number(9.111_010_870_000_001e17), Kind::Code).unwrap_err();
        assert!(matches!(err, CellProblem::CodeAsNumber { .. }));
        assert!(err.hint().contains("format the column as text"));
        let err = read(&Cell::Text("9.11101E+17".into()), Kind::Code).unwrap_err();
        assert_eq!(err.raw(), "9.11101E+17");
        let ok = read(
            &Cell::Text("９１１１０１０８ＭＡ０１Ｃ２ＸＭ４Ｙ".into()),
            Kind::Code,
        )
        .unwrap()
        .unwrap();
        assert_eq!(ok.value, Value::Text("91110108MA01C2XM4Y".into()));
        assert!(ok.note.unwrap().contains("full-width"));
        assert_eq!(
            value(Cell::Text("京B2-20220318".into()), Kind::Code),
            Value::Text("京B2-20220318".into())
        );
    }

    #[test]
    fn numbers_lists_and_statuses() {
        assert_eq!(
            value(Cell::Text(" 10,000,000 ".into()), Kind::Integer),
            Value::Integer(10_000_000)
        );
        assert_eq!(
            value(Cell::Text("1000万".into()), Kind::Integer),
            Value::Integer(10_000_000)
        );
        assert_eq!(
            value(Cell::Number(3e6), Kind::Integer),
            Value::Integer(3_000_000)
        );
        assert_eq!(
            value(Cell::Text("30%".into()), Kind::Number),
            Value::Float(30.0)
        );
        assert_eq!(
            value(Cell::Number(13_800_138_000.0), Kind::Text),
            Value::Text("13800138000".into())
        );
        assert_eq!(
            value(Cell::Text("idc，isp、cdn; edi".into()), Kind::List),
            Value::List(vec!["idc".into(), "isp".into(), "cdn".into(), "edi".into()])
        );
        assert_eq!(
            value(Cell::Text("2023、2024".into()), Kind::YearList),
            Value::Years(vec![2023, 2024])
        );
        assert_eq!(
            value(Cell::Text("已备齐".into()), Kind::Status),
            Value::Text("ready".into())
        );
        assert_eq!(
            value(Cell::Text("N/A".into()), Kind::Status),
            Value::Text("not-applicable".into())
        );
        assert!(read(&Cell::Text("soon".into()), Kind::Status).is_err());
        assert_eq!(read(&Cell::Text("  ".into()), Kind::Text).unwrap(), None);
    }

    #[test]
    fn toml_values_stay_on_one_line() {
        assert_eq!(
            Value::Text("a\"b\nc".into()).to_toml(),
            "\"a\\\"b\\u000Ac\""
        );
        assert_eq!(
            Value::List(vec!["x".into(), "y".into()]).to_toml(),
            "[\"x\", \"y\"]"
        );
        assert_eq!(Value::Float(30.0).to_toml(), "30.0");
    }
}

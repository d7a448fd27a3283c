//! Tera filters for Chinese paperwork: dates in both languages, amounts with thousands
//! separators and in capital form (大写), for templates that start from raw values.

use std::collections::HashMap;

use chrono::NaiveDate;
use tera::{Result, Tera, Value};

pub fn register(tera: &mut Tera) {
    tera.register_filter("zh_date", zh_date_filter);
    tera.register_filter("en_date", en_date_filter);
    tera.register_filter("cny", cny_filter);
    tera.register_filter("cny_upper", cny_upper_filter);
}

/// `2026年11月25日` (no leading zeros, GB/T 9704 style).
pub fn zh_date(d: NaiveDate) -> String {
    use chrono::Datelike;
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// `25 Nov 2026` (no day/month ambiguity).
pub fn en_date(d: NaiveDate) -> String {
    d.format("%-d %b %Y").to_string()
}

/// `10,000,000`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// `人民币壹仟万元整` for whole yuan amounts.
pub fn cny_upper(n: u64) -> String {
    const DIGITS: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
    const UNITS: [&str; 4] = ["", "拾", "佰", "仟"];
    const GROUPS: [&str; 4] = ["", "万", "亿", "万亿"];
    if n == 0 {
        return "人民币零元整".to_string();
    }
    let mut groups = Vec::new();
    let mut rest = n;
    while rest > 0 {
        groups.push((rest % 10_000) as usize);
        rest /= 10_000;
    }
    let mut out = String::new();
    let mut pending_zero = false;
    for (gi, &g) in groups.iter().enumerate().rev() {
        if g == 0 {
            pending_zero = !out.is_empty();
            continue;
        }
        if pending_zero || (!out.is_empty() && g < 1000) {
            out.push('零');
        }
        pending_zero = false;
        out.push_str(&group_upper(g, &DIGITS, &UNITS));
        out.push_str(GROUPS[gi.min(3)]);
    }
    format!("人民币{out}元整")
}

fn group_upper(g: usize, digits: &[char; 10], units: &[&str; 4]) -> String {
    let mut out = String::new();
    let mut zero = false;
    for pos in (0..4).rev() {
        let d = g / 10usize.pow(pos as u32) % 10;
        if d == 0 {
            zero = !out.is_empty();
            continue;
        }
        if zero {
            out.push('零');
            zero = false;
        }
        out.push(digits[d]);
        out.push_str(units[pos]);
    }
    out
}

fn date_arg(v: &Value, name: &str) -> Result<NaiveDate> {
    let s = v.as_str().or_else(|| v.get("iso").and_then(Value::as_str));
    s.and_then(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
        .ok_or_else(|| {
            tera::Error::msg(format!(
                "filter `{name}` expects a date like \"2026-11-25\", got {v}"
            ))
        })
}

fn zh_date_filter(v: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    Ok(Value::String(zh_date(date_arg(v, "zh_date")?)))
}

fn en_date_filter(v: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    Ok(Value::String(en_date(date_arg(v, "en_date")?)))
}

fn amount_arg(v: &Value, name: &str) -> Result<u64> {
    v.as_u64().ok_or_else(|| {
        tera::Error::msg(format!(
            "filter `{name}` expects a whole amount in CNY, got {v}"
        ))
    })
}

fn cny_filter(v: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    Ok(Value::String(thousands(amount_arg(v, "cny")?)))
}

fn cny_upper_filter(v: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    Ok(Value::String(cny_upper(amount_arg(v, "cny_upper")?)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_both_languages() {
        let d = NaiveDate::from_ymd_opt(2026, 9, 2).unwrap();
        assert_eq!(zh_date(d), "2026年9月2日");
        assert_eq!(en_date(d), "2 Sep 2026");
    }

    #[test]
    fn amounts() {
        assert_eq!(thousands(10_000_000), "10,000,000");
        assert_eq!(thousands(999), "999");
        assert_eq!(cny_upper(10_000_000), "人民币壹仟万元整");
        assert_eq!(cny_upper(1_000_000), "人民币壹佰万元整");
        assert_eq!(cny_upper(20_000_000), "人民币贰仟万元整");
        assert_eq!(cny_upper(3_000_000), "人民币叁佰万元整");
        assert_eq!(cny_upper(50_000_000), "人民币伍仟万元整");
        assert_eq!(cny_upper(10_050), "人民币壹万零伍拾元整");
        assert_eq!(cny_upper(100_000_001), "人民币壹亿零壹元整");
        assert_eq!(cny_upper(5_000_000), "人民币伍佰万元整");
    }
}

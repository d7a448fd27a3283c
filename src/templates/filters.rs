//! Tera filters for Chinese paperwork: dates in both languages, amounts with thousands
//! separators and in capital form (大写), for templates that start from raw values.

use std::collections::HashMap;

use chrono::NaiveDate;
use tera::{Result, Tera, Value};

use super::amount::Amount;

pub fn register(tera: &mut Tera) {
    tera.register_filter("zh_date", zh_date_filter);
    tera.register_filter("en_date", en_date_filter);
    tera.register_filter("cny", cny_filter);
    tera.register_filter("cny_upper", cny_upper_filter);
}

pub use crate::dates::{en_date, zh_date};

/// `10,000,000`.
pub fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// `人民币壹仟万元整` for whole yuan amounts (the `company.capital_upper` variable).
pub fn cny_upper(yuan: u64) -> String {
    format!("人民币{}", Amount::from_yuan(yuan).capitals())
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

fn amount_arg(v: &Value, name: &str) -> Result<Amount> {
    Amount::from_value(v).map_err(|e| {
        tera::Error::msg(format!(
            "filter `{name}` got {e}; give an amount in yuan, not negative, with at most two \
             decimals: 10000000, 10005000.5 or \"10,005,000.50\""
        ))
    })
}

/// `10,000,000` for whole yuan, `10,005,000.50` otherwise.
fn cny_filter(v: &Value, _: &HashMap<String, Value>) -> Result<Value> {
    let amount = amount_arg(v, "cny")?;
    Ok(Value::String(match amount.whole_yuan() {
        Some(yuan) => thousands(yuan),
        None => amount.figures(),
    }))
}

/// `form="full"` (default): `人民币壹仟万元整（¥10,000,000.00）`; `form="words"`:
/// `人民币壹仟万元整`; `form="bare"`: `壹仟万元整` (for a form's own 人民币 column).
fn cny_upper_filter(v: &Value, args: &HashMap<String, Value>) -> Result<Value> {
    let amount = amount_arg(v, "cny_upper")?;
    let form = args.get("form").map_or(Some("full"), Value::as_str);
    let text = match form {
        Some("full") => amount.full(),
        Some("words") => format!("人民币{}", amount.capitals()),
        Some("bare") => amount.capitals(),
        _ => {
            return Err(tera::Error::msg(format!(
                "filter `cny_upper` got form={}; write form=\"full\", \"words\" or \"bare\"",
                args["form"]
            )))
        }
    };
    Ok(Value::String(text))
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
        assert_eq!(cny_upper(10_050), "人民币壹万零伍拾元整");
    }

    fn apply(
        filter: fn(&Value, &HashMap<String, Value>) -> Result<Value>,
        v: Value,
        form: Option<&str>,
    ) -> Result<Value> {
        let args = form.map(|f| ("form".to_string(), Value::from(f)));
        filter(&v, &args.into_iter().collect())
    }

    #[test]
    fn cny_upper_forms() {
        let v = serde_json::json!(10_005_000.5);
        let full = "人民币壹仟万零伍仟元伍角（¥10,005,000.50）";
        assert_eq!(apply(cny_upper_filter, v.clone(), None).unwrap(), full);
        assert_eq!(
            apply(cny_upper_filter, v.clone(), Some("full")).unwrap(),
            full
        );
        let words = apply(cny_upper_filter, v.clone(), Some("words")).unwrap();
        assert_eq!(words, "人民币壹仟万零伍仟元伍角");
        let bare = apply(cny_upper_filter, v.clone(), Some("bare")).unwrap();
        assert_eq!(bare, "壹仟万零伍仟元伍角");
        let err = apply(cny_upper_filter, v, Some("short")).unwrap_err();
        assert!(err.to_string().contains("form=\"short\""), "{err}");
        assert_eq!(
            apply(cny_filter, serde_json::json!(10_005_000.5), None).unwrap(),
            "10,005,000.50"
        );
        assert_eq!(
            apply(cny_filter, serde_json::json!(3_000_000), None).unwrap(),
            "3,000,000"
        );
    }

    #[test]
    fn cny_upper_refuses_negative_and_text() {
        for v in [serde_json::json!(-1), serde_json::json!("壹万")] {
            let err = apply(cny_upper_filter, v, None).unwrap_err().to_string();
            assert!(err.starts_with("filter `cny_upper` got"), "{err}");
        }
    }
}

//! Turns an amount of money (a template value: integer, decimal or decimal string, in yuan)
//! into the forms a bill or a letter states it in: figures with separators
//! (`10,005,000.50`) and Chinese capitals (大写, `壹仟万零伍仟元伍角`), following the People's
//! Bank of China's rules for writing amounts on bills and settlement vouchers
//! (《正确填写票据和结算凭证的基本规定》, annex to 《支付结算办法》, 银发〔1997〕393号).
//!
//! Where the rules allow two spellings (rule 4(3): a zero in the 万 or 元 place before a
//! non-zero 仟 or 角 place), one is used throughout: 零 for every run of zeros inside the
//! yuan part, none between 元 and a non-zero 角. Rule 4(4) (a zero 角 before a non-zero 分)
//! always writes 零.

use tera::Value;

const DIGITS: [char; 10] = ['零', '壹', '贰', '叁', '肆', '伍', '陆', '柒', '捌', '玖'];
const PLACES: [&str; 4] = ["", "拾", "佰", "仟"];

/// An amount in fen (1/100 yuan), never negative; any whole number of yuan a `u64` holds
/// fits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Amount(pub u128);

/// Why a template value is not an amount.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AmountError {
    #[error("a negative amount ({0})")]
    Negative(String),
    #[error("more than two decimals ({0}): amounts are stated to the fen")]
    TooPrecise(String),
    #[error("{0} is too large")]
    TooLarge(String),
    #[error("{0} is not a number")]
    NotANumber(String),
}

impl Amount {
    /// Reads a template value: an integer, a decimal (`10005000.5`) or a string of digits with
    /// up to two decimals and optional thousands separators (`"10,005,000.50"`).
    pub fn from_value(v: &Value) -> Result<Amount, AmountError> {
        match v {
            Value::Number(n) => Amount::parse(&n.to_string()),
            Value::String(s) => Amount::parse(&s.replace(',', "")),
            other => Err(AmountError::NotANumber(other.to_string())),
        }
    }

    /// Parses `123`, `123.4` or `123.45`; exact, since it never goes through a float sum.
    pub fn parse(text: &str) -> Result<Amount, AmountError> {
        let text = text.trim();
        if text.starts_with('-') {
            return Err(AmountError::Negative(text.into()));
        }
        let (yuan, fraction) = text.split_once('.').unwrap_or((text, ""));
        let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if yuan.is_empty() || !digits_only(yuan) || !digits_only(fraction) {
            return Err(AmountError::NotANumber(text.into()));
        }
        let fraction = fraction.trim_end_matches('0');
        if fraction.len() > 2 {
            return Err(AmountError::TooPrecise(text.into()));
        }
        let fen: u128 = format!("{fraction:0<2}").parse().unwrap_or(0);
        let yuan: u64 = yuan
            .parse()
            .map_err(|_| AmountError::TooLarge(text.into()))?;
        Ok(Amount(Amount::from_yuan(yuan).0 + fen))
    }

    /// A whole number of yuan.
    pub fn from_yuan(yuan: u64) -> Amount {
        Amount(u128::from(yuan) * 100)
    }

    /// The amount in yuan when it has no 角 or 分.
    pub fn whole_yuan(self) -> Option<u64> {
        self.0.is_multiple_of(100).then(|| self.yuan())
    }

    fn yuan(self) -> u64 {
        // At most u64::MAX: every constructor starts from a u64 of yuan.
        u64::try_from(self.0 / 100).unwrap_or(u64::MAX)
    }

    fn jiao(self) -> usize {
        (self.0 / 10 % 10) as usize
    }

    fn fen(self) -> usize {
        (self.0 % 10) as usize
    }

    /// `10,005,000.50`: thousands separators, always two decimals.
    pub fn figures(self) -> String {
        format!(
            "{}.{}{}",
            super::filters::thousands(self.yuan()),
            self.jiao(),
            self.fen()
        )
    }

    /// The capitals alone: `壹仟万零伍仟元伍角`, `伍分`, `零元整`.
    pub fn capitals(self) -> String {
        let (yuan, jiao, fen) = (self.yuan(), self.jiao(), self.fen());
        let mut out = String::new();
        if yuan > 0 || self.0 == 0 {
            out.push_str(&yuan_words(yuan));
            out.push('元');
        }
        if jiao == 0 && fen == 0 {
            // Rule 2: 整 after an amount that ends at 元.
            out.push('整');
            return out;
        }
        if jiao > 0 {
            out.push(DIGITS[jiao]);
            out.push('角');
        } else if yuan > 0 {
            // Rule 4(4): a zero 角 before a non-zero 分 is written.
            out.push('零');
        }
        if fen > 0 {
            out.push(DIGITS[fen]);
            out.push('分');
        }
        out
    }

    /// Rule 3 and rule 5: `人民币` directly before the capitals, `¥` before the figures:
    /// `人民币壹仟万元整（¥10,000,000.00）`.
    pub fn full(self) -> String {
        format!("人民币{}（¥{}）", self.capitals(), self.figures())
    }
}

/// The yuan part in capitals, without 元. Above 万 and 亿 the high part is spelled the same
/// way and followed by its unit, so 万亿 amounts come out as `壹万贰仟亿`.
fn yuan_words(n: u64) -> String {
    for (unit, name) in [(100_000_000, '亿'), (10_000, '万')] {
        if n >= unit {
            let (high, low) = (n / unit, n % unit);
            let mut out = yuan_words(high);
            out.push(name);
            // A zero digit between the two parts (the unit's own place, or the low part's
            // highest) is written once: rules 4(1)–4(3).
            if low > 0 && (high.is_multiple_of(10) || low < unit / 10) {
                out.push('零');
            }
            if low > 0 {
                out.push_str(&yuan_words(low));
            }
            return out;
        }
    }
    group_words(n)
}

/// 0–9999 in capitals; a run of zeros between digits is one 零 (rule 4(2)), trailing zeros
/// none. `拾` keeps its 壹 (壹拾), as the rules' own examples write it.
fn group_words(n: u64) -> String {
    if n == 0 {
        return DIGITS[0].to_string();
    }
    let mut out = String::new();
    let mut zero_pending = false;
    for place in (0..4).rev() {
        let digit = (n / 10u64.pow(place as u32) % 10) as usize;
        if digit == 0 {
            zero_pending = !out.is_empty();
            continue;
        }
        if zero_pending {
            out.push(DIGITS[0]);
            zero_pending = false;
        }
        out.push(DIGITS[digit]);
        out.push_str(PLACES[place]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caps(text: &str) -> String {
        Amount::parse(text).unwrap().capitals()
    }

    /// The worked examples printed in 《正确填写票据和结算凭证的基本规定》, rule by rule. Where
    /// a rule gives two spellings, the one this module uses is checked (module docs).
    #[test]
    fn pboc_worked_examples() {
        // 4(1): a zero inside the number is written: ¥1,409.50.
        assert_eq!(caps("1409.50"), "壹仟肆佰零玖元伍角");
        // 4(2): several zeros in a row, one 零: ¥6,007.14.
        assert_eq!(caps("6007.14"), "陆仟零柒元壹角肆分");
        // 4(3): 元 place zero before a non-zero 角, the spelling without 零: ¥1,680.32.
        assert_eq!(caps("1680.32"), "壹仟陆佰捌拾元叁角贰分");
        // 4(3): 万 place zero before a non-zero 仟, the spelling with 零: ¥107,000.53.
        assert_eq!(caps("107000.53"), "壹拾万零柒仟元伍角叁分");
        // 4(4): a zero 角 before a non-zero 分 writes 零: ¥16,409.02 and ¥325.04.
        assert_eq!(caps("16409.02"), "壹万陆仟肆佰零玖元零贰分");
        assert_eq!(caps("325.04"), "叁佰贰拾伍元零肆分");
    }

    #[test]
    fn whole_yuan_end_with_zheng() {
        // Rule 2: 整 after 元; none after 角 or 分.
        assert_eq!(caps("10000000"), "壹仟万元整");
        assert_eq!(caps("0"), "零元整");
        assert_eq!(caps("12.30"), "壹拾贰元叁角");
    }

    #[test]
    fn zeros_at_wan_and_yi_boundaries() {
        // The case: 万 place and 元 place both zero (4(3), spelling with 零 inside).
        assert_eq!(caps("10005000.50"), "壹仟万零伍仟元伍角");
        assert_eq!(caps("100000000"), "壹亿元整");
        assert_eq!(caps("100000001"), "壹亿零壹元整");
        assert_eq!(caps("100010000"), "壹亿零壹万元整");
        assert_eq!(caps("120000000"), "壹亿贰仟万元整");
        assert_eq!(caps("1000010000"), "壹拾亿零壹万元整");
        assert_eq!(caps("10050"), "壹万零伍拾元整");
        assert_eq!(caps("10500"), "壹万零伍佰元整");
        assert_eq!(caps("1000000000000"), "壹万亿元整");
        assert_eq!(caps("1234500000000"), "壹万贰仟叁佰肆拾伍亿元整");
    }

    #[test]
    fn fen_and_jiao_alone() {
        assert_eq!(caps("0.05"), "伍分");
        assert_eq!(caps("0.5"), "伍角");
        assert_eq!(caps("0.45"), "肆角伍分");
        assert_eq!(caps("1.05"), "壹元零伍分");
    }

    #[test]
    fn full_form_with_figures() {
        let a = Amount::parse("10000000").unwrap();
        assert_eq!(a.full(), "人民币壹仟万元整（¥10,000,000.00）");
        assert_eq!(
            Amount::parse("10005000.5").unwrap().figures(),
            "10,005,000.50"
        );
        assert_eq!(Amount::parse("0.05").unwrap().figures(), "0.05");
    }

    #[test]
    fn values_from_templates() {
        let from = |v: Value| Amount::from_value(&v);
        assert_eq!(
            from(serde_json::json!(10_000_000)),
            Ok(Amount(1_000_000_000))
        );
        assert_eq!(
            from(serde_json::json!(10005000.5)),
            Ok(Amount(1_000_500_050))
        );
        assert_eq!(
            from(serde_json::json!("10,005,000.50")),
            Ok(Amount(1_000_500_050))
        );
        assert!(matches!(
            from(serde_json::json!(-5)),
            Err(AmountError::Negative(_))
        ));
        assert!(matches!(
            from(serde_json::json!("1.005")),
            Err(AmountError::TooPrecise(_))
        ));
        assert!(matches!(
            from(serde_json::json!("十万")),
            Err(AmountError::NotANumber(_))
        ));
        assert!(matches!(
            from(serde_json::json!(true)),
            Err(AmountError::NotANumber(_))
        ));
        assert!(matches!(
            from(serde_json::json!("")),
            Err(AmountError::NotANumber(_))
        ));
        assert!(matches!(
            from(serde_json::json!("18446744073709551616")),
            Err(AmountError::TooLarge(_))
        ));
    }

    #[test]
    fn the_fonts_cover_every_character_used() {
        let book = crate::fonts::FontBook::builtin();
        let text = format!(
            "{}万亿角分整人民币（¥,.）",
            DIGITS.iter().collect::<String>()
        );
        assert_eq!(book.first_uncovered(&text), None);
        assert_eq!(book.first_uncovered(&PLACES.concat()), None);
    }
}

//! Turns a 统一社会信用代码 (Unified Social Credit Code) into "valid" or the reason it is not,
//! per GB 32100-2015: 18 characters from a 31-character alphabet, the last one a check
//! character over the first 17. Hand-written because it is a dozen lines and no crate we use
//! knows the standard.

use thiserror::Error;

/// GB 32100-2015 Table 1: digits and capitals without I, O, Z, S, V; the index is the value.
const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// Weight of each of the first 17 positions: 3^i mod 31.
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];
pub const LENGTH: usize = 18;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum UsccError {
    #[error("{found} characters, must be {LENGTH}")]
    Length { found: usize },
    #[error("character '{ch}' at position {position} cannot occur in a USCC")]
    Character { ch: char, position: usize },
    #[error("check character wrong: the valid code ends in {expected}")]
    CheckCharacter { expected: char },
}

impl UsccError {
    /// What the clerk should do about it.
    pub fn hint(&self) -> String {
        match self {
            UsccError::Length { .. } => {
                "copy all 18 characters of the 统一社会信用代码 from the business license".into()
            }
            UsccError::Character { ch, .. } if ch.is_ascii_lowercase() => {
                "write the letters in capitals".into()
            }
            UsccError::Character { .. } => "a USCC uses only the digits 0-9 and the capitals A-Z \
                 without I, O, Z, S and V; compare with the business license"
                .into(),
            UsccError::CheckCharacter { .. } => "a character was probably mistyped or swapped; \
                 compare every character with the business license"
                .into(),
        }
    }
}

fn value_of(ch: char) -> Option<u32> {
    let byte = u8::try_from(ch).ok()?;
    ALPHABET
        .iter()
        .position(|&a| a == byte)
        .and_then(|i| u32::try_from(i).ok())
}

/// The check character that completes the 17-character `body`, or `None` if `body` is not 17
/// characters of the alphabet.
pub fn check_character(body: &str) -> Option<char> {
    if body.chars().count() != WEIGHTS.len() {
        return None;
    }
    let mut sum = 0;
    for (ch, weight) in body.chars().zip(WEIGHTS) {
        sum += value_of(ch)? * weight;
    }
    // 31 - (sum mod 31), where 31 itself is written as 0.
    let code = (31 - sum % 31) % 31;
    ALPHABET.get(code as usize).map(|&b| char::from(b))
}

/// Checks length, alphabet and check character, in that order.
pub fn validate(code: &str) -> Result<(), UsccError> {
    let found = code.chars().count();
    if found != LENGTH {
        return Err(UsccError::Length { found });
    }
    if let Some((i, ch)) = code
        .chars()
        .enumerate()
        .find(|&(_, ch)| value_of(ch).is_none())
    {
        return Err(UsccError::Character {
            ch,
            position: i + 1,
        });
    }
    let (body, last) = code.split_at(LENGTH - 1);
    match check_character(body) {
        Some(expected) if last.starts_with(expected) => Ok(()),
        Some(expected) => Err(UsccError::CheckCharacter { expected }),
        // Unreachable: the body was just checked to be 17 alphabet characters.
        None => Err(UsccError::Length { found }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VALID: [&str; 5] = [
        "91110108MA01C2XM4Y",
        "91440101MA9Y6L2T39",
        "91310115MA1K3Y8H28",
        "91330106MA2H4R7D17",
        "91440300MA5FTQ2K10",
    ];

    #[test]
    fn codes_of_the_test_companies_are_valid() {
        for code in VALID {
            assert_eq!(validate(code), Ok(()), "{code}");
        }
    }

    #[test]
    fn wrong_check_character_names_the_right_one() {
        for code in VALID {
            let (body, last) = code.split_at(17);
            let wrong = if last == "0" { "1" } else { "0" };
            let expected = last.chars().next().unwrap();
            assert_eq!(
                validate(&format!("{body}{wrong}")),
                Err(UsccError::CheckCharacter { expected })
            );
        }
        let err = validate("91110108MA01C2XM4K").unwrap_err();
        assert_eq!(
            err.to_string(),
            "check character wrong: the valid code ends in Y"
        );
    }

    #[test]
    fn a_code_summing_to_a_multiple_of_31_ends_in_zero() {
        // Weighted sum 0 gives 31 - 0 = 31, which the standard writes as '0'.
        assert_eq!(check_character("00000000000000000"), Some('0'));
        // Weighted sum 1 (a '1' in the first position, weight 1) gives 30 → 'Y'.
        assert_eq!(check_character("10000000000000000"), Some('Y'));
    }

    #[test]
    fn length_and_alphabet_errors() {
        assert_eq!(
            validate("91110108MA01C2XM4"),
            Err(UsccError::Length { found: 17 })
        );
        assert_eq!(
            validate("91110108MA01C2XM4").unwrap_err().to_string(),
            "17 characters, must be 18"
        );
        assert_eq!(
            validate("91110108MAO1C2XM4Y"),
            Err(UsccError::Character {
                ch: 'O',
                position: 11
            })
        );
        assert_eq!(
            validate("91110108ma01C2XM4Y"),
            Err(UsccError::Character {
                ch: 'm',
                position: 9
            })
        );
        assert_eq!(
            validate("９1110108MA01C2XM4Y").unwrap_err(),
            UsccError::Character {
                ch: '９',
                position: 1
            }
        );
    }
}

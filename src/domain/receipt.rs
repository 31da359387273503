//! Receipt codes: the storyteller's only key to their story. Shown once, stored only as a hash.

use rand::Rng;
use sha2::{Digest, Sha256};
use std::fmt;

/// Letters only, without look-alikes (I, L, O): easy to read aloud, copy and type on a phone.
const ALPHABET: &[u8; 23] = b"ABCDEFGHJKMNPQRSTUVWXYZ";
/// 20 letters from 23 give 20 × log2(23) ≈ 90 bits of randomness.
const LEN: usize = 20;
const GROUP: usize = 4;

/// A receipt code like `HKPT-WXAM-QRZB-CDEF-GHJN`.
#[derive(Clone, PartialEq, Eq)]
pub struct ReceiptCode(String);

/// Why a typed code is not a receipt code; the page says how to fix it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReceiptCodeError {
    Empty,
    WrongLength(usize),
    WrongCharacter(char),
}

impl ReceiptCode {
    pub fn generate() -> ReceiptCode {
        let mut rng = rand::rng();
        let letters: String =
            (0..LEN).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect();
        ReceiptCode(letters)
    }

    /// Accepts what people type: lower case, spaces, dashes; and the look-alikes we left out
    /// are mapped to what the teller most likely saw (O→Q is wrong more often than not, so O,
    /// I, L, 0 and 1 are refused with a message instead of guessed).
    pub fn parse(input: &str) -> Result<ReceiptCode, ReceiptCodeError> {
        let letters: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-' && *c != '–')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        if letters.is_empty() {
            return Err(ReceiptCodeError::Empty);
        }
        if let Some(bad) = letters.chars().find(|c| !ALPHABET.contains(&(*c as u8)) || !c.is_ascii()) {
            return Err(ReceiptCodeError::WrongCharacter(bad));
        }
        if letters.chars().count() != LEN {
            return Err(ReceiptCodeError::WrongLength(letters.chars().count()));
        }
        Ok(ReceiptCode(letters))
    }

    /// SHA-256 of the letters. A fast hash is enough: with 90 random bits there is nothing to
    /// guess, unlike a password.
    pub fn hash(&self) -> String {
        hex::encode(Sha256::digest(self.0.as_bytes()))
    }

    /// Grouped for display: `ABCD-EFGH-...`.
    pub fn display(&self) -> String {
        self.0
            .as_bytes()
            .chunks(GROUP)
            .map(|c| std::str::from_utf8(c).unwrap_or_default())
            .collect::<Vec<_>>()
            .join("-")
    }
}

impl fmt::Display for ReceiptCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

impl fmt::Debug for ReceiptCode {
    // Never print a receipt code into a log by accident.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ReceiptCode(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_has_at_least_80_bits_and_no_look_alikes() {
        let bits = LEN as f64 * (ALPHABET.len() as f64).log2();
        assert!(bits >= 80.0, "{bits}");
        for c in ["I", "L", "O", "0", "1"] {
            assert!(!ALPHABET.contains(&c.as_bytes()[0]));
        }
        let code = ReceiptCode::generate();
        assert_eq!(code.display().len(), 24);
        assert_ne!(code, ReceiptCode::generate());
    }

    #[test]
    fn typed_code_is_forgiving_about_case_spaces_and_dashes() {
        let code = ReceiptCode::generate();
        let typed = code.display().to_lowercase().replace('-', " ");
        let parsed = ReceiptCode::parse(&format!("  {typed} ")).unwrap();
        assert_eq!(parsed.hash(), code.hash());
    }

    #[test]
    fn wrong_codes_say_what_is_wrong() {
        assert_eq!(ReceiptCode::parse(" - "), Err(ReceiptCodeError::Empty));
        assert_eq!(ReceiptCode::parse("ABCD"), Err(ReceiptCodeError::WrongLength(4)));
        assert_eq!(
            ReceiptCode::parse("ABCD-EFGH-0000-AAAA-BBBB"),
            Err(ReceiptCodeError::WrongCharacter('0'))
        );
    }

    #[test]
    fn debug_output_hides_the_code() {
        assert_eq!(format!("{:?}", ReceiptCode::generate()), "ReceiptCode(…)");
    }
}

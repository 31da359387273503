//! Passwords: argon2id with at least the OWASP parameters, and a length-plus-strength policy
//! (no composition rules) using the zxcvbn estimator.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};

pub const MIN_CHARS: usize = 12;
/// Long passphrases are welcome; the cap only bounds hashing work per request.
pub const MAX_CHARS: usize = 1024;

/// OWASP (2023) minimum for argon2id: 19 MiB memory, 2 iterations, 1 lane.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password into a PHC string. CPU-heavy (tens of milliseconds): call it off the
/// async runtime (`tokio::task::spawn_blocking`).
pub fn hash(password: &str) -> anyhow::Result<String> {
    Ok(argon2()
        .hash_password(password.as_bytes())
        .map_err(|e| anyhow::anyhow!("hashing failed: {e}"))?
        .to_string())
}

/// Checks a password against a stored hash; any malformed hash counts as a mismatch.
pub fn verify(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(parsed) => argon2().verify_password(password.as_bytes(), &parsed).is_ok(),
        Err(_) => false,
    }
}

/// A hash to verify against when the account does not exist, so a wrong e-mail address takes
/// as long as a wrong password and timing does not reveal which accounts exist.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| hash("not-a-real-password-for-timing").unwrap_or_default());
    &DUMMY
}

/// Words zxcvbn should know besides its own English lists: our weak-word list and the names of
/// every municipality and youth-care region ("Amsterdam2025!").
fn known_words() -> &'static [String] {
    static WORDS: std::sync::LazyLock<Vec<String>> = std::sync::LazyLock::new(|| {
        let mut words: Vec<String> = include_str!("weak_words.txt")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .map(str::to_string)
            .collect();
        let places = crate::domain::region::municipalities().iter().chain(crate::domain::region::regions());
        for place in places {
            let name = place.name.to_lowercase();
            // "Súdwest-Fryslân", "Bergen (NH.)": the whole name and each of its words.
            words.extend(
                name.split(|c: char| !c.is_alphanumeric()).filter(|w| w.len() >= 4).map(str::to_string),
            );
            words.push(name.chars().filter(|c| c.is_alphanumeric()).collect());
        }
        words.sort();
        words.dedup();
        words
    });
    &WORDS
}

/// Whether the letters of the password are a single known word ("Welkom2024!!",
/// "Feyenoord1908!"): zxcvbn scores the digits and symbols around it as random, which puts such
/// passwords just over its threshold although they are among the first anyone tries.
fn is_one_word_dressed_up(password: &str, inputs: &[&str]) -> bool {
    let letters: String =
        password.chars().filter(|c| c.is_alphabetic()).flat_map(char::to_lowercase).collect();
    if letters.is_empty() || letters.chars().count() == password.chars().count() {
        return false;
    }
    let estimate = zxcvbn::zxcvbn(&letters, inputs);
    matches!(estimate.sequence(), [one] if matches!(one.pattern, zxcvbn::matching::patterns::MatchPattern::Dictionary(_)))
}

/// Checks the password policy: length, and not guessable (zxcvbn score ≥ 3, taking the user's
/// own e-mail and name, Dutch words and place names into account). Returns a message that says
/// how to do better.
pub fn check_policy(password: &str, user_inputs: &[&str]) -> Result<(), String> {
    let len = password.chars().count();
    if len < MIN_CHARS {
        return Err(format!(
            "Het wachtwoord is te kort ({len} tekens). Gebruik minstens {MIN_CHARS} tekens; een zin van een paar woorden werkt goed."
        ));
    }
    if len > MAX_CHARS {
        return Err(format!("Het wachtwoord is te lang. Gebruik hooguit {MAX_CHARS} tekens."));
    }
    let mut inputs: Vec<&str> = user_inputs.to_vec();
    inputs.extend(known_words().iter().map(String::as_str));
    if is_one_word_dressed_up(password, &inputs) {
        return Err(
            "Dit wachtwoord is te makkelijk te raden: het is één gewoon woord met cijfers of tekens eromheen, en zulke wachtwoorden worden als eerste geprobeerd. Kies liever een paar losse woorden die niet bij elkaar horen."
                .into(),
        );
    }
    let estimate = zxcvbn::zxcvbn(password, &inputs);
    if (estimate.score() as u8) < 3 {
        let hint = estimate
            .feedback()
            .and_then(|f| f.warning().map(|w| w.to_string()))
            .map(|w| format!(" ({w})"))
            .unwrap_or_default();
        return Err(format!(
            "Dit wachtwoord is te makkelijk te raden{hint}. Kies iets langers of ongewoners, bijvoorbeeld een paar losse woorden die niet bij elkaar horen."
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_argon2id_with_owasp_parameters_and_verifies() {
        let h = hash("paard batterij nietje correct").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify("paard batterij nietje correct", &h));
        assert!(!verify("paard batterij nietje", &h));
        assert!(!verify("x", "not a hash"));
    }

    #[test]
    fn policy_wants_length_and_strength_but_no_composition_rules() {
        assert!(check_policy("kort", &[]).unwrap_err().contains("te kort"));
        assert!(check_policy("wachtwoord123", &[]).unwrap_err().contains("te makkelijk"));
        assert!(check_policy("anna@example.nl2024", &["anna@example.nl"]).is_err());
        // Only lowercase letters and spaces, but long and unusual: fine.
        assert!(check_policy("fiets lantaarn wolkje trompet", &[]).is_ok());
        assert!(check_policy(&"a".repeat(2000), &[]).unwrap_err().contains("te lang"));
        assert!(check_policy("correct paard batterij nietje", &[]).is_ok());
        let long_ok = "mijn oma bakte elke zondag appeltaart met rozijnen en kaneel, \
                       en opa las ondertussen hardop de krant voor aan de kanarie in de keuken";
        assert!(long_ok.chars().count() >= 128);
        assert!(check_policy(long_ok, &[]).is_ok());
    }

    #[test]
    fn dutch_words_place_names_and_our_own_words_with_a_year_are_refused() {
        for weak in [
            "Welkom2024!!",
            "Luister2024!",
            "Stuurgroep2025",
            "Feyenoord1908!",
            "Amsterdam2025!",
            "Wachtwoord123!",
        ] {
            assert!(check_policy(weak, &[]).is_err(), "{weak} was accepted");
        }
    }
}

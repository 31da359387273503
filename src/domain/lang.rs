//! The languages a form is offered in, and text that exists in each of them.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A language the interface and a form can be shown in. Stories themselves may be in any
/// language; this is about the words we show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Nl,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Nl, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }

    /// Picks the language from a `?lang=` value, falling back to Dutch.
    pub fn from_param(value: Option<&str>) -> Lang {
        value.and_then(|v| v.parse().ok()).unwrap_or_default()
    }
}

impl FromStr for Lang {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "nl" => Ok(Lang::Nl),
            "en" => Ok(Lang::En),
            _ => Err(()),
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A text in Dutch and English. A missing translation falls back to the other language, so a
/// form never shows an empty label.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Localized {
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub nl: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub en: String,
}

impl Localized {
    pub fn new(nl: impl Into<String>, en: impl Into<String>) -> Self {
        Localized { nl: nl.into(), en: en.into() }
    }

    pub fn get(&self, lang: Lang) -> &str {
        let (first, second) = match lang {
            Lang::Nl => (&self.nl, &self.en),
            Lang::En => (&self.en, &self.nl),
        };
        if first.trim().is_empty() { second } else { first }
    }

    pub fn has(&self, lang: Lang) -> bool {
        match lang {
            Lang::Nl => !self.nl.trim().is_empty(),
            Lang::En => !self.en.trim().is_empty(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.nl.trim().is_empty() && self.en.trim().is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_translation_falls_back_to_the_other_language() {
        let t = Localized::new("hallo", "");
        assert_eq!(t.get(Lang::En), "hallo");
        assert_eq!(t.get(Lang::Nl), "hallo");
        let t = Localized::new("hallo", "hello");
        assert_eq!(t.get(Lang::En), "hello");
    }

    #[test]
    fn unknown_language_parameter_means_dutch() {
        assert_eq!(Lang::from_param(Some("EN")), Lang::En);
        assert_eq!(Lang::from_param(Some("de")), Lang::Nl);
        assert_eq!(Lang::from_param(None), Lang::Nl);
    }
}

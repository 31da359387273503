//! The 42 youth-care regions and the municipalities of 2025 (CBS), compiled in so that a form
//! can offer them with nothing to download or configure. Source and licence: `data/README.md`.

use std::sync::LazyLock;

/// A place a story can be about: a youth-care region (`JZ01`) or a municipality (`GM0518`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Place {
    pub code: String,
    pub name: String,
}

fn parse_csv(text: &str) -> Vec<Place> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut places: Vec<Place> = reader
        .records()
        .filter_map(Result::ok)
        .filter(|r| r.get(5).is_none_or(|end| end.trim().is_empty()))
        .filter_map(|r| Some(Place { code: r.get(0)?.to_string(), name: r.get(1)?.to_string() }))
        .collect();
    places.sort_by_key(|p| collation_key(&p.name));
    places
}

/// Sort names as people expect: ignore the leading apostrophe of 's-Gravenhage and case.
fn collation_key(name: &str) -> String {
    name.trim_start_matches('\'').to_lowercase()
}

static REGIONS: LazyLock<Vec<Place>> =
    LazyLock::new(|| parse_csv(include_str!("data/jeugdregios_2025_cbs.csv")));
static MUNICIPALITIES: LazyLock<Vec<Place>> =
    LazyLock::new(|| parse_csv(include_str!("data/gemeenten_2025_cbs_nlextract.csv")));

/// The youth-care regions, sorted by name.
pub fn regions() -> &'static [Place] {
    &REGIONS
}

/// The municipalities, sorted by name.
pub fn municipalities() -> &'static [Place] {
    &MUNICIPALITIES
}

pub fn region(code: &str) -> Option<&'static Place> {
    REGIONS.iter().find(|p| p.code == code)
}

pub fn municipality(code: &str) -> Option<&'static Place> {
    MUNICIPALITIES.iter().find(|p| p.code == code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_are_42_regions_without_jz40() {
        assert_eq!(regions().len(), 42);
        assert!(region("JZ40").is_none());
        assert_eq!(region("JZ01").unwrap().name, "Groningen");
    }

    #[test]
    fn municipalities_are_the_342_of_2025_sorted_by_name() {
        assert_eq!(municipalities().len(), 342);
        assert_eq!(municipality("GM0518").unwrap().name, "'s-Gravenhage");
        assert_eq!(municipalities()[0].name, "Aa en Hunze");
    }
}

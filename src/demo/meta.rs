//! Who tells a demo story, where and when: perspective, ages, youth-care region and timestamp.
//!
//! The distributions are rough but deliberately uneven (big regions send more stories, evenings
//! and weekdays are busier) so that dashboards and filters have something realistic to show.

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use time::format_description::well_known::Rfc3339;
use time::{Date, OffsetDateTime, Time};

/// The storyteller's role, the axis every perspective map compares on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Persp {
    Youth,
    Parent,
    Professional,
    Other,
}

impl Persp {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Persp::Youth => "youth",
            Persp::Parent => "parent",
            Persp::Professional => "professional",
            Persp::Other => "other",
        }
    }

    /// Bit used in the phrase tables' perspective masks.
    pub(crate) fn mask(self) -> u8 {
        match self {
            Persp::Youth => super::phrases::Y,
            Persp::Parent => super::phrases::P,
            Persp::Professional => super::phrases::R,
            Persp::Other => super::phrases::O,
        }
    }
}

/// Role of an `other` storyteller; decides how they refer to the child ("kleinzoon", ...).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OtherRole {
    Grandparent,
    Foster,
    AuntUncle,
}

/// Picks an index from integer weights.
pub(crate) fn weighted(rng: &mut ChaCha8Rng, weights: &[u32]) -> usize {
    let total: u32 = weights.iter().sum();
    let mut x = rng.random_range(0..total);
    for (i, &w) in weights.iter().enumerate() {
        if x < w {
            return i;
        }
        x -= w;
    }
    weights.len() - 1
}

pub(crate) fn perspective(rng: &mut ChaCha8Rng) -> Persp {
    match weighted(rng, &[50, 25, 22, 3]) {
        0 => Persp::Youth,
        1 => Persp::Parent,
        2 => Persp::Professional,
        _ => Persp::Other,
    }
}

/// Age of a young person (storyteller or client), conditioned on the theme so that a story
/// about turning 18 is not told by a 13-year-old.
pub(crate) fn youth_age(rng: &mut ChaCha8Rng, theme: usize) -> u8 {
    // Weights for ages 10..=25.
    const DEFAULT: [u32; 16] = [1, 2, 4, 6, 8, 9, 9, 9, 8, 6, 5, 4, 3, 1, 1, 1];
    const SCHOOL: [u32; 16] = [0, 2, 6, 9, 10, 10, 9, 8, 6, 4, 3, 1, 0, 0, 0, 0];
    const WONEN: [u32; 16] = [0, 0, 0, 0, 0, 0, 0, 2, 10, 10, 8, 7, 5, 2, 1, 1];
    const GESLOTEN: [u32; 16] = [0, 0, 2, 5, 8, 10, 10, 9, 5, 3, 2, 1, 1, 0, 0, 0];
    const GELD: [u32; 16] = [0, 0, 0, 0, 0, 3, 4, 5, 8, 8, 7, 5, 4, 2, 1, 1];
    let w = match theme {
        2 => &SCHOOL,
        3 => &WONEN,
        4 => &GESLOTEN,
        7 => &GELD,
        _ => &DEFAULT,
    };
    10 + weighted(rng, w) as u8
}

/// Age of the child a parent or other adult talks about.
pub(crate) fn child_age(rng: &mut ChaCha8Rng, theme: usize) -> u8 {
    match theme {
        3 => rng.random_range(16..=19),
        4 => rng.random_range(13..=17),
        5 => rng.random_range(5..=16),
        _ => rng.random_range(5..=17),
    }
}

pub(crate) fn parent_age(rng: &mut ChaCha8Rng, child_age: u8) -> u8 {
    child_age + rng.random_range(22..=42)
}

pub(crate) fn other_role(rng: &mut ChaCha8Rng) -> OtherRole {
    match weighted(rng, &[55, 25, 20]) {
        0 => OtherRole::Grandparent,
        1 => OtherRole::Foster,
        _ => OtherRole::AuntUncle,
    }
}

pub(crate) fn other_age(rng: &mut ChaCha8Rng, role: OtherRole, child_age: u8) -> u8 {
    match role {
        OtherRole::Grandparent => (child_age + rng.random_range(44..=62)).max(50),
        OtherRole::Foster => child_age + rng.random_range(24..=45),
        OtherRole::AuntUncle => child_age + rng.random_range(14..=34),
    }
}

pub(crate) fn professional_age(rng: &mut ChaCha8Rng) -> u8 {
    match weighted(rng, &[25, 55, 20]) {
        0 => rng.random_range(23..=29),
        1 => rng.random_range(30..=49),
        _ => rng.random_range(50..=64),
    }
}

/// Maps an age to the campaign's age-band option ids.
pub(crate) fn age_band(age: u8) -> &'static str {
    match age {
        0..=11 => "u12",
        12..=15 => "12-15",
        16..=17 => "16-17",
        18..=22 => "18-22",
        23..=29 => "23-29",
        30..=49 => "30-49",
        _ => "50+",
    }
}

/// The 42 youth-care regions of 2025 with a rough population in thousands (an approximation,
/// only used to make the demo distribution uneven) and a few places to mention in the text.
pub(crate) const REGIONS: [(&str, u32, &[&str]); 42] = [
    ("JZ01", 590, &["Groningen", "Veendam", "Stadskanaal", "Hoogezand"]),
    ("JZ02", 655, &["Leeuwarden", "Sneek", "Heerenveen", "Drachten"]),
    ("JZ03", 190, &["Den Helder", "Schagen", "Texel"]),
    ("JZ04", 500, &["Assen", "Emmen", "Hoogeveen", "Meppel"]),
    ("JZ05", 215, &["Hoorn", "Enkhuizen", "Medemblik"]),
    ("JZ06", 305, &["Alkmaar", "Heerhugowaard", "Bergen"]),
    ("JZ07", 540, &["Zwolle", "Deventer", "Kampen", "Raalte"]),
    ("JZ08", 440, &["Almere", "Lelystad", "Dronten", "Emmeloord"]),
    ("JZ09", 340, &["Zaandam", "Purmerend", "Edam"]),
    ("JZ10", 170, &["Beverwijk", "Velsen", "Heemskerk"]),
    ("JZ11", 330, &["Haarlem", "Zandvoort", "Heemstede"]),
    ("JZ12", 190, &["Harderwijk", "Ermelo", "Nunspeet", "Elburg"]),
    ("JZ13", 1050, &["Amsterdam", "Amstelveen", "Amsterdam-Noord", "Amsterdam Zuidoost", "Diemen"]),
    ("JZ14", 635, &["Enschede", "Hengelo", "Almelo", "Oldenzaal"]),
    ("JZ15", 160, &["Hoofddorp", "Nieuw-Vennep", "Badhoevedorp"]),
    ("JZ16", 255, &["Hilversum", "Huizen", "Bussum", "Weesp"]),
    ("JZ17", 370, &["Apeldoorn", "Zutphen", "Epe", "Lochem"]),
    ("JZ18", 580, &["Leiden", "Alphen aan den Rijn", "Katwijk", "Noordwijk"]),
    ("JZ19", 270, &["Woerden", "Maarssen", "Mijdrecht", "Oudewater"]),
    ("JZ20", 320, &["Amersfoort", "Soest", "Baarn"]),
    ("JZ21", 370, &["Ede", "Veenendaal", "Barneveld", "Wageningen"]),
    ("JZ22", 370, &["Utrecht", "Overvecht", "Kanaleneiland", "Leidsche Rijn"]),
    ("JZ23", 280, &["Zeist", "De Bilt", "Doorn", "Wijk bij Duurstede"]),
    ("JZ24", 1150, &["Den Haag", "Delft", "Zoetermeer", "Rijswijk", "het Westland"]),
    ("JZ25", 300, &["Doetinchem", "Winterswijk", "Groenlo"]),
    ("JZ26", 230, &["Nieuwegein", "Houten", "IJsselstein", "Vianen"]),
    ("JZ27", 260, &["Gouda", "Waddinxveen", "Bodegraven"]),
    ("JZ28", 690, &["Arnhem", "Zevenaar", "Duiven", "Renkum"]),
    ("JZ29", 1300, &["Rotterdam", "Schiedam", "Vlaardingen", "Spijkenisse", "Capelle aan den IJssel"]),
    ("JZ30", 250, &["Tiel", "Culemborg", "Zaltbommel"]),
    ("JZ31", 450, &["Dordrecht", "Gorinchem", "Zwijndrecht", "Papendrecht"]),
    ("JZ32", 400, &["Nijmegen", "Wijchen", "Beuningen"]),
    ("JZ33", 660, &["Den Bosch", "Oss", "Uden", "Veghel"]),
    ("JZ34", 390, &["Breda", "Oosterhout", "Etten-Leur"]),
    ("JZ35", 470, &["Tilburg", "Waalwijk", "Dongen"]),
    ("JZ36", 300, &["Roosendaal", "Bergen op Zoom", "Steenbergen"]),
    ("JZ37", 290, &["Venlo", "Venray", "Horst"]),
    ("JZ38", 390, &["Middelburg", "Vlissingen", "Goes", "Terneuzen"]),
    ("JZ39", 790, &["Eindhoven", "Helmond", "Veldhoven"]),
    ("JZ41", 600, &["Maastricht", "Heerlen", "Sittard", "Kerkrade"]),
    ("JZ42", 150, &["Roermond", "Echt", "Maasbracht"]),
    ("JZ43", 90, &["Weert", "Nederweert", "Heythuysen"]),
];

/// A region index (into `REGIONS`), weighted by population.
pub(crate) fn region(rng: &mut ChaCha8Rng) -> usize {
    let total: u32 = REGIONS.iter().map(|r| r.1).sum();
    let mut x = rng.random_range(0..total);
    for (i, r) in REGIONS.iter().enumerate() {
        if x < r.1 {
            return i;
        }
        x -= r.1;
    }
    REGIONS.len() - 1
}

/// First and last day stories are dated (inclusive): 2025-01-06 .. 2026-10-31.
const FIRST_DAY_JULIAN: i32 = 2_460_682; // 2025-01-06
const DAYS: i32 = 664;

/// A creation time: more on weekdays and in the evening, slowly growing over the campaign as
/// more regions join.
pub(crate) fn created_at(rng: &mut ChaCha8Rng) -> String {
    // Hour weights 0..23: quiet nights, a lunch bump, a clear evening peak.
    const HOURS: [u32; 24] =
        [3, 2, 1, 1, 1, 1, 2, 4, 6, 8, 9, 10, 11, 10, 9, 9, 10, 11, 12, 16, 18, 17, 12, 7];
    let day = loop {
        let d = rng.random_range(0..DAYS);
        // 2025-01-06 is a Monday, so d % 7 >= 5 is a weekend day.
        let weekday_w = if d % 7 >= 5 { 0.55 } else { 1.0 };
        let growth = 0.6 + 0.4 * f64::from(d) / f64::from(DAYS);
        if rng.random::<f64>() < weekday_w * growth {
            break d;
        }
    };
    let date = Date::from_julian_day(FIRST_DAY_JULIAN + day).unwrap_or(Date::MIN);
    let hour = weighted(rng, &HOURS) as u8;
    let minute = rng.random_range(0..60u8);
    let second = rng.random_range(0..60u8);
    let t = Time::from_hms(hour, minute, second).unwrap_or(Time::MIDNIGHT);
    OffsetDateTime::new_utc(date, t).format(&Rfc3339).unwrap_or_default()
}

#[cfg(test)]
pub(crate) fn first_and_last_day() -> (Date, Date) {
    (
        Date::from_julian_day(FIRST_DAY_JULIAN).unwrap(),
        Date::from_julian_day(FIRST_DAY_JULIAN + DAYS - 1).unwrap(),
    )
}

#[cfg(test)]
pub(crate) fn expected_bounds() -> (Date, Date) {
    (
        Date::from_calendar_date(2025, time::Month::January, 6).unwrap(),
        Date::from_calendar_date(2026, time::Month::October, 31).unwrap(),
    )
}

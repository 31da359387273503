//! Unit tests for the demo generator: determinism, bounds, distributions and that every id it
//! emits exists in `campaigns/eigen-netwerk.toml`.

use std::collections::{HashMap, HashSet};

use super::generator::{self, Persona, Renderer};
use super::meta::{self, OtherRole, Persp};
use super::phrases::{self, Tpl};
use super::*;

/// Signifier ids and option ids of campaigns/eigen-netwerk.toml, copied by hand on purpose:
/// if the campaign changes, this test must be looked at.
const TRIADS: [&str; 2] = ["wat_hielp", "wat_telde"];
const DYADS: [&str; 2] = ["regie", "steun"];
const GEVOEL: [&str; 6] = ["blij", "opgelucht", "neutraal", "onzeker", "verdrietig", "boos"];
const WIE_HIELP: [&str; 9] =
    ["familie", "vrienden", "school", "buurt", "huisarts", "wijkteam", "jeugdhulp", "online", "niemand"];
const HOE_VAAK: [&str; 4] = ["eenmalig", "soms", "vaak", "altijd"];
const PROMPTS: [&str; 2] = ["zelf-geregeld", "wat-nodig"];
const AGE_BANDS: [&str; 7] = ["u12", "12-15", "16-17", "18-22", "23-29", "30-49", "50+"];

fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

fn sample(n: usize) -> Vec<DemoStory> {
    generate(n, 20_251_106).collect()
}

#[test]
fn same_seed_same_stories_and_prefix_is_stable() {
    let a: Vec<_> = generate(60, 42).collect();
    let b: Vec<_> = generate(60, 42).collect();
    assert_eq!(a, b);
    let prefix: Vec<_> = generate(25, 42).collect();
    assert_eq!(&a[..25], &prefix[..]);
    let other: Vec<_> = generate(60, 43).collect();
    assert_ne!(a, other);
    assert_eq!(a[7].external_id, "demo-42-0000007");
}

#[test]
fn lengths_are_within_bounds_and_skewed() {
    let stories = sample(4000);
    let mut lens: Vec<usize> = stories.iter().map(|s| words(&s.text)).collect();
    for (s, &n) in stories.iter().zip(&lens) {
        assert!((40..=400).contains(&n), "{n} words: {}", s.text);
    }
    lens.sort_unstable();
    let median = lens[lens.len() / 2];
    let mean = lens.iter().sum::<usize>() as f64 / lens.len() as f64;
    assert!((95..=150).contains(&median), "median {median}");
    assert!(mean > median as f64, "right-skewed: mean {mean} median {median}");
}

#[test]
fn perspectives_languages_and_metadata_are_distributed_as_intended() {
    let stories = sample(6000);
    let n = stories.len() as f64;
    let share = |f: &dyn Fn(&DemoStory) -> bool| stories.iter().filter(|s| f(s)).count() as f64 / n;
    let youth = share(&|s| s.perspective == "youth");
    let parent = share(&|s| s.perspective == "parent");
    let prof = share(&|s| s.perspective == "professional");
    let other = share(&|s| s.perspective == "other");
    assert!((0.46..0.54).contains(&youth), "youth {youth}");
    assert!((0.21..0.29).contains(&parent), "parent {parent}");
    assert!((0.18..0.26).contains(&prof), "professional {prof}");
    assert!((0.015..0.05).contains(&other), "other {other}");

    let en = share(&|s| s.language == "en");
    assert!((0.015..0.05).contains(&en), "english {en}");
    assert!(stories.iter().all(|s| s.language == "nl" || s.language == "en"));

    let titled = share(&|s| s.title.is_some());
    assert!((0.35..0.45).contains(&titled), "titles {titled}");
    let no_region = share(&|s| s.region.is_none());
    assert!((0.015..0.05).contains(&no_region), "no region {no_region}");
    let no_age = share(&|s| s.age_band.is_none());
    assert!((0.03..0.07).contains(&no_age), "no age band {no_age}");
    let second = share(&|s| s.true_themes.len() >= 2);
    assert!((0.24..0.34).contains(&second), "second theme {second}");
    let third = share(&|s| s.true_themes.len() >= 3);
    assert!(third > 0.01 && third < 0.08, "third theme {third}");

    let codes: HashSet<&str> = meta::REGIONS.iter().map(|r| r.0).collect();
    assert_eq!(codes.len(), 42);
    assert!(!codes.contains("JZ40"));
    let mut per_region: HashMap<&str, usize> = HashMap::new();
    for s in &stories {
        assert_eq!(s.campaign, "eigen-netwerk");
        assert!(PROMPTS.contains(&s.prompt.as_str()));
        if let Some(r) = &s.region {
            assert!(codes.contains(r.as_str()), "region {r}");
            *per_region.entry(r.as_str()).or_default() += 1;
        }
        if let Some(a) = &s.age_band {
            assert!(AGE_BANDS.contains(&a.as_str()), "age band {a}");
        }
        assert!(s.created_at.ends_with('Z') && s.created_at.len() == 20, "{}", s.created_at);
        let day = &s.created_at[..10];
        assert!(("2025-01-06"..="2026-10-31").contains(&day), "{day}");
    }
    // Uneven: Rijnmond and Haaglanden send far more stories than Midden-Limburg West.
    assert!(per_region["JZ29"] > 4 * per_region.get("JZ43").copied().unwrap_or(0));
}

#[test]
fn date_range_constants_match_the_brief() {
    assert_eq!(meta::first_and_last_day(), meta::expected_bounds());
}

#[test]
fn age_bands_fit_the_perspective() {
    let stories = sample(4000);
    let mut counts: HashMap<(&str, &str), usize> = HashMap::new();
    for s in &stories {
        if let Some(a) = &s.age_band {
            *counts.entry((s.perspective.as_str(), a.as_str())).or_default() += 1;
            match s.perspective.as_str() {
                "parent" => assert!(["23-29", "30-49", "50+"].contains(&a.as_str()), "{a}"),
                "professional" => {
                    assert!(["23-29", "30-49", "50+"].contains(&a.as_str()), "{a}")
                }
                "youth" => assert!(!["30-49", "50+"].contains(&a.as_str()), "{a}"),
                _ => {}
            }
        }
    }
    let youth_core: usize =
        ["12-15", "16-17", "18-22"].iter().map(|b| counts.get(&("youth", *b)).copied().unwrap_or(0)).sum();
    let youth_all: usize = AGE_BANDS.iter().map(|b| counts.get(&("youth", *b)).copied().unwrap_or(0)).sum();
    assert!(youth_core as f64 > 0.85 * youth_all as f64);
}

#[test]
fn themes_are_uneven_and_depend_on_perspective() {
    let stories = sample(8000);
    let mut overall = [0usize; 8];
    let mut by_persp: HashMap<&str, [usize; 8]> = HashMap::new();
    for s in &stories {
        let i = THEMES.iter().position(|t| *t == s.true_themes[0]).expect("primary theme is in THEMES");
        for t in &s.true_themes {
            assert!(THEMES.contains(&t.as_str()));
        }
        let unique: HashSet<_> = s.true_themes.iter().collect();
        assert_eq!(unique.len(), s.true_themes.len());
        overall[i] += 1;
        by_persp.entry(s.perspective.as_str()).or_default()[i] += 1;
    }
    let max = *overall.iter().max().unwrap() as f64;
    let min = *overall.iter().min().unwrap() as f64;
    assert!((2.2..4.0).contains(&(max / min)), "ratio {} {overall:?}", max / min);
    let top = |p: &str| {
        let c = by_persp[p];
        (0..8).max_by_key(|&i| c[i]).map(|i| THEMES[i]).unwrap()
    };
    assert_eq!(top("professional"), "werkdruk");
    assert_eq!(top("parent"), "wachtlijst");
    assert!(["school", "niet_gehoord", "wonen_na_18"].contains(&top("youth")));
}

#[test]
fn answers_use_campaign_ids_and_valid_values() {
    let stories = sample(5000);
    let mut present: HashMap<&str, usize> = HashMap::new();
    for s in &stories {
        assert!(s.answers.contains_key("gevoel"), "gevoel is required");
        for (k, v) in &s.answers {
            *present.entry(k.as_str()).or_default() += 1;
            match k.as_str() {
                k if TRIADS.contains(&k) => {
                    let a = v.as_array().expect("triad is an array");
                    assert_eq!(a.len(), 3);
                    let xs: Vec<f64> = a.iter().map(|x| x.as_f64().unwrap()).collect();
                    assert!(xs.iter().all(|x| (0.0..=1.0).contains(x)), "{xs:?}");
                    assert!(xs.iter().all(|x| ((x * 1000.0).round() - x * 1000.0).abs() < 1e-6));
                    let sum: f64 = xs.iter().sum();
                    assert!((sum - 1.0).abs() < 1e-9, "triad sums to {sum}");
                }
                k if DYADS.contains(&k) => {
                    let x = v.as_f64().expect("dyad is a number");
                    assert!((0.0..=1.0).contains(&x), "{x}");
                }
                "gevoel" => assert!(GEVOEL.contains(&v.as_str().unwrap())),
                "hoe_vaak" => assert!(HOE_VAAK.contains(&v.as_str().unwrap())),
                "wie_hielp" => {
                    let a = v.as_array().expect("multi choice is an array");
                    assert!(!a.is_empty());
                    for x in a {
                        assert!(WIE_HIELP.contains(&x.as_str().unwrap()), "{x}");
                    }
                }
                other => panic!("unknown signifier {other}"),
            }
        }
    }
    // Non-required signifiers are skipped about 8% of the time each.
    for k in TRIADS.iter().chain(&DYADS).chain(&["wie_hielp", "hoe_vaak"]) {
        let rate = 1.0 - present[k] as f64 / stories.len() as f64;
        assert!((0.05..0.11).contains(&rate), "{k} skipped {rate}");
    }
}

fn mean_of(stories: &[DemoStory], theme: &str, f: impl Fn(&DemoStory) -> Option<f64>) -> f64 {
    let xs: Vec<f64> = stories.iter().filter(|s| s.true_themes[0] == theme).filter_map(f).collect();
    xs.iter().sum::<f64>() / xs.len() as f64
}

#[test]
fn answers_correlate_with_theme() {
    let stories = sample(6000);
    let corner =
        |k: &'static str, i: usize| move |s: &DemoStory| s.answers.get(k).map(|v| v[i].as_f64().unwrap());
    let dy = |k: &'static str| move |s: &DemoStory| s.answers.get(k).and_then(|v| v.as_f64());
    assert!(mean_of(&stories, "wachtlijst", corner("wat_telde", 1)) > 0.5);
    assert!(mean_of(&stories, "niet_gehoord", corner("wat_telde", 0)) > 0.5);
    assert!(mean_of(&stories, "informeel_netwerk", corner("wat_hielp", 0)) > 0.5);
    assert!(mean_of(&stories, "wonen_na_18", corner("wat_hielp", 2)) > 0.45);
    assert!(mean_of(&stories, "gesloten_jeugdhulp", dy("regie")) < 0.2);
    assert!(mean_of(&stories, "gesloten_jeugdhulp", dy("steun")) > 0.65);
    assert!(mean_of(&stories, "wonen_na_18", dy("regie")) > 0.55);
    assert!(mean_of(&stories, "wachtlijst", dy("steun")) < 0.3);
    let happy = |s: &DemoStory| {
        Some(f64::from(u8::from(matches!(s.answers["gevoel"].as_str(), Some("blij" | "opgelucht")))))
    };
    assert!(mean_of(&stories, "informeel_netwerk", happy) > 0.5);
    assert!(mean_of(&stories, "wachtlijst", happy) < 0.25);
}

#[test]
fn wie_hielp_mostly_agrees_with_the_text() {
    let stories = sample(3000);
    let mut agree = 0;
    let mut total = 0;
    for s in stories.iter().filter(|s| s.language == "nl") {
        let Some(w) = s.answers.get("wie_hielp") else {
            continue;
        };
        let text = s.text.to_lowercase();
        if w.as_array().unwrap().iter().any(|x| x == "familie") {
            total += 1;
            if [
                "oma", "opa", "moeder", "vader", "tante", "oom", "zus", "broer", "familie", "neef", "nicht",
                "pleeg", "schoon", "zwager",
            ]
            .iter()
            .any(|k| text.contains(k))
            {
                agree += 1;
            }
        }
    }
    assert!(agree as f64 > 0.75 * total as f64, "{agree}/{total}");
}

#[test]
fn rare_content_is_present_but_rare() {
    let stories = sample(20_000);
    let contact = stories.iter().filter(|s| s.text.contains('@') || s.text.contains(" 06")).count() as f64
        / stories.len() as f64;
    assert!((0.005..0.04).contains(&contact), "contact details {contact}");
    let signals = [
        "niet meer leven",
        "niet meer wil leven",
        "slaat mijn moeder",
        "mezelf pijn",
        "eind aan te maken",
        "laat doen die ik niet wil",
        "heeft me vorige maand weer geslagen",
        "bedreigt ons",
        "thuis geslagen",
        "don't want to live",
        "hits my mum",
        "threatening us",
        "being hit at home",
    ];
    let safeguarding =
        stories.iter().filter(|s| signals.iter().any(|k| s.text.to_lowercase().contains(k))).count() as f64
            / stories.len() as f64;
    assert!((0.002..0.01).contains(&safeguarding), "safeguarding {safeguarding}");
}

fn all_banks() -> Vec<(&'static str, &'static [Tpl])> {
    let mut v: Vec<(&'static str, &'static [Tpl])> = (0..8)
        .flat_map(|t| [(THEMES[t], generator::bank(t, false)), (THEMES[t], generator::bank(t, true))])
        .collect();
    v.push(("generic", phrases::GENERIC));
    v.push(("generic_en", phrases_en::GENERIC_EN));
    v.push(("pii", phrases::PII_NL));
    v.push(("pii_en", phrases::PII_EN));
    v.push(("safeguarding", phrases::SAFEGUARDING_NL));
    v.push(("safeguarding_en", phrases::SAFEGUARDING_EN));
    v
}

fn persona(persp: Persp, theme: usize, english: bool) -> Persona {
    Persona {
        persp,
        theme,
        age: 16,
        child_age: 12,
        child_female: true,
        self_female: false,
        other_role: OtherRole::Grandparent,
        region: Some(3),
        english,
    }
}

#[test]
fn every_template_renders_with_known_slots_and_balanced_brackets() {
    let mut rng = story_rng(1, 1);
    for (name, bank) in all_banks() {
        for tpl in bank {
            let (mut sq, mut cu) = (0i32, 0i32);
            for c in tpl.text.chars() {
                match c {
                    '[' => sq += 1,
                    ']' => sq -= 1,
                    '{' => cu += 1,
                    '}' => cu -= 1,
                    _ => {}
                }
                assert!(sq >= 0 && (0..=1).contains(&cu), "{name}: {}", tpl.text);
            }
            assert_eq!((sq, cu), (0, 0), "{name}: {}", tpl.text);
            for persp in [Persp::Youth, Persp::Parent, Persp::Professional, Persp::Other] {
                let p = persona(persp, 2, name.ends_with("_en"));
                let mut r = Renderer::new(&mut rng, &p);
                for _ in 0..8 {
                    let mut s = String::new();
                    r.render(tpl.text, &mut s);
                    assert!(!s.contains(['[', ']', '{', '}', '|']), "{name}: {s}");
                }
                assert_eq!(r.unknown, 0, "{name}: {}", tpl.text);
            }
        }
    }
}

#[test]
fn every_theme_covers_every_perspective_and_tone() {
    use phrases::{E, I, U};
    for t in 0..8 {
        for english in [false, true] {
            let bank = generator::bank(t, english);
            let generic = if english { phrases_en::GENERIC_EN } else { phrases::GENERIC };
            for who in [phrases::Y, phrases::P, phrases::R, phrases::O] {
                for part in [I, E, U] {
                    for tone in [phrases::POS, phrases::NEG, phrases::MIX] {
                        let has = bank
                            .iter()
                            .chain(generic)
                            .any(|x| x.part == part && x.who & who != 0 && x.tone & tone != 0);
                        assert!(has, "theme {t} en={english} who={who} {part:?} tone={tone}");
                    }
                }
                // The theme itself (not just the generic bank) must speak for the main
                // perspectives, or theme discovery has nothing to find.
                if !english && who != phrases::O {
                    let own = bank.iter().filter(|x| x.who & who != 0).count();
                    assert!(own >= 6, "theme {t} who={who}: only {own} own templates");
                }
            }
        }
    }
    let dutch: usize = (0..8).map(|t| generator::bank(t, false).len()).sum();
    assert!(dutch >= 8 * 40, "{dutch} Dutch theme templates");
    assert!(phrases::GENERIC.len() >= 60);
}

#[test]
fn youth_stories_look_informal_and_some_contain_spelling_errors() {
    let stories = sample(3000);
    let youth: Vec<_> = stories.iter().filter(|s| s.perspective == "youth" && s.language == "nl").collect();
    let informal = youth
        .iter()
        .filter(|s| {
            let t = s.text.as_str();
            t.starts_with(char::is_lowercase)
                || [" mn ", " ff ", " gwn ", " echt ", "lol", "haha", " sws "].iter().any(|k| t.contains(k))
        })
        .count();
    assert!(informal as f64 > 0.5 * youth.len() as f64, "{informal}/{}", youth.len());
    let errors = youth
        .iter()
        .filter(|s| {
            [" word ", " vind ", " egt ", " eigelijk ", " mischien ", " hun ", " gebeurd ", " vertelt "]
                .iter()
                .any(|k| s.text.contains(k))
        })
        .count();
    assert!(errors > 0);
}

/// Hand check, not a test: `cargo test --release -- --ignored --nocapture print_samples`.
#[test]
#[ignore]
fn print_samples() {
    let seed: u64 = std::env::var("DEMO_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(7);
    for s in generate(10, seed) {
        println!(
            "--- {} | {} | {:?} | {:?} | {} | {:?}\n{}\n{}\n",
            s.external_id,
            s.perspective,
            s.age_band,
            s.region,
            s.prompt,
            s.true_themes,
            s.title.as_deref().unwrap_or("(geen titel)"),
            s.text
        );
        println!("{}", serde_json::to_string(&s.answers).unwrap());
    }
}

/// Hand check: distinct sentences and generation speed over 5,000 / 100,000 stories, and an
/// optional JSON Lines dump (`DEMO_DUMP=/tmp/x.jsonl`) for the theme-discovery experiment.
#[test]
#[ignore]
fn diversity_and_speed() {
    let stories: Vec<_> = generate(5000, 11).collect();
    let mut total = 0usize;
    let mut distinct: HashSet<String> = HashSet::new();
    let mut counts: HashMap<String, usize> = HashMap::new();
    for s in &stories {
        for sent in s.text.split(['.', '!', '?', '\n']) {
            let k = sent.trim().to_lowercase();
            if k.split_whitespace().count() < 4 {
                continue;
            }
            total += 1;
            *counts.entry(k.clone()).or_default() += 1;
            distinct.insert(k);
        }
    }
    let mut top: Vec<_> = counts.into_iter().collect();
    top.sort_by_key(|e| std::cmp::Reverse(e.1));
    println!(
        "{} sentences, {} distinct ({:.1}%)",
        total,
        distinct.len(),
        100.0 * distinct.len() as f64 / total as f64
    );
    for (s, c) in top.iter().take(15) {
        println!("{c:5}  {s}");
    }
    let mut lens: Vec<usize> = stories.iter().map(|s| words(&s.text)).collect();
    lens.sort_unstable();
    println!(
        "words: p5 {} p25 {} median {} p75 {} p95 {} max {}",
        lens[lens.len() / 20],
        lens[lens.len() / 4],
        lens[lens.len() / 2],
        lens[3 * lens.len() / 4],
        lens[19 * lens.len() / 20],
        lens[lens.len() - 1]
    );
    let start = std::time::Instant::now();
    let n = 100_000;
    let bytes: usize = generate(n, 3).map(|s| s.text.len()).sum();
    let secs = start.elapsed().as_secs_f64();
    println!("{n} stories in {secs:.2}s = {:.0} stories/s ({bytes} bytes of text)", n as f64 / secs);
    if let Ok(path) = std::env::var("DEMO_DUMP") {
        use std::io::Write;
        let n = std::env::var("DEMO_DUMP_N").ok().and_then(|s| s.parse().ok()).unwrap_or(5000);
        let seed = std::env::var("DEMO_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(99);
        let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
        for s in generate(n, seed) {
            writeln!(f, "{}", serde_json::to_string(&s).unwrap()).unwrap();
        }
    }
}

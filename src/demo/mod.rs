//! Deterministic generator of realistic demo stories for the `eigen-netwerk` campaign: feeds the
//! demo mode, the search benchmarks (up to a million stories) and the theme-discovery tests.
//!
//! Every story is built from its own ChaCha RNG seeded from `(seed, index)`, so any prefix of
//! the stream is stable and stories can be generated in parallel or on demand.

mod answers;
mod generator;
mod meta;
mod noise;
mod phrases;
mod phrases_en;
mod phrases_nl1;
mod phrases_nl2;
mod voice;

use std::collections::BTreeMap;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, LogNormal};

use generator::{Persona, Plan, Renderer, Tone};
use meta::Persp;
use noise::Style;

/// One generated story, shaped like an imported story plus the themes it was written about.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize, PartialEq)]
pub struct DemoStory {
    /// Campaign slug, always `"eigen-netwerk"`.
    pub campaign: String,
    /// Stable id `demo-{seed}-{index:07}`.
    pub external_id: String,
    /// Short title (about 40% of stories).
    pub title: Option<String>,
    /// Story text, 40–400 words, as the storyteller typed it (names and numbers included).
    pub text: String,
    /// `"nl"` (about 97%) or `"en"`.
    pub language: String,
    /// `youth`, `parent`, `professional` or `other`.
    pub perspective: String,
    /// Age-band option id, consistent with the perspective; `None` for about 5%.
    pub age_band: Option<String>,
    /// Youth-care region code `JZ01`..`JZ43`; `None` for about 3%.
    pub region: Option<String>,
    /// Prompt id: `zelf-geregeld` or `wat-nodig`.
    pub prompt: String,
    /// RFC 3339 UTC timestamp between 2025-01-06 and 2026-10-31.
    pub created_at: String,
    /// Signifier answers keyed by signifier id; skipped signifiers are absent.
    pub answers: BTreeMap<String, serde_json::Value>,
    /// Themes the story was written about; the first is the primary theme.
    pub true_themes: Vec<String>,
}

/// The demo codebook; `DemoStory::true_themes` holds these names.
pub const THEMES: [&str; 8] = [
    "wachtlijst",
    "niet_gehoord",
    "school",
    "wonen_na_18",
    "gesloten_jeugdhulp",
    "informeel_netwerk",
    "werkdruk",
    "geldzorgen",
];

/// How the demo campaign's codebook names each of `THEMES`.
pub fn theme_name(key: &str) -> &str {
    match key {
        "wachtlijst" => "Wachtlijsten",
        "niet_gehoord" => "Niet gehoord",
        "school" => "School en onderwijs",
        "wonen_na_18" => "Wonen na je 18e",
        "gesloten_jeugdhulp" => "Gesloten jeugdhulp",
        "informeel_netwerk" => "Informeel netwerk",
        "werkdruk" => "Werkdruk",
        "geldzorgen" => "Geldzorgen",
        other => other,
    }
}

/// Streams `n` stories for `seed`; the same (n, seed) always yields the same stories, and the
/// first m stories of generate(n, s) equal generate(m, s) (index-based seeding: each story from
/// its own ChaCha RNG seeded from (seed, index)).
pub fn generate(n: usize, seed: u64) -> impl Iterator<Item = DemoStory> {
    (0..n as u64).map(move |i| story(seed, i))
}

// Theme weights per perspective (THEMES order). Youth talk about school, being heard, turning
// 18, closed care and their network; parents about waiting and money; professionals about
// workload. Overall the largest theme is about three times the smallest.
const THEME_WEIGHTS: [[u32; 8]; 4] = [
    [7, 18, 22, 18, 14, 16, 1, 3],
    [26, 16, 16, 5, 3, 10, 4, 14],
    [18, 6, 5, 14, 15, 8, 32, 2],
    [15, 10, 15, 5, 2, 40, 3, 10],
];

// Which other themes tend to come up alongside a primary theme.
const AFFINITY: [&[usize]; 8] = [
    &[6, 7, 1, 2],
    &[4, 2, 6, 0],
    &[1, 0, 5],
    &[7, 0, 5, 1],
    &[1, 6, 5],
    &[2, 7, 3, 0],
    &[0, 4, 1],
    &[3, 0, 5],
];

// Tone weights per theme: positive, negative, mixed.
const TONE_WEIGHTS: [[u32; 3]; 8] = [
    [15, 60, 25],
    [15, 60, 25],
    [35, 35, 30],
    [30, 40, 30],
    [15, 55, 30],
    [60, 15, 25],
    [10, 60, 30],
    [25, 50, 25],
];

fn persp_index(p: Persp) -> usize {
    match p {
        Persp::Youth => 0,
        Persp::Parent => 1,
        Persp::Professional => 2,
        Persp::Other => 3,
    }
}

fn story_rng(seed: u64, index: u64) -> ChaCha8Rng {
    let mut key = [0u8; 32];
    key[..8].copy_from_slice(&seed.to_le_bytes());
    key[8..16].copy_from_slice(&index.to_le_bytes());
    // A fixed tag keeps these streams apart from any other use of ChaCha with the same seed.
    key[16..24].copy_from_slice(b"luister!");
    ChaCha8Rng::from_seed(key)
}

fn pick_themes(rng: &mut ChaCha8Rng, persp: Persp) -> Vec<usize> {
    let w = &THEME_WEIGHTS[persp_index(persp)];
    let primary = meta::weighted(rng, w);
    let mut themes = vec![primary];
    let extra = if rng.random_bool(0.30) { if rng.random_bool(0.12) { 2 } else { 1 } } else { 0 };
    for _ in 0..extra {
        let next = if rng.random_bool(0.6) {
            let a = AFFINITY[primary];
            a[rng.random_range(0..a.len())]
        } else {
            meta::weighted(rng, w)
        };
        if !themes.contains(&next) {
            themes.push(next);
        }
    }
    themes
}

fn story(seed: u64, index: u64) -> DemoStory {
    let mut rng = story_rng(seed, index);
    let persp = meta::perspective(&mut rng);
    let themes = pick_themes(&mut rng, persp);
    let theme = themes[0];
    let english = rng.random_bool(0.03);
    let tone = match meta::weighted(&mut rng, &TONE_WEIGHTS[theme]) {
        0 => Tone::Pos,
        1 => Tone::Neg,
        _ => Tone::Mix,
    };

    let other_role = meta::other_role(&mut rng);
    let (age, child_age) = match persp {
        Persp::Youth => (meta::youth_age(&mut rng, theme), 0),
        Persp::Parent => {
            let c = meta::child_age(&mut rng, theme);
            (meta::parent_age(&mut rng, c), c)
        }
        Persp::Other => {
            let c = meta::child_age(&mut rng, theme);
            (meta::other_age(&mut rng, other_role, c), c)
        }
        Persp::Professional => (meta::professional_age(&mut rng), meta::youth_age(&mut rng, theme)),
    };
    let self_female = rng.random_bool(match persp {
        Persp::Parent => 0.78,
        Persp::Professional => 0.75,
        _ => 0.55,
    });
    let region = if rng.random_bool(0.03) { None } else { Some(meta::region(&mut rng)) };
    let persona = Persona {
        persp,
        theme,
        age,
        child_age,
        child_female: rng.random_bool(0.5),
        self_female,
        other_role,
        region,
        english,
    };

    let wat_nodig = rng.random_bool(0.45);
    let length_factor = match persp {
        Persp::Youth => 0.9,
        Persp::Parent => 1.1,
        Persp::Professional => 1.15,
        Persp::Other => 1.0,
    };
    let raw: f64 = LogNormal::new(108f64.ln(), 0.5).map(|d| d.sample(&mut rng)).unwrap_or(108.0);
    let target_words = ((raw * length_factor) as usize).clamp(generator::MIN_WORDS, generator::MAX_WORDS);
    let plan = Plan {
        themes: &themes,
        tone,
        target_words,
        wants_need: rng.random_bool(if wat_nodig { 0.85 } else { 0.4 }),
        pii: rng.random_bool(0.05),
        safeguarding: rng.random_bool(0.005),
    };

    let (draft, title, actors) = {
        let mut r = Renderer::new(&mut rng, &persona);
        let draft = generator::compose(&mut r, &plan);
        let title = generator::title(&mut r, theme);
        (draft, title, r.actors)
    };
    let text = write_text(&mut rng, &persona, tone, draft);

    let answers = answers::answers(&mut rng, &persona, tone, actors);
    let age_band = if rng.random_bool(0.05) { None } else { Some(meta::age_band(age).to_string()) };

    DemoStory {
        campaign: "eigen-netwerk".to_string(),
        external_id: format!("demo-{seed}-{index:07}"),
        title: title.map(|mut t| {
            if persp != Persp::Youth {
                generator::capitalize(&mut t);
            }
            t
        }),
        text,
        language: if english { "en" } else { "nl" }.to_string(),
        perspective: persp.as_str().to_string(),
        age_band,
        region: region.map(|r| meta::REGIONS[r].0.to_string()),
        prompt: if wat_nodig { "wat-nodig" } else { "zelf-geregeld" }.to_string(),
        created_at: meta::created_at(&mut rng),
        answers,
        true_themes: themes.iter().map(|&t| THEMES[t].to_string()).collect(),
    }
}

/// Applies the storyteller's writing style and joins the sentences into the final text.
fn write_text(rng: &mut ChaCha8Rng, persona: &Persona, tone: Tone, draft: generator::Draft) -> String {
    let generator::Draft { mut intro, mut middle, mut ending } = draft;
    let style = if persona.persp == Persp::Youth { noise::youth_style(rng) } else { Style::Neat };
    let n_intro = intro.len();
    let n_middle = middle.len();
    let mut all: Vec<String> = Vec::with_capacity(n_intro + n_middle + ending.len());
    all.extend(intro.drain(..).map(|s| s.text));
    all.extend(middle.drain(..).map(|s| s.text));
    all.extend(ending.drain(..).map(|s| s.text));
    let neat_backup = all.clone();

    for s in &mut all {
        generator::capitalize(s);
    }
    if !persona.english {
        let mut v = voice::Voice::new();
        let adult = persona.persp != Persp::Youth;
        for s in &mut all {
            v.idiolect(s, adult, rng);
        }
        let outcome = (all.len() > n_intro + n_middle).then_some(n_intro + n_middle);
        voice::markers(&mut all, n_intro..n_intro + n_middle, outcome, persona.persp, tone, rng);
    }
    if persona.persp == Persp::Youth {
        noise::youth(&mut all, style, !persona.english, rng);
    } else {
        // An angry parent's bad ending gets an exclamation mark or two.
        if persona.persp == Persp::Parent
            && tone == Tone::Neg
            && all.len() > n_intro + n_middle
            && rng.random_bool(0.3)
        {
            noise::exclaim(&mut all[n_intro + n_middle], rng);
        }
    }
    if !persona.english {
        let p_misspell = match (persona.persp, style) {
            (Persp::Youth, Style::Sloppy) => 0.45,
            (Persp::Youth, Style::Casual) => 0.3,
            (Persp::Youth, Style::Neat) => 0.15,
            (Persp::Parent, _) | (Persp::Other, _) => 0.1,
            (Persp::Professional, _) => 0.03,
        };
        if rng.random_bool(p_misspell) {
            noise::misspell(&mut all, rng, style == Style::Sloppy);
        }
    }

    // Longer adult stories are often typed in paragraphs.
    let paragraphs =
        style == Style::Neat && persona.persp != Persp::Youth && all.len() >= 6 && rng.random_bool(0.5);
    let text = if paragraphs {
        let (head, rest) = all.split_at(n_intro);
        let (mid, end) = rest.split_at(n_middle);
        [head, mid, end]
            .iter()
            .filter(|p| !p.is_empty())
            .map(|p| noise::join(p, style, !persona.english, rng))
            .collect::<Vec<_>>()
            .join("\n\n")
    } else {
        noise::join(&all, style, !persona.english, rng)
    };

    // Styling adds a few words at most; if a long story tipped over the limit, fall back to
    // the unstyled sentences, which the composer kept within bounds.
    if text.split_whitespace().count() > 400 {
        return neat_backup.join(" ");
    }
    text
}

#[cfg(test)]
mod tests;

//! Signifier answers for a demo story, correlated with its primary theme, tone and
//! perspective the way real storytellers' answers would be, so perspective maps and triad plots
//! in demo mode show patterns worth discussing.

use std::collections::BTreeMap;

use rand::Rng;
use rand_chacha::ChaCha8Rng;
use rand_distr::{Beta, Dirichlet, Distribution};
use serde_json::Value;

use super::generator::{ACTOR_IDS, Persona, Tone};
use super::meta::{Persp, weighted};

/// Chance that a storyteller skips a non-required signifier.
const SKIP: f64 = 0.08;

// Per theme (THEMES order) mean of wat_hielp: people around me / a professional / myself.
const WAT_HIELP: [[f64; 3]; 8] = [
    [0.35, 0.40, 0.25],
    [0.25, 0.35, 0.40],
    [0.30, 0.45, 0.25],
    [0.22, 0.20, 0.58],
    [0.20, 0.55, 0.25],
    [0.66, 0.10, 0.24],
    [0.20, 0.60, 0.20],
    [0.40, 0.30, 0.30],
];

// wat_telde: being heard / getting help fast / choosing myself.
const WAT_TELDE: [[f64; 3]; 8] = [
    [0.20, 0.65, 0.15],
    [0.65, 0.10, 0.25],
    [0.40, 0.30, 0.30],
    [0.25, 0.20, 0.55],
    [0.50, 0.10, 0.40],
    [0.45, 0.20, 0.35],
    [0.35, 0.50, 0.15],
    [0.30, 0.45, 0.25],
];

// regie: 0 = others decided, 1 = I decided.
const REGIE: [f64; 8] = [0.30, 0.18, 0.40, 0.65, 0.10, 0.60, 0.35, 0.40];
// steun: 0 = far too little support, 0.5 = just right, 1 = far too much interference.
const STEUN: [f64; 8] = [0.20, 0.42, 0.35, 0.25, 0.76, 0.50, 0.25, 0.25];

// hoe_vaak weights: eenmalig, soms, vaak, altijd.
const HOE_VAAK: [[u32; 4]; 8] = [
    [15, 25, 35, 25],
    [10, 30, 35, 25],
    [15, 35, 35, 15],
    [35, 30, 20, 15],
    [10, 25, 35, 30],
    [20, 45, 25, 10],
    [3, 17, 40, 40],
    [10, 30, 35, 25],
];

const GEVOEL_IDS: [&str; 6] = ["blij", "opgelucht", "neutraal", "onzeker", "verdrietig", "boos"];
const HOE_VAAK_IDS: [&str; 4] = ["eenmalig", "soms", "vaak", "altijd"];

fn round3(x: f64) -> Value {
    let v = (x.clamp(0.0, 1.0) * 1000.0).round() / 1000.0;
    serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number)
}

/// Rounds a point in the triangle to thousandths that add up to exactly 1.
fn triad_value(w: [f64; 3]) -> Value {
    let mut k = w.map(|x| (x.max(0.0) * 1000.0).round() as i64);
    let diff = 1000 - k.iter().sum::<i64>();
    let largest = (0..3).max_by_key(|&i| k[i]).unwrap_or(0);
    k[largest] += diff;
    Value::Array(k.iter().map(|&x| round3(x as f64 / 1000.0)).collect::<Vec<_>>())
}

fn normalise(mut m: [f64; 3]) -> [f64; 3] {
    for x in &mut m {
        *x = x.max(0.02);
    }
    let s: f64 = m.iter().sum();
    m.map(|x| x / s)
}

fn triad(rng: &mut ChaCha8Rng, mean: [f64; 3]) -> Value {
    // Some people leave the dot in the middle or put it roughly anywhere.
    let r: f64 = rng.random();
    if r < 0.04 {
        return triad_value([1.0 / 3.0; 3]);
    }
    let alpha = if r < 0.12 {
        [1.3; 3]
    } else {
        let m = normalise(mean);
        m.map(|x| x * 9.0)
    };
    match Dirichlet::new(alpha) {
        Ok(d) => triad_value(d.sample(rng)),
        Err(_) => triad_value(normalise(mean)),
    }
}

fn dyad(rng: &mut ChaCha8Rng, mean: f64) -> Value {
    let m = mean.clamp(0.04, 0.96);
    let k = 7.0;
    match Beta::new(m * k, (1.0 - m) * k) {
        Ok(b) => round3(b.sample(rng)),
        Err(_) => round3(m),
    }
}

fn gevoel(rng: &mut ChaCha8Rng, theme: usize, tone: Tone, persp: Persp) -> &'static str {
    // Weights over blij, opgelucht, neutraal, onzeker, verdrietig, boos.
    let mut w: [u32; 6] = match tone {
        Tone::Pos => [45, 45, 7, 3, 0, 0],
        Tone::Neg => [0, 0, 10, 25, 30, 35],
        Tone::Mix => [4, 22, 30, 24, 12, 8],
    };
    match (theme, tone) {
        (0, Tone::Neg) => w = [0, 0, 5, 30, 25, 40],
        (4, Tone::Neg) => w = [0, 0, 5, 30, 20, 45],
        (5, Tone::Pos) => w = [55, 40, 4, 1, 0, 0],
        (7, Tone::Neg) => w = [0, 0, 5, 45, 30, 20],
        _ => {}
    }
    // Professionals describe their work more often as neither happy nor angry.
    if persp == Persp::Professional {
        w[2] += 15;
    }
    GEVOEL_IDS[weighted(rng, &w)]
}

/// Which roles took part: the actors the text mentioned, blurred a little (people tick boxes
/// loosely), or a theme default when the text named nobody in particular.
fn wie_hielp(rng: &mut ChaCha8Rng, actors: u16, theme: usize, persp: Persp) -> Value {
    let mut bits = actors;
    let niemand = 1u16 << 8;
    if bits & niemand != 0 && bits != niemand && rng.random_bool(0.5) {
        bits &= !niemand;
    }
    if bits & !niemand == 0 && bits & niemand == 0 {
        let default: &[usize] = match (theme, persp) {
            (5, _) => &[0, 1, 3],
            (2, _) => &[2],
            (4, _) | (6, _) => &[6],
            (0, _) => &[4, 5],
            (_, Persp::Youth) => &[0, 1],
            _ => &[5, 6],
        };
        bits |= 1 << default[rng.random_range(0..default.len())];
    }
    if rng.random_bool(0.07) {
        bits |= 1 << rng.random_range(0..8);
        bits &= if bits & !niemand != 0 { !niemand } else { u16::MAX };
    }
    if bits.count_ones() > 1 && rng.random_bool(0.06) {
        let set: Vec<usize> = (0..9).filter(|i| bits & (1 << i) != 0).collect();
        bits &= !(1 << set[rng.random_range(0..set.len())]);
    }
    Value::Array(
        (0..9).filter(|i| bits & (1 << i) != 0).map(|i| Value::String(ACTOR_IDS[i].to_string())).collect(),
    )
}

/// All signifier answers for one story, keyed by signifier id.
pub(crate) fn answers(
    rng: &mut ChaCha8Rng,
    persona: &Persona,
    tone: Tone,
    actors: u16,
) -> BTreeMap<String, Value> {
    let th = persona.theme;
    let persp = persona.persp;
    let mut out = BTreeMap::new();

    let mut hielp = WAT_HIELP[th];
    match tone {
        Tone::Pos if th == 5 => hielp[0] += 0.1,
        // When nobody helped, "doing it myself" is what is left.
        Tone::Neg => hielp[2] += 0.12,
        _ => {}
    }
    if actors & (1 << 8) != 0 {
        hielp[2] += 0.15;
    }
    if persp == Persp::Professional {
        hielp[1] += 0.1;
    }
    if !rng.random_bool(SKIP) {
        out.insert("wat_hielp".to_string(), triad(rng, hielp));
    }

    let mut telde = WAT_TELDE[th];
    if persp == Persp::Parent && th == 0 {
        telde[1] += 0.1;
    }
    if !rng.random_bool(SKIP) {
        out.insert("wat_telde".to_string(), triad(rng, telde));
    }

    let mut regie = REGIE[th];
    regie += match tone {
        Tone::Pos => 0.12,
        Tone::Neg => -0.1,
        Tone::Mix => 0.0,
    };
    if persp == Persp::Youth {
        regie -= 0.04;
    }
    if !rng.random_bool(SKIP) {
        out.insert("regie".to_string(), dyad(rng, regie));
    }

    // Good endings pull support towards "just right"; bad ones push it to the theme's side.
    let base = STEUN[th];
    let steun = match tone {
        Tone::Pos => base + (0.5 - base) * 0.5,
        Tone::Neg => base + (base - 0.5) * 0.3,
        Tone::Mix => base,
    };
    if !rng.random_bool(SKIP) {
        out.insert("steun".to_string(), dyad(rng, steun));
    }

    out.insert("gevoel".to_string(), Value::String(gevoel(rng, th, tone, persp).to_string()));

    if !rng.random_bool(SKIP) {
        out.insert("wie_hielp".to_string(), wie_hielp(rng, actors, th, persp));
    }
    if !rng.random_bool(SKIP) {
        let i = weighted(rng, &HOE_VAAK[th]);
        out.insert("hoe_vaak".to_string(), Value::String(HOE_VAAK_IDS[i].to_string()));
    }
    out
}

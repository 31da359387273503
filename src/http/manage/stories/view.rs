//! Pure helpers for showing stories to facilitators: text cut into paragraphs with scrubber
//! placeholders and safeguarding phrases marked, short excerpts and phrases in context, and the
//! geometry of a triad or dyad answer drawn as the teller placed it. No axum, no SQL.

use crate::analysis::safeguarding::{DangerKind, Signal};
use crate::analysis::scrub::PiiKind;
use std::ops::Range;

/// A run of text: as written, or a placeholder the scrubber put in (`[naam]`).
#[derive(Debug, Clone, PartialEq)]
pub struct Part {
    pub text: String,
    pub placeholder: bool,
}

/// A run of parts; `signal` is the Dutch label of the danger kind when the run is a phrase the
/// safeguarding lexicon matched.
#[derive(Debug, Clone, PartialEq)]
pub struct Chunk {
    pub signal: Option<&'static str>,
    pub parts: Vec<Part>,
}

/// A paragraph of a story, ready to print.
#[derive(Debug, Clone, PartialEq)]
pub struct Paragraph {
    pub chunks: Vec<Chunk>,
}

/// Matched phrases with some words around them, for the "needs attention" list.
#[derive(Debug, Clone, PartialEq)]
pub struct Snippet {
    /// The snippet starts after the beginning of the text (print "…").
    pub cut_before: bool,
    pub chunks: Vec<Chunk>,
    /// The snippet ends before the end of the text.
    pub cut_after: bool,
}

/// What is special about each char of a text.
struct Marks {
    chars: Vec<char>,
    signal: Vec<Option<DangerKind>>,
    placeholder: Vec<bool>,
}

impl Marks {
    fn new(text: &str, signals: &[Signal]) -> Marks {
        let chars: Vec<char> = text.chars().collect();
        let n = chars.len();
        let mut signal = vec![None; n];
        // Offsets come from the database; a signal that does not fit the text (edited by hand,
        // or a bug) is clipped rather than allowed to panic the page.
        for s in signals {
            for slot in signal.iter_mut().take(s.end.min(n)).skip(s.start) {
                slot.get_or_insert(s.kind);
            }
        }
        let mut placeholder = vec![false; n];
        let known: Vec<Vec<char>> =
            PiiKind::all().iter().map(|k| k.placeholder().chars().collect()).collect();
        let mut i = 0;
        while i < n {
            let hit = (chars[i] == '[')
                .then(|| known.iter().find(|p| chars[i..].starts_with(p)).map(Vec::len))
                .flatten();
            match hit {
                Some(len) => {
                    placeholder[i..i + len].iter_mut().for_each(|p| *p = true);
                    i += len;
                }
                None => i += 1,
            }
        }
        Marks { chars, signal, placeholder }
    }

    /// The chars in `range`, grouped into signal runs and, inside those, placeholder runs.
    fn chunks(&self, range: Range<usize>) -> Vec<Chunk> {
        let mut chunks: Vec<Chunk> = Vec::new();
        for i in range {
            let signal = self.signal[i].map(DangerKind::label_nl);
            let placeholder = self.placeholder[i];
            if chunks.last().is_none_or(|c| c.signal != signal) {
                chunks.push(Chunk { signal, parts: Vec::new() });
            }
            let parts = &mut chunks.last_mut().expect("pushed above").parts;
            if parts.last().is_none_or(|p| p.placeholder != placeholder) {
                parts.push(Part { text: String::new(), placeholder });
            }
            parts.last_mut().expect("pushed above").text.push(self.chars[i]);
        }
        chunks
    }

    /// Shrinks a range so it neither starts nor ends in whitespace.
    fn trim(&self, mut r: Range<usize>) -> Range<usize> {
        while r.start < r.end && self.chars[r.start].is_whitespace() {
            r.start += 1;
        }
        while r.end > r.start && self.chars[r.end - 1].is_whitespace() {
            r.end -= 1;
        }
        r
    }
}

/// Splits stored text into paragraphs at blank lines, with placeholders and the phrases of
/// `signals` (char offsets into `text`) marked. Single line breaks stay inside a paragraph.
pub fn paragraphs(text: &str, signals: &[Signal]) -> Vec<Paragraph> {
    let marks = Marks::new(text, signals);
    let chars = &marks.chars;
    let mut ranges = Vec::new();
    let (mut start, mut i) = (0, 0);
    while i < chars.len() {
        if chars[i] == '\n' {
            let mut j = i;
            while j < chars.len() && chars[j].is_whitespace() {
                j += 1;
            }
            if chars[i..j].iter().filter(|c| **c == '\n').count() >= 2 {
                ranges.push(start..i);
                start = j;
            }
            i = j;
        } else {
            i += 1;
        }
    }
    ranges.push(start..chars.len());
    ranges
        .into_iter()
        .map(|r| marks.trim(r))
        .filter(|r| !r.is_empty())
        .map(|r| Paragraph { chunks: marks.chunks(r) })
        .collect()
}

/// The matched phrases with about `radius` chars on each side, cut at word boundaries; phrases
/// close together share one snippet.
pub fn snippets(text: &str, signals: &[Signal], radius: usize) -> Vec<Snippet> {
    let marks = Marks::new(text, signals);
    let n = marks.chars.len();
    let mut phrases: Vec<Range<usize>> =
        signals.iter().map(|s| s.start.min(n)..s.end.min(n)).filter(|r| !r.is_empty()).collect();
    phrases.sort_by_key(|r| (r.start, r.end));
    let mut windows: Vec<Range<usize>> = Vec::new();
    for p in phrases {
        let mut w = p.start.saturating_sub(radius)..(p.end + radius).min(n);
        // Start and end on a word boundary, never inside the phrase itself.
        while w.start > 0 && w.start < p.start && !marks.chars[w.start - 1].is_whitespace() {
            w.start += 1;
        }
        while w.end < n && w.end > p.end && !marks.chars[w.end].is_whitespace() {
            w.end -= 1;
        }
        match windows.last_mut() {
            Some(last) if w.start <= last.end => last.end = last.end.max(w.end),
            _ => windows.push(w),
        }
    }
    windows
        .into_iter()
        .map(|w| {
            let w = marks.trim(w);
            Snippet { cut_before: w.start > 0, cut_after: w.end < n, chunks: marks.chunks(w) }
        })
        .collect()
}

/// The start of a text for a list row: whitespace collapsed, at most `max` chars, cut after a
/// whole word with "…".
pub fn excerpt(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max).collect();
    let cut = match cut.rfind(' ') {
        Some(i) if i > max / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", cut.trim_end_matches([',', '.', ';', ':', ' ']))
}

/// The corners of the triangle a triad is drawn in (the same as the form's draggable triad, in
/// the same order: top, bottom left, bottom right), in SVG user units.
pub const TRIAD_CORNERS: [(f64, f64); 3] = [(150.0, 50.0), (30.0, 245.0), (270.0, 245.0)];

/// The view box that fits the triangle and its corner labels.
pub const TRIAD_VIEW_BOX: &str = "-10 -20 320 330";

/// Where three weights put the dot: barycentric coordinates in the triangle. Weights on any
/// scale are normalised; `None` when they cannot be (all zero, negative, not finite).
pub fn triad_point(w: [f64; 3]) -> Option<(f64, f64)> {
    if w.iter().any(|x| !x.is_finite() || *x < 0.0) {
        return None;
    }
    let sum: f64 = w.iter().sum();
    if sum <= 0.0 {
        return None;
    }
    let (mut x, mut y) = (0.0, 0.0);
    for (wi, (cx, cy)) in w.iter().zip(TRIAD_CORNERS) {
        x += wi / sum * cx;
        y += wi / sum * cy;
    }
    Some((x, y))
}

/// A corner label in the triad drawing: short lines so long labels never run into each other.
#[derive(Debug, Clone, PartialEq)]
pub struct SvgLabel {
    pub x: String,
    pub y: String,
    pub anchor: &'static str,
    pub lines: Vec<String>,
}

/// Line height of corner labels, in SVG user units.
pub const LABEL_LINE: f64 = 15.0;

/// The three corner labels, placed as the form's triad places them.
pub fn triad_labels(labels: [&str; 3]) -> Vec<SvgLabel> {
    let specs = [(150.0, 14.0, "middle", 34), (4.0, 266.0, "start", 20), (296.0, 266.0, "end", 20)];
    specs
        .iter()
        .zip(labels)
        .enumerate()
        .map(|(i, (&(x, y, anchor, width), label))| {
            let lines = wrap(label, width);
            // The top label grows upwards, so its last line stays just above the corner.
            let y = if i == 0 { y - (lines.len().saturating_sub(1)) as f64 * LABEL_LINE } else { y };
            SvgLabel { x: num(x), y: num(y), anchor, lines }
        })
        .collect()
}

/// Greedy word wrap at `width` chars (a word longer than that gets its own line).
pub fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// Ends of the dyad track in its `0 0 300 30` view box.
pub const DYAD_TRACK: (f64, f64) = (12.0, 288.0);

/// Where a dyad answer (0 = first pole, 1 = second) puts the marker on the track.
pub fn dyad_x(v: f64) -> f64 {
    let v = if v.is_finite() { v.clamp(0.0, 1.0) } else { 0.5 };
    DYAD_TRACK.0 + v * (DYAD_TRACK.1 - DYAD_TRACK.0)
}

/// An SVG coordinate with one decimal, without a trailing ".0".
pub fn num(x: f64) -> String {
    let s = format!("{x:.1}");
    s.strip_suffix(".0").map(str::to_string).unwrap_or(s)
}

/// A weight as a whole percentage.
pub fn percent(w: f64) -> String {
    format!("{}%", (w * 100.0).round())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn signal(kind: DangerKind, text: &str, phrase: &str) -> Signal {
        let byte = text.find(phrase).unwrap();
        let start = text[..byte].chars().count();
        Signal { kind, start, end: start + phrase.chars().count(), phrase: phrase.into() }
    }

    fn flat(chunks: &[Chunk]) -> String {
        chunks
            .iter()
            .map(|c| {
                let inner: String = c
                    .parts
                    .iter()
                    .map(|p| if p.placeholder { format!("{{{}}}", p.text) } else { p.text.clone() })
                    .collect();
                if c.signal.is_some() { format!("<{inner}>") } else { inner }
            })
            .collect()
    }

    #[test]
    fn paragraphs_split_at_blank_lines_and_keep_single_breaks() {
        let p = paragraphs("Eerste regel\ntweede regel\n\n\nDerde alinea.  ", &[]);
        assert_eq!(p.len(), 2);
        assert_eq!(flat(&p[0].chunks), "Eerste regel\ntweede regel");
        assert_eq!(flat(&p[1].chunks), "Derde alinea.");
    }

    #[test]
    fn signal_phrases_are_marked_by_char_offsets_even_after_accents() {
        let text = "Café één: soms wil ik gewoon niet meer leven.";
        let s = signal(DangerKind::Suicide, text, "niet meer leven");
        let p = paragraphs(text, &[s]);
        assert_eq!(flat(&p[0].chunks), "Café één: soms wil ik gewoon <niet meer leven>.");
        assert_eq!(p[0].chunks[1].signal, Some("Gedachten aan zelfdoding"));
    }

    #[test]
    fn placeholders_are_marked_inside_and_outside_phrases() {
        let text = "[naam] zei: [naam] slaat me. Bel [telefoon] of [onbekend].";
        let s = signal(DangerKind::DomesticViolence, text, "[naam] slaat me");
        let p = paragraphs(text, &[s]);
        assert_eq!(flat(&p[0].chunks), "{[naam]} zei: <{[naam]} slaat me>. Bel {[telefoon]} of [onbekend].");
    }

    #[test]
    fn offsets_outside_the_text_are_clipped_not_a_panic() {
        let text = "kort";
        let s = Signal { kind: DangerKind::SelfHarm, start: 2, end: 99, phrase: "rt".into() };
        assert_eq!(flat(&paragraphs(text, std::slice::from_ref(&s))[0].chunks), "ko<rt>");
        let far = Signal { start: 50, end: 60, ..s };
        assert_eq!(flat(&paragraphs(text, std::slice::from_ref(&far))[0].chunks), "kort");
        assert!(snippets(text, &[far], 10).is_empty());
    }

    #[test]
    fn snippets_show_whole_words_around_each_phrase_and_merge_close_ones() {
        let text = "In het begin ging alles goed met school en sport. Maar toen wilde ik niet meer leven \
                    en ik ben gaan krassen. Daarna werd het langzaam beter met hulp van mijn tante.";
        let a = signal(DangerKind::Suicide, text, "niet meer leven");
        let b = signal(DangerKind::SelfHarm, text, "krassen");
        let s = snippets(text, &[b.clone(), a.clone()], 20);
        assert_eq!(s.len(), 1, "{s:?}");
        assert_eq!(
            flat(&s[0].chunks),
            "Maar toen wilde ik <niet meer leven> en ik ben gaan <krassen>. Daarna werd het"
        );
        assert!(s[0].cut_before && s[0].cut_after);
        let apart = snippets(text, &[a, b], 3);
        assert_eq!(apart.len(), 2);
        assert_eq!(flat(&apart[0].chunks), "ik <niet meer leven> en");
        assert_eq!(flat(&apart[1].chunks), "<krassen>.");
    }

    #[test]
    fn excerpts_cut_after_a_whole_word() {
        assert_eq!(excerpt("  kort\nverhaal ", 160), "kort verhaal");
        let long = "woord ".repeat(40);
        let e = excerpt(&long, 20);
        assert_eq!(e, "woord woord woord…");
        assert!(e.chars().count() <= 21);
    }

    #[test]
    fn triad_weights_put_the_dot_at_the_barycentre() {
        assert_eq!(triad_point([1.0, 0.0, 0.0]), Some((150.0, 50.0)));
        assert_eq!(triad_point([0.0, 0.0, 1.0]), Some((270.0, 245.0)));
        let (x, y) = triad_point([1.0, 1.0, 1.0]).unwrap();
        assert_eq!((num(x), num(y)), ("150".to_string(), "180".to_string()));
        // Halfway between the top and bottom-left corners, on any scale.
        assert_eq!(triad_point([50.0, 50.0, 0.0]), Some((90.0, 147.5)));
        assert_eq!(triad_point([0.0, 0.0, 0.0]), None);
        assert_eq!(triad_point([f64::NAN, 1.0, 0.0]), None);
    }

    #[test]
    fn corner_labels_wrap_and_the_top_one_grows_upwards() {
        let labels = triad_labels(["mensen om me heen (familie, vrienden)", "hulp", "het zelf doen"]);
        assert_eq!(labels[0].lines, ["mensen om me heen (familie,", "vrienden)"]);
        assert_eq!(labels[0].y, "-1");
        assert_eq!((labels[1].anchor, labels[1].y.as_str()), ("start", "266"));
        assert_eq!(
            wrap("een heel-lang-woord-zonder-spaties kort", 10),
            ["een", "heel-lang-woord-zonder-spaties", "kort"]
        );
    }

    #[test]
    fn dyad_marker_runs_from_the_first_pole_to_the_second() {
        assert_eq!(dyad_x(0.0), DYAD_TRACK.0);
        assert_eq!(dyad_x(1.0), DYAD_TRACK.1);
        assert_eq!(num(dyad_x(0.7)), "205.2");
        assert_eq!(dyad_x(7.0), DYAD_TRACK.1);
        assert_eq!(percent(0.704), "70%");
    }
}

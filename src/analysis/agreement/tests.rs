//! Agreement measures against textbook examples with published values, and the sampler.

use super::*;

fn codings_from_table(coders: &[&str], table: &[&[Option<bool>]], theme: &str) -> Vec<Coding> {
    let mut out = Vec::new();
    for (u, row) in table.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            if let Some(applied) = v {
                out.push(Coding {
                    coder: coders[c].to_string(),
                    unit: format!("s{u}"),
                    theme: theme.to_string(),
                    applied: *applied,
                });
            }
        }
    }
    out
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C: nominal values
/// 1–5, four observers, twelve units, missing values; published nominal alpha = 0.743
/// (n = 40 pairable values; unit 12 has a single value and drops out).
#[test]
fn krippendorff_2011_nominal_example_with_missing_data_gives_0_743() {
    let n = None;
    let a = [Some(1), Some(2), Some(3), Some(3), Some(2), Some(1), Some(4), Some(1), Some(2), n, n, n];
    let b = [
        Some(1),
        Some(2),
        Some(3),
        Some(3),
        Some(2),
        Some(2),
        Some(4),
        Some(1),
        Some(2),
        Some(5),
        n,
        Some(3),
    ];
    let c = [n, Some(3), Some(3), Some(3), Some(2), Some(3), Some(4), Some(2), Some(2), Some(5), Some(1), n];
    let d = [
        Some(1),
        Some(2),
        Some(3),
        Some(3),
        Some(2),
        Some(4),
        Some(4),
        Some(1),
        Some(2),
        Some(5),
        Some(1),
        n,
    ];
    let units: Vec<Vec<Option<u8>>> = (0..12).map(|u| vec![a[u], b[u], c[u], d[u]]).collect();
    let alpha = krippendorff_alpha_nominal(&units).expect("defined");
    assert!((alpha - 0.743).abs() < 0.0005, "{alpha}");
    // Exactly 1 − 39 · 10 / 1520 by the paper's coincidence matrix.
    assert!((alpha - (1.0 - 39.0 * 10.0 / 1520.0)).abs() < 1e-12, "{alpha}");
}

/// Krippendorff (2011), section A: binary data, two observers, ten units; alpha = 0.095.
/// Through `agreement`, with "1" as applied. Cohen's kappa for the same table is
/// (0.6 − 0.56) / (1 − 0.56) = 0.0909.
#[test]
fn krippendorff_2011_binary_example_gives_0_095_and_its_disagreements() {
    let a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0];
    let b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0];
    let rows: Vec<[Option<bool>; 2]> = (0..10).map(|u| [Some(a[u] == 1), Some(b[u] == 1)]).collect();
    let table: Vec<&[Option<bool>]> = rows.iter().map(|r| &r[..]).collect();
    let codings = codings_from_table(&["A", "B"], &table, "wachtlijst");
    let units: Vec<String> = (0..10).map(|u| format!("s{u}")).collect();
    let r = &agreement(&codings, &strings(&["A", "B"]), &units, &strings(&["wachtlijst"]))[0];
    assert!((r.alpha.expect("defined") - 0.095).abs() < 0.0005, "{:?}", r.alpha);
    assert!((r.kappa.expect("two coders") - 0.04 / 0.44).abs() < 1e-12, "{:?}", r.kappa);
    assert_eq!(r.units, 10);
    assert_eq!(r.observed, Some(0.6));
    assert_eq!(r.applied, [("A".to_string(), 2), ("B".to_string(), 4)]);
    let who: Vec<(&str, &[String], &[String])> =
        r.disagreements.iter().map(|d| (d.unit.as_str(), &d.applied_by[..], &d.not_applied_by[..])).collect();
    assert_eq!(who.len(), 4);
    assert_eq!(who[0], ("s0", &strings(&["B"])[..], &strings(&["A"])[..]));
    assert_eq!(who[3], ("s8", &strings(&["A"])[..], &strings(&["B"])[..]));
}

/// The classic two-reader example (Wikipedia, "Cohen's kappa"): 50 grant proposals, both yes
/// 20, A yes / B no 5, A no / B yes 10, both no 15: p_o = 0.7, p_e = 0.5, kappa = 0.4. Alpha on
/// the same table is 1 − 99 · 15 / (55 · 45) = 0.4 as well.
#[test]
fn wikipedia_grant_example_gives_kappa_0_4() {
    let mut pairs = Vec::new();
    for (n, a, b) in [(20, true, true), (5, true, false), (10, false, true), (15, false, false)] {
        pairs.extend(std::iter::repeat_n((a, b), n));
    }
    assert!((cohen_kappa(&pairs).expect("defined") - 0.4).abs() < 1e-12);
    let units: Vec<Vec<Option<bool>>> = pairs.iter().map(|&(a, b)| vec![Some(a), Some(b)]).collect();
    assert!((krippendorff_alpha_nominal(&units).expect("defined") - 0.4).abs() < 1e-12);
}

/// Wikipedia's pair of tables with the same 60% agreement but different kappas: 45/15/25/15
/// gives 0.1304, 25/35/5/35 gives 0.2593 — kappa corrects for how often each reader says yes.
#[test]
fn same_raw_agreement_different_kappa_as_in_the_textbook() {
    let table = |yy, yn, ny, nn| {
        let mut p = Vec::new();
        for (n, a, b) in [(yy, 'y', 'y'), (yn, 'y', 'n'), (ny, 'n', 'y'), (nn, 'n', 'n')] {
            p.extend(std::iter::repeat_n((a, b), n));
        }
        cohen_kappa(&p).expect("defined")
    };
    assert!((table(45, 15, 25, 15) - 0.1304).abs() < 0.0001);
    assert!((table(25, 35, 5, 35) - 0.2593).abs() < 0.0001);
}

#[test]
fn a_coder_who_coded_the_story_without_the_theme_said_no_and_one_who_did_not_is_missing() {
    let c = |coder: &str, unit: &str, theme: &str, applied: bool| Coding {
        coder: coder.to_string(),
        unit: unit.to_string(),
        theme: theme.to_string(),
        applied,
    };
    let codings = [
        c("ana", "s1", "school", true),
        c("bo", "s1", "geld", true), // bo read s1 and did not tag school
        c("cem", "s1", "school", true),
        c("ana", "s2", "school", true),
        c("bo", "s2", "school", true), // cem never did s2
        c("ana", "s3", "school", false),
        c("bo", "s3", "school", false),
        c("cem", "s3", "geld", false), // "nothing applies"
        c("ana", "s4", "school", true),
        c("ana", "s4", "school", false), // changed her mind: the last one counts
        c("bo", "s4", "school", false),
        c("zed", "s1", "school", false), // not one of the coders: ignored
    ];
    let coders = strings(&["ana", "bo", "cem"]);
    let r = &agreement(&codings, &coders, &strings(&["s1", "s2", "s3", "s4"]), &strings(&["school"]))[0];
    assert_eq!(r.kappa, None, "three coders");
    assert_eq!(r.units, 4);
    assert_eq!(r.disagreements.len(), 1);
    let d = &r.disagreements[0];
    assert_eq!(
        (d.unit.as_str(), &d.applied_by, &d.not_applied_by),
        ("s1", &strings(&["ana", "cem"]), &strings(&["bo"]))
    );
    // Same as the matrix written out by hand.
    let t = Some(true);
    let f = Some(false);
    let by_hand = [vec![t, f, t], vec![t, t, None], vec![f, f, f], vec![f, f, None]];
    assert_eq!(r.alpha, krippendorff_alpha_nominal(&by_hand));
    assert_eq!(r.observed, Some(0.75));
}

#[test]
fn agreement_is_undefined_rather_than_perfect_when_nobody_uses_the_theme() {
    let codings =
        codings_from_table(&["A", "B"], &[&[Some(false), Some(false)], &[Some(false), Some(false)]], "x");
    let r = &agreement(&codings, &strings(&["A", "B"]), &strings(&["s0", "s1"]), &strings(&["x"]))[0];
    assert_eq!((r.kappa, r.alpha, r.observed), (None, None, Some(1.0)));
    assert!(r.disagreements.is_empty());
    assert_eq!(cohen_kappa::<bool>(&[]), None);
    assert_eq!(krippendorff_alpha_nominal::<bool>(&[vec![Some(true), None]]), None, "nothing pairable");
}

#[test]
fn the_sample_depends_on_the_set_and_seed_only_and_grows_by_extension() {
    let ids: Vec<String> = (0..200).map(|i| format!("story-{i:03}")).collect();
    let s = sample(&ids, 20, 7);
    assert_eq!(s.len(), 20);
    assert_eq!(s.iter().collect::<HashSet<_>>().len(), 20, "no duplicates");
    let mut reversed = ids.clone();
    reversed.reverse();
    reversed.push(ids[5].clone());
    assert_eq!(sample(&reversed, 20, 7), s, "order and duplicates do not matter");
    assert_eq!(sample(&ids, 30, 7)[..20], s[..], "a larger sample extends the smaller one");
    assert_ne!(sample(&ids, 20, 8), s, "another seed, another sample");
    assert_eq!(sample(&ids[..5], 20, 7).len(), 5, "asking for more than there are gives all");
}

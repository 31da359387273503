//! Reading the reference fixtures (`tests/data/stats/*.json`, written by `make_fixtures.py`) and
//! comparing floats with a stated tolerance, so every test says how close is close enough.

use serde_json::Value;

/// Relative tolerance for statistics (the same formula in a different order of operations).
pub const STAT: f64 = 1e-9;
/// Relative tolerance for p-values and quantiles (distribution functions from another library).
pub const PROB: f64 = 1e-7;

pub fn parse(text: &str) -> Value {
    serde_json::from_str(text).expect("fixture is valid JSON")
}

/// The cases under `key`, each with its `name` (or its index) for messages.
pub fn cases<'a>(fixture: &'a Value, key: &str) -> Vec<(String, &'a Value)> {
    let list = fixture[key].as_array().unwrap_or_else(|| panic!("fixture has no list {key:?}"));
    assert!(!list.is_empty(), "fixture list {key:?} is empty");
    list.iter()
        .enumerate()
        .map(|(i, case)| (case["name"].as_str().map_or_else(|| format!("{key}[{i}]"), str::to_string), case))
        .collect()
}

pub fn num(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

pub fn int(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a non-negative integer: {v}"))
}

pub fn nums(v: &Value) -> Vec<f64> {
    v.as_array().unwrap_or_else(|| panic!("not a list: {v}")).iter().map(num).collect()
}

pub fn ints(v: &Value) -> Vec<u64> {
    v.as_array().unwrap_or_else(|| panic!("not a list: {v}")).iter().map(int).collect()
}

pub fn rows(v: &Value) -> Vec<Vec<f64>> {
    v.as_array().unwrap_or_else(|| panic!("not a list of lists: {v}")).iter().map(nums).collect()
}

pub fn int_rows(v: &Value) -> Vec<Vec<u64>> {
    v.as_array().unwrap_or_else(|| panic!("not a list of lists: {v}")).iter().map(ints).collect()
}

/// Whether `actual` is within `rel` of `expected`, relative to |expected| but never tighter than
/// `rel` in absolute terms (values that should be 0 come out as 1e-17 from either side).
pub fn close(actual: f64, expected: f64, rel: f64) -> bool {
    (actual - expected).abs() <= rel * expected.abs().max(1.0e-3) || actual == expected
}

#[track_caller]
pub fn assert_close(actual: f64, expected: f64, rel: f64, what: &str) {
    assert!(
        close(actual, expected, rel),
        "{what}: got {actual:e}, expected {expected:e} (relative difference {:e}, tolerance {rel:e})",
        (actual - expected).abs() / expected.abs()
    );
}

#[track_caller]
pub fn assert_all_close(actual: &[f64], expected: &[f64], rel: f64, what: &str) {
    assert_eq!(actual.len(), expected.len(), "{what}: lengths differ");
    for (i, (a, e)) in actual.iter().zip(expected).enumerate() {
        assert_close(*a, *e, rel, &format!("{what}[{i}]"));
    }
}

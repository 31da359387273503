//! `luister bench`: performance goals measured, not asserted in timed tests. Each benchmark
//! prints the figures BENCHMARKS.md records, with the command that produced them. Built only
//! with the `bench` feature: the service binary carries neither the FTS5 peer nor the client.
#![cfg(feature = "bench")]

pub mod crash;
pub mod map;
pub mod overload;
pub mod pipeline;
pub mod search;
pub mod submit;

/// Latency percentiles of a sorted list of durations in milliseconds.
pub fn percentile(sorted_ms: &[f64], p: f64) -> f64 {
    if sorted_ms.is_empty() {
        return 0.0;
    }
    let rank = (p / 100.0 * (sorted_ms.len() - 1) as f64).round() as usize;
    sorted_ms[rank.min(sorted_ms.len() - 1)]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_pick_the_nearest_rank() {
        let v: Vec<f64> = (1..=100).map(f64::from).collect();
        assert_eq!(percentile(&v, 50.0), 51.0);
        assert_eq!(percentile(&v, 99.0), 99.0);
        assert_eq!(percentile(&v, 100.0), 100.0);
        assert_eq!(percentile(&[], 50.0), 0.0);
    }
}

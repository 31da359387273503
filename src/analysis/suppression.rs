//! Small-cell suppression for aggregates the steering group sees: a count of 1 up to the
//! disclosure threshold could point at a few recognisable tellers, so it is shown only as
//! "fewer than N". A total is shown exactly only when no cell of its row is hidden; otherwise
//! it is shown as the range that the visible cells already imply, so a hidden cell can never
//! be recomputed as "total minus the others".
//!
//! A count of 0 is hidden too: were it shown exactly, every "fewer than N" beside it would say
//! "at least one", which is already a disclosure about a small group.

/// One count as it may be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cell {
    Exact(i64),
    /// Between 0 and the threshold minus one.
    Hidden,
}

/// The total of a row as it may be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Total {
    Exact(i64),
    /// At least `.0` and at most `.1`: exactly what the visible cells and the number of hidden
    /// ones imply, nothing more.
    Between(i64, i64),
}

/// A row of counts after suppression.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub cells: Vec<Cell>,
    pub total: Total,
}

/// Suppresses counts `n < threshold` (0 included); a threshold of 1 or less hides nothing.
pub fn suppress(counts: &[i64], threshold: i64) -> Row {
    let hidden = |n: i64| threshold > 1 && n < threshold;
    let cells: Vec<Cell> =
        counts.iter().map(|&n| if hidden(n) { Cell::Hidden } else { Cell::Exact(n) }).collect();
    let visible: i64 = counts.iter().filter(|&&n| !hidden(n)).sum();
    let n_hidden = counts.iter().filter(|&&n| hidden(n)).count() as i64;
    let total = if n_hidden == 0 {
        Total::Exact(visible)
    } else {
        Total::Between(visible, visible + n_hidden * (threshold - 1))
    };
    Row { cells, total }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_below_the_threshold_are_hidden_and_others_shown() {
        let row = suppress(&[12, 4, 5, 1], 5);
        assert_eq!(row.cells, [Cell::Exact(12), Cell::Hidden, Cell::Exact(5), Cell::Hidden]);
    }

    #[test]
    fn the_total_is_exact_only_when_nothing_is_hidden() {
        assert_eq!(suppress(&[12, 7, 5, 9], 5).total, Total::Exact(33));
        assert_ne!(suppress(&[12, 3, 5, 9], 5).total, Total::Exact(29));
    }

    #[test]
    fn a_hidden_cell_cannot_be_recomputed_from_the_total() {
        // One hidden cell: whatever its true value (0..4), the shown row is the same.
        let shown: Vec<Row> = (0..5).map(|n| suppress(&[20, n, 9, 7], 5)).collect();
        assert!(shown.windows(2).all(|w| w[0] == w[1]), "{shown:?}");
        assert_eq!(shown[0].total, Total::Between(36, 40));
    }

    #[test]
    fn zero_is_hidden_like_one_so_a_hidden_cell_never_means_at_least_one() {
        assert_eq!(suppress(&[0, 12], 5), suppress(&[3, 12], 5));
        assert_eq!(suppress(&[0, 0], 5).total, Total::Between(0, 8));
    }

    #[test]
    fn a_threshold_of_one_hides_nothing() {
        assert_eq!(suppress(&[1, 2], 1).total, Total::Exact(3));
        assert_eq!(suppress(&[0, 2], 0).cells, [Cell::Exact(0), Cell::Exact(2)]);
    }
}

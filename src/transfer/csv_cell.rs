//! CSV cells that a spreadsheet will not run. Excel, LibreOffice and Google Sheets treat a cell
//! that starts with `=`, `+`, `-` or `@` as a formula (also after leading spaces, which they
//! trim, and after a tab or carriage return), so an anonymous storyteller's title
//! `=HYPERLINK(…)` would become a live link on a facilitator's machine. Every CSV the service
//! writes passes its cells through [`protect`]; every CSV it reads undoes it with
//! [`unprotect`], so an export still imports exactly.

use std::borrow::Cow;

/// Whether a spreadsheet would read the cell as a formula.
fn dangerous(cell: &str) -> bool {
    cell.starts_with(['\t', '\r']) || cell.trim_start().starts_with(['=', '+', '-', '@'])
}

/// The cell with a leading `'` when a spreadsheet would run it (the apostrophe makes it text,
/// and spreadsheets do not show it). A cell that already starts with apostrophes before
/// something dangerous gets one more, so that [`unprotect`] can always take exactly one away.
pub fn protect(cell: &str) -> Cow<'_, str> {
    if dangerous(cell.trim_start_matches('\'')) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// The cell as it was before [`protect`].
pub fn unprotect(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if dangerous(rest.trim_start_matches('\'')) => rest,
        _ => cell,
    }
}

/// A CSV record with every cell protected.
pub fn protected<'a, I, S>(cells: I) -> Vec<String>
where
    I: IntoIterator<Item = S>,
    S: AsRef<str> + 'a,
{
    cells.into_iter().map(|c| protect(c.as_ref()).into_owned()).collect()
}

/// A record as read, with every cell unprotected.
pub fn unprotected(record: &csv::StringRecord) -> csv::StringRecord {
    record.iter().map(unprotect).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text_wherever_a_spreadsheet_would_start_one() {
        for cell in ["=HYPERLINK(\"http://x\")", "+31", "-2+3", "@SUM(A1)", "\t=2+2", "\r=1", "  =1+1"] {
            let p = protect(cell);
            assert!(p.starts_with('\''), "{cell:?} -> {p:?}");
        }
        for cell in ["gewoon verhaal", "0.7", "", "a=b", "e-mail"] {
            assert_eq!(protect(cell), cell);
        }
    }

    #[test]
    fn protecting_and_unprotecting_gives_back_every_cell() {
        for cell in
            ["=1", "'=1", "''=1", "'gewoon", "'", "-", "tekst", "\t=2+2", "=CONCAT(\"ht\",\"tp://x\")"]
        {
            assert_eq!(unprotect(&protect(cell)), cell, "{cell:?}");
        }
    }
}

//! Spreadsheet (XLSX) exports: a campaign's stories, and the tables of a map. Typed cells —
//! numbers as numbers, times as dates — so a facilitator can sort and chart without cleaning;
//! a frozen header row; one sheet per table. Stories are written in rust_xlsxwriter's
//! constant-memory mode: each row goes to a temporary file as it is written, so 100,000
//! stories take about as much memory as one page of them.
//!
//! Cells are written as strings or numbers, never as formulas, so a title like `=HYPERLINK(…)`
//! stays text here without the apostrophe the CSV export needs.

use super::export::{Pager, TagNames, line_tags_for, tags_by_story};
use crate::domain::{Answer, Campaign, SignifierKind, Story};
use crate::store::DynStore;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet, XlsxError};
use std::io::{Seek, Write};

/// Excel refuses longer strings in a cell.
const MAX_CELL_CHARS: usize = 32_767;
/// Rows in a sheet, header included.
const MAX_ROWS: u32 = 1_048_576;

const STORY_COLUMNS: [&str; 11] = [
    "id",
    "campaign",
    "external_id",
    "created_at",
    "language",
    "perspective",
    "age_band",
    "region",
    "prompt",
    "title",
    "text",
];
const TAG_COLUMNS: [&str; 7] = ["story_id", "theme", "state", "source", "confidence", "by", "at"];

fn cut(s: &str) -> &str {
    match s.char_indices().nth(MAX_CELL_CHARS) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

fn when(t: time::OffsetDateTime) -> Result<ExcelDateTime, XlsxError> {
    // Excel has no time zones: times are written in UTC, as the header says.
    let t = t.to_offset(time::UtcOffset::UTC);
    ExcelDateTime::from_ymd(t.year() as u16, t.month() as u8, t.day())?.and_hms(
        u16::from(t.hour()),
        t.minute(),
        f64::from(t.second()),
    )
}

fn header(sheet: &mut Worksheet, names: &[String], bold: &Format) -> Result<(), XlsxError> {
    for (c, name) in names.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, name, bold)?;
    }
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn story_headers(campaign: &Campaign) -> Vec<String> {
    let mut h: Vec<String> = STORY_COLUMNS.iter().map(|s| s.to_string()).collect();
    h[3] = "created_at (UTC)".into();
    for s in &campaign.def.signifiers {
        match s.kind {
            SignifierKind::Triad { .. } => (0..3).for_each(|i| h.push(format!("{}.{i}", s.id))),
            _ => h.push(s.id.clone()),
        }
    }
    h
}

struct Formats {
    bold: Format,
    date: Format,
}

fn write_story(
    sheet: &mut Worksheet,
    row: u32,
    campaign: &Campaign,
    story: &Story,
    f: &Formats,
) -> Result<(), XlsxError> {
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let texts: [(u16, String); 10] = [
        (0, story.id.clone()),
        (1, campaign.def.slug.clone()),
        (2, opt(&story.external_id)),
        (4, story.language.clone()),
        (5, story.perspective.as_str().to_string()),
        (6, story.age_band.map(|a| a.code().to_string()).unwrap_or_default()),
        (7, story.region.clone().or_else(|| story.municipality.clone()).unwrap_or_default()),
        (8, opt(&story.prompt_id)),
        (9, opt(&story.title)),
        (10, story.text.clone()),
    ];
    for (c, v) in &texts {
        if !v.is_empty() {
            sheet.write_string(row, *c, cut(v))?;
        }
    }
    sheet.write_datetime_with_format(row, 3, when(story.created_at)?, &f.date)?;
    let mut col = STORY_COLUMNS.len() as u16;
    for s in &campaign.def.signifiers {
        let width = if matches!(s.kind, SignifierKind::Triad { .. }) { 3 } else { 1 };
        match story.answers.get(&s.id) {
            None => {}
            Some(Answer::Skipped) => {
                for i in 0..width {
                    sheet.write_string(row, col + i, super::export::SKIPPED)?;
                }
            }
            Some(Answer::Triad(w)) if width == 3 => {
                for (i, x) in w.iter().enumerate() {
                    sheet.write_number(row, col + i as u16, *x)?;
                }
            }
            Some(Answer::Triad(w)) => {
                sheet.write_string(row, col, w.map(|x| x.to_string()).join(";"))?;
            }
            Some(Answer::Dyad(x)) => {
                sheet.write_number(row, col, *x)?;
            }
            Some(Answer::Single(v)) => {
                sheet.write_string(row, col, cut(v))?;
            }
            Some(Answer::Multi(v)) => {
                sheet.write_string(row, col, cut(&v.join(";")))?;
            }
        }
        col += width;
    }
    Ok(())
}

/// Writes every story of the campaign (sheet `stories`) and every tag with its provenance
/// (sheet `tags`) as an XLSX file into `out`; returns how many stories.
pub async fn export_stories<W: Write + Seek + Send>(
    store: &DynStore,
    campaign: &Campaign,
    out: W,
    mut on_story: impl FnMut(u64),
) -> anyhow::Result<u64> {
    let names = TagNames::load(store, campaign).await?;
    let mut book = Workbook::new();
    let f =
        Formats { bold: Format::new().set_bold(), date: Format::new().set_num_format("yyyy-mm-dd hh:mm:ss") };
    let headers = story_headers(campaign);
    {
        let sheet = book.add_worksheet_with_constant_memory()?;
        sheet.set_name("stories")?;
        header(sheet, &headers, &f.bold)?;
        sheet.set_column_width(3, 19)?;
        sheet.set_column_width(10, 80)?;
    }
    {
        let sheet = book.add_worksheet_with_constant_memory()?;
        sheet.set_name("tags")?;
        header(sheet, &TAG_COLUMNS.map(String::from), &f.bold)?;
        sheet.set_column_width(6, 19)?;
    }
    let mut pager = Pager::new(store, &campaign.id);
    let (mut row, mut tag_row, mut count) = (1u32, 1u32, 0u64);
    loop {
        let page = pager.next().await?;
        if page.is_empty() {
            break;
        }
        let tags = tags_by_story(store, &page).await?;
        for story in &page {
            if row >= MAX_ROWS {
                anyhow::bail!(
                    "more than {} stories do not fit in one sheet: export as CSV or JSON Lines",
                    MAX_ROWS - 1
                );
            }
            write_story(book.worksheet_from_index(0)?, row, campaign, story, &f)?;
            row += 1;
            let story_tags = tags.get(&story.id).map(Vec::as_slice).unwrap_or_default();
            let sheet = book.worksheet_from_index(1)?;
            for t in line_tags_for(story_tags, &names) {
                if tag_row >= MAX_ROWS {
                    anyhow::bail!(
                        "more than {} tags do not fit in one sheet: export as JSON Lines",
                        MAX_ROWS - 1
                    );
                }
                sheet.write_string(tag_row, 0, &story.id)?;
                sheet.write_string(tag_row, 1, cut(&t.theme))?;
                sheet.write_string(tag_row, 2, &t.state)?;
                sheet.write_string(tag_row, 3, t.source.as_deref().unwrap_or("manual"))?;
                if let Some(c) = t.confidence {
                    sheet.write_number(tag_row, 4, c)?;
                }
                if let Some(by) = &t.by {
                    sheet.write_string(tag_row, 5, by)?;
                }
                if let Some(at) = t.at {
                    sheet.write_datetime_with_format(tag_row, 6, when(at)?, &f.date)?;
                }
                tag_row += 1;
            }
            count += 1;
            on_story(count);
        }
    }
    book.save_to_writer(out)?;
    Ok(count)
}

/// A map cell as a spreadsheet value: `12` a number, `42%` a share (0.42, shown as a percentage),
/// anything else (labels, hidden cells, "n.v.t.") text.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    Number(f64),
    Share(f64),
    Text(&'a str),
}

pub fn typed(cell: &str) -> Cell<'_> {
    let t = cell.trim();
    // Dutch pages may write decimals with a comma.
    let parse = |s: &str| s.replace(',', ".").parse::<f64>().ok().filter(|x| x.is_finite());
    if let Some(p) = t.strip_suffix('%')
        && let Some(x) = parse(p.trim())
    {
        return Cell::Share(x / 100.0);
    }
    match parse(t) {
        Some(x) if !t.is_empty() => Cell::Number(x),
        _ => Cell::Text(cell),
    }
}

/// A table to write: its name (the sheet's), header and rows.
pub type NamedTable = (String, Vec<String>, Vec<Vec<String>>);

/// Tables as a workbook with one sheet each, written into `out`.
pub fn write_tables<W: Write + Seek + Send>(tables: &[NamedTable], out: W) -> anyhow::Result<()> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let share = Format::new().set_num_format("0%");
    let mut used = std::collections::HashSet::new();
    for (name, head, rows) in tables {
        let sheet = book.add_worksheet();
        // Sheet names: at most 31 characters, none of []:*?/\ , unique (Excel ignores case).
        let clean: String =
            name.chars().map(|c| if "[]:*?/\\".contains(c) { '_' } else { c }).take(28).collect();
        let mut unique = clean.clone();
        let mut n = 2;
        while !used.insert(unique.to_lowercase()) {
            unique = format!("{clean}~{n}");
            n += 1;
        }
        sheet.set_name(unique)?;
        header(sheet, head, &bold)?;
        for (r, row) in rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let c = c as u16;
                match typed(cell) {
                    Cell::Number(x) => sheet.write_number(r, c, x)?,
                    Cell::Share(x) => sheet.write_number_with_format(r, c, x, &share)?,
                    Cell::Text("") => sheet,
                    Cell::Text(s) => sheet.write_string(r, c, cut(s))?,
                };
            }
        }
    }
    book.save_to_writer(out)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_cells_become_numbers_shares_or_text() {
        assert_eq!(typed("12"), Cell::Number(12.0));
        assert_eq!(typed("0,25"), Cell::Number(0.25));
        assert_eq!(typed("42%"), Cell::Share(0.42));
        assert_eq!(typed("jongeren"), Cell::Text("jongeren"));
        assert_eq!(typed("<5"), Cell::Text("<5"));
        assert_eq!(typed(""), Cell::Text(""));
        assert_eq!(typed("NaN"), Cell::Text("NaN"));
    }

    #[test]
    fn long_cells_are_cut_at_the_excel_limit_on_a_character_boundary() {
        let s = "é".repeat(MAX_CELL_CHARS + 10);
        assert_eq!(cut(&s).chars().count(), MAX_CELL_CHARS);
        assert_eq!(cut("kort"), "kort");
    }
}

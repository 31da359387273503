//! `luister import` of CSV (as `luister export --format csv` writes it): the header, each record
//! turned into a story line (`line_from_csv`, which also undoes the export's formula protection)
//! and checked against its campaign as the importer does it (`prepare_line`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use luister::domain::story::StorySource;
use luister::transfer::export::line_from_csv;
use luister::transfer::import::prepare_line;
use luister_fuzz::{check_answers, campaign};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, file)) = data.split_first() else { return };
    let campaign = campaign(pick);
    // The same reader settings as `transfer::import::import_csv`.
    let mut csv = csv::Reader::from_reader(file);
    let Ok(headers) = csv.headers().cloned() else { return };
    for record in csv.records() {
        let Ok(record) = record else { continue };
        let Ok(line) = line_from_csv(&headers, &record) else { continue };
        if let Ok((story, _)) = prepare_line(campaign, line, StorySource::Import) {
            check_answers(&campaign.def.signifiers, &story.answers);
        }
    }
});

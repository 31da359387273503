//! `luister import` of JSON Lines: each line parsed as a story line and checked against its
//! campaign as the importer does it (`prepare_line`), before anything is stored.
#![no_main]

use libfuzzer_sys::fuzz_target;
use luister::domain::story::StorySource;
use luister::transfer::StoryLine;
use luister::transfer::import::prepare_line;
use luister_fuzz::{check_answers, campaign};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    let campaign = campaign(pick);
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        let Ok(parsed) = serde_json::from_str::<StoryLine>(line) else { continue };
        if let Ok((story, tags)) = prepare_line(campaign, parsed.clone(), StorySource::Import) {
            check_answers(&campaign.def.signifiers, &story.answers);
            assert_eq!(story.campaign_id, campaign.id);
            assert_eq!(tags, parsed.tags, "tags changed on the way in");
            if let Some(id) = &parsed.id {
                assert_eq!(&story.id, id, "the line's id was not kept");
            }
        }
    }
});

//! Campaign definition files (`CampaignDef::from_toml`, what `luister campaign import` and the
//! definition editor use): any text is a valid definition or an error, never a panic; a valid one
//! writes back to TOML that reads as the same definition, and updating it with itself is allowed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use luister::domain::CampaignDef;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(def) = CampaignDef::from_toml(text) else { return };
    let written = def.to_toml();
    let back = CampaignDef::from_toml(&written)
        .unwrap_or_else(|e| panic!("a valid definition does not read back: {e}\n{written}"));
    assert_eq!(back, def, "the definition changed on its way through TOML:\n{written}");
    let merged = def.merged_update(def.clone()).unwrap_or_else(|e| panic!("updating a definition with itself: {e}"));
    assert_eq!(merged, def, "updating a definition with itself changed it");
});

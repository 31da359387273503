//! The search language facilitators type (`search::query`): any text gets a syntax tree or an
//! error that points inside the query — never a panic — with and without theme and campaign
//! names to resolve.
#![no_main]

use libfuzzer_sys::fuzz_target;
use luister::search::query::{Names, parse, parse_with};
use std::sync::LazyLock;

static NAMES: LazyLock<Names> = LazyLock::new(|| Names {
    themes: Some(vec![
        ("t1".into(), "Wachtlijst".into()),
        ("t2".into(), "Informeel netwerk".into()),
        ("t3".into(), "Informeel netwerk school".into()),
        ("t4".into(), "Ééntje".into()),
    ]),
    campaigns: Some(vec![
        ("c1".into(), "eigen-netwerk".into(), "Leefwereldtoets: eigen netwerk".into()),
        ("c2".into(), "wachttijd".into(), "Wachttijd in de jeugdzorg".into()),
    ]),
});

fuzz_target!(|data: &[u8]| {
    let Ok(q) = std::str::from_utf8(data) else { return };
    let chars = q.chars().count();
    for result in [parse(q), parse_with(q, &NAMES)] {
        if let Err(e) = result {
            assert!(e.at <= chars, "error at {} in a query of {chars} chars: {}", e.at, e.message);
            assert!(!e.message.is_empty(), "an error without a message");
            let _ = e.pointer(q);
        }
    }
});

//! The scrubber (`analysis::scrub::scrub`): any text is scrubbed without a panic, the spans
//! describe the output, and scrubbing the output again changes nothing (idempotence).
#![no_main]

use libfuzzer_sys::fuzz_target;
use luister::analysis::scrub::scrub;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let out = scrub(text);
    let chars: Vec<char> = text.chars().collect();
    let mut last = 0;
    for s in &out.spans {
        assert!(last <= s.start && s.start < s.end && s.end <= chars.len(), "bad span {s:?} after {last}");
        let original: String = chars[s.start..s.end].iter().collect();
        assert_eq!(original, s.original, "span {s:?} is not the input's text");
        assert!(out.text.contains(s.kind.placeholder()), "no placeholder for {s:?}");
        last = s.end;
    }
    let again = scrub(&out.text);
    assert_eq!(again.text, out.text, "scrubbing twice changed the text of {text:?}");
});

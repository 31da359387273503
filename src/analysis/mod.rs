//! Text analysis that needs no database or web server: scrubbing personal details, spotting
//! stories that signal danger, language detection, and (later) tagging, discovery and
//! perspective maps. Pure functions over plain data.

pub mod agreement;
pub mod dashboard;
pub mod discovery;
pub mod language;
pub mod maps;
pub mod safeguarding;
pub mod scrub;
pub mod stats;
pub mod suggest;
pub mod suppression;
pub mod text;

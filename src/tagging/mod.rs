//! The theme-tagging pipeline as the application runs it: codebooks, rule tags (on arrival
//! and on demand), people's coding, model suggestions, coder agreement and discovery of common
//! threads. The algorithms themselves live in `analysis`; this module connects them to the store,
//! the search index and background jobs.

pub mod codebook;
pub mod coding;
pub mod error;
pub mod rules;
pub mod suggestions;
pub mod themes;
pub mod threads;

pub use error::TaggingError;
/// The unit of work the use cases write through: a change, its tag history and story events,
/// and its audit entry commit together or not at all.
pub(crate) type Tx = Box<dyn crate::store::StoreTx>;

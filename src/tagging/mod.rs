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
mod tx;

pub use error::TaggingError;
/// The unit of work the use cases write through.
pub(crate) type Tx = tx::Tx;

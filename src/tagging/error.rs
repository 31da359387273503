//! The one error type of the tagging use cases. Each variant is something a facilitator can be
//! told in words (the HTTP layer turns it into a page in one place); `Store` and `Other` are
//! the failures nobody can fix by typing something else.

use crate::search::exec::SearchError;
use crate::search::query::QueryError;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum TaggingError {
    /// The theme, story, run or thread is not (or no longer) there, or belongs elsewhere.
    #[error("not found")]
    NotFound,
    /// The input breaks a rule of the codebook; the message says which, in Dutch.
    #[error("{0}")]
    Invalid(String),
    /// Someone else changed the same thing first; the message says what to do.
    #[error("{0}")]
    Conflict(String),
    /// A rule's query parses but the search rejects it (an unknown label, for instance).
    #[error("{0}")]
    Rule(QueryError),
    /// The search index is being rebuilt: rules cannot be evaluated for a minute.
    #[error("the search index is being rebuilt")]
    Rebuilding,
    #[error(transparent)]
    Store(StoreError),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

pub type Result<T, E = TaggingError> = std::result::Result<T, E>;

impl From<StoreError> for TaggingError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => TaggingError::NotFound,
            e => TaggingError::Store(e),
        }
    }
}

impl From<SearchError> for TaggingError {
    fn from(e: SearchError) -> Self {
        match e {
            SearchError::Rebuilding => TaggingError::Rebuilding,
            SearchError::Query { error, .. } => TaggingError::Rule(error),
            e => TaggingError::Other(e.into()),
        }
    }
}

//! The one place a tagging use case's error becomes an HTTP error (a page, or JSON on `/api`):
//! the pages of themes, coding and discovery all answer through it.

use crate::http::error::{Error, ErrorKind};
use crate::tagging::TaggingError;

/// What a facilitator reads while the index is being rebuilt.
pub const REBUILDING: &str = "De zoekfunctie wordt opnieuw opgebouwd, dus dit kan nog niet. Er is niets bewaard; probeer het over een minuut opnieuw.";

impl From<TaggingError> for Error {
    fn from(e: TaggingError) -> Error {
        Error::new(match e {
            TaggingError::NotFound => ErrorKind::NotFound,
            TaggingError::Invalid(m) => ErrorKind::BadRequest(m),
            TaggingError::Conflict(m) => ErrorKind::Conflict(m),
            TaggingError::Rule(q) => ErrorKind::BadRequest(format!("De regel klopt niet: {}", q.message)),
            TaggingError::Rebuilding => ErrorKind::Conflict(REBUILDING.into()),
            TaggingError::Store(e) => return Error::from(e),
            TaggingError::Other(e) => ErrorKind::Internal(e.into()),
        })
    }
}

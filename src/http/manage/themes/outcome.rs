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

/// Turns a use case's error into its page. A failure nobody can fix by typing something else
/// gets a page that says the change was not saved and nothing was half done (the use cases
/// commit whole or not at all); the rest go through the shared error page.
pub(crate) trait OrChangePage<T> {
    fn or_change_page(self) -> Result<T, axum::response::Response>;
}

impl<T> OrChangePage<T> for Result<T, TaggingError> {
    fn or_change_page(self) -> Result<T, axum::response::Response> {
        use axum::response::IntoResponse;
        self.map_err(|e| match e {
            TaggingError::Store(crate::store::StoreError::Other(_)) | TaggingError::Other(_) => {
                tracing::error!(error = ?e, "a tagging change failed and was rolled back");
                crate::http::views::render(
                    axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                    true,
                    &crate::http::views::MessagePage {
                        page: crate::http::views::Page::new(crate::domain::Lang::Nl, "Niet bewaard"),
                        heading: "Er ging iets mis aan onze kant: je wijziging is niet bewaard".into(),
                        text: "Er is niets veranderd, ook niet half: het codeboek, de tags en de geschiedenis zijn zoals ze waren. Probeer het over een paar minuten opnieuw; blijft het misgaan, meld het dan aan de beheerder.".into(),
                        link: None,
                    },
                )
            }
            e => Error::from(e).html(crate::domain::Lang::Nl).into_response(),
        })
    }
}

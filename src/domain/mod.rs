//! Types and validation for the things luister talks about: campaigns, forms, signifiers, stories
//! and receipts. Pure: no IO, no HTTP, no SQL, so every rule here is unit-tested on its own.

pub mod action;
pub mod audit;
pub mod campaign;
pub mod error;
pub mod form_edit;
pub mod job;
pub mod lang;
pub mod receipt;
pub mod region;
pub mod safeguarding;
pub mod session;
pub mod signifier;
pub mod story;
pub mod story_set;
pub mod theme;
pub mod toets;
pub mod user;

pub use audit::{Actor, AuditAction, AuditEntry};
pub use campaign::{Campaign, CampaignDef, CampaignStatus, Prompt, RegionField};
pub use error::{FieldError, Problem};
pub use lang::{Lang, Localized};
pub use receipt::ReceiptCode;
pub use signifier::{Answer, Answers, ChoiceOption, Signifier, SignifierKind};
pub use story::{AgeBand, NewStory, Perspective, Story, StoryEvent, StoryEventKind, StoryText};
pub use user::{Role, User};

//! The parts of the `Store` trait, one file each; `Store` is their union. The SQL behind
//! each part is in the file of the same name under `shared/`.

mod accounts;
mod actions;
mod api_tokens;
mod audit;
mod campaigns;
mod codebook;
mod coordination;
mod core;
mod jobs;
mod maps;
mod samples;
mod sessions;
mod stories;
mod story_sets;

pub use accounts::AccountStore;
pub use actions::{ActionFilter, ActionStore, CampaignResults, PublishedQuote};
pub use api_tokens::ApiTokenStore;
pub use audit::AuditStore;
pub use campaigns::CampaignStore;
pub use codebook::CodebookStore;
pub use coordination::CoordinationStore;
pub use core::{PoolUse, StoreCore};
pub use jobs::JobStore;
pub use maps::MapStore;
pub use samples::SampleStore;
pub use sessions::SessionStore;
pub use stories::StoryStore;
pub use story_sets::StorySetStore;

//! Integration tests: the real app on a random port, against a fresh SQLite file and a fresh
//! PostgreSQL database. One binary, one module per area.

mod helpers;

mod api;
mod auth;
mod authz;
mod backup;
mod browser;
mod cli;
#[cfg(feature = "bench")]
mod crash;
mod discovery;
mod durability;
mod followers;
mod form;
mod hardening;
mod manage_campaigns;
mod manage_stories;
mod maps;
mod overload;
mod receipt;
mod retention;
mod schema;
mod search;
mod search_pages;
mod security;
mod store;
mod tagging;
mod transfer;

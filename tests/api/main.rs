//! Integration tests: the real app on a random port, against a fresh SQLite file and a fresh
//! PostgreSQL database. One binary, one module per area.

mod helpers;

mod actions;
mod api;
mod auth;
mod authz;
mod backup;
mod browser;
mod cli;
#[cfg(feature = "bench")]
mod crash;
mod dashboard;
mod discovery;
mod durability;
mod exports;
#[cfg(feature = "faults")]
mod faults;
mod followers;
mod form;
mod hardening;
mod manage_campaigns;
mod manage_stories;
mod map_pages;
mod maps;
mod openapi;
mod ops;
mod overload;
mod receipt;
mod retention;
mod schema;
mod search;
mod search_pages;
mod security;
mod sessions;
mod store;
mod tagging;
mod tokens;
mod transfer;

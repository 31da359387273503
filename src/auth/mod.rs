//! Accounts without the web: password rules and hashing, session tokens and timeouts, and the
//! one place that decides who may do what (`policy`).

pub mod accounts;
pub mod password;
pub mod policy;
pub mod session;
pub mod tokens;

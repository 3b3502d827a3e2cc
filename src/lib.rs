//! redliner: keep every version of a public statement in a git-backed store
//! and show word-level changes between them.
//!
//! The library does all the work and never touches the terminal, the clock or
//! the environment: callers pass time, colour choice and output streams.

pub mod capture;
pub mod diff;
pub mod error;
pub mod export;
pub mod heap;
pub mod history;
pub mod import;
pub mod input;
pub mod model;
pub mod record;
pub mod render;
pub mod store;
pub mod sync;
pub mod text;

pub use error::{Error, Result};

//! History questions over a document's revisions, read oldest first from the
//! store: who introduced each word ([`blame`]) and when a phrase was present
//! ([`search`]). They use the diff's equal spans, never the engine's insides.

pub mod blame;
pub mod search;

pub use blame::{blame, Blame, Provenance, Run};
pub use search::{search, Matcher, Period, SearchOptions};

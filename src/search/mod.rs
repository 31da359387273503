//! Search: a tantivy index derived from the database (see `engine`), the query language
//! (`query`), and running a search with facet counts, ranges, snippets and paging (`exec`).

pub mod document;
pub mod engine;
pub mod exec;
pub mod query;
pub mod schema;

pub use engine::{Engine, SearchHandle, Status};
pub use exec::{Facets, Hit, SearchError, SearchRequest, SearchResults, Snippet, Sort};
pub use query::Names;

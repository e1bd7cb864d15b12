//! The vocabulary the redactor, the verifier and the application share: types only.
//!
//! The manifest's schema, the release's file names, line numbers, the codes every refusal
//! and finding carries (with their remedies), removed spans and digests. Nothing here
//! recognises anything in a report: recognition lives in the redactor and, written apart, in
//! the verifier, so that no bug in shared code can blind both.

pub mod digest;
pub mod lines;
pub mod manifest;
pub mod names;
pub mod reason;
pub mod removal;

pub use digest::sha256;
pub use lines::Lines;
pub use removal::{Removal, RemovalKind};

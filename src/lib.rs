//! mopac-redact: publishes MOPAC reports without their restricted part.
//!
//! Every report goes one way through the stages:
//!
//! ```text
//! input -> (read) -> markdown::segment -> classify -> redact -> render -> verify -> release
//! ```
//!
//! The modules, by what they do:
//!
//! - [`report`]: one report through the stages; never fails (a panic quarantines it).
//! - [`batch`]: every report of a run in parallel, in a deterministic order.
//! - [`publish`]: the whole run, with every rule that keeps it safe ([`publish::Plan`]).
//! - [`release`]: the release written whole or not at all; [`paths`]: where a path leads.
//! - [`review`]: what an approver reads (explain, redline, the restricted parts).
//! - [`audit`]: an existing release checked against its sources.
//! - [`cli`] and [`show`]: the command line and what it prints; [`manual`]: its manual pages;
//!   [`generator`]: the build.
//! - [`stop`]: SIGINT and SIGTERM, which stop a run cleanly.
//! - [`word`]: a Word report read into the Markdown every other stage reads.
//!
//! Nothing is written for a report unless the independent check of `mopac_verifier`
//! passed on its finished outputs.

pub mod audit;
pub mod batch;
pub mod cli;
pub mod generator;
pub mod inputs;
pub mod manual;
pub mod paths;
pub mod previous;
pub mod publish;
pub mod release;
pub mod report;
pub mod review;
pub mod show;
pub mod spool;
pub mod stop;
pub mod word;

// The entry points the integration tests and the benchmarks use, by their short names.
pub use batch::{Batch, Carried, Destination, Discard, run};
pub use generator::GENERATOR;
pub use report::{Processed, guarded, process};

//! The build's identity, as a release's manifest records it.

/// The tool's name, version and the digest of the sources it was built from (build.rs), as
/// the manifest records it. A release whose manifest names another build is not carried
/// over from: its reports are made and checked afresh.
pub const GENERATOR: &str = concat!(
    "mopac-redact ",
    env!("CARGO_PKG_VERSION"),
    " (source ",
    env!("MOPAC_SOURCE_DIGEST"),
    ")"
);

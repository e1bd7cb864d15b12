//! Digests, labelled with their algorithm (`sha256:…`) so that an auditor can check them with
//! standard tools.

use sha2::{Digest, Sha256};

/// `sha256:` of some bytes.
pub fn sha256(bytes: &[u8]) -> String {
    format!("sha256:{:x}", Sha256::digest(bytes))
}

/// `sha256:` of several byte strings, each followed by a NUL byte, so that no two lists of
/// parts give the same bytes to hash.
pub fn sha256_parts<'a>(parts: impl IntoIterator<Item = &'a [u8]>) -> String {
    let mut hash = Sha256::new();
    for part in parts {
        hash.update(part);
        hash.update([0]);
    }
    format!("sha256:{:x}", hash.finalize())
}

//! Digests, labelled with their algorithm (`sha256:…`) so that an auditor can check them with
//! standard tools.

use sha2::{Digest, Sha256};

/// `sha256:` of some bytes.
pub fn sha256(bytes: &[u8]) -> String {
    format!("sha256:{:x}", Sha256::digest(bytes))
}

/// A writer that passes every byte on and takes its `sha256:` on the way: a file too large
/// to read back whole is digested as it is written.
pub struct DigestWriter<W> {
    inner: W,
    hash: Sha256,
}

impl<W: std::io::Write> DigestWriter<W> {
    pub fn new(inner: W) -> Self {
        DigestWriter {
            inner,
            hash: Sha256::new(),
        }
    }

    /// The writer, and the `sha256:` of every byte written through it.
    pub fn finish(self) -> (W, String) {
        (self.inner, format!("sha256:{:x}", self.hash.finalize()))
    }
}

impl<W: std::io::Write> std::io::Write for DigestWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    /// Written in pieces, the bytes get the digest they get whole.
    #[test]
    fn a_digest_taken_while_writing_is_the_digest_of_the_bytes() {
        let mut w = DigestWriter::new(Vec::new());
        w.write_all(b"Part 1 ").unwrap();
        w.write_all(b"is published").unwrap();
        let (bytes, digest) = w.finish();
        assert_eq!(bytes, b"Part 1 is published");
        assert_eq!(digest, sha256(b"Part 1 is published"));
        assert_ne!(digest, sha256(b"Part 1 "));
    }
}

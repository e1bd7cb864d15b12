//! Fingerprints of withheld text: runs of words and distinctive tokens, hashed.
//!
//! A withheld text's fingerprints are its runs of [`SHINGLE`] words and its distinctive
//! tokens (amounts, long numbers, URLs, e-mail addresses, capitalised names); a fingerprint
//! the public part also carries is no sign of a leak.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use regex::Regex;

use crate::disguise::next_space;

/// Words in a run: six words in a row are the public part's or the withheld part's own.
pub const SHINGLE: usize = 6;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

/// The words of a flattened text, each with its hash (FNV-1a, combined per run of words for
/// shingles). A collision between a withheld and a public shingle would clear the withheld
/// one: at 64 bits, not a chance to reckon with.
pub struct Words<'a> {
    words: Vec<&'a str>,
    hashes: Vec<u64>,
}

impl<'a> Words<'a> {
    pub fn new(flat: &'a str) -> Self {
        let mut words = Vec::with_capacity(flat.len() / 6);
        let mut hashes = Vec::with_capacity(flat.len() / 6);
        // The words are the non-empty runs between spaces, each hashed from its first byte:
        // what one loop over every byte that restarts the hash at each space gives. A word's
        // end is found eight bytes at a time ([`next_space`]: the first space at or after its
        // start, or the end), then its bytes are hashed in order with no test for a space:
        // the same runs, the same bytes hashed in the same order, the same hashes.
        let bytes = flat.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            let end = next_space(bytes, at);
            if end > at {
                // `at` is 0 or follows a space and `end` is a space or the end: both stand
                // between characters.
                let word = &flat[at..end];
                words.push(word);
                hashes.push(word.bytes().fold(FNV_OFFSET, |h, b| {
                    (h ^ u64::from(b)).wrapping_mul(FNV_PRIME)
                }));
            }
            at = end + 1;
        }
        Words { words, hashes }
    }

    /// Hashes of every run of [`SHINGLE`] words (none in a shorter text: the distinctive
    /// tokens cover those).
    pub fn shingles(&self) -> impl Iterator<Item = u64> + '_ {
        self.hashes.windows(SHINGLE).map(|run| {
            run.iter().fold(0x9E37_79B9_7F4A_7C15_u64, |h, w| {
                (h.rotate_left(23) ^ w).wrapping_mul(0xBF58_476D_1CE4_E5B9)
            })
        })
    }
}

/// True when the texts `seqs` hold a shingle of `secret` or one of the `tokens`.
pub fn holds(seqs: &[Words<'_>], secret: &U64Set, tokens: &Tokens<'_>) -> bool {
    seqs.iter()
        .flat_map(Words::shingles)
        .any(|h| secret.contains(&h))
        || tokens.any_in(seqs)
}

/// Distinctive tokens of a withheld text, each a run of words, found by their first word.
pub struct Tokens<'a> {
    tokens: Vec<Words<'a>>,
    by_first: HashMap<u64, Vec<usize>, BuildHasherDefault<U64Hasher>>,
}

impl<'a> Tokens<'a> {
    pub fn new(tokens: Vec<Words<'a>>) -> Self {
        let mut by_first: HashMap<u64, Vec<usize>, BuildHasherDefault<U64Hasher>> =
            HashMap::default();
        for (i, t) in tokens.iter().enumerate() {
            if let Some(&first) = t.hashes.first() {
                by_first.entry(first).or_default().push(i);
            }
        }
        Tokens { tokens, by_first }
    }

    /// Each token that `seq` holds at `at`, compared word for word.
    fn at<'s>(&'s self, seq: &'s Words<'_>, at: usize) -> impl Iterator<Item = usize> + 's {
        self.by_first
            .get(&seq.hashes[at])
            .into_iter()
            .flatten()
            .copied()
            .filter(move |&i| seq.words[at..].starts_with(&self.tokens[i].words))
    }

    /// Forgets the tokens that a public text also holds.
    pub fn remove_found_in(&mut self, public: &[Words<'_>]) {
        let mut found = vec![false; self.tokens.len()];
        for seq in public {
            for at in 0..seq.words.len() {
                self.at(seq, at).for_each(|i| found[i] = true);
            }
        }
        for list in self.by_first.values_mut() {
            list.retain(|&i| !found[i]);
        }
    }

    /// The indices of the tokens not yet forgotten, in order.
    pub fn kept(&self) -> Vec<usize> {
        let mut kept: Vec<usize> = self.by_first.values().flatten().copied().collect();
        kept.sort_unstable();
        kept
    }

    /// True when any text of `seqs` holds a token.
    pub fn any_in(&self, seqs: &[Words<'_>]) -> bool {
        seqs.iter()
            .any(|seq| (0..seq.words.len()).any(|at| self.at(seq, at).next().is_some()))
    }
}

/// Hashes values that are hashes already: a final mix, nothing more.
#[derive(Default)]
pub struct U64Hasher(u64);

impl Hasher for U64Hasher {
    fn finish(&self) -> u64 {
        let x = self.0;
        (x ^ (x >> 31)).wrapping_mul(0x94D0_49BB_1331_11EB) ^ (x >> 29)
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub type U64Set = HashSet<u64, BuildHasherDefault<U64Hasher>>;

/// Amounts, long numbers, URLs, e-mail addresses and capitalised names.
pub fn distinctive(text: &str) -> Vec<String> {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(
            r"(?x)
              [£$€]\s?\d[\d,.]*(?:\s?(?:k|m|bn|million|billion)(?-u:\b))?
            | (?-u:\b)\d{1,3}(?:,\d{3})+(?:\.\d+)?(?-u:\b)
            | (?-u:\b)\d{5,}(?-u:\b)
            | (?-u:\b)https?://[^\s)>\]]+
            | (?-u:\b)[\w.+-]+@[\w-]+\.[\w.-]+
            | (?-u:\b)\p{Lu}\p{Ll}+(?:\s+\p{Lu}\p{Ll}+){1,5}
            ",
        )
        .expect("the fingerprint pattern compiles")
    });
    re.find_iter(text).map(|m| m.as_str().to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The words and hashes as a byte loop reads them, restarting the hash at every space.
    fn plain(flat: &str) -> (Vec<&str>, Vec<u64>) {
        let (mut words, mut hashes) = (Vec::new(), Vec::new());
        let mut start = 0;
        let mut hash = FNV_OFFSET;
        for (i, &b) in flat.as_bytes().iter().enumerate() {
            if b == b' ' {
                if i > start {
                    words.push(&flat[start..i]);
                    hashes.push(hash);
                }
                start = i + 1;
                hash = FNV_OFFSET;
            } else {
                hash = (hash ^ u64::from(b)).wrapping_mul(FNV_PRIME);
            }
        }
        if flat.len() > start {
            words.push(&flat[start..]);
            hashes.push(hash);
        }
        (words, hashes)
    }

    #[test]
    fn words_are_read_as_the_byte_loop_reads_them() {
        let mut flats = crate::samples::flats(400, 30);
        flats.extend(
            [
                " ",
                "  a  b ",
                "a",
                " a",
                "a ",
                "\u{e9} \u{e9}",
                "abcdefgh ijklmnopq rstuvwxyz0123456789",
                "        a        ",
                "abcdefg  hijklmno         p",
                "\u{e9}\u{e9}\u{e9}\u{e9}\u{e9} \u{4e2d}\u{6587}\u{5b57} official sensitive",
            ]
            .map(String::from),
        );
        // Every place of a space in texts of up to 20 bytes.
        for len in 0..20 {
            for space in 0..len {
                let mut t = "x".repeat(len);
                t.replace_range(space..=space, " ");
                flats.push(t);
            }
        }
        for flat in &flats {
            let w = Words::new(flat);
            assert_eq!((w.words.clone(), w.hashes.clone()), plain(flat), "{flat:?}");
        }
    }
}

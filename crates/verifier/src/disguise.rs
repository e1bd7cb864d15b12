//! Markings written in disguise, found the verifier's own way.
//!
//! A reader takes "0FFICIAL-5EN5ITIVE", "SENSlTIVE", "ŦOP SECRET" or "S E C R E T" for the
//! marking, while a pattern for the marking does not match them. On flattened text (letters
//! and digits, one space between runs, see [`crate::text`]), a marking word is found
//! disguised when one token, or a few tokens in a row, spell it with some positions held by
//! a stand-in: a digit, a letter outside ASCII, `l`/`I`/`1` for one another, or the gap
//! left by a symbol between two tokens ("SENS|TIVE" flattens to "SENS TIVE"). At least half
//! of its letters must be the word's own; the word written plainly as one token is the
//! marking detector's to judge, not a disguise.

/// The words whose disguise is a finding: what markings are made of.
const WORDS: [&str; 6] = [
    "OFFICIAL",
    "SENSITIVE",
    "SECRET",
    "RESTRICTED",
    "CONFIDENTIAL",
    "PROTECT",
];

/// The longest word, in characters.
const LONGEST: usize = 12;

/// True when flattened `text` holds a marking word in disguise.
pub fn found(text: &str) -> bool {
    let tokens: Vec<&str> = text.split(' ').filter(|t| !t.is_empty()).collect();
    let mut plain: Vec<char> = Vec::with_capacity(LONGEST + 1);
    let mut gapped: Vec<char> = Vec::with_capacity(2 * LONGEST);
    for start in 0..tokens.len() {
        let t = tokens[start];
        // A symbol at a word's edge leaves the rest of it: "$ECRET" flattens to "ECRET".
        if t.len() >= 5
            && t.len() < LONGEST
            && t.bytes().all(|b| b.is_ascii_uppercase())
            && edge_spells(t)
        {
            return true;
        }
        // Nearly every word opens with a letter no marking word opens with, nor a stand-in:
        // nothing to spell from here.
        if !t.chars().next().is_some_and(could_open) {
            continue;
        }
        // One token, then two or more in a row, joined without a gap (letters spaced out)
        // or with a stand-in where each gap is (a symbol flattened to a space).
        plain.clear();
        gapped.clear();
        for (k, token) in tokens[start..].iter().enumerate() {
            if k > 0 {
                gapped.push(GAP);
            }
            plain.extend(token.chars());
            gapped.extend(token.chars());
            if plain.len() > LONGEST || !(could_begin(&plain) || could_begin(&gapped)) {
                // No marking word goes on from here ("Policing" is no start of PROTECT).
                break;
            }
            let several = k > 0;
            if spells(&plain, several) || (several && spells(&gapped, true)) {
                return true;
            }
        }
    }
    false
}

/// True when `chars` could begin a marking word, letter by letter or by stand-ins.
fn could_begin(chars: &[char]) -> bool {
    WORDS.iter().any(|w| {
        chars.len() <= w.len()
            && chars
                .iter()
                .zip(w.chars())
                .all(|(c, l)| c.to_ascii_uppercase() == l || stands_in(*c, l))
    })
}

/// True when `c` can open a marking word: its first letter, or a stand-in for it.
fn could_open(c: char) -> bool {
    WORDS
        .iter()
        .any(|w| w.starts_with(c.to_ascii_uppercase()) || stands_in(c, w.as_bytes()[0] as char))
}

/// True when a stand-in before or after `t` would make it a marking word.
fn edge_spells(t: &str) -> bool {
    let chars: Vec<char> = t.chars().collect();
    let mut front = vec![GAP];
    front.extend(&chars);
    let mut back = chars;
    back.push(GAP);
    spells(&front, true) || spells(&back, true)
}

/// The stand-in for a symbol that flattening turned into a gap.
const GAP: char = '\u{0}';

/// True when `chars` spell a marking word with stand-ins, or (`several`: made of more than
/// one token) spell it at all.
fn spells(chars: &[char], several: bool) -> bool {
    WORDS.iter().any(|w| {
        if w.len() != chars.len() {
            return false;
        }
        let mut own = 0;
        for (c, l) in chars.iter().zip(w.chars()) {
            if c.to_ascii_uppercase() == l {
                own += 1;
            } else if !stands_in(*c, l) {
                return false;
            }
        }
        (several || own < w.len()) && own * 2 >= w.len()
    })
}

/// True when `c` can stand for the capital letter `l` in a disguise.
fn stands_in(c: char, l: char) -> bool {
    c == GAP
        || c.is_ascii_digit()
        || (!c.is_ascii() && c.is_alphabetic())
        || (matches!(l, 'I' | 'L') && matches!(c, 'l' | 'I' | 'i' | 'L'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::marking_text;

    #[test]
    fn disguised_markings_are_found() {
        for text in [
            "0FFICIAL-5EN5ITIVE",
            "OFFICIAL-SENSlTIVE",
            "OFFICIAL-SENS1TIVE",
            "\u{166}OP SECRE\u{166}",
            "S E C R E T",
            "R E S T R I C T E D",
            "$ECRET",
            "SENS|TIVE papers",
            "C0NFIDENTIAL",
            "PR0TECT",
        ] {
            assert!(found(&marking_text(text)), "{text}");
        }
    }

    #[test]
    fn plain_words_and_ordinary_text_are_not_disguises() {
        for text in [
            "OFFICIAL-SENSITIVE",
            "OFFICIAL \u{2013} PUBLIC",
            "official secrets and a sensitive matter; protect the public",
            "1,200 m\u{b2} of custody space in 2026/27, PCD 1519",
            "\u{141}ukasz Nowak and Zo\u{eb} Bront\u{eb}",
            "options a, b and c",
            "Report author: Hafsa Limbani, MOPAC",
            "The Deputy Mayor for Policing and Crime",
        ] {
            assert!(!found(&marking_text(text)), "{text}");
        }
    }
}

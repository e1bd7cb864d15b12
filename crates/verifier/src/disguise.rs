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
//!
//! The words of the tiers a configuration adds are read the same way ([`found_in`]), apart
//! from the built-in words' tables, which stay as fast as they are.

use crate::marking::Word;

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
    let mut plain: Vec<char> = Vec::with_capacity(2 * LONGEST);
    let mut gapped: Vec<char> = Vec::with_capacity(2 * LONGEST);
    let bytes = text.as_bytes();
    let mut at = 0;
    // Token by token, as [`next_candidate`] finds them: a byte inside a token is never a
    // token's start, so a token that may not matter is passed over whole, its end found by
    // one search for the space instead of a test of every byte.
    while at < bytes.len() {
        if bytes[at] == b' ' {
            at += 1;
            continue;
        }
        let start = at;
        // The token's first two bytes are judged before its end is looked for, and its end
        // is found eight bytes at a time ([`next_space`]): the same token, the same test.
        let end = next_space(bytes, start);
        at = end;
        if may_open(bytes[start])
            && may_begin(bytes[start], bytes.get(start + 1).copied())
            && spelt_from(&text[start..end], &text[end..], &mut plain, &mut gapped)
        {
            return true;
        }
    }
    false
}

/// True when `letters` (in capitals) are a built-in marking word, whose disguises
/// [`found`] finds.
pub(crate) fn built_in(letters: &[u8]) -> bool {
    WORDS.iter().any(|w| w.as_bytes() == letters)
}

/// True when flattened `text` holds one of `words` (the words of the tiers a configuration
/// adds) in disguise: read as [`found`] reads the built-in words (a token or a few in a row
/// spelling the word with stand-ins, gaps left by symbols or letters spaced out, or a word
/// whose edge a symbol took), or written as one token in mixed case ("CLASSIFiED",
/// "ClAsSiFiEd": neither in lower case, in capitals nor capitalised), which a pattern that
/// matches the word only in capitals does not match. A digit that looks like the letter it
/// stands for ("CL4551F13D") counts as that letter towards the half a disguise must hold.
///
/// Word by word and token by token, without the built-in words' tables: it is read only
/// when a configuration adds words.
pub(crate) fn found_in(text: &str, words: &[Word]) -> bool {
    let longest = words.iter().map(|w| w.letters.len()).max().unwrap_or(0);
    let tokens: Vec<&str> = text.split(' ').filter(|t| !t.is_empty()).collect();
    let mut plain: Vec<char> = Vec::with_capacity(2 * longest);
    let mut gapped: Vec<char> = Vec::with_capacity(2 * longest);
    for (i, &t) in tokens.iter().enumerate() {
        if words.iter().any(|w| mixed_case(t, w) || edge_of(t, w)) {
            return true;
        }
        plain.clear();
        gapped.clear();
        for (k, &t) in tokens[i..].iter().enumerate() {
            if k > 0 {
                gapped.push(GAP);
            }
            plain.extend(t.chars());
            gapped.extend(t.chars());
            let several = k > 0;
            let may = words
                .iter()
                .any(|w| begins(&plain, w) || (several && begins(&gapped, w)));
            if plain.len() > longest || !may {
                // No word goes on from here.
                break;
            }
            if words.iter().any(|w| {
                spells_word(&plain, w, several) || (several && spells_word(&gapped, w, true))
            }) {
                return true;
            }
        }
    }
    false
}

/// True when `chars` could begin `word`, letter by letter or by stand-ins.
fn begins(chars: &[char], word: &Word) -> bool {
    chars.len() <= word.letters.len()
        && chars
            .iter()
            .zip(&word.letters)
            .all(|(&c, &l)| c.to_ascii_uppercase() == char::from(l) || stands_in(c, char::from(l)))
}

/// True when `chars` spell `word` with stand-ins, or (`several`: made of more than one
/// token) spell it at all; at least half of its letters must be its own or digits that look
/// like them, and two its own.
fn spells_word(chars: &[char], word: &Word, several: bool) -> bool {
    if chars.len() != word.letters.len() {
        return false;
    }
    let (mut own, mut like) = (0, 0);
    for (&c, &l) in chars.iter().zip(&word.letters) {
        let l = char::from(l);
        if c.to_ascii_uppercase() == l {
            own += 1;
        } else if !stands_in(c, l) {
            return false;
        } else if digit_like(c) == Some(l) {
            like += 1;
        }
    }
    let n = word.letters.len();
    (several || own < n) && own >= 2 && (own + like) * 2 >= n
}

/// The letter a digit is written for in a disguise ("5" for S, "0" for O).
fn digit_like(c: char) -> Option<char> {
    Some(match c {
        '0' => 'O',
        '1' => 'I',
        '2' => 'Z',
        '3' => 'E',
        '4' => 'A',
        '5' => 'S',
        '6' => 'G',
        '7' => 'T',
        '8' => 'B',
        '9' => 'G',
        _ => return None,
    })
    .filter(|_| c.is_ascii_digit())
}

/// True when token `t` is `word` in mixed case: its letters, in neither lower case,
/// capitals nor capitalised.
fn mixed_case(t: &str, word: &Word) -> bool {
    let b = t.as_bytes();
    b.len() == word.letters.len()
        && b.iter()
            .zip(&word.letters)
            .all(|(c, l)| c.to_ascii_uppercase() == *l)
        && !b.iter().all(u8::is_ascii_lowercase)
        && !b.iter().all(u8::is_ascii_uppercase)
        && !(b[0].is_ascii_uppercase() && b[1..].iter().all(u8::is_ascii_lowercase))
}

/// True when token `t`, in capitals, is `word` whose first or last letter a symbol took
/// ("$ECRET" flattens to "ECRET").
fn edge_of(t: &str, word: &Word) -> bool {
    if t.len() < 5
        || t.len() + 1 != word.letters.len()
        || !t.bytes().all(|b| b.is_ascii_uppercase())
    {
        return false;
    }
    let chars: Vec<char> = t.chars().collect();
    let mut front = vec![GAP];
    front.extend(&chars);
    let mut back = chars;
    back.push(GAP);
    spells_word(&front, word, true) || spells_word(&back, word, true)
}

/// Where the first space at or after `from` stands, or the end of `bytes`, found eight
/// bytes at a time.
pub(crate) fn next_space(bytes: &[u8], from: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut at = from;
    while let Some(word) = bytes.get(at..at + 8) {
        let x = u64::from_le_bytes(word.try_into().expect("eight bytes")) ^ (0x20 * ONES);
        // A space is a zero byte of `x`. The lowest byte this sets the high bit of is the
        // first zero byte: a byte below it sets it only when it is zero, and a borrow only
        // runs upwards from a zero byte.
        let zero = x.wrapping_sub(ONES) & !x & HIGH;
        if zero != 0 {
            return at + (zero.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    bytes
        .get(at..)
        .and_then(|rest| rest.iter().position(|&b| b == b' '))
        .map_or(bytes.len(), |i| at + i)
}

/// True when a disguise starts with token `t`, `after` being the rest of the text: the
/// token alone, with a stand-in at its edge, or with the tokens after it. `plain` and
/// `gapped` are room for the characters read.
fn spelt_from(t: &str, after: &str, plain: &mut Vec<char>, gapped: &mut Vec<char>) -> bool {
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
    let first = t.as_bytes()[0];
    let opens = if first.is_ascii() {
        // [`may_open`] is exact for ASCII but for capitals.
        !first.is_ascii_uppercase() || could_open(first as char)
    } else {
        t.chars().next().is_some_and(could_open)
    };
    if !opens {
        return false;
    }
    // Most of the others are ASCII words that begin no marking word ("services", "costs",
    // "2024"): judged on their bytes, as the loop below judges them on its first step. There
    // `plain` and `gapped` are the token's characters (an ASCII byte is one) and the words
    // they could begin are `begun_ascii` of its bytes: when there are none, the loop stops
    // there and nothing is found.
    if t.is_ascii() && begun_ascii(t.as_bytes()) == 0 {
        return false;
    }
    // One token, then two or more in a row, joined without a gap (letters spaced out)
    // or with a stand-in where each gap is (a symbol flattened to a space).
    plain.clear();
    gapped.clear();
    // The marking words that `plain` and `gapped` could still begin, one bit a word: a
    // prefix that one character rules out stays ruled out, so checking only the characters
    // each step adds gives what [`could_begin`] gives on the whole.
    let (mut plain_may, mut gapped_may) = (ALL_WORDS, ALL_WORDS);
    let mut token = Some((t, after));
    let mut k = 0;
    while let Some((t, after)) = token {
        let (plain_from, gapped_from) = (plain.len(), gapped.len());
        if k > 0 {
            gapped.push(GAP);
        }
        plain.extend(t.chars());
        gapped.extend(t.chars());
        plain_may = still_begun(plain_may, plain, plain_from);
        // Until a gap is added the two are the same characters: the same words.
        gapped_may = if k == 0 {
            plain_may
        } else {
            still_begun(gapped_may, gapped, gapped_from)
        };
        if plain.len() > LONGEST || (plain_may | gapped_may) == 0 {
            // No marking word goes on from here ("Policing" is no start of PROTECT).
            break;
        }
        let several = k > 0;
        if spells(plain, several) || (several && spells(gapped, true)) {
            return true;
        }
        token = next_token(after);
        k += 1;
    }
    false
}

/// Every marking word, one bit each.
const ALL_WORDS: u8 = (1 << WORDS.len()) - 1;

/// Of the words in `may` that `chars[..from]` could begin, those that `chars` could begin
/// ([`could_begin`] word by word, on the characters from `from` on).
///
/// Worked out by a table of the words each character fits at each place ([`fits`]): a word
/// is kept when it is as long as `chars` and every new character fits it at its place,
/// which is what [`still_begun_plain`] asks of it letter by letter.
fn still_begun(may: u8, chars: &[char], from: usize) -> u8 {
    if chars.len() > LONGEST {
        // No word is that long.
        return 0;
    }
    let mut may = may & long_enough(chars.len());
    for (p, &c) in chars.iter().enumerate().skip(from) {
        if may == 0 {
            break;
        }
        may &= fits(c, p);
    }
    may
}

/// [`still_begun`] of all the words for the characters of an ASCII token (a byte is a
/// character): the words it could begin.
fn begun_ascii(token: &[u8]) -> u8 {
    if token.len() > LONGEST {
        return 0;
    }
    let mut may = long_enough(token.len());
    for (p, &b) in token.iter().enumerate() {
        if may == 0 {
            break;
        }
        may &= fits(char::from(b), p);
    }
    may
}

/// The marking words of `n` letters or more (`n` at most [`LONGEST`]), one bit a word.
#[inline]
fn long_enough(n: usize) -> u8 {
    static LONG_ENOUGH: [u8; LONGEST + 1] = {
        let mut table = [0; LONGEST + 1];
        let mut n = 0;
        while n <= LONGEST {
            let mut i = 0;
            while i < WORDS.len() {
                if WORDS[i].len() >= n {
                    table[n] |= 1 << i;
                }
                i += 1;
            }
            n += 1;
        }
        table
    };
    LONG_ENOUGH[n]
}

/// The marking words whose letter at place `p` (below [`LONGEST`]) character `c` is, or
/// stands in for: `c.to_ascii_uppercase() == l || stands_in(c, l)`, from a table for ASCII
/// ([`FITS`]); a character outside ASCII stands in for any letter when it is alphabetic, and
/// is none.
#[inline]
fn fits(c: char, p: usize) -> u8 {
    match FITS.get(c as usize) {
        Some(at) => at[p],
        None if c.is_alphabetic() => long_enough(p + 1),
        None => 0,
    }
}

/// [`fits`] for every ASCII character at every place, worked out when the crate is built
/// from [`stands_in`] as it reads ASCII: the gap's stand-in (byte 0) and a digit stand in
/// for any letter, `l`, `I`, `i` and `L` for `I` and `L` (a test holds the table to
/// [`stands_in`]).
static FITS: [[u8; LONGEST]; 128] = {
    let mut table = [[0; LONGEST]; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        let mut i = 0;
        while i < WORDS.len() {
            let w = WORDS[i].as_bytes();
            let mut p = 0;
            while p < w.len() {
                let l = w[p];
                let stands = c == 0
                    || c.is_ascii_digit()
                    || (matches!(l, b'I' | b'L') && matches!(c, b'l' | b'I' | b'i' | b'L'));
                if c.to_ascii_uppercase() == l || stands {
                    table[b][p] |= 1 << i;
                }
                p += 1;
            }
            i += 1;
        }
        b += 1;
    }
    table
};

/// [`still_begun`] as first written, word by word and letter by letter.
#[cfg(test)]
fn still_begun_plain(may: u8, chars: &[char], from: usize) -> u8 {
    let mut may = may;
    for (i, w) in WORDS.iter().enumerate() {
        if may & (1 << i) == 0 {
            continue;
        }
        // The word's letters at the new characters' places; none when `chars` is longer.
        let fits = w.as_bytes().get(from..chars.len()).is_some_and(|letters| {
            chars[from..].iter().zip(letters).all(|(&c, &l)| {
                let l = char::from(l);
                c.to_ascii_uppercase() == l || stands_in(c, l)
            })
        });
        if !fits {
            may &= !(1 << i);
        }
    }
    may
}

/// Where the next token that may matter starts, from byte `at` on: one that opens with a
/// byte no marking word can open with (nearly every word) cannot start a disguise, nor be
/// the rest of a word whose edge a symbol took ("ECRET" opens with a capital; every
/// token opening with one is looked at). A byte loop, for the text is long and most of it
/// is ordinary words.
#[cfg(test)]
fn next_candidate(bytes: &[u8], mut at: usize) -> Option<usize> {
    while at < bytes.len() {
        let b = bytes[at];
        if b != b' '
            && (at == 0 || bytes[at - 1] == b' ')
            && may_open(b)
            && may_begin(b, bytes.get(at + 1).copied())
        {
            return Some(at);
        }
        at += 1;
    }
    None
}

/// True unless a token's first two bytes (`second` is `None` or a space for a token of
/// one) show that it can neither begin a marking word, letter by letter or by stand-ins,
/// nor be a word of capitals whose edge a symbol took. Worked out once, from
/// [`could_begin`], for every pair of ASCII bytes; a byte outside ASCII always may.
fn may_begin(first: u8, second: Option<u8>) -> bool {
    static TABLE: std::sync::OnceLock<Vec<bool>> = std::sync::OnceLock::new();
    let second = match second {
        Some(b' ') | None => 0,
        Some(b) => b,
    };
    if !first.is_ascii() || !second.is_ascii() {
        return true;
    }
    let table = TABLE.get_or_init(|| {
        let mut table = vec![false; 128 * 128];
        for a in 1..128u8 {
            for b in 0..128u8 {
                let chars: Vec<char> = [a, b]
                    .into_iter()
                    .filter(|&x| x != 0)
                    .map(char::from)
                    .collect();
                table[usize::from(a) * 128 + usize::from(b)] =
                    could_begin(&chars) || (a.is_ascii_uppercase() && b.is_ascii_uppercase());
            }
        }
        table
    });
    table[usize::from(first) * 128 + usize::from(second)]
}

/// True when a token opening with byte `b` may matter: a capital (a word whose first
/// letter a symbol took, "ECRET"), a digit or a letter that a marking word opens with, or
/// the first byte of a character outside ASCII.
fn may_open(b: u8) -> bool {
    // The ASCII bytes that [`could_open`] accepts, spelt out (a test holds them equal).
    !b.is_ascii()
        || b.is_ascii_uppercase()
        || b.is_ascii_digit()
        || matches!(b, b'o' | b's' | b'r' | b'c' | b'p')
}

/// The next token of flattened `text` (runs between spaces), and what follows it.
fn next_token(text: &str) -> Option<(&str, &str)> {
    let text = text.trim_start_matches(' ');
    if text.is_empty() {
        return None;
    }
    let end = text.find(' ').unwrap_or(text.len());
    Some((&text[..end], &text[end..]))
}

/// [`could_begin`] for a token of ASCII letters, on its bytes.
#[cfg(test)]
fn could_begin_ascii(token: &[u8]) -> bool {
    WORDS.iter().any(|w| {
        token.len() <= w.len()
            && token.iter().zip(w.bytes()).all(|(&b, l)| {
                b.to_ascii_uppercase() == l
                    || (matches!(l, b'I' | b'L') && matches!(b, b'l' | b'I' | b'i' | b'L'))
            })
    })
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

    /// [`found`] as first written: a candidate at a time by [`next_candidate`], every prefix
    /// judged whole by [`could_begin`].
    fn found_plain(text: &str) -> bool {
        let mut plain: Vec<char> = Vec::with_capacity(LONGEST + 1);
        let mut gapped: Vec<char> = Vec::with_capacity(2 * LONGEST);
        let bytes = text.as_bytes();
        let mut at = 0;
        while let Some(start) = next_candidate(bytes, at) {
            let end = text[start..].find(' ').map_or(text.len(), |i| start + i);
            let (t, after) = (&text[start..end], &text[end..]);
            at = end;
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
            let first = t.as_bytes()[0];
            let opens = if first.is_ascii() {
                // [`may_open`] is exact for ASCII but for capitals.
                !first.is_ascii_uppercase() || could_open(first as char)
            } else {
                t.chars().next().is_some_and(could_open)
            };
            if !opens {
                continue;
            }
            // Most of the others are ASCII letters that begin no marking word ("services",
            // "costs"): judged on their bytes, as the loop below would judge them on its first
            // step.
            if t.bytes().all(|b| b.is_ascii_alphabetic())
                && (t.len() > LONGEST || !could_begin_ascii(t.as_bytes()))
            {
                continue;
            }
            // One token, then two or more in a row, joined without a gap (letters spaced out)
            // or with a stand-in where each gap is (a symbol flattened to a space).
            plain.clear();
            gapped.clear();
            let mut token = Some((t, after));
            let mut k = 0;
            while let Some((t, after)) = token {
                if k > 0 {
                    gapped.push(GAP);
                }
                plain.extend(t.chars());
                gapped.extend(t.chars());
                if plain.len() > LONGEST || !(could_begin(&plain) || could_begin(&gapped)) {
                    // No marking word goes on from here ("Policing" is no start of PROTECT).
                    break;
                }
                let several = k > 0;
                if spells(&plain, several) || (several && spells(&gapped, true)) {
                    return true;
                }
                token = next_token(after);
                k += 1;
            }
        }
        false
    }

    #[test]
    fn found_is_found_as_first_written() {
        let mut seen = [0, 0];
        for (i, flat) in crate::samples::flats(3000, 12).iter().enumerate() {
            let f = found(flat);
            assert_eq!(f, found_plain(flat), "{i} {flat:?}");
            seen[usize::from(f)] += 1;
        }
        // Both answers are well represented.
        assert!(seen[0] > 300 && seen[1] > 300, "{seen:?}");
        for n in 0..=LONGEST + 2 {
            for letters in ["SECRETCONFIDENTIALOFFICIAL", "s3cr3tc0nf1dentialoff1c1al"] {
                let spaced: Vec<String> = letters.chars().take(n).map(String::from).collect();
                for sep in [" ", "  "] {
                    let text = spaced.join(sep);
                    assert_eq!(found(&text), found_plain(&text), "{text:?}");
                }
            }
        }
    }

    #[test]
    fn the_table_of_fits_is_stands_in() {
        for n in 0..=LONGEST {
            let plain = WORDS
                .iter()
                .enumerate()
                .filter(|(_, w)| w.len() >= n)
                .fold(0, |may, (i, _)| may | 1 << i);
            assert_eq!(long_enough(n), plain, "{n}");
        }
        let mut chars: Vec<char> = (0..128u8).map(char::from).collect();
        chars.extend([
            '\u{e9}', '\u{166}', '\u{41E}', '\u{1D0F}', '\u{661}', '\u{b9}', '\u{2013}',
        ]);
        for c in chars {
            for p in 0..LONGEST {
                let mut plain = 0;
                for (i, w) in WORDS.iter().enumerate() {
                    if let Some(&l) = w.as_bytes().get(p) {
                        let l = char::from(l);
                        if c.to_ascii_uppercase() == l || stands_in(c, l) {
                            plain |= 1 << i;
                        }
                    }
                }
                assert_eq!(fits(c, p), plain, "{c:?} {p}");
            }
        }
    }

    #[test]
    fn still_begun_by_table_is_still_begun_letter_by_letter() {
        let mut others: Vec<char> = (0..128u8).map(char::from).collect();
        others.extend([
            '\u{e9}',
            '\u{166}',
            '\u{41E}',
            '\u{399}',
            '\u{1D0F}',
            '\u{4e2d}',
            '\u{b9}',
            '\u{2460}',
            '\u{661}',
            '\u{1F600}',
            '\u{FF33}',
            '\u{a0}',
            '\u{2013}',
        ]);
        // Every character at every place, after prefixes that fit some words or none.
        for prefix in [
            "",
            "S",
            "SE",
            "s3",
            "0FF",
            "RE5T",
            "C0NFIDENTIA",
            "PROTEC",
            "xy",
        ] {
            let prefix: Vec<char> = prefix.chars().collect();
            for &c in &others {
                for n in 0..=LONGEST + 1 {
                    let mut chars = prefix.clone();
                    chars.extend(std::iter::repeat_n(GAP, n));
                    chars.push(c);
                    for from in [0, prefix.len(), chars.len() - 1, chars.len()] {
                        for may in [ALL_WORDS, 0b10_1010, 0b1, 0] {
                            assert_eq!(
                                still_begun(may, &chars, from),
                                still_begun_plain(may, &chars, from),
                                "{chars:?} {from} {may}"
                            );
                        }
                    }
                }
            }
        }
        // The sample texts, read a token at a time as [`spelt_from`] reads them.
        for flat in crate::samples::flats(2000, 12) {
            let mut chars: Vec<char> = Vec::new();
            let (mut may, mut may_plain) = (ALL_WORDS, ALL_WORDS);
            for t in flat.split(' ').filter(|t| !t.is_empty()) {
                let from = chars.len();
                chars.extend(t.chars());
                may = still_begun(may, &chars, from);
                may_plain = still_begun_plain(may_plain, &chars, from);
                assert_eq!(may, may_plain, "{flat:?} {chars:?}");
                if may == 0 || chars.len() > LONGEST + 2 {
                    chars.clear();
                    (may, may_plain) = (ALL_WORDS, ALL_WORDS);
                }
            }
        }
    }

    #[test]
    fn begun_ascii_is_still_begun_and_could_begin() {
        let mut tokens: Vec<String> = crate::samples::flats(1000, 12)
            .iter()
            .flat_map(|f| f.split(' ').map(String::from).collect::<Vec<_>>())
            .filter(|t| t.is_ascii())
            .collect();
        for a in 0..128u8 {
            for b in [b'E', b'e', b'F', b'1', b'l', b'I', b'x', b'-', 0] {
                tokens.push(String::from_utf8(vec![a]).unwrap());
                tokens.push(String::from_utf8(vec![a, b]).unwrap());
                tokens.push(String::from_utf8(vec![b'S', b'E', a, b]).unwrap());
            }
        }
        for w in WORDS {
            for n in 0..=w.len() + 1 {
                let mut t = w.to_string();
                t.truncate(n);
                tokens.push(t.clone() + "S");
                tokens.push(t.to_ascii_lowercase());
                tokens.push(t.replace(['I', 'E', 'O'], "1"));
                tokens.push(t);
            }
        }
        for t in &tokens {
            let chars: Vec<char> = t.chars().collect();
            let begun = begun_ascii(t.as_bytes());
            assert_eq!(begun, still_begun_plain(ALL_WORDS, &chars, 0), "{t:?}");
            if t.bytes().all(|b| b.is_ascii_alphabetic()) {
                assert_eq!(
                    begun != 0,
                    t.len() <= LONGEST && could_begin_ascii(t.as_bytes()),
                    "{t:?}"
                );
            }
        }
    }

    #[test]
    fn spaces_are_found_eight_bytes_at_a_time_as_one_at_a_time() {
        let plain = |bytes: &[u8], from: usize| {
            bytes
                .iter()
                .skip(from)
                .position(|&b| b == b' ')
                .map_or(bytes.len(), |i| from + i)
        };
        // Every byte at every place of a word, with every other byte around it.
        for b in 0..=255u8 {
            for at in 0..20 {
                for fill in [b'a', b' ', 0x80, 0xFF, 0x00, 0x21, 0x1F, 0xA0] {
                    let mut bytes = vec![fill; 21];
                    bytes[at] = b;
                    for from in [0, 1, at, at + 1, 21] {
                        assert_eq!(
                            next_space(&bytes, from),
                            plain(&bytes, from),
                            "{b} {at} {fill} {from}"
                        );
                    }
                }
            }
        }
        for flat in crate::samples::flats(500, 12) {
            for from in 0..=flat.len() {
                assert_eq!(
                    next_space(flat.as_bytes(), from),
                    plain(flat.as_bytes(), from)
                );
            }
        }
    }

    #[test]
    fn the_byte_test_of_an_opening_is_could_open() {
        // Byte 0 is the gap's stand-in, never in flattened text.
        for b in 1..128u8 {
            if b != b' ' && !b.is_ascii_uppercase() {
                assert_eq!(may_open(b), could_open(b as char), "{}", b as char);
            }
        }
    }

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

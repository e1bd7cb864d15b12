//! Text folded for comparison: the verifier's own rule, shared with no other stage.
//!
//! Text is compared as its letters and digits: Unicode NFKC (fullwidth letters, ligatures
//! and superscripts as their plain forms), then each letter as its compatibility
//! decomposition without its combining marks (accents, dots, underlines: "İ", "É" and "O̲"
//! read "I", "E" and "O"), invisible characters dropped (General_Category
//! Cf and every default-ignorable code point: soft hyphens, zero-width characters, direction
//! marks, variation selectors), a letter that looks like a Latin letter or digit read as it
//! (the confusable skeleton of Unicode's UTS #39), everything else a single space. Character
//! references are decoded by the caller (see [`crate::html::decoded`]).

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::OnceLock;

use regex::Regex;
use unicode_normalization::char::{decompose_compatible, is_combining_mark};
use unicode_normalization::{IsNormalized, UnicodeNormalization, is_nfkc_quick};

/// Characters that render as nothing and can hide inside a word.
fn invisible() -> &'static Regex {
    static INVISIBLE: OnceLock<Regex> = OnceLock::new();
    INVISIBLE.get_or_init(|| {
        Regex::new(r"[\p{Cf}\p{Default_Ignorable_Code_Point}]")
            .expect("the invisible-character pattern compiles")
    })
}

/// The text without its invisible characters, a character that stands for a digit
/// (superscript, subscript, circled) set apart from the word before it so that a footnote
/// marker is a number of its own ("Part 2¹" reads "Part 2 1"), in NFKC. ASCII text is
/// borrowed as it is.
fn normalised(text: &str) -> Cow<'_, str> {
    if text.is_ascii() {
        return Cow::Borrowed(text);
    }
    let plain = non_ascii(text).all(|c| kind(c) == Kind::Plain);
    let base = if plain {
        Cow::Borrowed(text)
    } else {
        let mut apart = String::with_capacity(text.len() + 8);
        for c in text.chars() {
            match if c.is_ascii() { Kind::Plain } else { kind(c) } {
                Kind::Invisible => {}
                Kind::DigitLike => {
                    apart.push(' ');
                    apart.push(c);
                }
                Kind::Plain => apart.push(c),
            }
        }
        Cow::Owned(apart)
    };
    // Most text is in NFKC already (a dash or a pound sign is): the quick check proves it
    // without building a copy. ASCII is in NFKC and starts no combining sequence, so the
    // check of the other characters alone can only be stricter.
    match is_nfkc_quick(non_ascii(&base)) {
        IsNormalized::Yes => base,
        _ => Cow::Owned(base.nfkc().collect()),
    }
}

/// The characters of `text` that are not ASCII, found by their bytes.
fn non_ascii(text: &str) -> impl Iterator<Item = char> + '_ {
    let mut rest = text;
    std::iter::from_fn(move || {
        let at = first_not_ascii(rest.as_bytes())?;
        let c = rest[at..].chars().next()?;
        rest = &rest[at + c.len_utf8()..];
        Some(c)
    })
}

/// Where the first byte that is not ASCII stands, found eight bytes at a time.
fn first_not_ascii(bytes: &[u8]) -> Option<usize> {
    let mut words = bytes.chunks_exact(8);
    let mut at = 0;
    for word in words.by_ref() {
        let word = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        if word & 0x8080_8080_8080_8080 != 0 {
            break;
        }
        at += 8;
    }
    bytes[at..]
        .iter()
        .position(|b| !b.is_ascii())
        .map(|i| at + i)
}

/// What [`normalised`] does with a character that is not ASCII.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Kept as it is.
    Plain,
    /// Dropped: it renders as nothing.
    Invisible,
    /// Set apart from the word before it: it stands for a digit.
    DigitLike,
}

/// The kind of a character, each character worked out once per thread (a report uses few).
fn kind(c: char) -> Kind {
    thread_local! {
        static SEEN: RefCell<HashMap<char, Kind>> = RefCell::new(HashMap::new());
    }
    SEEN.with(|seen| {
        *seen.borrow_mut().entry(c).or_insert_with(|| {
            let mut utf8 = [0; 4];
            if invisible().is_match(c.encode_utf8(&mut utf8)) {
                Kind::Invisible
            } else if c.is_numeric() && stands_for_a_digit(c) {
                Kind::DigitLike
            } else {
                Kind::Plain
            }
        })
    })
}

fn stands_for_a_digit(c: char) -> bool {
    let mut n = std::iter::once(c).nfkc();
    matches!((n.next(), n.next()), (Some(d), None) if d.is_ascii_digit())
}

/// The Latin letter or digit a character looks like, by its UTS #39 skeleton; `None` for a
/// character that looks like none. Of several (`l`, `I` and `1` share a skeleton) the one of
/// the character's own case is taken, a letter before a digit.
fn look_alike(c: char) -> Option<char> {
    static BY_SKELETON: OnceLock<HashMap<String, Vec<char>>> = OnceLock::new();
    let table = BY_SKELETON.get_or_init(|| {
        let mut table: HashMap<String, Vec<char>> = HashMap::new();
        for a in ('A'..='Z').chain('a'..='z').chain('0'..='9') {
            let skeleton: String = unicode_security::skeleton(&a.to_string()).collect();
            table.entry(skeleton).or_default().push(a);
        }
        table
    });
    thread_local! {
        static SEEN: RefCell<HashMap<char, Option<char>>> = RefCell::new(HashMap::new());
    }
    SEEN.with(|seen| {
        *seen.borrow_mut().entry(c).or_insert_with(|| {
            let skeleton: String = unicode_security::skeleton(&c.to_string()).collect();
            let candidates = table.get(&skeleton)?;
            let pick = |f: fn(&char) -> bool| candidates.iter().copied().find(f);
            if c.is_lowercase() {
                pick(char::is_ascii_lowercase)
            } else {
                pick(char::is_ascii_uppercase)
            }
            .or_else(|| pick(char::is_ascii_alphabetic))
            .or_else(|| candidates.first().copied())
        })
    })
}

/// The Latin letter a small capital stands for ("ᴏꜰꜰɪᴄɪᴀʟ"): neither the compatibility
/// decomposition nor the UTS #39 skeleton reads them as their letters.
fn small_capital(c: char) -> Option<char> {
    const SMALL_CAPITALS: [(char, char); 25] = [
        ('\u{1D00}', 'A'),
        ('\u{0299}', 'B'),
        ('\u{1D04}', 'C'),
        ('\u{1D05}', 'D'),
        ('\u{1D07}', 'E'),
        ('\u{A730}', 'F'),
        ('\u{0262}', 'G'),
        ('\u{029C}', 'H'),
        ('\u{026A}', 'I'),
        ('\u{1D0A}', 'J'),
        ('\u{1D0B}', 'K'),
        ('\u{029F}', 'L'),
        ('\u{1D0D}', 'M'),
        ('\u{0274}', 'N'),
        ('\u{1D0F}', 'O'),
        ('\u{1D18}', 'P'),
        ('\u{A7AF}', 'Q'),
        ('\u{0280}', 'R'),
        ('\u{A731}', 'S'),
        ('\u{1D1B}', 'T'),
        ('\u{1D1C}', 'U'),
        ('\u{1D20}', 'V'),
        ('\u{1D21}', 'W'),
        ('\u{028F}', 'Y'),
        ('\u{1D22}', 'Z'),
    ];
    SMALL_CAPITALS
        .iter()
        .find(|(small, _)| *small == c)
        .map(|&(_, latin)| latin)
}

/// Letters and digits of decoded `text`, in lower case or with their case kept, with one
/// space between runs (`spaces`) or none.
pub fn flat(text: &str, lower: bool, spaces: bool) -> String {
    let text = normalised(text);
    let mut out: Vec<u8> = Vec::with_capacity(text.len() + 1);
    // A letter or digit has been read since the last one written: a space is owed before
    // the next, when spaces are written and something has been written.
    let mut space = false;
    let map = if lower { &ASCII_LOWER } else { &ASCII_KEPT };
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        // A stretch of ASCII (nearly all text), read a byte at a time by one table: a letter
        // or a digit is written (lowered when asked), anything else owes a space. This is the
        // character loop below for ASCII, where a character is its only part, has no mark
        // and no look-alike, and its lower case is its ASCII lower case.
        let stop = first_not_ascii(&bytes[at..]).map_or(bytes.len(), |i| at + i);
        ascii_stretch(&bytes[at..stop], map, spaces, &mut space, &mut out);
        at = stop;
        if at == bytes.len() {
            break;
        }
        let c = text[at..].chars().next().expect("a character starts here");
        at += c.len_utf8();
        flat_char(c, lower, spaces, &mut space, &mut out);
    }
    String::from_utf8(out).expect("whole characters are pushed")
}

/// For each byte, what [`flat`] writes for it in a stretch of ASCII with case kept: itself
/// for a letter or a digit, 0 (nothing: a space is owed) for any other byte.
static ASCII_KEPT: [u8; 256] = ascii_map(false);
/// The same, letters in lower case.
static ASCII_LOWER: [u8; 256] = ascii_map(true);

const fn ascii_map(lower: bool) -> [u8; 256] {
    let mut map = [0; 256];
    let mut b = 0;
    while b < 256 {
        let byte = b as u8;
        if byte.is_ascii_alphanumeric() {
            map[b] = if lower {
                byte.to_ascii_lowercase()
            } else {
                byte
            };
        }
        b += 1;
    }
    map
}

/// A stretch of ASCII bytes read as [`flat`] reads them, written to `out`; `space` is the
/// space owed before the next letter or digit, on entry and on return.
fn ascii_stretch(
    stretch: &[u8],
    map: &[u8; 256],
    spaces: bool,
    space: &mut bool,
    out: &mut Vec<u8>,
) {
    // Each byte writes at most itself, and only the first letter or digit can be given a
    // space owed from before the stretch: room for one more byte than the stretch holds.
    let base = out.len();
    out.resize(base + stretch.len() + 1, 0);
    let buf = &mut out[base..];
    let mut w = 0;
    let mut owed = *space;
    let mut bytes = stretch.iter();
    // Two states, each a loop of its own: between runs (a space owed once anything was
    // passed over), then inside a run of letters and digits (nothing owed).
    'stretch: loop {
        let first = loop {
            let Some(&b) = bytes.next() else {
                break 'stretch;
            };
            let m = map[usize::from(b)];
            if m != 0 {
                break m;
            }
            owed = true;
        };
        if owed && spaces && base + w > 0 {
            buf[w] = b' ';
            w += 1;
        }
        owed = false;
        buf[w] = first;
        w += 1;
        loop {
            let Some(&b) = bytes.next() else {
                break 'stretch;
            };
            let m = map[usize::from(b)];
            if m == 0 {
                owed = true;
                break;
            }
            buf[w] = m;
            w += 1;
        }
    }
    *space = owed;
    out.truncate(base + w);
}

/// A character outside ASCII read as [`flat`] reads it, written to `out`: a letter with
/// marks reads as its letter ("SENSİTIVE", "SENSITIVÉ", "O̲FFICIAL"): its compatibility
/// decomposition, the marks dropped, each part read on its own.
fn flat_char(c: char, lower: bool, spaces: bool, space: &mut bool, out: &mut Vec<u8>) {
    let push = |out: &mut Vec<u8>, c: char, space: &mut bool| {
        if *space && spaces && !out.is_empty() {
            out.push(b' ');
        }
        *space = false;
        let mut utf8 = [0; 4];
        if lower {
            for l in c.to_lowercase() {
                out.extend_from_slice(l.encode_utf8(&mut utf8).as_bytes());
            }
        } else {
            out.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
        }
    };
    decompose_compatible(c, |part| {
        if is_combining_mark(part) {
            return;
        }
        if part.is_ascii_alphanumeric() {
            push(out, part, space);
        } else if part.is_ascii() {
            *space = true;
        } else if let Some(latin) = small_capital(part).or_else(|| look_alike(part)) {
            push(out, latin, space);
        } else if part.is_alphanumeric() {
            push(out, part, space);
        } else {
            *space = true;
        }
    });
}

/// Lower-case letters and digits, one space between runs.
pub fn flatten(text: &str) -> String {
    flat(text, true, true)
}

/// Text as markings are counted in: flattened with its case kept.
pub fn marking_text(text: &str) -> String {
    flat(text, false, true)
}

/// Flattened `text` with its footnote markers read as nothing: every run of one to three
/// digits, whether glued to a word ("OFFICIAL1", "SE1CRET") or a word of its own
/// ("OFFICIAL 1 SENSITIVE", as a superscript, a bracketed or caret number flattens), so that
/// a marker inside a marking's words does not hide it. Longer numbers are kept.
pub fn without_markers(flat: &str) -> String {
    markers_out(flat).into_owned()
}

/// [`without_markers`], borrowed when it gives `flat` back as it is.
///
/// What the token-by-token reading ([`without_markers_by_token`]) gives is the words of
/// `flat` (its runs between spaces), each with its runs of one to three digits taken out,
/// the empty ones left out, joined by one space. Flattened text has no space at either end
/// nor two in a row, so it is its words joined by one space: only the words that hold such
/// a run change, and all the text between them is copied whole, as the reading would copy
/// it. A text with no such run is given back as it is. Other text is read token by token.
pub fn markers_out(flat: &str) -> Cow<'_, str> {
    let bytes = flat.as_bytes();
    if bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ') || flat.contains("  ") {
        return Cow::Owned(without_markers_by_token(flat));
    }
    let mut out: Vec<u8> = Vec::new();
    // `flat[..copied]` is read; `copied` is the start of a word, or the end of the text.
    let mut copied = 0;
    let mut at = 0;
    // The words read are joined by one space.
    let push_words = |out: &mut Vec<u8>, words: &[u8]| {
        if !words.is_empty() {
            if !out.is_empty() {
                out.push(b' ');
            }
            out.extend_from_slice(words);
        }
    };
    while let Some(d) = next_digit(bytes, at) {
        let end = bytes[d..]
            .iter()
            .position(|b| !b.is_ascii_digit())
            .map_or(bytes.len(), |i| d + i);
        if end - d > 3 {
            at = end;
            continue;
        }
        // The word that holds the run, from `copied` on (`copied` starts a word).
        let start = bytes[copied..d]
            .iter()
            .rposition(|&b| b == b' ')
            .map_or(copied, |i| copied + i + 1);
        let stop = bytes[end..]
            .iter()
            .position(|&b| b == b' ')
            .map_or(bytes.len(), |i| end + i);
        if out.capacity() == 0 {
            out.reserve(bytes.len());
        }
        // The words before it, unchanged, without the space that follows the last of them.
        if start > copied {
            push_words(&mut out, &bytes[copied..start - 1]);
        }
        // The word itself, taken out whole (and the space before it) when nothing is left.
        let before = out.len();
        if before > 0 {
            out.push(b' ');
        }
        let from = out.len();
        word_without_markers(&bytes[start..stop], &mut out);
        if out.len() == from {
            out.truncate(before);
        }
        copied = (stop + 1).min(bytes.len());
        at = copied;
    }
    if copied == 0 {
        return Cow::Borrowed(flat);
    }
    push_words(&mut out, &bytes[copied..]);
    Cow::Owned(
        String::from_utf8(out).expect("only whole characters and ASCII digits are taken out"),
    )
}

/// Flattened `text` with its footnote markers read as nothing and the words they stood
/// between joined: a run of one to three digits, glued to a word or a word of its own, is
/// taken out as [`without_markers`] takes it out, and the word before it and the word after
/// it are read as one ("CLASSI 1 FIED", "CLASSI 1FIED" and "CLASSI1 FIED" read
/// "CLASSIFIED"; a superscript marker flattens with a space before it). Longer numbers are
/// kept, and words with no marker between them stay apart.
///
/// Flattened text has no space at either end nor two in a row: there, what the word-by-word
/// reading ([`markers_joined_by_token`]) gives is the text with each such run taken out
/// together with the space before it (the run opens a word: it joins the word before) and
/// the space after it (it closes a word: it joins the word after), the text between runs
/// copied whole. Other text is read word by word.
pub fn markers_joined(flat: &str) -> String {
    let bytes = flat.as_bytes();
    if bytes.first() == Some(&b' ') || bytes.last() == Some(&b' ') || flat.contains("  ") {
        return markers_joined_by_token(flat);
    }
    let mut out: Vec<u8> = Vec::with_capacity(bytes.len());
    // `bytes[..copied]` is read.
    let mut copied = 0;
    let mut at = 0;
    while let Some(d) = next_digit(bytes, at) {
        let end = bytes[d..]
            .iter()
            .position(|b| !b.is_ascii_digit())
            .map_or(bytes.len(), |i| d + i);
        if end - d > 3 {
            at = end;
            continue;
        }
        // The space before the run, unless the run before took it already.
        let upto = if d > 0 && bytes[d - 1] == b' ' {
            d - 1
        } else {
            d
        };
        out.extend_from_slice(&bytes[copied..upto.max(copied)]);
        copied = if bytes.get(end) == Some(&b' ') {
            end + 1
        } else {
            end
        };
        at = copied;
    }
    out.extend_from_slice(&bytes[copied..]);
    String::from_utf8(out).expect("only ASCII digits and spaces are taken out")
}

/// [`markers_joined`] read word by word, for any text.
fn markers_joined_by_token(flat: &str) -> String {
    let mut out: Vec<u8> = Vec::with_capacity(flat.len());
    // The next word is joined to the last one written: a marker stood between them.
    let mut join = false;
    let marker_at = |run: usize| (1..=3).contains(&run);
    for word in flat.split(' ').filter(|w| !w.is_empty()) {
        let bytes = word.as_bytes();
        let opens = marker_at(bytes.iter().take_while(|b| b.is_ascii_digit()).count());
        let closes = marker_at(
            bytes
                .iter()
                .rev()
                .take_while(|b| b.is_ascii_digit())
                .count(),
        );
        let before = out.len();
        if before > 0 && !(join || opens) {
            out.push(b' ');
        }
        let from = out.len();
        word_without_markers(bytes, &mut out);
        if out.len() == from {
            // A marker of its own: the words on either side of it are one.
            out.truncate(before);
            join = true;
            continue;
        }
        join = closes;
    }
    String::from_utf8(out).expect("only whole characters and ASCII digits are taken out")
}

/// A word (no space in it) with its runs of one to three digits taken out, added to `out`.
fn word_without_markers(word: &[u8], out: &mut Vec<u8>) {
    let mut at = 0;
    while at < word.len() {
        let run = word[at..].iter().take_while(|b| b.is_ascii_digit()).count();
        if run == 0 {
            out.push(word[at]);
            at += 1;
        } else {
            if run > 3 {
                out.extend_from_slice(&word[at..at + run]);
            }
            at += run;
        }
    }
}

/// Where the first ASCII digit at or after `from` stands, found eight bytes at a time.
fn next_digit(bytes: &[u8], from: usize) -> Option<usize> {
    const LOW: u64 = 0x7F7F_7F7F_7F7F_7F7F;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let rest = bytes.get(from..)?;
    let mut words = rest.chunks_exact(8);
    let mut at = from;
    for word in words.by_ref() {
        let x = u64::from_le_bytes(word.try_into().expect("eight bytes"));
        // A byte is a digit when it has no high bit and, its bits flipped against '0', is
        // below ten: adding 0x76 to a byte below 0x80 sets its high bit exactly when it is
        // ten or more, and carries into no other byte.
        let y = x ^ 0x3030_3030_3030_3030;
        let digits = !((y & LOW).wrapping_add(0x7676_7676_7676_7676) | y) & HIGH;
        if digits != 0 {
            return Some(at + (digits.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    words
        .remainder()
        .iter()
        .position(u8::is_ascii_digit)
        .map(|i| at + i)
}

/// [`without_markers`] read token by token, for any text.
fn without_markers_by_token(flat: &str) -> String {
    let bytes = flat.as_bytes();
    let mut out: Vec<u8> = Vec::with_capacity(flat.len());
    // Where the token being read started in `out`, to take back its space if it is left empty.
    let mut token_start = 0;
    let mut at = 0;
    while at < bytes.len() {
        let b = bytes[at];
        if b == b' ' {
            if out.len() > token_start {
                out.push(b' ');
            }
            token_start = out.len();
            at += 1;
        } else if b.is_ascii_digit() {
            let run = bytes[at..]
                .iter()
                .take_while(|b| b.is_ascii_digit())
                .count();
            if run > 3 {
                out.extend_from_slice(&bytes[at..at + run]);
            }
            at += run;
        } else {
            // The rest of the token up to a space or a digit is kept as it is: copied whole,
            // as the byte-by-byte copy would copy it.
            let run = bytes[at..]
                .iter()
                .position(|&b| b == b' ' || b.is_ascii_digit())
                .unwrap_or(bytes.len() - at);
            out.extend_from_slice(&bytes[at..at + run]);
            at += run;
        }
    }
    if out.last() == Some(&b' ') {
        out.pop();
    }
    String::from_utf8(out).expect("only whole characters and ASCII digits are taken out")
}

/// A flattened text in lower case.
pub fn lower(flat: &str) -> String {
    if flat.is_ascii() {
        flat.to_ascii_lowercase()
    } else {
        flat.chars().flat_map(char::to_lowercase).collect()
    }
}

/// The words of a flattened text.
pub fn words(flat: &str) -> Vec<&str> {
    flat.split(' ').filter(|w| !w.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// [`flat`] as first written: ASCII a run at a time, found by `position` (what the
    /// byte table replaced; a character outside ASCII is read by [`flat_char`] in both).
    fn flat_plain(text: &str, lower: bool, spaces: bool) -> String {
        let text = normalised(text);
        let mut out: Vec<u8> = Vec::with_capacity(text.len());
        let mut space = false;
        let bytes = text.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            let b = bytes[at];
            // ASCII (nearly all text) has no look-alike to read: a byte at a time.
            if b.is_ascii_alphanumeric() {
                if space && spaces && !out.is_empty() {
                    out.push(b' ');
                }
                space = false;
                let run = bytes[at..]
                    .iter()
                    .position(|b| !b.is_ascii_alphanumeric())
                    .unwrap_or(bytes.len() - at);
                let from = out.len();
                out.extend_from_slice(&bytes[at..at + run]);
                if lower {
                    out[from..].make_ascii_lowercase();
                }
                at += run;
                continue;
            }
            if b.is_ascii() {
                space = true;
                at += 1;
                continue;
            }
            let c = text[at..].chars().next().expect("a character starts here");
            at += c.len_utf8();
            flat_char(c, lower, spaces, &mut space, &mut out);
        }
        String::from_utf8(out).expect("whole characters are pushed")
    }

    /// [`without_markers`] as first written, a byte at a time.
    fn without_markers_plain(flat: &str) -> String {
        let bytes = flat.as_bytes();
        let mut out: Vec<u8> = Vec::with_capacity(flat.len());
        // Where the token being read started in `out`, to take back its space if it is left empty.
        let mut token_start = 0;
        let mut at = 0;
        while at < bytes.len() {
            let b = bytes[at];
            if b == b' ' {
                if out.len() > token_start {
                    out.push(b' ');
                }
                token_start = out.len();
                at += 1;
            } else if b.is_ascii_digit() {
                let run = bytes[at..]
                    .iter()
                    .take_while(|b| b.is_ascii_digit())
                    .count();
                if run > 3 {
                    out.extend_from_slice(&bytes[at..at + run]);
                }
                at += run;
            } else {
                out.push(b);
                at += 1;
            }
        }
        if out.last() == Some(&b' ') {
            out.pop();
        }
        String::from_utf8(out).expect("only whole characters and ASCII digits are taken out")
    }

    #[test]
    fn flat_reads_as_first_written() {
        let mut texts = crate::samples::texts(3000, 12);
        texts.extend(crate::samples::flats(500, 12));
        for text in [
            "",
            " ",
            "a",
            "-a-",
            "\u{e9}",
            " \u{e9} ",
            "\u{e9}a",
            "a\u{e9}",
            "A-\u{e9}-B",
            "\u{AD}x\u{200B}y\u{B9}z",
            "Part 2\u{B9} and \u{2460}",
            "\u{2460}\u{2461}",
            "-\u{2460}",
            "O\u{332}FFICIAL-SENSITIV\u{C9}",
            "\u{1D0F}\u{A730}\u{A730}\u{26A}\u{1D04}\u{26A}\u{1D00}\u{29F}",
            "\u{41E}FF\u{399}CIAL-S\u{415}N\u{AD}SI\u{200B}TIVE \u{FF33}ECRET",
            "\u{1E9E}\u{23A}STRASSE \u{130}stanbul \u{FB01}ne",
            "\u{4e2d}\u{6587}-\u{1F600}--\u{3b1}\u{3b2}",
            "\u{a3}1,284,560 \u{2013} Caf\u{e9}",
            "ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz 0123456789",
            "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~\u{7f}\u{0}\t\n\r\u{c}",
        ] {
            texts.push(text.to_string());
        }
        let all_ascii: String = (0..128u8).map(char::from).collect();
        texts.push(all_ascii.clone());
        texts.push(format!("\u{e9}{all_ascii}\u{e9}{all_ascii}"));
        for text in &texts {
            for lower in [false, true] {
                for spaces in [false, true] {
                    assert_eq!(
                        flat(text, lower, spaces),
                        flat_plain(text, lower, spaces),
                        "{text:?} {lower} {spaces}"
                    );
                }
            }
        }
    }

    #[test]
    fn markers_are_taken_out_as_the_byte_loop_takes_them() {
        let mut flats = crate::samples::flats(2000, 12);
        flats.extend(
            [
                " ",
                "1",
                " 1 ",
                "a  1  b",
                "12 1234 a1b22c333d4444",
                "1 a",
                "a 1",
                "\u{e9}1\u{e9}",
            ]
            .map(String::from),
        );
        // Words of digits at either end, between words, beside long numbers, in a row.
        for text in [
            "1 a 2",
            "a 1 2",
            "1 2 a",
            "1 2 3",
            "12",
            "1234",
            "a1 2b c",
            "2024 12 March 1 284 560",
            "a2024b1 c",
            "OFFICIAL 1 SENSITIVE 12345678901 x",
            "\u{e9}1 \u{e9} 22 \u{4e2d}333\u{6587}",
            "abcdefgh1 abcdefgh",
            "abcdefghijklmnopq 999",
        ] {
            flats.push(text.to_string());
        }
        let (mut same, mut changed) = (0, 0);
        for flat in &flats {
            let out = markers_out(flat);
            assert_eq!(out, without_markers_plain(flat), "{flat:?}");
            assert_eq!(
                without_markers(flat),
                without_markers_plain(flat),
                "{flat:?}"
            );
            match out {
                Cow::Borrowed(_) => same += 1,
                Cow::Owned(_) => changed += 1,
            }
        }
        assert!(same > 100 && changed > 100, "{same} {changed}");
    }

    #[test]
    fn digits_are_found_eight_bytes_at_a_time_as_one_at_a_time() {
        let plain = |bytes: &[u8], from: usize| {
            bytes
                .iter()
                .skip(from)
                .position(u8::is_ascii_digit)
                .map(|i| from + i)
        };
        // Every byte at every place of a word, with every other byte around it.
        for b in 0..=255u8 {
            for at in 0..20 {
                for fill in [b'a', b' ', 0x80, 0xFF, b'/', b':'] {
                    let mut bytes = vec![fill; 21];
                    bytes[at] = b;
                    for from in [0, 1, at, at + 1] {
                        assert_eq!(
                            next_digit(&bytes, from),
                            plain(&bytes, from),
                            "{b} {at} {fill} {from}"
                        );
                    }
                }
            }
        }
        assert_eq!(next_digit(b"abc", 3), None);
        assert_eq!(next_digit(b"abc", 4), None);
    }

    #[test]
    fn footnote_markers_read_as_nothing() {
        assert_eq!(without_markers("OFFICIAL1 SENSITIVE"), "OFFICIAL SENSITIVE");
        assert_eq!(
            without_markers("OFFICIAL 1 SENSITIVE"),
            "OFFICIAL SENSITIVE"
        );
        assert_eq!(without_markers("SE 12 CRET in 2024"), "SE CRET in 2024");
        assert_eq!(without_markers("1 a 22 b 333"), "a b");
        assert_eq!(
            without_markers("Zo\u{eb}1 r\u{e9}sum\u{e9}"),
            "Zo\u{eb} r\u{e9}sum\u{e9}"
        );
    }

    #[test]
    fn footnote_markers_join_the_words_they_stood_between() {
        for written in [
            "CLASSI\u{b9}FIED",
            "CLASSI[1]FIED",
            "CLASSI^1^FIED",
            "CLASSI 12 FIED",
        ] {
            assert_eq!(
                markers_joined(&marking_text(&format!("is {written} now"))),
                "is CLASSIFIED now",
                "{written}"
            );
        }
        assert_eq!(markers_joined("CLASSI1 FIED"), "CLASSIFIED");
        assert_eq!(markers_joined("OFFICIAL 1 SENSITIVE"), "OFFICIALSENSITIVE");
        // Longer numbers are kept and words without a marker between them stay apart.
        assert_eq!(markers_joined("in 2024 the plan"), "in 2024 the plan");
        assert_eq!(markers_joined("1 a 22 b 333"), "ab");
        assert_eq!(markers_joined("SE1CRET 12"), "SECRET");
        // The run-by-run reading is the word-by-word one on flattened text.
        let mut texts: Vec<String> = crate::samples::flats(3000, 10);
        let pieces = [
            "a", "SE", "CRET", "1", "12", "123", "1234", "x2y", "7b", "b7", "\u{e9}", "2024",
        ];
        let mut seed = 7u64;
        for _ in 0..3000 {
            let mut words = Vec::new();
            for _ in 0..(seed % 9) {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                let a = pieces[(seed >> 33) as usize % pieces.len()];
                let b = pieces[(seed >> 45) as usize % pieces.len()];
                words.push(if seed & 1 == 0 {
                    a.to_string()
                } else {
                    format!("{a}{b}")
                });
            }
            texts.push(words.join(" "));
        }
        for flat in &texts {
            assert_eq!(
                markers_joined(flat),
                markers_joined_by_token(flat),
                "{flat:?}"
            );
        }
        // Where nothing is taken out, the text is its own reading.
        for flat in crate::samples::flats(500, 8) {
            if matches!(markers_out(&flat), Cow::Borrowed(_)) {
                assert_eq!(markers_joined(&flat), flat);
            }
        }
    }

    #[test]
    fn the_first_byte_not_ascii_is_found_wherever_it_stands() {
        for n in 0..20 {
            let text = format!("{}é{}", "a".repeat(n), "b".repeat(n % 7));
            assert_eq!(first_not_ascii(text.as_bytes()), Some(n));
            assert_eq!(first_not_ascii("a".repeat(n).as_bytes()), None);
        }
    }

    #[test]
    fn look_alikes_invisibles_and_compatibility_forms_fold_to_latin() {
        // Cyrillic О and Е, Greek Ι, a soft hyphen, a zero-width space and a fullwidth S.
        assert_eq!(
            marking_text("\u{41E}FF\u{399}CIAL-S\u{415}N\u{AD}SI\u{200B}TIVE \u{FF33}ECRET"),
            "OFFICIAL SENSITIVE SECRET"
        );
        assert_eq!(flatten("Part 2\u{B9} and \u{2460}"), "part 2 1 and 1");
        assert_eq!(flatten("£1,284,560 – Café"), "1 284 560 cafe");
        assert_eq!(flat("A b", true, false), "ab");
    }

    /// Marks on a letter, written precomposed or combining, never hide it; small capitals
    /// read as their letters.
    #[test]
    fn letters_with_marks_and_small_capitals_read_as_their_letters() {
        assert_eq!(
            marking_text("OFFICIAL-SENS\u{130}TIVE"),
            "OFFICIAL SENSITIVE"
        );
        assert_eq!(
            marking_text("O\u{332}FFICIAL-SENSITIV\u{C9}"),
            "OFFICIAL SENSITIVE"
        );
        assert_eq!(lower(&marking_text("SENS\u{EF}TIVE")), "sensitive");
        assert_eq!(
            lower(&marking_text(
                "\u{1D0F}\u{A730}\u{A730}\u{26A}\u{1D04}\u{26A}\u{1D00}\u{29F}-\u{A731}\u{1D07}\u{274}\u{A731}\u{26A}\u{1D1B}\u{26A}\u{1D20}\u{1D07}"
            )),
            "official sensitive"
        );
    }
}

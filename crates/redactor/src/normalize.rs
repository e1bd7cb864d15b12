//! Text normalisation for recognising banners and markings.
//!
//! Wording is matched on folded text, so that a banner or marking written with another dash,
//! a non-breaking space, a zero-width character, a soft hyphen or a compatibility form
//! (fullwidth letters, ligatures) is recognised all the same. Folding is for matching only:
//! published text is never rewritten.

use std::borrow::Cow;

use std::sync::OnceLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;

/// Characters that render as nothing and can hide inside a word: those listed here, and
/// every format character (General_Category Cf) and default-ignorable code point Unicode
/// names, read from the `regex` crate's Unicode tables.
pub fn is_invisible(c: char) -> bool {
    // None is ASCII: the first test spares nearly every character the others.
    !c.is_ascii() && (listed_invisible(c) || unicode_invisible(c))
}

/// Format characters and default-ignorable code points, by Unicode's properties.
fn unicode_invisible(c: char) -> bool {
    static RE: OnceLock<Regex> = OnceLock::new();
    let re = RE.get_or_init(|| {
        Regex::new(r"^[\p{Cf}\p{Default_Ignorable_Code_Point}]$")
            .expect("the invisible-character pattern compiles")
    });
    re.is_match(c.encode_utf8(&mut [0; 4]))
}

fn listed_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
            | '\u{180B}'..='\u{180F}'
            | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}'
            | '\u{2060}'..='\u{206F}'
            | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FEFF}'
            | '\u{FFA0}'
            | '\u{1BCA0}'..='\u{1BCA3}'
            | '\u{FFF0}'..='\u{FFF8}'
            | '\u{1D173}'..='\u{1D17A}'
            | '\u{E0000}'..='\u{E0FFF}'
    )
}

/// Characters that are not white space but show as a blank: a reader takes them for one.
fn is_blank(c: char) -> bool {
    matches!(c, '\u{2800}' | '\u{3000}' | '\u{2007}' | '\u{202F}')
}

/// Dashes and hyphens, all read as "-".
fn is_dash(c: char) -> bool {
    matches!(
        c,
        '\u{2010}'
            ..='\u{2015}'
                | '\u{2212}'
                | '\u{2E3A}'
                | '\u{2E3B}'
                | '\u{FE58}'
                | '\u{FE63}'
                | '\u{FF0D}'
    )
}

/// Cyrillic and Greek letters that look like the Latin capitals and small letters of the
/// words we match (OFFICIAL, SENSITIVE, SECRET, PART, …), and Latin small capitals, read as
/// those Latin letters.
pub fn skeleton(c: char) -> char {
    match c {
        'А' | 'Α' => 'A',
        'В' | 'Β' => 'B',
        'С' | 'Ϲ' => 'C',
        'Е' | 'Ε' => 'E',
        'Н' | 'Η' => 'H',
        'І' | 'Ι' | 'Ӏ' => 'I',
        'Ј' => 'J',
        'К' | 'Κ' => 'K',
        'М' | 'Μ' => 'M',
        'Ν' => 'N',
        'О' | 'Ο' => 'O',
        'Р' | 'Ρ' => 'P',
        'Ѕ' => 'S',
        'Т' | 'Τ' => 'T',
        'Х' | 'Χ' => 'X',
        'Ѵ' => 'V',
        'Υ' | 'Ү' => 'Y',
        'Ζ' => 'Z',
        'а' | 'α' => 'a',
        'с' | 'ϲ' => 'c',
        'е' | 'ε' => 'e',
        'һ' => 'h',
        'і' | 'ι' => 'i',
        'ј' => 'j',
        'ӏ' => 'l',
        'о' | 'ο' => 'o',
        'р' | 'ρ' => 'p',
        'ѕ' => 's',
        'т' => 't',
        'х' | 'χ' => 'x',
        'ѵ' => 'v',
        'у' => 'y',
        'ı' => 'i',
        // Small capitals read as the capitals they stand for.
        'ᴀ' => 'A',
        'ʙ' => 'B',
        'ᴄ' => 'C',
        'ᴅ' => 'D',
        'ᴇ' => 'E',
        'ꜰ' => 'F',
        'ɢ' => 'G',
        'ʜ' => 'H',
        'ɪ' => 'I',
        'ᴊ' => 'J',
        'ᴋ' => 'K',
        'ʟ' => 'L',
        'ᴍ' => 'M',
        'ɴ' => 'N',
        'ᴏ' => 'O',
        'ᴘ' => 'P',
        'ʀ' => 'R',
        'ꜱ' => 'S',
        'ᴛ' => 'T',
        'ᴜ' => 'U',
        'ᴠ' => 'V',
        'ᴡ' => 'W',
        'ʏ' => 'Y',
        'ᴢ' => 'Z',
        other if other.is_alphabetic() => confusable(other),
        other => other,
    }
}

/// The ASCII letter a letter of another script looks like, by Unicode's confusables
/// (UTS #39: Lisu "ꓑ", Cherokee "Ꭱ"), or the letter itself when it looks like none. Each
/// letter is looked up once per thread: a report uses few.
fn confusable(c: char) -> char {
    use std::cell::RefCell;
    use std::collections::HashMap;
    thread_local! {
        static SEEN: RefCell<HashMap<char, char>> = RefCell::new(HashMap::new());
    }
    SEEN.with(|seen| {
        *seen.borrow_mut().entry(c).or_insert_with(|| {
            let mut utf8 = [0; 4];
            let mut skeleton = unicode_security::skeleton(c.encode_utf8(&mut utf8));
            match (skeleton.next(), skeleton.next()) {
                (Some(l), None) if l.is_ascii_alphabetic() => {
                    // The skeleton reads "l" for I and l alike: keep the case of the letter.
                    if c.is_uppercase() && l == 'l' {
                        'I'
                    } else if c.is_uppercase() {
                        l.to_ascii_uppercase()
                    } else {
                        l
                    }
                }
                _ => c,
            }
        })
    })
}

/// Folds text for matching: HTML character references decoded, NFKC, invisible characters
/// removed, Cyrillic and Greek look-alikes read as Latin letters, every dash as "-" (and a
/// run of them as one: pandoc's Markdown writes an en dash `--` and an em dash `---`), every
/// apostrophe as "'", every run
/// of white space (line breaks included) as one space, trimmed. Case is kept: patterns are
/// matched case-insensitively unless they say otherwise.
pub fn fold(text: &str) -> String {
    let text = nfkc(text);
    let mut out = Vec::with_capacity(text.len());
    let mut pending_space = false;
    let bytes = text.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        // ASCII (nearly all text) is neither a look-alike, nor invisible, nor a dash other
        // than "-": a byte at a time.
        let b = bytes[at];
        if b.is_ascii() {
            at += 1;
            if (b as char).is_whitespace() {
                pending_space = !out.is_empty();
                continue;
            }
            if pending_space {
                out.push(b' ');
                pending_space = false;
            }
            if b == b'-' {
                if out.last() != Some(&b'-') {
                    out.push(b);
                }
                continue;
            }
            // The rest of a run of ASCII that is neither white space nor a dash, copied whole,
            // and on over each single space between two such characters: read a character at
            // a time, such a space would be pending when the next character is pushed, and
            // would go out before it, as it stands (`out` is not empty here).
            let mut end = at;
            loop {
                match bytes.get(end) {
                    Some(&b) if PLAIN[usize::from(b)] => end += 1,
                    Some(b' ') if bytes.get(end + 1).is_some_and(|&n| PLAIN[usize::from(n)]) => {
                        end += 2
                    }
                    _ => break,
                }
            }
            out.push(b);
            out.extend_from_slice(&bytes[at..end]);
            at = end;
            continue;
        }
        let c = text[at..].chars().next().expect("a character starts here");
        at += c.len_utf8();
        fold_char(c, &mut out, &mut pending_space);
    }
    String::from_utf8(out).expect("folding pushes whole characters")
}

/// A character outside ASCII as [`fold`] reads it, added to `out`: its look-alike's
/// skeleton; nothing when invisible; white space owed (`pending_space`) when it is blank;
/// one hyphen for a run of dashes; a typographic apostrophe as an apostrophe.
fn fold_char(c: char, out: &mut Vec<u8>, pending_space: &mut bool) {
    let c = skeleton(c);
    if is_invisible(c) {
        return;
    }
    if c.is_whitespace() || is_blank(c) {
        *pending_space = !out.is_empty();
        return;
    }
    if *pending_space {
        out.push(b' ');
        *pending_space = false;
    }
    if c == '-' || is_dash(c) {
        if out.last() != Some(&b'-') {
            out.push(b'-');
        }
    } else if c.is_ascii() {
        out.push(c as u8);
    } else if matches!(c, '\u{2018}' | '\u{2019}' | '\u{02BC}' | '\u{2032}') {
        // A typographic apostrophe is an apostrophe: "MAYOR’S OFFICE" is the letterhead.
        out.push(b'\'');
    } else {
        let mut utf8 = [0; 4];
        out.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
    }
}

/// ASCII bytes that are neither white space nor a dash: what [`fold`] copies as they are,
/// and [`reading_prepared`] too.
const PLAIN: [bool; 256] = {
    let mut plain = [false; 256];
    let mut b = 0;
    while b < 128 {
        plain[b] = b as u8 != b'-' && !(b as u8 as char).is_whitespace();
        b += 1;
    }
    plain
};

/// `text` with its character references decoded, in NFKC, without combining marks (an
/// accent or an underline on a letter of a marking does not hide it: "SENSİTIVE",
/// "SENSITIVÉ" and "O̲FFICIAL" read as the plain letters). Most text is already so (all
/// ASCII text is), and a quick check spares it the normaliser: such text is borrowed.
pub fn nfkc(text: &str) -> Cow<'_, str> {
    use unicode_normalization::char::is_combining_mark;
    use unicode_normalization::{IsNormalized, is_nfd_quick, is_nfkc_quick};
    let decoded = decode_entities(text);
    // ASCII characters are in NFKC and combine with nothing before them: only the others are
    // checked. Leaving ASCII out can only make the check fail more often, never pass wrongly.
    // Text in both NFKC and NFD has no precomposed letter to take an accent from.
    //
    // Most text outside ASCII holds only characters that pass all three checks on their own
    // and are starters (combining class 0), such as "£" or "–": those are read once
    // ([`plainly_normal`]). A quick check fails only at a character its form does not allow
    // or at a non-starter after a character of a higher class; a run of such characters has
    // neither, so the three checks would pass too. Any other character: they are made.
    if decoded.is_ascii()
        || non_ascii(&decoded).all(plainly_normal)
        || (is_nfkc_quick(non_ascii(&decoded)) == IsNormalized::Yes
            && is_nfd_quick(non_ascii(&decoded)) == IsNormalized::Yes
            && !non_ascii(&decoded).any(is_combining_mark))
    {
        return decoded;
    }
    // A superscript or subscript digit is a marker set apart from the word it follows:
    // folded, it stands as a digit of its own ("Part 2¹" is "Part 2 1", not "Part 21").
    // Such digits are never in NFKC, so text that passed the check above has none.
    let mut apart = String::with_capacity(decoded.len() + 8);
    for c in decoded.chars() {
        if is_script_digit(c) {
            apart.push(' ');
            apart.push(c);
            apart.push(' ');
        } else {
            apart.push(c);
        }
    }
    let bare: String = apart.nfkd().filter(|&c| !is_combining_mark(c)).collect();
    Cow::Owned(bare.nfkc().collect())
}

/// True for a character that is on its own in NFKC and in NFD (no quick check says otherwise),
/// a starter (canonical combining class 0), and no combining mark.
fn plainly_normal(c: char) -> bool {
    use unicode_normalization::char::{canonical_combining_class, is_combining_mark};
    use unicode_normalization::{IsNormalized, is_nfd_quick, is_nfkc_quick};
    canonical_combining_class(c) == 0
        && !is_combining_mark(c)
        && is_nfkc_quick(std::iter::once(c)) == IsNormalized::Yes
        && is_nfd_quick(std::iter::once(c)) == IsNormalized::Yes
}

/// Superscript and subscript digits.
fn is_script_digit(c: char) -> bool {
    matches!(c, '\u{00B2}' | '\u{00B3}' | '\u{00B9}' | '\u{2070}' | '\u{2074}'..='\u{2079}' | '\u{2080}'..='\u{2089}')
}

/// The characters of `text` that are not ASCII, found a byte at a time.
fn non_ascii(text: &str) -> impl Iterator<Item = char> + '_ {
    let mut rest = text;
    std::iter::from_fn(move || {
        let i = ascii_prefix(rest.as_bytes());
        let c = rest[i..].chars().next()?;
        rest = &rest[i + c.len_utf8()..];
        Some(c)
    })
}

/// How many bytes at the start of `bytes` are ASCII, counted a machine word at a time.
fn ascii_prefix(bytes: &[u8]) -> usize {
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    let mut n = 0;
    while let Some(word) = bytes.get(n..n + 8) {
        if u64::from_ne_bytes(word.try_into().expect("eight bytes")) & HIGH != 0 {
            break;
        }
        n += 8;
    }
    n + bytes[n..].iter().take_while(|b| b.is_ascii()).count()
}

/// Decodes character references as a browser reads them in text: every HTML5 named
/// reference (`&dash;`, `&NoBreak;`), the legacy names that need no `;` (`&shy`, `&amp`),
/// and numeric references with or without their `;` (`&#83ITIVE` reads "SITIVE"). Text
/// without any is borrowed as it is.
pub fn decode_entities(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        match reference(rest) {
            Some((chars, len)) => {
                out.extend(chars.into_iter().flatten());
                rest = &rest[len..];
            }
            None => out.push('&'),
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The character reference that `after` (the text after an `&`) opens: its one or two
/// characters and the length it takes, or `None` when it opens none.
fn reference(after: &str) -> Option<([Option<char>; 2], usize)> {
    if let Some(num) = after.strip_prefix('#') {
        let (digits, radix, skip) = match num.strip_prefix(['x', 'X']) {
            Some(hex) => (hex, 16, 2),
            None => (num, 10, 1),
        };
        let len = digits
            .find(|c: char| !c.is_digit(radix))
            .unwrap_or(digits.len());
        if len == 0 {
            return None;
        }
        let value = u32::from_str_radix(&digits[..len], radix).unwrap_or(u32::MAX);
        let c = match value {
            0x80..=0x9F => {
                web_atoms::C1_REPLACEMENTS[(value - 0x80) as usize].or(char::from_u32(value))
            }
            0 => None,
            _ => char::from_u32(value),
        };
        let semi = usize::from(digits[len..].starts_with(';'));
        return Some(([Some(c.unwrap_or('\u{FFFD}')), None], skip + len + semi));
    }
    // The longest name the table knows, with its `;` or (legacy names) without.
    let run = after
        .find(|c: char| !c.is_ascii_alphanumeric())
        .unwrap_or(after.len())
        .min(32);
    (1..=run).rev().find_map(|len| {
        let with_semi = after[len..].starts_with(';');
        let key = &after[..len + usize::from(with_semi)];
        [key, &after[..len]]
            .into_iter()
            .find_map(|key| match web_atoms::NAMED_ENTITIES.get(key) {
                Some(&(first, second)) if first != 0 => Some((
                    [
                        char::from_u32(first),
                        char::from_u32(second).filter(|_| second != 0),
                    ],
                    key.len(),
                )),
                _ => None,
            })
    })
}

/// `text` with each word a converter or typesetter wrapped at a hyphen joined again
/// ("RESTRIC-⏎TED" reads "RESTRICTED"): a hyphen after a letter at the end of a line, and a
/// letter opening the next line (after its indentation and block-quote markers). Text with
/// no such wrap is borrowed as it is.
pub fn unwrap_hyphens(text: &str) -> Cow<'_, str> {
    static RE: OnceLock<Regex> = OnceLock::new();
    if !may_wrap_at_hyphen(text) {
        return Cow::Borrowed(text);
    }
    let re = RE.get_or_init(|| {
        Regex::new(r"(\p{L})[-\u{2010}\u{2011}\u{00AD}][ \t]*\r?\n[ \t>]*(\p{L})")
            .expect("the hyphen-wrap pattern compiles")
    });
    re.replace_all(text, "$1$2")
}

/// True unless `text` surely has no hyphen-wrapped word: a hyphen (of those
/// [`unwrap_hyphens`] reads) before a line break, with at most spaces, tabs and a carriage
/// return between them. A quick look at the bytes before each line break, so that the
/// pattern is run only on text that may match it.
fn may_wrap_at_hyphen(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut from = 0;
    while let Some(i) = bytes[from..].iter().position(|&b| b == b'\n') {
        let end = from + i;
        let before = text[..end].trim_end_matches([' ', '\t', '\r']);
        if before.ends_with(['-', '\u{2010}', '\u{2011}', '\u{00AD}']) {
            return true;
        }
        from = end + 1;
    }
    false
}

/// False when `text` has no digit, no character outside ASCII and none of `^[(<~&`: then it
/// has no footnote marker, and [`without_markers`] gives it back as it is.
pub fn may_hold_markers(text: &str) -> bool {
    first_byte(text.as_bytes(), |b| MARKER_BYTE[usize::from(b)]).is_some()
}

/// The bytes [`may_hold_markers`] looks for: ASCII digits, `^[(<~&`, and every byte of a
/// character outside ASCII (0x80 and above).
const MARKER_BYTE: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_digit()
            || !c.is_ascii()
            || matches!(c, b'^' | b'[' | b'(' | b'<' | b'~' | b'&');
        b += 1;
    }
    table
};

/// `text` with its footnote markers taken out, as a reader passes over them, for reading
/// markings only: `<sup>…</sup>` and `<sub>…</sub>` of a few characters, a few characters
/// struck through (`~~x~~`, `<del>`, `<s>`: "OFFICIAL-~~x~~SENSITIVE" is read as the marking), `^1^`, `[1]`, `[^1]`
/// and `(1)`, superscript and subscript digits, and every run of one to three ASCII digits
/// (glued to a word, "OFFICIAL1-SENSITIVE", or on its own); character references decoded
/// first. A marker inside a marking's words ("SE¹CRET") does not hide it.
pub fn without_markers(text: &str) -> String {
    static RE: OnceLock<Regex> = OnceLock::new();
    if !may_hold_markers(text) {
        return text.to_string();
    }
    let re = RE.get_or_init(|| {
        Regex::new(
            r"(?i:<(?:su[pb]|del|s|strike)\b[^>]{0,40}>[^<]{0,8}</(?:su[pb]|del|s|strike)\s*>)|~~[^~]{1,8}~~|\^[0-9]{1,3}\^|\[\^?[0-9]{1,3}\]|\([0-9]{1,3}\)|[\x{B9}\x{B2}\x{B3}\x{2070}-\x{2079}\x{2080}-\x{2089}]+",
        )
        .expect("the footnote marker pattern compiles")
    });
    let decoded = decode_entities(text);
    // Every marker the pattern takes out holds one of `<~^[(` or a superscript or subscript
    // digit: text with none is not searched (it would be given back as it is).
    let bare = if decoded.contains(['<', '~', '^', '[', '('])
        || decoded.contains(|c| {
            matches!(c, '\u{B9}' | '\u{B2}' | '\u{B3}' | '\u{2070}'..='\u{2079}' | '\u{2080}'..='\u{2089}')
        }) {
        re.replace_all(&decoded, "")
    } else {
        Cow::Borrowed(decoded.as_ref())
    };
    let mut out = String::with_capacity(bare.len());
    let mut rest = bare.as_ref();
    while !rest.is_empty() {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 {
            if digits > 3 {
                out.push_str(&rest[..digits]);
            }
            rest = &rest[digits..];
            continue;
        }
        let other = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        out.push_str(&rest[..other]);
        rest = &rest[other..];
    }
    out
}

/// `text` as a reader takes in its words, whatever their dress, for finding words that say
/// part of a report is restricted: hyphen-wrapped words joined ([`unwrap_hyphens`]),
/// emphasis and code markers inside words dropped ("**Confi**dential"), folded ([`fold`]),
/// digits of every script read as ASCII digits, every hyphen and every symbol outside ASCII
/// as a space, and letters
/// spaced out one by one joined into their word ("P A R T 2", "S.E.C.R.E.T.").
pub fn reading(text: &str) -> String {
    reading_prepared(&prepared(text))
}

/// The first step [`reading`] and [`disguised`] both take: `text` with its hyphen-wrapped
/// words joined ([`unwrap_hyphens`]), without emphasis and code markers inside words, folded
/// ([`fold`]). A caller that reads the same text both ways prepares it once and hands it to
/// [`reading_prepared`] and [`disguised_prepared`]: each is then what [`reading`] and
/// [`disguised`] give for `text`, as they are those functions after this step.
pub fn prepared(text: &str) -> String {
    let joined = unwrap_hyphens(text);
    let bare = without_emphasis(&joined);
    fold(&bare)
}

/// [`reading`] of text that [`prepared`] gave: `reading(text)` is
/// `reading_prepared(&prepared(text))`.
pub fn reading_prepared(folded: &str) -> String {
    // One pass: each character read as above, and the white space that leaves closed up as
    // `one_line` does (each run one space, none at either end).
    let mut plain = String::with_capacity(folded.len());
    let mut pending_space = false;
    let bytes = folded.as_bytes();
    let mut at = 0;
    while at < bytes.len() {
        // A run of ASCII that is neither a hyphen nor white space ([`PLAIN`]) is kept as it
        // is, whole.
        if PLAIN[usize::from(bytes[at])] {
            let run = bytes[at..]
                .iter()
                .position(|&b| !PLAIN[usize::from(b)])
                .unwrap_or(bytes.len() - at);
            if pending_space {
                plain.push(' ');
                pending_space = false;
            }
            plain.push_str(&folded[at..at + run]);
            at += run;
            continue;
        }
        let c = if bytes[at].is_ascii() {
            at += 1;
            bytes[at - 1] as char
        } else {
            let c = folded[at..]
                .chars()
                .next()
                .expect("a character starts here");
            at += c.len_utf8();
            c
        };
        let c = match c {
            '-' => ' ',
            // A numeral whose value is not known (a dingbat, a fraction) is a number all the
            // same: "Part ❷" names a part.
            c if !c.is_ascii() && c.is_numeric() => ascii_digit(c).unwrap_or('#'),
            // A symbol outside ASCII ("£", "§", a quotation mark) is no part of a word: read
            // as a space, it leaves most text ASCII, which the patterns search fastest.
            c if !c.is_ascii() && !c.is_alphabetic() => ' ',
            c => c,
        };
        if c.is_whitespace() {
            pending_space = !plain.is_empty();
            continue;
        }
        if pending_space {
            plain.push(' ');
            pending_space = false;
        }
        plain.push(c);
    }
    if has_letters_to_join(&plain) {
        join_spaced_letters(&plain)
    } else {
        plain
    }
}

/// The ASCII digit a decimal digit of any script stands for ("٢" is 2): decimal digits are
/// encoded in runs from zero to nine, so the value is the distance from the run's zero.
pub fn ascii_digit(c: char) -> Option<char> {
    // Dingbat digits in circles, 1 to 10 in three styles.
    if let '\u{2776}'..='\u{2793}' = c {
        let n = (c as u32 - 0x2776) % 10 + 1;
        return char::from_digit(n % 10, 10);
    }
    static DIGIT: OnceLock<Regex> = OnceLock::new();
    let digit = DIGIT.get_or_init(|| Regex::new(r"^\p{Nd}$").expect("the digit pattern compiles"));
    let is_digit = |c: char| digit.is_match(c.encode_utf8(&mut [0; 4]));
    if !is_digit(c) {
        return None;
    }
    let mut zero = c as u32;
    while zero > 0 && (c as u32 - zero) < 9 {
        match char::from_u32(zero - 1) {
            Some(p) if is_digit(p) => zero -= 1,
            _ => break,
        }
    }
    let value = (c as u32 - zero) % 10;
    char::from_digit(value, 10)
}

/// True when [`join_spaced_letters`] would change `text`: it has a run of three or more
/// one-letter words, or a word of three or more one-letter parts between full stops. Reads
/// the words in place, without collecting them.
fn has_letters_to_join(text: &str) -> bool {
    let bytes = text.as_bytes();
    let mut run = 0;
    // The words are those `text.split(' ')` gives, found a byte at a time: each starts at
    // `start` (0, or after a space) and ends at the next space or the end.
    let mut start = 0;
    loop {
        // A word whose first character is ASCII and whose second is no full stop is neither
        // (trimming full stops off its end leaves both; its first part is two characters).
        // Such a word is two bytes or more: neither its first byte nor its second is a space.
        // It is passed over to the next space without being cut out.
        if let [first, second, ..] = bytes[start..]
            && first.is_ascii()
            && first != b' '
            && second != b'.'
            && second != b' '
        {
            run = 0;
            match bytes[start + 2..].iter().position(|&b| b == b' ') {
                Some(i) => {
                    start += 2 + i + 1;
                    continue;
                }
                None => return false,
            }
        }
        let end = bytes[start..]
            .iter()
            .position(|&b| b == b' ')
            .map_or(bytes.len(), |i| start + i);
        let t = &text[start..end];
        if single_letter(t) {
            run += 1;
            if run >= 3 {
                return true;
            }
        } else {
            run = 0;
        }
        if dotted_word(t) {
            return true;
        }
        if end == bytes.len() {
            return false;
        }
        start = end + 1;
    }
}

/// [`has_letters_to_join`] as it was first written, cutting the words with `split`: what the
/// tests compare it with.
#[cfg(test)]
fn has_letters_to_join_plainly(text: &str) -> bool {
    let mut run = 0;
    for t in text.split(' ') {
        let b = t.as_bytes();
        if b.len() >= 2 && b[0].is_ascii() && b[1] != b'.' {
            run = 0;
            continue;
        }
        if single_letter(t) {
            run += 1;
            if run >= 3 {
                return true;
            }
        } else {
            run = 0;
        }
        if dotted_word(t) {
            return true;
        }
    }
    false
}

/// True for a word of three or more parts of one character each between full stops
/// ("S.E.C.R.E.T.").
fn dotted_word(t: &str) -> bool {
    let mut parts = 0;
    for l in t.split_terminator('.') {
        let mut chars = l.chars();
        if chars.next().is_none() || chars.next().is_some() {
            return false;
        }
        parts += 1;
    }
    parts >= 3
}

/// Runs of three or more one-letter words ("S E C R E T", "O.F.F.I.C.I.A.L") joined into
/// the word they spell; single letters standing alone ("a", "I") are left as they are.
pub fn join_spaced_letters(text: &str) -> String {
    // Most text has neither: it is given back as it is.
    if !has_letters_to_join(text) {
        return text.to_string();
    }
    let tokens: Vec<&str> = text.split(' ').collect();
    let mut out: Vec<String> = Vec::with_capacity(tokens.len());
    let mut i = 0;
    let dotted = |t: &&str| -> String {
        // "S.E.C.R.E.T." spells its word with no spaces.
        let letters: Vec<&str> = t.split_terminator('.').collect();
        if letters.len() >= 3 && letters.iter().all(|l| l.chars().count() == 1) {
            letters.concat()
        } else {
            t.to_string()
        }
    };
    for (start, end) in spaced_runs(&tokens) {
        out.extend(tokens[i..start].iter().map(dotted));
        out.push(spell(&tokens[start..end]));
        i = end;
    }
    out.extend(tokens[i..].iter().map(dotted));
    out.join(" ")
}

/// True for a one-letter word: a letter or digit, and perhaps full stops after it.
fn single_letter(t: &str) -> bool {
    // A word whose first character is ASCII and whose second byte is no full stop is not one:
    // trimming full stops off its end leaves its first two characters.
    let b = t.as_bytes();
    if b.len() >= 2 && b[0].is_ascii() && b[1] != b'.' {
        return false;
    }
    let mut chars = t.trim_end_matches('.').chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if c.is_alphanumeric())
}

/// The guarded word that a run of one-letter words spells, if the run is of three or more.
fn spelt(run: &[&str]) -> Option<&'static str> {
    if run.len() < 3 {
        return None;
    }
    let word = spell(run).to_lowercase();
    let word: String = word
        .chars()
        .map(|c| look_alike_of(c).unwrap_or(c))
        .collect();
    GUARDED_WORDS
        .iter()
        .find(|w| {
            word.contains(
                &w.chars()
                    .map(|c| look_alike_of(c).unwrap_or(c))
                    .collect::<String>(),
            )
        })
        .copied()
}

/// The runs (start and end indices) of three or more one-letter words in `tokens`.
fn spaced_runs(tokens: &[&str]) -> Vec<(usize, usize)> {
    let single = |t: &&str| single_letter(t);
    let mut runs = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let run = tokens[i..].iter().take_while(|t| single(t)).count();
        if run >= 3 {
            runs.push((i, i + run));
            i += run;
        } else {
            i += 1;
        }
    }
    runs
}

/// The word one-letter words spell.
fn spell(letters: &[&str]) -> String {
    letters.iter().map(|t| t.trim_end_matches('.')).collect()
}

/// Words whose disguise is refused: what a marking or a restricted part is called.
pub const GUARDED_WORDS: [&str; 9] = [
    "official",
    "sensitive",
    "secret",
    "restricted",
    "confidential",
    "protect",
    "protected",
    "exempt",
    "part",
];

/// The first guarded word ([`GUARDED_WORDS`]) that `text` writes in disguise: with digits,
/// symbols or letters of other scripts standing for some of its letters ("0FFICIAL",
/// "SENS1TIVE", "SENSlTIVE", "$ECRET", "ŦOP"), or spelt out letter by letter
/// ("S E C R E T"). A word written plainly is not a disguise: other rules read it.
pub fn disguised(text: &str) -> Option<&'static str> {
    disguised_prepared(&prepared(text))
}

/// [`disguised`] of text that [`prepared`] gave (`disguised(text)` is
/// `disguised_prepared(&prepared(text))`), in one reading of it. The words between characters that are neither part of a word nor a full stop are
/// read in order: a run of one-letter words that spells a guarded word is the answer (the
/// first such run); failing one, the first word, cut at its full stops, one of whose pieces
/// stands for a guarded word. The pieces are the words [`disguised_plainly`] reads in its
/// second pass (the runs of word characters): each lies within one word and they come in the
/// same order; a one-letter word holds no piece long enough to stand for a guarded word.
pub fn disguised_prepared(folded: &str) -> Option<&'static str> {
    let mut run: Vec<&str> = Vec::new();
    let mut stand_in = None;
    for t in runs_of(folded, is_word_part_or_stop) {
        if single_letter(t) {
            run.push(t);
            continue;
        }
        if run.len() >= 3
            && let Some(w) = spelt(&run)
        {
            return Some(w);
        }
        run.clear();
        if stand_in.is_none() {
            // A word with no full stop is its own one piece, as `split` gives it.
            stand_in = if t.bytes().any(|b| b == b'.') {
                t.split('.').find_map(stood_for)
            } else {
                stood_for(t)
            };
        }
    }
    spelt(&run).or(stand_in)
}

/// A character that can be part of a disguised word: a letter or digit, or `$`, `@`, `|`.
pub(crate) fn is_word_part(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || matches!(c, '$' | '@' | '|')
    } else {
        c.is_alphanumeric()
    }
}

/// [`is_word_part`], or a full stop: what a word read for disguises is made of. ASCII is
/// looked up in a table of the same answers.
fn is_word_part_or_stop(c: char) -> bool {
    if c.is_ascii() {
        WORD_PART_OR_STOP[c as usize]
    } else {
        is_word_part(c)
    }
}

/// [`is_word_part`] or a full stop, for each ASCII character.
const WORD_PART_OR_STOP: [bool; 128] = {
    let mut table = [false; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric() || matches!(c, b'$' | b'@' | b'|' | b'.');
        b += 1;
    }
    table
};

/// The guarded word that `t`, a run of word characters, stands for.
fn stood_for(t: &str) -> Option<&'static str> {
    // No guarded word is shorter than four letters, nor a character longer than four bytes:
    // only a token of four to 48 bytes can stand for one.
    if !(4..=48).contains(&t.len()) {
        return None;
    }
    // Fast path, exact: `stands_for` gives false at a token's first character, or its
    // second, that is neither a guarded word's letter there nor a look-alike of it. When the
    // token's first two bytes are ASCII (its first two characters), each is looked up in a
    // table of what some guarded word allows there; a character no word allows there is one
    // at which `stands_for` gives false for every word.
    let b = t.as_bytes();
    if b[0].is_ascii()
        && (!MAY_STAND[0][usize::from(b[0])]
            || (b[1].is_ascii() && !MAY_STAND[1][usize::from(b[1])]))
    {
        return None;
    }
    stood_for_plainly(t)
}

/// For the first and the second character of a token, each ASCII character (as
/// [`stands_for`] reads it, in lower case) that does not end its reading there for some
/// guarded word: the word's own letter there, or a look-alike of it.
const MAY_STAND: [[bool; 128]; 2] = {
    let mut table = [[false; 128]; 2];
    let mut i = 0;
    while i < 2 {
        let mut b = 0;
        while b < 128 {
            let c = (b as u8).to_ascii_lowercase() as char;
            let mut k = 0;
            while k < GUARDED_WORDS.len() {
                let w = GUARDED_WORDS[k].as_bytes()[i] as char;
                let target = match look_alike_of(w) {
                    Some(l) => l,
                    None => w,
                };
                let alike = match look_alike_of(c) {
                    Some(l) => l == target,
                    None => false,
                };
                if c == w || alike {
                    table[i][b] = true;
                }
                k += 1;
            }
            b += 1;
        }
        i += 1;
    }
    table
};

/// [`stood_for`] of a token of four to 48 bytes, without its table: what the tests compare
/// it with.
fn stood_for_plainly(t: &str) -> Option<&'static str> {
    // Only a token as long as some guarded word can stand for one.
    let length = t.chars().count();
    guarded_words_of_length(length)
        .iter()
        .find(|w| stands_for(t, w))
        .copied()
}

/// The guarded words ([`GUARDED_WORDS`]) `length` letters long, in their order there: the
/// list sorted by length once, so that a token is compared only with words as long as it.
fn guarded_words_of_length(length: usize) -> &'static [&'static str] {
    static BY_LENGTH: OnceLock<Vec<Vec<&'static str>>> = OnceLock::new();
    let by_length = BY_LENGTH.get_or_init(|| {
        let longest = GUARDED_WORDS.iter().map(|w| w.len()).max().unwrap_or(0);
        let mut by_length = vec![Vec::new(); longest + 1];
        for w in GUARDED_WORDS {
            by_length[w.len()].push(w);
        }
        by_length
    });
    by_length.get(length).map_or(&[], Vec::as_slice)
}

/// [`disguised`] read in two passes, as it was first written: what the tests compare
/// [`disguised_prepared`] with.
#[cfg(test)]
fn disguised_plainly(text: &str) -> Option<&'static str> {
    let joined = unwrap_hyphens(text);
    let bare = without_emphasis(&joined);
    let folded = fold(&bare);
    let is_part = |c: char| c.is_alphanumeric() || matches!(c, '$' | '@' | '|');
    // Letters spaced out: a run of one-letter words that spells a guarded word. The words
    // are what stands between characters that are neither part of a word nor a full stop.
    let mut run: Vec<&str> = Vec::new();
    for t in runs_of(&folded, |c| is_part(c) || c == '.') {
        if single_letter(t) {
            run.push(t);
            continue;
        }
        if let Some(w) = spelt(&run) {
            return Some(w);
        }
        run.clear();
    }
    if let Some(w) = spelt(&run) {
        return Some(w);
    }
    runs_of(&folded, is_part)
        // No guarded word is shorter than four letters, nor a character longer than four
        // bytes: only a token of four to 48 bytes can stand for one.
        .filter(|t| (4..=48).contains(&t.len()))
        .find_map(|t| {
            // Only a token as long as some guarded word can stand for one.
            let length = t.chars().count();
            GUARDED_WORDS
                .iter()
                .filter(|w| w.len() == length)
                .find(|w| stands_for(t, w))
                .copied()
        })
}

/// The non-empty runs of characters of `text` that `keep` keeps, as `str::split` on the
/// others would give them, read a byte at a time where the text is ASCII.
pub(crate) fn runs_of(text: &str, keep: impl Fn(char) -> bool) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        let mut start = None;
        while at < bytes.len() {
            let b = bytes[at];
            let (c, len) = if b.is_ascii() {
                (b as char, 1)
            } else {
                let c = text[at..].chars().next().expect("a character starts here");
                (c, c.len_utf8())
            };
            if keep(c) {
                start.get_or_insert(at);
            } else if let Some(s) = start {
                let run = &text[s..at];
                at += len;
                return Some(run);
            }
            at += len;
        }
        start.map(|s| &text[s..])
    })
}

/// `text` without the emphasis and code markers a word may hold inside it
/// ("**Confi**dential"); borrowed when it has none.
fn without_emphasis(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let Some(first) = first_emphasis_marker(bytes) else {
        return Cow::Borrowed(text);
    };
    // The bytes between the markers copied a run at a time: the same bytes, in the same
    // order, as keeping every byte that is not a marker. The markers are ASCII: taking their
    // bytes out leaves whole characters.
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..first]);
    let mut rest = &bytes[first + 1..];
    while let Some(i) = first_emphasis_marker(rest) {
        out.extend_from_slice(&rest[..i]);
        rest = &rest[i + 1..];
    }
    out.extend_from_slice(rest);
    Cow::Owned(String::from_utf8(out).expect("whole characters are left"))
}

/// An emphasis or code marker byte (`*`, `_`, `~`, a backtick).
fn is_emphasis_marker(b: u8) -> bool {
    matches!(b, b'*' | b'_' | b'~' | b'`')
}

/// Where the first emphasis or code marker of `bytes` is ([`first_byte`]).
fn first_emphasis_marker(bytes: &[u8]) -> Option<usize> {
    first_byte(bytes, is_emphasis_marker)
}

/// Where the first byte of `bytes` that `wanted` takes is. Each block of 32 is first asked
/// whether it holds one, in a form the compiler can compare many bytes at a time; only the
/// block that does is read byte by byte, and its first such byte is the first in `bytes`
/// (the blocks before it hold none).
fn first_byte(bytes: &[u8], wanted: impl Fn(u8) -> bool) -> Option<usize> {
    let mut base = 0;
    for block in bytes.chunks(32) {
        if block.iter().fold(false, |seen, &b| seen | wanted(b)) {
            return block.iter().position(|&b| wanted(b)).map(|i| base + i);
        }
        base += block.len();
    }
    None
}

/// True when `token` is `word` with some of its letters written otherwise, and not `word`
/// itself: as long, each character the letter, a look-alike of it, or a character outside
/// ASCII that nothing reads (a stroked letter), and at least half of them the letter itself.
fn stands_for(token: &str, word: &str) -> bool {
    if token.len() < word.len() {
        return false;
    }
    // An ASCII letter's lower case is the one character `to_ascii_lowercase` gives.
    let lower = |c: char| {
        if c.is_ascii() {
            c.to_ascii_lowercase()
        } else {
            c.to_lowercase().next().unwrap_or(c)
        }
    };
    // Most tokens part from the word at their first or second character.
    let mut chars = token.chars().map(lower);
    let mut same = 0;
    for w in word.chars() {
        let Some(c) = chars.next() else {
            return false;
        };
        if c == w {
            same += 1;
        } else if !(look_alike_of(c) == Some(look_alike_of(w).unwrap_or(w))
            || (!c.is_ascii() && c.is_alphabetic()))
        {
            return false;
        }
    }
    // As long as the word, not the word itself, and at least half of it the word's own.
    chars.next().is_none() && same < word.len() && same * 2 >= word.len()
}

/// The letter a character is read as when it stands in a word: digits and symbols that pass
/// for letters, `l` and `i` as one, stroked letters as their letter.
#[inline]
pub(crate) const fn look_alike_of(c: char) -> Option<char> {
    Some(match c {
        '0' | 'o' | 'ø' => 'o',
        '1' | 'l' | 'i' | '|' | 'ł' | 'ɨ' | 'ı' => 'i',
        '3' | 'e' | 'ɇ' => 'e',
        '4' | '@' | 'a' | 'ⱥ' => 'a',
        '5' | '$' | 's' => 's',
        '7' | 't' | 'ŧ' | 'ƫ' | 'ț' => 't',
        '8' | 'b' | 'ƀ' => 'b',
        '9' | '6' | 'g' | 'ǥ' => 'g',
        '2' | 'z' | 'ƶ' => 'z',
        'đ' | 'd' => 'd',
        'ħ' | 'h' => 'h',
        'ȼ' | 'c' | '¢' => 'c',
        'ɍ' | 'r' => 'r',
        'ꝑ' | 'p' => 'p',
        c if c.is_ascii_lowercase() => c,
        _ => return None,
    })
}

/// False when `text` surely holds no superscript digit (`⁰` to `⁹`): each is written in UTF-8
/// with a last byte from 0xB0 to 0xB9 (`¹²³` are C2 B9, C2 B2, C2 B3; the others E2 81 B0 and
/// E2 81 B4 to B9), and text with no such byte has none ([`first_byte`]).
pub fn may_hold_superscript_digit(text: &str) -> bool {
    first_byte(text.as_bytes(), |b| b.wrapping_sub(0xB0) < 10).is_some()
}

/// `text` with each run of white space as one space, trimmed: text as a page or a notice
/// shows it on one line.
pub fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Folds each line of `text` on its own, dropping lines left empty.
pub fn fold_lines(text: &str) -> Vec<String> {
    text.lines().map(fold).filter(|l| !l.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    /// Texts of the characters the readings treat apart, put together at random (a fixed
    /// seed): hyphens and dashes, spaces of every kind, single letters and full stops,
    /// emphasis markers, digits of other scripts, symbols, look-alikes, line breaks.
    fn mixed_texts() -> Vec<String> {
        const PARTS: [&str; 30] = [
            "a", "S", "E", "C", "R", "T", "Part", "two", "2", "-", "\u{2013}", " ", "  ", "\t",
            "\n", ".", "*", "_", "~", "`", "\u{a3}", "\u{00a0}", "\u{0662}", "\u{2777}",
            "\u{0441}", "\u{00e9}", "OFFICIAL", "\u{200b}", "&amp;", "\u{2028}",
        ];
        let mut random = crate::samples::Texts::new(30);
        (0..4000)
            .map(|_| {
                let n = random.below(24);
                (0..n).map(|_| PARTS[random.below(PARTS.len())]).collect()
            })
            .collect()
    }

    /// `reading` as first written: a pass per step.
    fn reading_by_steps(text: &str) -> String {
        let joined = unwrap_hyphens(text);
        let bare = without_emphasis(&joined);
        let folded = fold(&bare);
        let plain: String = folded
            .chars()
            .map(|c| match c {
                '-' => ' ',
                c if !c.is_ascii() && c.is_numeric() => ascii_digit(c).unwrap_or('#'),
                c if !c.is_ascii() && !c.is_alphabetic() => ' ',
                c => c,
            })
            .collect();
        let tokens: Vec<String> = one_line(&plain).split(' ').map(str::to_owned).collect();
        let line = tokens.join(" ");
        let refs: Vec<&str> = line.split(' ').collect();
        let dotted = |t: &&str| {
            let letters: Vec<&str> = t.split_terminator('.').collect();
            letters.len() >= 3 && letters.iter().all(|l| l.chars().count() == 1)
        };
        assert_eq!(
            has_letters_to_join(&line),
            !spaced_runs(&refs).is_empty() || refs.iter().any(dotted),
            "{line:?}"
        );
        join_spaced_letters(&line)
    }

    #[test]
    fn reading_in_one_pass_is_reading_by_steps() {
        for text in mixed_texts().iter().map(String::as_str).chain([
            "",
            " - ",
            "P A R T 2",
            "S.E.C.R.E.T. and O.F.F",
            "a. b. c.",
            "Ab.c.d",
            "\u{0441}.\u{0441}.\u{0441}",
            "RESTRIC-\nTED",
            "**Confi**dential \u{a3}12,000k",
        ]) {
            assert_eq!(reading(text), reading_by_steps(text), "{text:?}");
        }
    }

    /// [`super::fold`] as it was first written, copying a run of ASCII up to the next space:
    /// what the tests compare it with (a character outside ASCII is read by `fold_char` in
    /// both).
    fn fold_plainly(text: &str) -> String {
        let text = nfkc(text);
        let mut out = Vec::with_capacity(text.len());
        let mut pending_space = false;
        let bytes = text.as_bytes();
        let mut at = 0;
        while at < bytes.len() {
            // ASCII (nearly all text) is neither a look-alike, nor invisible, nor a dash other
            // than "-": a byte at a time.
            let b = bytes[at];
            if b.is_ascii() {
                at += 1;
                if (b as char).is_whitespace() {
                    pending_space = !out.is_empty();
                    continue;
                }
                if pending_space {
                    out.push(b' ');
                    pending_space = false;
                }
                if b == b'-' {
                    if out.last() != Some(&b'-') {
                        out.push(b);
                    }
                    continue;
                }
                // The rest of a run of ASCII that is neither white space nor a dash, copied whole.
                let run = bytes[at..]
                    .iter()
                    .position(|&b| !b.is_ascii() || b == b'-' || (b as char).is_whitespace())
                    .unwrap_or(bytes.len() - at);
                out.push(b);
                out.extend_from_slice(&bytes[at..at + run]);
                at += run;
                continue;
            }
            let c = text[at..].chars().next().expect("a character starts here");
            at += c.len_utf8();
            fold_char(c, &mut out, &mut pending_space);
        }
        String::from_utf8(out).expect("folding pushes whole characters")
    }

    #[test]
    fn folding_reads_as_it_did_a_word_at_a_time() {
        let mut texts = crate::samples::Texts::new(21);
        for _ in 0..30_000 {
            let text = texts.text(16);
            assert_eq!(super::fold(&text), fold_plainly(&text), "{text:?}");
        }
        for text in [
            "",
            " ",
            " a b ",
            "a  b",
            "a - b",
            "a -b",
            "a- b",
            "a\t b",
            "a \u{200B}b",
        ] {
            assert_eq!(super::fold(text), fold_plainly(text), "{text:?}");
        }
    }

    /// [`super::nfkc`]'s checks as they were first written, before the one pass over
    /// characters that pass them on their own.
    fn nfkc_checks_pass(decoded: &str) -> bool {
        use unicode_normalization::char::is_combining_mark;
        use unicode_normalization::{IsNormalized, is_nfd_quick, is_nfkc_quick};
        decoded.is_ascii()
            || (is_nfkc_quick(non_ascii(decoded)) == IsNormalized::Yes
                && is_nfd_quick(non_ascii(decoded)) == IsNormalized::Yes
                && !non_ascii(decoded).any(is_combining_mark))
    }

    #[test]
    fn characters_normal_on_their_own_make_normal_text() {
        let mut texts = crate::samples::Texts::new(24);
        for _ in 0..30_000 {
            let text = texts.text(12);
            let decoded = decode_entities(&text);
            if non_ascii(&decoded).all(plainly_normal) {
                assert!(nfkc_checks_pass(&decoded), "{text:?}");
            }
        }
        // Every character of the first planes, alone and after the one before it.
        let mut before = 'a';
        for c in (0x80..0x3_0000).filter_map(char::from_u32) {
            for text in [c.to_string(), format!("{before}{c}")] {
                if non_ascii(&text).all(plainly_normal) {
                    assert!(nfkc_checks_pass(&text), "{text:?}");
                }
            }
            before = c;
        }
        assert!("£–—‘’“”€•°§©".chars().all(plainly_normal));
        assert!(!"é\u{301}\u{A0}ﬁ\u{B9}".chars().any(plainly_normal));
    }

    /// [`super::without_markers`]'s pattern run on every text, as it was first written.
    fn without_markers_plainly(text: &str) -> String {
        static RE: OnceLock<Regex> = OnceLock::new();
        let re = RE.get_or_init(|| {
            Regex::new(
            r"(?i:<(?:su[pb]|del|s|strike)\b[^>]{0,40}>[^<]{0,8}</(?:su[pb]|del|s|strike)\s*>)|~~[^~]{1,8}~~|\^[0-9]{1,3}\^|\[\^?[0-9]{1,3}\]|\([0-9]{1,3}\)|[\x{B9}\x{B2}\x{B3}\x{2070}-\x{2079}\x{2080}-\x{2089}]+",
        )
        .unwrap()
        });
        let decoded = decode_entities(text);
        let bare = re.replace_all(&decoded, "");
        let mut out = String::new();
        let mut rest = bare.as_ref();
        while !rest.is_empty() {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            if digits > 0 {
                if digits > 3 {
                    out.push_str(&rest[..digits]);
                }
                rest = &rest[digits..];
                continue;
            }
            let other = rest
                .find(|c: char| c.is_ascii_digit())
                .unwrap_or(rest.len());
            out.push_str(&rest[..other]);
            rest = &rest[other..];
        }
        out
    }

    #[test]
    fn markers_are_sought_only_where_one_can_stand() {
        let mut texts = crate::samples::Texts::new(25);
        for _ in 0..20_000 {
            let text = texts.text(14);
            assert_eq!(
                without_markers(&text),
                without_markers_plainly(&text),
                "{text:?}"
            );
        }
    }

    #[test]
    fn text_with_a_superscript_digit_is_never_passed_over() {
        let digits = [
            '\u{2070}', '\u{B9}', '\u{B2}', '\u{B3}', '\u{2074}', '\u{2075}', '\u{2076}',
            '\u{2077}', '\u{2078}', '\u{2079}',
        ];
        let mut texts = crate::samples::Texts::new(23);
        for _ in 0..20_000 {
            let mut text = texts.text(12);
            if texts.below(3) == 0 {
                let at = text
                    .char_indices()
                    .map(|(i, _)| i)
                    .nth(texts.below(text.chars().count() + 1))
                    .unwrap_or(text.len());
                text.insert(at, digits[texts.below(digits.len())]);
            }
            if text.chars().any(|c| digits.contains(&c)) {
                assert!(may_hold_superscript_digit(&text), "{text:?}");
            }
        }
        assert!(!may_hold_superscript_digit(
            "£8134,641k m2 \u{2013} \u{00E9}"
        ));
        for c in digits {
            assert!(may_hold_superscript_digit(&format!(
                "{}{c}{}",
                "x".repeat(31),
                "y".repeat(40)
            )));
        }
    }

    #[test]
    fn one_reading_finds_what_two_passes_find() {
        let mut texts = crate::samples::Texts::new(22);
        let mut found = 0;
        for _ in 0..30_000 {
            let text = texts.text(16);
            let word = super::disguised(&text);
            assert_eq!(word, super::disguised_plainly(&text), "{text:?}");
            found += usize::from(word.is_some());
        }
        // Both answers are met often.
        assert!((3_000..27_000).contains(&found), "{found}");
    }

    #[test]
    fn a_prepared_text_reads_as_the_text() {
        let mut texts = crate::samples::Texts::new(26);
        for text in (0..20_000).map(|_| texts.text(16)).chain(mixed_texts()) {
            let prepared = super::prepared(&text);
            assert_eq!(reading_prepared(&prepared), reading(&text), "{text:?}");
            assert_eq!(disguised_prepared(&prepared), disguised(&text), "{text:?}");
        }
    }

    #[test]
    fn emphasis_is_taken_out_as_byte_by_byte() {
        let plainly = |text: &str| -> String {
            text.chars()
                .filter(|c| !matches!(c, '*' | '_' | '~' | '`'))
                .collect()
        };
        let mut texts = crate::samples::Texts::new(27);
        let long = texts.text(200);
        for text in (0..20_000)
            .map(|_| texts.text(24))
            .chain(mixed_texts())
            .chain([
                String::new(),
                "*".into(),
                "__".into(),
                format!("{}*", "x".repeat(31)),
                format!("{}_{}", "x".repeat(32), "\u{00e9}".repeat(20)),
                format!("`{}`", "\u{2013}".repeat(40)),
                long,
            ])
        {
            assert_eq!(without_emphasis(&text), plainly(&text), "{text:?}");
        }
    }

    #[test]
    fn letters_to_join_are_found_as_by_splitting() {
        let mut texts = crate::samples::Texts::new(28);
        let mut found = 0;
        for text in (0..30_000)
            .map(|_| texts.text(16))
            .flat_map(|t| [reading(&t), one_line(&t), t])
            .chain(mixed_texts())
            .chain(
                [
                    "",
                    " ",
                    "  ",
                    "a",
                    "a ",
                    " a",
                    "a b c",
                    "a b  c",
                    "a  b c d",
                    "ab c d e",
                    "a b c.",
                    "a. b. c.",
                    "S.E.C",
                    "S.E.C.",
                    ".a.b",
                    "x S.E.C.R.E.T. y",
                    "\u{0441} \u{0441} \u{0441}",
                    "\u{0441}.\u{0441}.\u{0441}",
                    "a. .b c d",
                    "Ab.c.d",
                    " a b c",
                    "a b c ",
                    "a\u{a0}b c d",
                ]
                .map(String::from),
            )
        {
            let joined = has_letters_to_join(&text);
            assert_eq!(joined, has_letters_to_join_plainly(&text), "{text:?}");
            found += usize::from(joined);
        }
        // Both answers are met often.
        assert!(found > 1_000, "{found}");
    }

    #[test]
    fn guarded_words_by_length_are_those_of_the_list() {
        for length in 0..=60 {
            let listed: Vec<&str> = GUARDED_WORDS
                .iter()
                .filter(|w| w.len() == length)
                .copied()
                .collect();
            assert_eq!(guarded_words_of_length(length), listed, "{length}");
        }
    }

    #[test]
    fn single_letters_and_word_parts_read_as_first_written() {
        let single_plainly = |t: &str| {
            let mut chars = t.trim_end_matches('.').chars();
            matches!((chars.next(), chars.next()), (Some(c), None) if c.is_alphanumeric())
        };
        let mut texts = crate::samples::Texts::new(29);
        let mut singles = 0;
        for text in (0..20_000).map(|_| texts.text(6)).chain(mixed_texts()) {
            for t in text
                .split(|c: char| !is_word_part(c) && c != '.')
                .chain(text.split(' '))
                .chain([text.as_str()])
            {
                assert_eq!(single_letter(t), single_plainly(t), "{t:?}");
                singles += usize::from(single_letter(t));
            }
            for c in text.chars() {
                assert_eq!(
                    is_word_part_or_stop(c),
                    is_word_part(c) || c == '.',
                    "{c:?}"
                );
            }
        }
        assert!(singles > 1_000, "{singles}");
        for t in [
            "",
            ".",
            "..",
            "a",
            "a.",
            "a..",
            ".a",
            "ab",
            "a.b",
            "\u{0441}",
            "\u{0441}.",
            "1",
            "$",
        ] {
            assert_eq!(single_letter(t), single_plainly(t), "{t:?}");
        }
        for c in (0..128u8).map(char::from) {
            assert_eq!(
                is_word_part_or_stop(c),
                is_word_part(c) || c == '.',
                "{c:?}"
            );
        }
    }

    #[test]
    fn footnote_markers_are_taken_out_for_reading_markings() {
        for (raw, read) in [
            ("OFFICIAL1-SENSITIVE", "OFFICIAL-SENSITIVE"),
            ("OFFICIAL[1]-SENSITIVE", "OFFICIAL-SENSITIVE"),
            ("OFFICIAL[^12]-SENSITIVE", "OFFICIAL-SENSITIVE"),
            ("OFFICIAL^1^-SENSITIVE", "OFFICIAL-SENSITIVE"),
            ("OFFICIAL<sup>1</sup>-SENSITIVE", "OFFICIAL-SENSITIVE"),
            ("OFFICIAL&#185;-SENSITIVE", "OFFICIAL-SENSITIVE"),
            ("SE\u{B9}CRET", "SECRET"),
            ("OFFICIAL (1) SENSITIVE", "OFFICIAL  SENSITIVE"),
            ("OFFICIAL-~~x~~SENSITIVE", "OFFICIAL-SENSITIVE"),
            ("OFFICIAL-<del>x</del>SENSITIVE", "OFFICIAL-SENSITIVE"),
            ("in 2024, 12 stations", "in 2024,  stations"),
        ] {
            assert_eq!(super::without_markers(raw), read, "{raw}");
        }
    }

    #[test]
    fn the_ascii_prefix_is_counted_wherever_it_ends() {
        for n in 0..20 {
            let text = format!("{}£{}", "x".repeat(n), "y".repeat(n % 5));
            assert_eq!(super::ascii_prefix(text.as_bytes()), n);
            assert_eq!(super::ascii_prefix("x".repeat(n).as_bytes()), n);
        }
    }

    #[test]
    fn runs_are_what_splitting_on_the_others_gives() {
        let part = |c: char| c.is_alphanumeric() || c == '.';
        for text in [
            "",
            " ",
            "a",
            "S E C R E T.",
            " ..0FF1C1AL-  £12.5k, Łukasz–Zoë! ",
            "x\u{200B}y ¹ Ⅻ",
        ] {
            let split: Vec<&str> = text
                .split(|c: char| !part(c))
                .filter(|t| !t.is_empty())
                .collect();
            let runs: Vec<&str> = super::runs_of(text, part).collect();
            assert_eq!(runs, split, "{text}");
        }
    }

    use super::*;

    /// The table of first and second characters turns away only tokens that stand for no
    /// guarded word: every run of word characters of varied text (marking words plain, in
    /// disguise, in other scripts) reads as it does without the table.
    #[test]
    fn the_first_characters_table_turns_away_only_what_stands_for_nothing() {
        let plainly = |t: &str| {
            if (4..=48).contains(&t.len()) {
                stood_for_plainly(t)
            } else {
                None
            }
        };
        let mut texts = crate::samples::Texts::new(43);
        let mut found = 0;
        for _ in 0..20_000 {
            let text = texts.text(10);
            let folded = fold(&text);
            for t in runs_of(&folded, is_word_part).chain(folded.split(' ')) {
                assert_eq!(stood_for(t), plainly(t), "{t:?}");
                found += usize::from(plainly(t).is_some());
            }
        }
        for t in [
            "0FFICIAL",
            "$ECRET",
            "5ECRET",
            "3XEMPT",
            "P@RT",
            "p4rt",
            "pArt",
            "OFF\u{0406}CIAL",
            "\u{0166}OP",
            "\u{00F8}fficial",
            "o\u{0444}ficial",
            "Offlcial",
            "|||||||",
            "c0nf1dent1al",
            "r3stricted",
            "secrets",
            "s\u{00E9}cret",
            "SECRET",
            "pr0tected",
            "ex3mpt",
            "part",
        ] {
            assert_eq!(stood_for(t), plainly(t), "{t:?}");
        }
        assert!(found > 500, "the texts hold disguises: {found}");
    }

    /// A text [`may_hold_markers`] clears is its own marker-free reading: what lets the
    /// classifier pass over `without_markers` for it. Texts with markers of every kind, and
    /// characters outside ASCII, are read too: the answer is then true.
    #[test]
    fn a_text_with_no_marker_byte_is_its_own_marker_free_reading() {
        let mut texts = crate::samples::Texts::new(41);
        let mut cleared = 0;
        for _ in 0..20_000 {
            let text = texts.text(10);
            let plainly = text
                .bytes()
                .any(|b| b.is_ascii_digit() || !b.is_ascii() || b"^[(<~&".contains(&b));
            assert_eq!(may_hold_markers(&text), plainly, "{text:?}");
            if !plainly {
                assert_eq!(without_markers(&text), text, "{text:?}");
                cleared += 1;
            }
        }
        for text in [
            "OFFICIAL\u{00B9}-SENSITIVE",
            "SE[1]CRET",
            "SECRET^1^",
            "O&#x46;FICIAL",
            "~~x~~",
            "a(1)",
            "é",
        ] {
            assert!(may_hold_markers(text), "{text:?}");
        }
        assert!(
            cleared > 1_000,
            "the texts hold some with no marker: {cleared}"
        );
    }

    #[test]
    fn dashes_spaces_and_invisibles_fold() {
        assert_eq!(fold("OFFICIAL\u{2013}SENSITIVE"), "OFFICIAL-SENSITIVE");
        assert_eq!(
            fold("OFFI\u{200B}CIAL\u{00AD}-SENSITIVE"),
            "OFFICIAL-SENSITIVE"
        );
        assert_eq!(fold("  Part\u{00A0}2 \u{2014}\n  This  "), "Part 2 - This");
        assert_eq!(fold("\u{FF2F}FFICIAL"), "OFFICIAL");
        // pandoc's Markdown: an en dash written `--`, an em dash `---`.
        assert_eq!(fold("Part 1 -- This"), "Part 1 - This");
        assert_eq!(fold("OFFICIAL---PUBLIC"), "OFFICIAL-PUBLIC");
        assert_eq!(fold("a -\u{2013}- b"), "a - b");
        for hidden in ['\u{E0100}', '\u{1D173}', '\u{E0080}', '\u{FFF0}'] {
            assert_eq!(fold(&format!("OFFI{hidden}CIAL")), "OFFICIAL", "{hidden:?}");
        }
    }

    #[test]
    fn accents_combining_marks_and_small_capitals_fold() {
        for text in [
            "OFFICIAL-SENS\u{0130}TIVE",
            "O\u{0332}FFICIAL-SENSITIVE",
            "\u{1D0F}\u{A730}\u{A730}\u{026A}\u{1D04}\u{026A}\u{1D00}\u{029F}-\u{A731}\u{1D07}\u{0274}\u{A731}\u{026A}\u{1D1B}\u{026A}\u{1D20}\u{1D07}",
            "OFFICIAL-SENSITIV&Eacute;",
            "OFFICIAL-SENS&iuml;TIVE",
        ] {
            assert_eq!(fold(text).to_uppercase(), "OFFICIAL-SENSITIVE", "{text}");
        }
    }

    #[test]
    fn look_alikes_and_entities_fold() {
        assert_eq!(
            fold("OFF\u{0406}CIAL-\u{0405}ENSITIVE"),
            "OFFICIAL-SENSITIVE"
        );
        assert_eq!(
            fold("\u{041E}FFICIAL&#8209;SENSITIVE"),
            "OFFICIAL-SENSITIVE"
        );
        assert_eq!(
            fold("OFFICIAL&ndash;SENSITIVE &amp; more"),
            "OFFICIAL-SENSITIVE & more"
        );
        assert_eq!(fold("Part&nbsp;2"), "Part 2");
    }

    #[test]
    fn references_decode_as_a_browser_reads_them() {
        for (text, read) in [
            ("OFFICIAL&dash;SENSITIVE", "OFFICIAL\u{2010}SENSITIVE"),
            ("OFFICIAL&NoBreak;-SENSITIVE", "OFFICIAL\u{2060}-SENSITIVE"),
            ("OFFICIAL-SEN&shySITIVE", "OFFICIAL-SEN\u{AD}SITIVE"),
            ("OFFICIAL-SEN&#83ITIVE", "OFFICIAL-SENSITIVE"),
            ("&#x4F;FFICIAL&#x2d;", "OFFICIAL-"),
            ("AT&amp;amp;T", "AT&amp;T"),
            ("&notit; &amp &#; &#x; & x", "\u{AC}it; & &#; &#x; & x"),
            ("&NotEqualTilde;", "\u{2242}\u{338}"),
            ("&#0;&#x110000;&#150;", "\u{FFFD}\u{FFFD}\u{2013}"),
        ] {
            assert_eq!(decode_entities(text), read, "{text}");
        }
        assert_eq!(fold("OFFICIAL&dash;SEN&shySITIVE"), "OFFICIAL-SENSITIVE");
    }

    #[test]
    fn superscripts_become_digits_of_their_own() {
        use unicode_normalization::{IsNormalized, is_nfkc_quick};
        // Why nfkc() need not look for them in text already in NFKC.
        for c in ('\u{0}'..='\u{FFFF}').filter(|&c| is_script_digit(c)) {
            assert_eq!(is_nfkc_quick([c].into_iter()), IsNormalized::No, "{c}");
        }
        // Why footnote markers are matched on unfolded text.
        assert_eq!(fold("2022-25\u{00B9}"), "2022-25 1");
        assert_eq!(fold("Part 2\u{00B9} \u{2013} x"), "Part 2 1 - x");
        assert_eq!(fold("CO\u{2082} and m\u{00B2}"), "CO 2 and m 2");
    }

    #[test]
    fn a_reading_joins_what_dress_splits() {
        assert_eq!(reading("RESTRIC-\nTED"), "RESTRICTED");
        assert_eq!(reading("CONFI-\n> DENTIAL annex"), "CONFIDENTIAL annex");
        assert_eq!(reading("**Confi**dential"), "Confidential");
        assert_eq!(reading("P A R T  2"), "PART2");
        assert_eq!(reading("S.E.C.R.E.T. papers"), "SECRET papers");
        assert_eq!(
            reading("Commercial-in-confidence"),
            "Commercial in confidence"
        );
        assert_eq!(reading("Part \u{0662} and \u{0967}"), "Part 2 and 1");
        // Ordinary text keeps its words.
        assert_eq!(
            reading("a well-known plan, option a or b"),
            "a well known plan, option a or b"
        );
        assert_eq!(reading("2022-\n25"), "2022 25");
        assert_eq!(
            reading("Part \u{2777} and Part \u{1372}"),
            "Part 2 and Part #"
        );
        assert_eq!(reading("Part\u{2800}2"), "Part 2");
        // Lisu capitals that look like P, A, R, T.
        assert_eq!(
            reading("\u{A4D1}\u{A4EE}\u{A4E3}\u{A4D4} 2").to_lowercase(),
            "part 2"
        );
        assert_eq!(fold("RESTR\u{FFF9}ICTED"), "RESTRICTED");
    }

    #[test]
    fn digits_of_every_script_read_as_ascii() {
        assert_eq!(ascii_digit('\u{0660}'), Some('0'));
        assert_eq!(ascii_digit('\u{0669}'), Some('9'));
        assert_eq!(ascii_digit('\u{09EC}'), Some('6'));
        assert_eq!(ascii_digit('\u{FF17}'), Some('7'));
        assert_eq!(ascii_digit('x'), None);
        assert_eq!(ascii_digit('\u{00B2}'), None);
    }

    #[test]
    fn disguised_guarded_words_are_found() {
        for (text, word) in [
            ("OFFICIAL-SENSlTIVE", "sensitive"),
            ("OFFICIAL-SENS1TIVE", "sensitive"),
            ("0FFICIAL-5EN5ITIVE", "official"),
            ("\u{0166}OP SECRE\u{0166}", "secret"),
            ("$ECRET", "secret"),
            ("R E S T R I C T E D", "restricted"),
            ("P A R T 2", "part"),
            ("C-O-N-F-I-D-E-N-T-I-A-L", "confidential"),
            ("Pr0tect", "protect"),
        ] {
            assert_eq!(disguised(text), Some(word), "{text}");
        }
        for text in [
            "OFFICIAL-SENSITIVE",
            "official secrets, a sensitive matter, part 2 of the plan",
            "1,200 m\u{00B2} of custody space in 2026/27",
            "Łukasz Nowak and Zoë Brontë",
            "options a, b and c; plan A B",
            "I am a",
            "PCD 1519 and DMPCD 2024/117",
            "Report author: Hafsa Limbani",
        ] {
            assert_eq!(disguised(text), None, "{text}");
        }
    }
}

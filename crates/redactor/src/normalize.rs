//! Text normalisation for recognising banners and markings.
//!
//! Wording is matched on folded text, so that a banner or marking written with another dash,
//! a non-breaking space, a zero-width character, a soft hyphen or a compatibility form
//! (fullwidth letters, ligatures) is recognised all the same. Folding is for matching only:
//! published text is never rewritten.

use std::borrow::Cow;

use unicode_normalization::UnicodeNormalization;

/// Characters that render as nothing and can hide inside a word.
pub fn is_invisible(c: char) -> bool {
    // None is ASCII: the first test spares nearly every character the others.
    !c.is_ascii()
        && matches!(
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
        other => other,
    }
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
    let mut utf8 = [0; 4];
    for c in text.chars() {
        // ASCII (nearly all text) is neither a look-alike, nor invisible, nor a dash.
        let c = if c.is_ascii() { c } else { skeleton(c) };
        if is_invisible(c) {
            continue;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(b' ');
            pending_space = false;
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
            out.extend_from_slice(c.encode_utf8(&mut utf8).as_bytes());
        }
    }
    String::from_utf8(out).expect("folding pushes whole characters")
}

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
    if decoded.is_ascii()
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

/// Superscript and subscript digits.
fn is_script_digit(c: char) -> bool {
    matches!(c, '\u{00B2}' | '\u{00B3}' | '\u{00B9}' | '\u{2070}' | '\u{2074}'..='\u{2079}' | '\u{2080}'..='\u{2089}')
}

/// The characters of `text` that are not ASCII, found a byte at a time.
fn non_ascii(text: &str) -> impl Iterator<Item = char> + '_ {
    let mut rest = text;
    std::iter::from_fn(move || {
        let i = rest.bytes().position(|b| !b.is_ascii())?;
        let c = rest[i..].chars().next()?;
        rest = &rest[i + c.len_utf8()..];
        Some(c)
    })
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
    use super::*;

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
}

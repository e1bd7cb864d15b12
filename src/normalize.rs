//! Text normalisation for recognising banners and markings.
//!
//! Wording is matched on folded text, so that a banner or marking written with another dash,
//! a non-breaking space, a zero-width character, a soft hyphen or a compatibility form
//! (fullwidth letters, ligatures) is recognised all the same. Folding is for matching only:
//! published text is never rewritten.

use unicode_normalization::UnicodeNormalization;

/// Characters that render as nothing and can hide inside a word.
fn is_invisible(c: char) -> bool {
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
            | '\u{E0000}'..='\u{E007F}'
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

/// Folds text for matching: NFKC, invisible characters removed, every dash as "-", every run
/// of white space (line breaks included) as one space, trimmed. Case is kept: patterns are
/// matched case-insensitively unless they say otherwise.
pub fn fold(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut pending_space = false;
    for c in text.nfkc() {
        if is_invisible(c) {
            continue;
        }
        if c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(if is_dash(c) { '-' } else { c });
    }
    out
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
    }

    #[test]
    fn superscripts_become_digits() {
        // Why footnote markers are matched on unfolded text.
        assert_eq!(fold("2022-25\u{00B9}"), "2022-251");
    }
}

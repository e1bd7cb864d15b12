//! Which word of a Part 2 banner was not understood.
//!
//! A block that opens like a Part 2 banner but matches none of `banners.yaml`'s wordings is
//! refused. A team fixes it faster when the refusal says where the wording parts from the
//! configured one. The banner's words are tried against the configured patterns with one
//! word changed: taken out, or replaced or preceded by a word of the configured wordings'
//! own vocabulary. When one change makes it a banner, the message gives the word's place and
//! what the configuration has there. The report's own word is named only when it is a word
//! of that vocabulary: any other word is the report's own and may be Part 2's text, and a
//! refusal's message is written to the release's manifest.

use std::collections::BTreeSet;

use crate::config::Classifications;

/// The vocabulary of the configured Part 2 banners: the words their patterns spell out.
fn vocabulary(config: &Classifications) -> BTreeSet<String> {
    config
        .banners
        .restricted_whole
        .iter()
        .flat_map(|b| {
            b.regex
                .as_str()
                .split(|c: char| !c.is_ascii_alphabetic())
                .filter(|w| w.len() >= 2)
                .map(str::to_lowercase)
                .collect::<Vec<_>>()
        })
        .collect()
}

/// What to say about `folded` (a block's text, folded), which opens like a Part 2 banner
/// and is none: the one change of a word that would make it a configured banner, or `None`.
pub fn hint(folded: &str, config: &Classifications) -> Option<String> {
    let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    // A banner is a sentence: a long block is no misspelt banner.
    if words.len() > 60 {
        return None;
    }
    let vocabulary = vocabulary(config);
    let banner = |candidate: &[&str]| {
        let text = candidate.join(" ");
        config
            .banners
            .restricted_whole
            .iter()
            .any(|b| b.regex.is_match(&text))
    };
    let named = |w: &str| {
        let bare = w
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_lowercase();
        if vocabulary.contains(&bare) {
            format!(" (it reads \"{bare}\")")
        } else {
            String::new()
        }
    };
    // A word's place as a reader counts: dashes and other marks are no words.
    let place = |i: usize| {
        words[..=i.min(words.len() - 1)]
            .iter()
            .filter(|w| w.chars().any(char::is_alphanumeric))
            .count()
            .max(1)
    };
    for i in 0..words.len() {
        let mut without = words.clone();
        without.remove(i);
        if banner(&without) {
            if !words[i].chars().any(char::is_alphanumeric) {
                // A mark (a bullet, a symbol) is no word of the report's: it is named.
                let next = words[..i]
                    .iter()
                    .filter(|w| w.chars().any(char::is_alphanumeric))
                    .count()
                    + 1;
                return Some(format!(
                    "the mark \"{}\" before word {next} of the banner is not in banners.yaml's wording",
                    words[i]
                ));
            }
            return Some(format!(
                "word {} of the banner is one banners.yaml's wording does not have{}",
                place(i),
                named(words[i])
            ));
        }
        for v in &vocabulary {
            let mut replaced = words.clone();
            replaced[i] = v;
            if banner(&replaced) {
                return Some(format!(
                    "at word {} of the banner banners.yaml's wording has \"{v}\"{}",
                    place(i),
                    named(words[i])
                ));
            }
            let mut inserted = words.clone();
            inserted.insert(i, v);
            if banner(&inserted) {
                return Some(format!(
                    "before word {} of the banner banners.yaml's wording has \"{v}\"",
                    place(i)
                ));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::hint;
    use crate::config::Classifications;
    use crate::normalize::fold;

    fn said(text: &str) -> Option<String> {
        hint(&fold(text), &Classifications::defaults().unwrap())
    }

    #[test]
    fn the_word_not_understood_is_placed_and_named_from_the_vocabulary_only() {
        let said_of = said(
            "Part 2 – This section refers to the details of the Part 2 contract case which is \
             NOT SUITABLE for MOPAC Publication.",
        )
        .unwrap();
        assert!(said_of.contains("word 13"), "{said_of}");
        assert!(said_of.contains("\"business\""), "{said_of}");
        // The report's own word is not named: it may be Part 2's.
        let said_of = said(
            "Part 2 – This section refers to the details of the Part 2 Harrowgate case which \
             is NOT SUITABLE for MOPAC Publication.",
        )
        .unwrap();
        assert!(!said_of.to_lowercase().contains("harrowgate"), "{said_of}");
        // A word of the vocabulary out of place is named.
        let said_of = said(
            "Part 2 – This section refers to the details of the Part 2 business case which is \
             NOT SUITABLE for MOPAC MOPAC Publication.",
        )
        .unwrap();
        assert!(said_of.contains("\"mopac\""), "{said_of}");
        assert_eq!(
            said("Part 2 – something else entirely, at length and unlike"),
            None
        );
    }
}

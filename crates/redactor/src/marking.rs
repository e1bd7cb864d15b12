//! Security markings: recognised in any of their written forms and canonicalised.
//!
//! A marking is a classification tier, then handling instructions, then descriptors:
//! "OFFICIAL-SENSITIVE [COMMERCIAL]" (the 2014 form) or "OFFICIAL-SENSITIVE RECIPIENTS ONLY
//! COMMERCIAL" (the 2024 form). Everything after the tier must be a known handling
//! instruction or descriptor: an unknown word is an error, never ignored, because the
//! descriptors decide which exemption the notice cites.
//!
//! The vocabulary, and how words are matched against it, is `markings.yaml`'s
//! ([`crate::config::Markings::read`]); this module decides what a reading means in a
//! report.

use std::fmt;

use crate::config::Classifications;

/// A recognised marking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Marking {
    pub tier: String,
    pub sensitive: bool,
    pub handling: Vec<String>,
    pub descriptors: Vec<String>,
}

impl Marking {
    /// The canonical form: tier, handling instructions, descriptors, as the 2024 policy
    /// orders them.
    pub fn canonical(&self) -> String {
        std::iter::once(self.tier.as_str())
            .chain(self.handling.iter().map(String::as_str))
            .chain(self.descriptors.iter().map(String::as_str))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// Why a marking could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MarkingError {
    /// Words after the tier that are neither handling instruction nor descriptor.
    UnknownDescriptor,
}

impl fmt::Display for MarkingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MarkingError::UnknownDescriptor => {
                f.write_str("a descriptor that markings.yaml does not list")
            }
        }
    }
}

/// Reads `folded` (text already passed through [`crate::normalize::fold`]) as a marking.
///
/// `None` when the text does not start with a classification tier, or has more after it than
/// a marking can; `Some(Err)` when it does read as a marking but names an unknown descriptor.
pub fn parse(folded: &str, config: &Classifications) -> Option<Result<Marking, MarkingError>> {
    let reading = config.markings.read(folded)?;
    if reading.unknown {
        // A lower-case word after the tier is running text, not a marking.
        if reading.after_tier.chars().any(|c| c.is_lowercase()) && !reading.tier.sensitive {
            return None;
        }
        return Some(Err(MarkingError::UnknownDescriptor));
    }
    Some(Ok(Marking {
        tier: reading.tier.id.clone(),
        sensitive: reading.tier.sensitive,
        handling: reading.handling,
        descriptors: reading.descriptors,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::fold;

    fn read(text: &str) -> Option<Result<Marking, MarkingError>> {
        let config = Classifications::defaults().unwrap();
        parse(&fold(text), &config)
    }

    fn canonical(text: &str) -> String {
        read(text)
            .expect("a marking")
            .expect("known descriptors")
            .canonical()
    }

    #[test]
    fn legacy_and_current_forms_agree() {
        assert_eq!(
            canonical("OFFICIAL-SENSITIVE [COMMERCIAL]"),
            "OFFICIAL-SENSITIVE COMMERCIAL"
        );
        assert_eq!(
            canonical("OFFICIAL-SENSITIVE COMMERCIAL"),
            "OFFICIAL-SENSITIVE COMMERCIAL"
        );
        assert_eq!(
            canonical("Official \u{2013} Sensitive [Commercial]"),
            "OFFICIAL-SENSITIVE COMMERCIAL"
        );
        assert_eq!(
            canonical("OFFICIAL\u{2014}SENSITIVE PERSONAL DATA"),
            "OFFICIAL-SENSITIVE PERSONAL DATA"
        );
    }

    #[test]
    fn longest_descriptor_wins() {
        assert_eq!(
            canonical("OFFICIAL-SENSITIVE PERSONAL DATA")
                .split(' ')
                .count(),
            3
        );
        assert_eq!(
            canonical("OFFICIAL-SENSITIVE LEGAL PROFESSIONAL PRIVILEGE (LPP)"),
            "OFFICIAL-SENSITIVE LEGAL PROFESSIONAL PRIVILEGE"
        );
        assert_eq!(
            canonical("OFFICIAL-SENSITIVE HR / MANAGEMENT"),
            "OFFICIAL-SENSITIVE HR / MANAGEMENT"
        );
    }

    #[test]
    fn handling_instructions_and_several_descriptors() {
        let m = read("OFFICIAL-SENSITIVE RECIPIENTS ONLY COMMERCIAL, PERSONAL DATA")
            .unwrap()
            .unwrap();
        assert_eq!(m.handling, ["RECIPIENTS ONLY"]);
        assert_eq!(m.descriptors, ["COMMERCIAL", "PERSONAL DATA"]);
        let m = read("OFFICIAL-SENSITIVE MOPAC USE ONLY [PERSONAL]")
            .unwrap()
            .unwrap();
        assert_eq!(m.handling, ["ORGANISATION USE ONLY"]);
    }

    #[test]
    fn round_brackets_and_slashes_part_descriptors() {
        for text in [
            "OFFICIAL-SENSITIVE (COMMERCIAL)",
            "OFFICIAL-SENSITIVE / COMMERCIAL",
            "OFFICIAL-SENSITIVE/COMMERCIAL",
        ] {
            assert_eq!(canonical(text), "OFFICIAL-SENSITIVE COMMERCIAL", "{text}");
        }
        assert_eq!(
            canonical("OFFICIAL-SENSITIVE (HR / MANAGEMENT)"),
            "OFFICIAL-SENSITIVE HR / MANAGEMENT"
        );
    }

    #[test]
    fn older_markings_are_read() {
        let m = read("Protective marking: RESTRICTED \u{2013} COMMERCIAL")
            .unwrap()
            .unwrap();
        assert_eq!((m.tier.as_str(), m.sensitive), ("RESTRICTED", true));
        assert_eq!(m.descriptors, ["COMMERCIAL"]);
        assert!(read("PROTECT - PERSONAL").unwrap().unwrap().sensitive);
        assert!(!read("NOT PROTECTIVELY MARKED").unwrap().unwrap().sensitive);
        assert_eq!(read("Restricted access to the site"), None);
    }

    #[test]
    fn unknown_descriptor_is_an_error() {
        assert_eq!(
            read("OFFICIAL-SENSITIVE [SUPPLIER CONFIDENTIAL]"),
            Some(Err(MarkingError::UnknownDescriptor))
        );
    }

    #[test]
    fn running_text_is_not_a_marking() {
        assert_eq!(read("Official figures published in 2023 show a rise"), None);
        assert_eq!(read("Part 1 - This section"), None);
        let m = read("OFFICIAL \u{2013} PUBLIC").unwrap().unwrap();
        assert!(!m.sensitive);
    }
}

/// The word of a marking that was not understood, when it is a word of the classification
/// vocabulary itself standing where a handling instruction or descriptor should be
/// ("OFFICIAL: SENSITIVE COMMERCIAL" reads as the tier OFFICIAL, then SENSITIVE), with the
/// tier it was read after. A word that is not the vocabulary's is the report's own and is
/// never named: it may be Part 2's text.
pub fn misplaced_classification_word(
    folded: &str,
    config: &Classifications,
) -> Option<(String, String)> {
    let reading = config.markings.read(folded)?;
    if !reading.unknown {
        return None;
    }
    let vocabulary: Vec<String> = config
        .markings
        .tiers
        .iter()
        .flat_map(|t| t.id.split([' ', '-']))
        .map(str::to_uppercase)
        .collect();
    // The first word after the tier only: "[SUPPLIER CONFIDENTIAL]" is an unknown
    // descriptor that holds a tier's word, not a tier out of place.
    let word = reading
        .after_tier
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())?
        .to_uppercase();
    if !vocabulary.contains(&word) {
        return None;
    }
    Some((word, reading.tier.id.clone()))
}

/// The message for a marking with a word the vocabulary does not read: `otherwise`, or,
/// when the word is a classification word out of place, one that names it, or, when it is a
/// letter or two from a descriptor or handling instruction the vocabulary lists (a typing
/// slip: "COMMERCAIL"), one that names the vocabulary's word and the place of the report's
/// (never the report's word itself: it may be Part 2's text).
pub fn unknown_word_message(folded: &str, config: &Classifications, otherwise: &str) -> String {
    match misplaced_classification_word(folded, config) {
        Some((word, tier)) => format!(
            "a marking reads as {tier} followed by {word}, a word of a classification where \
             markings.yaml expects a handling instruction or descriptor: write the \
             classification as one of markings.yaml's tiers (e.g. OFFICIAL-SENSITIVE)"
        ),
        None => match nearest_term(folded, config) {
            Some((place, term)) => format!(
                "{otherwise}: word {place} after the classification is not one it lists, and is \
                 a letter or two from {term}"
            ),
            None => otherwise.to_string(),
        },
    }
}

/// The first word after the tier that is no word of the vocabulary's descriptors and
/// handling instructions but is within two letters of one: its place (1 for the first word
/// after the tier) and the vocabulary's term.
fn nearest_term(folded: &str, config: &Classifications) -> Option<(usize, String)> {
    let reading = config.markings.read(folded)?;
    let terms = config
        .markings
        .descriptors
        .iter()
        .chain(&config.markings.handling);
    let vocabulary: Vec<(String, &str)> = terms
        .flat_map(|t| {
            std::iter::once(t.id.as_str())
                .chain(t.spellings.iter().map(String::as_str))
                .flat_map(|s| s.split(|c: char| !c.is_alphanumeric()))
                .filter(|w| w.len() >= 4)
                .map(move |w| (w.to_uppercase(), t.id.as_str()))
        })
        .collect();
    let words = reading
        .after_tier
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty());
    for (k, word) in words.enumerate() {
        let word = word.to_uppercase();
        if word.len() < 4 || vocabulary.iter().any(|(v, _)| *v == word) {
            continue;
        }
        if let Some((_, id)) = vocabulary
            .iter()
            .find(|(v, _)| edit_distance(v, &word) <= 2)
        {
            return Some((k + 1, id.to_string()));
        }
    }
    None
}

/// The number of letters inserted, deleted or replaced to make `a` into `b`.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut last = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let here = row[j + 1];
            row[j + 1] = (last + usize::from(ca != cb)).min(row[j] + 1).min(here + 1);
            last = here;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod misplaced {
    use super::misplaced_classification_word;
    use crate::config::Classifications;
    use crate::normalize::fold;

    fn named(text: &str) -> Option<(String, String)> {
        let config = Classifications::defaults().unwrap();
        misplaced_classification_word(&fold(text), &config)
    }

    #[test]
    fn a_descriptor_a_letter_or_two_out_is_named_by_the_vocabularys_word() {
        let config = Classifications::defaults().unwrap();
        let said = |t: &str| super::unknown_word_message(&fold(t), &config, "unknown");
        let message = said("OFFICIAL-SENSITIVE [COMMERCAIL]");
        assert!(message.contains("COMMERCIAL"), "{message}");
        assert!(!message.contains("COMMERCAIL"), "{message}");
        assert_eq!(said("OFFICIAL-SENSITIVE [HARROWGATE]"), "unknown");
    }

    #[test]
    fn a_classification_word_where_a_descriptor_stands_is_named() {
        assert_eq!(
            named("OFFICIAL: SENSITIVE COMMERCIAL"),
            Some(("SENSITIVE".into(), "OFFICIAL".into()))
        );
        // The report's own words are never named.
        assert_eq!(named("OFFICIAL-SENSITIVE HARROWGATE"), None);
        assert_eq!(named("OFFICIAL-SENSITIVE [SUPPLIER CONFIDENTIAL]"), None);
        assert_eq!(named("OFFICIAL-SENSITIVE [COMMERCIAL]"), None);
    }
}

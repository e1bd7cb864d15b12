//! Whether a report says anywhere that it has a public part.
//!
//! A report whose first marking is sensitive is withheld as a whole, with exit 0: a
//! deliberate outcome. That is right only when the report says so. A report that carries
//! Part 1 banner wording anywhere (recognised or not: a converter may have changed its
//! dashes, wrapped it or put a page header above it) means to publish a part, so a
//! sensitive marking above it is a fault to show a person, not a reason to withhold quietly.

use std::sync::LazyLock;

use regex::Regex;

/// Wording only a public-part banner uses, on a folded line: "Part 1" (one, I) opening the
/// line, or the words of the banners that name the public part.
static WORDING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)^[^a-z0-9]*part ?-? ?(1|one|i)\b|non-confidential facts and advice|will be published by mopac",
    )
    .expect("a valid pattern")
});

/// True when one of the folded `lines` carries Part 1 banner wording.
pub fn present<'a>(mut lines: impl Iterator<Item = &'a String>) -> bool {
    lines.any(|l| WORDING.is_match(l))
}

#[cfg(test)]
mod tests {
    use super::present;

    fn says(line: &str) -> bool {
        present([line.to_string()].iter())
    }

    #[test]
    fn part1_wording_is_told_from_other_text() {
        assert!(says(
            "Part 1 - This section of the report will be published by MOPAC."
        ));
        assert!(says(
            "**PART I - NON-CONFIDENTIAL FACTS AND ADVICE TO THE DMPC**"
        ));
        assert!(says("Part One: the public report"));
        assert!(!says("OFFICIAL-SENSITIVE [COMMERCIAL]"));
        assert!(!says("Part 2 - This section refers to the details"));
        assert!(!says("Partial results in part 10 of the annex"));
    }
}

//! What an audit must find withheld in a source, read the verifier's own way.
//!
//! An audit trusts nothing a release says of itself: not the manifest's withheld lines, not
//! its digests. From the source alone the verifier finds where the withheld part starts,
//! conservatively and by its own recognition: after the first paragraph that holds a
//! sensitive marking (its [`Detector`], on its own folding), or, when no paragraph does,
//! after the first paragraph that reads like a Part 2 banner (it starts "Part 2", "Part II"
//! or "Part Two", or speaks of confidential facts and advice, of exempt information, of a
//! report not (suitable) for publication). Everything after it is withheld text.
//!
//! Its fingerprints are then looked for in any output, attributes included: runs of six
//! words, the distinctive tokens (amounts, long numbers, codes and acronyms, e-mail addresses,
//! URLs, capitalised names, a capitalised word inside a sentence) and, in an output that
//! holds a report's own prose, every word of the withheld part that the public part never
//! uses. Tokens are also looked for written as one word ("612900", "lindqvistdigital") and
//! in outputs read with letters and digits apart ("Lindqvist612900"), so an `id` or an image
//! address cannot carry them. A fingerprint the public part (or the wording the caller
//! names public, such as the notice's) also carries is no sign of a leak.

use std::collections::HashSet;
use std::sync::OnceLock;

use regex::Regex;

use crate::Policy;
use crate::fingerprint::{Tokens, U64Set, Words, distinctive};
use crate::html::{self, decoded};
use crate::marking::Detector;
use crate::text::{flatten, lower, marking_text, words};

/// The withheld part of a source, as the verifier reads it, with its fingerprints.
pub struct Withheld {
    /// 1-based first line of the withheld text.
    pub first_line: usize,
    secret: U64Set,
    /// Distinctive tokens, flattened, one per entry.
    tokens: Vec<String>,
    /// The tokens that name one thing wherever they stand (amounts, long numbers, e-mail
    /// addresses, URLs, names of two words or more, long codes), looked for in the files
    /// every report shares.
    strong: Vec<String>,
    /// Words of the withheld part that the public part never uses.
    words: HashSet<String>,
}

/// The withheld part of `source` (without its byte-order mark), if the verifier finds one;
/// `public` is wording known to be published besides the source's public part. An error
/// names a policy pattern that does not compile.
pub fn withheld(
    source: &str,
    policy: &Policy,
    public: &[&str],
) -> Result<Option<Withheld>, String> {
    let detector = Detector::of(policy)?;
    let lines = line_markings(policy)?;
    let paragraphs = paragraphs(source);
    // Text from a PDF: the running header of the page a Part 2 banner opens (one line that
    // opens with the page's form feed, the banner the next paragraph) marks that page, not
    // the text above it; the marking under the banner is the first that counts.
    let page_header = |k: usize| {
        let text = &source[paragraphs[k].range.clone()];
        let lines: Vec<&str> = text.trim_end().lines().collect();
        let Some((header, footer)) = lines.split_last() else {
            return false;
        };
        // The previous page's footer may share the paragraph: page numbers and the public
        // marking only.
        // A running header is a marking, a few words at most, after the form feed.
        header.trim_start_matches([' ', '\t']).starts_with('\u{c}')
            && header.split_whitespace().count() <= 8
            && footer.iter().all(|l| page_footer(l))
            && paragraphs
                .get(k + 1)
                .is_some_and(|next| banner_like(&source[next.range.clone()]))
    };
    let marked = paragraphs.iter().enumerate().find_map(|(k, p)| {
        let text = &source[p.range.clone()];
        if page_header(k) {
            return None;
        }
        let flat = marking_text(&decoded(text));
        let marked = !detector.count(&flat).is_empty()
            || !detector
                .count(&marking_text(&html::read(text).untagged))
                .is_empty()
            || lines.iter().any(|re| re.is_match(&flat));
        marked.then_some(p)
    });
    let Some(end) = marked.or_else(|| {
        paragraphs
            .iter()
            .find(|p| banner_like(&source[p.range.clone()]))
    }) else {
        return Ok(None);
    };
    let (public_part, withheld) = source.split_at(end.range.end);
    // The public part as written and as a page shows it, block by block (link addresses
    // and list numbers gone), so that words a page brings together across them are public.
    let blocks = crate::markdown::blocks(public_part).texts;
    let public_flat: Vec<String> = std::iter::once(public_part)
        .chain(public.iter().copied())
        .chain(blocks.iter().map(String::as_str))
        .flat_map(readings)
        .collect();
    let public_words: Vec<Words<'_>> = public_flat.iter().map(|f| Words::new(f)).collect();
    let public_shingles: U64Set = public_words.iter().flat_map(Words::shingles).collect();
    let withheld_flat = flatten(&decoded(withheld));
    let secret = Words::new(&withheld_flat)
        .shingles()
        .filter(|h| !public_shingles.contains(h))
        .collect();
    let secret_only = |raw: Vec<String>| -> Vec<String> {
        let mut flats: Vec<String> = raw
            .iter()
            .flat_map(|t| {
                let flat = flatten(&decoded(t));
                let joined = flat.replace(' ', "");
                [flat, joined]
            })
            .filter(|t| t.len() > 2)
            .collect();
        flats.sort();
        flats.dedup();
        let mut all = Tokens::new(flats.iter().map(|t| Words::new(t)).collect());
        all.remove_found_in(&public_words);
        let kept = all.kept();
        kept.into_iter()
            .map(|i| flats[i].clone())
            .collect::<Vec<String>>()
    };
    let singles = single_tokens(withheld);
    let long_codes = singles
        .iter()
        .filter(|w| w.chars().count() >= 5 && !is_word_capitalised(w))
        .cloned();
    let strong = secret_only(
        distinctive(withheld)
            .into_iter()
            .chain(long_codes)
            .collect(),
    );
    let tokens = secret_only(distinctive(withheld).into_iter().chain(singles).collect());
    let public_vocabulary: HashSet<&str> = public_flat.iter().flat_map(|f| words(f)).collect();
    let words = words(&withheld_flat)
        .into_iter()
        .filter(|w| !public_vocabulary.contains(w))
        .map(str::to_string)
        .collect();
    Ok(Some(Withheld {
        first_line: source[..end.range.end].lines().count() + 1,
        secret,
        tokens,
        strong,
        words,
    }))
}

/// A word with a capital at its start only ("Custody"), which is not a code.
fn is_word_capitalised(w: &str) -> bool {
    let mut chars = w.chars();
    chars.next().is_some_and(char::is_uppercase)
        && chars.all(|c| c.is_lowercase() || matches!(c, '-' | '\'' | '’'))
}

/// Where an output stands, and so which fingerprints count in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// The report's own Markdown: its every token, and every word Part 1 never uses.
    Prose,
    /// The report's own page: its every token.
    Own,
    /// A file every report shares (the index, the stylesheet, …): runs of words, and the
    /// tokens that name one thing wherever they stand.
    Shared,
    /// One string of the manifest: the tokens that name one thing wherever they stand (a
    /// reason's wording quotes the tool's own examples, which a report may also hold).
    Label,
}

impl Withheld {
    /// True when `text` (an output as written: Markdown, HTML, or a string of a JSON file)
    /// holds a fingerprint of the withheld part that counts where it stands.
    pub fn leaks_into(&self, text: &str, reach: Reach) -> bool {
        self.leaks(&Output::read(&[text]), reach)
    }

    /// True when the output, read once for every withheld part it is searched for, holds a
    /// fingerprint of this one that counts where it stands.
    pub fn leaks(&self, output: &Output, reach: Reach) -> bool {
        let seqs: Vec<Words<'_>> = output.flats.iter().map(|f| Words::new(f)).collect();
        let tokens = if matches!(reach, Reach::Shared | Reach::Label) {
            &self.strong
        } else {
            &self.tokens
        };
        let tokens = Tokens::new(tokens.iter().map(|t| Words::new(t)).collect());
        (reach != Reach::Label && output.runs.iter().any(|h| self.secret.contains(h)))
            || tokens.any_in(&seqs)
            || (reach == Reach::Prose
                && output
                    .flats
                    .iter()
                    .flat_map(|f| words(f))
                    .any(|w| self.words.contains(w)))
    }
}

/// An output read for the search: its texts flattened for tokens, and for runs of words.
pub struct Output {
    flats: Vec<String>,
    /// The hashes of its runs of words.
    runs: U64Set,
}

impl Output {
    /// Reads `texts`, each on its own (the strings of a JSON file, or one file's text).
    /// Runs of words are read within a block or an attribute value: a page brings words
    /// together across blocks that no text of the report joins. Tokens are read in the whole
    /// page, attribute values and comments as text, then with tags as nothing.
    pub fn read(texts: &[&str]) -> Output {
        let mut flats = Vec::new();
        let mut run_flats = Vec::new();
        for text in texts {
            let raw = decoded(text);
            if raw.contains('<') {
                let page = html::read(&raw);
                let values = page
                    .elements
                    .iter()
                    .flat_map(|e| e.attrs.iter().map(|(_, v)| v));
                for run in page.blocks.iter().chain(values) {
                    run_flats.extend(readings(run));
                }
                flats.extend(readings(&page.whole));
                flats.extend(readings(&page.untagged));
            } else {
                let both = readings(&raw);
                run_flats.extend(both.iter().cloned());
                flats.extend(both);
            }
        }
        let runs = run_flats
            .iter()
            .flat_map(|f| Words::new(f).shingles().collect::<Vec<_>>())
            .collect();
        Output { flats, runs }
    }
}

/// A text flattened, then again with letters and digits apart and a capital after a small
/// letter starting a word ("Lindqvist612900CANARY" reads "lindqvist 612900 canary").
fn readings(text: &str) -> [String; 2] {
    let cased = marking_text(text);
    let mut apart = String::with_capacity(cased.len() + 8);
    let mut prev: Option<char> = None;
    for c in cased.chars() {
        if let Some(p) = prev {
            let boundary = (p.is_alphabetic() && c.is_numeric())
                || (p.is_numeric() && c.is_alphabetic())
                || (p.is_lowercase() && c.is_uppercase());
            if boundary {
                apart.push(' ');
            }
        }
        apart.push(c);
        prev = Some(c);
    }
    [lower(&cased), lower(&apart)]
}

/// Single words a withheld part can be recognised by: any with a digit and a letter, any
/// with two capitals (a code, an acronym, "CANARYxyz"), any capitalised inside a sentence (a
/// name). A number alone counts as the amounts and long numbers of [`distinctive`] do: a
/// short one is joined to a footnote's number when a page's tags are read as nothing.
fn single_tokens(text: &str) -> Vec<String> {
    static WORD: OnceLock<Regex> = OnceLock::new();
    let re = WORD.get_or_init(|| {
        Regex::new(r"[\p{L}\p{N}]+(?:[-'’][\p{L}\p{N}]+)*").expect("the word pattern compiles")
    });
    let mut found = Vec::new();
    let mut sentence_start = true;
    let mut at = 0;
    for m in re.find_iter(text) {
        let between = &text[at..m.start()];
        if between.contains(['.', '!', '?', ':', '\n', '#', '|', '*']) {
            sentence_start = true;
        }
        let w = m.as_str();
        let capitals = w.chars().filter(|c| c.is_uppercase()).count();
        let capitalised = w.chars().next().is_some_and(char::is_uppercase);
        let code = w.chars().any(char::is_numeric) && w.chars().any(char::is_alphabetic);
        if code || capitals >= 2 || (capitalised && !sentence_start) {
            found.push(w.to_string());
        }
        sentence_start = false;
        at = m.end();
    }
    found
}

/// A paragraph of a source: its byte range, blank lines apart.
struct Paragraph {
    range: std::ops::Range<usize>,
}

fn paragraphs(source: &str) -> Vec<Paragraph> {
    let mut found = Vec::new();
    let mut start = None;
    let mut at = 0;
    for line in source.split_inclusive('\n') {
        let blank = line.trim().is_empty();
        match (blank, start) {
            (false, None) => start = Some(at),
            (true, Some(s)) => {
                found.push(Paragraph { range: s..at });
                start = None;
            }
            _ => {}
        }
        at += line.len();
    }
    if let Some(s) = start {
        found.push(Paragraph {
            range: s..source.len(),
        });
    }
    found
}

/// The policy's markings that count only as a paragraph of their own, each compiled to match
/// a whole folded paragraph that opens with it ("RESTRICTED COMMERCIAL", "Protective marking
/// RESTRICTED"), case-insensitive.
pub(crate) fn line_markings(policy: &Policy) -> Result<Vec<regex::Regex>, String> {
    policy
        .line_patterns
        .iter()
        .map(|p| {
            regex::RegexBuilder::new(&format!(
                r"^(?:protective marking )?(?:{p})(?: [A-Za-z]+){{0,4}}$"
            ))
            .case_insensitive(true)
            .build()
            .map_err(|_| format!("a marking pattern does not compile: {p}"))
        })
        .collect()
}

/// A line of a page's footer in text from a PDF: a page number ("4", "Page 4 of 9",
/// "- 4 -") or the public part's marking ("OFFICIAL – PUBLIC").
fn page_footer(line: &str) -> bool {
    static FOOTER: OnceLock<Regex> = OnceLock::new();
    let re = FOOTER.get_or_init(|| {
        Regex::new(r"^(page \d{1,4}( of \d{1,4})?|\d{1,4}( of \d{1,4})?|\d{1,4}|official public)$")
            .expect("the footer pattern compiles")
    });
    // `pdftotext -layout` sets a footer's parts apart with runs of spaces.
    line.split("  ")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .all(|p| re.is_match(&flatten(p)))
}

/// A paragraph that reads like a Part 2 banner, on the verifier's own folding.
pub(crate) fn banner_like(text: &str) -> bool {
    static BANNER: OnceLock<Regex> = OnceLock::new();
    let re = BANNER.get_or_init(|| {
        Regex::new(
            r"(?x)
              ^(?:\d+\ )?part\ (?:2|ii|two)(?:\ |$)
            | confidential\ facts
            | exempt\ information
            | not\ (?:suitable\ )?for\ (?:\w+\ )?publication
            ",
        )
        .expect("the banner pattern compiles")
    });
    // "Non-confidential facts and advice" is Part 1's heading.
    let flat = flatten(&html::read(&decoded(text)).untagged).replace("non confidential", "non");
    re.is_match(&flat)
}

#[cfg(test)]
mod tests {
    use super::*;

    const REPORT: &str = "# Kiosks\n\nThe Deputy Mayor is asked to approve £1.9m.\n\n\
        Part 2 – This section is NOT SUITABLE for MOPAC Publication.\n\n\
        The Government Security Classification marking for Part 2 is:\n\n\
        OFFICIAL-SENSITIVE [COMMERCIAL]\n\n\
        Three bids were received. CANARYxyz Lindqvist Digital offered £612,900 a year.\n";

    fn part2(source: &str) -> Withheld {
        withheld(source, &Policy::default(), &[]).unwrap().unwrap()
    }

    /// Text from a PDF: the running header of the page the banner opens is that page's; the
    /// withheld part starts after the marking under the banner. Anywhere else a sensitive
    /// header starts it.
    #[test]
    fn the_running_header_of_the_banners_page_is_no_start() {
        let header = "Intro.\n\n2\n\u{c}OFFICIAL-SENSITIVE [COMMERCIAL]\n\n\
             Part 2 – This section is NOT SUITABLE for MOPAC Publication.\n\n\
             The Government Security Classification marking for Part 2 is:\n\n\
             OFFICIAL-SENSITIVE [COMMERCIAL]\n\nSecret text.\n";
        assert_eq!(part2(header).first_line, 11);
        let on_part1 = "Intro.\n\n2\n\u{c}OFFICIAL-SENSITIVE [COMMERCIAL]\n\nMore of Part 1.\n\n\
             Part 2 – This section is NOT SUITABLE for MOPAC Publication.\n";
        assert_eq!(part2(on_part1).first_line, 5);
    }

    #[test]
    fn the_withheld_part_starts_after_the_marking() {
        let w = part2(REPORT);
        assert_eq!(w.first_line, 10);
        let public = &REPORT[..REPORT.find("Three").unwrap()];
        assert!(!w.leaks_into(public, Reach::Prose));
    }

    /// Every token of the withheld part is found, in text or in an attribute, however it is
    /// written.
    #[test]
    fn a_token_is_found_wherever_it_stands() {
        let w = part2(REPORT);
        for leak in [
            "<p>Three bids were received. CANARYxyz</p>",
            "<p id=\"CANARYxyz-lindqvist-612900\">Plain</p>",
            "<img src=\"https://x.example/Lindqvist612900.png\" alt=\"\">",
            "an offer of 612,900",
            "{\"note\": \"Lindqvist Digital\"}",
        ] {
            assert!(w.leaks_into(leak, Reach::Own), "{leak}");
        }
        for leak in [
            "CANARYxyz",
            "Lindqvist Digital",
            "£612,900",
            "canaryxyz612900",
        ] {
            assert!(w.leaks_into(leak, Reach::Shared), "{leak}");
        }
        assert!(!w.leaks_into("Lindqvist", Reach::Shared));
        assert!(w.leaks_into("Three bids were received.", Reach::Prose));
        assert!(!w.leaks_into("Three bids were received.", Reach::Own));
    }

    /// Without a marking, a banner ends the public part; without either there is no withheld
    /// part.
    #[test]
    fn a_banner_alone_or_nothing() {
        let w = part2(
            "# R\n\nPublic.\n\nPART II CONFIDENTIAL FACTS AND ADVICE TO THE DMPC\n\nSecret bid of £5,000.\n",
        );
        assert_eq!(w.first_line, 6);
        assert!(
            withheld(
                "# R\n\nPart 1 only. Part 2 is not\nused.\n",
                &Policy::default(),
                &[]
            )
            .unwrap()
            .is_none()
        );
    }
}

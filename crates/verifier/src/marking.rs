//! The verifier's own detector of sensitive markings.
//!
//! Built in: OFFICIAL-SENSITIVE in any case, with any dashes, spaces or other separators
//! between its letters, its abbreviation O-S (or OS before a descriptor), and in capitals
//! its abbreviations OFFSENS and OFFICIAL SENS, TOP SECRET and SECRET ("the secret of good
//! policing" is running text).
//! The caller adds the patterns of its configuration's sensitive tiers as plain data
//! ([`crate::Policy`]); the verifier compiles them itself, case-insensitively as the
//! configuration writes them. The union is checked: each pattern's markings are counted on
//! their own, so a text may hold no more markings of any pattern than the Part 2 marking
//! does. A marking counts wherever no ASCII letter touches it: "SECRETARY" holds none, while
//! a footnote digit beside one ("OFFICIAL-SENSITIVE¹") does not hide it.

use std::sync::{Arc, Mutex, OnceLock};

use regex::{Regex, RegexBuilder};
use regex_syntax::hir::{Class, Hir, HirKind};

use crate::Policy;

/// The built-in patterns, matched on flattened text (see [`crate::text::marking_text`]),
/// where every run of dashes and spaces is one space or, with tags read as nothing, none.
/// OFFICIAL-SENSITIVE is found with a separator between any two of its letters
/// ("SEN SITIVE", "SEN\SITIVE") and abbreviated "O-S" (two capitals apart, as the marking
/// is abbreviated; "OS" written as one word is not it).
const BUILT_IN: [&str; 5] = [
    // Its informal abbreviations OFFSENS and OFFICIAL SENS after it: tried second where
    // both start, so the marking written out is one match, and "official sense" is touched
    // by a letter.
    "(?i:o ?f ?f ?i ?c ?i ?a ?l ?s ?e ?n ?s ?i ?t ?i ?v ?e)",
    // A space may stand between any two letters, as in OFFICIAL-SENSITIVE: a footnote
    // marker read as nothing inside the word leaves one ("SE¹CRET").
    "T ?O ?P ?S ?E ?C ?R ?E ?T",
    "S ?E ?C ?R ?E ?T",
    // "O-S", and "OS" before a descriptor in capitals ("OS [COMMERCIAL]").
    "O S|OS (?:COMMERCIAL|PERSONAL|LOCSEN|LEGAL|LPP|MARKET|HR|SENSITIVE)",
    // OFFICIAL-SENSITIVE's informal abbreviations OFFSENS and OFFICIAL SENS, in capitals
    // as they are written ("official sense" is running text; in any case they are the
    // configuration's to add).
    "O ?F ?F ?(?:I ?C ?I ?A ?L ?)?S ?E ?N ?S",
];

/// The compiled patterns: the built-in ones, then the policy's.
#[derive(Debug)]
pub struct Detector {
    patterns: Vec<Regex>,
    /// The longest match of any pattern, in bytes; `None` when a pattern has no bound.
    longest: Option<usize>,
    /// The words of the policy's patterns that are not built-in marking words, whose
    /// disguises are found as the built-in words' are ([`crate::disguise::found_in`]).
    words: Vec<Word>,
}

/// A word of a tier the policy adds, read from its pattern: a run of at least four letters
/// the pattern matches one after another. Its disguises are found in any case, as the
/// built-in words' are, so which of its letters the pattern matches only in capitals does
/// not matter here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Word {
    /// The word's letters, in capitals.
    pub letters: Vec<u8>,
}

/// How many markings a text holds, pattern by pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Markings(Vec<usize>);

impl Detector {
    /// The detector of `policy`, compiled once per set of patterns; an error names a
    /// pattern that does not compile.
    pub fn of(policy: &Policy) -> Result<Arc<Detector>, String> {
        type Compiled = Vec<(Vec<String>, Result<Arc<Detector>, String>)>;
        static COMPILED: OnceLock<Mutex<Compiled>> = OnceLock::new();
        let mut compiled = COMPILED
            .get_or_init(Mutex::default)
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((_, d)) = compiled
            .iter()
            .find(|(p, _)| *p == policy.sensitive_patterns)
        {
            return d.clone();
        }
        let d = Self::compile(&policy.sensitive_patterns).map(Arc::new);
        compiled.push((policy.sensitive_patterns.clone(), d.clone()));
        d
    }

    fn compile(extra: &[String]) -> Result<Detector, String> {
        let mut patterns: Vec<Regex> = BUILT_IN
            .iter()
            .map(|p| Regex::new(p).expect("the built-in marking patterns compile"))
            .collect();
        let mut longest = BUILT_IN
            .iter()
            .try_fold(0, |n, p| Some(n.max(max_len(p, false)?)));
        let mut words: Vec<Word> = Vec::new();
        for p in extra {
            let re = RegexBuilder::new(p)
                .case_insensitive(true)
                .build()
                .map_err(|e| format!("the sensitive pattern '{p}' does not compile: {e}"))?;
            patterns.push(re);
            longest = longest.zip(max_len(p, true)).map(|(a, b)| a.max(b));
            for w in words_of(p) {
                if !crate::disguise::built_in(&w.letters) && !words.contains(&w) {
                    words.push(w);
                }
            }
        }
        Ok(Detector {
            patterns,
            longest,
            words,
        })
    }

    /// True when flattened `text` holds a word of a tier the policy adds written in
    /// disguise, read as the built-in marking words are read ([`crate::disguise`]), or such a
    /// word in mixed case ("CLASSIFiED"). Always false when the policy adds no word, so that
    /// the built-in words' reading alone decides then.
    pub fn disguised(&self, text: &str) -> bool {
        !self.words.is_empty() && crate::disguise::found_in(text, &self.words)
    }

    /// The longest match of any pattern, in bytes; `None` when a pattern's matches have no
    /// bound. A text read in parts is searched with this much of each part repeated in the
    /// next, so that no marking is cut in two (see [`Detector::any_starting`]).
    pub fn longest(&self) -> Option<usize> {
        self.longest
    }

    /// True when flattened `text` holds a marking that starts at or after byte `from` and
    /// before byte `before`, as [`Detector::count`] counts them: the text before `from` and
    /// after `before` is only context.
    pub fn any_starting(&self, text: &str, from: usize, before: usize) -> bool {
        self.patterns
            .iter()
            .any(|re| scan(re, text, from, before) > 0)
    }

    /// The markings of flattened `text`, pattern by pattern.
    pub fn count(&self, text: &str) -> Markings {
        Markings(self.patterns.iter().map(|re| count(re, text)).collect())
    }

    /// The markings of flattened `text` read as written and with its footnote markers read
    /// as nothing ([`crate::text::without_markers`]: "OFFICIAL¹-SENSITIVE", "OFFICIAL[1]
    /// SENSITIVE", "SE¹CRET"), the larger count of each pattern. The policy's patterns are
    /// also counted with the words a marker stood between joined
    /// ([`crate::text::markers_joined`]: "CLASSI¹FIED" reads "CLASSIFIED"): they are written
    /// for a marking's words whole, where the built-in ones allow a space between any two
    /// letters.
    pub fn count_read(&self, text: &str) -> Markings {
        let written = self.count(text);
        // A text with no marker to take out reads the same without them: its other counts
        // would be the first.
        let std::borrow::Cow::Owned(bare) = crate::text::markers_out(text) else {
            return written;
        };
        let mut counts = written.max(&self.count(&bare));
        if self.patterns.len() > BUILT_IN.len() {
            let joined = crate::text::markers_joined(text);
            for (n, re) in counts.0.iter_mut().zip(&self.patterns).skip(BUILT_IN.len()) {
                *n = (*n).max(count(re, &joined));
            }
        }
        counts
    }
}

/// The words of `pattern`, as the detector compiles it (case-insensitively): every maximal
/// run of at least four letters it matches one after another, each branch of an alternation
/// on its own. A letter is a literal one or a class of one letter in either case; anything
/// else (a space, an optional or repeated part, a wider class) ends a run. A pattern that
/// does not parse has no words: the detector refuses it before any text is read.
fn words_of(pattern: &str) -> Vec<Word> {
    let Ok(hir) = regex_syntax::ParserBuilder::new()
        .case_insensitive(true)
        .build()
        .parse(pattern)
    else {
        return Vec::new();
    };
    let mut words = Vec::new();
    let mut run = Vec::new();
    letters_of(&hir, &mut run, &mut words);
    end_run(&mut run, &mut words);
    words
}

/// Reads the letters of `hir` onto `run`, each ended run of four letters or more a word.
fn letters_of(hir: &Hir, run: &mut Vec<u8>, words: &mut Vec<Word>) {
    match hir.kind() {
        HirKind::Literal(literal) => {
            for &b in literal.0.iter() {
                if b.is_ascii_alphabetic() {
                    run.push(b.to_ascii_uppercase());
                } else {
                    end_run(run, words);
                }
            }
        }
        HirKind::Class(class) => match class_letter(class) {
            Some(letter) => run.push(letter),
            None => end_run(run, words),
        },
        HirKind::Capture(capture) => letters_of(&capture.sub, run, words),
        HirKind::Concat(parts) => {
            for part in parts {
                letters_of(part, run, words);
            }
        }
        HirKind::Alternation(branches) => {
            end_run(run, words);
            for branch in branches {
                letters_of(branch, run, words);
                end_run(run, words);
            }
        }
        HirKind::Repetition(repetition) => {
            end_run(run, words);
            letters_of(&repetition.sub, run, words);
            end_run(run, words);
        }
        HirKind::Empty | HirKind::Look(_) => end_run(run, words),
    }
}

/// The letter a class matches, in capitals: a class of one ASCII letter, or of its two cases
/// (with the few characters outside ASCII that fold to it, as the Kelvin sign does to K);
/// `None` for any other class.
fn class_letter(class: &Class) -> Option<u8> {
    let chars: Vec<u32> = match class {
        Class::Unicode(c) => c
            .ranges()
            .iter()
            .flat_map(|r| u32::from(r.start())..=u32::from(r.end()))
            .take(5)
            .collect(),
        Class::Bytes(c) => c
            .ranges()
            .iter()
            .flat_map(|r| u32::from(r.start())..=u32::from(r.end()))
            .take(5)
            .collect(),
    };
    if chars.len() > 4 {
        return None;
    }
    let ascii: Vec<u8> = chars
        .iter()
        .filter_map(|&c| u8::try_from(c).ok().filter(u8::is_ascii))
        .collect();
    match ascii[..] {
        [a] if a.is_ascii_alphabetic() => Some(a.to_ascii_uppercase()),
        [a, b] if a.is_ascii_uppercase() && b == a.to_ascii_lowercase() => Some(a),
        _ => None,
    }
}

/// Ends the run of letters read: a word when it has four letters or more.
fn end_run(run: &mut Vec<u8>, words: &mut Vec<Word>) {
    if run.len() >= 4 {
        words.push(Word {
            letters: std::mem::take(run),
        });
    }
    run.clear();
}

/// The longest match of `pattern`, in bytes, as the detector compiles it.
fn max_len(pattern: &str, case_insensitive: bool) -> Option<usize> {
    regex_syntax::ParserBuilder::new()
        .case_insensitive(case_insensitive)
        .build()
        .parse(pattern)
        .ok()?
        .properties()
        .maximum_len()
}

/// The matches of `re` in `text` that no ASCII letter touches.
fn count(re: &Regex, text: &str) -> usize {
    scan(re, text, 0, usize::MAX)
}

/// The matches of `re` in `text` that no ASCII letter touches, of those that start at or
/// after `from` and before `before`.
fn scan(re: &Regex, text: &str, from: usize, before: usize) -> usize {
    let letter = |c: Option<char>| c.is_some_and(|c| c.is_ascii_alphabetic());
    let mut n = 0;
    let mut at = from;
    while let Some(m) = re.find_at(text, at).filter(|m| m.start() < before) {
        let touched =
            letter(text[..m.start()].chars().next_back()) || letter(text[m.end()..].chars().next());
        if m.is_empty() || touched {
            // Not a marking here; one may still start inside it ("STOP SECRET").
            at = m.start() + text[m.start()..].chars().next().map_or(1, char::len_utf8);
        } else {
            n += 1;
            at = m.end();
        }
        if at > text.len() {
            break;
        }
    }
    n
}

impl Markings {
    /// The larger count of each pattern.
    pub fn max(mut self, other: &Markings) -> Self {
        for (mine, theirs) in self.0.iter_mut().zip(&other.0) {
            *mine = (*mine).max(*theirs);
        }
        self
    }

    /// True when no pattern has more markings than `allowed` has of it: a marking of another
    /// tier beside the allowed one, or one more of the same, is too many.
    pub fn within(&self, allowed: &Markings) -> bool {
        self.0.iter().zip(&allowed.0).all(|(n, a)| n <= a)
    }

    /// True when the text holds no marking at all.
    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|&n| n == 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str) -> Vec<usize> {
        Detector::of(&Policy::default()).unwrap().count(text).0
    }

    #[test]
    fn the_built_in_markings_are_found_where_no_letter_touches_them() {
        assert_eq!(found("OFFICIAL SENSITIVE"), [1, 0, 0, 0, 0]);
        assert_eq!(
            found("official sensitive1 and OFFICIALSENSITIVE"),
            [2, 0, 0, 0, 0]
        );
        assert_eq!(found("TOP SECRET"), [0, 1, 1, 0, 0]);
        assert_eq!(found("Graded SECRET2 here"), [0, 0, 1, 0, 0]);
        assert_eq!(found("STOP SECRET"), [0, 0, 1, 0, 0]);
        assert_eq!(
            found("the SECRETARY and the secret of unofficial sensitive"),
            [0, 0, 0, 0, 0]
        );
        // The informal abbreviations in capitals; the marking written out is not one, nor
        // are the words running on into longer ones.
        assert_eq!(found("the OFFSENS annex and OFF SENS"), [0, 0, 0, 0, 2]);
        assert_eq!(found("OFFICIAL SENS costs"), [0, 0, 0, 0, 1]);
        assert_eq!(
            found("OFFICIAL SENSITIVE, the official sense, OFFICIAL SENSITIVITY"),
            [1, 0, 0, 0, 0]
        );
    }

    /// The disguises of the marking an adversarial review found: look-alike letters, marks,
    /// small capitals, character references, a separator inside the word, the abbreviation.
    #[test]
    fn disguised_markings_are_found() {
        let marking = |raw: &str| {
            let text = crate::text::marking_text(&crate::html::decoded(raw));
            !Detector::of(&Policy::default())
                .unwrap()
                .count(&text)
                .is_empty()
        };
        for raw in [
            "OFFICIAL-SENS\u{130}TIVE",
            "O\u{332}FFICIAL-SENSITIVE",
            "\u{1D0F}\u{A730}\u{A730}\u{26A}\u{1D04}\u{26A}\u{1D00}\u{29F}-\u{A731}\u{1D07}\u{274}\u{A731}\u{26A}\u{1D1B}\u{26A}\u{1D20}\u{1D07}",
            "OFFICIAL-SENSITIV&Eacute; [COMMERCIAL]",
            "OFFICIAL-SENS&iuml;TIVE",
            "OFFICIAL - SEN SITIVE",
            "OFFICIAL-SEN\\SITIVE",
            "O-S [COMMERCIAL]",
            "OS [COMMERCIAL]",
            "OS (PERSONAL)",
        ] {
            assert!(marking(raw), "{raw}");
        }
        // Footnote markers inside or beside a marking's words, as converters write them.
        let read = |raw: &str| {
            let text = crate::text::marking_text(&crate::html::decoded(raw));
            !Detector::of(&Policy::default())
                .unwrap()
                .count_read(&text)
                .is_empty()
        };
        for raw in [
            "OFFICIAL1-SENSITIVE [COMMERCIAL]",
            "OFFICIAL[1]-SENSITIVE",
            "OFFICIAL^1^-SENSITIVE",
            "OFFICIAL\u{B9}-SENSITIVE",
            "OFFICIAL&#185;-SENSITIVE",
            "OFFICIAL (1) SENSITIVE",
            "OFFICIAL-SENSI\u{B9}TIVE",
            "SE\u{B9}CRET [COMMERCIAL]",
            "TOP\u{B9} SECRET",
        ] {
            assert!(read(raw), "{raw}");
            assert!(!marking(raw) || read(raw));
        }
        // On a page, a superscript is a block of its own, or read as nothing inside a word.
        let page = crate::html::read("<p>OFFICIAL<sup>1</sup>-SENSITIVE</p>");
        assert!(read(&page.blocks.join(" ")));
        assert!(read(&page.untagged));
        for raw in [
            "the official 2024 sensitivity review",
            "section 43 of the Act",
        ] {
            assert!(!read(raw), "{raw}");
        }
        for raw in [
            "The OS map of the borough",
            "official sensitivity analysis",
            "the unofficial sensitive issue",
            "Mr O'Sullivan",
        ] {
            assert!(!marking(raw), "{raw}");
        }
    }

    /// The words of a pattern are its runs of four letters or more, in capitals, whether
    /// the pattern matches them in any case or only in capitals, each branch's own.
    #[test]
    fn the_words_of_a_pattern_are_its_runs_of_letters() {
        let words = |p: &str| -> Vec<String> {
            words_of(p)
                .into_iter()
                .map(|w| String::from_utf8(w.letters).unwrap())
                .collect()
        };
        assert_eq!(words("(?-i:CLASSIFIED)"), ["CLASSIFIED"]);
        assert_eq!(
            words("limited ?-? ?circulation"),
            ["LIMITED", "CIRCULATION"]
        );
        assert_eq!(
            words("restricted ?-? ?commercial|(?:eyes) only|top (?-i:PARK)ing"),
            ["RESTRICTED", "COMMERCIAL", "EYES", "ONLY", "PARKING"]
        );
        // Short runs, optional or repeated letters and wider classes are no words.
        assert!(words("(?-i:O ?- ?S)|top ?- ?secr?et|[a-z]+|o[ \\\\]?f[ \\\\]?f").is_empty());
        assert!(words("(").is_empty());
        // The built-in words are left to the built-in reading.
        let d = Detector::of(&Policy {
            sensitive_patterns: vec![
                "(?-i:SECRET)|top secret".into(),
                "restricted ?-? ?commercial".into(),
                "(?-i:COMMERCIAL)".into(),
            ],
            line_patterns: Vec::new(),
        })
        .unwrap();
        assert_eq!(
            d.words,
            [Word {
                letters: b"COMMERCIAL".to_vec()
            }]
        );
        // The shipped configuration's tiers add no word: its reading is the built-in one.
        let shipped = Detector::of(&Policy {
            sensitive_patterns: vec![
                r"o[ \\]?f[ \\]?f[ \\]?i[ \\]?c[ \\]?i[ \\]?a[ \\]?l ?-? ?s[ \\]?e[ \\]?n[ \\]?s[ \\]?i[ \\]?t[ \\]?i[ \\]?v[ \\]?e|(?-i:O ?- ?S)|(?-i:\bOS ?\[)|\bo[ \\]?f[ \\]?f(?:[ \\]?i[ \\]?c[ \\]?i[ \\]?a[ \\]?l)? ?-? ?s[ \\]?e[ \\]?n[ \\]?s\b|(?-i:\bO ?F ?F ?I ?C\.? ?-? ?S ?E ?N ?S(?: ?I ?T ?I ?V ?E)?|\bO ?- ?S ?E ?N ?S\b|\bS ?E ?N ?S ?I ?T ?I ?V ?E ?-? ?O ?F ?F ?I ?C ?I ?A ?L\b)".into(),
                "top ?- ?secret|top secret".into(),
                "(?-i:SECRET)".into(),
            ],
            line_patterns: Vec::new(),
        })
        .unwrap();
        assert!(shipped.words.is_empty());
    }

    #[test]
    fn the_policy_adds_its_own_patterns() {
        let policy = Policy {
            sensitive_patterns: vec!["protect ?- ?personal|restricted".into()],
            line_patterns: Vec::new(),
        };
        let d = Detector::of(&policy).unwrap();
        assert_eq!(
            d.count("Protective marking RESTRICTED").0,
            [0, 0, 0, 0, 0, 1]
        );
        let bad = Policy {
            sensitive_patterns: vec!["(".into()],
            line_patterns: Vec::new(),
        };
        assert!(Detector::of(&bad).is_err());
    }
}

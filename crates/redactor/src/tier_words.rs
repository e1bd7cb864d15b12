//! The words of the sensitive tiers a configuration adds, found in disguise.
//!
//! [`normalize::disguised`] knows the words of the built-in markings from a list compiled in.
//! A tier that `markings.yaml` adds ("CLASSIFIED", "LIMITED CIRCULATION") is matched by its
//! pattern only as written, so the same disguises of its words would be published. Its words
//! are read from its pattern once, when the configuration is validated, and guarded the same
//! way: letters written with digits, symbols or look-alikes ("CLASS1FIED", "CIASSIFIED"),
//! spelt out or separated ("C L A S S I F I E D", "C.L.A.S.S.I.F.I.E.D."), split by a space,
//! a symbol, an entity, emphasis or a line break ("CLASS IFIED", "CLASS†IFIED",
//! "CLASS&nbsp;IFIED"), and written in mixed case ("CLASSIFiED"). The default configuration
//! adds no word: its readings are left as they are.
//!
//! [`normalize::disguised`]: crate::normalize::disguised

use regex_syntax::hir::{Class, Hir, HirKind};

use crate::config::Tier;
use crate::normalize::{GUARDED_WORDS, fold, is_word_part, look_alike_of, runs_of, unwrap_hyphens};

/// The words of the sensitive tiers a configuration adds, each with its tier: built once per
/// configuration, when `markings.yaml` is validated.
#[derive(Debug, Clone, Default)]
pub struct TierWords {
    words: Vec<Word>,
    /// The ids of the tiers the words are of, by index.
    tiers: Vec<String>,
    /// The most letters a word has: no longer run of text can stand for one.
    longest: usize,
}

/// A word of a tier's pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Word {
    /// Its letters in lower case (ASCII).
    lower: Vec<char>,
    /// Each letter as the pattern holds it: `Some` (the letter as written) when the pattern
    /// matches it in that case only, `None` when in either case.
    cased: Vec<Option<char>>,
    /// The index of its tier in [`TierWords::tiers`].
    tier: usize,
}

/// A piece of a pattern as words are read from it: a letter (as written, and whether only in
/// that case), or anything else, which ends a word.
#[derive(Debug, Clone, Copy)]
enum Atom {
    Letter(char, bool),
    Break,
}

/// The most ways of reading a part of a pattern that are followed at once: past it, each
/// way's words are read on their own.
const MOST_WAYS: usize = 32;

impl TierWords {
    /// The words of the sensitive tiers among `tiers`: every run of four or more letters its
    /// pattern holds as literal letters (each branch of an alternation read on its own),
    /// less the words [`GUARDED_WORDS`] already guards. A pattern that cannot be read gives
    /// no word: its tier is then matched as written, as before.
    pub fn of_tiers(tiers: &[Tier]) -> Self {
        let mut out = TierWords::default();
        for tier in tiers.iter().filter(|t| t.sensitive) {
            let index = out.tiers.len();
            let mut added = false;
            for (lower, cased) in words_of_pattern(&tier.pattern) {
                let word = Word {
                    lower,
                    cased,
                    tier: index,
                };
                if !out
                    .words
                    .iter()
                    .any(|w| w.lower == word.lower && w.cased == word.cased)
                {
                    out.longest = out.longest.max(word.lower.len());
                    out.words.push(word);
                    added = true;
                }
            }
            if added {
                out.tiers.push(tier.id.clone());
            }
        }
        out
    }

    /// True when the configuration adds no word: then nothing is read.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The id of the tier one of whose words `text` writes in disguise, the first met; `None`
    /// when it writes none so, or the configuration adds no word.
    ///
    /// The text is read with its hyphen-wrapped words joined and folded (character
    /// references decoded, look-alikes of other scripts read as Latin letters, every run of
    /// white space one space), its emphasis markers kept as what separates letters. Its
    /// words are the runs of word characters between the others; a word, or several in a
    /// row read as one, stands for a tier's word when it is as long, and each character is
    /// the letter there, a stand-in for it (a digit, a symbol, `l` or `1` for `I`) or a
    /// letter of another script nothing reads; and then:
    ///
    /// - several words read as one (letters spaced out or separated, a word split by a
    ///   space, a symbol or a line break) stand for it whatever their case;
    /// - one word that holds stand-ins stands for it when at least a third of its letters,
    ///   and two, are the word's own;
    /// - one word of the word's own letters stands for it only in mixed case (neither all
    ///   capitals, all lower case nor capitalised) and not as the pattern writes it: written
    ///   plainly, it is the marking rules' to read.
    pub fn disguised(&self, text: &str) -> Option<&str> {
        if self.words.is_empty() {
            return None;
        }
        let read = fold(&unwrap_hyphens(text));
        let tokens: Vec<&str> = runs_of(&read, is_word_part).collect();
        let mut joined: Vec<char> = Vec::with_capacity(self.longest + 8);
        for start in 0..tokens.len() {
            joined.clear();
            for (n, token) in tokens[start..].iter().enumerate() {
                joined.extend(token.chars());
                if joined.len() > self.longest {
                    break;
                }
                if let Some(w) = self.words.iter().find(|w| w.stood_for(&joined, n > 0)) {
                    return Some(&self.tiers[w.tier]);
                }
            }
        }
        None
    }
}

impl Word {
    /// True when `chars` (one word of text, or several read as one: `split`) stands for this
    /// word: see [`TierWords::disguised`].
    fn stood_for(&self, chars: &[char], split: bool) -> bool {
        if chars.len() != self.lower.len() {
            return false;
        }
        let mut own = 0;
        for (&c, &w) in chars.iter().zip(&self.lower) {
            let lower = c.to_lowercase().next().unwrap_or(c);
            if lower == w {
                own += 1;
            } else if !(look_alike_of(lower) == Some(look_alike_of(w).unwrap_or(w))
                || (!c.is_ascii() && c.is_alphabetic()))
            {
                return false;
            }
        }
        if own < chars.len() {
            own * 3 >= chars.len() && own >= 2
        } else {
            split || (mixed_case(chars) && !self.as_written(chars))
        }
    }

    /// True when the pattern holds some of this word's letters in one case and `chars` writes
    /// each of them so: the tier's pattern reads it as it stands.
    fn as_written(&self, chars: &[char]) -> bool {
        self.cased.iter().any(Option::is_some)
            && chars
                .iter()
                .zip(&self.cased)
                .all(|(c, cased)| cased.is_none_or(|l| l == *c))
    }
}

/// True for letters in mixed case: some in capitals and some not, and not capitalised (a
/// capital, then lower case).
fn mixed_case(chars: &[char]) -> bool {
    let letters = || chars.iter().filter(|c| c.is_alphabetic());
    let upper = letters().any(|c| c.is_uppercase());
    let lower = letters().any(|c| c.is_lowercase());
    let capitalised = letters().next().is_some_and(|c| c.is_uppercase())
        && letters().skip(1).all(|c| !c.is_uppercase());
    upper && lower && !capitalised
}

/// The words of `pattern`, read as a tier's `at_start` reads it (without regard to case,
/// unless the pattern says otherwise): each in lower case, with the letters held in one case
/// as written. None when the pattern does not parse.
fn words_of_pattern(pattern: &str) -> Vec<(Vec<char>, Vec<Option<char>>)> {
    let Ok(hir) = regex_syntax::ParserBuilder::new()
        .case_insensitive(true)
        .build()
        .parse(pattern)
    else {
        return Vec::new();
    };
    let mut apart = Vec::new();
    let ways = ways(&hir, &mut apart);
    let mut words = Vec::new();
    for way in ways.iter().chain(&apart) {
        for run in way.split(|a| matches!(a, Atom::Break)) {
            if run.len() < 4 {
                continue;
            }
            let lower: Vec<char> = run
                .iter()
                .map(|a| match a {
                    Atom::Letter(c, _) => c.to_ascii_lowercase(),
                    Atom::Break => unreachable!("runs are split at breaks"),
                })
                .collect();
            let cased = run
                .iter()
                .map(|a| match a {
                    Atom::Letter(c, true) => Some(*c),
                    _ => None,
                })
                .collect();
            let spelt: String = lower.iter().collect();
            if !GUARDED_WORDS.contains(&spelt.as_str()) && !words.iter().any(|(l, _)| *l == lower) {
                words.push((lower, cased));
            }
        }
    }
    words
}

/// The ways `hir` can be read as letters and breaks: one for each branch of an alternation
/// (and each branch's ways in turn, after what stands before it), up to [`MOST_WAYS`]; past
/// that, and inside a repetition, the ways are put in `apart`, read for words on their own,
/// and stand as a break.
fn ways(hir: &Hir, apart: &mut Vec<Vec<Atom>>) -> Vec<Vec<Atom>> {
    match hir.kind() {
        HirKind::Empty => vec![Vec::new()],
        HirKind::Literal(literal) => {
            let atoms = String::from_utf8_lossy(&literal.0)
                .chars()
                .map(|c| {
                    if c.is_ascii_alphabetic() {
                        Atom::Letter(c, true)
                    } else {
                        Atom::Break
                    }
                })
                .collect();
            vec![atoms]
        }
        HirKind::Class(class) => vec![vec![class_letter(class).unwrap_or(Atom::Break)]],
        HirKind::Look(_) => vec![vec![Atom::Break]],
        HirKind::Repetition(rep) if rep.min == 1 && rep.max == Some(1) => ways(&rep.sub, apart),
        HirKind::Repetition(rep) => {
            let inner = ways(&rep.sub, apart);
            apart.extend(inner);
            vec![vec![Atom::Break]]
        }
        HirKind::Capture(capture) => ways(&capture.sub, apart),
        HirKind::Concat(subs) => {
            let mut sofar: Vec<Vec<Atom>> = vec![Vec::new()];
            for sub in subs {
                let next = ways(sub, apart);
                if sofar.len() * next.len() > MOST_WAYS {
                    apart.append(&mut sofar);
                    apart.extend(next);
                    sofar = vec![vec![Atom::Break]];
                    continue;
                }
                sofar = sofar
                    .iter()
                    .flat_map(|before| {
                        next.iter().map(move |after| {
                            let mut way = before.clone();
                            way.extend_from_slice(after);
                            way
                        })
                    })
                    .collect();
            }
            sofar
        }
        HirKind::Alternation(subs) => {
            let all: Vec<Vec<Atom>> = subs.iter().flat_map(|s| ways(s, apart)).collect();
            if all.len() > MOST_WAYS {
                apart.extend(all);
                vec![vec![Atom::Break]]
            } else {
                all
            }
        }
    }
}

/// The letter a class stands for when it is one ASCII letter in either case (`[Cc]`, as a
/// pattern read without regard to case holds `c`; `k` and `s` also take the Kelvin sign and
/// the long s), or in one case only.
fn class_letter(class: &Class) -> Option<Atom> {
    let mut chars = Vec::new();
    match class {
        Class::Unicode(u) => {
            for r in u.ranges() {
                if chars.len() + (r.end() as usize - r.start() as usize) >= 4 {
                    return None;
                }
                chars.extend(r.start()..=r.end());
            }
        }
        Class::Bytes(b) => {
            for r in b.ranges() {
                if chars.len() + usize::from(r.end() - r.start()) >= 4 {
                    return None;
                }
                chars.extend((r.start()..=r.end()).map(char::from));
            }
        }
    }
    let ascii: Vec<char> = chars.iter().copied().filter(char::is_ascii).collect();
    let first = *ascii.first()?;
    if !first.is_ascii_alphabetic()
        || !ascii.iter().all(|c| c.eq_ignore_ascii_case(&first))
        || chars
            .iter()
            .any(|c| !c.is_ascii() && !matches!(c, '\u{212A}' | '\u{17F}'))
    {
        return None;
    }
    Some(if ascii.len() == 1 {
        Atom::Letter(first, true)
    } else {
        Atom::Letter(first, false)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use regex::RegexBuilder;

    fn tier(id: &str, pattern: &str) -> Tier {
        Tier {
            id: id.to_string(),
            at_start: RegexBuilder::new(&format!("^(?:{pattern})"))
                .case_insensitive(true)
                .build()
                .expect("the test's pattern compiles"),
            pattern: pattern.to_string(),
            sensitive: true,
            anywhere: true,
        }
    }

    fn words(pattern: &str) -> Vec<String> {
        words_of_pattern(pattern)
            .into_iter()
            .map(|(l, _)| l.into_iter().collect())
            .collect()
    }

    #[test]
    fn a_patterns_words_are_its_runs_of_letters() {
        assert_eq!(words("(?-i:CLASSIFIED)"), ["classified"]);
        assert_eq!(
            words("limited ?-? ?circulation"),
            ["limited", "circulation"]
        );
        // A word already guarded is left out.
        assert_eq!(words("restricted ?-? ?commercial"), ["commercial"]);
        // Each branch, however the parser factors out what they share.
        assert_eq!(words("classified|classify"), ["classified", "classify"]);
        assert_eq!(words("(?:eyes|ears) only"), ["eyes", "only", "ears"]);
        assert_eq!(words(r"(?x) c l a s s i f i e d"), ["classified"]);
        assert_eq!(words(r"\bIN CONFIDENCE\b"), ["confidence"]);
        assert_eq!(words("(?:SEALED)+ annex"), ["annex", "sealed"]);
        // Short runs, and letters any of several may stand for, are no words.
        assert!(words("top ?- ?secret|top secret").is_empty());
        assert_eq!(words("[a-z]+ use only"), ["only"]);
        assert!(words("[a-z]+ use").is_empty());
        assert!(words("(unclosed").is_empty());
        // Which letters are held in one case.
        let cased = words_of_pattern("(?-i:CLASS)ified");
        assert_eq!(
            cased[0].1[..6],
            [Some('C'), Some('L'), Some('A'), Some('S'), Some('S'), None]
        );
    }

    #[test]
    fn the_built_in_tiers_add_no_word() {
        let config = crate::config::Classifications::defaults().expect("the built-in files load");
        assert!(TierWords::of_tiers(&config.markings.tiers).is_empty());
        assert!(config.markings.tier_words.is_empty());
    }

    fn custom() -> TierWords {
        TierWords::of_tiers(&[
            tier("CLASSIFIED", "(?-i:CLASSIFIED)"),
            tier("LIMITED CIRCULATION", "limited ?-? ?circulation"),
            tier("RESTRICTED-COMMERCIAL", "restricted ?-? ?commercial"),
        ])
    }

    #[test]
    fn a_configured_word_in_disguise_is_found() {
        let words = custom();
        for (text, tier) in [
            // Letters spaced out or separated.
            ("C L A S S I F I E D", "CLASSIFIED"),
            ("C.L.A.S.S.I.F.I.E.D.", "CLASSIFIED"),
            ("C-L-A-S-S-I-F-I-E-D", "CLASSIFIED"),
            ("C_L_A_S_S_I_F_I_E_D", "CLASSIFIED"),
            (
                "C\u{2022}L\u{2022}A\u{2022}S\u{2022}S\u{2022}I\u{2022}F\u{2022}I\u{2022}E\u{2022}D",
                "CLASSIFIED",
            ),
            (
                "L I M I T E D   C I R C U L A T I O N",
                "LIMITED CIRCULATION",
            ),
            (
                "L.I.M.I.T.E.D. C.I.R.C.U.L.A.T.I.O.N.",
                "LIMITED CIRCULATION",
            ),
            // A split inside the word.
            ("CLASS IFIED", "CLASSIFIED"),
            ("CLASS/IFIED", "CLASSIFIED"),
            ("CLASS\u{00B7}IFIED", "CLASSIFIED"),
            ("CLASS\\IFIED", "CLASSIFIED"),
            ("C\\LASSIFIED", "CLASSIFIED"),
            ("CLASS\u{00A0}IFIED", "CLASSIFIED"),
            ("CLASS\u{2009}IFIED", "CLASSIFIED"),
            ("CLASS&nbsp;IFIED", "CLASSIFIED"),
            ("CLASS&ensp;IFIED", "CLASSIFIED"),
            ("CLASS\nIFIED", "CLASSIFIED"),
            ("CLASS\\\nIFIED", "CLASSIFIED"),
            ("CLASS\u{2020}IFIED", "CLASSIFIED"),
            ("CLASS*IFIED", "CLASSIFIED"),
            ("**CLASS**IFIED", "CLASSIFIED"),
            ("LIMITED CIRCUL ATION", "LIMITED CIRCULATION"),
            ("LIMITED C\nIRCULATION", "LIMITED CIRCULATION"),
            ("LIMITED CIRCU&nbsp;LATION", "LIMITED CIRCULATION"),
            ("L\\IMITED CIRCULATION", "LIMITED CIRCULATION"),
            ("restricted com mercial", "RESTRICTED-COMMERCIAL"),
            // Digits, look-alikes and other scripts.
            ("CLASS1FIED", "CLASSIFIED"),
            ("CL4551F13D", "CLASSIFIED"),
            ("CLA55IFIED", "CLASSIFIED"),
            ("CLASSlFIED", "CLASSIFIED"),
            ("CIASSIFIED", "CLASSIFIED"),
            ("CLASS\u{0131}FIED", "CLASSIFIED"),
            ("CLASSI\u{FB01}ED", "CLASSIFIED"),
            ("CLASSI\u{1DA0}IED", "CLASSIFIED"),
            ("\u{0421}LASS1FIED", "CLASSIFIED"),
            ("L1MITED C1RCULATION", "LIMITED CIRCULATION"),
            ("C0MMERC1AL terms", "RESTRICTED-COMMERCIAL"),
            // Mixed case.
            ("CLASSIFiED", "CLASSIFIED"),
            ("ClAsSiFiEd", "CLASSIFIED"),
            ("LiMiTeD", "LIMITED CIRCULATION"),
            // Wherever text stands.
            ("## C L A S S I F I E D annex", "CLASSIFIED"),
            ("| C L A S S I F I E D | x |", "CLASSIFIED"),
            (
                "![L1MITED CIRCULATION](https://x.y/a.png)",
                "LIMITED CIRCULATION",
            ),
            ("<https://x.y/CLASS1FIED-annex>", "CLASSIFIED"),
            ("title: C L A S S I F I E D bids", "CLASSIFIED"),
            ("reference: PCD 1234 CLASS1FIED", "CLASSIFIED"),
            ("2025/C.L.A.S.S.I.F.I.E.D-bids", "CLASSIFIED"),
        ] {
            assert_eq!(words.disguised(text), Some(tier), "{text:?}");
        }
    }

    #[test]
    fn a_configured_word_written_plainly_is_no_disguise() {
        let words = custom();
        for text in [
            "CLASSIFIED",
            "Classified",
            "classified documents were read",
            "LIMITED CIRCULATION",
            "Limited circulation",
            "limited",
            "Acme Limited and Acme LIMITED",
            "the circulation of papers",
            "commercial terms, COMMERCIAL, Commercial",
            "OFFICIAL-SENSITIVE [COMMERCIAL]",
            "commercial-in-confidence",
            "CLASSIFIED's annex, LIMITED-CIRCULATION",
            "a b c d e f, options 1 2 3",
            "PCD 1519 and DMPCD 2024/117",
        ] {
            assert_eq!(words.disguised(text), None, "{text:?}");
        }
        // The configuration adds no word: nothing is read.
        assert_eq!(TierWords::default().disguised("C L A S S I F I E D"), None);
    }

    #[test]
    fn a_word_as_its_pattern_writes_it_is_no_disguise() {
        let words = TierWords::of_tiers(&[tier("MCAFEE", "(?-i:McAfee) only")]);
        assert_eq!(words.disguised("McAfee"), None);
        assert_eq!(words.disguised("MCAFEE"), None);
        assert_eq!(words.disguised("MCaFEE"), Some("MCAFEE"));
    }
}

//! Classify: decide, for every byte of a report, whether it is public or withheld.
//!
//! The report is read top to bottom as top-level blocks (see [`crate::markdown::segment`]):
//!
//! 1. the cover and Part 1, public, which must carry a public-part banner;
//! 2. the Part 2 banner, a block that must be the banner and nothing else;
//! 3. the Part 2 preamble, public: the marking statement, page-footer footnotes that belong to
//!    Part 1, and the marking;
//! 4. everything after, withheld.
//!
//! Anything that does not fit this shape is a reason to quarantine, never a guess: a banner
//! sharing a block with other text, a sensitive marking in the public part, a descriptor the
//! configuration does not know, a Part 2 without a marking.
//!
//! [`classify`] reads as that list: one function per phase (front matter, cover and Part 1,
//! Part 2, title), each on plain data, then one small function per refusal rule, which gives
//! its [`Reason`] or nothing. Raw HTML is read only through [`crate::html`].

use std::ops::Range;

use crate::config::{Classifications, Exemption};
use crate::front_matter::{self, FrontMatter};
use crate::html;
use crate::markdown::{Kind, Segment};
use crate::marking::{self, Marking, MarkingError};
use crate::normalize::{self, fold, fold_lines, one_line, reading};
use mopac_types::Lines;
use mopac_types::reason::{Code, Reason};

/// What a piece of the report is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Cover and Part 1.
    Public,
    /// The Part 2 banner.
    Part2Banner,
    /// Blank lines, the marking statement and footnotes between the banner and the marking.
    Preamble,
    /// The Part 2 marking.
    Marking,
    /// Restricted content.
    Withheld,
    /// Front matter lines that are not published.
    FrontMatterRemoved,
    /// A link reference or footnote definition of the public part that only the withheld
    /// part refers to: left orphaned by the redaction, it goes with it.
    Orphaned,
    /// Markup with no text of its own (an empty bookmark span, a span setting normal
    /// weight) on the Part 2 banner, the marking statement or the marking: cut out of its
    /// line, which is published as its plain text.
    Markup,
}

impl Role {
    /// True when the piece is published.
    pub fn is_kept(self) -> bool {
        !matches!(
            self,
            Role::Withheld | Role::FrontMatterRemoved | Role::Orphaned | Role::Markup
        )
    }
}

/// A byte range of the report with its role.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub range: Range<usize>,
    pub role: Role,
    /// The segment the piece is, when it is a whole one (front matter lines are not).
    pub segment: Option<usize>,
}

/// The restricted part of a report.
#[derive(Debug, Clone)]
pub struct Part2 {
    /// The marking under the banner (or the first in Part 2, or the configured default).
    pub marking: Marking,
    /// Exemptions cited, in the order their descriptors first appear.
    pub exemptions: Vec<Exemption>,
    /// Every descriptor of every Part 2 marking, in order of appearance.
    pub descriptors: Vec<String>,
}

/// A report ready to redact.
#[derive(Debug, Clone)]
pub struct Classified {
    /// In order, covering the report exactly.
    pub pieces: Vec<Piece>,
    /// The report's title, from its front matter or its cover.
    pub title: Option<String>,
    pub front_matter: Option<FrontMatter>,
    pub part2: Option<Part2>,
    /// The segment holding the public-part banner: the cover is what stands before it.
    pub public_banner: Option<usize>,
    /// The cover's title block (the first that is not letterhead or a marking), if any.
    pub title_segment: Option<usize>,
    /// Warnings for the approver (never a reason to refuse): a footnote-like paragraph
    /// after the Part 2 banner, kept or withheld.
    pub warnings: Vec<Reason>,
}

/// The classifier's decision.
#[derive(Debug, Clone)]
pub enum Verdict {
    Publish(Box<Classified>),
    /// Sensitive as a whole: nothing of it is published.
    Withhold(Reason),
    Quarantine(Vec<Reason>),
}

/// Classifies a report (`src` without its byte-order mark) cut into `segments`.
///
/// The phases run in the order the report is read, each a function of its own; then every
/// refusal rule has its say over the pieces, and any reason quarantines the report.
pub fn classify(
    src: &str,
    segments: &[Segment],
    lines: &Lines,
    config: &Classifications,
) -> Verdict {
    let r = Report::new(src, segments, lines, config);
    let front = match front_matter_phase(&r) {
        Ok(front) => front,
        Err(verdict) => return verdict,
    };
    let part1 = match part1_phase(&r, front.body_start) {
        Ok(part1) => part1,
        Err(verdict) => return verdict,
    };
    let mut pieces = front_matter_pieces(front.matter.as_ref());
    pieces.extend(part1_pieces(&r, front.body_start, part1.banner));
    if let Some(b) = part1.banner {
        part2_page_header(&r, b, &mut pieces);
    }
    let part2 = part1.banner.map(|b| part2_phase(&r, b));
    if let Some(p2) = &part2 {
        pieces.extend(p2.pieces.iter().cloned());
    }
    let title = title_phase(
        &r,
        front.matter.as_ref(),
        front.body_start,
        part1.public_banner,
    );

    // Markup with no text of its own on the banner, statement and marking: cut out.
    let markup = markup_without_text(&r, &pieces);
    let pieces = without_markup_pieces(pieces, &markup);

    let mut reasons = front.reasons;
    reasons.extend(part1.reasons);
    if let Some(fm) = &front.matter {
        reasons.extend(markings_in_front_matter(&r, fm));
    }
    if let Some(p2) = &part2 {
        reasons.extend(p2.reasons.iter().cloned());
    }
    // Each published piece as `restricted_tell` and `disguised_word` both first read it
    // (normalize::prepared), made once. `disguised_word` reads every published piece, so none
    // is made that would not have been; a piece not published has none (neither rule reads it).
    let prepared: Vec<Option<String>> = pieces
        .iter()
        .map(|p| {
            p.role
                .is_kept()
                .then(|| normalize::prepared(&src[p.range.clone()]))
        })
        .collect();
    let kept = || {
        pieces
            .iter()
            .zip(&prepared)
            .filter_map(|(p, read)| Some((p, read.as_deref()?)))
    };
    if part1.banner.is_none() {
        reasons.extend(kept().filter_map(|(p, read)| restricted_tell(&r, p, read, None)));
    } else if let Some(b) = part1.banner {
        // Part 1 before a recognised banner is checked too, by the tells its own running
        // text does not use when it refers to Part 2.
        let name = part_name(&reading(&segments[b].text));
        reasons.extend(
            kept()
                .filter(|(p, _)| p.role == Role::Public)
                .filter_map(|(p, read)| restricted_tell(&r, p, read, Some(&name))),
        );
    }
    reasons.extend(nested_too_deep(&r, &pieces));
    reasons.extend(pieces.iter().filter_map(|p| hidden_text(&r, p)));
    reasons.extend(pieces.iter().filter_map(|p| invisible_characters(&r, p)));
    reasons.extend(kept().filter_map(|(p, read)| disguised_word(&r, p, read)));
    reasons.extend(
        pieces
            .iter()
            .filter_map(|p| html_not_allowed(&r, p, &markup)),
    );
    reasons.extend(unseen_definitions(&r, &pieces));
    reasons.extend(pieces.iter().filter_map(|p| marking_in_public(&r, p)));
    reasons.extend(page_edge_marking(&r, &pieces));
    reasons.extend(marking_across_page_break(
        &r,
        front.body_start..part1.banner.unwrap_or(segments.len()),
    ));
    reasons.extend(not_plain_text(&r, &pieces, &markup));
    reasons.extend(images_outside_release(&r, &pieces));
    reasons.extend(crate::moved_footnotes::after_marking(
        segments, lines, &pieces,
    ));
    reasons.extend(crate::moved_footnotes::text_missing(
        src, segments, lines, &pieces,
    ));
    let warnings = part2
        .as_ref()
        .map_or_else(Vec::new, |p2| p2.warnings.clone());
    let part2 = part2.and_then(|p2| p2.part2);
    reasons.extend(no_title(part2.is_some(), title.text.as_deref()));
    reasons.extend(markup_in_title(&r, &title, front.matter.as_ref()));

    if !reasons.is_empty() {
        return Verdict::Quarantine(tidy(reasons));
    }
    Verdict::Publish(Box::new(Classified {
        pieces: without_orphans(src, pieces, segments),
        title: title.text,
        front_matter: front.matter,
        part2,
        public_banner: part1.public_banner,
        title_segment: title.segment,
        warnings,
    }))
}

/// What every phase reads: the report, its segments and their folded text.
struct Report<'a> {
    src: &'a str,
    segments: &'a [Segment],
    lines: &'a Lines,
    config: &'a Classifications,
    /// Each segment's text folded once, by index.
    folded: Vec<Folded>,
}

/// A segment's text folded line by line, and whole (its lines joined by a space, which is
/// how folding reads a line break).
struct Folded {
    lines: Vec<String>,
    whole: String,
}

impl<'a> Report<'a> {
    fn new(
        src: &'a str,
        segments: &'a [Segment],
        lines: &'a Lines,
        config: &'a Classifications,
    ) -> Self {
        let folded = segments
            .iter()
            .map(|s| {
                let lines = fold_lines(&s.text);
                // A word wrapped at a hyphen ("NOT SUIT-⏎ABLE") is read whole in the block.
                let whole = match normalize::unwrap_hyphens(&s.text) {
                    std::borrow::Cow::Owned(joined) => fold(&joined),
                    std::borrow::Cow::Borrowed(_) => lines.join(" "),
                };
                Folded { lines, whole }
            })
            .collect();
        Report {
            src,
            segments,
            lines,
            config,
            folded,
        }
    }

    /// The 1-based line segment `i` opens at.
    fn line_of(&self, i: usize) -> usize {
        self.lines.line(self.segments[i].range.start)
    }

    /// Segment `i`, or what the classifier reads of it: its text folded whole.
    fn whole(&self, i: usize) -> &str {
        &self.folded[i].whole
    }
}

// ---- phase 1: front matter ----

/// The front matter, read.
struct Front {
    matter: Option<FrontMatter>,
    /// The first segment after it.
    body_start: usize,
    reasons: Vec<Reason>,
}

/// Reads the front matter, if the report opens with one. A report its `classification:`
/// calls sensitive is withheld as a whole; one whose front matter cannot be read stops here.
fn front_matter_phase(r: &Report<'_>) -> Result<Front, Verdict> {
    let Some(first) = r.segments.first().filter(|s| s.kind == Kind::FrontMatter) else {
        return Ok(Front {
            matter: None,
            body_start: 0,
            reasons: front_matter_out_of_form(r, 0).into_iter().collect(),
        });
    };
    let fm = front_matter::read(r.src, first.range.clone(), r.config).map_err(|e| {
        Verdict::Quarantine(vec![Reason::new(
            Code::InvalidFrontMatter,
            e.line,
            e.message,
        )])
    })?;
    if let Some(reason) = classified_sensitive(&fm, r.config) {
        return Err(Verdict::Withhold(reason));
    }
    let mut reasons: Vec<Reason> = unreadable_classification(&fm, r.config)
        .into_iter()
        .collect();
    reasons.extend(front_matter_out_of_form(r, first.range.end));
    reasons.extend(unknown_governing_keys(&fm));
    Ok(Front {
        reasons,
        matter: Some(fm),
        body_start: 1,
    })
}

/// [invalid-front-matter] The report opens (or goes on after its front matter) with a line
/// that reads like a front matter delimiter the tool does not read: `+++` (TOML), `----`,
/// or a `---` that opens nothing it can read. Read as Markdown, its keys would be
/// published.
fn front_matter_out_of_form(r: &Report<'_>, from: usize) -> Option<Reason> {
    let at = from + front_matter::delimiter_like(&r.src[from..])?;
    Some(Reason::new(
        Code::InvalidFrontMatter,
        r.lines.line(at),
        "a line that reads like a front matter delimiter, but no front matter the tool reads: front matter is YAML between `---` lines at the very top",
    ))
}

/// [unknown-governing-key] A front matter key the tool does not read that looks as if it
/// governs publication (a deferral, a date, a classification): removed unread, it would let
/// the report out early or unmarked.
fn unknown_governing_keys(fm: &FrontMatter) -> Vec<Reason> {
    fm.unknown
        .iter()
        .map(|(_, line)| {
            Reason::new(
                Code::UnknownGoverningKey,
                *line,
                "a front matter key the tool does not read that looks like a deferral, a date or a classification",
            )
        })
        .collect()
}

/// [withheld-as-a-whole] The front matter classifies the whole report as sensitive.
fn classified_sensitive(fm: &FrontMatter, config: &Classifications) -> Option<Reason> {
    let classification = fm.classification.as_deref()?;
    matches!(marking::parse(&fold(classification), config), Some(Ok(m)) if m.sensitive).then(|| {
        Reason::new(
            Code::WithheldAsAWhole,
            fm.line_of("classification"),
            "front matter classifies the whole report as sensitive",
        )
    })
}

/// [unknown-descriptor] or [invalid-front-matter] The front matter's classification is not
/// a marking this configuration reads.
fn unreadable_classification(fm: &FrontMatter, config: &Classifications) -> Option<Reason> {
    let classification = fm.classification.as_deref()?;
    let line = fm.line_of("classification");
    match marking::parse(&fold(classification), config) {
        Some(Ok(_)) => None,
        Some(Err(MarkingError::UnknownDescriptor)) => Some(Reason::new(
            Code::UnknownDescriptor,
            line,
            "front matter classification has a descriptor that markings.yaml does not list",
        )),
        None => Some(Reason::new(
            Code::InvalidFrontMatter,
            line,
            "front matter classification is not a security marking",
        )),
    }
}

/// The front matter's lines, published or not.
fn front_matter_pieces(fm: Option<&FrontMatter>) -> Vec<Piece> {
    fm.iter()
        .flat_map(|fm| &fm.pieces)
        .map(|(range, kept)| Piece {
            range: range.clone(),
            role: if *kept {
                Role::Public
            } else {
                Role::FrontMatterRemoved
            },
            segment: None,
        })
        .collect()
}

/// [sensitive-marking-in-public] A marking anywhere in the front matter but
/// `classification:`: the report says it is sensitive where the tool does not read it.
fn markings_in_front_matter(r: &Report<'_>, fm: &FrontMatter) -> Vec<Reason> {
    fm.pieces
        .iter()
        .filter_map(|(range, _)| {
            let text = &r.src[range.clone()];
            let line = text.split_inclusive('\n').find(|line| {
                !line.starts_with("classification:") && is_sensitive(line, r.config)
            })?;
            let at = range.start + text.find(line).unwrap_or(0);
            Some(Reason::new(
                Code::SensitiveMarkingInPublic,
                r.lines.line(at),
                "a sensitive security marking in the front matter; give it as `classification:`",
            ))
        })
        .collect()
}

// ---- phase 2: the cover and Part 1, up to the Part 2 banner ----

/// The cover and Part 1, read.
struct Part1 {
    /// The segment holding the public-part banner.
    public_banner: Option<usize>,
    /// The Part 2 banner's segment.
    banner: Option<usize>,
    reasons: Vec<Reason>,
}

/// Reads the cover and Part 1 up to the Part 2 banner: finds the public-part banner and the
/// Part 2 banner, and refuses any block that looks like a Part 2 banner but is not one. A
/// report whose first marking is sensitive is withheld as a whole.
fn part1_phase(r: &Report<'_>, body_start: usize) -> Result<Part1, Verdict> {
    let mut p = Part1 {
        public_banner: None,
        banner: None,
        reasons: Vec::new(),
    };
    // Withheld as a whole only when the report says so: not when it has Part 1 wording.
    let says_public = crate::part1_wording::present(r.folded.iter().flat_map(|f| &f.lines));
    for (i, seg) in r.segments.iter().enumerate().skip(body_start) {
        if seg.kind == Kind::Gap && seg.is_blank(r.src) {
            continue;
        }
        // Inside code and HTML blocks, markup is text: read lines without it.
        let bare: Vec<&str> = r.folded[i]
            .lines
            .iter()
            .map(|l| without_markup(l))
            .collect();
        if p.public_banner.is_none()
            && let Some(reason) = first_marking_sensitive(r, i).filter(|_| !says_public)
        {
            return Err(Verdict::Withhold(reason));
        }
        // Page furniture neither opens nor closes a part.
        if seg.kind == Kind::Furniture {
            continue;
        }
        if p.public_banner.is_none() && is_public_banner(&bare, r.config) {
            p.public_banner = Some(i);
        }
        if is_part2_banner(r, i) {
            p.banner = Some(i);
            break;
        }
        p.reasons
            .extend(misplaced_part2_banner(r, i, &bare).or_else(|| part2_banner_wording(r, i)));
    }
    p.reasons.extend(no_public_banner(r, &p));
    Ok(p)
}

/// True when one of the lines opens a public-part banner, read with the lines after it in
/// the same block: a converter that wraps at 72 columns breaks a banner anywhere ("… to the
/// Deputy / Mayor for Policing and Crime").
fn is_public_banner(bare: &[&str], config: &Classifications) -> bool {
    (0..bare.len()).any(|k| {
        // A banner is a sentence or two: four lines hold it at any converter's width.
        let from_here = bare[k..bare.len().min(k + 4)].join(" ");
        config
            .banners
            .public
            .iter()
            .any(|b| b.regex.is_match(&from_here))
    })
}

/// True when segment `i` is a Part 2 banner and nothing else.
fn is_part2_banner(r: &Report<'_>, i: usize) -> bool {
    r.segments[i].kind != Kind::Gap
        && r.config
            .banners
            .restricted_whole
            .iter()
            .any(|b| b.regex.is_match(r.whole(i)))
}

/// [withheld-as-a-whole] The report's first marking, before any public-part banner, is
/// sensitive: it is restricted as a whole.
fn first_marking_sensitive(r: &Report<'_>, i: usize) -> Option<Reason> {
    let sensitive = r.segments[i].kind != Kind::Gap
        && matches!(marking::parse(r.whole(i), r.config), Some(Ok(m)) if m.sensitive);
    sensitive.then(|| {
        Reason::new(
            Code::WithheldAsAWhole,
            r.line_of(i),
            "the report's first marking is sensitive: it is restricted as a whole",
        )
    })
}

/// [unrecognised-part2-banner] or [part2-banner-inside-block] A line of segment `i` opens
/// like a Part 2 banner, but the segment is not a recognised banner.
fn misplaced_part2_banner(r: &Report<'_>, i: usize, bare: &[&str]) -> Option<Reason> {
    let starts = &r.config.banners.restricted_starts;
    if !bare.iter().any(|l| starts.is_match(l)) || wrapped_reference(bare, starts) {
        return None;
    }
    let seg = &r.segments[i];
    let line = line_at(r.src, seg, r.lines, |l| starts.is_match(l));
    let opens = r.line_of(i);
    // A banner whose wording is one word from a configured one, on lines of a block of its
    // own (wrapped by a converter, or alone): named for the word.
    let hint = (seg.kind != Kind::Gap && opens == line)
        .then(|| crate::banner_hint::hint(r.whole(i), r.config))
        .flatten();
    Some(if let Some(hint) = hint {
        Reason::new(
            Code::UnrecognisedPart2Banner,
            line,
            format!("a Part 2 banner whose wording banners.yaml does not give: {hint}"),
        )
    } else if bare.len() == 1 && seg.kind != Kind::Gap {
        Reason::new(
            Code::UnrecognisedPart2Banner,
            line,
            "a Part 2 banner whose wording banners.yaml does not give",
        )
    } else if opens < line {
        Reason::new(
            Code::Part2BannerInsideBlock,
            line,
            format!(
                "a Part 2 banner inside the block that opens at line {opens} \
                 (no blank line before the banner, or a code fence or HTML block above it never closed)"
            ),
        )
    } else {
        Reason::new(
            Code::Part2BannerInsideBlock,
            line,
            "a Part 2 banner shares its block with other text",
        )
    })
}

/// "Part 2." alone on a line.
static PART2_FULL_STOP: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r"(?i)^part ?(2|two|ii)\.$").expect("a valid pattern")
});

/// True when the only line of a block that opens like a Part 2 banner is "Part 2." as its
/// last line, after a line that ends inside a sentence ("… are set out in" / "Part 2."):
/// running text a converter wrapped, the sentence ending with the block. Nothing follows it
/// in the block, so nothing can stand under it as Part 2's text.
fn wrapped_reference(bare: &[&str], starts: &regex::Regex) -> bool {
    let Some((last, before)) = bare.split_last() else {
        return false;
    };
    PART2_FULL_STOP.is_match(last.trim())
        && !before.iter().any(|l| starts.is_match(l))
        && before
            .last()
            .and_then(|l| l.trim_end().chars().next_back())
            .is_some_and(char::is_alphabetic)
}

/// [unrecognised-part2-banner] A Part 2 banner dressed in a way no other rule reads
/// ("12 Part 2 – …", a banner after a line break inside a paragraph): its wording still
/// tells.
fn part2_banner_wording(r: &Report<'_>, i: usize) -> Option<Reason> {
    let tells = &r.config.banners.restricted_tells;
    let seg = &r.segments[i];
    if seg.kind == Kind::Gap || !tells.iter().any(|t| t.is_match(r.whole(i))) {
        return None;
    }
    let line = line_at(r.src, seg, r.lines, |l| tells.iter().any(|t| t.is_match(l)));
    Some(Reason::new(
        Code::UnrecognisedPart2Banner,
        line,
        "the wording of a Part 2 banner in a block that is not a recognised banner",
    ))
}

/// [no-public-banner] Nothing before Part 2 says the part is public.
fn no_public_banner(r: &Report<'_>, p: &Part1) -> Option<Reason> {
    p.public_banner.is_none().then(|| {
        Reason::new(
            Code::NoPublicBanner,
            p.banner.map_or(1, |b| r.line_of(b)),
            "no public-part banner (e.g. \"Part 1 – This section of the report will be published\") before Part 2",
        )
    })
}

/// The running header of the page the Part 2 banner opens, in text from a PDF: the
/// furniture between the form feed that starts that page and the banner (blank lines
/// aside) is Part 2's, and a sensitive marking there is withheld with Part 2, not refused as
/// a marking in the public part. Furniture before that form feed (the footer of a Part 1
/// page) stays public, and a sensitive marking there still refuses the report.
fn part2_page_header(r: &Report<'_>, b: usize, pieces: &mut [Piece]) {
    let mut header = Vec::new();
    for i in (0..b).rev() {
        let seg = &r.segments[i];
        if seg.kind == Kind::Gap && seg.is_blank(r.src) {
            continue;
        }
        if seg.kind != Kind::Furniture {
            return;
        }
        header.push(i);
        let text = &r.src[seg.range.clone()];
        // The page break: the last line of the segment that holds it (pdftotext writes the
        // form feed before the page's first line).
        if let Some(at) = text.rfind(crate::page_furniture::FORM_FEED) {
            let before = &text[..at];
            if !before.trim().is_empty() {
                // The previous page's footer shares the block: not this page's alone.
                return;
            }
            break;
        }
        if i == 0 {
            return;
        }
    }
    if !header
        .iter()
        .any(|&i| r.src[r.segments[i].range.clone()].contains(crate::page_furniture::FORM_FEED))
    {
        return;
    }
    for piece in pieces.iter_mut() {
        if let Some(i) = piece.segment
            && header.contains(&i)
            && marked(r.whole(i), r.config)
        {
            piece.role = Role::Withheld;
        }
    }
}

/// The segments before the Part 2 banner (all of them without one), public.
fn part1_pieces(r: &Report<'_>, body_start: usize, banner: Option<usize>) -> Vec<Piece> {
    let end = banner.unwrap_or(r.segments.len());
    (body_start..end)
        .map(|i| Piece {
            range: r.segments[i].range.clone(),
            role: Role::Public,
            segment: Some(i),
        })
        .collect()
}

// ---- phase 3: the Part 2 banner, its preamble, the withheld part ----

/// Part 2, read.
struct Part2Read {
    /// The banner, the preamble and the withheld segments.
    pieces: Vec<Piece>,
    /// `None` when no marking could be found (a reason says why).
    part2: Option<Part2>,
    reasons: Vec<Reason>,
    warnings: Vec<Reason>,
}

/// Reads Part 2 from its banner (segment `b`): the preamble up to the marking, then every
/// segment withheld; gathers every marking of Part 2 and the exemptions they cite.
fn part2_phase(r: &Report<'_>, b: usize) -> Part2Read {
    let banner_line = r.line_of(b);
    let footnotes = Footnotes::read(r, b);
    let preamble = preamble(r.src, r.segments, b + 1, &footnotes, r.config);
    let warnings = footnote_warnings(r, &preamble);
    let rest = b + 1 + preamble.taken;
    let mut pieces = vec![Piece {
        range: r.segments[b].range.clone(),
        role: Role::Part2Banner,
        segment: Some(b),
    }];
    pieces.extend(preamble.pieces.iter().cloned());
    pieces.extend((rest..r.segments.len()).map(|i| Piece {
        range: r.segments[i].range.clone(),
        role: Role::Withheld,
        segment: Some(i),
    }));

    let mut reasons: Vec<Reason> = unknown_descriptor_under_banner(r, &preamble)
        .into_iter()
        .collect();
    let withheld_from = r.segments.get(rest).map_or(r.src.len(), |s| s.range.start);
    reasons.extend(footnote_before_marking(
        r,
        &preamble,
        &r.src[withheld_from..],
    ));
    // Every marking in Part 2 adds its descriptors; an unreadable one stops publication.
    let (withheld, unknown) = withheld_markings(r, rest);
    reasons.extend(unknown);
    // A paragraph withheld before the marking takes the marking with it into Part 2, where
    // it is read.
    let footnote_withheld = preamble.footnotes.iter().any(|&(_, kept)| !kept);
    if !footnote_withheld || withheld.is_empty() {
        reasons.extend(statement_without_marking(&preamble, banner_line));
    }
    let mut markings: Vec<Marking> = preamble.marking.iter().cloned().chain(withheld).collect();
    if markings.is_empty() {
        markings.extend(default_marking(r.config));
    }
    let Some(primary) = markings.first() else {
        reasons.extend(no_part2_marking(&preamble, banner_line));
        return Part2Read {
            pieces,
            part2: None,
            reasons,
            warnings,
        };
    };
    let (exemptions, unexempt) = exemptions(r, &markings, &preamble, banner_line);
    reasons.extend(unexempt);
    let mut descriptors: Vec<String> = Vec::new();
    for d in markings.iter().flat_map(|m| &m.descriptors) {
        if !descriptors.contains(d) {
            descriptors.push(d.clone());
        }
    }
    Part2Read {
        part2: Some(Part2 {
            marking: primary.clone(),
            exemptions,
            descriptors,
        }),
        pieces,
        reasons,
        warnings,
    }
}

/// A footnote's text that is the web address of a public body's published page and nothing
/// else (`² <https://www.london.gov.uk/…>`), as a Part 1 note citing a published source is
/// written: an allow-list of the hosts of published policy and law (City Hall, GOV.UK,
/// legislation, the Met). Not every host under `gov.uk`: a tender notice on Contracts Finder
/// or Find a Tender is what a Part 2 note cites.
static ADDRESS_ONLY: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(
        r"(?i)^<?https://(www\.)?(london\.gov\.uk|gov\.uk|legislation\.gov\.uk|met\.police\.uk)(?P<path>/[A-Za-z0-9._~/-]*)?>?$",
    )
    .expect("a valid pattern")
});

/// [footnote-before-marking] A paragraph between the banner and the marking kept as Part 1's
/// footnote (Part 1 cites its marker, in sequence) whose text is more than a web address:
/// the tool cannot tell a Part 1 note that the page layout put under the banner from Part 2's
/// text that opens with the same marker, and publishes neither. A note that is only the
/// address of a public body's page (a source cited, as MOPAC's published reports show) is
/// kept.
fn footnote_before_marking(r: &Report<'_>, preamble: &Preamble, withheld: &str) -> Option<Reason> {
    // Words of the address's path that the withheld part also uses: the address may carry
    // none of them ("…/harrowgate-systems-preferred-bidder"). It carries no query or fragment
    // at all (the pattern allows only a path).
    // Words of three letters or more, but for the few that join others in any text.
    const JOINING: [&str; 14] = [
        "and", "the", "for", "with", "from", "what", "this", "that", "are", "was", "has", "have",
        "its", "our",
    ];
    let words = |text: &str| -> std::collections::HashSet<String> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 3)
            .map(str::to_lowercase)
            .filter(|w| !JOINING.contains(&w.as_str()))
            .collect()
    };
    let address_only = |note: &str| {
        ADDRESS_ONLY.captures(note).is_some_and(|c| {
            let path = c.name("path").map_or("", |m| m.as_str());
            words(path).is_disjoint(&words(withheld))
        })
    };
    preamble.footnotes.iter().find_map(|&(at, kept)| {
        let seg = r.segments.iter().find(|s| s.range.start == at)?;
        let text = seg.text.trim();
        let marker = r.config.document.footnote.find(text)?;
        let note = text[marker.end()..].trim();
        (kept && !address_only(note)).then(|| {
            Reason::new(
                Code::FootnoteBeforeMarking,
                r.lines.line(at),
                "a footnote's text between the Part 2 banner and the marking, its marker cited in Part 1: \
                 the tool cannot tell Part 1's note, put there by the page layout, from Part 2's text",
            )
        })
    })
}

/// [unknown-descriptor] The marking under the banner has a descriptor the configuration
/// does not list.
fn unknown_descriptor_under_banner(r: &Report<'_>, preamble: &Preamble) -> Option<Reason> {
    preamble.unknown_descriptor_at.map(|at| {
        let text = r
            .segments
            .iter()
            .position(|s| s.range.start == at)
            .map_or("", |i| r.whole(i));
        Reason::new(
            Code::UnknownDescriptor,
            r.lines.line(at),
            crate::marking::unknown_word_message(
                text,
                r.config,
                "the Part 2 marking has a descriptor that markings.yaml does not list",
            ),
        )
    })
}

/// The sensitive markings of the withheld part (from segment `rest` on), line by line in
/// order, and a reason for each marking there that cannot be read.
fn withheld_markings(r: &Report<'_>, rest: usize) -> (Vec<Marking>, Vec<Reason>) {
    let mut markings = Vec::new();
    let mut reasons = Vec::new();
    for i in (rest..r.segments.len()).filter(|&i| r.segments[i].kind != Kind::Gap) {
        for line in &r.folded[i].lines {
            match marking::parse(line, r.config) {
                Some(Ok(m)) if m.sensitive => markings.push(m),
                Some(Err(e)) => reasons.extend(unknown_descriptor_in_part2(r, i, line, &e)),
                _ => {}
            }
        }
    }
    (markings, reasons)
}

/// [unknown-descriptor] A marking in Part 2 (a line in capitals, as markings are written)
/// has a descriptor the configuration does not list.
fn unknown_descriptor_in_part2(
    r: &Report<'_>,
    i: usize,
    line: &str,
    error: &MarkingError,
) -> Option<Reason> {
    let unknown =
        matches!(error, MarkingError::UnknownDescriptor) && !line.chars().any(char::is_lowercase);
    unknown.then(|| {
        Reason::new(
            Code::UnknownDescriptor,
            line_at(r.src, &r.segments[i], r.lines, |l| l == line),
            crate::marking::unknown_word_message(
                line,
                r.config,
                "a marking in Part 2 has a descriptor that markings.yaml does not list",
            ),
        )
    })
}

/// [no-part2-marking] The marking statement is not followed by a marking.
fn statement_without_marking(preamble: &Preamble, banner_line: usize) -> Option<Reason> {
    let missing = preamble.statement
        && preamble.marking_at.is_none()
        && preamble.unknown_descriptor_at.is_none();
    missing.then(|| {
        Reason::new(
            Code::NoPart2Marking,
            banner_line,
            "the marking statement is not followed by a marking",
        )
    })
}

/// The configured default marking, for a Part 2 that carries none.
fn default_marking(config: &Classifications) -> Option<Marking> {
    let default = config.markings.default_marking.as_deref()?;
    marking::parse(&fold(default), config)?.ok()
}

/// [no-part2-marking] Part 2 carries no marking and there is no default (unless a marking
/// was there but could not be read, which has its own reason).
fn no_part2_marking(preamble: &Preamble, banner_line: usize) -> Option<Reason> {
    preamble.unknown_descriptor_at.is_none().then(|| {
        Reason::new(
            Code::NoPart2Marking,
            banner_line,
            "Part 2 carries no security marking and markings.yaml sets no default_marking",
        )
    })
}

/// The exemptions the markings' descriptors cite, in the order the descriptors first
/// appear, and a reason for each descriptor that cites none.
fn exemptions(
    r: &Report<'_>,
    markings: &[Marking],
    preamble: &Preamble,
    banner_line: usize,
) -> (Vec<Exemption>, Vec<Reason>) {
    let config = r.config;
    let mut exemptions: Vec<Exemption> = Vec::new();
    let mut reasons = Vec::new();
    for d in markings.iter().flat_map(|m| &m.descriptors) {
        let cited = config
            .markings
            .descriptors
            .iter()
            .find(|t| &t.id == d)
            .and_then(|t| t.exemption.as_deref())
            .and_then(|id| config.exemptions.get(id));
        match cited {
            Some(e) if !exemptions.contains(e) => exemptions.push(e.clone()),
            Some(_) => {}
            None => reasons.push(descriptor_without_exemption(banner_line)),
        }
    }
    if exemptions.is_empty() {
        let fallback = config
            .markings
            .no_descriptor_exemption
            .as_deref()
            .and_then(|id| config.exemptions.get(id));
        match fallback {
            Some(e) => exemptions.push(e.clone()),
            None => reasons.push(nothing_to_cite(r, preamble, banner_line)),
        }
    }
    (exemptions, reasons)
}

/// [no-exemption] A Part 2 descriptor cites no configured exemption.
fn descriptor_without_exemption(banner_line: usize) -> Reason {
    Reason::new(
        Code::NoExemption,
        banner_line,
        "a Part 2 descriptor has no configured exemption",
    )
}

/// [no-exemption] The Part 2 marking has no descriptor and no exemption is configured for
/// that case.
fn nothing_to_cite(r: &Report<'_>, preamble: &Preamble, banner_line: usize) -> Reason {
    Reason::new(
        Code::NoExemption,
        preamble
            .marking_at
            .map_or(banner_line, |at| r.lines.line(at)),
        "the Part 2 marking has no descriptor, so no exemption can be cited",
    )
}

// ---- phase 4: the title ----

/// Where the report's title comes from.
struct Title {
    /// The cover's title block.
    segment: Option<usize>,
    /// The front matter's title, or the title block's text.
    text: Option<String>,
}

/// Finds the title: the front matter's, or the cover's title block (the cover is what
/// stands before the public-part banner).
fn title_phase(
    r: &Report<'_>,
    front: Option<&FrontMatter>,
    body_start: usize,
    public_banner: Option<usize>,
) -> Title {
    let cover = body_start..public_banner.unwrap_or(body_start);
    let segment = cover_title(&r.segments[cover], r.config).map(|i| i + body_start);
    let text = front
        .and_then(|f| f.title.clone())
        .or_else(|| segment.map(|i| title_text(&r.segments[i])));
    Title { segment, text }
}

/// [markup-in-title] The title is written into the exemption notice, which is Markdown and
/// becomes HTML on the page, and into the front matter the release keeps: a title that
/// holds what Markdown or HTML reads as markup (a tag, a link, code, an escape, a character
/// reference) would be published as markup, its attributes unseen. Refused rather than
/// escaped, since the Markdown release carries the title as written.
fn markup_in_title(r: &Report<'_>, title: &Title, fm: Option<&FrontMatter>) -> Option<Reason> {
    let text = title.text.as_deref()?;
    if !front_matter::has_markup(text) {
        return None;
    }
    let line = match fm.filter(|f| f.title.is_some()) {
        Some(f) => f.line_of("title"),
        None => title.segment.map_or(1, |i| r.line_of(i)),
    };
    Some(Reason::new(
        Code::MarkupInTitle,
        line,
        "the title holds characters read as markup (< > [ ] ` \\ or a character reference)",
    ))
}

/// [no-title] The exemption notice needs the report's title, and there is none.
fn no_title(has_part2: bool, title: Option<&str>) -> Option<Reason> {
    (has_part2 && title.is_none()).then(|| {
        Reason::new(
            Code::NoTitle,
            1,
            "the exemption notice needs the report's title, and none was found",
        )
    })
}

// ---- rules over the pieces ----

/// How deep raw HTML may nest in the public part.
const MAX_HTML_DEPTH: usize = 256;

/// [too-complex] Raw HTML nested hundreds deep is no report, and the sanitiser's time grows
/// with the square of the depth: refuse it rather than stall an unattended run.
fn nested_too_deep(r: &Report<'_>, pieces: &[Piece]) -> Option<Reason> {
    let public_end = pieces
        .iter()
        .filter(|p| p.role.is_kept())
        .map(|p| p.range.end)
        .max()
        .unwrap_or(0);
    let at = html::too_deep(&r.src[..public_end], MAX_HTML_DEPTH)?;
    Some(Reason::new(
        Code::TooComplex,
        r.lines.line(at),
        format!("raw HTML nested more than {MAX_HTML_DEPTH} elements deep"),
    ))
}

/// [hidden-content] Nothing published may be hidden: a comment or hidden HTML is text no
/// reader sees, and so is a link's or an image's title, or a code block's info string
/// beyond one language word.
fn hidden_text(r: &Report<'_>, piece: &Piece) -> Option<Reason> {
    if !piece.role.is_kept() {
        return None;
    }
    let seg = &r.segments[piece.segment?];
    let html = seg
        .hidden
        .first()
        .map(|h| (h.start, "an HTML comment, or HTML that hides its content"));
    let (at, what) = html.into_iter().chain(seg.unseen.iter().copied()).min()?;
    Some(Reason::new(
        Code::HiddenContent,
        r.lines.line(at),
        format!("hidden text in the public part ({what}): it is never published"),
    ))
}

/// [hidden-content] Characters that render as nothing (zero-width characters, direction
/// marks, Unicode tag characters) may spell text in everything published that no reader
/// sees: none may stand there. A soft hyphen, which Word writes and a browser shows at a line
/// break, is the one allowed.
fn invisible_characters(r: &Report<'_>, piece: &Piece) -> Option<Reason> {
    if !piece.role.is_kept() {
        return None;
    }
    let text = &r.src[piece.range.clone()];
    // No ASCII character is invisible: the text is read from one character outside ASCII to
    // the next, found a byte at a time.
    let mut from = 0;
    let at = loop {
        let at = from + text.as_bytes()[from..].iter().position(|b| !b.is_ascii())?;
        let c = text[at..].chars().next()?;
        if c != '\u{00AD}' && crate::normalize::is_invisible(c) {
            break at;
        }
        from = at + c.len_utf8();
    };
    Some(Reason::new(
        Code::HiddenContent,
        r.lines.line(piece.range.start + at),
        "a character that renders as nothing (zero-width, direction mark, tag character) in the published part: it can spell text no reader sees",
    ))
}

/// [html-not-allowed] Everything published (the cover, Part 1, the banner, the statement
/// and the marking) may hold raw HTML only from the allow-list (see [`html::ALLOWED_TAGS`]
/// and [`html::Token::not_allowed`]): anything else may carry text the page does not show
/// as text.
fn html_not_allowed(r: &Report<'_>, piece: &Piece, markup: &[Range<usize>]) -> Option<Reason> {
    if !piece.role.is_kept() {
        return None;
    }
    let (at, what) = r.segments[piece.segment?]
        .not_allowed
        .iter()
        .find(|(at, _)| !markup.iter().any(|m| m.contains(at)))?;
    Some(Reason::new(
        Code::HtmlNotAllowed,
        r.lines.line(*at),
        format!(
            "raw HTML outside the allow-list in the public part: {what}{}",
            converter_html(r.src, *at)
        ),
    ))
}

/// What a converter's own HTML at `at` says of the route that wrote it: LibreOffice's HTML
/// export (read through pandoc) writes a page's running header and footer as
/// `<div title="header">` and a footnote reference as an anchor `sdfootnote…` with an id.
/// Only the tool's own words are added, never the report's.
fn converter_html(src: &str, at: usize) -> &'static str {
    let tag = src.get(at..).map_or("", |rest| {
        let end = rest.find('>').map_or(rest.len(), |i| i + 1);
        &rest[..end.min(200)]
    });
    if tag.starts_with("<div title=\"header\"") || tag.starts_with("<div title=\"footer\"") {
        "; LibreOffice's HTML export writes the page's running header and footer so: convert \
         the .docx with pandoc -t markdown --reference-location=block, or give the .docx itself"
    } else if tag.contains("sdfootnote") {
        "; LibreOffice's HTML export writes a footnote reference so, and every footnote at the \
         end of the document: convert the .docx with pandoc -t markdown \
         --reference-location=block, or give the .docx itself"
    } else {
        ""
    }
}

/// [hidden-content] A link reference definition is shown only where a link uses it, and its
/// title not at all: one in the public part that gives a title, or that no published link
/// uses (nor a withheld one, which takes it out of the release with it), and any other line
/// among the definitions (a second definition of a label, which nothing can use), is text
/// no reader sees.
fn unseen_definitions(r: &Report<'_>, pieces: &[Piece]) -> Vec<Reason> {
    use std::collections::HashSet;
    let mut public: HashSet<&str> = HashSet::new();
    let mut withheld: HashSet<&str> = HashSet::new();
    for p in pieces {
        let Some(i) = p.segment else { continue };
        let refs = r.segments[i].refs.iter().map(String::as_str);
        match p.role {
            Role::Withheld => withheld.extend(refs),
            role if role.is_kept() => public.extend(refs),
            _ => {}
        }
    }
    let mut reasons = Vec::new();
    for p in pieces.iter().filter(|p| p.role.is_kept()) {
        let Some(seg) = p.segment.map(|i| &r.segments[i]) else {
            continue;
        };
        // Only a definition among the gaps goes with the withheld text that uses it.
        let unused = seg.definitions.iter().find(|d| {
            let used = public.contains(d.label.as_str());
            let orphaned = seg.kind == Kind::Gap && !used && withheld.contains(d.label.as_str());
            !orphaned && (d.titled || !used)
        });
        let stray = (seg.kind == Kind::Gap)
            .then(|| stray_line(r.src, seg))
            .flatten();
        if let Some(at) = unused.map(|d| d.range.start).into_iter().chain(stray).min() {
            reasons.push(Reason::new(
                Code::HiddenContent,
                r.lines.line(at),
                "a link reference definition that gives a title, or that no published link uses: it is never shown",
            ));
        }
    }
    reasons
}

/// The first line of a gap that is neither blank nor part of a definition the parser read.
fn stray_line(src: &str, seg: &Segment) -> Option<usize> {
    let mut at = seg.range.start;
    for line in src[seg.range.clone()].split_inclusive('\n') {
        let start = at;
        at += line.len();
        let read = seg
            .definitions
            .iter()
            .any(|d| d.range.start < at && start < d.range.end.max(d.range.start + 1));
        if !line.trim().is_empty() && !read {
            return Some(start);
        }
    }
    None
}

/// [sensitive-marking-in-public] Nothing published may carry a sensitive marking, but the
/// marking under the banner (and the statement introducing it).
fn marking_in_public(r: &Report<'_>, piece: &Piece) -> Option<Reason> {
    if !matches!(
        piece.role,
        Role::Public | Role::Part2Banner | Role::Preamble
    ) {
        return None;
    }
    let raw = &r.src[piece.range.clone()];
    if piece.role == Role::Preamble && r.config.banners.marking_statement.is_match(&fold(raw)) {
        return None;
    }
    let text_marked = piece.segment.is_some_and(|i| marked(r.whole(i), r.config));
    // Each line folded once for both readings.
    // A line is read as written and with its footnote markers taken out
    // ("OFFICIAL¹-SENSITIVE", "SE[1]CRET").
    let line_marked = |line: &str| {
        let folded = fold(line);
        let read = |folded: &str| marked(folded, r.config) || folded_line_marking(folded, r.config);
        // Fast path, exact: a line with no marker is its own marker-free reading
        // (`without_markers` gives it back as it is), so `bare` would be `folded`. Nothing
        // narrower: the sensitive tiers are the configuration's, so no list of the words a
        // marking is made of can say which lines a marker-free reading may change.
        let may_differ_bare = || normalize::may_hold_markers(line);
        read(&folded)
            || (may_differ_bare() && {
                let bare = fold(&normalize::without_markers(line));
                bare != folded && read(&bare)
            })
            || {
                // A line set out in columns (`pdftotext -layout`: "RESTRICTED      Page 2 of
                // 3"): each column is read as a line of its own. A line with no run of two
                // spaces and no tab is one cell at most, which `cells` would give back as
                // nothing to read: it is not cut.
                may_hold_cells(line) && {
                    let cells = cells(line);
                    cells.len() > 1 && cells.iter().any(|c| read(&fold(c)))
                }
            }
    };
    if !text_marked && !raw.split_inclusive('\n').any(line_marked) {
        return None;
    }
    let mut at = piece.range.start;
    for line in raw.split_inclusive('\n') {
        if line_marked(line) {
            break;
        }
        at += line.len();
    }
    if at >= piece.range.end {
        at = piece.range.start;
    }
    let furniture = piece
        .segment
        .is_some_and(|i| r.segments[i].kind == Kind::Furniture);
    Some(Reason::new(
        Code::SensitiveMarkingInPublic,
        r.lines.line(at),
        if furniture {
            "a sensitive security marking in the running header or footer of a page of Part 1 \
             (before the page the Part 2 banner opens): the document marks that page sensitive; \
             mark Part 1's pages OFFICIAL – PUBLIC, or start Part 2 on a page of its own"
        } else {
            "a sensitive security marking in the public part (no Part 2 banner before it)"
        },
    ))
}

/// [sensitive-marking-in-public] In text from a PDF, a sensitive marking that a page break
/// cuts in two ("… is OFFICIAL" / the page number / form feed / "SENSITIVE [COMMERCIAL]: …")
/// before the Part 2 banner. Furniture is read as nothing: the text on either side of each
/// page break in `within` is read as one, as a reader reads it, however the words are
/// joined (a space, or a hyphen that wraps them).
fn marking_across_page_break(r: &Report<'_>, within: Range<usize>) -> Option<Reason> {
    crate::page_furniture::across_breaks(r.src, r.segments, within)
        .into_iter()
        .find_map(|(a, b)| {
            let (before, after) = (&r.segments[a].text, &r.segments[b].text);
            let last = before.lines().next_back().unwrap_or("").trim_end();
            let first = after.lines().next().unwrap_or("").trim_start();
            let joined = format!("{before}\n{after}");
            let readings = [
                fold(&normalize::unwrap_hyphens(&joined)),
                fold_lines(&joined).join(" "),
                fold(&format!("{last}{first}")),
                fold(&format!("{last} {first}")),
            ];
            let found = readings
                .iter()
                .any(|t| marked(t, r.config) || folded_line_marking(t, r.config));
            // A marking on either side alone is the other rules' to find.
            let alone = marked(r.whole(a), r.config) || marked(r.whole(b), r.config);
            (found && !alone).then(|| {
                let at = r.segments[a]
                    .range
                    .end
                    .saturating_sub(1)
                    .max(r.segments[a].range.start);
                Reason::new(
                    Code::SensitiveMarkingInPublic,
                    r.lines.line(at),
                    "a sensitive security marking in the public part, read across a page break \
                     (its running header or footer, page number or form feed between its words)",
                )
            })
        })
}

/// An empty bookmark as LibreOffice's HTML writes one where Word had a `_Hlk` bookmark.
static EMPTY_BOOKMARK: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r#"<span id="_Hlk[0-9]{1,12}"></span>"#).expect("a valid pattern")
});

/// A span setting normal weight around text only, as LibreOffice's HTML writes a run that is
/// not bold in a bold paragraph.
static NORMAL_WEIGHT: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    regex::Regex::new(r#"<span style="font-weight: ?normal;?">([^<]*)</span>"#)
        .expect("a valid pattern")
});

/// The byte ranges of markup with no text of its own on the Part 2 banner, the marking
/// statement and the marking, exactly as converters write it and nothing else (an
/// allow-list): an empty `<span id="_Hlk…"></span>` bookmark, and the tags of a
/// `<span style="font-weight: normal">` around text (the text is kept). Each is cut out of
/// its line, so nothing of it reaches an output, and the line is read as its plain text.
fn markup_without_text(r: &Report<'_>, pieces: &[Piece]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for piece in pieces.iter().filter(|p| read_as_text(r, p)) {
        let text = &r.src[piece.range.clone()];
        let at = piece.range.start;
        for m in EMPTY_BOOKMARK.find_iter(text) {
            out.push(at + m.start()..at + m.end());
        }
        for caps in NORMAL_WEIGHT.captures_iter(text) {
            let (Some(whole), Some(inner)) = (caps.get(0), caps.get(1)) else {
                continue;
            };
            out.push(at + whole.start()..at + inner.start());
            out.push(at + inner.end()..at + whole.end());
        }
    }
    out.sort_by_key(|r| r.start);
    out
}

/// The pieces with each of `markup` cut out of the piece it stands in, as a piece of its own.
fn without_markup_pieces(pieces: Vec<Piece>, markup: &[Range<usize>]) -> Vec<Piece> {
    if markup.is_empty() {
        return pieces;
    }
    let mut out = Vec::with_capacity(pieces.len() + 2 * markup.len());
    for piece in pieces {
        let inside: Vec<&Range<usize>> = markup
            .iter()
            .filter(|m| piece.range.start <= m.start && m.end <= piece.range.end)
            .collect();
        if inside.is_empty() {
            out.push(piece);
            continue;
        }
        let mut from = piece.range.start;
        for m in inside {
            if from < m.start {
                out.push(Piece {
                    range: from..m.start,
                    ..piece.clone()
                });
            }
            out.push(Piece {
                range: m.clone(),
                role: Role::Markup,
                segment: piece.segment,
            });
            from = m.end;
        }
        if from < piece.range.end {
            out.push(Piece {
                range: from..piece.range.end,
                ..piece
            });
        }
    }
    out
}

/// False when [`cells`] surely finds at most one column in `line`: it has no run of two
/// spaces and no tab to cut it at.
fn may_hold_cells(line: &str) -> bool {
    line.contains("  ") || line.contains('\t')
}

/// The columns of a line set out with runs of spaces or tabs (two or more), trimmed.
fn cells(line: &str) -> Vec<&str> {
    line.split("  ")
        .flat_map(|c| c.split('\t'))
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect()
}

/// [sensitive-marking-in-public] In text from a PDF (it holds form feeds), a page's running
/// header or footer is the line a page starts or ends with; a marking there marks the page,
/// in whatever case the extraction wrote it ("Secret", "Restricted" from small capitals) and
/// beside a page number or title ("RESTRICTED      Page 2 of 3"). Each column of such a line
/// is read in capitals as a line of its own; one that is a sensitive marking, before the
/// Part 2 banner, refuses the report.
fn page_edge_marking(r: &Report<'_>, pieces: &[Piece]) -> Option<Reason> {
    if !r.src.contains('\u{c}') {
        return None;
    }
    let banner = pieces
        .iter()
        .find(|p| p.role == Role::Part2Banner)
        .map_or(r.src.len(), |p| p.range.start);
    // The running header of the page the banner opens (nothing but it between the page's
    // form feed and the banner) marks the withheld part's page, not Part 1's.
    let limit = match r.src[..banner].rfind('\u{c}') {
        Some(ff)
            if r.src[ff + 1..banner]
                .lines()
                .filter(|l| !l.trim().is_empty())
                .count()
                <= 1 =>
        {
            ff
        }
        _ => banner,
    };
    let marked_cell = |line: &str| {
        cells(line).iter().any(|cell| {
            let upper = fold(&normalize::without_markers(cell)).to_uppercase();
            marked(&upper, r.config) || folded_line_marking(&upper, r.config)
        })
    };
    for (at, line) in page_edges(r.src) {
        if at < limit && marked_cell(line) {
            return Some(Reason::new(
                Code::SensitiveMarkingInPublic,
                r.lines.line(at),
                "a sensitive security marking in the running header or footer of a page of \
                 Part 1 (before the page the Part 2 banner opens): the document marks that \
                 page sensitive; mark Part 1's pages OFFICIAL – PUBLIC, or start Part 2 on a \
                 page of its own",
            ));
        }
    }
    None
}

/// The lines at the edges of the pages of `src` (split at form feeds): each page's first and
/// last lines with text, with where they start.
fn page_edges(src: &str) -> Vec<(usize, &str)> {
    let mut edges = Vec::new();
    let mut start = 0;
    for page in src.split('\u{c}') {
        let lines: Vec<(usize, &str)> = page
            .split_inclusive('\n')
            .scan(start, |at, line| {
                let here = *at;
                *at += line.len();
                Some((here, line))
            })
            .filter(|(_, l)| !l.trim().is_empty())
            .collect();
        edges.extend(lines.first().copied());
        if lines.len() > 1 {
            edges.extend(lines.last().copied());
        }
        start += page.len() + 1;
    }
    edges
}

/// [hidden-content] The Part 2 banner, the marking statement and the marking are published
/// as plain text only: paragraphs, headings or block quotes of words, emphasis at most. Any
/// other markup there (raw HTML whatever its attributes, a link or image, a reference label
/// a definition anywhere resolves, code and its info string, a list, a table, a footnote
/// reference, heading attributes) could carry text of its own that the classifier does not
/// read: refused, by what is allowed rather than by what is not.
fn not_plain_text(r: &Report<'_>, pieces: &[Piece], markup: &[Range<usize>]) -> Vec<Reason> {
    let checked: Vec<Range<usize>> = pieces
        .iter()
        .filter(|p| read_as_text(r, p))
        .map(|p| p.range.clone())
        .collect();
    if checked.is_empty() {
        return Vec::new();
    }
    let mut faults: Vec<usize> = Vec::new();
    let pdf_text = crate::page_furniture::is_pdf_text(r.src);
    for (event, range) in crate::markdown::parser(r.src).into_offset_iter() {
        let Some(block) = checked.iter().position(|c| c.contains(&range.start)) else {
            continue;
        };
        // In text from a PDF an indented code block is indentation, read as its text.
        let indentation = pdf_text
            && matches!(
                event,
                pulldown_cmark::Event::Start(pulldown_cmark::Tag::CodeBlock(
                    pulldown_cmark::CodeBlockKind::Indented
                )) | pulldown_cmark::Event::End(pulldown_cmark::TagEnd::CodeBlock)
            );
        let cut_out = markup.iter().any(|m| m.contains(&range.start));
        if !plain(&event)
            && !indentation
            && !cut_out
            && !faults.iter().any(|&f| checked[block].contains(&f))
        {
            faults.push(range.start);
        }
    }
    faults
        .into_iter()
        .map(|at| {
            Reason::new(
                Code::HiddenContent,
                r.lines.line(at),
                "markup in the Part 2 banner, the marking statement or the marking: they are published as plain text only (emphasis at most)",
            )
        })
        .collect()
}

/// [image-not-in-release] A release holds the reports' pages and nothing else, so an image
/// of the public part is published only from an address of its own (`https://…`): one
/// relative to the report would show broken, and the tool copies no file beside a report.
fn images_outside_release(r: &Report<'_>, pieces: &[Piece]) -> Vec<Reason> {
    use pulldown_cmark::{Event, Tag};
    if !r.src.contains("![") {
        return Vec::new();
    }
    let kept: Vec<Range<usize>> = pieces
        .iter()
        .filter(|p| p.role.is_kept())
        .map(|p| p.range.clone())
        .collect();
    let mut reasons: Vec<Reason> = Vec::new();
    for (event, range) in crate::markdown::parser(r.src).into_offset_iter() {
        if let Event::Start(Tag::Image { dest_url, .. }) = event
            && kept.iter().any(|k| k.contains(&range.start))
            && relative(&dest_url)
        {
            let line = r.lines.line(range.start);
            if !reasons.iter().any(|x| x.line == line) {
                reasons.push(Reason::new(
                    Code::ImageNotInRelease,
                    line,
                    "an image with an address relative to the report: the release does not hold it",
                ));
            }
        }
    }
    reasons
}

/// True for an address with no scheme and no host of its own: relative to the report.
/// (An address with a scheme is published or dropped by the renderer's scheme rule.)
fn relative(url: &str) -> bool {
    let url = url.trim();
    let scheme = url.split_once(':').is_some_and(|(s, _)| {
        s.starts_with(|c: char| c.is_ascii_alphabetic())
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
    });
    !scheme && !url.starts_with("//")
}

/// True for the pieces published as plain text: the banner, the marking, and the statement
/// introducing the marking, read as the classifier read it.
fn read_as_text(r: &Report<'_>, piece: &Piece) -> bool {
    match piece.role {
        Role::Part2Banner | Role::Marking => true,
        Role::Preamble => piece
            .segment
            .is_some_and(|i| r.config.banners.marking_statement.is_match(r.whole(i))),
        _ => false,
    }
}

/// The events plain text is made of.
fn plain(event: &pulldown_cmark::Event<'_>) -> bool {
    use pulldown_cmark::{Event, Tag, TagEnd};
    match event {
        Event::Text(_) | Event::SoftBreak | Event::HardBreak => true,
        Event::Start(Tag::Heading {
            id, classes, attrs, ..
        }) => id.is_none() && classes.is_empty() && attrs.is_empty(),
        Event::Start(Tag::Paragraph | Tag::BlockQuote(None) | Tag::Emphasis | Tag::Strong) => true,
        Event::End(
            TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::BlockQuote(None)
            | TagEnd::Emphasis
            | TagEnd::Strong,
        ) => true,
        _ => false,
    }
}

/// [restricted-tell-without-part2] A report with no recognised Part 2 is published whole:
/// a word that says part of it is restricted (banners.yaml `restricted.without_part2`),
/// anywhere in what would be published, markup included, quarantines it. Only the tell's
/// configured id is named: messages never quote a report.
///
/// In Part 1 of a report with a recognised Part 2 (`in_part1`), running text refers to the
/// withheld part ("set out in the restricted section", "Part 2 of this Report is exempt
/// from publication", "the advice is legally privileged", "are not published"): there only
/// the tells that say the text itself is restricted count (see [`part1_tell`]);
/// `part2_name` is then the name the recognised banner gives the part ([`part_name`]).
///
/// `prepared` is the piece's text as [`normalize::prepared`] gives it.
fn restricted_tell(
    r: &Report<'_>,
    piece: &Piece,
    prepared: &str,
    part2_name: Option<&str>,
) -> Option<Reason> {
    if !piece.role.is_kept() {
        return None;
    }
    let banners = &r.config.banners;
    let public = |text: String| {
        banners.public_phrases.iter().fold(text, |t, re| {
            // A text without the phrase is kept as it is, not copied.
            let replaced = match re.replace_all(&t, " ") {
                std::borrow::Cow::Owned(o) => Some(o),
                std::borrow::Cow::Borrowed(_) => None,
            };
            replaced.unwrap_or(t)
        })
    };
    // `text` read as `reading` gives it.
    let tell = |text: String| {
        let text = public(text);
        // One pass of the tells' union clears a text that holds none of them (nearly all
        // do): a tell is found, and `part1_tell` asked, only where its own pattern matches,
        // which the union then does too.
        if banners
            .without_part2_any
            .as_ref()
            .is_some_and(|any| !any.is_match(&text))
        {
            return None;
        }
        banners.without_part2.iter().find(|t| {
            if let Some(name) = part2_name {
                t.regex
                    .find_iter(&text)
                    .any(|m| part1_tell(&t.id, name, &text[..m.start()], m.as_str()))
            } else {
                t.regex.is_match(&text)
            }
        })
    };
    let raw = &r.src[piece.range.clone()];
    // The block is read as a whole (a tell broken across lines is found there); only when it
    // holds one is it read line by line, to name the line.
    // `reading(raw)` is `reading_prepared(prepared)`: the piece's first step, made once.
    let block = tell(normalize::reading_prepared(prepared))?;
    let mut at = piece.range.start;
    let mut found = None;
    for line in raw.split_inclusive('\n') {
        if let Some(t) = tell(reading(line)) {
            found = Some((at, t));
            break;
        }
        at += line.len();
    }
    let (at, t) = found.unwrap_or((piece.range.start, block));
    Some(Reason::new(
        Code::RestrictedTellWithoutPart2,
        r.lines.line(at),
        if part2_name.is_some() {
            format!(
                "\"{}\" in Part 1, before the recognised Part 2 banner: the tool cannot tell a restricted part it does not recognise from running text",
                t.id
            )
        } else {
            format!(
                "\"{}\" in a report with no recognised Part 2 banner: the tool cannot tell a restricted part it does not recognise from running text",
                t.id
            )
        },
    ))
}

/// The name a part goes by, from text read as [`reading`] gives it that opens with it ("Part
/// 2 – This section …", "PART B – EXEMPT INFORMATION"): its first two words, lower case,
/// letters and digits only, a part's number written as a word or a Roman numeral as its
/// digit ("part2", "partb").
fn part_name(text: &str) -> String {
    let words: Vec<String> = text
        .split_whitespace()
        .take(2)
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric())
                .collect::<String>()
                .to_lowercase()
        })
        .collect();
    let number = match words.get(1).map(String::as_str) {
        Some("two" | "ii") => "2".to_owned(),
        Some("one" | "i") => "1".to_owned(),
        Some(other) => other.to_owned(),
        None => String::new(),
    };
    format!("{}{number}", words.first().map_or("", String::as_str))
}

/// Whether a tell (`id`, matched as `hit` after `before`, in text read as
/// [`reading`] gives it) says that Part 1 text itself is restricted, in a report whose
/// recognised Part 2 banner calls the part `part2_name` ([`part_name`]). Part 1 names that
/// part ("Part 2", "Part II") and says it is restricted, exempt, privileged or sensitive, or
/// that details are not published; it never names another restricted part ("Part 2A",
/// "Part B", "Schedule 12A"), calls its own text confidential, commercial in confidence or
/// not for publication, or writes a marking's words.
fn part1_tell(id: &str, part2_name: &str, before: &str, hit: &str) -> bool {
    if part_name(hit) == part2_name {
        return false;
    }
    let capitals = hit.trim_start().starts_with("NOT");
    let hit = hit.trim().to_lowercase();
    let before = before.to_lowercase();
    let line_start = before.trim().is_empty() || before.ends_with('\n');
    match id {
        // What Part 1 says of Part 2.
        "restricted" | "sensitive" | "exempt" | "privileged" => false,
        // "Commercial in confidence", or on a line of its own; not "the right to speak to a
        // lawyer in confidence".
        "in confidence" => {
            let word = before.split_whitespace().next_back().unwrap_or("");
            line_start
                || [
                    "commercial",
                    "commercially",
                    "staff",
                    "management",
                    "medical",
                ]
                .contains(&word)
        }
        // Not suitable, intended or to be "for publication" said of the text itself: as a
        // heading or marking (on a line of its own or in capitals), or of "this section",
        // "this part", "the following"; not "the prices are not suitable for publication;
        // they are set out in the restricted section", "are not published" or "withheld
        // under Article 2(2)(a)".
        "not for publication" => {
            let of_itself = [
                "this section",
                "this part",
                "this annex",
                "this appendix",
                "this page",
                "this paper",
                "this document",
                "this information",
                "this table",
                "following",
                "below",
            ]
            .iter()
            .any(|w| before.contains(w));
            hit.contains("for ")
                && hit.ends_with("publication")
                && (line_start || capitals || of_itself)
        }
        _ => true,
    }
}

/// [disguised-word] Nothing published may write a marking's words, or "Part 2", in
/// disguise (see [`normalize::disguised`]): a reader takes "0FFICIAL-5EN5ITIVE" or
/// "S E C R E T" for the marking, while the rules that read markings do not. Only the word
/// is named: messages never quote a report.
///
/// The words of a sensitive tier the configuration adds are found in disguise too (see
/// [`crate::tier_words::TierWords::disguised`]), and the tier is named; the built-in words
/// are read first, and a configuration that adds no word reads nothing more.
///
/// `prepared` is the piece's text as [`normalize::prepared`] gives it.
fn disguised_word(r: &Report<'_>, piece: &Piece, prepared: &str) -> Option<Reason> {
    if !piece.role.is_kept() {
        return None;
    }
    let raw = &r.src[piece.range.clone()];
    let tier_words = &r.config.markings.tier_words;
    // `disguised(raw)` is `disguised_prepared(prepared)`: the piece's first step, made once.
    let (message, in_line): (String, &dyn Fn(&str) -> bool) = match normalize::disguised_prepared(
        prepared,
    ) {
        Some(word) => (
            format!(
                "\"{word}\" written in disguise (look-alike characters, digits or spaced letters): a reader takes it for the word, the tool cannot read it"
            ),
            &|line| normalize::disguised(line).is_some(),
        ),
        None => (tier_disguise_message(tier_words.disguised(raw)?), &|line| {
            tier_words.disguised(line).is_some()
        }),
    };
    let mut at = piece.range.start;
    for line in raw.split_inclusive('\n') {
        if in_line(line) {
            break;
        }
        at += line.len();
    }
    if at >= piece.range.end {
        at = piece.range.start;
    }
    Some(Reason::new(Code::DisguisedWord, r.lines.line(at), message))
}

/// What [`disguised_word`] says of a word of the configuration's sensitive tier `tier`
/// written in disguise: the tier is named, the report never quoted.
fn tier_disguise_message(tier: &str) -> String {
    format!(
        "a word of the sensitive tier '{tier}' written in disguise (look-alike characters, digits, mixed case, or letters spaced out or split): a reader takes it for the marking, the tool cannot read it"
    )
}

/// [sensitive-marking-in-public] or [disguised-word] A report's release name (its path
/// stem, "2025/pcd-1519-bids"): it is published as the page's file name, its address and
/// its entry in the index, so it may hold no sensitive marking ("SECRET-bids",
/// "official_sensitive_annex") and no guarded word in disguise ("S.E.C.R.E.T-bids", and
/// "C.L.A.S.S.I.F.I.E.D-bids" when the configuration adds a tier CLASSIFIED), read as
/// published text is read, with the separators a file name uses for spaces (`_`, `.`) read
/// as spaces too. The reason has no line (line 0: the name is no line of the report) and
/// never quotes the name. `None` when the name is clear.
pub fn refused_name(stem: &str, config: &Classifications) -> Option<Reason> {
    let spaced: String = stem
        .chars()
        .map(|c| if matches!(c, '_' | '.') { ' ' } else { c })
        .collect();
    let readings = [stem, spaced.as_str()];
    if readings
        .iter()
        .any(|r| !config.sensitive_markings(&normalize::fold(r)).is_empty())
    {
        return Some(Reason::new(
            Code::SensitiveMarkingInPublic,
            0,
            "a sensitive security marking in the report's file name, which the release publishes",
        ));
    }
    if let Some(word) = readings.iter().find_map(|r| normalize::disguised(r)) {
        return Some(Reason::new(
            Code::DisguisedWord,
            0,
            format!(
                "the report's file name writes \"{word}\" in disguise (look-alike characters, digits or letters spaced out): rename the file"
            ),
        ));
    }
    let tier = readings
        .iter()
        .find_map(|r| config.markings.tier_words.disguised(r))?;
    Some(Reason::new(
        Code::DisguisedWord,
        0,
        format!("the report's file name: {}", tier_disguise_message(tier)),
    ))
}

/// The reasons in order, one per line and code. Without a public-part banner there is no
/// cover to find the title in, so its absence is no reason of its own.
fn tidy(mut reasons: Vec<Reason>) -> Vec<Reason> {
    reasons.sort();
    reasons.dedup_by(|a, b| a.line == b.line && a.code == b.code);
    if reasons.iter().any(|r| r.code == Code::NoPublicBanner) {
        reasons.retain(|r| r.code != Code::NoTitle);
    }
    reasons
}

struct Preamble {
    pieces: Vec<Piece>,
    /// Segments taken into the preamble.
    taken: usize,
    statement: bool,
    marking: Option<Marking>,
    marking_at: Option<usize>,
    unknown_descriptor_at: Option<usize>,
    /// Paragraphs that open with a footnote marker: where, and whether kept as Part 1's.
    footnotes: Vec<(usize, bool)>,
}

/// Reads what follows the Part 2 banner: blank lines, the marking statement, footnotes that
/// belong to Part 1, and the marking. It stops at the marking or at anything else.
fn preamble(
    src: &str,
    segments: &[Segment],
    from: usize,
    footnotes: &Footnotes,
    config: &Classifications,
) -> Preamble {
    let mut p = Preamble {
        pieces: Vec::new(),
        taken: 0,
        statement: false,
        marking: None,
        marking_at: None,
        unknown_descriptor_at: None,
        footnotes: Vec::new(),
    };
    for (i, seg) in segments.iter().enumerate().skip(from) {
        let role = match seg.kind {
            Kind::Gap => seg.is_blank(src).then_some(Role::Preamble),
            // A page break between the banner and the marking: its running header withheld
            // when it carries a sensitive marking (Part 2's page), published otherwise.
            Kind::Furniture => Some(if marked(&fold(&seg.text), config) {
                Role::Withheld
            } else {
                Role::Preamble
            }),
            Kind::Paragraph | Kind::Heading => p.read(seg, footnotes, config),
            _ => None,
        };
        let Some(role) = role else {
            p.header_as_marking(src, config);
            break;
        };
        p.pieces.push(Piece {
            range: seg.range.clone(),
            role,
            segment: Some(i),
        });
        p.taken += 1;
        if role == Role::Marking {
            break;
        }
    }
    // Blank lines read after the marking's search ended belong to what follows.
    while p.pieces.last().is_some_and(|piece| {
        piece.role == Role::Preamble && src[piece.range.clone()].trim().is_empty()
    }) && p.marking.is_none()
    {
        p.pieces.pop();
        p.taken -= 1;
    }
    p
}

impl Preamble {
    /// Under the marking statement, no marking but a sensitive marking alone on the first
    /// line of the next page, read as that page's running header: the marking, which a page
    /// break put at the top of the page. No other marking follows it before Part 2's text,
    /// so it is the only one the statement can introduce; everything after it is withheld.
    fn header_as_marking(&mut self, src: &str, config: &Classifications) {
        if !self.statement || self.marking.is_some() || self.unknown_descriptor_at.is_some() {
            return;
        }
        let Some(k) = self.pieces.iter().rposition(|p| p.role == Role::Withheld) else {
            return;
        };
        let piece = &self.pieces[k];
        let text = &src[piece.range.clone()];
        let one_line = text.trim().lines().count() == 1;
        let page_top = text
            .trim_start_matches([' ', '\t'])
            .starts_with(crate::page_furniture::FORM_FEED);
        let marking = match marking::parse(&fold(text), config) {
            Some(Ok(m)) if m.sensitive => m,
            _ => return,
        };
        if !(one_line && page_top) {
            return;
        }
        self.marking_at = Some(piece.range.start);
        self.marking = Some(marking);
        self.pieces[k].role = Role::Marking;
        self.pieces.truncate(k + 1);
        self.taken = k + 1;
    }

    /// The role of a paragraph or heading of the preamble: the marking statement (with the
    /// marking written after it, or not), a footnote of Part 1, or the marking. `None` ends
    /// the preamble.
    fn read(
        &mut self,
        seg: &Segment,
        footnotes: &Footnotes,
        config: &Classifications,
    ) -> Option<Role> {
        let folded = fold(&seg.text);
        if !self.statement
            && let Some(caps) = config.banners.marking_statement.captures(&folded)
        {
            self.statement = true;
            let inline = caps.name("marking").map_or("", |m| m.as_str()).trim();
            if inline.is_empty() {
                return Some(Role::Preamble);
            }
            return self.marking(seg, inline, config);
        }
        if let Some(kept) = footnotes.opens(&seg.text, config) {
            self.footnotes.push((seg.range.start, kept));
            // Not positively Part 1's: it is Part 2's text, and the preamble ends here.
            return kept.then_some(Role::Preamble);
        }
        self.marking(seg, &folded, config)
    }

    /// `text` of `seg` as the marking: sensitive, it is; unreadable, it ends the preamble
    /// with the place recorded.
    fn marking(&mut self, seg: &Segment, text: &str, config: &Classifications) -> Option<Role> {
        match marking::parse(text, config) {
            Some(Ok(m)) if m.sensitive => {
                self.marking = Some(m);
                self.marking_at = Some(seg.range.start);
                Some(Role::Marking)
            }
            Some(Err(_)) => {
                self.unknown_descriptor_at = Some(seg.range.start);
                None
            }
            _ => None,
        }
    }
}

/// Takes out of the public part the link reference and footnote definitions that only the
/// withheld part refers to: whatever they point at was meant for the restricted text.
fn without_orphans(src: &str, pieces: Vec<Piece>, segments: &[Segment]) -> Vec<Piece> {
    use std::collections::HashSet;
    let mut public: HashSet<&str> = HashSet::new();
    let mut withheld: HashSet<&str> = HashSet::new();
    for p in &pieces {
        let Some(i) = p.segment else { continue };
        let refs = segments[i].refs.iter().map(String::as_str);
        match p.role {
            Role::Withheld => withheld.extend(refs),
            r if r.is_kept() => public.extend(refs),
            _ => {}
        }
    }
    if withheld.is_empty() {
        return pieces;
    }
    let orphan = |label: &str| !public.contains(label) && withheld.contains(label);
    let definition = regex::Regex::new(r"^ {0,3}\[((?:[^\]\\]|\\.)+)\]:")
        .expect("the definition pattern compiles");
    let mut out = Vec::with_capacity(pieces.len());
    for p in pieces {
        let seg = match p.segment {
            Some(i) if p.role == Role::Public => &segments[i],
            _ => {
                out.push(p);
                continue;
            }
        };
        if seg.defines.as_deref().is_some_and(orphan) {
            out.push(Piece {
                role: Role::Orphaned,
                ..p
            });
            continue;
        }
        if seg.kind != Kind::Gap || seg.is_blank(src) {
            out.push(p);
            continue;
        }
        // A gap holds definitions, each from its "[label]:" line to the next one or a blank
        // line; the others' lines stay as they are.
        let mut at = p.range.start;
        let mut orphaned = false;
        for line in src[p.range.clone()].split_inclusive('\n') {
            if let Some(caps) = definition.captures(line) {
                orphaned = orphan(&crate::markdown::label(&caps[1]));
            } else if line.trim().is_empty() {
                orphaned = false;
            }
            let role = if orphaned {
                Role::Orphaned
            } else {
                Role::Public
            };
            match out.last_mut() {
                Some(last)
                    if last.range.end == at
                        && last.role == role
                        && last.segment.is_none()
                        && at > p.range.start =>
                {
                    last.range.end = at + line.len()
                }
                _ => out.push(Piece {
                    range: at..at + line.len(),
                    role,
                    segment: None,
                }),
            }
            at += line.len();
        }
    }
    out
}

/// The footnote markers Part 1 uses and defines, to tell a page-footer footnote of Part 1
/// that landed after the Part 2 banner from a paragraph of Part 2 that opens with a
/// superscript digit ("² The preferred bid …").
struct Footnotes {
    /// The markers Part 1 uses as references, as numbers, in order of first use.
    referenced: Vec<u32>,
    /// The markers of the footnotes Part 1 itself defines.
    defined: Vec<u32>,
    /// How many paragraphs after the banner open with each marker.
    after_banner: Vec<u32>,
}

impl Footnotes {
    /// Reads Part 1 (the segments before the banner `b`) and what follows the banner.
    fn read(r: &Report<'_>, b: usize) -> Self {
        let opening = |s: &Segment| footnote_marker(&s.text, r.config);
        let defined: Vec<u32> = r.segments[..b].iter().filter_map(opening).collect();
        let after_banner: Vec<u32> = r.segments[b + 1..].iter().filter_map(opening).collect();
        let mut referenced = Vec::new();
        for s in r.segments[..b].iter().filter(|s| opening(s).is_none()) {
            for n in footnote_references(&s.text) {
                if !referenced.contains(&n) {
                    referenced.push(n);
                }
            }
        }
        Footnotes {
            referenced,
            defined,
            after_banner,
        }
    }

    /// For a paragraph that opens with a footnote marker, whether it is positively Part 1's
    /// footnote: one line; its marker used as a reference in Part 1, the references before
    /// it numbered 1 up to it in order; defined neither in Part 1 nor again after the
    /// banner. `None` when the paragraph does not open with a marker.
    fn opens(&self, text: &str, config: &Classifications) -> Option<bool> {
        let n = footnote_marker(text, config)?;
        let in_sequence = self
            .referenced
            .iter()
            .position(|&m| m == n)
            .is_some_and(|at| self.referenced[..=at].iter().copied().eq(1..=n));
        let once = self.after_banner.iter().filter(|&&m| m == n).count() == 1;
        Some(text.trim().lines().count() == 1 && in_sequence && once && !self.defined.contains(&n))
    }
}

/// The number of the superscript marker a footnote paragraph opens with.
fn footnote_marker(text: &str, config: &Classifications) -> Option<u32> {
    let text = text.trim();
    let m = config
        .document
        .footnote
        .find(text)
        .filter(|m| m.start() == 0)?;
    superscript_number(m.as_str().trim())
}

/// The superscript digits, zero to nine.
const SUPERSCRIPT_DIGITS: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];

/// A run of superscript digits as a number.
fn superscript_number(run: &str) -> Option<u32> {
    let mut n: u32 = 0;
    for c in run.chars() {
        let d = SUPERSCRIPT_DIGITS.iter().position(|&x| x == c)?;
        n = n.checked_mul(10)?.checked_add(u32::try_from(d).ok()?)?;
    }
    (!run.is_empty()).then_some(n)
}

/// The footnote references in `text`: runs of superscript digits after a word or a closing
/// mark, in order. A superscript after a unit of measure that follows a number ("1,200 m²",
/// "40 km²") is a power, not a reference.
fn footnote_references(text: &str) -> Vec<u32> {
    // Text with no superscript digit refers to no footnote: it is not read a character at a
    // time.
    if !normalize::may_hold_superscript_digit(text) {
        return Vec::new();
    }
    // One character is a superscript number exactly when it is one of its digits.
    let is_sup = |c: char| SUPERSCRIPT_DIGITS.contains(&c);
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find(is_sup) {
        let before = &rest[..at];
        let run_len = rest[at..]
            .find(|c: char| !is_sup(c))
            .unwrap_or(rest.len() - at);
        let run = &rest[at..at + run_len];
        let mut words = before.split_whitespace().rev();
        let word = if before.ends_with(char::is_whitespace) {
            ""
        } else {
            words.next().unwrap_or("")
        };
        let unit = !word.is_empty()
            && word.chars().count() <= 3
            && word.chars().all(char::is_alphabetic)
            && words
                .next()
                .is_some_and(|w| w.chars().next().is_some_and(|c| c.is_ascii_digit()));
        if !word.is_empty() && !unit {
            out.extend(superscript_number(run));
        }
        rest = &rest[at + run_len..];
    }
    out
}

/// [footnote-after-banner] A warning for each paragraph between the banner and the marking
/// that opens with a footnote marker: the approver checks what was kept and what withheld.
fn footnote_warnings(r: &Report<'_>, preamble: &Preamble) -> Vec<Reason> {
    preamble
        .footnotes
        .iter()
        .map(|&(at, kept)| {
            let what = if kept {
                "kept as Part 1's footnote (Part 1 refers to its marker, in sequence)"
            } else {
                "withheld: it is not positively a footnote Part 1 refers to"
            };
            Reason::new(
                Code::FootnoteAfterBanner,
                r.lines.line(at),
                format!("a paragraph after the Part 2 banner opens with a footnote marker: {what}"),
            )
        })
        .collect()
}

/// The 1-based line of the first source line of `seg` that `hit` accepts once folded (markup
/// that opens a line, such as `#`, `>` or `**`, aside); the block's first line otherwise.
fn line_at(src: &str, seg: &Segment, lines: &Lines, hit: impl Fn(&str) -> bool) -> usize {
    let mut at = seg.range.start;
    for line in src[seg.range.clone()].split_inclusive('\n') {
        if hit(without_markup(&fold(line))) {
            return lines.line(at);
        }
        at += line.len();
    }
    lines.line(seg.range.start)
}

/// A folded line without what can stand before or after its words: Markdown markup
/// (`## `, `> `, `**`, `- `, `1. `), bullets and other symbols, numbering such as `(2)`, and
/// HTML markup as [`html`] reads it (tags, comments). A banner is recognised however it is
/// dressed, or the report is quarantined.
fn without_markup(line: &str) -> &str {
    // The line is read once, and only if markup may dress it: cutting it at the edge of
    // markup or inside text leaves the tokens on either side as they were.
    let read = std::cell::OnceCell::new();
    let tokens = |dressed: bool| -> &[html::Token] {
        if dressed {
            read.get_or_init(|| html::read(line))
        } else {
            &[]
        }
    };
    let mut start = 0;
    loop {
        let before = start;
        let markup = html::markup_from(tokens(line[start..].starts_with('<')), start);
        // A `<` that opens no markup is a symbol like any other.
        start = if markup == start && line[start..].starts_with('<') {
            start + 1
        } else {
            markup
        };
        let rest = line[start..].trim_start_matches(|c: char| !c.is_alphanumeric() && c != '<');
        start = line.len() - rest.len();
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits > 0 && rest[digits..].starts_with(['.', ')']) {
            start += digits + 1;
        }
        if start == before {
            break;
        }
    }
    let mut end = line.len();
    loop {
        let before = end;
        end = start + line[start..end].trim_end_matches(['*', '_', ' ']).len();
        end = html::markup_to(tokens(line[..end].ends_with('>')), end).max(start);
        if end == before {
            break;
        }
    }
    &line[start..end]
}

/// True when a source line, folded (`folded`) and read without what dresses it, is a marking of a sensitive
/// tier, readable or not: how a tier that counts only as a whole line ("RESTRICTED",
/// "Protective marking: CONFIDENTIAL") is found.
fn folded_line_marking(folded: &str, config: &Classifications) -> bool {
    config.markings.reads_as_sensitive(without_markup(folded))
}

/// True when `text` carries a sensitive marking anywhere.
/// Read as written and with its footnote markers taken out.
fn is_sensitive(text: &str, config: &Classifications) -> bool {
    marked(&fold(text), config) || marked(&fold(&normalize::without_markers(text)), config)
}

/// True when `folded` (text passed through [`fold`]) carries a sensitive marking anywhere.
fn marked(folded: &str, config: &Classifications) -> bool {
    !config.sensitive_markings(folded).is_empty()
}

/// The index in `cover` of its title block: the first that is not the letterhead or a marking.
fn cover_title(cover: &[Segment], config: &Classifications) -> Option<usize> {
    cover.iter().position(|s| {
        let lines = fold_lines(&s.text);
        matches!(s.kind, Kind::Paragraph | Kind::Heading)
            && !lines.is_empty()
            && !lines
                .iter()
                .all(|l| config.notice.title_skip.iter().any(|re| re.is_match(l)))
            && marking::parse(&fold(&s.text), config).is_none()
    })
}

/// A title block's text. The title is printed in the notice: as written, only its line
/// breaks joined.
fn title_text(seg: &Segment) -> String {
    one_line(&seg.text)
}

/// The titles a report may go by, read without classifying it: its front matter's `title`
/// and the first block that is neither letterhead nor marking. For reports that are not
/// published, so that a check can prove their titles appear nowhere in the release.
pub fn title_hints(src: &str, segments: &[Segment], config: &Classifications) -> Vec<String> {
    let mut hints = Vec::new();
    let mut body_start = 0;
    if let Some(first) = segments.first().filter(|s| s.kind == Kind::FrontMatter) {
        body_start = 1;
        if let Ok(fm) = front_matter::read(src, first.range.clone(), config)
            && let Some(title) = fm.title
        {
            hints.push(one_line(&title));
        }
    }
    let rest = &segments[body_start.min(segments.len())..];
    if let Some(i) = cover_title(rest, config) {
        hints.push(title_text(&rest[i]));
    }
    hints.retain(|h| !h.is_empty());
    hints.dedup();
    hints
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The tells' union clears exactly the texts no tell matches: every block and line of
    /// every fixture, as `restricted_tell` reads them, and each tell's own pattern.
    #[test]
    fn the_tells_union_matches_where_a_tell_does() {
        let config = Classifications::defaults().expect("the built-in classifications load");
        let banners = &config.banners;
        let any = banners
            .without_part2_any
            .as_ref()
            .expect("the built-in tells' union compiles");
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
        let mut texts: Vec<String> = banners
            .without_part2
            .iter()
            .map(|t| t.regex.as_str().to_owned())
            .collect();
        let files = std::fs::read_dir(&dir)
            .expect("the fixtures folder reads")
            .flat_map(|d| std::fs::read_dir(d.expect("an entry").path()).expect("a folder"));
        for entry in files {
            let Ok(src) = std::fs::read_to_string(entry.expect("an entry").path()) else {
                continue;
            };
            for block in src.split("\n\n") {
                texts.push(reading(block));
                texts.extend(block.lines().map(reading));
            }
        }
        let mut hits = 0;
        for text in &texts {
            let each = banners.without_part2.iter().any(|t| t.regex.is_match(text));
            assert_eq!(any.is_match(text), each, "{text:?}");
            hits += usize::from(each);
        }
        assert!(hits > 20, "the fixtures hold tells: {hits}");
    }

    #[test]
    fn a_line_with_no_double_space_nor_tab_has_one_cell_at_most() {
        let mut texts = crate::samples::Texts::new(12);
        for _ in 0..20_000 {
            let line = texts.text(12);
            if !may_hold_cells(&line) {
                assert!(cells(&line).len() <= 1, "{line:?}");
            }
        }
    }

    /// Part 1 says what Part 2 is; it never says that its own text is restricted.
    #[test]
    fn a_tell_in_part1_is_told_from_a_reference_to_part2() {
        assert!(!part1_tell("part 2", "part2", "as set out in ", "Part II"));
        assert!(!part1_tell("part 2", "part2", "", "part 2"));
        assert!(part1_tell("part 2", "part2", "", "Part 2A"));
        assert!(!part1_tell("part b", "partb", "given in ", "Part B"));
        assert!(part1_tell("part b", "part2", "", "Part B"));
        assert!(!part1_tell("restricted", "part2", "in the ", "restricted"));
        assert!(part1_tell(
            "in confidence",
            "part2",
            "bid summary commercial ",
            "in confidence"
        ));
        assert!(part1_tell("in confidence", "part2", "", "IN CONFIDENCE"));
        assert!(!part1_tell(
            "in confidence",
            "part2",
            "to speak to a lawyer ",
            "in confidence"
        ));
        assert!(part1_tell(
            "not for publication",
            "part2",
            "",
            "NOT FOR PUBLICATION"
        ));
        assert!(part1_tell(
            "not for publication",
            "part2",
            "this section refers to the details of the business case which is ",
            "not suitable for mopac publication"
        ));
        assert!(!part1_tell(
            "not for publication",
            "part2",
            "the prices tendered are ",
            "not suitable for publication"
        ));
        assert!(!part1_tell(
            "not for publication",
            "part2",
            "the names are ",
            "not published"
        ));
    }

    /// A line every report shares is no title: the letterhead written with a typographic
    /// apostrophe once made the index check find an unpublished report's "title" in every
    /// page, and the whole run stopped.
    #[test]
    fn the_letterhead_is_no_title_however_its_apostrophe_is_written() {
        let config = Classifications::defaults().unwrap();
        for letterhead in [
            "MAYOR\u{2019}S OFFICE FOR POLICING AND CRIME",
            "MAYOR'S OFFICE FOR POLICING AND CRIME",
        ] {
            let src = format!("{letterhead}\n\n# Mounted Branch Stabling Review\n\nBody.\n");
            let segments = crate::markdown::segment(&src).unwrap();
            assert_eq!(
                title_hints(&src, &segments, &config),
                ["Mounted Branch Stabling Review"],
                "{letterhead}"
            );
        }
    }

    #[test]
    fn footnote_references_are_told_from_powers() {
        assert_eq!(
            footnote_references("Plan 2022-25\u{b9} and Strategy\u{b2} nor"),
            [1, 2]
        );
        assert!(footnote_references("1,200 m\u{b2} of custody space").is_empty());
        assert!(footnote_references("40 km\u{b2}").is_empty());
    }

    #[test]
    fn a_banner_variant_names_no_one() {
        let config = Classifications::defaults().unwrap();
        let banner = |text: &str| {
            config
                .banners
                .restricted_whole
                .iter()
                .any(|b| b.regex.is_match(&fold(text)))
        };
        assert!(banner(
            "Part 2 \u{2013} This section contains legal advice and is NOT SUITABLE for MOPAC Publication."
        ));
        assert!(banner("PART II CONFIDENTIAL FACTS AND ADVICE TO THE DMPC"));
        assert!(!banner(
            "Part 2 \u{2013} This section refers to the bid from Larkspur Kennels with a walk away offer which is NOT SUITABLE for MOPAC Publication."
        ));
    }

    #[test]
    fn a_line_is_read_without_what_dresses_it() {
        for line in [
            "## Part 2 - x",
            "\u{2022} Part 2 - x",
            "\u{F0B7} Part 2 - x",
            "(2) Part 2 - x",
            "2. Part 2 - x",
            "<p>Part 2 - x</p>",
            "> **Part 2 - x**",
            "<a id=\"p>2\" title=\"x\"></a>Part 2 - x",
            "<!-- a > b -->Part 2 - x<br>",
            "<span hidden>Part 2 - x</span >",
        ] {
            assert_eq!(without_markup(line), "Part 2 - x", "{line}");
        }
    }

    /// The built-in classifications with three sensitive tiers added, as a configuration's
    /// owners may add them: one case-sensitive, two not.
    fn with_added_tiers() -> Classifications {
        let mut sources = crate::config::Sources::built_in();
        let from = "classifications:\n";
        assert!(sources.markings.text.contains(from));
        sources.markings.text = sources.markings.text.replacen(
            from,
            "classifications:\n  - id: CLASSIFIED\n    pattern: '(?-i:CLASSIFIED)'\n    sensitive: true\n  - id: LIMITED CIRCULATION\n    pattern: 'limited ?-? ?circulation'\n    sensitive: true\n  - id: RESTRICTED-COMMERCIAL\n    pattern: 'restricted ?-? ?commercial'\n    sensitive: true\n",
            1,
        );
        Classifications::from_sources(&sources).expect("the edited classifications load")
    }

    /// A published fixture with `text` in a paragraph of its own under the public-part
    /// banner, classified with `config`: the codes of its reasons, and their messages.
    fn reasons_with(text: &str, config: &Classifications) -> Vec<(Code, String)> {
        let base = include_str!("../../../fixtures/published/marking-lpp.md");
        let at = base
            .find("## Executive summary")
            .expect("the fixture has a summary");
        let src = format!(
            "{}This contract is {text} in part.\n\n{}",
            &base[..at],
            &base[at..]
        );
        match crate::analyse(src.as_bytes(), config) {
            crate::Outcome::Quarantined(reasons, _) => {
                reasons.into_iter().map(|r| (r.code, r.message)).collect()
            }
            crate::Outcome::Withheld(reason, _) => vec![(reason.code, reason.message)],
            crate::Outcome::Redacted(_) => Vec::new(),
        }
    }

    /// A word of a tier the configuration adds, in each disguise the built-in words are read
    /// through (and split, and in mixed case), refuses the report as a disguised word naming
    /// the tier; with the built-in classifications the same text is published as before.
    #[test]
    fn a_configured_tiers_word_in_disguise_is_refused() {
        let added = with_added_tiers();
        let defaults = Classifications::defaults().expect("the built-in classifications load");
        for (text, tier) in [
            ("C L A S S I F I E D", "CLASSIFIED"),
            ("C.L.A.S.S.I.F.I.E.D.", "CLASSIFIED"),
            (
                "C\u{2022}L\u{2022}A\u{2022}S\u{2022}S\u{2022}I\u{2022}F\u{2022}I\u{2022}E\u{2022}D",
                "CLASSIFIED",
            ),
            ("CLASS IFIED", "CLASSIFIED"),
            ("CLASS/IFIED", "CLASSIFIED"),
            ("C\\LASSIFIED", "CLASSIFIED"),
            ("CLASS&nbsp;IFIED", "CLASSIFIED"),
            ("CLASS\u{2009}IFIED", "CLASSIFIED"),
            ("CLASS\nIFIED", "CLASSIFIED"),
            ("CLASS\\\nIFIED", "CLASSIFIED"),
            ("CLASS\u{2020}IFIED", "CLASSIFIED"),
            ("CLASS*IFIED", "CLASSIFIED"),
            ("CLASS1FIED", "CLASSIFIED"),
            ("CL4551F13D", "CLASSIFIED"),
            ("CIASSIFIED", "CLASSIFIED"),
            ("CLASS\u{0131}FIED", "CLASSIFIED"),
            ("CLASSI\u{FB01}ED", "CLASSIFIED"),
            ("CLASSIFiED", "CLASSIFIED"),
            (
                "L I M I T E D   C I R C U L A T I O N",
                "LIMITED CIRCULATION",
            ),
            ("LIMITED CIRCUL ATION", "LIMITED CIRCULATION"),
            ("L1MITED C1RCULATION", "LIMITED CIRCULATION"),
        ] {
            let reasons = reasons_with(text, &added);
            assert!(
                reasons
                    .iter()
                    .any(|(code, message)| *code == Code::DisguisedWord
                        && message.contains(&format!("'{tier}'"))),
                "{text:?}: {reasons:?}"
            );
            assert!(
                reasons.iter().all(|(_, message)| !message.contains(text)),
                "{text:?}: a message quotes the report"
            );
            let before = reasons_with(text, &defaults);
            assert!(
                before.iter().all(|(code, _)| *code != Code::DisguisedWord),
                "{text:?}: {before:?}"
            );
        }
        // Written plainly in running text, the words are no marking and no disguise.
        for text in ["classified documents", "limited", "Limited"] {
            assert_eq!(reasons_with(text, &added), [], "{text:?}");
        }
    }

    /// A release name is read as published text is: a sensitive marking, a guarded word in
    /// disguise and, when the configuration adds tiers, their words in disguise.
    #[test]
    fn a_release_name_with_a_marking_or_a_disguise_is_refused() {
        let added = with_added_tiers();
        let reason =
            refused_name("2025/C.L.A.S.S.I.F.I.E.D-bids", &added).expect("the name is refused");
        assert_eq!((reason.code, reason.line), (Code::DisguisedWord, 0));
        assert!(
            reason.message.contains("'CLASSIFIED'"),
            "{}",
            reason.message
        );
        assert!(refused_name("2025/L1MITED-circulation-bids", &added).is_some());
        let marking = refused_name("reports/CLASSIFIED", &added).expect("a marking");
        assert_eq!(marking.code, Code::SensitiveMarkingInPublic);
        for stem in ["2025/classified-bids", "2025/pcd-1234-limited"] {
            assert!(refused_name(stem, &added).is_none(), "{stem}");
        }
        let defaults = Classifications::defaults().expect("the built-in classifications load");
        // The built-in markings and guarded words, however a file name separates words.
        for (stem, code) in [
            ("2025/SECRET-bids", Code::SensitiveMarkingInPublic),
            ("official_sensitive_annex", Code::SensitiveMarkingInPublic),
            ("OFFICIAL.SENSITIVE.annex", Code::SensitiveMarkingInPublic),
            ("2025/S.E.C.R.E.T-bids", Code::DisguisedWord),
            ("2025/0FFICIAL-bids", Code::DisguisedWord),
        ] {
            let reason = refused_name(stem, &defaults).map(|r| r.code);
            assert_eq!(reason, Some(code), "{stem}");
        }
        for stem in [
            "2025/C.L.A.S.S.I.F.I.E.D-bids",
            "2025/pcd-1519-part-1",
            "secretary-report",
            "official-statistics",
            "2024.05.14-board",
        ] {
            assert!(refused_name(stem, &defaults).is_none(), "{stem}");
        }
    }
}

//! Why a document was not published: stable codes, lines and remedies.
//!
//! Messages never quote the document: they name a line. The manifest is part of the
//! release, and a message that quoted a quarantined report could carry restricted text.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A stable reason code. Scripts and fixtures rely on the spelling of [`Code::as_str`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Code {
    Unreadable,
    Empty,
    NotUtf8,
    /// Lines ended by a carriage return alone.
    LoneCarriageReturn,
    ParseSurprise,
    InvalidFrontMatter,
    /// A front matter key the tool does not read that looks as if it governs publication.
    UnknownGoverningKey,
    /// The title holds characters that Markdown or HTML read as markup.
    MarkupInTitle,
    NoPublicBanner,
    SensitiveMarkingInPublic,
    HiddenContent,
    /// Raw HTML outside the allow-list of what the public part may hold.
    HtmlNotAllowed,
    TooComplex,
    Part2BannerInsideBlock,
    UnrecognisedPart2Banner,
    /// A report with no recognised Part 2 uses a word that says part of it is restricted.
    RestrictedTellWithoutPart2,
    /// An image of the public part that the release would not hold.
    ImageNotInRelease,
    /// A word that names a marking or a restricted part, written in disguise: digits,
    /// symbols or other scripts for some of its letters, or spelt out letter by letter.
    DisguisedWord,
    /// Part 1 refers to a footnote whose definition stands after the Part 2 marking, where
    /// pandoc puts every footnote by default.
    FootnoteAfterMarking,
    /// Part 1 of a plain-text report refers to a numbered footnote whose text stands
    /// nowhere: LibreOffice's "save as text" writes the reference and drops the note.
    FootnoteTextMissing,
    /// A paragraph opening with a footnote marker that Part 1 cites stands between the
    /// Part 2 banner and the marking: Part 1's note put there by the page layout, or Part 2's
    /// text, which the tool cannot tell apart.
    FootnoteBeforeMarking,
    NoPart2Marking,
    UnknownDescriptor,
    NoExemption,
    NoTitle,
    /// The independent check: the public Markdown is not the source minus the withheld
    /// spans, then the notice.
    MarkdownNotFaithful,
    /// The independent check: a sensitive marking in an output, outside the Part 2 marking.
    MarkingInOutput,
    /// The independent check: hidden or active HTML in an output.
    ActiveHtml,
    /// The independent check: a block of the public Markdown is missing from the page.
    PageIncomplete,
    /// The independent check: withheld text in an output.
    WithheldTextInOutput,
    /// The independent check of the index: a link to something not published.
    IndexLinkNotAllowed,
    /// The independent check of the index: a published page it does not link to.
    IndexPageNotLinked,
    /// The independent check of the index: the title of a report not published in it.
    UnpublishedTitleInIndex,
    OutputCollision,
    Panic,
    /// Not a fault: the document is sensitive as a whole.
    WithheldAsAWhole,
    /// Not a fault: the document's publication date has not come.
    Deferred,
    /// A warning: a detail stands in both the published and the withheld part.
    Jigsaw,
    /// A warning: a paragraph between the Part 2 banner and the marking that opens with a
    /// footnote marker, kept as Part 1's footnote or withheld.
    FootnoteAfterBanner,
    /// Word: a run hidden from view (w:vanish, w:specVanish, w:webHidden).
    WordHiddenText,
    /// Word: a tracked change (insertion, deletion, move, formatting change).
    WordTrackedChange,
    /// Word: a comment, its range or the comments part.
    WordComment,
    /// Word: a text box or shape holding text.
    WordTextBox,
    /// Word: an image, chart or embedded object (with its alt text).
    WordEmbeddedObject,
    /// Word: a field whose instructions are not on the allow-list.
    WordField,
    /// Word: a content control (w:sdt).
    WordContentControl,
    /// Word: text that cannot be seen: white or the background's colour, a colour that does not stand out from its background (contrast under 2:1), or 2 pt or smaller.
    WordInvisibleText,
    /// Word: a glossary, custom XML or macro part.
    WordMacroOrCustomPart,
    /// Word: the file is not a readable Word package.
    WordNotAPackage,
    /// Word: the package is larger, more compressed or has more parts than a report can.
    WordTooLarge,
    /// Word: the file is encrypted or password-protected.
    WordEncrypted,
    /// Word: a binary Word 97-2003 document (.doc).
    WordBinaryDoc,
    /// Word: a Strict Open XML document.
    WordStrictOoxml,
    /// Word: a part the package names, or must have, is not in it.
    WordMissingPart,
    /// Word: a link to something outside the file other than a hyperlink (a linked image, template or object).
    WordExternalRelationship,
    /// Word: XML with a document type declaration or an entity the tool does not expand.
    WordDtd,
    /// Word: an element of the body the tool does not know how to read.
    WordUnknownElement,
    /// Word: a table that a Markdown table cannot show faithfully (merged cells, a table inside a cell, a list in a cell).
    WordTableNotFaithful,
    /// Word: content of a section whose header or footer carries a sensitive marking stands before the Part 2 banner.
    WordRestrictedSection,
    /// Word: a field or link in the published part shows text copied from a bookmark at or after the Part 2 banner, or from one the document does not have.
    WordReferenceNotPublic,
}

impl Code {
    /// The stable spelling of the code.
    pub fn as_str(self) -> &'static str {
        match self {
            Code::Unreadable => "unreadable",
            Code::Empty => "empty",
            Code::NotUtf8 => "not-utf8",
            Code::LoneCarriageReturn => "lone-carriage-return",
            Code::ParseSurprise => "parse-surprise",
            Code::InvalidFrontMatter => "invalid-front-matter",
            Code::UnknownGoverningKey => "unknown-governing-key",
            Code::MarkupInTitle => "markup-in-title",
            Code::NoPublicBanner => "no-public-banner",
            Code::SensitiveMarkingInPublic => "sensitive-marking-in-public",
            Code::HiddenContent => "hidden-content",
            Code::HtmlNotAllowed => "html-not-allowed",
            Code::TooComplex => "too-complex",
            Code::Part2BannerInsideBlock => "part2-banner-inside-block",
            Code::UnrecognisedPart2Banner => "unrecognised-part2-banner",
            Code::RestrictedTellWithoutPart2 => "restricted-tell-without-part2",
            Code::DisguisedWord => "disguised-word",
            Code::ImageNotInRelease => "image-not-in-release",
            Code::FootnoteAfterMarking => "footnote-after-marking",
            Code::FootnoteTextMissing => "footnote-text-missing",
            Code::FootnoteBeforeMarking => "footnote-before-marking",
            Code::NoPart2Marking => "no-part2-marking",
            Code::UnknownDescriptor => "unknown-descriptor",
            Code::NoExemption => "no-exemption",
            Code::NoTitle => "no-title",
            Code::MarkdownNotFaithful => "markdown-not-faithful",
            Code::MarkingInOutput => "marking-in-output",
            Code::ActiveHtml => "active-html",
            Code::PageIncomplete => "page-incomplete",
            Code::WithheldTextInOutput => "withheld-text-in-output",
            Code::IndexLinkNotAllowed => "index-link-not-allowed",
            Code::IndexPageNotLinked => "index-page-not-linked",
            Code::UnpublishedTitleInIndex => "unpublished-title-in-index",
            Code::OutputCollision => "output-collision",
            Code::Panic => "panic",
            Code::WithheldAsAWhole => "withheld-as-a-whole",
            Code::Deferred => "deferred",
            Code::Jigsaw => "jigsaw",
            Code::FootnoteAfterBanner => "footnote-after-banner",
            Code::WordHiddenText => "word-hidden-text",
            Code::WordTrackedChange => "word-tracked-change",
            Code::WordComment => "word-comment",
            Code::WordTextBox => "word-text-box",
            Code::WordEmbeddedObject => "word-embedded-object",
            Code::WordField => "word-field",
            Code::WordContentControl => "word-content-control",
            Code::WordInvisibleText => "word-invisible-text",
            Code::WordMacroOrCustomPart => "word-macro-or-custom-part",
            Code::WordNotAPackage => "word-not-a-package",
            Code::WordTooLarge => "word-too-large",
            Code::WordEncrypted => "word-encrypted",
            Code::WordBinaryDoc => "word-binary-doc",
            Code::WordStrictOoxml => "word-strict-ooxml",
            Code::WordMissingPart => "word-missing-part",
            Code::WordExternalRelationship => "word-external-relationship",
            Code::WordDtd => "word-dtd",
            Code::WordUnknownElement => "word-unknown-element",
            Code::WordTableNotFaithful => "word-table-not-faithful",
            Code::WordRestrictedSection => "word-restricted-section",
            Code::WordReferenceNotPublic => "word-reference-not-public",
        }
    }

    /// What the user can do about it.
    pub fn remedy(self) -> &'static str {
        match self {
            Code::Unreadable => "check the file's permissions",
            Code::Empty => "remove the file or give it its report",
            Code::NotUtf8 => "save the file as UTF-8",
            Code::ParseSurprise => "report this document to the tool's maintainers",
            Code::InvalidFrontMatter => "fix the YAML between the --- lines at the top",
            Code::UnknownGoverningKey => {
                "write a deferral as publish_after: YYYY-MM-DD and a marking as classification:, or rename or delete the key"
            }
            Code::MarkupInTitle => {
                "write the title as plain words: no < > [ ] ` \\ or character references such as &amp;"
            }
            Code::NoPublicBanner => {
                "add the Part 1 banner before the public sections, or add its wording to banners.yaml"
            }
            Code::SensitiveMarkingInPublic => {
                "remove the marking from the public part, or move the Part 2 banner above it"
            }
            Code::TooComplex => {
                "flatten the raw HTML: a page is not nested hundreds of elements deep"
            }
            Code::HiddenContent => {
                "delete the hidden markup, or write its text into the report if readers are meant to see it"
            }
            Code::HtmlNotAllowed => {
                "write the text without the HTML, or with only the tags the README allows (b, strong, i, em, u, s, sub, sup, br, span, code; a with an href)"
            }
            Code::Part2BannerInsideBlock => {
                "put the Part 2 banner in a paragraph of its own, with a blank line before and after"
            }
            Code::UnrecognisedPart2Banner => {
                "write the banner as banners.yaml gives it, or add its wording to restricted.whole"
            }
            Code::RestrictedTellWithoutPart2 => {
                "give the restricted part a Part 2 banner and marking as banners.yaml and markings.yaml give them; if the report is all public, have it checked and its wording added to banners.yaml restricted.without_part2.public"
            }
            Code::LoneCarriageReturn => {
                "save the file with LF or CRLF line endings (lines ended by a carriage return alone come from very old Mac software)"
            }
            Code::ImageNotInRelease => {
                "give the image its published address (https://…), or remove it: a release holds no file but the reports' own pages"
            }
            Code::DisguisedWord => {
                "write the word in plain letters: if it is a marking, the part it marks needs a Part 2 banner and marking; if it is running text, it is published as written once it is plain"
            }
            Code::FootnoteAfterMarking => {
                "convert the report with pandoc --reference-location=block (or give the .docx itself), or move Part 1's footnotes above the Part 2 banner"
            }
            Code::FootnoteTextMissing => {
                "convert the report by a route that keeps footnotes (pandoc -t markdown --reference-location=block, or pdftotext), or give the .docx itself"
            }
            Code::FootnoteBeforeMarking => {
                "move the note's text above the Part 2 banner (at the end of Part 1) if it is Part 1's, or below the Part 2 marking if it is Part 2's"
            }
            Code::NoPart2Marking => {
                "put the marking under the marking statement, or set markings.yaml default_marking"
            }
            Code::UnknownDescriptor => {
                "correct the marking, or add the descriptor and its exemption to markings.yaml"
            }
            Code::NoExemption => {
                "add a descriptor to the marking, or set markings.yaml no_descriptor_exemption"
            }
            Code::NoTitle => "give the report a title on its cover or a title: in its front matter",
            Code::MarkdownNotFaithful
            | Code::PageIncomplete
            | Code::IndexLinkNotAllowed
            | Code::IndexPageNotLinked => {
                "report this document to the tool's maintainers; nothing of it was written"
            }
            Code::MarkingInOutput => {
                "remove the marking from the public part, or move the Part 2 banner above it; nothing of it was written"
            }
            Code::ActiveHtml => {
                "delete the raw HTML the page may not carry (comments, scripts, styles, unknown elements or attributes); nothing of it was written"
            }
            Code::WithheldTextInOutput => {
                "check that nothing of Part 2 is repeated in the public part, then report this document to the tool's maintainers; nothing of it was written"
            }
            Code::UnpublishedTitleInIndex => {
                "rename the published report whose title matches one not published, or report it; the index was not written"
            }
            Code::OutputCollision => {
                "rename one of the documents: both would be released under one name"
            }
            Code::Panic => {
                "report this document to the tool's maintainers; nothing of it was written"
            }
            Code::WithheldAsAWhole => {
                "none: the document is sensitive as a whole and is not published"
            }
            Code::Deferred => "none: it is published by the first run on or after its date",
            Code::Jigsaw => "check that the detail may stand in the published part",
            Code::FootnoteAfterBanner => {
                "check that the paragraph is Part 1's footnote (kept) or Part 2's text (withheld); move a Part 1 footnote above the Part 2 banner"
            }
            word => word.word_remedy(),
        }
    }

    /// What the author of a Word report can do about a refusal of the Word reader (every
    /// other code is answered by [`Code::remedy`] itself).
    fn word_remedy(self) -> &'static str {
        match self {
            Code::WordHiddenText => {
                "in Word, show hidden text (Home > Show/Hide), then delete the hidden text or unhide it if readers are meant to see it, and save"
            }
            Code::WordTrackedChange => {
                "in Word, accept or reject all tracked changes (Review > Accept > Accept All Changes), turn Track Changes off and save"
            }
            Code::WordComment => {
                "in Word, delete all comments (Review > Delete > Delete All Comments in Document) and save"
            }
            Code::WordTextBox => {
                "move the text out of the text box or shape into the body of the report, delete the box and save"
            }
            Code::WordEmbeddedObject => {
                "delete the image or object (and its alt text); publish it apart if readers need it, and save"
            }
            Code::WordField => {
                "select the field and convert it to plain text (Ctrl+Shift+F9), or delete it, and save"
            }
            Code::WordContentControl => {
                "remove the content control and keep its contents (Developer > Properties or right-click > Remove Content Control), delete placeholder text, and save"
            }
            Code::WordInvisibleText => {
                "select all, set the font colour to Automatic and a readable size, delete any text that was not meant to be seen, and save"
            }
            Code::WordMacroOrCustomPart => {
                "save the report as a plain Word Document (.docx), without macros, building blocks or custom XML (File > Save As > Word Document)"
            }
            Code::WordNotAPackage => {
                "open the report in Word and save it again as a Word Document (.docx)"
            }
            Code::WordTooLarge => {
                "save the report again in Word as a Word Document (.docx); a report is far smaller than this file"
            }
            Code::WordEncrypted => {
                "remove the password (File > Info > Protect Document > Encrypt with Password, empty it) and save"
            }
            Code::WordBinaryDoc => "open the report in Word and save it as a Word Document (.docx)",
            Code::WordStrictOoxml => {
                "save the report as a Word Document (.docx), not as Strict Open XML Document"
            }
            Code::WordMissingPart => {
                "open the report in Word and save it again as a Word Document (.docx)"
            }
            Code::WordExternalRelationship => {
                "embed or delete the linked item and detach the template (Developer > Document Template), and save"
            }
            Code::WordDtd => "open the report in Word and save it again as a Word Document (.docx)",
            Code::WordUnknownElement => {
                "simplify the paragraph (paste it as plain text and format it again), or report this document to the tool's maintainers"
            }
            Code::WordTableNotFaithful => {
                "split merged cells and move nested tables or lists out of the table, and save"
            }
            Code::WordRestrictedSection => {
                "put Part 1 in sections whose headers and footers carry no sensitive marking, and start Part 2's section with the Part 2 banner"
            }
            Code::WordReferenceNotPublic => {
                "in Part 1, update every field (select all, F9) and remove any table of contents entry or cross-reference to Part 2, or unlink the field to plain text (Ctrl+Shift+F9) and delete what it copied from Part 2, and save"
            }
            _ => "report it to the tool's maintainers",
        }
    }
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Code {
    /// Every code, for reading them back.
    const ALL: [Code; 60] = [
        Code::Unreadable,
        Code::Empty,
        Code::NotUtf8,
        Code::LoneCarriageReturn,
        Code::ParseSurprise,
        Code::InvalidFrontMatter,
        Code::UnknownGoverningKey,
        Code::MarkupInTitle,
        Code::NoPublicBanner,
        Code::SensitiveMarkingInPublic,
        Code::HiddenContent,
        Code::HtmlNotAllowed,
        Code::TooComplex,
        Code::Part2BannerInsideBlock,
        Code::UnrecognisedPart2Banner,
        Code::RestrictedTellWithoutPart2,
        Code::DisguisedWord,
        Code::ImageNotInRelease,
        Code::FootnoteAfterMarking,
        Code::FootnoteTextMissing,
        Code::FootnoteBeforeMarking,
        Code::NoPart2Marking,
        Code::UnknownDescriptor,
        Code::NoExemption,
        Code::NoTitle,
        Code::MarkdownNotFaithful,
        Code::MarkingInOutput,
        Code::ActiveHtml,
        Code::PageIncomplete,
        Code::WithheldTextInOutput,
        Code::IndexLinkNotAllowed,
        Code::IndexPageNotLinked,
        Code::UnpublishedTitleInIndex,
        Code::OutputCollision,
        Code::Panic,
        Code::WithheldAsAWhole,
        Code::Deferred,
        Code::Jigsaw,
        Code::FootnoteAfterBanner,
        Code::WordHiddenText,
        Code::WordTrackedChange,
        Code::WordComment,
        Code::WordTextBox,
        Code::WordEmbeddedObject,
        Code::WordField,
        Code::WordContentControl,
        Code::WordInvisibleText,
        Code::WordMacroOrCustomPart,
        Code::WordNotAPackage,
        Code::WordTooLarge,
        Code::WordEncrypted,
        Code::WordBinaryDoc,
        Code::WordStrictOoxml,
        Code::WordMissingPart,
        Code::WordExternalRelationship,
        Code::WordDtd,
        Code::WordUnknownElement,
        Code::WordTableNotFaithful,
        Code::WordRestrictedSection,
        Code::WordReferenceNotPublic,
    ];
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Code::ALL
            .into_iter()
            .find(|c| c.as_str() == text)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown reason code '{text}'")))
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// One reason, at a 1-based line of the source (0: the document as a whole).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    pub line: usize,
    pub code: Code,
    pub message: String,
}

impl Reason {
    /// A reason of `code` at `line`.
    pub fn new(code: Code, line: usize, message: impl Into<String>) -> Self {
        Reason {
            line,
            code,
            message: message.into(),
        }
    }
}

//! The styles part and the numbering part: what a paragraph's style and list number mean.
//!
//! A style is resolved through its based-on chain (bounded, so a loop ends). Headings are
//! recognised by the style's name, which Word writes in English for its built-in styles
//! ("heading 1", "Title") whatever the language of the interface, and, failing that, by its
//! id ("Heading1"): a localised id ("berschrift1") is read through its name. Run
//! properties are merged from the document defaults, the paragraph style's chain, the
//! character style's chain and the run itself, so a style that hides text or colours it
//! white is seen.

use std::collections::HashMap;

use crate::xml::Element;

/// The longest based-on chain followed.
const MAX_CHAIN: usize = 32;

/// Run properties that decide how text shows; `None` where nothing says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunProps {
    pub bold: Option<bool>,
    pub italic: Option<bool>,
    /// The element that hides the text, or "" where the run says it is shown.
    pub hidden: Option<&'static str>,
    pub color: Option<String>,
    pub size: Option<u32>,
    pub shading: Option<String>,
    /// The highlight drawn behind the text, as a colour (upper case hex): one of the light
    /// highlights the tool reads; any other is `unread`.
    pub highlight: Option<String>,
    /// All capitals (w:caps), where a style or the run says.
    pub caps: Option<bool>,
    /// Small capitals (w:smallCaps), where a style or the run says.
    pub small_caps: Option<bool>,
    /// A property that can hide or displace text, which the tool does not read: the
    /// element named, where the run has it.
    pub unread: Option<&'static str>,
}

impl RunProps {
    /// True when Word shows the run's letters as capitals (all or small capitals): the
    /// text is read in capitals, as a reader of the document sees it.
    pub fn capitals(&self) -> bool {
        self.caps == Some(true) || self.small_caps == Some(true)
    }

    /// `later` laid over `self`.
    pub fn over(&self, later: &RunProps) -> RunProps {
        RunProps {
            bold: later.bold.or(self.bold),
            italic: later.italic.or(self.italic),
            hidden: later.hidden.or(self.hidden),
            color: later.color.clone().or_else(|| self.color.clone()),
            size: later.size.or(self.size),
            shading: later.shading.clone().or_else(|| self.shading.clone()),
            highlight: later.highlight.clone().or_else(|| self.highlight.clone()),
            caps: later.caps.or(self.caps),
            small_caps: later.small_caps.or(self.small_caps),
            unread: later.unread.or(self.unread),
        }
    }

    /// The properties an `rPr` element sets.
    pub fn of(rpr: Option<&Element>) -> RunProps {
        let mut p = RunProps::default();
        let Some(rpr) = rpr else { return p };
        for e in rpr.elements() {
            match e.name.as_str() {
                "w:b" => p.bold = Some(toggle(e)),
                "w:i" => p.italic = Some(toggle(e)),
                "w:caps" => p.caps = Some(toggle(e)),
                "w:smallCaps" => p.small_caps = Some(toggle(e)),
                "w:vanish" | "w:specVanish" | "w:webHidden" => {
                    if toggle(e) {
                        p.hidden = Some(if e.name == "w:vanish" {
                            "w:vanish"
                        } else if e.name == "w:specVanish" {
                            "w:specVanish"
                        } else {
                            "w:webHidden"
                        });
                    } else if p.hidden.is_none() {
                        // Said off here: a style's hiding does not reach this run.
                        p.hidden = Some("");
                    }
                }
                "w:color" => {
                    p.color = e.attr("w:val").map(str::to_ascii_uppercase);
                    // A theme colour is what Word shows, not `w:val`: a light slot of the
                    // theme, or any tint towards white, is not read and may be white.
                    let light = e.attr("w:themeColor").is_some_and(|t| {
                        let t = t.to_ascii_lowercase();
                        t.starts_with("background")
                            || t.starts_with("light")
                            || t.starts_with("bg")
                            || t.starts_with("lt")
                    });
                    if light || e.attr("w:themeTint").is_some() {
                        p.unread = Some("a theme colour that may be light (w:color w:themeColor)");
                    }
                }
                "w:sz" => p.size = e.attr("w:val").and_then(|v| v.parse().ok()),
                "w:shd" => {
                    p.shading = e.attr("w:fill").map(str::to_ascii_uppercase);
                    if !plain_shading(e) {
                        p.unread = Some("patterned or theme shading (w:shd)");
                    }
                }
                // A light highlight under dark text is a marker pen; a dark or white one can
                // hide text coloured like it. A light one is kept as the colour the text is
                // shown on.
                "w:highlight" => match e.attr("w:val").and_then(highlight_colour) {
                    Some(colour) => p.highlight = (!colour.is_empty()).then(|| colour.to_string()),
                    None => p.unread = Some("a dark or white highlight (w:highlight)"),
                },
                "w:w"
                    if e.attr("w:val")
                        .and_then(|v| v.parse::<i64>().ok())
                        .is_none_or(|v| v < 50) =>
                {
                    p.unread = Some("text scaled below half its width (w:w)");
                }
                "w:fitText" => p.unread = Some("text fitted to a width (w:fitText)"),
                "w:position"
                    if e.attr("w:val")
                        .and_then(|v| v.parse::<i64>().ok())
                        .is_none_or(|v| v.abs() > 24) =>
                {
                    p.unread = Some("text raised or lowered far off its line (w:position)");
                }
                "w:spacing"
                    if e.attr("w:val")
                        .and_then(|v| v.parse::<i64>().ok())
                        .is_none_or(|v| v < -20) =>
                {
                    p.unread = Some("letters drawn over each other (w:spacing)");
                }
                _ => {}
            }
        }
        p
    }
}

/// The colour of a light highlight by its name ("" for none); `None` for any other.
fn highlight_colour(name: &str) -> Option<&'static str> {
    Some(match name {
        "none" => "",
        "yellow" => "FFFF00",
        "green" => "00FF00",
        "cyan" => "00FFFF",
        "magenta" => "FF00FF",
        "lightGray" => "C0C0C0",
        _ => return None,
    })
}

/// Paragraph properties that can hide or displace text, which the tool does not read: a
/// frame, shading other than a plain white fill, an indent far off the page, lines squeezed
/// to less than 8 pt.
pub fn ppr_unread(ppr: &Element) -> Option<&'static str> {
    if ppr.child("w:framePr").is_some() {
        return Some("a text frame (w:framePr)");
    }
    if let Some(shd) = ppr.child("w:shd") {
        let fill = shd.attr("w:fill").unwrap_or("auto").to_ascii_uppercase();
        if !plain_shading(shd) || !(fill == "AUTO" || fill == "FFFFFF") {
            return Some("paragraph shading (w:shd)");
        }
    }
    let number = |e: &Element, a: &str| e.attr(a).and_then(|v| v.parse::<i64>().ok());
    if let Some(ind) = ppr.child("w:ind") {
        let far = ["w:left", "w:start", "w:right", "w:end", "w:firstLine"]
            .iter()
            .any(|a| number(ind, a).is_some_and(|v| v < -1440))
            || number(ind, "w:hanging").is_some_and(|v| v > 4320);
        if far {
            return Some("text indented off the page (w:ind)");
        }
    }
    if let Some(sp) = ppr.child("w:spacing")
        && sp.attr("w:lineRule") == Some("exact")
        && number(sp, "w:line").is_some_and(|v| v < 160)
    {
        return Some("lines squeezed under 8 pt (w:spacing)");
    }
    None
}

/// Shading that is a plain fill (or none): `w:val` clear or nil, no theme fill. A pattern
/// draws its own colour over the fill, which the tool does not read.
pub fn plain_shading(shd: &Element) -> bool {
    shd.attr("w:val").is_none_or(|v| v == "clear" || v == "nil")
        && shd.attr("w:themeFill").is_none()
        && shd.attr("w:themeFillTint").is_none()
        && shd.attr("w:themeFillShade").is_none()
}

/// A toggle property: on unless its value says off.
pub fn toggle(e: &Element) -> bool {
    !matches!(e.attr("w:val"), Some("0" | "false" | "off"))
}

#[derive(Debug, Clone, Default)]
struct Style {
    name: String,
    based_on: Option<String>,
    run: RunProps,
    num: Option<(String, u32)>,
    /// Paragraph or table formatting the style carries that the tool does not read.
    unread: Option<&'static str>,
}

/// The styles of a document.
#[derive(Debug, Clone, Default)]
pub struct Styles {
    by_id: HashMap<String, Style>,
    /// The default character style, which a run with no style of its own takes.
    default_character: Option<String>,
    /// What makes the styles part itself unreadable (two styles with one id: readers take
    /// different ones).
    pub problems: Vec<&'static str>,
    defaults: RunProps,
    default_paragraph: Option<String>,
}

fn num_of(ppr: Option<&Element>) -> Option<(String, u32)> {
    let num = ppr?.child("w:numPr")?;
    let id = num.child("w:numId").and_then(|e| e.attr("w:val"))?;
    let level = num
        .child("w:ilvl")
        .and_then(|e| e.attr("w:val"))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    Some((id.to_string(), level))
}

impl Styles {
    /// Reads the styles part's root element.
    pub fn read(root: &Element) -> Styles {
        let mut styles = Styles::default();
        if let Some(d) = root.child("w:docDefaults") {
            let rpr = d.child("w:rPrDefault").and_then(|r| r.child("w:rPr"));
            styles.defaults = RunProps::of(rpr);
        }
        for s in root.elements().filter(|e| e.name == "w:style") {
            let Some(id) = s.attr("w:styleId") else {
                continue;
            };
            let style = Style {
                name: s
                    .child("w:name")
                    .and_then(|n| n.attr("w:val"))
                    .unwrap_or("")
                    .to_lowercase(),
                based_on: s
                    .child("w:basedOn")
                    .and_then(|b| b.attr("w:val"))
                    .map(str::to_string),
                run: RunProps::of(s.child("w:rPr")),
                num: num_of(s.child("w:pPr")),
                unread: s.child("w:pPr").and_then(ppr_unread).or_else(|| {
                    // A table style's text formatting (its run and paragraph properties and
                    // its conditional parts) is not applied by the tool: refused when used.
                    (s.attr("w:type") == Some("table")
                        && s.elements().any(|c| match c.name.as_str() {
                            "w:rPr" | "w:tblStylePr" => true,
                            "w:pPr" => ppr_unread(c).is_some(),
                            _ => false,
                        }))
                    .then_some("a table style that formats its text (w:tblStyle)")
                }),
            };
            let is_default = s.attr("w:default").is_some_and(|v| v == "1" || v == "true");
            if is_default && s.attr("w:type") == Some("paragraph") {
                styles.default_paragraph = Some(id.to_string());
            }
            if is_default && s.attr("w:type") == Some("character") {
                styles.default_character = Some(id.to_string());
            }
            if styles.by_id.insert(id.to_string(), style).is_some() {
                styles.problems.push("two styles with one id (w:styleId)");
            }
        }
        styles
    }

    /// The style `id` and its ancestors, nearest first.
    fn chain<'s>(&'s self, id: Option<&'s str>) -> Vec<(&'s str, &'s Style)> {
        let mut out = Vec::new();
        let mut next = id.or(self.default_paragraph.as_deref());
        while let Some(id) = next {
            if out.len() >= MAX_CHAIN || out.iter().any(|(i, _)| *i == id) {
                break;
            }
            let Some(s) = self.by_id.get(id) else { break };
            out.push((id, s));
            next = s.based_on.as_deref();
        }
        out
    }

    /// The heading level of a paragraph style: 0 for Title, 1 to 9 for Heading 1 to 9.
    pub fn heading(&self, id: Option<&str>) -> Option<u8> {
        for (id, s) in self.chain(id) {
            if let Some(level) = heading_name(&s.name).or_else(|| heading_name(&id.to_lowercase()))
            {
                return Some(level);
            }
        }
        None
    }

    /// The run properties of a run with paragraph style `para`, character style `run` and
    /// its own `direct` properties.
    pub fn run_props(&self, para: Option<&str>, run: Option<&str>, direct: &RunProps) -> RunProps {
        let mut p = self.defaults.clone();
        for (_, s) in self.chain(para).iter().rev() {
            p = p.over(&s.run);
        }
        if let Some(run) = run.or(self.default_character.as_deref()) {
            for (_, s) in self.chain(Some(run)).iter().rev() {
                p = p.over(&s.run);
            }
        }
        p.over(direct)
    }

    /// True when `id` names no style as written but one in another case: readers differ on
    /// whether it applies.
    pub fn found_only_by_case(&self, id: &str) -> bool {
        !self.by_id.contains_key(id) && self.by_id.keys().any(|k| k.eq_ignore_ascii_case(id))
    }

    /// Formatting of the style `id` or its ancestors that the tool does not read.
    pub fn unread(&self, id: Option<&str>) -> Option<&'static str> {
        self.chain(id).iter().find_map(|(_, s)| s.unread)
    }

    /// The list numbering a paragraph style carries.
    pub fn numbering(&self, id: Option<&str>) -> Option<(String, u32)> {
        self.chain(id).iter().find_map(|(_, s)| s.num.clone())
    }
}

fn heading_name(name: &str) -> Option<u8> {
    let compact: String = name.chars().filter(|c| !c.is_whitespace()).collect();
    if compact == "title" {
        return Some(0);
    }
    let n = compact.strip_prefix("heading")?;
    match n.parse::<u8>() {
        Ok(n @ 1..=9) => Some(n),
        _ => None,
    }
}

/// How one list level is numbered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Level {
    pub format: String,
    pub start: u32,
    pub text: String,
}

/// The numbering part: each list's levels.
#[derive(Debug, Clone, Default)]
pub struct Numbering {
    nums: HashMap<String, HashMap<u32, Level>>,
}

fn levels_of(parent: &Element) -> HashMap<u32, Level> {
    parent
        .elements()
        .filter(|e| e.name == "w:lvl")
        .filter_map(|l| {
            let ilvl = l.attr("w:ilvl")?.parse().ok()?;
            let val = |name: &str| l.child(name).and_then(|e| e.attr("w:val"));
            Some((
                ilvl,
                Level {
                    format: val("w:numFmt").unwrap_or("decimal").to_string(),
                    start: val("w:start").and_then(|v| v.parse().ok()).unwrap_or(1),
                    text: val("w:lvlText").unwrap_or("").to_string(),
                },
            ))
        })
        .collect()
}

impl Numbering {
    /// Reads the numbering part's root element.
    pub fn read(root: &Element) -> Numbering {
        let abstracts: HashMap<&str, HashMap<u32, Level>> = root
            .elements()
            .filter(|e| e.name == "w:abstractNum")
            .filter_map(|a| Some((a.attr("w:abstractNumId")?, levels_of(a))))
            .collect();
        let mut nums = HashMap::new();
        for n in root.elements().filter(|e| e.name == "w:num") {
            let (Some(id), Some(abs)) = (
                n.attr("w:numId"),
                n.child("w:abstractNumId").and_then(|a| a.attr("w:val")),
            ) else {
                continue;
            };
            let mut levels = abstracts.get(abs).cloned().unwrap_or_default();
            for o in n.elements().filter(|e| e.name == "w:lvlOverride") {
                let Some(ilvl) = o.attr("w:ilvl").and_then(|v| v.parse().ok()) else {
                    continue;
                };
                if let Some(l) = o.child("w:lvl") {
                    levels.extend(levels_of(&Element {
                        name: String::new(),
                        attrs: Vec::new(),
                        children: vec![crate::xml::Node::Element(l.clone())],
                    }));
                }
                let start = o
                    .child("w:startOverride")
                    .and_then(|s| s.attr("w:val"))
                    .and_then(|v| v.parse().ok());
                if let (Some(start), Some(level)) = (start, levels.get_mut(&ilvl)) {
                    level.start = start;
                }
            }
            nums.insert(id.to_string(), levels);
        }
        Numbering { nums }
    }

    /// The level `ilvl` of list `num`, if the part defines it.
    pub fn level(&self, num: &str, ilvl: u32) -> Option<&Level> {
        self.nums.get(num)?.get(&ilvl)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::parse;

    const W: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main""#;

    #[test]
    fn headings_resolve_through_names_ids_and_based_on_chains() {
        let xml = format!(
            r#"<w:styles {W}>
            <w:style w:type="paragraph" w:styleId="berschrift1"><w:name w:val="heading 1"/></w:style>
            <w:style w:type="paragraph" w:styleId="Mine"><w:name w:val="Report heading"/><w:basedOn w:val="berschrift1"/></w:style>
            <w:style w:type="paragraph" w:styleId="Heading3"><w:name w:val="Kop 3"/></w:style>
            <w:style w:type="paragraph" w:styleId="Loop"><w:basedOn w:val="Loop"/></w:style>
            </w:styles>"#
        );
        let s = Styles::read(&parse(xml.as_bytes()).unwrap());
        assert_eq!(s.heading(Some("berschrift1")), Some(1));
        assert_eq!(s.heading(Some("Mine")), Some(1));
        assert_eq!(s.heading(Some("Heading3")), Some(3));
        assert_eq!(s.heading(Some("Loop")), None);
        assert_eq!(s.heading(Some("Absent")), None);
    }

    #[test]
    fn a_style_that_hides_text_is_seen_in_the_run() {
        let xml = format!(
            r#"<w:styles {W}><w:style w:type="character" w:styleId="Secret"><w:rPr><w:vanish/></w:rPr></w:style></w:styles>"#
        );
        let s = Styles::read(&parse(xml.as_bytes()).unwrap());
        let p = s.run_props(None, Some("Secret"), &RunProps::default());
        assert_eq!(p.hidden, Some("w:vanish"));
        let shown = RunProps {
            hidden: Some(""),
            ..RunProps::default()
        };
        assert_eq!(s.run_props(None, Some("Secret"), &shown).hidden, Some(""));
    }
}

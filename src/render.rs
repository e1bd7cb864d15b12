//! Render: the HTML page, made from the public Markdown and nothing else.
//!
//! The page is rendered by parsing the published Markdown again with the one set of parser
//! options, so it can show no more than the Markdown release does. A report without raw HTML
//! takes a path that is safe by construction: the HTML writer escapes all text, and links or
//! images whose address is not `http`, `https`, `mailto` or relative are shown as their text.
//! A report with raw HTML has its rendered body cleaned by `ammonia`: no script, style, event
//! handler, frame, form, collapsed section or unsafe address survives, and comments are
//! dropped. Front matter is metadata: the HTML writer leaves it out of the page.

use std::sync::OnceLock;

use pulldown_cmark::{Event, Tag, TagEnd, html};

use crate::markdown;

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// URL schemes a page may link to; an address without a scheme is relative and allowed.
const SCHEMES: [&str; 3] = ["http", "https", "mailto"];

/// True for an address the page may carry.
pub fn safe_url(url: &str) -> bool {
    let url = url.trim_start();
    match url.find(':') {
        Some(colon) if !url[..colon].contains(['/', '?', '#']) => {
            SCHEMES.iter().any(|s| url[..colon].eq_ignore_ascii_case(s))
        }
        _ => true,
    }
}

/// The body of the page: the public Markdown as HTML.
pub fn body(public_markdown: &str) -> String {
    let mut raw_html = false;
    // A link or image with an unsafe address keeps its text and loses the address: the
    // events in between stay, the start and end are dropped.
    let mut dropped: Vec<bool> = Vec::new();
    let events: Vec<Event<'_>> = markdown::parser(public_markdown)
        .filter_map(|event| match event {
            Event::Start(Tag::Link { ref dest_url, .. } | Tag::Image { ref dest_url, .. }) => {
                let drop = !safe_url(dest_url);
                dropped.push(drop);
                (!drop).then_some(event)
            }
            Event::End(TagEnd::Link | TagEnd::Image) => {
                (!dropped.pop().unwrap_or(false)).then_some(event)
            }
            Event::Html(_) | Event::InlineHtml(_) => {
                raw_html = true;
                Some(event)
            }
            Event::Text(ref t) if t.is_empty() => None,
            other => Some(other),
        })
        .collect();
    let mut out = String::with_capacity(public_markdown.len() * 3 / 2);
    html::push_html(&mut out, events.into_iter());
    if raw_html {
        sanitiser().clean(&out).to_string()
    } else {
        out
    }
}

fn sanitiser() -> &'static ammonia::Builder<'static> {
    static BUILDER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    BUILDER.get_or_init(|| {
        let mut b = ammonia::Builder::default();
        // Collapsed sections and image maps hide content; everything else in ammonia's
        // default set is plain structure.
        b.rm_tags(["details", "summary", "map", "area"]);
        b.url_schemes(SCHEMES.into_iter().collect());
        // Footnote anchors and classes written by the Markdown renderer.
        b.add_generic_attributes(["id"]);
        b.add_allowed_classes("div", ["footnote-definition"]);
        b.add_allowed_classes("sup", ["footnote-reference", "footnote-definition-label"]);
        b
    })
}

/// A complete HTML page for a report.
pub fn page(title: &str, public_markdown: &str) -> String {
    let body = body(public_markdown);
    format!(
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n</head>\n<body>\n<main>\n{body}</main>\n</body>\n</html>\n",
        escape(title)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_is_sanitised() {
        let html = body(
            "<script>alert(1)</script>\n\ntext <b onclick=x>bold</b> <a href=\"javascript:x\">j</a>\n\n\
             <div style=\"display:none\">shown</div>\n\n<iframe src=\"https://x.example\"></iframe>\n\n\
             <details><summary>more</summary>inside</details>\n\n<form action=\"/x\"><input></form>\n\n\
             <img src=\"data:image/png;base64,AAAA\" alt=\"pic\">\n",
        );
        for banned in [
            "<script",
            "alert(1)",
            "onclick",
            "javascript:",
            "style=",
            "<iframe",
            "<details",
            "<form",
            "<input",
            "data:",
        ] {
            assert!(!html.contains(banned), "{banned} in {html}");
        }
        assert!(html.contains("<b>bold</b>"), "{html}");
        assert!(html.contains("shown") && html.contains("inside"), "{html}");
    }

    #[test]
    fn unsafe_markdown_links_keep_their_text_only() {
        let html = body(
            "[click](javascript:alert(1)) ![alt text](data:image/png;base64,AAAA) [ok](https://example.org) [rel](a/b.html)\n",
        );
        assert!(
            !html.contains("javascript:") && !html.contains("data:"),
            "{html}"
        );
        assert!(
            html.contains("click") && html.contains("alt text"),
            "{html}"
        );
        assert!(
            html.contains("href=\"https://example.org\"") && html.contains("href=\"a/b.html\""),
            "{html}"
        );
    }

    #[test]
    fn only_listed_schemes_are_safe() {
        assert!(
            safe_url("https://x")
                && safe_url("MAILTO:a@b")
                && safe_url("../x.html")
                && safe_url("#f")
                && safe_url("a/b:c")
        );
        assert!(
            !safe_url("javascript:x")
                && !safe_url(" JavaScript:x")
                && !safe_url("data:x")
                && !safe_url("vbscript:x")
        );
    }

    #[test]
    fn page_is_a_whole_document() {
        let html = page("A & B", "# Heading\n");
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("<title>A &amp; B</title>"));
        assert!(html.contains("<h1>Heading</h1>"));
    }

    #[test]
    fn front_matter_is_not_shown() {
        let html = page("T", "---\ntitle: T\n---\n\nBody\n");
        assert!(!html.contains("title:"), "{html}");
        assert!(html.contains("<p>Body</p>"));
    }
}

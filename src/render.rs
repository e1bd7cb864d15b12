//! Render: the HTML page, made from the public Markdown and nothing else.
//!
//! The page is rendered by parsing the published Markdown again with the one set of parser
//! options, so it can show no more than the Markdown release does. Raw HTML in a report is
//! shown as text rather than passed through: nothing in the page can run, hide or fetch.
//! Front matter is metadata: the HTML writer leaves it out of the page.

use pulldown_cmark::{Event, html};

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

/// The body of the page: the public Markdown as HTML, raw HTML shown as text.
pub fn body(public_markdown: &str) -> String {
    let events = markdown::parser(public_markdown).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        other => other,
    });
    let mut out = String::with_capacity(public_markdown.len() * 3 / 2);
    html::push_html(
        &mut out,
        events.filter(|e| !matches!(e, Event::Text(t) if t.is_empty())),
    );
    out
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
    fn raw_html_is_shown_not_run() {
        let html = body("<script>alert(1)</script>\n\ntext <b onclick=x>bold</b>\n");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<b "), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
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

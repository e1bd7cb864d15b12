//! The names of a release's files, in one place.
//!
//! A report released under the stem `a/b` has its Markdown at `a/b.md` and its page at
//! `a/b.html`; the release's own files sit at its root.

/// The release's manifest.
pub const MANIFEST: &str = "manifest.json";

/// The release index.
pub const INDEX_FILE: &str = "index.html";

/// The one stylesheet every page and the index link to.
pub const STYLESHEET_FILE: &str = "style.css";

/// The release-relative path of a report's public Markdown.
pub fn markdown_path(stem: &str) -> String {
    format!("{stem}.md")
}

/// The release-relative path of a report's page.
pub fn page_path(stem: &str) -> String {
    format!("{stem}.html")
}

/// A published report's outputs, in the order its manifest entry lists them.
pub fn outputs(stem: &str) -> [String; 2] {
    [markdown_path(stem), page_path(stem)]
}

/// A release-relative path as a relative URL: every byte but letters, digits, `-._~` and
/// the `/` between folders percent-encoded, so a file named `a #1.html` links as itself.
pub fn href(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_links_as_itself() {
        assert_eq!(href("a/b c#1.html"), "a/b%20c%231.html");
        assert_eq!(href("2024/pcd-1084.html"), "2024/pcd-1084.html");
    }
}

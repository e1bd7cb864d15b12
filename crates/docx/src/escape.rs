//! Word's text written as Markdown that reads as the same text.
//!
//! Every character Markdown could take for syntax inside a line is escaped with a backslash
//! ([`inline`]): emphasis and code markers, brackets, angle brackets, pipes, tildes, hashes,
//! backslashes, and an ampersand that could open a character reference. At the start of a
//! line, what would open a block is escaped too ([`line_start`]): a list marker ("1." or
//! "-"), a setext underline, and leading white space, which is dropped (Markdown would read
//! four spaces as code).

/// `text` with every inline Markdown character escaped.
pub fn inline(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '#' | '!' | '^' => {
                out.push('\\');
                out.push(c);
            }
            '&' if chars
                .peek()
                .is_some_and(|n| n.is_ascii_alphanumeric() || *n == '#') =>
            {
                out.push_str("\\&");
            }
            // Control characters other than the tab have no place in a report's text.
            c if c.is_control() && c != '\t' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A line of escaped text made safe at the start of a line: leading white space dropped,
/// block markers escaped.
pub fn line_start(line: &str) -> String {
    let line = line.trim_start_matches([' ', '\t', '\u{a0}']);
    let digits = line.chars().take_while(char::is_ascii_digit).count();
    if digits > 0 && digits <= 9 {
        let rest = &line[digits..];
        if rest.starts_with('.') || rest.starts_with(')') {
            return format!("{}\\{}", &line[..digits], rest);
        }
    }
    let first = line.chars().next();
    match first {
        Some('-' | '+' | '=') => {
            let c = first.unwrap_or('-');
            let after = &line[1..];
            let underline = line.chars().all(|x| x == c || x == ' ' || x == '\t');
            let marker = after.is_empty() || after.starts_with([' ', '\t']);
            if underline || marker {
                return format!("\\{line}");
            }
            line.to_string()
        }
        _ => line.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn syntax_characters_are_escaped() {
        assert_eq!(inline(r"a*b_c[d]<e>|f\g`h"), r"a\*b\_c\[d\]\<e\>\|f\\g\`h");
        assert_eq!(
            inline("R&D &amp; Police & Crime"),
            r"R\&D \&amp; Police & Crime"
        );
        assert_eq!(inline("# 5 ~x~"), r"\# 5 \~x\~");
    }

    #[test]
    fn block_markers_at_line_start_are_escaped() {
        assert_eq!(line_start("1. Not a list"), r"1\. Not a list");
        assert_eq!(line_start("12) Not a list"), r"12\) Not a list");
        assert_eq!(line_start("- dash"), r"\- dash");
        assert_eq!(line_start("==="), r"\===");
        assert_eq!(line_start("    code?"), "code?");
        assert_eq!(line_start("-5 degrees"), "-5 degrees");
        assert_eq!(line_start("2025 budget"), "2025 budget");
    }
}

//! Escapers for every sink a report writes to: HTML, Markdown and CSV cells.
//!
//! Subjects, user agents, rule names, display names and file names in a case come from the
//! attacker. The renderers pass *every* piece of text through these functions (there is no raw
//! pass-through), so `<script>` in a subject renders as the literal text `<script>`.
//!
//! All three first neutralise characters that change how text *looks* rather than what it
//! says: line breaks and other control characters become a space (a newline inside a table cell
//! or list item would start new Markdown blocks), and bidirectional overrides (U+202A–U+202E,
//! U+2066–U+2069, used to disguise `exe.pdf` as `fdp.exe`) become U+FFFD.

use std::borrow::Cow;

/// Replaces control characters with a space and bidi overrides with U+FFFD (shared with the
/// other writers of human-facing text).
pub use model::text::neutralize;

/// Escapes text for HTML element content and double- or single-quoted attribute values.
pub fn html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in neutralize(s).chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Escapes text for a Markdown (CommonMark / GitHub) paragraph, list item, heading or table
/// cell, so it renders as exactly these characters and never as markup or raw HTML.
///
/// `&`, `<`, `>` become entities (raw HTML passes through most Markdown renderers; entities
/// are decoded to text and re-escaped on output); the inline markup characters
/// `` \ ` * _ [ ] | ~ `` get a backslash; leading and trailing whitespace is dropped; characters
/// that only mean something at the start of a
/// line (`#`, `+`, `-`, `=`, and `1. ` / `1) ` list markers) are escaped there.
pub fn markdown(s: &str) -> String {
    let text = neutralize(s);
    // Leading spaces would make an indented code block, trailing ones a hard break; rendered
    // Markdown drops both anyway.
    let trimmed = text.trim();
    let mut out = String::with_capacity(trimmed.len() + 8);
    // Block markers only matter at the start of the text.
    let mut rest = trimmed;
    if let Some(first) = rest.chars().next() {
        if matches!(first, '#' | '+' | '-' | '=') {
            out.push('\\');
            out.push(first);
            rest = &rest[first.len_utf8()..];
        } else if first.is_ascii_digit() {
            let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
            // `1.` / `1)` start an ordered list only when followed by a space or the end.
            let marker = matches!(rest.as_bytes().get(digits), Some(b'.') | Some(b')'));
            let then = rest.as_bytes().get(digits + 1);
            if marker && then.is_none_or(|b| b.is_ascii_whitespace()) {
                out.push_str(&rest[..digits]);
                out.push('\\');
                rest = &rest[digits..];
            }
        }
    }
    for c in rest.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '~' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    out
}

/// Makes a CSV cell safe to open in a spreadsheet: a cell starting with `=`, `+`, `-`, `@`, a
/// tab or a carriage return (a formula trigger in Excel, LibreOffice and Google Sheets; OWASP
/// "CSV Injection") is prefixed with a single quote. Quoting of commas and quotes is left to the
/// CSV writer.
pub fn csv_cell(s: &str) -> Cow<'_, str> {
    match s.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => Cow::Owned(format!("'{s}")),
        _ => Cow::Borrowed(s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_script_is_inert() {
        let out = html("<script>alert('x')</script> & \"q\"");
        assert_eq!(
            out,
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
        assert!(!out.contains('<'));
    }

    #[test]
    fn html_neutralizes_newlines_and_bidi() {
        assert_eq!(html("a\nb\u{202E}c"), "a b\u{FFFD}c");
    }

    #[test]
    fn markdown_script_and_markup_are_inert() {
        let out = markdown("<script>alert(1)</script> **x** [a](javascript:b) | `c`");
        assert!(!out.contains('<'), "{out}");
        assert_eq!(
            out,
            "&lt;script&gt;alert(1)&lt;/script&gt; \\*\\*x\\*\\* \\[a\\](javascript:b) \\| \\`c\\`"
        );
    }

    #[test]
    fn markdown_line_start_markers() {
        assert_eq!(markdown("# title"), "\\# title");
        assert_eq!(markdown("- item"), "\\- item");
        assert_eq!(markdown("12. item"), "12\\. item");
        assert_eq!(markdown("2025-01-02"), "2025-01-02");
        assert_eq!(markdown("192.0.2.10"), "192.0.2.10");
        assert_eq!(markdown("3."), "3\\.");
        assert_eq!(markdown("line\n# heading"), "line # heading");
    }

    #[test]
    fn markdown_entities_typed_by_attacker_stay_literal() {
        assert_eq!(markdown("&lt;b&gt;"), "&amp;lt;b&amp;gt;");
    }

    #[test]
    fn csv_formula_cells_are_quoted() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(csv_cell("+1"), "'+1");
        assert_eq!(csv_cell("-2+3"), "'-2+3");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("\tx"), "'\tx");
        assert_eq!(csv_cell("203.0.113.5"), "203.0.113.5");
        assert_eq!(csv_cell(""), "");
    }
}

//! Building HTML safely: the one escaping function and a builder that only takes markup from
//! string literals.
//!
//! Most strings on these pages come from the attacker: user agents, subjects, display names, file
//! names, even IPs and detection reasons quote them. Rather than trusting every page to call an
//! escape function, [`Html`] accepts trusted markup only as `&'static str` (literals written in
//! this crate) and every dynamic string through [`Html::text`], which escapes it with [`escape`].
//! Attributes are always double-quoted, and [`escape`] escapes `"` and `'`, so the same function
//! is safe in text and attribute positions. URLs built from data are percent-encoded with
//! [`url_component`] first, then escaped.

use std::fmt::Write as _;

/// Escapes `& < > " '` so that `s` is inert as HTML text or inside a double- or single-quoted
/// attribute value. The only escaping function of the crate.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            // Control characters other than tab/newline have no place in a page.
            c if c.is_control() && c != '\n' && c != '\t' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Percent-encodes one URL path segment or query value: everything but RFC 3986 unreserved
/// characters, so a user name such as `a/../b` stays one segment.
pub fn url_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// An HTML fragment under construction.
#[derive(Debug, Default, Clone)]
pub struct Html {
    buf: String,
}

impl Html {
    /// An empty fragment.
    pub fn new() -> Self {
        Self::default()
    }

    /// Appends trusted markup. Only string literals qualify, which keeps data out of this path.
    pub fn raw(&mut self, markup: &'static str) -> &mut Self {
        self.buf.push_str(markup);
        self
    }

    /// Appends data as escaped text (also safe inside a quoted attribute value).
    pub fn text(&mut self, s: &str) -> &mut Self {
        self.buf.push_str(&escape(s));
        self
    }

    /// Appends `s` percent-encoded as a URL component, then escaped.
    pub fn url(&mut self, s: &str) -> &mut Self {
        self.buf.push_str(&escape(&url_component(s)));
        self
    }

    /// Appends an integer.
    pub fn int(&mut self, n: impl Into<i128>) -> &mut Self {
        let _ = write!(self.buf, "{}", n.into());
        self
    }

    /// Appends a finite number with one decimal (SVG coordinates); non-finite numbers become 0.
    pub fn num(&mut self, x: f64) -> &mut Self {
        let x = if x.is_finite() { x } else { 0.0 };
        let _ = write!(self.buf, "{x:.1}");
        self
    }

    /// Appends another fragment built the same way.
    pub fn push(&mut self, other: &Html) -> &mut Self {
        self.buf.push_str(&other.buf);
        self
    }

    /// Appends an element with escaped text content: `<tag>text</tag>`.
    pub fn elem(&mut self, open: &'static str, text: &str, close: &'static str) -> &mut Self {
        self.raw(open).text(text).raw(close)
    }

    /// Appends a committed data asset verbatim (the world outline path): compiled in from this
    /// crate's `assets/`, never from input.
    pub(crate) fn asset(&mut self, asset: &'static str) -> &mut Self {
        self.buf.push_str(asset);
        self
    }

    /// The finished markup.
    pub fn into_string(self) -> String {
        self.buf
    }

    /// The markup so far.
    pub fn as_str(&self) -> &str {
        &self.buf
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_neutralizes_markup_and_quotes() {
        assert_eq!(
            escape(r#""><img src=x onerror='a'>&"#),
            "&quot;&gt;&lt;img src=x onerror=&#39;a&#39;&gt;&amp;"
        );
        assert_eq!(escape("見守り\u{0}x"), "見守り\u{FFFD}x");
    }

    #[test]
    fn url_component_keeps_one_segment() {
        assert_eq!(url_component("a/../b c@x.jp"), "a%2F..%2Fb%20c%40x.jp");
        assert_eq!(url_component("田"), "%E7%94%B0");
    }

    #[test]
    fn builder_escapes_text_not_literals() {
        let mut h = Html::new();
        h.raw("<a href=\"/u/")
            .url("x\"y")
            .raw("\">")
            .text("<b>")
            .raw("</a>");
        assert_eq!(h.as_str(), "<a href=\"/u/x%22y\">&lt;b&gt;</a>");
    }
}

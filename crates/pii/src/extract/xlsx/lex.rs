//! A minimal XML pull tokenizer for the SpreadsheetML parts, over text already checked as
//! UTF-8: start tags (with their raw attribute text), end tags and raw text, names reduced to
//! their local part. Comments and processing instructions are skipped; a self-closing tag
//! yields a start and an end. CDATA sections and DOCTYPEs are [`Unsupported`] (the caller falls
//! back to calamine). It does not check that end tags match: the readers only look for the
//! elements they know and give up at an unexpected end of input.

use super::{Unsupported, unsupported};

/// One token.
#[derive(Debug, PartialEq)]
pub(in crate::extract) enum Tok<'a> {
    /// `<name attrs>` (also the first half of `<name attrs/>`).
    Start(&'a str, &'a str),
    /// `<name attrs/>`, from a lexer made with [`Lexer::new_unexpanded`].
    Empty(&'a str, &'a str),
    /// `</name>` (or the second half of `<name/>`).
    End(&'a str),
    /// Raw character data between tags (entities not decoded).
    Text(&'a str),
}

/// Tokenizer state (cloned to look ahead).
#[derive(Clone)]
pub(in crate::extract) struct Lexer<'a> {
    s: &'a str,
    pos: usize,
    pending_end: Option<&'a str>,
    expand_empty: bool,
}

fn local(name: &str) -> &str {
    match name.bytes().position(|b| b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

impl<'a> Lexer<'a> {
    /// A lexer that yields `<a/>` as a start and an end tag.
    pub(in crate::extract) fn new(s: &'a str) -> Self {
        Lexer {
            s,
            pos: 0,
            pending_end: None,
            expand_empty: true,
        }
    }

    /// A lexer that yields `<a/>` as [`Tok::Empty`].
    pub(in crate::extract) fn new_unexpanded(s: &'a str) -> Self {
        Lexer {
            expand_empty: false,
            ..Lexer::new(s)
        }
    }

    /// The next token; `None` at the end of the input.
    pub(in crate::extract) fn next_tok(&mut self) -> Result<Option<Tok<'a>>, Unsupported> {
        if let Some(name) = self.pending_end.take() {
            return Ok(Some(Tok::End(name)));
        }
        loop {
            let s = self.s;
            let bytes = s.as_bytes();
            let Some(&first) = bytes.get(self.pos) else {
                return Ok(None);
            };
            if first != b'<' {
                let start = self.pos;
                let end = next_lt(s, start);
                self.pos = end;
                return Ok(Some(Tok::Text(&s[start..end])));
            }
            // What follows `<` decides the kind (byte tests instead of prefix comparisons).
            match bytes.get(self.pos + 1) {
                Some(b'!') => {
                    let rest = &s[self.pos..];
                    if !rest.starts_with("<!--") {
                        return unsupported("CDATA or DOCTYPE");
                    }
                    let Some(i) = rest.find("-->") else {
                        return unsupported("comment not closed");
                    };
                    self.pos += i + 3;
                    continue;
                }
                Some(b'?') => {
                    let Some(i) = s[self.pos..].find("?>") else {
                        return unsupported("processing instruction not closed");
                    };
                    self.pos += i + 2;
                    continue;
                }
                Some(b'/') => {
                    let after = &s[self.pos + 2..];
                    let Some(i) = after.bytes().position(|b| b == b'>') else {
                        return unsupported("end tag not closed");
                    };
                    self.pos += 2 + i + 1;
                    return Ok(Some(Tok::End(local(after[..i].trim_end()))));
                }
                _ => {}
            }
            let rest = &s[self.pos..];
            // A start tag: find its `>` outside quoted attribute values.
            let Some(close) = tag_close(&rest.as_bytes()[1..]) else {
                return unsupported("start tag not closed");
            };
            let inner = &rest[1..1 + close];
            self.pos += 1 + close + 1;
            let (inner, empty) = match inner.strip_suffix('/') {
                Some(x) => (x, true),
                None => (inner, false),
            };
            // Bytes of non-ASCII characters are never ASCII whitespace.
            let name_end = inner
                .bytes()
                .position(|b| b.is_ascii_whitespace())
                .unwrap_or(inner.len());
            let name = local(&inner[..name_end]);
            if name.is_empty() {
                return unsupported("tag without a name");
            }
            let attrs = &inner[name_end..];
            if empty && !self.expand_empty {
                return Ok(Some(Tok::Empty(name, attrs)));
            }
            if empty {
                self.pending_end = Some(name);
            }
            return Ok(Some(Tok::Start(name, attrs)));
        }
    }

    /// The tokenizer as first written (prefix comparisons, `str::find`): the reference
    /// [`Lexer::next_tok`] is tested against.
    #[cfg(test)]
    pub(in crate::extract) fn next_tok_reference(
        &mut self,
    ) -> Result<Option<Tok<'a>>, Unsupported> {
        if let Some(name) = self.pending_end.take() {
            return Ok(Some(Tok::End(name)));
        }
        loop {
            let s = self.s;
            let bytes = s.as_bytes();
            let Some(&first) = bytes.get(self.pos) else {
                return Ok(None);
            };
            if first != b'<' {
                let start = self.pos;
                let end = s[start..].find('<').map_or(s.len(), |i| start + i);
                self.pos = end;
                return Ok(Some(Tok::Text(&s[start..end])));
            }
            let rest = &s[self.pos..];
            if rest.starts_with("<!--") {
                let Some(i) = rest.find("-->") else {
                    return unsupported("comment not closed");
                };
                self.pos += i + 3;
                continue;
            }
            if rest.starts_with("<?") {
                let Some(i) = rest.find("?>") else {
                    return unsupported("processing instruction not closed");
                };
                self.pos += i + 2;
                continue;
            }
            if rest.starts_with("<!") {
                return unsupported("CDATA or DOCTYPE");
            }
            if let Some(after) = rest.strip_prefix("</") {
                let Some(i) = after.find('>') else {
                    return unsupported("end tag not closed");
                };
                self.pos += 2 + i + 1;
                return Ok(Some(Tok::End(local(after[..i].trim_end()))));
            }
            // A start tag: find its `>` outside quoted attribute values.
            let tag = &rest.as_bytes()[1..];
            let mut quote = 0u8;
            let mut close = None;
            for (i, &b) in tag.iter().enumerate() {
                match b {
                    b'"' | b'\'' if quote == 0 => quote = b,
                    q if q == quote && quote != 0 => quote = 0,
                    b'>' if quote == 0 => {
                        close = Some(i);
                        break;
                    }
                    _ => {}
                }
            }
            let Some(close) = close else {
                return unsupported("start tag not closed");
            };
            let inner = &rest[1..1 + close];
            self.pos += 1 + close + 1;
            let (inner, empty) = match inner.strip_suffix('/') {
                Some(x) => (x, true),
                None => (inner, false),
            };
            let name_end = inner
                .find(|c: char| c.is_ascii_whitespace())
                .unwrap_or(inner.len());
            let name = local(&inner[..name_end]);
            if name.is_empty() {
                return unsupported("tag without a name");
            }
            let attrs = &inner[name_end..];
            if empty && !self.expand_empty {
                return Ok(Some(Tok::Empty(name, attrs)));
            }
            if empty {
                self.pending_end = Some(name);
            }
            return Ok(Some(Tok::Start(name, attrs)));
        }
    }

    /// The common string item `<t>text</t></{end}>` (or `<t xml:space="preserve">`) read
    /// directly from the bytes: the raw text and whether spaces are preserved. These exact
    /// forms tokenize as Start("t"), Text, End("t"), End(end); anything else (other
    /// attributes, spaces in tags, empty text, rich runs) returns `None` and the lexer is not
    /// moved.
    pub(super) fn simple_text_item(&mut self, end: &str) -> Option<(&'a str, bool)> {
        if let Some(x) = self.simple_element("<t>", "t", end) {
            return Some((x, false));
        }
        self.simple_element(r#"<t xml:space="preserve">"#, "t", end)
            .map(|x| (x, true))
    }

    /// A cell's value `<v>text</v></c>` read directly from the bytes (tokens: Start("v"),
    /// Text, End("v"), End("c")); `None`, lexer not moved, for anything else.
    pub(super) fn simple_cell_value(&mut self) -> Option<&'a str> {
        self.simple_element("<v>", "v", "c")
    }

    /// `{open}text</{inner}></{outer}>` at the current position, with non-empty text and no
    /// pending end tag: the raw text, the lexer moved past it.
    fn simple_element(&mut self, open: &str, inner: &str, outer: &str) -> Option<&'a str> {
        if self.pending_end.is_some() {
            return None;
        }
        let body = strip(self.s.get(self.pos..)?, open)?;
        let lt = body.bytes().position(|b| b == b'<')?;
        if lt == 0 {
            return None;
        }
        let after = strip(
            strip(strip(strip(&body[lt..], "</")?, inner)?, "></")?,
            outer,
        )?
        .strip_prefix('>')?;
        self.pos = self.s.len() - after.len();
        Some(&body[..lt])
    }

    /// Skips to the end tag closing the element just started (nested elements included).
    pub(super) fn skip_element(&mut self) -> Result<(), Unsupported> {
        let mut depth = 1u32;
        while depth > 0 {
            match self.next_tok()? {
                Some(Tok::Start(..)) => depth += 1,
                Some(Tok::End(_)) => depth -= 1,
                Some(Tok::Text(_) | Tok::Empty(..)) => {}
                None => return unsupported("element not closed"),
            }
        }
        Ok(())
    }
}

/// `s.strip_prefix(prefix)` for the few-byte tag texts of [`Lexer::simple_element`], compared
/// byte by byte in place (the `str` method calls `memcmp` for each).
pub(super) fn strip<'s>(s: &'s str, prefix: &str) -> Option<&'s str> {
    let (b, p) = (s.as_bytes(), prefix.as_bytes());
    if b.len() < p.len() || !b.iter().zip(p).all(|(x, y)| x == y) {
        return None;
    }
    // `prefix` is whole characters, so its length is a character boundary of `s`.
    s.get(p.len()..)
}

/// The offset of the `>` closing a start tag (`tag` starts after its `<`), skipping quoted
/// attribute values: a search for the next `>` or quote, then for the closing quote.
fn tag_close(tag: &[u8]) -> Option<usize> {
    let mut i = 0;
    loop {
        let at = i + tag
            .get(i..)?
            .iter()
            .position(|&b| b == b'>' || b == b'"' || b == b'\'')?;
        let q = tag[at];
        if q == b'>' {
            return Some(at);
        }
        i = at + 1 + tag.get(at + 1..)?.iter().position(|&b| b == q)? + 1;
    }
}

/// Iterates `(qualified name, raw value)` over a start tag's attribute text.
pub(super) struct Attrs<'a>(&'a str);

impl<'a> Iterator for Attrs<'a> {
    type Item = (&'a str, &'a str);

    fn next(&mut self) -> Option<Self::Item> {
        let rest = trim_start_ws(self.0);
        let eq = rest.as_bytes().iter().position(|&b| b == b'=')?;
        let key = trim_end_ws(&rest[..eq]);
        let after = trim_start_ws(&rest[eq + 1..]);
        let q = *after
            .as_bytes()
            .first()
            .filter(|c| **c == b'"' || **c == b'\'')?;
        let body = &after[1..];
        let end = body.as_bytes().iter().position(|&b| b == q)?;
        self.0 = &body[end + 1..];
        Some((key, &body[..end]))
    }
}

/// `str::trim_start` (Unicode whitespace) with the ASCII bytes decided by a byte test; the
/// str method only from the first non-ASCII byte on.
pub(super) fn trim_start_ws(s: &str) -> &str {
    for (i, &b) in s.as_bytes().iter().enumerate() {
        if !b.is_ascii() {
            return s[i..].trim_start();
        }
        if !matches!(b, b'\t'..=b'\r' | b' ') {
            return &s[i..];
        }
    }
    ""
}

/// `str::trim_end` likewise.
pub(super) fn trim_end_ws(s: &str) -> &str {
    for (i, &b) in s.as_bytes().iter().enumerate().rev() {
        if !b.is_ascii() {
            return s[..=i].trim_end();
        }
        if !matches!(b, b'\t'..=b'\r' | b' ') {
            return &s[..=i];
        }
    }
    ""
}

/// The offset of the next `<` at or after `start`, or the end of `s`. Text between tags in
/// these parts is mostly a short cell value: a plain loop over the first bytes, the
/// vectorised `str::find` for longer runs (docx paragraphs).
fn next_lt(s: &str, start: usize) -> usize {
    const SHORT: usize = 32;
    let b = s.as_bytes();
    let near = b.len().min(start + SHORT);
    if let Some(i) = b[start..near].iter().position(|&x| x == b'<') {
        return start + i;
    }
    // `<` is ASCII, so it is never inside a character: continue from the next boundary.
    let mut from = near;
    while !s.is_char_boundary(from) {
        from += 1;
    }
    s[from..].find('<').map_or(s.len(), |i| from + i)
}

/// The attributes of a start tag.
pub(super) fn attrs(text: &str) -> Attrs<'_> {
    Attrs(text)
}

/// The raw value of the attribute with local name `name` in a start tag's attribute text.
pub(super) fn attr<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    attrs(text).find(|(k, _)| local(k) == name).map(|x| x.1)
}

/// The value of a prefixed `…:id` attribute (the relationship id `r:id`).
pub(super) fn prefixed_id(text: &str) -> Option<&str> {
    attrs(text).find(|(k, _)| k.ends_with(":id")).map(|x| x.1)
}

/// The local part of a qualified name.
pub(super) fn local_name(name: &str) -> &str {
    local(name)
}

/// Appends raw XML text with entity and character references decoded and line ends
/// normalised (CR LF and lone CR become LF, as an XML processor must).
pub(super) fn push_decoded(out: &mut String, raw: &str) -> Result<(), Unsupported> {
    if !raw.contains(['&', '\r']) {
        out.push_str(raw);
        return Ok(());
    }
    let mut rest = raw;
    while let Some(i) = rest.find(['&', '\r']) {
        out.push_str(&rest[..i]);
        if rest.as_bytes()[i] == b'\r' {
            out.push('\n');
            rest = &rest[i + 1..];
            rest = rest.strip_prefix('\n').unwrap_or(rest);
            continue;
        }
        let Some(semi) = rest[i..].find(';') else {
            return unsupported("bare & in text");
        };
        let name = &rest[i + 1..i + semi];
        match crate::extract::office::resolve_ref(name) {
            Some(c) if name != "nbsp" => out.push(c),
            _ => return unsupported(format!("entity &{name};")),
        }
        rest = &rest[i + semi + 1..];
    }
    out.push_str(rest);
    Ok(())
}

/// Raw text decoded, borrowed when it holds no reference or CR.
pub(super) fn decoded_cow(raw: &str) -> Result<std::borrow::Cow<'_, str>, Unsupported> {
    if raw.contains(['&', '\r']) {
        decoded(raw).map(std::borrow::Cow::Owned)
    } else {
        Ok(std::borrow::Cow::Borrowed(raw))
    }
}

/// Like [`push_decoded`], but an unknown entity is dropped and `&nbsp;` is a space, as the
/// quick-xml readers of docx/pptx text do.
pub(in crate::extract) fn push_text_lenient(
    out: &mut String,
    raw: &str,
) -> Result<(), Unsupported> {
    let mut rest = raw;
    while let Some(i) = rest.find('&') {
        let Some(semi) = rest[i..].find(';') else {
            return unsupported("bare & in text");
        };
        push_decoded(out, &rest[..i])?;
        if let Some(c) = crate::extract::office::resolve_ref(&rest[i + 1..i + semi]) {
            out.push(c);
        }
        rest = &rest[i + semi + 1..];
    }
    push_decoded(out, rest)
}

/// An attribute value decoded.
pub(super) fn decoded(raw: &str) -> Result<String, Unsupported> {
    let mut s = String::with_capacity(raw.len());
    push_decoded(&mut s, raw)?;
    Ok(s)
}

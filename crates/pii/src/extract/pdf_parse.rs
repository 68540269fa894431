//! A strict reader for the simplest PDF files, building the same [`lopdf::Document`] that
//! `Document::load_mem` builds for them, so that [`super::pdf_fast`] can run on the calling
//! thread instead of the PDF worker.
//!
//! Why: handing every PDF to the worker thread (a channel send, a futex wake, a wait and the
//! same back) cost more CPU than reading a small PDF. The worker exists because lopdf and
//! pdf-extract parse hostile input and a hang must not stall the scan; this reader is ours and
//! bounded by construction, so it needs no time limit: the input is small (see
//! [`IN_THREAD_MAX_BYTES`]), every loop advances through it, nesting is capped, no stream is
//! decompressed, and what lopdf does afterwards on the calling thread (walking a page tree it
//! limits itself, splitting uncompressed content into operators) is linear in that input,
//! because [`load`] declines a page listed twice, page content (repeats included) longer than
//! the file, and objects whose parsed bytes together exceed it.
//!
//! What it accepts is a strict subset of what lopdf reads the same way: `%PDF-x.y` at byte 0;
//! one classic cross-reference table (`xref`, one `0 n` section, entry 0 free, every other entry
//! in use with generation 0) found by a final `startxref`/`%%EOF`; a trailer without `/Prev`,
//! `/XRefStm` or `/Encrypt`; each listed object at its offset as `n 0 obj … endobj` with the
//! listed number; objects built from null, booleans, integers, reals, names without `#`
//! escapes, literal strings without escapes, nesting or line ends, arrays, dictionaries without
//! repeated keys, references; streams with a direct `/Length`, no `/Filter`, and not object or
//! cross-reference streams; no comments inside objects. Anything else is `None` and the PDF
//! goes to the worker as before.

use lopdf::{Dictionary, Document, Object, Stream};
use std::collections::BTreeMap;

/// Largest PDF read on the calling thread.
pub(super) const IN_THREAD_MAX_BYTES: usize = 64 << 10;

/// Deepest nesting of arrays and dictionaries accepted (lopdf allows 100).
const MAX_DEPTH: usize = 32;

fn is_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0 | 0x0C)
}

fn is_regular(c: u8) -> bool {
    !is_ws(c) && !b"()<>[]{}/%".contains(&c)
}

struct Cursor<'a> {
    b: &'a [u8],
    pos: usize,
}

impl<'a> Cursor<'a> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn eat(&mut self, lit: &[u8]) -> bool {
        if self.b.get(self.pos..).is_some_and(|r| r.starts_with(lit)) {
            self.pos += lit.len();
            true
        } else {
            false
        }
    }

    /// Whitespace; a comment is not accepted.
    fn space(&mut self) -> Option<()> {
        while let Some(c) = self.peek() {
            if c == b'%' {
                return None;
            }
            if !is_ws(c) {
                break;
            }
            self.pos += 1;
        }
        Some(())
    }

    /// At the end or before whitespace or a delimiter other than `%`.
    fn at_boundary(&self) -> bool {
        self.peek().is_none_or(|c| !is_regular(c) && c != b'%')
    }

    fn digits(&mut self) -> Option<&'a [u8]> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        (self.pos > start).then(|| &self.b[start..self.pos])
    }

    fn eol(&mut self) -> bool {
        self.eat(b"\r\n") || self.eat(b"\n")
    }

    fn name(&mut self) -> Option<Vec<u8>> {
        if !self.eat(b"/") {
            return None;
        }
        let start = self.pos;
        while self.peek().is_some_and(is_regular) {
            self.pos += 1;
        }
        let name = &self.b[start..self.pos];
        (!name.contains(&b'#')).then(|| name.to_vec())
    }

    /// `n g R` at the cursor (the cursor moved past it), else `None` with the cursor kept.
    fn reference(&mut self) -> Option<Object> {
        let start = self.pos;
        let found = (|| {
            let id = parse_ascii::<u32>(self.digits()?)?;
            let ws = self.pos;
            self.space()?;
            if self.pos == ws {
                return None;
            }
            let generation = parse_ascii::<u16>(self.digits()?)?;
            self.space()?;
            (self.eat(b"R") && self.at_boundary()).then_some(Object::Reference((id, generation)))
        })();
        if found.is_none() {
            self.pos = start;
        }
        found
    }

    fn number(&mut self) -> Option<Object> {
        let start = self.pos;
        if matches!(self.peek(), Some(b'+' | b'-')) {
            self.pos += 1;
        }
        let int = self.digits().is_some();
        let real = self.eat(b".");
        if real {
            let frac = self.digits().is_some();
            if !int && !frac {
                return None;
            }
        } else if !int {
            return None;
        }
        if !self.at_boundary() {
            return None;
        }
        number_object(&self.b[start..self.pos], real)
    }

    fn literal_string(&mut self) -> Option<Object> {
        if !self.eat(b"(") {
            return None;
        }
        let start = self.pos;
        loop {
            match self.peek()? {
                b')' => break,
                b'(' | b'\\' | b'\r' | b'\n' => return None,
                _ => self.pos += 1,
            }
        }
        let s = self.b[start..self.pos].to_vec();
        self.pos += 1;
        Some(Object::string_literal(s))
    }

    fn dictionary(&mut self, depth: usize) -> Option<Dictionary> {
        if depth == 0 || !self.eat(b"<<") {
            return None;
        }
        self.space()?;
        let mut dict = Dictionary::new();
        while !self.eat(b">>") {
            let key = self.name()?;
            self.space()?;
            let value = self.object(depth - 1)?;
            if dict.has(&key) {
                return None;
            }
            dict.set(key, value);
        }
        Some(dict)
    }

    /// A direct object and the whitespace after it.
    fn object(&mut self, depth: usize) -> Option<Object> {
        if depth == 0 {
            return None;
        }
        let o = match self.peek()? {
            b'/' => Object::Name(self.name()?),
            b'(' => self.literal_string()?,
            b'<' => Object::Dictionary(self.dictionary(depth)?),
            b'[' => {
                self.pos += 1;
                self.space()?;
                let mut items = Vec::new();
                while !self.eat(b"]") {
                    items.push(self.object(depth - 1)?);
                }
                Object::Array(items)
            }
            b't' if self.eat(b"true") && self.at_boundary() => Object::Boolean(true),
            b'f' if self.eat(b"false") && self.at_boundary() => Object::Boolean(false),
            b'n' if self.eat(b"null") && self.at_boundary() => Object::Null,
            c if c.is_ascii_digit() => match self.reference() {
                Some(r) => r,
                None => self.number()?,
            },
            b'+' | b'-' | b'.' => self.number()?,
            _ => return None,
        };
        self.space()?;
        Some(o)
    }

    /// `id 0 obj … endobj` at the cursor.
    fn indirect_object(&mut self, id: u32) -> Option<Object> {
        if parse_ascii::<u32>(self.digits()?)? != id || !self.eat(b" 0 obj") {
            return None;
        }
        self.space()?;
        let o = if self.peek() == Some(b'<') && self.b.get(self.pos + 1) == Some(&b'<') {
            let dict = self.dictionary(MAX_DEPTH)?;
            self.space()?;
            if self.eat(b"stream") {
                self.stream(dict)?
            } else {
                Object::Dictionary(dict)
            }
        } else {
            self.object(MAX_DEPTH)?
        };
        (self.eat(b"endobj") && self.at_boundary()).then_some(o)
    }

    /// A stream's data after its `stream` keyword, up to and past `endstream`.
    fn stream(&mut self, dict: Dictionary) -> Option<Object> {
        if dict.has(b"Filter")
            || dict.has(b"DecodeParms")
            || dict.has_type(b"ObjStm")
            || dict.has_type(b"XRef")
        {
            return None;
        }
        let len = match dict.get(b"Length").ok()? {
            Object::Integer(n) => usize::try_from(*n).ok()?,
            _ => return None,
        };
        while matches!(self.peek(), Some(b' ' | b'\t')) {
            self.pos += 1;
        }
        if !self.eol() {
            return None;
        }
        let data = self.b.get(self.pos..self.pos.checked_add(len)?)?.to_vec();
        self.pos += len;
        self.eol();
        if !self.eat(b"endstream") {
            return None;
        }
        self.space()?;
        Some(Object::Stream(Stream::new(dict, data)))
    }
}

fn parse_ascii<T: std::str::FromStr>(digits: &[u8]) -> Option<T> {
    std::str::from_utf8(digits).ok()?.parse().ok()
}

/// The offset after `startxref` when the file ends `startxref⏎offset⏎%%EOF[⏎]`.
fn xref_offset(b: &[u8]) -> Option<usize> {
    let body = b
        .strip_suffix(b"\r\n")
        .or_else(|| b.strip_suffix(b"\n"))
        .unwrap_or(b);
    let body = body.strip_suffix(b"%%EOF")?;
    let body = body
        .strip_suffix(b"\r\n")
        .or_else(|| body.strip_suffix(b"\n"))?;
    let digits_at = body.iter().rposition(|c| !c.is_ascii_digit())? + 1;
    let digits = &body[digits_at..];
    if digits.is_empty() || digits.len() > 10 {
        return None;
    }
    let before = &body[..digits_at];
    let before = before
        .strip_suffix(b"\r\n")
        .or_else(|| before.strip_suffix(b"\n"))?;
    before.strip_suffix(b"startxref")?;
    parse_ascii(digits)
}

/// The document lopdf would load from `b`, when `b` is within the accepted subset.
pub(super) fn load(b: &[u8]) -> Option<Document> {
    if b.len() > IN_THREAD_MAX_BYTES {
        return None;
    }
    // Header line: `%PDF-` and the version digits only.
    let mut c = Cursor { b, pos: 0 };
    if !c.eat(b"%PDF-") {
        return None;
    }
    while c.peek().is_some_and(|x| x.is_ascii_digit() || x == b'.') {
        c.pos += 1;
    }
    if !c.eol() {
        return None;
    }
    let mut c = Cursor {
        b,
        pos: xref_offset(b)?,
    };
    if !(c.eat(b"xref") && c.eol() && c.eat(b"0 ")) {
        return None;
    }
    let count: usize = parse_ascii(c.digits()?)?;
    if !c.eol() || count == 0 || count > b.len() / 20 {
        return None;
    }
    let mut offsets = Vec::with_capacity(count - 1);
    for k in 0..count {
        let e = c.b.get(c.pos..c.pos + 20)?;
        c.pos += 20;
        let (off, gen_, kind, end) = (&e[..10], &e[10..17], e[17], &e[18..]);
        if !off.iter().all(u8::is_ascii_digit) || !matches!(end, b" \n" | b"\r\n" | b" \r") {
            return None;
        }
        match (k, gen_, kind) {
            (0, b" 65535 ", b'f') => {}
            (1.., b" 00000 ", b'n') => offsets.push(parse_ascii::<usize>(off)?),
            _ => return None,
        }
    }
    if !c.eat(b"trailer") {
        return None;
    }
    c.space()?;
    let trailer = c.dictionary(MAX_DEPTH)?;
    if !matches!(trailer.get(b"Size"), Ok(Object::Integer(_)))
        || trailer.has(b"Prev")
        || trailer.has(b"XRefStm")
        || trailer.has(b"Encrypt")
    {
        return None;
    }
    let mut objects = BTreeMap::new();
    // Objects may overlap (one listed inside another's stream data); the bytes parsed in all
    // of them together stay within the file's length, so the work stays linear.
    let mut parsed = 0usize;
    for (k, off) in offsets.into_iter().enumerate() {
        let id = u32::try_from(k + 1).ok()?;
        let mut c = Cursor { b, pos: off };
        objects.insert((id, 0), c.indirect_object(id)?);
        parsed = parsed.saturating_add(c.pos.saturating_sub(off));
        if parsed > b.len() {
            return None;
        }
    }
    let mut doc = Document::new();
    doc.objects = objects;
    doc.trailer = trailer;
    pages_within(&doc, b.len()).then_some(doc)
}

/// Whether reading the pages stays linear in the input: no page is listed twice, and the page
/// content lopdf concatenates for them (every stream of every `/Contents`, repeats included,
/// plus a line break each) is no longer than the file. Without this, a 64 KiB file listing one
/// stream thousands of times in `/Contents` (or one page many times in `/Kids`) would expand
/// to gigabytes of content on the calling thread, where no time limit applies.
fn pages_within(doc: &Document, limit: usize) -> bool {
    let mut seen = std::collections::HashSet::new();
    let mut total = 0usize;
    for page in doc.page_iter() {
        if !seen.insert(page) {
            return false;
        }
        for id in doc.get_page_contents(page) {
            let len = doc
                .get_object(id)
                .and_then(Object::as_stream)
                .map_or(0, |s| s.content.len());
            total = total.saturating_add(len + 1);
            if total > limit {
                return false;
            }
        }
    }
    true
}

/// Content-stream whitespace (lopdf's: no NUL or form feed).
fn is_content_ws(c: u8) -> bool {
    matches!(c, b' ' | b'\t' | b'\r' | b'\n')
}

/// After a content token: the end, whitespace or a delimiter that starts another token.
fn content_boundary(b: &[u8], pos: usize) -> bool {
    b.get(pos)
        .is_none_or(|&c| is_content_ws(c) || matches!(c, b'(' | b')' | b'[' | b']' | b'/'))
}

impl Cursor<'_> {
    fn content_space(&mut self) {
        while self.peek().is_some_and(is_content_ws) {
            self.pos += 1;
        }
    }

    /// A number ending at a content boundary.
    fn content_number(&mut self) -> Option<Object> {
        let start = self.pos;
        if matches!(self.peek(), Some(b'+' | b'-')) {
            self.pos += 1;
        }
        let int = self.digits().is_some();
        let real = self.eat(b".");
        let frac = real && self.digits().is_some();
        if !(int || frac) || !content_boundary(self.b, self.pos) {
            return None;
        }
        number_object(&self.b[start..self.pos], real)
    }

    /// A literal string whose only escapes are `\\`, `\(` and `\)` (no nested parentheses or
    /// line ends), unescaped as lopdf does.
    fn content_string(&mut self) -> Option<Object> {
        if !self.eat(b"(") {
            return None;
        }
        let mut out = Vec::new();
        loop {
            match self.peek()? {
                b')' => break,
                b'\\' => {
                    let e = *self.b.get(self.pos + 1)?;
                    if !matches!(e, b'\\' | b'(' | b')') {
                        return None;
                    }
                    out.push(e);
                    self.pos += 2;
                }
                b'(' | b'\r' | b'\n' => return None,
                c => {
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
        self.pos += 1;
        Some(Object::string_literal(out))
    }

    /// One operand and the whitespace after it; `None` for anything outside the subset.
    fn content_operand(&mut self) -> Option<Object> {
        let o = match self.peek()? {
            b'/' => Object::Name(self.name()?),
            b'(' => self.content_string()?,
            b'[' => {
                self.pos += 1;
                self.content_space();
                let mut items = Vec::new();
                while !self.eat(b"]") {
                    let item = match self.peek()? {
                        b'(' => self.content_string()?,
                        _ => self.content_number()?,
                    };
                    self.content_space();
                    items.push(item);
                }
                Object::Array(items)
            }
            _ => self.content_number()?,
        };
        self.content_space();
        Some(o)
    }
}

/// Page content split into operations as lopdf's `Content::decode` splits it, for content
/// within a strict subset: operands are numbers, names without `#`, literal strings with only
/// `\\ \( \)` escapes and arrays of numbers and strings; operators are words of letters, `*`,
/// `'` and `"` (not starting like `null`, `true`, `false` or an inline image `BI`); only
/// space, tab, CR and LF between tokens; no comments. `None` otherwise (and where lopdf would
/// stop early, the whole input is still required to parse).
pub(super) fn content(data: &[u8]) -> Option<lopdf::content::Content> {
    let mut c = Cursor { b: data, pos: 0 };
    let mut operations = Vec::new();
    let mut operands = Vec::new();
    c.content_space();
    while let Some(first) = c.peek() {
        if first.is_ascii_alphabetic() || matches!(first, b'*' | b'\'' | b'"') {
            let start = c.pos;
            while c
                .peek()
                .is_some_and(|x| x.is_ascii_alphabetic() || matches!(x, b'*' | b'\'' | b'"'))
            {
                c.pos += 1;
            }
            let word = &data[start..c.pos];
            if [&b"null"[..], b"true", b"false", b"BI"]
                .iter()
                .any(|p| word.starts_with(p))
                || !content_boundary(data, c.pos)
            {
                return None;
            }
            c.content_space();
            operations.push(lopdf::content::Operation {
                operator: std::str::from_utf8(word).ok()?.to_string(),
                operands: std::mem::take(&mut operands),
            });
        } else {
            operands.push(c.content_operand()?);
        }
    }
    operands
        .is_empty()
        .then_some(lopdf::content::Content { operations })
}

/// A number token as lopdf reads it: a real (`f32`) when it has a decimal point, else an
/// integer (`i64`); `None` when it does not parse.
fn number_object(token: &[u8], real: bool) -> Option<Object> {
    let text = std::str::from_utf8(token).ok()?;
    if real {
        text.parse::<f32>().ok().map(Object::Real)
    } else {
        text.parse::<i64>().ok().map(Object::Integer)
    }
}

#[cfg(test)]
mod tests;

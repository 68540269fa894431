//! The fast way through mail-parser: parse the message's skeleton, decode the base64 bodies
//! here.
//!
//! mail-parser reads every byte of a message one at a time — base64 bodies included, decoded
//! while it looks for the next boundary. On a mailbox of Office attachments that was the
//! largest cost of reading mail. Here the base64 bodies are cut out first: [`find_blocks`]
//! finds each run of base64 lines that starts right after a header block mentioning base64
//! and ends before an empty line, a line starting with `-` (a boundary) or the end. mail-parser
//! then parses the *skeleton* — the message without those runs, so every cut part has an
//! empty body — with its ordinary settings, and each cut run is decoded by
//! [`crate::base64::decode_mime`] and given to the part it was cut from, stored exactly as
//! mail-parser stores a decoded body.
//!
//! The skeleton is used only when every cut run lands, as an empty body (or one of empty lines,
//! as Exchange writes before a boundary), in a base64 part that
//! is a leaf (text or binary) of a message without nested `message/rfc822` parts, and when
//! every run decodes under the strict decoder (which accepts only what it decodes the way
//! mail-parser does). Otherwise [`parse`] returns `None` and the message is parsed whole by
//! mail-parser. Quoted-printable, 7bit and 8bit parts stay in the skeleton and are read by
//! mail-parser as always. The tests in `parse.rs` check that both ways give the same
//! [`crate::MailMessage`] on every message of the public corpora and on generated ones.

use std::borrow::Cow;
use std::sync::LazyLock;

use memchr::memmem::Finder;

use mail_parser::decoders::charsets::map::charset_decoder;
use mail_parser::{Encoding, MessageParser, MessagePart, MimeHeaders, PartType};

use super::{Origin, convert_with};
use crate::message::MailMessage;

/// A run of base64 lines cut out of the message.
struct Block {
    /// Byte range in the message.
    start: usize,
    end: usize,
    /// Where the run was, in the skeleton.
    at: usize,
    /// The decoded bytes (taken when the run is given to its part).
    bytes: Option<Vec<u8>>,
}

/// Finds `\n\n` and `\n\r\n`: the empty line that ends a header block.
static BLANK: LazyLock<[Finder<'static>; 2]> =
    LazyLock::new(|| [Finder::new(b"\n\n"), Finder::new(b"\n\r\n")]);

/// Finds a line break followed by `-`: the line of a boundary.
static DASH_LINE: LazyLock<Finder<'static>> = LazyLock::new(|| Finder::new(b"\n-"));

/// Finds "message/" and "digest" in their usual spellings: a nested message may follow.
static NESTED: LazyLock<[Finder<'static>; 4]> = LazyLock::new(|| {
    [
        Finder::new(b"essage/"),
        Finder::new(b"ESSAGE/"),
        Finder::new(b"igest"),
        Finder::new(b"IGEST"),
    ]
});

/// Finds "base64" in its usual spellings (`base64`, `Base64`, `BASE64`).
static BASE64: LazyLock<[Finder<'static>; 2]> =
    LazyLock::new(|| [Finder::new(b"ase64"), Finder::new(b"ASE64")]);

/// Parses `raw` the fast way; `None` when the message has no base64 run to cut, or needs
/// mail-parser's reading of the whole message (see the module documentation).
pub(super) fn parse(raw: &[u8], origin: Origin<'_>) -> Option<MailMessage> {
    let mut blocks = find_blocks(raw);
    if blocks.is_empty() {
        return None;
    }
    let mut skeleton = Vec::with_capacity(4096);
    let mut from = 0;
    for b in &mut blocks {
        skeleton.extend_from_slice(&raw[from..b.start]);
        b.at = skeleton.len();
        from = b.end;
    }
    skeleton.extend_from_slice(&raw[from..]);

    let mut m = MessageParser::default().parse(&skeleton)?;
    // The original base64 text of each part given a cut run, by part index: what a text
    // attachment's bytes are decoded from.
    let mut originals: Vec<(usize, &[u8])> = Vec::with_capacity(blocks.len());
    let mut given = 0;
    for (i, part) in m.parts.iter_mut().enumerate() {
        if matches!(part.body, PartType::Message(_)) {
            return None;
        }
        let at = part.offset_body as usize;
        let Ok(k) = blocks.binary_search_by_key(&at, |b| b.at) else {
            continue;
        };
        let block = &mut blocks[k];
        // What is left of the body in the skeleton: nothing, or the empty lines Exchange
        // writes before a boundary (whitespace to mail-parser's base64 decoder).
        let left = skeleton.get(at..part.offset_end as usize).filter(|rest| {
            rest.iter()
                .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        });
        let left = left?;
        if part.encoding != Encoding::Base64 || part.is_encoding_problem || block.bytes.is_none() {
            return None;
        }
        let bytes = block.bytes.take()?;
        part.body = match part.body {
            PartType::Text(_) => PartType::Text(decode_text(part, bytes)),
            PartType::Html(_) => PartType::Html(decode_text(part, bytes)),
            PartType::Binary(_) => PartType::Binary(Cow::Owned(bytes)),
            PartType::InlineBinary(_) => PartType::InlineBinary(Cow::Owned(bytes)),
            _ => return None,
        };
        originals.push((i, raw.get(block.start..block.end + left.len())?));
        given += 1;
    }
    if given != blocks.len() {
        return None;
    }
    Some(convert_with(&mut m, raw.len(), origin, 0, &originals))
}

/// The base64 runs of `raw` that decode under the strict decoder, in order.
fn find_blocks(raw: &[u8]) -> Vec<Block> {
    find_blocks_searching(raw).0
}

/// [`find_blocks`], and how many bytes its line searches read in all.
fn find_blocks_searching(raw: &[u8]) -> (Vec<Block>, usize) {
    let mut blocks = Vec::new();
    let mut lines = Lines {
        empty_lf: Next::new(raw, &BLANK[0]),
        empty_crlf: Next::new(raw, &BLANK[1]),
        dash: Next::new(raw, &DASH_LINE),
    };
    // Start of the text since the last run or blank line: the headers of the next part, and
    // whatever came before them.
    let mut region = 0;
    if BASE64.iter().all(|f| f.find(raw).is_none()) {
        return (blocks, 0);
    }
    while let Some(start) = lines.next_body(region) {
        let headers = &raw[region..start];
        // Nested messages (message/*, multipart/digest) are never taken the fast way, and a
        // run cut inside one can trip mail-parser's debug assertions: no cutting at all.
        if NESTED.iter().any(|f| f.find(headers).is_some()) {
            return (Vec::new(), 0);
        }
        let mentions_base64 = BASE64.iter().any(|f| f.find(headers).is_some());
        region = start;
        if !mentions_base64 {
            continue;
        }
        let end = lines.run_end(raw, start);
        if end == start {
            continue;
        }
        region = end;
        if let Some(bytes) = crate::base64::decode_mime(&raw[start..end]) {
            blocks.push(Block {
                start,
                end,
                at: 0,
                bytes: Some(bytes),
            });
        }
    }
    let searched = lines.empty_lf.searched + lines.empty_crlf.searched + lines.dash.searched;
    (blocks, searched)
}

/// The next match of one pattern in one message. Queries never go backwards, so every byte is
/// searched at most once per pattern however many parts the message has (a message of many
/// small parts must not cost the square of its size).
struct Next<'a> {
    raw: &'a [u8],
    finder: &'static Finder<'static>,
    /// The first match at or after the last query; `None` when there is none.
    found: Option<usize>,
    /// Bytes read by the searches so far.
    searched: usize,
}

impl<'a> Next<'a> {
    fn new(raw: &'a [u8], finder: &'static Finder<'static>) -> Self {
        let found = finder.find(raw);
        let searched = found.map_or(raw.len(), |i| i + finder.needle().len());
        Next {
            raw,
            finder,
            found,
            searched,
        }
    }

    /// The first match at or after `at`; `at` is never less than in the call before.
    fn at_or_after(&mut self, at: usize) -> Option<usize> {
        match self.found {
            Some(p) if p < at => {
                let rest = self.raw.get(at..).unwrap_or_default();
                let found = self.finder.find(rest);
                self.searched += found.map_or(rest.len(), |i| i + self.finder.needle().len());
                self.found = found.map(|i| at + i);
                self.found
            }
            found => found,
        }
    }
}

/// The line searches of [`find_blocks`].
struct Lines<'a> {
    /// `\n\n` and `\n\r\n`: the line break before an empty line.
    empty_lf: Next<'a>,
    empty_crlf: Next<'a>,
    /// `\n-`: the line break before a boundary line.
    dash: Next<'a>,
}

impl Lines<'_> {
    /// The first byte after the next empty line at or after `from`.
    fn next_body(&mut self, from: usize) -> Option<usize> {
        let lf = self.empty_lf.at_or_after(from).map(|i| i + 2);
        let crlf = self.empty_crlf.at_or_after(from).map(|i| i + 3);
        match (lf, crlf) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// The end of the lines from `start` that may be base64: up to the first line that is
    /// empty or starts with `-` (a boundary), not counting that line's break; the end of the
    /// message when there is none.
    fn run_end(&mut self, raw: &[u8], start: usize) -> usize {
        let rest = &raw[start..];
        if rest.first().is_none_or(|&b| b == b'-' || b == b'\n') || rest.starts_with(b"\r\n") {
            return start;
        }
        let stops = [
            self.empty_lf.at_or_after(start),
            self.empty_crlf.at_or_after(start),
            self.dash.at_or_after(start),
        ];
        match stops.into_iter().flatten().min() {
            Some(lf) => line_end(raw, lf),
            None => raw.len(),
        }
    }
}

/// Where the line ending with the break at `lf` ends, before a `\r`.
fn line_end(raw: &[u8], lf: usize) -> usize {
    if lf > 0 && raw[lf - 1] == b'\r' {
        lf - 1
    } else {
        lf
    }
}

/// A decoded text body as mail-parser makes it: the declared charset's decoder when it knows
/// the charset, else UTF-8 (lossy when invalid).
fn decode_text(part: &MessagePart<'_>, bytes: Vec<u8>) -> Cow<'static, str> {
    let decoder = part
        .content_type()
        .and_then(|ct| ct.attribute("charset"))
        .and_then(|c| charset_decoder(c.as_bytes()));
    match decoder {
        Some(decode) => Cow::Owned(decode(&bytes)),
        None => Cow::Owned(
            String::from_utf8(bytes)
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::find_blocks_searching;

    /// However many parts a message has, its line searches read each byte a bounded number
    /// of times (a search per part from the part's start would read the square of the size).
    #[test]
    fn line_searches_read_each_byte_a_bounded_number_of_times() {
        for line_end in ["\r\n", "\n"] {
            let mut m = format!(
                "From: a@example.co.jp{e}Content-Type: multipart/mixed; boundary=B{e}{e}",
                e = line_end
            );
            for _ in 0..3000 {
                m.push_str(&format!(
                    "--B{e}Content-Type: application/octet-stream{e}\
Content-Transfer-Encoding: base64{e}{e}QUJD{e}{e}",
                    e = line_end
                ));
            }
            m.push_str("--B--");
            let (blocks, searched) = find_blocks_searching(m.as_bytes());
            assert_eq!(blocks.len(), 3000);
            assert!(searched <= 3 * m.len() + 16, "{searched} for {}", m.len());
        }
    }
}

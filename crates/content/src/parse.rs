//! RFC 5322 / MIME bytes → [`MailMessage`], using mail-parser (`full_encoding`: ISO-2022-JP,
//! Shift_JIS, EUC-JP, UTF-7/16 and RFC 2047 words are decoded by it).
//!
//! Every reader that has the raw message (MBOX, EML, nested `message/rfc822`) ends here; MSG
//! and PST build a [`MailMessage`] from MAPI properties and use [`parse_header_block`] for
//! their transport headers.

use chrono::{DateTime, Utc};
use mail_parser::{
    Address, Encoding, HeaderValue, MessageParser, MessagePart, MimeHeaders, PartType,
};

use crate::message::{Attachment, MailMessage, Mailbox, clean_message_id};

#[cfg(test)]
mod fuzz_tests;
mod skeleton;

/// How deep nested `message/rfc822` parts are followed (attached forwards of forwards).
const MAX_NESTING: usize = 8;

/// Where a message came from, for provenance.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    /// Input file.
    pub source: &'a str,
    /// Index inside the file.
    pub record: u64,
    /// Reader id.
    pub format: &'a str,
    /// Folder path, if known.
    pub folder: Option<&'a str>,
}

/// Parses one raw message. Returns `None` when mail-parser finds no message at all (empty
/// input); anything with a header block parses, however malformed.
///
/// Messages with base64 bodies take the fast way ([`skeleton`]: mail-parser parses the
/// message without its base64 runs, which are decoded four characters at a time); any other
/// message is parsed by mail-parser alone. Both give the same result.
pub fn parse_message(raw: &[u8], origin: Origin<'_>) -> Option<MailMessage> {
    if let Some(m) = skeleton::parse(raw, origin) {
        return Some(m);
    }
    let mut parsed = MessageParser::default().parse(raw)?;
    Some(convert(&mut parsed, raw.len(), origin, 0))
}

/// [`parse_message`] without the fast way: mail-parser decodes every part itself.
#[cfg(test)]
fn parse_message_ordinary(raw: &[u8], origin: Origin<'_>) -> Option<MailMessage> {
    let mut parsed = MessageParser::default().parse(raw)?;
    Some(convert(&mut parsed, raw.len(), origin, 0))
}

fn convert(
    m: &mut mail_parser::Message<'_>,
    size: usize,
    origin: Origin<'_>,
    depth: usize,
) -> MailMessage {
    convert_with(m, size, origin, depth, &[])
}

/// [`convert`], where `originals` gives (part index, encoded body), by ascending part index,
/// for parts whose encoded body is not in `m.raw_message` (the fast way cut it out).
fn convert_with(
    m: &mut mail_parser::Message<'_>,
    size: usize,
    origin: Origin<'_>,
    depth: usize,
    originals: &[(usize, &[u8])],
) -> MailMessage {
    let headers = m
        .headers()
        .iter()
        .map(|h| {
            (
                h.name().to_string(),
                header_text(h.value(), m.raw_message.as_ref(), h),
            )
        })
        .collect();
    let mut text_body = String::new();
    for i in 0..m.text_body_count() {
        if let Some(t) = m.body_text(i) {
            if !text_body.is_empty() {
                text_body.push('\n');
            }
            match redecode_part(m, i) {
                Some(fixed) if t.contains('\u{FFFD}') => text_body.push_str(&fixed),
                _ => text_body.push_str(&t),
            }
        }
    }
    if text_body.is_empty() && m.html_body_count() > 0 {
        // mail-parser's body_text converts HTML when no text part exists
        if let Some(t) = m.body_text(0) {
            text_body = t.into_owned();
        }
    }
    let html_body = m
        .html_bodies()
        .filter(|p| p.is_text_html())
        .filter_map(|p| p.text_contents())
        .reduce(|a, _| a)
        .map(str::to_string);
    // Attachments in mail-parser's order (its iterator stops at the first id without a part).
    // A decoded binary body is moved out of the parsed message rather than copied.
    let mut attachments = Vec::with_capacity(m.attachments.len());
    let ids = m.attachments.clone();
    // Parts listed more than once (mail-parser lists each once; checked, not assumed).
    let mut repeated = ids.clone();
    repeated.sort_unstable();
    repeated = repeated
        .windows(2)
        .filter(|w| w[0] == w[1])
        .map(|w| w[0])
        .collect();
    for (pos, &id) in ids.iter().enumerate() {
        // A part listed again later keeps its bytes for that listing.
        let listed_again = repeated.binary_search(&id).is_ok() && ids[pos + 1..].contains(&id);
        let Some(p) = m.parts.get_mut(id as usize) else {
            break;
        };
        let nested = match &mut p.body {
            PartType::Message(inner) if depth < MAX_NESTING => {
                let inner_origin = Origin {
                    format: "nested",
                    ..origin
                };
                let size = inner.raw_message().len();
                Some(Box::new(convert(inner, size, inner_origin, depth + 1)))
            }
            _ => None,
        };
        let filename = p.attachment_name().map(str::to_string);
        let content_type = p
            .content_type()
            .map(|ct| match ct.subtype() {
                Some(s) => format!("{}/{}", ct.ctype(), s).to_lowercase(),
                None => ct.ctype().to_lowercase(),
            })
            .unwrap_or_else(|| {
                if p.is_message() {
                    "message/rfc822".into()
                } else {
                    "application/octet-stream".into()
                }
            });
        let original = originals
            .binary_search_by_key(&(id as usize), |(i, _)| *i)
            .ok()
            .map(|k| originals[k].1);
        let data = attachment_bytes(&m.raw_message, original, p, !listed_again);
        attachments.push(Attachment {
            filename,
            content_type,
            data,
            nested,
        });
    }
    MailMessage {
        source: origin.source.to_string(),
        record: origin.record,
        format: origin.format.to_string(),
        folder: origin.folder.map(str::to_string),
        message_id: m.message_id().and_then(clean_message_id),
        headers,
        from: m.from().and_then(first_mailbox),
        sender: m.sender().and_then(first_mailbox),
        reply_to: m.reply_to().map(mailboxes).unwrap_or_default(),
        to: m.to().map(mailboxes).unwrap_or_default(),
        cc: m.cc().map(mailboxes).unwrap_or_default(),
        bcc: m.bcc().map(mailboxes).unwrap_or_default(),
        subject: m.subject().map(|s| {
            if s.contains('\u{FFFD}') {
                let raw = m.header_raw("Subject").unwrap_or("");
                if let Some(fixed) = crate::rfc2047::decode_joined(raw) {
                    return fixed;
                }
            }
            s.to_string()
        }),
        date: m
            .date()
            .and_then(|d| DateTime::<Utc>::from_timestamp(d.to_timestamp(), 0)),
        text_body,
        html_body,
        attachments,
        size: size as u64,
    }
}

/// Japanese legacy charsets tried, in order, when a part's declared charset fails.
const FALLBACK_CHARSETS: [&encoding_rs::Encoding; 4] = [
    encoding_rs::UTF_8,
    encoding_rs::ISO_2022_JP,
    encoding_rs::SHIFT_JIS,
    encoding_rs::EUC_JP,
];

/// Re-decodes text part `i` when its declared charset is wrong (a part labelled ISO-2022-JP
/// that really holds UTF-8 or Shift_JIS, as bounce generators produce): the raw body of a
/// 7bit/8bit part is decoded strictly with each fallback charset; the first that decodes
/// without error wins. Base64/QP parts are left to mail-parser (a part whose headers say both
/// 7bit and base64 is base64: the last header counts).
fn redecode_part(m: &mail_parser::Message<'_>, i: usize) -> Option<String> {
    let part = m.text_part(u32::try_from(i).ok()?)?;
    // Only a part mail-parser read without transfer decoding; its encoding is the *last*
    // Content-Transfer-Encoding header, as mail-parser takes it.
    if part.encoding != Encoding::None {
        return None;
    }
    let cte = part
        .headers()
        .iter()
        .rev()
        .find(|h| h.name().eq_ignore_ascii_case("Content-Transfer-Encoding"))
        .and_then(|h| h.value().as_text())
        .unwrap_or("7bit")
        .to_ascii_lowercase();
    if cte != "7bit" && cte != "8bit" && cte != "binary" {
        return None;
    }
    let raw = m
        .raw_message
        .get(part.raw_body_offset() as usize..part.raw_end_offset() as usize)?;
    FALLBACK_CHARSETS.iter().find_map(|enc| {
        enc.decode_without_bom_handling_and_without_replacement(raw)
            .map(|c| c.into_owned())
    })
}

/// Parses a bare header block (MSG/PST `PR_TRANSPORT_MESSAGE_HEADERS`) into (name, value)
/// pairs and the typed fields a [`MailMessage`] needs.
pub fn parse_header_block(block: &str) -> Option<MailMessage> {
    let mut raw = block.trim_end().to_string();
    raw.push_str("\r\n\r\n");
    let origin = Origin {
        source: "",
        record: 0,
        format: "headers",
        folder: None,
    };
    // A header block has no body: whatever the MIME parser makes of an announced multipart
    // without parts (an empty unnamed part) is not part of the message.
    parse_message(raw.as_bytes(), origin).map(|mut m| {
        m.attachments.clear();
        m.text_body.clear();
        m.html_body = None;
        m
    })
}

fn first_mailbox(a: &Address<'_>) -> Option<Mailbox> {
    a.first().map(|x| Mailbox::new(x.name(), x.address()))
}

fn mailboxes(a: &Address<'_>) -> Vec<Mailbox> {
    a.iter()
        .map(|x| Mailbox::new(x.name(), x.address()))
        .collect()
}

/// A header value as text: decoded text for unstructured fields, the raw (unfolded) value
/// otherwise so nothing is lost.
fn header_text(v: &HeaderValue<'_>, raw: &[u8], h: &mail_parser::Header<'_>) -> String {
    match v {
        HeaderValue::Text(t) => t.to_string(),
        HeaderValue::TextList(l) => l.join(", "),
        _ => {
            let s = raw
                .get(h.offset_start() as usize..h.offset_end() as usize)
                .map(String::from_utf8_lossy)
                .unwrap_or_default();
            unfold(&s)
        }
    }
}

fn unfold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for (i, line) in s.split('\n').enumerate() {
        let line = line.trim_end_matches('\r');
        if i > 0 {
            out.push(' ');
            out.push_str(line.trim_start());
        } else {
            out.push_str(line.trim_start());
        }
    }
    out.trim().to_string()
}

/// An attachment's bytes as its sender attached them (transfer encoding undone). mail-parser
/// converts `text/*` parts to UTF-8 with the declared charset — or, without one, lossily —
/// so a Shift_JIS CSV attached as `text/csv` came out as U+FFFD soup; for text parts the bytes
/// are taken from the raw part instead, and the reader of the file (the leak scope) sniffs the
/// charset as it does for any file. With `take`, a binary body is moved out of the part;
/// `original` is the encoded body when it is not in `raw_message`.
fn attachment_bytes(
    raw_message: &[u8],
    original: Option<&[u8]>,
    p: &mut MessagePart<'_>,
    take: bool,
) -> Vec<u8> {
    if !matches!(p.body, PartType::Text(_) | PartType::Html(_)) {
        if let (true, PartType::Binary(bytes) | PartType::InlineBinary(bytes)) = (take, &mut p.body)
        {
            return std::mem::take(bytes).into_owned();
        }
        return p.contents().to_vec();
    }
    let raw = original
        .or_else(|| raw_message.get(p.raw_body_offset() as usize..p.raw_end_offset() as usize));
    let decoded = raw.and_then(|raw| match p.encoding {
        Encoding::Base64 => mail_parser::decoders::base64::base64_decode(raw),
        Encoding::QuotedPrintable => {
            mail_parser::decoders::quoted_printable::quoted_printable_decode(raw)
        }
        Encoding::None => Some(raw.to_vec()),
    });
    decoded.unwrap_or_else(|| p.contents().to_vec())
}

#[cfg(test)]
mod tests;

//! The fast way through mail-parser for messages whose bodies are base64 (what Outlook and
//! Exchange send for Japanese text and for every attachment).
//!
//! mail-parser decodes base64 one byte at a time while it looks for the next boundary. Here it
//! parses with `Content-Transfer-Encoding` skipped, so each part comes back as the raw slice
//! between its boundaries (mail-parser still finds every part, header and offset itself), and
//! each base64 part is then decoded by [`crate::base64`] and put back into the parsed message
//! exactly as mail-parser would have produced it: the header's value, the part's encoding,
//! and the body — bytes for binary parts, text decoded with the declared charset for text
//! parts.
//!
//! Anything this path does not reproduce exactly makes [`parse`] return `None`, and the caller
//! parses the message again the ordinary way: a quoted-printable part, a base64 part that the
//! strict decoder declines (mail-parser would flag an encoding problem and fall back to raw
//! text), a base64-encoded `message/rfc822` (mail-parser parses the decoded message), or any
//! part mail-parser already marked as damaged. The tests in `parse.rs` check that both ways
//! give the same [`crate::MailMessage`] on every message of the corpus and on generated ones.

use std::borrow::Cow;
use std::sync::LazyLock;

use mail_parser::decoders::charsets::map::charset_decoder;
use mail_parser::parsers::MessageStream;
use mail_parser::{
    Encoding, GetHeader, HeaderName, HeaderValue, Message, MessageParser, MessagePart, MimeHeaders,
    PartType,
};

/// mail-parser's default header parsers (`MessageParser::default()` applies them when no map
/// is set; setting one entry replaces them all, so they are listed here), except that
/// `Content-Transfer-Encoding` is skipped: without it every body is read as 7bit.
static RAW_BODY_PARSER: LazyLock<MessageParser> = LazyLock::new(|| {
    let mut p = MessageParser::new();
    for h in [
        HeaderName::Subject,
        HeaderName::Comments,
        HeaderName::ContentDescription,
        HeaderName::ContentLocation,
    ] {
        p = p.header_text(h);
    }
    for h in [
        HeaderName::From,
        HeaderName::To,
        HeaderName::Cc,
        HeaderName::Bcc,
        HeaderName::ReplyTo,
        HeaderName::Sender,
        HeaderName::ResentTo,
        HeaderName::ResentFrom,
        HeaderName::ResentBcc,
        HeaderName::ResentCc,
        HeaderName::ResentSender,
        HeaderName::ListArchive,
        HeaderName::ListHelp,
        HeaderName::ListId,
        HeaderName::ListOwner,
        HeaderName::ListPost,
        HeaderName::ListSubscribe,
        HeaderName::ListUnsubscribe,
    ] {
        p = p.header_address(h);
    }
    for h in [HeaderName::Date, HeaderName::ResentDate] {
        p = p.header_date(h);
    }
    for h in [
        HeaderName::MessageId,
        HeaderName::References,
        HeaderName::InReplyTo,
        HeaderName::ReturnPath,
        HeaderName::ContentId,
        HeaderName::ResentMessageId,
    ] {
        p = p.header_id(h);
    }
    for h in [HeaderName::Keywords, HeaderName::ContentLanguage] {
        p = p.header_comma_separated(h);
    }
    p.header_received(HeaderName::Received)
        .header_raw(HeaderName::MimeVersion)
        .header_content_type(HeaderName::ContentType)
        .header_content_type(HeaderName::ContentDisposition)
        .ignore_header(HeaderName::ContentTransferEncoding)
        .default_header_raw()
});

/// Finds "Quoted-Printable" in its usual spellings (`quoted-printable`, `Quoted-Printable`,
/// `QUOTED-PRINTABLE`).
static PRINTABLE: LazyLock<[memchr::memmem::Finder<'static>; 2]> = LazyLock::new(|| {
    [
        memchr::memmem::Finder::new(b"rintable"),
        memchr::memmem::Finder::new(b"RINTABLE"),
    ]
});

/// Whether `raw` is worth the fast way: not when it mentions quoted-printable anywhere, since
/// a quoted-printable part makes [`parse`] decline after parsing, and the message would be
/// parsed twice. (A rare spelling this misses still falls back correctly, only later.)
pub(super) fn worth_trying(raw: &[u8]) -> bool {
    PRINTABLE.iter().all(|f| f.find(raw).is_none())
}

/// Parses `raw` with base64 bodies decoded here; `None` when the message needs mail-parser's
/// own reading (see the module documentation) or holds no message at all.
pub(super) fn parse(raw: &[u8]) -> Option<Message<'_>> {
    let mut m = RAW_BODY_PARSER.parse(raw)?;
    restore_message(&mut m, raw)?;
    Some(m)
}

/// The transfer encodings mail-parser tells apart.
enum Transfer {
    Base64,
    QuotedPrintable,
    Other,
}

/// Puts every part of `m` (and of messages nested without transfer encoding, which
/// mail-parser parses in place) back as the ordinary parse gives it. `raw` is the input all
/// offsets refer to.
fn restore_message<'x>(m: &mut Message<'x>, raw: &'x [u8]) -> Option<()> {
    for part in &mut m.parts {
        if part.is_encoding_problem {
            return None;
        }
        let transfer = restore_transfer_header(part, raw)?;
        match (transfer, &mut part.body) {
            (Transfer::Other, PartType::Message(inner)) => restore_message(inner, raw)?,
            (Transfer::Other, _) | (Transfer::Base64, PartType::Multipart(_)) => {}
            (Transfer::QuotedPrintable, _) | (Transfer::Base64, PartType::Message(_)) => {
                return None;
            }
            (Transfer::Base64, _) => decode_body(part, raw)?,
        }
    }
    Some(())
}

/// Gives `Content-Transfer-Encoding` headers of `part` the value mail-parser's default parser
/// gives them (RFC 2047 unstructured text) and says which encoding mail-parser would apply.
fn restore_transfer_header<'x>(part: &mut MessagePart<'x>, raw: &'x [u8]) -> Option<Transfer> {
    for h in &mut part.headers {
        if h.name == HeaderName::ContentTransferEncoding {
            let value = raw.get(h.offset_start as usize..h.offset_end as usize)?;
            h.value = MessageStream::new(value).parse_unstructured();
        }
    }
    Some(
        match part
            .headers
            .header_value(&HeaderName::ContentTransferEncoding)
        {
            Some(HeaderValue::Text(e)) if e.eq_ignore_ascii_case("base64") => Transfer::Base64,
            Some(HeaderValue::Text(e)) if e.eq_ignore_ascii_case("quoted-printable") => {
                Transfer::QuotedPrintable
            }
            _ => Transfer::Other,
        },
    )
}

/// Decodes the base64 body of `part` and stores it as mail-parser stores a decoded body.
fn decode_body<'x>(part: &mut MessagePart<'x>, raw: &'x [u8]) -> Option<()> {
    let encoded = raw.get(part.offset_body as usize..part.offset_end as usize)?;
    let bytes = crate::base64::decode_mime(encoded)?;
    part.encoding = Encoding::Base64;
    part.body = match part.body {
        PartType::Text(_) => PartType::Text(decode_text(part, bytes)),
        PartType::Html(_) => PartType::Html(decode_text(part, bytes)),
        PartType::InlineBinary(_) => PartType::InlineBinary(Cow::Owned(bytes)),
        _ => PartType::Binary(Cow::Owned(bytes)),
    };
    Some(())
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

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
mod tests {
    use super::*;

    fn origin() -> Origin<'static> {
        Origin {
            source: "t.eml",
            record: 0,
            format: "eml",
            folder: None,
        }
    }

    #[test]
    fn text_attachments_keep_their_bytes_in_every_transfer_encoding() {
        // 氏名,電話 in Shift_JIS, then a second line: what Excel writes for a Japanese CSV.
        let (sjis, _, _) =
            encoding_rs::SHIFT_JIS.encode("氏名,電話\r\n山田 太郎,090-1234-5678\r\n");
        let sjis = sjis.into_owned();
        let b64 = {
            let mut s = String::new();
            mail_parser_b64(&sjis, &mut s);
            s
        };
        let qp: String = sjis
            .iter()
            .map(|b| match b {
                b'\r' | b'\n' => (*b as char).to_string(),
                33..=60 | 62..=126 => (*b as char).to_string(),
                _ => format!("={b:02X}"),
            })
            .collect();
        let mut raw: Vec<u8> = b"From: a@example.co.jp\r\nTo: b@example.co.jp\r\nSubject: x\r\n\
MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"B\"\r\n\r\n--B\r\n\
Content-Type: text/plain; charset=utf-8\r\n\r\nbody\r\n"
            .to_vec();
        for (name, cte, body) in [
            ("a.csv", "base64", b64.into_bytes()),
            ("b.csv", "quoted-printable", qp.into_bytes()),
            ("c.csv", "8bit", sjis.clone()),
        ] {
            raw.extend_from_slice(
                format!(
                    "--B\r\nContent-Type: text/csv\r\nContent-Transfer-Encoding: {cte}\r\n\
Content-Disposition: attachment; filename=\"{name}\"\r\n\r\n"
                )
                .as_bytes(),
            );
            raw.extend_from_slice(&body);
            raw.extend_from_slice(b"\r\n");
        }
        raw.extend_from_slice(b"--B--\r\n");
        let m = parse_message(&raw, origin()).expect("parses");
        let got: Vec<(Option<&str>, &[u8])> = m
            .attachments
            .iter()
            .map(|a| (a.filename.as_deref(), a.data.as_slice()))
            .collect();
        assert_eq!(got.len(), 3);
        for (name, data) in got {
            assert_eq!(data, &sjis[..], "{name:?}");
        }
    }

    /// Every `.eml` of the public corpora (Stalwart's mail-parser test messages, Sisimai's
    /// bounces), the content evaluation set, and hand-made messages on the edges of the fast
    /// way give the same message both ways; the fast way and the fallback both really occur.
    #[test]
    fn fast_way_gives_the_same_message_as_mail_parser_alone() {
        let corpus =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
        let mut inputs: Vec<(String, Vec<u8>)> = Vec::new();
        let mut stack = vec![
            corpus.join("stalwart-mail-parser"),
            corpus.join("sisimai-set-of-emails"),
        ];
        while let Some(dir) = stack.pop() {
            for e in std::fs::read_dir(&dir).expect("corpus folder").flatten() {
                let path = e.path();
                if path.is_dir() {
                    stack.push(path);
                } else if path.extension().is_some_and(|x| x == "eml") {
                    let bytes = std::fs::read(&path).expect("corpus file");
                    inputs.push((path.display().to_string(), bytes));
                }
            }
        }
        assert!(inputs.len() > 400, "corpus not found: {}", inputs.len());
        for seed in [1, 2, 3] {
            for (i, c) in crate::eval::generate(seed).into_iter().enumerate() {
                inputs.push((format!("eval {seed}/{i}"), c.raw));
            }
        }
        for (i, raw) in edge_messages().into_iter().enumerate() {
            inputs.push((format!("edge {i}"), raw));
        }
        let (mut fast_way, mut fallback) = (0, 0);
        for (name, raw) in &inputs {
            match skeleton::parse(raw, origin()) {
                Some(_) => fast_way += 1,
                None => fallback += 1,
            }
            assert_eq!(
                parse_message(raw, origin()),
                parse_message_ordinary(raw, origin()),
                "{name}"
            );
        }
        assert!(fast_way > 300 && fallback > 40, "{fast_way} {fallback}");
    }

    /// The fast way is taken where it should be: base64 bodies next to quoted-printable ones,
    /// base64 text in any charset, a single-part base64 message; and not where a cut run
    /// would not land as a whole base64 body.
    #[test]
    fn fast_way_is_taken_for_base64_bodies_only() {
        let edges = edge_messages();
        let fast = |i: usize| skeleton::parse(&edges[i], origin()).is_some();
        for i in [0, 1, 2, 3, 9, 10, 11, 12, 13, 14, 16, 17, 18, 20] {
            assert!(fast(i), "edge {i} should take the fast way");
        }
        for i in [4, 5, 6, 7, 8, 15, 19] {
            assert!(!fast(i), "edge {i} should be parsed by mail-parser alone");
        }
    }

    /// Messages on the edges of the fast way: every one of them either takes it correctly or
    /// falls back.
    fn edge_messages() -> Vec<Vec<u8>> {
        let b64 = |data: &[u8]| {
            let mut s = String::new();
            mail_parser_b64(data, &mut s);
            s
        };
        let part = |headers: &str, body: &str| format!("--B\r\n{headers}\r\n\r\n{body}\r\n");
        let multipart = |parts: &[String], close: bool| {
            let mut m = String::from(
                "From: =?UTF-8?B?5bGx55Sw?= <a@example.co.jp>\r\nTo: b@example.co.jp\r\n\
Subject: =?ISO-2022-JP?B?GyRCJEYkOSRIGyhC?=\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"B\"\r\n\r\n",
            );
            for p in parts {
                m.push_str(p);
            }
            if close {
                m.push_str("--B--\r\n");
            }
            m.into_bytes()
        };
        let (jis, _, _) = encoding_rs::ISO_2022_JP.encode("山田太郎様 生年月日 1980年4月1日");
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("<p>住所 東京都千代田区</p>");
        let text = |cs: &str, cte: &str| {
            format!("Content-Type: text/plain; charset={cs}\r\nContent-Transfer-Encoding: {cte}")
        };
        let xlsx = "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet; name=\"a.xlsx\"\r\n\
Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"a.xlsx\"";
        let binary: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
        let nested_inner = String::from_utf8(multipart(
            &[
                part(&text("utf-8", "base64"), &b64("内側の本文".as_bytes())),
                part(xlsx, &b64(&binary)),
            ],
            true,
        ))
        .expect("ascii");
        let mut out = vec![
            // Base64 text in three charsets, an attachment, alternative bodies.
            multipart(
                &[
                    part(&text("utf-8", "base64"), &b64("本文です".as_bytes())),
                    part(xlsx, &b64(&binary)),
                ],
                true,
            ),
            multipart(
                &[
                    part(&text("iso-2022-jp", "base64"), &b64(&jis)),
                    part(
                        "Content-Type: text/html; charset=shift_jis\r\nContent-Transfer-Encoding: BASE64 ",
                        &b64(&sjis),
                    ),
                ],
                true,
            ),
            multipart(
                &[part(
                    "Content-Type: text/plain\r\nContent-Transfer-Encoding: base64",
                    &b64(&[0xff, 0xfe, b'a', 0x80]),
                )],
                true,
            ),
            // Quoted-printable next to base64 (the fast way); a damaged base64 part (not).
            multipart(
                &[
                    part(&text("utf-8", "quoted-printable"), "=E6=9C=AC=E6=96=87"),
                    part(xlsx, &b64(&binary)),
                ],
                true,
            ),
            multipart(&[part(&text("utf-8", "base64"), "5pys5*paH")], true),
            multipart(&[part(xlsx, "QUJD\r\n--not the boundary\r\nQUJD")], true),
            // A base64 message/rfc822 (fallback) and a 7bit one whose parts are base64.
            multipart(
                &[part(
                    "Content-Type: message/rfc822\r\nContent-Transfer-Encoding: base64",
                    &b64(nested_inner.as_bytes()),
                )],
                true,
            ),
            multipart(
                &[
                    part(&text("utf-8", "7bit"), "see attached"),
                    part(
                        "Content-Type: message/rfc822",
                        &nested_inner
                            .replace("boundary=\"B\"", "boundary=\"C\"")
                            .replace("--B", "--C"),
                    ),
                ],
                true,
            ),
            // No closing boundary; unpadded last group; transfer encoding given twice.
            multipart(
                &[part(&text("utf-8", "base64"), &b64("閉じない".as_bytes()))],
                false,
            ),
            multipart(&[part(xlsx, "QUJDRA")], true),
            multipart(
                &[part(
                    "Content-Type: application/pdf\r\nContent-Transfer-Encoding: 7bit\r\nContent-Transfer-Encoding: base64",
                    &b64(&binary),
                )],
                true,
            ),
            multipart(
                &[part(
                    "Content-Type: application/pdf\r\nContent-Transfer-Encoding: =?utf-8?q?base64?=",
                    &b64(&binary),
                )],
                true,
            ),
            // A multipart header with a transfer encoding; a multipart without a boundary.
            multipart(
                &[part(
                    "Content-Type: multipart/alternative; boundary=\"A\"\r\nContent-Transfer-Encoding: base64",
                    &format!(
                        "--A\r\n{}\r\n\r\n{}\r\n--A--",
                        text("utf-8", "base64"),
                        b64("代替".as_bytes())
                    ),
                )],
                true,
            ),
            multipart(
                &[part(
                    "Content-Type: multipart/mixed\r\nContent-Transfer-Encoding: base64",
                    &b64("境界なし".as_bytes()),
                )],
                true,
            ),
        ];
        // Empty lines closing base64 bodies, as Exchange writes them (the fast way); a 7bit
        // body after headers that mention base64 (cut, lands in a 7bit part: not the fast way).
        out.push(multipart(
            &[
                part(
                    &text("iso-2022-jp", "base64"),
                    &format!("{}\r\n", b64(&jis)),
                ),
                part(xlsx, &format!("{}\r\n\r\n", b64(&binary))),
                part(
                    "Content-Type: text/csv\r\nContent-Transfer-Encoding: base64\r\n\
Content-Disposition: attachment; filename=\"a.csv\"",
                    &format!("{}\r\n", b64(&sjis)),
                ),
            ],
            true,
        ));
        out.push(multipart(
            &[part(
                "Content-Type: text/plain; name=\"base64.txt\"",
                "OnlyLetters",
            )],
            true,
        ));
        // A single-part base64 message, and one with bare LF line ends.
        out.push(format!("From: a@example.co.jp\r\nSubject: x\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n{}", b64(&binary)).into_bytes());
        out.push(
            String::from_utf8(out[0].clone())
                .expect("ascii")
                .replace("\r\n", "\n")
                .into_bytes(),
        );
        // Transfer encoding given twice on a text part: the last counts (review find).
        out.push(
            b"From: a@b.c\r\nContent-Type: text/plain; charset=utf-8\r\n\
Content-Transfer-Encoding: 7bit\r\nContent-Transfer-Encoding: base64\r\n\r\n/w=="
                .to_vec(),
        );
        // A run inside a 7bit nested message (mail-parser's debug assertion fired on the
        // skeleton): not the fast way.
        out.push(
            b"Content-Type:multipart;boundary=b64\n\n--b64Content-Type:message/global\n\n\
ase64\nContent-Type:message/global\n\nN\n--b64--"
                .to_vec(),
        );
        // The single-part message ending with a line break (the run ends with the message).
        let mut ended = out[out.len() - 4].clone();
        ended.extend_from_slice(b"\r\n");
        out.push(ended);
        out
    }

    /// Plain RFC 4648 base64 in 76-character lines (test input only).
    fn mail_parser_b64(data: &[u8], out: &mut String) {
        const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (i, c) in data.chunks(3).enumerate() {
            let v = (u32::from(c[0]) << 16)
                | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
                | u32::from(*c.get(2).unwrap_or(&0));
            for k in 0..4 {
                out.push(if k <= c.len() {
                    A[((v >> (18 - 6 * k)) & 63) as usize] as char
                } else {
                    '='
                });
            }
            if i % 19 == 18 {
                out.push_str("\r\n");
            }
        }
    }
}

//! Just enough MIME to write realistic Japanese mail: base64, RFC 2047 encoded words in
//! ISO-2022-JP or UTF-8, RFC 2231 file names, RFC 5322 dates, and mboxrd `From ` escaping.

use chrono::{DateTime, FixedOffset, Offset, Utc};

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 (RFC 4648) without line breaks.
pub(crate) fn base64(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        out.push(B64[(n >> 18) as usize & 63] as char);
        out.push(B64[(n >> 12) as usize & 63] as char);
        out.push(if chunk.len() > 1 {
            B64[(n >> 6) as usize & 63] as char
        } else {
            '='
        });
        out.push(if chunk.len() > 2 {
            B64[n as usize & 63] as char
        } else {
            '='
        });
    }
    out
}

/// Base64 in lines of 76 characters (for MIME bodies), each ending in `\n`.
pub(crate) fn base64_lines(data: &[u8]) -> String {
    let flat = base64(data);
    let mut out = String::with_capacity(flat.len() + flat.len() / 76 + 1);
    for line in flat.as_bytes().chunks(76) {
        out.push_str(std::str::from_utf8(line).unwrap_or_default());
        out.push('\n');
    }
    out
}

/// Encodes `s` as ISO-2022-JP, or `None` when a character has no JIS X 0208 mapping
/// (Vietnamese diacritics, 髙, …).
pub(crate) fn iso2022jp(s: &str) -> Option<Vec<u8>> {
    let (bytes, _, had_errors) = encoding_rs::ISO_2022_JP.encode(s);
    (!had_errors).then(|| bytes.into_owned())
}

/// An RFC 2047 header value: plain ASCII as is, else encoded words of at most ~12 characters
/// each (keeps every word under 75 bytes), in ISO-2022-JP when `jis` and possible, else UTF-8.
pub(crate) fn encode_header(s: &str, jis: bool) -> String {
    if s.is_ascii() {
        return s.to_string();
    }
    let chars: Vec<char> = s.chars().collect();
    let mut words = Vec::new();
    for chunk in chars.chunks(12) {
        let text: String = chunk.iter().collect();
        let word = match iso2022jp(&text).filter(|_| jis) {
            Some(b) => format!("=?ISO-2022-JP?B?{}?=", base64(&b)),
            None => format!("=?UTF-8?B?{}?=", base64(text.as_bytes())),
        };
        words.push(word);
    }
    words.join("\n ")
}

/// `"Display Name" <addr>` with the name encoded when needed.
pub(crate) fn mailbox(name: &str, addr: &str, jis: bool) -> String {
    if name.is_empty() {
        format!("<{addr}>")
    } else if name.is_ascii() {
        format!("\"{name}\" <{addr}>")
    } else {
        format!("{} <{addr}>", encode_header(name, jis))
    }
}

/// RFC 2231 `filename*=UTF-8''…` percent-encoding.
pub(crate) fn rfc2231(name: &str) -> String {
    let mut out = String::from("UTF-8''");
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// RFC 5322 date in the sender's offset: `Fri, 27 Jun 2025 10:15:03 +0900`.
pub(crate) fn rfc5322(t: DateTime<Utc>, offset_hours: i32) -> String {
    let off = FixedOffset::east_opt(offset_hours * 3600).unwrap_or_else(|| Utc.fix());
    t.with_timezone(&off)
        .format("%a, %d %b %Y %H:%M:%S %z")
        .to_string()
}

/// mbox `From ` separator line (asctime in UTC).
pub(crate) fn mbox_from_line(addr: &str, t: DateTime<Utc>) -> String {
    format!("From {addr} {}\n", t.format("%a %b %e %H:%M:%S %Y"))
}

/// mboxrd escaping: body lines starting with `From ` (after any `>`) get one more `>`.
pub(crate) fn mboxrd_escape(message: &str) -> String {
    let mut out = String::with_capacity(message.len() + 16);
    for line in message.split_inclusive('\n') {
        if line.trim_start_matches('>').starts_with("From ") {
            out.push('>');
        }
        out.push_str(line);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_and_encoded_words() {
        assert_eq!(base64(b"Man"), "TWFu");
        assert_eq!(base64(b"Ma"), "TWE=");
        assert_eq!(base64(b"M"), "TQ==");
        let w = encode_header("請求書", true);
        assert!(w.starts_with("=?ISO-2022-JP?B?"));
        assert_eq!(
            encode_header("Nguyễn", true),
            format!("=?UTF-8?B?{}?=", base64("Nguyễn".as_bytes()))
        );
        assert_eq!(
            mboxrd_escape("a\nFrom x\n>From y\n"),
            "a\n>From x\n>>From y\n"
        );
    }
}

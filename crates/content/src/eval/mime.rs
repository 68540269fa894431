//! A small MIME writer for the generated evaluation mail: RFC 2047 encoded words, base64,
//! ISO-2022-JP / Shift_JIS / UTF-8 bodies, multipart/alternative and attachments. Generating
//! real bytes (instead of `MailMessage` structs) makes the evaluation go through the same
//! decoder as production input.

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Standard base64 with line breaks every 76 characters when `wrap` is set.
pub fn base64(data: &[u8], wrap: bool) -> String {
    let mut out = String::with_capacity(data.len() * 4 / 3 + 8);
    let mut line = 0;
    for chunk in data.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(B64[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
        line += 4;
        if wrap && line >= 76 {
            out.push_str("\r\n");
            line = 0;
        }
    }
    out
}

/// Body / header charset of a generated message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Charset {
    /// UTF-8, base64.
    Utf8,
    /// ISO-2022-JP, 7bit (the traditional Japanese mail encoding).
    Iso2022Jp,
    /// Shift_JIS, base64.
    ShiftJis,
}

impl Charset {
    fn label(self) -> &'static str {
        match self {
            Charset::Utf8 => "UTF-8",
            Charset::Iso2022Jp => "ISO-2022-JP",
            Charset::ShiftJis => "Shift_JIS",
        }
    }

    fn encode(self, s: &str) -> Vec<u8> {
        match self {
            Charset::Utf8 => s.as_bytes().to_vec(),
            Charset::Iso2022Jp => encoding_rs::ISO_2022_JP.encode(s).0.into_owned(),
            Charset::ShiftJis => encoding_rs::SHIFT_JIS.encode(s).0.into_owned(),
        }
    }

    /// The charset to use for a text: legacy charsets only when they can represent it.
    pub fn fit(self, s: &str) -> Charset {
        if self == Charset::Utf8 {
            return self;
        }
        let enc = match self {
            Charset::Iso2022Jp => encoding_rs::ISO_2022_JP,
            _ => encoding_rs::SHIFT_JIS,
        };
        if enc.encode(s).2 { Charset::Utf8 } else { self }
    }
}

/// An RFC 2047 encoded word (B encoding) when the text is not ASCII.
pub fn encoded_word(s: &str, cs: Charset) -> String {
    if s.is_ascii() {
        return s.to_string();
    }
    let cs = cs.fit(s);
    format!("=?{}?B?{}?=", cs.label(), base64(&cs.encode(s), false))
}

/// `"Name" <addr>` with the name encoded.
pub fn address(name: &str, addr: &str, cs: Charset) -> String {
    if name.is_empty() {
        format!("<{addr}>")
    } else if name.is_ascii() {
        format!("\"{name}\" <{addr}>")
    } else {
        format!("{} <{addr}>", encoded_word(name, cs))
    }
}

/// One leaf part: headers + encoded body.
pub fn text_part(subtype: &str, body: &str, cs: Charset) -> String {
    let cs = cs.fit(body);
    let body = body.replace('\n', "\r\n");
    match cs {
        Charset::Iso2022Jp => format!(
            "Content-Type: text/{subtype}; charset=\"ISO-2022-JP\"\r\nContent-Transfer-Encoding: 7bit\r\n\r\n{}\r\n",
            String::from_utf8_lossy(&cs.encode(&body))
        ),
        _ => format!(
            "Content-Type: text/{subtype}; charset=\"{}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n",
            cs.label(),
            base64(&cs.encode(&body), true)
        ),
    }
}

/// An attachment part.
pub fn attachment_part(name: &str, ctype: &str, data: &[u8]) -> String {
    let n = encoded_word(name, Charset::Utf8);
    format!(
        "Content-Type: {ctype}; name=\"{n}\"\r\nContent-Disposition: attachment; filename=\"{n}\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{}\r\n",
        base64(data, true)
    )
}

/// Wraps parts in a multipart container.
pub fn multipart(kind: &str, boundary: &str, parts: &[String]) -> String {
    let mut s = format!("Content-Type: multipart/{kind}; boundary=\"{boundary}\"\r\n\r\n");
    for p in parts {
        s.push_str(&format!("--{boundary}\r\n{p}"));
    }
    s.push_str(&format!("--{boundary}--\r\n"));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc4648_vectors() {
        assert_eq!(base64(b"", false), "");
        assert_eq!(base64(b"f", false), "Zg==");
        assert_eq!(base64(b"fo", false), "Zm8=");
        assert_eq!(base64(b"foobar", false), "Zm9vYmFy");
    }
}

//! Generated messages as Internet mail (RFC 5322 + MIME), so a benchmark or test can run the
//! whole CLI — mail reader included — on a generated export: `multipart/mixed` with a base64
//! UTF-8 text body and base64 attachments named with RFC 2231 (`filename*=UTF-8''…`), and
//! an mboxrd `From ` line per message. Base64 lines never start with `From `, so no line needs
//! escaping.

use super::EvalMessage;

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// Base64 (RFC 4648, padded) in lines of 76 characters, each ended by CRLF.
fn base64_lines(data: &[u8], out: &mut String) {
    let mut col = 0;
    for chunk in data.chunks(3) {
        let n = chunk.len();
        let v = (u32::from(chunk[0]) << 16)
            | (u32::from(*chunk.get(1).unwrap_or(&0)) << 8)
            | u32::from(*chunk.get(2).unwrap_or(&0));
        for i in 0..4 {
            let c = if i <= n {
                B64[((v >> (18 - 6 * i)) & 63) as usize] as char
            } else {
                '='
            };
            out.push(c);
        }
        col += 4;
        if col == 76 {
            out.push_str("\r\n");
            col = 0;
        }
    }
    if col > 0 {
        out.push_str("\r\n");
    }
}

/// RFC 2231 percent-encoding of a UTF-8 parameter value.
fn rfc2231(value: &str) -> String {
    let mut s = String::from("UTF-8''");
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

/// The message as RFC 5322 text (CRLF line ends) under `message_id` (without `<>`).
pub fn message_mime(m: &EvalMessage, message_id: &str) -> String {
    let boundary = format!("=_mimamori_{:x}", message_id.len() * 7919 + m.body.len());
    let mut s = String::new();
    s.push_str(&format!("From: {}\r\n", m.from));
    if !m.to.is_empty() {
        s.push_str(&format!("To: {}\r\n", m.to.join(", ")));
    }
    if !m.cc.is_empty() {
        s.push_str(&format!("Cc: {}\r\n", m.cc.join(", ")));
    }
    s.push_str(&format!("Date: {}\r\n", m.date.to_rfc2822()));
    s.push_str(&format!(
        "Message-ID: <{}>\r\n",
        message_id.trim_matches(|c| c == '<' || c == '>')
    ));
    s.push_str("Subject: =?UTF-8?B?");
    let mut subject = String::new();
    base64_lines("資料送付の件".as_bytes(), &mut subject);
    s.push_str(subject.trim_end());
    s.push_str("?=\r\nMIME-Version: 1.0\r\n");
    s.push_str(&format!(
        "Content-Type: multipart/mixed; boundary=\"{boundary}\"\r\n\r\n"
    ));
    s.push_str(&format!(
        "--{boundary}\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
    ));
    base64_lines(m.body.as_bytes(), &mut s);
    for a in &m.attachments {
        s.push_str(&format!(
            "--{boundary}\r\nContent-Type: {}\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename*={}\r\n\r\n",
            a.content_type,
            rfc2231(&a.name)
        ));
        base64_lines(&a.bytes, &mut s);
    }
    s.push_str(&format!("--{boundary}--\r\n"));
    s
}

/// The message as one mboxrd entry (`From ` line, LF line ends, blank line after).
pub fn mbox_entry(m: &EvalMessage, message_id: &str) -> String {
    let sender = m
        .from
        .rsplit('<')
        .next()
        .unwrap_or(&m.from)
        .trim_end_matches('>');
    let mut s = format!(
        "From {} {}\n",
        sender,
        m.date.format("%a %b %e %H:%M:%S %Y")
    );
    s.push_str(&message_mime(m, message_id).replace("\r\n", "\n"));
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (plain, enc) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            let mut s = String::new();
            base64_lines(plain.as_bytes(), &mut s);
            assert_eq!(s.trim_end(), enc);
        }
        let mut s = String::new();
        base64_lines(&[0u8; 120], &mut s);
        assert!(s.lines().all(|l| l.len() <= 76), "{s}");
        assert_eq!(s.lines().count(), 3);
    }

    #[test]
    fn file_names_are_percent_encoded() {
        assert_eq!(rfc2231("名簿 a.xlsx"), "UTF-8''%E5%90%8D%E7%B0%BF%20a.xlsx");
    }
}

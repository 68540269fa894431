//! Repair decoding of RFC 2047 encoded words split in the middle of a character.
//!
//! RFC 2047 requires each encoded word to stand alone, but Exchange and other MTAs split long
//! ISO-2022-JP subjects mid-sequence (`…JUsl=?= =?iso-2022-jp?B?YyE8…`), so decoding word by
//! word yields U+FFFD. Here adjacent words of the same charset are joined at the byte level
//! first, then decoded once. Used only when the normal decode produced U+FFFD.

fn b64_value(c: u8) -> Option<u32> {
    match c {
        b'A'..=b'Z' => Some(u32::from(c - b'A')),
        b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
        b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// Lenient base64 decode (ignores padding and invalid characters).
fn b64_decode(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for v in s.bytes().filter_map(b64_value) {
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

fn q_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'_' => out.push(b' '),
            b'=' if i + 2 < b.len() => {
                if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                    out.push(v);
                    i += 2;
                } else {
                    out.push(b'=');
                }
            }
            c => out.push(c),
        }
        i += 1;
    }
    out
}

/// Decodes a raw header value, joining adjacent encoded words of one charset.
pub fn decode_joined(raw: &str) -> Option<String> {
    let mut out = String::new();
    let mut pending: Option<(String, Vec<u8>)> = None;
    let flush = |p: &mut Option<(String, Vec<u8>)>, out: &mut String| {
        if let Some((cs, bytes)) = p.take() {
            let enc = encoding_rs::Encoding::for_label(cs.as_bytes()).unwrap_or(encoding_rs::UTF_8);
            out.push_str(&enc.decode(&bytes).0);
        }
    };
    let mut rest = raw;
    while !rest.is_empty() {
        let Some(start) = rest.find("=?") else {
            flush(&mut pending, &mut out);
            out.push_str(rest);
            break;
        };
        let between = &rest[..start];
        let word = &rest[start + 2..];
        let mut it = word.splitn(3, '?');
        let (Some(cs), Some(kind), Some(tail)) = (it.next(), it.next(), it.next()) else {
            flush(&mut pending, &mut out);
            out.push_str(rest);
            break;
        };
        let Some(end) = tail.find("?=") else {
            flush(&mut pending, &mut out);
            out.push_str(rest);
            break;
        };
        let data = &tail[..end];
        let cs = cs.split('*').next().unwrap_or(cs).to_ascii_lowercase();
        let bytes = if kind.eq_ignore_ascii_case("b") {
            b64_decode(data)
        } else {
            q_decode(data)
        };
        // whitespace between two encoded words is not part of the text (RFC 2047 §6.2)
        let joins = pending.as_ref().is_some_and(|(c, _)| *c == cs) && between.trim().is_empty();
        if joins {
            if let Some((_, b)) = pending.as_mut() {
                b.extend_from_slice(&bytes);
            }
        } else {
            flush(&mut pending, &mut out);
            if !between.trim().is_empty() || out.is_empty() {
                out.push_str(between);
            }
            pending = Some((cs, bytes));
        }
        let consumed = start + 2 + word.len() - tail.len() + end + 2;
        rest = &rest[consumed..];
    }
    flush(&mut pending, &mut out);
    let out = out.trim().to_string();
    (!out.contains('\u{FFFD}')).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_iso_2022_jp_words_are_joined() {
        let raw = "=?iso-2022-jp?B?VW5kZWxpdmVyYWJsZTogGyRCJS0lOCVIJWkhJiVVJWklQyU3JWUbKEIvGyRCJUsl=?=\n =?iso-2022-jp?B?YyE8JXMbKEIK=?=";
        assert_eq!(
            decode_joined(raw).as_deref(),
            Some("Undeliverable: キジトラ・フラッシュ/ニャーン")
        );
        assert_eq!(
            decode_joined("=?UTF-8?Q?caf=C3=A9_au_lait?=").as_deref(),
            Some("café au lait")
        );
    }
}

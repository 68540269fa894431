//! MIME base64 (RFC 2045 §6.8) decoded a group of four characters at a time.
//!
//! mail-parser decodes base64 one byte at a time while it looks for the next MIME boundary;
//! on a mailbox of Office attachments that was the largest single cost of reading mail. The
//! fast reader in [`crate::parse`] lets mail-parser find the part ends without decoding and
//! decodes the part bodies here.
//!
//! The decoder is deliberately narrow: it accepts exactly the input on which it gives the
//! same bytes as mail-parser's decoder (the alphabet, the whitespace mail-parser skips —
//! space, tab, CR, LF — and `=` padding after two or three characters of a group, or after
//! a complete group) and declines everything else, so the caller can hand such a message to
//! mail-parser whole. Like mail-parser, it drops an incomplete last group without padding.

/// Marks a byte mail-parser skips inside base64.
const SPACE: u8 = 0x40;
/// Marks `=`.
const PAD: u8 = 0x41;
/// Marks any other byte.
const BAD: u8 = 0xFF;

/// Value of each byte: 0–63 for the alphabet, else one of the markers above.
static DECODE: [u8; 256] = {
    let mut t = [BAD; 256];
    let alphabet = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut i = 0;
    while i < 64 {
        t[alphabet[i] as usize] = i as u8;
        i += 1;
    }
    t[b' ' as usize] = SPACE;
    t[b'\t' as usize] = SPACE;
    t[b'\r' as usize] = SPACE;
    t[b'\n' as usize] = SPACE;
    t[b'=' as usize] = PAD;
    t
};

/// Set in a [`PLACED`] value for a byte outside the alphabet.
const NOT_ALPHABET: u32 = 1 << 31;

/// For each position in a group of four, each byte's six bits already shifted into place in
/// the 24-bit group (or [`NOT_ALPHABET`]): a group is the OR of four look-ups.
static PLACED: [[u32; 256]; 4] = {
    let mut t = [[NOT_ALPHABET; 256]; 4];
    let mut b = 0;
    while b < 256 {
        let v = DECODE[b];
        if v < 64 {
            let mut k = 0;
            while k < 4 {
                t[k][b] = (v as u32) << (18 - 6 * k);
                k += 1;
            }
        }
        b += 1;
    }
    t
};

/// Decodes `input`, or returns `None` when it holds anything outside what this decoder
/// accepts (see the module documentation); then mail-parser's own reading applies.
pub(crate) fn decode_mime(input: &[u8]) -> Option<Vec<u8>> {
    // Written in place: every four input bytes give at most three output bytes.
    let mut out = vec![0u8; input.len() / 4 * 3 + 3];
    let mut n = 0;
    // Bits of the group being read and how many characters it has.
    let mut group: u32 = 0;
    let mut have = 0u8;
    let mut i = 0;
    while i < input.len() {
        if have == 0 {
            // Whole groups of four alphabet characters: the bulk of every line.
            let mut groups = 0;
            for (q, dst) in input[i..].chunks_exact(4).zip(out[n..].chunks_exact_mut(3)) {
                let v = PLACED[0][usize::from(q[0])]
                    | PLACED[1][usize::from(q[1])]
                    | PLACED[2][usize::from(q[2])]
                    | PLACED[3][usize::from(q[3])];
                if v & NOT_ALPHABET != 0 {
                    break;
                }
                dst.copy_from_slice(&v.to_be_bytes()[1..]);
                groups += 1;
            }
            i += groups * 4;
            n += groups * 3;
            if i >= input.len() {
                break;
            }
        }
        // Whitespace, padding, a group split by a line break, or a byte to decline.
        let t = DECODE[usize::from(input[i])];
        let (bytes, len) = match t {
            0..=63 => {
                group = (group << 6) | u32::from(t);
                have += 1;
                if have < 4 {
                    i += 1;
                    continue;
                }
                (group.to_be_bytes(), 3)
            }
            SPACE => {
                i += 1;
                continue;
            }
            PAD => match have {
                0 => {
                    i += 1;
                    continue;
                }
                2 => ((group << 12).to_be_bytes(), 1),
                3 => ((group << 6).to_be_bytes(), 2),
                _ => return None,
            },
            _ => return None,
        };
        // `out` has room: at most three bytes per four input bytes read so far.
        out.get_mut(n..n + len)?
            .copy_from_slice(&bytes[4 - 3..4 - 3 + len]);
        n += len;
        group = 0;
        have = 0;
        i += 1;
    }
    out.truncate(n);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::decode_mime;
    use crate::eval::Rng;
    use mail_parser::parsers::MessageStream;

    /// mail-parser's reading of a base64 body with no boundary: `None` when it declares an
    /// encoding problem.
    fn mail_parser_decode(input: &[u8]) -> Option<Vec<u8>> {
        let mut stream = MessageStream::new(input);
        let (end, bytes) = stream.decode_base64_mime(b"");
        (end != usize::MAX).then(|| bytes.into_owned())
    }

    fn encode(data: &[u8], line: usize) -> Vec<u8> {
        const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = Vec::new();
        for c in data.chunks(3) {
            let v = (u32::from(c[0]) << 16)
                | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
                | u32::from(*c.get(2).unwrap_or(&0));
            for k in 0..4 {
                out.push(if k <= c.len() {
                    A[((v >> (18 - 6 * k)) & 63) as usize]
                } else {
                    b'='
                });
                if line > 0 && (out.len() + 2) % (line + 2) == 0 {
                    out.extend_from_slice(b"\r\n");
                }
            }
        }
        out
    }

    #[test]
    fn decodes_what_an_encoder_writes_in_any_line_length() {
        let mut rng = Rng::new(0x9E37_79B9_7F4A_7C15);
        for len in 0..200 {
            let data: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
            for line in [0, 4, 7, 64, 76] {
                let text = encode(&data, line);
                assert_eq!(
                    decode_mime(&text).as_deref(),
                    Some(&data[..]),
                    "{len} {line}"
                );
                assert_eq!(mail_parser_decode(&text).as_deref(), Some(&data[..]));
            }
        }
    }

    /// Whatever this decoder accepts, mail-parser decodes to the same bytes — on random
    /// strings over the alphabet, whitespace, `=`, `-` and a stray byte, and on encoder output
    /// with random damage.
    #[test]
    fn accepted_input_decodes_exactly_as_mail_parser_does() {
        let symbols: &[u8] = b"AQgw+/Zz09= \t\r\n-*";
        let mut rng = Rng::new(0x2545_F491_4F6C_DD1D);
        let (mut accepted, mut declined) = (0, 0);
        for round in 0..60_000 {
            let input: Vec<u8> = if round % 2 == 0 {
                let len = rng.below(40);
                (0..len)
                    .map(|_| symbols[rng.below(symbols.len())])
                    .collect()
            } else {
                let len = rng.below(60);
                let data: Vec<u8> = (0..len).map(|_| rng.next_u64() as u8).collect();
                let mut text = encode(&data, [0, 8, 76][rng.below(3)]);
                for _ in 0..rng.below(3) {
                    if !text.is_empty() {
                        let at = rng.below(text.len());
                        text[at] = symbols[rng.below(symbols.len())];
                    }
                }
                text
            };
            match decode_mime(&input) {
                Some(ours) => {
                    accepted += 1;
                    assert_eq!(
                        mail_parser_decode(&input).as_deref(),
                        Some(&ours[..]),
                        "{:?}",
                        String::from_utf8_lossy(&input)
                    );
                }
                None => declined += 1,
            }
        }
        // Both kinds must really occur, else the comparison proves nothing.
        assert!(
            accepted > 20_000 && declined > 5_000,
            "{accepted} {declined}"
        );
    }

    #[test]
    fn declines_what_mail_parser_reads_differently() {
        // A lone character before `=`, a hyphen, a byte outside the alphabet.
        for bad in [&b"QUJD Q=="[..], b"QUJD--", b"QU*D"] {
            assert_eq!(decode_mime(bad), None, "{:?}", String::from_utf8_lossy(bad));
        }
        // Padding then more groups (concatenated encodings) and a partial last group decode
        // as mail-parser reads them.
        for odd in [
            &b"QQ==QUJD"[..],
            b"QUI=QQ==",
            b"QUJDRA",
            b"=QUJD",
            b"  \r\n",
        ] {
            assert_eq!(decode_mime(odd), mail_parser_decode(odd));
        }
    }
}

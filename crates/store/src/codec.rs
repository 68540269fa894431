//! How an event's body is kept: the typed JSON followed by the raw record text, in one blob,
//! LZ4-compressed when that pays.
//!
//! Why one blob: the typed JSON repeats most values of the raw record (ids, UPN, app, user
//! agent), so compressing the two together lets the second refer back to the first. On ~1.5 KB
//! Graph sign-ins, typed 1.2 KB + raw 1.5 KB become ~1.5 KB together, where compressing the raw
//! text alone and keeping the typed JSON as text gives ~2.3 KB. Why LZ4 (`lz4_flex`, pure Rust):
//! deflate shrinks better but costs 3–5× the CPU per record, and ingest must stay far above
//! 100k events/s per core. The `codec` column says which form a row uses, so both can be read
//! whatever the current setting; this file owns its values.
//!
//! Why a dictionary (codec 2, migration 5): alone, a 2.9 KB Graph sign-in with its typed JSON
//! (4.3 KB) only shrinks to ~2.3 KB, since LZ4 finds repeats only inside the record. Compressed
//! against an earlier record of the same kind and format (LZ4's external dictionary: matches may
//! point into it), it shrinks to ~0.85 KB (measured over 206,425 generated sign-ins) at the
//! same speed — under 40 % of the bytes to write.

/// `codec` value: the body is stored as is.
pub const CODEC_PLAIN: i64 = 0;
/// `codec` value: the body is one LZ4 block (no frame, no size prefix; `body_len` holds it).
pub const CODEC_LZ4: i64 = 1;
/// `codec` value: one LZ4 block compressed against the dictionary the row's `dict_id` names.
pub const CODEC_LZ4_DICT: i64 = 2;

/// Bodies shorter than this are stored plain: LZ4 would not shrink them enough to pay.
const MIN_COMPRESS_LEN: usize = 128;
/// No stored body is larger than this; a bigger `body_len` means a damaged row.
const MAX_BODY_LEN: usize = 256 * 1024 * 1024;

/// One body ready to store.
pub struct Encoded<'a> {
    /// The `codec` column.
    pub codec: i64,
    /// Bytes of typed JSON at the start of the uncompressed body.
    pub typed_len: usize,
    /// Bytes of the uncompressed body.
    pub body_len: usize,
    /// The `body` column.
    pub blob: &'a [u8],
}

/// Builds bodies, reusing its buffers across events.
pub struct BodyEncoder {
    compress: bool,
    body: Vec<u8>,
    out: Vec<u8>,
}

impl BodyEncoder {
    /// An encoder; `compress = false` stores every body plain.
    pub fn new(compress: bool) -> Self {
        Self {
            compress,
            body: Vec::with_capacity(8192),
            out: Vec::with_capacity(8192),
        }
    }

    /// Whether bodies are compressed at all (dictionaries are only worth making then).
    pub fn compresses(&self) -> bool {
        self.compress
    }

    /// Encodes `typed` (the typed JSON) and `raw`, against `dict` when given (codec 2); the
    /// result borrows this encoder's buffers (or `raw`) until the next call. With no typed
    /// JSON (a derived body) `raw` is compressed where it lies, without a copy.
    pub fn encode<'a>(
        &'a mut self,
        typed: &[u8],
        raw: &'a [u8],
        dict: Option<&[u8]>,
    ) -> Encoded<'a> {
        let body: &'a [u8] = if typed.is_empty() {
            raw
        } else {
            self.body.clear();
            self.body.extend_from_slice(typed);
            self.body.extend_from_slice(raw);
            &self.body
        };
        let body_len = body.len();
        let mut compressed = None;
        if self.compress && body_len >= MIN_COMPRESS_LEN {
            // Grown once, never cleared: zero-filling the buffer again per body cost more than
            // a tenth of the compression itself.
            let need = lz4_flex::block::get_maximum_output_size(body_len);
            if self.out.len() < need {
                self.out.resize(need, 0);
            }
            let result = match dict {
                Some(d) => lz4_flex::block::compress_into_with_dict(body, &mut self.out, d)
                    .map(|n| (n, CODEC_LZ4_DICT)),
                None => lz4_flex::block::compress_into(body, &mut self.out).map(|n| (n, CODEC_LZ4)),
            };
            // Incompressible, or (cannot happen with a maximum-size buffer) no room: keep it plain.
            if let Ok((n, codec)) = result
                && n < body_len
            {
                compressed = Some((n, codec));
            }
        }
        match compressed {
            Some((n, codec)) => Encoded {
                codec,
                typed_len: typed.len(),
                body_len,
                blob: self.out.get(..n).unwrap_or_default(),
            },
            None => Encoded {
                codec: CODEC_PLAIN,
                typed_len: typed.len(),
                body_len,
                blob: body,
            },
        }
    }
}

/// Decompresses a stored body into `out` (reused across calls; the insert path compares a
/// stored event with an incoming copy this way without allocating). `dict` is the dictionary
/// the row names (codec 2). Returns the typed length, checked to lie inside the body; the bytes
/// are not checked to be UTF-8.
pub fn decode_into(
    codec: i64,
    typed_len: i64,
    body_len: i64,
    blob: &[u8],
    dict: Option<&[u8]>,
    out: &mut Vec<u8>,
) -> Result<usize, String> {
    let body_len = usize::try_from(body_len)
        .ok()
        .filter(|n| *n <= MAX_BODY_LEN)
        .ok_or_else(|| format!("body length {body_len} is impossible"))?;
    out.clear();
    match codec {
        CODEC_PLAIN => out.extend_from_slice(blob),
        CODEC_LZ4 => {
            out.resize(body_len, 0);
            let n = lz4_flex::block::decompress_into(blob, out)
                .map_err(|e| format!("body does not decompress: {e}"))?;
            out.truncate(n);
        }
        CODEC_LZ4_DICT => {
            let dict = dict.ok_or("body needs a compression dictionary the row does not name")?;
            out.resize(body_len, 0);
            let n = lz4_flex::block::decompress_into_with_dict(blob, out, dict)
                .map_err(|e| format!("body does not decompress with its dictionary: {e}"))?;
            out.truncate(n);
        }
        other => return Err(format!("unknown body codec {other}")),
    }
    if out.len() != body_len {
        return Err(format!("body is {} bytes, expected {body_len}", out.len()));
    }
    usize::try_from(typed_len)
        .ok()
        .filter(|n| *n <= out.len())
        .ok_or_else(|| format!("typed length {typed_len} exceeds the body"))
}

/// Splits a stored body back into (typed JSON, raw text); the error says what is wrong.
pub fn decode(
    codec: i64,
    typed_len: i64,
    body_len: i64,
    blob: &[u8],
    dict: Option<&[u8]>,
) -> Result<(String, String), String> {
    let mut body = Vec::new();
    let typed_len = decode_into(codec, typed_len, body_len, blob, dict, &mut body)?;
    let raw = body.split_off(typed_len);
    let typed = String::from_utf8(body).map_err(|e| format!("typed JSON is not UTF-8: {e}"))?;
    let raw = String::from_utf8(raw).map_err(|e| format!("raw record is not UTF-8: {e}"))?;
    Ok((typed, raw))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(enc: &mut BodyEncoder, typed: &str, raw: &str) -> i64 {
        let e = enc.encode(typed.as_bytes(), raw.as_bytes(), None);
        let (codec, tl, bl, blob) = (e.codec, e.typed_len, e.body_len, e.blob.to_vec());
        let back = decode(codec, tl as i64, bl as i64, &blob, None).expect("decode");
        assert_eq!(back, (typed.to_string(), raw.to_string()));
        codec
    }

    #[test]
    fn short_bodies_stay_plain_and_long_ones_compress_and_round_trip() {
        let mut enc = BodyEncoder::new(true);
        assert_eq!(
            round_trip(&mut enc, "{\"type\":\"mail\"}", "Subject: x"),
            CODEC_PLAIN
        );
        let typed = "{\"type\":\"sign_in\",\"user_principal_name\":\"yamada@example.co.jp\"}";
        let raw = "{\"userPrincipalName\":\"yamada@example.co.jp\",\"appDisplayName\":\"送信済みアイテム\"}"
            .repeat(30);
        assert_eq!(round_trip(&mut enc, typed, &raw), CODEC_LZ4);
        let e = enc.encode(typed.as_bytes(), raw.as_bytes(), None);
        assert!(
            e.blob.len() < (typed.len() + raw.len()) / 4,
            "{}",
            e.blob.len()
        );
        // An empty raw text and a raw text split inside a multi-byte character boundary are fine.
        assert_eq!(round_trip(&mut enc, &typed.repeat(5), ""), CODEC_LZ4);
        let mut plain = BodyEncoder::new(false);
        assert_eq!(round_trip(&mut plain, typed, &raw), CODEC_PLAIN);
    }

    #[test]
    fn damaged_bodies_are_errors_not_panics() {
        let mut enc = BodyEncoder::new(true);
        let raw = "あいうえお".repeat(100);
        let e = enc.encode(b"{}", raw.as_bytes(), None);
        let (codec, tl, bl, blob) = (
            e.codec,
            e.typed_len as i64,
            e.body_len as i64,
            e.blob.to_vec(),
        );
        assert!(decode(codec, tl, bl, &blob[..blob.len() / 2], None).is_err());
        assert!(decode(codec, tl, bl + 10, &blob, None).is_err());
        assert!(decode(codec, bl + 1, bl, &blob, None).is_err());
        assert!(decode(codec, tl, -1, &blob, None).is_err());
        assert!(decode(codec, tl, i64::MAX, &blob, None).is_err());
        assert!(decode(9, tl, bl, &blob, None).is_err());
        // typed_len in the middle of a character.
        assert!(decode(CODEC_PLAIN, 1, 3, "あ".as_bytes(), None).is_err());
    }

    #[test]
    fn a_dictionary_shrinks_similar_records_and_is_needed_to_read_them() {
        let record = |i: u32| {
            format!(
                "{{\"id\":\"{i:08x}-5251-4030-b22d-91ecd9a37ea4\",\"appDisplayName\":\"Outlook Mobile\",\
                 \"userPrincipalName\":\"user{i}@example.co.jp\",\"status\":{{\"errorCode\":0}},\
                 \"deviceDetail\":{{\"operatingSystem\":\"Ios 18.5\",\"browser\":\"Mobile Safari\"}}}}"
            )
        };
        let typed = "{\"type\":\"sign_in\",\"app_display_name\":\"Outlook Mobile\"}";
        let dict = format!("{typed}{}", record(0));
        let mut enc = BodyEncoder::new(true);
        let seventh = record(7);
        let alone = enc
            .encode(typed.as_bytes(), seventh.as_bytes(), None)
            .blob
            .len();
        let e = enc.encode(typed.as_bytes(), seventh.as_bytes(), Some(dict.as_bytes()));
        assert_eq!(e.codec, CODEC_LZ4_DICT);
        assert!(e.blob.len() * 2 < alone, "{} vs {alone}", e.blob.len());
        let (tl, bl, blob) = (e.typed_len as i64, e.body_len as i64, e.blob.to_vec());
        let back = decode(CODEC_LZ4_DICT, tl, bl, &blob, Some(dict.as_bytes())).expect("decode");
        assert_eq!(back, (typed.to_string(), record(7)));
        let err = decode(CODEC_LZ4_DICT, tl, bl, &blob, None).expect_err("no dictionary");
        assert!(err.contains("dictionary"), "{err}");
        // The wrong dictionary is an error or a different body, never a panic.
        let other = record(99).repeat(3);
        if let Ok(b) = decode(CODEC_LZ4_DICT, tl, bl, &blob, Some(other.as_bytes())) {
            assert_ne!(b, (typed.to_string(), record(7)));
        }
    }

    #[test]
    fn raw_only_bodies_round_trip_whatever_came_before() {
        // A derived body (no typed JSON) is compressed where it lies; the output buffer is
        // reused, so a short body after a long one must not carry the long one's bytes.
        let mut enc = BodyEncoder::new(true);
        let long = "{\"userAgent\":\"Mozilla/5.0 (Windows NT 10.0; Win64; x64)\"}".repeat(80);
        let short =
            "{\"id\":\"a\",\"appDisplayName\":\"Outlook\",\"ipAddress\":\"192.0.2.1\"}".repeat(4);
        for raw in [&long, &short, &long] {
            let e = enc.encode(b"", raw.as_bytes(), Some(long.as_bytes()));
            assert_eq!(e.typed_len, 0);
            let (codec, bl, blob) = (e.codec, e.body_len as i64, e.blob.to_vec());
            let back = decode(codec, 0, bl, &blob, Some(long.as_bytes())).expect("decode");
            assert_eq!(back, (String::new(), raw.clone()));
        }
    }
}

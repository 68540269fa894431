//! Text encoding detection: every reader sees UTF-8.
//!
//! Exports arrive as UTF-8 with or without BOM (Entra portal CSV has none), UTF-16LE/BE with BOM
//! (Exchange historical message-trace reports), or Shift_JIS/CP932 after a Japanese user
//! re-saved the file in Excel. The first 64 KiB are sniffed: a BOM wins; else valid UTF-8 is
//! UTF-8; else chardetng guesses (Japanese legacy encodings included). Decoding streams, so
//! memory does not grow with the file.

use std::io::{self, BufRead, BufReader, Cursor, Read};

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE};
use encoding_rs_io::DecodeReaderBytesBuilder;

/// How many bytes are sniffed for the encoding and shown to the format sniffers.
pub(crate) const HEAD_BYTES: usize = 64 * 1024;

/// A decoded input: its first bytes as text (for sniffing) and a reader over the whole text.
pub(crate) struct Decoded<'a> {
    /// The first up to [`HEAD_BYTES`] of decoded text (cut at a character boundary).
    pub head: String,
    /// The whole decoded text, from the start (the head included), BOM removed.
    pub reader: Box<dyn BufRead + 'a>,
    /// The encoding found, e.g. `UTF-8`, `Shift_JIS`, `UTF-16LE`.
    pub encoding: &'static str,
}

fn fill(r: &mut dyn Read, buf: &mut Vec<u8>, want: usize) -> io::Result<bool> {
    let mut chunk = [0u8; 8192];
    while buf.len() < want {
        let n = r.read(&mut chunk[..(want - buf.len()).min(8192)])?;
        if n == 0 {
            return Ok(true);
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Ok(false)
}

/// Picks the encoding of `raw` (the first bytes of a file; `eof` when that is all of it).
pub(crate) fn sniff_encoding(raw: &[u8], eof: bool) -> &'static Encoding {
    if let Some((enc, _)) = Encoding::for_bom(raw) {
        return enc;
    }
    // UTF-16 without BOM: ASCII text has a NUL in every other byte.
    let probe = &raw[..raw.len().min(256) & !1];
    if probe.len() >= 8 {
        let odd_nul = probe.iter().skip(1).step_by(2).filter(|b| **b == 0).count();
        let even_nul = probe.iter().step_by(2).filter(|b| **b == 0).count();
        let half = probe.len() / 2;
        if odd_nul * 10 >= half * 9 && even_nul == 0 {
            return UTF_16LE;
        }
        if even_nul * 10 >= half * 9 && odd_nul == 0 {
            return UTF_16BE;
        }
    }
    match std::str::from_utf8(raw) {
        Ok(_) => UTF_8,
        // Cut in the middle of a character at the end of the sniffed block: still UTF-8.
        Err(e) if e.error_len().is_none() && !eof => UTF_8,
        Err(_) => {
            let mut det = EncodingDetector::new(Iso2022JpDetection::Allow);
            det.feed(raw, eof);
            det.guess(Some(b"jp"), Utf8Detection::Allow)
        }
    }
}

/// Wraps `input` so it yields UTF-8 and returns its head for sniffing.
pub(crate) fn decode<'a>(mut input: Box<dyn Read + 'a>) -> io::Result<Decoded<'a>> {
    let mut raw = Vec::with_capacity(HEAD_BYTES);
    let eof = fill(&mut input, &mut raw, HEAD_BYTES)?;
    let enc = sniff_encoding(&raw, eof);
    let whole = Cursor::new(raw).chain(input);
    let mut text: Box<dyn Read + 'a> = if enc == UTF_8 {
        Box::new(SkipUtf8Bom::new(whole))
    } else {
        Box::new(
            DecodeReaderBytesBuilder::new()
                .encoding(Some(enc))
                .bom_override(true)
                .build(whole),
        )
    };
    let mut head = Vec::with_capacity(HEAD_BYTES);
    fill(&mut text, &mut head, HEAD_BYTES)?;
    let valid = match std::str::from_utf8(&head) {
        Ok(s) => s.len(),
        Err(e) => e.valid_up_to(),
    };
    let head_text = String::from_utf8_lossy(&head[..valid]).into_owned();
    let reader = BufReader::with_capacity(256 * 1024, Cursor::new(head).chain(text));
    Ok(Decoded {
        head: head_text,
        reader: Box::new(reader),
        encoding: enc.name(),
    })
}

/// Drops a leading UTF-8 BOM.
struct SkipUtf8Bom<R> {
    inner: R,
    checked: bool,
    pending: Vec<u8>,
}

impl<R: Read> SkipUtf8Bom<R> {
    fn new(inner: R) -> Self {
        Self {
            inner,
            checked: false,
            pending: Vec::new(),
        }
    }
}

impl<R: Read> Read for SkipUtf8Bom<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if !self.checked {
            self.checked = true;
            let mut first = Vec::with_capacity(3);
            fill(&mut self.inner, &mut first, 3)?;
            if first != b"\xEF\xBB\xBF" {
                self.pending = first;
            }
        }
        if !self.pending.is_empty() {
            let n = self.pending.len().min(buf.len());
            buf[..n].copy_from_slice(&self.pending[..n]);
            self.pending.drain(..n);
            return Ok(n);
        }
        self.inner.read(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(bytes: Vec<u8>) -> (String, String) {
        let mut d = decode(Box::new(Cursor::new(bytes))).expect("decode");
        let mut s = String::new();
        d.reader.read_to_string(&mut s).expect("read");
        (d.encoding.to_string(), s)
    }

    #[test]
    fn boms_and_legacy_japanese() {
        assert_eq!(
            all(b"\xEF\xBB\xBFa,b".to_vec()),
            ("UTF-8".into(), "a,b".into())
        );
        assert_eq!(all(b"a,b".to_vec()), ("UTF-8".into(), "a,b".into()));
        let mut le = vec![0xFF, 0xFE];
        for u in "日本,x".encode_utf16() {
            le.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(all(le), ("UTF-16LE".into(), "日本,x".into()));
        let mut be = vec![0xFE, 0xFF];
        for u in "a,b".encode_utf16() {
            be.extend_from_slice(&u.to_be_bytes());
        }
        assert_eq!(all(be).1, "a,b");
        let text = "ユーザー,場所\r\n山田 太郎,東京都 千代田区\r\n".repeat(5);
        let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode(&text);
        let (enc, out) = all(sjis.into_owned());
        assert_eq!(enc, "Shift_JIS");
        assert_eq!(out, text);
    }
}

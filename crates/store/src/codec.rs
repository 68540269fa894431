//! How the raw record text is kept: deflate-compressed when that pays, verbatim otherwise.
//!
//! The raw record (the export's JSON or CSV row) is the evidence and is kept once per event; the
//! typed JSON next to it is what detections read. Raw JSON compresses about 2–3× with fast
//! deflate, which roughly halves the database, and a reused compressor costs a few
//! microseconds per kilobyte. Short records are stored verbatim (deflate would not shrink them
//! enough to pay for the work). The `raw_codec` column says which: this file owns its values.

use flate2::{Compress, Compression, Decompress, FlushCompress, FlushDecompress, Status};

/// `raw_codec` value: the blob is the UTF-8 text itself.
pub const CODEC_PLAIN: i64 = 0;
/// `raw_codec` value: the blob is raw deflate (RFC 1951, no zlib header) of the UTF-8 text.
pub const CODEC_DEFLATE: i64 = 1;

/// Records shorter than this are stored verbatim.
const MIN_COMPRESS_LEN: usize = 256;

/// Compresses raw records, reusing one deflate state (creating one per record would allocate
/// and zero hundreds of kilobytes each time).
pub struct RawEncoder {
    deflate: Compress,
    out: Vec<u8>,
}

impl Default for RawEncoder {
    fn default() -> Self {
        Self::new()
    }
}

impl RawEncoder {
    /// A fast-level encoder.
    pub fn new() -> Self {
        Self {
            deflate: Compress::new(Compression::fast(), false),
            out: Vec::with_capacity(4096),
        }
    }

    /// Encodes `raw`; returns the codec and the bytes to store (borrowed from `raw` or from
    /// this encoder's buffer, valid until the next call).
    pub fn encode<'a>(&'a mut self, raw: &'a str) -> std::io::Result<(i64, &'a [u8])> {
        if raw.len() < MIN_COMPRESS_LEN {
            return Ok((CODEC_PLAIN, raw.as_bytes()));
        }
        self.deflate.reset();
        self.out.clear();
        // Deflate's worst case adds ~5 bytes per 16 KiB block; give it room to finish in one go.
        self.out.reserve(raw.len() + raw.len() / 16 + 64);
        loop {
            let consumed = usize::try_from(self.deflate.total_in()).unwrap_or(usize::MAX);
            let input = raw.as_bytes().get(consumed..).unwrap_or_default();
            let status = self
                .deflate
                .compress_vec(input, &mut self.out, FlushCompress::Finish)
                .map_err(std::io::Error::other)?;
            match status {
                Status::StreamEnd => break,
                Status::Ok | Status::BufError => self.out.reserve(self.out.capacity().max(4096)),
            }
        }
        if self.out.len() >= raw.len() {
            // Incompressible (already random-looking): keep it readable instead.
            return Ok((CODEC_PLAIN, raw.as_bytes()));
        }
        Ok((CODEC_DEFLATE, &self.out))
    }
}

/// Decompresses raw records, reusing one inflate state.
pub struct RawDecoder {
    inflate: Decompress,
}

impl Default for RawDecoder {
    fn default() -> Self {
        Self::new()
    }
}

impl RawDecoder {
    /// A decoder.
    pub fn new() -> Self {
        Self {
            inflate: Decompress::new(false),
        }
    }

    /// Turns a stored blob back into the raw text; the error says what is wrong with it.
    pub fn decode(&mut self, codec: i64, blob: &[u8]) -> Result<String, String> {
        let bytes = match codec {
            CODEC_PLAIN => blob.to_vec(),
            CODEC_DEFLATE => self.inflate(blob)?,
            other => return Err(format!("unknown raw codec {other}")),
        };
        String::from_utf8(bytes).map_err(|e| format!("raw record is not UTF-8: {e}"))
    }

    fn inflate(&mut self, blob: &[u8]) -> Result<Vec<u8>, String> {
        self.inflate.reset(false);
        let mut out = Vec::with_capacity(blob.len().saturating_mul(4).max(256));
        loop {
            let consumed = usize::try_from(self.inflate.total_in()).unwrap_or(usize::MAX);
            let input = blob.get(consumed..).unwrap_or_default();
            let before_out = out.len();
            let status = self
                .inflate
                .decompress_vec(input, &mut out, FlushDecompress::None)
                .map_err(|e| format!("raw record does not inflate: {e}"))?;
            match status {
                Status::StreamEnd => return Ok(out),
                Status::Ok | Status::BufError => {
                    let progressed = out.len() > before_out
                        || usize::try_from(self.inflate.total_in()).unwrap_or(usize::MAX)
                            > consumed;
                    if !progressed && out.len() < out.capacity() {
                        return Err("raw record is truncated".to_string());
                    }
                    out.reserve(out.capacity().max(256));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_records_stay_plain_and_long_ones_round_trip() {
        let mut enc = RawEncoder::new();
        let mut dec = RawDecoder::new();
        let (codec, bytes) = enc.encode("{\"id\":\"1\"}").expect("encode");
        assert_eq!(codec, CODEC_PLAIN);
        assert_eq!(dec.decode(codec, bytes).expect("decode"), "{\"id\":\"1\"}");

        let long = "{\"userPrincipalName\":\"yamada@example.co.jp\",\"appDisplayName\":\"Office 365 Exchange Online\"}"
            .repeat(40);
        let (codec, bytes) = enc.encode(&long).expect("encode");
        assert_eq!(codec, CODEC_DEFLATE);
        assert!(
            bytes.len() < long.len() / 4,
            "compressed to {}",
            bytes.len()
        );
        let bytes = bytes.to_vec();
        assert_eq!(dec.decode(codec, &bytes).expect("decode"), long);
        // The reused state gives the same result a second time.
        assert_eq!(dec.decode(codec, &bytes).expect("decode"), long);
    }

    #[test]
    fn damaged_blobs_are_errors_not_panics() {
        let mut dec = RawDecoder::new();
        assert!(dec.decode(CODEC_DEFLATE, &[0xff, 0xfe, 0x00]).is_err());
        assert!(dec.decode(7, b"x").is_err());
        let mut enc = RawEncoder::new();
        let long = "あいうえお".repeat(200);
        let (codec, bytes) = enc.encode(&long).expect("encode");
        let truncated = bytes[..bytes.len() / 2].to_vec();
        assert!(dec.decode(codec, &truncated).is_err());
    }
}

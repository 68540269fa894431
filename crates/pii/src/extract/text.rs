//! Plain text, CSV and HTML. Charset: a BOM wins; 7-bit text is ASCII unless it holds
//! ISO-2022-JP escapes; then valid UTF-8; then bytes that decode cleanly as exactly one of
//! CP932/EUC-JP and read as Japanese; otherwise chardetng (with
//! ISO-2022-JP detection allowed and the `.jp` TLD hint) picks among CP932 (Shift_JIS),
//! EUC-JP, ISO-2022-JP and others, and encoding_rs decodes. CSV becomes a table grid; HTML is
//! reduced to its text (script/style dropped, block tags and cells become line/tab breaks).

use super::Table;
use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use std::cell::RefCell;
use std::io::Cursor;

/// `std::str::from_utf8(bytes).ok()`, with the check done by encoding_rs, whose UTF-8
/// validation is vectorised (simdutf8 with SSE 4.2 or AVX2, chosen at run time) where the
/// standard library's walks the bytes; the XML parts of every xlsx and docx and most text
/// attachments pass through it. Tested equal to the standard check.
pub(super) fn utf8(bytes: &[u8]) -> Option<&str> {
    match encoding_rs::UTF_8.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(std::borrow::Cow::Borrowed(s)) => Some(s),
        // Valid UTF-8 is always borrowed and invalid is `None`: the standard check has the
        // last word on anything else (and on invalid input, which is rare).
        _ => std::str::from_utf8(bytes).ok(),
    }
}

/// Decodes bytes of unknown charset to text.
pub(crate) fn decode_text(bytes: &[u8]) -> String {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc
            .decode_without_bom_handling(&bytes[bom_len..])
            .0
            .into_owned();
    }
    if bytes.is_ascii() {
        // ISO-2022-JP is 7-bit: its escape sequences are the only sign of it.
        let escaped =
            bytes.contains(&0x1b) && bytes.windows(3).any(|w| w == b"\x1b$B" || w == b"\x1b$@");
        if escaped
            && let Some(t) =
                encoding_rs::ISO_2022_JP.decode_without_bom_handling_and_without_replacement(bytes)
        {
            return t.into_owned();
        }
        return String::from_utf8_lossy(bytes).into_owned();
    }
    if let Some(s) = utf8(bytes) {
        return s.to_string();
    }
    if let Some(text) = japanese_by_validity(bytes) {
        return text;
    }
    // The detector is the slow part; 64 KiB of a CSV/text decides its charset as well as all of it.
    let sample = &bytes[..bytes.len().min(64 << 10)];
    let mut det = EncodingDetector::new(Iso2022JpDetection::Allow);
    det.feed(sample, sample.len() == bytes.len());
    let enc = det.guess(Some(b"jp"), Utf8Detection::Allow);
    enc.decode_without_bom_handling(bytes).0.into_owned()
}

/// The Japanese 8-bit charsets decided without the statistical detector (which costs ~30× a
/// decode) when the bytes leave no doubt: exactly one of CP932 / EUC-JP that decodes without error *and* reads as Japanese — at least
/// two kana, kana ≥ 10 % of the non-ASCII characters, and no half-width katakana (a Latin-1 or
/// EUC-JP text read as CP932 turns into half-width katakana). Anything else (half-width kana
/// files, kanji-only text, other languages) goes to the detector.
fn japanese_by_validity(bytes: &[u8]) -> Option<String> {
    use encoding_rs::{EUC_JP, SHIFT_JIS};
    let reads_as_japanese = |t: &str| {
        let (mut kana, mut non_ascii) = (0usize, 0usize);
        for c in t.chars().filter(|c| !c.is_ascii()) {
            non_ascii += 1;
            match c {
                '\u{3041}'..='\u{30FE}' => kana += 1,
                '\u{FF61}'..='\u{FF9F}' => return false,
                _ => {}
            }
        }
        kana >= 2 && kana * 10 >= non_ascii
    };
    let mut found = [SHIFT_JIS, EUC_JP].into_iter().filter_map(|enc| {
        enc.decode_without_bom_handling_and_without_replacement(bytes)
            .filter(|t| reads_as_japanese(t))
    });
    match (found.next(), found.next()) {
        (Some(t), None) => Some(t.into_owned()),
        _ => None,
    }
}

/// True when the first 4 KiB hold no NUL and few control bytes.
pub(super) fn looks_like_text(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(4096)];
    !head.is_empty()
        && !head.contains(&0)
        && head
            .iter()
            .filter(|b| **b < 0x09 || (**b > 0x0d && **b < 0x20 && **b != 0x1b))
            .count()
            * 100
            < head.len()
}

type CsvReader = csv::Reader<Cursor<Vec<u8>>>;

fn csv_reader(tab: bool, text: Vec<u8>) -> CsvReader {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(if tab { b'\t' } else { b',' })
        .from_reader(Cursor::new(text))
}

thread_local! {
    /// One CSV and one TSV reader per thread: building a reader builds its parser automaton,
    /// a fixed cost that showed on small CSV attachments.
    static CSV_READERS: [RefCell<Option<CsvReader>>; 2] = const { [RefCell::new(None), RefCell::new(None)] };
}

/// Parses CSV/TSV (any charset) into a grid; malformed records are kept as far as they parse.
pub(super) fn parse_csv(path: &str, bytes: &[u8], tab: bool) -> Table {
    let text = decode_text(bytes).into_bytes();
    let rows = CSV_READERS.with(|readers| {
        let Ok(mut slot) = readers[usize::from(tab)].try_borrow_mut() else {
            return csv_rows(path, &mut csv_reader(tab, text));
        };
        match slot.as_mut() {
            // A used reader restarts on the new text: seeking resets the parser and, the
            // first row having been read once, no row is held back as a header.
            Some(rdr) => {
                *rdr.get_mut() = Cursor::new(text);
                if rdr
                    .seek_raw(std::io::SeekFrom::Start(0), csv::Position::new())
                    .is_err()
                {
                    let text = std::mem::take(rdr.get_mut()).into_inner();
                    *rdr = csv_reader(tab, text);
                }
            }
            None => *slot = Some(csv_reader(tab, text)),
        }
        let Some(rdr) = slot.as_mut() else {
            return Vec::new();
        };
        let rows = csv_rows(path, rdr);
        // Free the text; the reader keeps only its small buffers.
        *rdr.get_mut() = Cursor::new(Vec::new());
        rows
    });
    Table {
        label: path.rsplit('/').next().unwrap_or(path).to_string(),
        rows,
    }
}

fn csv_rows(path: &str, rdr: &mut CsvReader) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for (i, rec) in rdr.records().enumerate() {
        match rec {
            Ok(r) => rows.push(r.iter().map(str::to_string).collect()),
            Err(e) => {
                tracing::warn!(path, record = i + 1, error = %e, "CSV record unreadable; kept as one cell");
                rows.push(vec![String::new()]);
            }
        }
    }
    rows
}

/// HTML → text: tags removed, script/style skipped, entities decoded.
pub(crate) fn html_to_text(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        push_text(&mut out, &rest[..lt]);
        let after = &rest[lt + 1..];
        let Some(gt) = after.find('>') else {
            rest = "";
            break;
        };
        let tag = after[..gt].trim_start_matches('/').to_ascii_lowercase();
        let name: String = tag
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        rest = &after[gt + 1..];
        if (name == "script" || name == "style") && !after.starts_with('/') {
            let close = format!("</{name}");
            let lower = rest.to_ascii_lowercase();
            rest = lower.find(&close).map_or("", |i| &rest[i..]);
            continue;
        }
        match name.as_str() {
            "br" | "p" | "div" | "tr" | "li" | "h1" | "h2" | "h3" | "h4" | "table" => {
                out.push('\n')
            }
            "td" | "th" => out.push('\t'),
            _ => {}
        }
    }
    push_text(&mut out, rest);
    out
}

fn push_text(out: &mut String, s: &str) {
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        match after.find(';').filter(|i| *i <= 10) {
            Some(semi) => match super::office::resolve_ref(&after[..semi]) {
                Some(c) => {
                    out.push(c);
                    rest = &after[semi + 1..];
                }
                None => {
                    out.push('&');
                    rest = after;
                }
            },
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cp932_and_euc_jp_are_detected() {
        let s = "氏名,生年月日\n山田太郎,1980/05/12\n佐藤花子,1985/01/02\n";
        let (sj, _, _) = encoding_rs::SHIFT_JIS.encode(s);
        assert_eq!(decode_text(&sj), s);
        let (euc, _, _) = encoding_rs::EUC_JP.encode(s);
        assert_eq!(decode_text(&euc), s);
    }

    #[test]
    fn japanese_charsets_are_decided_by_validity_and_the_rest_by_the_detector() {
        let s = "氏名,フリガナ,住所\n山田 太郎,ヤマダ タロウ,東京都港区芝公園1-2-3\nよろしくお願いします\n";
        let (sj, _, _) = encoding_rs::SHIFT_JIS.encode(s);
        assert_eq!(japanese_by_validity(&sj).as_deref(), Some(s));
        let (euc, _, _) = encoding_rs::EUC_JP.encode(s);
        assert_eq!(japanese_by_validity(&euc).as_deref(), Some(s));
        let (jis, _, _) = encoding_rs::ISO_2022_JP.encode(s);
        assert_eq!(decode_text(&jis), s);
        assert_eq!(decode_text(b"plain ascii"), "plain ascii");
        // Half-width katakana (bank transfer files): left to the detector, which gets it right.
        let hw = "ﾔﾏﾀﾞ ﾀﾛｳ,普通,1234567\nｻﾄｳ ﾊﾅｺ,当座,7654321\n";
        let (sj, _, _) = encoding_rs::SHIFT_JIS.encode(hw);
        assert_eq!(japanese_by_validity(&sj), None);
        assert_eq!(decode_text(&sj), hw);
        // A Western text in windows-1252 is never taken for Japanese.
        let fr = "Nom,Adresse\nRené Lefèvre,12 rue de l'Église, Besançon\nÉté à côté\n";
        let (w, _, _) = encoding_rs::WINDOWS_1252.encode(fr);
        assert_eq!(japanese_by_validity(&w), None);
        assert_eq!(decode_text(&w), fr);
    }

    #[test]
    fn html_text_only() {
        let t = html_to_text(
            "<html><style>p{}</style><p>氏名&nbsp;山田&amp;</p><script>x()</script><td>a</td></html>",
        );
        assert!(t.contains("氏名 山田&"));
        assert!(!t.contains("x()"));
        assert!(!t.contains("p{}"));
    }
}

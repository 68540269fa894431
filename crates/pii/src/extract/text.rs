//! Plain text, CSV and HTML. Charset: a BOM or valid UTF-8 wins; otherwise chardetng (with
//! ISO-2022-JP detection allowed and the `.jp` TLD hint) picks among CP932 (Shift_JIS),
//! EUC-JP, ISO-2022-JP and others, and encoding_rs decodes. CSV becomes a table grid; HTML is
//! reduced to its text (script/style dropped, block tags and cells become line/tab breaks).

use super::Table;
use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};

/// Decodes bytes of unknown charset to text.
pub(crate) fn decode_text(bytes: &[u8]) -> String {
    if let Some((enc, bom_len)) = encoding_rs::Encoding::for_bom(bytes) {
        return enc
            .decode_without_bom_handling(&bytes[bom_len..])
            .0
            .into_owned();
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return s.to_string();
    }
    // The detector is the slow part; 64 KiB of a CSV/text decides its charset as well as all of it.
    let sample = &bytes[..bytes.len().min(64 << 10)];
    let mut det = EncodingDetector::new(Iso2022JpDetection::Allow);
    det.feed(sample, sample.len() == bytes.len());
    let enc = det.guess(Some(b"jp"), Utf8Detection::Allow);
    enc.decode_without_bom_handling(bytes).0.into_owned()
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

/// Parses CSV/TSV (any charset) into a grid; malformed records are kept as far as they parse.
pub(super) fn parse_csv(path: &str, bytes: &[u8], tab: bool) -> Table {
    let text = decode_text(bytes);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(if tab { b'\t' } else { b',' })
        .from_reader(text.as_bytes());
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
    Table {
        label: path.rsplit('/').next().unwrap_or(path).to_string(),
        rows,
    }
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
    fn html_text_only() {
        let t = html_to_text(
            "<html><style>p{}</style><p>氏名&nbsp;山田&amp;</p><script>x()</script><td>a</td></html>",
        );
        assert!(t.contains("氏名 山田&"));
        assert!(!t.contains("x()"));
        assert!(!t.contains("p{}"));
    }
}

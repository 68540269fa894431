//! One document (extracted blocks or a mail body) → person records. Text blocks go through the
//! recognizers and text grouping; table blocks through table mode (one row = one person) or,
//! without a header, through the text path. Mail bodies additionally yield the contacts found
//! in their signature block, counted apart from personal records.

use crate::category::Category;
use crate::extract::Block;
use crate::lexicon as lx;
use crate::person::{Record, group_text};
use crate::recognize::{Confidence, Hit, RecognizeOptions, normalize_and_recognize};
use crate::table::scan_table;

/// What one document yielded.
#[derive(Debug, Default)]
pub(crate) struct DocScan {
    /// Person records (with `from_table` flag).
    pub records: Vec<(Record, bool)>,
    /// Validator-passing values without context, per category (candidates, not counted).
    pub low_confidence: Vec<Category>,
    /// Corporate numbers seen (public data).
    pub corporate_numbers: u64,
    /// E-mail addresses anywhere in the document (for "addresses only in bodies").
    pub emails: Vec<String>,
}

/// Scans extracted blocks.
pub(crate) fn scan_blocks(blocks: &[Block], opts: &RecognizeOptions) -> DocScan {
    let mut out = DocScan::default();
    for b in blocks {
        match b {
            Block::Text(t) => scan_text_into(t, opts, &mut out),
            Block::Table(tb) => {
                let ts = scan_table(tb, opts);
                if let Some(flat) = ts.flattened {
                    scan_text_into(&flat, opts, &mut out);
                }
                for row in ts.rows {
                    for h in &row {
                        if h.category == Category::Email {
                            out.emails.push(h.value.clone());
                        }
                    }
                    out.records.push((
                        Record {
                            hits: row,
                            business: false,
                        },
                        true,
                    ));
                }
            }
        }
    }
    out
}

fn scan_text_into(text: &str, opts: &RecognizeOptions, out: &mut DocScan) {
    let (norm, hits) = normalize_and_recognize(text, opts);
    group_into(norm, hits, out);
}

/// Notes the side values of `hits` (found in the normalised text `norm`) and groups them
/// into records.
fn group_into(mut norm: String, hits: Vec<Hit>, out: &mut DocScan) {
    note_side_values(&hits, out);
    // Grouping no hit gives no record: the text is not lower-cased for nothing.
    if hits.is_empty() {
        return;
    }
    norm.make_ascii_lowercase();
    for r in group_text(&norm, hits) {
        out.records.push((r, false));
    }
}

fn note_side_values(hits: &[Hit], out: &mut DocScan) {
    for h in hits {
        match (h.category, h.confidence) {
            (Category::CorporateNumber, _) => out.corporate_numbers += 1,
            (c, Confidence::Low) => out.low_confidence.push(c),
            (Category::Email, _) => out.emails.push(h.value.clone()),
            _ => {}
        }
    }
}

/// Lines at the end of a body searched for a signature block.
const SIGNATURE_TAIL_LINES: usize = 40;

/// Contacts in a mail signature: the e-mail addresses (or else the phone count) of the last
/// block after a separator line (`--`, `━━`, `==`, `__`) or of the last 12 lines, when that
/// block names an organisation. Returns lower-cased addresses; one entry per contact.
/// (Mail bodies go through [`scan_body`], which reads the same lines.)
#[cfg(test)]
pub(crate) fn signature_contacts(body: &str) -> Vec<String> {
    // Signatures are short: only the last 40 lines are normalised and searched.
    signature_in_normalized(&crate::normalize::normalize_text(&body[tail_start(body)..]))
}

/// Where the last [`SIGNATURE_TAIL_LINES`] lines of `text` begin.
fn tail_start(text: &str) -> usize {
    // One backward pass (vectorised by memchr) that stops at the 40th break from the end.
    let trimmed = text.trim_end().as_bytes();
    memchr::memrchr_iter(b'\n', trimmed)
        .nth(SIGNATURE_TAIL_LINES - 1)
        .map_or(0, |i| i + 1)
}

/// A mail body: its scan and its signature contacts, from one normalisation of the body.
/// Normalisation works line by line (NFKC never composes across a line break and dashes
/// are folded only between digits), so the last lines of the normalised body are the
/// normalised last lines that [`signature_contacts`] reads.
pub(crate) fn scan_body(body: &str, opts: &RecognizeOptions) -> (DocScan, Vec<String>) {
    let (norm, hits) = normalize_and_recognize(body, opts);
    let contacts = signature_in_normalized(&norm[tail_start(&norm)..]);
    let mut out = DocScan::default();
    group_into(norm, hits, &mut out);
    (out, contacts)
}

fn signature_in_normalized(norm: &str) -> Vec<String> {
    // Contacts are words holding an `@`: without one there is nothing to look for.
    if !norm.contains('@') {
        return Vec::new();
    }
    let block = signature_block(norm);
    if !block.contains('@') {
        return Vec::new();
    }
    let lower = block.to_ascii_lowercase();
    if !lx::contains_any(&lower, lx::ORG_MARKERS) {
        return Vec::new();
    }
    let mut emails = signature_words_with_at(&lower)
        .filter(|w| crate::recognize::is_email(w))
        .map(str::to_string)
        .collect::<Vec<_>>();
    emails.sort();
    emails.dedup();
    emails
}

/// The signature block of the tail `norm` (the last lines of a normalised body): the lines
/// after the last separator line (`--`, `━━`, `==`, `__`, `──`, `**` after leading blanks),
/// or else the last 12 lines — as a slice of `norm`, line breaks included. Separators,
/// organisation markers and addresses hold no line break, so they are found in this slice
/// exactly as in the lines joined with `\n`.
fn signature_block(norm: &str) -> &str {
    let mut end = norm.len();
    // Start of the 12th line from the end (the whole text when it has fewer lines).
    let mut last_twelve = 0;
    for (k, line) in norm.split_inclusive('\n').rev().enumerate() {
        let start = end - line.len();
        if is_signature_separator(line) {
            return &norm[end..];
        }
        if k == 11 {
            last_twelve = start;
        }
        end = start;
    }
    &norm[last_twelve..]
}

/// Whether a line (its break included or not) is a signature separator. Every separator is
/// at least two non-blank bytes, so the trimmed line is at least that long.
fn is_signature_separator(line: &str) -> bool {
    let t = line.trim_start();
    ["--", "━━", "==", "__", "──", "**"]
        .iter()
        .any(|p| t.starts_with(p))
}

/// Characters that separate the words of a signature block.
fn is_signature_delimiter(c: char) -> bool {
    c.is_whitespace() || matches!(c, '<' | '>' | '(' | ')' | ':' | ',')
}

/// The words of `text` (split at [`is_signature_delimiter`]) that contain an `@` — the only
/// ones that can be addresses. Found from each `@` outwards: splitting a whole block char by
/// char had cost ~3 % of a scope run.
fn signature_words_with_at(text: &str) -> impl Iterator<Item = &str> {
    let mut from = 0;
    std::iter::from_fn(move || {
        let at = from + text.get(from..)?.find('@')?;
        let start = text[..at]
            .char_indices()
            .rev()
            .find(|(_, c)| is_signature_delimiter(*c))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let end = text[at..]
            .char_indices()
            .find(|(_, c)| is_signature_delimiter(*c))
            .map_or(text.len(), |(i, _)| at + i);
        from = end;
        Some(&text[start..end])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_with_an_at_sign_are_the_split_words_that_hold_one() {
        let split = |t: &str| -> Vec<String> {
            t.split(is_signature_delimiter)
                .filter(|w| w.contains('@'))
                .map(str::to_string)
                .collect()
        };
        let mut texts: Vec<String> = [
            "",
            "@",
            "a@b",
            "mail: a@b.co.jp, (c@d.jp) <e@f.com>",
            "x@@y z@ @w 　全角@空白　a@b\tc@d\n",
            "株式会社サンプル 営業部\nMail：suzuki@sample-shoji.co.jp\nTEL: 03-1234-5678",
            "a@b:c@d,e@f<g@h>i@j(k@l)m@n",
            "末尾@",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for m in crate::evalgen::generate(3).expect("generate").messages {
            texts.push(m.body.to_ascii_lowercase());
        }
        for t in &texts {
            let got: Vec<String> = signature_words_with_at(t).map(str::to_string).collect();
            assert_eq!(got, split(t), "{t:?}");
        }
    }

    /// The signature reading `signature_in_normalized` replaced: lines collected, joined
    /// and lower-cased.
    fn signature_by_joined_lines(norm: &str) -> Vec<String> {
        let lines: Vec<&str> = norm.lines().collect();
        let sep = lines.iter().rposition(|l| {
            let t = l.trim();
            t.len() >= 2
                && (t.starts_with("--")
                    || t.starts_with("━━")
                    || t.starts_with("==")
                    || t.starts_with("__")
                    || t.starts_with("──")
                    || t.starts_with("**"))
        });
        let from = sep.map_or(lines.len().saturating_sub(12), |i| i + 1);
        let lower = lines[from..].join("\n").to_ascii_lowercase();
        if !lx::contains_any(&lower, lx::ORG_MARKERS) {
            return Vec::new();
        }
        let mut emails = signature_words_with_at(&lower)
            .filter(|w| crate::recognize::is_email(w))
            .map(str::to_string)
            .collect::<Vec<_>>();
        emails.sort();
        emails.dedup();
        emails
    }

    #[test]
    fn tail_starts_after_the_fortieth_line_break_from_the_end() {
        let by_search = |t: &str| {
            t.trim_end()
                .rmatch_indices('\n')
                .nth(SIGNATURE_TAIL_LINES - 1)
                .map_or(0, |(i, _)| i + 1)
        };
        for n in [0, 1, 38, 39, 40, 41, 80] {
            for t in [
                "行\n".repeat(n),
                format!("{}末尾", "行\n".repeat(n)),
                format!("{}\n\n \u{3000}\n", "行\r\n".repeat(n)),
            ] {
                assert_eq!(tail_start(&t), by_search(&t), "{n} {t:?}");
            }
        }
    }

    #[test]
    fn signature_slice_reads_what_the_joined_lines_gave() {
        for m in lx::ORG_MARKERS {
            assert_eq!(*m, m.to_ascii_lowercase());
        }
        let sig =
            "株式会社サンプル 営業部\nMail: Suzuki@Sample-Shoji.CO.JP <b@c.jp>\nTEL 03-1234-5678\n";
        let mut texts: Vec<String> = vec![
            String::new(),
            "\n".into(),
            "--".into(),
            "-".into(),
            " -- \n".into(),
            sig.into(),
            format!("--\n{sig}"),
            format!("{sig}--\n"),
            format!("{sig}  ━━━━\r\n"),
            format!("本文\r\n\u{3000}==\r\n{}", sig.replace('\n', "\r\n")),
            format!("**\n{sig}\n\n\n  \n"),
            format!("──\n{}{sig}", "行\n".repeat(11)),
            format!("{}ACME CORPORATION\nx@y.com", "行\n".repeat(11)),
            format!("{}ACME CORPORATION\nx@y.com", "行\n".repeat(10)),
            format!("{}ACME CORPORATION\nx@y.com", "行\n".repeat(12)),
            "Example Co., Ltd\nA@B.CO\r".into(),
            "ACME Inc.\n__\nfoo@bar.com 株式会社".into(),
            "co.,\nltd a@b.cc".into(),
            "Inc.\ra@b.cc\r".into(),
        ];
        for seed in 1..=3 {
            for m in crate::evalgen::generate(seed).expect("generate").messages {
                let norm = crate::normalize::normalize_text(&m.body);
                texts.push(norm[tail_start(&norm)..].to_string());
                texts.push(norm.replace('\n', "\r\n"));
                texts.push(format!("{norm}\n--\n{sig}\n\n"));
            }
        }
        let mut found = 0;
        for t in &texts {
            let got = signature_in_normalized(t);
            assert_eq!(got, signature_by_joined_lines(t), "{t:?}");
            found += usize::from(!got.is_empty());
        }
        assert!(found > 20, "{found}");
    }

    #[test]
    fn signature_block_contacts() {
        let body = "いつもお世話になっております。\n\n--\n株式会社サンプル商事 営業部\n鈴木 一郎\nTEL: 03-1234-5678\nMail: suzuki@sample-shoji.co.jp\n";
        assert_eq!(
            signature_contacts(body),
            vec!["suzuki@sample-shoji.co.jp".to_string()]
        );
        assert!(signature_contacts("了解です。\n田中").is_empty());
    }

    #[test]
    fn one_normalisation_gives_the_same_body_scan_and_signature() {
        let mut body = String::from(
            "氏名：山田　太郎\n生年月日：1985年4月1日\n携帯：０９０ー１２３４ー５６７８\nﾔﾏﾀﾞ ﾀﾛｳ\n",
        );
        body.push_str(&"ご確認ください。\n".repeat(45));
        body.push_str("--\n株式会社サンプル商事　営業部\nＭａｉｌ： Ｓｕｚｕｋｉ@sample-shoji.co.jp\n\u{3000}\n");
        let opts = RecognizeOptions {
            reference_date: chrono::NaiveDate::from_ymd_opt(2025, 6, 1).expect("date"),
        };
        let (scan, contacts) = scan_body(&body, &opts);
        assert_eq!(contacts, signature_contacts(&body));
        assert_eq!(contacts, vec!["suzuki@sample-shoji.co.jp".to_string()]);
        let separate = scan_blocks(&[Block::Text(body.clone())], &opts);
        assert_eq!(
            format!("{:?}", scan.records),
            format!("{:?}", separate.records)
        );
        assert_eq!(scan.emails, separate.emails);
        assert!(!scan.records.is_empty());
    }
}

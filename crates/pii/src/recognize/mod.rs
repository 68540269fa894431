//! Free-text recognizers (JAPAN.md §3): numbers (My Number, corporate number, card, phone,
//! postal code, bank account, pension), labelled values (names, readings, head of household,
//! relationship, gender, addresses, birth dates), e-mail addresses, IDs with letters
//! (passport, residence card) and 要配慮 keywords. Every numeric match needs its validator to
//! pass *and* the nearest label not to be a negative word (注文番号, 品番 …); most also need a
//! positive label. Input is the normalised text (see `normalize`).

mod labelled;
pub(crate) use labelled::{is_email, parse_any_date};
mod numbers;
pub(crate) mod prefilter;
mod regions;
mod short;

use crate::category::{Category, SpecialCareKind};
use chrono::NaiveDate;

/// How sure a recognizer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Confidence {
    /// Validator passed but no positive context: reported as a candidate, never counted.
    Low,
    /// Validator and context agree (or a table column says so).
    High,
}

/// One recognised value inside a normalised text.
#[derive(Debug, Clone)]
pub struct Hit {
    /// What kind of data.
    pub category: Category,
    /// The value (normalised; digits without separators for numbers). Never leaves the crate
    /// unmasked unless the caller asked for `reveal`.
    pub value: String,
    /// Byte offset of the match in the normalised text.
    pub start: usize,
    /// Byte end of the match.
    pub end: usize,
    /// How sure.
    pub confidence: Confidence,
    /// For `SpecialCare`: which sub-category.
    pub special: Option<SpecialCareKind>,
    /// For phones/e-mails/addresses: the value belongs to a business (FAX, 代表, 0120 …).
    pub business: bool,
}

impl Hit {
    pub(crate) fn new(category: Category, value: String, start: usize, end: usize) -> Self {
        Hit {
            category,
            value,
            start,
            end,
            confidence: Confidence::High,
            special: None,
            business: false,
        }
    }
}

/// Options of the text recognizers.
#[derive(Debug, Clone, Copy)]
pub struct RecognizeOptions {
    /// The date ages are computed against (birth dates must give an age of 0–110).
    pub reference_date: NaiveDate,
}

/// Runs every recognizer over `text` (already normalised) and returns hits sorted by offset.
/// Long texts are read only where a hit is possible (see `regions`): same hits, same offsets.
pub fn recognize(text: &str, opts: &RecognizeOptions) -> Vec<Hit> {
    if text.len() < regions::MIN_SPLIT {
        return recognize_whole(text, opts);
    }
    let regions = regions::hot_regions(text);
    if regions.len() == 1 && regions[0] == (0, text.len()) {
        return recognize_whole(text, opts);
    }
    let mut hits = Vec::new();
    for (from, to) in regions {
        for mut h in recognize_whole(&text[from..to], opts) {
            h.start += from;
            h.end += from;
            hits.push(h);
        }
    }
    hits
}

/// `(normalize_text(raw), recognize(&normalize_text(raw)))` with less work on long texts:
/// the regions around raw lines that can hold a hit ([`regions::raw_hot_regions`]) are
/// normalised and recognised, the lines between them are copied (they are their own normal
/// form, but for `ー` folded between digits). Why that is the same normalised text and the
/// same hits, offsets included:
/// * **Text.** Normalisation never looks across a line break (NFKC composes and reorders
///   only after a starter, and `\n` composes with nothing; dashes are folded between two
///   digits), so the normal form of whole lines is the matching part of the whole normal
///   form. A cold raw line holds only ASCII and characters `plain_wide` (NFKC-stable), so
///   its normal form is itself with `ー` between ASCII digits folded ([`regions::push_cold`]).
/// * **Regions.** Those folds neither add digits nor era marks nor trigger words (no trigger
///   word holds `-`), so a cold raw line is a cold normalised line, and every hot
///   normalised line lies in a region. A fold turns at least 4 raw bytes (digit and `ー`)
///   into 2, so the cold lines after the last hot line of a region (≥ `RAW_MARGIN` raw
///   bytes, or the text's edge) are at least `REACH` normalised bytes: each region keeps
///   every window of its hot lines, as `recognize`'s own regions do (see `regions`).
pub(crate) fn normalize_and_recognize(raw: &str, opts: &RecognizeOptions) -> (String, Vec<Hit>) {
    if raw.len() < regions::MIN_SPLIT {
        let norm = crate::normalize::normalize_text(raw);
        let hits = recognize(&norm, opts);
        return (norm, hits);
    }
    let mut norm = String::with_capacity(raw.len());
    let mut hits = Vec::new();
    let (regions, digit_lines) = regions::raw_hot_regions(raw);
    // Cold raw lines are copied; only those with two digits or more can hold a fold.
    let mut digit_lines = digit_lines.into_iter().peekable();
    let mut copy_cold = |norm: &mut String, from: usize, to: usize| {
        let mut at = from;
        while let Some((s, e)) = digit_lines.next_if(|l| l.0 < to) {
            // Lines with digits inside a region were normalised with it.
            if s >= at {
                norm.push_str(&raw[at..s]);
                regions::push_cold(norm, &raw[s..e]);
                at = e;
            }
        }
        norm.push_str(&raw[at..to]);
    };
    let mut prev = 0;
    for (from, to) in regions {
        copy_cold(&mut norm, prev, from);
        let at = norm.len();
        norm.push_str(&crate::normalize::normalize_cow(&raw[from..to]));
        for mut h in recognize_whole(&norm[at..], opts) {
            h.start += at;
            h.end += at;
            hits.push(h);
        }
        prev = to;
    }
    copy_cold(&mut norm, prev, raw.len());
    (norm, hits)
}

/// Every recognizer over the whole of `text` (the reference for the region path).
fn recognize_whole(text: &str, opts: &RecognizeOptions) -> Vec<Hit> {
    let ctx = crate::context::ContextIndex::new(text);
    let mut hits = Vec::new();
    numbers::scan_numbers(text, &ctx, &mut hits);
    numbers::scan_letter_ids(text, &ctx, &mut hits);
    labelled::scan_labelled(text, &ctx, opts, &mut hits);
    hits.sort_by_key(|h| (h.start, h.end));
    hits
}

#[cfg(test)]
mod tests;

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

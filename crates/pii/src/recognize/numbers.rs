//! Digit-run recognizers. A hand-written scanner finds runs of digits joined by single `-`,
//! space or `.` separators (cheaper than a regex over the whole text); each run is classified
//! by digit count, grouping, validator and the nearest label. Runs glued with spaces that fit
//! nothing are split at the spaces and each part retried (`1980-05-12 090-1234-5678`).

use super::{Confidence, Hit};
use crate::category::Category;
use crate::context::{ContextIndex, Label, list};
use crate::validate;
use regex::Regex;
use std::sync::LazyLock;

/// Bytes before a number searched for its label (~40 kanji).
pub(super) const LABEL_WINDOW: usize = 120;

pub(super) fn scan_numbers(text: &str, ctx: &ContextIndex, hits: &mut Vec<Hit>) {
    let b = text.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let starts_plus =
            b[i] == b'+' && b.get(i + 1) == Some(&b'8') && b.get(i + 2) == Some(&b'1');
        if !(b[i].is_ascii_digit() || starts_plus) || (i > 0 && b[i - 1].is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        let start = i;
        let mut j = i + 1;
        let mut end = j;
        while j < b.len() {
            if b[j].is_ascii_digit() {
                j += 1;
                end = j;
            } else if matches!(b[j], b'-' | b' ' | b'.' | b'(' | b')')
                && b.get(j + 1).is_some_and(u8::is_ascii_digit)
            {
                j += 1;
            } else {
                break;
            }
        }
        i = end.max(start + 1);
        // A run glued to letters (part numbers like AB-1234567X) is not a personal number.
        if b.get(end).is_some_and(u8::is_ascii_alphabetic) {
            continue;
        }
        if !classify(text, ctx, start, end, hits) {
            // Retry the space-separated parts on their own.
            let run = &text[start..end];
            if run.contains(' ') {
                let mut off = start;
                for part in run.split(' ') {
                    if !part.is_empty() {
                        classify(text, ctx, off, off + part.len(), hits);
                    }
                    off += part.len() + 1;
                }
            }
        }
    }
}

/// Classifies `text[start..end]`; true when it produced (or deliberately suppressed) a hit.
fn classify(text: &str, ctx: &ContextIndex, start: usize, end: usize, hits: &mut Vec<Hit>) -> bool {
    let run = &text[start..end];
    // Counted before they are copied: most runs (years, dates, amounts) are too short.
    if run.bytes().filter(u8::is_ascii_digit).count() < 7 {
        return false;
    }
    let digits = crate::normalize::digits_only(run);
    let n = digits.len();
    let groups: Vec<usize> = run
        .split(['-', ' ', '.', '(', ')'])
        .filter(|g| !g.is_empty())
        .map(str::len)
        .collect();
    let has_sep = groups.len() > 1;
    let neg = list::NEGATIVE;
    let label = |pos: u32| ctx.contest(start, LABEL_WINDOW, pos, neg);

    // Phone first: a leading 0 or +81 with a digit count that fits its prefix.
    if run.starts_with('0') || run.starts_with("+81") {
        let pd = validate::phone_digits(run);
        if let Some(kind) = validate::phone_kind(&pd) {
            let l = label(list::PHONE);
            if l == Label::Negative {
                return true;
            }
            if has_sep || l == Label::Positive {
                let mut h = Hit::new(Category::Phone, pd, start, end);
                let near_business = ctx
                    .nearest_before(start, 24, list::BUSINESS_PHONE)
                    .is_some()
                    || ctx.any_after(end, 12, list::BUSINESS_PHONE);
                h.business = !kind.can_be_personal() || near_business;
                if l != Label::Positive && !has_sep {
                    h.confidence = Confidence::Low;
                }
                hits.push(h);
                return true;
            }
        }
    }
    // Postal code 123-4567 after 〒 / 郵便番号.
    if validate::is_postal_shape(run) && run.len() == 8 {
        let before = &text[crate::context::window_start(text, start, 6)..start];
        if before.contains('〒') || label(list::POSTAL) == Label::Positive {
            hits.push(Hit::new(Category::PostalCode, digits, start, end));
            return true;
        }
        return false;
    }
    let grouped_4s = groups.iter().all(|g| *g == 4) || !has_sep;
    if n == 12 && grouped_4s && validate::is_valid_my_number(&digits) {
        match label(list::MY_NUMBER) {
            Label::Negative => return true,
            Label::Positive => {
                hits.push(Hit::new(Category::MyNumber, digits, start, end));
                return true;
            }
            Label::None => {
                if label(list::LICENCE) == Label::Positive
                    && validate::is_driver_licence_shape(&digits)
                {
                    hits.push(Hit::new(Category::DriverLicence, digits, start, end));
                } else {
                    let mut h = Hit::new(Category::MyNumber, digits, start, end);
                    h.confidence = Confidence::Low;
                    hits.push(h);
                }
                return true;
            }
        }
    }
    if n == 12
        && !has_sep
        && validate::is_driver_licence_shape(&digits)
        && label(list::LICENCE) == Label::Positive
    {
        hits.push(Hit::new(Category::DriverLicence, digits, start, end));
        return true;
    }
    if n == 13 && !has_sep && validate::is_valid_corporate_number(&digits) {
        hits.push(Hit::new(Category::CorporateNumber, digits, start, end));
        return true;
    }
    if (13..=19).contains(&n) && validate::is_valid_card(&digits) {
        let l = label(list::CARD);
        if l == Label::Negative {
            return true;
        }
        let card_grouping = has_sep && groups.iter().all(|g| (4..=6).contains(g));
        if l == Label::Positive || card_grouping {
            hits.push(Hit::new(Category::Card, digits, start, end));
        } else {
            let mut h = Hit::new(Category::Card, digits, start, end);
            h.confidence = Confidence::Low;
            hits.push(h);
        }
        return true;
    }
    // Pension / insurance numbers: 4-6 digits or 7–12 digits after their label.
    if (groups == [4, 6] || (!has_sep && (10..=12).contains(&n)))
        && ctx.contest(start, 60, list::PENSION, neg) == Label::Positive
    {
        hits.push(Hit::new(Category::PensionNumber, digits, start, end));
        return true;
    }
    // Bank account: 7–8 plain digits right after a bank label.
    if (7..=8).contains(&n) && !has_sep {
        match ctx.contest(start, 60, list::BANK, neg) {
            Label::Positive => {
                hits.push(Hit::new(Category::BankAccount, digits, start, end));
                return true;
            }
            Label::Negative => return true,
            Label::None => {}
        }
    }
    false
}

static PASSPORT: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?-u:\b)[A-Z]{2}\d{7}(?-u:\b)").expect("static regex"));
static RESIDENCE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?-u:\b)[A-Z]{2}\d{8}[A-Z]{2}(?-u:\b)").expect("static regex"));

/// Passport and residence-card numbers: letter+digit shapes that also fit product codes, so a
/// label is mandatory (Purview: keyword required).
pub(super) fn scan_letter_ids(text: &str, ctx: &ContextIndex, hits: &mut Vec<Hit>) {
    if ctx.of(list::PASSPORT | list::RESIDENCE).next().is_none() {
        return;
    }
    for m in RESIDENCE.find_iter(text) {
        if ctx.contest(m.start(), LABEL_WINDOW, list::RESIDENCE, list::NEGATIVE) == Label::Positive
        {
            hits.push(Hit::new(
                Category::ResidenceCard,
                m.as_str().to_string(),
                m.start(),
                m.end(),
            ));
        }
    }
    for m in PASSPORT.find_iter(text) {
        if ctx.contest(m.start(), LABEL_WINDOW, list::PASSPORT, list::NEGATIVE) == Label::Positive {
            hits.push(Hit::new(
                Category::Passport,
                m.as_str().to_string(),
                m.start(),
                m.end(),
            ));
        }
    }
}

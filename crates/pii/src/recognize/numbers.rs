//! Digit-run recognizers. A hand-written scanner finds runs of digits joined by single `-`,
//! space or `.` separators (cheaper than a regex over the whole text); each run is classified
//! by digit count, grouping, validator and the nearest label. Runs glued with spaces that fit
//! nothing are split at the spaces and each part retried (`1980-05-12 090-1234-5678`).

use super::{Confidence, Hit};
use crate::category::Category;
use crate::context::{Label, any_after, contest, nearest_before};
use crate::lexicon as lx;
use crate::validate;
use regex::Regex;
use std::sync::LazyLock;

/// Bytes before a number searched for its label (~40 kanji).
const LABEL_WINDOW: usize = 120;

pub(super) fn scan_numbers(text: &str, lower: &str, hits: &mut Vec<Hit>) {
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
        if !classify(text, lower, start, end, hits) {
            // Retry the space-separated parts on their own.
            let run = &text[start..end];
            if run.contains(' ') {
                let mut off = start;
                for part in run.split(' ') {
                    if !part.is_empty() {
                        classify(text, lower, off, off + part.len(), hits);
                    }
                    off += part.len() + 1;
                }
            }
        }
    }
}

/// Classifies `text[start..end]`; true when it produced (or deliberately suppressed) a hit.
fn classify(text: &str, lower: &str, start: usize, end: usize, hits: &mut Vec<Hit>) -> bool {
    let run = &text[start..end];
    let digits = crate::normalize::digits_only(run);
    let n = digits.len();
    if n < 7 {
        return false;
    }
    let groups: Vec<usize> = run
        .split(['-', ' ', '.', '(', ')'])
        .filter(|g| !g.is_empty())
        .map(str::len)
        .collect();
    let has_sep = groups.len() > 1;
    let neg = lx::NEGATIVE_NUMBER_CONTEXT;
    let label = |pos: &[&str]| contest(lower, start, LABEL_WINDOW, pos, neg);

    // Phone first: a leading 0 or +81 with a digit count that fits its prefix.
    if run.starts_with('0') || run.starts_with("+81") {
        let pd = validate::phone_digits(run);
        if let Some(kind) = validate::phone_kind(&pd) {
            let l = label(lx::PHONE_CONTEXT);
            if l == Label::Negative {
                return true;
            }
            if has_sep || l == Label::Positive {
                let mut h = Hit::new(Category::Phone, pd, start, end);
                let near_business = nearest_before(lower, start, 24, lx::BUSINESS_PHONE_CONTEXT)
                    .is_some()
                    || any_after(lower, end, 12, lx::BUSINESS_PHONE_CONTEXT);
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
        if before.contains('〒') || label(lx::POSTAL_CONTEXT) == Label::Positive {
            hits.push(Hit::new(Category::PostalCode, digits, start, end));
            return true;
        }
        return false;
    }
    let grouped_4s = groups.iter().all(|g| *g == 4) || !has_sep;
    if n == 12 && grouped_4s && validate::is_valid_my_number(&digits) {
        match label(lx::MY_NUMBER_CONTEXT) {
            Label::Negative => return true,
            Label::Positive => {
                hits.push(Hit::new(Category::MyNumber, digits, start, end));
                return true;
            }
            Label::None => {
                if label(lx::LICENCE_CONTEXT) == Label::Positive
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
        && label(lx::LICENCE_CONTEXT) == Label::Positive
    {
        hits.push(Hit::new(Category::DriverLicence, digits, start, end));
        return true;
    }
    if n == 13 && !has_sep && validate::is_valid_corporate_number(&digits) {
        hits.push(Hit::new(Category::CorporateNumber, digits, start, end));
        return true;
    }
    if (13..=19).contains(&n) && validate::is_valid_card(&digits) {
        let l = label(lx::CARD_CONTEXT);
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
        && contest(lower, start, 60, lx::PENSION_CONTEXT, neg) == Label::Positive
    {
        hits.push(Hit::new(Category::PensionNumber, digits, start, end));
        return true;
    }
    // Bank account: 7–8 plain digits right after a bank label.
    if (7..=8).contains(&n) && !has_sep {
        match contest(lower, start, 60, lx::BANK_CONTEXT, neg) {
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
    LazyLock::new(|| Regex::new(r"\b[A-Z]{2}\d{7}\b").expect("static regex"));
static RESIDENCE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b[A-Z]{2}\d{8}[A-Z]{2}\b").expect("static regex"));

/// Passport and residence-card numbers: letter+digit shapes that also fit product codes, so a
/// label is mandatory (Purview: keyword required).
pub(super) fn scan_letter_ids(text: &str, lower: &str, hits: &mut Vec<Hit>) {
    if !lx::contains_any(lower, lx::PASSPORT_CONTEXT)
        && !lx::contains_any(lower, lx::RESIDENCE_CONTEXT)
    {
        return;
    }
    for m in RESIDENCE.find_iter(text) {
        if contest(
            lower,
            m.start(),
            LABEL_WINDOW,
            lx::RESIDENCE_CONTEXT,
            lx::NEGATIVE_NUMBER_CONTEXT,
        ) == Label::Positive
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
        if contest(
            lower,
            m.start(),
            LABEL_WINDOW,
            lx::PASSPORT_CONTEXT,
            lx::NEGATIVE_NUMBER_CONTEXT,
        ) == Label::Positive
            && !any_after(
                lower,
                m.end(),
                1,
                &["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
            )
        {
            hits.push(Hit::new(
                Category::Passport,
                m.as_str().to_string(),
                m.start(),
                m.end(),
            ));
        }
    }
}

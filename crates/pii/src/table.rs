//! Table mode for spreadsheets, CSV and docx tables: find the header row, classify columns by
//! header (ja/en synonyms), validate every value of a classified column (a column whose values
//! mostly fail its validator is demoted), then read **one row = one person**. Cells of
//! unclassified columns are scanned as text with their header as context. Tables with no
//! recognisable header (key–value forms such as 氏名 | 山田 太郎) are flattened to
//! `label<TAB>value` lines and read by the text recognizers instead.

use crate::category::Category;
use crate::extract::Table;
use crate::lexicon as lx;
use crate::normalize::{digits_only, header_key, normalize_cow, normalize_text};
use crate::recognize::prefilter::Traits;
use crate::recognize::{Hit, RecognizeOptions, is_email, parse_any_date, recognize};
use crate::validate;

/// One row's hits (a person), or the hits of a flattened table.
#[derive(Debug, Default)]
pub(crate) struct TableScan {
    /// One entry per data row that held personal data.
    pub rows: Vec<Vec<Hit>>,
    /// When no header was found: the flattened text for the text path.
    pub flattened: Option<String>,
}

/// The category a header cell names, if any.
pub fn classify_header(cell: &str) -> Option<Category> {
    // Digits and ASCII punctuation only (most data cells): no header word can be in it.
    if cell
        .bytes()
        .all(|b| b.is_ascii() && !b.is_ascii_alphabetic())
    {
        return None;
    }
    let k = header_key(cell);
    if k.is_empty() || k.chars().count() > 24 {
        return None;
    }
    // No character of the key starts a header word (most data cells tried while looking for
    // the header row, e.g. names): no word can occur in it.
    if !k.chars().any(starts_header_word) {
        return None;
    }
    // One automaton over the negative words and the synonyms: any negative word rejects the
    // header; otherwise the synonym listed first wins (as a `contains` scan in list order did).
    let neg = crate::headers::HEADER_NEGATIVE.len();
    let mut best: Option<usize> = None;
    for m in HEADER_WORDS.find_overlapping_iter(&k) {
        let i = m.pattern().as_usize();
        if i < neg {
            return None;
        }
        best = Some(best.map_or(i, |b| b.min(i)));
    }
    best.and_then(|i| crate::headers::HEADER_SYNONYMS.get(i - neg))
        .map(|(_, c)| *c)
}

/// Whether some word of [`HEADER_WORDS`] starts with `c` (a bit per character of the Basic
/// Multilingual Plane; every other character answers yes).
fn starts_header_word(c: char) -> bool {
    let c = c as usize;
    HEADER_FIRST
        .get(c / 64)
        .is_none_or(|bits| bits & (1 << (c % 64)) != 0)
}

/// The bits of [`starts_header_word`]: set for the first character of every header word
/// (all set if a word were empty, since the empty word occurs in every key).
static HEADER_FIRST: std::sync::LazyLock<Vec<u64>> = std::sync::LazyLock::new(|| {
    let mut bits = vec![0u64; 0x10000 / 64];
    let words = crate::headers::HEADER_NEGATIVE
        .iter()
        .copied()
        .chain(crate::headers::HEADER_SYNONYMS.iter().map(|(w, _)| *w));
    for w in words {
        match w.chars().next() {
            // A word starting outside the plane needs no bit: every such character
            // answers yes.
            Some(c) => {
                let c = c as usize;
                if let Some(b) = bits.get_mut(c / 64) {
                    *b |= 1 << (c % 64);
                }
            }
            None => bits.fill(u64::MAX),
        }
    }
    bits
});

/// [`crate::headers::HEADER_NEGATIVE`] then [`crate::headers::HEADER_SYNONYMS`], in order.
static HEADER_WORDS: std::sync::LazyLock<aho_corasick::AhoCorasick> =
    std::sync::LazyLock::new(|| {
        let words = crate::headers::HEADER_NEGATIVE
            .iter()
            .copied()
            .chain(crate::headers::HEADER_SYNONYMS.iter().map(|(w, _)| *w));
        aho_corasick::AhoCorasick::new(words).expect("static header word list builds")
    });

/// Validates one cell against its column's category; returns the normalised value.
pub(crate) fn validate_cell(cat: Category, raw: &str, opts: &RecognizeOptions) -> Option<String> {
    // Borrowed unless normalisation changes the cell: values that fail validation or are
    // re-rendered (dates, digits) cost no copy.
    let v = normalize_cow(raw.trim());
    if v.is_empty() {
        return None;
    }
    // Digits only where a category needs them (most cells are names, dates, addresses).
    let digits = || digits_only(&v);
    match cat {
        Category::Name | Category::HeadOfHousehold => {
            let n = v.chars().count();
            ((2..=30).contains(&n)
                && !v.bytes().any(|b| b.is_ascii_digit() || b == b'@')
                && !["会社", "株式"].iter().any(|w| short_contains(&v, w)))
            .then(|| v.into_owned())
        }
        Category::NameKana => v
            .chars()
            .all(|c| c == ' ' || c == 'ー' || ('\u{3040}'..='\u{30ff}').contains(&c))
            .then(|| v.into_owned()),
        Category::BirthDate => parse_any_date(&v)
            .filter(|d| validate::plausible_birth_date(*d, opts.reference_date))
            .map(iso_date),
        Category::Address => {
            // The municipality test first: it settles most addresses without the 47
            // prefecture searches.
            let ok = v.chars().count() >= 5
                && (v.contains(['市', '区', '町', '村', '郡'])
                    || lx::PREFECTURES.iter().any(|p| v.contains(p)));
            ok.then(|| v.into_owned())
        }
        Category::PostalCode => {
            let t = v.trim_start_matches('〒').trim();
            let d = digits();
            (validate::is_postal_shape(t) || (d.len() == 7 && t.len() == 7)).then_some(d)
        }
        Category::Phone => {
            let mut pd = validate::phone_digits(&v);
            // Numeric cells lose the leading 0 (9012345678 → 09012345678).
            if !pd.starts_with('0') && (9..=10).contains(&pd.len()) {
                pd.insert(0, '0');
            }
            validate::phone_kind(&pd).map(|_| pd)
        }
        // The address pattern lists both letter cases everywhere, so lower-casing first does
        // not change whether it matches.
        Category::Email => is_email(&v).then(|| v.to_ascii_lowercase()),
        Category::MyNumber => {
            // A numeric cell drops a leading 0 (012345678901 → 12345678901); the check digit
            // decides whether the repaired number is a My Number.
            let d = digits();
            let d = if d.len() == 11 && v.len() == 11 {
                format!("0{d}")
            } else {
                d
            };
            validate::is_valid_my_number(&d).then_some(d)
        }
        Category::BankAccount => {
            let d = digits();
            let ok = v
                .chars()
                .all(|c| c.is_ascii_digit() || c == '-' || c == ' ');
            (ok && (6..=8).contains(&d.len())).then(|| format!("{d:0>7}"))
        }
        Category::Card => Some(digits()).filter(|d| validate::is_valid_card(d)),
        Category::PensionNumber => Some(digits()).filter(|d| (10..=12).contains(&d.len())),
        Category::DriverLicence => Some(digits()).filter(|d| validate::is_driver_licence_shape(d)),
        Category::Passport | Category::ResidenceCard => {
            let ok = v.len() >= 9 && v.chars().take(2).all(|c| c.is_ascii_uppercase());
            ok.then(|| v.into_owned())
        }
        // The words are lower-case: the matched word is the lower-cased cell.
        Category::Gender => ["男", "女", "男性", "女性", "m", "f", "male", "female"]
            .iter()
            .find(|w| w.eq_ignore_ascii_case(&v))
            .map(|w| (*w).to_string()),
        Category::Relationship => (v.chars().count() <= 6).then(|| v.into_owned()),
        // NONE_VALUES are lower-case (tested): comparing ignoring ASCII case is comparing
        // the lower-cased cell.
        Category::SpecialCare => {
            (!lx::NONE_VALUES.iter().any(|n| n.eq_ignore_ascii_case(&v))).then(|| v.into_owned())
        }
        Category::CorporateNumber => {
            Some(digits()).filter(|d| validate::is_valid_corporate_number(d))
        }
    }
}

/// Whether `word` occurs in `cell`: a byte comparison at each occurrence of its first byte,
/// which on a cell of a few characters is cheaper than setting up `str::contains`' search.
fn short_contains(cell: &str, word: &str) -> bool {
    let (h, w) = (cell.as_bytes(), word.as_bytes());
    let Some((&first, rest)) = w.split_first() else {
        return true;
    };
    h.iter()
        .enumerate()
        .any(|(i, &b)| b == first && h.get(i + 1..i + w.len()) == Some(rest))
}

/// `d.to_string()` (`YYYY-MM-DD`) written directly for four-digit years.
fn iso_date(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    let y = d.year();
    if !(1000..=9999).contains(&y) {
        return d.to_string();
    }
    let digit = |n: u32, k: u32| char::from(b'0' + (n / 10u32.pow(k) % 10) as u8);
    let (y, m, day) = (y as u32, d.month(), d.day());
    [
        digit(y, 3),
        digit(y, 2),
        digit(y, 1),
        digit(y, 0),
        '-',
        digit(m, 1),
        digit(m, 0),
        '-',
        digit(day, 1),
        digit(day, 0),
    ]
    .into_iter()
    .collect()
}

/// Whether a cell is empty or whitespace only: `cell.trim().is_empty()` without the second
/// scan from the end (the first non-whitespace character already answers).
fn is_blank(cell: &str) -> bool {
    cell.trim_start().is_empty()
}

/// Reads one table.
pub(crate) fn scan_table(table: &Table, opts: &RecognizeOptions) -> TableScan {
    scan_table_with(table, opts, true)
}

/// [`scan_table`]; `prefilter` false runs the recognizers on every cell of an unclassified
/// column (the reference the fast path is tested against).
pub(crate) fn scan_table_with(
    table: &Table,
    opts: &RecognizeOptions,
    prefilter: bool,
) -> TableScan {
    let header_at = table.rows.iter().take(10).enumerate().find_map(|(i, row)| {
        let cols: Vec<Option<Category>> = row.iter().map(|c| classify_header(c)).collect();
        (cols.iter().filter(|c| c.is_some()).count() >= 2).then_some((i, cols))
    });
    let Some((h, mut cols)) = header_at else {
        return TableScan {
            rows: Vec::new(),
            flattened: Some(flatten(table)),
        };
    };
    let header = &table.rows[h];
    let data = &table.rows[h + 1..];
    let special_kinds: Vec<Option<crate::category::SpecialCareKind>> = header
        .iter()
        .zip(&cols)
        .map(|(head, c)| {
            (*c == Some(Category::SpecialCare))
                .then(|| special_kind(head))
                .flatten()
        })
        .collect();
    // Validate every classified cell once; the results decide demotion and fill the rows.
    // Per classified column: non-blank cells and cells that passed.
    let (mut totals, mut oks) = (vec![0usize; cols.len()], vec![0usize; cols.len()]);
    let checked: Vec<Vec<Option<String>>> = data
        .iter()
        .map(|row| {
            row.iter()
                .enumerate()
                .map(|(i, cell)| match cols.get(i).copied().flatten() {
                    Some(cat) if !is_blank(cell) => {
                        let v = validate_cell(cat, cell, opts);
                        totals[i] += 1;
                        oks[i] += usize::from(v.is_some());
                        v
                    }
                    _ => None,
                })
                .collect()
        })
        .collect();
    // Demote columns whose values mostly fail validation (a "name" column of product names …).
    for (i, col) in cols.iter_mut().enumerate() {
        let Some(cat) = *col else { continue };
        let (total, ok) = (totals[i], oks[i]);
        if total > 0 && ok * 2 < total {
            tracing::debug!(table = %table.label, column = %header[i], ?cat, ok, total, "column demoted");
            *col = None;
        }
    }
    // What each unclassified column's header offers the recognizers (see `prefilter`).
    let head_traits: Vec<Option<Traits>> = header
        .iter()
        .zip(&cols)
        .map(|(head, c)| (prefilter && c.is_none()).then(|| Traits::of(head)))
        .collect();
    let mut rows = Vec::new();
    for (row, row_checked) in data.iter().zip(checked) {
        if row.iter().all(|c| is_blank(c)) || row == header {
            continue;
        }
        let mut row_checked = row_checked.into_iter();
        let mut hits = Vec::new();
        for (i, cell) in row.iter().enumerate() {
            let checked_cell = row_checked.next().flatten();
            if is_blank(cell) {
                continue;
            }
            match cols.get(i).copied().flatten() {
                Some(cat) => {
                    if let Some(v) = checked_cell {
                        let mut hit = Hit::new(cat, v, i, i + 1);
                        if cat == Category::SpecialCare {
                            hit.special = special_kinds.get(i).copied().flatten();
                            hit.value = format!("{}: {}", header[i].trim(), hit.value);
                        }
                        hits.push(hit);
                    }
                }
                None => {
                    // Plain numbers and codes in an unlabelled column carry no context of their
                    // own; scan the cell with its header as the label.
                    // A cell beyond the header's width has no header traits: the
                    // recognizers decide.
                    if let Some(Some(th)) = head_traits.get(i)
                        && !th.join(Traits::of(cell)).may_hit()
                    {
                        continue;
                    }
                    let head = header.get(i).map(String::as_str).unwrap_or("");
                    let text = normalize_text(&format!("{head}: {cell}"));
                    hits.extend(
                        recognize(&text, opts)
                            .into_iter()
                            .filter(|x| x.confidence == crate::recognize::Confidence::High)
                            .map(|mut x| {
                                x.start = i;
                                x.end = i + 1;
                                x
                            }),
                    );
                }
            }
        }
        if hits.iter().any(|x| x.category.is_personal()) {
            rows.push(hits);
        }
    }
    TableScan {
        rows,
        flattened: None,
    }
}

fn special_kind(header: &str) -> Option<crate::category::SpecialCareKind> {
    let k = header_key(header);
    lx::SPECIAL_CARE_WORDS
        .iter()
        .find(|(w, _)| k.contains(w))
        .map(|(_, kind)| *kind)
        .or(Some(crate::category::SpecialCareKind::Health))
}

fn flatten(table: &Table) -> String {
    let mut s = String::new();
    for row in &table.rows {
        let cells: Vec<&str> = row
            .iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
            .collect();
        s.push_str(&cells.join("\t"));
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests;

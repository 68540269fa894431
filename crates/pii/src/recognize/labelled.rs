//! Recognizers for values introduced by a label or shaped by words: names (氏名/名前/Name),
//! readings (フリガナ), head of household (世帯主), relationship (続柄), gender (性別),
//! addresses (prefecture + municipality), birth dates (Western and 和暦, only with birth
//! context), e-mail addresses and 要配慮 keywords followed by a value other than "なし".

use super::{Hit, RecognizeOptions, short};
use crate::category::Category;
use crate::context::{ContextIndex, list};
use crate::lexicon as lx;
use crate::validate;
use regex::Regex;
use std::sync::LazyLock;

static NAME_LABELLED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)(世帯主の氏名|世帯主氏名|世帯主|head of household|フリガナ|ふりがな|本人氏名|配偶者氏名|扶養親族氏名|氏名|お名前|名前|姓名|従業員名|社員名|full name|employee name|name)[ \t]*:?[ \t]*([\p{Han}々ヶ]{1,4}(?: ?[\p{Han}\p{Hiragana}\p{Katakana}々ヶ]{1,6})?|[\p{Katakana}\p{Hiragana}ー]{2,10}(?: [\p{Katakana}\p{Hiragana}ー]{1,10})?|[A-Za-z][A-Za-z'-]+(?: [A-Za-z][A-Za-z'-]+){1,2})",
    )
    .expect("static regex")
});

static RELATION: LazyLock<Regex> = LazyLock::new(|| {
    let alts = lx::RELATIONSHIPS.join("|");
    Regex::new(&format!(r"続柄[ \t]*:?[ \t]*({alts})")).expect("static regex")
});

static GENDER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:性別[ \t]*:?[ \t]*(男性|女性|男|女))|(?:(?-u:\b)(?:gender|sex)[ \t]*:?[ \t]*(male|female)(?-u:\b))")
        .expect("static regex")
});

static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    let prefs = lx::PREFECTURES.join("|");
    Regex::new(&format!(
        r"({prefs}) ?([\p{{Han}}\p{{Hiragana}}\p{{Katakana}}ヶ々]{{1,8}}?(?:市|区|町|村|郡))([^\s,、。]{{0,40}})"
    ))
    .expect("static regex")
});

static DATE_WESTERN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(\d{4}) ?[年/.-] ?(\d{1,2}) ?[月/.-] ?(\d{1,2})日?").expect("static regex")
});

/// [`DATE_WESTERN`] anchored at the start of the haystack (the reference of [`western_at`]).
#[cfg(test)]
static DATE_WESTERN_AT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^(\d{4}) ?[年/.-] ?(\d{1,2}) ?[月/.-] ?(\d{1,2})日?").expect("static regex")
});

/// The matches of [`DATE_WESTERN`] as (start, end, year, month, day), leftmost first and not
/// overlapping, like `captures_iter`. That regex has no literal to search for, so on long
/// Japanese prose its DFA walks every byte; here only positions starting four ASCII digits
/// are tried. `\d` is any Unicode decimal digit, so text with a character outside ASCII and
/// U+2000–U+9FFF (punctuation, symbols, box drawing, CJK: no decimal digits there, tested)
/// is searched with the regex itself.
fn western_dates(text: &str) -> Vec<(usize, usize, &str, &str, &str)> {
    let b = text.as_bytes();
    // Bytes 0xC0.. start the non-ASCII characters; 0xE2..=0xE9 those in U+2000..U+9FFF.
    let plain = b.iter().all(|&x| x < 0xC0 || (0xE2..=0xE9).contains(&x));
    let tuple = |c: regex::Captures<'_>, base: usize| {
        let (all, y, m, d) = (c.get(0)?, c.get(1)?, c.get(2)?, c.get(3)?);
        let off = |x: regex::Match<'_>| (base + x.start(), base + x.end());
        let ((s, e), (ys, ye), (ms, me), (ds, de)) = (off(all), off(y), off(m), off(d));
        Some((s, e, &text[ys..ye], &text[ms..me], &text[ds..de]))
    };
    if !plain {
        return DATE_WESTERN
            .captures_iter(text)
            .filter_map(|c| tuple(c, 0))
            .collect();
    }
    let mut out = Vec::new();
    let mut from = 0;
    let mut s = 0;
    while s + 4 <= b.len() {
        // A non-digit at s+3 rules out the four windows that contain it.
        if !b[s + 3].is_ascii_digit() {
            s += 4;
            continue;
        }
        if !b[s..s + 3].iter().all(u8::is_ascii_digit) {
            s += 1;
            continue;
        }
        if s >= from
            && let Some((e, (y, m, d))) = western_at(b, s)
        {
            from = e;
            out.push((s, e, &text[y.0..y.1], &text[m.0..m.1], &text[d.0..d.1]));
            s = from;
            continue;
        }
        s += 1;
    }
    out
}

/// Byte spans (start, end) of a match's year, month and day.
type DateSpans = ((usize, usize), (usize, usize), (usize, usize));

/// `^(\d{4}) ?[年/.-] ?(\d{1,2}) ?[月/.-] ?(\d{1,2})日?` at byte `s` of a text without
/// non-ASCII decimal digits: the match's end and the year, month and day spans, without a
/// regex call (and its captures allocation) per candidate. Every choice of the pattern is
/// forced — an optional space is followed by what a space is not, a number that could take
/// a second digit is followed by a separator that is not a digit, and the last number and
/// `日` are greedy — so the first way that fits is the regex's. Tested against the regex.
fn western_at(b: &[u8], s: usize) -> Option<(usize, DateSpans)> {
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let space = |i: usize| usize::from(b.get(i) == Some(&b' '));
    // One of the ASCII separators or the three-byte `word`; its length.
    let sep = |i: usize, word: &[u8]| match b.get(i) {
        Some(b'/' | b'.' | b'-') => Some(1),
        _ => (b.get(i..i + 3) == Some(word)).then_some(3),
    };
    // One or two digits (two when there are).
    let number = |i: usize| digit(i).then(|| if digit(i + 1) { (i, i + 2) } else { (i, i + 1) });
    if !(s..s + 4).all(digit) {
        return None;
    }
    let year = (s, s + 4);
    let mut i = year.1 + space(year.1);
    i += sep(i, "年".as_bytes())?;
    i += space(i);
    let month = number(i)?;
    i = month.1 + space(month.1);
    i += sep(i, "月".as_bytes())?;
    i += space(i);
    let day = number(i)?;
    let mut end = day.1;
    if b.get(end..end + 3) == Some("日".as_bytes()) {
        end += 3;
    }
    Some((end, (year, month, day)))
}

static DATE_ERA: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(明治|大正|昭和|平成|令和|(?-u:\b)[MTSHR]) ?(元|\d{1,2}) ?[年.] ?(\d{1,2}) ?[月.] ?(\d{1,2})日?")
        .expect("static regex")
});

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
        .expect("static regex")
});

/// Words that end a name value (a flattened form line runs straight into the next label).
const STOP_WORDS: &[&str] = &[
    "生年月日",
    "住所",
    "電話",
    "性別",
    "続柄",
    "フリガナ",
    "ふりがな",
    "個人番号",
    "郵便番号",
    "メール",
    "携帯",
    "口座",
    "年齢",
    "様",
    "さん",
    "殿",
    "所属",
    "部署",
    "備考",
];

pub(super) fn scan_labelled(
    text: &str,
    ctx: &ContextIndex,
    opts: &RecognizeOptions,
    hits: &mut Vec<Hit>,
) {
    // On short texts (table cells with their header) each regex below is skipped when a
    // literal it needs is absent: a guard never skips text the regex could match, it only
    // saves the regex set-up. Long texts go straight to the regexes' own prefilters.
    // `text` is NFKC-normalised, so no non-ASCII character case-folds into these letters.
    let long = text.len() > 256;
    let ci = |w: &str| {
        long || text
            .as_bytes()
            .windows(w.len())
            .any(|x| x.eq_ignore_ascii_case(w.as_bytes()))
    };
    if long
        || text.contains(['名'])
        || short::contains(text, "世帯主")
        || short::contains(text, "フリガナ")
        || short::contains(text, "ふりがな")
        || ci("name")
        || ci("head")
    {
        scan_names(text, hits);
    }
    if short::contains(text, "続柄") {
        for c in RELATION.captures_iter(text) {
            if let Some(m) = c.get(1) {
                hits.push(Hit::new(
                    Category::Relationship,
                    m.as_str().into(),
                    m.start(),
                    m.end(),
                ));
            }
        }
    }
    let gender_words = short::contains(text, "性別") || ci("gender") || ci("sex");
    for c in GENDER.captures_iter(if gender_words { text } else { "" }) {
        if let Some(m) = c.get(1).or_else(|| c.get(2)) {
            hits.push(Hit::new(
                Category::Gender,
                m.as_str().to_lowercase(),
                m.start(),
                m.end(),
            ));
        }
    }
    if long || text.contains(['市', '区', '町', '村', '郡']) {
        scan_addresses(text, ctx, hits);
    }
    scan_dates(text, ctx, opts, hits);
    if text.contains('@') {
        for m in EMAIL.find_iter(text) {
            let v = m.as_str().to_ascii_lowercase();
            hits.push(Hit::new(Category::Email, v, m.start(), m.end()));
        }
    }
    scan_special_care(text, ctx, hits);
}

fn scan_names(text: &str, hits: &mut Vec<Hit>) {
    for c in NAME_LABELLED.captures_iter(text) {
        let (Some(label), Some(value)) = (c.get(1), c.get(2)) else {
            continue;
        };
        let lab = label.as_str().to_ascii_lowercase();
        if lab.contains("name") {
            // "Company name", "user name", "file name" are not persons.
            let before = &text
                [crate::context::window_start(text, label.start(), 12)..label.start()]
                .to_ascii_lowercase();
            if ["company", "user", "file", "product", "item", "会社", "商品"]
                .iter()
                .any(|w| before.contains(w))
                || text[..label.start()].ends_with(|ch: char| ch.is_ascii_alphabetic())
            {
                continue;
            }
        }
        let Some(v) = clean_name(value.as_str()) else {
            continue;
        };
        let category = if lab.starts_with("世帯主") || lab.starts_with("head") {
            Category::HeadOfHousehold
        } else if lab == "フリガナ" || lab == "ふりがな" {
            Category::NameKana
        } else {
            Category::Name
        };
        let end = value.start() + v.len();
        hits.push(Hit::new(category, v, value.start(), end));
    }
}

/// Trims a name candidate at the next label word; rejects label words and organisations.
fn clean_name(raw: &str) -> Option<String> {
    let mut v = raw.trim();
    if STOP_WORDS.iter().any(|w| v.starts_with(w)) {
        return None;
    }
    // No character of the candidate starts a stop word (most names): no word can be found.
    if v.chars()
        .any(|c| STOP_WORDS.iter().any(|w| w.starts_with(c)))
    {
        for w in STOP_WORDS {
            if let Some(i) = short::find(v, w) {
                v = v[..i].trim_end();
            }
        }
    }
    let bad = ["会社", "株式", "御中", "部長", "課長", "欄", "記入"];
    if v.chars().count() < 2 || bad.iter().any(|w| short::contains(v, w)) {
        return None;
    }
    Some(v.to_string())
}

fn scan_addresses(text: &str, ctx: &ContextIndex, hits: &mut Vec<Hit>) {
    for c in ADDRESS.captures_iter(text) {
        let (Some(all), Some(rest)) = (c.get(0), c.get(3)) else {
            continue;
        };
        let labelled = ctx.nearest_before(all.start(), 60, list::ADDRESS).is_some()
            || text[crate::context::window_start(text, all.start(), 24)..all.start()]
                .contains('〒');
        let r = rest.as_str();
        let street = r.chars().any(|ch| ch.is_ascii_digit())
            || ["丁目", "番地", "番", "号"].iter().any(|w| r.contains(w));
        if labelled || street {
            let mut h = Hit::new(
                Category::Address,
                all.as_str().to_string(),
                all.start(),
                all.end(),
            );
            h.business = ctx
                .nearest_before(all.start(), 30, list::BUSINESS_ADDRESS)
                .is_some();
            hits.push(h);
        }
    }
}

fn scan_dates(text: &str, ctx: &ContextIndex, opts: &RecognizeOptions, hits: &mut Vec<Hit>) {
    let birth_near = |start: usize, end: usize| {
        ctx.nearest_before(start, 45, list::BIRTH).is_some()
            || text[end..crate::context::window_end(text, end, 12)].contains("生")
    };
    let mut push = |y: i32, m: &str, d: &str, start: usize, end: usize| {
        let (Ok(m), Ok(d)) = (m.parse::<u32>(), d.parse::<u32>()) else {
            return;
        };
        let Some(date) = validate::calendar_date(y, m, d) else {
            return;
        };
        if validate::plausible_birth_date(date, opts.reference_date) && birth_near(start, end) {
            hits.push(Hit::new(Category::BirthDate, date.to_string(), start, end));
        }
    };
    for (start, end, y, m, d) in western_dates(text) {
        if let Ok(y) = y.parse::<i32>() {
            push(y, m, d, start, end);
        }
    }
    // The era form needs `年` or `.` after the year.
    let era_possible = text.len() > 256 || text.contains(['年', '.']);
    for c in DATE_ERA.captures_iter(if era_possible { text } else { "" }) {
        let (Some(all), Some(era), Some(ey), Some(m), Some(d)) =
            (c.get(0), c.get(1), c.get(2), c.get(3), c.get(4))
        else {
            continue;
        };
        let ey = if ey.as_str() == "元" {
            Some(1)
        } else {
            ey.as_str().parse::<i32>().ok()
        };
        if let Some(y) = ey.and_then(|ey| validate::era_to_year(era.as_str(), ey)) {
            push(y, m.as_str(), d.as_str(), all.start(), all.end());
        }
    }
}

fn scan_special_care(text: &str, ctx: &ContextIndex, hits: &mut Vec<Hit>) {
    for o in ctx.of(list::SPECIAL) {
        let (word, kind) = ctx.word(o);
        let end = o.end;
        let after = &text[end..crate::context::window_end(text, end, 40)];
        let value = after.trim_start_matches([' ', ':', '\t', '欄', 'は']);
        let value_end = value.find(['\n', '\t', ' ']).unwrap_or(value.len());
        let first = value[..value_end].to_ascii_lowercase();
        if first.is_empty() || lx::NONE_VALUES.contains(&first.as_str()) {
            continue;
        }
        let mut h = Hit::new(
            Category::SpecialCare,
            format!("{word}: {}", &value[..value_end]),
            o.start,
            end,
        );
        h.special = kind;
        hits.push(h);
    }
}

/// Parses a date cell in any accepted form (Western with `-`/`/`/`.`/年月日, or 和暦).
pub(crate) fn parse_any_date(s: &str) -> Option<chrono::NaiveDate> {
    // Table cells are mostly exactly `YYYY/MM/DD` (or `-`, `.`): parsed without the regex.
    // Only a whole-string match is taken here, where the regex would capture the same parts.
    if let Some((y, m, d)) = plain_western_date(s.as_bytes()) {
        return validate::calendar_date(y, m, d);
    }
    // Likewise `昭和55年5月12日` exactly (no spaces): no four digits in a row, so the Western
    // regex cannot match, and the era regex captures these parts.
    if let Some((era, ey, m, d)) = plain_era_date(s) {
        let y = validate::era_to_year(era, ey)?;
        return validate::calendar_date(y, m, d);
    }
    parse_date_by_regex(s)
}

/// `<era kanji>(元|d{1,2})年d{1,2}月d{1,2}[日]` and nothing else, as (era, era year, month, day).
fn plain_era_date(s: &str) -> Option<(&str, i32, u32, u32)> {
    let era = ["明治", "大正", "昭和", "平成", "令和"]
        .into_iter()
        .find(|e| s.starts_with(e))?;
    let rest = &s[era.len()..];
    let (ey, rest) = match rest.strip_prefix('元') {
        Some(r) => (1, r),
        None => take_number(rest)?,
    };
    let (m, rest) = take_number(rest.strip_prefix('年')?)?;
    let (d, rest) = take_number(rest.strip_prefix('月')?)?;
    matches!(rest, "" | "日").then_some((era, ey as i32, m, d))
}

/// One or two ASCII digits at the start of `s`, and the rest.
fn take_number(s: &str) -> Option<(u32, &str)> {
    let b = s.as_bytes();
    let n = b.iter().take(3).take_while(|c| c.is_ascii_digit()).count();
    if !(1..=2).contains(&n) {
        return None;
    }
    let v = b[..n].iter().fold(0, |a, c| a * 10 + u32::from(c - b'0'));
    Some((v, &s[n..]))
}

/// [`parse_any_date`] by the regexes alone (the general path).
pub(super) fn parse_date_by_regex(s: &str) -> Option<chrono::NaiveDate> {
    if let Some(c) = DATE_WESTERN.captures(s) {
        let y = c.get(1)?.as_str().parse().ok()?;
        let m = c.get(2)?.as_str().parse().ok()?;
        let d = c.get(3)?.as_str().parse().ok()?;
        return validate::calendar_date(y, m, d);
    }
    let c = DATE_ERA.captures(s)?;
    let ey = c.get(2)?.as_str();
    let ey = if ey == "元" { 1 } else { ey.parse().ok()? };
    let y = validate::era_to_year(c.get(1)?.as_str(), ey)?;
    validate::calendar_date(
        y,
        c.get(3)?.as_str().parse().ok()?,
        c.get(4)?.as_str().parse().ok()?,
    )
}

/// `YYYY<sep>M[M]<sep>D[D]` with one ASCII separator from `/.-` used between the parts (the
/// regex allows each position its own separator, so this does too), and nothing else.
fn plain_western_date(b: &[u8]) -> Option<(i32, u32, u32)> {
    let num = |x: &[u8]| -> Option<u32> {
        (!x.is_empty() && x.len() <= 4 && x.iter().all(u8::is_ascii_digit))
            .then(|| x.iter().fold(0u32, |a, c| a * 10 + u32::from(c - b'0')))
    };
    let sep = |c: &u8| matches!(c, b'/' | b'.' | b'-');
    if b.len() < 8 || b.len() > 10 || !sep(b.get(4)?) {
        return None;
    }
    let rest = &b[5..];
    let i = rest.iter().position(sep)?;
    let (m, d) = (&rest[..i], &rest[i + 1..]);
    if !(1..=2).contains(&m.len()) || !(1..=2).contains(&d.len()) {
        return None;
    }
    Some((num(&b[..4])? as i32, num(m)?, num(d)?))
}

/// Whether `s` is a whole e-mail address: all of `s` matches `EMAIL` (a local part of
/// `[A-Za-z0-9._%+-]`, `@`, two or more non-empty `[A-Za-z0-9-]` labels joined by dots, the last
/// of two or more ASCII letters). Checked by bytes; the regex's first match at 0 ends at the end
/// exactly when the whole string matches, as `email_tests` checks against the regex.
pub(crate) fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    let Some((head, last)) = domain.rsplit_once('.') else {
        return false;
    };
    let label =
        |l: &str| !l.is_empty() && l.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-');
    !local.is_empty()
        && local
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || b"._%+-".contains(&c))
        && last.len() >= 2
        && last.bytes().all(|c| c.is_ascii_alphabetic())
        && head.split('.').all(label)
}

#[cfg(test)]
mod western_date_tests;

#[cfg(test)]
mod email_tests;

#[cfg(test)]
mod name_tests;

//! Exact validators from JAPAN.md §4: My Number mod-11, Corporate Number mod-9 (check digit in
//! front), Luhn with IIN ranges and lengths, phone digit counts by prefix, postal codes, and
//! era (和暦) / Western dates with calendar validity. Each function takes the digits (or the
//! matched text) and answers whether the value can be real; context decides the rest.

use chrono::{Datelike, NaiveDate};

/// My Number (個人番号) check digit per 総務省令第八十五号 第五条: weights 6,5,4,3,2,7,6,5,4,3,2
/// on d1…d11, r = Σ mod 11, check = 0 if r ≤ 1 else 11 − r.
pub fn my_number_check_digit(first11: &[u8; 11]) -> u8 {
    const W: [u32; 11] = [6, 5, 4, 3, 2, 7, 6, 5, 4, 3, 2];
    let sum: u32 = first11.iter().zip(W).map(|(d, w)| u32::from(*d) * w).sum();
    let r = sum % 11;
    if r <= 1 { 0 } else { (11 - r) as u8 }
}

/// True when `digits` is 12 ASCII digits with a correct My Number check digit.
pub fn is_valid_my_number(digits: &str) -> bool {
    let Some(d) = digit_array::<12>(digits) else {
        return false;
    };
    let mut first = [0u8; 11];
    first.copy_from_slice(&d[..11]);
    my_number_check_digit(&first) == d[11]
}

/// Corporate Number (法人番号) check digit per 財務省令第七十号 第二条: the 12-digit base
/// d2…d13 weighted 1,2,1,2… from the right; check = 9 − (Σ mod 9).
pub fn corporate_check_digit(base12: &[u8; 12]) -> u8 {
    let sum: u32 = base12
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| u32::from(*d) * if i % 2 == 0 { 1 } else { 2 })
        .sum();
    (9 - (sum % 9)) as u8
}

/// True when `digits` is 13 digits, first digit 1–9, with a correct Corporate Number check digit.
pub fn is_valid_corporate_number(digits: &str) -> bool {
    let Some(d) = digit_array::<13>(digits) else {
        return false;
    };
    let mut base = [0u8; 12];
    base.copy_from_slice(&d[1..]);
    d[0] != 0 && corporate_check_digit(&base) == d[0]
}

/// Luhn: double every second digit from the right, subtract 9 above 9, sum mod 10 == 0.
pub fn luhn_valid(digits: &str) -> bool {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// Card brands recognised by IIN range (JAPAN.md §3 table).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CardBrand {
    /// JCB 3528–3589.
    Jcb,
    /// Visa 4.
    Visa,
    /// Mastercard 51–55, 2221–2720.
    Mastercard,
    /// American Express 34, 37.
    Amex,
    /// Diners Club 36, 300–305, 38–39.
    Diners,
}

/// The brand whose IIN range and length fit `digits`, or None.
pub fn card_brand(digits: &str) -> Option<CardBrand> {
    let len = digits.len();
    let p = |n: usize| digits.get(..n).and_then(|s| s.parse::<u32>().ok());
    let (p1, p2, p3, p4) = (p(1)?, p(2)?, p(3)?, p(4)?);
    if (3528..=3589).contains(&p4) && (16..=19).contains(&len) {
        Some(CardBrand::Jcb)
    } else if p1 == 4 && matches!(len, 13 | 16 | 19) {
        Some(CardBrand::Visa)
    } else if ((51..=55).contains(&p2) || (2221..=2720).contains(&p4)) && len == 16 {
        Some(CardBrand::Mastercard)
    } else if matches!(p2, 34 | 37) && len == 15 {
        Some(CardBrand::Amex)
    } else if (p2 == 36 || (300..=305).contains(&p3) || matches!(p2, 38 | 39))
        && (14..=16).contains(&len)
    {
        Some(CardBrand::Diners)
    } else {
        None
    }
}

/// True when `digits` passes Luhn and fits a known brand's IIN range and length.
pub fn is_valid_card(digits: &str) -> bool {
    luhn_valid(digits) && card_brand(digits).is_some()
}

/// Kinds of Japanese phone numbers by prefix (JAPAN.md §4 "Phone").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhoneKind {
    /// 060/070/080/090, 11 digits.
    Mobile,
    /// 050 IP phone, 11 digits.
    IpPhone,
    /// 0120 (10) / 0800 (11): a business, not a person.
    TollFree,
    /// 0570 navi-dial: a business.
    NaviDial,
    /// 020 (11) / 0200 (14) machine-to-machine.
    M2m,
    /// Other 0[1-9] fixed line, 10 digits.
    Fixed,
}

impl PhoneKind {
    /// Whether the number can belong to a private person (business-only prefixes cannot).
    pub fn can_be_personal(self) -> bool {
        matches!(self, Self::Mobile | Self::IpPhone | Self::Fixed)
    }
}

/// Classifies a phone number given as digits (a leading `81` country code already replaced by
/// `0` by the caller or here when `international`); None when the digit count does not fit.
pub fn phone_kind(digits: &str) -> Option<PhoneKind> {
    let d = digits.as_bytes();
    if d.len() < 10 || d[0] != b'0' || !d.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let (kind, len) = if digits.starts_with("0200") {
        (PhoneKind::M2m, 14)
    } else if digits.starts_with("020") {
        (PhoneKind::M2m, 11)
    } else if digits.starts_with("050") {
        (PhoneKind::IpPhone, 11)
    } else if digits.starts_with("0800") {
        // Checked before 080 (mobile): 0800 is toll-free.
        (PhoneKind::TollFree, 11)
    } else if ["060", "070", "080", "090"]
        .iter()
        .any(|p| digits.starts_with(p))
    {
        (PhoneKind::Mobile, 11)
    } else if digits.starts_with("0120") {
        (PhoneKind::TollFree, 10)
    } else if digits.starts_with("0570") {
        (PhoneKind::NaviDial, 10)
    } else if d[1] != b'0' {
        (PhoneKind::Fixed, 10)
    } else {
        return None;
    };
    (d.len() == len).then_some(kind)
}

/// Phone digits from a matched text: separators dropped, `+81` (or `81` after `+`) → `0`.
pub fn phone_digits(text: &str) -> String {
    let t = text.trim();
    if let Some(rest) = t.strip_prefix("+81") {
        let rest = rest
            .trim_start_matches(['-', ' ', '('])
            .trim_start_matches('0');
        let mut s = String::from("0");
        s.push_str(&crate::normalize::digits_only(rest));
        s
    } else {
        crate::normalize::digits_only(t)
    }
}

/// True when `text` is a postal code shape `ddd-dddd` or 7 digits.
pub fn is_postal_shape(text: &str) -> bool {
    let b = text.as_bytes();
    (b.len() == 8
        && b[3] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 3 || c.is_ascii_digit()))
        || (b.len() == 7 && b.iter().all(u8::is_ascii_digit))
}

/// Japanese eras with their first Western year and last era year (JAPAN.md §4 "Dates").
const ERAS: &[(&str, char, i32, i32)] = &[
    ("明治", 'M', 1868, 45),
    ("大正", 'T', 1912, 15),
    ("昭和", 'S', 1926, 64),
    ("平成", 'H', 1989, 31),
    ("令和", 'R', 2019, 99),
];

/// Converts an era name (漢字 or initial letter) and era year (元年 = 1) to the Western year.
pub fn era_to_year(era: &str, era_year: i32) -> Option<i32> {
    let (_, _, first, last) = ERAS
        .iter()
        .find(|(name, letter, _, _)| *name == era || era.chars().eq(std::iter::once(*letter)))?;
    (1..=*last)
        .contains(&era_year)
        .then(|| first + era_year - 1)
}

/// A real calendar date, or None.
pub fn calendar_date(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
}

/// True when `dob` gives an age of 0–110 years on `reference`.
pub fn plausible_birth_date(dob: NaiveDate, reference: NaiveDate) -> bool {
    if dob > reference {
        return false;
    }
    let mut age = reference.year() - dob.year();
    if (reference.month(), reference.day()) < (dob.month(), dob.day()) {
        age -= 1;
    }
    (0..=110).contains(&age)
}

/// Driver's-licence structure: 12 digits, issuing-commission prefix in the published set.
/// (The 11th-digit check formula is unofficial, so it is not used.)
pub fn is_driver_licence_shape(digits: &str) -> bool {
    if digits.len() != 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let p: u32 = digits[..2].parse().unwrap_or(0);
    matches!(p, 10..=14 | 20..=25 | 30 | 40..=55 | 60..=65 | 70..=74 | 80..=83 | 90..=97)
}

fn digit_array<const N: usize>(digits: &str) -> Option<[u8; N]> {
    let b = digits.as_bytes();
    if b.len() != N || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let mut out = [0u8; N];
    for (o, c) in out.iter_mut().zip(b) {
        *o = c - b'0';
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn my_number_worked_example_from_japan_md() {
        // 12345678901 → Σ = 212, 212 mod 11 = 3, check = 8.
        assert_eq!(my_number_check_digit(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]), 8);
        assert!(is_valid_my_number("123456789018"));
        assert!(!is_valid_my_number("123456789019"));
        assert!(!is_valid_my_number("12345678901"));
        assert!(!is_valid_my_number("12345678901a"));
    }

    #[test]
    fn my_number_remainder_zero_and_one_give_check_zero() {
        // 00000000000 → Σ = 0 → r = 0 → check 0.
        assert!(is_valid_my_number("000000000000"));
        // 00000000006 → 6·2 = 12, r = 1 → check 0.
        assert!(is_valid_my_number("000000000060"));
        assert!(!is_valid_my_number("000000000061"));
    }

    #[test]
    fn corporate_number_worked_examples() {
        assert!(is_valid_corporate_number("7123456789012"));
        assert!(is_valid_corporate_number("4011001098993"));
        assert!(!is_valid_corporate_number("5011001098993"));
        assert!(!is_valid_corporate_number("0123456789012"));
    }

    #[test]
    fn luhn_and_iin() {
        assert!(luhn_valid("4111111111111111"));
        assert!(!luhn_valid("4111111111111112"));
        assert_eq!(card_brand("3530111333300000"), Some(CardBrand::Jcb));
        assert!(is_valid_card("3530111333300000"));
        assert!(is_valid_card("5555555555554444"));
        assert!(is_valid_card("378282246310005"));
        assert!(is_valid_card("30569309025904"));
        // Luhn-valid but no IIN range fits (prefix 99).
        assert!(luhn_valid("9999999999999995"));
        assert!(!is_valid_card("9999999999999995"));
        // Visa prefix but 15 digits.
        assert!(card_brand("411111111111111").is_none());
    }

    #[test]
    fn phone_digit_counts_by_prefix() {
        assert_eq!(phone_kind("09012345678"), Some(PhoneKind::Mobile));
        assert_eq!(phone_kind("06012345678"), Some(PhoneKind::Mobile));
        assert_eq!(phone_kind("0312345678"), Some(PhoneKind::Fixed));
        assert_eq!(phone_kind("0120123456"), Some(PhoneKind::TollFree));
        assert_eq!(phone_kind("08001234567"), Some(PhoneKind::TollFree));
        assert_eq!(phone_kind("0570123456"), Some(PhoneKind::NaviDial));
        assert_eq!(phone_kind("05012345678"), Some(PhoneKind::IpPhone));
        assert_eq!(phone_kind("02012345678"), Some(PhoneKind::M2m));
        assert_eq!(phone_kind("02001234567890"), Some(PhoneKind::M2m));
        assert_eq!(phone_kind("0901234567"), None, "mobile needs 11 digits");
        assert_eq!(phone_kind("031234567"), None);
        assert_eq!(phone_kind("2024123456"), None, "leading 0 required");
        assert_eq!(phone_digits("+81-90-1234-5678"), "09012345678");
        assert!(!PhoneKind::TollFree.can_be_personal());
    }

    #[test]
    fn postal_shapes() {
        assert!(is_postal_shape("100-0001"));
        assert!(is_postal_shape("1000001"));
        assert!(!is_postal_shape("100-001"));
    }

    #[test]
    fn era_dates_and_gannen() {
        assert_eq!(era_to_year("昭和", 55), Some(1980));
        assert_eq!(era_to_year("S", 55), Some(1980));
        assert_eq!(era_to_year("平成", 1), Some(1989));
        assert_eq!(era_to_year("令和", 1), Some(2019));
        assert_eq!(era_to_year("大正", 16), None);
        assert_eq!(era_to_year("昭和", 65), None);
        assert!(calendar_date(2023, 2, 29).is_none());
        assert!(calendar_date(2024, 2, 29).is_some());
        let r = NaiveDate::from_ymd_opt(2025, 6, 1).expect("date");
        assert!(plausible_birth_date(
            calendar_date(1980, 5, 12).expect("d"),
            r
        ));
        assert!(!plausible_birth_date(
            calendar_date(1900, 1, 1).expect("d"),
            r
        ));
        assert!(!plausible_birth_date(
            calendar_date(2026, 1, 1).expect("d"),
            r
        ));
    }

    #[test]
    fn driver_licence_prefix_set() {
        assert!(is_driver_licence_shape("301234567890"));
        assert!(!is_driver_licence_shape("151234567890"));
        assert!(!is_driver_licence_shape("30123456789"));
    }
}

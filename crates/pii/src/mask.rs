//! Masked display values (e.g. `山田 **`, `1980-**-**`, `090-****-5678`): what scope.json and
//! reports show unless the caller set `reveal`. Enough to let a person recognise their own
//! record, not enough to reconstruct it.

use crate::category::Category;
use crate::lexicon;

/// The masked form of `value` of kind `category`.
pub fn mask(category: Category, value: &str) -> String {
    let chars: Vec<char> = value.chars().collect();
    match category {
        Category::Name | Category::HeadOfHousehold | Category::NameKana => mask_name(value),
        Category::BirthDate => match value.get(..4) {
            Some(y) if value.len() >= 10 => format!("{y}-**-**"),
            _ => "****-**-**".into(),
        },
        Category::Phone => {
            let d = crate::normalize::digits_only(value);
            let n = d.len();
            if n >= 10 {
                let head = if d.starts_with("0120") || d.starts_with("0570") {
                    4
                } else {
                    3
                };
                format!("{}-****-{}", &d[..head], &d[n - 4..])
            } else {
                "***".into()
            }
        }
        Category::Email => match value.split_once('@') {
            Some((local, domain)) => {
                let first: String = local.chars().take(1).collect();
                format!("{first}***@{domain}")
            }
            None => "***".into(),
        },
        Category::MyNumber => "****-****-****".into(),
        Category::Card => {
            let n = chars.len();
            if n >= 10 {
                let head: String = chars[..4].iter().collect();
                let tail: String = chars[n - 4..].iter().collect();
                format!("{head}-****-****-{tail}")
            } else {
                "****".into()
            }
        }
        Category::BankAccount
        | Category::PensionNumber
        | Category::DriverLicence
        | Category::Passport
        | Category::ResidenceCard => {
            let n = chars.len();
            let tail: String = chars[n.saturating_sub(2)..].iter().collect();
            format!("{}{tail}", "*".repeat(n.saturating_sub(2)))
        }
        Category::PostalCode => match value.get(..3) {
            Some(h) => format!("{h}-****"),
            None => "***-****".into(),
        },
        Category::Address => {
            // Keep prefecture + municipality, drop the street part.
            let pref = lexicon::PREFECTURES.iter().find(|p| value.starts_with(**p));
            match pref {
                Some(p) => {
                    let rest = &value[p.len()..].trim_start();
                    let muni_end = rest
                        .char_indices()
                        .find(|(_, c)| matches!(c, '市' | '区' | '町' | '村' | '郡'))
                        .map(|(i, c)| i + c.len_utf8())
                        .unwrap_or(0);
                    format!("{p}{} ***", &rest[..muni_end])
                }
                None => "***".into(),
            }
        }
        Category::SpecialCare => value.split(':').next().unwrap_or("").to_string() + ": ***",
        Category::Relationship | Category::Gender => value.to_string(),
        Category::CorporateNumber => value.to_string(),
    }
}

fn mask_name(value: &str) -> String {
    let v = value.trim();
    if let Some((first, _)) = v.split_once([' ', '\u{3000}']) {
        return format!("{first} **");
    }
    if let Some(s) = lexicon::leading_surname(v) {
        return format!("{s} **");
    }
    let first: String = v.chars().take(1).collect();
    format!("{first}**")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_as_documented() {
        assert_eq!(mask(Category::Name, "山田 太郎"), "山田 **");
        assert_eq!(mask(Category::Name, "山田太郎"), "山田 **");
        assert_eq!(mask(Category::BirthDate, "1980-05-12"), "1980-**-**");
        assert_eq!(mask(Category::Phone, "09012345678"), "090-****-5678");
        assert_eq!(mask(Category::MyNumber, "123456789018"), "****-****-****");
        assert_eq!(
            mask(Category::Card, "4111111111111111"),
            "4111-****-****-1111"
        );
        assert_eq!(mask(Category::Email, "taro@example.jp"), "t***@example.jp");
        assert_eq!(
            mask(Category::Address, "東京都千代田区千代田1-1"),
            "東京都千代田区 ***"
        );
        assert_eq!(mask(Category::BankAccount, "1234567"), "*****67");
    }
}

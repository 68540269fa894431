//! Person grouping and pseudonymous de-duplication.
//!
//! Inside a document, hits become *records*: a table row is one record; in text, a name opens a
//! record and the attributes that follow (within a gap) join it, a reading (フリガナ) just
//! before a name joins that name, and strong identifiers without a name (a My Number, a card)
//! form a nameless record. A name with no attribute is not a record (greetings, mentions).
//!
//! Across files, a record's *keys* are keyed hashes (HMAC-SHA256, per-run random key or one the
//! caller gives) of: normalised name + birth date, name + address, name + phone, name + e-mail,
//! or a strong identifier alone. Records sharing any key are the same person (union–find), so
//! the same employee in an xlsx, a docx and a CSV counts once. Only hashes cross record
//! boundaries; raw values stay inside the crate.

use crate::category::Category;
use crate::lexicon as lx;
use crate::normalize::name_key;
use crate::recognize::{Confidence, Hit};
use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Largest gap (bytes of normalised text) between a record's last hit and the next attribute.
const ATTR_GAP: usize = 400;

/// One person-shaped record inside one document.
#[derive(Debug, Clone, Default)]
pub(crate) struct Record {
    pub hits: Vec<Hit>,
    /// True when the record looks like a business contact (organisation nearby, no private data).
    pub business: bool,
}

impl Record {
    pub fn name(&self) -> Option<&Hit> {
        self.hits.iter().find(|h| h.category == Category::Name)
    }
    /// Whether this record describes a person worth counting.
    pub fn is_person(&self, from_table: bool) -> bool {
        let (mut strong, mut has_name, mut has_birth, mut attrs) = (false, false, false, 0usize);
        for h in &self.hits {
            has_name |= matches!(h.category, Category::Name | Category::HeadOfHousehold);
            has_birth |= h.category == Category::BirthDate;
            if !h.category.is_personal() {
                continue;
            }
            strong |= h.category.is_strong_identifier() && h.confidence == Confidence::High;
            if !matches!(h.category, Category::Name | Category::NameKana) {
                attrs += 1;
            }
        }
        strong || (has_name && (attrs > 0 || from_table)) || (has_birth && attrs >= 2)
    }
}

/// Groups text hits (sorted by offset) into records; `lower` is the ASCII-lower-cased text.
pub(crate) fn group_text(lower: &str, hits: Vec<Hit>) -> Vec<Record> {
    let mut records: Vec<Record> = Vec::new();
    let mut cur: Option<(Record, usize)> = None;
    let mut pending: Vec<Hit> = Vec::new();
    for h in hits {
        if h.confidence == Confidence::Low || !h.category.is_personal() || h.business {
            continue;
        }
        // A signature separator ends the record before it.
        if let Some((_, last)) = &cur
            && h.start > *last
            && lower[*last..h.start].contains("\n--")
            && let Some((r, _)) = cur.take()
        {
            records.push(r);
        }
        if h.category == Category::Name {
            let mut rec = Record::default();
            if let Some((mut r, _)) = cur.take() {
                // A reading (フリガナ) right before the new name belongs to the new name.
                let cur_name_start = r.name().map_or(0, |n| n.start);
                let mut i = 0;
                while i < r.hits.len() {
                    let x = &r.hits[i];
                    if x.category == Category::NameKana
                        && x.start > cur_name_start
                        && h.start.saturating_sub(x.end) < 60
                    {
                        rec.hits.push(r.hits.remove(i));
                    } else {
                        i += 1;
                    }
                }
                records.push(r);
            }
            rec.hits.extend(
                pending
                    .drain(..)
                    .filter(|p| h.start.saturating_sub(p.end) < 200),
            );
            let end = h.end;
            rec.hits.push(h);
            cur = Some((rec, end));
            continue;
        }
        match cur.as_mut() {
            Some((rec, last)) if h.start.saturating_sub(*last) <= ATTR_GAP => {
                *last = h.end;
                rec.hits.push(h);
            }
            _ => {
                if let Some((r, _)) = cur.take() {
                    records.push(r);
                }
                if pending
                    .last()
                    .is_some_and(|p| h.start.saturating_sub(p.end) > ATTR_GAP)
                {
                    records.push(Record {
                        hits: std::mem::take(&mut pending),
                        business: false,
                    });
                }
                pending.push(h);
            }
        }
    }
    if let Some((r, _)) = cur {
        records.push(r);
    }
    if !pending.is_empty() {
        records.push(Record {
            hits: pending,
            business: false,
        });
    }
    for r in &mut records {
        r.business = looks_business(lower, r);
    }
    records
}

/// Business contact: organisation words near the name, only contact data, nothing private.
fn looks_business(lower: &str, r: &Record) -> bool {
    let private = r.hits.iter().any(|h| {
        !matches!(
            h.category,
            Category::Name
                | Category::NameKana
                | Category::Phone
                | Category::Email
                | Category::Address
                | Category::PostalCode
        )
    });
    if private {
        return false;
    }
    if r.hits
        .iter()
        .filter(|h| h.category == Category::Phone)
        .any(|h| h.business)
    {
        return true;
    }
    let Some(anchor) = r.hits.first() else {
        return false;
    };
    let s = crate::context::window_start(lower, anchor.start, 150);
    let e = crate::context::window_end(lower, r.hits.last().map_or(anchor.end, |h| h.end), 150);
    let around = &lower[s..e];
    lx::contains_any(around, lx::ORG_MARKERS) && !lx::contains_any(around, lx::PRIVATE_MARKERS)
}

/// The pseudonymisation key (HMAC-SHA256). The keyed MAC state (key already absorbed into
/// the inner and outer hashes) is built once and cloned per hash, which halves the SHA-256
/// work of the short messages hashed here.
#[derive(Clone)]
pub struct PersonKey(Option<Hmac<Sha256>>);

impl PersonKey {
    fn from_bytes(key: [u8; 32]) -> Self {
        // HMAC accepts any key length: `new_from_slice` cannot fail here.
        PersonKey(Hmac::<Sha256>::new_from_slice(&key).ok())
    }
    /// A fresh random key for this run (persons then cannot be linked across runs).
    pub fn random() -> Self {
        Self::from_bytes(rand::random())
    }
    /// A key from hex (64 hex digits), to link persons across runs.
    pub fn from_hex(hex_key: &str) -> Result<Self, crate::PiiError> {
        let v =
            hex::decode(hex_key.trim()).map_err(|e| crate::PiiError::InvalidKey(e.to_string()))?;
        let arr: [u8; 32] = v
            .try_into()
            .map_err(|_| crate::PiiError::InvalidKey("need 32 bytes (64 hex digits)".into()))?;
        Ok(Self::from_bytes(arr))
    }
    /// HMAC-SHA256 of `parts` joined by U+001F, hex, first 32 digits.
    pub fn hash(&self, parts: &[&str]) -> String {
        format!("{:032x}", self.hash128(parts))
    }

    /// [`Self::hash`] as a number (its first 16 bytes, big-endian): the form the scope keys
    /// its persons by (no hex string and no allocation per key).
    pub fn hash128(&self, parts: &[&str]) -> u128 {
        let Some(mut mac) = self.0.clone() else {
            // HMAC accepts any key length; this branch cannot be taken.
            return 0;
        };
        for (i, p) in parts.iter().enumerate() {
            if i > 0 {
                mac.update(&[0x1f]);
            }
            mac.update(p.as_bytes());
        }
        let mut first = [0u8; 16];
        first.copy_from_slice(&mac.finalize().into_bytes()[..16]);
        u128::from_be_bytes(first)
    }
}

impl std::fmt::Debug for PersonKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PersonKey(..)")
    }
}

/// The linking keys of a record (keyed hashes; empty for records that cannot be linked).
pub(crate) fn record_keys(key: &PersonKey, r: &Record) -> Vec<u128> {
    let mut keys = Vec::new();
    let name = r.name().map(|h| name_key(&h.value));
    // Each value's comparison form once (addresses compared like names).
    let values: Vec<std::borrow::Cow<'_, str>> = r
        .hits
        .iter()
        .map(|h| match h.category {
            Category::Address => std::borrow::Cow::Owned(name_key(&h.value)),
            _ => std::borrow::Cow::Borrowed(h.value.as_str()),
        })
        .collect();
    for (h, v) in r.hits.iter().zip(&values) {
        if h.confidence == Confidence::Low {
            continue;
        }
        if let (
            Some(n),
            Category::BirthDate | Category::Address | Category::Phone | Category::Email,
        ) = (&name, h.category)
        {
            keys.push(key.hash128(&["n", n, cat_tag(h.category), v]));
        }
        // Name-independent links: a birth date with a phone or an address is as good as a
        // name (and survives a romaji/kanji spelling difference).
        if h.category == Category::BirthDate {
            for (o, ov) in r.hits.iter().zip(&values) {
                if matches!(o.category, Category::Phone | Category::Address)
                    && o.confidence == Confidence::High
                {
                    keys.push(key.hash128(&["b", v, cat_tag(o.category), ov]));
                }
            }
        }
        if h.category.is_strong_identifier() {
            keys.push(key.hash128(&["id", cat_tag(h.category), v]));
        }
    }
    keys
}

fn cat_tag(c: Category) -> &'static str {
    c.en()
}

/// Union–find over record indices.
#[derive(Default)]
pub(crate) struct UnionFind(Vec<usize>);

impl UnionFind {
    pub fn add(&mut self) -> usize {
        self.0.push(self.0.len());
        self.0.len() - 1
    }
    pub fn find(&mut self, mut x: usize) -> usize {
        while self.0[x] != x {
            self.0[x] = self.0[self.0[x]];
            x = self.0[x];
        }
        x
    }
    pub fn union(&mut self, a: usize, b: usize) {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra != rb {
            self.0[rb] = ra;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::normalize_text;
    use crate::recognize::{RecognizeOptions, recognize};
    use chrono::NaiveDate;

    fn records(s: &str) -> Vec<Record> {
        let t = normalize_text(s);
        let o = RecognizeOptions {
            reference_date: NaiveDate::from_ymd_opt(2025, 6, 1).expect("d"),
        };
        group_text(&t.to_ascii_lowercase(), recognize(&t, &o))
    }

    #[test]
    fn two_people_in_one_text() {
        let r = records(
            "フリガナ: ヤマダ タロウ\n氏名: 山田 太郎\n生年月日: 1980年5月12日\n\nフリガナ: サトウ ハナコ\n氏名: 佐藤 花子\n電話: 090-1111-2222\n",
        );
        let persons: Vec<&Record> = r.iter().filter(|x| x.is_person(false)).collect();
        assert_eq!(persons.len(), 2);
        assert!(
            persons[1]
                .hits
                .iter()
                .any(|h| h.category == Category::NameKana && h.value.contains("サトウ"))
        );
        assert!(persons[0].hits.iter().all(|h| !h.value.contains("サトウ")));
    }

    #[test]
    fn greeting_name_alone_is_not_a_person() {
        let r = records("氏名: 山田 太郎 です。よろしくお願いします。");
        assert!(r.iter().all(|x| !x.is_person(false)));
    }

    #[test]
    fn keys_link_same_person_and_depend_on_key() {
        let k = PersonKey::from_hex(&"11".repeat(32)).expect("key");
        let a = records("氏名: 山田 太郎 生年月日: 1980-05-12");
        let b = records("氏名：山田　太郎 様\n生年月日：昭和55年5月12日");
        let ka = record_keys(&k, &a[0]);
        let kb = record_keys(&k, &b[0]);
        assert!(ka.iter().any(|x| kb.contains(x)));
        let k2 = PersonKey::from_hex(&"22".repeat(32)).expect("key");
        assert!(record_keys(&k2, &a[0]).iter().all(|x| !ka.contains(x)));
        assert!(PersonKey::from_hex("zz").is_err());
    }
}

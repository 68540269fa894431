//! The linking keys of recent records, remembered. The same person record comes back many
//! times in five years of mail — a roster forwarded, the same employee in the payroll sheet
//! and the 扶養控除 form — and its keys (one HMAC-SHA256 per key, ~1/10 of a scope run) are the
//! same every time, because [`record_keys`] depends only on the category, confidence and value
//! of the record's hits, in order.
//!
//! The memo is keyed by exactly those inputs — of the hits `record_keys` can read (names,
//! birth dates, addresses, phones, e-mails and strong identifiers; other categories add no key
//! and change none), written with their lengths so two different records never share an
//! encoding — and compared in full on a hit, so a remembered answer is always the one
//! `record_keys` would give. It holds raw values in memory only (as the scan itself does) and
//! is bounded by entries and bytes: when either bound is reached it starts again empty, so
//! memory stays flat.

use crate::category::Category;
use crate::person::{PersonKey, Record, record_keys};
use crate::recognize::Confidence;
use std::collections::HashMap;

/// Records remembered at most.
const MAX_ENTRIES: usize = 16_384;
/// Bytes of remembered encodings and keys at most.
const MAX_BYTES: usize = 4 << 20;

/// Keys of recent records by their encoded key inputs.
pub(super) struct KeyMemo {
    /// Encoding → index into `keys` (one look-up per remembered record).
    map: HashMap<Box<[u8]>, usize>,
    keys: Vec<Box<[u128]>>,
    /// The encoding of the record being looked up (reused).
    buf: Vec<u8>,
    bytes: usize,
    max_entries: usize,
    max_bytes: usize,
}

impl Default for KeyMemo {
    fn default() -> Self {
        Self::with_bounds(MAX_ENTRIES, MAX_BYTES)
    }
}

/// Whether [`record_keys`] reads hits of this category.
fn feeds_keys(c: Category) -> bool {
    matches!(
        c,
        Category::Name
            | Category::BirthDate
            | Category::Address
            | Category::Phone
            | Category::Email
    ) || c.is_strong_identifier()
}

/// Writes the inputs of [`record_keys`] of `r` into `buf`: per hit read, its category,
/// confidence, value length and value.
fn encode(r: &Record, buf: &mut Vec<u8>) {
    buf.clear();
    for h in r.hits.iter().filter(|h| feeds_keys(h.category)) {
        buf.push(h.category as u8);
        buf.push(match h.confidence {
            Confidence::Low => 0,
            Confidence::High => 1,
        });
        buf.extend_from_slice(&(h.value.len() as u64).to_le_bytes());
        buf.extend_from_slice(h.value.as_bytes());
    }
}

impl KeyMemo {
    fn with_bounds(max_entries: usize, max_bytes: usize) -> Self {
        KeyMemo {
            map: HashMap::new(),
            keys: Vec::new(),
            buf: Vec::new(),
            bytes: 0,
            max_entries,
            max_bytes,
        }
    }

    /// The keys of `r` under `key`: [`record_keys`]`(key, r)`, remembered. One memo serves
    /// one key (the builder's).
    pub fn keys(&mut self, key: &PersonKey, r: &Record) -> &[u128] {
        encode(r, &mut self.buf);
        if let Some(&i) = self.map.get(self.buf.as_slice()) {
            return &self.keys[i];
        }
        let keys = record_keys(key, r).into_boxed_slice();
        let weight = self.buf.len() + keys.len() * 16 + 64;
        if self.map.len() >= self.max_entries || self.bytes + weight > self.max_bytes {
            self.map.clear();
            self.keys.clear();
            self.bytes = 0;
        }
        self.bytes += weight;
        self.map.insert(self.buf.as_slice().into(), self.keys.len());
        self.keys.push(keys);
        self.keys.last().map_or(&[], |k| &k[..])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::category::SpecialCareKind;
    use crate::evalgen::people::Rng;
    use crate::recognize::Hit;

    /// Few, short values (so many records share or nearly share their inputs), including
    /// values that are prefixes of others and names that `name_key` folds together.
    const VALUES: [&str; 8] = [
        "",
        "1",
        "12",
        "1\u{1f}2",
        "山田 太郎",
        "山田太郎",
        "ｱ",
        "a@b.jp",
    ];

    fn record(g: &mut Rng) -> Record {
        let n = (g.next_u64() % 5) as usize;
        // The fields the memo does not key on (offsets, business flags, the special-care
        // kind) vary at random: were the keys to depend on one, the memo would answer wrongly.
        let hits = (0..n)
            .map(|_| {
                let start = (g.next_u64() % 1000) as usize;
                let end = start + (g.next_u64() % 40) as usize;
                let mut h = Hit::new(
                    g.pick(&Category::ALL),
                    g.pick(&VALUES).to_string(),
                    start,
                    end,
                );
                if g.next_u64().is_multiple_of(3) {
                    h.confidence = Confidence::Low;
                }
                h.business = g.next_u64().is_multiple_of(4);
                if g.next_u64().is_multiple_of(2) {
                    h.special = Some(g.pick(&[
                        SpecialCareKind::Health,
                        SpecialCareKind::CriminalRecord,
                        SpecialCareKind::CrimeVictim,
                    ]));
                }
                h
            })
            .collect();
        Record {
            hits,
            business: g.next_u64().is_multiple_of(5),
        }
    }

    #[test]
    fn remembered_keys_equal_record_keys() {
        let key = PersonKey::from_hex(&"5a".repeat(32)).expect("key");
        // Small bounds so that the memo empties itself many times during the run.
        for memo in [
            &mut KeyMemo::default(),
            &mut KeyMemo::with_bounds(7, usize::MAX),
            &mut KeyMemo::with_bounds(usize::MAX, 300),
        ] {
            let mut g = Rng::new(0x9E37_79B9_7F4A_7C15);
            let mut nonempty = 0;
            for _ in 0..40_000 {
                let r = record(&mut g);
                let want = record_keys(&key, &r);
                nonempty += usize::from(!want.is_empty());
                assert_eq!(memo.keys(&key, &r), &want[..], "{:?}", r.hits);
                assert!(memo.map.len() <= memo.max_entries.max(1));
            }
            assert!(nonempty > 10_000, "the generated records must give keys");
        }
    }

    #[test]
    fn records_differing_in_any_key_input_get_their_own_keys() {
        let key = PersonKey::from_hex(&"5a".repeat(32)).expect("key");
        let mut memo = KeyMemo::default();
        let base = Record {
            hits: vec![
                Hit::new(Category::Name, "山田 太郎".into(), 0, 1),
                Hit::new(Category::BirthDate, "1980-05-12".into(), 2, 3),
                Hit::new(Category::Phone, "09011112222".into(), 4, 5),
            ],
            business: false,
        };
        let first = memo.keys(&key, &base).to_vec();
        assert_eq!(first, record_keys(&key, &base));
        let mut low = base.clone();
        low.hits[1].confidence = Confidence::Low;
        let mut other_category = base.clone();
        other_category.hits[2].category = Category::MyNumber;
        let mut other_value = base.clone();
        other_value.hits[2].value.push('3');
        let mut reordered = base.clone();
        reordered.hits.swap(1, 2);
        for r in [&low, &other_category, &other_value, &reordered] {
            let got = memo.keys(&key, r).to_vec();
            assert_eq!(got, record_keys(&key, r));
            assert_ne!(got, first);
        }
        // A hit no key reads (gender) changes nothing, and is remembered as the same record.
        let mut gender = base.clone();
        gender
            .hits
            .push(Hit::new(Category::Gender, "男".into(), 6, 7));
        let before = memo.map.len();
        assert_eq!(memo.keys(&key, &gender), &first[..]);
        assert_eq!(memo.map.len(), before);
    }
}

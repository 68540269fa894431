//! Context windows: a numeric or date match counts only when the nearest label before it says
//! what it is. Positive and negative word lists compete, and the *closest* label wins, so
//! `注文番号: 123456789018  個人番号: 123456789018` yields one My Number, not two.
//!
//! All context words of all lists are found in one pass per text (ASCII case-insensitive,
//! overlapping, so `口座` inside `口座番号` is seen too: the occurrences an overlapping
//! Aho–Corasick search reports) into a sorted [`ContextIndex`]; each query is then a binary
//! search, not a substring scan per word.
//! Windows are in bytes of the normalised text (a kanji is 3 bytes).

use crate::category::SpecialCareKind;
use crate::lexicon as lx;
use std::collections::{BTreeMap, HashMap};
use std::sync::LazyLock;

/// Bit masks naming the context-word lists.
pub mod list {
    /// My Number words.
    pub const MY_NUMBER: u32 = 1 << 0;
    /// Bank words.
    pub const BANK: u32 = 1 << 1;
    /// Card words.
    pub const CARD: u32 = 1 << 2;
    /// Phone words.
    pub const PHONE: u32 = 1 << 3;
    /// FAX / 内線 / 代表.
    pub const BUSINESS_PHONE: u32 = 1 << 4;
    /// Business identifiers (注文番号, 品番 …).
    pub const NEGATIVE: u32 = 1 << 5;
    /// Birth-date words.
    pub const BIRTH: u32 = 1 << 6;
    /// Address words.
    pub const ADDRESS: u32 = 1 << 7;
    /// Postal-code words.
    pub const POSTAL: u32 = 1 << 8;
    /// Pension / insurance words.
    pub const PENSION: u32 = 1 << 9;
    /// Driver's licence words.
    pub const LICENCE: u32 = 1 << 10;
    /// Passport words.
    pub const PASSPORT: u32 = 1 << 11;
    /// Residence-card words.
    pub const RESIDENCE: u32 = 1 << 12;
    /// 要配慮 keywords.
    pub const SPECIAL: u32 = 1 << 13;
    /// Business-address labels (所在地, 本社, 支社).
    pub const BUSINESS_ADDRESS: u32 = 1 << 14;
}

struct Automaton {
    /// Bit per BMP code point: some word starts with it (ASCII letters lower-cased). A fixed
    /// size, so that looking up a three-byte character (at most U+FFFF) needs no bounds check.
    first: Box<[u64; 1024]>,
    /// Word indices by first character (ASCII letters lower-cased).
    by_first: HashMap<char, Vec<usize>, CharHash>,
    masks: Vec<u32>,
    special: Vec<Option<SpecialCareKind>>,
    words: Vec<&'static str>,
}

/// A multiplicative hash for the `char` keys of [`Automaton::by_first`]: looked up for every
/// character that may start a word, where SipHash cost more than the comparison it guards.
#[derive(Default, Clone, Copy)]
struct CharHash;

/// State of [`CharHash`].
#[derive(Default)]
struct CharHasher(u64);

impl std::hash::BuildHasher for CharHash {
    type Hasher = CharHasher;
    fn build_hasher(&self) -> CharHasher {
        CharHasher(0)
    }
}

impl std::hash::Hasher for CharHasher {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(*b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = (self.0 ^ u64::from(n)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
    fn finish(&self) -> u64 {
        // The table takes its bucket from the low bits and a tag from the top 7: fold the
        // well-mixed high half into the low one.
        self.0 ^ (self.0 >> 29)
    }
}

static AUTOMATON: LazyLock<Automaton> = LazyLock::new(|| {
    let lists: [(u32, &[&'static str]); 14] = [
        (list::MY_NUMBER, lx::MY_NUMBER_CONTEXT),
        (list::BANK, lx::BANK_CONTEXT),
        (list::CARD, lx::CARD_CONTEXT),
        (list::PHONE, lx::PHONE_CONTEXT),
        (list::BUSINESS_PHONE, lx::BUSINESS_PHONE_CONTEXT),
        (list::NEGATIVE, lx::NEGATIVE_NUMBER_CONTEXT),
        (list::BIRTH, lx::BIRTH_CONTEXT),
        (list::ADDRESS, lx::ADDRESS_CONTEXT),
        (list::POSTAL, lx::POSTAL_CONTEXT),
        (list::PENSION, lx::PENSION_CONTEXT),
        (list::LICENCE, lx::LICENCE_CONTEXT),
        (list::PASSPORT, lx::PASSPORT_CONTEXT),
        (list::RESIDENCE, lx::RESIDENCE_CONTEXT),
        (list::BUSINESS_ADDRESS, &["所在地", "本社", "支社"]),
    ];
    let mut words: BTreeMap<&'static str, (u32, Option<SpecialCareKind>)> = BTreeMap::new();
    for (mask, ws) in lists {
        for w in ws {
            words.entry(w).or_default().0 |= mask;
        }
    }
    for (w, kind) in lx::SPECIAL_CARE_WORDS {
        let e = words.entry(w).or_default();
        e.0 |= list::SPECIAL;
        e.1 = Some(*kind);
    }
    let keys: Vec<&'static str> = words.keys().copied().collect();
    let mut first = Box::new([0u64; 1024]);
    let mut by_first: HashMap<char, Vec<usize>, CharHash> = HashMap::default();
    for (i, w) in keys.iter().enumerate() {
        if let Some(c) = w.chars().next().map(|c| c.to_ascii_lowercase()) {
            by_first.entry(c).or_default().push(i);
            if let Some(slot) = first.get_mut(c as usize / 64) {
                *slot |= 1 << (c as usize % 64);
            }
        }
    }
    Automaton {
        first,
        by_first,
        masks: words.values().map(|v| v.0).collect(),
        special: words.values().map(|v| v.1).collect(),
        words: keys,
    }
});

/// One context word occurrence.
#[derive(Debug, Clone, Copy)]
pub struct Occurrence {
    /// Byte start.
    pub start: usize,
    /// Byte end.
    pub end: usize,
    /// Lists the word belongs to.
    pub mask: u32,
    /// Pattern index (for [`ContextIndex::word`]).
    pub pattern: usize,
}

/// Every context word of a text, sorted by end offset.
#[derive(Debug, Clone, Default)]
pub struct ContextIndex {
    occ: Vec<Occurrence>,
}

impl ContextIndex {
    /// Indexes `text` (normalised): every occurrence of every word (ASCII letters compared
    /// case-insensitively, words inside longer words included), as an overlapping
    /// Aho–Corasick search would report them. Instead of a byte automaton (~3 ns per byte,
    /// every byte visited), each character is looked up in a bitmap of the words' first
    /// characters and only the few words starting with it are compared — a Japanese
    /// character costs one lookup instead of three automaton steps.
    pub fn new(text: &str) -> Self {
        let a = &*AUTOMATON;
        let b = text.as_bytes();
        let mut occ: Vec<Occurrence> = Vec::new();
        let first: &[u64; 1024] = &a.first;
        // `c` is at most U+FFFF here (ASCII or a three-byte character).
        let bit = |c: usize| first[(c >> 6) & 1023] & (1 << (c & 63)) != 0;
        let mut i = 0;
        while i < b.len() {
            // Characters no word starts with (most of any text) skipped in a tight loop.
            while i + 2 < b.len() {
                let x = b[i];
                let c = if (0xE0..0xF0).contains(&x) {
                    (usize::from(x & 0x0F) << 12)
                        | (usize::from(b[i + 1] & 0x3F) << 6)
                        | usize::from(b[i + 2] & 0x3F)
                } else if x < 0x80 {
                    usize::from(x.to_ascii_lowercase())
                } else {
                    break;
                };
                if bit(c) {
                    break;
                }
                i += if x < 0x80 { 1 } else { 3 };
            }
            if i >= b.len() {
                break;
            }
            let x = b[i];
            let (c, len) = match x {
                0..0x80 => (u32::from(x.to_ascii_lowercase()), 1),
                // Three-byte characters (all of kana and kanji) decoded in place.
                0xE0..0xF0 if i + 2 < b.len() => (
                    (u32::from(x & 0x0F) << 12)
                        | (u32::from(b[i + 1] & 0x3F) << 6)
                        | u32::from(b[i + 2] & 0x3F),
                    3,
                ),
                _ => match text.get(i..).and_then(|t| t.chars().next()) {
                    Some(c) => (c as u32, c.len_utf8()),
                    None => (0, 1),
                },
            };
            let starts = a
                .first
                .get(c as usize / 64)
                .is_some_and(|bits| bits & (1 << (c as usize % 64)) != 0);
            if starts && let Some(ws) = char::from_u32(c).and_then(|c| a.by_first.get(&c)) {
                for &p in ws {
                    let w = a.words[p].as_bytes();
                    if b.get(i..i + w.len())
                        .is_some_and(|t| t.eq_ignore_ascii_case(w))
                    {
                        occ.push(Occurrence {
                            start: i,
                            end: i + w.len(),
                            mask: a.masks[p],
                            pattern: p,
                        });
                    }
                }
            }
            i += len;
        }
        occ.sort_by_key(|o| (o.end, o.start));
        ContextIndex { occ }
    }

    /// Occurrences in `mask`, in order.
    pub fn of(&self, mask: u32) -> impl Iterator<Item = &Occurrence> {
        self.occ.iter().filter(move |o| o.mask & mask != 0)
    }

    /// The word and 要配慮 kind of an occurrence.
    pub fn word(&self, o: &Occurrence) -> (&'static str, Option<SpecialCareKind>) {
        let a = &*AUTOMATON;
        (a.words[o.pattern], a.special[o.pattern])
    }

    /// Distance in bytes from the end of the nearest word of `mask` that lies wholly in
    /// `[pos - len, pos)`, or None.
    pub fn nearest_before(&self, pos: usize, len: usize, mask: u32) -> Option<usize> {
        let lo = pos.saturating_sub(len);
        let idx = self.occ.partition_point(|o| o.end <= pos);
        self.occ[..idx]
            .iter()
            .rev()
            .take_while(|o| o.end > lo)
            .find(|o| o.mask & mask != 0 && o.start >= lo)
            .map(|o| pos - o.end)
    }

    /// Whether a word of `mask` lies wholly in `[pos, pos + len]`.
    pub fn any_after(&self, pos: usize, len: usize, mask: u32) -> bool {
        let idx = self.occ.partition_point(|o| o.end <= pos);
        self.occ[idx..]
            .iter()
            .take_while(|o| o.end <= pos + len + 32)
            .any(|o| o.mask & mask != 0 && o.start >= pos && o.end <= pos + len)
    }

    /// The nearest label before `pos` among `positive` and `negative` lists.
    pub fn contest(&self, pos: usize, len: usize, positive: u32, negative: u32) -> Label {
        match (
            self.nearest_before(pos, len, positive),
            self.nearest_before(pos, len, negative),
        ) {
            (Some(p), Some(n)) if p <= n => Label::Positive,
            (Some(_), Some(_)) => Label::Negative,
            (Some(_), None) => Label::Positive,
            (None, Some(_)) => Label::Negative,
            (None, None) => Label::None,
        }
    }
}

/// Every context word (tests check properties of the list).
#[cfg(test)]
pub(crate) fn all_words() -> &'static [&'static str] {
    &AUTOMATON.words
}

/// Byte start of a window of `len` bytes ending at `pos`, on a char boundary.
pub fn window_start(text: &str, pos: usize, len: usize) -> usize {
    let mut s = pos.saturating_sub(len);
    while s > 0 && !text.is_char_boundary(s) {
        s -= 1;
    }
    s
}

/// Byte end of a window of `len` bytes starting at `pos`, on a char boundary.
pub fn window_end(text: &str, pos: usize, len: usize) -> usize {
    let mut e = (pos + len).min(text.len());
    while e < text.len() && !text.is_char_boundary(e) {
        e += 1;
    }
    e
}

/// Outcome of a positive-versus-negative label contest before a match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    /// The nearest label is a positive context word.
    Positive,
    /// The nearest label is a negative (business identifier) word.
    Negative,
    /// Neither is within the window.
    None,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_label_wins() {
        let t = "注文番号: 123456789018 個人番号: 123456789018";
        let ix = ContextIndex::new(t);
        let first = t.find("123").expect("first");
        let second = t.rfind("123").expect("second");
        assert_eq!(
            ix.contest(first, 300, list::MY_NUMBER, list::NEGATIVE),
            Label::Negative
        );
        assert_eq!(
            ix.contest(second, 300, list::MY_NUMBER, list::NEGATIVE),
            Label::Positive
        );
        let ix = ContextIndex::new("abc 123");
        assert_eq!(
            ix.contest(4, 300, list::MY_NUMBER, list::NEGATIVE),
            Label::None
        );
    }

    #[test]
    fn nested_and_case_insensitive_words() {
        let t = "Account Number 1234567 口座番号 7654321";
        let ix = ContextIndex::new(t);
        assert_eq!(ix.nearest_before(15, 60, list::BANK), Some(1));
        let p = t.rfind("765").expect("p");
        assert_eq!(ix.nearest_before(p, 60, list::BANK), Some(1));
        assert!(ix.any_after(0, 20, list::BANK));
    }
}

#[cfg(test)]
mod same_as_aho_corasick {
    use super::*;

    /// What the index held when it was built by an overlapping Aho–Corasick search.
    fn reference(text: &str) -> Vec<(usize, usize, usize)> {
        let a = &*AUTOMATON;
        let ac = aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(&a.words)
            .expect("builds");
        let mut v: Vec<(usize, usize, usize)> = ac
            .find_overlapping_iter(text)
            .map(|m| (m.end(), m.start(), m.pattern().as_usize()))
            .collect();
        v.sort_by_key(|x| (x.0, x.1));
        v
    }

    #[test]
    fn first_character_index_finds_what_aho_corasick_finds() {
        let a = &*AUTOMATON;
        // Two words equal but for ASCII case would make the order of equal spans depend on
        // the search; there are none.
        for (i, w) in a.words.iter().enumerate() {
            for v in &a.words[i + 1..] {
                assert!(!w.eq_ignore_ascii_case(v), "{w} / {v}");
            }
        }
        let mut texts: Vec<String> = vec![
            "ACCOUNT number 1234567 口座番号 7654321 個人番号：123 Tel 03 e-MAIL".into(),
            "生年月日 1990年 住所 東京都 既往歴 なし 本社所在地 支社 FAX 内線".into(),
            String::new(),
            "éàü 口座ｘ".into(),
        ];
        for seed in 1..=2 {
            for m in crate::evalgen::generate(seed).expect("generate").messages {
                texts.push(crate::normalize::normalize_text(&m.body));
                for a in &m.attachments {
                    for d in
                        crate::extract::extract(&a.name, None, &a.bytes, &Default::default()).docs
                    {
                        for b in d.blocks {
                            if let crate::extract::Block::Text(t) = b {
                                texts.push(crate::normalize::normalize_text(&t));
                            }
                        }
                    }
                }
            }
        }
        // Words, their pieces and plain prose joined at random: words starting right after
        // other words, after pieces of words, and after runs of characters no word starts with.
        let mut pieces: Vec<String> =
            vec!["お世話になっております".into(), "資料".into(), "1".into()];
        for w in a.words.iter().step_by(3) {
            let chars: Vec<char> = w.chars().collect();
            pieces.push(w.to_string());
            pieces.push(chars[1..].iter().collect());
        }
        let mut rng = crate::evalgen::people::Rng::new(0x5851_F42D_4C95_7F2D);
        let mut next = |n: usize| rng.below(n as u64) as usize;
        for _ in 0..5_000 {
            let t: String = (0..next(30))
                .map(|_| {
                    pieces[if next(2) == 0 {
                        next(pieces.len())
                    } else {
                        next(2)
                    }]
                    .as_str()
                })
                .collect();
            texts.push(t);
        }
        let mut total = 0;
        for t in &texts {
            let got: Vec<(usize, usize, usize)> = ContextIndex::new(t)
                .occ
                .iter()
                .map(|o| (o.end, o.start, o.pattern))
                .collect();
            assert_eq!(got, reference(t), "{t}");
            total += got.len();
        }
        assert!(total > 100, "{total}");
    }
}

//! Context windows: a numeric or date match counts only when the nearest label before it says
//! what it is. Positive and negative word lists compete, and the *closest* label wins, so
//! `注文番号: 123456789018  個人番号: 123456789018` yields one My Number, not two.
//!
//! All context words of all lists are found in one Aho–Corasick pass per text (ASCII
//! case-insensitive, overlapping, so `口座` inside `口座番号` is seen too) into a sorted
//! [`ContextIndex`]; each query is then a binary search, not a substring scan per word.
//! Windows are in bytes of the normalised text (a kanji is 3 bytes).

use crate::category::SpecialCareKind;
use crate::lexicon as lx;
use aho_corasick::AhoCorasick;
use std::collections::BTreeMap;
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
    ac: AhoCorasick,
    masks: Vec<u32>,
    special: Vec<Option<SpecialCareKind>>,
    words: Vec<&'static str>,
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
    // A full DFA: overlapping search cannot use a prefilter, so it walks every byte, and the
    // DFA's one table lookup per byte is several times faster than the default NFA there.
    let ac = AhoCorasick::builder()
        .ascii_case_insensitive(true)
        .kind(Some(aho_corasick::AhoCorasickKind::DFA))
        .build(&keys)
        .expect("static context word list builds");
    Automaton {
        ac,
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
    /// Indexes `text` (normalised).
    pub fn new(text: &str) -> Self {
        let a = &*AUTOMATON;
        let mut occ: Vec<Occurrence> =
            a.ac.find_overlapping_iter(text)
                .map(|m| Occurrence {
                    start: m.start(),
                    end: m.end(),
                    mask: a.masks[m.pattern().as_usize()],
                    pattern: m.pattern().as_usize(),
                })
                .collect();
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

//! A cheap *necessary condition* for [`super::recognize`] to return anything, used by table
//! mode on the cells of unclassified columns (社員番号, 支店番号, 銀行名 …): each such cell is
//! scanned as `"{header}: {cell}"`, and most of them (`E0001`, `517`, `みずほ銀行`) cannot give
//! a hit at all. Computing [`Traits`] of the header once per column and of each cell with a
//! few byte scans replaces `format!` + normalisation + context index + recognizers per cell.
//!
//! Why the condition is necessary — what each recognizer cannot do without (on text that
//! normalisation leaves unchanged apart from folding `ー` between digits, see `plain`):
//! * numbers (phones, My Number, cards, bank, pension, licence, postal, corporate): a run of
//!   at least 7 ASCII digits (`classify` returns for fewer);
//! * passport / residence card: `[A-Z]{2}\d{7}` — 7 digits;
//! * Western dates: `\d{4} ?[年/.-] ?\d{1,2} ?[月/.-] ?\d{1,2}` — 6 digits (`\d` is any decimal
//!   digit, but plain text holds no non-ASCII decimal digits);
//! * era dates: `[年.]` after the era year and 2 digits at least (`元` year, month, day);
//! * names, readings, head of household: one of the label words of `NAME_LABELLED`
//!   (`(?i)`: the ASCII ones compared ignoring case; plain text has no other characters
//!   that fold to ASCII letters);
//! * relationship `続柄`, gender `性別` / `gender` / `sex`, e-mail `@`;
//! * addresses: a municipality character `市区町村郡`;
//! * 要配慮: one of [`crate::lexicon::SPECIAL_CARE_WORDS`] (the context index compares them
//!   ignoring ASCII case).
//!
//! None of these words contains `:` (tested), so none can match across the `": "` joining
//! header and cell, and the traits of the joined text are the traits of the parts combined.
//! A test runs the recognizers over many header/cell pairs and checks that every text this
//! filter rules out gives no hit at all.

use crate::lexicon as lx;

/// Label words of the name recognizer that are not ASCII (the ASCII ones: `name`, `head`).
const NAME_WORDS: &[&str] = &[
    "世帯主",
    "フリガナ",
    "ふりがな",
    "氏名",
    "名前",
    "姓名",
    "従業員名",
    "社員名",
];

/// ASCII words compared ignoring case: the name labels (`full name`, `employee name`, `name`,
/// `head of household`) and the gender labels.
const ASCII_WORDS: &[&str] = &["name", "head", "gender", "sex"];

/// Other non-ASCII words any recognizer needs one of.
const OTHER_WORDS: &[&str] = &["続柄", "性別"];

/// What a text offers the recognizers, as far as [`Traits::may_hit`] needs to know.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Traits {
    /// Only ASCII and the kana/kanji/CJK punctuation that normalisation keeps as they are.
    plain: bool,
    /// ASCII digits.
    digits: usize,
    /// `年` or `.` (needed by an era date).
    era_mark: bool,
    /// A word or character some recognizer cannot match without.
    trigger: bool,
}

/// Characters `normalize_text` keeps unchanged (its byte fast path and `nfkc_stable`): CJK
/// punctuation, hiragana, katakana with the long vowel mark (folded to `-` only between
/// digits), CJK ideographs.
pub(super) fn plain_wide(cp: u32) -> bool {
    matches!(cp,
        0x3001..=0x3003 | 0x3005..=0x301F | 0x3041..=0x3096 | 0x309D..=0x309E
        | 0x30A1..=0x30FE | 0x4E00..=0x9FFF)
}

/// Every word some recognizer cannot match without: the lists above and the 要配慮 words.
pub(super) fn trigger_words() -> impl Iterator<Item = &'static str> {
    NAME_WORDS
        .iter()
        .chain(ASCII_WORDS)
        .chain(OTHER_WORDS)
        .copied()
        .chain(lx::SPECIAL_CARE_WORDS.iter().map(|(w, _)| *w))
}

/// Every word above and the 要配慮 words in one automaton (ASCII letters ignoring case, as
/// the recognizers compare them): one pass over a cell instead of a search per word.
static TRIGGER_WORDS: std::sync::LazyLock<aho_corasick::AhoCorasick> =
    std::sync::LazyLock::new(|| {
        let words = NAME_WORDS
            .iter()
            .chain(ASCII_WORDS)
            .chain(OTHER_WORDS)
            .copied()
            .chain(lx::SPECIAL_CARE_WORDS.iter().map(|(w, _)| *w));
        aho_corasick::AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .build(words)
            .expect("static trigger word list builds")
    });

impl Traits {
    /// The traits of `s` (raw, not yet normalised).
    pub(crate) fn of(s: &str) -> Self {
        let b = s.as_bytes();
        let mut t = Traits {
            plain: true,
            digits: 0,
            era_mark: false,
            trigger: false,
        };
        let (mut letters, mut wide) = (false, false);
        let mut i = 0;
        while i < b.len() {
            let x = b[i];
            if x < 0x80 {
                match x {
                    b'0'..=b'9' => t.digits += 1,
                    b'.' => t.era_mark = true,
                    b'@' => t.trigger = true,
                    b'A'..=b'Z' | b'a'..=b'z' => letters = true,
                    _ => {}
                }
                i += 1;
                continue;
            }
            let cp = match b.get(i..i + 3) {
                Some(&[x0, x1, x2]) if (0xE3..=0xE9).contains(&x0) => {
                    (u32::from(x0 & 0x0F) << 12)
                        | (u32::from(x1 & 0x3F) << 6)
                        | u32::from(x2 & 0x3F)
                }
                _ => 0,
            };
            if !plain_wide(cp) {
                t.plain = false;
                return t;
            }
            match cp {
                0x5E74 => t.era_mark = true,                                    // 年
                0x5E02 | 0x533A | 0x753A | 0x6751 | 0x90E1 => t.trigger = true, // 市区町村郡
                _ => {}
            }
            wide = true;
            i += 3;
        }
        if t.trigger || !(letters || wide) {
            return t;
        }
        t.trigger = TRIGGER_WORDS.is_match(s);
        t
    }

    /// The traits of `"{self}: {other}"`.
    pub(crate) fn join(self, other: Traits) -> Traits {
        Traits {
            plain: self.plain && other.plain,
            digits: self.digits + other.digits,
            era_mark: self.era_mark || other.era_mark,
            trigger: self.trigger || other.trigger,
        }
    }

    /// False when no recognizer can find anything in a text with these traits.
    pub(crate) fn may_hit(self) -> bool {
        !self.plain || self.trigger || self.digits >= 6 || (self.digits >= 2 && self.era_mark)
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::normalize::normalize_text;
    use crate::recognize::{RecognizeOptions, recognize};

    fn opts() -> RecognizeOptions {
        RecognizeOptions {
            reference_date: chrono::NaiveDate::from_ymd_opt(2025, 6, 1).expect("d"),
        }
    }

    #[test]
    fn no_word_contains_a_colon() {
        let all = NAME_WORDS
            .iter()
            .chain(ASCII_WORDS)
            .chain(OTHER_WORDS)
            .copied()
            .chain(lx::SPECIAL_CARE_WORDS.iter().map(|(w, _)| *w));
        for w in all {
            assert!(!w.contains(':'), "{w}");
        }
    }

    /// Header and cell fragments: labels of every recognizer, digits of every length, dates,
    /// era marks, e-mail, addresses, non-plain characters (full-width, half-width kana).
    pub(crate) const HEADS: &[&str] = &[
        "社員番号",
        "支店番号",
        "銀行名",
        "口座種別",
        "既往歴",
        "備考",
        "所属",
        "部署",
        "ID",
        "Code",
        "No.",
        "氏名",
        "名前",
        "Name",
        "NAME",
        "Employee Name",
        "Head of household",
        "続柄",
        "性別",
        "Gender",
        "SEX",
        "生年月日",
        "誕生日",
        "住所",
        "郵便番号",
        "電話",
        "携帯",
        "個人番号",
        "マイナンバー",
        "口座番号",
        "カード番号",
        "基礎年金番号",
        "免許証番号",
        "旅券番号",
        "パスポート",
        "在留カード",
        "病歴",
        "宗教",
        "religion",
        "Diagnosis",
        "メール",
        "注文番号",
        "品番",
        "年度",
        "入社年",
        "",
        "ｼｬｲﾝ",
        "区分",
        "市町村",
    ];

    pub(crate) const CELLS: &[&str] = &[
        "E0001",
        "517",
        "みずほ銀行",
        "普通",
        "当座",
        "なし",
        "あり",
        "高血圧",
        "仏教",
        "None",
        "山田 太郎",
        "ヤマダ タロウ",
        "Taro Yamada",
        "男",
        "女性",
        "male",
        "本人",
        "長女",
        "1980/05/12",
        "1980-5-12",
        "19800512",
        "昭和55年5月12日",
        "S55.5.12",
        "H1.1.1",
        "元年1月1日",
        "平成元年1月1日",
        "55.5",
        "12.3",
        "2024年",
        "3年",
        "1.2",
        "10.11",
        "東京都港区芝公園1-1",
        "大阪府大阪市北区",
        "港区",
        "〒100-0001",
        "100-0001",
        "1000001",
        "090-1234-5678",
        "09012345678",
        "9012345678",
        "03-1234-5678",
        "0312345678",
        "123456789018",
        "1234 5678 9018",
        "4111111111111111",
        "4111-1111-1111-1111",
        "7123456789012",
        "1234567",
        "12345678",
        "123456",
        "12345",
        "1234-567890",
        "301234567890",
        "AB1234567",
        "AB12345678CD",
        "ab1234567",
        "taro@example.co.jp",
        "TARO@EXAMPLE.COM",
        "@",
        "０９０ー１２３４ー５６７８",
        "１２３４５６７",
        "ＡＢ１２３４５６７",
        "ﾔﾏﾀﾞ ﾀﾛｳ",
        "①②③④⑤⑥⑦",
        "090ー1234ー5678",
        "12ー34",
        "Ｅ０００１",
        "e-0001",
        "name",
        "氏名 山田",
        "性別 男",
        "sex: F",
        "続柄 長男",
        "病歴 糖尿病",
        "市",
        "郡",
        "コーヒー",
        "2024.12.31",
        "R6.4.1",
        "M45.7.30",
        "1.2.3",
        "",
        " ",
        "-",
        "N/A",
        "社員名",
        "名前",
        "nameless",
        "Ｎａｍｅ 山田",
        "1234567890123456789",
        "0120-123-456",
    ];

    #[test]
    fn every_text_ruled_out_gives_no_hit() {
        let o = opts();
        let mut ruled_out = 0;
        for h in HEADS {
            let th = Traits::of(h);
            for c in CELLS {
                let text = normalize_text(&format!("{h}: {c}"));
                let joined = th.join(Traits::of(c));
                // The joined traits are those of the joined raw text.
                let direct = Traits::of(&format!("{h}: {c}"));
                assert_eq!(joined.may_hit(), direct.may_hit(), "{h}: {c}");
                let hits = recognize(&text, &o);
                if !joined.may_hit() {
                    ruled_out += 1;
                    assert!(hits.is_empty(), "{h}: {c} ruled out but gives {hits:?}");
                }
            }
        }
        // The filter must rule out the common cells, or it is useless.
        assert!(ruled_out > 300, "{ruled_out}");
        for (h, c) in [
            ("社員番号", "E0001"),
            ("支店番号", "517"),
            ("銀行名", "みずほ銀行"),
        ] {
            assert!(!Traits::of(h).join(Traits::of(c)).may_hit(), "{h}: {c}");
        }
    }

    #[test]
    fn texts_with_hits_are_never_ruled_out() {
        // Fragments joined two and three at a time, so labels and values meet in every order.
        let o = opts();
        let frags: Vec<&str> = HEADS.iter().chain(CELLS).copied().collect();
        for a in &frags {
            for b in &frags {
                let text = format!("{a} {b}");
                if !Traits::of(&text).may_hit() {
                    let hits = recognize(&normalize_text(&text), &o);
                    assert!(hits.is_empty(), "{text}: {hits:?}");
                }
            }
        }
    }

    fn rendered(s: &crate::table::TableScan) -> String {
        format!("{:?} {:?}", s.rows, s.flattened)
    }

    #[test]
    fn table_mode_gives_the_same_hits_with_and_without_the_filter() {
        let o = opts();
        let mut tables = Vec::new();
        for seed in [1, 7, 42] {
            let set = crate::evalgen::generate(seed).expect("evaluation set");
            for m in &set.messages {
                for a in &m.attachments {
                    let ex = crate::extract(
                        &a.name,
                        Some(a.content_type),
                        &a.bytes,
                        &Default::default(),
                    );
                    for d in ex.docs {
                        for b in d.blocks {
                            if let crate::extract::Block::Table(t) = b {
                                tables.push(t);
                            }
                        }
                    }
                }
            }
        }
        assert!(tables.len() >= 15, "{}", tables.len());
        // Every header fragment as an extra column next to a classified name column, with
        // every cell fragment as its values; and the same with the header row repeated.
        for h in HEADS {
            let mut rows = vec![vec![
                "氏名".to_string(),
                h.to_string(),
                "電話番号".to_string(),
            ]];
            for (k, c) in CELLS.iter().enumerate() {
                rows.push(vec![
                    format!("山田 {}", ["太郎", "花子", "一郎"][k % 3]),
                    c.to_string(),
                    c.to_string(),
                ]);
            }
            rows.push(vec![
                "".into(),
                "E0001".into(),
                "".into(),
                "090-1234-5678".into(),
            ]);
            tables.push(crate::extract::Table {
                label: format!("generated {h}"),
                rows,
            });
        }
        let mut with_hits = 0;
        for t in &tables {
            let fast = crate::table::scan_table_with(t, &o, true);
            let slow = crate::table::scan_table_with(t, &o, false);
            assert_eq!(rendered(&fast), rendered(&slow), "{}", t.label);
            with_hits += usize::from(!fast.rows.is_empty());
        }
        assert!(with_hits > 20, "{with_hits}");
    }
}

//! The region path against the whole-text pass: same hits (category, value, offsets,
//! confidence, 要配慮 kind, business flag) on evaluation bodies, padded bodies and texts
//! built to put values, labels and context words at region edges and window limits.

use super::*;
use crate::normalize::normalize_text;
use crate::recognize::prefilter::Traits;
use crate::recognize::{RecognizeOptions, recognize, recognize_whole};

fn opts() -> RecognizeOptions {
    RecognizeOptions {
        reference_date: chrono::NaiveDate::from_ymd_opt(2025, 6, 1).expect("d"),
    }
}

/// Compares both paths on `raw` (normalised first); true when the region path skipped text.
fn same_hits(raw: &str) -> bool {
    let text = normalize_text(raw);
    let whole = format!("{:?}", recognize_whole(&text, &opts()));
    let split = format!("{:?}", recognize(&text, &opts()));
    assert_eq!(split, whole, "text: {text:?}");
    let regions = hot_regions(&text);
    let mut prev = 0;
    for &(from, to) in &regions {
        assert!(from >= prev && from < to && to <= text.len(), "{regions:?}");
        assert!(from == 0 || text.as_bytes()[from - 1] == b'\n');
        assert!(to == text.len() || text.as_bytes()[to - 1] == b'\n');
        // Everything between regions is cold.
        for line in text[prev..from].split_inclusive('\n') {
            assert!(!Traits::of(line).may_hit(), "{line:?}");
        }
        prev = to;
    }
    text.len() >= MIN_SPLIT && regions.iter().map(|r| r.1 - r.0).sum::<usize>() < text.len()
}

const PROSE: &str = "お世話になっております。先日の打ち合わせの件につきまして、資料を添付いたしますのでご確認ください。\n";

#[test]
fn windows_stay_inside_the_margin() {
    for w in crate::context::all_words() {
        assert!(!w.contains('\n') && w.len() <= 32, "{w:?}");
    }
}

#[test]
fn evaluation_bodies_give_the_same_hits() {
    let mut skipped = 0;
    for seed in 1..=4 {
        let set = crate::evalgen::generate(seed).expect("generate");
        let mut all = String::new();
        for m in &set.messages {
            same_hits(&m.body);
            // As in the benchmark pool: the body followed by business prose.
            let padded = format!("{}{}", m.body, PROSE.repeat(20));
            skipped += usize::from(same_hits(&padded));
            // Prose before, between every line and after.
            let mut inter = PROSE.repeat(8);
            for line in m.body.split_inclusive('\n') {
                inter.push_str(line);
                inter.push_str(&PROSE.repeat(seed as usize));
            }
            skipped += usize::from(same_hits(&inter));
            all.push_str(&m.body);
            all.push('\n');
        }
        skipped += usize::from(same_hits(&all));
    }
    assert!(
        skipped > 50,
        "the region path was taken only {skipped} times"
    );
}

#[test]
fn values_labels_and_context_words_at_region_edges() {
    // Hot snippets, each also split over lines, and cold lines holding context words
    // (labels that are not trigger words themselves) at every distance around the window.
    let snippets = [
        "個人番号：1234 5678 9018",
        "123456789018",
        "マイナンバー\n123456789018",
        "注文番号 123456789018",
        "携帯 090-1234-5678",
        "09012345678",
        "FAX 03-1234-5678",
        "〒100-0001 東京都千代田区千代田1-1",
        "東京都千代田区千代田1-1",
        "住所\n東京都千代田区千代田",
        "生年月日 1985年4月1日",
        "1985/04/01",
        "昭和60年4月1日生まれ",
        "平成元年1月8日",
        "S60.4.1",
        "氏名 山田 太郎",
        "氏名\n山田 太郎",
        "Full Name: Taro Yamada",
        "company name: Sample",
        "フリガナ ヤマダ タロウ",
        "世帯主の氏名 山田 一郎",
        "続柄 長男",
        "性別 男",
        "Gender: female",
        "mail: taro.yamada@example.co.jp",
        "既往歴 高血圧",
        "既往歴：なし",
        "口座番号 1234567",
        "普通\n1234567",
        "カード番号 4111 1111 1111 1111",
        "4111111111111111",
        "旅券番号 TK1234567",
        "在留カード AB12345678CD",
        "基礎年金番号 1234-567890",
        "法人番号 7000012050002",
        "ＴＥＬ：０３ー１２３４ー５６７８",
        "ｶﾞｲｺｸｼﾞﾝ 123",
    ];
    let labels = [
        "",
        "個人番号",
        "注文番号",
        "生年月日",
        "住所",
        "口座番号",
        "普通",
        "旅券番号",
        "在留カード",
        "所在地",
        "基礎年金番号",
        "代表",
        "FAX",
        "カード番号",
        "携帯",
    ];
    let mut skipped = 0;
    for snippet in snippets {
        for label in labels {
            // Distance from the label line to the snippet: around 120 and the margin.
            for gap in [
                0usize, 1, 2, 30, 36, 38, 39, 40, 41, 42, 80, 83, 84, 85, 86, 90,
            ] {
                let mut t = PROSE.repeat(12);
                t.push_str(label);
                t.push('\n');
                t.push_str(&"あ".repeat(gap));
                t.push('\n');
                t.push_str(snippet);
                t.push('\n');
                // Cold text after, of a length around the forward windows.
                t.push_str(&"い".repeat(gap / 3));
                t.push_str("生\n");
                t.push_str(&PROSE.repeat(gap % 13));
                skipped += usize::from(same_hits(&t));
                // Without a final line break, and with CRLF lines.
                skipped += usize::from(same_hits(t.trim_end()));
                skipped += usize::from(same_hits(&t.replace('\n', "\r\n")));
            }
        }
        // The snippet at the very start and the very end of a long text.
        same_hits(&format!("{snippet}\n{}", PROSE.repeat(30)));
        same_hits(&format!("{}{snippet}", PROSE.repeat(30)));
        same_hits(&format!(
            "{}{snippet}\n{}",
            PROSE.repeat(30),
            PROSE.repeat(30)
        ));
    }
    assert!(skipped > 1000, "{skipped}");
}

#[test]
fn hot_lines_are_found_wherever_they_are() {
    let t = normalize_text(&format!(
        "{}氏名 山田 太郎\n{}個人番号 1234\n{}",
        PROSE.repeat(10),
        PROSE.repeat(10),
        PROSE.repeat(10)
    ));
    let regions = hot_regions(&t);
    assert_eq!(regions.len(), 1, "{regions:?}");
    let name = t.find("氏名").expect("name");
    assert!(regions[0].0 < name && name - regions[0].0 >= MARGIN);
    assert!(regions[0].1 - name >= MARGIN && regions[0].1 < t.len());
    // `個人番号 1234` has too few digits: a cold line.
    let far = format!("{}{}", t, PROSE.repeat(20));
    assert_eq!(hot_regions(&far), regions);
}

#[test]
fn line_test_agrees_with_the_prefilter_traits() {
    use crate::recognize::prefilter::tests::{CELLS, HEADS};
    let mut lines: Vec<String> = vec![
        String::new(),
        "\n".into(),
        "12345\n".into(),
        "123456".into(),
        "1.2".into(),
        "年12".into(),
        "a@".into(),
        "NAME".into(),
        "nAmE\n".into(),
        "ｶﾅ".into(),
        "é".into(),
        "𠮷野家".into(),
        "　".into(),
        "市".into(),
        "ヶ".into(),
        "HeAd of".into(),
        "Sex".into(),
        "GENDER".into(),
        "宗教".into(),
        "religion".into(),
        PROSE.into(),
    ];
    for w in trigger_words() {
        lines.push(w.into());
        lines.push(format!("あ{}", w.to_ascii_uppercase()));
        let mut cut = w.to_string();
        cut.pop();
        lines.push(cut);
    }
    for h in HEADS {
        for c in CELLS {
            lines.push(format!("{h}: {c}"));
            lines.push(format!("{h}{c}\n"));
        }
    }
    for seed in 1..=3 {
        for m in crate::evalgen::generate(seed).expect("generate").messages {
            for l in m.body.split_inclusive('\n') {
                lines.push(l.into());
                lines.push(normalize_text(l));
            }
        }
    }
    for l in &lines {
        assert_eq!(line_may_hit(l), Traits::of(l).may_hit(), "{l:?}");
    }
    // Whole texts: the lines reported hot are exactly the lines `Traits` calls hot.
    let mut texts: Vec<String> = vec![lines.concat(), lines.join("\n"), lines.join("\r\n")];
    for seed in 1..=3 {
        for m in crate::evalgen::generate(seed).expect("generate").messages {
            texts.push(m.body.clone());
            texts.push(normalize_text(&m.body));
            texts.push(format!("{}{}", PROSE.repeat(3), m.body.trim_end()));
        }
    }
    for t in &texts {
        let mut got = Vec::new();
        for_each_hot_line(t.as_bytes(), |s, e| got.push((s, e)));
        let mut want = Vec::new();
        let mut at = 0;
        for l in t.split_inclusive('\n') {
            if Traits::of(l).may_hit() {
                want.push((at, at + l.len()));
            }
            at += l.len();
        }
        assert_eq!(got, want, "{t:?}");
    }
}

/// The line test on one line.
fn line_may_hit(line: &str) -> bool {
    let mut hot = false;
    for_each_hot_line(line.as_bytes(), |_, _| hot = true);
    hot
}

#[test]
fn the_class_table_names_every_trigger_word_start() {
    let lc = &*LINE_CLASSES;
    assert!(
        lc.groups.len() + usize::from(WORD) <= 256,
        "{}",
        lc.groups.len()
    );
    for w in trigger_words() {
        let c = w.chars().next().expect("non-empty word");
        let class = if c.is_ascii() {
            lc.ascii[c as usize]
        } else {
            lc.wide[c as usize - WIDE_BASE]
        };
        assert!(class >= WORD, "{w}");
        assert!(
            lc.groups[usize::from(class - WORD)].contains(&w.as_bytes()),
            "{w}"
        );
    }
}

//! The raw-text path (`normalize_and_recognize`) against normalising the whole text and
//! recognising it in one pass: same normal form, same hits (category, value, offsets,
//! confidence, 要配慮 kind, business flag) on evaluation bodies and attachment texts, and on
//! texts built to put characters normalisation changes (full-width digits and letters,
//! half-width kana, combining marks, CP932 symbols, `ー` between digits) at region edges and
//! cold lines that shrink when normalised around the margin.

use super::*;
use crate::normalize::normalize_text;
use crate::recognize::{RecognizeOptions, normalize_and_recognize, recognize_whole};

fn opts() -> RecognizeOptions {
    RecognizeOptions {
        reference_date: chrono::NaiveDate::from_ymd_opt(2025, 6, 1).expect("d"),
    }
}

/// Compares both paths on `raw`; true when the raw path left text out of its regions.
fn same_raw(raw: &str) -> bool {
    let (norm, hits) = normalize_and_recognize(raw, &opts());
    let whole_norm = normalize_text(raw);
    assert_eq!(norm, whole_norm, "raw: {raw:?}");
    let whole = format!("{:?}", recognize_whole(&whole_norm, &opts()));
    assert_eq!(format!("{hits:?}"), whole, "raw: {raw:?}");
    let (regions, digit_lines) = raw_hot_regions(raw);
    // The cold lines reported are exactly those with two ASCII digits or more.
    let mut want = Vec::new();
    let mut at = 0;
    for l in raw.split_inclusive('\n') {
        let digits = l.bytes().filter(u8::is_ascii_digit).count();
        if digits >= 2 && !crate::recognize::prefilter::Traits::of(l).may_hit() {
            want.push((at, at + l.len()));
        }
        at += l.len();
    }
    assert_eq!(digit_lines, want, "raw: {raw:?}");
    raw.len() >= MIN_SPLIT && regions.iter().map(|r| r.1 - r.0).sum::<usize>() < raw.len()
}

const PROSE: &str = "お世話になっております。先日の打ち合わせの件につきまして、資料を添付いたしますのでご確認ください。\n";

/// Cold lines whose normal form is shorter (`ー` between digits folds to `-`).
const SHRINKING: &str = "1ー2ー3ー4ー5\n";

#[test]
fn cold_lines_copy_as_their_normal_form() {
    for cold in [
        "",
        "ー",
        "1ー2",
        "1ーー2",
        "ー1ー",
        "12ー34ー56ーa",
        "コーヒー 3ー4 ー5",
        SHRINKING,
        PROSE,
        "a\r\n1ー\r\n2ー3\n",
    ] {
        let mut out = String::from("x");
        push_cold(&mut out, cold);
        assert_eq!(out, format!("x{}", normalize_text(cold)), "{cold:?}");
    }
    // A cold line's normal form is at least half its length (the margin argument).
    for l in SHRINKING.split_inclusive('\n') {
        assert!(normalize_text(l).len() * 2 >= l.len());
    }
}

#[test]
fn evaluation_bodies_and_attachment_texts() {
    let mut skipped = 0;
    for seed in 1..=4 {
        let set = crate::evalgen::generate(seed).expect("generate");
        for m in &set.messages {
            same_raw(&m.body);
            skipped += usize::from(same_raw(&format!("{}{}", m.body, PROSE.repeat(20))));
            let mut inter = PROSE.repeat(8);
            for line in m.body.split_inclusive('\n') {
                inter.push_str(line);
                inter.push_str(&SHRINKING.repeat(seed as usize));
                inter.push_str(&PROSE.repeat(seed as usize));
            }
            skipped += usize::from(same_raw(&inter));
            for a in &m.attachments {
                let ex = crate::extract::extract(&a.name, None, &a.bytes, &Default::default());
                for d in ex.docs {
                    for b in d.blocks {
                        if let crate::extract::Block::Text(t) = b {
                            skipped += usize::from(same_raw(&t));
                            skipped += usize::from(same_raw(&format!("{}{t}", PROSE.repeat(20))));
                        }
                    }
                }
            }
        }
    }
    assert!(
        skipped > 100,
        "the raw region path was taken only {skipped} times"
    );
}

#[test]
fn changed_characters_and_shrinking_lines_at_region_edges() {
    // Raw snippets: each has characters normalisation changes.
    let snippets = [
        "個人番号：１２３４ ５６７８ ９０１８",
        "１２３４５６７８９０１８",
        "携帯：０９０ー１２３４ー５６７８",
        "090ー1234ー5678",
        "ＴＥＬ　０３－１２３４－５６７８",
        "〒１００－０００１　東京都千代田区千代田１－１",
        "生年月日　１９８５年４月１日",
        "昭和６０年４月１日生",
        "ﾌﾘｶﾞﾅ ﾔﾏﾀﾞ ﾀﾛｳ",
        "氏名　ﾔﾏﾀﾞ ﾀﾛｳ",
        "Ｆｕｌｌ Ｎａｍｅ： Ｔａｒｏ Ｙａｍａｄａ",
        "ｍａｉｌ： ｔａｒｏ＠ｅｘａｍｐｌｅ.ｃｏ.ｊｐ",
        "口座番号 ①②③④⑤⑥⑦",
        "㈱サンプル 代表 03-1234-5678",
        "既往歴：高血圧～治療中",
        "カ\u{3099}ード番号 4111 1111 1111 1111",
        "\u{3099}旅券番号 TK1234567",
        "e\u{301}tudiant 1985/04/01 生",
        "髙橋 様 在留カード ＡＢ１２３４５６７８ＣＤ",
    ];
    // Cold label lines (context words that are not trigger words) before the value.
    let labels = [
        "",
        "口座番号",
        "個人番号",
        "注文番号",
        "生年月日",
        "住所",
        "携帯",
    ];
    let mut skipped = 0;
    for snippet in snippets {
        for label in labels {
            for gap in [0usize, 1, 5, 6, 7, 8, 12, 16, 17, 18] {
                let mut t = PROSE.repeat(12);
                t.push_str(label);
                t.push('\n');
                // `gap` shrinking lines: 18 raw bytes, 10 normalised each.
                t.push_str(&SHRINKING.repeat(gap));
                t.push_str(snippet);
                t.push('\n');
                t.push_str(&SHRINKING.repeat(gap / 2));
                t.push_str("生\n");
                t.push_str(&PROSE.repeat(gap % 7));
                skipped += usize::from(same_raw(&t));
                skipped += usize::from(same_raw(t.trim_end()));
                skipped += usize::from(same_raw(&t.replace('\n', "\r\n")));
            }
        }
        same_raw(&format!("{snippet}\n{}", PROSE.repeat(30)));
        same_raw(&format!("{}{snippet}", PROSE.repeat(30)));
        same_raw(&format!(
            "{}\n{snippet}\n{}",
            PROSE.repeat(30),
            SHRINKING.repeat(40)
        ));
    }
    assert!(skipped > 1000, "{skipped}");
}

#[test]
fn cp932_text_decoded_and_short_texts() {
    let sample = "社員各位\n氏名：山田　太郎（ﾔﾏﾀﾞ ﾀﾛｳ）\n電話：０３－１２３４－５６７８\n№１２３ ㈱ ～ ∥ ￢ ①\n";
    let (bytes, _, _) = encoding_rs::SHIFT_JIS.encode(sample);
    let (decoded, _, _) = encoding_rs::SHIFT_JIS.decode(&bytes);
    for t in [
        decoded.to_string(),
        format!("{}{decoded}{}", PROSE.repeat(15), PROSE.repeat(15)),
        String::new(),
        "\n".into(),
        "個人番号 123456789018".into(),
    ] {
        same_raw(&t);
    }
}

//! Japanese-language signals: C1, C2, C3 (unnatural / machine-translated Japanese) and C7
//! (urgency + credential lures with a link). JAPAN.md §1c.
//!
//! Each signal is a measurable, explainable pattern, chosen because natural business Japanese
//! almost never produces it while machine translation from Chinese/English often does:
//! - C1 simplified-Chinese-only Han glyphs (not encodable in CP932, e.g. 营 账 请 记), plus two
//!   density signals: half-width katakana in running text, and a kanji share of the Japanese
//!   letters above 70 % (Chinese-like; natural business mail is 30–55 %).
//! - C2 Chinese-style grammar: polite sentence end followed by 、 (comma splice, from "，"),
//!   and impossible particle sequences (をを, がを, をは, にを …).
//! - C3 honorific errors and calques: ご〜してください, double keigo (おっしゃられる, お〜になられる),
//!   尊敬する/親愛なるお客様, お客様様, 拝見してください, and "あなたの/私たちは" in business mail.
//!
//! All three decay against fluent LLM-written phishing (JAPAN.md caveat), which is why their
//! weights are below the structural H/L signals.

use std::sync::LazyLock;

use regex::Regex;

use super::text::{Link, host_in};
use super::{AnalysisContext, Reason, Span, SpanField};
use crate::message::MailMessage;

/// C1 weight (simplified glyphs in Japanese text).
pub const W_C1: f64 = 3.0;
/// C2 weight (two or more hits; one hit: 1.5).
pub const W_C2: f64 = 2.5;
/// C3 weight (two or more hits; one hit: 2.0).
pub const W_C3: f64 = 3.0;
/// C7 weight (urgency + credential words + an external link).
pub const W_C7: f64 = 2.0;

/// Jōyō / name kanji outside JIS X 0208 that Japanese text legitimately uses.
const C1_ALLOWED: &[char] = &['𠮟', '塡', '剝', '頰', '𩸽', '𠀋'];

static COMMA_SPLICE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(ました|ます|です|ください|でした|ません)、").expect("c2 regex"));
static BAD_PARTICLES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\p{Han}(をを|がが|をが|がを|をは|はを|にを|がは|をに|でを|をで)")
        .expect("particle regex")
});
static HONORIFIC_ERRORS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"ご(確認|返信|連絡|対応|入力|登録|提出|利用|記入|検討|協力|了承)して(ください|下さい)",
        r"|おっしゃられ|ご覧になられ|お見えになられ|お越しになられ|お(\p{Hiragana}{1,3}|\p{Han}{1,2})になられ",
        r"|拝見して(ください|下さい)|拝見ください",
        r"|(尊敬する|尊敬的な?|親愛なる)(お客様|顧客|ユーザー|会員|皆様|お客さま)",
        r"|お客様様|様様",
        r"|あなたの(アカウント|パスワード|メール|情報|口座|カード)",
        r"|私たちは|私たちの(チーム|会社|システム)",
    ))
    .expect("c3 regex")
});
static URGENCY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)至急|緊急|本日中|24時間以内|48時間以内|72時間以内|直ちに|ただちに|速やかに|停止|制限|凍結|ロック|無効|失効|urgent|immediately|suspend").expect("urgency regex")
});
static CREDENTIAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)パスワード|認証|ログイン|サインイン|本人確認|アカウント|再設定|カード情報|暗証番号|お支払い情報|支払い方法|セキュリティコード|password|verify|sign in|log in").expect("credential regex")
});

fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FA1F}')
}

fn is_kana(c: char) -> bool {
    matches!(c, '\u{3041}'..='\u{309F}' | '\u{30A0}'..='\u{30FF}')
}

/// True when CP932 (Shift_JIS as Windows uses it) can encode `c`.
fn cp932_encodes(c: char) -> bool {
    let mut b = [0u8; 4];
    !encoding_rs::SHIFT_JIS.encode(c.encode_utf8(&mut b)).2
}

/// Encodability of every CJK Unified Ideograph (U+4E00–U+9FFF) in CP932, one bit each, built
/// once: a table lookup per character instead of running the encoder over every mail.
static CP932_HAN: LazyLock<Vec<u64>> = LazyLock::new(|| {
    let mut bits = vec![0u64; (0xA000 - 0x4E00) / 64 + 1];
    for cp in 0x4E00u32..0xA000 {
        if char::from_u32(cp).is_some_and(cp932_encodes) {
            let i = (cp - 0x4E00) as usize;
            bits[i / 64] |= 1 << (i % 64);
        }
    }
    bits
});

/// Han characters of `text` that CP932 (Shift_JIS as Windows uses it) cannot encode, with
/// their byte offsets.
pub fn unencodable_han(text: &str) -> Vec<(usize, char)> {
    let table = &*CP932_HAN;
    text.char_indices()
        .filter(|(_, c)| {
            let cp = *c as u32;
            if (0x4E00..0xA000).contains(&cp) {
                let i = (cp - 0x4E00) as usize;
                table[i / 64] & (1 << (i % 64)) == 0
            } else {
                is_han(*c) && !cp932_encodes(*c)
            }
        })
        .filter(|(_, c)| !C1_ALLOWED.contains(c))
        .collect()
}

/// The text analysed for language signals: subject + body, without quoted lines (`>`), so a
/// reply quoting someone else's bad Japanese is not blamed on the sender.
fn own_text(msg: &MailMessage) -> String {
    let mut t = String::with_capacity(msg.text_body.len() + 128);
    if let Some(s) = &msg.subject {
        t.push_str(s);
        t.push('\n');
    }
    for line in msg.text_body.lines() {
        let l = line.trim_start();
        if l.starts_with('>') || l.starts_with('＞') {
            continue;
        }
        t.push_str(line);
        t.push('\n');
    }
    t
}

fn body_span(text: &str, start: usize, end: usize) -> Span {
    // widen to a little context for the reader, staying on char boundaries
    let s = text[..start]
        .char_indices()
        .rev()
        .nth(8)
        .map_or(0, |(i, _)| i);
    let e = text[end..]
        .char_indices()
        .nth(8)
        .map_or(text.len(), |(i, _)| end + i);
    Span::new(SpanField::TextBody, start, end, &text[s..e])
}

pub(super) fn check(msg: &MailMessage, out: &mut Vec<Reason>) {
    let text = own_text(msg);
    let (mut kana, mut han, mut halfwidth) = (0usize, 0usize, None);
    for (i, c) in text.char_indices() {
        if is_kana(c) {
            kana += 1;
        } else if is_han(c) {
            han += 1;
        } else if ('\u{FF66}'..='\u{FF9D}').contains(&c) && halfwidth.is_none() {
            halfwidth = Some(i);
        }
    }
    let japanese = kana >= 10 && kana * 10 >= (kana + han);
    if !japanese {
        return; // the language signals are for Japanese text only
    }

    // C1: simplified-only glyphs
    let bad = unencodable_han(&text);
    if let Some(&(at, _)) = bad.first() {
        let glyphs: String = bad.iter().map(|(_, c)| *c).take(10).collect();
        out.push(Reason::new(
            "C1",
            W_C1,
            format!("日本語の文中に中国語(簡体字)の字形があります: {glyphs}"),
            format!("Simplified-Chinese-only glyphs in Japanese text: {glyphs}"),
            body_span(
                &text,
                at,
                at + text[at..].chars().next().map_or(0, char::len_utf8),
            ),
        ));
    }
    if let Some(at) = halfwidth {
        out.push(Reason::new(
            "C1",
            1.0,
            "本文に半角カタカナが混在しています".into(),
            "Half-width katakana mixed into the text".into(),
            body_span(&text, at, at + 3),
        ));
    }
    if han + kana >= 200 && han * 10 > (han + kana) * 7 {
        let pct = han * 100 / (han + kana);
        let t = format!("kanji {pct}% of {} letters", han + kana);
        out.push(Reason::new(
            "C1",
            1.0,
            format!("漢字の比率が {pct}% と不自然に高い(中国語的な文体)"),
            format!("Kanji share {pct}% is unnaturally high (Chinese-like text)"),
            Span::whole(SpanField::TextBody, &t),
        ));
    }

    // C2: comma splices and impossible particle sequences
    let splices: Vec<_> = COMMA_SPLICE.find_iter(&text).collect();
    let particles: Vec<_> = BAD_PARTICLES.find_iter(&text).collect();
    let n = splices.len() + particles.len();
    if let Some(first) = splices.first().or(particles.first()) {
        let w = if n >= 2 { W_C2 } else { 1.5 };
        out.push(Reason::new(
            "C2",
            w,
            format!("機械翻訳に典型的な文法({n}箇所): 「{}」など(文末の読点・不自然な助詞の連続)", first.as_str()),
            format!("Machine-translation grammar ({n} places), e.g. \"{}\" (comma after a sentence end / impossible particle sequence)", first.as_str()),
            body_span(&text, first.start(), first.end()),
        ));
    }

    // C3: honorific errors and calques
    let hits: Vec<_> = HONORIFIC_ERRORS.find_iter(&text).collect();
    if let Some(first) = hits.first() {
        let w = if hits.len() >= 2 { W_C3 } else { 2.0 };
        out.push(Reason::new(
            "C3",
            w,
            format!(
                "敬語の誤り・直訳調の表現({}箇所): 「{}」など",
                hits.len(),
                first.as_str()
            ),
            format!(
                "Honorific errors / literal-translation phrases ({} places), e.g. \"{}\"",
                hits.len(),
                first.as_str()
            ),
            body_span(&text, first.start(), first.end()),
        ));
    }
}

/// C7: urgency and credential words together with a link outside the tenant.
pub(super) fn check_lures(
    msg: &MailMessage,
    ctx: &AnalysisContext<'_>,
    links: &[Link],
    out: &mut Vec<Reason>,
) {
    let external = links.iter().any(|l| {
        l.is_web()
            && l.host().is_some_and(|h| {
                !ctx.tenant_domains
                    .iter()
                    .chain(ctx.tenant_link_hosts.iter())
                    .any(|d| host_in(h, d))
            })
    });
    if !external {
        return;
    }
    let text = own_text(msg);
    let (Some(u), Some(c)) = (URGENCY.find(&text), CREDENTIAL.find(&text)) else {
        return;
    };
    out.push(Reason::new(
        "C7",
        W_C7,
        format!(
            "緊急性をあおる語「{}」と認証情報を求める語「{}」が外部リンクと一緒に使われています",
            u.as_str(),
            c.as_str()
        ),
        format!(
            "Urgency (\"{}\") and credential (\"{}\") wording together with an external link",
            u.as_str(),
            c.as_str()
        ),
        body_span(&text, u.start(), u.end()),
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn simplified_glyphs_are_found_and_japanese_kanji_are_not() {
        let bad: String = unencodable_han("株式会社营团社の账户を请确认")
            .iter()
            .map(|(_, c)| *c)
            .collect();
        // 营 团 账 户 请 确 认 are all simplified forms (営 団 帳 戸 請 確 認)
        assert_eq!(bad, "营团账户请确认");
        assert!(
            unencodable_han("髙橋様、﨑山様、御社の見積書と請求書を確認しました。𠮟る").is_empty()
        );
    }

    #[test]
    fn grammar_patterns_match_mt_but_not_natural_lines() {
        assert!(COMMA_SPLICE.is_match("ファイルを送りました、確認してください"));
        assert!(!COMMA_SPLICE.is_match("ファイルを送りましたので、ご確認ください。"));
        assert!(HONORIFIC_ERRORS.is_match("内容をご確認してください"));
        assert!(!HONORIFIC_ERRORS.is_match("内容をご確認ください"));
        assert!(BAD_PARTICLES.is_match("請求書をを確認"));
    }
}

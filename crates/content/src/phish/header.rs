//! Sender / header identity signals: H1, H3, H5, H7, H8, H9, H10, H11 (JAPAN.md §1a).

use std::net::IpAddr;
use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;

use super::lists::{BRANDS, FREEMAIL};
use super::text::{host_in, name_key, registrable, registrable_label};
use super::{AnalysisContext, Reason, Span, SpanField};
use crate::message::MailMessage;

/// H1 weight: From display name mirrors a recipient while the address differs.
pub const W_H1: f64 = 5.0;
/// H3 weight: display name carries another domain's address (+2 when it is a recipient's).
pub const W_H3: f64 = 4.0;
/// H5 weight: Reply-To on a freemail domain (different org domain: 1.5).
pub const W_H5: f64 = 3.0;
/// H7 weight: lookalike of an own/partner/brand domain (brand only in display name: 4).
pub const W_H7: f64 = 5.0;
/// H8 weight: first contact.
pub const W_H8: f64 = 1.0;
/// H9 weight: burst / fan-out.
pub const W_H9: f64 = 3.0;
/// H10 weight: submitted from an IP unseen for the sender.
pub const W_H10: f64 = 3.0;
/// H11 weight: no Sent Items copy.
pub const W_H11: f64 = 4.0;

static EMAIL_IN_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9._%+\-]+@([A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+)").expect("email regex")
});

pub(super) fn check(msg: &MailMessage, ctx: &AnalysisContext<'_>, out: &mut Vec<Reason>) {
    display_name_mirrors_recipient(msg, out);
    display_name_holds_other_address(msg, ctx, out);
    reply_to_elsewhere(msg, out);
    lookalike_sender(msg, ctx, out);
    context_signals(msg, ctx, out);
}

/// H1: From display name == a To/Cc display name (or local part), addresses differ.
fn display_name_mirrors_recipient(msg: &MailMessage, out: &mut Vec<Reason>) {
    let Some(from) = &msg.from else { return };
    let Some(from_name) = &from.name else { return };
    let fk = name_key(from_name);
    if fk.chars().count() < 2 {
        return;
    }
    for r in msg.to.iter().chain(msg.cc.iter()) {
        if r.address.is_some() && r.address == from.address {
            continue; // a note to self: same name AND same address
        }
        let by_name = r.name.as_deref().is_some_and(|n| name_key(n) == fk);
        let local = r
            .address
            .as_deref()
            .and_then(|a| a.split('@').next())
            .unwrap_or("");
        let by_local = !local.is_empty() && name_key(local) == fk;
        if by_name || by_local {
            let shown = r.name.clone().or(r.address.clone()).unwrap_or_default();
            let from_addr = from.address.clone().unwrap_or_default();
            out.push(Reason::new(
                "H1",
                W_H1,
                format!("差出人の表示名「{from_name}」が宛先「{shown}」の名前と同じですが、差出人アドレス({from_addr})は宛先本人のものではありません"),
                format!("From display name \"{from_name}\" equals the recipient \"{shown}\" but the From address ({from_addr}) is not the recipient's"),
                Span::whole(SpanField::From, from_name),
            ));
            return;
        }
    }
}

/// H3: the display name contains an address whose domain differs from the From domain.
fn display_name_holds_other_address(
    msg: &MailMessage,
    ctx: &AnalysisContext<'_>,
    out: &mut Vec<Reason>,
) {
    let Some(from) = &msg.from else { return };
    let Some(name) = &from.name else { return };
    let Some(cap) = EMAIL_IN_NAME.captures(name) else {
        return;
    };
    let (Some(whole), Some(dom)) = (cap.get(0), cap.get(1)) else {
        return;
    };
    let name_dom = dom.as_str().to_lowercase();
    let from_dom = from.domain().unwrap_or("");
    if registrable(&name_dom) == registrable(from_dom) {
        return;
    }
    let targets_recipient = msg
        .recipients()
        .filter_map(|r| r.domain())
        .chain(ctx.tenant_domains.iter().map(String::as_str))
        .any(|d| registrable(d) == registrable(&name_dom));
    let w = if targets_recipient { W_H3 + 2.0 } else { W_H3 };
    out.push(Reason::new(
        "H3",
        w,
        format!(
            "表示名にアドレス「{}」が含まれますが、実際の差出人ドメインは {from_dom} です",
            whole.as_str()
        ),
        format!(
            "Display name contains the address \"{}\" but the real From domain is {from_dom}",
            whole.as_str()
        ),
        Span::new(SpanField::From, whole.start(), whole.end(), whole.as_str()),
    ));
}

/// H5: Reply-To sends answers elsewhere (freemail: strong; another org: weak; lists: ignored).
fn reply_to_elsewhere(msg: &MailMessage, out: &mut Vec<Reason>) {
    let Some(from_dom) = msg.from.as_ref().and_then(|f| f.domain()) else {
        return;
    };
    let is_list = msg.header("List-Unsubscribe").is_some() || msg.header("List-Id").is_some();
    for rt in &msg.reply_to {
        let Some(rd) = rt.domain() else { continue };
        if registrable(rd) == registrable(from_dom) {
            continue;
        }
        let freemail = FREEMAIL.contains(&registrable(rd).as_str());
        if is_list && !freemail {
            continue;
        }
        let addr = rt.address.clone().unwrap_or_default();
        let (w, ja_kind, en_kind) = if freemail {
            (W_H5, "フリーメール", "freemail ")
        } else {
            (1.5, "別組織", "another organisation's ")
        };
        out.push(Reason::new(
            "H5",
            w,
            format!(
                "返信先(Reply-To) {addr} が差出人ドメイン {from_dom} と異なる{ja_kind}アドレスです"
            ),
            format!(
                "Reply-To {addr} is a {en_kind}address different from the From domain {from_dom}"
            ),
            Span::whole(SpanField::ReplyTo, &addr),
        ));
        return;
    }
}

/// Maps look-alike characters to one skeleton so `examp1e`, `ехample` (Cyrillic) and
/// `ex-ample` compare equal to `example`.
pub(super) fn skeleton(label: &str) -> String {
    let decoded = if label.contains("xn--") {
        idna::domain_to_unicode(label).0
    } else {
        label.to_string()
    };
    let mapped: String = decoded
        .nfkd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c) && *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .map(|c| match c {
            'а' | 'α' => 'a',
            'е' | 'ε' => 'e',
            'о' | 'ο' | '0' => 'o',
            'р' | 'ρ' => 'p',
            'с' | 'ϲ' => 'c',
            'у' | 'γ' => 'y',
            'х' | 'χ' => 'x',
            'і' | 'ι' | 'l' | '1' | '|' => 'i',
            'ј' => 'j',
            'ѕ' => 's',
            'ԁ' => 'd',
            'ɡ' => 'g',
            'ν' => 'v',
            'к' | 'κ' => 'k',
            'т' | 'τ' => 't',
            'н' => 'h',
            'м' => 'm',
            'в' => 'b',
            other => other,
        })
        .collect();
    mapped.replace("rn", "m").replace("vv", "w")
}

/// Edit distance with adjacent transpositions (optimal string alignment) on chars; labels
/// are short so the full table is cheap.
pub(super) fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        d[i * w] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(w) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
        }
    }
    d[a.len() * w + b.len()]
}

/// How `host` imitates `protected` (a registrable domain), if it does.
pub(super) fn imitates(host: &str, protected: &str) -> Option<&'static str> {
    let reg = registrable(host);
    if reg == protected || host_in(host, protected) {
        return None;
    }
    let (l, p) = (registrable_label(host), registrable_label(protected));
    if p.len() < 4 {
        return None;
    }
    if skeleton(&l) == skeleton(&p) {
        return Some("homoglyph/TLD");
    }
    let d = edit_distance(&l, &p);
    if (d == 1 && p.len() >= 5) || (d == 2 && p.len() >= 10) {
        return Some("typo");
    }
    if p.len() >= 5 && l.contains(&p) {
        return Some("contains");
    }
    None
}

/// True when `text` (NFKC, lower-case) names the brand as a word: not glued to other letters
/// of the same script, except before common service words (アマゾンカスタマーセンター).
pub(super) fn names_brand(text: &str, name: &str) -> bool {
    const SUFFIXES: &[&str] = &[
        "カスタマー",
        "サポート",
        "サービス",
        "ジャパン",
        "カード",
        "セキュリティ",
        "アカウント",
        "証券",
        "銀行",
        "お客様",
        "事務局",
        "センター",
        "公式",
    ];
    let kana = |c: char| ('\u{30A0}'..='\u{30FF}').contains(&c);
    let mut from = 0;
    while let Some(pos) = text[from..].find(name) {
        let s = from + pos;
        let e = s + name.len();
        let before = text[..s].chars().next_back();
        let after_str = &text[e..];
        let after = after_str.chars().next();
        let glued = |c: Option<char>| {
            c.is_some_and(|c| {
                let first = name.chars().next().unwrap_or(' ');
                (first.is_ascii_alphanumeric() && c.is_ascii_alphanumeric())
                    || (kana(first) && kana(c))
            })
        };
        if !glued(before) && (!glued(after) || SUFFIXES.iter().any(|x| after_str.starts_with(x))) {
            return true;
        }
        from = e;
    }
    false
}

/// H7: From domain imitates an own/partner/brand domain, or the display name claims a brand
/// whose domains the From domain is not.
fn lookalike_sender(msg: &MailMessage, ctx: &AnalysisContext<'_>, out: &mut Vec<Reason>) {
    let Some(from) = &msg.from else { return };
    let Some(dom) = from.domain() else { return };
    let addr = from.address.clone().unwrap_or_default();
    if ctx
        .tenant_domains
        .iter()
        .chain(ctx.partner_domains.iter())
        .any(|d| host_in(dom, d))
    {
        return; // the sender's domain is itself one of the protected domains
    }
    let own = ctx.tenant_domains.iter().chain(ctx.partner_domains.iter());
    for p in own {
        if let Some(how) = imitates(dom, &registrable(p)) {
            out.push(Reason::new(
                "H7",
                W_H7,
                format!("差出人ドメイン {dom} は自社/取引先ドメイン {p} の類似ドメインです({how})"),
                format!("From domain {dom} imitates the own/partner domain {p} ({how})"),
                Span::whole(SpanField::From, &addr),
            ));
            return;
        }
    }
    let reg = registrable(dom);
    let label = registrable_label(dom);
    let display = from
        .name
        .as_deref()
        .map(|n| n.nfkc().flat_map(char::to_lowercase).collect::<String>())
        .unwrap_or_default();
    for b in BRANDS {
        let official = b.domains.iter().any(|d| host_in(dom, d) || reg == *d);
        if official {
            continue;
        }
        if b.tokens.iter().any(|t| label.contains(t)) {
            out.push(Reason::new(
                "H7",
                W_H7,
                format!(
                    "差出人ドメイン {dom} はブランド「{}」の公式ドメインではない類似ドメインです",
                    b.names[0]
                ),
                format!(
                    "From domain {dom} imitates the brand \"{}\" but is not one of its domains",
                    b.names[0]
                ),
                Span::whole(SpanField::From, &addr),
            ));
            return;
        }
        if let Some(n) = b.names.iter().find(|n| names_brand(&display, n)) {
            let shown = from.name.clone().unwrap_or_default();
            out.push(Reason::new(
                "H7",
                4.0,
                format!("表示名「{shown}」はブランド「{n}」を名乗っていますが、差出人ドメイン {dom} はその公式ドメインではありません"),
                format!("Display name \"{shown}\" claims the brand \"{n}\" but the From domain {dom} is not one of its domains"),
                Span::whole(SpanField::From, &shown),
            ));
            return;
        }
    }
}

/// H8–H11: signals whose evidence comes from the analysis context.
fn context_signals(msg: &MailMessage, ctx: &AnalysisContext<'_>, out: &mut Vec<Reason>) {
    let from_addr = msg
        .from
        .as_ref()
        .and_then(|f| f.address.clone())
        .unwrap_or_default();
    if let Some(known) = ctx.known_senders
        && !from_addr.is_empty()
        && !known.contains(&from_addr)
    {
        out.push(Reason::new(
            "H8",
            W_H8,
            format!("{from_addr} からの初めてのメールです"),
            format!("First message from {from_addr} to this recipient"),
            Span::whole(SpanField::From, &from_addr),
        ));
    }
    if let Some(b) = ctx.burst {
        let needed = (5.0 * b.baseline_per_day).max(10.0);
        if b.distinct_recipients >= 20 && f64::from(b.same_content_messages) >= needed {
            let t = format!(
                "{} messages / {} recipients (baseline {:.1}/day)",
                b.same_content_messages, b.distinct_recipients, b.baseline_per_day
            );
            out.push(Reason::new(
                "H9",
                W_H9,
                format!(
                    "同じ内容のメールが {} 通・{} 宛先に一斉送信されています(通常は1日 {:.1} 通)",
                    b.same_content_messages, b.distinct_recipients, b.baseline_per_day
                ),
                format!("The same content went out as {t}"),
                Span::whole(SpanField::Context, &t),
            ));
        }
    }
    let ip = ctx.client_ip.or_else(|| {
        msg.header("X-Originating-IP").and_then(|v| {
            v.trim()
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<IpAddr>()
                .ok()
        })
    });
    if let (Some(ip), Some(known)) = (ip, ctx.known_client_ips)
        && !known.contains(&ip)
    {
        let t = ip.to_string();
        out.push(Reason::new(
            "H10",
            W_H10,
            format!("送信元IP {t} はこの利用者のサインイン履歴にありません"),
            format!("Submitted from {t}, an IP never seen in this user's sign-ins"),
            Span::whole(SpanField::Context, &t),
        ));
    }
    if ctx.not_in_sent_items {
        let id = msg.message_id.clone().unwrap_or_default();
        out.push(Reason::new(
            "H11",
            W_H11,
            format!(
                "メッセージ追跡には送信記録がありますが、送信済みアイテムにコピーがありません({id})"
            ),
            format!(
                "The message trace shows this message leaving, but Sent Items has no copy ({id})"
            ),
            Span::whole(SpanField::Context, &id),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookalikes_are_recognised() {
        assert_eq!(
            imitates("examp1e.co.jp", "example.co.jp"),
            Some("homoglyph/TLD")
        );
        assert_eq!(
            imitates("example.com", "example.co.jp"),
            Some("homoglyph/TLD")
        );
        assert_eq!(
            imitates("exarnple.co.jp", "example.co.jp"),
            Some("homoglyph/TLD")
        );
        assert_eq!(imitates("exampel.co.jp", "example.co.jp"), Some("typo"));
        assert_eq!(
            imitates("example-support.net", "example.co.jp"),
            Some("contains")
        );
        assert_eq!(imitates("mail.example.co.jp", "example.co.jp"), None);
        assert_eq!(imitates("sample.co.jp", "example.co.jp"), None);
    }

    #[test]
    fn brand_names_need_word_boundaries() {
        assert!(names_brand("amazon.co.jp", "amazon"));
        assert!(names_brand("アマゾンカスタマーセンター", "アマゾン"));
        assert!(!names_brand("株式会社アップルツリー", "アップル"));
        assert!(!names_brand("pineapple inc", "apple"));
    }
}

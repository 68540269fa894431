//! Individual phishing signals on hand-written messages: each fires on its pattern and stays
//! quiet on the look-alike benign case.

use content::parse::{Origin, parse_message};
use content::{AnalysisContext, CheckRecord, MailMessage, StyleBaseline, VerdictKind, analyze};

fn msg(raw: &str) -> MailMessage {
    parse_message(
        raw.as_bytes(),
        Origin {
            source: "t.eml",
            record: 0,
            format: "eml",
            folder: None,
        },
    )
    .expect("parses")
}

fn ctx() -> AnalysisContext<'static> {
    AnalysisContext::for_tenant(&["example.co.jp"], Some("example"))
}

fn ids(m: &MailMessage, c: &AnalysisContext<'_>) -> Vec<String> {
    analyze(m, c).reasons.into_iter().map(|r| r.id).collect()
}

#[test]
fn h1_fires_on_a_mirrored_name_but_not_on_a_note_to_self() {
    let phish = msg(
        "From: \"山田　太郎\" <k.tanaka@example.co.jp>\nTo: \"山田 太郎\" <t.yamada@partner.example>\nSubject: x\n\nhi\n",
    );
    let v = analyze(&phish, &ctx());
    let h1 = v.reasons.iter().find(|r| r.id == "H1").expect("H1");
    assert_eq!(h1.span.text, "山田　太郎");
    assert!(h1.ja.contains("山田") && h1.en.contains("k.tanaka@example.co.jp"));
    let note = msg(
        "From: 山田太郎 <t.yamada@example.co.jp>\nTo: \"山田 太郎\" <t.yamada@example.co.jp>\nSubject: memo\n\nmemo\n",
    );
    assert!(!ids(&note, &ctx()).contains(&"H1".to_string()));
    let by_local =
        msg("From: yamada <x@evil.example>\nTo: yamada@example.co.jp\nSubject: x\n\nhi\n");
    assert!(ids(&by_local, &ctx()).contains(&"H1".to_string()));
}

#[test]
fn l3_fires_on_a_dressed_link_but_not_on_tenant_sharepoint_or_real_attachments() {
    let html = |href: &str| {
        format!(
            "From: a@partner.example\nTo: b@example.co.jp\nSubject: s\nContent-Type: text/html; charset=utf-8\n\n<p><a href=\"{href}\">📎請求書.pdf</a></p>\n"
        )
    };
    let v = analyze(&msg(&html("https://files-view.example.top/d/1")), &ctx());
    let l3 = v.reasons.iter().find(|r| r.id == "L3").expect("L3");
    assert!(l3.span.text.contains("請求書.pdf") && l3.span.text.contains("files-view.example.top"));
    assert!(
        !ids(
            &msg(&html("https://example.sharepoint.com/:b:/s/x/E1")),
            &ctx()
        )
        .contains(&"L3".to_string())
    );
    assert!(
        !ids(
            &msg(&html("https://example-my.sharepoint.com/personal/a/E1")),
            &ctx()
        )
        .contains(&"L3".to_string())
    );
    let with_real = "From: a@partner.example\nTo: b@example.co.jp\nSubject: s\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/html\n\n<a href=\"https://x.example.net/v\">請求書.pdf</a>\n--b\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=\"請求書.pdf\"\n\n%PDF\n--b--\n";
    assert!(!ids(&msg(with_real), &ctx()).contains(&"L3".to_string()));
    let text_form = "From: a@partner.example\nTo: b@example.co.jp\nSubject: s\n\n📎 見積書.xlsx (120KB)\nhttps://dl.example.net/f/9\n";
    assert!(ids(&msg(text_form), &ctx()).contains(&"L3".to_string()));
}

#[test]
fn link_signals_l1_l4_l6_l7_l8() {
    let raw = "From: a@shop.example\nTo: b@example.co.jp\nSubject: s\nContent-Type: text/html\n\n\
        <a href=\"https://evil.example.net/x\">https://www.amazon.co.jp/</a>\
        <a href=\"https://bit.ly/abc\">short</a>\
        <a href=\"https://www.amazon.co.jp@evil.example.net/\">user</a>\
        <a href=\"https://xn--pple-43d.com/\">idn</a>\
        <a href=\"http://203.0.113.5/login\">ip</a>\n";
    let got = ids(&msg(raw), &ctx());
    for id in ["L1", "L4", "L6", "L7", "L8"] {
        assert!(got.contains(&id.to_string()), "{id} missing in {got:?}");
    }
}

#[test]
fn header_signals_h3_h5_h7() {
    let raw = "From: \"support@example.co.jp\" <help@examp1e.co.jp>\nReply-To: helpdesk.jp@gmail.com\nTo: b@example.co.jp\nSubject: s\n\nhi\n";
    let v = analyze(&msg(raw), &ctx());
    let h3 = v.reasons.iter().find(|r| r.id == "H3").expect("H3");
    assert_eq!(
        h3.weight, 6.0,
        "address in the name targets the recipient's domain"
    );
    assert!(v.has("H5") && v.has("H7"));
    assert_eq!(v.verdict, VerdictKind::Phishing);
    let brand =
        "From: Amazon.co.jp <info@mail-notice.example>\nTo: b@example.co.jp\nSubject: s\n\nhi\n";
    assert!(ids(&msg(brand), &ctx()).contains(&"H7".to_string()));
    let real =
        "From: Amazon.co.jp <store-news@amazon.co.jp>\nTo: b@example.co.jp\nSubject: s\n\nhi\n";
    assert!(!ids(&msg(real), &ctx()).contains(&"H7".to_string()));
}

#[test]
fn japanese_signals_c1_c2_c3_c7() {
    let raw = "From: a@partner.example\nTo: b@example.co.jp\nSubject: =?UTF-8?B?6LSm5oi344Gu56K66KqN?=\nContent-Type: text/plain; charset=utf-8\n\n\
        尊敬するお客様、請求書を送りました、ご確認してください。\n至急パスワードを更新してください、ありがとうございます。\nhttps://login.example.top/\n";
    let v = analyze(&msg(raw), &ctx());
    for id in ["C1", "C2", "C3", "C7"] {
        assert!(v.has(id), "{id} missing: {:?}", v.reasons);
    }
    let c1 = v.reasons.iter().find(|r| r.id == "C1").expect("C1");
    assert!(c1.ja.contains("账户"));
    let natural = "From: a@partner.example\nTo: b@example.co.jp\nSubject: =?UTF-8?B?6KaL56mN5pu444Gu6YCB5LuY?=\nContent-Type: text/plain; charset=utf-8\n\n\
        山田様\n\nいつもお世話になっております。\nご依頼の見積書を添付にてお送りいたします。\nご確認のほど、よろしくお願いいたします。\n";
    assert!(analyze(&msg(natural), &ctx()).reasons.is_empty());
}

#[test]
fn c6_fires_when_the_text_does_not_read_like_the_sender() {
    let past: Vec<String> = (0..12)
        .map(|i| format!("佐藤様\n\nいつもお世話になっております。東海部品の山田です。\n第{i}回の定例会議の議事録をお送りいたします。\n次回の日程は来週火曜日の午後を予定しております。\n引き続きよろしくお願いいたします。\n"))
        .collect();
    let b = StyleBaseline::train(past.iter().map(String::as_str)).expect("baseline");
    let mut c = ctx();
    c.baseline = Some(&b);
    let own = msg(
        "From: y@partner.example\nTo: s@example.co.jp\nSubject: s\nContent-Type: text/plain; charset=utf-8\n\n佐藤様\n\nいつもお世話になっております。東海部品の山田です。\n第20回の定例会議の議事録をお送りいたします。\n次回の日程は再来週木曜日の午前を予定しております。\n引き続きよろしくお願いいたします。\n",
    );
    assert!(!analyze(&own, &c).has("C6"));
    let alien = msg(
        "From: y@partner.example\nTo: s@example.co.jp\nSubject: s\nContent-Type: text/plain; charset=utf-8\n\nDear customer, your mailbox storage is full. Verify your account within 24 hours at the portal below to avoid suspension of service.\n",
    );
    assert!(analyze(&alien, &c).has("C6"));
}

#[test]
fn context_signals_h8_to_h11_and_the_jsonl_record() {
    let known = std::collections::HashSet::from(["friend@partner.example".to_string()]);
    let ips = std::collections::HashSet::from(["198.51.100.7".parse().expect("ip")]);
    let mut c = ctx();
    c.known_senders = Some(&known);
    c.known_client_ips = Some(&ips);
    c.client_ip = Some("203.0.113.200".parse().expect("ip"));
    c.burst = Some(content::BurstStats {
        same_content_messages: 300,
        distinct_recipients: 290,
        baseline_per_day: 12.0,
    });
    c.not_in_sent_items = true;
    let m = msg(
        "From: k.tanaka@example.co.jp\nTo: x@partner.example\nSubject: s\nMessage-ID: <id-1@example.co.jp>\n\nhi\n",
    );
    let v = analyze(&m, &c);
    for id in ["H8", "H9", "H10", "H11"] {
        assert!(v.has(id), "{id} missing");
    }
    assert_eq!(v.verdict, VerdictKind::Phishing);
    let rec = serde_json::to_value(CheckRecord::new(&m, &v)).expect("json");
    assert_eq!(rec["file"], "t.eml");
    assert_eq!(rec["message_id"], "id-1@example.co.jp");
    assert_eq!(rec["verdict"], "phishing");
    assert!(rec["reasons"][0]["ja"].is_string() && rec["reasons"][0]["span"]["field"].is_string());
}

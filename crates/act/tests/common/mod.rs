//! A small synthetic case modelled on the 2025 incident (all names, addresses and IPs are
//! synthetic: example domains, RFC 5737 documentation addresses), built in code.

#![allow(dead_code)]

use act::{
    CaseInputs, HiddenSend, MailVerdictLine, ScopeView, TimelineStats, Verdict, VerdictReason,
};
use chrono::{DateTime, Duration, TimeZone, Utc};
use model::{EvidenceRef, Finding, Incident, Severity};

pub const USER: &str = "tanaka@example.co.jp";
pub const ATTACKER_IP: &str = "192.0.2.10";
pub const SCRIPT_SUBJECT: &str = "<script>alert(1)</script>請求書のご確認";
pub const SCRIPT_UA: &str = "<script>alert('ua')</script>";
pub const FORMULA_SUBJECT: &str = "=cmd|' /C calc'!A0";
pub const REVEALED_RECIPIENT: &str = "k.suzuki@partner-a.example";
pub const SECRET_FILE: &str = "mail.pst!/受信トレイ/扶養控除等申告書_山田花子.xlsx";

pub fn at(h: u32, m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 6, 1, h, m, 0)
        .single()
        .expect("valid time")
}

fn ev(kind: &str, id: &str) -> EvidenceRef {
    EvidenceRef {
        kind: kind.into(),
        natural_id: id.into(),
    }
}

pub fn finding(
    id: &str,
    det: &str,
    sev: Severity,
    time: DateTime<Utc>,
    evidence: Vec<EvidenceRef>,
    ja: &str,
    en: &str,
) -> Finding {
    Finding {
        id: id.into(),
        tenant: "example-mfg".into(),
        incident_id: Some("inc-1".into()),
        detection: det.into(),
        severity: sev,
        user: Some(USER.into()),
        time,
        ips: vec![ATTACKER_IP.into()],
        countries: vec!["US".into()],
        attack: vec!["T1078.004".into()],
        reason_ja: ja.into(),
        reason_en: en.into(),
        evidence,
    }
}

pub fn takeover_incident(sev: Severity, detections: &[&str]) -> Incident {
    Incident {
        id: "inc-1".into(),
        tenant: "example-mfg".into(),
        user: Some(USER.into()),
        severity: sev,
        first_seen: at(2, 0),
        last_seen: at(3, 0),
        detections: detections.iter().map(|d| d.to_string()).collect(),
        attacker_ips: vec![ATTACKER_IP.into()],
        countries: vec!["US".into()],
        summary_ja: "アカウント乗っ取りの一連の流れ".into(),
        summary_en: "A full account takeover chain".into(),
        findings: vec![
            "f1".into(),
            "f2".into(),
            "f3".into(),
            "f4".into(),
            "f5".into(),
        ],
    }
}

/// scope.json in the pii crate's shape (schema_version 1).
pub fn scope_json(persons: u64) -> serde_json::Value {
    serde_json::json!({
        "schema_version": 1,
        "tenant_id": "example-mfg",
        "generated_at": "2025-06-05T12:00:00Z",
        "exposure": {"limited": true, "exposed_message_ids": 5000, "exposed_folders": ["受信トレイ", "送信済みアイテム"], "skipped_messages": 200},
        "messages": {"total": 5200, "by_year": {"2024": 2600, "2025": 2600}, "with_attachments": 300, "attachments": 420},
        "addresses": {"unique": 410, "internal": 60, "external": 350, "external_domain_count": 120,
                      "external_domains": {"partner-a.example": 40}, "found_only_in_bodies": 3},
        "persons": {"count": persons, "by_category": {"name": persons, "address": 60, "birth_date": persons, "head_of_household": 20},
                    "special_care_by_kind": {}, "records_before_dedup": 70},
        "business_contacts": {"signature_contacts": 30, "business_records": 12},
        "my_number_found": false,
        "my_number_low_confidence": 0,
        "bank_account_found": false,
        "card_found": false,
        "special_care_found": false,
        "corporate_numbers_seen": 2,
        "not_inspected": [{"path": "mail.pst!/受信トレイ/secret.zip", "reason": "encrypted_zip", "detail": "",
                           "message_ja": "パスワード付きZIPのため中身を確認できません（PPAP）",
                           "message_en": "password-protected zip (PPAP): contents not checked"}],
        "files": [{"path": SECRET_FILE, "message_id": "m1@example.co.jp", "persons": persons, "categories": ["name", "birth_date", "address"]}],
        "searched": {"messages": 5200, "attachments": 420, "documents_inspected": 419, "documents_not_inspected": 1, "bytes": 123456,
                     "categories": ["name", "birth_date", "address", "my_number", "bank_account", "card", "special_care"],
                     "not_found": [{"id": "my_number", "ja": "12桁の数字を検査桁（mod 11）と文脈語で確認", "en": "12-digit numbers checked with the mod-11 check digit and context words"}]},
        "ppc_report_required": true,
        "ppc_reasons": [{"id": "unauthorized_access", "ja": "不正アクセスによる漏えいのおそれ", "en": "possible leak by unauthorized access"}],
        "ppc_notes": [],
        "person_list": [],
        "revealed": false
    })
}

/// The whole synthetic case.
pub fn case() -> CaseInputs {
    let mut c = CaseInputs::new(
        "example-mfg",
        at(12, 0) + Duration::days(4),
        chrono_tz::Asia::Tokyo,
    );
    c.tenant_name = Some("Example Manufacturing".into());
    c.command_line =
        "mimamori investigate exports/ --out case --discovered-at 2025-06-05T01:00:00Z".into();
    c.discovered_at = Some(
        Utc.with_ymd_and_hms(2025, 6, 5, 1, 0, 0)
            .single()
            .expect("valid"),
    );
    c.elapsed = Some(std::time::Duration::from_secs(75));
    c.version = Some("0.1.0".into());
    c.findings = vec![
        finding(
            "f1",
            "new_country_sign_in",
            Severity::High,
            at(2, 0),
            vec![ev("sign_in", "si-1")],
            &format!("初めての国 US からのサインイン（ユーザーエージェント {SCRIPT_UA}）"),
            &format!("First sign-in from US (user agent {SCRIPT_UA})"),
        ),
        finding(
            "f2",
            "legacy_auth_success",
            Severity::High,
            at(2, 5),
            vec![ev("sign_in", "si-2")],
            "SMTP AUTH で成功",
            "SMTP AUTH success",
        ),
        finding(
            "f3",
            "mailbox_access_new_source",
            Severity::Medium,
            at(2, 30),
            vec![ev("audit", "a-1"), ev("audit", "a-2"), ev("audit", "a-3")],
            "新しい IP からの MailItemsAccessed",
            "MailItemsAccessed from a new IP",
        ),
        finding(
            "f4",
            "inbox_rule_suspicious",
            Severity::High,
            at(2, 40),
            vec![ev("audit", "a-4")],
            "受信トレイルール「<img src=x onerror=alert(2)>」が RSS フィードへ移動",
            "Inbox rule \"<img src=x onerror=alert(2)>\" moves mail to RSS Feeds",
        ),
        finding(
            "f5",
            "hidden_send",
            Severity::High,
            at(3, 0),
            vec![ev("message_trace", "mt-1")],
            "送信済みアイテムにない送信 30 通",
            "30 sends without a Sent Items copy",
        ),
    ];
    c.incidents = vec![
        takeover_incident(
            Severity::Critical,
            &[
                "new_country_sign_in",
                "legacy_auth_success",
                "mailbox_access_new_source",
                "inbox_rule_suspicious",
                "hidden_send",
            ],
        ),
        Incident {
            id: "inc-2".into(),
            tenant: "example-mfg".into(),
            user: None,
            severity: Severity::Medium,
            first_seen: at(1, 0),
            last_seen: at(1, 10),
            detections: vec!["password_spray".into()],
            attacker_ips: vec!["198.51.100.200".into()],
            countries: vec!["NL".into()],
            summary_ja: "パスワードスプレー（成功なし）".into(),
            summary_en: "Password spray (no success)".into(),
            findings: vec![],
        },
    ];
    let domains = [
        "partner-a.example",
        "partner-b.example",
        "partner-c.example",
    ];
    c.hidden_sends = (0..30)
        .map(|i| HiddenSend {
            tenant: "example-mfg".into(),
            user: USER.into(),
            time: at(3, 0) + Duration::minutes(i),
            recipient: if i == 0 {
                REVEALED_RECIPIENT.into()
            } else {
                format!("user{i}@{}", domains[(i % 3) as usize])
            },
            subject: Some(match i {
                0 => SCRIPT_SUBJECT.into(),
                1 => FORMULA_SUBJECT.into(),
                _ => "請求書のご確認".into(),
            }),
            message_id: Some(format!("msg{i}@example.co.jp")),
            client_ip: Some(ATTACKER_IP.into()),
        })
        .collect();
    let reason = |id: &str, ja: &str, en: &str| VerdictReason {
        id: id.into(),
        ja: ja.into(),
        en: en.into(),
        extra: Default::default(),
    };
    c.mail_verdicts = (0..6)
        .map(|i| MailVerdictLine {
            tenant: "example-mfg".into(),
            file: format!("mail/{i}.eml"),
            message_id: Some(format!("msg{i}@example.co.jp")),
            verdict: match i {
                0..=2 => Verdict::Phishing,
                3 => Verdict::Suspicious,
                _ => Verdict::Clean,
            },
            score: 10.0 - i as f64,
            reasons: if i < 4 {
                vec![
                    reason(
                        "display_name_mirrors_recipient",
                        "差出人の表示名が宛先と同じ",
                        "From display name equals the recipient",
                    ),
                    reason(
                        "link_disguised_as_attachment",
                        "添付ファイルに見せかけたリンク",
                        "Link dressed as an attachment",
                    ),
                ]
            } else {
                vec![]
            },
        })
        .collect();
    c.scope = Some(ScopeView::from_value(scope_json(64)));
    c.timeline = Some(TimelineStats {
        rows: 1000,
        marked: 12,
        first: Some(at(0, 0) - Duration::days(30)),
        last: Some(at(4, 0)),
        by_source: [
            ("sign_in".to_string(), 600),
            ("message_trace".to_string(), 400),
        ]
        .into_iter()
        .collect(),
    });
    c
}

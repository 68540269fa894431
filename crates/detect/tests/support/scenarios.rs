//! The fixture scenarios: for each detection, events that must fire it and events that must
//! not. `tests/fixtures.rs` writes them to `fixtures/<id>/*.jsonl` and runs them.

use model::Event;
use serde_json::json;

use super::*;

/// (detection id, file stem `fires_*` / `quiet_*`, events).
pub fn all() -> Vec<(&'static str, &'static str, Vec<Event>)> {
    let mut v = Vec::new();
    let mut add =
        |id: &'static str, name: &'static str, b: &mut Builder| v.push((id, name, b.done()));

    // new_country_sign_in
    add(
        "new_country_sign_in",
        "fires_smtp_from_us",
        Builder::new("ncs-f1").history(USER, 0, 10).sign_in(
            at(10, 600),
            USER,
            ATTACKER_IP,
            NEW_YORK,
            0,
            "Authenticated SMTP",
            false,
        ),
    );
    add(
        "new_country_sign_in",
        "fires_correct_password_blocked_by_mfa",
        Builder::new("ncs-f2").history(USER, 0, 10).sign_in(
            at(10, 600),
            USER,
            ATTACKER_IP,
            BERLIN,
            50074,
            "Browser",
            false,
        ),
    );
    add(
        "new_country_sign_in",
        "quiet_declared_trip",
        Builder::new("ncs-q1")
            .history("sato@example.co.jp", 0, 10)
            .sign_in(
                at(10, 600),
                "sato@example.co.jp",
                "192.0.2.77",
                NEW_YORK,
                0,
                "Browser",
                true,
            ),
    );
    add(
        "new_country_sign_in",
        "quiet_vpn_egress",
        Builder::new("ncs-q2").history(USER, 0, 10).sign_in(
            at(10, 600),
            USER,
            VPN_IP,
            SINGAPORE,
            0,
            "Browser",
            false,
        ),
    );

    // impossible_travel
    add(
        "impossible_travel",
        "fires_tokyo_then_berlin",
        Builder::new("itr-f1")
            .history(USER, 0, 10)
            .sign_in(at(10, 0), USER, HOME_IP, TOKYO, 0, "Browser", true)
            .sign_in(at(10, 90), USER, "192.0.2.99", BERLIN, 0, "Browser", true),
    );
    add(
        "impossible_travel",
        "quiet_flight_time",
        Builder::new("itr-q1")
            .history(USER, 0, 10)
            .sign_in(at(10, 0), USER, HOME_IP, TOKYO, 0, "Browser", true)
            .sign_in(at(11, 600), USER, "192.0.2.98", HANOI, 0, "Browser", true),
    );

    // legacy_auth_success
    add(
        "legacy_auth_success",
        "fires_imap_from_new_ip",
        Builder::new("las-f1").history(USER, 0, 10).sign_in(
            at(10, 600),
            USER,
            "192.0.2.55",
            TOKYO,
            0,
            "IMAP4",
            true,
        ),
    );
    add(
        "legacy_auth_success",
        "quiet_smtp_from_corporate",
        Builder::new("las-q1").history(USER, 0, 10).sign_in(
            at(10, 600),
            USER,
            CORP_IP,
            TOKYO,
            0,
            "Authenticated SMTP",
            false,
        ),
    );

    // password_spray
    let mut b = Builder::new("psp-f1");
    for (i, u) in ["a", "b", "c", "d", "e", "f"].iter().enumerate() {
        b.sign_in(
            at(5, i as i64 * 2),
            &format!("{u}@example.co.jp"),
            "192.0.2.88",
            BERLIN,
            50126,
            "Browser",
            false,
        );
    }
    add("password_spray", "fires_six_accounts", &mut b);
    let mut b = Builder::new("psp-q1");
    for (i, u) in ["a", "b", "c"].iter().enumerate() {
        b.sign_in(
            at(5, i as i64 * 2),
            &format!("{u}@example.co.jp"),
            "192.0.2.88",
            BERLIN,
            50126,
            "Browser",
            false,
        );
    }
    add("password_spray", "quiet_three_accounts", &mut b);

    // brute_force
    let mut b = Builder::new("brf-f1");
    for i in 0..12 {
        b.sign_in(
            at(5, i),
            USER,
            &format!("192.0.2.{}", 120 + i),
            BERLIN,
            50126,
            "Browser",
            false,
        );
    }
    add("brute_force", "fires_twelve_failures", &mut b);
    let mut b = Builder::new("brf-q1");
    for i in 0..4 {
        b.sign_in(at(5, i), USER, HOME_IP, TOKYO, 50126, "Browser", false);
    }
    add("brute_force", "quiet_four_typos", &mut b);

    // failures_then_success
    let mut b = Builder::new("fts-f1");
    b.history(USER, 0, 10);
    for i in 0..6 {
        b.sign_in(
            at(10, i),
            USER,
            "192.0.2.66",
            TOKYO,
            50126,
            "Browser",
            false,
        );
    }
    b.sign_in(at(10, 8), USER, "192.0.2.66", TOKYO, 0, "Browser", false);
    add(
        "failures_then_success",
        "fires_six_failures_then_success",
        &mut b,
    );
    let mut b = Builder::new("fts-q1");
    b.history(USER, 0, 10)
        .sign_in(at(10, 0), USER, HOME_IP, TOKYO, 50126, "Browser", true)
        .sign_in(at(10, 1), USER, HOME_IP, TOKYO, 0, "Browser", true);
    add("failures_then_success", "quiet_one_typo", &mut b);

    // sign_in_after_password_reset
    let admin = "admin@example.co.jp";
    add(
        "sign_in_after_password_reset",
        "fires_attacker_retries_after_reset",
        Builder::new("sar-f1")
            .history(USER, 0, 10)
            .sign_in(
                at(10, 60),
                USER,
                ATTACKER_IP,
                NEW_YORK,
                0,
                "Authenticated SMTP",
                false,
            )
            .directory(
                at(10, 300),
                "Reset user password",
                admin,
                USER,
                CORP_IP,
                &[],
            )
            .sign_in(
                at(10, 330),
                USER,
                ATTACKER_IP,
                NEW_YORK,
                50126,
                "Authenticated SMTP",
                false,
            ),
    );
    add(
        "sign_in_after_password_reset",
        "quiet_own_phone_retries",
        Builder::new("sar-q1")
            .history(USER, 0, 10)
            .directory(
                at(10, 300),
                "Reset user password",
                admin,
                USER,
                CORP_IP,
                &[],
            )
            .sign_in(
                at(10, 330),
                USER,
                HOME_IP,
                TOKYO,
                50126,
                "Exchange ActiveSync",
                false,
            ),
    );

    // mailbox_access_new_source
    let sync = json!({"MailboxOwnerUPN": USER, "OperationCount": 40, "OperationProperties": {"MailAccessType": "Sync"}, "Folders": [{"Path": "\\受信トレイ"}], "AppId": "00000002-0000-0ff1-ce00-000000000000"});
    add(
        "mailbox_access_new_source",
        "fires_sync_from_attacker_ip",
        Builder::new("man-f1")
            .history(USER, 0, 10)
            .sign_in(at(10, 60), USER, ATTACKER_IP, NEW_YORK, 0, "Browser", false)
            .audit(
                at(10, 70),
                USER,
                ATTACKER_IP,
                "MailItemsAccessed",
                sync.clone(),
            ),
    );
    add(
        "mailbox_access_new_source",
        "quiet_from_home",
        Builder::new("man-q1").history(USER, 0, 10).audit(
            at(10, 70),
            USER,
            HOME_IP,
            "MailItemsAccessed",
            sync,
        ),
    );

    // inbox_rule_suspicious
    add(
        "inbox_rule_suspicious",
        "fires_rss_mark_read_keywords",
        Builder::new("irs-f1").cmdlet(
            at(3, 0),
            USER,
            ATTACKER_IP,
            "New-InboxRule",
            &[
                ("Name", "整理"),
                ("MoveToFolder", "RSS フィード"),
                ("MarkAsRead", "True"),
                ("SubjectOrBodyContainsWords", "請求書;ウイルス"),
            ],
        ),
    );
    add(
        "inbox_rule_suspicious",
        "fires_forward_external",
        Builder::new("irs-f2").cmdlet(
            at(3, 0),
            USER,
            ATTACKER_IP,
            "New-InboxRule",
            &[("Name", "copy"), ("ForwardTo", "drop@mailbox.example.net")],
        ),
    );
    add(
        "inbox_rule_suspicious",
        "fires_client_side_forward",
        Builder::new("irs-f3").audit(at(3, 0), USER, ATTACKER_IP, "UpdateInboxRules", json!({"OperationProperties": {"RuleOperation": "AddMailboxRule", "RuleActions": "ForwardToRecipientsAction"}})),
    );
    add(
        "inbox_rule_suspicious",
        "quiet_newsletter_folder",
        Builder::new("irs-q1").cmdlet(
            at(3, 0),
            USER,
            HOME_IP,
            "New-InboxRule",
            &[
                ("Name", "ニュースレター整理"),
                ("From", "news@newsletter.example.com"),
                ("MoveToFolder", "ニュースレター"),
            ],
        ),
    );

    // inbox_rule_suspicious_name
    add(
        "inbox_rule_suspicious_name",
        "fires_dot",
        Builder::new("irn-f1").cmdlet(
            at(3, 0),
            USER,
            ATTACKER_IP,
            "New-InboxRule",
            &[("Name", "."), ("MoveToFolder", "アーカイブ")],
        ),
    );
    add(
        "inbox_rule_suspicious_name",
        "fires_one_japanese_character",
        Builder::new("irn-f2").cmdlet(
            at(3, 0),
            USER,
            ATTACKER_IP,
            "Set-InboxRule",
            &[("Name", "あ")],
        ),
    );
    add(
        "inbox_rule_suspicious_name",
        "quiet_normal_name",
        Builder::new("irn-q1").cmdlet(
            at(3, 0),
            USER,
            HOME_IP,
            "New-InboxRule",
            &[("Name", "ニュースレター整理")],
        ),
    );

    // mailbox_forwarding
    add(
        "mailbox_forwarding",
        "fires_external_smtp",
        Builder::new("mfw-f1").cmdlet(
            at(3, 0),
            USER,
            ATTACKER_IP,
            "Set-Mailbox",
            &[
                ("Identity", USER),
                ("ForwardingSmtpAddress", "smtp:drop@mailbox.example.net"),
                ("DeliverToMailboxAndForward", "False"),
            ],
        ),
    );
    add(
        "mailbox_forwarding",
        "quiet_forwarding_cleared",
        Builder::new("mfw-q1").cmdlet(
            at(3, 0),
            USER,
            CORP_IP,
            "Set-Mailbox",
            &[("Identity", USER), ("ForwardingSmtpAddress", "")],
        ),
    );

    // transport_rule_redirect
    add(
        "transport_rule_redirect",
        "fires_bcc_external",
        Builder::new("trr-f1").cmdlet(
            at(3, 0),
            "admin@example.co.jp",
            ATTACKER_IP,
            "New-TransportRule",
            &[
                ("Name", "archive"),
                ("BlindCopyTo", "drop@mailbox.example.net"),
            ],
        ),
    );
    add(
        "transport_rule_redirect",
        "quiet_disclaimer",
        Builder::new("trr-q1").cmdlet(
            at(3, 0),
            "admin@example.co.jp",
            CORP_IP,
            "New-TransportRule",
            &[
                ("Name", "disclaimer"),
                ("ApplyHtmlDisclaimerText", "社外秘"),
            ],
        ),
    );

    // mailbox_permission_grant
    add(
        "mailbox_permission_grant",
        "fires_full_access",
        Builder::new("mpg-f1").cmdlet(
            at(3, 0),
            "admin@example.co.jp",
            CORP_IP,
            "Add-MailboxPermission",
            &[
                ("Identity", USER),
                ("User", "helper@example.co.jp"),
                ("AccessRights", "FullAccess"),
            ],
        ),
    );
    add(
        "mailbox_permission_grant",
        "quiet_folder_rights_removed",
        Builder::new("mpg-q1").cmdlet(
            at(3, 0),
            USER,
            HOME_IP,
            "Set-MailboxFolderPermission",
            &[
                ("Identity", "tanaka@example.co.jp:\\予定表"),
                ("User", "Default"),
                ("AccessRights", "None"),
            ],
        ),
    );

    // outbound_send_burst
    let mut b = Builder::new("osb-f1");
    b.history(USER, 0, 10);
    for d in 0..9 {
        for k in 0..3 {
            b.trace(
                at(d, 120 + k),
                USER,
                &format!("partner{k}@partner.example.jp"),
                "打合せ",
                &format!("m{d}-{k}@example.co.jp"),
                None,
            );
        }
    }
    for i in 0..40 {
        b.trace(
            at(10, 60 + i),
            USER,
            &format!("victim{i}@customer{i}.example.jp"),
            "【重要】請求書のご確認",
            &format!("p{i}@example.co.jp"),
            None,
        );
    }
    add("outbound_send_burst", "fires_forty_new_recipients", &mut b);
    let mut b = Builder::new("osb-q1");
    b.history(USER, 0, 10);
    for d in 0..11 {
        for k in 0..3 {
            b.trace(
                at(d, 120 + k),
                USER,
                &format!("partner{k}@partner.example.jp"),
                "打合せ",
                &format!("m{d}-{k}@example.co.jp"),
                None,
            );
        }
    }
    add("outbound_send_burst", "quiet_usual_volume", &mut b);

    // hidden_send
    let send = |save: bool, id: &str| json!({"SaveToSentItems": save, "Item": {"InternetMessageId": format!("<{id}@example.co.jp>"), "Subject": "請求書"}});
    let mut b = Builder::new("hds-f1");
    b.history(USER, 0, 10).sign_in(
        at(10, 0),
        USER,
        ATTACKER_IP,
        NEW_YORK,
        0,
        "Authenticated SMTP",
        false,
    );
    for i in 0..5 {
        b.audit(
            at(10, 5 + i),
            USER,
            ATTACKER_IP,
            "Send",
            send(false, &format!("h{i}")),
        );
        b.trace(
            at(10, 5 + i),
            USER,
            &format!("victim{i}@customer.example.jp"),
            "請求書",
            &format!("h{i}@example.co.jp"),
            Some(ATTACKER_IP),
        );
    }
    add("hidden_send", "fires_smtp_auth_without_sent_items", &mut b);
    let mut b = Builder::new("hds-q1");
    b.history(USER, 0, 10);
    for i in 0..5 {
        b.audit(
            at(10, 5 + i),
            USER,
            HOME_IP,
            "Send",
            send(true, &format!("n{i}")),
        );
        b.trace(
            at(10, 5 + i),
            USER,
            &format!("partner{i}@partner.example.jp"),
            "打合せ",
            &format!("n{i}@example.co.jp"),
            None,
        );
    }
    add("hidden_send", "quiet_outlook_send", &mut b);

    // oauth_consent_mail_scopes
    add(
        "oauth_consent_mail_scopes",
        "fires_mail_read_offline",
        Builder::new("ocm-f1").directory(
            at(3, 0),
            "Consent to application",
            USER,
            "Mail Helper Pro",
            ATTACKER_IP,
            &[(
                "ConsentAction.Permissions",
                "Scope: Mail.Read Mail.Send offline_access User.Read",
            )],
        ),
    );
    add(
        "oauth_consent_mail_scopes",
        "quiet_allow_listed_app",
        Builder::new("ocm-q1").directory(
            at(3, 0),
            "Consent to application",
            USER,
            "Microsoft Authenticator App",
            HOME_IP,
            &[(
                "ConsentAction.Permissions",
                "Scope: Mail.Read offline_access",
            )],
        ),
    );

    // mfa_change_after_risky_sign_in
    add(
        "mfa_change_after_risky_sign_in",
        "fires_registration_after_us_sign_in",
        Builder::new("mfa-f1")
            .history(USER, 0, 10)
            .sign_in(at(10, 0), USER, ATTACKER_IP, NEW_YORK, 0, "Browser", false)
            .directory(
                at(10, 20),
                "User registered security info",
                USER,
                USER,
                ATTACKER_IP,
                &[],
            ),
    );
    add(
        "mfa_change_after_risky_sign_in",
        "quiet_new_phone",
        Builder::new("mfa-q1").history(USER, 0, 10).directory(
            at(10, 20),
            "User registered security info",
            USER,
            USER,
            HOME_IP,
            &[],
        ),
    );

    // sharepoint_mass_download
    let dl = || json!({"SiteUrl": "https://example.sharepoint.com/sites/hr/"});
    let mut b = Builder::new("smd-f1");
    b.history(USER, 0, 10);
    for i in 0..60 {
        b.audit(at(10, i / 4), USER, "192.0.2.201", "FileDownloaded", dl());
    }
    add(
        "sharepoint_mass_download",
        "fires_sixty_files_new_ip",
        &mut b,
    );
    let mut b = Builder::new("smd-q1");
    b.history(USER, 0, 10);
    for i in 0..60 {
        b.audit(at(10, i / 4), USER, HOME_IP, "FileDownloaded", dl());
    }
    add("sharepoint_mass_download", "quiet_sixty_files_home", &mut b);

    // audit_logging_disabled
    add(
        "audit_logging_disabled",
        "fires_ual_ingestion_off",
        Builder::new("ald-f1").cmdlet(
            at(3, 0),
            "admin@example.co.jp",
            ATTACKER_IP,
            "Set-AdminAuditLogConfig",
            &[("UnifiedAuditLogIngestionEnabled", "False")],
        ),
    );
    add(
        "audit_logging_disabled",
        "fires_audit_age_zero",
        Builder::new("ald-f2").cmdlet(
            at(3, 0),
            "admin@example.co.jp",
            ATTACKER_IP,
            "Set-Mailbox",
            &[("Identity", USER), ("AuditLogAgeLimit", "0")],
        ),
    );
    add(
        "audit_logging_disabled",
        "quiet_ual_ingestion_on",
        Builder::new("ald-q1").cmdlet(
            at(3, 0),
            "admin@example.co.jp",
            CORP_IP,
            "Set-AdminAuditLogConfig",
            &[("UnifiedAuditLogIngestionEnabled", "True")],
        ),
    );

    v
}

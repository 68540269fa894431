//! Mailbox, tenant-configuration and send detections' scenarios.

use model::Event;
use serde_json::json;

use super::super::*;

/// (detection id, file stem `fires_*` / `quiet_*`, events).
pub fn all() -> Vec<(&'static str, &'static str, Vec<Event>)> {
    let mut v = Vec::new();
    let mut add =
        |id: &'static str, name: &'static str, b: &mut Builder| v.push((id, name, b.done()));

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

    let mut b = Builder::new("hds-q2");
    b.history(USER, 0, 10);
    for (i, s) in ["a", "b", "c"].iter().enumerate() {
        let sender = format!("{s}@example.co.jp");
        b.trace(
            at(10, i as i64),
            &sender,
            "partner@partner.example.jp",
            "見積",
            &format!("r{i}@example.co.jp"),
            Some("192.0.2.30"),
        );
    }
    b.trace(
        at(10, 10),
        USER,
        "partner@partner.example.jp",
        "見積",
        "r9@example.co.jp",
        Some("192.0.2.30"),
    );
    add("hidden_send", "quiet_shared_relay_ip", &mut b);

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

//! The 2025 incident replay and the password spray, generated once into a held-back batch that
//! the day loop merges on the right dates.
//!
//! Takeover timeline (A = attack day, UTC): A−1 19:40 the leaked password is tested over SMTP
//! AUTH from a US address (single factor, "Correct Password"); A 01:12 SMTP sign-in, 01:18
//! browser sign-in with password only; 01:22–01:40 `MailItemsAccessed` Sync of the mailbox
//! folders; 01:46 `New-InboxRule` named "." moving replies to RSS フィード and marking them
//! read; 02:00–05:40 about 300 phishing mails over SMTP AUTH to the victim's external contacts,
//! with `Send` audits `SaveToSentItems=false` and no Sent Items copy; 07:05 the administrator's
//! "Reset user password"; 07:15 the rule removed and SMTP AUTH disabled; from 07:30 the attacker
//! keeps failing with error 50126. The spray: one foreign address trying many users once or
//! twice each, all failing with 50126.

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};

use crate::activity::{Ctx, home_ip, midnight, office_ip};
use crate::batch::Batch;
use crate::clients::{self, SMTP_AUTH, SPRAY_SCRIPT};
use crate::directory::{self, DirActivity};
use crate::mail;
use crate::rng::Gen;
use crate::signin::{self, Auth};
use crate::tenant::{ADMIN, VICTIM};
use crate::trace::{HistRow, TraceRow};
use crate::ual::FolderItem;
use crate::world::{host, network};

/// Number of hidden phishing sends.
pub(crate) const PHISHING_COUNT: usize = 300;
/// The attacker's inbox rule name.
pub(crate) const RULE_NAME: &str = ".";
/// Folder the attacker's rule moves mail to.
pub(crate) const RULE_FOLDER: &str = "RSS フィード";

/// What the incident generator decided, for the ground truth.
#[derive(Debug, Clone, Default)]
pub(crate) struct IncidentFacts {
    /// Ids of the attacker's successful sign-ins, oldest first.
    pub malicious_sign_ins: Vec<(String, DateTime<Utc>, String)>,
    /// Ids of the attacker's failed sign-ins after the reset.
    pub failed_after_reset: Vec<String>,
    /// Hidden sends: (Message-ID, MessageTraceId, recipient, time).
    pub hidden_sends: Vec<(String, String, String, DateTime<Utc>)>,
    /// When the password was reset.
    pub password_reset: DateTime<Utc>,
    /// Inbox rule created / removed.
    pub rule_created: DateTime<Utc>,
    /// Inbox rule removal time.
    pub rule_removed: DateTime<Utc>,
    /// Mailbox folders synced by the attacker.
    pub synced_folders: Vec<String>,
    /// Spray sign-in ids.
    pub spray_attempts: Vec<String>,
    /// Spray window.
    pub spray_window: (DateTime<Utc>, DateTime<Utc>),
    /// Replies from puzzled recipients that the attacker's rule moved to RSS フィード:
    /// (time, Message-ID, from address, from name, subject).
    pub replies: Vec<(DateTime<Utc>, String, String, String, String)>,
}

/// Folders the attacker synchronised.
const SYNCED: &[&str] = &[
    "\\受信トレイ",
    "\\送信済みアイテム",
    "\\削除済みアイテム",
    "\\アーカイブ",
    "\\受信トレイ\\取引先",
];

/// Generates the takeover and the spray into `held`.
pub(crate) fn generate(ctx: &Ctx, held: &mut Batch) -> IncidentFacts {
    let mut g = Gen::new(ctx.seed, "incident", 0);
    let mut f = IncidentFacts::default();
    let a = midnight(ctx.plan.attack_day);
    let victim = &ctx.tenant.users[VICTIM];
    let admin = &ctx.tenant.users[ADMIN];
    let [ip1, ip2] = ctx.plan.attacker_ips;
    let exo = &signin::EXCHANGE_ONLINE;

    let attacker_signin = |g: &mut Gen,
                           held: &mut Batch,
                           f: &mut IncidentFacts,
                           t: DateTime<Utc>,
                           ip: IpAddr,
                           browser: bool,
                           auth: Auth| {
        let session = g.guid();
        let (app, client) = if browser {
            (&signin::OFFICE_HOME, &clients::ATTACKER_BROWSER)
        } else {
            (exo, &SMTP_AUTH)
        };
        let s = clients::sign_in(g, t, VICTIM, app, client, ip, true, auth, None, &session);
        let id = g.guid();
        let ok = auth != Auth::BadPassword;
        held.ual.push(ctx.ual.logon(
            t,
            id,
            victim,
            ip,
            ok,
            &s.id,
            app.id,
            client.user_agent,
            client.os,
        ));
        if ok {
            f.malicious_sign_ins.push((s.id.clone(), t, ip.to_string()));
        } else {
            f.failed_after_reset.push(s.id.clone());
        }
        held.signins.push(s);
        session
    };

    // Credential test the evening before.
    attacker_signin(
        &mut g,
        held,
        &mut f,
        a - Duration::hours(4) - Duration::minutes(20) + Duration::seconds(7),
        ip1,
        false,
        Auth::PasswordOnly,
    );
    attacker_signin(
        &mut g,
        held,
        &mut f,
        a + Duration::minutes(72) + Duration::seconds(7),
        ip1,
        false,
        Auth::PasswordOnly,
    );
    let web_session = attacker_signin(
        &mut g,
        held,
        &mut f,
        a + Duration::minutes(78) + Duration::seconds(41),
        ip1,
        true,
        Auth::PasswordOnly,
    );

    // Mailbox synchronisation: every folder, whole contents exposed.
    for (i, folder) in SYNCED.iter().enumerate() {
        let t = a + Duration::minutes(82 + 4 * i as i64) + Duration::seconds(g.range(0, 59) as i64);
        let id = g.guid();
        let items = vec![FolderItem {
            message_id: String::new(),
            size: 0,
        }];
        held.ual.push(ctx.ual.mail_items_accessed(
            t,
            id,
            victim,
            ip1,
            true,
            &[(folder, items)],
            clients::ATTACKER_BROWSER.client_info,
            signin::OUTLOOK_WEB.id,
            &web_session,
        ));
    }
    f.synced_folders = SYNCED.iter().map(|s| s.to_string()).collect();

    // The hiding rule.
    f.rule_created = a + Duration::minutes(106) + Duration::seconds(12);
    let id = g.guid();
    held.ual.push(ctx.ual.cmdlet(
        f.rule_created,
        id,
        "New-InboxRule",
        victim,
        &format!("{}\\{RULE_NAME}", victim.upn),
        ip1,
        52_114,
        &[
            ("AlwaysDeleteOutlookRulesBlob", "False"),
            ("Force", "False"),
            ("MoveToFolder", RULE_FOLDER),
            ("Name", RULE_NAME),
            (
                "SubjectOrBodyContainsWords",
                "請求書;ウイルス;乗っ取り;不審;迷惑メール;phishing",
            ),
            ("MarkAsRead", "True"),
            ("StopProcessingRules", "True"),
        ],
        &web_session,
    ));

    // ~300 phishing mails over SMTP AUTH, re-authenticating every ~40 messages.
    let send_start = a + Duration::hours(2);
    let mut smtp_session = String::new();
    let server = host(network("exo-servers"), 0x33).to_string();
    for i in 0..PHISHING_COUNT {
        let t = send_start + Duration::seconds((i as i64) * 44 + g.range(0, 30) as i64);
        let ip = if i < PHISHING_COUNT * 2 / 3 { ip1 } else { ip2 };
        if i % 40 == 0 {
            smtp_session = attacker_signin(
                &mut g,
                held,
                &mut f,
                t - Duration::seconds(3),
                ip,
                false,
                Auth::PasswordOnly,
            );
        }
        let (rcpt, _name) = mail::address_book_entry(ctx.seed, i as u64);
        let message_id = format!(
            "<{}${}@{}>",
            g.hex(12).to_uppercase(),
            g.range(1000, 9999),
            victim.domain()
        );
        let trace_id = g.guid();
        let subject = (*g.pick(mail::PHISHING_SUBJECTS)).to_string();
        let size = 14_000 + g.range(0, 900);
        let received = t + Duration::milliseconds(g.range(200, 1500) as i64);
        let status = if g.chance(0.04) {
            "Failed"
        } else {
            "Delivered"
        };
        held.trace.push(TraceRow {
            received,
            message_id: message_id.clone(),
            sender: victim.upn.clone(),
            recipient: rcpt.clone(),
            subject: subject.clone(),
            status,
            to_ip: Some(host(
                network("mail-partners-jp"),
                u128::from(g.range(1, 60)),
            )),
            from_ip: Some(ip),
            size,
            trace_id: trace_id.clone(),
        });
        let id = g.guid();
        held.ual.push(ctx.ual.send(
            t,
            id,
            victim,
            ip,
            &message_id,
            &subject,
            size,
            false,
            SMTP_AUTH.client_info,
            &smtp_session,
        ));
        let receive = HistRow {
            time: t,
            client_ip: ip.to_string(),
            client_hostname: "[".to_string() + &ip.to_string() + "]",
            server_ip: server.clone(),
            source: "SMTP",
            event_id: "RECEIVE",
            message_id: message_id.clone(),
            network_message_id: trace_id.clone(),
            recipient: rcpt.clone(),
            recipient_status: String::new(),
            size,
            subject: subject.clone(),
            sender: victim.upn.clone(),
            directionality: "2",
            tenant_id: ctx.tenant.guid.clone(),
            original_client_ip: ip.to_string(),
        };
        let mut send = receive.clone();
        send.time = received;
        send.event_id = if status == "Failed" { "FAIL" } else { "SEND" };
        send.recipient_status = if status == "Failed" {
            "550 5.1.1 User unknown".into()
        } else {
            "250 2.0.0 OK".into()
        };
        send.client_ip = server.clone();
        send.client_hostname = "TYWPR01MB8201.jpnprd01.prod.outlook.com".into();
        held.historical.push(receive);
        held.historical.push(send);
        f.hidden_sends.push((message_id, trace_id, rcpt, received));
    }

    // Puzzled recipients reply; the rule files the replies under RSS フィード, marked read.
    for i in 0..6u64 {
        let t = send_start
            + Duration::minutes(35 + 27 * i as i64)
            + Duration::seconds(g.range(0, 50) as i64);
        let (from, name) = mail::address_book_entry(ctx.seed, i * 7 + 1);
        let domain = from.split('@').nth(1).unwrap_or_default().to_string();
        let message_id = mail::external_message_id(&mut g, &domain);
        let subject = format!("RE: {}", mail::PHISHING_SUBJECTS[0]);
        held.trace.push(TraceRow {
            received: t,
            message_id: message_id.clone(),
            sender: from.clone(),
            recipient: victim.upn.clone(),
            subject: subject.clone(),
            status: "Delivered",
            to_ip: None,
            from_ip: Some(host(
                network("mail-partners-jp"),
                u128::from(g.range(1, 60)),
            )),
            size: 9_000 + g.range(0, 4000),
            trace_id: g.guid(),
        });
        f.replies.push((t, message_id, from, name, subject));
    }

    // Remediation by the administrator from the Tokyo office.
    let admin_ip = office_ip(ADMIN, admin);
    f.password_reset = a + Duration::minutes(425) + Duration::seconds(33);
    held.directory.push(directory::record(
        ctx.tenant,
        &mut g,
        f.password_reset,
        DirActivity::AdminPasswordReset,
        ADMIN,
        VICTIM,
        admin_ip,
    ));
    let admin_session = g.guid();
    f.rule_removed = f.password_reset + Duration::minutes(10);
    let id = g.guid();
    held.ual.push(ctx.ual.cmdlet(
        f.rule_removed,
        id,
        "Remove-InboxRule",
        admin,
        &format!("{}\\{RULE_NAME}", victim.upn),
        admin_ip,
        61_020,
        &[
            ("Identity", &format!("{}\\{RULE_NAME}", victim.upn)),
            ("Confirm", "False"),
        ],
        &admin_session,
    ));
    let id = g.guid();
    held.ual.push(ctx.ual.cmdlet(
        f.rule_removed + Duration::minutes(4),
        id,
        "Set-CASMailbox",
        admin,
        &victim.upn,
        admin_ip,
        61_020,
        &[
            ("Identity", &victim.upn),
            ("SmtpClientAuthenticationDisabled", "True"),
        ],
        &admin_session,
    ));

    // The victim signs in again with the new password and registers a new authenticator.
    let vip = home_ip(VICTIM, victim);
    let vs = g.guid();
    let t = f.password_reset + Duration::minutes(35);
    let s = clients::sign_in(
        &mut g,
        t,
        VICTIM,
        &signin::OFFICE_HOME,
        &clients::EDGE_WIN,
        vip,
        true,
        Auth::MfaPush,
        Some(&victim.device_id),
        &vs,
    );
    let id = g.guid();
    held.ual.push(ctx.ual.logon(
        t,
        id,
        victim,
        vip,
        true,
        &s.id,
        signin::OFFICE_HOME.id,
        clients::EDGE_WIN.user_agent,
        "Windows10",
    ));
    held.signins.push(s);
    held.directory.push(directory::record(
        ctx.tenant,
        &mut g,
        t + Duration::minutes(6),
        DirActivity::SecurityInfoRegistered,
        VICTIM,
        VICTIM,
        vip,
    ));

    // The attacker keeps trying the old password.
    let mut t = f.password_reset + Duration::minutes(25);
    let stop = a + Duration::hours(36);
    let mut k = 0;
    while t < stop {
        let ip = if k % 3 == 2 { ip2 } else { ip1 };
        attacker_signin(&mut g, held, &mut f, t, ip, false, Auth::BadPassword);
        t += Duration::minutes(35 + g.range(0, 20) as i64);
        k += 1;
    }

    spray(ctx, &mut g, held, &mut f);
    f
}

fn spray(ctx: &Ctx, g: &mut Gen, held: &mut Batch, f: &mut IncidentFacts) {
    let start = midnight(ctx.plan.spray_day) + Duration::hours(18) + Duration::minutes(3);
    let ip = ctx.plan.spray_ip;
    let mut t = start;
    for &u in &ctx.plan.spray_targets {
        let user = &ctx.tenant.users[u];
        for _ in 0..g.range(1, 3) {
            let session = g.guid();
            let s = clients::sign_in(
                g,
                t,
                u,
                &signin::MICROSOFT_OFFICE,
                &SPRAY_SCRIPT,
                ip,
                true,
                Auth::BadPassword,
                None,
                &session,
            );
            let id = g.guid();
            held.ual.push(ctx.ual.logon(
                t,
                id,
                user,
                ip,
                false,
                &s.id,
                signin::MICROSOFT_OFFICE.id,
                SPRAY_SCRIPT.user_agent,
                "",
            ));
            f.spray_attempts.push(s.id.clone());
            held.signins.push(s);
            t += Duration::milliseconds(g.range(800, 6000) as i64);
        }
    }
    f.spray_window = (start, t);
}

//! Normal daily activity of every user: sign-ins (interactive, token refreshes, phone), mail
//! sent and received (message trace + `Send` audits), mailbox reads (`MailItemsAccessed` Bind),
//! SharePoint file use, a few directory changes, newsletters and the weekly all-staff notice.
//!
//! Work hours are kept inside one UTC date (JST 09:00–23:00 = UTC 00:00–14:00), so each UTC
//! day can be generated and written on its own.

use std::net::IpAddr;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};

use crate::batch::{Batch, Folder, VictimMail};
use crate::clients::{self, Client};
use crate::directory::{self, DirActivity};
use crate::mail::{self, ALL_STAFF, NEWSLETTER_SENDER, SOUMU_SENDER};
use crate::plan::{Plan, is_workday};
use crate::rng::Gen;
use crate::signin::{self, Auth};
use crate::tenant::{ADMIN, Site, Tenant, User, VICTIM};
use crate::trace::TraceRow;
use crate::ual::{FolderItem, UalBuilder};
use crate::world::{host, network, random_host};

/// Everything a day generator needs.
pub(crate) struct Ctx<'a> {
    /// The seed.
    pub seed: u64,
    /// The tenant.
    pub tenant: &'a Tenant,
    /// The calendar.
    pub plan: &'a Plan,
    /// Audit record builder.
    pub ual: UalBuilder<'a>,
}

/// Midnight UTC of `date`.
pub(crate) fn midnight(date: NaiveDate) -> DateTime<Utc> {
    date.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
}

/// Work window in seconds after UTC midnight: (start, end).
pub(crate) fn work_window(site: Site) -> (u64, u64) {
    match site.utc_offset_hours() {
        9 => (0, 9 * 3600 + 1800),
        _ => (3600, 10 * 3600 + 1800),
    }
}

/// The fixed-line home address of a user.
pub(crate) fn home_ip(u: usize, user: &User) -> IpAddr {
    host(network(user.home_net), (u as u128) * 7919 + 3)
}

/// The office egress address a user leaves through.
pub(crate) fn office_ip(u: usize, user: &User) -> IpAddr {
    host(network(user.site.office_net()), 10 + (u as u128 % 3))
}

/// The address the partner's mail server for `domain` sends from.
pub(crate) fn partner_mta(domain: &str) -> IpAddr {
    let h = domain
        .bytes()
        .fold(7u128, |a, b| a.wrapping_mul(31).wrapping_add(u128::from(b)));
    host(network("mail-partners-jp"), h % 60)
}

fn pc_client(user: &User) -> &'static Client {
    if user.os == "MacOs" {
        &clients::OUTLOOK_MAC
    } else {
        &clients::OUTLOOK_WIN
    }
}

fn phone_client(user: &User) -> &'static Client {
    if user.phone_os == "Ios" {
        &clients::OUTLOOK_IOS
    } else {
        &clients::OUTLOOK_ANDROID
    }
}

/// Generates the normal activity of day `d` into `batch`; the victim's messages go to
/// `victim_mail` as well.
pub(crate) fn generate_day(
    ctx: &Ctx,
    d: u32,
    batch: &mut Batch,
    victim_mail: &mut Vec<VictimMail>,
) {
    let date = ctx.plan.date(d);
    let day = midnight(date);
    let workday = is_workday(date);
    let mut shared = Gen::new(ctx.seed, "day-shared", u64::from(d));
    if workday {
        newsletter(ctx, &mut shared, day, batch, victim_mail);
        if date.weekday() == Weekday::Mon {
            all_staff_notice(ctx, &mut shared, day, batch, victim_mail);
        }
        directory_changes(ctx, &mut shared, day, batch);
    }
    for u in 0..ctx.tenant.users.len() {
        let mut g = Gen::new(ctx.seed, "user-day", (u64::from(d) << 32) | u as u64);
        user_day(ctx, &mut g, u, date, day, workday, batch, victim_mail);
    }
}

fn newsletter(
    ctx: &Ctx,
    g: &mut Gen,
    day: DateTime<Utc>,
    batch: &mut Batch,
    vm: &mut Vec<VictimMail>,
) {
    let t = g.time_in(day + Duration::minutes(5), 45 * 60);
    let message_id = mail::external_message_id(g, "mailing.example.net");
    let trace_id = g.guid();
    let subject = (*g.pick(mail::NEWSLETTER_SUBJECTS)).to_string();
    let from_ip = host(network("mail-newsletter"), 5);
    for (u, user) in ctx.tenant.users.iter().enumerate() {
        if !ctx.plan.subscribed[u] {
            continue;
        }
        batch.trace.push(TraceRow {
            received: t,
            message_id: message_id.clone(),
            sender: NEWSLETTER_SENDER.into(),
            recipient: user.upn.clone(),
            subject: subject.clone(),
            status: "Delivered",
            to_ip: None,
            from_ip: Some(from_ip),
            size: 48_211,
            trace_id: trace_id.clone(),
        });
        if u == VICTIM {
            vm.push(VictimMail {
                time: t,
                message_id: message_id.clone(),
                from: NEWSLETTER_SENDER.into(),
                from_name: "製造業ニュース編集部".into(),
                to: vec![(user.upn.clone(), user.display_name.clone())],
                subject: subject.clone(),
                folder: Folder::Inbox,
            });
        }
    }
}

fn all_staff_notice(
    ctx: &Ctx,
    g: &mut Gen,
    day: DateTime<Utc>,
    batch: &mut Batch,
    vm: &mut Vec<VictimMail>,
) {
    let t = g.time_in(day + Duration::minutes(30), 30 * 60);
    let message_id = mail::exo_message_id(g);
    let trace_id = g.guid();
    let subject = "【全社連絡】今週の総務からのお知らせ".to_string();
    let row = |recipient: &str, status: &'static str| TraceRow {
        received: t,
        message_id: message_id.clone(),
        sender: SOUMU_SENDER.into(),
        recipient: recipient.into(),
        subject: subject.clone(),
        status,
        to_ip: None,
        from_ip: None,
        size: 31_904,
        trace_id: trace_id.clone(),
    };
    batch.trace.push(row(ALL_STAFF, "Expanded"));
    for user in &ctx.tenant.users {
        batch.trace.push(row(&user.upn, "Delivered"));
    }
    vm.push(VictimMail {
        time: t,
        message_id: message_id.clone(),
        from: SOUMU_SENDER.into(),
        from_name: "総務部".into(),
        to: vec![(ALL_STAFF.into(), "全社員".into())],
        subject,
        folder: Folder::Inbox,
    });
}

fn directory_changes(ctx: &Ctx, g: &mut Gen, day: DateTime<Utc>, batch: &mut Batch) {
    let n = ctx.tenant.users.len();
    let admin = &ctx.tenant.users[ADMIN];
    for _ in 0..g.range(0, 3) {
        let target = g.below(n);
        let t = g.time_in(day + Duration::hours(1), 7 * 3600);
        batch.directory.push(directory::record(
            ctx.tenant,
            g,
            t,
            DirActivity::UpdateUser,
            ADMIN,
            target,
            office_ip(ADMIN, admin),
        ));
    }
    for u in 2..n {
        let user = &ctx.tenant.users[u];
        let ip = office_ip(u, user);
        let activity = if g.chance(0.003) {
            DirActivity::SecurityInfoRegistered
        } else if g.chance(0.0015) {
            DirActivity::SelfServiceReset
        } else if g.chance(0.002) {
            DirActivity::UserConsent
        } else {
            continue;
        };
        let t = g.time_in(day + Duration::hours(2), 6 * 3600);
        batch
            .directory
            .push(directory::record(ctx.tenant, g, t, activity, u, u, ip));
    }
}

#[allow(clippy::too_many_arguments)]
fn user_day(
    ctx: &Ctx,
    g: &mut Gen,
    u: usize,
    date: NaiveDate,
    day: DateTime<Utc>,
    workday: bool,
    batch: &mut Batch,
    vm: &mut Vec<VictimMail>,
) {
    let user = &ctx.tenant.users[u];
    let trip = ctx.plan.trip_on(u, date);
    let (w0, w1) = work_window(user.site);
    let ip = if let Some(t) = trip {
        t.ip
    } else if user.site.country() == "VN" {
        if g.chance(0.85) {
            office_ip(u, user)
        } else {
            home_ip(u, user)
        }
    } else if g.chance(0.75) {
        office_ip(u, user)
    } else if user.uses_vpn && g.chance(0.6) {
        host(network("vpn-sg"), 10 + (u as u128 % 4))
    } else {
        home_ip(u, user)
    };
    let session = g.guid();
    let pc = pc_client(user);
    let device = Some(user.device_id.as_str());

    if workday {
        let t0 = g.time_in(day + Duration::seconds(w0 as i64), 45 * 60);
        let browser_first = g.chance(0.3);
        let (app, client) = if browser_first {
            (&signin::OFFICE_HOME, &clients::EDGE_WIN)
        } else {
            (&signin::MICROSOFT_OFFICE, pc)
        };
        if g.chance(0.02) {
            // A typo, then the right password a minute later.
            let tf = t0 - Duration::seconds(g.range(30, 90) as i64);
            let s = clients::sign_in(
                g,
                tf,
                u,
                app,
                client,
                ip,
                true,
                Auth::BadPassword,
                device,
                &session,
            );
            let id = g.guid();
            batch.ual.push(ctx.ual.logon(
                tf,
                id,
                user,
                ip,
                false,
                &s.id,
                app.id,
                client.user_agent,
                client.os,
            ));
            batch.signins.push(s);
        }
        let auth = if trip.is_some() || date.weekday() == Weekday::Mon || g.chance(0.1) {
            Auth::MfaPush
        } else {
            Auth::MfaClaim
        };
        let s = clients::sign_in(g, t0, u, app, client, ip, true, auth, device, &session);
        let id = g.guid();
        batch.ual.push(ctx.ual.logon(
            t0,
            id,
            user,
            ip,
            true,
            &s.id,
            app.id,
            client.user_agent,
            client.os,
        ));
        batch.signins.push(s);
        for _ in 0..g.range(2, 5) {
            let t = g.time_in(day + Duration::seconds(w0 as i64 + 3600), w1 - w0 - 3600);
            let app = *g.pick(&[
                &signin::TEAMS,
                &signin::MICROSOFT_OFFICE,
                &signin::SHAREPOINT,
            ]);
            batch.signins.push(clients::sign_in(
                g,
                t,
                u,
                app,
                pc,
                ip,
                false,
                Auth::TokenRefresh,
                device,
                &session,
            ));
        }
        crate::mail_activity::mail_day(ctx, g, u, date, day, ip, pc, &session, batch, vm);
        for _ in 0..g.range(0, 4) {
            let t = g.time_in(day + Duration::seconds(w0 as i64 + 1800), w1 - w0 - 1800);
            let (site, file) = *g.pick(&[
                ("Sales", "見積書_2025年度.xlsx"),
                ("Quality", "品質月報_6月.docx"),
                ("Production", "生産計画_週次.xlsx"),
                ("Engineering", "図面一覧.pdf"),
                ("Soumu", "就業規則_2025.pdf"),
            ]);
            let op = *g.pick(&[
                "FileAccessed",
                "FileDownloaded",
                "FileModified",
                "FileAccessed",
            ]);
            let id = g.guid();
            batch.ual.push(ctx.ual.file_op(
                t,
                id,
                op,
                user,
                ip,
                site,
                file,
                clients::EDGE_WIN.user_agent,
            ));
        }
    }

    for rule in ctx
        .plan
        .legit_rules
        .iter()
        .filter(|r| r.user == u && r.day == date)
    {
        let t = g.time_in(day + Duration::seconds(w0 as i64 + 7200), 3600);
        let id = g.guid();
        let rec = match rule.forward_to {
            None => ctx.ual.cmdlet(
                t,
                id,
                "New-InboxRule",
                user,
                &format!("{}\\ニュースレター整理", user.upn),
                ip,
                50_000 + g.range(0, 9999) as u16,
                &[
                    ("AlwaysDeleteOutlookRulesBlob", "False"),
                    ("Force", "False"),
                    ("From", NEWSLETTER_SENDER),
                    ("MoveToFolder", "ニュースレター"),
                    ("Name", "ニュースレター整理"),
                    ("StopProcessingRules", "True"),
                ],
                &session,
            ),
            Some(to) => {
                let colleague = &ctx.tenant.users[to].upn;
                ctx.ual.cmdlet(
                    t,
                    id,
                    "New-InboxRule",
                    user,
                    &format!("{}\\不在時の転送", user.upn),
                    ip,
                    50_000 + g.range(0, 9999) as u16,
                    &[
                        ("AlwaysDeleteOutlookRulesBlob", "False"),
                        ("Force", "False"),
                        ("ForwardTo", colleague),
                        ("Name", "不在時の転送"),
                        ("SubjectContainsWords", "【至急】"),
                    ],
                    &session,
                )
            }
        };
        batch.ual.push(rec);
        if rule.forward_to.is_none() {
            // The owner tidies the rule a little later: mark newsletters as read too.
            let id = g.guid();
            let identity = format!("{}\\ニュースレター整理", user.upn);
            batch.ual.push(ctx.ual.cmdlet(
                t + Duration::minutes(20),
                id,
                "Set-InboxRule",
                user,
                &identity,
                ip,
                50_000 + g.range(0, 9999) as u16,
                &[("Identity", &identity), ("MarkAsRead", "True")],
                &session,
            ));
        }
    }

    if let Some((net4, net6)) = user.mobile
        && g.chance(if workday { 0.6 } else { 0.35 })
    {
        // Carrier addresses change every day (CGNAT pools, IPv6 prefixes).
        let mip = match net6 {
            Some(k6) if g.chance(0.5) => random_host(network(k6), g),
            _ => random_host(network(net4), g),
        };
        let phone = phone_client(user);
        let msession = g.guid();
        for _ in 0..g.range(1, 3) {
            let t = g.time_in(day + Duration::hours(3), 11 * 3600);
            batch.signins.push(clients::sign_in(
                g,
                t,
                u,
                &signin::OUTLOOK_MOBILE,
                phone,
                mip,
                false,
                Auth::TokenRefresh,
                None,
                &msession,
            ));
            if g.chance(0.5) {
                let id = g.guid();
                let items = vec![FolderItem {
                    message_id: mail::exo_message_id(g),
                    size: g.range(5_000, 90_000),
                }];
                batch.ual.push(ctx.ual.mail_items_accessed(
                    t + Duration::seconds(20),
                    id,
                    user,
                    mip,
                    false,
                    &[("\\受信トレイ", items)],
                    phone.client_info,
                    signin::OUTLOOK_MOBILE.id,
                    &msession,
                ));
            }
        }
    }
}

//! Normal mail of one user for one work day: messages sent (message trace rows per recipient +
//! `Send` audit with `SaveToSentItems=true`), messages received from partners (some filtered as
//! spam), mailbox reads (`MailItemsAccessed` Bind) over what arrived, and the victim's
//! historical-report events around the incident.

use std::net::IpAddr;

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::activity::{Ctx, partner_mta, work_window};
use crate::batch::{Batch, Folder, VictimMail};
use crate::clients::Client;
use crate::mail;
use crate::rng::Gen;
use crate::signin;
use crate::tenant::{Site, User, VICTIM};
use crate::trace::{HistRow, TraceRow};
use crate::ual::FolderItem;
use crate::world::{host, network};

#[allow(clippy::too_many_arguments)]
pub(crate) fn mail_day(
    ctx: &Ctx,
    g: &mut Gen,
    u: usize,
    date: NaiveDate,
    day: DateTime<Utc>,
    ip: IpAddr,
    pc: &Client,
    session: &str,
    batch: &mut Batch,
    vm: &mut Vec<VictimMail>,
) {
    let users = &ctx.tenant.users;
    let user = &users[u];
    let (w0, w1) = work_window(user.site);
    let span = w1 - w0 - 1800;
    let hist_window = ctx.plan.attack_day - Duration::days(1) <= date
        && date <= ctx.plan.attack_day + Duration::days(1);

    let n_send = ((g.range(1, 6) as f64) * user.mail_weight).round() as u64;
    for _ in 0..n_send {
        let t = g.time_in(day + Duration::seconds(w0 as i64 + 1800), span);
        let n_rcpt = if g.chance(0.1) {
            g.range(4, 9)
        } else {
            g.range(1, 4)
        };
        let internal = g.chance(if user.site == Site::HanoiSubsidiary {
            0.8
        } else {
            0.6
        });
        let mut rcpts: Vec<(String, String, bool)> = Vec::new();
        for _ in 0..n_rcpt {
            let r = if internal {
                let o = g.below(users.len());
                if o == u {
                    continue;
                }
                (users[o].upn.clone(), users[o].display_name.clone(), true)
            } else if u == VICTIM {
                let (a, n) = mail::address_book_entry(ctx.seed, g.range(0, 400));
                (a, n, false)
            } else {
                let (a, n) = mail::contact(g);
                (a, n, false)
            };
            if !rcpts.iter().any(|x| x.0 == r.0) {
                rcpts.push(r);
            }
        }
        if rcpts.is_empty() {
            continue;
        }
        let message_id = mail::exo_message_id(g);
        let trace_id = g.guid();
        let subject = (*g.pick(mail::SUBJECTS)).to_string();
        let all_rcpts = rcpts
            .iter()
            .map(|r| r.0.as_str())
            .collect::<Vec<_>>()
            .join(";");
        let size = if g.chance(0.3) {
            g.range(120_000, 2_500_000)
        } else {
            g.range(6_000, 60_000)
        };
        for (addr, _, is_internal) in &rcpts {
            let domain = addr.split('@').nth(1).unwrap_or_default();
            let status = if !is_internal && g.chance(0.015) {
                "Failed"
            } else {
                "Delivered"
            };
            let received = t + Duration::milliseconds(g.range(300, 4000) as i64);
            batch.trace.push(TraceRow {
                received,
                message_id: message_id.clone(),
                sender: user.upn.clone(),
                recipient: addr.clone(),
                subject: subject.clone(),
                status,
                to_ip: (!is_internal).then(|| partner_mta(domain)),
                from_ip: None,
                size,
                trace_id: trace_id.clone(),
            });
            if u == VICTIM && hist_window {
                push_outlook_hist(
                    ctx,
                    t,
                    received,
                    user,
                    ip,
                    &message_id,
                    &trace_id,
                    addr,
                    (addr == &rcpts[0].0).then_some(all_rcpts.as_str()),
                    *is_internal,
                    size,
                    &subject,
                    batch,
                );
            }
            if *is_internal && addr == &users[VICTIM].upn {
                vm.push(VictimMail {
                    time: received,
                    message_id: message_id.clone(),
                    from: user.upn.clone(),
                    from_name: user.display_name.clone(),
                    to: rcpts.iter().map(|r| (r.0.clone(), r.1.clone())).collect(),
                    subject: subject.clone(),
                    folder: Folder::Inbox,
                });
            }
        }
        let id = g.guid();
        batch.ual.push(ctx.ual.send(
            t,
            id,
            user,
            ip,
            &message_id,
            &subject,
            size,
            true,
            pc.client_info,
            session,
        ));
        if u == VICTIM {
            vm.push(VictimMail {
                time: t,
                message_id: message_id.clone(),
                from: user.upn.clone(),
                from_name: user.display_name.clone(),
                to: rcpts.iter().map(|r| (r.0.clone(), r.1.clone())).collect(),
                subject,
                folder: Folder::SentItems,
            });
        }
    }

    let n_in = ((g.range(2, 9) as f64) * user.mail_weight).round() as u64;
    let mut delivered = Vec::new();
    for _ in 0..n_in {
        let t = g.time_in(day, 14 * 3600);
        let (addr, name) = if u == VICTIM {
            mail::address_book_entry(ctx.seed, g.range(0, 400))
        } else {
            mail::contact(g)
        };
        let domain = addr.split('@').nth(1).unwrap_or_default().to_string();
        let message_id = mail::external_message_id(g, &domain);
        let roll = g.range(0, 100);
        let status = match roll {
            0..=92 => "Delivered",
            93..=97 => "FilteredAsSpam",
            _ => "Quarantined",
        };
        let subject = (*g.pick(mail::SUBJECTS)).to_string();
        let size = if g.chance(0.3) {
            g.range(100_000, 3_000_000)
        } else {
            g.range(5_000, 50_000)
        };
        batch.trace.push(TraceRow {
            received: t,
            message_id: message_id.clone(),
            sender: addr.clone(),
            recipient: user.upn.clone(),
            subject: subject.clone(),
            status,
            to_ip: None,
            from_ip: Some(partner_mta(&domain)),
            size,
            trace_id: g.guid(),
        });
        if status == "Delivered" {
            delivered.push(FolderItem {
                message_id: message_id.clone(),
                size,
            });
            if u == VICTIM {
                vm.push(VictimMail {
                    time: t,
                    message_id,
                    from: addr,
                    from_name: name,
                    to: vec![(user.upn.clone(), user.display_name.clone())],
                    subject,
                    folder: if g.chance(0.1) {
                        Folder::DeletedItems
                    } else {
                        Folder::Inbox
                    },
                });
            }
        }
    }
    for _ in 0..g.range(1, 4) {
        let t = g.time_in(day + Duration::seconds(w0 as i64 + 600), span);
        let mut items: Vec<FolderItem> = Vec::new();
        for _ in 0..g.range(1, 5) {
            if delivered.is_empty() {
                items.push(FolderItem {
                    message_id: mail::exo_message_id(g),
                    size: g.range(5_000, 80_000),
                });
            } else {
                items.push(delivered[g.below(delivered.len())].clone());
            }
        }
        let id = g.guid();
        batch.ual.push(ctx.ual.mail_items_accessed(
            t,
            id,
            user,
            ip,
            false,
            &[("\\受信トレイ", items)],
            pc.client_info,
            signin::MICROSOFT_OFFICE.id,
            session,
        ));
    }
}

/// Historical-report events for a message the victim sent from Outlook: a STOREDRIVER
/// RECEIVE (submitted by the mailbox, original client = the user's address) and a SEND or
/// DELIVER per recipient; the RECEIVE row is written once, for the first recipient.
#[allow(clippy::too_many_arguments)]
fn push_outlook_hist(
    ctx: &Ctx,
    t: DateTime<Utc>,
    received: DateTime<Utc>,
    user: &User,
    ip: IpAddr,
    message_id: &str,
    trace_id: &str,
    rcpt: &str,
    receive_for: Option<&str>,
    internal: bool,
    size: u64,
    subject: &str,
    batch: &mut Batch,
) {
    let server = host(network("exo-servers"), 0x21).to_string();
    let base = HistRow {
        time: t,
        client_ip: server.clone(),
        client_hostname: "TYWPR01MB8201.jpnprd01.prod.outlook.com".into(),
        server_ip: server,
        source: "STOREDRIVER",
        event_id: "RECEIVE",
        message_id: message_id.into(),
        network_message_id: trace_id.into(),
        recipient: rcpt.into(),
        recipient_status: String::new(),
        size,
        subject: subject.into(),
        sender: user.upn.clone(),
        directionality: "2",
        tenant_id: ctx.tenant.guid.clone(),
        original_client_ip: ip.to_string(),
    };
    let mut out = base.clone();
    out.time = received;
    out.source = "SMTP";
    out.event_id = if internal { "DELIVER" } else { "SEND" };
    out.recipient_status = "250 2.6.0 Queued mail for delivery".into();
    // One RECEIVE per message, naming every recipient; one SEND/DELIVER per recipient.
    if let Some(all) = receive_for {
        let mut receive = base;
        receive.recipient = all.to_string();
        batch.historical.push(receive);
    }
    batch.historical.push(out);
}

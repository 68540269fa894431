//! The generation run: plans the scenario, walks the days newest first (the order Graph and
//! the exports return records), streams every format to disk and assembles the ground truth.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::activity::{self, Ctx};
use crate::batch::{Batch, VictimMail};
use crate::error::Error;
use crate::ground_truth::{
    Attacker, Counts, GroundTruth, HiddenSends, Spray, Trip, UserInfo, Victim,
};
use crate::incident::{self, RULE_FOLDER, RULE_NAME};
use crate::signin::{AUTH_DETAILS_HEADER, PORTAL_HEADER};
use crate::tenant::{self, DOMAIN_JP, DOMAIN_VN, ONMICROSOFT, VICTIM};
use crate::trace::HISTORICAL_HEADER;
use crate::ual::{UalBuilder, purview_header};
use crate::world::network_of;
use crate::writers::{PagedJson, SplitCsv, TextFile, csv_line};
use crate::{GenerateOptions, config_files, mmdb, plan};

fn write_file(out: &Path, rel: &str, bytes: &[u8], files: &mut Vec<String>) -> Result<(), Error> {
    let path = out.join(rel);
    if let Some(p) = path.parent() {
        fs::create_dir_all(p).map_err(|e| Error::io(p, e))?;
    }
    fs::write(&path, bytes).map_err(|e| Error::io(&path, e))?;
    files.push(rel.to_string());
    Ok(())
}

fn ymd(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// One `Get-MessageTraceV2` query window being written.
struct TraceFile {
    file: TextFile,
    runspace: String,
    start: String,
    end: String,
    index: u64,
}

/// Runs the whole generation (options already validated).
pub(crate) fn run(opts: &GenerateOptions) -> Result<GroundTruth, Error> {
    let out = opts.out.as_path();
    fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
    let tenant = tenant::build(opts.seed, opts.users);
    let plan = plan::build(opts.seed, &tenant, opts.end, opts.days);
    let ctx = Ctx {
        seed: opts.seed,
        tenant: &tenant,
        plan: &plan,
        ual: UalBuilder { tenant: &tenant },
    };
    let mut files = Vec::new();
    let mut counts = Counts::default();

    let mut held = Batch::default();
    let facts = incident::generate(&ctx, &mut held);

    let end_date = opts.end.date_naive();
    let start_date = plan.start.date_naive();
    let portal_from = end_date - Duration::days(7);
    let portal_stem = format!("{}_{}", ymd(portal_from), ymd(end_date));

    let mut graph = PagedJson::new(
        out.join("signins/graph"),
        "https://graph.microsoft.com/beta/$metadata#auditLogs/signIns",
        "https://graph.microsoft.com/beta/auditLogs/signIns?$skiptoken=",
        opts.page_size,
        opts.seed,
    );
    let mut directory = PagedJson::new(
        out.join("directory/graph"),
        "https://graph.microsoft.com/v1.0/$metadata#auditLogs/directoryAudits",
        "https://graph.microsoft.com/v1.0/auditLogs/directoryAudits?$skiptoken=",
        opts.page_size,
        opts.seed ^ 0x5eed,
    );
    let portal_rel = format!("signins/portal/InteractiveSignIns_{portal_stem}.csv");
    let details_rel = format!("signins/portal/InteractiveSignIns_AuthDetails_{portal_stem}.csv");
    let mut portal = TextFile::create(out.join(&portal_rel), false)?;
    // The header is written verbatim (trailing spaces unquoted, as the portal writes it).
    portal.write_line(&(PORTAL_HEADER.join(",") + "\r\n"))?;
    let mut details = TextFile::create(out.join(&details_rel), false)?;
    details.write_line(&csv_line(AUTH_DETAILS_HEADER, false))?;
    let non_rel = format!("signins/portal/NonInteractiveSignIns_{portal_stem}.csv");
    let mut non_interactive = TextFile::create(out.join(&non_rel), false)?;
    non_interactive.write_line(&(PORTAL_HEADER.join(",") + "\r\n"))?;
    let mut ual = SplitCsv::new(
        out.join("ual"),
        &format!("AuditLog_{}_{}", ymd(start_date), ymd(end_date)),
        purview_header(),
        opts.ual_rows_per_file,
    );
    let mut trace_files: Vec<String> = Vec::new();
    let mut trace: Option<TraceFile> = None;
    let mut historical = Vec::new();
    let mut victim_mail: Vec<VictimMail> = Vec::new();
    let trace_header = csv_line(crate::trace::TRACE_HEADER, true);

    for d in (0..opts.days).rev() {
        let date = plan.date(d);
        let mut batch = Batch::default();
        activity::generate_day(&ctx, d, &mut batch, &mut victim_mail);
        held.move_day(date, &mut batch);
        batch.sort_newest_first();
        tracing::debug!(%date, sign_ins = batch.signins.len(), ual = batch.ual.len(), trace = batch.trace.len(), "day generated");

        for s in &batch.signins {
            graph.push(&s.graph_json(&tenant))?;
            if s.interactive {
                counts.graph_sign_ins_interactive += 1;
                if date >= portal_from {
                    portal.write_line(&csv_line(&s.portal_row(&tenant), false))?;
                    counts.portal_sign_in_rows += 1;
                    for row in s.auth_detail_rows() {
                        details.write_line(&csv_line(&row, false))?;
                        counts.portal_auth_detail_rows += 1;
                    }
                }
            } else {
                counts.graph_sign_ins_non_interactive += 1;
                if date >= portal_from {
                    non_interactive.write_line(&csv_line(&s.portal_row(&tenant), false))?;
                    counts.portal_non_interactive_rows += 1;
                }
            }
        }
        for r in &batch.directory {
            directory.push(&r.json)?;
        }
        for r in &batch.ual {
            ual.write_line(&r.purview_line())?;
        }
        // Get-MessageTraceV2 answers at most 10 days per query: one file per 10-day window.
        let window = (opts.days - 1 - d) / 10;
        let w_end = end_date - Duration::days(i64::from(window) * 10);
        let w_start = (w_end - Duration::days(10)).max(start_date);
        let name = format!(
            "messagetrace/MessageTraceV2_{}_{}.csv",
            w_start.format("%Y%m%d"),
            w_end.format("%Y%m%d")
        );
        if trace_files.last() != Some(&name) {
            if let Some(t) = trace.take() {
                t.file.finish()?;
            }
            let mut file = TextFile::create(out.join(&name), false)?;
            file.write_line(&trace_header)?;
            let mut g = crate::rng::Gen::new(opts.seed, "runspace", u64::from(window));
            trace = Some(TraceFile {
                file,
                runspace: g.guid(),
                start: crate::trace::ps_date(midnight(w_start)),
                end: crate::trace::ps_date(midnight(w_end)),
                index: 0,
            });
            trace_files.push(name);
        }
        if let Some(t) = trace.as_mut() {
            for r in &batch.trace {
                t.file
                    .write_line(&r.line(&t.runspace, ONMICROSOFT, &t.start, &t.end, t.index))?;
                t.index += 1;
                counts.message_trace_rows += 1;
            }
        }
        historical.extend(batch.historical);
    }
    if let Some(t) = trace.take() {
        t.file.finish()?;
    }
    let (pages, records) = graph.finish()?;
    counts.graph_sign_in_pages = pages;
    counts.graph_sign_ins = records;
    counts.distinct_sign_ins = records;
    for p in 1..=pages {
        files.push(format!("signins/graph/page-{p:04}.json"));
    }
    let (dpages, drecords) = directory.finish()?;
    counts.directory_audit_pages = dpages;
    counts.directory_audits = drecords;
    for p in 1..=dpages {
        files.push(format!("directory/graph/page-{p:04}.json"));
    }
    portal.finish()?;
    details.finish()?;
    non_interactive.finish()?;
    files.push(portal_rel);
    files.push(details_rel);
    files.push(non_rel);
    let (ual_files, ual_rows) = ual.finish()?;
    counts.ual_rows = ual_rows;
    files.extend(ual_files.into_iter().map(|f| format!("ual/{f}")));
    files.extend(trace_files);

    // Historical extended report for the incident window (A−1 … A+1), oldest first.
    historical.sort_by(|a, b| a.time.cmp(&b.time).then(a.message_id.cmp(&b.message_id)));
    let a = plan.attack_day;
    let hist_rel = format!(
        "messagetrace/historical/ExtendedReport_{}_{}.csv",
        ymd(a - Duration::days(1)),
        ymd(a + Duration::days(2))
    );
    let mut hist = TextFile::create(out.join(&hist_rel), true)?;
    hist.write_line(&csv_line(HISTORICAL_HEADER, true))?;
    for h in &historical {
        hist.write_line(&h.line())?;
    }
    counts.historical_rows = hist.finish()? - 1;
    files.push(hist_rel);

    write_file(
        out,
        "mimamori.toml",
        config_files::mimamori_toml().as_bytes(),
        &mut files,
    )?;
    write_file(
        out,
        "expected_locations.csv",
        config_files::expected_locations(&tenant, &plan).as_bytes(),
        &mut files,
    )?;
    let geo = mmdb::build_geoip(opts.end.timestamp().max(0) as u64)?;
    write_file(out, "geoip.mmdb", &geo, &mut files)?;

    let mailbox = if opts.mailbox {
        Some(crate::mailbox::write(
            opts,
            &tenant,
            &facts,
            &victim_mail,
            &mut files,
        )?)
    } else {
        None
    };

    let gt = assemble(opts, &tenant, &plan, &facts, counts, files, mailbox);
    let json = serde_json::to_vec_pretty(&gt).map_err(|e| Error::Json {
        what: "ground_truth.json".into(),
        source: e,
    })?;
    let path = out.join("ground_truth.json");
    fs::write(&path, json).map_err(|e| Error::io(&path, e))?;
    tracing::info!(out = %out.display(), sign_ins = gt.counts.graph_sign_ins, ual = gt.counts.ual_rows, trace = gt.counts.message_trace_rows, "synthetic tenant written");
    Ok(gt)
}

fn midnight(d: NaiveDate) -> DateTime<Utc> {
    activity::midnight(d)
}

fn assemble(
    opts: &GenerateOptions,
    tenant: &tenant::Tenant,
    plan: &plan::Plan,
    facts: &incident::IncidentFacts,
    counts: Counts,
    mut files: Vec<String>,
    mailbox: Option<crate::ground_truth::MailboxTruth>,
) -> GroundTruth {
    files.push("ground_truth.json".into());
    let victim = &tenant.users[VICTIM];
    let attacker_net = network_of(plan.attacker_ips[0]);
    let (first_id, first_time) = facts
        .malicious_sign_ins
        .first()
        .map(|(id, t, _)| (id.clone(), *t))
        .unwrap_or_default();
    let recipients: BTreeSet<&str> = facts.hidden_sends.iter().map(|h| h.2.as_str()).collect();
    let trip = |t: &plan::Trip| Trip {
        user: tenant.users[t.user].upn.clone(),
        country: t.country.into(),
        from: t.from,
        to: t.to,
        ip: t.ip.to_string(),
    };
    let undeclared = plan.undeclared().map(trip).unwrap_or(Trip {
        user: String::new(),
        country: String::new(),
        from: plan.start.date_naive(),
        to: plan.start.date_naive(),
        ip: String::new(),
    });
    GroundTruth {
        seed: opts.seed,
        period_start: plan.start,
        period_end: plan.end,
        tenant_id: "default".into(),
        tenant_guid: tenant.guid.clone(),
        domains: vec![DOMAIN_JP.into(), DOMAIN_VN.into()],
        victim: Victim {
            upn: victim.upn.clone(),
            display_name: victim.display_name.clone(),
            expected_country: "VN".into(),
            password_reset_time: facts.password_reset,
            inbox_rule_name: RULE_NAME.into(),
            inbox_rule_folder: RULE_FOLDER.into(),
            inbox_rule_created: facts.rule_created,
            inbox_rule_removed: facts.rule_removed,
            synced_folders: facts.synced_folders.clone(),
        },
        attacker: Attacker {
            ips: plan.attacker_ips.iter().map(|i| i.to_string()).collect(),
            country: attacker_net
                .map(|n| n.place.country)
                .unwrap_or_default()
                .into(),
            asn: attacker_net.map(|n| n.asn).unwrap_or_default(),
            first_sign_in_id: first_id,
            first_sign_in_time: first_time,
            successful_sign_in_ids: facts
                .malicious_sign_ins
                .iter()
                .map(|m| m.0.clone())
                .collect(),
            failed_sign_in_ids_after_reset: facts.failed_after_reset.clone(),
        },
        hidden_sends: HiddenSends {
            count: facts.hidden_sends.len(),
            message_ids: facts.hidden_sends.iter().map(|h| h.0.clone()).collect(),
            message_trace_ids: facts.hidden_sends.iter().map(|h| h.1.clone()).collect(),
            distinct_recipients: recipients.len(),
            first: facts.hidden_sends.first().map(|h| h.3).unwrap_or_default(),
            last: facts.hidden_sends.last().map(|h| h.3).unwrap_or_default(),
        },
        spray: Spray {
            source_ip: plan.spray_ip.to_string(),
            country: network_of(plan.spray_ip)
                .map(|n| n.place.country)
                .unwrap_or_default()
                .into(),
            targeted_users: plan
                .spray_targets
                .iter()
                .map(|&u| tenant.users[u].upn.clone())
                .collect(),
            attempts: facts.spray_attempts.len(),
            successes: 0,
            first: facts.spray_window.0,
            last: facts.spray_window.1,
        },
        undeclared_trip: undeclared,
        declared_trips: plan.trips.iter().filter(|t| t.declared).map(trip).collect(),
        legitimate_inbox_rules: plan
            .legit_rules
            .iter()
            .map(|r| {
                let name = if r.forward_to.is_some() {
                    "不在時の転送"
                } else {
                    "ニュースレター整理"
                };
                (tenant.users[r.user].upn.clone(), name.to_string())
            })
            .collect(),
        counts,
        files,
        users: tenant
            .users
            .iter()
            .map(|u| UserInfo {
                upn: u.upn.clone(),
                display_name: u.display_name.clone(),
                latin_name: u.latin_name.clone(),
                country: u.site.country().into(),
                department: u.department.into(),
                object_id: u.object_id.clone(),
            })
            .collect(),
        mailbox,
    }
}

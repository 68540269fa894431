//! `investigate` end to end: ingest → detect → sent-items reconciliation → mail verdicts and
//! leak scope → timeline → case folder (JSONL, scope.json, timeline.csv, report.md/html,
//! ppc-report.md). Each stage is the same code the single-purpose commands run.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use chrono::{DateTime, Utc};
use model::Severity;
use store::{EventFilter, Store};

use super::{IngestOptions, IngestReport, mailwork};
use crate::i18n::Lang;

/// Entries of each long scope list (files with personal data, files not inspected) the case
/// reports receive; scope.json holds them all.
const SCOPE_VIEW_ENTRIES: usize = 1000;

/// Inputs of one investigation.
pub struct InvestigateOptions {
    /// Export files and folders.
    pub inputs: Vec<PathBuf>,
    /// The case folder.
    pub out: PathBuf,
    /// Tenant id.
    pub tenant: String,
    /// Tenant configuration, when given (else `mimamori.toml` at the top of an input folder).
    pub config: Option<PathBuf>,
    /// Sigma rules folder.
    pub rules: Option<PathBuf>,
    /// When the company learned of the breach (drives the PPC due dates).
    pub discovered_at: Option<DateTime<Utc>>,
    /// Report language.
    pub lang: Lang,
    /// Command line, for the report.
    pub command_line: String,
    /// Progress display.
    pub progress: indicatif::ProgressBar,
}

/// What an investigation produced, for the one-screen summary.
pub struct CaseSummary {
    /// The ingest.
    pub ingest: IngestReport,
    /// The case inputs written.
    pub case: act::CaseInputs,
    /// Report files.
    pub reports: act::ReportPaths,
    /// The scope, when mailbox exports were found.
    pub scope: Option<pii::Scope>,
    /// The database of the case.
    pub db: PathBuf,
}

/// Runs the whole investigation.
pub fn investigate(opts: InvestigateOptions) -> anyhow::Result<CaseSummary> {
    let started = Instant::now();
    std::fs::create_dir_all(&opts.out)
        .with_context(|| format!("cannot create {}", opts.out.display()))?;
    let db = opts.out.join("mimamori.db");
    let mut store = store::SqliteStore::open(&db)?;

    // 1. ingest
    let ingest = super::ingest(
        &mut store,
        &opts.inputs,
        &IngestOptions {
            tenant: &opts.tenant,
            command_line: opts.command_line.clone(),
            rejects_path: opts.out.join("rejects.jsonl"),
            lang: opts.lang,
            progress: opts.progress.clone(),
        },
    )?;

    // 2. detect
    let config = opts.config.clone().or_else(|| find_config(&opts.inputs));
    let cfg = super::load_config(config.as_deref(), &opts.tenant)?;
    let domains = cfg.domains.clone();
    let tenant_name = Some(cfg.tenant_name.clone()).filter(|n| !n.is_empty());
    let tz = crate::timefmt::zone(Some(&cfg.time_zone));
    let sigma = match &opts.rules {
        Some(dir) => detect::SigmaRule::load_dir(dir)?,
        None => Vec::new(),
    };
    let report = super::detect(&mut store, cfg, sigma, &opts.progress)?;

    // 3. hidden sends for every incident user and mailbox owner
    let mail_files = mailwork::mail_files(&opts.inputs);
    let mut users: BTreeSet<String> = report
        .incidents
        .iter()
        .filter(|i| i.severity >= Severity::High)
        .filter_map(|i| i.user.clone())
        .collect();
    users.extend(
        mail_files
            .iter()
            .filter_map(|f| super::mail::mailbox_owner(f)),
    );
    let mut hidden_sends = Vec::new();
    for u in &users {
        let gap = crate::cli::mail_reconcile(&store, &opts.tenant, u)?;
        hidden_sends.extend(crate::cli::mail_hidden_lines(&opts.tenant, &gap));
    }
    let hidden_ids: HashSet<String> = hidden_sends
        .iter()
        .filter_map(|h| h.message_id.as_deref().map(mailwork::norm_id))
        .collect();

    // 4. mail verdicts and leak scope of the mailbox exports
    let unauthorized = report
        .incidents
        .iter()
        .any(|i| i.severity >= Severity::High);
    let mut scope_builder = (!mail_files.is_empty()).then(|| {
        pii::ScopeBuilder::new(pii::ScopeOptions {
            tenant_id: opts.tenant.clone(),
            internal_domains: domains.clone(),
            unauthorized_access: unauthorized,
            // Beside scope.json, on the disk the user chose (`/tmp` is often RAM).
            spill_dir: Some(opts.out.clone()),
            ..pii::ScopeOptions::default()
        })
    });
    let pass = mailwork::run(
        &mail_files,
        mailwork::MailPassOptions {
            domains: &domains,
            hidden_ids: &hidden_ids,
            scope: scope_builder.as_mut(),
            verdicts: true,
            progress: Some((
                &opts.progress,
                opts.lang.pick("メールを解析中", "reading mail"),
            )),
        },
    );
    let scope = scope_builder.map(pii::ScopeBuilder::finish);
    let mail_verdicts: Vec<act::MailVerdictLine> = pass
        .verdicts
        .iter()
        .filter_map(|v| serde_json::to_value(v).ok())
        .filter_map(|v| serde_json::from_value(v).ok())
        .collect();

    // 5. timeline of every source, findings marked
    let timeline = write_timeline(&store, &opts.tenant, &report.findings, &opts.out, tz)?;

    // 6. the case folder
    let mut case = act::CaseInputs::new(opts.tenant.clone(), Utc::now(), tz);
    case.command_line = opts.command_line.clone();
    case.tenant_name = tenant_name;
    case.discovered_at = opts.discovered_at;
    case.version = Some(env!("CARGO_PKG_VERSION").to_string());
    case.incidents = report.incidents.clone();
    case.findings = report.findings.clone();
    case.hidden_sends = hidden_sends;
    case.mail_verdicts = mail_verdicts;
    case.timeline = Some(timeline);
    case.rejected_records = ingest.totals().rejected + pass.errors.len() as u64;
    if let Some(s) = &scope {
        s.write_json(&opts.out.join("scope.json"))?;
        // The reports show samples: the view gets the first entries of the long lists (with
        // their totals), so memory does not grow with the files listed in scope.json.
        case.scope = Some(act::ScopeView::from_value(serde_json::to_value(
            s.summary(SCOPE_VIEW_ENTRIES)?,
        )?));
    }
    case.elapsed = Some(started.elapsed());
    act::write_case_files(&opts.out, &case)?;
    let lang = match opts.lang {
        Lang::Ja => act::Lang::Ja,
        Lang::En => act::Lang::En,
    };
    let reports = act::write_reports(&opts.out, &case, lang)?;
    opts.progress.finish_and_clear();
    Ok(CaseSummary {
        ingest,
        case,
        reports,
        scope,
        db,
    })
}

/// `mimamori.toml` at the top of an input folder (the layout `generate` writes and the one the
/// README recommends for a case folder of exports).
fn find_config(inputs: &[PathBuf]) -> Option<PathBuf> {
    inputs
        .iter()
        .map(|i| {
            if i.is_dir() {
                i.join("mimamori.toml")
            } else {
                i.with_file_name("mimamori.toml")
            }
        })
        .find(|p| p.is_file())
}

/// Streams every event of the tenant into `timeline.csv`, marking the rows findings rest on.
fn write_timeline(
    store: &dyn Store,
    tenant: &str,
    findings: &[model::Finding],
    out: &Path,
    tz: chrono_tz::Tz,
) -> anyhow::Result<act::TimelineStats> {
    const CHUNK: usize = 20_000;
    let mut w = act::TimelineWriter::create(&out.join("timeline.csv"), tz)?;
    let mut rows: Vec<act::TimelineRow> = Vec::with_capacity(CHUNK);
    let flush =
        |rows: &mut Vec<act::TimelineRow>, w: &mut act::TimelineWriter| -> anyhow::Result<()> {
            act::mark_findings(rows, findings);
            for r in rows.iter() {
                w.write(r)?;
            }
            rows.clear();
            Ok(())
        };
    let mut err = None;
    store.for_each_event(&EventFilter::tenant(tenant), &mut |ev| {
        rows.push(act::TimelineRow::from_event(&ev));
        if rows.len() >= CHUNK
            && let Err(e) = flush(&mut rows, &mut w)
        {
            err = Some(e);
            return Err(store::Error::visitor(std::io::Error::other(
                "timeline write failed",
            )));
        }
        Ok(())
    })?;
    if let Some(e) = err {
        return Err(e);
    }
    flush(&mut rows, &mut w)?;
    Ok(w.finish()?)
}

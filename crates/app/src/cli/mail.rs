//! `mimamori mail check FILE|DIR…`: phishing verdicts per message; `mimamori mail sent-gap
//! --user U`: mail that left (message trace) without a Sent Items copy.

use std::collections::HashSet;
use std::path::PathBuf;
use std::process::ExitCode;

use comfy_table::Cell;
use store::{EventFilter, Store};

use crate::cli::Ctx;
use crate::pipeline::{self, mailwork};
use crate::{output, timefmt};

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table for people.
    Table,
    /// JSON lines (documented interface).
    Jsonl,
}

/// Arguments of `mail`.
#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    pub command: MailCommand,
}

/// `mail` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum MailCommand {
    /// Score each message of mailbox exports (MBOX, EML, MSG, PST) for phishing.
    Check {
        /// Files or folders.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Tenant configuration (for the tenant's own domains).
        #[arg(long, env = "MIMAMORI_CONFIG")]
        config: Option<PathBuf>,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// List the mail a user sent that has no Sent Items copy (message trace vs mailbox export
    /// vs Send audit records in the store).
    SentGap {
        /// The user (UPN).
        #[arg(long)]
        user: String,
        /// Output format.
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
}

/// Runs `mail`.
pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<ExitCode> {
    match args.command {
        MailCommand::Check {
            paths,
            config,
            format,
        } => check(ctx, &paths, config, format),
        MailCommand::SentGap { user, format } => sent_gap(ctx, &user, format),
    }
}

fn check(
    ctx: &Ctx,
    paths: &[PathBuf],
    config: Option<PathBuf>,
    format: Format,
) -> anyhow::Result<ExitCode> {
    let cfg = pipeline::load_config(config.as_deref(), &ctx.tenant)?;
    let files = mailwork::mail_files(paths);
    let hidden = HashSet::new();
    let pass = mailwork::run(
        &files,
        mailwork::MailPassOptions {
            domains: &cfg.domains,
            hidden_ids: &hidden,
            scope: None,
            verdicts: true,
            progress: None,
        },
    );
    let l = ctx.lang;
    match format {
        Format::Jsonl => {
            for v in &pass.verdicts {
                println!("{}", serde_json::to_string(v)?);
            }
        }
        Format::Table => {
            let mut t = output::table(&[
                l.pick("判定", "verdict"),
                l.pick("点数", "score"),
                "Message-ID",
                l.pick("理由", "reasons"),
            ]);
            for v in &pass.verdicts {
                let reasons: Vec<String> = v
                    .reasons
                    .iter()
                    .map(|r| format!("{}: {}", r.id, l.pick(&r.ja, &r.en)))
                    .collect();
                t.add_row(vec![
                    Cell::new(format!("{:?}", v.verdict).to_lowercase()),
                    Cell::new(format!("{:.1}", v.score)),
                    Cell::new(v.message_id.as_deref().unwrap_or("-")),
                    Cell::new(reasons.join("\n")),
                ]);
            }
            println!("{t}");
        }
    }
    for e in &pass.errors {
        eprintln!("{}: {e}", l.pick("読めないメール", "unreadable mail"));
    }
    Ok(ExitCode::SUCCESS)
}

/// Loads the user's trace, mail and audit events and reconciles them.
pub fn reconcile(
    store: &dyn Store,
    tenant: &str,
    user: &str,
) -> anyhow::Result<content::SentGapReport> {
    let mut events = Vec::new();
    let filter = EventFilter {
        tenant: Some(tenant.to_string()),
        user: Some(user.to_lowercase()),
        kinds: vec!["message_trace".into(), "mail".into(), "audit".into()],
        ..EventFilter::default()
    };
    store.for_each_event(&filter, &mut |e| {
        events.push(e);
        Ok(())
    })?;
    Ok(content::sent_gap(user, &events))
}

/// One JSONL line of `sent-gap` and of `hidden_sends.jsonl`.
pub fn hidden_lines(tenant: &str, report: &content::SentGapReport) -> Vec<act::HiddenSend> {
    let mut rows = Vec::new();
    for g in &report.groups {
        for r in &g.rows {
            rows.push(act::HiddenSend {
                tenant: tenant.to_string(),
                user: report.user.clone(),
                time: r.time,
                recipient: r.recipient.clone(),
                subject: r.subject.clone(),
                message_id: r.message_id.clone(),
                client_ip: r.client_ip.map(|ip| ip.to_string()),
            });
        }
    }
    rows.sort_by(|a, b| {
        a.time
            .cmp(&b.time)
            .then_with(|| a.recipient.cmp(&b.recipient))
    });
    rows
}

fn sent_gap(ctx: &Ctx, user: &str, format: Format) -> anyhow::Result<ExitCode> {
    let store = store::SqliteStore::open(&ctx.db)?;
    let report = reconcile(&store, &ctx.tenant, user)?;
    let rows = hidden_lines(&ctx.tenant, &report);
    let l = ctx.lang;
    if format == Format::Jsonl {
        for r in &rows {
            println!("{}", serde_json::to_string(r)?);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let tz = timefmt::DEFAULT_TZ;
    let mut t = output::table(&[
        l.pick("日時", "time"),
        l.pick("宛先", "recipient"),
        l.pick("件名", "subject"),
        l.pick("送信元IP", "client IP"),
        "Message-ID",
    ]);
    for r in &rows {
        t.add_row(vec![
            timefmt::show(r.time, tz),
            r.recipient.clone(),
            r.subject.clone().unwrap_or_default(),
            r.client_ip.clone().unwrap_or_default(),
            r.message_id.clone().unwrap_or_default(),
        ]);
    }
    println!("{t}");
    println!(
        "{}: {} ({} {}: {})",
        l.pick(
            "送信済みアイテムにない送信",
            "sent without a Sent Items copy"
        ),
        report.hidden_messages,
        l.pick("宛先ドメイン", "recipient domains"),
        report.groups.len(),
        report
            .groups
            .iter()
            .map(|g| format!("{} {}", g.domain, g.messages))
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(ExitCode::SUCCESS)
}

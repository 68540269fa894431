//! `mimamori investigate PATH… --out CASE_DIR`: one command from a folder of exports to a case.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Utc};

use crate::cli::{Ctx, ingest};
use crate::output;
use crate::pipeline::case::{self, InvestigateOptions};

/// Arguments of `investigate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Export files and folders (all formats, detected from content; mailbox exports too).
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The case folder to write (its database is CASE_DIR/mimamori.db).
    #[arg(long)]
    pub out: PathBuf,
    /// When the company learned of the breach (RFC 3339); drives the PPC due dates.
    #[arg(long)]
    pub discovered_at: Option<DateTime<chrono::FixedOffset>>,
    /// Tenant configuration (default: mimamori.toml at the top of an input folder).
    #[arg(long, env = "MIMAMORI_CONFIG")]
    pub config: Option<PathBuf>,
    /// Sigma rules folder.
    #[arg(long)]
    pub rules: Option<PathBuf>,
}

/// Runs `investigate`.
pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<ExitCode> {
    let l = ctx.lang;
    let summary = case::investigate(InvestigateOptions {
        inputs: args.paths,
        out: args.out.clone(),
        tenant: ctx.tenant.clone(),
        config: args.config,
        rules: args.rules,
        discovered_at: args.discovered_at.map(|t| t.with_timezone(&Utc)),
        lang: l,
        command_line: std::env::args().collect::<Vec<_>>().join(" "),
        progress: output::progress(l.pick("調査中", "investigating")),
    })?;
    let tot = summary.ingest.totals();
    println!("== {} ==", l.pick("調査結果", "investigation"));
    println!("{}", ingest::totals_line(l, l.pick("取込", "ingest"), &tot));
    let c = &summary.case;
    println!(
        "{}: {} / {}: {}",
        l.pick("インシデント", "incidents"),
        c.incidents.len(),
        l.pick("検知", "findings"),
        c.findings.len()
    );
    for i in c.incidents.iter().take(5) {
        println!(
            "  [{}] {} {}",
            i.severity.as_str(),
            i.user.as_deref().unwrap_or("-"),
            i.attacker_ips.join(" ")
        );
    }
    println!(
        "{}: {}",
        l.pick(
            "送信済みアイテムにない送信",
            "sent without a Sent Items copy"
        ),
        c.hidden_sends.len()
    );
    let phishing = c
        .mail_verdicts
        .iter()
        .filter(|v| v.verdict == act::Verdict::Phishing)
        .count();
    println!(
        "{}: {} ({}: {})",
        l.pick("検査したメール", "mail checked"),
        c.mail_verdicts.len(),
        l.pick("フィッシング", "phishing"),
        phishing
    );
    if let Some(s) = &summary.scope {
        println!(
            "{}: {} / {}: {} / {}: {} / {}: {}",
            l.pick("漏えいのおそれがある本人の数", "persons possibly affected"),
            s.persons.count,
            l.pick("マイナンバー", "My Number"),
            s.my_number_found,
            l.pick("宛先アドレス", "addresses"),
            s.addresses.unique,
            l.pick("個人情報保護委員会への報告", "PPC report required"),
            s.ppc_report_required
        );
    }
    println!("{}: {}", l.pick("ケース", "case"), args.out.display());
    println!("  {}", summary.reports.html.display());
    println!("  {}", summary.reports.ppc.display());
    println!(
        "{}: {}",
        l.pick("データベース", "database"),
        summary.db.display()
    );
    if !summary.ingest.failed_inputs.is_empty() {
        ingest::print_summary(ctx, &summary.ingest);
    }
    Ok(ingest::exit_code(&summary.ingest))
}

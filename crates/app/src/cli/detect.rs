//! `mimamori detect`: run every detection over the stored events, store the findings and
//! incidents, and print them (colored table, Hayabusa-style timeline CSV, or JSONL).

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use chrono::{DateTime, Utc};
use comfy_table::{Cell, Color};
use model::{Finding, Severity};

use crate::cli::Ctx;
use crate::{output, pipeline, timefmt};

/// Output formats of `detect`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table for people.
    Table,
    /// One finding per line (the documented JSONL interface).
    Jsonl,
    /// Hayabusa-style timeline CSV.
    Csv,
}

/// Arguments of `detect`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Tenant configuration (mimamori.toml): locations, networks, GeoIP, apps.
    #[arg(long, env = "MIMAMORI_CONFIG")]
    pub config: Option<PathBuf>,
    /// Folder of Sigma rules (product azure or m365) to evaluate as well.
    #[arg(long)]
    pub rules: Option<PathBuf>,
    /// Only print findings at or after this time (RFC 3339, e.g. 2025-06-01T00:00:00+09:00).
    #[arg(long)]
    pub since: Option<DateTime<chrono::FixedOffset>>,
    /// Only print findings at least this severe: info, low, medium, high, critical.
    #[arg(long, default_value = "low", value_parser = parse_level)]
    pub min_level: Severity,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

fn parse_level(s: &str) -> Result<Severity, String> {
    Severity::parse(s)
        .ok_or_else(|| format!("unknown level {s:?}: info, low, medium, high, critical"))
}

/// Runs `detect`.
pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<ExitCode> {
    let cfg = pipeline::load_config(args.config.as_deref(), &ctx.tenant)?;
    let tz = timefmt::zone(Some(&cfg.time_zone));
    let sigma = match &args.rules {
        Some(dir) => detect::SigmaRule::load_dir(dir)?,
        None => Vec::new(),
    };
    let mut store = store::SqliteStore::open(&ctx.db)?;
    let progress = output::progress(ctx.lang.pick("検知中", "detecting"));
    let report = pipeline::detect(&mut store, cfg, sigma, &progress)?;
    let since = args.since.map(|t| t.with_timezone(&Utc));
    let shown: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.severity >= args.min_level && since.is_none_or(|s| f.time >= s))
        .collect();
    match args.format {
        Format::Jsonl => {
            for f in &shown {
                println!("{}", serde_json::to_string(f)?);
            }
        }
        Format::Csv => {
            let owned: Vec<Finding> = shown.iter().map(|f| (*f).clone()).collect();
            let lang = match ctx.lang {
                crate::i18n::Lang::Ja => detect::Lang::Ja,
                crate::i18n::Lang::En => detect::Lang::En,
            };
            detect::timeline::write_csv(
                std::io::stdout().lock(),
                &detect::timeline::rows(&owned, lang),
            )?;
        }
        Format::Table => {
            print_findings(ctx, &shown, tz);
            eprintln!(
                "{}: {} / {}: {} ({} {})",
                ctx.lang.pick("検知", "findings"),
                report.findings.len(),
                ctx.lang.pick("インシデント", "incidents"),
                report.incidents.len(),
                ctx.lang.pick("表示", "shown"),
                shown.len()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Severity as a colored cell on a terminal.
pub fn severity_cell(s: Severity) -> Cell {
    let cell = Cell::new(s.as_str());
    if !std::io::stdout().is_terminal() {
        return cell;
    }
    match s {
        Severity::Critical => cell.fg(Color::Magenta),
        Severity::High => cell.fg(Color::Red),
        Severity::Medium => cell.fg(Color::Yellow),
        Severity::Low => cell.fg(Color::Cyan),
        Severity::Info => cell,
    }
}

fn print_findings(ctx: &Ctx, findings: &[&Finding], tz: chrono_tz::Tz) {
    let l = ctx.lang;
    let mut t = output::table(&[
        l.pick("日時", "time"),
        l.pick("重大度", "severity"),
        l.pick("検知", "detection"),
        l.pick("ユーザー", "user"),
        "IP",
        l.pick("理由", "reason"),
    ]);
    for f in findings {
        t.add_row(vec![
            Cell::new(timefmt::show(f.time, tz)),
            severity_cell(f.severity),
            Cell::new(&f.detection),
            Cell::new(f.user.as_deref().unwrap_or("-")),
            Cell::new(f.ips.join(" ")),
            Cell::new(l.pick(&f.reason_ja, &f.reason_en)),
        ]);
    }
    println!("{t}");
}

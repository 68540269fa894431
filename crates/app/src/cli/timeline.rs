//! `mimamori timeline --user U`: every stored event about one user, all sources merged in time
//! order, with the rows that findings rest on marked (run `detect` first to mark them).

use std::process::ExitCode;

use comfy_table::Cell;
use store::{EventFilter, FindingFilter, Store};

use crate::cli::Ctx;
use crate::cli::detect::severity_cell;
use crate::{output, timefmt};

/// Output formats of `timeline`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table for people.
    Table,
    /// The case folder's timeline.csv columns.
    Csv,
}

/// Arguments of `timeline`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The user (UPN or mail address).
    #[arg(long)]
    pub user: String,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Only rows marked by a finding.
    #[arg(long)]
    pub marked_only: bool,
    /// Time zone for display (default Asia/Tokyo).
    #[arg(long)]
    pub tz: Option<String>,
}

/// Runs `timeline`.
pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<ExitCode> {
    let store = store::SqliteStore::open(&ctx.db)?;
    let user = args.user.to_lowercase();
    let findings = store.findings(&FindingFilter {
        tenant: Some(ctx.tenant.clone()),
        user: Some(user.clone()),
        ..FindingFilter::default()
    })?;
    let mut rows = Vec::new();
    let filter = EventFilter {
        tenant: Some(ctx.tenant.clone()),
        user: Some(user),
        ..EventFilter::default()
    };
    store.for_each_event(&filter, &mut |ev| {
        rows.push(act::TimelineRow::from_event(&ev));
        Ok(())
    })?;
    act::mark_findings(&mut rows, &findings);
    if args.marked_only {
        rows.retain(|r| !r.detections.is_empty());
    }
    let tz = timefmt::zone(args.tz.as_deref());
    if args.format == Format::Csv {
        // The case folder's writer (CSV-injection safe), pointed at standard output.
        act::write_timeline(std::path::Path::new("/dev/stdout"), &rows, tz)?;
        return Ok(ExitCode::SUCCESS);
    }
    let l = ctx.lang;
    let mut t = output::table(&[
        l.pick("日時", "time"),
        l.pick("種類", "source"),
        "IP",
        l.pick("国", "country"),
        l.pick("操作", "operation"),
        l.pick("詳細", "detail"),
        l.pick("重大度", "severity"),
        l.pick("検知", "detections"),
    ]);
    for r in &rows {
        let sev = r
            .severity
            .map(severity_cell)
            .unwrap_or_else(|| Cell::new(""));
        t.add_row(vec![
            Cell::new(timefmt::show(r.time, tz)),
            Cell::new(&r.source),
            Cell::new(r.ip.as_deref().unwrap_or("")),
            Cell::new(r.country.as_deref().unwrap_or("")),
            Cell::new(&r.operation),
            Cell::new(&r.detail),
            sev,
            Cell::new(r.detections.join(" ")),
        ]);
    }
    println!("{t}");
    Ok(ExitCode::SUCCESS)
}

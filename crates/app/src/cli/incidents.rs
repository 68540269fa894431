//! `mimamori incidents`: the stored incidents of the last `detect` run.

use std::process::ExitCode;

use comfy_table::Cell;
use store::Store;

use crate::cli::Ctx;
use crate::cli::detect::severity_cell;
use crate::{output, timefmt};

/// Output formats of `incidents`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// A table for people.
    Table,
    /// One incident per line (the documented JSONL interface).
    Jsonl,
}

/// Arguments of `incidents`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    /// Time zone for display (default Asia/Tokyo).
    #[arg(long)]
    pub tz: Option<String>,
}

/// Runs `incidents`.
pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<ExitCode> {
    let store = store::SqliteStore::open(&ctx.db)?;
    let incidents = store.incidents(Some(&ctx.tenant))?;
    if args.format == Format::Jsonl {
        for i in &incidents {
            println!("{}", serde_json::to_string(i)?);
        }
        return Ok(ExitCode::SUCCESS);
    }
    let l = ctx.lang;
    let tz = timefmt::zone(args.tz.as_deref());
    let mut t = output::table(&[
        l.pick("重大度", "severity"),
        l.pick("ユーザー", "user"),
        l.pick("最初", "first seen"),
        l.pick("最後", "last seen"),
        l.pick("攻撃元IP", "attacker IPs"),
        l.pick("国", "countries"),
        l.pick("概要", "summary"),
    ]);
    for i in &incidents {
        t.add_row(vec![
            severity_cell(i.severity),
            Cell::new(i.user.as_deref().unwrap_or("-")),
            Cell::new(timefmt::show(i.first_seen, tz)),
            Cell::new(timefmt::show(i.last_seen, tz)),
            Cell::new(i.attacker_ips.join(" ")),
            Cell::new(i.countries.join(" ")),
            Cell::new(l.pick(&i.summary_ja, &i.summary_en)),
        ]);
    }
    println!("{t}");
    if incidents.is_empty() {
        println!(
            "{}",
            l.pick(
                "インシデントはありません (先に mimamori detect を実行してください)",
                "no incidents (run mimamori detect first)"
            )
        );
    }
    Ok(ExitCode::SUCCESS)
}

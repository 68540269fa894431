//! `mimamori demo`: the whole job on one machine — generate a synthetic tenant with the 2025
//! incident, ingest it into a fresh store and print the summary.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::cli::{Ctx, generate, ingest};

/// Arguments of `demo`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Working folder: the tenant goes to DIR/tenant, the database to DIR/mimamori.db.
    #[arg(long, default_value = "mimamori-demo")]
    pub dir: PathBuf,
    /// Random seed.
    #[arg(long, default_value_t = 2025)]
    pub seed: u64,
    /// Number of users.
    #[arg(long, default_value_t = 120)]
    pub users: usize,
    /// Number of days.
    #[arg(long, default_value_t = 60)]
    pub days: u32,
}

/// Runs `demo`.
pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<ExitCode> {
    let l = ctx.lang;
    let tenant_dir = args.dir.join("tenant");
    if tenant_dir.exists() {
        std::fs::remove_dir_all(&tenant_dir)?;
    }
    let db = args.dir.join("mimamori.db");
    for suffix in ["", "-wal", "-shm"] {
        let p = PathBuf::from(format!("{}{suffix}", db.display()));
        if p.exists() {
            std::fs::remove_file(&p)?;
        }
    }
    std::fs::create_dir_all(&args.dir)?;
    println!(
        "{}",
        l.pick(
            "1/2 合成テナントを生成しています…",
            "1/2 generating a synthetic tenant…"
        )
    );
    let truth = generate::generate(&generate::Args {
        out: tenant_dir.clone(),
        seed: args.seed,
        users: args.users,
        days: args.days,
    })?;
    println!("{}", l.pick("2/2 取り込んでいます…", "2/2 ingesting…"));
    let ictx = Ctx {
        db: db.clone(),
        ..ctx.clone()
    };
    let report = ingest::ingest_paths(&ictx, std::slice::from_ref(&tenant_dir), None)?;
    ingest::print_summary(&ictx, &report);
    println!(
        "{}: {} ({}: {}, {}: {})",
        l.pick("データベース", "database"),
        db.display(),
        l.pick("被害ユーザー", "victim"),
        truth.victim.upn,
        l.pick("攻撃元IP", "attacker IP"),
        truth.attacker.ips.join(", ")
    );
    Ok(ingest::exit_code(&report))
}

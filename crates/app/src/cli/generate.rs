//! `mimamori generate --out DIR [--seed N] [--users N] [--days N] [--pst]`: a synthetic Japanese
//! tenant with the 2025 incident, written in the real export formats, with its ground truth.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::cli::Ctx;

/// Arguments of `generate`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Folder to write the tenant's exports into.
    #[arg(long)]
    pub out: PathBuf,
    /// Random seed: the same seed writes the same files.
    #[arg(long, default_value_t = 2025)]
    pub seed: u64,
    /// Number of users.
    #[arg(long, default_value_t = 120)]
    pub users: usize,
    /// Number of days of activity.
    #[arg(long, default_value_t = 60)]
    pub days: u32,
    /// Also write the victim's mailbox as one PST, `mailbox.pst` beside `mailbox/` (the form
    /// of a Purview eDiscovery export). Read one copy or the other, not the whole folder as
    /// mail: every message is in both.
    #[arg(long)]
    pub pst: bool,
}

/// Runs `generate`.
pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<ExitCode> {
    let truth = generate(&args)?;
    let l = ctx.lang;
    println!(
        "{}: {}",
        l.pick("生成しました", "generated"),
        args.out.display()
    );
    println!(
        "{}: {} / {}: {} / {}: {}",
        l.pick("被害ユーザー", "victim"),
        truth.victim.upn,
        l.pick("攻撃元IP", "attacker IP"),
        truth.attacker.ips.join(", "),
        l.pick("隠れ送信", "hidden sends"),
        truth.hidden_sends.count
    );
    Ok(ExitCode::SUCCESS)
}

/// Generates the tenant described by `args` (shared with `demo`).
pub fn generate(args: &Args) -> anyhow::Result<synth::GroundTruth> {
    let opts = synth::GenerateOptions {
        seed: args.seed,
        users: args.users,
        days: args.days,
        mailbox_pst: args.pst,
        ..synth::GenerateOptions::new(&args.out)
    };
    Ok(synth::generate(&opts)?)
}

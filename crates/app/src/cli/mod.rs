//! The command line: one file per subcommand, this file only declares and dispatches them.

mod demo;
mod detect;
mod generate;
mod incidents;
mod ingest;
mod investigate;
mod mail;
mod scope;
mod serve;
mod stats;
mod timeline;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::i18n::Lang;

pub(crate) use mail::{hidden_lines as mail_hidden_lines, reconcile as mail_reconcile};

/// mimamori (見守り) — Microsoft 365 の乗っ取り検知・調査・報告 / takeover detection,
/// investigation and reporting for Microsoft 365 tenants.
#[derive(Debug, Parser)]
#[command(name = "mimamori", version, about, long_about = None)]
pub struct Cli {
    /// Language of messages: ja or en (default: from LANG).
    #[arg(long, global = true, value_enum)]
    pub lang: Option<Lang>,
    /// SQLite database file.
    #[arg(
        long,
        global = true,
        env = "MIMAMORI_DB",
        default_value = "mimamori.db"
    )]
    pub db: PathBuf,
    /// Tenant id stamped on ingested records and used to select results.
    #[arg(long, global = true, env = "MIMAMORI_TENANT", default_value = model::DEFAULT_TENANT)]
    pub tenant: String,
    /// More log output on stderr.
    #[arg(short, long, global = true)]
    pub verbose: bool,
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Generate a synthetic tenant (with the 2025 incident) in the real export formats.
    Generate(generate::Args),
    /// Read export files, folders, .zip and .gz into the store.
    Ingest(ingest::Args),
    /// Show what the store holds, per source, user and day.
    Stats(stats::Args),
    /// Generate a synthetic tenant and ingest it: the whole job on one machine.
    Demo(demo::Args),
    /// Run every detection over the stored events; store and print findings.
    Detect(detect::Args),
    /// List the incidents of the last detect run.
    Incidents(incidents::Args),
    /// One command from a folder of exports to a case folder with reports.
    Investigate(investigate::Args),
    /// Mail content: phishing check, sent-items reconciliation.
    Mail(mail::Args),
    /// What could have leaked from mailbox exports: addresses, personal data, persons.
    Scope(scope::Args),
    /// All events about one user, every source merged, findings marked.
    Timeline(timeline::Args),
    /// Serve the web dashboard (loopback, login required).
    Serve(serve::Args),
    /// Manage dashboard logins.
    User(serve::UserArgs),
}

/// Runs the parsed command line.
pub fn run(cli: Cli, lang: Lang) -> anyhow::Result<ExitCode> {
    let ctx = Ctx {
        lang,
        db: cli.db,
        tenant: cli.tenant,
    };
    match cli.command {
        Command::Generate(a) => generate::run(&ctx, a),
        Command::Ingest(a) => ingest::run(&ctx, a),
        Command::Stats(a) => stats::run(&ctx, a),
        Command::Demo(a) => demo::run(&ctx, a),
        Command::Detect(a) => detect::run(&ctx, a),
        Command::Incidents(a) => incidents::run(&ctx, a),
        Command::Investigate(a) => investigate::run(&ctx, a),
        Command::Mail(a) => mail::run(&ctx, a),
        Command::Scope(a) => scope::run(&ctx, a),
        Command::Timeline(a) => timeline::run(&ctx, a),
        Command::Serve(a) => serve::run(&ctx, a),
        Command::User(a) => serve::run_user(&ctx, a),
    }
}

/// What every subcommand gets from the global options.
#[derive(Debug, Clone)]
pub struct Ctx {
    /// Message language.
    pub lang: Lang,
    /// Database path.
    pub db: PathBuf,
    /// Tenant id.
    pub tenant: String,
}

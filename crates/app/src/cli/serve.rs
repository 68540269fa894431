//! `mimamori serve`: the web dashboard over the store (and a case folder when given), and
//! `mimamori user add NAME`: create a dashboard login.
//!
//! The dashboard binds to loopback unless `--allow-remote`; every page needs a login.

use std::io::BufRead;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::cli::Ctx;

/// Arguments of `serve`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Address to listen on (loopback only unless --allow-remote).
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// A case folder written by `investigate` (scope page and report downloads).
    #[arg(long)]
    pub case: Option<PathBuf>,
    /// Allow a non-loopback listen address (put TLS in front of it).
    #[arg(long)]
    pub allow_remote: bool,
    /// Users file (default: mimamori-users.json beside the database).
    #[arg(long)]
    pub users: Option<PathBuf>,
    /// Tenant time zone for display.
    #[arg(long, default_value = "Asia/Tokyo")]
    pub tz: String,
}

/// Runs `serve` until Ctrl-C.
pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<ExitCode> {
    let mut opts = web::ServeOptions::new(ctx.db.clone());
    opts.listen = args.listen;
    opts.case_dir = args.case;
    opts.allow_remote = args.allow_remote;
    opts.tenant = Some(ctx.tenant.clone());
    opts.time_zone = crate::timefmt::zone(Some(&args.tz));
    if let Some(u) = args.users {
        opts.users_file = u;
    }
    eprintln!(
        "{}: http://{}/",
        ctx.lang.pick("ダッシュボード", "dashboard"),
        opts.listen
    );
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    rt.block_on(web::serve(opts))?;
    Ok(ExitCode::SUCCESS)
}

/// Arguments of `user`.
#[derive(Debug, clap::Args)]
pub struct UserArgs {
    #[command(subcommand)]
    pub command: UserCommand,
}

/// `user` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum UserCommand {
    /// Add (or replace) a dashboard login; the password is read from the first line of stdin
    /// (at least 10 characters), e.g. `read -rs P; echo "$P" | mimamori user add alice`.
    Add {
        /// Login name ([A-Za-z0-9._@-], up to 64).
        name: String,
        /// Users file (default: mimamori-users.json beside the database).
        #[arg(long)]
        users: Option<PathBuf>,
    },
}

/// Runs `user add`.
pub fn run_user(ctx: &Ctx, args: UserArgs) -> anyhow::Result<ExitCode> {
    let UserCommand::Add { name, users } = args.command;
    let file = users.unwrap_or_else(|| web::default_users_file(&ctx.db));
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let password = line.trim_end_matches(['\r', '\n']);
    web::add_user(&file, &name, password)?;
    println!(
        "{}: {name} ({})",
        ctx.lang.pick("ユーザーを登録しました", "user added"),
        file.display()
    );
    Ok(ExitCode::SUCCESS)
}

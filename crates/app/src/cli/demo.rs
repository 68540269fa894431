//! `mimamori demo`: the whole job on one machine — generate a synthetic tenant with the 2025
//! incident, investigate it into a case folder, print where the case is, and start the
//! dashboard on it (with a one-time `demo` login printed on the terminal).

use std::io::Read;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::cli::{Ctx, generate, investigate};

/// Arguments of `demo`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Working folder: the tenant goes to DIR/tenant, the case to DIR/case.
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
    /// Do not start the dashboard at the end.
    #[arg(long)]
    pub no_serve: bool,
    /// Dashboard address.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
}

/// Runs `demo`.
pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<ExitCode> {
    let l = ctx.lang;
    let tenant_dir = args.dir.join("tenant");
    let case_dir = args.dir.join("case");
    for d in [&tenant_dir, &case_dir] {
        if d.exists() {
            std::fs::remove_dir_all(d)?;
        }
    }
    std::fs::create_dir_all(&args.dir)?;
    println!(
        "{}",
        l.pick(
            "1/3 合成テナントを生成しています…",
            "1/3 generating a synthetic tenant…"
        )
    );
    generate::generate(&generate::Args {
        out: tenant_dir.clone(),
        seed: args.seed,
        users: args.users,
        days: args.days,
        pst: false,
    })?;
    println!(
        "{}",
        l.pick(
            "2/3 調査しています (取込・検知・メール・影響範囲・報告書)…",
            "2/3 investigating (ingest, detect, mail, scope, reports)…"
        )
    );
    let code = investigate::run(
        ctx,
        investigate::Args {
            paths: vec![tenant_dir],
            out: case_dir.clone(),
            discovered_at: None,
            config: None,
            rules: None,
        },
    )?;
    if args.no_serve {
        return Ok(code);
    }
    println!(
        "{}",
        l.pick(
            "3/3 ダッシュボードを起動します",
            "3/3 starting the dashboard"
        )
    );
    let db = case_dir.join("mimamori.db");
    let users = web::default_users_file(&db);
    let password = one_time_password()?;
    web::add_user(&users, "demo", &password)?;
    println!(
        "  http://{}/  {}: demo / {}: {password}  ({})",
        args.listen,
        l.pick("ユーザー", "user"),
        l.pick("パスワード", "password"),
        l.pick("Ctrl-C で終了", "Ctrl-C to stop")
    );
    let mut opts = web::ServeOptions::new(db);
    opts.listen = args.listen;
    opts.case_dir = Some(case_dir);
    opts.users_file = users;
    opts.tenant = Some(ctx.tenant.clone());
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?
        .block_on(web::serve(opts))?;
    Ok(code)
}

/// 16 random bytes from the OS as hex.
fn one_time_password() -> anyhow::Result<String> {
    let mut b = [0u8; 16];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut b)?;
    Ok(b.iter().map(|x| format!("{x:02x}")).collect())
}

//! `mimamori scope EXPORT… [--exposed-by AUDIT…] [--out DIR]`: what could have leaked from
//! mailbox exports — addresses, Japanese personal data found and validated, persons counted —
//! written as `scope.json` and a ja/en summary `scope.md`. Values are masked unless `--reveal`.

use std::collections::HashSet;
use std::path::PathBuf;
use std::process::ExitCode;

use crate::cli::Ctx;
use crate::i18n::Lang;
use crate::pipeline::{self, exposure, mailwork};

/// Arguments of `scope`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Mailbox exports (PST, MBOX, EML, MSG; files or folders).
    #[arg(required = true)]
    pub exports: Vec<PathBuf>,
    /// Audit exports whose MailItemsAccessed records limit the scope to what the attacker
    /// reached (Bind = those messages, Sync = the whole folder).
    #[arg(long, num_args = 1..)]
    pub exposed_by: Vec<PathBuf>,
    /// Output folder for scope.json and scope.md.
    #[arg(long, default_value = ".")]
    pub out: PathBuf,
    /// Tenant configuration (internal mail domains).
    #[arg(long, env = "MIMAMORI_CONFIG")]
    pub config: Option<PathBuf>,
    /// The exposure was caused by unauthorized access (a PPC report trigger).
    #[arg(long)]
    pub unauthorized_access: bool,
    /// Write raw personal data values (default: masked).
    #[arg(long)]
    pub reveal: bool,
    /// Read every copy of an attachment again, even when its bytes equal a recent one's
    /// (default: read once and count every copy; for verification and benchmarks).
    #[arg(long)]
    pub no_reuse: bool,
}

/// Runs `scope`.
pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<ExitCode> {
    let cfg = pipeline::load_config(args.config.as_deref(), &ctx.tenant)?;
    let exposure = if args.exposed_by.is_empty() {
        None
    } else {
        Some(exposure::from_audit_files(&args.exposed_by, &ctx.tenant)?)
    };
    std::fs::create_dir_all(&args.out)?;
    let scope = compute(ctx, &cfg.domains, &args, exposure)?;
    scope.write_json(&args.out.join("scope.json"))?;
    let lang = match ctx.lang {
        Lang::Ja => pii::Lang::Ja,
        Lang::En => pii::Lang::En,
    };
    let md = scope.render_markdown(lang);
    std::fs::write(args.out.join("scope.md"), &md)?;
    println!("{md}");
    Ok(ExitCode::SUCCESS)
}

/// Runs the scope over the exports of `args`. The long lists of the scope wait in a temporary
/// file in `args.out` (beside scope.json, on the disk the user chose: `/tmp` is often RAM).
fn compute(
    ctx: &Ctx,
    domains: &[String],
    args: &Args,
    exposure: Option<pii::Exposure>,
) -> anyhow::Result<pii::Scope> {
    let mut builder = pii::ScopeBuilder::new(pii::ScopeOptions {
        tenant_id: ctx.tenant.clone(),
        internal_domains: domains.to_vec(),
        exposure,
        reveal: args.reveal,
        unauthorized_access: args.unauthorized_access,
        spill_dir: Some(args.out.clone()),
        reuse_identical_attachments: !args.no_reuse,
        ..pii::ScopeOptions::default()
    });
    let files = mailwork::mail_files(&args.exports);
    let hidden = HashSet::new();
    let pb = crate::output::progress("");
    let pass = mailwork::run(
        &files,
        mailwork::MailPassOptions {
            domains,
            hidden_ids: &hidden,
            scope: Some(&mut builder),
            verdicts: false,
            progress: Some((&pb, ctx.lang.pick("漏えい範囲を調査中", "scoping"))),
        },
    );
    pb.finish_and_clear();
    for e in &pass.errors {
        eprintln!(
            "{}: {e}",
            ctx.lang.pick("読めないメール", "unreadable mail")
        );
    }
    Ok(builder.finish())
}

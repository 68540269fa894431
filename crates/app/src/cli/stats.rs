//! `mimamori stats [--json]`: what the store holds, per source, user and day.

use std::process::ExitCode;

use store::Store;

use crate::cli::Ctx;
use crate::output;
use crate::timefmt;

/// Arguments of `stats`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print as JSON (top-level `sign_ins`, `audit_records`, `message_trace`, … numbers).
    #[arg(long)]
    pub json: bool,
    /// Count every tenant in the store, not only `--tenant`.
    #[arg(long)]
    pub all_tenants: bool,
    /// How many users to list (busiest first); 0 = all.
    #[arg(long, default_value_t = 20)]
    pub top_users: usize,
}

/// Runs `stats`.
pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<ExitCode> {
    if !ctx.db.exists() {
        anyhow::bail!(
            "{}: {}",
            ctx.lang.pick("データベースがありません", "no database at"),
            ctx.db.display()
        );
    }
    let store = store::SqliteStore::open(&ctx.db)?;
    let tenant = (!args.all_tenants).then_some(ctx.tenant.as_str());
    let stats = store.stats(tenant)?;
    if args.json {
        output::print_json(&stats)?;
        return Ok(ExitCode::SUCCESS);
    }
    let l = ctx.lang;
    let tz = timefmt::DEFAULT_TZ;
    let mut t = output::table(&[l.pick("種類", "kind"), l.pick("件数", "records")]);
    for (label, n) in [
        (l.pick("サインイン", "sign-ins"), stats.sign_ins),
        (
            l.pick("統合監査ログ", "unified audit records"),
            stats.audit_records,
        ),
        (
            l.pick("ディレクトリ監査", "directory audits"),
            stats.directory_audits,
        ),
        (
            l.pick("メッセージ追跡 (宛先ごと)", "message trace (per recipient)"),
            stats.message_trace,
        ),
        (
            l.pick("メール (メールボックス)", "mail (mailbox exports)"),
            stats.mail,
        ),
        (l.pick("合計", "total"), stats.events),
    ] {
        t.add_row(vec![label.to_string(), n.to_string()]);
    }
    println!("{t}");
    if let (Some(a), Some(b)) = (stats.first_event, stats.last_event) {
        println!(
            "{}: {} 〜 {}",
            l.pick("期間", "period"),
            timefmt::show(a, tz),
            timefmt::show(b, tz)
        );
    }
    println!(
        "{}: {} / {}: {} / {}: {}",
        l.pick("取込回数", "ingest runs"),
        stats.runs,
        l.pick("不正レコード", "rejected records"),
        stats.rejects,
        l.pick("インシデント", "incidents"),
        stats.incidents
    );

    let mut t = output::table(&[
        l.pick("取込元の形式", "source format"),
        l.pick("件数", "records"),
    ]);
    for (k, n) in &stats.by_source {
        t.add_row(vec![k.clone(), n.to_string()]);
    }
    println!("{t}");

    let mut users: Vec<(&String, &u64)> = stats.by_user.iter().collect();
    users.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    let shown = if args.top_users == 0 {
        users.len()
    } else {
        args.top_users.min(users.len())
    };
    let mut t = output::table(&[l.pick("ユーザー", "user"), l.pick("件数", "records")]);
    for (u, n) in &users[..shown] {
        t.add_row(vec![(*u).clone(), n.to_string()]);
    }
    println!("{t}");
    if shown < users.len() {
        println!(
            "{} {} / {}",
            l.pick("表示したユーザー", "users shown"),
            shown,
            users.len()
        );
    }

    let mut t = output::table(&[l.pick("日付 (UTC)", "day (UTC)"), l.pick("件数", "records")]);
    for (d, n) in &stats.by_day {
        t.add_row(vec![d.to_string(), n.to_string()]);
    }
    println!("{t}");
    Ok(ExitCode::SUCCESS)
}

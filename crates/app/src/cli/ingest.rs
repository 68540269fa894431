//! `mimamori ingest PATH… [--json]`: read exports into the store and print the per-file summary.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::cli::Ctx;
use crate::i18n::Lang;
use crate::output;
use crate::pipeline::{self, IngestOptions, IngestReport};

/// Arguments of `ingest`.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// Files, folders, .zip or .gz archives.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Where rejected records are appended (default: beside the database, `*.rejects.jsonl`).
    #[arg(long)]
    pub rejects: Option<PathBuf>,
    /// Print the summary as JSON.
    #[arg(long)]
    pub json: bool,
}

/// Runs `ingest`.
pub fn run(ctx: &Ctx, args: Args) -> anyhow::Result<ExitCode> {
    let report = ingest_paths(ctx, &args.paths, args.rejects)?;
    if args.json {
        output::print_json(&report)?;
    } else {
        print_summary(ctx, &report);
    }
    Ok(exit_code(&report))
}

/// Ingests `paths` into the context's store (shared with `demo` and `investigate`).
pub fn ingest_paths(
    ctx: &Ctx,
    paths: &[PathBuf],
    rejects: Option<PathBuf>,
) -> anyhow::Result<IngestReport> {
    let mut store = store::SqliteStore::open(&ctx.db)?;
    let opts = IngestOptions {
        tenant: &ctx.tenant,
        command_line: std::env::args().collect::<Vec<_>>().join(" "),
        rejects_path: rejects.unwrap_or_else(|| pipeline::default_rejects_path(&ctx.db)),
        lang: ctx.lang,
        progress: output::progress(ctx.lang.pick("読み込み中", "reading")),
    };
    pipeline::ingest(&mut store, paths, &opts)
}

/// 0 when every input was read (records may have been rejected); 2 when an input could not be
/// read at all.
pub fn exit_code(report: &IngestReport) -> ExitCode {
    if report.failed_inputs.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(2)
    }
}

/// Prints the per-file table and totals.
pub fn print_summary(ctx: &Ctx, report: &IngestReport) {
    let l = ctx.lang;
    let mut t = output::table(&[
        l.pick("ファイル", "file"),
        l.pick("形式", "format"),
        l.pick("読込", "read"),
        l.pick("保存", "stored"),
        l.pick("重複", "duplicate"),
        l.pick("不正", "rejected"),
        l.pick("備考", "note"),
    ]);
    let mut unsupported = 0;
    for f in &report.files {
        let format = f.format.clone().unwrap_or_else(|| {
            l.pick("対応形式ではない", "no supported format")
                .to_string()
        });
        // The reader's note for an unknown file lists every format; print that list once below.
        let note = if f.format.is_none() && f.read == 0 {
            unsupported += 1;
            l.pick(
                "対応形式の一覧は下記 (読み飛ばしました)",
                "skipped; supported formats listed below",
            )
            .to_string()
        } else {
            f.note.clone().unwrap_or_default()
        };
        t.add_row(vec![
            f.file.clone(),
            format,
            f.read.to_string(),
            f.stored.to_string(),
            f.duplicate.to_string(),
            f.rejected.to_string(),
            note,
        ]);
    }
    println!("{t}");
    if unsupported > 0 {
        println!(
            "{}",
            l.pick(
                "対応している形式 (内容から自動判定):",
                "supported formats (detected from content):"
            )
        );
        for f in normalize::formats() {
            println!("  - {} ({})", l.pick(f.name_ja, f.name_en), f.id);
        }
    }
    let tot = report.totals();
    println!("{}", totals_line(l, l.pick("合計", "total"), &tot));
    if let Some(p) = report.rejects_file.as_ref().filter(|_| tot.rejected > 0) {
        println!(
            "{}: {}",
            l.pick("不正なレコードの理由", "reasons for rejected records"),
            p.display()
        );
    }
    for (input, reason) in &report.failed_inputs {
        eprintln!(
            "{}: {input}: {reason}",
            l.pick("読めない入力", "unreadable input")
        );
    }
}

/// `label: read N / stored N / duplicate N / rejected N` in the user's language (shared with
/// `investigate`).
pub fn totals_line(l: Lang, label: &str, tot: &pipeline::FileReport) -> String {
    format!(
        "{label}: {} {} / {} {} / {} {} / {} {}",
        l.pick("読込", "read"),
        tot.read,
        l.pick("保存", "stored"),
        tot.stored,
        l.pick("重複", "duplicate"),
        tot.duplicate,
        l.pick("不正", "rejected"),
        tot.rejected,
    )
}

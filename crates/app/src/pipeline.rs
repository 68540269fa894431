//! The one place that calls the stages in order: read (normalize) → store → (later) detect → act.
//!
//! Ingest streams: the readers hand events to [`StoreSink`], which batches them per file into
//! the store (so stored/duplicate counts are per file) and writes every rejected record to the
//! rejects file and the store. Memory stays flat whatever the input size.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use indicatif::ProgressBar;
use model::{Event, RecordError};
use serde::Serialize;
use store::{InsertCounts, RunId, Store};

use crate::i18n::Lang;

pub mod case;
pub mod exposure;
mod mail;
pub mod mailwork;

/// Events per store transaction.
const BATCH: usize = 5_000;

/// What happened to one input file.
#[derive(Debug, Clone, Default, Serialize)]
pub struct FileReport {
    /// The file (inside an archive: `a.zip!/inner`).
    pub file: String,
    /// The detected format id, `None` when no supported format was recognised.
    pub format: Option<String>,
    /// Records read (events + rejects).
    pub read: u64,
    /// Newly stored.
    pub stored: u64,
    /// Already in the store.
    pub duplicate: u64,
    /// Rejected, with reasons in the rejects file.
    pub rejected: u64,
    /// A note from the reader (truncation suspected, unsupported format, read error).
    pub note: Option<String>,
}

/// The result of one ingest run.
#[derive(Debug, Default, Serialize)]
pub struct IngestReport {
    /// The run id in the store.
    pub run: i64,
    /// Per file, in reading order.
    pub files: Vec<FileReport>,
    /// Inputs that could not be read at all: (path, reason).
    pub failed_inputs: Vec<(String, String)>,
    /// Where rejected records were written.
    pub rejects_file: Option<PathBuf>,
}

impl IngestReport {
    /// Totals over all files.
    pub fn totals(&self) -> FileReport {
        let mut t = FileReport {
            file: String::new(),
            ..FileReport::default()
        };
        for f in &self.files {
            t.read += f.read;
            t.stored += f.stored;
            t.duplicate += f.duplicate;
            t.rejected += f.rejected;
        }
        t
    }
}

/// Options of one ingest.
pub struct IngestOptions<'a> {
    /// Tenant id stamped on the records.
    pub tenant: &'a str,
    /// The command line, kept with the run.
    pub command_line: String,
    /// Where rejected records are appended (JSONL).
    pub rejects_path: PathBuf,
    /// Language of the per-file notes.
    pub lang: Lang,
    /// Progress display (hidden when not on a terminal).
    pub progress: ProgressBar,
}

/// Reads every input into the store.
pub fn ingest(
    store: &mut dyn Store,
    inputs: &[PathBuf],
    opts: &IngestOptions<'_>,
) -> anyhow::Result<IngestReport> {
    let names: Vec<String> = inputs.iter().map(|p| p.display().to_string()).collect();
    let run = store.begin_run(opts.tenant, &opts.command_line, &names)?;
    let rejects = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&opts.rejects_path)
        .with_context(|| format!("cannot open rejects file {}", opts.rejects_path.display()))?;
    let mut sink = StoreSink {
        store,
        run,
        buf: Vec::with_capacity(BATCH),
        counts: BTreeMap::new(),
        rejects_out: BufWriter::new(rejects),
        pending_rejects: Vec::new(),
        error: None,
        progress: opts.progress.clone(),
        seen: 0,
    };
    let read_opts = normalize::ReadOptions {
        tenant: opts.tenant.to_string(),
        ..normalize::ReadOptions::default()
    };
    let mut report = IngestReport {
        run: run.0,
        rejects_file: Some(opts.rejects_path.clone()),
        ..IngestReport::default()
    };
    for input in inputs {
        match normalize::read_path(input, &read_opts, &mut sink) {
            Ok(summaries) => {
                sink.flush();
                for mut s in summaries {
                    if s.format.is_none() && s.error.is_none() {
                        let file = PathBuf::from(&s.file);
                        mail::read_mailbox_file(&file, opts.tenant, &mut sink, &mut s);
                        sink.flush();
                    }
                    let c = sink.counts.get(&s.file).copied().unwrap_or_default();
                    if let Some(err) = &s.error {
                        report.failed_inputs.push((s.file.clone(), err.clone()));
                    }
                    let note = match (opts.lang, &s.note_ja) {
                        (Lang::Ja, Some(ja)) => Some(ja.clone()),
                        _ => s.note.clone(),
                    };
                    report.files.push(FileReport {
                        format: s.format.map(str::to_string),
                        read: s.read + s.rejected,
                        stored: c.stored,
                        duplicate: c.duplicate,
                        rejected: s.rejected,
                        note,
                        file: s.file,
                    });
                }
            }
            Err(e) => {
                sink.flush();
                report
                    .failed_inputs
                    .push((input.display().to_string(), e.to_string()));
            }
        }
        if let Some(e) = sink.error.take() {
            return Err(e.context("the store failed; the run stopped"));
        }
    }
    sink.rejects_out.flush()?;
    let summary = serde_json::to_value(&report)?;
    sink.store.finish_run(run, &summary)?;
    sink.progress.finish_and_clear();
    Ok(report)
}

/// Batches events per file into the store; records rejects.
struct StoreSink<'s> {
    store: &'s mut dyn Store,
    run: RunId,
    buf: Vec<Event>,
    counts: BTreeMap<String, InsertCounts>,
    rejects_out: BufWriter<File>,
    pending_rejects: Vec<RecordError>,
    error: Option<anyhow::Error>,
    progress: ProgressBar,
    seen: u64,
}

impl StoreSink<'_> {
    fn flush(&mut self) {
        if self.error.is_some() {
            self.buf.clear();
            self.pending_rejects.clear();
            return;
        }
        if let Some(first) = self.buf.first() {
            let file = first.provenance.file.clone();
            match self.store.insert_events(&self.buf) {
                Ok(c) => *self.counts.entry(file).or_default() += c,
                Err(e) => self.error = Some(e.into()),
            }
            self.buf.clear();
        }
        if !self.pending_rejects.is_empty() {
            if let Err(e) = self.store.record_rejects(self.run, &self.pending_rejects) {
                self.error = Some(e.into());
            }
            self.pending_rejects.clear();
        }
    }

    fn tick(&mut self) {
        self.seen += 1;
        if self.seen.is_multiple_of(4096) {
            self.progress.set_position(self.seen);
        }
    }
}

impl normalize::Sink for StoreSink<'_> {
    fn event(&mut self, event: Event) {
        let same_file = self
            .buf
            .first()
            .is_none_or(|f| f.provenance.file == event.provenance.file);
        if !same_file || self.buf.len() >= BATCH {
            self.flush();
        }
        self.buf.push(event);
        self.tick();
    }

    fn reject(&mut self, error: RecordError) {
        if let Ok(line) = serde_json::to_string(&RejectLine {
            run: self.run.0,
            error: &error,
        }) {
            // A failing rejects file is reported at the end by the final flush.
            let _ = writeln!(self.rejects_out, "{line}");
        }
        self.pending_rejects.push(error);
        if self.pending_rejects.len() >= BATCH {
            self.flush();
        }
        self.tick();
    }
}

#[derive(Serialize)]
struct RejectLine<'a> {
    run: i64,
    #[serde(flatten)]
    error: &'a RecordError,
}

/// The default rejects file beside the database: `mimamori.db` → `mimamori.rejects.jsonl`.
pub fn default_rejects_path(db: &Path) -> PathBuf {
    db.with_extension("rejects.jsonl")
}

/// Where `detect` finds the tenant configuration: `--config`, else `MIMAMORI_CONFIG` (handled by
/// clap), else `./mimamori.toml` when it exists, else built-in defaults (no declared locations,
/// no GeoIP: detections use the locations the logs carry).
pub fn load_config(explicit: Option<&Path>, tenant: &str) -> anyhow::Result<detect::Config> {
    let path = match explicit {
        Some(p) => Some(p.to_path_buf()),
        None => Some(PathBuf::from("mimamori.toml")).filter(|p| p.exists()),
    };
    let mut cfg = match path {
        Some(p) => detect::Config::load(&p)
            .with_context(|| format!("cannot load configuration {}", p.display()))?,
        None => detect::Config::default(),
    };
    if explicit.is_none() || cfg.tenant_id == model::DEFAULT_TENANT {
        cfg.tenant_id = tenant.to_string();
    }
    Ok(cfg)
}

/// Runs every detection over the tenant's whole stored history, in time order, and stores the
/// complete verdict (findings and incidents replace the previous run's).
pub fn detect(
    store: &mut dyn Store,
    cfg: detect::Config,
    sigma: Vec<detect::SigmaRule>,
    progress: &ProgressBar,
) -> anyhow::Result<detect::Report> {
    let tenant = cfg.tenant_id.clone();
    let mut engine = detect::Engine::new(cfg).with_sigma(sigma);
    let mut n = 0u64;
    store.for_each_event(&store::EventFilter::tenant(&tenant), &mut |ev| {
        engine.observe(&ev);
        n += 1;
        if n.is_multiple_of(4096) {
            progress.set_position(n);
        }
        Ok(())
    })?;
    let report = engine.finish_report();
    store.replace_findings(&tenant, &report.findings, &report.incidents)?;
    progress.finish_and_clear();
    Ok(report)
}

//! The one place that calls the stages in order: read (normalize) → store → (later) detect → act.
//!
//! Ingest streams: a reader thread hands events to [`ChannelSink`], which batches them per file
//! and sends them over a bounded channel to the writer (this thread), which stores them (so
//! stored/duplicate counts are per file) and writes every rejected record to the rejects file
//! and the store. Memory stays flat whatever the input size.

use std::collections::BTreeMap;
use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{self, SyncSender};

use anyhow::Context;
use indicatif::ProgressBar;
use model::{Event, RecordError};
use serde::Serialize;
use store::{InsertCounts, RunId, Store};

use crate::i18n::Lang;

pub mod case;
pub mod exposure;
#[cfg(test)]
mod ingest_tests;
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
///
/// Two threads: this one owns the store and writes; a reader thread parses the inputs and
/// hands over batches through a bounded channel ([`QUEUE_BATCHES`] deep, so memory stays flat
/// however fast the reader is). Parsing and SQLite writing overlap, which cuts wall time on a
/// machine with two or more cores; CPU work per record is unchanged. Messages arrive in reading
/// order, so a file's report is built after its last batch was stored.
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
    let mut writer = StoreWriter {
        store,
        run,
        counts: BTreeMap::new(),
        rejects_out: BufWriter::new(rejects),
        error: None,
        report: IngestReport {
            run: run.0,
            rejects_file: Some(opts.rejects_path.clone()),
            ..IngestReport::default()
        },
        lang: opts.lang,
    };
    let read_opts = normalize::ReadOptions {
        tenant: opts.tenant.to_string(),
        ..normalize::ReadOptions::default()
    };
    let (tx, rx) = mpsc::sync_channel::<Batch>(QUEUE_BATCHES);
    std::thread::scope(|scope| {
        let reader = std::thread::Builder::new()
            .name("ingest-reader".into())
            .spawn_scoped(scope, || read_inputs(inputs, &read_opts, opts, tx))
            .context("cannot start the reader thread")?;
        for batch in &rx {
            writer.handle(batch);
            if writer.error.is_some() {
                break;
            }
        }
        // Dropping the receiver makes the reader's next send fail: it stops reading.
        drop(rx);
        match reader.join() {
            Ok(()) => anyhow::Ok(()),
            Err(_) => Err(anyhow::anyhow!(
                "the reader thread stopped unexpectedly (a bug: please report it); the run stopped"
            )),
        }
    })?;
    if let Some(e) = writer.error.take() {
        return Err(e.context("the store failed; the run stopped"));
    }
    writer.rejects_out.flush()?;
    let report = writer.report;
    let summary = serde_json::to_value(&report)?;
    writer.store.finish_run(run, &summary)?;
    opts.progress.finish_and_clear();
    Ok(report)
}

/// Batches waiting between the reader and the writer. With the writer busy on one batch and
/// the reader filling the next, at most `QUEUE_BATCHES + 2` batches of at most
/// [`BATCH_RAW_BYTES`] of raw text each are in memory, so peak memory stays bounded whatever
/// the input.
const QUEUE_BATCHES: usize = 1;

/// A batch is sent once its events' raw text reaches this size, even before [`BATCH`] events.
/// A parsed event takes several times its raw size on the heap (a unified-audit-log record's
/// `AuditData` extras are JSON maps), so with 5,000-event batches and a deeper queue the
/// 1.3M-record generated tenant peaked at 448 MiB. Measured on its 7 Purview CSVs (517 MB):
/// 2 MiB → 147 MiB peak, 4 MiB → 186 MiB, 8 MiB → 252 MiB (single-threaded: 151 MiB); on its
/// Graph sign-in pages 2 MiB cost 10 % more CPU than 8 MiB (more, smaller transactions).
/// 4 MiB is the middle: about 1,400 sign-ins or 2,800 audit records per batch.
const BATCH_RAW_BYTES: usize = 4 * 1024 * 1024;

/// What the reader thread hands to the writer, in reading order.
enum Batch {
    /// Events of one file.
    Events(Vec<Event>),
    /// Records that could not be read.
    Rejects(Vec<RecordError>),
    /// An input was read to its end: its files' summaries.
    Done(Vec<normalize::FileSummary>),
    /// An input could not be read at all: (path, reason).
    Failed(String, String),
}

/// The reader thread: every input through normalize (and the mailbox readers), into `tx`.
fn read_inputs(
    inputs: &[PathBuf],
    read_opts: &normalize::ReadOptions,
    opts: &IngestOptions<'_>,
    tx: SyncSender<Batch>,
) {
    let mut sink = ChannelSink {
        tx,
        buf: Vec::with_capacity(BATCH),
        buf_bytes: 0,
        pending_rejects: Vec::new(),
        closed: false,
        progress: opts.progress.clone(),
        seen: 0,
    };
    for input in inputs {
        if sink.closed {
            return;
        }
        match normalize::read_path(input, read_opts, &mut sink) {
            Ok(mut summaries) => {
                sink.flush();
                for s in &mut summaries {
                    if s.format.is_none() && s.error.is_none() {
                        let file = PathBuf::from(&s.file);
                        mail::read_mailbox_file(&file, opts.tenant, &mut sink, s);
                        sink.flush();
                    }
                }
                sink.send(Batch::Done(summaries));
            }
            Err(e) => {
                sink.flush();
                sink.send(Batch::Failed(input.display().to_string(), e.to_string()));
            }
        }
    }
}

/// The writer side: stores batches, writes rejects, builds the per-file report.
struct StoreWriter<'s> {
    store: &'s mut dyn Store,
    run: RunId,
    counts: BTreeMap<String, InsertCounts>,
    rejects_out: BufWriter<File>,
    error: Option<anyhow::Error>,
    report: IngestReport,
    lang: Lang,
}

impl StoreWriter<'_> {
    fn handle(&mut self, batch: Batch) {
        match batch {
            Batch::Events(events) => {
                let Some(first) = events.first() else { return };
                let file = first.provenance.file.clone();
                match self.store.insert_events(&events) {
                    Ok(c) => *self.counts.entry(file).or_default() += c,
                    Err(e) => self.error = Some(e.into()),
                }
            }
            Batch::Rejects(rejects) => {
                for error in &rejects {
                    if let Ok(line) = serde_json::to_string(&RejectLine {
                        run: self.run.0,
                        error,
                    }) {
                        // A failing rejects file is reported at the end by the final flush.
                        let _ = writeln!(self.rejects_out, "{line}");
                    }
                }
                if let Err(e) = self.store.record_rejects(self.run, &rejects) {
                    self.error = Some(e.into());
                }
            }
            Batch::Done(summaries) => {
                for s in summaries {
                    self.file_done(s);
                }
            }
            Batch::Failed(input, reason) => self.report.failed_inputs.push((input, reason)),
        }
    }

    fn file_done(&mut self, s: normalize::FileSummary) {
        let c = self.counts.get(&s.file).copied().unwrap_or_default();
        if let Some(err) = &s.error {
            self.report
                .failed_inputs
                .push((s.file.clone(), err.clone()));
        }
        let note = match (self.lang, &s.note_ja) {
            (Lang::Ja, Some(ja)) => Some(ja.clone()),
            _ => s.note.clone(),
        };
        self.report.files.push(FileReport {
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

/// The reader's sink: batches events per file (so stored/duplicate counts stay per file) and
/// rejects, and sends them to the writer.
struct ChannelSink {
    tx: SyncSender<Batch>,
    buf: Vec<Event>,
    /// Raw bytes of the events in `buf`.
    buf_bytes: usize,
    pending_rejects: Vec<RecordError>,
    /// The writer stopped (a store error): read no further.
    closed: bool,
    progress: ProgressBar,
    seen: u64,
}

impl ChannelSink {
    fn send(&mut self, batch: Batch) {
        if !self.closed && self.tx.send(batch).is_err() {
            self.closed = true;
        }
    }

    fn flush(&mut self) {
        if !self.buf.is_empty() {
            let events = std::mem::replace(&mut self.buf, Vec::with_capacity(BATCH));
            self.buf_bytes = 0;
            self.send(Batch::Events(events));
        }
        if !self.pending_rejects.is_empty() {
            let rejects = std::mem::take(&mut self.pending_rejects);
            self.send(Batch::Rejects(rejects));
        }
    }

    fn tick(&mut self) {
        self.seen += 1;
        if self.seen.is_multiple_of(4096) {
            self.progress.set_position(self.seen);
        }
    }
}

impl normalize::Sink for ChannelSink {
    fn event(&mut self, event: Event) {
        if self.closed {
            return;
        }
        let same_file = self
            .buf
            .first()
            .is_none_or(|f| f.provenance.file == event.provenance.file);
        if !same_file || self.buf.len() >= BATCH || self.buf_bytes >= BATCH_RAW_BYTES {
            self.flush();
        }
        self.buf_bytes += event.raw.len();
        self.buf.push(event);
        self.tick();
    }

    fn reject(&mut self, error: RecordError) {
        if self.closed {
            return;
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

//! The two-thread ingest: per-file counts stay right when a file spans several batches, and a
//! store that fails stops the run with an error instead of hanging the reader or losing the
//! failure.

use std::path::{Path, PathBuf};

use indicatif::ProgressBar;
use model::{Event, EvidenceRef, Finding, Incident, RecordError};
use store::{
    EventFilter, FindingFilter, InsertCounts, ReplaceCounts, RunId, RunInfo, SqliteStore, Stats,
    Store,
};

use super::{IngestOptions, ingest};
use crate::i18n::Lang;

/// A SQLite store whose `fail_at`-th `insert_events` call fails; counts the calls.
struct FailingStore {
    inner: SqliteStore,
    calls: usize,
    fail_at: usize,
}

impl Store for FailingStore {
    fn insert_events(&mut self, batch: &[Event]) -> store::Result<InsertCounts> {
        self.calls += 1;
        if self.calls == self.fail_at {
            return Err(store::Error::Corrupt {
                what: "test",
                id: "insert".into(),
                reason: "disk full (simulated)".into(),
            });
        }
        self.inner.insert_events(batch)
    }
    fn begin_run(&mut self, t: &str, c: &str, i: &[String]) -> store::Result<RunId> {
        self.inner.begin_run(t, c, i)
    }
    fn record_rejects(&mut self, run: RunId, r: &[RecordError]) -> store::Result<()> {
        self.inner.record_rejects(run, r)
    }
    fn finish_run(&mut self, run: RunId, s: &serde_json::Value) -> store::Result<()> {
        self.inner.finish_run(run, s)
    }
    fn runs(&self, t: Option<&str>) -> store::Result<Vec<RunInfo>> {
        self.inner.runs(t)
    }
    fn rejects(&self, run: RunId) -> store::Result<Vec<RecordError>> {
        self.inner.rejects(run)
    }
    fn tenants(&self) -> store::Result<Vec<String>> {
        self.inner.tenants()
    }
    fn stats(&self, t: Option<&str>) -> store::Result<Stats> {
        self.inner.stats(t)
    }
    fn count_events(&self, f: &EventFilter) -> store::Result<u64> {
        self.inner.count_events(f)
    }
    fn for_each_event(
        &self,
        f: &EventFilter,
        v: &mut dyn FnMut(Event) -> store::Result<()>,
    ) -> store::Result<u64> {
        self.inner.for_each_event(f, v)
    }
    fn events_by_ref(&self, t: &str, r: &[EvidenceRef]) -> store::Result<Vec<Option<Event>>> {
        self.inner.events_by_ref(t, r)
    }
    fn replace_findings(
        &mut self,
        t: &str,
        f: &[Finding],
        i: &[Incident],
    ) -> store::Result<ReplaceCounts> {
        self.inner.replace_findings(t, f, i)
    }
    fn findings(&self, f: &FindingFilter) -> store::Result<Vec<Finding>> {
        self.inner.findings(f)
    }
    fn incidents(&self, t: Option<&str>) -> store::Result<Vec<Incident>> {
        self.inner.incidents(t)
    }
}

/// A Graph sign-in page of `n` records, each padded to about `pad` bytes of user agent.
fn page(dir: &Path, name: &str, n: usize, pad: usize) -> PathBuf {
    let agent = "Mozilla/5.0 ".repeat(pad / 12 + 1);
    let records: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"id":"{name}-{i}","createdDateTime":"2025-06-01T01:{:02}:{:02}Z","userPrincipalName":"user{}@example.co.jp","ipAddress":"203.0.113.{}","userAgent":"{agent}","status":{{"errorCode":0}}}}"#,
                (i / 60) % 60,
                i % 60,
                i % 7,
                i % 250
            )
        })
        .collect();
    let path = dir.join(name);
    std::fs::write(&path, format!("{{\"value\":[{}]}}", records.join(","))).expect("write");
    path
}

fn options(dir: &Path) -> IngestOptions<'static> {
    IngestOptions {
        tenant: "default",
        command_line: "test".into(),
        rejects_path: dir.join("rejects.jsonl"),
        lang: Lang::En,
        progress: ProgressBar::hidden(),
    }
}

#[test]
fn a_file_larger_than_one_batch_keeps_exact_per_file_counts() {
    let dir = tempfile::tempdir().expect("tempdir");
    // ~6 MiB of raw text: more than one 4 MiB batch.
    let big = page(dir.path(), "big.json", 3_000, 2_000);
    let small = page(dir.path(), "small.json", 10, 100);
    let mut store = FailingStore {
        inner: SqliteStore::open_in_memory().expect("store"),
        calls: 0,
        fail_at: usize::MAX,
    };
    let report = ingest(&mut store, &[big, small.clone()], &options(dir.path())).expect("ingest");
    assert!(store.calls >= 3, "{} insert calls", store.calls);
    let counts: Vec<(u64, u64, u64)> = report
        .files
        .iter()
        .map(|f| (f.read, f.stored, f.duplicate))
        .collect();
    assert_eq!(counts, vec![(3_000, 3_000, 0), (10, 10, 0)]);
    // Again: everything is a duplicate, still counted per file.
    let report = ingest(&mut store, &[small], &options(dir.path())).expect("again");
    assert_eq!((report.files[0].stored, report.files[0].duplicate), (0, 10));
}

#[test]
fn a_failing_store_stops_the_run_with_an_error_and_keeps_what_was_stored() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inputs: Vec<PathBuf> = (0..6)
        .map(|i| page(dir.path(), &format!("p{i}.json"), 200, 100))
        .collect();
    let mut store = FailingStore {
        inner: SqliteStore::open_in_memory().expect("store"),
        calls: 0,
        fail_at: 2,
    };
    let err = ingest(&mut store, &inputs, &options(dir.path())).expect_err("must fail");
    let text = format!("{err:#}");
    assert!(text.contains("the store failed"), "{text}");
    assert!(text.contains("disk full (simulated)"), "{text}");
    assert_eq!(store.calls, 2, "nothing is inserted after the failure");
    let stored = store
        .inner
        .count_events(&EventFilter::tenant("default"))
        .expect("count");
    assert_eq!(stored, 200, "the first file's batch stays stored");
}

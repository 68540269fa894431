//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use normalize::{FileSummary, ReadOptions, VecSink};

/// `../shared/corpus` relative to the workspace root.
pub fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus")
}

/// This crate's fixtures.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

/// Reads a path into memory.
pub fn read(path: &Path) -> (Vec<FileSummary>, VecSink) {
    let mut sink = VecSink::default();
    let s = normalize::read_path(path, &ReadOptions::default(), &mut sink)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    (s, sink)
}

/// Reads bytes as one named stream.
pub fn read_bytes(name: &str, bytes: &[u8]) -> (FileSummary, VecSink) {
    let mut sink = VecSink::default();
    let s = normalize::read_reader(name, &mut &bytes[..], &ReadOptions::default(), &mut sink);
    (s, sink)
}

/// The records of an Elastic `{"events":[{"o365audit":{…}}]}` test wrapper as NDJSON.
pub fn unwrap_elastic_events(path: &Path) -> String {
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("json");
    let mut out = String::new();
    for e in v["events"].as_array().expect("events") {
        out.push_str(&e["o365audit"].to_string());
        out.push('\n');
    }
    out
}

/// The `log` of each Panther test case as NDJSON.
pub fn unwrap_panther(path: &Path) -> String {
    let mut out = String::new();
    for line in std::fs::read_to_string(path).expect("read").lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("json");
        out.push_str(&v["log"].to_string());
        out.push('\n');
    }
    out
}

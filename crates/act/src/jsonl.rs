//! JSON Lines reading and writing for the case folder.
//!
//! Reading keeps going past a bad line: each one becomes a [`RecordError`] naming the file, the
//! 1-based line and serde's reason, returned next to the good records so the caller can count
//! and report it. Blank lines are skipped. Only an unreadable file is an error.

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::Path;

use model::RecordError;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::{ActError, Result};

/// Good records and the lines that could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct JsonlRead<T> {
    /// Records in file order.
    pub records: Vec<T>,
    /// One entry per unreadable line.
    pub errors: Vec<RecordError>,
}

/// Reads `path` as JSON Lines of `T`.
pub fn read_jsonl<T: DeserializeOwned>(path: &Path) -> Result<JsonlRead<T>> {
    let file = File::open(path).map_err(|e| ActError::io(path, e))?;
    let name = path.display().to_string();
    let mut records = Vec::new();
    let mut errors = Vec::new();
    for (i, line) in BufReader::new(file).lines().enumerate() {
        let line_no = i as u64 + 1;
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                errors.push(RecordError::new(
                    &name,
                    line_no,
                    format!("unreadable line: {e}"),
                ));
                continue;
            }
        };
        let text = line.trim().trim_start_matches('\u{FEFF}');
        if text.is_empty() {
            continue;
        }
        match serde_json::from_str::<T>(text) {
            Ok(r) => records.push(r),
            Err(e) => errors.push(RecordError::new(&name, line_no, e.to_string())),
        }
    }
    if !errors.is_empty() {
        tracing::warn!(file = %name, bad_lines = errors.len(), "skipped unreadable JSONL lines");
    }
    Ok(JsonlRead { records, errors })
}

/// Writes `items` to `path` as JSON Lines (one compact object per line, `\n` endings).
pub fn write_jsonl<'a, T: Serialize + 'a>(
    path: &Path,
    items: impl IntoIterator<Item = &'a T>,
) -> Result<usize> {
    let file = File::create(path).map_err(|e| ActError::io(path, e))?;
    let mut w = BufWriter::new(file);
    let mut n = 0;
    for item in items {
        serde_json::to_writer(&mut w, item).map_err(|e| ActError::Json {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        w.write_all(b"\n").map_err(|e| ActError::io(path, e))?;
        n += 1;
    }
    w.flush().map_err(|e| ActError::io(path, e))?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::files::HiddenSend;

    #[test]
    fn bad_lines_are_reported_not_dropped() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("hidden_sends.jsonl");
        std::fs::write(
            &p,
            "{\"user\":\"a@x.jp\",\"time\":\"2025-06-01T00:00:00Z\",\"recipient\":\"b@y.com\"}\n\n{broken\n",
        )
        .expect("write");
        let r: JsonlRead<HiddenSend> = read_jsonl(&p).expect("read");
        assert_eq!(r.records.len(), 1);
        assert_eq!(r.errors.len(), 1);
        assert_eq!(r.errors[0].record, 3);
        assert!(r.errors[0].file.ends_with("hidden_sends.jsonl"));
    }

    #[test]
    fn round_trip() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("x.jsonl");
        let items = vec![serde_json::json!({"a": 1}), serde_json::json!({"a": "<b>"})];
        assert_eq!(write_jsonl(&p, &items).expect("write"), 2);
        let r: JsonlRead<serde_json::Value> = read_jsonl(&p).expect("read");
        assert_eq!(r.records, items);
    }
}

//! CSV rows with headers matched the way Microsoft's exports need.
//!
//! Headers are compared case-, space- and BOM-insensitively (`Application ID␠`, `Autonomous
//! system␠␠number`), a PowerShell `#TYPE …` line before the header is skipped, and a repeated
//! header (`Incoming token type` twice in the Entra portal CSV) is kept in the raw record as
//! `name #2`. Rows stream one at a time; quoted cells may hold newlines.

use std::collections::HashMap;
use std::io::BufRead;

use serde_json::{Map, Value};

/// Normalizes a header for matching: trimmed, lower-case, inner whitespace collapsed.
pub(crate) fn norm_header(h: &str) -> String {
    let h = h.trim_start_matches('\u{feff}');
    let mut out = String::with_capacity(h.len());
    for word in h.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&word.to_lowercase());
    }
    out
}

/// The header row of one CSV file.
#[derive(Debug, Clone)]
pub(crate) struct Headers {
    /// Names for the raw record (original text; repeats suffixed ` #2`).
    pub raw_names: Vec<String>,
    /// Normalized names, for matching.
    pub norm: Vec<String>,
    index: HashMap<String, usize>,
}

impl Headers {
    /// Builds the header from the cells of the header row.
    pub fn new(cells: &[String]) -> Self {
        let mut raw_names = Vec::with_capacity(cells.len());
        let mut norm = Vec::with_capacity(cells.len());
        let mut index = HashMap::new();
        for (i, c) in cells.iter().enumerate() {
            let n = norm_header(c);
            let clean = c.trim_start_matches('\u{feff}').to_string();
            if index.contains_key(&n) {
                let mut k = 2;
                while raw_names.contains(&format!("{clean} #{k}")) {
                    k += 1;
                }
                raw_names.push(format!("{clean} #{k}"));
            } else {
                index.insert(n.clone(), i);
                raw_names.push(clean);
            }
            norm.push(n);
        }
        Self {
            raw_names,
            norm,
            index,
        }
    }

    /// True when a header of this normalized name exists.
    pub fn has(&self, name: &str) -> bool {
        self.index.contains_key(name)
    }

    /// The column of the first header matching `name` (normalized form).
    pub fn col(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }
}

/// One data row.
pub(crate) struct Row<'a> {
    /// The file's header.
    pub headers: &'a Headers,
    /// The cells.
    pub cells: &'a csv::StringRecord,
}

impl Row<'_> {
    /// The trimmed, non-empty cell under the first of `names` (normalized header names).
    pub fn get(&self, names: &[&str]) -> Option<&str> {
        names.iter().find_map(|n| {
            let i = self.headers.col(n)?;
            let v = self.cells.get(i)?.trim();
            (!v.is_empty()).then_some(v)
        })
    }

    /// Like [`Row::get`], owned.
    pub fn string(&self, names: &[&str]) -> Option<String> {
        self.get(names).map(str::to_string)
    }

    /// The row as a JSON object of header → cell (the `raw` kept for evidence).
    pub fn to_raw(&self) -> String {
        let mut m = Map::new();
        for (i, name) in self.headers.raw_names.iter().enumerate() {
            m.insert(
                name.clone(),
                Value::String(self.cells.get(i).unwrap_or("").to_string()),
            );
        }
        if self.cells.len() > self.headers.raw_names.len() {
            let extra: Vec<Value> = self
                .cells
                .iter()
                .skip(self.headers.raw_names.len())
                .map(|c| Value::String(c.to_string()))
                .collect();
            m.insert("#extra".into(), Value::Array(extra));
        }
        Value::Object(m).to_string()
    }

    /// The row as an object keyed by Log Analytics column names: ` [UTC]` and `_dynamic`
    /// suffixes dropped (a `_string` twin is dropped when the base exists), blank cells left out.
    pub fn to_table_object(&self) -> Map<String, Value> {
        let mut m = Map::new();
        for (i, name) in self.headers.raw_names.iter().enumerate() {
            let v = self.cells.get(i).unwrap_or("").trim();
            if v.is_empty() {
                continue;
            }
            let mut key = name.trim().trim_end_matches(" [UTC]").trim().to_string();
            if let Some(base) = key.strip_suffix("_dynamic") {
                key = base.to_string();
            } else if let Some(base) = key.strip_suffix("_string") {
                if m.contains_key(base) {
                    continue;
                }
                key = base.to_string();
            }
            m.entry(key).or_insert_with(|| Value::String(v.to_string()));
        }
        m
    }
}

/// Streams the rows of a CSV text, calling `on_row(row, line)` with the 1-based line where each
/// row starts, or `on_bad(line, reason)` for a row the CSV reader rejects.
pub(crate) fn for_each_row(
    reader: &mut dyn BufRead,
    on_row: &mut dyn FnMut(&Row<'_>, u64) -> std::ops::ControlFlow<()>,
    on_bad: &mut dyn FnMut(u64, String),
) -> Result<Option<Headers>, String> {
    // Skip PowerShell's `#TYPE …` line and blank lines before the header.
    let mut skipped_lines = 0u64;
    loop {
        let buf = reader.fill_buf().map_err(|e| e.to_string())?;
        if buf.starts_with(b"#TYPE") || buf.starts_with(b"\r\n") || buf.starts_with(b"\n") {
            let mut s = String::new();
            reader.read_line(&mut s).map_err(|e| e.to_string())?;
            skipped_lines += 1;
        } else {
            break;
        }
    }
    // The csv crate counts a CRLF's line break when it reads the next record, so with CRLF line
    // ends its line numbers lag by one after the first record.
    let crlf = {
        let buf = reader.fill_buf().map_err(|e| e.to_string())?;
        buf.iter()
            .position(|b| *b == b'\n')
            .is_some_and(|i| i > 0 && buf[i - 1] == b'\r')
    };
    let lag = u64::from(crlf);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(reader);
    let mut rec = csv::StringRecord::new();
    let headers = loop {
        match rdr.read_record(&mut rec) {
            Ok(false) => return Ok(None),
            Ok(true) => {
                let cells: Vec<String> = rec.iter().map(str::to_string).collect();
                if cells.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                break Headers::new(&cells);
            }
            Err(e) => return Err(format!("cannot read the CSV header: {e}")),
        }
    };
    loop {
        match rdr.read_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {
                let line = rec.position().map(|p| p.line()).unwrap_or(0) + skipped_lines + lag;
                if rec.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                let row = Row {
                    headers: &headers,
                    cells: &rec,
                };
                if on_row(&row, line).is_break() {
                    break;
                }
            }
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0) + skipped_lines + lag;
                if let csv::ErrorKind::Io(_) = e.kind() {
                    return Err(format!("read error at line {line}: {e}"));
                }
                on_bad(line, format!("unreadable CSV row: {e}"));
            }
        }
    }
    Ok(Some(headers))
}

/// The normalized header names of the first row of `head` (for sniffing).
pub(crate) fn sniff_headers(head: &str) -> Option<Headers> {
    let mut text = head;
    while let Some(rest) = text.strip_prefix("#TYPE") {
        text = rest.split_once('\n').map(|(_, r)| r).unwrap_or("");
    }
    let text = text.trim_start_matches(['\r', '\n']);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rec = csv::StringRecord::new();
    match rdr.read_record(&mut rec) {
        Ok(true) if rec.len() >= 2 => {
            let cells: Vec<String> = rec.iter().map(str::to_string).collect();
            Some(Headers::new(&cells))
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quirky_headers() {
        let h = Headers::new(&[
            "\u{feff}Date (UTC)".into(),
            "Application ID ".into(),
            "Autonomous system  number".into(),
            "Incoming token type".into(),
            "Incoming token type".into(),
        ]);
        assert!(h.has("date (utc)"));
        assert_eq!(h.col("application id"), Some(1));
        assert_eq!(h.col("autonomous system number"), Some(2));
        assert_eq!(h.col("incoming token type"), Some(3));
        assert_eq!(h.raw_names[4], "Incoming token type #2");
    }

    #[test]
    fn rows_with_type_line_and_embedded_newlines() {
        let text = "#TYPE Deserialized.X\r\na,b\r\n1,\"x\r\ny\"\r\n\"unclosed,2\r\n";
        let mut rows = Vec::new();
        let mut bad = Vec::new();
        let mut rd = std::io::Cursor::new(text.as_bytes());
        let h = for_each_row(
            &mut rd,
            &mut |r, line| {
                rows.push((line, r.string(&["b"])));
                std::ops::ControlFlow::Continue(())
            },
            &mut |line, why| bad.push((line, why)),
        )
        .expect("csv");
        assert!(h.is_some());
        assert_eq!(rows[0], (3, Some("x\r\ny".into())));
        assert_eq!(rows.len() + bad.len(), 2);
    }
}

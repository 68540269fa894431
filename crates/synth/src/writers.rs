//! Streaming file writers shared by the formats: CSV cell quoting, Graph-style paged JSON,
//! CSV files split at a row limit, and UTF-16LE text. Everything goes through `BufWriter`s so
//! memory stays flat however large the tenant is.

use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::Error;

/// Creates `path`'s parent folders and opens it for buffered writing.
pub(crate) fn create(path: &Path) -> Result<BufWriter<File>, Error> {
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    let f = File::create(path).map_err(|e| Error::io(path, e))?;
    Ok(BufWriter::with_capacity(1 << 20, f))
}

/// Appends one CSV cell: quoted when it holds a comma, quote, CR/LF or leading/trailing space,
/// or always when `force` is set; quotes are doubled.
pub(crate) fn csv_cell(out: &mut String, cell: &str, force: bool) {
    let needs = force
        || cell.contains([',', '"', '\n', '\r'])
        || cell.starts_with(' ')
        || cell.ends_with(' ');
    if needs {
        out.push('"');
        // Whole runs between quotes are copied at once (AuditData cells are long).
        for (i, part) in cell.split('"').enumerate() {
            if i > 0 {
                out.push_str("\"\"");
            }
            out.push_str(part);
        }
        out.push('"');
    } else {
        out.push_str(cell);
    }
}

/// Builds one CSV line (with CRLF) from cells.
pub(crate) fn csv_line<S: AsRef<str>>(cells: &[S], force_all: bool) -> String {
    let mut line = String::with_capacity(256);
    for (i, c) in cells.iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        csv_cell(&mut line, c.as_ref(), force_all);
    }
    line.push_str("\r\n");
    line
}

/// Writes Graph list responses: `{"@odata.context":…,"value":[…],"@odata.nextLink":…}` pages of
/// at most `page_size` objects, named `page-0001.json`, `page-0002.json`, … in `dir`.
pub(crate) struct PagedJson {
    dir: PathBuf,
    context: String,
    next_link_base: String,
    page_size: usize,
    current: Vec<String>,
    /// Pages written so far.
    pub pages: usize,
    /// Objects written so far.
    pub records: u64,
    skip_seed: u64,
}

impl PagedJson {
    /// A writer into `dir` with the given `@odata.context` and next-link URL prefix.
    pub(crate) fn new(
        dir: PathBuf,
        context: &str,
        next_link_base: &str,
        page_size: usize,
        seed: u64,
    ) -> Self {
        Self {
            dir,
            context: context.to_string(),
            next_link_base: next_link_base.to_string(),
            page_size,
            current: Vec::with_capacity(page_size),
            pages: 0,
            records: 0,
            skip_seed: seed,
        }
    }

    /// Adds one object; flushes a full page (with a next link, since more follow).
    pub(crate) fn push(&mut self, v: &Value) -> Result<(), Error> {
        if self.current.len() == self.page_size {
            self.flush(true)?;
        }
        let s = serde_json::to_string(v).map_err(|e| Error::Json {
            what: "Graph object".into(),
            source: e,
        })?;
        self.current.push(s);
        self.records += 1;
        Ok(())
    }

    fn flush(&mut self, more: bool) -> Result<(), Error> {
        self.pages += 1;
        let path = self.dir.join(format!("page-{:04}.json", self.pages));
        let mut w = create(&path)?;
        let ctx = serde_json::to_string(&self.context).unwrap_or_default();
        let mut body = format!("{{\"@odata.context\":{ctx},\"value\":[");
        for (i, s) in self.current.iter().enumerate() {
            if i > 0 {
                body.push(',');
            }
            body.push_str(s);
        }
        body.push(']');
        if more {
            // A skip token like Graph's: opaque, unique per page.
            self.skip_seed = self
                .skip_seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            body.push_str(&format!(
                ",\"@odata.nextLink\":\"{}{:016x}{:08x}\"",
                self.next_link_base, self.skip_seed, self.pages
            ));
        }
        body.push('}');
        w.write_all(body.as_bytes())
            .map_err(|e| Error::io(&path, e))?;
        w.flush().map_err(|e| Error::io(&path, e))?;
        self.current.clear();
        Ok(())
    }

    /// Writes the last page (without a next link). Always writes at least one page, as Graph
    /// answers an empty period with `"value":[]`.
    pub(crate) fn finish(mut self) -> Result<(usize, u64), Error> {
        if !self.current.is_empty() || self.pages == 0 {
            self.flush(false)?;
        }
        Ok((self.pages, self.records))
    }
}

/// CSV output split into numbered files of at most `max_rows` data rows, each with the header.
pub(crate) struct SplitCsv {
    dir: PathBuf,
    stem: String,
    header: String,
    max_rows: u64,
    w: Option<(PathBuf, BufWriter<File>)>,
    rows_in_file: u64,
    /// Files written.
    pub files: Vec<String>,
    /// Data rows written in total.
    pub rows: u64,
}

impl SplitCsv {
    /// Files `dir/<stem>_partNNN.csv`.
    pub(crate) fn new(dir: PathBuf, stem: &str, header: String, max_rows: u64) -> Self {
        Self {
            dir,
            stem: stem.to_string(),
            header,
            max_rows,
            w: None,
            rows_in_file: 0,
            files: Vec::new(),
            rows: 0,
        }
    }

    /// Writes one line (already CSV-encoded, with its line ending).
    pub(crate) fn write_line(&mut self, line: &str) -> Result<(), Error> {
        if self.w.is_none() || self.rows_in_file == self.max_rows {
            self.open_next()?;
        }
        if let Some((path, w)) = self.w.as_mut() {
            w.write_all(line.as_bytes())
                .map_err(|e| Error::io(path.clone(), e))?;
        }
        self.rows_in_file += 1;
        self.rows += 1;
        Ok(())
    }

    fn open_next(&mut self) -> Result<(), Error> {
        self.close_current()?;
        let name = format!("{}_part{:03}.csv", self.stem, self.files.len() + 1);
        let path = self.dir.join(&name);
        let mut w = create(&path)?;
        w.write_all(self.header.as_bytes())
            .map_err(|e| Error::io(&path, e))?;
        self.files.push(name);
        self.w = Some((path, w));
        self.rows_in_file = 0;
        Ok(())
    }

    fn close_current(&mut self) -> Result<(), Error> {
        if let Some((path, mut w)) = self.w.take() {
            w.flush().map_err(|e| Error::io(&path, e))?;
        }
        Ok(())
    }

    /// Flushes and closes; writes a header-only file when no row came.
    pub(crate) fn finish(mut self) -> Result<(Vec<String>, u64), Error> {
        if self.files.is_empty() {
            self.open_next()?;
        }
        self.close_current()?;
        Ok((self.files, self.rows))
    }
}

/// A single text file, written as UTF-8 or as UTF-16LE with a BOM.
pub(crate) struct TextFile {
    path: PathBuf,
    w: BufWriter<File>,
    utf16: bool,
    /// Lines written, header included.
    pub lines: u64,
}

impl TextFile {
    /// Opens `path`; for UTF-16 writes the BOM `FF FE` first.
    pub(crate) fn create(path: PathBuf, utf16: bool) -> Result<Self, Error> {
        let mut w = create(&path)?;
        if utf16 {
            w.write_all(&[0xFF, 0xFE])
                .map_err(|e| Error::io(&path, e))?;
        }
        Ok(Self {
            path,
            w,
            utf16,
            lines: 0,
        })
    }

    /// Writes `s` as is (it carries its own line ending).
    pub(crate) fn write_line(&mut self, s: &str) -> Result<(), Error> {
        let r = if self.utf16 {
            let mut bytes = Vec::with_capacity(s.len() * 2);
            for u in s.encode_utf16() {
                bytes.extend_from_slice(&u.to_le_bytes());
            }
            self.w.write_all(&bytes)
        } else {
            self.w.write_all(s.as_bytes())
        };
        self.lines += 1;
        r.map_err(|e| Error::io(&self.path, e))
    }

    /// Flushes and closes.
    pub(crate) fn finish(mut self) -> Result<u64, Error> {
        self.w.flush().map_err(|e| Error::io(&self.path, e))?;
        Ok(self.lines)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoting_rules() {
        assert_eq!(
            csv_line(&["a", "b,c", "d\"e", "x "], false),
            "a,\"b,c\",\"d\"\"e\",\"x \"\r\n"
        );
        assert_eq!(csv_line(&["a", ""], true), "\"a\",\"\"\r\n");
    }
}

//! Walking inputs: files, folders (sorted, recursive), `.zip` archives and `.gz` files, read in
//! place without extracting to disk.
//!
//! Archives and gzip are recognised by their magic bytes, not the name. Zip members are named
//! `archive.zip!/inner/path`. Decompressed bytes are counted while streaming and reading stops
//! at [`ReadOptions::max_member_bytes`] per member / `.gz` and
//! [`ReadOptions::max_archive_bytes`] per archive, so a zip bomb costs bounded time and memory.
//! A zip inside a zip is reported, not opened (it would need to be extracted to seek in it).
//!
//! Portal AuthDetails files are read in a first pass so the sign-in files of the same walk can be
//! joined to them whatever order the names sort in.

use std::cell::Cell;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use flate2::read::MultiGzDecoder;

use crate::decode::decode;
use crate::error::Error;
use crate::formats::authdetails::AuthJoin;
use crate::read::{is_authdetails, load_authdetails, read_decoded, sniff};
use crate::{FileSummary, ReadOptions, Sink};

/// One readable input.
#[derive(Debug, Clone)]
enum Leaf {
    File(PathBuf),
    Member {
        archive: PathBuf,
        index: usize,
        name: String,
    },
    /// Something found while listing that cannot be read, with why.
    Broken {
        name: String,
        reason: String,
    },
}

impl Leaf {
    fn name(&self) -> String {
        match self {
            Leaf::File(p) => p.display().to_string(),
            Leaf::Member { archive, name, .. } => format!("{}!/{}", archive.display(), name),
            Leaf::Broken { name, .. } => name.clone(),
        }
    }
}

fn magic(path: &Path) -> io::Result<[u8; 4]> {
    let mut m = [0u8; 4];
    let mut f = File::open(path)?;
    let mut got = 0;
    while got < 4 {
        let n = f.read(&mut m[got..])?;
        if n == 0 {
            break;
        }
        got += n;
    }
    Ok(m)
}

fn is_zip(m: &[u8; 4]) -> bool {
    m == b"PK\x03\x04" || m == b"PK\x05\x06"
}

fn list(path: &Path, top: bool, out: &mut Vec<Leaf>) -> Result<(), Error> {
    let meta = std::fs::metadata(path).map_err(|source| Error::Open {
        path: path.to_path_buf(),
        source,
    });
    let meta = match meta {
        Ok(m) => m,
        Err(e) if top => return Err(e),
        Err(e) => {
            out.push(Leaf::Broken {
                name: path.display().to_string(),
                reason: e.to_string(),
            });
            return Ok(());
        }
    };
    if meta.is_dir() {
        let entries = std::fs::read_dir(path).map_err(|source| Error::Open {
            path: path.to_path_buf(),
            source,
        });
        let mut paths: Vec<PathBuf> = match entries {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) if top => return Err(e),
            Err(e) => {
                out.push(Leaf::Broken {
                    name: path.display().to_string(),
                    reason: e.to_string(),
                });
                return Ok(());
            }
        };
        paths.sort();
        for p in paths {
            list(&p, false, out)?;
        }
        return Ok(());
    }
    let m = match magic(path) {
        Ok(m) => m,
        Err(source) if top => {
            return Err(Error::Open {
                path: path.to_path_buf(),
                source,
            });
        }
        Err(e) => {
            out.push(Leaf::Broken {
                name: path.display().to_string(),
                reason: format!("cannot open: {e}"),
            });
            return Ok(());
        }
    };
    if !is_zip(&m) {
        out.push(Leaf::File(path.to_path_buf()));
        return Ok(());
    }
    let archive = File::open(path)
        .map_err(|e| e.to_string())
        .and_then(|f| zip::ZipArchive::new(f).map_err(|e| e.to_string()));
    match archive {
        Ok(mut z) => {
            let mut members: Vec<(String, usize)> = Vec::new();
            for i in 0..z.len() {
                match z.by_index_raw(i) {
                    Ok(f) if f.is_dir() => {}
                    Ok(f) => match f.name() {
                        Ok(n) => members.push((n.to_string(), i)),
                        Err(e) => out.push(Leaf::Broken {
                            name: format!("{}!/#{i}", path.display()),
                            reason: format!("zip member name unreadable: {e}"),
                        }),
                    },
                    Err(e) => out.push(Leaf::Broken {
                        name: format!("{}!/#{i}", path.display()),
                        reason: format!("corrupt zip member: {e}"),
                    }),
                }
            }
            members.sort();
            for (name, index) in members {
                out.push(Leaf::Member {
                    archive: path.to_path_buf(),
                    index,
                    name,
                });
            }
            Ok(())
        }
        Err(reason) if top => Err(Error::Archive {
            path: path.display().to_string(),
            reason,
        }),
        Err(reason) => {
            out.push(Leaf::Broken {
                name: path.display().to_string(),
                reason: format!("corrupt or unsupported zip archive: {reason}"),
            });
            Ok(())
        }
    }
}

/// Counts decompressed bytes and fails past the limits.
pub(crate) struct Limited<R> {
    pub(crate) inner: R,
    pub(crate) left: u64,
    pub(crate) archive_used: Rc<Cell<u64>>,
    pub(crate) archive_max: u64,
}

impl<R: Read> Read for Limited<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let n64 = n as u64;
        if n64 > self.left {
            return Err(io::Error::other(
                "uncompressed size exceeds the per-file limit (max_member_bytes)",
            ));
        }
        self.left -= n64;
        let used = self.archive_used.get() + n64;
        if used > self.archive_max {
            return Err(io::Error::other(
                "uncompressed size exceeds the per-archive limit (max_archive_bytes)",
            ));
        }
        self.archive_used.set(used);
        Ok(n)
    }
}

/// Opens a reader, transparently gunzipping gzip content.
fn maybe_gunzip<'a>(
    inner: Box<dyn Read + 'a>,
    compressed: bool,
    opts: &ReadOptions,
    archive_used: &Rc<Cell<u64>>,
) -> io::Result<Box<dyn Read + 'a>> {
    let mut br = BufReader::with_capacity(64 * 1024, inner);
    let is_gz = br.fill_buf()?.starts_with(&[0x1f, 0x8b]);
    if is_gz {
        Ok(Box::new(Limited {
            inner: MultiGzDecoder::new(br),
            left: opts.max_member_bytes,
            archive_used: archive_used.clone(),
            archive_max: opts.max_archive_bytes,
        }))
    } else if compressed {
        Ok(Box::new(Limited {
            inner: br,
            left: opts.max_member_bytes,
            archive_used: archive_used.clone(),
            archive_max: opts.max_archive_bytes,
        }))
    } else {
        Ok(Box::new(br))
    }
}

struct Walker<'a> {
    opts: &'a ReadOptions,
    cache: Option<(PathBuf, zip::ZipArchive<File>, Rc<Cell<u64>>)>,
}

impl Walker<'_> {
    /// Runs `f` on a reader of the leaf's content.
    fn with_reader<T>(
        &mut self,
        leaf: &Leaf,
        f: &mut dyn FnMut(Box<dyn Read + '_>) -> T,
    ) -> Result<T, String> {
        match leaf {
            Leaf::Broken { reason, .. } => Err(reason.clone()),
            Leaf::File(p) => {
                let file = File::open(p).map_err(|e| format!("cannot open: {e}"))?;
                let used = Rc::new(Cell::new(0));
                let r = maybe_gunzip(Box::new(file), false, self.opts, &used)
                    .map_err(|e| e.to_string())?;
                Ok(f(r))
            }
            Leaf::Member {
                archive,
                index,
                name,
            } => {
                if self.cache.as_ref().is_none_or(|(p, _, _)| p != archive) {
                    let z = File::open(archive)
                        .map_err(|e| e.to_string())
                        .and_then(|fh| zip::ZipArchive::new(fh).map_err(|e| e.to_string()))?;
                    self.cache = Some((archive.clone(), z, Rc::new(Cell::new(0))));
                }
                let Some((_, z, used)) = self.cache.as_mut() else {
                    return Err("archive not open".into());
                };
                let used = used.clone();
                let member = z
                    .by_index(*index)
                    .map_err(|e| format!("cannot read zip member: {e}"))?;
                let mut br = BufReader::new(member);
                let head = br.fill_buf().map_err(|e| e.to_string())?;
                if head.starts_with(b"PK\x03\x04") {
                    return Err(format!(
                        "{name} is a zip inside a zip: extract it and read it directly"
                    ));
                }
                let r = maybe_gunzip(Box::new(br), true, self.opts, &used)
                    .map_err(|e| e.to_string())?;
                Ok(f(r))
            }
        }
    }
}

/// The Entra portal's AuthDetails file next to a sign-in CSV given on its own
/// (`InteractiveSignIns_<range>.csv` → `InteractiveSignIns_AuthDetails_<range>.csv`), so the join
/// also works when one file is named. The name only finds the companion; its content is still
/// sniffed before it is used.
fn authdetails_companion(leaf: &Leaf) -> Option<PathBuf> {
    let Leaf::File(p) = leaf else {
        return None;
    };
    let name = p.file_name()?.to_str()?;
    if name.contains("AuthDetails") {
        return None;
    }
    let at = name.find("SignIns_")? + "SignIns_".len();
    let candidate = p.with_file_name(format!("{}AuthDetails_{}", &name[..at], &name[at..]));
    candidate.is_file().then_some(candidate)
}

/// Walks `path` and reads every input under it. See [`crate::read_path`].
pub(crate) fn walk(
    path: &Path,
    opts: &ReadOptions,
    sink: &mut dyn Sink,
) -> Result<Vec<FileSummary>, Error> {
    let mut leaves = Vec::new();
    list(path, true, &mut leaves)?;
    let single = leaves.len() == 1 && matches!(leaves[0], Leaf::File(_));
    if single && let Some(companion) = leaves.first().and_then(authdetails_companion) {
        leaves.insert(0, Leaf::File(companion));
    }
    let mut walker = Walker { opts, cache: None };
    let mut auth = AuthJoin::default();
    let mut done: Vec<Option<FileSummary>> = vec![None; leaves.len()];
    // Pass 1: AuthDetails companions, so sign-in rows can be joined whatever the name order.
    for (i, leaf) in leaves.iter().enumerate() {
        let name = leaf.name();
        let res = walker.with_reader(leaf, &mut |r| -> Result<Option<FileSummary>, String> {
            let d = decode(r).map_err(|e| e.to_string())?;
            if is_authdetails(&sniff(&d.head)) {
                Ok(Some(load_authdetails(&name, d, &mut auth, &mut *sink)))
            } else {
                Ok(None)
            }
        });
        match res.and_then(|r| r) {
            Ok(Some(s)) => done[i] = Some(s),
            Ok(None) => {}
            Err(reason) => {
                if single {
                    return Err(Error::Read { path: name, reason });
                }
                let mut s = FileSummary::new(&name);
                s.error = Some(reason);
                done[i] = Some(s);
            }
        }
    }
    // Pass 2: everything else.
    for (i, leaf) in leaves.iter().enumerate() {
        if done[i].is_some() {
            continue;
        }
        let name = leaf.name();
        let res = walker.with_reader(leaf, &mut |r| -> Result<FileSummary, String> {
            let d = decode(r).map_err(|e| e.to_string())?;
            Ok(read_decoded(&name, d, opts, &auth, &mut *sink))
        });
        let summary = match res.and_then(|r| r) {
            Ok(s) => s,
            Err(reason) => {
                let mut s = FileSummary::new(&name);
                s.error = Some(reason);
                s
            }
        };
        tracing::debug!(file = %summary.file, format = ?summary.format, read = summary.read, rejected = summary.rejected, "read input");
        done[i] = Some(summary);
    }
    Ok(done.into_iter().flatten().collect())
}

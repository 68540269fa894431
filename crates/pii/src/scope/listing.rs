//! The lists of scope.json that grow with the export — files holding personal data and files
//! not inspected — kept on disk while a run accumulates them, so a scope run's memory stays
//! flat in the size of the mailbox (a 1 GiB generated export lists ~91,000 files with findings
//! and ~52,000 not inspected; five years of a real mailbox can list far more).
//!
//! A [`Listing`] holds its first items in memory and the rest in a named temporary
//! file (mode 0600, removed when the last handle drops) as JSON lines. It serializes as a plain
//! JSON array, streamed from the file, and deserializes into memory, so scope.json keeps its
//! shape. Reading it back yields `Result`s: the file is ours, but the disk is not.

use crate::PiiError;
use serde::de::DeserializeOwned;
use serde::ser::{Error as _, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::sync::Arc;

/// How many items a list keeps in memory before it moves to disk (see [`super::ScopeOptions`]).
pub const DEFAULT_SPILL_AFTER: usize = 2048;

/// Turns one stored line into an item.
type ReadLine<T> = dyn Fn(&str) -> Result<T, String> + Send + Sync;

/// The part of a list that lives on disk.
struct DiskPart<T> {
    file: Arc<tempfile::NamedTempFile>,
    /// Items written completely (the file may hold a torn last line after an I/O error).
    len: usize,
    read: Box<ReadLine<T>>,
}

/// A list that may live partly on disk. Clones share the file.
#[derive(Clone)]
pub struct Listing<T> {
    head: Vec<T>,
    disk: Option<Arc<DiskPart<T>>>,
}

impl<T> Default for Listing<T> {
    fn default() -> Self {
        Listing {
            head: Vec::new(),
            disk: None,
        }
    }
}

impl<T> From<Vec<T>> for Listing<T> {
    fn from(head: Vec<T>) -> Self {
        Listing { head, disk: None }
    }
}

impl<T: std::fmt::Debug> std::fmt::Debug for Listing<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Listing")
            .field("head", &self.head)
            .field("on_disk", &self.disk.as_ref().map_or(0, |d| d.len))
            .finish()
    }
}

impl<T> Listing<T> {
    /// Number of items.
    pub fn len(&self) -> usize {
        self.head.len() + self.disk.as_ref().map_or(0, |d| d.len)
    }

    /// True when there is no item.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The items kept in memory (the first ones, at most the spill threshold).
    pub fn in_memory(&self) -> &[T] {
        &self.head
    }

    /// Every item in order; items on disk are read as the iterator advances.
    pub fn iter(&self) -> ListingIter<'_, T> {
        ListingIter {
            head: self.head.iter(),
            disk: self.disk.as_deref(),
            reader: None,
            read: 0,
            done: false,
        }
    }

    /// The same list with every item passed through `f` (items on disk when read).
    pub(crate) fn map<U>(self, f: impl Fn(T) -> U + Send + Sync + 'static) -> Listing<U>
    where
        T: 'static,
    {
        let f = Arc::new(f);
        let disk = self.disk.map(|d| {
            let g = Arc::clone(&f);
            let file = Arc::clone(&d.file);
            let len = d.len;
            Arc::new(DiskPart {
                file,
                len,
                read: Box::new(move |line: &str| (d.read)(line).map(|x| g(x))) as Box<ReadLine<U>>,
            })
        });
        Listing {
            head: self.head.into_iter().map(|x| f(x)).collect(),
            disk,
        }
    }

    /// The first `n` items, in memory.
    pub fn first(&self, n: usize) -> Result<Vec<T>, PiiError>
    where
        T: Clone,
    {
        self.iter()
            .take(n)
            .map(|r| r.map(std::borrow::Cow::into_owned))
            .collect()
    }

    /// Every item, in memory.
    pub fn to_vec(&self) -> Result<Vec<T>, PiiError>
    where
        T: Clone,
    {
        self.first(usize::MAX)
    }
}

/// Iterator over a [`Listing`]: borrowed items from memory, owned ones from disk.
pub struct ListingIter<'a, T> {
    head: std::slice::Iter<'a, T>,
    disk: Option<&'a DiskPart<T>>,
    reader: Option<BufReader<std::fs::File>>,
    read: usize,
    done: bool,
}

fn spill_error(e: impl std::fmt::Display) -> PiiError {
    PiiError::Spill(e.to_string())
}

impl<'a, T: Clone> Iterator for ListingIter<'a, T> {
    type Item = Result<std::borrow::Cow<'a, T>, PiiError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(x) = self.head.next() {
            return Some(Ok(std::borrow::Cow::Borrowed(x)));
        }
        let disk = self.disk?;
        if self.done || self.read >= disk.len {
            return None;
        }
        if self.reader.is_none() {
            match disk.file.reopen() {
                Ok(f) => self.reader = Some(BufReader::new(f)),
                Err(e) => {
                    self.done = true;
                    return Some(Err(spill_error(e)));
                }
            }
        }
        let reader = self.reader.as_mut()?;
        let mut line = String::new();
        let got = match reader.read_line(&mut line) {
            Ok(0) => Err(spill_error(format!(
                "temporary list ended after {} of {} items",
                self.read, disk.len
            ))),
            Ok(_) => (disk.read)(line.trim_end_matches('\n'))
                .map(std::borrow::Cow::Owned)
                .map_err(|e| spill_error(format!("item {}: {e}", self.read + 1))),
            Err(e) => Err(spill_error(e)),
        };
        self.read += 1;
        if got.is_err() {
            self.done = true;
        }
        Some(got)
    }
}

impl<T: Serialize + Clone> Serialize for Listing<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len()))?;
        for item in self.iter() {
            let item = item.map_err(S::Error::custom)?;
            seq.serialize_element(item.as_ref())?;
        }
        seq.end()
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Listing<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<T>::deserialize(deserializer).map(Listing::from)
    }
}

/// Builds a list while a run goes on: the first `spill_after` items stay in memory, the rest
/// are appended to a temporary file as JSON lines of `S` (the stored form).
pub(crate) struct ListingWriter<S> {
    spill_after: usize,
    /// Folder of the temporary file; None = the system's temporary folder.
    dir: Option<std::path::PathBuf>,
    head: Vec<S>,
    disk: Option<(tempfile::NamedTempFile, BufWriter<std::fs::File>)>,
    disk_len: usize,
    /// The first I/O error; items after it (and possibly the buffered ones before) are lost,
    /// and the scope says so (see [`ListingWriter::error`]).
    error: Option<String>,
    lost: usize,
}

impl<S: Serialize + DeserializeOwned> ListingWriter<S> {
    pub fn new(spill_after: usize, dir: Option<std::path::PathBuf>) -> Self {
        ListingWriter {
            spill_after,
            dir,
            head: Vec::new(),
            disk: None,
            disk_len: 0,
            error: None,
            lost: 0,
        }
    }

    /// Appends one item.
    pub fn push(&mut self, item: S) {
        if self.head.len() < self.spill_after {
            self.head.push(item);
            return;
        }
        if self.error.is_some() {
            self.lost += 1;
            return;
        }
        if let Err(e) = self.write(&item) {
            tracing::error!(error = %e, "cannot keep a scope list on disk; later entries are not listed");
            self.error = Some(e);
            self.lost += 1;
        }
    }

    fn write(&mut self, item: &S) -> Result<(), String> {
        if self.disk.is_none() {
            let mut b = tempfile::Builder::new();
            b.prefix("mimamori-scope-").suffix(".jsonl");
            let file = match &self.dir {
                Some(d) => b.tempfile_in(d),
                None => b.tempfile(),
            }
            .map_err(|e| format!("temporary file: {e}"))?;
            let w = file.reopen().map_err(|e| format!("temporary file: {e}"))?;
            self.disk = Some((file, BufWriter::with_capacity(64 << 10, w)));
        }
        let (_, w) = self.disk.as_mut().ok_or("no temporary file")?;
        serde_json::to_writer(&mut *w, item).map_err(|e| e.to_string())?;
        w.write_all(b"\n").map_err(|e| e.to_string())?;
        self.disk_len += 1;
        Ok(())
    }

    /// The I/O error that cut the list short, with the number of entries not listed.
    pub fn error(&self) -> Option<(String, usize)> {
        self.error.clone().map(|e| (e, self.lost))
    }

    /// The finished list: every stored item mapped to `T` (the disk part as it is read).
    pub fn finish<T>(
        mut self,
        map: impl Fn(S) -> T + Send + Sync + 'static,
    ) -> (Listing<T>, Option<(String, usize)>) {
        let map = Arc::new(map);
        let mut disk = None;
        if let Some((file, mut w)) = self.disk.take() {
            match w.flush() {
                Ok(()) => {
                    let map = Arc::clone(&map);
                    disk = Some(Arc::new(DiskPart {
                        file: Arc::new(file),
                        len: self.disk_len,
                        read: Box::new(move |line: &str| {
                            serde_json::from_str::<S>(line)
                                .map(|s| map(s))
                                .map_err(|e| e.to_string())
                        }),
                    }));
                }
                Err(e) => {
                    tracing::error!(error = %e, "cannot keep a scope list on disk");
                    self.lost += self.disk_len;
                    self.error.get_or_insert(e.to_string());
                }
            }
        }
        let error = self.error();
        let head = self.head.into_iter().map(|s| map(s)).collect();
        (Listing { head, disk }, error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(items: &[u32], spill_after: usize) -> Listing<u32> {
        let mut w = ListingWriter::new(spill_after, None);
        for i in items {
            w.push(*i);
        }
        let (l, error) = w.finish(|x: u32| x * 10);
        assert!(error.is_none());
        l
    }

    #[test]
    fn items_in_memory_then_on_disk_keep_their_order() {
        let items: Vec<u32> = (0..1000).collect();
        for spill_after in [0, 1, 999, 1000, 5000] {
            let l = written(&items, spill_after);
            assert_eq!(l.len(), 1000);
            assert_eq!(l.in_memory().len(), spill_after.min(1000));
            let want: Vec<u32> = items.iter().map(|x| x * 10).collect();
            assert_eq!(l.to_vec().expect("read"), want, "spill after {spill_after}");
            assert_eq!(l.clone().map(|x| x + 1).to_vec().expect("read")[999], 9991);
            assert_eq!(
                serde_json::to_string(&l).expect("json"),
                serde_json::to_string(&want).expect("json")
            );
        }
    }

    #[test]
    fn a_temporary_file_that_cannot_be_created_is_reported_with_the_entries_missing() {
        let dir = tempfile::tempdir().expect("dir");
        let gone = dir.path().join("no-such-folder");
        let mut w = ListingWriter::new(2, Some(gone));
        for i in 0..5u32 {
            w.push(i);
        }
        let (l, error) = w.finish(|x: u32| x);
        let (reason, lost) = error.expect("an error");
        assert!(reason.contains("temporary file"), "{reason}");
        assert_eq!((lost, l.len()), (3, 2));
        assert_eq!(l.to_vec().expect("memory part"), vec![0, 1]);
    }

    #[test]
    fn a_damaged_temporary_file_is_an_error_not_a_short_list() {
        let l = written(&[1, 2, 3, 4], 1);
        let disk = l.disk.as_ref().expect("on disk");
        std::fs::write(disk.file.path(), "2\nnot json\n").expect("damage");
        let got: Vec<_> = l.iter().collect();
        assert_eq!(got.len(), 3, "the first error ends the iteration");
        assert!(got[2].is_err());
        let e = serde_json::to_string(&l).expect_err("must fail");
        assert!(e.to_string().contains("item 2"), "{e}");
        std::fs::write(disk.file.path(), "2\n").expect("truncate");
        let e = l.to_vec().expect_err("must fail");
        assert!(e.to_string().contains("ended after 1 of 3"), "{e}");
    }
}

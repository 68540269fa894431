//! Identical attachments are read once. Five years of mail carry the same file many times — a
//! roster forwarded, a form sent to every branch, the Sent Items copy and the recipient's copy
//! in two exported mailboxes — and extracting and scanning it again gives the same result, so a
//! scope run keeps the result of recent attachments by content and replays it under the new
//! path: every copy is still listed, counted and attributed to its message.
//!
//! The key is the SHA-256 of the bytes plus the file-name extension and the content type
//! (both steer extraction). Results are kept relative to the attachment's path; an
//! attachment whose results do not all lie under its own path is not kept. The cache is
//! first-in first-out, bounded by entries and by an estimate of the bytes it holds, so memory
//! stays flat. It holds raw values of the cached results in memory, as the scan itself does,
//! and never writes them anywhere.

use crate::extract::NotInspected;
use crate::scan::DocScan;
use sha2::{Digest, Sha256};
use std::collections::{HashMap, VecDeque};

/// Attachments smaller than this are not kept (scanning them is as cheap as the look-up).
const MIN_BYTES: usize = 512;
/// Entries kept at most.
const MAX_ENTRIES: usize = 4096;
/// Estimated bytes of kept results at most.
const MAX_BYTES: usize = 32 << 20;

/// What one attachment gave: its documents' scans and its files not inspected (kept with
/// paths relative to the attachment's own path).
pub(super) struct Outcome {
    pub docs: Vec<(String, DocScan)>,
    pub not_inspected: Vec<NotInspected>,
}

impl Outcome {
    /// The outcome with paths relative to `path` (cut in place), or the outcome unchanged
    /// when one of its paths does not start with `path`.
    pub fn relative_to(mut self, path: &str) -> Result<Outcome, Outcome> {
        let under = self.docs.iter().all(|(p, _)| p.starts_with(path))
            && self.not_inspected.iter().all(|n| n.path.starts_with(path));
        if !under {
            return Err(self);
        }
        for (p, _) in &mut self.docs {
            p.drain(..path.len());
        }
        for n in &mut self.not_inspected {
            n.path.drain(..path.len());
        }
        Ok(self)
    }

    /// A rough size in memory (strings and hit values).
    fn weight(&self) -> usize {
        let scans: usize = self
            .docs
            .iter()
            .map(|(p, s)| {
                p.len()
                    + 64
                    + s.emails.iter().map(|e| e.len() + 24).sum::<usize>()
                    + s.records
                        .iter()
                        .map(|(r, _)| 32 + r.hits.iter().map(|h| h.value.len() + 80).sum::<usize>())
                        .sum::<usize>()
            })
            .sum();
        let ni: usize = self
            .not_inspected
            .iter()
            .map(|n| n.path.len() + n.detail.len() + n.message_ja.len() + n.message_en.len() + 64)
            .sum();
        scans + ni + 64
    }
}

/// The cache key of an attachment.
pub(super) type Key = [u8; 32];

/// Key of `bytes` read as `name` with `content_type`; None when too small to keep.
pub(super) fn key(name: &str, content_type: Option<&str>, bytes: &[u8]) -> Option<Key> {
    if bytes.len() < MIN_BYTES {
        return None;
    }
    let ext = name
        .rsplit_once('.')
        .map_or("", |x| x.1)
        .to_ascii_lowercase();
    let mut h = Sha256::new();
    h.update(ext.as_bytes());
    h.update([0x1f]);
    h.update(content_type.unwrap_or("").to_ascii_lowercase().as_bytes());
    h.update([0x1f]);
    h.update(bytes);
    Some(h.finalize().into())
}

/// Recent outcomes by key.
#[derive(Default)]
pub(super) struct Cache {
    map: HashMap<Key, (Outcome, usize)>,
    order: VecDeque<Key>,
    bytes: usize,
    /// Weight of the outcome lent out by [`Cache::take`].
    lent: Option<usize>,
    /// Attachments answered from the cache.
    pub hits: u64,
}

impl Cache {
    /// Lends out the kept outcome of `key`; give it back with [`Cache::restore`].
    pub fn take(&mut self, key: &Key) -> Option<Outcome> {
        let (o, w) = self.map.remove(key)?;
        self.lent = Some(w);
        self.hits += 1;
        Some(o)
    }

    /// Gives a lent outcome back (its place in the first-in first-out order was kept).
    pub fn restore(&mut self, key: Key, outcome: Outcome) {
        let w = self.lent.take().unwrap_or_else(|| outcome.weight());
        self.map.insert(key, (outcome, w));
    }

    /// Keeps `outcome`, dropping the oldest entries beyond the bounds.
    pub fn put(&mut self, key: Key, outcome: Outcome) {
        let w = outcome.weight();
        if w > MAX_BYTES / 8 || self.map.contains_key(&key) {
            return;
        }
        self.map.insert(key, (outcome, w));
        self.order.push_back(key);
        self.bytes += w;
        while self.map.len() > MAX_ENTRIES || self.bytes > MAX_BYTES {
            let Some(old) = self.order.pop_front() else {
                break;
            };
            if let Some((_, ow)) = self.map.remove(&old) {
                self.bytes -= ow;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outcome(n: usize) -> Outcome {
        Outcome {
            docs: vec![(format!("!/m{n}.xlsx"), DocScan::default())],
            not_inspected: Vec::new(),
        }
    }

    #[test]
    fn keys_depend_on_bytes_extension_and_type() {
        let b = vec![7u8; 1000];
        let k = key("a.CSV", Some("text/csv"), &b);
        assert!(k.is_some());
        assert_eq!(k, key("other-name.csv", Some("TEXT/CSV"), &b));
        assert_ne!(k, key("a.txt", Some("text/csv"), &b));
        assert_ne!(k, key("a.csv", None, &b));
        let mut c = b.clone();
        c[999] = 8;
        assert_ne!(k, key("a.csv", Some("text/csv"), &c));
        assert_eq!(
            key("a.csv", None, &b[..100]),
            None,
            "small files are not kept"
        );
    }

    #[test]
    fn the_oldest_entries_leave_first_and_paths_are_made_relative() {
        let mut c = Cache::default();
        for i in 0..MAX_ENTRIES + 10 {
            let mut k = [0u8; 32];
            k[..8].copy_from_slice(&(i as u64).to_le_bytes());
            c.put(k, outcome(i));
        }
        assert_eq!(c.map.len(), MAX_ENTRIES);
        let first = [0u8; 32];
        assert!(c.take(&first).is_none());
        let mut last = [0u8; 32];
        last[..8].copy_from_slice(&((MAX_ENTRIES + 9) as u64).to_le_bytes());
        let o = c.take(&last).expect("kept");
        assert_eq!(o.docs[0].0, format!("!/m{}.xlsx", MAX_ENTRIES + 9));
        c.restore(last, o);
        assert!(c.take(&last).is_some(), "given back");
        assert_eq!(c.hits, 2);
        let docs = || Outcome {
            docs: vec![("x/a.zip!/b".to_string(), DocScan::default())],
            not_inspected: Vec::new(),
        };
        let rel = docs().relative_to("x/a.zip").ok().expect("under its path");
        assert_eq!(rel.docs[0].0, "!/b");
        let back = docs()
            .relative_to("y/a.zip")
            .err()
            .expect("not under that path");
        assert_eq!(back.docs[0].0, "x/a.zip!/b", "given back unchanged");
    }
}

//! Persons and files of a scope run, accumulated as records arrive. Person de-duplication is a
//! union–find over keyed hashes: a record joins the person of its first known key, and a
//! record whose keys belong to two persons merges them (the merged node hands its data to the
//! root). Only one entry per distinct person is kept in memory — never the records; each file
//! holding personal data becomes one compact entry of a [`ListingWriter`] (on disk past its
//! first entries), so memory does not grow with the records or files seen. A file's persons
//! are stored as union–find nodes and resolved to persons when the list is read at the end.

use super::listing::{Listing, ListingWriter};
use super::{FileFinding, PersonCounts, PersonSummary};
use crate::category::{Category, SpecialCareKind};
use crate::mask::mask;
use crate::person::UnionFind;
use crate::recognize::{Confidence, Hit};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// How many files a person's entry in scope.json names (the first ones, in input order); its
/// `file_count` gives the total. scope.json's `files` lists every file.
pub const PERSON_FILES_LISTED: usize = 100;

/// One person as known so far (a union–find node).
#[derive(Default)]
struct PersonAcc {
    /// Person id for scope.json: the start of the first keyed hash seen for this node.
    id: String,
    /// The categories of `values`, one bit per [`Category`] discriminant: most records add
    /// nothing new to a person already seen, and this answers that without a map lookup.
    seen: u32,
    special: BTreeSet<SpecialCareKind>,
    /// One value per category found (masked unless revealed); its keys are the person's
    /// categories.
    values: BTreeMap<Category, String>,
}

/// A category's bit in [`PersonAcc::seen`].
fn seen_bit(c: Category) -> u32 {
    1 << (c as u32)
}

/// One inspected document that held personal data, as stored while the run goes on.
#[derive(Clone, Serialize, Deserialize)]
struct StoredFile {
    #[serde(rename = "p")]
    path: String,
    #[serde(rename = "m", default, skip_serializing_if = "Option::is_none")]
    message_id: Option<String>,
    /// Person nodes of its records (resolved to persons at the end), sorted, distinct.
    #[serde(rename = "n")]
    persons: Vec<u32>,
    /// Categories found, one bit per position in [`Category::SEARCHED`].
    #[serde(rename = "c")]
    categories: u32,
}

/// A category's bit in [`StoredFile::categories`]: its position in [`Category::SEARCHED`]
/// (none for the corporate number), looked up by discriminant (this runs for every hit of
/// every person record).
fn category_bit(c: Category) -> u32 {
    CATEGORY_BITS.get(c as usize).copied().unwrap_or(0)
}

/// [`category_bit`] by discriminant, computed at compile time.
const CATEGORY_BITS: [u32; 32] = {
    let mut bits = [0u32; 32];
    let mut i = 0;
    while i < Category::SEARCHED.len() {
        bits[Category::SEARCHED[i] as usize] = 1 << i;
        i += 1;
    }
    bits
};

/// The document being absorbed: created by [`Persons::file`], closed by [`Persons::end_file`].
pub(super) struct OpenFile {
    path: String,
    message_id: Option<String>,
    persons: Vec<u32>,
    categories: u32,
}

/// Persons and files of a run.
pub(super) struct Persons {
    records_before_dedup: u64,
    nodes: Vec<PersonAcc>,
    uf: UnionFind,
    by_key: HashMap<u128, u32, KeyedHashState>,
    files: ListingWriter<StoredFile>,
}

/// What [`Persons::finish`] hands back.
pub(super) struct PersonsDone {
    pub counts: PersonCounts,
    pub list: Vec<PersonSummary>,
    pub files: Listing<FileFinding>,
    /// I/O problems with the on-disk file list: (reason, entries not listed).
    pub list_errors: Vec<(String, usize)>,
}

impl Persons {
    /// An empty run whose file list keeps `spill_after` entries in memory.
    pub fn new(spill_after: usize, spill_dir: Option<std::path::PathBuf>) -> Self {
        Persons {
            records_before_dedup: 0,
            nodes: Vec::new(),
            uf: UnionFind::default(),
            by_key: HashMap::with_hasher(KeyedHashState),
            files: ListingWriter::new(spill_after, spill_dir),
        }
    }

    /// Opens the next document.
    pub fn file(&self, path: String, message_id: Option<String>) -> OpenFile {
        OpenFile {
            path,
            message_id,
            persons: Vec::new(),
            categories: 0,
        }
    }

    /// Adds one person record of `file` with its linking `keys` and hits.
    pub fn add_record(&mut self, file: &mut OpenFile, keys: &[u128], hits: &[Hit], reveal: bool) {
        self.records_before_dedup += 1;
        let node = self.person_node(keys);
        let p = &mut self.nodes[node];
        file.persons.push(node as u32);
        for h in hits {
            if !h.category.is_personal() || h.confidence == Confidence::Low {
                continue;
            }
            file.categories |= category_bit(h.category);
            if let Some(k) = h.special {
                p.special.insert(k);
            }
            if p.seen & seen_bit(h.category) == 0 {
                p.seen |= seen_bit(h.category);
                p.values.insert(
                    h.category,
                    if reveal {
                        h.value.clone()
                    } else {
                        mask(h.category, &h.value)
                    },
                );
            }
        }
    }

    /// Closes a document; it is listed only when it held a person.
    pub fn end_file(&mut self, file: OpenFile) {
        let OpenFile {
            path,
            message_id,
            mut persons,
            categories,
            ..
        } = file;
        if persons.is_empty() {
            return;
        }
        persons.sort_unstable();
        persons.dedup();
        self.files.push(StoredFile {
            path,
            message_id,
            persons,
            categories,
        });
    }

    /// The person (root node) a record with `keys` belongs to: a new node when no key was
    /// seen before, else the root of the first match, with every other matching person merged
    /// into it (a record sharing keys with two persons proves they are one).
    fn person_node(&mut self, keys: &[u128]) -> usize {
        let mut root: Option<usize> = None;
        for k in keys {
            let Some(&n) = self.by_key.get(k) else {
                continue;
            };
            let r = self.uf.find(n as usize);
            match root {
                None => root = Some(r),
                Some(x) if x != r => {
                    self.uf.union(x, r);
                    let from = std::mem::take(&mut self.nodes[r]);
                    let into = &mut self.nodes[x];
                    into.seen |= from.seen;
                    into.special.extend(from.special);
                    for (c, v) in from.values {
                        into.values.entry(c).or_insert(v);
                    }
                }
                Some(_) => {}
            }
        }
        let node = match root {
            Some(r) => r,
            None => {
                let n = self.uf.add();
                self.nodes.push(PersonAcc {
                    id: keys.first().map_or_else(
                        || format!("p{n}"),
                        |k| format!("{k:032x}")[..12].to_string(),
                    ),
                    ..Default::default()
                });
                n
            }
        };
        for &k in keys {
            self.by_key.entry(k).or_insert(node as u32);
        }
        node
    }

    /// Counts, the person list and the file list. The file list is read once here (each
    /// person's files) and again when scope.json is written (each file's persons).
    pub fn finish(mut self) -> PersonsDone {
        let mut counts = PersonCounts {
            records_before_dedup: self.records_before_dedup,
            ..Default::default()
        };
        let roots: Arc<Vec<u32>> = Arc::new(
            (0..self.nodes.len())
                .map(|i| self.uf.find(i) as u32)
                .collect(),
        );
        let mut list_errors = Vec::new();
        let (stored, error) = self.files.finish(|f| f);
        list_errors.extend(error);
        // Each person's files: the first PERSON_FILES_LISTED paths and the total.
        let mut person_files: HashMap<u32, (u64, Vec<String>)> = HashMap::new();
        for f in stored.iter() {
            let f = match f {
                Ok(f) => f,
                Err(e) => {
                    list_errors.push((e.to_string(), 0));
                    break;
                }
            };
            for r in distinct_roots(&f.persons, &roots) {
                let (n, paths) = person_files.entry(r).or_default();
                *n += 1;
                if paths.len() < PERSON_FILES_LISTED {
                    paths.push(f.path.clone());
                }
            }
        }
        let mut list = Vec::new();
        for i in 0..self.nodes.len() {
            if roots[i] as usize != i {
                continue;
            }
            let p = std::mem::take(&mut self.nodes[i]);
            counts.count += 1;
            for c in p.values.keys() {
                *counts.by_category.entry(*c).or_default() += 1;
            }
            for k in &p.special {
                *counts.special_care_by_kind.entry(*k).or_default() += 1;
            }
            let (file_count, files) = person_files.remove(&(i as u32)).unwrap_or_default();
            list.push(PersonSummary {
                id: p.id,
                name: p.values.get(&Category::Name).cloned(),
                categories: p.values.keys().copied().collect(),
                values: p.values,
                files,
                file_count,
            });
        }
        let files = stored.map(move |f| {
            let mut categories: Vec<Category> = Category::SEARCHED
                .iter()
                .copied()
                .filter(|c| f.categories & category_bit(*c) != 0)
                .collect();
            categories.sort_unstable();
            FileFinding {
                persons: distinct_roots(&f.persons, &roots).len() as u64,
                path: f.path,
                message_id: f.message_id,
                categories,
            }
        });
        PersonsDone {
            counts,
            list,
            files,
            list_errors,
        }
    }
}

/// Hashing for the person keys, which are already keyed hashes (HMAC-SHA256 prefixes under a
/// key the input cannot know): their bits are uniform, so the table uses them as they are
/// instead of hashing them again with SipHash (~2 % of a scope run).
#[derive(Clone, Copy, Default)]
struct KeyedHashState;

impl std::hash::BuildHasher for KeyedHashState {
    type Hasher = KeyedHashHasher;
    fn build_hasher(&self) -> KeyedHashHasher {
        KeyedHashHasher(0)
    }
}

/// See [`KeyedHashState`]; other inputs than one `u128` are folded in (never used here).
struct KeyedHashHasher(u64);

impl std::hash::Hasher for KeyedHashHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(*b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u128(&mut self, v: u128) {
        self.0 ^= (v as u64) ^ ((v >> 64) as u64);
    }
}

/// The distinct persons (root nodes) of a file's nodes.
fn distinct_roots(nodes: &[u32], roots: &[u32]) -> Vec<u32> {
    let mut r: Vec<u32> = nodes
        .iter()
        .map(|n| roots.get(*n as usize).copied().unwrap_or(*n))
        .collect();
    r.sort_unstable();
    r.dedup();
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_bits_are_positions_in_searched() {
        for (i, c) in Category::ALL.iter().enumerate() {
            assert_eq!(*c as usize, i);
            let by_position = Category::SEARCHED
                .iter()
                .position(|x| x == c)
                .map_or(0, |i| 1 << i);
            assert_eq!(category_bit(*c), by_position, "{c:?}");
        }
        assert_eq!(category_bit(Category::CorporateNumber), 0);
    }
}

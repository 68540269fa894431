//! Persons and files of a scope run, accumulated as records arrive. Person de-duplication is a
//! union–find over keyed hashes: a record joins the person of its first known key, and a
//! record whose keys belong to two persons merges them (the merged node hands its data to the
//! root). Only one entry per distinct person and one compact entry per file holding personal
//! data are kept — never the records — so memory does not grow with the records seen.

use super::{FileFinding, PersonCounts, PersonSummary};
use crate::category::{Category, SpecialCareKind};
use crate::mask::mask;
use crate::person::UnionFind;
use crate::recognize::{Confidence, Hit};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One person as known so far (a union–find node).
#[derive(Default)]
struct PersonAcc {
    /// Person id for scope.json: the start of the first keyed hash seen for this node.
    id: String,
    categories: BTreeSet<Category>,
    special: BTreeSet<SpecialCareKind>,
    values: BTreeMap<Category, String>,
    /// Files (indices into `files`) holding this person; de-duplicated at the end.
    files: Vec<u32>,
}

/// One inspected document that held personal data (kept compact: there is one per such file).
struct FileAcc {
    path: Box<str>,
    message_id: Option<Box<str>>,
    /// Person nodes of its records (resolved to roots at the end).
    persons: Box<[u32]>,
    /// Categories found, one bit per position in [`Category::SEARCHED`].
    categories: u32,
}

fn category_bit(c: Category) -> u32 {
    Category::SEARCHED
        .iter()
        .position(|x| *x == c)
        .map_or(0, |i| 1 << i)
}

/// The document being absorbed: created by [`Persons::file`], closed by [`Persons::end_file`].
pub(super) struct OpenFile {
    index: u32,
    path: String,
    message_id: Option<String>,
    persons: Vec<u32>,
    categories: u32,
}

/// Persons and files of a run.
#[derive(Default)]
pub(super) struct Persons {
    records_before_dedup: u64,
    nodes: Vec<PersonAcc>,
    uf: UnionFind,
    by_key: HashMap<u128, u32>,
    files: Vec<FileAcc>,
}

impl Persons {
    /// Opens the next document.
    pub fn file(&self, path: String, message_id: Option<String>) -> OpenFile {
        OpenFile {
            index: self.files.len() as u32,
            path,
            message_id,
            persons: Vec::new(),
            categories: 0,
        }
    }

    /// Adds one person record of `file` with its linking `keys` and hits.
    pub fn add_record(&mut self, file: &mut OpenFile, keys: Vec<u128>, hits: &[Hit], reveal: bool) {
        self.records_before_dedup += 1;
        let node = self.person_node(keys);
        let p = &mut self.nodes[node];
        if p.files.last() != Some(&file.index) {
            p.files.push(file.index);
        }
        file.persons.push(node as u32);
        for h in hits {
            if !h.category.is_personal() || h.confidence == Confidence::Low {
                continue;
            }
            p.categories.insert(h.category);
            file.categories |= category_bit(h.category);
            if let Some(k) = h.special {
                p.special.insert(k);
            }
            if let std::collections::btree_map::Entry::Vacant(e) = p.values.entry(h.category) {
                e.insert(if reveal {
                    h.value.clone()
                } else {
                    mask(h.category, &h.value)
                });
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
        // Fresh exact-size copies: the originals were allocated before the document was
        // extracted, between its large short-lived buffers; keeping them would pin those
        // holes in the heap (RSS then grew with the input although nothing else is kept).
        self.files.push(FileAcc {
            path: Box::from(path.as_str()),
            message_id: message_id.as_deref().map(Box::from),
            persons: Box::from(&persons[..]),
            categories,
        });
    }

    /// The person (root node) a record with `keys` belongs to: a new node when no key was
    /// seen before, else the root of the first match, with every other matching person merged
    /// into it (a record sharing keys with two persons proves they are one).
    fn person_node(&mut self, keys: Vec<u128>) -> usize {
        let mut root: Option<usize> = None;
        for k in &keys {
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
                    into.categories.extend(from.categories);
                    into.special.extend(from.special);
                    for (c, v) in from.values {
                        into.values.entry(c).or_insert(v);
                    }
                    into.files.extend(from.files);
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
        for k in keys {
            self.by_key.entry(k).or_insert(node as u32);
        }
        node
    }

    /// Counts, the person list and the file list.
    pub fn finish(mut self) -> (PersonCounts, Vec<PersonSummary>, Vec<FileFinding>) {
        let mut counts = PersonCounts {
            records_before_dedup: self.records_before_dedup,
            ..Default::default()
        };
        let mut list = Vec::new();
        for i in 0..self.nodes.len() {
            if self.uf.find(i) != i {
                continue;
            }
            let p = std::mem::take(&mut self.nodes[i]);
            counts.count += 1;
            for c in &p.categories {
                *counts.by_category.entry(*c).or_default() += 1;
            }
            for k in &p.special {
                *counts.special_care_by_kind.entry(*k).or_default() += 1;
            }
            let mut files = p.files;
            files.sort_unstable();
            files.dedup();
            list.push(PersonSummary {
                id: p.id,
                name: p.values.get(&Category::Name).cloned(),
                categories: p.categories.into_iter().collect(),
                values: p.values,
                files: files
                    .iter()
                    .filter_map(|f| self.files.get(*f as usize).map(|x| x.path.to_string()))
                    .collect(),
            });
        }
        let uf = &mut self.uf;
        let files = std::mem::take(&mut self.files)
            .into_iter()
            .map(|f| {
                let mut roots: Vec<usize> =
                    f.persons.iter().map(|n| uf.find(*n as usize)).collect();
                roots.sort_unstable();
                roots.dedup();
                let mut categories: Vec<Category> = Category::SEARCHED
                    .iter()
                    .copied()
                    .filter(|c| f.categories & category_bit(*c) != 0)
                    .collect();
                categories.sort_unstable();
                FileFinding {
                    path: f.path.into(),
                    message_id: f.message_id.map(Into::into),
                    persons: roots.len() as u64,
                    categories,
                }
            })
            .collect();
        (counts, list, files)
    }
}

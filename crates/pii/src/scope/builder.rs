//! [`ScopeBuilder`]: feed messages (envelope, bodies, attachments) and loose files, get a
//! [`Scope`]. Raw values are dropped after each document, and persons are de-duplicated as
//! records arrive (union–find over keyed hashes): only one entry per distinct person (its
//! keyed hashes, categories, one masked display value per category — raw too when `reveal` is
//! set — and the indices of its files) and one entry per file holding personal data are kept.
//! Memory therefore grows with distinct persons and with the number of files that hold
//! personal data (both listed in scope.json), not with the bytes of mail.
//!
//! Limiting to exposed items: give [`Exposure`] with the Message-IDs the attacker read (the
//! caller derives them from MailItemsAccessed `Bind` items) and the folders synced (`Sync`
//! operations expose whole folders). A message is inspected when its Message-ID is in the set
//! (compared without `<>`, case-insensitively) or its folder is (compared case-insensitively,
//! `\` and `/` equivalent, leading/trailing separators ignored); otherwise it is skipped and
//! counted in `exposure.skipped_messages`.

use super::{
    AddressCounts, BusinessContacts, ExposureSummary, FileFinding, MessageCounts, PersonCounts,
    PersonSummary, SCOPE_SCHEMA_VERSION, Scope, Searched,
};
use crate::category::{Category, SpecialCareKind};
use crate::extract::{ExtractLimits, NotInspected, extract};
use crate::mask::mask;
use crate::person::{PersonKey, UnionFind, record_keys};
use crate::recognize::RecognizeOptions;
use crate::scan::{DocScan, scan_blocks, signature_contacts};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

/// Items the attacker could read.
#[derive(Debug, Clone, Default)]
pub struct Exposure {
    /// Message-IDs (with or without `<>`).
    pub message_ids: HashSet<String>,
    /// Folder paths.
    pub folders: HashSet<String>,
}

/// Options of a scope run.
#[derive(Debug, Clone)]
pub struct ScopeOptions {
    /// Tenant id written into scope.json.
    pub tenant_id: String,
    /// The tenant's own mail domains (internal vs external).
    pub internal_domains: Vec<String>,
    /// When set, only exposed messages are inspected.
    pub exposure: Option<Exposure>,
    /// Pseudonymisation key; None = a random key for this run.
    pub key: Option<PersonKey>,
    /// Keep raw values in `person_list` (for the incident team only).
    pub reveal: bool,
    /// The leak was caused by unauthorized access (PPC trigger 3), set by the caller.
    pub unauthorized_access: bool,
    /// Date ages are computed against; None = today.
    pub reference_date: Option<NaiveDate>,
    /// Extraction limits.
    pub limits: ExtractLimits,
}

impl Default for ScopeOptions {
    fn default() -> Self {
        ScopeOptions {
            tenant_id: model::DEFAULT_TENANT.to_string(),
            internal_domains: Vec::new(),
            exposure: None,
            key: None,
            reveal: false,
            unauthorized_access: false,
            reference_date: None,
            limits: ExtractLimits::default(),
        }
    }
}

/// One attachment.
#[derive(Debug, Clone, Copy)]
pub struct Attachment<'a> {
    /// File name as given in the message.
    pub file_name: &'a str,
    /// MIME content type, when known.
    pub content_type: Option<&'a str>,
    /// Decoded bytes.
    pub bytes: &'a [u8],
}

/// One message as the pipeline hands it over.
#[derive(Debug, Clone, Default)]
pub struct MessageInput<'a> {
    /// Message-ID (with or without `<>`).
    pub message_id: Option<&'a str>,
    /// Folder path.
    pub folder: Option<&'a str>,
    /// Date (sent or received).
    pub date: Option<DateTime<Utc>>,
    /// From address.
    pub from: Option<&'a str>,
    /// To addresses.
    pub to: &'a [String],
    /// Cc addresses.
    pub cc: &'a [String],
    /// Plain-text body.
    pub body_text: Option<&'a str>,
    /// HTML body (used when there is no plain body).
    pub body_html: Option<&'a str>,
    /// Attachments.
    pub attachments: Vec<Attachment<'a>>,
}

/// One person as known so far (a union–find node; merged nodes hand their data to the root).
#[derive(Default)]
struct PersonAcc {
    /// Person id for scope.json: the start of the first keyed hash seen for this node.
    id: String,
    categories: BTreeSet<Category>,
    special: BTreeSet<SpecialCareKind>,
    values: BTreeMap<Category, String>,
    /// Files (indices into `files`) holding this person; may repeat, de-duplicated at the end.
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

/// Accumulates messages and files into a [`Scope`].
pub struct ScopeBuilder {
    opts: ScopeOptions,
    key: PersonKey,
    recognize: RecognizeOptions,
    exposure_ids: HashSet<String>,
    exposure_folders: HashSet<String>,
    messages: MessageCounts,
    skipped: u64,
    envelope: HashSet<String>,
    body_emails: HashSet<String>,
    signature: HashSet<String>,
    business_records: u64,
    records_before_dedup: u64,
    persons: Vec<PersonAcc>,
    uf: UnionFind,
    by_key: HashMap<String, u32>,
    files: Vec<FileAcc>,
    not_inspected: Vec<NotInspected>,
    my_number_low: u64,
    corporate: u64,
    searched: Searched,
}

fn norm_id(id: &str) -> String {
    id.trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_lowercase()
}

fn norm_folder(f: &str) -> String {
    f.replace('\\', "/").trim_matches('/').trim().to_lowercase()
}

fn domain_of(addr: &str) -> Option<&str> {
    addr.rsplit_once('@').map(|(_, d)| d)
}

impl ScopeBuilder {
    /// A builder with `opts`.
    pub fn new(opts: ScopeOptions) -> Self {
        let key = opts.key.clone().unwrap_or_else(PersonKey::random);
        let reference_date = opts
            .reference_date
            .unwrap_or_else(|| Utc::now().date_naive());
        let (exposure_ids, exposure_folders) = match &opts.exposure {
            Some(e) => (
                e.message_ids.iter().map(|s| norm_id(s)).collect(),
                e.folders.iter().map(|s| norm_folder(s)).collect(),
            ),
            None => (HashSet::new(), HashSet::new()),
        };
        ScopeBuilder {
            opts,
            key,
            recognize: RecognizeOptions { reference_date },
            exposure_ids,
            exposure_folders,
            messages: MessageCounts::default(),
            skipped: 0,
            envelope: HashSet::new(),
            body_emails: HashSet::new(),
            signature: HashSet::new(),
            business_records: 0,
            records_before_dedup: 0,
            persons: Vec::new(),
            uf: UnionFind::new(),
            by_key: HashMap::new(),
            files: Vec::new(),
            not_inspected: Vec::new(),
            my_number_low: 0,
            corporate: 0,
            searched: Searched::default(),
        }
    }

    /// Whether a message with this id/folder is inside the exposure (always true without one).
    pub fn is_exposed(&self, message_id: Option<&str>, folder: Option<&str>) -> bool {
        if self.opts.exposure.is_none() {
            return true;
        }
        message_id.is_some_and(|m| self.exposure_ids.contains(&norm_id(m)))
            || folder.is_some_and(|f| self.exposure_folders.contains(&norm_folder(f)))
    }

    /// Adds one message; returns false when it was skipped as not exposed.
    pub fn add_message(&mut self, msg: &MessageInput<'_>) -> bool {
        if !self.is_exposed(msg.message_id, msg.folder) {
            self.skipped += 1;
            return false;
        }
        let m = &mut self.messages;
        m.total += 1;
        let year = msg
            .date
            .map_or_else(|| "unknown".to_string(), |d| d.year().to_string());
        *m.by_year.entry(year).or_default() += 1;
        *m.by_folder
            .entry(msg.folder.unwrap_or("(none)").to_string())
            .or_default() += 1;
        if !msg.attachments.is_empty() {
            m.with_attachments += 1;
        }
        m.attachments += msg.attachments.len() as u64;
        for a in msg
            .from
            .iter()
            .copied()
            .chain(msg.to.iter().map(String::as_str))
            .chain(msg.cc.iter().map(String::as_str))
        {
            let a = a.trim().to_lowercase();
            if a.contains('@') {
                self.envelope.insert(a);
            }
        }
        let id = msg.message_id.map(|s| {
            s.trim()
                .trim_start_matches('<')
                .trim_end_matches('>')
                .to_string()
        });
        let label = id
            .clone()
            .unwrap_or_else(|| format!("message#{}", self.messages.total));
        let body = match (msg.body_text, msg.body_html) {
            (Some(t), _) if !t.trim().is_empty() => Some(t.to_string()),
            (_, Some(h)) => Some(crate::extract::html_to_text(h)),
            (Some(t), None) => Some(t.to_string()),
            (None, None) => None,
        };
        self.searched.messages += 1;
        if let Some(body) = body {
            self.searched.bytes += body.len() as u64;
            for c in signature_contacts(&body) {
                self.signature.insert(c);
            }
            let blocks = [crate::extract::Block::Text(body)];
            let scan = scan_blocks(&blocks, &self.recognize);
            self.absorb(format!("{label}/(body)"), id.clone(), scan);
        }
        for a in &msg.attachments {
            self.add_attachment(&format!("{label}/{}", a.file_name), id.clone(), a);
        }
        true
    }

    /// Adds a loose file (not carried by a message), e.g. an exported attachment folder.
    pub fn add_file(&mut self, path: &str, content_type: Option<&str>, bytes: &[u8]) {
        let a = Attachment {
            file_name: path,
            content_type,
            bytes,
        };
        self.add_attachment(path, None, &a);
    }

    fn add_attachment(&mut self, path: &str, message_id: Option<String>, a: &Attachment<'_>) {
        self.searched.attachments += 1;
        self.searched.bytes += a.bytes.len() as u64;
        let ex = extract(path, a.content_type, a.bytes, &self.opts.limits);
        self.searched.documents_not_inspected += ex.not_inspected.len() as u64;
        self.not_inspected.extend(ex.not_inspected);
        for doc in ex.docs {
            let scan = scan_blocks(&doc.blocks, &self.recognize);
            self.absorb(doc.path, message_id.clone(), scan);
        }
    }

    fn absorb(&mut self, path: String, message_id: Option<String>, scan: DocScan) {
        self.searched.documents_inspected += 1;
        self.my_number_low += scan
            .low_confidence
            .iter()
            .filter(|c| **c == Category::MyNumber)
            .count() as u64;
        self.corporate += scan.corporate_numbers;
        self.body_emails.extend(scan.emails);
        let file = self.files.len() as u32;
        let mut file_persons: Vec<u32> = Vec::new();
        let mut file_categories = 0u32;
        for (rec, from_table) in scan.records {
            if !rec.is_person(from_table) {
                continue;
            }
            if rec.business {
                self.business_records += 1;
                continue;
            }
            self.records_before_dedup += 1;
            let node = self.person_node(record_keys(&self.key, &rec));
            let p = &mut self.persons[node];
            if p.files.last() != Some(&file) {
                p.files.push(file);
            }
            file_persons.push(node as u32);
            for h in &rec.hits {
                if !h.category.is_personal() || h.confidence == crate::recognize::Confidence::Low {
                    continue;
                }
                p.categories.insert(h.category);
                file_categories |= category_bit(h.category);
                if let Some(k) = h.special {
                    p.special.insert(k);
                }
                if let std::collections::btree_map::Entry::Vacant(e) = p.values.entry(h.category) {
                    e.insert(if self.opts.reveal {
                        h.value.clone()
                    } else {
                        mask(h.category, &h.value)
                    });
                }
            }
        }
        if !file_persons.is_empty() {
            file_persons.sort_unstable();
            file_persons.dedup();
            self.files.push(FileAcc {
                path: path.into_boxed_str(),
                message_id: message_id.map(String::into_boxed_str),
                persons: file_persons.into_boxed_slice(),
                categories: file_categories,
            });
        }
    }

    /// The person (root node) a record with `keys` belongs to: a new node when no key was
    /// seen before, else the root of the first match, with every other matching person merged
    /// into it (a record sharing keys with two persons proves they are one).
    fn person_node(&mut self, keys: Vec<String>) -> usize {
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
                    let from = std::mem::take(&mut self.persons[r]);
                    let into = &mut self.persons[x];
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
                self.persons.push(PersonAcc {
                    id: keys
                        .first()
                        .map_or_else(|| format!("p{n}"), |k| k[..12.min(k.len())].to_string()),
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

    /// Finishes: counts the de-duplicated persons, lists files, assesses the PPC report.
    pub fn finish(mut self) -> Scope {
        let mut persons = PersonCounts {
            records_before_dedup: self.records_before_dedup,
            ..Default::default()
        };
        let mut list = Vec::new();
        for i in 0..self.persons.len() {
            if self.uf.find(i) != i {
                continue;
            }
            let p = std::mem::take(&mut self.persons[i]);
            persons.count += 1;
            for c in &p.categories {
                *persons.by_category.entry(*c).or_default() += 1;
            }
            for k in &p.special {
                *persons.special_care_by_kind.entry(*k).or_default() += 1;
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
        let mut uf = std::mem::replace(&mut self.uf, UnionFind::new());
        let files: Vec<FileFinding> = std::mem::take(&mut self.files)
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
        let addresses = self.address_counts();
        let has = |c: Category| persons.by_category.get(&c).copied().unwrap_or(0) > 0;
        let mut scope = Scope {
            schema_version: SCOPE_SCHEMA_VERSION,
            tenant_id: self.opts.tenant_id.clone(),
            generated_at: Utc::now(),
            exposure: ExposureSummary {
                limited: self.opts.exposure.is_some(),
                exposed_message_ids: self.exposure_ids.len() as u64,
                exposed_folders: self
                    .opts
                    .exposure
                    .as_ref()
                    .map(|e| {
                        let mut v: Vec<String> = e.folders.iter().cloned().collect();
                        v.sort();
                        v
                    })
                    .unwrap_or_default(),
                skipped_messages: self.skipped,
            },
            messages: self.messages.clone(),
            addresses,
            my_number_found: has(Category::MyNumber),
            my_number_low_confidence: self.my_number_low,
            bank_account_found: has(Category::BankAccount),
            card_found: has(Category::Card),
            special_care_found: has(Category::SpecialCare),
            corporate_numbers_seen: self.corporate,
            persons,
            business_contacts: BusinessContacts {
                signature_contacts: self.signature.len() as u64,
                business_records: self.business_records,
            },
            not_inspected: self.not_inspected.clone(),
            files,
            searched: Searched {
                categories: Category::SEARCHED.to_vec(),
                ..self.searched.clone()
            },
            ppc_report_required: false,
            ppc_reasons: Vec::new(),
            ppc_notes: Vec::new(),
            person_list: list,
            revealed: self.opts.reveal,
        };
        super::ppc::assess(&mut scope, self.opts.unauthorized_access);
        scope
    }

    fn address_counts(&self) -> AddressCounts {
        let internal = |a: &str| {
            domain_of(a).is_some_and(|d| {
                self.opts.internal_domains.iter().any(|i| {
                    let i = i.to_lowercase();
                    d == i || d.ends_with(&format!(".{i}"))
                })
            })
        };
        let mut c = AddressCounts {
            unique: self.envelope.len() as u64,
            ..Default::default()
        };
        for a in &self.envelope {
            if internal(a) {
                c.internal += 1;
            } else {
                c.external += 1;
                if let Some(d) = domain_of(a) {
                    *c.external_domains.entry(d.to_string()).or_default() += 1;
                }
            }
        }
        c.external_domain_count = c.external_domains.len() as u64;
        for a in self
            .body_emails
            .iter()
            .filter(|a| !self.envelope.contains(*a))
        {
            c.found_only_in_bodies += 1;
            if let Some(d) = domain_of(a) {
                *c.found_only_in_bodies_domains
                    .entry(d.to_string())
                    .or_default() += 1;
            }
        }
        c
    }
}

//! [`ScopeBuilder`]: feed messages (envelope, bodies, attachments) and loose files, get a
//! [`Scope`]. Raw values are dropped after each document, and persons are de-duplicated as
//! records arrive (union–find over keyed hashes): only one entry per distinct person (its
//! keyed hashes, categories, one masked display value per category — raw too when `reveal` is
//! set) is kept in memory; the lists that grow with the export — files holding personal data and
//! files not inspected — keep their first entries in memory and the rest in a temporary file
//! (see `listing`). Memory therefore grows with distinct persons and addresses, not with the
//! bytes of mail or the number of files.
//!
//! Limiting to exposed items: give [`Exposure`] with the Message-IDs the attacker read (the
//! caller derives them from MailItemsAccessed `Bind` items) and the folders synced (`Sync`
//! operations expose whole folders). A message is inspected when its Message-ID is in the set
//! (compared without `<>`, case-insensitively) or its folder is (compared case-insensitively,
//! `\` and `/` equivalent, leading/trailing separators ignored); otherwise it is skipped and
//! counted in `exposure.skipped_messages`.

use super::keys::KeyMemo;
use super::listing::{DEFAULT_SPILL_AFTER, ListingWriter};
use super::persons::{Persons, PersonsDone};
use super::reuse::{self, Outcome};
use super::{
    AddressCounts, BusinessContacts, ExposureSummary, MessageCounts, PpcReason,
    SCOPE_SCHEMA_VERSION, Scope, Searched,
};
use crate::category::Category;
use crate::extract::{ExtractLimits, NotInspected, extract};
use crate::person::PersonKey;
use crate::recognize::RecognizeOptions;
use crate::scan::{DocScan, scan_blocks, scan_body};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use std::collections::HashSet;

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
    /// Entries of each long list (files with findings, files not inspected) kept in memory
    /// before the rest goes to a temporary file ([`DEFAULT_SPILL_AFTER`]).
    pub spill_after: usize,
    /// Folder for those temporary files; None = the system's temporary folder.
    pub spill_dir: Option<std::path::PathBuf>,
    /// Read an attachment whose bytes, extension and type equal a recent one's only once and
    /// replay that result under the new path (default true; see `reuse`).
    pub reuse_identical_attachments: bool,
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
            spill_after: DEFAULT_SPILL_AFTER,
            spill_dir: None,
            reuse_identical_attachments: true,
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
    persons: Persons,
    not_inspected: ListingWriter<NotInspected>,
    my_number_low: u64,
    corporate: u64,
    searched: Searched,
    reuse: reuse::Cache,
    /// Keys of recent records (see `keys`).
    key_memo: KeyMemo,
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
        let (spill_after, spill_dir) = (opts.spill_after, opts.spill_dir.clone());
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
            persons: Persons::new(spill_after, spill_dir.clone()),
            not_inspected: ListingWriter::new(spill_after, spill_dir),
            my_number_low: 0,
            corporate: 0,
            searched: Searched::default(),
            reuse: reuse::Cache::default(),
            key_memo: KeyMemo::default(),
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
        // A text body with any non-whitespace character (`trim_start` alone answers that:
        // the body is not copied, nor trimmed from both ends).
        let body: Option<std::borrow::Cow<'_, str>> = match (msg.body_text, msg.body_html) {
            (Some(t), _) if !t.trim_start().is_empty() => Some(t.into()),
            (_, Some(h)) => Some(crate::extract::html_to_text(h).into()),
            (Some(t), None) => Some(t.into()),
            (None, None) => None,
        };
        self.searched.messages += 1;
        if let Some(body) = body {
            self.searched.bytes += body.len() as u64;
            let (scan, contacts) = scan_body(&body, &self.recognize);
            self.signature.extend(contacts);
            self.absorb(format!("{label}/(body)"), id.clone(), &scan);
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
        let key = self
            .opts
            .reuse_identical_attachments
            .then(|| reuse::key(a.file_name, a.content_type, a.bytes))
            .flatten();
        // A kept result is lent out of the cache while it is replayed under this path.
        if let Some(k) = key
            && let Some(kept) = self.reuse.take(&k)
        {
            self.apply(path, &message_id, &kept);
            self.reuse.restore(k, kept);
            return;
        }
        let ex = extract(path, a.content_type, a.bytes, &self.opts.limits);
        let outcome = Outcome {
            docs: ex
                .docs
                .into_iter()
                .map(|d| {
                    let scan = scan_blocks(&d.blocks, &self.recognize);
                    (d.path, scan)
                })
                .collect(),
            not_inspected: ex.not_inspected,
        };
        let Some(k) = key else {
            self.apply("", &message_id, &outcome);
            return;
        };
        match outcome.relative_to(path) {
            Ok(rel) => {
                self.apply(path, &message_id, &rel);
                self.reuse.put(k, rel);
            }
            Err(whole) => self.apply("", &message_id, &whole),
        }
    }

    /// Lists the outcome's files not inspected and absorbs its documents, their paths
    /// prefixed with `path` (empty when they are already whole).
    fn apply(&mut self, path: &str, message_id: &Option<String>, outcome: &Outcome) {
        self.searched.documents_not_inspected += outcome.not_inspected.len() as u64;
        for n in &outcome.not_inspected {
            self.not_inspected.push(NotInspected {
                path: format!("{path}{}", n.path),
                ..n.clone()
            });
        }
        for (doc_path, scan) in &outcome.docs {
            self.absorb(format!("{path}{doc_path}"), message_id.clone(), scan);
        }
    }

    /// Attachments answered from the cache of identical attachments so far.
    pub fn reused_attachments(&self) -> u64 {
        self.reuse.hits
    }

    fn absorb(&mut self, path: String, message_id: Option<String>, scan: &DocScan) {
        self.searched.documents_inspected += 1;
        self.my_number_low += scan
            .low_confidence
            .iter()
            .filter(|c| **c == Category::MyNumber)
            .count() as u64;
        self.corporate += scan.corporate_numbers;
        self.body_emails.extend(scan.emails.iter().cloned());
        let mut file = self.persons.file(path, message_id);
        for (rec, from_table) in &scan.records {
            if !rec.is_person(*from_table) {
                continue;
            }
            if rec.business {
                self.business_records += 1;
                continue;
            }
            let keys = self.key_memo.keys(&self.key, rec);
            self.persons
                .add_record(&mut file, keys, &rec.hits, self.opts.reveal);
        }
        self.persons.end_file(file);
    }

    /// Finishes: counts the de-duplicated persons, lists files, assesses the PPC report.
    pub fn finish(mut self) -> Scope {
        let persons_run = std::mem::replace(&mut self.persons, Persons::new(0, None));
        let PersonsDone {
            counts: persons,
            list,
            files,
            mut list_errors,
        } = persons_run.finish();
        let not_inspected_run =
            std::mem::replace(&mut self.not_inspected, ListingWriter::new(0, None));
        let (not_inspected, error) = not_inspected_run.finish(|n| n);
        list_errors.extend(error);
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
            files_total: files.len() as u64,
            not_inspected_total: not_inspected.len() as u64,
            not_inspected,
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
        for (reason, lost) in list_errors {
            scope.ppc_notes.push(PpcReason {
                id: "scope_list_incomplete".into(),
                ja: format!(
                    "ファイル一覧の一時ファイルを読み書きできませんでした（{reason}）。一覧から漏れた項目: {lost} 件。件数の集計には影響しません。"
                ),
                en: format!(
                    "The temporary file of a file list could not be written or read ({reason}); entries missing from the list: {lost}. Counts are not affected."
                ),
            });
        }
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

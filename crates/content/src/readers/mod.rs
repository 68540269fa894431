//! Mailbox readers: one message at a time, whatever the container.
//!
//! [`read_mail_path`] takes a file or a folder and streams every message it finds to a sink
//! as `Result<MailMessage, RecordError>`: MBOX files (folder name from the file name), folders
//! of `.eml` (folder path from the directory path), Outlook `.msg` files and PST files
//! (folder path from the PST hierarchy). Memory stays flat in the size of an MBOX: only the
//! message being parsed is held.

mod eml;
mod mbox;
mod msg;
mod pst;

use std::path::{Path, PathBuf};

use model::RecordError;

use crate::error::ContentError;
use crate::message::MailMessage;

pub use mbox::MboxReader;
pub use msg::read_msg_bytes;
pub use pst::pst_folder_paths;

/// The container format of one input file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MailFormat {
    /// Unix mbox (mboxo / mboxrd), one folder per file.
    Mbox,
    /// One RFC 5322 message per file.
    Eml,
    /// Outlook item (`.msg`, CFB container).
    Msg,
    /// Outlook data file (`.pst`, also the Purview eDiscovery export format).
    Pst,
}

/// Counts of what one call read.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ReadStats {
    /// Files opened.
    pub files: u64,
    /// Messages handed to the sink as `Ok`.
    pub messages: u64,
    /// Records handed to the sink as `Err` (unreadable messages, unreadable files).
    pub errors: u64,
    /// Files in a walked folder that are not mail (other extensions, no mail signature).
    pub skipped: u64,
}

/// The sink every reader writes to.
pub type MailSink<'a> = dyn FnMut(Result<MailMessage, RecordError>) + 'a;

/// Guesses the format of one file from its extension, then from its first bytes.
pub fn detect_format(path: &Path, head: &[u8]) -> MailFormat {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "mbox" | "mbx" | "mboxrd" => MailFormat::Mbox,
        "eml" => MailFormat::Eml,
        "msg" => MailFormat::Msg,
        "pst" | "ost" => MailFormat::Pst,
        _ if head.starts_with(b"From ") => MailFormat::Mbox,
        _ if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) => MailFormat::Msg,
        _ if head.starts_with(b"!BDN") => MailFormat::Pst,
        _ => MailFormat::Eml,
    }
}

impl MailFormat {
    /// The format id used in summaries and JSON (`mbox`, `eml`, `msg`, `pst`).
    pub fn id(self) -> &'static str {
        match self {
            MailFormat::Mbox => "mbox",
            MailFormat::Eml => "eml",
            MailFormat::Msg => "msg",
            MailFormat::Pst => "pst",
        }
    }
}

/// Whether one file handed over on its own (not found in a mail folder walk) is mail, and of
/// which container, judged strictly from its extension and first bytes: `.msg` and `.pst` must
/// carry their magic, a file without a mail extension must start with an mbox `From ` line or,
/// when extension-less or `.txt`, with an RFC 5322 header block. `None` means "not mail": the
/// ingest then lists the file as of no supported format instead of reporting it unreadable.
pub fn sniff_mail_file(path: &Path) -> Option<MailFormat> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    let head = head_bytes_n(path, 4096);
    match ext.as_str() {
        "mbox" | "mbx" | "mboxrd" => Some(MailFormat::Mbox),
        "eml" => Some(MailFormat::Eml),
        "msg" if head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) => Some(MailFormat::Msg),
        "pst" | "ost" if head.starts_with(b"!BDN") => Some(MailFormat::Pst),
        _ if head.starts_with(b"From ") => Some(MailFormat::Mbox),
        "" | "txt" if looks_like_rfc5322(&head) => Some(MailFormat::Eml),
        _ => None,
    }
}

/// A header block: the first line is `Name: value` and a From/Subject/Message-ID header follows.
fn looks_like_rfc5322(head: &[u8]) -> bool {
    let text = String::from_utf8_lossy(head);
    let first = text.lines().next().unwrap_or_default();
    let lower = text.to_ascii_lowercase();
    header_line(first.as_bytes())
        && ["\nfrom:", "\nsubject:", "\nmessage-id:"]
            .iter()
            .any(|h| lower.contains(h) || lower.starts_with(&h[1..]))
}

/// Reads every message under `path` (a file, or a folder walked recursively in name order)
/// and hands each to `sink`. Unreadable messages and files reach the sink as `Err` and are
/// counted; the call itself fails only when `path` does not exist.
pub fn read_mail_path(path: &Path, sink: &mut MailSink<'_>) -> Result<ReadStats, ContentError> {
    let meta = std::fs::metadata(path).map_err(|source| ContentError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut stats = ReadStats::default();
    let mut counting = |r: Result<MailMessage, RecordError>| {
        match &r {
            Ok(_) => stats.messages += 1,
            Err(e) => {
                tracing::warn!(file = %e.file, record = e.record, reason = %e.reason, "unreadable mail record");
                stats.errors += 1;
            }
        }
        sink(r);
    };
    let mut files = 0u64;
    let mut skipped = 0u64;
    if meta.is_dir() {
        let mut list = Vec::new();
        walk(path, &mut list, &mut counting);
        for file in list {
            if !looks_like_mail(&file) {
                tracing::debug!(file = %file.display(), "skipping non-mail file");
                skipped += 1;
                continue;
            }
            let folder = folder_for(path, &file);
            files += 1;
            read_file(&file, folder.as_deref(), &mut counting);
        }
    } else {
        files += 1;
        // a single MBOX/PST names its folder by its file name; a single .eml/.msg has none
        let folder = match detect_format(path, &head_bytes(path)) {
            MailFormat::Mbox | MailFormat::Pst => folder_from_file_name(path),
            MailFormat::Eml | MailFormat::Msg => None,
        };
        read_file(path, folder.as_deref(), &mut counting);
    }
    stats.files = files;
    stats.skipped = skipped;
    Ok(stats)
}

/// In a folder walk, which files are mail: a mail extension, or no known extension and a mail
/// signature (`From ` line, CFB or PST magic, or an RFC 5322 header line as in Maildir).
fn looks_like_mail(path: &Path) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "eml" | "msg" | "pst" | "ost" | "mbox" | "mbx" | "mboxrd" => true,
        "json" | "md" | "txt" | "csv" | "xml" | "html" | "htm" | "pdf" | "zip" | "gz" | "db"
        | "sqlite" | "toml" | "yaml" | "yml" | "log" => false,
        _ => {
            let head = head_bytes(path);
            head.starts_with(b"From ")
                || head.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
                || head.starts_with(b"!BDN")
                || header_line(&head)
        }
    }
}

/// True when the bytes start like an RFC 5322 header field (`Name:`).
fn header_line(head: &[u8]) -> bool {
    let name_len = head
        .iter()
        .take_while(|b| b.is_ascii_alphanumeric() || **b == b'-')
        .count();
    name_len > 0 && head.get(name_len) == Some(&b':')
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, sink: &mut MailSink<'_>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            sink(Err(RecordError::new(
                dir.display().to_string(),
                0,
                format!("cannot list folder: {e}"),
            )));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for p in paths {
        if p.is_dir() {
            walk(&p, out, sink);
        } else if p.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
            !n.starts_with('.') && !n.ends_with(".msf") && !n.eq_ignore_ascii_case("readme.md")
        }) {
            out.push(p);
        }
    }
}

/// The folder of a file found under `root`: the directory path relative to `root` (with
/// Thunderbird's `.sbd` suffix removed), plus the file stem for MBOX files (one file = one
/// folder). Files directly in `root` take `root`'s own name.
fn folder_for(root: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(root).ok()?;
    let mut parts: Vec<String> = rel
        .parent()
        .map(|p| {
            p.components()
                .map(|c| {
                    c.as_os_str()
                        .to_string_lossy()
                        .trim_end_matches(".sbd")
                        .to_string()
                })
                .collect()
        })
        .unwrap_or_default();
    let is_mbox = matches!(
        detect_format(file, &head_bytes(file)),
        MailFormat::Mbox | MailFormat::Pst
    );
    if is_mbox {
        if let Some(stem) = folder_from_file_name(file) {
            parts.push(stem);
        }
    } else if parts.is_empty() {
        parts.push(root.file_name()?.to_string_lossy().to_string());
    }
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// The folder an MBOX file stands for: its file name without extension
/// (`送信済みアイテム.mbox` → `送信済みアイテム`).
fn folder_from_file_name(path: &Path) -> Option<String> {
    let stem = path.file_stem()?.to_string_lossy().to_string();
    (!stem.is_empty()).then_some(stem)
}

fn head_bytes(path: &Path) -> Vec<u8> {
    head_bytes_n(path, 64)
}

/// Up to `len` first bytes of a file (fewer when shorter or unreadable).
fn head_bytes_n(path: &Path, len: usize) -> Vec<u8> {
    use std::io::Read;
    let mut buf = vec![0u8; len];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut buf))
        .unwrap_or(0);
    buf.truncate(n);
    buf
}

fn read_file(path: &Path, folder: Option<&str>, sink: &mut MailSink<'_>) {
    let name = path.display().to_string();
    let format = detect_format(path, &head_bytes(path));
    tracing::debug!(file = %name, ?format, ?folder, "reading mailbox file");
    match format {
        MailFormat::Mbox => match std::fs::File::open(path) {
            Ok(f) => {
                let mut reader =
                    MboxReader::new(std::io::BufReader::with_capacity(1 << 16, f), &name, folder);
                for item in &mut reader {
                    sink(item);
                }
            }
            Err(e) => sink(Err(RecordError::new(name, 0, format!("cannot open: {e}")))),
        },
        MailFormat::Eml => eml::read_eml_file(path, &name, folder, sink),
        MailFormat::Msg => msg::read_msg_file(path, &name, folder, sink),
        MailFormat::Pst => pst::read_pst_file(path, &name, sink),
    }
}

//! One pass over the mailbox exports of a case: every message is scored for phishing
//! (`content::analyze`) and fed to the leak scope (`pii::ScopeBuilder`), streaming, one message
//! at a time.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use model::RecordError;

/// Every mail file (MBOX, EML, MSG, PST) under `inputs`, in sorted order.
pub fn mail_files(inputs: &[PathBuf]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for input in inputs {
        collect(input, &mut out);
    }
    out
}

fn collect(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = match std::fs::read_dir(path) {
            Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
            Err(e) => {
                tracing::warn!(path = %path.display(), error = %e, "cannot list folder");
                return;
            }
        };
        entries.sort();
        for e in entries {
            collect(&e, out);
        }
    } else if super::mail::mail_format(path).is_some() {
        out.push(path.to_path_buf());
    }
}

/// What the mail pass needs to know.
pub struct MailPassOptions<'a> {
    /// The tenant's own mail domains.
    pub domains: &'a [String],
    /// Message-IDs (no brackets, lower-case) that left without a Sent Items copy (H11).
    pub hidden_ids: &'a HashSet<String>,
    /// Leak scope, when wanted.
    pub scope: Option<&'a mut pii::ScopeBuilder>,
    /// Score every message for phishing (`mail check`, `investigate`); `scope` alone does not
    /// need the verdicts and skips the analysis.
    pub verdicts: bool,
    /// Counts messages on this bar; its message shows `label (file i/n) name`.
    pub progress: Option<(&'a indicatif::ProgressBar, &'a str)>,
}

/// Results of the mail pass.
#[derive(Default)]
pub struct MailPass {
    /// One line per analysed message.
    pub verdicts: Vec<content::CheckRecord>,
    /// Messages or files that could not be read.
    pub errors: Vec<RecordError>,
}

/// Reads every file, analyses each message and adds it to the scope.
pub fn run(files: &[PathBuf], opts: MailPassOptions<'_>) -> MailPass {
    let domains: Vec<&str> = opts.domains.iter().map(String::as_str).collect();
    let sharepoint = domains
        .first()
        .and_then(|d| d.split('.').next())
        .map(str::to_string);
    let ctx = content::AnalysisContext::for_tenant(&domains, sharepoint.as_deref());
    let mut pass = MailPass::default();
    let mut scope = opts.scope;
    for (i, file) in files.iter().enumerate() {
        if let Some((pb, label)) = opts.progress {
            let name = file.file_name().map(|n| n.to_string_lossy().into_owned());
            pb.set_message(format!(
                "{label} ({}/{}) {}",
                i + 1,
                files.len(),
                name.unwrap_or_default()
            ));
        }
        let res = content::read_mail_path(file, &mut |r| match r {
            Ok(msg) => {
                if opts.verdicts {
                    let mut c = ctx.clone();
                    c.not_in_sent_items = msg
                        .message_id
                        .as_deref()
                        .is_some_and(|id| opts.hidden_ids.contains(&norm_id(id)));
                    let v = content::analyze(&msg, &c);
                    pass.verdicts.push(content::CheckRecord::new(&msg, &v));
                }
                if let Some(s) = scope.as_deref_mut() {
                    add_to_scope(s, &msg);
                }
                if let Some((pb, _)) = opts.progress {
                    pb.inc(1);
                }
            }
            Err(e) => pass.errors.push(e),
        });
        if let Err(e) = res {
            pass.errors.push(RecordError::new(
                file.display().to_string(),
                0,
                e.to_string(),
            ));
        }
    }
    pass
}

/// Message-ID as compared everywhere: no angle brackets, lower-case.
pub fn norm_id(id: &str) -> String {
    id.trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_lowercase()
}

fn add_to_scope(scope: &mut pii::ScopeBuilder, msg: &content::MailMessage) {
    let attachments = msg.all_attachments();
    let to = addresses(&msg.to);
    let cc = addresses(&msg.cc);
    let input = pii::MessageInput {
        message_id: msg.message_id.as_deref(),
        folder: msg.folder.as_deref(),
        date: msg.date,
        from: msg.from.as_ref().and_then(|m| m.address.as_deref()),
        to: &to,
        cc: &cc,
        body_text: Some(msg.text_body.as_str()).filter(|t| !t.is_empty()),
        body_html: msg.html_body.as_deref(),
        attachments: attachments
            .iter()
            .map(|(name, a)| pii::Attachment {
                file_name: name,
                content_type: Some(a.content_type.as_str()),
                bytes: &a.data,
            })
            .collect(),
    };
    scope.add_message(&input);
}

fn addresses(list: &[content::Mailbox]) -> Vec<String> {
    list.iter().filter_map(|m| m.address.clone()).collect()
}

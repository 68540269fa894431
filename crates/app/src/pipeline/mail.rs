//! Mailbox exports in the ingest: files no log reader recognised are tried as mail (MBOX, EML,
//! MSG, PST) and their messages stored as `mail` events (envelope, folder, Message-ID).
//!
//! The mailbox owner is taken from the nearest folder named like an address
//! (`mailbox/user@example.co.jp/送信済みアイテム.mbox`), the layout of Purview and of
//! `mimamori generate`; without one the owner is unknown and reconciliation matches on the
//! sender address instead. Mail inside `.zip` archives is not read in place (extract first).

use std::path::Path;

use normalize::{FileSummary, Sink};

/// Reads `path` as a mailbox export when it looks like one, updating its summary.
pub fn read_mailbox_file(
    path: &Path,
    tenant: &str,
    sink: &mut dyn Sink,
    summary: &mut FileSummary,
) {
    let Some(format) = mail_format(path) else {
        return;
    };
    let owner = mailbox_owner(path);
    let tenant = tenant.to_string();
    let mut read = 0u64;
    let mut rejected = 0u64;
    let result = content::read_mail_path(path, &mut |r| match r {
        Ok(msg) => {
            read += 1;
            sink.event(msg.to_event(&tenant, owner.as_deref()));
        }
        Err(e) => {
            rejected += 1;
            sink.reject(e);
        }
    });
    summary.format = Some(format);
    summary.read = read;
    summary.events = read;
    summary.rejected = rejected;
    summary.note = None;
    summary.note_ja = None;
    if let Err(e) = result {
        summary.error = Some(e.to_string());
    }
}

/// The mail container of `path` (`content::sniff_mail_file`); `None` when it is not mail (the
/// caller then lists it as "no supported format").
pub fn mail_format(path: &Path) -> Option<&'static str> {
    content::sniff_mail_file(path).map(content::MailFormat::id)
}

/// The nearest ancestor folder named like a mail address.
pub fn mailbox_owner(path: &Path) -> Option<String> {
    path.ancestors()
        .skip(1)
        .filter_map(|p| p.file_name()?.to_str())
        .find(|n| {
            n.split_once('@')
                .is_some_and(|(l, d)| !l.is_empty() && d.contains('.'))
        })
        .map(str::to_lowercase)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn owner_from_folder_name() {
        let p = Path::new("/x/mailbox/Misaki.Ikeda@example.co.jp/送信済みアイテム.mbox");
        assert_eq!(
            mailbox_owner(p).as_deref(),
            Some("misaki.ikeda@example.co.jp")
        );
        assert_eq!(mailbox_owner(Path::new("/x/inbox.mbox")), None);
    }
}

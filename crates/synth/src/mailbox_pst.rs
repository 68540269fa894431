//! The victim's mailbox written a second time as a Unicode PST, `mailbox.pst` — the shape a
//! Purview eDiscovery export delivers — with the same folders (`受信トレイ`, `送信済みアイテム`,
//! `削除済みアイテム`, `RSS フィード`) and messages as the MBOX files.
//!
//! Each message carries its RFC 5322 header block as `PR_TRANSPORT_MESSAGE_HEADERS` (the same
//! header lines as its MBOX copy, up to the MIME boundary, which differs), its body as
//! Unicode `PR_BODY`, sender, recipients and attachments as MAPI properties.

use std::collections::BTreeMap;

use crate::GenerateOptions;
use crate::error::Error;
use crate::mailbox::{Msg, render};
use crate::pst::{PstAddress, PstAttachment, PstMessage, PstRecipient, PstWriter, RecipientKind};
use crate::rng::Gen;

/// File name of the PST inside the output folder.
pub(crate) const PST_FILE: &str = "mailbox.pst";

/// Writes `msgs` (already sorted oldest first) into `<out>/mailbox.pst`; returns its relative path.
pub(crate) fn write(opts: &GenerateOptions, owner: &str, msgs: &[Msg]) -> Result<String, Error> {
    let path = opts.out.join(PST_FILE);
    let mut pst = PstWriter::create(&path, &format!("{owner} (eDiscovery export)"))?;
    let mut folders = BTreeMap::new();
    for m in msgs {
        if !folders.contains_key(&m.folder) {
            let id = pst.add_folder(pst.ipm_root(), &m.folder)?;
            if m.folder == "削除済みアイテム" {
                pst.set_deleted_items(id);
            }
            folders.insert(m.folder.clone(), id);
        }
    }
    // a generator of its own, so the MBOX bytes do not change when the PST is written too
    let mut g = Gen::new(opts.seed, "mailbox-pst", 0);
    for m in msgs {
        let full = render(m, &mut g);
        let headers = full
            .split("\n\n")
            .next()
            .unwrap_or("")
            .replace('\n', "\r\n")
            + "\r\n";
        let address = |(a, n): &(String, String)| PstAddress::new(n.clone(), a.clone());
        let recipients =
            m.to.iter()
                .map(|t| (RecipientKind::To, t))
                .chain(m.cc.iter().map(|c| (RecipientKind::Cc, c)))
                .map(|(kind, a)| PstRecipient {
                    kind,
                    address: address(a),
                })
                .collect();
        let msg = PstMessage {
            subject: m.subject.clone(),
            from: address(&m.from),
            recipients,
            submit_time: Some(m.time),
            delivery_time: Some(m.time),
            message_id: Some(m.message_id.clone()),
            transport_headers: Some(headers),
            body: m.body.clone(),
            html: None,
            attachments: m
                .attachments
                .iter()
                .map(|(name, mime, data)| PstAttachment {
                    filename: name.clone(),
                    mime_type: mime.to_string(),
                    data: data.clone(),
                })
                .collect(),
        };
        if let Some(folder) = folders.get(&m.folder) {
            pst.add_message(*folder, &msg)?;
        }
    }
    pst.finish()?;
    Ok(PST_FILE.to_string())
}

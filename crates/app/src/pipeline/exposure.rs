//! What the attacker could reach in a mailbox, from `MailItemsAccessed` audit records:
//! `Bind` names single messages (their Internet Message-IDs), `Sync` means the whole folder was
//! downloaded (the folder path). Used to limit the leak scope with `--exposed-by`.

use std::path::PathBuf;

use model::EventKind;
use serde_json::Value;

/// Reads the audit exports and collects the exposed Message-IDs and folders.
pub fn from_audit_files(paths: &[PathBuf], tenant: &str) -> anyhow::Result<pii::Exposure> {
    let mut sink = normalize::VecSink::default();
    let opts = normalize::ReadOptions {
        tenant: tenant.to_string(),
        ..normalize::ReadOptions::default()
    };
    for p in paths {
        normalize::read_path(p, &opts, &mut sink)?;
    }
    let mut exposure = pii::Exposure::default();
    for ev in &sink.events {
        if let EventKind::Audit(a) = &ev.kind
            && a.operation.eq_ignore_ascii_case("MailItemsAccessed")
        {
            add_record(&a.data, &mut exposure);
        }
    }
    Ok(exposure)
}

/// Adds one MailItemsAccessed record's items or folders.
pub fn add_record(data: &Value, exposure: &mut pii::Exposure) {
    let access = data
        .get("OperationProperties")
        .and_then(|o| o.get("MailAccessType"))
        .and_then(Value::as_str)
        .unwrap_or("Bind");
    let Some(folders) = data.get("Folders").and_then(Value::as_array) else {
        return;
    };
    for f in folders {
        if access.eq_ignore_ascii_case("Sync") {
            if let Some(path) = f.get("Path").and_then(Value::as_str) {
                exposure
                    .folders
                    .insert(path.trim_matches('\\').replace('\\', "/"));
            }
            continue;
        }
        for item in f
            .get("FolderItems")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(id) = item.get("InternetMessageId").and_then(Value::as_str) {
                exposure.message_ids.insert(id.to_string());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bind_items_and_sync_folders() {
        let mut e = pii::Exposure::default();
        add_record(
            &serde_json::json!({"OperationProperties": {"MailAccessType": "Bind"},
                "Folders": [{"Path": "\\Inbox", "FolderItems": [{"InternetMessageId": "<a@b>"}]}]}),
            &mut e,
        );
        add_record(
            &serde_json::json!({"OperationProperties": {"MailAccessType": "Sync"},
                "Folders": [{"Path": "\\受信トレイ"}]}),
            &mut e,
        );
        assert!(e.message_ids.contains("<a@b>"));
        assert!(e.folders.contains("受信トレイ"));
        assert!(!e.folders.contains("Inbox"));
    }
}

//! `generate --pst` writes the victim's mailbox a second time as a Unicode PST (the form of a
//! Purview eDiscovery export), and every mail command reads it like the MBOX folders: the same
//! messages, the same phishing verdicts, the same envelopes stored by `ingest`.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

fn mimamori(db: &Path, args: &[&str]) -> String {
    common::run_ok(db, args)
}

/// message id → (verdict, score) of `mail check --format jsonl`.
fn verdicts(db: &Path, input: &Path) -> BTreeMap<String, (String, f64)> {
    let text = mimamori(
        db,
        &[
            "mail",
            "check",
            input.to_str().expect("path"),
            "--format",
            "jsonl",
        ],
    );
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let v: Value = serde_json::from_str(l).expect("JSONL line");
            (
                v["message_id"].as_str().expect("message_id").to_string(),
                (
                    v["verdict"].as_str().expect("verdict").to_string(),
                    v["score"].as_f64().expect("score"),
                ),
            )
        })
        .collect()
}

#[test]
fn the_generated_pst_reads_like_the_mbox_folders_in_every_mail_command() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("tenant");
    let db = dir.path().join("m.db");
    mimamori(
        &db,
        &[
            "generate",
            "--out",
            out.to_str().expect("path"),
            "--users",
            "12",
            "--days",
            "10",
            "--pst",
        ],
    );
    let pst = out.join("mailbox.pst");
    assert!(pst.is_file(), "generate --pst wrote no mailbox.pst");

    let from_pst = verdicts(&db, &pst);
    let from_mbox = verdicts(&db, &out.join("mailbox"));
    assert!(from_pst.len() > 100, "{} messages", from_pst.len());
    assert_eq!(from_pst, from_mbox);

    // Ingest stores one mail envelope per PST message.
    let report: Value = serde_json::from_str(&mimamori(
        &db,
        &["ingest", "--json", pst.to_str().expect("path")],
    ))
    .expect("ingest JSON");
    let file = &report["files"][0];
    assert_eq!(file["format"], "pst", "{report}");
    assert_eq!(file["rejected"], 0, "{report}");
    assert_eq!(file["stored"].as_u64(), Some(from_pst.len() as u64));
}

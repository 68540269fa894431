//! Public corpus conformance: Stalwart's mail-parser messages (with their expected decode)
//! and Sisimai's bounce corpus (incl. ISO-2022-JP / Shift_JIS). Files are referenced in
//! `../shared/corpus` (never copied into the repo).

use std::path::{Path, PathBuf};

use content::parse::{Origin, parse_message};
use content::{MailMessage, read_mail_path};
use serde_json::Value;

fn corpus(sub: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/corpus")
        .join(sub)
}

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("corpus folder")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, ext, out);
        } else if p.extension().is_some_and(|e| e == ext) {
            out.push(p);
        }
    }
}

fn parse(raw: &[u8]) -> MailMessage {
    parse_message(
        raw,
        Origin {
            source: "t",
            record: 0,
            format: "eml",
            folder: None,
        },
    )
    .expect("message parses")
}

/// (name, address) pairs of an expected address header value.
fn expected_addresses(v: &Value) -> Vec<(Option<String>, Option<String>)> {
    let Some(a) = v.get("Address") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let push = |list: &Value, out: &mut Vec<_>| {
        for x in list.as_array().into_iter().flatten() {
            out.push((
                x.get("name")
                    .and_then(Value::as_str)
                    .map(|s| s.trim().to_string())
                    .filter(|s| !s.is_empty()),
                x.get("address")
                    .and_then(Value::as_str)
                    .map(|s| s.trim().to_lowercase())
                    .filter(|s| !s.is_empty()),
            ));
        }
    };
    if let Some(l) = a.get("List") {
        push(l, &mut out);
    }
    for g in a
        .get("Group")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(l) = g.get("addresses") {
            push(l, &mut out);
        }
    }
    out
}

/// Compares one parse with one expected JSON; returns the mismatches.
fn compare(name: &str, msg: &MailMessage, exp: &Value) -> Vec<String> {
    let mut bad = Vec::new();
    let parts = exp["parts"].as_array().cloned().unwrap_or_default();
    let Some(root) = parts.first() else {
        return bad;
    };
    for h in root["headers"].as_array().into_iter().flatten() {
        match h["name"].as_str() {
            Some("subject") => {
                let want = h["value"].get("Text").and_then(Value::as_str);
                if want.is_some() && msg.subject.as_deref() != want {
                    bad.push(format!("{name}: subject {:?} != {want:?}", msg.subject));
                }
            }
            Some("from") => {
                let want = expected_addresses(&h["value"]);
                if let Some((n, a)) = want.first() {
                    let got = msg.from.clone().unwrap_or_default();
                    if got.address != *a || got.name != *n {
                        bad.push(format!("{name}: from {got:?} != {n:?} <{a:?}>"));
                    }
                }
            }
            Some("to") => {
                let want: Vec<Option<String>> = expected_addresses(&h["value"])
                    .into_iter()
                    .map(|(_, a)| a)
                    .collect();
                let got: Vec<Option<String>> = msg.to.iter().map(|m| m.address.clone()).collect();
                if !want.is_empty() && want != got {
                    bad.push(format!("{name}: to {got:?} != {want:?}"));
                }
            }
            _ => {}
        }
    }
    for idx in exp["text_body"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_u64)
    {
        if let Some(t) = parts
            .get(idx as usize)
            .and_then(|p| p["body"].get("Text"))
            .and_then(Value::as_str)
            && !msg.text_body.contains(t.trim())
        {
            bad.push(format!(
                "{name}: text body part {idx} not found in decoded text"
            ));
        }
    }
    bad
}

#[test]
fn stalwart_messages_parse_and_match_expected_json_lf_and_crlf() {
    let mut emls = Vec::new();
    files(
        &corpus("stalwart-mail-parser/resources/eml"),
        "eml",
        &mut emls,
    );
    assert!(emls.len() >= 50, "corpus missing: {} files", emls.len());
    let (mut compared, mut mismatches) = (0, Vec::new());
    for p in &emls {
        let raw = std::fs::read(p).expect("read eml");
        // the .json expectation is for LF line ends (some files ship with CRLF)
        let mut lf = Vec::with_capacity(raw.len());
        for (i, b) in raw.iter().enumerate() {
            if !(*b == b'\r' && raw.get(i + 1) == Some(&b'\n')) {
                lf.push(*b);
            }
        }
        let crlf: Vec<u8> = {
            let mut v = Vec::with_capacity(lf.len() + lf.len() / 20);
            for (i, b) in lf.iter().enumerate() {
                if *b == b'\n' && (i == 0 || lf[i - 1] != b'\r') {
                    v.push(b'\r');
                }
                v.push(*b);
            }
            v
        };
        for (bytes, suffix) in [(&lf, "json"), (&crlf, "crlf.json")] {
            let msg = parse(bytes);
            let exp_path = p.with_extension(suffix);
            if let Ok(text) = std::fs::read_to_string(&exp_path) {
                let exp: Value = serde_json::from_str(&text).expect("expected json");
                compared += 1;
                mismatches.extend(compare(&exp_path.display().to_string(), &msg, &exp));
            }
        }
    }
    println!(
        "stalwart: {} messages, {compared} expectations compared, {} mismatches",
        emls.len(),
        mismatches.len()
    );
    for m in &mismatches {
        println!("  {m}");
    }
    assert!(compared >= 100, "too few expectations compared: {compared}");
    assert!(mismatches.is_empty(), "{} mismatches", mismatches.len());
}

#[test]
fn stalwart_folder_reads_through_read_mail_path_without_errors() {
    let mut ok = 0;
    let mut errors = Vec::new();
    let stats = read_mail_path(
        &corpus("stalwart-mail-parser/resources/eml/thirdparty"),
        &mut |r| match r {
            Ok(m) => {
                assert_eq!(m.folder.as_deref(), Some("thirdparty"));
                ok += 1;
            }
            Err(e) => errors.push(e),
        },
    )
    .expect("folder readable");
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(stats.messages, ok);
    assert_eq!(
        ok, 20,
        "the 20 .eml files, not the expected-output .json files"
    );
    assert_eq!(
        stats.skipped, 41,
        "40 .json expectations and the COPYING notice"
    );
}

#[test]
fn sisimai_messages_parse_and_japanese_decodes_without_replacement_chars() {
    let mut emls = Vec::new();
    files(&corpus("sisimai-set-of-emails/maildir"), "eml", &mut emls);
    assert!(emls.len() >= 400, "corpus missing: {} files", emls.len());
    let (mut japanese, mut bad) = (0, Vec::new());
    for p in &emls {
        let raw = std::fs::read(p).expect("read eml");
        let msg = parse(&raw);
        let lower = String::from_utf8_lossy(&raw).to_lowercase();
        if lower.contains("iso-2022-jp") || lower.contains("shift_jis") || lower.contains("euc-jp")
        {
            japanese += 1;
            let mut all = msg.subject.clone().unwrap_or_default();
            all.push_str(&msg.text_body);
            for a in msg.all_attachments() {
                if let Some(n) = &a.1.nested {
                    all.push_str(n.subject.as_deref().unwrap_or(""));
                    all.push_str(&n.text_body);
                }
            }
            if all.contains('\u{FFFD}') {
                bad.push(p.display().to_string());
            }
        }
    }
    println!(
        "sisimai: {} messages, {japanese} with Japanese charsets, {} with U+FFFD",
        emls.len(),
        bad.len()
    );
    for b in &bad {
        println!("  {b}");
    }
    assert!(
        japanese >= 50,
        "expected ~60 Japanese-encoded messages, saw {japanese}"
    );
    assert!(bad.is_empty());
}

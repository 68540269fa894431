//! Folders, archives and failures: zip members read in place and named `a.zip!/inner`, gzip,
//! size limits against zip bombs, and per-file errors that do not stop a folder walk.

mod common;

use std::io::Write;

use common::*;
use normalize::{Error, ReadOptions, VecSink};

fn zip_of(files: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, bytes) in files {
            z.start_file(*name, opts).expect("start");
            z.write_all(bytes).expect("write");
        }
        z.finish().expect("finish");
    }
    buf.into_inner()
}

fn portal_files() -> Vec<(&'static str, Vec<u8>)> {
    let d = fixtures().join("entra_portal_csv");
    vec![
        (
            "export/InteractiveSignIns_2025-06-01_2025-06-02.csv",
            std::fs::read(d.join("InteractiveSignIns_2025-06-01_2025-06-02.csv")).expect("read"),
        ),
        (
            "export/InteractiveSignIns_AuthDetails_2025-06-01_2025-06-02.csv",
            std::fs::read(d.join("InteractiveSignIns_AuthDetails_2025-06-01_2025-06-02.csv"))
                .expect("read"),
        ),
    ]
}

#[test]
fn zip_members_are_read_in_place_and_joined() {
    let dir = tempfile::tempdir().expect("tmp");
    let zpath = dir.path().join("signins.zip");
    std::fs::write(&zpath, zip_of(&portal_files())).expect("write");
    let (s, sink) = read(&zpath);
    assert_eq!(s.len(), 2);
    assert!(
        s[0].file
            .ends_with("signins.zip!/export/InteractiveSignIns_2025-06-01_2025-06-02.csv"),
        "{}",
        s[0].file
    );
    assert_eq!(s[1].format, Some("entra_portal_authdetails_csv"));
    assert_eq!(sink.events.len(), 3);
    assert!(sink.events[0].provenance.file.contains(".zip!/export/"));
    let model::EventKind::SignIn(si) = &sink.events[0].kind else {
        panic!("kind")
    };
    assert_eq!(
        si.authentication_details.len(),
        1,
        "joined inside the archive"
    );
}

#[test]
fn gzip_is_read_by_content() {
    let dir = tempfile::tempdir().expect("tmp");
    let p = dir.path().join("trace.bin");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(
        &std::fs::read(fixtures().join("message_trace_csv/Get-MessageTraceV2.csv")).expect("read"),
    )
    .expect("gz");
    std::fs::write(&p, enc.finish().expect("finish")).expect("write");
    let (s, sink) = read(&p);
    assert_eq!(s[0].format, Some("message_trace_csv"));
    assert_eq!(sink.events.len(), 2);
}

#[test]
fn zip_bomb_stops_at_the_limit_and_the_walk_goes_on() {
    let dir = tempfile::tempdir().expect("tmp");
    // A recognised format repeated: the reader would go on for ever without the limit.
    let line = b"{\"MessageTraceId\":\"x\",\"Received\":\"2025-01-01T00:00:00Z\",\"RecipientAddress\":\"a@b\"}\n";
    let big: Vec<u8> = line.iter().copied().cycle().take(4 << 20).collect();
    std::fs::write(
        dir.path().join("a_bomb.zip"),
        zip_of(&[("zeros.json", big)]),
    )
    .expect("write");
    std::fs::copy(
        fixtures().join("message_trace_csv/Get-MessageTraceV2.csv"),
        dir.path().join("b_trace.csv"),
    )
    .expect("copy");
    let opts = ReadOptions {
        max_member_bytes: 1 << 20,
        ..ReadOptions::default()
    };
    let mut sink = VecSink::default();
    let s = normalize::read_path(dir.path(), &opts, &mut sink).expect("walk");
    assert_eq!(s.len(), 2);
    assert!(
        s[0].error.as_deref().is_some_and(|e| e.contains("limit")),
        "{:?}",
        s[0]
    );
    assert!(s[0].events > 0, "records before the limit were delivered");
    assert_eq!(s[1].events, 2);
    let opts = ReadOptions {
        max_archive_bytes: 1 << 20,
        ..ReadOptions::default()
    };
    let s = normalize::read_path(
        &dir.path().join("a_bomb.zip"),
        &opts,
        &mut VecSink::default(),
    )
    .expect("walk");
    assert!(
        s[0].error
            .as_deref()
            .is_some_and(|e| e.contains("per-archive")),
        "{:?}",
        s[0]
    );
}

#[test]
fn broken_inputs_are_errors_for_that_input_only() {
    let dir = tempfile::tempdir().expect("tmp");
    let missing = dir.path().join("nope.csv");
    assert!(matches!(
        normalize::read_path(&missing, &ReadOptions::default(), &mut VecSink::default()),
        Err(Error::Open { .. })
    ));
    let bad_zip = dir.path().join("a_corrupt.zip");
    std::fs::write(&bad_zip, b"PK\x03\x04 this is not really a zip").expect("write");
    assert!(matches!(
        normalize::read_path(&bad_zip, &ReadOptions::default(), &mut VecSink::default()),
        Err(Error::Archive { .. })
    ));
    std::fs::copy(
        fixtures().join("message_trace_csv/Get-MessageTraceV2.csv"),
        dir.path().join("b_trace.csv"),
    )
    .expect("copy");
    std::fs::write(dir.path().join("c_notes.txt"), "hello").expect("write");
    let (s, sink) = read(dir.path());
    assert_eq!(s.len(), 3);
    assert!(
        s[0].error.as_deref().is_some_and(|e| e.contains("zip")),
        "{:?}",
        s[0]
    );
    assert_eq!(s[1].events, 2);
    assert_eq!(s[2].format, None);
    assert!(s[2].error.is_none() && s[2].note.is_some());
    assert_eq!(sink.events.len(), 2);
}

#[test]
fn folders_walk_in_sorted_order() {
    let (a, _) = read(&fixtures());
    let (b, _) = read(&fixtures());
    let names: Vec<&str> = a.iter().map(|s| s.file.as_str()).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);
    assert_eq!(a, b);
}

#[test]
fn formats_listed_in_both_languages() {
    let f = normalize::formats();
    assert!(f.len() >= 17);
    let mut ids: Vec<&str> = f.iter().map(|x| x.id).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), f.len(), "ids are unique");
    assert!(
        f.iter()
            .all(|x| !x.name_en.is_empty() && !x.name_ja.is_empty())
    );
    assert!(normalize::format_by_id("purview_audit_csv").is_some());
}

//! The direct member read against the zip crate's reader: the same bytes or the same error
//! for every member of the evaluation attachments and of archives with stored, deflated,
//! empty, data-descriptor, zip64, encrypted and damaged members (every byte of small archives
//! flipped in turn), at limits below, at and above the declared sizes; and whole extractions
//! identical with the direct read on and off.

use super::*;
use crate::evalgen::writers;
use crate::extract::{ExtractLimits, extract};
use std::io::Write;
use zip::write::SimpleFileOptions;

/// The zip crate's reading of member `i` (the code the direct read replaced).
fn by_crate(bytes: &[u8], i: usize, limit: u64) -> String {
    let mut zip = ZipArchive::new(Cursor::new(bytes)).expect("opened before");
    let r = match zip.by_index(i) {
        Ok(f) => {
            let declared = f.size();
            let mut data = Vec::new();
            read_limited_into(f, limit, declared, &mut data).map(|()| data)
        }
        Err(e) => Err(NotInspected::new(
            "",
            R::Corrupt,
            format!("zip member: {e}"),
        )),
    };
    show(r)
}

fn show(r: Result<Vec<u8>, NotInspected>) -> String {
    match r {
        Ok(d) => format!("ok {d:?}"),
        Err(ni) => format!("err {:?} {} {}", ni.reason, ni.path, ni.detail),
    }
}

fn meta_by_crate(bytes: &[u8], i: usize) -> String {
    let mut zip = ZipArchive::new(Cursor::new(bytes)).expect("opened before");
    match zip.by_index_raw(i) {
        Ok(f) => format!(
            "{:?} {} {} {} {}",
            f.name()
                .map(|n| n.into_owned())
                .unwrap_or_else(|_| format!("#{i}")),
            f.size(),
            f.compressed_size(),
            f.encrypted(),
            f.is_dir()
        ),
        Err(e) => format!("err {e}"),
    }
}

/// Compares every member of `bytes` (when it opens); returns how many reads were direct.
fn compare_archive(bytes: &[u8]) -> usize {
    let Ok(mut a) = Archive::open(bytes) else {
        return 0;
    };
    let mut direct = 0;
    let mut buf = Vec::new();
    for i in 0..a.len() {
        assert_eq!(
            a.member(i, false)
                .map(|m| (m.size, m.compressed, m.encrypted, m.is_dir)),
            a.member(i, true)
                .map(|m| (m.size, m.compressed, m.encrypted, m.is_dir)),
        );
        let meta = match a.member(i, true) {
            Ok(m) => format!(
                "{:?} {} {} {} {}",
                m.name, m.size, m.compressed, m.encrypted, m.is_dir
            ),
            Err(e) => format!("err {e}"),
        };
        assert_eq!(meta, meta_by_crate(bytes, i), "member {i}");
        let size = a.zip.by_index_data(i).map_or(0, |e| e.size());
        for limit in [size.saturating_sub(1), size, size + 1, 1 << 30] {
            let before = buf.len();
            if a.read_direct(i, limit, &mut buf) {
                direct += 1;
            } else {
                assert_eq!(buf.len(), before, "a declined read leaves the buffer");
            }
            let got = show(a.read_index_into(i, limit, &mut buf).map(|()| buf.clone()));
            assert_eq!(got, by_crate(bytes, i, limit), "member {i} limit {limit}");
        }
        // By name, with the path in errors.
        let name = a
            .file_names()
            .nth(i)
            .and_then(|n| n.ok().map(|n| n.into_owned()));
        if let Some(name) = name {
            let got = show(
                a.read_named_into("x.zip", &name, 1 << 30, &mut buf)
                    .map(|()| buf.clone()),
            );
            let mut zip = ZipArchive::new(Cursor::new(bytes)).expect("opened before");
            let want = match zip.by_name(&name) {
                Ok(f) => {
                    let declared = f.size();
                    let mut data = Vec::new();
                    read_limited_into(f, 1 << 30, declared, &mut data)
                        .map(|()| data)
                        .map_err(|ni| NotInspected {
                            path: "x.zip".into(),
                            ..ni
                        })
                }
                Err(e) => Err(NotInspected::new(
                    "x.zip",
                    R::Corrupt,
                    format!("{name}: {e}"),
                )),
            };
            assert_eq!(got, show(want), "member {name}");
        }
    }
    direct
}

fn written(stream: bool, opts: SimpleFileOptions, parts: &[(&str, &[u8])]) -> Vec<u8> {
    fn fill<W: Write + std::io::Seek>(
        mut w: zip::ZipWriter<W>,
        opts: SimpleFileOptions,
        parts: &[(&str, &[u8])],
    ) -> W {
        for (name, data) in parts {
            if name.ends_with('/') {
                w.add_directory(*name, opts).expect("dir");
            } else {
                w.start_file(*name, opts).expect("start");
                w.write_all(data).expect("write");
            }
        }
        w.finish().expect("finish")
    }
    if stream {
        // A non-seekable writer: sizes and CRCs go into data descriptors after the data.
        let mut out = Vec::new();
        let w = zip::ZipWriter::new_stream(&mut out);
        let _ = fill(w, opts, parts);
        out
    } else {
        fill(zip::ZipWriter::new(Cursor::new(Vec::new())), opts, parts).into_inner()
    }
}

fn edge_archives() -> Vec<Vec<u8>> {
    let text = "氏名,電話\n山田 太郎,090-1234-5678\n".repeat(40);
    let parts: Vec<(&str, &[u8])> = vec![
        ("a.csv", text.as_bytes()),
        ("empty.txt", b""),
        ("dir/", b""),
        ("dir/b.txt", b"hello"),
        ("名簿.txt", "山田".as_bytes()),
    ];
    let mut out = Vec::new();
    for method in [
        zip::CompressionMethod::Stored,
        zip::CompressionMethod::Deflated,
    ] {
        for stream in [false, true] {
            for large in [false, true] {
                let opts = SimpleFileOptions::default()
                    .compression_method(method)
                    .large_file(large);
                out.push(written(stream, opts, &parts));
            }
        }
    }
    out.push(
        writers::flagged_encrypted_zip("p.zip", &[("名簿.csv", b"a,b".to_vec())]).expect("zip"),
    );
    out
}

fn evaluation_archives() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for seed in 1..=4 {
        for m in crate::evalgen::generate(seed).expect("generate").messages {
            for a in m.attachments {
                if a.bytes.starts_with(b"PK") {
                    out.push(a.bytes);
                }
            }
        }
    }
    out
}

#[test]
fn direct_reads_equal_the_zip_crates_on_evaluation_and_edge_archives() {
    let mut direct = 0;
    for bytes in evaluation_archives() {
        direct += compare_archive(&bytes);
    }
    let edge = edge_archives();
    for (k, bytes) in edge.iter().enumerate() {
        let n = compare_archive(bytes);
        // Stored, deflated, data descriptors, zip64: all read directly; the encrypted one not.
        assert_eq!(
            n == 0,
            k + 1 == edge.len(),
            "edge archive {k}: {n} direct reads"
        );
    }
    // Most reads must actually take the direct path (or the test proves nothing).
    assert!(direct > 200, "{direct} direct reads");
}

#[test]
fn direct_reads_equal_the_zip_crates_on_damaged_archives() {
    let docx = writers::docx(
        "a.docx",
        &[writers::DocPart::Para("氏名：山田 太郎".into())],
    )
    .expect("docx");
    let plain = writers::zip(
        "a.zip",
        &[
            ("a.txt", b"hello hello hello hello".to_vec()),
            ("b.txt", b"stored?".to_vec()),
        ],
        zip::CompressionMethod::Deflated,
    )
    .expect("zip");
    let stored = written(
        false,
        SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored),
        &[("s.txt", b"stored text")],
    );
    let mut opened = 0;
    for base in [&docx, &plain, &stored] {
        for pos in 0..base.len() {
            for flip in [0x01u8, 0x80, 0xFF] {
                let mut bytes = base.clone();
                bytes[pos] ^= flip;
                if Archive::open(&bytes).is_ok() {
                    opened += 1;
                    compare_archive(&bytes);
                }
            }
        }
    }
    assert!(opened > 1000, "{opened} damaged archives opened");
}

fn extraction(name: &str, bytes: &[u8], limits: &ExtractLimits, off: bool) -> String {
    DIRECT_READS_OFF.set(off);
    let ex = extract(name, None, bytes, limits);
    DIRECT_READS_OFF.set(false);
    format!("{ex:?}")
}

#[test]
fn extractions_are_identical_with_and_without_direct_reads() {
    let limits = ExtractLimits::default();
    let tight = ExtractLimits {
        max_member_bytes: 600,
        max_total_bytes: 2000,
        ..ExtractLimits::default()
    };
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    for seed in 1..=4 {
        for m in crate::evalgen::generate(seed).expect("generate").messages {
            for a in m.attachments {
                files.push((a.name, a.bytes));
            }
        }
    }
    for (k, z) in edge_archives().into_iter().enumerate() {
        files.push((format!("edge{k}.zip"), z));
    }
    // A zip of Office files and a zip inside a zip.
    let inner: Vec<(String, Vec<u8>)> = files
        .iter()
        .filter(|(_, b)| b.starts_with(b"PK"))
        .take(4)
        .cloned()
        .collect();
    let refs: Vec<(&str, Vec<u8>)> = inner.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    let outer = writers::zip("o.zip", &refs, zip::CompressionMethod::Deflated).expect("zip");
    let nested = writers::zip(
        "n.zip",
        &[("o.zip", outer.clone())],
        zip::CompressionMethod::Stored,
    )
    .expect("zip");
    files.push(("o.zip".into(), outer));
    files.push(("n.zip".into(), nested));
    for (name, bytes) in &files {
        for l in [&limits, &tight] {
            assert_eq!(
                extraction(name, bytes, l, false),
                extraction(name, bytes, l, true),
                "{name}"
            );
        }
    }
    // Damaged Office files through the whole extraction (every 7th byte flipped in turn).
    let docx = files
        .iter()
        .find(|(n, _)| n.ends_with(".docx"))
        .expect("a docx")
        .1
        .clone();
    for pos in (0..docx.len()).step_by(7) {
        let mut bytes = docx.clone();
        bytes[pos] ^= 0x20;
        assert_eq!(
            extraction("d.docx", &bytes, &limits, false),
            extraction("d.docx", &bytes, &limits, true),
            "byte {pos}"
        );
    }
}

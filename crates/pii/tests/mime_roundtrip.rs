//! The evaluation set written as an MBOX (`evalgen::mime`) reads back through the product's
//! mail reader (`content`) with the same bodies, attachment names and bytes — so a benchmark
//! of the whole `mimamori scope` on that MBOX scopes the same data as the library benchmark.

use pii::evalgen::{generate, mime::mbox_entry};

#[test]
fn generated_mbox_reads_back_through_the_mail_reader() {
    let set = generate(9).expect("generate");
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("export.mbox");
    let text: String = set
        .messages
        .iter()
        .enumerate()
        .map(|(i, m)| mbox_entry(m, &format!("rt{i}@example.co.jp")))
        .collect();
    std::fs::write(&path, text).expect("write");
    let mut read = Vec::new();
    content::read_mail_path(&path, &mut |r| read.push(r.expect("message reads")))
        .expect("mbox reads");
    assert_eq!(read.len(), set.messages.len());
    for (i, (m, r)) in set.messages.iter().zip(&read).enumerate() {
        assert_eq!(
            r.message_id.as_deref(),
            Some(format!("rt{i}@example.co.jp").as_str())
        );
        assert_eq!(r.text_body.trim_end(), m.body.trim_end(), "message {i}");
        let got: Vec<(String, &[u8])> = r
            .all_attachments()
            .into_iter()
            .map(|(name, a)| (name, a.data.as_slice()))
            .collect();
        let want: Vec<(String, &[u8])> = m
            .attachments
            .iter()
            .map(|a| (a.name.clone(), a.bytes.as_slice()))
            .collect();
        assert_eq!(got.len(), want.len(), "message {i}");
        for ((gn, gb), (wn, wb)) in got.iter().zip(&want) {
            assert!(gn.ends_with(wn.as_str()), "{gn} / {wn}");
            assert!(
                gb == wb,
                "{wn}: bytes differ: {} vs {} bytes; got {:?}",
                gb.len(),
                wb.len(),
                String::from_utf8_lossy(&gb[..gb.len().min(80)])
            );
        }
    }
}

//! Mailbox readers end to end: MBOX folders (Japanese names, mboxrd escapes, ISO-2022-JP,
//! nested message/rfc822), `.eml` folder trees, a generated Outlook `.msg`, the PST fixture,
//! conversion to `model` events, and bad input reported per record.

mod common;
use common::read_all;

use std::path::Path;

use content::eval::mime::{Charset, encoded_word};
use content::read_mail_path;
use content::readers::pst_folder_paths;
use model::EventKind;

fn iso2022(s: &str) -> String {
    String::from_utf8(encoding_rs::ISO_2022_JP.encode(s).0.into_owned()).expect("7bit")
}

fn inbox_mbox() -> String {
    let body = iso2022("山田様\n\nお世話になっております。\n請求書を添付いたします。\n");
    let nested = "From: =?UTF-8?B?5L2Q6Jek?= <sato@partner.example>\nTo: a@example.co.jp\nSubject: original\nMessage-ID: <inner@x>\nContent-Type: multipart/mixed; boundary=in\n\n--in\nContent-Type: text/plain; charset=utf-8\n\ninner text\n--in\nContent-Type: application/pdf; name=\"見積書.pdf\"\nContent-Disposition: attachment; filename=\"=?UTF-8?B?6KaL56mN5pu4LnBkZg==?=\"\nContent-Transfer-Encoding: base64\n\nJVBERi0xLjQK\n--in--\n";
    format!(
        "From sender@example.co.jp Mon Oct 13 09:00:00 2025\nFrom: {} <yamada@example.co.jp>\nTo: taro@example.co.jp\nSubject: {}\nMessage-ID: <m1@example.co.jp>\nDate: Mon, 13 Oct 2025 09:00:00 +0900\nMIME-Version: 1.0\nContent-Type: text/plain; charset=ISO-2022-JP\n\n{body}>From the archive\n\nFrom fwd@example.co.jp Mon Oct 13 10:00:00 2025\nFrom: fwd@example.co.jp\nTo: taro@example.co.jp\nSubject: Fwd\nMessage-ID: <m2@example.co.jp>\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=out\n\n--out\nContent-Type: text/plain\n\nsee attached\n--out\nContent-Type: message/rfc822\n\n{nested}\n--out--\n",
        encoded_word("山田", Charset::Iso2022Jp),
        encoded_word("請求書", Charset::Iso2022Jp),
    )
}

#[test]
fn mbox_files_name_their_folders_and_decode_japanese_and_nested_parts() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("受信トレイ.mbox"), inbox_mbox()).expect("write");
    std::fs::write(
        dir.path().join("送信済みアイテム.mbox"),
        "From taro Mon Oct 13 11:00:00 2025\nFrom: taro@example.co.jp\nTo: x@partner.example\nSubject: sent\nMessage-ID: <s1@example.co.jp>\n\nok\n",
    )
    .expect("write");
    let (msgs, bad) = read_all(dir.path());
    assert!(bad.is_empty(), "{bad:?}");
    assert_eq!(msgs.len(), 3);
    let first = &msgs[1 - 1];
    // files are read in name order: 受信トレイ (U+53D7) sorts before 送信済みアイテム (U+9001)
    assert_eq!(first.folder.as_deref(), Some("受信トレイ"));
    assert_eq!(first.subject.as_deref(), Some("請求書"));
    assert_eq!(
        first.from.as_ref().and_then(|f| f.name.as_deref()),
        Some("山田")
    );
    assert!(first.text_body.contains("請求書を添付いたします。"));
    assert!(
        first.text_body.contains("From the archive"),
        "mboxrd >From unescaped"
    );
    assert!(!first.text_body.contains(">From"));
    let fwd = &msgs[1];
    let all = fwd.all_attachments();
    let nested = all
        .iter()
        .find(|(_, a)| a.content_type == "message/rfc822")
        .expect("nested message");
    let inner = nested.1.nested.as_ref().expect("parsed nested");
    assert_eq!(inner.message_id.as_deref(), Some("inner@x"));
    let pdf = all
        .iter()
        .find(|(p, _)| p.ends_with("見積書.pdf"))
        .expect("inner attachment");
    assert_eq!(pdf.1.data, b"%PDF-1.4\n");
    assert_eq!(msgs[2].folder.as_deref(), Some("送信済みアイテム"));

    let ev = msgs[2].to_event(&"default".to_string(), Some("Taro@Example.co.jp"));
    assert_eq!(ev.natural_id, "mail:s1@example.co.jp");
    let EventKind::Mail(env) = &ev.kind else {
        panic!("mail event")
    };
    assert_eq!(env.folder.as_deref(), Some("送信済みアイテム"));
    assert_eq!(env.mailbox.as_deref(), Some("taro@example.co.jp"));
    assert_eq!(env.to, vec!["x@partner.example".to_string()]);
}

#[test]
fn eml_folder_trees_keep_the_folder_path() {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("export");
    std::fs::create_dir_all(root.join("Inbox/Projects")).expect("mkdir");
    std::fs::create_dir_all(root.join("Sent Items")).expect("mkdir");
    std::fs::write(
        root.join("Inbox/Projects/a.eml"),
        "Subject: a\nMessage-ID: <a@x>\n\nbody\n",
    )
    .expect("write");
    std::fs::write(root.join("Sent Items/b.eml"), "Subject: b\n\nbody b\n").expect("write");
    let (msgs, bad) = read_all(&root);
    assert!(bad.is_empty());
    let folders: Vec<_> = msgs
        .iter()
        .map(|m| m.folder.clone().unwrap_or_default())
        .collect();
    assert_eq!(
        folders,
        vec!["Inbox/Projects".to_string(), "Sent Items".to_string()]
    );
    // no Message-ID: the natural id is a content hash, stable across runs
    assert!(msgs[1].natural_id().starts_with("mail:sha256:"));
    assert_eq!(msgs[1].natural_id(), msgs[1].clone().natural_id());
}

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn write_stream(cf: &mut cfb::CompoundFile<std::fs::File>, path: &str, data: &[u8]) {
    use std::io::Write;
    let mut s = cf.create_stream(path).expect("stream");
    s.write_all(data).expect("write stream");
}

#[test]
fn outlook_msg_items_are_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("item.msg");
    {
        let file = std::fs::File::create(&path).expect("create");
        let mut cf = cfb::CompoundFile::create_with_version(cfb::Version::V3, file).expect("cfb");
        write_stream(
            &mut cf,
            "/__substg1.0_0037001F",
            &utf16("【至急】請求書の確認"),
        );
        write_stream(
            &mut cf,
            "/__substg1.0_1000001F",
            &utf16("山田様\r\n請求書をご確認ください。"),
        );
        write_stream(&mut cf, "/__substg1.0_0C1A001F", &utf16("山田 太郎"));
        write_stream(
            &mut cf,
            "/__substg1.0_5D01001F",
            &utf16("tanaka@example.co.jp"),
        );
        write_stream(
            &mut cf,
            "/__substg1.0_007D001F",
            &utf16(
                "Message-ID: <msg-1@example.co.jp>\r\nFrom: tanaka@example.co.jp\r\nX-Originating-IP: [192.0.2.10]\r\n",
            ),
        );
        cf.create_storage("/__recip_version1.0_#00000000")
            .expect("recip");
        write_stream(
            &mut cf,
            "/__recip_version1.0_#00000000/__substg1.0_3001001F",
            &utf16("山田 太郎"),
        );
        write_stream(
            &mut cf,
            "/__recip_version1.0_#00000000/__substg1.0_39FE001F",
            &utf16("yamada@partner.example"),
        );
        cf.create_storage("/__attach_version1.0_#00000000")
            .expect("attach");
        write_stream(
            &mut cf,
            "/__attach_version1.0_#00000000/__substg1.0_3707001F",
            &utf16("請求書.xlsx"),
        );
        write_stream(
            &mut cf,
            "/__attach_version1.0_#00000000/__substg1.0_37010102",
            b"PK\x03\x04data",
        );
        cf.flush().expect("flush");
    }
    let (msgs, bad) = read_all(&path);
    assert!(bad.is_empty(), "{bad:?}");
    let m = &msgs[0];
    assert_eq!(m.format, "msg");
    assert_eq!(m.folder, None);
    assert_eq!(m.subject.as_deref(), Some("【至急】請求書の確認"));
    assert_eq!(m.message_id.as_deref(), Some("msg-1@example.co.jp"));
    assert_eq!(m.header("X-Originating-IP"), Some("[192.0.2.10]"));
    assert_eq!(
        m.from.as_ref().and_then(|f| f.address.as_deref()),
        Some("tanaka@example.co.jp")
    );
    assert_eq!(m.to[0].name.as_deref(), Some("山田 太郎"));
    assert!(m.text_body.contains("請求書をご確認ください"));
    assert_eq!(m.attachments[0].filename.as_deref(), Some("請求書.xlsx"));
    assert_eq!(m.attachments[0].data, b"PK\x03\x04data");
}

#[test]
fn pst_fixture_opens_and_walks_its_folder_tree() {
    let pst = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/pst/Empty.pst");
    let folders = pst_folder_paths(&pst).expect("pst opens");
    println!("Empty.pst folders: {folders:?}");
    assert!(folders.iter().any(|f| f == "Deleted Items"), "{folders:?}");
    let (msgs, bad) = read_all(&pst);
    assert!(msgs.is_empty() && bad.is_empty(), "{bad:?}");
}

#[test]
fn bad_input_is_reported_per_record_and_never_aborts() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("broken.msg"), b"not a compound file").expect("write");
    std::fs::write(dir.path().join("broken.pst"), b"!BDNgarbage").expect("write");
    std::fs::write(dir.path().join("empty.eml"), b"").expect("write");
    std::fs::write(dir.path().join("good.eml"), b"Subject: ok\n\nfine\n").expect("write");
    let mut ok = 0;
    let mut errors = Vec::new();
    let stats = read_mail_path(dir.path(), &mut |r| match r {
        Ok(_) => ok += 1,
        Err(e) => errors.push(e),
    })
    .expect("dir readable");
    assert_eq!(ok, 1);
    assert_eq!(errors.len(), 3, "{errors:?}");
    assert_eq!(stats.errors, 3);
    assert!(
        errors
            .iter()
            .any(|e| e.file.ends_with("broken.msg") && e.reason.contains(".msg"))
    );
    assert!(read_mail_path(&dir.path().join("missing"), &mut |_| {}).is_err());
}

#[test]
fn a_lone_file_is_sniffed_as_mail_strictly() {
    use content::{MailFormat, sniff_mail_file};
    let dir = tempfile::tempdir().expect("tempdir");
    let put = |name: &str, bytes: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).expect("write");
        p
    };
    let cases: &[(&str, &[u8], Option<MailFormat>)] = &[
        ("a.mbox", b"anything", Some(MailFormat::Mbox)),
        (
            "inbox",
            b"From a@b Mon Jan  1 00:00:00 2025\nSubject: x\n\n",
            Some(MailFormat::Mbox),
        ),
        ("m.eml", b"x", Some(MailFormat::Eml)),
        (
            "maildir-1",
            b"Return-Path: <a@b>\nFrom: a@b\nSubject: x\n\nbody",
            Some(MailFormat::Eml),
        ),
        (
            "note.txt",
            b"From: a@b\nTo: c@d\n\nbody",
            Some(MailFormat::Eml),
        ),
        (
            "item.msg",
            &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1],
            Some(MailFormat::Msg),
        ),
        ("fake.msg", b"not a compound file", None),
        ("box.pst", b"!BDN....", Some(MailFormat::Pst)),
        ("fake.pst", b"PK\x03\x04", None),
        (
            "expected_locations.csv",
            b"user,country,from,to,note\n",
            None,
        ),
        ("mimamori", b"[tenant]\nid = \"default\"\n", None),
        (
            "readme.txt",
            b"Subject matter: notes\nno headers here",
            None,
        ),
    ];
    for (name, bytes, want) in cases {
        assert_eq!(sniff_mail_file(&put(name, bytes)), *want, "{name}");
    }
    assert_eq!(MailFormat::Pst.id(), "pst");
}

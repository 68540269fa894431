//! PST reading on real messages: PSTs are written at test time with `synth`'s PST writer into a
//! temporary folder (nothing large is committed) and read back with `content`'s public reader;
//! every field the writer was given must come back — Japanese folder paths, subject, sender,
//! To/Cc/Bcc, Message-ID, transport headers, body, HTML, attachment names and bytes, values
//! and attachments that span many blocks, empty and nested folders, and folders whose tables
//! overflow one heap page. The generated tenant's mailbox written as PST must hold the same
//! messages, in the same folders, as its MBOX export.

mod common;
use common::read_all;

use std::collections::BTreeMap;
use std::path::Path;

use chrono::{TimeZone, Utc};
use content::MailMessage;
use content::readers::pst_folder_paths;
use synth::pst::{PstAddress, PstAttachment, PstMessage, PstRecipient, PstWriter, RecipientKind};

fn rcpt(kind: RecipientKind, name: &str, address: &str) -> PstRecipient {
    PstRecipient {
        kind,
        address: PstAddress::new(name, address),
    }
}

/// Deterministic bytes that do not compress into a pattern a reader could fake.
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 32) as u8
        })
        .collect()
}

fn invoice_message() -> PstMessage {
    let headers = "Received: from mx.example.co.jp (203.0.113.5) by mbx.example.co.jp\r\n\
From: =?UTF-8?B?5bGx55SwIOWkqumDjg==?= <taro.yamada@example.co.jp>\r\n\
To: =?UTF-8?B?6Yi05pyoIOiKseWtkA==?= <hanako.suzuki@example.co.jp>\r\n\
Subject: =?UTF-8?B?44CQ44GU56K66KqN44CR6KuL5rGC5pu444Gu6YCB5LuY44Gr44Gk44GE44Gm?=\r\n\
Date: Tue, 14 Oct 2025 10:30:00 +0900\r\n\
Message-ID: <inv-0001@example.co.jp>\r\n\
X-MS-Exchange-Organization-AuthAs: Internal\r\n\
X-Mailer: Microsoft Outlook 16.0\r\n";
    PstMessage {
        subject: "【ご確認】請求書の送付について".into(),
        from: PstAddress::new("山田 太郎", "taro.yamada@example.co.jp"),
        recipients: vec![
            rcpt(
                RecipientKind::To,
                "鈴木 花子",
                "hanako.suzuki@example.co.jp",
            ),
            rcpt(RecipientKind::Cc, "佐藤 次郎", "jiro.sato@example.co.jp"),
        ],
        submit_time: Some(Utc.with_ymd_and_hms(2025, 10, 14, 1, 30, 0).unwrap()),
        delivery_time: Some(Utc.with_ymd_and_hms(2025, 10, 14, 1, 30, 5).unwrap()),
        message_id: Some("<inv-0001@example.co.jp>".into()),
        transport_headers: Some(headers.into()),
        body: "鈴木様\r\n\r\nいつもお世話になっております。\r\n請求書を添付いたします。\r\n".into(),
        html: Some("<html><body><p>請求書を添付いたします。</p></body></html>".into()),
        attachments: vec![PstAttachment {
            filename: "請求書_2025-10.pdf".into(),
            mime_type: "application/pdf".into(),
            data: b"%PDF-1.4\n%synthetic\n".to_vec(),
        }],
    }
}

/// No transport headers: everything comes from MAPI properties and the recipient table.
/// The body spans several blocks and the attachment (2 MiB) needs an XBLOCK of 257 blocks.
fn drawing_message(body: &str, drawing: &[u8]) -> PstMessage {
    PstMessage {
        subject: "Re: 図面改訂のお知らせ（rev.C）".into(),
        from: PstAddress::new("Nguyen Van An", "an.nguyen@example.com.vn"),
        recipients: vec![
            rcpt(RecipientKind::To, "山田 太郎", "taro.yamada@example.co.jp"),
            rcpt(RecipientKind::To, "", "design@buhin.example.jp"),
            rcpt(
                RecipientKind::Cc,
                "高橋 三郎",
                "saburo.takahashi@example.co.jp",
            ),
            rcpt(RecipientKind::Bcc, "記録用", "archive@example.co.jp"),
        ],
        submit_time: Some(Utc.with_ymd_and_hms(2025, 9, 30, 23, 59, 58).unwrap()),
        delivery_time: None,
        message_id: Some("<drawing-rev-c@example.com.vn>".into()),
        transport_headers: None,
        body: body.into(),
        html: None,
        attachments: vec![
            PstAttachment {
                filename: "図面_rev.C.zip".into(),
                mime_type: "application/zip".into(),
                data: drawing.to_vec(),
            },
            PstAttachment {
                filename: "メモ.txt".into(),
                mime_type: "text/plain".into(),
                data: "確認済み".as_bytes().to_vec(),
            },
        ],
    }
}

fn long_body() -> String {
    (0..1200)
        .map(|i| format!("{i:04} 図面の寸法を修正しました。ご確認ください。\r\n"))
        .collect()
}

#[test]
fn written_pst_round_trips_every_field() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("export.pst");
    let body = long_body();
    assert!(
        body.encode_utf16().count() * 2 > 3 * 8176,
        "body spans blocks"
    );
    let drawing = noise(2 << 20, 7);

    let mut w = PstWriter::create(&path, "山田 太郎 (eDiscovery)").expect("create");
    let root = w.ipm_root();
    let inbox = w.add_folder(root, "受信トレイ").expect("folder");
    let project = w.add_folder(inbox, "案件A").expect("folder");
    let sent = w.add_folder(root, "送信済みアイテム").expect("folder");
    w.add_folder(root, "空のフォルダ").expect("folder");
    let deleted = w.add_folder(root, "削除済みアイテム").expect("folder");
    w.set_deleted_items(deleted);
    w.add_message(inbox, &invoice_message()).expect("message");
    w.add_message(project, &drawing_message(&body, &drawing))
        .expect("message");
    let reply = PstMessage {
        subject: "Weekly report".into(),
        from: PstAddress::new("山田 太郎", "taro.yamada@example.co.jp"),
        recipients: vec![rcpt(RecipientKind::To, "Partner", "x@motors.example.com")],
        submit_time: Some(Utc.with_ymd_and_hms(2025, 10, 1, 8, 0, 0).unwrap()),
        message_id: Some("<weekly-40@example.co.jp>".into()),
        body: "See attached.".into(),
        ..Default::default()
    };
    w.add_message(sent, &reply).expect("message");
    let summary = w.finish().expect("finish");
    assert_eq!(summary.messages, 3);
    assert_eq!(summary.folders, 5);
    assert_eq!(
        summary.bytes,
        std::fs::metadata(&path).expect("file").len(),
        "summary size is the file size"
    );

    assert_eq!(
        pst_folder_paths(&path).expect("paths"),
        [
            "受信トレイ",
            "受信トレイ/案件A",
            "送信済みアイテム",
            "空のフォルダ",
            "削除済みアイテム"
        ]
    );
    let (msgs, bad) = read_all(&path);
    assert!(bad.is_empty(), "{bad:?}");
    assert_eq!(msgs.len(), 3);
    assert!(msgs.iter().all(|m| m.format == "pst"));

    let inv = &msgs[0];
    assert_eq!(inv.folder.as_deref(), Some("受信トレイ"));
    assert_eq!(inv.message_id.as_deref(), Some("inv-0001@example.co.jp"));
    assert_eq!(
        inv.subject.as_deref(),
        Some("【ご確認】請求書の送付について")
    );
    let from = inv.from.as_ref().expect("from");
    assert_eq!(from.name.as_deref(), Some("山田 太郎"));
    assert_eq!(from.address.as_deref(), Some("taro.yamada@example.co.jp"));
    assert_eq!(inv.to.len(), 1);
    assert_eq!(inv.to[0].name.as_deref(), Some("鈴木 花子"));
    assert_eq!(inv.cc.len(), 1);
    assert_eq!(
        inv.cc[0].address.as_deref(),
        Some("jiro.sato@example.co.jp")
    );
    assert_eq!(inv.header("X-Mailer"), Some("Microsoft Outlook 16.0"));
    assert_eq!(
        inv.header("X-MS-Exchange-Organization-AuthAs"),
        Some("Internal")
    );
    assert_eq!(inv.headers.len(), 8, "{:?}", inv.headers);
    assert_eq!(
        inv.date,
        Some(Utc.with_ymd_and_hms(2025, 10, 14, 1, 30, 0).unwrap())
    );
    assert_eq!(inv.text_body, invoice_message().body);
    assert_eq!(
        inv.html_body.as_deref(),
        Some("<html><body><p>請求書を添付いたします。</p></body></html>")
    );
    assert_eq!(inv.attachments.len(), 1);
    let pdf = &inv.attachments[0];
    assert_eq!(pdf.filename.as_deref(), Some("請求書_2025-10.pdf"));
    assert_eq!(pdf.content_type, "application/pdf");
    assert_eq!(pdf.data, b"%PDF-1.4\n%synthetic\n");

    let dr = &msgs[1];
    assert_eq!(dr.folder.as_deref(), Some("受信トレイ/案件A"));
    assert_eq!(
        dr.message_id.as_deref(),
        Some("drawing-rev-c@example.com.vn")
    );
    assert_eq!(
        dr.subject.as_deref(),
        Some("Re: 図面改訂のお知らせ（rev.C）")
    );
    assert_eq!(
        dr.from.as_ref().and_then(|f| f.name.as_deref()),
        Some("Nguyen Van An")
    );
    let to: Vec<_> = dr.to.iter().map(|m| m.address.as_deref()).collect();
    assert_eq!(
        to,
        [
            Some("taro.yamada@example.co.jp"),
            Some("design@buhin.example.jp")
        ]
    );
    assert_eq!(dr.to[1].name, None, "empty display name stays empty");
    assert_eq!(dr.cc[0].name.as_deref(), Some("高橋 三郎"));
    assert_eq!(dr.bcc.len(), 1);
    assert_eq!(dr.bcc[0].address.as_deref(), Some("archive@example.co.jp"));
    assert!(dr.headers.is_empty(), "no transport headers were written");
    assert_eq!(
        dr.date,
        Some(Utc.with_ymd_and_hms(2025, 9, 30, 23, 59, 58).unwrap())
    );
    assert_eq!(dr.text_body, body, "multi-block body");
    assert_eq!(dr.attachments.len(), 2);
    assert_eq!(
        dr.attachments[0].filename.as_deref(),
        Some("図面_rev.C.zip")
    );
    assert_eq!(dr.attachments[0].content_type, "application/zip");
    assert!(dr.attachments[0].data == drawing, "2 MiB attachment bytes");
    assert_eq!(dr.attachments[1].filename.as_deref(), Some("メモ.txt"));
    assert_eq!(dr.attachments[1].data, "確認済み".as_bytes());

    let wk = &msgs[2];
    assert_eq!(wk.folder.as_deref(), Some("送信済みアイテム"));
    assert_eq!(wk.to[0].address.as_deref(), Some("x@motors.example.com"));
    assert!(wk.cc.is_empty() && wk.attachments.is_empty());
    assert_eq!(wk.text_body, "See attached.");
}

#[test]
fn large_folders_and_attachments_span_pages_blocks_and_tree_levels() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("big.pst");
    let mut w = PstWriter::create(&path, "big").expect("create");
    let root = w.ipm_root();
    let inbox = w.add_folder(root, "Inbox").expect("folder");
    // 160 sub-folders: the hierarchy table rows overflow one heap allocation
    let mut subs = Vec::new();
    for i in 0..160 {
        subs.push(
            w.add_folder(inbox, &format!("取引先{i:03}"))
                .expect("folder"),
        );
    }
    // 3,000 messages in one folder: the row index needs an intermediate BTH level and
    // several heap pages; the rows sit in a subnode of many blocks
    let when = Utc.with_ymd_and_hms(2024, 4, 1, 0, 0, 0).unwrap();
    for i in 0..3000u32 {
        let m = PstMessage {
            subject: format!("件名 {i}"),
            from: PstAddress::new("送信者", "s@example.jp"),
            recipients: vec![rcpt(RecipientKind::To, "", "r@example.co.jp")],
            submit_time: Some(when + chrono::Duration::minutes(i64::from(i))),
            message_id: Some(format!("<bulk-{i}@example.jp>")),
            body: format!("本文 {i}"),
            ..Default::default()
        };
        w.add_message(inbox, &m).expect("message");
    }
    // 9 MiB: more blocks (1,155) than one XBLOCK holds, so the data tree is an XXBLOCK
    let video = noise(9 << 20, 11);
    let last = subs[159];
    w.add_message(
        last,
        &PstMessage {
            subject: "最後".into(),
            message_id: Some("<last@example.jp>".into()),
            attachments: vec![PstAttachment {
                filename: "工場見学.mp4".into(),
                mime_type: "video/mp4".into(),
                data: video.clone(),
            }],
            ..Default::default()
        },
    )
    .expect("message");
    w.finish().expect("finish");

    let paths = pst_folder_paths(&path).expect("paths");
    assert_eq!(paths.len(), 1 + 160 + 1, "{:?}", &paths[..5]);
    assert_eq!(paths[1], "Inbox/取引先000");
    assert_eq!(paths[160], "Inbox/取引先159");
    let (msgs, bad) = read_all(&path);
    assert!(bad.is_empty(), "{bad:?}");
    assert_eq!(msgs.len(), 3001);
    for (i, m) in msgs[..3000].iter().enumerate() {
        assert_eq!(
            m.message_id.as_deref(),
            Some(format!("bulk-{i}@example.jp").as_str())
        );
        assert_eq!(m.text_body, format!("本文 {i}"));
    }
    assert_eq!(msgs[3000].folder.as_deref(), Some("Inbox/取引先159"));
    assert_eq!(msgs[3000].subject.as_deref(), Some("最後"));
    assert_eq!(msgs[3000].attachments.len(), 1);
    assert!(
        msgs[3000].attachments[0].data == video,
        "9 MiB through an XXBLOCK"
    );
}

#[test]
fn a_damaged_or_truncated_pst_is_reported_as_a_record_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("damaged.pst");
    let mut w = PstWriter::create(&path, "d").expect("create");
    let inbox = w.add_folder(w.ipm_root(), "受信トレイ").expect("folder");
    w.add_message(inbox, &invoice_message()).expect("message");
    w.finish().expect("finish");
    let (ok, bad) = read_all(&path);
    assert_eq!((ok.len(), bad.len()), (1, 0));
    // flip one byte inside the header's CRC-covered range
    let mut bytes = std::fs::read(&path).expect("read");
    bytes[200] ^= 0xFF;
    std::fs::write(&path, &bytes).expect("write");
    let (ok, bad) = read_all(&path);
    assert!(ok.is_empty());
    assert_eq!(bad.len(), 1);
    assert!(bad[0].reason.contains("Unicode PST"), "{}", bad[0].reason);
    // a copy cut short (an interrupted download) just after its first data blocks: the
    // B-trees written at the end are missing
    bytes[200] ^= 0xFF;
    bytes.truncate(0x4800 + 512);
    std::fs::write(&path, &bytes).expect("write");
    let (ok, bad) = read_all(&path);
    assert!(ok.is_empty());
    assert_eq!(bad.len(), 1, "{bad:?}");
}

#[test]
fn one_damaged_message_is_one_error_record_and_the_rest_are_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("one-bad.pst");
    let mut w = PstWriter::create(&path, "d").expect("create");
    let inbox = w.add_folder(w.ipm_root(), "受信トレイ").expect("folder");
    for i in 0..3 {
        let m = PstMessage {
            subject: format!("件名 {i}"),
            message_id: Some(format!("<m{i}@example.jp>")),
            body: format!("MARKER-{i} 本文"),
            ..Default::default()
        };
        w.add_message(inbox, &m).expect("message");
    }
    w.finish().expect("finish");
    // damage the block holding the second body: its CRC no longer matches
    let mut bytes = std::fs::read(&path).expect("read");
    let needle: Vec<u8> = "MARKER-1"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    let at = bytes
        .windows(needle.len())
        .position(|w| w == needle.as_slice())
        .expect("body in the file");
    bytes[at] ^= 0x20;
    std::fs::write(&path, &bytes).expect("write");
    let (ok, bad) = read_all(&path);
    let ids: Vec<_> = ok.iter().map(|m| m.message_id.as_deref()).collect();
    assert_eq!(ids, [Some("m0@example.jp"), Some("m2@example.jp")]);
    assert_eq!(bad.len(), 1, "{bad:?}");
    assert!(bad[0].file.ends_with("!受信トレイ"), "{}", bad[0].file);
    assert_eq!(bad[0].record, 1);
    assert!(
        bad[0].reason.contains("unreadable PST message"),
        "{}",
        bad[0].reason
    );
}

#[test]
fn generated_tenant_mailbox_as_pst_matches_its_mbox() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut opts = synth::GenerateOptions::new(dir.path());
    opts.users = 12;
    opts.days = 10;
    opts.mailbox_pst = true;
    let truth = synth::generate(&opts).expect("generate");
    let mb = truth.mailbox.expect("mailbox written");
    let mbox_dir = dir
        .path()
        .join(Path::new(&mb.files[0].1).parent().expect("dir"));
    let key = |m: &MailMessage| {
        (
            m.folder.clone().unwrap_or_default(),
            m.message_id.clone().unwrap_or_default(),
        )
    };
    let (from_mbox, bad) = read_all(&mbox_dir);
    assert!(bad.is_empty(), "{bad:?}");
    let (from_pst, bad) = read_all(&dir.path().join("mailbox.pst"));
    assert!(bad.is_empty(), "{bad:?}");
    assert!(from_pst.len() > 150, "{}", from_pst.len());
    let mut a: Vec<_> = from_mbox.iter().map(key).collect();
    let mut b: Vec<_> = from_pst.iter().map(key).collect();
    a.sort();
    b.sort();
    assert_eq!(a, b, "same (folder, Message-ID) pairs");
    let by_id: BTreeMap<_, _> = from_mbox
        .iter()
        .map(|m| (m.message_id.clone(), m))
        .collect();
    for p in &from_pst {
        let m = by_id[&p.message_id];
        assert_eq!(p.subject, m.subject, "{:?}", p.message_id);
        assert_eq!(p.from, m.from, "{:?}", p.message_id);
        assert_eq!(p.to, m.to, "{:?}", p.message_id);
        assert_eq!(p.date, m.date, "{:?}", p.message_id);
        assert_eq!(
            p.text_body.trim_end(),
            m.text_body.trim_end(),
            "{:?}",
            p.message_id
        );
        let names = |x: &MailMessage| {
            x.attachments
                .iter()
                .map(|a| (a.filename.clone(), a.data.clone()))
                .collect::<Vec<_>>()
        };
        assert_eq!(names(p), names(m), "{:?}", p.message_id);
    }
}

//! A PST of typical business mail at any size, for benchmarks: ~20 KB Japanese bodies
//! (a quoted thread under a short reply), one in five with a 30–250 KB attachment, spread
//! over `受信トレイ`, `受信トレイ/案件A`, `送信済みアイテム` and `アーカイブ/2024`. Streamed: the
//! writer holds only its index, so a 1 GB file needs a few MB of memory.

use std::path::Path;

use chrono::{Duration, TimeZone, Utc};

use crate::error::Error;
use crate::pst::{
    PstAddress, PstAttachment, PstMessage, PstRecipient, PstSummary, PstWriter, RecipientKind,
};

const QUOTE: &str =
    "> 先日の打ち合わせの件、資料を確認いたしました。来週の会議で詳細をご説明します。\r\n";

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

/// Writes typical mail into a new PST at `path` until the file holds about `target_bytes`.
pub fn write_typical_mail(path: &Path, target_bytes: u64, seed: u64) -> Result<PstSummary, Error> {
    let mut w = PstWriter::create(path, "bench (eDiscovery export)")?;
    let root = w.ipm_root();
    let inbox = w.add_folder(root, "受信トレイ")?;
    let project = w.add_folder(inbox, "案件A")?;
    let sent = w.add_folder(root, "送信済みアイテム")?;
    let archive = w.add_folder(root, "アーカイブ")?;
    let archive_2024 = w.add_folder(archive, "2024")?;
    let folders = [inbox, inbox, inbox, project, sent, sent, archive_2024];
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let start = Utc
        .with_ymd_and_hms(2024, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or_default();
    let mut attachment_pool = vec![0u8; 256 * 1024];
    for b in attachment_pool.iter_mut() {
        *b = rng.next() as u8;
    }
    let mut i = 0u64;
    while w.bytes_written() < target_bytes {
        let quoted = 180 + rng.below(120) as usize;
        let body = format!(
            "ご担当者様\r\n\r\nいつもお世話になっております。第{i}回の件、承知いたしました。\r\n\
             添付の資料をご確認ください。\r\n\r\n{}",
            QUOTE.repeat(quoted)
        );
        let attachments = if i.is_multiple_of(5) {
            let len = 30_000 + rng.below(220_000) as usize;
            vec![PstAttachment {
                filename: format!("見積書_{i:06}.xlsx"),
                mime_type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                    .into(),
                data: attachment_pool[..len].to_vec(),
            }]
        } else {
            Vec::new()
        };
        let time = start + Duration::seconds(i as i64 * 97);
        let id = format!("<bench-{i}@example.co.jp>");
        let headers = format!(
            "Received: from mx.example.co.jp by mbx.example.co.jp\r\nFrom: sender{}@partner.example.jp\r\n\
             To: user@example.co.jp\r\nSubject: =?UTF-8?B?6KaL56mN44KK44Gu5Lu2?=\r\n\
             Date: {}\r\nMessage-ID: {id}\r\nMIME-Version: 1.0\r\n",
            i % 40,
            time.to_rfc2822()
        );
        let msg = PstMessage {
            subject: format!("見積りの件（{i}）"),
            from: PstAddress::new(
                format!("取引先 担当{}", i % 40),
                format!("sender{}@partner.example.jp", i % 40),
            ),
            recipients: vec![
                PstRecipient {
                    kind: RecipientKind::To,
                    address: PstAddress::new("山田 太郎", "user@example.co.jp"),
                },
                PstRecipient {
                    kind: RecipientKind::Cc,
                    address: PstAddress::new("営業部", "sales@example.co.jp"),
                },
            ],
            submit_time: Some(time),
            delivery_time: Some(time + Duration::seconds(3)),
            message_id: Some(id),
            transport_headers: Some(headers),
            html: None,
            attachments,
            body,
        };
        let folder = folders[(i % folders.len() as u64) as usize];
        w.add_message(folder, &msg)?;
        i += 1;
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_bytes_and_the_size_asked_for() {
        let dir = tempfile::tempdir().expect("tempdir");
        let (a, b) = (dir.path().join("a.pst"), dir.path().join("b.pst"));
        let sa = write_typical_mail(&a, 600_000, 3).expect("write");
        let sb = write_typical_mail(&b, 600_000, 3).expect("write");
        assert_eq!(sa, sb);
        assert!(sa.bytes >= 600_000, "{}", sa.bytes);
        assert!(sa.messages >= 10, "{}", sa.messages);
        assert_eq!(sa.folders, 6, "five mail folders and Deleted Items");
        let bytes = std::fs::read(&a).expect("read");
        assert!(
            bytes == std::fs::read(&b).expect("read"),
            "deterministic output"
        );
        let c = dir.path().join("c.pst");
        write_typical_mail(&c, 600_000, 4).expect("write");
        assert!(
            bytes != std::fs::read(&c).expect("read"),
            "the seed matters"
        );
    }
}

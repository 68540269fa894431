//! Phase 2: the victim's mailbox export as one MBOX file per folder under
//! `mailbox/<upn>/` (`受信トレイ.mbox`, `送信済みアイテム.mbox`, `削除済みアイテム.mbox`,
//! `RSS フィード.mbox`).
//!
//! Messages inside the generated period are exactly the victim's messages of the message trace
//! (same Message-IDs); the ~300 phishing mails are deliberately absent from Sent Items, and the
//! replies they drew sit in RSS フィード where the attacker's rule put them. Older mail (five
//! years back) carries the personal-data attachments: a 64-employee xlsx, a docx table, a CP932
//! CSV, and a purchase order of decoy numbers. Text is ISO-2022-JP or UTF-8 with RFC 2047
//! subjects, as Japanese mail clients write it.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, TimeZone, Utc};

use crate::GenerateOptions;
use crate::attachments::{self, CATEGORIES, PERSONS};
use crate::batch::{Folder, VictimMail};
use crate::error::Error;
use crate::ground_truth::MailboxTruth;
use crate::incident::{IncidentFacts, RULE_FOLDER};
use crate::mail;
use crate::mime::{
    base64_lines, encode_header, iso2022jp, mailbox, mbox_from_line, mboxrd_escape, rfc2231,
    rfc5322,
};
use crate::rng::Gen;
use crate::tenant::{Tenant, VICTIM};
use crate::writers::create;

/// One attachment: (file name, MIME type, bytes).
type Attachment = (String, &'static str, Vec<u8>);

/// A message to write.
pub(crate) struct Msg {
    pub(crate) folder: String,
    pub(crate) time: DateTime<Utc>,
    pub(crate) message_id: String,
    pub(crate) from: (String, String),
    pub(crate) to: Vec<(String, String)>,
    pub(crate) cc: Vec<(String, String)>,
    pub(crate) subject: String,
    pub(crate) body: String,
    pub(crate) attachments: Vec<Attachment>,
    jis: bool,
    offset: i32,
}

fn folder_name(f: Folder) -> &'static str {
    match f {
        Folder::Inbox => "受信トレイ",
        Folder::SentItems => "送信済みアイテム",
        Folder::DeletedItems => "削除済みアイテム",
    }
}

fn body_for(to_name: &str, from_name: &str, subject: &str) -> String {
    let to = to_name.split_whitespace().next().unwrap_or(to_name);
    let from = from_name.split_whitespace().next().unwrap_or(from_name);
    format!(
        "{to}様\n\nいつもお世話になっております。\n{from}です。\n\n{subject}の件、添付または下記の通りご確認をお願いいたします。\nご不明な点がございましたらご連絡ください。\n\n以上、よろしくお願いいたします。\n\n{from_name}\n"
    )
}

pub(crate) fn render(m: &Msg, g: &mut Gen) -> String {
    let list = |v: &[(String, String)]| {
        v.iter()
            .map(|(a, n)| mailbox(n, a, m.jis))
            .collect::<Vec<_>>()
            .join(",\n ")
    };
    let mut h = String::new();
    h.push_str(&format!("From: {}\n", mailbox(&m.from.1, &m.from.0, m.jis)));
    h.push_str(&format!("To: {}\n", list(&m.to)));
    if !m.cc.is_empty() {
        h.push_str(&format!("Cc: {}\n", list(&m.cc)));
    }
    h.push_str(&format!("Subject: {}\n", encode_header(&m.subject, m.jis)));
    h.push_str(&format!("Date: {}\n", rfc5322(m.time, m.offset)));
    h.push_str(&format!("Message-ID: {}\n", m.message_id));
    h.push_str("MIME-Version: 1.0\n");
    let jis_body = if m.jis { iso2022jp(&m.body) } else { None };
    let (text_headers, text_body) = match jis_body {
        Some(b) => (
            "Content-Type: text/plain; charset=\"ISO-2022-JP\"\nContent-Transfer-Encoding: 7bit\n"
                .to_string(),
            String::from_utf8_lossy(&b).into_owned() + "\n",
        ),
        None => (
            "Content-Type: text/plain; charset=\"UTF-8\"\nContent-Transfer-Encoding: base64\n"
                .to_string(),
            base64_lines(m.body.as_bytes()),
        ),
    };
    if m.attachments.is_empty() {
        h.push_str(&text_headers);
        h.push('\n');
        h.push_str(&text_body);
        return h;
    }
    let boundary = format!("----=_NextPart_{}", g.hex(24));
    h.push_str(&format!("Content-Type: multipart/mixed;\n boundary=\"{boundary}\"\n\nThis is a multi-part message in MIME format.\n\n"));
    h.push_str(&format!("--{boundary}\n{text_headers}\n{text_body}\n"));
    for (name, mime_type, bytes) in &m.attachments {
        h.push_str(&format!(
            "--{boundary}\nContent-Type: {mime_type};\n name=\"{}\"\nContent-Disposition: attachment;\n filename*={}\nContent-Transfer-Encoding: base64\n\n{}\n",
            encode_header(name, false).replace('\n', ""),
            rfc2231(name),
            base64_lines(bytes)
        ));
    }
    h.push_str(&format!("--{boundary}--\n"));
    h
}

fn ymd(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 12, 0)
        .single()
        .unwrap_or_default()
}

/// Writes the victim's MBOX folders and returns what they hold.
pub(crate) fn write(
    opts: &GenerateOptions,
    tenant: &Tenant,
    facts: &IncidentFacts,
    victim_mail: &[VictimMail],
    files: &mut Vec<String>,
) -> Result<MailboxTruth, Error> {
    let mut g = Gen::new(opts.seed, "mailbox", 0);
    let victim = &tenant.users[VICTIM];
    let me = (victim.upn.clone(), victim.display_name.clone());
    let colleague = |i: usize| {
        let u = &tenant.users[2 + i % (tenant.users.len() - 2)];
        (u.upn.clone(), u.display_name.clone())
    };
    let mut msgs: Vec<Msg> = Vec::new();

    // Messages of the period: the trace's messages, same Message-IDs.
    for v in victim_mail {
        let sent = v.folder == Folder::SentItems;
        let to_name = v.to.first().map(|t| t.1.as_str()).unwrap_or("");
        msgs.push(Msg {
            folder: folder_name(v.folder).into(),
            time: v.time,
            message_id: v.message_id.clone(),
            from: (v.from.clone(), v.from_name.clone()),
            to: v.to.clone(),
            cc: vec![],
            subject: v.subject.clone(),
            body: body_for(to_name, &v.from_name, &v.subject),
            attachments: vec![],
            jis: g.chance(0.5),
            offset: if sent { 7 } else { 9 },
        });
    }
    for (t, id, from, name, subject) in &facts.replies {
        msgs.push(Msg {
            folder: RULE_FOLDER.into(),
            time: *t,
            message_id: id.clone(),
            from: (from.clone(), name.clone()),
            to: vec![me.clone()],
            cc: vec![],
            subject: subject.clone(),
            body: format!("{}様\n\n先ほど届いた請求書のメールは、{}様ご本人からのものでしょうか。\n添付が開けず、念のため確認させてください。\n\n{}\n", victim.display_name, victim.display_name, name),
            attachments: vec![],
            jis: true,
            offset: 9,
        });
    }

    // Five years of older mail, outside the trace's period.
    let period_start = opts.end - Duration::days(i64::from(opts.days));
    let old_start = period_start - Duration::days(5 * 365);
    for i in 0..160u64 {
        let t = g.time_in(
            old_start,
            (period_start - old_start).num_seconds().max(1) as u64 - 86_400,
        );
        let sent = g.chance(0.4);
        let other = if g.chance(0.5) {
            mail::address_book_entry(opts.seed, g.range(0, 400))
        } else {
            colleague(i as usize)
        };
        let subject = (*g.pick(mail::SUBJECTS)).to_string();
        let (from, to, folder) = if sent {
            (me.clone(), vec![other.clone()], "送信済みアイテム")
        } else {
            (
                other.clone(),
                vec![me.clone()],
                if g.chance(0.15) {
                    "削除済みアイテム"
                } else {
                    "受信トレイ"
                },
            )
        };
        let cc = if g.chance(0.2) {
            vec![colleague(i as usize + 3)]
        } else {
            vec![]
        };
        let id = if sent || from.0.ends_with(victim.domain()) {
            mail::exo_message_id(&mut g)
        } else {
            mail::external_message_id(&mut g, from.0.split('@').nth(1).unwrap_or("example.jp"))
        };
        msgs.push(Msg {
            folder: folder.into(),
            time: t,
            message_id: id,
            body: body_for(&to[0].1, &from.1, &subject),
            from,
            to,
            cc,
            subject,
            attachments: vec![],
            jis: g.chance(0.6),
            offset: if sent && t.date_naive() >= opts.end.date_naive() - Duration::days(450) {
                7
            } else {
                9
            },
        });
    }

    // The personal-data attachments.
    let people = attachments::persons(opts.seed);
    let hr = colleague(5);
    let soumu = colleague(9);
    let mut attachment_list = Vec::new();
    let mut add = |msgs: &mut Vec<Msg>,
                   g: &mut Gen,
                   folder: &str,
                   time,
                   from: (String, String),
                   to: (String, String),
                   subject: &str,
                   body: String,
                   att: Option<Attachment>| {
        let id = mail::exo_message_id(g);
        if let Some(a) = &att {
            attachment_list.push((a.0.clone(), id.clone()));
        }
        msgs.push(Msg {
            folder: folder.into(),
            time,
            message_id: id,
            from,
            to: vec![to],
            cc: vec![],
            subject: subject.into(),
            body,
            attachments: att.into_iter().collect(),
            jis: true,
            offset: 9,
        });
    };
    let xlsx = attachments::xlsx(&people)?;
    add(
        &mut msgs,
        &mut g,
        "受信トレイ",
        ymd(2023, 1, 12, 1),
        hr.clone(),
        me.clone(),
        "【人事】扶養控除等申告書の取りまとめ（64名分）",
        body_for(&me.1, &hr.1, "扶養控除等申告書の取りまとめ"),
        Some((
            "扶養控除等申告書_取りまとめ_2023.xlsx".into(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            xlsx,
        )),
    );
    let docx = attachments::docx(&people[..20])?;
    add(
        &mut msgs,
        &mut g,
        "送信済みアイテム",
        ymd(2022, 10, 3, 5),
        me.clone(),
        hr.clone(),
        "住所変更届一覧の送付",
        body_for(&hr.1, &me.1, "住所変更届一覧"),
        Some((
            "住所変更届一覧.docx".into(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            docx,
        )),
    );
    // Outlook labels a .csv as Excel's type when Excel is installed; the bytes stay CP932.
    let csv = attachments::cp932_csv(&people[24..]);
    add(
        &mut msgs,
        &mut g,
        "受信トレイ",
        ymd(2024, 4, 8, 0),
        soumu.clone(),
        me.clone(),
        "緊急連絡網の更新（2024年度）",
        body_for(&me.1, &soumu.1, "緊急連絡網の更新"),
        Some((
            "緊急連絡網_2024.csv".into(),
            "application/vnd.ms-excel",
            csv,
        )),
    );
    let (decoy_text, _) = attachments::decoy_order(opts.seed);
    let partner = mail::address_book_entry(opts.seed, 399);
    add(
        &mut msgs,
        &mut g,
        "受信トレイ",
        ymd(2025, 3, 14, 2),
        partner,
        me.clone(),
        "注文書送付の件",
        decoy_text.clone(),
        Some((
            "注文書_2025-03.txt".into(),
            "text/plain; charset=\"UTF-8\"",
            decoy_text.into_bytes(),
        )),
    );

    // Write one MBOX per folder, oldest first.
    msgs.sort_by(|a, b| a.time.cmp(&b.time).then(a.message_id.cmp(&b.message_id)));
    let mut by_folder: BTreeMap<String, Vec<&Msg>> = BTreeMap::new();
    for m in &msgs {
        by_folder.entry(m.folder.clone()).or_default().push(m);
    }
    let mut addresses = BTreeSet::new();
    let mut file_pairs = Vec::new();
    let mut counts = Vec::new();
    let dir = format!("mailbox/{}", victim.upn);
    for (folder, list) in &by_folder {
        let rel = format!("{dir}/{folder}.mbox");
        let path = opts.out.join(&rel);
        let mut w = create(&path)?;
        for m in list {
            addresses.insert(m.from.0.clone());
            addresses.extend(m.to.iter().map(|t| t.0.clone()));
            addresses.extend(m.cc.iter().map(|t| t.0.clone()));
            let text =
                mbox_from_line(&m.from.0, m.time) + &mboxrd_escape(&render(m, &mut g)) + "\n";
            std::io::Write::write_all(&mut w, text.as_bytes()).map_err(|e| Error::io(&path, e))?;
        }
        std::io::Write::flush(&mut w).map_err(|e| Error::io(&path, e))?;
        files.push(rel.clone());
        file_pairs.push((folder.clone(), rel));
        counts.push((folder.clone(), list.len()));
    }
    if opts.mailbox_pst {
        files.push(crate::mailbox_pst::write(
            opts,
            &victim.display_name,
            &msgs,
        )?);
    }
    Ok(MailboxTruth {
        files: file_pairs,
        messages_per_folder: counts,
        persons: PERSONS,
        categories: CATEGORIES.iter().map(|s| s.to_string()).collect(),
        my_number_found: false,
        unique_addresses: addresses.len(),
        attachments: attachment_list,
    })
}

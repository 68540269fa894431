//! Tests of the message parser: both ways (fast and mail-parser alone) give the same
//! `MailMessage`, on the corpus, the evaluation set and hand-made edge messages.

use super::*;

fn origin() -> Origin<'static> {
    Origin {
        source: "t.eml",
        record: 0,
        format: "eml",
        folder: None,
    }
}

#[test]
fn text_attachments_keep_their_bytes_in_every_transfer_encoding() {
    // 氏名,電話 in Shift_JIS, then a second line: what Excel writes for a Japanese CSV.
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("氏名,電話\r\n山田 太郎,090-1234-5678\r\n");
    let sjis = sjis.into_owned();
    let b64 = {
        let mut s = String::new();
        mail_parser_b64(&sjis, &mut s);
        s
    };
    let qp: String = sjis
        .iter()
        .map(|b| match b {
            b'\r' | b'\n' => (*b as char).to_string(),
            33..=60 | 62..=126 => (*b as char).to_string(),
            _ => format!("={b:02X}"),
        })
        .collect();
    let mut raw: Vec<u8> = b"From: a@example.co.jp\r\nTo: b@example.co.jp\r\nSubject: x\r\n\
MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"B\"\r\n\r\n--B\r\n\
Content-Type: text/plain; charset=utf-8\r\n\r\nbody\r\n"
        .to_vec();
    for (name, cte, body) in [
        ("a.csv", "base64", b64.into_bytes()),
        ("b.csv", "quoted-printable", qp.into_bytes()),
        ("c.csv", "8bit", sjis.clone()),
    ] {
        raw.extend_from_slice(
            format!(
                "--B\r\nContent-Type: text/csv\r\nContent-Transfer-Encoding: {cte}\r\n\
Content-Disposition: attachment; filename=\"{name}\"\r\n\r\n"
            )
            .as_bytes(),
        );
        raw.extend_from_slice(&body);
        raw.extend_from_slice(b"\r\n");
    }
    raw.extend_from_slice(b"--B--\r\n");
    let m = parse_message(&raw, origin()).expect("parses");
    let got: Vec<(Option<&str>, &[u8])> = m
        .attachments
        .iter()
        .map(|a| (a.filename.as_deref(), a.data.as_slice()))
        .collect();
    assert_eq!(got.len(), 3);
    for (name, data) in got {
        assert_eq!(data, &sjis[..], "{name:?}");
    }
}

/// Every `.eml` of the public corpora (Stalwart's mail-parser test messages, Sisimai's
/// bounces), the content evaluation set, and hand-made messages on the edges of the fast
/// way give the same message both ways; the fast way and the fallback both really occur.
#[test]
fn fast_way_gives_the_same_message_as_mail_parser_alone() {
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/corpus");
    let mut inputs: Vec<(String, Vec<u8>)> = Vec::new();
    let mut stack = vec![
        corpus.join("stalwart-mail-parser"),
        corpus.join("sisimai-set-of-emails"),
    ];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).expect("corpus folder").flatten() {
            let path = e.path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|x| x == "eml") {
                let bytes = std::fs::read(&path).expect("corpus file");
                inputs.push((path.display().to_string(), bytes));
            }
        }
    }
    assert!(inputs.len() > 400, "corpus not found: {}", inputs.len());
    for seed in [1, 2, 3] {
        for (i, c) in crate::eval::generate(seed).into_iter().enumerate() {
            inputs.push((format!("eval {seed}/{i}"), c.raw));
        }
    }
    for (i, raw) in edge_messages().into_iter().enumerate() {
        inputs.push((format!("edge {i}"), raw));
    }
    let (mut fast_way, mut fallback) = (0, 0);
    for (name, raw) in &inputs {
        match skeleton::parse(raw, origin()) {
            Some(_) => fast_way += 1,
            None => fallback += 1,
        }
        assert_eq!(
            parse_message(raw, origin()),
            parse_message_ordinary(raw, origin()),
            "{name}"
        );
    }
    assert!(fast_way > 300 && fallback > 40, "{fast_way} {fallback}");
}

/// The fast way is taken where it should be: base64 bodies next to quoted-printable ones,
/// base64 text in any charset, a single-part base64 message; and not where a cut run
/// would not land as a whole base64 body.
#[test]
fn fast_way_is_taken_for_base64_bodies_only() {
    let edges = edge_messages();
    let fast = |i: usize| skeleton::parse(&edges[i], origin()).is_some();
    for i in [0, 1, 2, 3, 9, 10, 11, 12, 13, 14, 16, 17, 18, 20] {
        assert!(fast(i), "edge {i} should take the fast way");
    }
    for i in [4, 5, 6, 7, 8, 15, 19] {
        assert!(!fast(i), "edge {i} should be parsed by mail-parser alone");
    }
}

/// Messages on the edges of the fast way: every one of them either takes it correctly or
/// falls back.
fn edge_messages() -> Vec<Vec<u8>> {
    let b64 = |data: &[u8]| {
        let mut s = String::new();
        mail_parser_b64(data, &mut s);
        s
    };
    let part = |headers: &str, body: &str| format!("--B\r\n{headers}\r\n\r\n{body}\r\n");
    let multipart = |parts: &[String], close: bool| {
        let mut m = String::from(
            "From: =?UTF-8?B?5bGx55Sw?= <a@example.co.jp>\r\nTo: b@example.co.jp\r\n\
Subject: =?ISO-2022-JP?B?GyRCJEYkOSRIGyhC?=\r\nMIME-Version: 1.0\r\n\
Content-Type: multipart/mixed; boundary=\"B\"\r\n\r\n",
        );
        for p in parts {
            m.push_str(p);
        }
        if close {
            m.push_str("--B--\r\n");
        }
        m.into_bytes()
    };
    let (jis, _, _) = encoding_rs::ISO_2022_JP.encode("山田太郎様 生年月日 1980年4月1日");
    let (sjis, _, _) = encoding_rs::SHIFT_JIS.encode("<p>住所 東京都千代田区</p>");
    let text = |cs: &str, cte: &str| {
        format!("Content-Type: text/plain; charset={cs}\r\nContent-Transfer-Encoding: {cte}")
    };
    let xlsx = "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet; name=\"a.xlsx\"\r\n\
Content-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"a.xlsx\"";
    let binary: Vec<u8> = (0..=255u8).cycle().take(3000).collect();
    let nested_inner = String::from_utf8(multipart(
        &[
            part(&text("utf-8", "base64"), &b64("内側の本文".as_bytes())),
            part(xlsx, &b64(&binary)),
        ],
        true,
    ))
    .expect("ascii");
    let mut out = vec![
        // Base64 text in three charsets, an attachment, alternative bodies.
        multipart(
            &[
                part(&text("utf-8", "base64"), &b64("本文です".as_bytes())),
                part(xlsx, &b64(&binary)),
            ],
            true,
        ),
        multipart(
            &[
                part(&text("iso-2022-jp", "base64"), &b64(&jis)),
                part(
                    "Content-Type: text/html; charset=shift_jis\r\nContent-Transfer-Encoding: BASE64 ",
                    &b64(&sjis),
                ),
            ],
            true,
        ),
        multipart(
            &[part(
                "Content-Type: text/plain\r\nContent-Transfer-Encoding: base64",
                &b64(&[0xff, 0xfe, b'a', 0x80]),
            )],
            true,
        ),
        // Quoted-printable next to base64 (the fast way); a damaged base64 part (not).
        multipart(
            &[
                part(&text("utf-8", "quoted-printable"), "=E6=9C=AC=E6=96=87"),
                part(xlsx, &b64(&binary)),
            ],
            true,
        ),
        multipart(&[part(&text("utf-8", "base64"), "5pys5*paH")], true),
        multipart(&[part(xlsx, "QUJD\r\n--not the boundary\r\nQUJD")], true),
        // A base64 message/rfc822 (fallback) and a 7bit one whose parts are base64.
        multipart(
            &[part(
                "Content-Type: message/rfc822\r\nContent-Transfer-Encoding: base64",
                &b64(nested_inner.as_bytes()),
            )],
            true,
        ),
        multipart(
            &[
                part(&text("utf-8", "7bit"), "see attached"),
                part(
                    "Content-Type: message/rfc822",
                    &nested_inner
                        .replace("boundary=\"B\"", "boundary=\"C\"")
                        .replace("--B", "--C"),
                ),
            ],
            true,
        ),
        // No closing boundary; unpadded last group; transfer encoding given twice.
        multipart(
            &[part(&text("utf-8", "base64"), &b64("閉じない".as_bytes()))],
            false,
        ),
        multipart(&[part(xlsx, "QUJDRA")], true),
        multipart(
            &[part(
                "Content-Type: application/pdf\r\nContent-Transfer-Encoding: 7bit\r\nContent-Transfer-Encoding: base64",
                &b64(&binary),
            )],
            true,
        ),
        multipart(
            &[part(
                "Content-Type: application/pdf\r\nContent-Transfer-Encoding: =?utf-8?q?base64?=",
                &b64(&binary),
            )],
            true,
        ),
        // A multipart header with a transfer encoding; a multipart without a boundary.
        multipart(
            &[part(
                "Content-Type: multipart/alternative; boundary=\"A\"\r\nContent-Transfer-Encoding: base64",
                &format!(
                    "--A\r\n{}\r\n\r\n{}\r\n--A--",
                    text("utf-8", "base64"),
                    b64("代替".as_bytes())
                ),
            )],
            true,
        ),
        multipart(
            &[part(
                "Content-Type: multipart/mixed\r\nContent-Transfer-Encoding: base64",
                &b64("境界なし".as_bytes()),
            )],
            true,
        ),
    ];
    // Empty lines closing base64 bodies, as Exchange writes them (the fast way); a 7bit
    // body after headers that mention base64 (cut, lands in a 7bit part: not the fast way).
    out.push(multipart(
        &[
            part(
                &text("iso-2022-jp", "base64"),
                &format!("{}\r\n", b64(&jis)),
            ),
            part(xlsx, &format!("{}\r\n\r\n", b64(&binary))),
            part(
                "Content-Type: text/csv\r\nContent-Transfer-Encoding: base64\r\n\
Content-Disposition: attachment; filename=\"a.csv\"",
                &format!("{}\r\n", b64(&sjis)),
            ),
        ],
        true,
    ));
    out.push(multipart(
        &[part(
            "Content-Type: text/plain; name=\"base64.txt\"",
            "OnlyLetters",
        )],
        true,
    ));
    // A single-part base64 message, and one with bare LF line ends.
    out.push(format!("From: a@example.co.jp\r\nSubject: x\r\nContent-Type: application/pdf\r\nContent-Transfer-Encoding: base64\r\n\r\n{}", b64(&binary)).into_bytes());
    out.push(
        String::from_utf8(out[0].clone())
            .expect("ascii")
            .replace("\r\n", "\n")
            .into_bytes(),
    );
    // Transfer encoding given twice on a text part: the last counts (review find).
    out.push(
        b"From: a@b.c\r\nContent-Type: text/plain; charset=utf-8\r\n\
Content-Transfer-Encoding: 7bit\r\nContent-Transfer-Encoding: base64\r\n\r\n/w=="
            .to_vec(),
    );
    // A run inside a 7bit nested message (mail-parser's debug assertion fired on the
    // skeleton): not the fast way.
    out.push(
        b"Content-Type:multipart;boundary=b64\n\n--b64Content-Type:message/global\n\n\
ase64\nContent-Type:message/global\n\nN\n--b64--"
            .to_vec(),
    );
    // The single-part message ending with a line break (the run ends with the message).
    let mut ended = out[out.len() - 4].clone();
    ended.extend_from_slice(b"\r\n");
    out.push(ended);
    out
}

/// Plain RFC 4648 base64 in 76-character lines (test input only).
fn mail_parser_b64(data: &[u8], out: &mut String) {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (i, c) in data.chunks(3).enumerate() {
        let v = (u32::from(c[0]) << 16)
            | (u32::from(*c.get(1).unwrap_or(&0)) << 8)
            | u32::from(*c.get(2).unwrap_or(&0));
        for k in 0..4 {
            out.push(if k <= c.len() {
                A[((v >> (18 - 6 * k)) & 63) as usize] as char
            } else {
                '='
            });
        }
        if i % 19 == 18 {
            out.push_str("\r\n");
        }
    }
}

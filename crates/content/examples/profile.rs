//! Rough per-stage timing of parsing and analysis (debug aid; the numbers that count come
//! from `benches/mail.rs`).
use std::time::Instant;

use content::eval::{eval_context, generate};
use content::parse::{Origin, parse_message};

fn main() {
    let cases = generate(5);
    let raw: Vec<&[u8]> = cases.iter().map(|c| c.raw.as_slice()).collect();
    let bytes: usize = raw.iter().map(|r| r.len()).sum();
    let t = Instant::now();
    let mut n = 0;
    for _ in 0..5 {
        for r in &raw {
            if mail_parser::MessageParser::default().parse(*r).is_some() {
                n += 1;
            }
        }
    }
    let e = t.elapsed().as_secs_f64();
    println!(
        "mail-parser only: {n} msgs {:.1} MB/s",
        (bytes * 5) as f64 / e / 1e6
    );
    let t = Instant::now();
    let mut msgs = Vec::new();
    for _ in 0..5 {
        msgs.clear();
        for r in &raw {
            msgs.extend(parse_message(
                r,
                Origin {
                    source: "p",
                    record: 0,
                    format: "eml",
                    folder: None,
                },
            ));
        }
    }
    let e = t.elapsed().as_secs_f64();
    println!("parse_message: {:.1} MB/s", (bytes * 5) as f64 / e / 1e6);
    let filler =
        "> 先日の打ち合わせの件、資料を確認いたしました。来週の会議で詳細をご説明します。\n"
            .repeat(160);
    for m in &mut msgs {
        m.text_body.push_str(&filler);
    }
    let ctx = eval_context();
    let t = Instant::now();
    for m in &msgs {
        std::hint::black_box(content::analyze(m, &ctx));
    }
    let e = t.elapsed().as_secs_f64();
    println!("analyze: {:.0} msgs/s", msgs.len() as f64 / e);
}

//! Rough per-stage timing of parsing and analysis (debug aid; the numbers that count come
//! from `benches/mail.rs`), and the MBOX / PST runs that report peak memory:
//! `profile mbox <MB>`, `profile pst-write <MB> <file>`, `profile pst-read <file>`.
use std::time::Instant;

use content::eval::{eval_context, generate};
use content::parse::{Origin, parse_message};

/// Peak resident memory of this process (`VmHWM`), in MB.
fn peak_rss_mb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<u64>().ok())
        })
        .unwrap_or(0)
        / 1024
}

/// `profile mbox <MB>`: writes an MBOX of that size, reads it, reports MB/s and peak memory.
fn mbox(mb: u64) {
    use std::io::Write;
    let dir = std::env::temp_dir().join("mimamori-profile");
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("送信済みアイテム.mbox");
    let cases = generate(5);
    let mut f = std::io::BufWriter::new(std::fs::File::create(&path).expect("create"));
    let mut written = 0u64;
    while written < mb << 20 {
        for c in &cases {
            f.write_all(b"From x Mon Oct 13 09:00:00 2025\n")
                .expect("w");
            f.write_all(&c.raw).expect("w");
            f.write_all(b"\n\n").expect("w");
            written += c.raw.len() as u64 + 34;
        }
    }
    f.flush().expect("flush");
    drop(f);
    drop(cases);
    let before = peak_rss_mb();
    let t = Instant::now();
    let mut n = 0u64;
    content::read_mail_path(&path, &mut |r| n += u64::from(r.is_ok())).expect("read");
    let e = t.elapsed().as_secs_f64();
    println!(
        "mbox {} MB: {n} messages, {:.1} MB/s, peak RSS before {before} MB, after {} MB",
        written >> 20,
        written as f64 / e / 1e6,
        peak_rss_mb()
    );
    let _ = std::fs::remove_file(&path);
}

/// `profile pst-write <MB> <file>`: writes a PST of typical mail (synth's writer).
fn pst_write(mb: u64, path: &std::path::Path) {
    let t = Instant::now();
    let s = synth::pst::write_typical_mail(path, mb << 20, 1).expect("write PST");
    println!(
        "pst-write {} MB, {} messages in {:.1} s, peak RSS {} MB",
        s.bytes >> 20,
        s.messages,
        t.elapsed().as_secs_f64(),
        peak_rss_mb()
    );
}

/// `profile pst-read <file>`: reads a PST, reports MB/s and peak memory (`VmHWM`).
fn pst_read(path: &std::path::Path) {
    let size = std::fs::metadata(path).expect("PST file").len();
    let before = peak_rss_mb();
    let t = Instant::now();
    let (mut n, mut bad, mut bytes) = (0u64, 0u64, 0u64);
    content::read_mail_path(path, &mut |r| match r {
        Ok(m) => {
            n += 1;
            bytes += m.text_body.len() as u64;
        }
        Err(_) => bad += 1,
    })
    .expect("read");
    let e = t.elapsed().as_secs_f64();
    println!(
        "pst-read {} MB: {n} messages ({bad} errors, {} MB of text), {:.1} s, {:.1} MB/s, {:.0} messages/s, peak RSS before {before} MB, after {} MB",
        size >> 20,
        bytes >> 20,
        e,
        size as f64 / e / 1e6,
        n as f64 / e,
        peak_rss_mb()
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    match args.get(1).map(String::as_str) {
        Some("pst-write") => {
            let mb = args.get(2).and_then(|a| a.parse().ok()).unwrap_or(256);
            let path = args.get(3).map(String::as_str).unwrap_or("bench.pst");
            pst_write(mb, std::path::Path::new(path));
            return;
        }
        Some("pst-read") => {
            let path = args.get(2).map(String::as_str).unwrap_or("bench.pst");
            pst_read(std::path::Path::new(path));
            return;
        }
        _ => {}
    }
    if args.get(1).map(String::as_str) == Some("mbox") {
        mbox(args.get(2).and_then(|a| a.parse().ok()).unwrap_or(256));
        return;
    }
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

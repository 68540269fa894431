//! Writes the large generated export of `scope_export` as an MBOX file, so the whole CLI —
//! mail reader, MIME decoding, scope, scope.json — can be measured on it
//! (`scripts/bench-scope.sh`). Every message gets a fresh Message-ID; the pool of generated
//! messages is cycled until the decoded input (bodies + attachments, as `scope_export`
//! counts it) reaches the requested size.
//!
//! ```text
//! cargo run --release -p pii --example write_mbox -- OUT.mbox [MIB=1024] [SEEDS=4]
//! ```

use pii::evalgen::{benchmark_pool, mime::mbox_entry};
use std::io::Write;

fn main() {
    let mut args = std::env::args().skip(1);
    let out = args
        .next()
        .expect("usage: write_mbox OUT.mbox [MIB] [SEEDS]");
    let mib: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1024);
    let seeds: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(4);
    let pool = benchmark_pool(seeds).expect("generate");
    let target = mib << 20;
    let file = std::fs::File::create(&out).expect("create the MBOX");
    let mut w = std::io::BufWriter::with_capacity(1 << 20, file);
    let (mut fed, mut n) = (0usize, 0usize);
    while fed < target {
        let m = &pool[n % pool.len()];
        let id = format!("r{n}-{}", m.message_id.trim_matches(['<', '>']));
        w.write_all(mbox_entry(m, &id).as_bytes())
            .expect("write the MBOX");
        fed += m.body.len() + m.attachments.iter().map(|a| a.bytes.len()).sum::<usize>();
        n += 1;
    }
    w.flush().expect("write the MBOX");
    let size = std::fs::metadata(&out).map_or(0, |m| m.len());
    println!(
        "{out}: {n} messages, {fed} bytes decoded ({} MiB), {size} bytes of MBOX",
        fed >> 20
    );
}

//! Reads the paths given and prints one line per input and per reject (a quick look at what the
//! readers make of a file): `cargo run -p normalize --example summarize -- <path>…`.

use normalize::{ReadOptions, VecSink};

fn main() {
    let mut failed = false;
    for arg in std::env::args().skip(1) {
        let mut sink = VecSink::default();
        match normalize::read_path(
            std::path::Path::new(&arg),
            &ReadOptions::default(),
            &mut sink,
        ) {
            Ok(summaries) => {
                for s in summaries {
                    println!(
                        "{}\t{}\t{}\tread={} events={} rejected={}\t{}{}",
                        s.file,
                        s.format.unwrap_or("-"),
                        s.encoding.unwrap_or("-"),
                        s.read,
                        s.events,
                        s.rejected,
                        s.note
                            .as_deref()
                            .map(|n| n.chars().take(90).collect::<String>())
                            .unwrap_or_default(),
                        s.error
                            .as_deref()
                            .map(|e| format!(" ERROR: {e}"))
                            .unwrap_or_default()
                    );
                    failed |= s.error.is_some();
                }
                for r in sink.rejects {
                    println!("  reject {}:{}: {}", r.file, r.record, r.reason);
                }
            }
            Err(e) => {
                println!("{e}");
                failed = true;
            }
        }
    }
    if failed {
        std::process::exit(1);
    }
}

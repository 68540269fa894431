//! Reads one file through `read_path` with a counting sink and prints records per CPU-second
//! (user+system time of this process, so a busy machine distorts it less than wall time):
//! `cargo run --release -p normalize --example throughput -- <file>`.

use model::{Event, RecordError};
use normalize::{ReadOptions, Sink};

struct Count(u64);

impl Sink for Count {
    fn event(&mut self, event: Event) {
        self.0 += 1;
        std::hint::black_box(event);
    }
    fn reject(&mut self, _: RecordError) {}
}

/// User + system CPU seconds of this process (Linux `/proc/self/stat`, 100 ticks/s).
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map(|(_, r)| r).unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    let tick = |i: usize| f.get(i).and_then(|x| x.parse::<f64>().ok()).unwrap_or(0.0);
    (tick(11) + tick(12)) / 100.0
}

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: throughput <file>");
        std::process::exit(2);
    };
    let start = cpu_seconds();
    let mut sink = Count(0);
    let s = normalize::read_path(
        std::path::Path::new(&path),
        &ReadOptions::default(),
        &mut sink,
    );
    let cpu = cpu_seconds() - start;
    let rejected: u64 = s.iter().flatten().map(|x| x.rejected).sum();
    println!(
        "{} events, {} rejected, {:.2} CPU-s, {:.0} records per CPU-second",
        sink.0,
        rejected,
        cpu,
        sink.0 as f64 / cpu.max(0.01)
    );
}

//! Runs the generator from the command line until the CLI wires it:
//! `cargo run -p synth --release --example generate -- OUT [SEED] [USERS] [DAYS]`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let out = args.get(1).cloned().unwrap_or_else(|| "synthetic".into());
    let mut o = synth::GenerateOptions::new(out);
    if let Some(s) = args.get(2) {
        o.seed = s.parse()?;
    }
    if let Some(u) = args.get(3) {
        o.users = u.parse()?;
    }
    if let Some(d) = args.get(4) {
        o.days = d.parse()?;
    }
    let started = std::time::Instant::now();
    let gt = synth::generate(&o)?;
    eprintln!(
        "wrote {} files in {:.1}s: {} sign-ins, {} UAL rows, {} trace rows",
        gt.files.len(),
        started.elapsed().as_secs_f64(),
        gt.counts.graph_sign_ins,
        gt.counts.ual_rows,
        gt.counts.message_trace_rows
    );
    Ok(())
}

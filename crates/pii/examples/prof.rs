use pii::evalgen::generate;
use std::time::Instant;
fn main() {
    let set = generate(7).expect("g");
    let opts = pii::DocumentOptions {
        reference_date: chrono::NaiveDate::from_ymd_opt(2025, 6, 1).expect("d"),
        reveal: false,
        limits: Default::default(),
    };
    for m in &set.messages {
        for a in &m.attachments {
            let t = Instant::now();
            for _ in 0..20 {
                let _ = pii::extract(&a.name, Some(a.content_type), &a.bytes, &opts.limits);
            }
            let ex = t.elapsed() / 20;
            let t = Instant::now();
            for _ in 0..20 {
                let _ = pii::scan_document(&a.name, Some(a.content_type), &a.bytes, &opts);
            }
            println!(
                "{:30} {:8} bytes extract {:?} total {:?}",
                a.name,
                a.bytes.len(),
                ex,
                t.elapsed() / 20
            );
        }
    }
    let text: String = set
        .messages
        .iter()
        .map(|m| m.body.clone())
        .collect::<Vec<_>>()
        .join("\n")
        .repeat(20);
    let t = Instant::now();
    let _ = pii::scan_document("b.txt", None, text.as_bytes(), &opts);
    println!("bodies {} bytes {:?}", text.len(), t.elapsed());
    let norm = pii::normalize::normalize_text(&text);
    let t = Instant::now();
    let _ = pii::normalize::normalize_text(&text);
    println!("normalize {:?}", t.elapsed());
    let ro = pii::recognize::RecognizeOptions {
        reference_date: opts.reference_date,
    };
    let t = Instant::now();
    let _ = pii::recognize::recognize(&norm, &ro);
    println!("recognize {:?}", t.elapsed());
}

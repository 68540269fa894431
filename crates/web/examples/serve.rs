//! Serves the dashboard over an existing database until `mimamori serve` is wired:
//! `MIMAMORI_ADMIN_PASSWORD=… cargo run -p web --example serve -- DB [LISTEN] [CASE_DIR]`.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let db = args.next().ok_or("usage: serve DB [LISTEN] [CASE_DIR]")?;
    let mut opts = web::ServeOptions::new(db.into());
    if let Some(listen) = args.next() {
        opts.listen = listen.parse()?;
    }
    opts.case_dir = args.next().map(Into::into);
    tokio::runtime::Runtime::new()?.block_on(web::serve(opts))?;
    Ok(())
}

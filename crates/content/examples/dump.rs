//! Prints the decoded messages of a mailbox path (debug aid).
fn main() {
    for arg in std::env::args().skip(1) {
        let r = content::read_mail_path(std::path::Path::new(&arg), &mut |m| match m {
            Ok(m) => println!(
                "{:?} id={:?} to={:?} date={:?} headers={}\nsubject={:?}\nfrom={:?}\ntext={:?}\nhtml={:?}\natt={:?}",
                m.folder,
                m.message_id,
                m.to,
                m.date,
                m.headers.len(),
                m.subject,
                m.from,
                m.text_body,
                m.html_body.as_deref().map(|h| &h[..h.len().min(200)]),
                m.attachments
                    .iter()
                    .map(|a| (&a.filename, &a.content_type, a.data.len()))
                    .collect::<Vec<_>>()
            ),
            Err(e) => println!("ERR {e}"),
        });
        println!("{r:?}");
    }
}

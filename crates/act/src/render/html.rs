//! Renders a [`Doc`] as one self-contained, printable HTML page: inline CSS, no script, no
//! external resource, and a Content-Security-Policy that forbids scripts and remote loads even
//! if an escaping bug ever let markup through. Every string goes through
//! [`crate::escape::html`].

use crate::doc::{Block, Doc, Inline, Spans};
use crate::escape::html as esc;
use crate::labels::Lang;

const CSS: &str = "\
body{font-family:'Hiragino Sans','Noto Sans JP','Yu Gothic',Meiryo,sans-serif;margin:2em auto;max-width:72em;\
padding:0 1em;color:#1a1a1a;line-height:1.55;font-size:14px}\
h1{font-size:1.6em;border-bottom:3px solid #333;padding-bottom:.2em}\
h2{font-size:1.3em;border-bottom:1px solid #999;margin-top:1.8em}h3{font-size:1.1em;margin-top:1.4em}\
table{border-collapse:collapse;margin:.6em 0 1.2em;width:100%}\
th,td{border:1px solid #bbb;padding:.25em .5em;text-align:left;vertical-align:top;overflow-wrap:anywhere}\
th{background:#eee}table.facts th{width:14em;background:#f6f6f6}\
code{font-family:Consolas,'Courier New',monospace;background:#f2f2f2;padding:0 .2em;border-radius:2px}\
.sev{font-weight:bold;padding:0 .4em;border-radius:3px;color:#fff}\
.sev-critical{background:#7b1fa2}.sev-high{background:#c62828}.sev-medium{background:#ef6c00}\
.sev-low{background:#1565c0}.sev-info{background:#607d8b}\
.todo{background:#fff3b0;font-weight:bold}\
.callout{border-left:5px solid #c62828;background:#fdecea;padding:.6em 1em;margin:1em 0}\
@media print{body{margin:0;max-width:none;font-size:11px}h2{page-break-after:avoid}\
tr{page-break-inside:avoid}.sev{color:#000;border:1px solid #000;background:none}}";

fn spans(out: &mut String, sp: &Spans) {
    for (i, s) in sp.iter().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        match s {
            Inline::Text(x) => out.push_str(&esc(x)),
            Inline::Strong(x) => out.push_str(&format!("<strong>{}</strong>", esc(x))),
            Inline::Code(x) => out.push_str(&format!("<code>{}</code>", esc(x))),
            Inline::Sev(sev) => out.push_str(&format!(
                "<span class=\"sev sev-{0}\">{0}</span>",
                sev.as_str()
            )),
            Inline::Todo(x) => {
                out.push_str(&format!("<span class=\"todo\">TODO({})</span>", esc(x)))
            }
        }
    }
}

/// Renders `doc` as a complete HTML document in `lang`.
pub fn render(doc: &Doc, lang: Lang) -> String {
    let mut out = String::with_capacity(16 * 1024);
    out.push_str("<!DOCTYPE html>\n<html lang=\"");
    out.push_str(lang.tag());
    out.push_str("\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n",
    );
    out.push_str(
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
    );
    out.push_str(&esc(&doc.title));
    out.push_str("</title>\n<style>");
    out.push_str(CSS);
    out.push_str("</style>\n</head>\n<body>\n<h1>");
    out.push_str(&esc(&doc.title));
    out.push_str("</h1>\n");
    for b in &doc.blocks {
        match b {
            Block::Heading(level, s) => {
                let n = (*level).clamp(1, 5) + 1;
                out.push_str(&format!("<h{n}>{}</h{n}>\n", esc(s)));
            }
            Block::Para(sp) => {
                out.push_str("<p>");
                spans(&mut out, sp);
                out.push_str("</p>\n");
            }
            Block::Callout(sp) => {
                out.push_str("<div class=\"callout\">");
                spans(&mut out, sp);
                out.push_str("</div>\n");
            }
            Block::List(items) => {
                out.push_str("<ul>\n");
                for it in items {
                    out.push_str("<li>");
                    spans(&mut out, it);
                    out.push_str("</li>\n");
                }
                out.push_str("</ul>\n");
            }
            Block::Facts(rows) => {
                out.push_str("<table class=\"facts\">\n");
                for (k, v) in rows {
                    out.push_str(&format!("<tr><th>{}</th><td>", esc(k)));
                    spans(&mut out, v);
                    out.push_str("</td></tr>\n");
                }
                out.push_str("</table>\n");
            }
            Block::Table { head, rows } => {
                out.push_str("<table>\n<thead><tr>");
                for h in head {
                    out.push_str(&format!("<th>{}</th>", esc(h)));
                }
                out.push_str("</tr></thead>\n<tbody>\n");
                for r in rows {
                    out.push_str("<tr>");
                    for c in r {
                        out.push_str("<td>");
                        spans(&mut out, c);
                        out.push_str("</td>");
                    }
                    out.push_str("</tr>\n");
                }
                out.push_str("</tbody>\n</table>\n");
            }
        }
    }
    out.push_str("</body>\n</html>\n");
    out
}

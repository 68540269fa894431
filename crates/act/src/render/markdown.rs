//! Renders a [`Doc`] as GitHub-flavoured Markdown, escaping every string with
//! [`crate::escape::markdown`].

use crate::doc::{Block, Doc, Inline, Spans};
use crate::escape::markdown as esc;

fn code_span(s: &str) -> String {
    let s = crate::escape::neutralize(s);
    // A `|` would split a table cell even inside a code span: fall back to escaped text.
    if s.contains('|') || s.trim().is_empty() {
        return esc(&s);
    }
    let longest = s.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest + 1);
    let pad = if s.starts_with('`') || s.ends_with('`') {
        " "
    } else {
        ""
    };
    format!("{fence}{pad}{s}{pad}{fence}")
}

fn spans(out: &mut String, sp: &Spans) {
    for (i, s) in sp.iter().enumerate() {
        if i > 0 && !out.ends_with(' ') {
            out.push(' ');
        }
        match s {
            Inline::Text(x) => out.push_str(&esc(x)),
            Inline::Strong(x) => {
                out.push_str("**");
                out.push_str(&esc(x));
                out.push_str("**");
            }
            Inline::Code(x) => out.push_str(&code_span(x)),
            Inline::Sev(sev) => {
                out.push_str("**");
                out.push_str(sev.as_str());
                out.push_str("**");
            }
            Inline::Todo(x) => {
                out.push_str("**TODO(");
                out.push_str(&esc(x));
                out.push_str(")**");
            }
        }
    }
}

fn span_string(sp: &Spans) -> String {
    let mut s = String::new();
    spans(&mut s, sp);
    s
}

/// Renders `doc` as Markdown.
pub fn render(doc: &Doc) -> String {
    let mut out = String::new();
    out.push_str("# ");
    out.push_str(&esc(&doc.title));
    out.push_str("\n\n");
    for b in &doc.blocks {
        match b {
            Block::Heading(level, s) => {
                let n = usize::from((*level).clamp(1, 5)) + 1;
                out.push_str(&"#".repeat(n));
                out.push(' ');
                out.push_str(&esc(s));
                out.push_str("\n\n");
            }
            Block::Para(sp) => {
                out.push_str(&span_string(sp));
                out.push_str("\n\n");
            }
            Block::Callout(sp) => {
                out.push_str("> ");
                out.push_str(&span_string(sp));
                out.push_str("\n\n");
            }
            Block::List(items) => {
                for it in items {
                    out.push_str("- ");
                    out.push_str(&span_string(it));
                    out.push('\n');
                }
                out.push('\n');
            }
            Block::Facts(rows) => {
                out.push_str("| | |\n|---|---|\n");
                for (k, v) in rows {
                    out.push_str(&format!("| {} | {} |\n", esc(k), span_string(v)));
                }
                out.push('\n');
            }
            Block::Table { head, rows } => {
                out.push('|');
                for h in head {
                    out.push_str(&format!(" {} |", esc(h)));
                }
                out.push_str("\n|");
                for _ in head {
                    out.push_str("---|");
                }
                out.push('\n');
                for r in rows {
                    out.push('|');
                    for c in r {
                        out.push_str(&format!(" {} |", span_string(c)));
                    }
                    out.push('\n');
                }
                out.push('\n');
            }
        }
    }
    out
}

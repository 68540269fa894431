//! report.md and ppc-report.md rendered by a real CommonMark + GFM-tables parser
//! (pulldown-cmark): attacker text comes out as the same text, never as markup.

mod common;

use act::escape;
use act::{Lang, ReportOptions, render_ppc_draft, render_report_md};
use pulldown_cmark::{Options, Parser, html};

fn to_html(md: &str) -> String {
    let mut out = String::new();
    let opts = Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_TASKLISTS;
    html::push_html(&mut out, Parser::new_ext(md, opts));
    out
}

/// How pulldown-cmark writes text: `&`, `<`, `>` escaped.
fn as_rendered_text(s: &str) -> String {
    escape::neutralize(s)
        .trim()
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

const NASTY: &[&str] = &[
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(2)>",
    "<!-- hidden --> visible",
    "<div onclick=\"x\">d</div>",
    "**bold** and _it_ and ~~struck~~",
    "[click](javascript:alert(1))",
    "![img](http://evil.example/x.png)",
    "<https://evil.example/autolink>",
    "`code` and ``more``",
    "a | b | c",
    "# heading",
    "- item",
    "+ item",
    "1. item",
    "1) item",
    "> quote",
    "---",
    "===",
    "***",
    "    indented code",
    "&lt;b&gt; &amp; &#x3C;",
    "back\\slash\\",
    "line one\n# line two\n- three",
    "[ref]: http://evil.example",
    "\u{202E}fdp.exe",
    "請求書<script>のご確認</script>",
];

#[test]
fn nasty_strings_render_as_themselves_in_lists_cells_and_paragraphs() {
    for s in NASTY {
        let esc = escape::markdown(s);
        let expected = as_rendered_text(s);
        for (shape, md) in [
            ("paragraph", format!("{esc}\n")),
            ("list", format!("- {esc}\n")),
            ("table", format!("| h |\n|---|\n| {esc} |\n")),
            ("heading", format!("## {esc}\n")),
        ] {
            let out = to_html(&md);
            assert!(
                out.contains(&expected),
                "{shape}: {s:?} → {md:?} → {out:?}, expected text {expected:?}"
            );
            for tag in [
                "<script",
                "<img",
                "<a ",
                "<div",
                "<em>",
                "<strong>",
                "<del>",
                "<code>",
                "<pre>",
                "<h1>",
                "<ol",
                "<blockquote>",
                "<hr",
            ] {
                assert!(!out.contains(tag), "{shape}: {s:?} produced {tag}: {out:?}");
            }
            if shape == "table" {
                assert_eq!(
                    out.matches("<td").count(),
                    1,
                    "table: {s:?} split the cell: {out:?}"
                );
            }
        }
    }
}

#[test]
fn code_spans_with_backticks_and_pipes_stay_inert() {
    // Inline code is used for ids, IPs and command lines; the command line is user-controlled.
    let mut c = common::case();
    c.command_line = "mimamori investigate `<script>x</script>` | tee =1".into();
    let md = render_report_md(&c, &ReportOptions::new(Lang::Ja));
    let out = to_html(&md);
    assert!(!out.to_lowercase().contains("<script"));
    assert!(out.contains("&lt;script&gt;x&lt;/script&gt;"));
}

#[test]
fn whole_reports_render_inert_through_commonmark() {
    let c = common::case();
    for lang in [Lang::Ja, Lang::En] {
        let opts = ReportOptions {
            lang,
            reveal: true,
            sample_rows: None,
        };
        for (name, md) in [
            ("report.md", render_report_md(&c, &opts)),
            ("ppc-report.md", render_ppc_draft(&c, lang)),
        ] {
            let out = to_html(&md);
            let lower = out.to_lowercase();
            assert!(!lower.contains("<script"), "{name} ({lang:?}) has <script");
            assert!(!lower.contains("<img"), "{name} ({lang:?}) has <img");
            assert!(!lower.contains("<a "), "{name} ({lang:?}) has a link");
        }
        let out = to_html(&render_report_md(&c, &opts));
        assert!(
            out.contains(&as_rendered_text(common::SCRIPT_SUBJECT)),
            "subject rendered as text"
        );
        assert!(
            out.contains(&as_rendered_text(common::SCRIPT_UA)),
            "user agent rendered as text"
        );
        assert!(
            out.contains(&format!(
                "<td>{}</td>",
                as_rendered_text(common::FORMULA_SUBJECT)
            )),
            "pipe kept in one cell"
        );
    }
}

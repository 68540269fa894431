//! report.html parsed by a browser-grade HTML parser (html5ever via scraper): attacker text
//! creates no element and reads back as exactly the text it was.

mod common;

use act::{Lang, ReportOptions, render_report_html};
use scraper::{Html, Selector};

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("selector")
}

#[test]
fn report_html_has_no_active_content_and_keeps_attacker_text() {
    let c = common::case();
    for lang in [Lang::Ja, Lang::En] {
        let opts = ReportOptions {
            lang,
            reveal: true,
            sample_rows: None,
        };
        let page = Html::parse_document(&render_report_html(&c, &opts));
        for tag in [
            "script", "img", "a", "iframe", "object", "embed", "link", "form", "input", "svg",
        ] {
            assert_eq!(page.select(&sel(tag)).count(), 0, "{lang:?}: found <{tag}>");
        }
        // Only our own attributes exist: class, lang, charset, http-equiv, content, name.
        for el in page.select(&sel("*")) {
            for (name, _) in el.value().attrs() {
                assert!(
                    ["class", "lang", "charset", "http-equiv", "content", "name"].contains(&name),
                    "{lang:?}: unexpected attribute {name} on <{}>",
                    el.value().name()
                );
            }
        }
        let cells: Vec<String> = page
            .select(&sel("td"))
            .map(|td| td.text().collect::<String>())
            .collect();
        for needle in [
            common::SCRIPT_SUBJECT,
            common::FORMULA_SUBJECT,
            common::REVEALED_RECIPIENT,
        ] {
            assert!(
                cells.iter().any(|c| c == needle),
                "{lang:?}: no cell reads {needle:?}"
            );
        }
        assert!(
            cells.iter().any(|c| c.contains(common::SCRIPT_UA)),
            "{lang:?}: the user agent is not shown as text"
        );
        assert!(
            cells
                .iter()
                .any(|c| c.contains("<img src=x onerror=alert(2)>")),
            "{lang:?}: rule name as text"
        );
        let csp = page
            .select(&sel("meta[http-equiv]"))
            .filter_map(|m| m.value().attr("content"))
            .collect::<Vec<_>>();
        assert_eq!(csp, vec!["default-src 'none'; style-src 'unsafe-inline'"]);
    }
}

#[test]
fn bidi_overrides_and_newlines_cannot_reshape_a_cell() {
    let mut c = common::case();
    c.hidden_sends[0].subject = Some("invoice\u{202E}fdp.exe\n<b>x</b>".into());
    let page = Html::parse_document(&render_report_html(&c, &ReportOptions::new(Lang::Ja)));
    assert_eq!(page.select(&sel("b")).count(), 0);
    let cells: Vec<String> = page
        .select(&sel("td"))
        .map(|td| td.text().collect::<String>())
        .collect();
    assert!(
        cells.iter().any(|c| c == "invoice\u{FFFD}fdp.exe <b>x</b>"),
        "{cells:?}"
    );
}

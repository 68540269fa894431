//! The masked generic view of a JSON document, for `scope.json` parts (or shapes) the scope
//! page does not know field by field.
//!
//! Rules: a field whose name suggests personal data (name, value, match, address, phone,
//! person, …) is shown only as a count; runs of 7+ digits are masked in any text and number;
//! file paths are shown as their extension only (file names often carry people's names, e.g.
//! `履歴書_氏名.pdf`); everything else is escaped text. Depth and rows are capped.

use serde_json::Value;

use crate::html::Html;
use crate::i18n::Lang;

/// Rows shown per array.
const MAX_ROWS: usize = 200;
/// Nesting shown.
const MAX_DEPTH: usize = 5;

/// Field-name fragments that mark personal data: such fields are shown as counts only.
const SENSITIVE: [&str; 18] = [
    "person",
    "people",
    "name",
    "value",
    "sample",
    "match",
    "snippet",
    "text",
    "excerpt",
    "context",
    "address",
    "phone",
    "email",
    "birth",
    "my_number",
    "mynumber",
    "account",
    "card",
];

/// True when a field of this name may hold personal data.
fn sensitive(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    SENSITIVE.iter().any(|s| key.contains(s))
}

/// True for a field holding a file path or name.
fn is_path_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    key.contains("path") || key.contains("file")
}

/// `(…).xlsx` for `名簿/山田.xlsx`: the extension says what kind of file it was without
/// repeating a name the file name may carry.
pub fn extension_only(path: &str) -> String {
    let last = path.rsplit(['/', '\\', '!']).next().unwrap_or(path);
    match last.rsplit_once('.') {
        Some((_, ext))
            if !ext.is_empty()
                && ext.len() <= 8
                && ext.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            format!("(…).{}", ext.to_ascii_lowercase())
        }
        _ => "(…)".to_string(),
    }
}

/// Masks runs of 7 or more digits (phone numbers, My Number, account numbers) in free text.
pub fn mask_digits(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut String| {
        if run.chars().count() >= 7 {
            out.push_str("[#]");
        } else {
            out.push_str(run);
        }
        run.clear();
    };
    for c in s.chars() {
        if c.is_ascii_digit() || ('０'..='９').contains(&c) || (!run.is_empty() && c == '-') {
            run.push(c);
        } else {
            flush(&mut run, &mut out);
            out.push(c);
        }
    }
    flush(&mut run, &mut out);
    out
}

pub fn count_note(h: &mut Html, lang: Lang, n: usize) {
    h.raw("<span class=\"masked\">")
        .int(i128::try_from(n).unwrap_or(0))
        .raw(lang.t("件(非表示)", " item(s) (masked)"))
        .raw("</span>");
}

/// Renders `value` found under field `key`.
pub fn render_value(h: &mut Html, lang: Lang, key: &str, value: &Value, depth: usize) {
    let hidden = sensitive(key);
    match value {
        Value::Null => {
            h.raw("—");
        }
        Value::Bool(b) => {
            h.raw(if *b { "true" } else { "false" });
        }
        Value::Number(n) => {
            let s = n.to_string();
            if s.chars().filter(char::is_ascii_digit).count() >= 7
                && !key.contains("byte")
                && !key.contains("size")
            {
                h.raw("<span class=\"masked\">[#]</span>");
            } else {
                h.text(&s);
            }
        }
        Value::String(s) if hidden => {
            let _ = s;
            h.raw("<span class=\"masked\">")
                .raw(lang.t("(非表示)", "(masked)"))
                .raw("</span>");
        }
        Value::String(s) if is_path_key(key) => {
            h.raw("<span class=\"masked\">")
                .text(&extension_only(s))
                .raw("</span>");
        }
        Value::String(s) => {
            let shown: String = s.chars().take(300).collect();
            h.text(&mask_digits(&shown));
        }
        Value::Array(items) if hidden || depth >= MAX_DEPTH => count_note(h, lang, items.len()),
        Value::Object(map) if hidden && depth > 0 || depth >= MAX_DEPTH => {
            // An object of counts per category is safe to show; anything else is counted.
            if map.values().all(Value::is_number) {
                render_object(h, lang, map, depth);
            } else {
                count_note(h, lang, map.len());
            }
        }
        Value::Array(items) => {
            if items.iter().all(|v| !v.is_object() && !v.is_array()) {
                let mut first = true;
                for item in items.iter().take(MAX_ROWS) {
                    if !first {
                        h.raw(", ");
                    }
                    first = false;
                    render_value(h, lang, key, item, depth + 1);
                }
            } else {
                render_table(h, lang, items, depth);
            }
            if items.len() > MAX_ROWS {
                h.raw(" … (")
                    .int(i128::try_from(items.len()).unwrap_or(0))
                    .raw(")");
            }
        }
        Value::Object(map) => render_object(h, lang, map, depth),
    }
}

fn render_object(h: &mut Html, lang: Lang, map: &serde_json::Map<String, Value>, depth: usize) {
    h.raw("<dl class=\"scope-object\">");
    for (k, v) in map {
        h.raw("<dt>").text(k).raw("</dt><dd>");
        render_value(h, lang, k, v, depth + 1);
        h.raw("</dd>");
    }
    h.raw("</dl>");
}

fn render_table(h: &mut Html, lang: Lang, items: &[Value], depth: usize) {
    let mut columns: Vec<&str> = Vec::new();
    for item in items.iter().take(MAX_ROWS) {
        if let Value::Object(map) = item {
            for k in map.keys() {
                if !columns.contains(&k.as_str()) && columns.len() < 20 {
                    columns.push(k);
                }
            }
        }
    }
    h.raw("<table class=\"scope-table\"><tr>");
    for c in &columns {
        h.raw("<th>").text(c).raw("</th>");
    }
    h.raw("</tr>");
    for item in items.iter().take(MAX_ROWS) {
        h.raw("<tr>");
        match item {
            Value::Object(map) => {
                for c in &columns {
                    h.raw("<td>");
                    if let Some(v) = map.get(*c) {
                        render_value(h, lang, c, v, depth + 1);
                    }
                    h.raw("</td>");
                }
            }
            other => {
                h.raw("<td>");
                render_value(h, lang, "", other, depth + 1);
                h.raw("</td>");
            }
        }
        h.raw("</tr>");
    }
    h.raw("</table>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn personal_data_is_counted_not_shown() {
        let scope = serde_json::json!({
            "persons": 64,
            "person_list": [{"name": "山田太郎", "my_number": "123456789012"}],
            "categories": {"my_number": 3, "address": 10},
            "files": [{"path": "給与.xlsx", "persons": 12, "note": "tel 0312345678"}],
            "mailbox": "victim@example.co.jp"
        });
        let mut h = Html::new();
        render_value(&mut h, Lang::En, "", &scope, 0);
        let out = h.into_string();
        assert!(out.contains("<dt>persons</dt><dd>64</dd>"), "{out}");
        assert!(!out.contains("山田太郎"), "{out}");
        assert!(!out.contains("123456789012"), "{out}");
        assert!(!out.contains("0312345678"), "{out}");
        assert!(out.contains("1 item(s) (masked)"), "{out}");
        assert!(out.contains("(…).xlsx") && !out.contains("給与"), "{out}");
        assert!(out.contains("<dt>address</dt><dd>10</dd>"), "{out}");
    }
}

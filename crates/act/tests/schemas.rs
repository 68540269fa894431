//! The JSON Schemas in `schema/` agree with what the writers produce: every required key is
//! written, and every written key is declared.

mod common;

use std::collections::BTreeSet;

use serde_json::Value;

fn schema(name: &str) -> Value {
    let path = format!("{}/../../docs/schema/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("schema file");
    serde_json::from_str(&text).expect("schema is JSON")
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object().expect("object").keys().cloned().collect()
}

fn check(name: &str, sample: Value) {
    let s = schema(name);
    let declared = keys(&s["properties"]);
    let required: BTreeSet<String> = s["required"]
        .as_array()
        .expect("required")
        .iter()
        .map(|v| v.as_str().expect("str").to_string())
        .collect();
    let written = keys(&sample);
    for r in &required {
        assert!(written.contains(r), "{name}: required {r} is not written");
    }
    for w in &written {
        assert!(declared.contains(w), "{name}: written {w} is not declared");
    }
}

#[test]
fn schemas_match_the_writers() {
    let c = common::case();
    check(
        "incident.schema.json",
        serde_json::to_value(&c.incidents[0]).expect("json"),
    );
    check(
        "finding.schema.json",
        serde_json::to_value(&c.findings[0]).expect("json"),
    );
    check(
        "hidden_send.schema.json",
        serde_json::to_value(&c.hidden_sends[0]).expect("json"),
    );
    check(
        "mail_verdict.schema.json",
        serde_json::to_value(&c.mail_verdicts[0]).expect("json"),
    );
    check(
        "case.schema.json",
        serde_json::to_value(c.meta()).expect("json"),
    );
}

#[test]
fn timeline_schema_lists_the_csv_header_in_order() {
    let s = schema("timeline_row.schema.json");
    let required: Vec<&str> = s["required"]
        .as_array()
        .expect("required")
        .iter()
        .map(|v| v.as_str().expect("str"))
        .collect();
    assert_eq!(required, act::TIMELINE_COLUMNS.to_vec());
    let declared: Vec<String> = s["properties"]
        .as_object()
        .expect("props")
        .keys()
        .cloned()
        .collect();
    assert_eq!(declared.len(), act::TIMELINE_COLUMNS.len());
}

#[test]
fn scope_view_schema_is_valid_json_with_the_fields_read() {
    let s = schema("scope.act-view.schema.json");
    let declared = keys(&s["properties"]);
    for k in [
        "messages",
        "addresses",
        "persons",
        "my_number_found",
        "not_inspected",
        "files",
        "files_total",
        "not_inspected_total",
        "ppc_report_required",
        "ppc_reasons",
    ] {
        assert!(declared.contains(k), "{k} missing");
    }
}

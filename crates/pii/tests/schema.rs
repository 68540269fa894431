//! scope.json matches `schema/scope.schema.json`: a small validator for the JSON Schema
//! subset the schema uses (type, required, properties, additionalProperties, items, enum,
//! const, propertyNames, $ref to $defs), run on the scope of the generated evaluation set.

use pii::evalgen::generate;
use pii::{ScopeBuilder, ScopeOptions};
use serde_json::Value;

fn type_ok(t: &str, v: &Value) -> bool {
    match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "integer" => v.is_u64() || v.is_i64(),
        "number" => v.is_number(),
        "boolean" => v.is_boolean(),
        "null" => v.is_null(),
        _ => false,
    }
}

fn check(root: &Value, s: &Value, v: &Value, path: &str, errs: &mut Vec<String>) {
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        let name = r.trim_start_matches("#/$defs/");
        return check(root, &root["$defs"][name], v, path, errs);
    }
    match s.get("type") {
        Some(Value::String(t)) if !type_ok(t, v) => errs.push(format!("{path}: not {t}")),
        Some(Value::Array(ts)) if !ts.iter().any(|t| type_ok(t.as_str().unwrap_or(""), v)) => {
            errs.push(format!("{path}: type"))
        }
        _ => {}
    }
    if let Some(e) = s.get("enum").and_then(Value::as_array)
        && !e.contains(v)
    {
        errs.push(format!("{path}: {v} not in enum"));
    }
    if let Some(c) = s.get("const")
        && c != v
    {
        errs.push(format!("{path}: const"));
    }
    if let Some(min) = s.get("minimum").and_then(Value::as_i64)
        && v.as_i64().is_some_and(|x| x < min)
    {
        errs.push(format!("{path}: below minimum"));
    }
    if let Value::Object(o) = v {
        for r in s
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let k = r.as_str().unwrap_or("");
            if !o.contains_key(k) {
                errs.push(format!("{path}: missing {k}"));
            }
        }
        let props = s.get("properties").and_then(Value::as_object);
        for (k, val) in o {
            if let Some(pn) = s.get("propertyNames") {
                check(
                    root,
                    pn,
                    &Value::String(k.clone()),
                    &format!("{path}.{k}(name)"),
                    errs,
                );
            }
            match props.and_then(|p| p.get(k)) {
                Some(ps) => check(root, ps, val, &format!("{path}.{k}"), errs),
                None => match s.get("additionalProperties") {
                    Some(Value::Bool(false)) => errs.push(format!("{path}: unexpected {k}")),
                    Some(ap @ Value::Object(_)) => {
                        check(root, ap, val, &format!("{path}.{k}"), errs)
                    }
                    _ => {}
                },
            }
        }
    }
    if let (Value::Array(a), Some(items)) = (v, s.get("items")) {
        for (i, x) in a.iter().enumerate() {
            check(root, items, x, &format!("{path}[{i}]"), errs);
        }
    }
}

#[test]
fn scope_json_conforms_to_schema() {
    let schema_text = include_str!("../../../docs/schema/scope.schema.json");
    let schema: Value = serde_json::from_str(schema_text).expect("schema parses");
    let set = generate(3).expect("generate");
    let mut b = ScopeBuilder::new(ScopeOptions {
        internal_domains: vec!["example.co.jp".into()],
        ..Default::default()
    });
    for m in &set.messages {
        m.add_to(&mut b, None);
    }
    let scope = b.finish();
    // The streamed file is the same text as the in-memory one.
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("scope.json");
    scope.write_json(&path).expect("write");
    let text = std::fs::read_to_string(&path).expect("read");
    assert_eq!(text, scope.to_json().expect("json"));
    assert!(
        scope
            .write_json(&dir.path().join("no/such/dir/scope.json"))
            .is_err()
    );
    let v: Value = serde_json::from_str(&text).expect("parse");
    let mut errs = Vec::new();
    check(&schema, &schema, &v, "$", &mut errs);
    assert!(errs.is_empty(), "{errs:#?}");
    // The validator itself rejects a wrong document.
    let mut bad = v.clone();
    bad["persons"]["count"] = Value::String("many".into());
    bad["unexpected"] = Value::Bool(true);
    let mut errs = Vec::new();
    check(&schema, &schema, &bad, "$", &mut errs);
    assert_eq!(errs.len(), 2, "{errs:?}");
}

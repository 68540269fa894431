//! The JSON Schemas in `schema/` describe what `Finding` and `Incident` serialize to: every
//! serialized key is a schema property, every required property is present, and enum/pattern
//! constraints used by consumers hold (checked by hand: no schema-validator dependency).

mod support;

use detect::{Config, Engine};
use serde_json::Value;
use support::*;

fn schema(name: &str) -> Value {
    let p = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../docs/schema")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(p).expect("schema")).expect("json")
}

fn check(obj: &Value, schema: &Value) {
    let props = schema["properties"].as_object().expect("properties");
    let o = obj.as_object().expect("object");
    for k in o.keys() {
        assert!(
            props.contains_key(k),
            "serialized key `{k}` missing from schema"
        );
    }
    for r in schema["required"].as_array().expect("required") {
        assert!(
            o.contains_key(r.as_str().expect("str")),
            "required `{r}` not serialized"
        );
    }
    let sev = obj["severity"].as_str().expect("severity");
    assert!(["info", "low", "medium", "high", "critical"].contains(&sev));
}

#[test]
fn findings_and_incidents_match_their_schemas() {
    let events = Builder::new("sch")
        .history(USER, 0, 10)
        .sign_in(
            at(10, 0),
            USER,
            ATTACKER_IP,
            NEW_YORK,
            0,
            "Authenticated SMTP",
            false,
        )
        .cmdlet(
            at(10, 10),
            USER,
            ATTACKER_IP,
            "New-InboxRule",
            &[("Name", "."), ("MoveToFolder", "RSS フィード")],
        )
        .done();
    let cfg = Config {
        locations: vec![detect::ExpectedLocation {
            user: "*".into(),
            country: "JP".into(),
            from: None,
            to: None,
            note: String::new(),
        }],
        ..Config::default()
    };
    let mut engine = Engine::new(cfg);
    for e in &events {
        engine.observe(e);
    }
    let (findings, incidents) = engine.finish();
    assert!(!findings.is_empty() && !incidents.is_empty());
    let fs = schema("finding.schema.json");
    for f in &findings {
        let v = serde_json::to_value(f).expect("ser");
        check(&v, &fs);
        assert_eq!(f.id.len(), 32);
        assert!(
            f.incident_id
                .as_deref()
                .is_some_and(|i| i.starts_with("inc-"))
        );
    }
    let is = schema("incident.schema.json");
    for i in &incidents {
        check(&serde_json::to_value(i).expect("ser"), &is);
    }
}

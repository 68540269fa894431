//! Merging two copies of one record ("nothing lost", 欠落なし).
//!
//! Two exports of the same record (same tenant, kind and natural id) can carry different
//! fields: the `Get-MessageTraceV2` CSV row of a message has no submitting client IP while the
//! historical-search extended report row of the same message and recipient has `client_ip`; a
//! portal CSV sign-in may carry authentication details the Graph copy lacks, or the reverse. The
//! store keeps the first copy as the primary and fills from later copies every field the stored
//! one lacks. The merge works on the typed JSON of `model::EventKind`, so it needs no change
//! when the model gains fields: a value is *empty* when it is `null`, absent, `""` or `[]`;
//! objects are merged key by key, recursively; a present value is never overwritten.

use serde_json::Value;

/// Whether `v` carries nothing: `null`, `""` or `[]`. (An object is merged key by key instead.)
fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

/// Fills every empty or absent field of `stored` from `incoming`, recursing into objects;
/// returns whether anything changed. Present values of `stored` are never replaced.
pub fn fill_missing(stored: &mut Value, incoming: &Value) -> bool {
    match (stored, incoming) {
        (Value::Object(s), Value::Object(i)) => {
            let mut changed = false;
            for (key, value) in i {
                match s.get_mut(key) {
                    Some(existing) => changed |= fill_missing(existing, value),
                    None if !is_empty(value) => {
                        s.insert(key.clone(), value.clone());
                        changed = true;
                    }
                    None => {}
                }
            }
            changed
        }
        (s, i) if is_empty(s) && !is_empty(i) => {
            *s = i.clone();
            true
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fills_null_absent_and_empty_values_recursively() {
        let mut stored = json!({
            "a": null, "b": "", "c": [], "d": {"x": null, "y": 1}, "keep": "v"
        });
        let incoming = json!({
            "a": 1, "b": "text", "c": [1], "d": {"x": "filled", "y": 2, "z": true},
            "keep": "other", "new": "added", "nothing": null
        });
        assert!(fill_missing(&mut stored, &incoming));
        assert_eq!(
            stored,
            json!({
                "a": 1, "b": "text", "c": [1], "d": {"x": "filled", "y": 1, "z": true},
                "keep": "v", "new": "added"
            })
        );
    }

    #[test]
    fn present_values_are_never_overwritten_and_empty_incoming_changes_nothing() {
        let original = json!({"a": 0, "b": false, "c": [2], "d": "x", "e": {"f": "g"}});
        let mut stored = original.clone();
        let incoming = json!({"a": 5, "b": true, "c": [3, 4], "d": "y", "e": {"f": "h"}});
        assert!(!fill_missing(&mut stored, &incoming));
        assert_eq!(stored, original);
        let empty = json!({"a": null, "c": [], "d": "", "e": {"f": null}, "z": null});
        assert!(!fill_missing(&mut stored, &empty));
        assert_eq!(stored, original);
    }
}

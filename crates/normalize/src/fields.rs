//! Field access that tolerates Microsoft's spellings of one name.
//!
//! The same field arrives camelCase (Graph, Event Hub `properties`), PascalCase (Log Analytics,
//! Management Activity API) or lower-case (some SIEM exports), and a JSON object or array may
//! arrive as JSON text inside a string (Log Analytics CSV cells, `AuditData`). These helpers
//! look a name up in all three spellings and parse JSON-in-strings on demand.

use std::borrow::Cow;

use serde_json::{Map, Value};

type Obj = Map<String, Value>;

/// The value of the first of `keys` present, each tried as given, then Pascal-cased
/// (`userPrincipalName` → `UserPrincipalName`), camel-cased (`RecipientAddress` →
/// `recipientAddress`), then lower-cased (`clientip`). Acronym spellings
/// (`IPAddress`) are passed as extra keys. The variants are built on the stack: no allocation.
pub(crate) fn get<'a>(o: &'a Obj, keys: &[&str]) -> Option<&'a Value> {
    for k in keys {
        if let Some(v) = o.get(*k) {
            return Some(v);
        }
    }
    let mut buf = [0u8; 64];
    for k in keys {
        let b = k.as_bytes();
        if b.is_empty() || b.len() > buf.len() || !k.is_ascii() {
            continue;
        }
        let tmp = &mut buf[..b.len()];
        tmp.copy_from_slice(b);
        tmp[0] = tmp[0].to_ascii_uppercase();
        if tmp[0] != b[0]
            && let Ok(pascal) = std::str::from_utf8(tmp)
            && let Some(v) = o.get(pascal)
        {
            return Some(v);
        }
        tmp[0] = tmp[0].to_ascii_lowercase();
        if tmp[0] != b[0]
            && let Ok(camel) = std::str::from_utf8(tmp)
            && let Some(v) = o.get(camel)
        {
            return Some(v);
        }
        tmp.make_ascii_lowercase();
        if tmp != b
            && let Ok(lower) = std::str::from_utf8(tmp)
            && let Some(v) = o.get(lower)
        {
            return Some(v);
        }
    }
    None
}

/// A non-empty trimmed string (numbers and booleans as text); `null`/blank → `None`.
pub(crate) fn text(o: &Obj, keys: &[&str]) -> Option<String> {
    match get(o, keys)? {
        Value::String(s) => {
            let t = s.trim();
            (!t.is_empty()).then(|| t.to_string())
        }
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Like [`text`], lower-cased (user principal names, mail addresses).
pub(crate) fn lower(o: &Obj, keys: &[&str]) -> Option<String> {
    text(o, keys).map(|s| s.to_lowercase())
}

/// An integer from a number or numeric string.
pub(crate) fn int(o: &Obj, keys: &[&str]) -> Option<i64> {
    match get(o, keys)? {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().map(|f| f as i64)),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// A boolean from `true`/`"True"`/`"TRUE"`/`1`.
pub(crate) fn boolean(o: &Obj, keys: &[&str]) -> Option<bool> {
    match get(o, keys)? {
        Value::Bool(b) => Some(*b),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" | "yes" => Some(true),
            "false" | "0" | "no" => Some(false),
            _ => None,
        },
        Value::Number(n) => n.as_i64().map(|i| i != 0),
        _ => None,
    }
}

/// An object, or a string holding one as JSON.
pub(crate) fn object<'a>(o: &'a Obj, keys: &[&str]) -> Option<Cow<'a, Obj>> {
    match get(o, keys)? {
        Value::Object(m) => Some(Cow::Borrowed(m)),
        Value::String(s) => match serde_json::from_str::<Value>(s) {
            Ok(Value::Object(m)) => Some(Cow::Owned(m)),
            _ => None,
        },
        _ => None,
    }
}

/// An array, or a string holding one as JSON.
pub(crate) fn array<'a>(o: &'a Obj, keys: &[&str]) -> Option<Cow<'a, [Value]>> {
    match get(o, keys)? {
        Value::Array(a) => Some(Cow::Borrowed(a.as_slice())),
        Value::String(s) => match serde_json::from_str::<Value>(s) {
            Ok(Value::Array(a)) => Some(Cow::Owned(a)),
            _ => None,
        },
        _ => None,
    }
}

/// Parses strings that hold a JSON object or array in place (top level only); text that is not
/// valid JSON stays as it was.
pub(crate) fn parse_json_strings(o: &mut Obj) {
    for v in o.values_mut() {
        if let Value::String(s) = v {
            let t = s.trim_start();
            if (t.starts_with('{') || t.starts_with('['))
                && let Ok(parsed) = serde_json::from_str::<Value>(s)
                && (parsed.is_object() || parsed.is_array())
            {
                *v = parsed;
            }
        }
    }
}

/// Folds a `[{Name, Value}, …]` array into `{Name: Value, …}`. `ModifiedProperties` items
/// (`Name`, `NewValue`, `OldValue`) fold to `{Name: {NewValue, OldValue}}`. A repeated name
/// collects its values into an array. Returns `None` (leave as is) when an item has no name.
pub(crate) fn fold_name_value(items: &[Value]) -> Option<Value> {
    let mut out = Map::new();
    let mut collected = std::collections::HashSet::new();
    for item in items {
        let m = item.as_object()?;
        let name = text(m, &["Name", "name", "key", "Key"])?;
        let value = match get(m, &["Value", "value"]) {
            Some(v) => v.clone(),
            None => {
                let mut mv = m.clone();
                mv.retain(|k, _| !k.eq_ignore_ascii_case("name"));
                Value::Object(mv)
            }
        };
        match out.get_mut(&name) {
            None => {
                out.insert(name, value);
            }
            Some(prev) => {
                if collected.contains(&name) {
                    if let Value::Array(list) = prev {
                        list.push(value);
                    }
                } else {
                    let first = prev.take();
                    *prev = Value::Array(vec![first, value]);
                    collected.insert(name);
                }
            }
        }
    }
    Some(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn spellings_and_json_in_strings() {
        let v =
            json!({"CreationTime":"x","clientip":"1.2.3.4","Status":"{\"errorCode\":0}","n":"42"});
        let o = v.as_object().expect("obj");
        assert_eq!(text(o, &["creationTime"]).as_deref(), Some("x"));
        assert_eq!(text(o, &["ClientIP"]).as_deref(), Some("1.2.3.4"));
        assert_eq!(int(o, &["N"]), Some(42));
        assert_eq!(
            object(o, &["status"]).and_then(|m| int(&m, &["errorCode"])),
            Some(0)
        );
    }

    #[test]
    fn folds_name_value_arrays() {
        let v = json!([{"Name":"a","Value":"1"},{"Name":"b","Value":"2"},{"Name":"a","Value":"3"}]);
        assert_eq!(
            fold_name_value(v.as_array().expect("arr")),
            Some(json!({"a":["1","3"],"b":"2"}))
        );
        let m = json!([{"Name":"X","NewValue":"n","OldValue":"o"}]);
        assert_eq!(
            fold_name_value(m.as_array().expect("arr")),
            Some(json!({"X":{"NewValue":"n","OldValue":"o"}}))
        );
        assert_eq!(fold_name_value(json!([1]).as_array().expect("arr")), None);
    }
}

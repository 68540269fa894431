//! Reading a large JSON document without holding its long lists: `scope.json` of a large
//! mailbox lists every file with personal data and every file not inspected (a 1 GiB export:
//! ~91,000 and ~52,000 entries, 45 MB), while the dashboard and the reports show a few hundred.
//! The document is parsed as a stream: the top-level object is kept, except that the named
//! lists keep their first `keep` entries and the rest is only counted (into `{name}_total`
//! when the document does not give one). Memory is then bounded by the entries kept,
//! whatever the file's size. Any other shape is kept whole.

use serde::Deserialize as _;
use serde::de::value::{MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

/// The lists of `scope.json` that grow with the mailbox.
pub const SCOPE_LONG_LISTS: [&str; 3] = ["files", "not_inspected", "person_list"];

/// Parses a JSON document from `reader`, keeping the first `keep` entries of each top-level
/// list named in `lists` (and its length as `{name}_total`).
pub fn read_capped(
    reader: impl std::io::Read,
    lists: &[&str],
    keep: usize,
) -> Result<Value, String> {
    let mut de = serde_json::Deserializer::from_reader(reader);
    let v = TopVisitor { lists, keep }
        .deserialize(&mut de)
        .map_err(|e| format!("not JSON: {e}"))?;
    de.end().map_err(|e| format!("not JSON: {e}"))?;
    Ok(v)
}

/// The top-level value: an object whose long lists are cut, or any other JSON value as is.
struct TopVisitor<'a> {
    lists: &'a [&'a str],
    keep: usize,
}

impl<'de> DeserializeSeed<'de> for TopVisitor<'_> {
    type Value = Value;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TopVisitor<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut out = Map::new();
        let mut totals = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if self.lists.contains(&key.as_str()) {
                let (kept, total) = map.next_value_seed(CappedList(self.keep))?;
                totals.push((format!("{key}_total"), total));
                out.insert(key, kept);
            } else {
                let v: Value = map.next_value()?;
                out.insert(key, v);
            }
        }
        for (k, total) in totals {
            out.entry(k).or_insert_with(|| Value::from(total));
        }
        Ok(Value::Object(out))
    }

    // Any other top-level value is kept whole (the page then says it is not a scope).
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Value, A::Error> {
        Value::deserialize(SeqAccessDeserializer::new(seq))
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
}

/// A long list: its first `.0` entries and its length. A value that is not a list is kept as
/// it is (length 0).
struct CappedList(usize);

impl<'de> DeserializeSeed<'de> for CappedList {
    type Value = (Value, u64);
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(Value, u64), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for CappedList {
    type Value = (Value, u64);

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a list")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(Value, u64), A::Error> {
        let mut kept = Vec::new();
        let mut total = 0u64;
        while total < self.0 as u64 {
            match seq.next_element::<Value>()? {
                Some(x) => kept.push(x),
                None => return Ok((Value::Array(kept), total)),
            }
            total += 1;
        }
        while seq.next_element::<IgnoredAny>()?.is_some() {
            total += 1;
        }
        Ok((Value::Array(kept), total))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(Value, u64), A::Error> {
        let v = Value::deserialize(MapAccessDeserializer::new(map))?;
        Ok((v, 0))
    }
    fn visit_bool<E>(self, v: bool) -> Result<(Value, u64), E> {
        Ok((Value::Bool(v), 0))
    }
    fn visit_i64<E>(self, v: i64) -> Result<(Value, u64), E> {
        Ok((Value::from(v), 0))
    }
    fn visit_u64<E>(self, v: u64) -> Result<(Value, u64), E> {
        Ok((Value::from(v), 0))
    }
    fn visit_f64<E>(self, v: f64) -> Result<(Value, u64), E> {
        Ok((Value::from(v), 0))
    }
    fn visit_str<E>(self, v: &str) -> Result<(Value, u64), E> {
        Ok((Value::from(v), 0))
    }
    fn visit_unit<E>(self) -> Result<(Value, u64), E> {
        Ok((Value::Null, 0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn long_lists_keep_their_first_entries_and_their_length() {
        let files: Vec<Value> = (0..1200)
            .map(|i| json!({"path": format!("f{i}.xlsx"), "persons": 1}))
            .collect();
        let doc = json!({
            "schema_version": 1,
            "persons": {"count": 3},
            "files": files,
            "not_inspected": [{"path": "a.zip", "reason": "encrypted_zip"}],
            "not_inspected_total": 7,
            "person_list": []
        });
        let v = read_capped(doc.to_string().as_bytes(), &SCOPE_LONG_LISTS, 500).expect("reads");
        assert_eq!(v["files"].as_array().map(Vec::len), Some(500));
        assert_eq!(v["files"][499]["path"], "f499.xlsx");
        assert_eq!(v["files_total"], 1200);
        assert_eq!(v["not_inspected_total"], 7, "a total in the file wins");
        assert_eq!(v["person_list_total"], 0);
        assert_eq!(v["persons"]["count"], 3);
    }

    #[test]
    fn other_shapes_are_kept_and_broken_json_is_an_error() {
        let v = read_capped(
            br#"{"files": {"a": 1}, "x": [1, 2]}"#.as_slice(),
            &["files"],
            5,
        )
        .expect("reads");
        assert_eq!(v["files"]["a"], 1);
        assert_eq!(v["x"], json!([1, 2]));
        assert_eq!(
            read_capped(b"[1, 2]".as_slice(), &["files"], 5).expect("reads"),
            json!([1, 2])
        );
        let e = read_capped(br#"{"files": [1, 2"#.as_slice(), &["files"], 5).expect_err("broken");
        assert!(e.starts_with("not JSON"), "{e}");
        assert!(read_capped(br#"{"a": 1} {"b": 2}"#.as_slice(), &["files"], 5).is_err());
    }
}

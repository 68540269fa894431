//! Streaming JSON: records one at a time, whatever the envelope.
//!
//! Accepted shapes (memory stays bounded by one record, never by the file):
//! - a top-level array `[ {…}, … ]` (Entra portal "Download JSON", Management API content blobs);
//! - an object whose `value` or `records` member is the array (Graph pages with
//!   `@odata.nextLink`, Azure Monitor / Event Hub `{"records":[…]}`, Reporting Web Service);
//! - a single record object;
//! - several of the above one after another (NDJSON; each line may itself be an envelope).
//!
//! NDJSON is read line by line so one broken line costs one record. A whole-file document is
//! read with a serde `Visitor` over the array, so a 1 GB page is never held in memory; a syntax
//! error there ends the file (nothing after it can be located) and is reported as one reject.

use std::fmt;
use std::io::BufRead;
use std::ops::ControlFlow;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

/// What the callback is told for each record: its text, or why it could not be read.
pub(crate) type RecordText = Result<Box<RawValue>, String>;

/// Called once per record with its number (1-based line in NDJSON, else 0-based index).
pub(crate) type OnRecord<'c> = dyn FnMut(RecordText, u64) -> ControlFlow<()> + 'c;

const STOP: &str = "\u{1}stopped by caller";

/// What the walk noticed about the envelope.
#[derive(Debug, Default, Clone)]
pub(crate) struct EnvelopeInfo {
    /// A Graph `@odata.nextLink` was present: the file is one page of several.
    pub next_link: bool,
}

struct Walk<'c, 'e> {
    on: &'c mut OnRecord<'e>,
    /// Line number to report (NDJSON) or `None` to count records.
    line: Option<u64>,
    count: &'c mut u64,
    info: &'c mut EnvelopeInfo,
}

impl Walk<'_, '_> {
    fn emit<E: de::Error>(&mut self, raw: RecordText) -> Result<(), E> {
        let n = self.line.unwrap_or(*self.count);
        *self.count += 1;
        match (self.on)(raw, n) {
            ControlFlow::Continue(()) => Ok(()),
            ControlFlow::Break(()) => Err(E::custom(STOP)),
        }
    }
}

impl<'de> DeserializeSeed<'de> for &mut Walk<'_, '_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for &mut Walk<'_, '_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON record, an array of records, or an object with `value`/`records`")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(raw) = seq.next_element::<Box<RawValue>>()? {
            self.emit::<A::Error>(Ok(raw))?;
        }
        Ok(())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut rest = serde_json::Map::new();
        let mut had_array = false;
        while let Some(key) = map.next_key::<String>()? {
            if key == "value" || key == "records" || key == "Records" || key == "Value" {
                match map.next_value_seed(ArraySeed { walk: &mut *self })? {
                    None => had_array = true,
                    Some(v) => {
                        rest.insert(key, v);
                    }
                }
            } else if key == "@odata.nextLink" || key == "odata.nextLink" {
                self.info.next_link = true;
                map.next_value::<IgnoredAny>()?;
            } else if had_array || key.starts_with("@odata") || key.starts_with("odata.") {
                map.next_value::<IgnoredAny>()?;
            } else {
                rest.insert(key, map.next_value::<serde_json::Value>()?);
            }
        }
        if !had_array {
            // A plain record object: hand it on re-serialized (same content).
            let text = serde_json::to_string(&rest).map_err(de::Error::custom)?;
            let raw = RawValue::from_string(text).map_err(de::Error::custom)?;
            self.emit::<A::Error>(Ok(raw))?;
        }
        Ok(())
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.emit::<E>(Err(format!(
            "a JSON string where a record was expected: {v:.60}"
        )))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        self.emit::<E>(Err("a number where a record was expected".into()))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        self.emit::<E>(Err("a number where a record was expected".into()))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        self.emit::<E>(Err("a number where a record was expected".into()))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        self.emit::<E>(Err("a boolean where a record was expected".into()))
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.emit::<E>(Err("null where a record was expected".into()))
    }
}

/// The `value`/`records` member: streamed when it is an array; anything else is returned so a
/// record that merely has a `Value` field keeps it.
struct ArraySeed<'w, 'c, 'e> {
    walk: &'w mut Walk<'c, 'e>,
}

impl<'de> DeserializeSeed<'de> for ArraySeed<'_, '_, '_> {
    type Value = Option<serde_json::Value>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ArraySeed<'_, '_, '_> {
    type Value = Option<serde_json::Value>;
    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of records")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while let Some(raw) = seq.next_element::<Box<RawValue>>()? {
            self.walk.emit::<A::Error>(Ok(raw))?;
        }
        Ok(None)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        use serde::Deserialize;
        serde_json::Value::deserialize(de::value::MapAccessDeserializer::new(map)).map(Some)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(serde_json::Value::String(v.to_string())))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Some(serde_json::Value::Null))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(serde_json::Value::Bool(v)))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Some(v.into()))
    }
}

/// True when the text looks like NDJSON: its first line is one complete JSON value and more
/// non-blank text follows (a one-line file is read the same either way).
pub(crate) fn looks_like_lines(head: &str) -> bool {
    let t = head.trim_start();
    match t.find('\n') {
        Some(nl) => serde_json::from_str::<IgnoredAny>(t[..nl].trim_end()).is_ok(),
        None => false,
    }
}

/// Reads a whole JSON document (or several concatenated) from `reader`.
/// Returns `Err(reason)` when a syntax error stopped the file early.
pub(crate) fn read_document(
    reader: &mut dyn BufRead,
    on: &mut OnRecord<'_>,
    info: &mut EnvelopeInfo,
) -> Result<(), String> {
    let mut count = 0u64;
    let mut de = serde_json::Deserializer::from_reader(reader);
    loop {
        let mut walk = Walk {
            on: &mut *on,
            line: None,
            count: &mut count,
            info: &mut *info,
        };
        match (&mut walk).deserialize(&mut de) {
            Ok(()) => {}
            Err(e) if e.to_string().starts_with(STOP) => return Ok(()),
            Err(e) if e.is_eof() && count > 0 => {
                return Err(format!(
                    "file ends inside a JSON value ({e}); records after it are lost"
                ));
            }
            Err(e) if e.is_eof() => return Ok(()),
            Err(e) => {
                return Err(format!(
                    "JSON syntax error ({e}); the rest of the file cannot be read"
                ));
            }
        }
        if de.end().is_ok() {
            return Ok(());
        }
    }
}

/// Reads NDJSON line by line; a bad line is one reject and reading goes on.
pub(crate) fn read_lines(
    reader: &mut dyn BufRead,
    on: &mut OnRecord<'_>,
    info: &mut EnvelopeInfo,
) -> Result<(), String> {
    let mut line = String::new();
    let mut line_no = 0u64;
    let mut count = 0u64;
    loop {
        line.clear();
        match reader.read_line(&mut line) {
            Ok(0) => return Ok(()),
            Ok(_) => {}
            Err(e) => return Err(format!("read error after line {line_no}: {e}")),
        }
        line_no += 1;
        let text = line.trim();
        if text.is_empty() {
            continue;
        }
        let mut walk = Walk {
            on: &mut *on,
            line: Some(line_no),
            count: &mut count,
            info: &mut *info,
        };
        let mut de = serde_json::Deserializer::from_str(text);
        let res = (&mut walk).deserialize(&mut de).and_then(|()| de.end());
        match res {
            Ok(()) => {}
            Err(e) if e.to_string().starts_with(STOP) => return Ok(()),
            Err(e) => {
                if let ControlFlow::Break(()) = on(Err(format!("not valid JSON: {e}")), line_no) {
                    return Ok(());
                }
            }
        }
    }
}

/// The first record in `head` (for sniffing), if one is complete there.
pub(crate) fn first_record(head: &str) -> Option<serde_json::Value> {
    let mut found = None;
    let mut on = |r: RecordText, _n: u64| {
        if let Ok(raw) = r {
            found = serde_json::from_str(raw.get()).ok();
        }
        ControlFlow::Break(())
    };
    let mut info = EnvelopeInfo::default();
    let mut count = 0;
    let mut walk = Walk {
        on: &mut on,
        line: None,
        count: &mut count,
        info: &mut info,
    };
    let mut de = serde_json::Deserializer::from_str(head);
    let _ = (&mut walk).deserialize(&mut de);
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(text: &str, lines: bool) -> (Vec<Result<String, String>>, Result<(), String>) {
        let mut out = Vec::new();
        let mut on = |r: RecordText, n: u64| {
            out.push(
                r.map(|r| format!("{n}:{}", r.get()))
                    .map_err(|e| format!("{n}:{e}")),
            );
            ControlFlow::Continue(())
        };
        let mut info = EnvelopeInfo::default();
        let mut rd = std::io::Cursor::new(text.as_bytes());
        let res = if lines {
            read_lines(&mut rd, &mut on, &mut info)
        } else {
            read_document(&mut rd, &mut on, &mut info)
        };
        (out, res)
    }

    #[test]
    fn envelopes_arrays_and_lines() {
        let (r, res) = collect(
            r#"{"@odata.context":"x","value":[{"a":1},{"b":2}],"@odata.nextLink":"y"}"#,
            false,
        );
        assert!(res.is_ok());
        assert_eq!(r, vec![Ok("0:{\"a\":1}".into()), Ok("1:{\"b\":2}".into())]);
        let (r, _) = collect("[{\"a\":1}, {\"a\":2}]", false);
        assert_eq!(r.len(), 2);
        let (r, _) = collect(
            "{\"records\":[{\"a\":1}]}\n{\"records\":[{\"a\":2},{\"a\":3}]}\n",
            false,
        );
        assert_eq!(r.len(), 3);
        let (r, _) = collect("{\"a\":1}\n{bad\n\n{\"value\":[]}\n{\"a\":2}\n", true);
        assert_eq!(r.len(), 3);
        assert!(
            r[1].as_ref()
                .is_err_and(|e| e.starts_with("2:not valid JSON"))
        );
        assert_eq!(r[2], Ok("5:{\"a\":2}".into()));
    }

    #[test]
    fn truncated_document_reports_and_keeps_earlier_records() {
        let (r, res) = collect("{\"value\":[{\"a\":1},{\"a\":", false);
        assert_eq!(r.len(), 1);
        assert!(res.is_err());
        let (_, res) = collect("[1, {\"a\":1}, \"x\"]", false);
        assert!(res.is_ok());
    }

    #[test]
    fn sniffing_helpers() {
        assert!(looks_like_lines("{\"a\":1}\n{\"a\":2}"));
        assert!(!looks_like_lines("{\n \"a\": 1\n}"));
        assert_eq!(
            first_record("{\"value\":[{\"id\":\"x\"},{\"id\":").and_then(|v| v.get("id").cloned()),
            Some("x".into())
        );
    }
}

//! Sigma selections: field matchers with modifiers, compiled once when the rule loads.

use regex::Regex;
use serde_json::Value;

use super::fields::SigmaDoc;

/// One selection: a list of alternatives (OR), each a list of field matchers (AND).
#[derive(Debug, Clone)]
pub struct Selection {
    alternatives: Vec<Vec<FieldMatcher>>,
}

#[derive(Debug, Clone)]
struct FieldMatcher {
    field: String,
    all: bool,
    exists: Option<bool>,
    patterns: Vec<Pattern>,
}

#[derive(Debug, Clone)]
enum Pattern {
    Null,
    Re(Regex),
}

fn glob_regex(
    value: &str,
    anchor_start: bool,
    anchor_end: bool,
    wildcards: bool,
) -> Result<Regex, String> {
    let mut re = String::from("(?is)");
    if anchor_start {
        re.push('^');
    }
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if wildcards && matches!(chars.peek(), Some('*' | '?' | '\\')) => {
                if let Some(n) = chars.next() {
                    re.push_str(&regex::escape(&n.to_string()));
                }
            }
            '*' if wildcards => re.push_str(".*"),
            '?' if wildcards => re.push('.'),
            c => re.push_str(&regex::escape(&c.to_string())),
        }
    }
    if anchor_end {
        re.push('$');
    }
    Regex::new(&re).map_err(|e| e.to_string())
}

fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

impl FieldMatcher {
    fn parse(key: &str, value: &Value) -> Result<Self, String> {
        let mut parts = key.split('|');
        let field = parts.next().unwrap_or("").to_string();
        let (mut contains, mut starts, mut ends, mut re, mut all, mut exists) =
            (false, false, false, false, false, false);
        for m in parts {
            match m {
                "contains" => contains = true,
                "startswith" => starts = true,
                "endswith" => ends = true,
                "re" => re = true,
                "all" => all = true,
                "exists" => exists = true,
                other => return Err(format!("modifier `{other}` is not supported")),
            }
        }
        let values: Vec<&Value> = match value {
            Value::Array(a) => a.iter().collect(),
            v => vec![v],
        };
        if exists {
            let want = values
                .first()
                .and_then(|v| v.as_bool())
                .ok_or("`exists` needs true or false")?;
            return Ok(FieldMatcher {
                field,
                all: false,
                exists: Some(want),
                patterns: Vec::new(),
            });
        }
        let mut patterns = Vec::new();
        for v in values {
            if v.is_null() {
                patterns.push(Pattern::Null);
                continue;
            }
            let text =
                scalar_text(v).ok_or_else(|| format!("value for `{field}` must be a scalar"))?;
            let rx = if re {
                Regex::new(&text).map_err(|e| format!("bad regex for `{field}`: {e}"))?
            } else {
                glob_regex(&text, !(contains || ends), !(contains || starts), true)?
            };
            patterns.push(Pattern::Re(rx));
        }
        Ok(FieldMatcher {
            field,
            all,
            exists: None,
            patterns,
        })
    }

    fn matches(&self, doc: &SigmaDoc<'_>) -> bool {
        let v = doc.get(&self.field);
        if let Some(want) = self.exists {
            return v.as_ref().is_some_and(|v| !v.is_null()) == want;
        }
        let texts: Vec<String> = match &v {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(a)) => a
                .iter()
                .map(|x| scalar_text(x).unwrap_or_else(|| x.to_string()))
                .collect(),
            Some(Value::Object(_)) => vec![v.as_ref().map(|x| x.to_string()).unwrap_or_default()],
            Some(x) => scalar_text(x).into_iter().collect(),
        };
        let one = |p: &Pattern| match p {
            Pattern::Null => texts.is_empty(),
            Pattern::Re(rx) => texts.iter().any(|t| rx.is_match(t)),
        };
        if self.all {
            self.patterns.iter().all(one)
        } else {
            self.patterns.iter().any(one)
        }
    }
}

impl Selection {
    /// Parses a selection body (a map, or a list of maps).
    pub fn parse(body: &Value) -> Result<Self, String> {
        let maps: Vec<&serde_json::Map<String, Value>> = match body {
            Value::Object(m) => vec![m],
            Value::Array(a) => a
                .iter()
                .map(|x| {
                    x.as_object()
                        .ok_or("keyword-list selections are not supported")
                })
                .collect::<Result<_, _>>()?,
            _ => return Err("a selection must be a map or a list of maps".into()),
        };
        let alternatives = maps
            .into_iter()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| FieldMatcher::parse(k, v))
                    .collect::<Result<Vec<_>, _>>()
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Selection { alternatives })
    }

    /// True when any alternative has all its fields matching.
    pub fn matches(&self, doc: &SigmaDoc<'_>) -> bool {
        self.alternatives
            .iter()
            .any(|alt| alt.iter().all(|m| m.matches(doc)))
    }
}

//! Sigma rules over normalized events: a small evaluator for the detection subset mimamori
//! needs, so rules a team already has for Entra ID and Microsoft 365 run unchanged.
//!
//! Supported: `logsource` product `azure` (services `signinlogs`, `auditlogs`) and `m365`
//! (any service, evaluated over the unified audit log); selections as maps (AND of fields) or
//! lists of maps (OR); values as scalars or lists (OR; AND with `|all`); modifiers `contains`,
//! `startswith`, `endswith`, `re`, `all`, `exists`; plain values with `*`/`?` wildcards;
//! string comparison is case-insensitive as Sigma specifies; conditions with `and`/`or`/`not`,
//! parentheses, `1 of`/`any of`/`all of` a pattern or `them`. Not supported (rejected with a
//! clear error when loading): aggregations (`| count()`), keyword-list selections, other
//! modifiers (`base64`, `cidr`, `windash` …). Field names are mapped as in [`fields`].
//! Findings get detection id `sigma:<rule id>`.

pub mod condition;
pub mod fields;
mod matcher;

use std::path::Path;

use model::{Event, EvidenceRef, Finding, Severity};
use serde_json::Value;

use crate::error::DetectError;
use crate::facts::Facts;
use condition::Cond;
use fields::SigmaDoc;
use matcher::Selection;

/// A loaded Sigma rule.
#[derive(Debug, Clone)]
pub struct SigmaRule {
    /// `id` (a UUID in SigmaHQ; any text for our own rules).
    pub id: String,
    /// `title`.
    pub title: String,
    /// `description`.
    pub description: String,
    /// `level` mapped to a severity (informational → info).
    pub severity: Severity,
    /// ATT&CK technique ids from `tags` (`attack.t1078.004` → `T1078.004`).
    pub attack: Vec<String>,
    /// `logsource.product`.
    pub product: String,
    /// `logsource.service` (empty = any).
    pub service: String,
    selections: Vec<(String, Selection)>,
    condition: Cond,
}

impl SigmaRule {
    /// Parses one rule from YAML text; `shown` names it in errors.
    pub fn parse(text: &str, shown: &str) -> Result<Self, DetectError> {
        let err = |reason: String| DetectError::Sigma {
            path: shown.to_string(),
            reason,
        };
        let doc: Value = serde_norway::from_str(text).map_err(|e| err(e.to_string()))?;
        let s = |k: &str| {
            doc.get(k)
                .and_then(|v| v.as_str())
                .unwrap_or("")
                .to_string()
        };
        let id = s("id");
        if id.is_empty() {
            return Err(err("missing `id`".into()));
        }
        let logsource = doc
            .get("logsource")
            .ok_or_else(|| err("missing `logsource`".into()))?;
        let product = logsource
            .get("product")
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_lowercase();
        let service = logsource
            .get("service")
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_lowercase();
        if product != "azure" && product != "m365" {
            return Err(err(format!(
                "logsource product `{product}` is not azure or m365"
            )));
        }
        let det = doc
            .get("detection")
            .and_then(|d| d.as_object())
            .ok_or_else(|| err("missing `detection`".into()))?;
        let cond_text = match det.get("condition") {
            Some(Value::String(c)) => c.clone(),
            Some(Value::Array(list)) if list.len() == 1 => {
                list[0].as_str().unwrap_or("").to_string()
            }
            _ => return Err(err("`detection.condition` must be one string".into())),
        };
        let condition = condition::parse(&cond_text).map_err(err)?;
        let mut selections = Vec::new();
        for (name, body) in det {
            if name == "condition" || name == "timeframe" {
                continue;
            }
            let sel =
                Selection::parse(body).map_err(|e| err(format!("selection `{name}`: {e}")))?;
            selections.push((name.clone(), sel));
        }
        let level = s("level");
        let severity = Severity::parse(&level).unwrap_or(Severity::Medium);
        let attack = doc
            .get("tags")
            .and_then(|t| t.as_array())
            .map(|tags| {
                tags.iter()
                    .filter_map(|t| t.as_str())
                    .filter_map(|t| t.strip_prefix("attack.t"))
                    .map(|t| format!("T{}", t.to_uppercase()))
                    .collect()
            })
            .unwrap_or_default();
        Ok(SigmaRule {
            id,
            title: s("title"),
            description: s("description"),
            severity,
            attack,
            product,
            service,
            selections,
            condition,
        })
    }

    /// Loads every `*.yml` / `*.yaml` in `dir` (sorted by name). One bad file is an error
    /// naming it; nothing is skipped silently.
    pub fn load_dir(dir: &Path) -> Result<Vec<Self>, DetectError> {
        let io = |source| DetectError::Io {
            path: dir.display().to_string(),
            source,
        };
        let mut paths: Vec<_> = std::fs::read_dir(dir)
            .map_err(io)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "yml" || x == "yaml"))
            .collect();
        paths.sort();
        paths
            .iter()
            .map(|p| {
                let text = std::fs::read_to_string(p).map_err(|source| DetectError::Io {
                    path: p.display().to_string(),
                    source,
                })?;
                Self::parse(&text, &p.display().to_string())
            })
            .collect()
    }

    /// The detection id its findings carry.
    pub fn detection_id(&self) -> String {
        format!("sigma:{}", self.id)
    }

    fn applies(&self, doc: &SigmaDoc<'_>) -> bool {
        if self.product != doc.product {
            return false;
        }
        self.product == "m365" || self.service.is_empty() || self.service == doc.service
    }

    /// True when the rule matches the event.
    pub fn matches(&self, ev: &Event, f: &Facts<'_>) -> bool {
        let Some(doc) = SigmaDoc::new(ev, f) else {
            return false;
        };
        self.applies(&doc) && self.matches_doc(&doc)
    }

    fn matches_doc(&self, doc: &SigmaDoc<'_>) -> bool {
        let names: Vec<String> = self.selections.iter().map(|(n, _)| n.clone()).collect();
        let sel = |n: &str| {
            self.selections
                .iter()
                .find(|(name, _)| name == n)
                .is_some_and(|(_, s)| s.matches(doc))
        };
        condition::eval(&self.condition, &names, &sel)
    }

    /// Evaluates the rule; a match becomes a finding (id and tenant are set by the engine).
    pub fn evaluate(&self, ev: &Event, f: &Facts<'_>) -> Option<Finding> {
        let doc = SigmaDoc::new(ev, f)?;
        self.evaluate_doc(ev, f, &doc)
    }

    /// Like [`SigmaRule::evaluate`] over a view built once for all rules.
    pub fn evaluate_doc(&self, ev: &Event, f: &Facts<'_>, doc: &SigmaDoc<'_>) -> Option<Finding> {
        if !(self.applies(doc) && self.matches_doc(doc)) {
            return None;
        }
        let what = match &ev.kind {
            model::EventKind::SignIn(s) => s.app_display_name.clone().unwrap_or_default(),
            model::EventKind::DirectoryAudit(a) => a.activity_display_name.clone(),
            model::EventKind::Audit(a) => a.operation.clone(),
            _ => String::new(),
        };
        let user = f.user.clone().unwrap_or_else(|| "?".into());
        let ip = f.ip_text();
        Some(Finding {
            id: String::new(),
            tenant: ev.tenant.clone(),
            incident_id: None,
            detection: self.detection_id(),
            severity: self.severity,
            user: f.user.clone(),
            time: ev.time,
            ips: f.ip.map(|i| vec![i.to_string()]).unwrap_or_default(),
            countries: f.country.clone().into_iter().collect(),
            attack: self.attack.clone(),
            reason_ja: format!(
                "Sigmaルール「{}」に一致：利用者 {user}、IP {ip}、{what}。",
                self.title
            ),
            reason_en: format!(
                "Sigma rule \"{}\" matched: user {user}, IP {ip}, {what}.",
                self.title
            ),
            evidence: vec![EvidenceRef {
                kind: ev.kind.name().to_string(),
                natural_id: ev.natural_id.clone(),
            }],
        })
    }
}

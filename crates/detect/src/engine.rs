//! The engine: feeds time-ordered events of one tenant through every detection, keeps per-user
//! baselines, and turns drafts into findings with stable ids.
//!
//! One implementation serves batch (`detect`, `investigate`: call [`Engine::observe`] for each
//! stored event, then [`Engine::finish`]) and stream (`watch`: call `observe` as events arrive and
//! [`Engine::advance_to`] on a timer so windows close without new events).
//!
//! Warm-up: events before `since` (the pipeline loads `lookback_days` before it) build baselines
//! and rule windows but report nothing. Without `since` everything is reported; the "established
//! baseline" rule (see `baseline.rs`) still keeps the first days quiet.

use std::collections::HashSet;

use chrono::{DateTime, Duration, Utc};
use model::{Event, Finding, Incident};
use sha2::{Digest, Sha256};

use crate::baseline::Baselines;
use crate::config::Config;
use crate::facts::Facts;
use crate::incident::{self, IncidentDetail};
use crate::registry::{self, Role};
use crate::rules::{Cx, Draft, Marks, Rule};
use crate::sigma::SigmaRule;
use crate::sigma::fields::SigmaDoc;

/// How often (in event time) aggregating detections are asked to close their windows.
const FLUSH_EVERY: Duration = Duration::minutes(5);

/// A finding with what the incident builder needs beyond the JSONL interface.
#[derive(Debug, Clone)]
pub struct Emitted {
    /// The finding.
    pub finding: Finding,
    /// Its role, `None` for Sigma findings (grouped, but never part of a takeover chain).
    pub role: Option<Role>,
    /// How many actions it stands for.
    pub count: u64,
}

/// Counters of one run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EngineStats {
    /// Events observed.
    pub events: u64,
    /// Events before `since` (baseline only).
    pub warm_up_events: u64,
    /// Events skipped because they belong to another tenant.
    pub other_tenant: u64,
    /// Events older than the previous one (processed anyway; windows may be off).
    pub out_of_order: u64,
    /// Findings reported.
    pub findings: u64,
    /// Findings suppressed because their evidence lies in the warm-up.
    pub warm_up_findings: u64,
}

/// Everything a finished run produced.
#[derive(Debug, Clone)]
pub struct Report {
    /// Findings, each with its incident id.
    pub findings: Vec<Finding>,
    /// Incidents.
    pub incidents: Vec<Incident>,
    /// Per-incident facts not in the JSONL interface (first malicious event, counts).
    pub details: Vec<IncidentDetail>,
    /// Counters.
    pub stats: EngineStats,
}

/// The detection engine for one tenant.
pub struct Engine {
    cfg: Config,
    since: Option<DateTime<Utc>>,
    rules: Vec<Box<dyn Rule>>,
    sigma: Vec<SigmaRule>,
    baselines: Baselines,
    marks: Marks,
    emitted: Vec<Emitted>,
    seen_ids: HashSet<String>,
    last_time: Option<DateTime<Utc>>,
    last_flush: Option<DateTime<Utc>>,
    stats: EngineStats,
}

impl Engine {
    /// An engine with every built-in detection and no warm-up boundary.
    pub fn new(config: Config) -> Self {
        Engine {
            cfg: config,
            since: None,
            rules: registry::instantiate(None),
            sigma: Vec::new(),
            baselines: Baselines::default(),
            marks: Marks::default(),
            emitted: Vec::new(),
            seen_ids: HashSet::new(),
            last_time: None,
            last_flush: None,
            stats: EngineStats::default(),
        }
    }

    /// Reports only findings whose evidence starts at or after `since`; earlier events only
    /// build baselines (the look-back window).
    pub fn with_since(mut self, since: DateTime<Utc>) -> Self {
        self.since = Some(since);
        self
    }

    /// Runs only the named built-in detections.
    pub fn with_only(mut self, ids: &[String]) -> Self {
        self.rules = registry::instantiate(Some(ids));
        self
    }

    /// Adds Sigma rules (findings get detection id `sigma:<rule id>`).
    pub fn with_sigma(mut self, rules: Vec<SigmaRule>) -> Self {
        self.sigma = rules;
        self
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.cfg
    }

    /// Counters so far.
    pub fn stats(&self) -> &EngineStats {
        &self.stats
    }

    /// Looks at one event (events must come in time order) and returns the findings it
    /// completed, including windows it closed.
    pub fn observe(&mut self, ev: &Event) -> Vec<Finding> {
        if ev.tenant != self.cfg.tenant_id {
            self.stats.other_tenant += 1;
            tracing::debug!(tenant = %ev.tenant, id = %ev.natural_id, "event of another tenant skipped");
            return Vec::new();
        }
        self.stats.events += 1;
        if self.since.is_some_and(|s| ev.time < s) {
            self.stats.warm_up_events += 1;
        }
        if self.last_time.is_some_and(|t| ev.time < t) {
            self.stats.out_of_order += 1;
        } else {
            self.last_time = Some(ev.time);
        }
        let mut drafts = Vec::new();
        if self.last_flush.is_none_or(|t| ev.time - t >= FLUSH_EVERY) {
            self.last_flush = Some(ev.time);
            for r in &mut self.rules {
                r.flush(Some(ev.time), &self.cfg, &mut drafts);
            }
        }
        let facts = Facts::derive(ev, &self.cfg);
        {
            let cx = Cx {
                f: &facts,
                base: facts.user.as_deref().and_then(|u| self.baselines.get(u)),
                cfg: &self.cfg,
                marks: &self.marks,
            };
            for r in &mut self.rules {
                r.observe(&cx, &mut drafts);
            }
        }
        let mut out = self.accept(drafts);
        let sigma_hits: Vec<Finding> = match (self.sigma.is_empty(), SigmaDoc::new(ev, &facts)) {
            (false, Some(doc)) => self
                .sigma
                .iter()
                .filter_map(|s| s.evaluate_doc(ev, &facts, &doc))
                .collect(),
            _ => Vec::new(),
        };
        for f in sigma_hits {
            out.extend(self.accept_sigma(f));
        }
        if let Some(user) = facts.user.as_deref() {
            let recipient = facts.outbound_recipient(&self.cfg);
            self.baselines.learn(user, &facts, recipient);
        }
        out
    }

    /// Closes windows that ended before `now` (for stream mode, on a timer).
    pub fn advance_to(&mut self, now: DateTime<Utc>) -> Vec<Finding> {
        let mut drafts = Vec::new();
        for r in &mut self.rules {
            r.flush(Some(now), &self.cfg, &mut drafts);
        }
        self.last_flush = Some(now);
        self.accept(drafts)
    }

    /// Ends the run: closes every window and groups all findings into incidents.
    pub fn finish(self) -> (Vec<Finding>, Vec<Incident>) {
        let r = self.finish_report();
        (r.findings, r.incidents)
    }

    /// Like [`Engine::finish`], with per-incident details and counters.
    pub fn finish_report(mut self) -> Report {
        let mut drafts = Vec::new();
        for r in &mut self.rules {
            r.flush(None, &self.cfg, &mut drafts);
        }
        self.accept(drafts);
        let (incidents, details) = incident::group(&self.cfg, &mut self.emitted, &self.marks);
        let mut findings: Vec<Finding> = self.emitted.into_iter().map(|e| e.finding).collect();
        findings.sort_by(|a, b| a.time.cmp(&b.time).then_with(|| a.id.cmp(&b.id)));
        Report {
            findings,
            incidents,
            details,
            stats: self.stats,
        }
    }

    fn accept(&mut self, drafts: Vec<Draft>) -> Vec<Finding> {
        let mut out = Vec::new();
        for d in drafts {
            if self.since.is_some_and(|s| d.time < s) {
                self.stats.warm_up_findings += 1;
                continue;
            }
            self.marks.record(&d);
            let Some(meta) = registry::meta(d.detection) else {
                continue;
            };
            let finding = Finding {
                id: finding_id(&self.cfg.tenant_id, d.detection, &d.evidence),
                tenant: self.cfg.tenant_id.clone(),
                incident_id: None,
                detection: d.detection.to_string(),
                severity: d.severity,
                user: d.user,
                time: d.time,
                ips: d.ips,
                countries: d.countries,
                attack: meta.attack.iter().map(|s| s.to_string()).collect(),
                reason_ja: d.reason_ja,
                reason_en: d.reason_en,
                evidence: d.evidence,
            };
            if self.seen_ids.insert(finding.id.clone()) {
                self.stats.findings += 1;
                out.push(finding.clone());
                self.emitted.push(Emitted {
                    finding,
                    role: Some(meta.role),
                    count: d.count,
                });
            }
        }
        out
    }

    fn accept_sigma(&mut self, mut f: Finding) -> Option<Finding> {
        if self.since.is_some_and(|s| f.time < s) {
            self.stats.warm_up_findings += 1;
            return None;
        }
        f.tenant = self.cfg.tenant_id.clone();
        f.id = finding_id(&self.cfg.tenant_id, &f.detection, &f.evidence);
        if !self.seen_ids.insert(f.id.clone()) {
            return None;
        }
        self.stats.findings += 1;
        self.emitted.push(Emitted {
            finding: f.clone(),
            role: None,
            count: 1,
        });
        Some(f)
    }
}

/// The stable id of a finding: SHA-256 over tenant, detection and the sorted evidence ids,
/// first 32 hex digits.
pub fn finding_id(tenant: &str, detection: &str, evidence: &[model::EvidenceRef]) -> String {
    let mut ev: Vec<&model::EvidenceRef> = evidence.iter().collect();
    ev.sort();
    let mut h = Sha256::new();
    h.update(tenant.as_bytes());
    h.update([0x1f]);
    h.update(detection.as_bytes());
    for e in ev {
        h.update([0x1e]);
        h.update(e.kind.as_bytes());
        h.update([0x1f]);
        h.update(e.natural_id.as_bytes());
    }
    let mut s = hex::encode(h.finalize());
    s.truncate(32);
    s
}

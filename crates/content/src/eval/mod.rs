//! The project's own evaluation set for [`crate::analyze`], generated deterministically.
//!
//! No Japanese phishing corpus can be fetched (JAPAN.md §1 "Labelled data"), so the set is
//! authored here: natural Japanese business mail (ham), trap categories that defeat naive
//! rules (SharePoint sharing notices whose link text is a file name, notes to self, newsletters
//! full of tracking links), and phishing in the 2025 incident's style, brand lures in the
//! style CAPJ reports, and fluent LLM-style lures. Every case is rendered to real MIME bytes
//! (ISO-2022-JP / Shift_JIS / UTF-8, RFC 2047 headers) and parsed back, so the evaluation
//! runs the production decoder too. Same seed → same set.

mod ham;
pub mod mime;
mod phish;
mod templates;

use std::fmt;

use serde::Serialize;

use crate::message::MailMessage;
use crate::parse::{Origin, parse_message};
use crate::phish::{AnalysisContext, Verdict, VerdictKind, analyze};

/// The category of a generated case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// Natural business mail (quotes, estimates, internal scheduling, IT notices, …).
    HamBusiness,
    /// Trap: SharePoint/OneDrive sharing notices (link text = file name, tenant host).
    HamSharePoint,
    /// Trap: a note mailed to oneself (same display name and address).
    HamNoteToSelf,
    /// Trap: newsletters with many (tracking) links.
    HamNewsletter,
    /// Phishing like the 2025 incident (H1 + L3 + machine-translated Japanese).
    PhishIncident,
    /// Brand lures (Amazon, cards, carriers, delivery, …).
    PhishBrandLure,
    /// Fluent LLM-style lures (no grammar tells).
    PhishFluent,
}

impl Category {
    /// All categories in report order.
    pub const ALL: [Category; 7] = [
        Category::HamBusiness,
        Category::HamSharePoint,
        Category::HamNoteToSelf,
        Category::HamNewsletter,
        Category::PhishIncident,
        Category::PhishBrandLure,
        Category::PhishFluent,
    ];

    /// True for phishing categories.
    pub fn is_phishing(self) -> bool {
        matches!(
            self,
            Category::PhishIncident | Category::PhishBrandLure | Category::PhishFluent
        )
    }

    /// True for the ham trap categories (must produce zero false positives).
    pub fn is_trap(self) -> bool {
        matches!(
            self,
            Category::HamSharePoint | Category::HamNoteToSelf | Category::HamNewsletter
        )
    }

    fn default_count(self) -> usize {
        match self {
            Category::HamBusiness => 300,
            Category::HamSharePoint | Category::HamNoteToSelf => 60,
            Category::HamNewsletter => 80,
            Category::PhishIncident | Category::PhishBrandLure => 150,
            Category::PhishFluent => 100,
        }
    }
}

/// A small deterministic PRNG (SplitMix64): no dependency, same stream on every platform.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        let i = self.below(items.len());
        &items[i]
    }
}

/// One generated case.
#[derive(Debug, Clone)]
pub struct EvalCase {
    /// Its category.
    pub category: Category,
    /// The raw RFC 5322 bytes.
    pub raw: Vec<u8>,
}

/// Generates the evaluation set: the default count per category, deterministic in `seed`.
pub fn generate(seed: u64) -> Vec<EvalCase> {
    let mut rng = Rng::new(seed);
    let mut out = Vec::new();
    for cat in Category::ALL {
        for _ in 0..cat.default_count() {
            let id = out.len();
            out.push(EvalCase {
                category: cat,
                raw: templates::make(cat, &mut rng, id),
            });
        }
    }
    out
}

/// The analysis context the evaluation tenant uses: domains, SharePoint tenant, partners.
pub fn eval_context() -> AnalysisContext<'static> {
    let mut ctx = AnalysisContext::for_tenant(
        &[templates::TENANT, templates::TENANT_VN],
        Some(templates::SHAREPOINT),
    );
    ctx.partner_domains = templates::PARTNERS
        .iter()
        .map(|(_, d)| d.to_string())
        .collect();
    ctx
}

/// Per-category outcome counts.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CategoryStats {
    /// Cases.
    pub total: usize,
    /// Verdict phishing.
    pub phishing: usize,
    /// Verdict suspicious.
    pub suspicious: usize,
    /// Verdict clean.
    pub clean: usize,
}

/// The evaluation result. Positive = verdict `phishing`; `suspicious` counts as not phishing.
#[derive(Debug, Clone, Default, Serialize)]
pub struct EvalReport {
    /// Outcomes per category.
    pub per_category: Vec<(Category, CategoryStats)>,
    /// Phishing cases judged phishing.
    pub true_positives: usize,
    /// Ham cases judged phishing.
    pub false_positives: usize,
    /// Phishing cases not judged phishing.
    pub false_negatives: usize,
    /// Ham cases not judged phishing.
    pub true_negatives: usize,
    /// TP / (TP + FP).
    pub precision: f64,
    /// TP / (TP + FN).
    pub recall: f64,
    /// Trap cases judged phishing or suspicious.
    pub trap_flagged: usize,
    /// Incident-style cases that hit H1, L3 and (C1 or C2).
    pub incident_full_hits: usize,
    /// Cases that failed to parse.
    pub unparsed: usize,
}

/// Parses and analyses every case.
pub fn evaluate(
    cases: &[EvalCase],
    ctx: &AnalysisContext<'_>,
) -> (EvalReport, Vec<(Category, MailMessage, Verdict)>) {
    let mut r = EvalReport::default();
    let mut stats: std::collections::BTreeMap<Category, CategoryStats> = Default::default();
    let mut details = Vec::new();
    for (i, c) in cases.iter().enumerate() {
        let origin = Origin {
            source: "eval",
            record: i as u64,
            format: "eml",
            folder: None,
        };
        let Some(msg) = parse_message(&c.raw, origin) else {
            r.unparsed += 1;
            continue;
        };
        let v = analyze(&msg, ctx);
        let s = stats.entry(c.category).or_default();
        s.total += 1;
        match v.verdict {
            VerdictKind::Phishing => s.phishing += 1,
            VerdictKind::Suspicious => s.suspicious += 1,
            VerdictKind::Clean => s.clean += 1,
        }
        let positive = v.verdict == VerdictKind::Phishing;
        match (c.category.is_phishing(), positive) {
            (true, true) => r.true_positives += 1,
            (true, false) => r.false_negatives += 1,
            (false, true) => r.false_positives += 1,
            (false, false) => r.true_negatives += 1,
        }
        if c.category.is_trap() && v.verdict != VerdictKind::Clean {
            r.trap_flagged += 1;
        }
        if c.category == Category::PhishIncident
            && v.has("H1")
            && v.has("L3")
            && (v.has("C1") || v.has("C2"))
        {
            r.incident_full_hits += 1;
        }
        details.push((c.category, msg, v));
    }
    r.per_category = stats.into_iter().collect();
    let tp = r.true_positives as f64;
    r.precision = if tp + r.false_positives as f64 > 0.0 {
        tp / (tp + r.false_positives as f64)
    } else {
        0.0
    };
    r.recall = if tp + r.false_negatives as f64 > 0.0 {
        tp / (tp + r.false_negatives as f64)
    } else {
        0.0
    };
    (r, details)
}

impl fmt::Display for EvalReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "| category | n | phishing | suspicious | clean |")?;
        writeln!(f, "|---|---|---|---|---|")?;
        for (c, s) in &self.per_category {
            writeln!(
                f,
                "| {c:?} | {} | {} | {} | {} |",
                s.total, s.phishing, s.suspicious, s.clean
            )?;
        }
        writeln!(
            f,
            "precision {:.3}, recall {:.3} (TP {}, FP {}, FN {}, TN {}); trap cases flagged: {}; incident cases with H1+L3+C1/C2: {}; unparsed: {}",
            self.precision,
            self.recall,
            self.true_positives,
            self.false_positives,
            self.false_negatives,
            self.true_negatives,
            self.trap_flagged,
            self.incident_full_hits,
            self.unparsed
        )
    }
}

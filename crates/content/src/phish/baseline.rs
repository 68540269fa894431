//! C6: does this mail read like its sender? A character-trigram model of the sender's own
//! past mail (the tenant has years of it) scores the new message; a score far below the
//! sender's usual range means "not written like this person" — the 2025 incident's 300
//! mails did not read like the user.
//!
//! Model: add-one smoothed trigram frequencies over NFKC text with whitespace collapsed,
//! URLs and quoted lines removed. Each training message is scored against the model without
//! itself (leave-one-out) to learn the sender's own mean and spread; a new message fires C6
//! when its mean log-probability is more than [`C6_Z`] standard deviations below that mean.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use super::{Reason, Span, SpanField};
use crate::message::MailMessage;

/// C6 weight.
pub const W_C6: f64 = 2.5;
/// How many standard deviations below the sender's mean fire C6.
pub const C6_Z: f64 = 3.0;
/// Lower bound of the spread of per-message scores (nats per trigram).
pub const C6_MIN_STD: f64 = 0.3;
/// Fewer training messages than this: no baseline.
pub const C6_MIN_MESSAGES: usize = 5;
/// Fewer trigrams than this in the new message: not enough text to judge.
pub const C6_MIN_TRIGRAMS: usize = 40;

/// A sender's writing-style model.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct StyleBaseline {
    counts: HashMap<u64, u32>,
    total: u64,
    mean: f64,
    std: f64,
    messages: usize,
}

fn trigrams(text: &str) -> Vec<u64> {
    let mut clean = String::with_capacity(text.len());
    for line in text.lines() {
        let l = line.trim();
        if l.starts_with('>') || l.starts_with('＞') {
            continue;
        }
        for word in l.split_whitespace() {
            if word.starts_with("http://") || word.starts_with("https://") {
                continue;
            }
            clean.push_str(word);
            clean.push(' ');
        }
    }
    let chars: Vec<char> = clean.nfkc().collect();
    chars
        .windows(3)
        .map(|w| (u64::from(w[0]) << 42) ^ (u64::from(w[1]) << 21) ^ u64::from(w[2]))
        .collect()
}

impl StyleBaseline {
    /// Trains on the sender's past mail bodies. Returns `None` with fewer than
    /// [`C6_MIN_MESSAGES`] usable messages.
    pub fn train<'a>(texts: impl IntoIterator<Item = &'a str>) -> Option<Self> {
        let docs: Vec<Vec<u64>> = texts
            .into_iter()
            .map(trigrams)
            .filter(|t| t.len() >= C6_MIN_TRIGRAMS)
            .collect();
        if docs.len() < C6_MIN_MESSAGES {
            return None;
        }
        let mut m = StyleBaseline {
            messages: docs.len(),
            ..Default::default()
        };
        for d in &docs {
            for g in d {
                *m.counts.entry(*g).or_insert(0) += 1;
            }
            m.total += d.len() as u64;
        }
        let scores: Vec<f64> = docs
            .iter()
            .map(|d| {
                let mut own: HashMap<u64, u32> = HashMap::new();
                for g in d {
                    *own.entry(*g).or_insert(0) += 1;
                }
                m.score_with(d, Some(&own), d.len() as u64)
            })
            .collect();
        let n = scores.len() as f64;
        m.mean = scores.iter().sum::<f64>() / n;
        let var = scores.iter().map(|s| (s - m.mean).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
        // floor: a sender whose past mails are near-identical would otherwise flag any new wording
        m.std = var.sqrt().max(C6_MIN_STD);
        Some(m)
    }

    fn score_with(
        &self,
        grams: &[u64],
        minus: Option<&HashMap<u64, u32>>,
        minus_total: u64,
    ) -> f64 {
        let vocab = self.counts.len() as f64 + 1.0;
        let total = (self.total - minus_total.min(self.total)) as f64;
        let sum: f64 = grams
            .iter()
            .map(|g| {
                let c = f64::from(self.counts.get(g).copied().unwrap_or(0))
                    - f64::from(minus.and_then(|m| m.get(g)).copied().unwrap_or(0));
                ((c.max(0.0) + 1.0) / (total + vocab)).ln()
            })
            .sum();
        sum / grams.len().max(1) as f64
    }

    /// The mean log-probability per trigram of `text` under this model.
    pub fn score(&self, text: &str) -> Option<f64> {
        let g = trigrams(text);
        (g.len() >= C6_MIN_TRIGRAMS).then(|| self.score_with(&g, None, 0))
    }

    /// How many standard deviations `text` lies from the sender's usual score (negative =
    /// less like the sender).
    pub fn z(&self, text: &str) -> Option<f64> {
        self.score(text).map(|s| (s - self.mean) / self.std)
    }

    /// Number of training messages.
    pub fn messages(&self) -> usize {
        self.messages
    }
}

pub(super) fn check(msg: &MailMessage, b: &StyleBaseline, out: &mut Vec<Reason>) {
    let Some(z) = b.z(&msg.text_body) else { return };
    if z < -C6_Z {
        let t = format!("z = {z:.1} over {} past messages", b.messages);
        out.push(Reason::new(
            "C6",
            W_C6,
            format!(
                "この差出人の過去 {} 通のメールと文体が大きく異なります(z = {z:.1})",
                b.messages
            ),
            format!(
                "The writing differs strongly from the sender's {} past messages (z = {z:.1})",
                b.messages
            ),
            Span::whole(SpanField::TextBody, &t),
        ));
    }
}

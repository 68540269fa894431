//! Inbox rules named with one character or only symbols (".", "..", "-", "＿", "あ").
//!
//! - Attack: attackers name their hiding rules so they do not stand out in Outlook's list
//!   (T1564.008); Microsoft-Analyzer-Suite flags ".", ".." and symbol-only names.
//! - Data: UAL `New-InboxRule` / `Set-InboxRule` parameter `Name`.
//! - Logic: after trimming, the name is one character (a Japanese one-character name counts)
//!   or has no letter or digit at all. Medium.
//! - False positives: users who like short names ("A" for a project); rare.

use model::{EventKind, Severity};

use super::{Cx, Draft, Rule, audit_param};
use crate::registry::{DetectionMeta, Role};

/// Registry entry.
pub static META: DetectionMeta = DetectionMeta {
    id: "inbox_rule_suspicious_name",
    title_ja: "1文字・記号のみの名前の受信トレイルール",
    title_en: "Inbox rule named with one character or only symbols",
    description_ja: "受信トレイルールの名前が1文字（日本語1文字を含む）または記号のみ。攻撃者が目立たないように付ける名前。",
    description_en: "An inbox rule whose name is one character (incl. one Japanese character) or only symbols, as attackers name hiding rules.",
    severity: Severity::Medium,
    attack: &["T1564.008"],
    role: Role::Persistence,
};

/// Stateless.
#[derive(Default)]
pub struct InboxRuleSuspiciousName;

/// Constructor for the registry.
pub fn rule() -> Box<dyn Rule> {
    Box::new(InboxRuleSuspiciousName)
}

/// True for names of one character or with no letter or digit.
pub fn suspicious_name(name: &str) -> bool {
    let n = name.trim();
    !n.is_empty() && (n.chars().count() == 1 || !n.chars().any(char::is_alphanumeric))
}

impl Rule for InboxRuleSuspiciousName {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn observe(&mut self, cx: &Cx<'_>, out: &mut Vec<Draft>) {
        let EventKind::Audit(a) = &cx.f.ev.kind else {
            return;
        };
        if !(a.operation.eq_ignore_ascii_case("New-InboxRule")
            || a.operation.eq_ignore_ascii_case("Set-InboxRule"))
        {
            return;
        }
        let Some(name) = audit_param(a, "Name") else {
            return;
        };
        if !suspicious_name(&name) {
            return;
        }
        let who = cx.f.user.clone().unwrap_or_else(|| "?".into());
        let ip = cx.f.ip_text();
        let mut d = cx.draft(&META, Severity::Medium).reason(
            format!("{who} が名前「{name}」（1文字または記号のみ）の受信トレイルールを {} で作成・変更（IP {ip}）。", a.operation),
            format!("{who} ran {} for an inbox rule named \"{name}\" (one character or only symbols) from IP {ip}.", a.operation),
        );
        d.countries.clear();
        out.push(d);
    }
}

#[cfg(test)]
mod tests {
    use super::suspicious_name;

    #[test]
    fn names() {
        for n in [".", "..", "-", "あ", "＿＿", " . ", "!!!"] {
            assert!(suspicious_name(n), "{n}");
        }
        for n in ["Newsletters", "請求書", "ab", ""] {
            assert!(!suspicious_name(n), "{n}");
        }
    }
}

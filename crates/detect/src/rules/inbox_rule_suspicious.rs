//! Inbox rules that hide mail from the user or send it out: delete, mark read, move to folders
//! nobody looks at (RSS フィード, 会話の履歴, アーカイブ, 削除済みアイテム …), forward/redirect,
//! or filter on words about the attack (請求書, 振込, ウイルス, 乗っ取り, invoice, hacked …).
//!
//! - Attack: hide replies and warnings while phishing from the account; exfiltrate by
//!   forwarding (T1564.008, T1114.003).
//! - Data: UAL Exchange admin `New-InboxRule` / `Set-InboxRule` (`Parameters`), and client-side
//!   `UpdateInboxRules` (`OperationProperties`, action names such as `ForwardToRecipientsAction`).
//! - Severity: **high** for forward/redirect outside the tenant, or a hiding action combined
//!   with attack keywords; medium for a hiding action (delete / hidden folder), or a
//!   client-side forward of unknown destination; low for forwarding inside the tenant.
//!   Moving mail to an ordinary folder or marking read alone is not reported.
//! - False positives: users archiving newsletters into Archive; deleting spam by keyword.

use model::{EventKind, Severity};

use super::{Cx, Draft, Rule, audit_param, truthy};
use crate::registry::{DetectionMeta, Role};

/// Registry entry.
pub static META: DetectionMeta = DetectionMeta {
    id: "inbox_rule_suspicious",
    title_ja: "不審な受信トレイルール",
    title_en: "Suspicious inbox rule",
    description_ja: "削除・既読化・見ないフォルダ（RSS フィード、会話の履歴、アーカイブ、削除済みアイテム等）への移動・転送・リダイレクトを行う受信トレイルール（クライアント側 UpdateInboxRules を含む）。",
    description_en: "An inbox rule that deletes, marks read, moves to rarely viewed folders (RSS Feeds, Conversation History, Archive, Deleted Items …), forwards or redirects (incl. client-side UpdateInboxRules).",
    severity: Severity::Medium,
    attack: &["T1564.008", "T1114.003"],
    role: Role::Persistence,
};

/// Folder names (Japanese and English Outlook) attackers move mail to.
pub const HIDDEN_FOLDERS: [&str; 12] = [
    "rss フィード",
    "rss feeds",
    "rss subscriptions",
    "会話の履歴",
    "conversation history",
    "アーカイブ",
    "archive",
    "削除済みアイテム",
    "deleted items",
    "迷惑メール",
    "junk email",
    "同期の失敗",
];

/// Words in rule conditions that point at hiding the attack.
pub const ATTACK_KEYWORDS: [&str; 20] = [
    "請求書",
    "振込",
    "振り込み",
    "支払",
    "ウイルス",
    "乗っ取り",
    "不正",
    "なりすまし",
    "詐欺",
    "フィッシング",
    "invoice",
    "payment",
    "wire",
    "virus",
    "hacked",
    "compromised",
    "phish",
    "spam",
    "fraud",
    "suspicious",
];

const CLIENT_FORWARD_ACTIONS: [&str; 3] = [
    "ForwardToRecipientsAction",
    "ForwardAsAttachmentToRecipientsAction",
    "RedirectToRecipientsAction",
];

/// Stateless.
#[derive(Default)]
pub struct InboxRuleSuspicious;

/// Constructor for the registry.
pub fn rule() -> Box<dyn Rule> {
    Box::new(InboxRuleSuspicious)
}

impl Rule for InboxRuleSuspicious {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn observe(&mut self, cx: &Cx<'_>, out: &mut Vec<Draft>) {
        let EventKind::Audit(a) = &cx.f.ev.kind else {
            return;
        };
        let op = a.operation.as_str();
        let mut ja: Vec<String> = Vec::new();
        let mut en: Vec<String> = Vec::new();
        let mut severity: Option<Severity> = None;
        let mut raise = |s: Severity| severity = Some(severity.map_or(s, |x| x.max(s)));
        let name;
        if op.eq_ignore_ascii_case("New-InboxRule") || op.eq_ignore_ascii_case("Set-InboxRule") {
            name = audit_param(a, "Name")
                .or_else(|| audit_param(a, "Identity"))
                .unwrap_or_default();
            let hide_delete = audit_param(a, "DeleteMessage").is_some_and(|v| truthy(&v));
            let mark_read = audit_param(a, "MarkAsRead").is_some_and(|v| truthy(&v));
            let folder = audit_param(a, "MoveToFolder").unwrap_or_default();
            let hidden_folder = HIDDEN_FOLDERS
                .iter()
                .find(|h| folder.to_lowercase().contains(*h))
                .copied();
            let words: String = [
                "SubjectContainsWords",
                "BodyContainsWords",
                "SubjectOrBodyContainsWords",
                "FromAddressContainsWords",
            ]
            .iter()
            .filter_map(|k| audit_param(a, k))
            .collect::<Vec<_>>()
            .join(" ");
            let lw = words.to_lowercase();
            let keywords: Vec<&str> = ATTACK_KEYWORDS
                .iter()
                .filter(|k| lw.contains(*k))
                .copied()
                .collect();
            let hiding = hide_delete || hidden_folder.is_some();
            if hide_delete {
                ja.push("メールを削除".into());
                en.push("deletes messages".into());
            }
            if let Some(h) = hidden_folder {
                ja.push(format!("「{folder}」へ移動（{h}）"));
                en.push(format!("moves to \"{folder}\" ({h})"));
            }
            if mark_read {
                ja.push("既読にする".into());
                en.push("marks as read".into());
            }
            if !keywords.is_empty() {
                ja.push(format!("条件語: {}", keywords.join(", ")));
                en.push(format!("condition words: {}", keywords.join(", ")));
            }
            if hiding {
                raise(if keywords.is_empty() {
                    Severity::Medium
                } else {
                    Severity::High
                });
            }
            for k in ["ForwardTo", "ForwardAsAttachmentTo", "RedirectTo"] {
                let Some(dest) = audit_param(a, k).filter(|d| !d.trim().is_empty()) else {
                    continue;
                };
                let external: Vec<&str> = dest
                    .split([';', ','])
                    .map(|d| d.trim().trim_matches(|c| c == '"' || c == '[' || c == ']'))
                    .filter(|d| !d.is_empty() && d.contains('@') && !cx.cfg.is_internal_address(d))
                    .collect();
                if external.is_empty() {
                    raise(Severity::Low);
                    ja.push(format!("{k} 組織内 {dest}"));
                    en.push(format!("{k} internal {dest}"));
                } else {
                    raise(Severity::High);
                    ja.push(format!("{k} 外部 {}", external.join(", ")));
                    en.push(format!("{k} external {}", external.join(", ")));
                }
            }
        } else if op.eq_ignore_ascii_case("UpdateInboxRules") {
            let text = a
                .data
                .get("OperationProperties")
                .map(|v| v.to_string())
                .unwrap_or_default();
            if text.contains("RemoveMailboxRule")
                && !text.contains("AddMailboxRule")
                && !text.contains("ModifyMailboxRule")
            {
                return;
            }
            name = String::new();
            for act in CLIENT_FORWARD_ACTIONS {
                if text.contains(act) {
                    raise(Severity::Medium);
                    ja.push(format!("クライアント側ルール {act}"));
                    en.push(format!("client-side rule {act}"));
                }
            }
            let lt = text.to_lowercase();
            if let Some(h) = HIDDEN_FOLDERS.iter().find(|h| lt.contains(*h)) {
                raise(Severity::Medium);
                ja.push(format!("クライアント側ルールが「{h}」を参照"));
                en.push(format!("client-side rule refers to \"{h}\""));
            }
        } else {
            return;
        }
        let Some(severity) = severity else { return };
        let who = cx.f.user.clone().unwrap_or_else(|| "?".into());
        let ip = cx.f.ip_text();
        let mut d = cx.draft(&META, severity).reason(
            format!(
                "{who} が {op} でルール「{name}」を作成・変更（IP {ip}）：{}。",
                ja.join("、")
            ),
            format!(
                "{who} ran {op} for rule \"{name}\" (IP {ip}): {}.",
                en.join("; ")
            ),
        );
        d.countries.clear();
        out.push(d);
    }
}

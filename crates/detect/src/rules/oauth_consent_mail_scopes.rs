//! OAuth consent to an unfamiliar app with mail scopes.
//!
//! - Attack: illicit consent grant; the app reads or sends mail with a refresh token that
//!   survives a password reset (T1528, T1098.003).
//! - Data: Entra audit "Consent to application" (`targetResources` = the service principal,
//!   `modifiedProperties` `ConsentAction.Permissions` holding the scopes), or the same activity
//!   in the UAL (`Consent to application.`).
//! - Logic: the consented scopes include Mail.Read, Mail.ReadWrite, Mail.Send,
//!   MailboxSettings.ReadWrite, EWS/IMAP/POP `AccessAsUser.All`, SMTP.Send or
//!   full_access_as_app, the app is not in `[apps] allowed`, and this app was not consented in
//!   the tenant before. **High** when `offline_access` is also granted, else medium.
//! - False positives: new mail clients users legitimately install (allow-list them).

use std::collections::HashSet;

use model::{EventKind, Severity};

use super::{Cx, Draft, Rule};
use crate::registry::{DetectionMeta, Role};

/// Registry entry.
pub static META: DetectionMeta = DetectionMeta {
    id: "oauth_consent_mail_scopes",
    title_ja: "メール権限を持つ見慣れないアプリへの同意",
    title_en: "Consent to an unfamiliar app with mail scopes",
    description_ja: "許可リストにないアプリへ Mail.Read / Mail.Send 等のメール権限で同意した（offline_access 付きは重大）。",
    description_en: "Consent granted to an app outside the allow-list with mail scopes such as Mail.Read / Mail.Send (high with offline_access).",
    severity: Severity::High,
    attack: &["T1528", "T1098.003"],
    role: Role::Persistence,
};

const MAIL_SCOPES: [&str; 10] = [
    "Mail.Read",
    "Mail.ReadWrite",
    "Mail.Send",
    "MailboxSettings.ReadWrite",
    "EWS.AccessAsUser.All",
    "IMAP.AccessAsUser.All",
    "POP.AccessAsUser.All",
    "SMTP.Send",
    "full_access_as_app",
    "Mail.ReadBasic",
];

/// Run-time state: apps consented before.
#[derive(Default)]
pub struct OauthConsentMailScopes {
    seen_apps: HashSet<String>,
}

/// Constructor for the registry.
pub fn rule() -> Box<dyn Rule> {
    Box::new(OauthConsentMailScopes::default())
}

impl Rule for OauthConsentMailScopes {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn observe(&mut self, cx: &Cx<'_>, out: &mut Vec<Draft>) {
        let (app, text) = match &cx.f.ev.kind {
            EventKind::DirectoryAudit(a)
                if a.activity_display_name
                    .eq_ignore_ascii_case("Consent to application") =>
            {
                let app = a
                    .target_resources
                    .iter()
                    .find_map(|t| t.display_name.clone().or_else(|| t.id.clone()))
                    .unwrap_or_default();
                let mut text = String::new();
                for t in &a.target_resources {
                    for (name, old, new) in &t.modified_properties {
                        text.push_str(&format!(
                            "{name}={} {} ",
                            old.as_deref().unwrap_or(""),
                            new.as_deref().unwrap_or("")
                        ));
                    }
                }
                for (k, v) in &a.additional_details {
                    text.push_str(&format!("{k}={v} "));
                }
                (app, text)
            }
            EventKind::Audit(a) if a.operation.eq_ignore_ascii_case("Consent to application.") => {
                let app = a
                    .data
                    .get("Target")
                    .and_then(|t| t.as_array())
                    .and_then(|arr| {
                        arr.iter()
                            .find_map(|x| x.get("ID").and_then(|v| v.as_str()))
                    })
                    .or(a.object_id.as_deref())
                    .unwrap_or("")
                    .to_string();
                (app, a.data.to_string())
            }
            _ => return,
        };
        let scopes: Vec<&str> = MAIL_SCOPES
            .iter()
            .filter(|s| {
                text.split(|c: char| !(c.is_alphanumeric() || c == '.' || c == '_'))
                    .any(|w| w.eq_ignore_ascii_case(s))
            })
            .copied()
            .collect();
        let first = self.seen_apps.insert(app.to_lowercase());
        if scopes.is_empty() || cx.cfg.app_allowed(&app) || !first {
            return;
        }
        let offline = text.contains("offline_access");
        let severity = if offline {
            Severity::High
        } else {
            Severity::Medium
        };
        let who = cx.f.user.clone().unwrap_or_else(|| "?".into());
        let ip = cx.f.ip_text();
        let mut d = cx.draft(&META, severity).reason(
            format!("{who} がアプリ「{app}」にメール権限 {}{} で同意しました（許可リスト外、IP {ip}）。", scopes.join(", "), if offline { " + offline_access（パスワード変更後も有効）" } else { "" }),
            format!("{who} consented to app \"{app}\" with mail scopes {}{} (not allow-listed, IP {ip}).", scopes.join(", "), if offline { " + offline_access (survives a password reset)" } else { "" }),
        );
        d.countries.clear();
        out.push(d);
    }
}

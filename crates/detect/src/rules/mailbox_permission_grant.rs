//! Mailbox and folder permission grants: FullAccess, SendAs, SendOnBehalf, folder rights for
//! Default/Anonymous, ApplicationImpersonation.
//!
//! - Attack: a second identity (or every user) gets to read or send from a mailbox
//!   (T1098.002).
//! - Data: UAL Exchange admin `Add-MailboxPermission`, `Add-RecipientPermission`,
//!   `Add-MailboxFolderPermission`, `Set-MailboxFolderPermission`, `Set-Mailbox
//!   -GrantSendOnBehalfTo`, `New-ManagementRoleAssignment`.
//! - Severity: medium; **high** for `ApplicationImpersonation` or folder rights given to
//!   Default/Anonymous (everyone can read).
//! - False positives: delegated secretaries and shared mailboxes (routine admin work).

use model::{EventKind, Severity};

use super::{Cx, Draft, Rule, audit_param};
use crate::registry::{DetectionMeta, Role};

/// Registry entry.
pub static META: DetectionMeta = DetectionMeta {
    id: "mailbox_permission_grant",
    title_ja: "メールボックス・フォルダの権限付与",
    title_en: "Mailbox or folder permission granted",
    description_ja: "FullAccess・SendAs・代理送信・フォルダ権限（Default/Anonymous）・ApplicationImpersonation の付与。",
    description_en: "FullAccess, SendAs, SendOnBehalf, folder rights (Default/Anonymous) or ApplicationImpersonation granted.",
    severity: Severity::Medium,
    attack: &["T1098.002"],
    role: Role::Persistence,
};

/// Stateless.
#[derive(Default)]
pub struct MailboxPermissionGrant;

/// Constructor for the registry.
pub fn rule() -> Box<dyn Rule> {
    Box::new(MailboxPermissionGrant)
}

impl Rule for MailboxPermissionGrant {
    fn meta(&self) -> &'static DetectionMeta {
        &META
    }

    fn observe(&mut self, cx: &Cx<'_>, out: &mut Vec<Draft>) {
        let EventKind::Audit(a) = &cx.f.ev.kind else {
            return;
        };
        let op = a.operation.to_ascii_lowercase();
        let target = audit_param(a, "Identity").unwrap_or_default();
        let grantee = audit_param(a, "User")
            .or_else(|| audit_param(a, "Trustee"))
            .unwrap_or_default();
        let rights = audit_param(a, "AccessRights").unwrap_or_default();
        let (what, severity) = match op.as_str() {
            "add-mailboxpermission" => (format!("AccessRights={rights}"), Severity::Medium),
            "add-recipientpermission" => (format!("AccessRights={rights}"), Severity::Medium),
            "add-mailboxfolderpermission" | "set-mailboxfolderpermission" => {
                let everyone =
                    ["default", "anonymous"].contains(&grantee.trim().to_lowercase().as_str());
                let none = rights.trim().eq_ignore_ascii_case("none");
                if none {
                    return;
                }
                (
                    format!("folder AccessRights={rights}"),
                    if everyone {
                        Severity::High
                    } else {
                        Severity::Medium
                    },
                )
            }
            "set-mailbox" => {
                match audit_param(a, "GrantSendOnBehalfTo").filter(|v| !v.trim().is_empty()) {
                    Some(v) => (format!("GrantSendOnBehalfTo={v}"), Severity::Medium),
                    None => return,
                }
            }
            "new-managementroleassignment" => {
                let role = audit_param(a, "Role").unwrap_or_default();
                if !role.eq_ignore_ascii_case("ApplicationImpersonation") {
                    return;
                }
                (format!("Role={role}"), Severity::High)
            }
            _ => return,
        };
        let who = cx.f.user.clone().unwrap_or_else(|| "?".into());
        let ip = cx.f.ip_text();
        let mut d = cx.draft(&META, severity).reason(
            format!(
                "{who} が {} で {target} の権限を {grantee} に付与：{what}（IP {ip}）。",
                a.operation
            ),
            format!(
                "{who} ran {} granting {grantee} rights on {target}: {what} (IP {ip}).",
                a.operation
            ),
        );
        d.countries.clear();
        out.push(d);
    }
}

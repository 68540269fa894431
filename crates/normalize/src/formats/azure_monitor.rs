//! Entra ID logs streamed by Azure Monitor diagnostic settings (Event Hub, storage account
//! `insights-logs-*`): one record per sign-in or audit event, `{"records":[…]}` or one per line.
//! Doc: "Azure Monitor resource log schema" + Entra `SignInLogs` / `AuditLogs` categories.
//!
//! The envelope carries `time`, `category`, `tenantId`, `callerIpAddress`, `resultType`; the
//! Graph object sits in `properties`. The object's own time (`createdDateTime`,
//! `activityDateTime`) is preferred over the envelope's `time`, as Elastic's pipeline does.

use super::{Ctx, Obj};
use crate::fields::{object, text};

fn category(o: &Obj) -> Option<String> {
    text(o, &["category"])
}

/// Sign-in categories: `SignInLogs`, `NonInteractiveUserSignInLogs`,
/// `ServicePrincipalSignInLogs`, `ManagedIdentitySignInLogs`, `ADFSSignInLogs`.
pub(crate) mod signin {
    use super::*;
    use crate::formats::signin::{from_object, natural_id};
    use model::EventKind;

    /// An Azure Monitor record whose category ends in `SignInLogs`.
    pub fn sniff(o: &Obj) -> bool {
        category(o).is_some_and(|c| c.to_ascii_lowercase().ends_with("signinlogs"))
            && (crate::fields::get(o, &["properties"]).is_some()
                || crate::fields::get(o, &["time"]).is_some()
                || crate::fields::get(o, &["operationName"]).is_some())
    }

    /// Reads the sign-in in `properties`.
    pub fn read(o: Obj, raw: String, ctx: &Ctx<'_>) -> Result<Vec<model::Event>, String> {
        let props = object(&o, &["properties"])
            .ok_or("Azure Monitor sign-in record without `properties`")?;
        let mut s = from_object(&props, Some(&o))?;
        if let Some(k) = category(&o)
            .as_deref()
            .and_then(crate::formats::signin::kind_from_label)
        {
            s.sign_in.sign_in_kind = Some(k);
        }
        Ok(vec![ctx.event(
            natural_id(&s.id),
            s.time,
            raw,
            EventKind::SignIn(Box::new(s.sign_in)),
        )])
    }
}

/// The `AuditLogs` category (and audit categories some tools write instead, e.g.
/// `ApplicationManagement`, when `properties.activityDisplayName` is present).
pub(crate) mod audit {
    use super::*;
    use crate::formats::directory_audit::{from_object, natural_id};
    use model::EventKind;

    /// An Azure Monitor audit record.
    pub fn sniff(o: &Obj) -> bool {
        let Some(props) = object(o, &["properties"]) else {
            return category(o).is_some_and(|c| c.eq_ignore_ascii_case("AuditLogs"));
        };
        category(o).is_some_and(|c| c.eq_ignore_ascii_case("AuditLogs"))
            || crate::fields::get(&props, &["activityDisplayName"]).is_some()
    }

    /// Reads the audit record in `properties`.
    pub fn read(o: Obj, raw: String, ctx: &Ctx<'_>) -> Result<Vec<model::Event>, String> {
        let props =
            object(&o, &["properties"]).ok_or("Azure Monitor audit record without `properties`")?;
        let a = from_object(&props, Some(&o))?;
        Ok(vec![ctx.event(
            natural_id(&a.id),
            a.time,
            raw,
            EventKind::DirectoryAudit(Box::new(a.audit)),
        )])
    }
}

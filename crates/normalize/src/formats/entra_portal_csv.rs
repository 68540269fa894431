//! The Entra admin center's sign-in "Download → CSV" (Monitoring → Sign-in logs; doc:
//! entra-docs `howto-download-logs.md`): `InteractiveSignIns_*`, `NonInteractiveSignIns_*`,
//! `ApplicationSignIns_*`, `MSISignIns_*`. The only sign-in evidence a Free-tier tenant has.
//!
//! Quirks handled: trailing spaces in `Application ID␠`/`Resource ID␠`, `Autonomous system␠␠number`,
//! a repeated `Incoming token type`, `Location` as "City, State, CC" in one cell, no BOM / BOM,
//! UTF-8 or CP932 (re-saved by Excel; decoded before this reader). Interactive and
//! non-interactive files have the same columns, so the kind comes from the file name
//! (`NonInteractiveSignIns_…`) when it says; application files are recognised by
//! `Service principal ID`.
//!
//! Also the legacy (old Azure AD portal) CSV: `CreatedDateTime,UserPrincipalName,…,Status,
//! RiskState,…` with locale dates and no request id. Its natural id is composed
//! `signin-legacy:<time>:<user>:<ip>:<app>` (documented: it cannot match other formats).
//!
//! Natural id of the current CSV: `signin:<Request ID>` = Graph `signIn.id`.

use model::{EventKind, Location, SignIn, SignInKind};

use super::signin::{ca_status, natural_id};
use super::{Ctx, need_time};
use crate::csvrows::{Headers, Row};

/// The current portal header: `Date (UTC)` and `Request ID`.
pub(crate) fn sniff(h: &Headers) -> bool {
    h.has("request id") && (h.has("date (utc)") || h.has("date"))
}

/// "City, State, CC" → location. Two parts are "City, CC"; one two-letter part is a country.
fn split_location(cell: Option<&str>) -> Location {
    let mut loc = Location::default();
    let Some(cell) = cell else {
        return loc;
    };
    let parts: Vec<&str> = cell
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect();
    let mut rest = &parts[..];
    if let Some(last) = rest.last()
        && last.len() == 2
        && last.chars().all(|c| c.is_ascii_alphabetic())
    {
        loc.country = Some(last.to_ascii_uppercase());
        rest = &rest[..rest.len() - 1];
    }
    match rest {
        [city, state] => {
            loc.city = Some((*city).to_string());
            loc.state = Some((*state).to_string());
        }
        [city] => loc.city = Some((*city).to_string()),
        [city, mid @ .., state] => {
            loc.city = Some(format!("{city}, {}", mid.join(", ")));
            loc.state = Some((*state).to_string());
        }
        [] => {}
    }
    loc
}

fn status_code(row: &Row<'_>) -> (Option<i64>, Option<String>) {
    let code = row
        .get(&["sign-in error code", "error code"])
        .and_then(|c| c.parse::<i64>().ok());
    let status = row.get(&["status"]).map(str::to_ascii_lowercase);
    let reason = row.string(&["failure reason"]).filter(|r| r != "Other.");
    let code = code.or(match status.as_deref() {
        Some("success") | Some("成功") => Some(0),
        _ => None,
    });
    (code, reason)
}

/// Reads one row of the current portal CSV.
pub(crate) fn read(row: &Row<'_>, ctx: &Ctx<'_>) -> Result<Vec<model::Event>, String> {
    let id = row.get(&["request id"]).ok_or("no `Request ID`")?;
    let time = need_time(row.string(&["date (utc)", "date"]), "Date (UTC)")?;
    let (error_code, failure_reason) = status_code(row);
    let kind = if row.headers.has("service principal id") {
        Some(SignInKind::ServicePrincipal)
    } else {
        ctx.name_kind
    };
    let ip = row
        .get(&["ip address"])
        .and_then(model::parse_client_ip)
        .map(|c| c.ip);
    let sign_in = SignIn {
        sign_in_kind: kind,
        user_principal_name: row.get(&["username"]).map(str::to_lowercase),
        user_display_name: row.string(&["user"]),
        user_id: row.string(&["user id"]),
        app_display_name: row.string(&["application"]),
        app_id: row.string(&["application id"]),
        resource_display_name: row.string(&["resource"]),
        ip_address: ip,
        location: split_location(row.get(&["location"])),
        autonomous_system_number: row
            .get(&["autonomous system number"])
            .and_then(|a| a.parse().ok()),
        client_app_used: row.string(&["client app"]),
        user_agent: row.string(&["user agent"]),
        error_code,
        failure_reason,
        authentication_requirement: row.string(&["authentication requirement"]),
        authentication_protocol: row.string(&["authentication protocol"]),
        authentication_details: ctx.auth.get(id).cloned().unwrap_or_default(),
        conditional_access_status: row.get(&["conditional access"]).map(ca_status),
        correlation_id: row.string(&["correlation id"]),
        session_id: row.string(&["session id"]),
        device_id: row.string(&["device id"]),
        operating_system: row.string(&["operating system"]),
        browser: row.string(&["browser"]),
        risk_level_during_sign_in: row.string(&["risk level during sign-in"]),
        risk_state: row.string(&["risk state"]),
        tenant_guid: row.string(&["home tenant id", "resource tenant id"]),
    };
    Ok(vec![ctx.event(
        natural_id(id),
        time,
        row.to_raw(),
        EventKind::SignIn(Box::new(sign_in)),
    )])
}

/// The old portal header: `CreatedDateTime`, `UserPrincipalName`, `IPAddress`, `Status`, no
/// `ResultType`/`Id` (those make it a Log Analytics export).
pub(crate) fn sniff_legacy(h: &Headers) -> bool {
    h.has("createddatetime")
        && h.has("userprincipalname")
        && h.has("ipaddress")
        && h.has("status")
        && !h.has("resulttype")
        && !h.has("id")
}

/// Reads one row of the old portal CSV.
pub(crate) fn read_legacy(row: &Row<'_>, ctx: &Ctx<'_>) -> Result<Vec<model::Event>, String> {
    let time = need_time(row.string(&["createddatetime"]), "CreatedDateTime")?;
    let upn = row.get(&["userprincipalname"]).map(str::to_lowercase);
    let ip_text = row.get(&["ipaddress"]);
    let app = row.string(&["appdisplayname"]);
    let status = row.get(&["status"]).map(str::to_ascii_lowercase);
    let sign_in = SignIn {
        sign_in_kind: ctx.name_kind,
        user_principal_name: upn.clone(),
        user_display_name: row.string(&["userdisplayname"]),
        app_display_name: app.clone(),
        ip_address: ip_text.and_then(model::parse_client_ip).map(|c| c.ip),
        location: Location {
            city: row.string(&["city"]),
            state: row.string(&["state"]),
            // ISO alpha-2 only; a country name stays in `raw`.
            country: row
                .get(&["country"])
                .filter(|c| c.len() == 2 && c.chars().all(|x| x.is_ascii_alphabetic()))
                .map(str::to_ascii_uppercase),
            geo: None,
        },
        error_code: match status.as_deref() {
            Some("success") | Some("成功") => Some(0),
            _ => None,
        },
        failure_reason: status.filter(|s| s != "success" && s != "成功"),
        operating_system: row.string(&["os"]),
        browser: row.string(&["browser"]),
        risk_state: row.string(&["riskstate"]),
        risk_level_during_sign_in: row.string(&["risklevelduringsignin"]),
        conditional_access_status: row.get(&["conditionalaccessstatus"]).map(ca_status),
        ..SignIn::default()
    };
    let nid = format!(
        "signin-legacy:{}:{}:{}:{}",
        time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        upn.unwrap_or_default(),
        ip_text.unwrap_or(""),
        app.unwrap_or_default().to_lowercase()
    );
    Ok(vec![ctx.event(
        nid,
        time,
        row.to_raw(),
        EventKind::SignIn(Box::new(sign_in)),
    )])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn location_cells() {
        let l = split_location(Some("Hanoi, Ha Noi, VN"));
        assert_eq!(
            (l.city.as_deref(), l.state.as_deref(), l.country.as_deref()),
            (Some("Hanoi"), Some("Ha Noi"), Some("VN"))
        );
        let l = split_location(Some("Ashburn, Virginia, US"));
        assert_eq!(l.country.as_deref(), Some("US"));
        let l = split_location(Some("JP"));
        assert_eq!((l.city, l.country.as_deref()), (None, Some("JP")));
        assert_eq!(split_location(Some("")), Location::default());
    }
}

//! A fast path for Graph `signIn` objects: typed, borrowing deserialization straight from the
//! record's bytes, skipping the generic `serde_json::Value` tree (which cost about half the time
//! per record). It yields exactly what [`super::signin::from_object`] yields for the same
//! object; any record it does not fully understand (missing id or time, unexpected types) returns
//! `None` and takes the generic path. A test checks both paths agree.

use std::borrow::Cow;

use chrono::{DateTime, Utc};
use model::{AuthStep, GeoPoint, Location, SignIn, SignInKind};
use serde::Deserialize;

use super::signin::{ca_status, kind_from_label};

type S<'a> = Option<Cow<'a, str>>;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Graph<'a> {
    #[serde(borrow)]
    id: S<'a>,
    #[serde(borrow)]
    created_date_time: S<'a>,
    #[serde(borrow)]
    user_principal_name: S<'a>,
    #[serde(borrow)]
    user_display_name: S<'a>,
    #[serde(borrow)]
    user_id: S<'a>,
    #[serde(borrow)]
    app_display_name: S<'a>,
    #[serde(borrow)]
    app_id: S<'a>,
    #[serde(borrow)]
    resource_display_name: S<'a>,
    #[serde(borrow)]
    ip_address: S<'a>,
    autonomous_system_number: Option<i64>,
    #[serde(borrow)]
    client_app_used: S<'a>,
    #[serde(borrow)]
    user_agent: S<'a>,
    #[serde(borrow)]
    authentication_requirement: S<'a>,
    #[serde(borrow)]
    authentication_protocol: S<'a>,
    #[serde(borrow)]
    conditional_access_status: S<'a>,
    #[serde(borrow)]
    correlation_id: S<'a>,
    #[serde(borrow)]
    session_id: S<'a>,
    #[serde(borrow)]
    risk_level_during_sign_in: S<'a>,
    #[serde(borrow)]
    risk_state: S<'a>,
    #[serde(borrow)]
    home_tenant_id: S<'a>,
    #[serde(borrow)]
    resource_tenant_id: S<'a>,
    is_interactive: Option<bool>,
    #[serde(borrow)]
    sign_in_event_types: Option<Vec<Cow<'a, str>>>,
    #[serde(borrow)]
    status: Option<Status<'a>>,
    #[serde(borrow)]
    device_detail: Option<Device<'a>>,
    #[serde(borrow)]
    location: Option<Loc<'a>>,
    #[serde(borrow)]
    authentication_details: Option<Vec<Step<'a>>>,
    // Fields whose presence sends the record to the generic path.
    #[serde(borrow, rename = "properties")]
    properties: Option<&'a serde_json::value::RawValue>,
    #[serde(borrow, rename = "Type")]
    table_type: Option<&'a serde_json::value::RawValue>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Status<'a> {
    error_code: Option<i64>,
    #[serde(borrow)]
    failure_reason: S<'a>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Device<'a> {
    #[serde(borrow)]
    device_id: S<'a>,
    #[serde(borrow)]
    operating_system: S<'a>,
    #[serde(borrow)]
    browser: S<'a>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Loc<'a> {
    #[serde(borrow)]
    city: S<'a>,
    #[serde(borrow)]
    state: S<'a>,
    #[serde(borrow)]
    country_or_region: S<'a>,
    geo_coordinates: Option<Geo>,
}

#[derive(Deserialize)]
struct Geo {
    latitude: Option<f64>,
    longitude: Option<f64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Step<'a> {
    #[serde(borrow)]
    authentication_method: S<'a>,
    succeeded: Option<bool>,
    #[serde(borrow)]
    authentication_step_result_detail: S<'a>,
}

/// Trimmed, non-empty, borrowed.
fn tr<'s>(s: &'s S<'_>) -> Option<&'s str> {
    let v = s.as_deref()?.trim();
    (!v.is_empty()).then_some(v)
}

/// Trimmed, non-empty, owned.
fn t(s: &S<'_>) -> Option<String> {
    tr(s).map(str::to_string)
}

/// Reads a Graph sign-in from its JSON text: (natural id, time, sign-in), or `None` to use the
/// generic path. Each kept value is allocated once (this runs for every Graph sign-in read and
/// every one re-derived from the store).
pub(crate) fn read(text: &str) -> Option<(String, DateTime<Utc>, SignIn)> {
    let g: Graph<'_> = serde_json::from_str(text).ok()?;
    if g.properties.is_some() || g.table_type.is_some() {
        return None;
    }
    let id = super::signin::natural_id(tr(&g.id)?);
    let time = crate::time::parse_time(g.created_date_time.as_deref()?)?;
    if g.user_principal_name.is_none() && g.app_id.is_none() {
        return None;
    }
    let location = match &g.location {
        Some(l) => Location {
            city: t(&l.city),
            state: t(&l.state),
            country: tr(&l.country_or_region).map(str::to_ascii_uppercase),
            geo: l
                .geo_coordinates
                .as_ref()
                .and_then(|g| match (g.latitude, g.longitude) {
                    (Some(lat), Some(lon)) => Some(GeoPoint { lat, lon }),
                    _ => None,
                }),
        },
        None => Location::default(),
    };
    let sign_in_kind = g
        .sign_in_event_types
        .as_ref()
        .and_then(|v| v.first().and_then(|k| kind_from_label(k)))
        .or_else(|| {
            g.is_interactive.map(|i| {
                if i {
                    SignInKind::Interactive
                } else {
                    SignInKind::NonInteractive
                }
            })
        });
    let device = g.device_detail.as_ref();
    let s = SignIn {
        sign_in_kind,
        user_principal_name: tr(&g.user_principal_name).map(str::to_lowercase),
        user_display_name: t(&g.user_display_name),
        user_id: t(&g.user_id),
        app_display_name: t(&g.app_display_name),
        app_id: t(&g.app_id),
        resource_display_name: t(&g.resource_display_name),
        ip_address: g
            .ip_address
            .as_deref()
            .and_then(model::parse_client_ip)
            .map(|c| c.ip),
        location,
        autonomous_system_number: g
            .autonomous_system_number
            .and_then(|n| u32::try_from(n).ok()),
        client_app_used: t(&g.client_app_used),
        user_agent: t(&g.user_agent),
        error_code: g.status.as_ref().and_then(|s| s.error_code),
        failure_reason: g
            .status
            .as_ref()
            .and_then(|s| tr(&s.failure_reason))
            .filter(|r| *r != "Other.")
            .map(str::to_string),
        authentication_requirement: t(&g.authentication_requirement),
        authentication_protocol: t(&g.authentication_protocol),
        authentication_details: g
            .authentication_details
            .iter()
            .flatten()
            .map(|s| AuthStep {
                method: t(&s.authentication_method),
                succeeded: s.succeeded,
                result_detail: t(&s.authentication_step_result_detail),
            })
            .collect(),
        conditional_access_status: tr(&g.conditional_access_status).map(ca_status),
        correlation_id: t(&g.correlation_id),
        session_id: t(&g.session_id),
        device_id: device.and_then(|d| t(&d.device_id)),
        operating_system: device.and_then(|d| t(&d.operating_system)),
        browser: device.and_then(|d| t(&d.browser)),
        risk_level_during_sign_in: t(&g.risk_level_during_sign_in),
        risk_state: t(&g.risk_state),
        tenant_guid: t(&g.home_tenant_id).or_else(|| t(&g.resource_tenant_id)),
    };
    Some((id, time, s))
}

#[cfg(test)]
mod tests {
    #[test]
    fn agrees_with_the_generic_path() {
        let samples = [
            r#"{"id":"A-1","createdDateTime":"2025-06-01T01:02:03.1234567Z","userPrincipalName":"U@X.JP","ipAddress":"[2001:db8::1]:5","status":{"errorCode":50126,"failureReason":"bad"},"location":{"city":"Tokyo","state":null,"countryOrRegion":"jp","geoCoordinates":{"latitude":1.5,"longitude":2.5}},"deviceDetail":{"deviceId":"","browser":"Edge"},"authenticationDetails":[{"authenticationMethod":"Password","succeeded":false}],"conditionalAccessStatus":"notApplied","isInteractive":false,"autonomousSystemNumber":7552,"resourceTenantId":"t"}"#,
            r#"{"id":" b ","createdDateTime":"2025-06-01T01:02:03Z","appId":"x","signInEventTypes":["servicePrincipal"],"status":{"errorCode":0,"failureReason":"Other."}}"#,
        ];
        for text in samples {
            let fast = super::read(text).expect("fast path");
            let v: serde_json::Value = serde_json::from_str(text).expect("json");
            let slow =
                super::super::signin::from_object(v.as_object().expect("obj"), None).expect("slow");
            assert_eq!(fast.0, super::super::signin::natural_id(&slow.id));
            assert_eq!(fast.1, slow.time);
            assert_eq!(fast.2, slow.sign_in, "{text}");
        }
        assert!(super::read(r#"{"id":"x","createdDateTime":"2025-01-01T00:00:00Z","userPrincipalName":"a","location":"JP"}"#).is_none());
        assert!(
            super::read(r#"{"createdDateTime":"2025-01-01T00:00:00Z","userPrincipalName":"a"}"#)
                .is_none()
        );
    }
}

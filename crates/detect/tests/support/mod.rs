//! Builders for synthetic `model::Event`s used by the fixture generator and tests.
//! Everything here is invented: users, IPs (documentation ranges), ids.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::net::IpAddr;

pub mod scenarios;

use chrono::{DateTime, Duration, TimeZone, Utc};
use model::{
    AuditRecord, AuthStep, DirectoryAudit, Event, EventKind, GeoPoint, Location, MessageTrace,
    Provenance, SignIn, SignInKind, TargetResource,
};
use serde_json::{Value, json};

/// Day 0 of every fixture: 2025-03-01T00:00Z.
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 1, 0, 0, 0)
        .single()
        .expect("valid time")
}

/// `t0 + days + minutes`.
pub fn at(days: i64, minutes: i64) -> DateTime<Utc> {
    t0() + Duration::days(days) + Duration::minutes(minutes)
}

/// Places with coordinates: (country, lat, lon).
pub const TOKYO: (&str, f64, f64) = ("JP", 35.68, 139.69);
pub const HANOI: (&str, f64, f64) = ("VN", 21.03, 105.85);
pub const NEW_YORK: (&str, f64, f64) = ("US", 40.71, -74.0);
pub const BERLIN: (&str, f64, f64) = ("DE", 52.52, 13.40);
pub const SINGAPORE: (&str, f64, f64) = ("SG", 1.35, 103.82);

pub const USER: &str = "tanaka@example.co.jp";
pub const HOME_IP: &str = "192.0.2.10";
pub const ATTACKER_IP: &str = "192.0.2.200";
pub const CORP_IP: &str = "203.0.113.5";
pub const VPN_IP: &str = "198.51.100.9";

/// Builds events with sequential natural ids under one prefix.
pub struct Builder {
    prefix: String,
    n: u64,
    pub events: Vec<Event>,
}

fn ip(s: &str) -> Option<IpAddr> {
    s.parse().ok()
}

impl Builder {
    pub fn new(prefix: &str) -> Self {
        Builder {
            prefix: prefix.to_string(),
            n: 0,
            events: Vec::new(),
        }
    }

    fn push(&mut self, time: DateTime<Utc>, kind: EventKind) {
        self.n += 1;
        let natural_id = format!("{}-{:04}", self.prefix, self.n);
        self.events.push(Event {
            tenant: "default".into(),
            natural_id,
            time,
            provenance: Provenance {
                file: format!("fixtures/{}", self.prefix),
                record: self.n,
                format: "fixture".into(),
            },
            raw: "{}".into(),
            kind,
        });
    }

    /// A sign-in. `code` 0 = success. `client` e.g. "Browser", "Authenticated SMTP".
    #[allow(clippy::too_many_arguments)]
    pub fn sign_in(
        &mut self,
        time: DateTime<Utc>,
        user: &str,
        ip_text: &str,
        place: (&str, f64, f64),
        code: i64,
        client: &str,
        mfa: bool,
    ) -> &mut Self {
        let s = SignIn {
            sign_in_kind: Some(SignInKind::Interactive),
            user_principal_name: Some(user.into()),
            app_display_name: Some(
                if client == "Browser" {
                    "OfficeHome"
                } else {
                    "Office 365 Exchange Online"
                }
                .into(),
            ),
            ip_address: ip(ip_text),
            location: Location {
                country: Some(place.0.into()),
                geo: Some(GeoPoint {
                    lat: place.1,
                    lon: place.2,
                }),
                ..Location::default()
            },
            client_app_used: Some(client.into()),
            error_code: Some(code),
            authentication_requirement: Some(
                if mfa {
                    "multiFactorAuthentication"
                } else {
                    "singleFactorAuthentication"
                }
                .into(),
            ),
            authentication_details: vec![AuthStep {
                method: Some("Password".into()),
                succeeded: Some(code == 0),
                result_detail: Some(
                    if code == 0 {
                        "Correct Password"
                    } else {
                        "Invalid username or password"
                    }
                    .into(),
                ),
            }],
            ..SignIn::default()
        };
        self.push(time, EventKind::SignIn(Box::new(s)));
        self
    }

    /// Daily browser sign-ins with MFA from home in Tokyo on days `from..to`.
    pub fn history(&mut self, user: &str, from: i64, to: i64) -> &mut Self {
        for d in from..to {
            self.sign_in(at(d, 60), user, HOME_IP, TOKYO, 0, "Browser", true);
        }
        self
    }

    /// A unified audit record; `data` is the folded AuditData.
    pub fn audit(
        &mut self,
        time: DateTime<Utc>,
        user: &str,
        ip_text: &str,
        op: &str,
        mut data: Value,
    ) -> &mut Self {
        if let Value::Object(m) = &mut data {
            m.insert("Operation".into(), json!(op));
            m.insert("UserId".into(), json!(user));
        }
        let a = AuditRecord {
            operation: op.into(),
            workload: Some("Exchange".into()),
            user_id: Some(user.into()),
            result_status: Some("Succeeded".into()),
            client_ip: ip(ip_text),
            mailbox_owner_upn: data
                .get("MailboxOwnerUPN")
                .and_then(|v| v.as_str())
                .map(str::to_string),
            data,
            ..AuditRecord::default()
        };
        self.push(time, EventKind::Audit(Box::new(a)));
        self
    }

    /// An Exchange admin cmdlet with `Parameters`.
    pub fn cmdlet(
        &mut self,
        time: DateTime<Utc>,
        user: &str,
        ip_text: &str,
        op: &str,
        params: &[(&str, &str)],
    ) -> &mut Self {
        let p: serde_json::Map<String, Value> = params
            .iter()
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect();
        self.audit(time, user, ip_text, op, json!({ "Parameters": p }))
    }

    /// An Entra directory audit record.
    pub fn directory(
        &mut self,
        time: DateTime<Utc>,
        activity: &str,
        initiator: &str,
        target: &str,
        ip_text: &str,
        props: &[(&str, &str)],
    ) -> &mut Self {
        let a = DirectoryAudit {
            activity_display_name: activity.into(),
            result: Some("success".into()),
            initiated_by_user: Some(initiator.into()),
            ip_address: ip(ip_text),
            target_resources: vec![TargetResource {
                display_name: Some(target.into()),
                user_principal_name: target.contains('@').then(|| target.to_string()),
                modified_properties: props
                    .iter()
                    .map(|(n, v)| (n.to_string(), None, Some(v.to_string())))
                    .collect(),
                ..TargetResource::default()
            }],
            additional_details: BTreeMap::new(),
            ..DirectoryAudit::default()
        };
        self.push(time, EventKind::DirectoryAudit(Box::new(a)));
        self
    }

    /// One message-trace row.
    pub fn trace(
        &mut self,
        time: DateTime<Utc>,
        sender: &str,
        rcpt: &str,
        subject: &str,
        msg: &str,
        from_ip: Option<&str>,
    ) -> &mut Self {
        let m = MessageTrace {
            message_trace_id: Some(format!("trace-{msg}")),
            message_id: Some(msg.into()),
            sender_address: sender.into(),
            recipient_address: rcpt.into(),
            subject: Some(subject.into()),
            status: Some("Delivered".into()),
            from_ip: from_ip.and_then(ip),
            ..MessageTrace::default()
        };
        self.push(time, EventKind::MessageTrace(Box::new(m)));
        self
    }

    pub fn done(&mut self) -> Vec<Event> {
        let mut v = std::mem::take(&mut self.events);
        v.sort_by_key(|e| e.time);
        v
    }
}

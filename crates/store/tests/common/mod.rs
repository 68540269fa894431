//! Synthetic events for the store's tests and benches.
//!
//! All names, addresses and ids are made up (example.co.jp / documentation IP ranges); the raw
//! sign-in text follows the shape of a Microsoft Graph `signIn` record (field names from
//! ../shared/docs/FORMATS.md) and is about 1 KB, like a real export line.
#![allow(dead_code)]

use std::net::{IpAddr, Ipv4Addr};

use chrono::{DateTime, Duration, TimeZone, Utc};
use model::{AuditRecord, Event, EventKind, MailEnvelope, MessageTrace, Provenance};

/// CPU time of this thread so far (user + system, `/proc/thread-self/schedstat`), for the
/// benches: the machine is shared, so wall time alone says little.
pub fn thread_cpu() -> std::time::Duration {
    std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok())
        .map_or(std::time::Duration::ZERO, std::time::Duration::from_nanos)
}

/// Every event `filter` selects, in the store's order.
pub fn read_events(db: &store::SqliteStore, filter: &store::EventFilter) -> Vec<Event> {
    use store::Store;
    let mut out = Vec::new();
    db.for_each_event(filter, &mut |e| {
        out.push(e);
        Ok(())
    })
    .expect("read");
    out
}

/// 2025-03-12T00:00:00Z plus `secs` seconds.
pub fn at(secs: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 3, 12, 0, 0, 0)
        .single()
        .expect("valid date")
        + Duration::seconds(secs)
}

/// A tiny deterministic generator (xorshift64*), so tests and benches need no rand crate.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub fn guid(&mut self) -> String {
        let a = self.next();
        let b = self.next();
        format!(
            "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xffff,
            b >> 48,
            b & 0xffff_ffff_ffff
        )
    }
}

const APPS: [(&str, &str); 4] = [
    (
        "Office 365 Exchange Online",
        "00000002-0000-0ff1-ce00-000000000000",
    ),
    ("Microsoft Teams", "1fec8e78-bce4-4aaf-ab1b-5451cc387264"),
    (
        "Office 365 SharePoint Online",
        "00000003-0000-0ff1-ce00-000000000000",
    ),
    (
        "Microsoft Authentication Broker",
        "29d9ed98-a469-4536-ade2-f981bc1d605e",
    ),
];
const CLIENTS: [&str; 4] = [
    "Browser",
    "Mobile Apps and Desktop clients",
    "Authenticated SMTP",
    "IMAP4",
];
const PLACES: [(&str, &str, &str); 4] = [
    ("Tokyo", "Tokyo", "JP"),
    ("Osaka", "Osaka", "JP"),
    ("Ho Chi Minh City", "Ho Chi Minh", "VN"),
    ("Ashburn", "Virginia", "US"),
];

/// A realistic interactive sign-in, ~1 KB raw, for `tenant`, from a pool of `users` users.
pub fn realistic_sign_in(rng: &mut Rng, tenant: &str, time: DateTime<Utc>, users: u64) -> Event {
    let id = rng.guid();
    let correlation = rng.guid();
    let user_id = rng.guid();
    let device = rng.guid();
    let u = rng.below(users);
    let upn = format!("user{u:05}@example.co.jp");
    let (app, app_id) = APPS[rng.below(4) as usize];
    let client = CLIENTS[rng.below(4) as usize];
    let (city, state, country) = PLACES[rng.below(4) as usize];
    let ip = IpAddr::V4(Ipv4Addr::new(203, 0, 113, rng.below(250) as u8 + 1));
    let failed = rng.below(10) == 0;
    let (code, reason) = if failed {
        (
            50126,
            "Invalid username or password or Invalid on-premise username or password.",
        )
    } else {
        (0, "Other.")
    };
    let ts = time.format("%Y-%m-%dT%H:%M:%SZ");
    let raw = format!(
        r#"{{"id":"{id}","createdDateTime":"{ts}","userDisplayName":"User {u:05}","userPrincipalName":"{upn}","userId":"{user_id}","appId":"{app_id}","appDisplayName":"{app}","ipAddress":"{ip}","clientAppUsed":"{client}","userAgent":"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0","correlationId":"{correlation}","conditionalAccessStatus":"notApplied","isInteractive":true,"riskDetail":"none","riskLevelAggregated":"none","riskLevelDuringSignIn":"none","riskState":"none","riskEventTypes_v2":[],"resourceDisplayName":"{app}","resourceId":"{app_id}","autonomousSystemNumber":64500,"status":{{"errorCode":{code},"failureReason":"{reason}","additionalDetails":null}},"deviceDetail":{{"deviceId":"{device}","displayName":"","operatingSystem":"Windows10","browser":"Edge 131.0.0","isCompliant":false,"isManaged":false,"trustType":""}},"location":{{"city":"{city}","state":"{state}","countryOrRegion":"{country}","geoCoordinates":{{"altitude":null,"latitude":35.6895,"longitude":139.6917}}}},"authenticationRequirement":"singleFactorAuthentication","authenticationDetails":[{{"authenticationMethod":"Password","succeeded":{ok},"authenticationStepResultDetail":"Correct Password"}}]}}"#,
        ok = !failed,
    );
    // The typed content is what the Graph reader makes of the raw text: the store keeps only
    // the raw text of this format and re-derives the rest on read.
    let kind = derive_sign_in(&raw);
    Event {
        tenant: tenant.to_string(),
        natural_id: id,
        time,
        provenance: Provenance {
            file: "exports/signins_2025-03.json".to_string(),
            record: 1,
            format: "graph_signin_json".to_string(),
        },
        raw,
        kind,
    }
}

/// A small sign-in with chosen id, time and user (raw stays short and verbatim).
pub fn sign_in(tenant: &str, natural_id: &str, time: DateTime<Utc>, user: &str) -> Event {
    let raw = format!(
        r#"{{"id":"{natural_id}","createdDateTime":"{}","userPrincipalName":"{user}","ipAddress":"198.51.100.7","status":{{"errorCode":0}}}}"#,
        time.format("%Y-%m-%dT%H:%M:%SZ")
    );
    Event {
        tenant: tenant.to_string(),
        natural_id: natural_id.to_string(),
        time,
        provenance: Provenance {
            file: "signins.json".to_string(),
            record: 1,
            format: "graph_signin_json".to_string(),
        },
        raw: raw.clone(),
        kind: derive_sign_in(&raw),
    }
}

/// What the Graph sign-in reader makes of `raw` (the store re-derives it the same way).
pub fn derive_sign_in(raw: &str) -> EventKind {
    normalize::derive_kind("graph_signin_json", raw)
        .expect("graph_signin_json derives from raw")
        .unwrap_or_else(|e| panic!("fixture is not a readable Graph sign-in: {e}\n{raw}"))
}

/// A unified audit log record.
pub fn audit(
    tenant: &str,
    natural_id: &str,
    time: DateTime<Utc>,
    user: &str,
    operation: &str,
) -> Event {
    Event {
        tenant: tenant.to_string(),
        natural_id: natural_id.to_string(),
        time,
        provenance: Provenance {
            file: "ual.csv".to_string(),
            record: 2,
            format: "purview_audit_csv".to_string(),
        },
        raw: format!(r#"{{"Id":"{natural_id}","Operation":"{operation}","UserId":"{user}","AuditData":{{"ClientIP":"203.0.113.9:50000","Folders":[{{"Path":"\\送信済みアイテム"}}]}}}}"#).repeat(4),
        kind: EventKind::Audit(Box::new(AuditRecord {
            record_type: Some(2),
            operation: operation.to_string(),
            workload: Some("Exchange".to_string()),
            user_id: Some(user.to_string()),
            client_ip: Some(IpAddr::V4(Ipv4Addr::new(203, 0, 113, 9))),
            client_port: Some(50000),
            data: serde_json::json!({"ClientIP": "203.0.113.9:50000", "Folders": [{"Path": "\\送信済みアイテム"}], "Nothing": null}),
            ..AuditRecord::default()
        })),
    }
}

/// A message trace row.
pub fn trace(tenant: &str, natural_id: &str, time: DateTime<Utc>, sender: &str) -> Event {
    Event {
        tenant: tenant.to_string(),
        natural_id: natural_id.to_string(),
        time,
        provenance: Provenance {
            file: "trace.csv".to_string(),
            record: 3,
            format: "message_trace_csv".to_string(),
        },
        raw: format!(r#"{{"SenderAddress":"{sender}","RecipientAddress":"a@example.net"}}"#),
        kind: EventKind::MessageTrace(Box::new(MessageTrace {
            message_trace_id: Some(natural_id.to_string()),
            sender_address: sender.to_string(),
            recipient_address: "a@example.net".to_string(),
            subject: Some("請求書のご確認".to_string()),
            ..MessageTrace::default()
        })),
    }
}

/// A mailbox item without an owner (so it names no user).
pub fn mail(tenant: &str, natural_id: &str, time: DateTime<Utc>) -> Event {
    Event {
        tenant: tenant.to_string(),
        natural_id: natural_id.to_string(),
        time,
        provenance: Provenance {
            file: "box.pst".to_string(),
            record: 0,
            format: "pst".to_string(),
        },
        raw: "Subject: test\r\n\r\n".to_string(),
        kind: EventKind::Mail(Box::new(MailEnvelope {
            folder: Some("送信済みアイテム".to_string()),
            subject: Some("test".to_string()),
            ..MailEnvelope::default()
        })),
    }
}

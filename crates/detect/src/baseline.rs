//! Per-user history: what is normal for this person, learned from the events seen so far.
//!
//! Updated by the engine *after* the detections looked at an event, so "new" always means
//! "not seen before this event". A baseline counts as **established** only once the user has
//! [`ESTABLISHED_MIN_DAYS`] days of history and [`ESTABLISHED_MIN_SIGN_INS`] successful
//! sign-ins: before that, "new country" fires only against declared expected locations, so the
//! first days of a run (or a new hire) do not flood the report.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::IpAddr;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use model::{EventKind, GeoPoint};

use crate::facts::Facts;

/// Days of history before a baseline counts.
pub const ESTABLISHED_MIN_DAYS: i64 = 7;
/// Successful sign-ins before a baseline counts.
pub const ESTABLISHED_MIN_SIGN_INS: u32 = 5;

/// The last successful sign-in with a usable location.
#[derive(Debug, Clone)]
pub struct LastSignIn {
    /// When.
    pub time: DateTime<Utc>,
    /// From where.
    pub point: GeoPoint,
    /// Whether `point` is better than a country centroid.
    pub precise: bool,
    /// Country.
    pub country: Option<String>,
    /// IP.
    pub ip: Option<IpAddr>,
    /// The event.
    pub natural_id: String,
}

/// What is normal for one user.
#[derive(Debug, Clone)]
pub struct UserBaseline {
    /// First event seen.
    pub first_seen: DateTime<Utc>,
    /// Successful sign-ins seen.
    pub sign_ins_ok: u32,
    /// Countries of successful sign-ins → last seen.
    pub countries: HashMap<String, DateTime<Utc>>,
    /// IPs the user used (successful sign-ins, own audit activity, own submissions).
    pub ips: HashSet<IpAddr>,
    /// IPs from which a legacy protocol succeeded.
    pub legacy_ips: HashSet<IpAddr>,
    /// Mailbox clients seen in MailItemsAccessed (app id or client info).
    pub mailbox_clients: HashSet<String>,
    /// Last located successful sign-in (not from corporate/VPN egress).
    pub last_ok: Option<LastSignIn>,
    /// Outbound messages per day (message trace).
    pub sent_per_day: BTreeMap<NaiveDate, u32>,
    /// External recipients the user has written to.
    pub recipients: HashSet<String>,
}

impl UserBaseline {
    fn new(t: DateTime<Utc>) -> Self {
        UserBaseline {
            first_seen: t,
            sign_ins_ok: 0,
            countries: HashMap::new(),
            ips: HashSet::new(),
            legacy_ips: HashSet::new(),
            mailbox_clients: HashSet::new(),
            last_ok: None,
            sent_per_day: BTreeMap::new(),
            recipients: HashSet::new(),
        }
    }

    /// True once there is enough history to call something "new" (see module docs).
    pub fn established(&self, now: DateTime<Utc>) -> bool {
        now - self.first_seen >= Duration::days(ESTABLISHED_MIN_DAYS)
            && self.sign_ins_ok >= ESTABLISHED_MIN_SIGN_INS
    }

    /// The most the user sent in one day so far (0 without history).
    pub fn max_sent_per_day(&self) -> u32 {
        self.sent_per_day.values().copied().max().unwrap_or(0)
    }

    /// Records what `f` shows as normal for this user.
    pub fn learn(&mut self, f: &Facts<'_>, outbound_recipient: Option<&str>) {
        let t = f.ev.time;
        if let Some(l) = &f.logon {
            if l.success && !l.non_user {
                self.sign_ins_ok += 1;
                if let Some(ip) = f.ip {
                    self.ips.insert(ip);
                    if l.legacy.is_some() {
                        self.legacy_ips.insert(ip);
                    }
                }
                if let Some(c) = &f.country
                    && f.is_public_foreign()
                {
                    self.countries.insert(c.clone(), t);
                }
                if let Some(p) = f.point
                    && f.is_public_foreign()
                {
                    self.last_ok = Some(LastSignIn {
                        time: t,
                        point: p,
                        precise: f.point_precise,
                        country: f.country.clone(),
                        ip: f.ip,
                        natural_id: f.ev.natural_id.clone(),
                    });
                }
            }
            return;
        }
        if let Some(ip) = f.ip {
            self.ips.insert(ip);
        }
        match &f.ev.kind {
            EventKind::Audit(a) if a.operation == "MailItemsAccessed" => {
                if let Some(c) = mailbox_client(a) {
                    self.mailbox_clients.insert(c);
                }
            }
            EventKind::MessageTrace(_) => {
                if let Some(r) = outbound_recipient {
                    *self.sent_per_day.entry(t.date_naive()).or_insert(0) += 1;
                    self.recipients.insert(r.to_string());
                }
            }
            _ => {}
        }
    }
}

/// The client a MailItemsAccessed record names: app id first, else the client info string.
pub fn mailbox_client(a: &model::AuditRecord) -> Option<String> {
    a.app_id
        .clone()
        .or_else(|| {
            a.data
                .get("ClientAppId")
                .and_then(|v| v.as_str())
                .map(str::to_string)
        })
        .or_else(|| a.client_info_string.clone())
        .map(|s| s.to_lowercase())
}

/// All users' baselines.
#[derive(Debug, Default)]
pub struct Baselines {
    users: HashMap<String, UserBaseline>,
}

impl Baselines {
    /// The baseline of `user`, if any event was seen for them.
    pub fn get(&self, user: &str) -> Option<&UserBaseline> {
        self.users.get(user)
    }

    /// Records what `f` shows as normal for `user` (creating the baseline at the event's time
    /// if new). Looks up before inserting so the common case does not allocate the key.
    pub fn learn(&mut self, user: &str, f: &Facts<'_>, outbound_recipient: Option<&str>) {
        if let Some(b) = self.users.get_mut(user) {
            b.learn(f, outbound_recipient);
        } else {
            let mut b = UserBaseline::new(f.ev.time);
            b.learn(f, outbound_recipient);
            self.users.insert(user.to_string(), b);
        }
    }

    /// How many users have a baseline.
    pub fn len(&self) -> usize {
        self.users.len()
    }

    /// True when no user was seen.
    pub fn is_empty(&self) -> bool {
        self.users.is_empty()
    }
}

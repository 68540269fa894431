//! What the engine derives once per event so every detection reads the same answers:
//! the user, the IP and whether it is ours, the country and coordinates (log first, GeoIP
//! second), and for sign-ins (Entra or UAL logon) a uniform [`Logon`] view.

use std::net::IpAddr;

use model::{Event, EventKind, GeoPoint, SignInKind};

use crate::config::{Config, NetworkClass};
use crate::geo::country_centroid;

/// Derived facts about one event.
#[derive(Debug, Clone)]
pub struct Facts<'a> {
    /// The event.
    pub ev: &'a Event,
    /// The user it is about (lower-case UPN / address).
    pub user: Option<String>,
    /// The client IP.
    pub ip: Option<IpAddr>,
    /// Corporate / VPN / private / public.
    pub net: Option<NetworkClass>,
    /// ISO alpha-2 country, from the log or GeoIP.
    pub country: Option<String>,
    /// Coordinates, from the log, GeoIP or a country centroid.
    pub point: Option<GeoPoint>,
    /// False when `point` is only a country centroid (wider error).
    pub point_precise: bool,
    /// Sign-in view, for Entra sign-ins and UAL `UserLoggedIn` / `UserLoginFailed`.
    pub logon: Option<Logon>,
}

/// A sign-in seen through either log.
#[derive(Debug, Clone, PartialEq)]
pub struct Logon {
    /// Error code 0 / `UserLoggedIn`.
    pub success: bool,
    /// Entra error code (`status.errorCode`, UAL `ErrorNumber`).
    pub error_code: Option<i64>,
    /// App display name (or id).
    pub app: Option<String>,
    /// `clientAppUsed`.
    pub client_app: Option<String>,
    /// The legacy/basic protocol used, when one was.
    pub legacy: Option<Legacy>,
    /// `authenticationRequirement == singleFactorAuthentication`.
    pub single_factor: bool,
    /// The password was proven correct though the sign-in did not complete (MFA/CA stopped it).
    pub correct_password: bool,
    /// A service principal or managed identity: not a person.
    pub non_user: bool,
}

/// A legacy (basic-auth) protocol and how telling it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Legacy {
    /// The name as the log gives it (e.g. "Authenticated SMTP", "ROPC").
    pub name: String,
    /// False for Exchange ActiveSync, which modern clients also use.
    pub strong: bool,
}

/// Error codes for a wrong or unusable password (Sentinel SigninPasswordSpray): invalid
/// username/password, locked, expired.
pub const PASSWORD_FAILURE_CODES: [i64; 3] = [50126, 50053, 50055];

/// Error codes returned after the password was accepted (MFA required / denied).
const PASSWORD_OK_CODES: [i64; 4] = [50074, 50076, 50079, 500121];

const LEGACY_CLIENT_APPS: [&str; 12] = [
    "authenticated smtp",
    "smtp",
    "imap4",
    "imap",
    "pop3",
    "pop",
    "other clients",
    "exchange web services",
    "mapi over http",
    "offline address book",
    "outlook anywhere (rpc over http)",
    "autodiscover",
];

impl<'a> Facts<'a> {
    /// Derives the facts for `ev` under `cfg`.
    pub fn derive(ev: &'a Event, cfg: &Config) -> Self {
        let kind_user = match &ev.kind {
            EventKind::Audit(a) => a.user_id.clone().or_else(|| a.mailbox_owner_upn.clone()),
            k => k.user().map(str::to_string),
        };
        let user = kind_user
            .map(|u| u.trim().to_lowercase())
            .filter(|u| !u.is_empty());
        let ip = ev.kind.ip();
        let net = ip.map(|ip| cfg.classify(ip));
        let (mut country, mut point, mut precise) = (None, None, false);
        if let EventKind::SignIn(s) = &ev.kind {
            country = s.location.country.clone().map(|c| c.to_ascii_uppercase());
            if let Some(g) = s.location.geo {
                point = Some(g);
                precise = true;
            }
        }
        if (country.is_none() || point.is_none())
            && let (Some(ip), Some(db)) = (ip, cfg.geoip.as_ref())
            && let Some(hit) = db.lookup(ip)
        {
            // The log's own location wins; GeoIP only fills the gaps.
            if country.is_none() {
                country = hit.country;
            }
            if point.is_none()
                && let Some(p) = hit.point
            {
                point = Some(p);
                precise = true;
            }
        }
        if point.is_none() {
            point = country.as_deref().and_then(country_centroid);
        }
        Facts {
            ev,
            user,
            ip,
            net,
            country,
            point,
            point_precise: precise,
            logon: logon_of(ev),
        }
    }

    /// True when the IP is corporate or VPN egress.
    pub fn is_ours(&self) -> bool {
        matches!(self.net, Some(NetworkClass::Corporate | NetworkClass::Vpn))
    }

    /// True when the IP says something about location (public and not ours).
    pub fn is_public_foreign(&self) -> bool {
        matches!(self.net, Some(NetworkClass::Public))
    }

    /// The event's evidence reference.
    pub fn evidence(&self) -> model::EvidenceRef {
        model::EvidenceRef {
            kind: self.ev.kind.name().to_string(),
            natural_id: self.ev.natural_id.clone(),
        }
    }

    /// For a message-trace row sent by its user to outside the tenant: the recipient.
    /// Direction comes from the log when it says; otherwise from the tenant's domains (or,
    /// without configured domains, from sender and recipient domains differing).
    pub fn outbound_recipient(&self, cfg: &Config) -> Option<&'a str> {
        let EventKind::MessageTrace(m) = &self.ev.kind else {
            return None;
        };
        let rcpt = m.recipient_address.as_str();
        let domain = |a: &str| a.rsplit('@').next().unwrap_or("").to_string();
        let outbound = match m.direction {
            Some(model::Direction::Outbound) => true,
            Some(_) => false,
            None if cfg.domains.is_empty() => domain(rcpt) != domain(&m.sender_address),
            None => cfg.is_internal_address(&m.sender_address) && !cfg.is_internal_address(rcpt),
        };
        (outbound && !rcpt.is_empty()).then_some(rcpt)
    }

    /// IP as text (empty when absent).
    pub fn ip_text(&self) -> String {
        self.ip.map(|i| i.to_string()).unwrap_or_default()
    }

    /// Country as text (`??` when unknown).
    pub fn country_text(&self) -> String {
        self.country.clone().unwrap_or_else(|| "??".into())
    }
}

fn logon_of(ev: &Event) -> Option<Logon> {
    match &ev.kind {
        EventKind::SignIn(s) => {
            let code = s.error_code;
            let ropc = s
                .authentication_protocol
                .as_deref()
                .is_some_and(|p| p.eq_ignore_ascii_case("ropc"))
                || s.user_agent
                    .as_deref()
                    .is_some_and(|u| u.contains("BAV2ROPC"));
            let legacy = legacy_of(s.client_app_used.as_deref(), ropc);
            let correct_password = s.authentication_details.iter().any(|d| {
                d.result_detail
                    .as_deref()
                    .is_some_and(|r| r.eq_ignore_ascii_case("Correct Password"))
            }) || code.is_some_and(|c| PASSWORD_OK_CODES.contains(&c));
            Some(Logon {
                success: s.succeeded(),
                error_code: code,
                app: s.app_display_name.clone().or_else(|| s.app_id.clone()),
                client_app: s.client_app_used.clone(),
                legacy,
                single_factor: s
                    .authentication_requirement
                    .as_deref()
                    .is_some_and(|r| r.eq_ignore_ascii_case("singleFactorAuthentication")),
                correct_password,
                non_user: matches!(
                    s.sign_in_kind,
                    Some(SignInKind::ServicePrincipal | SignInKind::ManagedIdentity)
                ),
            })
        }
        EventKind::Audit(a)
            if a.operation == "UserLoggedIn" || a.operation == "UserLoginFailed" =>
        {
            let success = a.operation == "UserLoggedIn";
            let code = a
                .data
                .get("ErrorNumber")
                .and_then(|v| {
                    v.as_i64()
                        .or_else(|| v.as_str().and_then(|s| s.trim().parse().ok()))
                })
                .or(if success { Some(0) } else { None });
            let ua = a
                .data
                .pointer("/ExtendedProperties/UserAgent")
                .and_then(|v| v.as_str())
                .unwrap_or("");
            Some(Logon {
                success,
                error_code: code,
                app: a.app_id.clone(),
                client_app: None,
                legacy: legacy_of(None, ua.contains("BAV2ROPC")),
                single_factor: false,
                correct_password: false,
                non_user: false,
            })
        }
        _ => None,
    }
}

/// The protocol name shown to people: the client app when it names a legacy protocol (e.g.
/// "Authenticated SMTP", which also carries the BAV2ROPC agent), else "ROPC".
fn legacy_of(client_app: Option<&str>, ropc: bool) -> Option<Legacy> {
    let c = client_app.map(str::trim).unwrap_or("");
    let lc = c.to_ascii_lowercase();
    if LEGACY_CLIENT_APPS.contains(&lc.as_str()) {
        Some(Legacy {
            name: c.to_string(),
            strong: true,
        })
    } else if ropc {
        Some(Legacy {
            name: "ROPC".into(),
            strong: true,
        })
    } else if lc == "exchange activesync" {
        Some(Legacy {
            name: c.to_string(),
            strong: false,
        })
    } else {
        None
    }
}

//! The scenario calendar: the period, business trips (declared and one undeclared), the day of
//! the password spray, the day of the takeover, newsletter subscribers and legitimate inbox rules.
//!
//! Everything is decided up front from the seed, so each day can be generated independently.

use std::net::IpAddr;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};

use crate::rng::Gen;
use crate::tenant::{ADMIN, Tenant, VICTIM};
use crate::world::{host, network};

/// A business trip (出張).
#[derive(Debug, Clone)]
pub(crate) struct Trip {
    /// Traveller.
    pub user: usize,
    /// Country visited.
    pub country: &'static str,
    /// First day abroad.
    pub from: NaiveDate,
    /// Last day abroad (inclusive).
    pub to: NaiveDate,
    /// Listed in `expected_locations.csv`.
    pub declared: bool,
    /// The hotel address used for the whole trip.
    pub ip: IpAddr,
}

/// A legitimate inbox rule someone creates.
#[derive(Debug, Clone)]
pub(crate) struct LegitRule {
    /// Owner.
    pub user: usize,
    /// Day it is created.
    pub day: NaiveDate,
    /// Forward to this colleague (else: move newsletters to a folder).
    pub forward_to: Option<usize>,
}

/// The decided calendar.
#[derive(Debug, Clone)]
pub(crate) struct Plan {
    /// First instant covered.
    pub start: DateTime<Utc>,
    /// End of the period (exclusive).
    pub end: DateTime<Utc>,
    /// Business trips; the undeclared one is last.
    pub trips: Vec<Trip>,
    /// Day of the takeover (UTC date).
    pub attack_day: NaiveDate,
    /// Day of the password spray.
    pub spray_day: NaiveDate,
    /// The spray's single source address.
    pub spray_ip: IpAddr,
    /// Users the spray tries.
    pub spray_targets: Vec<usize>,
    /// The attacker's addresses (first used for the sign-in, second for part of the sending).
    pub attacker_ips: [IpAddr; 2],
    /// Per user: subscribed to the external newsletter.
    pub subscribed: Vec<bool>,
    /// Legitimate inbox rules.
    pub legit_rules: Vec<LegitRule>,
    /// Start of the secondment to Vietnam.
    pub secondment_from: NaiveDate,
}

/// Trip destinations: (network key, country).
const DESTINATIONS: &[(&str, &str)] = &[
    ("travel-detroit", "US"),
    ("travel-sanjose", "US"),
    ("travel-munich", "DE"),
    ("travel-bangkok", "TH"),
    ("travel-shanghai", "CN"),
];

impl Plan {
    /// The date of day index `d`.
    pub(crate) fn date(&self, d: u32) -> NaiveDate {
        self.start.date_naive() + Duration::days(i64::from(d))
    }

    /// The trip `user` is on at `date`, if any.
    pub(crate) fn trip_on(&self, user: usize, date: NaiveDate) -> Option<&Trip> {
        self.trips
            .iter()
            .find(|t| t.user == user && t.from <= date && date <= t.to)
    }

    /// The undeclared trip.
    pub(crate) fn undeclared(&self) -> Option<&Trip> {
        self.trips.iter().find(|t| !t.declared)
    }
}

/// True on Monday to Friday.
pub(crate) fn is_workday(date: NaiveDate) -> bool {
    !matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Decides the calendar for `days` days ending at `end` (days ≥ 8).
pub(crate) fn build(seed: u64, tenant: &Tenant, end: DateTime<Utc>, days: u32) -> Plan {
    let mut g = Gen::new(seed, "plan", 0);
    let start = end - Duration::days(i64::from(days));
    let end_date = end.date_naive();
    let n = tenant.users.len();
    let jp_users: Vec<usize> = (2..n)
        .filter(|&i| tenant.users[i].site.country() == "JP")
        .collect();
    let attack_day = end_date - Duration::days(4);
    let spray_day = end_date - Duration::days(6);

    // Declared trips: about 4 % of Japanese staff, 3–6 days each, anywhere in the period.
    let mut trips = Vec::new();
    let n_trips = (jp_users.len() / 25).max(2);
    let mut used = Vec::new();
    for _ in 0..n_trips {
        let user = *g.pick(&jp_users);
        if used.contains(&user) {
            continue;
        }
        used.push(user);
        let (net, country) = *g.pick(DESTINATIONS);
        let len = g.range(3, 7) as i64;
        let first = g.range(0, u64::from(days.saturating_sub(len as u32 + 1)).max(1)) as i64;
        let from = start.date_naive() + Duration::days(first);
        trips.push(Trip {
            user,
            country,
            from,
            to: from + Duration::days(len - 1),
            declared: true,
            ip: host(network(net), u128::from(g.u64())),
        });
    }
    // One undeclared two-day trip to Korea that stays low severity (MFA done, known device).
    // Taken from the end of the list so it is not also the owner of the legitimate forward rule.
    let undeclared_user = jp_users
        .iter()
        .rev()
        .copied()
        .find(|u| !used.contains(u))
        .unwrap_or(ADMIN);
    let from = end_date - Duration::days(3);
    trips.push(Trip {
        user: undeclared_user,
        country: "KR",
        from,
        to: from + Duration::days(1),
        declared: false,
        ip: host(network("hotel-kr"), u128::from(g.u64())),
    });

    let spray_ip = host(network("spray-nl"), 23);
    let mut spray_targets: Vec<usize> = (0..n).filter(|&i| i != VICTIM && g.chance(0.6)).collect();
    if spray_targets.len() < 5 {
        spray_targets = (0..n).filter(|&i| i != VICTIM).take(8).collect();
    }
    let attacker_ips = [
        host(network("attacker-us"), 17),
        host(network("attacker-us"), 42),
    ];
    let subscribed: Vec<bool> = (0..n).map(|_| g.chance(0.35)).collect();
    let mut legit_rules = Vec::new();
    let subscribers: Vec<usize> = (2..n).filter(|&i| subscribed[i]).collect();
    for &u in subscribers.iter().take(3) {
        let day = start.date_naive() + Duration::days(g.range(0, u64::from(days)) as i64);
        legit_rules.push(LegitRule {
            user: u,
            day,
            forward_to: None,
        });
    }
    if jp_users.len() >= 2 {
        let day = start.date_naive() + Duration::days(g.range(0, u64::from(days)) as i64);
        legit_rules.push(LegitRule {
            user: jp_users[0],
            day,
            forward_to: Some(jp_users[1]),
        });
    }
    let secondment_from = NaiveDate::from_ymd_opt(2024, 4, 1).unwrap_or(start.date_naive());
    Plan {
        start,
        end,
        trips,
        attack_day,
        spray_day,
        spray_ip,
        spray_targets,
        attacker_ips,
        subscribed,
        legit_rules,
        secondment_from,
    }
}

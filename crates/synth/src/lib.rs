//! Synthetic Microsoft 365 tenant generator (`mimamori generate`).
//!
//! Writes a Japanese manufacturer's tenant — headquarters in Japan, a Vietnam subsidiary,
//! normal activity with the confounders that make naive detectors cry wolf (business trips,
//! mobile IP churn, a VPN abroad, a failed password spray, typos, newsletters, legitimate inbox
//! rules) — and the 2025 account-takeover replay, in the real export formats of
//! `shared/docs/FORMATS.md`: Graph sign-in and directory-audit JSON pages, the Entra portal
//! sign-in CSV, the Purview unified-audit-log CSV, `Get-MessageTraceV2` CSV and the historical
//! extended report. Alongside: `mimamori.toml`, `expected_locations.csv`, `geoip.mmdb` (written by
//! [`mmdb`]) and `ground_truth.json` ([`GroundTruth`]).
//!
//! With [`GenerateOptions::mailbox_pst`] the mailbox is also written as a Unicode PST
//! (`mailbox.pst`) by [`pst::PstWriter`], the crate's own streaming MS-PST writer.
//!
//! Output is a pure function of [`GenerateOptions`]: the same seed gives byte-identical files.
//! Days are generated and streamed one at a time, so memory stays flat at any size.

#![recursion_limit = "512"]

mod activity;
mod attachments;
mod batch;
mod clients;
mod config_files;
mod directory;
pub mod error;
mod ground_truth;
mod incident;
mod mail;
mod mail_activity;
mod mailbox;
mod mailbox_pst;
mod mime;
pub mod mmdb;
mod names;
mod output;
mod plan;
pub mod pst;
mod rng;
mod signin;
mod tenant;
mod trace;
mod ual;
mod world;
mod writers;

use std::path::PathBuf;

use chrono::{DateTime, TimeZone, Utc};

pub use error::Error;
pub use ground_truth::{
    Attacker, Counts, GroundTruth, HiddenSends, MailboxTruth, Spray, Trip, UserInfo, Victim,
};
pub use signin::{AUTH_DETAILS_HEADER, PORTAL_HEADER};
pub use tenant::Site;
pub use trace::{HISTORICAL_HEADER, TRACE_HEADER};
pub use ual::PURVIEW_HEADER;

/// What to generate.
#[derive(Debug, Clone, PartialEq)]
pub struct GenerateOptions {
    /// Output folder (created if missing).
    pub out: PathBuf,
    /// Random seed; same seed, same bytes.
    pub seed: u64,
    /// Number of users (at least 10).
    pub users: usize,
    /// Number of days of activity (at least 8, so the incident and the 7-day portal download fit).
    pub days: u32,
    /// End of the period (exclusive). Fixed by default for reproducibility.
    pub end: DateTime<Utc>,
    /// Objects per Graph JSON page (Graph's sign-in pages hold up to 1,000).
    pub page_size: usize,
    /// Rows per Purview CSV file (the portal export caps at 50,000).
    pub ual_rows_per_file: u64,
    /// Also write the victim's mailbox export (MBOX folders with attachments).
    pub mailbox: bool,
    /// Also write the same mailbox as a Unicode PST, `mailbox.pst` (as a Purview eDiscovery
    /// export would deliver it); needs `mailbox`.
    pub mailbox_pst: bool,
}

/// The fixed default end of the period: 2025-07-01T00:00:00Z.
pub fn default_end() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 7, 1, 0, 0, 0)
        .single()
        .unwrap_or(DateTime::<Utc>::UNIX_EPOCH)
}

impl GenerateOptions {
    /// Defaults (seed 1, 120 users, 60 days, end 2025-07-01) writing into `out`.
    pub fn new(out: impl Into<PathBuf>) -> Self {
        Self {
            out: out.into(),
            seed: 1,
            users: 120,
            days: 60,
            end: default_end(),
            page_size: 1000,
            ual_rows_per_file: 50_000,
            mailbox: true,
            mailbox_pst: false,
        }
    }
}

/// Generates the synthetic tenant into `opts.out` and returns its ground truth (also written
/// as `ground_truth.json`).
pub fn generate(opts: &GenerateOptions) -> Result<GroundTruth, Error> {
    if opts.users < 10 {
        return Err(Error::InvalidOption {
            option: "--users",
            reason: format!(
                "{} is too few; the scenario needs at least 10 users",
                opts.users
            ),
        });
    }
    if opts.days < 8 {
        return Err(Error::InvalidOption {
            option: "--days",
            reason: format!(
                "{} is too few; the scenario needs at least 8 days",
                opts.days
            ),
        });
    }
    if opts.mailbox_pst && !opts.mailbox {
        return Err(Error::InvalidOption {
            option: "mailbox_pst",
            reason: "the PST copy of the mailbox needs the mailbox export switched on".into(),
        });
    }
    if opts.page_size == 0 || opts.ual_rows_per_file == 0 {
        return Err(Error::InvalidOption {
            option: "page size",
            reason: "page and file sizes must be positive".into(),
        });
    }
    output::run(opts)
}

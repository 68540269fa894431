//! mimamori's case output: the machine-readable files of a case folder and the reports made
//! from them.
//!
//! `mimamori investigate PATH… --out CASE_DIR` writes, through this crate:
//!
//! - `incidents.jsonl`, `findings.jsonl` ([`model::Incident`], [`model::Finding`]),
//!   `hidden_sends.jsonl` ([`HiddenSend`]), `mail_verdicts.jsonl` ([`MailVerdictLine`]) —
//!   [`write_jsonl`] / [`read_jsonl`];
//! - `timeline.csv` ([`TimelineRow`], [`TimelineWriter`]; spreadsheet-formula safe);
//! - `case.json` ([`CaseMeta`]);
//! - `report.md`, `report.html`, `ppc-report.md` — [`write_reports`].
//!
//! `scope.json` is written by the pii crate and read here through the lenient [`ScopeView`].
//! [`read_case_dir`] loads a whole folder back into [`CaseInputs`] (for the dashboard).
//!
//! Everything attacker-controlled is escaped at the sink ([`escape`]); personal data is masked
//! in the reports unless [`ReportOptions::reveal`].

pub mod case;
pub mod doc;
pub mod error;
pub mod escape;
pub mod facts;
pub mod files;
pub mod jsonl;
pub mod labels;
pub mod ppc;
pub mod render;
pub mod report;
pub mod scope;
pub mod timeline;

pub use case::{CaseInputs, CaseMeta, read_case_dir, write_case_files, write_case_meta};
pub use error::{ActError, Result};
pub use files::{HiddenSend, MailVerdictLine, Verdict, VerdictReason, hidden_sends_from_findings};
pub use jsonl::{JsonlRead, read_jsonl, write_jsonl};
pub use labels::Lang;
pub use ppc::{
    Deadlines, PpcAssessment, Requirement, Trigger, assess, deadlines, render_ppc_draft,
};
pub use report::{
    ReportOptions, ReportPaths, build_report, render_report_html, render_report_md, write_reports,
    write_reports_with,
};
pub use scope::ScopeView;
pub use timeline::{
    TIMELINE_COLUMNS, TimelineRow, TimelineStats, TimelineWriter, mark_findings,
    read_timeline_stats, write_timeline,
};

//! The Entra portal's authentication-details companion file (`InteractiveSignIns_AuthDetails_
//! <from>_<to>.csv`), joined to the sign-in CSV on `Request ID`.
//!
//! Decision: its column list is not published (FORMATS.md), so it is read loosely: a `Request ID`
//! column plus columns whose normalized header (case/space-insensitive) contains
//! `authentication method` (not `detail`), is `succeeded`, or contains `result detail`. Rows
//! produce no events; they fill `SignIn::authentication_details` of the sign-in with that
//! Request ID when both files are read in one walk (a folder or archive): AuthDetails files are
//! read first. Unknown extra columns are ignored.

use std::collections::HashMap;

use model::AuthStep;

use super::Ctx;
use crate::csvrows::{Headers, Row};

/// Authentication steps by lower-cased Request ID.
#[derive(Debug, Default)]
pub struct AuthJoin {
    steps: HashMap<String, Vec<AuthStep>>,
}

impl AuthJoin {
    /// The steps recorded for `request_id`.
    pub(crate) fn get(&self, request_id: &str) -> Option<&Vec<AuthStep>> {
        self.steps.get(&request_id.trim().to_ascii_lowercase())
    }

    /// Adds one row of an AuthDetails file; returns false when it has no Request ID.
    pub(crate) fn add_row(&mut self, row: &Row<'_>) -> bool {
        let Some(id) = row.get(&["request id"]) else {
            return false;
        };
        let cols = Columns::find(row.headers);
        let step = AuthStep {
            method: cols.method.and_then(|i| cell(row, i)),
            succeeded: cols.succeeded.and_then(|i| cell(row, i)).and_then(|s| {
                match s.to_ascii_lowercase().as_str() {
                    "true" | "yes" | "success" | "succeeded" | "はい" | "成功" => Some(true),
                    "false" | "no" | "failure" | "failed" | "いいえ" | "失敗" => Some(false),
                    _ => None,
                }
            }),
            result_detail: cols.detail.and_then(|i| cell(row, i)),
        };
        self.steps
            .entry(id.to_ascii_lowercase())
            .or_default()
            .push(step);
        true
    }
}

fn cell(row: &Row<'_>, i: usize) -> Option<String> {
    let v = row.cells.get(i)?.trim();
    (!v.is_empty()).then(|| v.to_string())
}

struct Columns {
    method: Option<usize>,
    succeeded: Option<usize>,
    detail: Option<usize>,
}

impl Columns {
    fn find(h: &Headers) -> Self {
        let pos = |f: &dyn Fn(&str) -> bool| h.norm.iter().position(|n| f(n));
        Self {
            method: pos(&|n| n.contains("authentication method") && !n.contains("detail")),
            succeeded: pos(&|n| n == "succeeded" || n == "success"),
            detail: pos(&|n| n.contains("result detail")),
        }
    }
}

/// An AuthDetails header: Request ID and an authentication-method column, no sign-in columns.
pub(crate) fn sniff(h: &Headers) -> bool {
    let c = Columns::find(h);
    h.has("request id")
        && c.method.is_some()
        && (c.succeeded.is_some() || c.detail.is_some())
        && !h.has("ip address")
}

/// AuthDetails rows are loaded by the walker before sign-in files; read on their own they
/// produce no events.
pub(crate) fn read(row: &Row<'_>, _ctx: &Ctx<'_>) -> Result<Vec<model::Event>, String> {
    if row.get(&["request id"]).is_none() {
        return Err("AuthDetails row without `Request ID`".into());
    }
    Ok(Vec::new())
}

//! Exchange Online historical message trace reports (EAC "Start a trace" → downloadable report;
//! `Start-HistoricalSearch -ReportType MessageTrace|MessageTraceDetail`): the enhanced summary
//! and the extended report. CSV in UTF-16LE with BOM (also seen UTF-8), decoded before this
//! reader. Time column `origin_timestamp_utc` (older) or `date_time_utc` (newer).
//!
//! Summary rows list recipients in `recipient_status` as `addr##Receive, Send;addr2##…`: one
//! event per recipient. Extended rows name one `recipient_address`. `directionality` is 1/2 or
//! `Incoming`/`Originating`. `original_client_ip` (else `client_ip`) is the submitter — the field
//! that shows SMTP AUTH abuse when `FromIP` is blank.
//!
//! Natural id `mt:<network_message_id>:<recipient>` (= `MessageTraceId` of Get-MessageTrace);
//! extended reports repeat a message per hop, and those rows share that id by design.

use model::{Direction, EventKind, MessageTrace};

use super::message_trace::{bare_message_id, natural_id};
use super::{Ctx, need_time};
use crate::csvrows::{Headers, Row};

/// A historical report header.
pub(crate) fn sniff(h: &Headers) -> bool {
    (h.has("origin_timestamp_utc") || h.has("date_time_utc"))
        && h.has("sender_address")
        && (h.has("recipient_status") || h.has("recipient_address"))
}

fn direction(cell: Option<&str>) -> Option<Direction> {
    match cell?.trim().to_ascii_lowercase().as_str() {
        "1" | "incoming" | "inbound" => Some(Direction::Inbound),
        "2" | "originating" | "outgoing" | "outbound" => Some(Direction::Outbound),
        "intra" | "intraorg" => Some(Direction::Intra),
        _ => None,
    }
}

/// `addr##Receive, Send;addr2##…` → [(addr, "Receive, Send"), …].
fn recipients(cell: &str) -> Vec<(String, Option<String>)> {
    cell.split(';')
        .filter_map(|part| {
            let (addr, status) = match part.split_once("##") {
                Some((a, s)) => (a, Some(s.trim().to_string()).filter(|s| !s.is_empty())),
                None => (part, None),
            };
            let addr = addr.trim().to_lowercase();
            (!addr.is_empty()).then_some((addr, status))
        })
        .collect()
}

/// Reads one report row.
pub(crate) fn read(row: &Row<'_>, ctx: &Ctx<'_>) -> Result<Vec<model::Event>, String> {
    let time = need_time(
        row.string(&["date_time_utc", "origin_timestamp_utc"]),
        "origin_timestamp_utc",
    )?;
    let list = match row.get(&["recipient_address"]) {
        Some(one) => recipients(one)
            .into_iter()
            .map(|(a, _)| (a, row.string(&["event_id"])))
            .collect(),
        None => recipients(row.get(&["recipient_status"]).unwrap_or("")),
    };
    if list.is_empty() {
        return Err("no recipient (`recipient_status` / `recipient_address`)".into());
    }
    let raw = row.to_raw();
    let sender = row.get(&["sender_address"]).unwrap_or("").to_lowercase();
    let client_ip = row
        .get(&["original_client_ip", "client_ip"])
        .and_then(model::parse_client_ip)
        .map(|c| c.ip);
    let mut out = Vec::with_capacity(list.len());
    for (recipient, status) in list {
        let trace = MessageTrace {
            message_trace_id: row.string(&["network_message_id"]),
            message_id: row.get(&["message_id"]).map(bare_message_id),
            sender_address: sender.clone(),
            recipient_address: recipient,
            subject: row.string(&["message_subject"]),
            status,
            from_ip: None,
            to_ip: row
                .get(&["server_ip"])
                .and_then(model::parse_client_ip)
                .map(|c| c.ip),
            client_ip,
            size: row.get(&["total_bytes"]).and_then(|s| s.parse().ok()),
            direction: direction(row.get(&["directionality"])),
        };
        let nid = natural_id(&trace, time)?;
        out.push(ctx.event(
            nid,
            time,
            raw.clone(),
            EventKind::MessageTrace(Box::new(trace)),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn recipient_status_expands() {
        let r = super::recipients("a@x.jp##Receive, Send;B@y.com##Receive, Fail;");
        assert_eq!(r.len(), 2);
        assert_eq!(r[1].0, "b@y.com");
        assert_eq!(r[0].1.as_deref(), Some("Receive, Send"));
    }
}

//! Exchange Online message trace, one event per message and recipient:
//! - `Get-MessageTrace` / `Get-MessageTraceV2 | Export-Csv` (doc: office-docs-powershell
//!   `Get-MessageTraceV2.md`): `Received, SenderAddress, RecipientAddress, Subject, Status,
//!   ToIP, FromIP, Size, MessageTraceId, MessageId, Organization, …`; `Received` in the exporting
//!   machine's locale, UTC.
//! - the Reporting Web Service `MessageTrace` rows (same names, JSON) and Graph beta
//!   `exchangeMessageTrace` (`id, messageId, receivedDateTime, senderAddress, recipientAddress,
//!   subject, size, status, fromIP, toIP`). An empty `{"value":[]}` envelope yields nothing.
//!
//! Natural id: `mt:<MessageTraceId>:<recipient>` (MessageTraceId is the network message id, so
//! historical reports' `network_message_id` agree); without it
//! `mt:msgid:<Message-ID>:<recipient>:<time>`. Direction is derived from `Organization` when the
//! row names it (sender and recipient domains inside → intra; recipient inside → inbound).

use chrono::{DateTime, Utc};
use model::{Direction, EventKind, MessageTrace};

use super::{Ctx, Obj, need_time};
use crate::csvrows::{Headers, Row};
use crate::fields::{get, int, lower, text};

/// Strips angle brackets from a Message-ID.
pub(crate) fn bare_message_id(s: &str) -> String {
    s.trim()
        .trim_start_matches('<')
        .trim_end_matches('>')
        .to_string()
}

fn in_domain(addr: &str, org: &str) -> bool {
    let domain = addr.rsplit('@').next().unwrap_or("");
    let org = org.trim().to_ascii_lowercase();
    domain == org || domain.ends_with(&format!(".{org}"))
}

/// Direction from the organization's domain.
pub(crate) fn direction(sender: &str, recipient: &str, org: Option<&str>) -> Option<Direction> {
    let org = org?;
    match (in_domain(sender, org), in_domain(recipient, org)) {
        (true, true) => Some(Direction::Intra),
        (false, true) => Some(Direction::Inbound),
        (true, false) => Some(Direction::Outbound),
        (false, false) => None,
    }
}

/// The natural id of one message to one recipient.
pub(crate) fn natural_id(trace: &MessageTrace, time: DateTime<Utc>) -> Result<String, String> {
    if trace.recipient_address.is_empty() {
        return Err("no recipient address".into());
    }
    if let Some(id) = &trace.message_trace_id {
        return Ok(format!(
            "mt:{}:{}",
            id.to_ascii_lowercase(),
            trace.recipient_address
        ));
    }
    match &trace.message_id {
        Some(mid) => Ok(format!(
            "mt:msgid:{}:{}:{}",
            mid,
            trace.recipient_address,
            time.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
        )),
        None => Err("neither `MessageTraceId` nor `MessageId`".into()),
    }
}

fn ip(s: Option<String>) -> Option<std::net::IpAddr> {
    s.as_deref().and_then(model::parse_client_ip).map(|c| c.ip)
}

/// Reporting Web Service / Graph JSON rows.
pub(crate) mod json {
    use super::*;

    /// A trace row: `MessageTraceId`, or `RecipientAddress` with `Received`/`receivedDateTime`.
    pub fn sniff(o: &Obj) -> bool {
        get(o, &["MessageTraceId"]).is_some()
            || (get(o, &["RecipientAddress"]).is_some()
                && get(o, &["Received", "receivedDateTime"]).is_some())
    }

    /// Reads one row.
    pub fn read(o: Obj, raw: String, ctx: &Ctx<'_>) -> Result<Vec<model::Event>, String> {
        let time = need_time(text(&o, &["Received", "receivedDateTime"]), "Received")?;
        let sender = lower(&o, &["SenderAddress"]).unwrap_or_default();
        let recipient = lower(&o, &["RecipientAddress"]).unwrap_or_default();
        let org = text(&o, &["Organization"]);
        let trace = MessageTrace {
            message_trace_id: text(&o, &["MessageTraceId", "id"]),
            message_id: text(&o, &["MessageId"]).map(|m| bare_message_id(&m)),
            direction: direction(&sender, &recipient, org.as_deref()),
            sender_address: sender,
            recipient_address: recipient,
            subject: text(&o, &["Subject"]),
            status: text(&o, &["Status"]),
            from_ip: ip(text(&o, &["FromIP"])),
            to_ip: ip(text(&o, &["ToIP"])),
            client_ip: None,
            size: int(&o, &["Size"]).and_then(|n| u64::try_from(n).ok()),
        };
        let nid = natural_id(&trace, time)?;
        Ok(vec![ctx.event(
            nid,
            time,
            raw,
            EventKind::MessageTrace(Box::new(trace)),
        )])
    }
}

/// A `Get-MessageTrace(V2) | Export-Csv` header.
pub(crate) fn sniff_csv(h: &Headers) -> bool {
    h.has("received") && h.has("senderaddress") && h.has("recipientaddress")
}

/// Reads one `Get-MessageTrace(V2)` row; a `RecipientAddress` cell listing several addresses
/// (`;` or `,`) becomes one event per recipient.
pub(crate) fn read_csv(row: &Row<'_>, ctx: &Ctx<'_>) -> Result<Vec<model::Event>, String> {
    let time = need_time(row.string(&["received"]), "Received")?;
    let sender = row.get(&["senderaddress"]).unwrap_or("").to_lowercase();
    let org = row.get(&["organization"]);
    let raw = row.to_raw();
    let recipients: Vec<String> = row
        .get(&["recipientaddress"])
        .unwrap_or("")
        .split([';', ','])
        .map(|r| r.trim().to_lowercase())
        .filter(|r| !r.is_empty())
        .collect();
    if recipients.is_empty() {
        return Err("no recipient address".into());
    }
    let mut out = Vec::with_capacity(recipients.len());
    for recipient in recipients {
        let trace = MessageTrace {
            message_trace_id: row.string(&["messagetraceid"]),
            message_id: row.get(&["messageid"]).map(bare_message_id),
            direction: direction(&sender, &recipient, org),
            sender_address: sender.clone(),
            recipient_address: recipient,
            subject: row.string(&["subject"]),
            status: row.string(&["status"]),
            from_ip: ip(row.string(&["fromip"])),
            to_ip: ip(row.string(&["toip"])),
            client_ip: None,
            size: row.get(&["size"]).and_then(|s| s.parse().ok()),
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

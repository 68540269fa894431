//! Exchange Online message trace: `Get-MessageTraceV2 | Export-Csv` files (one row per message
//! and recipient, 10-day query windows) and the historical-search extended report (UTF-16LE
//! with BOM, as the Exchange admin center downloads it) for the incident window.

use std::net::IpAddr;

use chrono::{DateTime, Utc};

use crate::writers::csv_line;

/// `Get-MessageTraceV2` object properties in Export-Csv order (FORMATS.md).
pub const TRACE_HEADER: &[&str] = &[
    "PSComputerName",
    "RunspaceId",
    "PSShowComputerName",
    "Organization",
    "MessageId",
    "Received",
    "SenderAddress",
    "RecipientAddress",
    "Subject",
    "Status",
    "ToIP",
    "FromIP",
    "Size",
    "MessageTraceId",
    "StartDate",
    "EndDate",
    "Index",
];

/// Extended historical report columns (message tracking log order, FORMATS.md names).
pub const HISTORICAL_HEADER: &[&str] = &[
    "date_time_utc",
    "client_ip",
    "client_hostname",
    "server_ip",
    "server_hostname",
    "source_context",
    "connector_id",
    "source",
    "event_id",
    "internal_message_id",
    "message_id",
    "network_message_id",
    "recipient_address",
    "recipient_status",
    "total_bytes",
    "recipient_count",
    "related_recipient_address",
    "reference",
    "message_subject",
    "sender_address",
    "return_path",
    "message_info",
    "directionality",
    "tenant_id",
    "original_client_ip",
    "original_server_ip",
    "custom_data",
];

/// One message to one recipient.
#[derive(Debug, Clone)]
pub(crate) struct TraceRow {
    /// `Received` (UTC).
    pub received: DateTime<Utc>,
    /// `MessageId` with angle brackets.
    pub message_id: String,
    /// `SenderAddress`.
    pub sender: String,
    /// `RecipientAddress`.
    pub recipient: String,
    /// `Subject`.
    pub subject: String,
    /// `Status`.
    pub status: &'static str,
    /// `ToIP`.
    pub to_ip: Option<IpAddr>,
    /// `FromIP`.
    pub from_ip: Option<IpAddr>,
    /// `Size`.
    pub size: u64,
    /// `MessageTraceId` (one per message, shared by its recipients).
    pub trace_id: String,
}

/// `Received` as Export-Csv writes a DateTime under en-US: `6/1/2025 6:54:24 AM`.
pub(crate) fn ps_date(t: DateTime<Utc>) -> String {
    t.format("%-m/%-d/%Y %-I:%M:%S %p").to_string()
}

impl TraceRow {
    /// The Export-Csv line (every cell quoted, as PowerShell does).
    pub(crate) fn line(
        &self,
        runspace: &str,
        org: &str,
        start: &str,
        end: &str,
        index: u64,
    ) -> String {
        let ip = |x: Option<IpAddr>| x.map(|i| i.to_string()).unwrap_or_default();
        csv_line(
            &[
                "",
                runspace,
                "False",
                org,
                &self.message_id,
                &ps_date(self.received),
                &self.sender,
                &self.recipient,
                &self.subject,
                self.status,
                &ip(self.to_ip),
                &ip(self.from_ip),
                &self.size.to_string(),
                &self.trace_id,
                start,
                end,
                &index.to_string(),
            ],
            true,
        )
    }
}

/// One event row of the extended historical report.
#[derive(Debug, Clone)]
pub(crate) struct HistRow {
    /// `date_time_utc`.
    pub time: DateTime<Utc>,
    /// `client_ip` (the submitting client for RECEIVE events).
    pub client_ip: String,
    /// `client_hostname`.
    pub client_hostname: String,
    /// `server_ip`.
    pub server_ip: String,
    /// `source`: SMTP, STOREDRIVER, AGENT…
    pub source: &'static str,
    /// `event_id`: RECEIVE, SEND, DELIVER, FAIL…
    pub event_id: &'static str,
    /// `message_id`.
    pub message_id: String,
    /// `network_message_id` (= MessageTraceId).
    pub network_message_id: String,
    /// `recipient_address`.
    pub recipient: String,
    /// `recipient_status`.
    pub recipient_status: String,
    /// `total_bytes`.
    pub size: u64,
    /// `message_subject`.
    pub subject: String,
    /// `sender_address`.
    pub sender: String,
    /// `directionality`: 1 incoming, 2 originating.
    pub directionality: &'static str,
    /// `tenant_id`.
    pub tenant_id: String,
    /// `original_client_ip`.
    pub original_client_ip: String,
}

impl HistRow {
    /// The CSV line (all cells quoted).
    pub(crate) fn line(&self) -> String {
        let time = self.time.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string();
        let internal = format!("{}", self.time.timestamp_millis() % 10_000_000_000);
        let source_context = if self.source == "SMTP" && self.event_id == "RECEIVE" {
            format!(
                "08DD{:012X};{time};ClientSubmitTime:",
                self.time.timestamp_millis()
            )
        } else {
            String::new()
        };
        csv_line(
            &[
                time.as_str(),
                &self.client_ip,
                &self.client_hostname,
                &self.server_ip,
                "TYWPR01MB8201.jpnprd01.prod.outlook.com",
                &source_context,
                if self.source == "SMTP" {
                    "TYWPR01MB8201\\Client Proxy TYWPR01MB8201"
                } else {
                    ""
                },
                self.source,
                self.event_id,
                &internal,
                &self.message_id,
                &self.network_message_id,
                &self.recipient,
                &self.recipient_status,
                &self.size.to_string(),
                "1",
                "",
                "",
                &self.subject,
                &self.sender,
                &self.sender,
                "",
                self.directionality,
                &self.tenant_id,
                &self.original_client_ip,
                "",
                "",
            ],
            true,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn powershell_date() {
        let t = DateTime::parse_from_rfc3339("2025-06-01T16:04:05Z")
            .expect("time")
            .with_timezone(&Utc);
        assert_eq!(ps_date(t), "6/1/2025 4:04:05 PM");
    }
}

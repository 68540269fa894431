//! Unified audit log records (Office 365 Management Activity API schema) and the Purview
//! portal CSV export that carries them.
//!
//! Export header: `RecordId,CreationDate,RecordType,Operation,UserId,AuditData,
//! AssociatedAdminUnits,AssociatedAdminUnitsNames`; `CreationDate` is quoted with a trailing
//! space (`"2025-06-01T06:54:24.0000000Z "`), `AuditData` is the JSON record with doubled
//! quotes, and files are split at 50,000 rows like the portal's export cap.

use std::net::IpAddr;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value, json};

use crate::tenant::{ONMICROSOFT, Tenant, User};
use crate::writers::{csv_cell, csv_line};

/// The Purview export header.
pub const PURVIEW_HEADER: &[&str] = &[
    "RecordId",
    "CreationDate",
    "RecordType",
    "Operation",
    "UserId",
    "AuditData",
    "AssociatedAdminUnits",
    "AssociatedAdminUnitsNames",
];

/// One unified audit log record, ready to write.
#[derive(Debug, Clone)]
pub(crate) struct UalRec {
    /// `CreationTime`.
    pub time: DateTime<Utc>,
    /// `Id` = export `RecordId`.
    pub id: String,
    /// `RecordType` number.
    pub record_type: u32,
    /// `Operation`.
    pub operation: &'static str,
    /// `UserId`.
    pub user_id: String,
    /// The AuditData JSON text.
    pub audit_data: String,
}

impl UalRec {
    /// The Purview export line for this record.
    pub(crate) fn purview_line(&self) -> String {
        let mut line = String::with_capacity(self.audit_data.len() + 200);
        line.push_str(&self.id);
        line.push(',');
        let created = format!("{}.0000000Z ", self.time.format("%Y-%m-%dT%H:%M:%S"));
        csv_cell(&mut line, &created, true);
        line.push(',');
        line.push_str(&self.record_type.to_string());
        line.push(',');
        csv_cell(&mut line, self.operation, false);
        line.push(',');
        csv_cell(&mut line, &self.user_id, false);
        line.push(',');
        csv_cell(&mut line, &self.audit_data, true);
        line.push_str(",,\r\n");
        line
    }
}

/// The Purview header line.
pub(crate) fn purview_header() -> String {
    csv_line(PURVIEW_HEADER, false)
}

/// A Management API `ClientIP` text: `a.b.c.d:port` / `[v6]:port` when `port` is given.
pub(crate) fn client_ip_text(ip: IpAddr, port: Option<u16>) -> String {
    match (ip, port) {
        (IpAddr::V4(a), Some(p)) => format!("{a}:{p}"),
        (IpAddr::V6(a), Some(p)) => format!("[{a}]:{p}"),
        (ip, None) => ip.to_string(),
    }
}

/// Builds records for one tenant.
pub(crate) struct UalBuilder<'a> {
    /// The tenant.
    pub tenant: &'a Tenant,
}

/// A mailbox item touched by `MailItemsAccessed`.
#[derive(Debug, Clone)]
pub(crate) struct FolderItem {
    /// `InternetMessageId` with angle brackets.
    pub message_id: String,
    /// `SizeInBytes`.
    pub size: u64,
}

impl<'a> UalBuilder<'a> {
    #[allow(clippy::too_many_arguments)]
    fn common(
        &self,
        time: DateTime<Utc>,
        id: &str,
        op: &str,
        record_type: u32,
        workload: &str,
        user_id: &str,
        result: &str,
    ) -> Map<String, Value> {
        let mut m = Map::new();
        m.insert(
            "CreationTime".into(),
            json!(time.format("%Y-%m-%dT%H:%M:%S").to_string()),
        );
        m.insert("Id".into(), json!(id));
        m.insert("Operation".into(), json!(op));
        m.insert("OrganizationId".into(), json!(self.tenant.guid));
        m.insert("RecordType".into(), json!(record_type));
        m.insert("ResultStatus".into(), json!(result));
        m.insert("UserKey".into(), json!(user_id));
        m.insert("UserType".into(), json!(0));
        m.insert("Version".into(), json!(1));
        m.insert("Workload".into(), json!(workload));
        m.insert("UserId".into(), json!(user_id));
        m
    }

    fn finish(
        time: DateTime<Utc>,
        id: String,
        record_type: u32,
        op: &'static str,
        user: &str,
        m: Map<String, Value>,
    ) -> UalRec {
        UalRec {
            time,
            id,
            record_type,
            operation: op,
            user_id: user.to_string(),
            audit_data: Value::Object(m).to_string(),
        }
    }

    fn mailbox_fields(
        &self,
        m: &mut Map<String, Value>,
        u: &User,
        ip: IpAddr,
        client_info: &str,
        session: &str,
    ) {
        m.insert("UserKey".into(), json!(u.object_id));
        m.insert("ClientIP".into(), json!(ip.to_string()));
        m.insert("ClientIPAddress".into(), json!(ip.to_string()));
        m.insert("ClientInfoString".into(), json!(client_info));
        m.insert("ExternalAccess".into(), json!(false));
        m.insert("InternalLogonType".into(), json!(0));
        m.insert("LogonType".into(), json!(0));
        m.insert("LogonUserSid".into(), json!(u.sid));
        m.insert("MailboxGuid".into(), json!(u.mailbox_guid));
        m.insert("MailboxOwnerSid".into(), json!(u.sid));
        m.insert("MailboxOwnerUPN".into(), json!(u.upn));
        m.insert("OrganizationName".into(), json!(ONMICROSOFT));
        m.insert(
            "OriginatingServer".into(),
            json!("TYWPR01MB8201 (15.20.8857.015)"),
        );
        m.insert("SessionId".into(), json!(session));
    }

    /// `MailItemsAccessed` (RecordType 50) with `MailAccessType` Bind or Sync.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn mail_items_accessed(
        &self,
        time: DateTime<Utc>,
        id: String,
        u: &User,
        ip: IpAddr,
        sync: bool,
        folders: &[(&str, Vec<FolderItem>)],
        client_info: &str,
        app_id: &str,
        session: &str,
    ) -> UalRec {
        let mut m = self.common(
            time,
            &id,
            "MailItemsAccessed",
            50,
            "Exchange",
            &u.upn,
            "Succeeded",
        );
        self.mailbox_fields(&mut m, u, ip, client_info, session);
        m.insert("AppId".into(), json!(app_id));
        m.insert("ClientAppId".into(), json!(""));
        let mut count = 0usize;
        let folders_json: Vec<Value> = folders
            .iter()
            .enumerate()
            .map(|(i, (path, items))| {
                count += items.len().max(1);
                let mut f = json!({
                    "Id": format!("LgAAAAB{:0>40}AQ{:0>8}AAAC", u.mailbox_guid.replace('-', ""), i),
                    "Path": path,
                });
                if !sync {
                    f["FolderItems"] = Value::Array(
                        items
                            .iter()
                            .map(|it| json!({"InternetMessageId": it.message_id, "SizeInBytes": it.size}))
                            .collect(),
                    );
                }
                f
            })
            .collect();
        m.insert("Folders".into(), Value::Array(folders_json));
        m.insert("OperationCount".into(), json!(count));
        m.insert(
            "OperationProperties".into(),
            json!([
                {"Name": "MailAccessType", "Value": if sync { "Sync" } else { "Bind" }},
                {"Name": "IsThrottled", "Value": "False"}
            ]),
        );
        Self::finish(time, id, 50, "MailItemsAccessed", &u.upn, m)
    }

    /// `Send` (RecordType 2) of one message.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn send(
        &self,
        time: DateTime<Utc>,
        id: String,
        u: &User,
        ip: IpAddr,
        message_id: &str,
        subject: &str,
        size: u64,
        save_to_sent_items: bool,
        client_info: &str,
        session: &str,
    ) -> UalRec {
        let mut m = self.common(time, &id, "Send", 2, "Exchange", &u.upn, "Succeeded");
        self.mailbox_fields(&mut m, u, ip, client_info, session);
        let folder = if save_to_sent_items {
            "\\送信済みアイテム"
        } else {
            "\\送信トレイ"
        };
        m.insert(
            "Item".into(),
            json!({
                "Id": format!("RgAAAAD{}{}", u.mailbox_guid.replace('-', ""), id.replace('-', "")),
                "InternetMessageId": message_id,
                "ParentFolder": {"Id": format!("LgAAAAB{}", u.mailbox_guid.replace('-', "")), "Path": folder},
                "SizeInBytes": size,
                "Subject": subject,
            }),
        );
        m.insert("SaveToSentItems".into(), json!(save_to_sent_items));
        Self::finish(time, id, 2, "Send", &u.upn, m)
    }

    /// An Exchange admin cmdlet (RecordType 1): `New-InboxRule`, `Set-InboxRule`,
    /// `Remove-InboxRule`, `Set-CASMailbox`, … run by `actor`.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn cmdlet(
        &self,
        time: DateTime<Utc>,
        id: String,
        op: &'static str,
        actor: &User,
        object: &str,
        ip: IpAddr,
        port: u16,
        params: &[(&str, &str)],
        session: &str,
    ) -> UalRec {
        let mut m = self.common(time, &id, op, 1, "Exchange", &actor.upn, "True");
        m.insert("UserKey".into(), json!(actor.object_id));
        m.insert(
            "UserType".into(),
            json!(if actor.upn == object { 0 } else { 2 }),
        );
        m.insert("ClientIP".into(), json!(client_ip_text(ip, Some(port))));
        m.insert("ObjectId".into(), json!(object));
        m.insert(
            "AppId".into(),
            json!("00000002-0000-0ff1-ce00-000000000000"),
        );
        m.insert("ClientAppId".into(), json!(""));
        m.insert("ExternalAccess".into(), json!(false));
        m.insert("OrganizationName".into(), json!(ONMICROSOFT));
        m.insert(
            "OriginatingServer".into(),
            json!("TYWPR01MB8201 (15.20.8857.015)"),
        );
        m.insert(
            "Parameters".into(),
            Value::Array(
                params
                    .iter()
                    .map(|(n, v)| json!({"Name": n, "Value": v}))
                    .collect(),
            ),
        );
        m.insert("SessionId".into(), json!(session));
        Self::finish(time, id, 1, op, &actor.upn, m)
    }

    /// `UserLoggedIn` / `UserLoginFailed` (RecordType 15) mirroring one Entra sign-in; its
    /// `IntraSystemId` is the sign-in's request id.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn logon(
        &self,
        time: DateTime<Utc>,
        id: String,
        u: &User,
        ip: IpAddr,
        ok: bool,
        request_id: &str,
        app_id: &str,
        user_agent: &str,
        os: &str,
    ) -> UalRec {
        let op = if ok {
            "UserLoggedIn"
        } else {
            "UserLoginFailed"
        };
        let mut m = self.common(
            time,
            &id,
            op,
            15,
            "AzureActiveDirectory",
            &u.upn,
            if ok { "Success" } else { "Failed" },
        );
        m.insert("UserKey".into(), json!(u.object_id));
        m.insert("ClientIP".into(), json!(ip.to_string()));
        m.insert("ObjectId".into(), json!(app_id));
        m.insert("AzureActiveDirectoryEventType".into(), json!(1));
        m.insert(
            "ExtendedProperties".into(),
            json!([
                {"Name": "ResultStatusDetail", "Value": if ok { "Success" } else { "UserError" }},
                {"Name": "UserAgent", "Value": user_agent},
                {"Name": "RequestType", "Value": "OAuth2:Authorize"}
            ]),
        );
        m.insert("ModifiedProperties".into(), json!([]));
        m.insert(
            "Actor".into(),
            json!([{"ID": u.object_id, "Type": 0}, {"ID": u.upn, "Type": 5}]),
        );
        m.insert("ActorContextId".into(), json!(self.tenant.guid));
        m.insert("ActorIpAddress".into(), json!(ip.to_string()));
        m.insert("InterSystemsId".into(), json!(request_id));
        m.insert("IntraSystemId".into(), json!(request_id));
        m.insert("SupportTicketId".into(), json!(""));
        m.insert("Target".into(), json!([{"ID": app_id, "Type": 0}]));
        m.insert("TargetContextId".into(), json!(self.tenant.guid));
        m.insert("ApplicationId".into(), json!(app_id));
        m.insert(
            "DeviceProperties".into(),
            json!([{"Name": "OS", "Value": os}, {"Name": "BrowserType", "Value": "Other"}]),
        );
        m.insert("ErrorNumber".into(), json!(if ok { "0" } else { "50126" }));
        if !ok {
            m.insert("LogonError".into(), json!("InvalidUserNameOrPassword"));
        }
        Self::finish(time, id, 15, op, &u.upn, m)
    }

    /// A SharePoint/OneDrive file operation (RecordType 6).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn file_op(
        &self,
        time: DateTime<Utc>,
        id: String,
        op: &'static str,
        u: &User,
        ip: IpAddr,
        site: &str,
        file: &str,
        user_agent: &str,
    ) -> UalRec {
        let mut m = self.common(time, &id, op, 6, "SharePoint", &u.upn, "Succeeded");
        let site_url = format!("https://examplemfg.sharepoint.com/sites/{site}/");
        let ext = file.rsplit('.').next().unwrap_or("");
        m.insert(
            "UserKey".into(),
            json!(format!("i:0h.f|membership|{}@live.com", &u.object_id[..16])),
        );
        m.insert("ClientIP".into(), json!(ip.to_string()));
        m.insert(
            "ObjectId".into(),
            json!(format!("{site_url}Shared Documents/{file}")),
        );
        m.insert("UserAgent".into(), json!(user_agent));
        m.insert("EventSource".into(), json!("SharePoint"));
        m.insert("ItemType".into(), json!("File"));
        m.insert("SiteUrl".into(), json!(site_url));
        m.insert("SourceFileName".into(), json!(file));
        m.insert("SourceFileExtension".into(), json!(ext));
        m.insert("SourceRelativeUrl".into(), json!("Shared Documents"));
        Self::finish(time, id, 6, op, &u.upn, m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purview_line_has_trailing_space_date_and_doubled_quotes() {
        let rec = UalRec {
            time: DateTime::parse_from_rfc3339("2025-06-01T06:54:24Z")
                .expect("time")
                .with_timezone(&Utc),
            id: "abc".into(),
            record_type: 50,
            operation: "MailItemsAccessed",
            user_id: "a@example.co.jp".into(),
            audit_data: r#"{"Id":"abc"}"#.into(),
        };
        assert_eq!(
            rec.purview_line(),
            "abc,\"2025-06-01T06:54:24.0000000Z \",50,MailItemsAccessed,a@example.co.jp,\"{\"\"Id\"\":\"\"abc\"\"}\",,\r\n"
        );
    }
}

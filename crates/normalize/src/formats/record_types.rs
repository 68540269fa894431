//! Unified audit log `RecordType` names and numbers (Office 365 Management Activity API schema,
//! `AuditLogRecordType`; Graph `security-auditlogrecordtype`). Exports write the number
//! (Management API, Purview) or the name (`Search-UnifiedAuditLog`, Sentinel OfficeActivity).

const TYPES: &[(u32, &str)] = &[
    (1, "ExchangeAdmin"),
    (2, "ExchangeItem"),
    (3, "ExchangeItemGroup"),
    (4, "SharePoint"),
    (6, "SharePointFileOperation"),
    (7, "OneDrive"),
    (8, "AzureActiveDirectory"),
    (9, "AzureActiveDirectoryAccountLogon"),
    (10, "DataCenterSecurityCmdlet"),
    (11, "ComplianceDLPSharePoint"),
    (12, "Sway"),
    (13, "ComplianceDLPExchange"),
    (14, "SharePointSharingOperation"),
    (15, "AzureActiveDirectoryStsLogon"),
    (16, "SkypeForBusinessPSTNUsage"),
    (17, "SkypeForBusinessUsersBlocked"),
    (18, "SecurityComplianceCenterEOPCmdlet"),
    (19, "ExchangeAggregatedOperation"),
    (20, "PowerBIAudit"),
    (21, "CRM"),
    (22, "Yammer"),
    (23, "SkypeForBusinessCmdlets"),
    (24, "Discovery"),
    (25, "MicrosoftTeams"),
    (28, "ThreatIntelligence"),
    (29, "MailSubmission"),
    (41, "ThreatIntelligenceUrl"),
    (50, "ExchangeItemAggregated"),
    (51, "HygieneEvent"),
    (64, "AirInvestigation"),
    (65, "Quarantine"),
    (101, "ExchangeSearch"),
    (102, "SharePointSearch"),
    (294, "AadRiskDetection"),
    (381, "FilteringMailMetadataExtended"),
];

/// The number of a `RecordType` given as a number, numeric text or a known name.
pub(crate) fn record_type(text: &str) -> Option<u32> {
    let t = text.trim();
    if let Ok(n) = t.parse::<u32>() {
        return Some(n);
    }
    TYPES
        .iter()
        .find(|(_, name)| name.eq_ignore_ascii_case(t))
        .map(|(n, _)| *n)
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_and_numbers() {
        assert_eq!(super::record_type("ExchangeItem"), Some(2));
        assert_eq!(super::record_type("50"), Some(50));
        assert_eq!(
            super::record_type(" AzureActiveDirectoryStsLogon "),
            Some(15)
        );
        assert_eq!(super::record_type("-1"), None);
        assert_eq!(super::record_type("NoSuchType"), None);
    }
}

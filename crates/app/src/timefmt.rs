//! Times for people: stored in UTC, shown in the tenant's time zone with the offset.

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

/// The default display zone (the users are Japanese companies).
pub const DEFAULT_TZ: Tz = chrono_tz::Asia::Tokyo;

/// Parses an IANA zone name, falling back to Asia/Tokyo with a warning.
pub fn zone(name: Option<&str>) -> Tz {
    match name {
        None => DEFAULT_TZ,
        Some(n) => n.parse::<Tz>().unwrap_or_else(|_| {
            tracing::warn!(zone = n, "unknown time zone; showing Asia/Tokyo");
            DEFAULT_TZ
        }),
    }
}

/// `2025-06-12 09:03:04 +09:00`.
pub fn show(t: DateTime<Utc>, tz: Tz) -> String {
    t.with_timezone(&tz)
        .format("%Y-%m-%d %H:%M:%S %:z")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn tokyo_with_offset() {
        let t = Utc
            .with_ymd_and_hms(2025, 6, 12, 0, 3, 4)
            .single()
            .expect("valid");
        assert_eq!(show(t, DEFAULT_TZ), "2025-06-12 09:03:04 +09:00");
        assert_eq!(
            show(t, zone(Some("Asia/Ho_Chi_Minh"))),
            "2025-06-12 07:03:04 +07:00"
        );
    }
}

//! The PPC report clock: 速報 and 確報 due dates from the day the company became aware (知った日).
//!
//! Rule (JAPAN.md §5, 個人情報保護法施行規則 第8条): 速報 (preliminary report) 「速やかに」 —
//! the PPC's guidance reads this as **概ね3〜5日以内** of becoming aware; 確報 (final report)
//! within **30日**, or **60日** when the event may have been done for an unlawful purpose
//! (第7条第3号: 不正アクセス等). Dates are calendar dates in **Asia/Tokyo** whatever the tenant's
//! zone, because the regulator counts Japanese days.
//!
//! Counting: the day of awareness is day 0 and the next day is day 1 (初日不算入, 民法第140条,
//! the default for periods in days). So "within 30 days" of 2025-06-10 ends 2025-07-10, and a
//! 3–5 day window is 06-13 … 06-15. The draft says how it counted and tells the person in charge
//! to check weekends/holidays and the PPC's current guidance; it never claims a roll-forward rule.

use chrono::{DateTime, Days, NaiveDate, Utc};
use chrono_tz::Tz;

/// The zone PPC dates are computed and shown in.
pub const PPC_TZ: Tz = chrono_tz::Asia::Tokyo;

/// Days for the 確報 in the ordinary case.
pub const FINAL_DAYS: u64 = 30;
/// Days for the 確報 when 第7条第3号 (unlawful purpose, e.g. unauthorized access) applies.
pub const FINAL_DAYS_UNLAWFUL: u64 = 60;

/// The computed due dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadlines {
    /// The day the company became aware (知った日), Asia/Tokyo.
    pub aware: NaiveDate,
    /// Start of the usual 速報 window (aware + 3 days).
    pub preliminary_from: NaiveDate,
    /// End of the usual 速報 window (aware + 5 days).
    pub preliminary_to: NaiveDate,
    /// 30 or 60.
    pub final_days: u64,
    /// Last day for the 確報 (aware + final_days).
    pub final_due: NaiveDate,
}

fn plus(d: NaiveDate, n: u64) -> NaiveDate {
    // Dates this far out cannot overflow chrono's range; keep `d` rather than panic if they did.
    d.checked_add_days(Days::new(n)).unwrap_or(d)
}

/// Due dates for a breach the company became aware of at `discovered_at`; `unlawful_purpose`
/// selects the 60-day 確報.
pub fn deadlines(discovered_at: DateTime<Utc>, unlawful_purpose: bool) -> Deadlines {
    let aware = discovered_at.with_timezone(&PPC_TZ).date_naive();
    let final_days = if unlawful_purpose {
        FINAL_DAYS_UNLAWFUL
    } else {
        FINAL_DAYS
    };
    Deadlines {
        aware,
        preliminary_from: plus(aware, 3),
        preliminary_to: plus(aware, 5),
        final_days,
        final_due: plus(aware, final_days),
    }
}

/// `2025年6月10日（火）`.
pub fn fmt_date_ja(d: NaiveDate) -> String {
    use chrono::Datelike;
    const WD: [&str; 7] = ["月", "火", "水", "木", "金", "土", "日"];
    let wd = WD[d.weekday().num_days_from_monday() as usize];
    format!("{}年{}月{}日（{wd}）", d.year(), d.month(), d.day())
}

/// `2025-06-10 (Tue)`.
pub fn fmt_date_en(d: NaiveDate) -> String {
    d.format("%Y-%m-%d (%a)").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn utc(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0)
            .single()
            .expect("valid")
    }
    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid")
    }

    #[test]
    fn ordinary_case_30_days() {
        let d = deadlines(utc(2025, 6, 10, 3), false);
        assert_eq!(d.aware, date(2025, 6, 10));
        assert_eq!(d.preliminary_from, date(2025, 6, 13));
        assert_eq!(d.preliminary_to, date(2025, 6, 15));
        assert_eq!(d.final_days, 30);
        assert_eq!(d.final_due, date(2025, 7, 10));
    }

    #[test]
    fn unauthorized_access_60_days() {
        let d = deadlines(utc(2025, 6, 10, 3), true);
        assert_eq!(d.final_days, 60);
        assert_eq!(d.final_due, date(2025, 8, 9));
    }

    #[test]
    fn aware_day_is_the_tokyo_date() {
        // 2025-06-09 20:00 UTC is 2025-06-10 05:00 in Tokyo.
        let d = deadlines(utc(2025, 6, 9, 20), false);
        assert_eq!(d.aware, date(2025, 6, 10));
        // 14:59 UTC is still the same Tokyo day (23:59 JST).
        let d = deadlines(
            Utc.with_ymd_and_hms(2025, 6, 10, 14, 59, 0)
                .single()
                .expect("valid"),
            false,
        );
        assert_eq!(d.aware, date(2025, 6, 10));
    }

    #[test]
    fn month_ends_and_leap_years() {
        let d = deadlines(utc(2025, 1, 31, 0), false);
        assert_eq!(d.preliminary_from, date(2025, 2, 3));
        assert_eq!(d.final_due, date(2025, 3, 2));
        let d = deadlines(utc(2024, 1, 31, 0), false);
        assert_eq!(d.final_due, date(2024, 3, 1));
        let d = deadlines(utc(2024, 2, 27, 0), false);
        assert_eq!(d.preliminary_to, date(2024, 3, 3));
        let d = deadlines(utc(2025, 12, 29, 0), true);
        assert_eq!(d.preliminary_from, date(2026, 1, 1));
        assert_eq!(d.final_due, date(2026, 2, 27));
    }

    #[test]
    fn date_formats() {
        assert_eq!(fmt_date_ja(date(2025, 6, 10)), "2025年6月10日（火）");
        assert_eq!(fmt_date_en(date(2025, 6, 10)), "2025-06-10 (Tue)");
    }
}

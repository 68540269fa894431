//! Timestamps in every form Microsoft exports write them, to UTC.
//!
//! Seen in exports and the public corpus: ISO 8601 with 0–9 fraction digits and `Z` or an
//! offset; ISO without a zone (`CreationTime` of the Management Activity API — UTC by
//! documentation); a space instead of `T`; US-locale `12/12/2025 3:03:58 PM`, with an optional
//! offset (`1/9/2007 10:41:00 AM +01:00`) or 24-hour clock; Log Analytics
//! `4/28/2021, 2:54:37.000 PM`; Japanese-locale `2025/03/12 7:22:01`; Purview's trailing space.
//! A slash date is read month/day (US) unless the first number is above 12, then day/month.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

/// Parses a timestamp in any supported form; zone-less times are UTC.
pub fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    let t = text.trim().trim_matches('"').trim();
    if t.is_empty() {
        return None;
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(t) {
        return Some(dt.with_timezone(&Utc));
    }
    let b = t.as_bytes();
    if b.len() >= 10 && b[4] == b'-' && b[7] == b'-' {
        return parse_iso_loose(t);
    }
    parse_slash(t)
}

/// ISO-like text that RFC 3339 rejects: no zone, space separator, or over-long fractions.
fn parse_iso_loose(t: &str) -> Option<DateTime<Utc>> {
    let (body, offset) = split_offset(t);
    let body = body.trim();
    let date = NaiveDate::parse_from_str(body.get(..10)?, "%Y-%m-%d").ok()?;
    let rest = body.get(10..)?.trim_start_matches(['T', ' ']);
    let time = if rest.is_empty() {
        NaiveTime::MIN
    } else {
        parse_clock(rest)?
    };
    finish(date.and_time(time), offset)
}

/// Splits a trailing `Z`, `+hh:mm`, `-hh:mm` or `+hhmm` from the text.
fn split_offset(t: &str) -> (&str, Option<FixedOffset>) {
    let t = t.trim_end();
    if let Some(body) = t.strip_suffix('Z').or_else(|| t.strip_suffix('z')) {
        return (body, FixedOffset::east_opt(0));
    }
    let b = t.as_bytes();
    // `+01:00` (6) or `+0100` (5), preceded by a digit or space, and after the date part.
    for len in [6usize, 5] {
        if b.len() > len + 10 {
            let start = b.len() - len;
            let sign = b[start];
            if sign == b'+' || sign == b'-' {
                let digits: String = t[start + 1..].chars().filter(|c| *c != ':').collect();
                if digits.len() == 4 && digits.bytes().all(|c| c.is_ascii_digit()) {
                    let h: i32 = digits[..2].parse().ok().unwrap_or(0);
                    let m: i32 = digits[2..].parse().ok().unwrap_or(0);
                    let secs = (h * 3600 + m * 60) * if sign == b'-' { -1 } else { 1 };
                    return (&t[..start], FixedOffset::east_opt(secs));
                }
            }
        }
    }
    (t, None)
}

/// `h:mm[:ss[.fffffffff]] [AM|PM]`.
fn parse_clock(text: &str) -> Option<NaiveTime> {
    let mut s = text.trim();
    let mut pm = None;
    for (suffix, is_pm) in [("AM", false), ("PM", true), ("am", false), ("pm", true)] {
        if let Some(r) = s.strip_suffix(suffix) {
            s = r.trim_end();
            pm = Some(is_pm);
            break;
        }
    }
    // Japanese locale writes 午前/午後 before the clock.
    for (prefix, is_pm) in [("午前", false), ("午後", true)] {
        if let Some(r) = s.strip_prefix(prefix) {
            s = r.trim_start();
            pm = Some(is_pm);
        }
    }
    let mut parts = s.splitn(3, ':');
    let mut hour: u32 = parts.next()?.trim().parse().ok()?;
    let minute: u32 = parts.next()?.trim().parse().ok()?;
    let (second, nanos) = match parts.next() {
        Some(sec) => {
            let (whole, frac) = sec.split_once(['.', ',']).unwrap_or((sec, ""));
            let second: u32 = whole.trim().parse().ok()?;
            let frac = frac.trim();
            if !frac.bytes().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let digits = &frac[..frac.len().min(9)];
            let mut nanos: u32 = if digits.is_empty() {
                0
            } else {
                digits.parse().ok()?
            };
            for _ in digits.len()..9 {
                nanos *= 10;
            }
            (second, nanos)
        }
        None => (0, 0),
    };
    match pm {
        Some(true) if hour < 12 => hour += 12,
        Some(false) if hour == 12 => hour = 0,
        _ => {}
    }
    NaiveTime::from_hms_nano_opt(hour, minute, second, nanos)
}

/// `M/D/YYYY[,] clock [offset]`, `D/M/YYYY …` when the first number exceeds 12, `YYYY/M/D …`.
fn parse_slash(t: &str) -> Option<DateTime<Utc>> {
    let (date_part, rest) = t.split_once([' ', 'T']).unwrap_or((t, ""));
    let date_part = date_part.trim_end_matches(',');
    let nums: Vec<&str> = date_part.split(['/', '.', '-']).collect();
    if nums.len() != 3 {
        return None;
    }
    let n: Vec<u32> = nums
        .iter()
        .map(|x| x.parse::<u32>().ok())
        .collect::<Option<_>>()?;
    let date = if nums[0].len() == 4 {
        NaiveDate::from_ymd_opt(n[0] as i32, n[1], n[2])?
    } else if n[0] > 12 {
        NaiveDate::from_ymd_opt(n[2] as i32, n[1], n[0])?
    } else {
        NaiveDate::from_ymd_opt(n[2] as i32, n[0], n[1])?
    };
    let (clock, offset) = split_offset(rest.trim());
    let time = if clock.trim().is_empty() {
        NaiveTime::MIN
    } else {
        parse_clock(clock)?
    };
    finish(date.and_time(time), offset)
}

fn finish(naive: NaiveDateTime, offset: Option<FixedOffset>) -> Option<DateTime<Utc>> {
    match offset {
        Some(off) => off
            .from_local_datetime(&naive)
            .single()
            .map(|d| d.with_timezone(&Utc)),
        None => Some(Utc.from_utc_datetime(&naive)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(s: &str) -> String {
        parse_time(s)
            .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true))
            .unwrap_or_else(|| "NONE".into())
    }

    #[test]
    fn every_form_seen_in_exports() {
        let want = "2007-01-09T09:41:00.000000000Z";
        for s in [
            "01/09/2007 09:41:00",
            "1/9/2007 09:41:00",
            "01/09/2007 09:41:00 AM",
            "1/9/2007 9:41:00 AM",
            "1/9/2007 10:41:00 AM +01:00",
            "2007-01-09T09:41:00",
            "2007-01-09T11:41:00+02:00",
            "2007-01-09 09:41:00",
            "2007/01/09 9:41:00",
            "2007/1/9 午前9:41:00",
            "\"2007-01-09T09:41:00.0000000Z \"",
        ] {
            assert_eq!(iso(s), want, "{s}");
        }
        assert_eq!(
            iso("2007-01-09T09:41:00.6816663Z"),
            "2007-01-09T09:41:00.681666300Z"
        );
        assert_eq!(
            iso("2024-12-10 14:33:09.049661100"),
            "2024-12-10T14:33:09.049661100Z"
        );
        assert_eq!(
            iso("4/28/2021, 2:54:37.000 PM"),
            "2021-04-28T14:54:37.000000000Z"
        );
        assert_eq!(
            iso("12/12/2025 3:03:58 PM"),
            "2025-12-12T15:03:58.000000000Z"
        );
        assert_eq!(
            iso("12/12/2025 12:03:58 AM"),
            "2025-12-12T00:03:58.000000000Z"
        );
        assert_eq!(iso("25/12/2025 13:00:00"), "2025-12-25T13:00:00.000000000Z");
        assert_eq!(
            iso("2019-10-18T04:45:48.0729893-05:00"),
            "2019-10-18T09:45:48.072989300Z"
        );
    }

    #[test]
    fn garbage_is_none() {
        for s in [
            "",
            "yesterday",
            "13/13/2020 1:00",
            "2020-02-30T00:00:00",
            "1/2/3/4",
            "::",
        ] {
            assert!(parse_time(s).is_none(), "{s}");
        }
    }
}

//! The outbound mail volume chart: a user's message-trace rows per hour or day as an inline SVG
//! bar chart.
//!
//! The 2025 incident's ~300 phishing mails went out over SMTP AUTH and never reached Sent Items;
//! only the message trace shows them, as a burst against a quiet baseline. Rows count when the
//! user is the sender and the trace does not mark the message inbound (one row per recipient,
//! as the trace has it). Buckets are hours when the rows span a week or less, else days, both in
//! the tenant's time zone; empty buckets are drawn as gaps so the burst stands out.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDateTime, TimeZone as _, Timelike as _, Utc};
use chrono_tz::Tz;
use model::{Direction, EventKind};

use crate::html::Html;
use crate::i18n::Lang;

/// At most this many bars; longer spans keep the newest.
const MAX_BARS: usize = 400;
const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 160.0;
const LEFT: f64 = 40.0;
const BOTTOM: f64 = 24.0;

/// The send times gathered for one user.
#[derive(Debug, Default)]
pub struct SendTimes {
    times: Vec<DateTime<Utc>>,
}

impl SendTimes {
    /// Adds an event if it is a message-trace row `user` sent (not inbound).
    pub fn add(&mut self, user: &str, time: DateTime<Utc>, kind: &EventKind) {
        if let EventKind::MessageTrace(m) = kind
            && m.sender_address.eq_ignore_ascii_case(user)
            && m.direction != Some(Direction::Inbound)
        {
            self.times.push(time);
        }
    }

    /// Rows counted.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.times.len()
    }

    /// Renders `<svg id="send-chart">` with a caption.
    pub fn render(&self, h: &mut Html, lang: Lang, tz: Tz) {
        h.raw("<figure class=\"chart\">");
        let (Some(first), Some(last)) = (self.times.iter().min(), self.times.iter().max()) else {
            h.raw("<svg id=\"send-chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 720 40\"><text x=\"10\" y=\"24\" font-size=\"12\">")
                .raw(lang.t("送信メールの記録はありません", "No outbound messages in the message trace"))
                .raw("</text></svg></figure>");
            return;
        };
        let hourly = *last - *first <= Duration::days(7);
        let bucket_of = |t: &DateTime<Utc>| -> NaiveDateTime {
            let local = t.with_timezone(&tz).naive_local();
            let day = local.date();
            if hourly {
                day.and_hms_opt(local.hour(), 0, 0).unwrap_or(local)
            } else {
                day.and_hms_opt(0, 0, 0).unwrap_or(local)
            }
        };
        let step = if hourly {
            Duration::hours(1)
        } else {
            Duration::days(1)
        };
        let mut counts: BTreeMap<NaiveDateTime, u64> = BTreeMap::new();
        for t in &self.times {
            *counts.entry(bucket_of(t)).or_default() += 1;
        }
        let mut start = bucket_of(first);
        let end = bucket_of(last);
        let total_buckets =
            usize::try_from((end - start).num_hours() / step.num_hours() + 1).unwrap_or(MAX_BARS);
        if total_buckets > MAX_BARS {
            start = end - step * i32::try_from(MAX_BARS - 1).unwrap_or(0);
        }
        let mut bars = Vec::new();
        let mut at = start;
        while at <= end && bars.len() < MAX_BARS {
            bars.push((at, counts.get(&at).copied().unwrap_or(0)));
            at += step;
        }
        let peak = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1);
        let plot_w = WIDTH - LEFT - 8.0;
        let plot_h = HEIGHT - BOTTOM - 14.0;
        let bar_w = plot_w / bars.len() as f64;
        h.raw("<svg id=\"send-chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 720 160\" role=\"img\" aria-label=\"")
            .raw(lang.t("送信メール数の推移", "Outbound mail volume"))
            .raw("\">");
        // Axes and the peak value.
        h.raw("<g class=\"axis\" stroke=\"#888\" stroke-width=\"0.5\"><line x1=\"")
            .num(LEFT)
            .raw("\" y1=\"14\" x2=\"")
            .num(LEFT)
            .raw("\" y2=\"")
            .num(HEIGHT - BOTTOM)
            .raw("\"/><line x1=\"")
            .num(LEFT)
            .raw("\" y1=\"")
            .num(HEIGHT - BOTTOM)
            .raw("\" x2=\"")
            .num(WIDTH - 8.0)
            .raw("\" y2=\"")
            .num(HEIGHT - BOTTOM)
            .raw("\"/></g><text class=\"tick\" x=\"")
            .num(LEFT - 4.0)
            .raw("\" y=\"18\" font-size=\"10\" text-anchor=\"end\">")
            .int(peak)
            .raw("</text><text class=\"tick\" x=\"")
            .num(LEFT - 4.0)
            .raw("\" y=\"")
            .num(HEIGHT - BOTTOM)
            .raw("\" font-size=\"10\" text-anchor=\"end\">0</text>");
        for (i, (at, n)) in bars.iter().enumerate() {
            if *n == 0 {
                continue;
            }
            let bh = plot_h * (*n as f64) / (peak as f64);
            let x = LEFT + bar_w * i as f64;
            let is_peak = *n == peak;
            h.raw("<rect class=\"")
                .raw(if is_peak { "bar peak" } else { "bar" })
                .raw("\" fill=\"")
                .raw(if is_peak { "#d62728" } else { "#1f5fa8" })
                .raw("\" x=\"")
                .num(x)
                .raw("\" y=\"")
                .num(HEIGHT - BOTTOM - bh)
                .raw("\" width=\"")
                .num((bar_w - 0.5).max(0.5))
                .raw("\" height=\"")
                .num(bh)
                .raw("\"><title>")
                .text(&label(*at, tz, hourly))
                .raw(" — ")
                .int(*n)
                .raw("</title></rect>");
        }
        // Three date labels: first, middle, last bucket.
        let ticks = [0, bars.len() / 2, bars.len() - 1];
        for (k, i) in ticks.into_iter().enumerate() {
            if k > 0 && i == 0 {
                continue;
            }
            let x = LEFT + bar_w * i as f64;
            let anchor = match k {
                0 => "start",
                1 => "middle",
                _ => "end",
            };
            h.raw("<text class=\"tick\" font-size=\"10\" x=\"")
                .num(if k == 2 { x + bar_w } else { x })
                .raw("\" y=\"")
                .num(HEIGHT - 8.0)
                .raw("\" text-anchor=\"")
                .raw(anchor)
                .raw("\">")
                .text(&label(bars[i].0, tz, hourly))
                .raw("</text>");
        }
        h.raw("</svg><figcaption>")
            .raw(lang.t("送信メッセージ追跡行 ", "Outbound message-trace rows: "))
            .int(i128::try_from(self.times.len()).unwrap_or(0))
            .raw(lang.t(
                if hourly {
                    "件(1時間ごと)、最大 "
                } else {
                    "件(1日ごと)、最大 "
                },
                if hourly {
                    " (per hour), peak "
                } else {
                    " (per day), peak "
                },
            ))
            .int(peak)
            .raw(lang.t("件", ""))
            .raw("</figcaption></figure>");
    }
}

/// A bucket's label with the zone offset: `2025-06-12 09:00 +09:00` or `2025-06-12`.
fn label(at: NaiveDateTime, tz: Tz, hourly: bool) -> String {
    if hourly {
        match tz.from_local_datetime(&at).earliest() {
            Some(t) => t.format("%Y-%m-%d %H:00 %:z").to_string(),
            None => at.format("%Y-%m-%d %H:00").to_string(),
        }
    } else {
        at.format("%Y-%m-%d").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use model::MessageTrace;

    fn trace(sender: &str, direction: Option<Direction>) -> EventKind {
        EventKind::MessageTrace(Box::new(MessageTrace {
            sender_address: sender.into(),
            recipient_address: "x@partner.example".into(),
            direction,
            ..MessageTrace::default()
        }))
    }

    #[test]
    fn burst_is_the_peak_bar() {
        let base = Utc
            .with_ymd_and_hms(2025, 6, 12, 0, 0, 0)
            .single()
            .expect("t");
        let mut s = SendTimes::default();
        let user = "victim@example.co.jp";
        s.add(user, base, &trace(user, Some(Direction::Outbound)));
        for i in 0..30 {
            s.add(
                user,
                base + Duration::hours(5) + Duration::seconds(i),
                &trace(user, None),
            );
        }
        s.add(user, base, &trace("other@example.co.jp", None));
        s.add(user, base, &trace(user, Some(Direction::Inbound)));
        assert_eq!(s.len(), 31);
        let mut h = Html::new();
        s.render(&mut h, Lang::En, chrono_tz::Asia::Tokyo);
        let out = h.into_string();
        assert!(out.contains("id=\"send-chart\""));
        assert_eq!(out.matches("class=\"bar peak\"").count(), 1);
        assert!(out.contains("2025-06-12 14:00 +09:00 — 30"), "{out}");
        assert!(out.contains("peak 30"));
    }
}

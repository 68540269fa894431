//! The sign-in map: an offline world outline drawn as inline SVG with the sign-in points on it.
//!
//! The outline is Natural Earth 1:110m land (public domain) from the `world-atlas` 2.0.2 npm
//! package, converted once at development time into one SVG path in equirectangular projection
//! (x = longitude + 180, y = 90 − latitude, 0.1° precision; see `assets/README.md`). It is
//! compiled into the binary, so the page needs no tile server and no network. Points are grouped
//! by position (0.1°) so a thousand sign-ins from one office are one dot with a count; a point
//! whose IP is an incident's attacker IP is drawn large and red (`class="attacker"`).

use std::collections::{BTreeMap, BTreeSet};

use model::{Event, EventKind};

use crate::html::Html;
use crate::i18n::Lang;

/// The land outline, `d` attribute of one SVG path in a 360×180 view box.
const LAND_PATH: &str = include_str!("../assets/land-110m.path");

/// Sign-in positions gathered for the map.
#[derive(Debug, Default)]
pub struct SignInPoints {
    /// (lon×10, lat×10, attacker?) → (count, IPs, place names).
    points: BTreeMap<(i32, i32, bool), PointInfo>,
    /// Sign-ins without coordinates, per country code ("?" when none).
    without_geo: BTreeMap<String, u64>,
    /// All sign-ins seen.
    total: u64,
}

#[derive(Debug, Default)]
struct PointInfo {
    count: u64,
    ips: BTreeSet<String>,
    places: BTreeSet<String>,
}

impl SignInPoints {
    /// Adds one event (non-sign-ins are ignored). `attacker_ips` are the IPs to highlight.
    pub fn add(&mut self, event: &Event, attacker_ips: &BTreeSet<String>) {
        let EventKind::SignIn(s) = &event.kind else {
            return;
        };
        self.total += 1;
        let ip = s.ip_address.map(|ip| ip.to_string());
        let attacker = ip.as_ref().is_some_and(|ip| attacker_ips.contains(ip));
        let geo = s
            .location
            .geo
            .filter(|g| g.lat.is_finite() && g.lon.is_finite())
            .filter(|g| (-90.0..=90.0).contains(&g.lat) && (-180.0..=180.0).contains(&g.lon));
        let Some(geo) = geo else {
            let country = s.location.country.clone().unwrap_or_else(|| "?".into());
            *self.without_geo.entry(country).or_default() += 1;
            return;
        };
        // Rounded to 0.1°, the precision of the outline; the values are bounded above.
        #[allow(clippy::cast_possible_truncation)]
        let key = (
            (geo.lon * 10.0).round() as i32,
            (geo.lat * 10.0).round() as i32,
            attacker,
        );
        let info = self.points.entry(key).or_default();
        info.count += 1;
        if let Some(ip) = ip
            && info.ips.len() < 20
        {
            info.ips.insert(ip);
        }
        let place: Vec<&str> = [&s.location.city, &s.location.country]
            .into_iter()
            .filter_map(|p| p.as_deref())
            .collect();
        if !place.is_empty() && info.places.len() < 5 {
            info.places.insert(place.join(", "));
        }
    }

    /// Renders the map: `<svg id="world-map">` plus a caption with the counts.
    pub fn render(&self, h: &mut Html, lang: Lang) {
        h.raw("<figure class=\"map\"><svg id=\"world-map\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 360 180\" role=\"img\" aria-label=\"")
            .raw(lang.t("サインイン地点の世界地図", "World map of sign-in locations"))
            .raw("\"><rect class=\"sea\" x=\"0\" y=\"0\" width=\"360\" height=\"180\" fill=\"#dfe9f3\"/>");
        // Graticule every 30°.
        h.raw("<g class=\"graticule\" stroke=\"#c4d3e3\" stroke-width=\"0.2\">");
        for x in (30..360).step_by(30) {
            h.raw("<line x1=\"")
                .int(x)
                .raw("\" y1=\"0\" x2=\"")
                .int(x)
                .raw("\" y2=\"180\"/>");
        }
        for y in (30..180).step_by(30) {
            h.raw("<line x1=\"0\" y1=\"")
                .int(y)
                .raw("\" x2=\"360\" y2=\"")
                .int(y)
                .raw("\"/>");
        }
        h.raw("</g><path class=\"land\" fill=\"#c9d4c0\" stroke=\"#8a9a80\" stroke-width=\"0.15\" d=\"")
            .asset(LAND_PATH)
            .raw("\"/>");
        // Ordinary points first so attacker points are drawn on top.
        for attacker_pass in [false, true] {
            for ((lon10, lat10, attacker), info) in &self.points {
                if *attacker != attacker_pass {
                    continue;
                }
                let x = f64::from(*lon10) / 10.0 + 180.0;
                let y = 90.0 - f64::from(*lat10) / 10.0;
                let r = if *attacker {
                    3.0
                } else {
                    1.2 + (info.count as f64).log10().min(3.0) * 0.6
                };
                let (class, fill) = if *attacker {
                    ("point attacker", "#d62728")
                } else {
                    ("point", "#1f5fa8")
                };
                h.raw("<circle class=\"")
                    .raw(class)
                    .raw("\" fill=\"")
                    .raw(fill)
                    .raw("\" fill-opacity=\"0.8\" stroke=\"#fff\" stroke-width=\"0.3\" cx=\"")
                    .num(x)
                    .raw("\" cy=\"")
                    .num(y)
                    .raw("\" r=\"")
                    .num(r)
                    .raw("\"><title>");
                let ips: Vec<&str> = info.ips.iter().map(String::as_str).collect();
                let places: Vec<&str> = info.places.iter().map(String::as_str).collect();
                h.text(&places.join(" / "))
                    .raw(" — ")
                    .int(info.count)
                    .raw(lang.t("件 ", " sign-in(s) "))
                    .text(&ips.join(", "));
                if *attacker {
                    h.raw(lang.t("(攻撃者IP)", " (attacker IP)"));
                }
                h.raw("</title></circle>");
            }
        }
        h.raw("</svg><figcaption>");
        h.raw(lang.t("サインイン ", "Sign-ins: ")).int(self.total);
        h.raw(lang.t("件。", ". "))
            .raw("<span class=\"legend-attacker\">●</span> ")
            .raw(lang.t("攻撃者IP", "attacker IP"))
            .raw(" <span class=\"legend-normal\">●</span> ")
            .raw(lang.t("その他", "other"));
        if !self.without_geo.is_empty() {
            h.raw("<br>")
                .raw(lang.t("座標なし: ", "Without coordinates: "));
            let mut first = true;
            for (country, n) in &self.without_geo {
                if !first {
                    h.raw(", ");
                }
                first = false;
                h.text(country).raw(" ").int(*n);
            }
        }
        h.raw("</figcaption></figure>");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outline_is_a_compact_path() {
        assert!(LAND_PATH.starts_with('M'));
        assert!(LAND_PATH.len() < 300_000);
        assert!(
            LAND_PATH
                .bytes()
                .all(|b| b.is_ascii_digit() || b" .MLZ-".contains(&b))
        );
    }
}

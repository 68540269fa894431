//! Text helpers shared by the signals: name keys, host handling, link extraction.
//!
//! Links come from the HTML body (`<a href>` with its visible text, `alt` and `title`) and from
//! the plain-text body (bare URLs, with the text just before them as their "label"), so a
//! link dressed as an attachment is seen in either form.

use std::sync::LazyLock;

use regex::Regex;
use unicode_normalization::UnicodeNormalization;

/// Where a link was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkOrigin {
    /// An `<a>` element of the HTML body; offsets are into `html_body`.
    Html,
    /// A bare URL of the text body; offsets are into `text_body`.
    Text,
}

/// One link of a message.
#[derive(Debug, Clone)]
pub struct Link {
    /// The target as written (after unwrapping Safe Links / Google redirect wrappers).
    pub href: String,
    /// The visible text (HTML) or the label just before the URL on its line (text).
    pub text: String,
    /// `alt`/`title` attributes inside the anchor.
    pub alt: String,
    /// Where it was found.
    pub origin: LinkOrigin,
    /// Byte range of the whole anchor / URL in its body.
    pub start: usize,
    /// End of that range.
    pub end: usize,
    /// Parsed URL when it parses.
    pub url: Option<url::Url>,
}

impl Link {
    /// The host, lower-case (IDNA ASCII form).
    pub fn host(&self) -> Option<&str> {
        self.url.as_ref().and_then(|u| u.host_str())
    }

    /// True for http/https links.
    pub fn is_web(&self) -> bool {
        self.url
            .as_ref()
            .is_some_and(|u| matches!(u.scheme(), "http" | "https"))
    }
}

static ANCHOR: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?is)<a(?-u:\b)([^>]*)>(.*?)</a\s*>").expect("anchor regex"));
static HREF: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?is)(?-u:\b)href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))"#).expect("href regex")
});
static ATTR_TEXT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?is)(?-u:\b)(?:alt|title)\s*=\s*(?:"([^"]*)"|'([^']*)')"#).expect("alt regex")
});
static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?s)<[^>]*>").expect("tag regex"));
static TEXT_URL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?i)(?-u:\b)https?://[^\s<>"'（）「」【】、。]+"#).expect("url regex")
});

/// Extracts the links of a message's bodies.
pub fn extract_links(html: Option<&str>, text: &str) -> Vec<Link> {
    let mut out = Vec::new();
    if let Some(html) = html {
        for cap in ANCHOR.captures_iter(html) {
            let (Some(whole), Some(attrs), Some(inner)) = (cap.get(0), cap.get(1), cap.get(2))
            else {
                continue;
            };
            let Some(h) = HREF.captures(attrs.as_str()) else {
                continue;
            };
            let raw = h
                .get(1)
                .or(h.get(2))
                .or(h.get(3))
                .map(|m| m.as_str())
                .unwrap_or("");
            let href = unwrap_redirect(&decode_entities(raw.trim()));
            let mut alt = String::new();
            for a in ATTR_TEXT.captures_iter(whole.as_str()) {
                if let Some(v) = a.get(1).or(a.get(2)) {
                    alt.push_str(&decode_entities(v.as_str()));
                    alt.push(' ');
                }
            }
            let visible = decode_entities(&TAG.replace_all(inner.as_str(), " "));
            out.push(Link {
                url: url::Url::parse(&href).ok(),
                href,
                text: collapse_ws(&visible),
                alt: alt.trim().to_string(),
                origin: LinkOrigin::Html,
                start: whole.start(),
                end: whole.end(),
            });
        }
    }
    // Text-body URLs are only used when the HTML body has no anchors (they repeat the HTML).
    if out.is_empty() {
        for m in TEXT_URL.find_iter(text) {
            let line_start = text[..m.start()].rfind('\n').map_or(0, |i| i + 1);
            let mut label = text[line_start..m.start()].trim().to_string();
            if label.is_empty() {
                // the label may stand on the line before the URL
                let prev_end = line_start.saturating_sub(1);
                let prev_start = text[..prev_end].rfind('\n').map_or(0, |i| i + 1);
                label = text
                    .get(prev_start..prev_end)
                    .unwrap_or("")
                    .trim()
                    .to_string();
            }
            let href = unwrap_redirect(m.as_str().trim_end_matches(['.', ',', ')', '>']));
            out.push(Link {
                url: url::Url::parse(&href).ok(),
                href,
                text: label,
                alt: String::new(),
                origin: LinkOrigin::Text,
                start: m.start(),
                end: m.end(),
            });
        }
    }
    out
}

/// Follows single-target redirect wrappers: Microsoft Safe Links (`?url=`) and Google (`?q=`).
fn unwrap_redirect(href: &str) -> String {
    let Ok(u) = url::Url::parse(href) else {
        return href.to_string();
    };
    let host = u.host_str().unwrap_or("");
    let key = if host.ends_with("safelinks.protection.outlook.com") {
        "url"
    } else if (host == "www.google.com" || host == "google.com") && u.path() == "/url" {
        "q"
    } else {
        return href.to_string();
    };
    u.query_pairs()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| href.to_string())
}

/// Decodes the HTML entities that matter for link text.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest.find(';').filter(|e| *e <= 10);
        let Some(end) = end else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let ent = &rest[1..end];
        let ch = match ent {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" | "#39" => Some('\''),
            "nbsp" => Some(' '),
            _ if ent.starts_with("#x") || ent.starts_with("#X") => {
                u32::from_str_radix(&ent[2..], 16)
                    .ok()
                    .and_then(char::from_u32)
            }
            _ if ent.starts_with('#') => ent[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Collapses runs of whitespace into one space and trims.
pub fn collapse_ws(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A person-name key for comparing display names: NFKC, case-folded, without any whitespace
/// (incl. U+3000), quotes or a trailing honorific (様, さん, 殿).
pub fn name_key(name: &str) -> String {
    let mut k: String = name
        .nfkc()
        .filter(|c| !c.is_whitespace() && !matches!(c, '"' | '\'' | '「' | '」'))
        .flat_map(char::to_lowercase)
        .collect();
    for suffix in ["様", "さん", "殿"] {
        if let Some(s) = k.strip_suffix(suffix) {
            k = s.to_string();
        }
    }
    k
}

/// The registrable domain (eTLD+1) of a host, lower-case; the host itself when the public
/// suffix list does not know it.
pub fn registrable(host: &str) -> String {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    psl::domain_str(&host).map(str::to_string).unwrap_or(host)
}

/// The registrable domain without its public suffix (`example` for `mail.example.co.jp`).
pub fn registrable_label(host: &str) -> String {
    let reg = registrable(host);
    let suffix_len = psl::suffix_str(&reg).map_or(0, str::len);
    let label = if suffix_len > 0 && reg.len() > suffix_len {
        &reg[..reg.len() - suffix_len - 1]
    } else {
        reg.as_str()
    };
    label.to_string()
}

/// True when `host` is `domain` or a subdomain of it.
pub fn host_in(host: &str, domain: &str) -> bool {
    let host = host.trim_end_matches('.');
    host.eq_ignore_ascii_case(domain)
        || (host.len() > domain.len()
            && host[host.len() - domain.len()..].eq_ignore_ascii_case(domain)
            && host.as_bytes()[host.len() - domain.len() - 1] == b'.')
}

/// Byte range of `needle` in `hay`, for spans.
pub fn find_span(hay: &str, needle: &str) -> Option<(usize, usize)> {
    if needle.is_empty() {
        return None;
    }
    hay.find(needle).map(|s| (s, s + needle.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_keys_ignore_width_spaces_and_honorifics() {
        assert_eq!(name_key("山田　太郎"), name_key("山田太郎 様"));
        assert_eq!(name_key("ＴＡＲＯ Yamada"), "taroyamada");
    }

    #[test]
    fn links_come_from_anchors_and_text() {
        let html =
            r#"<p><a href="https://evil.example/x?a=1&amp;b=2"><img alt="📎"> 請求書.pdf</a></p>"#;
        let l = extract_links(Some(html), "");
        assert_eq!(l.len(), 1);
        assert_eq!(l[0].href, "https://evil.example/x?a=1&b=2");
        assert_eq!(l[0].text, "請求書.pdf");
        assert_eq!(l[0].alt, "📎");
        let t = extract_links(None, "📎 見積書.xlsx\nhttps://files.example.net/d/1\n");
        assert_eq!(t[0].text, "📎 見積書.xlsx");
        assert_eq!(t[0].host(), Some("files.example.net"));
    }

    #[test]
    fn safelinks_are_unwrapped_and_domains_split() {
        let l = extract_links(
            Some(
                r#"<a href="https://jpn01.safelinks.protection.outlook.com/?url=https%3A%2F%2Fphish.example.top%2F&amp;data=1">x</a>"#,
            ),
            "",
        );
        assert_eq!(l[0].host(), Some("phish.example.top"));
        assert_eq!(registrable("mail.example.co.jp"), "example.co.jp");
        assert_eq!(registrable_label("mail.example.co.jp"), "example");
        assert!(host_in(
            "a.example.sharepoint.com",
            "example.sharepoint.com"
        ));
        assert!(!host_in(
            "badexample.sharepoint.com",
            "example.sharepoint.com"
        ));
    }
}

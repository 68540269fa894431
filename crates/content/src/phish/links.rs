//! Link signals: L1, L3, L4, L6, L7, L8, L9, L10 (JAPAN.md §1b).

use std::sync::LazyLock;

use regex::Regex;

use super::header::imitates;
use super::lists::{BRANDS, CLOUD_STORAGE_HOSTS, ESP_TRACKERS, SHORTENERS, SUSPICIOUS_TLDS};
use super::text::{Link, LinkOrigin, host_in, registrable, registrable_label};
use super::{AnalysisContext, Reason, Span, SpanField};
use crate::message::MailMessage;

/// L1: anchor text is a URL/host whose domain differs from the link's.
pub const W_L1: f64 = 4.0;
/// L3: link dressed as an attachment.
pub const W_L3: f64 = 5.0;
/// L4: URL shortener.
pub const W_L4: f64 = 1.5;
/// L6: userinfo (`user@host`) in the URL.
pub const W_L6: f64 = 4.0;
/// L7: homograph / zero-width / bidi control in a link.
pub const W_L7: f64 = 5.0;
/// L8: numeric IP host (excessive dots, odd port: 1).
pub const W_L8: f64 = 2.5;
/// L9: TLD over-represented in Japanese phishing.
pub const W_L9: f64 = 1.5;
/// L10: link to a lookalike of an own/partner/brand domain.
pub const W_L10: f64 = 3.0;

/// A file name with an extension attackers dress links as.
static FILE_NAME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)[^\s/\\<>:]{1,80}\.(pdf|xlsx?|xlsm|docx?|pptx?|zip|7z|rar|html?|csv|txt)(?-u:\b)",
    )
    .expect("file regex")
});
/// Attachment words with a file size next to them ("請求書 (123KB)").
static ATTACH_WORD_SIZE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(添付ファイル|添付|請求書|見積書|注文書|発注書|納品書|契約書|invoice|attachment).{0,40}?\d+(\.\d+)?\s?(KB|MB|キロバイト|メガバイト)").expect("size regex")
});
/// Anchor text that is itself a URL or host name.
static URL_LIKE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:https?://)?((?:[a-z0-9\-]+\.)+[a-z]{2,})(?::\d+)?(?:[/?#]\S*)?$")
        .expect("urllike regex")
});
/// File extensions that are also TLDs (`.zip`, `.mov`): a host ending so is a live domain.
const FILE_TLDS: &[&str] = &["zip", "mov"];

fn span_of(msg: &MailMessage, l: &Link) -> Span {
    let (field, body) = match l.origin {
        LinkOrigin::Html => (SpanField::HtmlBody, msg.html_body.as_deref().unwrap_or("")),
        LinkOrigin::Text => (SpanField::TextBody, msg.text_body.as_str()),
    };
    Span::new(
        field,
        l.start,
        l.end,
        body.get(l.start..l.end).unwrap_or(&l.href),
    )
}

pub(super) fn check(
    msg: &MailMessage,
    ctx: &AnalysisContext<'_>,
    links: &[Link],
    out: &mut Vec<Reason>,
) {
    let from_reg = msg.from.as_ref().and_then(|f| f.domain()).map(registrable);
    let is_list = msg.header("List-Unsubscribe").is_some();
    let own = |host: &str| {
        ctx.tenant_domains
            .iter()
            .chain(ctx.partner_domains.iter())
            .any(|d| host_in(host, d))
            || ctx.tenant_link_hosts.iter().any(|d| host_in(host, d))
    };
    for l in links {
        let Some(host) = l.host().map(str::to_string) else {
            continue;
        };
        if !l.is_web() {
            continue;
        }
        let reg = registrable(&host);
        let sp = || span_of(msg, l);

        // L1: text shows one host, href goes to another
        if let Some(c) = URL_LIKE.captures(l.text.trim()) {
            let shown = c
                .get(1)
                .map(|m| m.as_str().to_lowercase())
                .unwrap_or_default();
            let shown_reg = registrable(&shown);
            if shown_reg != reg
                && !FILE_TLDS
                    .iter()
                    .any(|t| shown.ends_with(&format!(".{t}")) && FILE_NAME.is_match(&l.text))
            {
                let tracker = ESP_TRACKERS.iter().any(|t| host_in(&host, t))
                    || Some(&reg) == from_reg.as_ref();
                let w = if tracker && is_list { 1.0 } else { W_L1 };
                out.push(Reason::new(
                    "L1",
                    w,
                    format!("リンクの表示は {shown} ですが、実際の飛び先は {host} です"),
                    format!("Link text shows {shown} but the link goes to {host}"),
                    sp(),
                ));
            }
        }

        // L3: link dressed as an attachment
        let label = format!("{} {}", l.text, l.alt);
        let file = FILE_NAME.find(&label).map(|m| m.as_str().to_string());
        let dressed = file.is_some()
            || label.contains('📎')
            || label.contains("添付ファイル")
            || ATTACH_WORD_SIZE.is_match(&label);
        let text_is_url =
            URL_LIKE.is_match(l.text.trim()) || l.text.trim_start().starts_with("http");
        // a file really served from the sender's own domain is a download, not a disguise
        let own_download = Some(&reg) == from_reg.as_ref()
            && file.as_deref().is_some_and(|f| {
                f.rsplit('.').next().is_some_and(|ext| {
                    l.url.as_ref().is_some_and(|u| {
                        u.path()
                            .to_lowercase()
                            .ends_with(&format!(".{}", ext.to_lowercase()))
                    })
                })
            });
        if dressed && !text_is_url && !own_download && !own(&host) {
            let name = file.clone().unwrap_or_else(|| l.text.clone());
            let real = msg.attachments.iter().any(|a| {
                a.filename.as_deref().is_some_and(|f| {
                    file.as_deref()
                        .is_some_and(|n| n.ends_with(f) || f.ends_with(n))
                })
            });
            if !real {
                let storage = CLOUD_STORAGE_HOSTS.iter().any(|h| host_in(&host, h));
                let w = if storage { 2.0 } else { W_L3 };
                out.push(Reason::new(
                    "L3",
                    w,
                    format!("添付ファイル「{name}」に見せかけたリンクで、実際は {host} のWebページに飛びます(本物の添付ファイルはありません)"),
                    format!("Link dressed as the attachment \"{name}\" actually opens a web page on {host} (no such attachment)"),
                    sp(),
                ));
            }
        }

        // L4: shortener
        if SHORTENERS.iter().any(|s| host_in(&host, s)) {
            out.push(Reason::new(
                "L4",
                W_L4,
                format!("短縮URL({host})で本当の飛び先が隠されています"),
                format!("URL shortener ({host}) hides the real destination"),
                sp(),
            ));
        }

        // L6: userinfo
        if let Some(u) = &l.url
            && (!u.username().is_empty() || u.password().is_some())
        {
            out.push(Reason::new(
                "L6",
                W_L6,
                format!(
                    "URLに「{}@」形式の偽装(BASIC認証表記)があり、実際の接続先は {host} です",
                    u.username()
                ),
                format!(
                    "URL uses userinfo notation (\"{}@\") to disguise the real host {host}",
                    u.username()
                ),
                sp(),
            ));
        }

        // L7: homograph / invisible characters
        let invisible = l.href.chars().chain(l.text.chars()).find(|c| {
            matches!(*c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
        });
        let mixed = mixed_script_host(&host);
        if invisible.is_some() || mixed {
            let what = if mixed {
                "IDNホモグラフ(ラテン文字とキリル/ギリシャ文字の混在)"
            } else {
                "不可視文字・方向制御文字"
            };
            let what_en = if mixed {
                "an IDN homograph (Latin mixed with Cyrillic/Greek)"
            } else {
                "invisible or bidi-control characters"
            };
            out.push(Reason::new(
                "L7",
                W_L7,
                format!("リンク {host} に{what}が含まれます"),
                format!("Link {host} contains {what_en}"),
                sp(),
            ));
        }

        // L8: numeric host, excessive dots, odd port, very long
        let numeric = host.parse::<std::net::IpAddr>().is_ok() || host.starts_with('[');
        let dots = host.matches('.').count() >= 5;
        let port = l
            .url
            .as_ref()
            .and_then(|u| u.port())
            .is_some_and(|p| p != 80 && p != 443);
        if numeric || dots || port {
            let w = if numeric { W_L8 } else { 1.0 };
            let what = if numeric {
                "IPアドレス直打ち"
            } else if dots {
                "過剰なサブドメイン"
            } else {
                "通常と異なるポート"
            };
            let what_en = if numeric {
                "a numeric IP host"
            } else if dots {
                "excessive subdomains"
            } else {
                "an unusual port"
            };
            out.push(Reason::new(
                "L8",
                w,
                format!("リンク {host} は{what}です"),
                format!("Link {host} uses {what_en}"),
                sp(),
            ));
        }

        // L9: TLD base rates
        if !own(&host)
            && let Some(tld) = host
                .rsplit('.')
                .next()
                .filter(|t| SUSPICIOUS_TLDS.contains(t))
        {
            out.push(Reason::new(
                    "L9",
                    W_L9,
                    format!("リンク先 {host} のトップレベルドメイン .{tld} は国内のフィッシングで多用されています"),
                    format!("Link host {host} uses .{tld}, a TLD over-represented in phishing reported in Japan"),
                    sp(),
                ));
        }

        // L10: link to a lookalike of an own/partner/brand domain
        let label_reg = registrable_label(&host);
        let lookalike = (!own(&host))
            .then(|| {
                ctx.tenant_domains
                    .iter()
                    .chain(ctx.partner_domains.iter())
                    .find_map(|p| imitates(&host, &registrable(p)).map(|_| p.clone()))
            })
            .flatten()
            .or_else(|| {
                BRANDS
                    .iter()
                    .find(|b| {
                        !b.domains.iter().any(|d| host_in(&host, d))
                            && b.tokens.iter().any(|t| label_reg.contains(t))
                    })
                    .map(|b| b.domains[0].to_string())
            });
        if let Some(p) = lookalike {
            out.push(Reason::new(
                "L10",
                W_L10,
                format!("リンク先 {host} は {p} に似せたドメインです"),
                format!("Link host {host} imitates {p}"),
                sp(),
            ));
        }
    }
}

/// True when one label of the host (IDNA-decoded) mixes Latin with Cyrillic or Greek letters,
/// or is entirely Cyrillic/Greek look-alikes of Latin letters under a Latin TLD.
fn mixed_script_host(host: &str) -> bool {
    if !host.contains("xn--") {
        return false;
    }
    let (uni, _) = idna::domain_to_unicode(host);
    uni.split('.').any(|label| {
        let latin = label.chars().any(|c| c.is_ascii_alphabetic());
        let cyr_greek = label.chars().any(|c| {
            ('\u{0370}'..='\u{03FF}').contains(&c) || ('\u{0400}'..='\u{04FF}').contains(&c)
        });
        cyr_greek
            && (latin || host.ends_with(".com") || host.ends_with(".jp") || host.ends_with(".net"))
    })
}

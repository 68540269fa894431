//! Client fingerprints (user agent, `clientAppUsed`, browser, OS) and the helper that turns
//! them into a [`SignInRec`].

use std::net::IpAddr;

use chrono::{DateTime, Utc};

use crate::rng::Gen;
use crate::signin::{App, Auth, SignInRec};

/// A client program as Entra reports it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Client {
    /// `clientAppUsed`.
    pub client_app: &'static str,
    /// `userAgent`.
    pub user_agent: &'static str,
    /// `deviceDetail.browser`.
    pub browser: &'static str,
    /// `deviceDetail.operatingSystem`.
    pub os: &'static str,
    /// `authenticationProtocol`.
    pub protocol: &'static str,
    /// `ClientInfoString` of mailbox audit records made through it.
    pub client_info: &'static str,
}

/// Outlook desktop on Windows.
pub(crate) const OUTLOOK_WIN: Client = Client {
    client_app: "Mobile Apps and Desktop clients",
    user_agent: "Microsoft Office/16.0 (Windows NT 10.0; Microsoft Outlook 16.0.18827; Pro)",
    browser: "Rich Client 16.0.18827.20128",
    os: "Windows10",
    protocol: "none",
    client_info: "Client=MSExchangeRPC",
};
/// Outlook on a Mac.
pub(crate) const OUTLOOK_MAC: Client = Client {
    client_app: "Mobile Apps and Desktop clients",
    user_agent: "MacOutlook/16.97.25051114 (Intelx64 Mac OS X 15.5 (Build 24F74))",
    browser: "Rich Client 16.97.25051114",
    os: "MacOs",
    protocol: "none",
    client_info: "Client=REST;Client=RESTSystem;;",
};
/// Edge on Windows.
pub(crate) const EDGE_WIN: Client = Client {
    client_app: "Browser",
    user_agent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/137.0.0.0 Safari/537.36 Edg/137.0.0.0",
    browser: "Edge 137.0.0",
    os: "Windows10",
    protocol: "none",
    client_info: "Client=OWA;",
};
/// Outlook for iOS.
pub(crate) const OUTLOOK_IOS: Client = Client {
    client_app: "Mobile Apps and Desktop clients",
    user_agent: "Outlook-iOS/2.0",
    browser: "Mobile Safari",
    os: "Ios 18.5",
    protocol: "none",
    client_info: "Client=REST;Client=RESTSystem;;",
};
/// Outlook for Android.
pub(crate) const OUTLOOK_ANDROID: Client = Client {
    client_app: "Mobile Apps and Desktop clients",
    user_agent: "Outlook-Android/2.0",
    browser: "Chrome Mobile",
    os: "Android 15",
    protocol: "none",
    client_info: "Client=REST;Client=RESTSystem;;",
};
/// The attacker's browser: an older Chrome on an unregistered Windows PC.
pub(crate) const ATTACKER_BROWSER: Client = Client {
    client_app: "Browser",
    user_agent: "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36",
    browser: "Chrome 124.0.0",
    os: "Windows10",
    protocol: "none",
    client_info: "Client=OWA;",
};
/// Legacy SMTP AUTH (basic authentication proxied as ROPC).
pub(crate) const SMTP_AUTH: Client = Client {
    client_app: "Authenticated SMTP",
    user_agent: "BAV2ROPC",
    browser: "",
    os: "",
    protocol: "ropc",
    client_info: "Client=SMTP;",
};
/// The password spray's script.
pub(crate) const SPRAY_SCRIPT: Client = Client {
    client_app: "Mobile Apps and Desktop clients",
    user_agent: "python-requests/2.32.3",
    browser: "",
    os: "",
    protocol: "ropc",
    client_info: "",
};

/// Builds a sign-in with fresh ids.
#[allow(clippy::too_many_arguments)]
pub(crate) fn sign_in(
    g: &mut Gen,
    time: DateTime<Utc>,
    user: usize,
    app: &'static App,
    client: &Client,
    ip: IpAddr,
    interactive: bool,
    auth: Auth,
    device_id: Option<&str>,
    session_id: &str,
) -> SignInRec {
    SignInRec {
        id: g.guid(),
        time,
        user,
        app,
        ip,
        client_app: client.client_app,
        user_agent: client.user_agent,
        os: client.os,
        browser: client.browser,
        device_id: device_id.map(str::to_string),
        interactive,
        auth,
        correlation_id: g.guid(),
        session_id: session_id.to_string(),
        unique_token: g.token(22),
        protocol: client.protocol,
        latency_ms: g.range(40, 400) as u32,
    }
}

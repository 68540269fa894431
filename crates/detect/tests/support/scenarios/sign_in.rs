//! Sign-in detections' scenarios.

use model::Event;

use super::super::*;

/// (detection id, file stem `fires_*` / `quiet_*`, events).
pub fn all() -> Vec<(&'static str, &'static str, Vec<Event>)> {
    let mut v = Vec::new();
    let mut add =
        |id: &'static str, name: &'static str, b: &mut Builder| v.push((id, name, b.done()));

    // new_country_sign_in
    add(
        "new_country_sign_in",
        "fires_smtp_from_us",
        Builder::new("ncs-f1").history(USER, 0, 10).sign_in(
            at(10, 600),
            USER,
            ATTACKER_IP,
            NEW_YORK,
            0,
            "Authenticated SMTP",
            false,
        ),
    );
    add(
        "new_country_sign_in",
        "fires_correct_password_blocked_by_mfa",
        Builder::new("ncs-f2").history(USER, 0, 10).sign_in(
            at(10, 600),
            USER,
            ATTACKER_IP,
            BERLIN,
            50074,
            "Browser",
            false,
        ),
    );
    add(
        "new_country_sign_in",
        "quiet_declared_trip",
        Builder::new("ncs-q1")
            .history("sato@example.co.jp", 0, 10)
            .sign_in(
                at(10, 600),
                "sato@example.co.jp",
                "192.0.2.77",
                NEW_YORK,
                0,
                "Browser",
                true,
            ),
    );
    add(
        "new_country_sign_in",
        "quiet_vpn_egress",
        Builder::new("ncs-q2").history(USER, 0, 10).sign_in(
            at(10, 600),
            USER,
            VPN_IP,
            SINGAPORE,
            0,
            "Browser",
            false,
        ),
    );

    // impossible_travel
    add(
        "impossible_travel",
        "fires_tokyo_then_berlin",
        Builder::new("itr-f1")
            .history(USER, 0, 10)
            .sign_in(at(10, 0), USER, HOME_IP, TOKYO, 0, "Browser", true)
            .sign_in(at(10, 90), USER, "192.0.2.99", BERLIN, 0, "Browser", true),
    );
    add(
        "impossible_travel",
        "quiet_flight_time",
        Builder::new("itr-q1")
            .history(USER, 0, 10)
            .sign_in(at(10, 0), USER, HOME_IP, TOKYO, 0, "Browser", true)
            .sign_in(at(11, 600), USER, "192.0.2.98", HANOI, 0, "Browser", true),
    );

    // legacy_auth_success
    add(
        "legacy_auth_success",
        "fires_imap_from_new_ip",
        Builder::new("las-f1").history(USER, 0, 10).sign_in(
            at(10, 600),
            USER,
            "192.0.2.55",
            TOKYO,
            0,
            "IMAP4",
            true,
        ),
    );
    add(
        "legacy_auth_success",
        "quiet_smtp_from_corporate",
        Builder::new("las-q1").history(USER, 0, 10).sign_in(
            at(10, 600),
            USER,
            CORP_IP,
            TOKYO,
            0,
            "Authenticated SMTP",
            false,
        ),
    );

    // password_spray
    let mut b = Builder::new("psp-f1");
    for (i, u) in ["a", "b", "c", "d", "e", "f"].iter().enumerate() {
        b.sign_in(
            at(5, i as i64 * 2),
            &format!("{u}@example.co.jp"),
            "192.0.2.88",
            BERLIN,
            50126,
            "Browser",
            false,
        );
    }
    add("password_spray", "fires_six_accounts", &mut b);
    let mut b = Builder::new("psp-q1");
    for (i, u) in ["a", "b", "c"].iter().enumerate() {
        b.sign_in(
            at(5, i as i64 * 2),
            &format!("{u}@example.co.jp"),
            "192.0.2.88",
            BERLIN,
            50126,
            "Browser",
            false,
        );
    }
    add("password_spray", "quiet_three_accounts", &mut b);

    // brute_force
    let mut b = Builder::new("brf-f1");
    for i in 0..12 {
        b.sign_in(
            at(5, i),
            USER,
            &format!("192.0.2.{}", 120 + i),
            BERLIN,
            50126,
            "Browser",
            false,
        );
    }
    add("brute_force", "fires_twelve_failures", &mut b);
    let mut b = Builder::new("brf-q1");
    for i in 0..4 {
        b.sign_in(at(5, i), USER, HOME_IP, TOKYO, 50126, "Browser", false);
    }
    add("brute_force", "quiet_four_typos", &mut b);

    // failures_then_success
    let mut b = Builder::new("fts-f1");
    b.history(USER, 0, 10);
    for i in 0..6 {
        b.sign_in(
            at(10, i),
            USER,
            "192.0.2.66",
            TOKYO,
            50126,
            "Browser",
            false,
        );
    }
    b.sign_in(at(10, 8), USER, "192.0.2.66", TOKYO, 0, "Browser", false);
    add(
        "failures_then_success",
        "fires_six_failures_then_success",
        &mut b,
    );
    let mut b = Builder::new("fts-q1");
    b.history(USER, 0, 10)
        .sign_in(at(10, 0), USER, HOME_IP, TOKYO, 50126, "Browser", true)
        .sign_in(at(10, 1), USER, HOME_IP, TOKYO, 0, "Browser", true);
    add("failures_then_success", "quiet_one_typo", &mut b);

    // sign_in_after_password_reset
    let admin = "admin@example.co.jp";
    add(
        "sign_in_after_password_reset",
        "fires_attacker_retries_after_reset",
        Builder::new("sar-f1")
            .history(USER, 0, 10)
            .sign_in(
                at(10, 60),
                USER,
                ATTACKER_IP,
                NEW_YORK,
                0,
                "Authenticated SMTP",
                false,
            )
            .directory(
                at(10, 300),
                "Reset user password",
                admin,
                USER,
                CORP_IP,
                &[],
            )
            .sign_in(
                at(10, 330),
                USER,
                ATTACKER_IP,
                NEW_YORK,
                50126,
                "Authenticated SMTP",
                false,
            ),
    );
    add(
        "sign_in_after_password_reset",
        "quiet_own_phone_retries",
        Builder::new("sar-q1")
            .history(USER, 0, 10)
            .directory(
                at(10, 300),
                "Reset user password",
                admin,
                USER,
                CORP_IP,
                &[],
            )
            .sign_in(
                at(10, 330),
                USER,
                HOME_IP,
                TOKYO,
                50126,
                "Exchange ActiveSync",
                false,
            ),
    );

    v
}

//! The shipped Sigma rules load, fire on the events they describe and stay quiet otherwise;
//! unsupported Sigma features are refused with a clear error.

mod support;

use std::path::Path;

use detect::{Config, Engine, SigmaRule};
use model::{Event, EventKind};
use support::*;

fn rules() -> Vec<SigmaRule> {
    SigmaRule::load_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("sigma"))
        .expect("shipped rules load")
}

fn fired(events: &[Event]) -> Vec<String> {
    let mut engine = Engine::new(Config::default())
        .with_only(&[])
        .with_sigma(rules());
    let mut out = Vec::new();
    for e in events {
        out.extend(engine.observe(e).into_iter().map(|f| f.detection));
    }
    out
}

fn set_sign_in(events: &mut [Event], f: impl Fn(&mut model::SignIn)) {
    for e in events {
        if let EventKind::SignIn(s) = &mut e.kind {
            f(s);
        }
    }
}

#[test]
fn shipped_rules_load_with_ids_levels_and_attack_tags() {
    let r = rules();
    assert_eq!(r.len(), 4);
    for rule in &r {
        assert!(rule.id.starts_with("mimamori-"), "{}", rule.id);
        assert!(!rule.title.is_empty() && !rule.attack.is_empty());
        assert!(rule.detection_id().starts_with("sigma:"));
    }
}

#[test]
fn legacy_protocol_rule() {
    let hit = Builder::new("sg1")
        .sign_in(
            at(1, 0),
            USER,
            ATTACKER_IP,
            NEW_YORK,
            0,
            "Authenticated SMTP",
            false,
        )
        .done();
    assert_eq!(
        fired(&hit),
        vec!["sigma:mimamori-signin-legacy-protocol-success"]
    );
    let failed = Builder::new("sg2")
        .sign_in(at(1, 0), USER, ATTACKER_IP, NEW_YORK, 50126, "IMAP4", false)
        .done();
    assert!(fired(&failed).is_empty());
    let browser = Builder::new("sg3")
        .sign_in(at(1, 0), USER, HOME_IP, TOKYO, 0, "Browser", true)
        .done();
    assert!(fired(&browser).is_empty());
}

#[test]
fn ropc_rule_uses_one_of_and_not() {
    let mut ua = Builder::new("sg4")
        .sign_in(
            at(1, 0),
            USER,
            ATTACKER_IP,
            NEW_YORK,
            50126,
            "Browser",
            false,
        )
        .done();
    set_sign_in(&mut ua, |s| s.user_agent = Some("BAV2ROPC".into()));
    assert_eq!(fired(&ua), vec!["sigma:mimamori-signin-ropc-single-factor"]);
    let mut proto = Builder::new("sg5")
        .sign_in(
            at(1, 0),
            USER,
            ATTACKER_IP,
            NEW_YORK,
            50126,
            "Browser",
            false,
        )
        .done();
    set_sign_in(&mut proto, |s| {
        s.authentication_protocol = Some("ROPC".into())
    });
    assert_eq!(
        fired(&proto),
        vec!["sigma:mimamori-signin-ropc-single-factor"],
        "case-insensitive"
    );
    let mut mfa = Builder::new("sg6")
        .sign_in(
            at(1, 0),
            USER,
            ATTACKER_IP,
            NEW_YORK,
            50126,
            "Browser",
            true,
        )
        .done();
    set_sign_in(&mut mfa, |s| s.user_agent = Some("BAV2ROPC".into()));
    assert!(fired(&mfa).is_empty(), "filter_mfa excludes it");
}

#[test]
fn consent_rule_reads_modified_properties() {
    let hit = Builder::new("sg7")
        .directory(
            at(1, 0),
            "Consent to application",
            USER,
            "Mail Helper",
            ATTACKER_IP,
            &[(
                "ConsentAction.Permissions",
                "Scope: Mail.Send offline_access",
            )],
        )
        .done();
    assert_eq!(
        fired(&hit),
        vec!["sigma:mimamori-auditlogs-consent-mail-scope"]
    );
    let other = Builder::new("sg8")
        .directory(
            at(1, 0),
            "Consent to application",
            USER,
            "Calendar",
            HOME_IP,
            &[("ConsentAction.Permissions", "Scope: Calendars.Read")],
        )
        .done();
    assert!(fired(&other).is_empty());
}

#[test]
fn inbox_rule_rule_reads_folded_parameters_in_japanese() {
    let hit = Builder::new("sg9")
        .cmdlet(
            at(1, 0),
            USER,
            ATTACKER_IP,
            "New-InboxRule",
            &[("Name", "."), ("MoveToFolder", "会話の履歴")],
        )
        .done();
    assert_eq!(
        fired(&hit),
        vec!["sigma:mimamori-m365-inbox-rule-hides-mail"]
    );
    let delete = Builder::new("sg10")
        .cmdlet(
            at(1, 0),
            USER,
            ATTACKER_IP,
            "Set-InboxRule",
            &[("DeleteMessage", "True")],
        )
        .done();
    assert_eq!(
        fired(&delete),
        vec!["sigma:mimamori-m365-inbox-rule-hides-mail"]
    );
    let benign = Builder::new("sg11")
        .cmdlet(
            at(1, 0),
            USER,
            HOME_IP,
            "New-InboxRule",
            &[("MoveToFolder", "ニュースレター")],
        )
        .done();
    assert!(fired(&benign).is_empty());
}

#[test]
fn unsupported_sigma_is_refused_naming_the_file() {
    let agg = "id: x\nlogsource: {product: azure, service: signinlogs}\ndetection:\n  sel: {ResultType: 50126}\n  condition: sel | count() > 5\n";
    let e = SigmaRule::parse(agg, "agg.yml").expect_err("aggregation");
    assert!(e.to_string().contains("agg.yml") && e.to_string().contains("aggregation"));
    let modifier = "id: y\nlogsource: {product: azure}\ndetection:\n  sel: {IPAddress|cidr: 10.0.0.0/8}\n  condition: sel\n";
    assert!(
        SigmaRule::parse(modifier, "m.yml")
            .expect_err("cidr")
            .to_string()
            .contains("cidr")
    );
    let windows =
        "id: z\nlogsource: {product: windows}\ndetection:\n  sel: {EventID: 1}\n  condition: sel\n";
    assert!(SigmaRule::parse(windows, "w.yml").is_err());
}

#[test]
fn wildcards_and_all_modifier() {
    let text = "id: w\nlogsource: {product: m365}\ndetection:\n  sel:\n    Operation: 'New-*Rule'\n    Parameters.SubjectOrBodyContainsWords|contains|all: ['請求書', 'ウイルス']\n  condition: sel\nlevel: high\n";
    let rule = SigmaRule::parse(text, "w.yml").expect("parse");
    let mut engine = Engine::new(Config::default())
        .with_only(&[])
        .with_sigma(vec![rule]);
    let both = Builder::new("sg12")
        .cmdlet(
            at(1, 0),
            USER,
            ATTACKER_IP,
            "New-InboxRule",
            &[("SubjectOrBodyContainsWords", "請求書;ウイルス")],
        )
        .done();
    let f = engine.observe(&both[0]);
    assert_eq!(f.len(), 1);
    assert_eq!(f[0].severity, model::Severity::High);
    let one = Builder::new("sg13")
        .cmdlet(
            at(1, 0),
            USER,
            ATTACKER_IP,
            "New-InboxRule",
            &[("SubjectOrBodyContainsWords", "請求書")],
        )
        .done();
    assert!(engine.observe(&one[0]).is_empty());
}

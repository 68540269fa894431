//! The four reporting triggers of 施行規則 第7条 against variations of the synthetic case.

mod common;

use act::{Requirement, ScopeView, Trigger, assess};
use common::*;
use model::Severity;
use serde_json::json;

fn triggers(c: &act::CaseInputs) -> Vec<Trigger> {
    assess(c).triggers.iter().map(|t| t.trigger).collect()
}

fn scope(v: serde_json::Value) -> Option<ScopeView> {
    Some(ScopeView::from_value(v))
}

fn takeover() -> act::CaseInputs {
    let mut c = case();
    c.scope = scope(json!({"persons": {"count": 0}, "my_number_found": false}));
    c
}

#[test]
fn unauthorized_access_with_personal_data_is_trigger_3_and_60_days() {
    let c = case();
    let a = assess(&c);
    assert_eq!(a.requirement, Requirement::Required);
    assert_eq!(triggers(&c), vec![Trigger::UnlawfulPurpose]);
    assert!(a.unlawful_purpose());
}

#[test]
fn special_care_and_card_are_triggers_1_and_2() {
    let mut c = takeover();
    c.scope =
        scope(json!({"persons": {"count": 1}, "special_care_found": true, "card_found": true}));
    assert_eq!(
        triggers(&c),
        vec![
            Trigger::SpecialCare,
            Trigger::Financial,
            Trigger::UnlawfulPurpose
        ]
    );
}

#[test]
fn bank_account_alone_is_trigger_2_to_confirm() {
    let mut c = takeover();
    c.scope = scope(json!({"persons": {"count": 3}, "bank_account_found": true}));
    let a = assess(&c);
    let fin = a
        .triggers
        .iter()
        .find(|t| t.trigger == Trigger::Financial)
        .expect("financial");
    assert!(fin.to_confirm);
}

#[test]
fn more_than_1000_persons_is_trigger_4_but_1000_is_not() {
    let mut c = takeover();
    c.scope = scope(json!({"persons": {"count": 1001}}));
    assert!(triggers(&c).contains(&Trigger::OverThousand));
    c.scope = scope(json!({"persons": {"count": 1000}}));
    assert!(!triggers(&c).contains(&Trigger::OverThousand));
}

#[test]
fn access_without_personal_data_is_not_required() {
    let c = takeover();
    let a = assess(&c);
    assert_eq!(a.requirement, Requirement::NotRequired);
    assert!(a.triggers.is_empty());
    assert!(a.unauthorized_access);
}

#[test]
fn uninspected_files_leave_it_undetermined() {
    let mut c = takeover();
    c.scope = scope(
        json!({"persons": {"count": 0}, "not_inspected": [{"path": "x.zip", "reason": "encrypted"}]}),
    );
    assert_eq!(assess(&c).requirement, Requirement::Undetermined);
}

#[test]
fn missing_scope_with_access_is_undetermined() {
    let mut c = case();
    c.scope = None;
    assert_eq!(assess(&c).requirement, Requirement::Undetermined);
}

#[test]
fn spray_without_success_is_not_a_leak() {
    let mut c = case();
    c.incidents.retain(|i| i.id == "inc-2");
    // Plenty of personal data in the mailboxes, but nobody got in: no trigger.
    c.scope = scope(json!({"persons": {"count": 5000}, "special_care_found": true}));
    let a = assess(&c);
    assert!(!a.unauthorized_access);
    assert_eq!(a.requirement, Requirement::NotRequired);
    assert!(a.triggers.is_empty());
}

#[test]
fn low_severity_access_is_not_unauthorized_access() {
    let mut c = case();
    c.incidents = vec![takeover_incident(Severity::Low, &["new_country_sign_in"])];
    assert!(!assess(&c).unauthorized_access);
    c.incidents = vec![takeover_incident(Severity::High, &["new_country_sign_in"])];
    assert!(assess(&c).unauthorized_access);
}

#[test]
fn the_scope_verdict_is_honoured() {
    let mut c = case();
    c.incidents.clear();
    c.scope = scope(
        json!({"persons": {"count": 2}, "ppc_report_required": true, "ppc_reasons": ["誤送信"]}),
    );
    let a = assess(&c);
    assert_eq!(a.requirement, Requirement::Required);
    assert!(a.notes.iter().any(|(ja, _)| ja.contains("誤送信")));
}

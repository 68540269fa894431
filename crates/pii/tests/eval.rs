//! End-to-end evaluation on the generated set (see `pii::evalgen`): exact person count, every
//! category present, no false My Number / bank / card, not-inspected reasons, and per-type
//! precision/recall printed (run with `--nocapture` to see the table used in the README).

use chrono::NaiveDate;
use pii::category::Category;
use pii::evalgen::{EvalSet, generate, truth_key};
use pii::{DocumentOptions, Exposure, Scope, ScopeBuilder, ScopeOptions, scan_document};
use std::collections::{BTreeMap, BTreeSet};

fn reference() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 6, 1).expect("date")
}

fn build_scope(set: &EvalSet, exposure: Option<Exposure>, unauthorized: bool) -> Scope {
    let mut b = ScopeBuilder::new(ScopeOptions {
        internal_domains: vec!["example.co.jp".into()],
        exposure,
        reference_date: Some(reference()),
        unauthorized_access: unauthorized,
        ..Default::default()
    });
    for m in &set.messages {
        m.add_to(&mut b, None);
    }
    b.finish()
}

#[test]
fn scope_counts_exactly_the_64_synthetic_employees() {
    let set = generate(42).expect("generate");
    let scope = build_scope(&set, None, false);
    assert_eq!(
        scope.persons.count, set.expected_persons,
        "persons: {:#?}",
        scope.persons
    );
    for c in [
        Category::Name,
        Category::NameKana,
        Category::BirthDate,
        Category::Gender,
        Category::PostalCode,
        Category::Address,
        Category::Phone,
        Category::Email,
        Category::MyNumber,
        Category::BankAccount,
        Category::Card,
        Category::HeadOfHousehold,
        Category::Relationship,
        Category::SpecialCare,
    ] {
        assert!(
            scope.persons.by_category.get(&c).copied().unwrap_or(0) > 0,
            "category {c:?} missing"
        );
    }
    assert!(
        scope.my_number_found
            && scope.bank_account_found
            && scope.card_found
            && scope.special_care_found
    );
    // Exactly the 4 card holders, the 24 payroll rows and the 20+4 My Number holders (24..48 ∪ 44..64).
    assert_eq!(scope.persons.by_category[&Category::Card], 4);
    assert_eq!(scope.persons.by_category[&Category::BankAccount], 24);
    assert_eq!(scope.persons.by_category[&Category::MyNumber], 40);
    // Decoy order numbers passing the check digit are candidates only.
    assert!(scope.my_number_low_confidence > 0);
    let got: BTreeSet<(String, String)> = scope
        .not_inspected
        .to_vec()
        .expect("not inspected")
        .iter()
        .map(|n| {
            let top = n
                .path
                .split_once('/')
                .map_or("", |x| x.1)
                .split("!/")
                .next()
                .unwrap_or("");
            (top.to_string(), format!("{:?}", n.reason))
        })
        .collect();
    for (name, reason) in &set.expected_not_inspected {
        assert!(
            got.contains(&(name.clone(), format!("{reason:?}"))),
            "{name} {reason:?} not in {got:?}"
        );
    }
    assert_eq!(scope.messages.total, set.messages.len() as u64);
    assert_eq!(
        scope.business_contacts.signature_contacts, 7,
        "6 vendor mails + the clinic"
    );
    assert!(
        scope
            .addresses
            .external_domains
            .contains_key("vendor-a.example.com")
    );
    assert!(scope.addresses.internal >= 3);
    // The 40 roster addresses and the clinic signature's address never appear in an envelope.
    assert_eq!(scope.addresses.found_only_in_bodies, 41);
    assert!(scope.ppc_report_required);
    assert!(scope.ppc_reasons.iter().any(|r| r.id == "special_care"));
    assert!(scope.ppc_reasons.iter().any(|r| r.id == "financial_damage"));
    assert!(scope.ppc_notes.iter().any(|r| r.id == "not_inspected"));
    // Masked by default.
    assert!(!scope.revealed);
    assert!(scope.person_list.iter().all(|p| {
        p.values
            .get(&Category::MyNumber)
            .is_none_or(|v| v == "****-****-****")
    }));
    let json = scope.to_json().expect("json");
    assert!(
        !json.contains(&set.messages[1].attachments[0].name.replace(".xlsx", ""))
            || json.contains("給与振込口座")
    );
    let md = scope.render_markdown(pii::Lang::Ja);
    assert!(md.contains("本人の数: **64名**"), "{md}");
    assert!(
        scope
            .render_markdown(pii::Lang::En)
            .contains("Persons: **64**")
    );
}

#[test]
fn exposure_limits_the_scope() {
    let set = generate(42).expect("generate");
    let ids = [
        "eval001@example.co.jp".to_string(),
        "<EVAL010@example.co.jp>".to_string(),
    ];
    let exposure = Exposure {
        message_ids: ids.into_iter().collect(),
        folders: ["受信トレイ/健康管理".to_string()].into_iter().collect(),
    };
    let scope = build_scope(&set, Some(exposure), true);
    assert_eq!(scope.messages.total, 3);
    assert_eq!(
        scope.exposure.skipped_messages,
        set.messages.len() as u64 - 3
    );
    // Roster 0..40 ∪ PDF 56..64 (romaji names, linked by nothing else here) ∪ body (in roster).
    assert_eq!(scope.persons.count, 48);
    assert!(!scope.my_number_found && !scope.bank_account_found && !scope.card_found);
    assert!(scope.special_care_found);
    assert!(
        scope
            .ppc_reasons
            .iter()
            .any(|r| r.id == "unauthorized_access")
    );
    assert!(scope.searched.not_found.iter().any(|r| r.id == "mynumber"));
}

#[test]
fn precision_and_recall_per_type() {
    let set = generate(42).expect("generate");
    let opts = DocumentOptions {
        reference_date: reference(),
        reveal: true,
        limits: Default::default(),
    };
    type Key = (String, String, Category, String);
    let mut found: BTreeSet<Key> = BTreeSet::new();
    let mut add = |file: Option<String>, r: pii::DocumentReport| {
        let names: BTreeMap<usize, String> = r
            .findings
            .iter()
            .filter(|f| f.category == Category::Name)
            .map(|f| (f.record, truth_key(Category::Name, &f.value)))
            .collect();
        for f in r.findings {
            let top = file
                .clone()
                .unwrap_or_else(|| f.path.split("!/").next().unwrap_or("").to_string());
            let person = names.get(&f.record).cloned().unwrap_or_default();
            found.insert((top, person, f.category, truth_key(f.category, &f.value)));
        }
    };
    for m in &set.messages {
        add(
            Some(format!("body:{}", m.message_id)),
            scan_document("body.txt", Some("text/plain"), m.body.as_bytes(), &opts),
        );
        for a in &m.attachments {
            add(
                None,
                scan_document(&a.name, Some(a.content_type), &a.bytes, &opts),
            );
        }
    }
    let truth: BTreeSet<Key> = set
        .truth
        .iter()
        .map(|t| {
            (
                t.file.clone(),
                t.person.clone(),
                t.category,
                t.value.clone(),
            )
        })
        .collect();
    let mut table: BTreeMap<Category, (usize, usize, usize)> = BTreeMap::new();
    for f in &found {
        let e = table.entry(f.2).or_default();
        if truth.contains(f) {
            e.0 += 1
        } else {
            e.1 += 1
        }
    }
    for t in &truth {
        if !found.contains(t) {
            table.entry(t.2).or_default().2 += 1;
        }
    }
    println!("| type | TP | FP | FN | precision | recall |\n|---|---|---|---|---|---|");
    for (c, (tp, fp, fn_)) in &table {
        let p = *tp as f64 / (*tp + *fp).max(1) as f64;
        let r = *tp as f64 / (*tp + *fn_).max(1) as f64;
        println!("| {c:?} | {tp} | {fp} | {fn_} | {p:.3} | {r:.3} |");
    }
    let fps: Vec<_> = found.iter().filter(|f| !truth.contains(*f)).collect();
    let fns: Vec<_> = truth.iter().filter(|t| !found.contains(*t)).collect();
    println!("false positives: {fps:?}\nfalse negatives: {fns:?}");
    for c in [Category::MyNumber, Category::BankAccount, Category::Card] {
        let (tp, fp, fn_) = table.get(&c).copied().unwrap_or_default();
        assert_eq!(fp, 0, "false {c:?}");
        assert_eq!(fn_, 0, "missed {c:?}");
        assert!(tp > 0);
    }
    assert!(fps.is_empty(), "false positives: {fps:?}");
    assert!(fns.is_empty(), "false negatives: {fns:?}");
}

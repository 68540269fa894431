//! Ingest runs, rejects, and the stats numbers.

mod common;

use chrono::NaiveDate;
use common::{at, audit, mail, sign_in, trace};
use model::RecordError;
use store::{Error, RunId, SqliteStore, Store};

#[test]
fn runs_record_their_inputs_rejects_and_summary() {
    let mut db = SqliteStore::open_in_memory().expect("open");
    let run = db
        .begin_run(
            "default",
            "mimamori ingest exports/",
            &["exports/".to_string()],
        )
        .expect("begin");
    let rejects = vec![
        RecordError::new("exports/signins.json", 17, "createdDateTime missing"),
        RecordError::new(
            "exports/ual.csv",
            3,
            "AuditData is not JSON: expected value at line 1",
        ),
    ];
    db.record_rejects(run, &rejects).expect("rejects");
    let summary = serde_json::json!({"files": [{"file": "exports/signins.json", "stored": 10, "rejected": 1}]});
    db.finish_run(run, &summary).expect("finish");

    assert_eq!(db.rejects(run).expect("read rejects"), rejects);
    let runs = db.runs(Some("default")).expect("runs");
    assert_eq!(runs.len(), 1);
    assert_eq!(runs[0].id, run);
    assert_eq!(runs[0].inputs, vec!["exports/"]);
    assert_eq!(runs[0].summary.as_ref(), Some(&summary));
    assert_eq!(runs[0].rejects, 2);
    assert!(runs[0].finished.is_some());
    assert!(db.runs(Some("other")).expect("runs").is_empty());

    let stats = db.stats(Some("default")).expect("stats");
    assert_eq!((stats.runs, stats.rejects), (1, 2));

    let missing = RunId(run.0 + 100);
    assert!(matches!(
        db.record_rejects(missing, &rejects),
        Err(Error::UnknownRun(_))
    ));
    assert!(matches!(
        db.finish_run(missing, &summary),
        Err(Error::UnknownRun(_))
    ));
}

#[test]
fn stats_count_kinds_sources_users_and_days() {
    let mut db = SqliteStore::open_in_memory().expect("open");
    let day2 = 86_400;
    db.insert_events(&[
        sign_in("default", "s1", at(10), "yamada@example.co.jp"),
        sign_in("default", "s2", at(20), "yamada@example.co.jp"),
        sign_in("default", "s3", at(day2 + 5), "suzuki@example.co.jp"),
        audit("default", "a1", at(30), "yamada@example.co.jp", "Send"),
        trace("default", "t1", at(day2 + 10), "yamada@example.co.jp"),
        trace("default", "t2", at(day2 + 11), "yamada@example.co.jp"),
        mail("default", "m1", at(40)),
        // Another tenant must not count.
        sign_in("other", "s1", at(10), "x@example.com"),
    ])
    .expect("insert");
    // A duplicate must not count either (also not in the per-source counters).
    db.insert_events(&[sign_in("default", "s1", at(10), "yamada@example.co.jp")])
        .expect("dup");

    let s = db.stats(Some("default")).expect("stats");
    assert_eq!(s.tenant.as_deref(), Some("default"));
    assert_eq!(s.events, 7);
    assert_eq!(
        (
            s.sign_ins,
            s.audit_records,
            s.directory_audits,
            s.message_trace,
            s.mail
        ),
        (3, 1, 0, 2, 1)
    );
    assert_eq!(s.by_kind.get("sign_in"), Some(&3));
    assert_eq!(s.by_source.get("graph_signin_json"), Some(&3));
    assert_eq!(s.by_source.get("purview_audit_csv"), Some(&1));
    assert_eq!(s.by_source.get("message_trace_csv"), Some(&2));
    assert_eq!(s.by_source.get("pst"), Some(&1));
    assert_eq!(s.by_user.get("yamada@example.co.jp"), Some(&5));
    assert_eq!(s.by_user.get("suzuki@example.co.jp"), Some(&1));
    assert_eq!(s.without_user, 1);
    let d1 = NaiveDate::from_ymd_opt(2025, 3, 12).expect("date");
    let d2 = NaiveDate::from_ymd_opt(2025, 3, 13).expect("date");
    assert_eq!(s.by_day.get(&d1), Some(&4));
    assert_eq!(s.by_day.get(&d2), Some(&3));
    assert_eq!(s.first_event, Some(at(10)));
    assert_eq!(s.last_event, Some(at(day2 + 11)));

    let all = db.stats(None).expect("all");
    assert_eq!((all.events, all.sign_ins), (8, 4));
    assert_eq!(all.by_source.get("graph_signin_json"), Some(&4));

    let none = db.stats(Some("nobody")).expect("unknown tenant");
    assert_eq!(none.events, 0);
    assert!(none.by_day.is_empty());

    // The JSON the CLI prints with --json has the top-level numbers and dates as text.
    let json = serde_json::to_value(&s).expect("json");
    assert_eq!(json["sign_ins"], 3);
    assert_eq!(json["by_day"]["2025-03-13"], 3);
}

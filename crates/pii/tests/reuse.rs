//! Identical attachments are read once and their result replayed under each new path: the
//! scope must not depend on it. The evaluation set sent three times (every attachment repeats,
//! under new Message-IDs) gives the same scope.json with and without reuse, and the reuse
//! actually answered the repeats.

use chrono::NaiveDate;
use pii::evalgen::generate;
use pii::{PersonKey, Scope, ScopeBuilder, ScopeOptions};

fn scope(reuse: bool) -> (Scope, u64) {
    let set = generate(11).expect("generate");
    let mut b = ScopeBuilder::new(ScopeOptions {
        internal_domains: vec!["example.co.jp".into()],
        reference_date: NaiveDate::from_ymd_opt(2025, 6, 1),
        key: Some(PersonKey::from_hex(&"cd".repeat(32)).expect("key")),
        reuse_identical_attachments: reuse,
        ..Default::default()
    });
    for copy in 0..3 {
        for (i, m) in set.messages.iter().enumerate() {
            m.add_to(&mut b, Some(&format!("<c{copy}-{i}@example.co.jp>")));
        }
    }
    let reused = b.reused_attachments();
    let mut s = b.finish();
    s.generated_at = chrono::DateTime::UNIX_EPOCH;
    (s, reused)
}

#[test]
fn replayed_attachments_give_the_same_scope_as_read_ones() {
    let (read, none) = scope(false);
    let (replayed, reused) = scope(true);
    assert_eq!(none, 0);
    let attachments = read.searched.attachments;
    assert!(
        reused * 3 >= attachments,
        "{reused} of {attachments} attachments reused"
    );
    assert_eq!(
        read.to_json().expect("json"),
        replayed.to_json().expect("json")
    );
    // Every copy is listed under its own message.
    let files = replayed.files.to_vec().expect("files");
    for copy in 0..3 {
        assert!(
            files
                .iter()
                .any(|f| f.path.starts_with(&format!("c{copy}-"))
                    || f.path.starts_with(&format!("<c{copy}-")))
        );
    }
    let ni = replayed.not_inspected.to_vec().expect("not inspected");
    assert!(ni.iter().any(|n| n.path.contains("c2-")), "{ni:?}");
}

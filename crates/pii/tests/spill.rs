//! The long lists of a scope run (files with findings, files not inspected) move to a
//! temporary file past `spill_after` entries. The result must not depend on where they were
//! kept: the evaluation set scoped with everything in memory and with everything on disk gives
//! the same scope.json, and scope.json read back gives the same lists.

use chrono::NaiveDate;
use pii::evalgen::generate;
use pii::{PERSON_FILES_LISTED, PersonKey, Scope, ScopeBuilder, ScopeOptions};

fn scope(spill_after: usize, copies: usize) -> Scope {
    scope_in(spill_after, copies, None)
}

fn scope_in(spill_after: usize, copies: usize, spill_dir: Option<std::path::PathBuf>) -> Scope {
    let set = generate(42).expect("generate");
    let mut b = ScopeBuilder::new(ScopeOptions {
        internal_domains: vec!["example.co.jp".into()],
        reference_date: NaiveDate::from_ymd_opt(2025, 6, 1),
        key: Some(PersonKey::from_hex(&"ab".repeat(32)).expect("key")),
        spill_after,
        spill_dir,
        ..Default::default()
    });
    for copy in 0..copies {
        for (i, m) in set.messages.iter().enumerate() {
            m.add_to(&mut b, Some(&format!("copy{copy}-{i}@example.co.jp")));
        }
    }
    let mut s = b.finish();
    s.generated_at = chrono::DateTime::UNIX_EPOCH;
    s
}

#[test]
fn lists_on_disk_give_the_same_scope_json_as_lists_in_memory() {
    let memory = scope(usize::MAX, 2);
    let disk = scope(0, 2);
    assert!(memory.files.len() > 10 && memory.not_inspected.len() > 5);
    assert!(disk.files.in_memory().is_empty() && disk.not_inspected.in_memory().is_empty());
    assert_eq!(
        memory.to_json().expect("json"),
        disk.to_json().expect("json")
    );
    // Half in memory, half on disk.
    let split = scope(memory.files.len() / 2, 2);
    assert!(!split.files.in_memory().is_empty());
    assert_eq!(
        memory.to_json().expect("json"),
        split.to_json().expect("json")
    );
    // scope.json read back holds every entry, in order.
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("scope.json");
    disk.write_json(&path).expect("write");
    let back: Scope = serde_json::from_slice(&std::fs::read(&path).expect("read")).expect("parse");
    assert_eq!(back.files.len(), memory.files.len());
    let paths = |s: &Scope| -> Vec<String> {
        s.files
            .to_vec()
            .expect("files")
            .into_iter()
            .map(|f| f.path)
            .collect()
    };
    assert_eq!(paths(&back), paths(&memory));
    assert_eq!(
        back.not_inspected.to_vec().expect("list"),
        memory.not_inspected.to_vec().expect("list")
    );
    // A summary keeps the first entries and the totals.
    let cut = disk.summary(3).expect("summary");
    assert_eq!((cut.files.len(), cut.not_inspected.len()), (3, 3));
    assert_eq!(cut.files_total, memory.files.len() as u64);
    assert_eq!(cut.not_inspected_total, memory.not_inspected.len() as u64);
    assert_eq!(
        cut.files.to_vec().expect("cut")[..],
        memory.files.to_vec().expect("all")[..3]
    );
    // The summary names the files of both lists.
    let md = disk.render_markdown(pii::Lang::En);
    let first = disk.files.iter().next().expect("a file").expect("readable");
    assert!(md.contains(&first.path), "{md}");
}

#[test]
fn a_person_names_the_first_files_and_counts_them_all() {
    let copies = PERSON_FILES_LISTED + 2;
    let s = scope(16, copies);
    assert_eq!(s.persons.count, 64);
    let most = s
        .person_list
        .iter()
        .max_by_key(|p| p.file_count)
        .expect("a person");
    // Every copy of the set repeats each file at least once.
    assert!(most.file_count >= copies as u64, "{}", most.file_count);
    assert_eq!(most.files.len(), PERSON_FILES_LISTED);
    assert!(most.files[0].starts_with("copy0"), "{:?}", &most.files[..3]);
    // Each listed file holds that person (de-duplicated per file).
    let mut distinct = most.files.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), most.files.len());
}

#[test]
fn lists_that_cannot_go_to_disk_are_reported_and_the_counts_stay_exact() {
    let dir = tempfile::tempdir().expect("dir");
    let s = scope_in(0, 1, Some(dir.path().join("missing")));
    assert_eq!(s.persons.count, 64);
    assert!(s.files.is_empty() && s.not_inspected.is_empty());
    assert!(s.searched.documents_not_inspected > 0);
    let notes: Vec<&str> = s
        .ppc_notes
        .iter()
        .filter(|n| n.id == "scope_list_incomplete")
        .map(|n| n.en.as_str())
        .collect();
    assert_eq!(notes.len(), 2, "{:?}", s.ppc_notes);
    assert!(
        notes.iter().all(|n| n.contains("temporary file")),
        "{notes:?}"
    );
}

//! The registry contract and the fixture folders.
//!
//! Every detection has a unique id, ja/en titles and descriptions, ATT&CK ids, and at least one
//! `fixtures/<id>/fires_*.jsonl` that fires it and one `quiet_*.jsonl` that does not. Fixtures
//! are generated from `support/scenarios/`; this test checks the committed files are exactly
//! what the scenarios produce (regenerate with `MIMAMORI_REGEN_FIXTURES=1 cargo test -p detect
//! --test fixtures`).

mod support;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use detect::{Config, Engine, detections};
use model::Event;

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn to_jsonl(events: &[Event]) -> String {
    events
        .iter()
        .map(|e| serde_json::to_string(e).expect("serialize") + "\n")
        .collect()
}

fn read_jsonl(path: &Path) -> Vec<Event> {
    let text = std::fs::read_to_string(path).expect("fixture");
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            serde_json::from_str(l).unwrap_or_else(|e| panic!("{}:{}: {e}", path.display(), i + 1))
        })
        .collect()
}

/// The shared fixture configuration (`fixtures/mimamori.toml`).
pub fn fixture_config() -> Config {
    Config::load(&fixtures_dir().join("mimamori.toml")).expect("fixture config")
}

/// Runs the whole engine over a fixture; returns the detection ids that fired.
fn fired(events: &[Event]) -> Vec<String> {
    let mut engine = Engine::new(fixture_config());
    for e in events {
        engine.observe(e);
    }
    let (findings, _) = engine.finish();
    findings.into_iter().map(|f| f.detection).collect()
}

#[test]
fn fixtures_match_their_scenarios() {
    let regen = std::env::var("MIMAMORI_REGEN_FIXTURES").is_ok();
    for (id, name, events) in support::scenarios::all() {
        let path = fixtures_dir().join(id).join(format!("{name}.jsonl"));
        let text = to_jsonl(&events);
        if regen {
            std::fs::create_dir_all(path.parent().expect("dir")).expect("mkdir");
            std::fs::write(&path, &text).expect("write");
        } else {
            let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                on_disk == text,
                "{} is stale; regenerate with MIMAMORI_REGEN_FIXTURES=1",
                path.display()
            );
        }
    }
}

#[test]
fn every_detection_has_metadata_and_fixtures_that_behave() {
    let mut ids = HashSet::new();
    for m in detections() {
        assert!(ids.insert(m.id), "duplicate id {}", m.id);
        assert!(
            !m.title_ja.is_empty() && !m.title_en.is_empty(),
            "{}: titles",
            m.id
        );
        assert!(
            !m.description_ja.is_empty() && !m.description_en.is_empty(),
            "{}: descriptions",
            m.id
        );
        assert!(
            !m.attack.is_empty() && m.attack.iter().all(|a| a.starts_with('T')),
            "{}: ATT&CK ids",
            m.id
        );
        assert!(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(format!("src/rules/{}.rs", m.id))
                .exists()
        );
        let dir = fixtures_dir().join(m.id);
        let mut fires = 0;
        let mut quiet = 0;
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap_or_else(|_| panic!("{} has no fixture folder", m.id))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        files.sort();
        for f in files {
            let name = f
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("")
                .to_string();
            let got = fired(&read_jsonl(&f));
            if name.starts_with("fires_") {
                fires += 1;
                assert!(
                    got.iter().any(|d| d == m.id),
                    "{}/{name} should fire {}; fired {got:?}",
                    m.id,
                    m.id
                );
            } else if name.starts_with("quiet_") {
                quiet += 1;
                assert!(
                    !got.iter().any(|d| d == m.id),
                    "{}/{name} should not fire {}; fired {got:?}",
                    m.id,
                    m.id
                );
            }
        }
        assert!(
            fires >= 1 && quiet >= 1,
            "{}: {fires} firing and {quiet} quiet fixtures",
            m.id
        );
    }
}

//! The act crate depends on `model` only, so it keeps its own table of detection titles and
//! roles and of personal-data category labels (`act/src/labels.rs`). This test — in the one
//! crate that sees detect, pii and act together — fails when that table drifts from the source
//! of truth: a new detection or category must be added there too, with the same words.

use act::labels::{
    Lang, Stage, category_label, detection_stage, detection_title, special_care_label,
};

fn id_of<T: serde::Serialize>(v: T) -> String {
    serde_json::to_value(v)
        .expect("serialize")
        .as_str()
        .expect("a unit variant serializes as a string")
        .to_string()
}

#[test]
fn every_detection_has_acts_title_and_role() {
    let mut n = 0;
    for m in detect::detections() {
        n += 1;
        assert_eq!(detection_title(m.id, Lang::Ja), m.title_ja, "{}", m.id);
        assert_eq!(detection_title(m.id, Lang::En), m.title_en, "{}", m.id);
        let stage = match m.role {
            detect::Role::Attempt => Stage::Attempt,
            detect::Role::Access => Stage::Access,
            detect::Role::Collection => Stage::Collection,
            detect::Role::Persistence => Stage::Persistence,
            detect::Role::Send => Stage::Send,
        };
        assert_eq!(detection_stage(m.id), stage, "{}", m.id);
    }
    assert!(n >= 19, "{n} detections");
}

#[test]
fn every_personal_data_category_has_acts_labels() {
    let all = pii::Category::SEARCHED
        .into_iter()
        .chain([pii::Category::CorporateNumber]);
    for c in all {
        let id = id_of(c);
        assert_eq!(category_label(&id, Lang::Ja), c.ja(), "{id}");
        assert_eq!(category_label(&id, Lang::En), c.en(), "{id}");
    }
    use pii::SpecialCareKind as K;
    for k in [
        K::Health,
        K::CriminalRecord,
        K::CrimeVictim,
        K::Creed,
        K::Race,
        K::SocialStatus,
    ] {
        let id = id_of(k);
        assert_eq!(special_care_label(&id, Lang::Ja), k.ja(), "{id}");
        assert_eq!(special_care_label(&id, Lang::En), k.en(), "{id}");
    }
}

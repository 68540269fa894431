//! Is a PPC breach report (漏えい等報告) required? The four triggers of 個人情報保護法施行規則
//! 第7条 (JAPAN.md §5), checked against the evidence:
//!
//! 1. 要配慮個人情報 included — `scope.special_care_found` (even one person);
//! 2. data whose misuse can cause financial damage — `scope.card_found`; a bank account number
//!    (`bank_account_found`) also counts here, flagged for a person to confirm, because the PPC's
//!    examples are card numbers and payment-service credentials rather than bare account numbers;
//! 3. possibly done for an unlawful purpose — an incident shows unauthorized access (an access,
//!    collection, persistence or send detection in an incident of severity high or critical) and
//!    the mailbox held personal data (even one person);
//! 4. more than 1,000 persons.
//!
//! Triggers 1, 2 and 4 apply only when a leak may have happened: unauthorized access was shown
//! (or the pii crate's scope says a report is required). Personal data in a mailbox nobody broke
//! into is not a leak; other leak paths (misdelivery, loss) are left to a person.
//!
//! The result is `Required`, `NotRequired` or `Undetermined` (scope missing, or files that could
//! not be inspected leave personal data possible). The pii crate's own `ppc_report_required`
//! verdict is honoured: when it says required, the result is required.

use crate::case::CaseInputs;
use crate::labels::{Stage, detection_stage};
use model::Severity;

/// One of the four triggers of 施行規則 第7条.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Trigger {
    /// 第1号: 要配慮個人情報.
    SpecialCare,
    /// 第2号: 財産的被害が生じるおそれ.
    Financial,
    /// 第3号: 不正の目的をもって行われたおそれ.
    UnlawfulPurpose,
    /// 第4号: 1,000人を超える.
    OverThousand,
}

impl Trigger {
    /// The article reference, e.g. `施行規則第7条第3号`.
    pub fn article(self) -> &'static str {
        match self {
            Trigger::SpecialCare => "施行規則第7条第1号",
            Trigger::Financial => "施行規則第7条第2号",
            Trigger::UnlawfulPurpose => "施行規則第7条第3号",
            Trigger::OverThousand => "施行規則第7条第4号",
        }
    }
}

/// A trigger that applies, with the evidence in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TriggerHit {
    /// Which.
    pub trigger: Trigger,
    /// Why, in Japanese.
    pub ja: String,
    /// Why, in English.
    pub en: String,
    /// A person must confirm this trigger.
    pub to_confirm: bool,
}

/// The verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Requirement {
    /// A report is mandatory (and the persons must be notified).
    Required,
    /// The evidence cannot decide it yet.
    Undetermined,
    /// No trigger applies on the evidence.
    NotRequired,
}

/// The assessment of one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PpcAssessment {
    /// The verdict.
    pub requirement: Requirement,
    /// Triggers that apply.
    pub triggers: Vec<TriggerHit>,
    /// Further remarks (ja, en): why undetermined, the pii crate's reasons, My Number.
    pub notes: Vec<(String, String)>,
    /// An incident shows unauthorized access.
    pub unauthorized_access: bool,
}

impl PpcAssessment {
    /// Whether trigger 3 applies (確報 within 60 days).
    pub fn unlawful_purpose(&self) -> bool {
        self.triggers
            .iter()
            .any(|t| t.trigger == Trigger::UnlawfulPurpose)
    }
}

/// True when an incident shows the account was actually taken over (not just guessed at).
pub fn shows_unauthorized_access(inputs: &CaseInputs) -> bool {
    inputs.incidents.iter().any(|i| {
        i.severity >= Severity::High
            && i.detections.iter().any(|d| {
                matches!(
                    detection_stage(d),
                    Stage::Access | Stage::Collection | Stage::Persistence | Stage::Send
                )
            })
    })
}

/// Assesses the case against the four triggers.
pub fn assess(inputs: &CaseInputs) -> PpcAssessment {
    let access = shows_unauthorized_access(inputs);
    let mut triggers = Vec::new();
    let mut notes = Vec::new();
    let Some(scope) = &inputs.scope else {
        if access {
            notes.push((
                "漏えい範囲（scope.json）が未算出のため判定できません。侵害されたメールボックスに個人データが含まれていれば第7条第3号（不正アクセス）に該当します。".to_string(),
                "The leak scope (scope.json) was not computed. If the compromised mailbox held personal data, trigger 3 (unauthorized access) applies.".to_string(),
            ));
        }
        let requirement = if access {
            Requirement::Undetermined
        } else {
            Requirement::NotRequired
        };
        return PpcAssessment {
            requirement,
            triggers,
            notes,
            unauthorized_access: access,
        };
    };
    let persons = scope.persons.unwrap_or(0);
    let personal_found = persons > 0
        || scope.categories().iter().any(|c| c != "corporate_number")
        || [
            scope.my_number_found,
            scope.bank_account_found,
            scope.card_found,
            scope.special_care_found,
        ]
        .contains(&Some(true));
    // The data triggers (1, 2, 4) need a leak that may have happened: here, unauthorized access
    // (or the pii crate's own verdict). Personal data merely sitting in a healthy mailbox is not
    // a leak.
    let leak_possible = access || scope.ppc_report_required == Some(true);
    if !leak_possible {
        notes.push((
            "不正アクセスは検出されていません。誤送信・紛失など別の経路で漏えいした場合は、担当者が報告要否を判断してください。".into(),
            "No unauthorized access was detected. If data leaked another way (misdelivery, loss …), a person must assess it.".into(),
        ));
    }
    if leak_possible && scope.special_care_found == Some(true) {
        triggers.push(TriggerHit {
            trigger: Trigger::SpecialCare,
            ja: "要配慮個人情報が含まれる（1人でも報告対象）".into(),
            en: "special-care personal information is included (reportable even for one person)"
                .into(),
            to_confirm: false,
        });
    }
    if leak_possible && scope.card_found == Some(true) {
        triggers.push(TriggerHit {
            trigger: Trigger::Financial,
            ja: "クレジットカード番号が含まれる（財産的被害のおそれ）".into(),
            en: "credit card numbers are included (risk of financial damage)".into(),
            to_confirm: false,
        });
    } else if leak_possible && scope.bank_account_found == Some(true) {
        triggers.push(TriggerHit {
            trigger: Trigger::Financial,
            ja: "銀行口座番号が含まれる（不正利用による財産的被害のおそれの有無を担当者が確認）".into(),
            en: "bank account numbers are included (a person must confirm whether misuse could cause financial damage)"
                .into(),
            to_confirm: true,
        });
    }
    if access && personal_found {
        triggers.push(TriggerHit {
            trigger: Trigger::UnlawfulPurpose,
            ja: "第三者による不正アクセスで、個人データを含むメールボックスが閲覧可能な状態になった（不正の目的によるおそれ、1人でも報告対象）".into(),
            en: "a third party gained unauthorized access to a mailbox holding personal data (possible unlawful purpose; reportable even for one person)".into(),
            to_confirm: false,
        });
    }
    if leak_possible && persons > 1000 {
        triggers.push(TriggerHit {
            trigger: Trigger::OverThousand,
            ja: format!("本人の数が1,000人を超える（{persons}人）"),
            en: format!("more than 1,000 persons ({persons})"),
            to_confirm: false,
        });
    }
    for r in scope.ppc_reasons.iter().chain(&scope.ppc_notes) {
        notes.push((
            format!("漏えい範囲の判定: {}", r.ja),
            format!("Scope analysis: {}", r.en),
        ));
    }
    if scope.my_number_low_confidence > 0 {
        notes.push((
            format!(
                "検査桁は正しいが「マイナンバー」等の語が近くにない12桁の数字が {} 件あります（個人番号としては数えていません）。担当者が確認してください。",
                scope.my_number_low_confidence
            ),
            format!(
                "{} 12-digit numbers pass the My Number check digit without context words nearby (not counted as My Number); a person should check them.",
                scope.my_number_low_confidence
            ),
        ));
    }
    if scope.my_number_found == Some(true) {
        notes.push((
            "個人番号（マイナンバー）が含まれます。報告フォームの「マイナンバーの有無」は「有」とし、番号法上の報告要否も確認してください。".into(),
            "My Number is included: answer \"yes\" to the form's My Number question and check the My Number Act's own reporting duty.".into(),
        ));
    } else if scope.my_number_found == Some(false) {
        notes.push((
            "個人番号（マイナンバー）は検出されませんでした（検査できなかったファイルを除く）。報告フォームは「不明な場合は有」と扱うため、未検査ファイルの有無に注意してください。".into(),
            "No My Number was found (files that could not be inspected excepted). The form treats \"unknown\" as \"yes\", so mind the uninspected files.".into(),
        ));
    }
    let requirement = if !triggers.is_empty() || scope.ppc_report_required == Some(true) {
        Requirement::Required
    } else if access && scope.not_inspected_count > 0 {
        notes.push((
            format!(
                "不正アクセスがありましたが個人データは検出されていません。ただし {} 件のファイルを検査できなかったため、個人データの漏えいを否定できません。",
                scope.not_inspected_count
            ),
            format!(
                "Unauthorized access occurred but no personal data was found; {} files could not be inspected, so a leak cannot be ruled out.",
                scope.not_inspected_count
            ),
        ));
        Requirement::Undetermined
    } else {
        Requirement::NotRequired
    };
    PpcAssessment {
        requirement,
        triggers,
        notes,
        unauthorized_access: access,
    }
}

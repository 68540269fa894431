//! The PPC reporting assessment (個人情報保護法施行規則 第7条, JAPAN.md §5). Reporting is
//! mandatory when personal data leaked or may have leaked and any of: (1) 要配慮個人情報;
//! (2) data whose misuse can cause financial damage (card numbers; bank account numbers are
//! treated the same here, flagged for confirmation); (3) a possibly unlawful purpose such as
//! 不正アクセス (the caller sets `unauthorized_access`); (4) more than 1,000 persons. Files that
//! could not be inspected make every count a lower bound; that is stated as a note.

use super::{PpcReason, Scope};
use crate::category::Category;

fn reason(id: &str, ja: String, en: String) -> PpcReason {
    PpcReason {
        id: id.to_string(),
        ja,
        en,
    }
}

/// Fills `ppc_report_required`, `ppc_reasons`, `ppc_notes` and `searched.not_found`.
pub(super) fn assess(scope: &mut Scope, unauthorized_access: bool) {
    let n = scope.persons.count;
    let cat = |c: Category| scope.persons.by_category.get(&c).copied().unwrap_or(0);
    let mut reasons = Vec::new();
    if scope.special_care_found {
        reasons.push(reason(
            "special_care",
            format!("要配慮個人情報が含まれています（{}名）。1名でも報告対象です（施行規則第7条第1号）。", cat(Category::SpecialCare)),
            format!("Special-care personal information is included ({} persons); reportable even for one person (Enforcement Rules art. 7 (i)).", cat(Category::SpecialCare)),
        ));
    }
    if scope.card_found {
        reasons.push(reason(
            "financial_damage",
            format!("不正利用により財産的被害が生じるおそれのあるクレジットカード番号が含まれています（{}名）（第7条第2号）。", cat(Category::Card)),
            format!("Credit card numbers whose misuse can cause financial damage are included ({} persons) (art. 7 (ii)).", cat(Category::Card)),
        ));
    }
    if scope.bank_account_found {
        reasons.push(reason(
            "financial_damage_bank_account",
            format!("銀行口座番号が含まれています（{}名）。財産的被害のおそれ（第7条第2号）として扱います。暗証番号・ログイン情報の有無を確認してください。", cat(Category::BankAccount)),
            format!("Bank account numbers are included ({} persons); treated as possible financial damage (art. 7 (ii)). Confirm whether PINs or login credentials were included too.", cat(Category::BankAccount)),
        ));
    }
    let anything = n > 0 || !scope.not_inspected.is_empty();
    if unauthorized_access && anything {
        reasons.push(reason(
            "unauthorized_access",
            "不正アクセスにより漏えいしたおそれがあります。不正の目的によるおそれがある漏えいは1名でも報告対象です（第7条第3号）。確報は60日以内。".into(),
            "Data may have leaked through unauthorized access; a leak possibly for an unlawful purpose is reportable even for one person (art. 7 (iii)). Final report within 60 days.".into(),
        ));
    }
    if n > 1000 {
        reasons.push(reason(
            "over_1000_persons",
            format!("本人の数が1,000人を超えています（{n}名）（第7条第4号）。"),
            format!("More than 1,000 persons are affected ({n}) (art. 7 (iv))."),
        ));
    }
    let mut notes = Vec::new();
    if !scope.not_inspected.is_empty() {
        let k = scope.not_inspected.len();
        notes.push(reason(
            "not_inspected",
            format!("{k}件のファイルを確認できませんでした（暗号化・破損など）。人数と項目は下限値です。"),
            format!("{k} files could not be inspected (encrypted, damaged …); counts and items are lower bounds."),
        ));
    }
    if scope.my_number_found {
        notes.push(reason(
            "my_number",
            "個人番号（マイナンバー）が含まれています。報告様式の「特定個人情報」欄に該当します。".into(),
            "My Number is included: answer yes to the report form's specific-personal-information question.".into(),
        ));
    } else {
        notes.push(reason(
            "my_number_absent",
            format!("個人番号は検出されませんでした（文脈なしでチェックディジットのみ一致した12桁: {}件）。", scope.my_number_low_confidence),
            format!("No My Number was found (12-digit values passing only the check digit without context: {}).", scope.my_number_low_confidence),
        ));
    }
    scope.ppc_report_required = !reasons.is_empty();
    scope.ppc_reasons = reasons;
    scope.ppc_notes = notes;
    scope.searched.not_found = not_found(scope);
}

fn not_found(scope: &Scope) -> Vec<PpcReason> {
    let docs = scope.searched.documents_inspected;
    let msgs = scope.searched.messages;
    let mut v = Vec::new();
    let basis = |c: Category, how_ja: &str, how_en: &str| {
        reason(
            &format!("{c:?}").to_lowercase(),
            format!(
                "{}: {msgs}通の本文と{docs}件の文書を、{how_ja}で検索し、該当はありませんでした。",
                c.ja()
            ),
            format!(
                "{}: searched {msgs} message bodies and {docs} documents by {how_en}; none found.",
                c.en()
            ),
        )
    };
    if !scope.my_number_found {
        v.push(basis(Category::MyNumber, "12桁の数字＋チェックディジット（総務省令第85号）＋文脈語（個人番号・マイナンバー等）と表の列見出し", "12 digits + check digit (MIC ordinance 85) + context words and table headers"));
    }
    if !scope.card_found {
        v.push(basis(
            Category::Card,
            "13〜19桁のLuhn検査＋発行者番号範囲＋文脈語",
            "13–19 digits with Luhn, IIN ranges and context words",
        ));
    }
    if !scope.bank_account_found {
        v.push(basis(
            Category::BankAccount,
            "口座番号・普通・当座などの文脈語の直後の7〜8桁と表の列見出し",
            "7–8 digits right after bank context words, and table headers",
        ));
    }
    if !scope.special_care_found {
        v.push(basis(
            Category::SpecialCare,
            "病歴・既往歴・前科・信条などの語と本人の記録との結び付き",
            "health, criminal-record, creed … keywords tied to a person record",
        ));
    }
    v
}

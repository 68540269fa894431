//! Words for ids: report language, detection titles and their role in a takeover story, and
//! personal-data category labels.
//!
//! The act crate depends on `model` only, so it keeps its own short table of the built-in
//! detection ids (crates/detect `registry.rs`) and the pii category ids (crates/pii
//! `category.rs`). An id missing here is shown as itself, never dropped. The words must be the
//! source crates' own: `crates/app/tests/labels_contract.rs` (the one crate that sees detect,
//! pii and act) fails when a detection or category is missing here or worded differently.

use serde::{Deserialize, Serialize};

/// Report language.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// 日本語 (default: users read Japanese first).
    #[default]
    Ja,
    /// English.
    En,
}

impl Lang {
    /// Parses `ja` / `en` (also `jp`, `japanese`, `english`).
    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "ja" | "jp" | "ja-jp" | "japanese" => Some(Lang::Ja),
            "en" | "en-us" | "en-gb" | "english" => Some(Lang::En),
            _ => None,
        }
    }

    /// Picks the text in this language.
    pub fn pick<'a>(self, ja: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Ja => ja,
            Lang::En => en,
        }
    }

    /// The BCP 47 tag for `<html lang>`.
    pub fn tag(self) -> &'static str {
        self.pick("ja", "en")
    }
}

/// The part a detection plays in a takeover story.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Stage {
    /// Password guessing.
    Attempt,
    /// The attacker got in.
    Access,
    /// Reading mail or files.
    Collection,
    /// Rules, forwarding, permissions, consent, MFA, audit off.
    Persistence,
    /// Sending mail as the user.
    Send,
    /// Not a built-in detection (e.g. a Sigma rule).
    Other,
}

const DETECTIONS: &[(&str, &str, &str, Stage)] = &[
    (
        "new_country_sign_in",
        "新しい国・想定外の場所からのサインイン",
        "Sign-in from a new country or outside declared locations",
        Stage::Access,
    ),
    (
        "impossible_travel",
        "移動不可能な距離のサインイン",
        "Impossible travel",
        Stage::Access,
    ),
    (
        "legacy_auth_success",
        "レガシー認証（基本認証）でのサインイン成功",
        "Successful legacy (basic) authentication",
        Stage::Access,
    ),
    (
        "password_spray",
        "パスワードスプレー攻撃",
        "Password spray",
        Stage::Attempt,
    ),
    (
        "brute_force",
        "総当たり攻撃（1アカウントへの大量失敗）",
        "Brute force against one account",
        Stage::Attempt,
    ),
    (
        "failures_then_success",
        "連続失敗後のサインイン成功",
        "Password failures followed by success",
        Stage::Access,
    ),
    (
        "sign_in_after_password_reset",
        "パスワードリセット後の攻撃元からのサインイン試行",
        "Sign-in attempt after a password reset from the earlier suspicious source",
        Stage::Access,
    ),
    (
        "mailbox_access_new_source",
        "未知のIP・アプリからのメールボックス読み取り",
        "Mailbox read from a new IP or app",
        Stage::Collection,
    ),
    (
        "inbox_rule_suspicious",
        "不審な受信トレイルール",
        "Suspicious inbox rule",
        Stage::Persistence,
    ),
    (
        "inbox_rule_suspicious_name",
        "1文字・記号のみの名前の受信トレイルール",
        "Inbox rule named with one character or only symbols",
        Stage::Persistence,
    ),
    (
        "mailbox_forwarding",
        "メールボックスの転送設定",
        "Mailbox forwarding set",
        Stage::Persistence,
    ),
    (
        "transport_rule_redirect",
        "メールを複写・リダイレクトするトランスポートルール",
        "Transport rule copying or redirecting mail",
        Stage::Persistence,
    ),
    (
        "mailbox_permission_grant",
        "メールボックス・フォルダの権限付与",
        "Mailbox or folder permission granted",
        Stage::Persistence,
    ),
    (
        "outbound_send_burst",
        "普段と比べて大量の外部送信",
        "Outbound send burst above the user's baseline",
        Stage::Send,
    ),
    (
        "hidden_send",
        "送信済みアイテムに残らない送信（隠れた送信）",
        "Hidden send (no Sent Items copy)",
        Stage::Send,
    ),
    (
        "oauth_consent_mail_scopes",
        "メール権限を持つ見慣れないアプリへの同意",
        "Consent to an unfamiliar app with mail scopes",
        Stage::Persistence,
    ),
    (
        "mfa_change_after_risky_sign_in",
        "不審なサインイン直後のMFA・セキュリティ情報の変更",
        "MFA / security info changed after a risky sign-in",
        Stage::Persistence,
    ),
    (
        "sharepoint_mass_download",
        "未知のIPからのSharePoint/OneDrive大量ダウンロード",
        "SharePoint/OneDrive mass download from a new IP",
        Stage::Collection,
    ),
    (
        "audit_logging_disabled",
        "監査ログの無効化",
        "Audit logging disabled",
        Stage::Persistence,
    ),
];

/// The title of detection `id` in `lang` (the id itself when unknown).
pub fn detection_title(id: &str, lang: Lang) -> String {
    DETECTIONS
        .iter()
        .find(|d| d.0 == id)
        .map(|d| lang.pick(d.1, d.2).to_string())
        .unwrap_or_else(|| id.to_string())
}

/// The stage of detection `id`.
pub fn detection_stage(id: &str) -> Stage {
    DETECTIONS
        .iter()
        .find(|d| d.0 == id)
        .map(|d| d.3)
        .unwrap_or(Stage::Other)
}

const CATEGORIES: &[(&str, &str, &str)] = &[
    ("name", "氏名", "name"),
    ("name_kana", "フリガナ", "name reading (furigana)"),
    ("birth_date", "生年月日", "date of birth"),
    ("address", "住所", "address"),
    ("postal_code", "郵便番号", "postal code"),
    ("phone", "電話番号", "phone number"),
    ("email", "メールアドレス", "e-mail address"),
    (
        "my_number",
        "個人番号（マイナンバー）",
        "My Number (individual number)",
    ),
    ("bank_account", "銀行口座番号", "bank account number"),
    ("card", "クレジットカード番号", "credit card number"),
    ("head_of_household", "世帯主", "head of household"),
    ("relationship", "続柄", "relationship to head of household"),
    ("gender", "性別", "gender"),
    (
        "pension_number",
        "基礎年金番号・被保険者番号",
        "pension / insurance number",
    ),
    (
        "driver_licence",
        "運転免許証番号",
        "driver's licence number",
    ),
    ("passport", "旅券番号", "passport number"),
    ("residence_card", "在留カード番号", "residence card number"),
    (
        "special_care",
        "要配慮個人情報",
        "special-care personal information",
    ),
    ("corporate_number", "法人番号", "corporate number"),
];

/// The label of personal-data category `id` in `lang` (the id itself when unknown).
pub fn category_label(id: &str, lang: Lang) -> String {
    CATEGORIES
        .iter()
        .find(|c| c.0 == id)
        .map(|c| lang.pick(c.1, c.2).to_string())
        .unwrap_or_else(|| id.to_string())
}

const SPECIAL_CARE: &[(&str, &str, &str)] = &[
    (
        "health",
        "病歴・健康情報・障害",
        "medical history / health / disability",
    ),
    ("criminal_record", "犯罪の経歴", "criminal record"),
    ("crime_victim", "犯罪被害の事実", "crime victimisation"),
    ("creed", "信条", "creed / religion"),
    ("race", "人種", "race / ethnicity"),
    ("social_status", "社会的身分", "social status"),
];

/// The label of a 要配慮個人情報 sub-kind id (pii `SpecialCareKind`) in `lang`.
pub fn special_care_label(id: &str, lang: Lang) -> String {
    SPECIAL_CARE
        .iter()
        .find(|c| c.0 == id)
        .map(|c| lang.pick(c.1, c.2).to_string())
        .unwrap_or_else(|| id.to_string())
}

/// Sorts category ids in report order (name first, then identifiers, then the rest), unknown
/// ids last in name order.
pub fn sort_categories(ids: &mut [String]) {
    let rank = |id: &str| {
        CATEGORIES
            .iter()
            .position(|c| c.0 == id)
            .unwrap_or(usize::MAX)
    };
    ids.sort_by(|a, b| rank(a).cmp(&rank(b)).then(a.cmp(b)));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_ids_fall_back_to_the_id() {
        assert_eq!(detection_title("sigma_x", Lang::Ja), "sigma_x");
        assert_eq!(detection_stage("sigma_x"), Stage::Other);
        assert_eq!(
            category_label("my_number", Lang::En),
            "My Number (individual number)"
        );
        assert_eq!(category_label("zzz", Lang::Ja), "zzz");
        assert_eq!(Lang::parse("EN"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }
}

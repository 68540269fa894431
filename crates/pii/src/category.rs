//! The kinds of personal data mimamori recognises (JAPAN.md §3), with their Japanese and
//! English labels for reports, and the 要配慮個人情報 sub-categories.

use serde::{Deserialize, Serialize};

/// One kind of personal (or related) data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// 氏名 (a person's name).
    Name,
    /// フリガナ (reading of a name).
    NameKana,
    /// 生年月日.
    BirthDate,
    /// 住所 (prefecture + municipality …).
    Address,
    /// 郵便番号.
    PostalCode,
    /// 電話番号 (personal: fixed, mobile, IP phone).
    Phone,
    /// メールアドレス.
    Email,
    /// 個人番号 (My Number).
    MyNumber,
    /// 口座番号 (with bank/branch context).
    BankAccount,
    /// クレジットカード番号.
    Card,
    /// 世帯主.
    HeadOfHousehold,
    /// 続柄.
    Relationship,
    /// 性別.
    Gender,
    /// 基礎年金番号 / 被保険者番号.
    PensionNumber,
    /// 運転免許証番号.
    DriverLicence,
    /// 旅券番号.
    Passport,
    /// 在留カード番号.
    ResidenceCard,
    /// 要配慮個人情報 (health, criminal record, creed …).
    SpecialCare,
    /// 法人番号 — public data, tagged but never counted as personal.
    CorporateNumber,
}

impl Category {
    /// Every category, in declaration order.
    pub const ALL: [Category; 19] = [
        Category::Name,
        Category::NameKana,
        Category::BirthDate,
        Category::Address,
        Category::PostalCode,
        Category::Phone,
        Category::Email,
        Category::MyNumber,
        Category::BankAccount,
        Category::Card,
        Category::HeadOfHousehold,
        Category::Relationship,
        Category::Gender,
        Category::PensionNumber,
        Category::DriverLicence,
        Category::Passport,
        Category::ResidenceCard,
        Category::SpecialCare,
        Category::CorporateNumber,
    ];

    /// The personal categories the recognizers search for, in declaration order: every one but
    /// the public corporate number.
    pub const SEARCHED: [Category; 18] = {
        let mut out = [Category::Name; 18];
        let (mut i, mut k) = (0, 0);
        while i < Self::ALL.len() {
            if !matches!(Self::ALL[i], Category::CorporateNumber) {
                out[k] = Self::ALL[i];
                k += 1;
            }
            i += 1;
        }
        out
    };

    /// Japanese label.
    pub fn ja(self) -> &'static str {
        match self {
            Self::Name => "氏名",
            Self::NameKana => "フリガナ",
            Self::BirthDate => "生年月日",
            Self::Address => "住所",
            Self::PostalCode => "郵便番号",
            Self::Phone => "電話番号",
            Self::Email => "メールアドレス",
            Self::MyNumber => "個人番号（マイナンバー）",
            Self::BankAccount => "銀行口座番号",
            Self::Card => "クレジットカード番号",
            Self::HeadOfHousehold => "世帯主",
            Self::Relationship => "続柄",
            Self::Gender => "性別",
            Self::PensionNumber => "基礎年金番号・被保険者番号",
            Self::DriverLicence => "運転免許証番号",
            Self::Passport => "旅券番号",
            Self::ResidenceCard => "在留カード番号",
            Self::SpecialCare => "要配慮個人情報",
            Self::CorporateNumber => "法人番号",
        }
    }

    /// English label.
    pub fn en(self) -> &'static str {
        match self {
            Self::Name => "name",
            Self::NameKana => "name reading (furigana)",
            Self::BirthDate => "date of birth",
            Self::Address => "address",
            Self::PostalCode => "postal code",
            Self::Phone => "phone number",
            Self::Email => "e-mail address",
            Self::MyNumber => "My Number (individual number)",
            Self::BankAccount => "bank account number",
            Self::Card => "credit card number",
            Self::HeadOfHousehold => "head of household",
            Self::Relationship => "relationship to head of household",
            Self::Gender => "gender",
            Self::PensionNumber => "pension / insurance number",
            Self::DriverLicence => "driver's licence number",
            Self::Passport => "passport number",
            Self::ResidenceCard => "residence card number",
            Self::SpecialCare => "special-care personal information",
            Self::CorporateNumber => "corporate number",
        }
    }

    /// Whether a hit of this kind is an attribute of a private person (counted in records).
    pub fn is_personal(self) -> bool {
        !matches!(self, Self::CorporateNumber)
    }

    /// Identifiers strong enough to make a personal record on their own, without a name.
    pub fn is_strong_identifier(self) -> bool {
        matches!(
            self,
            Self::MyNumber
                | Self::BankAccount
                | Self::Card
                | Self::PensionNumber
                | Self::DriverLicence
                | Self::Passport
                | Self::ResidenceCard
        )
    }

    /// Data whose misuse can cause financial damage (PPC report trigger 2).
    pub fn is_financial(self) -> bool {
        matches!(self, Self::BankAccount | Self::Card)
    }
}

/// 要配慮個人情報 sub-categories (個人情報保護法 第2条第3項, 施行令 第2条).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SpecialCareKind {
    /// 病歴・健康診断結果・障害.
    Health,
    /// 犯罪の経歴・前科.
    CriminalRecord,
    /// 犯罪被害.
    CrimeVictim,
    /// 信条・宗教.
    Creed,
    /// 人種・民族.
    Race,
    /// 社会的身分.
    SocialStatus,
}

impl SpecialCareKind {
    /// Japanese label.
    pub fn ja(self) -> &'static str {
        match self {
            Self::Health => "病歴・健康情報・障害",
            Self::CriminalRecord => "犯罪の経歴",
            Self::CrimeVictim => "犯罪被害の事実",
            Self::Creed => "信条",
            Self::Race => "人種",
            Self::SocialStatus => "社会的身分",
        }
    }
    /// English label.
    pub fn en(self) -> &'static str {
        match self {
            Self::Health => "medical history / health / disability",
            Self::CriminalRecord => "criminal record",
            Self::CrimeVictim => "crime victimisation",
            Self::Creed => "creed / religion",
            Self::Race => "race / ethnicity",
            Self::SocialStatus => "social status",
        }
    }
}

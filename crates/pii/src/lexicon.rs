//! Word lists the recognizers rely on, written for this project: the 47 prefectures (JIS X 0401
//! order), ~150 common Japanese surnames (used to mask names and to spot names followed by an
//! honorific), positive and negative context words (JAPAN.md §3, Purview keyword lists plus
//! the project's own negatives), 要配慮 keywords, and table-header synonyms in Japanese and
//! English. All matching happens after NFKC, so full-width forms need no entries.

use crate::category::SpecialCareKind;

/// The 47 prefectures (JIS X 0401 order).
pub const PREFECTURES: [&str; 47] = [
    "北海道",
    "青森県",
    "岩手県",
    "宮城県",
    "秋田県",
    "山形県",
    "福島県",
    "茨城県",
    "栃木県",
    "群馬県",
    "埼玉県",
    "千葉県",
    "東京都",
    "神奈川県",
    "新潟県",
    "富山県",
    "石川県",
    "福井県",
    "山梨県",
    "長野県",
    "岐阜県",
    "静岡県",
    "愛知県",
    "三重県",
    "滋賀県",
    "京都府",
    "大阪府",
    "兵庫県",
    "奈良県",
    "和歌山県",
    "鳥取県",
    "島根県",
    "岡山県",
    "広島県",
    "山口県",
    "徳島県",
    "香川県",
    "愛媛県",
    "高知県",
    "福岡県",
    "佐賀県",
    "長崎県",
    "熊本県",
    "大分県",
    "宮崎県",
    "鹿児島県",
    "沖縄県",
];

/// 168 common surnames (kanji), the project's own compact list; enough to mask names as
/// `山田 **` and to accept `<surname><given>様` greetings. Not a name dictionary: recognition
/// is driven by labels and table headers.
pub const SURNAMES: &[&str] = &[
    "佐藤",
    "鈴木",
    "高橋",
    "田中",
    "伊藤",
    "渡辺",
    "山本",
    "中村",
    "小林",
    "加藤",
    "吉田",
    "山田",
    "佐々木",
    "山口",
    "松本",
    "井上",
    "木村",
    "林",
    "斎藤",
    "清水",
    "山崎",
    "森",
    "池田",
    "橋本",
    "阿部",
    "石川",
    "山下",
    "中島",
    "石井",
    "小川",
    "前田",
    "岡田",
    "長谷川",
    "藤田",
    "後藤",
    "近藤",
    "村上",
    "遠藤",
    "青木",
    "坂本",
    "斉藤",
    "福田",
    "太田",
    "西村",
    "藤井",
    "金子",
    "岡本",
    "藤原",
    "中野",
    "三浦",
    "原田",
    "中川",
    "松田",
    "竹内",
    "小野",
    "田村",
    "中山",
    "和田",
    "石田",
    "森田",
    "上田",
    "原",
    "内田",
    "柴田",
    "酒井",
    "宮崎",
    "横山",
    "高木",
    "安藤",
    "宮本",
    "大野",
    "小島",
    "谷口",
    "今井",
    "工藤",
    "高田",
    "増田",
    "丸山",
    "杉山",
    "村田",
    "大塚",
    "新井",
    "小山",
    "平野",
    "藤本",
    "河野",
    "上野",
    "野口",
    "武田",
    "松井",
    "千葉",
    "岩崎",
    "菅原",
    "木下",
    "久保",
    "佐野",
    "野村",
    "松尾",
    "市川",
    "菊地",
    "杉本",
    "古川",
    "大西",
    "島田",
    "水野",
    "桜井",
    "高野",
    "渡部",
    "吉川",
    "山内",
    "西田",
    "飯田",
    "菊池",
    "西川",
    "小松",
    "北村",
    "安田",
    "五十嵐",
    "川口",
    "平田",
    "関",
    "中田",
    "久保田",
    "服部",
    "東",
    "岩田",
    "土屋",
    "川崎",
    "福島",
    "本田",
    "辻",
    "樋口",
    "秋山",
    "田口",
    "永井",
    "山中",
    "中西",
    "吉村",
    "川上",
    "石原",
    "大橋",
    "松岡",
    "馬場",
    "浜田",
    "森本",
    "星野",
    "矢野",
    "浅野",
    "大久保",
    "松下",
    "吉井",
    "野田",
    "荒木",
    "大谷",
    "内藤",
    "松浦",
    "熊谷",
    "黒田",
    "尾崎",
    "永田",
    "川村",
    "望月",
    "田辺",
    "松村",
    "荒井",
    "堀",
    "大石",
    "大川",
];

/// Label words that introduce a person's name (JAPAN.md §3 "Person name").
pub const NAME_LABELS: &[&str] = &[
    "氏名",
    "お名前",
    "名前",
    "姓名",
    "本人氏名",
    "配偶者氏名",
    "配偶者",
    "扶養親族氏名",
    "扶養親族",
    "従業員名",
    "社員名",
    "受講者",
    "申請者",
    "name",
    "full name",
    "employee name",
];

/// Label words for the head of household (世帯主).
pub const HEAD_LABELS: &[&str] = &["世帯主の氏名", "世帯主氏名", "世帯主", "head of household"];

/// Relationship values accepted after 続柄.
pub const RELATIONSHIPS: &[&str] = &[
    "本人",
    "世帯主",
    "妻",
    "夫",
    "子",
    "長男",
    "長女",
    "次男",
    "次女",
    "三男",
    "三女",
    "父",
    "母",
    "義父",
    "義母",
    "祖父",
    "祖母",
    "孫",
    "兄",
    "弟",
    "姉",
    "妹",
    "同居人",
];

/// Positive context for My Number (Purview list).
pub const MY_NUMBER_CONTEXT: &[&str] = &[
    "マイナンバー",
    "個人番号",
    "共通番号",
    "個人識別番号",
    "個人識別ナンバー",
    "通知カード",
    "my number",
    "mynumber",
    "individual number",
];

/// Positive context for bank accounts (Purview list plus project words).
pub const BANK_CONTEXT: &[&str] = &[
    "口座番号",
    "銀行口座",
    "総合口座",
    "普通預金",
    "当座預金",
    "預金口座",
    "振替口座",
    "普通",
    "当座",
    "口座名義",
    "振込先",
    "口座",
    "account no",
    "account number",
    "bank account",
];

/// Branch-code words (raise bank-account confidence).
pub const BRANCH_CONTEXT: &[&str] = &["支店番号", "支店コード", "店番号", "店番", "支店", "branch"];

/// Positive context for cards.
pub const CARD_CONTEXT: &[&str] = &[
    "カード番号",
    "クレジットカード",
    "クレジット",
    "有効期限",
    "セキュリティコード",
    "cvv",
    "card number",
    "credit card",
    "card no",
];

/// Positive context for phones.
pub const PHONE_CONTEXT: &[&str] = &[
    "電話",
    "tel",
    "携帯",
    "連絡先",
    "緊急連絡先",
    "自宅",
    "phone",
    "mobile",
];

/// Business phone markers: a phone next to these is not a private person's.
pub const BUSINESS_PHONE_CONTEXT: &[&str] = &["fax", "内線", "代表", "ファックス"];

/// Negative context: numeric matches next to these are business identifiers (own proposal,
/// JAPAN.md §3 "Negative context").
pub const NEGATIVE_NUMBER_CONTEXT: &[&str] = &[
    "注文番号",
    "伝票番号",
    "請求書番号",
    "請求番号",
    "見積番号",
    "問い合わせ番号",
    "お問合せ番号",
    "管理番号",
    "製品番号",
    "型番",
    "品番",
    "ロット",
    "受付番号",
    "発注番号",
    "納品書番号",
    "部品番号",
    "シリアル",
    "order no",
    "order number",
    "invoice no",
    "invoice number",
    "part no",
    "part number",
    "serial",
    "sku",
    "lot",
];

/// Birth-date context.
pub const BIRTH_CONTEXT: &[&str] = &[
    "生年月日",
    "誕生日",
    "生まれ",
    "出生",
    "date of birth",
    "birth date",
    "birthday",
    "dob",
    "born",
];

/// Address context.
pub const ADDRESS_CONTEXT: &[&str] = &["住所", "現住所", "本籍", "居所", "自宅", "address"];

/// Postal-code context (〒 is handled by the pattern itself).
pub const POSTAL_CONTEXT: &[&str] = &["郵便番号", "住所", "postal", "zip"];

/// Pension / insurance number context.
pub const PENSION_CONTEXT: &[&str] = &[
    "基礎年金番号",
    "年金番号",
    "健康保険被保険者番号",
    "被保険者番号",
    "健保番号",
    "雇用保険被保険者番号",
    "雇用保険番号",
    "保険証番号",
    "pension number",
];

/// Driver's licence context.
pub const LICENCE_CONTEXT: &[&str] =
    &["運転免許証", "免許証番号", "免許番号", "運転免許", "driver"];

/// Passport context.
pub const PASSPORT_CONTEXT: &[&str] = &["パスポート", "旅券", "passport"];

/// Residence card context.
pub const RESIDENCE_CONTEXT: &[&str] = &["在留カード", "在留番号", "residence card"];

/// Organisation markers: a name next to these is likely a business contact (signature).
pub const ORG_MARKERS: &[&str] = &[
    "株式会社",
    "有限会社",
    "合同会社",
    "(株)",
    "㈱",
    "co.,ltd",
    "co., ltd",
    "inc.",
    "corporation",
    "事業部",
    "営業部",
    "総務部",
    "本社",
    "支社",
    "担当",
];

/// Markers of private (not business) data: any of these in a record keeps it personal.
pub const PRIVATE_MARKERS: &[&str] = &[
    "自宅",
    "現住所",
    "扶養",
    "世帯主",
    "続柄",
    "生年月日",
    "個人番号",
];

/// Personal mobile-carrier mail domains (JAPAN.md §3 "E-mail").
pub const PERSONAL_MAIL_DOMAINS: &[&str] = &[
    "docomo.ne.jp",
    "ezweb.ne.jp",
    "au.com",
    "softbank.ne.jp",
    "i.softbank.jp",
    "ymobile.ne.jp",
    "gmail.com",
    "yahoo.co.jp",
    "icloud.com",
    "outlook.jp",
    "hotmail.co.jp",
];

/// 要配慮 keywords with their sub-category.
pub const SPECIAL_CARE_WORDS: &[(&str, SpecialCareKind)] = &[
    ("病歴", SpecialCareKind::Health),
    ("既往歴", SpecialCareKind::Health),
    ("診断名", SpecialCareKind::Health),
    ("病名", SpecialCareKind::Health),
    ("診断書", SpecialCareKind::Health),
    ("健康診断結果", SpecialCareKind::Health),
    ("健診結果", SpecialCareKind::Health),
    ("通院歴", SpecialCareKind::Health),
    ("入院歴", SpecialCareKind::Health),
    ("障害者手帳", SpecialCareKind::Health),
    ("障害等級", SpecialCareKind::Health),
    ("服薬", SpecialCareKind::Health),
    ("medical history", SpecialCareKind::Health),
    ("diagnosis", SpecialCareKind::Health),
    ("前科", SpecialCareKind::CriminalRecord),
    ("犯罪歴", SpecialCareKind::CriminalRecord),
    ("犯歴", SpecialCareKind::CriminalRecord),
    ("逮捕歴", SpecialCareKind::CriminalRecord),
    ("criminal record", SpecialCareKind::CriminalRecord),
    ("犯罪被害", SpecialCareKind::CrimeVictim),
    ("信条", SpecialCareKind::Creed),
    ("信仰", SpecialCareKind::Creed),
    ("宗教", SpecialCareKind::Creed),
    ("religion", SpecialCareKind::Creed),
    ("人種", SpecialCareKind::Race),
    ("民族", SpecialCareKind::Race),
    ("社会的身分", SpecialCareKind::SocialStatus),
];

/// Values in a 要配慮 column meaning "nothing to declare".
pub const NONE_VALUES: &[&str] = &[
    "なし",
    "無",
    "無し",
    "特になし",
    "-",
    "none",
    "n/a",
    "na",
    "0",
];

/// Whether `text` (NFKC, lower-cased by the caller) contains any of `words`.
pub fn contains_any(text: &str, words: &[&str]) -> bool {
    words.iter().any(|w| text.contains(w))
}

/// The surname `name` starts with, if it is in the list (longest match).
pub fn leading_surname(name: &str) -> Option<&'static str> {
    SURNAMES
        .iter()
        .filter(|s| name.starts_with(**s))
        .max_by_key(|s| s.len())
        .copied()
}

//! Well-known Outlook folder names in Japanese and English (JAPAN.md §6).
//!
//! Exports name folders in the mailbox's language: a Japanese mailbox has `送信済みアイテム`
//! where an English one has `Sent Items`. Sent Items reconciliation and the readers both
//! need to recognise either, so the table lives here once.

/// A well-known mailbox folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WellKnownFolder {
    /// 受信トレイ / Inbox.
    Inbox,
    /// 送信済みアイテム / Sent Items.
    SentItems,
    /// 削除済みアイテム / Deleted Items.
    DeletedItems,
    /// 迷惑メール / Junk Email.
    JunkEmail,
    /// 下書き / Drafts.
    Drafts,
    /// 送信トレイ / Outbox.
    Outbox,
    /// アーカイブ / Archive.
    Archive,
    /// RSS フィード / RSS Feeds.
    RssFeeds,
    /// 会話の履歴 / Conversation History.
    ConversationHistory,
    /// 同期の失敗 / Sync Issues.
    SyncIssues,
}

/// (folder, names) — compared after lower-casing and removing spaces (so `RSS フィード`,
/// `RSSフィード` and `rss feeds` all match).
const NAMES: &[(WellKnownFolder, &[&str])] = &[
    (WellKnownFolder::Inbox, &["受信トレイ", "inbox", "受信箱"]),
    (
        WellKnownFolder::SentItems,
        &[
            "送信済みアイテム",
            "送信済み",
            "送信済みメール",
            "sentitems",
            "sent",
            "sentmail",
            "sentmessages",
            "送信済みトレイ",
        ],
    ),
    (
        WellKnownFolder::DeletedItems,
        &[
            "削除済みアイテム",
            "deleteditems",
            "trash",
            "ごみ箱",
            "deletedmessages",
        ],
    ),
    (
        WellKnownFolder::JunkEmail,
        &[
            "迷惑メール",
            "junkemail",
            "junk",
            "spam",
            "迷惑メールフォルダ",
        ],
    ),
    (WellKnownFolder::Drafts, &["下書き", "drafts"]),
    (WellKnownFolder::Outbox, &["送信トレイ", "outbox"]),
    (WellKnownFolder::Archive, &["アーカイブ", "archive"]),
    (
        WellKnownFolder::RssFeeds,
        &["rssフィード", "rssfeeds", "rssサブスクリプション"],
    ),
    (
        WellKnownFolder::ConversationHistory,
        &["会話の履歴", "conversationhistory"],
    ),
    (WellKnownFolder::SyncIssues, &["同期の失敗", "syncissues"]),
];

/// Recognises one folder name (a single path component).
pub fn well_known_folder(name: &str) -> Option<WellKnownFolder> {
    let key: String = name
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    NAMES
        .iter()
        .find(|(_, names)| names.contains(&key.as_str()))
        .map(|(f, _)| *f)
}

/// True when any component of a folder path (`/` or `\` separated) is a Sent Items folder.
/// Both `送信済みアイテム` and `Top of Information Store/Sent Items` match.
pub fn is_sent_items_path(path: &str) -> bool {
    path.split(['/', '\\'])
        .any(|c| well_known_folder(c) == Some(WellKnownFolder::SentItems))
}

/// True when any component of the path is a well-known folder: the export carries real
/// folder information rather than one file name for the whole mailbox.
pub fn has_well_known_component(path: &str) -> bool {
    path.split(['/', '\\'])
        .any(|c| well_known_folder(c).is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn japanese_and_english_names_are_recognised() {
        assert_eq!(
            well_known_folder("送信済みアイテム"),
            Some(WellKnownFolder::SentItems)
        );
        assert_eq!(
            well_known_folder("Sent Items"),
            Some(WellKnownFolder::SentItems)
        );
        assert_eq!(
            well_known_folder("受信トレイ"),
            Some(WellKnownFolder::Inbox)
        );
        assert_eq!(
            well_known_folder("RSS フィード"),
            Some(WellKnownFolder::RssFeeds)
        );
        assert_eq!(
            well_known_folder("会話の履歴"),
            Some(WellKnownFolder::ConversationHistory)
        );
        assert_eq!(well_known_folder("Projects"), None);
        assert!(is_sent_items_path(
            "Top of Information Store/送信済みアイテム"
        ));
        assert!(!is_sent_items_path("受信トレイ/送信済み案件"));
    }
}

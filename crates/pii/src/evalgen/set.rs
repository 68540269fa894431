//! The evaluation set's types: generated messages and attachments, the ground truth, and the
//! normalisation that compares truth with findings; and feeding a message to a scope run.

use crate::category::Category;
use crate::extract::NotInspectedReason;
use crate::normalize::{digits_only, name_key};
use chrono::{DateTime, Utc};

/// One generated attachment.
#[derive(Debug, Clone)]
pub struct EvalFile {
    /// File name.
    pub name: String,
    /// MIME type.
    pub content_type: &'static str,
    /// Bytes.
    pub bytes: Vec<u8>,
}

/// One generated message.
#[derive(Debug, Clone)]
pub struct EvalMessage {
    /// Message-ID.
    pub message_id: String,
    /// Folder.
    pub folder: String,
    /// Date.
    pub date: DateTime<Utc>,
    /// From.
    pub from: String,
    /// To.
    pub to: Vec<String>,
    /// Cc.
    pub cc: Vec<String>,
    /// Plain body.
    pub body: String,
    /// Attachments.
    pub attachments: Vec<EvalFile>,
}

impl EvalMessage {
    /// Feeds this message to a scope run, under `message_id` when given (a benchmark repeating
    /// the set gives each copy its own id) or its own.
    pub fn add_to(&self, b: &mut crate::ScopeBuilder, message_id: Option<&str>) {
        let attachments = self
            .attachments
            .iter()
            .map(|a| crate::Attachment {
                file_name: &a.name,
                content_type: Some(a.content_type),
                bytes: &a.bytes,
            })
            .collect();
        b.add_message(&crate::MessageInput {
            message_id: Some(message_id.unwrap_or(&self.message_id)),
            folder: Some(&self.folder),
            date: Some(self.date),
            from: Some(&self.from),
            to: &self.to,
            cc: &self.cc,
            body_text: Some(&self.body),
            body_html: None,
            attachments,
        });
    }
}

/// One true value: in which file (attachment name or `body:<message-id>`), what, which value.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Truth {
    /// File name.
    pub file: String,
    /// The person (name as written in that file, normalised by [`truth_key`]).
    pub person: String,
    /// Category.
    pub category: Category,
    /// Value normalised by [`truth_key`].
    pub value: String,
}

/// The generated set.
#[derive(Debug, Clone)]
pub struct EvalSet {
    /// Messages with attachments.
    pub messages: Vec<EvalMessage>,
    /// Distinct persons in the set.
    pub expected_persons: u64,
    /// Every true personal value.
    pub truth: Vec<Truth>,
    /// Files expected as not inspected, with their reason.
    pub expected_not_inspected: Vec<(String, NotInspectedReason)>,
}

/// Normalises a value for comparison between truth and findings.
pub fn truth_key(category: Category, value: &str) -> String {
    match category {
        Category::Name | Category::HeadOfHousehold | Category::NameKana | Category::Address => {
            name_key(value)
        }
        Category::Phone
        | Category::MyNumber
        | Category::BankAccount
        | Category::Card
        | Category::PostalCode => digits_only(value),
        Category::SpecialCare => value
            .rsplit(": ")
            .next()
            .unwrap_or(value)
            .trim()
            .to_lowercase(),
        _ => value.trim().to_lowercase(),
    }
}

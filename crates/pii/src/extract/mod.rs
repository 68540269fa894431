//! Attachment → text. One entry point, [`extract`], takes (file name, content type, bytes) and
//! returns the text blocks and table grids found, or the reasons a file could not be inspected.
//! The format is decided by magic bytes first (a renamed file is still read as what it is), then
//! by extension. Encrypted containers (the PPAP habit: password zip, password-protected Office),
//! corrupt files and unsupported formats are reported as *not inspected* with a reason in ja/en
//! — never counted as clean.

mod archive;
mod member;
mod office;
mod pdf;
mod pdf_fast;
mod pdf_parse;
mod sheet;
mod text;
mod xlsx;

pub(crate) use text::html_to_text;

use serde::{Deserialize, Serialize};
use std::time::Duration;

/// A block of extracted content.
#[derive(Debug, Clone)]
pub enum Block {
    /// Running text (paragraphs joined by newlines).
    Text(String),
    /// A cell grid (spreadsheet sheet, CSV, docx table) for table mode.
    Table(Table),
}

/// A cell grid with a label (sheet name, `table 2` …).
#[derive(Debug, Clone, Default)]
pub struct Table {
    /// Sheet or table label.
    pub label: String,
    /// Rows of cell text.
    pub rows: Vec<Vec<String>>,
}

/// The content of one inspected file (an archive member has a `outer.zip!/inner` path).
#[derive(Debug, Clone)]
pub struct ExtractedDoc {
    /// Path or name of the file, nested members joined with `!/`.
    pub path: String,
    /// Blocks in document order.
    pub blocks: Vec<Block>,
}

/// Why a file could not be inspected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotInspectedReason {
    /// A zip member is encrypted (password zip, PPAP).
    EncryptedZip,
    /// A password-protected Office file (OOXML EncryptedPackage or an xls/ods password).
    EncryptedOffice,
    /// An encrypted PDF that could not be opened.
    EncryptedPdf,
    /// The file is damaged or not what its name says.
    Corrupt,
    /// A member or the whole archive is larger than the limits.
    TooLarge,
    /// Compression ratio above the limit (zip bomb).
    CompressionBomb,
    /// Archives nested deeper than the limit.
    NestingTooDeep,
    /// Extraction took longer than the time limit.
    Timeout,
    /// A format with no text extractor (images, legacy .doc/.ppt, executables …).
    UnsupportedFormat,
}

impl NotInspectedReason {
    /// Japanese explanation.
    pub fn ja(self) -> &'static str {
        match self {
            Self::EncryptedZip => "パスワード付きZIPのため中身を確認できません（PPAP）",
            Self::EncryptedOffice => "パスワード保護されたOfficeファイルのため確認できません",
            Self::EncryptedPdf => "暗号化されたPDFのため確認できません",
            Self::Corrupt => "ファイルが破損しているか形式が不正です",
            Self::TooLarge => "サイズ上限を超えるため確認していません",
            Self::CompressionBomb => "圧縮率が異常（ZIP爆弾の疑い）のため展開していません",
            Self::NestingTooDeep => "アーカイブの入れ子が深すぎるため確認していません",
            Self::Timeout => "処理時間の上限を超えました",
            Self::UnsupportedFormat => "テキスト抽出に対応していない形式です（画像など）",
        }
    }

    /// English explanation.
    pub fn en(self) -> &'static str {
        match self {
            Self::EncryptedZip => "password-protected zip: contents cannot be inspected (PPAP)",
            Self::EncryptedOffice => "password-protected Office file: cannot be inspected",
            Self::EncryptedPdf => "encrypted PDF: cannot be inspected",
            Self::Corrupt => "file is damaged or not in the format its name says",
            Self::TooLarge => "over the size limit: not inspected",
            Self::CompressionBomb => "abnormal compression ratio (zip bomb?): not expanded",
            Self::NestingTooDeep => "archives nested too deeply: not inspected",
            Self::Timeout => "extraction exceeded the time limit",
            Self::UnsupportedFormat => "no text extractor for this format (image etc.)",
        }
    }
}

/// A file that could not be inspected, with its reason and a technical detail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotInspected {
    /// Path or name (nested members joined with `!/`).
    pub path: String,
    /// Reason code.
    pub reason: NotInspectedReason,
    /// Technical detail (error text from the parser, sizes …).
    pub detail: String,
    /// The reason in Japanese.
    pub message_ja: String,
    /// The reason in English.
    pub message_en: String,
}

impl NotInspected {
    pub(crate) fn new(path: &str, reason: NotInspectedReason, detail: impl Into<String>) -> Self {
        let detail = detail.into();
        tracing::info!(path, ?reason, %detail, "file not inspected");
        NotInspected {
            path: path.to_string(),
            reason,
            detail,
            message_ja: reason.ja().to_string(),
            message_en: reason.en().to_string(),
        }
    }
}

/// Limits against decompression bombs and runaway parsers.
#[derive(Debug, Clone)]
pub struct ExtractLimits {
    /// Deepest archive nesting followed (the attachment itself is depth 0).
    pub max_depth: u32,
    /// Largest single (uncompressed) member, bytes.
    pub max_member_bytes: u64,
    /// Largest total uncompressed bytes taken from one attachment.
    pub max_total_bytes: u64,
    /// Largest uncompressed/compressed ratio accepted for a member.
    pub max_ratio: u64,
    /// Time limit for one PDF.
    pub pdf_timeout: Duration,
    /// Most members read from one archive.
    pub max_members: usize,
}

impl Default for ExtractLimits {
    fn default() -> Self {
        ExtractLimits {
            max_depth: 3,
            max_member_bytes: 64 << 20,
            max_total_bytes: 256 << 20,
            max_ratio: 200,
            pdf_timeout: Duration::from_secs(20),
            max_members: 10_000,
        }
    }
}

/// Everything extracted from one attachment: inspected documents and files not inspected.
#[derive(Debug, Clone, Default)]
pub struct Extraction {
    /// Inspected documents (an archive yields one per member).
    pub docs: Vec<ExtractedDoc>,
    /// Files that could not be inspected, with reasons.
    pub not_inspected: Vec<NotInspected>,
}

/// Extracts text and tables from one attachment.
pub fn extract(
    file_name: &str,
    content_type: Option<&str>,
    bytes: &[u8],
    limits: &ExtractLimits,
) -> Extraction {
    let mut out = Extraction::default();
    let mut budget = limits.max_total_bytes;
    extract_into(
        file_name,
        content_type,
        bytes,
        limits,
        0,
        &mut budget,
        &mut out,
    );
    out
}

/// Recursive worker: `depth` is the archive nesting, `budget` the bytes still allowed.
pub(crate) fn extract_into(
    path: &str,
    content_type: Option<&str>,
    bytes: &[u8],
    limits: &ExtractLimits,
    depth: u32,
    budget: &mut u64,
    out: &mut Extraction,
) {
    let ext = path
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let ct = content_type.unwrap_or("").to_ascii_lowercase();
    let result = if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
        archive::extract_zip_container(path, bytes, limits, depth, budget, out);
        return;
    } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        sheet::extract_cfb(path, &ext, bytes)
    } else if bytes.starts_with(b"%PDF") || ext == "pdf" {
        pdf::extract_pdf(path, bytes, limits)
    } else if matches!(ext.as_str(), "html" | "htm") || ct.contains("html") {
        Ok(vec![Block::Text(text::html_to_text(&text::decode_text(
            bytes,
        )))])
    } else if matches!(ext.as_str(), "csv" | "tsv") || ct.contains("csv") {
        Ok(vec![Block::Table(text::parse_csv(
            path,
            bytes,
            ext == "tsv",
        ))])
    } else if matches!(ext.as_str(), "txt" | "text" | "log" | "md" | "eml")
        || ct.starts_with("text/")
        || text::looks_like_text(bytes)
    {
        Ok(vec![Block::Text(text::decode_text(bytes))])
    } else {
        Err(NotInspected::new(
            path,
            NotInspectedReason::UnsupportedFormat,
            format!("extension `{ext}`, content type `{ct}`"),
        ))
    };
    match result {
        Ok(blocks) => out.docs.push(ExtractedDoc {
            path: path.to_string(),
            blocks,
        }),
        Err(ni) => out.not_inspected.push(ni),
    }
}

#[cfg(test)]
mod tests;

//! Japanese personal-data discovery for leak scoping (issue 5).
//!
//! Given mail messages and their attachments, this crate extracts text (xlsx/xls/ods, docx,
//! pptx, PDF, CSV/TXT in UTF-8/CP932/EUC-JP, HTML, nested zip), recognises Japanese personal
//! data with the exact validators of JAPAN.md §4 and context words, groups hits into persons,
//! de-duplicates persons across files with keyed hashes, and aggregates everything into a
//! [`Scope`] (scope.json) with the PPC reporting assessment (JAPAN.md §5). Raw values never
//! leave the crate unless the caller sets `reveal`.

pub mod category;
pub mod context;
pub mod document;
pub mod error;
pub mod evalgen;
pub mod extract;
pub mod headers;
pub mod lexicon;
pub mod mask;
pub mod normalize;
pub mod person;
pub mod recognize;
pub(crate) mod scan;
pub mod scope;
pub mod table;
pub mod validate;

pub use category::{Category, SpecialCareKind};
pub use document::{DocumentOptions, DocumentReport, Finding, scan_document};
pub use error::PiiError;
pub use extract::{ExtractLimits, NotInspected, NotInspectedReason, extract};
pub use person::PersonKey;
pub use scope::{
    Attachment, DEFAULT_SPILL_AFTER, Exposure, Lang, Listing, ListingIter, MessageInput,
    PERSON_FILES_LISTED, SCOPE_SCHEMA_VERSION, Scope, ScopeBuilder, ScopeOptions,
};

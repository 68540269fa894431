//! A tiny document model the reports are built in, rendered to Markdown or HTML.
//!
//! Building the report once as blocks and rendering it twice keeps report.md and report.html
//! saying the same thing, and puts escaping in one place: the renderers escape *every* string
//! in the model (there is no raw-markup variant), so attacker text can never become markup.

use model::Severity;

/// A piece of running text.
#[derive(Debug, Clone, PartialEq)]
pub enum Inline {
    /// Plain text.
    Text(String),
    /// Bold text.
    Strong(String),
    /// Monospace text (ids, IPs, paths).
    Code(String),
    /// A severity badge.
    Sev(Severity),
    /// A placeholder a person must fill in (`TODO(担当者記入)`).
    Todo(String),
}

/// Inline content.
pub type Spans = Vec<Inline>;

/// Plain text as spans.
pub fn t(s: impl Into<String>) -> Spans {
    vec![Inline::Text(s.into())]
}

/// Monospace text as spans.
pub fn code(s: impl Into<String>) -> Spans {
    vec![Inline::Code(s.into())]
}

/// A block of the document.
#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// Heading of level 1–3.
    Heading(u8, String),
    /// Paragraph.
    Para(Spans),
    /// Bulleted list.
    List(Vec<Spans>),
    /// Two-column key/value table without a header.
    Facts(Vec<(String, Spans)>),
    /// Table with a header row.
    Table {
        /// Column titles.
        head: Vec<String>,
        /// Rows of cells.
        rows: Vec<Vec<Spans>>,
    },
    /// A highlighted note (warnings, the PPC verdict).
    Callout(Spans),
}

/// A whole document.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Doc {
    /// Document title (HTML `<title>`, Markdown `#`).
    pub title: String,
    /// Blocks in order.
    pub blocks: Vec<Block>,
}

impl Doc {
    /// Appends a block.
    pub fn push(&mut self, b: Block) {
        self.blocks.push(b);
    }
    /// Appends a heading.
    pub fn h(&mut self, level: u8, s: impl Into<String>) {
        self.blocks.push(Block::Heading(level, s.into()));
    }
    /// Appends a paragraph of plain text.
    pub fn p(&mut self, s: impl Into<String>) {
        self.blocks.push(Block::Para(t(s)));
    }
}

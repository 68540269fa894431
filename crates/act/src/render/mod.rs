//! Renderers of [`crate::doc::Doc`]: Markdown and self-contained HTML.

pub mod html;
pub mod markdown;

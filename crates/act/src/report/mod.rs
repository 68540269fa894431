//! `report.md` and `report.html`: the case told for people, in Japanese or English.
//!
//! Sections, in order: overview (Hayabusa-style run summary), incidents with their chains,
//! findings, hidden sends, mail verdicts, leak scope, PPC assessment. The same
//! [`crate::doc::Doc`] is rendered to both formats, so they never disagree.
//!
//! Personal data is masked unless [`ReportOptions::reveal`]: persons appear only as counts,
//! external recipient addresses as `t***@domain` (domains are shown: they say which partner
//! companies were hit), and the paths of files holding personal data as `#n (.ext)` (file names
//! of HR forms often carry a person's name). Compromised accounts and attacker IPs are always
//! shown: they are what the responder acts on.

mod incidents;
mod mail;
mod scope;

use std::path::{Path, PathBuf};

use crate::case::CaseInputs;
use crate::doc::Doc;
use crate::error::{ActError, Result};
use crate::files::{PPC_REPORT_EN_FILE, PPC_REPORT_FILE, REPORT_HTML_FILE, REPORT_MD_FILE};
use crate::labels::Lang;
use crate::ppc::render_ppc_draft;
use crate::render::{html, markdown};

/// How to write the reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReportOptions {
    /// Language of report.md/html (the PPC draft is always written in Japanese as well).
    pub lang: Lang,
    /// Show personal data in full (recipient addresses, file paths). Default: masked.
    pub reveal: bool,
    /// Rows of samples (hidden sends, verdicts) per table.
    pub sample_rows: Option<usize>,
}

impl ReportOptions {
    /// Options for `lang`, masked, default sample size.
    pub fn new(lang: Lang) -> Self {
        Self {
            lang,
            reveal: false,
            sample_rows: None,
        }
    }

    fn samples(&self) -> usize {
        self.sample_rows.unwrap_or(20)
    }
}

/// Where the reports were written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportPaths {
    /// report.md.
    pub markdown: PathBuf,
    /// report.html.
    pub html: PathBuf,
    /// ppc-report.md (Japanese).
    pub ppc: PathBuf,
    /// ppc-report.en.md, when the language is English.
    pub ppc_en: Option<PathBuf>,
}

/// Builds the report document.
pub fn build_report(inputs: &CaseInputs, opts: &ReportOptions) -> Doc {
    let lang = opts.lang;
    let mut doc = Doc {
        title: format!(
            "{} — {}",
            lang.pick("mimamori 調査報告書", "mimamori investigation report"),
            inputs.tenant_name.as_deref().unwrap_or(&inputs.tenant)
        ),
        blocks: Vec::new(),
    };
    incidents::overview(&mut doc, inputs, lang);
    incidents::incidents(&mut doc, inputs, lang);
    incidents::findings(&mut doc, inputs, lang);
    mail::hidden_sends(&mut doc, inputs, opts);
    mail::verdicts(&mut doc, inputs, opts);
    scope::scope(&mut doc, inputs, opts);
    scope::ppc(&mut doc, inputs, lang);
    doc
}

/// report.md as a string.
pub fn render_report_md(inputs: &CaseInputs, opts: &ReportOptions) -> String {
    markdown::render(&build_report(inputs, opts))
}

/// report.html as a string.
pub fn render_report_html(inputs: &CaseInputs, opts: &ReportOptions) -> String {
    html::render(&build_report(inputs, opts), opts.lang)
}

fn write(path: PathBuf, text: &str) -> Result<PathBuf> {
    std::fs::write(&path, text).map_err(|e| ActError::io(&path, e))?;
    Ok(path)
}

/// Writes report.md, report.html and ppc-report.md (plus ppc-report.en.md for English) into
/// `dir`, masked.
pub fn write_reports(dir: &Path, inputs: &CaseInputs, lang: Lang) -> Result<ReportPaths> {
    write_reports_with(dir, inputs, &ReportOptions::new(lang))
}

/// [`write_reports`] with every option.
pub fn write_reports_with(
    dir: &Path,
    inputs: &CaseInputs,
    opts: &ReportOptions,
) -> Result<ReportPaths> {
    std::fs::create_dir_all(dir).map_err(|e| ActError::io(dir, e))?;
    let doc = build_report(inputs, opts);
    let paths = ReportPaths {
        markdown: write(dir.join(REPORT_MD_FILE), &markdown::render(&doc))?,
        html: write(dir.join(REPORT_HTML_FILE), &html::render(&doc, opts.lang))?,
        ppc: write(
            dir.join(PPC_REPORT_FILE),
            &render_ppc_draft(inputs, Lang::Ja),
        )?,
        ppc_en: match opts.lang {
            Lang::En => Some(write(
                dir.join(PPC_REPORT_EN_FILE),
                &render_ppc_draft(inputs, Lang::En),
            )?),
            Lang::Ja => None,
        },
    };
    tracing::info!(dir = %dir.display(), "reports written");
    Ok(paths)
}

//! Reading one decoded input: detect its format from the first bytes, then stream its records
//! through the format's reader into the sink, counting what was read and rejected.

use std::ops::ControlFlow;

use model::RecordError;
use serde_json::Value;

use crate::csvrows::{for_each_row, sniff_headers};
use crate::decode::Decoded;
use crate::formats::authdetails::AuthJoin;
use crate::formats::purview_csv::PURVIEW_ROW_CAP;
use crate::formats::{
    Container, Ctx, FormatInfo, Kind, classify_csv, classify_json, kind_from_name,
};
use crate::jsonstream::{
    EnvelopeInfo, RecordText, first_record, looks_like_lines, read_document, read_lines,
};
use crate::{FileSummary, ReadOptions, Sink};

/// What the first bytes say.
pub(crate) enum Sniffed {
    /// JSON; the format of its first record when one was recognised.
    Json(Option<&'static FormatInfo>),
    /// CSV of this format.
    Csv(&'static FormatInfo),
    /// Nothing we read.
    Unknown,
}

/// Detects the format from the decoded head.
pub(crate) fn sniff(head: &str) -> Sniffed {
    let t = head.trim_start();
    if t.starts_with('{') || t.starts_with('[') {
        return match first_record(t) {
            Some(Value::Object(o)) => match classify_json(&o) {
                Some(f) => Sniffed::Json(Some(f)),
                None => Sniffed::Unknown,
            },
            Some(_) => Sniffed::Unknown,
            None => Sniffed::Json(None),
        };
    }
    match sniff_headers(t).as_ref().and_then(classify_csv) {
        Some(f) => Sniffed::Csv(f),
        None => Sniffed::Unknown,
    }
}

/// The one-line note for an input in no supported format (English, Japanese).
pub fn unknown_format_note() -> (String, String) {
    let en: Vec<&str> = crate::formats().iter().map(|f| f.name_en).collect();
    let ja: Vec<&str> = crate::formats().iter().map(|f| f.name_ja).collect();
    (
        format!(
            "not a supported Microsoft 365 export; supported formats: {}",
            en.join("; ")
        ),
        format!(
            "対応している Microsoft 365 のエクスポート形式ではありません。対応形式: {}",
            ja.join("、")
        ),
    )
}

struct Counting<'s> {
    sink: &'s mut dyn Sink,
    file: &'s str,
    read: u64,
    events: u64,
    rejected: u64,
    /// Format of the first record read (for files whose head held no complete record).
    first_format: Option<&'static str>,
}

impl Counting<'_> {
    fn reject(&mut self, record: u64, reason: String) {
        self.rejected += 1;
        self.sink
            .reject(RecordError::new(self.file, record, reason));
    }
    fn accept(&mut self, events: Vec<model::Event>) {
        self.read += 1;
        for e in events {
            self.events += 1;
            self.sink.event(e);
        }
    }
}

/// Reads one decoded input into the sink.
pub(crate) fn read_decoded(
    name: &str,
    mut decoded: Decoded<'_>,
    opts: &ReadOptions,
    auth: &AuthJoin,
    sink: &mut dyn Sink,
) -> FileSummary {
    let mut summary = FileSummary::new(name);
    summary.encoding = Some(decoded.encoding);
    let sniffed = sniff(&decoded.head);
    let mut count = Counting {
        sink,
        file: name,
        read: 0,
        events: 0,
        rejected: 0,
        first_format: None,
    };
    let name_kind = kind_from_name(name);
    let result = match sniffed {
        Sniffed::Unknown => {
            let (en, ja) = unknown_format_note();
            summary.note = Some(en);
            summary.note_ja = Some(ja);
            Ok(())
        }
        Sniffed::Json(first) => {
            summary.format = first.map(|f| f.id);
            let mut info = EnvelopeInfo::default();
            let lines = looks_like_lines(&decoded.head);
            // When the head held no complete record (a record over 64 KiB), the first record
            // decides: if it is of no known shape the file is not ours — say so, read no further.
            let mut not_ours = false;
            let mut on = |rec: RecordText, n: u64| {
                if first.is_none() && count.read + count.rejected == 0 && first_is_foreign(&rec) {
                    not_ours = true;
                    return ControlFlow::Break(());
                }
                dispatch_json(rec, n, name, opts, auth, name_kind, &mut count);
                ControlFlow::Continue(())
            };
            let r = if lines {
                read_lines(&mut decoded.reader, &mut on, &mut info)
            } else {
                read_document(&mut decoded.reader, &mut on, &mut info)
            };
            if info.next_link {
                summary.note = Some("one page of a paged Graph response (@odata.nextLink present): later pages are not in this file".into());
                summary.note_ja = Some("Graph のページ分割応答の 1 ページです（@odata.nextLink あり）。続きのページはこのファイルにありません".into());
            }
            if not_ours {
                let (en, ja) = unknown_format_note();
                summary.note = Some(en);
                summary.note_ja = Some(ja);
            } else if first.is_none() && count.read + count.rejected == 0 {
                summary.note = Some("JSON without records".into());
                summary.note_ja = Some("レコードのない JSON です".into());
            }
            // A cut that ends the file is one reject with its reason.
            match r {
                Err(reason) if !reason.starts_with("read error") => {
                    count.reject(count.read + count.rejected, reason);
                    Ok(())
                }
                other => other,
            }
        }
        Sniffed::Csv(format) => {
            summary.format = Some(format.id);
            let Kind::Csv { read, .. } = format.kind else {
                return summary;
            };
            let mut on_row = |row: &crate::csvrows::Row<'_>, line: u64| {
                let ctx = Ctx {
                    file: name,
                    record: line,
                    tenant: &opts.tenant,
                    format: format.id,
                    name_kind,
                    auth,
                };
                match read(row, &ctx) {
                    Ok(events) => count.accept(events),
                    Err(reason) => count.reject(line, reason),
                }
                ControlFlow::Continue(())
            };
            let mut bad = Vec::new();
            let mut on_bad = |line: u64, reason: String| bad.push((line, reason));
            let r = for_each_row(&mut decoded.reader, &mut on_row, &mut on_bad).map(|_| ());
            for (line, reason) in bad {
                count.reject(line, reason);
            }
            if format.id == "purview_audit_csv" && count.read + count.rejected == PURVIEW_ROW_CAP {
                summary.note = Some("probably truncated at 50,000 rows (the Purview export limit): split the search by date".into());
                summary.note_ja = Some("50,000 行で切り捨てられている可能性があります（Purview のエクスポート上限）。期間を分けて検索してください".into());
            }
            if format.id == "entra_portal_authdetails_csv" {
                summary.note =
                    Some("authentication details: joined to sign-ins by Request ID".into());
                summary.note_ja = Some("認証の詳細: Request ID でサインインに結合しました".into());
            }
            r
        }
    };
    summary.format = summary.format.or(count.first_format);
    summary.read = count.read;
    summary.events = count.events;
    summary.rejected = count.rejected;
    if let Err(e) = result {
        summary.error = Some(e);
    }
    summary
}

/// True when a record parses as a JSON object that no format accepts.
fn first_is_foreign(rec: &RecordText) -> bool {
    match rec {
        Ok(text) => match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(o)) => classify_json(&o).is_none(),
            _ => false,
        },
        Err(_) => false,
    }
}

fn dispatch_json(
    rec: RecordText,
    n: u64,
    name: &str,
    opts: &ReadOptions,
    auth: &AuthJoin,
    name_kind: Option<model::SignInKind>,
    count: &mut Counting<'_>,
) {
    let (value, raw) = match rec {
        Ok(raw) => {
            // Graph sign-ins: typed fast path, same result as the generic reader.
            if let Some((id, time, s)) = crate::formats::signin_fast::read(&raw) {
                let ctx = Ctx {
                    file: name,
                    record: n,
                    tenant: &opts.tenant,
                    format: "graph_signin_json",
                    name_kind,
                    auth,
                };
                let e = ctx.event(id, time, raw, model::EventKind::SignIn(Box::new(s)));
                count.first_format.get_or_insert("graph_signin_json");
                return count.accept(vec![e]);
            }
            match serde_json::from_str::<Value>(&raw) {
                Ok(v) => (v, raw),
                Err(e) => return count.reject(n, format!("not valid JSON: {e}")),
            }
        }
        Err(reason) => return count.reject(n, reason),
    };
    let Value::Object(obj) = value else {
        return count.reject(n, "a JSON value that is not a record object".into());
    };
    let Some(format) = classify_json(&obj) else {
        return count.reject(
            n,
            "record of unknown shape: not a sign-in, audit record or message trace row".into(),
        );
    };
    let Kind::Json { read, .. } = format.kind else {
        return;
    };
    let ctx = Ctx {
        file: name,
        record: n,
        tenant: &opts.tenant,
        format: format.id,
        name_kind,
        auth,
    };
    match read(obj, raw, &ctx) {
        Ok(events) => {
            count.first_format.get_or_insert(format.id);
            count.accept(events)
        }
        Err(reason) => count.reject(n, reason),
    }
}

/// Loads an AuthDetails file into the join table; the summary counts rows loaded.
pub(crate) fn load_authdetails(
    name: &str,
    mut decoded: Decoded<'_>,
    auth: &mut AuthJoin,
    sink: &mut dyn Sink,
) -> FileSummary {
    let mut summary = FileSummary::new(name);
    summary.encoding = Some(decoded.encoding);
    summary.format = Some("entra_portal_authdetails_csv");
    summary.note = Some("authentication details: joined to sign-ins by Request ID".into());
    summary.note_ja = Some("認証の詳細: Request ID でサインインに結合しました".into());
    let mut loaded = 0u64;
    let mut missing = Vec::new();
    let mut on_row = |row: &crate::csvrows::Row<'_>, line: u64| {
        if auth.add_row(row) {
            loaded += 1;
        } else {
            missing.push(line);
        }
        ControlFlow::Continue(())
    };
    let mut bad = Vec::new();
    let mut on_bad = |line: u64, reason: String| bad.push((line, reason));
    if let Err(e) = for_each_row(&mut decoded.reader, &mut on_row, &mut on_bad) {
        summary.error = Some(e);
    }
    summary.read = loaded;
    summary.rejected = (missing.len() + bad.len()) as u64;
    for line in missing {
        sink.reject(RecordError::new(
            name,
            line,
            "AuthDetails row without `Request ID`",
        ));
    }
    for (line, reason) in bad {
        sink.reject(RecordError::new(name, line, reason));
    }
    summary
}

/// True when the sniffed format is the AuthDetails companion file.
pub(crate) fn is_authdetails(s: &Sniffed) -> bool {
    matches!(s, Sniffed::Csv(f) if f.id == "entra_portal_authdetails_csv" && f.container == Container::Csv)
}

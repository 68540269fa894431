//! Writing events: the ingest hot path (the pipeline's target is >100k sign-ins/s per core).
//!
//! One transaction per batch, cached prepared statements, tenant and source-file ids interned
//! in memory, reused buffers for the typed JSON and the body. Events of a format whose typed
//! content is a pure function of the raw text ([`normalize::derives_from_raw`]: Graph
//! sign-ins) are stored as raw text only, `typed_len = 0`; reads re-derive the typed form.
//! Each event is first looked up by its 64-bit key (src/key.rs) and the full kind and natural
//! id compared, so:
//! - a new event is encoded (LZ4) and inserted;
//! - a copy whose typed content equals the stored one is a plain duplicate: nothing is encoded
//!   or written (a re-ingest of the same export writes nothing);
//! - a copy that differs is merged ([`crate::merge`]): fields the stored event lacks are filled
//!   from it and the stored body is rewritten (counted `enriched`); the first copy's raw text and
//!   provenance stay the primary. A copy from another file, format or record is noted in
//!   `event_sources` (with its raw text when its content differed), so evidence can name every
//!   export that carried the record.

use std::collections::HashMap;
use std::sync::Arc;

use model::{Event, EventKind, Provenance};
use rusqlite::{Connection, Transaction, params};

use super::dicts::Dicts;
use super::{tenant_id, to_i64};
use crate::api::InsertCounts;
use crate::codec::{BodyEncoder, CODEC_LZ4_DICT, decode_into};
use crate::error::{Error, Result};
use crate::key::event_key;
use crate::merge::fill_missing;

const FIND_EVENT: &str = "SELECT id, kind, natural_id, source_id, record, codec, typed_len, \
    body_len, body, dict_id FROM events WHERE tenant_id = ?1 AND key = ?2";
const INSERT_EVENT: &str = "INSERT INTO events \
    (tenant_id, key, kind, natural_id, time_us, user, ip, source_id, record, codec, typed_len, \
     body_len, body, dict_id) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)";
const UPDATE_BODY: &str = "UPDATE events SET user = ?2, ip = ?3, codec = ?4, typed_len = ?5, \
    body_len = ?6, body = ?7, dict_id = ?8 WHERE id = ?1";
const ADD_SOURCE: &str = "INSERT INTO event_sources \
    (event_id, source_id, record, enriched, codec, body_len, body) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) ON CONFLICT DO NOTHING";

/// Buffers reused across events and batches.
pub(super) struct Scratch {
    encoder: BodyEncoder,
    typed: Vec<u8>,
    stored: Vec<u8>,
    /// The `ip` column's text of the event being inserted.
    ip: String,
}

impl Scratch {
    pub(super) fn new(compress: bool) -> Self {
        Self {
            encoder: BodyEncoder::new(compress),
            typed: Vec::with_capacity(4096),
            stored: Vec::with_capacity(8192),
            ip: String::with_capacity(64),
        }
    }
}

/// The stored event a copy matched; its body is decoded into `Scratch::stored`.
struct Found {
    id: i64,
    source_id: i64,
    record: i64,
    typed_len: usize,
    /// The dictionary its body was compressed against, if any (reused when it is rewritten).
    dict: Option<(i64, Arc<[u8]>)>,
}

/// In-memory ids of tenants and source files seen by this handle, so a batch does not query
/// them per event. Cleared whenever a transaction that may have created ids rolls back.
#[derive(Default)]
pub(super) struct Interner {
    tenants: HashMap<String, i64>,
    sources: HashMap<(i64, String, String), i64>,
    /// The last source used: events of a batch nearly always share one file.
    last_source: Option<(i64, String, String, i64)>,
    /// The last tenant used (name, id): a batch nearly always has one tenant.
    last_tenant: Option<(String, i64)>,
    /// Body compression dictionaries (created inside transactions, so cleared with the rest).
    dicts: Dicts,
}

impl Interner {
    pub(super) fn clear(&mut self) {
        *self = Self::default();
    }

    /// The id of tenant `name`, creating the tenant row if needed.
    pub(super) fn tenant(&mut self, conn: &Connection, name: &str) -> Result<i64> {
        if let Some((last, id)) = &self.last_tenant
            && last == name
        {
            return Ok(*id);
        }
        if let Some(id) = self.tenants.get(name) {
            self.last_tenant = Some((name.to_string(), *id));
            return Ok(*id);
        }
        conn.prepare_cached(
            "INSERT INTO tenants (name) VALUES (?1) ON CONFLICT (name) DO NOTHING",
        )?
        .execute([name])?;
        let id = tenant_id(conn, name)?.ok_or_else(|| Error::Corrupt {
            what: "tenant",
            id: name.to_string(),
            reason: "vanished right after it was inserted".to_string(),
        })?;
        self.tenants.insert(name.to_string(), id);
        Ok(id)
    }

    /// The id of one input file read by one format for one tenant, creating it if needed.
    pub(super) fn source(&mut self, conn: &Connection, tenant: i64, p: &Provenance) -> Result<i64> {
        if let Some((t, file, format, id)) = &self.last_source
            && *t == tenant
            && *file == p.file
            && *format == p.format
        {
            return Ok(*id);
        }
        let key = (tenant, p.file.clone(), p.format.clone());
        let id = match self.sources.get(&key) {
            Some(id) => *id,
            None => {
                conn.prepare_cached(
                    "INSERT INTO sources (tenant_id, file, format) VALUES (?1, ?2, ?3) \
                     ON CONFLICT (tenant_id, file, format) DO NOTHING",
                )?
                .execute(params![tenant, p.file, p.format])?;
                let id: i64 = conn
                    .prepare_cached(
                        "SELECT id FROM sources WHERE tenant_id = ?1 AND file = ?2 AND format = ?3",
                    )?
                    .query_row(params![tenant, p.file, p.format], |r| r.get(0))?;
                self.sources.insert(key.clone(), id);
                id
            }
        };
        self.last_source = Some((key.0, key.1, key.2, id));
        Ok(id)
    }
}

/// Stores a batch in one transaction; see [`crate::Store::insert_events`].
pub(super) fn insert(
    conn: &mut Connection,
    interner: &mut Interner,
    scratch: &mut Scratch,
    batch: &[Event],
) -> Result<InsertCounts> {
    let mut counts = InsertCounts::default();
    if batch.is_empty() {
        return Ok(counts);
    }
    let tx = conn.transaction()?;
    // Stored events per source id, to keep `sources.events` current without a scan.
    let mut per_source: Vec<(i64, i64)> = Vec::new();
    for ev in batch {
        let tenant = interner.tenant(&tx, &ev.tenant)?;
        let source = interner.source(&tx, tenant, &ev.provenance)?;
        let kind = ev.kind.name();
        let key = event_key(kind, &ev.natural_id);
        let derived = normalize::derives_from_raw(&ev.provenance.format);
        scratch.typed.clear();
        if !derived {
            encode_kind(&mut scratch.typed, &ev.kind)?;
        }
        match find(
            &tx,
            scratch,
            &mut interner.dicts,
            tenant,
            key,
            kind,
            &ev.natural_id,
        )? {
            None => {
                let ip = ev.kind.ip().map(|ip| {
                    use std::fmt::Write;
                    scratch.ip.clear();
                    let _ = write!(scratch.ip, "{ip}");
                    scratch.ip.as_str()
                });
                let dict = if scratch.encoder.compresses() {
                    Some(interner.dicts.for_event(
                        &tx,
                        tenant,
                        kind,
                        &ev.provenance.format,
                        &scratch.typed,
                        ev.raw.as_bytes(),
                    )?)
                } else {
                    None
                };
                let body = scratch.encoder.encode(
                    &scratch.typed,
                    ev.raw.as_bytes(),
                    dict.as_ref().map(|(_, d)| &d[..]),
                );
                let dict_id = dict
                    .filter(|_| body.codec == CODEC_LZ4_DICT)
                    .map(|(id, _)| id);
                tx.prepare_cached(INSERT_EVENT)?.execute(params![
                    tenant,
                    key,
                    kind,
                    ev.natural_id,
                    ev.time.timestamp_micros(),
                    ev.kind.user(),
                    ip,
                    source,
                    to_i64(ev.provenance.record),
                    body.codec,
                    to_i64(body.typed_len as u64),
                    to_i64(body.body_len as u64),
                    body.blob,
                    dict_id,
                ])?;
                counts.stored += 1;
                match per_source.last_mut() {
                    Some((id, n)) if *id == source => *n += 1,
                    _ => per_source.push((source, 1)),
                }
            }
            Some(found) => {
                counts.duplicate += 1;
                let same = same_content(&tx, scratch, &found, ev, derived)?;
                let enriched = !same && merge_into_stored(&tx, scratch, &found, ev)?;
                counts.enriched += u64::from(enriched);
                let record = to_i64(ev.provenance.record);
                if (found.source_id, found.record) != (source, record) {
                    // Keep this copy's raw text when its content differed from the stored one.
                    let (codec, len, blob) = if same {
                        (None, None, None)
                    } else {
                        let b = scratch.encoder.encode(b"", ev.raw.as_bytes(), None);
                        (Some(b.codec), Some(to_i64(b.body_len as u64)), Some(b.blob))
                    };
                    tx.prepare_cached(ADD_SOURCE)?.execute(params![
                        found.id, source, record, enriched, codec, len, blob
                    ])?;
                }
            }
        }
    }
    {
        let mut bump =
            tx.prepare_cached("UPDATE sources SET events = events + ?2 WHERE id = ?1")?;
        for (id, n) in per_source {
            bump.execute([id, n])?;
        }
    }
    tx.commit()?;
    Ok(counts)
}

fn encode_kind(out: &mut Vec<u8>, kind: &EventKind) -> Result<()> {
    serde_json::to_writer(out, kind).map_err(|source| Error::Encode {
        what: "event kind",
        source,
    })
}

/// Whether an incoming copy carries the same typed content as the stored event (whose body is
/// in `scratch.stored`). Cheapest test first: two derived bodies with the same raw text.
fn same_content(
    conn: &Connection,
    scratch: &mut Scratch,
    found: &Found,
    ev: &Event,
    derived: bool,
) -> Result<bool> {
    if found.typed_len == 0 {
        if derived && scratch.stored == ev.raw.as_bytes() {
            return Ok(true);
        }
        return Ok(stored_kind(conn, scratch, found, &ev.natural_id)? == ev.kind);
    }
    if derived {
        // The incoming typed JSON was not encoded (a derived copy of a stored explicit one).
        encode_kind(&mut scratch.typed, &ev.kind)?;
    }
    Ok(scratch.stored.get(..found.typed_len) == Some(&scratch.typed[..]))
}

/// The stored event's typed content: its typed JSON, or re-derived from its raw text by the
/// reader of the format of the file it came from.
fn stored_kind(
    conn: &Connection,
    scratch: &Scratch,
    found: &Found,
    natural_id: &str,
) -> Result<EventKind> {
    let corrupt = |reason: String| Error::Corrupt {
        what: "event",
        id: natural_id.to_string(),
        reason,
    };
    let (typed, raw) = scratch
        .stored
        .split_at(found.typed_len.min(scratch.stored.len()));
    if found.typed_len > 0 {
        return serde_json::from_slice(typed).map_err(|e| corrupt(format!("typed JSON: {e}")));
    }
    // The format of the file the stored copy came from (the duplicate path only).
    let format: String = conn
        .prepare_cached("SELECT format FROM sources WHERE id = ?1")?
        .query_row([found.source_id], |r| r.get(0))?;
    let raw = std::str::from_utf8(raw).map_err(|e| corrupt(format!("raw record: {e}")))?;
    super::events::derive(&format, raw).map_err(corrupt)
}

/// Looks the event up by key; on a match (same kind and natural id, so a hash collision is
/// told apart) its body is decoded into `scratch.stored`.
fn find(
    tx: &Transaction<'_>,
    scratch: &mut Scratch,
    dicts: &mut Dicts,
    tenant: i64,
    key: i64,
    kind: &str,
    natural_id: &str,
) -> Result<Option<Found>> {
    let mut stmt = tx.prepare_cached(FIND_EVENT)?;
    let mut rows = stmt.query(params![tenant, key])?;
    while let Some(row) = rows.next()? {
        if row.get_ref(1)?.as_str().ok() != Some(kind)
            || row.get_ref(2)?.as_str().ok() != Some(natural_id)
        {
            continue;
        }
        let corrupt = |reason: String| Error::Corrupt {
            what: "event",
            id: natural_id.to_string(),
            reason,
        };
        let blob = row
            .get_ref(8)?
            .as_blob()
            .map_err(|e| corrupt(format!("body column: {e}")))?;
        let dict = match row.get::<_, Option<i64>>(9)? {
            Some(id) => Some((id, dicts.get(tx, id)?)),
            None => None,
        };
        let typed_len = decode_into(
            row.get(5)?,
            row.get(6)?,
            row.get(7)?,
            blob,
            dict.as_ref().map(|(_, d)| &d[..]),
            &mut scratch.stored,
        )
        .map_err(corrupt)?;
        return Ok(Some(Found {
            id: row.get(0)?,
            source_id: row.get(3)?,
            record: row.get(4)?,
            typed_len,
            dict,
        }));
    }
    Ok(None)
}

/// Fills the stored event's missing fields from `ev` and rewrites its body if that changed
/// anything (the stored raw text is kept). Returns whether it did.
fn merge_into_stored(
    tx: &Transaction<'_>,
    scratch: &mut Scratch,
    found: &Found,
    ev: &Event,
) -> Result<bool> {
    let corrupt = |reason: String| Error::Corrupt {
        what: "event",
        id: ev.natural_id.clone(),
        reason,
    };
    let mut stored = serde_json::to_value(stored_kind(tx, scratch, found, &ev.natural_id)?)
        .map_err(|source| Error::Encode {
            what: "event kind",
            source,
        })?;
    let raw = &scratch.stored[found.typed_len..];
    let incoming = serde_json::to_value(&ev.kind).map_err(|source| Error::Encode {
        what: "event kind",
        source,
    })?;
    if !fill_missing(&mut stored, &incoming) {
        return Ok(false);
    }
    // Back through the model type: the merged event is checked and canonically encoded. It
    // is stored with explicit typed JSON from now on: it no longer derives from its raw text.
    let merged: EventKind =
        serde_json::from_value(stored).map_err(|e| corrupt(format!("merged typed JSON: {e}")))?;
    scratch.typed.clear();
    encode_kind(&mut scratch.typed, &merged)?;
    let body = scratch.encoder.encode(
        &scratch.typed,
        raw,
        found.dict.as_ref().map(|(_, d)| &d[..]),
    );
    let dict_id = found
        .dict
        .as_ref()
        .filter(|_| body.codec == CODEC_LZ4_DICT)
        .map(|(id, _)| *id);
    tx.prepare_cached(UPDATE_BODY)?.execute(params![
        found.id,
        merged.user(),
        merged.ip().map(|ip| ip.to_string()),
        body.codec,
        to_i64(body.typed_len as u64),
        to_i64(body.body_len as u64),
        body.blob,
        dict_id,
    ])?;
    Ok(true)
}

//! Reading events: filters, time-ordered streaming, lookups by evidence reference and the
//! exports that carried an event. Reads stream rows through a callback so memory stays flat.
//! (Writing is `insert.rs`.)

use model::{Event, EventKind, EvidenceRef, Provenance};
use rusqlite::types::Value;
use rusqlite::{Connection, Row, params, params_from_iter};

use super::dicts::Dicts;
use super::{from_us, tenant_id, to_u64, to_us};
use crate::api::{EventFilter, EventSource, check_kind};
use crate::codec::decode;
use crate::error::{Error, Result};
use crate::key::event_key;

/// The columns `row_to_event` reads, in its order.
const EVENT_COLUMNS: &str = "e.natural_id, e.time_us, t.name, s.file, s.format, e.record, \
    e.codec, e.typed_len, e.body_len, e.body, e.dict_id";
const EVENT_FROM: &str = "FROM events e JOIN tenants t ON t.id = e.tenant_id \
    JOIN sources s ON s.id = e.source_id";

/// A filter turned into SQL: `None` when it names a tenant the store has never seen.
struct Where {
    sql: String,
    params: Vec<Value>,
}

fn build_where(conn: &Connection, filter: &EventFilter) -> Result<Option<Where>> {
    let mut clauses: Vec<String> = Vec::new();
    let mut params: Vec<Value> = Vec::new();
    let tenant = match &filter.tenant {
        Some(name) => match tenant_id(conn, name)? {
            Some(id) => Some(id),
            None => return Ok(None),
        },
        // With a single tenant in the store, "all tenants" is that tenant: naming it lets the
        // (tenant, time) index give the order instead of a sort of every row.
        None => sole_tenant(conn)?,
    };
    if let Some(id) = tenant {
        clauses.push("e.tenant_id = ?".into());
        params.push(Value::Integer(id));
    }
    if let Some(since) = filter.since {
        clauses.push("e.time_us >= ?".into());
        params.push(Value::Integer(to_us(since)));
    }
    if let Some(until) = filter.until {
        clauses.push("e.time_us < ?".into());
        params.push(Value::Integer(to_us(until)));
    }
    if let Some(user) = &filter.user {
        clauses.push("e.user = ?".into());
        params.push(Value::Text(user.to_lowercase()));
    }
    if !filter.kinds.is_empty() {
        let mut marks = Vec::with_capacity(filter.kinds.len());
        for kind in &filter.kinds {
            params.push(Value::Text(check_kind(kind)?.to_string()));
            marks.push("?");
        }
        clauses.push(format!("e.kind IN ({})", marks.join(", ")));
    }
    let sql = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };
    Ok(Some(Where { sql, params }))
}

/// The id of the only tenant, if the store has exactly one.
fn sole_tenant(conn: &Connection) -> Result<Option<i64>> {
    let mut stmt = conn.prepare_cached("SELECT id FROM tenants LIMIT 2")?;
    let ids = stmt
        .query_map([], |r| r.get::<_, i64>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(match ids.as_slice() {
        [only] => Some(*only),
        _ => None,
    })
}

/// See [`crate::Store::count_events`].
pub(super) fn count(conn: &Connection, filter: &EventFilter) -> Result<u64> {
    let Some(w) = build_where(conn, filter)? else {
        return Ok(0);
    };
    let sql = format!("SELECT count(*) FROM events e {}", w.sql);
    let n: i64 = conn
        .prepare_cached(&sql)?
        .query_row(params_from_iter(w.params), |r| r.get(0))?;
    Ok(to_u64(n))
}

/// See [`crate::Store::for_each_event`].
pub(super) fn for_each(
    conn: &Connection,
    filter: &EventFilter,
    f: &mut dyn FnMut(Event) -> Result<()>,
) -> Result<u64> {
    let Some(w) = build_where(conn, filter)? else {
        return Ok(0);
    };
    let sql = format!(
        "SELECT {EVENT_COLUMNS} {EVENT_FROM} {} \
         ORDER BY e.time_us, e.natural_id, e.kind, e.tenant_id",
        w.sql
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut rows = stmt.query(params_from_iter(w.params))?;
    let mut seen = 0u64;
    let mut dicts = Dicts::default();
    while let Some(row) = rows.next()? {
        let event = row_to_event(conn, &mut dicts, row)?;
        f(event)?;
        seen += 1;
    }
    Ok(seen)
}

/// See [`crate::Store::events_by_ref`].
pub(super) fn by_ref(
    conn: &Connection,
    tenant: &str,
    refs: &[EvidenceRef],
) -> Result<Vec<Option<Event>>> {
    let Some(tenant) = tenant_id(conn, tenant)? else {
        return Ok(vec![None; refs.len()]);
    };
    let sql = format!(
        "SELECT {EVENT_COLUMNS} {EVENT_FROM} \
         WHERE e.tenant_id = ?1 AND e.key = ?2 AND e.kind = ?3 AND e.natural_id = ?4"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut out = Vec::with_capacity(refs.len());
    let mut dicts = Dicts::default();
    for r in refs {
        let key = event_key(&r.kind, &r.natural_id);
        let mut rows = stmt.query(params![tenant, key, r.kind, r.natural_id])?;
        out.push(match rows.next()? {
            Some(row) => Some(row_to_event(conn, &mut dicts, row)?),
            None => None,
        });
    }
    Ok(out)
}

/// See [`crate::Store::event_sources`].
pub(super) fn sources(
    conn: &Connection,
    tenant: &str,
    evidence: &EvidenceRef,
) -> Result<Vec<EventSource>> {
    let Some(event) = by_ref(conn, tenant, std::slice::from_ref(evidence))?
        .into_iter()
        .flatten()
        .next()
    else {
        return Ok(Vec::new());
    };
    let Some(tenant) = tenant_id(conn, tenant)? else {
        return Ok(Vec::new());
    };
    let key = event_key(&evidence.kind, &evidence.natural_id);
    let mut stmt = conn.prepare_cached(
        "SELECT s.file, s.format, x.record, x.enriched, x.codec, x.body_len, x.body \
         FROM events e JOIN event_sources x ON x.event_id = e.id \
         JOIN sources s ON s.id = x.source_id \
         WHERE e.tenant_id = ?1 AND e.key = ?2 AND e.kind = ?3 AND e.natural_id = ?4 \
         ORDER BY x.source_id, x.record",
    )?;
    let mut out = vec![EventSource {
        provenance: event.provenance,
        primary: true,
        enriched: false,
        raw: Some(event.raw),
    }];
    let mut rows = stmt.query(params![tenant, key, evidence.kind, evidence.natural_id])?;
    while let Some(row) = rows.next()? {
        let raw = match row.get::<_, Option<i64>>(4)? {
            None => None,
            Some(codec) => {
                let blob = row.get_ref(6)?.as_blob().unwrap_or_default();
                let (_, raw) =
                    decode(codec, 0, row.get(5)?, blob, None).map_err(|reason| Error::Corrupt {
                        what: "event source",
                        id: evidence.natural_id.clone(),
                        reason,
                    })?;
                Some(raw)
            }
        };
        out.push(EventSource {
            provenance: Provenance {
                file: row.get(0)?,
                record: to_u64(row.get(2)?),
                format: row.get(1)?,
            },
            primary: false,
            enriched: row.get(3)?,
            raw,
        });
    }
    Ok(out)
}

fn row_to_event(conn: &Connection, dicts: &mut Dicts, row: &Row<'_>) -> Result<Event> {
    let natural_id: String = row.get(0)?;
    let corrupt = |reason: String| Error::Corrupt {
        what: "event",
        id: natural_id.clone(),
        reason,
    };
    let blob = row
        .get_ref(9)?
        .as_blob()
        .map_err(|e| corrupt(format!("body column: {e}")))?;
    let dict = match row.get::<_, Option<i64>>(10)? {
        Some(id) => Some(dicts.get(conn, id)?),
        None => None,
    };
    let (typed, raw) =
        decode(row.get(6)?, row.get(7)?, row.get(8)?, blob, dict.as_deref()).map_err(corrupt)?;
    let format: String = row.get(4)?;
    let kind: EventKind = if typed.is_empty() {
        derive(&format, &raw).map_err(corrupt)?
    } else {
        serde_json::from_str(&typed).map_err(|e| corrupt(format!("typed JSON: {e}")))?
    };
    let time = from_us(row.get(1)?, "event", &natural_id)?;
    Ok(Event {
        tenant: row.get(2)?,
        time,
        provenance: Provenance {
            file: row.get(3)?,
            record: to_u64(row.get(5)?),
            format,
        },
        raw,
        kind,
        natural_id,
    })
}

/// The typed content of a body stored without typed JSON (`typed_len = 0`), re-derived from
/// its raw text by the reader of `format` (see `normalize::derive_kind`).
pub(super) fn derive(format: &str, raw: &str) -> std::result::Result<EventKind, String> {
    normalize::derive_kind(format, raw).unwrap_or_else(|| {
        Err(format!(
            "stored without typed JSON, but format `{format}` cannot re-derive it"
        ))
    })
}

//! Writing and reading events.
//!
//! Insert is the hot path (the pipeline's target is >100k sign-ins/s per core end to end): one
//! transaction per batch, one cached prepared statement, tenant and source-file ids interned in
//! memory, one reused deflate state for the raw text, and `ON CONFLICT DO NOTHING` on the
//! (tenant, kind, natural id) key so a re-ingest is counted, not stored. Reads stream rows
//! through a callback so memory stays flat.

use std::collections::HashMap;

use model::{Event, EventKind, EvidenceRef, Provenance};
use rusqlite::types::Value;
use rusqlite::{Connection, Row, params, params_from_iter};

use super::{from_us, tenant_id, to_i64, to_u64, to_us};
use crate::api::{EventFilter, InsertCounts, check_kind};
use crate::codec::{BodyEncoder, decode};
use crate::error::{Error, Result};

const INSERT_EVENT: &str = "INSERT INTO events \
    (tenant_id, kind, natural_id, time_us, user, ip, source_id, record, codec, typed_len, \
     body_len, body) \
    VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12) \
    ON CONFLICT (tenant_id, kind, natural_id) DO NOTHING";

/// The columns `row_to_event` reads, in its order.
const EVENT_COLUMNS: &str = "e.natural_id, e.time_us, t.name, s.file, s.format, e.record, \
    e.codec, e.typed_len, e.body_len, e.body";
const EVENT_FROM: &str = "FROM events e JOIN tenants t ON t.id = e.tenant_id \
    JOIN sources s ON s.id = e.source_id";

/// In-memory ids of tenants and source files seen by this handle, so a batch does not query
/// them per event. Cleared whenever a transaction that may have created ids rolls back.
#[derive(Default)]
pub(super) struct Interner {
    tenants: HashMap<String, i64>,
    sources: HashMap<(i64, String, String), i64>,
    /// The last source used: events of a batch nearly always share one file.
    last_source: Option<(i64, String, String, i64)>,
}

impl Interner {
    pub(super) fn clear(&mut self) {
        *self = Self::default();
    }

    /// The id of tenant `name`, creating the tenant row if needed.
    pub(super) fn tenant(&mut self, conn: &Connection, name: &str) -> Result<i64> {
        if let Some(id) = self.tenants.get(name) {
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
    fn source(&mut self, conn: &Connection, tenant: i64, p: &Provenance) -> Result<i64> {
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
    encoder: &mut BodyEncoder,
    batch: &[Event],
) -> Result<InsertCounts> {
    let mut counts = InsertCounts::default();
    if batch.is_empty() {
        return Ok(counts);
    }
    let tx = conn.transaction()?;
    // Stored events per source id, to keep `sources.events` current without a scan.
    let mut per_source: Vec<(i64, i64)> = Vec::new();
    {
        let mut stmt = tx.prepare_cached(INSERT_EVENT)?;
        for ev in batch {
            let tenant = interner.tenant(&tx, &ev.tenant)?;
            let source = interner.source(&tx, tenant, &ev.provenance)?;
            let typed = serde_json::to_string(&ev.kind).map_err(|source| Error::Encode {
                what: "event kind",
                source,
            })?;
            let body = encoder.encode(&typed, &ev.raw);
            let changed = stmt.execute(params![
                tenant,
                ev.kind.name(),
                ev.natural_id,
                to_us(ev.time),
                ev.kind.user(),
                ev.kind.ip().map(|ip| ip.to_string()),
                source,
                to_i64(ev.provenance.record),
                body.codec,
                to_i64(body.typed_len as u64),
                to_i64(body.body_len as u64),
                body.blob,
            ])?;
            if changed == 0 {
                counts.duplicate += 1;
                continue;
            }
            counts.stored += 1;
            match per_source.last_mut() {
                Some((id, n)) if *id == source => *n += 1,
                _ => per_source.push((source, 1)),
            }
        }
        let mut bump =
            tx.prepare_cached("UPDATE sources SET events = events + ?2 WHERE id = ?1")?;
        for (id, n) in per_source {
            bump.execute([id, n])?;
        }
    }
    tx.commit()?;
    Ok(counts)
}

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
    while let Some(row) = rows.next()? {
        let event = row_to_event(row)?;
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
         WHERE e.tenant_id = ?1 AND e.kind = ?2 AND e.natural_id = ?3"
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let mut out = Vec::with_capacity(refs.len());
    for r in refs {
        let mut rows = stmt.query(params![tenant, r.kind, r.natural_id])?;
        out.push(match rows.next()? {
            Some(row) => Some(row_to_event(row)?),
            None => None,
        });
    }
    Ok(out)
}

fn row_to_event(row: &Row<'_>) -> Result<Event> {
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
    let (typed, raw) = decode(row.get(6)?, row.get(7)?, row.get(8)?, blob).map_err(corrupt)?;
    let kind: EventKind =
        serde_json::from_str(&typed).map_err(|e| corrupt(format!("typed JSON: {e}")))?;
    let time = from_us(row.get(1)?, "event", &natural_id)?;
    Ok(Event {
        tenant: row.get(2)?,
        time,
        provenance: Provenance {
            file: row.get(3)?,
            record: to_u64(row.get(5)?),
            format: row.get(4)?,
        },
        raw,
        kind,
        natural_id,
    })
}

//! Compression dictionaries of event bodies (migration 5; why: src/codec.rs).
//!
//! The first event stored for a (tenant, kind, reader format) gives its uncompressed body as
//! that triple's dictionary; every later body of the triple is compressed against it. A handle
//! keeps the dictionaries it used in memory (a few KB each, one per format and kind seen), so
//! the insert path queries the `dicts` table once per triple, and a read once per dictionary.

use std::collections::HashMap;
use std::sync::Arc;

use rusqlite::{Connection, OptionalExtension, params};

use crate::error::{Error, Result};

/// Dictionaries by id, and the id of each (tenant, kind, format) triple seen.
#[derive(Default)]
pub(super) struct Dicts {
    by_id: HashMap<i64, Arc<[u8]>>,
    by_key: HashMap<(i64, String, String), i64>,
    /// The last triple used: a batch nearly always has one kind and format.
    last: Option<(i64, String, String, i64)>,
}

impl Dicts {
    /// The dictionary with this id.
    pub(super) fn get(&mut self, conn: &Connection, id: i64) -> Result<Arc<[u8]>> {
        if let Some(d) = self.by_id.get(&id) {
            return Ok(Arc::clone(d));
        }
        let body: Option<Vec<u8>> = conn
            .prepare_cached("SELECT body FROM dicts WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?;
        let body = body.ok_or_else(|| Error::Corrupt {
            what: "compression dictionary",
            id: id.to_string(),
            reason: "an event names a dictionary the file does not hold".to_string(),
        })?;
        let d: Arc<[u8]> = body.into();
        self.by_id.insert(id, Arc::clone(&d));
        Ok(d)
    }

    /// The dictionary of (tenant, kind, format): the stored one, or — for the first event of
    /// the triple — `typed` followed by `raw`, stored now.
    pub(super) fn for_event(
        &mut self,
        conn: &Connection,
        tenant: i64,
        kind: &str,
        format: &str,
        typed: &[u8],
        raw: &[u8],
    ) -> Result<(i64, Arc<[u8]>)> {
        if let Some((t, k, f, id)) = &self.last
            && *t == tenant
            && k == kind
            && f == format
        {
            let id = *id;
            return Ok((id, self.get(conn, id)?));
        }
        let key = (tenant, kind.to_string(), format.to_string());
        let id = match self.by_key.get(&key) {
            Some(id) => *id,
            None => {
                let found: Option<i64> = conn
                    .prepare_cached(
                        "SELECT id FROM dicts WHERE tenant_id = ?1 AND kind = ?2 AND format = ?3",
                    )?
                    .query_row(params![tenant, kind, format], |r| r.get(0))
                    .optional()?;
                let id = match found {
                    Some(id) => id,
                    None => {
                        let mut body = Vec::with_capacity(typed.len() + raw.len());
                        body.extend_from_slice(typed);
                        body.extend_from_slice(raw);
                        conn.prepare_cached(
                            "INSERT INTO dicts (tenant_id, kind, format, body) \
                             VALUES (?1, ?2, ?3, ?4)",
                        )?
                        .execute(params![tenant, kind, format, body])?;
                        let id = conn.last_insert_rowid();
                        self.by_id.insert(id, body.into());
                        id
                    }
                };
                self.by_key.insert(key.clone(), id);
                id
            }
        };
        self.last = Some((key.0, key.1, key.2, id));
        Ok((id, self.get(conn, id)?))
    }
}

-- Migration 4: events keyed by a 64-bit hash, and every export that carried an event.
--
-- The UNIQUE (tenant_id, kind, natural_id) text index is replaced by a plain index on
-- (tenant_id, key), key = FNV-1a 64 of (kind, natural id) (src/key.rs): three times smaller,
-- so ingest dirties far fewer index pages. Uniqueness is kept by the insert code, which looks
-- the key up and compares kind and natural id (so a hash collision stores both events).
-- SQLite cannot drop a table constraint, so the table is rebuilt; row ids are kept. The keys of
-- old rows are computed in Rust after this script (key 0 until then), then the indexes are
-- built (0004_event_key_indexes.sql).

CREATE TABLE events_v4 (
    id         INTEGER PRIMARY KEY,
    tenant_id  INTEGER NOT NULL REFERENCES tenants(id),
    key        INTEGER NOT NULL,
    kind       TEXT NOT NULL,
    natural_id TEXT NOT NULL,
    time_us    INTEGER NOT NULL,
    user       TEXT,
    ip         TEXT,
    source_id  INTEGER NOT NULL REFERENCES sources(id),
    record     INTEGER NOT NULL,
    codec      INTEGER NOT NULL,
    typed_len  INTEGER NOT NULL,
    body_len   INTEGER NOT NULL,
    body       BLOB NOT NULL
);

INSERT INTO events_v4 (id, tenant_id, key, kind, natural_id, time_us, user, ip, source_id,
                       record, codec, typed_len, body_len, body)
    SELECT id, tenant_id, 0, kind, natural_id, time_us, user, ip, source_id, record, codec,
           typed_len, body_len, body
    FROM events ORDER BY id;

DROP TABLE events;
ALTER TABLE events_v4 RENAME TO events;

-- Further copies of a stored event from other exports (other file, format or record): the
-- primary copy's provenance stays on the event row. `raw` (codec/body_len/body as for events,
-- raw text only) is kept when this copy filled fields the stored event lacked, so the evidence
-- for every merged value is kept; otherwise only where the copy was is recorded.
CREATE TABLE event_sources (
    event_id  INTEGER NOT NULL REFERENCES events(id),
    source_id INTEGER NOT NULL REFERENCES sources(id),
    record    INTEGER NOT NULL,
    enriched  INTEGER NOT NULL,
    codec     INTEGER,
    body_len  INTEGER,
    body      BLOB,
    PRIMARY KEY (event_id, source_id, record)
) WITHOUT ROWID;

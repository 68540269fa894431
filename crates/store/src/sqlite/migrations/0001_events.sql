-- Migration 1: tenants, the files events came from, and the events themselves.
-- Tenants and source files are interned (small integer ids) so the events table and its three
-- indexes do not repeat a tenant GUID and a file path in every row.

CREATE TABLE tenants (
    id   INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE
);

-- One row per (tenant, input file, reader format). `events` counts the events stored from it,
-- kept up to date by insert_events, so per-source statistics never scan the events table.
CREATE TABLE sources (
    id        INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants(id),
    file      TEXT NOT NULL,
    format    TEXT NOT NULL,
    events    INTEGER NOT NULL DEFAULT 0,
    UNIQUE (tenant_id, file, format)
);

-- One normalized event. Small columns first, the large body last.
--   kind      model::EventKind::name(): sign_in, directory_audit, audit, message_trace, mail
--   time_us   event time, microseconds since 1970-01-01T00:00:00Z (UTC)
--   user      EventKind::user(), lower-case UPN or address; NULL when the record names none
--   ip        EventKind::ip() as text; NULL when none
--   record    provenance line (1-based, line formats) or record index (0-based)
--   body      the typed JSON of model::EventKind (tagged with "type") followed by the raw
--             record text as read; typed_len and body_len are their byte lengths before
--             compression; codec 0 = stored as is, 1 = one LZ4 block (see src/codec.rs)
CREATE TABLE events (
    id         INTEGER PRIMARY KEY,
    tenant_id  INTEGER NOT NULL REFERENCES tenants(id),
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
    body       BLOB NOT NULL,
    UNIQUE (tenant_id, kind, natural_id)
);

CREATE INDEX events_tenant_time      ON events (tenant_id, time_us);
CREATE INDEX events_tenant_user_time ON events (tenant_id, user, time_us);
CREATE INDEX events_tenant_kind_time ON events (tenant_id, kind, time_us);

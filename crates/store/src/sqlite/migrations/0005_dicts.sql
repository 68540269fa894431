-- Migration 5: LZ4 dictionaries for event bodies.
--
-- One body compressed alone shrinks little (a 2.9 KB Graph sign-in plus its typed JSON, 4.3 KB,
-- became 2.3 KB), because LZ4 can only refer back inside the record. Compressed against an
-- earlier record of the same kind and format, the keys, app names and tenant ids all match and
-- the same body becomes ~0.85 KB (206,425 generated sign-ins): under 40 % of the bytes to write.
-- The first event stored for a (tenant, kind, reader format) gives its uncompressed body as that
-- triple's dictionary; later rows name it in `dict_id` with codec 2 (see src/codec.rs).
-- Dictionaries are never changed or deleted while a row refers to them.

CREATE TABLE dicts (
    id        INTEGER PRIMARY KEY,
    tenant_id INTEGER NOT NULL REFERENCES tenants(id),
    kind      TEXT NOT NULL,
    format    TEXT NOT NULL,
    body      BLOB NOT NULL,
    UNIQUE (tenant_id, kind, format)
);

ALTER TABLE events ADD COLUMN dict_id INTEGER REFERENCES dicts(id);

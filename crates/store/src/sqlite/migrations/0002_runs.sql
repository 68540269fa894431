-- Migration 2: ingest runs and the records they could not read.

CREATE TABLE runs (
    id           INTEGER PRIMARY KEY,
    tenant_id    INTEGER NOT NULL REFERENCES tenants(id),
    started_us   INTEGER NOT NULL,
    finished_us  INTEGER,
    command_line TEXT NOT NULL,
    inputs       TEXT NOT NULL,   -- JSON array of the input paths
    summary      TEXT             -- JSON the pipeline gives finish_run (per-file summaries)
);

CREATE INDEX runs_tenant ON runs (tenant_id, id);

CREATE TABLE rejects (
    id     INTEGER PRIMARY KEY,
    run_id INTEGER NOT NULL REFERENCES runs(id),
    file   TEXT NOT NULL,
    record INTEGER NOT NULL,
    reason TEXT NOT NULL
);

CREATE INDEX rejects_run ON rejects (run_id, id);

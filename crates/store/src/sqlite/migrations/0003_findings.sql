-- Migration 3: what the latest detect run concluded, per tenant.
-- The columns are what filters need; `body` is the whole model::Finding / model::Incident JSON.

CREATE TABLE findings (
    tenant_id   INTEGER NOT NULL REFERENCES tenants(id),
    id          TEXT NOT NULL,
    incident_id TEXT,
    detection   TEXT NOT NULL,
    severity    INTEGER NOT NULL,  -- 0 info, 1 low, 2 medium, 3 high, 4 critical
    user        TEXT,
    time_us     INTEGER NOT NULL,
    body        TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

CREATE INDEX findings_tenant_time ON findings (tenant_id, time_us);

CREATE TABLE incidents (
    tenant_id     INTEGER NOT NULL REFERENCES tenants(id),
    id            TEXT NOT NULL,
    severity      INTEGER NOT NULL,
    user          TEXT,
    first_seen_us INTEGER NOT NULL,
    last_seen_us  INTEGER NOT NULL,
    body          TEXT NOT NULL,
    PRIMARY KEY (tenant_id, id)
);

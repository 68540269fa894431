-- Migration 4, second part: the indexes of the rebuilt events table, built after the keys of
-- existing rows were computed.
CREATE INDEX events_tenant_key       ON events (tenant_id, key);
CREATE INDEX events_tenant_time      ON events (tenant_id, time_us);
CREATE INDEX events_tenant_user_time ON events (tenant_id, user, time_us);
CREATE INDEX events_tenant_kind_time ON events (tenant_id, kind, time_us);

-- Migration 6: bodies without typed JSON.
--
-- From this version an event whose reader format derives its typed content from the raw text
-- alone (normalize::derives_from_raw — Graph sign-ins) is stored with `typed_len = 0`: the body
-- holds the raw record only, and reads re-derive the typed form. No table changes; the version
-- bump makes older builds, which would read such a row as broken typed JSON, refuse the file
-- ("newer than this build") instead.
UPDATE tenants SET id = id WHERE 0;

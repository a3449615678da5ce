-- =============================================================================
-- DeviceFabric / SQLite / 01-Main.sql
--
-- Shared query table for the Orleans ADO.NET providers on SQLite
-- (Microsoft.Data.Sqlite). Follows the Orleans 10.4 ADO.NET provider contract:
-- providers load their SQL with SELECT QueryKey, QueryText FROM OrleansQuery
-- and bind parameters by name.
--
-- Apply before 02-Persistence.sql. Idempotent: safe to run any number of
-- times. Runs as one command text.
-- =============================================================================

CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  TEXT NOT NULL PRIMARY KEY,
    QueryText TEXT NOT NULL
);

-- =============================================================================
-- DeviceFabric / PostgreSQL / 01-Main.sql
--
-- Shared table for every Orleans ADO.NET provider (clustering, persistence,
-- reminders). Follows the Orleans 10.4 ADO.NET provider contract: the providers
-- load their SQL from OrleansQuery (SELECT QueryKey, QueryText FROM OrleansQuery)
-- and bind parameters by name, so table, column and key names are fixed.
--
-- Apply first, before 02-Clustering, 03-Persistence and 04-Reminders.
-- Idempotent: safe to run any number of times. Runs as one command text.
-- =============================================================================

-- Serialise concurrent bootstraps (two silos starting at once). The lock is
-- transaction scoped and is released when the command text completes.
DO $lock$ BEGIN PERFORM pg_advisory_xact_lock(1330793550); END $lock$;

-- One row per operational query. Orleans only ever issues the statements
-- stored here (plus the SELECT that reads this table).
CREATE TABLE IF NOT EXISTS OrleansQuery
(
    QueryKey  varchar(64)   NOT NULL,
    QueryText varchar(8000) NOT NULL,

    CONSTRAINT OrleansQuery_Key PRIMARY KEY (QueryKey)
);

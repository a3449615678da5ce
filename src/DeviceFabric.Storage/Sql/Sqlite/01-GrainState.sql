-- =============================================================================
-- DeviceFabric / SQLite / 01-GrainState.sql
--
-- Grain state of the single node, written by DeviceFabric's own SQLite grain
-- storage (Storage/Sqlite), which commits many grains' writes in one
-- transaction. One row per grain state: Id = '{stateName}|{grainId}', Version
-- starts at 1 and grows by one per write (it is the state's ETag), Payload is
-- the Orleans-serialized state.
--
-- Idempotent: safe to run any number of times. Runs as one command text.
-- =============================================================================

CREATE TABLE IF NOT EXISTS GrainState
(
    Id      TEXT    NOT NULL PRIMARY KEY,
    Version INTEGER NOT NULL,
    Payload BLOB    NOT NULL
) WITHOUT ROWID;

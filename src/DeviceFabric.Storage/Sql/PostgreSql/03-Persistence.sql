-- =============================================================================
-- DeviceFabric / PostgreSQL / 03-Persistence.sql
--
-- Grain state storage for Microsoft.Orleans.Persistence.AdoNet. Follows the
-- Orleans 10.4 ADO.NET provider contract: binary payloads only (the 10.x
-- provider serialises state itself and binds @PayloadBinary), integer
-- versions used as ETags.
--
-- Requires 01-Main.sql. Idempotent: safe to run any number of times.
-- Runs as one command text.
--
-- Query keys written here:
--   WriteToStorageKey, ReadFromStorageKey, ClearStorageKey (required),
--   DeleteStorageKey (optional, only used with DeleteStateOnClear = true)
--
-- Version protocol expected by the provider: a write or clear returns the new
-- version as the single column NewGrainStateVersion. Returning the version the
-- caller sent, or no row at all, is reported as an InconsistentStateException.
-- =============================================================================

DO $lock$ BEGIN PERFORM pg_advisory_xact_lock(1330793550); END $lock$;

-- A grain is identified by (GrainIdHash, GrainTypeHash) for index lookups and
-- by the clear-text columns to resolve hash collisions. There is deliberately
-- no wide primary key.
CREATE TABLE IF NOT EXISTS OrleansStorage
(
    grainidhash            integer                     NOT NULL,
    grainidn0              bigint                      NOT NULL,
    grainidn1              bigint                      NOT NULL,
    graintypehash          integer                     NOT NULL,
    graintypestring        character varying(512)      NOT NULL,
    grainidextensionstring character varying(512)      NULL,
    serviceid              character varying(150)      NOT NULL,
    payloadbinary          bytea                       NULL,
    modifiedon             timestamp without time zone NOT NULL,
    version                integer                     NULL
);

CREATE INDEX IF NOT EXISTS ix_orleansstorage
    ON OrleansStorage USING btree (grainidhash, graintypehash);

-- Insert (when _grainstateversion is NULL, i.e. nothing was read before) or
-- optimistic update (when the stored version equals _grainstateversion).
-- Returns one row with the new version, or with the unchanged input version
-- when nothing was written.
CREATE OR REPLACE FUNCTION writetostorage(
    _grainidhash            integer,
    _grainidn0              bigint,
    _grainidn1              bigint,
    _graintypehash          integer,
    _graintypestring        character varying,
    _grainidextensionstring character varying,
    _serviceid              character varying,
    _grainstateversion      integer,
    _payloadbinary          bytea)
RETURNS TABLE (newgrainstateversion integer)
LANGUAGE plpgsql
AS $func$
DECLARE
    _newGrainStateVersion integer := _grainstateversion;
    RowCountVar           integer := 0;
BEGIN
    IF _grainstateversion IS NOT NULL THEN
        UPDATE OrleansStorage
        SET    payloadbinary = _payloadbinary,
               modifiedon    = (now() at time zone 'utc'),
               version       = version + 1
        WHERE  grainidhash = _grainidhash AND _grainidhash IS NOT NULL
          AND  graintypehash = _graintypehash AND _graintypehash IS NOT NULL
          AND  grainidn0 = _grainidn0 AND _grainidn0 IS NOT NULL
          AND  grainidn1 = _grainidn1 AND _grainidn1 IS NOT NULL
          AND  graintypestring = _graintypestring AND _graintypestring IS NOT NULL
          AND  ((_grainidextensionstring IS NOT NULL AND grainidextensionstring IS NOT NULL
                 AND grainidextensionstring = _grainidextensionstring)
                OR (_grainidextensionstring IS NULL AND grainidextensionstring IS NULL))
          AND  serviceid = _serviceid AND _serviceid IS NOT NULL
          AND  version IS NOT NULL AND version = _grainstateversion;

        GET DIAGNOSTICS RowCountVar = ROW_COUNT;
        IF RowCountVar > 0 THEN
            _newGrainStateVersion := _grainstateversion + 1;
        END IF;
    ELSE
        INSERT INTO OrleansStorage
        (
            grainidhash, grainidn0, grainidn1, graintypehash, graintypestring,
            grainidextensionstring, serviceid, payloadbinary, modifiedon, version
        )
        SELECT
            _grainidhash, _grainidn0, _grainidn1, _graintypehash, _graintypestring,
            _grainidextensionstring, _serviceid, _payloadbinary, (now() at time zone 'utc'), 1
        WHERE NOT EXISTS
        (
            SELECT 1
            FROM   OrleansStorage
            WHERE  grainidhash = _grainidhash AND _grainidhash IS NOT NULL
              AND  graintypehash = _graintypehash AND _graintypehash IS NOT NULL
              AND  grainidn0 = _grainidn0 AND _grainidn0 IS NOT NULL
              AND  grainidn1 = _grainidn1 AND _grainidn1 IS NOT NULL
              AND  graintypestring = _graintypestring AND _graintypestring IS NOT NULL
              AND  ((_grainidextensionstring IS NOT NULL AND grainidextensionstring IS NOT NULL
                     AND grainidextensionstring = _grainidextensionstring)
                    OR (_grainidextensionstring IS NULL AND grainidextensionstring IS NULL))
              AND  serviceid = _serviceid AND _serviceid IS NOT NULL
        );

        GET DIAGNOSTICS RowCountVar = ROW_COUNT;
        IF RowCountVar > 0 THEN
            _newGrainStateVersion := 1;
        END IF;
    END IF;

    RETURN QUERY SELECT _newGrainStateVersion AS NewGrainStateVersion;
END
$func$;

INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'WriteToStorageKey', $q$
    SELECT * FROM writetostorage(
        @GrainIdHash,
        @GrainIdN0,
        @GrainIdN1,
        @GrainTypeHash,
        @GrainTypeString,
        @GrainIdExtensionString,
        @ServiceId,
        @GrainStateVersion,
        @PayloadBinary
    );
$q$
),
(
    -- The provider reads PayloadBinary and Version by name. The middle column
    -- (read time, UTC) is informational.
    'ReadFromStorageKey', $q$
    SELECT
        PayloadBinary,
        (now() at time zone 'utc'),
        Version
    FROM OrleansStorage
    WHERE GrainIdHash = @GrainIdHash AND @GrainIdHash IS NOT NULL
      AND GrainTypeHash = @GrainTypeHash AND @GrainTypeHash IS NOT NULL
      AND GrainIdN0 = @GrainIdN0 AND @GrainIdN0 IS NOT NULL
      AND GrainIdN1 = @GrainIdN1 AND @GrainIdN1 IS NOT NULL
      AND GrainTypeString = @GrainTypeString AND @GrainTypeString IS NOT NULL
      AND ((@GrainIdExtensionString IS NOT NULL AND GrainIdExtensionString IS NOT NULL
            AND GrainIdExtensionString = @GrainIdExtensionString)
           OR (@GrainIdExtensionString IS NULL AND GrainIdExtensionString IS NULL))
      AND ServiceId = @ServiceId AND @ServiceId IS NOT NULL;
$q$
),
(
    -- Clear keeps the row, nulls the payload and bumps the version.
    'ClearStorageKey', $q$
    UPDATE OrleansStorage
    SET   PayloadBinary = NULL,
          ModifiedOn    = (now() at time zone 'utc'),
          Version       = Version + 1
    WHERE GrainIdHash = @GrainIdHash AND @GrainIdHash IS NOT NULL
      AND GrainTypeHash = @GrainTypeHash AND @GrainTypeHash IS NOT NULL
      AND GrainIdN0 = @GrainIdN0 AND @GrainIdN0 IS NOT NULL
      AND GrainIdN1 = @GrainIdN1 AND @GrainIdN1 IS NOT NULL
      AND GrainTypeString = @GrainTypeString AND @GrainTypeString IS NOT NULL
      AND ((@GrainIdExtensionString IS NOT NULL AND GrainIdExtensionString IS NOT NULL
            AND GrainIdExtensionString = @GrainIdExtensionString)
           OR (@GrainIdExtensionString IS NULL AND GrainIdExtensionString IS NULL))
      AND ServiceId = @ServiceId AND @ServiceId IS NOT NULL
      AND Version IS NOT NULL AND Version = @GrainStateVersion AND @GrainStateVersion IS NOT NULL
    RETURNING Version AS NewGrainStateVersion;
$q$
),
(
    -- Delete removes the row when the caller holds the current version. The
    -- returned value only has to differ from the version sent, so the old
    -- version plus one is returned. No row means a version conflict.
    'DeleteStorageKey', $q$
    DELETE FROM OrleansStorage
    WHERE GrainIdHash = @GrainIdHash AND @GrainIdHash IS NOT NULL
      AND GrainTypeHash = @GrainTypeHash AND @GrainTypeHash IS NOT NULL
      AND GrainIdN0 = @GrainIdN0 AND @GrainIdN0 IS NOT NULL
      AND GrainIdN1 = @GrainIdN1 AND @GrainIdN1 IS NOT NULL
      AND GrainTypeString = @GrainTypeString AND @GrainTypeString IS NOT NULL
      AND ((@GrainIdExtensionString IS NOT NULL AND GrainIdExtensionString IS NOT NULL
            AND GrainIdExtensionString = @GrainIdExtensionString)
           OR (@GrainIdExtensionString IS NULL AND GrainIdExtensionString IS NULL))
      AND ServiceId = @ServiceId AND @ServiceId IS NOT NULL
      AND Version IS NOT NULL AND Version = @GrainStateVersion AND @GrainStateVersion IS NOT NULL
    RETURNING Version + 1 AS NewGrainStateVersion;
$q$
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

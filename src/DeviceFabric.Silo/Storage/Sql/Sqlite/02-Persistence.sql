-- =============================================================================
-- DeviceFabric / SQLite / 02-Persistence.sql
--
-- Grain state storage for Microsoft.Orleans.Persistence.AdoNet on SQLite
-- (Microsoft.Data.Sqlite). Follows the Orleans 10.4 ADO.NET provider contract:
-- binary payloads bound as @PayloadBinary, integer versions used as ETags,
-- write and clear return the new version as NewGrainStateVersion.
--
-- Requires 01-Main.sql. Idempotent: safe to run any number of times.
-- Runs as one command text.
--
-- Query keys written here:
--   WriteToStorageKey, ReadFromStorageKey, ClearStorageKey (required),
--   DeleteStorageKey (optional, only used with DeleteStateOnClear = true)
-- =============================================================================

-- A grain is found through the narrow (GrainIdHash, GrainTypeHash) index,
-- hash collisions are resolved with the clear-text columns.
CREATE TABLE IF NOT EXISTS OrleansStorage
(
    GrainIdHash            INT           NOT NULL,
    GrainIdN0              BIGINT        NOT NULL,
    GrainIdN1              BIGINT        NOT NULL,
    GrainTypeHash          INT           NOT NULL,
    GrainTypeString        NVARCHAR(512) NOT NULL,
    GrainIdExtensionString NVARCHAR(512) NULL,
    ServiceId              NVARCHAR(150) NOT NULL,
    PayloadBinary          BLOB          NULL,
    ModifiedOn             DATETIME      NOT NULL,
    Version                INT           NULL
);

CREATE INDEX IF NOT EXISTS IX_OrleansStorage ON OrleansStorage (GrainIdHash, GrainTypeHash);

-- WriteToStorageKey
--   Update when the stored version equals @GrainStateVersion, insert when
--   @GrainStateVersion is NULL and no row exists yet. Both happen inside one
--   INSERT statement (through a connection-local TEMP trigger) so the outcome
--   is atomic and can be reported without an explicit transaction, which the
--   provider does not expect a stored query to open.
--   Result: NewGrainStateVersion = new version on success, the unchanged
--   @GrainStateVersion when the optimistic update did not apply, no row when
--   a first insert lost against an existing row.
--   TEMP objects live as long as the (pooled) connection: change the _df1
--   suffix on both names whenever the trigger body changes.
--
-- ReadFromStorageKey
--   Returns PayloadBinary and Version (read by name).
--
-- ClearStorageKey
--   Keeps the row, nulls the payload and bumps the version.
--
-- DeleteStorageKey
--   Removes the row when the caller holds the current version and returns the
--   old version plus one (any value different from the version sent means
--   success). No row means a version conflict.
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'WriteToStorageKey', '
    CREATE TEMP TABLE IF NOT EXISTS OrleansStorageWriteRequest_df1
    (
        GrainIdHash            INT           NOT NULL,
        GrainIdN0              BIGINT        NOT NULL,
        GrainIdN1              BIGINT        NOT NULL,
        GrainTypeHash          INT           NOT NULL,
        GrainTypeString        NVARCHAR(512) NOT NULL,
        GrainIdExtensionString NVARCHAR(512) NULL,
        ServiceId              NVARCHAR(150) NOT NULL,
        PayloadBinary          BLOB          NULL,
        GrainStateVersion      INT           NULL,
        Applied                INT           NOT NULL DEFAULT 0
    );

    CREATE TEMP TRIGGER IF NOT EXISTS OrleansStorageWriteApply_df1
    AFTER INSERT ON OrleansStorageWriteRequest_df1
    BEGIN
        UPDATE OrleansStorage
        SET    PayloadBinary = NEW.PayloadBinary,
               ModifiedOn    = datetime(''now''),
               Version       = Version + 1
        WHERE  GrainIdHash = NEW.GrainIdHash
          AND  GrainTypeHash = NEW.GrainTypeHash
          AND  GrainIdN0 = NEW.GrainIdN0
          AND  GrainIdN1 = NEW.GrainIdN1
          AND  GrainTypeString = NEW.GrainTypeString
          AND  (GrainIdExtensionString = NEW.GrainIdExtensionString
                OR (GrainIdExtensionString IS NULL AND NEW.GrainIdExtensionString IS NULL))
          AND  ServiceId = NEW.ServiceId
          AND  Version = NEW.GrainStateVersion;

        UPDATE OrleansStorageWriteRequest_df1 SET Applied = changes() WHERE rowid = NEW.rowid;

        INSERT INTO OrleansStorage
            (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
             GrainIdExtensionString, ServiceId, PayloadBinary, ModifiedOn, Version)
        SELECT NEW.GrainIdHash, NEW.GrainIdN0, NEW.GrainIdN1, NEW.GrainTypeHash, NEW.GrainTypeString,
               NEW.GrainIdExtensionString, NEW.ServiceId, NEW.PayloadBinary, datetime(''now''), 1
        WHERE  NEW.GrainStateVersion IS NULL
          AND  NOT EXISTS
               (
                   SELECT 1 FROM OrleansStorage
                   WHERE  GrainIdHash = NEW.GrainIdHash
                     AND  GrainTypeHash = NEW.GrainTypeHash
                     AND  GrainIdN0 = NEW.GrainIdN0
                     AND  GrainIdN1 = NEW.GrainIdN1
                     AND  GrainTypeString = NEW.GrainTypeString
                     AND  (GrainIdExtensionString = NEW.GrainIdExtensionString
                           OR (GrainIdExtensionString IS NULL AND NEW.GrainIdExtensionString IS NULL))
                     AND  ServiceId = NEW.ServiceId
               );

        UPDATE OrleansStorageWriteRequest_df1
        SET    Applied = Applied + changes(),
               PayloadBinary = NULL
        WHERE  rowid = NEW.rowid;
    END;

    DELETE FROM OrleansStorageWriteRequest_df1;

    INSERT INTO OrleansStorageWriteRequest_df1
        (GrainIdHash, GrainIdN0, GrainIdN1, GrainTypeHash, GrainTypeString,
         GrainIdExtensionString, ServiceId, PayloadBinary, GrainStateVersion)
    VALUES
        (@GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
         @GrainIdExtensionString, @ServiceId, @PayloadBinary, @GrainStateVersion);

    SELECT CASE WHEN Applied > 0 THEN COALESCE(@GrainStateVersion + 1, 1)
                ELSE @GrainStateVersion
           END AS NewGrainStateVersion
    FROM   OrleansStorageWriteRequest_df1
    WHERE  Applied > 0 OR @GrainStateVersion IS NOT NULL;
'
),
(
    'ReadFromStorageKey', '
    SELECT
        PayloadBinary,
        Version AS Version
    FROM OrleansStorage
    WHERE GrainIdHash = @GrainIdHash
      AND GrainTypeHash = @GrainTypeHash
      AND GrainIdN0 = @GrainIdN0
      AND GrainIdN1 = @GrainIdN1
      AND GrainTypeString = @GrainTypeString
      AND (GrainIdExtensionString = @GrainIdExtensionString
           OR (GrainIdExtensionString IS NULL AND @GrainIdExtensionString IS NULL))
      AND ServiceId = @ServiceId
    LIMIT 1;
'
),
(
    'ClearStorageKey', '
    UPDATE OrleansStorage
    SET   PayloadBinary = NULL,
          ModifiedOn    = datetime(''now''),
          Version       = Version + 1
    WHERE GrainIdHash = @GrainIdHash
      AND GrainTypeHash = @GrainTypeHash
      AND GrainIdN0 = @GrainIdN0
      AND GrainIdN1 = @GrainIdN1
      AND GrainTypeString = @GrainTypeString
      AND (GrainIdExtensionString = @GrainIdExtensionString
           OR (GrainIdExtensionString IS NULL AND @GrainIdExtensionString IS NULL))
      AND ServiceId = @ServiceId
      AND Version = @GrainStateVersion;

    SELECT CASE WHEN changes() > 0 THEN @GrainStateVersion + 1
                ELSE @GrainStateVersion
           END AS NewGrainStateVersion
    WHERE  changes() > 0 OR @GrainStateVersion IS NOT NULL;
'
),
(
    'DeleteStorageKey', '
    DELETE FROM OrleansStorage
    WHERE GrainIdHash = @GrainIdHash
      AND GrainTypeHash = @GrainTypeHash
      AND GrainIdN0 = @GrainIdN0
      AND GrainIdN1 = @GrainIdN1
      AND GrainTypeString = @GrainTypeString
      AND (GrainIdExtensionString = @GrainIdExtensionString
           OR (GrainIdExtensionString IS NULL AND @GrainIdExtensionString IS NULL))
      AND ServiceId = @ServiceId
      AND Version = @GrainStateVersion;

    SELECT @GrainStateVersion + 1 AS NewGrainStateVersion
    WHERE  changes() > 0;
'
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = excluded.QueryText;

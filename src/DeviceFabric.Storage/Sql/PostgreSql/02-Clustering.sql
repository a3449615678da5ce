-- =============================================================================
-- DeviceFabric / PostgreSQL / 02-Clustering.sql
--
-- Membership (clustering) tables, routines and queries for
-- Microsoft.Orleans.Clustering.AdoNet. Follows the Orleans 10.4 ADO.NET
-- provider contract (extended membership protocol with atomic version
-- checks and captured-value pruning of Dead silo rows).
--
-- Requires 01-Main.sql. Idempotent: safe to run any number of times.
-- Runs as one command text.
--
-- Query keys written here:
--   UpdateIAmAlivetimeKey, InsertMembershipVersionKey, InsertMembershipKey,
--   UpdateMembershipKey, MembershipReadRowKey, MembershipReadAllKey,
--   DeleteMembershipTableEntriesKey, GatewaysQueryKey,
--   CleanupDefunctSiloEntriesKey (required),
--   CleanupDefunctSiloEntryKey (optional, preferred by the provider when present)
--
-- SiloStatus values used below: 3 = Active, 6 = Dead.
-- =============================================================================

DO $lock$ BEGIN PERFORM pg_advisory_xact_lock(1330793550); END $lock$;

-- One row per cluster (DeploymentId = ClusterId). Version is the table ETag
-- and is bumped by every successful membership write.
CREATE TABLE IF NOT EXISTS OrleansMembershipVersionTable
(
    DeploymentId varchar(150)   NOT NULL,
    Timestamp    timestamptz(3) NOT NULL DEFAULT now(),
    Version      integer        NOT NULL DEFAULT 0,

    CONSTRAINT PK_OrleansMembershipVersionTable_DeploymentId PRIMARY KEY (DeploymentId)
);

-- One row per silo instance (address, port and generation).
CREATE TABLE IF NOT EXISTS OrleansMembershipTable
(
    DeploymentId varchar(150)   NOT NULL,
    Address      varchar(45)    NOT NULL,
    Port         integer        NOT NULL,
    Generation   integer        NOT NULL,
    SiloName     varchar(150)   NOT NULL,
    HostName     varchar(150)   NOT NULL,
    Status       integer        NOT NULL,
    ProxyPort    integer        NULL,
    SuspectTimes varchar(8000)  NULL,
    StartTime    timestamptz(3) NOT NULL,
    IAmAliveTime timestamptz(3) NOT NULL,

    CONSTRAINT PK_MembershipTable_DeploymentId PRIMARY KEY (DeploymentId, Address, Port, Generation),
    CONSTRAINT FK_MembershipTable_MembershipVersionTable_DeploymentId
        FOREIGN KEY (DeploymentId) REFERENCES OrleansMembershipVersionTable (DeploymentId)
);

-- -----------------------------------------------------------------------------
-- Routines. Names, argument names and result columns are kept identical to the
-- upstream Orleans scripts so that CREATE OR REPLACE also works on databases
-- that were originally created with those scripts.
-- -----------------------------------------------------------------------------

-- Heartbeat. Orleans neither expects this to fail nor reads a result.
CREATE OR REPLACE FUNCTION update_i_am_alive_time(
    deployment_id   OrleansMembershipTable.DeploymentId%TYPE,
    address_arg     OrleansMembershipTable.Address%TYPE,
    port_arg        OrleansMembershipTable.Port%TYPE,
    generation_arg  OrleansMembershipTable.Generation%TYPE,
    i_am_alive_time OrleansMembershipTable.IAmAliveTime%TYPE)
RETURNS void
LANGUAGE plpgsql
AS $func$
BEGIN
    UPDATE OrleansMembershipTable AS m
    SET    IAmAliveTime = i_am_alive_time
    WHERE  m.DeploymentId = deployment_id
      AND  m.Address      = address_arg
      AND  m.Port         = port_arg
      AND  m.Generation   = generation_arg;
END
$func$;

-- Creates the version row of a cluster if it is missing.
-- Returns one row: 1 when the row was created, 0 when it already existed.
CREATE OR REPLACE FUNCTION insert_membership_version(
    DeploymentIdArg OrleansMembershipTable.DeploymentId%TYPE)
RETURNS TABLE (row_count integer)
LANGUAGE plpgsql
AS $func$
DECLARE
    RowCountVar int := 0;
BEGIN
    BEGIN
        INSERT INTO OrleansMembershipVersionTable (DeploymentId)
        SELECT DeploymentIdArg
        ON CONFLICT (DeploymentId) DO NOTHING;

        GET DIAGNOSTICS RowCountVar = ROW_COUNT;

        IF RowCountVar = 0 THEN
            RAISE EXCEPTION 'no rows affected, rollback' USING ERRCODE = 'assert_failure';
        END IF;

        RETURN QUERY SELECT RowCountVar;
    EXCEPTION
        WHEN assert_failure THEN
            RETURN QUERY SELECT RowCountVar;
    END;
END
$func$;

-- Inserts a silo row, but only if the caller still holds the current table
-- version (optimistic concurrency). The version bump and the insert succeed or
-- fail together. Returns one row: 1 on success, 0 otherwise.
CREATE OR REPLACE FUNCTION insert_membership(
    DeploymentIdArg OrleansMembershipTable.DeploymentId%TYPE,
    AddressArg      OrleansMembershipTable.Address%TYPE,
    PortArg         OrleansMembershipTable.Port%TYPE,
    GenerationArg   OrleansMembershipTable.Generation%TYPE,
    SiloNameArg     OrleansMembershipTable.SiloName%TYPE,
    HostNameArg     OrleansMembershipTable.HostName%TYPE,
    StatusArg       OrleansMembershipTable.Status%TYPE,
    ProxyPortArg    OrleansMembershipTable.ProxyPort%TYPE,
    StartTimeArg    OrleansMembershipTable.StartTime%TYPE,
    IAmAliveTimeArg OrleansMembershipTable.IAmAliveTime%TYPE,
    VersionArg      OrleansMembershipVersionTable.Version%TYPE)
RETURNS TABLE (row_count integer)
LANGUAGE plpgsql
AS $func$
DECLARE
    RowCountVar int := 0;
BEGIN
    BEGIN
        UPDATE OrleansMembershipVersionTable
        SET    Timestamp = now(),
               Version   = Version + 1
        WHERE  DeploymentId = DeploymentIdArg AND DeploymentIdArg IS NOT NULL
          AND  Version = VersionArg AND VersionArg IS NOT NULL
          AND  Version < 2147483647;

        GET DIAGNOSTICS RowCountVar = ROW_COUNT;

        INSERT INTO OrleansMembershipTable
        (
            DeploymentId, Address, Port, Generation, SiloName, HostName,
            Status, ProxyPort, StartTime, IAmAliveTime
        )
        SELECT
            DeploymentIdArg, AddressArg, PortArg, GenerationArg, SiloNameArg, HostNameArg,
            StatusArg, ProxyPortArg, StartTimeArg, IAmAliveTimeArg
        WHERE RowCountVar > 0
        ON CONFLICT (DeploymentId, Address, Port, Generation) DO NOTHING;

        GET DIAGNOSTICS RowCountVar = ROW_COUNT;

        IF RowCountVar = 0 THEN
            RAISE EXCEPTION 'no rows affected, rollback' USING ERRCODE = 'assert_failure';
        END IF;

        RETURN QUERY SELECT RowCountVar;
    EXCEPTION
        WHEN assert_failure THEN
            RETURN QUERY SELECT RowCountVar;
    END;
END
$func$;

-- Updates a silo row under the same optimistic version check as above.
-- Returns one row: 1 on success, 0 otherwise.
CREATE OR REPLACE FUNCTION update_membership(
    DeploymentIdArg OrleansMembershipTable.DeploymentId%TYPE,
    AddressArg      OrleansMembershipTable.Address%TYPE,
    PortArg         OrleansMembershipTable.Port%TYPE,
    GenerationArg   OrleansMembershipTable.Generation%TYPE,
    StatusArg       OrleansMembershipTable.Status%TYPE,
    SuspectTimesArg OrleansMembershipTable.SuspectTimes%TYPE,
    IAmAliveTimeArg OrleansMembershipTable.IAmAliveTime%TYPE,
    VersionArg      OrleansMembershipVersionTable.Version%TYPE)
RETURNS TABLE (row_count integer)
LANGUAGE plpgsql
AS $func$
DECLARE
    RowCountVar int := 0;
BEGIN
    BEGIN
        UPDATE OrleansMembershipVersionTable
        SET    Timestamp = now(),
               Version   = Version + 1
        WHERE  DeploymentId = DeploymentIdArg AND DeploymentIdArg IS NOT NULL
          AND  Version = VersionArg AND VersionArg IS NOT NULL
          AND  Version < 2147483647;

        GET DIAGNOSTICS RowCountVar = ROW_COUNT;

        UPDATE OrleansMembershipTable
        SET    Status       = StatusArg,
               SuspectTimes = SuspectTimesArg,
               IAmAliveTime = IAmAliveTimeArg
        WHERE  DeploymentId = DeploymentIdArg AND DeploymentIdArg IS NOT NULL
          AND  Address      = AddressArg      AND AddressArg IS NOT NULL
          AND  Port         = PortArg         AND PortArg IS NOT NULL
          AND  Generation   = GenerationArg   AND GenerationArg IS NOT NULL
          AND  RowCountVar > 0;

        GET DIAGNOSTICS RowCountVar = ROW_COUNT;

        IF RowCountVar = 0 THEN
            RAISE EXCEPTION 'no rows affected, rollback' USING ERRCODE = 'assert_failure';
        END IF;

        RETURN QUERY SELECT RowCountVar;
    EXCEPTION
        WHEN assert_failure THEN
            RETURN QUERY SELECT RowCountVar;
    END;
END
$func$;

-- -----------------------------------------------------------------------------
-- Operational queries (upserted, so a re-run refreshes the text).
-- Parameters are bound by name by the provider.
-- -----------------------------------------------------------------------------
INSERT INTO OrleansQuery (QueryKey, QueryText)
VALUES
(
    'UpdateIAmAlivetimeKey', $q$
    SELECT * FROM update_i_am_alive_time(
        @DeploymentId,
        @Address,
        @Port,
        @Generation,
        @IAmAliveTime
    );
$q$
),
(
    'InsertMembershipVersionKey', $q$
    SELECT * FROM insert_membership_version(
        @DeploymentId
    );
$q$
),
(
    'InsertMembershipKey', $q$
    SELECT * FROM insert_membership(
        @DeploymentId,
        @Address,
        @Port,
        @Generation,
        @SiloName,
        @HostName,
        @Status,
        @ProxyPort,
        @StartTime,
        @IAmAliveTime,
        @Version
    );
$q$
),
(
    'UpdateMembershipKey', $q$
    SELECT * FROM update_membership(
        @DeploymentId,
        @Address,
        @Port,
        @Generation,
        @Status,
        @SuspectTimes,
        @IAmAliveTime,
        @Version
    );
$q$
),
(
    -- The LEFT JOIN returns the version row even when the silo row is absent.
    'MembershipReadRowKey', $q$
    SELECT
        v.DeploymentId,
        m.Address,
        m.Port,
        m.Generation,
        m.SiloName,
        m.HostName,
        m.Status,
        m.ProxyPort,
        m.SuspectTimes,
        m.StartTime,
        m.IAmAliveTime,
        v.Version
    FROM OrleansMembershipVersionTable v
    LEFT OUTER JOIN OrleansMembershipTable m
        ON  v.DeploymentId = m.DeploymentId
        AND m.Address = @Address       AND @Address IS NOT NULL
        AND m.Port = @Port             AND @Port IS NOT NULL
        AND m.Generation = @Generation AND @Generation IS NOT NULL
    WHERE v.DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL;
$q$
),
(
    'MembershipReadAllKey', $q$
    SELECT
        v.DeploymentId,
        m.Address,
        m.Port,
        m.Generation,
        m.SiloName,
        m.HostName,
        m.Status,
        m.ProxyPort,
        m.SuspectTimes,
        m.StartTime,
        m.IAmAliveTime,
        v.Version
    FROM OrleansMembershipVersionTable v
    LEFT OUTER JOIN OrleansMembershipTable m
        ON v.DeploymentId = m.DeploymentId
    WHERE v.DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL;
$q$
),
(
    'DeleteMembershipTableEntriesKey', $q$
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL;
    DELETE FROM OrleansMembershipVersionTable
    WHERE DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL;
$q$
),
(
    -- Gateways: silos in the requested status (the provider passes Active) that
    -- expose a proxy (gateway) port.
    'GatewaysQueryKey', $q$
    SELECT
        Address,
        ProxyPort,
        Generation
    FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL
      AND Status = @Status AND @Status IS NOT NULL
      AND ProxyPort > 0;
$q$
),
(
    -- Bulk pruning, used only when CleanupDefunctSiloEntryKey is absent.
    -- Removes Dead rows whose activity and start predate the cutoff and that
    -- carry no suspicion votes.
    'CleanupDefunctSiloEntriesKey', $q$
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL
      AND IAmAliveTime < @IAmAliveTime
      AND StartTime < @IAmAliveTime
      AND COALESCE(SuspectTimes, '') = ''
      AND Status = 6;
$q$
),
(
    -- Per-row pruning. The provider reads the table, picks eligible Dead rows
    -- and deletes each one only if it still holds exactly the values it read.
    'CleanupDefunctSiloEntryKey', $q$
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId
      AND Status = 6
      AND Address = @Address
      AND Port = @Port
      AND Generation = @Generation
      AND IAmAliveTime = @IAmAliveTime
      AND StartTime = @StartTime
      AND COALESCE(SuspectTimes, '') = COALESCE(@SuspectTimes, '');
$q$
)
ON CONFLICT (QueryKey) DO UPDATE SET QueryText = EXCLUDED.QueryText;

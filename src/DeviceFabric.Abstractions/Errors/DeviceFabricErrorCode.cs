namespace DeviceFabric;

/// <summary>
/// The one error vocabulary of the fabric. Each value is IoT Hub's numeric code: the HTTP status times 1000 plus a
/// detail, so <c>code / 1000</c> is the status every edge (REST, MQTT, SDK) translates it to.
/// </summary>
public enum DeviceFabricErrorCode
{
    /// <summary>A request argument is missing, malformed or out of range (400).</summary>
    ArgumentInvalid = 400004,

    /// <summary>A digital twin or relationship breaks its model (400).</summary>
    ValidationFailed = 400301,

    /// <summary>A JSON Patch document that is not one, or whose operations cannot apply (400).</summary>
    JsonPatchInvalid = 400302,

    /// <summary>The twin's model has no such relationship, or its target is not of the model it names (400).</summary>
    InvalidRelationship = 400303,

    /// <summary>A twin with relationships cannot be deleted until they are (400).</summary>
    RelationshipsNotDeleted = 400304,

    /// <summary>The model is decommissioned: no new twin may use it (400).</summary>
    ModelDecommissioned = 400305,

    /// <summary>The operation is not allowed (a twin related to itself, say) (400).</summary>
    OperationNotAllowed = 400306,

    /// <summary>A digital twins query that does not parse (400; Azure Digital Twins' code).</summary>
    SqlQueryError = 400308,

    /// <summary>A DTDL model that does not parse, or references what does not exist (400; ADT writes it DTDLParserError).</summary>
    DtdlParserError = 400307,

    /// <summary>An import or export names a file or folder the fabric will not read or write (400).</summary>
    BlobContainerValidationError = 400008,

    /// <summary>A line of an import file is not a device IoT Hub's import format describes (400).</summary>
    DeserializationError = 400012,

    /// <summary>Another import, export or migration of the hub is still running: one at a time (403).</summary>
    JobQuotaExceeded = 403003,

    /// <summary>A device id does not follow IoT Hub's character and length rules (400).</summary>
    DeviceIdInvalid = 400005,

    /// <summary>The request body is not valid JSON, is too deep or too large (400).</summary>
    MalformedBody = 400006,

    /// <summary>The caller's token is missing, forged, expired or lacks the right the operation needs (401).</summary>
    IotHubUnauthorizedAccess = 401002,

    /// <summary>The device's cloud-to-device queue already holds its maximum of messages (403).</summary>
    DeviceMaximumQueueDepthExceeded = 403004,

    /// <summary>The device does not exist (404).</summary>
    DeviceNotFound = 404001,

    /// <summary>The module does not exist on the device (404).</summary>
    ModuleNotFound = 404010,

    /// <summary>The automatic device configuration or IoT Edge deployment does not exist (404).</summary>
    ConfigurationNotFound = 404014,

    /// <summary>The hub has no imported update of that provider, name and version (404).</summary>
    UpdateNotFound = 404015,

    /// <summary>No digital twin of that id (404; Azure Digital Twins' code).</summary>
    DigitalTwinNotFound = 404301,

    /// <summary>No model of that id (404).</summary>
    ModelNotFound = 404302,

    /// <summary>The twin has no relationship of that id (404).</summary>
    RelationshipNotFound = 404303,

    /// <summary>The twin has no component of that name (404).</summary>
    ComponentNotFound = 404304,

    /// <summary>A relationship's target twin does not exist (404).</summary>
    TargetTwinNotFound = 404305,

    /// <summary>The group has no update deployment of that id (404).</summary>
    UpdateDeploymentNotFound = 404016,

    /// <summary>No device with the Device Update agent is in that group, nor has it a deployment (404).</summary>
    UpdateGroupNotFound = 404017,

    /// <summary>The job does not exist (404).</summary>
    JobNotFound = 404002,

    /// <summary>The provisioning service has no registration record of that id (404).</summary>
    DeviceRegistrationNotFound = 404201,

    /// <summary>The provisioning service has no enrollment or enrollment group of that id (404).</summary>
    EnrollmentNotFound = 404202,

    /// <summary>The hub has no shared access policy of that name (404; the fabric's own code).</summary>
    PolicyNotFound = 404013,

    /// <summary>The hub has no CA certificate of that name, or no revocation entry of that key (404; the fabric's own code).</summary>
    CertificateNotFound = 404011,

    /// <summary>The hub has no alert rule of that id (404; the fabric's own code).</summary>
    AlertRuleNotFound = 404012,

    /// <summary>The device is not connected (or not subscribed to direct methods) within the connect timeout (404).</summary>
    DeviceNotOnline = 404103,

    /// <summary>A device with that id already exists (409).</summary>
    DeviceAlreadyExists = 409001,

    /// <summary>The device already has a module of that id (409).</summary>
    ModuleAlreadyExistsOnDevice = 409301,

    /// <summary>A configuration of that id already exists (409).</summary>
    ConfigurationAlreadyExists = 409302,

    /// <summary>An update of that provider, name and version is already imported (409).</summary>
    UpdateAlreadyExists = 409303,

    /// <summary>A model of that id is already uploaded (409).</summary>
    ModelAlreadyExists = 409401,

    /// <summary>The twin already has a relationship of that id (409).</summary>
    RelationshipAlreadyExists = 409402,

    /// <summary>Twins or other models still use the model (409).</summary>
    ModelReferencesNotDeleted = 409403,

    /// <summary>A deployment of that id exists in the group with other settings (409).</summary>
    UpdateDeploymentAlreadyExists = 409304,

    /// <summary>A job with that id already exists (409; IoT Hub has no detail code for it).</summary>
    JobAlreadyExists = 409000,

    /// <summary>The <c>If-Match</c> etag does not match the current one (412).</summary>
    PreconditionFailed = 412002,

    /// <summary>The device already has the most modules it may have (413).</summary>
    TooManyModulesOnDevice = 413003,

    /// <summary>The hub already has the most configurations it may have (413).</summary>
    TooManyConfigurations = 413004,

    /// <summary>The request is larger than the fabric accepts (413).</summary>
    MessageTooLarge = 413001,

    /// <summary>
    /// A custom allocation webhook failed, timed out or answered with no hub of the enrollment's (424; the fabric's own
    /// code, as DPS documents none): the registration is recorded as failed with it.
    /// </summary>
    CustomAllocationFailed = 424001,

    /// <summary>An unexpected fault inside the fabric (500).</summary>
    ServerError = 500001,

    /// <summary>The fabric is temporarily unable to serve the request; retry (503).</summary>
    ServiceUnavailable = 503001,

    /// <summary>The device did not answer a direct method within its response timeout (504).</summary>
    GatewayTimeout = 504101,
}

namespace DeviceFabric.Mqtt.Transport;

/// <summary>Why the front end closed a connection while reading it, before MQTTnet saw the offending bytes.</summary>
internal enum MqttFrameViolation
{
    /// <summary>The first packet is not a CONNECT.</summary>
    NotConnect,

    /// <summary>A packet announces more bytes than the connection may send (before CONNECT a small limit, after it the message limit).</summary>
    TooLarge,

    /// <summary>A remaining length, a string length or a flag the MQTT specification forbids.</summary>
    Malformed,

    /// <summary>A topic name or filter that is not well-formed UTF-8, holds U+0000, or (in a PUBLISH) a wildcard.</summary>
    InvalidTopic,
}

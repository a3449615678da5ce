using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using DeviceFabric.Contracts.Provisioning;
using Microsoft.Extensions.Options;

namespace DeviceFabric.Provisioning;

/// <summary>
/// Asks an enrollment's custom allocation webhook for a device's hub, as DPS does: a POST of the enrollment (keys left
/// out), the device and the hubs it may go to, answered with the hub and optionally an initial twin and a payload. A
/// failure, a timeout or an answer naming no linked hub fails the registration with
/// <see cref="DeviceFabricErrorCode.CustomAllocationFailed"/>.
/// </summary>
internal sealed class CustomAllocationWebhook(HttpClient http, IOptions<ProvisioningOptions> options)
{
    private const int MaxAnswerBytes = 64 * 1024;

    public async Task<CustomAllocationAnswer> AllocateAsync(
        Enrollment enrollment, string registrationId, string? currentHub, string? currentDeviceId, string? payloadJson, IReadOnlyList<string> linkedHubs)
    {
        var custom = enrollment.CustomAllocation ?? throw Failed("The enrollment has no custom allocation webhook.");
        var request = new CustomAllocationRequestJson
        {
            IndividualEnrollment = enrollment.Kind == EnrollmentKind.Individual ? WithoutKeys(EnrollmentJson.ToIndividual(enrollment, null)) : null,
            EnrollmentGroup = enrollment.Kind == EnrollmentKind.Group ? WithoutKeys(EnrollmentJson.ToGroup(enrollment)) : null,
            DeviceRuntimeContext = new DeviceRuntimeContextJson
            {
                RegistrationId = registrationId,
                CurrentIotHubHostName = currentHub,
                CurrentDeviceId = currentDeviceId,
                SymmetricKey = enrollment.Attestation.Type == AttestationType.SymmetricKey ? [] : null,
                X509 = enrollment.Attestation.Type == AttestationType.X509 ? [] : null,
                Payload = payloadJson is null ? null : JsonNode.Parse(payloadJson),
            },
            LinkedHubs = [.. linkedHubs],
        };

        using var timeout = new CancellationTokenSource(options.Value.CustomAllocationTimeout);
        try
        {
            var url = new UriBuilder(custom.WebhookUrl);
            using var response = await http.PostAsJsonAsync(url.Uri, request, ProvisioningJsonContext.Default.CustomAllocationRequestJson, timeout.Token);
            if (!response.IsSuccessStatusCode)
            {
                throw Failed($"The custom allocation webhook answered {(int)response.StatusCode}.");
            }

            var bytes = await response.Content.ReadAsByteArrayAsync(timeout.Token);
            var answer = bytes.Length <= MaxAnswerBytes
                ? JsonSerializer.Deserialize(bytes, ProvisioningJsonContext.Default.CustomAllocationResponseJson)
                : throw Failed("The custom allocation webhook's answer is over 64 KB.");
            var hub = answer?.IotHubHostName is { } host && linkedHubs.Contains(host, StringComparer.OrdinalIgnoreCase)
                ? host
                : throw Failed("The custom allocation webhook named no hub the enrollment links.");
            return new CustomAllocationAnswer(hub, answer!.InitialTwin?.ToJsonString(), answer.Payload?.ToJsonString());
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            throw Failed($"The custom allocation webhook did not answer within {options.Value.CustomAllocationTimeout.TotalSeconds:0.#} s.");
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException)
        {
            throw Failed("The custom allocation webhook could not be reached or answered something that is not DPS's response: " + ex.Message);
        }
    }

    private static T WithoutKeys<T>(T enrollment)
        where T : class
    {
        switch (enrollment)
        {
            case IndividualEnrollmentJson individual:
                individual.Attestation = new AttestationMechanismJson { Type = individual.Attestation?.Type };
                break;
            case EnrollmentGroupJson group:
                group.Attestation = new AttestationMechanismJson { Type = group.Attestation?.Type };
                break;
            default:
                break;
        }

        return enrollment;
    }

    private static DeviceFabricException Failed(string message) => new(DeviceFabricErrorCode.CustomAllocationFailed, message);
}

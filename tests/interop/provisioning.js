// Interop test: the unmodified npm DPS SDKs against DeviceFabric's provisioning service. The service SDK
// (azure-iot-provisioning-service) writes a symmetric-key enrollment group and an individual enrollment; the device SDK
// (azure-iot-provisioning-device + -mqtt + azure-iot-security-symmetric-key) registers a device of each; the hub device
// SDK then connects to the assigned hub with the device's key and sends telemetry.
// Run from the repo root with:
//   DPS_CONNECTION_STRING  the provisioning service's owner connection string (service on https://localhost:443)
//   DPS_ID_SCOPE           the ID scope
//   MQTT_HOST              localhost:<MQTT TLS port>, the provisioning host and the hub's port
//   NODE_EXTRA_CA_CERTS    the development CA (the DPS transport takes no CA option)
//   GROUP_ID, INDIVIDUAL_ID  ids to use
'use strict';

const assert = require('assert');
const crypto = require('crypto');
const fs = require('fs');
const { ProvisioningServiceClient } = require('azure-iot-provisioning-service');
const { ProvisioningDeviceClient } = require('azure-iot-provisioning-device');
const { Mqtt: ProvisioningTransport } = require('azure-iot-provisioning-device-mqtt');
const { SymmetricKeySecurityClient } = require('azure-iot-security-symmetric-key');
const { Client, Message } = require('azure-iot-device');
const { Mqtt } = require('azure-iot-device-mqtt');
const { startTimeout, step, done, run } = require('./lib');

const host = process.env.MQTT_HOST;
const port = host.split(':')[1];
const idScope = process.env.DPS_ID_SCOPE;

function register(registrationId, key) {
  const client = ProvisioningDeviceClient.create(host, idScope, new ProvisioningTransport(), new SymmetricKeySecurityClient(registrationId, key));
  return client.register();
}

function derive(groupKey, registrationId) {
  return crypto.createHmac('SHA256', Buffer.from(groupKey, 'base64')).update(registrationId, 'utf8').digest('base64');
}

run(async () => {
  startTimeout(60000);
  const service = ProvisioningServiceClient.fromConnectionString(process.env.DPS_CONNECTION_STRING);
  const groupId = process.env.GROUP_ID;
  const individualId = process.env.INDIVIDUAL_ID;
  const memberId = `${groupId}-member`;

  const group = await step('createOrUpdateEnrollmentGroup generates the group keys', async () => {
    const { responseBody } = await service.createOrUpdateEnrollmentGroup({
      enrollmentGroupId: groupId,
      attestation: { type: 'symmetricKey' },
      provisioningStatus: 'enabled',
      initialTwin: { tags: { fleet: 'node' }, properties: { desired: { interval: 15 } } },
    });
    assert.strictEqual(responseBody.enrollmentGroupId, groupId);
    assert.ok(responseBody.etag);
    return responseBody;
  });

  const memberKey = derive(group.attestation.symmetricKey.primaryKey, memberId);
  const assigned = await step('a group member registers with its derived key', async () => {
    const result = await register(memberId, memberKey);
    assert.strictEqual(result.status, 'assigned');
    assert.strictEqual(result.deviceId, memberId);
    assert.strictEqual(result.registrationState ? result.registrationState.status : 'assigned', 'assigned');
    return result;
  });

  await step('the member connects to its assigned hub, reads its initial twin and sends telemetry', async () => {
    const ca = fs.readFileSync(process.env.NODE_EXTRA_CA_CERTS, 'utf8');
    const device = Client.fromConnectionString(`HostName=${assigned.assignedHub}:${port};DeviceId=${assigned.deviceId};SharedAccessKey=${memberKey}`, Mqtt);
    device.setOptions({ ca });
    await device.open();
    const twin = await device.getTwin();
    assert.strictEqual(twin.properties.desired.interval, 15);
    const message = new Message(JSON.stringify({ provisioned: true }));
    message.messageId = 'provisioned-1';
    await device.sendEvent(message);
    await device.close();
  });

  const individual = await step('createOrUpdateIndividualEnrollment', async () => {
    const { responseBody } = await service.createOrUpdateIndividualEnrollment({ registrationId: individualId, attestation: { type: 'symmetricKey' } });
    return responseBody;
  });

  await step('the individual device registers with its enrollment key', async () => {
    const result = await register(individualId, individual.attestation.symmetricKey.primaryKey);
    assert.strictEqual(result.status, 'assigned');
  });

  await step('getDeviceRegistrationState reads the record', async () => {
    const { responseBody } = await service.getDeviceRegistrationState(individualId);
    assert.strictEqual(responseBody.status, 'assigned');
    assert.strictEqual(responseBody.deviceId, individualId);
  });

  await step('a wrong key is refused', async () => {
    await assert.rejects(() => register(individualId, crypto.randomBytes(32).toString('base64')), (err) => /unauthori|not authori/i.test(`${err.name} ${err.message}`));
  });

  await step('an individual enrollment query lists it', async () => {
    const { responseBody } = await service.createIndividualEnrollmentQuery({ query: '*' }, 100).next();
    assert.ok(responseBody.some((e) => e.registrationId === individualId));
  });

  await step('deleteIndividualEnrollment, then get rejects', async () => {
    await service.deleteIndividualEnrollment(individualId);
    await assert.rejects(() => service.getIndividualEnrollment(individualId));
  });

  done();
});

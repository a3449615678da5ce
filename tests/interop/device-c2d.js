// Interop test: the unmodified npm Azure IoT device SDK receives cloud-to-device messages (client.on('message'))
// sent through the fabric's REST API, with their properties; the SDK completes each one.
// Run from the repo root with DEVICE_CONNECTION_STRING, DEVICEFABRIC_CA, SERVICE_URL and SERVICE_TOKEN set (see lib.js).
'use strict';

const assert = require('assert');
const { startTimeout, step, deviceClient, service, done, run } = require('./lib');

run(async () => {
  startTimeout();
  const { client, ca, deviceId } = deviceClient();
  const send = async (body, headers) => {
    const result = await service(ca, 'POST', `/devices/${encodeURIComponent(deviceId)}/messages/deviceBound`, body, headers);
    assert.strictEqual(result.statusCode, 204, JSON.stringify(result.body));
  };

  const received = [];
  const twoArrived = new Promise((resolve) => {
    client.on('message', (message) => {
      received.push(message);
      client.complete(message, () => {});
      if (received.length === 2) {
        resolve();
      }
    });
  });

  await step('open and listen', () => client.open());
  await step('a message queued while connected', () =>
    send({ command: 'on' }, { 'iothub-messageid': 'node-c2d-1', 'iothub-correlationid': 'c-1', 'iothub-app-room': 'living room', 'iothub-app-path': 'a/b' }));
  await step('another one', () => send({ command: 'off' }, { 'iothub-messageid': 'node-c2d-2' }));

  await step('both received in order with their properties', async () => {
    await twoArrived;
    assert.strictEqual(received[0].messageId, 'node-c2d-1');
    assert.strictEqual(received[0].correlationId, 'c-1');
    assert.deepStrictEqual(JSON.parse(received[0].data.toString()), { command: 'on' });
    const props = {};
    received[0].properties.propertyList.forEach((p) => { props[p.key] = p.value; });
    assert.strictEqual(props.room, 'living room');
    assert.strictEqual(props.path, 'a/b');
    assert.strictEqual(received[1].messageId, 'node-c2d-2');
  });

  await step('close', () => client.close());
  done();
});

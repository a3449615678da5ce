// Interop test: the unmodified npm Azure IoT device SDK receives cloud-to-device messages (client.on('message'))
// sent through the fabric's REST API, with their properties; the SDK completes each one.
//
// Run from the repo root:  node tests/interop/device-c2d.js
// Needs:  DEVICE_CONNECTION_STRING, DEVICEFABRIC_CA, SERVICE_URL, SERVICE_TOKEN (as device-twin.js)
'use strict';

const assert = require('assert');
const fs = require('fs');
const https = require('https');
const { Client } = require('azure-iot-device');
const { Mqtt } = require('azure-iot-device-mqtt');

const timer = setTimeout(() => {
  console.error('not ok - global timeout: did not finish within 30 s');
  process.exit(1);
}, 30000);

async function step(name, fn) {
  try {
    const result = await fn();
    console.log(`ok - ${name}`);
    return result;
  } catch (err) {
    console.error(`not ok - ${name}`);
    console.error(err && err.stack ? err.stack : err);
    process.exit(1);
  }
}

function send(ca, deviceId, body, headers) {
  const url = new URL(`/devices/${encodeURIComponent(deviceId)}/messages/deviceBound?api-version=2021-04-12`, process.env.SERVICE_URL);
  return new Promise((resolve, reject) => {
    const request = https.request(url, {
      method: 'POST',
      ca,
      headers: { Authorization: process.env.SERVICE_TOKEN, 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body), ...headers },
    }, (response) => {
      response.resume();
      response.on('end', () => (response.statusCode === 204 ? resolve() : reject(new Error(`send: ${response.statusCode}`))));
    });
    request.on('error', reject);
    request.end(body);
  });
}

async function main() {
  const connectionString = process.env.DEVICE_CONNECTION_STRING;
  const deviceId = /DeviceId=([^;]+)/.exec(connectionString)[1];
  const ca = fs.readFileSync(process.env.DEVICEFABRIC_CA, 'utf8');
  const client = Client.fromConnectionString(connectionString, Mqtt);
  client.setOptions({ ca });

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
    send(ca, deviceId, JSON.stringify({ command: 'on' }), { 'iothub-messageid': 'node-c2d-1', 'iothub-correlationid': 'c-1', 'iothub-app-room': 'living room', 'iothub-app-path': 'a/b' }));
  await step('another one', () => send(ca, deviceId, JSON.stringify({ command: 'off' }), { 'iothub-messageid': 'node-c2d-2' }));

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
  clearTimeout(timer);
  process.exit(0);
}

main().catch((err) => {
  console.error('not ok - unexpected error');
  console.error(err && err.stack ? err.stack : err);
  process.exit(1);
});

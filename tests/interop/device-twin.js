// Interop test: the unmodified npm Azure IoT device SDK's twin against DeviceFabric: getTwin, reported updates,
// and desired-property notifications caused by a service PATCH /twins/{id} over HTTPS.
//
// Run from the repo root:  node tests/interop/device-twin.js
// Needs:  DEVICE_CONNECTION_STRING=HostName=localhost:<mqtt port>;DeviceId=...;SharedAccessKey=...
//         DEVICEFABRIC_CA=<path of the development CA PEM>
//         SERVICE_URL=https://localhost:<https port>   SERVICE_TOKEN=<SAS token of a policy with ServiceConnect>
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

function patchDesired(ca, deviceId, desired) {
  const url = new URL(`/twins/${encodeURIComponent(deviceId)}?api-version=2021-04-12`, process.env.SERVICE_URL);
  const body = JSON.stringify({ properties: { desired } });
  return new Promise((resolve, reject) => {
    const request = https.request(url, {
      method: 'PATCH',
      ca,
      headers: {
        Authorization: process.env.SERVICE_TOKEN,
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': Buffer.byteLength(body),
        'If-Match': '"*"',
      },
    }, (response) => {
      let text = '';
      response.on('data', (chunk) => { text += chunk; });
      response.on('end', () => (response.statusCode === 200 ? resolve(JSON.parse(text)) : reject(new Error(`${response.statusCode} ${text}`))));
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

  await step('open', () => client.open());
  const twin = await step('getTwin', async () => {
    const t = await client.getTwin();
    assert.strictEqual(t.properties.desired.$version, 1);
    assert.strictEqual(t.properties.reported.$version, 1);
    return t;
  });

  await step('reported update', () => new Promise((resolve, reject) => {
    twin.properties.reported.update({ firmware: { version: '1.0.0' }, battery: 90 }, (err) => (err ? reject(err) : resolve()));
  }));

  const desiredSeen = new Promise((resolve) => {
    twin.on('properties.desired', (delta) => {
      if (delta.interval === 30) {
        resolve(delta);
      }
    });
  });

  await step('service PATCH desired over HTTPS', () => patchDesired(ca, deviceId, { interval: 30, unit: 's' }));
  await step('properties.desired notification', async () => {
    const delta = await desiredSeen;
    assert.strictEqual(delta.unit, 's');
    assert.strictEqual(delta.$version, 2);
  });

  await step('getTwin again sees both sections', async () => {
    const fresh = await client.getTwin();
    assert.strictEqual(fresh.properties.desired.interval, 30);
    assert.strictEqual(fresh.properties.reported.firmware.version, '1.0.0');
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

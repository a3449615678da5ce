// Interop test: the unmodified npm Azure IoT device SDK's onDeviceMethod against DeviceFabric, with the calls made
// through the service REST API (POST /twins/{id}/methods over HTTPS).
//
// Run from the repo root:  node tests/interop/device-methods.js
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

function invoke(ca, deviceId, call) {
  const url = new URL(`/twins/${encodeURIComponent(deviceId)}/methods?api-version=2021-04-12`, process.env.SERVICE_URL);
  const body = JSON.stringify(call);
  return new Promise((resolve, reject) => {
    const request = https.request(url, {
      method: 'POST',
      ca,
      headers: { Authorization: process.env.SERVICE_TOKEN, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) },
    }, (response) => {
      let text = '';
      response.on('data', (chunk) => { text += chunk; });
      response.on('end', () => resolve({ statusCode: response.statusCode, body: JSON.parse(text) }));
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
  await step('onDeviceMethod', async () => {
    client.onDeviceMethod('reboot', (request, response) => {
      response.send(200, { rebooting: true, delay: request.payload.delay }, () => {});
    });
    client.onDeviceMethod('fail', (request, response) => {
      response.send(500, { reason: 'not today' }, () => {});
    });
    // The SDK subscribes to $iothub/methods/POST/# in the background; the service waits for it with connectTimeout.
  });

  await step('service call answered with 200', async () => {
    const result = await invoke(ca, deviceId, { methodName: 'reboot', payload: { delay: 3 }, responseTimeoutInSeconds: 10, connectTimeoutInSeconds: 10 });
    assert.strictEqual(result.statusCode, 200, JSON.stringify(result.body));
    assert.deepStrictEqual(result.body, { status: 200, payload: { rebooting: true, delay: 3 } });
  });

  await step('service call answered with the device error status', async () => {
    const result = await invoke(ca, deviceId, { methodName: 'fail', payload: null, responseTimeoutInSeconds: 10 });
    assert.strictEqual(result.statusCode, 200, JSON.stringify(result.body));
    assert.deepStrictEqual(result.body, { status: 500, payload: { reason: 'not today' } });
  });

  await step('close', () => client.close());
  await step('call to the closed device is 404103', async () => {
    const result = await invoke(ca, deviceId, { methodName: 'reboot', payload: {} });
    assert.strictEqual(result.statusCode, 404);
    assert.match(result.body.Message, /^ErrorCode:DeviceNotOnline;/);
  });

  clearTimeout(timer);
  process.exit(0);
}

main().catch((err) => {
  console.error('not ok - unexpected error');
  console.error(err && err.stack ? err.stack : err);
  process.exit(1);
});

// Interop test: the unmodified npm Azure IoT device SDK's twin against DeviceFabric: getTwin, reported updates,
// and desired-property notifications caused by a service PATCH /twins/{id} over HTTPS.
// Run from the repo root with DEVICE_CONNECTION_STRING, DEVICEFABRIC_CA, SERVICE_URL and SERVICE_TOKEN set (see lib.js).
'use strict';

const assert = require('assert');
const { startTimeout, step, deviceClient, service, done, run } = require('./lib');

run(async () => {
  startTimeout();
  const { client, ca, deviceId } = deviceClient();
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

  await step('service PATCH desired over HTTPS', async () => {
    const result = await service(ca, 'PATCH', `/twins/${encodeURIComponent(deviceId)}`, { properties: { desired: { interval: 30, unit: 's' } } }, { 'If-Match': '"*"' });
    assert.strictEqual(result.statusCode, 200, JSON.stringify(result.body));
  });
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
  done();
});

// Interop test: the unmodified npm Azure IoT device SDK's onDeviceMethod against DeviceFabric, with the calls made
// through the service REST API (POST /twins/{id}/methods over HTTPS).
// Run from the repo root with DEVICE_CONNECTION_STRING, DEVICEFABRIC_CA, SERVICE_URL and SERVICE_TOKEN set (see lib.js).
'use strict';

const assert = require('assert');
const { startTimeout, step, deviceClient, service, done, run } = require('./lib');

run(async () => {
  startTimeout();
  const { client, ca, deviceId } = deviceClient();
  const invoke = (call) => service(ca, 'POST', `/twins/${encodeURIComponent(deviceId)}/methods`, call);

  await step('open', () => client.open());
  await step('onDeviceMethod', () => {
    client.onDeviceMethod('reboot', (request, response) => {
      response.send(200, { rebooting: true, delay: request.payload.delay }, () => {});
    });
    client.onDeviceMethod('fail', (request, response) => {
      response.send(500, { reason: 'not today' }, () => {});
    });
    // The SDK subscribes to $iothub/methods/POST/# in the background; the first call waits for it with connectTimeout.
  });

  await step('service call answered with 200', async () => {
    const result = await invoke({ methodName: 'reboot', payload: { delay: 3 }, responseTimeoutInSeconds: 10, connectTimeoutInSeconds: 10 });
    assert.strictEqual(result.statusCode, 200, JSON.stringify(result.body));
    assert.deepStrictEqual(result.body, { status: 200, payload: { rebooting: true, delay: 3 } });
  });

  await step('service call answered with the device error status', async () => {
    const result = await invoke({ methodName: 'fail', payload: null, responseTimeoutInSeconds: 10 });
    assert.strictEqual(result.statusCode, 200, JSON.stringify(result.body));
    assert.deepStrictEqual(result.body, { status: 500, payload: { reason: 'not today' } });
  });

  await step('close', () => client.close());
  await step('call to the closed device is 404103', async () => {
    const result = await invoke({ methodName: 'reboot', payload: {} });
    assert.strictEqual(result.statusCode, 404);
    assert.match(result.body.Message, /^ErrorCode:DeviceNotOnline;/);
  });
  done();
});

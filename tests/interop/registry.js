// Interop test: the unmodified npm `azure-iothub` service SDK (Registry, HTTPS)
// against a running DeviceFabric server.
//
// Run from the repo root:  node tests/interop/registry.js
// Needs:  DEVICEFABRIC_CONNECTION_STRING=HostName=localhost;SharedAccessKeyName=iothubowner;SharedAccessKey=...
//         NODE_EXTRA_CA_CERTS=<dev CA PEM>  (server on https://localhost:443)
//         `npm ci` already run in tests/interop.
// Prints one "ok - <step>" line per step; on the first failure prints the error
// and exits 1. Never runs longer than GLOBAL_TIMEOUT_MS.
// Set DEBUG=azure-iot-http-base.* to see each request the SDK sends.
'use strict';

const assert = require('assert');
const crypto = require('crypto');
const { Registry } = require('azure-iothub');

const GLOBAL_TIMEOUT_MS = 30000;
const STEP_TIMEOUT_MS = 10000;

const globalTimer = setTimeout(() => {
  console.error(`not ok - global timeout: script did not finish within ${GLOBAL_TIMEOUT_MS} ms`);
  process.exit(1);
}, GLOBAL_TIMEOUT_MS);

process.on('uncaughtException', (err) => {
  console.error('not ok - uncaught exception (thrown inside the SDK?)');
  console.error(describeError(err));
  process.exit(1);
});
process.on('unhandledRejection', (err) => {
  console.error('not ok - unhandled promise rejection');
  console.error(describeError(err));
  process.exit(1);
});

function describeError(err) {
  if (!(err instanceof Error)) return String(err);
  const lines = [`${err.name}: ${err.message}`];
  if (err.response && err.response.statusCode !== undefined) {
    lines.push(`  HTTP status: ${err.response.statusCode} ${err.response.statusMessage || ''}`.trimEnd());
    if (err.response.headers) lines.push(`  response headers: ${JSON.stringify(err.response.headers)}`);
  }
  if (err.responseBody !== undefined) lines.push(`  responseBody: ${err.responseBody}`);
  if (err.code) lines.push(`  code: ${err.code}`);
  if (err.stack) lines.push(err.stack);
  return lines.join('\n');
}

// Rejects if `promise` does not settle within STEP_TIMEOUT_MS.
function withTimeout(name, promise) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`step '${name}' timed out after ${STEP_TIMEOUT_MS} ms`)), STEP_TIMEOUT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function step(name, fn) {
  try {
    await withTimeout(name, Promise.resolve().then(fn));
  } catch (err) {
    err.step = name;
    throw err;
  }
  console.log(`ok - ${name}`);
}

// Asserts that `promise` rejects with an error whose name is `expectedName`.
async function expectRejection(promise, expectedName) {
  let result;
  try {
    result = await promise;
  } catch (err) {
    if (!err || err.name !== expectedName) {
      const e = new assert.AssertionError({
        message: `expected rejection with ${expectedName}, got ${err && err.name}: ${err && err.message}`,
        actual: err && err.name,
        expected: expectedName,
        operator: '===',
      });
      e.responseBody = err && err.responseBody;
      throw e;
    }
    return err;
  }
  assert.fail(`expected rejection with ${expectedName}, but call succeeded: ${JSON.stringify(result && result.responseBody)}`);
}

function assertNonEmptyString(value, what) {
  assert.strictEqual(typeof value, 'string', `${what} should be a string, got ${JSON.stringify(value)}`);
  assert.ok(value.length > 0, `${what} should be non-empty`);
}

function assertBulkSuccess(result, what) {
  const body = result.responseBody;
  assert.ok(body && typeof body === 'object', `${what}: response body should be a JSON object, got ${JSON.stringify(body)}`);
  assert.strictEqual(body.isSuccessful, true, `${what}: isSuccessful should be true, body: ${JSON.stringify(body)}`);
  if (body.errors !== undefined) {
    assert.ok(Array.isArray(body.errors) && body.errors.length === 0, `${what}: errors should be empty, got ${JSON.stringify(body.errors)}`);
  }
}

async function main() {
  const connectionString = process.env.DEVICEFABRIC_CONNECTION_STRING;
  if (!connectionString) {
    throw new Error('DEVICEFABRIC_CONNECTION_STRING is not set');
  }
  const registry = Registry.fromConnectionString(connectionString);

  const suffix = crypto.randomBytes(6).toString('hex');
  const deviceId = `interop-${suffix}`;
  const bulkIds = [`interop-${suffix}-bulk1`, `interop-${suffix}-bulk2`];
  const missingId = `interop-${suffix}-missing`;
  const created = new Set();

  let createdDevice;
  let fetchedDevice;
  let keys;

  try {
    await step('create', async () => {
      const { responseBody: device } = await registry.create({ deviceId, status: 'enabled' });
      created.add(deviceId);
      assert.strictEqual(device.deviceId, deviceId);
      assertNonEmptyString(device.generationId, 'generationId');
      assertNonEmptyString(device.etag, 'etag');
      assert.strictEqual(device.status, 'enabled');
      assert.ok(device.authentication && device.authentication.symmetricKey, 'authentication.symmetricKey missing');
      assertNonEmptyString(device.authentication.symmetricKey.primaryKey, 'authentication.symmetricKey.primaryKey');
      assertNonEmptyString(device.authentication.symmetricKey.secondaryKey, 'authentication.symmetricKey.secondaryKey');
      assert.notStrictEqual(device.authentication.symmetricKey.primaryKey, device.authentication.symmetricKey.secondaryKey,
        'primary and secondary keys should differ');
      createdDevice = device;
    });

    await step('get', async () => {
      const { responseBody: device } = await registry.get(deviceId);
      assert.strictEqual(device.deviceId, deviceId);
      assert.strictEqual(device.generationId, createdDevice.generationId);
      assert.strictEqual(device.etag, createdDevice.etag);
      assert.strictEqual(device.status, 'enabled');
      assert.strictEqual(device.authentication.symmetricKey.primaryKey, createdDevice.authentication.symmetricKey.primaryKey);
      assert.strictEqual(device.authentication.symmetricKey.secondaryKey, createdDevice.authentication.symmetricKey.secondaryKey);
      fetchedDevice = device;
      keys = {
        symmetricKey: {
          primaryKey: device.authentication.symmetricKey.primaryKey,
          secondaryKey: device.authentication.symmetricKey.secondaryKey,
        },
      };
    });

    await step('update', async () => {
      const { responseBody: device } = await registry.update({ deviceId, status: 'disabled', authentication: keys });
      assert.strictEqual(device.deviceId, deviceId);
      assert.strictEqual(device.status, 'disabled');
      assertNonEmptyString(device.etag, 'etag');
      assert.notStrictEqual(device.etag, fetchedDevice.etag, 'etag should change on update');
      assert.strictEqual(device.generationId, fetchedDevice.generationId, 'generationId should not change on update');
      assert.strictEqual(device.authentication.symmetricKey.primaryKey, keys.symmetricKey.primaryKey);
      assert.strictEqual(device.authentication.symmetricKey.secondaryKey, keys.symmetricKey.secondaryKey);
    });

    await step('get after update', async () => {
      const { responseBody: device } = await registry.get(deviceId);
      assert.strictEqual(device.status, 'disabled');
    });

    await step('list', async () => {
      const { responseBody: devices } = await registry.list();
      assert.ok(Array.isArray(devices), `list should return an array, got ${JSON.stringify(devices)}`);
      const found = devices.find((d) => d.deviceId === deviceId);
      assert.ok(found, `list should include ${deviceId}; got ${JSON.stringify(devices.map((d) => d.deviceId))}`);
      assert.strictEqual(found.status, 'disabled');
    });

    await step('getRegistryStatistics', async () => {
      const { responseBody: stats } = await registry.getRegistryStatistics();
      assert.ok(stats && typeof stats === 'object', `statistics should be a JSON object, got ${JSON.stringify(stats)}`);
      assert.strictEqual(typeof stats.totalDeviceCount, 'number', `totalDeviceCount: ${JSON.stringify(stats)}`);
      assert.strictEqual(typeof stats.enabledDeviceCount, 'number', `enabledDeviceCount: ${JSON.stringify(stats)}`);
      assert.strictEqual(typeof stats.disabledDeviceCount, 'number', `disabledDeviceCount: ${JSON.stringify(stats)}`);
      assert.ok(stats.totalDeviceCount >= 1, `totalDeviceCount >= 1: ${JSON.stringify(stats)}`);
      assert.ok(stats.disabledDeviceCount >= 1, `disabledDeviceCount >= 1: ${JSON.stringify(stats)}`);
      assert.ok(stats.enabledDeviceCount + stats.disabledDeviceCount <= stats.totalDeviceCount,
        `enabled + disabled <= total: ${JSON.stringify(stats)}`);
    });

    const bulkKeys = {};
    await step('addDevices', async () => {
      const result = await registry.addDevices(bulkIds.map((id) => ({ deviceId: id, status: 'enabled' })));
      bulkIds.forEach((id) => created.add(id));
      assertBulkSuccess(result, 'addDevices');
      for (const id of bulkIds) {
        const { responseBody: device } = await registry.get(id);
        assert.strictEqual(device.deviceId, id);
        assert.strictEqual(device.status, 'enabled');
        assertNonEmptyString(device.authentication.symmetricKey.primaryKey, `${id} primaryKey`);
        assertNonEmptyString(device.authentication.symmetricKey.secondaryKey, `${id} secondaryKey`);
        bulkKeys[id] = {
          symmetricKey: {
            primaryKey: device.authentication.symmetricKey.primaryKey,
            secondaryKey: device.authentication.symmetricKey.secondaryKey,
          },
        };
      }
    });

    await step('updateDevices', async () => {
      const result = await registry.updateDevices(
        bulkIds.map((id) => ({ deviceId: id, status: 'disabled', authentication: bulkKeys[id] })),
        true);
      assertBulkSuccess(result, 'updateDevices');
      for (const id of bulkIds) {
        const { responseBody: device } = await registry.get(id);
        assert.strictEqual(device.status, 'disabled', `${id} should be disabled after updateDevices`);
        assert.strictEqual(device.authentication.symmetricKey.primaryKey, bulkKeys[id].symmetricKey.primaryKey);
      }
    });

    await step('removeDevices', async () => {
      const result = await registry.removeDevices(bulkIds.map((id) => ({ deviceId: id })), true);
      assertBulkSuccess(result, 'removeDevices');
      bulkIds.forEach((id) => created.delete(id));
      for (const id of bulkIds) {
        await expectRejection(registry.get(id), 'DeviceNotFoundError');
      }
    });

    await step('get non-existent device rejects with DeviceNotFoundError', async () => {
      await expectRejection(registry.get(missingId), 'DeviceNotFoundError');
    });

    await step('create existing device rejects with DeviceAlreadyExistsError', async () => {
      await expectRejection(registry.create({ deviceId, status: 'enabled' }), 'DeviceAlreadyExistsError');
    });

    await step('delete', async () => {
      await registry.delete(deviceId);
      created.delete(deviceId);
    });

    await step('get after delete rejects with DeviceNotFoundError', async () => {
      await expectRejection(registry.get(deviceId), 'DeviceNotFoundError');
    });
  } catch (err) {
    // Best-effort cleanup of anything this run created; errors are ignored.
    await Promise.all([...created].map((id) =>
      withTimeout(`cleanup ${id}`, registry.delete(id)).catch(() => {})));
    throw err;
  }
}

main().then(() => {
  clearTimeout(globalTimer);
  console.log('all registry interop steps passed');
  process.exit(0);
}, (err) => {
  clearTimeout(globalTimer);
  console.error(`not ok - ${err && err.step ? err.step : 'setup'}`);
  console.error(describeError(err));
  process.exit(1);
});

// Interop test: module identities and module twins through the unmodified npm SDKs.
//  - azure-iothub Registry (HTTPS, localhost:443): addModule without keys (the service generates them), getModule,
//    getModulesOnDevice, updateModule with its etag, duplicate addModule (409), getModuleTwin, updateModuleTwin,
//    createQuery over devices.modules, removeModule, and deleting a device deletes its modules;
//  - azure-iot-device ModuleClient over MQTT: open, sendEvent, sendOutputEvent, getTwin, reported update, a desired
//    notification, onMethod answered for the service Client's invokeDeviceMethod(deviceId, moduleId, params);
//    a wrong module key is refused.
//
// Run from the repo root:  node tests/interop/modules.js
// Needs:  DEVICEFABRIC_CONNECTION_STRING  the owner connection string (HostName=localhost;SharedAccessKeyName=iothubowner;...)
//         NODE_EXTRA_CA_CERTS              the development CA PEM (the service SDK dials localhost:443)
//         DEVICEFABRIC_CA, MQTT_HOST       the CA PEM again and localhost:<mqtt tls port> for the module client
// Prints one "ok - <step>" line per step; on the first failure prints the error, cleans up and exits 1.
'use strict';

const assert = require('assert');
const crypto = require('crypto');
const { Message } = require('azure-iot-device');
const {
  uniqueSuffix, registry, serviceClient, moduleClient, step, poll, expectRejection, statusOf, isNotFound, run,
} = require('./hub');

const suffix = uniqueSuffix();
const deviceId = `mod-${suffix}`;
const reg = registry();
const openClients = [];

async function cleanup() {
  await Promise.all(openClients.map((c) => c.close().catch(() => {})));
  await reg.delete(deviceId).catch(() => {});
}

run(async () => {
  await step('device created for the modules', () => reg.create({ deviceId }));

  const added = await step('addModule without keys succeeds', async () => {
    const { responseBody: m } = await reg.addModule({ deviceId, moduleId: 'm1' });
    assert.strictEqual(m.deviceId, deviceId, JSON.stringify(m));
    assert.strictEqual(m.moduleId, 'm1');
    return m;
  });

  let mod = await step('getModule returns generated keys and an etag', async () => {
    const { responseBody: m } = await reg.getModule(deviceId, 'm1');
    assert.strictEqual(m.deviceId, deviceId);
    assert.strictEqual(m.moduleId, 'm1');
    assert.ok(typeof m.etag === 'string' && m.etag.length > 0, `etag: ${JSON.stringify(m)}`);
    assert.ok(typeof m.generationId === 'string' && m.generationId.length > 0, `generationId: ${JSON.stringify(m)}`);
    const keys = m.authentication && m.authentication.symmetricKey;
    assert.ok(keys && keys.primaryKey && keys.secondaryKey, `keys: ${JSON.stringify(m.authentication)}`);
    assert.notStrictEqual(keys.primaryKey, keys.secondaryKey);
    assert.strictEqual(m.authentication.type, 'sas');
    assert.deepStrictEqual(m.authentication.symmetricKey, added.authentication.symmetricKey, 'addModule and getModule keys differ');
    return m;
  });
  const key = mod.authentication.symmetricKey.primaryKey;

  await step('getModulesOnDevice lists the module', async () => {
    const { responseBody: list } = await reg.getModulesOnDevice(deviceId);
    assert.ok(Array.isArray(list), `expected an array, got ${JSON.stringify(list)}`);
    assert.deepStrictEqual(list.map((m) => m.moduleId), ['m1']);
    assert.strictEqual(list[0].deviceId, deviceId);
  });

  const staleEtag = mod.etag;
  await step('updateModule with its etag changes managedBy and the etag', async () => {
    const { responseBody: m } = await reg.updateModule({ ...mod, managedBy: 'tester' });
    assert.strictEqual(m.managedBy, 'tester');
    assert.notStrictEqual(m.etag, staleEtag, 'etag should change on update');
    assert.strictEqual(m.generationId, mod.generationId);
    assert.strictEqual(m.authentication.symmetricKey.primaryKey, key, 'keys should be kept');
    const { responseBody: again } = await reg.getModule(deviceId, 'm1');
    assert.strictEqual(again.managedBy, 'tester');
    mod = again;
  });

  await step('updateModule with a stale etag is InvalidEtagError', async () => {
    await expectRejection(reg.updateModule({ ...mod, etag: staleEtag, managedBy: 'other' }),
      (err) => err.name === 'InvalidEtagError', 'stale etag');
  });

  await step('addModule of an existing module is ModuleAlreadyExistsOnDevice (409)', async () => {
    await expectRejection(reg.addModule({ deviceId, moduleId: 'm1' }),
      (err) => err.name === 'DeviceAlreadyExistsError' && statusOf(err) === 409 && /ModuleAlreadyExistsOnDevice/.test(err.responseBody),
      'duplicate addModule');
  });

  const serviceTwin = await step('getModuleTwin has deviceId and moduleId', async () => {
    const { responseBody: twin } = await reg.getModuleTwin(deviceId, 'm1');
    assert.strictEqual(twin.deviceId, deviceId);
    assert.strictEqual(twin.moduleId, 'm1');
    assert.ok(twin.etag && twin.etag !== '*', `twin etag: ${twin.etag}`);
    assert.strictEqual(typeof twin.properties.desired.$version, 'number');
    return twin;
  });

  await step('updateModuleTwin sets tags and desired with the twin etag', async () => {
    const patch = { tags: { role: 'sensor' }, properties: { desired: { interval: 5 } } };
    const { responseBody: twin } = await reg.updateModuleTwin(deviceId, 'm1', patch, serviceTwin.etag);
    assert.strictEqual(twin.moduleId, 'm1');
    assert.strictEqual(twin.tags.role, 'sensor');
    assert.strictEqual(twin.properties.desired.interval, 5);
    assert.notStrictEqual(twin.etag, serviceTwin.etag, 'twin etag should change');
  });

  const client = await moduleClient(deviceId, 'm1', key);
  await step('ModuleClient opens with the generated module key', async () => {
    await client.open();
    openClients.push(client);
  });

  // Registered before the MQTT round trips below, so the methods subscription is in place before the call.
  client.onMethod('reboot', (request, response) => {
    response.send(200, { rebooting: true, delay: request.payload && request.payload.delay }, () => {});
  });

  await step('module sendEvent', () => {
    const message = new Message(JSON.stringify({ temperature: 21.5 }));
    message.messageId = `${deviceId}-1`;
    return client.sendEvent(message);
  });

  await step('module sendOutputEvent', () => client.sendOutputEvent('out1', new Message(JSON.stringify({ filtered: true }))));

  const twin = await step('module getTwin shows the desired property set by the service', async () => {
    const t = await client.getTwin();
    assert.strictEqual(t.properties.desired.interval, 5, JSON.stringify(t.properties.desired));
    return t;
  });

  // Listening before the reported update: its round trip on the same connection orders the subscription first.
  const desiredSeen = new Promise((resolve) => {
    twin.on('properties.desired', (delta) => {
      if (delta && delta.interval === 7) resolve(delta);
    });
  });

  await step('module reported properties update', () => new Promise((resolve, reject) => {
    twin.properties.reported.update({ firmware: '1.0.1', battery: 80 }, (err) => (err ? reject(err) : resolve()));
  }));

  await step('a service desired change arrives as a properties.desired event', async () => {
    const { responseBody: fresh } = await reg.getModuleTwin(deviceId, 'm1');
    await reg.updateModuleTwin(deviceId, 'm1', { properties: { desired: { interval: 7 } } }, fresh.etag);
    const delta = await desiredSeen;
    assert.strictEqual(typeof delta.$version, 'number');
    assert.ok(delta.$version > fresh.properties.desired.$version, `desired $version ${delta.$version} should grow`);
  });

  await step('module method invoked through the service SDK', async () => {
    const service = serviceClient();
    const { result } = await service.invokeDeviceMethod(deviceId, 'm1', { methodName: 'reboot', payload: { delay: 1 }, responseTimeoutInSeconds: 10 });
    assert.deepStrictEqual(result, { status: 200, payload: { rebooting: true, delay: 1 } });
  });

  await step('getModuleTwin shows the reported properties', async () => {
    await poll('reported firmware', async () => {
      const { responseBody: t } = await reg.getModuleTwin(deviceId, 'm1');
      assert.strictEqual(t.properties.reported.firmware, '1.0.1', JSON.stringify(t.properties.reported));
      assert.strictEqual(t.properties.reported.battery, 80);
      assert.strictEqual(t.properties.desired.interval, 7);
    }, 5000);
  });

  await step('query over devices.modules returns the module twin', async () => {
    const query = reg.createQuery(`SELECT * FROM devices.modules WHERE moduleId = 'm1' AND deviceId = '${deviceId}'`);
    const { result } = await query.nextAsTwin();
    assert.strictEqual(result.length, 1, JSON.stringify(result));
    assert.strictEqual(result[0].moduleId, 'm1');
    assert.strictEqual(result[0].deviceId, deviceId);
    assert.strictEqual(result[0].tags.role, 'sensor');
    assert.strictEqual(query.hasMoreResults, false);
  });

  await step('a module client with a wrong key fails to open', async () => {
    const wrong = await moduleClient(deviceId, 'm1', crypto.randomBytes(32).toString('base64'));
    wrong.on('error', () => {});
    await expectRejection(() => wrong.open(),
      (err) => err.name === 'UnauthorizedError' || /Not authorized|Bad username or password/i.test(err.message), 'wrong module key');
  });

  await step('module client close', async () => {
    openClients.splice(0);
    await client.close();
  });

  await step('removeModule', () => reg.removeModule(deviceId, 'm1'));

  await step('getModule after removeModule is ModuleNotFound (404)', async () => {
    await expectRejection(reg.getModule(deviceId, 'm1'), isNotFound('ModuleNotFound'), 'getModule after remove');
  });

  await step('deleting the device deleted its modules', async () => {
    await reg.addModule({ deviceId, moduleId: 'm2' });
    await reg.getModule(deviceId, 'm2');
    await reg.delete(deviceId);
    await expectRejection(reg.getModule(deviceId, 'm2'), isNotFound(), 'getModule of the deleted device');
    await expectRejection(reg.getModuleTwin(deviceId, 'm2'), isNotFound(), 'getModuleTwin of the deleted device');
  });

  console.log('all module interop steps passed');
}, { timeoutMs: 90000, cleanup });

// Interop test: automatic device configurations (ADM) through the unmodified npm `azure-iothub` Registry (HTTPS, 443):
// addConfiguration / getConfiguration / getConfigurations / updateConfiguration / removeConfiguration over 20 devices
// created with addDevices and tagged with updateTwin: systemMetrics (targetedCount, appliedCount) and a custom
// metric, the twin's desired content and its `configurations.<id>.status` marker, devices falling out when retagged,
// per-path priority between two configurations, a priority change, removal, and the refusals (bad target condition,
// content outside properties.desired/tags, update without etag).
//
// Run from the repo root:  node tests/interop/configurations.js
// Needs:  DEVICEFABRIC_CONNECTION_STRING  the owner connection string (HostName=localhost;SharedAccessKeyName=iothubowner;...)
//         NODE_EXTRA_CA_CERTS              the development CA PEM (the service SDK dials localhost:443)
// Assumes no other devices carry tags.env = 'prod' (a fresh node). Prints one "ok - <step>" line per step; on the
// first failure prints the error, removes what it created and exits 1.
'use strict';

const assert = require('assert');
const { uniqueSuffix, registry, step, poll, expectRejection, isNotFound, run } = require('./hub');

const prefix = `cfg-${uniqueSuffix()}`;
const ids = Array.from({ length: 20 }, (_, i) => `${prefix}-${String(i).padStart(2, '0')}`);
const aId = `${prefix}-a`;
const bId = `${prefix}-b`;
const reg = registry();
const dev = ids.slice(15);          // retagged env='dev'
const early = ids.slice(0, 3);      // prod and ring='early'
const prod = ids.slice(0, 15);
const prodLate = ids.slice(3, 15);

const deviceContent = (interval) => ({ deviceContent: { 'properties.desired.settings': { interval } } });

async function twinOf(id) {
  return (await reg.getTwin(id)).responseBody;
}

/** Asserts systemMetrics.results of configuration `id`; returns the configuration. */
async function expectCounts(id, targetedCount, appliedCount) {
  const { responseBody: c } = await reg.getConfiguration(id);
  const results = (c.systemMetrics && c.systemMetrics.results) || {};
  assert.strictEqual(results.targetedCount, targetedCount, `${id} systemMetrics: ${JSON.stringify(c.systemMetrics)}`);
  assert.strictEqual(results.appliedCount, appliedCount, `${id} systemMetrics: ${JSON.stringify(c.systemMetrics)}`);
  return c;
}

/** Asserts each twin of `list` has desired.settings.interval === interval (undefined: no settings) and the statuses. */
async function expectTwins(list, interval, statuses) {
  for (const id of list) {
    const twin = await twinOf(id);
    const settings = twin.properties.desired.settings;
    if (interval === undefined) {
      assert.strictEqual(settings, undefined, `${id} desired.settings should be gone: ${JSON.stringify(twin.properties.desired)}`);
    } else {
      assert.strictEqual(settings && settings.interval, interval, `${id} desired: ${JSON.stringify(twin.properties.desired)}`);
    }
    for (const [configId, status] of Object.entries(statuses)) {
      const entry = twin.configurations && twin.configurations[configId];
      assert.strictEqual(entry && entry.status, status,
        `${id} configurations[${configId}] should be ${status}: ${JSON.stringify(twin.configurations)}`);
    }
  }
}

async function cleanup() {
  await reg.removeConfiguration(aId).catch(() => {});
  await reg.removeConfiguration(bId).catch(() => {});
  await reg.removeDevices(ids.map((deviceId) => ({ deviceId })), true).catch(() => {});
}

run(async () => {
  await step('20 devices created with addDevices', async () => {
    const { responseBody: result } = await reg.addDevices(ids.map((deviceId) => ({ deviceId, status: 'enabled' })));
    assert.strictEqual(result.isSuccessful, true, JSON.stringify(result));
  });

  await step("all 20 tagged env='prod' through updateTwin with each twin's etag", async () => {
    for (const id of ids) {
      const twin = await twinOf(id);
      await reg.updateTwin(id, { tags: { env: 'prod' } }, twin.etag);
    }
  });

  await step('addConfiguration a', async () => {
    const { responseBody: c } = await reg.addConfiguration({
      id: aId,
      content: deviceContent(10),
      targetCondition: "tags.env='prod'",
      priority: 1,
      labels: { team: 'ops' },
      metrics: { queries: { reporting: 'SELECT deviceId FROM devices WHERE properties.reported.settingsApplied = true' } },
    });
    assert.strictEqual(c.id, aId, JSON.stringify(c));
    assert.ok(c.etag, `etag: ${JSON.stringify(c)}`);
  });

  await step('appliedCount reaches 20', () => poll('a targeted 20 / applied 20', () => expectCounts(aId, 20, 20)), 25000);

  await step("every twin has the desired settings and configurations.a 'Applied'", () =>
    poll('twins of a', () => expectTwins(ids, 10, { [aId]: 'Applied' })), 25000);

  await step('getConfiguration returns the configuration as created', async () => {
    const { responseBody: c } = await reg.getConfiguration(aId);
    assert.strictEqual(c.schemaVersion, '1.0');
    assert.strictEqual(c.priority, 1);
    assert.strictEqual(c.targetCondition, "tags.env='prod'");
    assert.deepStrictEqual(c.labels, { team: 'ops' });
    assert.deepStrictEqual(c.content.deviceContent, deviceContent(10).deviceContent);
    assert.ok(c.createdTimeUtc && c.lastUpdatedTimeUtc, `times: ${JSON.stringify(c)}`);
  });

  await step('the custom metric query result is 0 (no device reports settingsApplied)', () => poll('metrics.results.reporting', async () => {
    const { responseBody: c } = await reg.getConfiguration(aId);
    assert.strictEqual(c.metrics && c.metrics.results && c.metrics.results.reporting, 0, JSON.stringify(c.metrics));
  }), 25000);

  await step('getConfigurations lists it', async () => {
    const { responseBody: list } = await reg.getConfigurations();
    assert.ok(Array.isArray(list), `expected an array, got ${JSON.stringify(list)}`);
    assert.ok(list.some((c) => c.id === aId), JSON.stringify(list.map((c) => c.id)));
  });

  await step("5 devices retagged env='dev'", async () => {
    for (const id of dev) {
      await reg.updateTwin(id, { tags: { env: 'dev' } }, '*');
    }
  });

  await step('retagged devices fall out', async () => {
    await poll('desired.settings removed', () => expectTwins(dev, undefined, {}));
    await poll('a targeted 15 / applied 15', () => expectCounts(aId, 15, 15));
    await expectTwins(prod, 10, { [aId]: 'Applied' });
  }, 45000);

  await step('addConfiguration b with priority 10 on the same path', async () => {
    await reg.addConfiguration({
      id: bId,
      content: deviceContent(1),
      targetCondition: "tags.env='prod' AND tags.ring='early'",
      priority: 10,
    });
  });

  await step("3 prod devices tagged ring='early'", async () => {
    for (const id of early) {
      await reg.updateTwin(id, { tags: { ring: 'early' } }, '*');
    }
  });

  await step('higher priority wins per path', async () => {
    await poll('early devices take b', () => expectTwins(early, 1, { [bId]: 'Applied', [aId]: 'Targeted' }));
    await expectTwins(prodLate, 10, { [aId]: 'Applied' });
    await poll('b targeted 3 / applied 3', () => expectCounts(bId, 3, 3));
    await poll('a targeted 15 / applied 12', () => expectCounts(aId, 15, 12));
  }, 60000);

  await step('updateConfiguration b with its etag lowers its priority to 0', async () => {
    const { responseBody: b } = await reg.getConfiguration(bId);
    b.priority = 0;
    const { responseBody: updated } = await reg.updateConfiguration(b);
    assert.strictEqual(updated.priority, 0, JSON.stringify(updated));
    assert.notStrictEqual(updated.etag, b.etag, 'etag should change on update');
    assert.deepStrictEqual(updated.content.deviceContent, deviceContent(1).deviceContent);
  });

  await step('the lower priority gives the path back to a', async () => {
    await poll('early devices back on a', () => expectTwins(early, 10, { [aId]: 'Applied', [bId]: 'Targeted' }));
    await poll('a applied 15 again', () => expectCounts(aId, 15, 15));
    await poll('b targeted 3 / applied 0', () => expectCounts(bId, 3, 0));
  }, 45000);

  await step('removeConfiguration b', () => reg.removeConfiguration(bId));

  await step('removed configuration b disappears from the twins', async () => {
    await poll('no configurations.b', async () => {
      for (const id of ids) {
        const twin = await twinOf(id);
        assert.ok(!twin.configurations || !(bId in twin.configurations), `${id}: ${JSON.stringify(twin.configurations)}`);
      }
    });
    await expectTwins(prod, 10, { [aId]: 'Applied' });
    await expectRejection(reg.getConfiguration(bId), isNotFound(), 'getConfiguration of the removed b');
  }, 30000);

  await step('a malformed targetCondition is an ArgumentError (400)', async () => {
    await expectRejection(reg.addConfiguration({ id: `${prefix}-bad1`, content: deviceContent(3), targetCondition: "tags.env = = 'x'", priority: 1 }),
      (err) => err.name === 'ArgumentError', 'bad target condition');
  });

  await step('content outside properties.desired and tags is an ArgumentError (400)', async () => {
    await expectRejection(reg.addConfiguration({
      id: `${prefix}-bad2`,
      content: { deviceContent: { 'properties.reported.settings': { interval: 3 } } },
      targetCondition: "tags.env='prod'",
      priority: 1,
    }), (err) => err.name === 'ArgumentError', 'content key properties.reported');
    await expectRejection(reg.getConfiguration(`${prefix}-bad2`), isNotFound(), 'the refused configuration was not stored');
  });

  await step('updateConfiguration without etag and not forced throws client-side', async () => {
    await expectRejection(() => reg.updateConfiguration({ id: aId, content: deviceContent(10), targetCondition: "tags.env='prod'", priority: 2 }),
      (err) => err.name === 'ArgumentError' && /ETag/.test(err.message), 'update without etag');
  });

  await step('removing the last configuration removes its settings', async () => {
    await reg.removeConfiguration(aId);
    await poll('settings removed', () => expectTwins(prod.slice(0, 5), undefined, {}));
  }, 30000);

  await step('devices removed', async () => {
    const { responseBody: result } = await reg.removeDevices(ids.map((deviceId) => ({ deviceId })), true);
    assert.strictEqual(result.isSuccessful, true, JSON.stringify(result));
  });

  console.log('all configuration interop steps passed');
}, { timeoutMs: 240000, cleanup });

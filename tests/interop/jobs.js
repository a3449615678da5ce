// Interop test: the unmodified npm `azure-iothub` service SDK's JobClient and Registry.createQuery (HTTPS on 443),
// with an unmodified `azure-iot-device` client answering the method job over MQTT.
//
// Needs:  DEVICEFABRIC_CONNECTION_STRING  the owner connection string (HostName=localhost)
//         NODE_EXTRA_CA_CERTS              the development CA (the service SDK dials localhost:443)
//         DEVICEFABRIC_CA, MQTT_HOST       the CA again and localhost:<mqtt tls port> for the device client
// Prints one "ok - <step>" line per step; on the first failure prints the error and exits 1.
'use strict';

const assert = require('assert');
const fs = require('fs');
const { Registry, JobClient } = require('azure-iothub');
const { Client } = require('azure-iot-device');
const { Mqtt } = require('azure-iot-device-mqtt');
const { startTimeout, step, done, run } = require('./lib');

const run_id = `njob${Date.now().toString(36)}`;

// Jobs report progress only when asked: an SDK user polls getJob, as this does.
async function waitForJob(jobs, jobId, wanted) {
  for (;;) {
    const { jobStatus: result } = await jobs.getJob(jobId);
    if (wanted.includes(result.status)) {
      return result;
    }

    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

// Reads every page, passing the continuation token explicitly (the SDK's promise form of next() does not).
async function allPages(query) {
  const items = [];
  let pages = 0;
  do {
    const { result } = await query.next(query.continuationToken);
    items.push(...result);
    pages++;
  } while (query.hasMoreResults);
  return { items, pages };
}

run(async () => {
  startTimeout(60000);
  const connectionString = process.env.DEVICEFABRIC_CONNECTION_STRING;
  const registry = Registry.fromConnectionString(connectionString);
  const jobs = JobClient.fromConnectionString(connectionString);
  const ids = [0, 1, 2, 3, 4].map((i) => `${run_id}-${i}`);

  await step('devices created and tagged through the Registry', async () => {
    for (const id of ids) {
      await registry.create({ deviceId: id });
      const { responseBody: twin } = await registry.getTwin(id);
      await twin.update({ tags: { run: run_id, ring: id.endsWith('0') ? 'canary' : 'stable' } });
    }
  });

  await step('Registry.createQuery pages through the twins with continuation tokens', async () => {
    const { items, pages } = await allPages(registry.createQuery(`SELECT * FROM devices WHERE tags.run = '${run_id}'`, 2));
    assert.deepStrictEqual(items.map((t) => t.deviceId), ids);
    assert.strictEqual(pages, 3);
  });

  await step('nextAsTwin returns Twin objects', async () => {
    const query = registry.createQuery(`SELECT * FROM devices WHERE tags.ring = 'canary' AND tags.run = '${run_id}'`, 10);
    const { result } = await query.nextAsTwin();
    assert.strictEqual(result.length, 1);
    assert.strictEqual(result[0].deviceId, ids[0]);
    assert.strictEqual(result[0].tags.ring, 'canary');
    assert.strictEqual(query.hasMoreResults, false);
  });

  await step('scheduleTwinUpdate runs to completion on every stable device', async () => {
    const jobId = `${run_id}-twin`;
    const patch = { properties: { desired: { fw: '3.0' } } };
    await jobs.scheduleTwinUpdate(jobId, `tags.run = '${run_id}' AND tags.ring = 'stable'`, patch);
    const job = await waitForJob(jobs, jobId, ['completed', 'failed']);
    assert.strictEqual(job.status, 'completed');
    assert.strictEqual(job.type, 'scheduleUpdateTwin');
    assert.deepStrictEqual(job.deviceJobStatistics, { deviceCount: 4, failedCount: 0, succeededCount: 4, runningCount: 0, pendingCount: 0 });
    const { responseBody: twin } = await registry.getTwin(ids[1]);
    assert.strictEqual(twin.properties.desired.fw, '3.0');
  });

  await step('scheduleDeviceMethod reaches a connected SDK device', async () => {
    const device = await registry.get(ids[0]);
    const key = device.responseBody.authentication.symmetricKey.primaryKey;
    const client = Client.fromConnectionString(`HostName=${process.env.MQTT_HOST};DeviceId=${ids[0]};SharedAccessKey=${key}`, Mqtt);
    client.setOptions({ ca: fs.readFileSync(process.env.DEVICEFABRIC_CA, 'utf8') });
    await client.open();
    client.onDeviceMethod('reboot', (request, response) => {
      response.send(200, { rebooting: request.payload.delay }, () => {});
    });
    // The device subscribes to methods asynchronously; the job's connect timeout lets the call wait for it.
    const jobId = `${run_id}-method`;
    await jobs.scheduleDeviceMethod(jobId, `deviceId = '${ids[0]}'`, { methodName: 'reboot', payload: { delay: 7 }, responseTimeoutInSeconds: 30 });
    const job = await waitForJob(jobs, jobId, ['completed', 'failed']);
    await client.close();
    assert.strictEqual(job.status, 'completed');
    assert.strictEqual(job.deviceJobStatistics.succeededCount, 1);
    const { items } = await allPages(registry.createQuery(`SELECT * FROM devices.jobs WHERE devices.jobs.jobId = '${jobId}'`, 10));
    assert.strictEqual(items.length, 1);
    assert.strictEqual(items[0].status, 'completed');
    assert.deepStrictEqual(items[0].outcome.deviceMethodResponse, { status: 200, payload: { rebooting: 7 } });
  });

  await step('a scheduled job is cancelled with cancelJob and listed by the jobs query', async () => {
    const jobId = `${run_id}-later`;
    const start = new Date(Date.now() + 3600 * 1000);
    await jobs.scheduleTwinUpdate(jobId, `tags.run = '${run_id}'`, { tags: { late: true } }, start, 600);
    const { jobStatus: scheduled } = await jobs.getJob(jobId);
    assert.strictEqual(scheduled.status, 'scheduled');
    const { jobStatus: cancelled } = await jobs.cancelJob(jobId);
    assert.strictEqual(cancelled.status, 'cancelled');
    const { items } = await allPages(jobs.createQuery('scheduleUpdateTwin', 'cancelled', 50));
    assert.ok(items.some((j) => j.jobId === jobId));
  });

  await step('a malformed query condition is an ArgumentError', async () => {
    await assert.rejects(jobs.scheduleTwinUpdate(`${run_id}-bad`, 'tags.run = = 1', { tags: { a: 1 } }), (err) => err.name === 'ArgumentError');
  });

  done();
});

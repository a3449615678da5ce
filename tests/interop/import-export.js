// Interop test: the unmodified npm `azure-iothub` Registry's exportDevicesToBlob, importDevicesFromBlob and getJob
// (HTTPS on 443), with the node's transfer folders standing in for blob containers.
//
// Needs:  DEVICEFABRIC_CONNECTION_STRING  the owner connection string (HostName=localhost)
//         NODE_EXTRA_CA_CERTS              the development CA
//         DEVICEFABRIC_TRANSFERS           the node's transfer directory, to read the exported file
// Prints one "ok - <step>" line per step; on the first failure prints the error and exits 1.
'use strict';

const assert = require('assert');
const fs = require('fs');
const path = require('path');
const { Registry } = require('azure-iothub');
const { step, done, run } = require('./lib');

const runId = `nx${Date.now().toString(36)}`;
const folder = `file:///${runId}`;

// Some of the SDK's promise forms resolve with { responseBody, httpResponse }, others with the body alone.
const body = (result) => (result && result.responseBody !== undefined ? result.responseBody : result);

// An SDK user polls getJob until the job ends, as IoT Hub's samples do.
async function waitForJob(registry, jobId) {
  for (;;) {
    const job = body(await registry.getJob(jobId));
    if (['completed', 'failed', 'cancelled'].includes(job.status)) {
      return job;
    }

    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

run(async () => {
  const registry = Registry.fromConnectionString(process.env.DEVICEFABRIC_CONNECTION_STRING);
  const ids = [`${runId}-a`, `${runId}-b`];
  const keys = {};

  await step('devices created and tagged through the Registry', async () => {
    for (const deviceId of ids) {
      const { responseBody: device } = await registry.create({ deviceId });
      keys[deviceId] = device.authentication.symmetricKey.primaryKey;
      const { responseBody: twin } = await registry.getTwin(deviceId);
      await registry.updateTwin(deviceId, { tags: { run: runId } }, twin.etag);
    }
  });

  await step('exportDevicesToBlob writes every device with its keys and tags', async () => {
    const started = body(await registry.exportDevicesToBlob(folder, false));
    const job = await waitForJob(registry, started.jobId);
    assert.strictEqual(job.status, 'completed', JSON.stringify(job));
    const lines = fs.readFileSync(path.join(process.env.DEVICEFABRIC_TRANSFERS, runId, 'devices.txt'), 'utf8')
      .split('\n').filter((l) => l.length > 0).map((l) => JSON.parse(l));
    for (const deviceId of ids) {
      const line = lines.find((l) => l.id === deviceId);
      assert.ok(line, `${deviceId} exported`);
      assert.strictEqual(line.authentication.symmetricKey.primaryKey, keys[deviceId]);
      assert.strictEqual(line.tags.run, runId);
    }
  });

  await step('importDevicesFromBlob brings deleted devices back with their keys and tags', async () => {
    for (const deviceId of ids) {
      await registry.delete(deviceId);
    }

    const started = body(await registry.importDevicesFromBlob(folder, folder));
    const job = await waitForJob(registry, started.jobId);
    assert.strictEqual(job.status, 'completed', JSON.stringify(job));
    for (const deviceId of ids) {
      const { responseBody: device } = await registry.get(deviceId);
      assert.strictEqual(device.authentication.symmetricKey.primaryKey, keys[deviceId]);
      const { responseBody: twin } = await registry.getTwin(deviceId);
      assert.strictEqual(twin.tags.run, runId);
    }
  });

  await step('listJobs lists both jobs', async () => {
    const jobs = body(await registry.listJobs());
    assert.ok(jobs.filter((j) => j.type === 'export' || j.type === 'import').length >= 2, JSON.stringify(jobs));
  });

  done();
});

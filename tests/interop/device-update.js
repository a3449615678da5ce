// Interop test: Device Update for IoT Hub against simulated ADU agents on the unmodified npm device SDK
// (adu-agent.js, azure-iot-device over MQTT and TLS) and Device Update's REST API over HTTPS with a bearer token.
//  - an update of a 1 MB file is imported (multipart upload); 21 agents are tagged into one group, one of them of a
//    model the update is not for;
//  - a deployment in two waves of 50%: the first ten agents download, check the file's hash and the manifest's
//    signature, and succeed before any agent of the second wave starts; then all twenty; the incompatible one is
//    never asked;
//  - a second deployment whose update the agents fail, with a rollback policy (2 devices, 20%): its first wave of 5
//    fails, the rollout stops, and the failed agents get the rollback update by themselves, while the rest never see
//    the failing workflow;
//  - a third deployment canceled while its agents install: they get the cancel action and report it.
//
// Run from the repo root:  node tests/interop/device-update.js
// Needs:  DEVICEFABRIC_CONNECTION_STRING (owner, HostName=localhost), NODE_EXTRA_CA_CERTS and DEVICEFABRIC_CA (the
//         dev CA PEM), MQTT_HOST (localhost:<mqtt tls port>); the REST API on https://localhost:443.
// Prints one "ok - <step>" line per step; on the first failure prints the error, removes what it made and exits 1.
'use strict';

const assert = require('assert');
const crypto = require('crypto');
const fs = require('fs');
const https = require('https');
const { env, uniqueSuffix, registry, step, poll, run } = require('./hub');
const { AduAgent, fetchSigningKey } = require('./adu-agent');

const suffix = uniqueSuffix();
const group = `adu-${suffix}`;
const provider = `Contoso${suffix}`;
const reg = registry();
const agents = [];
const created = [];
const ca = fs.readFileSync(env('DEVICEFABRIC_CA'), 'utf8');
const owner = Object.fromEntries(env('DEVICEFABRIC_CONNECTION_STRING').split(';').map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));
const hub = 'devicefabric';
const api = `/deviceUpdate/${hub}`;

/** An owner SAS token, sent as Device Update's clients send theirs: a bearer token. */
function bearer() {
  const sr = encodeURIComponent(owner.HostName);
  const se = Math.floor(Date.now() / 1000) + 3600;
  const sig = crypto.createHmac('sha256', Buffer.from(owner.SharedAccessKey, 'base64')).update(`${sr}\n${se}`).digest('base64');
  return `Bearer SharedAccessSignature sr=${sr}&sig=${encodeURIComponent(sig)}&se=${se}&skn=${owner.SharedAccessKeyName}`;
}

function request(method, path, { body, headers = {} } = {}) {
  return new Promise((resolve, reject) => {
    const sep = path.includes('?') ? '&' : '?';
    const req = https.request({ host: 'localhost', port: 443, method, path: `${path}${sep}api-version=2022-10-01`, ca,
      headers: { Authorization: bearer(), ...headers } }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode, json: text ? JSON.parse(text) : null, text });
      });
    });
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

async function json(method, path, value, expected = 200) {
  const body = value === undefined ? undefined : JSON.stringify(value);
  const res = await request(method, path, { body, headers: body ? { 'Content-Type': 'application/json' } : {} });
  assert.strictEqual(res.status, expected, `${method} ${path}: ${res.status} ${res.text}`);
  return res.json;
}

/** Imports an update of one file through the multipart upload. */
async function importUpdate(version, file, models = ['Toaster']) {
  const manifest = {
    updateId: { provider, name: 'Toaster', version },
    isDeployable: true,
    compatibility: models.map((model) => ({ manufacturer: 'Contoso', model })),
    instructions: { steps: [{ handler: 'microsoft/swupdate:1', files: ['firmware.swu'], handlerProperties: { installedCriteria: version } }] },
    files: [{ filename: 'firmware.swu', sizeInBytes: file.length, hashes: { sha256: crypto.createHash('sha256').update(file).digest('base64') } }],
    manifestVersion: '4.0',
    createdDateTime: new Date().toISOString(),
  };
  const boundary = `----du${suffix}`;
  const body = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="importManifest"; filename="importManifest.json"\r\nContent-Type: application/json\r\n\r\n${JSON.stringify(manifest)}\r\n`),
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="firmware.swu"\r\nContent-Type: application/octet-stream\r\n\r\n`),
    file,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await request('POST', `${api}/updates:upload`, { body, headers: { 'Content-Type': `multipart/form-data; boundary=${boundary}` } });
  assert.strictEqual(res.status, 201, `upload ${version}: ${res.status} ${res.text}`);
  return { provider, name: 'Toaster', version };
}

const deploymentPath = (id) => `${api}/management/groups/${group}/deployments/${id}`;
const status = (id) => json('GET', `${deploymentPath(id)}/status`);
const sum = (s, field) => s.subgroupStatus.reduce((n, g) => n + g[field], 0);

async function main() {
  const firmware = crypto.randomBytes(1024 * 1024);
  let v2;
  let v3;
  let v4;
  await step('updates imported by upload', async () => {
    await importUpdate('1.0', crypto.randomBytes(1024));
    v2 = await importUpdate('2.0', firmware);
    v3 = await importUpdate('3.0', crypto.randomBytes(4096));
    v4 = await importUpdate('4.0', crypto.randomBytes(4096));
  });

  const signingKey = await fetchSigningKey('localhost:443', hub, bearer().slice('Bearer '.length), ca);
  await step('21 agents tagged into the group and connected', async () => {
    for (let i = 0; i < 21; i++) {
      const deviceId = `${group}-${String(i).padStart(2, '0')}`;
      const device = (await reg.create({ deviceId })).responseBody;
      created.push(deviceId);
      await reg.updateTwin(deviceId, { tags: { ADUGroup: group } }, '*');
      const agent = new AduAgent({
        connectionString: `HostName=${env('MQTT_HOST')};DeviceId=${deviceId};SharedAccessKey=${device.authentication.symmetricKey.primaryKey}`,
        ca, signingKey, manufacturer: 'Contoso', model: i === 20 ? 'Blender' : 'Toaster',
        installedUpdateId: { provider, name: 'Toaster', version: '1.0' },
        behaviour: async (manifest) => {
          if (manifest.updateId.version === '3.0') return { fail: { resultCode: 0, extendedResultCode: 0x30000010 } };
          if (manifest.updateId.version === '4.0') await new Promise((resolve) => setTimeout(resolve, 4000));
          return 'succeed';
        },
      });
      agent.id = deviceId;
      agent.timeline = [];
      agent.events.on('workflow', (id, action) => agent.timeline.push({ at: Date.now(), what: 'workflow', id, action }));
      agent.events.on('succeeded', (updateId, id) => agent.timeline.push({ at: Date.now(), what: 'succeeded', id, version: updateId.version }));
      await agent.start();
      agents.push(agent);
    }
    const groups = await poll('the group with 21 devices', async () => {
      const found = (await json('GET', `${api}/management/groups`)).value.find((g) => g.groupId === group);
      assert.ok(found && found.deviceCount === 21, JSON.stringify(found));
      return found;
    });
    assert.strictEqual(groups.deviceClassIds.length, 2);
  });
  const compatible = agents.slice(0, 20);
  const blender = agents[20];

  let d1;
  await step('a deployment in two waves of 50% reaches all 20 compatible agents', async () => {
    d1 = await json('PUT', deploymentPath('wave'), {
      deploymentId: 'wave', groupId: group, startDateTime: new Date().toISOString(), update: { updateId: v2 },
      rollout: { waves: [{ percentage: 50 }, { percentage: 50 }], waitBetweenWavesInSeconds: 2, maxFailedPercentage: 50 },
    });
    assert.strictEqual(d1.deviceClassSubgroups.length, 1, JSON.stringify(d1));
    await poll('20 succeeded', async () => {
      const s = await status('wave');
      assert.strictEqual(sum(s, 'devicesCompletedSucceededCount'), 20, JSON.stringify(s));
      assert.strictEqual(s.devicesIncompatibleCount, 1);
      assert.strictEqual(s.wavesReleased, 2);
    }, 90000, 500);
    for (const agent of compatible) {
      assert.strictEqual(agent.installedUpdateId.version, '2.0', agent.id);
      assert.strictEqual(agent.downloads, 1, `${agent.id} downloaded ${agent.downloads} files`);
    }
  });

  await step('the first wave all succeeded before the second started', async () => {
    const starts = compatible.map((a) => ({ a, start: a.timeline.find((t) => t.what === 'workflow' && t.id === d1.workflowId).at }))
      .sort((x, y) => x.start - y.start);
    const firstWave = starts.slice(0, 10);
    const secondWaveStart = starts[10].start;
    for (const { a } of firstWave) {
      const done = a.timeline.find((t) => t.what === 'succeeded' && t.id === d1.workflowId);
      assert.ok(done && done.at <= secondWaveStart, `${a.id} of the first wave had not succeeded when the second started`);
    }
    assert.ok(secondWaveStart - firstWave[9].start >= 2000, 'the second wave came without the wait between waves');
  });

  await step('the incompatible agent was left alone', async () => {
    assert.deepStrictEqual(blender.processed, []);
    const states = await json('GET', `${deploymentPath('wave')}/devicestates?filter=deviceState eq 'Incompatible'`.replace(/ /g, '%20'));
    assert.deepStrictEqual(states.value.map((d) => d.deviceId), [blender.id]);
  });

  await step('a failing deployment rolls back by itself', async () => {
    const d2 = await json('PUT', deploymentPath('failing'), {
      update: { updateId: v3 },
      rollout: { waves: [{ deviceCount: 5 }, { percentage: 100 }], waitBetweenWavesInSeconds: 0, maxFailedPercentage: 100 },
      rollbackPolicy: { update: { updateId: v2 }, failure: { devicesFailedPercentage: 20, devicesFailedCount: 2 } },
    });
    const failed = await poll('rolled back', async () => {
      const d = await json('GET', deploymentPath('failing'));
      assert.strictEqual(d.state, 'RolledBack', JSON.stringify(d));
      return d;
    }, 60000, 500);
    const rollback = await json('GET', deploymentPath(failed.rollbackDeploymentId));
    assert.strictEqual(rollback.isCloudInitiatedRollback, true);
    const touched = compatible.filter((a) => a.processed.includes(d2.workflowId));
    assert.strictEqual(touched.length, 5, `${touched.length} agents got the failing workflow`);
    await poll('the failed agents rolled back', async () => {
      for (const agent of touched) {
        assert.ok(agent.processed.includes(rollback.workflowId), `${agent.id} did not get the rollback`);
        assert.strictEqual(agent.installedUpdateId.version, '2.0', agent.id);
        assert.strictEqual(agent.state, 0, agent.id);
      }
      const s = await status(failed.rollbackDeploymentId);
      assert.strictEqual(sum(s, 'devicesCompletedSucceededCount'), 5, JSON.stringify(s));
    }, 60000, 500);
    assert.ok(compatible.filter((a) => !touched.includes(a)).every((a) => !a.processed.includes(d2.workflowId)), 'the remaining waves stopped');
    assert.strictEqual((await status('failing')).deploymentState, 'Failed');
  });

  await step('a canceled deployment cancels its agents', async () => {
    const d3 = await json('PUT', deploymentPath('canceled'), { update: { updateId: v4 } });
    await poll('agents installing', async () => {
      assert.ok(sum(await status('canceled'), 'devicesInProgressCount') >= 10);
    }, 30000, 200);
    const canceled = await json('POST', `${deploymentPath('canceled')}:cancel`);
    assert.strictEqual(canceled.isCanceled, true);
    await poll('20 canceled', async () => {
      const s = await status('canceled');
      assert.strictEqual(s.deploymentState, 'Canceled');
      assert.strictEqual(sum(s, 'devicesCanceledCount'), 20, JSON.stringify(s));
    }, 60000, 500);
    assert.ok(compatible.every((a) => a.installedUpdateId.version !== '4.0'), 'an agent installed a canceled update');
    assert.ok(compatible.every((a) => a.state === 0));
    const again = await request('POST', `${deploymentPath('canceled')}:retry`);
    assert.strictEqual(again.status, 400, 'a canceled deployment cannot be retried');
    assert.ok(d3.workflowId);
  });
}

async function cleanup() {
  await Promise.all(agents.map((a) => a.stop().catch(() => {})));
  await Promise.all(created.map((id) => reg.delete(id).catch(() => {})));
}

run(async () => {
  try {
    await main();
  } finally {
    await cleanup();
  }
}, { timeoutMs: 300000, cleanup });

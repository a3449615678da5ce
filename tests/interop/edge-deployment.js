// Interop test: IoT Edge deployments through the unmodified npm SDKs.
//  - azure-iothub Registry (HTTPS, 443): an IoT Edge device (capabilities.iotEdge) gets the $edgeAgent and $edgeHub
//    module identities; addConfiguration with content.modulesContent (a full deployment manifest) targets it by tag and
//    lands in the $edgeAgent / $edgeHub module twins with configurations.<id>.status 'Applied'; a manifest whose
//    createOptions is an object is refused (400); applyConfigurationContentOnDevice writes a manifest to a single
//    device without a configurations entry;
//  - azure-iot-device ModuleClient as a simulated edge agent ($edgeAgent, MQTT): reads its twin and reports
//    lastDesiredVersion / lastDesiredStatus, which drive systemMetrics.results reportedSuccessfulCount /
//    reportedFailedCount of the deployment.
//
// Run from the repo root:  node tests/interop/edge-deployment.js
// Needs:  DEVICEFABRIC_CONNECTION_STRING  the owner connection string (HostName=localhost;SharedAccessKeyName=iothubowner;...)
//         NODE_EXTRA_CA_CERTS              the development CA PEM (the service SDK dials localhost:443)
//         DEVICEFABRIC_CA, MQTT_HOST       the CA PEM again and localhost:<mqtt tls port> for the $edgeAgent module client
// Assumes no other device carries tags.site = 'plant1' (a fresh node). Prints one "ok - <step>" line per step; on
// the first failure prints the error, removes what it created and exits 1.
'use strict';

const assert = require('assert');
const { uniqueSuffix, registry, moduleClient, step, poll, expectRejection, isNotFound, keysOf, run } = require('./hub');

const suffix = uniqueSuffix();
const edgeId = `edge-${suffix}`;
const edge2Id = `edge-${suffix}-single`;
const deploymentId = `deploy-${suffix}`;
const badId = `deploy-${suffix}-bad`;
const reg = registry();
const openClients = [];

const TEMP_IMAGE = 'mcr.microsoft.com/azureiotedge-simulated-temperature-sensor:1.0';
const FILTER_IMAGE = 'myacr.azurecr.io/filtermodule:0.0.1-amd64';
const UPSTREAM_ROUTE = 'FROM /messages/* INTO $upstream';

// The manifest of wave2-protocol.md §4.1 plus a second custom module, filter.
function manifest() {
  return {
    $edgeAgent: {
      'properties.desired': {
        schemaVersion: '1.1',
        runtime: {
          type: 'docker',
          settings: {
            minDockerVersion: 'v1.25',
            loggingOptions: '',
            registryCredentials: { myacr: { username: 'myacr', password: 'secret', address: 'myacr.azurecr.io' } },
          },
        },
        systemModules: {
          edgeAgent: { type: 'docker', settings: { image: 'mcr.microsoft.com/azureiotedge-agent:1.4', createOptions: '' } },
          edgeHub: {
            type: 'docker',
            status: 'running',
            restartPolicy: 'always',
            settings: {
              image: 'mcr.microsoft.com/azureiotedge-hub:1.4',
              createOptions: JSON.stringify({ HostConfig: { PortBindings: { '443/tcp': [{ HostPort: '443' }], '5671/tcp': [{ HostPort: '5671' }], '8883/tcp': [{ HostPort: '8883' }] } } }),
            },
          },
        },
        modules: {
          tempSensor: {
            version: '1.0',
            type: 'docker',
            status: 'running',
            restartPolicy: 'always',
            imagePullPolicy: 'on-create',
            startupOrder: 1,
            env: { NAME: { value: 'v' } },
            settings: { image: TEMP_IMAGE, createOptions: '{}' },
          },
          filter: {
            version: '1.0',
            type: 'docker',
            status: 'running',
            restartPolicy: 'always',
            settings: { image: FILTER_IMAGE, createOptions: '{}' },
          },
        },
      },
    },
    $edgeHub: {
      'properties.desired': {
        schemaVersion: '1.1',
        routes: {
          r1: UPSTREAM_ROUTE,
          r2: { route: 'FROM /messages/modules/tempSensor/outputs/* INTO BrokeredEndpoint("/modules/filter/inputs/input1")', priority: 0, timeToLiveSecs: 86400 },
        },
        storeAndForwardConfiguration: { timeToLiveSecs: 7200 },
      },
    },
    tempSensor: { 'properties.desired': { SendInterval: 5 } },
  };
}

/** What an edge agent reports after reconciling desired $version `version` with status `code`. */
function agentReport(version, code) {
  const running = (image) => ({
    runtimeStatus: 'running', status: 'running', type: 'docker', restartPolicy: 'always', exitCode: 0,
    statusDescription: 'running', restartCount: 0, version: '1.0', settings: { image },
  });
  return {
    schemaVersion: '1.0',
    version: { version: '1.4.0', build: 'interop', commit: '0000000' },
    lastDesiredVersion: version,
    lastDesiredStatus: { code, description: code === 200 ? '' : 'The operation was canceled' },
    runtime: { type: 'docker', platform: { os: 'linux', architecture: 'x86_64', version: '1.4.0' } },
    systemModules: {
      edgeAgent: { runtimeStatus: 'running', type: 'docker', settings: { image: 'mcr.microsoft.com/azureiotedge-agent:1.4' } },
      edgeHub: { runtimeStatus: 'running', status: 'running', type: 'docker', restartPolicy: 'always', settings: { image: 'mcr.microsoft.com/azureiotedge-hub:1.4' } },
    },
    modules: { tempSensor: running(TEMP_IMAGE), filter: running(FILTER_IMAGE) },
  };
}

/** Polls until the $edgeAgent and $edgeHub twins of `deviceId` carry the manifest; returns the $edgeAgent twin. */
async function expectManifest(deviceId, configurationsCheck) {
  return poll(`manifest on ${deviceId}`, async () => {
    const { responseBody: agent } = await reg.getModuleTwin(deviceId, '$edgeAgent');
    assert.strictEqual(agent.moduleId, '$edgeAgent');
    const desired = agent.properties.desired;
    assert.strictEqual(desired.modules && desired.modules.tempSensor && desired.modules.tempSensor.settings.image, TEMP_IMAGE,
      `$edgeAgent desired: ${JSON.stringify(desired)}`);
    assert.strictEqual(desired.modules.filter && desired.modules.filter.settings.image, FILTER_IMAGE);
    assert.strictEqual(desired.modules.tempSensor.settings.createOptions, '{}');
    assert.strictEqual(desired.systemModules.edgeHub.status, 'running');
    assert.strictEqual(desired.schemaVersion, '1.1');
    configurationsCheck(agent.configurations);
    const { responseBody: hub } = await reg.getModuleTwin(deviceId, '$edgeHub');
    assert.strictEqual(hub.properties.desired.routes && hub.properties.desired.routes.r1, UPSTREAM_ROUTE,
      `$edgeHub desired: ${JSON.stringify(hub.properties.desired)}`);
    assert.strictEqual(hub.properties.desired.storeAndForwardConfiguration.timeToLiveSecs, 7200);
    return agent;
  });
}

/** Polls getConfiguration until systemMetrics.results has exactly the `wanted` counts. */
function expectMetrics(wanted) {
  return poll(`deployment metrics ${JSON.stringify(wanted)}`, async () => {
    const { responseBody: c } = await reg.getConfiguration(deploymentId);
    const results = (c.systemMetrics && c.systemMetrics.results) || {};
    for (const [name, value] of Object.entries(wanted)) {
      assert.strictEqual(results[name], value, `systemMetrics: ${JSON.stringify(c.systemMetrics)}`);
    }
  });
}

async function cleanup() {
  await Promise.all(openClients.map((c) => c.close().catch(() => {})));
  await reg.removeConfiguration(deploymentId).catch(() => {});
  await reg.removeConfiguration(badId).catch(() => {});
  await reg.delete(edgeId).catch(() => {});
  await reg.delete(edge2Id).catch(() => {});
}

run(async () => {
  await step('IoT Edge device created', async () => {
    const { responseBody: d } = await reg.create({ deviceId: edgeId, capabilities: { iotEdge: true } });
    assert.strictEqual(d.capabilities && d.capabilities.iotEdge, true, JSON.stringify(d));
  });

  await step('getModulesOnDevice shows $edgeAgent and $edgeHub', async () => {
    const { responseBody: list } = await reg.getModulesOnDevice(edgeId);
    assert.ok(Array.isArray(list), `expected an array, got ${JSON.stringify(list)}`);
    assert.deepStrictEqual(list.map((m) => m.moduleId).sort(), ['$edgeAgent', '$edgeHub']);
  });

  await step("edge device tagged site='plant1'", async () => {
    const { responseBody: twin } = await reg.getTwin(edgeId);
    await twin.update({ tags: { site: 'plant1' } });
  });

  await step('addConfiguration of the edge deployment', async () => {
    const { responseBody: c } = await reg.addConfiguration({
      id: deploymentId, content: { modulesContent: manifest() }, targetCondition: "tags.site='plant1'", priority: 10,
    });
    assert.strictEqual(c.id, deploymentId, JSON.stringify(c));
  });

  await step('a manifest with createOptions as an object is refused with 400 naming the path', async () => {
    const bad = manifest();
    bad.$edgeAgent['properties.desired'].modules.tempSensor.settings.createOptions = { HostConfig: {} };
    await expectRejection(reg.addConfiguration({ id: badId, content: { modulesContent: bad }, targetCondition: "tags.site='plant1'", priority: 5 }),
      (err) => err.name === 'ArgumentError' && /createOptions/.test(err.responseBody) && /tempSensor/.test(err.responseBody),
      'createOptions object');
    await expectRejection(reg.getConfiguration(badId), isNotFound(), 'the refused deployment was not stored');
  });

  const agentTwin = await step('deployment reaches the edge agent twin', () => expectManifest(edgeId, (configurations) => {
    const entry = configurations && configurations[deploymentId];
    assert.strictEqual(entry && entry.status, 'Applied', `configurations: ${JSON.stringify(configurations)}`);
  }), 25000);

  await step('deployment is applied: targetedCount 1, appliedCount 1', () => expectMetrics({ targetedCount: 1, appliedCount: 1 }), 25000);

  const { responseBody: agentModule } = await reg.getModule(edgeId, '$edgeAgent');
  const agent = await moduleClient(edgeId, '$edgeAgent', agentModule.authentication.symmetricKey.primaryKey);
  await step('simulated edge agent opens as $edgeAgent', async () => {
    await agent.open();
    openClients.push(agent);
  });

  const twin = await step('edge agent reads the deployment from its twin', async () => {
    const t = await agent.getTwin();
    assert.strictEqual(t.properties.desired.modules.tempSensor.settings.image, TEMP_IMAGE);
    assert.strictEqual(t.properties.desired.$version, agentTwin.properties.desired.$version);
    return t;
  });
  const desiredVersion = twin.properties.desired.$version;

  await step('edge agent reports success for the desired version', () => new Promise((resolve, reject) => {
    twin.properties.reported.update(agentReport(desiredVersion, 200), (err) => (err ? reject(err) : resolve()));
  }));

  await step('reportedSuccessfulCount follows the agent', () =>
    expectMetrics({ targetedCount: 1, appliedCount: 1, reportedSuccessfulCount: 1, reportedFailedCount: 0 }), 25000);

  await step('edge agent reports a failure (500)', () => new Promise((resolve, reject) => {
    twin.properties.reported.update({ lastDesiredStatus: { code: 500, description: 'The operation was canceled' } },
      (err) => (err ? reject(err) : resolve()));
  }));

  await step('reportedFailedCount follows the agent', () =>
    expectMetrics({ appliedCount: 1, reportedSuccessfulCount: 0, reportedFailedCount: 1 }), 25000);

  await step('the $edgeAgent twin shows what the agent reported', async () => {
    const { responseBody: t } = await reg.getModuleTwin(edgeId, '$edgeAgent');
    assert.strictEqual(t.properties.reported.lastDesiredVersion, desiredVersion);
    assert.strictEqual(t.properties.reported.lastDesiredStatus.code, 500);
    assert.strictEqual(t.properties.reported.modules.tempSensor.runtimeStatus, 'running');
  });

  await step('edge agent closes', async () => {
    openClients.splice(0);
    await agent.close();
  });

  await step('second IoT Edge device created (untagged)', () => reg.create({ deviceId: edge2Id, capabilities: { iotEdge: true } }));

  await step('applyConfigurationContentOnDevice writes the manifest without a configurations entry', async () => {
    await reg.applyConfigurationContentOnDevice(edge2Id, { modulesContent: manifest() });
    await expectManifest(edge2Id, (configurations) => {
      assert.deepStrictEqual(keysOf(configurations), [], `configurations: ${JSON.stringify(configurations)}`);
    });
  });

  await step('deployment and devices removed', async () => {
    await reg.removeConfiguration(deploymentId);
    await reg.delete(edgeId);
    await reg.delete(edge2Id);
    await expectRejection(reg.getModule(edgeId, '$edgeAgent'), isNotFound(), '$edgeAgent of the deleted device');
  });

  console.log('all edge deployment interop steps passed');
}, { timeoutMs: 150000, cleanup });

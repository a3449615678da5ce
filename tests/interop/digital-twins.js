// Interop test: the digital twins API through the unmodified @azure/digital-twins-core SDK, on the node's digital twins
// listener (its own HTTPS port), with a credential that hands the SDK a hub policy SAS token as its bearer token.
//  - DTDL models for a building, a floor and a room (uploaded in one batch, out of order, the room extending a base
//    space with a component), listed with their dependencies, read with their definitions;
//  - twins created and read (with $metadata), updated with JSON Patch; writes that break the model refused with
//    ValidationFailed and nothing changed; a component read;
//  - relationships building -contains-> floor -contains-> room, listed both ways; a relationship the model lacks or to
//    a twin of the wrong model refused; a twin with relationships cannot be deleted;
//  - a model in use cannot be deleted; decommissioned, it takes no new twin; everything removed at the end.
//
// Run from the repo root:  node tests/interop/digital-twins.js
// Needs:  DEVICEFABRIC_CONNECTION_STRING (owner), DIGITALTWINS_URL (https://localhost:<port>), NODE_EXTRA_CA_CERTS,
//         DEVICE_CONNECTION_STRING (a device, HostName=localhost:<mqtt tls port>) and DEVICEFABRIC_CA for the bound device.
'use strict';

const assert = require('assert');
const crypto = require('crypto');
const { DigitalTwinsClient } = require('@azure/digital-twins-core');
const { env, uniqueSuffix, step, poll, run } = require('./hub');

const suffix = uniqueSuffix();
const owner = Object.fromEntries(env('DEVICEFABRIC_CONNECTION_STRING').split(';').map((p) => [p.slice(0, p.indexOf('=')), p.slice(p.indexOf('=') + 1)]));

/** A TokenCredential whose token is an owner SAS token: the SDK sends it as `Authorization: Bearer <token>`. */
const credential = {
  async getToken() {
    const sr = encodeURIComponent(owner.HostName);
    const se = Math.floor(Date.now() / 1000) + 3600;
    const sig = crypto.createHmac('sha256', Buffer.from(owner.SharedAccessKey, 'base64')).update(`${sr}\n${se}`).digest('base64');
    return { token: `SharedAccessSignature sr=${sr}&sig=${encodeURIComponent(sig)}&se=${se}&skn=${owner.SharedAccessKeyName}`, expiresOnTimestamp: se * 1000 };
  },
};
const client = new DigitalTwinsClient(env('DIGITALTWINS_URL'), credential);

const ns = `dtmi:contoso:t${suffix}`;
const ids = { space: `${ns}:Space;1`, building: `${ns}:Building;1`, floor: `${ns}:Floor;1`, room: `${ns}:Room;1`, thermostat: `${ns}:Thermostat;1` };
const twins = { building: `b-${suffix}`, floor: `f-${suffix}`, room: `r-${suffix}` };
const context = 'dtmi:dtdl:context;3';
const models = [
  { '@id': ids.room, '@type': 'Interface', '@context': context, displayName: 'Room', extends: ids.space,
    contents: [
      { '@type': 'Property', name: 'temperature', schema: 'double', writable: true },
      { '@type': 'Property', name: 'occupancy', schema: { '@type': 'Enum', valueSchema: 'string', enumValues: [{ name: 'free', enumValue: 'free' }, { name: 'busy', enumValue: 'busy' }] } },
      { '@type': 'Component', name: 'thermostat', schema: ids.thermostat },
    ] },
  { '@id': ids.floor, '@type': 'Interface', '@context': context, displayName: 'Floor', extends: ids.space,
    contents: [{ '@type': 'Relationship', name: 'contains', target: ids.room, properties: [{ '@type': 'Property', name: 'since', schema: 'date' }] }] },
  { '@id': ids.building, '@type': 'Interface', '@context': context, displayName: 'Building', extends: ids.space,
    contents: [{ '@type': 'Relationship', name: 'contains', target: ids.floor, maxMultiplicity: 100 }] },
  { '@id': ids.thermostat, '@type': 'Interface', '@context': context, contents: [{ '@type': 'Property', name: 'setPoint', schema: 'double', writable: true }] },
  { '@id': ids.space, '@type': 'Interface', '@context': context, contents: [{ '@type': 'Property', name: 'name', schema: 'string' }] },
];

/** A request to the digital twins listener for the fabric's own paths (bindings), with the same bearer token. */
async function credentialFetch(method, path, body) {
  const { token } = await credential.getToken();
  const url = new URL(path, env('DIGITALTWINS_URL'));
  await new Promise((resolve, reject) => {
    const req = require('https').request(url, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode < 300 ? resolve() : reject(new Error(`${method} ${path}: ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body ? JSON.stringify(body) : undefined);
  });
}

async function refused(what, fn, status, code) {
  try {
    await fn();
  } catch (err) {
    assert.strictEqual(err.statusCode, status, `${what}: ${err.statusCode} ${err.message}`);
    if (code) assert.ok(String(err.code || err.message).includes(code) || JSON.stringify(err.details || {}).includes(code), `${what}: ${err.code} ${err.message}`);
    return;
  }
  assert.fail(`${what}: expected ${status}, but it succeeded`);
}

async function list(iterator) {
  const items = [];
  for await (const item of iterator) items.push(item);
  return items;
}

async function main() {
  await step('models uploaded in one batch, out of order', async () => {
    const created = await client.createModels(models);
    assert.deepStrictEqual(created.map((m) => m.id).sort(), Object.values(ids).sort());
    const room = await client.getModel(ids.room, true);
    assert.strictEqual(room.model['@id'], ids.room);
    const deps = await list(client.listModels([ids.room], false));
    assert.deepStrictEqual(deps.map((m) => m.id).sort(), [ids.room, ids.space, ids.thermostat].sort());
    await refused('a model that extends nothing known', () => client.createModels([
      { '@id': `${ns}:Orphan;1`, '@type': 'Interface', '@context': context, extends: `${ns}:Nowhere;1` }]), 400, 'DTDLParserError');
    await refused('the same model again', () => client.createModels([models[4]]), 409, 'ModelAlreadyExists');
  });

  await step('twins created, read and patched', async () => {
    await client.upsertDigitalTwin(twins.building, JSON.stringify({ $metadata: { $model: ids.building }, name: 'HQ' }));
    await client.upsertDigitalTwin(twins.floor, JSON.stringify({ $metadata: { $model: ids.floor }, name: 'Ground' }));
    const room = await client.upsertDigitalTwin(twins.room, JSON.stringify({
      $metadata: { $model: ids.room }, name: 'R1', temperature: 20.5, occupancy: 'free', thermostat: { $metadata: {}, setPoint: 21 } }));
    assert.strictEqual(room.body.$dtId, twins.room);
    const read = await client.getDigitalTwin(twins.room);
    assert.strictEqual(read.body.$metadata.$model, ids.room);
    assert.ok(read.body.$metadata.temperature.lastUpdateTime);
    await client.updateDigitalTwin(twins.room, [{ op: 'replace', path: '/temperature', value: 22.5 }, { op: 'add', path: '/thermostat/setPoint', value: 23 }]);
    const patched = (await client.getDigitalTwin(twins.room)).body;
    assert.strictEqual(patched.temperature, 22.5);
    assert.strictEqual(patched.thermostat.setPoint, 23);
    assert.strictEqual((await client.getComponent(twins.room, 'thermostat')).body.setPoint, 23);
  });

  await step('writes that break the model are refused and change nothing', async () => {
    const before = (await client.getDigitalTwin(twins.room)).body;
    await refused('a string for a double', () => client.updateDigitalTwin(twins.room, [{ op: 'replace', path: '/temperature', value: 'hot' }]), 400, 'ValidationFailed');
    await refused('an unknown property', () => client.updateDigitalTwin(twins.room, [{ op: 'add', path: '/colour', value: 'red' }]), 400, 'ValidationFailed');
    await refused('an enum value not in the enum', () => client.updateDigitalTwin(twins.room, [{ op: 'replace', path: '/occupancy', value: 'maybe' }]), 400, 'ValidationFailed');
    await refused('a missing component', () => client.upsertDigitalTwin(`x-${suffix}`, JSON.stringify({ $metadata: { $model: ids.room }, name: 'X' })), 400, 'ValidationFailed');
    await refused('a twin that is not there', () => client.getDigitalTwin(`none-${suffix}`), 404, 'DigitalTwinNotFound');
    const after = (await client.getDigitalTwin(twins.room)).body;
    assert.deepStrictEqual(after, before);
  });

  await step('relationships follow the models', async () => {
    await client.upsertRelationship(twins.building, 'b-f', { $relationshipId: 'b-f', $sourceId: twins.building, $targetId: twins.floor, $relationshipName: 'contains' });
    await client.upsertRelationship(twins.floor, 'f-r', { $relationshipId: 'f-r', $sourceId: twins.floor, $targetId: twins.room, $relationshipName: 'contains', since: '2026-01-01' });
    const out = await list(client.listRelationships(twins.floor));
    assert.deepStrictEqual(out.map((r) => r.$targetId), [twins.room]);
    const incoming = await list(client.listIncomingRelationships(twins.floor));
    assert.deepStrictEqual(incoming.map((r) => r.sourceId), [twins.building]); // the SDK names ADT's $sourceId sourceId
    await refused('a relationship the model lacks', () => client.upsertRelationship(twins.room, 'r-b',
      { $relationshipId: 'r-b', $sourceId: twins.room, $targetId: twins.building, $relationshipName: 'contains' }), 400, 'InvalidRelationship');
    await refused('a target of the wrong model', () => client.upsertRelationship(twins.building, 'b-r',
      { $relationshipId: 'b-r', $sourceId: twins.building, $targetId: twins.room, $relationshipName: 'contains' }), 400, 'InvalidRelationship');
    await refused('a twin with relationships', () => client.deleteDigitalTwin(twins.floor), 400, 'RelationshipsNotDeleted');
    await client.updateRelationship(twins.floor, 'f-r', [{ op: 'replace', path: '/since', value: '2026-02-01' }]);
    assert.strictEqual((await client.getRelationship(twins.floor, 'f-r')).body.since, '2026-02-01');
    await refused('a relationship property of the wrong type', () => client.updateRelationship(twins.floor, 'f-r',
      [{ op: 'replace', path: '/since', value: 12 }]), 400, 'ValidationFailed');
  });

  await step('queries: IS_OF_MODEL with paging, COUNT, a two-hop JOIN and MATCH', async () => {
    const spaces = await list(client.queryTwins(`SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('${ids.space}')`, 2));
    assert.deepStrictEqual(spaces.map((t) => t.$dtId).sort(), Object.values(twins).sort());
    const exact = await list(client.queryTwins(`SELECT * FROM DIGITALTWINS WHERE IS_OF_MODEL('${ids.space}', exact)`));
    assert.deepStrictEqual(exact, []);
    const warm = await list(client.queryTwins(`SELECT T.name, T.temperature FROM DIGITALTWINS T WHERE IS_OF_MODEL(T, '${ids.room}') AND T.temperature > 22`));
    assert.deepStrictEqual(warm, [{ name: 'R1', temperature: 22.5 }]);
    const count = await list(client.queryTwins(`SELECT COUNT() FROM DIGITALTWINS WHERE IS_OF_MODEL('${ids.space}') AND STARTSWITH($dtId, 'f-')`));
    assert.deepStrictEqual(count, [{ COUNT: 1 }]);
    const joined = await list(client.queryTwins(
      `SELECT R, L FROM DIGITALTWINS B JOIN F RELATED B.contains JOIN R RELATED F.contains L WHERE B.$dtId = '${twins.building}' AND R.occupancy = 'free'`));
    assert.strictEqual(joined.length, 1);
    assert.strictEqual(joined[0].R.$dtId, twins.room);
    assert.strictEqual(joined[0].L.since, '2026-02-01');
    const twoHops = await list(client.queryTwins(`SELECT R FROM DIGITALTWINS MATCH (B)-[:contains*2]->(R) WHERE B.$dtId = '${twins.building}'`));
    assert.deepStrictEqual(twoHops.map((r) => r.R.$dtId), [twins.room]);
    const back = await list(client.queryTwins(`SELECT F, rel FROM DIGITALTWINS MATCH (R)<-[rel:contains]-(F) WHERE R.$dtId = '${twins.room}'`));
    assert.deepStrictEqual(back.map((r) => [r.F.$dtId, r.rel.since]), [[twins.floor, '2026-02-01']]);
    const upToThree = await list(client.queryTwins(`SELECT X FROM DIGITALTWINS MATCH (B)-[*..3]->(X) WHERE B.$dtId = '${twins.building}'`));
    assert.deepStrictEqual(upToThree.map((r) => r.X.$dtId).sort(), [twins.floor, twins.room].sort());
    await refused('a query that does not parse', () => list(client.queryTwins('SELECT * FROM DIGITALTWINS WHERE')), 400, 'SqlQueryError');
  });

  await step('a device on the npm device SDK keeps its twin through reported properties and telemetry', async () => {
    const { Client, Message } = require('azure-iot-device');
    const { Mqtt } = require('azure-iot-device-mqtt');
    const device = Client.fromConnectionString(env('DEVICE_CONNECTION_STRING'), Mqtt);
    await device.setOptions({ ca: require('fs').readFileSync(env('DEVICEFABRIC_CA'), 'utf8'), modelId: ids.room });
    await device.open();
    try {
      const deviceId = env('DEVICE_CONNECTION_STRING').match(/DeviceId=([^;]+)/)[1];
      const boundTwin = `dev-${deviceId}`;
      await credentialFetch('PUT', `/bindings/rules/rooms-${suffix}`, { modelId: ids.room, twinIdPattern: 'dev-{deviceId}' });
      const twin = await device.getTwin();
      await new Promise((resolve, reject) => twin.properties.reported.update({ temperature: 19.5, thermostat: { __t: 'c', setPoint: 18 } }, (e) => (e ? reject(e) : resolve())));
      await poll('the bound twin has the reported values', async () => {
        const body = (await client.getDigitalTwin(boundTwin)).body;
        assert.strictEqual(body.temperature, 19.5);
        assert.strictEqual(body.thermostat.setPoint, 18);
      }, 20000, 200);
      await device.sendEvent(new Message(JSON.stringify({ temperature: 24.25 })));
      await poll('the bound twin has the telemetry value', async () => assert.strictEqual((await client.getDigitalTwin(boundTwin)).body.temperature, 24.25), 20000, 200);
      await credentialFetch('DELETE', `/bindings/rules/rooms-${suffix}`);
      await client.deleteDigitalTwin(boundTwin);
    } finally {
      await device.close();
    }
  });

  await step('models in use are kept; decommissioned ones take no new twin', async () => {
    await refused('deleting a model in use', () => client.deleteModel(ids.room), 409, 'ModelReferencesNotDeleted');
    await client.decomissionModel(ids.building);
    assert.strictEqual((await client.getModel(ids.building)).decommissioned, true);
    await refused('a new twin of a decommissioned model', () => client.upsertDigitalTwin(`b2-${suffix}`,
      JSON.stringify({ $metadata: { $model: ids.building }, name: 'Annex' })), 400, 'ModelDecommissioned');
  });

  await step('everything removed', async () => {
    await client.deleteRelationship(twins.floor, 'f-r');
    await client.deleteRelationship(twins.building, 'b-f');
    for (const id of Object.values(twins)) await client.deleteDigitalTwin(id);
    for (const id of [ids.building, ids.floor, ids.room, ids.thermostat, ids.space]) await client.deleteModel(id);
    await refused('a deleted model', () => client.getModel(ids.space), 404, 'ModelNotFound');
  });
}

run(main, { timeoutMs: 90000 });

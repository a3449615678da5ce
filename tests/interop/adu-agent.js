// A simulated Device Update for IoT Hub (ADU) agent on the unmodified npm device SDK (azure-iot-device Client over
// azure-iot-device-mqtt), speaking ADU's twin contract (component `deviceUpdate`, "__t":"c") against DeviceFabric.
// Contract facts it follows, as in the ADU agent source:
// - It connects with model id dtmi:azure:iot:deviceUpdateModel;3 and at startup reports agent.state 0 (Idle),
//   installedUpdateId (a JSON string, or ""), deviceProperties (manufacturer, model,
//   contractModelId dtmi:azure:iot:deviceUpdateContractModel;3, aduVer, doVer) and compatPropertyNames.
// - It reads desired deviceUpdate.service = { workflow: { action, id, retryTimestamp? }, updateManifest (a JSON
//   string), updateManifestSignature (a JWS), fileUrls }. Action 3 = ProcessDeployment, 255 = Cancel.
// - Retry rule: a workflow id it has seen before is processed again only when retryTimestamp differs from the
//   last one processed for that id. A new id, or a cancel, stops the workflow in progress.
// - While deploying it reports state 6 (DeploymentInProgress) with resultCode 400, then acknowledges the
//   writable property { value, ac: 200, ad: '', av: <desired $version> }. Success reports state 0 with
//   resultCode 700 and the new installedUpdateId. Failure reports state 255 (Failed) with resultCode 0 and
//   extendedResultCodes as 8 upper-case hex digits. Cancel reports state 0 with resultCode 800.
// - The manifest's files carry `fileName` (capital N), sizeInBytes and hashes.sha256 (base64). The agent downloads
//   them over HTTPS, trusting `ca`.
// Failure codes this simulation uses: 0x30000001 bad signature, 0x30000002 not compatible or unreadable manifest,
// 0x30000003 size/hash mismatch, 0x30000004 download failed (HTTP status other than 200, transport error or missing
// URL), 0x30000005 `behaviour` threw or returned something unknown.
'use strict';

const crypto = require('crypto');
const https = require('https');
const { EventEmitter } = require('events');
const { Client } = require('azure-iot-device');
const { Mqtt } = require('azure-iot-device-mqtt');

const MODEL_ID = 'dtmi:azure:iot:deviceUpdateModel;3';
const CONTRACT_MODEL_ID = 'dtmi:azure:iot:deviceUpdateContractModel;3';
const STATE = { IDLE: 0, DEPLOYMENT_IN_PROGRESS: 6, FAILED: 255 };
const ACTION = { PROCESS_DEPLOYMENT: 3, CANCEL: 255 };
const RESULT = { FAILURE: 0, IN_PROGRESS: 400, SUCCESS: 700, CANCELLED: 800 };
const ERC = { SIGNATURE: 0x30000001, COMPATIBILITY: 0x30000002, FILE_MISMATCH: 0x30000003, DOWNLOAD: 0x30000004, HANDLER: 0x30000005 };

/** Base64 of the SHA-256 of `buffer`, as ADU manifests and the signature payload write it. */
function sha256Base64(buffer) {
  return crypto.createHash('sha256').update(buffer).digest('base64');
}

const hex8 = (code) => (code >>> 0).toString(16).toUpperCase().padStart(8, '0');
const component = (body) => ({ deviceUpdate: { __t: 'c', ...body } });
const updateIdString = (u) => (u ? JSON.stringify({ provider: u.provider, name: u.name, version: u.version }) : '');
const token = (wf) => (wf.retryTimestamp === undefined ? null : wf.retryTimestamp);
const result = (resultCode, stepResults = {}) => ({ resultCode, extendedResultCodes: '00000000', resultDetails: '', stepResults });

class WorkflowFailure extends Error {
  constructor(extendedResultCode, message) {
    super(message);
    this.extendedResultCode = extendedResultCode;
  }
}

/** True when `jws` is an RS256 compact JWS made with `jwk` whose payload {"sha256"} is the hash of `manifest`. */
function verifySignature(manifest, jws, jwk) {
  try {
    const parts = typeof jws === 'string' ? jws.split('.') : [];
    if (parts.length !== 3 || !jwk || jwk.kty !== 'RSA' || typeof manifest !== 'string') return false;
    const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
    if (header.alg !== 'RS256') return false;
    const key = crypto.createPublicKey({ key: { kty: 'RSA', n: jwk.n, e: jwk.e }, format: 'jwk' });
    if (!crypto.verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), key, Buffer.from(parts[2], 'base64url'))) return false;
    const payload = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    return payload.sha256 === sha256Base64(Buffer.from(manifest, 'utf8'));
  } catch {
    return false;
  }
}

/** GETs `url` trusting `ca`, streaming the body into a SHA-256 and a byte count; checks ctx.canceled per chunk. */
function download(url, ca, ctx) {
  return new Promise((resolve, reject) => {
    const request = https.get(new URL(url), { ca }, async (response) => {
      if (response.statusCode !== 200) {
        response.resume();
        resolve({ status: response.statusCode });
        return;
      }
      const hash = crypto.createHash('sha256');
      let bytes = 0;
      try {
        for await (const chunk of response) {
          if (ctx.canceled) {
            resolve({ canceled: true }); // leaving the loop destroys the response
            return;
          }
          hash.update(chunk);
          bytes += chunk.length;
        }
        resolve({ status: 200, bytes, sha256: hash.digest('base64') });
      } catch (err) {
        reject(err);
      }
    });
    request.on('error', reject);
    ctx.request = request;
  });
}

class AduAgent {
  constructor({ connectionString, ca, manufacturer, model, installedUpdateId = null, behaviour, health, signingKey, log }) {
    this._connectionString = connectionString;
    this._ca = ca;
    this.deviceProperties = { manufacturer, model, contractModelId: CONTRACT_MODEL_ID, aduVer: 'DU;agent/1.1.0', doVer: 'DU;lib/v1.0.0' };
    this.installedUpdateId = installedUpdateId;
    this.behaviour = behaviour || (async () => 'succeed');
    this.health = health;
    this.signingKey = signingKey || null; // may also be assigned after construction (e.g. from fetchSigningKey)
    this.log = log || (() => {});
    this.events = new EventEmitter();
    this.state = undefined;
    this.downloads = 0;
    this.processed = [];
    this.errors = [];
    this._lastRetry = new Map(); // workflow id -> retryTimestamp last processed (null when absent)
    this._canceledIds = new Set();
    this._current = null; // the deployment in progress: { id, canceled, request, cancel() }
    this._queue = Promise.resolve();
    this._stopped = false;
  }

  async start() {
    this._client = Client.fromConnectionString(this._connectionString, Mqtt);
    this._client.on('error', (err) => this._error(err));
    await this._client.setOptions({ modelId: MODEL_ID, ca: this._ca });
    await this._client.open();
    this._twin = await this._client.getTwin();
    this._twin.on('error', (err) => this._error(err));
    await this._report(component({ agent: { state: STATE.IDLE, installedUpdateId: updateIdString(this.installedUpdateId),
      deviceProperties: this.deviceProperties, compatPropertyNames: 'manufacturer,model' } }));
    // The SDK fires this once right away (next tick) when the twin already has deviceUpdate, then on every desired
    // patch that touches it; the handler reads the merged desired from the twin either way.
    this._twin.on('properties.desired.deviceUpdate', () => this._onDesired());
  }

  async stop() {
    this._stopped = true;
    if (this._current) this._current.cancel();
    await this._queue;
    if (this._client) await this._client.close();
  }

  _error(err) {
    this.log(`error: ${err && err.stack ? err.stack : err}`);
    this.errors.push(err);
    if (this.events.listenerCount('error')) this.events.emit('error', err);
  }

  /** The one way reported properties are written: resolves after the SDK's callback, rejects on its error. */
  _report(patch) {
    this.log(`report ${JSON.stringify(patch)}`);
    return new Promise((resolve, reject) => {
      this._twin.properties.reported.update(patch, (err) => {
        if (err) { err.duringReport = true; reject(err); return; }
        const agent = patch.deviceUpdate && patch.deviceUpdate.agent;
        if (agent && typeof agent.state === 'number') this.state = agent.state;
        resolve();
      });
    });
  }

  _wouldProcess(wf) {
    if (wf.action === ACTION.PROCESS_DEPLOYMENT) return !this._lastRetry.has(wf.id) || this._lastRetry.get(wf.id) !== token(wf);
    if (wf.action === ACTION.CANCEL) return !this._canceledIds.has(wf.id);
    return false;
  }

  /** Snapshots the desired component, cancels the deployment in progress if this change supersedes it, queues it. */
  _onDesired() {
    if (this._stopped) return;
    const desired = this._twin.properties.desired;
    const du = desired.deviceUpdate;
    const item = { service: du && du.service ? structuredClone(du.service) : null, version: desired.$version, aborted: null };
    const wf = item.service && item.service.workflow;
    const current = this._current;
    if (wf && current && !current.canceled && this._wouldProcess(wf)) {
      this.log(`workflow ${current.id} canceled by ${wf.action === ACTION.CANCEL ? 'cancel' : 'workflow'} ${wf.id}`);
      current.cancel();
      item.aborted = current.id;
    }
    this._queue = this._queue.then(() => this._handle(item)).catch((err) => this._error(err));
  }

  async _handle({ service, version, aborted }) {
    const wf = service && service.workflow;
    if (this._stopped || !wf || wf.id === undefined || wf.id === null) return;
    if (!this._wouldProcess(wf)) {
      this.log(`ignoring workflow ${wf.id} (action ${wf.action}, retryTimestamp ${token(wf)})`);
      return;
    }
    if (wf.action === ACTION.CANCEL) {
      this._canceledIds.add(wf.id);
      this.events.emit('workflow', wf.id, wf.action);
      // A deployment in progress was canceled when this change arrived and, being earlier in the queue, has settled.
      await this._report(component({ agent: { state: STATE.IDLE, workflow: { action: ACTION.CANCEL, id: wf.id }, lastInstallResult: result(RESULT.CANCELLED) } }));
      this.events.emit('canceled', wf.id, aborted);
      return;
    }
    if (typeof version !== 'number') throw new Error(`desired $version is ${JSON.stringify(version)}, not a number`);
    this._lastRetry.set(wf.id, token(wf));
    this.processed.push(wf.id);
    this.events.emit('workflow', wf.id, wf.action);
    await this._deploy(service, version, wf);
  }

  async _deploy(service, version, wf) {
    const ctx = { id: wf.id, canceled: false, request: null };
    ctx.cancel = () => { ctx.canceled = true; if (ctx.request) ctx.request.destroy(); };
    this._current = ctx;
    const workflow = { action: ACTION.PROCESS_DEPLOYMENT, id: wf.id };
    if (wf.retryTimestamp !== undefined && wf.retryTimestamp !== null) workflow.retryTimestamp = wf.retryTimestamp;
    try {
      if (ctx.canceled) return;
      await this._report(component({ agent: { state: STATE.DEPLOYMENT_IN_PROGRESS, workflow, lastInstallResult: result(RESULT.IN_PROGRESS) } }));
      if (ctx.canceled) return;
      const value = { ...structuredClone(service), updateManifestSignature: null, fileUrls: null };
      await this._report(component({ service: { value, ac: 200, ad: '', av: version } }));

      const manifest = this._checkManifest(service);
      const urls = service.fileUrls || {};
      for (const [fileId, file] of Object.entries(manifest.files || {})) {
        if (ctx.canceled) return;
        if (!urls[fileId]) throw new WorkflowFailure(ERC.DOWNLOAD, `no fileUrl for file ${fileId}`);
        const got = await download(urls[fileId], this._ca, ctx).catch((err) => {
          if (ctx.canceled) return { canceled: true };
          throw new WorkflowFailure(ERC.DOWNLOAD, `download of ${fileId} failed: ${err.message}`);
        });
        if (got.canceled || ctx.canceled) return;
        if (got.status !== 200) throw new WorkflowFailure(ERC.DOWNLOAD, `download of ${fileId} answered HTTP ${got.status}`);
        this.downloads++;
        const expectedHash = file && file.hashes && file.hashes.sha256;
        if (!file || got.bytes !== file.sizeInBytes || got.sha256 !== expectedHash) {
          throw new WorkflowFailure(ERC.FILE_MISMATCH, `${file && file.fileName} (${fileId}): got ${got.bytes} bytes sha256 ${got.sha256}`);
        }
        this.log(`downloaded ${file.fileName} (${fileId}, ${got.bytes} bytes)`);
        this.events.emit('downloaded', fileId, got.bytes);
      }

      if (ctx.canceled) return;
      const outcome = await this.behaviour(manifest, this);
      if (ctx.canceled) return;
      if (outcome && typeof outcome === 'object' && outcome.fail) {
        await this._fail(ctx, workflow, outcome.fail.resultCode, outcome.fail.extendedResultCode, 'behaviour asked to fail');
        return;
      }
      if (outcome !== 'succeed') throw new WorkflowFailure(ERC.HANDLER, `behaviour returned ${JSON.stringify(outcome)}`);
      const u = manifest.updateId || {};
      const installed = { provider: u.provider, name: u.name, version: u.version };
      const step0 = { resultCode: RESULT.SUCCESS, extendedResultCodes: '00000000', resultDetails: '' };
      await this._report(component({ agent: { state: STATE.IDLE, workflow, installedUpdateId: updateIdString(installed),
        lastInstallResult: result(RESULT.SUCCESS, { step_0: step0 }) } }));
      this.installedUpdateId = installed;
      if (this.health !== undefined && this.health !== null) await this._report({ health: this.health });
      this.events.emit('succeeded', installed, wf.id);
    } catch (err) {
      if (err.duringReport) throw err;
      if (ctx.canceled) return;
      const failure = err instanceof WorkflowFailure ? err : new WorkflowFailure(ERC.HANDLER, `behaviour threw: ${err.message}`);
      await this._fail(ctx, workflow, RESULT.FAILURE, failure.extendedResultCode, failure.message);
    } finally {
      if (this._current === ctx) this._current = null;
      if (ctx.canceled) this.log(`workflow ${ctx.id} stopped after cancellation; nothing more reported for it`);
    }
  }

  /** Verifies the signature, parses the manifest and checks compatibility; throws a WorkflowFailure otherwise. */
  _checkManifest(service) {
    if (!verifySignature(service.updateManifest, service.updateManifestSignature, this.signingKey)) {
      throw new WorkflowFailure(ERC.SIGNATURE, 'updateManifestSignature does not verify');
    }
    let manifest;
    try {
      manifest = JSON.parse(service.updateManifest);
    } catch (err) {
      throw new WorkflowFailure(ERC.COMPATIBILITY, `updateManifest is not JSON: ${err.message}`);
    }
    const props = this.deviceProperties;
    const matches = (entry) => entry && typeof entry === 'object' && Object.keys(entry).length > 0
      && Object.keys(entry).every((k) => props[k] !== undefined && String(entry[k]) === String(props[k]));
    if (!manifest || !Array.isArray(manifest.compatibility) || !manifest.compatibility.some(matches)) {
      throw new WorkflowFailure(ERC.COMPATIBILITY, `no compatibility entry matches ${JSON.stringify(props)}`);
    }
    return manifest;
  }

  async _fail(ctx, workflow, resultCode, extendedResultCode, details) {
    if (ctx.canceled) return;
    this.log(`workflow ${ctx.id} failed: ${details}`);
    const step0 = { resultCode, extendedResultCodes: hex8(extendedResultCode), resultDetails: '' };
    await this._report(component({ agent: { state: STATE.FAILED, workflow, installedUpdateId: updateIdString(this.installedUpdateId),
      lastInstallResult: { ...step0, stepResults: { step_0: step0 } } } }));
    this.events.emit('failed', resultCode, extendedResultCode, ctx.id);
  }
}

/** GETs the hub's ADU manifest signing key (a public JWK) with a service token, trusting `ca`. */
async function fetchSigningKey(hostPort, hub, serviceToken, ca) {
  const url = new URL(`https://${hostPort}/deviceUpdate/${encodeURIComponent(hub)}/signingKey?api-version=2022-10-01`);
  return new Promise((resolve, reject) => {
    const request = https.get(url, { ca, headers: { Authorization: serviceToken } }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk) => { text += chunk; });
      response.on('error', reject);
      response.on('end', () => {
        if (response.statusCode !== 200) reject(new Error(`GET ${url.pathname} answered HTTP ${response.statusCode}: ${text}`));
        else try { resolve(JSON.parse(text)); } catch (err) { reject(err); }
      });
    });
    request.on('error', reject);
  });
}

module.exports = { AduAgent, sha256Base64, fetchSigningKey, verifySignature, MODEL_ID, CONTRACT_MODEL_ID, STATE, ACTION, RESULT, ERC };

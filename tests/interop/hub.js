// Shared helpers of the module, configuration and IoT Edge interop scripts (modules.js, configurations.js,
// edge-deployment.js): the service SDK clients and module clients from the environment, step reporting with a
// per-step timeout, polling, rejection checks, a global timeout and best-effort cleanup when a step fails.
//
// Environment: DEVICEFABRIC_CONNECTION_STRING (owner policy, HostName=localhost; the REST API is https://localhost:443),
// NODE_EXTRA_CA_CERTS (the dev CA, for the service SDK), and for module clients DEVICEFABRIC_CA (the same CA PEM)
// and MQTT_HOST (localhost:<MQTT TLS port>).
'use strict';

const assert = require('assert');
const crypto = require('crypto');
const fs = require('fs');
const { Registry, Client: ServiceClient } = require('azure-iothub');
const { ModuleClient } = require('azure-iot-device');
const { Mqtt } = require('azure-iot-device-mqtt');

const STEP_TIMEOUT_MS = 30000;

function env(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set`);
  }
  return value;
}

/** A short lower-case hex suffix that makes ids of this run unique (configuration ids must be lower case). */
function uniqueSuffix() {
  return crypto.randomBytes(4).toString('hex');
}

/** The azure-iothub Registry of DEVICEFABRIC_CONNECTION_STRING. */
function registry() {
  return Registry.fromConnectionString(env('DEVICEFABRIC_CONNECTION_STRING'));
}

/** The azure-iothub service Client (only its REST side is used: invokeDeviceMethod). */
function serviceClient() {
  return ServiceClient.fromConnectionString(env('DEVICEFABRIC_CONNECTION_STRING'));
}

/**
 * A ModuleClient over MQTT to MQTT_HOST, trusting DEVICEFABRIC_CA. Like jobs.js, HostName is MQTT_HOST verbatim
 * (localhost:<port>): the SDK dials mqtts://<HostName> and also uses it in the username and the SAS `sr`.
 */
async function moduleClient(deviceId, moduleId, key) {
  const client = ModuleClient.fromConnectionString(
    `HostName=${env('MQTT_HOST')};DeviceId=${deviceId};ModuleId=${moduleId};SharedAccessKey=${key}`, Mqtt);
  await client.setOptions({ ca: fs.readFileSync(env('DEVICEFABRIC_CA'), 'utf8') });
  return client;
}

function describeError(err) {
  if (!(err instanceof Error)) return String(err);
  const lines = [`${err.name}: ${err.message}`];
  if (err.response && err.response.statusCode !== undefined) {
    lines.push(`  HTTP status: ${err.response.statusCode} ${err.response.statusMessage || ''}`.trimEnd());
  }
  if (err.responseBody !== undefined) lines.push(`  responseBody: ${err.responseBody}`);
  if (err.lastError) lines.push(`  last poll error: ${describeError(err.lastError)}`);
  if (err.stack) lines.push(err.stack);
  return lines.join('\n');
}

function withTimeout(what, promise, ms) {
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Runs one step within `timeoutMs`: prints "ok - name" and returns its result, or throws (run() reports it). */
async function step(name, fn, timeoutMs = STEP_TIMEOUT_MS) {
  let result;
  try {
    result = await withTimeout(`step '${name}'`, Promise.resolve().then(fn), timeoutMs);
  } catch (err) {
    if (err && typeof err === 'object') err.step = err.step || name;
    throw err;
  }
  console.log(`ok - ${name}`);
  return result;
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Calls `fn` every `intervalMs` until it returns without throwing (its value is returned). Assertions inside `fn`
 * express the wanted state; after `timeoutMs` the last error is thrown, wrapped with `what`.
 */
async function poll(what, fn, timeoutMs = 20000, intervalMs = 250) {
  const deadline = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      lastError = err;
    }
    if (Date.now() >= deadline) {
      const err = new Error(`${what}: not reached within ${timeoutMs} ms; last: ${lastError && lastError.message}`);
      err.lastError = lastError;
      throw err;
    }
    await sleep(intervalMs);
  }
}

/** Awaits `promiseOrFn` (a function may also throw synchronously) and asserts it fails; `check(err)` must return true. */
async function expectRejection(promiseOrFn, check, what) {
  let result;
  try {
    result = await (typeof promiseOrFn === 'function' ? promiseOrFn() : promiseOrFn);
  } catch (err) {
    if (!check(err)) {
      const e = new assert.AssertionError({ message: `${what}: unexpected error ${err && err.name}: ${err && err.message}` });
      e.responseBody = err && err.responseBody;
      e.response = err && err.response;
      throw e;
    }
    return err;
  }
  assert.fail(`${what}: expected a failure, but it succeeded: ${JSON.stringify(result && (result.responseBody || result.result))}`);
}

/** The HTTP status of a service SDK error (err.response is the IncomingMessage). */
const statusOf = (err) => err && err.response && err.response.statusCode;

/** True for a 404 service error whose body names `code` (404 other than DeviceNotFound comes back as Error('Not found')). */
const isNotFound = (code) => (err) => statusOf(err) === 404 && (!code || String(err.responseBody).includes(code));

/** Keys of an object, sorted; [] for null/undefined. */
const keysOf = (o) => (o ? Object.keys(o).sort() : []);

/**
 * Runs `main` under a global timeout. On the first failure prints "not ok - <step>" and the error, runs
 * `cleanup` (best effort, 15 s at most) and exits 1; on success exits 0.
 */
function run(main, { timeoutMs = 60000, cleanup = async () => {} } = {}) {
  const globalTimer = setTimeout(() => {
    console.error(`not ok - global timeout: did not finish within ${timeoutMs / 1000} s`);
    process.exit(1);
  }, timeoutMs);
  process.on('uncaughtException', (err) => {
    console.error('not ok - uncaught exception (thrown inside an SDK callback?)');
    console.error(describeError(err));
    process.exit(1);
  });
  process.on('unhandledRejection', (err) => {
    console.error('not ok - unhandled promise rejection');
    console.error(describeError(err));
    process.exit(1);
  });
  Promise.resolve().then(main).then(() => {
    clearTimeout(globalTimer);
    process.exit(0);
  }, async (err) => {
    console.error(`not ok - ${err && err.step ? err.step : 'setup'}`);
    console.error(describeError(err));
    await withTimeout('cleanup', Promise.resolve().then(cleanup), 15000).catch(() => {});
    process.exit(1);
  });
}

module.exports = {
  env, uniqueSuffix, registry, serviceClient, moduleClient, step, poll, sleep, expectRejection, statusOf,
  isNotFound, keysOf, describeError, run,
};

// Shared helpers of the device interop scripts: step reporting, a global timeout, the device client from the
// environment, and service REST calls over HTTPS that trust the fabric's development CA.
'use strict';

const fs = require('fs');
const https = require('https');
const { Client } = require('azure-iot-device');
const { Mqtt } = require('azure-iot-device-mqtt');

let timer;

/** Exits with an error unless the script calls done() within `ms`. */
function startTimeout(ms = 30000) {
  timer = setTimeout(() => {
    console.error(`not ok - global timeout: did not finish within ${ms / 1000} s`);
    process.exit(1);
  }, ms);
}

/** Runs one step: prints "ok - name", or the error and exits 1. */
async function step(name, fn) {
  try {
    const result = await fn();
    console.log(`ok - ${name}`);
    return result;
  } catch (err) {
    console.error(`not ok - ${name}`);
    console.error(err && err.stack ? err.stack : err);
    process.exit(1);
  }
}

/** The device client of DEVICE_CONNECTION_STRING over MQTT, trusting DEVICEFABRIC_CA, and its device id. */
function deviceClient() {
  const connectionString = process.env.DEVICE_CONNECTION_STRING;
  if (!connectionString) {
    throw new Error('DEVICE_CONNECTION_STRING is not set');
  }

  const ca = fs.readFileSync(process.env.DEVICEFABRIC_CA, 'utf8');
  const client = Client.fromConnectionString(connectionString, Mqtt);
  client.setOptions({ ca });
  return { client, ca, deviceId: /DeviceId=([^;]+)/.exec(connectionString)[1] };
}

/** A service REST call to SERVICE_URL with SERVICE_TOKEN; resolves { statusCode, body } (body parsed when JSON). */
function service(ca, method, path, body, headers = {}) {
  const url = new URL(path, process.env.SERVICE_URL);
  url.searchParams.set('api-version', '2021-04-12');
  const payload = typeof body === 'string' ? body : body === undefined ? '' : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const request = https.request(url, {
      method,
      ca,
      headers: {
        Authorization: process.env.SERVICE_TOKEN,
        'Content-Type': 'application/json; charset=utf-8',
        'Content-Length': Buffer.byteLength(payload),
        ...headers,
      },
    }, (response) => {
      let text = '';
      response.on('data', (chunk) => { text += chunk; });
      response.on('end', () => resolve({
        statusCode: response.statusCode,
        body: /application\/json/.test(response.headers['content-type'] || '') ? JSON.parse(text) : text,
      }));
    });
    request.on('error', reject);
    request.end(payload);
  });
}

/** Ends the script successfully. */
function done() {
  clearTimeout(timer);
  process.exit(0);
}

/** Runs main, turning any unexpected rejection into a failure. */
function run(main) {
  main().catch((err) => {
    console.error('not ok - unexpected error');
    console.error(err && err.stack ? err.stack : err);
    process.exit(1);
  });
}

module.exports = { startTimeout, step, deviceClient, service, done, run };

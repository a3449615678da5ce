// Interop test: the unmodified npm Azure IoT device SDK (azure-iot-device + azure-iot-device-mqtt) against a running
// DeviceFabric MQTT front end: open, send events with properties, close; and a refused open with a wrong key.
//
// Run from the repo root:  node tests/interop/device-telemetry.js
// Needs:  DEVICE_CONNECTION_STRING=HostName=localhost:<mqtt port>;DeviceId=...;SharedAccessKey=...
//         DEVICEFABRIC_CA=<path of the development CA PEM>
// Prints one "ok - <step>" line per step; on the first failure prints the error and exits 1.
'use strict';

const assert = require('assert');
const fs = require('fs');
const { Client, Message } = require('azure-iot-device');
const { Mqtt } = require('azure-iot-device-mqtt');

const timer = setTimeout(() => {
  console.error('not ok - global timeout: did not finish within 30 s');
  process.exit(1);
}, 30000);

async function step(name, fn) {
  try {
    await fn();
    console.log(`ok - ${name}`);
  } catch (err) {
    console.error(`not ok - ${name}`);
    console.error(err && err.stack ? err.stack : err);
    process.exit(1);
  }
}

async function main() {
  const connectionString = process.env.DEVICE_CONNECTION_STRING;
  const ca = fs.readFileSync(process.env.DEVICEFABRIC_CA, 'utf8');
  assert.ok(connectionString, 'DEVICE_CONNECTION_STRING is not set');

  const client = Client.fromConnectionString(connectionString, Mqtt);
  client.setOptions({ ca });

  await step('open', () => client.open());

  for (let i = 0; i < 3; i++) {
    await step(`sendEvent ${i}`, () => {
      const message = new Message(JSON.stringify({ temperature: 20 + i }));
      message.messageId = `node-${i}`;
      message.contentType = 'application/json';
      message.contentEncoding = 'utf-8';
      message.properties.add('unit', 'celsius');
      message.properties.add('sequence', String(i));
      return client.sendEvent(message);
    });
  }

  await step('close', () => client.close());

  await step('open with a wrong key is refused', async () => {
    const forged = connectionString.replace(/SharedAccessKey=[^;]*/, 'SharedAccessKey=' + Buffer.alloc(32, 7).toString('base64'));
    const intruder = Client.fromConnectionString(forged, Mqtt);
    intruder.setOptions({ ca });
    await assert.rejects(() => intruder.open(), (err) => err.name === 'UnauthorizedError' || /Not authorized/i.test(err.message));
  });

  clearTimeout(timer);
  process.exit(0);
}

main().catch((err) => {
  console.error('not ok - unexpected error');
  console.error(err && err.stack ? err.stack : err);
  process.exit(1);
});

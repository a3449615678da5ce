// Interop test: the unmodified npm Azure IoT device SDK (azure-iot-device + azure-iot-device-mqtt) against the
// DeviceFabric MQTT front end: open, send events with properties, close; and a refused open with a wrong key.
// Run from the repo root with DEVICE_CONNECTION_STRING and DEVICEFABRIC_CA set (see lib.js).
'use strict';

const assert = require('assert');
const { Client, Message } = require('azure-iot-device');
const { Mqtt } = require('azure-iot-device-mqtt');
const { startTimeout, step, deviceClient, done, run } = require('./lib');

run(async () => {
  startTimeout();
  const { client, ca } = deviceClient();
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
    const forged = process.env.DEVICE_CONNECTION_STRING.replace(/SharedAccessKey=[^;]*/, 'SharedAccessKey=' + Buffer.alloc(32, 7).toString('base64'));
    const intruder = Client.fromConnectionString(forged, Mqtt);
    intruder.setOptions({ ca });
    await assert.rejects(() => intruder.open(), (err) => err.name === 'UnauthorizedError' || /Not authorized/i.test(err.message));
  });
  done();
});

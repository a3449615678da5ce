// Interop test: the unmodified npm Azure IoT device SDK authenticating with an X.509 certificate signed by a CA the hub
// verified (authentication type certificateAuthority): the connection string says x509=true, the certificate (leaf then
// its intermediate, one PEM bundle) and key go in the options, and the SDK sends the chain in the TLS handshake. Then a
// certificate from a CA the hub does not know is refused.
// Run with DEVICE_CONNECTION_STRING, DEVICE_CERT, DEVICE_KEY, STRANGER_CERT, STRANGER_KEY and DEVICEFABRIC_CA set.
'use strict';

const assert = require('assert');
const fs = require('fs');
const { Client, Message } = require('azure-iot-device');
const { Mqtt } = require('azure-iot-device-mqtt');
const { startTimeout, step, done, run } = require('./lib');

// setOptions hands the certificate to the transport asynchronously: open only once it has.
async function x509Client(certPath, keyPath) {
  const client = Client.fromConnectionString(process.env.DEVICE_CONNECTION_STRING, Mqtt);
  await client.setOptions({
    ca: fs.readFileSync(process.env.DEVICEFABRIC_CA, 'utf8'),
    cert: fs.readFileSync(certPath, 'utf8'),
    key: fs.readFileSync(keyPath, 'utf8'),
  });
  return client;
}

run(async () => {
  startTimeout();
  const client = await x509Client(process.env.DEVICE_CERT, process.env.DEVICE_KEY);
  await step('open with the CA-signed certificate', () => client.open());
  for (let i = 0; i < 2; i++) {
    await step(`sendEvent ${i}`, () => {
      const message = new Message(JSON.stringify({ reading: i }));
      message.messageId = `x509-${i}`;
      return client.sendEvent(message);
    });
  }

  await step('close', () => client.close());
  await step('a certificate of an unknown CA is refused', async () => {
    const stranger = await x509Client(process.env.STRANGER_CERT, process.env.STRANGER_KEY);
    await assert.rejects(() => stranger.open(), (err) => err.name === 'UnauthorizedError' || /Not authorized/i.test(err.message));
  });
  done();
});

#!/usr/bin/env bash
# Runs every load scenario against a fresh Release node on loopback, plus the telemetry scenario against mosquitto
# (Debian's package) in the same run, and writes benchmarks/load-results/summary.md.
# Scale: DEVICES (default 1000), MESSAGES per device (default 200), SECONDS per scenario (default 20),
# JOB_DEVICES registered for the twin-update job scenario (default 100000; 0 skips it).
set -euo pipefail
cd "$(dirname "$0")/.."
devices=${DEVICES:-1000}
messages=${MESSAGES:-200}
seconds=${SECONDS_PER_SCENARIO:-20}
job_devices=${JOB_DEVICES:-100000}
out=benchmarks/load-results
work=$(mktemp -d)
command -v mosquitto >/dev/null || { apt-get update -qq && apt-get install -y -qq mosquitto >/dev/null; }

dotnet build -c Release -v q src/DeviceFabric.Silo
dotnet build -c Release -v q benchmarks/DeviceFabric.LoadTest
load=benchmarks/DeviceFabric.LoadTest/bin/Release/net10.0/DeviceFabric.LoadTest.dll
mkdir -p "$out"
rm -f "$out"/*.md "$out"/*.json

DeviceFabric__Node__DataDirectory="$work/data" DeviceFabric__Mqtt__PlainPort=18831 Logging__LogLevel__Default=Warning \
  dotnet src/DeviceFabric.Silo/bin/Release/net10.0/DeviceFabric.Silo.dll > "$work/silo.log" 2>&1 &
silo=$!
broker=""
trap 'kill $silo $broker 2>/dev/null; wait $silo $broker 2>/dev/null || true' EXIT
until grep -q "DeviceFabric: ready" "$work/silo.log"; do
  kill -0 $silo 2>/dev/null || { cat "$work/silo.log"; exit 1; }
  sleep 0.2
done
# mosquitto beside it: plain on 18830 and TLS on 18833 with the node's own certificate (copied out of the node's
# owner-only data directory so mosquitto's own user can read it).
chmod 755 "$work"; cp "$work/data/certs/server.pem" "$work/data/certs/server.key.pem" "$work/"
chmod 644 "$work/server.pem" "$work/server.key.pem"
printf 'per_listener_settings false\nallow_anonymous true\npersistence false\nlistener 18830 127.0.0.1\nlistener 18833 127.0.0.1\ncertfile %s\nkeyfile %s\n' \
  "$work/server.pem" "$work/server.key.pem" > "$work/mosquitto.conf"
mosquitto -c "$work/mosquitto.conf" > "$work/mosquitto.log" 2>&1 &
broker=$!

run() { dotnet "$load" "$@" --devices "$devices" --messages "$messages" --seconds "$seconds" --data "$work/data" --out "$out" | tail -n 1; }
{
  echo "Devices: $devices, messages per device: $messages, at most $seconds s a scenario; machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB."
  echo
  echo "| scenario | target | devices | operations | seconds | per second | p50 ms | p95 ms | p99 ms | max ms | errors | server CPU % | harness CPU % | server RSS MB | bytes/device | notes |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  run connect --server-pid $silo
  run connect --auth x509ca --server-pid $silo --prefix x509
  run telemetry --qos 1 --server-pid $silo
  run telemetry --qos 1 --tls false --mqtt-port 18831 --server-pid $silo --prefix plain
  run telemetry --qos 1 --target mosquitto --tls false --mqtt-port 18830 --server-pid $broker
  run telemetry --qos 1 --target mosquitto --tls true --mqtt-port 18833 --server-pid $broker
  run telemetry --qos 0 --server-pid $silo
  run reported --server-pid $silo
  run desired --server-pid $silo
  run methods --server-pid $silo
  run c2d --server-pid $silo
  run provision --server-pid $silo
  if [ "$job_devices" -gt 0 ]; then
    dotnet "$load" job --devices "$job_devices" --seconds 600 --data "$work/data" --out "$out" --prefix jobfleet --server-pid $silo | tail -n 1
  fi
} | tee "$out/summary.md"

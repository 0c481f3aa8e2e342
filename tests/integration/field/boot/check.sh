#!/bin/bash
# Runs inside the booted test container (started by galley-test-check.timer, so it is not part
# of the boot transaction: waiting for the job queue there would deadlock). Records what the
# host-side test asserts into /data/test-out, then powers the container off.
set -uo pipefail
out=/data/test-out
mkdir -p "$out"
scenario=$(cat /mnt/scenario 2>/dev/null || echo main)
node=/usr/lib/galley/node/bin/node

# Wait (bounded) until the boot's job queue has drained.
for _ in $(seq 1 240); do
  if ! systemctl list-jobs --no-legend 2>/dev/null | grep -qv galley-test; then break; fi
  sleep 0.5
done

show() { systemctl show "$1" --property=ActiveState,SubState,Result,NRestarts,MainPID,StatusText --no-pager; }
wait_active() { # unit seconds
  for _ in $(seq 1 $(($2 * 2))); do
    [ "$(systemctl show "$1" --property=ActiveState --value)" = active ] && return 0
    sleep 0.5
  done
  return 1
}
http() { # method path [token] [body]
  # shellcheck disable=SC2016 # JavaScript, not shell
  "$node" -e '
    const [method, path, token, body] = process.argv.slice(1);
    const headers = token ? { authorization: `Bearer ${token}` } : {};
    if (body) headers["content-type"] = "application/json";
    fetch(`http://127.0.0.1:8080${path}`, { method, headers, body: body || undefined, signal: AbortSignal.timeout(15000) })
      .then(async (r) => { process.stdout.write(JSON.stringify({ status: r.status, body: await r.text() })); })
      .catch((e) => { process.stdout.write(JSON.stringify({ status: 0, body: String(e) })); });
  ' "$@"
}

systemctl is-system-running > "$out/system-state" 2>&1
systemctl --failed --no-legend --plain > "$out/failed-units" 2>&1
if [ "$scenario" != failsafe ]; then wait_active galleyd.service 90; fi
show galleyd.service > "$out/galleyd-before"
http GET /api/diagnostics/ping > "$out/ping.json"

case "$scenario" in
  main)
    pid=$(systemctl show galleyd.service --property=MainPID --value)
    # Block galleyd's event loop (the test preload's SIGUSR2 handler spins forever): the
    # watchdog must notice the missing WATCHDOG=1 pings, abort it and restart it.
    date +%s.%N > "$out/blocked-at"
    kill -USR2 "$pid"
    for _ in $(seq 1 120); do
      restarts=$(systemctl show galleyd.service --property=NRestarts --value)
      state=$(systemctl show galleyd.service --property=ActiveState --value)
      if [ "${restarts:-0}" -ge 1 ] && [ "$state" = active ]; then break; fi
      sleep 0.5
    done
    date +%s.%N > "$out/recovered-at"
    show galleyd.service > "$out/galleyd-after"
    http GET /api/diagnostics/ping > "$out/ping-after.json"
    GALLEY_CONFIG=/data/config/galley.json galley doctor --json > "$out/doctor.json" 2> "$out/doctor.stderr"
    echo "$?" > "$out/doctor.exit"
    GALLEY_CONFIG=/data/config/galley.json galley support-bundle -o "$out" > "$out/bundle.stdout" 2>&1
    token=$(cat /var/lib/galley/run/doctor.token)
    echo "$token" > "$out/doctor.token"
    stat -c '%a %U' /var/lib/galley/run/doctor.token > "$out/token-stat"
    http GET /api/diagnostics/doctor "$token" > "$out/http-doctor.json"
    ;;
  provision)
    pin=$(cat /mnt/admin-pin)
    http POST /api/auth/login "" "{\"pin\":\"$pin\"}" > "$out/login.json"
    stat -c '%a %U' /data/system/nm-connections/galley-wifi.nmconnection > "$out/nm-stat" 2>&1
    hostname > "$out/hostname"
    ;;
  failsafe)
    # galleyd gave up (start limit): OnFailure= started the failsafe page on galleyd's port.
    wait_active galley-failsafe.service 60
    show galley-failsafe.service > "$out/failsafe"
    show galleyd.service > "$out/galleyd-after"
    # Active is not yet listening (Type=simple): on a loaded machine Node takes seconds to bind.
    for _ in $(seq 1 60); do
      http GET /kitchen > "$out/failsafe-page.json"
      grep -q '"status":0' "$out/failsafe-page.json" || break
      sleep 1
    done
    ;;
  reset)
    # First boot ran again without a setup file: the setup page takes the board's setup.
    if [ -e /data/config/needs-setup ]; then echo yes > "$out/needs-setup-before"; fi
    http GET /api/setup > "$out/setup-status.json"
    # shellcheck disable=SC2016 # JavaScript, not shell
    code=$("$node" -e 'const r = JSON.parse(require("node:fs").readFileSync(0, "utf8")); process.stdout.write(JSON.parse(r.body).code ?? "")' < "$out/setup-status.json")
    # One process for the submission and the sign-in: the board reboots as soon as its root side
    # has imported the setup, and a second Node start-up between the two lost that race on a
    # loaded machine (the sign-in was killed with the container, leaving an empty file).
    # shellcheck disable=SC2016 # JavaScript, not shell
    "$node" -e '
      const [code, out] = process.argv.slice(1);
      const { writeFileSync } = require("node:fs");
      const call = async (path, body) => {
        try {
          const r = await fetch(`http://127.0.0.1:8080${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body), signal: AbortSignal.timeout(15000) });
          return { status: r.status, body: await r.text() };
        } catch (e) { return { status: 0, body: String(e) }; }
      };
      (async () => {
        writeFileSync(`${out}/setup-post.json`, JSON.stringify(await call("/api/setup", { code, name: "galley-setup-9", role: "hub", display: "/board", timezone: "Europe/Vienna", adminPin: "97531" })));
        writeFileSync(`${out}/setup-login.json`, JSON.stringify(await call("/api/auth/login", { pin: "97531" })));
      })();
    ' "$code" "$out"
    # galley-setup-request.path imports it as root, then the board restarts (the container ends).
    for _ in $(seq 1 120); do
      if [ ! -e /data/config/needs-setup ]; then break; fi
      sleep 0.5
    done
    ;;
  rollback|*)
    ;;
esac
journalctl --no-pager -o short-iso -b > "$out/journal.txt" 2>&1
/usr/lib/galley/libexec/galley-release status > "$out/release-status" 2>&1
systemctl poweroff --no-block

#!/usr/bin/env bash
# The end-to-end test in the real Doudi window: a fresh demo database, a county server on
# loopback (`doudi serve`, on a copy of it, for the connected-mode test), Xvfb, tauri-driver
# (which drives WebKitWebDriver, which starts doudi-app), then `node --test app/`. Every process it
# starts is stopped on exit. Needs: cargo build -p doudi-app -p doudi-cli; tauri-driver on PATH
# or in target/tools/bin; WebKitWebDriver (webkit2gtk-driver) and Xvfb.
# Usage: run.sh [--update-docs] [app/FILE.test.mjs ...]
# Screenshots go to tests/e2e/artifacts/; with --update-docs the list and household pictures
# also replace docs/screenshots/household-list.png and household-page.png.
set -euo pipefail
docs=""
[ "${1:-}" = "--update-docs" ] && { docs=yes; shift; }
# Any further arguments name test files under app/ to run instead of all of them.
tests=("$@")
[ ${#tests[@]} -eq 0 ] && tests=(app/)
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
app="$root/target/debug/doudi-app"
cli="$root/target/debug/doudi"

fail() { echo "e2e: $*" >&2; exit 1; }
for b in "$app" "$cli"; do
  [ -x "$b" ] || fail "$b is missing; build it with: cargo build -p doudi-app -p doudi-cli"
done
driver="$(command -v tauri-driver || true)"
[ -n "$driver" ] || driver="$root/target/tools/bin/tauri-driver"
[ -x "$driver" ] || fail "tauri-driver is missing; install it with: cargo install tauri-driver --locked --root target/tools"
command -v WebKitWebDriver >/dev/null || fail "WebKitWebDriver is missing; apt-get install webkit2gtk-driver"
command -v Xvfb >/dev/null || fail "Xvfb is missing; apt-get install xvfb"

tmp="$(mktemp -d -t doudi-e2e.XXXXXX)"
pids=()
kill_tree() { # a process and its descendants, by id
  local c
  for c in $(pgrep -P "$1" 2>/dev/null); do kill_tree "$c"; done
  kill "$1" 2>/dev/null || true
}
cleanup() {
  local p
  for p in "${pids[@]}"; do kill_tree "$p"; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

echo "e2e: demo database"
"$cli" --db "$tmp/e2e.sqlite" demo --households 300 --seed 7 >"$tmp/demo.log" 2>&1 \
  || { cat "$tmp/demo.log" >&2; fail "doudi demo failed"; }

# The county server for the connected-mode test: a copy of the demo county (the embedded tests
# change theirs), its own certificate, on loopback; the desktops get its address and fingerprint.
cp "$tmp/e2e.sqlite" "$tmp/county.sqlite"
"$cli" serve --init --tls-dir "$tmp/tls" --name 127.0.0.1 >"$tmp/init.log" 2>&1 \
  || { cat "$tmp/init.log" >&2; fail "doudi serve --init failed"; }
fingerprint="$(tail -n 1 "$tmp/init.log")"
# A free display number.
n=99
while [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ]; do n=$((n + 1)); done
Xvfb ":$n" -screen 0 1920x1080x24 -nolisten tcp >"$tmp/xvfb.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do [ -e "/tmp/.X11-unix/X$n" ] && break; sleep 0.1; done
[ -e "/tmp/.X11-unix/X$n" ] || { cat "$tmp/xvfb.log" >&2; fail "Xvfb did not start"; }
export DISPLAY=":$n"
# The windows keep their webview data (storage, caches) and connection file in this run's own
# folders, never in the user's own Doudi.
export XDG_DATA_HOME="$tmp/xdg/data" XDG_CONFIG_HOME="$tmp/xdg/config" XDG_CACHE_HOME="$tmp/xdg/cache"
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME"

# Free ports for tauri-driver and the native driver behind it.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
port="$(free_port)"
native_port="$(free_port)"
export DOUDI_DB="$tmp/e2e.sqlite"
server_port="$(free_port)"
"$cli" --db "$tmp/county.sqlite" serve --listen "127.0.0.1:$server_port" --tls-dir "$tmp/tls" >"$tmp/serve.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do
  curl -ksS "https://127.0.0.1:$server_port/health" >/dev/null 2>&1 && break
  sleep 0.1
done
curl -ksS "https://127.0.0.1:$server_port/health" >/dev/null 2>&1 || { cat "$tmp/serve.log" >&2; fail "doudi serve did not start"; }
# Two drivers: WebKitWebDriver holds one session at a time, and the connected-mode test runs two
# desktops side by side.
port2="$(free_port)"
native_port2="$(free_port)"
start_driver() { # port native-port log
  "$driver" --port "$1" --native-port "$2" >"$3" 2>&1 &
  pids+=($!)
  for _ in $(seq 100); do
    curl -fsS "http://127.0.0.1:$1/status" >/dev/null 2>&1 && break
    sleep 0.1
  done
  curl -fsS "http://127.0.0.1:$1/status" >/dev/null 2>&1 || { cat "$3" >&2; fail "tauri-driver did not start"; }
}
start_driver "$port" "$native_port" "$tmp/tauri-driver.log"
start_driver "$port2" "$native_port2" "$tmp/tauri-driver-2.log"

cd "$here"
if [ ! -d node_modules/selenium-webdriver ]; then
  echo "e2e: installing npm packages"
  if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error
  else npm install --no-audit --no-fund --loglevel=error; fi
fi

mkdir -p artifacts
echo "e2e: running in the real window on display :$n"
status=0
DOUDI_APP="$app" TAURI_DRIVER_URL="http://127.0.0.1:$port/" TAURI_DRIVER_URL_2="http://127.0.0.1:$port2/" \
  E2E_SERVER="127.0.0.1:$server_port" E2E_FINGERPRINT="$fingerprint" \
  E2E_ARTIFACTS="$here/artifacts" E2E_SCREENSHOTS="${docs:+$root/docs/screenshots}" \
  node --test --test-concurrency=1 "${tests[@]}" || status=$?
if [ "$status" -ne 0 ]; then
  echo "e2e: failed; tauri-driver log:" >&2
  tail -n 40 "$tmp/tauri-driver.log" >&2 || true
  echo "e2e: county server log:" >&2
  tail -n 20 "$tmp/serve.log" >&2 || true
  echo "e2e: screenshots in $here/artifacts" >&2
fi
exit "$status"

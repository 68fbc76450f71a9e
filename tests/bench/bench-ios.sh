# bench-ios.sh - a capture of a simulated iPhone with a realistic delay on
# every message, beside the naive way (the Debian tools one after another,
# as a person would type them: ideviceinfo for the root domain and each
# domain the probe read, idevicediagnostics for the battery entry,
# ideviceinstaller for the apps), measured in the same run, printed as a
# ratio.  Each tool opens its own lockdown session (TLS handshake included);
# the scan opens one and reads the services beside the lockdown reads.
set -u
: "${BD:?}" "${SRCDIR:?}"
tools="ideviceinfo idevicediagnostics ideviceinstaller"
missing=""
for t in $tools; do command -v "$t" >/dev/null || missing="$missing $t"; done
if [ -n "$missing" ] && [ "$(id -u)" = 0 ]; then
	echo "bench-ios: installing libimobiledevice-utils and ideviceinstaller for:$missing" >&2
	DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
		libimobiledevice-utils ideviceinstaller >/dev/null 2>&1 ||
		{ apt-get update >/dev/null 2>&1 && DEBIAN_FRONTEND=noninteractive apt-get install -y \
			--no-install-recommends libimobiledevice-utils ideviceinstaller >/dev/null 2>&1; }
fi
for t in $tools; do
	command -v "$t" >/dev/null || {
		echo "bench-ios: $t is needed (apt-get install libimobiledevice-utils ideviceinstaller)"
		exit 1
	}
done
tmp=$(mktemp -d)
sim=
trap '[ -n "$sim" ] && kill $sim 2>/dev/null; wait 2>/dev/null; rm -rf "$tmp"' EXIT
export BACKUPDOCTOR_NOW=2024-06-12T12:00:00Z BACKUPDOCTOR_RULES="$SRCDIR/rules"
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/config"
mkdir -p "$HOME"
# No adb server is started: no adb on the scan's PATH, and a port where none runs.
export ANDROID_ADB_SERVER_PORT=1
unset ADB_SERVER_SOCKET ANDROID_SERIAL
# 40 ms before every usbmuxd, lockdownd and service reply: a phone on a
# USB 2 link answers each message in tens of milliseconds.
python3 "$SRCDIR/tests/sim/ios_sim.py" --socket "$tmp/mux.sock" --pidfile "$tmp/mux.pid" \
	--cert-cache "$tmp/certs" --max-lifetime 600 --latency-ms 40 \
	--scenario "$SRCDIR/tests/sim/ios/scenarios/healthy" >"$tmp/sim.log" 2>&1 &
sim=$!
i=0
while [ ! -s "$tmp/mux.pid" ]; do
	i=$((i + 1))
	if [ $i -gt 600 ] || ! kill -0 $sim 2>/dev/null; then
		echo "bench-ios: the simulator did not start"
		cat "$tmp/sim.log"
		exit 1
	fi
	sleep 0.05
done
export USBMUXD_SOCKET_ADDRESS="UNIX:$tmp/mux.sock"
udid=00008120-001A2C3E4B5D6F01
now() { python3 -c 'import time; print("%.6f" % time.monotonic())'; }

t0=$(now)
env PATH=/nonexistent "$BD" capture -d "$udid" -o "$tmp/cap.json" 2>"$tmp/capture.err" ||
	{ cat "$tmp/capture.err" "$tmp/sim.log"; exit 1; }
t1=$(now)
# the lockdown domains the capture read, as ideviceinfo -q arguments
python3 -c 'import json,sys
for a in json.load(open(sys.argv[1]))["answers"]:
    q = a["query"]
    if q.startswith("lockdown:com.apple."): print(q[len("lockdown:"):])' "$tmp/cap.json" >"$tmp/domains"

fails=0
t2=$(now)
ideviceinfo -u "$udid" >/dev/null 2>&1 </dev/null || fails=$((fails + 1))
while IFS= read -r d; do
	ideviceinfo -u "$udid" -q "$d" >/dev/null 2>&1 </dev/null || fails=$((fails + 1))
done <"$tmp/domains"
idevicediagnostics -u "$udid" ioregentry AppleSmartBattery >/dev/null 2>&1 </dev/null || fails=$((fails + 1))
ideviceinstaller -u "$udid" -l >/dev/null 2>&1 </dev/null || fails=$((fails + 1))
t3=$(now)
[ $fails -eq 0 ] || echo "bench-ios: $fails of the naive tool runs failed: the ratio is not meaningful" >&2

python3 - "$t0" "$t1" "$t2" "$t3" <<'PY'
import sys
t0, t1, t2, t3 = map(float, sys.argv[1:5])
scan, naive = t1 - t0, t3 - t2
print("ios: scan %.2f s; naive (one tool after another) %.2f s: %.1fx faster"
      % (scan, naive, naive / scan))
PY

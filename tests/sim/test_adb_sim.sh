#!/bin/sh
# test_adb_sim.sh - the adb server simulator against Debian's real adb client.
#
# If the real client cannot tell the simulator from an adb server with phones
# attached, neither can backupdoctor.  This starts the simulator on free
# loopback ports with phones made here (healthy, unauthorized, offline, an old
# one without shell protocol v2, one with every fault) and drives `adb -P PORT`
# (never the default port 5037: ANDROID_ADB_SERVER_PORT and friends are
# unset); then runs Debian's real adb server beside the simulator, with the
# same phones, and requires the same bytes from both; then checks the raw
# bytes a C client sees, and that every scenario of tests/sim/android/scenarios
# starts and answers.  Installs Debian's adb if it is missing; without it, the
# client and server checks are skipped (said so).
#
#   sh tests/sim/test_adb_sim.sh [-v]      (ADB=PATH: another client;
#                                          SIM_TEST_NO_INSTALL=1: no apt-get)
# The last line is "sim-adb: N passed, M failed"; the status is 1 on failure.

set -u
here=$(cd "$(dirname "$0")" && pwd)
simctl="$here/simctl.sh"
python=${PYTHON:-python3}
verbose=0
[ "${1:-}" = -v ] && verbose=1

export TZ=UTC LC_ALL=C
unset ANDROID_ADB_SERVER_PORT ADB_SERVER_SOCKET ANDROID_SERIAL ADB_VENDOR_KEYS \
	ADB_TRACE ANDROID_ADB_SERVER_ADDRESS ADB_MDNS_AUTO_CONNECT 2>/dev/null
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sim-adb.XXXXXX")
export HOME="$tmp/home"
mkdir -p "$HOME"
runs=""
oport=""
adbd_pid=""
cleanup() {
	for r in $runs; do "$simctl" stop "$r" 2>/dev/null; done
	# the real server of the oracle check, if interrupted before it stopped it
	[ -n "$oport" ] && adb -P "$oport" kill-server >/dev/null 2>&1
	[ -n "$adbd_pid" ] && kill "$adbd_pid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

passed=0
failed=0
skipped=0
ok() {
	passed=$((passed + 1))
	[ $verbose = 1 ] && printf 'ok: %s\n' "$1"
	return 0
}
fail() {
	failed=$((failed + 1))
	printf 'FAIL: %s\n' "$1"
	return 0
}
skip() {
	skipped=$((skipped + 1))
	printf 'SKIP: %s\n' "$1"
}

# check WHAT EXPECTED ACTUAL
check() {
	if [ "$2" = "$3" ]; then ok "$1"; else
		fail "$1"
		printf '%s\n' "$2" | sed 's/^/    expected: /'
		printf '%s\n' "$3" | sed 's/^/    actual:   /'
	fi
}

# start NAME ARGS...: a simulator from run dir $tmp/NAME; sets $port
start() {
	name=$1
	shift
	port=$("$simctl" start "$tmp/$name" "$@") || { fail "simulator $name starts"; return 1; }
	runs="$runs $tmp/$name"
	case $port in
	'' | *[!0-9]*) fail "simulator $name prints a port, not '$port'"; return 1 ;;
	esac
	return 0
}

# a [-s SERIAL] ARGS...: the real client on $port; stdout in $tmp/out,
# stderr in $tmp/err (and appended to $tmp/all.err), status in $rc
a() {
	adb -P "$port" "$@" >"$tmp/out" 2>"$tmp/err"
	rc=$?
	cat "$tmp/err" >>"$tmp/all.err"
	return 0
}

now_ms() { echo $(($(date +%s%N) / 1000000)); }

# listening PORT: something accepts connections on 127.0.0.1:PORT
listening() {
	"$python" -c 'import socket,sys
s=socket.socket()
s.settimeout(1)
sys.exit(0 if s.connect_ex(("127.0.0.1", int(sys.argv[1]))) == 0 else 1)' "$1"
}

# ---------------------------------------------------------------- phones
# One profile and five scenarios, written here so that this test does not
# depend on the shared scenario data (which it checks separately below).
prof="$tmp/profiles/testphone"
mkdir -p "$prof"
cat >"$prof/getprop" <<'EOF'
[ro.build.version.release]: [14]
[ro.build.version.sdk]: [34]
[ro.product.device]: [panther]
[ro.product.manufacturer]: [Google]
[ro.product.model]: [Pixel 7]
[ro.product.name]: [panther]
[persist.sys.boot.reason.history]: [reboot,ota,1718012211
reboot,userrequested,1717401140]
EOF
echo 0 >"$prof/settings_get_global_low_power"
cat >"$prof/dumpsys_power" <<'EOF'
POWER MANAGER (dumpsys power)

Power Manager State:
  mIsPowered=true
  mPlugType=2
Battery saving stats:
  Battery Saver is currently: OFF
    Times full enabled: 0
Battery saver state machine:
  Enabled=false
    full=false
    adaptive=false
  mSettingBatterySaverEnabled=false
EOF
cat >"$prof/dumpsys_battery" <<'EOF'
Current Battery Service state:
  AC powered: false
  USB powered: true
  Wireless powered: false
  status: 2
  level: 78
  scale: 100
  temperature: 302
EOF
cat >"$prof/pm_list_packages_-U" <<'EOF'
package:com.google.android.gms uid:10086
package:com.example.photos uid:10158
EOF
cat >"$prof/dumpsys_package_com.example.photos" <<'EOF'
Packages:
  Package [com.example.photos] (1a2b3c4):
    userId=10158
    versionCode=49155983 minSdk=26 targetSdk=34
    versionName=6.83.0
    User 0: ceDataInode=1234 installed=true hidden=false suspended=false stopped=false enabled=0
      runtime permissions:
        android.permission.READ_MEDIA_IMAGES: granted=false, flags=[ USER_SET|USER_SENSITIVE_WHEN_GRANTED|USER_SENSITIVE_WHEN_DENIED]
        android.permission.READ_MEDIA_VIDEO: granted=true, flags=[ USER_SET|USER_SENSITIVE_WHEN_GRANTED|USER_SENSITIVE_WHEN_DENIED]
EOF
cat >"$prof/dumpsys_deviceidle_whitelist" <<'EOF'
system-excidle,com.android.providers.downloads,10026
system,com.google.android.gms,10086
EOF
cat >"$prof/dumpsys_deviceidle" <<'EOF'
  Settings:
    light_after_inactive_to=+4m0s0ms
  Allowlist (except idle) system apps:
    com.android.providers.downloads
  Allowlist system apps:
    com.google.android.gms
  Allowlist (except idle) all app ids:
    10026
    10086
  Allowlist user app ids:
  Allowlist all app ids:
    10086
  mState=ACTIVE mLightState=ACTIVE
EOF
echo 'RUN_ANY_IN_BACKGROUND: ignore' >"$prof/cmd_appops_get_com.example.photos_RUN_ANY_IN_BACKGROUND"
echo 40 >"$prof/am_get-standby-bucket_com.example.photos"
printf 'Restrict background whitelisted UIDs: none\n\n' \
	>"$prof/cmd_netpolicy_list_restrict-background-whitelist"
printf 'Row: 0 _id=1000000412\n' \
	>"$prof/content_query_--uri_content:%%media%external%images%media_--projection__id_|_tail_-n_1"
printf 'Exception occurred while executing '"'"'get-standby-bucket'"'"':\njava.lang.IllegalArgumentException: Cannot get standby bucket for non existent package (com.nope)\n' \
	>"$prof/am_get-standby-bucket_com.nope.err"
echo 255 >"$prof/am_get-standby-bucket_com.nope.exit"

sc="$tmp/scenarios"
mkdir -p "$sc/healthy" "$sc/unauth" "$sc/offline" "$sc/old" "$sc/faulty"
printf 'profile=testphone\nserial=SIMHEALTHY01\nlatency.getprop ro.product.name=800\n' >"$sc/healthy/scenario"
printf 'profile=testphone\nserial=SIMUNAUTH02\nstate=unauthorized\n' >"$sc/unauth/scenario"
printf 'profile=testphone\nserial=SIMOFFLINE03\nstate=offline\n' >"$sc/offline/scenario"
printf 'profile=testphone\nserial=OLDPHONE04\n' >"$sc/old/scenario"
cat >"$sc/old/getprop" <<'EOF'
[ro.build.version.release]: [6.0.1]
[ro.build.version.sdk]: [23]
[ro.product.device]: [hammerhead]
[ro.product.model]: [Nexus 5]
[ro.product.name]: [hammerhead]
EOF
cat >"$sc/faulty/scenario" <<'EOF'
# every fault, one command each
profile=testphone
serial=FAULTY05
drop=dumpsys battery
hang=dumpsys power
huge=dumpsys deviceidle
huge.size=20971520
garbage=getprop ro.build
badframe=dumpsys account
unplug=dumpsys package
EOF
simargs="--profiles $tmp/profiles"

# ---------------------------------------------------------------- the real client
# ADB=PATH tests another client; SIM_TEST_NO_INSTALL=1 installs nothing.
adb_bin=${ADB:-adb}
adb() { command "$adb_bin" "$@"; }
have_adb=1
if ! command -v "$adb_bin" >/dev/null 2>&1; then
	if [ -z "${ADB:-}" ] && [ -z "${SIM_TEST_NO_INSTALL:-}" ] && [ "$(id -u)" = 0 ] &&
		command -v apt-get >/dev/null 2>&1; then
		echo "sim-adb: installing Debian's adb client (apt-get install -y adb)"
		DEBIAN_FRONTEND=noninteractive apt-get install -y adb >"$tmp/apt.log" 2>&1 ||
			{ apt-get update >>"$tmp/apt.log" 2>&1 &&
				DEBIAN_FRONTEND=noninteractive apt-get install -y adb >>"$tmp/apt.log" 2>&1; }
	fi
	command -v "$adb_bin" >/dev/null 2>&1 || have_adb=0
fi

if [ $have_adb = 0 ]; then
	skip "no adb client ($adb_bin): not installed and could not be installed, so the checks against the real client and server did not run"
else
	: >"$tmp/all.err"
	adb version >"$tmp/version" 2>&1
	[ $verbose = 1 ] && sed 's/^/    /' "$tmp/version"

	start main $simargs --scenario "$sc/healthy" --scenario "$sc/unauth" \
		--scenario "$sc/offline" --scenario "$sc/old" && main_port=$port
	sim_pid=$(cat "$tmp/main/pid")
	H="-s SIMHEALTHY01"

	# The device list, as adb's list_transports() prints it: sorted by
	# serial, "%-22s %s", the USB path, the banner (only once authorized).
	a devices -l
	check "devices -l rows" "List of devices attached
OLDPHONE04             device usb:1-4 product:hammerhead model:Nexus_5 device:hammerhead transport_id:4
SIMHEALTHY01           device usb:1-1 product:panther model:Pixel_7 device:panther transport_id:1
SIMOFFLINE03           offline usb:1-3 transport_id:3
SIMUNAUTH02            unauthorized usb:1-2 transport_id:2

." "$(cat "$tmp/out"; echo .)"
	check "devices -l status" 0 "$rc"
	a devices
	check "devices rows" "List of devices attached
OLDPHONE04	device
SIMHEALTHY01	device
SIMOFFLINE03	offline
SIMUNAUTH02	unauthorized

." "$(cat "$tmp/out"; echo .)"

	a $H shell getprop ro.product.model
	check "shell getprop ro.product.model" "Pixel 7" "$(cat "$tmp/out")"
	check "shell getprop status" 0 "$rc"
	a $H shell getprop ro.nothing.here
	check "getprop of an unset key prints an empty line" "1" "$(wc -l <"$tmp/out" | tr -d ' ')"
	a $H shell getprop persist.sys.boot.reason.history
	check "getprop value spanning lines" "reboot,ota,1718012211
reboot,userrequested,1717401140" "$(cat "$tmp/out")"

	a $H shell 'exit 3'
	check "exit status through shell v2" 3 "$rc"
	a $H shell 'echo out; echo err >&2; exit 4'
	check "stdout kept apart" out "$(cat "$tmp/out")"
	check "stderr kept apart" err "$(cat "$tmp/err")"
	check "status with both streams" 4 "$rc"
	a $H shell 'getprop | wc -l'
	check "a pipe through a real shell" 8 "$(tr -d ' ' <"$tmp/out")"
	a $H shell 'content query --uri content://media/external/images/media --projection _id | tail -n 1'
	check "a recorded pipeline answers from its file" "Row: 0 _id=1000000412" "$(cat "$tmp/out")"
	echo hello | adb -P "$port" $H shell cat >"$tmp/out" 2>>"$tmp/all.err"
	check "stdin through shell v2 (stdin and close-stdin packets)" hello "$(cat "$tmp/out")"

	a $H shell nosuchtool --flag
	check "unknown command: message" "/system/bin/sh: nosuchtool: inaccessible or not found" "$(cat "$tmp/err")"
	check "unknown command: status" 127 "$rc"
	a $H shell 'nosuchtool | wc -l'
	check "unknown command in a pipe: message" "/system/bin/sh: nosuchtool: inaccessible or not found" "$(cat "$tmp/err")"
	a $H shell dumpsys nosuchservice
	check "dumpsys of a missing service: message" "Can't find service: nosuchservice" "$(cat "$tmp/err")"
	check "dumpsys of a missing service: status" 0 "$rc"
	a $H shell am get-standby-bucket com.nope
	check "recorded .err and .exit" "255" "$rc"
	check "recorded .err on stderr" "java.lang.IllegalArgumentException: Cannot get standby bucket for non existent package (com.nope)" "$(tail -n 1 "$tmp/err")"

	# Errors, word for word as the real server sends them.
	a -s SIMUNAUTH02 shell true
	check "unauthorized: message" "error: device unauthorized.
This adb server's \$ADB_VENDOR_KEYS is not set
Try 'adb kill-server' if that seems wrong.
Otherwise check for a confirmation dialog on your device." "$(cat "$tmp/err")"
	check "unauthorized: status" 1 "$rc"
	a -s SIMUNAUTH02 get-state
	check "unauthorized get-state fails too" "1 error: device unauthorized." "$rc $(head -n 1 "$tmp/err")"
	a -s SIMOFFLINE03 shell true
	check "offline" "1 error: device offline" "$rc $(cat "$tmp/err")"
	a -s nosuch shell true
	check "no such serial" "1 error: device 'nosuch' not found" "$rc $(cat "$tmp/err")"
	a shell true
	check "several phones and no -s" "1 error: more than one device/emulator" "$rc $(cat "$tmp/err")"
	a $H get-state
	check "get-state" "0 device" "$rc $(cat "$tmp/out")"
	a $H get-serialno
	check "get-serialno" "SIMHEALTHY01" "$(cat "$tmp/out")"
	a -s usb:1-1 get-serialno
	check "-s by USB path" "SIMHEALTHY01" "$(cat "$tmp/out")"
	a -s model:Pixel_7 get-serialno
	check "-s model:" "SIMHEALTHY01" "$(cat "$tmp/out")"
	ANDROID_SERIAL=SIMHEALTHY01 adb -P "$port" shell getprop ro.product.device >"$tmp/out" 2>>"$tmp/all.err"
	check "ANDROID_SERIAL picks the phone" panther "$(cat "$tmp/out")"

	# An Android 6 phone (no shell_v2 feature): the client falls back to shell:, which
	# merges stderr into stdout and has no exit status.
	a -s OLDPHONE04 shell 'echo a; echo b >&2; exit 3'
	check "shell v1: merged output" "a
b" "$(cat "$tmp/out")"
	check "shell v1: no exit status" 0 "$rc"

	# Commands that change the phone, then a re-read.
	a $H shell settings get global low_power
	check "low_power before" 0 "$(cat "$tmp/out")"
	a $H shell settings put global low_power 1
	check "settings put: silent, status 0" "0 " "$rc $(cat "$tmp/out" "$tmp/err")"
	a $H shell settings get global low_power
	check "low_power after" 1 "$(cat "$tmp/out")"
	a $H shell dumpsys power
	check "dumpsys power follows low_power" "  Battery Saver is currently: ON
  Enabled=true
    full=true
  mSettingBatterySaverEnabled=true" "$(grep -E 'currently|Enabled=|full=' "$tmp/out")"
	a $H shell pm grant com.example.photos android.permission.READ_MEDIA_IMAGES
	check "pm grant: silent, status 0" "0 " "$rc $(cat "$tmp/out" "$tmp/err")"
	a $H shell dumpsys package com.example.photos
	check "pm grant flips granted=false" "        android.permission.READ_MEDIA_IMAGES: granted=true, flags=[ USER_SET|USER_SENSITIVE_WHEN_GRANTED|USER_SENSITIVE_WHEN_DENIED]" \
		"$(grep READ_MEDIA_IMAGES "$tmp/out")"
	a $H shell pm grant com.nope android.permission.READ_MEDIA_IMAGES
	check "pm grant of an unknown package" "255 java.lang.IllegalArgumentException: Unknown package: com.nope" "$rc $(tail -n 1 "$tmp/err")"
	a $H shell cmd deviceidle whitelist +com.example.photos
	check "deviceidle whitelist +PKG" "Added: com.example.photos" "$(cat "$tmp/out")"
	a $H shell dumpsys deviceidle whitelist
	check "deviceidle whitelist re-read" "user,com.example.photos,10158" "$(tail -n 1 "$tmp/out")"
	a $H shell dumpsys deviceidle
	check "dumpsys deviceidle lists the user app" "  Allowlist user apps:
    com.example.photos" "$(grep -A1 'Allowlist user apps:' "$tmp/out")"
	a $H shell cmd appops set com.example.photos RUN_ANY_IN_BACKGROUND allow
	a $H shell cmd appops get com.example.photos RUN_ANY_IN_BACKGROUND
	check "appops set then get" "RUN_ANY_IN_BACKGROUND: allow" "$(cat "$tmp/out")"
	a $H shell am set-standby-bucket com.example.photos active
	a $H shell am get-standby-bucket com.example.photos
	check "standby bucket set then get" 10 "$(cat "$tmp/out")"
	a $H shell cmd netpolicy add restrict-background-whitelist 10158
	a $H shell cmd netpolicy list restrict-background-whitelist
	check "netpolicy whitelist add then list" "Restrict background whitelisted UIDs: 10158 " "$(head -n 1 "$tmp/out")"
	a $H shell 'settings put global low_power 0; settings get global low_power'
	check "a change through the shell path" 0 "$(cat "$tmp/out")"

	# Per-command latency, and concurrent connections.
	t0=$(now_ms)
	a $H shell getprop ro.product.name
	t1=$(now_ms)
	if [ $((t1 - t0)) -ge 800 ]; then ok "latency.PREFIX"; else fail "latency.PREFIX: answered in $((t1 - t0)) ms"; fi
	t0=$(now_ms)
	for i in 1 2 3 4 5 6; do
		adb -P "$port" $H shell getprop ro.product.name >"$tmp/par.$i" 2>>"$tmp/all.err" &
	done
	wait
	t1=$(now_ms)
	if [ $((t1 - t0)) -lt 3000 ]; then ok "six slow commands at once"; else
		fail "six 800 ms commands took $((t1 - t0)) ms: not concurrent"; fi
	check "concurrent answers" "panther panther panther panther panther panther" \
		"$(cat "$tmp"/par.* | tr '\n' ' ' | sed 's/ $//')"

	# Faults, on a simulator of their own (unplug removes the phone).
	start faults $simargs --scenario "$sc/faulty" && {
		a shell getprop ro.product.model
		check "one phone and no -s (host:tport:any)" "Pixel 7" "$(cat "$tmp/out")"
		a -s FAULTY05 shell dumpsys battery
		n=$(wc -c <"$tmp/out" | tr -d ' ')
		full=$(wc -c <"$prof/dumpsys_battery" | tr -d ' ')
		if [ "$n" -gt 0 ] && [ "$n" -lt "$full" ] && cmp -s -n "$n" "$tmp/out" "$prof/dumpsys_battery"; then
			ok "drop: a first part of the output"
		else fail "drop: expected a first part of the output, got $n of $full bytes"; fi
		check "drop: the real client says 0 when no exit packet came" 0 "$rc"
		t0=$(now_ms)
		timeout 2 adb -P "$port" -s FAULTY05 shell dumpsys power >"$tmp/out" 2>>"$tmp/all.err"
		rc=$?
		t1=$(now_ms)
		check "hang: the client waits until killed" "124 0" "$rc $(wc -c <"$tmp/out" | tr -d ' ')"
		a -s FAULTY05 shell getprop ro.product.model
		check "after a hang the simulator still answers" "Pixel 7" "$(cat "$tmp/out")"
		adb -P "$port" -s FAULTY05 shell dumpsys deviceidle 2>>"$tmp/all.err" | wc -c >"$tmp/out"
		check "huge: 20 MiB" 20971520 "$(tr -d ' ' <"$tmp/out")"
		a -s FAULTY05 shell getprop ro.build.id
		check "garbage: 8192 binary bytes, status 0" "0 8192" "$rc $(wc -c <"$tmp/out" | tr -d ' ')"
		a -s FAULTY05 shell dumpsys account
		check "badframe: the real client prints nothing and says 0" "0 0" "$rc $(wc -c <"$tmp/out" | tr -d ' ')"
		a -s FAULTY05 shell dumpsys package com.example.photos
		check "unplug: status 0 on the cut" 0 "$rc"
		a devices
		check "unplug: the phone leaves the list" "List of devices attached" "$(cat "$tmp/out")"
		a -s FAULTY05 shell true
		check "unplug: then not found" "error: device 'FAULTY05' not found" "$(cat "$tmp/err")"
	}

	# The client must never have restarted or replaced the server.
	port=$main_port
	if grep -qE "daemon not running|doesn't match|daemon started|cannot connect" "$tmp/all.err"; then
		fail "the real client restarted the server"
		grep -E "daemon|match|connect" "$tmp/all.err" | sed 's/^/    /'
	else ok "the real client kept the simulator (version 41 accepted)"; fi
	if ps -eo args 2>/dev/null | grep -v grep | grep -q "fork-server.*tcp:$port\b"; then
		fail "a real adb server runs on the simulator's port"
	else ok "no real adb server on the simulator's port"; fi

	# adb kill-server stops the simulator.
	a kill-server
	check "kill-server status" 0 "$rc"
	i=0
	while kill -0 "$sim_pid" 2>/dev/null && [ $i -lt 50 ]; do sleep 0.1; i=$((i + 1)); done
	if kill -0 "$sim_pid" 2>/dev/null; then fail "kill-server: the simulator still runs"; else
		ok "kill-server stops the simulator"; fi
	if listening "$port"; then fail "kill-server: the port still listens"; else ok "kill-server frees the port"; fi
fi

# ---------------------------------------------------------------- the real server as oracle
# Debian's own adb server, given three fake adbds on loopback (one silent =
# offline, one asking for a key = unauthorized, one that connects = device),
# and the simulator, given the same three phones, must answer the same
# requests with the same bytes.  This pins the error wording and the list
# format to the real server's, not to our reading of its source.
if [ $have_adb = 1 ]; then
	"$python" - >"$tmp/adbd.ports" 2>"$tmp/adbd.err" <<'EOF' &
import socket, struct, sys, threading, time
CNXN, AUTH = 0x4e584e43, 0x48545541
BANNER = b"device::ro.product.name=panther;ro.product.model=Pixel 7;ro.product.device=panther;features=shell_v2,cmd,stat_v2"
def pkt(cmd, a0, a1, data=b""):
    return struct.pack("<6I", cmd, a0, a1, len(data), sum(data) & 0xffffffff, cmd ^ 0xffffffff) + data
def exact(c, n):
    b = b""
    while len(b) < n:
        d = c.recv(n - len(b))
        if not d:
            raise EOFError
        b += d
    return b
def serve(c, mode):
    try:
        while True:
            cmd, a0, a1, n, _, _ = struct.unpack("<6I", exact(c, 24))
            exact(c, n)
            if mode == "silent":
                continue
            if cmd == CNXN:
                c.sendall(pkt(AUTH, 1, 0, b"A" * 20) if mode == "auth" else pkt(CNXN, 0x01000001, 256 * 1024, BANNER))
            elif cmd == AUTH and a0 == 2:
                c.sendall(pkt(AUTH, 1, 0, b"B" * 20))
    except (EOFError, OSError):
        pass
def listen(mode):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen(4)
    def loop():
        while True:
            c, _ = s.accept()
            threading.Thread(target=serve, args=(c, mode), daemon=True).start()
    threading.Thread(target=loop, daemon=True).start()
    return s.getsockname()[1]
print(" ".join(str(listen(m)) for m in ("silent", "auth", "device")), flush=True)
time.sleep(120)
EOF
	adbd_pid=$!
	i=0
	while [ ! -s "$tmp/adbd.ports" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	read -r p_off p_auth p_dev <"$tmp/adbd.ports"
	oport=$("$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
	if adb -P "$oport" start-server >"$tmp/oracle.log" 2>&1; then
		oracle_up=1
		for p in $p_off $p_auth $p_dev; do adb -P "$oport" connect "127.0.0.1:$p" >>"$tmp/oracle.log" 2>&1; done
		sleep 1
	else
		oracle_up=0
		skip "the real adb server did not start on port $oport: no oracle comparison ($(tail -n 1 "$tmp/oracle.log"))"
	fi
	if [ $oracle_up = 1 ]; then
		for s in off auth dev; do mkdir -p "$sc/o-$s"; done
		printf 'profile=testphone\ntransport=local\nserial=127.0.0.1:%s\nstate=offline\n' $p_off >"$sc/o-off/scenario"
		printf 'profile=testphone\ntransport=local\nserial=127.0.0.1:%s\nstate=unauthorized\n' $p_auth >"$sc/o-auth/scenario"
		printf 'profile=testphone\ntransport=local\nserial=127.0.0.1:%s\nfeatures=shell_v2,cmd,stat_v2\n' $p_dev >"$sc/o-dev/scenario"
		cat >"$tmp/ask.py" <<'EOF'
import socket, sys
port, off, auth, dev = sys.argv[1], *("127.0.0.1:" + p for p in sys.argv[2:5])
asks = ["host:version", "host:host-features", "host:devices", "host:devices-l", "host:nope",
        "host:features", "host:tport:any", "host:transport-any", "host-usb:features",
        "host-local:features", "host:tport:usb", "host:transport-id:9", "bogus:",
        "host-serial:nosuch:features", "host:tport:serial:nosuch", "host:transport:nosuch",
        "host-serial:%s:features" % dev, "host-serial:%s:get-state" % dev,
        "host-serial:%s:get-serialno" % dev, "host-serial:%s:get-devpath" % dev,
        "host:tport:serial:%s" % dev, "host-transport-id:3:get-state",
        "host-serial:%s:get-state" % auth, "host:tport:serial:%s" % auth,
        "host-serial:%s:features" % auth, "host-serial:%s:get-serialno" % auth,
        "host-serial:%s:get-state" % off, "host:tport:serial:%s" % off,
        "host-serial:%s:features" % off, "host:transport:%s" % off]
for a in asks:
    c = socket.create_connection(("127.0.0.1", int(port)), timeout=3)
    c.sendall(b"%04x" % len(a) + a.encode())
    got = b""
    try:
        while len(got) < 4096:
            d = c.recv(4096)
            if not d:
                break
            got += d
            if a.startswith("host:tport:") and len(got) >= 12:
                break
            if a.startswith("host:transport") and got == b"OKAY":
                break
    except socket.timeout:
        got += b"<no close>"
    c.close()
    if a.endswith(":features") and got.startswith(b"OKAY"):
        got = got[:8] + b",".join(sorted(got[8:].split(b",")))
    print("%s -> %r" % (a, got))
EOF
		"$python" "$tmp/ask.py" "$oport" $p_off $p_auth $p_dev >"$tmp/oracle.real" 2>&1
		[ $verbose = 1 ] && sed 's/^/    real server: /' "$tmp/oracle.real"
		adb -P "$oport" kill-server >/dev/null 2>&1
		oport=""
		start oracle --profiles "$tmp/profiles" --scenario "$sc/o-off" --scenario "$sc/o-auth" \
			--scenario "$sc/o-dev" && {
			"$python" "$tmp/ask.py" "$port" $p_off $p_auth $p_dev >"$tmp/oracle.sim" 2>&1
			"$simctl" stop "$tmp/oracle"
			while IFS= read -r line; do
				ask=${line%% -> *}
				simline=$(grep -F -x -- "$line" "$tmp/oracle.sim")
				if [ -n "$simline" ]; then ok "oracle: $ask"; else
					fail "oracle: $ask"
					echo "    real server: ${line#* -> }"
					echo "    simulator:   $(grep -F -- "$ask -> " "$tmp/oracle.sim" | head -n 1 | sed 's/^.* -> //')"
				fi
			done <"$tmp/oracle.real"
		}
	fi
	kill "$adbd_pid" 2>/dev/null
	wait "$adbd_pid" 2>/dev/null
	adbd_pid=""
fi

# ---------------------------------------------------------------- raw bytes
# What a C client reads, byte for byte (no adb client needed).
start raw $simargs --scenario "$sc/healthy" --scenario "$sc/unauth" \
	--latency-ms 150 --unplug "dumpsys package" --hang "dumpsys power" && {
	"$python" - "$port" >"$tmp/raw.out" 2>&1 <<'EOF'
import socket, struct, sys, time
port = int(sys.argv[1])

def conn():
    c = socket.create_connection(("127.0.0.1", port), timeout=5)
    return c

def req(c, s):
    c.sendall(b"%04x" % len(s) + s.encode())

def readall(c):
    out = b""
    while True:
        d = c.recv(65536)
        if not d:
            return out
        out += d

def exact(c, n):
    b = b""
    while len(b) < n:
        d = c.recv(n - len(b))
        if not d:
            break
        b += d
    return b

def check(name, want, got):
    print(("PASS %s" if want == got else "FAIL %s: want %r, got %r") % ((name,) if want == got else (name, want, got)))

c = conn(); req(c, "host:version"); check("host:version bytes", b"OKAY00040029", readall(c))
c = conn(); req(c, "host:nope"); check("unknown host service", b"FAIL0014unknown host service", readall(c))
c = conn(); req(c, "host-serial:SIMHEALTHY01:features")
check("features", b"OKAY%04x" % len("shell_v2,cmd,stat_v2,ls_v2,fixed_push_mkdir,apex,abb,fixed_push_symlink_timestamp,abb_exec,remount_shell"), readall(c)[:8])
c = conn(); req(c, "host:tport:serial:SIMHEALTHY01")
check("tport: OKAY and an 8-byte little-endian id", b"OKAY" + struct.pack("<Q", 1), exact(c, 12))
req(c, "shell,v2,raw:echo hi; echo oops >&2; exit 7")
c.sendall(b"\x04\x00\x00\x00\x00")
data = exact(c, 4) and readall(c)
pk = []
while data:
    i, n = data[0], struct.unpack("<I", data[1:5])[0]
    pk.append((i, data[5:5 + n])); data = data[5 + n:]
check("v2 packets", sorted([(1, b"hi\n"), (2, b"oops\n"), (3, b"\x07")]), sorted(pk))
check("v2 exit packet last", (3, b"\x07"), pk[-1] if pk else None)
c = conn(); req(c, "host:transport:SIMHEALTHY01")
check("transport: OKAY alone", b"OKAY", exact(c, 4))
req(c, "shell:echo raw; echo err >&2")
check("shell: raw merged, closed at the end", b"OKAYraw\nerr\n", exact(c, 4) + readall(c))
c = conn(); req(c, "host:tport:serial:SIMUNAUTH02"); got = readall(c)
check("unauthorized FAIL framing", b"FAIL%04x" % (len(got) - 8), got[:8])
c = conn(); req(c, "host:tport:any"); check("tport:any with two phones", b"FAIL001dmore than one device/emulator", readall(c))
c = conn(); req(c, "host-serial:SIMHEALTHY01:get-devpath"); check("get-devpath", b"OKAY0007usb:1-1", readall(c))
c = conn(); req(c, "host:track-devices"); got = exact(c, 8)
check("track-devices first list", b"OKAY%04x" % len("SIMHEALTHY01\tdevice\nSIMUNAUTH02\tunauthorized\n"), got)
c.close()
c = conn(); req(c, "host:transport:SIMHEALTHY01"); exact(c, 4); req(c, "sync:")
check("unknown device service", b"FAIL0006closed", readall(c))
c = conn(); req(c, "host:tport:serial:SIMHEALTHY01"); exact(c, 12)
t0 = time.time(); req(c, "shell,v2,raw:true"); exact(c, 4); readall(c)
check("--latency-ms delays a command", True, time.time() - t0 >= 0.15)
t = conn(); req(t, "host:track-devices-l"); exact(t, 4)
n = int(exact(t, 4), 16); exact(t, n)
c = conn(); req(c, "host:tport:serial:SIMHEALTHY01"); exact(c, 12)
req(c, "shell,v2,raw:dumpsys package com.example.photos"); exact(c, 4); got = readall(c)
check("--unplug: output cut with no exit packet", True, 0 < len(got) and got[0] == 1 and b"\x03\x01\x00\x00\x00" not in got)
n = int(exact(t, 4), 16)
check("track-devices-l sends the list again when a phone leaves",
      b"SIMUNAUTH02            unauthorized usb:1-2 transport_id:2\n", exact(t, n))
EOF
	while read -r verdict rest; do
		case $verdict in
		PASS) ok "raw: $rest" ;;
		FAIL) fail "raw: $rest" ;;
		*) fail "raw: $verdict $rest" ;;
		esac
	done <"$tmp/raw.out"
	"$simctl" stop "$tmp/raw"
	if listening "$port"; then fail "simctl stop frees the port"; else ok "simctl stop frees the port"; fi
}

# Stopping never waits for the phones: a hung command, a running process and
# a device tracker are all open when it is told to stop.
start hold $simargs --scenario "$sc/healthy" --scenario "$sc/unauth" --hang "dumpsys power" && {
	"$python" - "$port" >/dev/null 2>&1 <<'EOF' &
import socket, sys, time
port = int(sys.argv[1])
keep = []
def req(c, r):
    c.sendall(b"%04x" % len(r) + r.encode())
for r in ("host:tport:serial:SIMUNAUTH02", "host:track-devices"):
    c = socket.create_connection(("127.0.0.1", port)); req(c, r); keep.append(c)
for cmd in ("dumpsys power", "sleep 731.25"):
    c = socket.create_connection(("127.0.0.1", port))
    req(c, "host:transport:SIMHEALTHY01"); c.recv(4)
    req(c, "shell,v2,raw:" + cmd); keep.append(c)
time.sleep(30)
EOF
	holder=$!
	sleep 1
	if ps -eo args | grep -v grep | grep -q "^sleep 731.25$"; then ok "a phone's process runs"; else
		fail "a phone's process runs (sleep 731.25)"; fi
	t0=$(now_ms)
	"$simctl" stop "$tmp/hold" 2>"$tmp/stop.err"
	t1=$(now_ms)
	kill "$holder" 2>/dev/null
	wait "$holder" 2>/dev/null
	if [ $((t1 - t0)) -lt 3000 ] && [ ! -s "$tmp/stop.err" ]; then ok "stop with connections open"; else
		fail "stop with connections open took $((t1 - t0)) ms: $(cat "$tmp/stop.err")"; fi
	if listening "$port"; then fail "stop with connections open frees the port"; else
		ok "stop with connections open frees the port"; fi
	sleep 0.2
	if ps -eo args | grep -v grep | grep -q "^sleep 731.25$"; then fail "stop kills the phones' processes"; else
		ok "stop kills the phones' processes"; fi
}

# --print-port, for tests that start the simulator themselves (the C tests).
"$python" "$here/adb_sim.py" --print-port --scenario "$sc/healthy" $simargs >"$tmp/pp.out" 2>"$tmp/pp.err" &
pp=$!
i=0
while [ ! -s "$tmp/pp.out" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
port=$(head -n 1 "$tmp/pp.out")
case $port in
'' | *[!0-9]*) fail "--print-port prints a port" ;;
*) if listening "$port"; then ok "--print-port prints the port it listens on"; else
	fail "--print-port: $port does not listen"; fi ;;
esac
kill -TERM "$pp" 2>/dev/null
wait "$pp"
check "SIGTERM: clean exit" 0 "$?"

# ---------------------------------------------------------------- the shared scenarios
# Each starts alone and answers what its profile says the phone is.
for dir in "$here"/android/scenarios/*/; do
	[ -f "$dir/scenario" ] || continue
	name=$(basename "$dir")
	start "scn-$name" --scenario "$dir" || continue
	serial=$(sed -n 's/^serial=//p' "$dir/scenario" | tail -n 1)
	state=$(sed -n 's/^state=//p' "$dir/scenario" | tail -n 1)
	if [ $have_adb = 1 ]; then
		a devices
		check "scenario $name: listed" "$serial	${state:-device}" "$(sed -n 2p "$tmp/out")"
		if [ -z "$state" ] || [ "$state" = device ]; then
			a -s "$serial" shell getprop ro.product.model
			check "scenario $name: answers getprop" 0 "$rc"
			[ -s "$tmp/out" ] || fail "scenario $name: empty ro.product.model"
		fi
	else
		if listening "$port"; then ok "scenario $name: starts"; else fail "scenario $name: starts"; fi
	fi
	"$simctl" stop "$tmp/scn-$name"
done

[ $skipped -gt 0 ] && echo "sim-adb: $skipped part(s) skipped (see SKIP above)"
echo "sim-adb: $passed passed, $failed failed"
[ $failed -eq 0 ]

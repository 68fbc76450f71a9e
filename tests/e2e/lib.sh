# lib.sh - the small library every end-to-end test sources.
#
# BD is the binary under test, SRCDIR the source tree.  Each test runs in a
# pinned environment (UTC, C locale, a fresh HOME) inside its own temporary
# directory, removed at exit.

set -u
: "${BD:?BD must name the backupdoctor binary}"
: "${SRCDIR:?SRCDIR must name the source tree}"
export TZ=UTC LC_ALL=C NO_COLOR=
unset BACKUPDOCTOR_RULES XDG_DATA_HOME XDG_CONFIG_HOME
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bd-e2e.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
export HOME="$tmp/home"
mkdir -p "$HOME"
# No test may reach a real adb server or start one (it would outlive the
# test): the default is a socket that does not exist; sim_android points
# the tool at a simulator instead.
unset ANDROID_ADB_SERVER_PORT ANDROID_ADB_SERVER_ADDRESS ANDROID_SERIAL
export ADB_SERVER_SOCKET="localfilesystem:$tmp/no-adb-server"
RULES="$SRCDIR/rules"
export BACKUPDOCTOR_RULES="$RULES"
CASES="$SRCDIR/tests/cases"
passed=0
failed=0
name=$(basename "$0" .sh)

ok() { passed=$((passed + 1)); }
fail() {
	failed=$((failed + 1))
	printf '%s: FAIL: %s\n' "$name" "$*" >&2
}

# run CMD...: output in $tmp/out, errors in $tmp/err, status in $status
run() {
	"$@" >"$tmp/out" 2>"$tmp/err"
	status=$?
}

# expect_status N what: the last run's exit status
expect_status() {
	if [ "$status" -eq "$1" ]; then ok; else
		fail "$2: exit $status, expected $1"
		sed 's/^/    stderr: /' "$tmp/err" | head -n 20 >&2
	fi
}

# expect_err_line 'exact line' what: a line of the last run's stderr
expect_err_line() {
	if grep -qxF -- "$1" "$tmp/err"; then ok; else
		fail "$2: stderr lacks the line: $1"
		sed 's/^/    stderr: /' "$tmp/err" | head -n 20 >&2
	fi
}

expect_out_contains() {
	if grep -qF -- "$1" "$tmp/out"; then ok; else
		fail "$2: stdout lacks: $1"
		head -n 20 "$tmp/out" | sed 's/^/    stdout: /' >&2
	fi
}

expect_no_stderr() {
	if [ ! -s "$tmp/err" ]; then ok; else
		fail "$1: unexpected stderr"
		sed 's/^/    stderr: /' "$tmp/err" | head -n 20 >&2
	fi
}

# assert_equals WANT GOT what
assert_equals() {
	if [ "$1" = "$2" ]; then ok; else fail "$3: expected '$1', got '$2'"; fi
}

# json_get EXPR: evaluate a Python expression over the JSON in $tmp/out (bound to j)
json_get() {
	python3 -c 'import json,sys; j=json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' \
		"$tmp/out" "$1"
}

finish() {
	printf '%s: %d passed, %d failed\n' "$name" "$passed" "$failed"
	[ "$failed" -eq 0 ]
}

# sim_android [adb_sim.py options…]: start the adb server simulator on a
# free loopback port and point the adb environment at it; sim_stop ends it.
sim_android() {
	rm -f "$tmp/sim.port"
	python3 "$SRCDIR/tests/sim/adb_sim.py" --port-file "$tmp/sim.port" "$@" \
		>"$tmp/sim.log" 2>&1 &
	sim_pid=$!
	i=0
	while [ ! -s "$tmp/sim.port" ] && [ $i -lt 100 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	export ANDROID_ADB_SERVER_PORT="$(cat "$tmp/sim.port" 2>/dev/null)"
	unset ADB_SERVER_SOCKET ANDROID_SERIAL
}

sim_stop() {
	if [ -n "${sim_pid:-}" ]; then
		kill "$sim_pid" 2>/dev/null
		wait "$sim_pid" 2>/dev/null
		sim_pid=
	fi
	unset ANDROID_ADB_SERVER_PORT
	export ADB_SERVER_SOCKET="localfilesystem:$tmp/no-adb-server"
}
trap 'sim_stop; rm -rf "$tmp"' EXIT

SCEN="$SRCDIR/tests/sim/android/scenarios"
# The simulated phones' answers were recorded on this day.
export BACKUPDOCTOR_NOW=2024-06-12T12:00:00Z

# sim_ios SCENARIO… [ios_sim.py options]: simulated iPhones behind a usbmuxd
# on a UNIX socket; the certificates are cached across a test's phones.
sim_ios() {
	rm -f "$tmp/mux.pid"
	python3 "$SRCDIR/tests/sim/ios_sim.py" --socket "$tmp/mux.sock" --pidfile "$tmp/mux.pid" \
		--cert-cache "$tmp/certs" --max-lifetime 300 "$@" >"$tmp/ios-sim.log" 2>&1 &
	ios_pid=$!
	i=0
	while [ ! -s "$tmp/mux.pid" ] && [ $i -lt 600 ]; do
		sleep 0.05
		i=$((i + 1))
	done
	export USBMUXD_SOCKET_ADDRESS="UNIX:$tmp/mux.sock"
}

sim_ios_stop() {
	if [ -n "${ios_pid:-}" ]; then
		kill "$ios_pid" 2>/dev/null
		wait "$ios_pid" 2>/dev/null
		ios_pid=
	fi
}
trap 'sim_stop; sim_ios_stop; rm -rf "$tmp"' EXIT
IOS_SCEN="$SRCDIR/tests/sim/ios/scenarios"

# free_port: a loopback TCP port nothing listens on (now).
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

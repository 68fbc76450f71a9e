# demo.sh - the main job on simulated phones: an Android phone in Battery
# Saver scanned through the adb server protocol, fixed with consent, then
# the diagnosis of recorded phones.  Exit 1 from backupdoctor means "a cause
# was found", which is what a demo shows; anything above is a failure.
set -u
: "${BD:?}" "${SRCDIR:?}"
cd "$SRCDIR" || exit 1
tmp=$(mktemp -d)
sim=
trap '[ -n "$sim" ] && kill $sim 2>/dev/null; rm -rf "$tmp"' EXIT
trap 'exit 1' INT TERM HUP PIPE
export BACKUPDOCTOR_RULES="$SRCDIR/rules" BACKUPDOCTOR_NOW=2024-06-12T12:00:00Z
bd() {
	echo "\$ backupdoctor $*" >&2
	"$BD" "$@"
	rc=$?
	[ $rc -le 1 ] || { echo "demo: backupdoctor $* failed (exit $rc)" >&2; exit 1; }
	echo
}

python3 "$SRCDIR/tests/sim/adb_sim.py" --port-file "$tmp/port" --latency-ms 60 \
	--scenario "$SRCDIR/tests/sim/android/scenarios/battery-saver" >"$tmp/sim.log" 2>&1 &
sim=$!
i=0
while [ ! -s "$tmp/port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
export ANDROID_ADB_SERVER_PORT=$(cat "$tmp/port")

echo "== A simulated Samsung Galaxy S23 on the cable (adb server on port $ANDROID_ADB_SERVER_PORT)"
bd devices
bd scan
echo "== The same, letting the tool apply the fix it can (consent given with --yes)"
bd scan --fix --yes --fail-on never | sed -n '/^Changes made/,$p;/^No cause found/p'
echo "== Recorded phones, as a summary"
bd analyze tests/samples/ios-phone-full.json tests/samples/android-healthy.json \
	| sed -n '/^==== Summary/,$p'

# bench-android.sh - a scan of a simulated Android phone with realistic
# per-command latency, beside the naive way (each query in its own
# `adb shell`, one after another, as a person would type them), measured
# in the same run, printed as ratios.
set -u
: "${BD:?}" "${SRCDIR:?}"
command -v adb >/dev/null || { echo "bench-android: the adb program is needed (apt-get install adb)"; exit 1; }
tmp=$(mktemp -d)
trap 'kill $sim 2>/dev/null; wait $sim 2>/dev/null; rm -rf "$tmp"' EXIT
export BACKUPDOCTOR_NOW=2024-06-12T12:00:00Z BACKUPDOCTOR_RULES="$SRCDIR/rules"
# Latencies in the range real phones show: most queries a tenth of a
# second, the big dumpsys services several tenths.
python3 "$SRCDIR/tests/sim/adb_sim.py" --port-file "$tmp/port" \
	--scenario "$SRCDIR/tests/sim/android/scenarios/healthy-a14" --latency-ms 100 \
	--latency "dumpsys package=300" --latency "dumpsys jobscheduler=350" \
	--latency "dumpsys connectivity=250" --latency "content query=450" \
	--latency "dumpsys deviceidle=200" --latency "getprop=150" >"$tmp/sim.log" 2>&1 &
sim=$!
while [ ! -s "$tmp/port" ]; do sleep 0.05; done
port=$(cat "$tmp/port")
export ANDROID_ADB_SERVER_PORT=$port
now() { python3 -c 'import time; print("%.6f" % time.monotonic())'; }

t0=$(now)
"$BD" capture -o "$tmp/cap.json" 2>"$tmp/capture.err" || { cat "$tmp/capture.err" "$tmp/sim.log"; exit 1; }
t1=$(now)
serial=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["device"]["id"])' "$tmp/cap.json")
python3 -c 'import json,sys; [print(a["query"]) for a in json.load(open(sys.argv[1]))["answers"]]' "$tmp/cap.json" >"$tmp/queries"
slowest=$(python3 -c 'import json,sys; print("%.3f" % (max(a["ms"] for a in json.load(open(sys.argv[1]))["answers"]) / 1000))' "$tmp/cap.json")
n=$(wc -l <"$tmp/queries")

t2=$(now)
while IFS= read -r q; do
	adb -P "$port" -s "$serial" shell "$q" >/dev/null 2>&1 </dev/null
done <"$tmp/queries"
t3=$(now)

python3 - "$t0" "$t1" "$t2" "$t3" "$slowest" "$n" <<'PY'
import sys
t0, t1, t2, t3, slowest = map(float, sys.argv[1:6])
n = int(sys.argv[6])
scan, naive = t1 - t0, t3 - t2
print("android: %d queries; scan %.2f s; naive (one adb shell after another) %.2f s: "
      "%.1fx faster; slowest single query %.2f s: the scan takes %.2fx of it"
      % (n, scan, naive, naive / scan, slowest, scan / slowest))
PY

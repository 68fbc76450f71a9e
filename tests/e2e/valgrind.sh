# valgrind.sh - the main paths under valgrind: no leak, no invalid access.
# One run per path (every case file in one analyze), so it stays quick.
cd "$SRCDIR" || exit 1
export TZ=UTC LC_ALL=C BACKUPDOCTOR_RULES="$SRCDIR/rules"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bd-vg.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
vg="$(command -v valgrind) -q --leak-check=full --show-leak-kinds=definite,indirect,possible --errors-for-leak-kinds=definite,indirect,possible --error-exitcode=99"
passed=0
failed=0
check() { # what, then the command
	what=$1
	shift
	$vg "$@" >"$tmp/out" 2>"$tmp/err"
	if [ $? -eq 99 ]; then
		failed=$((failed + 1))
		echo "valgrind: FAIL: $what" >&2
		grep '^==' "$tmp/err" | head -n 30 >&2
	else
		passed=$((passed + 1))
	fi
}
printf '{"schema":"backupdoctor.facts/1","facts":{"battery.level":"x"}}' >"$tmp/bad.json"
printf '{"schema":' >"$tmp/trunc.json"
mkdir -p "$tmp/broken"
printf 'rule x {\n  when a.b == "\n' >"$tmp/broken/a.rules"
printf 'fact a.b bool\nrule y { title "t" group power platforms any weight 1 sources 000\n  when a.b > 3 GB cause "{nope}" fix "f" { step app nosuch "s" } }\n' >"$tmp/broken/b.rules"
printf 'app.google_photos.cloud_full=yes\n' >"$tmp/answers"
for f in text json md; do
	check "analyze --format $f of every case" "$BD" analyze --format $f --answers "$tmp/answers" tests/cases/*.json
done
check "analyze --format html" "$BD" analyze --format html tests/cases/battery-saver.json
check "analyze -v" "$BD" analyze -v tests/samples/android-battery-saver.json
check "bad facts files" "$BD" analyze "$tmp/bad.json" "$tmp/trunc.json" "$tmp/none.json"
check "bad answer" "$BD" analyze --answer app.google_photos.cloud_full=perhaps tests/cases/healthy-ios.json
check "rules lint" "$BD" rules lint rules
check "rules lint of a broken directory" "$BD" rules lint "$tmp/broken"
check "analyze with broken rules" "$BD" analyze --rules "$tmp/broken" tests/cases/healthy-ios.json
check "rules list --format json" "$BD" rules list --format json
check "rules show" "$BD" rules show app-battery-restricted
check "completion" "$BD" __complete facts

# the phone paths: the adb client against the simulator
python3 tests/sim/adb_sim.py --port-file "$tmp/port" --drop "dumpsys battery" \
	--scenario tests/sim/android/scenarios/battery-saver >"$tmp/sim.log" 2>&1 &
sim=$!
i=0
while [ ! -s "$tmp/port" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
export ANDROID_ADB_SERVER_PORT=$(cat "$tmp/port") BACKUPDOCTOR_NOW=2024-06-12T12:00:00Z
check "devices" "$BD" devices
check "scan --fix --yes" "$BD" scan --fix --yes --format json
check "capture" "$BD" capture -o "$tmp/cap.json"
check "analyze of a capture" "$BD" analyze "$tmp/cap.json"
check "analyze --format json of a capture (redacted)" "$BD" analyze --format json "$tmp/cap.json"
check "info --log" "$BD" info --log --db "$tmp/shop.db" --ticket T1 --note n
check "scan --log --format md" "$BD" scan --log --db "$tmp/shop.db" --format md
check "info --capture --format csv" "$BD" info --capture "$tmp/cap.json" --format csv
check "log list" "$BD" log --db "$tmp/shop.db" list
check "log show" "$BD" log --db "$tmp/shop.db" show 2
check "log export" "$BD" log --db "$tmp/shop.db" export --format csv
check "log search" "$BD" log --db "$tmp/shop.db" search --cause battery-saver --format json
check "scan --post to nowhere, kept" "$BD" scan --db "$tmp/shop.db" --post https://127.0.0.1:1/x --format json
check "log resend to nowhere" "$BD" log --db "$tmp/shop.db" resend
kill $sim
wait $sim 2>/dev/null
export ADB_SERVER_SOCKET="localfilesystem:$tmp/no-adb-server"
saved_path=$PATH
PATH=/nonexistent
check "no adb server" "$BD" scan
PATH=$saved_path
echo "valgrind: $passed passed, $failed failed"
[ -n "${BD_TOTALS:-}" ] && echo "valgrind $passed $failed" >>"$BD_TOTALS"
[ "$failed" -eq 0 ]

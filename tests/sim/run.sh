# run.sh - the simulators' fidelity tests: each simulator against Debian's
# real clients (adb; idevice_id, ideviceinfo, idevicediagnostics,
# ideviceinstaller, idevicepair).  One total, added to BD_TOTALS.
cd "$SRCDIR/tests/sim" || exit 1
passed=0
failed=0
bad=""
for t in test_adb_sim.sh test_ios_sim.sh; do
	out=$(sh "$t" 2>&1)
	rc=$?
	printf '%s\n' "$out" | tail -n 1
	line=$(printf '%s\n' "$out" | tail -n 1)
	p=$(printf '%s' "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
	f=$(printf '%s' "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	if [ "$rc" -ne 0 ]; then
		bad="$bad $t"
		printf '%s\n' "$out" | grep -i 'fail' | head -n 20 >&2
		[ "${f:-0}" -eq 0 ] && failed=$((failed + 1))
	fi
done
echo "sim: $passed passed, $failed failed"
[ -n "${BD_TOTALS:-}" ] && echo "sim $passed $failed" >>"$BD_TOTALS"
[ -z "$bad" ]

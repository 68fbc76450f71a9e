# run.sh - run every tNNNN-*.sh end-to-end test; print one total.
cd "$SRCDIR/tests/e2e" || exit 1
total_pass=0
total_fail=0
bad=""
for t in t[0-9][0-9][0-9][0-9]-*.sh; do
	out=$(sh "$t" 2>&1)
	rc=$?
	printf '%s\n' "$out"
	line=$(printf '%s\n' "$out" | tail -n 1)
	p=$(printf '%s' "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
	f=$(printf '%s' "$line" | sed -n 's/.*: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
	total_pass=$((total_pass + ${p:-0}))
	total_fail=$((total_fail + ${f:-0}))
	if [ "$rc" -ne 0 ]; then
		bad="$bad $t"
		[ "${f:-0}" -eq 0 ] && total_fail=$((total_fail + 1))
	fi
done
echo "e2e: $total_pass passed, $total_fail failed"
[ -n "${BD_TOTALS:-}" ] && echo "e2e $total_pass $total_fail" >>"$BD_TOTALS"
[ -z "$bad" ] || { echo "failing:$bad" >&2; exit 1; }

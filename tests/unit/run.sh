# run.sh - run the cmocka unit tests given as arguments; print one total.
passed=0
failed=0
bad=""
for t in "$@"; do
	echo "== $t"
	out=$(SRCDIR="$SRCDIR" "./$t" 2>&1)
	rc=$?
	printf '%s\n' "$out" | grep -v '^\[ \(RUN\|      OK\) ' # the verdicts, not the roll call
	p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test(s)\.$/\1/p')
	f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test(s), listed below:$/\1/p')
	passed=$((passed + ${p:-0}))
	failed=$((failed + ${f:-0}))
	if [ "$rc" -ne 0 ]; then
		bad="$bad $t"
		[ "${f:-0}" -eq 0 ] && failed=$((failed + 1))
	fi
done
echo "unit: $passed passed, $failed failed"
[ -n "${BD_TOTALS:-}" ] && echo "unit $passed $failed" >>"$BD_TOTALS"
[ -z "$bad" ]

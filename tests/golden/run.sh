# run.sh - golden tests of the report writers: each input *.json in this
# directory, diagnosed with the fixed knowledge base in kb/, must print
# exactly NAME.FORMAT (text as .txt).  UPDATE=1 writes them instead; read
# the difference before committing it.
cd "$SRCDIR/tests/golden" || exit 1
export TZ=UTC LC_ALL=C NO_COLOR=
unset BACKUPDOCTOR_RULES XDG_CONFIG_HOME XDG_DATA_HOME
passed=0
failed=0
out=$(mktemp)
# no shop config may reach the pages (its name and contact would show): an empty HOME
HOME=$(mktemp -d)
export HOME
trap 'rm -f "$out"; rm -rf "$HOME"' EXIT
for in in *.json; do
	base=${in%.json}
	for fmt in text json md html; do
		ext=$fmt
		[ "$fmt" = text ] && ext=txt
		want="expected/$base.$ext"
		"$BD" --rules kb analyze --format "$fmt" "$in" >"$out" 2>&1
		echo "exit $?" >>"$out"
		if [ "${UPDATE:-}" = 1 ]; then
			mkdir -p expected
			cp "$out" "$want"
			passed=$((passed + 1))
		elif cmp -s "$out" "$want"; then
			passed=$((passed + 1))
		else
			failed=$((failed + 1))
			echo "golden: FAIL: $want" >&2
			diff -u "$want" "$out" | head -n 40 >&2
		fi
	done
done
echo "golden: $passed passed, $failed failed"
[ -n "${BD_TOTALS:-}" ] && echo "golden $passed $failed" >>"$BD_TOTALS"
[ "$failed" -eq 0 ]

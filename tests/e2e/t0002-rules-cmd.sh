# t0002-rules-cmd: lint, list and show over the shipped knowledge base.
. ./lib.sh

run "$BD" rules lint "$RULES"
expect_status 0 "the shipped rules lint clean"
expect_no_stderr "lint of the shipped rules"

# Every cause of the catalogue is a rule.  The ids are kept in cause-ids.txt;
# where the catalogue itself is at hand, the copy must match it.
ids="$SRCDIR/tests/e2e/cause-ids.txt"
catalogue="$SRCDIR/../shared/causes.md"
if [ -f "$catalogue" ]; then
	sed -n 's/^| \([a-z][a-z0-9-]*\) | .*/\1/p' "$catalogue" | grep -vx id | sort >"$tmp/catalogue-ids"
	sort "$ids" >"$tmp/kept-ids"
	if cmp -s "$tmp/catalogue-ids" "$tmp/kept-ids"; then ok; else
		fail "cause-ids.txt differs from causes.md"
		diff "$tmp/catalogue-ids" "$tmp/kept-ids" >&2
	fi
fi
run "$BD" rules list --format json
expect_status 0 "rules list --format json"
json_get '"\n".join(sorted(r["id"] for r in j))' >"$tmp/listed"
missing=$(sort "$ids" | comm -23 - "$tmp/listed")
assert_equals "" "$missing" "every cause id is listed"
json_get 'all(set(r) >= {"id","title","platforms"} and r["platforms"] and r["title"] for r in j)' >"$tmp/shape"
assert_equals "True" "$(cat "$tmp/shape")" "each listed rule has id, title and platforms"

run "$BD" rules list
expect_status 0 "rules list"
expect_out_contains "  battery-saver " "text list names battery-saver"
expect_out_contains "Power" "text list is grouped"

run "$BD" rules show battery-saver
expect_status 0 "rules show"
expect_out_contains "rule       battery-saver" "show names the rule"
expect_out_contains "when " "show prints the condition"
expect_out_contains "fix 1 " "show prints the fixes"

run "$BD" rules show no-such-cause
expect_status 2 "show of an unknown id"
expect_err_line "backupdoctor: rules show: no rule 'no-such-cause' ('backupdoctor rules list' shows them)" "unknown id named"

run "$BD" rules frob
expect_status 2 "unknown rules subcommand"

# A broken knowledge base: every error with file:line:col, exit 2, and the
# tool refuses to diagnose with it.
mkdir -p "$tmp/broken"
cp "$RULES"/*.rules "$tmp/broken/"
printf 'rule battery-saver {\n  title "again"\n  group power platforms any weight 5 sources 000\n  when power.battery_saver == 3 GB\n  cause "c" fix "f" { step "s" }\n}\nrule x { weight 500 }\n' >"$tmp/broken/zz-broken.rules"
run "$BD" rules lint "$tmp/broken"
expect_status 2 "lint of a broken knowledge base"
expect_err_line "$tmp/broken/zz-broken.rules:7:17: weight must be a whole number from 1 to 100, found '500'" "parse error with file:line:col"
grep -q "^$tmp/broken: [0-9]* errors\?, [0-9]* warnings\?$" "$tmp/err" && ok || fail "lint ends with a count"
run "$BD" analyze --rules "$tmp/broken" "$CASES/healthy-android.json"
expect_status 2 "analyze refuses a broken knowledge base"
grep -q "is broken" "$tmp/err" && ok || fail "analyze says the knowledge base is broken"
[ ! -s "$tmp/out" ] && ok || fail "no report from a broken knowledge base"

finish

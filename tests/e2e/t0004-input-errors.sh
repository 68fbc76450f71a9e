# t0004-input-errors: bad facts files and bad answers name the file and the
# place, exit 2, and never cost the reports of the good files.
. ./lib.sh

good="$CASES/healthy-android.json"
printf '{"schema": "backupdoctor.facts/1",\n "facts": {\n  "battery.level": 15,,\n}}\n' >"$tmp/syntax.json"
run "$BD" analyze "$tmp/syntax.json"
expect_status 2 "invalid JSON"
grep -q "^$tmp/syntax.json:3:[0-9]*: not valid JSON: " "$tmp/err" && ok || fail "invalid JSON names file:line:col"

printf '{"schema": "backupdoctor.facts/1", "facts": {"battery.level": {"value": "low"}}}\n' >"$tmp/type.json"
run "$BD" analyze "$tmp/type.json"
expect_status 2 "a value of the wrong type"
expect_err_line "$tmp/type.json: facts.\"battery.level\".value: expected a percentage from 0 to 100 (percent), found a string" "wrong type names the fact"

printf '{"facts": {}}\n' >"$tmp/noschema.json"
run "$BD" analyze "$tmp/noschema.json"
expect_status 2 "no schema"
expect_err_line "$tmp/noschema.json: schema: missing (a facts file says \"schema\": \"backupdoctor.facts/1\")" "missing schema named"

printf '[1, 2]\n' >"$tmp/array.json"
run "$BD" analyze "$tmp/array.json"
expect_status 2 "not an object"

run "$BD" analyze "$tmp/nonexistent.json"
expect_status 2 "missing file"
expect_err_line "$tmp/nonexistent.json: cannot open: No such file or directory" "missing file named"

printf '\0\377garbage' >"$tmp/binary.json"
run "$BD" analyze "$tmp/binary.json"
expect_status 2 "binary garbage"

printf '{"schema": "backupdoctor.facts/1", "facts": {"no.such.fact": true}}\n' >"$tmp/unknown.json"
run "$BD" analyze "$tmp/unknown.json"
expect_status 0 "an unknown fact is a warning"
expect_err_line "$tmp/unknown.json: warning: facts.\"no.such.fact\": not a fact of this knowledge base, ignored" "unknown fact warned"

# a bad file among good ones: the good reports are still printed
run "$BD" analyze --format json "$good" "$tmp/type.json" "$good"
expect_status 2 "one bad file among good ones"
assert_equals "2" "$(json_get 'len(j["reports"])')" "both good files reported"

# standard input
run sh -c "\"$BD\" analyze --format json - <\"$good\""
expect_status 0 "facts from standard input"
assert_equals "(stdin)" "$(json_get 'j["source"]')" "standard input named"

# answers: checked before anything is read, with the place named
run "$BD" analyze --answer cloud.nonsense=yes "$good"
expect_status 2 "unknown answered fact"
expect_err_line "backupdoctor: --answer unknown fact 'cloud.nonsense'" "unknown answered fact named"
run "$BD" analyze --answer battery.level=10% "$good"
expect_status 2 "answering a probed fact"
expect_err_line "backupdoctor: --answer 'battery.level' is read from the phone, not asked" "probed fact refused"
printf '# the customer says\napp.google_photos.cloud_full = yes\n\napp.google_photos.cloud_full=perhaps\n' >"$tmp/answers.txt"
run "$BD" analyze --answers "$tmp/answers.txt" "$good"
expect_status 2 "a bad answers file"
expect_err_line "backupdoctor: $tmp/answers.txt:4: app.google_photos.cloud_full: 'perhaps' is not an answer to a yes/no question (yes, no or unknown)" "answers file names file:line"
[ ! -s "$tmp/out" ] && ok || fail "no report when an answer is bad"

finish

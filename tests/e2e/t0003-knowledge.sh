# t0003-knowledge: healthy phones give nothing; every cause has a case that
# makes it the top finding, confirmed.
. ./lib.sh

for h in healthy-android healthy-ios; do
	run "$BD" analyze --format json "$CASES/$h.json"
	expect_status 0 "$h: exit 0"
	assert_equals "0" "$(json_get 'len(j["findings"])')" "$h: no finding"
	assert_equals "[]" "$(json_get '[f["id"] for f in j["findings"]]')" "$h: finding ids"
done

while read -r id; do
	f="$CASES/$id.json"
	if [ ! -f "$f" ]; then
		fail "$id: no case file tests/cases/$id.json"
		continue
	fi
	run "$BD" analyze --format json "$f"
	expect_status 1 "$id: exit 1"
	assert_equals "$id confirmed" \
		"$(json_get 'j["findings"][0]["id"] + " " + j["findings"][0]["status"] if j["findings"] else "none"')" \
		"$id: top finding"
done <"$SRCDIR/tests/e2e/cause-ids.txt"

finish

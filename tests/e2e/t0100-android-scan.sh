# t0100-android-scan: scan simulated Android phones through the adb server
# protocol: every scenario's cause comes out on top, confirmed; healthy
# phones give nothing; capture then analyze gives the same report.
. ./lib.sh

for dir in "$SCEN"/*/; do
	scen=$(basename "$dir")
	sim_android --scenario "$dir"
	run timeout 60 "$BD" scan --format json
	case $scen in
	healthy-*)
		expect_status 0 "$scen: exit 0"
		assert_equals "[]" "$(json_get '[f["id"] for f in j["findings"]]')" "$scen: no finding"
		;;
	adb-unauthorized)
		expect_status 3 "$scen: the phone could not be read"
		assert_equals "$scen confirmed" "$(json_get 'j["findings"][0]["id"] + " " + j["findings"][0]["status"]')" "$scen: top finding"
		;;
	*)
		expect_status 1 "$scen: exit 1"
		assert_equals "$scen confirmed" \
			"$(json_get 'j["findings"][0]["id"] + " " + j["findings"][0]["status"] if j["findings"] else "none"')" \
			"$scen: top finding"
		;;
	esac
	sim_stop
done

# capture, then analyze: the same report, to the byte
for scen in doze-idle photo-permission-partial healthy-a8; do
	sim_android --scenario "$SCEN/$scen"
	run "$BD" scan --format json
	cp "$tmp/out" "$tmp/scan.json"
	run "$BD" capture -o "$tmp/cap.json"
	expect_status 0 "$scen: capture"
	sim_stop
	run "$BD" analyze --format json "$tmp/cap.json"
	if cmp -s "$tmp/out" "$tmp/scan.json"; then ok; else
		fail "$scen: analyze of the capture differs from the scan"
		diff "$tmp/scan.json" "$tmp/out" | head -n 20 >&2
	fi
done

# several phones: name one, or be told which there are
sim_android --scenario "$SCEN/battery-saver" --scenario "$SCEN/healthy-a14"
run "$BD" scan
expect_status 2 "two phones and none named"
expect_err_line "backupdoctor: several phones are attached: choose one with --device ID" "asked to choose"
grep -q "R5CW20ABCDE" "$tmp/err" && ok || fail "the phones are listed"
run "$BD" scan -d R5CW20ABCDE --format json
expect_status 1 "--device picks one"
assert_equals "battery-saver" "$(json_get 'j["findings"][0]["id"]')" "the named phone was read"
ANDROID_SERIAL=R5CW20ABCDE run "$BD" scan --format json
expect_status 1 "ANDROID_SERIAL picks one"
run "$BD" scan -d nosuchphone
expect_status 3 "an unknown --device"
run "$BD" devices --format json
expect_status 0 "devices"
assert_equals "2 ready" "$(json_get 'str(len(j)) + " " + " ".join(sorted(set(d["state"] for d in j)))')" "devices lists both, ready"
assert_equals "True" "$(json_get 'all(set(d) >= {"id","platform","state","model"} and d["platform"] == "android" for d in j)')" "devices JSON shape"
sim_stop

finish

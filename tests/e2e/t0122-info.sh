# t0122-info: the device record of a simulated iPhone.  The marketing name
# comes from rules/models.txt (data, not C: a code added to a copy of the
# rules directory is named, one taken out falls back to the code), the
# colour is the phone's own (lockdown DeviceEnclosureColor), and scan and
# analyze of one capture still agree.
. ./lib.sh

export ANDROID_ADB_SERVER_PORT=1
H=00008120-001A2C3E4B5D6F01	# healthy: iPhone15,2, DeviceColor 1, DeviceEnclosureColor #e1e4e3

sim_ios --scenario "$IOS_SCEN/healthy"
run timeout 60 env PATH=/nonexistent "$BD" info -d "$H" --timeout 5 --format json
expect_status 0 "info"
assert_equals "iPhone15,2|iPhone 14 Pro|#e1e4e3" \
	"$(json_get 'j["model"] + "|" + j["model_name"] + "|" + j["color"]')" "info: code, name from models.txt, colour"
run timeout 60 env PATH=/nonexistent "$BD" info -d "$H" --timeout 5
expect_status 0 "info text"
expect_out_contains "iPhone 14 Pro" "info text: the marketing name"
if grep -q '^Colour .*#e1e4e3' "$tmp/out"; then ok; else fail "info text: no Colour line with #e1e4e3"; cat "$tmp/out" >&2; fi
run timeout 60 env PATH=/nonexistent "$BD" info -d "$H" --timeout 5 --format csv
assert_equals "color" "$(head -n 1 "$tmp/out" | cut -d, -f5)" "info csv: the colour column"
expect_out_contains "#e1e4e3" "info csv: the colour"
run timeout 60 env PATH=/nonexistent "$BD" devices
expect_out_contains "iPhone 14 Pro" "devices: the listing names the phone from models.txt"
run timeout 60 env PATH=/nonexistent "$BD" capture -d "$H" --timeout 5 -o "$tmp/cap.json"
expect_status 0 "capture"
# scan and analyze of the capture: the same report, with the name from the table
run timeout 60 env PATH=/nonexistent "$BD" scan -d "$H" --timeout 5 --format json
cp "$tmp/out" "$tmp/scan.json"
assert_equals "iPhone 14 Pro|iPhone15,2|#e1e4e3" \
	"$(json_get 'j["facts"]["device.model"]["value"] + "|" + j["facts"]["device.product_type"]["value"] + "|" + j["facts"]["device.color"]["value"]')" \
	"scan: device.model named, device.product_type and device.color as the phone gave them"
sim_ios_stop
run "$BD" analyze --format json "$tmp/cap.json"
if cmp -s "$tmp/out" "$tmp/scan.json"; then ok; else fail "analyze of the capture differs from the scan"; diff "$tmp/scan.json" "$tmp/out" | head >&2; fi

# the name is data: a made-up code in a copy of the rules directory
cp -r "$SRCDIR/rules" "$tmp/rules"
sed 's/iPhone15,2/iPhone99,7/g' "$tmp/cap.json" >"$tmp/cap99.json"
run "$BD" info --capture "$tmp/cap99.json" --rules "$tmp/rules" --format json
assert_equals "iPhone99,7|iPhone99,7" "$(json_get 'j["model"] + "|" + j["model_name"]')" \
	"a code the table lacks: the code itself"
printf 'iPhone99,7      Bench Test Phone\n' >>"$tmp/rules/models.txt"
run "$BD" info --capture "$tmp/cap99.json" --rules "$tmp/rules" --format json
expect_status 0 "info with the extra code"
assert_equals "iPhone99,7|Bench Test Phone" "$(json_get 'j["model"] + "|" + j["model_name"]')" \
	"a code added to models.txt is named"
run "$BD" analyze --rules "$tmp/rules" --format json "$tmp/cap99.json"
assert_equals "Bench Test Phone" "$(json_get 'j["facts"]["device.model"]["value"]')" "analyze names it the same way"
grep -v '^iPhone15,2' "$SRCDIR/rules/models.txt" >"$tmp/rules/models.txt"
run "$BD" info --capture "$tmp/cap.json" --rules "$tmp/rules" --format json
assert_equals "iPhone15,2" "$(json_get 'j["model_name"]')" "a code taken out of models.txt: the code"

# Android: no standard property tells the colour
sim_android --scenario "$SCEN/beta-software"
run "$BD" info --format json
expect_status 0 "android info"
assert_equals "None|Google Pixel 7" "$(json_get 'str(j["color"]) + "|" + j["model_name"]')" "android: no colour; the name"
sim_stop

finish

# t0101-android-faults: unauthorized, offline, a hanging command, a
# connection dropped mid-answer, garbage, a huge answer, no adb server:
# each a clear message and the documented status, never a hang.
. ./lib.sh

# the RSA prompt was not accepted: a finding, and exit 3
sim_android --scenario "$SCEN/adb-unauthorized"
run timeout 30 "$BD" devices
expect_status 0 "devices with an unauthorized phone"
grep -q "unauthorized .*accept the USB debugging prompt" "$tmp/out" && ok || fail "devices says what to do"
sim_stop

# offline: made from a healthy scenario
mkdir -p "$tmp/offline"
printf 'profile=pixel7-a14\nserial=OFFLINE01\nstate=offline\n' >"$tmp/offline/scenario"
sim_android --scenario "$tmp/offline"
run timeout 30 "$BD" scan --format json
expect_status 3 "offline phone"
assert_equals "offline" "$(json_get 'j["facts"]["connection.state"]["value"]')" "offline is a fact"
sim_stop

# a command that never answers: the scan ends at the deadline, the fact unknown with a note
sim_android --scenario "$SCEN/healthy-a14" --hang "dumpsys connectivity"
run timeout 60 "$BD" scan --timeout 2 --format json
[ "$status" -ne 124 ] && ok || fail "a hanging command hung the scan"
assert_equals "unknown" "$(json_get 'j["facts"]["net.type"]["state"]')" "the hung command's fact is unknown"
json_get 'j["facts"]["net.type"].get("note","")' | grep -q "dumpsys connectivity" && ok || fail "the note names the command"
assert_equals "known" "$(json_get 'j["facts"]["power.battery_saver"]["state"]')" "the other answers are kept"
assert_equals "True" "$(json_get '"phone-not-answering" in [f["id"] for f in j["findings"]]')" "the stall is a finding"
expect_status 1 "a stall is reported, not silent"
sim_stop

# dropped mid-answer (cable pulled): no exit status, so not trusted
sim_android --scenario "$SCEN/healthy-a14" --drop "dumpsys battery"
run timeout 60 "$BD" capture -o "$tmp/cut.json"
expect_status 0 "capture with a dropped answer"
run python3 -c 'import json,sys; a=[x for x in json.load(open(sys.argv[1]))["answers"] if x["query"]=="dumpsys battery"][0]; print(a["status"])' "$tmp/cut.json"
assert_equals "cut" "$(cat "$tmp/out")" "the dropped answer is marked cut"
run "$BD" analyze --format json "$tmp/cut.json"
assert_equals "unknown" "$(json_get 'j["facts"]["battery.level"]["state"]')" "a cut answer gives no fact"
sim_stop

# garbage, junk frames and a huge answer: no crash, bounded
sim_android --scenario "$SCEN/healthy-a14" --garbage "dumpsys package" --badframe "getprop" --huge "dumpsys power" --huge-size 12000000
run timeout 60 "$BD" scan --format json
[ "$status" -le 1 ] && ok || fail "garbage answers: exit $status"
json_get 'j["schema"]' | grep -q report && ok || fail "garbage answers: still a report"
sim_stop

# no adb server and no adb program: say what to install, exit 3
run env -u ADB_SERVER_SOCKET PATH=/nonexistent ANDROID_ADB_SERVER_PORT=$(free_port) "$BD" scan
expect_status 3 "no adb server"
grep -q "not installed (apt-get install adb)" "$tmp/err" && ok || fail "says to install adb"
expect_err_line "backupdoctor: no phone found: plug it in by USB and unlock it; on Android, turn on USB debugging (Settings > Developer options) and accept the prompt on the phone" "says what to do"

finish

# t0103-ios-more: what a simulated iPhone tells beyond the diagnosis, and
# its device log.  Battery health and the shop log's identity are facts of
# the JSON report (and stay out of its text); scan --log-seconds N reads the
# device log (com.apple.syslog_relay) for N seconds and keeps the lines
# about backups, without the phone's name; Low Power Mode logged by powerd
# confirms battery-saver, which without the log stays a question; a log the
# phone refuses, never sends, or floods is a note, never a hang.
. ./lib.sh

# No adb server here (and each phone named, should one answer anyway).
export ANDROID_ADB_SERVER_PORT=1
export BACKUPDOCTOR_NOW=2026-11-20T12:00:00Z
H=00008120-001A2C3E4B5D6F01	# healthy
LP=00008120-001A2C3E4B5D6F11	# low-power-logged
OH=00008120-001A2C3E4B5D6F0B	# overheating

# fact NAME KEY: one field of a fact of the JSON report in $tmp/out
fact() {
	json_get "j['facts'].get('$1', {}).get('$2')"
}
top() {
	json_get '(j["findings"][0]["id"] + " " + j["findings"][0]["status"]) if j["findings"] else "none"'
}

# ---- battery health and identity (healthy: 3050 of 3200 mAh, 214 cycles)
sim_ios --scenario "$IOS_SCEN/healthy" --log "$tmp/transcript"
run timeout 60 env PATH=/nonexistent "$BD" scan -d "$H" --timeout 5 --format json
expect_status 0 "healthy: scan"
assert_equals "95" "$(fact battery.health_pct value)" "battery health: 3050 / 3200 = 95.3%, rounded"
assert_equals "NominalChargeCapacity 3050 / DesignCapacity 3200" "$(fact battery.health_pct raw)" \
	"battery health names the raw values used"
assert_equals "214 3200 3050" \
	"$(fact battery.cycle_count value) $(fact battery.design_capacity value) $(fact battery.full_capacity value)" \
	"cycle count, design and full-charge capacity"
assert_equals "known known known known known known" \
	"$(for f in serial imei imei2 name find_my activation_state; do fact device.$f state; done | tr '\n' ' ' | sed 's/ $//')" \
	"identity facts for the shop log"
assert_equals "lockdown SerialNumber|lockdown com.apple.fmip IsAssociated|Activated" \
	"$(fact device.serial source)|$(fact device.find_my source)|$(fact device.activation_state value)" \
	"identity: where it was read"
assert_equals "None None None" "$(fact device.serial raw) $(fact device.imei raw) $(fact device.name raw)" \
	"personal data is not repeated as a raw excerpt"
# no log asked for: the log facts are unknown (never false), and the relay was not started
assert_equals "unknown unknown unknown unknown" \
	"$(for f in low_power_mode thermal_pressure photo_sync_waiting backup_errors; do fact log.$f state; done | tr '\n' ' ' | sed 's/ $//')" \
	"no --log-seconds: the log facts stay unknown"
case $(fact log.low_power_mode note) in *--log-seconds*) ok ;; *) fail "the note says how to read the log" ;; esac
if grep -q syslog_relay "$tmp/transcript"; then fail "the device log was read without --log-seconds"; else ok; fi
# the text report: no serial, IMEI or the phone's own name (the scenario's name is the default "iPhone")
run timeout 60 env PATH=/nonexistent "$BD" scan -d "$H" --timeout 5
expect_status 0 "healthy: text report"
if grep -q 'G7XK2N9Q4T\|356789101234564\|356789101234572' "$tmp/out"; then
	fail "serial or IMEI in the text report"
else ok; fi
sim_ios_stop

# ---- Low Power Mode, told only by the device log
sim_ios --scenario "$IOS_SCEN/low-power-logged" --log "$tmp/transcript"
run timeout 60 env PATH=/nonexistent "$BD" scan -d "$LP" --timeout 5 --format json
expect_status 0 "low-power-logged without the log: nothing confirmed"
assert_equals "none" "$(top)" "without --log-seconds battery-saver is not a finding"
assert_equals "True" "$(json_get '"power.battery_saver" in [q["fact"] for q in j["questions"]]')" \
	"without the log, Low Power Mode is a question"
t0=$(date +%s)
run timeout 60 env PATH=/nonexistent "$BD" scan -d "$LP" --timeout 5 --log-seconds 2 --format json
t1=$(date +%s)
expect_status 1 "low-power-logged with --log-seconds 2"
assert_equals "battery-saver confirmed" "$(top)" "the log confirms battery-saver"
assert_equals "True" "$(fact log.low_power_mode value)" "log.low_power_mode"
assert_equals "device log (com.apple.syslog_relay, 2 s)" "$(fact log.low_power_mode source)" "the log's provenance"
assert_equals "Jun 12 09:29:51 powerd[52] <Notice>: Low Power Mode enabled (battery saver state 1)" \
	"$(fact log.low_power_mode raw)" "the line, without the phone's name"
assert_equals "True" \
	"$(json_get 'any(c["name"] == "log.low_power_mode" for e in j["findings"][0]["evidence"] for c in e["facts"])')" \
	"the evidence cites the log"
[ $((t1 - t0)) -ge 2 ] && [ $((t1 - t0)) -le 12 ] && ok || fail "--log-seconds 2 took $((t1 - t0)) s"
# the person's answer still decides when the log says nothing
run timeout 60 env PATH=/nonexistent "$BD" scan -d "$LP" --timeout 5 --answer power.battery_saver=no --format json
expect_status 0 "answered no, no log: ruled out"
# capture, then analyze: the same report, and the kept lines lack the host and the other processes
run timeout 60 env PATH=/nonexistent "$BD" scan -d "$LP" --timeout 5 --log-seconds 1 --format json
cp "$tmp/out" "$tmp/scan.json"
run timeout 60 env PATH=/nonexistent "$BD" capture -d "$LP" --timeout 5 --log-seconds 1 -o "$tmp/cap.json"
expect_status 0 "capture --log-seconds"
python3 - "$tmp/cap.json" >"$tmp/log.txt" <<'PY'
import json, sys
c = json.load(open(sys.argv[1]))
print("".join(a["out"] for a in c["answers"] if a["query"] == "syslog:1"), end="")
PY
assert_equals "5" "$(wc -l <"$tmp/log.txt" | tr -d ' ')" "capture: the backup-related lines (SpringBoard's left out)"
if grep -q ' iPhone \|SpringBoard' "$tmp/log.txt"; then fail "capture: host name or other process kept"; else ok; fi
sim_ios_stop
run "$BD" analyze --format json "$tmp/cap.json"
if cmp -s "$tmp/out" "$tmp/scan.json"; then ok; else
	fail "analyze of a capture with the log differs from the scan"
	diff "$tmp/scan.json" "$tmp/out" | head -n 20 >&2
fi

# ---- thermal pressure in the log (overheating)
sim_ios --scenario "$IOS_SCEN/overheating"
run timeout 60 env PATH=/nonexistent "$BD" scan -d "$OH" --timeout 5 --log-seconds 1 --format json
expect_status 1 "overheating with the log"
assert_equals "overheating confirmed" "$(top)" "overheating stays on top"
assert_equals "True" "$(fact log.thermal_pressure value)" "log.thermal_pressure"
sim_ios_stop

# ---- the log refused (before the first unlock), silent, flooding
sim_ios --scenario "$IOS_SCEN/healthy" --fault refuse.com.apple.syslog_relay=GetProhibited
run timeout 60 env PATH=/nonexistent "$BD" scan -d "$H" --timeout 5 --log-seconds 1 --format json
expect_status 0 "log refused: the scan still reports"
case $(fact log.low_power_mode note) in
*GetProhibited*unlock*) ok ;;
*) fail "refused log: note '$(fact log.low_power_mode note)'" ;;
esac
assert_equals "95" "$(fact battery.health_pct value)" "log refused: the rest is read"
sim_ios_stop

sim_ios --scenario "$IOS_SCEN/healthy" --fault hang=syslog
run timeout 60 env PATH=/nonexistent "$BD" scan -d "$H" --timeout 3 --log-seconds 1 --format json
expect_status 0 "a silent log is no stall"
case $(fact log.backup_errors note) in
*"no error in 1 s"*) ok ;;
*) fail "silent log: note '$(fact log.backup_errors note)'" ;;
esac
assert_equals "unknown" "$(fact log.photo_sync_waiting state)" "silence proves nothing"
sim_ios_stop

sim_ios --scenario "$IOS_SCEN/healthy" --fault huge=syslog
run timeout 60 env PATH=/nonexistent "$BD" capture -d "$H" --timeout 5 --log-seconds 3 -o "$tmp/huge.json"
expect_status 0 "a 30 MB log line"
size=$(python3 -c 'import json,sys; print(sum(len(a["out"]) for a in json.load(open(sys.argv[1]))["answers"] if a["query"].startswith("syslog:")))' "$tmp/huge.json")
[ "$size" -le 262144 ] && ok || fail "the kept log is bounded: $size bytes"
sim_ios_stop

# ---- usage
run "$BD" scan --log-seconds soon
expect_status 2 "--log-seconds needs a number"
expect_err_line "backupdoctor: --log-seconds: 'soon' is not a number of seconds" "--log-seconds: the message"
run "$BD" capture -o "$tmp/x.json" --log-seconds 0
expect_status 2 "capture --log-seconds 0"

finish

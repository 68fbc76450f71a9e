# t0102-ios-scan: scan simulated iPhones through usbmuxd, lockdownd and its
# services with the real libimobiledevice: each scenario's cause on top,
# confirmed; not trusted and locked phones exit 3 with what to do; faults
# end in a report, never a hang; capture then analyze gives the same report.
. ./lib.sh

# No adb server here: only the simulated iPhones are phones.
unset ANDROID_ADB_SERVER_PORT
export ADB_SERVER_SOCKET="localfilesystem:$tmp/no-adb-server"
export BACKUPDOCTOR_NOW=2026-11-20T12:00:00Z

# scenario | extra scan arguments | exit | top finding
cat >"$tmp/table" <<'T'
healthy||0|none
backup-off||1|backup-off
beta-software||1|beta-software
device-storage-full||1|device-storage-full
ios-too-old||1|ios-too-old
low-battery||1|low-battery
overheating||1|overheating
mdm-restricted||1|mdm-restricted
vpn-or-proxy||1|vpn-or-proxy
backup-app-missing|--answer app.google_photos.in_use=yes|1|backup-app-missing
multiple-backup-services|--answer app.google_photos.in_use=yes --answer app.onedrive.in_use=yes|1|multiple-backup-services
device-locked||3|device-locked
device-not-trusted||3|device-not-trusted
device-not-trusted-denied||3|device-not-trusted
device-not-trusted-invalid-host||3|device-not-trusted
T
while IFS='|' read -r scen args want_exit want_top; do
	sim_ios --scenario "$IOS_SCEN/$scen"
	# shellcheck disable=SC2086
	run timeout 60 env PATH=/nonexistent "$BD" scan --timeout 5 --format json $args
	expect_status "$want_exit" "$scen: exit $want_exit"
	assert_equals "$want_top" \
		"$(json_get '(j["findings"][0]["id"] + ("" if j["findings"][0]["status"] == "confirmed" else " (possible)")) if j["findings"] else "none"')" \
		"$scen: top finding"
	[ "$want_exit" = 3 ] && { [ -s "$tmp/err" ] && ok || fail "$scen: says what to do"; }
	sim_ios_stop
done <"$tmp/table"

# faults: a report with what could not be read, never a hang
for scen in fault-hang-lockdown fault-hang-service fault-disconnect-mid-session \
	fault-huge-reply fault-malformed-reply; do
	sim_ios --scenario "$IOS_SCEN/$scen"
	run timeout 60 env PATH=/nonexistent "$BD" scan --timeout 3 --format json
	[ "$status" -ne 124 ] && [ "$status" -le 3 ] && ok || fail "$scen: exit $status"
	assert_equals "backupdoctor.report/1" "$(json_get 'j["schema"]')" "$scen: a report"
	case $scen in
	fault-hang-*)
		assert_equals "True" "$(json_get '"phone-not-answering" in [f["id"] for f in j["findings"]]')" "$scen: the stall is a finding" ;;
	esac
	sim_ios_stop
done

# capture, then analyze: the same report
for scen in healthy mdm-restricted device-locked; do
	sim_ios --scenario "$IOS_SCEN/$scen"
	run env PATH=/nonexistent "$BD" scan --format json
	cp "$tmp/out" "$tmp/scan.json"
	run env PATH=/nonexistent "$BD" capture -o "$tmp/cap.json"
	sim_ios_stop
	run "$BD" analyze --format json "$tmp/cap.json"
	if cmp -s "$tmp/out" "$tmp/scan.json"; then ok; else
		fail "$scen: analyze of the capture differs from the scan"
		diff "$tmp/scan.json" "$tmp/out" | head -n 20 >&2
	fi
done

# --wait: the person taps Trust (the simulated phone accepts the third Pair)
sim_ios --scenario "$IOS_SCEN/device-not-trusted" --fault trust_after=3
run timeout 60 env PATH=/nonexistent "$BD" scan --wait=20 --format json
expect_status 0 "--wait until the phone trusts this computer"
assert_equals "ready" "$(json_get 'j["facts"]["connection.state"]["value"]')" "read once trusted"
grep -q "waiting up to 20 s for you: the phone asks whether to trust this computer" "$tmp/err" && ok || fail "--wait says what it waits for"
sim_ios_stop

# devices never raises the Trust prompt, and lists the states
sim_ios --scenario "$IOS_SCEN/healthy" --scenario "$IOS_SCEN/device-not-trusted" --scenario "$IOS_SCEN/device-locked"
run env PATH=/nonexistent "$BD" devices --format json
expect_status 0 "devices"
assert_equals "locked not-trusted ready" "$(json_get '" ".join(sorted(d["state"] for d in j))')" "devices: the three states"
if grep -q '"Pair"\|Request.*Pair\b' "$tmp/ios-sim.log" 2>/dev/null; then fail "devices raised a Trust prompt"; else ok; fi
sim_ios_stop

finish

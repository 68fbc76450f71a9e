# t0110-usb: the computer's own view of the USB bus.  umockdev fakes sysfs
# and usbfs so the real libusb enumerates the hand-written buses in usb/:
# phones seen only on the bus are listed as usb-only with the reason, the
# Android one gives usb-debugging-off, a USB 1.1 link and a bus-powered hub
# give usb-power-or-cable; the real bus (empty here) is handled quietly.
. ./lib.sh

if ! command -v umockdev-run >/dev/null 2>&1; then
	echo "$name: umockdev-run is missing (make deps); only the real bus is tested" >&2
	umock=false
else
	umock=true
fi
U="$SRCDIR/tests/e2e/usb"
# no usbmuxd here: the iPhone's reason is that one
unset USBMUXD_SOCKET_ADDRESS

# bus FILE CMD...: run the binary on a simulated USB bus
bus() {
	f=$1
	shift
	# umockdev preloads its library; a sanitized binary must accept not being first
	run env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
		umockdev-run --device "$U/$f.umockdev" -- "$@"
}

# the real bus: no phone, no crash, no USB complaint
run "$BD" devices --format json
[ "$status" -eq 0 ] || [ "$status" -eq 3 ] && ok || fail "real bus: exit $status"
grep -qi "usb bus\|bus/usb" "$tmp/err" && fail "real bus: a USB complaint: $(cat "$tmp/err")" || ok

if $umock; then
	# an iPhone on the bus, no usbmuxd
	sim_android --scenario "$SCEN/healthy-a14"
	bus iphone "$BD" devices --format json
	expect_status 0 "iphone: devices"
	assert_equals "ios usb-only iPhone" \
		"$(json_get '" ".join(next((d["platform"], d["state"], d["model"]) for d in j if d["id"] == "00008030001A2C3E0C41802E"))')" \
		"iphone: listed usb-only"
	assert_equals "True" "$(json_get '"usbmuxd is not running" in [d for d in j if d["platform"] == "ios"][0]["reason"]')" \
		"iphone: the reason names usbmuxd"
	assert_equals "high False" "$(json_get '[(d["usb"]["speed"], d["usb"]["behind_hub"]) for d in j if d["platform"] == "ios"][0][0] + " " + str([d for d in j if d["platform"] == "ios"][0]["usb"]["behind_hub"])')" \
		"iphone: link speed, no hub"
	bus iphone "$BD" devices
	grep -q "^00008030001A2C3E0C41802E *ios *usb-only *iPhone  - usbmuxd is not running" "$tmp/out" && ok ||
		fail "iphone: text listing: $(cat "$tmp/out")"
	bus iphone "$BD" scan -d 00008030001A2C3E0C41802E --format json
	expect_status 3 "iphone: scan says the phone could not be read"
	expect_err_line "backupdoctor: 00008030001A2C3E0C41802E: usbmuxd is not running: start it (systemctl start usbmuxd) and plug the phone in again" \
		"iphone: scan says why"
	assert_equals "usb-only" "$(json_get 'j["facts"]["connection.state"]["value"]')" "iphone: connection.state"
	sim_stop

	# an Android phone adb does not list: USB debugging off / charge-only
	sim_android --scenario "$SCEN/healthy-a14"
	bus android "$BD" devices --format json
	assert_equals "android usb-only Pixel 7" \
		"$(json_get '" ".join(next((d["platform"], d["state"], d["model"]) for d in j if d["id"] == "28031FDH2000J5"))')" \
		"android: listed usb-only beside the adb phone"
	assert_equals "ready" "$(json_get 'next(d["state"] for d in j if d["id"] == "28161FDH2000AB")')" \
		"android: the adb phone stays ready"
	bus android "$BD" scan -d 28031FDH2000J5 --format json
	expect_status 3 "android: the phone could not be read"
	assert_equals "usb-debugging-off confirmed" \
		"$(json_get 'j["findings"][0]["id"] + " " + j["findings"][0]["status"]')" "android: usb-debugging-off"
	assert_equals "True" "$(json_get 'any("Pixel 7" in e["text"] for e in j["findings"][0]["evidence"])')" \
		"android: evidence names the USB product"
	grep -q "USB debugging is off or the phone is in charge-only mode" "$tmp/err" && ok ||
		fail "android: scan says why"
	sim_stop

	# a ready phone on a USB 1.1 (full speed) link
	sim_android --scenario "$SCEN/battery-saver"
	bus android-slow "$BD" scan --format json
	expect_status 1 "slow link: findings"
	assert_equals "full" "$(json_get 'j["facts"]["usb.speed"]["value"]')" "slow link: usb.speed"
	assert_equals "True" "$(json_get '"usb-power-or-cable" in [f["id"] for f in j["findings"] if f["status"] == "confirmed"]')" \
		"slow link: usb-power-or-cable"
	# capture keeps the bus line: analyze says the same
	cp "$tmp/out" "$tmp/scan.json"
	bus android-slow "$BD" capture -o "$tmp/cap.json"
	run "$BD" analyze --format json "$tmp/cap.json"
	cmp -s "$tmp/out" "$tmp/scan.json" && ok || fail "slow link: analyze of the capture differs from the scan"
	sim_stop

	# a ready phone behind a bus-powered hub
	sim_android --scenario "$SCEN/healthy-xiaomi"
	bus android-hub "$BD" scan --format json
	expect_status 1 "hub: a finding"
	assert_equals "True True False" \
		"$(json_get '" ".join(str(x) for x in ("usb-power-or-cable" in [f["id"] for f in j["findings"]], j["facts"]["usb.behind_hub"]["value"], j["facts"]["usb.hub_self_powered"]["value"]))')" \
		"hub: usb-power-or-cable, behind a bus-powered hub"
	# the same phone plugged in directly at high speed: nothing
	sed 's/1-1.2/1-2/' "$U/android-hub.umockdev" | sed '/usb1\/1-1$/,/^$/d' >"$tmp/direct.umockdev"
	run env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
		umockdev-run --device "$tmp/direct.umockdev" -- "$BD" scan --format json
	expect_status 0 "direct: healthy"
	assert_equals "False" "$(json_get 'j["facts"]["usb.behind_hub"]["value"]')" "direct: not behind a hub"
	sim_stop

	# a bus with no phone (a mouse receiver): nothing listed
	sim_android
	bus no-phone "$BD" devices --format json
	assert_equals "[]" "$(json_get 'j')" "no phone on the bus"
	sim_stop

	# the config file names another vendors file: a maker with a made-up id
	# (f00d) is a phone with no new build; without the config it is not
	sed 's/idVendor=18d1/idVendor=f00d/; s/0040d118e14e/00400df0e14e/' "$U/android.umockdev" >"$tmp/madeup.umockdev"
	grep -q "00400df0e14e" "$tmp/madeup.umockdev" && ok || fail "madeup: the descriptor was not rewritten"
	umock_madeup() {
		run env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
			umockdev-run --device "$tmp/madeup.umockdev" -- "$BD" devices --format json
	}
	sim_android
	umock_madeup
	assert_equals "[]" "$(json_get 'j')" "madeup vendor: not a phone by default"
	mkdir -p "$tmp/xdg/backupdoctor"
	{ cat "$RULES/usb-vendors.txt"; printf 'f00d android Madeup Phones\n'; } >"$tmp/vendors.txt"
	printf 'shop_name = Test Shop\nusb_vendors = "%s/vendors.txt"\n' "$tmp" >"$tmp/xdg/backupdoctor/config"
	export XDG_CONFIG_HOME="$tmp/xdg"
	umock_madeup
	assert_equals "android usb-only Pixel 7 61453" \
		"$(json_get '" ".join(str(x) for x in next((d["platform"], d["state"], d["model"], d["usb"]["vid"]) for d in j if d["id"] == "28031FDH2000J5"))')" \
		"madeup vendor: a usb-only phone with the config's vendors file"
	# a config naming a vendors file that is not there says so
	printf 'usb_vendors = %s/nowhere.txt\n' "$tmp" >"$tmp/xdg/backupdoctor/config"
	umock_madeup
	grep -q "^backupdoctor: $tmp/nowhere.txt: " "$tmp/err" && ok || fail "config usb_vendors: a missing file: $(cat "$tmp/err")"
	unset XDG_CONFIG_HOME
	sim_stop

	# no permission, for real: the phone's usbfs node (a file in umockdev's
	# testbed) made mode 000 and the binary run as an unprivileged user (root
	# opens everything): libusb still reads the descriptors from sysfs, the
	# tool says which node and which udev rule.  With the node 0666 the same
	# user gets the ordinary reason: it is the mode that decides.
	if [ "$(id -u)" -eq 0 ] && id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null 2>&1; then
		as_user="setpriv --reuid=nobody --regid=$(id -g nobody) --clear-groups"
		owner="nobody:$(id -g nobody)"
	else
		as_user="" owner="$(id -u):$(id -g)"
	fi
	noperm() { # MODE: devices --format json as the unprivileged user, the Android node in MODE
		run env ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0" \
			umockdev-run --device "$U/android.umockdev" -- sh -c \
			'chown -R "$1" "$UMOCKDEV_DIR" && chmod "$2" "$UMOCKDEV_DIR/dev/bus/usb/001/006" && shift 2 && exec "$@"' \
			sh "$owner" "$1" $as_user "$BD" devices --format json
	}
	noperm 000
	expect_status 0 "no permission: devices"
	assert_equals "usb-only True" \
		"$(json_get '(lambda d: d["state"] + " " + str(d["reason"].startswith("this user may not open /dev/bus/usb/001/006: install the udev rule for the phone (Debian: 51-android.rules from android-sdk-platform-tools-common) or add the user to the plugdev group")))(next(d for d in j if d["id"] == "28031FDH2000J5"))')" \
		"no permission: the node and the udev rule"
	noperm 666
	assert_equals "True" "$(json_get 'next(d for d in j if d["id"] == "28031FDH2000J5")["reason"].startswith("adb does not list it")')" \
		"permission granted: the ordinary reason"
fi
finish

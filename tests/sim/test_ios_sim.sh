#!/bin/sh
# test_ios_sim.sh - fidelity of the iPhone simulator (ios_sim.py).
#
# Drives the real Debian tools (idevice_id, ideviceinfo, idevicediagnostics,
# ideviceinstaller, idevicepair, idevicesyslog) and a small C helper built
# against the real libimobiledevice against the simulator: if the library
# cannot tell the simulator from a phone, neither can backupdoctor.  Every
# tool call runs under `timeout`; a call that hits it fails the check unless
# the check expects a hang.  HOME and the XDG directories point into a
# temporary directory, and /var/lib/lockdown must not change: pair records
# come only from the simulator's usbmuxd.
#
# Usage: sh tests/sim/test_ios_sim.sh        (PYTHON, CC may be set)
# Last line: "sim-ios: N passed, M failed"; exit status 1 on any failure.

set -u
here=$(cd "$(dirname "$0")" && pwd)
SIM="$here/ios_sim.py"
SCN="$here/ios/scenarios"
PY=${PYTHON:-python3}
CC=${CC:-cc}
export TZ=UTC LC_ALL=C
passed=0
failed=0
simpid=

tmp=$(mktemp -d "${TMPDIR:-/tmp}/sim-ios.XXXXXX")
# shellcheck disable=SC2317 # called from the trap
cleanup() {
	[ -n "$simpid" ] && kill "$simpid" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM
export HOME="$tmp/home" XDG_CONFIG_HOME="$tmp/config" XDG_DATA_HOME="$tmp/data" XDG_CACHE_HOME="$tmp/cache"
mkdir -p "$HOME"

ok() { passed=$((passed + 1)); }
fail() {
	failed=$((failed + 1))
	printf 'sim-ios: FAIL: %s\n' "$*" >&2
}
finish() {
	echo "sim-ios: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
	exit $?
}

# ---- tools ----------------------------------------------------------------
tools="idevice_id ideviceinfo idevicediagnostics ideviceinstaller idevicepair idevicesyslog"
missing() {
	for t in $tools timeout; do command -v "$t" >/dev/null 2>&1 || return 0; done
	return 1
}
if missing && command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" -eq 0 ]; then
	apt-get install -y libimobiledevice-utils ideviceinstaller >/dev/null 2>&1 ||
		{ apt-get update >/dev/null 2>&1 &&
		  apt-get install -y libimobiledevice-utils ideviceinstaller >/dev/null 2>&1; }
fi
if missing; then
	fail "the Debian tools are missing (apt-get install libimobiledevice-utils ideviceinstaller)"
	finish
fi

lockdown_before=$(ls -la /var/lib/lockdown 2>/dev/null | sed 1d)

# ---- simulator control ----------------------------------------------------
# start_sim ARGS...: start it on $tmp/mux.sock and wait for its pidfile
start_sim() {
	rm -f "$tmp/mux.sock" "$tmp/mux.pid" "$tmp/sim.log"
	"$PY" "$SIM" --socket "$tmp/mux.sock" --pidfile "$tmp/mux.pid" \
		--log "$tmp/sim.log" --cert-cache "$tmp/certs" --max-lifetime 900 "$@" \
		2>"$tmp/sim.err" &
	simpid=$!
	i=0
	while [ ! -s "$tmp/mux.pid" ]; do
		i=$((i + 1))
		if [ "$i" -gt 600 ] || ! kill -0 "$simpid" 2>/dev/null; then
			fail "simulator did not start: $(cat "$tmp/sim.err")"
			finish
		fi
		sleep 0.1
	done
	export USBMUXD_SOCKET_ADDRESS="UNIX:$tmp/mux.sock"
}

# stop_sim: SIGTERM; it must be gone within 3 s with its socket and pidfile
stop_sim() {
	kill "$simpid" 2>/dev/null
	i=0
	while kill -0 "$simpid" 2>/dev/null && [ "$i" -lt 30 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	if kill -0 "$simpid" 2>/dev/null; then
		fail "simulator still running 3 s after SIGTERM"
		kill -9 "$simpid" 2>/dev/null
	elif [ -e "$tmp/mux.sock" ] || [ -e "$tmp/mux.pid" ]; then
		fail "simulator left its socket or pidfile behind"
	else
		ok
	fi
	wait "$simpid" 2>/dev/null
	simpid=
}

# t [-t SECS] [-h] CMD...: run a tool; output in $tmp/out, $tmp/err, status
# in $st.  Without -h a timeout (124) is a failure: every call must finish.
t() {
	secs=20
	hang=0
	while :; do
		case $1 in
		-t) secs=$2; shift 2 ;;
		-h) hang=1; shift ;;
		*) break ;;
		esac
	done
	timeout "$secs" "$@" >"$tmp/out" 2>"$tmp/err"
	st=$?
	if [ "$st" -eq 124 ] && [ "$hang" -eq 0 ]; then
		fail "did not finish within ${secs}s: $*"
	fi
}

has() { # has FILE STRING WHAT
	if grep -qF -- "$2" "$1"; then ok; else
		fail "$3: lacks '$2'"
		sed 's/^/    | /' "$1" | head -n 12 >&2
	fi
}
hasnt() {
	if grep -qF -- "$2" "$1"; then fail "$3: has '$2'"; else ok; fi
}
status_is() { # status_is N WHAT
	if [ "$st" -eq "$1" ]; then ok; else
		fail "$2: exit $st, expected $1"
		sed 's/^/    err| /' "$tmp/err" | head -n 5 >&2
	fi
}
empty_out() {
	if [ -s "$tmp/out" ]; then fail "$1: unexpected output"; else ok; fi
}

# ---- the C helper: the library calls src/ios.c makes ------------------------
helper="$tmp/bdsim-helper"
cat >"$tmp/helper.c" <<'EOF'
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libimobiledevice/libimobiledevice.h>
#include <libimobiledevice/lockdown.h>
#include <libimobiledevice/diagnostics_relay.h>
#include <libimobiledevice/property_list_service.h>
#include <plist/plist.h>

static void show(plist_t p)
{
	char *xml = NULL;
	uint32_t n = 0;
	plist_to_xml(p, &xml, &n);
	fwrite(xml, 1, n, stdout);
	free(xml);
}

int main(int argc, char **argv)
{
	idevice_t dev = NULL;
	lockdownd_client_t ld = NULL;
	plist_t v = NULL;
	int e;

	if (argc < 3)
		return 2;
	if (idevice_new(&dev, argv[1]) != IDEVICE_E_SUCCESS)
		return 3;
	if (!strcmp(argv[2], "nosession")) {
		/* identify a phone without raising the Trust prompt */
		e = lockdownd_client_new(dev, &ld, "bdsim");
		if (e == 0)
			e = lockdownd_get_value(ld, NULL, argv[3], &v);
		printf("lockdownd %d\n", e);
		if (v)
			show(v);
		goto out;
	}
	e = lockdownd_client_new_with_handshake(dev, &ld, "bdsim");
	printf("handshake %d\n", e);
	if (e != 0)
		goto out;
	if (!strcmp(argv[2], "value")) {
		const char *d = strcmp(argv[3], "-") ? argv[3] : NULL;
		const char *k = strcmp(argv[4], "-") ? argv[4] : NULL;
		e = lockdownd_get_value(ld, d, k, &v);
		printf("getvalue %d\n", e);
		if (v && plist_get_node_type(v) == PLIST_DATE) {
			int32_t s = 0, us = 0;
			plist_get_date_val(v, &s, &us);
			printf("date_val %" PRId32 "\n", s);
		}
		if (v)
			show(v);
	} else if (!strcmp(argv[2], "battery")) {
		lockdownd_service_descriptor_t svc = NULL;
		diagnostics_relay_client_t dc = NULL;
		e = lockdownd_start_service(ld, "com.apple.mobile.diagnostics_relay", &svc);
		printf("startservice %d\n", e);
		if (e == 0 && diagnostics_relay_client_new(dev, svc, &dc) == 0) {
			e = diagnostics_relay_query_ioregistry_entry(dc, NULL, "IOPMPowerSource", &v);
			printf("ioreg %d\n", e);
			plist_t r = v ? plist_dict_get_item(v, "IORegistry") : NULL;
			const char *keys[] = { "Amperage", "Temperature", "CurrentCapacity" };
			for (size_t i = 0; r && i < sizeof keys / sizeof keys[0]; i++) {
				plist_t n = plist_dict_get_item(r, keys[i]);
				uint64_t u = 0;
				if (n && plist_get_node_type(n) == PLIST_UINT) {
					plist_get_uint_val(n, &u);
					printf("%s uint %" PRIu64 " int64 %" PRId64 "\n", keys[i], u, (int64_t)u);
				}
			}
			diagnostics_relay_goodbye(dc);
			diagnostics_relay_client_free(dc);
		}
		lockdownd_service_descriptor_free(svc);
	} else if (!strcmp(argv[2], "mcinstall")) {
		lockdownd_service_descriptor_t svc = NULL;
		property_list_service_client_t pc = NULL;
		e = lockdownd_start_service(ld, "com.apple.mobile.MCInstall", &svc);
		printf("startservice %d\n", e);
		if (e == 0 && property_list_service_client_new(dev, svc, &pc) == 0) {
			plist_t req = plist_new_dict();
			plist_dict_set_item(req, "RequestType", plist_new_string(argv[3]));
			e = property_list_service_send_xml_plist(pc, req);
			plist_free(req);
			if (e == 0)
				e = property_list_service_receive_plist(pc, &v);
			printf("mcinstall %d\n", e);
			if (v)
				show(v);
			property_list_service_client_free(pc);
		}
		lockdownd_service_descriptor_free(svc);
	}
out:
	plist_free(v);
	if (ld)
		lockdownd_client_free(ld);
	idevice_free(dev);
	return 0;
}
EOF
# shellcheck disable=SC2046 # pkg-config's flags are meant to split
if $CC -std=c17 -Wall -Wextra -Werror -o "$helper" "$tmp/helper.c" \
	$(pkg-config --cflags --libs libimobiledevice-1.0 libplist-2.0) 2>"$tmp/cc.err"; then
	ok
else
	fail "cannot build the C helper: $(head -n 3 "$tmp/cc.err")"
	helper=
fi
hx() { # hx ARGS...: run the helper like a tool
	if [ -n "$helper" ]; then t "$helper" "$@"; else : >"$tmp/out"; st=99; fi
}

P=00008120-001A2C3E4B5D6F
H=${P}01	# healthy
OLD=3f8a1c2b9d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a

# ==== run 1: every scenario at once ==========================================
set --
for d in "$SCN"/*/; do set -- "$@" --scenario "${d%/}"; done
start_sim "$@"

# -- usbmuxd
t idevice_id -l
status_is 0 "idevice_id -l"
for d in "$SCN"/*/; do
	u=$("$PY" -c 'import plistlib,sys; print(plistlib.load(open(sys.argv[1],"rb"))["UDID"])' "${d}device.plist")
	has "$tmp/out" "$u" "idevice_id -l lists $(basename "$d")"
done
USBMUXD_SOCKET_ADDRESS="unix:$tmp/mux.sock" t idevice_id -l
has "$tmp/err" "Unable to retrieve device list" "lower-case unix: is refused by libusbmuxd"

# -- healthy: lockdownd with a TLS session
t ideviceinfo -u "$H" -k ProductType
status_is 0 "ideviceinfo -k ProductType"
has "$tmp/out" "iPhone15,2" "ideviceinfo -k ProductType"
t ideviceinfo -u "$H" -q com.apple.disk_usage
has "$tmp/out" "AmountDataAvailable: 41234567168" "disk_usage"
has "$tmp/out" "TotalDiskCapacity: 128000000000" "disk_usage"
t ideviceinfo -u "$H" -q com.apple.mobile.battery
has "$tmp/out" "BatteryCurrentCapacity: 82" "battery domain"
has "$tmp/out" "BatteryIsCharging: true" "battery domain"
t ideviceinfo -u "$H" -q com.apple.mobile.backup
has "$tmp/out" "CloudBackupEnabled: true" "backup domain"
has "$tmp/out" "LastCloudBackupDate: " "backup domain"
t ideviceinfo -u "$H"
has "$tmp/out" "SerialNumber: G7XK2N9Q4T" "whole root domain in a session"
t ideviceinfo -s -u "$H"
hasnt "$tmp/out" "SerialNumber" "no serial number without a session"
has "$tmp/out" "ProductVersion: 17.5.1" "public keys without a session"
has "$tmp/sim.log" "lockdownd TLS TLSv1.2" "session TLS 1.2 for iOS 17"
has "$tmp/sim.log" "client certificate: Root Certification Authority" "the library presents the pair record's root certificate"

# -- healthy: services
t idevicediagnostics -u "$H" ioregentry AppleSmartBattery
status_is 0 "idevicediagnostics ioregentry AppleSmartBattery"
has "$tmp/out" "<key>NominalChargeCapacity</key>" "AppleSmartBattery entry"
has "$tmp/out" "<integer>2950</integer>" "AppleSmartBattery Temperature"
t ideviceinstaller -u "$H" -l
status_is 0 "ideviceinstaller -l"
has "$tmp/out" "CFBundleIdentifier, CFBundleVersion, CFBundleDisplayName" "ideviceinstaller header"
has "$tmp/out" 'net.whatsapp.WhatsApp, "24.11.85.70", "WhatsApp"' "ideviceinstaller lists user apps with CFBundleVersion"
hasnt "$tmp/out" "com.apple.mobileslideshow" "System apps are not User apps"
t ideviceinstaller -u "$H" -l -o list_system
has "$tmp/out" "com.apple.mobileslideshow" "ideviceinstaller -o list_system"
t idevicepair -u "$H" validate
status_is 0 "idevicepair validate (healthy)"
has "$tmp/out" "SUCCESS: Validated pairing with device $H" "idevicepair validate (healthy)"
t -t 3 -h idevicesyslog -u "$H"
status_is 124 "idevicesyslog streams until stopped"
has "$tmp/out" "backupd[343] <Notice>:" "syslog_relay lines"
has "$tmp/out" "cloudphotod[412]" "syslog_relay lines"

# -- the C helper: MCInstall, dates, signed integers, session-free reads
hx "$H" mcinstall GetProfileList
has "$tmp/out" "mcinstall 0" "MCInstall GetProfileList through property_list_service"
has "$tmp/out" "<string>Acknowledged</string>" "MCInstall Status"
hx "${P}0D" mcinstall GetProfileList
has "$tmp/out" "<string>com.apple.mdm</string>" "mdm-restricted: MDM payload"
has "$tmp/out" "<key>allowCloudBackup</key>" "mdm-restricted: restrictions payload"
hx "${P}0D" mcinstall GetCloudConfiguration
has "$tmp/out" "<key>IsSupervised</key>" "mdm-restricted: cloud configuration"
hx "${P}0F" mcinstall GetProfileList
has "$tmp/out" "<string>com.apple.vpn.managed</string>" "vpn-or-proxy: VPN payload"
has "$tmp/out" "<string>proxy.example.net</string>" "vpn-or-proxy: proxy"
hx "$H" value com.apple.mobile.backup LastCloudBackupDate
has "$tmp/out" "date_val " "LastCloudBackupDate is a plist date"
now=$(date +%s)
dv=$(sed -n 's/^date_val //p' "$tmp/out")
if [ -n "$dv" ] && [ $((now - 978307200 - dv)) -gt 25000 ] && [ $((now - 978307200 - dv)) -lt 26000 ]; then ok; else
	fail "plist_get_date_val: expected about 7 h ago in seconds since 2001, got '$dv'"
fi
hx "$OLD" value com.apple.mobile.backup LastCloudBackupDate
has "$tmp/out" "<integer>" "ios-too-old: LastCloudBackupDate as integer seconds"
hx "${P}0A" battery
has "$tmp/out" "Amperage uint 18446744073709551196 int64 -420" "negative Amperage comes back unsigned"
hx "${P}02" nosession ProductType
has "$tmp/out" "lockdownd 0" "untrusted phone: ProductType without a session"
hx "${P}02" nosession SerialNumber
has "$tmp/out" "lockdownd -12" "untrusted phone: SerialNumber needs a session (MissingValue)"

# -- trust and lock faults: the library's own errors
t ideviceinfo -u "${P}02" -k ProductType
has "$tmp/err" "Pairing dialog response pending (-19)" "device-not-trusted: ideviceinfo"
t idevicepair -u "${P}02" validate
status_is 1 "device-not-trusted: idevicepair validate"
has "$tmp/out" "Please accept the trust dialog on the screen of device ${P}02" "device-not-trusted: idevicepair validate"
t ideviceinfo -s -u "${P}02" -k ProductVersion
has "$tmp/out" "17.5.1" "device-not-trusted: ideviceinfo -s still identifies it"
t ideviceinfo -u "${P}03" -k ProductType
has "$tmp/err" "User denied pairing (-18)" "device-not-trusted-denied"
t idevicepair -u "${P}03" validate
has "$tmp/out" "said that the user denied the trust dialog" "device-not-trusted-denied: idevicepair"
t ideviceinfo -u "${P}04" -k ProductType
has "$tmp/err" "Invalid HostID (-21)" "device-not-trusted-invalid-host"
t idevicepair -u "${P}04" validate
has "$tmp/out" "is not paired with this host" "device-not-trusted-invalid-host: idevicepair"
t ideviceinfo -u "${P}05" -k ProductType
has "$tmp/err" "Password protected (-17)" "device-locked"
t idevicepair -u "${P}05" validate
has "$tmp/out" "because a passcode is set" "device-locked: idevicepair"

# -- cause scenarios: the value each one is about
t ideviceinfo -u "${P}06" -q com.apple.mobile.backup
has "$tmp/out" "CloudBackupEnabled: false" "backup-off"
t ideviceinstaller -u "${P}07" -l
has "$tmp/out" "com.google.Gmail" "backup-app-missing: other Google apps"
hasnt "$tmp/out" "com.google.photos" "backup-app-missing: no Google Photos"
t ideviceinfo -u "${P}07" -q com.apple.fmip
has "$tmp/out" "IsAssociated: false" "backup-app-missing: no Apple ID"
t ideviceinstaller -u "${P}08" -l
has "$tmp/out" 'com.google.photos, "4.4.0", "Google Photos"' "app-outdated"
t ideviceinstaller -u "${P}09" -l
has "$tmp/out" "com.google.photos" "multiple-backup-services"
has "$tmp/out" "com.microsoft.skydrive" "multiple-backup-services"
has "$tmp/out" "com.getdropbox.Dropbox" "multiple-backup-services"
t ideviceinfo -u "${P}0A" -q com.apple.mobile.battery
has "$tmp/out" "BatteryCurrentCapacity: 12" "low-battery"
has "$tmp/out" "ExternalConnected: false" "low-battery"
t idevicediagnostics -u "${P}0B" ioregentry AppleSmartBattery
has "$tmp/out" "<integer>4410</integer>" "overheating: Temperature"
t ideviceinfo -u "${P}0C" -q com.apple.disk_usage
has "$tmp/out" "AmountDataAvailable: 812003328" "device-storage-full"
t ideviceinfo -u "${P}0D" -q com.apple.mobile.chaperone
has "$tmp/out" "DeviceIsChaperoned: true" "mdm-restricted: supervised"
t ideviceinfo -u "${P}0E" -k BuildVersion
has "$tmp/out" "22A5307f" "beta-software"
t ideviceinfo -u "$OLD" -k ProductVersion
has "$tmp/out" "8.4.1" "ios-too-old"
has "$tmp/sim.log" "lockdownd TLS TLSv1 " "ios-too-old: the library caps TLS at 1.0 below iOS 10"
t idevicediagnostics -u "$OLD" ioregentry AppleARMPMUCharger
has "$tmp/out" "<key>CycleCount</key>" "ios-too-old: AppleARMPMUCharger entry"
"$PY" - "$tmp/mux.sock" >"$tmp/out" 2>&1 <<'EOF'
import plistlib, socket, struct, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
body = plistlib.dumps({"MessageType": "ListDevices", "ProgName": "test"})
s.sendall(struct.pack("<IIII", 16 + len(body), 1, 8, 1) + body)
n = struct.unpack("<IIII", s.recv(16))[0] - 16
b = b""
while len(b) < n:
    b += s.recv(n - len(b))
for d in plistlib.loads(b)["DeviceList"]:
    print(d["Properties"]["SerialNumber"], d["Properties"]["ConnectionSpeed"])
EOF
has "$tmp/out" "${P}10 12000000" "usb-power-or-cable: full-speed link in ListDevices"
t -t 4 -h idevicesyslog -u "${P}10"
has "$tmp/out" "[disconnected]" "usb-power-or-cable: the link drops"
has "$tmp/out" "[connected]" "usb-power-or-cable: and comes back"

# -- transport faults
t ideviceinfo -u "${P}20" -k ProductType
status_is 0 "fault-disconnect-mid-session: ideviceinfo hides the failure"
empty_out "fault-disconnect-mid-session"
has "$tmp/sim.log" "${P}20 lockdown: disconnect (fault)" "fault-disconnect-mid-session fired"
t ideviceinfo -u "${P}21" -q com.apple.disk_usage
empty_out "fault-malformed-reply: lockdown"
t idevicediagnostics -u "${P}21" ioregentry AppleSmartBattery
has "$tmp/out" "Unable to retrieve IORegistry from device." "fault-malformed-reply: diagnostics"
hx "${P}22" value com.apple.disk_usage -
has "$tmp/out" "getvalue 0" "fault-huge-reply: a 30 MB reply is read whole (no size limit)"
t ideviceinstaller -u "${P}22" -l
has "$tmp/out" "net.whatsapp.WhatsApp" "fault-huge-reply: installation_proxy"
t -t 3 -h idevicediagnostics -u "${P}23" ioregentry AppleSmartBattery
status_is 124 "fault-hang-service: diagnostics_relay never answers"
t -t 3 -h ideviceinstaller -u "${P}23" -l
status_is 124 "fault-hang-service: installation_proxy never answers"
t -t 3 -h ideviceinfo -u "${P}24" -q com.apple.disk_usage
status_is 124 "fault-hang-lockdown: GetValue never answered"

# -- unpair: lockdownd Unpair and usbmuxd DeletePairRecord
t idevicepair -u "$H" unpair
has "$tmp/out" "SUCCESS: Unpaired with device $H" "idevicepair unpair"
has "$tmp/sim.log" "usbmuxd DeletePairRecord" "unpair deletes the record through usbmuxd"
t idevicepair -u "$H" validate
has "$tmp/out" "Please accept the trust dialog" "after unpair the Trust prompt comes back"

# SIGTERM while a client is hanging
(timeout 20 idevicediagnostics -u "${P}23" ioregentry AppleSmartBattery >/dev/null 2>&1 &)
sleep 1
stop_sim

# ==== run 2: Trust tapped on the third try, services over TLS ================
start_sim --scenario "$SCN/device-not-trusted" --fault trust_after=2 --fault service_ssl=1
t idevicepair -u "${P}02" pair
has "$tmp/out" "Please accept the trust dialog" "trust_after: first Pair pending"
t idevicepair -u "${P}02" pair
t idevicepair -u "${P}02" pair
has "$tmp/out" "SUCCESS: Paired with device ${P}02" "trust_after: paired on the third try"
has "$tmp/sim.log" "usbmuxd SavePairRecord" "the library saves the new record through usbmuxd"
t ideviceinfo -u "${P}02" -k DeviceName
has "$tmp/out" "iPhone" "session with the freshly made pair record"
t idevicediagnostics -u "${P}02" ioregentry AppleSmartBattery
has "$tmp/out" "<key>CycleCount</key>" "EnableServiceSSL: diagnostics over TLS"
has "$tmp/sim.log" "diagnostics TLS" "EnableServiceSSL: the service connection was TLS"
stop_sim

# ==== run 3: latency ===========================================================
start_sim --scenario "$SCN/healthy" --latency-ms 100
ms=$("$PY" -c 'import subprocess, sys, time
t = time.time()
subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
print(int((time.time() - t) * 1000))' timeout 20 ideviceinfo -u "$H" -k ProductType)
if [ "$ms" -ge 800 ]; then ok; else fail "--latency-ms 100: ideviceinfo took only ${ms} ms"; fi
stop_sim

# ---- nothing touched the machine's pair records --------------------------------
lockdown_after=$(ls -la /var/lib/lockdown 2>/dev/null | sed 1d)
if [ "$lockdown_before" = "$lockdown_after" ]; then ok; else fail "/var/lib/lockdown changed"; fi
if [ -e "$HOME/.config/libimobiledevice" ] || [ -e "$XDG_CONFIG_HOME/libimobiledevice" ]; then
	fail "the library wrote a pair record under HOME"
else
	ok
fi

finish

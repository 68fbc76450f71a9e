/*
 * test-parse-ios.c - the facts an iOS capture tells: lockdown domains,
 * the diagnostics relay's battery entry, the installation proxy and
 * MCInstall, as ideviceinfo / idevicediagnostics show them; phones that
 * are not trusted or locked; and answers that failed, timed out, or are
 * garbage, which must give unknown facts with a note and never a crash.
 * Also the shop log's identity and battery health, and the device log
 * (com.apple.syslog_relay lines, filtered and parsed).
 */
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "devrec.h"
#include "facts.h"
#include "parse-ios.h"
#include "rules.h"

#define HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
	"<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n" \
	"<plist version=\"1.0\">\n"
#define TAIL "</plist>\n"

/* The root domain of an iPhone 14 Pro in a session (ideviceinfo -x, personal values made up). */
static const char root_xml[] = HEAD
	"<dict>\n"
	"\t<key>ActivationState</key>\n\t<string>Activated</string>\n"
	"\t<key>BasebandVersion</key>\n\t<string>2.60.02</string>\n"
	"\t<key>BluetoothAddress</key>\n\t<string>00:11:22:33:44:56</string>\n"
	"\t<key>BuildVersion</key>\n\t<string>21F90</string>\n"
	"\t<key>CPUArchitecture</key>\n\t<string>arm64e</string>\n"
	"\t<key>DeviceClass</key>\n\t<string>iPhone</string>\n"
	"\t<key>DeviceColor</key>\n\t<string>1</string>\n"
	"\t<key>DeviceName</key>\n\t<string>Alex's iPhone</string>\n"
	"\t<key>HardwareModel</key>\n\t<string>D73AP</string>\n"
	"\t<key>InternationalMobileEquipmentIdentity</key>\n\t<string>350000000000001</string>\n"
	"\t<key>PasswordProtected</key>\n\t<true/>\n"
	"\t<key>ProductName</key>\n\t<string>iPhone OS</string>\n"
	"\t<key>ProductType</key>\n\t<string>iPhone15,2</string>\n"
	"\t<key>ProductVersion</key>\n\t<string>17.5.1</string>\n"
	"\t<key>SerialNumber</key>\n\t<string>F2LXX0000000</string>\n"
	"\t<key>TelephonyCapability</key>\n\t<true/>\n"
	"\t<key>UniqueDeviceID</key>\n\t<string>00008120-000A1B2C3D4E5F60</string>\n"
	"\t<key>WiFiAddress</key>\n\t<string>00:11:22:33:44:55</string>\n"
	"</dict>\n" TAIL;

/* Out of a session the phone tells only part of the root domain. */
static const char root_unpaired_xml[] = HEAD
	"<dict>\n"
	"\t<key>BuildVersion</key>\n\t<string>21F90</string>\n"
	"\t<key>DeviceClass</key>\n\t<string>iPhone</string>\n"
	"\t<key>DeviceName</key>\n\t<string>iPhone</string>\n"
	"\t<key>ProductType</key>\n\t<string>iPhone15,2</string>\n"
	"\t<key>ProductVersion</key>\n\t<string>17.5.1</string>\n"
	"\t<key>UniqueDeviceID</key>\n\t<string>00008120-000A1B2C3D4E5F60</string>\n"
	"</dict>\n" TAIL;

static const char battery_xml[] = HEAD
	"<dict>\n"
	"\t<key>BatteryCurrentCapacity</key>\n\t<integer>64</integer>\n"
	"\t<key>BatteryIsCharging</key>\n\t<true/>\n"
	"\t<key>ExternalChargeCapable</key>\n\t<true/>\n"
	"\t<key>ExternalConnected</key>\n\t<true/>\n"
	"\t<key>FullyCharged</key>\n\t<false/>\n"
	"\t<key>GasGaugeCapability</key>\n\t<true/>\n"
	"\t<key>HasBattery</key>\n\t<true/>\n"
	"</dict>\n" TAIL;

/* As diagnostics_relay_query_ioregistry_entry returns it: the Diagnostics dictionary. */
static const char ioreg_xml[] = HEAD
	"<dict>\n"
	"\t<key>IORegistry</key>\n\t<dict>\n"
	"\t\t<key>AdapterDetails</key>\n\t\t<dict>\n"
	"\t\t\t<key>Current</key>\n\t\t\t<integer>2400</integer>\n"
	"\t\t\t<key>Description</key>\n\t\t\t<string>usb host</string>\n"
	"\t\t\t<key>IsWireless</key>\n\t\t\t<false/>\n"
	"\t\t\t<key>Voltage</key>\n\t\t\t<integer>5000</integer>\n"
	"\t\t\t<key>Watts</key>\n\t\t\t<integer>12</integer>\n"
	"\t\t</dict>\n"
	"\t\t<key>Amperage</key>\n\t\t<integer>950</integer>\n"
	"\t\t<key>AppleRawCurrentCapacity</key>\n\t\t<integer>1850</integer>\n"
	"\t\t<key>AppleRawMaxCapacity</key>\n\t\t<integer>2890</integer>\n"
	"\t\t<key>AtCriticalLevel</key>\n\t\t<false/>\n"
	"\t\t<key>CurrentCapacity</key>\n\t\t<integer>64</integer>\n"
	"\t\t<key>CycleCount</key>\n\t\t<integer>250</integer>\n"
	"\t\t<key>DesignCapacity</key>\n\t\t<integer>3150</integer>\n"
	"\t\t<key>ExternalConnected</key>\n\t\t<true/>\n"
	"\t\t<key>FullyCharged</key>\n\t\t<false/>\n"
	"\t\t<key>InstantAmperage</key>\n\t\t<integer>-480</integer>\n"
	"\t\t<key>IsCharging</key>\n\t\t<true/>\n"
	"\t\t<key>MaxCapacity</key>\n\t\t<integer>100</integer>\n"
	"\t\t<key>NominalChargeCapacity</key>\n\t\t<integer>2920</integer>\n"
	"\t\t<key>Temperature</key>\n\t\t<integer>2950</integer>\n"
	"\t</dict>\n"
	"</dict>\n" TAIL;

static const char disk_xml[] = HEAD
	"<dict>\n"
	"\t<key>AmountDataAvailable</key>\n\t<integer>41234567168</integer>\n"
	"\t<key>AmountDataReserved</key>\n\t<integer>209715200</integer>\n"
	"\t<key>AmountRestoreAvailable</key>\n\t<integer>11834060800</integer>\n"
	"\t<key>CalculateDiskUsage</key>\n\t<string>OkilyDokily</string>\n"
	"\t<key>NANDInfo</key>\n\t<data>AAAA</data>\n"
	"\t<key>TotalDataAvailable</key>\n\t<integer>69700000000</integer>\n"
	"\t<key>TotalDataCapacity</key>\n\t<integer>118500000000</integer>\n"
	"\t<key>TotalDiskCapacity</key>\n\t<integer>128000000000</integer>\n"
	"\t<key>TotalSystemAvailable</key>\n\t<integer>0</integer>\n"
	"\t<key>TotalSystemCapacity</key>\n\t<integer>0</integer>\n"
	"</dict>\n" TAIL;

/* LastCloudBackupDate as an integer of seconds since 2001 (2024-06-12T02:14:00Z). */
static const char backup_xml[] = HEAD
	"<dict>\n"
	"\t<key>CloudBackupEnabled</key>\n\t<true/>\n"
	"\t<key>LastCloudBackupDate</key>\n\t<integer>739851240</integer>\n"
	"\t<key>LastCloudBackupTZ</key>\n\t<string>GMT+2</string>\n"
	"\t<key>LastiTunesBackupDate</key>\n\t<integer>700000000</integer>\n"
	"\t<key>RequiresEncryption</key>\n\t<integer>0</integer>\n"
	"\t<key>Version</key>\n\t<string>2.0</string>\n"
	"\t<key>WillEncrypt</key>\n\t<false/>\n"
	"</dict>\n" TAIL;

/* The same moment as a plist date. */
static const char backup_date_xml[] = HEAD
	"<dict>\n"
	"\t<key>CloudBackupEnabled</key>\n\t<false/>\n"
	"\t<key>LastCloudBackupDate</key>\n\t<date>2024-06-12T02:14:00Z</date>\n"
	"</dict>\n" TAIL;

static const char chaperone_xml[] = HEAD
	"<dict>\n\t<key>DeviceIsChaperoned</key>\n\t<false/>\n</dict>\n" TAIL;

static const char fmip_xml[] = HEAD
	"<dict>\n\t<key>IsAssociated</key>\n\t<true/>\n</dict>\n" TAIL;

static const char data_sync_xml[] = HEAD
	"<dict>\n"
	"\t<key>Contacts</key>\n\t<dict>\n"
	"\t\t<key>AccountNames</key>\n\t\t<array>\n\t\t\t<string>iCloud</string>\n\t\t</array>\n"
	"\t\t<key>Sources</key>\n\t\t<array>\n\t\t\t<string>iCloud</string>\n\t\t</array>\n"
	"\t</dict>\n"
	"</dict>\n" TAIL;

static const char itunes_xml[] = HEAD
	"<dict>\n\t<key>MinITunesVersion</key>\n\t<string>12.5.1</string>\n</dict>\n" TAIL;

static const char browse_photos_xml[] = HEAD
	"<array>\n"
	"\t<dict>\n"
	"\t\t<key>ApplicationType</key>\n\t\t<string>System</string>\n"
	"\t\t<key>CFBundleDisplayName</key>\n\t\t<string>Photos</string>\n"
	"\t\t<key>CFBundleIdentifier</key>\n\t\t<string>com.apple.mobileslideshow</string>\n"
	"\t\t<key>CFBundleShortVersionString</key>\n\t\t<string>1.0</string>\n"
	"\t\t<key>CFBundleVersion</key>\n\t\t<string>1.0</string>\n"
	"\t</dict>\n"
	"</array>\n" TAIL;

static const char browse_gphotos_xml[] = HEAD
	"<array>\n"
	"\t<dict>\n"
	"\t\t<key>ApplicationType</key>\n\t\t<string>System</string>\n"
	"\t\t<key>CFBundleIdentifier</key>\n\t\t<string>com.apple.mobileslideshow</string>\n"
	"\t\t<key>CFBundleVersion</key>\n\t\t<string>1.0</string>\n"
	"\t</dict>\n"
	"\t<dict>\n"
	"\t\t<key>ApplicationType</key>\n\t\t<string>User</string>\n"
	"\t\t<key>CFBundleDisplayName</key>\n\t\t<string>Google Photos</string>\n"
	"\t\t<key>CFBundleIdentifier</key>\n\t\t<string>com.google.photos</string>\n"
	"\t\t<key>CFBundleShortVersionString</key>\n\t\t<string>6.83.0</string>\n"
	"\t\t<key>CFBundleVersion</key>\n\t\t<string>6.83.0.630115247</string>\n"
	"\t</dict>\n"
	"</array>\n" TAIL;

static const char profiles_none_xml[] = HEAD
	"<dict>\n"
	"\t<key>OrderedIdentifiers</key>\n\t<array/>\n"
	"\t<key>ProfileManifest</key>\n\t<dict/>\n"
	"\t<key>ProfileMetadata</key>\n\t<dict/>\n"
	"\t<key>Status</key>\n\t<string>Acknowledged</string>\n"
	"</dict>\n" TAIL;

static const char cloud_none_xml[] = HEAD
	"<dict>\n"
	"\t<key>CloudConfiguration</key>\n\t<dict>\n"
	"\t\t<key>CloudConfigurationUIComplete</key>\n\t\t<true/>\n"
	"\t</dict>\n"
	"\t<key>Status</key>\n\t<string>Acknowledged</string>\n"
	"</dict>\n" TAIL;

/* A managed phone whose profiles carry their payloads. */
static const char profiles_mdm_xml[] = HEAD
	"<dict>\n"
	"\t<key>OrderedIdentifiers</key>\n\t<array>\n"
	"\t\t<string>com.example.mdm</string>\n"
	"\t\t<string>com.example.restrictions</string>\n"
	"\t</array>\n"
	"\t<key>ProfileManifest</key>\n\t<dict>\n"
	"\t\t<key>com.example.mdm</key>\n\t\t<dict>\n"
	"\t\t\t<key>Description</key>\n\t\t\t<string>MDM Profile</string>\n"
	"\t\t\t<key>IsActive</key>\n\t\t\t<true/>\n"
	"\t\t</dict>\n"
	"\t\t<key>com.example.restrictions</key>\n\t\t<dict>\n"
	"\t\t\t<key>Description</key>\n\t\t\t<string>Restrictions</string>\n"
	"\t\t\t<key>IsActive</key>\n\t\t\t<true/>\n"
	"\t\t</dict>\n"
	"\t</dict>\n"
	"\t<key>ProfileMetadata</key>\n\t<dict>\n"
	"\t\t<key>com.example.mdm</key>\n\t\t<dict>\n"
	"\t\t\t<key>PayloadContent</key>\n\t\t\t<array>\n"
	"\t\t\t\t<dict>\n"
	"\t\t\t\t\t<key>PayloadType</key>\n\t\t\t\t\t<string>com.apple.mdm</string>\n"
	"\t\t\t\t\t<key>ServerURL</key>\n\t\t\t\t\t<string>https://mdm.example.com/mdm</string>\n"
	"\t\t\t\t</dict>\n"
	"\t\t\t\t<dict>\n"
	"\t\t\t\t\t<key>PayloadType</key>\n\t\t\t\t\t<string>com.apple.proxy.http.global</string>\n"
	"\t\t\t\t\t<key>ProxyServer</key>\n\t\t\t\t\t<string>proxy.example.com</string>\n"
	"\t\t\t\t\t<key>ProxyServerPort</key>\n\t\t\t\t\t<integer>3128</integer>\n"
	"\t\t\t\t\t<key>ProxyType</key>\n\t\t\t\t\t<string>Manual</string>\n"
	"\t\t\t\t</dict>\n"
	"\t\t\t</array>\n"
	"\t\t\t<key>PayloadDisplayName</key>\n\t\t\t<string>MDM Profile</string>\n"
	"\t\t\t<key>PayloadOrganization</key>\n\t\t\t<string>Example Corp</string>\n"
	"\t\t\t<key>PayloadRemovalDisallowed</key>\n\t\t\t<true/>\n"
	"\t\t\t<key>PayloadUUID</key>\n\t\t\t<string>6D3C5F2A-0000-4000-8000-000000000001</string>\n"
	"\t\t\t<key>PayloadVersion</key>\n\t\t\t<integer>1</integer>\n"
	"\t\t</dict>\n"
	"\t\t<key>com.example.restrictions</key>\n\t\t<dict>\n"
	"\t\t\t<key>PayloadContent</key>\n\t\t\t<array>\n"
	"\t\t\t\t<dict>\n"
	"\t\t\t\t\t<key>PayloadType</key>\n\t\t\t\t\t<string>com.apple.applicationaccess</string>\n"
	"\t\t\t\t\t<key>allowCloudBackup</key>\n\t\t\t\t\t<false/>\n"
	"\t\t\t\t\t<key>allowCloudPhotoLibrary</key>\n\t\t\t\t\t<true/>\n"
	"\t\t\t\t</dict>\n"
	"\t\t\t\t<dict>\n"
	"\t\t\t\t\t<key>PayloadType</key>\n\t\t\t\t\t<string>com.apple.vpn.managed</string>\n"
	"\t\t\t\t\t<key>VPNType</key>\n\t\t\t\t\t<string>IKEv2</string>\n"
	"\t\t\t\t\t<key>IKEv2</key>\n\t\t\t\t\t<dict>\n"
	"\t\t\t\t\t\t<key>OnDemandEnabled</key>\n\t\t\t\t\t\t<integer>1</integer>\n"
	"\t\t\t\t\t</dict>\n"
	"\t\t\t\t</dict>\n"
	"\t\t\t</array>\n"
	"\t\t\t<key>PayloadDisplayName</key>\n\t\t\t<string>Example Corp Restrictions</string>\n"
	"\t\t</dict>\n"
	"\t</dict>\n"
	"\t<key>Status</key>\n\t<string>Acknowledged</string>\n"
	"</dict>\n" TAIL;

static const char cloud_mdm_xml[] = HEAD
	"<dict>\n"
	"\t<key>CloudConfiguration</key>\n\t<dict>\n"
	"\t\t<key>ConfigurationSource</key>\n\t\t<integer>2</integer>\n"
	"\t\t<key>IsMDMUnremovable</key>\n\t\t<true/>\n"
	"\t\t<key>IsSupervised</key>\n\t\t<true/>\n"
	"\t\t<key>OrganizationName</key>\n\t\t<string>Example Corp IT</string>\n"
	"\t</dict>\n"
	"\t<key>Status</key>\n\t<string>Acknowledged</string>\n"
	"</dict>\n" TAIL;

/* What public clients usually get: metadata, no payloads. */
static const char profiles_meta_xml[] = HEAD
	"<dict>\n"
	"\t<key>OrderedIdentifiers</key>\n\t<array>\n\t\t<string>com.vpnapp.config</string>\n\t</array>\n"
	"\t<key>ProfileManifest</key>\n\t<dict>\n"
	"\t\t<key>com.vpnapp.config</key>\n\t\t<dict>\n"
	"\t\t\t<key>Description</key>\n\t\t\t<string>VPN App</string>\n"
	"\t\t\t<key>IsActive</key>\n\t\t\t<true/>\n"
	"\t\t</dict>\n"
	"\t</dict>\n"
	"\t<key>ProfileMetadata</key>\n\t<dict>\n"
	"\t\t<key>com.vpnapp.config</key>\n\t\t<dict>\n"
	"\t\t\t<key>PayloadDisplayName</key>\n\t\t\t<string>VPN App Configuration</string>\n"
	"\t\t\t<key>PayloadRemovalDisallowed</key>\n\t\t\t<false/>\n"
	"\t\t\t<key>PayloadUUID</key>\n\t\t\t<string>11111111-2222-4333-8444-555555555555</string>\n"
	"\t\t\t<key>PayloadVersion</key>\n\t\t\t<integer>1</integer>\n"
	"\t\t</dict>\n"
	"\t</dict>\n"
	"\t<key>Status</key>\n\t<string>Acknowledged</string>\n"
	"</dict>\n" TAIL;

static const char mc_error_xml[] = HEAD
	"<dict>\n"
	"\t<key>ErrorChain</key>\n\t<array>\n\t\t<dict>\n"
	"\t\t\t<key>ErrorCode</key>\n\t\t\t<integer>12011</integer>\n"
	"\t\t\t<key>ErrorDomain</key>\n\t\t\t<string>MCInstallationErrorDomain</string>\n"
	"\t\t</dict>\n\t</array>\n"
	"\t<key>Status</key>\n\t<string>Error</string>\n"
	"</dict>\n" TAIL;

/* ---- fixture ---- */

struct fx {
	struct kb kb;
	struct capture cap;
	struct facts facts;
};

static int setup(void **state)
{
	if (unit_chdir_srcdir())
		return -1;
	struct fx *f = calloc(1, sizeof(*f));
	kb_init(&f->kb);
	struct diags d;
	diags_init(&d);
	int r = rules_load_dir(&f->kb, "rules", &d);
	diags_print(&d, stderr);
	diags_release(&d);
	capture_init(&f->cap);
	facts_init(&f->facts);
	*state = f;
	return r;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	capture_release(&f->cap);
	facts_release(&f->facts);
	kb_release(&f->kb);
	free(f);
	return 0;
}

static void phone(struct fx *f, const char *state)
{
	f->cap.platform = xstrdup("ios");
	f->cap.captured_at = 1718184600; /* 2024-06-12T09:30:00Z */
	f->cap.device_id = xstrdup("00008120-000A1B2C3D4E5F60");
	f->cap.device_state = xstrdup(state);
	capture_set_device(&f->cap, "ConnectionType", "USB");
	capture_set_device(&f->cap, "ProductID", "0x12a8");
}

static void ok(struct fx *f, const char *query, const char *out)
{
	struct answer *a = capture_add(&f->cap, query);
	capture_set_out(a, out, strlen(out));
	a->status = ANSWER_OK;
}

static void failed(struct fx *f, const char *query, enum answer_status st, const char *error)
{
	struct answer *a = capture_add(&f->cap, query);
	a->status = st;
	a->error = error ? xstrdup(error) : NULL;
}

/* A healthy iPhone 14 Pro: every query answered. */
static void healthy(struct fx *f, const char *browse)
{
	phone(f, "ready");
	ok(f, "lockdown:StartSession", "");
	ok(f, "lockdown:", root_xml);
	ok(f, "lockdown:com.apple.mobile.battery", battery_xml);
	ok(f, "lockdown:com.apple.mobile.backup", backup_xml);
	ok(f, "lockdown:com.apple.disk_usage", disk_xml);
	ok(f, "lockdown:com.apple.mobile.chaperone", chaperone_xml);
	ok(f, "lockdown:com.apple.fmip", fmip_xml);
	ok(f, "lockdown:com.apple.mobile.data_sync", data_sync_xml);
	ok(f, "lockdown:com.apple.mobile.iTunes", itunes_xml);
	ok(f, "diagnostics:IOPMPowerSource", ioreg_xml);
	ok(f, "instproxy:browse", browse);
	ok(f, "mcinstall:GetProfileList", profiles_none_xml);
	ok(f, "mcinstall:GetCloudConfiguration", cloud_none_xml);
}

static void parse(struct fx *f)
{
	assert_int_equal(ios_parse(&f->kb, &f->cap, &f->facts), 0);
}

/* ---- expectations ---- */

static const struct fact *known(struct fx *f, const char *name, enum vtype t)
{
	const struct fact *fa = facts_get(&f->facts, name);
	if (!fa || fa->state != FACT_KNOWN || fa->v.type != t) {
		print_error("%s: expected a known %s, got %s\n", name, vtype_name(t),
			    !fa ? "nothing" : fa->state != FACT_KNOWN ? (fa->note ? fa->note : "unknown")
								      : vtype_name(fa->v.type));
		fail();
	}
	return fa;
}

static void want_str(struct fx *f, const char *name, const char *s)
{
	assert_string_equal(known(f, name, VT_STRING)->v.s, s);
}

static void want_bool(struct fx *f, const char *name, bool b)
{
	assert_int_equal(known(f, name, VT_BOOL)->v.b, b);
}

static void want_num(struct fx *f, const char *name, enum vtype t, double n)
{
	const struct fact *fa = known(f, name, t);
	if (fa->v.n != n) {
		print_error("%s: expected %.17g, got %.17g\n", name, n, fa->v.n);
		fail();
	}
}

static void want_unknown(struct fx *f, const char *name, const char *note_has)
{
	const struct fact *fa = facts_get(&f->facts, name);
	assert_non_null(fa);
	assert_int_equal(fa->state, FACT_UNKNOWN);
	if (note_has) {
		assert_non_null(fa->note);
		if (!strstr(fa->note, note_has)) {
			print_error("%s: note '%s' lacks '%s'\n", name, fa->note, note_has);
			fail();
		}
	}
}

static void want_absent(struct fx *f, const char *name)
{
	if (facts_get(&f->facts, name)) {
		print_error("%s: expected no fact\n", name);
		fail();
	}
}

static void want_source(struct fx *f, const char *name, const char *source, const char *raw)
{
	const struct fact *fa = facts_get(&f->facts, name);
	assert_non_null(fa);
	assert_string_equal(fa->source, source);
	if (raw)
		assert_string_equal(fa->raw, raw);
}

/* Every fact produced is in the vocabulary, with the declared type. */
static void all_declared(struct fx *f)
{
	for (size_t i = 0; i < f->facts.n; i++) {
		const struct fact *fa = &f->facts.v[i];
		const struct factdecl *d = kb_decl(&f->kb, fa->name, NULL);
		if (!d) {
			print_error("%s is not declared in rules/facts.rules\n", fa->name);
			fail();
		}
		if (fa->state == FACT_KNOWN && fa->v.type != d->type) {
			print_error("%s is %s, declared %s\n", fa->name, vtype_name(fa->v.type), vtype_name(d->type));
			fail();
		}
		if (fa->state == FACT_KNOWN && !fa->source) {
			print_error("%s has no source\n", fa->name);
			fail();
		}
	}
}

/* ---- tests ---- */

static void test_healthy(void **state)
{
	struct fx *f = *state;
	healthy(f, browse_photos_xml);
	parse(f);
	all_declared(f);
	want_str(f, "device.platform", "ios");
	want_source(f, "device.platform", "usbmuxd ListDevices", "ConnectionType: USB, ProductID: 0x12a8");
	/* the parser is pure: the code only; models.txt gives the name (devrec_name_model) */
	want_str(f, "device.model", "iPhone15,2");
	want_str(f, "device.product_type", "iPhone15,2");
	want_source(f, "device.model", "lockdown ProductType", "iPhone15,2");
	want_str(f, "device.color", "1");
	want_source(f, "device.color", "lockdown DeviceColor", "1");
	devrec_name_model("rules", &f->facts);
	want_str(f, "device.model", "iPhone 14 Pro");
	want_source(f, "device.model", "lockdown ProductType", "iPhone15,2");
	want_str(f, "device.product_type", "iPhone15,2");
	devrec_name_model("rules", &f->facts); /* twice is the same */
	want_str(f, "device.model", "iPhone 14 Pro");
	want_str(f, "device.manufacturer", "Apple");
	want_str(f, "device.os_version", "17.5.1");
	want_num(f, "device.os_major", VT_INT, 17);
	want_str(f, "device.build", "21F90");
	want_bool(f, "device.beta", false);
	want_str(f, "connection.state", "ready");
	want_source(f, "connection.state", "lockdownd StartSession", "session started (paired host)");
	want_absent(f, "connection.error");

	want_num(f, "battery.level", VT_PERCENT, 64);
	want_source(f, "battery.level", "lockdown com.apple.mobile.battery BatteryCurrentCapacity", "64");
	want_bool(f, "battery.charging", true);
	want_bool(f, "battery.plugged", true);
	want_num(f, "battery.temperature", VT_INT, 29);
	want_source(f, "battery.temperature", "diagnostics IORegistry IOPMPowerSource Temperature", "2950");
	want_absent(f, "power.battery_low"); /* not at the critical level says nothing about low */
	want_unknown(f, "power.battery_saver", "Low Power Mode");

	want_num(f, "storage.total", VT_BYTES, 128000000000.0);
	want_num(f, "storage.free", VT_BYTES, 41234567168.0);
	want_source(f, "storage.free", "lockdown com.apple.disk_usage AmountDataAvailable", "41234567168");
	want_num(f, "storage.free_pct", VT_PERCENT, 32.2);

	want_bool(f, "backup.icloud_enabled", true);
	want_num(f, "backup.icloud_last", VT_TIMESTAMP, 1718158440); /* 2024-06-12T02:14:00Z */
	want_source(f, "backup.icloud_last", "lockdown com.apple.mobile.backup LastCloudBackupDate", "739851240");

	want_bool(f, "mdm.supervised", false);
	want_bool(f, "mdm.enrolled", false);
	want_bool(f, "mdm.backup_blocked", false);
	want_source(f, "mdm.enrolled", "MCInstall GetProfileList", "OrderedIdentifiers: ()");
	assert_int_equal(known(f, "mdm.profiles", VT_LIST)->v.l.n, 0);
	want_absent(f, "mdm.organization");
	/* iOS cannot tell: unknown, so the rules ask */
	want_unknown(f, "net.vpn", "VPN");
	want_unknown(f, "net.proxy", "by hand");

	want_bool(f, "app.icloud_photos.installed", true);
	want_str(f, "app.icloud_photos.version", "1.0");
	want_bool(f, "app.icloud_photos.in_use", true);
	want_bool(f, "app.icloud_photos.signed_in", true);
	want_bool(f, "app.icloud_photos.update_available", false);
	want_bool(f, "app.google_photos.installed", false);
	want_source(f, "app.google_photos.installed", "instproxy Browse", "not listed");
	want_bool(f, "app.google_photos.in_use", false);
	want_bool(f, "app.onedrive.installed", false);
	want_bool(f, "app.dropbox.installed", false);
	want_bool(f, "app.amazon_photos.installed", false);
	want_absent(f, "app.google_one.installed"); /* no iOS id in the catalogue */
	want_absent(f, "app.samsung_gallery.installed");

	/* identity for the shop log: personal data carries no raw excerpt */
	want_str(f, "device.serial", "F2LXX0000000");
	want_source(f, "device.serial", "lockdown SerialNumber", NULL);
	assert_null(facts_get(&f->facts, "device.serial")->raw);
	want_str(f, "device.imei", "350000000000001");
	assert_null(facts_get(&f->facts, "device.imei")->raw);
	want_absent(f, "device.imei2"); /* one IMEI on this phone */
	want_str(f, "device.name", "Alex's iPhone");
	assert_null(facts_get(&f->facts, "device.name")->raw);
	want_str(f, "device.activation_state", "Activated");
	want_bool(f, "device.find_my", true);
	want_source(f, "device.find_my", "lockdown com.apple.fmip IsAssociated", "true");

	/* battery health: NominalChargeCapacity 2920 / DesignCapacity 3150 = 92.7% */
	want_num(f, "battery.health_pct", VT_PERCENT, 93);
	want_source(f, "battery.health_pct",
		    "diagnostics IORegistry IOPMPowerSource NominalChargeCapacity / DesignCapacity",
		    "NominalChargeCapacity 2920 / DesignCapacity 3150");
	want_num(f, "battery.cycle_count", VT_INT, 250);
	want_num(f, "battery.design_capacity", VT_INT, 3150);
	want_num(f, "battery.full_capacity", VT_INT, 2920);
	want_source(f, "battery.full_capacity", "diagnostics IORegistry IOPMPowerSource NominalChargeCapacity", "2920");

	/* no device log was asked for: unknown, never false */
	want_unknown(f, "log.low_power_mode", "--log-seconds");
	want_unknown(f, "log.thermal_pressure", "--log-seconds");
	want_unknown(f, "log.photo_sync_waiting", "--log-seconds");
	want_unknown(f, "log.backup_errors", "--log-seconds");
}

static void test_third_party_app(void **state)
{
	struct fx *f = *state;
	healthy(f, browse_gphotos_xml);
	parse(f);
	all_declared(f);
	want_bool(f, "app.google_photos.installed", true);
	want_str(f, "app.google_photos.version", "6.83.0");
	want_source(f, "app.google_photos.version", "instproxy Browse CFBundleShortVersionString", "6.83.0");
	want_absent(f, "app.google_photos.in_use");	/* installed: the person is asked */
	want_absent(f, "app.google_photos.update_available");
	want_absent(f, "app.icloud_photos.in_use");	/* another backup app: ask */
	want_str(f, "app.icloud_photos.version", "1.0"); /* no short version: the build */
}

static void test_managed(void **state)
{
	struct fx *f = *state;
	phone(f, "ready");
	ok(f, "lockdown:StartSession", "");
	ok(f, "lockdown:", root_xml);
	ok(f, "lockdown:com.apple.mobile.chaperone", HEAD "<dict>\n\t<key>DeviceIsChaperoned</key>\n\t<true/>\n</dict>\n" TAIL);
	ok(f, "mcinstall:GetProfileList", profiles_mdm_xml);
	ok(f, "mcinstall:GetCloudConfiguration", cloud_mdm_xml);
	parse(f);
	all_declared(f);
	want_bool(f, "mdm.supervised", true);
	want_bool(f, "mdm.enrolled", true);
	want_source(f, "mdm.enrolled", "MCInstall GetProfileList", "PayloadDisplayName: MDM Profile (com.apple.mdm)");
	want_str(f, "mdm.organization", "Example Corp IT");
	const struct fact *p = known(f, "mdm.profiles", VT_LIST);
	assert_int_equal(p->v.l.n, 2);
	assert_string_equal(p->v.l.v[0], "MDM Profile");
	assert_string_equal(p->v.l.v[1], "Example Corp Restrictions");
	assert_string_equal(p->raw, "OrderedIdentifiers: (com.example.mdm, com.example.restrictions)");
	want_bool(f, "mdm.backup_blocked", true);
	assert_non_null(strstr(facts_get(&f->facts, "mdm.backup_blocked")->raw, "allowCloudBackup false"));
	want_bool(f, "net.proxy", true);
	want_str(f, "net.proxy_host", "proxy.example.com:3128");
	want_bool(f, "net.vpn", true);
	/* nothing else was asked: no facts about it */
	want_absent(f, "battery.level");
	want_absent(f, "app.icloud_photos.installed");
}

static void test_profiles_without_payloads(void **state)
{
	struct fx *f = *state;
	phone(f, "ready");
	ok(f, "mcinstall:GetProfileList", profiles_meta_xml);
	ok(f, "mcinstall:GetCloudConfiguration", cloud_none_xml);
	ok(f, "lockdown:com.apple.mobile.chaperone", HEAD "<dict/>\n" TAIL);
	parse(f);
	all_declared(f);
	want_bool(f, "mdm.supervised", false);
	const struct fact *p = known(f, "mdm.profiles", VT_LIST);
	assert_int_equal(p->v.l.n, 1);
	assert_string_equal(p->v.l.v[0], "VPN App Configuration");
	want_unknown(f, "mdm.enrolled", "1 configuration profile is installed");
	want_unknown(f, "mdm.backup_blocked", "not readable");
	want_unknown(f, "net.vpn", NULL);
}

static void test_mcinstall_error(void **state)
{
	struct fx *f = *state;
	phone(f, "ready");
	ok(f, "mcinstall:GetProfileList", mc_error_xml);
	failed(f, "mcinstall:GetCloudConfiguration", ANSWER_FAILED, "mcinstall: GetCloudConfiguration failed (-3)");
	failed(f, "lockdown:com.apple.mobile.chaperone", ANSWER_FAILED, "lockdown: MissingValue (-12)");
	parse(f);
	all_declared(f);
	want_unknown(f, "mdm.profiles", "answered Error (error 12011)");
	want_unknown(f, "mdm.enrolled", "answered Error");
	want_unknown(f, "mdm.backup_blocked", "answered Error");
	want_unknown(f, "mdm.supervised", "MissingValue (-12)");
	want_absent(f, "net.vpn");
}

static void test_not_trusted(void **state)
{
	struct fx *f = *state;
	phone(f, "pairing-pending");
	failed(f, "lockdown:StartSession", ANSWER_FAILED, "lockdown: PairingDialogResponsePending (-19)");
	ok(f, "lockdown:", root_unpaired_xml);
	f->cap.note = xstrdup("the phone asks whether to trust this computer");
	parse(f);
	all_declared(f);
	want_str(f, "connection.state", "pairing-pending");
	want_source(f, "connection.state", "lockdownd_client_new_with_handshake",
		    "lockdown: PairingDialogResponsePending (-19)");
	want_str(f, "connection.error", "-19 PairingDialogResponsePending");
	want_str(f, "device.model", "iPhone15,2");
	want_str(f, "device.os_version", "17.5.1");
	want_str(f, "device.build", "21F90");
	/* nothing was read in a session, so nothing is claimed about it */
	want_absent(f, "battery.level");
	want_absent(f, "storage.free");
	want_absent(f, "mdm.enrolled");
	want_absent(f, "app.icloud_photos.installed");
	want_absent(f, "power.battery_saver");
	/* the public root keys only: the name is there, the serial needs a session */
	want_str(f, "device.name", "iPhone");
	want_unknown(f, "device.serial", "paired session");
	want_unknown(f, "device.imei", "paired session");
	want_absent(f, "device.find_my");
	want_absent(f, "battery.health_pct");
	/* the log is a session's business too: nothing is claimed */
	want_absent(f, "log.low_power_mode");
}

static void test_locked(void **state)
{
	struct fx *f = *state;
	phone(f, "locked");
	capture_set_device(&f->cap, "ProductType", "iPhone4,1");
	failed(f, "lockdown:StartSession", ANSWER_FAILED, "lockdown: PasswordProtected (-17)");
	failed(f, "lockdown:", ANSWER_TIMEOUT, "no answer within 10 s (lockdown GetValue (root))");
	parse(f);
	all_declared(f);
	want_str(f, "connection.state", "locked");
	want_str(f, "connection.error", "-17 PasswordProtected");
	/* the listing's ProductType stands in for the root domain */
	want_str(f, "device.product_type", "iPhone4,1");
	want_source(f, "device.model", "usbmuxd ListDevices ProductType", "iPhone4,1");
	want_unknown(f, "device.color", "no answer within 10 s");
	want_unknown(f, "device.os_version", "no answer within 10 s");
}

static void test_beta_and_dates(void **state)
{
	struct fx *f = *state;
	phone(f, "ready");
	ok(f, "lockdown:", HEAD "<dict>\n\t<key>BuildVersion</key>\n\t<string>22A5282m</string>\n"
	   "\t<key>ProductType</key>\n\t<string>iPhone99,9</string>\n"
	   "\t<key>ProductVersion</key>\n\t<string>18.0</string>\n</dict>\n" TAIL);
	ok(f, "lockdown:com.apple.mobile.backup", backup_date_xml);
	parse(f);
	all_declared(f);
	want_bool(f, "device.beta", true);
	want_num(f, "device.os_major", VT_INT, 18);
	want_str(f, "device.model", "iPhone99,9");
	devrec_name_model("rules", &f->facts);
	want_str(f, "device.model", "iPhone99,9"); /* unknown model: the raw ProductType */
	want_unknown(f, "device.color", "neither DeviceEnclosureColor nor DeviceColor");
	want_bool(f, "backup.icloud_enabled", false);
	want_num(f, "backup.icloud_last", VT_TIMESTAMP, 1718158440);
	want_source(f, "backup.icloud_last", "lockdown com.apple.mobile.backup LastCloudBackupDate",
		    "2024-06-12T02:14:00Z");
}

static void test_battery_fallbacks(void **state)
{
	struct fx *f = *state;
	phone(f, "ready");
	/* no battery domain; an older registry entry in mAh, hot, critical, discharging */
	failed(f, "lockdown:com.apple.mobile.battery", ANSWER_FAILED, "lockdown: MissingValue (-12)");
	ok(f, "diagnostics:IOPMPowerSource", HEAD "<dict>\n\t<key>Diagnostics</key>\n\t<dict>\n"
	   "\t\t<key>IORegistry</key>\n\t\t<dict>\n"
	   "\t\t\t<key>AtCriticalLevel</key>\n\t\t\t<true/>\n"
	   "\t\t\t<key>CurrentCapacity</key>\n\t\t\t<integer>150</integer>\n"
	   "\t\t\t<key>ExternalConnected</key>\n\t\t\t<false/>\n"
	   "\t\t\t<key>IsCharging</key>\n\t\t\t<false/>\n"
	   "\t\t\t<key>MaxCapacity</key>\n\t\t\t<integer>1500</integer>\n"
	   "\t\t\t<key>Temperature</key>\n\t\t\t<integer>4312</integer>\n"
	   "\t\t\t<key>InstantAmperage</key>\n\t\t\t<integer>-480</integer>\n"
	   "\t\t</dict>\n\t</dict>\n\t<key>Status</key>\n\t<string>Success</string>\n</dict>\n" TAIL);
	parse(f);
	all_declared(f);
	want_num(f, "battery.level", VT_PERCENT, 10);
	want_bool(f, "battery.plugged", false);
	want_bool(f, "battery.charging", false);
	want_num(f, "battery.temperature", VT_INT, 43);
	want_bool(f, "power.battery_low", true);
}

static void test_full_on_charger(void **state)
{
	struct fx *f = *state;
	phone(f, "ready");
	ok(f, "lockdown:com.apple.mobile.battery", HEAD "<dict>\n"
	   "\t<key>BatteryCurrentCapacity</key>\n\t<integer>100</integer>\n"
	   "\t<key>BatteryIsCharging</key>\n\t<false/>\n"
	   "\t<key>ExternalConnected</key>\n\t<true/>\n"
	   "\t<key>FullyCharged</key>\n\t<true/>\n</dict>\n" TAIL);
	parse(f);
	want_bool(f, "battery.charging", true);
	want_num(f, "battery.level", VT_PERCENT, 100);
	want_absent(f, "battery.temperature");
}

static void test_failures(void **state)
{
	struct fx *f = *state;
	phone(f, "ready");
	ok(f, "lockdown:StartSession", "");
	ok(f, "lockdown:", root_xml);
	failed(f, "lockdown:com.apple.disk_usage", ANSWER_TIMEOUT, "no answer within 10 s (lockdown GetValue com.apple.disk_usage)");
	failed(f, "lockdown:com.apple.mobile.backup", ANSWER_FAILED, "lockdown: MissingValue (-12)");
	failed(f, "instproxy:browse", ANSWER_FAILED, "lockdown StartService com.apple.mobile.installation_proxy: PasswordProtected (-17)");
	failed(f, "diagnostics:IOPMPowerSource", ANSWER_CUT, NULL);
	parse(f);
	all_declared(f);
	want_unknown(f, "storage.free", "no answer within 10 s");
	want_unknown(f, "storage.free_pct", "no answer within 10 s");
	want_unknown(f, "backup.icloud_enabled", "MissingValue (-12)");
	want_unknown(f, "backup.icloud_last", "MissingValue (-12)");
	want_unknown(f, "app.icloud_photos.installed", "PasswordProtected (-17)");
	want_unknown(f, "app.google_photos.installed", "StartService");
	want_absent(f, "app.google_photos.in_use");
	want_unknown(f, "battery.temperature", "cut");
}

/* Answers that are not property lists, or not the expected shape: unknown, noted, no crash. */
static void test_garbage(void **state)
{
	struct fx *f = *state;
	static const char *const garbage[] = {
		"", "not a plist at all", "<?xml version=\"1.0\"?><plist><dict><key>A</key>",
		"bplist00\x01\x02\x03garbage", HEAD "<dict><key>BatteryCurrentCapacity</key><integer>64",
		HEAD "<string>just a string</string>" TAIL, HEAD "<array><integer>1</integer></array>" TAIL,
		"\xff\xfe<\x00p\x00", HEAD "<dict><key>X</key><date>not a date</date></dict>" TAIL,
	};
	static const char *const queries[] = {
		"lockdown:", "lockdown:com.apple.mobile.battery", "lockdown:com.apple.mobile.backup",
		"lockdown:com.apple.disk_usage", "lockdown:com.apple.mobile.chaperone", "lockdown:com.apple.fmip",
		"lockdown:com.apple.mobile.data_sync", "diagnostics:IOPMPowerSource", "instproxy:browse",
		"mcinstall:GetProfileList", "mcinstall:GetCloudConfiguration",
	};
	for (size_t g = 0; g < sizeof(garbage) / sizeof(garbage[0]); g++) {
		capture_release(&f->cap);
		facts_release(&f->facts);
		capture_init(&f->cap);
		facts_init(&f->facts);
		phone(f, "ready");
		size_t len = g == 3 ? 18 : g == 7 ? 6 : strlen(garbage[g]);
		for (size_t q = 0; q < sizeof(queries) / sizeof(queries[0]); q++) {
			struct answer *a = capture_add(&f->cap, queries[q]);
			capture_set_out(a, garbage[g], len);
			a->status = ANSWER_OK;
		}
		parse(f);
		all_declared(f);
		/* nothing garbage can make known, except what a shape-less dict still lacks */
		static const char *const must_not_know[] = {
			"device.model", "battery.level", "storage.free", "backup.icloud_enabled",
			"mdm.enrolled", "app.icloud_photos.installed", "net.vpn",
		};
		for (size_t k = 0; k < sizeof(must_not_know) / sizeof(must_not_know[0]); k++) {
			const struct fact *fa = facts_get(&f->facts, must_not_know[k]);
			if (fa && fa->state == FACT_KNOWN) {
				print_error("garbage %zu made %s known\n", g, must_not_know[k]);
				fail();
			}
		}
		/* a reply that cannot be parsed says so, naming the query */
		const struct fact *st = facts_get(&f->facts, "storage.free");
		assert_non_null(st);
		assert_non_null(st->note);
		assert_non_null(strstr(st->note, "com.apple.disk_usage"));
	}
}

/* Values of the wrong type are not coerced. */
static void test_wrong_types(void **state)
{
	struct fx *f = *state;
	phone(f, "ready");
	ok(f, "lockdown:", HEAD "<dict><key>ProductType</key><integer>5</integer>"
	   "<key>ProductVersion</key><string>beta</string><key>BuildVersion</key><true/></dict>" TAIL);
	ok(f, "lockdown:com.apple.mobile.battery", HEAD "<dict><key>BatteryCurrentCapacity</key><string>64</string>"
	   "<key>ExternalConnected</key><integer>7</integer></dict>" TAIL);
	ok(f, "lockdown:com.apple.disk_usage", HEAD "<dict><key>TotalDiskCapacity</key><integer>100</integer>"
	   "<key>AmountDataAvailable</key><integer>200</integer></dict>" TAIL);
	ok(f, "lockdown:com.apple.mobile.backup", HEAD "<dict><key>CloudBackupEnabled</key><string>yes</string>"
	   "<key>LastCloudBackupDate</key><string>yesterday</string></dict>" TAIL);
	ok(f, "instproxy:browse", HEAD "<dict><key>CFBundleIdentifier</key><string>com.google.photos</string></dict>" TAIL);
	parse(f);
	all_declared(f);
	want_unknown(f, "device.model", NULL);
	want_str(f, "device.os_version", "beta");
	want_unknown(f, "device.os_major", "does not start with a number");
	want_unknown(f, "device.build", "unexpected value");
	want_unknown(f, "battery.level", "unexpected value");
	want_unknown(f, "battery.plugged", "unexpected value");
	want_num(f, "storage.free", VT_BYTES, 200);
	want_unknown(f, "storage.free_pct", "more space free than the disk holds");
	want_unknown(f, "backup.icloud_enabled", "unexpected value");
	want_unknown(f, "backup.icloud_last", "unexpected value");
	want_unknown(f, "app.google_photos.installed", "not a list of apps");
}


/* ---- battery health ---- */

/* An IORegistry battery entry with the given capacity keys (XML fragments). */
static char *ioreg_with(const char *keys)
{
	return xasprintf(HEAD "<dict>\n\t<key>IORegistry</key>\n\t<dict>\n%s\t</dict>\n</dict>\n" TAIL, keys);
}

static void test_battery_health_capped(void **state)
{
	struct fx *f = *state;
	phone(f, "ready");
	/* a new battery above its rating: Settings shows 100% */
	char *x = ioreg_with("\t\t<key>CycleCount</key>\n\t\t<integer>3</integer>\n"
			     "\t\t<key>DesignCapacity</key>\n\t\t<integer>3279</integer>\n"
			     "\t\t<key>NominalChargeCapacity</key>\n\t\t<integer>3391</integer>\n"
			     "\t\t<key>AppleRawMaxCapacity</key>\n\t\t<integer>3350</integer>\n");
	ok(f, "diagnostics:IOPMPowerSource", x);
	free(x);
	parse(f);
	all_declared(f);
	want_num(f, "battery.health_pct", VT_PERCENT, 100);
	want_source(f, "battery.health_pct",
		    "diagnostics IORegistry IOPMPowerSource NominalChargeCapacity / DesignCapacity",
		    "NominalChargeCapacity 3391 / DesignCapacity 3279");
	const struct fact *h = facts_get(&f->facts, "battery.health_pct");
	assert_non_null(h->note);
	assert_non_null(strstr(h->note, "capped at 100% as Settings shows it (the ratio is 103.4%)"));
	want_num(f, "battery.full_capacity", VT_INT, 3391);
	want_num(f, "battery.cycle_count", VT_INT, 3);
}

static void test_battery_health_fallbacks(void **state)
{
	struct fx *f = *state;
	phone(f, "ready");
	/* no NominalChargeCapacity; design and cycles nested in BatteryData (newer entries) */
	char *x = ioreg_with("\t\t<key>AppleRawMaxCapacity</key>\n\t\t<integer>2850</integer>\n"
			     "\t\t<key>BatteryData</key>\n\t\t<dict>\n"
			     "\t\t\t<key>CycleCount</key>\n\t\t\t<integer>611</integer>\n"
			     "\t\t\t<key>DesignCapacity</key>\n\t\t\t<integer>3279</integer>\n"
			     "\t\t</dict>\n");
	ok(f, "diagnostics:IOPMPowerSource", x);
	free(x);
	parse(f);
	all_declared(f);
	/* 2850 / 3279 = 86.9% */
	want_num(f, "battery.health_pct", VT_PERCENT, 87);
	want_source(f, "battery.health_pct",
		    "diagnostics IORegistry IOPMPowerSource AppleRawMaxCapacity / BatteryData DesignCapacity",
		    "AppleRawMaxCapacity 2850 / DesignCapacity 3279");
	want_num(f, "battery.cycle_count", VT_INT, 611);
	want_source(f, "battery.cycle_count", "diagnostics IORegistry IOPMPowerSource BatteryData CycleCount", "611");
	want_num(f, "battery.design_capacity", VT_INT, 3279);

	/* no design capacity, a negative one, a zero: no health, said why */
	static const char *const bad[] = {
		"\t\t<key>NominalChargeCapacity</key>\n\t\t<integer>2850</integer>\n",
		"\t\t<key>NominalChargeCapacity</key>\n\t\t<integer>2850</integer>\n"
		"\t\t<key>DesignCapacity</key>\n\t\t<integer>-5</integer>\n"
		"\t\t<key>CycleCount</key>\n\t\t<string>many</string>\n",
		"\t\t<key>NominalChargeCapacity</key>\n\t\t<integer>0</integer>\n"
		"\t\t<key>DesignCapacity</key>\n\t\t<integer>0</integer>\n",
	};
	for (size_t i = 0; i < 3; i++) {
		capture_release(&f->cap);
		facts_release(&f->facts);
		capture_init(&f->cap);
		facts_init(&f->facts);
		phone(f, "ready");
		x = ioreg_with(bad[i]);
		ok(f, "diagnostics:IOPMPowerSource", x);
		free(x);
		parse(f);
		all_declared(f);
		want_unknown(f, "battery.health_pct", "design capacity was not read");
		want_unknown(f, "battery.design_capacity", i ? "unexpected value" : "has no DesignCapacity");
		if (i == 1) {
			want_num(f, "battery.full_capacity", VT_INT, 2850);
			want_unknown(f, "battery.cycle_count", "unexpected value");
		}
	}
	/* the relay failed: everything it would tell is unknown, with its error */
	capture_release(&f->cap);
	facts_release(&f->facts);
	capture_init(&f->cap);
	facts_init(&f->facts);
	phone(f, "ready");
	failed(f, "diagnostics:IOPMPowerSource", ANSWER_FAILED,
	       "lockdown StartService com.apple.mobile.diagnostics_relay: PasswordProtected (-17)");
	parse(f);
	want_unknown(f, "battery.health_pct", "PasswordProtected (-17)");
	want_unknown(f, "battery.cycle_count", "PasswordProtected (-17)");
}

/* A Wi-Fi-only iPad: no cellular hardware, so no IMEI, and that is said. */
static void test_identity_ipad(void **state)
{
	struct fx *f = *state;
	phone(f, "ready");
	ok(f, "lockdown:StartSession", "");
	ok(f, "lockdown:", HEAD "<dict>\n"
	   "\t<key>ActivationState</key>\n\t<string>Activated</string>\n"
	   "\t<key>DeviceName</key>\n\t<string>Kitchen iPad</string>\n"
	   "\t<key>ProductType</key>\n\t<string>iPad13,18</string>\n"
	   "\t<key>SerialNumber</key>\n\t<string>DMPXX0000000</string>\n"
	   "\t<key>TelephonyCapability</key>\n\t<false/>\n"
	   "</dict>\n" TAIL);
	ok(f, "lockdown:com.apple.fmip", HEAD "<dict>\n\t<key>IsAssociated</key>\n\t<false/>\n</dict>\n" TAIL);
	parse(f);
	all_declared(f);
	want_str(f, "device.model", "iPad13,18");
	devrec_name_model("rules", &f->facts);
	want_str(f, "device.model", "iPad (10th generation)");
	want_str(f, "device.serial", "DMPXX0000000");
	want_unknown(f, "device.imei", "no cellular hardware");
	want_absent(f, "device.imei2");
	want_bool(f, "device.find_my", false);
	/* a dual-SIM phone has a second IMEI */
	capture_release(&f->cap);
	facts_release(&f->facts);
	capture_init(&f->cap);
	facts_init(&f->facts);
	phone(f, "ready");
	ok(f, "lockdown:StartSession", "");
	ok(f, "lockdown:", HEAD "<dict>\n"
	   "\t<key>InternationalMobileEquipmentIdentity</key>\n\t<string>356789101234564</string>\n"
	   "\t<key>InternationalMobileEquipmentIdentity2</key>\n\t<string>356789101234572</string>\n"
	   "\t<key>ActivationState</key>\n\t<integer>2</integer>\n"
	   "</dict>\n" TAIL);
	failed(f, "lockdown:com.apple.fmip", ANSWER_FAILED, "lockdown: MissingValue (-12)");
	parse(f);
	all_declared(f);
	want_str(f, "device.imei", "356789101234564");
	want_str(f, "device.imei2", "356789101234572");
	want_source(f, "device.imei2", "lockdown InternationalMobileEquipmentIdentity2", NULL);
	want_unknown(f, "device.serial", "is not set");
	want_unknown(f, "device.activation_state", "unexpected value");
	want_unknown(f, "device.find_my", "MissingValue (-12)");
}

/* ---- the device log ---- */

static void keep_is(const char *line, const char *want)
{
	char *got = ios_syslog_keep(line, strlen(line));
	if (!want) {
		if (got) {
			print_error("kept '%s' from '%s'\n", got, line);
			fail();
		}
		return;
	}
	if (!got) {
		print_error("dropped '%s'\n", line);
		fail();
	}
	assert_string_equal(got, want);
	free(got);
}

static void test_syslog_keep(void **state)
{
	(void)state;
	/* the host (the phone's name) is left out */
	keep_is("Dec  3 22:34:14 iPhone BackupAgent2[302] <Notice>: Finished scanning domain <private> - size:149852\n",
		"Dec  3 22:34:14 BackupAgent2[302] <Notice>: Finished scanning domain <private> - size:149852");
	keep_is("Jul 21 15:49:50 Alexs-iPhone backupd[343] <Warning>: ERROR: Backup failed: <private>",
		"Jul 21 15:49:50 backupd[343] <Warning>: ERROR: Backup failed: <private>");
	/* process(subsystem)[pid]; and lines idevicesyslog printed, without a host */
	keep_is("Sep 28 13:49:21 slab BackupAgent2(Books)[1511] <Error>: Missing books entry.",
		"Sep 28 13:49:21 BackupAgent2(Books)[1511] <Error>: Missing books entry.");
	keep_is("Nov 30 05:40:02 powerd[46] <Notice>: Process BackupAgent2.4318 Summary NoIdleSleepAssertion",
		"Nov 30 05:40:02 powerd[46] <Notice>: Process BackupAgent2.4318 Summary NoIdleSleepAssertion");
	keep_is("Jun 12 09:29:53 iPhone cloudphotod[412] <Notice>: <private>",
		"Jun 12 09:29:53 cloudphotod[412] <Notice>: <private>");
	/* other processes only when they mention Low Power Mode or thermal pressure */
	keep_is("Jun 12 09:29:50 iPhone SpringBoard(FrontBoard)[34] <Notice>: Workspace assertion state did change", NULL);
	keep_is("Jun 12 09:29:50 iPhone kernel[0] <Notice>: AppleSMC: something", NULL);
	keep_is("Jun 12 09:29:50 iPhone SpringBoard[34] <Notice>: Low Power Mode indicator shown",
		"Jun 12 09:29:50 SpringBoard[34] <Notice>: Low Power Mode indicator shown");
	keep_is("Jun 12 09:29:50 iPhone locationd[88] <Notice>: ThermalPressure changed to heavy",
		"Jun 12 09:29:50 locationd[88] <Notice>: ThermalPressure changed to heavy");
	/* the process name must match whole: backupdx is not backupd */
	keep_is("Jun 12 09:29:50 iPhone backupdx[1] <Notice>: x", NULL);
	/* not a syslog line at all */
	keep_is("", NULL);
	keep_is("[connected:00008030-0018155822E2802E]", NULL);
	keep_is("Jun 12 09:29:50 iPhone no process here", NULL);
	keep_is("2026-10-02 10:00:02.123 E cloudphotod[5:6] CKErrorQuotaExceeded", NULL);
	keep_is("Jun 12 09:29:50 iPhone [12] <Notice>: x", NULL);
	/* control characters are blanked; a long line is cut on a character boundary */
	keep_is("Jun 12 09:29:50 iPhone dasd[109] <Notice>: a\tb\x1b[0m",
		"Jun 12 09:29:50 dasd[109] <Notice>: a b [0m");
	struct buf b = BUF_INIT;
	buf_puts(&b, "Jun 12 09:29:50 iPhone cloudd[7] <Notice>: ");
	for (int i = 0; i < 400; i++)
		buf_puts(&b, "\xc3\xa9"); /* é, two bytes each */
	char *got = ios_syslog_keep(buf_str(&b), b.len);
	assert_non_null(got);
	assert_true(strlen(got) <= IOS_SYSLOG_LINE_MAX);
	assert_true(strlen(got) > IOS_SYSLOG_LINE_MAX - 4);
	assert_int_not_equal((unsigned char)got[strlen(got) - 1], 0xc3); /* no half character */
	free(got);
	buf_release(&b);
	assert_null(ios_syslog_keep(NULL, 0));
}

static void log_phone(struct fx *f, const char *query, const char *lines)
{
	phone(f, "ready");
	ok(f, "lockdown:StartSession", "");
	ok(f, query, lines);
}

static void test_log_facts(void **state)
{
	struct fx *f = *state;
	log_phone(f, "syslog:2",
		  "Jun 12 09:29:51 powerd[52] <Notice>: Battery capacity change posted(0x1a0000). Capacity:46\n"
		  "Jun 12 09:29:51 powerd[52] <Notice>: Low Power Mode enabled (battery saver state 1)\n"
		  "Jun 12 09:29:52 thermalmonitord[93] <Notice>: Thermal pressure level changed from nominal to serious\n"
		  "Jun 12 09:29:53 cloudphotod[412] <Notice>: <private>\n"
		  "Jun 12 09:29:53 cloudphotod[412] <Notice>: Deferring upload of <private> resources: system conditions\n"
		  "Jul 21 15:49:50 backupd[343] <Warning>: ERROR: Backup failed: <private>\n"
		  "Jul 21 15:49:51 backupd[343] <Warning>: ERROR: Backup failed: <private>\n"
		  "Jul 21 15:49:52 backupd[343] <Error>: MBErrorDomain/208\n"
		  "Jul 21 15:49:53 backupd[343] <Notice>: Scheduling next backup\n");
	parse(f);
	all_declared(f);
	want_bool(f, "log.low_power_mode", true);
	want_source(f, "log.low_power_mode", "device log (com.apple.syslog_relay, 2 s)",
		    "Jun 12 09:29:51 powerd[52] <Notice>: Low Power Mode enabled (battery saver state 1)");
	want_bool(f, "log.thermal_pressure", true);
	want_bool(f, "log.photo_sync_waiting", true);
	assert_non_null(strstr(facts_get(&f->facts, "log.photo_sync_waiting")->raw, "Deferring upload"));
	const struct fact *e = known(f, "log.backup_errors", VT_LIST);
	assert_int_equal(e->v.l.n, 2); /* the same error twice is listed once */
	assert_string_equal(e->v.l.v[0], "backupd <Warning>: ERROR: Backup failed: <private>");
	assert_string_equal(e->v.l.v[1], "backupd <Error>: MBErrorDomain/208");
	/* the log does not stand in for the person's answer */
	want_unknown(f, "power.battery_saver", "Low Power Mode");
}

/* The last change logged is the state now; "from X to Y" says Y. */
static void test_log_last_change(void **state)
{
	struct fx *f = *state;
	log_phone(f, "syslog:10",
		  "Jun 12 09:29:51 powerd[52] <Notice>: LowPowerMode: 1\n"
		  "Jun 12 09:29:52 thermalmonitord[93] <Notice>: ThermalPressure: critical\n"
		  "Jun 12 09:29:58 powerd[52] <Notice>: Low Power Mode is now disabled\n"
		  "Jun 12 09:29:59 thermalmonitord[93] <Notice>: thermal pressure level changed from serious to nominal\n"
		  /* another process's word on the mode is not powerd's: kept, not read */
		  "Jun 12 09:30:00 dasd[109] <Notice>: Low Power Mode enabled, deferring <private>\n");
	parse(f);
	all_declared(f);
	want_bool(f, "log.low_power_mode", false);
	want_source(f, "log.low_power_mode", "device log (com.apple.syslog_relay, 10 s)",
		    "Jun 12 09:29:58 powerd[52] <Notice>: Low Power Mode is now disabled");
	want_bool(f, "log.thermal_pressure", false);
	want_unknown(f, "log.photo_sync_waiting", "cloudphotod logged nothing in 10 s");
	want_unknown(f, "log.backup_errors", "backupd logged no error in 10 s");

	capture_release(&f->cap);
	facts_release(&f->facts);
	capture_init(&f->cap);
	facts_init(&f->facts);
	log_phone(f, "syslog:2", "Jun 12 09:29:51 powerd[52] <Notice>: LowPowerMode state changed from 0 to 1\n"
				 "Jun 12 09:29:52 powerd[52] <Notice>: Low Power Mode settings reloaded\n");
	parse(f);
	want_bool(f, "log.low_power_mode", true); /* a mention without a state changes nothing */
}

/* Nothing logged: silence proves nothing, so every log fact stays unknown, saying so. */
static void test_log_silent(void **state)
{
	struct fx *f = *state;
	log_phone(f, "syslog:2", "");
	parse(f);
	all_declared(f);
	want_unknown(f, "log.low_power_mode", "powerd logged no Low Power Mode change in 2 s");
	want_unknown(f, "log.thermal_pressure", "no thermal pressure level was logged in 2 s");
	want_unknown(f, "log.photo_sync_waiting", "cloudphotod logged nothing in 2 s");
	want_unknown(f, "log.backup_errors", "a stalled backup may log nothing");

	/* cloudphotod speaks, but not of waiting */
	capture_release(&f->cap);
	facts_release(&f->facts);
	capture_init(&f->cap);
	facts_init(&f->facts);
	log_phone(f, "syslog:0.5", "Jun 12 09:29:53 cloudphotod[412] <Notice>: <private>\n"
				   "Jun 12 09:29:54 cloudphotod[412] <Notice>: <private>\n");
	parse(f);
	want_unknown(f, "log.photo_sync_waiting", "cloudphotod logged 2 lines in 0.5 s, none saying it waits");
}

static void test_log_refused(void **state)
{
	struct fx *f = *state;
	phone(f, "ready");
	ok(f, "lockdown:StartSession", "");
	failed(f, "syslog:2", ANSWER_FAILED, "lockdown StartService com.apple.syslog_relay: GetProhibited (-13)");
	parse(f);
	all_declared(f);
	want_unknown(f, "log.low_power_mode", "GetProhibited (-13)");
	want_unknown(f, "log.low_power_mode", "unlocked since it was restarted");
	want_unknown(f, "log.backup_errors", "could not be read");

	/* the stream dropped half-way: what came is used, and the notes say it ended */
	capture_release(&f->cap);
	facts_release(&f->facts);
	capture_init(&f->cap);
	facts_init(&f->facts);
	phone(f, "ready");
	struct answer *a = capture_add(&f->cap, "syslog:5");
	const char *lines = "Jun 12 09:29:51 powerd[52] <Notice>: Low Power Mode enabled\nJun 12 09:29:52 back";
	capture_set_out(a, lines, strlen(lines));
	a->status = ANSWER_CUT;
	a->error = xstrdup("syslog: the log stream ended after 1.2 s (-2)");
	parse(f);
	all_declared(f);
	want_bool(f, "log.low_power_mode", true);
	want_unknown(f, "log.backup_errors", "the log stream ended early");

	/* a phone that could not be read: the log was never asked, nothing is claimed */
	capture_release(&f->cap);
	facts_release(&f->facts);
	capture_init(&f->cap);
	facts_init(&f->facts);
	phone(f, "locked");
	parse(f);
	want_absent(f, "log.low_power_mode");
	want_absent(f, "log.backup_errors");
}

/* Garbage in the log answer: no crash, nothing known. */
static void test_log_garbage(void **state)
{
	struct fx *f = *state;
	static const char junk[] = "\x00\xff\xfe\n\n\nJun 12 09:29:51 powerd[52] <Notice>\n"
				   "Jun 12 09:29:51 powerd[52]\nJun 12 09:29:51 powerd[] <Notice>: Low Power Mode on\n"
				   "Jun 12 09:29:51 p[1] <Notice: Low Power Mode on\n"
				   "Jun 12 09:29:51 backupd[1] <Error>:\n"
				   "xxx 12 09:29:51 powerd[52] <Notice>: Low Power Mode on\n";
	phone(f, "ready");
	struct answer *a = capture_add(&f->cap, "syslog:2");
	capture_set_out(a, junk, sizeof(junk) - 1);
	a->status = ANSWER_OK;
	parse(f);
	all_declared(f);
	want_unknown(f, "log.low_power_mode", NULL);
	want_unknown(f, "log.thermal_pressure", NULL);
	const struct fact *e = known(f, "log.backup_errors", VT_LIST);
	assert_int_equal(e->v.l.n, 1);
	assert_string_equal(e->v.l.v[0], "backupd <Error>: ");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_healthy, setup, teardown),
		cmocka_unit_test_setup_teardown(test_third_party_app, setup, teardown),
		cmocka_unit_test_setup_teardown(test_managed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_profiles_without_payloads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mcinstall_error, setup, teardown),
		cmocka_unit_test_setup_teardown(test_not_trusted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_locked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_beta_and_dates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_battery_fallbacks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_full_on_charger, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failures, setup, teardown),
		cmocka_unit_test_setup_teardown(test_garbage, setup, teardown),
		cmocka_unit_test_setup_teardown(test_wrong_types, setup, teardown),
		cmocka_unit_test_setup_teardown(test_battery_health_capped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_battery_health_fallbacks, setup, teardown),
		cmocka_unit_test_setup_teardown(test_identity_ipad, setup, teardown),
		cmocka_unit_test(test_syslog_keep),
		cmocka_unit_test_setup_teardown(test_log_facts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_log_last_change, setup, teardown),
		cmocka_unit_test_setup_teardown(test_log_silent, setup, teardown),
		cmocka_unit_test_setup_teardown(test_log_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_log_garbage, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test-parse-android.c - the Android parsers against the recorded phones of
 * tests/sim/android/profiles (Android 8, 9, 12 on MIUI, 14 on a Pixel and
 * on One UI), hand-made edge inputs (empty, garbage, binary, truncated,
 * huge), the unknown-with-note behaviour of android_parse() for answers
 * that failed, and, end to end, every scenario of tests/sim/android/
 * scenarios: profile + overrides -> capture -> android_parse() ->
 * diagnose() with the real rules/, whose top confirmed finding must be the
 * scenario's name (healthy-* must give none).
 */
#include "unit.h"

#include <math.h>

#include "diagnose.h"
#include "parse-android.h"

#define PROFILES "tests/sim/android/profiles"
#define SCENARIOS "tests/sim/android/scenarios"
#define GP "com.google.android.apps.photos"

/* 2024-06-12T09:30:00Z: the moment the recorded phones were read */
#define CAPTURED_AT 1718184600.0

/* ---- helpers ---- */

/* A command line as a corpus file name: ' ' -> '_', '/' -> '%'. */
static char *file_name(const char *query)
{
	char *s = strdup(query);
	assert_non_null(s);
	for (char *p = s; *p; p++)
		if (*p == ' ')
			*p = '_';
		else if (*p == '/')
			*p = '%';
	return s;
}

/* The recorded stdout of `query` in directory `dir`, or NULL. */
static char *corpus(const char *dir, const char *query, size_t *len)
{
	char *f = file_name(query);
	char *path = unit_concat(dir, "/", f, NULL);
	char *text = unit_read_file(path, len);
	free(path);
	free(f);
	return text;
}

static char *profile_out(const char *profile, const char *query, size_t *len)
{
	char *dir = unit_concat(PROFILES, "/", profile, NULL);
	char *t = corpus(dir, query, len);
	free(dir);
	if (!t)
		print_error("no corpus file for '%s' in profile %s\n", query, profile);
	assert_non_null(t);
	return t;
}

static const struct value *val(const struct facts *fs, const char *name)
{
	const struct value *v = facts_value(fs, name);
	if (!v)
		print_error("fact %s is not known\n", name);
	assert_non_null(v);
	return v;
}

static void expect_bool(const struct facts *fs, const char *name, bool b)
{
	const struct value *v = val(fs, name);
	assert_int_equal(v->type, VT_BOOL);
	if (v->b != b)
		print_error("%s: expected %s\n", name, b ? "true" : "false");
	assert_int_equal(v->b, b);
}

static void expect_num(const struct facts *fs, const char *name, enum vtype t, double n)
{
	const struct value *v = val(fs, name);
	assert_int_equal(v->type, t);
	if (fabs(v->n - n) > 1e-6)
		print_error("%s: expected %.3f, got %.3f\n", name, n, v->n);
	assert_true(fabs(v->n - n) <= 1e-6);
}

static void expect_str(const struct facts *fs, const char *name, const char *s)
{
	const struct value *v = val(fs, name);
	assert_int_equal(v->type, VT_STRING);
	assert_string_equal(v->s, s);
}

static void expect_unset(const struct facts *fs, const char *name)
{
	if (facts_value(fs, name))
		print_error("fact %s should not be known\n", name);
	assert_null(facts_value(fs, name));
}

/* The fact is unknown, and its note contains `needle`. */
static void expect_note(const struct facts *fs, const char *name, const char *needle)
{
	const struct fact *f = facts_get(fs, name);
	if (!f || f->state != FACT_UNKNOWN || !f->note || !strstr(f->note, needle))
		print_error("fact %s: expected unknown with a note containing '%s', got %s%s\n", name,
			    needle, f ? (f->state == FACT_UNKNOWN ? "unknown, note: " : "known") : "nothing",
			    f && f->note ? f->note : "");
	assert_non_null(f);
	assert_int_equal(f->state, FACT_UNKNOWN);
	assert_non_null(f->note);
	assert_non_null(strstr(f->note, needle));
}

static void expect_raw(const struct facts *fs, const char *name, const char *needle)
{
	const struct fact *f = facts_get(fs, name);
	assert_non_null(f);
	assert_non_null(f->raw);
	if (!strstr(f->raw, needle))
		print_error("%s: raw '%s' lacks '%s'\n", name, f->raw, needle);
	assert_non_null(strstr(f->raw, needle));
}

/* ---- a capture built by hand (only the fields android_parse reads) ---- */

static void cap_add(struct capture *c, const char *query, const char *out, size_t out_len,
		    const char *err, size_t err_len, int exit_code, enum answer_status st)
{
	c->answers = realloc(c->answers, (c->nanswers + 1) * sizeof(*c->answers));
	assert_non_null(c->answers);
	struct answer *a = &c->answers[c->nanswers++];
	memset(a, 0, sizeof(*a));
	a->query = strdup(query);
	a->out = malloc(out_len + 1);
	assert_non_null(a->out);
	if (out_len)
		memcpy(a->out, out, out_len);
	a->out[out_len] = '\0';
	a->out_len = out_len;
	a->err = malloc(err_len + 1);
	assert_non_null(a->err);
	if (err_len)
		memcpy(a->err, err, err_len);
	a->err[err_len] = '\0';
	a->err_len = err_len;
	a->exit_code = exit_code;
	a->status = st;
}

static void cap_set_device(struct capture *c, const char *key, const char *value)
{
	c->device = realloc(c->device, (c->ndevice + 1) * sizeof(*c->device));
	assert_non_null(c->device);
	c->device[c->ndevice].key = strdup(key);
	c->device[c->ndevice].value = strdup(value);
	c->ndevice++;
}

static void cap_free(struct capture *c)
{
	for (size_t i = 0; i < c->nanswers; i++) {
		free(c->answers[i].query);
		free(c->answers[i].out);
		free(c->answers[i].err);
		free(c->answers[i].error);
	}
	free(c->answers);
	for (size_t i = 0; i < c->ndevice; i++) {
		free(c->device[i].key);
		free(c->device[i].value);
	}
	free(c->device);
	free(c->platform);
	free(c->device_id);
	free(c->device_state);
	free(c->note);
	memset(c, 0, sizeof(*c));
}

/* A small "key=value" file (the scenario file); NULL when the key is absent. */
static char *kv_get(const char *text, const char *key)
{
	size_t kl = strlen(key);
	for (const char *p = text; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		if (n > kl && !strncmp(p, key, kl) && p[kl] == '=')
			return strndup(p + kl + 1, n - kl - 1);
		p = nl ? nl + 1 : NULL;
	}
	return NULL;
}

/*
 * A capture of scenario `name`: for each query, the scenario's override
 * file, else the profile's; NAME.err and NAME.exit beside it.  Every query
 * must have a file (a missing one fails the test).
 */
static void load_scenario(const struct kb *kb, const char *name, struct capture *cap)
{
	char *sdir = unit_concat(SCENARIOS, "/", name, NULL);
	char *spath = unit_concat(sdir, "/scenario", NULL);
	char *conf = unit_read_file(spath, NULL);
	if (!conf)
		print_error("cannot read %s\n", spath);
	assert_non_null(conf);
	char *profile = kv_get(conf, "profile");
	char *serial = kv_get(conf, "serial");
	char *state = kv_get(conf, "state");
	assert_non_null(profile);
	char *pdir = unit_concat(PROFILES, "/", profile, NULL);

	memset(cap, 0, sizeof(*cap));
	cap->platform = strdup("android");
	cap->captured_at = CAPTURED_AT;
	cap->device_id = strdup(serial ? serial : "SERIAL");
	cap->device_state = strdup(state ? state : "ready");
	size_t glen = 0;
	char *gp = corpus(pdir, "getprop", &glen);
	if (gp) {
		/* the transport's listing, as `adb devices -l` shows it */
		const char *m = strstr(gp, "[ro.product.model]: [");
		if (m) {
			m += strlen("[ro.product.model]: [");
			const char *e = strchr(m, ']');
			char *model = strndup(m, e ? (size_t)(e - m) : 0);
			for (char *p = model; *p; p++)
				if (*p == ' ')
					*p = '_';
			cap_set_device(cap, "model", model);
			free(model);
		}
		free(gp);
	}
	if (state && strcmp(state, "ready")) {
		cap->note = strdup("device unauthorized.\nThis adb server's $ADB_VENDOR_KEYS is not set");
	} else {
		struct strlist qs = STRLIST_INIT;
		android_queries(kb, &qs);
		for (size_t i = 0; i < qs.n; i++) {
			const char *dir = sdir;
			size_t olen = 0, elen = 0;
			char *out = corpus(sdir, qs.v[i], &olen);
			if (!out) {
				dir = pdir;
				out = corpus(pdir, qs.v[i], &olen);
			}
			if (!out)
				print_error("scenario %s: no file for '%s'\n", name, qs.v[i]);
			assert_non_null(out);
			char *f = file_name(qs.v[i]);
			char *epath = unit_concat(dir, "/", f, ".err", NULL);
			char *xpath = unit_concat(dir, "/", f, ".exit", NULL);
			char *err = unit_read_file(epath, &elen);
			char *ex = unit_read_file(xpath, NULL);
			cap_add(cap, qs.v[i], out, olen, err ? err : "", err ? elen : 0,
				ex ? (int)strtol(ex, NULL, 10) : 0, ANSWER_OK);
			free(out);
			free(err);
			free(ex);
			free(epath);
			free(xpath);
			free(f);
		}
		strlist_release(&qs);
	}
	free(pdir);
	free(profile);
	free(serial);
	free(state);
	free(conf);
	free(spath);
	free(sdir);
}

/* ---- fixture: the real knowledge base ---- */

struct fixture {
	struct kb kb;
	struct facts fs;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	if (!fx)
		return -1;
	struct diags d;
	diags_init(&d);
	kb_init(&fx->kb);
	int r = rules_load_dir(&fx->kb, "rules", &d);
	diags_print(&d, stderr);
	diags_release(&d);
	facts_init(&fx->fs);
	*state = fx;
	return r;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	facts_release(&fx->fs);
	kb_release(&fx->kb);
	free(fx);
	return 0;
}

/* ---- getprop ---- */

static void test_getprop_versions(void **state)
{
	struct fixture *fx = *state;
	static const struct {
		const char *profile, *model, *maker, *release, *build;
		int major, sdk;
	} want[] = {
		{ "pixel7-a14", "Pixel 7", "Google", "14", "AP1A.240505.005", 14, 34 },
		{ "galaxy-s23-a14-oneui6", "SM-S911B", "samsung", "14", "UP1A.231005.007", 14, 34 },
		{ "redmi-note10-a12-miui13", "M2101K7AG", "Xiaomi", "12", "SKQ1.210908.001", 12, 31 },
		{ "pixel3-a9", "Pixel 3", "Google", "9", "PQ3A.190801.002", 9, 28 },
		{ "moto-a8", "moto g(6)", "motorola", "8.0.0", "OPS27.104-15-10", 8, 26 },
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		size_t len;
		char *t = profile_out(want[i].profile, "getprop", &len);
		facts_release(&fx->fs);
		facts_init(&fx->fs);
		assert_int_equal(parse_getprop(t, len, "getprop", &fx->fs), 0);
		expect_str(&fx->fs, "device.model", want[i].model);
		expect_str(&fx->fs, "device.manufacturer", want[i].maker);
		expect_str(&fx->fs, "device.os_version", want[i].release);
		expect_str(&fx->fs, "device.build", want[i].build);
		expect_num(&fx->fs, "device.os_major", VT_INT, want[i].major);
		expect_num(&fx->fs, "device.sdk", VT_INT, want[i].sdk);
		expect_bool(&fx->fs, "device.beta", false);
		assert_non_null(facts_value(&fx->fs, "device.security_patch"));
		const struct fact *f = facts_get(&fx->fs, "device.model");
		assert_string_equal(f->source, "getprop");
		assert_true(!strncmp(f->raw, "[ro.product.model]: [", 21));
		free(t);
	}
	expect_num(&fx->fs, "device.security_patch", VT_TIMESTAMP, 1533081600); /* 2018-08-01 */
}

static void test_getprop_beta_and_multiline(void **state)
{
	struct fixture *fx = *state;
	size_t len;
	char *t = corpus(SCENARIOS "/beta-software", "getprop", &len);
	assert_non_null(t);
	assert_int_equal(parse_getprop(t, len, "getprop", &fx->fs), 0);
	expect_bool(&fx->fs, "device.beta", true);
	expect_raw(&fx->fs, "device.beta", "panther_beta");
	expect_num(&fx->fs, "device.os_major", VT_INT, 15);
	free(t);

	/* a value spanning lines, then a preview's codename */
	static const char prev[] =
		"[persist.sys.boot.reason.history]: [reboot,1\nreboot,2\n]\n"
		"[ro.build.version.codename]: [Baklava]\n"
		"[ro.build.version.release]: [Baklava]\n"
		"[ro.build.version.sdk]: [36]\n"
		"[ro.product.model]: [Pixel 9]\n";
	facts_release(&fx->fs);
	facts_init(&fx->fs);
	assert_int_equal(parse_getprop(prev, sizeof(prev) - 1, "getprop", &fx->fs), 0);
	expect_bool(&fx->fs, "device.beta", true);
	expect_num(&fx->fs, "device.os_major", VT_INT, 16);
	expect_str(&fx->fs, "device.model", "Pixel 9");
}

/* ---- power ---- */

static void test_battery(void **state)
{
	struct fixture *fx = *state;
	size_t len;
	char *t = profile_out("pixel7-a14", "dumpsys battery", &len);
	assert_int_equal(parse_dumpsys_battery(t, len, "dumpsys battery", &fx->fs), 0);
	expect_num(&fx->fs, "battery.level", VT_PERCENT, 78);
	expect_bool(&fx->fs, "battery.charging", true);
	expect_bool(&fx->fs, "battery.plugged", true);
	expect_num(&fx->fs, "battery.temperature", VT_INT, 30);
	expect_raw(&fx->fs, "battery.plugged", "USB powered: true");
	assert_string_equal(facts_get(&fx->fs, "battery.level")->raw, "level: 78");
	free(t);

	/* Samsung appends its own keys (mSavedBatteryMaxTemp: 534 …) */
	facts_release(&fx->fs);
	facts_init(&fx->fs);
	t = corpus(SCENARIOS "/overheating", "dumpsys battery", &len);
	assert_non_null(t);
	assert_int_equal(parse_dumpsys_battery(t, len, "dumpsys battery", &fx->fs), 0);
	expect_num(&fx->fs, "battery.temperature", VT_INT, 44);
	expect_bool(&fx->fs, "battery.plugged", true);
	free(t);

	/* Android 8, discharging at 12% */
	facts_release(&fx->fs);
	facts_init(&fx->fs);
	t = corpus(SCENARIOS "/low-battery", "dumpsys battery", &len);
	assert_non_null(t);
	assert_int_equal(parse_dumpsys_battery(t, len, "dumpsys battery", &fx->fs), 0);
	expect_num(&fx->fs, "battery.level", VT_PERCENT, 12);
	expect_bool(&fx->fs, "battery.charging", false);
	expect_bool(&fx->fs, "battery.plugged", false);
	free(t);

	/* full on the charger counts as charging; scale is honoured */
	static const char full[] = "Current Battery Service state:\n  AC powered: true\n"
				   "  USB powered: false\n  status: 5\n  level: 50\n  scale: 50\n";
	facts_release(&fx->fs);
	facts_init(&fx->fs);
	assert_int_equal(parse_dumpsys_battery(full, sizeof(full) - 1, "dumpsys battery", &fx->fs), 0);
	expect_num(&fx->fs, "battery.level", VT_PERCENT, 100);
	expect_bool(&fx->fs, "battery.charging", true);
}

static void test_power_and_saver(void **state)
{
	struct fixture *fx = *state;
	size_t len;
	char *t = corpus(SCENARIOS "/battery-saver", "settings get global low_power", &len);
	assert_non_null(t);
	assert_int_equal(parse_settings_low_power(t, len, "settings get global low_power", &fx->fs), 0);
	expect_bool(&fx->fs, "power.battery_saver", true);
	free(t);
	/* the setting wins over the dump */
	t = profile_out("galaxy-s23-a14-oneui6", "dumpsys power", &len);
	assert_int_equal(parse_dumpsys_power(t, len, "dumpsys power", &fx->fs), 0);
	expect_bool(&fx->fs, "power.battery_saver", true);
	expect_bool(&fx->fs, "power.battery_low", false);
	free(t);

	/* "null": never set, off */
	facts_release(&fx->fs);
	facts_init(&fx->fs);
	t = profile_out("moto-a8", "settings get global low_power", &len);
	assert_int_equal(parse_settings_low_power(t, len, "s", &fx->fs), 0);
	expect_bool(&fx->fs, "power.battery_saver", false);
	free(t);

	/* Android 8's dump, battery low */
	facts_release(&fx->fs);
	facts_init(&fx->fs);
	t = corpus(SCENARIOS "/low-battery", "dumpsys power", &len);
	assert_non_null(t);
	assert_int_equal(parse_dumpsys_power(t, len, "dumpsys power", &fx->fs), 0);
	expect_bool(&fx->fs, "power.battery_low", true);
	expect_bool(&fx->fs, "power.battery_saver", false);
	expect_raw(&fx->fs, "power.battery_saver", "mLowPowerModeEnabled=false");
	free(t);

	assert_int_equal(parse_settings_low_power("2\n", 2, "s", &fx->fs), -1);
	assert_int_equal(parse_settings_low_power("0\n1\n", 4, "s", &fx->fs), -1);
}

static void test_deviceidle(void **state)
{
	struct fixture *fx = *state;
	size_t len;
	char *t = corpus(SCENARIOS "/doze-idle", "dumpsys deviceidle", &len);
	assert_non_null(t);
	assert_int_equal(parse_dumpsys_deviceidle(t, len, "dumpsys deviceidle", &fx->fs), 0);
	expect_str(&fx->fs, "doze.state", "IDLE");
	expect_bool(&fx->fs, "doze.deep_idle", true);
	expect_raw(&fx->fs, "doze.state", "mState=IDLE mLightState=OVERRIDE");
	free(t);
	facts_release(&fx->fs);
	facts_init(&fx->fs);
	t = profile_out("moto-a8", "dumpsys deviceidle", &len);
	assert_int_equal(parse_dumpsys_deviceidle(t, len, "dumpsys deviceidle", &fx->fs), 0);
	expect_str(&fx->fs, "doze.state", "ACTIVE");
	expect_bool(&fx->fs, "doze.deep_idle", false);
	free(t);

	/* the allow list: "system" and "user" exempt, "system-excidle" does not */
	facts_release(&fx->fs);
	facts_init(&fx->fs);
	static const char wl[] = "system-excidle,com.google.android.apps.photos,10158\n"
				 "system,com.google.android.gms,10086\n"
				 "user,com.microsoft.skydrive,10262\n";
	assert_int_equal(parse_deviceidle_whitelist(&fx->kb, wl, sizeof(wl) - 1, "w", &fx->fs), 0);
	expect_bool(&fx->fs, "app.google_photos.battery_exempt", false);
	expect_bool(&fx->fs, "app.onedrive.battery_exempt", true);
	expect_raw(&fx->fs, "app.onedrive.battery_exempt", "user,com.microsoft.skydrive,10262");
	assert_int_equal(parse_deviceidle_whitelist(&fx->kb, "", 0, "w", &fx->fs), -1);
}

/* ---- network ---- */

static void test_netpolicy(void **state)
{
	struct fixture *fx = *state;
	static const char on[] = "Restrict background status: enabled\n";
	assert_int_equal(parse_netpolicy_restrict(on, sizeof(on) - 1, "n", &fx->fs), 0);
	expect_bool(&fx->fs, "net.data_saver", true);
	struct value v = { 0 };
	value_set_num(&v, VT_INT, 10231);
	facts_set(&fx->fs, "app.google_photos.uid", FACT_KNOWN, &v, "x", NULL, NULL);
	size_t len;
	char *t = corpus(SCENARIOS "/background-data-restricted",
			 "cmd netpolicy list restrict-background-blacklist", &len);
	assert_non_null(t);
	assert_int_equal(parse_netpolicy_uids(&fx->kb, t, len, "b", &fx->fs), 0);
	expect_bool(&fx->fs, "app.google_photos.bg_data_restricted", true);
	expect_note(&fx->fs, "app.onedrive.bg_data_restricted", "uid is not known");
	free(t);
	t = profile_out("galaxy-s23-a14-oneui6", "cmd netpolicy list restrict-background-whitelist", &len);
	assert_int_equal(parse_netpolicy_uids(&fx->kb, t, len, "w", &fx->fs), 0);
	expect_bool(&fx->fs, "app.google_photos.data_saver_exempt", false);
	expect_raw(&fx->fs, "app.google_photos.data_saver_exempt", "whitelisted UIDs: none");
	free(t);
	assert_int_equal(parse_netpolicy_uids(&fx->kb, "Restrict background whitelisted UIDs: 1x\n",
					      41, "w", &fx->fs), -1);
}

static void test_connectivity_versions(void **state)
{
	struct fixture *fx = *state;
	static const char *const profiles[] = {
		"pixel7-a14", "galaxy-s23-a14-oneui6", "redmi-note10-a12-miui13", "pixel3-a9", "moto-a8",
	};
	static const int rssi[] = { -58, -62, -67, -61, -64 };
	for (size_t i = 0; i < 5; i++) {
		size_t len;
		char *t = profile_out(profiles[i], "dumpsys connectivity", &len);
		facts_release(&fx->fs);
		facts_init(&fx->fs);
		if (parse_connectivity(t, len, "dumpsys connectivity", &fx->fs))
			print_error("%s: dumpsys connectivity not understood\n", profiles[i]);
		expect_bool(&fx->fs, "net.connected", true);
		expect_str(&fx->fs, "net.type", "wifi");
		expect_bool(&fx->fs, "net.metered", false);
		expect_bool(&fx->fs, "net.validated", true);
		expect_bool(&fx->fs, "net.vpn", false);
		expect_bool(&fx->fs, "net.proxy", false);
		expect_num(&fx->fs, "net.wifi_rssi", VT_INT, rssi[i]);
		expect_bool(&fx->fs, "net.wifi_weak", false);
		expect_raw(&fx->fs, "net.metered", "Transports: WIFI Capabilities: NOT_METERED&INTERNET");
		free(t);
	}
}

static void test_connectivity_cases(void **state)
{
	struct fixture *fx = *state;
	size_t len;
	char *t = corpus(SCENARIOS "/waiting-for-wifi", "dumpsys connectivity", &len);
	assert_non_null(t);
	assert_int_equal(parse_connectivity(t, len, "c", &fx->fs), 0);
	expect_str(&fx->fs, "net.type", "cellular");
	expect_bool(&fx->fs, "net.metered", true);
	expect_unset(&fx->fs, "net.wifi_rssi");
	free(t);

	facts_release(&fx->fs);
	facts_init(&fx->fs);
	t = corpus(SCENARIOS "/no-network", "dumpsys connectivity", &len);
	assert_non_null(t);
	assert_int_equal(parse_connectivity(t, len, "c", &fx->fs), 0);
	expect_bool(&fx->fs, "net.connected", false);
	expect_str(&fx->fs, "net.type", "none");
	expect_bool(&fx->fs, "net.validated", false);
	assert_string_equal(facts_get(&fx->fs, "net.connected")->raw, "Active default network: none");
	free(t);

	facts_release(&fx->fs);
	facts_init(&fx->fs);
	t = corpus(SCENARIOS "/vpn-or-proxy", "dumpsys connectivity", &len);
	assert_non_null(t);
	assert_int_equal(parse_connectivity(t, len, "c", &fx->fs), 0);
	expect_bool(&fx->fs, "net.vpn", true);
	expect_str(&fx->fs, "net.type", "wifi");
	expect_raw(&fx->fs, "net.vpn", "Transports: VPN");
	free(t);

	/* a Wi-Fi proxy in the network's link properties */
	static const char px[] =
		"Active default network: 100\n\nCurrent Networks:\n"
		"  NetworkAgentInfo{network{100}  handle{1}  ni{WIFI CONNECTED extra: }  lp{{InterfaceName: wlan0 "
		"HttpProxy: [proxy.corp.example] 3128 xl}}  nc{[ Transports: WIFI Capabilities: "
		"NOT_METERED&INTERNET&NOT_VPN&VALIDATED SignalStrength: -83]}}\n";
	facts_release(&fx->fs);
	facts_init(&fx->fs);
	assert_int_equal(parse_connectivity(px, sizeof(px) - 1, "c", &fx->fs), 0);
	expect_bool(&fx->fs, "net.proxy", true);
	expect_str(&fx->fs, "net.proxy_host", "[proxy.corp.example] 3128");
	expect_bool(&fx->fs, "net.wifi_weak", true);

	/* the default network named but not listed: not understood */
	static const char lost[] = "Active default network: 7\n\nCurrent Networks:\n";
	assert_int_equal(parse_connectivity(lost, sizeof(lost) - 1, "c", &fx->fs), -1);
}

static void test_wifi_status(void **state)
{
	struct fixture *fx = *state;
	size_t len;
	char *t = profile_out("redmi-note10-a12-miui13", "cmd wifi status", &len);
	assert_int_equal(parse_wifi_status(t, len, "cmd wifi status", &fx->fs), 0);
	expect_num(&fx->fs, "net.wifi_rssi", VT_INT, -67);
	expect_raw(&fx->fs, "net.wifi_rssi", "RSSI: -67");
	free(t);
	/* Android 11: no ClientModeManager line; weak signal */
	static const char a11[] = "Wifi is enabled\nWifi scanning is always available\n"
				  "Wifi is connected to \"Cafe\"\nWifiInfo: SSID: \"Cafe\", BSSID: 02:00:00:00:00:00, "
				  "Supplicant state: COMPLETED, RSSI: -84, Link speed: 6Mbps\n";
	facts_release(&fx->fs);
	facts_init(&fx->fs);
	assert_int_equal(parse_wifi_status(a11, sizeof(a11) - 1, "w", &fx->fs), 0);
	expect_bool(&fx->fs, "net.wifi_weak", true);
	/* Android 8/9 answer "Unknown command: status": not a status at all */
	t = profile_out("pixel3-a9", "cmd wifi status", &len);
	assert_int_equal(parse_wifi_status(t, len, "w", &fx->fs), -1);
	free(t);
}

/* ---- storage, media ---- */

static void test_df_and_media(void **state)
{
	struct fixture *fx = *state;
	size_t len;
	char *t = profile_out("pixel7-a14", "df /data", &len);
	assert_int_equal(parse_df_data(t, len, "df /data", &fx->fs), 0);
	expect_num(&fx->fs, "storage.total", VT_BYTES, 112884944.0 * 1024);
	expect_num(&fx->fs, "storage.free", VT_BYTES, 51650944.0 * 1024);
	expect_num(&fx->fs, "storage.free_pct", VT_PERCENT, 45.8);
	free(t);
	static const char human[] = "Filesystem      Size  Used Avail Use% Mounted on\n"
				    "/dev/block/dm-9 105G  104G  870M 100% /data\n";
	assert_int_equal(parse_df_data(human, sizeof(human) - 1, "df -h /data", &fx->fs), 0);
	expect_num(&fx->fs, "storage.free", VT_BYTES, 870.0 * 1024 * 1024);

	t = profile_out("pixel7-a14", "content query --uri content://media/external/images/media "
			"--projection _id | tail -n 1", &len);
	assert_int_equal(parse_media_count(t, len, "q", "media.photo_count", &fx->fs), 0);
	expect_num(&fx->fs, "media.photo_count", VT_INT, 8412);
	free(t);
	assert_int_equal(parse_media_count("No result found.\n", 17, "q", "media.video_count", &fx->fs), 0);
	expect_num(&fx->fs, "media.video_count", VT_INT, 0);
	static const char err[] = "Error while accessing provider:media\n";
	assert_int_equal(parse_media_count(err, sizeof(err) - 1, "q", "media.video_count", &fx->fs), -1);
}

/* ---- accounts, management ---- */

static void test_accounts(void **state)
{
	struct fixture *fx = *state;
	size_t len;
	char *t = profile_out("galaxy-s23-a14-oneui6", "dumpsys account", &len);
	assert_int_equal(parse_accounts(&fx->kb, t, len, "dumpsys account", &fx->fs), 0);
	expect_num(&fx->fs, "accounts.google_count", VT_INT, 1);
	const struct value *v = val(&fx->fs, "accounts.types");
	assert_int_equal(v->type, VT_LIST);
	assert_int_equal(v->l.n, 2);
	assert_true(strlist_has(&v->l, "com.osp.app.signin"));
	expect_num(&fx->fs, "app.google_photos.account_count", VT_INT, 1);
	expect_num(&fx->fs, "app.samsung_gallery.account_count", VT_INT, 1);
	expect_num(&fx->fs, "app.onedrive.account_count", VT_INT, 0);
	expect_note(&fx->fs, "app.dropbox.account_count", "which kind of account Dropbox signs in with");
	free(t);
	/* only the owner's accounts count, not the Secure Folder's */
	static const char two[] = "User UserInfo{0:Owner:c13}:\n  Accounts: 0\n\n"
				  "User UserInfo{150:Secure Folder:10061030}:\n  Accounts: 1\n"
				  "    Account {name=x@gmail.com, type=com.google}\n";
	facts_release(&fx->fs);
	facts_init(&fx->fs);
	assert_int_equal(parse_accounts(&fx->kb, two, sizeof(two) - 1, "a", &fx->fs), 0);
	expect_num(&fx->fs, "accounts.google_count", VT_INT, 0);
	expect_num(&fx->fs, "app.google_photos.account_count", VT_INT, 0);
}

static void test_management(void **state)
{
	struct fixture *fx = *state;
	size_t len;
	char *t = profile_out("redmi-note10-a12-miui13", "dumpsys device_policy", &len);
	assert_int_equal(parse_device_policy(t, len, "dumpsys device_policy", &fx->fs), 0);
	expect_bool(&fx->fs, "mdm.device_owner", false);
	expect_bool(&fx->fs, "mdm.enrolled", false);
	free(t);
	t = corpus(SCENARIOS "/mdm-restricted", "dumpsys device_policy", &len);
	assert_non_null(t);
	assert_int_equal(parse_device_policy(t, len, "dumpsys device_policy", &fx->fs), 0);
	expect_bool(&fx->fs, "mdm.device_owner", true);
	expect_bool(&fx->fs, "mdm.enrolled", true);
	expect_str(&fx->fs, "mdm.organization", "com.google.android.apps.work.clouddpc");
	free(t);
	/* a work profile: managed-profile flag 0x20 in 1030 */
	static const char users[] = "Users:\n\tUserInfo{0:Owner:c13} running\n\tUserInfo{10:Work profile:1030} running\n";
	facts_release(&fx->fs);
	facts_init(&fx->fs);
	assert_int_equal(parse_users(users, sizeof(users) - 1, "pm list users", &fx->fs), 0);
	expect_bool(&fx->fs, "mdm.work_profile", true);
	/* Samsung's Secure Folder (10061030) is not a managed profile */
	t = profile_out("galaxy-s23-a14-oneui6", "pm list users", &len);
	facts_release(&fx->fs);
	facts_init(&fx->fs);
	assert_int_equal(parse_users(t, len, "pm list users", &fx->fs), 0);
	expect_bool(&fx->fs, "mdm.work_profile", false);
	free(t);
}

/* ---- per app ---- */

static void test_packages(void **state)
{
	struct fixture *fx = *state;
	size_t len;
	struct android_app_signals sig[16];
	assert_true(fx->kb.napps <= 16);
	for (size_t i = 0; i < 16; i++)
		android_app_signals_init(&sig[i]);
	char *t = profile_out("pixel7-a14", "pm list packages -U", &len);
	assert_int_equal(parse_packages(&fx->kb, t, len, "pm list packages -U", &fx->fs, sig), 0);
	expect_bool(&fx->fs, "app.google_photos.installed", true);
	expect_num(&fx->fs, "app.google_photos.uid", VT_INT, 10158);
	expect_bool(&fx->fs, "app.google_one.installed", true);
	expect_bool(&fx->fs, "app.dropbox.installed", false);
	expect_raw(&fx->fs, "app.google_photos.installed", "package:" GP " uid:10158");
	free(t);
}

static void test_dumpsys_package_versions(void **state)
{
	struct fixture *fx = *state;
	static const struct {
		const char *profile, *version, *access;
		int sdk;
	} want[] = {
		{ "pixel7-a14", "6.83.0.630115247", "granted", 34 },
		{ "galaxy-s23-a14-oneui6", "6.82.0.627348791", "granted", 34 },
		{ "redmi-note10-a12-miui13", "6.81.0.624151045", "granted", 31 },
		{ "pixel3-a9", "4.19.0.253758367", "granted", 28 },
		{ "moto-a8", "4.17.0.247843541", "granted", 26 },
	};
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		size_t len;
		struct android_app_signals sig;
		android_app_signals_init(&sig);
		char *t = profile_out(want[i].profile, "dumpsys package " GP, &len);
		facts_release(&fx->fs);
		facts_init(&fx->fs);
		assert_int_equal(parse_dumpsys_package("google_photos", GP, t, len, "dumpsys package " GP,
						       want[i].sdk, &fx->fs, &sig), 0);
		/* the updated app, not the factory copy under "Hidden system packages:" */
		expect_str(&fx->fs, "app.google_photos.version", want[i].version);
		expect_str(&fx->fs, "app.google_photos.photo_access", want[i].access);
		expect_bool(&fx->fs, "app.google_photos.enabled", true);
		assert_non_null(facts_value(&fx->fs, "app.google_photos.updated"));
		assert_int_equal(sig.not_launched, 0);
		assert_int_equal(sig.stopped, 0);
		assert_int_equal(sig.enabled, 1);
		assert_int_equal(sig.photo_user_granted, 1);
		free(t);
	}
	expect_num(&fx->fs, "app.google_photos.updated", VT_TIMESTAMP, 1713708139); /* 2024-04-21 14:02:19 */
}

static void test_dumpsys_package_cases(void **state)
{
	struct fixture *fx = *state;
	size_t len;
	struct android_app_signals sig;

	android_app_signals_init(&sig);
	char *t = corpus(SCENARIOS "/photo-permission-partial", "dumpsys package " GP, &len);
	assert_non_null(t);
	assert_int_equal(parse_dumpsys_package("google_photos", GP, t, len, "d", 34, &fx->fs, &sig), 0);
	expect_str(&fx->fs, "app.google_photos.photo_access", "partial");
	expect_raw(&fx->fs, "app.google_photos.photo_access", "READ_MEDIA_VISUAL_USER_SELECTED: granted=true");
	free(t);

	android_app_signals_init(&sig);
	t = corpus(SCENARIOS "/photo-permission-denied", "dumpsys package " GP, &len);
	assert_non_null(t);
	assert_int_equal(parse_dumpsys_package("google_photos", GP, t, len, "d", 28, &fx->fs, &sig), 0);
	expect_str(&fx->fs, "app.google_photos.photo_access", "denied");
	expect_raw(&fx->fs, "app.google_photos.photo_access", "USER_FIXED");
	free(t);

	android_app_signals_init(&sig);
	t = corpus(SCENARIOS "/backup-app-missing", "dumpsys package " GP, &len);
	assert_non_null(t);
	assert_int_equal(parse_dumpsys_package("google_photos", GP, t, len, "d", 31, &fx->fs, &sig), 0);
	expect_bool(&fx->fs, "app.google_photos.enabled", false);
	assert_int_equal(sig.enabled, 0);
	const char *why;
	assert_int_equal(android_in_use(&sig, &why), 1);
	free(t);

	/* preinstalled, never opened */
	android_app_signals_init(&sig);
	t = profile_out("pixel7-a14", "dumpsys package com.google.android.apps.subscriptions.red", &len);
	assert_int_equal(parse_dumpsys_package("google_one", "com.google.android.apps.subscriptions.red",
					       t, len, "d", 34, &fx->fs, &sig), 0);
	assert_int_equal(sig.not_launched, 1);
	sig.listed = 1;
	assert_int_equal(android_in_use(&sig, &why), 0);
	assert_non_null(strstr(why, "never opened"));
	free(t);

	/* absent */
	android_app_signals_init(&sig);
	t = profile_out("pixel7-a14", "dumpsys package com.dropbox.android", &len);
	assert_int_equal(parse_dumpsys_package("dropbox", "com.dropbox.android", t, len, "d", 34, &fx->fs,
					       &sig), 0);
	assert_int_equal(sig.known, 0);
	expect_unset(&fx->fs, "app.dropbox.version");
	free(t);
}

static void test_bucket_appops(void **state)
{
	struct fixture *fx = *state;
	size_t len;
	char *t = corpus(SCENARIOS "/app-battery-restricted", "am get-standby-bucket " GP, &len);
	assert_non_null(t);
	assert_int_equal(parse_standby_bucket("google_photos", t, len, "b", &fx->fs), 0);
	expect_num(&fx->fs, "app.google_photos.standby_bucket", VT_INT, 45);
	free(t);
	t = corpus(SCENARIOS "/app-battery-restricted", "cmd appops get " GP " RUN_ANY_IN_BACKGROUND", &len);
	assert_non_null(t);
	assert_int_equal(parse_appops_background("google_photos", t, len, "a", &fx->fs), 0);
	expect_bool(&fx->fs, "app.google_photos.bg_restricted", true);
	free(t);
	t = profile_out("redmi-note10-a12-miui13", "cmd appops get " GP " RUN_ANY_IN_BACKGROUND", &len);
	assert_int_equal(parse_appops_background("google_photos", t, len, "a", &fx->fs), 0);
	expect_bool(&fx->fs, "app.google_photos.bg_restricted", false);
	assert_string_equal(facts_get(&fx->fs, "app.google_photos.bg_restricted")->raw, "No operations.");
	free(t);
	static const char uid_mode[] = "Uid mode: RUN_ANY_IN_BACKGROUND: ignore\nRUN_ANY_IN_BACKGROUND: allow\n";
	assert_int_equal(parse_appops_background("onedrive", uid_mode, sizeof(uid_mode) - 1, "a", &fx->fs), 0);
	expect_bool(&fx->fs, "app.onedrive.bg_restricted", true);
	/* Android 8 has no buckets */
	t = profile_out("moto-a8", "am get-standby-bucket " GP, &len);
	assert_int_equal(parse_standby_bucket("google_photos", t, len, "b", &fx->fs), -1);
	free(t);
}

static void test_jobscheduler(void **state)
{
	struct fixture *fx = *state;
	size_t len;
	struct android_app_signals sig;
	android_app_signals_init(&sig);
	char *t = profile_out("pixel7-a14", "dumpsys jobscheduler " GP, &len);
	assert_int_equal(parse_jobscheduler("google_photos", t, len, "j", &fx->fs, &sig), 0);
	expect_bool(&fx->fs, "app.google_photos.waits_unmetered", false);
	expect_bool(&fx->fs, "app.google_photos.waits_charging", false);
	assert_int_equal(sig.jobs, 3);
	assert_int_equal(sig.network_jobs, 2);
	free(t);

	android_app_signals_init(&sig);
	t = corpus(SCENARIOS "/waiting-for-wifi", "dumpsys jobscheduler " GP, &len);
	assert_non_null(t);
	assert_int_equal(parse_jobscheduler("google_photos", t, len, "j", &fx->fs, &sig), 0);
	expect_bool(&fx->fs, "app.google_photos.waits_unmetered", true);
	expect_raw(&fx->fs, "app.google_photos.waits_unmetered", "Unsatisfied constraints: CONNECTIVITY");
	free(t);

	/* Android 8: no masks, UNMETERED named, network type a number */
	android_app_signals_init(&sig);
	t = corpus(SCENARIOS "/waiting-for-charging", "dumpsys jobscheduler " GP, &len);
	assert_non_null(t);
	assert_int_equal(parse_jobscheduler("google_photos", t, len, "j", &fx->fs, &sig), 0);
	expect_bool(&fx->fs, "app.google_photos.waits_charging", true);
	expect_bool(&fx->fs, "app.google_photos.waits_unmetered", false);
	assert_int_equal(sig.network_jobs, 1);
	free(t);

	/* not installed */
	android_app_signals_init(&sig);
	t = profile_out("moto-a8", "dumpsys jobscheduler com.dropbox.android", &len);
	assert_int_equal(parse_jobscheduler("dropbox", t, len, "j", &fx->fs, &sig), 0);
	expect_unset(&fx->fs, "app.dropbox.waits_unmetered");
	free(t);
}

/* ---- hostile input ---- */

typedef int (*simple_parser)(const char *, size_t, const char *, struct facts *);

static void run_all_parsers(struct fixture *fx, const char *text, size_t len)
{
	static const simple_parser simple[] = {
		parse_getprop, parse_settings_low_power, parse_settings_http_proxy,
		parse_dumpsys_battery, parse_dumpsys_power, parse_dumpsys_deviceidle,
		parse_netpolicy_restrict, parse_connectivity, parse_wifi_status, parse_df_data,
		parse_device_policy, parse_users,
	};
	struct android_app_signals sig[16];
	for (size_t i = 0; i < 16; i++)
		android_app_signals_init(&sig[i]);
	for (size_t i = 0; i < sizeof(simple) / sizeof(simple[0]); i++)
		simple[i](text, len, "x", &fx->fs);
	parse_deviceidle_whitelist(&fx->kb, text, len, "x", &fx->fs);
	parse_netpolicy_uids(&fx->kb, text, len, "x", &fx->fs);
	parse_media_count(text, len, "x", "media.photo_count", &fx->fs);
	parse_accounts(&fx->kb, text, len, "x", &fx->fs);
	parse_packages(&fx->kb, text, len, "x", &fx->fs, sig);
	parse_dumpsys_package("google_photos", GP, text, len, "x", 34, &fx->fs, &sig[0]);
	parse_standby_bucket("google_photos", text, len, "x", &fx->fs);
	parse_appops_background("google_photos", text, len, "x", &fx->fs);
	parse_jobscheduler("google_photos", text, len, "x", &fx->fs, &sig[0]);
	/* whatever was set is valid UTF-8 without control bytes */
	for (size_t i = 0; i < fx->fs.n; i++) {
		const struct fact *f = &fx->fs.v[i];
		const char *strs[] = { f->raw, f->v.type == VT_STRING ? f->v.s : NULL };
		for (size_t k = 0; k < 2; k++)
			for (const unsigned char *p = (const unsigned char *)strs[k]; p && *p; p++)
				assert_true(*p >= 0x20 || *p == '\t' || *p == '\n');
	}
}

static void test_empty_and_garbage(void **state)
{
	struct fixture *fx = *state;
	run_all_parsers(fx, "", 0);
	run_all_parsers(fx, NULL, 0);
	assert_int_equal(fx->fs.n, 0);
	static const char junk[] = "\x01\x02 lorem ipsum\n]]]: [[[\nRow: -3\nmState=\nJOB #\n"
				   "Active default network: 1\nNetworkAgentInfo{nc{Transports:\n"
				   "Package [" GP "] (x):\n    User 0: enabled=99999999999999999999\n"
				   "level: 99999999999999999999999\nFilesystem\nx y z w v /data\n";
	assert_int_equal(parse_dumpsys_battery(junk, sizeof(junk) - 1, "b", &fx->fs), -1);
	assert_int_equal(parse_connectivity(junk, sizeof(junk) - 1, "c", &fx->fs), -1);
	assert_int_equal(parse_df_data(junk, sizeof(junk) - 1, "d", &fx->fs), -1);
	assert_int_equal(parse_media_count(junk, sizeof(junk) - 1, "m", "media.photo_count", &fx->fs), -1);
	assert_int_equal(parse_dumpsys_deviceidle(junk, sizeof(junk) - 1, "i", &fx->fs), -1);
	run_all_parsers(fx, junk, sizeof(junk) - 1);
	expect_unset(&fx->fs, "battery.level");
}

static void test_binary_and_truncated(void **state)
{
	struct fixture *fx = *state;
	/* bytes of every value, NULs included */
	char bin[4096];
	unsigned x = 12345;
	for (size_t i = 0; i < sizeof(bin); i++) {
		x = x * 1103515245u + 12345u;
		bin[i] = (char)(x >> 16);
	}
	run_all_parsers(fx, bin, sizeof(bin));

	/* a real dump cut at every length must never crash; cut mid-line it may say less */
	size_t len;
	char *t = profile_out("pixel7-a14", "dumpsys package " GP, &len);
	for (size_t cut = 0; cut < len; cut += 97) {
		facts_release(&fx->fs);
		facts_init(&fx->fs);
		struct android_app_signals sig;
		android_app_signals_init(&sig);
		char *part = malloc(cut ? cut : 1);
		memcpy(part, t, cut);
		parse_dumpsys_package("google_photos", GP, part, cut, "d", 34, &fx->fs, &sig);
		free(part);
	}
	free(t);
	t = profile_out("galaxy-s23-a14-oneui6", "dumpsys connectivity", &len);
	for (size_t cut = 0; cut < len; cut += 31) {
		char *part = malloc(cut ? cut : 1);
		memcpy(part, t, cut);
		run_all_parsers(fx, part, cut);
		free(part);
	}
	free(t);

	/* a value with invalid UTF-8 and control bytes comes out clean */
	static const char bad[] = "[ro.product.model]: [Pixel\x01\xff\xc3(7]\n";
	facts_release(&fx->fs);
	facts_init(&fx->fs);
	assert_int_equal(parse_getprop(bad, sizeof(bad) - 1, "getprop", &fx->fs), 0);
	expect_str(&fx->fs, "device.model", "Pixel?\?\?(7");
}

static void test_huge(void **state)
{
	struct fixture *fx = *state;
	/* 5 MB of noise around the one line that matters, and one endless line */
	size_t n = 5u << 20;
	char *big = malloc(n);
	assert_non_null(big);
	for (size_t i = 0; i < n; i++)
		big[i] = (i % 80 == 79) ? '\n' : (char)('a' + i % 26);
	static const char tail[] = "\n  mState=IDLE_MAINTENANCE mLightState=ACTIVE\n";
	memcpy(big + n - sizeof(tail), tail, sizeof(tail) - 1);
	big[n - 1] = '\n';
	assert_int_equal(parse_dumpsys_deviceidle(big, n, "i", &fx->fs), 0);
	expect_bool(&fx->fs, "doze.deep_idle", true);
	run_all_parsers(fx, big, n);
	memset(big, 'x', n);
	run_all_parsers(fx, big, n);
	free(big);
}

/* ---- android_parse ---- */

static void test_parse_failed_answers(void **state)
{
	struct fixture *fx = *state;
	struct capture cap;
	load_scenario(&fx->kb, "healthy-a14", &cap);
	/* the connectivity dump timed out, the account dump was cut, df failed */
	for (size_t i = 0; i < cap.nanswers; i++) {
		struct answer *a = &cap.answers[i];
		if (!strcmp(a->query, "dumpsys connectivity"))
			a->status = ANSWER_TIMEOUT;
		else if (!strcmp(a->query, "dumpsys account"))
			a->status = ANSWER_CUT;
		else if (!strcmp(a->query, "df /data")) {
			a->status = ANSWER_FAILED;
			a->error = strdup("device offline");
		} else if (!strcmp(a->query, "dumpsys battery")) {
			/* a format this version does not know */
			a->out[0] = '\0';
			a->out_len = 0;
			free(a->out);
			a->out = strdup("Battery: 50 percent\n");
			a->out_len = strlen(a->out);
		}
	}
	assert_int_equal(android_parse(&fx->kb, &cap, &fx->fs), 0);
	expect_str(&fx->fs, "device.platform", "android");
	expect_str(&fx->fs, "connection.state", "ready");
	expect_note(&fx->fs, "net.type", "dumpsys connectivity: no answer within the deadline (Android 14, SDK 34)");
	expect_note(&fx->fs, "net.vpn", "dumpsys connectivity: no answer");
	expect_note(&fx->fs, "accounts.types", "dumpsys account: the connection ended");
	expect_note(&fx->fs, "app.google_photos.account_count", "dumpsys account");
	expect_note(&fx->fs, "storage.free", "df /data: could not be asked: device offline");
	expect_note(&fx->fs, "battery.level", "dumpsys battery: output not understood on Android 14");
	/* Wi-Fi status still tells the signal */
	expect_num(&fx->fs, "net.wifi_rssi", VT_INT, -58);
	/* and the rest is read */
	expect_bool(&fx->fs, "app.google_photos.in_use", true);
	assert_true(fabs(fx->fs.captured_at - CAPTURED_AT) < 0.5);
	cap_free(&cap);
}

static void test_parse_whole_profiles(void **state)
{
	struct fixture *fx = *state;
	struct capture cap;
	load_scenario(&fx->kb, "healthy-a8", &cap);
	assert_int_equal(android_parse(&fx->kb, &cap, &fx->fs), 0);
	/* Android 8 has no buckets, no RUN_ANY_IN_BACKGROUND and no `cmd wifi status` */
	expect_note(&fx->fs, "app.google_photos.standby_bucket", "not available on Android 8, SDK 26");
	expect_note(&fx->fs, "app.google_photos.bg_restricted", "RUN_ANY_IN_BACKGROUND");
	expect_num(&fx->fs, "net.wifi_rssi", VT_INT, -64);
	expect_bool(&fx->fs, "app.google_photos.in_use", true);
	expect_bool(&fx->fs, "app.dropbox.in_use", false);
	expect_bool(&fx->fs, "mdm.backup_blocked", false);
	expect_num(&fx->fs, "media.photo_count", VT_INT, 2310);
	const struct fact *f = facts_get(&fx->fs, "battery.level");
	assert_string_equal(f->source, "dumpsys battery");
	assert_string_equal(f->raw, "level: 64");
	cap_free(&cap);

	facts_release(&fx->fs);
	facts_init(&fx->fs);
	load_scenario(&fx->kb, "healthy-samsung", &cap);
	assert_int_equal(android_parse(&fx->kb, &cap, &fx->fs), 0);
	expect_bool(&fx->fs, "app.google_photos.in_use", true);
	expect_bool(&fx->fs, "app.onedrive.in_use", false);
	/* the Gallery is opened every day, but no sign of its cloud sync */
	expect_note(&fx->fs, "app.samsung_gallery.in_use", "no upload work scheduled");
	expect_bool(&fx->fs, "app.google_photos.battery_exempt", false);
	expect_bool(&fx->fs, "app.google_photos.data_saver_exempt", false);
	cap_free(&cap);
}

static void test_parse_unauthorized(void **state)
{
	struct fixture *fx = *state;
	struct capture cap;
	load_scenario(&fx->kb, "adb-unauthorized", &cap);
	assert_int_equal(cap.nanswers, 0);
	assert_int_equal(android_parse(&fx->kb, &cap, &fx->fs), 0);
	expect_str(&fx->fs, "connection.state", "unauthorized");
	expect_str(&fx->fs, "device.model", "Pixel 7");
	expect_note(&fx->fs, "battery.level", "the phone could not be read: adb reports it unauthorized");
	expect_note(&fx->fs, "app.google_photos.in_use", "could not be read");
	cap_free(&cap);
}

/* ---- every scenario, end to end ---- */

static void test_scenarios(void **state)
{
	struct fixture *fx = *state;
	struct unit_names names = { 0 };
	assert_int_equal(unit_list_dir(SCENARIOS, "", 1, &names), 0);
	assert_true(names.n >= 20);
	int bad = 0;
	for (size_t i = 0; i < names.n; i++) {
		const char *name = names.v[i];
		struct capture cap;
		struct facts fs;
		struct diagnosis dg;
		facts_init(&fs);
		load_scenario(&fx->kb, name, &cap);
		android_parse(&fx->kb, &cap, &fs);
		diagnose(&fx->kb, &fs, &dg);
		bool healthy = !strncmp(name, "healthy-", 8);
		const char *top = dg.nfindings ? dg.findings[0].rule->id : "(none)";
		bool ok = healthy ? dg.nfindings == 0
				  : dg.nfindings && dg.findings[0].status == FINDING_CONFIRMED
					    && !strcmp(top, name);
		if (!ok) {
			bad++;
			print_error("scenario %s: top finding %s%s\n", name, top,
				    dg.nfindings ? (dg.findings[0].status == FINDING_CONFIRMED ? " (confirmed)"
											: " (possible)")
						 : "");
			for (size_t k = 0; k < dg.nfindings && k < 6; k++)
				print_error("    %s %s%s%s score %d\n", finding_status_name(dg.findings[k].status),
					    dg.findings[k].rule->id, dg.findings[k].app ? ":" : "",
					    dg.findings[k].app ? dg.findings[k].app->id : "", dg.findings[k].score);
		}
		diagnosis_release(&dg);
		facts_release(&fs);
		cap_free(&cap);
	}
	unit_names_release(&names);
	assert_int_equal(bad, 0);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	if (unit_chdir_srcdir())
		return 1;
	const struct CMUnitTest tests[] = {
		T(test_getprop_versions),
		T(test_getprop_beta_and_multiline),
		T(test_battery),
		T(test_power_and_saver),
		T(test_deviceidle),
		T(test_netpolicy),
		T(test_connectivity_versions),
		T(test_connectivity_cases),
		T(test_wifi_status),
		T(test_df_and_media),
		T(test_accounts),
		T(test_management),
		T(test_packages),
		T(test_dumpsys_package_versions),
		T(test_dumpsys_package_cases),
		T(test_bucket_appops),
		T(test_jobscheduler),
		T(test_empty_and_garbage),
		T(test_binary_and_truncated),
		T(test_huge),
		T(test_parse_failed_answers),
		T(test_parse_whole_profiles),
		T(test_parse_unauthorized),
		T(test_scenarios),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

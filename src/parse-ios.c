/*
 * parse-ios.c - the facts an iOS capture tells.  The probe (ios.c) stores
 * every lockdown domain and service reply as XML property-list text; here
 * each is parsed again with libplist and mapped onto the fact vocabulary
 * of rules/facts.rules.  Pure: no I/O, no globals.
 *
 * What an iPhone cannot tell over USB (Low Power Mode, whether a VPN is
 * connected, a proxy typed in by hand) is never guessed as false: the fact
 * stays unknown, with a note, and the rules ask the person.  A reply that
 * failed, timed out or cannot be parsed makes its facts unknown with a
 * note naming the query; it never stops the other parsers.  The device
 * log, when one was read (scan --log-seconds), tells only what it says
 * outright: a line saying so makes a log.* fact true or false, silence
 * leaves it unknown.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <plist/plist.h>

#include "parse-ios.h"
#include "value.h"
#include "xalloc.h"
#include "banned.h"

/* Seconds from the Unix epoch to Apple's (2001-01-01T00:00:00Z). */
#define APPLE_EPOCH 978307200.0
/* Anything bigger is not a lockdown answer; libplist takes 32-bit lengths. */
#define MAX_ANSWER (64u << 20)

/*
 * No table of marketing names here: the parser is pure and records the
 * code the phone gave (device.product_type, and device.model until named);
 * probe_facts names it from rules/models.txt (devrec_name_model).
 */

/* ---- reading the stored answers back ---- */

/*
 * The answer to `query` as a property list.  NULL when it was not asked
 * (*why NULL) or could not be read (*why says why, caller frees).
 */
static plist_t answer_plist(const struct capture *cap, const char *query, const char *label,
			    char **why)
{
	*why = NULL;
	const struct answer *a = capture_find(cap, query);
	if (!a)
		return NULL;
	if (a->status != ANSWER_OK) {
		if (a->status == ANSWER_TIMEOUT)
			*why = xasprintf("%s: %s", label, a->error ? a->error : "no answer before the deadline");
		else
			*why = xasprintf("%s: %s", label, a->error ? a->error : answer_status_name(a->status));
		return NULL;
	}
	if (!a->out || !a->out_len) {
		*why = xasprintf("%s answered nothing", label);
		return NULL;
	}
	if (a->out_len > MAX_ANSWER) {
		*why = xasprintf("%s: the answer is too large to be read (%zu bytes)", label, a->out_len);
		return NULL;
	}
	plist_t p = NULL;
	if (a->out_len >= 8 && !memcmp(a->out, "bplist00", 8))
		plist_from_bin(a->out, (uint32_t)a->out_len, &p);
	else
		plist_from_xml(a->out, (uint32_t)a->out_len, &p);
	if (!p)
		*why = xasprintf("%s: the answer is not a property list (%zu bytes)", label, a->out_len);
	return p;
}

static plist_t dict_get(plist_t d, const char *key)
{
	if (!d || plist_get_node_type(d) != PLIST_DICT)
		return NULL;
	return plist_dict_get_item(d, key);
}

static const char *node_str(plist_t n)
{
	if (!n || plist_get_node_type(n) != PLIST_STRING)
		return NULL;
	return plist_get_string_ptr(n, NULL);
}

/* Integers come back unsigned from libplist 2.2: negative ones go through int64_t. */
static bool node_int(plist_t n, int64_t *out)
{
	if (!n)
		return false;
	switch (plist_get_node_type(n)) {
	case PLIST_UINT: {
		uint64_t u = 0;
		plist_get_uint_val(n, &u);
		*out = (int64_t)u;
		return true;
	}
	case PLIST_REAL: {
		double d = 0;
		plist_get_real_val(n, &d);
		if (!isfinite(d) || fabs(d) > 9e18)
			return false;
		*out = (int64_t)d;
		return true;
	}
	default:
		return false;
	}
}

/* A switch: a plist bool, or (as some domains store them) the integers 0 and 1. */
static bool node_bool(plist_t n, bool *out)
{
	if (!n)
		return false;
	if (plist_get_node_type(n) == PLIST_BOOLEAN) {
		uint8_t b = 0;
		plist_get_bool_val(n, &b);
		*out = b != 0;
		return true;
	}
	int64_t v;
	if (plist_get_node_type(n) == PLIST_UINT && node_int(n, &v) && (v == 0 || v == 1)) {
		*out = v == 1;
		return true;
	}
	return false;
}

/* A point in time: a plist date, or seconds since 2001 as a number.  Unix seconds out. */
static bool node_time(plist_t n, double *out)
{
	if (!n)
		return false;
	if (plist_get_node_type(n) == PLIST_DATE) {
		int32_t sec = 0, usec = 0;
		plist_get_date_val(n, &sec, &usec);
		*out = (double)sec + APPLE_EPOCH;
		return true;
	}
	int64_t v;
	if (!node_int(n, &v) || v <= 0)
		return false;
	*out = (double)v + APPLE_EPOCH;
	return true;
}

/* The value as text, for provenance: "true", "-480", "16.6", an ISO date. */
static char *node_text(plist_t n)
{
	if (!n)
		return xstrdup("");
	int64_t v;
	bool b;
	double t;
	switch (plist_get_node_type(n)) {
	case PLIST_BOOLEAN:
		node_bool(n, &b);
		return xstrdup(b ? "true" : "false");
	case PLIST_UINT:
		node_int(n, &v);
		return xasprintf("%lld", (long long)v);
	case PLIST_REAL: {
		double d = 0;
		plist_get_real_val(n, &d);
		return xasprintf("%g", d);
	}
	case PLIST_STRING:
		return xstrdup(node_str(n));
	case PLIST_DATE:
		node_time(n, &t);
		return timestamp_format_iso(t);
	case PLIST_DICT:
		return xasprintf("(a dictionary of %u keys)", plist_dict_get_size(n));
	case PLIST_ARRAY:
		return xasprintf("(a list of %u items)", plist_array_get_size(n));
	default:
		return xstrdup("(data)");
	}
}

/* ---- recording facts ---- */

static void put_bool(struct facts *fs, const char *name, bool b, const char *source,
		     const char *raw)
{
	struct value v = { 0 };
	value_set_bool(&v, b);
	facts_set(fs, name, FACT_KNOWN, &v, source, raw, NULL);
	value_release(&v);
}

static void put_num(struct facts *fs, const char *name, enum vtype t, double n,
		    const char *source, const char *raw)
{
	struct value v = { 0 };
	value_set_num(&v, t, n);
	facts_set(fs, name, FACT_KNOWN, &v, source, raw, NULL);
	value_release(&v);
}

static void put_str(struct facts *fs, const char *name, const char *s, const char *source,
		    const char *raw)
{
	struct value v = { 0 };
	value_set_str(&v, s);
	facts_set(fs, name, FACT_KNOWN, &v, source, raw, NULL);
	value_release(&v);
}

/* Unknown, unless something already told it (a second source must not erase the first). */
static void put_unknown(struct facts *fs, const char *name, const char *note)
{
	const struct fact *f = facts_get(fs, name);
	if (f && f->state != FACT_UNKNOWN)
		return;
	facts_set_unknown(fs, name, note);
}

/* One key of a lockdown domain as a fact; the source names domain and key. */
struct keyread {
	struct facts *fs;
	plist_t dict;
	const char *domain;	/* "com.apple.disk_usage", or NULL for the root */
};

static char *key_source(const struct keyread *k, const char *key)
{
	return k->domain ? xasprintf("lockdown %s %s", k->domain, key) : xasprintf("lockdown %s", key);
}

/* A key the domain lacks, or holds with the wrong type: the fact is unknown, saying which. */
static void key_unknown(const struct keyread *k, const char *fact, const char *key, plist_t n)
{
	char *why = n ? xasprintf("lockdown %s%s%s holds an unexpected value", k->domain ? k->domain : "",
				  k->domain ? " " : "", key)
		      : xasprintf("lockdown %s%s%s is not set", k->domain ? k->domain : "",
				  k->domain ? " " : "", key);
	put_unknown(k->fs, fact, why);
	free(why);
}

static bool key_bool(const struct keyread *k, const char *fact, const char *key)
{
	plist_t n = dict_get(k->dict, key);
	bool b;
	if (!node_bool(n, &b)) {
		key_unknown(k, fact, key, n);
		return false;
	}
	char *src = key_source(k, key), *raw = node_text(n);
	put_bool(k->fs, fact, b, src, raw);
	free(src);
	free(raw);
	return true;
}

/* ---- the parts of a capture ---- */

static void parse_platform(const struct capture *cap, struct facts *fs)
{
	const char *ct = capture_device(cap, "ConnectionType");
	const char *pid = capture_device(cap, "ProductID");
	char *raw = ct || pid ? xasprintf("ConnectionType: %s%s%s", ct ? ct : "?", pid ? ", ProductID: " : "",
					  pid ? pid : "")
			      : NULL;
	put_str(fs, "device.platform", "ios", "usbmuxd ListDevices", raw);
	free(raw);
}

/*
 * Identity for the shop log: serial, IMEI(s), the phone's name, activation
 * state.  Personal data: facts only, with no raw excerpt repeating them,
 * and never quoted by a rule (redaction is the reports' business).  Out of
 * a session the root domain holds only the public keys.
 */
static void parse_shop_identity(const struct capture *cap, plist_t root, const char *why, struct facts *fs)
{
	static const struct {
		const char *fact, *key;
		bool personal;
	} ids[] = {
		{ "device.serial", "SerialNumber", true },
		{ "device.imei", "InternationalMobileEquipmentIdentity", true },
		{ "device.name", "DeviceName", true },
		{ "device.activation_state", "ActivationState", false },
	};
	const struct answer *sa = capture_find(cap, "lockdown:StartSession");
	bool session = sa && sa->status == ANSWER_OK;
	bool cellular = true;
	node_bool(dict_get(root, "TelephonyCapability"), &cellular);
	struct keyread k = { fs, root, NULL };
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		plist_t n = dict_get(root, ids[i].key);
		const char *v = node_str(n);
		if (v && *v) {
			char *src = xasprintf("lockdown %s", ids[i].key);
			put_str(fs, ids[i].fact, v, src, ids[i].personal ? NULL : v);
			free(src);
		} else if (!root) {
			if (why)
				put_unknown(fs, ids[i].fact, why);
		} else if (!n && !session && strcmp(ids[i].key, "DeviceName") && strcmp(ids[i].key, "ActivationState")) {
			char *note = xasprintf("lockdown %s is given only in a paired session, and the phone did not "
					       "open one", ids[i].key);
			put_unknown(fs, ids[i].fact, note);
			free(note);
		} else if (!n && !cellular && !strcmp(ids[i].fact, "device.imei")) {
			put_unknown(fs, ids[i].fact, "no cellular hardware (lockdown TelephonyCapability false): no IMEI");
		} else {
			key_unknown(&k, ids[i].fact, ids[i].key, n);
		}
	}
	/* a second IMEI (dual SIM / eSIM) only where the phone has one */
	const char *imei2 = node_str(dict_get(root, "InternationalMobileEquipmentIdentity2"));
	if (imei2 && *imei2)
		put_str(fs, "device.imei2", imei2, "lockdown InternationalMobileEquipmentIdentity2", NULL);

	/* Find My (Activation Lock) */
	char *fwhy = NULL;
	plist_t fmip = answer_plist(cap, "lockdown:com.apple.fmip", "lockdown com.apple.fmip", &fwhy);
	if (fmip) {
		struct keyread kf = { fs, fmip, "com.apple.fmip" };
		key_bool(&kf, "device.find_my", "IsAssociated");
	} else if (fwhy) {
		put_unknown(fs, "device.find_my", fwhy);
	}
	plist_free(fmip);
	free(fwhy);
}

/* device.*: from the root domain (in or out of a session), else from the listing. */
static void parse_identity(const struct capture *cap, struct facts *fs)
{
	char *why = NULL;
	plist_t root = answer_plist(cap, "lockdown:", "lockdown (root domain)", &why);
	struct keyread k = { fs, root, NULL };
	const char *type = node_str(dict_get(root, "ProductType"));
	const char *type_src = "lockdown ProductType";
	if (!type && (type = capture_device(cap, "ProductType")))
		type_src = "usbmuxd ListDevices ProductType";
	if (type) {
		put_str(fs, "device.product_type", type, type_src, type);
		put_str(fs, "device.model", type, type_src, type);
		const char *cls = node_str(dict_get(root, "DeviceClass"));
		put_str(fs, "device.manufacturer", "Apple", cls ? "lockdown DeviceClass" : type_src,
			cls ? cls : type);
	} else {
		put_unknown(fs, "device.product_type", why ? why : "lockdown ProductType was not read");
		put_unknown(fs, "device.model", why ? why : "lockdown ProductType was not read");
	}

	/*
	 * Colour: DeviceColor is the front, DeviceEnclosureColor the back (not
	 * on every model).  The values are as the phone gives them: a name
	 * ("black", "white") on old models, a number ("1") or an HTML colour
	 * ("#e1e4e3") on later ones; the back is what people call the colour.
	 */
	const char *ckeys[] = { "DeviceEnclosureColor", "DeviceColor" };
	bool have_color = false;
	for (size_t i = 0; i < 2 && !have_color; i++) {
		const char *c = node_str(dict_get(root, ckeys[i]));
		if (c && *c) {
			char *src = xasprintf("lockdown %s", ckeys[i]);
			put_str(fs, "device.color", c, src, c);
			free(src);
			have_color = true;
		}
	}
	if (!have_color && root)
		put_unknown(fs, "device.color", "lockdown gave neither DeviceEnclosureColor nor DeviceColor");
	else if (!have_color && why)
		put_unknown(fs, "device.color", why);

	plist_t pv = dict_get(root, "ProductVersion");
	const char *ver = node_str(pv);
	if (ver) {
		put_str(fs, "device.os_version", ver, "lockdown ProductVersion", ver);
		char *end;
		long major = strtol(ver, &end, 10);
		if (end != ver && major > 0 && major < 1000)
			put_num(fs, "device.os_major", VT_INT, (double)major, "lockdown ProductVersion", ver);
		else
			put_unknown(fs, "device.os_major", "lockdown ProductVersion does not start with a number");
	} else if (root) {
		key_unknown(&k, "device.os_version", "ProductVersion", pv);
		key_unknown(&k, "device.os_major", "ProductVersion", pv);
	} else if (why) {
		put_unknown(fs, "device.os_version", why);
		put_unknown(fs, "device.os_major", why);
	}

	plist_t bv = dict_get(root, "BuildVersion");
	const char *build = node_str(bv);
	if (build && *build) {
		put_str(fs, "device.build", build, "lockdown BuildVersion", build);
		char last = build[strlen(build) - 1];
		/* a seed build ends in a lower-case letter: 21A5248v */
		put_bool(fs, "device.beta", last >= 'a' && last <= 'z', "lockdown BuildVersion", build);
	} else if (root) {
		key_unknown(&k, "device.build", "BuildVersion", bv);
		key_unknown(&k, "device.beta", "BuildVersion", bv);
	} else if (why) {
		put_unknown(fs, "device.build", why);
		put_unknown(fs, "device.beta", why);
	}
	parse_shop_identity(cap, root, why, fs);
	plist_free(root);
	free(why);
}

/* "lockdown: PairingDialogResponsePending (-19)" -> "-19 PairingDialogResponsePending" */
static char *session_error(const char *err)
{
	const char *p = strncmp(err, "lockdown: ", 10) ? err : err + 10;
	const char *open = strrchr(p, '(');
	char *end;
	long code = open ? strtol(open + 1, &end, 10) : 0;
	if (!open || end == open + 1 || *end != ')')
		return xstrdup(p);
	size_t n = (size_t)(open - p);
	while (n && p[n - 1] == ' ')
		n--;
	return xasprintf("%ld %.*s", code, (int)n, p);
}

static void parse_connection(const struct capture *cap, struct facts *fs)
{
	const struct answer *a = capture_find(cap, "lockdown:StartSession");
	if (cap->device_state) {
		const char *raw = "state from the device listing";
		if (a && a->status == ANSWER_OK)
			raw = "session started (paired host)";
		else if (a && a->error)
			raw = a->error;
		put_str(fs, "connection.state", cap->device_state,
			!a ? "usbmuxd ListDevices" : a->status == ANSWER_OK ? "lockdownd StartSession"
			   : "lockdownd_client_new_with_handshake", raw);
	}
	if (a && a->status != ANSWER_OK) {
		char *e = a->error ? session_error(a->error) : xstrdup(answer_status_name(a->status));
		put_str(fs, "connection.error", e, "lockdownd_client_new_with_handshake",
			a->error ? a->error : e);
		free(e);
	}
}

/* The IORegistry entry of the battery: {IORegistry: {...}} or the relay's whole reply. */
static plist_t ioreg_entry(plist_t diag)
{
	plist_t io = dict_get(diag, "IORegistry");
	if (!io)
		io = dict_get(dict_get(diag, "Diagnostics"), "IORegistry");
	return io && plist_get_node_type(io) == PLIST_DICT ? io : NULL;
}

/*
 * A key of the battery entry: at its top, else inside BatteryData (newer
 * entries nest some of them).  *where names it for the provenance.
 */
static plist_t io_find(plist_t io, const char *key, const char **where)
{
	plist_t n = dict_get(io, key);
	*where = "";
	if (!n && (n = dict_get(dict_get(io, "BatteryData"), key)))
		*where = "BatteryData ";
	return n;
}

/* mAh and cycles: not negative, and far below a million for any phone or tablet. */
static bool io_count(plist_t n, int64_t *out)
{
	return node_int(n, out) && *out >= 0 && *out < 1000000;
}

/*
 * Battery health for the shop log, as Settings > Battery > Battery Health
 * shows "Maximum Capacity": the full-charge capacity the gauge estimates
 * (NominalChargeCapacity, else AppleRawMaxCapacity) over the design
 * capacity, rounded to a whole percent and capped at 100 %.  Apple does
 * not publish the formula; this is the estimate public tools use, and the
 * provenance names the raw values.
 */
static void parse_battery_health(plist_t io, const char *dwhy, struct facts *fs)
{
	static const char *const facts[] = { "battery.cycle_count", "battery.design_capacity",
					     "battery.full_capacity", "battery.health_pct" };
	const char *iosrc = "diagnostics IORegistry IOPMPowerSource";
	if (!io) {
		for (size_t i = 0; dwhy && i < 4; i++)
			put_unknown(fs, facts[i], dwhy);
		return;
	}
	int64_t cycles = 0, design = 0, full = 0;
	const char *where;
	plist_t n = io_find(io, "CycleCount", &where);
	if (io_count(n, &cycles)) {
		char *src = xasprintf("%s %sCycleCount", iosrc, where);
		char *raw = xasprintf("%lld", (long long)cycles);
		put_num(fs, "battery.cycle_count", VT_INT, (double)cycles, src, raw);
		free(src);
		free(raw);
	} else {
		put_unknown(fs, "battery.cycle_count", n
				? "diagnostics IORegistry CycleCount holds an unexpected value"
				: "diagnostics IORegistry IOPMPowerSource has no CycleCount");
	}

	const char *dwhere;
	n = io_find(io, "DesignCapacity", &dwhere);
	bool have_design = io_count(n, &design) && design > 0;
	if (have_design) {
		char *src = xasprintf("%s %sDesignCapacity", iosrc, dwhere);
		char *raw = xasprintf("%lld", (long long)design);
		put_num(fs, "battery.design_capacity", VT_INT, (double)design, src, raw);
		free(src);
		free(raw);
	} else {
		put_unknown(fs, "battery.design_capacity", n
				? "diagnostics IORegistry DesignCapacity holds an unexpected value"
				: "diagnostics IORegistry IOPMPowerSource has no DesignCapacity");
	}

	/* the gauge's full-charge estimate: NominalChargeCapacity, else AppleRawMaxCapacity */
	const char *fkey = "NominalChargeCapacity", *fwhere;
	bool have_full = io_count(io_find(io, fkey, &fwhere), &full) && full > 0;
	if (!have_full) {
		fkey = "AppleRawMaxCapacity";
		have_full = io_count(io_find(io, fkey, &fwhere), &full) && full > 0;
	}
	if (have_full) {
		char *src = xasprintf("%s %s%s", iosrc, fwhere, fkey);
		char *raw = xasprintf("%lld", (long long)full);
		put_num(fs, "battery.full_capacity", VT_INT, (double)full, src, raw);
		free(src);
		free(raw);
	} else {
		put_unknown(fs, "battery.full_capacity", "diagnostics IORegistry IOPMPowerSource has no usable "
				"NominalChargeCapacity or AppleRawMaxCapacity");
	}

	if (!have_full || !have_design) {
		put_unknown(fs, "battery.health_pct", !have_design
			    ? "the battery's design capacity was not read (diagnostics IORegistry DesignCapacity)"
			    : "the battery's full-charge capacity was not read (diagnostics IORegistry "
			      "NominalChargeCapacity, AppleRawMaxCapacity)");
		return;
	}
	double ratio = 100.0 * (double)full / (double)design;
	double pct = round(ratio);
	char *note;
	if (pct > 100) {
		pct = 100;
		note = xasprintf("capped at 100%% as Settings shows it (the ratio is %.1f%%); Apple does not "
				 "publish how Settings computes Maximum Capacity: this is the usual estimate", ratio);
	} else {
		note = xstrdup("Apple does not publish how Settings computes Maximum Capacity: this is the "
			       "usual estimate, full-charge over design capacity, rounded, at most 100%");
	}
	char *src = xasprintf("%s %s%s / %sDesignCapacity", iosrc, fwhere, fkey, dwhere);
	char *raw = xasprintf("%s %lld / DesignCapacity %lld", fkey, (long long)full, (long long)design);
	struct value v = { 0 };
	value_set_num(&v, VT_PERCENT, pct);
	facts_set(fs, "battery.health_pct", FACT_KNOWN, &v, src, raw, note);
	value_release(&v);
	free(src);
	free(raw);
	free(note);
}

static void parse_battery(const struct capture *cap, struct facts *fs)
{
	char *why = NULL, *dwhy = NULL;
	plist_t bat = answer_plist(cap, "lockdown:com.apple.mobile.battery",
				   "lockdown com.apple.mobile.battery", &why);
	plist_t diag = answer_plist(cap, "diagnostics:IOPMPowerSource",
				    "diagnostics IORegistry IOPMPowerSource", &dwhy);
	plist_t io = ioreg_entry(diag);
	if (diag && !io && !dwhy)
		dwhy = xstrdup("diagnostics IORegistry IOPMPowerSource: the reply holds no IORegistry entry");
	struct keyread k = { fs, bat, "com.apple.mobile.battery" };
	const char *iosrc = "diagnostics IORegistry IOPMPowerSource";

	/* level: the domain's percentage, else the registry's CurrentCapacity of MaxCapacity */
	int64_t lvl, cur, max;
	plist_t n = dict_get(bat, "BatteryCurrentCapacity");
	if (node_int(n, &lvl) && lvl >= 0 && lvl <= 100) {
		char *raw = node_text(n);
		put_num(fs, "battery.level", VT_PERCENT, (double)lvl,
			"lockdown com.apple.mobile.battery BatteryCurrentCapacity", raw);
		free(raw);
	} else if (node_int(dict_get(io, "CurrentCapacity"), &cur) &&
		   node_int(dict_get(io, "MaxCapacity"), &max) && max > 0 && cur >= 0 && cur <= max) {
		char *raw = xasprintf("CurrentCapacity %lld, MaxCapacity %lld", (long long)cur, (long long)max);
		char *src = xasprintf("%s CurrentCapacity / MaxCapacity", iosrc);
		put_num(fs, "battery.level", VT_PERCENT, round(100.0 * (double)cur / (double)max), src, raw);
		free(src);
		free(raw);
	} else if (bat) {
		key_unknown(&k, "battery.level", "BatteryCurrentCapacity", n);
	} else if (why) {
		put_unknown(fs, "battery.level", why);
	}

	/* plugged: ExternalConnected, in the domain or the registry */
	bool plugged = false, have_plugged = false;
	n = dict_get(bat, "ExternalConnected");
	if (node_bool(n, &plugged)) {
		have_plugged = true;
		char *raw = node_text(n);
		put_bool(fs, "battery.plugged", plugged,
			 "lockdown com.apple.mobile.battery ExternalConnected", raw);
		free(raw);
	} else if (node_bool(dict_get(io, "ExternalConnected"), &plugged)) {
		have_plugged = true;
		char *src = xasprintf("%s ExternalConnected", iosrc);
		put_bool(fs, "battery.plugged", plugged, src, plugged ? "true" : "false");
		free(src);
	} else if (bat) {
		key_unknown(&k, "battery.plugged", "ExternalConnected", n);
	} else if (why) {
		put_unknown(fs, "battery.plugged", why);
	}

	/* charging, "or full on the charger": BatteryIsCharging, or FullyCharged while plugged */
	bool charging = false, full = false;
	n = dict_get(bat, "BatteryIsCharging");
	plist_t nf = dict_get(bat, "FullyCharged");
	const char *csrc = "lockdown com.apple.mobile.battery BatteryIsCharging";
	bool have = node_bool(n, &charging);
	if (!have && node_bool(dict_get(io, "IsCharging"), &charging)) {
		have = true;
		n = dict_get(io, "IsCharging");
		nf = dict_get(io, "FullyCharged");
		csrc = "diagnostics IORegistry IOPMPowerSource IsCharging";
	}
	if (have) {
		char *raw = node_text(n);
		if (!charging && have_plugged && plugged && node_bool(nf, &full) && full) {
			charging = true;
			free(raw);
			raw = xstrdup("not charging, FullyCharged true, on the charger");
		}
		put_bool(fs, "battery.charging", charging, csrc, raw);
		free(raw);
	} else if (bat) {
		key_unknown(&k, "battery.charging", "BatteryIsCharging", n);
	} else if (why) {
		put_unknown(fs, "battery.charging", why);
	}

	/* temperature in hundredths of a degree; whole degrees out */
	int64_t t;
	n = dict_get(io, "Temperature");
	if (node_int(n, &t) && t > -5000 && t < 15000) {
		char *raw = node_text(n);
		char *src = xasprintf("%s Temperature", iosrc);
		put_num(fs, "battery.temperature", VT_INT, floor((double)t / 100.0), src, raw);
		free(src);
		free(raw);
	} else if (io) {
		put_unknown(fs, "battery.temperature", n ? "diagnostics IORegistry Temperature holds an unexpected value"
							 : "diagnostics IORegistry IOPMPowerSource has no Temperature");
	} else if (dwhy) {
		put_unknown(fs, "battery.temperature", dwhy);
	}

	/* the system's own critical flag; not being critical does not mean not low */
	bool crit;
	if (node_bool(dict_get(io, "AtCriticalLevel"), &crit) && crit) {
		char *src = xasprintf("%s AtCriticalLevel", iosrc);
		put_bool(fs, "power.battery_low", true, src, "true");
		free(src);
	}
	parse_battery_health(io, dwhy, fs);
	plist_free(bat);
	plist_free(diag);
	free(why);
	free(dwhy);
}

static void parse_storage(const struct capture *cap, struct facts *fs)
{
	char *why = NULL;
	const char *dom = "com.apple.disk_usage";
	plist_t du = answer_plist(cap, "lockdown:com.apple.disk_usage", "lockdown com.apple.disk_usage", &why);
	if (!du) {
		if (why) {
			put_unknown(fs, "storage.total", why);
			put_unknown(fs, "storage.free", why);
			put_unknown(fs, "storage.free_pct", why);
		}
		free(why);
		return;
	}
	struct keyread k = { fs, du, dom };
	int64_t total = -1, avail = -1;
	plist_t nt = dict_get(du, "TotalDiskCapacity");
	plist_t na = dict_get(du, "AmountDataAvailable");
	if (node_int(nt, &total) && total > 0) {
		char *raw = node_text(nt);
		put_num(fs, "storage.total", VT_BYTES, (double)total, "lockdown com.apple.disk_usage TotalDiskCapacity", raw);
		free(raw);
	} else {
		total = -1;
		key_unknown(&k, "storage.total", "TotalDiskCapacity", nt);
	}
	/* AmountDataAvailable is the truly free space; Settings may show more (purgeable) */
	if (node_int(na, &avail) && avail >= 0) {
		char *raw = node_text(na);
		put_num(fs, "storage.free", VT_BYTES, (double)avail, "lockdown com.apple.disk_usage AmountDataAvailable", raw);
		free(raw);
	} else {
		avail = -1;
		key_unknown(&k, "storage.free", "AmountDataAvailable", na);
	}
	if (total > 0 && avail >= 0 && avail <= total) {
		char *raw = xasprintf("%lld / %lld", (long long)avail, (long long)total);
		double pct = round(1000.0 * (double)avail / (double)total) / 10.0;
		put_num(fs, "storage.free_pct", VT_PERCENT, pct,
			"lockdown com.apple.disk_usage AmountDataAvailable / TotalDiskCapacity", raw);
		free(raw);
	} else {
		put_unknown(fs, "storage.free_pct", total > 0 && avail > total
				? "lockdown com.apple.disk_usage: more space free than the disk holds"
				: "lockdown com.apple.disk_usage: size or free space not read");
	}
	plist_free(du);
	free(why);
}

static void parse_backup(const struct capture *cap, struct facts *fs)
{
	char *why = NULL;
	plist_t b = answer_plist(cap, "lockdown:com.apple.mobile.backup", "lockdown com.apple.mobile.backup", &why);
	if (!b) {
		if (why) {
			put_unknown(fs, "backup.icloud_enabled", why);
			put_unknown(fs, "backup.icloud_last", why);
		}
		free(why);
		return;
	}
	struct keyread k = { fs, b, "com.apple.mobile.backup" };
	key_bool(&k, "backup.icloud_enabled", "CloudBackupEnabled");
	plist_t n = dict_get(b, "LastCloudBackupDate");
	double t;
	if (node_time(n, &t)) {
		char *raw = node_text(n);
		put_num(fs, "backup.icloud_last", VT_TIMESTAMP, t,
			"lockdown com.apple.mobile.backup LastCloudBackupDate", raw);
		free(raw);
	} else if (n) {
		put_unknown(fs, "backup.icloud_last",
			    "lockdown com.apple.mobile.backup LastCloudBackupDate holds an unexpected value");
	} else {
		put_unknown(fs, "backup.icloud_last",
			    "lockdown com.apple.mobile.backup has no LastCloudBackupDate: no iCloud Backup "
			    "has finished on this phone, or it was never set");
	}
	plist_free(b);
	free(why);
}

/* ---- management: supervision, profiles, and what their payloads say ---- */

struct mdm {
	bool list_read;		/* GetProfileList answered and was acknowledged */
	size_t nprofiles, nwith_payloads;
	struct strlist names, ids;
	bool enrolled, blocked, vpn, proxy;
	char *enrolled_raw, *blocked_raw, *vpn_raw, *proxy_raw, *proxy_host, *org_from_profile;
};

static void mdm_release(struct mdm *m)
{
	strlist_release(&m->names);
	strlist_release(&m->ids);
	free(m->enrolled_raw);
	free(m->blocked_raw);
	free(m->vpn_raw);
	free(m->proxy_raw);
	free(m->proxy_host);
	free(m->org_from_profile);
}

/* A key at the top of a payload or one level down (VPN settings sit in a sub-dictionary). */
static plist_t payload_find(plist_t payload, const char *key)
{
	plist_t n = dict_get(payload, key);
	if (n)
		return n;
	plist_dict_iter it = NULL;
	plist_dict_new_iter(payload, &it);
	if (!it)
		return NULL;
	for (;;) {
		char *k = NULL;
		plist_t v = NULL;
		plist_dict_next_item(payload, it, &k, &v);
		free(k);
		if (!v)
			break;
		if (plist_get_node_type(v) == PLIST_DICT && (n = dict_get(v, key)))
			break;
	}
	free(it);
	return n;
}

static void mdm_payload(struct mdm *m, const char *profile, plist_t meta, plist_t p)
{
	const char *type = node_str(dict_get(p, "PayloadType"));
	if (!type)
		return;
	bool b;
	if (!strcmp(type, "com.apple.mdm") && !m->enrolled) {
		m->enrolled = true;
		m->enrolled_raw = xasprintf("PayloadDisplayName: %s (com.apple.mdm)", profile);
		const char *org = node_str(dict_get(meta, "PayloadOrganization"));
		if (org && *org)
			m->org_from_profile = xstrdup(org);
	} else if (!strcmp(type, "com.apple.applicationaccess") && !m->blocked) {
		static const char *const keys[] = { "allowCloudBackup", "allowCloudPhotoLibrary" };
		for (size_t i = 0; i < 2; i++)
			if (node_bool(dict_get(p, keys[i]), &b) && !b) {
				m->blocked = true;
				m->blocked_raw = xasprintf("%s: %s false (com.apple.applicationaccess)", profile, keys[i]);
				break;
			}
	} else if (!strcmp(type, "com.apple.vpn.managed") && !m->vpn) {
		/* an on-demand VPN connects by itself: it carries the traffic */
		if (node_bool(payload_find(p, "OnDemandEnabled"), &b) && b) {
			m->vpn = true;
			m->vpn_raw = xasprintf("%s: com.apple.vpn.managed OnDemandEnabled true", profile);
		}
	} else if ((!strcmp(type, "com.apple.proxy.http.global") || !strcmp(type, "com.apple.wifi.managed")) &&
		   !m->proxy) {
		const char *ptype = node_str(dict_get(p, "ProxyType"));
		const char *server = node_str(dict_get(p, "ProxyServer"));
		const char *pac = node_str(dict_get(p, "ProxyPACURL"));
		int64_t port = 0;
		bool has_port = node_int(dict_get(p, "ProxyServerPort"), &port);
		bool global = !strcmp(type, "com.apple.proxy.http.global");
		if ((global && (server || pac)) || (ptype && strcmp(ptype, "None") && (server || pac))) {
			m->proxy = true;
			m->proxy_host = server ? (has_port ? xasprintf("%s:%lld", server, (long long)port)
							   : xstrdup(server))
					       : xstrdup(pac);
			m->proxy_raw = xasprintf("%s: %s ProxyType %s, %s", profile, type, ptype ? ptype : "Manual",
						 m->proxy_host);
		}
	}
}

static void parse_profile_list(plist_t r, struct mdm *m)
{
	plist_t order = dict_get(r, "OrderedIdentifiers");
	plist_t meta = dict_get(r, "ProfileMetadata");
	plist_t manifest = dict_get(r, "ProfileManifest");
	if (order && plist_get_node_type(order) == PLIST_ARRAY) {
		for (uint32_t i = 0; i < plist_array_get_size(order); i++) {
			const char *id = node_str(plist_array_get_item(order, i));
			if (id && !strlist_has(&m->ids, id))
				strlist_push(&m->ids, id);
		}
	}
	/* identifiers only in the metadata (no order given): take them as they come */
	plist_dict_iter it = NULL;
	if (meta && plist_get_node_type(meta) == PLIST_DICT)
		plist_dict_new_iter(meta, &it);
	while (it) {
		char *k = NULL;
		plist_t v = NULL;
		plist_dict_next_item(meta, it, &k, &v);
		if (!v) {
			free(k);
			break;
		}
		if (k && !strlist_has(&m->ids, k))
			strlist_push(&m->ids, k);
		free(k);
	}
	free(it);
	m->nprofiles = m->ids.n;
	for (size_t i = 0; i < m->ids.n; i++) {
		const char *id = m->ids.v[i];
		plist_t md = dict_get(meta, id), mf = dict_get(manifest, id);
		const char *name = node_str(dict_get(md, "PayloadDisplayName"));
		if (!name)
			name = node_str(dict_get(mf, "Description"));
		strlist_push(&m->names, name ? name : id);
		plist_t content = dict_get(md, "PayloadContent");
		if (!content)
			content = dict_get(mf, "PayloadContent");
		if (!content || plist_get_node_type(content) != PLIST_ARRAY)
			continue;
		m->nwith_payloads++;
		for (uint32_t j = 0; j < plist_array_get_size(content); j++)
			mdm_payload(m, name ? name : id, md, plist_array_get_item(content, j));
	}
}

/* Status "Acknowledged", or why not (caller frees). */
static char *mc_status(plist_t r, const char *label)
{
	const char *st = node_str(dict_get(r, "Status"));
	if (st && !strcmp(st, "Acknowledged"))
		return NULL;
	int64_t code = 0;
	plist_t chain = dict_get(r, "ErrorChain");
	plist_t first = chain && plist_get_node_type(chain) == PLIST_ARRAY ? plist_array_get_item(chain, 0) : NULL;
	if (node_int(dict_get(first, "ErrorCode"), &code))
		return xasprintf("%s answered %s (error %lld)", label, st ? st : "no status", (long long)code);
	return xasprintf("%s answered %s", label, st ? st : "no status");
}

static void parse_management(const struct capture *cap, struct facts *fs)
{
	char *why = NULL, *cwhy = NULL, *lwhy = NULL;
	struct mdm m = { 0 };
	plist_t chap = answer_plist(cap, "lockdown:com.apple.mobile.chaperone",
				    "lockdown com.apple.mobile.chaperone", &why);
	plist_t cloud = answer_plist(cap, "mcinstall:GetCloudConfiguration", "MCInstall GetCloudConfiguration", &cwhy);
	plist_t list = answer_plist(cap, "mcinstall:GetProfileList", "MCInstall GetProfileList", &lwhy);
	if (cloud && !cwhy)
		cwhy = mc_status(cloud, "MCInstall GetCloudConfiguration");
	plist_t cc = cwhy ? NULL : dict_get(cloud, "CloudConfiguration");
	if (list && !lwhy)
		lwhy = mc_status(list, "MCInstall GetProfileList");
	if (list && !lwhy) {
		m.list_read = true;
		parse_profile_list(list, &m);
	}

	if (!chap && !cloud && !list && !why && !cwhy && !lwhy)
		goto out; /* nothing about management was asked (a phone that could not be read) */

	/* supervised: either source saying yes settles it */
	plist_t n = dict_get(chap, "DeviceIsChaperoned");
	if (!n)
		n = dict_get(chap, "IsSupervised");
	plist_t nc = dict_get(cc, "IsSupervised");
	bool a = false, b = false, ha = node_bool(n, &a), hb = node_bool(nc, &b);
	if ((ha && a) || (hb && b)) {
		if (ha && a)
			put_bool(fs, "mdm.supervised", true, "lockdown com.apple.mobile.chaperone DeviceIsChaperoned", "true");
		else
			put_bool(fs, "mdm.supervised", true, "MCInstall GetCloudConfiguration IsSupervised", "true");
	} else if (ha || hb) {
		put_bool(fs, "mdm.supervised", false,
			 ha ? "lockdown com.apple.mobile.chaperone DeviceIsChaperoned"
			    : "MCInstall GetCloudConfiguration IsSupervised", "false");
	} else if (chap && cloud && !cwhy) {
		/* an unmanaged phone has neither key: nothing was ever set */
		put_bool(fs, "mdm.supervised", false, "lockdown com.apple.mobile.chaperone DeviceIsChaperoned",
			 "not set (and no IsSupervised in the cloud configuration)");
	} else {
		put_unknown(fs, "mdm.supervised", why ? why : cwhy ? cwhy
					: "lockdown com.apple.mobile.chaperone DeviceIsChaperoned is not set");
	}

	/* organisation: the enrolment's cloud configuration, else a profile's PayloadOrganization */
	const char *org = node_str(dict_get(cc, "OrganizationName"));
	if (org && *org) {
		char *raw = xasprintf("OrganizationName: %s", org);
		put_str(fs, "mdm.organization", org, "MCInstall GetCloudConfiguration", raw);
		free(raw);
	} else if (m.org_from_profile) {
		char *raw = xasprintf("PayloadOrganization: %s", m.org_from_profile);
		put_str(fs, "mdm.organization", m.org_from_profile, "MCInstall GetProfileList", raw);
		free(raw);
	}

	if (!m.list_read) {
		const char *note = lwhy ? lwhy : "MCInstall GetProfileList was not read";
		put_unknown(fs, "mdm.profiles", note);
		put_unknown(fs, "mdm.enrolled", note);
		put_unknown(fs, "mdm.backup_blocked", note);
		goto out;
	}

	struct buf raw = BUF_INIT;
	buf_puts(&raw, "OrderedIdentifiers: (");
	for (size_t i = 0; i < m.ids.n; i++)
		buf_addf(&raw, "%s%s", i ? ", " : "", m.ids.v[i]);
	buf_puts(&raw, ")");
	struct value v = { 0 };
	v.type = VT_LIST;
	strlist_copy(&v.l, &m.names);
	facts_set(fs, "mdm.profiles", FACT_KNOWN, &v, "MCInstall GetProfileList", buf_str(&raw), NULL);
	value_release(&v);

	bool all_payloads = m.nwith_payloads == m.nprofiles;
	char *hidden = xasprintf("%zu configuration profile%s installed, and what %s set is not readable "
				 "over USB", m.nprofiles, m.nprofiles == 1 ? " is" : "s are",
				 m.nprofiles == 1 ? "it" : "they");
	if (m.enrolled)
		put_bool(fs, "mdm.enrolled", true, "MCInstall GetProfileList", m.enrolled_raw);
	else if (all_payloads)
		put_bool(fs, "mdm.enrolled", false, "MCInstall GetProfileList", buf_str(&raw));
	else if (org && *org)
		/* the phone was set up through an organisation's enrolment */
		put_bool(fs, "mdm.enrolled", true, "MCInstall GetCloudConfiguration", "OrganizationName set");
	else
		put_unknown(fs, "mdm.enrolled", hidden);

	if (m.blocked)
		put_bool(fs, "mdm.backup_blocked", true, "MCInstall GetProfileList", m.blocked_raw);
	else if (all_payloads)
		put_bool(fs, "mdm.backup_blocked", false, "MCInstall GetProfileList", buf_str(&raw));
	else
		put_unknown(fs, "mdm.backup_blocked", hidden);

	/* VPN and proxy: only a profile can show them; a hand-made setting is invisible */
	if (m.vpn)
		put_bool(fs, "net.vpn", true, "MCInstall GetProfileList", m.vpn_raw);
	else
		put_unknown(fs, "net.vpn", "an iPhone does not tell over USB whether a VPN is connected");
	if (m.proxy) {
		put_bool(fs, "net.proxy", true, "MCInstall GetProfileList", m.proxy_raw);
		put_str(fs, "net.proxy_host", m.proxy_host, "MCInstall GetProfileList", m.proxy_raw);
	} else {
		put_unknown(fs, "net.proxy", "no profile sets a proxy; a proxy set by hand under Settings > "
					    "Wi-Fi is not readable over USB");
	}
	free(hidden);
	buf_release(&raw);
out:
	mdm_release(&m);
	plist_free(chap);
	plist_free(cloud);
	plist_free(list);
	free(why);
	free(cwhy);
	free(lwhy);
}

/* ---- accounts and apps ---- */

/* Signed in to iCloud: Find My is on, or a data class syncs with iCloud.  A no proves nothing. */
static bool icloud_signed_in(const struct capture *cap, char **raw, const char **source)
{
	char *why = NULL;
	bool yes = false;
	plist_t fmip = answer_plist(cap, "lockdown:com.apple.fmip", "lockdown com.apple.fmip", &why);
	bool b;
	if (node_bool(dict_get(fmip, "IsAssociated"), &b) && b) {
		*raw = xstrdup("IsAssociated: true");
		*source = "lockdown com.apple.fmip IsAssociated";
		yes = true;
	}
	plist_free(fmip);
	free(why);
	if (yes)
		return true;
	plist_t ds = answer_plist(cap, "lockdown:com.apple.mobile.data_sync", "lockdown com.apple.mobile.data_sync", &why);
	plist_dict_iter it = NULL;
	if (ds && plist_get_node_type(ds) == PLIST_DICT)
		plist_dict_new_iter(ds, &it);
	while (it && !yes) {
		char *k = NULL;
		plist_t v = NULL;
		plist_dict_next_item(ds, it, &k, &v);
		if (!v) {
			free(k);
			break;
		}
		plist_t names = dict_get(v, "AccountNames");
		if (names && plist_get_node_type(names) == PLIST_ARRAY)
			for (uint32_t i = 0; i < plist_array_get_size(names); i++) {
				const char *s = node_str(plist_array_get_item(names, i));
				if (s && !strcmp(s, "iCloud")) {
					*raw = xasprintf("%s: AccountNames (iCloud)", k ? k : "?");
					*source = "lockdown com.apple.mobile.data_sync";
					yes = true;
					break;
				}
			}
		free(k);
	}
	free(it);
	plist_free(ds);
	free(why);
	return yes;
}

static plist_t find_app(plist_t apps, const char *bundle)
{
	for (uint32_t i = 0; i < plist_array_get_size(apps); i++) {
		plist_t e = plist_array_get_item(apps, i);
		const char *id = node_str(dict_get(e, "CFBundleIdentifier"));
		if (id && !strcmp(id, bundle))
			return e;
	}
	return NULL;
}

static void parse_apps(const struct kb *kb, const struct capture *cap, struct facts *fs)
{
	char *why = NULL;
	plist_t apps = answer_plist(cap, "instproxy:browse", "instproxy Browse", &why);
	/* the library joins the pages into an array; a lone dict would be one app */
	bool list = apps && plist_get_node_type(apps) == PLIST_ARRAY;
	for (uint32_t i = 0; list && i < plist_array_get_size(apps); i++)
		list = node_str(dict_get(plist_array_get_item(apps, i), "CFBundleIdentifier")) != NULL;
	if (apps && !list) {
		plist_free(apps);
		apps = NULL;
		why = xstrdup("instproxy Browse: the answer is not a list of apps");
	}
	char *signed_raw = NULL;
	const char *signed_src = NULL;
	bool signed_in = kb && icloud_signed_in(cap, &signed_raw, &signed_src);
	size_t others = 0;
	for (size_t i = 0; kb && apps && i < kb->napps; i++) {
		const struct app *ap = &kb->apps[i];
		if (ap->package[1] && strcmp(ap->package[1], "com.apple.mobileslideshow") &&
		    find_app(apps, ap->package[1]))
			others++;
	}
	for (size_t i = 0; kb && i < kb->napps; i++) {
		const struct app *ap = &kb->apps[i];
		const char *bundle = ap->package[1];
		if (!bundle)
			continue;
		bool photos = !strcmp(bundle, "com.apple.mobileslideshow");
		char *f_inst = xasprintf("app.%s.installed", ap->id);
		char *f_ver = xasprintf("app.%s.version", ap->id);
		char *f_use = xasprintf("app.%s.in_use", ap->id);
		char *f_upd = xasprintf("app.%s.update_available", ap->id);
		char *f_sign = xasprintf("app.%s.signed_in", ap->id);
		if (!apps) {
			if (why) {
				put_unknown(fs, f_inst, why);
				put_unknown(fs, f_ver, why);
			}
			goto next;
		}
		plist_t e = find_app(apps, bundle);
		if (!e) {
			put_bool(fs, f_inst, false, "instproxy Browse", "not listed");
			put_bool(fs, f_use, false, "derived: not installed", NULL);
			goto next;
		}
		char *raw = xasprintf("CFBundleIdentifier: %s", bundle);
		put_bool(fs, f_inst, true, "instproxy Browse", raw);
		free(raw);
		plist_t vn = dict_get(e, "CFBundleShortVersionString");
		const char *vsrc = "instproxy Browse CFBundleShortVersionString";
		if (!node_str(vn)) {
			vn = dict_get(e, "CFBundleVersion");
			vsrc = "instproxy Browse CFBundleVersion";
		}
		if (node_str(vn) && *node_str(vn))
			put_str(fs, f_ver, node_str(vn), vsrc, node_str(vn));
		else
			put_unknown(fs, f_ver, "instproxy Browse lists the app without a version");
		const char *type = node_str(dict_get(e, "ApplicationType"));
		if ((type && !strcmp(type, "System")) || (!type && !strncmp(bundle, "com.apple.", 10)))
			put_bool(fs, f_upd, false, "derived: system app, updated with iOS",
				 type ? "ApplicationType: System" : NULL);
		if (photos && signed_in) {
			put_bool(fs, f_sign, true, signed_src, signed_raw);
			if (!others) {
				char *how = xasprintf("derived: signed in to iCloud (%s), no other photo backup app",
						      signed_src);
				put_bool(fs, f_use, true, how, signed_raw);
				free(how);
			}
		}
next:
		free(f_inst);
		free(f_ver);
		free(f_use);
		free(f_upd);
		free(f_sign);
	}
	free(signed_raw);
	plist_free(apps);
	free(why);
}

/* ---- the device log (com.apple.syslog_relay) ---- */

/*
 * One syslog line as the relay sends it (libimobiledevice's idevicesyslog
 * reads it the same way): "Mmm dd hh:mm:ss", the host (the phone's name;
 * absent in lines idevicesyslog printed), "proc(subsystem)[pid]", an
 * optional "<Level>:", the message.  Public samples: libimobiledevice
 * issues #881 ("Dec  3 22:34:14 iPhone BackupAgent2[302] <Notice>: …"),
 * #848 ("BackupAgent2(Books)[1511] <Error>: …"), #1384 (host dropped).
 */
struct sysline {
	const char *stamp;	/* 15 bytes */
	const char *host;	/* may be empty */
	size_t host_len;
	const char *tag;	/* "proc(sub)[pid]" */
	size_t tag_len;
	const char *proc;	/* the process name, without subsystem */
	size_t proc_len;
	const char *level;	/* "Notice", "Error" …; may be empty */
	size_t level_len;
	const char *msg;
	size_t msg_len;
};

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* "name[123]" or "name(sub)[123]"; *name_len is the length of "name". */
static bool proc_token(const char *t, size_t n, size_t *name_len)
{
	if (n < 4 || t[n - 1] != ']')
		return false;
	size_t d = n - 1;
	while (d > 0 && is_digit(t[d - 1]))
		d--;
	if (d == n - 1 || d < 2 || t[d - 1] != '[')
		return false;
	size_t open = d - 1, nl = 0;
	while (nl < open && t[nl] != '(')
		nl++;
	if (!nl || (nl < open && t[open - 1] != ')'))
		return false;
	*name_len = nl;
	return true;
}

static bool sysline_parse(const char *s, size_t n, struct sysline *l)
{
	memset(l, 0, sizeof(*l));
	if (n < 20 || s[3] != ' ' || s[6] != ' ' || s[9] != ':' || s[12] != ':' || s[15] != ' ' ||
	    s[0] < 'A' || s[0] > 'Z')
		return false;
	l->stamp = s;
	/* the host is one word (idevicesyslog takes it so); allow a few in case */
	size_t p = 16;
	for (int tok = 0; tok < 4 && p < n; tok++) {
		size_t e = p, nl;
		while (e < n && s[e] != ' ')
			e++;
		if (!proc_token(s + p, e - p, &nl)) {
			p = e + 1;
			continue;
		}
		l->host = s + 16;
		l->host_len = p > 16 ? p - 17 : 0;
		l->tag = s + p;
		l->tag_len = e - p;
		l->proc = s + p;
		l->proc_len = nl;
		size_t q = e < n ? e + 1 : n;
		if (q < n && s[q] == '<') {
			size_t g = q + 1;
			while (g < n && s[g] != '>' && s[g] != ' ')
				g++;
			if (g + 1 < n && s[g] == '>' && s[g + 1] == ':') {
				l->level = s + q + 1;
				l->level_len = g - q - 1;
				q = g + 2 < n && s[g + 2] == ' ' ? g + 3 : g + 2;
			}
		}
		l->msg = s + q;
		l->msg_len = n - q;
		return true;
	}
	return false;
}

static bool span_is(const char *s, size_t n, const char *word)
{
	return strlen(word) == n && !memcmp(s, word, n);
}

/* Case-insensitive search; the offset just past the match, or 0 when none. */
static size_t ci_find(const char *s, size_t n, const char *needle)
{
	size_t k = strlen(needle);
	for (size_t i = 0; k && i + k <= n; i++) {
		size_t j = 0;
		while (j < k && lower(s[i + j]) == needle[j])
			j++;
		if (j == k)
			return i + k;
	}
	return 0;
}

static const char *const log_procs[] = {
	"backupd", "BackupAgent2", "cloudphotod", "cloudd", "nsurlsessiond", "dasd", "powerd",
	"thermalmonitord",
};
static const char *const lpm_phrases[] = { "low power mode", "lowpowermode", "low_power_mode" };
static const char *const thermal_phrases[] = {
	"thermal pressure", "thermalpressure", "thermal_pressure", "thermal state", "thermalstate",
};

/* Where the first phrase of the list ends in the message, or 0. */
static size_t phrase_end(const struct sysline *l, const char *const *phrases, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		size_t e = ci_find(l->msg, l->msg_len, phrases[i]);
		if (e)
			return e;
	}
	return 0;
}

char *ios_syslog_keep(const char *line, size_t len)
{
	while (len && (line[len - 1] == '\n' || line[len - 1] == '\r' || line[len - 1] == ' ' || !line[len - 1]))
		len--;
	struct sysline l;
	if (!line || !sysline_parse(line, len, &l))
		return NULL;
	bool keep = false;
	for (size_t i = 0; i < sizeof(log_procs) / sizeof(log_procs[0]) && !keep; i++)
		keep = span_is(l.proc, l.proc_len, log_procs[i]);
	keep = keep || phrase_end(&l, lpm_phrases, 3) || phrase_end(&l, thermal_phrases, 5);
	if (!keep)
		return NULL;
	/* the time, then everything from the process on: the host field is left out */
	struct buf b = BUF_INIT;
	buf_add(&b, l.stamp, 15);
	buf_putc(&b, ' ');
	size_t rest = len - (size_t)(l.tag - line);
	if (rest > IOS_SYSLOG_LINE_MAX - 16) {
		rest = IOS_SYSLOG_LINE_MAX - 16;
		while (rest && ((unsigned char)l.tag[rest] & 0xC0) == 0x80)
			rest--; /* not in the middle of a UTF-8 sequence */
	}
	buf_add(&b, l.tag, rest);
	char *out = buf_detach(&b);
	for (char *c = out; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = ' ';
	return out;
}

/* The first word of the next few that says on or off: 1, 0, or -1. */
static int state_word(const char *s, size_t n, const char *const *on, const char *const *off)
{
	bool from = false;	/* "from X to Y": Y is the state */
	size_t i = 0;
	for (int w = 0; w < 8 && i < n; w++) {
		while (i < n && !(is_digit(s[i]) || (lower(s[i]) >= 'a' && lower(s[i]) <= 'z')))
			i++;
		size_t st = i;
		char word[16];
		size_t k = 0;
		while (i < n && (is_digit(s[i]) || (lower(s[i]) >= 'a' && lower(s[i]) <= 'z'))) {
			if (k < sizeof(word) - 1)
				word[k++] = lower(s[i]);
			i++;
		}
		if (i == st)
			break;
		word[k] = 0;
		if (!strcmp(word, "from")) {
			from = true;
			continue;
		}
		if (!strcmp(word, "to")) {
			from = false;
			continue;
		}
		if (from)
			continue;
		for (size_t j = 0; on[j]; j++)
			if (!strcmp(word, on[j]))
				return 1;
		for (size_t j = 0; off[j]; j++)
			if (!strcmp(word, off[j]))
				return 0;
	}
	return -1;
}

static const char *const lpm_on[] = { "enabled", "enable", "enabling", "on", "active", "activated", "yes",
				      "true", "1", NULL };
static const char *const lpm_off[] = { "disabled", "disable", "disabling", "off", "inactive",
				       "deactivated", "no", "false", "0", NULL };
/* ProcessInfo's serious / critical, powermetrics' heavy / trapping / sleeping: background work stops */
static const char *const thermal_on[] = { "serious", "critical", "heavy", "trapping", "sleeping", NULL };
static const char *const thermal_off[] = { "nominal", "normal", "none", "light", "fair", "moderate", NULL };
static const char *const waiting_words[] = { "wait", "defer", "pause", "postpon" };

struct logread {
	char *secs;		/* as the query gave it: "2" */
	size_t nlines, ncloudphotod;
	int lpm, thermal;	/* -1: nothing said */
	char *lpm_raw, *thermal_raw, *waiting_raw;
	struct strlist errors;
	struct buf errors_raw;
};

/* The line for provenance: as kept, at most 200 bytes. */
static char *log_raw(const char *line, size_t len)
{
	if (len > 200) {
		len = 200;
		while (len && ((unsigned char)line[len] & 0xC0) == 0x80)
			len--;
	}
	return xstrndup(line, len);
}

static void log_line(struct logread *r, const char *line, size_t len)
{
	struct sysline l;
	if (!sysline_parse(line, len, &l))
		return;
	r->nlines++;
	size_t e;
	if (span_is(l.proc, l.proc_len, "powerd") && (e = phrase_end(&l, lpm_phrases, 3))) {
		int st = state_word(l.msg + e, l.msg_len - e, lpm_on, lpm_off);
		if (st >= 0) {
			r->lpm = st; /* the last change logged is the state now */
			free(r->lpm_raw);
			r->lpm_raw = log_raw(line, len);
		}
	}
	if ((e = phrase_end(&l, thermal_phrases, 5))) {
		int st = state_word(l.msg + e, l.msg_len - e, thermal_on, thermal_off);
		if (st >= 0) {
			r->thermal = st;
			free(r->thermal_raw);
			r->thermal_raw = log_raw(line, len);
		}
	}
	if (span_is(l.proc, l.proc_len, "cloudphotod")) {
		r->ncloudphotod++;
		for (size_t i = 0; i < sizeof(waiting_words) / sizeof(waiting_words[0]) && !r->waiting_raw; i++)
			if (ci_find(l.msg, l.msg_len, waiting_words[i]))
				r->waiting_raw = log_raw(line, len);
	}
	if (span_is(l.proc, l.proc_len, "backupd") &&
	    (span_is(l.level, l.level_len, "Error") || ci_find(l.msg, l.msg_len, "error") ||
	     ci_find(l.msg, l.msg_len, "fail"))) {
		/* "backupd <Warning>: ERROR: Backup failed: …", short */
		struct buf b = BUF_INIT;
		buf_add(&b, l.proc, l.proc_len);
		if (l.level_len) {
			buf_puts(&b, " <");
			buf_add(&b, l.level, l.level_len);
			buf_puts(&b, ">");
		}
		buf_puts(&b, ": ");
		size_t m = l.msg_len > 160 ? 160 : l.msg_len;
		while (m < l.msg_len && m && ((unsigned char)l.msg[m] & 0xC0) == 0x80)
			m--;
		buf_add(&b, l.msg, m);
		if (m < l.msg_len)
			buf_puts(&b, "…");
		if (!strlist_has(&r->errors, buf_str(&b)) && r->errors.n < 10) {
			strlist_push(&r->errors, buf_str(&b));
			if (r->errors_raw.len < 400) {
				char *raw = log_raw(line, len);
				buf_addf(&r->errors_raw, "%s%s", r->errors_raw.len ? " | " : "", raw);
				free(raw);
			}
		}
		buf_release(&b);
	}
}

/* The device log's answer ("syslog:N"), or NULL when the log was not asked for. */
static const struct answer *log_answer(const struct capture *cap)
{
	for (size_t i = 0; i < cap->nanswers; i++)
		if (!strncmp(cap->answers[i].query, "syslog:", 7))
			return &cap->answers[i];
	return NULL;
}

static void parse_log(const struct capture *cap, struct facts *fs)
{
	static const char *const facts[] = { "log.low_power_mode", "log.thermal_pressure",
					     "log.photo_sync_waiting", "log.backup_errors" };
	const struct answer *a = log_answer(cap);
	bool ready = cap->device_state && !strcmp(cap->device_state, "ready");
	if (!a) {
		for (size_t i = 0; ready && i < 4; i++)
			put_unknown(fs, facts[i], "the device log was not read (scan --log-seconds N reads N "
						  "seconds of it)");
		return;
	}
	struct logread r = { .lpm = -1, .thermal = -1, .errors = STRLIST_INIT, .errors_raw = BUF_INIT };
	r.secs = xstrdup(a->query + 7);
	char *src = xasprintf("device log (com.apple.syslog_relay, %s s)", r.secs);
	if (a->status == ANSWER_FAILED || a->status == ANSWER_TIMEOUT) {
		const char *e = a->error ? a->error : answer_status_name(a->status);
		bool refused = strstr(e, "PasswordProtected") || strstr(e, "GetProhibited") ||
			       strstr(e, "ServiceProhibited");
		char *note = xasprintf("the device log could not be read (%s)%s", e,
				       refused ? ": the phone gives out its log only once it has been unlocked "
						 "since it was restarted; unlock it and scan again" : "");
		for (size_t i = 0; i < 4; i++)
			put_unknown(fs, facts[i], note);
		free(note);
		goto out;
	}
	const char *s = a->out ? a->out : "";
	size_t n = a->out ? a->out_len : 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && s[j] != '\n' && s[j] != '\0')
			j++;
		if (j > i)
			log_line(&r, s + i, j - i);
		i = j + 1;
	}
	char *cut = a->status == ANSWER_CUT ? xasprintf(" (the log stream ended early: %s)",
							  a->error ? a->error : "cut") : xstrdup("");
	if (r.lpm >= 0) {
		put_bool(fs, "log.low_power_mode", r.lpm == 1, src, r.lpm_raw);
	} else {
		char *note = xasprintf("powerd logged no Low Power Mode change in %s s (it logs the mode only "
				       "when it changes)%s", r.secs, cut);
		put_unknown(fs, "log.low_power_mode", note);
		free(note);
	}
	if (r.thermal >= 0) {
		put_bool(fs, "log.thermal_pressure", r.thermal == 1, src, r.thermal_raw);
	} else {
		char *note = xasprintf("no thermal pressure level was logged in %s s%s", r.secs, cut);
		put_unknown(fs, "log.thermal_pressure", note);
		free(note);
	}
	if (r.waiting_raw) {
		put_bool(fs, "log.photo_sync_waiting", true, src, r.waiting_raw);
	} else {
		/* silence, or lines saying something else, prove nothing about a stalled upload */
		char *note = r.ncloudphotod
			? xasprintf("cloudphotod logged %zu line%s in %s s, none saying it waits or defers%s",
				    r.ncloudphotod, r.ncloudphotod == 1 ? "" : "s", r.secs, cut)
			: xasprintf("cloudphotod logged nothing in %s s%s", r.secs, cut);
		put_unknown(fs, "log.photo_sync_waiting", note);
		free(note);
	}
	if (r.errors.n) {
		struct value v = { .type = VT_LIST };
		strlist_copy(&v.l, &r.errors);
		facts_set(fs, "log.backup_errors", FACT_KNOWN, &v, src, buf_str(&r.errors_raw), NULL);
		value_release(&v);
	} else {
		char *note = xasprintf("backupd logged no error in %s s (a stalled backup may log nothing)%s",
				       r.secs, cut);
		put_unknown(fs, "log.backup_errors", note);
		free(note);
	}
	free(cut);
out:
	free(src);
	free(r.secs);
	free(r.lpm_raw);
	free(r.thermal_raw);
	free(r.waiting_raw);
	strlist_release(&r.errors);
	buf_release(&r.errors_raw);
}

int ios_parse(const struct kb *kb, const struct capture *cap, struct facts *out)
{
	parse_platform(cap, out);
	parse_identity(cap, out);
	parse_connection(cap, out);
	parse_battery(cap, out);
	parse_storage(cap, out);
	parse_backup(cap, out);
	parse_management(cap, out);
	parse_apps(kb, cap, out);
	parse_log(cap, out);
	if (cap->device_state && !strcmp(cap->device_state, "ready"))
		put_unknown(out, "power.battery_saver",
			    "an iPhone does not tell over USB whether Low Power Mode is on");
	return 0;
}

/*
 * parse-android.c - the shell commands a scan runs on an Android phone and
 * the pure parsers that turn their answers into facts.
 *
 * Every format handled here was read from AOSP's printing code or from
 * real phones' output (tests/sim/android/profiles/SOURCES.md lists both).
 * The parsers share one discipline: look only at the lines they know (by
 * key, indentation and section), decide at the end whether the output was
 * understood, and only then write facts, so a half-understood answer never
 * leaves half its facts behind.  Input is bounded (ANDROID_MAX_OUTPUT) and
 * read line by line, so garbage, binary or huge answers cost linear time.
 */
#include <ctype.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "parse-android.h"
#include "xalloc.h"
#include "banned.h"

/* ---------------------------------------------------------------- text ---- */

/* A borrowed run of bytes (not NUL-terminated). */
struct text {
	const char *s;
	size_t n;
};

struct cursor {
	const char *p, *end;
};

static void cursor_init(struct cursor *c, const char *text, size_t len)
{
	if (!text)
		len = 0;
	if (len > ANDROID_MAX_OUTPUT)
		len = ANDROID_MAX_OUTPUT;
	c->p = text;
	c->end = text ? text + len : NULL;
}

/* The next line without its "\n" or "\r\n"; false at the end. */
static bool next_line(struct cursor *c, struct text *line)
{
	if (!c->p || c->p >= c->end)
		return false;
	const char *nl = memchr(c->p, '\n', (size_t)(c->end - c->p));
	const char *stop = nl ? nl : c->end;
	line->s = c->p;
	line->n = (size_t)(stop - c->p);
	while (line->n && line->s[line->n - 1] == '\r')
		line->n--;
	c->p = nl ? nl + 1 : c->end;
	return true;
}

static bool is_space(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n' || ch == '\v' || ch == '\f';
}

static struct text trim(struct text t)
{
	while (t.n && is_space(t.s[0])) {
		t.s++;
		t.n--;
	}
	while (t.n && is_space(t.s[t.n - 1]))
		t.n--;
	return t;
}

/* Leading spaces (a tab counts as 8, as dumpsys never mixes them). */
static size_t indent(struct text t)
{
	size_t i = 0, w = 0;
	while (i < t.n && (t.s[i] == ' ' || t.s[i] == '\t'))
		w += t.s[i++] == '\t' ? 8 : 1;
	return w;
}

static bool starts(struct text t, const char *pfx)
{
	size_t m = strlen(pfx);
	return t.n >= m && !memcmp(t.s, pfx, m);
}

static bool ends(struct text t, const char *sfx)
{
	size_t m = strlen(sfx);
	return t.n >= m && !memcmp(t.s + t.n - m, sfx, m);
}

static bool equals(struct text t, const char *s)
{
	return t.n == strlen(s) && !memcmp(t.s, s, t.n);
}

/* Where `needle` starts in t, or NULL. */
static const char *find(struct text t, const char *needle)
{
	size_t m = strlen(needle);
	if (!m || m > t.n)
		return m ? NULL : t.s;
	for (size_t i = 0; i + m <= t.n; i++)
		if (t.s[i] == needle[0] && !memcmp(t.s + i, needle, m))
			return t.s + i;
	return NULL;
}

static struct text after(struct text t, const char *at)
{
	struct text r = { at, (size_t)(t.s + t.n - at) };
	return r;
}

static struct text skip(struct text t, size_t k)
{
	if (k > t.n)
		k = t.n;
	struct text r = { t.s + k, t.n - k };
	return r;
}

/* The word at the start of t: up to a space, comma or one of `stop`. */
static struct text word(struct text t, const char *stop)
{
	size_t i = 0;
	while (i < t.n && !is_space(t.s[i]) && t.s[i] != ',' && !(stop && strchr(stop, t.s[i])))
		i++;
	struct text r = { t.s, i };
	return r;
}

/* A whole (optionally signed) decimal integer; false for anything else. */
static bool to_long(struct text t, long long *out)
{
	t = trim(t);
	size_t i = 0;
	bool neg = false;
	if (i < t.n && (t.s[i] == '-' || t.s[i] == '+'))
		neg = t.s[i++] == '-';
	if (i == t.n || i - (neg ? 1 : 0) > 18 || t.n - i > 18)
		return false;
	long long v = 0;
	for (; i < t.n; i++) {
		if (t.s[i] < '0' || t.s[i] > '9')
			return false;
		v = v * 10 + (t.s[i] - '0');
	}
	*out = neg ? -v : v;
	return true;
}

/* The value of "key=" in a line of "a=1 b=2 …" pairs; empty when absent. */
static struct text kv_value(struct text line, const char *key, bool *found)
{
	size_t m = strlen(key);
	struct text r = { NULL, 0 };
	*found = false;
	for (size_t i = 0; i + m + 1 <= line.n; i++) {
		if ((i == 0 || is_space(line.s[i - 1]) || line.s[i - 1] == '{' || line.s[i - 1] == ',')
		    && !memcmp(line.s + i, key, m) && line.s[i + m] == '=') {
			r = word(skip(line, i + m + 1), "}]");
			*found = true;
			return r;
		}
	}
	return r;
}

/* true/false of "key=true"; -1 when absent or neither. */
static int kv_bool(struct text line, const char *key)
{
	bool found;
	struct text v = kv_value(line, key, &found);
	if (!found)
		return -1;
	if (equals(v, "true"))
		return 1;
	if (equals(v, "false"))
		return 0;
	return -1;
}

/*
 * A copy fit for people and JSON: valid UTF-8, control bytes as '?',
 * at most `max` bytes (then "…").
 */
static char *clean(struct text t, size_t max)
{
	struct buf b = BUF_INIT;
	size_t i = 0;
	while (i < t.n) {
		if (b.len >= max) {
			buf_puts(&b, "\xe2\x80\xa6");
			break;
		}
		unsigned char c = (unsigned char)t.s[i];
		if (c < 0x80) {
			/* a raw excerpt may join several lines with '\n' */
			buf_putc(&b, (c < 0x20 && c != '\t' && c != '\n') || c == 0x7f ? '?' : (char)c);
			i++;
			continue;
		}
		size_t need = c >= 0xf0 && c <= 0xf4 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 && c < 0xe0 ? 2 : 0;
		bool ok = need && i + need <= t.n;
		for (size_t k = 1; ok && k < need; k++)
			ok = ((unsigned char)t.s[i + k] & 0xc0) == 0x80;
		if (ok && need == 3) {
			unsigned char c1 = (unsigned char)t.s[i + 1];
			ok = !(c == 0xe0 && c1 < 0xa0) && !(c == 0xed && c1 >= 0xa0);
		}
		if (ok && need == 4) {
			unsigned char c1 = (unsigned char)t.s[i + 1];
			ok = !(c == 0xf0 && c1 < 0x90) && !(c == 0xf4 && c1 >= 0x90);
		}
		if (ok) {
			buf_add(&b, t.s + i, need);
			i += need;
		} else {
			buf_putc(&b, '?');
			i++;
		}
	}
	return buf_detach(&b);
}

#define RAW_MAX 400

/* ---------------------------------------------------------------- facts --- */

static void put(struct facts *out, const char *name, const struct value *v, const char *source,
		struct text raw)
{
	char *r = clean(trim(raw), RAW_MAX);
	facts_set(out, name, FACT_KNOWN, v, source, r, NULL);
	free(r);
}

static void put_bool(struct facts *out, const char *name, bool b, const char *source,
		     struct text raw)
{
	struct value v = { 0 };
	value_set_bool(&v, b);
	put(out, name, &v, source, raw);
}

static void put_num(struct facts *out, const char *name, enum vtype t, double n,
		    const char *source, struct text raw)
{
	struct value v = { 0 };
	value_set_num(&v, t, n);
	put(out, name, &v, source, raw);
}

static void put_str(struct facts *out, const char *name, struct text s, const char *source,
		    struct text raw)
{
	struct value v = { 0 };
	char *c = clean(trim(s), 200);
	value_set_str(&v, c);
	free(c);
	put(out, name, &v, source, raw);
	value_release(&v);
}

static char *app_fact(const char *id, const char *field)
{
	return xasprintf("app.%s.%s", id, field);
}

static void put_app_bool(struct facts *out, const char *id, const char *field, bool b,
			 const char *source, struct text raw)
{
	char *name = app_fact(id, field);
	put_bool(out, name, b, source, raw);
	free(name);
}

static void put_app_num(struct facts *out, const char *id, const char *field, enum vtype t,
			double n, const char *source, struct text raw)
{
	char *name = app_fact(id, field);
	put_num(out, name, t, n, source, raw);
	free(name);
}

static void put_app_unknown(struct facts *out, const char *id, const char *field,
			    const char *note)
{
	char *name = app_fact(id, field);
	facts_set_unknown(out, name, note);
	free(name);
}

static struct text lit(const char *s)
{
	struct text t = { s, strlen(s) };
	return t;
}

static const char *android_package(const struct app *a)
{
	return a->package[0];
}

/* A listing line naming `pkg`: remember it for every catalogue app with that package. */
static void mark_app_line(const struct kb *kb, struct text pkg, struct text line, struct text *hit)
{
	for (size_t i = 0; kb && i < kb->napps; i++) {
		const char *p = android_package(&kb->apps[i]);
		if (p && equals(pkg, p))
			hit[i] = line;
	}
}

/* Is app.<id>.installed already known to be false in `out`? */
static bool app_absent(const struct facts *out, const char *id)
{
	char *name = app_fact(id, "installed");
	const struct value *v = facts_value(out, name);
	free(name);
	return v && v->type == VT_BOOL && !v->b;
}

/* --------------------------------------------------------------- getprop -- */

enum { P_MODEL, P_MANUFACTURER, P_RELEASE, P_SDK, P_BUILD_ID, P_PATCH, P_FINGERPRINT,
       P_CODENAME, P_PRODUCT, P__COUNT };
static const char *const prop_keys[P__COUNT] = {
	"ro.product.model", "ro.product.manufacturer", "ro.build.version.release",
	"ro.build.version.sdk", "ro.build.id", "ro.build.version.security_patch",
	"ro.build.fingerprint", "ro.build.version.codename", "ro.product.name",
};

/* Android's major version from its API level, for codename releases. */
static int sdk_major(long long sdk)
{
	static const struct { int sdk, major; } map[] = {
		{ 36, 16 }, { 35, 15 }, { 34, 14 }, { 33, 13 }, { 32, 12 }, { 31, 12 },
		{ 30, 11 }, { 29, 10 }, { 28, 9 }, { 27, 8 }, { 26, 8 }, { 25, 7 }, { 24, 7 },
		{ 23, 6 }, { 22, 5 }, { 21, 5 },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].sdk == sdk)
			return map[i].major;
	return 0;
}

int parse_getprop(const char *text, size_t len, const char *source, struct facts *out)
{
	struct text val[P__COUNT], raw[P__COUNT];
	bool have[P__COUNT] = { false };
	struct cursor c;
	struct text line;
	size_t props = 0;

	cursor_init(&c, text, len);
	while (next_line(&c, &line)) {
		struct text t = trim(line);
		if (!starts(t, "["))
			continue;
		const char *sep = find(t, "]: [");
		if (!sep)
			continue;
		props++;
		struct text key = { t.s + 1, (size_t)(sep - t.s - 1) };
		struct text v = after(t, sep + 4);
		/* a value may span lines: it ends at the line that ends in ']' */
		for (int more = 0; !ends(v, "]") && more < 64; more++) {
			struct text cont;
			if (!next_line(&c, &cont))
				break;
			v.n = (size_t)(cont.s + cont.n - v.s);
		}
		if (ends(v, "]"))
			v.n--;
		for (int k = 0; k < P__COUNT; k++)
			if (!have[k] && equals(key, prop_keys[k])) {
				have[k] = true;
				val[k] = v;
				raw[k] = t;
			}
	}
	if (!props)
		return -1;

	if (have[P_MODEL] && trim(val[P_MODEL]).n)
		put_str(out, "device.model", val[P_MODEL], source, raw[P_MODEL]);
	if (have[P_MANUFACTURER] && trim(val[P_MANUFACTURER]).n)
		put_str(out, "device.manufacturer", val[P_MANUFACTURER], source, raw[P_MANUFACTURER]);
	long long sdk = 0;
	if (have[P_SDK] && to_long(val[P_SDK], &sdk) && sdk > 0 && sdk < 1000)
		put_num(out, "device.sdk", VT_INT, (double)sdk, source, raw[P_SDK]);
	else
		sdk = 0;
	if (have[P_RELEASE] && trim(val[P_RELEASE]).n) {
		struct text rel = trim(val[P_RELEASE]);
		put_str(out, "device.os_version", rel, source, raw[P_RELEASE]);
		size_t i = 0;
		long long major = 0;
		while (i < rel.n && i < 4 && isdigit((unsigned char)rel.s[i]))
			major = major * 10 + (rel.s[i++] - '0');
		if (!i)
			major = sdk_major(sdk);
		if (major > 0)
			put_num(out, "device.os_major", VT_INT, (double)major, source, raw[P_RELEASE]);
	}
	if (have[P_BUILD_ID] && trim(val[P_BUILD_ID]).n)
		put_str(out, "device.build", val[P_BUILD_ID], source, raw[P_BUILD_ID]);
	if (have[P_PATCH]) {
		char *p = clean(trim(val[P_PATCH]), 32);
		double ts;
		if (!timestamp_parse(p, &ts))
			put_num(out, "device.security_patch", VT_TIMESTAMP, ts, source, raw[P_PATCH]);
		free(p);
	}
	/*
	 * Beta builds: a preview names its codename instead of REL, and the
	 * Android Beta Program's builds carry a product name ending in _beta
	 * (google/panther_beta/panther:15/…).
	 */
	int beta = -1;
	struct text beta_raw = { NULL, 0 };
	if (have[P_FINGERPRINT]) {
		/* brand/product/device:release/id/incremental:type/tags */
		struct text fp = trim(val[P_FINGERPRINT]);
		const char *slash = fp.n ? memchr(fp.s, '/', fp.n) : NULL;
		struct text product = slash ? word(after(fp, slash + 1), "/") : lit("");
		beta = ends(product, "_beta") ? 1 : 0;
		beta_raw = raw[P_FINGERPRINT];
	}
	if (have[P_PRODUCT] && ends(trim(val[P_PRODUCT]), "_beta")) {
		beta = 1;
		beta_raw = raw[P_PRODUCT];
	}
	if (have[P_CODENAME]) {
		struct text cn = trim(val[P_CODENAME]);
		if (cn.n && !equals(cn, "REL")) {
			beta = 1;
			beta_raw = raw[P_CODENAME];
		} else if (beta < 0) {
			beta = 0;
			beta_raw = raw[P_CODENAME];
		}
	}
	if (beta >= 0)
		put_bool(out, "device.beta", beta == 1, source, beta_raw);
	return 0;
}

/* -------------------------------------------------------------- settings -- */

/* The only line of a `settings get` answer. */
static bool single_line(const char *text, size_t len, struct text *value)
{
	struct cursor c;
	struct text line;
	int n = 0;
	cursor_init(&c, text, len);
	while (next_line(&c, &line)) {
		if (!trim(line).n)
			continue;
		if (n++)
			return false;
		*value = trim(line);
	}
	return n == 1;
}

int parse_settings_low_power(const char *text, size_t len, const char *source,
			     struct facts *out)
{
	struct text v;
	if (!single_line(text, len, &v))
		return -1;
	/* "null": never set, and the setting defaults to off */
	if (equals(v, "1"))
		put_bool(out, "power.battery_saver", true, source, v);
	else if (equals(v, "0") || equals(v, "null"))
		put_bool(out, "power.battery_saver", false, source, v);
	else
		return -1;
	return 0;
}

int parse_settings_http_proxy(const char *text, size_t len, const char *source,
			      struct facts *out)
{
	struct text v;
	if (!single_line(text, len, &v))
		return -1;
	/* ":0" is what `settings put global http_proxy :0` leaves behind */
	if (equals(v, "null") || equals(v, ":0") || equals(v, ":")) {
		put_bool(out, "net.proxy", false, source, v);
		return 0;
	}
	for (size_t i = 0; i < v.n; i++) {
		unsigned char ch = (unsigned char)v.s[i];
		if (!isalnum(ch) && !strchr(".-_:[]", ch))
			return -1;
	}
	const char *colon = memchr(v.s, ':', v.n);
	if (!colon || colon == v.s)
		return -1;
	put_bool(out, "net.proxy", true, source, v);
	put_str(out, "net.proxy_host", v, source, v);
	return 0;
}

/* --------------------------------------------------------------- battery -- */

int parse_dumpsys_battery(const char *text, size_t len, const char *source, struct facts *out)
{
	static const char *const powered[] = {
		"AC powered:", "USB powered:", "Wireless powered:", "Dock powered:",
	};
	struct cursor c;
	struct text line;
	long long level = -1, scale = 100, status = -1, temp = 0;
	bool have_temp = false, have_scale = false;
	struct text level_raw = { 0 }, status_raw = { 0 }, temp_raw = { 0 }, plug_raw = { 0 };
	int plugged = -1;
	bool in_state = false, seen_state = false;

	cursor_init(&c, text, len);
	while (next_line(&c, &line)) {
		struct text t = trim(line);
		if (starts(t, "Current Battery Service state:")) {
			in_state = !seen_state;
			seen_state = true;
			continue;
		}
		/* the state's lines are indented; anything at column 0 ends it */
		if (seen_state && indent(line) == 0 && t.n)
			in_state = false;
		if (seen_state && !in_state)
			continue;
		if (indent(line) != 2)
			continue;
		for (size_t k = 0; k < sizeof(powered) / sizeof(powered[0]); k++)
			if (starts(t, powered[k])) {
				struct text v = trim(skip(t, strlen(powered[k])));
				if (equals(v, "true")) {
					if (plugged != 1)
						plug_raw = t;
					plugged = 1;
				} else if (equals(v, "false") && plugged < 0) {
					plugged = 0;
					plug_raw = t;
				}
			}
		long long n;
		if (starts(t, "level:") && level < 0 && to_long(skip(t, 6), &n) && n >= 0) {
			level = n;
			level_raw = t;
		} else if (starts(t, "scale:") && !have_scale && to_long(skip(t, 6), &n) && n > 0) {
			scale = n;
			have_scale = true;
		} else if (starts(t, "status:") && status < 0 && to_long(skip(t, 7), &n)) {
			status = n;
			status_raw = t;
		} else if (starts(t, "temperature:") && !have_temp && to_long(skip(t, 12), &n)) {
			temp = n;
			have_temp = true;
			temp_raw = t;
		}
	}
	if (level < 0)
		return -1;
	double pct = (double)level * 100.0 / (double)scale;
	if (pct > 100)
		pct = 100;
	put_num(out, "battery.level", VT_PERCENT, pct, source, level_raw);
	if (plugged >= 0)
		put_bool(out, "battery.plugged", plugged == 1, source, plug_raw);
	/* 2 charging, 5 full (counts as charging while on power), 3/4 not */
	if (status == 2 || status == 3 || status == 4 || (status == 5 && plugged >= 0))
		put_bool(out, "battery.charging", status == 2 || (status == 5 && plugged == 1),
			 source, status_raw);
	if (have_temp && temp > -400 && temp < 1500)
		put_num(out, "battery.temperature", VT_INT, (double)(temp / 10), source, temp_raw);
	return 0;
}

int parse_dumpsys_power(const char *text, size_t len, const char *source, struct facts *out)
{
	struct cursor c;
	struct text line, low_raw = { 0 }, saver_raw = { 0 };
	int low = -1, saver = -1;
	bool power_dump = false;

	cursor_init(&c, text, len);
	while (next_line(&c, &line)) {
		struct text t = trim(line);
		if (starts(t, "POWER MANAGER (dumpsys power)"))
			power_dump = true;
		if (low < 0 && starts(t, "mBatteryLevelLow=")) {
			low = kv_bool(t, "mBatteryLevelLow");
			low_raw = t;
		} else if (saver < 0 && starts(t, "Battery Saver is currently:")) {
			struct text v = trim(skip(t, strlen("Battery Saver is currently:")));
			saver = equals(v, "ON") ? 1 : equals(v, "OFF") ? 0 : -1;
			saver_raw = t;
		} else if (saver < 0 && starts(t, "mLowPowerModeEnabled=")) {
			saver = kv_bool(t, "mLowPowerModeEnabled");
			saver_raw = t;
		}
	}
	if (low < 0 && saver < 0 && !power_dump)
		return -1;
	if (low >= 0)
		put_bool(out, "power.battery_low", low == 1, source, low_raw);
	if (saver >= 0 && !facts_value(out, "power.battery_saver"))
		put_bool(out, "power.battery_saver", saver == 1, source, saver_raw);
	return 0;
}

int parse_dumpsys_deviceidle(const char *text, size_t len, const char *source,
			     struct facts *out)
{
	struct cursor c;
	struct text line;
	cursor_init(&c, text, len);
	while (next_line(&c, &line)) {
		struct text t = trim(line);
		if (!starts(t, "mState="))
			continue;
		struct text st = word(skip(t, 7), NULL);
		if (!st.n || st.n > 40)
			return -1;
		for (size_t i = 0; i < st.n; i++)
			if (!isupper((unsigned char)st.s[i]) && st.s[i] != '_')
				return -1;
		put_str(out, "doze.state", st, source, t);
		/* the maintenance window is part of deep Doze: apps wait for it */
		put_bool(out, "doze.deep_idle", equals(st, "IDLE") || equals(st, "IDLE_MAINTENANCE"),
			 source, t);
		return 0;
	}
	return -1;
}

int parse_deviceidle_whitelist(const struct kb *kb, const char *text, size_t len,
			       const char *source, struct facts *out)
{
	struct cursor c;
	struct text line;
	size_t entries = 0;
	size_t napps = kb ? kb->napps : 0;
	struct text *hit = xcalloc(napps ? napps : 1, sizeof(*hit));

	cursor_init(&c, text, len);
	while (next_line(&c, &line)) {
		struct text t = trim(line);
		const char *c1 = memchr(t.s, ',', t.n);
		if (!c1)
			continue;
		const char *c2 = memchr(c1 + 1, ',', (size_t)(t.s + t.n - c1 - 1));
		if (!c2)
			continue;
		struct text kind = { t.s, (size_t)(c1 - t.s) };
		struct text pkg = { c1 + 1, (size_t)(c2 - c1 - 1) };
		long long uid;
		if (!to_long(after(t, c2 + 1), &uid))
			continue;
		entries++;
		/* "system-excidle" apps still doze; "system" and "user" do not */
		if (!equals(kind, "system") && !equals(kind, "user"))
			continue;
		mark_app_line(kb, pkg, t, hit);
	}
	if (!entries) {
		free(hit);
		return -1;
	}
	for (size_t i = 0; i < napps; i++) {
		const struct app *a = &kb->apps[i];
		if (!android_package(a))
			continue;
		if (hit[i].s) {
			put_app_bool(out, a->id, "battery_exempt", true, source, hit[i]);
		} else {
			char *raw = xasprintf("(no entry for %s)", android_package(a));
			put_app_bool(out, a->id, "battery_exempt", false, source, lit(raw));
			free(raw);
		}
	}
	free(hit);
	return 0;
}

/* ------------------------------------------------------------- netpolicy -- */

int parse_netpolicy_restrict(const char *text, size_t len, const char *source,
			     struct facts *out)
{
	struct cursor c;
	struct text line;
	cursor_init(&c, text, len);
	while (next_line(&c, &line)) {
		struct text t = trim(line);
		if (!starts(t, "Restrict background status:"))
			continue;
		struct text v = trim(skip(t, strlen("Restrict background status:")));
		if (equals(v, "enabled"))
			put_bool(out, "net.data_saver", true, source, t);
		else if (equals(v, "disabled"))
			put_bool(out, "net.data_saver", false, source, t);
		else
			return -1;
		return 0;
	}
	return -1;
}

int parse_netpolicy_uids(const struct kb *kb, const char *text, size_t len, const char *source,
			 struct facts *out)
{
	struct cursor c;
	struct text line, header = { NULL, 0 };
	const char *field = NULL;
	cursor_init(&c, text, len);
	while (next_line(&c, &line)) {
		struct text t = trim(line);
		if (starts(t, "Restrict background whitelisted UIDs:"))
			field = "data_saver_exempt";
		else if (starts(t, "Restrict background blacklisted UIDs:"))
			field = "bg_data_restricted";
		else
			continue;
		header = t;
		break;
	}
	if (!field)
		return -1;
	struct text list = trim(after(header, (const char *)memchr(header.s, ':', header.n) + 1));
	bool none = equals(list, "none");
	/* every word must be a uid */
	for (struct text rest = list; !none && rest.n;) {
		struct text w = word(rest, NULL);
		long long uid;
		if (!w.n || !to_long(w, &uid))
			return -1;
		rest = trim(skip(rest, w.n));
	}
	for (size_t i = 0; kb && i < kb->napps; i++) {
		const struct app *a = &kb->apps[i];
		if (!android_package(a))
			continue;
		/* an app that is not on the phone is on no list */
		if (app_absent(out, a->id))
			continue;
		char *uname = app_fact(a->id, "uid");
		const struct value *uv = facts_value(out, uname);
		free(uname);
		if (!uv || uv->type != VT_INT) {
			char *note = xasprintf("%s: the app's uid is not known", source);
			put_app_unknown(out, a->id, field, note);
			free(note);
			continue;
		}
		bool in = false;
		for (struct text rest = list; !none && rest.n && !in;) {
			struct text w = word(rest, NULL);
			long long uid;
			if (to_long(w, &uid) && (double)uid == uv->n)
				in = true;
			rest = trim(skip(rest, w.n));
		}
		put_app_bool(out, a->id, field, in, source, header);
	}
	return 0;
}

/* ---------------------------------------------------------- connectivity -- */

/* What one NetworkAgentInfo line says. */
struct netinfo {
	struct text line;
	struct text caps;	/* "Transports: … Capabilities: …" */
	bool wifi, cell, ethernet, vpn, bluetooth;
	bool not_metered, validated, partial, internet;
	bool connected;		/* ni{…CONNECTED…} */
	bool have_rssi;
	long long rssi;
	struct text proxy;	/* "[host] port …" of HttpProxy, when set */
};

static void netinfo_read(struct text line, struct netinfo *ni)
{
	memset(ni, 0, sizeof(*ni));
	ni->line = line;
	const char *nc = find(line, "nc{");
	struct text capt = nc ? after(line, nc) : line;
	const char *tr = find(capt, "Transports: ");
	if (tr) {
		struct text rest = after(capt, tr);
		struct text tw = word(skip(rest, 12), NULL);
		ni->wifi = find(tw, "WIFI") != NULL;
		ni->cell = find(tw, "CELLULAR") != NULL;
		ni->ethernet = find(tw, "ETHERNET") != NULL;
		ni->vpn = find(tw, "VPN") != NULL;
		ni->bluetooth = find(tw, "BLUETOOTH") != NULL;
		/* the excerpt people see: transports and capabilities */
		const char *cp = find(rest, "Capabilities: ");
		size_t end = rest.n;
		if (cp) {
			struct text cw = word(after(rest, cp + 14), NULL);
			end = (size_t)(cw.s + cw.n - rest.s);
			ni->not_metered = find(cw, "NOT_METERED") != NULL;
			ni->validated = false;
			ni->internet = false;
			for (struct text r = cw; r.n;) {
				const char *amp = memchr(r.s, '&', r.n);
				struct text cap = { r.s, amp ? (size_t)(amp - r.s) : r.n };
				if (equals(cap, "VALIDATED"))
					ni->validated = true;
				else if (equals(cap, "INTERNET"))
					ni->internet = true;
				else if (equals(cap, "PARTIAL_CONNECTIVITY"))
					ni->partial = true;
				r = amp ? after(r, amp + 1) : skip(r, r.n);
			}
		}
		ni->caps.s = rest.s;
		ni->caps.n = end;
		const char *ss = find(rest, "SignalStrength: ");
		if (ss && to_long(word(after(rest, ss + 16), "]}>"), &ni->rssi))
			ni->have_rssi = true;
	}
	const char *info = find(line, "ni{");
	if (info) {
		struct text it = after(line, info);
		const char *close = memchr(it.s, '}', it.n);
		if (close)
			it.n = (size_t)(close - it.s);
		/* A12+: "ni{WIFI CONNECTED extra: }"; A≤11: "state: CONNECTED/CONNECTED" */
		ni->connected = find(it, " CONNECTED") || find(it, "state: CONNECTED");
	}
	const char *lp = find(line, "lp{");
	if (lp) {
		struct text lt = after(line, lp);
		const char *hp = find(lt, "HttpProxy: ");
		if (hp) {
			struct text pv = after(lt, hp + 11);
			const char *close = memchr(pv.s, ']', pv.n);
			/* "[host] port xl…": keep host and port */
			if (starts(pv, "[") && close) {
				struct text port = word(trim(after(pv, close + 1)), "}");
				ni->proxy.s = pv.s;
				ni->proxy.n = (size_t)(port.s + port.n - pv.s);
			}
		}
	}
}

int parse_connectivity(const char *text, size_t len, const char *source, struct facts *out)
{
	struct cursor c;
	struct text line, active_raw = { 0 };
	long long active = -1;
	bool have_active = false, active_none = false;
	struct netinfo def, ni, vpn, wifi;
	bool have_def = false, have_vpn = false, have_wifi = false;
	size_t nnets = 0;

	/* the header first: the agents' lines come after it */
	cursor_init(&c, text, len);
	while (next_line(&c, &line)) {
		struct text t = trim(line);
		if (starts(t, "Active default network:")) {
			struct text v = trim(skip(t, strlen("Active default network:")));
			active_raw = t;
			if (equals(v, "none") || equals(v, "null"))
				active_none = have_active = true;
			else if (to_long(v, &active))
				have_active = true;
			break;
		}
	}
	if (!have_active)
		return -1;
	memset(&def, 0, sizeof(def));
	memset(&vpn, 0, sizeof(vpn));
	memset(&wifi, 0, sizeof(wifi));
	char needle[48];
	snprintf(needle, sizeof(needle), "network{%lld}", active);
	while (next_line(&c, &line)) {
		struct text t = trim(line);
		if (!starts(t, "NetworkAgentInfo{") && !starts(t, "NetworkAgentInfo ["))
			continue;
		if (!find(t, "nc{"))
			continue;
		nnets++;
		netinfo_read(t, &ni);
		if (!have_def && !active_none && find(t, needle)) {
			def = ni;
			have_def = true;
		}
		if (ni.vpn && ni.connected && !have_vpn) {
			vpn = ni;
			have_vpn = true;
		}
		if (ni.wifi && !ni.vpn && ni.connected && !have_wifi) {
			wifi = ni;
			have_wifi = true;
		}
	}
	if (!active_none && !have_def)
		return -1;

	if (active_none) {
		put_bool(out, "net.connected", false, source, active_raw);
		put_str(out, "net.type", lit("none"), source, active_raw);
		put_bool(out, "net.validated", false, source, active_raw);
		put_bool(out, "net.vpn", have_vpn, source, have_vpn ? vpn.caps : active_raw);
		if (!facts_value(out, "net.proxy"))
			put_bool(out, "net.proxy", false, source, active_raw);
		return 0;
	}
	put_bool(out, "net.connected", true, source, active_raw);
	/* a VPN carries the traffic of the network under it */
	const char *type = def.wifi ? "wifi" : def.cell ? "cellular" : def.ethernet ? "ethernet"
		: def.bluetooth ? "bluetooth" : NULL;
	if (!type && def.vpn)
		type = have_wifi ? "wifi" : "vpn";
	if (type)
		put_str(out, "net.type", lit(type), source, def.caps);
	put_bool(out, "net.metered", !def.not_metered, source, def.caps);
	put_bool(out, "net.validated", def.validated && !def.partial, source, def.caps);
	put_bool(out, "net.vpn", def.vpn || have_vpn, source, def.vpn ? def.caps : have_vpn ? vpn.caps : def.caps);
	if (def.proxy.n) {
		put_bool(out, "net.proxy", true, source, def.proxy);
		put_str(out, "net.proxy_host", def.proxy, source, def.proxy);
	} else if (!facts_value(out, "net.proxy")) {
		put_bool(out, "net.proxy", false, source, def.caps);
	}
	struct netinfo *w = def.wifi && def.have_rssi ? &def : have_wifi && wifi.have_rssi ? &wifi : NULL;
	if (w && w->rssi < 0 && w->rssi > -127) {
		char *raw = xasprintf("SignalStrength: %lld", w->rssi);
		put_num(out, "net.wifi_rssi", VT_INT, (double)w->rssi, source, lit(raw));
		put_bool(out, "net.wifi_weak", w->rssi <= -80, source, lit(raw));
		free(raw);
	}
	return 0;
}

int parse_wifi_status(const char *text, size_t len, const char *source, struct facts *out)
{
	struct cursor c;
	struct text line;
	bool status = false, connected = false;
	cursor_init(&c, text, len);
	while (next_line(&c, &line)) {
		struct text t = trim(line);
		if (starts(t, "Wifi is enabled") || starts(t, "Wifi is disabled")
		    || starts(t, "Wifi is not connected"))
			status = true;
		if (starts(t, "Wifi is connected to"))
			status = connected = true;
		if (!connected || (!starts(t, "WifiInfo:") && !starts(t, "Connection Details:")))
			continue;
		const char *r = find(t, "RSSI: ");
		long long rssi;
		if (!r || !to_long(word(after(t, r + 6), NULL), &rssi))
			return -1;
		if (rssi < 0 && rssi > -127) {
			put_num(out, "net.wifi_rssi", VT_INT, (double)rssi, source, t);
			char *raw = xasprintf("RSSI: %lld", rssi);
			put_bool(out, "net.wifi_weak", rssi <= -80, source, lit(raw));
			free(raw);
		}
		return 0;
	}
	return status ? 0 : -1;
}

/* ------------------------------------------------------------- storage ---- */

/* "51650944" (blocks of `unit` bytes) or "49G", "110.2G" (df -h). */
static bool df_size(struct text t, double unit, double *out)
{
	long long n;
	if (to_long(t, &n)) {
		if (n < 0)
			return false;
		*out = (double)n * unit;
		return true;
	}
	if (!t.n || t.n > 24)
		return false;
	char tmp[32];
	memcpy(tmp, t.s, t.n);
	tmp[t.n] = '\0';
	char *end;
	double v = strtod(tmp, &end);
	if (end == tmp || !isfinite(v) || v < 0)
		return false;
	double f = 1;
	switch (*end) {
	case 'K': f = 1024.0; break;
	case 'M': f = 1024.0 * 1024; break;
	case 'G': f = 1024.0 * 1024 * 1024; break;
	case 'T': f = 1024.0 * 1024 * 1024 * 1024; break;
	case '\0': f = unit; break;
	default: return false;
	}
	if (*end && end[1])
		return false;
	*out = v * f;
	return true;
}

int parse_df_data(const char *text, size_t len, const char *source, struct facts *out)
{
	struct cursor c;
	struct text line;
	double unit = 1024;
	bool header = false;
	cursor_init(&c, text, len);
	while (next_line(&c, &line)) {
		struct text t = trim(line);
		if (starts(t, "Filesystem")) {
			header = true;
			if (find(t, "1K-blocks"))
				unit = 1024;
			else if (find(t, "512B-blocks"))
				unit = 512;
			else if (find(t, "Size"))
				unit = 1;
			continue;
		}
		if (!header)
			continue;
		struct text col[7];
		size_t ncol = 0;
		for (struct text rest = t; rest.n && ncol < 7;) {
			col[ncol] = word(rest, NULL);
			rest = trim(skip(rest, col[ncol].n));
			ncol++;
		}
		/* Filesystem 1K-blocks Used Available Use% Mounted-on */
		if (ncol != 6 || !equals(col[5], "/data"))
			continue;
		double total, avail;
		if (!df_size(col[1], unit, &total) || !df_size(col[3], unit, &avail) || total <= 0
		    || avail > total)
			return -1;
		put_num(out, "storage.total", VT_BYTES, total, source, t);
		put_num(out, "storage.free", VT_BYTES, avail, source, t);
		put_num(out, "storage.free_pct", VT_PERCENT, round(avail * 1000.0 / total) / 10.0,
			source, t);
		return 0;
	}
	return -1;
}

int parse_media_count(const char *text, size_t len, const char *source, const char *fact,
		      struct facts *out)
{
	struct text v;
	if (!single_line(text, len, &v))
		return -1;
	if (equals(v, "No result found.")) {
		put_num(out, fact, VT_INT, 0, source, v);
		return 0;
	}
	/* "Row: 8411 _id=1000008790": rows count from 0 */
	long long row;
	if (!starts(v, "Row: ") || !to_long(word(skip(v, 5), NULL), &row) || row < 0)
		return -1;
	put_num(out, fact, VT_INT, (double)(row + 1), source, v);
	return 0;
}

/* ------------------------------------------------------------- accounts --- */

/*
 * The account kinds each app of the catalogue backs up with, as the phone's
 * account list names them.  Apps missing here (and apps the catalogue adds
 * later) get no account count: guessing a kind would count wrong accounts.
 */
static const struct {
	const char *app, *kinds[3];
} app_accounts[] = {
	{ "google_photos", { "com.google" } },
	{ "google_one", { "com.google" } },
	{ "onedrive", { "com.microsoft.skydrive" } },
	{ "samsung_gallery", { "com.osp.app.signin" } },
};

static const char *const *account_kinds(const char *app)
{
	for (size_t i = 0; i < sizeof(app_accounts) / sizeof(app_accounts[0]); i++)
		if (!strcmp(app_accounts[i].app, app))
			return app_accounts[i].kinds;
	return NULL;
}

int parse_accounts(const struct kb *kb, const char *text, size_t len, const char *source,
		   struct facts *out)
{
	struct cursor c;
	struct text line, header = { 0 }, count_raw = { 0 };
	bool in_owner = false, seen_owner = false;
	struct strlist kinds = STRLIST_INIT, all = STRLIST_INIT;
	long long declared = -1;
	struct buf raw = BUF_INIT;

	cursor_init(&c, text, len);
	while (next_line(&c, &line)) {
		struct text t = trim(line);
		if (starts(t, "User UserInfo{")) {
			/* the phone's owner is user 0; profiles keep their own accounts */
			in_owner = starts(t, "User UserInfo{0:") && !seen_owner;
			if (in_owner) {
				seen_owner = true;
				header = t;
			}
			continue;
		}
		if (!in_owner)
			continue;
		if (starts(t, "Accounts:") && declared < 0) {
			if (!to_long(skip(t, 9), &declared))
				declared = -2;
			count_raw = t;
			continue;
		}
		if (!starts(t, "Account {") || indent(line) < 2)
			continue;
		const char *ty = find(t, "type=");
		if (!ty)
			continue;
		struct text kind = word(after(t, ty + 5), "}");
		if (!kind.n)
			continue;
		char *k = clean(kind, 120);
		strlist_push(&all, k);
		if (!strlist_has(&kinds, k))
			strlist_push(&kinds, k);
		free(k);
		if (raw.len < RAW_MAX) {
			if (raw.len)
				buf_putc(&raw, '\n');
			buf_add(&raw, t.s, t.n > 200 ? 200 : t.n);
		}
	}
	if (!seen_owner || declared == -2) {
		strlist_release(&kinds);
		strlist_release(&all);
		buf_release(&raw);
		return -1;
	}
	if (!raw.len)
		buf_add(&raw, count_raw.n ? count_raw.s : header.s, count_raw.n ? count_raw.n : header.n);

	struct value v = { 0 };
	v.type = VT_LIST;
	strlist_copy(&v.l, &kinds);
	put(out, "accounts.types", &v, source, lit(buf_str(&raw)));
	value_release(&v);
	size_t google = 0;
	for (size_t i = 0; i < all.n; i++)
		google += !strcmp(all.v[i], "com.google");
	put_num(out, "accounts.google_count", VT_INT, (double)google, source, lit(buf_str(&raw)));

	for (size_t i = 0; kb && i < kb->napps; i++) {
		const struct app *a = &kb->apps[i];
		if (!android_package(a))
			continue;
		const char *const *ks = account_kinds(a->id);
		if (!ks && app_absent(out, a->id))
			continue;
		if (!ks) {
			char *note = xasprintf("%s: which kind of account %s signs in with is not known",
					       source, a->name);
			put_app_unknown(out, a->id, "account_count", note);
			free(note);
			continue;
		}
		size_t n = 0;
		for (size_t j = 0; j < all.n; j++)
			for (size_t k = 0; k < 3 && ks[k]; k++)
				n += !strcmp(all.v[j], ks[k]);
		put_app_num(out, a->id, "account_count", VT_INT, (double)n, source, lit(buf_str(&raw)));
	}
	strlist_release(&kinds);
	strlist_release(&all);
	buf_release(&raw);
	return 0;
}

/* ----------------------------------------------------------- management --- */

int parse_device_policy(const char *text, size_t len, const char *source, struct facts *out)
{
	struct cursor c;
	struct text line, owner_raw = { 0 }, owner_pkg = { 0 }, po_raw = { 0 }, po_pkg = { 0 };
	bool device_owner = false, profile_owner = false, dpm = false, work = false;
	int in = 0;	/* 1 in the device owner block, 2 in a profile owner's */
	size_t block_indent = 0;

	cursor_init(&c, text, len);
	while (next_line(&c, &line)) {
		struct text t = trim(line);
		if (find(t, "Device Policy Manager") || starts(t, "Enabled Device Admins")
		    || starts(t, "Device Owner") || starts(t, "Profile Owner"))
			dpm = true;
		if (starts(t, "Device Owner:")) {
			device_owner = true;
			owner_raw = t;
			in = 1;
			block_indent = indent(line);
			continue;
		}
		if (starts(t, "Profile Owner (User ")) {
			long long user = -1;
			to_long(word(skip(t, 20), ")"), &user);
			/* a profile owner of the main user is a managed phone, not a
			 * work profile */
			profile_owner = true;
			if (user != 0)
				work = true;
			po_raw = t;
			in = 2;
			block_indent = indent(line);
			continue;
		}
		if (in && (!t.n || indent(line) <= block_indent)) {
			in = 0;
			continue;
		}
		if (in && starts(t, "package=")) {
			struct text p = word(skip(t, 8), NULL);
			if (in == 1 && !owner_pkg.n)
				owner_pkg = p;
			if (in == 2 && !po_pkg.n)
				po_pkg = p;
		}
	}
	/* a real phone always prints the state header, owner or not */
	if (!dpm && !device_owner && !profile_owner)
		return -1;
	struct text none = lit("no device or profile owner");
	put_bool(out, "mdm.device_owner", device_owner, source, device_owner ? owner_raw : none);
	/* Android's counterpart of a supervised iPhone is the fully managed phone */
	put_bool(out, "mdm.supervised", device_owner, source, device_owner ? owner_raw : none);
	put_bool(out, "mdm.enrolled", device_owner || profile_owner, source,
		 device_owner ? owner_raw : profile_owner ? po_raw : none);
	if (device_owner && owner_pkg.n)
		put_str(out, "mdm.organization", owner_pkg, source, owner_pkg);
	else if (profile_owner && po_pkg.n)
		put_str(out, "mdm.organization", po_pkg, source, po_pkg);
	if (work)
		put_bool(out, "mdm.work_profile", true, source, po_raw);
	return 0;
}

int parse_users(const char *text, size_t len, const char *source, struct facts *out)
{
	struct cursor c;
	struct text line, hit = { 0 };
	bool header = false, work = false;
	size_t users = 0;
	cursor_init(&c, text, len);
	while (next_line(&c, &line)) {
		struct text t = trim(line);
		if (equals(t, "Users:")) {
			header = true;
			continue;
		}
		if (!header || !starts(t, "UserInfo{"))
			continue;
		users++;
		/* UserInfo{10:Work profile:1030}: flags in hex, 0x20 = managed profile */
		const char *close = memchr(t.s, '}', t.n);
		if (!close)
			continue;
		struct text in = { t.s + 9, (size_t)(close - t.s - 9) };
		const char *last = NULL;
		for (size_t i = 0; i < in.n; i++)
			if (in.s[i] == ':')
				last = in.s + i;
		if (!last)
			continue;
		struct text flags = after(in, last + 1);
		unsigned long long f = 0;
		bool ok = flags.n && flags.n <= 16;
		for (size_t i = 0; ok && i < flags.n; i++) {
			int d = isdigit((unsigned char)flags.s[i]) ? flags.s[i] - '0'
				: isxdigit((unsigned char)flags.s[i]) ? tolower((unsigned char)flags.s[i]) - 'a' + 10 : -1;
			if (d < 0)
				ok = false;
			else
				f = f * 16 + (unsigned)d;
		}
		/*
		 * Samsung's Secure Folder is a managed profile too (10061030), but
		 * the person's own vault: Samsung marks it with 0x10000000.
		 */
		if (ok && (f & 0x20) && !(f & 0x10000000) && !work) {
			work = true;
			hit = t;
		}
	}
	if (!header || !users)
		return -1;
	const struct value *known = facts_value(out, "mdm.work_profile");
	if (!known || !known->b)
		put_bool(out, "mdm.work_profile", work, source, work ? hit : lit("Users: no managed profile"));
	return 0;
}

/* ------------------------------------------------------------- packages --- */

void android_app_signals_init(struct android_app_signals *s)
{
	s->listed = s->known = s->user_installed = s->enabled = -1;
	s->stopped = s->not_launched = s->suspended = s->photo_user_granted = -1;
	s->jobs = s->network_jobs = -1;
}

int parse_packages(const struct kb *kb, const char *text, size_t len, const char *source,
		   struct facts *out, struct android_app_signals *sig)
{
	struct cursor c;
	struct text line;
	size_t napps = kb ? kb->napps : 0, listed = 0;
	struct text *hit = xcalloc(napps ? napps : 1, sizeof(*hit));

	cursor_init(&c, text, len);
	while (next_line(&c, &line)) {
		struct text t = trim(line);
		if (!starts(t, "package:"))
			continue;
		listed++;
		struct text name = word(skip(t, 8), NULL);
		mark_app_line(kb, name, t, hit);
	}
	/* a phone always has packages: nothing listed is no list */
	if (!listed) {
		free(hit);
		return -1;
	}
	for (size_t i = 0; i < napps; i++) {
		const struct app *a = &kb->apps[i];
		if (!android_package(a))
			continue;
		if (sig)
			sig[i].listed = hit[i].s != NULL;
		if (!hit[i].s) {
			char *raw = xasprintf("(no line for %s)", android_package(a));
			put_app_bool(out, a->id, "installed", false, source, lit(raw));
			free(raw);
			continue;
		}
		put_app_bool(out, a->id, "installed", true, source, hit[i]);
		const char *u = find(hit[i], " uid:");
		long long uid;
		if (u && to_long(word(after(hit[i], u + 5), NULL), &uid) && uid >= 0)
			put_app_num(out, a->id, "uid", VT_INT, (double)uid, source, hit[i]);
	}
	free(hit);
	return 0;
}

/* Runtime permission states of the photo permissions in User 0's block. */
enum { PERM_EXTERNAL, PERM_IMAGES, PERM_SELECTED, PERM__COUNT };
static const char *const perm_names[PERM__COUNT] = {
	"android.permission.READ_EXTERNAL_STORAGE:",
	"android.permission.READ_MEDIA_IMAGES:",
	"android.permission.READ_MEDIA_VISUAL_USER_SELECTED:",
};

int parse_dumpsys_package(const char *id, const char *pkg, const char *text, size_t len,
			  const char *source, int sdk, struct facts *out,
			  struct android_app_signals *sig)
{
	struct cursor c;
	struct text line;
	char head[300];
	bool in_pkg = false, done = false, unable = false;
	size_t pkg_indent = 0;
	int in_user0 = 0;	/* 1 inside "User 0:", 2 inside its runtime permissions */
	size_t user_indent = 0;
	struct text version = { 0 }, version_raw = { 0 }, updated = { 0 }, user_raw = { 0 };
	struct text uid_raw = { 0 };
	long long uid = -1;
	int perm[PERM__COUNT], perm_user_set[PERM__COUNT];
	struct text perm_raw[PERM__COUNT];
	int installed = -1, enabled = -1, stopped = -1, not_launched = -1, suspended = -1;

	for (int k = 0; k < PERM__COUNT; k++) {
		perm[k] = perm_user_set[k] = -1;
		perm_raw[k].s = NULL;
		perm_raw[k].n = 0;
	}
	snprintf(head, sizeof(head), "Package [%s]", pkg);
	cursor_init(&c, text, len);
	while (!done && next_line(&c, &line)) {
		struct text t = trim(line);
		if (!in_pkg) {
			/* the first block is the package as installed; "Hidden system
			 * packages:" may list the factory version again later */
			if (starts(t, head)) {
				in_pkg = true;
				pkg_indent = indent(line);
			} else if (starts(t, "Unable to find package:")) {
				unable = true;
			}
			continue;
		}
		if (t.n && indent(line) <= pkg_indent) {
			done = true;
			break;
		}
		if (!t.n)
			continue;
		size_t ind = indent(line);
		if (in_user0 && ind <= user_indent)
			in_user0 = 0;
		if (in_user0 == 2 && ind <= user_indent + 2)
			in_user0 = 1;
		if (starts(t, "User 0:")) {
			in_user0 = 1;
			user_indent = ind;
			user_raw = t;
			installed = kv_bool(t, "installed");
			stopped = kv_bool(t, "stopped");
			not_launched = kv_bool(t, "notLaunched");
			suspended = kv_bool(t, "suspended");
			bool found;
			long long e;
			if (to_long(kv_value(t, "enabled", &found), &e) && found)
				enabled = e == 0 || e == 1 ? 1 : 0;
			continue;
		}
		if (in_user0 == 1 && equals(t, "runtime permissions:")) {
			in_user0 = 2;
			continue;
		}
		if (in_user0 == 2) {
			for (int k = 0; k < PERM__COUNT; k++) {
				if (!starts(t, perm_names[k]) || perm[k] >= 0)
					continue;
				perm[k] = kv_bool(t, "granted");
				perm_user_set[k] = find(t, "USER_SET") != NULL;
				perm_raw[k] = t;
			}
			continue;
		}
		if (in_user0)
			continue;
		if (starts(t, "versionName=") && !version.n) {
			version = trim(skip(t, 12));
			version_raw = t;
		} else if (starts(t, "lastUpdateTime=") && !updated.n) {
			updated = t;
		} else if ((starts(t, "userId=") || starts(t, "appId=")) && uid < 0) {
			to_long(skip(t, starts(t, "userId=") ? 7 : 6), &uid);
			uid_raw = t;
		}
	}
	if (!in_pkg && !unable)
		return -1;
	if (sig)
		sig->known = in_pkg;
	if (!in_pkg) {
		/* the package is not on the phone (for any user) */
		if (sig)
			sig->user_installed = 0;
		return 0;
	}
	if (sig) {
		sig->user_installed = installed;
		sig->enabled = enabled;
		sig->stopped = stopped;
		sig->not_launched = not_launched;
		sig->suspended = suspended;
	}
	if (installed == 0)
		return 0;	/* uninstalled for this user, data kept: nothing to say */
	if (enabled >= 0)
		put_app_bool(out, id, "enabled", enabled == 1, source, user_raw);
	if (version.n) {
		char *name = app_fact(id, "version");
		put_str(out, name, version, source, version_raw);
		free(name);
	}
	if (updated.n) {
		/* the phone's local time; minutes do not matter for "a year old" */
		char *v = clean(trim(skip(updated, 15)), 40);
		double ts;
		if (!timestamp_parse(v, &ts) && ts > 86400.0 * 365 * 2)
			put_app_num(out, id, "updated", VT_TIMESTAMP, ts, source, updated);
		free(v);
	}
	if (uid >= 0) {
		char *name = app_fact(id, "uid");
		if (!facts_value(out, name))
			put_num(out, name, VT_INT, (double)uid, source, uid_raw);
		free(name);
	}
	/*
	 * Photo access.  Android 13 split the storage permission into
	 * READ_MEDIA_IMAGES / _VIDEO; Android 14 added "selected photos" as
	 * READ_MEDIA_VISUAL_USER_SELECTED (granted while IMAGES is not).  Apps
	 * that target older versions keep READ_EXTERNAL_STORAGE.
	 */
	const char *access = NULL;
	int k_used = -1;
	if (sdk >= 33 && perm[PERM_IMAGES] >= 0) {
		if (perm[PERM_IMAGES] == 1) {
			access = "granted";
			k_used = PERM_IMAGES;
		} else if (perm[PERM_SELECTED] == 1) {
			access = "partial";
			k_used = PERM_SELECTED;
		} else {
			access = "denied";
			k_used = PERM_IMAGES;
		}
	} else if (perm[PERM_EXTERNAL] >= 0) {
		access = perm[PERM_EXTERNAL] == 1 ? "granted" : "denied";
		k_used = PERM_EXTERNAL;
	} else if (sdk <= 0 && perm[PERM_IMAGES] >= 0) {
		access = perm[PERM_IMAGES] == 1 ? "granted" : perm[PERM_SELECTED] == 1 ? "partial" : "denied";
		k_used = perm[PERM_IMAGES] == 1 || perm[PERM_SELECTED] != 1 ? PERM_IMAGES : PERM_SELECTED;
	}
	if (access) {
		char *name = app_fact(id, "photo_access");
		put_str(out, name, lit(access), source, perm_raw[k_used]);
		free(name);
		if (sig)
			sig->photo_user_granted = strcmp(access, "denied") && perm_user_set[k_used] == 1;
	} else {
		char *note = xasprintf("%s: no photo permission listed for user 0", source);
		put_app_unknown(out, id, "photo_access", note);
		free(note);
	}
	return 0;
}

int parse_standby_bucket(const char *id, const char *text, size_t len, const char *source,
			 struct facts *out)
{
	struct text v;
	long long b;
	if (!single_line(text, len, &v) || !to_long(v, &b) || b < 5 || b > 50)
		return -1;
	put_app_num(out, id, "standby_bucket", VT_INT, (double)b, source, v);
	return 0;
}

int parse_appops_background(const char *id, const char *text, size_t len, const char *source,
			    struct facts *out)
{
	struct cursor c;
	struct text line, hit = { 0 };
	int restricted = -1;
	bool no_ops = false;
	cursor_init(&c, text, len);
	while (next_line(&c, &line)) {
		struct text t = trim(line);
		if (equals(t, "No operations.")) {
			no_ops = true;
			hit = t;
			continue;
		}
		/* "RUN_ANY_IN_BACKGROUND: ignore; time=…", or "Uid mode: …" first */
		const char *op = find(t, "RUN_ANY_IN_BACKGROUND: ");
		if (!op)
			continue;
		struct text mode = word(after(t, op + 23), ";");
		int r = equals(mode, "ignore") || equals(mode, "deny") || equals(mode, "errored") ? 1
			: equals(mode, "allow") || equals(mode, "default") || equals(mode, "foreground") ? 0 : -1;
		if (r < 0)
			continue;
		/* either mode restricting (the package's or the uid's) restricts */
		if (r == 1 || restricted < 0) {
			if (restricted != 1)
				hit = t;
			restricted = r == 1 ? 1 : restricted < 0 ? 0 : restricted;
		}
	}
	if (restricted < 0 && !no_ops)
		return -1;
	put_app_bool(out, id, "bg_restricted", restricted == 1, source, hit);
	return 0;
}

/* One job of `dumpsys jobscheduler PKG`, as far as the rules care. */
struct job {
	bool network, unmetered, charging;
	bool wait_network, wait_charging;
	struct text wait_raw, req_raw;
};

static void job_line(struct job *j, struct text t)
{
	if (starts(t, "Required constraints:")) {
		j->req_raw = t;
		if (find(t, " CONNECTIVITY") || find(t, " UNMETERED"))
			j->network = true;
		if (find(t, " UNMETERED"))
			j->unmetered = true;	/* Android 8 names it */
		if (find(t, " CHARGING"))
			j->charging = true;
	} else if (starts(t, "Unsatisfied constraints:")) {
		if (find(t, " CONNECTIVITY") || find(t, " UNMETERED")) {
			j->wait_network = true;
			j->wait_raw = t;
		}
		if (find(t, " CHARGING")) {
			j->wait_charging = true;
			if (!j->wait_raw.s || !j->wait_network)
				j->wait_raw = t;
		}
	} else if (starts(t, "Network type:")) {
		j->network = true;
		struct text v = trim(skip(t, 13));
		long long n;
		/* Android 8: a number, 2 = unmetered; later a NetworkRequest */
		if (to_long(v, &n))
			j->unmetered = n == 2;
		else if (find(v, "NOT_METERED"))
			j->unmetered = true;
	}
}

int parse_jobscheduler(const char *id, const char *text, size_t len, const char *source,
		       struct facts *out, struct android_app_signals *sig)
{
	struct cursor c;
	struct text line, wait_u = { 0 }, wait_c = { 0 }, any_req = { 0 };
	struct job j;
	bool in_job = false, understood = false, invalid = false;
	size_t job_indent = 0;
	int jobs = 0, network_jobs = 0;
	bool waits_unmetered = false, waits_charging = false;

#define END_JOB()                                                                     \
	do {                                                                          \
		if (in_job) {                                                         \
			jobs++;                                                       \
			network_jobs += j.network;                                    \
			if (j.req_raw.s && !any_req.s)                                \
				any_req = j.req_raw;                                  \
			if (j.network && j.unmetered && j.wait_network && !waits_unmetered) { \
				waits_unmetered = true;                               \
				wait_u = j.wait_raw;                                  \
			}                                                             \
			if (j.charging && j.wait_charging && !waits_charging) {       \
				waits_charging = true;                                \
				wait_c = j.wait_raw;                                  \
			}                                                             \
		}                                                                     \
		in_job = false;                                                       \
	} while (0)

	cursor_init(&c, text, len);
	while (next_line(&c, &line)) {
		struct text t = trim(line);
		if (starts(t, "Invalid package:") || starts(t, "Package not found:"))
			invalid = true;
		if (starts(t, "Registered ") || starts(t, "Started users:")
		    || starts(t, "JobScheduler:") || starts(t, "Settings:")
		    || starts(t, "Pending queue:") || starts(t, "Active jobs:"))
			understood = true;
		if (starts(t, "JOB #") || (starts(t, "JOB ") && find(t, "#") && find(t, ": "))) {
			END_JOB();
			understood = true;
			in_job = true;
			job_indent = indent(line);
			memset(&j, 0, sizeof(j));
			continue;
		}
		if (!in_job)
			continue;
		if (t.n && indent(line) <= job_indent) {
			END_JOB();
			continue;
		}
		job_line(&j, t);
	}
	END_JOB();
#undef END_JOB
	if (invalid && !jobs)
		return 0;	/* not installed: no jobs, and nothing to say */
	if (!understood)
		return -1;
	if (sig) {
		sig->jobs = jobs;
		sig->network_jobs = network_jobs;
	}
	struct text none = lit(jobs ? "no job waits for it" : "no job scheduled");
	put_app_bool(out, id, "waits_unmetered", waits_unmetered, source,
		     waits_unmetered ? wait_u : any_req.s ? any_req : none);
	put_app_bool(out, id, "waits_charging", waits_charging, source,
		     waits_charging ? wait_c : any_req.s ? any_req : none);
	return 0;
}

/* ---------------------------------------------------------------- in_use -- */

int android_in_use(const struct android_app_signals *s, const char **why)
{
	if (s->listed == 0 && s->user_installed != 1) {
		*why = "derived: not installed";
		return 0;
	}
	if (s->user_installed == 0) {
		*why = "derived: not installed for this user";
		return 0;
	}
	if (s->listed < 0 && s->user_installed < 0) {
		*why = "derived: whether it is installed could not be read";
		return -1;
	}
	if (s->enabled == 0) {
		/* set up, then disabled: the person relied on it */
		if (s->not_launched == 0 && s->photo_user_granted == 1) {
			*why = "derived: disabled, but it had been opened and given access to the photos";
			return 1;
		}
		if (s->enabled == 0 && (s->not_launched == 1 || s->photo_user_granted == 0)) {
			*why = "derived: disabled, and never set up (not opened or no photo access given)";
			return 0;
		}
		*why = "derived: disabled; whether it had been set up could not be read";
		return -1;
	}
	if (s->not_launched == 1) {
		*why = "derived: never opened (notLaunched=true)";
		return 0;
	}
	if (s->stopped == 1) {
		*why = "derived: force-stopped and not run since (stopped=true)";
		return 0;
	}
	if (s->enabled == 1 && s->not_launched == 0 && s->network_jobs > 0) {
		*why = "derived: installed, enabled, opened, upload work scheduled";
		return 1;
	}
	if (s->network_jobs == 0) {
		*why = "derived: installed and opened, but no upload work scheduled";
		return -1;
	}
	*why = "derived: installed; its state could not be read";
	return -1;
}

/* --------------------------------------------------------------- queries -- */

enum qkind {
	Q_PHOTOS, Q_VIDEOS, Q_CONNECTIVITY, Q_ACCOUNT, Q_DEVICE_POLICY, Q_PACKAGES, Q_GETPROP,
	Q_BATTERY, Q_POWER, Q_DEVICEIDLE, Q_WHITELIST, Q_NP_GET, Q_NP_WHITE, Q_NP_BLACK,
	Q_WIFI, Q_DF, Q_USERS, Q_LOW_POWER, Q_HTTP_PROXY,
	Q__GLOBAL,
	/* per app */
	Q_PKG = Q__GLOBAL, Q_JOBS, Q_BUCKET, Q_APPOPS,
	Q__COUNT,
};

static const char *const global_queries[Q__GLOBAL] = {
	[Q_PHOTOS] = "content query --uri content://media/external/images/media --projection _id"
		     " | tail -n 1",
	[Q_VIDEOS] = "content query --uri content://media/external/video/media --projection _id"
		     " | tail -n 1",
	[Q_CONNECTIVITY] = "dumpsys connectivity",
	[Q_ACCOUNT] = "dumpsys account",
	[Q_DEVICE_POLICY] = "dumpsys device_policy",
	[Q_PACKAGES] = "pm list packages -U",
	[Q_GETPROP] = "getprop",
	[Q_BATTERY] = "dumpsys battery",
	[Q_POWER] = "dumpsys power",
	[Q_DEVICEIDLE] = "dumpsys deviceidle",
	[Q_WHITELIST] = "dumpsys deviceidle whitelist",
	[Q_NP_GET] = "cmd netpolicy get restrict-background",
	[Q_NP_WHITE] = "cmd netpolicy list restrict-background-whitelist",
	[Q_NP_BLACK] = "cmd netpolicy list restrict-background-blacklist",
	[Q_WIFI] = "cmd wifi status",
	[Q_DF] = "df /data",
	[Q_USERS] = "pm list users",
	[Q_LOW_POWER] = "settings get global low_power",
	[Q_HTTP_PROXY] = "settings get global http_proxy",
};

static char *app_query(enum qkind k, const char *pkg)
{
	switch (k) {
	case Q_PKG: return xasprintf("dumpsys package %s", pkg);
	case Q_JOBS: return xasprintf("dumpsys jobscheduler %s", pkg);
	case Q_BUCKET: return xasprintf("am get-standby-bucket %s", pkg);
	case Q_APPOPS: return xasprintf("cmd appops get %s RUN_ANY_IN_BACKGROUND", pkg);
	default: return NULL;
	}
}

void android_queries(const struct kb *kb, struct strlist *out)
{
	/* the big dumps first, then per app, then the quick ones */
	for (int k = 0; k <= Q_PACKAGES; k++)
		strlist_push(out, global_queries[k]);
	for (int k = Q_PKG; k < Q__COUNT; k++)
		for (size_t i = 0; kb && i < kb->napps; i++) {
			const char *pkg = android_package(&kb->apps[i]);
			if (!pkg)
				continue;
			strlist_push_owned(out, app_query((enum qkind)k, pkg));
		}
	for (int k = Q_PACKAGES + 1; k < Q__GLOBAL; k++)
		strlist_push(out, global_queries[k]);
}

/* The facts each command gives, for the notes when it could not be read. */
static const char *const global_facts[Q__GLOBAL][9] = {
	[Q_PHOTOS] = { "media.photo_count" },
	[Q_VIDEOS] = { "media.video_count" },
	[Q_CONNECTIVITY] = { "net.connected", "net.type", "net.metered", "net.validated", "net.vpn",
			     "net.proxy" },
	[Q_ACCOUNT] = { "accounts.types", "accounts.google_count" },
	[Q_DEVICE_POLICY] = { "mdm.device_owner", "mdm.supervised", "mdm.enrolled",
			      "mdm.backup_blocked" },
	[Q_GETPROP] = { "device.model", "device.manufacturer", "device.os_version",
			"device.os_major", "device.sdk", "device.build", "device.security_patch",
			"device.beta" },
	[Q_BATTERY] = { "battery.level", "battery.charging", "battery.plugged",
			"battery.temperature" },
	[Q_POWER] = { "power.battery_low" },
	[Q_DEVICEIDLE] = { "doze.state", "doze.deep_idle" },
	[Q_NP_GET] = { "net.data_saver" },
	[Q_WIFI] = { "net.wifi_rssi", "net.wifi_weak" },
	[Q_DF] = { "storage.total", "storage.free", "storage.free_pct" },
	[Q_USERS] = { "mdm.work_profile" },
	[Q_LOW_POWER] = { "power.battery_saver" },
	[Q_HTTP_PROXY] = { "net.proxy" },
};

static const char *const app_facts[][5] = {
	[Q_PKG - Q__GLOBAL] = { "enabled", "version", "updated", "photo_access" },
	[Q_JOBS - Q__GLOBAL] = { "waits_unmetered", "waits_charging" },
	[Q_BUCKET - Q__GLOBAL] = { "standby_bucket" },
	[Q_APPOPS - Q__GLOBAL] = { "bg_restricted" },
};

/* ------------------------------------------------------------ the whole --- */

struct actx {
	const struct kb *kb;
	const struct capture *cap;
	struct facts *out;
	char *os;		/* "Android 14 (SDK 34)", for notes */
};

static const struct answer *answer_for(const struct capture *cap, const char *query)
{
	for (size_t i = 0; i < cap->nanswers; i++)
		if (cap->answers[i].query && !strcmp(cap->answers[i].query, query))
			return &cap->answers[i];
	return NULL;
}

static const char *dev_value(const struct capture *cap, const char *key)
{
	for (size_t i = 0; i < cap->ndevice; i++)
		if (cap->device[i].key && !strcmp(cap->device[i].key, key))
			return cap->device[i].value;
	return NULL;
}

/* Only set the note when no parser has told the fact already. */
static void unknown_if_unset(struct facts *out, const char *name, const char *note)
{
	const struct fact *f = facts_get(out, name);
	if (f && f->state != FACT_UNKNOWN)
		return;
	if (f && f->note)
		return;
	facts_set_unknown(out, name, note);
}

/* The first line of stderr (or of stdout), cleaned, for a note. */
static char *first_line(const char *s, size_t len)
{
	struct cursor c;
	struct text line;
	cursor_init(&c, s, len);
	while (next_line(&c, &line))
		if (trim(line).n)
			return clean(trim(line), 160);
	return NULL;
}

/*
 * Why an answer cannot be used, or NULL when it can.  A command the phone
 * does not have answers on stderr ("Unknown command", "not found", "Can't
 * find service") with nothing on stdout.
 */
static char *answer_problem(const struct actx *cx, const char *query, const struct answer *a)
{
	const char *os = cx->os ? cx->os : "this Android version";
	if (!a)
		return xasprintf("%s: not asked", query);
	switch (a->status) {
	case ANSWER_OK:
		break;
	case ANSWER_TIMEOUT:
		return xasprintf("%s: no answer within the deadline (%s)", query, os);
	case ANSWER_CUT:
		return xasprintf("%s: the connection ended before the answer was complete (%s)",
				 query, os);
	case ANSWER_FAILED:
		return a->error ? xasprintf("%s: could not be asked: %s (%s)", query, a->error, os)
				: xasprintf("%s: could not be asked (%s)", query, os);
	}
	char *err = first_line(a->err, a->err_len);
	char *outl = first_line(a->out, a->out_len);
	char *r = NULL;
	/* shell v1 mixes stderr into stdout; then only a failing status tells */
	const char *msg = err ? err : a->exit_code > 0 ? outl : NULL;
	if (msg && (strstr(msg, "Unknown command") || strstr(msg, "not found")
		    || strstr(msg, "Can't find service") || strstr(msg, "inaccessible")
		    || strstr(msg, "Unknown operation")))
		r = xasprintf("%s: not available on %s (%s)", query, os, msg);
	else if (!outl && err)
		r = xasprintf("%s: failed on %s: %s", query, os, err);
	free(err);
	free(outl);
	return r;
}

static void fail_global(struct actx *cx, enum qkind k, const char *note)
{
	for (size_t i = 0; i < 9 && global_facts[k][i]; i++)
		unknown_if_unset(cx->out, global_facts[k][i], note);
}

static void fail_app(struct actx *cx, enum qkind k, const struct app *a, const char *note)
{
	for (size_t i = 0; i < 5 && app_facts[k - Q__GLOBAL][i]; i++) {
		char *name = app_fact(a->id, app_facts[k - Q__GLOBAL][i]);
		unknown_if_unset(cx->out, name, note);
		free(name);
	}
}

/* Run one global command's parser; on any trouble mark its facts unknown. */
static void run_global(struct actx *cx, enum qkind k, struct android_app_signals *sig)
{
	const char *q = global_queries[k];
	const struct answer *a = answer_for(cx->cap, q);
	char *why = answer_problem(cx, q, a);
	if (!why) {
		const char *t = a->out ? a->out : "";
		size_t n = a->out ? a->out_len : 0;
		int r = -1;
		switch (k) {
		case Q_GETPROP: r = parse_getprop(t, n, q, cx->out); break;
		case Q_LOW_POWER: r = parse_settings_low_power(t, n, q, cx->out); break;
		case Q_HTTP_PROXY: r = parse_settings_http_proxy(t, n, q, cx->out); break;
		case Q_BATTERY: r = parse_dumpsys_battery(t, n, q, cx->out); break;
		case Q_POWER: r = parse_dumpsys_power(t, n, q, cx->out); break;
		case Q_DEVICEIDLE: r = parse_dumpsys_deviceidle(t, n, q, cx->out); break;
		case Q_WHITELIST: r = parse_deviceidle_whitelist(cx->kb, t, n, q, cx->out); break;
		case Q_NP_GET: r = parse_netpolicy_restrict(t, n, q, cx->out); break;
		case Q_NP_WHITE:
		case Q_NP_BLACK: r = parse_netpolicy_uids(cx->kb, t, n, q, cx->out); break;
		case Q_CONNECTIVITY: r = parse_connectivity(t, n, q, cx->out); break;
		case Q_WIFI: r = parse_wifi_status(t, n, q, cx->out); break;
		case Q_DF: r = parse_df_data(t, n, q, cx->out); break;
		case Q_PHOTOS: r = parse_media_count(t, n, q, "media.photo_count", cx->out); break;
		case Q_VIDEOS: r = parse_media_count(t, n, q, "media.video_count", cx->out); break;
		case Q_ACCOUNT: r = parse_accounts(cx->kb, t, n, q, cx->out); break;
		case Q_DEVICE_POLICY: r = parse_device_policy(t, n, q, cx->out); break;
		case Q_USERS: r = parse_users(t, n, q, cx->out); break;
		case Q_PACKAGES: r = parse_packages(cx->kb, t, n, q, cx->out, sig); break;
		default: break;
		}
		if (!r)
			return;
		why = xasprintf("%s: output not understood on %s", q,
				cx->os ? cx->os : "this Android version");
	}
	fail_global(cx, k, why);
	if (k == Q_WHITELIST || k == Q_NP_WHITE || k == Q_NP_BLACK || k == Q_ACCOUNT
	    || k == Q_PACKAGES) {
		const char *field = k == Q_WHITELIST ? "battery_exempt" : k == Q_NP_WHITE
			? "data_saver_exempt" : k == Q_NP_BLACK ? "bg_data_restricted"
			: k == Q_ACCOUNT ? "account_count" : "installed";
		for (size_t i = 0; i < cx->kb->napps; i++) {
			const struct app *ap = &cx->kb->apps[i];
			if (!android_package(ap))
				continue;
			char *name = app_fact(ap->id, field);
			unknown_if_unset(cx->out, name, why);
			free(name);
		}
	}
	free(why);
}

static void run_app(struct actx *cx, enum qkind k, const struct app *ap,
		    struct android_app_signals *sig, int sdk)
{
	char *q = app_query(k, android_package(ap));
	const struct answer *a = answer_for(cx->cap, q);
	char *why = answer_problem(cx, q, a);
	/* an app that is not installed has no bucket, ops or jobs to tell */
	char *iname = app_fact(ap->id, "installed");
	const struct value *inst = facts_value(cx->out, iname);
	free(iname);
	bool absent = inst && inst->type == VT_BOOL && !inst->b;
	if (!why) {
		const char *t = a->out ? a->out : "";
		size_t n = a->out ? a->out_len : 0;
		int r = -1;
		switch (k) {
		case Q_PKG: r = parse_dumpsys_package(ap->id, android_package(ap), t, n, q, sdk, cx->out, sig); break;
		case Q_JOBS: r = parse_jobscheduler(ap->id, t, n, q, cx->out, sig); break;
		case Q_BUCKET: r = parse_standby_bucket(ap->id, t, n, q, cx->out); break;
		case Q_APPOPS: r = parse_appops_background(ap->id, t, n, q, cx->out); break;
		default: break;
		}
		if (!r || absent) {
			free(q);
			return;
		}
		why = xasprintf("%s: output not understood on %s", q,
				cx->os ? cx->os : "this Android version");
	}
	if (!absent)
		fail_app(cx, k, ap, why);
	free(why);
	free(q);
}

/* The facts an unreadable phone leaves unknown. */
static const char *const unreadable_facts[] = {
	"device.os_version", "device.os_major", "device.sdk", "device.build",
	"device.security_patch", "device.beta", "power.battery_saver", "power.battery_low",
	"battery.level", "battery.charging", "battery.plugged", "battery.temperature",
	"doze.state", "doze.deep_idle", "net.connected", "net.type", "net.metered",
	"net.validated", "net.vpn", "net.proxy", "net.data_saver", "net.wifi_rssi",
	"net.wifi_weak", "storage.total", "storage.free", "storage.free_pct",
	"media.photo_count", "media.video_count", "accounts.types", "accounts.google_count",
	"mdm.device_owner", "mdm.supervised", "mdm.enrolled", "mdm.work_profile",
	"mdm.backup_blocked",
};
static const char *const unreadable_app_facts[] = {
	"installed", "enabled", "in_use", "version", "updated", "uid", "standby_bucket",
	"bg_restricted", "battery_exempt", "photo_access", "bg_data_restricted",
	"data_saver_exempt", "waits_unmetered", "waits_charging", "account_count",
};

static void parse_unreadable(const struct kb *kb, const struct capture *cap, struct facts *out,
			     const char *state)
{
	const char *src = "adb devices -l";
	const char *model = dev_value(cap, "model");
	if (model && *model) {
		char *m = xstrdup(model);
		for (char *p = m; *p; p++)
			if (*p == '_')
				*p = ' ';
		char *raw = xasprintf("model:%s", model);
		put_str(out, "device.model", lit(m), src, lit(raw));
		free(raw);
		free(m);
	}
	const char *err = dev_value(cap, "error");
	if (!err)
		err = cap->note;
	if (err && *err)
		put_str(out, "connection.error", lit(err), src, lit(err));
	char *note = xasprintf("the phone could not be read: adb reports it %s", state);
	for (size_t i = 0; i < sizeof(unreadable_facts) / sizeof(unreadable_facts[0]); i++)
		facts_set_unknown(out, unreadable_facts[i], note);
	if (!model)
		facts_set_unknown(out, "device.model", note);
	for (size_t i = 0; kb && i < kb->napps; i++) {
		if (!android_package(&kb->apps[i]))
			continue;
		for (size_t j = 0; j < sizeof(unreadable_app_facts) / sizeof(unreadable_app_facts[0]); j++)
			put_app_unknown(out, kb->apps[i].id, unreadable_app_facts[j], note);
	}
	free(note);
}

/*
 * A management policy blocks the backup when the device or profile owner
 * has suspended a backup app the person uses; without an owner nothing can
 * block it.  Other policies (an app's managed configuration) cannot be read
 * over adb.
 */
static void derive_backup_blocked(struct actx *cx, const struct android_app_signals *sig)
{
	const struct value *dev = facts_value(cx->out, "mdm.enrolled");
	if (!dev) {
		unknown_if_unset(cx->out, "mdm.backup_blocked",
				 "whether a policy blocks the backup could not be read");
		return;
	}
	if (!dev->b) {
		put_bool(cx->out, "mdm.backup_blocked", false, global_queries[Q_DEVICE_POLICY],
			 lit("no device or profile owner"));
		return;
	}
	for (size_t i = 0; i < cx->kb->napps; i++) {
		const struct app *a = &cx->kb->apps[i];
		if (!android_package(a) || sig[i].suspended != 1)
			continue;
		char *src = app_query(Q_PKG, android_package(a));
		char *raw = xasprintf("%s: suspended=true (the managing app suspended it)", a->name);
		put_bool(cx->out, "mdm.backup_blocked", true, src, lit(raw));
		free(raw);
		free(src);
		return;
	}
	unknown_if_unset(cx->out, "mdm.backup_blocked",
			 "the phone is managed; the policies set for each app (managed "
			 "configurations) cannot be read over adb");
}

int android_parse(const struct kb *kb, const struct capture *cap, struct facts *out)
{
	struct actx cx = { kb, cap, out, NULL };
	const char *state = cap->device_state ? cap->device_state : "unknown";
	char *devraw = xasprintf("%s %s", cap->device_id ? cap->device_id : "?", state);
	size_t napps = kb ? kb->napps : 0;
	struct android_app_signals *sig = xcalloc(napps ? napps : 1, sizeof(*sig));

	if (cap->captured_at > 0)
		out->captured_at = cap->captured_at;
	put_str(out, "device.platform", lit("android"), "adb devices -l", lit(devraw));
	put_str(out, "connection.state", lit(state), "adb devices -l", lit(devraw));
	free(devraw);
	if (strcmp(state, "ready") && strcmp(state, "device")) {
		parse_unreadable(kb, cap, out, state);
		free(sig);
		return 0;
	}
	for (size_t i = 0; i < napps; i++)
		android_app_signals_init(&sig[i]);

	/* identity first: the notes name the Android version */
	run_global(&cx, Q_GETPROP, sig);
	const struct value *major = facts_value(out, "device.os_major");
	const struct value *sdkv = facts_value(out, "device.sdk");
	int sdk = sdkv ? (int)sdkv->n : 0;
	if (major && sdkv)
		cx.os = xasprintf("Android %d, SDK %d", (int)major->n, sdk);
	else if (major)
		cx.os = xasprintf("Android %d", (int)major->n);

	/* settings before dumps: dumps only fill what the settings left open */
	static const enum qkind order[] = {
		Q_LOW_POWER, Q_HTTP_PROXY, Q_BATTERY, Q_POWER, Q_DEVICEIDLE, Q_CONNECTIVITY,
		Q_DF, Q_PHOTOS, Q_VIDEOS, Q_DEVICE_POLICY, Q_USERS, Q_PACKAGES, Q_WHITELIST,
		Q_NP_GET, Q_ACCOUNT,
	};
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		run_global(&cx, order[i], sig);

	/* Wi-Fi: `cmd wifi status` (Android 11+) refines what connectivity said */
	{
		const char *q = global_queries[Q_WIFI];
		const struct answer *a = answer_for(cap, q);
		char *why = answer_problem(&cx, q, a);
		if (!why && parse_wifi_status(a->out ? a->out : "", a->out ? a->out_len : 0, q, out))
			why = xasprintf("%s: output not understood on %s", q,
					cx.os ? cx.os : "this Android version");
		if (why) {
			const struct value *type = facts_value(out, "net.type");
			bool on_wifi = type && type->type == VT_STRING && !strcmp(type->s, "wifi");
			/* off Wi-Fi there is no signal to tell; on it, connectivity may have */
			if (on_wifi)
				fail_global(&cx, Q_WIFI, why);
			free(why);
		}
	}

	for (size_t i = 0; i < napps; i++) {
		const struct app *a = &kb->apps[i];
		if (!android_package(a))
			continue;
		for (int k = Q_PKG; k < Q__COUNT; k++)
			run_app(&cx, (enum qkind)k, a, &sig[i], sdk);
	}
	/* the uid lists need the uids read above */
	run_global(&cx, Q_NP_WHITE, sig);
	run_global(&cx, Q_NP_BLACK, sig);

	for (size_t i = 0; i < napps; i++) {
		const struct app *a = &kb->apps[i];
		if (!android_package(a))
			continue;
		/* pm list said absent but dumpsys knows it installed, or the reverse */
		if (sig[i].listed == 0 && sig[i].user_installed == 1) {
			char *src = app_query(Q_PKG, android_package(a));
			put_app_bool(out, a->id, "installed", true, src, lit("User 0: installed=true"));
			free(src);
		}
		const char *why = NULL;
		int use = android_in_use(&sig[i], &why);
		char *name = app_fact(a->id, "in_use");
		if (use >= 0) {
			struct value v = { 0 };
			value_set_bool(&v, use == 1);
			facts_set(out, name, FACT_KNOWN, &v, why, NULL, NULL);
		} else {
			facts_set_unknown(out, name, why);
		}
		free(name);
	}
	derive_backup_blocked(&cx, sig);
	free(cx.os);
	free(sig);
	return 0;
}

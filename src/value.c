/* value.c - typed values: names, units, formatting for people, comparison, answers. */
#define _DEFAULT_SOURCE
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "value.h"
#include "banned.h"

static const char *const type_names[] = {
	[VT_NONE] = "none",		[VT_BOOL] = "bool",
	[VT_INT] = "int",		[VT_BYTES] = "bytes",
	[VT_PERCENT] = "percent",	[VT_DURATION] = "duration",
	[VT_TIMESTAMP] = "timestamp",	[VT_STRING] = "string",
	[VT_LIST] = "list",		[VT_RATE] = "rate",
};

const char *vtype_name(enum vtype t)
{
	return (size_t)t < sizeof(type_names) / sizeof(*type_names) ? type_names[t] : "?";
}

enum vtype vtype_from_name(const char *name)
{
	for (size_t i = 1; i < sizeof(type_names) / sizeof(*type_names); i++)
		if (!strcmp(type_names[i], name))
			return (enum vtype)i;
	return VT_NONE;
}

bool vtype_numeric(enum vtype t)
{
	return t == VT_INT || t == VT_BYTES || t == VT_PERCENT || t == VT_DURATION ||
	       t == VT_TIMESTAMP || t == VT_RATE;
}

void value_release(struct value *v)
{
	free(v->s);
	strlist_release(&v->l);
	memset(v, 0, sizeof(*v));
}

void value_copy(struct value *dst, const struct value *src)
{
	memset(dst, 0, sizeof(*dst));
	dst->type = src->type;
	dst->b = src->b;
	dst->n = src->n;
	if (src->s)
		dst->s = xstrdup(src->s);
	strlist_copy(&dst->l, &src->l);
}

void value_set_bool(struct value *v, bool b)
{
	value_release(v);
	v->type = VT_BOOL;
	v->b = b;
}

void value_set_num(struct value *v, enum vtype t, double n)
{
	value_release(v);
	v->type = t;
	v->n = n;
}

void value_set_str(struct value *v, const char *s)
{
	value_release(v);
	v->type = VT_STRING;
	v->s = xstrdup(s);
}

static const struct unit {
	const char *name;
	enum vtype type;
	double factor;
} units[] = {
	{ "B", VT_BYTES, 1 },		{ "KB", VT_BYTES, 1e3 },
	{ "MB", VT_BYTES, 1e6 },	{ "GB", VT_BYTES, 1e9 },
	{ "TB", VT_BYTES, 1e12 },	{ "%", VT_PERCENT, 1 },
	{ "s", VT_DURATION, 1 },	{ "sec", VT_DURATION, 1 },
	{ "second", VT_DURATION, 1 },	{ "seconds", VT_DURATION, 1 },
	{ "min", VT_DURATION, 60 },	{ "minute", VT_DURATION, 60 },
	{ "minutes", VT_DURATION, 60 },	{ "h", VT_DURATION, 3600 },
	{ "hour", VT_DURATION, 3600 },	{ "hours", VT_DURATION, 3600 },
	{ "d", VT_DURATION, 86400 },	{ "day", VT_DURATION, 86400 },
	{ "days", VT_DURATION, 86400 },	{ "w", VT_DURATION, 604800 },
	{ "week", VT_DURATION, 604800 },	{ "weeks", VT_DURATION, 604800 },
	{ "bps", VT_RATE, 1 },		{ "kbps", VT_RATE, 1e3 },
	{ "Mbps", VT_RATE, 1e6 },	{ "Gbps", VT_RATE, 1e9 },
};

bool unit_lookup(const char *unit, enum vtype *type, double *factor)
{
	for (size_t i = 0; i < sizeof(units) / sizeof(*units); i++)
		if (!strcmp(units[i].name, unit)) {
			*type = units[i].type;
			*factor = units[i].factor;
			return true;
		}
	return false;
}

/* "12", "12.5" without trailing zeros noise. */
static void fmt_num(struct buf *b, double n)
{
	if (fabs(n - nearbyint(n)) < 0.05 || fabs(n) >= 100)
		buf_addf(b, "%.0f", n);
	else
		buf_addf(b, "%.1f", n);
}

static void fmt_bytes(struct buf *b, double n)
{
	static const char *const suf[] = { "B", "KB", "MB", "GB", "TB" };
	size_t i = 0;
	while (fabs(n) >= 1000 && i < 4) {
		n /= 1000;
		i++;
	}
	fmt_num(b, n);
	buf_addf(b, " %s", suf[i]);
}

static void fmt_duration(struct buf *b, double s)
{
	if (s < 0) {
		buf_putc(b, '-');
		s = -s;
	}
	long long t = (long long)nearbyint(s);
	long long d = t / 86400, h = (t % 86400) / 3600, m = (t % 3600) / 60;
	if (d > 0 && h > 0)
		buf_addf(b, "%lld day%s %lld hour%s", d, d == 1 ? "" : "s", h, h == 1 ? "" : "s");
	else if (d > 0)
		buf_addf(b, "%lld day%s", d, d == 1 ? "" : "s");
	else if (h > 0 && m > 0)
		buf_addf(b, "%lld hour%s %lld min", h, h == 1 ? "" : "s", m);
	else if (h > 0)
		buf_addf(b, "%lld hour%s", h, h == 1 ? "" : "s");
	else if (m > 0)
		buf_addf(b, "%lld min", m);
	else
		buf_addf(b, "%lld s", t);
}

static void fmt_rate(struct buf *b, double n)
{
	if (n >= 1e9)
		fmt_num(b, n / 1e9), buf_puts(b, " Gbps");
	else if (n >= 1e6)
		fmt_num(b, n / 1e6), buf_puts(b, " Mbps");
	else if (n >= 1e3)
		fmt_num(b, n / 1e3), buf_puts(b, " kbps");
	else
		fmt_num(b, n), buf_puts(b, " bps");
}

char *timestamp_format_iso(double t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	char out[32];
	if (!gmtime_r(&tt, &tm) || !strftime(out, sizeof(out), "%Y-%m-%dT%H:%M:%SZ", &tm))
		return xstrdup("?");
	return xstrdup(out);
}

int timestamp_parse(const char *s, double *out)
{
	struct tm tm;
	memset(&tm, 0, sizeof(tm));
	const char *end = strptime(s, "%Y-%m-%d", &tm);
	if (!end)
		return -1;
	if (*end == 'T' || *end == ' ') {
		const char *e2 = strptime(end + 1, "%H:%M:%S", &tm);
		if (!e2)
			e2 = strptime(end + 1, "%H:%M", &tm);
		if (!e2)
			return -1;
		end = e2;
		if (*end == '.')
			for (end++; isdigit((unsigned char)*end); end++)
				;
	}
	if (*end == 'Z')
		end++;
	else if (!strncmp(end, "+00:00", 6))
		end += 6;
	if (*end)
		return -1;
	time_t t = timegm(&tm);
	if (t == (time_t)-1)
		return -1;
	*out = (double)t;
	return 0;
}

char *value_format(const struct value *v)
{
	struct buf b = BUF_INIT;
	switch (v->type) {
	case VT_NONE:
		buf_puts(&b, "unknown");
		break;
	case VT_BOOL:
		buf_puts(&b, v->b ? "yes" : "no");
		break;
	case VT_INT:
		buf_addf(&b, "%.0f", v->n);
		break;
	case VT_BYTES:
		fmt_bytes(&b, v->n);
		break;
	case VT_PERCENT:
		fmt_num(&b, v->n);
		buf_putc(&b, '%');
		break;
	case VT_DURATION:
		fmt_duration(&b, v->n);
		break;
	case VT_TIMESTAMP: {
		time_t tt = (time_t)v->n;
		struct tm tm;
		char out[40];
		if (gmtime_r(&tt, &tm) && strftime(out, sizeof(out), "%Y-%m-%d %H:%M UTC", &tm))
			buf_puts(&b, out);
		else
			buf_puts(&b, "?");
		break;
	}
	case VT_STRING:
		buf_puts(&b, v->s ? v->s : "");
		break;
	case VT_LIST:
		if (!v->l.n)
			buf_puts(&b, "none");
		for (size_t i = 0; i < v->l.n; i++) {
			if (i)
				buf_puts(&b, ", ");
			buf_puts(&b, v->l.v[i]);
		}
		break;
	case VT_RATE:
		fmt_rate(&b, v->n);
		break;
	}
	return buf_detach(&b);
}

int value_compare(const struct value *a, const struct value *b)
{
	if (a->type == VT_STRING || b->type == VT_STRING)
		return strcmp(a->s ? a->s : "", b->s ? b->s : "");
	if (a->type == VT_BOOL)
		return (int)a->b - (int)b->b;
	if (a->type == VT_LIST) {
		if (a->l.n != b->l.n)
			return a->l.n < b->l.n ? -1 : 1;
		for (size_t i = 0; i < a->l.n; i++) {
			int c = strcmp(a->l.v[i], b->l.v[i]);
			if (c)
				return c;
		}
		return 0;
	}
	return a->n < b->n ? -1 : a->n > b->n ? 1 : 0;
}

bool value_equal(const struct value *a, const struct value *b)
{
	return value_compare(a, b) == 0;
}

static bool is_dont_know(const char *t)
{
	static const char *const words[] = { "unknown", "?", "dont-know", "don't know",
					     "dont know", "skip", "" };
	for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++)
		if (!strcasecmp(t, words[i]))
			return true;
	return false;
}

int value_parse_answer(enum vtype t, const char *text, struct value *out, char **cause)
{
	memset(out, 0, sizeof(*out));
	while (isspace((unsigned char)*text))
		text++;
	size_t len = strlen(text);
	while (len && isspace((unsigned char)text[len - 1]))
		len--;
	char *s = xstrndup(text, len);
	int ret = -1;

	if (is_dont_know(s)) {
		ret = 1;
		goto out;
	}
	switch (t) {
	case VT_BOOL:
		if (!strcasecmp(s, "yes") || !strcasecmp(s, "y") || !strcasecmp(s, "true") ||
		    !strcmp(s, "1") || !strcasecmp(s, "on"))
			value_set_bool(out, true);
		else if (!strcasecmp(s, "no") || !strcasecmp(s, "n") || !strcasecmp(s, "false") ||
			 !strcmp(s, "0") || !strcasecmp(s, "off"))
			value_set_bool(out, false);
		else {
			*cause = xasprintf("'%s' is not an answer to a yes/no question (yes, no or unknown)", s);
			goto out;
		}
		break;
	case VT_STRING:
		value_set_str(out, s);
		break;
	case VT_LIST: {
		value_release(out);
		out->type = VT_LIST;
		char *p = s;
		while (*p) {
			char *comma = strchr(p, ',');
			size_t n = comma ? (size_t)(comma - p) : strlen(p);
			while (n && isspace((unsigned char)*p))
				p++, n--;
			while (n && isspace((unsigned char)p[n - 1]))
				n--;
			if (n)
				strlist_push_owned(&out->l, xstrndup(p, n));
			if (!comma)
				break;
			p = comma + 1;
		}
		break;
	}
	case VT_TIMESTAMP: {
		double ts;
		if (timestamp_parse(s, &ts)) {
			*cause = xasprintf("'%s' is not a date (use 2026-11-20 or 2026-11-20T10:00:00Z)", s);
			goto out;
		}
		value_set_num(out, t, ts);
		break;
	}
	case VT_INT:
	case VT_BYTES:
	case VT_PERCENT:
	case VT_DURATION:
	case VT_RATE: {
		char *end;
		double n = strtod(s, &end);
		if (end == s || !isfinite(n)) {
			*cause = xasprintf("'%s' is not a number", s);
			goto out;
		}
		while (isspace((unsigned char)*end))
			end++;
		if (*end) {
			enum vtype ut;
			double f;
			if (!unit_lookup(end, &ut, &f) || ut != t) {
				*cause = xasprintf("'%s' is not a unit of %s", end, vtype_name(t));
				goto out;
			}
			n *= f;
		} else if (t == VT_BYTES || t == VT_DURATION || t == VT_RATE) {
			*cause = xasprintf("'%s' needs a unit (%s)", s,
					   t == VT_BYTES ? "B, KB, MB, GB, TB" :
					   t == VT_DURATION ? "s, min, hours, days, weeks" :
					   "kbps, Mbps, Gbps");
			goto out;
		}
		value_set_num(out, t, n);
		break;
	}
	case VT_NONE:
		*cause = xstrdup("this fact has no type");
		goto out;
	}
	ret = 0;
out:
	free(s);
	return ret;
}

/*
 * capture.c - the raw answers of one phone, in memory and as JSON.  Output
 * that is not valid UTF-8 (a phone can print anything) is kept byte for
 * byte as base64, so a capture replays exactly.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "value.h"
#include "xalloc.h"
#include "banned.h"

const char *answer_status_name(enum answer_status s)
{
	switch (s) {
	case ANSWER_OK: return "ok";
	case ANSWER_TIMEOUT: return "timeout";
	case ANSWER_CUT: return "cut";
	case ANSWER_FAILED: return "failed";
	}
	return "?";
}

static int status_from_name(const char *s)
{
	for (int i = ANSWER_OK; i <= ANSWER_FAILED; i++)
		if (!strcmp(answer_status_name((enum answer_status)i), s))
			return i;
	return -1;
}

void capture_init(struct capture *c)
{
	memset(c, 0, sizeof(*c));
}

static void answer_release(struct answer *a)
{
	free(a->query);
	free(a->out);
	free(a->err);
	free(a->error);
}

void capture_release(struct capture *c)
{
	free(c->platform);
	free(c->tool_version);
	free(c->device_id);
	free(c->device_state);
	for (size_t i = 0; i < c->ndevice; i++) {
		free(c->device[i].key);
		free(c->device[i].value);
	}
	free(c->device);
	for (size_t i = 0; i < c->nanswers; i++)
		answer_release(&c->answers[i]);
	free(c->answers);
	free(c->note);
	capture_init(c);
}

struct answer *capture_add(struct capture *c, const char *query)
{
	ALLOC_GROW(c->answers, c->nanswers + 1, c->answers_alloc);
	struct answer *a = &c->answers[c->nanswers++];
	memset(a, 0, sizeof(*a));
	a->query = xstrdup(query);
	a->out = xstrdup("");
	a->err = xstrdup("");
	a->exit_code = -1;
	return a;
}

void capture_set_out(struct answer *a, const char *out, size_t len)
{
	free(a->out);
	a->out = xstrndup(out, len);
	a->out_len = len;
}

void capture_set_err(struct answer *a, const char *err, size_t len)
{
	free(a->err);
	a->err = xstrndup(err, len);
	a->err_len = len;
}

void capture_set_device(struct capture *c, const char *key, const char *value)
{
	for (size_t i = 0; i < c->ndevice; i++)
		if (!strcmp(c->device[i].key, key)) {
			free(c->device[i].value);
			c->device[i].value = xstrdup(value);
			return;
		}
	ALLOC_GROW(c->device, c->ndevice + 1, c->device_alloc);
	c->device[c->ndevice].key = xstrdup(key);
	c->device[c->ndevice++].value = xstrdup(value);
}

const char *capture_device(const struct capture *c, const char *key)
{
	for (size_t i = 0; i < c->ndevice; i++)
		if (!strcmp(c->device[i].key, key))
			return c->device[i].value;
	return NULL;
}

const struct answer *capture_find(const struct capture *c, const char *query)
{
	for (size_t i = 0; i < c->nanswers; i++)
		if (!strcmp(c->answers[i].query, query))
			return &c->answers[i];
	return NULL;
}

/* ---- base64, for output that is not text ---- */

static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static char *b64_encode(const unsigned char *p, size_t n)
{
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < n; i += 3) {
		unsigned v = (unsigned)p[i] << 16;
		if (i + 1 < n)
			v |= (unsigned)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		char q[4] = { b64[(v >> 18) & 63], b64[(v >> 12) & 63],
			      i + 1 < n ? b64[(v >> 6) & 63] : '=', i + 2 < n ? b64[v & 63] : '=' };
		buf_add(&b, q, 4);
	}
	return buf_detach(&b);
}

static int b64_decode(const char *s, struct buf *out)
{
	unsigned v = 0;
	int bits = 0;
	for (; *s && *s != '='; s++) {
		const char *k = strchr(b64, *s);
		if (!k || !*s)
			return -1;
		v = (v << 6) | (unsigned)(k - b64);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf_putc(out, (char)((v >> bits) & 0xff));
		}
	}
	return 0;
}

/* Text as a JSON string, or NULL when it is not valid UTF-8 (or holds NUL). */
static json_t *text_or_null(const char *s, size_t n)
{
	if (memchr(s, '\0', n))
		return NULL;
	return json_stringn(s, n);
}

static void set_bytes(json_t *o, const char *key, const char *s, size_t n)
{
	json_t *j = text_or_null(s, n);
	if (j) {
		json_object_set_new(o, key, j);
		return;
	}
	char *k = xasprintf("%s_base64", key);
	char *enc = b64_encode((const unsigned char *)s, n);
	json_object_set_new(o, k, json_string(enc));
	free(enc);
	free(k);
}

json_t *capture_json(const struct capture *c)
{
	json_t *o = json_object();
	json_object_set_new(o, "schema", json_string(CAPTURE_SCHEMA));
	json_t *tool = json_object();
	json_object_set_new(tool, "name", json_string("backupdoctor"));
	json_object_set_new(tool, "version", json_string(c->tool_version ? c->tool_version : BD_VERSION));
	json_object_set_new(o, "tool", tool);
	char *ts = timestamp_format_iso(c->captured_at);
	json_object_set_new(o, "captured_at", json_string(ts));
	free(ts);
	json_object_set_new(o, "platform", json_string(c->platform ? c->platform : ""));
	json_t *dev = json_object();
	json_object_set_new(dev, "id", c->device_id ? json_string(c->device_id) : json_null());
	json_object_set_new(dev, "state", json_string(c->device_state ? c->device_state : "ready"));
	json_t *listing = json_object();
	for (size_t i = 0; i < c->ndevice; i++) {
		json_t *v = json_string(c->device[i].value);
		json_object_set_new(listing, c->device[i].key, v ? v : json_null());
	}
	json_object_set_new(dev, "listing", listing);
	json_object_set_new(o, "device", dev);
	if (c->note)
		json_object_set_new(o, "note", json_string(c->note));
	json_t *arr = json_array();
	for (size_t i = 0; i < c->nanswers; i++) {
		const struct answer *a = &c->answers[i];
		json_t *j = json_object();
		json_object_set_new(j, "query", json_string(a->query));
		json_object_set_new(j, "status", json_string(answer_status_name(a->status)));
		json_object_set_new(j, "exit", a->exit_code >= 0 ? json_integer(a->exit_code) : json_null());
		json_object_set_new(j, "ms", json_real(nearbyint(a->ms * 10) / 10));
		set_bytes(j, "out", a->out, a->out_len);
		if (a->err_len)
			set_bytes(j, "err", a->err, a->err_len);
		if (a->error)
			json_object_set_new(j, "error", json_string(a->error));
		json_array_append_new(arr, j);
	}
	json_object_set_new(o, "answers", arr);
	return o;
}

int capture_write(const struct capture *c, const char *path, char **cause)
{
	json_t *o = capture_json(c);
	FILE *f = strcmp(path, "-") ? fopen(path, "w") : stdout;
	int ret = -1;
	if (!f) {
		*cause = xasprintf("%s: cannot write: %s", path, strerror(errno));
		goto out;
	}
	json_dumpf(o, f, JSON_INDENT(1) | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
	fputc('\n', f);
	if (f == stdout ? fflush(f) : fclose(f)) {
		*cause = xasprintf("%s: write error: %s", path, strerror(errno));
		goto out;
	}
	ret = 0;
out:
	json_decref(o);
	return ret;
}

bool capture_is(json_t *root)
{
	const json_t *s = json_object_get(root, "schema");
	return json_is_string(s) && !strcmp(json_string_value(s), CAPTURE_SCHEMA);
}

/* Read a member that is either text ("out") or base64 ("out_base64"). */
static int get_bytes(const json_t *j, const char *key, struct buf *out, const char *name,
		     size_t idx, struct diags *d)
{
	const json_t *t = json_object_get(j, key);
	char *k64 = xasprintf("%s_base64", key);
	const json_t *e = json_object_get(j, k64);
	free(k64);
	if (t && json_is_string(t)) {
		buf_add(out, json_string_value(t), json_string_length(t));
		return 0;
	}
	if (e && json_is_string(e) && !b64_decode(json_string_value(e), out))
		return 0;
	if (!t && !e)
		return 0;
	diag_error(d, name, 0, 0, NULL, "answers[%zu].%s: expected a string%s", idx, key,
		   e ? " of base64" : "");
	return -1;
}

static const char *str_member(const json_t *o, const char *key)
{
	const json_t *j = json_object_get(o, key);
	return json_is_string(j) ? json_string_value(j) : NULL;
}

int capture_parse_json(json_t *root, const char *name, struct capture *out, struct diags *d)
{
	size_t errors0 = d->errors;
	const char *plat = str_member(root, "platform");
	if (!plat || (strcmp(plat, "android") && strcmp(plat, "ios"))) {
		diag_error(d, name, 0, 0, NULL, "platform: expected \"android\" or \"ios\"");
		return -1;
	}
	out->platform = xstrdup(plat);
	const char *ts = str_member(root, "captured_at");
	if (!ts || timestamp_parse(ts, &out->captured_at)) {
		diag_error(d, name, 0, 0, NULL,
			   "captured_at: expected an ISO 8601 UTC time such as \"2026-11-20T10:00:00Z\"");
		return -1;
	}
	const json_t *tool = json_object_get(root, "tool");
	const char *tv = json_is_object(tool) ? str_member(tool, "version") : NULL;
	if (tv)
		out->tool_version = xstrdup(tv);
	const json_t *dev = json_object_get(root, "device");
	if (!json_is_object(dev)) {
		diag_error(d, name, 0, 0, NULL, "device: expected an object");
		return -1;
	}
	const char *id = str_member(dev, "id"), *state = str_member(dev, "state");
	out->device_id = id ? xstrdup(id) : NULL;
	out->device_state = xstrdup(state ? state : "ready");
	const json_t *listing = json_object_get(dev, "listing");
	if (json_is_object(listing)) {
		const char *k;
		json_t *v;
		json_object_foreach((json_t *)listing, k, v)
			if (json_is_string(v))
				capture_set_device(out, k, json_string_value(v));
	}
	const char *note = str_member(root, "note");
	if (note)
		out->note = xstrdup(note);
	const json_t *arr = json_object_get(root, "answers");
	if (!json_is_array(arr)) {
		diag_error(d, name, 0, 0, NULL, "answers: expected an array");
		return -1;
	}
	for (size_t i = 0; i < json_array_size(arr); i++) {
		const json_t *j = json_array_get(arr, i);
		const char *q = json_is_object(j) ? str_member(j, "query") : NULL;
		if (!q) {
			diag_error(d, name, 0, 0, NULL, "answers[%zu]: expected an object with a \"query\"", i);
			continue;
		}
		struct answer *a = capture_add(out, q);
		const char *st = str_member(j, "status");
		int s = st ? status_from_name(st) : ANSWER_OK;
		if (s < 0) {
			diag_error(d, name, 0, 0, NULL,
				   "answers[%zu].status: \"%s\" is not ok, timeout, cut or failed", i, st);
			continue;
		}
		a->status = (enum answer_status)s;
		const json_t *ex = json_object_get(j, "exit");
		a->exit_code = json_is_integer(ex) ? (int)json_integer_value(ex) : -1;
		const json_t *ms = json_object_get(j, "ms");
		a->ms = json_is_number(ms) ? json_number_value(ms) : 0;
		const char *err = str_member(j, "error");
		if (err)
			a->error = xstrdup(err);
		struct buf b = BUF_INIT;
		if (!get_bytes(j, "out", &b, name, i, d))
			capture_set_out(a, buf_str(&b), b.len);
		buf_reset(&b);
		if (!get_bytes(j, "err", &b, name, i, d))
			capture_set_err(a, buf_str(&b), b.len);
		buf_release(&b);
	}
	return d->errors > errors0 ? -1 : 0;
}

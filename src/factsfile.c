/* factsfile.c - reading and writing the JSON facts file. */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "factsfile.h"
#include "xalloc.h"
#include "banned.h"

static const char *json_kind(const json_t *j)
{
	switch (json_typeof(j)) {
	case JSON_OBJECT: return "an object";
	case JSON_ARRAY: return "an array";
	case JSON_STRING: return "a string";
	case JSON_INTEGER:
	case JSON_REAL: return "a number";
	case JSON_TRUE:
	case JSON_FALSE: return "true/false";
	case JSON_NULL: return "null";
	}
	return "?";
}

/* Convert JSON to a value of type t; NULL on success, else what was expected. */
static const char *to_value(const json_t *j, enum vtype t, struct value *out)
{
	memset(out, 0, sizeof(*out));
	switch (t) {
	case VT_BOOL:
		if (!json_is_boolean(j))
			return "true or false";
		value_set_bool(out, json_is_true(j));
		return NULL;
	case VT_STRING:
		if (!json_is_string(j))
			return "a string";
		value_set_str(out, json_string_value(j));
		return NULL;
	case VT_LIST:
		if (!json_is_array(j))
			return "an array of strings";
		out->type = VT_LIST;
		for (size_t i = 0; i < json_array_size(j); i++) {
			const json_t *it = json_array_get(j, i);
			if (!json_is_string(it)) {
				value_release(out);
				return "an array of strings";
			}
			strlist_push(&out->l, json_string_value(it));
		}
		return NULL;
	case VT_TIMESTAMP: {
		double ts;
		if (json_is_string(j) && !timestamp_parse(json_string_value(j), &ts)) {
			value_set_num(out, t, ts);
			return NULL;
		}
		return "an ISO 8601 UTC time such as \"2026-11-20T10:00:00Z\"";
	}
	case VT_INT:
	case VT_BYTES:
	case VT_PERCENT:
	case VT_DURATION:
	case VT_RATE:
		if (!json_is_number(j) || !isfinite(json_number_value(j)))
			return t == VT_INT ? "a number" :
			       t == VT_BYTES ? "a number of bytes" :
			       t == VT_PERCENT ? "a percentage from 0 to 100" :
			       t == VT_DURATION ? "a number of seconds" : "bits per second";
		if (t == VT_PERCENT && (json_number_value(j) < 0 || json_number_value(j) > 100))
			return "a percentage from 0 to 100";
		value_set_num(out, t, json_number_value(j));
		return NULL;
	case VT_NONE:
		break;
	}
	return "a value";
}

static int opt_string(const json_t *obj, const char *key, const char **out, const char *name,
		      const char *fact, struct diags *d)
{
	const json_t *j = json_object_get(obj, key);
	*out = NULL;
	if (!j || json_is_null(j))
		return 0;
	if (!json_is_string(j)) {
		diag_error(d, name, 0, 0, NULL, "facts.\"%s\".%s: expected a string, found %s", fact,
			   key, json_kind(j));
		return -1;
	}
	*out = json_string_value(j);
	return 0;
}

static int load_fact(const struct kb *kb, const char *name, const char *fact, const json_t *j,
		     struct facts *out, struct diags *d)
{
	const struct factdecl *fd = kb_decl(kb, fact, NULL);
	if (!fd) {
		diag_warning(d, name, 0, 0, NULL,
			     "facts.\"%s\": not a fact of this knowledge base, ignored", fact);
		return 0;
	}
	if (strchr(fact, '$')) {
		diag_error(d, name, 0, 0, NULL, "facts.\"%s\": name an app instead of '$'", fact);
		return -1;
	}
	const json_t *val = j;
	const char *source = NULL, *raw = NULL, *note = NULL, *state_s = NULL;
	if (json_is_object(j)) {
		val = json_object_get(j, "value");
		const char *key;
		json_t *unused;
		json_object_foreach((json_t *)j, key, unused) {
			if (strcmp(key, "value") && strcmp(key, "state") && strcmp(key, "source") &&
			    strcmp(key, "raw") && strcmp(key, "note")) {
				diag_error(d, name, 0, 0, NULL,
					   "facts.\"%s\": unknown member \"%s\" (value, state, source, raw, note)",
					   fact, key);
				return -1;
			}
		}
		if (opt_string(j, "source", &source, name, fact, d) ||
		    opt_string(j, "raw", &raw, name, fact, d) ||
		    opt_string(j, "note", &note, name, fact, d) ||
		    opt_string(j, "state", &state_s, name, fact, d))
			return -1;
	}
	enum fact_state state = FACT_KNOWN;
	if (state_s) {
		if (!strcmp(state_s, "known"))
			state = FACT_KNOWN;
		else if (!strcmp(state_s, "answered"))
			state = FACT_ANSWERED;
		else if (!strcmp(state_s, "unknown"))
			state = FACT_UNKNOWN;
		else {
			diag_error(d, name, 0, 0, NULL,
				   "facts.\"%s\".state: \"%s\" is not known, answered or unknown", fact, state_s);
			return -1;
		}
	}
	if (!val || json_is_null(val)) {
		if (state != FACT_UNKNOWN && state_s) {
			diag_error(d, name, 0, 0, NULL, "facts.\"%s\": state \"%s\" needs a value", fact,
				   state_s);
			return -1;
		}
		facts_set(out, fact, FACT_UNKNOWN, NULL, source, raw, note);
		return 0;
	}
	if (state == FACT_UNKNOWN) {
		diag_error(d, name, 0, 0, NULL, "facts.\"%s\": an unknown fact has no value", fact);
		return -1;
	}
	struct value v;
	const char *want = to_value(val, fd->type, &v);
	if (want) {
		diag_error(d, name, 0, 0, NULL, "facts.\"%s\"%s: expected %s (%s), found %s", fact,
			   val == j ? "" : ".value", want, vtype_name(fd->type), json_kind(val));
		return -1;
	}
	facts_set(out, fact, state, &v, source, raw, note);
	value_release(&v);
	return 0;
}

int factsfile_parse(const struct kb *kb, const char *name, const char *text, size_t len,
		    struct facts *out, struct diags *d)
{
	json_error_t err;
	size_t errors0 = d->errors;
	json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
	if (!root) {
		diag_error(d, name, err.line > 0 ? err.line : 0, err.column > 0 ? err.column : 0,
			   NULL, "not valid JSON: %s", err.text);
		return -1;
	}
	free(out->origin);
	out->origin = xstrdup(name);
	if (!json_is_object(root)) {
		diag_error(d, name, 0, 0, NULL, "expected a JSON object at the top, found %s",
			   json_kind(root));
		goto out;
	}
	const json_t *schema = json_object_get(root, "schema");
	if (!json_is_string(schema)) {
		diag_error(d, name, 0, 0, NULL, "schema: missing (a facts file says \"schema\": \"%s\")",
			   FACTS_SCHEMA);
		goto out;
	}
	if (strcmp(json_string_value(schema), FACTS_SCHEMA)) {
		diag_error(d, name, 0, 0, NULL, "schema: \"%s\" is not \"%s\"",
			   json_string_value(schema), FACTS_SCHEMA);
		goto out;
	}
	const json_t *cat = json_object_get(root, "captured_at");
	if (cat) {
		double ts;
		if (!json_is_string(cat) || timestamp_parse(json_string_value(cat), &ts)) {
			diag_error(d, name, 0, 0, NULL,
				   "captured_at: expected an ISO 8601 UTC time such as \"2026-11-20T10:00:00Z\"");
			goto out;
		}
		out->captured_at = ts;
	}
	const json_t *fs = json_object_get(root, "facts");
	if (!json_is_object(fs)) {
		diag_error(d, name, 0, 0, NULL, "facts: expected an object of facts, found %s",
			   fs ? json_kind(fs) : "nothing");
		goto out;
	}
	const char *key;
	json_t *val;
	json_object_foreach((json_t *)fs, key, val)
		load_fact(kb, name, key, val, out, d);
out:
	json_decref(root);
	return d->errors > errors0 ? -1 : 0;
}

int factsfile_load(const struct kb *kb, const char *path, struct facts *out, struct diags *d)
{
	struct buf b = BUF_INIT;
	char *cause = NULL;
	int ret = -1;
	if (buf_read_file(&b, path, &cause)) {
		diag_error(d, path, 0, 0, NULL, "%s", cause);
		free(cause);
	} else {
		ret = factsfile_parse(kb, strcmp(path, "-") ? path : "(stdin)", buf_str(&b), b.len,
				      out, d);
	}
	buf_release(&b);
	return ret;
}

json_t *factsfile_value_json(const struct value *v)
{
	switch (v->type) {
	case VT_NONE: return json_null();
	case VT_BOOL: return json_boolean(v->b);
	case VT_STRING: return json_string(v->s ? v->s : "");
	case VT_LIST: {
		json_t *a = json_array();
		for (size_t i = 0; i < v->l.n; i++)
			json_array_append_new(a, json_string(v->l.v[i]));
		return a;
	}
	case VT_TIMESTAMP: {
		char *s = timestamp_format_iso(v->n);
		json_t *j = json_string(s);
		free(s);
		return j;
	}
	default:
		if (v->n == nearbyint(v->n) && fabs(v->n) < 9e15)
			return json_integer((json_int_t)v->n);
		return json_real(v->n);
	}
}

static const char *state_name(enum fact_state s)
{
	return s == FACT_KNOWN ? "known" : s == FACT_ANSWERED ? "answered" : "unknown";
}

json_t *factsfile_facts_json(const struct facts *fs)
{
	json_t *o = json_object();
	for (size_t i = 0; i < fs->n; i++) {
		const struct fact *f = &fs->v[i];
		json_t *j = json_object();
		json_object_set_new(j, "value", factsfile_value_json(&f->v));
		json_object_set_new(j, "state", json_string(state_name(f->state)));
		if (f->source)
			json_object_set_new(j, "source", json_string(f->source));
		if (f->raw)
			json_object_set_new(j, "raw", json_string(f->raw));
		if (f->note)
			json_object_set_new(j, "note", json_string(f->note));
		json_object_set_new(o, f->name, j);
	}
	return o;
}

json_t *factsfile_json(const struct facts *fs)
{
	json_t *o = json_object();
	json_object_set_new(o, "schema", json_string(FACTS_SCHEMA));
	if (fs->captured_at > 0) {
		char *s = timestamp_format_iso(fs->captured_at);
		json_object_set_new(o, "captured_at", json_string(s));
		free(s);
	}
	json_object_set_new(o, "facts", factsfile_facts_json(fs));
	return o;
}

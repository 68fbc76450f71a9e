/*
 * redact.c - one pass over a report's data that replaces personal values
 * (see redact.h for what is personal) by stable tags, so that no writer has
 * to know what is private.
 */
#include <fnmatch.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "redact.h"
#include "xalloc.h"
#include "banned.h"

static const char *const personal[] = {
	"device.serial", "device.imei", "device.imei*", "device.meid", "device.udid",
	"device.phone_number", "device.iccid", "device.name", "device.wifi_mac",
	"device.bluetooth_mac", "app.*.account", "app.*.accounts", "accounts.names",
	"accounts.*_name", "accounts.*_names", "accounts.*.name",
};

bool redact_is_personal(const char *name)
{
	for (size_t i = 0; i < sizeof(personal) / sizeof(*personal); i++)
		if (!fnmatch(personal[i], name, 0))
			return true;
	return false;
}

char *redact_tag(const char *value)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
		h ^= *p;
		h *= 0x100000001b3ull;
	}
	return xasprintf("redacted-%08x", (unsigned)(h >> 32));
}

void redaction_init(struct redaction *r)
{
	memset(r, 0, sizeof(*r));
}

void redaction_release(struct redaction *r)
{
	strlist_release(&r->secrets);
	strlist_release(&r->tags);
}

void redaction_add(struct redaction *r, const char *value)
{
	if (!value || strlen(value) < 4 || strlist_has(&r->secrets, value) ||
	    !strncmp(value, "redacted-", 9))
		return;
	/* keep the longest first, so a serial inside a longer id goes with it */
	strlist_push(&r->secrets, value);
	strlist_push_owned(&r->tags, redact_tag(value));
	for (size_t i = r->secrets.n - 1; i > 0 && strlen(r->secrets.v[i]) > strlen(r->secrets.v[i - 1]); i--) {
		char *t = r->secrets.v[i];
		r->secrets.v[i] = r->secrets.v[i - 1];
		r->secrets.v[i - 1] = t;
		t = r->tags.v[i];
		r->tags.v[i] = r->tags.v[i - 1];
		r->tags.v[i - 1] = t;
	}
}

char *redaction_apply(const struct redaction *r, const char *s)
{
	if (!s)
		return NULL;
	struct buf b = BUF_INIT;
	const char *p = s;
	while (*p) {
		size_t k;
		for (k = 0; k < r->secrets.n; k++) {
			size_t n = strlen(r->secrets.v[k]);
			if (!strncmp(p, r->secrets.v[k], n)) {
				buf_puts(&b, r->tags.v[k]);
				p += n;
				break;
			}
		}
		if (k == r->secrets.n)
			buf_putc(&b, *p++);
	}
	return buf_detach(&b);
}

static void scrub(const struct redaction *r, char **s)
{
	if (!*s)
		return;
	char *t = redaction_apply(r, *s);
	free(*s);
	*s = t;
}

static void scrub_list(const struct redaction *r, struct strlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		scrub(r, &l->v[i]);
}

/*
 * A value that is part of the model or maker's name ("iPhone", the name a
 * phone is given until the person changes it) says nothing about the person
 * and would turn "iPhone 14 Pro" into nonsense: it is not scrubbed from
 * other texts (the personal fact itself is still replaced).
 */
static bool generic(const struct facts *fs, const char *v)
{
	static const char *const names[] = { "device.model", "device.manufacturer", "device.platform" };
	for (size_t i = 0; v && i < sizeof(names) / sizeof(*names); i++) {
		const char *m = facts_string(fs, names[i]);
		if (m && strstr(m, v))
			return true;
	}
	return false;
}

void redact_report(struct facts *fs, struct diagnosis *dg, char **source, const char *extra)
{
	struct redaction r;
	redaction_init(&r);
	redaction_add(&r, extra);
	if (source && *source) {
		/* "android:SERIAL" / "ios:UDID": the transport's id of the phone */
		const char *colon = strchr(*source, ':');
		if (colon && (!strncmp(*source, "android:", 8) || !strncmp(*source, "ios:", 4)))
			redaction_add(&r, colon + 1);
	}
	for (size_t i = 0; i < fs->n; i++) {
		struct fact *f = &fs->v[i];
		if (!redact_is_personal(f->name))
			continue;
		if (f->v.type == VT_STRING && !generic(fs, f->v.s))
			redaction_add(&r, f->v.s);
		for (size_t k = 0; f->v.type == VT_LIST && k < f->v.l.n; k++)
			if (!generic(fs, f->v.l.v[k]))
				redaction_add(&r, f->v.l.v[k]);
		/* the personal fact itself never shows its value, however short or common */
		if (f->v.type == VT_STRING && f->v.s) {
			char *t = redact_tag(f->v.s);
			free(f->v.s);
			f->v.s = t;
		}
		for (size_t k = 0; f->v.type == VT_LIST && k < f->v.l.n; k++) {
			char *t = redact_tag(f->v.l.v[k]);
			free(f->v.l.v[k]);
			f->v.l.v[k] = t;
		}
	}
	for (size_t i = 0; i < fs->n; i++) {
		struct fact *f = &fs->v[i];
		scrub(&r, &f->v.s);
		scrub_list(&r, &f->v.l);
		scrub(&r, &f->raw);
		scrub(&r, &f->source);
		scrub(&r, &f->note);
		/* a personal fact keeps no raw excerpt: its line may hold more than the value */
		if (redact_is_personal(f->name) && f->raw) {
			free(f->raw);
			f->raw = NULL;
		}
	}
	if (source)
		scrub(&r, source);
	for (size_t i = 0; dg && i < dg->nfindings; i++) {
		struct finding *f = &dg->findings[i];
		scrub(&r, &f->title);
		scrub(&r, &f->cause);
		for (size_t e = 0; e < f->nevidence; e++) {
			struct evidence *ev = &f->evidence[e];
			scrub(&r, &ev->text);
			for (size_t j = 0; j < ev->nfacts; j++) {
				scrub(&r, &ev->facts[j].value);
				scrub(&r, &ev->facts[j].source);
				scrub(&r, &ev->facts[j].raw);
			}
		}
		for (size_t x = 0; x < f->nfixes; x++) {
			scrub(&r, &f->fixes[x].title);
			scrub_list(&r, &f->fixes[x].steps);
			scrub(&r, &f->fixes[x].action);
		}
	}
	for (size_t i = 0; dg && i < dg->nquestions; i++)
		scrub(&r, &dg->questions[i].text);
	redaction_release(&r);
}

void redact_json(json_t *j, const struct redaction *r)
{
	size_t i;
	const char *k;
	json_t *v;
	if (json_is_object(j)) {
		json_object_foreach(j, k, v) {
			if (json_is_string(v)) {
				char *t = redaction_apply(r, json_string_value(v));
				json_object_set_new(j, k, json_string(t));
				free(t);
			} else {
				redact_json(v, r);
			}
		}
	} else if (json_is_array(j)) {
		json_array_foreach(j, i, v) {
			if (json_is_string(v)) {
				char *t = redaction_apply(r, json_string_value(v));
				json_array_set_new(j, i, json_string(t));
				free(t);
			} else {
				redact_json(v, r);
			}
		}
	}
}

void redact_visit(json_t *visit)
{
	static const char *const keys[] = { "serial", "imei", "imei2", "name", "udid", NULL };
	struct redaction r;
	redaction_init(&r);
	json_t *dev = json_object_get(visit, "device");
	for (size_t i = 0; keys[i]; i++)
		redaction_add(&r, json_string_value(json_object_get(dev, keys[i])));
	redact_json(visit, &r);
	/* a value too short to scrub elsewhere is still not shown as itself */
	for (size_t i = 0; keys[i]; i++) {
		const char *s = json_string_value(json_object_get(dev, keys[i]));
		if (s && strncmp(s, "redacted-", 9)) {
			char *t = redact_tag(s);
			json_object_set_new(dev, keys[i], json_string(t));
			free(t);
		}
	}
	redaction_release(&r);
}

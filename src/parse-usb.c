/*
 * parse-usb.c - the pure side of the USB view: the lines usb.c wrote, the
 * table of phone makers' vendor ids, and which transport id a USB serial
 * names.  No I/O.
 */
#include <stdlib.h>
#include <string.h>
#include <ctype.h>

#include "usb.h"
#include "banned.h"

static void usb_dev_release(struct usb_dev *d)
{
	free(d->path);
	free(d->speed);
	free(d->serial);
	free(d->product);
	free(d->manufacturer);
}

void usb_devs_release(struct usb_devs *d)
{
	for (size_t i = 0; i < d->n; i++)
		usb_dev_release(&d->v[i]);
	free(d->v);
	memset(d, 0, sizeof(*d));
}

static bool hex(const char *s, unsigned *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 16);
	if (end == s || *end || v > 0xffff)
		return false;
	*out = (unsigned)v;
	return true;
}

static int dec(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);
	return end == s || *end || v < 0 || v > 100000 ? -1 : (int)v;
}

static void parse_line(char *line, struct usb_devs *out)
{
	struct usb_dev d = { .hub_self_powered = -1, .bus = -1, .addr = -1 };
	bool have_vid = false;
	for (char *f = line, *next; f; f = next) {
		next = strchr(f, '\t');
		if (next)
			*next++ = '\0';
		char *eq = strchr(f, '=');
		if (!eq)
			continue;
		*eq = '\0';
		const char *k = f, *v = eq + 1;
		if (!strcmp(k, "path") && !d.path)
			d.path = xstrdup(v);
		else if (!strcmp(k, "bus"))
			d.bus = dec(v);
		else if (!strcmp(k, "addr"))
			d.addr = dec(v);
		else if (!strcmp(k, "vid"))
			have_vid = hex(v, &d.vid);
		else if (!strcmp(k, "pid"))
			hex(v, &d.pid);
		else if (!strcmp(k, "class"))
			d.dev_class = (unsigned)(dec(v) < 0 ? 0 : dec(v));
		else if (!strcmp(k, "speed") && !d.speed)
			d.speed = xstrdup(v);
		else if (!strcmp(k, "hub"))
			d.behind_hub = !strcmp(v, "1");
		else if (!strcmp(k, "hub_self_powered"))
			d.hub_self_powered = !strcmp(v, "1") ? 1 : !strcmp(v, "0") ? 0 : -1;
		else if (!strcmp(k, "access"))
			d.no_access = !strcmp(v, "no");
		else if (!strcmp(k, "serial") && !d.serial)
			d.serial = xstrdup(v);
		else if (!strcmp(k, "product") && !d.product)
			d.product = xstrdup(v);
		else if (!strcmp(k, "manufacturer") && !d.manufacturer)
			d.manufacturer = xstrdup(v);
	}
	if (!have_vid || !d.path) {
		usb_dev_release(&d);
		return;
	}
	if (!d.speed)
		d.speed = xstrdup("unknown");
	ALLOC_GROW(out->v, out->n + 1, out->alloc);
	out->v[out->n++] = d;
}

void usb_parse(const char *text, struct usb_devs *out)
{
	memset(out, 0, sizeof(*out));
	char *copy = xstrdup(text ? text : "");
	for (char *line = copy, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		parse_line(line, out);
	}
	free(copy);
}

void usb_vendors_release(struct usb_vendors *v)
{
	for (size_t i = 0; i < v->n; i++) {
		free(v->v[i].platform);
		free(v->v[i].name);
	}
	free(v->v);
	memset(v, 0, sizeof(*v));
}

int usb_vendors_parse(const char *text, struct usb_vendors *out, char **cause)
{
	memset(out, 0, sizeof(*out));
	char *copy = xstrdup(text);
	int lineno = 0, ret = 0;
	for (char *line = copy, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		char *save = NULL;
		char *id = strtok_r(line, " \t\r", &save);
		if (!id)
			continue;
		char *plat = strtok_r(NULL, " \t\r", &save);
		char *name = strtok_r(NULL, "\r", &save);
		struct usb_vendor v = { .pid_lo = 0, .pid_hi = 0xffff };
		char *colon = strchr(id, ':');
		if (colon) {
			*colon = '\0';
			char *dash = strchr(colon + 1, '-');
			if (dash)
				*dash = '\0';
			if (!hex(colon + 1, &v.pid_lo) || !hex(dash ? dash + 1 : colon + 1, &v.pid_hi))
				goto bad;
		}
		if (!hex(id, &v.vid) || !plat || (strcmp(plat, "android") && strcmp(plat, "ios")))
			goto bad;
		while (name && (*name == ' ' || *name == '\t'))
			name++;
		v.platform = xstrdup(plat);
		v.name = xstrdup(name && *name ? name : id);
		ALLOC_GROW(out->v, out->n + 1, out->alloc);
		out->v[out->n++] = v;
		continue;
bad:
		*cause = xasprintf("line %d: expected 'VID[:PID-PID] android|ios NAME'", lineno);
		ret = -1;
		break;
	}
	free(copy);
	return ret;
}

const struct usb_vendor *usb_vendors_match(const struct usb_vendors *v, const struct usb_dev *d)
{
	if (d->dev_class == 9)
		return NULL; /* a hub is never a phone */
	for (size_t i = 0; i < v->n; i++)
		if (v->v[i].vid == d->vid && d->pid >= v->v[i].pid_lo && d->pid <= v->v[i].pid_hi)
			return &v->v[i];
	return NULL;
}

bool usb_serial_matches(const char *serial, const char *id)
{
	if (!serial || !id || !*serial)
		return false;
	while (*serial || *id) {
		if (*id == '-') {
			id++;
			continue;
		}
		if (*serial == '-') {
			serial++;
			continue;
		}
		if (!*serial || !*id || tolower((unsigned char)*serial) != tolower((unsigned char)*id))
			return false;
		serial++;
		id++;
	}
	return true;
}

void usb_facts(const struct capture *cap, struct facts *out)
{
	const char *line = capture_device(cap, "usb");
	if (!line)
		return;
	struct usb_devs d;
	usb_parse(line, &d);
	if (!d.n) {
		usb_devs_release(&d);
		return;
	}
	const struct usb_dev *u = &d.v[0];
	const char *src = "the USB bus (libusb)";
	struct value v = { 0 };
	if (strcmp(u->speed, "unknown")) {
		value_set_str(&v, u->speed);
		facts_set(out, "usb.speed", FACT_KNOWN, &v, src, line, NULL);
		value_release(&v);
	}
	if (u->product) {
		value_set_str(&v, u->product);
		facts_set(out, "usb.product", FACT_KNOWN, &v, src, line, NULL);
		value_release(&v);
	}
	value_set_bool(&v, u->behind_hub);
	facts_set(out, "usb.behind_hub", FACT_KNOWN, &v, src, line, NULL);
	if (u->behind_hub && u->hub_self_powered >= 0) {
		value_set_bool(&v, u->hub_self_powered == 1);
		facts_set(out, "usb.hub_self_powered", FACT_KNOWN, &v, src, line, NULL);
	}
	value_release(&v);
	usb_devs_release(&d);
}

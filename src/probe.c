/*
 * probe.c - listing phones and reading one, over the back-ends.  Android
 * goes through the adb server (adb.c); the phone's answers are collected
 * as they are, and only the parsers (parse-android.c) give them meaning.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "adb.h"
#include "devrec.h"
#include "xalloc.h"
#include "config.h"
#include "ios.h"
#include "parse-ios.h"
#include "parse-android.h"
#include "probe.h"
#include "net.h"
#include "usb.h"
#include "banned.h"

void probe_opts_default(struct probe_opts *o)
{
	o->timeout_s = 10;
	o->parallel = 48;
	o->start_adb = true;
	o->log_seconds = 0;
}

void phone_release(struct phone *p)
{
	free(p->id);
	free(p->platform);
	free(p->state);
	free(p->model);
	for (size_t i = 0; i < p->nattrs; i++) {
		free(p->attrs[i].key);
		free(p->attrs[i].value);
	}
	free(p->attrs);
	memset(p, 0, sizeof(*p));
}

void phones_release(struct phones *p)
{
	for (size_t i = 0; i < p->n; i++)
		phone_release(&p->v[i]);
	free(p->v);
	strlist_release(&p->notes);
	strlist_release(&p->problems);
	memset(p, 0, sizeof(*p));
}

/* adb's word for a usable phone is "device"; ours is "ready". */
static const char *android_state(const char *s)
{
	if (!strcmp(s, "device"))
		return "ready";
	if (!strcmp(s, "unauthorized") || !strcmp(s, "offline"))
		return s;
	if (!strncmp(s, "no permissions", 14))
		return "usb-only";
	return s;
}

static void android_list(const struct probe_opts *o, struct phones *out)
{
	struct adb_server s;
	char *cause = NULL, *reply = NULL;
	if (adb_server_init(&s, &cause)) {
		strlist_push_owned(&out->problems, cause);
		return;
	}
	enum adb_result r = adb_host_query(&s, "host:devices-l", 5, &reply, &cause);
	if (r == ADB_NO_SERVER && o->start_adb) {
		char *why = NULL;
		if (!adb_start_server(&s, 15, &why)) {
			strlist_push(&out->notes, "no adb server was running: started one with 'adb start-server'");
			free(cause);
			cause = NULL;
			r = adb_host_query(&s, "host:devices-l", 5, &reply, &cause);
		} else {
			free(cause);
			cause = why;
		}
	}
	if (r != ADB_OK) {
		strlist_push_owned(&out->problems, cause);
		adb_server_release(&s);
		return;
	}
	struct adb_devices devs;
	adb_parse_devices(reply, &devs);
	for (size_t i = 0; i < devs.n; i++) {
		struct adb_device *d = &devs.v[i];
		ALLOC_GROW(out->v, out->n + 1, out->alloc);
		struct phone *p = &out->v[out->n++];
		memset(p, 0, sizeof(*p));
		p->id = xstrdup(d->serial);
		p->platform = xstrdup("android");
		p->state = xstrdup(android_state(d->state));
		const char *m = adb_device_attr(d, "model");
		if (m)
			p->model = xstrdup(m); /* as adb lists it: "Pixel_7", "SM_S911B" */
		p->attrs = d->attrs;
		p->nattrs = d->nattrs;
		d->attrs = NULL;
		d->nattrs = 0;
	}
	adb_devices_release(&devs);
	free(reply);
	adb_server_release(&s);
}

static void phone_attr(struct phone *p, const char *key, const char *value)
{
	p->attrs = xrealloc(p->attrs, (p->nattrs + 1) * sizeof(*p->attrs));
	p->attrs[p->nattrs].key = xstrdup(key);
	p->attrs[p->nattrs].value = xstrdup(value);
	p->nattrs++;
}

/* Is a usbmuxd listening (where libusbmuxd would look)? */
static bool usbmuxd_present(void)
{
	const char *addr = getenv("USBMUXD_SOCKET_ADDRESS");
	if (addr && *addr)
		return true; /* named explicitly: ios_list reports whether it answers */
	struct stat st;
	return !stat("/var/run/usbmuxd", &st) || !stat("/run/usbmuxd", &st);
}

/* Why a phone shows on the bus but not to its back-end, and what to do. */
static char *usb_only_reason(const char *platform, const struct usb_dev *d)
{
	if (d->no_access)
		return xasprintf("this user may not open /dev/bus/usb/%03d/%03d: install the udev rule "
				 "for the phone (Debian: %s) or add the user to the plugdev group, then "
				 "plug it in again", d->bus, d->addr,
				 !strcmp(platform, "ios") ? "usbmuxd's 39-usbmuxd.rules" :
				 "51-android.rules from android-sdk-platform-tools-common");
	if (!strcmp(platform, "ios"))
		return xstrdup(usbmuxd_present() ?
			       "usbmuxd does not list it: unlock the phone, tap Trust, and plug it in "
			       "again; if it still does not show, restart usbmuxd" :
			       "usbmuxd is not running: start it (systemctl start usbmuxd) and plug the "
			       "phone in again");
	return xstrdup("adb does not list it: USB debugging is off or the phone is in charge-only "
		       "mode: switch USB debugging on and choose File transfer in the USB notification");
}

/*
 * The phones on the USB bus: the ones a back-end lists get their link
 * (speed, hub); the others are added as "usb-only", with the reason.
 */
static void usb_list(const struct probe_opts *o, struct phones *out)
{
	if (!o->data_dir)
		return;
	/* the config file may name another vendors file (a new maker, no new build) */
	char *vpath = config_path("usb_vendors"), *cause = NULL;
	if (!vpath)
		vpath = xasprintf("%s/usb-vendors.txt", o->data_dir);
	struct buf text = BUF_INIT, bus = BUF_INIT;
	struct usb_vendors vendors = { 0 };
	if (buf_read_file(&text, vpath, &cause) || usb_vendors_parse(buf_str(&text), &vendors, &cause)) {
		strlist_push_owned(&out->problems, xasprintf("%s: %s", vpath, cause));
		goto out;
	}
	int r = usb_read(&bus, &cause);
	if (r < 0) {
		strlist_push_owned(&out->problems, cause);
		cause = NULL;
		goto out;
	}
	char *copy = xstrdup(buf_str(&bus));
	size_t known = out->n;
	for (char *line = copy, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		struct usb_devs one;
		usb_parse(line, &one);
		const struct usb_vendor *v = one.n ? usb_vendors_match(&vendors, &one.v[0]) : NULL;
		if (!v) {
			usb_devs_release(&one);
			continue;
		}
		const struct usb_dev *d = &one.v[0];
		struct phone *p = NULL;
		for (size_t i = 0; i < known && !p; i++)
			if (usb_serial_matches(d->serial, out->v[i].id))
				p = &out->v[i];
		if (!p) {
			ALLOC_GROW(out->v, out->n + 1, out->alloc);
			p = &out->v[out->n++];
			memset(p, 0, sizeof(*p));
			p->id = d->serial ? xstrdup(d->serial) : xasprintf("usb:%s", d->path);
			p->platform = xstrdup(v->platform);
			p->state = xstrdup("usb-only");
			if (d->product)
				p->model = xstrdup(d->product);
			char *why = usb_only_reason(v->platform, d);
			phone_attr(p, "usb.reason", why);
			free(why);
			phone_attr(p, "usb.vendor", v->name);
		}
		phone_attr(p, "usb", line);
		usb_devs_release(&one);
	}
	free(copy);
out:
	free(cause);
	free(vpath);
	buf_release(&text);
	buf_release(&bus);
	usb_vendors_release(&vendors);
}

void probe_list(const struct probe_opts *o, struct phones *out)
{
	memset(out, 0, sizeof(*out));
	android_list(o, out);
	ios_list(o, out);
	usb_list(o, out);
	/* the name people know for an iPhone's ProductType, from models.txt beside the rules */
	char *path = o->data_dir ? xasprintf("%s/models.txt", o->data_dir) : NULL;
	for (size_t i = 0; path && i < out->n; i++) {
		struct phone *p = &out->v[i];
		if (!p->platform || strcmp(p->platform, "ios") || !p->model)
			continue;
		char *name = devrec_model_name(path, p->model);
		if (name) {
			free(p->model);
			p->model = name;
		}
	}
	free(path);
}

/*
 * The time of a capture.  BACKUPDOCTOR_NOW (ISO 8601 UTC) pins it, so a
 * simulated phone whose answers were recorded on a given day reads as it
 * did that day (tests, demos, reproducible captures).
 */
static double wall_now(void)
{
	const char *pin = getenv("BACKUPDOCTOR_NOW");
	double t;
	if (pin && *pin && !timestamp_parse(pin, &t))
		return t;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (double)ts.tv_sec;
}

static int android_capture(const struct kb *kb, const struct phone *ph, const struct probe_opts *o,
			   struct capture *cap, char **cause)
{
	struct adb_server s;
	if (adb_server_init(&s, cause))
		return -1;
	int ret = -1;
	if (strcmp(ph->state, "ready")) {
		/* nothing more to read: the state is the answer, with what to do */
		if (!strcmp(ph->state, "unauthorized"))
			cap->note = xstrdup("the phone has not allowed USB debugging from this computer: unlock "
					    "it and accept the 'Allow USB debugging?' prompt (tick 'Always allow')");
		else if (!strcmp(ph->state, "offline"))
			cap->note = xstrdup("adb sees the phone but it does not answer: unplug it, plug it in "
					    "again and unlock it");
		else if (!strcmp(ph->state, "usb-only"))
			cap->note = xstrdup("the computer may not open the phone's USB device: check the udev rules "
					    "(the plugdev group) and plug it in again");
		ret = 0;
		goto out;
	}
	char *req = xasprintf("host-serial:%s:features", ph->id), *features = NULL;
	enum adb_result r = adb_host_query(&s, req, o->timeout_s, &features, cause);
	free(req);
	if (r == ADB_FAIL) {
		/* the phone went away or changed state between listing and reading */
		free(cap->device_state);
		cap->device_state = xstrdup(strstr(*cause, "unauthorized") ? "unauthorized" :
					    strstr(*cause, "offline") ? "offline" : "gone");
		cap->note = *cause;
		*cause = NULL;
		ret = 0;
		goto out;
	}
	if (r != ADB_OK)
		goto out;
	capture_set_device(cap, "features", features);
	struct adb_run_opts ro = {
		.shell_v2 = strstr(features, "shell_v2") != NULL,
		.timeout_s = o->timeout_s,
		.parallel = o->parallel,
		.max_output = 8u << 20,
	};
	free(features);
	struct strlist q = STRLIST_INIT;
	android_queries(kb, &q);
	adb_run(&s, ph->id, &q, &ro, cap);
	strlist_release(&q);
	ret = 0;
out:
	adb_server_release(&s);
	return ret;
}

int probe_capture(const struct kb *kb, const struct phone *ph, const struct probe_opts *o,
		  struct capture *cap, char **cause)
{
	capture_init(cap);
	cap->platform = xstrdup(ph->platform);
	cap->captured_at = wall_now();
	cap->tool_version = xstrdup(BD_VERSION);
	cap->device_id = xstrdup(ph->id);
	cap->device_state = xstrdup(ph->state);
	for (size_t i = 0; i < ph->nattrs; i++)
		capture_set_device(cap, ph->attrs[i].key, ph->attrs[i].value);
	const char *usb_reason = capture_device(cap, "usb.reason");
	if (usb_reason) {
		/* seen on the bus only: no back-end to ask; the reason is the answer */
		cap->note = xstrdup(usb_reason);
		return 0;
	}
	if (!strcmp(ph->platform, "android"))
		return android_capture(kb, ph, o, cap, cause);
	if (!strcmp(ph->platform, "ios"))
		return ios_capture(kb, ph, o, cap, cause);
	*cause = xasprintf("reading %s phones is not available in this release", ph->platform);
	return -1;
}

const struct answer *probe_android_shell(const char *serial, const char *cmd, double timeout_s,
					 struct capture *log)
{
	struct adb_server s;
	char *cause = NULL, *features = NULL;
	if (adb_server_init(&s, &cause)) {
		struct answer *a = capture_add(log, cmd);
		a->status = ANSWER_FAILED;
		a->error = cause;
		return a;
	}
	char *req = xasprintf("host-serial:%s:features", serial);
	bool v2 = false;
	if (adb_host_query(&s, req, timeout_s, &features, &cause) == ADB_OK)
		v2 = strstr(features, "shell_v2") != NULL;
	free(cause);
	free(features);
	free(req);
	struct strlist one = STRLIST_INIT;
	strlist_push(&one, cmd);
	struct adb_run_opts ro = { v2, timeout_s, 1, 1u << 20 };
	adb_run(&s, serial, &one, &ro, log);
	strlist_release(&one);
	adb_server_release(&s);
	return &log->answers[log->nanswers - 1];
}

static bool capture_ready(const struct capture *cap)
{
	return cap->device_state && !strcmp(cap->device_state, "ready");
}

/*
 * What the read itself showed, on every platform: the questions the phone
 * left unanswered (a stall is evidence, never silence).
 */
static void read_facts(const struct capture *cap, struct facts *out)
{
	struct value v = { .type = VT_LIST };
	struct buf raw = BUF_INIT;
	for (size_t i = 0; i < cap->nanswers; i++) {
		const struct answer *a = &cap->answers[i];
		if (a->status != ANSWER_TIMEOUT && a->status != ANSWER_CUT)
			continue;
		strlist_push(&v.l, a->query);
		buf_addf(&raw, "%s%s: %s", raw.len ? "; " : "", a->query,
			 a->error ? a->error : answer_status_name(a->status));
	}
	if (capture_ready(cap))
		facts_set(out, "probe.unanswered", FACT_KNOWN, &v, "the read of the phone",
			  raw.len ? buf_str(&raw) : NULL, NULL);
	value_release(&v);
	buf_release(&raw);
}

int probe_facts(const struct kb *kb, const struct capture *cap, struct facts *out)
{
	out->captured_at = cap->captured_at;
	read_facts(cap, out);
	int r = -1;
	if (!strcmp(cap->platform, "android"))
		r = android_parse(kb, cap, out);
	else if (!strcmp(cap->platform, "ios"))
		r = ios_parse(kb, cap, out);
	devrec_name_model(kb ? kb->dir : NULL, out); /* the code to the name people know */
	usb_facts(cap, out);
	net_facts(cap, out);
	return r;
}

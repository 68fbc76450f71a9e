/*
 * fuzz-capture.c - the phone parsers (Android and iOS) on arbitrary
 * answers.  The first byte picks the platform and the phone's state; the
 * rest is a run of answers separated by "\n@@\n", given in turn to the
 * queries a scan asks.  An answer starting with '!' is a failed one.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "facts.h"
#include "parse-android.h"
#include "parse-ios.h"
#include "rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char kb_text[] =
	"app google_photos { name \"Google Photos\" android \"com.google.android.apps.photos\" ios \"com.google.photos\" }\n"
	"app onedrive { name \"OneDrive\" android \"com.microsoft.skydrive\" ios \"com.microsoft.skydrive\" }\n"
	"app icloud_photos { name \"iCloud Photos\" ios \"com.apple.mobileslideshow\" }\n";

static const char *const ios_queries[] = {
	"lockdown:StartSession", "lockdown:", "lockdown:com.apple.mobile.battery",
	"lockdown:com.apple.mobile.backup", "lockdown:com.apple.disk_usage",
	"lockdown:com.apple.mobile.chaperone", "lockdown:com.apple.fmip",
	"lockdown:com.apple.mobile.data_sync", "lockdown:com.apple.mobile.iTunes",
	"diagnostics:IOPMPowerSource", "instproxy:browse", "mcinstall:GetProfileList",
	"mcinstall:GetCloudConfiguration", "syslog:2",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct kb kb;
	static struct strlist android = STRLIST_INIT;
	static int init;
	if (!init) {
		struct diags d;
		diags_init(&d);
		kb_init(&kb);
		rules_parse_text(&kb, "fuzz.rules", kb_text, strlen(kb_text), &d);
		rules_check(&kb, &d);
		diags_release(&d);
		android_queries(&kb, &android);
		init = 1;
	}
	if (!size)
		return 0;
	bool ios = data[0] & 1;
	struct capture c;
	capture_init(&c);
	c.platform = xstrdup(ios ? "ios" : "android");
	c.device_id = xstrdup("FUZZ");
	c.device_state = xstrdup(data[0] & 2 ? "ready" : ios ? "locked" : "unauthorized");
	c.captured_at = 1795168800;
	size_t nq = ios ? sizeof(ios_queries) / sizeof(*ios_queries) : android.n;
	size_t at = 1, k = 0;
	while (at <= size && k < nq) {
		const uint8_t *e = size - at >= 4 ? memmem(data + at, size - at, "\n@@\n", 4) : NULL;
		size_t n = e ? (size_t)(e - (data + at)) : size - at;
		struct answer *a = capture_add(&c, ios ? ios_queries[k] : android.v[k]);
		k++;
		capture_set_out(a, (const char *)data + at, n);
		a->exit_code = 0;
		if (n && data[at] == '!') {
			a->status = ANSWER_FAILED;
			a->error = xstrndup((const char *)data + at, n > 60 ? 60 : n);
		}
		at += n + 4;
	}
	struct facts f;
	facts_init(&f);
	if (ios)
		ios_parse(&kb, &c, &f);
	else
		android_parse(&kb, &c, &f);
	facts_release(&f);
	capture_release(&c);
	return 0;
}

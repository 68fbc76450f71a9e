/*
 * fuzz-factsfile.c - libFuzzer harness for the JSON facts file: the bytes
 * are one facts file, read against a small fixed knowledge base holding a
 * fact of every type.  What loads without an error must also survive the
 * way back: written out with factsfile_json() and read again, it loads
 * without an error.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "factsfile.h"
#include "rules.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char kb_text[] =
	"app google_photos { name \"Google Photos\" android \"com.google.android.apps.photos\""
	" ios \"com.google.photos\" }\n"
	"app onedrive { name \"OneDrive\" android \"com.microsoft.skydrive\" }\n"
	"fact device.platform string\n"
	"fact power.battery_saver bool\n"
	"fact backup.pending int\n"
	"fact storage.free bytes\n"
	"fact battery.level percent\n"
	"fact backup.stalled_for duration\n"
	"fact backup.last timestamp\n"
	"fact accounts.names list\n"
	"fact net.bandwidth rate\n"
	"fact net.connection string { ask \"Wi-Fi or mobile?\" answers \"wifi\" \"mobile\" }\n"
	"fact app.$.installed bool\n"
	"fact app.$.upload_network string\n";

static struct kb kb;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	struct diags d;
	diags_init(&d);
	kb_init(&kb);
	if (rules_parse_text(&kb, "fuzz-kb.rules", kb_text, strlen(kb_text), &d) ||
	    rules_check(&kb, &d)) {
		diags_print(&d, stderr);
		abort();
	}
	diags_release(&d);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct facts fs;
	struct diags d;
	facts_init(&fs);
	diags_init(&d);
	if (factsfile_parse(&kb, "fuzz.json", (const char *)data, size, &fs, &d) == 0) {
		/* the way back */
		json_t *j = factsfile_json(&fs);
		char *text = json_dumps(j, JSON_COMPACT);
		json_decref(j);
		if (!text)
			abort();
		struct facts again;
		struct diags d2;
		facts_init(&again);
		diags_init(&d2);
		if (factsfile_parse(&kb, "again.json", text, strlen(text), &again, &d2) ||
		    again.n != fs.n) {
			fprintf(stderr, "written facts do not load again:\n%s\n", text);
			diags_print(&d2, stderr);
			abort();
		}
		facts_release(&again);
		diags_release(&d2);
		free(text);
	}
	facts_release(&fs);
	diags_release(&d);
	return 0;
}

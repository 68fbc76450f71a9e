/*
 * cmd-devices.c - `backupdoctor devices`: every phone the computer can see,
 * with its state.  It never raises a prompt on a phone.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "probe.h"
#include "usb.h"
#include "xalloc.h"
#include "banned.h"

static const char *const devices_options[] = { "--format", "--help", NULL };

static const char *state_hint(const char *state)
{
	if (!strcmp(state, "unauthorized"))
		return "accept the USB debugging prompt on the phone";
	if (!strcmp(state, "offline"))
		return "unplug and plug the phone in again";
	if (!strcmp(state, "not-trusted") || !strcmp(state, "pairing-pending") ||
	    !strcmp(state, "pairing-denied"))
		return "unlock the phone and tap Trust (scan waits for the prompt)";
	if (!strcmp(state, "locked"))
		return "unlock the phone with its passcode and keep it unlocked";
	if (!strcmp(state, "usb-only"))
		return "the computer may not open it: check the USB permissions (udev rules)";
	return "";
}

static int run(int argc, char **argv, struct cmd_env *env)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false;
	int c;
	while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!strcmp(optarg, "json"))
				json = true;
			else if (strcmp(optarg, "text")) {
				cmd_error("--format: '%s' is not text or json", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			printf("usage: backupdoctor devices %s\n", cmd_devices.usage);
			return EXIT_NOTHING;
		default:
			return cmd_usage(&cmd_devices);
		}
	}
	if (optind < argc)
		return cmd_usage(&cmd_devices);
	struct probe_opts po;
	probe_opts_default(&po);
	char *data_dir = cmd_rules_dir(env);
	po.data_dir = data_dir;
	struct phones ps;
	probe_list(&po, &ps);
	free(data_dir);
	for (size_t i = 0; i < ps.notes.n; i++)
		cmd_error("%s", ps.notes.v[i]);
	for (size_t i = 0; i < ps.problems.n; i++)
		cmd_error("%s", ps.problems.v[i]);
	if (json) {
		json_t *a = json_array();
		for (size_t i = 0; i < ps.n; i++) {
			json_t *o = json_object();
			json_object_set_new(o, "id", json_string(ps.v[i].id));
			json_object_set_new(o, "platform", json_string(ps.v[i].platform));
			json_object_set_new(o, "state", json_string(ps.v[i].state));
			json_object_set_new(o, "model", ps.v[i].model ? json_string(ps.v[i].model) : json_null());
			for (size_t k = 0; k < ps.v[i].nattrs; k++) {
				const struct kv *at = &ps.v[i].attrs[k];
				if (!strcmp(at->key, "usb.reason"))
					json_object_set_new(o, "reason", json_string(at->value));
				if (strcmp(at->key, "usb"))
					continue;
				struct usb_devs u;
				usb_parse(at->value, &u);
				if (u.n) {
					json_t *l = json_object();
					json_object_set_new(l, "path", json_string(u.v[0].path));
					json_object_set_new(l, "vid", json_integer(u.v[0].vid));
					json_object_set_new(l, "pid", json_integer(u.v[0].pid));
					json_object_set_new(l, "speed", json_string(u.v[0].speed));
					json_object_set_new(l, "behind_hub", json_boolean(u.v[0].behind_hub));
					json_object_set_new(o, "usb", l);
				}
				usb_devs_release(&u);
			}
			json_array_append_new(a, o);
		}
		json_dumpf(a, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(a);
	} else if (!ps.n) {
		printf("no phone found\n");
	} else {
		for (size_t i = 0; i < ps.n; i++) {
			const char *h = state_hint(ps.v[i].state);
			for (size_t k = 0; k < ps.v[i].nattrs; k++)
				if (!strcmp(ps.v[i].attrs[k].key, "usb.reason"))
					h = ps.v[i].attrs[k].value;
			printf("%-24s %-8s %-13s %s%s%s\n", ps.v[i].id, ps.v[i].platform, ps.v[i].state,
			       ps.v[i].model ? ps.v[i].model : "", *h ? "  - " : "", h);
		}
	}
	int ret = ps.n ? EXIT_NOTHING : EXIT_NODEVICE;
	phones_release(&ps);
	return ret;
}

const struct cmd cmd_devices = {
	.name = "devices",
	.usage = "[--format text|json]",
	.summary = "list the phones attached, with their state",
	.options = devices_options,
	.run = run,
};

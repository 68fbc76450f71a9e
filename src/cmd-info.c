/*
 * cmd-info.c - `backupdoctor info`: the device record a repair shop files
 * (model name, system, serial, IMEI, storage, battery), as text, JSON or
 * CSV; with --log it is added to the shop log as a visit.  The record is
 * for the bench and shows personal data; what is shared (reports, exports,
 * --post) is redacted elsewhere.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmd-common.h"
#include "cmd-shop.h"
#include "devrec.h"
#include "value.h"
#include "xalloc.h"
#include "banned.h"

static const char *const info_options[] = {
	"--device", "--format", "--output", "--capture", "--timeout", SHOP_OPTION_NAMES,
	"--rules", "--help", NULL,
};

static const char *const labels[][2] = {
	{ "platform", "Platform" }, { "manufacturer", "Manufacturer" }, { "model", "Model code" },
	{ "model_name", "Model" }, { "color", "Colour" }, { "os_version", "System version" },
	{ "build", "Build" }, { "serial", "Serial number" }, { "imei", "IMEI" },
	{ "imei2", "IMEI 2" }, { "name", "Device name" }, { "udid", "UDID" },
	{ "storage_total", "Storage" }, { "storage_free", "Storage free" },
	{ "battery_level", "Battery level" }, { "battery_health_pct", "Battery health" },
	{ "battery_cycle_count", "Battery cycles" }, { "captured_at", "Read at" },
};

/* "128 GB", "87%", as people read them. */
static char *pretty(const char *key, json_t *v)
{
	enum vtype t = VT_NONE;
	if (!strncmp(key, "storage_", 8))
		t = VT_BYTES;
	else if (!strcmp(key, "battery_level") || !strcmp(key, "battery_health_pct"))
		t = VT_PERCENT;
	if (t != VT_NONE && json_is_number(v)) {
		struct value val = { 0 };
		value_set_num(&val, t, json_number_value(v));
		char *s = value_format(&val);
		value_release(&val);
		return s;
	}
	return cmd_json_text(v);
}

static void write_text(FILE *out, json_t *rec)
{
	for (size_t i = 0; i < sizeof(labels) / sizeof(*labels); i++) {
		json_t *v = json_object_get(rec, labels[i][0]);
		if (!v || json_is_null(v))
			continue;
		char *s = pretty(labels[i][0], v);
		fprintf(out, "%-16s %s\n", labels[i][1], s);
		free(s);
	}
}

static void write_csv(FILE *out, json_t *rec)
{
	size_t n = 0;
	while (devrec_keys[n])
		n++;
	char **vals = xcalloc(n, sizeof(*vals));
	for (size_t i = 0; i < n; i++)
		vals[i] = cmd_json_text(json_object_get(rec, devrec_keys[i]));
	cmd_csv_row(out, devrec_keys, n);
	cmd_csv_row(out, (const char *const *)vals, n);
	for (size_t i = 0; i < n; i++)
		free(vals[i]);
	free(vals);
}

/* A capture file instead of the phone: the same record, later or elsewhere. */
static int load_capture(const char *path, struct capture *cap)
{
	struct buf b = BUF_INIT;
	char *cause = NULL;
	int ret = -1;
	json_t *root = NULL;
	struct diags d;
	diags_init(&d);
	if (buf_read_file(&b, path, &cause)) {
		cmd_error("%s: %s", path, cause);
		free(cause);
		goto out;
	}
	json_error_t je;
	root = json_loadb(buf_str(&b), b.len, 0, &je);
	if (!root || !capture_is(root)) {
		cmd_error("%s: not a capture file (make one with 'backupdoctor capture -o FILE')", path);
		goto out;
	}
	ret = capture_parse_json(root, path, cap, &d);
	diags_print(&d, stderr);
out:
	diags_release(&d);
	json_decref(root);
	buf_release(&b);
	return ret;
}

static int run(int argc, char **argv, struct cmd_env *env)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "capture", required_argument, NULL, 'c' },
		{ "timeout", required_argument, NULL, 't' },
		{ "rules", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		SHOP_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	const char *device = NULL, *output = NULL, *fmt = "text", *capfile = NULL;
	struct shop_opts so = { 0 };
	struct probe_opts po;
	probe_opts_default(&po);
	int c, ret = EXIT_USAGE;
	struct kb kb;
	kb_init(&kb);
	struct capture cap;
	capture_init(&cap);
	struct facts facts;
	facts_init(&facts);
	json_t *rec = NULL, *visit = NULL;
	char *models = NULL, *data_dir = NULL;
	FILE *out = stdout;

	while ((c = getopt_long(argc, argv, "d:f:o:t:h", opts, NULL)) != -1) {
		if (cmd_shop_option(c, optarg, &so))
			continue;
		switch (c) {
		case 'd': device = optarg; break;
		case 'f': fmt = optarg; break;
		case 'o': output = optarg; break;
		case 'c': capfile = optarg; break;
		case 't':
			if ((po.timeout_s = cmd_parse_seconds(optarg)) <= 0) {
				cmd_error("--timeout: '%s' is not a number of seconds", optarg);
				goto out;
			}
			break;
		case 'R': env->rules_dir = optarg; break;
		case 'h':
			printf("usage: backupdoctor info %s\n", cmd_info.usage);
			ret = EXIT_NOTHING;
			goto out;
		default:
			cmd_usage(&cmd_info);
			goto out;
		}
	}
	if (optind < argc) {
		cmd_error("info: unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if (strcmp(fmt, "text") && strcmp(fmt, "json") && strcmp(fmt, "csv")) {
		cmd_error("--format: '%s' is not text, json or csv", fmt);
		goto out;
	}
	if (so.post || so.include_personal) {
		cmd_error("info: --post and --include-personal belong to scan (info is the bench record)");
		goto out;
	}
	if (cmd_load_rules(env, &kb))
		goto out;
	po.data_dir = data_dir = cmd_rules_dir(env); /* usb-vendors.txt */
	if (capfile) {
		if (load_capture(capfile, &cap))
			goto out;
	} else if ((ret = cmd_read_phone(&kb, device, &po, 0, &cap))) {
		goto out;
	}
	if (cmd_capture_unreadable(&cap)) {
		cmd_error("%s: the phone could not be read (%s)%s%s", cap.device_id ? cap.device_id : "?",
			  cap.device_state, cap.note ? ": " : "", cap.note ? cap.note : "");
		ret = EXIT_NODEVICE;
		goto out;
	}
	probe_facts(&kb, &cap, &facts);
	models = cmd_models_path(env);
	rec = devrec_build(&facts, cap.device_id, models);
	if (so.log) {
		visit = cmd_visit_new(&so, "info", rec, NULL, NULL, 0);
		if ((ret = cmd_shop_log(&so, visit)))
			goto out;
	}
	if (output && !(out = fopen(output, "w"))) {
		cmd_error("%s: cannot write: %s", output, strerror(errno));
		out = stdout;
		ret = EXIT_USAGE;
		goto out;
	}
	if (!strcmp(fmt, "json")) {
		json_dumpf(rec, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', out);
	} else if (!strcmp(fmt, "csv")) {
		write_csv(out, rec);
	} else {
		write_text(out, rec);
	}
	if (fflush(out) || ferror(out)) {
		cmd_error("%s: write error", output ? output : "standard output");
		ret = EXIT_INTERNAL;
		goto out;
	}
	ret = EXIT_NOTHING;
out:
	if (out != stdout)
		fclose(out);
	json_decref(rec);
	json_decref(visit);
	free(models);
	free(data_dir);
	facts_release(&facts);
	capture_release(&cap);
	kb_release(&kb);
	return ret;
}

const struct cmd cmd_info = {
	.name = "info",
	.usage = "[-d ID | --capture FILE] [--format text|json|csv] [-o FILE] [--timeout SECONDS] "
		 "[--log [--db FILE] [--note TEXT] [--ticket ID]]",
	.summary = "the device record a repair shop files (model, system, serial, IMEI, battery)",
	.options = info_options,
	.run = run,
};

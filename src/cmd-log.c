/*
 * cmd-log.c - `backupdoctor log`: the shop log.  list (by date), show ID,
 * search by serial, IMEI, ticket or cause id, export for a spreadsheet or
 * another system (redacted unless --include-personal), resend the reports
 * a collector did not get.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmd-shop.h"
#include "redact.h"
#include "shoplog.h"
#include "xalloc.h"
#include "banned.h"

static const char *const log_options[] = {
	"--db", "--format", "--output", "--serial", "--imei", "--ticket", "--cause",
	"--include-personal", "--cacert", "--help", NULL,
};

static const char *const csv_cols[] = {
	"id", "logged_at", "command", "ticket", "platform", "model", "os_version", "build",
	"serial", "imei", "storage_total", "storage_free", "battery_level", "battery_health_pct",
	"battery_cycle_count", "findings", "fixes", "note",
};
#define NCOLS (sizeof(csv_cols) / sizeof(*csv_cols))

static char *joined_ids(json_t *a, const char *key)
{
	struct buf b = BUF_INIT;
	size_t i;
	json_t *x;
	json_array_foreach(a, i, x) {
		if (i)
			buf_putc(&b, ' ');
		buf_puts(&b, json_string_value(json_object_get(x, key)) ?
			 json_string_value(json_object_get(x, key)) : "");
	}
	return buf_detach(&b);
}

static void visit_fields(json_t *v, char **f)
{
	json_t *dev = json_object_get(v, "device");
	f[0] = cmd_json_text(json_object_get(v, "id"));
	f[1] = cmd_json_text(json_object_get(v, "logged_at"));
	f[2] = cmd_json_text(json_object_get(v, "command"));
	f[3] = cmd_json_text(json_object_get(v, "ticket"));
	f[4] = cmd_json_text(json_object_get(dev, "platform"));
	json_t *mn = json_object_get(dev, "model_name");
	f[5] = cmd_json_text(mn && !json_is_null(mn) ? mn : json_object_get(dev, "model"));
	for (size_t k = 6; k < 15; k++)
		f[k] = cmd_json_text(json_object_get(dev, csv_cols[k]));
	f[15] = joined_ids(json_object_get(v, "findings"), "id");
	f[16] = joined_ids(json_object_get(v, "fixes"), "command");
	f[17] = cmd_json_text(json_object_get(v, "note"));
}

static void write_csv(FILE *out, json_t *visits)
{
	cmd_csv_row(out, csv_cols, NCOLS);
	size_t i;
	json_t *v;
	json_array_foreach(visits, i, v) {
		char *f[NCOLS];
		visit_fields(v, f);
		cmd_csv_row(out, (const char *const *)f, NCOLS);
		for (size_t k = 0; k < NCOLS; k++)
			free(f[k]);
	}
}

static void write_list(FILE *out, json_t *visits)
{
	size_t i;
	json_t *v;
	if (!json_array_size(visits)) {
		fputs("no visits\n", out);
		return;
	}
	fprintf(out, "%-5s %-20s %-12s %-26s %-16s %s\n", "ID", "LOGGED", "TICKET", "MODEL", "SERIAL",
		"FINDINGS");
	json_array_foreach(visits, i, v) {
		char *f[NCOLS];
		visit_fields(v, f);
		fprintf(out, "%-5s %-20s %-12s %-26s %-16s %s%s\n", f[0], f[1], *f[3] ? f[3] : "-",
			*f[5] ? f[5] : "-", *f[8] ? f[8] : "-", *f[15] ? f[15] : "none",
			json_integer_value(json_object_get(v, "unsent")) ? " (report unsent)" : "");
		for (size_t k = 0; k < NCOLS; k++)
			free(f[k]);
	}
}

static void write_show(FILE *out, json_t *v)
{
	char *f[NCOLS];
	visit_fields(v, f);
	static const char *const lab[NCOLS] = {
		"Visit", "Logged", "Command", "Ticket", "Platform", "Model", "System version", "Build",
		"Serial number", "IMEI", "Storage (bytes)", "Free (bytes)", "Battery level",
		"Battery health", "Battery cycles", NULL, NULL, "Note",
	};
	for (size_t k = 0; k < NCOLS; k++)
		if (lab[k] && *f[k])
			fprintf(out, "%-16s %s\n", lab[k], f[k]);
	size_t i;
	json_t *x;
	json_t *fa = json_object_get(v, "findings");
	fprintf(out, "Findings:%s\n", json_array_size(fa) ? "" : " none");
	json_array_foreach(fa, i, x) {
		const char *app = json_string_value(json_object_get(x, "app"));
		const char *st = json_string_value(json_object_get(x, "status"));
		fprintf(out, "  - %s%s%s%s%s%s\n", json_string_value(json_object_get(x, "id")),
			app ? " (" : "", app ? app : "", app ? ")" : "", st ? ", " : "", st ? st : "");
	}
	json_t *xa = json_object_get(v, "fixes");
	if (json_array_size(xa))
		fputs("Fixes applied:\n", out);
	json_array_foreach(xa, i, x)
		fprintf(out, "  - %s: %s\n", json_string_value(json_object_get(x, "command")),
			json_string_value(json_object_get(x, "result")) ?
			json_string_value(json_object_get(x, "result")) : "");
	if (json_integer_value(json_object_get(v, "unsent")))
		fputs("A report to the collector is unsent: 'backupdoctor log resend'\n", out);
	for (size_t k = 0; k < NCOLS; k++)
		free(f[k]);
}

static int resend(struct shoplog *sl, const char *cacert)
{
	json_t *items = NULL;
	char *cause = NULL;
	if (shoplog_outbox_pending(sl, &items, &cause)) {
		cmd_error("shop log: %s", cause);
		free(cause);
		return EXIT_INTERNAL;
	}
	size_t i, sent = 0, failed = 0;
	json_t *it;
	json_array_foreach(items, i, it) {
		long long id = json_integer_value(json_object_get(it, "id"));
		const char *url = json_string_value(json_object_get(it, "url"));
		char *err = NULL, *why = NULL;
		int r = cmd_shop_send(url, cacert, json_string_value(json_object_get(it, "payload")), &err);
		if (r) {
			cmd_error("report %lld: %s", id, err);
			failed++;
		} else {
			sent++;
		}
		if (shoplog_outbox_done(sl, id, r ? err : NULL, &why)) {
			cmd_error("shop log: %s", why);
			free(why);
		}
		free(err);
	}
	json_decref(items);
	fprintf(stderr, "backupdoctor: %zu report%s sent, %zu still unsent\n", sent, sent == 1 ? "" : "s",
		failed);
	return failed ? EXIT_NODEVICE : EXIT_NOTHING;
}

static int run(int argc, char **argv, struct cmd_env *env)
{
	static const struct option opts[] = {
		{ "db", required_argument, NULL, 'D' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "serial", required_argument, NULL, 's' },
		{ "imei", required_argument, NULL, 'i' },
		{ "ticket", required_argument, NULL, 'T' },
		{ "cause", required_argument, NULL, 'c' },
		{ "include-personal", no_argument, NULL, 'P' },
		{ "cacert", required_argument, NULL, 'A' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	(void)env;
	const char *db = NULL, *fmt = NULL, *output = NULL, *cacert = NULL;
	struct shoplog_filter flt = { 0 };
	bool personal = false;
	int c, ret = EXIT_USAGE;
	struct shoplog *sl = NULL;
	json_t *visits = NULL;
	FILE *out = stdout;

	/* options go before or after the action: "log --db F export --format csv" */
	while ((c = getopt_long(argc, argv, "f:o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'D': db = optarg; break;
		case 'f': fmt = optarg; break;
		case 'o': output = optarg; break;
		case 's': flt.serial = optarg; break;
		case 'i': flt.imei = optarg; break;
		case 'T': flt.ticket = optarg; break;
		case 'c': flt.cause = optarg; break;
		case 'P': personal = true; break;
		case 'A': cacert = optarg; break;
		case 'h':
			printf("usage: backupdoctor log %s\n", cmd_log.usage);
			return EXIT_NOTHING;
		default:
			return cmd_usage(&cmd_log);
		}
	}
	if (optind >= argc) {
		cmd_error("log: say list, show ID, search, export or resend");
		return cmd_usage(&cmd_log);
	}
	const char *what = argv[optind++];
	const char *idarg = NULL;
	if (!strcmp(what, "show")) {
		if (optind >= argc) {
			cmd_error("log show: give the visit id");
			return EXIT_USAGE;
		}
		idarg = argv[optind++];
		char *end;
		errno = 0;
		flt.id = strtoll(idarg, &end, 10);
		if (errno || *end || flt.id <= 0) {
			cmd_error("log show: '%s' is not a visit id", idarg);
			return EXIT_USAGE;
		}
	}
	if (optind < argc) {
		cmd_error("log %s: unexpected argument '%s'", what, argv[optind]);
		return EXIT_USAGE;
	}
	bool search = !strcmp(what, "search");
	if (strcmp(what, "list") && strcmp(what, "show") && !search && strcmp(what, "export") &&
	    strcmp(what, "resend")) {
		cmd_error("log: '%s' is not list, show, search, export or resend", what);
		return EXIT_USAGE;
	}
	if (!search && (flt.serial || flt.imei || flt.ticket || flt.cause)) {
		cmd_error("log %s: --serial, --imei, --ticket and --cause belong to 'log search'", what);
		return EXIT_USAGE;
	}
	if (search && !(flt.serial || flt.imei || flt.ticket || flt.cause)) {
		cmd_error("log search: give --serial, --imei, --ticket or --cause");
		return EXIT_USAGE;
	}
	if (!strcmp(what, "export")) {
		if (!fmt || (strcmp(fmt, "csv") && strcmp(fmt, "json"))) {
			cmd_error("log export: --format csv or --format json");
			return EXIT_USAGE;
		}
	} else if (fmt && strcmp(fmt, "text") && strcmp(fmt, "json") && strcmp(fmt, "csv")) {
		cmd_error("--format: '%s' is not text, json or csv", fmt);
		return EXIT_USAGE;
	}
	if (!fmt)
		fmt = "text";

	if (!(sl = cmd_shop_open(db))) {
		ret = EXIT_INTERNAL;
		goto out;
	}
	if (!strcmp(what, "resend")) {
		ret = resend(sl, cacert);
		goto out;
	}
	char *cause = NULL;
	if (shoplog_find(sl, &flt, &visits, &cause)) {
		cmd_error("shop log: %s", cause);
		free(cause);
		ret = EXIT_INTERNAL;
		goto out;
	}
	if (flt.id && !json_array_size(visits)) {
		cmd_error("log show: no visit %lld", flt.id);
		ret = EXIT_USAGE;
		goto out;
	}
	/* an export leaves the bench: the personal values go unless asked for */
	if (!strcmp(what, "export") && !personal) {
		size_t i;
		json_t *v;
		json_array_foreach(visits, i, v)
			redact_visit(v);
	}
	if (output && !(out = fopen(output, "w"))) {
		cmd_error("%s: cannot write: %s", output, strerror(errno));
		out = stdout;
		goto out;
	}
	if (!strcmp(fmt, "json")) {
		json_t *doc = flt.id ? json_incref(json_array_get(visits, 0)) : json_incref(visits);
		json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		fputc('\n', out);
		json_decref(doc);
	} else if (!strcmp(fmt, "csv")) {
		write_csv(out, visits);
	} else if (flt.id) {
		write_show(out, json_array_get(visits, 0));
	} else {
		write_list(out, visits);
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
	json_decref(visits);
	shoplog_close(sl);
	return ret;
}

const struct cmd cmd_log = {
	.name = "log",
	.usage = "[--db FILE] list|show ID|search [--serial S] [--imei I] [--ticket T] [--cause ID]|"
		 "export --format csv|json [--include-personal]|resend [--cacert FILE] "
		 "[--format text|json|csv] [-o FILE]",
	.summary = "the shop log: list, show, search, export, resend unsent reports",
	.options = log_options,
	.run = run,
};

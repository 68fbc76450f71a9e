/*
 * cmd-analyze.c - `backupdoctor analyze FILE…`: the diagnosis of facts
 * files, one report each, and with several files a summary of how often
 * each cause was found.
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "diagnose.h"
#include "cmd-common.h"
#include "cmd-shop.h"
#include "redact.h"
#include "factsfile.h"
#include "probe.h"
#include "report.h"
#include "xalloc.h"
#include "banned.h"

static const char *const analyze_options[] = {
	"--format", "--output", "--answer", "--answers", "--fail-on", "--verbose",
	"--rules", "--no-color", "--include-personal", "--help", NULL,
};

struct tally {
	struct strlist ids;
	int *count;
	size_t files_with_findings;
};

static void tally_add(struct tally *t, const struct diagnosis *dg)
{
	struct strlist seen = STRLIST_INIT;
	for (size_t i = 0; i < dg->nfindings; i++) {
		const char *id = dg->findings[i].rule->id;
		if (strlist_has(&seen, id))
			continue; /* one cause counts once per phone, whatever the apps */
		strlist_push(&seen, id);
		size_t k;
		for (k = 0; k < t->ids.n && strcmp(t->ids.v[k], id); k++)
			;
		if (k == t->ids.n) {
			strlist_push(&t->ids, id);
			t->count = xrealloc(t->count, t->ids.n * sizeof(*t->count));
			t->count[k] = 0;
		}
		t->count[k]++;
	}
	if (dg->nfindings)
		t->files_with_findings++;
	strlist_release(&seen);
}

static void tally_print(FILE *out, enum report_format fmt, struct tally *t, size_t nfiles)
{
	/* most frequent first; ties by id */
	for (size_t i = 1; i < t->ids.n; i++)
		for (size_t j = i; j > 0 && (t->count[j] > t->count[j - 1] ||
		     (t->count[j] == t->count[j - 1] && strcmp(t->ids.v[j], t->ids.v[j - 1]) < 0)); j--) {
			int c = t->count[j];
			t->count[j] = t->count[j - 1];
			t->count[j - 1] = c;
			char *s = t->ids.v[j];
			t->ids.v[j] = t->ids.v[j - 1];
			t->ids.v[j - 1] = s;
		}
	if (fmt == REPORT_MD) {
		fprintf(out, "## Summary of %zu phones\n\n| cause | phones |\n|---|---|\n", nfiles);
		for (size_t i = 0; i < t->ids.n; i++)
			fprintf(out, "| %s | %d |\n", t->ids.v[i], t->count[i]);
		fprintf(out, "\n%zu of %zu phones with a finding.\n", t->files_with_findings, nfiles);
		return;
	}
	fprintf(out, "==== Summary: %zu of %zu phones with a finding\n", t->files_with_findings, nfiles);
	for (size_t i = 0; i < t->ids.n; i++)
		fprintf(out, "  %-28s %d\n", t->ids.v[i], t->count[i]);
}

static int run(int argc, char **argv, struct cmd_env *env)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "answer", required_argument, NULL, 'a' },
		{ "answers", required_argument, NULL, 'A' },
		{ "fail-on", required_argument, NULL, 'F' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "rules", required_argument, NULL, 'R' },
		{ "no-color", no_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ "include-personal", no_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 },
	};
	enum report_format fmt = REPORT_TEXT;
	enum fail_on fail_on = FAIL_POSSIBLE;
	const char *output = NULL;
	struct strlist answers = STRLIST_INIT, answer_files = STRLIST_INIT;
	bool verbose = false, personal = false;
	int c, ret = EXIT_USAGE;
	struct kb kb;
	kb_init(&kb);
	FILE *out = stdout;
	json_t *summary = NULL;
	char *shop_name = NULL, *shop_contact = NULL;
	struct tally tally = { STRLIST_INIT, NULL, 0 };

	while ((c = getopt_long(argc, argv, "f:o:a:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (cmd_parse_format(optarg, &fmt))
				goto out;
			break;
		case 'o': output = optarg; break;
		case 'a': strlist_push(&answers, optarg); break;
		case 'A': strlist_push(&answer_files, optarg); break;
		case 'F':
			if (cmd_parse_fail_on(optarg, &fail_on))
				goto out;
			break;
		case 'v': verbose = true; break;
		case 'P': personal = true; break;
		case 'R': env->rules_dir = optarg; break;
		case 'C': env->no_color = true; break;
		case 'h':
			printf("usage: backupdoctor analyze %s\n", cmd_analyze.usage);
			ret = EXIT_NOTHING;
			goto out;
		default:
			cmd_usage(&cmd_analyze);
			goto out;
		}
	}
	if (optind >= argc) {
		cmd_error("analyze: give at least one facts file ('-' reads standard input)");
		cmd_usage(&cmd_analyze);
		goto out;
	}
	size_t nfiles = (size_t)(argc - optind);
	if (fmt == REPORT_HTML && nfiles > 1) {
		cmd_error("--format html makes one hand-out: give one file");
		goto out;
	}
	if (cmd_load_rules(env, &kb))
		goto out;

	/* every answer is checked before any file is read */
	if (cmd_collect_answers(&kb, &answers, &answer_files))
		goto out;

	if (output && !(out = fopen(output, "w"))) {
		cmd_error("%s: cannot write: %s", output, strerror(errno));
		out = stdout;
		goto out;
	}
	bool color = cmd_color(env, fmt, output);
	if (fmt == REPORT_JSON && nfiles > 1) {
		summary = json_object();
		json_object_set_new(summary, "schema", json_string("backupdoctor.summary/1"));
		json_object_set_new(summary, "reports", json_array());
	}

	/* the customer's page names the shop (its config file), when it has one */
	if (fmt == REPORT_HTML)
		cmd_shop_config(&shop_name, &shop_contact);

	int worst = EXIT_NOTHING;
	bool bad_input = false;
	for (int i = optind; i < argc; i++) {
		struct facts facts;
		char *source = NULL;
		bool unreadable = false;
		facts_init(&facts);
		if (cmd_load_input(&kb, argv[i], &facts, &source, &unreadable)) {
			bad_input = true;
			free(source);
			facts_release(&facts);
			continue;
		}
		cmd_apply_answers(&kb, &facts, &answers);
		struct diagnosis dg;
		diagnose(&kb, &facts, &dg);
		/* md, html and json are for sharing: no serial, IMEI or account (redact.h) */
		if (fmt != REPORT_TEXT && !personal)
			redact_report(&facts, &dg, &source, NULL);
		struct report_opts ro = { color, verbose, source, shop_name, shop_contact };
		struct report_ctx rc = { &kb, &facts, &dg, &ro, NULL, 0 };
		if (summary) {
			json_array_append_new(json_object_get(summary, "reports"), report_json_build(&rc));
		} else {
			if (nfiles > 1 && fmt == REPORT_TEXT)
				fprintf(out, "%s==== %s\n", i > optind ? "\n" : "", ro.source);
			else if (nfiles > 1 && fmt == REPORT_MD && i > optind)
				fputs("\n---\n\n", out);
			report_write(out, fmt, &rc);
		}
		tally_add(&tally, &dg);
		int e = unreadable ? EXIT_NODEVICE : cmd_exit_for(&dg, fail_on);
		if (e > worst)
			worst = e;
		diagnosis_release(&dg);
		facts_release(&facts);
		free(source);
	}
	if (nfiles > 1) {
		if (summary) {
			json_t *causes = json_object();
			for (size_t i = 0; i < tally.ids.n; i++)
				json_object_set_new(causes, tally.ids.v[i], json_integer(tally.count[i]));
			json_object_set_new(summary, "causes", causes);
			json_dumpf(summary, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
			fputc('\n', out);
		} else {
			fputc('\n', out);
			tally_print(out, fmt, &tally, nfiles);
		}
	}
	if (fflush(out) || ferror(out)) {
		cmd_error("%s: write error", output ? output : "standard output");
		ret = EXIT_INTERNAL;
		goto out;
	}
	ret = bad_input ? EXIT_USAGE : worst;
out:
	if (out != stdout)
		fclose(out);
	json_decref(summary);
	free(shop_name);
	free(shop_contact);
	strlist_release(&tally.ids);
	free(tally.count);
	strlist_release(&answers);
	strlist_release(&answer_files);
	kb_release(&kb);
	return ret;
}

const struct cmd cmd_analyze = {
	.name = "analyze",
	.usage = "[--format text|json|md|html] [-o FILE] [--answer FACT=VALUE]... "
		 "[--answers FILE] [--fail-on confirmed|possible|never] [-v] [--include-personal] FILE...",
	.summary = "diagnose facts files or captures (one report each, then a summary)",
	.options = analyze_options,
	.run = run,
};

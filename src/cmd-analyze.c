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
#include "factsfile.h"
#include "report.h"
#include "xalloc.h"
#include "banned.h"

enum fail_on { FAIL_POSSIBLE, FAIL_CONFIRMED, FAIL_NEVER };

static const char *const analyze_options[] = {
	"--format", "--output", "--answer", "--answers", "--fail-on", "--verbose",
	"--rules", "--no-color", "--help", NULL,
};

/* Read "FACT=VALUE" lines (# comments, blank lines) into `out`, checking each. */
static int read_answers_file(const struct kb *kb, const char *path, struct strlist *out)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		cmd_error("%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int lineno = 0, ret = 0;
	struct facts scratch;
	facts_init(&scratch);
	while ((n = getline(&line, &cap, f)) >= 0) {
		lineno++;
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		char *p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '#')
			continue;
		char *cause = NULL;
		if (diagnose_answer(kb, &scratch, p, "answer", &cause)) {
			cmd_error("%s:%d: %s", path, lineno, cause);
			free(cause);
			ret = -1;
			continue;
		}
		strlist_push(out, p);
	}
	free(line);
	fclose(f);
	facts_release(&scratch);
	return ret;
}

static int exit_for(const struct diagnosis *dg, enum fail_on fo)
{
	if (fo == FAIL_NEVER)
		return EXIT_NOTHING;
	if (dg->nconfirmed || (fo == FAIL_POSSIBLE && dg->npossible))
		return EXIT_FOUND;
	return EXIT_NOTHING;
}

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
		{ NULL, 0, NULL, 0 },
	};
	enum report_format fmt = REPORT_TEXT;
	enum fail_on fail_on = FAIL_POSSIBLE;
	const char *output = NULL;
	struct strlist answers = STRLIST_INIT, answer_files = STRLIST_INIT;
	bool verbose = false;
	int c, ret = EXIT_USAGE;
	struct kb kb;
	kb_init(&kb);
	FILE *out = stdout;
	json_t *summary = NULL;
	struct tally tally = { STRLIST_INIT, NULL, 0 };

	while ((c = getopt_long(argc, argv, "f:o:a:vh", opts, NULL)) != -1) {
		switch (c) {
		case 'f': {
			int f = report_format_from_name(optarg);
			if (f < 0) {
				cmd_error("--format: '%s' is not text, json, md or html", optarg);
				goto out;
			}
			fmt = (enum report_format)f;
			break;
		}
		case 'o': output = optarg; break;
		case 'a': strlist_push(&answers, optarg); break;
		case 'A': strlist_push(&answer_files, optarg); break;
		case 'F':
			if (!strcmp(optarg, "possible"))
				fail_on = FAIL_POSSIBLE;
			else if (!strcmp(optarg, "confirmed"))
				fail_on = FAIL_CONFIRMED;
			else if (!strcmp(optarg, "never"))
				fail_on = FAIL_NEVER;
			else {
				cmd_error("--fail-on: '%s' is not confirmed, possible or never", optarg);
				goto out;
			}
			break;
		case 'v': verbose = true; break;
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
	for (size_t i = 0; i < answer_files.n; i++)
		if (read_answers_file(&kb, answer_files.v[i], &answers))
			goto out;
	{
		struct facts scratch;
		facts_init(&scratch);
		int bad = 0;
		for (size_t i = 0; i < answers.n; i++) {
			char *cause = NULL;
			if (diagnose_answer(&kb, &scratch, answers.v[i], "answer", &cause)) {
				cmd_error("--answer %s", cause);
				free(cause);
				bad = 1;
			}
		}
		facts_release(&scratch);
		if (bad)
			goto out;
	}

	if (output && !(out = fopen(output, "w"))) {
		cmd_error("%s: cannot write: %s", output, strerror(errno));
		out = stdout;
		goto out;
	}
	const char *nc = getenv("NO_COLOR");
	bool color = fmt == REPORT_TEXT && !output && isatty(STDOUT_FILENO) && !env->no_color &&
		     !(nc && *nc);
	if (fmt == REPORT_JSON && nfiles > 1) {
		summary = json_object();
		json_object_set_new(summary, "schema", json_string("backupdoctor.summary/1"));
		json_object_set_new(summary, "reports", json_array());
	}

	int worst = EXIT_NOTHING;
	bool bad_input = false;
	for (int i = optind; i < argc; i++) {
		struct facts facts;
		struct diags d;
		facts_init(&facts);
		diags_init(&d);
		int lr = factsfile_load(&kb, argv[i], &facts, &d);
		diags_print(&d, stderr);
		diags_release(&d);
		if (lr) {
			bad_input = true;
			facts_release(&facts);
			continue;
		}
		for (size_t k = 0; k < answers.n; k++) {
			char *cause = NULL;
			if (diagnose_answer(&kb, &facts, answers.v[k], "answer", &cause))
				free(cause); /* already checked above */
		}
		struct diagnosis dg;
		diagnose(&kb, &facts, &dg);
		struct report_opts ro = { color, verbose, strcmp(argv[i], "-") ? argv[i] : "(stdin)" };
		struct report_ctx rc = { &kb, &facts, &dg, &ro };
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
		int e = exit_for(&dg, fail_on);
		if (e > worst)
			worst = e;
		diagnosis_release(&dg);
		facts_release(&facts);
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
		 "[--answers FILE] [--fail-on confirmed|possible|never] [-v] FILE...",
	.summary = "diagnose facts files (one report each, then a summary)",
	.options = analyze_options,
	.run = run,
};

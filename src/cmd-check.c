/*
 * cmd-check.c - `backupdoctor check`: the interactive checklist (tui.c)
 * over a live phone, a capture or facts file, or answers alone (--manual).
 * On exit it prints what was found and done, and --save writes it as a
 * Markdown report.
 */
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "cmd-common.h"
#include "diagnose.h"
#include "facts.h"
#include "probe.h"
#include "redact.h"
#include "report.h"
#include "tui.h"
#include "xalloc.h"
#include "banned.h"

static const char *const check_options[] = {
	"--device", "--facts", "--capture", "--manual", "--save", "--answer", "--answers",
	"--rules", "--no-color", "--help", NULL,
};

/* Where the facts come from again on `r`. */
struct source_ctx {
	const struct kb *kb;
	const char *path;		/* a facts file or capture; NULL: the phone */
	const char *device;
	struct probe_opts po;
};

/* Messages of the readers would land on the screen: keep them out meanwhile. */
static int quiet_stderr(void)
{
	fflush(stderr);
	int saved = dup(STDERR_FILENO);
	int null = open("/dev/null", O_WRONLY);
	if (null >= 0) {
		dup2(null, STDERR_FILENO);
		close(null);
	}
	return saved;
}

static void restore_stderr(int saved)
{
	fflush(stderr);
	if (saved >= 0) {
		dup2(saved, STDERR_FILENO);
		close(saved);
	}
}

static int read_source(const struct source_ctx *sc, struct facts *out, bool quiet)
{
	int saved = quiet ? quiet_stderr() : -1;
	int ret;
	if (sc->path) {
		char *src = NULL;
		bool unreadable = false;
		ret = cmd_load_input(sc->kb, sc->path, out, &src, &unreadable) ? -1 : 0;
		free(src);
	} else {
		struct capture cap;
		capture_init(&cap);
		ret = cmd_read_phone(sc->kb, sc->device, &sc->po, 0, &cap) ? -1 : 0;
		if (!ret)
			probe_facts(sc->kb, &cap, out);
		capture_release(&cap);
	}
	if (quiet)
		restore_stderr(saved);
	return ret;
}

static int reload(void *ctx, struct facts *out, char **cause)
{
	const struct source_ctx *sc = ctx;
	if (read_source(sc, out, true)) {
		*cause = xstrdup(sc->path ? "the file could not be read" : "the phone could not be read");
		return -1;
	}
	return 0;
}

/* The steps marked done of one finding, in order. */
static void done_steps(const struct tui_session *s, const struct finding *f, struct strlist *out)
{
	for (size_t i = 0; i < f->nfixes; i++)
		for (size_t k = 0; k < f->fixes[i].steps.n; k++) {
			char *key = tui_step_key(f, i, k);
			if (strlist_has(&s->done, key))
				strlist_push(out, f->fixes[i].steps.v[k]);
			free(key);
		}
}

static void print_summary(FILE *out, const struct tui_session *s)
{
	const struct diagnosis *dg = &s->dg;
	fprintf(out, "backupdoctor check: %zu cause%s found (%zu confirmed, %zu possible), "
		"%zu fix step%s done\n", dg->nfindings, dg->nfindings == 1 ? "" : "s",
		dg->nconfirmed, dg->npossible, s->done.n, s->done.n == 1 ? "" : "s");
	for (size_t i = 0; i < dg->nfindings; i++) {
		const struct finding *f = &dg->findings[i];
		struct strlist done = STRLIST_INIT;
		done_steps(s, f, &done);
		fprintf(out, "  %-8s %s\n", done.n ? "done" :
			f->status == FINDING_CONFIRMED ? "problem" : "?", f->title);
		for (size_t k = 0; k < done.n; k++)
			fprintf(out, "           done: %s\n", done.v[k]);
		strlist_release(&done);
	}
	for (size_t i = 0; i < s->answers.n; i++)
		fprintf(out, "  answered: %s\n", s->answers.v[i]);
}

static int save_report(const char *path, const struct kb *kb, struct tui_session *s,
		       const char *source)
{
	FILE *f = fopen(path, "w");
	if (!f) {
		cmd_error("%s: cannot write: %s", path, strerror(errno));
		return -1;
	}
	/* a report is for sharing: no serial, IMEI or account (redact.h) */
	char *src = xstrdup(source ? source : "check");
	redact_report(s->facts, &s->dg, &src, NULL);
	struct report_opts ro = { false, false, src, NULL, NULL };
	struct report_ctx rc = { kb, s->facts, &s->dg, &ro, NULL, 0 };
	report_md(f, &rc);
	if (s->done.n || s->answers.n) {
		fputs("\n## Done during the check\n\n", f);
		for (size_t i = 0; i < s->dg.nfindings; i++) {
			struct strlist done = STRLIST_INIT;
			done_steps(s, &s->dg.findings[i], &done);
			for (size_t k = 0; k < done.n; k++)
				fprintf(f, "- %s: %s\n", s->dg.findings[i].title, done.v[k]);
			strlist_release(&done);
		}
		for (size_t i = 0; i < s->answers.n; i++)
			fprintf(f, "- answered `%s`\n", s->answers.v[i]);
	}
	free(src);
	bool bad = fflush(f) || ferror(f);
	if (fclose(f) || bad) {
		cmd_error("%s: write error", path);
		return -1;
	}
	return 0;
}

static int run(int argc, char **argv, struct cmd_env *env)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "facts", required_argument, NULL, 'f' },
		{ "capture", required_argument, NULL, 'c' },
		{ "manual", no_argument, NULL, 'm' },
		{ "save", required_argument, NULL, 's' },
		{ "answer", required_argument, NULL, 'a' },
		{ "answers", required_argument, NULL, 'A' },
		{ "rules", required_argument, NULL, 'R' },
		{ "no-color", no_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct source_ctx sc = { 0 };
	probe_opts_default(&sc.po);
	const char *save = NULL;
	bool manual = false;
	struct strlist answers = STRLIST_INIT, answer_files = STRLIST_INIT;
	int c, ret = EXIT_USAGE, inputs = 0;
	struct kb kb;
	kb_init(&kb);
	struct facts facts;
	facts_init(&facts);
	char *data_dir = NULL, *source = NULL;
	struct tui_session s = { 0 };

	while ((c = getopt_long(argc, argv, "d:a:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': sc.device = optarg; break;
		case 'f': case 'c': sc.path = optarg; inputs++; break;
		case 'm': manual = true; inputs++; break;
		case 's': save = optarg; break;
		case 'a': strlist_push(&answers, optarg); break;
		case 'A': strlist_push(&answer_files, optarg); break;
		case 'R': env->rules_dir = optarg; break;
		case 'C': env->no_color = true; break;
		case 'h':
			printf("usage: backupdoctor check %s\n", cmd_check.usage);
			ret = EXIT_NOTHING;
			goto out;
		default:
			cmd_usage(&cmd_check);
			goto out;
		}
	}
	if (optind < argc) {
		cmd_error("check: unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if (inputs > 1 || (inputs && sc.device)) {
		cmd_error("check: give one of --device, --facts, --capture and --manual");
		goto out;
	}
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		cmd_error("check needs a terminal; for a report use 'backupdoctor scan' "
			  "(or 'analyze FILE')");
		goto out;
	}
	if (cmd_load_rules(env, &kb) || cmd_collect_answers(&kb, &answers, &answer_files))
		goto out;
	sc.kb = &kb;
	sc.po.data_dir = data_dir = cmd_rules_dir(env);
	if (!manual) {
		if (read_source(&sc, &facts, false)) {
			ret = sc.path ? EXIT_USAGE : EXIT_NODEVICE;
			goto out;
		}
		source = xstrdup(sc.path ? sc.path : "the phone");
	} else {
		source = xstrdup("answers (--manual)");
	}
	cmd_apply_answers(&kb, &facts, &answers);

	const char *nc = getenv("NO_COLOR");
	s.kb = &kb;
	s.facts = &facts;
	s.source = source;
	s.color = !env->no_color && !(nc && *nc);
	s.manual = manual;
	s.reload = manual ? NULL : reload;
	s.reload_ctx = &sc;
	if (tui_check(&s)) {
		cmd_error("check: cannot set up the terminal");
		ret = EXIT_INTERNAL;
		goto out;
	}
	if (!s.quit) {
		ret = EXIT_NOTHING;
		goto out;
	}
	print_summary(stdout, &s);
	if (save && save_report(save, &kb, &s, source)) {
		ret = EXIT_INTERNAL;
		goto out;
	}
	ret = s.dg.nfindings ? EXIT_FOUND : EXIT_NOTHING;
out:
	diagnosis_release(&s.dg);
	strlist_release(&s.answers);
	strlist_release(&s.done);
	free(source);
	free(data_dir);
	facts_release(&facts);
	strlist_release(&answers);
	strlist_release(&answer_files);
	kb_release(&kb);
	return ret;
}

const struct cmd cmd_check = {
	.name = "check",
	.usage = "[--device ID | --facts FILE | --capture FILE | --manual] [--save FILE] "
		 "[--answer FACT=VALUE]... [--answers FILE]",
	.summary = "the interactive checklist: causes, evidence, questions and fix steps",
	.options = check_options,
	.run = run,
};

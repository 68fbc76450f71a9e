/* cmd-common.c - answers, phone choice and reading, shared by the commands. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cmd.h"
#include "cmd-common.h"
#include "diagnose.h"
#include "factsfile.h"
#include "xalloc.h"
#include "banned.h"

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

int cmd_collect_answers(const struct kb *kb, struct strlist *answers,
			const struct strlist *answer_files)
{
	int bad = 0;
	struct facts scratch;
	facts_init(&scratch);
	for (size_t i = 0; i < answers->n; i++) {
		char *cause = NULL;
		if (diagnose_answer(kb, &scratch, answers->v[i], "answer", &cause)) {
			cmd_error("--answer %s", cause);
			free(cause);
			bad = 1;
		}
	}
	facts_release(&scratch);
	for (size_t i = 0; i < answer_files->n; i++)
		if (read_answers_file(kb, answer_files->v[i], answers))
			bad = 1;
	return bad ? EXIT_USAGE : 0;
}

void cmd_apply_answers(const struct kb *kb, struct facts *facts, const struct strlist *answers)
{
	for (size_t k = 0; k < answers->n; k++) {
		char *cause = NULL;
		if (diagnose_answer(kb, facts, answers->v[k], "answer", &cause))
			free(cause); /* checked by cmd_collect_answers */
	}
}

int cmd_parse_format(const char *arg, enum report_format *out)
{
	int f = report_format_from_name(arg);
	if (f < 0) {
		cmd_error("--format: '%s' is not text, json, md or html", arg);
		return -1;
	}
	*out = (enum report_format)f;
	return 0;
}

int cmd_parse_fail_on(const char *arg, enum fail_on *out)
{
	static const char *const names[] = { "possible", "confirmed", "never" };
	for (int i = 0; i < 3; i++)
		if (!strcmp(arg, names[i])) {
			*out = (enum fail_on)i;
			return 0;
		}
	cmd_error("--fail-on: '%s' is not confirmed, possible or never", arg);
	return -1;
}

bool cmd_color(const struct cmd_env *env, enum report_format fmt, const char *output)
{
	const char *nc = getenv("NO_COLOR");
	return fmt == REPORT_TEXT && !output && isatty(STDOUT_FILENO) && !env->no_color &&
	       !(nc && *nc);
}

int cmd_exit_for(const struct diagnosis *dg, enum fail_on fo)
{
	if (fo == FAIL_NEVER)
		return EXIT_NOTHING;
	if (dg->nconfirmed || (fo == FAIL_POSSIBLE && dg->npossible))
		return EXIT_FOUND;
	return EXIT_NOTHING;
}

double cmd_parse_seconds(const char *s)
{
	char *end;
	double v = strtod(s, &end);
	if (end == s || v <= 0)
		return -1;
	if (!strcmp(end, "ms"))
		return v / 1000;
	if (!*end || !strcmp(end, "s"))
		return v;
	return -1;
}

static void list_phones(FILE *out, const struct phones *ps)
{
	for (size_t i = 0; i < ps->n; i++)
		fprintf(out, "  %-24s %-8s %-12s %s\n", ps->v[i].id, ps->v[i].platform, ps->v[i].state,
			ps->v[i].model ? ps->v[i].model : "");
}

int cmd_pick_phone(const char *want, const struct probe_opts *o, struct phone *out)
{
	struct phones ps;
	probe_list(o, &ps);
	for (size_t i = 0; i < ps.notes.n; i++)
		cmd_error("%s", ps.notes.v[i]);
	const char *env = getenv("ANDROID_SERIAL");
	int ret = EXIT_NODEVICE;
	size_t pick = ps.n;
	if (want || (env && *env)) {
		const char *id = want ? want : env;
		for (size_t i = 0; i < ps.n; i++)
			if (!strcmp(ps.v[i].id, id) && (want || !strcmp(ps.v[i].platform, "android")))
				pick = i;
		if (pick == ps.n) {
			cmd_error("no phone '%s'%s", id, ps.n ? "; attached:" : " is attached");
			list_phones(stderr, &ps);
			goto out;
		}
	} else if (ps.n == 1) {
		pick = 0;
	} else if (ps.n > 1) {
		cmd_error("several phones are attached: choose one with --device ID");
		list_phones(stderr, &ps);
		ret = EXIT_USAGE;
		goto out;
	} else {
		for (size_t i = 0; i < ps.problems.n; i++)
			cmd_error("%s", ps.problems.v[i]);
		cmd_error("no phone found: plug it in by USB and unlock it; on Android, turn on USB "
			  "debugging (Settings > Developer options) and accept the prompt on the phone");
		goto out;
	}
	*out = ps.v[pick];
	memset(&ps.v[pick], 0, sizeof(ps.v[pick]));
	ret = 0;
out:
	phones_release(&ps);
	return ret;
}

static bool waiting_for_person(const char *state)
{
	static const char *const states[] = { "unauthorized", "not-trusted", "pairing-pending",
					      "locked" };
	for (size_t i = 0; i < sizeof(states) / sizeof(*states); i++)
		if (state && !strcmp(state, states[i]))
			return true;
	return false;
}

static double mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int cmd_read_phone(const struct kb *kb, const char *want, const struct probe_opts *o,
		   double wait_s, struct capture *cap)
{
	struct phone ph;
	int r = cmd_pick_phone(want, o, &ph);
	if (r)
		return r;
	double deadline = mono_now() + wait_s;
	bool said = false;
	for (;;) {
		char *cause = NULL;
		if (probe_capture(kb, &ph, o, cap, &cause)) {
			cmd_error("%s: %s", ph.id, cause);
			free(cause);
			phone_release(&ph);
			return EXIT_NODEVICE;
		}
		if (!waiting_for_person(cap->device_state) || mono_now() >= deadline)
			break;
		if (!said)
			cmd_error("%s: waiting up to %g s for you: %s", ph.id, wait_s,
				  cap->note ? cap->note : cap->device_state);
		said = true;
		struct timespec ts = { 1, 0 };
		nanosleep(&ts, NULL);
		/* read the listing again: the state there changes once the person answers */
		struct phone again;
		char *id = xstrdup(ph.id);
		phone_release(&ph);
		capture_release(cap);
		struct probe_opts quiet = *o;
		quiet.start_adb = false;
		if (cmd_pick_phone(id, &quiet, &again)) {
			free(id);
			return EXIT_NODEVICE;
		}
		free(id);
		ph = again;
	}
	phone_release(&ph);
	return 0;
}

char *cmd_capture_source(const struct capture *cap)
{
	return xasprintf("%s:%s", cap->platform, cap->device_id ? cap->device_id : "?");
}

bool cmd_capture_unreadable(const struct capture *cap)
{
	return cap->device_state && strcmp(cap->device_state, "ready");
}

/*
 * One input: a facts file, or a capture (raw answers, parsed here exactly as
 * scan parses a live phone).  *source names it in the report; *unreadable
 * says the captured phone could not be read.
 */
int cmd_load_input(const struct kb *kb, const char *path, struct facts *facts, char **source,
		   bool *unreadable)
{
	struct diags d;
	diags_init(&d);
	*unreadable = false;
	*source = xstrdup(strcmp(path, "-") ? path : "(stdin)");
	struct buf b = BUF_INIT;
	char *cause = NULL;
	if (buf_read_file(&b, path, &cause)) {
		fprintf(stderr, "%s: %s\n", path, cause); /* as the parsers name a file */
		free(cause);
		buf_release(&b);
		return -1;
	}
	int ret;
	json_t *root = json_loadb(buf_str(&b), b.len, 0, NULL);
	if (root && json_is_object(root) && capture_is(root)) {
		struct capture cap;
		capture_init(&cap);
		ret = capture_parse_json(root, *source, &cap, &d);
		if (!ret) {
			free(*source);
			*source = cmd_capture_source(&cap);
			*unreadable = cmd_capture_unreadable(&cap);
			probe_facts(kb, &cap, facts);
		}
		capture_release(&cap);
	} else {
		ret = factsfile_parse(kb, *source, buf_str(&b), b.len, facts, &d);
	}
	json_decref(root);
	buf_release(&b);
	diags_print(&d, stderr);
	diags_release(&d);
	return ret;
}

/*
 * report-text.c - the report for a terminal: ranked findings with their
 * evidence (and where each value came from), the fixes in order, and what
 * only the person can check.  Colour only when asked (a terminal, no NO_COLOR).
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "xalloc.h"
#include "banned.h"

#define WIDTH 78

struct tw {
	FILE *out;
	bool color;
};

static void sgr(const struct tw *t, const char *code)
{
	if (t->color)
		fprintf(t->out, "\033[%sm", code);
}

/* Print `s` wrapped at WIDTH, from column `used`; continuation lines indented. */
static void wrap(const struct tw *t, int indent, int used, const char *s)
{
	int col = used;
	bool space = false;
	for (const char *p = s; *p;) {
		if (*p == ' ') {
			p++;
			continue;
		}
		if (*p == '\n') {
			fprintf(t->out, "\n%*s", indent, "");
			col = indent;
			space = false;
			p++;
			continue;
		}
		const char *e = p;
		while (*e && *e != ' ' && *e != '\n')
			e++;
		int wl = (int)(e - p);
		if (space && col + 1 + wl > WIDTH) {
			fprintf(t->out, "\n%*s", indent, "");
			col = indent;
			space = false;
		}
		if (space) {
			fputc(' ', t->out);
			col++;
		}
		fwrite(p, 1, (size_t)wl, t->out);
		col += wl;
		space = true;
		p = e;
	}
	fputc('\n', t->out);
}

static void answers_hint(struct buf *b, const struct question *q)
{
	if (q->answers.n) {
		for (size_t i = 0; i < q->answers.n; i++)
			buf_addf(b, "%s%s", i ? "|" : "", q->answers.v[i]);
	} else {
		switch (q->type) {
		case VT_BYTES: buf_puts(b, "SIZE (e.g. 2GB)"); break;
		case VT_PERCENT: buf_puts(b, "PERCENT (e.g. 80%)"); break;
		case VT_DURATION: buf_puts(b, "DURATION (e.g. 3days)"); break;
		case VT_RATE: buf_puts(b, "RATE (e.g. 5Mbps)"); break;
		case VT_TIMESTAMP: buf_puts(b, "DATE (e.g. 2026-11-20)"); break;
		default: buf_puts(b, "VALUE"); break;
		}
	}
}

static const struct question *find_question(const struct diagnosis *dg, const char *fact)
{
	for (size_t i = 0; i < dg->nquestions; i++)
		if (!strcmp(dg->questions[i].fact, fact))
			return &dg->questions[i];
	return NULL;
}

static void print_finding(const struct tw *t, const struct report_ctx *rc, size_t n,
			  const struct finding *f)
{
	bool conf = f->status == FINDING_CONFIRMED;
	fprintf(t->out, "%2zu. ", n);
	sgr(t, conf ? "1;31" : "1;33");
	fprintf(t->out, "[%s]", finding_status_name(f->status));
	sgr(t, "0");
	fputc(' ', t->out);
	sgr(t, "1");
	fputs(f->title, t->out);
	sgr(t, "0");
	if (f->app)
		fprintf(t->out, " (%s)", f->app->name);
	fprintf(t->out, "  [%s]\n", f->rule->id);
	fputs("    Why: ", t->out);
	wrap(t, 9, 9, f->cause);
	for (size_t i = 0; i < f->nevidence; i++) {
		const struct evidence *ev = &f->evidence[i];
		struct buf b = BUF_INIT;
		buf_puts(&b, ev->text);
		struct strlist cited = STRLIST_INIT;
		for (size_t j = 0; j < ev->nfacts; j++) {
			const struct cited_fact *c = &ev->facts[j];
			char *s = NULL;
			if (c->state == FACT_ANSWERED)
				s = xasprintf(" (you answered %s)", c->value);
			else if (c->source)
				s = xasprintf(" [%s -> %s]", c->source, c->raw ? c->raw : c->value);
			if (s && !strlist_has(&cited, s))
				buf_puts(&b, s); /* two facts read from one line: cite it once */
			if (s)
				strlist_push_owned(&cited, s);
		}
		strlist_release(&cited);
		fputs(i ? "          " : "    Seen: ", t->out);
		wrap(t, 10, 10, buf_str(&b));
		buf_release(&b);
	}
	for (size_t i = 0; i < f->unknown.n; i++) {
		if (strlist_has(&f->questions, f->unknown.v[i]))
			continue;
		const struct fact *fa = facts_get(rc->facts, f->unknown.v[i]);
		struct buf b = BUF_INIT;
		buf_addf(&b, "%s could not be read%s%s", f->unknown.v[i],
			 fa && fa->note ? ": " : "", fa && fa->note ? fa->note : "");
		fputs("    Unknown: ", t->out);
		wrap(t, 13, 13, buf_str(&b));
		buf_release(&b);
	}
	if (f->questions.n) {
		fputs("    To settle it, answer:\n", t->out);
		for (size_t i = 0; i < f->questions.n; i++) {
			const struct question *q = find_question(rc->dg, f->questions.v[i]);
			if (!q)
				continue;
			fputs("      - ", t->out);
			wrap(t, 8, 8, q->text);
			struct buf b = BUF_INIT;
			answers_hint(&b, q);
			fprintf(t->out, "        --answer %s=%s\n", q->fact, buf_str(&b));
			buf_release(&b);
		}
	}
	if (f->nfixes)
		fputs("    Try, in this order:\n", t->out);
	for (size_t i = 0; i < f->nfixes; i++) {
		const struct fix_out *fx = &f->fixes[i];
		fprintf(t->out, "      %zu. ", i + 1);
		wrap(t, 9, 9, fx->title);
		for (size_t j = 0; j < fx->steps.n; j++) {
			fputs("         - ", t->out);
			wrap(t, 11, 11, fx->steps.v[j]);
		}
		if (fx->action)
			fprintf(t->out, "         (the tool can do this with --fix: %s)\n", fx->action);
	}
	fputc('\n', t->out);
}

void report_text(FILE *out, const struct report_ctx *rc)
{
	struct tw t = { out, rc->opts->color };
	const struct diagnosis *dg = rc->dg;
	char *dev = report_device_line(rc->facts);
	sgr(&t, "1");
	fprintf(out, "%s", dev);
	sgr(&t, "0");
	free(dev);
	if (rc->opts->source)
		fprintf(out, "  (%s)", rc->opts->source);
	fputc('\n', out);
	struct strlist apps = STRLIST_INIT;
	report_app_versions(rc->kb, rc->facts, &apps);
	if (apps.n) {
		struct buf b = BUF_INIT;
		for (size_t i = 0; i < apps.n; i++)
			buf_addf(&b, "%s%s", i ? ", " : "", apps.v[i]);
		fputs("Backup apps: ", out);
		wrap(&t, 13, 13, buf_str(&b));
		buf_release(&b);
	}
	strlist_release(&apps);
	fputc('\n', out);

	if (!dg->nfindings) {
		sgr(&t, "1;32");
		fputs("No cause found in what the phone reports.", out);
		sgr(&t, "0");
		fputc('\n', out);
	} else {
		fprintf(out, "%zu cause%s found: %zu confirmed, %zu possible\n\n", dg->nfindings,
			dg->nfindings == 1 ? "" : "s", dg->nconfirmed, dg->npossible);
		for (size_t i = 0; i < dg->nfindings; i++)
			print_finding(&t, rc, i + 1, &dg->findings[i]);
	}

	/* questions that belong to no finding: what only the person can check */
	size_t shown = 0, limit = rc->opts->verbose ? (size_t)-1 : 8, rest = 0;
	for (size_t i = 0; i < dg->nquestions; i++) {
		const struct question *q = &dg->questions[i];
		bool in_finding = false;
		for (size_t j = 0; j < dg->nfindings && !in_finding; j++)
			in_finding = strlist_has(&dg->findings[j].questions, q->fact);
		if (in_finding)
			continue;
		if (shown >= limit) {
			rest++;
			continue;
		}
		if (!shown++)
			fputs(dg->nfindings ? "Still to check (only you can tell):\n"
					    : "\nStill to check (only you can tell):\n", out);
		fputs("  - ", out);
		wrap(&t, 4, 4, q->text);
		struct buf b = BUF_INIT;
		answers_hint(&b, q);
		fprintf(out, "    --answer %s=%s\n", q->fact, buf_str(&b));
		buf_release(&b);
	}
	if (rest)
		fprintf(out, "  (%zu more with -v)\n", rest);

	if (rc->nactions)
		fputs("\nChanges made to the phone (--fix):\n", out);
	for (size_t i = 0; i < rc->nactions; i++) {
		const struct action *a = &rc->actions[i];
		fprintf(out, "  - %s%s%s: %s\n    %s", a->rule->id, a->app ? " " : "",
			a->app ? a->app->name : "", a->command, a->result);
		if (a->applied)
			fputs(a->verified == TV_TRUE ? "; verified on the phone" :
			      a->verified == TV_FALSE ? "; NOT confirmed by the re-read" :
			      "; the re-read could not tell", out);
		fputc('\n', out);
		for (size_t j = 0; j < a->changes.n; j++)
			fprintf(out, "    %s\n", a->changes.v[j]);
	}

	if (rc->opts->verbose) {
		fputs("\nRuled out:\n", out);
		if (!dg->nruled_out)
			fputs("  nothing\n", out);
		for (size_t i = 0; i < dg->nruled_out; i++)
			fprintf(out, "  %s%s%s\n", dg->ruled_out[i].rule->id,
				dg->ruled_out[i].app ? " " : "",
				dg->ruled_out[i].app ? dg->ruled_out[i].app->id : "");
		fputs("\nFacts:\n", out);
		for (size_t i = 0; i < rc->facts->n; i++) {
			const struct fact *f = &rc->facts->v[i];
			char *v = value_format(&f->v);
			fprintf(out, "  %-36s %s%s%s%s\n", f->name, v,
				f->state == FACT_ANSWERED ? " (answered)" : "",
				f->source ? "  <- " : "", f->source ? f->source : "");
			free(v);
		}
	}
}

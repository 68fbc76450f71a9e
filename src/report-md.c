/*
 * report-md.c - the Markdown view: a support-ticket summary meant to be
 * pasted as is.  It carries what a technician needs to pick the case up
 * (the device, the backup apps, each finding with the raw evidence it rests
 * on, the fixes in order, what is still to check) and nothing personal:
 * no serial, no IMEI, no account, no file name.  Like every view it only
 * reads, and it never looks at the clock, so the same capture always gives
 * the same text.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "banned.h"

/* A ticket is read, not searched: the rest of the questions are in the JSON. */
#define MD_MAX_QUESTIONS 5
/* Raw excerpts can be whole dumpsys sections; the head says enough. */
#define MD_MAX_RAW 120

static const char *nz(const char *s)
{
	return s ? s : "";
}

/*
 * Could this [ open a link or a task-list box?  "Settings > [your name] >
 * iCloud" is neither, and stays readable unescaped.
 */
static bool md_link_start(const char *text, const char *p)
{
	const char *q = strchr(p, ']');
	return p == text || (q && q[1] && strchr("([:", q[1]));
}

/*
 * Free text in a line of Markdown.  A newline would end a table row or a
 * list item, and | would split a cell, so those go first; the rest stops
 * text from the phone (a model name, an app's output) from turning into
 * markup: emphasis, code, links, raw HTML, and at the start of a list item
 * a heading, quote or nested list.  A [ or < that cannot open a link
 * or a tag, a > mid-line, and an underscore inside a word ("low_power") are
 * read as themselves by every Markdown, so they stay unescaped and the
 * pasted source stays readable.
 */
static void md_text(FILE *out, const char *s)
{
	for (const char *p = nz(s); *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '\n' || c == '\t' || c == '\r') {
			if (c != '\r')
				fputc(' ', out);
		} else if (c < 0x20 || c == 0x7f) {
			continue;
		} else if (strchr("\\`*|~", c) || (c == '[' && md_link_start(nz(s), p)) ||
			   (p == nz(s) && strchr("#>+-", c)) ||
			   (c == '<' && (isalpha((unsigned char)p[1]) || (p[1] && strchr("/!?", p[1]))))) {
			fputc('\\', out);
			fputc(c, out);
		} else if (c == '_' && !(p > nz(s) && isalnum((unsigned char)p[-1]) &&
				       isalnum((unsigned char)p[1]))) {
			fputs("\\_", out);
		} else {
			fputc(c, out);
		}
	}
}

/*
 * An inline code span.  The fence is one backtick longer than the longest
 * run inside, so a raw excerpt holding backticks still shows verbatim; line
 * breaks become spaces (a code span cannot hold one), the ends are trimmed,
 * and long excerpts are cut at a character boundary.
 */
static void md_code(FILE *out, const char *s)
{
	size_t len, run = 0, longest = 0;
	bool cut = false;

	/* "  level: 38" is how dumpsys indents; the spaces tell the reader nothing. */
	for (s = nz(s); *s && isspace((unsigned char)*s); s++)
		;
	for (len = strlen(s); len > 0 && isspace((unsigned char)s[len - 1]); len--)
		;
	if (len > MD_MAX_RAW) {
		len = MD_MAX_RAW;
		while (len > 0 && ((unsigned char)s[len] & 0xc0) == 0x80)
			len--;
		cut = true;
	}
	for (size_t i = 0; i < len; i++) {
		run = s[i] == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	for (size_t i = 0; i <= longest; i++)
		fputc('`', out);
	/* A span that starts or ends with a backtick needs a space to tell it from the fence. */
	bool pad = len && (s[0] == '`' || s[len - 1] == '`');
	if (pad)
		fputc(' ', out);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\n' || c == '\t')
			fputc(' ', out);
		else if (c >= 0x20 && c != 0x7f)
			fputc(c, out);
	}
	if (cut)
		fputs("…", out);
	if (pad)
		fputc(' ', out);
	for (size_t i = 0; i <= longest; i++)
		fputc('`', out);
}

/* A fact as people read it, or NULL when it is not known.  Caller frees. */
static char *fact_text(const struct facts *fs, const char *name)
{
	const struct value *v = facts_value(fs, name);
	char *s;
	if (!v)
		return NULL;
	s = value_format(v);
	if (!*s) {
		free(s);
		return NULL;
	}
	return s;
}

static bool has_prefix_icase(const char *s, const char *prefix)
{
	for (; *prefix; s++, prefix++)
		if (tolower((unsigned char)*s) != tolower((unsigned char)*prefix))
			return false;
	return true;
}

/* "Android" / "iOS" for people; the facts say "android" / "ios". */
static const char *platform_title(const struct report_ctx *rc)
{
	const char *p = facts_string(rc->facts, "device.platform");
	unsigned plat = p ? platform_from_name(p) : rc->dg->platform;
	if (plat == PLAT_ANDROID)
		return "Android";
	if (plat == PLAT_IOS)
		return "iOS";
	return NULL;
}

static void md_row(FILE *out, const char *label, const char *value)
{
	fprintf(out, "| %s | ", label);
	md_text(out, value);
	fputs(" |\n", out);
}

static void md_device(FILE *out, const struct report_ctx *rc)
{
	const char *plat = platform_title(rc);
	char *maker = fact_text(rc->facts, "device.manufacturer");
	char *model = fact_text(rc->facts, "device.model");
	char *os = fact_text(rc->facts, "device.os_version");
	char *build = fact_text(rc->facts, "device.build");
	struct buf b = BUF_INIT;
	struct strlist apps = STRLIST_INIT;

	fputs("| | |\n|---|---|\n", out);
	md_row(out, "Platform", plat ? plat : "unknown");

	/* Samsung reports "SM-S911B", Apple "iPhone 15": name the maker unless the model already does. */
	if (maker && model && !has_prefix_icase(model, maker))
		buf_addf(&b, "%s %s", maker, model);
	else
		buf_puts(&b, model ? model : "unknown model");
	md_row(out, "Model", buf_str(&b));

	buf_reset(&b);
	if (os) {
		/* A bare "14" means little on its own; "Android 14" does. */
		if (plat && isdigit((unsigned char)os[0]))
			buf_addf(&b, "%s ", plat);
		buf_puts(&b, os);
	} else {
		buf_puts(&b, "unknown");
	}
	if (build)
		buf_addf(&b, " (build %s)", build);
	md_row(out, "OS", buf_str(&b));

	buf_reset(&b);
	if (rc->facts->captured_at > 0) {
		struct value t = { .type = VT_TIMESTAMP, .n = rc->facts->captured_at };
		char *s = value_format(&t);
		buf_puts(&b, s);
		free(s);
	} else {
		buf_puts(&b, "unknown");
	}
	md_row(out, "Captured", buf_str(&b));

	buf_reset(&b);
	report_app_versions(rc->kb, rc->facts, &apps);
	for (size_t i = 0; i < apps.n; i++)
		buf_addf(&b, "%s%s", i ? ", " : "", apps.v[i]);
	md_row(out, "Backup apps", apps.n ? buf_str(&b) : "none found");

	strlist_release(&apps);
	buf_release(&b);
	free(maker);
	free(model);
	free(os);
	free(build);
}

/*
 * What a cited fact showed: the command or key and its raw answer, which is
 * what another technician can re-run; the formatted value stands in when no
 * raw excerpt was kept.
 */
static void md_cited(FILE *out, const struct cited_fact *cf)
{
	if (cf->state == FACT_ANSWERED) {
		md_code(out, cf->name);
		fputs(" answered ", out);
		md_code(out, cf->value);
		return;
	}
	md_code(out, cf->source ? cf->source : cf->name);
	fputs(" → ", out);
	if (cf->state == FACT_UNKNOWN)
		fputs("unknown", out);
	else
		md_code(out, cf->raw ? cf->raw : cf->value);
}

/*
 * Two facts read from one answer ("dumpsys connectivity" gives both the
 * transport and whether it is metered) cite the same excerpt: once is enough.
 */
static bool md_cited_repeat(const struct evidence *ev, size_t k)
{
	const struct cited_fact *c = &ev->facts[k];
	for (size_t i = 0; i < k; i++) {
		const struct cited_fact *p = &ev->facts[i];
		if (p->state == c->state && c->state != FACT_ANSWERED &&
		    !strcmp(nz(p->source), nz(c->source)) && c->source &&
		    !strcmp(nz(p->raw ? p->raw : p->value), nz(c->raw ? c->raw : c->value)))
			return true;
	}
	return false;
}

static void md_evidence(FILE *out, const char *indent, const struct evidence *ev)
{
	const char *text = nz(ev->text);
	size_t len = strlen(text);

	fprintf(out, "%s- ", indent);
	md_text(out, text);
	/* Evidence texts often end in a value ("Battery Saver on: yes"): a dash, not a colon. */
	if (len && ev->nfacts)
		fputs(" — ", out);
	for (size_t k = 0; k < ev->nfacts; k++) {
		if (md_cited_repeat(ev, k))
			continue;
		if (k)
			fputs("; ", out);
		md_cited(out, &ev->facts[k]);
	}
	fputc('\n', out);
}

static const struct question *find_question(const struct diagnosis *dg, const char *fact)
{
	for (size_t i = 0; i < dg->nquestions; i++)
		if (!strcmp(dg->questions[i].fact, fact))
			return &dg->questions[i];
	return NULL;
}

/* What an answer looks like, as `--answer` takes it. */
static void md_answer_hint(struct buf *b, const struct question *q)
{
	if (q->answers.n) {
		for (size_t i = 0; i < q->answers.n; i++)
			buf_addf(b, "%s%s", i ? "|" : "", q->answers.v[i]);
		return;
	}
	switch (q->type) {
	case VT_BOOL: buf_puts(b, "yes|no"); break;
	case VT_BYTES: buf_puts(b, "SIZE"); break;
	case VT_PERCENT: buf_puts(b, "PERCENT"); break;
	case VT_DURATION: buf_puts(b, "DURATION"); break;
	case VT_RATE: buf_puts(b, "RATE"); break;
	case VT_TIMESTAMP: buf_puts(b, "DATE"); break;
	default: buf_puts(b, "VALUE"); break;
	}
}

/*
 * The question in words, then how to give the answer to the tool: the
 * technician who picks the ticket up can paste it to `analyze`.
 */
static void md_question(FILE *out, const struct question *q)
{
	struct buf b = BUF_INIT;
	md_text(out, q->text && *q->text ? q->text : q->fact);
	buf_addf(&b, "--answer %s=", q->fact);
	md_answer_hint(&b, q);
	fputs(" — ", out);
	md_code(out, buf_str(&b));
	buf_release(&b);
}

static void md_findings(FILE *out, const struct diagnosis *dg)
{
	fputs("\n## Findings\n\n", out);
	for (size_t i = 0; i < dg->nfindings; i++) {
		const struct finding *f = &dg->findings[i];
		/* Nested lines line up under the item's text, which "10. " pushes right. */
		int w = fprintf(out, "%zu. ", i + 1);
		char indent[16];
		snprintf(indent, sizeof(indent), "%*s", w > 0 && w < 16 ? w : 3, "");

		fputs("**", out);
		md_text(out, f->title);
		fprintf(out, "** — %s", finding_status_name(f->status));
		if (f->app) {
			fputs(", ", out);
			md_text(out, f->app->name);
		}
		/* The cause id finds the cause in causes.md and the finding in the JSON. */
		if (f->rule && f->rule->id) {
			fputs(" · ", out);
			md_code(out, f->rule->id);
		}
		fputc('\n', out);
		for (size_t j = 0; j < f->nevidence; j++)
			md_evidence(out, indent, &f->evidence[j]);
		if (f->status != FINDING_POSSIBLE)
			continue;
		for (size_t j = 0; j < f->questions.n; j++) {
			const struct question *q = find_question(dg, f->questions.v[j]);
			fprintf(out, "%s- *To settle:* ", indent);
			if (q)
				md_question(out, q);
			else
				md_code(out, f->questions.v[j]);
			fputc('\n', out);
		}
		/* What nobody can be asked (the phone did not say) still tells the technician where to look. */
		size_t nunknown = 0;
		for (size_t j = 0; j < f->unknown.n; j++) {
			if (strlist_has(&f->questions, f->unknown.v[j]))
				continue;
			if (nunknown++)
				fputs(", ", out);
			else
				fprintf(out, "%s- *Not known:* ", indent);
			md_code(out, f->unknown.v[j]);
		}
		if (nunknown)
			fputc('\n', out);
	}
}

static bool fix_same(const struct fix_out *a, const struct fix_out *b)
{
	if (strcmp(nz(a->title), nz(b->title)) || a->steps.n != b->steps.n ||
	    strcmp(nz(a->action), nz(b->action)) || !a->action != !b->action)
		return false;
	for (size_t i = 0; i < a->steps.n; i++)
		if (strcmp(a->steps.v[i], b->steps.v[i]))
			return false;
	return true;
}

/* Has this fix been listed already, for an earlier finding or an earlier fix of this one? */
static bool fix_seen(const struct diagnosis *dg, size_t fi, size_t xi)
{
	const struct fix_out *x = &dg->findings[fi].fixes[xi];
	for (size_t i = 0; i <= fi; i++) {
		const struct finding *f = &dg->findings[i];
		for (size_t j = 0; j < (i == fi ? xi : f->nfixes); j++)
			if (fix_same(&f->fixes[j], x))
				return true;
	}
	return false;
}

/*
 * Every fix of every finding, in the findings' order, each once: two apps
 * held back by the same setting share its fix, and the ticket says which
 * findings it answers.
 */
static void md_fixes(FILE *out, const struct diagnosis *dg)
{
	size_t n = 0;
	for (size_t i = 0; i < dg->nfindings; i++) {
		const struct finding *f = &dg->findings[i];
		for (size_t j = 0; j < f->nfixes; j++) {
			const struct fix_out *x = &f->fixes[j];
			if (fix_seen(dg, i, j))
				continue;
			if (!n++)
				fputs("\n## What to try\n\n", out);
			int w = fprintf(out, "%zu. ", n);
			char indent[16];
			snprintf(indent, sizeof(indent), "%*s", w > 0 && w < 16 ? w : 3, "");

			struct buf which = BUF_INIT;
			size_t nwhich = 1;
			buf_addf(&which, "%zu", i + 1);
			for (size_t k = i + 1; k < dg->nfindings; k++)
				for (size_t l = 0; l < dg->findings[k].nfixes; l++)
					if (fix_same(&dg->findings[k].fixes[l], x)) {
						buf_addf(&which, ", %zu", k + 1);
						nwhich++;
						break;
					}
			fputs("**", out);
			md_text(out, x->title);
			fputs("**", out);
			/* With one finding, every fix is for it. */
			if (dg->nfindings > 1)
				fprintf(out, " (finding%s %s)", nwhich == 1 ? "" : "s", buf_str(&which));
			buf_release(&which);
			/* A trailing backslash is a line break that keeps the note in the item. */
			if (x->action)
				fprintf(out, "\\\n%s*backupdoctor can apply this with `--fix`.*", indent);
			fputc('\n', out);
			for (size_t k = 0; k < x->steps.n; k++) {
				fprintf(out, "%s%zu. ", indent, k + 1);
				md_text(out, x->steps.v[k]);
				fputc('\n', out);
			}
		}
	}
}

/*
 * The questions no finding asks already: a possible finding carries its own
 * under "To settle", and a ticket that asks twice reads as two problems.
 */
static void md_questions(FILE *out, const struct report_ctx *rc)
{
	const struct diagnosis *dg = rc->dg;
	size_t shown = 0, rest = 0;
	size_t limit = rc->opts && rc->opts->verbose ? (size_t)-1 : MD_MAX_QUESTIONS;

	for (size_t i = 0; i < dg->nquestions; i++) {
		const struct question *q = &dg->questions[i];
		bool asked = false;
		for (size_t j = 0; j < dg->nfindings && !asked; j++)
			asked = dg->findings[j].status == FINDING_POSSIBLE &&
				strlist_has(&dg->findings[j].questions, q->fact);
		if (asked)
			continue;
		if (shown >= limit) {
			rest++;
			continue;
		}
		if (!shown++)
			fputs("\n## Still to check\n\n", out);
		fputs("- ", out);
		md_question(out, q);
		fputc('\n', out);
	}
	if (rest)
		fprintf(out, "- …and %zu more (all of them with `-v` or `--format json`)\n", rest);
}

/* What was changed on the phone with consent (scan --fix): "what was tried" on the ticket. */
static void md_actions(FILE *out, const struct report_ctx *rc)
{
	if (!rc->nactions)
		return;
	fputs("\n## What was done\n\n", out);
	for (size_t i = 0; i < rc->nactions; i++) {
		const struct action *a = &rc->actions[i];
		fprintf(out, "- `%s`%s", a->rule->id, a->app ? " (" : "");
		if (a->app) {
			md_text(out, a->app->name);
			fputs(")", out);
		}
		fputs(": ", out);
		md_code(out, a->command);
		fputs(" — ", out);
		md_text(out, a->result);
		if (a->applied)
			fputs(a->verified == TV_TRUE ? ", verified on the phone" :
			      a->verified == TV_FALSE ? ", not confirmed by the re-read" :
			      ", the re-read could not tell", out);
		fputs("\n", out);
		for (size_t j = 0; j < a->changes.n; j++) {
			fputs("  - ", out);
			md_code(out, a->changes.v[j]);
			fputs("\n", out);
		}
	}
}

void report_md(FILE *out, const struct report_ctx *rc)
{
	const struct diagnosis *dg = rc->dg;
	char *line = report_device_line(rc->facts);

	fputs("# Backup diagnosis: ", out);
	md_text(out, line && *line ? line : "unknown model");
	fputs("\n\n", out);
	free(line);

	md_device(out, rc);

	if (dg->nfindings) {
		fputs("\n**Result:** ", out);
		if (dg->nconfirmed)
			fprintf(out, "%zu confirmed cause%s", dg->nconfirmed,
				dg->nconfirmed == 1 ? "" : "s");
		if (dg->nconfirmed && dg->npossible)
			fputs(", ", out);
		if (dg->npossible)
			fprintf(out, "%zu possible", dg->npossible);
		fputs(".\n", out);
		md_findings(out, dg);
		md_fixes(out, dg);
	}
	md_actions(out, rc);
	md_questions(out, rc);
	if (!dg->nfindings)
		fputs("\nNo cause found in what the phone reports.\n", out);
}

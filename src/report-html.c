/*
 * report-html.c - the HTML view: a hand-out a repair shop prints or mails to
 * the customer.  It says in plain words what stops the backup and what to do,
 * so it leaves out what only a technician reads (commands, raw answers,
 * scores, fact names) and everything personal (serial, IMEI, accounts): the
 * only phone data on the page is the device line and the texts the findings
 * carry.  The page is one self-contained file (no fonts, images, scripts or
 * links to fetch) so it opens the same offline, in a mail client, or years
 * later.  Every text goes through html_text(); the clock is never read.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "banned.h"

/* More than a handful of questions reads as homework; the technician has the rest. */
#define HTML_MAX_QUESTIONS 5

static const char html_style[] =
	"body{margin:0;background:#fff;color:#1b1b1b;"
	"font:16px/1.55 system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,sans-serif}\n"
	"main{max-width:42em;margin:0 auto;padding:1.5em 1.2em 2em}\n"
	"h1{font-size:1.7em;margin:0 0 .1em}\n"
	"h2{font-size:1.3em;margin:1.8em 0 .6em;padding-bottom:.2em;border-bottom:2px solid #ddd}\n"
	"h3{font-size:1.1em;margin:0 0 .4em}\n"
	"h4{font-size:.78em;margin:1em 0 .2em;color:#555;letter-spacing:.06em;text-transform:uppercase}\n"
	"p,li{overflow-wrap:anywhere}\n"
	"ol,ul{margin:.2em 0;padding-left:1.6em}\n"
	"li{margin:.15em 0}\n"
	".device{margin:0;color:#555;font-size:1.05em}\n"
	".summary{font-size:1.1em;margin:1.2em 0}\n"
	".finding{border:1px solid #ddd;border-left:6px solid #b3261e;border-radius:6px;"
	"padding:.8em 1.1em;margin:1em 0}\n"
	".finding.possible{border-left-color:#c98a00}\n"
	".finding p{margin:.3em 0}\n"
	".tag{display:inline-block;margin-left:.4em;padding:.05em .5em;border-radius:3px;"
	"font-size:.72em;font-weight:600;letter-spacing:.04em;text-transform:uppercase;"
	"vertical-align:middle;background:#fce8e6;color:#8c1d18}\n"
	".possible .tag{background:#fff3d6;color:#664500}\n"
	".app{color:#555}\n"
	".fix{font-weight:600;margin-top:.6em}\n"
	"footer{margin-top:2.5em;padding-top:.6em;border-top:1px solid #ddd;color:#666;font-size:.85em}\n"
	"@page{margin:1.6cm}\n"
	"@media print{body{font-size:11pt;color:#000}main{max-width:none;padding:0}"
	".finding{break-inside:avoid;border-left-width:4px}h2,h3,h4{break-after:avoid}"
	".tag{background:none;border:1px solid currentColor}}\n";

static const char *nz(const char *s)
{
	return s ? s : "";
}

/*
 * Text for an element's content or an attribute.  Besides the five
 * characters HTML gives meaning to, control characters (which HTML does not
 * allow) are dropped: texts come from a phone and a rules file, not from us.
 */
static void html_text(FILE *out, const char *s)
{
	for (const char *p = nz(s); *p; p++) {
		unsigned char c = (unsigned char)*p;
		switch (c) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default:
			if (c >= 0x20 && c != 0x7f)
				fputc(c, out);
			else if (c == '\n' || c == '\t')
				fputc(' ', out);
		}
	}
}

/* <tag>text</tag> and a newline, the shape of most lines of the page. */
static void html_elem(FILE *out, const char *tag, const char *text)
{
	fprintf(out, "<%s>", tag);
	html_text(out, text);
	fprintf(out, "</%s>\n", tag);
}

static const struct question *find_question(const struct diagnosis *dg, const char *fact)
{
	for (size_t i = 0; i < dg->nquestions; i++)
		if (!strcmp(dg->questions[i].fact, fact))
			return &dg->questions[i];
	return NULL;
}

/* One plain sentence before the details: how many, and how sure. */
static void html_summary(FILE *out, const struct diagnosis *dg)
{
	size_t c = dg->nconfirmed, p = dg->npossible;
	fputs("<p class=\"summary\">", out);
	if (!dg->nfindings)
		fputs("We found nothing on your phone that would stop the backup.", out);
	else if (c && p)
		fprintf(out, "We found %zu thing%s that stop%s your backup, and %zu more that might.",
			c, c == 1 ? "" : "s", c == 1 ? "s" : "", p);
	else if (c)
		fprintf(out, "We found %zu thing%s that stop%s your backup.",
			c, c == 1 ? "" : "s", c == 1 ? "s" : "");
	else
		fprintf(out, "We found %zu thing%s that might stop your backup.",
			p, p == 1 ? "" : "s");
	fputs("</p>\n", out);
}

static void html_fixes(FILE *out, const struct finding *f)
{
	if (!f->nfixes)
		return;
	fputs("<h4>What to do</h4>\n", out);
	for (size_t j = 0; j < f->nfixes; j++) {
		const struct fix_out *x = &f->fixes[j];
		/*
		 * The fixes come in the order to try them, and their titles are
		 * written to be read that way ("Or charge the phone"), so they
		 * stand as they are.
		 */
		fputs("<p class=\"fix\">", out);
		html_text(out, x->title);
		fputs("</p>\n", out);
		if (!x->steps.n)
			continue;
		fputs("<ol>\n", out);
		for (size_t k = 0; k < x->steps.n; k++)
			html_elem(out, "li", x->steps.v[k]);
		fputs("</ol>\n", out);
	}
}

static void html_finding(FILE *out, const struct diagnosis *dg, size_t i)
{
	const struct finding *f = &dg->findings[i];
	bool possible = f->status == FINDING_POSSIBLE;
	size_t nseen = 0, nask = 0;

	fprintf(out, "<section class=\"finding %s\">\n<h3>%zu. ",
		possible ? "possible" : "confirmed", i + 1);
	html_text(out, f->title);
	fprintf(out, " <span class=\"tag\">%s</span></h3>\n", possible ? "Possible" : "Found");
	if (f->app) {
		fputs("<p class=\"app\">App: ", out);
		html_text(out, f->app->name);
		fputs("</p>\n", out);
	}
	if (f->cause && *f->cause)
		html_elem(out, "p", f->cause);

	/* Only the sentences: the commands and raw answers behind them are for the technician. */
	for (size_t j = 0; j < f->nevidence; j++) {
		if (!f->evidence[j].text || !*f->evidence[j].text)
			continue;
		if (!nseen++)
			fputs("<h4>What we saw</h4>\n<ul>\n", out);
		html_elem(out, "li", f->evidence[j].text);
	}
	if (nseen)
		fputs("</ul>\n", out);

	/* A fact name is no question for a customer: ask only what has words. */
	for (size_t j = 0; possible && j < f->questions.n; j++) {
		const struct question *q = find_question(dg, f->questions.v[j]);
		if (!q || !q->text || !*q->text)
			continue;
		if (!nask++)
			fputs("<h4>To be sure, check</h4>\n<ul>\n", out);
		html_elem(out, "li", q->text);
	}
	if (nask)
		fputs("</ul>\n", out);

	html_fixes(out, f);
	fputs("</section>\n", out);
}

/* The questions not already asked under a finding, best first. */
static void html_questions(FILE *out, const struct diagnosis *dg)
{
	size_t n = 0;
	for (size_t i = 0; i < dg->nquestions && n < HTML_MAX_QUESTIONS; i++) {
		const struct question *q = &dg->questions[i];
		bool asked = false;
		for (size_t j = 0; j < dg->nfindings && !asked; j++)
			asked = dg->findings[j].status == FINDING_POSSIBLE &&
				strlist_has(&dg->findings[j].questions, q->fact);
		if (asked || !q->text || !*q->text)
			continue;
		if (!n++)
			fputs("<h2>Things only you can check</h2>\n"
			      "<p>Your phone cannot tell us these, so please check them "
			      "yourself: each one can hold a backup up.</p>\n<ul>\n", out);
		html_elem(out, "li", q->text);
	}
	if (n)
		fputs("</ul>\n", out);
}

void report_html(FILE *out, const struct report_ctx *rc)
{
	const struct diagnosis *dg = rc->dg;
	char *line = report_device_line(rc->facts);
	const char *device = line && *line ? line : "unknown model";

	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<title>Backup check: ", out);
	html_text(out, device);
	fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<main>\n", html_style);
	fputs("<h1>Your phone backup</h1>\n", out);
	fputs("<p class=\"device\">", out);
	html_text(out, device);
	fputs("</p>\n", out);
	free(line);
	const struct report_opts *o = rc->opts;
	const char *shop = o && o->shop_name && *o->shop_name ? o->shop_name : NULL;
	const char *contact = o && o->shop_contact && *o->shop_contact ? o->shop_contact : NULL;
	if (shop) {
		/* the shop's own words, from its config file: text like any other */
		fputs("<p class=\"device shop\">Checked by ", out);
		html_text(out, shop);
		fputs("</p>\n", out);
	}

	html_summary(out, dg);
	if (dg->nfindings) {
		fputs("<h2>What we found</h2>\n", out);
		for (size_t i = 0; i < dg->nfindings; i++)
			html_finding(out, dg, i);
	}
	if (rc->nactions) {
		/* in plain words: what we changed on the phone, with the owner's consent */
		fputs("<h2>What we changed on your phone</h2>\n<ul>\n", out);
		for (size_t i = 0; i < rc->nactions; i++) {
			const struct action *a = &rc->actions[i];
			if (!a->applied)
				continue;
			fputs("<li>", out);
			/* a title is plain words; one with {…} in it falls back to the cause id */
			html_text(out, strchr(a->rule->title.text, '{') ? a->rule->id : a->rule->title.text);
			fputs(a->verified == TV_TRUE ? ": fixed, and checked on the phone afterwards." :
			      ": a change was made; check it on the phone.", out);
			fputs("</li>\n", out);
		}
		fputs("</ul>\n", out);
	}
	html_questions(out, dg);

	fputs("<footer>", out);
	if (rc->facts->captured_at > 0) {
		struct value t = { .type = VT_TIMESTAMP, .n = rc->facts->captured_at };
		char *when = value_format(&t);
		fputs("Phone checked on ", out);
		html_text(out, when);
		fputs(" with backupdoctor.", out);
		free(when);
	} else {
		fputs("Phone checked with backupdoctor.", out);
	}
	if (shop || contact) {
		fputs(" Questions? Ask ", out);
		html_text(out, shop ? shop : "us");
		if (contact) {
			fputs(": ", out);
			html_text(out, contact);
		}
		fputs(".", out);
	}
	fputs(" Serial number, IMEI and account names are left out of this page.</footer>\n"
	      "</main>\n</body>\n</html>\n", out);
}

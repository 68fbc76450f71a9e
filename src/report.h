/*
 * report.h - the views of a diagnosis: text for a terminal, JSON for
 * scripts (schema backupdoctor.report/1), Markdown for a support ticket and
 * a self-contained HTML hand-out.  Writers only read.
 */
#ifndef BD_REPORT_H
#define BD_REPORT_H

#include <stdbool.h>
#include <stdio.h>
#include <jansson.h>
#include "diagnose.h"

enum report_format { REPORT_TEXT, REPORT_JSON, REPORT_MD, REPORT_HTML };
/* -1 for an unknown name. */
int report_format_from_name(const char *name);

struct report_opts {
	bool color;		/* ANSI colour (text only) */
	bool verbose;		/* show ruled-out causes and every fact */
	const char *source;	/* where the facts came from, e.g. a file name; may be NULL */
	/* the shop's name and contact (config file), shown on the HTML page; may be NULL */
	const char *shop_name, *shop_contact;
};

/* A change made to the phone with consent (scan --fix), and what it did. */
struct action {
	const struct rule *rule;	/* borrowed */
	const struct app *app;		/* borrowed; NULL for phone-wide causes */
	const struct fix *fix;		/* borrowed: the fix whose action ran */
	char *command;
	bool applied;		/* false: declined, or not asked */
	char *result;		/* "exit 0", "declined", "no answer within 10 s" … */
	enum tv verified;	/* the fix's verify condition on the re-read phone */
	struct strlist changes;	/* "power.battery_saver: yes -> no" */
};
void action_release(struct action *a);

struct report_ctx {
	const struct kb *kb;
	const struct facts *facts;
	const struct diagnosis *dg;
	const struct report_opts *opts;
	const struct action *actions;	/* may be NULL */
	size_t nactions;
};

int report_write(FILE *out, enum report_format fmt, const struct report_ctx *rc);

void report_text(FILE *out, const struct report_ctx *rc);
void report_md(FILE *out, const struct report_ctx *rc);
void report_html(FILE *out, const struct report_ctx *rc);
/* The JSON report as a jansson object (new reference). */
json_t *report_json_build(const struct report_ctx *rc);
void report_json(FILE *out, const struct report_ctx *rc);

/* Helpers the writers share. */
/* The device line: "Google Pixel 7, Android 14" (caller frees). */
char *report_device_line(const struct facts *facts);
/* The installed backup apps with their versions, e.g. "Google Photos 6.83". */
void report_app_versions(const struct kb *kb, const struct facts *facts, struct strlist *out);

#endif

/*
 * rules.h - the knowledge base: the backup-app catalogue, the fact
 * vocabulary and the rules, as loaded from the rules/ directory.
 *
 * Pipeline: rules_lex -> rules_parse (syntax tree) -> rules_check (names,
 * types, duplicates) -> rules_eval (three-valued, over a fact store).  The
 * language is documented in backupdoctor-rules(5).
 *
 * A struct kb owns everything hanging off it; kb_free() releases it all.
 */
#ifndef BD_RULES_H
#define BD_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include "diag.h"
#include "facts.h"
#include "value.h"

struct srcpos {
	const char *file;	/* borrowed from struct kb's file list */
	int line, col;
};

enum platform {
	PLAT_ANDROID = 1 << 0,
	PLAT_IOS = 1 << 1,
};
#define PLAT_ALL (PLAT_ANDROID | PLAT_IOS)
const char *platform_name(unsigned p);
/* 0 for an unknown name. */
unsigned platform_from_name(const char *name);

enum group {
	GROUP_CONNECTION,
	GROUP_SETTINGS,
	GROUP_PERMISSIONS,
	GROUP_POWER,
	GROUP_NETWORK,
	GROUP_STORAGE,
	GROUP_MANAGEMENT,
	GROUP__COUNT,
};
const char *group_name(enum group g);
const char *group_title(enum group g);

/* ---- expressions ---- */

enum expr_kind {
	EX_OR, EX_AND, EX_NOT,
	EX_CMP,		/* a op b */
	EX_IN,		/* a in [list] */
	EX_CONTAINS,	/* list contains b */
	EX_KNOWN,	/* a is known */
	EX_UNKNOWN,	/* a is unknown */
	EX_TRUTH,	/* bare bool value */
	/* values */
	EX_FACT,	/* name (may hold a "$" segment) */
	EX_LIT,		/* literal value */
	EX_APPVAR,	/* $app, $app_id, $package */
	EX_CALL,	/* age() count() apps() transfer_time() */
};

enum cmp_op { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE };
enum appvar { AV_NAME, AV_ID, AV_PACKAGE };
enum func { FN_AGE, FN_COUNT, FN_APPS, FN_TRANSFER_TIME };

struct expr {
	enum expr_kind kind;
	struct srcpos pos;
	enum cmp_op op;
	enum appvar appvar;
	enum func fn;
	char *fact;		/* EX_FACT */
	struct value lit;	/* EX_LIT */
	struct expr **args;	/* operands / list items / call arguments */
	size_t nargs;
	enum vtype type;	/* result type, set by the checker */
};

/* ---- the knowledge base ---- */

struct app {
	char *id;		/* "google_photos" */
	char *name;		/* "Google Photos" */
	char *package[2];	/* [0] android, [1] ios; NULL when not on it */
	struct srcpos pos;
};

struct factdecl {
	char *name;		/* "power.battery_saver", "app.$.standby_bucket" */
	enum vtype type;
	char *label;		/* template */
	char *ask;		/* template; NULL when no one can be asked */
	struct strlist answers;	/* allowed string answers; empty = any */
	unsigned platforms;	/* where the question is asked; PLAT_ALL default */
	bool per_app;
	struct srcpos pos;
};

/* A text with {expressions} in it, parsed at load time. */
struct template {
	char *text;		/* the source text */
	struct expr **exprs;	/* one per {…}, in order */
	size_t nexprs;
	struct srcpos pos;
};

struct step {
	unsigned platforms;	/* PLAT_ALL unless narrowed */
	char *app;		/* app id, or NULL for every app */
	struct template text;
};

struct fix {
	struct template title;
	struct step *steps;
	size_t nsteps;
	struct expr *when;	/* may be NULL */
	struct template *action;	/* android shell command; may be NULL */
	struct expr *verify;	/* may be NULL */
	struct srcpos pos;
};

struct rule {
	char *id;		/* a cause id of causes.md */
	bool per_app;		/* "for each app" */
	struct template title;
	enum group group;
	unsigned platforms;
	int weight;		/* 1..100 */
	struct strlist sources;	/* "000", "003" */
	struct expr *require;	/* may be NULL */
	struct expr *when;
	struct template cause;
	struct template *evidence;
	size_t nevidence;
	struct fix *fixes;
	size_t nfixes;
	struct srcpos pos;
};

struct kb {
	struct app *apps;
	size_t napps, apps_alloc;
	struct factdecl *decls;
	size_t ndecls, decls_alloc;
	struct rule *rules;
	size_t nrules, rules_alloc;
	struct strlist files;	/* every file loaded; srcpos.file points here */
	char *dir;
};

void kb_init(struct kb *kb);
void kb_release(struct kb *kb);

/*
 * Load every *.rules file of `dir` (in name order), then check the whole.
 * Every problem goes to `d`; returns 0 when there were no errors.
 */
int rules_load_dir(struct kb *kb, const char *dir, struct diags *d);
/* Parse one source text as file `name` into kb (no check). */
int rules_parse_text(struct kb *kb, const char *name, const char *text, size_t len,
		     struct diags *d);
/* Names, types and duplicates over the whole knowledge base. */
int rules_check(struct kb *kb, struct diags *d);

const struct rule *kb_rule(const struct kb *kb, const char *id);
const struct app *kb_app(const struct kb *kb, const char *id);
/* The declaration a concrete fact name falls under ("app.onedrive.x" -> "app.$.x"). */
const struct factdecl *kb_decl(const struct kb *kb, const char *name, const char **app_id);

void expr_free(struct expr *e);
/* The expression written back in the rule language (caller frees). */
char *rules_expr_format(const struct expr *e);
void template_release(struct template *t);

/* ---- evaluation ---- */

enum tv { TV_FALSE = 0, TV_TRUE = 1, TV_UNKNOWN = 2 };

/* What an evaluation sees: the facts, the platform, and the app in scope. */
struct evalctx {
	const struct kb *kb;
	const struct facts *facts;
	unsigned platform;		/* PLAT_ANDROID or PLAT_IOS; 0 unknown */
	const struct app *app;		/* for "for each app" rules, else NULL */
};

struct evalinfo {
	int support;			/* tests observed true that point to the cause */
	struct strlist unknown;		/* concrete names of facts not known */
};

enum tv rules_eval(const struct evalctx *cx, const struct expr *e, struct evalinfo *info);
void evalinfo_release(struct evalinfo *info);
/* Compute a value expression; returns false (and leaves *out empty) when unknown. */
bool rules_eval_value(const struct evalctx *cx, const struct expr *e, struct value *out);
/* Expand a template; returns NULL when one of its expressions is unknown. */
char *rules_expand(const struct evalctx *cx, const struct template *t);
/* Like rules_expand, but unknown expressions print as "unknown". */
char *rules_expand_always(const struct evalctx *cx, const struct template *t);
/* The concrete fact name for `name` in cx ("app.$.x" -> "app.onedrive.x"). Caller frees. */
char *rules_fact_name(const struct evalctx *cx, const char *name);
/* Concrete names of every fact an expression or template reads. */
void rules_expr_facts(const struct evalctx *cx, const struct expr *e, struct strlist *out);
void rules_template_facts(const struct evalctx *cx, const struct template *t, struct strlist *out);

#endif

/*
 * rules-check.c - the checker: after parsing, every name must resolve and
 * every comparison must compare like with like, so that a mistake in the
 * knowledge base is a load-time error with its place, never a silent
 * "unknown" at a customer's bench.
 */
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "rules-lex.h"
#include "xalloc.h"
#include "banned.h"

struct checker {
	struct kb *kb;
	struct diags *d;
	bool per_app;		/* inside a "for each app" rule or apps() */
	bool in_apps_call;
};

static void error_at(struct checker *c, struct srcpos pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Quote the source line again: the checker runs after the text is gone. */
static char *source_line(const char *file, int line)
{
	FILE *f = file ? fopen(file, "rb") : NULL;
	if (!f)
		return NULL;
	struct buf b = BUF_INIT;
	int l = 1, ch;
	while ((ch = fgetc(f)) != EOF) {
		if (ch == '\n') {
			if (l == line)
				break;
			l++;
			continue;
		}
		if (l == line && ch != '\r')
			buf_putc(&b, (char)ch);
	}
	fclose(f);
	return l == line ? buf_detach(&b) : (buf_release(&b), NULL);
}

static void error_at(struct checker *c, struct srcpos pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	char *sl = source_line(pos.file, pos.line);
	diag_error(c->d, pos.file, pos.line, pos.col, sl, "%s", msg);
	free(sl);
	free(msg);
}

const struct app *kb_app(const struct kb *kb, const char *id)
{
	for (size_t i = 0; i < kb->napps; i++)
		if (!strcmp(kb->apps[i].id, id))
			return &kb->apps[i];
	return NULL;
}

const struct rule *kb_rule(const struct kb *kb, const char *id)
{
	for (size_t i = 0; i < kb->nrules; i++)
		if (!strcmp(kb->rules[i].id, id))
			return &kb->rules[i];
	return NULL;
}

const struct factdecl *kb_decl(const struct kb *kb, const char *name, const char **app_id)
{
	if (app_id)
		*app_id = NULL;
	for (size_t i = 0; i < kb->ndecls; i++)
		if (!strcmp(kb->decls[i].name, name))
			return &kb->decls[i];
	/* app.<id>.rest -> app.$.rest */
	if (strncmp(name, "app.", 4))
		return NULL;
	const char *id = name + 4;
	const char *dot = strchr(id, '.');
	if (!dot)
		return NULL;
	for (size_t i = 0; i < kb->napps; i++) {
		const struct app *a = &kb->apps[i];
		if (strlen(a->id) != (size_t)(dot - id) || strncmp(a->id, id, (size_t)(dot - id)))
			continue;
		for (size_t j = 0; j < kb->ndecls; j++) {
			const struct factdecl *fd = &kb->decls[j];
			if (fd->per_app && !strcmp(fd->name + 6, dot + 1)) {
				if (app_id)
					*app_id = a->id;
				return fd;
			}
		}
	}
	return NULL;
}

static enum vtype check_value(struct checker *c, struct expr *e);
static void check_cond(struct checker *c, struct expr *e);

static const char *type_hint(enum vtype t)
{
	switch (t) {
	case VT_BYTES: return " (write a size such as 2 GB)";
	case VT_PERCENT: return " (write a percentage such as 20%)";
	case VT_DURATION: return " (write a duration such as 3 days)";
	case VT_RATE: return " (write a rate such as 5 Mbps)";
	case VT_BOOL: return " (write true or false)";
	case VT_STRING: return " (write a quoted text)";
	case VT_TIMESTAMP: return " (compare age(FACT) with a duration)";
	default: return "";
	}
}

static enum vtype check_fact(struct checker *c, struct expr *e)
{
	const char *name = e->fact;
	const struct factdecl *fd = NULL;
	if (strstr(name, ".$.") || !strncmp(name, "$.", 2)) {
		if (!c->per_app) {
			error_at(c, e->pos,
				 "'%s' names the app of a per-app rule, but this rule is not 'for each app'", name);
			return VT_NONE;
		}
		for (size_t i = 0; i < c->kb->ndecls; i++)
			if (!strcmp(c->kb->decls[i].name, name))
				fd = &c->kb->decls[i];
	} else {
		fd = kb_decl(c->kb, name, NULL);
		if (!fd && !strncmp(name, "app.", 4)) {
			const char *dot = strchr(name + 4, '.');
			char *id = dot ? xstrndup(name + 4, (size_t)(dot - name - 4)) : xstrdup(name + 4);
			if (!kb_app(c->kb, id)) {
				error_at(c, e->pos, "unknown app '%s' in '%s'", id, name);
				free(id);
				return VT_NONE;
			}
			free(id);
		}
	}
	if (!fd) {
		/* a per-app fact is declared once for every app, as app.$.NAME */
		const char *dot = !strncmp(name, "app.", 4) ? strchr(name + 4, '.') : NULL;
		if (dot)
			error_at(c, e->pos, "unknown fact '%s' (declare it for every app with 'fact app.$.%s TYPE')",
				 name, dot + 1);
		else
			error_at(c, e->pos, "unknown fact '%s' (declare it with 'fact %s TYPE')", name, name);
		return VT_NONE;
	}
	return fd->type;
}

static enum vtype check_call(struct checker *c, struct expr *e)
{
	switch (e->fn) {
	case FN_AGE: {
		enum vtype t = check_value(c, e->args[0]);
		if (e->args[0]->kind != EX_FACT || (t != VT_TIMESTAMP && t != VT_NONE)) {
			error_at(c, e->args[0]->pos, "age() takes a timestamp fact, not %s",
				 t == VT_NONE ? "this" : vtype_name(t));
			return VT_NONE;
		}
		return VT_DURATION;
	}
	case FN_COUNT: {
		enum vtype t = check_value(c, e->args[0]);
		if (t != VT_LIST && t != VT_NONE) {
			error_at(c, e->args[0]->pos, "count() takes a list, not %s", vtype_name(t));
			return VT_NONE;
		}
		return VT_INT;
	}
	case FN_APPS: {
		bool saved = c->per_app, saved_in = c->in_apps_call;
		c->per_app = true;
		c->in_apps_call = true;
		check_cond(c, e->args[0]);
		c->per_app = saved;
		c->in_apps_call = saved_in;
		return VT_LIST;
	}
	case FN_TRANSFER_TIME: {
		enum vtype a = check_value(c, e->args[0]), b = check_value(c, e->args[1]);
		if (a != VT_BYTES && a != VT_NONE)
			error_at(c, e->args[0]->pos, "transfer_time() takes a size first, not %s", vtype_name(a));
		if (b != VT_RATE && b != VT_NONE)
			error_at(c, e->args[1]->pos, "transfer_time() takes a rate second, not %s", vtype_name(b));
		return VT_DURATION;
	}
	}
	return VT_NONE;
}

static enum vtype check_value(struct checker *c, struct expr *e)
{
	switch (e->kind) {
	case EX_FACT:
		e->type = check_fact(c, e);
		break;
	case EX_LIT:
		e->type = e->lit.type;
		break;
	case EX_APPVAR:
		if (!c->per_app)
			error_at(c, e->pos, "$app, $app_id and $package exist only in a 'for each app' rule");
		e->type = VT_STRING;
		break;
	case EX_CALL:
		e->type = check_call(c, e);
		break;
	default:
		/* a condition where a value is wanted: its value is yes / no */
		check_cond(c, e);
		e->type = VT_BOOL;
		break;
	}
	return e->type;
}

/* The declaration behind a fact expression, for checking string answers. */
static const struct factdecl *decl_of(struct checker *c, const struct expr *e)
{
	if (e->kind != EX_FACT)
		return NULL;
	for (size_t i = 0; i < c->kb->ndecls; i++)
		if (!strcmp(c->kb->decls[i].name, e->fact))
			return &c->kb->decls[i];
	return kb_decl(c->kb, e->fact, NULL);
}

static void check_answer_literal(struct checker *c, const struct expr *f, const struct expr *lit)
{
	const struct factdecl *fd = decl_of(c, f);
	if (!fd || !fd->answers.n || lit->kind != EX_LIT || lit->lit.type != VT_STRING)
		return;
	if (!strlist_has(&fd->answers, lit->lit.s))
		error_at(c, lit->pos, "\"%s\" is not one of the answers declared for %s", lit->lit.s,
			 fd->name);
}

static void same_type(struct checker *c, struct expr *l, struct expr *r, struct srcpos at)
{
	enum vtype a = l->type, b = r->type;
	if (a == VT_NONE || b == VT_NONE || a == b || a == VT_TIMESTAMP)
		return; /* a timestamp gets its own advice: compare its age */
	const char *what = l->kind == EX_FACT ? l->fact : vtype_name(a);
	error_at(c, at, "cannot compare %s (%s) with %s%s", what, vtype_name(a),
		 vtype_name(b), type_hint(a));
}

static void check_cond(struct checker *c, struct expr *e)
{
	switch (e->kind) {
	case EX_OR:
	case EX_AND:
	case EX_NOT:
		for (size_t i = 0; i < e->nargs; i++)
			check_cond(c, e->args[i]);
		break;
	case EX_CMP: {
		check_value(c, e->args[0]);
		check_value(c, e->args[1]);
		same_type(c, e->args[0], e->args[1], e->pos);
		enum vtype t = e->args[0]->type;
		if (e->op != OP_EQ && e->op != OP_NE &&
		    (t == VT_BOOL || t == VT_STRING || t == VT_LIST))
			error_at(c, e->pos, "'<', '<=', '>' and '>=' need numbers, and this is %s",
				 vtype_name(t));
		if (t == VT_TIMESTAMP)
			error_at(c, e->pos, "compare the age of a timestamp, as in age(%s) > 7 days",
				 e->args[0]->kind == EX_FACT ? e->args[0]->fact : "FACT");
		check_answer_literal(c, e->args[0], e->args[1]);
		check_answer_literal(c, e->args[1], e->args[0]);
		break;
	}
	case EX_IN:
		check_value(c, e->args[0]);
		for (size_t i = 1; i < e->nargs; i++) {
			check_value(c, e->args[i]);
			same_type(c, e->args[0], e->args[i], e->args[i]->pos);
			check_answer_literal(c, e->args[0], e->args[i]);
		}
		break;
	case EX_CONTAINS: {
		enum vtype t = check_value(c, e->args[0]);
		enum vtype u = check_value(c, e->args[1]);
		if (t != VT_LIST && t != VT_NONE)
			error_at(c, e->pos, "'contains' needs a list on its left, not %s", vtype_name(t));
		if (u != VT_STRING && u != VT_NONE)
			error_at(c, e->args[1]->pos, "a list holds texts: write a quoted text after 'contains'");
		break;
	}
	case EX_KNOWN:
	case EX_UNKNOWN:
		check_value(c, e->args[0]);
		if (e->args[0]->kind != EX_FACT && e->args[0]->kind != EX_CALL)
			error_at(c, e->pos, "'is known' and 'is unknown' apply to facts");
		break;
	case EX_TRUTH: {
		enum vtype t = check_value(c, e->args[0]);
		if (t != VT_BOOL && t != VT_NONE) {
			if (e->args[0]->kind == EX_FACT)
				error_at(c, e->pos, "%s is %s, not a yes/no fact: compare it with something",
					 e->args[0]->fact, vtype_name(t));
			else
				error_at(c, e->pos, "a condition is needed here, not %s %s value",
					 t == VT_INT ? "an" : "a", vtype_name(t));
		}
		break;
	}
	default:
		check_value(c, e);
		break;
	}
	e->type = VT_BOOL;
}

static void check_template(struct checker *c, struct template *t)
{
	for (size_t i = 0; i < t->nexprs; i++)
		check_value(c, t->exprs[i]);
}

static bool valid_app_id(const char *s)
{
	if (!(*s >= 'a' && *s <= 'z'))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_'))
			return false;
	return true;
}

static bool valid_rule_id(const char *s)
{
	if (!(*s >= 'a' && *s <= 'z'))
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-'))
			return false;
	return s[-1] != '-';
}

static void check_rule(struct checker *c, struct rule *r)
{
	c->per_app = r->per_app;
	if (!valid_rule_id(r->id))
		error_at(c, r->pos, "'%s' is not a cause id (lower-case words joined by '-')", r->id);
	check_template(c, &r->title);
	check_template(c, &r->cause);
	if (r->require)
		check_cond(c, r->require);
	check_cond(c, r->when);
	for (size_t i = 0; i < r->nevidence; i++)
		check_template(c, &r->evidence[i]);
	for (size_t i = 0; i < r->nfixes; i++) {
		struct fix *f = &r->fixes[i];
		check_template(c, &f->title);
		for (size_t j = 0; j < f->nsteps; j++) {
			struct step *st = &f->steps[j];
			check_template(c, &st->text);
			if (st->app && !kb_app(c->kb, st->app))
				error_at(c, st->text.pos, "unknown app '%s' in step", st->app);
			if (!(st->platforms & r->platforms))
				error_at(c, st->text.pos, "this step is for %s, but the rule is not",
					 platform_name(st->platforms));
		}
		if (f->when)
			check_cond(c, f->when);
		if (f->verify)
			check_cond(c, f->verify);
		if (f->action) {
			check_template(c, f->action);
			if (!(r->platforms & PLAT_ANDROID))
				error_at(c, f->action->pos, "an action runs on Android, but the rule is not for android");
		}
	}
}

int rules_check(struct kb *kb, struct diags *d)
{
	struct checker c = { kb, d, false, false };
	size_t errors0 = d->errors;

	for (size_t i = 0; i < kb->napps; i++) {
		struct app *a = &kb->apps[i];
		if (!valid_app_id(a->id))
			error_at(&c, a->pos, "'%s' is not an app id (lower-case letters, digits and '_')", a->id);
		if (!a->package[0] && !a->package[1])
			error_at(&c, a->pos, "app '%s' has neither an android nor an ios id", a->id);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(kb->apps[j].id, a->id))
				error_at(&c, a->pos, "app '%s' is already defined at %s:%d", a->id,
					 kb->apps[j].pos.file, kb->apps[j].pos.line);
	}
	for (size_t i = 0; i < kb->ndecls; i++) {
		struct factdecl *fd = &kb->decls[i];
		for (size_t j = 0; j < i; j++)
			if (!strcmp(kb->decls[j].name, fd->name))
				error_at(&c, fd->pos, "fact '%s' is already declared at %s:%d", fd->name,
					 kb->decls[j].pos.file, kb->decls[j].pos.line);
		if (fd->answers.n && fd->type != VT_STRING)
			error_at(&c, fd->pos, "'answers' lists texts, so %s must be a string, not %s",
				 fd->name, vtype_name(fd->type));
		if (fd->answers.n && !fd->ask)
			error_at(&c, fd->pos, "fact '%s' lists answers but has no 'ask'", fd->name);
		if (fd->type == VT_LIST && fd->ask)
			error_at(&c, fd->pos, "a list cannot be asked: ask for each item as its own fact");
		/* labels and questions name the app and nothing else */
		const char *texts[2] = { fd->label, fd->ask };
		for (int k = 0; k < 2; k++) {
			for (const char *q = texts[k]; q && (q = strchr(q, '{')); q++) {
				if (!strncmp(q, "{$app}", 6) && fd->per_app) {
					q += 5;
					continue;
				}
				error_at(&c, fd->pos, "a fact's %s may hold {$app} (in per-app facts) and nothing else in braces",
					 k ? "question" : "label");
				break;
			}
		}
	}
	for (size_t i = 0; i < kb->nrules; i++) {
		for (size_t j = 0; j < i; j++)
			if (!strcmp(kb->rules[j].id, kb->rules[i].id))
				error_at(&c, kb->rules[i].pos, "rule '%s' is already defined at %s:%d",
					 kb->rules[i].id, kb->rules[j].pos.file, kb->rules[j].pos.line);
		check_rule(&c, &kb->rules[i]);
	}
	return d->errors > errors0 ? -1 : 0;
}

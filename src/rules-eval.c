/*
 * rules-eval.c - the tree-walking evaluator.  Conditions are three-valued:
 * a test over a fact nobody knows is unknown, never false, and the
 * evaluator remembers which facts were missing (the questions to ask) and
 * how many tests were observed pointing to the cause (the evidence).
 */
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "xalloc.h"
#include "banned.h"

void evalinfo_release(struct evalinfo *info)
{
	strlist_release(&info->unknown);
	info->support = 0;
}

char *rules_fact_name(const struct evalctx *cx, const char *name)
{
	const char *m = strstr(name, ".$.");
	if (!m || !cx->app)
		return xstrdup(name);
	return xasprintf("%.*s.%s.%s", (int)(m - name), name, cx->app->id, m + 3);
}

static const char *app_package(const struct app *a, unsigned platform)
{
	if (platform == PLAT_ANDROID)
		return a->package[0];
	if (platform == PLAT_IOS)
		return a->package[1];
	return NULL;
}

static void note_unknown(struct evalinfo *info, const char *name)
{
	if (info && !strlist_has(&info->unknown, name))
		strlist_push(&info->unknown, name);
}

static bool eval_value(const struct evalctx *cx, const struct expr *e, struct value *out,
		       struct evalinfo *info);

static enum tv eval(const struct evalctx *cx, const struct expr *e, bool pol,
		    struct evalinfo *info);

static bool eval_call(const struct evalctx *cx, const struct expr *e, struct value *out,
		      struct evalinfo *info)
{
	struct value a = { 0 }, b = { 0 };
	bool ok = false;
	switch (e->fn) {
	case FN_AGE:
		if (eval_value(cx, e->args[0], &a, info) && cx->facts->captured_at > 0) {
			value_set_num(out, VT_DURATION, cx->facts->captured_at - a.n);
			ok = true;
		}
		break;
	case FN_COUNT:
		if (eval_value(cx, e->args[0], &a, info)) {
			value_set_num(out, VT_INT, (double)a.l.n);
			ok = true;
		}
		break;
	case FN_APPS: {
		/* unknowns inside apps() are each app's business, not this test's */
		out->type = VT_LIST;
		struct evalctx sub = *cx;
		for (size_t i = 0; i < cx->kb->napps; i++) {
			const struct app *ap = &cx->kb->apps[i];
			if (!app_package(ap, cx->platform))
				continue;
			sub.app = ap;
			if (eval(&sub, e->args[0], true, NULL) == TV_TRUE)
				strlist_push(&out->l, ap->name);
		}
		ok = true;
		break;
	}
	case FN_TRANSFER_TIME: {
		bool ka = eval_value(cx, e->args[0], &a, info);
		bool kb = eval_value(cx, e->args[1], &b, info);
		if (ka && kb && b.n > 0) {
			value_set_num(out, VT_DURATION, a.n * 8 / b.n);
			ok = true;
		}
		break;
	}
	}
	value_release(&a);
	value_release(&b);
	return ok;
}

/* Fill *out and return true, or return false (unknown) leaving *out empty. */
static bool eval_value(const struct evalctx *cx, const struct expr *e, struct value *out,
		       struct evalinfo *info)
{
	memset(out, 0, sizeof(*out));
	switch (e->kind) {
	case EX_FACT: {
		char *name = rules_fact_name(cx, e->fact);
		const struct value *v = facts_value(cx->facts, name);
		if (v)
			value_copy(out, v);
		else
			note_unknown(info, name);
		free(name);
		return v != NULL;
	}
	case EX_LIT:
		value_copy(out, &e->lit);
		return true;
	case EX_APPVAR: {
		if (!cx->app)
			return false;
		const char *s = e->appvar == AV_NAME ? cx->app->name :
				e->appvar == AV_ID ? cx->app->id :
				app_package(cx->app, cx->platform);
		if (!s)
			return false;
		value_set_str(out, s);
		return true;
	}
	case EX_CALL:
		return eval_call(cx, e, out, info);
	default: {
		enum tv t = eval(cx, e, true, info);
		if (t == TV_UNKNOWN)
			return false;
		value_set_bool(out, t == TV_TRUE);
		return true;
	}
	}
}

bool rules_eval_value(const struct evalctx *cx, const struct expr *e, struct value *out)
{
	return eval_value(cx, e, out, NULL);
}

static bool cmp_holds(enum cmp_op op, int c)
{
	switch (op) {
	case OP_EQ: return c == 0;
	case OP_NE: return c != 0;
	case OP_LT: return c < 0;
	case OP_LE: return c <= 0;
	case OP_GT: return c > 0;
	case OP_GE: return c >= 0;
	}
	return false;
}

/* Does the expression read a fact?  ($app_id == "x" observes nothing.) */
static bool reads_fact(const struct expr *e)
{
	if (e->kind == EX_FACT)
		return true;
	for (size_t i = 0; i < e->nargs; i++)
		if (reads_fact(e->args[i]))
			return true;
	return false;
}

/*
 * A test: its value, and one unit of support when it was observed on the
 * phone (it reads a fact) and points to the cause.
 */
static enum tv test_result(const struct expr *e, bool holds, bool pol, struct evalinfo *info)
{
	if (info && holds == pol && reads_fact(e))
		info->support++;
	return holds ? TV_TRUE : TV_FALSE;
}

static enum tv eval_test(const struct evalctx *cx, const struct expr *e, bool pol,
			 struct evalinfo *info)
{
	struct value a, b;
	enum tv r = TV_UNKNOWN;
	bool ka = eval_value(cx, e->args[0], &a, info);

	switch (e->kind) {
	case EX_KNOWN:
	case EX_UNKNOWN:
		/* never unknown and never evidence: not a question for a person */
		r = (ka == (e->kind == EX_KNOWN)) ? TV_TRUE : TV_FALSE;
		value_release(&a);
		return r;
	case EX_TRUTH:
		if (ka)
			r = test_result(e, a.type == VT_BOOL && a.b, pol, info);
		break;
	case EX_CMP: {
		bool kb = eval_value(cx, e->args[1], &b, info);
		if (ka && kb)
			r = test_result(e, cmp_holds(e->op, value_compare(&a, &b)), pol, info);
		value_release(&b);
		break;
	}
	case EX_IN:
		if (ka) {
			bool any = false;
			for (size_t i = 1; i < e->nargs && !any; i++) {
				if (eval_value(cx, e->args[i], &b, info) && value_equal(&a, &b))
					any = true;
				value_release(&b);
			}
			r = test_result(e, any, pol, info);
		}
		break;
	case EX_CONTAINS: {
		bool kb = eval_value(cx, e->args[1], &b, info);
		if (ka && kb)
			r = test_result(e, a.type == VT_LIST && b.s && strlist_has(&a.l, b.s), pol, info);
		value_release(&b);
		break;
	}
	default:
		break;
	}
	value_release(&a);
	return r;
}

static void merge(struct evalinfo *into, struct evalinfo *from, bool support, bool unknown)
{
	if (!into)
		return;
	if (support)
		into->support += from->support;
	if (unknown)
		for (size_t i = 0; i < from->unknown.n; i++)
			note_unknown(into, from->unknown.v[i]);
}

static enum tv eval(const struct evalctx *cx, const struct expr *e, bool pol,
		    struct evalinfo *info)
{
	switch (e->kind) {
	case EX_NOT: {
		enum tv t = eval(cx, e->args[0], !pol, info);
		return t == TV_UNKNOWN ? t : t == TV_TRUE ? TV_FALSE : TV_TRUE;
	}
	case EX_AND:
	case EX_OR: {
		/*
		 * Evaluate every operand (no short cut) so the questions and the
		 * evidence are complete, then keep what matters: support from the
		 * operands pushing toward the cause, unknowns only if undecided.
		 */
		bool is_and = e->kind == EX_AND;
		enum tv res = is_and ? TV_TRUE : TV_FALSE;
		struct evalinfo *sub = xcalloc(e->nargs, sizeof(*sub));
		enum tv *vals = xcalloc(e->nargs, sizeof(*vals));
		for (size_t i = 0; i < e->nargs; i++) {
			vals[i] = eval(cx, e->args[i], pol, info ? &sub[i] : NULL);
			if (is_and) {
				if (vals[i] == TV_FALSE)
					res = TV_FALSE;
				else if (vals[i] == TV_UNKNOWN && res == TV_TRUE)
					res = TV_UNKNOWN;
			} else {
				if (vals[i] == TV_TRUE)
					res = TV_TRUE;
				else if (vals[i] == TV_UNKNOWN && res == TV_FALSE)
					res = TV_UNKNOWN;
			}
		}
		enum tv toward = pol ? TV_TRUE : TV_FALSE;
		for (size_t i = 0; i < e->nargs && info; i++) {
			merge(info, &sub[i], vals[i] == toward || vals[i] == TV_UNKNOWN,
			      res == TV_UNKNOWN && vals[i] == TV_UNKNOWN);
			evalinfo_release(&sub[i]);
		}
		free(sub);
		free(vals);
		return res;
	}
	default:
		return eval_test(cx, e, pol, info);
	}
}

enum tv rules_eval(const struct evalctx *cx, const struct expr *e, struct evalinfo *info)
{
	return eval(cx, e, true, info);
}

static char *expand(const struct evalctx *cx, const struct template *t, bool always)
{
	struct buf b = BUF_INIT;
	const char *s = t->text;
	size_t k = 0;
	for (size_t i = 0; s[i]; i++) {
		if ((s[i] == '{' && s[i + 1] == '{') || (s[i] == '}' && s[i + 1] == '}')) {
			buf_putc(&b, s[i]);
			i++;
			continue;
		}
		if (s[i] != '{') {
			buf_putc(&b, s[i]);
			continue;
		}
		const char *close = strchr(s + i, '}');
		if (!close || k >= t->nexprs)
			break; /* the parser refused such a text */
		struct value v;
		if (eval_value(cx, t->exprs[k++], &v, NULL)) {
			char *f = value_format(&v);
			buf_puts(&b, f);
			free(f);
			value_release(&v);
		} else if (always) {
			buf_puts(&b, "unknown");
		} else {
			buf_release(&b);
			return NULL;
		}
		i = (size_t)(close - s);
	}
	return buf_detach(&b);
}

char *rules_expand(const struct evalctx *cx, const struct template *t)
{
	return expand(cx, t, false);
}

char *rules_expand_always(const struct evalctx *cx, const struct template *t)
{
	return expand(cx, t, true);
}

void rules_expr_facts(const struct evalctx *cx, const struct expr *e, struct strlist *out)
{
	if (!e)
		return;
	if (e->kind == EX_FACT) {
		char *n = rules_fact_name(cx, e->fact);
		if (!strlist_has(out, n))
			strlist_push(out, n);
		free(n);
		return;
	}
	if (e->kind == EX_CALL && e->fn == FN_APPS)
		return; /* per-app facts of every app: too many to cite */
	for (size_t i = 0; i < e->nargs; i++)
		rules_expr_facts(cx, e->args[i], out);
}

void rules_template_facts(const struct evalctx *cx, const struct template *t, struct strlist *out)
{
	for (size_t i = 0; i < t->nexprs; i++)
		rules_expr_facts(cx, t->exprs[i], out);
}

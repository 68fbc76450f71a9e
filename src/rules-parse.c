/*
 * rules-parse.c - recursive-descent parser of the rule language: tokens in,
 * syntax tree (struct kb) out.  A statement with an error is reported,
 * dropped, and parsing resumes at the next statement, so one run reports
 * every error of a file.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "rules.h"
#include "rules-lex.h"
#include "xalloc.h"
#include "banned.h"

#define MAX_NEST 64	/* levels of (, not and function calls in one condition */

struct parser {
	struct lexer lx;
	struct token cur, peek;
	const char *file;	/* borrowed from kb->files */
	struct kb *kb;
	struct diags *d;
	int depth;		/* brace depth after cur */
	int nest;		/* parentheses and 'not's around the expression being read */
	bool in_braces;		/* reading the {…} of a text */
	size_t errors_at_start;
};

/* ---- platforms and groups ---- */

const char *platform_name(unsigned p)
{
	switch (p) {
	case PLAT_ANDROID: return "android";
	case PLAT_IOS: return "ios";
	case PLAT_ALL: return "any";
	default: return "unknown";
	}
}

unsigned platform_from_name(const char *name)
{
	if (!strcmp(name, "android"))
		return PLAT_ANDROID;
	if (!strcmp(name, "ios"))
		return PLAT_IOS;
	if (!strcmp(name, "any"))
		return PLAT_ALL;
	return 0;
}

static const char *const group_names[GROUP__COUNT][2] = {
	[GROUP_CONNECTION] = { "connection", "Connection" },
	[GROUP_SETTINGS] = { "settings", "Settings and account" },
	[GROUP_PERMISSIONS] = { "permissions", "Permissions and background limits" },
	[GROUP_POWER] = { "power", "Power" },
	[GROUP_NETWORK] = { "network", "Network" },
	[GROUP_STORAGE] = { "storage", "Storage" },
	[GROUP_MANAGEMENT] = { "management", "Management and software" },
};

const char *group_name(enum group g)
{
	return g < GROUP__COUNT ? group_names[g][0] : "?";
}

const char *group_title(enum group g)
{
	return g < GROUP__COUNT ? group_names[g][1] : "?";
}

static int group_from_name(const char *s)
{
	for (int g = 0; g < GROUP__COUNT; g++)
		if (!strcmp(group_names[g][0], s))
			return g;
	return -1;
}

/* ---- freeing ---- */

void expr_free(struct expr *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->nargs; i++)
		expr_free(e->args[i]);
	free(e->args);
	free(e->fact);
	value_release(&e->lit);
	free(e);
}

void template_release(struct template *t)
{
	free(t->text);
	for (size_t i = 0; i < t->nexprs; i++)
		expr_free(t->exprs[i]);
	free(t->exprs);
	memset(t, 0, sizeof(*t));
}

static void fix_release(struct fix *f)
{
	template_release(&f->title);
	for (size_t i = 0; i < f->nsteps; i++) {
		free(f->steps[i].app);
		template_release(&f->steps[i].text);
	}
	free(f->steps);
	expr_free(f->when);
	if (f->action) {
		template_release(f->action);
		free(f->action);
	}
	expr_free(f->verify);
}

static void rule_release(struct rule *r)
{
	free(r->id);
	template_release(&r->title);
	strlist_release(&r->sources);
	expr_free(r->require);
	expr_free(r->when);
	template_release(&r->cause);
	for (size_t i = 0; i < r->nevidence; i++)
		template_release(&r->evidence[i]);
	free(r->evidence);
	for (size_t i = 0; i < r->nfixes; i++)
		fix_release(&r->fixes[i]);
	free(r->fixes);
}

static void app_release(struct app *a)
{
	free(a->id);
	free(a->name);
	free(a->package[0]);
	free(a->package[1]);
}

static void decl_release(struct factdecl *fd)
{
	free(fd->name);
	free(fd->label);
	free(fd->ask);
	strlist_release(&fd->answers);
}

void kb_init(struct kb *kb)
{
	memset(kb, 0, sizeof(*kb));
}

void kb_release(struct kb *kb)
{
	for (size_t i = 0; i < kb->napps; i++)
		app_release(&kb->apps[i]);
	free(kb->apps);
	for (size_t i = 0; i < kb->ndecls; i++)
		decl_release(&kb->decls[i]);
	free(kb->decls);
	for (size_t i = 0; i < kb->nrules; i++)
		rule_release(&kb->rules[i]);
	free(kb->rules);
	strlist_release(&kb->files);
	free(kb->dir);
	kb_init(kb);
}

/* ---- token handling ---- */

static void next(struct parser *p)
{
	if (p->cur.kind == T_LBRACE)
		p->depth++;
	else if (p->cur.kind == T_RBRACE)
		p->depth--;
	free(p->cur.text);
	p->cur = p->peek;
	lex_next(&p->lx, &p->peek);
}

static void error_tok(struct parser *p, const struct token *t, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void error_tok(struct parser *p, const struct token *t, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *msg = xvasprintf(fmt, ap);
	va_end(ap);
	char *sl = lex_line(p->lx.qsrc, p->lx.qlen, t->line);
	diag_error(p->d, p->file, t->line, t->col, sl, "%s", msg);
	free(sl);
	free(msg);
}

/* A token as messages name it: 'word', '42', a string, '{'. */
struct desc {
	char s[80];
};

static struct desc describe_tok(const struct parser *p, const struct token *t)
{
	struct desc d;
	if (t->kind == T_WORD || t->kind == T_NUMBER)
		snprintf(d.s, sizeof(d.s), "'%.60s%s'", t->text, strlen(t->text) > 60 ? "…" : "");
	else if (t->kind == T_STRING)
		snprintf(d.s, sizeof(d.s), "a string");
	else if (t->kind == T_EOF && p->in_braces)
		snprintf(d.s, sizeof(d.s), "the end of '{…}'");
	else
		snprintf(d.s, sizeof(d.s), "%s", tok_kind_name(t->kind));
	return d;
}
#define describe(t) describe_tok(p, (t)).s

static int is_word(const struct parser *p, const char *w)
{
	return p->cur.kind == T_WORD && !strcmp(p->cur.text, w);
}

static struct srcpos here(const struct parser *p)
{
	struct srcpos s = { p->file, p->cur.line, p->cur.col };
	return s;
}

static int expect(struct parser *p, enum tok_kind k, const char *what)
{
	if (p->cur.kind != k) {
		error_tok(p, &p->cur, "expected %s, found %s", what, describe(&p->cur));
		return -1;
	}
	next(p);
	return 0;
}

/* Take the current token's text (a word or string), advancing. */
static char *take_text(struct parser *p)
{
	char *s = p->cur.text;
	p->cur.text = NULL;
	next(p);
	return s;
}

/* ---- expressions ---- */

static struct expr *new_expr(enum expr_kind k, struct srcpos pos)
{
	struct expr *e = xcalloc(1, sizeof(*e));
	e->kind = k;
	e->pos = pos;
	return e;
}

static void add_arg(struct expr *e, struct expr *a)
{
	e->args = xrealloc(e->args, (e->nargs + 1) * sizeof(*e->args));
	e->args[e->nargs++] = a;
}

static struct expr *parse_or(struct parser *p);

static const char *const reserved[] = { "and", "or", "not", "in", "contains", "is",
					"known", "unknown" };

static int is_reserved(const char *w)
{
	for (size_t i = 0; i < sizeof(reserved) / sizeof(*reserved); i++)
		if (!strcmp(reserved[i], w))
			return 1;
	return 0;
}

static int valid_fact_name(const char *s)
{
	/* segments of [a-z0-9_] (or a lone "$"), separated by single dots, two at least */
	int segs = 0;
	const char *q = s;
	while (*q) {
		const char *st = q;
		if (*q == '$') {
			q++;
		} else {
			while ((*q >= 'a' && *q <= 'z') || (*q >= '0' && *q <= '9') || *q == '_')
				q++;
		}
		if (q == st)
			return 0;
		segs++;
		if (*q == '.')
			q++;
		else if (*q)
			return 0;
		if (*q == '\0' && q[-1] == '.')
			return 0;
	}
	return segs >= 2;
}

/* Clause words: a value missing before one of them is the likelier mistake. */
static int is_clause_word(const char *w)
{
	static const char *const words[] = { "title", "group", "platforms", "weight", "sources",
					     "require", "when", "cause", "evidence", "fix", "step",
					     "action", "verify", "rule", "fact", "app" };
	for (size_t i = 0; i < sizeof(words) / sizeof(*words); i++)
		if (!strcmp(words[i], w))
			return 1;
	return 0;
}

/* "gb", "Days", "mbps": a unit in the wrong case, or an upper-case word after a number. */
static int looks_like_unit(const char *w)
{
	static const char *const units[] = { "b", "kb", "mb", "gb", "tb", "s", "sec", "second",
					     "seconds", "min", "minute", "minutes", "h", "hour",
					     "hours", "d", "day", "days", "w", "week", "weeks",
					     "bps", "kbps", "mbps", "gbps" };
	if (is_reserved(w) || is_clause_word(w))
		return 0;
	if (w[0] >= 'A' && w[0] <= 'Z')
		return 1;
	for (size_t i = 0; i < sizeof(units) / sizeof(*units); i++)
		if (!strcasecmp(units[i], w))
			return 1;
	return 0;
}

static struct expr *parse_value(struct parser *p)
{
	struct srcpos pos = here(p);
	if (p->cur.kind == T_NUMBER) {
		struct expr *e = new_expr(EX_LIT, pos);
		double n = strtod(p->cur.text, NULL);
		enum vtype t = VT_INT;
		next(p);
		double f = 1;
		if (p->cur.kind == T_PERCENT) {
			t = VT_PERCENT;
			next(p);
		} else if (p->cur.kind == T_WORD && unit_lookup(p->cur.text, &t, &f)) {
			next(p);
		} else if (p->cur.kind == T_WORD && p->cur.line == pos.line && looks_like_unit(p->cur.text)) {
			error_tok(p, &p->cur,
				  "unknown unit '%s' (bytes: B KB MB GB TB; percent: %%; "
				  "duration: s min hours days weeks; rate: bps kbps Mbps Gbps)",
				  p->cur.text);
			expr_free(e);
			return NULL;
		}
		value_set_num(&e->lit, t, n * f);
		return e;
	}
	if (p->cur.kind == T_STRING) {
		struct expr *e = new_expr(EX_LIT, pos);
		value_set_str(&e->lit, p->cur.text);
		next(p);
		return e;
	}
	if (p->cur.kind == T_WORD && is_clause_word(p->cur.text)) {
		error_tok(p, &p->cur, "a value is missing before '%s'", p->cur.text);
		return NULL;
	}
	if (p->cur.kind != T_WORD || is_reserved(p->cur.text)) {
		if (p->cur.kind == T_WORD)
			error_tok(p, &p->cur, "expected a value, found the keyword '%s'", p->cur.text);
		else
			expect(p, T_WORD, "a fact name or a value");
		return NULL;
	}
	const char *w = p->cur.text;
	if (!strcmp(w, "true") || !strcmp(w, "false")) {
		struct expr *e = new_expr(EX_LIT, pos);
		value_set_bool(&e->lit, w[0] == 't');
		next(p);
		return e;
	}
	if (w[0] == '$') {
		struct expr *e = new_expr(EX_APPVAR, pos);
		if (!strcmp(w, "$app"))
			e->appvar = AV_NAME;
		else if (!strcmp(w, "$app_id"))
			e->appvar = AV_ID;
		else if (!strcmp(w, "$package"))
			e->appvar = AV_PACKAGE;
		else {
			error_tok(p, &p->cur, "unknown variable '%s' (there are $app, $app_id and $package)", w);
			expr_free(e);
			return NULL;
		}
		e->type = VT_STRING;
		next(p);
		return e;
	}
	if (p->peek.kind == T_LPAREN) {
		static const struct { const char *name; enum func fn; size_t nargs; } fns[] = {
			{ "age", FN_AGE, 1 },
			{ "count", FN_COUNT, 1 },
			{ "apps", FN_APPS, 1 },
			{ "transfer_time", FN_TRANSFER_TIME, 2 },
		};
		size_t i;
		for (i = 0; i < sizeof(fns) / sizeof(*fns); i++)
			if (!strcmp(fns[i].name, w))
				break;
		if (i == sizeof(fns) / sizeof(*fns)) {
			error_tok(p, &p->cur, "unknown function '%s' (there are age, count, apps and transfer_time)", w);
			return NULL;
		}
		if (p->nest >= MAX_NEST) {
			error_tok(p, &p->cur, "condition nested too deeply (more than %d levels)", MAX_NEST);
			return NULL;
		}
		struct expr *e = new_expr(EX_CALL, pos);
		e->fn = fns[i].fn;
		next(p);
		next(p); /* ( */
		for (;;) {
			p->nest++;
			struct expr *a = fns[i].fn == FN_APPS ? parse_or(p) : parse_value(p);
			p->nest--;
			if (!a) {
				expr_free(e);
				return NULL;
			}
			add_arg(e, a);
			if (p->cur.kind != T_COMMA)
				break;
			next(p);
		}
		if (expect(p, T_RPAREN, "')'")) {
			expr_free(e);
			return NULL;
		}
		if (e->nargs != fns[i].nargs) {
			struct token t = { .line = pos.line, .col = pos.col };
			error_tok(p, &t, "%s() takes %zu argument%s, not %zu", fns[i].name,
				  fns[i].nargs, fns[i].nargs == 1 ? "" : "s", e->nargs);
			expr_free(e);
			return NULL;
		}
		return e;
	}
	if (!valid_fact_name(w)) {
		error_tok(p, &p->cur,
			  "'%s' is not a fact name (lower-case words joined by dots, like power.battery_saver)", w);
		return NULL;
	}
	struct expr *e = new_expr(EX_FACT, pos);
	e->fact = take_text(p);
	return e;
}

static int cmp_op(enum tok_kind k, enum cmp_op *op)
{
	switch (k) {
	case T_EQ: *op = OP_EQ; return 1;
	case T_NE: *op = OP_NE; return 1;
	case T_LT: *op = OP_LT; return 1;
	case T_LE: *op = OP_LE; return 1;
	case T_GT: *op = OP_GT; return 1;
	case T_GE: *op = OP_GE; return 1;
	default: return 0;
	}
}

static struct expr *parse_test(struct parser *p)
{
	struct srcpos pos = here(p);
	struct expr *v = parse_value(p);
	if (!v)
		return NULL;
	struct expr *e;
	enum cmp_op op;
	if (cmp_op(p->cur.kind, &op)) {
		e = new_expr(EX_CMP, pos);
		e->op = op;
		e->pos = here(p);
		next(p);
		add_arg(e, v);
		struct expr *r = parse_value(p);
		if (!r)
			goto fail;
		add_arg(e, r);
	} else if (is_word(p, "in")) {
		e = new_expr(EX_IN, here(p));
		add_arg(e, v);
		next(p);
		if (expect(p, T_LBRACKET, "'[' after 'in'"))
			goto fail;
		for (;;) {
			struct expr *it = parse_value(p);
			if (!it)
				goto fail;
			add_arg(e, it);
			if (p->cur.kind != T_COMMA)
				break;
			next(p);
		}
		if (expect(p, T_RBRACKET, "']' or ','"))
			goto fail;
	} else if (is_word(p, "contains")) {
		e = new_expr(EX_CONTAINS, here(p));
		add_arg(e, v);
		next(p);
		struct expr *r = parse_value(p);
		if (!r)
			goto fail;
		add_arg(e, r);
	} else if (is_word(p, "is")) {
		e = new_expr(EX_KNOWN, here(p));
		add_arg(e, v);
		next(p);
		if (is_word(p, "unknown")) {
			e->kind = EX_UNKNOWN;
		} else if (!is_word(p, "known")) {
			error_tok(p, &p->cur, "expected 'known' or 'unknown' after 'is'");
			goto fail;
		}
		next(p);
	} else {
		e = new_expr(EX_TRUTH, pos);
		add_arg(e, v);
	}
	return e;
fail:
	expr_free(e);
	return NULL;
}

static struct expr *parse_unary_nested(struct parser *p);

/* Deep nesting is refused before it can exhaust the stack. */
static struct expr *parse_unary(struct parser *p)
{
	if (p->nest >= MAX_NEST) {
		error_tok(p, &p->cur, "condition nested too deeply (more than %d levels)", MAX_NEST);
		return NULL;
	}
	p->nest++;
	struct expr *e = parse_unary_nested(p);
	p->nest--;
	return e;
}

static struct expr *parse_unary_nested(struct parser *p)
{
	if (is_word(p, "not")) {
		struct expr *e = new_expr(EX_NOT, here(p));
		next(p);
		struct expr *a = parse_unary(p);
		if (!a) {
			expr_free(e);
			return NULL;
		}
		add_arg(e, a);
		return e;
	}
	if (p->cur.kind == T_LPAREN) {
		next(p);
		struct expr *e = parse_or(p);
		if (!e)
			return NULL;
		if (expect(p, T_RPAREN, "')'")) {
			expr_free(e);
			return NULL;
		}
		return e;
	}
	return parse_test(p);
}

static struct expr *parse_binary(struct parser *p, const char *word, enum expr_kind k,
				 struct expr *(*sub)(struct parser *))
{
	struct expr *l = sub(p);
	if (!l)
		return NULL;
	if (!is_word(p, word))
		return l;
	struct expr *e = new_expr(k, l->pos);
	add_arg(e, l);
	while (is_word(p, word)) {
		next(p);
		struct expr *r = sub(p);
		if (!r) {
			expr_free(e);
			return NULL;
		}
		add_arg(e, r);
	}
	return e;
}

static struct expr *parse_and(struct parser *p)
{
	return parse_binary(p, "and", EX_AND, parse_unary);
}

static struct expr *parse_or(struct parser *p)
{
	return parse_binary(p, "or", EX_OR, parse_and);
}

/* ---- templates ---- */

/*
 * Parse the {expressions} of a string token.  Positions inside the string
 * are exact for one-line strings (white space folding can shift them on
 * wrapped ones, but the line of the string is always right).
 */
static int parse_template(struct parser *p, struct template *t)
{
	memset(t, 0, sizeof(*t)); /* the caller releases it, parsed or not */
	if (p->cur.kind != T_STRING) {
		expect(p, T_STRING, "a quoted text");
		return -1;
	}
	t->pos = here(p);
	t->text = p->cur.text;
	p->cur.text = NULL;
	int sline = p->cur.sline, scol = p->cur.scol;
	const char *s = t->text;
	int ret = 0;
	for (size_t i = 0; s[i]; i++) {
		if (s[i] == '}' && s[i + 1] == '}') {
			i++;
			continue;
		}
		if (s[i] == '}') {
			struct token at = { .line = sline, .col = scol + (int)i };
			error_tok(p, &at, "'}' without '{' in text (write '}}' for a brace)");
			ret = -1;
			continue;
		}
		if (s[i] != '{')
			continue;
		if (s[i + 1] == '{') {
			i++;
			continue;
		}
		size_t j = i + 1;
		while (s[j] && s[j] != '}')
			j++;
		if (!s[j]) {
			struct token at = { .line = sline, .col = scol + (int)i };
			error_tok(p, &at, "'{' without '}' in text (write '{{' for a brace)");
			ret = -1;
			break;
		}
		/* a sub-parser over the braces' content, positioned where it sits */
		struct parser sub;
		memset(&sub, 0, sizeof(sub));
		sub.file = p->file;
		sub.kb = p->kb;
		sub.d = p->d;
		sub.in_braces = true;
		lex_init(&sub.lx, p->file, s + i + 1, j - i - 1, p->d);
		sub.lx.qsrc = p->lx.qsrc;
		sub.lx.qlen = p->lx.qlen;
		sub.lx.line = sline;
		sub.lx.col = scol + (int)i + 1;
		lex_next(&sub.lx, &sub.cur);
		lex_next(&sub.lx, &sub.peek);
		struct expr *e = NULL;
		if (sub.cur.kind == T_EOF) {
			error_tok(&sub, &sub.cur, "empty '{}' in text");
		} else {
			e = parse_or(&sub);
			if (e && sub.cur.kind != T_EOF) {
				error_tok(&sub, &sub.cur, "unexpected %s in '{…}'", describe_tok(&sub, &sub.cur).s);
				expr_free(e);
				e = NULL;
			}
		}
		free(sub.cur.text);
		free(sub.peek.text);
		if (e && e->kind == EX_TRUTH) {
			/* "{battery.level}" quotes a value: no test to make */
			struct expr *v = e->args[0];
			e->nargs = 0;
			expr_free(e);
			e = v;
		}
		if (!e) {
			ret = -1;
		} else {
			t->exprs = xrealloc(t->exprs, (t->nexprs + 1) * sizeof(*t->exprs));
			t->exprs[t->nexprs++] = e;
		}
		i = j;
	}
	next(p);
	return ret;
}

/* ---- statements ---- */

static int parse_platforms(struct parser *p, unsigned *out)
{
	unsigned plats = 0;
	struct token first = p->cur;
	while (p->cur.kind == T_WORD) {
		unsigned pl = platform_from_name(p->cur.text);
		if (!pl)
			break;
		plats |= pl;
		next(p);
	}
	if (!plats) {
		error_tok(p, &first, "expected a platform (android, ios or any), found %s",
			  describe(&first));
		return -1;
	}
	*out = plats;
	return 0;
}

static int once(struct parser *p, const struct token *t, int *seen, const char *what)
{
	if (*seen) {
		error_tok(p, t, "'%s' given twice", what);
		return -1;
	}
	*seen = 1;
	return 0;
}

static int parse_app(struct parser *p)
{
	struct app a;
	memset(&a, 0, sizeof(a));
	a.pos = here(p);
	next(p); /* app */
	if (p->cur.kind != T_WORD) {
		expect(p, T_WORD, "an app id after 'app'");
		goto fail;
	}
	a.id = take_text(p);
	if (expect(p, T_LBRACE, "'{'"))
		goto fail;
	while (p->cur.kind == T_WORD) {
		struct token kw = p->cur;
		kw.text = NULL;
		char **slot = NULL;
		if (is_word(p, "name"))
			slot = &a.name;
		else if (is_word(p, "android"))
			slot = &a.package[0];
		else if (is_word(p, "ios"))
			slot = &a.package[1];
		else {
			error_tok(p, &p->cur, "unknown clause '%s' in app (name, android, ios)", p->cur.text);
			goto fail;
		}
		const char *what = p->cur.text[0] == 'n' ? "name" : p->cur.text;
		if (*slot) {
			error_tok(p, &kw, "'%s' given twice", what);
			goto fail;
		}
		next(p);
		if (p->cur.kind != T_STRING) {
			expect(p, T_STRING, "a quoted text");
			goto fail;
		}
		*slot = take_text(p);
	}
	if (expect(p, T_RBRACE, "'}' or an app clause"))
		goto fail;
	if (!a.name) {
		struct token t = { .line = a.pos.line, .col = a.pos.col };
		error_tok(p, &t, "app '%s' has no name", a.id);
		goto fail;
	}
	ALLOC_GROW(p->kb->apps, p->kb->napps + 1, p->kb->apps_alloc);
	p->kb->apps[p->kb->napps++] = a;
	return 0;
fail:
	app_release(&a);
	return -1;
}

static int parse_fact(struct parser *p)
{
	struct factdecl fd;
	memset(&fd, 0, sizeof(fd));
	fd.pos = here(p);
	fd.platforms = PLAT_ALL;
	next(p); /* fact */
	if (p->cur.kind != T_WORD || !valid_fact_name(p->cur.text)) {
		if (p->cur.kind == T_WORD)
			error_tok(p, &p->cur,
				  "'%s' is not a fact name (lower-case words joined by dots, like power.battery_saver)",
				  p->cur.text);
		else
			expect(p, T_WORD, "a fact name after 'fact'");
		goto fail;
	}
	fd.pos = here(p);
	fd.name = take_text(p);
	fd.per_app = !strncmp(fd.name, "app.$.", 6);
	if (strchr(fd.name, '$') && !fd.per_app) {
		struct token t = { .line = fd.pos.line, .col = fd.pos.col };
		error_tok(p, &t, "'$' may only stand for the app, as in app.$.%s", strrchr(fd.name, '.') + 1);
		goto fail;
	}
	if (p->cur.kind != T_WORD || vtype_from_name(p->cur.text) == VT_NONE) {
		error_tok(p, &p->cur,
			  "expected the type of %s (bool, int, bytes, percent, duration, timestamp, string, list or rate), found %s",
			  fd.name, describe(&p->cur));
		goto fail;
	}
	fd.type = vtype_from_name(p->cur.text);
	next(p);
	if (p->cur.kind == T_LBRACE) {
		next(p);
		int seen_plat = 0;
		while (p->cur.kind == T_WORD) {
			struct token kw = p->cur;
			if (is_word(p, "label") || is_word(p, "ask")) {
				char **slot = p->cur.text[0] == 'l' ? &fd.label : &fd.ask;
				if (*slot) {
					error_tok(p, &kw, "'%s' given twice", kw.text);
					goto fail;
				}
				next(p);
				if (p->cur.kind != T_STRING) {
					expect(p, T_STRING, "a quoted text");
					goto fail;
				}
				*slot = take_text(p);
			} else if (is_word(p, "answers")) {
				if (fd.answers.n) {
					error_tok(p, &kw, "'answers' given twice");
					goto fail;
				}
				next(p);
				if (p->cur.kind != T_STRING) {
					expect(p, T_STRING, "a quoted answer");
					goto fail;
				}
				while (p->cur.kind == T_STRING)
					strlist_push_owned(&fd.answers, take_text(p));
			} else if (is_word(p, "platforms")) {
				if (once(p, &kw, &seen_plat, "platforms"))
					goto fail;
				next(p);
				if (parse_platforms(p, &fd.platforms))
					goto fail;
			} else {
				error_tok(p, &p->cur, "unknown clause '%s' in fact (label, ask, answers, platforms)",
					  p->cur.text);
				goto fail;
			}
		}
		if (expect(p, T_RBRACE, "'}' or a fact clause"))
			goto fail;
	}
	ALLOC_GROW(p->kb->decls, p->kb->ndecls + 1, p->kb->decls_alloc);
	p->kb->decls[p->kb->ndecls++] = fd;
	return 0;
fail:
	decl_release(&fd);
	return -1;
}

static int parse_fix(struct parser *p, struct rule *r)
{
	struct fix f;
	memset(&f, 0, sizeof(f));
	f.pos = here(p);
	next(p); /* fix */
	if (parse_template(p, &f.title))
		goto fail;
	if (expect(p, T_LBRACE, "'{' after the fix title"))
		goto fail;
	while (p->cur.kind == T_WORD) {
		struct token kw = p->cur;
		if (is_word(p, "step")) {
			struct step st;
			memset(&st, 0, sizeof(st));
			st.platforms = PLAT_ALL;
			next(p);
			if (p->cur.kind == T_WORD && platform_from_name(p->cur.text)) {
				st.platforms = platform_from_name(p->cur.text);
				next(p);
			}
			if (is_word(p, "app")) {
				next(p);
				if (p->cur.kind != T_WORD) {
					expect(p, T_WORD, "an app id after 'app'");
					goto fail;
				}
				st.app = take_text(p);
			}
			if (parse_template(p, &st.text)) {
				free(st.app);
				template_release(&st.text);
				goto fail;
			}
			f.steps = xrealloc(f.steps, (f.nsteps + 1) * sizeof(*f.steps));
			f.steps[f.nsteps++] = st;
		} else if (is_word(p, "when") || is_word(p, "verify")) {
			struct expr **slot = kw.text[0] == 'w' ? &f.when : &f.verify;
			if (*slot) {
				error_tok(p, &kw, "'%s' given twice", kw.text);
				goto fail;
			}
			next(p);
			if (!(*slot = parse_or(p)))
				goto fail;
		} else if (is_word(p, "action")) {
			if (f.action) {
				error_tok(p, &kw, "'action' given twice");
				goto fail;
			}
			next(p);
			if (!is_word(p, "android")) {
				error_tok(p, &p->cur, "expected 'android' after 'action' (only adb commands can be applied)");
				goto fail;
			}
			next(p);
			f.action = xcalloc(1, sizeof(*f.action));
			if (parse_template(p, f.action))
				goto fail;
		} else {
			error_tok(p, &p->cur, "unknown clause '%s' in fix (step, when, action, verify)",
				  p->cur.text);
			goto fail;
		}
	}
	if (expect(p, T_RBRACE, "'}' or a fix clause"))
		goto fail;
	if (!f.nsteps) {
		struct token t = { .line = f.pos.line, .col = f.pos.col };
		error_tok(p, &t, "fix '%s' has no step", f.title.text);
		goto fail;
	}
	r->fixes = xrealloc(r->fixes, (r->nfixes + 1) * sizeof(*r->fixes));
	r->fixes[r->nfixes++] = f;
	return 0;
fail:
	fix_release(&f);
	return -1;
}

static int parse_rule(struct parser *p)
{
	struct rule r;
	memset(&r, 0, sizeof(r));
	r.pos = here(p);
	next(p); /* rule */
	if (p->cur.kind != T_WORD) {
		expect(p, T_WORD, "a cause id after 'rule'");
		goto fail;
	}
	r.pos = here(p);
	r.id = take_text(p);
	if (is_word(p, "for")) {
		next(p);
		if (!is_word(p, "each")) {
			error_tok(p, &p->cur, "expected 'each app' after 'for'");
			goto fail;
		}
		next(p);
		if (!is_word(p, "app")) {
			error_tok(p, &p->cur, "expected 'app' after 'for each'");
			goto fail;
		}
		next(p);
		r.per_app = true;
	}
	if (expect(p, T_LBRACE, "'{' after the rule id"))
		goto fail;
	int seen_title = 0, seen_group = 0, seen_plat = 0, seen_weight = 0, seen_sources = 0,
	    seen_cause = 0;
	while (p->cur.kind == T_WORD) {
		struct token kw = p->cur;
		const char *w = kw.text;
		if (!strcmp(w, "title")) {
			if (once(p, &kw, &seen_title, w))
				goto fail;
			next(p);
			if (parse_template(p, &r.title))
				goto fail;
		} else if (!strcmp(w, "cause")) {
			if (once(p, &kw, &seen_cause, w))
				goto fail;
			next(p);
			if (parse_template(p, &r.cause))
				goto fail;
		} else if (!strcmp(w, "group")) {
			if (once(p, &kw, &seen_group, w))
				goto fail;
			next(p);
			int g = p->cur.kind == T_WORD ? group_from_name(p->cur.text) : -1;
			if (g < 0) {
				error_tok(p, &p->cur,
					  "expected a group (connection, settings, permissions, power, network, storage, management), found %s",
					  describe(&p->cur));
				goto fail;
			}
			r.group = (enum group)g;
			next(p);
		} else if (!strcmp(w, "platforms")) {
			if (once(p, &kw, &seen_plat, w))
				goto fail;
			next(p);
			if (parse_platforms(p, &r.platforms))
				goto fail;
		} else if (!strcmp(w, "weight")) {
			if (once(p, &kw, &seen_weight, w))
				goto fail;
			next(p);
			char *end = NULL;
			long n = p->cur.kind == T_NUMBER ? strtol(p->cur.text, &end, 10) : -1;
			if (p->cur.kind != T_NUMBER || *end || n < 1 || n > 100) {
				error_tok(p, &p->cur, "weight must be a whole number from 1 to 100, found %s",
					  describe(&p->cur));
				goto fail;
			}
			r.weight = (int)n;
			next(p);
		} else if (!strcmp(w, "sources")) {
			if (once(p, &kw, &seen_sources, w))
				goto fail;
			next(p);
			if (p->cur.kind != T_NUMBER) {
				expect(p, T_NUMBER, "a document number (000 to 004)");
				goto fail;
			}
			while (p->cur.kind == T_NUMBER) {
				if (strlen(p->cur.text) != 3) {
					error_tok(p, &p->cur, "document numbers have three digits, like 003");
					goto fail;
				}
				strlist_push_owned(&r.sources, take_text(p));
			}
		} else if (!strcmp(w, "require") || !strcmp(w, "when")) {
			struct expr **slot = w[0] == 'r' ? &r.require : &r.when;
			if (*slot) {
				error_tok(p, &kw, "'%s' given twice", w);
				goto fail;
			}
			next(p);
			if (!(*slot = parse_or(p)))
				goto fail;
		} else if (!strcmp(w, "evidence")) {
			next(p);
			r.evidence = xrealloc(r.evidence, (r.nevidence + 1) * sizeof(*r.evidence));
			if (parse_template(p, &r.evidence[r.nevidence++]))
				goto fail;
		} else if (!strcmp(w, "fix")) {
			if (parse_fix(p, &r))
				goto fail;
		} else {
			error_tok(p, &p->cur,
				  "unknown clause '%s' in rule (title, group, platforms, weight, sources, require, when, cause, evidence, fix)",
				  w);
			goto fail;
		}
	}
	if (expect(p, T_RBRACE, "'}' or a rule clause"))
		goto fail;
	{
		static const char *const need[] = { "title", "group", "platforms", "weight",
						    "sources", "when", "cause", "fix" };
		int have[] = { seen_title, seen_group, seen_plat, seen_weight, seen_sources,
			       r.when != NULL, seen_cause, r.nfixes > 0 };
		int missing = 0;
		for (size_t i = 0; i < sizeof(need) / sizeof(*need); i++) {
			if (have[i])
				continue;
			struct token t = { .line = r.pos.line, .col = r.pos.col };
			error_tok(p, &t, "rule '%s' has no '%s'", r.id, need[i]);
			missing = 1;
		}
		if (missing)
			goto fail;
	}
	ALLOC_GROW(p->kb->rules, p->kb->nrules + 1, p->kb->rules_alloc);
	p->kb->rules[p->kb->nrules++] = r;
	return 0;
fail:
	rule_release(&r);
	return -1;
}

/* After an error: skip to the end of the statement (its closing brace). */
static void sync(struct parser *p, int depth0)
{
	while (p->cur.kind != T_EOF) {
		if (p->cur.kind == T_RBRACE && p->depth == depth0 + 1) {
			next(p);
			return;
		}
		if (p->depth <= depth0 && p->cur.kind == T_WORD && p->cur.col == 1 &&
		    (is_word(p, "rule") || is_word(p, "fact") || is_word(p, "app")))
			return;
		next(p);
	}
}

int rules_parse_text(struct kb *kb, const char *name, const char *text, size_t len,
		     struct diags *d)
{
	struct parser p;
	memset(&p, 0, sizeof(p));
	if (!strlist_has(&kb->files, name))
		strlist_push(&kb->files, name);
	for (size_t i = 0; i < kb->files.n; i++)
		if (!strcmp(kb->files.v[i], name))
			p.file = kb->files.v[i];
	p.kb = kb;
	p.d = d;
	size_t errors0 = d->errors;
	if (memchr(text, '\0', len)) {
		diag_error(d, name, 0, 0, NULL, "not a text file (it holds a NUL byte)");
		return -1;
	}
	lex_init(&p.lx, p.file, text, len, d);
	lex_next(&p.lx, &p.cur);
	lex_next(&p.lx, &p.peek);
	while (p.cur.kind != T_EOF) {
		int depth0 = p.depth;
		int r;
		if (is_word(&p, "rule"))
			r = parse_rule(&p);
		else if (is_word(&p, "fact"))
			r = parse_fact(&p);
		else if (is_word(&p, "app"))
			r = parse_app(&p);
		else {
			error_tok(&p, &p.cur, "expected 'rule', 'fact' or 'app', found %s",
				  describe_tok(&p, &p.cur).s);
			r = -1;
			next(&p);
		}
		if (r)
			sync(&p, depth0);
	}
	free(p.cur.text);
	free(p.peek.text);
	return d->errors > errors0 ? -1 : 0;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int rules_load_dir(struct kb *kb, const char *dir, struct diags *d)
{
	DIR *dh = opendir(dir);
	if (!dh) {
		diag_error(d, dir, 0, 0, NULL, "cannot open the rules directory: %s", strerror(errno));
		return -1;
	}
	free(kb->dir);
	kb->dir = xstrdup(dir);
	struct strlist names = STRLIST_INIT;
	struct dirent *de;
	while ((de = readdir(dh))) {
		size_t n = strlen(de->d_name);
		if (n > 6 && !strcmp(de->d_name + n - 6, ".rules") && de->d_name[0] != '.')
			strlist_push(&names, de->d_name);
	}
	closedir(dh);
	if (names.n)
		qsort(names.v, names.n, sizeof(*names.v), cmp_str);
	if (!names.n)
		diag_error(d, dir, 0, 0, NULL, "no *.rules file in the rules directory");
	for (size_t i = 0; i < names.n; i++) {
		size_t dl = strlen(dir);
		char *path = xasprintf("%s%s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", names.v[i]);
		struct buf text = BUF_INIT;
		char *cause = NULL;
		if (buf_read_file(&text, path, &cause)) {
			diag_error(d, path, 0, 0, NULL, "%s", cause);
			free(cause);
		} else {
			rules_parse_text(kb, path, buf_str(&text), text.len, d);
		}
		buf_release(&text);
		free(path);
	}
	strlist_release(&names);
	if (d->errors)
		return -1;
	return rules_check(kb, d);
}

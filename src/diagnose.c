/*
 * diagnose.c - from facts to ranked findings.  Every rule (once per backup
 * app for "for each app" rules) is evaluated; the three-valued result and
 * the evidence count decide whether it is confirmed, possible, ruled out,
 * or only a question for the person.  All texts are expanded here so the
 * views never evaluate anything.
 */
#include <stdlib.h>
#include <string.h>

#include "diagnose.h"
#include "xalloc.h"
#include "banned.h"

const char *finding_status_name(enum finding_status s)
{
	return s == FINDING_CONFIRMED ? "confirmed" : "possible";
}

static void finding_release(struct finding *f)
{
	free(f->title);
	free(f->cause);
	for (size_t i = 0; i < f->nevidence; i++) {
		struct evidence *ev = &f->evidence[i];
		free(ev->text);
		for (size_t j = 0; j < ev->nfacts; j++) {
			free(ev->facts[j].name);
			free(ev->facts[j].value);
			free(ev->facts[j].source);
			free(ev->facts[j].raw);
		}
		free(ev->facts);
	}
	free(f->evidence);
	for (size_t i = 0; i < f->nfixes; i++) {
		free(f->fixes[i].title);
		strlist_release(&f->fixes[i].steps);
		free(f->fixes[i].action);
	}
	free(f->fixes);
	strlist_release(&f->questions);
	strlist_release(&f->unknown);
}

void diagnosis_release(struct diagnosis *dg)
{
	for (size_t i = 0; i < dg->nfindings; i++)
		finding_release(&dg->findings[i]);
	free(dg->findings);
	for (size_t i = 0; i < dg->nquestions; i++) {
		free(dg->questions[i].fact);
		free(dg->questions[i].text);
		strlist_release(&dg->questions[i].answers);
		strlist_release(&dg->questions[i].causes);
	}
	free(dg->questions);
	free(dg->ruled_out);
	memset(dg, 0, sizeof(*dg));
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* Replace "{$app}" in a declaration's label or question. */
static char *decl_text(const char *text, const char *app_name)
{
	struct buf b = BUF_INIT;
	for (const char *p = text; *p;) {
		if (!strncmp(p, "{$app}", 6)) {
			buf_puts(&b, app_name ? app_name : "the app");
			p += 6;
		} else {
			buf_putc(&b, *p++);
		}
	}
	return buf_detach(&b);
}

static void cite(struct evidence *ev, const struct facts *fs, const char *name)
{
	const struct fact *f = facts_get(fs, name);
	ev->facts = xrealloc(ev->facts, (ev->nfacts + 1) * sizeof(*ev->facts));
	struct cited_fact *c = &ev->facts[ev->nfacts++];
	memset(c, 0, sizeof(*c));
	c->name = xstrdup(name);
	if (f && f->state != FACT_UNKNOWN) {
		c->value = value_format(&f->v);
		c->state = f->state;
		c->source = dup_or_null(f->source);
		c->raw = dup_or_null(f->raw);
	} else {
		c->value = xstrdup("unknown");
		c->state = FACT_UNKNOWN;
	}
}

static bool step_applies(const struct evalctx *cx, const struct step *st)
{
	if (cx->platform && !(st->platforms & cx->platform))
		return false;
	if (!st->app)
		return true;
	if (cx->app)
		return !strcmp(st->app, cx->app->id);
	/* a rule about the whole phone: show the steps of apps this phone can have */
	const struct app *a = kb_app(cx->kb, st->app);
	if (!a)
		return false;
	return !cx->platform || a->package[cx->platform == PLAT_ANDROID ? 0 : 1];
}

static bool askable(const struct evalctx *cx, const char *name, const struct factdecl **out)
{
	const char *app_id = NULL;
	const struct factdecl *fd = kb_decl(cx->kb, name, &app_id);
	if (!fd || !fd->ask)
		return false;
	if (cx->platform && !(fd->platforms & cx->platform))
		return false;
	/* never ask about an app this kind of phone cannot have */
	const struct app *a = app_id ? kb_app(cx->kb, app_id) : NULL;
	if (a && cx->platform && !a->package[cx->platform == PLAT_ANDROID ? 0 : 1])
		return false;
	*out = fd;
	return true;
}

static void add_question(struct diagnosis *dg, const struct evalctx *cx, const char *name,
			 const struct factdecl *fd, const struct rule *r)
{
	struct question *q = NULL;
	for (size_t i = 0; i < dg->nquestions; i++)
		if (!strcmp(dg->questions[i].fact, name))
			q = &dg->questions[i];
	if (!q) {
		ALLOC_GROW(dg->questions, dg->nquestions + 1, dg->questions_alloc);
		q = &dg->questions[dg->nquestions++];
		memset(q, 0, sizeof(*q));
		q->fact = xstrdup(name);
		const char *app_id = NULL;
		kb_decl(cx->kb, name, &app_id);
		const struct app *a = app_id ? kb_app(cx->kb, app_id) : NULL;
		q->text = decl_text(fd->ask, a ? a->name : NULL);
		q->type = fd->type;
		if (fd->type == VT_BOOL) {
			strlist_push(&q->answers, "yes");
			strlist_push(&q->answers, "no");
		} else {
			strlist_copy(&q->answers, &fd->answers);
		}
	}
	char *cause = cx->app ? xasprintf("%s:%s", r->id, cx->app->id) : xstrdup(r->id);
	if (!strlist_has(&q->causes, cause))
		strlist_push(&q->causes, cause);
	free(cause);
	if (r->weight > q->weight)
		q->weight = r->weight;
}

static void build_finding(struct diagnosis *dg, const struct evalctx *cx, const struct rule *r,
			  enum finding_status status, struct evalinfo *req, struct evalinfo *when)
{
	ALLOC_GROW(dg->findings, dg->nfindings + 1, dg->findings_alloc);
	struct finding *f = &dg->findings[dg->nfindings++];
	memset(f, 0, sizeof(*f));
	f->rule = r;
	f->app = cx->app;
	f->status = status;
	f->support = when->support;
	f->score = r->weight * 10 + (when->support > 9 ? 9 : when->support);
	f->title = rules_expand_always(cx, &r->title);
	f->cause = rules_expand_always(cx, &r->cause);

	for (size_t i = 0; i < r->nevidence; i++) {
		char *text = rules_expand(cx, &r->evidence[i]);
		if (!text)
			continue; /* it quotes something we do not know */
		f->evidence = xrealloc(f->evidence, (f->nevidence + 1) * sizeof(*f->evidence));
		struct evidence *ev = &f->evidence[f->nevidence++];
		memset(ev, 0, sizeof(*ev));
		ev->text = text;
		struct strlist names = STRLIST_INIT;
		rules_template_facts(cx, &r->evidence[i], &names);
		for (size_t j = 0; j < names.n; j++)
			cite(ev, cx->facts, names.v[j]);
		strlist_release(&names);
	}

	for (size_t i = 0; i < r->nfixes; i++) {
		const struct fix *fx = &r->fixes[i];
		if (fx->when && rules_eval(cx, fx->when, NULL) == TV_FALSE)
			continue;
		struct fix_out fo;
		memset(&fo, 0, sizeof(fo));
		fo.fix = fx;
		for (size_t j = 0; j < fx->nsteps; j++)
			if (step_applies(cx, &fx->steps[j]))
				strlist_push_owned(&fo.steps, rules_expand_always(cx, &fx->steps[j].text));
		if (!fo.steps.n)
			continue;
		fo.title = rules_expand_always(cx, &fx->title);
		if (fx->action && cx->platform == PLAT_ANDROID)
			fo.action = rules_expand(cx, fx->action);
		f->fixes = xrealloc(f->fixes, (f->nfixes + 1) * sizeof(*f->fixes));
		f->fixes[f->nfixes++] = fo;
	}

	struct evalinfo *infos[2] = { req, when };
	for (int k = 0; k < 2; k++)
		for (size_t i = 0; i < infos[k]->unknown.n; i++) {
			const char *n = infos[k]->unknown.v[i];
			const struct factdecl *fd;
			if (!strlist_has(&f->unknown, n))
				strlist_push(&f->unknown, n);
			if (askable(cx, n, &fd) && !strlist_has(&f->questions, n)) {
				strlist_push(&f->questions, n);
				add_question(dg, cx, n, fd, r);
			}
		}
	if (status == FINDING_CONFIRMED)
		dg->nconfirmed++;
	else
		dg->npossible++;
}

static void run_rule(struct diagnosis *dg, const struct evalctx *cx, const struct rule *r)
{
	struct evalinfo req = { 0 }, when = { 0 };
	enum tv tr = r->require ? rules_eval(cx, r->require, &req) : TV_TRUE;
	if (tr == TV_FALSE)
		goto out; /* does not apply */
	enum tv tw = rules_eval(cx, r->when, &when);
	if (tw == TV_FALSE) {
		ALLOC_GROW(dg->ruled_out, dg->nruled_out + 1, dg->ruled_out_alloc);
		dg->ruled_out[dg->nruled_out].rule = r;
		dg->ruled_out[dg->nruled_out++].app = cx->app;
		goto out;
	}
	if (tr == TV_TRUE && tw == TV_TRUE) {
		build_finding(dg, cx, r, FINDING_CONFIRMED, &req, &when);
	} else if (when.support > 0) {
		build_finding(dg, cx, r, FINDING_POSSIBLE, &req, &when);
	} else {
		/* nothing observed: only the person can tell */
		struct evalinfo *infos[2] = { &req, &when };
		for (int k = 0; k < 2; k++)
			for (size_t i = 0; i < infos[k]->unknown.n; i++) {
				const struct factdecl *fd;
				if (askable(cx, infos[k]->unknown.v[i], &fd))
					add_question(dg, cx, infos[k]->unknown.v[i], fd, r);
			}
	}
out:
	evalinfo_release(&req);
	evalinfo_release(&when);
}

static int cmp_finding(const void *pa, const void *pb)
{
	const struct finding *a = pa, *b = pb;
	if (a->status != b->status)
		return a->status == FINDING_CONFIRMED ? -1 : 1;
	if (a->score != b->score)
		return a->score > b->score ? -1 : 1;
	int c = strcmp(a->rule->id, b->rule->id);
	if (c)
		return c;
	return strcmp(a->app ? a->app->id : "", b->app ? b->app->id : "");
}

static int cmp_question(const void *pa, const void *pb)
{
	const struct question *a = pa, *b = pb;
	if (a->weight != b->weight)
		return a->weight > b->weight ? -1 : 1;
	return strcmp(a->fact, b->fact);
}

void diagnose(const struct kb *kb, const struct facts *facts, struct diagnosis *out)
{
	memset(out, 0, sizeof(*out));
	const char *plat = facts_string(facts, "device.platform");
	unsigned platform = plat ? platform_from_name(plat) : 0;
	if (platform == PLAT_ALL)
		platform = 0;
	out->platform = platform;

	struct evalctx cx = { kb, facts, platform, NULL };
	for (size_t i = 0; i < kb->nrules; i++) {
		const struct rule *r = &kb->rules[i];
		if (platform && !(r->platforms & platform))
			continue;
		if (!r->per_app) {
			cx.app = NULL;
			run_rule(out, &cx, r);
			continue;
		}
		for (size_t j = 0; j < kb->napps; j++) {
			const struct app *a = &kb->apps[j];
			if (platform && !a->package[platform == PLAT_ANDROID ? 0 : 1])
				continue;
			cx.app = a;
			run_rule(out, &cx, r);
		}
	}
	if (out->nfindings)
		qsort(out->findings, out->nfindings, sizeof(*out->findings), cmp_finding);
	if (out->nquestions)
		qsort(out->questions, out->nquestions, sizeof(*out->questions), cmp_question);
}

int diagnose_answer(const struct kb *kb, struct facts *facts, const char *assignment,
		    const char *source, char **cause)
{
	const char *eq = strchr(assignment, '=');
	if (!eq || eq == assignment) {
		*cause = xasprintf("'%s' is not FACT=VALUE", assignment);
		return -1;
	}
	char *name = xstrndup(assignment, (size_t)(eq - assignment));
	size_t nl = strlen(name);
	while (nl && (name[nl - 1] == ' ' || name[nl - 1] == '\t'))
		name[--nl] = '\0';
	int ret = -1;
	const struct factdecl *fd = kb_decl(kb, name, NULL);
	struct value v = { 0 };
	if (!fd) {
		*cause = xasprintf("unknown fact '%s'", name);
		goto out;
	}
	if (!fd->ask) {
		*cause = xasprintf("'%s' is read from the phone, not asked", name);
		goto out;
	}
	char *why = NULL;
	int r = value_parse_answer(fd->type, eq + 1, &v, &why);
	if (r < 0) {
		*cause = xasprintf("%s: %s", name, why);
		free(why);
		goto out;
	}
	if (r == 1) {
		facts_set_unknown(facts, name, "the person does not know");
		ret = 0;
		goto out;
	}
	if (fd->answers.n && !strlist_has(&fd->answers, v.s)) {
		struct buf b = BUF_INIT;
		for (size_t i = 0; i < fd->answers.n; i++)
			buf_addf(&b, "%s%s", i ? ", " : "", fd->answers.v[i]);
		*cause = xasprintf("%s: '%s' is not one of: %s", name, v.s, buf_str(&b));
		buf_release(&b);
		goto out;
	}
	facts_set(facts, name, FACT_ANSWERED, &v, source, eq + 1, NULL);
	ret = 0;
out:
	value_release(&v);
	free(name);
	return ret;
}

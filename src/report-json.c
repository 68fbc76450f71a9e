/* report-json.c - the JSON report, schema backupdoctor.report/1 (see backupdoctor(1)). */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "factsfile.h"
#include "xalloc.h"
#include "banned.h"

static json_t *str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
}

static json_t *strlist_json(const struct strlist *l)
{
	json_t *a = json_array();
	for (size_t i = 0; i < l->n; i++)
		json_array_append_new(a, json_string(l->v[i]));
	return a;
}

static json_t *finding_json(const struct finding *f)
{
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(f->rule->id));
	json_object_set_new(o, "app", str_or_null(f->app ? f->app->id : NULL));
	json_object_set_new(o, "status", json_string(finding_status_name(f->status)));
	json_object_set_new(o, "score", json_integer(f->score));
	json_object_set_new(o, "title", json_string(f->title));
	json_object_set_new(o, "group", json_string(group_name(f->rule->group)));
	json_object_set_new(o, "cause", json_string(f->cause));
	json_t *ev = json_array();
	for (size_t i = 0; i < f->nevidence; i++) {
		json_t *e = json_object();
		json_object_set_new(e, "text", json_string(f->evidence[i].text));
		json_t *fa = json_array();
		for (size_t j = 0; j < f->evidence[i].nfacts; j++) {
			const struct cited_fact *c = &f->evidence[i].facts[j];
			json_t *cj = json_object();
			json_object_set_new(cj, "name", json_string(c->name));
			json_object_set_new(cj, "value", json_string(c->value));
			json_object_set_new(cj, "state", json_string(c->state == FACT_KNOWN ? "known" :
				c->state == FACT_ANSWERED ? "answered" : "unknown"));
			json_object_set_new(cj, "source", str_or_null(c->source));
			json_object_set_new(cj, "raw", str_or_null(c->raw));
			json_array_append_new(fa, cj);
		}
		json_object_set_new(e, "facts", fa);
		json_array_append_new(ev, e);
	}
	json_object_set_new(o, "evidence", ev);
	json_t *fx = json_array();
	for (size_t i = 0; i < f->nfixes; i++) {
		json_t *x = json_object();
		json_object_set_new(x, "title", json_string(f->fixes[i].title));
		json_object_set_new(x, "steps", strlist_json(&f->fixes[i].steps));
		json_object_set_new(x, "action", str_or_null(f->fixes[i].action));
		json_array_append_new(fx, x);
	}
	json_object_set_new(o, "fixes", fx);
	json_object_set_new(o, "questions", strlist_json(&f->questions));
	json_object_set_new(o, "unknown", strlist_json(&f->unknown));
	json_object_set_new(o, "sources", strlist_json(&f->rule->sources));
	return o;
}

json_t *report_json_build(const struct report_ctx *rc)
{
	const struct facts *fs = rc->facts;
	const struct diagnosis *dg = rc->dg;
	json_t *o = json_object();
	json_object_set_new(o, "schema", json_string("backupdoctor.report/1"));
	json_t *tool = json_object();
	json_object_set_new(tool, "name", json_string("backupdoctor"));
	json_object_set_new(tool, "version", json_string(BD_VERSION));
	json_object_set_new(o, "tool", tool);
	json_object_set_new(o, "source", str_or_null(rc->opts->source));
	if (fs->captured_at > 0) {
		char *s = timestamp_format_iso(fs->captured_at);
		json_object_set_new(o, "captured_at", json_string(s));
		free(s);
	} else {
		json_object_set_new(o, "captured_at", json_null());
	}
	json_t *dev = json_object();
	static const char *const keys[][2] = {
		{ "platform", "device.platform" }, { "model", "device.model" },
		{ "manufacturer", "device.manufacturer" }, { "os_version", "device.os_version" },
		{ "build", "device.build" },
	};
	for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++)
		json_object_set_new(dev, keys[i][0], str_or_null(facts_string(fs, keys[i][1])));
	json_object_set_new(o, "device", dev);
	json_object_set_new(o, "facts", factsfile_facts_json(fs));

	json_t *fa = json_array();
	for (size_t i = 0; i < dg->nfindings; i++)
		json_array_append_new(fa, finding_json(&dg->findings[i]));
	json_object_set_new(o, "findings", fa);

	json_t *qa = json_array();
	for (size_t i = 0; i < dg->nquestions; i++) {
		const struct question *q = &dg->questions[i];
		json_t *qj = json_object();
		json_object_set_new(qj, "fact", json_string(q->fact));
		json_object_set_new(qj, "text", json_string(q->text));
		json_object_set_new(qj, "type", json_string(vtype_name(q->type)));
		json_object_set_new(qj, "answers", strlist_json(&q->answers));
		json_object_set_new(qj, "causes", strlist_json(&q->causes));
		json_object_set_new(qj, "weight", json_integer(q->weight));
		json_array_append_new(qa, qj);
	}
	json_object_set_new(o, "questions", qa);

	json_t *ro = json_array();
	for (size_t i = 0; i < dg->nruled_out; i++) {
		json_t *r = json_object();
		json_object_set_new(r, "id", json_string(dg->ruled_out[i].rule->id));
		json_object_set_new(r, "app", str_or_null(dg->ruled_out[i].app ? dg->ruled_out[i].app->id : NULL));
		json_array_append_new(ro, r);
	}
	json_object_set_new(o, "ruled_out", ro);
	if (rc->nactions) {
		json_t *aa = json_array();
		for (size_t i = 0; i < rc->nactions; i++) {
			const struct action *a = &rc->actions[i];
			json_t *aj = json_object();
			json_object_set_new(aj, "id", json_string(a->rule->id));
			json_object_set_new(aj, "app", str_or_null(a->app ? a->app->id : NULL));
			json_object_set_new(aj, "command", json_string(a->command));
			json_object_set_new(aj, "applied", json_boolean(a->applied));
			json_object_set_new(aj, "result", json_string(a->result));
			json_object_set_new(aj, "verified", a->verified == TV_UNKNOWN ? json_null() :
					    json_boolean(a->verified == TV_TRUE));
			json_object_set_new(aj, "changes", strlist_json(&a->changes));
			json_array_append_new(aa, aj);
		}
		json_object_set_new(o, "actions", aa);
	}
	json_t *sum = json_object();
	json_object_set_new(sum, "confirmed", json_integer((json_int_t)dg->nconfirmed));
	json_object_set_new(sum, "possible", json_integer((json_int_t)dg->npossible));
	json_object_set_new(o, "summary", sum);
	return o;
}

void report_json(FILE *out, const struct report_ctx *rc)
{
	json_t *o = report_json_build(rc);
	json_dumpf(o, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	fputc('\n', out);
	json_decref(o);
}

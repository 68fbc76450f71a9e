/*
 * test-rules.c - the rule language end to end below the diagnosis: parse a
 * small knowledge base, evaluate conditions three-valued over facts, count
 * the evidence, expand templates, and print conditions back.
 */
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#include "rules.h"

static const char kb_text[] =
	"app google_photos { name \"Google Photos\" android \"com.google.android.apps.photos\" ios \"com.google.photos\" }\n"
	"app samsung_gallery { name \"Samsung Gallery\" android \"com.sec.android.gallery3d\" }\n"
	"app icloud_photos { name \"iCloud Photos\" ios \"com.apple.mobileslideshow\" }\n"
	"fact device.platform string\n"
	"fact a.x bool\nfact a.y bool\nfact a.z bool\n"
	"fact storage.free bytes\nfact battery.level percent\nfact backup.last timestamp\n"
	"fact net.type string { ask \"Wi-Fi or mobile?\" answers \"wifi\" \"cellular\" }\n"
	"fact accounts.types list\nfact media.pending bytes\nfact host.upload_rate rate\n"
	"fact app.$.installed bool\nfact app.$.bucket int\nfact net.rssi int\n"
	"rule r-one {\n"
	"  title \"t\" group power platforms any weight 5 sources 000\n"
	"  when a.x and (a.y or not a.z)\n"
	"  cause \"c\" fix \"f\" { step \"s\" }\n"
	"}\n";

struct fixture {
	struct kb kb;
	struct facts facts;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct diags d;
	diags_init(&d);
	kb_init(&fx->kb);
	facts_init(&fx->facts);
	int r = rules_parse_text(&fx->kb, "mem.rules", kb_text, strlen(kb_text), &d);
	if (!r)
		r = rules_check(&fx->kb, &d);
	if (r)
		diags_print(&d, stderr);
	diags_release(&d);
	fx->facts.captured_at = 1795168800; /* 2026-11-20T10:00:00Z */
	*state = fx;
	return r;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	kb_release(&fx->kb);
	facts_release(&fx->facts);
	free(fx);
	return 0;
}

static void set_bool(struct facts *fs, const char *name, bool b)
{
	struct value v = { 0 };
	value_set_bool(&v, b);
	facts_set(fs, name, FACT_KNOWN, &v, "test", NULL, NULL);
	value_release(&v);
}

static void set_num(struct facts *fs, const char *name, enum vtype t, double n)
{
	struct value v = { 0 };
	value_set_num(&v, t, n);
	facts_set(fs, name, FACT_KNOWN, &v, "test", NULL, NULL);
	value_release(&v);
}

static void set_str(struct facts *fs, const char *name, const char *s)
{
	struct value v = { 0 };
	value_set_str(&v, s);
	facts_set(fs, name, FACT_KNOWN, &v, "test", NULL, NULL);
	value_release(&v);
}

/* Parse `cond` as the `when` of a throw-away rule in a copy of the fixture's kb text. */
static struct expr *parse_cond(struct kb *kb, const char *cond, bool per_app)
{
	char *text = xasprintf("%srule probe%s { title \"t\" group power platforms any weight 1 "
			       "sources 000 when %s cause \"c\" fix \"f\" { step \"s\" } }\n",
			       kb_text, per_app ? " for each app" : "", cond);
	struct diags d;
	diags_init(&d);
	kb_init(kb);
	int r = rules_parse_text(kb, "mem.rules", text, strlen(text), &d);
	if (!r)
		r = rules_check(kb, &d);
	if (r)
		diags_print(&d, stderr);
	assert_int_equal(r, 0);
	diags_release(&d);
	free(text);
	return kb->rules[kb->nrules - 1].when;
}

struct outcome {
	enum tv tv;
	int support;
	const char *unknown; /* comma-joined */
};

static struct outcome run(struct fixture *fx, const char *cond, const struct app *app)
{
	static char joined[256];
	struct kb kb;
	struct expr *e = parse_cond(&kb, cond, app != NULL);
	struct evalctx cx = { &kb, &fx->facts, PLAT_ANDROID, NULL };
	if (app)
		cx.app = kb_app(&kb, app->id);
	struct evalinfo info = { 0 };
	struct outcome o;
	o.tv = rules_eval(&cx, e, &info);
	o.support = info.support;
	joined[0] = '\0';
	for (size_t i = 0; i < info.unknown.n; i++) {
		size_t l = strlen(joined);
		snprintf(joined + l, sizeof(joined) - l, "%s%s", i ? "," : "", info.unknown.v[i]);
	}
	o.unknown = joined;
	evalinfo_release(&info);
	kb_release(&kb);
	return o;
}

static void test_three_valued(void **state)
{
	struct fixture *fx = *state;
	/* nothing known: everything unknown, never false */
	struct outcome o = run(fx, "a.x", NULL);
	assert_int_equal(o.tv, TV_UNKNOWN);
	assert_string_equal(o.unknown, "a.x");
	o = run(fx, "not a.x", NULL);
	assert_int_equal(o.tv, TV_UNKNOWN);

	set_bool(&fx->facts, "a.x", true);
	o = run(fx, "a.x and a.y", NULL);
	assert_int_equal(o.tv, TV_UNKNOWN);
	assert_int_equal(o.support, 1);        /* a.x observed, points to the cause */
	assert_string_equal(o.unknown, "a.y"); /* the question that would settle it */
	o = run(fx, "a.x or a.y", NULL);
	assert_int_equal(o.tv, TV_TRUE);
	assert_string_equal(o.unknown, "");    /* decided: nothing left to ask */

	set_bool(&fx->facts, "a.y", false);
	o = run(fx, "a.x and a.y", NULL);
	assert_int_equal(o.tv, TV_FALSE);
	o = run(fx, "a.y or a.z", NULL);
	assert_int_equal(o.tv, TV_UNKNOWN);
	assert_int_equal(o.support, 0);        /* a false test is no evidence */
	o = run(fx, "a.x and not a.y", NULL);
	assert_int_equal(o.tv, TV_TRUE);
	assert_int_equal(o.support, 2);        /* a false test under 'not' is evidence */
	o = run(fx, "not (a.y or a.z)", NULL);
	assert_int_equal(o.tv, TV_UNKNOWN);
	assert_int_equal(o.support, 1);
	assert_string_equal(o.unknown, "a.z");
	o = run(fx, "a.z is unknown and a.x is known", NULL);
	assert_int_equal(o.tv, TV_TRUE);
	assert_int_equal(o.support, 0);        /* knowing is not evidence */
}

static void test_comparisons(void **state)
{
	struct fixture *fx = *state;
	set_num(&fx->facts, "storage.free", VT_BYTES, 0.8e9);
	set_num(&fx->facts, "battery.level", VT_PERCENT, 15);
	set_str(&fx->facts, "net.type", "cellular");
	assert_int_equal(run(fx, "storage.free < 1 GB", NULL).tv, TV_TRUE);
	assert_int_equal(run(fx, "storage.free >= 800 MB", NULL).tv, TV_TRUE);
	assert_int_equal(run(fx, "storage.free > 1GB", NULL).tv, TV_FALSE);
	assert_int_equal(run(fx, "battery.level <= 15%", NULL).tv, TV_TRUE);
	assert_int_equal(run(fx, "battery.level != 15%", NULL).tv, TV_FALSE);
	assert_int_equal(run(fx, "net.type == \"cellular\"", NULL).tv, TV_TRUE);
	assert_int_equal(run(fx, "net.type in [\"wifi\"]", NULL).tv, TV_FALSE);
	assert_int_equal(run(fx, "net.type in [\"wifi\", \"cellular\"]", NULL).tv, TV_TRUE);
	/* negative numbers: Wi-Fi signal in dBm */
	set_num(&fx->facts, "net.rssi", VT_INT, -85);
	assert_int_equal(run(fx, "net.rssi <= -80", NULL).tv, TV_TRUE);
	assert_int_equal(run(fx, "net.rssi > -80", NULL).tv, TV_FALSE);
}

static void test_functions(void **state)
{
	struct fixture *fx = *state;
	struct value v = { 0 };
	v.type = VT_LIST;
	strlist_push(&v.l, "com.google");
	strlist_push(&v.l, "com.google");
	strlist_push(&v.l, "com.microsoft");
	facts_set(&fx->facts, "accounts.types", FACT_KNOWN, &v, NULL, NULL, NULL);
	value_release(&v);
	assert_int_equal(run(fx, "accounts.types contains \"com.microsoft\"", NULL).tv, TV_TRUE);
	assert_int_equal(run(fx, "accounts.types contains \"com.dropbox\"", NULL).tv, TV_FALSE);
	assert_int_equal(run(fx, "count(accounts.types) > 2", NULL).tv, TV_TRUE);

	set_num(&fx->facts, "backup.last", VT_TIMESTAMP, 1795168800 - 3 * 86400);
	assert_int_equal(run(fx, "age(backup.last) > 2 days", NULL).tv, TV_TRUE);
	assert_int_equal(run(fx, "age(backup.last) > 4 days", NULL).tv, TV_FALSE);

	/* 10 GB at 8 Mbps: 10e9 * 8 / 8e6 = 10000 s, about 2.8 hours */
	set_num(&fx->facts, "media.pending", VT_BYTES, 10e9);
	assert_int_equal(run(fx, "transfer_time(media.pending, host.upload_rate) > 1 hour", NULL).tv,
			 TV_UNKNOWN);
	set_num(&fx->facts, "host.upload_rate", VT_RATE, 8e6);
	assert_int_equal(run(fx, "transfer_time(media.pending, host.upload_rate) > 2 hours", NULL).tv,
			 TV_TRUE);
	assert_int_equal(run(fx, "transfer_time(media.pending, host.upload_rate) > 3 hours", NULL).tv,
			 TV_FALSE);

	/* apps(): only apps this platform can have, only where the test holds */
	set_bool(&fx->facts, "app.google_photos.installed", true);
	set_bool(&fx->facts, "app.samsung_gallery.installed", true);
	set_bool(&fx->facts, "app.icloud_photos.installed", true); /* not on android */
	assert_int_equal(run(fx, "count(apps(app.$.installed)) == 2", NULL).tv, TV_TRUE);
	set_bool(&fx->facts, "app.samsung_gallery.installed", false);
	assert_int_equal(run(fx, "count(apps(app.$.installed)) == 1", NULL).tv, TV_TRUE);
}

static void test_per_app(void **state)
{
	struct fixture *fx = *state;
	const struct app *gp = kb_app(&fx->kb, "google_photos");
	assert_non_null(gp);
	set_num(&fx->facts, "app.google_photos.bucket", VT_INT, 45);
	struct outcome o = run(fx, "app.$.installed and app.$.bucket >= 40", gp);
	assert_int_equal(o.tv, TV_UNKNOWN);
	assert_string_equal(o.unknown, "app.google_photos.installed");
	assert_int_equal(o.support, 1);
	assert_int_equal(run(fx, "$package == \"com.google.android.apps.photos\"", gp).tv, TV_TRUE);
	assert_int_equal(run(fx, "$app == \"Google Photos\" and $app_id == \"google_photos\"", gp).tv,
			 TV_TRUE);

	/* a test that reads no fact observes nothing: it is never evidence */
	o = run(fx, "$app_id == \"google_photos\" and app.$.installed", gp);
	assert_int_equal(o.tv, TV_UNKNOWN);
	assert_int_equal(o.support, 0);

	const char *app_id = NULL;
	const struct factdecl *fd = kb_decl(&fx->kb, "app.samsung_gallery.bucket", &app_id);
	assert_non_null(fd);
	assert_string_equal(fd->name, "app.$.bucket");
	assert_string_equal(app_id, "samsung_gallery");
	assert_null(kb_decl(&fx->kb, "app.nosuchapp.bucket", NULL));
	assert_null(kb_decl(&fx->kb, "app.google_photos.nosuchfact", NULL));

	struct evalctx cx = { &fx->kb, &fx->facts, PLAT_ANDROID, gp };
	char *n = rules_fact_name(&cx, "app.$.bucket");
	assert_string_equal(n, "app.google_photos.bucket");
	free(n);
}

static void test_templates(void **state)
{
	struct fixture *fx = *state;
	struct kb kb;
	kb_init(&kb);
	char *text = xasprintf("%srule t-one for each app { title \"{$app}: {{literal}} {storage.free}\" "
			       "group power platforms any weight 1 sources 000 when a.x "
			       "cause \"free {storage.free}, low {battery.level < 20%%}\" "
			       "fix \"f\" { step \"s\" } }\n", kb_text);
	struct diags d;
	diags_init(&d);
	assert_int_equal(rules_parse_text(&kb, "mem.rules", text, strlen(text), &d), 0);
	assert_int_equal(rules_check(&kb, &d), 0);
	const struct rule *r = kb_rule(&kb, "t-one");
	struct evalctx cx = { &kb, &fx->facts, PLAT_ANDROID, kb_app(&kb, "google_photos") };

	assert_null(rules_expand(&cx, &r->title)); /* storage.free unknown */
	char *s = rules_expand_always(&cx, &r->title);
	assert_string_equal(s, "Google Photos: {literal} unknown");
	free(s);
	set_num(&fx->facts, "storage.free", VT_BYTES, 1.25e9);
	set_num(&fx->facts, "battery.level", VT_PERCENT, 12);
	s = rules_expand(&cx, &r->cause);
	assert_string_equal(s, "free 1.2 GB, low yes");
	free(s);
	struct strlist names = STRLIST_INIT;
	rules_template_facts(&cx, &r->cause, &names);
	assert_int_equal(names.n, 2);
	assert_string_equal(names.v[0], "storage.free");
	assert_string_equal(names.v[1], "battery.level");
	strlist_release(&names);
	diags_release(&d);
	kb_release(&kb);
	free(text);
}

static void test_print(void **state)
{
	(void)state;
	static const char *const cases[][2] = {
		{ "a.x and (a.y or not a.z)", "a.x and (a.y or not a.z)" },
		{ "a.x or a.y and a.z", "a.x or a.y and a.z" },
		{ "storage.free < 1GB", "storage.free < 1 GB" },
		{ "battery.level<=20%", "battery.level <= 20%" },
		{ "age(backup.last) > 7 days", "age(backup.last) > 7 days" },
		{ "net.type in [\"wifi\",\"cellular\"]", "net.type in [\"wifi\", \"cellular\"]" },
		{ "count(apps(app.$.installed)) > 1", "count(apps(app.$.installed)) > 1" },
		{ "a.x is known", "a.x is known" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct kb kb;
		struct expr *e = parse_cond(&kb, cases[i][0], false);
		char *s = rules_expr_format(e);
		assert_string_equal(s, cases[i][1]);
		free(s);
		kb_release(&kb);
	}
}

static void test_missing_clauses(void **state)
{
	(void)state;
	/* every missing clause is reported, each at the rule's id */
	const char *text = "fact a.b bool\nrule x {\n  title \"t\"\n  when a.b\n}\n";
	struct kb kb;
	struct diags d;
	kb_init(&kb);
	diags_init(&d);
	assert_int_equal(rules_parse_text(&kb, "pos.rules", text, strlen(text), &d), -1);
	static const char *const missing[] = { "group", "platforms", "weight", "sources",
					       "cause", "fix" };
	assert_int_equal(d.errors, 6);
	for (size_t i = 0; i < 6; i++) {
		char *want = xasprintf("rule 'x' has no '%s'", missing[i]);
		assert_int_equal(d.v[i].line, 2);
		assert_int_equal(d.v[i].col, 6);
		assert_string_equal(d.v[i].msg, want);
		free(want);
	}
	assert_int_equal(kb.nrules, 0); /* a broken rule is not kept */
	diags_release(&d);
	kb_release(&kb);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_three_valued, setup, teardown),
		cmocka_unit_test_setup_teardown(test_comparisons, setup, teardown),
		cmocka_unit_test_setup_teardown(test_functions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_per_app, setup, teardown),
		cmocka_unit_test_setup_teardown(test_templates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_print, setup, teardown),
		cmocka_unit_test_setup_teardown(test_missing_clauses, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

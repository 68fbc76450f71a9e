/*
 * test-diagnose.c - from facts to ranked findings: confirmed before
 * possible, then weight, then evidence; questions for what only a person
 * knows; ruled-out causes kept; answers checked against the declarations.
 */
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#include "diagnose.h"

static const char kb_text[] =
	"app google_photos { name \"Google Photos\" android \"com.google.android.apps.photos\" ios \"com.google.photos\" }\n"
	"app onedrive { name \"OneDrive\" android \"com.microsoft.skydrive\" ios \"com.microsoft.skydrive\" }\n"
	"app icloud_photos { name \"iCloud Photos\" ios \"com.apple.mobileslideshow\" }\n"
	"fact device.platform string\n"
	"fact power.saver bool { ask \"Is Low Power Mode on?\" platforms ios }\n"
	"fact storage.free bytes\n"
	"fact cloud.full bool { ask \"Is the cloud storage full?\" }\n"
	"fact net.metered bool\n"
	"fact net.kind string { ask \"Which network?\" answers \"wifi\" \"cellular\" }\n"
	"fact app.$.in_use bool { ask \"Do you use {$app} for photo backup?\" }\n"
	"fact app.$.bucket int\n"
	"fact app.$.waits_wifi bool\n"
	"rule saver { title \"Saver on\" group power platforms any weight 80 sources 000\n"
	"  when power.saver cause \"c\" evidence \"saver is {power.saver}\"\n"
	"  fix \"off\" { step android \"android off\" step ios \"ios off\" action android \"settings put global low_power 0\" } }\n"
	"rule full-phone { title \"Phone full\" group storage platforms any weight 60 sources 001\n"
	"  when storage.free < 1 GB cause \"c\" evidence \"only {storage.free} free\" fix \"free\" { step \"delete\" } }\n"
	"rule quota { title \"Cloud full\" group storage platforms any weight 90 sources 002\n"
	"  when cloud.full cause \"c\" fix \"buy\" { step \"buy space\" } }\n"
	"rule restricted for each app { title \"{$app} restricted\" group permissions platforms android weight 50 sources 001\n"
	"  require app.$.in_use when app.$.bucket >= 40 cause \"c\" evidence \"bucket {app.$.bucket}\"\n"
	"  fix \"allow\" { step app google_photos \"gp step\" step app onedrive \"od step\" step \"all\" } }\n"
	"rule icloud-off { title \"t\" group settings platforms any weight 40 sources 000\n"
	"  when not app.icloud_photos.in_use cause \"c\" fix \"f\" { step \"s\" } }\n"
	"rule wifi-wait for each app { title \"waits\" group network platforms android weight 70 sources 000\n"
	"  require app.$.in_use when app.$.waits_wifi and net.metered cause \"c\" fix \"wifi\" { step \"join wifi\" } }\n";

struct fixture {
	struct kb kb;
	struct facts facts;
	struct diagnosis dg;
};

static int setup(void **state)
{
	struct fixture *fx = calloc(1, sizeof(*fx));
	struct diags d;
	diags_init(&d);
	int r = rules_parse_text(&fx->kb, "mem.rules", kb_text, strlen(kb_text), &d);
	if (!r)
		r = rules_check(&fx->kb, &d);
	diags_print(&d, stderr);
	diags_release(&d);
	*state = fx;
	return r;
}

static int teardown(void **state)
{
	struct fixture *fx = *state;
	diagnosis_release(&fx->dg);
	facts_release(&fx->facts);
	kb_release(&fx->kb);
	free(fx);
	return 0;
}

static void put(struct fixture *fx, const char *assignment)
{
	/* test data goes in through the same typed parser as answers */
	const char *eq = strchr(assignment, '=');
	char *name = xstrndup(assignment, (size_t)(eq - assignment));
	const struct factdecl *fd = kb_decl(&fx->kb, name, NULL);
	assert_non_null(fd);
	struct value v;
	char *cause = NULL;
	assert_int_equal(value_parse_answer(fd->type, eq + 1, &v, &cause), 0);
	facts_set(&fx->facts, name, FACT_KNOWN, &v, "probe", eq + 1, NULL);
	value_release(&v);
	free(name);
}

static void run(struct fixture *fx)
{
	diagnosis_release(&fx->dg);
	diagnose(&fx->kb, &fx->facts, &fx->dg);
}

static const struct finding *finding(struct fixture *fx, size_t i)
{
	assert_true(i < fx->dg.nfindings);
	return &fx->dg.findings[i];
}

static void test_healthy_is_quiet(void **state)
{
	struct fixture *fx = *state;
	put(fx, "device.platform=android");
	put(fx, "power.saver=no");
	put(fx, "storage.free=40GB");
	put(fx, "net.metered=no");
	put(fx, "app.google_photos.in_use=yes");
	put(fx, "app.google_photos.bucket=10");
	put(fx, "app.google_photos.waits_wifi=yes"); /* waiting for Wi-Fi while on Wi-Fi: normal */
	put(fx, "app.onedrive.in_use=no");
	put(fx, "app.onedrive.bucket=45");            /* unused app: not a finding */
	run(fx);
	assert_int_equal(fx->dg.nfindings, 0);
	/* what only the person can tell is still listed */
	assert_int_equal(fx->dg.nquestions, 1);
	assert_string_equal(fx->dg.questions[0].fact, "cloud.full");
	assert_string_equal(fx->dg.questions[0].causes.v[0], "quota");
	assert_int_equal(fx->dg.nruled_out, 4); /* saver, full-phone, restricted:gp, wifi-wait:gp */
}

static void test_ranking(void **state)
{
	struct fixture *fx = *state;
	put(fx, "device.platform=android");
	put(fx, "power.saver=yes");                 /* weight 80, confirmed */
	put(fx, "storage.free=200MB");              /* weight 60, confirmed */
	put(fx, "app.google_photos.bucket=45");     /* weight 50, in_use unknown: possible */
	put(fx, "app.onedrive.in_use=yes");
	put(fx, "app.onedrive.waits_wifi=yes");     /* weight 70, metered unknown: possible */
	run(fx);
	assert_int_equal(fx->dg.nfindings, 4);
	assert_int_equal(fx->dg.nconfirmed, 2);
	assert_int_equal(fx->dg.npossible, 2);
	assert_string_equal(finding(fx, 0)->rule->id, "saver");
	assert_int_equal(finding(fx, 0)->status, FINDING_CONFIRMED);
	assert_string_equal(finding(fx, 1)->rule->id, "full-phone");
	/* possible after every confirmed one, even with a higher weight */
	assert_string_equal(finding(fx, 2)->rule->id, "wifi-wait");
	assert_int_equal(finding(fx, 2)->status, FINDING_POSSIBLE);
	assert_string_equal(finding(fx, 2)->app->id, "onedrive");
	assert_string_equal(finding(fx, 3)->rule->id, "restricted");
	assert_string_equal(finding(fx, 3)->app->id, "google_photos");
	assert_true(finding(fx, 0)->score > finding(fx, 1)->score);

	/* the possible one names the question that settles it */
	assert_int_equal(finding(fx, 3)->questions.n, 1);
	assert_string_equal(finding(fx, 3)->questions.v[0], "app.google_photos.in_use");
	/* net.metered is unknown but nobody can be asked: listed as unknown only */
	assert_int_equal(finding(fx, 2)->questions.n, 0);
	assert_string_equal(finding(fx, 2)->unknown.v[0], "net.metered");

	/* evidence quotes the value and cites where it came from */
	const struct finding *f = finding(fx, 1);
	assert_int_equal(f->nevidence, 1);
	assert_string_equal(f->evidence[0].text, "only 200 MB free");
	assert_string_equal(f->evidence[0].facts[0].name, "storage.free");
	assert_string_equal(f->evidence[0].facts[0].source, "probe");
	assert_string_equal(f->evidence[0].facts[0].raw, "200MB");

	/* per-platform steps and the action, expanded for this phone */
	f = finding(fx, 0);
	assert_int_equal(f->fixes[0].steps.n, 1);
	assert_string_equal(f->fixes[0].steps.v[0], "android off");
	assert_string_equal(f->fixes[0].action, "settings put global low_power 0");
	/* per-app steps: this app's, plus the ones for every app */
	f = finding(fx, 3);
	assert_int_equal(f->fixes[0].steps.n, 2);
	assert_string_equal(f->fixes[0].steps.v[0], "gp step");
	assert_string_equal(f->fixes[0].steps.v[1], "all");
	assert_string_equal(f->title, "Google Photos restricted");
}

static void test_answers_settle(void **state)
{
	struct fixture *fx = *state;
	put(fx, "device.platform=android");
	put(fx, "app.google_photos.bucket=45");
	char *cause = NULL;
	assert_int_equal(diagnose_answer(&fx->kb, &fx->facts, "app.google_photos.in_use=yes",
					 "answer", &cause), 0);
	assert_int_equal(diagnose_answer(&fx->kb, &fx->facts, "cloud.full = yes", "answer", &cause), 0);
	run(fx);
	assert_int_equal(fx->dg.nconfirmed, 2);
	assert_string_equal(finding(fx, 0)->rule->id, "quota");
	assert_string_equal(finding(fx, 1)->rule->id, "restricted");
	const struct fact *fa = facts_get(&fx->facts, "cloud.full");
	assert_int_equal(fa->state, FACT_ANSWERED);

	/* "don't know" leaves the fact unknown, never false */
	assert_int_equal(diagnose_answer(&fx->kb, &fx->facts, "cloud.full=dont-know", "answer", &cause), 0);
	run(fx);
	assert_int_equal(fx->dg.nconfirmed, 1);
	assert_int_equal(facts_get(&fx->facts, "cloud.full")->state, FACT_UNKNOWN);
}

static void test_answer_errors(void **state)
{
	struct fixture *fx = *state;
	static const char *const cases[][2] = {
		{ "cloud.full", "'cloud.full' is not FACT=VALUE" },
		{ "=yes", "'=yes' is not FACT=VALUE" },
		{ "no.such=yes", "unknown fact 'no.such'" },
		{ "storage.free=2GB", "'storage.free' is read from the phone, not asked" },
		{ "cloud.full=maybe", "cloud.full: 'maybe' is not an answer to a yes/no question (yes, no or unknown)" },
		{ "net.kind=satellite", "net.kind: 'satellite' is not one of: wifi, cellular" },
		{ "app.dropbox.in_use=yes", "unknown fact 'app.dropbox.in_use'" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		char *cause = NULL;
		assert_int_equal(diagnose_answer(&fx->kb, &fx->facts, cases[i][0], "answer", &cause), -1);
		assert_string_equal(cause, cases[i][1]);
		free(cause);
	}
	assert_int_equal(fx->facts.n, 0); /* nothing half-applied */
}

static void test_platform_filters(void **state)
{
	struct fixture *fx = *state;
	put(fx, "device.platform=ios");
	run(fx);
	/* on iOS the saver question is asked; android-only rules do not run */
	assert_int_equal(fx->dg.nfindings, 0);
	int saw_saver = 0;
	for (size_t i = 0; i < fx->dg.nquestions; i++) {
		for (size_t k = 0; k < fx->dg.questions[i].causes.n; k++) /* no android-only rule */
			assert_null(strstr(fx->dg.questions[i].causes.v[k], "restricted"));
		saw_saver |= !strcmp(fx->dg.questions[i].fact, "power.saver");
	}
	assert_true(saw_saver);
	/* quota (weight 90) is asked before the saver (weight 80) */
	assert_string_equal(fx->dg.questions[0].fact, "cloud.full");

	diagnosis_release(&fx->dg);
	facts_release(&fx->facts);
	put(fx, "device.platform=android");
	run(fx);
	for (size_t i = 0; i < fx->dg.nquestions; i++) {
		assert_string_not_equal(fx->dg.questions[i].fact, "power.saver"); /* ios-only question */
		/* nor about an app an Android phone cannot have */
		assert_string_not_equal(fx->dg.questions[i].fact, "app.icloud_photos.in_use");
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_healthy_is_quiet, setup, teardown),
		cmocka_unit_test_setup_teardown(test_ranking, setup, teardown),
		cmocka_unit_test_setup_teardown(test_answers_settle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_answer_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_platform_filters, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

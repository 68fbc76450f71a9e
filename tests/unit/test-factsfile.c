/*
 * test-factsfile.c - the JSON facts file (schema backupdoctor.facts/1):
 * every type, the shorthand form, provenance and states, and every error
 * factsfile_parse() can report, with its exact wording (messages are tested
 * output).  The facts are typed by a small knowledge base written inline.
 */
#include "unit.h"

#include <math.h>

#include "factsfile.h"
#include "rules.h"

#define NAME "facts.json"

static const char kb_text[] =
	"app google_photos {\n"
	"    name \"Google Photos\"\n"
	"    android \"com.google.android.apps.photos\"\n"
	"    ios \"com.google.photos\"\n"
	"}\n"
	"fact device.platform string\n"
	"fact device.model string\n"
	"fact power.battery_saver bool\n"
	"fact backup.pending int\n"
	"fact storage.free bytes\n"
	"fact battery.level percent\n"
	"fact backup.stalled_for duration\n"
	"fact backup.icloud_last timestamp\n"
	"fact accounts.names list\n"
	"fact net.bandwidth rate\n"
	"fact net.vpn bool\n"
	"fact cloud.storage_full bool { ask \"Is the cloud storage full?\" }\n"
	"fact app.$.installed bool\n";

struct fixture {
	struct kb kb;
	struct facts fs;
	struct diags d;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	if (!f)
		return -1;
	kb_init(&f->kb);
	facts_init(&f->fs);
	diags_init(&f->d);
	struct diags kd;
	diags_init(&kd);
	int ret = rules_parse_text(&f->kb, "inline.rules", kb_text, strlen(kb_text), &kd);
	if (!ret)
		ret = rules_check(&f->kb, &kd);
	if (ret || kd.n) {
		char *s = unit_diags_string(&kd);
		fprintf(stderr, "the test knowledge base does not load:\n%s", s);
		free(s);
		ret = -1;
	}
	diags_release(&kd);
	*state = f;
	return ret;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	kb_release(&f->kb);
	facts_release(&f->fs);
	diags_release(&f->d);
	free(f);
	return 0;
}

static int parse(struct fixture *f, const char *json)
{
	return factsfile_parse(&f->kb, NAME, json, strlen(json), &f->fs, &f->d);
}

/* Parse `json`; it must fail with exactly the diagnostics `want`. */
static void expect_errors(struct fixture *f, const char *json, const char *want)
{
	int ret = parse(f, json);
	char *out = unit_diags_string(&f->d);
	unit_assert_text(json, want, out);
	assert_int_equal(ret, -1);
	assert_true(f->d.errors > 0);
	free(out);
}

/* A facts file with one fact, `name`: `member` (an object or a shorthand value). */
static char *one_fact(const char *name, const char *member)
{
	return unit_concat("{\"schema\": \"backupdoctor.facts/1\", \"facts\": {\"", name, "\": ",
			   member, "}}", NULL);
}

static void expect_fact_error(struct fixture *f, const char *name, const char *member,
			      const char *msg)
{
	char *json = one_fact(name, member);
	char *want = unit_concat(NAME ": ", msg, "\n", NULL);
	expect_errors(f, json, want);
	free(want);
	free(json);
}

static const struct value *value_of(struct fixture *f, const char *name, enum vtype t)
{
	const struct value *v = facts_value(&f->fs, name);
	if (!v)
		print_error("no value for %s\n", name);
	assert_non_null(v);
	assert_int_equal(v->type, t);
	return v;
}

/* ---- what loads ---- */

static void test_every_type(void **state)
{
	struct fixture *f = *state;
	const char *json =
		"{\n"
		"  \"schema\": \"backupdoctor.facts/1\",\n"
		"  \"captured_at\": \"2026-11-20T10:00:00Z\",\n"
		"  \"facts\": {\n"
		"    \"power.battery_saver\":   {\"value\": true},\n"
		"    \"net.vpn\":               {\"value\": false},\n"
		"    \"backup.pending\":        {\"value\": 42},\n"
		"    \"storage.free\":          {\"value\": 1200000000},\n"
		"    \"battery.level\":         {\"value\": 15.5},\n"
		"    \"backup.stalled_for\":    {\"value\": 259200},\n"
		"    \"backup.icloud_last\":    {\"value\": \"2026-11-19T22:10:00Z\"},\n"
		"    \"device.model\":          {\"value\": \"Pixel 7\"},\n"
		"    \"accounts.names\":        {\"value\": [\"me@example.com\", \"work@example.com\"]},\n"
		"    \"net.bandwidth\":         {\"value\": 5000000},\n"
		"    \"app.google_photos.installed\": {\"value\": true}\n"
		"  }\n"
		"}\n";
	assert_int_equal(parse(f, json), 0);
	assert_int_equal(f->d.n, 0);
	assert_string_equal(f->fs.origin, NAME);
	assert_true(f->fs.captured_at == 1795168800.0); /* 2026-11-20T10:00:00Z */
	assert_int_equal(f->fs.n, 11);

	assert_true(value_of(f, "power.battery_saver", VT_BOOL)->b);
	assert_false(value_of(f, "net.vpn", VT_BOOL)->b);
	assert_true(value_of(f, "backup.pending", VT_INT)->n == 42);
	assert_true(value_of(f, "storage.free", VT_BYTES)->n == 1.2e9);
	assert_true(value_of(f, "battery.level", VT_PERCENT)->n == 15.5);
	assert_true(value_of(f, "backup.stalled_for", VT_DURATION)->n == 259200);
	assert_true(value_of(f, "backup.icloud_last", VT_TIMESTAMP)->n == 1795126200.0);
	assert_string_equal(value_of(f, "device.model", VT_STRING)->s, "Pixel 7");
	const struct value *l = value_of(f, "accounts.names", VT_LIST);
	assert_int_equal(l->l.n, 2);
	assert_string_equal(l->l.v[0], "me@example.com");
	assert_string_equal(l->l.v[1], "work@example.com");
	assert_true(value_of(f, "net.bandwidth", VT_RATE)->n == 5e6);
	assert_true(value_of(f, "app.google_photos.installed", VT_BOOL)->b);
	for (size_t i = 0; i < f->fs.n; i++)
		assert_int_equal(f->fs.v[i].state, FACT_KNOWN);
}

static void test_shorthand(void **state)
{
	struct fixture *f = *state;
	const char *json =
		"{\"schema\": \"backupdoctor.facts/1\", \"facts\": {"
		" \"power.battery_saver\": true,"
		" \"backup.pending\": 0,"
		" \"storage.free\": 2.5e9,"
		" \"battery.level\": 100,"
		" \"backup.stalled_for\": 60,"
		" \"backup.icloud_last\": \"2026-11-19\","
		" \"device.platform\": \"ios\","
		" \"accounts.names\": [],"
		" \"net.bandwidth\": 0,"
		" \"net.vpn\": null"
		"}}";
	assert_int_equal(parse(f, json), 0);
	assert_int_equal(f->d.n, 0);
	assert_true(f->fs.captured_at == 0); /* none given */
	assert_true(value_of(f, "power.battery_saver", VT_BOOL)->b);
	assert_true(value_of(f, "backup.pending", VT_INT)->n == 0);
	assert_true(value_of(f, "storage.free", VT_BYTES)->n == 2.5e9);
	assert_true(value_of(f, "battery.level", VT_PERCENT)->n == 100);
	assert_true(value_of(f, "backup.stalled_for", VT_DURATION)->n == 60);
	assert_true(value_of(f, "backup.icloud_last", VT_TIMESTAMP)->n == 1795046400.0);
	assert_string_equal(facts_string(&f->fs, "device.platform"), "ios");
	assert_int_equal(value_of(f, "accounts.names", VT_LIST)->l.n, 0);
	assert_true(value_of(f, "net.bandwidth", VT_RATE)->n == 0);
	/* a shorthand null is a fact that could not be read */
	const struct fact *vpn = facts_get(&f->fs, "net.vpn");
	assert_non_null(vpn);
	assert_int_equal(vpn->state, FACT_UNKNOWN);
	assert_null(facts_value(&f->fs, "net.vpn"));
}

static void test_provenance(void **state)
{
	struct fixture *f = *state;
	const char *json =
		"{\"schema\": \"backupdoctor.facts/1\", \"facts\": {"
		" \"device.model\": {\"value\": \"Pixel 7\", \"source\": \"getprop ro.product.model\","
		"                   \"raw\": \"Pixel 7\\n\", \"note\": \"from adb\"},"
		" \"power.battery_saver\": {\"value\": true, \"source\": \"settings get global low_power\","
		"                          \"raw\": \"1\", \"state\": \"known\"},"
		" \"storage.free\": {\"value\": 1, \"source\": null}"
		"}}";
	assert_int_equal(parse(f, json), 0);
	assert_int_equal(f->d.n, 0);
	const struct fact *m = facts_get(&f->fs, "device.model");
	assert_non_null(m);
	assert_string_equal(m->source, "getprop ro.product.model");
	assert_string_equal(m->raw, "Pixel 7\n");
	assert_string_equal(m->note, "from adb");
	const struct fact *b = facts_get(&f->fs, "power.battery_saver");
	assert_non_null(b);
	assert_string_equal(b->source, "settings get global low_power");
	assert_string_equal(b->raw, "1");
	assert_null(b->note);
	const struct fact *s = facts_get(&f->fs, "storage.free");
	assert_non_null(s);
	assert_null(s->source);
	assert_null(s->raw);
	assert_null(s->note);
}

static void test_states(void **state)
{
	struct fixture *f = *state;
	const char *json =
		"{\"schema\": \"backupdoctor.facts/1\", \"facts\": {"
		" \"power.battery_saver\": {\"value\": false},"
		" \"net.vpn\": {\"state\": \"unknown\", \"note\": \"dumpsys connectivity timed out\"},"
		" \"cloud.storage_full\": {\"value\": true, \"state\": \"answered\", \"source\": \"answer\"},"
		" \"storage.free\": {\"value\": null, \"state\": \"unknown\"},"
		" \"backup.pending\": {\"source\": \"dumpsys\"},"
		" \"device.model\": {\"value\": \"Pixel 7\", \"state\": \"known\"}"
		"}}";
	assert_int_equal(parse(f, json), 0);
	assert_int_equal(f->d.n, 0);

	assert_int_equal(facts_get(&f->fs, "power.battery_saver")->state, FACT_KNOWN);
	assert_false(value_of(f, "power.battery_saver", VT_BOOL)->b);

	const struct fact *vpn = facts_get(&f->fs, "net.vpn");
	assert_int_equal(vpn->state, FACT_UNKNOWN);
	assert_int_equal(vpn->v.type, VT_NONE);
	assert_string_equal(vpn->note, "dumpsys connectivity timed out");
	assert_null(facts_value(&f->fs, "net.vpn"));

	const struct fact *full = facts_get(&f->fs, "cloud.storage_full");
	assert_int_equal(full->state, FACT_ANSWERED);
	assert_string_equal(full->source, "answer");
	assert_true(value_of(f, "cloud.storage_full", VT_BOOL)->b);

	assert_int_equal(facts_get(&f->fs, "storage.free")->state, FACT_UNKNOWN);
	/* an object without a value and without a state: not known */
	const struct fact *pending = facts_get(&f->fs, "backup.pending");
	assert_int_equal(pending->state, FACT_UNKNOWN);
	assert_string_equal(pending->source, "dumpsys");

	assert_int_equal(facts_get(&f->fs, "device.model")->state, FACT_KNOWN);
}

static void test_unknown_fact_is_a_warning(void **state)
{
	struct fixture *f = *state;
	const char *json =
		"{\"schema\": \"backupdoctor.facts/1\", \"facts\": {"
		" \"power.battery_saver\": true,"
		" \"power.turbo\": {\"value\": 3},"
		" \"app.onedrive.installed\": true"
		"}}";
	assert_int_equal(parse(f, json), 0);
	char *out = unit_diags_string(&f->d);
	unit_assert_text(json,
		NAME ": warning: facts.\"power.turbo\": not a fact of this knowledge base, ignored\n"
		NAME ": warning: facts.\"app.onedrive.installed\": not a fact of this knowledge base, ignored\n",
		out);
	free(out);
	assert_int_equal(f->d.errors, 0);
	assert_int_equal(f->d.warnings, 2);
	assert_null(facts_get(&f->fs, "power.turbo"));
	assert_null(facts_get(&f->fs, "app.onedrive.installed"));
	assert_non_null(facts_value(&f->fs, "power.battery_saver"));
}

static void test_empty_facts(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(parse(f, "{\"schema\": \"backupdoctor.facts/1\", \"facts\": {}}"), 0);
	assert_int_equal(f->d.n, 0);
	assert_int_equal(f->fs.n, 0);
}

/* ---- errors of the file as a whole ---- */

static void test_invalid_json(void **state)
{
	struct fixture *f = *state;
	const char *json = "{\n  \"schema\": \"backupdoctor.facts/1\",\n  \"facts\": {,}\n}\n";
	assert_int_equal(parse(f, json), -1);
	assert_int_equal(f->d.errors, 1);
	const struct diag_item *it = &f->d.v[0];
	/* the place is jansson's: line 3, at or just after the stray comma */
	assert_int_equal(it->line, 3);
	assert_in_range(it->col, 13, 14);
	assert_string_equal(it->file, NAME);
	assert_true(!strncmp(it->msg, "not valid JSON: ", 16));
	char *out = unit_diags_string(&f->d);
	char *prefix = unit_concat(NAME ":3:", NULL);
	assert_true(!strncmp(out, prefix, strlen(prefix)));
	free(prefix);
	free(out);
}

static void test_invalid_json_empty(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(parse(f, ""), -1);
	assert_int_equal(f->d.errors, 1);
	assert_true(!strncmp(f->d.v[0].msg, "not valid JSON: ", 16));
}

static void test_duplicate_key(void **state)
{
	struct fixture *f = *state;
	const char *json = "{\"schema\": \"backupdoctor.facts/1\", \"facts\": {\n"
			   "\"net.vpn\": true,\n\"net.vpn\": false}}";
	assert_int_equal(parse(f, json), -1);
	assert_int_equal(f->d.errors, 1);
	assert_int_equal(f->d.v[0].line, 3);
	assert_non_null(strstr(f->d.v[0].msg, "duplicate"));
}

static void test_top_not_object(void **state)
{
	struct fixture *f = *state;
	expect_errors(f, "[{\"schema\": \"backupdoctor.facts/1\"}]",
		      NAME ": expected a JSON object at the top, found an array\n");
}

static void test_schema_missing(void **state)
{
	struct fixture *f = *state;
	expect_errors(f, "{\"facts\": {}}",
		      NAME ": schema: missing (a facts file says \"schema\": \"backupdoctor.facts/1\")\n");
}

static void test_schema_not_a_string(void **state)
{
	struct fixture *f = *state;
	expect_errors(f, "{\"schema\": 1, \"facts\": {}}",
		      NAME ": schema: missing (a facts file says \"schema\": \"backupdoctor.facts/1\")\n");
}

static void test_schema_wrong(void **state)
{
	struct fixture *f = *state;
	expect_errors(f, "{\"schema\": \"backupdoctor.facts/2\", \"facts\": {}}",
		      NAME ": schema: \"backupdoctor.facts/2\" is not \"backupdoctor.facts/1\"\n");
}

static void test_captured_at_bad(void **state)
{
	struct fixture *f = *state;
	static const char *const bad[] = { "\"yesterday\"", "\"2026-11-20T10:00:00+02:00\"",
					   "\"2026-13-45\"", "1795168800", "null" };
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		char *json = unit_concat("{\"schema\": \"backupdoctor.facts/1\", \"captured_at\": ",
					 bad[i], ", \"facts\": {}}", NULL);
		expect_errors(f, json,
			      NAME ": captured_at: expected an ISO 8601 UTC time such as "
			      "\"2026-11-20T10:00:00Z\"\n");
		free(json);
		diags_release(&f->d);
	}
}

static void test_facts_not_object(void **state)
{
	struct fixture *f = *state;
	expect_errors(f, "{\"schema\": \"backupdoctor.facts/1\", \"facts\": []}",
		      NAME ": facts: expected an object of facts, found an array\n");
	diags_release(&f->d);
	expect_errors(f, "{\"schema\": \"backupdoctor.facts/1\"}",
		      NAME ": facts: expected an object of facts, found nothing\n");
	diags_release(&f->d);
	expect_errors(f, "{\"schema\": \"backupdoctor.facts/1\", \"facts\": \"none\"}",
		      NAME ": facts: expected an object of facts, found a string\n");
	diags_release(&f->d);
	expect_errors(f, "{\"schema\": \"backupdoctor.facts/1\", \"facts\": null}",
		      NAME ": facts: expected an object of facts, found null\n");
}

/* ---- errors of one fact ---- */

static void test_unknown_member(void **state)
{
	expect_fact_error(*state, "power.battery_saver", "{\"value\": true, \"confidence\": 0.9}",
			  "facts.\"power.battery_saver\": unknown member \"confidence\" "
			  "(value, state, source, raw, note)");
}

static void test_member_not_string(void **state)
{
	struct fixture *f = *state;
	expect_fact_error(f, "power.battery_saver", "{\"value\": true, \"source\": 5}",
			  "facts.\"power.battery_saver\".source: expected a string, found a number");
	diags_release(&f->d);
	expect_fact_error(f, "power.battery_saver", "{\"value\": true, \"raw\": [\"1\"]}",
			  "facts.\"power.battery_saver\".raw: expected a string, found an array");
	diags_release(&f->d);
	expect_fact_error(f, "power.battery_saver", "{\"value\": true, \"note\": false}",
			  "facts.\"power.battery_saver\".note: expected a string, found true/false");
	diags_release(&f->d);
	expect_fact_error(f, "power.battery_saver", "{\"value\": true, \"state\": {}}",
			  "facts.\"power.battery_saver\".state: expected a string, found an object");
}

static void test_bad_state(void **state)
{
	expect_fact_error(*state, "power.battery_saver", "{\"value\": true, \"state\": \"maybe\"}",
			  "facts.\"power.battery_saver\".state: \"maybe\" is not known, answered or unknown");
}

static void test_state_without_value(void **state)
{
	struct fixture *f = *state;
	expect_fact_error(f, "power.battery_saver", "{\"state\": \"known\"}",
			  "facts.\"power.battery_saver\": state \"known\" needs a value");
	diags_release(&f->d);
	expect_fact_error(f, "cloud.storage_full", "{\"state\": \"answered\", \"value\": null}",
			  "facts.\"cloud.storage_full\": state \"answered\" needs a value");
}

static void test_unknown_with_value(void **state)
{
	expect_fact_error(*state, "net.vpn", "{\"state\": \"unknown\", \"value\": true}",
			  "facts.\"net.vpn\": an unknown fact has no value");
}

static void test_dollar_in_name(void **state)
{
	expect_fact_error(*state, "app.$.installed", "true",
			  "facts.\"app.$.installed\": name an app instead of '$'");
}

static void test_type_mismatch(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *fact, *member, *msg;
	} cases[] = {
		{ "power.battery_saver", "{\"value\": \"1\"}",
		  "facts.\"power.battery_saver\".value: expected true or false (bool), found a string" },
		{ "power.battery_saver", "1",
		  "facts.\"power.battery_saver\": expected true or false (bool), found a number" },
		{ "backup.pending", "{\"value\": \"12\"}",
		  "facts.\"backup.pending\".value: expected a number (int), found a string" },
		{ "storage.free", "{\"value\": true}",
		  "facts.\"storage.free\".value: expected a number of bytes (bytes), found true/false" },
		{ "storage.free", "\"1.2 GB\"",
		  "facts.\"storage.free\": expected a number of bytes (bytes), found a string" },
		{ "battery.level", "{\"value\": \"15%\"}",
		  "facts.\"battery.level\".value: expected a percentage from 0 to 100 (percent), found a string" },
		{ "backup.stalled_for", "{\"value\": []}",
		  "facts.\"backup.stalled_for\".value: expected a number of seconds (duration), found an array" },
		{ "backup.icloud_last", "{\"value\": 1795126200}",
		  "facts.\"backup.icloud_last\".value: expected an ISO 8601 UTC time such as "
		  "\"2026-11-20T10:00:00Z\" (timestamp), found a number" },
		{ "backup.icloud_last", "\"last night\"",
		  "facts.\"backup.icloud_last\": expected an ISO 8601 UTC time such as "
		  "\"2026-11-20T10:00:00Z\" (timestamp), found a string" },
		{ "device.model", "{\"value\": 7}",
		  "facts.\"device.model\".value: expected a string (string), found a number" },
		{ "accounts.names", "{\"value\": \"me@example.com\"}",
		  "facts.\"accounts.names\".value: expected an array of strings (list), found a string" },
		{ "accounts.names", "[\"me@example.com\", 2]",
		  "facts.\"accounts.names\": expected an array of strings (list), found an array" },
		{ "net.bandwidth", "{\"value\": {\"bps\": 5}}",
		  "facts.\"net.bandwidth\".value: expected bits per second (rate), found an object" },
		{ "app.google_photos.installed", "\"yes\"",
		  "facts.\"app.google_photos.installed\": expected true or false (bool), found a string" },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		expect_fact_error(f, cases[i].fact, cases[i].member, cases[i].msg);
		diags_release(&f->d);
	}
}

static void test_percent_out_of_range(void **state)
{
	struct fixture *f = *state;
	expect_fact_error(f, "battery.level", "{\"value\": 150}",
			  "facts.\"battery.level\".value: expected a percentage from 0 to 100 (percent), found a number");
	diags_release(&f->d);
	expect_fact_error(f, "battery.level", "-0.5",
			  "facts.\"battery.level\": expected a percentage from 0 to 100 (percent), found a number");
}

static void test_every_fact_error_reported(void **state)
{
	struct fixture *f = *state;
	const char *json =
		"{\"schema\": \"backupdoctor.facts/1\", \"facts\": {"
		" \"power.battery_saver\": \"on\","
		" \"storage.free\": 5,"
		" \"battery.level\": 101,"
		" \"power.turbo\": 1,"
		" \"net.vpn\": {\"state\": \"gone\"}"
		"}}";
	expect_errors(f, json,
		NAME ": facts.\"power.battery_saver\": expected true or false (bool), found a string\n"
		NAME ": facts.\"battery.level\": expected a percentage from 0 to 100 (percent), found a number\n"
		NAME ": warning: facts.\"power.turbo\": not a fact of this knowledge base, ignored\n"
		NAME ": facts.\"net.vpn\".state: \"gone\" is not known, answered or unknown\n");
	assert_int_equal(f->d.errors, 3);
	assert_int_equal(f->d.warnings, 1);
	/* the good fact between them is still read */
	assert_true(value_of(f, "storage.free", VT_BYTES)->n == 5);
}

/* ---- the way back, and the file wrapper ---- */

/* What loads, written out with factsfile_json(), loads again the same. */
static void test_round_trip(void **state)
{
	struct fixture *f = *state;
	const char *json =
		"{\"schema\": \"backupdoctor.facts/1\", \"captured_at\": \"2026-11-20T10:00:00Z\","
		" \"facts\": {"
		" \"power.battery_saver\": {\"value\": true, \"source\": \"settings\", \"raw\": \"1\"},"
		" \"backup.pending\": -3,"
		" \"storage.free\": 1.5,"
		" \"backup.icloud_last\": \"2026-11-19T22:10:00Z\","
		" \"accounts.names\": [\"a\", \"b\"],"
		" \"net.vpn\": {\"state\": \"unknown\", \"note\": \"timed out\"},"
		" \"cloud.storage_full\": {\"value\": false, \"state\": \"answered\"}"
		"}}";
	assert_int_equal(parse(f, json), 0);
	json_t *j = factsfile_json(&f->fs);
	char *text = json_dumps(j, JSON_COMPACT);
	json_decref(j);
	assert_non_null(text);

	struct facts again;
	struct diags d;
	facts_init(&again);
	diags_init(&d);
	assert_int_equal(factsfile_parse(&f->kb, "again.json", text, strlen(text), &again, &d), 0);
	assert_int_equal(d.n, 0);
	assert_true(again.captured_at == f->fs.captured_at);
	assert_int_equal(again.n, f->fs.n);
	for (size_t i = 0; i < f->fs.n; i++) {
		const struct fact *a = &f->fs.v[i], *b = &again.v[i];
		assert_string_equal(a->name, b->name);
		assert_int_equal(a->state, b->state);
		assert_int_equal(a->v.type, b->v.type);
		if (a->v.type != VT_NONE)
			assert_true(value_equal(&a->v, &b->v));
		assert_true((a->source == NULL) == (b->source == NULL));
		assert_true((a->note == NULL) == (b->note == NULL));
	}
	facts_release(&again);
	diags_release(&d);
	free(text);
}

static void test_load_missing_file(void **state)
{
	struct fixture *f = *state;
	assert_int_equal(factsfile_load(&f->kb, "/nonexistent/facts.json", &f->fs, &f->d), -1);
	char *out = unit_diags_string(&f->d);
	unit_assert_text("factsfile_load", "/nonexistent/facts.json: cannot open: No such file or directory\n",
			 out);
	free(out);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_every_type),
		T(test_shorthand),
		T(test_provenance),
		T(test_states),
		T(test_unknown_fact_is_a_warning),
		T(test_empty_facts),
		T(test_invalid_json),
		T(test_invalid_json_empty),
		T(test_duplicate_key),
		T(test_top_not_object),
		T(test_schema_missing),
		T(test_schema_not_a_string),
		T(test_schema_wrong),
		T(test_captured_at_bad),
		T(test_facts_not_object),
		T(test_unknown_member),
		T(test_member_not_string),
		T(test_bad_state),
		T(test_state_without_value),
		T(test_unknown_with_value),
		T(test_dollar_in_name),
		T(test_type_mismatch),
		T(test_percent_out_of_range),
		T(test_every_fact_error_reported),
		T(test_round_trip),
		T(test_load_missing_file),
	};
	return cmocka_run_group_tests_name("factsfile", tests, NULL, NULL) ? 1 : 0;
}

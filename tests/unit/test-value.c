/* test-value.c - typed values: units, formatting for people, answers, timestamps. */
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#include "value.h"

static void expect_format(const struct value *v, const char *want)
{
	char *s = value_format(v);
	assert_string_equal(s, want);
	free(s);
}

static void test_units(void **state)
{
	(void)state;
	enum vtype t;
	double f;
	assert_true(unit_lookup("GB", &t, &f));
	assert_int_equal(t, VT_BYTES);
	assert_true(f == 1e9);
	assert_true(unit_lookup("days", &t, &f));
	assert_int_equal(t, VT_DURATION);
	assert_true(f == 86400);
	assert_true(unit_lookup("Mbps", &t, &f));
	assert_int_equal(t, VT_RATE);
	assert_true(unit_lookup("%", &t, &f));
	assert_int_equal(t, VT_PERCENT);
	assert_false(unit_lookup("gb", &t, &f)); /* units are case-sensitive: Mb vs MB matters */
	assert_false(unit_lookup("parsecs", &t, &f));
}

static void test_format(void **state)
{
	(void)state;
	struct value v = { 0 };
	value_set_num(&v, VT_BYTES, 12.34e9);
	expect_format(&v, "12.3 GB");
	value_set_num(&v, VT_BYTES, 512);
	expect_format(&v, "512 B");
	value_set_num(&v, VT_PERCENT, 15);
	expect_format(&v, "15%");
	value_set_num(&v, VT_DURATION, 3 * 86400 + 4 * 3600);
	expect_format(&v, "3 days 4 hours");
	value_set_num(&v, VT_DURATION, 3600);
	expect_format(&v, "1 hour");
	value_set_num(&v, VT_DURATION, 90);
	expect_format(&v, "1 min");
	value_set_num(&v, VT_RATE, 2.5e6);
	expect_format(&v, "2.5 Mbps");
	value_set_num(&v, VT_TIMESTAMP, 1763632800); /* 2025-11-20 10:00 UTC */
	expect_format(&v, "2025-11-20 10:00 UTC");
	value_set_bool(&v, true);
	expect_format(&v, "yes");
	value_set_str(&v, "wifi");
	expect_format(&v, "wifi");
	value_release(&v);
	v.type = VT_LIST;
	expect_format(&v, "none");
	strlist_push(&v.l, "com.google");
	strlist_push(&v.l, "com.microsoft");
	expect_format(&v, "com.google, com.microsoft");
	value_release(&v);
	expect_format(&v, "unknown");
}

static void test_answers(void **state)
{
	(void)state;
	struct value v;
	char *cause = NULL;
	assert_int_equal(value_parse_answer(VT_BOOL, " Yes ", &v, &cause), 0);
	assert_true(v.type == VT_BOOL && v.b);
	assert_int_equal(value_parse_answer(VT_BOOL, "no", &v, &cause), 0);
	assert_true(v.type == VT_BOOL && !v.b);
	assert_int_equal(value_parse_answer(VT_BOOL, "don't know", &v, &cause), 1);
	assert_int_equal(value_parse_answer(VT_BOOL, "unknown", &v, &cause), 1);
	assert_int_equal(value_parse_answer(VT_BOOL, "perhaps", &v, &cause), -1);
	assert_string_equal(cause, "'perhaps' is not an answer to a yes/no question (yes, no or unknown)");
	free(cause);

	assert_int_equal(value_parse_answer(VT_BYTES, "2GB", &v, &cause), 0);
	assert_true(v.type == VT_BYTES && v.n == 2e9);
	assert_int_equal(value_parse_answer(VT_BYTES, "1.5 TB", &v, &cause), 0);
	assert_true(v.n == 1.5e12);
	assert_int_equal(value_parse_answer(VT_BYTES, "200", &v, &cause), -1);
	assert_string_equal(cause, "'200' needs a unit (B, KB, MB, GB, TB)");
	free(cause);
	assert_int_equal(value_parse_answer(VT_BYTES, "2 days", &v, &cause), -1);
	assert_string_equal(cause, "'days' is not a unit of bytes");
	free(cause);
	assert_int_equal(value_parse_answer(VT_PERCENT, "80%", &v, &cause), 0);
	assert_true(v.type == VT_PERCENT && v.n == 80);
	assert_int_equal(value_parse_answer(VT_PERCENT, "80", &v, &cause), 0);
	assert_int_equal(value_parse_answer(VT_DURATION, "3 days", &v, &cause), 0);
	assert_true(v.n == 3 * 86400);
	assert_int_equal(value_parse_answer(VT_RATE, "5Mbps", &v, &cause), 0);
	assert_true(v.n == 5e6);
	assert_int_equal(value_parse_answer(VT_INT, "abc", &v, &cause), -1);
	assert_string_equal(cause, "'abc' is not a number");
	free(cause);
	assert_int_equal(value_parse_answer(VT_TIMESTAMP, "2026-11-20", &v, &cause), 0);
	assert_int_equal(value_parse_answer(VT_TIMESTAMP, "20/11/2026", &v, &cause), -1);
	free(cause);
	assert_int_equal(value_parse_answer(VT_STRING, "wifi-only", &v, &cause), 0);
	assert_string_equal(v.s, "wifi-only");
	value_release(&v);
	assert_int_equal(value_parse_answer(VT_LIST, "a, b ,c", &v, &cause), 0);
	assert_int_equal(v.l.n, 3);
	assert_string_equal(v.l.v[1], "b");
	value_release(&v);
}

static void test_timestamps(void **state)
{
	(void)state;
	double t;
	assert_int_equal(timestamp_parse("2026-11-20T10:00:00Z", &t), 0);
	assert_true(t == 1795168800);
	assert_int_equal(timestamp_parse("2026-11-20T10:00:00.123Z", &t), 0);
	assert_int_equal(timestamp_parse("2026-11-20T10:00:00+00:00", &t), 0);
	assert_int_equal(timestamp_parse("2026-11-20", &t), 0);
	assert_true(t == 1795132800);
	assert_int_equal(timestamp_parse("2026-11-20T10:00:00+02:00", &t), -1); /* UTC only */
	assert_int_equal(timestamp_parse("yesterday", &t), -1);
	assert_int_equal(timestamp_parse("2026-11-20Tgarbage", &t), -1);
	char *s = timestamp_format_iso(1795168800);
	assert_string_equal(s, "2026-11-20T10:00:00Z");
	free(s);
}

static void test_compare(void **state)
{
	(void)state;
	struct value a = { 0 }, b = { 0 };
	value_set_num(&a, VT_BYTES, 1e9);
	value_set_num(&b, VT_BYTES, 2e9);
	assert_true(value_compare(&a, &b) < 0);
	assert_false(value_equal(&a, &b));
	value_set_str(&a, "wifi");
	value_set_str(&b, "wifi");
	assert_true(value_equal(&a, &b));
	value_set_bool(&a, true);
	value_set_bool(&b, false);
	assert_true(value_compare(&a, &b) > 0);
	value_release(&a);
	value_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_units),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_answers),
		cmocka_unit_test(test_timestamps),
		cmocka_unit_test(test_compare),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

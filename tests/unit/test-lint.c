/*
 * test-lint.c - the loader's diagnostics as tested output.
 *
 * Data-driven: every tests/unit/lint/NAME.rules is one case, parsed with
 * rules_parse_text() (and checked with rules_check() when it parsed
 * cleanly); what diags_print() writes must equal tests/unit/lint/NAME.err
 * byte for byte.  Every directory tests/unit/lint-dirs/NAME/ (or a lone
 * tests/unit/lint-dirs/NAME.err, for a directory that must not exist) is
 * one case for rules_load_dir().  Cases named ok-* must load without an
 * error; every other case must fail (-1), so an .err file cannot silently
 * turn empty.  Adding a case means adding files; UPDATE=1 writes the .err
 * files instead of comparing them (read them before committing).
 *
 * Paths in the messages are relative to SRCDIR, where the runner changes
 * to first.
 */
#include "unit.h"

#include "rules.h"

#define LINT_DIR "tests/unit/lint"
#define LINT_DIRS "tests/unit/lint-dirs"

struct lint_case {
	char *name;		/* "lex-bang.rules", or "dup" for a directory case */
	char *input;		/* the path given to the loader */
	char *expected;		/* the .err path */
	int is_dir;
};

/* Cases named ok-* must load; all others must report at least one error. */
static int expect_success(const struct lint_case *c)
{
	return !strncmp(c->name, "ok-", 3);
}

static void check_output(const struct lint_case *c, const struct diags *d, int ret)
{
	char *out = unit_diags_string(d);

	/* the return value agrees with the diagnostics, and with the case's name */
	assert_int_equal(ret, d->errors ? -1 : 0);
	if (expect_success(c) && d->errors)
		print_error("%s should load, but:\n%s", c->input, out);
	assert_int_equal(ret, expect_success(c) ? 0 : -1);

	if (unit_update_mode()) {
		assert_int_equal(unit_write_file(c->expected, out, strlen(out)), 0);
	} else {
		char *want = unit_read_file(c->expected, NULL);
		if (!want)
			print_error("cannot read %s (run with UPDATE=1 to create it)\n", c->expected);
		assert_non_null(want);
		unit_assert_text(c->input, want, out);
		free(want);
	}
	free(out);
}

static void test_file_case(void **state)
{
	const struct lint_case *c = *state;
	size_t len = 0;
	char *text = unit_read_file(c->input, &len);
	assert_non_null(text);

	struct kb kb;
	struct diags d;
	kb_init(&kb);
	diags_init(&d);
	int ret = rules_parse_text(&kb, c->input, text, len, &d);
	assert_true(ret == 0 || ret == -1);
	if (ret == 0) {
		ret = rules_check(&kb, &d);
		assert_true(ret == 0 || ret == -1);
	}
	check_output(c, &d, ret);

	kb_release(&kb);
	diags_release(&d);
	free(text);
}

static void test_dir_case(void **state)
{
	const struct lint_case *c = *state;
	struct kb kb;
	struct diags d;
	kb_init(&kb);
	diags_init(&d);
	int ret = rules_load_dir(&kb, c->input, &d);
	check_output(c, &d, ret);
	kb_release(&kb);
	diags_release(&d);
}

static void add_case(struct lint_case **v, size_t *n, const char *name, int is_dir)
{
	struct lint_case *nv = realloc(*v, (*n + 1) * sizeof(*nv));
	if (!nv)
		abort();
	*v = nv;
	struct lint_case *c = &nv[(*n)++];
	memset(c, 0, sizeof(*c));
	c->is_dir = is_dir;
	if (is_dir) {
		c->name = strdup(name);
		c->input = unit_concat(LINT_DIRS, "/", name, NULL);
		c->expected = unit_concat(LINT_DIRS, "/", name, ".err", NULL);
	} else {
		size_t base = strlen(name) - strlen(".rules");
		c->name = strdup(name);
		c->input = unit_concat(LINT_DIR, "/", name, NULL);
		c->expected = unit_concat(LINT_DIR, "/", name, NULL);
		memcpy(c->expected + strlen(LINT_DIR) + 1 + base, ".err", sizeof(".err"));
	}
	if (!c->name)
		abort();
}

int main(void)
{
	if (unit_chdir_srcdir())
		return 1;

	struct unit_names files = { 0 }, dirs = { 0 };
	if (unit_list_dir(LINT_DIR, ".rules", 0, &files)) {
		fprintf(stderr, "cannot read %s: %s\n", LINT_DIR, strerror(errno));
		return 1;
	}
	if (unit_list_dir(LINT_DIRS, "", 1, &dirs)) {
		fprintf(stderr, "cannot read %s: %s\n", LINT_DIRS, strerror(errno));
		return 1;
	}
	/* an .err without its directory is the case of a missing directory */
	struct unit_names errs = { 0 };
	unit_list_dir(LINT_DIRS, ".err", 0, &errs);
	for (size_t i = 0; i < errs.n; i++) {
		errs.v[i][strlen(errs.v[i]) - strlen(".err")] = '\0';
		unit_names_add(&dirs, errs.v[i]);
	}
	unit_names_sort(&dirs);
	unit_names_release(&errs);

	struct lint_case *cases = NULL;
	size_t ncases = 0;
	for (size_t i = 0; i < files.n; i++)
		add_case(&cases, &ncases, files.v[i], 0);
	for (size_t i = 0; i < dirs.n; i++)
		add_case(&cases, &ncases, dirs.v[i], 1);
	unit_names_release(&files);
	unit_names_release(&dirs);
	if (!ncases) {
		fprintf(stderr, "no lint case in %s\n", LINT_DIR);
		return 1;
	}

	struct CMUnitTest *tests = calloc(ncases, sizeof(*tests));
	if (!tests)
		abort();
	for (size_t i = 0; i < ncases; i++) {
		tests[i].name = cases[i].input;
		tests[i].test_func = cases[i].is_dir ? test_dir_case : test_file_case;
		tests[i].initial_state = &cases[i];
	}
	int failed = _cmocka_run_group_tests("lint", tests, ncases, NULL, NULL);

	for (size_t i = 0; i < ncases; i++) {
		free(cases[i].name);
		free(cases[i].input);
		free(cases[i].expected);
	}
	free(cases);
	free(tests);
	return failed ? 1 : 0;
}

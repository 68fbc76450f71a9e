/*
 * unit.h - small helpers shared by the cmocka unit tests (tests/unit/test-*.c):
 * finding the fixtures (SRCDIR), reading and writing whole files, listing a
 * fixture directory in a stable order, rendering diagnostics to a string,
 * and comparing texts with a readable failure message.
 *
 * Header-only: every helper is static inline, so a test includes this file
 * and links nothing more than build/libbd.a, cmocka and jansson.  Strings
 * returned as `char *` are the caller's to free(); a `struct unit_names` is
 * released with unit_names_release().
 */
#ifndef BD_TESTS_UNIT_H
#define BD_TESTS_UNIT_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"

/* Where the source tree is: $SRCDIR, or "." when it is not set. */
static inline const char *unit_srcdir(void)
{
	const char *s = getenv("SRCDIR");
	return s && *s ? s : ".";
}

/*
 * Change to SRCDIR so fixture paths (and so the paths in diagnostics) are
 * relative and stable.  Returns 0, or -1 with a message on stderr.
 */
static inline int unit_chdir_srcdir(void)
{
	if (chdir(unit_srcdir())) {
		fprintf(stderr, "cannot change to SRCDIR %s: %s\n", unit_srcdir(), strerror(errno));
		return -1;
	}
	return 0;
}

/* True when the maintainer asked to rewrite expected outputs (UPDATE=1). */
static inline int unit_update_mode(void)
{
	const char *s = getenv("UPDATE");
	return s && !strcmp(s, "1");
}

/*
 * The whole content of `path`, NUL-terminated (the terminator is not counted
 * in *len; len may be NULL).  NULL when the file cannot be read.
 */
static inline char *unit_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t n = 0, alloc = 4096;
	char *s = malloc(alloc);
	if (!s) {
		fclose(f);
		return NULL;
	}
	for (;;) {
		if (n + 1 >= alloc) {
			char *t = realloc(s, alloc * 2);
			if (!t)
				break;
			s = t;
			alloc *= 2;
		}
		size_t got = fread(s + n, 1, alloc - n - 1, f);
		n += got;
		if (got == 0)
			break;
	}
	int bad = ferror(f) || n + 1 >= alloc;
	fclose(f);
	if (bad) {
		free(s);
		return NULL;
	}
	s[n] = '\0';
	if (len)
		*len = n;
	return s;
}

/* Write `len` bytes to `path` (replacing it).  0, or -1. */
static inline int unit_write_file(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return -1;
	size_t put = fwrite(text, 1, len, f);
	int bad = put != len;
	if (fclose(f))
		bad = 1;
	return bad ? -1 : 0;
}

/* True when `s` ends with `suffix`. */
static inline int unit_has_suffix(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && !memcmp(s + n - m, suffix, m);
}

/* A sorted list of owned names. */
struct unit_names {
	char **v;
	size_t n;
};

static inline void unit_names_add(struct unit_names *l, const char *s)
{
	for (size_t i = 0; i < l->n; i++)
		if (!strcmp(l->v[i], s))
			return;
	char **v = realloc(l->v, (l->n + 1) * sizeof(*v));
	char *copy = strdup(s);
	if (!v || !copy) {
		fprintf(stderr, "out of memory\n");
		abort();
	}
	l->v = v;
	l->v[l->n++] = copy;
}

static inline int unit_names_cmp_(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static inline void unit_names_sort(struct unit_names *l)
{
	if (l->n)
		qsort(l->v, l->n, sizeof(*l->v), unit_names_cmp_);
}

static inline void unit_names_release(struct unit_names *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

/*
 * Add the entries of `dir` whose name ends with `suffix` ("" for any),
 * skipping hidden ones; with `want_dirs` only directories, else only the
 * rest.  The list is sorted afterwards.  0, or -1 when `dir` cannot be read.
 */
static inline int unit_list_dir(const char *dir, const char *suffix, int want_dirs,
				struct unit_names *out)
{
	DIR *dh = opendir(dir);
	if (!dh)
		return -1;
	struct dirent *de;
	while ((de = readdir(dh))) {
		if (de->d_name[0] == '.' || !unit_has_suffix(de->d_name, suffix))
			continue;
		size_t len = strlen(dir) + strlen(de->d_name) + 2;
		char *path = malloc(len);
		if (!path)
			abort();
		snprintf(path, len, "%s/%s", dir, de->d_name);
		struct stat st;
		/* lstat: a dangling symlink fixture is a file, not an error */
		int is_dir = !lstat(path, &st) && S_ISDIR(st.st_mode);
		free(path);
		if (!!is_dir == !!want_dirs)
			unit_names_add(out, de->d_name);
	}
	closedir(dh);
	unit_names_sort(out);
	return 0;
}

/* "a" + "b" + "c" as a new string (pass NULL to end the list). */
static inline char *unit_concat(const char *first, ...) __attribute__((sentinel));
static inline char *unit_concat(const char *first, ...)
{
	va_list ap;
	size_t len = 1;
	va_start(ap, first);
	for (const char *s = first; s; s = va_arg(ap, const char *))
		len += strlen(s);
	va_end(ap);
	char *r = malloc(len);
	if (!r)
		abort();
	r[0] = '\0';
	size_t at = 0;
	va_start(ap, first);
	for (const char *s = first; s; s = va_arg(ap, const char *)) {
		size_t n = strlen(s);
		memcpy(r + at, s, n + 1);
		at += n;
	}
	va_end(ap);
	return r;
}

/* What diags_print() writes, as a string (never NULL; caller frees). */
static inline char *unit_diags_string(const struct diags *d)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);
	if (!f)
		abort();
	diags_print(d, f);
	if (fclose(f) || !s)
		abort();
	return s;
}

/* True when some diagnostic's message contains `needle`. */
static inline int unit_diags_has(const struct diags *d, const char *needle)
{
	for (size_t i = 0; i < d->n; i++)
		if (strstr(d->v[i].msg, needle))
			return 1;
	return 0;
}

/*
 * Fail the current test unless `actual` is `expected`; the message shows
 * both texts and the first line that differs.
 */
static inline void unit_assert_text_(const char *what, const char *expected, const char *actual,
				     const char *file, int line)
{
	if (!strcmp(expected, actual))
		return;
	int l = 1;
	const char *e = expected, *a = actual;
	while (*e && *e == *a) {
		if (*e == '\n')
			l++;
		e++;
		a++;
	}
	print_error("%s: output differs from the expected text at line %d\n"
		    "---- expected\n%s---- actual\n%s----\n",
		    what, l, expected, actual);
	_fail(file, line);
}
#define unit_assert_text(what, expected, actual) \
	unit_assert_text_((what), (expected), (actual), __FILE__, __LINE__)

#endif

/*
 * diag.h - diagnostics about input files: "file:line:col: message", the
 * source line, and a caret under the column.  Loaders collect every error
 * they find (and keep going) so one lint run reports them all.
 */
#ifndef BD_DIAG_H
#define BD_DIAG_H

#include <stdio.h>
#include <stddef.h>

struct diag_item {
	char *file;
	int line, col;		/* 1-based; 0 when not known */
	char *msg;
	char *srcline;		/* the offending source line, may be NULL */
	int warning;
};

struct diags {
	struct diag_item *v;
	size_t n, alloc;
	size_t errors, warnings;
};

void diags_init(struct diags *d);
void diags_release(struct diags *d);
void diag_error(struct diags *d, const char *file, int line, int col,
		const char *srcline, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
void diag_warning(struct diags *d, const char *file, int line, int col,
		  const char *srcline, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
/* Print every item, each with its source line and caret when known. */
void diags_print(const struct diags *d, FILE *out);

#endif

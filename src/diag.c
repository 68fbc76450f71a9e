/* diag.c - collecting and printing file:line:col diagnostics with a caret. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "xalloc.h"
#include "banned.h"

void diags_init(struct diags *d)
{
	memset(d, 0, sizeof(*d));
}

void diags_release(struct diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].file);
		free(d->v[i].msg);
		free(d->v[i].srcline);
	}
	free(d->v);
	diags_init(d);
}

static void add(struct diags *d, int warning, const char *file, int line, int col,
		const char *srcline, const char *fmt, va_list ap)
{
	ALLOC_GROW(d->v, d->n + 1, d->alloc);
	struct diag_item *it = &d->v[d->n++];
	it->file = xstrdup(file ? file : "");
	it->line = line;
	it->col = col;
	it->msg = xvasprintf(fmt, ap);
	it->srcline = srcline ? xstrdup(srcline) : NULL;
	it->warning = warning;
	if (warning)
		d->warnings++;
	else
		d->errors++;
}

void diag_error(struct diags *d, const char *file, int line, int col,
		const char *srcline, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add(d, 0, file, line, col, srcline, fmt, ap);
	va_end(ap);
}

void diag_warning(struct diags *d, const char *file, int line, int col,
		  const char *srcline, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	add(d, 1, file, line, col, srcline, fmt, ap);
	va_end(ap);
}

void diags_print(const struct diags *d, FILE *out)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct diag_item *it = &d->v[i];
		const char *kind = it->warning ? "warning: " : "";
		if (it->line > 0 && it->col > 0)
			fprintf(out, "%s:%d:%d: %s%s\n", it->file, it->line, it->col, kind, it->msg);
		else if (it->line > 0)
			fprintf(out, "%s:%d: %s%s\n", it->file, it->line, kind, it->msg);
		else
			fprintf(out, "%s: %s%s\n", it->file, kind, it->msg);
		if (it->srcline && it->col > 0) {
			fprintf(out, "  %s\n  ", it->srcline);
			/* keep tabs so the caret lines up under tab-indented text */
			for (int c = 1; c < it->col && it->srcline[c - 1]; c++)
				fputc(it->srcline[c - 1] == '\t' ? '\t' : ' ', out);
			fputs("^\n", out);
		}
	}
}

/* rules-print.c - expressions written back as rule-language text (for `rules show`). */
#include <stdlib.h>
#include <string.h>

#include "rules.h"
#include "xalloc.h"
#include "banned.h"

static void lit(struct buf *b, const struct value *v)
{
	static const struct { enum vtype t; double f; const char *u; } units[] = {
		{ VT_BYTES, 1e12, "TB" }, { VT_BYTES, 1e9, "GB" }, { VT_BYTES, 1e6, "MB" },
		{ VT_BYTES, 1e3, "KB" }, { VT_BYTES, 1, "B" },
		{ VT_DURATION, 86400, "days" },
		{ VT_DURATION, 3600, "hours" }, { VT_DURATION, 60, "min" }, { VT_DURATION, 1, "s" },
		{ VT_RATE, 1e9, "Gbps" }, { VT_RATE, 1e6, "Mbps" }, { VT_RATE, 1e3, "kbps" },
		{ VT_RATE, 1, "bps" },
	};
	switch (v->type) {
	case VT_BOOL: buf_puts(b, v->b ? "true" : "false"); return;
	case VT_STRING: buf_addf(b, "\"%s\"", v->s); return;
	case VT_PERCENT: buf_addf(b, "%g%%", v->n); return;
	case VT_INT: buf_addf(b, "%g", v->n); return;
	default: break;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(*units); i++)
		if (units[i].t == v->type && v->n >= units[i].f &&
		    (v->n / units[i].f) * 10 == (double)(long long)((v->n / units[i].f) * 10)) {
			buf_addf(b, "%g %s", v->n / units[i].f, units[i].u);
			return;
		}
	buf_addf(b, "%g", v->n);
}

static void fmt(struct buf *b, const struct expr *e, int outer)
{
	static const char *const ops[] = { "==", "!=", "<", "<=", ">", ">=" };
	static const char *const fns[] = { "age", "count", "apps", "transfer_time" };
	static const char *const vars[] = { "$app", "$app_id", "$package" };
	switch (e->kind) {
	case EX_OR:
	case EX_AND: {
		int prec = e->kind == EX_OR ? 1 : 2;
		if (outer > prec)
			buf_putc(b, '(');
		for (size_t i = 0; i < e->nargs; i++) {
			if (i)
				buf_puts(b, e->kind == EX_OR ? " or " : " and ");
			fmt(b, e->args[i], prec + 1);
		}
		if (outer > prec)
			buf_putc(b, ')');
		return;
	}
	case EX_NOT:
		buf_puts(b, "not ");
		fmt(b, e->args[0], 3);
		return;
	case EX_CMP:
		fmt(b, e->args[0], 4);
		buf_addf(b, " %s ", ops[e->op]);
		fmt(b, e->args[1], 4);
		return;
	case EX_IN:
		fmt(b, e->args[0], 4);
		buf_puts(b, " in [");
		for (size_t i = 1; i < e->nargs; i++) {
			if (i > 1)
				buf_puts(b, ", ");
			fmt(b, e->args[i], 4);
		}
		buf_putc(b, ']');
		return;
	case EX_CONTAINS:
		fmt(b, e->args[0], 4);
		buf_puts(b, " contains ");
		fmt(b, e->args[1], 4);
		return;
	case EX_KNOWN:
	case EX_UNKNOWN:
		fmt(b, e->args[0], 4);
		buf_puts(b, e->kind == EX_KNOWN ? " is known" : " is unknown");
		return;
	case EX_TRUTH:
		fmt(b, e->args[0], outer);
		return;
	case EX_FACT:
		buf_puts(b, e->fact);
		return;
	case EX_LIT:
		lit(b, &e->lit);
		return;
	case EX_APPVAR:
		buf_puts(b, vars[e->appvar]);
		return;
	case EX_CALL:
		buf_addf(b, "%s(", fns[e->fn]);
		for (size_t i = 0; i < e->nargs; i++) {
			if (i)
				buf_puts(b, ", ");
			fmt(b, e->args[i], 0);
		}
		buf_putc(b, ')');
		return;
	}
}

char *rules_expr_format(const struct expr *e)
{
	struct buf b = BUF_INIT;
	fmt(&b, e, 0);
	return buf_detach(&b);
}

/*
 * value.h - the typed values facts hold and rules compare.
 *
 * Every number is kept as a double in its base unit (bytes, percent 0..100,
 * seconds, bits per second, seconds since the Unix epoch): 2^53 bytes is far
 * beyond any phone, and one representation keeps comparison simple.
 */
#ifndef BD_VALUE_H
#define BD_VALUE_H

#include <stdbool.h>
#include "xalloc.h"

enum vtype {
	VT_NONE = 0,	/* no value (an unknown fact, or a type error) */
	VT_BOOL,
	VT_INT,
	VT_BYTES,
	VT_PERCENT,
	VT_DURATION,
	VT_TIMESTAMP,
	VT_STRING,
	VT_LIST,
	VT_RATE,
};

struct value {
	enum vtype type;
	bool b;
	double n;
	char *s;		/* VT_STRING: owned */
	struct strlist l;	/* VT_LIST: owned */
};

const char *vtype_name(enum vtype t);
/* Parse a type keyword ("bytes"); VT_NONE when it is not one. */
enum vtype vtype_from_name(const char *name);
bool vtype_numeric(enum vtype t);

void value_release(struct value *v);
void value_copy(struct value *dst, const struct value *src);
void value_set_bool(struct value *v, bool b);
void value_set_num(struct value *v, enum vtype t, double n);
void value_set_str(struct value *v, const char *s);

/* For people: "12.3 GB", "15%", "3 days", "yes", "2026-11-20 10:00 UTC". */
char *value_format(const struct value *v);
/* Compare two values of the same type: <0, 0, >0; strings by strcmp. */
int value_compare(const struct value *a, const struct value *b);
bool value_equal(const struct value *a, const struct value *b);

/*
 * Parse a person's answer ("yes", "2GB", "3 days", "wifi-only") into a
 * value of type `t`.  Returns 0, 1 when the answer means "don't know", or
 * -1 with *cause set (caller frees).
 */
int value_parse_answer(enum vtype t, const char *text, struct value *out, char **cause);

/*
 * Units of the rule language: the factor to the base unit and the type a
 * number with that unit has.  Returns false for an unknown unit word.
 */
bool unit_lookup(const char *unit, enum vtype *type, double *factor);

/* ISO 8601 UTC ("2026-11-20T10:00:00Z", "2026-11-20") <-> seconds since epoch. */
int timestamp_parse(const char *s, double *out);
char *timestamp_format_iso(double t);

#endif

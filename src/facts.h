/*
 * facts.h - the fact store: every observation about one phone, typed, with
 * where it came from.
 *
 * A fact is known (read from the phone or the computer), answered (a person
 * told us), or unknown (we tried and could not tell, or never asked).  An
 * unknown fact is never read as false: rules see it as unknown.
 */
#ifndef BD_FACTS_H
#define BD_FACTS_H

#include <stddef.h>
#include "value.h"

enum fact_state {
	FACT_UNKNOWN = 0,
	FACT_KNOWN,
	FACT_ANSWERED,
};

struct fact {
	char *name;		/* "power.battery_saver", "app.onedrive.version" */
	enum fact_state state;
	struct value v;		/* VT_NONE unless known or answered */
	char *source;		/* which command, key or answer told it; may be NULL */
	char *raw;		/* the raw excerpt it was read from; may be NULL */
	char *note;		/* why it is unknown, or a remark; may be NULL */
};

struct facts {
	struct fact *v;		/* kept sorted by name */
	size_t n, alloc;
	double captured_at;	/* seconds since epoch: "now" for age() */
	char *origin;		/* file it was loaded from, for messages; may be NULL */
};

void facts_init(struct facts *fs);
void facts_release(struct facts *fs);

/* NULL when there is no such fact at all. */
const struct fact *facts_get(const struct facts *fs, const char *name);
/* The fact's value when known or answered, else NULL. */
const struct value *facts_value(const struct facts *fs, const char *name);
const char *facts_string(const struct facts *fs, const char *name);

/*
 * Record a fact; replaces an earlier one of the same name.  `v` is copied;
 * source, raw and note may be NULL.
 */
void facts_set(struct facts *fs, const char *name, enum fact_state state,
	       const struct value *v, const char *source, const char *raw,
	       const char *note);
void facts_set_unknown(struct facts *fs, const char *name, const char *note);

#endif

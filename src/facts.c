/* facts.c - the fact store: a name-sorted array of typed facts with provenance. */
#include <stdlib.h>
#include <string.h>

#include "facts.h"
#include "banned.h"

void facts_init(struct facts *fs)
{
	memset(fs, 0, sizeof(*fs));
}

static void fact_release(struct fact *f)
{
	free(f->name);
	value_release(&f->v);
	free(f->source);
	free(f->raw);
	free(f->note);
}

void facts_release(struct facts *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		fact_release(&fs->v[i]);
	free(fs->v);
	free(fs->origin);
	facts_init(fs);
}

/* Index of `name`, or of where it would go (with *found = 0). */
static size_t find(const struct facts *fs, const char *name, int *found)
{
	size_t lo = 0, hi = fs->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(fs->v[mid].name, name);
		if (!c) {
			*found = 1;
			return mid;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = 0;
	return lo;
}

const struct fact *facts_get(const struct facts *fs, const char *name)
{
	int found;
	size_t i = find(fs, name, &found);
	return found ? &fs->v[i] : NULL;
}

const struct value *facts_value(const struct facts *fs, const char *name)
{
	const struct fact *f = facts_get(fs, name);
	if (!f || f->state == FACT_UNKNOWN || f->v.type == VT_NONE)
		return NULL;
	return &f->v;
}

const char *facts_string(const struct facts *fs, const char *name)
{
	const struct value *v = facts_value(fs, name);
	return v && v->type == VT_STRING ? v->s : NULL;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

void facts_set(struct facts *fs, const char *name, enum fact_state state,
	       const struct value *v, const char *source, const char *raw,
	       const char *note)
{
	int found;
	size_t i = find(fs, name, &found);
	if (found) {
		fact_release(&fs->v[i]);
	} else {
		ALLOC_GROW(fs->v, fs->n + 1, fs->alloc);
		memmove(&fs->v[i + 1], &fs->v[i], (fs->n - i) * sizeof(*fs->v));
		fs->n++;
	}
	struct fact *f = &fs->v[i];
	memset(f, 0, sizeof(*f));
	f->name = xstrdup(name);
	f->state = v && v->type != VT_NONE ? state : FACT_UNKNOWN;
	if (v && f->state != FACT_UNKNOWN)
		value_copy(&f->v, v);
	f->source = dup_or_null(source);
	f->raw = dup_or_null(raw);
	f->note = dup_or_null(note);
}

void facts_set_unknown(struct facts *fs, const char *name, const char *note)
{
	facts_set(fs, name, FACT_UNKNOWN, NULL, NULL, NULL, note);
}

/*
 * factsfile.h - the JSON form of a fact store (schema backupdoctor.facts/1),
 * the input of `analyze`, documented in backupdoctor-rules(5).  Values are
 * typed by the knowledge base's declarations; a value of the wrong kind is
 * an error naming the file and the place in it.
 */
#ifndef BD_FACTSFILE_H
#define BD_FACTSFILE_H

#include <jansson.h>
#include "diag.h"
#include "facts.h"
#include "rules.h"

#define FACTS_SCHEMA "backupdoctor.facts/1"

/* Parse `text` (named `name` in messages) into *out.  0, or -1 with errors in d. */
int factsfile_parse(const struct kb *kb, const char *name, const char *text, size_t len,
		    struct facts *out, struct diags *d);
/* Read a file ("-" is standard input) and parse it. */
int factsfile_load(const struct kb *kb, const char *path, struct facts *out, struct diags *d);
/* name -> {value, state, source, raw, note}; a new reference. */
json_t *factsfile_facts_json(const struct facts *fs);
/* One value as JSON, in base units (timestamps as ISO 8601). */
json_t *factsfile_value_json(const struct value *v);
/* The whole store as a facts file (new reference). */
json_t *factsfile_json(const struct facts *fs);

#endif

/*
 * redact.h - taking personal data out of what leaves the bench.
 *
 * The shop log keeps everything; a report meant to be shared (md, html,
 * json, exports, --post) goes through redact_report() first unless the
 * technician asks for --include-personal.  Personal means: the serial
 * number, IMEI/MEID, UDID, phone number, ICCID and the name the person gave
 * the phone (facts device.serial, device.imei*, device.meid, device.udid,
 * device.phone_number, device.iccid, device.name), every account name
 * (app.<id>.account, accounts.*_name, accounts.names), and the id the
 * transport knows the phone by (the adb serial or the UDID, in the report's
 * `source`).  Each such value is replaced everywhere it appears, in any
 * fact, evidence text or raw excerpt, by "redacted-" and the first eight hex
 * digits of its FNV-1a hash: stable, so two reports of one phone still
 * match, but not the value itself.
 */
#ifndef BD_REDACT_H
#define BD_REDACT_H

#include <stdbool.h>
#include <jansson.h>
#include "diagnose.h"
#include "facts.h"

/* Is the fact of this name personal? */
bool redact_is_personal(const char *fact_name);
/* "redacted-1a2b3c4d" for a value (caller frees). */
char *redact_tag(const char *value);

/*
 * Redact in place: the fact store, the diagnosis and *source (may be NULL),
 * with `extra` (may be NULL) an identifier known besides the facts, such as
 * the transport's device id.
 */
void redact_report(struct facts *fs, struct diagnosis *dg, char **source, const char *extra);

/* Redact in place a JSON value (object/array/string) against the same secrets. */
struct redaction {
	struct strlist secrets;	/* longest first */
	struct strlist tags;	/* the tag for secrets.v[i] */
};
void redaction_init(struct redaction *r);
void redaction_release(struct redaction *r);
/* Remember a personal value (values shorter than 4 characters are too common to scrub). */
void redaction_add(struct redaction *r, const char *value);
/* The string with every secret replaced (caller frees). */
char *redaction_apply(const struct redaction *r, const char *s);
/* Every string inside a JSON value, in place. */
void redact_json(json_t *j, const struct redaction *r);
/* A shop log visit (shoplog.h): its device record's personal values, wherever they appear. */
void redact_visit(json_t *visit);

#endif

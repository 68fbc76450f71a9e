/*
 * devrec.h - the device record a repair shop files (`backupdoctor info`,
 * the shop log): what the phone is, read from the fact store.  The
 * marketing name comes from models.txt in the rules directory, a data file
 * kept beside the rules, not from C.
 *
 * Record keys (JSON; absent values are null): platform, manufacturer,
 * model (as the phone reports it), model_name, color, os_version, build,
 * serial, imei, imei2, name, udid, storage_total, storage_free (bytes),
 * battery_level, battery_health_pct, battery_cycle_count, captured_at.
 */
#ifndef BD_DEVREC_H
#define BD_DEVREC_H

#include <jansson.h>
#include "facts.h"

/* The name for a model code from a models file, or NULL (caller frees). */
char *devrec_model_name(const char *models_path, const char *code);

/*
 * Give device.model the marketing name from <rules_dir>/models.txt when the
 * table knows the code (device.product_type, else device.model, which
 * then goes to device.product_type); otherwise leave the code.  Called by probe_facts after the
 * platform parser.  NULL rules_dir: nothing.
 */
void devrec_name_model(const char *rules_dir, struct facts *fs);

/* The record (new reference); device_id is the transport's id (may be NULL). */
json_t *devrec_build(const struct facts *fs, const char *device_id, const char *models_path);

/* The record's keys in display order, NULL-terminated. */
extern const char *const devrec_keys[];

#endif

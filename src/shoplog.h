/*
 * shoplog.h - the repair shop's log of visits: an SQLite database, by
 * default $XDG_DATA_HOME/backupdoctor/shop.db, owner-only.  This is the only
 * file that speaks SQL.
 *
 * A visit is a JSON object (the same shape `log show --format json` prints):
 *   { "id", "logged_at", "command", "ticket", "note",
 *     "device": { "platform", "model", "model_name", "os_version", "build",
 *                 "serial", "imei", … the device record },
 *     "findings": [ { "id", "status", "app" } … ],
 *     "fixes": [ { "id", "command", "result" } … ],
 *     "unsent": number of reports to a collector not delivered yet }
 *
 * The schema carries its version in PRAGMA user_version and is migrated
 * forward on open (1: the first shop log; 2: device record, fixes, one row
 * per finding for search, the outbox of unsent reports).  Writers use WAL,
 * a busy timeout and one IMMEDIATE transaction per visit, so two benches
 * writing at once neither lose nor corrupt a record.
 */
#ifndef BD_SHOPLOG_H
#define BD_SHOPLOG_H

#include <jansson.h>

#define SHOPLOG_VERSION 2

struct shoplog;

/* $XDG_DATA_HOME/backupdoctor/shop.db (or ~/.local/share/…); caller frees. */
char *shoplog_default_path(void);
/*
 * Open (creating the file owner-only, and with `mkdirs` its directory
 * owner-only) and migrate.  0, or -1 with *cause.
 */
int shoplog_open(const char *path, int mkdirs, struct shoplog **out, char **cause);
void shoplog_close(struct shoplog *db);

/* Add a visit (borrowed); "logged_at" is set to now when absent.  *id gets its id. */
int shoplog_add(struct shoplog *db, json_t *visit, long long *id, char **cause);

struct shoplog_filter {
	long long id;		/* 0: any */
	const char *serial, *imei, *ticket, *cause;	/* NULL: any */
};
/* Matching visits, oldest first, as a new JSON array. */
int shoplog_find(struct shoplog *db, const struct shoplog_filter *f, json_t **out, char **cause);

/* The outbox: reports that could not be delivered to a collector yet. */
int shoplog_outbox_add(struct shoplog *db, long long visit_id, const char *url,
		       const char *payload, const char *error, long long *id, char **cause);
/* Undelivered: [ { "id", "visit_id", "url", "payload", "tries", "last_error" } … ]. */
int shoplog_outbox_pending(struct shoplog *db, json_t **out, char **cause);
/* Record one more try: error NULL means delivered. */
int shoplog_outbox_done(struct shoplog *db, long long id, const char *error, char **cause);

#endif

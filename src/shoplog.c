/*
 * shoplog.c - the shop log in SQLite (see shoplog.h for the visit shape
 * and the promises about versions and concurrent writers).
 */
#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "shoplog.h"
#include "value.h"
#include "xalloc.h"
#include "banned.h"

struct shoplog {
	sqlite3 *db;
	char *path;
};

/* Two benches may hold the write lock in turn for a while: wait, do not fail. */
#define SHOPLOG_BUSY_MS 30000

char *shoplog_default_path(void)
{
	const char *x = getenv("XDG_DATA_HOME");
	if (x && *x == '/')
		return xasprintf("%s/backupdoctor/shop.db", x);
	const char *home = getenv("HOME");
	return xasprintf("%s/.local/share/backupdoctor/shop.db", home && *home ? home : ".");
}

/* mkdir -p of the directory part of `path`, each new directory 0700. */
static int make_parents(const char *path, char **cause)
{
	char *d = xstrdup(path);
	char *slash = strrchr(d, '/');
	int ret = 0;
	if (slash && slash != d) {
		*slash = '\0';
		for (char *p = d + 1; ; p++) {
			if (*p == '/' || !*p) {
				char c = *p;
				*p = '\0';
				if (mkdir(d, 0700) && errno != EEXIST) {
					*cause = xasprintf("%s: cannot create: %s", d, strerror(errno));
					ret = -1;
					break;
				}
				*p = c;
				if (!c)
					break;
			}
		}
	}
	free(d);
	return ret;
}

static int fail(struct shoplog *db, const char *what, char **cause)
{
	*cause = xasprintf("%s: %s: %s", db->path, what, sqlite3_errmsg(db->db));
	return -1;
}

static int exec(struct shoplog *db, const char *sql, char **cause)
{
	char *err = NULL;
	if (sqlite3_exec(db->db, sql, NULL, NULL, &err) != SQLITE_OK) {
		*cause = xasprintf("%s: %s", db->path, err ? err : sqlite3_errmsg(db->db));
		sqlite3_free(err);
		return -1;
	}
	return 0;
}

static int user_version(struct shoplog *db, int *v, char **cause)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db->db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK)
		return fail(db, "reading the schema version", cause);
	int rc = sqlite3_step(st);
	*v = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return fail(db, "reading the schema version", cause);
	return 0;
}

static const char schema_tail[] =
	"CREATE TABLE IF NOT EXISTS visit_findings(\n"
	"  visit_id INTEGER NOT NULL REFERENCES visits(id),\n"
	"  cause TEXT NOT NULL, status TEXT, app TEXT);\n"
	"CREATE INDEX IF NOT EXISTS visit_findings_cause ON visit_findings(cause);\n"
	"CREATE INDEX IF NOT EXISTS visit_findings_visit ON visit_findings(visit_id);\n"
	"CREATE INDEX IF NOT EXISTS visits_serial ON visits(serial);\n"
	"CREATE INDEX IF NOT EXISTS visits_imei ON visits(imei);\n"
	"CREATE INDEX IF NOT EXISTS visits_ticket ON visits(ticket);\n"
	"CREATE TABLE IF NOT EXISTS outbox(\n"
	"  id INTEGER PRIMARY KEY AUTOINCREMENT, visit_id INTEGER, url TEXT NOT NULL,\n"
	"  payload TEXT NOT NULL, created_at TEXT NOT NULL, tries INTEGER NOT NULL DEFAULT 0,\n"
	"  last_error TEXT, sent_at TEXT);\n";

/* Version 1 -> 2: the device record, fixes, and one row per finding. */
static int migrate_1_2(struct shoplog *db, char **cause)
{
	static const char alter[] =
		"ALTER TABLE visits ADD COLUMN command TEXT;\n"
		"ALTER TABLE visits ADD COLUMN os_version TEXT;\n"
		"ALTER TABLE visits ADD COLUMN build TEXT;\n"
		"ALTER TABLE visits ADD COLUMN record TEXT;\n"
		"ALTER TABLE visits ADD COLUMN fixes TEXT;\n";
	if (exec(db, alter, cause) || exec(db, schema_tail, cause))
		return -1;
	/* version 1 kept the finding ids space-separated in visits.findings */
	sqlite3_stmt *sel = NULL, *ins = NULL;
	int ret = -1;
	if (sqlite3_prepare_v2(db->db, "SELECT id, findings FROM visits", -1, &sel, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db->db, "INSERT INTO visit_findings(visit_id, cause) VALUES(?, ?)", -1,
			       &ins, NULL) != SQLITE_OK) {
		fail(db, "migrating from version 1", cause);
		goto out;
	}
	int rc;
	while ((rc = sqlite3_step(sel)) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(sel, 0);
		const char *f = (const char *)sqlite3_column_text(sel, 1);
		while (f && *f) {
			size_t n = strcspn(f, " ,");
			if (n) {
				sqlite3_bind_int64(ins, 1, id);
				sqlite3_bind_text(ins, 2, f, (int)n, SQLITE_TRANSIENT);
				if (sqlite3_step(ins) != SQLITE_DONE) {
					fail(db, "migrating from version 1", cause);
					goto out;
				}
				sqlite3_reset(ins);
			}
			f += n;
			f += strspn(f, " ,");
		}
	}
	if (rc != SQLITE_DONE) {
		fail(db, "migrating from version 1", cause);
		goto out;
	}
	ret = 0;
out:
	sqlite3_finalize(sel);
	sqlite3_finalize(ins);
	return ret;
}

static int migrate(struct shoplog *db, char **cause)
{
	int v;
	if (user_version(db, &v, cause))
		return -1;
	if (v == SHOPLOG_VERSION)
		return 0;
	if (v > SHOPLOG_VERSION) {
		*cause = xasprintf("%s: the shop log has schema version %d, made by a newer backupdoctor "
				   "(this one knows up to %d)", db->path, v, SHOPLOG_VERSION);
		return -1;
	}
	/* one writer migrates; the others wait, then find it done */
	if (exec(db, "BEGIN IMMEDIATE", cause))
		return -1;
	if (user_version(db, &v, cause))
		goto rollback;
	if (v == 0) {
		static const char create[] =
			"CREATE TABLE IF NOT EXISTS visits(\n"
			"  id INTEGER PRIMARY KEY AUTOINCREMENT, logged_at TEXT NOT NULL, platform TEXT,\n"
			"  model TEXT, serial TEXT, imei TEXT, ticket TEXT, note TEXT, findings TEXT,\n"
			"  command TEXT, os_version TEXT, build TEXT, record TEXT, fixes TEXT);\n";
		if (exec(db, create, cause) || exec(db, schema_tail, cause))
			goto rollback;
	} else if (v == 1) {
		if (migrate_1_2(db, cause))
			goto rollback;
	}
	char *set = xasprintf("PRAGMA user_version = %d", SHOPLOG_VERSION);
	int r = exec(db, set, cause);
	free(set);
	if (r || exec(db, "COMMIT", cause))
		goto rollback;
	return 0;
rollback:
	sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
	return -1;
}

int shoplog_open(const char *path, int mkdirs, struct shoplog **out, char **cause)
{
	*out = NULL;
	if (mkdirs && make_parents(path, cause))
		return -1;
	/* create the file ourselves so that it is owner-only from its first byte */
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		*cause = xasprintf("%s: cannot open: %s", path, strerror(errno));
		return -1;
	}
	close(fd);
	struct shoplog *db = xcalloc(1, sizeof(*db));
	db->path = xstrdup(path);
	if (sqlite3_open_v2(path, &db->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		fail(db, "cannot open", cause);
		shoplog_close(db);
		return -1;
	}
	sqlite3_busy_timeout(db->db, SHOPLOG_BUSY_MS);
	/*
	 * Switching a new file to WAL while another bench does the same can
	 * answer "locked" without waiting on the busy handler: try again.
	 */
	for (int tries = 0;; tries++) {
		if (!exec(db, "PRAGMA journal_mode = WAL", cause) &&
		    !exec(db, "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON", cause) &&
		    !migrate(db, cause))
			break;
		int code = sqlite3_errcode(db->db) & 0xff;
		if ((code != SQLITE_BUSY && code != SQLITE_LOCKED) || tries >= 100) {
			shoplog_close(db);
			return -1;
		}
		free(*cause);
		*cause = NULL;
		struct timespec ts = { 0, 50 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	*out = db;
	return 0;
}

void shoplog_close(struct shoplog *db)
{
	if (!db)
		return;
	sqlite3_close(db->db);
	free(db->path);
	free(db);
}

static const char *jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static void bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

static char *now_iso(void)
{
	return timestamp_format_iso((double)time(NULL));
}

int shoplog_add(struct shoplog *db, json_t *visit, long long *id, char **cause)
{
	json_t *dev = json_object_get(visit, "device");
	json_t *findings = json_object_get(visit, "findings");
	json_t *fixes = json_object_get(visit, "fixes");
	char *when = jstr(visit, "logged_at") ? xstrdup(jstr(visit, "logged_at")) : now_iso();
	char *record = dev ? json_dumps(dev, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	char *fixes_s = fixes ? json_dumps(fixes, JSON_COMPACT | JSON_PRESERVE_ORDER) : NULL;
	struct buf ids = BUF_INIT;
	size_t i;
	json_t *f;
	json_array_foreach(findings, i, f) {
		if (i)
			buf_putc(&ids, ' ');
		buf_puts(&ids, jstr(f, "id") ? jstr(f, "id") : "");
	}
	sqlite3_stmt *st = NULL, *fs = NULL;
	int ret = -1;
	bool began = false;
	if (exec(db, "BEGIN IMMEDIATE", cause))
		goto out;
	began = true;
	if (sqlite3_prepare_v2(db->db,
			       "INSERT INTO visits(logged_at, command, platform, model, os_version, build, "
			       "serial, imei, ticket, note, findings, record, fixes) "
			       "VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)", -1, &st, NULL) != SQLITE_OK) {
		fail(db, "adding a visit", cause);
		goto out;
	}
	bind_text(st, 1, when);
	bind_text(st, 2, jstr(visit, "command"));
	bind_text(st, 3, jstr(dev, "platform"));
	bind_text(st, 4, jstr(dev, "model_name") ? jstr(dev, "model_name") : jstr(dev, "model"));
	bind_text(st, 5, jstr(dev, "os_version"));
	bind_text(st, 6, jstr(dev, "build"));
	bind_text(st, 7, jstr(dev, "serial"));
	bind_text(st, 8, jstr(dev, "imei"));
	bind_text(st, 9, jstr(visit, "ticket"));
	bind_text(st, 10, jstr(visit, "note"));
	bind_text(st, 11, buf_str(&ids));
	bind_text(st, 12, record);
	bind_text(st, 13, fixes_s);
	if (sqlite3_step(st) != SQLITE_DONE) {
		fail(db, "adding a visit", cause);
		goto out;
	}
	*id = sqlite3_last_insert_rowid(db->db);
	if (sqlite3_prepare_v2(db->db, "INSERT INTO visit_findings(visit_id, cause, status, app) "
			       "VALUES(?,?,?,?)", -1, &fs, NULL) != SQLITE_OK) {
		fail(db, "adding a visit", cause);
		goto out;
	}
	json_array_foreach(findings, i, f) {
		sqlite3_bind_int64(fs, 1, *id);
		bind_text(fs, 2, jstr(f, "id") ? jstr(f, "id") : "");
		bind_text(fs, 3, jstr(f, "status"));
		bind_text(fs, 4, jstr(f, "app"));
		if (sqlite3_step(fs) != SQLITE_DONE) {
			fail(db, "adding a visit", cause);
			goto out;
		}
		sqlite3_reset(fs);
	}
	if (exec(db, "COMMIT", cause))
		goto out;
	began = false;
	ret = 0;
out:
	if (began)
		sqlite3_exec(db->db, "ROLLBACK", NULL, NULL, NULL);
	sqlite3_finalize(st);
	sqlite3_finalize(fs);
	free(when);
	free(record);
	free(fixes_s);
	buf_release(&ids);
	return ret;
}

static json_t *col_json(sqlite3_stmt *st, int i)
{
	const char *s = (const char *)sqlite3_column_text(st, i);
	return s ? json_string(s) : json_null();
}

/* The findings of one visit, as stored. */
static json_t *visit_findings(struct shoplog *db, long long id)
{
	json_t *a = json_array();
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db->db, "SELECT cause, status, app FROM visit_findings "
			       "WHERE visit_id = ? ORDER BY rowid", -1, &st, NULL) != SQLITE_OK)
		return a;
	sqlite3_bind_int64(st, 1, id);
	while (sqlite3_step(st) == SQLITE_ROW) {
		json_t *f = json_object();
		json_object_set_new(f, "id", col_json(st, 0));
		json_object_set_new(f, "status", col_json(st, 1));
		json_object_set_new(f, "app", col_json(st, 2));
		json_array_append_new(a, f);
	}
	sqlite3_finalize(st);
	return a;
}

int shoplog_find(struct shoplog *db, const struct shoplog_filter *flt, json_t **out, char **cause)
{
	*out = NULL;
	sqlite3_stmt *st;
	static const char sql[] =
		"SELECT v.id, v.logged_at, v.command, v.ticket, v.note, v.platform, v.model, "
		"v.os_version, v.build, v.serial, v.imei, v.record, v.fixes, "
		"(SELECT count(*) FROM outbox o WHERE o.visit_id = v.id AND o.sent_at IS NULL) "
		"FROM visits v WHERE (?1 = 0 OR v.id = ?1) AND (?2 IS NULL OR v.serial = ?2) "
		"AND (?3 IS NULL OR v.imei = ?3) AND (?4 IS NULL OR v.ticket = ?4) "
		"AND (?5 IS NULL OR EXISTS (SELECT 1 FROM visit_findings f WHERE f.visit_id = v.id "
		"AND f.cause = ?5)) ORDER BY v.logged_at, v.id";
	if (sqlite3_prepare_v2(db->db, sql, -1, &st, NULL) != SQLITE_OK)
		return fail(db, "reading the log", cause);
	sqlite3_bind_int64(st, 1, flt->id);
	bind_text(st, 2, flt->serial);
	bind_text(st, 3, flt->imei);
	bind_text(st, 4, flt->ticket);
	bind_text(st, 5, flt->cause);
	json_t *a = json_array();
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *v = json_object();
		long long id = sqlite3_column_int64(st, 0);
		json_object_set_new(v, "id", json_integer(id));
		json_object_set_new(v, "logged_at", col_json(st, 1));
		json_object_set_new(v, "command", col_json(st, 2));
		json_object_set_new(v, "ticket", col_json(st, 3));
		json_object_set_new(v, "note", col_json(st, 4));
		const char *rec = (const char *)sqlite3_column_text(st, 11);
		json_t *dev = rec ? json_loads(rec, 0, NULL) : NULL;
		if (!json_is_object(dev)) {
			/* a version 1 visit: the columns are all there is */
			json_decref(dev);
			dev = json_object();
			static const char *const cols[] = { "platform", "model", "os_version", "build",
							    "serial", "imei" };
			for (int k = 0; k < 6; k++)
				json_object_set_new(dev, cols[k], col_json(st, 5 + k));
		}
		json_object_set_new(v, "device", dev);
		json_object_set_new(v, "findings", visit_findings(db, id));
		const char *fx = (const char *)sqlite3_column_text(st, 12);
		json_t *fixes = fx ? json_loads(fx, 0, NULL) : NULL;
		json_object_set_new(v, "fixes", json_is_array(fixes) ? fixes : (json_decref(fixes), json_array()));
		json_object_set_new(v, "unsent", json_integer(sqlite3_column_int64(st, 13)));
		json_array_append_new(a, v);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		json_decref(a);
		return fail(db, "reading the log", cause);
	}
	*out = a;
	return 0;
}

int shoplog_outbox_add(struct shoplog *db, long long visit_id, const char *url,
		       const char *payload, const char *error, long long *id, char **cause)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db->db, "INSERT INTO outbox(visit_id, url, payload, created_at, tries, "
			       "last_error) VALUES(?,?,?,?,1,?)", -1, &st, NULL) != SQLITE_OK)
		return fail(db, "keeping the unsent report", cause);
	char *now = now_iso();
	if (visit_id > 0)
		sqlite3_bind_int64(st, 1, visit_id);
	else
		sqlite3_bind_null(st, 1);
	bind_text(st, 2, url);
	bind_text(st, 3, payload);
	bind_text(st, 4, now);
	bind_text(st, 5, error);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	free(now);
	if (rc != SQLITE_DONE)
		return fail(db, "keeping the unsent report", cause);
	*id = sqlite3_last_insert_rowid(db->db);
	return 0;
}

int shoplog_outbox_pending(struct shoplog *db, json_t **out, char **cause)
{
	*out = NULL;
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db->db, "SELECT id, visit_id, url, payload, tries, last_error, created_at "
			       "FROM outbox WHERE sent_at IS NULL ORDER BY id", -1, &st, NULL) != SQLITE_OK)
		return fail(db, "reading the outbox", cause);
	json_t *a = json_array();
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		json_t *o = json_object();
		json_object_set_new(o, "id", json_integer(sqlite3_column_int64(st, 0)));
		json_object_set_new(o, "visit_id", sqlite3_column_type(st, 1) == SQLITE_NULL ? json_null() :
				    json_integer(sqlite3_column_int64(st, 1)));
		json_object_set_new(o, "url", col_json(st, 2));
		json_object_set_new(o, "payload", col_json(st, 3));
		json_object_set_new(o, "tries", json_integer(sqlite3_column_int64(st, 4)));
		json_object_set_new(o, "last_error", col_json(st, 5));
		json_object_set_new(o, "created_at", col_json(st, 6));
		json_array_append_new(a, o);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		json_decref(a);
		return fail(db, "reading the outbox", cause);
	}
	*out = a;
	return 0;
}

int shoplog_outbox_done(struct shoplog *db, long long id, const char *error, char **cause)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db->db, "UPDATE outbox SET tries = tries + 1, last_error = ?, "
			       "sent_at = ? WHERE id = ?", -1, &st, NULL) != SQLITE_OK)
		return fail(db, "updating the outbox", cause);
	char *now = error ? NULL : now_iso();
	bind_text(st, 1, error);
	bind_text(st, 2, now);
	sqlite3_bind_int64(st, 3, id);
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	free(now);
	if (rc != SQLITE_DONE)
		return fail(db, "updating the outbox", cause);
	return 0;
}

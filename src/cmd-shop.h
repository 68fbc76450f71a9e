/*
 * cmd-shop.h - what `info`, `scan` and `log` share for a repair shop: the
 * shop log options, logging a visit, redaction of shared output, sending to
 * a collector, the shop's config, CSV.  Messages are printed here, exit
 * statuses returned to the command.
 */
#ifndef BD_CMD_SHOP_H
#define BD_CMD_SHOP_H

#include <stdbool.h>
#include <stdio.h>
#include <jansson.h>
#include "cmd.h"
#include "diagnose.h"
#include "report.h"
#include "shoplog.h"

/* Long-option codes, past any short option letter. */
enum {
	SHOP_OPT_LOG = 0x100, SHOP_OPT_DB, SHOP_OPT_NOTE, SHOP_OPT_TICKET,
	SHOP_OPT_PERSONAL, SHOP_OPT_POST, SHOP_OPT_CACERT,
};
#define SHOP_LONG_OPTIONS                                                     \
	{ "log", no_argument, NULL, SHOP_OPT_LOG },                           \
	{ "db", required_argument, NULL, SHOP_OPT_DB },                       \
	{ "note", required_argument, NULL, SHOP_OPT_NOTE },                   \
	{ "ticket", required_argument, NULL, SHOP_OPT_TICKET },               \
	{ "include-personal", no_argument, NULL, SHOP_OPT_PERSONAL },         \
	{ "post", required_argument, NULL, SHOP_OPT_POST },                   \
	{ "cacert", required_argument, NULL, SHOP_OPT_CACERT }
#define SHOP_OPTION_NAMES "--log", "--db", "--note", "--ticket", "--include-personal", \
	"--post", "--cacert"

struct shop_opts {
	bool log;
	const char *db;		/* --db, else the default path */
	const char *note, *ticket;
	bool include_personal;
	const char *post, *cacert;
	bool redacted;		/* the report data has been redacted */
	long long visit_id;	/* after cmd_shop_log */
};

/* true when getopt's `c` was one of SHOP_LONG_OPTIONS (stored in *so). */
bool cmd_shop_option(int c, const char *arg, struct shop_opts *so);

/* Open the shop log (--db or the default); prints the error, NULL on failure. */
struct shoplog *cmd_shop_open(const char *db);

/* The models file beside the rules (caller frees; may be NULL). */
char *cmd_models_path(const struct cmd_env *env);

/*
 * A visit for the shop log (new reference): the device record, the
 * findings, the actions, the --note and --ticket.
 */
json_t *cmd_visit_new(const struct shop_opts *so, const char *command, json_t *devrec,
		      const struct diagnosis *dg, const struct action *actions, size_t nactions);
/* Add it when --log was given: 0 or an exit status (message printed). */
int cmd_shop_log(struct shop_opts *so, json_t *visit);

/*
 * Before a report is written: --log adds the visit (with personal data);
 * then, when the report is shared (md, html, json, --post) and
 * --include-personal was not given, the facts, the diagnosis and *source
 * are redacted in place.  0 or an exit status (message printed).
 */
int cmd_shop_prepare(struct shop_opts *so, const struct cmd_env *env, const char *command,
		     struct facts *facts, struct diagnosis *dg, const char *device_id,
		     const struct action *actions, size_t nactions, bool shared, char **source);

/* Redact the report's data unless --include-personal (once). */
void cmd_shop_redact(struct shop_opts *so, struct facts *facts, struct diagnosis *dg, char **source);

/*
 * --post: send the JSON report; a report that could not be delivered is
 * kept in the shop log.  0, or an exit status (message printed).
 */
int cmd_shop_post(struct shop_opts *so, const struct report_ctx *rc);
/* Send one payload with the environment's token; 0 or -1 with *cause. */
int cmd_shop_send(const char *url, const char *cacert, const char *payload, char **cause);

/* The shop's name and contact from $XDG_CONFIG_HOME/backupdoctor/config (caller frees). */
void cmd_shop_config(char **name, char **contact);

/* One CSV row (RFC 4180 quoting); NULL fields are empty. */
void cmd_csv_row(FILE *out, const char *const *fields, size_t n);
/* A JSON scalar as text for CSV / text (caller frees; "" for null). */
char *cmd_json_text(json_t *v);

#endif

/*
 * cmd.h - the subcommand descriptor.  Each cmd-*.c exports one; main.c
 * holds the single table that dispatches.  Commands are thin: parse
 * options, call library code, choose a writer and an exit status.
 */
#ifndef BD_CMD_H
#define BD_CMD_H

#include <stdbool.h>
#include "rules.h"

enum exit_status {
	EXIT_NOTHING = 0,	/* nothing wrong found */
	EXIT_FOUND = 1,		/* at least one cause (see --fail-on) */
	EXIT_USAGE = 2,		/* usage error or bad input */
	EXIT_NODEVICE = 3,	/* no phone, or it could not be read */
	EXIT_INTERNAL = 4,
};

/* What main hands every command. */
struct cmd_env {
	const char *prog;	/* "backupdoctor" */
	const char *rules_dir;	/* --rules, or NULL */
	bool no_color;
};

struct cmd {
	const char *name;
	const char *usage;	/* one line, after "backupdoctor NAME " */
	const char *summary;
	const char *const *options;	/* long options, for completion */
	int (*run)(int argc, char **argv, struct cmd_env *env);
	bool hidden;
};

extern const struct cmd cmd_devices;
extern const struct cmd cmd_scan;
extern const struct cmd cmd_info;
extern const struct cmd cmd_check;
extern const struct cmd cmd_log;
extern const struct cmd cmd_capture;
extern const struct cmd cmd_analyze;
extern const struct cmd cmd_rules;
extern const struct cmd cmd_complete;
extern const struct cmd cmd_net;

/* The table, NULL-terminated (main.c). */
extern const struct cmd *const cmd_table[];

/*
 * Find and load the knowledge base: --rules, $BACKUPDOCTOR_RULES, the
 * installed directory, then rules/ beside the binary.  On failure prints
 * every diagnostic and returns -1 (exit status 2).
 */
int cmd_load_rules(struct cmd_env *env, struct kb *kb);
/* The directory cmd_load_rules would use (caller frees), or NULL. */
char *cmd_rules_dir(const struct cmd_env *env);

/* Print "backupdoctor: message" to stderr. */
void cmd_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Usage line of a command to stderr; returns EXIT_USAGE. */
int cmd_usage(const struct cmd *c);

#endif

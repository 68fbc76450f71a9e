/*
 * cmd-common.h - what several commands share: answers given on the command
 * line, choosing the phone, and reading it.  Printing and exit statuses
 * stay with the commands.
 */
#ifndef BD_CMD_COMMON_H
#define BD_CMD_COMMON_H

#include "capture.h"
#include "cmd.h"
#include "diagnose.h"
#include "report.h"
#include "facts.h"
#include "probe.h"
#include "rules.h"

/*
 * Check every --answer and every line of every --answers file against the
 * knowledge base; the assignments end up in `answers`.  Prints each problem
 * (file:line); returns 0 or EXIT_USAGE.
 */
int cmd_collect_answers(const struct kb *kb, struct strlist *answers,
			const struct strlist *answer_files);
/* Options every report-writing command takes; each prints its own error. */
enum fail_on { FAIL_POSSIBLE, FAIL_CONFIRMED, FAIL_NEVER };
int cmd_parse_format(const char *arg, enum report_format *out);
int cmd_parse_fail_on(const char *arg, enum fail_on *out);
/* Colour: text, to a terminal, not to a file, no --no-color, no NO_COLOR. */
bool cmd_color(const struct cmd_env *env, enum report_format fmt, const char *output);
/* The exit status a diagnosis asks for. */
int cmd_exit_for(const struct diagnosis *dg, enum fail_on fo);

/* Apply checked answers to a fact store. */
void cmd_apply_answers(const struct kb *kb, struct facts *facts, const struct strlist *answers);

/* "--timeout 5", "2.5", "500ms" -> seconds; -1 when not a duration. */
double cmd_parse_seconds(const char *s);

/*
 * The phone to read: --device ID, else $ANDROID_SERIAL among Android
 * phones, else the only phone attached.  Several and none named: list them
 * (exit 2).  None: say what to do (exit 3).  0 with *out filled.
 */
int cmd_pick_phone(const char *want, const struct probe_opts *o, struct phone *out);

/*
 * Pick and read: 0, or an exit status (messages printed).  With wait_s > 0,
 * a phone waiting for the person (the debugging or Trust prompt, a locked
 * screen) is read again every second until it is ready or the time is up.
 */
int cmd_read_phone(const struct kb *kb, const char *want, const struct probe_opts *o,
		   double wait_s, struct capture *cap);

/*
 * The network checks (cmd-net.c), answers added to *cap: the endpoints file
 * (NULL: net-endpoints.txt beside the rules), an upload test URL or NULL.
 * 0, or an exit status (message printed).
 */
int cmd_net_checks(struct cmd_env *env, const char *endpoints, const char *upload_url,
		   struct capture *cap);

/*
 * One input of analyze or check: a facts file, or a capture (raw answers,
 * parsed exactly as scan parses a live phone).  *source names it (caller
 * frees, also on failure); *unreadable says the captured phone could not be
 * read.  0, or -1 with the problems printed.
 */
int cmd_load_input(const struct kb *kb, const char *path, struct facts *facts, char **source,
		   bool *unreadable);

/* How a report names a capture: "android:SERIAL" (caller frees). */
char *cmd_capture_source(const struct capture *cap);
/* The phone could not be read: its state, for the exit status and the message. */
bool cmd_capture_unreadable(const struct capture *cap);

#endif

/*
 * tui.h - the interactive checklist of `backupdoctor check` (ncursesw).
 * The screen is a view of a diagnosis: it reads the fact store, asks
 * questions in place, re-reads through a callback and hands back what was
 * found and done.  Only tui*.c include curses.h.
 */
#ifndef BD_TUI_H
#define BD_TUI_H

#include <stdbool.h>
#include "diagnose.h"
#include "facts.h"
#include "rules.h"

/* Read the phone (or the file) again into *out: 0, or -1 with *cause. */
typedef int (*tui_reload_fn)(void *ctx, struct facts *out, char **cause);

struct tui_session {
	const struct kb *kb;
	struct facts *facts;	/* the caller's; answers and re-scans change it */
	const char *source;	/* shown in the title line; may be NULL */
	bool color;		/* the caller checked NO_COLOR and --no-color */
	bool manual;		/* first choose the platform and the backup app */
	tui_reload_fn reload;	/* NULL: nothing to re-read */
	void *reload_ctx;
	/* out: filled while the screen runs, the caller releases */
	struct strlist answers;	/* "FACT=VALUE" given on the screen */
	struct strlist done;	/* tui_step_key() of every step marked done */
	struct diagnosis dg;	/* the last diagnosis shown */
	bool quit;		/* false when the person gave up in the chooser */
};

/* Run the screen until `q`; the terminal is restored.  0, or -1 when no screen. */
int tui_check(struct tui_session *s);

/* The key naming fix step `step` of fix `fix` of a finding (caller frees). */
char *tui_step_key(const struct finding *f, size_t fix, size_t step);

#endif

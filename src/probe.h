/*
 * probe.h - finding the phones and reading one: the seam between the
 * back-ends (adb for Android; libimobiledevice for iOS as it lands) and the
 * commands.  A probe collects a capture; turning a capture into facts is
 * the parsers' job (probe_facts), the same for a live phone and a file.
 */
#ifndef BD_PROBE_H
#define BD_PROBE_H

#include <stdbool.h>
#include "capture.h"
#include "facts.h"
#include "rules.h"

/* One phone as the listing shows it. */
struct phone {
	char *id;		/* adb serial or UDID */
	char *platform;		/* "android" / "ios" */
	char *state;		/* ready, unauthorized, offline, not-trusted, locked, usb-only */
	char *model;		/* may be NULL */
	struct kv *attrs;	/* the transport's own listing */
	size_t nattrs;
};

struct phones {
	struct phone *v;
	size_t n, alloc;
	struct strlist notes;	/* things the person should know ("started the adb server") */
	struct strlist problems;	/* back-ends that could not be asked, and why */
};

struct probe_opts {
	double timeout_s;	/* per query */
	int parallel;		/* queries at once */
	bool start_adb;		/* start an adb server when none runs */
	double log_seconds;	/* iPhones: also read the device log this long (0: not at all) */
	const char *data_dir;	/* where usb-vendors.txt lives (the rules); NULL: no USB bus listing */
};
void probe_opts_default(struct probe_opts *o);

/* Every phone every back-end can see. */
void probe_list(const struct probe_opts *o, struct phones *out);
void phones_release(struct phones *p);
void phone_release(struct phone *p);

/*
 * Read one phone into *cap: identity, state and every raw answer the
 * knowledge base needs.  A phone that is not ready gives a capture with its
 * state and no answers.  Returns 0, or -1 with *cause when the back-end
 * itself failed.
 */
int probe_capture(const struct kb *kb, const struct phone *ph, const struct probe_opts *o,
		  struct capture *cap, char **cause);

/*
 * Run one shell command on an Android phone (the fix actions).  The answer
 * is added to `log` and returned (valid until the next addition).
 */
const struct answer *probe_android_shell(const char *serial, const char *cmd, double timeout_s,
					 struct capture *log);

/* The facts a capture tells, through the platform's parsers. */
int probe_facts(const struct kb *kb, const struct capture *cap, struct facts *out);

#endif

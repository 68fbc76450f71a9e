/*
 * ios.h - the iOS back-end: iPhones and iPads through usbmuxd, lockdownd
 * and its services (libimobiledevice).  Only ios.c includes the library's
 * headers.  Like every probe it collects raw answers; parse-ios.c gives them
 * meaning.
 */
#ifndef BD_IOS_H
#define BD_IOS_H

#include "capture.h"
#include "probe.h"
#include "rules.h"

/* Add every iOS device usbmuxd lists to `out` (never raises a Trust prompt). */
void ios_list(const struct probe_opts *o, struct phones *out);

/*
 * Read one device into `cap` (platform, id and state already set by the
 * caller): one lockdown session, each service started once, every read
 * with a deadline.  A device that cannot be read (not trusted, locked)
 * gets that state in cap->device_state and a note.  0, or -1 with *cause.
 */
int ios_capture(const struct kb *kb, const struct phone *ph, const struct probe_opts *o,
		struct capture *cap, char **cause);

#endif

/*
 * usb.h - the computer's own view of the USB bus (libusb-1.0), and the
 * pure reading of it.  usb_read() only collects: one line per device, the
 * raw answer stored in a capture under the query "usb:bus", so a scan and
 * the analysis of its capture see the same bus.  usb_parse() and the
 * vendor table give it meaning; only usb.c includes libusb.h.
 *
 * The line format (tab-separated key=value, stable, in captures):
 *   path=1-2.1 bus=1 addr=5 vid=05ac pid=12a8 class=0 speed=high
 *   hub=1 hub_self_powered=0 access=rw serial=… product=… manufacturer=…
 */
#ifndef BD_USB_H
#define BD_USB_H

#include <stdbool.h>
#include "capture.h"
#include "facts.h"
#include "xalloc.h"

/*
 * Enumerate the bus into *out.  0; 1 when this computer has no USB bus to
 * read (nothing added, no error); -1 with *cause when the bus could not be
 * read (permissions, libusb failure).
 */
int usb_read(struct buf *out, char **cause);

/* One device as a line of usb_read() says it; strings owned. */
struct usb_dev {
	char *path;		/* "1-2.1": bus, then the port path */
	int bus, addr;
	unsigned vid, pid, dev_class;
	char *speed;		/* low, full, high, super, super+, unknown */
	bool behind_hub;	/* a hub sits between the phone and the computer */
	int hub_self_powered;	/* -1 unknown / not behind a hub, 0 bus-powered, 1 self-powered */
	bool no_access;		/* this user may not open the device node */
	char *serial, *product, *manufacturer;	/* may be NULL */
};

struct usb_devs {
	struct usb_dev *v;
	size_t n, alloc;
};

/* Parse usb_read()'s text; unknown keys and malformed lines are skipped. */
void usb_parse(const char *text, struct usb_devs *out);
void usb_devs_release(struct usb_devs *d);

/* The phone makers' ids (data file usb-vendors.txt beside the rules). */
struct usb_vendor {
	unsigned vid, pid_lo, pid_hi;
	char *platform;		/* "android" / "ios" */
	char *name;
};
struct usb_vendors {
	struct usb_vendor *v;
	size_t n, alloc;
};
/*
 * Parse the vendor table: "VID[:PIDLO-PIDHI] PLATFORM NAME…" per line, '#'
 * comments.  0, or -1 with *cause naming the first bad line.
 */
int usb_vendors_parse(const char *text, struct usb_vendors *out, char **cause);
void usb_vendors_release(struct usb_vendors *v);
/* The entry a device matches, or NULL (not a phone). */
const struct usb_vendor *usb_vendors_match(const struct usb_vendors *v, const struct usb_dev *d);

/* Does a USB serial name this transport id (UDID with or without dashes)? */
bool usb_serial_matches(const char *serial, const char *id);

/*
 * The link facts of the phone a capture read (usb.speed, usb.behind_hub,
 * usb.hub_self_powered, usb.product), from the bus line its listing kept
 * under "usb"; nothing when the phone was not matched on the bus.
 */
void usb_facts(const struct capture *cap, struct facts *out);

#endif

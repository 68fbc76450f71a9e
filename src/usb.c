/*
 * usb.c - reading the USB bus through libusb-1.0: the only file that
 * includes libusb.h.  It collects what the descriptors and sysfs say about
 * each device and writes it as text lines (see usb.h); it does not decide
 * what is a phone.  Reading descriptors needs no root; opening a device
 * does, so only whether this user could open it is recorded.
 */
#include <errno.h>
#include <libusb.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "usb.h"
#include "banned.h"

static const char *speed_name(int s)
{
	switch (s) {
	case LIBUSB_SPEED_LOW: return "low";
	case LIBUSB_SPEED_FULL: return "full";
	case LIBUSB_SPEED_HIGH: return "high";
	case LIBUSB_SPEED_SUPER: return "super";
	case LIBUSB_SPEED_SUPER_PLUS: return "super+";
	default: return "unknown";
	}
}

/* A string attribute of the device from sysfs, without its newline. */
static void sysfs_attr(struct buf *out, const char *key, const char *path, const char *attr)
{
	char *p = xasprintf("/sys/bus/usb/devices/%s/%s", path, attr);
	FILE *f = fopen(p, "r");
	free(p);
	if (!f)
		return;
	char line[256];
	if (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n\t")] = '\0';
		if (*line)
			buf_addf(out, "\t%s=%s", key, line);
	}
	fclose(f);
}

/* 1 self-powered, 0 bus-powered, -1 unknown: bit 6 of bmAttributes. */
static int self_powered(libusb_device *dev)
{
	struct libusb_config_descriptor *cfg = NULL;
	if (libusb_get_active_config_descriptor(dev, &cfg) &&
	    libusb_get_config_descriptor(dev, 0, &cfg))
		return -1;
	int r = (cfg->bmAttributes & 0x40) != 0;
	libusb_free_config_descriptor(cfg);
	return r;
}

static void one_device(struct buf *out, libusb_device *dev)
{
	struct libusb_device_descriptor dd;
	uint8_t ports[8];
	int np = libusb_get_port_numbers(dev, ports, sizeof(ports));
	if (np <= 0 || libusb_get_device_descriptor(dev, &dd))
		return; /* a root hub, or a device that went away */
	int bus = libusb_get_bus_number(dev), addr = libusb_get_device_address(dev);
	struct buf path = BUF_INIT;
	buf_addf(&path, "%d-", bus);
	for (int i = 0; i < np; i++)
		buf_addf(&path, "%s%u", i ? "." : "", ports[i]);
	buf_addf(out, "path=%s\tbus=%d\taddr=%d\tvid=%04x\tpid=%04x\tclass=%u\tspeed=%s", buf_str(&path),
		 bus, addr, dd.idVendor, dd.idProduct, dd.bDeviceClass,
		 speed_name(libusb_get_device_speed(dev)));
	/* behind a hub: the parent is itself plugged into a port */
	libusb_device *parent = libusb_get_parent(dev);
	bool hub = parent && libusb_get_port_numbers(parent, ports, sizeof(ports)) > 0;
	buf_addf(out, "\thub=%d", hub);
	if (hub)
		buf_addf(out, "\thub_self_powered=%d", self_powered(parent));
	char *node = xasprintf("/dev/bus/usb/%03d/%03d", bus, addr);
	buf_addf(out, "\taccess=%s", access(node, R_OK | W_OK) ? "no" : "rw");
	free(node);
	sysfs_attr(out, "serial", buf_str(&path), "serial");
	sysfs_attr(out, "product", buf_str(&path), "product");
	sysfs_attr(out, "manufacturer", buf_str(&path), "manufacturer");
	buf_putc(out, '\n');
	buf_release(&path);
}

int usb_read(struct buf *out, char **cause)
{
	struct stat st;
	/* a computer (or container) without a USB bus: nothing to read, nothing wrong */
	if (stat("/sys/bus/usb/devices", &st) && stat("/dev/bus/usb", &st))
		return 1;
	libusb_context *ctx = NULL;
	int r = libusb_init(&ctx);
	if (r) {
		if (r == LIBUSB_ERROR_ACCESS)
			*cause = xasprintf("cannot read the USB bus: permission denied on /dev/bus/usb: "
					   "install the udev rules for phones (Debian: the "
					   "android-sdk-platform-tools-common package, 51-android.rules; "
					   "usbmuxd's 39-usbmuxd.rules) or add the user to the plugdev group");
		else
			*cause = xasprintf("cannot read the USB bus: %s", libusb_strerror(r));
		return -1;
	}
	libusb_device **list = NULL;
	ssize_t n = libusb_get_device_list(ctx, &list);
	if (n < 0) {
		*cause = xasprintf("cannot list the USB devices: %s", libusb_strerror((int)n));
		libusb_exit(ctx);
		return -1;
	}
	for (ssize_t i = 0; i < n; i++)
		one_device(out, list[i]);
	libusb_free_device_list(list, 1);
	libusb_exit(ctx);
	return 0;
}

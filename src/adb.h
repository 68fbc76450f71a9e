/*
 * adb.h - a client of the adb server's smart-socket protocol (the protocol
 * the `adb` program itself speaks to its server).  It only collects: device
 * listings and the raw output of shell commands, never their meaning.
 *
 * Requests are 4 hex digits of length and the text; the server answers
 * OKAY, or FAIL with a 4-hex-digit length and a message.  Shell commands
 * use shell protocol v2 (packets with an exit status) where the device
 * advertises it.  Every network wait has a deadline.
 */
#ifndef BD_ADB_H
#define BD_ADB_H

#include <stdbool.h>
#include <stddef.h>
#include "capture.h"
#include "xalloc.h"

struct adb_server {
	char *host;		/* TCP host, or NULL for a UNIX socket */
	int port;
	char *path;		/* UNIX socket path when host is NULL */
	char *desc;		/* "localhost:5037", for messages */
};

/*
 * Where the server is, the way adb finds it: ADB_SERVER_SOCKET
 * (tcp:HOST:PORT, tcp:PORT, localfilesystem:PATH), else
 * ANDROID_ADB_SERVER_ADDRESS / ANDROID_ADB_SERVER_PORT, else localhost:5037.
 */
int adb_server_init(struct adb_server *s, char **cause);
void adb_server_release(struct adb_server *s);

/* Results of a host request. */
enum adb_result {
	ADB_OK = 0,
	ADB_NO_SERVER,		/* nothing listens there */
	ADB_FAIL,		/* the server said FAIL: *cause holds its message */
	ADB_ERROR,		/* timeout, reset, protocol error: *cause says which */
};

/*
 * A host service with a length-prefixed reply ("host:version",
 * "host:devices-l", "host-serial:S:features"): *reply is the payload.
 */
enum adb_result adb_host_query(const struct adb_server *s, const char *req, double timeout_s,
			       char **reply, char **cause);

struct adb_device {
	char *serial;
	char *state;		/* "device", "unauthorized", "offline", "no permissions …" */
	struct kv *attrs;	/* product:, model:, device:, transport_id: */
	size_t nattrs, attrs_alloc;
};

struct adb_devices {
	struct adb_device *v;
	size_t n, alloc;
};

/* Parse the text of host:devices-l (pure; exposed for tests). */
void adb_parse_devices(const char *text, struct adb_devices *out);
void adb_devices_release(struct adb_devices *d);
const char *adb_device_attr(const struct adb_device *d, const char *key);

/*
 * Start a server with `adb start-server` when none runs and the program is
 * installed.  Returns 0 when it started (caller says so), -1 with *cause.
 */
int adb_start_server(const struct adb_server *s, double timeout_s, char **cause);

/* How to run a batch of shell commands. */
struct adb_run_opts {
	bool shell_v2;		/* the device advertises shell_v2 */
	double timeout_s;	/* per command */
	int parallel;		/* connections at once */
	size_t max_output;	/* bytes kept per answer; more is cut */
};

/*
 * Run every command on device `serial`, concurrently on separate
 * connections, each with its own deadline.  One answer per command is
 * added to `cap` in the order given; nothing here ever blocks past the
 * deadlines.
 */
void adb_run(const struct adb_server *s, const char *serial, const struct strlist *cmds,
	     const struct adb_run_opts *o, struct capture *cap);

#endif

/*
 * capture.h - the raw answers of one phone: exactly what the probes
 * collected, nothing interpreted.  `scan` parses a capture it has just
 * made; `analyze` parses one loaded from a file; both give the same report.
 *
 * The file form (schema backupdoctor.capture/1) is documented in
 * backupdoctor(1): one format for Android and iOS.
 */
#ifndef BD_CAPTURE_H
#define BD_CAPTURE_H

#include <stdbool.h>
#include <stddef.h>
#include <jansson.h>
#include "diag.h"

#define CAPTURE_SCHEMA "backupdoctor.capture/1"

enum answer_status {
	ANSWER_OK = 0,		/* the command ran to its end */
	ANSWER_TIMEOUT,		/* no end before the deadline: output so far kept */
	ANSWER_CUT,		/* the connection ended without an exit status */
	ANSWER_FAILED,		/* could not be asked at all (refused, no device) */
};
const char *answer_status_name(enum answer_status s);

struct answer {
	char *query;		/* the shell command line, or "lockdown:DOMAIN" … */
	char *out;		/* standard output, NUL-terminated; may hold NULs */
	size_t out_len;
	char *err;		/* standard error (shell v2), NUL-terminated */
	size_t err_len;
	int exit_code;		/* -1 when the transport gave none */
	double ms;		/* time from asking to the end */
	enum answer_status status;
	char *error;		/* what went wrong, for people; NULL when OK */
};

/* One name = value pair about the device as its transport lists it. */
struct kv {
	char *key;
	char *value;
};

struct capture {
	char *platform;		/* "android" or "ios" */
	double captured_at;	/* seconds since the epoch */
	char *tool_version;
	char *device_id;	/* adb serial or UDID */
	char *device_state;	/* ready, unauthorized, offline, not-trusted, locked … */
	struct kv *device;	/* transport's listing: model, product, features … */
	size_t ndevice, device_alloc;
	struct answer *answers;
	size_t nanswers, answers_alloc;
	char *note;		/* a remark about the whole capture, may be NULL */
};

void capture_init(struct capture *c);
void capture_release(struct capture *c);
/* Add an answer (copies everything); returns it for the caller to fill. */
struct answer *capture_add(struct capture *c, const char *query);
void capture_set_out(struct answer *a, const char *out, size_t len);
void capture_set_err(struct answer *a, const char *err, size_t len);
void capture_set_device(struct capture *c, const char *key, const char *value);
const char *capture_device(const struct capture *c, const char *key);
/* The answer to `query`, or NULL when it was never asked. */
const struct answer *capture_find(const struct capture *c, const char *query);

json_t *capture_json(const struct capture *c);
int capture_write(const struct capture *c, const char *path, char **cause);
/* Parse the JSON form; errors name the file and the place. */
int capture_parse_json(json_t *root, const char *name, struct capture *out, struct diags *d);
/* Is this JSON document a capture (as opposed to a facts file)? */
bool capture_is(json_t *root);

#endif

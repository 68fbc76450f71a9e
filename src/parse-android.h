/*
 * parse-android.h - what to ask an Android phone, and the pure parsers that
 * turn its answers into facts.  No I/O here: bytes in, facts out.  Output
 * formats differ between Android versions and makers; an unknown line is
 * skipped, a value that cannot be read makes its fact unknown with a note
 * naming the command, never a crash and never a silent false.
 *
 * Every parser takes a command's standard output as `len` bytes (it may
 * hold NULs, need not end in a newline, and is read at most up to
 * ANDROID_MAX_OUTPUT bytes), the command line as `source` (the provenance
 * of every fact it sets; the raw excerpt is the trimmed line the value came
 * from), and returns 0 when it understood the output or -1 when it did not
 * (then it has set nothing, and the caller marks the command's facts
 * unknown).
 */
#ifndef BD_PARSE_ANDROID_H
#define BD_PARSE_ANDROID_H

#include <stddef.h>
#include "capture.h"
#include "facts.h"
#include "rules.h"

/* Longer outputs are read only this far: the work stays bounded. */
#define ANDROID_MAX_OUTPUT (16u << 20)

/*
 * The shell command lines a scan runs on an Android phone, in the order
 * they are best started (slowest first).  Per-app commands use the
 * packages of the knowledge base's app catalogue.  Each string is added to
 * `out`.  Each line runs on its own connection, in the phone's shell.
 */
void android_queries(const struct kb *kb, struct strlist *out);

/*
 * Every fact the capture tells.  Facts whose command is missing, failed or
 * could not be read are set unknown with a note.  Returns 0.
 */
int android_parse(const struct kb *kb, const struct capture *cap, struct facts *out);

/*
 * What the per-app parsers saw that is no fact of its own but decides
 * app.<id>.in_use (see android_in_use()).  -1 = not seen.
 */
struct android_app_signals {
	int listed;		/* in `pm list packages -U` */
	int known;		/* dumpsys package has the package */
	int user_installed;	/* User 0: installed= */
	int enabled;		/* User 0: enabled= 0/1 (2, 3, 4 = disabled) */
	int stopped;		/* User 0: stopped= */
	int not_launched;	/* User 0: notLaunched= */
	int suspended;		/* User 0: suspended= */
	int photo_user_granted;	/* photo permission granted, flag USER_SET */
	int jobs;		/* jobs scheduled (dumpsys jobscheduler PKG) */
	int network_jobs;	/* of those, jobs that need a network */
};
void android_app_signals_init(struct android_app_signals *s);

/*
 * app.<id>.in_use from the signals: true for an app that is installed,
 * enabled, has been opened and keeps upload work (a job that needs the
 * network) scheduled, or for a disabled app that had been set up (opened,
 * photo access granted by the person); false for an app that is absent,
 * never opened (notLaunched), force-stopped or disabled without having been
 * set up; unknown (-1) otherwise, with *why saying what was seen.
 */
int android_in_use(const struct android_app_signals *s, const char **why);

/* The parsers, one per command (exposed for the unit tests). */
int parse_getprop(const char *text, size_t len, const char *source, struct facts *out);
int parse_settings_low_power(const char *text, size_t len, const char *source,
			     struct facts *out);
int parse_settings_http_proxy(const char *text, size_t len, const char *source,
			      struct facts *out);
int parse_dumpsys_battery(const char *text, size_t len, const char *source, struct facts *out);
/* Sets power.battery_low, and power.battery_saver unless it is known already. */
int parse_dumpsys_power(const char *text, size_t len, const char *source, struct facts *out);
int parse_dumpsys_deviceidle(const char *text, size_t len, const char *source,
			     struct facts *out);
/* app.<id>.battery_exempt for every app of the catalogue. */
int parse_deviceidle_whitelist(const struct kb *kb, const char *text, size_t len,
			       const char *source, struct facts *out);
int parse_netpolicy_restrict(const char *text, size_t len, const char *source,
			     struct facts *out);
/*
 * The Data Saver allow list (whitelist) or block list (blacklist): sets
 * app.<id>.data_saver_exempt or app.<id>.bg_data_restricted for every app
 * whose app.<id>.uid is already in `out`.
 */
int parse_netpolicy_uids(const struct kb *kb, const char *text, size_t len, const char *source,
			 struct facts *out);
/*
 * net.connected/type/metered/validated/vpn, net.proxy(_host) of the default
 * network, and net.wifi_rssi/wifi_weak from its signal strength.
 */
int parse_connectivity(const char *text, size_t len, const char *source, struct facts *out);
/* net.wifi_rssi and net.wifi_weak (Android 11+). */
int parse_wifi_status(const char *text, size_t len, const char *source, struct facts *out);
int parse_df_data(const char *text, size_t len, const char *source, struct facts *out);
/* The last line of `content query … | tail -n 1`: `fact` gets the row count. */
int parse_media_count(const char *text, size_t len, const char *source, const char *fact,
		      struct facts *out);
/* accounts.*, and app.<id>.account_count for apps whose account kinds are known. */
int parse_accounts(const struct kb *kb, const char *text, size_t len, const char *source,
		   struct facts *out);
int parse_device_policy(const char *text, size_t len, const char *source, struct facts *out);
int parse_users(const char *text, size_t len, const char *source, struct facts *out);
/* app.<id>.installed and app.<id>.uid for every app of the catalogue. */
int parse_packages(const struct kb *kb, const char *text, size_t len, const char *source,
		   struct facts *out, struct android_app_signals *sig /* one per kb app, or NULL */);

/* Per app: `id` is the app's catalogue id, `pkg` its package. */
int parse_dumpsys_package(const char *id, const char *pkg, const char *text, size_t len,
			  const char *source, int sdk, struct facts *out,
			  struct android_app_signals *sig);
int parse_standby_bucket(const char *id, const char *text, size_t len, const char *source,
			 struct facts *out);
int parse_appops_background(const char *id, const char *text, size_t len, const char *source,
			    struct facts *out);
int parse_jobscheduler(const char *id, const char *text, size_t len, const char *source,
		       struct facts *out, struct android_app_signals *sig);

#endif

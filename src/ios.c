/*
 * ios.c - the iOS back-end: iPhones and iPads through usbmuxd, lockdownd
 * and its services, with libimobiledevice.  It only collects: every reply
 * is stored in the capture as XML property-list text, and parse-ios.c
 * gives it meaning.
 *
 * Deadlines.  libimobiledevice 1.3 has no timeouts on lockdown and most
 * service calls, so a silent phone would block the tool for ever.  Every
 * library call therefore runs on a worker thread (a "lane"): lane 0 holds
 * the lockdown session (handshake, StartService, one GetValue per domain),
 * and each service started gets a lane of its own, on its own connection,
 * so the services' replies overlap the lockdown reads (the device log, when
 * asked for, is one more service, started after the lockdown reads and read
 * for the seconds asked).  The calling thread only waits: when a lane's
 * current call has run longer than the per-query timeout it gives that lane
 * up, marks the lane's unanswered queries ANSWER_TIMEOUT and returns.  A lane given up keeps running detached until
 * the library returns, then cleans up after itself and writes nothing more.
 *
 * Ownership: the lanes and the caller share one `struct job` under its
 * mutex; each holds a reference and the last to let go frees it (with the
 * device handle).  Strings a lane hands over to a slot become the job's;
 * the caller copies them into the capture.  Nothing a lane touches is ever
 * the caller's own memory.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libimobiledevice/libimobiledevice.h>
#include <libimobiledevice/lockdown.h>
#include <libimobiledevice/diagnostics_relay.h>
#include <libimobiledevice/installation_proxy.h>
#include <libimobiledevice/property_list_service.h>
#include <libimobiledevice/syslog_relay.h>
#include <plist/plist.h>
#include <usbmuxd.h>

#include "ios.h"
#include "parse-ios.h"
#include "xalloc.h"
#include "banned.h"

#define LABEL "backupdoctor"
/* A reply bigger than this as XML is not a real answer: it is not kept. */
#define MAX_KEEP (8u << 20)
/* Seconds allowed on top of the timeout while the library makes pairing keys. */
#define KEYGEN_ALLOWANCE 60.0
/* The device log: what is kept of it, at most (lines, bytes), and the longest line looked at. */
#define LOG_MAX_LINES 500
#define LOG_MAX_BYTES (256u << 10)
#define LOG_LINE_HEAD 8192

/* The whole domains one scan reads, one GetValue each, after the root domain. */
static const char *const domains[] = {
	"com.apple.mobile.battery", "com.apple.mobile.backup", "com.apple.disk_usage",
	"com.apple.mobile.chaperone", "com.apple.fmip", "com.apple.mobile.data_sync",
	"com.apple.mobile.iTunes",
};
#define NDOMAINS (sizeof(domains) / sizeof(domains[0]))

/* ---- error names ---- */

/* lockdownd's own names for its errors (the strings the phone sends), by code. */
static const char *ld_name(int e)
{
	static const char *const names[] = {
		"Success", "InvalidArg", "InvalidConf", "PlistError", "PairingFailed", "SSLError",
		"DictError", "ReceiveTimeout", "MuxError", "NoRunningSession", "InvalidResponse",
		"MissingKey", "MissingValue", "GetProhibited", "SetProhibited", "RemoveProhibited",
		"ImmutableValue", "PasswordProtected", "UserDeniedPairing",
		"PairingDialogResponsePending", "MissingHostID", "InvalidHostID", "SessionActive",
		"SessionInactive", "MissingSessionID", "InvalidSessionID", "MissingService",
		"InvalidService", "ServiceLimit", "MissingPairRecord", "SavePairRecordFailed",
		"InvalidPairRecord", "InvalidActivationRecord", "MissingActivationRecord",
		"ServiceProhibited", "EscrowLocked", "PairingProhibitedOverThisConnection",
		"FMiPProtected", "MCProtected", "MCChallengeRequired",
	};
	if (e <= 0 && -e < (int)(sizeof(names) / sizeof(names[0])))
		return names[-e];
	return "UnknownError";
}

/* "lockdown: MissingValue (-12)" (caller frees). */
static char *ld_error(const char *what, int e)
{
	return xasprintf("%s: %s (%d)", what, ld_name(e), e);
}

/* ---- time ---- */

static double mono_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct timespec mono_at(double t)
{
	struct timespec ts;
	ts.tv_sec = (time_t)t;
	ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	return ts;
}

/* ---- lanes given up ---- */

/*
 * A lane given up may still be inside libimobiledevice or OpenSSL when the
 * program exits, and their exit-time clean-up (OpenSSL frees its locks)
 * would pull the ground from under it.  While any such lane runs, the exit
 * hook flushes stdio and ends the process at once with the same status,
 * before those clean-ups.  The only process-wide state of this file.
 */
static pthread_mutex_t strays_mu = PTHREAD_MUTEX_INITIALIZER;
static int strays;
static bool strays_hooked;

static void strays_exit(int status, void *arg)
{
	(void)arg;
	pthread_mutex_lock(&strays_mu);
	int n = strays;
	pthread_mutex_unlock(&strays_mu);
	if (n) {
		fflush(NULL);
		_exit(status);
	}
}

static void strays_add(int n)
{
	pthread_mutex_lock(&strays_mu);
	strays += n;
	/* registered after the libraries' own exit handlers, so it runs before them */
	if (n > 0 && !strays_hooked && !on_exit(strays_exit, NULL))
		strays_hooked = true;
	pthread_mutex_unlock(&strays_mu);
}

/* ---- the shared state of one capture or one listing ---- */

enum slot_state { SLOT_PENDING, SLOT_DONE, SLOT_SKIPPED };

/* One query and, once done, its answer. */
struct slot {
	char *query;
	int lane;		/* the lane that will answer it */
	enum slot_state st;
	double t0;		/* when it was asked; 0 before */
	double ms;
	enum answer_status status;
	char *out;
	size_t out_len;
	char *error;
};

struct lane {
	pthread_t thread;
	bool started, finished, abandoned, busy;
	bool connected;		/* services: the connection to the port is made (or failed) */
	double since;
	double allowance;	/* extra seconds for the call in progress (local key generation) */		/* start of the call in progress */
	char what[96];		/* that call, for the timeout message */
	/* listing only: what the lane found out about its phone */
	char *udid, *state, *product_type, *device_class, *product_id;
};

struct job {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int refs;
	double timeout_s;
	idevice_t dev;		/* capture: shared by the lanes, freed with the job */
	char *udid;		/* capture: the phone's */
	struct lane *lanes;
	size_t nlanes, lanes_alloc;
	struct slot *slots;
	size_t nslots, slots_alloc;
	bool session_open;	/* lane 0 got past the handshake */
	char *state, *note;	/* capture: what the handshake said, NULL when ready */
	struct strlist bundles;	/* capture: app bundle ids to ask the installation proxy for */
	double log_seconds;	/* capture: how long to read the device log (0: not at all) */
	char *log_query;	/* capture: its query, "syslog:N"; NULL when not read */
	int log_lane;
};

static struct job *job_new(double timeout_s)
{
	struct job *j = xcalloc(1, sizeof(*j));
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&j->cv, &ca);
	pthread_condattr_destroy(&ca);
	pthread_mutex_init(&j->mu, NULL);
	j->refs = 1;
	j->timeout_s = timeout_s > 0 ? timeout_s : 10;
	return j;
}

static void job_unref(struct job *j)
{
	pthread_mutex_lock(&j->mu);
	bool last = --j->refs == 0;
	pthread_mutex_unlock(&j->mu);
	if (!last)
		return;
	for (size_t i = 0; i < j->nslots; i++) {
		free(j->slots[i].query);
		free(j->slots[i].out);
		free(j->slots[i].error);
	}
	for (size_t i = 0; i < j->nlanes; i++) {
		free(j->lanes[i].udid);
		free(j->lanes[i].state);
		free(j->lanes[i].product_type);
		free(j->lanes[i].device_class);
		free(j->lanes[i].product_id);
	}
	free(j->slots);
	free(j->lanes);
	free(j->state);
	free(j->note);
	free(j->udid);
	free(j->log_query);
	strlist_release(&j->bundles);
	if (j->dev)
		idevice_free(j->dev);
	pthread_mutex_destroy(&j->mu);
	pthread_cond_destroy(&j->cv);
	free(j);
}

/* Before threads run: no lock needed. */
static int job_add_lane(struct job *j)
{
	ALLOC_GROW(j->lanes, j->nlanes + 1, j->lanes_alloc);
	memset(&j->lanes[j->nlanes], 0, sizeof(j->lanes[0]));
	return (int)j->nlanes++;
}

static size_t job_add_slot(struct job *j, const char *query, int lane)
{
	ALLOC_GROW(j->slots, j->nslots + 1, j->slots_alloc);
	struct slot *s = &j->slots[j->nslots];
	memset(s, 0, sizeof(*s));
	s->query = xstrdup(query);
	s->lane = lane;
	return j->nslots++;
}

static size_t job_slot(const struct job *j, const char *query)
{
	for (size_t i = 0; i < j->nslots; i++)
		if (!strcmp(j->slots[i].query, query))
			return i;
	abort(); /* every query is registered before the lanes start */
}

/*
 * Around every library call: call_begin says what the lane is about to
 * block in (false: the lane was given up, stop now); call_end reports
 * back (false: given up meanwhile, clean up and stop).
 */
static bool call_begin_ex(struct job *j, int lane, const char *what, double allowance)
{
	pthread_mutex_lock(&j->mu);
	struct lane *l = &j->lanes[lane];
	bool go = !l->abandoned;
	if (go) {
		l->busy = true;
		l->since = mono_now();
		l->allowance = allowance;
		snprintf(l->what, sizeof(l->what), "%s", what);
	}
	pthread_mutex_unlock(&j->mu);
	return go;
}

static bool call_begin(struct job *j, int lane, const char *what)
{
	return call_begin_ex(j, lane, what, 0);
}

static bool call_end(struct job *j, int lane)
{
	pthread_mutex_lock(&j->mu);
	struct lane *l = &j->lanes[lane];
	l->busy = false;
	bool go = !l->abandoned;
	pthread_cond_broadcast(&j->cv);
	pthread_mutex_unlock(&j->mu);
	return go;
}

static void slot_begin(struct job *j, size_t i)
{
	pthread_mutex_lock(&j->mu);
	j->slots[i].t0 = mono_now();
	pthread_mutex_unlock(&j->mu);
}

/* Hand an answer over (out and error become the job's); dropped when the slot is no longer ours. */
static void slot_put(struct job *j, int lane, size_t i, enum answer_status st, char *out, size_t len,
		     char *error)
{
	pthread_mutex_lock(&j->mu);
	struct slot *s = &j->slots[i];
	if (s->lane == lane && s->st == SLOT_PENDING && !j->lanes[lane].abandoned) {
		double now = mono_now();
		s->ms = s->t0 > 0 ? (now - s->t0) * 1000.0 : 0;
		s->st = SLOT_DONE;
		s->status = st;
		s->out = out ? out : xstrdup("");
		s->out_len = out ? len : 0;
		s->error = error;
		out = error = NULL;
	}
	pthread_cond_broadcast(&j->cv);
	pthread_mutex_unlock(&j->mu);
	free(out);
	free(error);
}

/* A query this lane will not ask after all (no session: nothing to say about it). */
static void slot_skip(struct job *j, int lane, size_t i)
{
	pthread_mutex_lock(&j->mu);
	if (j->slots[i].lane == lane && j->slots[i].st == SLOT_PENDING)
		j->slots[i].st = SLOT_SKIPPED;
	pthread_mutex_unlock(&j->mu);
}

/* A service lane has its connection: lane 0 may close the session now. */
static void lane_connected(struct job *j, int lane)
{
	pthread_mutex_lock(&j->mu);
	j->lanes[lane].connected = true;
	pthread_cond_broadcast(&j->cv);
	pthread_mutex_unlock(&j->mu);
}

/* Lane 0: wait until every service lane started has connected, finished or been given up. */
static void wait_services_connected(struct job *j)
{
	pthread_mutex_lock(&j->mu);
	for (;;) {
		bool waiting = false;
		for (size_t i = 1; i < j->nlanes; i++) {
			const struct lane *l = &j->lanes[i];
			if (l->started && !l->connected && !l->finished && !l->abandoned)
				waiting = true;
		}
		if (!waiting || j->lanes[0].abandoned)
			break;
		pthread_cond_wait(&j->cv, &j->mu);
	}
	pthread_mutex_unlock(&j->mu);
}

static void lane_done(struct job *j, int lane)
{
	pthread_mutex_lock(&j->mu);
	j->lanes[lane].finished = true;
	j->lanes[lane].busy = false;
	bool stray = j->lanes[lane].abandoned;
	pthread_cond_broadcast(&j->cv);
	pthread_mutex_unlock(&j->mu);
	job_unref(j);
	if (stray)
		strays_add(-1);
}

/* Start a lane's thread; the lane holds a reference.  0, or the error of pthread_create. */
static int lane_start(struct job *j, int lane, void *(*fn)(void *), void *arg)
{
	/*
	 * The library writes to sockets the phone may have closed: a lane gets
	 * EPIPE (an error, reported) rather than a SIGPIPE that ends the tool.
	 * Threads inherit the mask of the thread that creates them.
	 */
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &block, &old);
	pthread_mutex_lock(&j->mu);
	j->refs++;
	j->lanes[lane].started = true;
	int r = pthread_create(&j->lanes[lane].thread, NULL, fn, arg);
	if (r) {
		j->refs--;
		j->lanes[lane].started = false;
	}
	pthread_mutex_unlock(&j->mu);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return r;
}

/* Called with the lock held: give a silent lane up and time out what it still owed. */
static void lane_abandon(struct job *j, int lane)
{
	struct lane *l = &j->lanes[lane];
	l->abandoned = true;
	strays_add(1);
	bool first = true;
	for (size_t i = 0; i < j->nslots; i++) {
		struct slot *s = &j->slots[i];
		if (s->lane != lane || s->st != SLOT_PENDING)
			continue;
		s->st = SLOT_DONE;
		s->status = ANSWER_TIMEOUT;
		s->out = xstrdup("");
		s->out_len = 0;
		if (s->t0 > 0 && first) {
			s->ms = (mono_now() - s->t0) * 1000.0;
			s->error = xasprintf("no answer within %g s (%s)", j->timeout_s + l->allowance, l->what);
		} else {
			s->error = xasprintf("not asked: %s did not answer within %g s", l->what, j->timeout_s);
		}
		if (s->t0 > 0)
			first = false;
	}
	pthread_cond_broadcast(&j->cv);
	if (lane == 0 && !j->session_open && !j->state) {
		j->state = xstrdup("offline");
		j->note = xasprintf("the phone did not answer within %g s (%s): unplug it, plug it in "
				    "again, unlock it and run the scan again", j->timeout_s + l->allowance, l->what);
	}
}

/*
 * Wait until every lane has finished or been given up.  A lane is given up
 * when its current call has run past the timeout.
 */
static void job_wait(struct job *j)
{
	pthread_mutex_lock(&j->mu);
	for (;;) {
		double now = mono_now(), next = now + j->timeout_s;
		bool running = false;
		for (size_t i = 0; i < j->nlanes; i++) {
			struct lane *l = &j->lanes[i];
			if (!l->started || l->finished || l->abandoned)
				continue;
			double deadline = l->since + j->timeout_s + l->allowance;
			if (l->busy && now >= deadline) {
				lane_abandon(j, (int)i);
				continue;
			}
			running = true;
			if (l->busy && deadline < next)
				next = deadline;
		}
		if (!running)
			break;
		struct timespec ts = mono_at(next + 0.001);
		pthread_cond_timedwait(&j->cv, &j->mu, &ts);
	}
	pthread_mutex_unlock(&j->mu);
}

/* After job_wait: collect the lanes that ended, let the given-up ones go. */
static void job_release_threads(struct job *j)
{
	for (size_t i = 0; i < j->nlanes; i++) {
		pthread_mutex_lock(&j->mu);
		struct lane *l = &j->lanes[i];
		bool started = l->started, join = l->finished;
		pthread_t t = l->thread;
		pthread_mutex_unlock(&j->mu);
		if (!started)
			continue;
		if (join)
			pthread_join(t, NULL);
		else
			pthread_detach(t);
	}
}

/* ---- property lists as capture text ---- */

static char *plist_xml(plist_t p, size_t *len)
{
	char *xml = NULL;
	uint32_t n = 0;
	plist_to_xml(p, &xml, &n);
	if (!xml) {
		*len = 0;
		return NULL;
	}
	char *s = xstrndup(xml, n);
	*len = n;
	plist_to_xml_free(xml);
	return s;
}

/* Store a reply; NULL (a call that succeeded without a value) is stored as no output. */
static void slot_put_plist(struct job *j, int lane, size_t i, plist_t p)
{
	size_t len = 0;
	char *xml = p ? plist_xml(p, &len) : NULL;
	if (len > MAX_KEEP) {
		free(xml);
		slot_put(j, lane, i, ANSWER_FAILED, NULL, 0,
			 xasprintf("the reply is too large to be a real answer (%zu bytes as XML): not kept", len));
		return;
	}
	slot_put(j, lane, i, ANSWER_OK, xml, len, NULL);
}

/* ---- lane 0: the lockdown session ---- */

struct lane_arg {
	struct job *job;
	int lane;
	lockdownd_service_descriptor_t svc;	/* services: the port lane 0 opened */
};

/* What each handshake error means for the person, as a state and a note. */
static void session_failed(struct job *j, lockdownd_error_t e)
{
	const char *state = "not-trusted", *note;
	switch (e) {
	case LOCKDOWN_E_PAIRING_DIALOG_RESPONSE_PENDING:
		state = "pairing-pending";
		note = "the phone asks whether to trust this computer: unlock it, tap Trust, enter the "
		       "passcode, then run the scan again";
		break;
	case LOCKDOWN_E_USER_DENIED_PAIRING:
		state = "pairing-denied";
		note = "the phone was told not to trust this computer: unplug it, plug it in again, "
		       "unlock it and tap Trust";
		break;
	case LOCKDOWN_E_PASSWORD_PROTECTED:
		state = "locked";
		note = "the phone is locked: unlock it with its passcode and keep it unlocked while "
		       "the scan runs";
		break;
	case LOCKDOWN_E_INVALID_HOST_ID:
		note = "the phone no longer trusts this computer (it was erased or its trust settings "
		       "were reset): re-pair: unplug it, plug it in again, unlock it and tap Trust";
		break;
	case LOCKDOWN_E_PAIRING_PROHIBITED_OVER_THIS_CONNECTION:
		note = "the phone does not pair over Wi-Fi: connect it with a cable";
		break;
	case LOCKDOWN_E_MC_PROTECTED:
	case LOCKDOWN_E_MC_CHALLENGE_REQUIRED:
		note = "the organisation that manages the phone does not let it trust new computers";
		break;
	case LOCKDOWN_E_MUX_ERROR:
	case LOCKDOWN_E_RECEIVE_TIMEOUT:
		state = "offline";
		note = "the connection to the phone dropped: keep the cable in and run the scan again; "
		       "if it happens again, try another cable or port";
		break;
	case LOCKDOWN_E_SSL_ERROR:
		state = "offline";
		note = "the secure session with the phone failed: unplug it, plug it in again and run "
		       "the scan again; if it happens again, suspect the cable or port";
		break;
	default:
		note = "the phone refused to open a session: unplug it, plug it in again, unlock it "
		       "and tap Trust if it asks";
		break;
	}
	pthread_mutex_lock(&j->mu);
	if (!j->state) {
		j->state = xstrdup(state);
		j->note = xasprintf("%s (lockdown %s, %d)", note, ld_name(e), e);
	}
	pthread_mutex_unlock(&j->mu);
}

/* One GetValue into its slot.  False when the lane was given up. */
static bool read_domain(struct job *j, lockdownd_client_t ld, const char *domain, size_t slot)
{
	char what[96];
	snprintf(what, sizeof(what), "lockdown GetValue %s", domain ? domain : "(root)");
	plist_t v = NULL;
	slot_begin(j, slot);
	if (!call_begin(j, 0, what))
		return false;
	lockdownd_error_t e = lockdownd_get_value(ld, domain, NULL, &v);
	if (!call_end(j, 0)) {
		plist_free(v);
		return false;
	}
	if (e == LOCKDOWN_E_SUCCESS)
		slot_put_plist(j, 0, slot, v);
	else
		slot_put(j, 0, slot, ANSWER_FAILED, NULL, 0, ld_error("lockdown", e));
	plist_free(v);
	return true;
}

static char *pair_record_host_id(const char *udid);
static void *lane_syslog(void *arg);
static void *lane_diagnostics(void *arg);
static void *lane_instproxy(void *arg);
static void *lane_mcinstall(void *arg);

static const struct service {
	const char *name;
	const char *label;
	void *(*fn)(void *);
	const char *queries[3];
} services[] = {
	{ "com.apple.mobile.diagnostics_relay", "diagnostics", lane_diagnostics,
	  { "diagnostics:IOPMPowerSource", NULL } },
	{ "com.apple.mobile.installation_proxy", "instproxy", lane_instproxy, { "instproxy:browse", NULL } },
	{ "com.apple.mobile.MCInstall", "mcinstall", lane_mcinstall,
	  { "mcinstall:GetProfileList", "mcinstall:GetCloudConfiguration", NULL } },
};
#define NSERVICES (sizeof(services) / sizeof(services[0]))

/* StartService, then hand the port and the service's queries to a lane of its own. */
static bool start_service(struct job *j, lockdownd_client_t ld, const struct service *sv, int lane)
{
	char what[96];
	snprintf(what, sizeof(what), "lockdown StartService %s", sv->name);
	lockdownd_service_descriptor_t svc = NULL;
	if (!call_begin(j, 0, what))
		return false;
	lockdownd_error_t e = lockdownd_start_service(ld, sv->name, &svc);
	if (!call_end(j, 0)) {
		lockdownd_service_descriptor_free(svc);
		return false;
	}
	if (e != LOCKDOWN_E_SUCCESS || !svc || !svc->port) {
		char *w = xasprintf("lockdown StartService %s", sv->name);
		for (size_t q = 0; sv->queries[q]; q++)
			slot_put(j, 0, job_slot(j, sv->queries[q]), ANSWER_FAILED, NULL, 0,
				 ld_error(w, e != LOCKDOWN_E_SUCCESS ? e : LOCKDOWN_E_INVALID_SERVICE));
		free(w);
		lockdownd_service_descriptor_free(svc);
		return true;
	}
	struct lane_arg *la = xcalloc(1, sizeof(*la));
	la->job = j;
	la->lane = lane;
	la->svc = svc;
	/* the queries move to the new lane before it runs */
	pthread_mutex_lock(&j->mu);
	for (size_t q = 0; sv->queries[q]; q++)
		j->slots[job_slot(j, sv->queries[q])].lane = lane;
	pthread_mutex_unlock(&j->mu);
	int r = lane_start(j, lane, sv->fn, la);
	if (r) {
		pthread_mutex_lock(&j->mu);
		for (size_t q = 0; sv->queries[q]; q++)
			j->slots[job_slot(j, sv->queries[q])].lane = 0;
		pthread_mutex_unlock(&j->mu);
		for (size_t q = 0; sv->queries[q]; q++)
			slot_put(j, 0, job_slot(j, sv->queries[q]), ANSWER_FAILED, NULL, 0,
				 xasprintf("%s: no thread to read it: %s", sv->label, strerror(r)));
		lockdownd_service_descriptor_free(svc);
		free(la);
	}
	return true;
}

/* Out of a session the phone still tells part of the root domain (model, version). */
static void read_root_unpaired(struct job *j)
{
	size_t root = job_slot(j, "lockdown:");
	lockdownd_client_t ld = NULL;
	if (!call_begin(j, 0, "lockdownd_client_new"))
		return;
	lockdownd_error_t e = lockdownd_client_new(j->dev, &ld, LABEL);
	if (!call_end(j, 0)) {
		if (ld)
			lockdownd_client_free(ld);
		return;
	}
	if (e != LOCKDOWN_E_SUCCESS) {
		slot_put(j, 0, root, ANSWER_FAILED, NULL, 0, ld_error("lockdown", e));
		return;
	}
	if (read_domain(j, ld, NULL, root) && call_begin(j, 0, "lockdown close")) {
		lockdownd_client_free(ld);
		call_end(j, 0);
	}
	/* given up: the connection is left to the exit, rather than block here again */
}

static void *lane_lockdown(void *arg)
{
	struct lane_arg *la = arg;
	struct job *j = la->job;
	free(la);
	lockdownd_client_t ld = NULL;
	size_t session = job_slot(j, "lockdown:StartSession");

	/*
	 * Without a pair record the handshake pairs: it first makes RSA keys
	 * on this computer (under a second natively, far longer under
	 * valgrind).  That is not the phone being silent: allow for it.
	 */
	slot_begin(j, session);
	if (!call_begin(j, 0, "usbmuxd ReadPairRecord"))
		goto out;
	char *host = pair_record_host_id(j->udid);
	if (!call_end(j, 0)) {
		free(host);
		goto out;
	}
	double keygen = host ? 0 : KEYGEN_ALLOWANCE;
	free(host);
	if (!call_begin_ex(j, 0, "lockdownd_client_new_with_handshake", keygen))
		goto out;
	lockdownd_error_t e = lockdownd_client_new_with_handshake(j->dev, &ld, LABEL);
	if (!call_end(j, 0))
		goto out;
	if (e != LOCKDOWN_E_SUCCESS) {
		ld = NULL;
		slot_put(j, 0, session, ANSWER_FAILED, NULL, 0, ld_error("lockdown", e));
		session_failed(j, e);
		read_root_unpaired(j);
		for (size_t i = 0; i < j->nslots; i++)
			slot_skip(j, 0, i);
		goto out;
	}
	pthread_mutex_lock(&j->mu);
	j->session_open = true;
	pthread_mutex_unlock(&j->mu);
	slot_put(j, 0, session, ANSWER_OK, NULL, 0, NULL);

	/* services first: their replies come while lane 0 reads the domains */
	for (size_t s = 0; s < NSERVICES; s++)
		if (!start_service(j, ld, &services[s], (int)(1 + s)))
			goto out;
	if (!read_domain(j, ld, NULL, job_slot(j, "lockdown:")))
		goto out;
	for (size_t d = 0; d < NDOMAINS; d++) {
		char q[96];
		snprintf(q, sizeof(q), "lockdown:%s", domains[d]);
		if (!read_domain(j, ld, domains[d], job_slot(j, q)))
			goto out;
	}
	/* the device log last: it is read for a while after the session closes */
	if (j->log_query) {
		const struct service log = { "com.apple.syslog_relay", "syslog", lane_syslog, { j->log_query, NULL } };
		if (!start_service(j, ld, &log, j->log_lane))
			goto out;
	}
	/* StopSession and close once the services hold their own connections */
	wait_services_connected(j);
	if (call_begin(j, 0, "lockdown StopSession")) {
		lockdownd_client_free(ld);
		ld = NULL;
		call_end(j, 0);
	}
out:
	/* a lane given up mid-call leaves the session to the process exit rather than block again */
	lane_done(j, 0);
	return NULL;
}

/* ---- the service lanes ---- */

/*
 * The device log: raw syslog lines ("…\n\0" each) for log_seconds, read in
 * steps well under the per-query timeout.  Only the lines about backups are
 * kept, without the host field (the phone's name), and at most
 * LOG_MAX_LINES / LOG_MAX_BYTES of them; once that is full the read stops.
 * The answer is the kept lines, one per line; silence is an empty answer.
 */
static void *lane_syslog(void *arg)
{
	struct lane_arg *la = arg;
	struct job *j = la->job;
	int lane = la->lane;
	size_t slot = job_slot(j, j->log_query);
	syslog_relay_client_t c = NULL;
	struct buf kept = BUF_INIT;
	char *line = xmalloc(LOG_LINE_HEAD), *chunk = xmalloc(16384);
	size_t len = 0, nkept = 0;
	bool full = false;
	slot_begin(j, slot);
	if (!call_begin(j, lane, "syslog relay connect"))
		goto out;
	syslog_relay_error_t e = syslog_relay_client_new(j->dev, la->svc, &c);
	lane_connected(j, lane);
	if (!call_end(j, lane))
		goto out;
	if (e != SYSLOG_RELAY_E_SUCCESS) {
		slot_put(j, lane, slot, ANSWER_FAILED, NULL, 0,
			 xasprintf("syslog: cannot connect to the relay (%d)", e));
		goto out;
	}
	double end = mono_now() + j->log_seconds, most = j->timeout_s / 2 < 0.5 ? j->timeout_s / 2 : 0.5;
	enum answer_status st = ANSWER_OK;
	char *err = NULL;
	while (!full) {
		double left = end - mono_now();
		if (left <= 0)
			break;
		unsigned ms = (unsigned)((left < most ? left : most) * 1000);
		uint32_t got = 0;
		if (!call_begin(j, lane, "syslog relay receive"))
			goto out;
		e = syslog_relay_receive_with_timeout(c, chunk, 16384, &got, ms ? ms : 1);
		if (!call_end(j, lane))
			goto out;
		for (uint32_t i = 0; i < got && !full; i++) {
			if (chunk[i] != '\n' && chunk[i] != '\0') {
				if (len < LOG_LINE_HEAD)
					line[len++] = chunk[i]; /* a longer line is judged by its head */
				continue;
			}
			char *k = len ? ios_syslog_keep(line, len) : NULL;
			len = 0;
			if (!k)
				continue;
			size_t n = strlen(k);
			if (nkept >= LOG_MAX_LINES || kept.len + n + 1 > LOG_MAX_BYTES) {
				full = true;
			} else {
				buf_add(&kept, k, n);
				buf_putc(&kept, '\n');
				nkept++;
			}
			free(k);
		}
		if (e == SYSLOG_RELAY_E_SUCCESS || e == SYSLOG_RELAY_E_TIMEOUT)
			continue;
		/* the stream ended: the phone went away or closed it */
		st = ANSWER_CUT;
		err = xasprintf("syslog: the log stream ended after %.1f s (%d)",
				j->log_seconds - (end - mono_now()), e);
		break;
	}
	size_t n = kept.len;
	slot_put(j, lane, slot, st, buf_detach(&kept), n, err);
out:
	buf_release(&kept);
	free(line);
	free(chunk);
	if (c && call_begin(j, lane, "syslog relay close")) {
		syslog_relay_client_free(c);
		call_end(j, lane);
	}
	lockdownd_service_descriptor_free(la->svc);
	free(la);
	lane_done(j, lane);
	return NULL;
}

static void *lane_diagnostics(void *arg)
{
	struct lane_arg *la = arg;
	struct job *j = la->job;
	int lane = la->lane;
	size_t slot = job_slot(j, "diagnostics:IOPMPowerSource");
	diagnostics_relay_client_t c = NULL;
	plist_t p = NULL;
	slot_begin(j, slot);
	if (!call_begin(j, lane, "diagnostics relay connect"))
		goto out;
	diagnostics_relay_error_t e = diagnostics_relay_client_new(j->dev, la->svc, &c);
	lane_connected(j, lane);
	if (!call_end(j, lane))
		goto out;
	if (e != DIAGNOSTICS_RELAY_E_SUCCESS) {
		slot_put(j, lane, slot, ANSWER_FAILED, NULL, 0,
			 xasprintf("diagnostics: cannot connect to the relay (%d)", e));
		goto out;
	}
	if (!call_begin(j, lane, "diagnostics IORegistry IOPMPowerSource"))
		goto out;
	e = diagnostics_relay_query_ioregistry_entry(c, NULL, "IOPMPowerSource", &p);
	if (!call_end(j, lane))
		goto out;
	if (e == DIAGNOSTICS_RELAY_E_SUCCESS)
		slot_put_plist(j, lane, slot, p);
	else
		slot_put(j, lane, slot, ANSWER_FAILED, NULL, 0,
			 xasprintf("diagnostics: IORegistry IOPMPowerSource %s (%d)",
				   e == DIAGNOSTICS_RELAY_E_UNKNOWN_REQUEST ? "is an unknown request" : "failed", e));
out:
	plist_free(p);
	if (c && call_begin(j, lane, "diagnostics close")) {
		diagnostics_relay_client_free(c);
		call_end(j, lane);
	}
	lockdownd_service_descriptor_free(la->svc);
	free(la);
	lane_done(j, lane);
	return NULL;
}

static void *lane_instproxy(void *arg)
{
	struct lane_arg *la = arg;
	struct job *j = la->job;
	int lane = la->lane;
	size_t slot = job_slot(j, "instproxy:browse");
	instproxy_client_t c = NULL;
	plist_t opts = NULL, apps = NULL;
	slot_begin(j, slot);
	if (!call_begin(j, lane, "installation proxy connect"))
		goto out;
	instproxy_error_t e = instproxy_client_new(j->dev, la->svc, &c);
	lane_connected(j, lane);
	if (!call_end(j, lane))
		goto out;
	if (e != INSTPROXY_E_SUCCESS) {
		slot_put(j, lane, slot, ANSWER_FAILED, NULL, 0,
			 xasprintf("instproxy: cannot connect to the installation proxy (%d)", e));
		goto out;
	}
	/* Photos is a System app: ask for Any, limited to the catalogue's bundle ids */
	opts = instproxy_client_options_new();
	instproxy_client_options_add(opts, "ApplicationType", "Any", NULL);
	plist_t ids = plist_new_array();
	for (size_t i = 0; i < j->bundles.n; i++)
		plist_array_append_item(ids, plist_new_string(j->bundles.v[i]));
	plist_dict_set_item(opts, "BundleIDs", ids);
	instproxy_client_options_set_return_attributes(opts, "CFBundleIdentifier", "CFBundleShortVersionString",
						      "CFBundleVersion", "CFBundleDisplayName",
						      "ApplicationType", NULL);
	if (!call_begin(j, lane, "installation proxy Browse"))
		goto out;
	e = instproxy_browse(c, opts, &apps);
	if (!call_end(j, lane))
		goto out;
	if (e == INSTPROXY_E_SUCCESS && apps)
		slot_put_plist(j, lane, slot, apps);
	else
		slot_put(j, lane, slot, ANSWER_FAILED, NULL, 0, xasprintf("instproxy: Browse failed (%d)", e));
out:
	plist_free(apps);
	instproxy_client_options_free(opts);
	if (c && call_begin(j, lane, "installation proxy close")) {
		instproxy_client_free(c);
		call_end(j, lane);
	}
	lockdownd_service_descriptor_free(la->svc);
	free(la);
	lane_done(j, lane);
	return NULL;
}

/* MCInstall has no client in libimobiledevice 1.3: plain property-list requests. */
static void *lane_mcinstall(void *arg)
{
	static const char *const requests[] = { "GetProfileList", "GetCloudConfiguration" };
	struct lane_arg *la = arg;
	struct job *j = la->job;
	int lane = la->lane;
	property_list_service_client_t c = NULL;
	size_t slots[2] = { job_slot(j, "mcinstall:GetProfileList"),
			    job_slot(j, "mcinstall:GetCloudConfiguration") };
	slot_begin(j, slots[0]);
	if (!call_begin(j, lane, "MCInstall connect"))
		goto out;
	property_list_service_error_t e = property_list_service_client_new(j->dev, la->svc, &c);
	lane_connected(j, lane);
	if (!call_end(j, lane))
		goto out;
	if (e != PROPERTY_LIST_SERVICE_E_SUCCESS) {
		for (size_t i = 0; i < 2; i++)
			slot_put(j, lane, slots[i], ANSWER_FAILED, NULL, 0,
				 xasprintf("mcinstall: cannot connect to MCInstall (%d)", e));
		goto out;
	}
	unsigned ms = j->timeout_s * 1000 > 4e9 ? 4000000000u : (unsigned)(j->timeout_s * 1000);
	for (size_t i = 0; i < 2; i++) {
		char what[64];
		snprintf(what, sizeof(what), "MCInstall %s", requests[i]);
		plist_t req = plist_new_dict(), reply = NULL;
		plist_dict_set_item(req, "RequestType", plist_new_string(requests[i]));
		slot_begin(j, slots[i]);
		if (!call_begin(j, lane, what)) {
			plist_free(req);
			goto out;
		}
		e = property_list_service_send_xml_plist(c, req);
		if (e == PROPERTY_LIST_SERVICE_E_SUCCESS)
			e = property_list_service_receive_plist_with_timeout(c, &reply, ms);
		plist_free(req);
		if (!call_end(j, lane)) {
			plist_free(reply);
			goto out;
		}
		/* the reply is stored as it came: its Status is the parser's to judge */
		if (e == PROPERTY_LIST_SERVICE_E_SUCCESS && reply)
			slot_put_plist(j, lane, slots[i], reply);
		else
			slot_put(j, lane, slots[i], e == PROPERTY_LIST_SERVICE_E_RECEIVE_TIMEOUT ? ANSWER_TIMEOUT
				 : ANSWER_FAILED, NULL, 0,
				 xasprintf("mcinstall: %s %s (%d)", requests[i],
					   e == PROPERTY_LIST_SERVICE_E_RECEIVE_TIMEOUT ? "had no answer in time"
										       : "failed", e));
		plist_free(reply);
		if (e != PROPERTY_LIST_SERVICE_E_SUCCESS && e != PROPERTY_LIST_SERVICE_E_PLIST_ERROR) {
			/* the connection is gone: the second request cannot be asked */
			for (size_t k = i + 1; k < 2; k++)
				slot_put(j, lane, slots[k], ANSWER_FAILED, NULL, 0,
					 xasprintf("mcinstall: %s not asked: the connection failed", requests[k]));
			break;
		}
	}
out:
	if (c && call_begin(j, lane, "MCInstall close")) {
		property_list_service_client_free(c);
		call_end(j, lane);
	}
	lockdownd_service_descriptor_free(la->svc);
	free(la);
	lane_done(j, lane);
	return NULL;
}

/* ---- reading one phone ---- */

int ios_capture(const struct kb *kb, const struct phone *ph, const struct probe_opts *o,
		struct capture *cap, char **cause)
{
	idevice_t dev = NULL;
	if (idevice_new_with_options(&dev, ph->id, IDEVICE_LOOKUP_USBMUX) != IDEVICE_E_SUCCESS) {
		/* gone between the listing and now */
		free(cap->device_state);
		cap->device_state = xstrdup("offline");
		free(cap->note);
		cap->note = xstrdup("usbmuxd no longer lists the phone: plug it in again and keep the cable in");
		return 0;
	}
	struct job *j = job_new(o->timeout_s);
	j->dev = dev;
	j->udid = xstrdup(ph->id);
	for (size_t i = 0; kb && i < kb->napps; i++)
		if (kb->apps[i].package[1] && !strlist_has(&j->bundles, kb->apps[i].package[1]))
			strlist_push(&j->bundles, kb->apps[i].package[1]);
	int lane0 = job_add_lane(j);
	for (size_t s = 0; s < NSERVICES; s++)
		job_add_lane(j);
	job_add_slot(j, "lockdown:StartSession", lane0);
	job_add_slot(j, "lockdown:", lane0);
	for (size_t d = 0; d < NDOMAINS; d++) {
		char q[96];
		snprintf(q, sizeof(q), "lockdown:%s", domains[d]);
		job_add_slot(j, q, lane0);
	}
	for (size_t s = 0; s < NSERVICES; s++)
		for (size_t q = 0; services[s].queries[q]; q++)
			job_add_slot(j, services[s].queries[q], lane0);
	if (o->log_seconds > 0) {
		j->log_seconds = o->log_seconds;
		j->log_query = xasprintf("syslog:%g", o->log_seconds);
		j->log_lane = job_add_lane(j);
		job_add_slot(j, j->log_query, lane0);
	}

	struct lane_arg *la = xcalloc(1, sizeof(*la));
	la->job = j;
	la->lane = lane0;
	int r = lane_start(j, lane0, lane_lockdown, la);
	if (r) {
		free(la);
		*cause = xasprintf("cannot start a thread to read the phone: %s", strerror(r));
		job_unref(j);
		return -1;
	}
	job_wait(j);

	pthread_mutex_lock(&j->mu);
	for (size_t i = 0; i < j->nslots; i++) {
		const struct slot *s = &j->slots[i];
		if (s->st != SLOT_DONE)
			continue;
		struct answer *a = capture_add(cap, s->query);
		capture_set_out(a, s->out, s->out_len);
		a->status = s->status;
		a->ms = s->ms;
		a->error = s->error ? xstrdup(s->error) : NULL;
	}
	if (j->state) {
		free(cap->device_state);
		cap->device_state = xstrdup(j->state);
		free(cap->note);
		cap->note = j->note ? xstrdup(j->note) : NULL;
	} else if (strcmp(cap->device_state ? cap->device_state : "", "ready")) {
		/* listed as not trusted or locked, but the session opened: it is ready now */
		free(cap->device_state);
		cap->device_state = xstrdup("ready");
	}
	pthread_mutex_unlock(&j->mu);
	job_release_threads(j);
	job_unref(j);
	return 0;
}

/* ---- listing ---- */

/* HostID of the pair record usbmuxd keeps for this phone; NULL when there is none. */
static char *pair_record_host_id(const char *udid)
{
	char *data = NULL;
	uint32_t size = 0;
	if (usbmuxd_read_pair_record(udid, &data, &size) < 0 || !data || !size) {
		free(data);
		return NULL;
	}
	plist_t rec = NULL;
	plist_from_memory(data, size, &rec);
	free(data);
	char *host = NULL;
	plist_t n = rec && plist_get_node_type(rec) == PLIST_DICT ? plist_dict_get_item(rec, "HostID") : NULL;
	if (n && plist_get_node_type(n) == PLIST_STRING)
		plist_get_string_val(n, &host);
	plist_free(rec);
	return host;
}

static void lane_put(struct job *j, int lane, char **field, char *value)
{
	pthread_mutex_lock(&j->mu);
	if (!j->lanes[lane].abandoned && !*field) {
		*field = value;
		value = NULL;
	}
	pthread_mutex_unlock(&j->mu);
	free(value);
}

static char *get_string(lockdownd_client_t ld, const char *key)
{
	plist_t v = NULL;
	char *s = NULL;
	if (lockdownd_get_value(ld, NULL, key, &v) == LOCKDOWN_E_SUCCESS && v &&
	    plist_get_node_type(v) == PLIST_STRING)
		plist_get_string_val(v, &s);
	plist_free(v);
	return s;
}

/*
 * One listed phone: its model (readable without a session) and whether
 * the phone still accepts this computer's pair record.  ValidatePair on a
 * plain connection never pairs, so no Trust prompt appears; and it needs
 * no TLS (libimobiledevice 1.3 learns the iOS version, and so the TLS
 * version, only inside lockdownd_client_new_with_handshake).
 */
static void *lane_list(void *arg)
{
	struct lane_arg *la = arg;
	struct job *j = la->job;
	int lane = la->lane;
	free(la);
	const char *udid = j->lanes[lane].udid;	/* set before the thread started, never changed */
	idevice_t dev = NULL;
	lockdownd_client_t ld = NULL;
	char *host = NULL, *s;
	const char *state = "offline";

	if (!call_begin(j, lane, "usbmuxd connect"))
		goto out;
	idevice_error_t ie = idevice_new_with_options(&dev, udid, IDEVICE_LOOKUP_USBMUX);
	lockdownd_error_t e = ie == IDEVICE_E_SUCCESS ? lockdownd_client_new(dev, &ld, LABEL)
						      : LOCKDOWN_E_MUX_ERROR;
	if (!call_end(j, lane) || e != LOCKDOWN_E_SUCCESS)
		goto out;
	if (!call_begin(j, lane, "lockdown GetValue ProductType"))
		goto out;
	s = get_string(ld, "ProductType");
	char *cls = get_string(ld, "DeviceClass");
	bool go = call_end(j, lane);
	lane_put(j, lane, &j->lanes[lane].product_type, s);
	lane_put(j, lane, &j->lanes[lane].device_class, cls);
	if (!go || !call_begin(j, lane, "usbmuxd ReadPairRecord"))
		goto out;
	host = pair_record_host_id(udid);
	if (!call_end(j, lane))
		goto out;
	if (!host) {
		state = "not-trusted";
		goto out;
	}
	if (!call_begin(j, lane, "lockdown ValidatePair"))
		goto out;
	e = lockdownd_validate_pair(ld, NULL);
	if (!call_end(j, lane))
		goto out;
	state = e == LOCKDOWN_E_SUCCESS ? "ready"
		: e == LOCKDOWN_E_PASSWORD_PROTECTED ? "locked"
		: e == LOCKDOWN_E_MUX_ERROR || e == LOCKDOWN_E_SSL_ERROR || e == LOCKDOWN_E_RECEIVE_TIMEOUT ? "offline"
		: "not-trusted";
out:
	lane_put(j, lane, &j->lanes[lane].state, xstrdup(state));
	free(host);
	/* given up: leave the connection to the process exit rather than block again */
	if (ld && call_begin(j, lane, "lockdown close")) {
		lockdownd_client_free(ld);
		call_end(j, lane);
	}
	if (dev)
		idevice_free(dev);
	lane_done(j, lane);
	return NULL;
}

/* Why no device list came: `err` is errno after the failed call (0 when unknown). */
static char *usbmuxd_problem(int err)
{
	const char *addr = getenv("USBMUXD_SOCKET_ADDRESS");
	if (addr && *addr) {
		/* a TCP address fails inside a non-blocking connect: errno says only that */
		const char *why = err && err != EINPROGRESS && err != EAGAIN ? strerror(err) : "no answer";
		if (!strncmp(addr, "unix:", 5) || addr[0] == '/')
			return xasprintf("cannot reach usbmuxd at USBMUXD_SOCKET_ADDRESS=%s (%s): libusbmuxd "
					 "wants UNIX:/absolute/path (upper-case UNIX:) or HOST:PORT", addr, why);
		return xasprintf("cannot reach usbmuxd at USBMUXD_SOCKET_ADDRESS=%s (%s): check that "
				 "usbmuxd listens there", addr, why);
	}
	return xstrdup("usbmuxd is not running: start it (systemctl start usbmuxd) and plug the phone in");
}

void ios_list(const struct probe_opts *o, struct phones *out)
{
	usbmuxd_device_info_t *list = NULL;
	errno = 0;
	int n = usbmuxd_get_device_list(&list);
	if (n < 0) {
		int err = errno;
		/* no usbmuxd is only a problem when no phone at all was found */
		if (!out->n)
			strlist_push_owned(&out->problems, usbmuxd_problem(err));
		return;
	}
	struct job *j = job_new(o->timeout_s);
	for (int i = 0; i < n; i++) {
		if (list[i].conn_type != CONNECTION_TYPE_USB || !list[i].udid[0])
			continue; /* Wi-Fi sync entries: the tool reads phones on the cable */
		bool dup = false;
		for (size_t k = 0; k < j->nlanes; k++)
			dup |= !strcmp(j->lanes[k].udid, list[i].udid);
		if (dup)
			continue;
		int lane = job_add_lane(j);
		j->lanes[lane].udid = xstrdup(list[i].udid);
		j->lanes[lane].product_id = xasprintf("0x%04x", list[i].product_id);
	}
	usbmuxd_device_list_free(&list);
	size_t nlanes = j->nlanes;
	for (size_t i = 0; i < nlanes; i++) {
		struct lane_arg *la = xcalloc(1, sizeof(*la));
		la->job = j;
		la->lane = (int)i;
		if (lane_start(j, (int)i, lane_list, la))
			free(la);
	}
	job_wait(j);

	pthread_mutex_lock(&j->mu);
	for (size_t i = 0; i < nlanes; i++) {
		struct lane *l = &j->lanes[i];
		ALLOC_GROW(out->v, out->n + 1, out->alloc);
		struct phone *p = &out->v[out->n++];
		memset(p, 0, sizeof(*p));
		p->id = xstrdup(l->udid);
		p->platform = xstrdup("ios");
		p->state = xstrdup(l->state && l->finished ? l->state : "offline");
		if (l->product_type) /* the code; probe_list names it from models.txt */
			p->model = xstrdup(l->product_type);
		const char *attrs[][2] = {
			{ "ConnectionType", "USB" },
			{ "ProductID", l->product_id },
			{ "ProductType", l->product_type },
			{ "DeviceClass", l->device_class },
		};
		p->attrs = xcalloc(4, sizeof(*p->attrs));
		for (size_t k = 0; k < 4; k++)
			if (attrs[k][1]) {
				p->attrs[p->nattrs].key = xstrdup(attrs[k][0]);
				p->attrs[p->nattrs++].value = xstrdup(attrs[k][1]);
			}
		if (!l->finished)
			strlist_push_owned(&out->notes, xasprintf("%s: the phone did not answer within %g s (%s)",
								  l->udid, j->timeout_s, l->what));
	}
	pthread_mutex_unlock(&j->mu);
	job_release_threads(j);
	job_unref(j);
}

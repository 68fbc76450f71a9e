/*
 * adb.c - the adb server's smart-socket protocol: host queries, the device
 * listing, and many shell commands at once.  One thread, non-blocking
 * sockets and poll(): each command is a small state machine with its own
 * deadline, so a phone that hangs on one command costs that command, not
 * the scan.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "adb.h"
#include "banned.h"

extern char **environ;

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- where the server is ---- */

static int parse_port(const char *s, int *out)
{
	char *end;
	long p = strtol(s, &end, 10);
	if (!*s || *end || p <= 0 || p > 65535)
		return -1;
	*out = (int)p;
	return 0;
}

int adb_server_init(struct adb_server *s, char **cause)
{
	memset(s, 0, sizeof(*s));
	const char *sock = getenv("ADB_SERVER_SOCKET");
	const char *port = getenv("ANDROID_ADB_SERVER_PORT");
	const char *addr = getenv("ANDROID_ADB_SERVER_ADDRESS");
	s->port = 5037;
	if (sock && *sock) {
		if (!strncmp(sock, "tcp:", 4)) {
			const char *rest = sock + 4;
			const char *colon = strrchr(rest, ':');
			if (colon) {
				s->host = xstrndup(rest, (size_t)(colon - rest));
				rest = colon + 1;
			}
			if (parse_port(rest, &s->port)) {
				*cause = xasprintf("ADB_SERVER_SOCKET: '%s' is not tcp:HOST:PORT", sock);
				adb_server_release(s);
				return -1;
			}
		} else if (!strncmp(sock, "localfilesystem:", 16) || !strncmp(sock, "local:", 6)) {
			s->path = xstrdup(strchr(sock, ':') + 1);
		} else {
			*cause = xasprintf("ADB_SERVER_SOCKET: '%s' is not tcp:HOST:PORT or localfilesystem:PATH", sock);
			return -1;
		}
	} else if (port && *port && parse_port(port, &s->port)) {
		*cause = xasprintf("ANDROID_ADB_SERVER_PORT: '%s' is not a port number", port);
		return -1;
	}
	if (!s->path && !s->host)
		s->host = xstrdup(addr && *addr ? addr : "localhost");
	s->desc = s->path ? xstrdup(s->path) : xasprintf("%s:%d", s->host, s->port);
	return 0;
}

void adb_server_release(struct adb_server *s)
{
	free(s->host);
	free(s->path);
	free(s->desc);
	memset(s, 0, sizeof(*s));
}

/* ---- sockets with deadlines ---- */

/* Start a non-blocking connection; -1 with errno when it failed at once. */
static int open_conn(const struct adb_server *s)
{
	if (s->path) {
		struct sockaddr_un sa = { .sun_family = AF_UNIX };
		if (strlen(s->path) >= sizeof(sa.sun_path)) {
			errno = ENAMETOOLONG;
			return -1;
		}
		memcpy(sa.sun_path, s->path, strlen(s->path) + 1);
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
		if (fd < 0)
			return -1;
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) && errno != EINPROGRESS) {
			int e = errno;
			close(fd);
			errno = e == ENOENT ? ECONNREFUSED : e;
			return -1;
		}
		return fd;
	}
	char port[16];
	snprintf(port, sizeof(port), "%d", s->port);
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res = NULL;
	if (getaddrinfo(s->host, port, &hints, &res) || !res) {
		errno = EHOSTUNREACH;
		return -1;
	}
	int fd = -1, e = ECONNREFUSED;
	for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
		if (fd < 0)
			continue;
		if (!connect(fd, ai->ai_addr, ai->ai_addrlen) || errno == EINPROGRESS)
			break;
		e = errno;
		close(fd);
		fd = -1;
	}
	freeaddrinfo(res);
	if (fd < 0)
		errno = e;
	return fd;
}

/* Wait for `events` on fd until `deadline`; 0, or -1 with errno (ETIMEDOUT). */
static int wait_fd(int fd, short events, double deadline)
{
	for (;;) {
		double left = deadline - now();
		if (left <= 0) {
			errno = ETIMEDOUT;
			return -1;
		}
		struct pollfd p = { fd, events, 0 };
		int r = poll(&p, 1, (int)(left * 1000) + 1);
		if (r > 0)
			return 0;
		if (r < 0 && errno != EINTR)
			return -1;
	}
}

static int connected(int fd)
{
	int err = 0;
	socklen_t len = sizeof(err);
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len) || err) {
		errno = err ? err : errno;
		return -1;
	}
	return 0;
}

static int send_all(int fd, const char *p, size_t n, double deadline)
{
	while (n) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
		if (w > 0) {
			p += w;
			n -= (size_t)w;
		} else if (w < 0 && (errno == EAGAIN || errno == EINTR)) {
			if (wait_fd(fd, POLLOUT, deadline))
				return -1;
		} else {
			return -1;
		}
	}
	return 0;
}

/* Read exactly n bytes; -1 with errno (0 = the peer closed). */
static int recv_exact(int fd, char *p, size_t n, double deadline)
{
	while (n) {
		ssize_t r = recv(fd, p, n, 0);
		if (r > 0) {
			p += r;
			n -= (size_t)r;
		} else if (r == 0) {
			errno = ECONNRESET;
			return -1;
		} else if (errno == EAGAIN || errno == EINTR) {
			if (wait_fd(fd, POLLIN, deadline))
				return -1;
		} else {
			return -1;
		}
	}
	return 0;
}

static char *request(const char *svc)
{
	return xasprintf("%04zx%s", strlen(svc), svc);
}

static int hex4(const char *p, size_t *out)
{
	char tmp[5] = { p[0], p[1], p[2], p[3], 0 };
	char *end;
	unsigned long v = strtoul(tmp, &end, 16);
	if (*end)
		return -1;
	*out = v;
	return 0;
}

/* A length-prefixed block: 4 hex digits then that many bytes. */
static int recv_block(int fd, double deadline, char **out)
{
	char len[4];
	size_t n;
	if (recv_exact(fd, len, 4, deadline))
		return -1;
	if (hex4(len, &n)) {
		errno = EPROTO;
		return -1;
	}
	char *p = xmalloc(n + 1);
	if (recv_exact(fd, p, n, deadline)) {
		free(p);
		return -1;
	}
	p[n] = '\0';
	*out = p;
	return 0;
}

/* OKAY, or FAIL and its message. */
static enum adb_result recv_status(int fd, double deadline, char **cause)
{
	char st[4];
	if (recv_exact(fd, st, 4, deadline)) {
		*cause = xasprintf("no answer from the adb server: %s", strerror(errno));
		return ADB_ERROR;
	}
	if (!memcmp(st, "OKAY", 4))
		return ADB_OK;
	if (!memcmp(st, "FAIL", 4)) {
		char *msg = NULL;
		if (recv_block(fd, deadline, &msg))
			msg = xstrdup("(no message)");
		*cause = msg;
		return ADB_FAIL;
	}
	*cause = xstrdup("the adb server answered something that is not the adb protocol");
	return ADB_ERROR;
}

/* Connect and wait until connected; ADB_NO_SERVER when refused. */
static enum adb_result dial(const struct adb_server *s, double deadline, int *fdp, char **cause)
{
	int fd = open_conn(s);
	if (fd >= 0 && wait_fd(fd, POLLOUT, deadline) == 0 && connected(fd) == 0) {
		*fdp = fd;
		return ADB_OK;
	}
	int e = errno;
	if (fd >= 0)
		close(fd);
	if (e == ECONNREFUSED || e == ENOENT) {
		*cause = xasprintf("no adb server is running at %s", s->desc);
		return ADB_NO_SERVER;
	}
	*cause = xasprintf("cannot reach the adb server at %s: %s", s->desc, strerror(e));
	return ADB_ERROR;
}

enum adb_result adb_host_query(const struct adb_server *s, const char *req, double timeout_s,
			       char **reply, char **cause)
{
	double deadline = now() + timeout_s;
	int fd;
	*reply = NULL;
	enum adb_result r = dial(s, deadline, &fd, cause);
	if (r)
		return r;
	char *msg = request(req);
	if (send_all(fd, msg, strlen(msg), deadline)) {
		*cause = xasprintf("cannot talk to the adb server at %s: %s", s->desc, strerror(errno));
		r = ADB_ERROR;
	} else if ((r = recv_status(fd, deadline, cause)) == ADB_OK && recv_block(fd, deadline, reply)) {
		*cause = xasprintf("the adb server at %s did not finish its answer to %s: %s", s->desc,
				   req, strerror(errno));
		r = ADB_ERROR;
	}
	free(msg);
	close(fd);
	return r;
}

/* ---- the device listing ---- */

void adb_parse_devices(const char *text, struct adb_devices *out)
{
	memset(out, 0, sizeof(*out));
	const char *p = text;
	while (*p) {
		const char *e = strchr(p, '\n');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		char *line = xstrndup(p, n);
		p += n + (e ? 1 : 0);
		char *save = NULL;
		char *serial = strtok_r(line, " \t\r", &save);
		char *rest = serial ? strtok_r(NULL, "", &save) : NULL;
		if (!serial || !rest) {
			free(line);
			continue;
		}
		while (*rest == ' ' || *rest == '\t')
			rest++;
		ALLOC_GROW(out->v, out->n + 1, out->alloc);
		struct adb_device *d = &out->v[out->n++];
		memset(d, 0, sizeof(*d));
		d->serial = xstrdup(serial);
		/* the state may be several words ("no permissions (…)"); attributes are key:value */
		struct buf state = BUF_INIT;
		char *tok;
		for (tok = strtok_r(rest, " \t\r", &save); tok; tok = strtok_r(NULL, " \t\r", &save)) {
			char *colon = strchr(tok, ':');
			if (colon && state.len && colon != tok && !strchr(tok, '(')) {
				ALLOC_GROW(d->attrs, d->nattrs + 1, d->attrs_alloc);
				d->attrs[d->nattrs].key = xstrndup(tok, (size_t)(colon - tok));
				d->attrs[d->nattrs++].value = xstrdup(colon + 1);
			} else {
				if (state.len)
					buf_putc(&state, ' ');
				buf_puts(&state, tok);
			}
		}
		d->state = buf_detach(&state);
		free(line);
	}
}

void adb_devices_release(struct adb_devices *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].serial);
		free(d->v[i].state);
		for (size_t j = 0; j < d->v[i].nattrs; j++) {
			free(d->v[i].attrs[j].key);
			free(d->v[i].attrs[j].value);
		}
		free(d->v[i].attrs);
	}
	free(d->v);
	memset(d, 0, sizeof(*d));
}

const char *adb_device_attr(const struct adb_device *d, const char *key)
{
	for (size_t i = 0; i < d->nattrs; i++)
		if (!strcmp(d->attrs[i].key, key))
			return d->attrs[i].value;
	return NULL;
}

int adb_start_server(const struct adb_server *s, double timeout_s, char **cause)
{
	char portarg[16];
	snprintf(portarg, sizeof(portarg), "%d", s->port);
	char *argv[] = { (char *)"adb", (char *)"-P", portarg, (char *)"start-server", NULL };
	if (s->path || (s->host && strcmp(s->host, "localhost") && strcmp(s->host, "127.0.0.1"))) {
		*cause = xasprintf("no adb server at %s, and only a local one can be started", s->desc);
		return -1;
	}
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	/* adb's own chatter ("daemon started successfully") stays off our streams */
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	pid_t pid;
	int e = posix_spawnp(&pid, "adb", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (e) {
		*cause = xasprintf("no adb server is running at %s, and the adb program is not installed "
				   "(apt-get install adb)", s->desc);
		return -1;
	}
	double deadline = now() + timeout_s;
	int status = 0;
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);
		if (r == pid)
			break;
		if (now() > deadline) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			*cause = xstrdup("'adb start-server' did not finish in time");
			return -1;
		}
		struct timespec ts = { 0, 20 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		*cause = xstrdup("'adb start-server' failed");
		return -1;
	}
	return 0;
}

/* ---- many shell commands at once ---- */

enum job_state {
	J_IDLE, J_CONNECT, J_TRANSPORT, J_SERVICE, J_STREAM, J_DONE,
};

struct job {
	enum job_state state;
	int fd;
	struct answer *a;
	const char *cmd;
	double start, deadline;
	struct buf wbuf;	/* what remains to send */
	size_t woff;
	struct buf in;		/* bytes received, not yet consumed */
	struct buf out, err;
	int exit_code;
	bool got_exit;
	bool status_read;	/* the OKAY of the current request was read */
};

static void job_finish(struct job *j, enum answer_status st, char *error)
{
	struct answer *a = j->a;
	if (j->fd >= 0)
		close(j->fd);
	j->fd = -1;
	capture_set_out(a, buf_str(&j->out), j->out.len);
	capture_set_err(a, buf_str(&j->err), j->err.len);
	a->status = st;
	a->exit_code = j->got_exit ? j->exit_code : -1;
	a->ms = (now() - j->start) * 1000;
	free(a->error);
	a->error = error;
	buf_release(&j->wbuf);
	buf_release(&j->in);
	buf_release(&j->out);
	buf_release(&j->err);
	j->state = J_DONE;
}

static void job_send(struct job *j, const char *svc)
{
	buf_reset(&j->wbuf);
	char *r = request(svc);
	buf_puts(&j->wbuf, r);
	free(r);
	j->woff = 0;
	j->status_read = false;
	buf_reset(&j->in);
}

/* Consume shell protocol v2 packets from j->in. */
static void v2_consume(struct job *j)
{
	size_t off = 0;
	while (j->in.len - off >= 5) {
		const unsigned char *p = (const unsigned char *)j->in.s + off;
		size_t len = (size_t)p[1] | (size_t)p[2] << 8 | (size_t)p[3] << 16 | (size_t)p[4] << 24;
		if (j->in.len - off - 5 < len)
			break;
		const char *payload = (const char *)p + 5;
		if (p[0] == 1)
			buf_add(&j->out, payload, len);
		else if (p[0] == 2)
			buf_add(&j->err, payload, len);
		else if (p[0] == 3 && len >= 1) {
			j->exit_code = (unsigned char)payload[0];
			j->got_exit = true;
		}
		off += 5 + len;
	}
	if (off) {
		memmove(j->in.s, j->in.s + off, j->in.len - off);
		j->in.len -= off;
		j->in.s[j->in.len] = '\0';
	}
}

/* Handle the status of a request: true when OKAY arrived and was consumed. */
static bool job_status(struct job *j, const char *what)
{
	if (j->in.len < 4)
		return false;
	if (!memcmp(j->in.s, "OKAY", 4)) {
		memmove(j->in.s, j->in.s + 4, j->in.len - 4);
		j->in.len -= 4;
		j->in.s[j->in.len] = '\0';
		return true;
	}
	if (!memcmp(j->in.s, "FAIL", 4)) {
		size_t n;
		if (j->in.len < 8)
			return false;
		if (hex4(j->in.s + 4, &n) == 0 && j->in.len < 8 + n)
			return false;
		char *msg = xstrndup(j->in.s + 8, j->in.len - 8);
		job_finish(j, ANSWER_FAILED, xasprintf("%s: %s", what, msg));
		free(msg);
		return false;
	}
	job_finish(j, ANSWER_FAILED, xasprintf("%s: not the adb protocol", what));
	return false;
}

static void job_step(struct job *j, const struct adb_server *s, const char *serial,
		     const struct adb_run_opts *o, short revents)
{
	(void)s;
	if (j->state == J_CONNECT) {
		if (!(revents & (POLLOUT | POLLERR | POLLHUP)))
			return;
		if (connected(j->fd)) {
			job_finish(j, ANSWER_FAILED, xasprintf("cannot connect to the adb server: %s", strerror(errno)));
			return;
		}
		char *svc = xasprintf("host:transport:%s", serial);
		job_send(j, svc);
		free(svc);
		j->state = J_TRANSPORT;
		return;
	}
	/* write what is pending */
	if (j->woff < j->wbuf.len && (revents & POLLOUT)) {
		ssize_t w = send(j->fd, j->wbuf.s + j->woff, j->wbuf.len - j->woff, MSG_NOSIGNAL);
		if (w > 0)
			j->woff += (size_t)w;
		else if (w < 0 && errno != EAGAIN && errno != EINTR) {
			job_finish(j, ANSWER_CUT, xasprintf("connection lost: %s", strerror(errno)));
			return;
		}
	}
	if (!(revents & (POLLIN | POLLHUP | POLLERR)))
		return;
	char chunk[65536];
	ssize_t r = recv(j->fd, chunk, sizeof(chunk), 0);
	if (r < 0) {
		if (errno == EAGAIN || errno == EINTR)
			return;
		job_finish(j, ANSWER_CUT, xasprintf("connection lost: %s", strerror(errno)));
		return;
	}
	if (r == 0) {
		/* the end of the stream */
		if (j->state == J_STREAM && (!o->shell_v2 || j->got_exit))
			job_finish(j, ANSWER_OK, NULL);
		else if (j->state == J_STREAM)
			job_finish(j, ANSWER_CUT,
				   xstrdup("the connection ended without an exit status (phone unplugged?)"));
		else
			job_finish(j, ANSWER_FAILED, xstrdup("the adb server closed the connection"));
		return;
	}
	if (j->state == J_STREAM && !o->shell_v2) {
		buf_add(&j->out, chunk, (size_t)r);
	} else {
		buf_add(&j->in, chunk, (size_t)r);
		if (j->state == J_TRANSPORT) {
			if (!job_status(j, "device"))
				return;
			char *svc = xasprintf("%s:%s", o->shell_v2 ? "shell,v2,raw" : "shell", j->cmd);
			job_send(j, svc);
			free(svc);
			j->state = J_SERVICE;
			return;
		}
		if (j->state == J_SERVICE) {
			if (!job_status(j, "shell"))
				return;
			j->state = J_STREAM;
			if (!o->shell_v2) {
				buf_add(&j->out, j->in.s, j->in.len);
				buf_reset(&j->in);
			}
		}
		if (j->state == J_STREAM && o->shell_v2)
			v2_consume(j);
	}
	if (j->out.len + j->err.len > o->max_output)
		job_finish(j, ANSWER_CUT, xasprintf("output cut after %zu bytes", o->max_output));
}

void adb_run(const struct adb_server *s, const char *serial, const struct strlist *cmds,
	     const struct adb_run_opts *o, struct capture *cap)
{
	size_t n = cmds->n, next_job = 0, active = 0;
	struct job *jobs = xcalloc(n ? n : 1, sizeof(*jobs));
	struct pollfd *pfd = xcalloc(n ? n : 1, sizeof(*pfd));
	size_t *map = xcalloc(n ? n : 1, sizeof(*map));
	size_t first = cap->nanswers;
	for (size_t i = 0; i < n; i++)
		capture_add(cap, cmds->v[i]);
	for (size_t i = 0; i < n; i++) {
		jobs[i].fd = -1;
		jobs[i].cmd = cmds->v[i];
		jobs[i].a = &cap->answers[first + i];
	}
	int parallel = o->parallel > 0 ? o->parallel : 8;

	for (;;) {
		/* start jobs up to the limit */
		while (next_job < n && active < (size_t)parallel) {
			struct job *j = &jobs[next_job++];
			j->start = now();
			j->deadline = j->start + o->timeout_s;
			j->fd = open_conn(s);
			if (j->fd < 0) {
				job_finish(j, ANSWER_FAILED, xasprintf("cannot connect to the adb server at %s: %s",
								       s->desc, strerror(errno)));
				continue;
			}
			j->state = J_CONNECT;
			active++;
		}
		if (!active)
			break;
		/* poll every active job, until the nearest deadline */
		size_t np = 0;
		double t = now(), nearest = t + 3600;
		for (size_t i = 0; i < next_job; i++) {
			struct job *j = &jobs[i];
			if (j->state == J_DONE || j->state == J_IDLE)
				continue;
			if (t >= j->deadline) {
				job_finish(j, ANSWER_TIMEOUT,
					   xasprintf("no answer within %g s", o->timeout_s));
				active--;
				continue;
			}
			if (j->deadline < nearest)
				nearest = j->deadline;
			pfd[np].fd = j->fd;
			pfd[np].events = POLLIN;
			if (j->state == J_CONNECT || j->woff < j->wbuf.len)
				pfd[np].events |= POLLOUT;
			pfd[np].revents = 0;
			map[np++] = i;
		}
		if (!np)
			continue;
		int r = poll(pfd, np, (int)((nearest - t) * 1000) + 1);
		if (r < 0 && errno != EINTR)
			break;
		for (size_t k = 0; r > 0 && k < np; k++) {
			if (!pfd[k].revents)
				continue;
			struct job *j = &jobs[map[k]];
			job_step(j, s, serial, o, pfd[k].revents);
			if (j->state == J_DONE)
				active--;
		}
	}
	for (size_t i = 0; i < n; i++)
		if (jobs[i].state != J_DONE) {
			if (!jobs[i].start)
				jobs[i].start = now();
			job_finish(&jobs[i], ANSWER_FAILED, xstrdup("not run"));
		}
	free(jobs);
	free(pfd);
	free(map);
}

/*
 * net.c - asking the network through libcurl: the only file that includes
 * curl.h.  Every request has a connect and a total deadline; answers are
 * recorded as they came (status code, time, body), never interpreted here.
 */
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"
#include "xalloc.h"
#include "banned.h"

static size_t keep_body(char *p, size_t size, size_t n, void *arg)
{
	struct buf *b = arg;
	if (b->len < (1u << 20)) /* a status feed is small: keep the first MB */
		buf_add(b, p, size * n);
	return size * n;
}

struct upload {
	size_t left;
	FILE *progress;
	double last;
};

static size_t fill_upload(char *p, size_t size, size_t n, void *arg)
{
	struct upload *u = arg;
	size_t k = size * n < u->left ? size * n : u->left;
	memset(p, 'x', k);
	u->left -= k;
	return k;
}

static int show_progress(void *arg, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un)
{
	(void)dt;
	(void)dn;
	struct upload *u = arg;
	if (u->progress && ut > 0 && (double)un - u->last >= (double)ut / 50) {
		u->last = (double)un;
		fprintf(u->progress, "\rmeasuring the upload speed: %3d%%", (int)(100 * un / ut));
		fflush(u->progress);
	}
	return 0;
}

static CURL *easy(const char *url, double timeout_s, struct buf *body)
{
	CURL *c = curl_easy_init();
	if (!c)
		return NULL;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)(timeout_s * 1000 / 2 + 1));
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)(timeout_s * 1000));
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(c, CURLOPT_MAXREDIRS, 5L);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "backupdoctor/" BD_VERSION);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, keep_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, body);
	return c;
}

/* Perform and record: "code=200 seconds=0.012 via_proxy=0" plus the body, or the error. */
static void perform(CURL *c, struct answer *a, struct buf *body, double bytes)
{
	char err[CURL_ERROR_SIZE] = "";
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
	CURLcode r = curl_easy_perform(c);
	double t = 0;
	long code = 0;
	curl_easy_getinfo(c, CURLINFO_TOTAL_TIME, &t);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	a->ms = t * 1000;
	if (r != CURLE_OK) {
		a->status = r == CURLE_OPERATION_TIMEDOUT ? ANSWER_TIMEOUT : ANSWER_FAILED;
		a->error = xstrdup(*err ? err : curl_easy_strerror(r));
		a->exit_code = -1;
		return;
	}
	struct buf head = BUF_INIT;
	buf_addf(&head, "code=%ld seconds=%.6f", code, t);
	if (bytes > 0)
		buf_addf(&head, " bytes=%.0f", bytes);
	a->exit_code = 0;
	a->status = ANSWER_OK;
	capture_set_out(a, buf_str(&head), head.len);
	if (body->len)
		capture_set_err(a, buf_str(body), body->len);
	buf_release(&head);
}

static void proxy_answer(struct capture *cap)
{
	static const char *const vars[] = { "https_proxy", "HTTPS_PROXY", "http_proxy", "HTTP_PROXY",
					    "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY" };
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < sizeof(vars) / sizeof(*vars); i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			buf_addf(&b, "%s=%s\n", vars[i], v);
	}
	struct answer *a = capture_add(cap, "net:proxy");
	a->exit_code = 0;
	capture_set_out(a, buf_str(&b), b.len);
	buf_release(&b);
}

void net_probe(const struct net_opts *o, struct capture *cap)
{
	const struct net_endpoints *e = o->endpoints;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	proxy_answer(cap);
	for (size_t i = 0; i < e->n; i++) {
		const struct net_endpoint *ep = &e->v[i];
		bool status = !strcmp(ep->kind, "status");
		char *q = status ? xasprintf("net:status:%s:%s:%s", ep->app, ep->format, ep->url) :
				   xasprintf("net:reach:%s:%s", ep->app, ep->url);
		struct buf body = BUF_INIT;
		struct answer *a = capture_add(cap, q);
		free(q);
		CURL *c = easy(ep->url, e->timeout_s, &body);
		if (!c) {
			a->status = ANSWER_FAILED;
			a->error = xstrdup("libcurl could not start a request");
		} else {
			if (!status)
				curl_easy_setopt(c, CURLOPT_NOBODY, 1L); /* reachability: HEAD is enough */
			perform(c, a, &body, 0);
			curl_easy_cleanup(c);
		}
		buf_release(&body);
	}
	if (o->upload_url) {
		char *q = xasprintf("net:upload:%s", o->upload_url);
		struct answer *a = capture_add(cap, q);
		free(q);
		struct buf body = BUF_INIT;
		struct upload u = { (size_t)e->upload_bytes, o->progress, 0 };
		/* the upload may take long on a slow link: its own, longer deadline */
		CURL *c = easy(o->upload_url, e->timeout_s * 12, &body);
		if (!c) {
			a->status = ANSWER_FAILED;
			a->error = xstrdup("libcurl could not start a request");
		} else {
			curl_easy_setopt(c, CURLOPT_POST, 1L);
			curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)u.left);
			curl_easy_setopt(c, CURLOPT_READFUNCTION, fill_upload);
			curl_easy_setopt(c, CURLOPT_READDATA, &u);
			curl_easy_setopt(c, CURLOPT_XFERINFOFUNCTION, show_progress);
			curl_easy_setopt(c, CURLOPT_XFERINFODATA, &u);
			curl_easy_setopt(c, CURLOPT_NOPROGRESS, 0L);
			perform(c, a, &body, e->upload_bytes);
			curl_easy_cleanup(c);
			if (o->progress) {
				fputs("\r\033[K", o->progress);
				fflush(o->progress);
			}
		}
		buf_release(&body);
	}
	curl_global_cleanup();
}

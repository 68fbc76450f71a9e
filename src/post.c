/* post.c - the JSON report to a collector, with libcurl (see post.h). */
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "post.h"
#include "xalloc.h"
#include "banned.h"

void post_opts_default(struct post_opts *o)
{
	o->cacert = NULL;
	o->token = NULL;
	o->connect_timeout_s = 10;
	o->timeout_s = 30;
	o->tries = 3;
	o->backoff_s = 0.5;
}

/* The collector's answer is not ours to print; keep only its size bounded. */
static size_t discard(char *p, size_t size, size_t n, void *ud)
{
	(void)p;
	(void)ud;
	return size * n;
}

static int post_once(const char *url, const char *payload, const struct post_opts *o, char **cause)
{
	CURL *c = curl_easy_init();
	if (!c) {
		*cause = xstrdup("cannot start libcurl");
		return -1;
	}
	char errbuf[CURL_ERROR_SIZE] = "";
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
	char *auth = NULL;
	if (o->token && *o->token) {
		auth = xasprintf("Authorization: Bearer %s", o->token);
		h = curl_slist_append(h, auth);
	}
	char *ua = xasprintf("User-Agent: backupdoctor/%s", BD_VERSION);
	h = curl_slist_append(h, ua);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "https,http");
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, payload);
	curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)strlen(payload));
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
	if (o->cacert)
		curl_easy_setopt(c, CURLOPT_CAINFO, o->cacert);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, o->connect_timeout_s);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, o->timeout_s);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, discard);
	CURLcode rc = curl_easy_perform(c);
	long status = 0;
	int ret = -1;
	if (rc != CURLE_OK) {
		*cause = xasprintf("%s: %s", url, *errbuf ? errbuf : curl_easy_strerror(rc));
	} else {
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		if (status >= 200 && status < 300)
			ret = 0;
		else
			*cause = xasprintf("%s: the collector answered HTTP %ld", url, status);
	}
	curl_slist_free_all(h);
	free(auth);
	free(ua);
	curl_easy_cleanup(c);
	return ret;
}

int post_json(const char *url, const char *payload, const struct post_opts *o, char **cause)
{
	static int ready;
	if (!ready) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		atexit(curl_global_cleanup);
		ready = 1;
	}
	double wait = o->backoff_s;
	*cause = NULL;
	for (int i = 0; i < (o->tries > 0 ? o->tries : 1); i++) {
		if (i) {
			struct timespec ts = { (time_t)wait, (long)((wait - (double)(time_t)wait) * 1e9) };
			nanosleep(&ts, NULL);
			wait *= 2;
		}
		free(*cause);
		*cause = NULL;
		if (!post_once(url, payload, o, cause))
			return 0;
	}
	return -1;
}

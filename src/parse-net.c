/*
 * parse-net.c - the pure side of the network checks: the endpoints file,
 * and the facts the recorded answers tell (no I/O).
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "net.h"
#include "xalloc.h"
#include "banned.h"

void net_endpoints_release(struct net_endpoints *e)
{
	for (size_t i = 0; i < e->n; i++) {
		free(e->v[i].app);
		free(e->v[i].kind);
		free(e->v[i].url);
		free(e->v[i].format);
	}
	free(e->v);
	memset(e, 0, sizeof(*e));
}

static bool number(const char *s, double *out)
{
	char *end;
	double v = s ? strtod(s, &end) : 0;
	if (!s || end == s || *end || v <= 0)
		return false;
	*out = v;
	return true;
}

int net_endpoints_parse(const char *text, struct net_endpoints *out, char **cause)
{
	memset(out, 0, sizeof(*out));
	out->timeout_s = 10;
	out->upload_bytes = 4000000;
	char *copy = xstrdup(text);
	int lineno = 0, ret = 0;
	for (char *line = copy, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		lineno++;
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		char *save = NULL, *w[5] = { 0 };
		int nw = 0;
		for (char *t = strtok_r(line, " \t\r", &save); t && nw < 5; t = strtok_r(NULL, " \t\r", &save))
			w[nw++] = t;
		if (!nw)
			continue;
		if (!strcmp(w[0], "timeout") || !strcmp(w[0], "upload_bytes")) {
			if (nw != 2 || !number(w[1], !strcmp(w[0], "timeout") ? &out->timeout_s : &out->upload_bytes)) {
				*cause = xasprintf("line %d: expected '%s NUMBER'", lineno, w[0]);
				ret = -1;
				break;
			}
			continue;
		}
		bool status = nw >= 2 && !strcmp(w[1], "status");
		bool upload = nw >= 2 && !strcmp(w[1], "upload");
		if (!(upload && nw == 3) &&
		    !(status && nw == 4 && (!strcmp(w[3], "statuspage") || !strcmp(w[3], "text")))) {
			*cause = xasprintf("line %d: expected 'APP upload URL' or 'APP status URL "
					   "statuspage|text'", lineno);
			ret = -1;
			break;
		}
		ALLOC_GROW(out->v, out->n + 1, out->alloc);
		struct net_endpoint *ep = &out->v[out->n++];
		ep->app = xstrdup(w[0]);
		ep->kind = xstrdup(w[1]);
		ep->url = xstrdup(w[2]);
		ep->format = status ? xstrdup(w[3]) : NULL;
	}
	free(copy);
	return ret;
}

/* "code=200 seconds=0.5 bytes=N": one number by key, or -1. */
static double field(const char *out, const char *key)
{
	size_t k = strlen(key);
	for (const char *p = out; p && *p; p = strchr(p, ' ') ? strchr(p, ' ') + 1 : NULL)
		if (!strncmp(p, key, k) && p[k] == '=')
			return strtod(p + k + 1, NULL);
	return -1;
}

/* A status feed's word: ok, degraded, outage; NULL when it cannot be read. */
static const char *status_word(const char *format, const char *body)
{
	if (!strcmp(format, "statuspage")) {
		/* Atlassian Statuspage: {"status": {"indicator": "none|minor|major|critical"}} */
		json_t *j = json_loads(body, 0, NULL);
		const char *ind = json_string_value(json_object_get(json_object_get(j, "status"), "indicator"));
		const char *w = !ind ? NULL : !strcmp(ind, "none") ? "ok" : !strcmp(ind, "minor") ? "degraded" :
				(!strcmp(ind, "major") || !strcmp(ind, "critical")) ? "outage" : NULL;
		json_decref(j);
		return w;
	}
	while (*body == ' ' || *body == '\t' || *body == '\n' || *body == '\r')
		body++;
	static const char *const words[] = { "ok", "degraded", "outage" };
	for (size_t i = 0; i < 3; i++) {
		size_t n = strlen(words[i]);
		if (!strncmp(body, words[i], n) && (!body[n] || strchr(" \t\r\n", body[n])))
			return words[i];
	}
	return NULL;
}

static void set_str(struct facts *out, const char *name, const char *s, const char *src, const char *raw)
{
	struct value v = { 0 };
	value_set_str(&v, s);
	facts_set(out, name, FACT_KNOWN, &v, src, raw, NULL);
	value_release(&v);
}

void net_facts(const struct capture *cap, struct facts *out)
{
	struct value reach = { .type = VT_LIST }, unreach = { .type = VT_LIST };
	struct buf raw = BUF_INIT;
	bool asked = false;
	for (size_t i = 0; i < cap->nanswers; i++) {
		const struct answer *a = &cap->answers[i];
		const char *q = a->query;
		if (!strcmp(q, "net:proxy")) {
			asked = true;
			const char *o = a->out ? a->out : "";
			/* the proxy a request for https goes through, as libcurl chooses it */
			const char *keys[] = { "https_proxy=", "HTTPS_PROXY=", "http_proxy=", "HTTP_PROXY=",
					       "all_proxy=", "ALL_PROXY=" };
			char *proxy = NULL;
			for (size_t k = 0; k < 6 && !proxy; k++) {
				const char *p = strstr(o, keys[k]);
				if (p && (p == o || p[-1] == '\n')) {
					p += strlen(keys[k]);
					proxy = xstrndup(p, strcspn(p, "\n"));
				}
			}
			set_str(out, "host.proxy", proxy ? proxy : "none", "proxy settings of this computer",
				*o ? o : "no proxy variable set");
			free(proxy);
		} else if (!strncmp(q, "net:reach:", 10)) {
			asked = true;
			const char *app = q + 10, *url = strchr(app, ':');
			if (!url)
				continue;
			char *item = xasprintf("%.*s %s", (int)(url - app), app, url + 1);
			double code = a->status == ANSWER_OK ? field(a->out, "code") : -1;
			/* any HTTP answer means the service was reached (an API says 401 or 404 to HEAD /) */
			strlist_push(code > 0 ? &reach.l : &unreach.l, item);
			buf_addf(&raw, "%s%s: %s", raw.len ? "; " : "", item,
				 code > 0 ? a->out : a->error ? a->error : answer_status_name(a->status));
			free(item);
		} else if (!strncmp(q, "net:status:", 11)) {
			const char *app = q + 11, *fmt = strchr(app, ':');
			if (!fmt)
				continue;
			char *appid = xstrndup(app, (size_t)(fmt - app));
			const char *url = strchr(fmt + 1, ':');
			char *format = url ? xstrndup(fmt + 1, (size_t)(url - fmt - 1)) : xstrdup("");
			double code = a->status == ANSWER_OK ? field(a->out, "code") : -1;
			const char *w = code >= 200 && code < 300 && a->err ? status_word(format, a->err) : NULL;
			char *name = xasprintf("app.%s.service_status", appid);
			char *src = xasprintf("status feed %s", url ? url + 1 : "?");
			if (w) {
				char *ex = xstrndup(a->err, a->err_len > 300 ? 300 : a->err_len);
				set_str(out, name, w, src, ex);
				free(ex);
			} else {
				char *why = xasprintf("the status feed %s could not be read: %s", url ? url + 1 : "?",
						      a->error ? a->error : code > 0 ? a->out : "unrecognised answer");
				facts_set_unknown(out, name, why);
				free(why);
			}
			free(src);
			free(name);
			free(appid);
			free(format);
		} else if (!strncmp(q, "net:upload:", 11) && a->status == ANSWER_OK) {
			double code = field(a->out, "code"), s = field(a->out, "seconds"),
			       bytes = field(a->out, "bytes");
			if (code >= 200 && code < 300 && s > 0 && bytes > 0) {
				struct value v = { 0 };
				value_set_num(&v, VT_RATE, bytes * 8 / s);
				char *src = xasprintf("upload test to %s", q + 11);
				facts_set(out, "host.upload_rate", FACT_KNOWN, &v, src, a->out, NULL);
				free(src);
				value_release(&v);
			} else {
				facts_set_unknown(out, "host.upload_rate", "the upload test was refused");
			}
		} else if (!strncmp(q, "net:upload:", 11)) {
			char *why = xasprintf("the upload test to %s failed: %s", q + 11,
					      a->error ? a->error : answer_status_name(a->status));
			facts_set_unknown(out, "host.upload_rate", why);
			free(why);
		}
	}
	if (asked) {
		facts_set(out, "host.reachable", FACT_KNOWN, &reach, "the backup services' endpoints",
			  raw.len ? buf_str(&raw) : NULL, NULL);
		facts_set(out, "host.unreachable", FACT_KNOWN, &unreach, "the backup services' endpoints",
			  raw.len ? buf_str(&raw) : NULL, NULL);
	}
	value_release(&reach);
	value_release(&unreach);
	buf_release(&raw);
}

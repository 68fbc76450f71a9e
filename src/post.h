/*
 * post.h - sending a JSON report to a shop's collector over HTTPS.
 *
 * The request: POST URL, Content-Type: application/json, the body exactly
 * the payload, "Authorization: Bearer TOKEN" when a token is given (from
 * the environment, never the command line).  Certificates are verified
 * (against `cacert` when given, else the system store).  A 2xx answer is
 * delivery; anything else is retried with back-off, then reported.
 */
#ifndef BD_POST_H
#define BD_POST_H

struct post_opts {
	const char *cacert;	/* CA bundle file; NULL: the system's */
	const char *token;	/* bearer token; NULL: none */
	long connect_timeout_s;
	long timeout_s;		/* the whole request */
	int tries;		/* attempts in all */
	double backoff_s;	/* wait before the second try; doubled after each */
};
void post_opts_default(struct post_opts *o);

/* 0 when delivered, or -1 with *cause (the last try's error). */
int post_json(const char *url, const char *payload, const struct post_opts *o, char **cause);

#endif

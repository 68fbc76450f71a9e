/*
 * net.h - the computer's own view of the network (libcurl): can it reach
 * each backup service's upload endpoints, is a proxy in the way, what do
 * the services' status feeds say, how fast does an upload go.  net_probe()
 * only collects, as answers in a capture (queries "net:proxy",
 * "net:reach:APP:URL", "net:status:APP:FORMAT:URL", "net:upload:URL"), so
 * analyze of the capture says what the scan said; net_facts() is the pure
 * reading.  Nothing touches the network unless net_probe() is called.
 */
#ifndef BD_NET_H
#define BD_NET_H

#include <stdbool.h>
#include <stdio.h>
#include "capture.h"
#include "facts.h"

/* One line of the endpoints file: "APP upload URL" or "APP status URL FORMAT". */
struct net_endpoint {
	char *app;
	char *kind;		/* "upload" or "status" */
	char *url;
	char *format;		/* status feeds: "statuspage" or "text"; else NULL */
};
struct net_endpoints {
	struct net_endpoint *v;
	size_t n, alloc;
	double timeout_s;	/* "timeout SECONDS" line; 10 by default */
	double upload_bytes;	/* "upload_bytes N" line; 4000000 by default */
};
/* Parse the endpoints file text; -1 with *cause ("line N: …"). */
int net_endpoints_parse(const char *text, struct net_endpoints *out, char **cause);
void net_endpoints_release(struct net_endpoints *e);

struct net_opts {
	const struct net_endpoints *endpoints;
	const char *upload_url;	/* --upload-test URL, or NULL */
	FILE *progress;		/* a terminal to show progress on, or NULL */
};
/* Ask everything; each request with its deadline.  Answers go into *cap. */
void net_probe(const struct net_opts *o, struct capture *cap);

/* host.proxy, host.reachable, host.unreachable, host.upload_rate, app.$.service_status. */
void net_facts(const struct capture *cap, struct facts *out);

#endif

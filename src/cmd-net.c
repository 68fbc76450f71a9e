/*
 * cmd-net.c - `backupdoctor net`: the computer's own network checks
 * (reachability of the backup services, proxy, status feeds, upload speed),
 * shown as facts.  The only command besides `scan --net` that uses the
 * network.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "cmd-common.h"
#include "config.h"
#include "net.h"
#include "xalloc.h"
#include "banned.h"

static const char *const net_options[] = { "--endpoints", "--upload-test", "--format", "--rules",
					   "--help", NULL };

int cmd_net_checks(struct cmd_env *env, const char *endpoints, const char *upload_url,
		   struct capture *cap)
{
	/* --endpoints, else the config file's net_endpoints, else the one beside the rules */
	char *path = endpoints ? xstrdup(endpoints) : config_path("net_endpoints"), *cause = NULL;
	if (!path) {
		char *dir = cmd_rules_dir(env);
		if (!dir) {
			cmd_error("cannot find net-endpoints.txt: give --endpoints FILE");
			return EXIT_USAGE;
		}
		path = xasprintf("%s/net-endpoints.txt", dir);
		free(dir);
	}
	struct buf text = BUF_INIT;
	struct net_endpoints eps;
	memset(&eps, 0, sizeof(eps));
	int ret = EXIT_USAGE;
	if (buf_read_file(&text, path, &cause) || net_endpoints_parse(buf_str(&text), &eps, &cause)) {
		cmd_error("%s: %s", path, cause);
		goto out;
	}
	/* the config file's thresholds win over the endpoints file's */
	if (config_number("net_timeout", &eps.timeout_s, &cause) < 0 ||
	    config_number("upload_bytes", &eps.upload_bytes, &cause) < 0) {
		cmd_error("%s", cause);
		goto out;
	}
	struct net_opts no = { &eps, upload_url, isatty(STDERR_FILENO) ? stderr : NULL };
	net_probe(&no, cap);
	ret = 0;
out:
	free(cause);
	free(path);
	buf_release(&text);
	net_endpoints_release(&eps);
	return ret;
}

static int run(int argc, char **argv, struct cmd_env *env)
{
	static const struct option opts[] = {
		{ "endpoints", required_argument, NULL, 'E' },
		{ "upload-test", required_argument, NULL, 'U' },
		{ "format", required_argument, NULL, 'f' },
		{ "rules", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *endpoints = NULL, *upload = NULL;
	bool json = false;
	int c;
	while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
		switch (c) {
		case 'E': endpoints = optarg; break;
		case 'U': upload = optarg; break;
		case 'R': env->rules_dir = optarg; break;
		case 'f':
			if (!strcmp(optarg, "json"))
				json = true;
			else if (strcmp(optarg, "text")) {
				cmd_error("--format: '%s' is not text or json", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'h':
			printf("usage: backupdoctor net %s\n", cmd_net.usage);
			return EXIT_NOTHING;
		default:
			return cmd_usage(&cmd_net);
		}
	}
	if (optind < argc)
		return cmd_usage(&cmd_net);
	struct capture cap;
	capture_init(&cap);
	struct facts fs;
	facts_init(&fs);
	int ret = cmd_net_checks(env, endpoints, upload, &cap);
	if (ret)
		goto out;
	net_facts(&cap, &fs);
	bool bad = false;
	json_t *o = json_object();
	for (size_t i = 0; i < fs.n; i++) {
		const struct fact *f = &fs.v[i];
		char *v = f->state == FACT_KNOWN ? value_format(&f->v) : NULL;
		if (!strcmp(f->name, "host.unreachable") && f->v.l.n)
			bad = true;
		if (strstr(f->name, ".service_status") && v && strcmp(v, "ok"))
			bad = true;
		if (json) {
			json_t *e = json_object();
			json_object_set_new(e, "value", v ? json_string(v) : json_null());
			if (f->state == FACT_KNOWN && f->v.type == VT_RATE)
				json_object_set_new(e, "bps", json_real(f->v.n));
			json_object_set_new(e, "state", json_string(f->state == FACT_KNOWN ? "known" : "unknown"));
			json_object_set_new(e, "source", f->source ? json_string(f->source) : json_null());
			json_object_set_new(e, "raw", f->raw ? json_string(f->raw) : json_null());
			json_object_set_new(e, "note", f->note ? json_string(f->note) : json_null());
			json_object_set_new(o, f->name, e);
		} else {
			printf("%-34s %s\n", f->name, v ? v : f->note ? f->note : "unknown");
		}
		free(v);
	}
	if (json) {
		json_t *doc = json_pack("{s:s,s:o}", "schema", "backupdoctor.net/1", "facts", o);
		json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(doc);
	} else {
		json_decref(o);
	}
	ret = bad ? EXIT_FOUND : EXIT_NOTHING;
out:
	facts_release(&fs);
	capture_release(&cap);
	return ret;
}

const struct cmd cmd_net = {
	.name = "net",
	.usage = "[--endpoints FILE] [--upload-test URL] [--format text|json]",
	.summary = "check this computer's network: backup services, proxy, status, upload speed",
	.options = net_options,
	.run = run,
};

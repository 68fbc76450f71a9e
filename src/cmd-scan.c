/*
 * cmd-scan.c - `backupdoctor scan`: read the phone on the cable, diagnose,
 * report.  With --fix, offer the fixes the tool can apply itself (Android,
 * one adb command each), one confirmation per action, then read the phone
 * again and say what changed.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "cmd-common.h"
#include "cmd-shop.h"
#include "diagnose.h"
#include "report.h"
#include "xalloc.h"
#include "banned.h"

/* Long-option codes past the short letters (and past the shop log's). */
enum { OPT_LOG_SECONDS = 0x1c0 };

static const char *const scan_options[] = {
	"--device", "--format", "--output", "--answer", "--answers", "--fail-on", "--timeout",
	"--fix", "--yes", "--wait", "--log-seconds", "--verbose", "--rules", "--no-color", "--help", "--net",
	"--endpoints", "--upload-test", SHOP_OPTION_NAMES, NULL,
};

/* Ask on the terminal; false when there is none to ask on. */
static bool confirm(const char *question, bool *asked)
{
	FILE *tty = fopen("/dev/tty", "r+");
	*asked = tty != NULL;
	if (!tty)
		return false;
	fprintf(tty, "%s [y/N] ", question);
	fflush(tty);
	char line[64] = "";
	bool yes = fgets(line, sizeof(line), tty) && (line[0] == 'y' || line[0] == 'Y');
	fclose(tty);
	return yes;
}

/* "fact: before -> after" for every fact the verify condition reads that changed. */
static void note_changes(const struct kb *kb, const struct fix *fx, const struct app *app,
			 const struct facts *before, const struct facts *after, struct strlist *out)
{
	struct evalctx cx = { kb, before, 0, app };
	struct strlist names = STRLIST_INIT;
	rules_expr_facts(&cx, fx->verify, &names);
	for (size_t i = 0; i < names.n; i++) {
		const struct value *a = facts_value(before, names.v[i]);
		const struct value *b = facts_value(after, names.v[i]);
		char *sa = a ? value_format(a) : xstrdup("unknown");
		char *sb = b ? value_format(b) : xstrdup("unknown");
		if (strcmp(sa, sb))
			strlist_push_owned(out, xasprintf("%s: %s -> %s", names.v[i], sa, sb));
		else
			strlist_push_owned(out, xasprintf("%s: still %s", names.v[i], sb));
		free(sa);
		free(sb);
	}
	strlist_release(&names);
}

struct fixing {
	const struct kb *kb;
	const struct capture *cap;
	bool yes;
	double timeout_s;
	struct action *v;
	size_t n, alloc;
	struct capture log;	/* the answers of the actions themselves */
};

/* Offer and apply the actions of the confirmed findings; true when one ran. */
static bool apply_fixes(struct fixing *fx, const struct diagnosis *dg)
{
	bool any = false;
	for (size_t i = 0; i < dg->nfindings; i++) {
		const struct finding *f = &dg->findings[i];
		if (f->status != FINDING_CONFIRMED)
			continue;
		for (size_t k = 0; k < f->nfixes; k++) {
			const struct fix_out *fo = &f->fixes[k];
			if (!fo->action)
				continue;
			ALLOC_GROW(fx->v, fx->n + 1, fx->alloc);
			struct action *a = &fx->v[fx->n++];
			memset(a, 0, sizeof(*a));
			a->rule = f->rule;
			a->app = f->app;
			a->fix = fo->fix;
			a->command = xstrdup(fo->action);
			a->verified = TV_UNKNOWN;
			bool asked = true;
			char *q = xasprintf("%s%s%s: run '%s' on the phone?", f->title, f->app ? " — " : "",
					    f->app ? f->app->name : "", fo->action);
			bool go = fx->yes || confirm(q, &asked);
			free(q);
			if (!go) {
				a->result = xstrdup(asked ? "declined" : "not applied: no terminal to ask on (use --yes)");
				continue;
			}
			const struct answer *an = probe_android_shell(fx->cap->device_id, fo->action,
								      fx->timeout_s, &fx->log);
			a->applied = true;
			any = true;
			if (an->status != ANSWER_OK)
				a->result = xasprintf("failed: %s", an->error ? an->error : answer_status_name(an->status));
			else if (an->exit_code > 0)
				a->result = xasprintf("failed: exit %d%s%.*s", an->exit_code,
						      an->err_len ? ": " : "", (int)(an->err_len > 200 ? 200 : an->err_len),
						      an->err);
			else
				a->result = xstrdup("done");
			break; /* one action per finding: the first that applies */
		}
	}
	return any;
}

static void verify_fixes(struct fixing *fx, const struct facts *before, const struct facts *after)
{
	for (size_t i = 0; i < fx->n; i++) {
		struct action *a = &fx->v[i];
		if (!a->applied)
			continue;
		const struct fix *fix = a->fix;
		if (!fix || !fix->verify)
			continue;
		const char *plat = facts_string(after, "device.platform");
		struct evalctx cx = { fx->kb, after, plat ? platform_from_name(plat) : 0, a->app };
		a->verified = rules_eval(&cx, fix->verify, NULL);
		note_changes(fx->kb, fix, a->app, before, after, &a->changes);
	}
}

static int run(int argc, char **argv, struct cmd_env *env)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "format", required_argument, NULL, 'f' },
		{ "output", required_argument, NULL, 'o' },
		{ "answer", required_argument, NULL, 'a' },
		{ "answers", required_argument, NULL, 'A' },
		{ "fail-on", required_argument, NULL, 'F' },
		{ "timeout", required_argument, NULL, 't' },
		{ "fix", no_argument, NULL, 'X' },
		{ "yes", no_argument, NULL, 'y' },
		{ "wait", optional_argument, NULL, 'W' },
		{ "log-seconds", required_argument, NULL, OPT_LOG_SECONDS },
		{ "verbose", no_argument, NULL, 'v' },
		{ "rules", required_argument, NULL, 'R' },
		{ "no-color", no_argument, NULL, 'C' },
		{ "net", no_argument, NULL, 'N' },
		{ "endpoints", required_argument, NULL, 'E' },
		{ "upload-test", required_argument, NULL, 'U' },
		{ "help", no_argument, NULL, 'h' },
		SHOP_LONG_OPTIONS,
		{ NULL, 0, NULL, 0 },
	};
	struct shop_opts so = { 0 };
	enum report_format fmt = REPORT_TEXT;
	const char *device = NULL, *output = NULL, *endpoints = NULL, *upload_url = NULL;
	bool net = false;	/* the network only when asked (--net, --endpoints, --upload-test) */
	enum fail_on fail_on = FAIL_POSSIBLE;
	struct strlist answers = STRLIST_INIT, answer_files = STRLIST_INIT;
	bool verbose = false, fix = false, yes = false;
	double wait_s = 0;
	struct probe_opts po;
	probe_opts_default(&po);
	int c, ret = EXIT_USAGE;
	struct kb kb;
	kb_init(&kb);
	struct capture cap;
	capture_init(&cap);
	struct facts facts, before;
	facts_init(&facts);
	facts_init(&before);
	struct diagnosis dg = { 0 };
	struct fixing fx = { 0 };
	char *source = NULL, *data_dir = NULL, *shop_name = NULL, *shop_contact = NULL;
	FILE *out = stdout;

	while ((c = getopt_long(argc, argv, "d:f:o:a:t:vyh", opts, NULL)) != -1) {
		if (cmd_shop_option(c, optarg, &so))
			continue;
		switch (c) {
		case 'd': device = optarg; break;
		case 'f':
			if (cmd_parse_format(optarg, &fmt))
				goto out;
			break;
		case 'o': output = optarg; break;
		case 'a': strlist_push(&answers, optarg); break;
		case 'A': strlist_push(&answer_files, optarg); break;
		case 'F':
			if (cmd_parse_fail_on(optarg, &fail_on))
				goto out;
			break;
		case 't':
			if ((po.timeout_s = cmd_parse_seconds(optarg)) <= 0) {
				cmd_error("--timeout: '%s' is not a number of seconds", optarg);
				goto out;
			}
			break;
		case 'X': fix = true; break;
		case 'W':
			if ((wait_s = optarg ? cmd_parse_seconds(optarg) : 60) <= 0) {
				cmd_error("--wait: '%s' is not a number of seconds", optarg);
				goto out;
			}
			break;
		case 'y': yes = true; break;
		case OPT_LOG_SECONDS:
			if ((po.log_seconds = cmd_parse_seconds(optarg)) <= 0) {
				cmd_error("--log-seconds: '%s' is not a number of seconds", optarg);
				goto out;
			}
			break;
		case 'v': verbose = true; break;
		case 'R': env->rules_dir = optarg; break;
		case 'C': env->no_color = true; break;
		case 'N': net = true; break;
		case 'E': endpoints = optarg; net = true; break;
		case 'U': upload_url = optarg; net = true; break;
		case 'h':
			printf("usage: backupdoctor scan %s\n", cmd_scan.usage);
			ret = EXIT_NOTHING;
			goto out;
		default:
			cmd_usage(&cmd_scan);
			goto out;
		}
	}
	if (optind < argc) {
		cmd_error("scan: unexpected argument '%s'", argv[optind]);
		goto out;
	}
	if (cmd_load_rules(env, &kb) || cmd_collect_answers(&kb, &answers, &answer_files))
		goto out;
	po.data_dir = data_dir = cmd_rules_dir(env); /* usb-vendors.txt */
	if ((ret = cmd_read_phone(&kb, device, &po, wait_s, &cap)))
		goto out;
	if (net && (ret = cmd_net_checks(env, endpoints, upload_url, &cap)))
		goto out;
	probe_facts(&kb, &cap, &facts);
	cmd_apply_answers(&kb, &facts, &answers);
	diagnose(&kb, &facts, &dg);

	if (fix && !strcmp(cap.platform, "android") && !cmd_capture_unreadable(&cap)) {
		fx.kb = &kb;
		fx.cap = &cap;
		fx.yes = yes;
		fx.timeout_s = po.timeout_s;
		if (apply_fixes(&fx, &dg)) {
			/* read the phone again: the report shows the state after the fixes */
			struct capture again;
			char *cause = NULL;
			struct phone ph = { cap.device_id, cap.platform, cap.device_state, NULL, NULL, 0 };
			if (probe_capture(&kb, &ph, &po, &again, &cause)) {
				cmd_error("re-reading the phone after the fixes failed: %s", cause);
				free(cause);
				capture_release(&again);
			} else {
				before = facts;
				facts_init(&facts);
				probe_facts(&kb, &again, &facts);
				cmd_apply_answers(&kb, &facts, &answers);
				diagnosis_release(&dg);
				diagnose(&kb, &facts, &dg);
				verify_fixes(&fx, &before, &facts);
				capture_release(&cap);
				cap = again;
			}
		}
	} else if (fix && !cmd_capture_unreadable(&cap)) {
		cmd_error("--fix: the tool applies fixes on Android phones only; follow the steps instead");
	}

	if (output && !(out = fopen(output, "w"))) {
		cmd_error("%s: cannot write: %s", output, strerror(errno));
		out = stdout;
		ret = EXIT_USAGE;
		goto out;
	}
	bool color = cmd_color(env, fmt, output);
	source = cmd_capture_source(&cap);
	/* the shop log keeps everything; what is shared is redacted (redact.h) */
	if ((ret = cmd_shop_prepare(&so, env, "scan", &facts, &dg, cap.device_id, fx.v, fx.n,
				    fmt != REPORT_TEXT, &source)))
		goto out;
	struct report_opts ro = { color, verbose, source, NULL, NULL };
	/* the customer's page names the shop (its config file), when it has one */
	if (fmt == REPORT_HTML) {
		cmd_shop_config(&shop_name, &shop_contact);
		ro.shop_name = shop_name;
		ro.shop_contact = shop_contact;
	}
	struct report_ctx rc = { &kb, &facts, &dg, &ro, fx.v, fx.n };
	if (report_write(out, fmt, &rc)) {
		cmd_error("%s: write error", output ? output : "standard output");
		ret = EXIT_INTERNAL;
		goto out;
	}
	if (cap.note)
		cmd_error("%s: %s", cap.device_id, cap.note);
	if ((ret = cmd_shop_post(&so, &rc)))
		goto out;
	if (cmd_capture_unreadable(&cap)) {
		ret = EXIT_NODEVICE;
	} else {
		ret = cmd_exit_for(&dg, fail_on);
	}
out:
	if (out != stdout)
		fclose(out);
	for (size_t i = 0; i < fx.n; i++)
		action_release(&fx.v[i]);
	free(fx.v);
	capture_release(&fx.log);
	free(source);
	free(data_dir);
	free(shop_name);
	free(shop_contact);
	diagnosis_release(&dg);
	facts_release(&facts);
	facts_release(&before);
	capture_release(&cap);
	strlist_release(&answers);
	strlist_release(&answer_files);
	kb_release(&kb);
	return ret;
}

const struct cmd cmd_scan = {
	.name = "scan",
	.usage = "[-d ID] [--format text|json|md|html] [-o FILE] [--answer FACT=VALUE]... "
		 "[--answers FILE] [--fail-on confirmed|possible|never] [--timeout SECONDS] "
		 "[--wait[=SECONDS]] [--log-seconds N] [--fix [--yes]] [-v] [--log [--db FILE] [--note TEXT] [--ticket ID]] "
		 "[--include-personal] [--post URL [--cacert FILE]] "
		 "[--net [--endpoints FILE] [--upload-test URL]]",
	.summary = "read the phone on the cable and diagnose it",
	.options = scan_options,
	.run = run,
};

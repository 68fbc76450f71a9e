/*
 * cmd-capture.c - `backupdoctor capture -o FILE`: the phone's raw answers,
 * saved for `analyze` later or elsewhere (same report as `scan`).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "cmd-common.h"
#include "banned.h"

static const char *const capture_options[] = { "--device", "--output", "--timeout", "--rules",
					       "--help", NULL };

static int run(int argc, char **argv, struct cmd_env *env)
{
	static const struct option opts[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "output", required_argument, NULL, 'o' },
		{ "timeout", required_argument, NULL, 't' },
		{ "log-seconds", required_argument, NULL, 'L' },
		{ "rules", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *device = NULL, *output = NULL;
	struct probe_opts po;
	probe_opts_default(&po);
	int c;
	while ((c = getopt_long(argc, argv, "d:o:t:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': device = optarg; break;
		case 'o': output = optarg; break;
		case 't':
			if ((po.timeout_s = cmd_parse_seconds(optarg)) <= 0) {
				cmd_error("--timeout: '%s' is not a number of seconds", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'L':
			if ((po.log_seconds = cmd_parse_seconds(optarg)) <= 0) {
				cmd_error("--log-seconds: '%s' is not a number of seconds", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'R': env->rules_dir = optarg; break;
		case 'h':
			printf("usage: backupdoctor capture %s\n", cmd_capture.usage);
			return EXIT_NOTHING;
		default:
			return cmd_usage(&cmd_capture);
		}
	}
	if (!output || optind < argc) {
		cmd_error("capture: name the file to write with -o FILE ('-' for standard output)");
		return cmd_usage(&cmd_capture);
	}
	struct kb kb;
	kb_init(&kb);
	struct capture cap;
	capture_init(&cap);
	int ret = EXIT_USAGE;
	if (cmd_load_rules(env, &kb))
		goto out;
	char *data_dir = cmd_rules_dir(env); /* usb-vendors.txt */
	po.data_dir = data_dir;
	ret = cmd_read_phone(&kb, device, &po, 0, &cap);
	free(data_dir);
	if (ret)
		goto out;
	char *cause = NULL;
	if (capture_write(&cap, output, &cause)) {
		cmd_error("%s", cause);
		free(cause);
		ret = EXIT_USAGE;
		goto out;
	}
	size_t bad = 0;
	for (size_t i = 0; i < cap.nanswers; i++)
		bad += cap.answers[i].status != ANSWER_OK;
	if (strcmp(output, "-"))
		fprintf(stderr, "backupdoctor: %s: %zu answers from %s%s\n", output, cap.nanswers,
			cap.device_id, bad ? " (some incomplete: see their status)" : "");
	ret = cmd_capture_unreadable(&cap) ? EXIT_NODEVICE : EXIT_NOTHING;
out:
	capture_release(&cap);
	kb_release(&kb);
	return ret;
}

const struct cmd cmd_capture = {
	.name = "capture",
	.usage = "-o FILE [-d ID] [--timeout SECONDS] [--log-seconds N]",
	.summary = "save the phone's raw answers for analyze",
	.options = capture_options,
	.run = run,
};

/*
 * main.c - the one command table, global options, and finding the
 * knowledge base.  Only main.c and the cmd-*.c files print to the user or
 * choose exit statuses.
 */
#define _DEFAULT_SOURCE
#include <getopt.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd.h"
#include "xalloc.h"
#include "banned.h"

const struct cmd *const cmd_table[] = {
	&cmd_devices,
	&cmd_scan,
	&cmd_info,
	&cmd_check,
	&cmd_capture,
	&cmd_analyze,
	&cmd_rules,
	&cmd_log,
	&cmd_net,
	&cmd_complete,
	NULL,
};

void cmd_error(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("backupdoctor: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
}

int cmd_usage(const struct cmd *c)
{
	fprintf(stderr, "usage: backupdoctor %s %s\n", c->name, c->usage);
	return EXIT_USAGE;
}

static bool is_dir(const char *p)
{
	struct stat st;
	return p && !stat(p, &st) && S_ISDIR(st.st_mode);
}

char *cmd_rules_dir(const struct cmd_env *env)
{
	if (env->rules_dir)
		return xstrdup(env->rules_dir);
	const char *e = getenv("BACKUPDOCTOR_RULES");
	if (e && *e)
		return xstrdup(e);
	if (is_dir(BD_RULES_DIR))
		return xstrdup(BD_RULES_DIR);
	/* run from the build directory: rules/ sits beside the binary */
	char self[4096];
	ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		char *slash = strrchr(self, '/');
		if (slash) {
			*slash = '\0';
			char *cand = xasprintf("%s/rules", self);
			if (is_dir(cand))
				return cand;
			free(cand);
		}
	}
	return NULL;
}

int cmd_load_rules(struct cmd_env *env, struct kb *kb)
{
	char *dir = cmd_rules_dir(env);
	if (!dir) {
		cmd_error("cannot find the rules: give --rules DIR or set BACKUPDOCTOR_RULES "
			  "(installed rules live in %s)", BD_RULES_DIR);
		return -1;
	}
	struct diags d;
	diags_init(&d);
	int r = rules_load_dir(kb, dir, &d);
	if (r || d.errors) {
		diags_print(&d, stderr);
		cmd_error("the knowledge base in %s is broken (%zu error%s); "
			  "'backupdoctor rules lint %s' shows every problem",
			  dir, d.errors, d.errors == 1 ? "" : "s", dir);
		r = -1;
	}
	diags_release(&d);
	free(dir);
	return r;
}

static void usage(FILE *out)
{
	fputs("usage: backupdoctor [--rules DIR] [--no-color] COMMAND [OPTIONS] [ARGS]\n"
	      "\nWhy did the photos stop backing up?  Commands:\n", out);
	for (size_t i = 0; cmd_table[i]; i++)
		if (!cmd_table[i]->hidden)
			fprintf(out, "  %-9s %s\n", cmd_table[i]->name, cmd_table[i]->summary);
	fputs("\n'backupdoctor COMMAND --help' shows a command's options; "
	      "see backupdoctor(1) and backupdoctor-rules(5).\n", out);
}

int main(int argc, char **argv)
{
	struct cmd_env env = { "backupdoctor", NULL, false };
	static const struct option opts[] = {
		{ "rules", required_argument, NULL, 'R' },
		{ "no-color", no_argument, NULL, 'C' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;
	/* a phone that goes away mid-write is an error to report, not a signal to die of */
	signal(SIGPIPE, SIG_IGN);
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+h", opts, NULL)) != -1) {
		switch (c) {
		case 'R': env.rules_dir = optarg; break;
		case 'C': env.no_color = true; break;
		case 'h': usage(stdout); return EXIT_NOTHING;
		case 'V': printf("backupdoctor %s\n", BD_VERSION); return EXIT_NOTHING;
		default:
			cmd_error("unknown option '%s'", argv[optind - 1]);
			usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	const char *name = argv[optind];
	for (size_t i = 0; cmd_table[i]; i++) {
		if (strcmp(cmd_table[i]->name, name))
			continue;
		argc -= optind;
		argv += optind;
		optind = 0; /* full re-initialisation of getopt for the command */
		opterr = 1;
		return cmd_table[i]->run(argc, argv, &env);
	}
	cmd_error("unknown command '%s'", name);
	usage(stderr);
	return EXIT_USAGE;
}

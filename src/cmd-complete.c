/*
 * cmd-complete.c - `backupdoctor __complete WHAT`: what the shell
 * completions ask the binary, so they never fall out of date.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "banned.h"

static int run(int argc, char **argv, struct cmd_env *env)
{
	if (argc < 2)
		return EXIT_USAGE;
	const char *what = argv[1];
	if (!strcmp(what, "commands")) {
		for (size_t i = 0; cmd_table[i]; i++)
			if (!cmd_table[i]->hidden)
				puts(cmd_table[i]->name);
		return EXIT_NOTHING;
	}
	if (!strcmp(what, "options")) {
		if (argc < 3) {
			puts("--rules\n--no-color\n--help\n--version");
			return EXIT_NOTHING;
		}
		for (size_t i = 0; cmd_table[i]; i++)
			if (!strcmp(cmd_table[i]->name, argv[2]))
				for (const char *const *o = cmd_table[i]->options; o && *o; o++)
					puts(*o);
		return EXIT_NOTHING;
	}
	if (!strcmp(what, "formats")) {
		puts("text\njson\nmd\nhtml");
		return EXIT_NOTHING;
	}
	if (!strcmp(what, "rule-ids") || !strcmp(what, "facts")) {
		struct kb kb;
		kb_init(&kb);
		/* quiet: a completion must never print errors into the prompt */
		FILE *saved = stderr;
		stderr = fopen("/dev/null", "w");
		int r = cmd_load_rules(env, &kb);
		if (stderr)
			fclose(stderr);
		stderr = saved;
		if (!r && what[0] == 'r')
			for (size_t i = 0; i < kb.nrules; i++)
				puts(kb.rules[i].id);
		if (!r && what[0] == 'f')
			for (size_t i = 0; i < kb.ndecls; i++) {
				const struct factdecl *fd = &kb.decls[i];
				if (!fd->ask)
					continue;
				if (!fd->per_app) {
					puts(fd->name);
					continue;
				}
				for (size_t j = 0; j < kb.napps; j++)
					printf("app.%s.%s\n", kb.apps[j].id, fd->name + 6);
			}
		kb_release(&kb);
		return r ? EXIT_USAGE : EXIT_NOTHING;
	}
	return EXIT_USAGE;
}

const struct cmd cmd_complete = {
	.name = "__complete",
	.usage = "commands|options [CMD]|formats|rule-ids|facts",
	.summary = "what shell completions ask",
	.run = run,
	.hidden = true,
};

/*
 * cmd-rules.c - `backupdoctor rules list|show ID|lint [DIR]`: what the
 * knowledge base knows, and a check-only mode for the people who keep it.
 */
#include <getopt.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "xalloc.h"
#include "banned.h"

static const char *const rules_options[] = { "--format", "--rules", "--help", NULL };

static json_t *platforms_json(unsigned p)
{
	json_t *a = json_array();
	if (p & PLAT_ANDROID)
		json_array_append_new(a, json_string("android"));
	if (p & PLAT_IOS)
		json_array_append_new(a, json_string("ios"));
	return a;
}

static void plat_text(char *out, size_t n, unsigned p)
{
	snprintf(out, n, "%s%s%s", p & PLAT_ANDROID ? "android" : "",
		 (p & PLAT_ANDROID) && (p & PLAT_IOS) ? "," : "", p & PLAT_IOS ? "ios" : "");
}

/* A title with no phone: facts read "unknown", and the app of a per-app rule "the app". */
static char *plain(const struct kb *kb, const struct template *t)
{
	static const struct app any = { (char *)"app", (char *)"the app", { NULL, NULL }, { 0 } };
	struct facts none;
	facts_init(&none);
	struct evalctx cx = { kb, &none, 0, &any };
	char *s = rules_expand_always(&cx, t);
	facts_release(&none);
	return s;
}

static int list(const struct kb *kb, bool json)
{
	if (json) {
		json_t *a = json_array();
		for (size_t i = 0; i < kb->nrules; i++) {
			const struct rule *r = &kb->rules[i];
			json_t *o = json_object();
			char *title = plain(kb, &r->title);
			json_object_set_new(o, "id", json_string(r->id));
			json_object_set_new(o, "title", json_string(title));
			json_object_set_new(o, "platforms", platforms_json(r->platforms));
			json_object_set_new(o, "group", json_string(group_name(r->group)));
			json_object_set_new(o, "weight", json_integer(r->weight));
			json_object_set_new(o, "per_app", json_boolean(r->per_app));
			json_t *src = json_array();
			for (size_t j = 0; j < r->sources.n; j++)
				json_array_append_new(src, json_string(r->sources.v[j]));
			json_object_set_new(o, "sources", src);
			json_array_append_new(a, o);
			free(title);
		}
		json_dumpf(a, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(a);
		return EXIT_NOTHING;
	}
	for (int g = 0; g < GROUP__COUNT; g++) {
		bool any = false;
		for (size_t i = 0; i < kb->nrules; i++) {
			const struct rule *r = &kb->rules[i];
			if ((int)r->group != g)
				continue;
			if (!any)
				printf("%s%s\n", g ? "\n" : "", group_title((enum group)g));
			any = true;
			char plats[32];
			plat_text(plats, sizeof(plats), r->platforms);
			char *title = plain(kb, &r->title);
			printf("  %-26s %-11s %s\n", r->id, plats, title);
			free(title);
		}
	}
	return EXIT_NOTHING;
}

static void show_expr(const char *label, const struct expr *e)
{
	if (!e)
		return;
	char *s = rules_expr_format(e);
	printf("%-10s %s\n", label, s);
	free(s);
}

static int show(const struct kb *kb, const char *id)
{
	const struct rule *r = kb_rule(kb, id);
	if (!r) {
		cmd_error("rules show: no rule '%s' ('backupdoctor rules list' shows them)", id);
		return EXIT_USAGE;
	}
	char plats[32];
	plat_text(plats, sizeof(plats), r->platforms);
	char *title = plain(kb, &r->title);
	printf("%-10s %s%s\n%-10s %s\n%-10s %s\n%-10s %s\n%-10s %d\n", "rule", r->id,
	       r->per_app ? " (for each app)" : "", "title", title, "group", group_name(r->group),
	       "platforms", plats, "weight", r->weight);
	free(title);
	printf("%-10s", "sources");
	for (size_t i = 0; i < r->sources.n; i++)
		printf(" %s", r->sources.v[i]);
	printf("\n%-10s %s:%d\n", "defined", r->pos.file, r->pos.line);
	show_expr("require", r->require);
	show_expr("when", r->when);
	printf("%-10s %s\n", "cause", r->cause.text);
	for (size_t i = 0; i < r->nevidence; i++)
		printf("%-10s %s\n", "evidence", r->evidence[i].text);
	for (size_t i = 0; i < r->nfixes; i++) {
		const struct fix *f = &r->fixes[i];
		printf("fix %zu      %s\n", i + 1, f->title.text);
		for (size_t j = 0; j < f->nsteps; j++) {
			const struct step *st = &f->steps[j];
			char sel[64] = "";
			if (st->platforms != PLAT_ALL || st->app)
				snprintf(sel, sizeof(sel), "[%s%s%s] ",
					 st->platforms != PLAT_ALL ? platform_name(st->platforms) : "",
					 st->platforms != PLAT_ALL && st->app ? " " : "",
					 st->app ? st->app : "");
			printf("  - %s%s\n", sel, st->text.text);
		}
		if (f->action)
			printf("  action   %s\n", f->action->text);
		if (f->verify) {
			char *v = rules_expr_format(f->verify);
			printf("  verify   %s\n", v);
			free(v);
		}
	}
	return EXIT_NOTHING;
}

static int lint(const char *dir)
{
	struct kb kb;
	struct diags d;
	kb_init(&kb);
	diags_init(&d);
	rules_load_dir(&kb, dir, &d);
	diags_print(&d, stderr);
	int ret;
	if (d.errors) {
		fprintf(stderr, "%s: %zu error%s, %zu warning%s\n", dir, d.errors,
			d.errors == 1 ? "" : "s", d.warnings, d.warnings == 1 ? "" : "s");
		ret = EXIT_USAGE;
	} else {
		printf("%s: ok: %zu rules, %zu apps, %zu facts in %zu files\n", dir, kb.nrules,
		       kb.napps, kb.ndecls, kb.files.n);
		ret = EXIT_NOTHING;
	}
	diags_release(&d);
	kb_release(&kb);
	return ret;
}

static int run(int argc, char **argv, struct cmd_env *env)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "rules", required_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = false;
	int c;
	while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (!strcmp(optarg, "json"))
				json = true;
			else if (strcmp(optarg, "text")) {
				cmd_error("--format: '%s' is not text or json", optarg);
				return EXIT_USAGE;
			}
			break;
		case 'R': env->rules_dir = optarg; break;
		case 'h':
			printf("usage: backupdoctor rules %s\n", cmd_rules.usage);
			return EXIT_NOTHING;
		default:
			return cmd_usage(&cmd_rules);
		}
	}
	if (optind >= argc)
		return cmd_usage(&cmd_rules);
	const char *sub = argv[optind++];
	int nargs = argc - optind;

	if (!strcmp(sub, "lint")) {
		if (nargs > 1)
			return cmd_usage(&cmd_rules);
		if (nargs == 1)
			return lint(argv[optind]);
		char *dir = cmd_rules_dir(env);
		if (!dir) {
			cmd_error("rules lint: no rules directory found; name one");
			return EXIT_USAGE;
		}
		int r = lint(dir);
		free(dir);
		return r;
	}
	if (strcmp(sub, "list") && strcmp(sub, "show")) {
		cmd_error("rules: unknown subcommand '%s' (list, show, lint)", sub);
		return cmd_usage(&cmd_rules);
	}
	if ((!strcmp(sub, "list") && nargs) || (!strcmp(sub, "show") && nargs != 1))
		return cmd_usage(&cmd_rules);
	struct kb kb;
	kb_init(&kb);
	int ret = EXIT_USAGE;
	if (!cmd_load_rules(env, &kb))
		ret = !strcmp(sub, "list") ? list(&kb, json) : show(&kb, argv[optind]);
	kb_release(&kb);
	return ret;
}

const struct cmd cmd_rules = {
	.name = "rules",
	.usage = "list [--format text|json] | show ID | lint [DIR]",
	.summary = "list, show or check the knowledge base",
	.options = rules_options,
	.run = run,
};

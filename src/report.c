/* report.c - choosing a writer, and the pieces every writer shares. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report.h"
#include "xalloc.h"
#include "banned.h"

int report_format_from_name(const char *name)
{
	static const char *const names[] = { "text", "json", "md", "html" };
	for (size_t i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (!strcmp(names[i], name))
			return (int)i;
	if (!strcmp(name, "markdown"))
		return REPORT_MD;
	return -1;
}

int report_write(FILE *out, enum report_format fmt, const struct report_ctx *rc)
{
	switch (fmt) {
	case REPORT_TEXT: report_text(out, rc); break;
	case REPORT_JSON: report_json(out, rc); break;
	case REPORT_MD: report_md(out, rc); break;
	case REPORT_HTML: report_html(out, rc); break;
	}
	fflush(out);
	return ferror(out) ? -1 : 0;
}

char *report_device_line(const struct facts *facts)
{
	const char *maker = facts_string(facts, "device.manufacturer");
	const char *model = facts_string(facts, "device.model");
	const char *plat = facts_string(facts, "device.platform");
	const char *os = facts_string(facts, "device.os_version");
	struct buf b = BUF_INIT;
	if (maker && *maker && model && strncasecmp(model, maker, strlen(maker)))
		/* "samsung" as the phone says it, "Samsung" as people write it */
		buf_addf(&b, "%c%s %s", toupper((unsigned char)maker[0]), maker + 1, model);
	else
		buf_puts(&b, model ? model : "unknown model");
	const char *pname = !plat ? "OS" : !strcmp(plat, "ios") ? "iOS" :
			    !strcmp(plat, "android") ? "Android" : plat;
	if (os)
		buf_addf(&b, ", %s %s", pname, os);
	else if (plat)
		buf_addf(&b, ", %s", pname);
	return buf_detach(&b);
}

void report_app_versions(const struct kb *kb, const struct facts *facts, struct strlist *out)
{
	for (size_t i = 0; i < kb->napps; i++) {
		const struct app *a = &kb->apps[i];
		char *inst = xasprintf("app.%s.installed", a->id);
		char *ver = xasprintf("app.%s.version", a->id);
		const struct value *vi = facts_value(facts, inst);
		const char *v = facts_string(facts, ver);
		if (vi && vi->type == VT_BOOL && vi->b)
			strlist_push_owned(out, v ? xasprintf("%s %s", a->name, v) : xstrdup(a->name));
		free(inst);
		free(ver);
	}
}

void action_release(struct action *a)
{
	free(a->command);
	free(a->result);
	strlist_release(&a->changes);
	memset(a, 0, sizeof(*a));
}

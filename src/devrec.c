/* devrec.c - the device record from the facts (see devrec.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "devrec.h"
#include "factsfile.h"
#include "xalloc.h"
#include "banned.h"

const char *const devrec_keys[] = {
	"platform", "manufacturer", "model", "model_name", "color", "os_version", "build",
	"serial", "imei", "imei2", "name", "udid", "storage_total", "storage_free",
	"battery_level", "battery_health_pct", "battery_cycle_count", "captured_at", NULL,
};

char *devrec_model_name(const char *models_path, const char *code)
{
	if (!models_path || !code || !*code)
		return NULL;
	FILE *f = fopen(models_path, "r");
	if (!f)
		return NULL;
	char *line = NULL, *found = NULL;
	size_t cap = 0;
	ssize_t n;
	size_t clen = strlen(code);
	while (!found && (n = getline(&line, &cap, f)) >= 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' '))
			line[--n] = '\0';
		if (!n || line[0] == '#')
			continue;
		/* the code may hold one space ("Pixel 7"): the name starts after a tab or two spaces */
		if (strncmp(line, code, clen) || (line[clen] != '\t' && strncmp(line + clen, "  ", 2)))
			continue;
		const char *p = line + clen;
		p += strspn(p, " \t");
		if (*p)
			found = xstrdup(p);
	}
	free(line);
	fclose(f);
	return found;
}

/*
 * The one place that knows marketing names: the parsers record the code
 * (iOS device.product_type "iPhone15,2"; Android's ro.product.model is
 * already a code or a name, "SM-S911B", "Pixel 7"), and this gives
 * device.model the name from models.txt when the table knows the code.
 * Source and raw excerpt stay the phone's; device.product_type keeps the
 * code (set here from device.model on Android).
 */
void devrec_name_model(const char *rules_dir, struct facts *fs)
{
	const struct fact *m = facts_get(fs, "device.model");
	if (!rules_dir || !m || m->state != FACT_KNOWN || m->v.type != VT_STRING)
		return;
	const char *code = facts_string(fs, "device.product_type");
	if (!code)
		code = m->v.s;
	char *path = xasprintf("%s/models.txt", rules_dir);
	char *name = devrec_model_name(path, code);
	free(path);
	if (!name || !strcmp(name, m->v.s)) {
		free(name);
		return;
	}
	char *c = xstrdup(code), *src = m->source ? xstrdup(m->source) : NULL;
	char *raw = m->raw ? xstrdup(m->raw) : NULL;
	struct value v = { 0 };
	if (!facts_string(fs, "device.product_type")) {
		value_set_str(&v, c);
		facts_set(fs, "device.product_type", FACT_KNOWN, &v, src, raw, NULL);
		value_release(&v);
	}
	value_set_str(&v, name);
	facts_set(fs, "device.model", FACT_KNOWN, &v, src, raw, NULL);
	value_release(&v);
	free(c);
	free(src);
	free(raw);
	free(name);
}

static json_t *fact_json(const struct facts *fs, const char *name)
{
	const struct value *v = facts_value(fs, name);
	if (!v)
		return json_null();
	json_t *j = factsfile_value_json(v);
	return j ? j : json_null();
}

json_t *devrec_build(const struct facts *fs, const char *device_id, const char *models_path)
{
	json_t *o = json_object();
	const char *plat = facts_string(fs, "device.platform");
	static const char *const map[][2] = {
		{ "platform", "device.platform" }, { "manufacturer", "device.manufacturer" },
		{ "model", "device.model" }, { "model_name", NULL }, { "color", "device.color" },
		{ "os_version", "device.os_version" }, { "build", "device.build" },
		{ "serial", "device.serial" }, { "imei", "device.imei" }, { "imei2", "device.imei2" },
		{ "name", "device.name" }, { "udid", NULL },
		{ "storage_total", "storage.total" }, { "storage_free", "storage.free" },
		{ "battery_level", "battery.level" }, { "battery_health_pct", "battery.health_pct" },
		{ "battery_cycle_count", "battery.cycle_count" },
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(*map); i++)
		json_object_set_new(o, map[i][0], map[i][1] ? fact_json(fs, map[i][1]) : json_null());

	/*
	 * model: the code the phone gave (device.product_type: iOS
	 * ProductType; Android ro.product.model when models.txt named it);
	 * model_name: the marketing name, device.model as probe_facts named it
	 * (named here too for a fact store that was not, e.g. a facts file).
	 */
	const char *code = facts_string(fs, "device.product_type");
	if (!code)
		code = facts_string(fs, "device.model");
	if (code)
		json_object_set_new(o, "model", json_string(code));
	char *name = devrec_model_name(models_path, code);
	if (name) {
		json_object_set_new(o, "model_name", json_string(name));
		free(name);
	} else if (facts_string(fs, "device.model")) {
		json_object_set_new(o, "model_name", json_string(facts_string(fs, "device.model")));
	}
	if (device_id && plat && !strcmp(plat, "ios"))
		json_object_set_new(o, "udid", json_string(device_id));
	/* on Android the adb serial is the phone's serial unless it says otherwise */
	if (device_id && plat && !strcmp(plat, "android") && json_is_null(json_object_get(o, "serial")))
		json_object_set_new(o, "serial", json_string(device_id));
	if (fs->captured_at > 0) {
		char *s = timestamp_format_iso(fs->captured_at);
		json_object_set_new(o, "captured_at", json_string(s));
		free(s);
	} else {
		json_object_set_new(o, "captured_at", json_null());
	}
	return o;
}

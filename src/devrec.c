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

	/* the marketing name: the product type / model code the phone gave, through the table */
	const struct fact *m = facts_get(fs, "device.model");
	const char *cands[] = { facts_string(fs, "device.product_type"), m ? m->raw : NULL,
				facts_string(fs, "device.model") };
	char *name = NULL;
	for (size_t i = 0; !name && i < sizeof(cands) / sizeof(*cands); i++)
		name = devrec_model_name(models_path, cands[i]);
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

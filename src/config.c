/*
 * config.c - the user's config file (see config.h): shop_name and
 * shop_contact for reports, and the replacement data files and thresholds
 * of the USB and network checks (usb_vendors, net_endpoints, net_timeout,
 * upload_bytes), so a shop needs no new build.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "xalloc.h"
#include "banned.h"

static char *config_file(void)
{
	const char *x = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	return x && *x == '/' ? xasprintf("%s/backupdoctor/config", x) :
	       xasprintf("%s/.config/backupdoctor/config", home && *home ? home : ".");
}

char *config_get(const char *key)
{
	char *path = config_file();
	FILE *f = fopen(path, "r");
	free(path);
	if (!f)
		return NULL;
	char *line = NULL, *found = NULL;
	size_t cap = 0;
	ssize_t n;
	while ((n = getline(&line, &cap, f)) >= 0) {
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' ' ||
				 line[n - 1] == '\t'))
			line[--n] = '\0';
		char *p = line + strspn(line, " \t");
		if (!*p || *p == '#')
			continue;
		char *eq = strchr(p, '=');
		if (!eq)
			continue;
		char *k = p, *ke = eq;
		while (ke > k && (ke[-1] == ' ' || ke[-1] == '\t'))
			ke--;
		*ke = '\0';
		if (strcmp(k, key))
			continue;
		char *v = eq + 1;
		v += strspn(v, " \t");
		size_t vl = strlen(v);
		if (vl >= 2 && v[0] == '"' && v[vl - 1] == '"') {
			v[vl - 1] = '\0';
			v++;
		}
		free(found);
		found = xstrdup(v);
	}
	free(line);
	fclose(f);
	return found;
}

char *config_path(const char *key)
{
	char *v = config_get(key);
	if (!v || !*v || *v == '/')
		return v;
	char *file = config_file();
	char *slash = strrchr(file, '/');
	*slash = '\0';
	char *p = xasprintf("%s/%s", file, v);
	free(file);
	free(v);
	return p;
}

int config_number(const char *key, double *out, char **cause)
{
	char *v = config_get(key);
	if (!v)
		return 0;
	char *end;
	double d = strtod(v, &end);
	if (end == v || *end || !isfinite(d) || d <= 0) {
		*cause = xasprintf("config: %s = '%s' is not a positive number", key, v);
		free(v);
		return -1;
	}
	free(v);
	*out = d;
	return 1;
}

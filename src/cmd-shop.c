/*
 * cmd-shop.c - the repair shop's side of the commands: the shop log
 * options, a visit, redaction before anything is shared, sending to a
 * collector, the shop's config, CSV (see cmd-shop.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd-shop.h"
#include "config.h"
#include "devrec.h"
#include "post.h"
#include "redact.h"
#include "xalloc.h"
#include "banned.h"

bool cmd_shop_option(int c, const char *arg, struct shop_opts *so)
{
	switch (c) {
	case SHOP_OPT_LOG: so->log = true; return true;
	case SHOP_OPT_DB: so->db = arg; return true;
	case SHOP_OPT_NOTE: so->note = arg; return true;
	case SHOP_OPT_TICKET: so->ticket = arg; return true;
	case SHOP_OPT_PERSONAL: so->include_personal = true; return true;
	case SHOP_OPT_POST: so->post = arg; return true;
	case SHOP_OPT_CACERT: so->cacert = arg; return true;
	}
	return false;
}

struct shoplog *cmd_shop_open(const char *db)
{
	char *path = db ? xstrdup(db) : shoplog_default_path();
	struct shoplog *sl = NULL;
	char *cause = NULL;
	if (shoplog_open(path, db == NULL, &sl, &cause)) {
		cmd_error("shop log: %s", cause);
		free(cause);
	}
	free(path);
	return sl;
}

char *cmd_models_path(const struct cmd_env *env)
{
	char *dir = cmd_rules_dir(env);
	if (!dir)
		return NULL;
	char *p = xasprintf("%s/models.txt", dir);
	free(dir);
	return p;
}

json_t *cmd_visit_new(const struct shop_opts *so, const char *command, json_t *devrec,
		      const struct diagnosis *dg, const struct action *actions, size_t nactions)
{
	json_t *v = json_object();
	json_object_set_new(v, "command", json_string(command));
	json_object_set_new(v, "ticket", so->ticket ? json_string(so->ticket) : json_null());
	json_object_set_new(v, "note", so->note ? json_string(so->note) : json_null());
	json_object_set(v, "device", devrec);
	json_t *fa = json_array();
	for (size_t i = 0; dg && i < dg->nfindings; i++) {
		const struct finding *f = &dg->findings[i];
		json_t *o = json_object();
		json_object_set_new(o, "id", json_string(f->rule->id));
		json_object_set_new(o, "status", json_string(finding_status_name(f->status)));
		json_object_set_new(o, "app", f->app ? json_string(f->app->id) : json_null());
		json_array_append_new(fa, o);
	}
	json_object_set_new(v, "findings", fa);
	json_t *xa = json_array();
	for (size_t i = 0; i < nactions; i++) {
		const struct action *a = &actions[i];
		if (!a->applied)
			continue;
		json_t *o = json_object();
		json_object_set_new(o, "id", json_string(a->rule->id));
		json_object_set_new(o, "command", json_string(a->command));
		json_object_set_new(o, "result", a->result ? json_string(a->result) : json_null());
		json_array_append_new(xa, o);
	}
	json_object_set_new(v, "fixes", xa);
	return v;
}

int cmd_shop_log(struct shop_opts *so, json_t *visit)
{
	if (!so->log)
		return 0;
	struct shoplog *sl = cmd_shop_open(so->db);
	if (!sl)
		return EXIT_INTERNAL;
	char *cause = NULL;
	int ret = 0;
	if (shoplog_add(sl, visit, &so->visit_id, &cause)) {
		cmd_error("shop log: %s", cause);
		free(cause);
		ret = EXIT_INTERNAL;
	} else {
		fprintf(stderr, "backupdoctor: logged as visit %lld\n", so->visit_id);
	}
	shoplog_close(sl);
	return ret;
}

void cmd_shop_redact(struct shop_opts *so, struct facts *facts, struct diagnosis *dg, char **source)
{
	if (so->include_personal || so->redacted)
		return;
	redact_report(facts, dg, source, NULL);
	so->redacted = true;
}

int cmd_shop_send(const char *url, const char *cacert, const char *payload, char **cause)
{
	struct post_opts po;
	post_opts_default(&po);
	po.cacert = cacert;
	po.token = getenv("BACKUPDOCTOR_POST_TOKEN");
	return post_json(url, payload, &po, cause);
}

int cmd_shop_post(struct shop_opts *so, const struct report_ctx *rc)
{
	if (!so->post)
		return 0;
	json_t *rep = report_json_build(rc);
	if (so->visit_id > 0 || so->ticket) {
		json_t *v = json_object();
		json_object_set_new(v, "id", so->visit_id > 0 ? json_integer(so->visit_id) : json_null());
		json_object_set_new(v, "ticket", so->ticket ? json_string(so->ticket) : json_null());
		json_object_set_new(rep, "visit", v);
	}
	char *shop = NULL, *contact = NULL;
	cmd_shop_config(&shop, &contact);
	if (shop || contact) {
		json_t *s = json_object();
		json_object_set_new(s, "name", shop ? json_string(shop) : json_null());
		json_object_set_new(s, "contact", contact ? json_string(contact) : json_null());
		json_object_set_new(rep, "shop", s);
	}
	free(shop);
	free(contact);
	char *payload = json_dumps(rep, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(rep);
	char *cause = NULL;
	int ret = 0;
	if (!cmd_shop_send(so->post, so->cacert, payload, &cause)) {
		fprintf(stderr, "backupdoctor: report sent to %s\n", so->post);
		goto out;
	}
	cmd_error("--post: %s", cause);
	struct shoplog *sl = cmd_shop_open(so->db);
	char *why = NULL;
	long long id;
	if (!sl || shoplog_outbox_add(sl, so->visit_id, so->post, payload, cause, &id, &why)) {
		if (why)
			cmd_error("shop log: %s", why);
		cmd_error("the report was not sent and could not be kept");
		ret = EXIT_INTERNAL;
	} else {
		cmd_error("the report is kept in the shop log as unsent (%lld); "
			  "'backupdoctor log resend' sends it", id);
	}
	free(why);
	shoplog_close(sl);
out:
	free(cause);
	free(payload);
	return ret;
}

void cmd_shop_config(char **name, char **contact)
{
	*name = config_get("shop_name");
	*contact = config_get("shop_contact");
}

void cmd_csv_row(FILE *out, const char *const *fields, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc(',', out);
		const char *s = fields[i] ? fields[i] : "";
		if (strpbrk(s, ",\"\r\n")) {
			fputc('"', out);
			for (; *s; s++) {
				if (*s == '"')
					fputc('"', out);
				fputc(*s, out);
			}
			fputc('"', out);
		} else {
			fputs(s, out);
		}
	}
	fputs("\r\n", out);
}

char *cmd_json_text(json_t *v)
{
	if (!v || json_is_null(v))
		return xstrdup("");
	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	if (json_is_integer(v))
		return xasprintf("%lld", (long long)json_integer_value(v));
	if (json_is_real(v)) {
		double d = json_real_value(v);
		if (d == (double)(long long)d)
			return xasprintf("%lld", (long long)d);
		return xasprintf("%g", d);
	}
	if (json_is_boolean(v))
		return xstrdup(json_is_true(v) ? "yes" : "no");
	return json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
}

int cmd_shop_prepare(struct shop_opts *so, const struct cmd_env *env, const char *command,
		     struct facts *facts, struct diagnosis *dg, const char *device_id,
		     const struct action *actions, size_t nactions, bool shared, char **source)
{
	int ret = 0;
	if (so->log) {
		char *models = cmd_models_path(env);
		json_t *rec = devrec_build(facts, device_id, models);
		json_t *visit = cmd_visit_new(so, command, rec, dg, actions, nactions);
		ret = cmd_shop_log(so, visit);
		json_decref(visit);
		json_decref(rec);
		free(models);
	}
	if (shared || so->post) {
		if (!so->include_personal && !so->redacted)
			redact_report(facts, dg, source, device_id);
		so->redacted = !so->include_personal;
	}
	return ret;
}

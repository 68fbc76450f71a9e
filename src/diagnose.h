/*
 * diagnose.h - run the knowledge base over a fact store and rank what it
 * found.  The result is plain data (every string expanded, every fact named)
 * so that each view — text, JSON, Markdown, HTML, the checklist, the shop
 * log — only reads it.
 */
#ifndef BD_DIAGNOSE_H
#define BD_DIAGNOSE_H

#include <stdbool.h>
#include <stddef.h>
#include "facts.h"
#include "rules.h"

enum finding_status { FINDING_CONFIRMED, FINDING_POSSIBLE };
const char *finding_status_name(enum finding_status s);

/* A fact as quoted in evidence: its concrete name, value for people, provenance. */
struct cited_fact {
	char *name;
	char *value;		/* formatted, or "unknown" */
	enum fact_state state;
	char *source;		/* may be NULL */
	char *raw;		/* may be NULL */
};

struct evidence {
	char *text;
	struct cited_fact *facts;
	size_t nfacts;
};

struct fix_out {
	char *title;
	struct strlist steps;	/* already chosen for this platform and app */
	char *action;		/* android command the tool can apply; may be NULL */
	const struct fix *fix;	/* borrowed from the kb: its verify condition */
};

struct finding {
	const struct rule *rule;	/* borrowed from the kb */
	const struct app *app;		/* for per-app rules, else NULL */
	enum finding_status status;
	int score;
	int support;
	char *title;
	char *cause;
	struct evidence *evidence;
	size_t nevidence;
	struct fix_out *fixes;
	size_t nfixes;
	struct strlist questions;	/* fact names (askable) that would settle it */
	struct strlist unknown;		/* every fact it needed but did not know */
};

/* A question for a person: an askable fact nobody knows yet. */
struct question {
	char *fact;		/* concrete name: "cloud.storage_full" */
	char *text;		/* expanded ask text */
	enum vtype type;
	struct strlist answers;	/* allowed answers ("yes", "no", …) */
	struct strlist causes;	/* rule ids it would settle (with app: "id:app") */
	int weight;		/* highest weight of those rules */
};

struct ruled_out {
	const struct rule *rule;
	const struct app *app;
};

struct diagnosis {
	unsigned platform;
	struct finding *findings;	/* ranked, best first */
	size_t nfindings, findings_alloc;
	struct question *questions;	/* ranked */
	size_t nquestions, questions_alloc;
	struct ruled_out *ruled_out;
	size_t nruled_out, ruled_out_alloc;
	size_t nconfirmed, npossible;
};

/*
 * Evaluate every rule (per app for "for each app" rules) and rank.  The
 * platform comes from the fact device.platform.  Borrowed pointers into kb
 * stay valid as long as kb does.
 */
void diagnose(const struct kb *kb, const struct facts *facts, struct diagnosis *out);
void diagnosis_release(struct diagnosis *dg);

/*
 * Apply answers: each "FACT=VALUE" is checked against the fact's
 * declaration (must be askable, value of its type) and stored as answered.
 * Returns 0, or -1 with *cause set.
 */
int diagnose_answer(const struct kb *kb, struct facts *facts, const char *assignment,
		    const char *source, char **cause);

#endif

/*
 * tui.c - the checklist screen of `backupdoctor check`.  Left: every cause
 * grouped as causes.md groups them, with its state; right: the selected
 * one's cause, evidence and fix steps.  Each screen has a draw function and
 * a key function; key functions only change the view state and return what
 * the loop must do next (ask, search, re-read, quit), so that the prompts
 * and the re-reading live in one place.
 */
#define NCURSES_WIDECHAR 1
#include <curses.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "tui.h"
#include "xalloc.h"
#include "banned.h"

enum { PAIR_PROBLEM = 1, PAIR_MAYBE, PAIR_OK, PAIR_DONE, PAIR_HEAD };

enum act { ACT_NONE, ACT_QUIT, ACT_ANSWER, ACT_SEARCH, ACT_RESCAN, ACT_HELP, ACT_MARK };

enum item_kind { ITEM_GROUP, ITEM_FINDING, ITEM_OPEN, ITEM_RULED_OUT };

struct item {
	enum item_kind kind;
	enum group group;
	const struct rule *rule;
	const struct app *app;
	size_t finding;		/* index in dg.findings */
	char *title;
};

/* One line of the right pane: wide text, its attributes, the step it shows. */
struct line {
	wchar_t *text;
	int attr;
	long step;		/* index in the flattened fix steps, or -1 */
};

struct ui {
	struct tui_session *s;
	struct item *items;
	size_t nitems;
	size_t sel;
	int pane;		/* 0 left, 1 right */
	size_t step;		/* selected fix step of the selected finding */
	int left_top, right_top;
	struct line *lines;
	size_t nlines, lines_alloc;
	size_t nsteps;
	char *message;
	struct strlist popup;
	char *popup_title;
	struct strlist asked;	/* questions answered "don't know" */
	char search[128];
};

char *tui_step_key(const struct finding *f, size_t fix, size_t step)
{
	return xasprintf("%s|%s|%zu|%zu", f->rule->id, f->app ? f->app->id : "", fix, step);
}

static void set_message(struct ui *u, char *msg)
{
	free(u->message);
	u->message = msg;
}

/* ---- text: UTF-8 in, wide characters out, wrapped by display width ---- */

static wchar_t *widen(const char *s)
{
	size_t n = strlen(s);
	wchar_t *w = xmalloc((n + 1) * sizeof(*w));
	mbstate_t st;
	memset(&st, 0, sizeof(st));
	size_t k = 0;
	const char *p = s;
	while (*p) {
		wchar_t wc;
		size_t r = mbrtowc(&wc, p, strlen(p), &st);
		if (r == (size_t)-1 || r == (size_t)-2 || r == 0) {
			/* not valid here (a C locale): show a placeholder, go on */
			memset(&st, 0, sizeof(st));
			w[k++] = L'?';
			p++;
			continue;
		}
		w[k++] = (wc == L'\t') ? L' ' : wc;
		p += r;
	}
	w[k] = 0;
	return w;
}

static int wwidth(wchar_t c)
{
	int w = wcwidth(c);
	return w < 0 ? 1 : w;
}

/* Put at most `width` columns of s at (y, x). */
static void put_text(int y, int x, int width, const char *s, int attr)
{
	wchar_t *w = widen(s);
	int used = 0;
	size_t n = 0;
	while (w[n] && used + wwidth(w[n]) <= width)
		used += wwidth(w[n++]);
	attron(attr);
	mvaddnwstr(y, x, w, (int)n);
	attroff(attr);
	free(w);
}

static void push_line(struct ui *u, wchar_t *text, int attr, long step)
{
	if (u->nlines == u->lines_alloc) {
		u->lines_alloc = u->lines_alloc ? 2 * u->lines_alloc : 64;
		u->lines = xrealloc(u->lines, u->lines_alloc * sizeof(*u->lines));
	}
	u->lines[u->nlines++] = (struct line){ text, attr, step };
}

/* Wrap text into lines of `width` columns: `first` before the first line, indent after. */
static void push_wrapped(struct ui *u, const char *first, int indent, const char *text,
			 int width, int attr, long step)
{
	char *all = xasprintf("%s%s", first, text);
	wchar_t *w = widen(all);
	free(all);
	size_t i = 0, len = wcslen(w);
	bool firstline = true;
	if (width < indent + 10)
		width = indent + 10;
	while (i < len || firstline) {
		int lead = firstline ? 0 : indent;
		int col = lead;
		size_t j = i, brk = 0;
		while (j < len && w[j] != L'\n' && col + wwidth(w[j]) <= width) {
			if (w[j] == L' ')
				brk = j;
			col += wwidth(w[j++]);
		}
		if (j < len && w[j] != L'\n' && brk > i)
			j = brk;
		wchar_t *ln = xmalloc((size_t)(lead + (int)(j - i) + 1) * sizeof(*ln));
		for (int k = 0; k < lead; k++)
			ln[k] = L' ';
		wmemcpy(ln + lead, w + i, j - i);
		ln[lead + (int)(j - i)] = 0;
		push_line(u, ln, attr, step);
		i = j;
		while (i < len && (w[i] == L' ' || w[i] == L'\n'))
			i++;
		firstline = false;
	}
	free(w);
}

static void lines_clear(struct ui *u)
{
	for (size_t i = 0; i < u->nlines; i++)
		free(u->lines[i].text);
	u->nlines = 0;
}

/* ---- the model: the items of the left pane ---- */

static void items_clear(struct ui *u)
{
	for (size_t i = 0; i < u->nitems; i++)
		free(u->items[i].title);
	free(u->items);
	u->items = NULL;
	u->nitems = 0;
}

static void item_push(struct ui *u, size_t *alloc, struct item it)
{
	if (u->nitems == *alloc) {
		*alloc = *alloc ? 2 * *alloc : 32;
		u->items = xrealloc(u->items, *alloc * sizeof(*u->items));
	}
	u->items[u->nitems++] = it;
}

static bool has_done(const struct ui *u, const struct finding *f)
{
	char *pre = xasprintf("%s|%s|", f->rule->id, f->app ? f->app->id : "");
	bool yes = false;
	for (size_t i = 0; i < u->s->done.n && !yes; i++)
		yes = !strncmp(u->s->done.v[i], pre, strlen(pre));
	free(pre);
	return yes;
}

static const char *item_state(const struct ui *u, const struct item *it)
{
	if (it->kind == ITEM_RULED_OUT)
		return "ok";
	if (it->kind == ITEM_OPEN)
		return "?";
	const struct finding *f = &u->s->dg.findings[it->finding];
	if (has_done(u, f))
		return "done";
	return f->status == FINDING_CONFIRMED ? "problem" : "?";
}

static int state_pair(const char *st)
{
	if (!strcmp(st, "problem"))
		return PAIR_PROBLEM;
	if (!strcmp(st, "?"))
		return PAIR_MAYBE;
	if (!strcmp(st, "ok"))
		return PAIR_OK;
	return PAIR_DONE;
}

/* "id" or "id:app" of a question's causes -> the rule and the app. */
static bool cause_ref(const struct kb *kb, const char *ref, const struct rule **r,
		      const struct app **app)
{
	char *id = xstrdup(ref);
	char *colon = strchr(id, ':');
	*app = NULL;
	if (colon) {
		*colon = '\0';
		*app = kb_app(kb, colon + 1);
	}
	*r = kb_rule(kb, id);
	free(id);
	return *r && (!colon || *app);
}

static bool item_known(const struct ui *u, size_t from, const struct rule *r, const struct app *app)
{
	for (size_t i = from; i < u->nitems; i++)
		if (u->items[i].rule == r && u->items[i].app == app)
			return true;
	return false;
}

/* Rebuild the items from the diagnosis; keep the selected cause selected. */
static void items_build(struct ui *u)
{
	const struct rule *keep_rule = NULL;
	const struct app *keep_app = NULL;
	if (u->sel < u->nitems) {
		keep_rule = u->items[u->sel].rule;
		keep_app = u->items[u->sel].app;
	}
	size_t old_sel = u->sel;
	bool first = !u->items;
	items_clear(u);
	size_t alloc = 0;
	const struct diagnosis *dg = &u->s->dg;
	for (int g = 0; g < GROUP__COUNT; g++) {
		size_t head = u->nitems;
		item_push(u, &alloc, (struct item){ ITEM_GROUP, (enum group)g, NULL, NULL, 0,
						    xstrdup(group_title((enum group)g)) });
		/* ranked findings first: the order of the diagnosis */
		for (size_t i = 0; i < dg->nfindings; i++)
			if ((int)dg->findings[i].rule->group == g)
				item_push(u, &alloc, (struct item){ ITEM_FINDING, (enum group)g,
						dg->findings[i].rule, dg->findings[i].app, i,
						xstrdup(dg->findings[i].title) });
		/* causes only a person can settle: the rules the questions name */
		for (size_t i = 0; i < dg->nquestions; i++)
			for (size_t k = 0; k < dg->questions[i].causes.n; k++) {
				const struct rule *r;
				const struct app *app;
				if (!cause_ref(u->s->kb, dg->questions[i].causes.v[k], &r, &app) ||
				    (int)r->group != g || item_known(u, head, r, app))
					continue;
				struct evalctx cx = { u->s->kb, u->s->facts, dg->platform, app };
				char *t = rules_expand(&cx, &r->title);
				item_push(u, &alloc, (struct item){ ITEM_OPEN, (enum group)g, r, app, 0,
								    t ? t : xstrdup(r->id) });
			}
		for (size_t i = 0; i < dg->nruled_out; i++) {
			const struct ruled_out *r = &dg->ruled_out[i];
			if ((int)r->rule->group != g)
				continue;
			struct evalctx cx = { u->s->kb, u->s->facts, dg->platform, r->app };
			char *t = rules_expand(&cx, &r->rule->title);
			item_push(u, &alloc, (struct item){ ITEM_RULED_OUT, (enum group)g, r->rule,
							    r->app, 0, t ? t : xstrdup(r->rule->id) });
		}
		if (u->nitems == head + 1) {
			free(u->items[head].title);
			u->nitems = head; /* an empty group says nothing */
		}
	}
	u->sel = u->nitems;
	if (first && dg->nfindings) {
		keep_rule = dg->findings[0].rule;
		keep_app = dg->findings[0].app;
	}
	for (size_t i = 0; i < u->nitems && keep_rule; i++)
		if (u->items[i].rule == keep_rule && u->items[i].app == keep_app)
			u->sel = i;
	if (u->sel == u->nitems)
		u->sel = old_sel < u->nitems ? old_sel : 0;
	while (u->sel < u->nitems && u->items[u->sel].kind == ITEM_GROUP)
		u->sel++;
	if (u->sel >= u->nitems)
		u->sel = 0;
}

static void rediagnose(struct ui *u)
{
	diagnosis_release(&u->s->dg);
	diagnose(u->s->kb, u->s->facts, &u->s->dg);
	items_build(u);
}

static const struct finding *selected_finding(const struct ui *u)
{
	if (u->sel >= u->nitems || u->items[u->sel].kind != ITEM_FINDING)
		return NULL;
	return &u->s->dg.findings[u->items[u->sel].finding];
}

static const struct question *find_question(const struct ui *u, const char *fact)
{
	for (size_t i = 0; i < u->s->dg.nquestions; i++)
		if (!strcmp(u->s->dg.questions[i].fact, fact))
			return &u->s->dg.questions[i];
	return NULL;
}

/* The question of the selected cause still open: not answered, not passed over. */
static const struct question *open_question(const struct ui *u)
{
	if (u->sel < u->nitems && u->items[u->sel].kind == ITEM_OPEN) {
		const struct item *it = &u->items[u->sel];
		char *ref = it->app ? xasprintf("%s:%s", it->rule->id, it->app->id) : xstrdup(it->rule->id);
		const struct question *found = NULL;
		for (size_t i = 0; i < u->s->dg.nquestions && !found; i++) {
			const struct question *q = &u->s->dg.questions[i];
			if (strlist_has(&q->causes, ref) && !strlist_has(&u->asked, q->fact))
				found = q;
		}
		free(ref);
		return found;
	}
	const struct finding *f = selected_finding(u);
	if (!f)
		return NULL;
	for (size_t i = 0; i < f->questions.n; i++) {
		const struct question *q = find_question(u, f->questions.v[i]);
		if (q && !strlist_has(&u->asked, q->fact))
			return q;
	}
	return NULL;
}

/* ---- the main screen: draw ---- */

static void build_detail(struct ui *u, int width)
{
	lines_clear(u);
	u->nsteps = 0;
	if (u->sel >= u->nitems) {
		push_wrapped(u, "", 0, "Nothing to show.", width, 0, -1);
		return;
	}
	const struct item *it = &u->items[u->sel];
	push_wrapped(u, "", 0, it->title, width, A_BOLD, -1);
	const char *st = item_state(u, it);
	char *sub = xasprintf("State: %s   Group: %s", st, group_title(it->group));
	push_wrapped(u, "", 0, sub, width, 0, -1);
	free(sub);
	push_wrapped(u, "", 0, "", width, 0, -1);
	if (it->kind == ITEM_RULED_OUT) {
		push_wrapped(u, "", 0, "Ruled out: what was read about the phone shows this is not "
			     "the cause.", width, 0, -1);
		return;
	}
	if (it->kind == ITEM_OPEN) {
		struct evalctx cx = { u->s->kb, u->s->facts, u->s->dg.platform, it->app };
		char *cause = rules_expand(&cx, &it->rule->cause);
		if (cause)
			push_wrapped(u, "Why: ", 5, cause, width, 0, -1);
		free(cause);
		push_wrapped(u, "", 0, "", width, 0, -1);
		push_wrapped(u, "", 0, "Only you can tell whether this is it: the phone does not "
			     "say.", width, 0, -1);
		const struct question *q = open_question(u);
		if (q) {
			push_wrapped(u, "", 0, "", width, 0, -1);
			push_wrapped(u, "Question (a to answer): ", 2, q->text, width, A_BOLD, -1);
		}
		return;
	}
	const struct finding *f = &u->s->dg.findings[it->finding];
	push_wrapped(u, "Why: ", 5, f->cause, width, 0, -1);
	if (f->nevidence) {
		push_wrapped(u, "", 0, "", width, 0, -1);
		push_wrapped(u, "", 0, "Seen:", width, A_BOLD, -1);
	}
	for (size_t i = 0; i < f->nevidence; i++) {
		const struct evidence *e = &f->evidence[i];
		push_wrapped(u, "- ", 2, e->text, width, 0, -1);
		for (size_t k = 0; k < e->nfacts; k++) {
			const struct cited_fact *c = &e->facts[k];
			char *t = c->source ? xasprintf("%s: %s [%s%s%s]", c->name, c->value, c->source,
							c->raw ? " -> " : "", c->raw ? c->raw : "")
					    : xasprintf("%s: %s", c->name, c->value);
			/* a raw excerpt may span lines: the first is enough here */
			char *nl = strchr(t, '\n');
			if (nl)
				memcpy(nl, "]", 2);
			push_wrapped(u, "    ", 4, t, width, A_DIM, -1);
			free(t);
		}
	}
	const struct question *q = open_question(u);
	if (q) {
		push_wrapped(u, "", 0, "", width, 0, -1);
		push_wrapped(u, "Question (a to answer): ", 2, q->text, width, A_BOLD, -1);
	}
	if (f->nfixes) {
		push_wrapped(u, "", 0, "", width, 0, -1);
		push_wrapped(u, "", 0, "Fix, in this order (space marks a step done):", width,
			     A_BOLD, -1);
	}
	for (size_t i = 0; i < f->nfixes; i++) {
		char *num = xasprintf("%zu. ", i + 1);
		push_wrapped(u, num, 3, f->fixes[i].title, width, 0, -1);
		free(num);
		for (size_t k = 0; k < f->fixes[i].steps.n; k++) {
			char *key = tui_step_key(f, i, k);
			bool done = strlist_has(&u->s->done, key);
			free(key);
			push_wrapped(u, done ? "   [x] " : "   [ ] ", 7, f->fixes[i].steps.v[k], width,
				     0, (long)u->nsteps);
			u->nsteps++;
		}
	}
	if (u->step >= u->nsteps)
		u->step = u->nsteps ? u->nsteps - 1 : 0;
}

static void draw_main(struct ui *u)
{
	int rows, cols;
	getmaxyx(stdscr, rows, cols);
	erase();
	if (rows < 8 || cols < 40) {
		put_text(0, 0, cols, "The terminal is too small: make it bigger or press q.", 0);
		refresh();
		return;
	}
	const struct diagnosis *dg = &u->s->dg;
	size_t open = 0;
	for (size_t i = 0; i < u->nitems; i++)
		open += u->items[i].kind != ITEM_GROUP && !strcmp(item_state(u, &u->items[i]), "?");
	char *title = xasprintf("backupdoctor check  %s  %zu problem%s, %zu to check", u->s->source ?
				u->s->source : "", dg->nconfirmed, dg->nconfirmed == 1 ? "" : "s", open);
	put_text(0, 0, cols, title, A_BOLD);
	free(title);

	int top = 1, height = rows - 3;
	int lw = cols * 2 / 5;
	int rw = cols - lw - 2;
	/* the left pane: groups and causes, scrolled to keep the selection in view */
	if ((int)u->sel < u->left_top)
		u->left_top = (int)u->sel;
	if ((int)u->sel >= u->left_top + height)
		u->left_top = (int)u->sel - height + 1;
	if (u->sel > 0 && u->items[u->sel - 1].kind == ITEM_GROUP && u->left_top == (int)u->sel)
		u->left_top--; /* show the group heading with its first cause */
	for (int r = 0; r < height && u->left_top + r < (int)u->nitems; r++) {
		const struct item *it = &u->items[u->left_top + r];
		if (it->kind == ITEM_GROUP) {
			int a = A_BOLD | (u->s->color ? COLOR_PAIR(PAIR_HEAD) : 0);
			put_text(top + r, 0, lw, it->title, a);
			continue;
		}
		const char *st = item_state(u, it);
		char *ln = xasprintf(" %-7s %s", st, it->title);
		bool sel = (size_t)(u->left_top + r) == u->sel;
		int a = sel ? (u->pane == 0 ? A_REVERSE : A_BOLD) : 0;
		if (u->s->color && !sel)
			a |= COLOR_PAIR(state_pair(st));
		if (sel)
			mvhline(top + r, 0, ' ' | (chtype)a, lw);
		put_text(top + r, 0, lw, ln, a);
		free(ln);
	}
	for (int r = 0; r < height; r++)
		mvaddch(top + r, lw, '|');

	/* the right pane: the selected cause */
	build_detail(u, rw);
	long want = -1;
	for (size_t i = 0; i < u->nlines; i++)
		if (u->lines[i].step == (long)u->step && want < 0)
			want = (long)i;
	if (u->pane == 1 && want >= 0) {
		long last = want;
		while ((size_t)last + 1 < u->nlines && u->lines[last + 1].step == (long)u->step)
			last++;
		if (last >= u->right_top + height)
			u->right_top = (int)(last - height + 1);
		if (want < u->right_top)
			u->right_top = (int)want;
	}
	if (u->right_top > 0 && (size_t)u->right_top >= u->nlines)
		u->right_top = 0;
	for (int r = 0; r < height && (size_t)(u->right_top + r) < u->nlines; r++) {
		const struct line *l = &u->lines[u->right_top + r];
		int a = l->attr;
		if (u->pane == 1 && l->step >= 0 && (size_t)l->step == u->step)
			a |= A_REVERSE;
		attron(a);
		mvaddnwstr(top + r, lw + 2, l->text, -1);
		attroff(a);
	}

	if (u->message)
		put_text(rows - 2, 0, cols, u->message, A_BOLD);
	const char *keys = " arrows/jk move  Enter/Tab pane  a answer  space done  r re-scan"
			   "  / search  ? help  q quit";
	mvhline(rows - 1, 0, ' ' | A_REVERSE, cols);
	put_text(rows - 1, 0, cols, keys, A_REVERSE);

	/* a box over the screen (help, what a re-scan changed) until a key */
	if (u->popup.n) {
		int bw = cols - 8, bh = (int)u->popup.n + 4;
		if (bh > rows - 2)
			bh = rows - 2;
		int by = (rows - bh) / 2, bx = 4;
		WINDOW *w = newwin(bh, bw, by, bx);
		werase(w);
		box(w, 0, 0);
		wchar_t *t = widen(u->popup_title ? u->popup_title : "");
		mvwaddnwstr(w, 0, 2, t, bw - 4);
		free(t);
		for (int i = 0; i < bh - 4 && (size_t)i < u->popup.n; i++) {
			wchar_t *l = widen(u->popup.v[i]);
			mvwaddnwstr(w, 2 + i, 2, l, bw - 4);
			free(l);
		}
		wnoutrefresh(stdscr);
		wnoutrefresh(w);
		doupdate();
		delwin(w);
		return;
	}
	refresh();
}

/* ---- the main screen: keys ---- */

static void move_sel(struct ui *u, int d)
{
	size_t i = u->sel;
	for (;;) {
		if (d < 0 && i == 0)
			return;
		if (d > 0 && i + 1 >= u->nitems)
			return;
		i = d < 0 ? i - 1 : i + 1;
		if (u->items[i].kind != ITEM_GROUP)
			break;
	}
	u->sel = i;
	u->step = 0;
	u->right_top = 0;
}

static enum act key_main(struct ui *u, wint_t k, bool fkey)
{
	if (u->popup.n) {
		strlist_release(&u->popup);
		return ACT_NONE;
	}
	if (fkey) {
		switch (k) {
		case KEY_UP: k = 'k'; break;
		case KEY_DOWN: k = 'j'; break;
		case KEY_ENTER: k = '\t'; break;
		case KEY_NPAGE: u->right_top += 5; return ACT_NONE;
		case KEY_PPAGE: u->right_top = u->right_top > 5 ? u->right_top - 5 : 0;
			return ACT_NONE;
		default: return ACT_NONE;
		}
	}
	switch (k) {
	case 'q': case 3: return ACT_QUIT;
	case 'k':
		if (u->pane == 0)
			move_sel(u, -1);
		else if (u->step > 0)
			u->step--;
		else if (u->right_top > 0)
			u->right_top--;
		return ACT_NONE;
	case 'j':
		if (u->pane == 0)
			move_sel(u, 1);
		else if (u->step + 1 < u->nsteps)
			u->step++;
		else
			u->right_top++;
		return ACT_NONE;
	case '\t': case '\n': case '\r':
		u->pane = !u->pane;
		return ACT_NONE;
	case '/': return ACT_SEARCH;
	case '?': return ACT_HELP;
	case 'a': return ACT_ANSWER;
	case 'r': return ACT_RESCAN;
	case ' ': return ACT_MARK;
	default: return ACT_NONE;
	}
}

/* ---- prompts on the message line ---- */

static int get_key(wint_t *k)
{
	int r = get_wch(k);
	while (r == KEY_CODE_YES && *k == KEY_RESIZE)
		r = get_wch(k);
	return r;
}

/* Read a line; NULL when cancelled with Esc. */
static char *prompt_line(struct ui *u, const char *label)
{
	wchar_t buf[256];
	size_t n = 0;
	buf[0] = 0;
	curs_set(1);
	for (;;) {
		draw_main(u);
		int rows, cols;
		getmaxyx(stdscr, rows, cols);
		move(rows - 2, 0);
		clrtoeol();
		put_text(rows - 2, 0, cols, label, A_BOLD);
		int x = getcurx(stdscr);
		mvaddnwstr(rows - 2, x, buf, -1);
		refresh();
		wint_t k;
		int r = get_key(&k);
		if (r == ERR)
			continue;
		if (r == OK && k == 27) {
			curs_set(0);
			return NULL;
		}
		if ((r == OK && (k == '\n' || k == '\r')) || (r == KEY_CODE_YES && k == KEY_ENTER))
			break;
		if ((r == KEY_CODE_YES && k == KEY_BACKSPACE) || (r == OK && (k == 127 || k == 8))) {
			if (n)
				buf[--n] = 0;
			continue;
		}
		if (r == OK && k >= 32 && n + 1 < sizeof(buf) / sizeof(*buf)) {
			buf[n++] = (wchar_t)k;
			buf[n] = 0;
		}
	}
	curs_set(0);
	size_t len = wcstombs(NULL, buf, 0);
	if (len == (size_t)-1)
		return xstrdup("");
	char *s = xmalloc(len + 1);
	wcstombs(s, buf, len + 1);
	return s;
}

static void do_answer(struct ui *u)
{
	const struct question *q = open_question(u);
	if (!q) {
		set_message(u, xstrdup("Nothing to ask about this one."));
		return;
	}
	char *fact = xstrdup(q->fact);
	char *value = NULL;
	if (q->type == VT_BOOL) {
		char *label = xasprintf("%s  [y]es [n]o [d]on't know (Esc: cancel)", q->text);
		set_message(u, label);
		for (;;) {
			draw_main(u);
			wint_t k;
			int r = get_key(&k);
			if (r != OK)
				continue;
			if (k == 'y' || k == 'Y')
				value = xstrdup("yes");
			else if (k == 'n' || k == 'N')
				value = xstrdup("no");
			else if (k == 'd' || k == 'D')
				value = xstrdup("");
			else if (k == 27)
				break;
			else
				continue;
			break;
		}
	} else {
		char *hint = NULL;
		if (q->answers.n) {
			struct strbuf_tmp { char *s; } h = { xstrdup("") };
			for (size_t i = 0; i < q->answers.n; i++) {
				char *t = xasprintf("%s%s%s", h.s, i ? ", " : "", q->answers.v[i]);
				free(h.s);
				h.s = t;
			}
			hint = h.s;
		}
		char *label = xasprintf("%s (%s%s; empty: don't know): ", q->text,
					hint ? "one of " : "a value", hint ? hint : "");
		free(hint);
		value = prompt_line(u, label);
		free(label);
	}
	if (!value) {
		set_message(u, xstrdup("Not answered."));
	} else if (!*value) {
		strlist_push(&u->asked, fact);
		set_message(u, xasprintf("%s left unknown.", fact));
	} else {
		char *assign = xasprintf("%s=%s", fact, value);
		char *cause = NULL;
		if (diagnose_answer(u->s->kb, u->s->facts, assign, "answered in check", &cause)) {
			set_message(u, xasprintf("%s: %s", assign, cause ? cause : "not accepted"));
			free(cause);
		} else {
			strlist_push(&u->s->answers, assign);
			rediagnose(u);
			set_message(u, xasprintf("Answered %s: %zu problem%s, %zu to check now.", assign,
						 u->s->dg.nconfirmed, u->s->dg.nconfirmed == 1 ? "" : "s",
						 u->s->dg.npossible));
		}
		free(assign);
	}
	free(value);
	free(fact);
}

static void do_search(struct ui *u)
{
	char *q = prompt_line(u, "/");
	if (!q)
		return;
	if (*q) {
		size_t n = sizeof(u->search) - 1;
		size_t len = strlen(q) < n ? strlen(q) : n;
		memcpy(u->search, q, len);
		u->search[len] = 0;
	}
	free(q);
	if (!*u->search)
		return;
	for (size_t d = 1; d <= u->nitems; d++) {
		size_t i = (u->sel + d) % u->nitems;
		if (u->items[i].kind != ITEM_GROUP && strcasestr(u->items[i].title, u->search)) {
			u->sel = i;
			u->step = 0;
			u->right_top = 0;
			set_message(u, xasprintf("Found: %s", u->items[i].title));
			return;
		}
	}
	set_message(u, xasprintf("Not found: %s", u->search));
}

static void do_mark(struct ui *u)
{
	const struct finding *f = selected_finding(u);
	if (!f || !u->nsteps) {
		set_message(u, xstrdup("No fix step to mark here."));
		return;
	}
	size_t n = 0;
	for (size_t i = 0; i < f->nfixes; i++)
		for (size_t k = 0; k < f->fixes[i].steps.n; k++, n++) {
			if (n != u->step)
				continue;
			char *key = tui_step_key(f, i, k);
			if (strlist_has(&u->s->done, key)) {
				struct strlist keep = STRLIST_INIT;
				for (size_t j = 0; j < u->s->done.n; j++)
					if (strcmp(u->s->done.v[j], key))
						strlist_push(&keep, u->s->done.v[j]);
				strlist_release(&u->s->done);
				u->s->done = keep;
				set_message(u, xstrdup("Step marked not done."));
			} else {
				strlist_push(&u->s->done, key);
				set_message(u, xasprintf("Done: %s", f->fixes[i].steps.v[k]));
				if (u->step + 1 < u->nsteps)
					u->step++;
			}
			free(key);
			return;
		}
}

static bool same_finding(const struct finding *a, const struct finding *b)
{
	return a->rule == b->rule && a->app == b->app;
}

static void do_rescan(struct ui *u)
{
	if (!u->s->reload) {
		set_message(u, xstrdup("Nothing to re-read: the answers are the facts here."));
		return;
	}
	set_message(u, xstrdup("Reading again..."));
	draw_main(u);
	struct facts fresh;
	facts_init(&fresh);
	char *cause = NULL;
	if (u->s->reload(u->s->reload_ctx, &fresh, &cause)) {
		set_message(u, xasprintf("Re-scan failed: %s", cause ? cause : "could not read"));
		free(cause);
		facts_release(&fresh);
		return;
	}
	for (size_t i = 0; i < u->s->answers.n; i++) {
		char *c = NULL;
		diagnose_answer(u->s->kb, &fresh, u->s->answers.v[i], "answered in check", &c);
		free(c);
	}
	/* what changed: both stores are sorted by name */
	struct strlist changes = STRLIST_INIT;
	const struct facts *a = u->s->facts, *b = &fresh;
	size_t i = 0, j = 0;
	while (i < a->n || j < b->n) {
		int c = i == a->n ? 1 : j == b->n ? -1 : strcmp(a->v[i].name, b->v[j].name);
		const char *name = c <= 0 ? a->v[i].name : b->v[j].name;
		const struct value *va = c <= 0 ? facts_value(a, name) : NULL;
		const struct value *vb = c >= 0 ? facts_value(b, name) : NULL;
		char *sa = va ? value_format(va) : xstrdup("unknown");
		char *sb = vb ? value_format(vb) : xstrdup("unknown");
		if (strcmp(sa, sb))
			strlist_push_owned(&changes, xasprintf("%s: %s -> %s", name, sa, sb));
		free(sa);
		free(sb);
		if (c <= 0)
			i++;
		if (c >= 0)
			j++;
	}
	struct diagnosis old = u->s->dg;
	memset(&u->s->dg, 0, sizeof(u->s->dg));
	facts_release(u->s->facts);
	*u->s->facts = fresh;
	rediagnose(u);
	struct strlist lines = STRLIST_INIT;
	size_t ncleared = 0;
	for (size_t k = 0; k < changes.n; k++)
		strlist_push(&lines, changes.v[k]);
	if (!changes.n)
		strlist_push(&lines, "Nothing changed since the last read.");
	for (size_t k = 0; k < old.nfindings; k++) {
		bool still = false;
		for (size_t m = 0; m < u->s->dg.nfindings && !still; m++)
			still = same_finding(&old.findings[k], &u->s->dg.findings[m]);
		if (!still) {
			strlist_push_owned(&lines, xasprintf("Cleared: %s", old.findings[k].title));
			ncleared++;
		}
	}
	for (size_t m = 0; m < u->s->dg.nfindings; m++) {
		bool was = false;
		for (size_t k = 0; k < old.nfindings && !was; k++)
			was = same_finding(&old.findings[k], &u->s->dg.findings[m]);
		if (!was)
			strlist_push_owned(&lines, xasprintf("New: %s", u->s->dg.findings[m].title));
	}
	strlist_release(&u->popup);
	u->popup = lines;
	free(u->popup_title);
	u->popup_title = xasprintf(" Re-scan: %zu change%s, %zu cleared (any key) ", changes.n,
				   changes.n == 1 ? "" : "s", ncleared);
	set_message(u, xasprintf("Re-scan: %zu change%s, %zu cleared.", changes.n,
				 changes.n == 1 ? "" : "s", ncleared));
	strlist_release(&changes);
	diagnosis_release(&old);
}

static void show_help(struct ui *u)
{
	static const char *const help[] = {
		"Up/Down, j/k    move in the list (or between fix steps on the right)",
		"Enter, Tab      switch between the list and the details",
		"PgUp/PgDn       scroll the details",
		"a               answer the selected cause's question (re-ranks at once)",
		"space           mark the selected fix step done (again: not done)",
		"r               read the phone (or the file) again and show what changed",
		"/               search the causes",
		"?               this help",
		"q               quit and print the summary",
		"",
		"States: problem = confirmed, ? = possible or needs an answer,",
		"        ok = ruled out, done = a fix step marked done.",
	};
	strlist_release(&u->popup);
	for (size_t i = 0; i < sizeof(help) / sizeof(*help); i++)
		strlist_push(&u->popup, help[i]);
	free(u->popup_title);
	u->popup_title = xstrdup(" Keys (any key closes) ");
}

/* ---- the chooser of --manual: platform, then the backup app ---- */

static int choose(const char *title, const struct strlist *opts)
{
	size_t sel = 0;
	for (;;) {
		int rows, cols;
		getmaxyx(stdscr, rows, cols);
		erase();
		put_text(0, 0, cols, title, A_BOLD);
		for (size_t i = 0; i < opts->n && (int)i + 2 < rows - 1; i++)
			put_text((int)i + 2, 2, cols - 2, opts->v[i], i == sel ? A_REVERSE : 0);
		mvhline(rows - 1, 0, ' ' | A_REVERSE, cols);
		put_text(rows - 1, 0, cols, " arrows/jk move  Enter choose  q quit", A_REVERSE);
		refresh();
		wint_t k;
		int r = get_wch(&k);
		if (r == KEY_CODE_YES && k == KEY_UP)
			k = 'k';
		else if (r == KEY_CODE_YES && k == KEY_DOWN)
			k = 'j';
		else if (r == KEY_CODE_YES && k == KEY_ENTER)
			k = '\n';
		else if (r != OK)
			continue;
		if (k == 'k' && sel > 0)
			sel--;
		else if (k == 'j' && sel + 1 < opts->n)
			sel++;
		else if (k == '\n' || k == '\r')
			return (int)sel;
		else if (k == 'q' || k == 3)
			return -1;
	}
}

static int manual_setup(struct tui_session *s)
{
	struct strlist opts = STRLIST_INIT;
	strlist_push(&opts, "Android");
	strlist_push(&opts, "iPhone (iOS)");
	int p = choose("Which phone is it?", &opts);
	strlist_release(&opts);
	if (p < 0)
		return -1;
	const struct app *apps[64];
	size_t n = 0;
	for (size_t i = 0; i < s->kb->napps && n < 64; i++)
		if (s->kb->apps[i].package[p]) {
			apps[n++] = &s->kb->apps[i];
			strlist_push(&opts, s->kb->apps[i].name);
		}
	int a = n ? choose("Which app backs up the photos?", &opts) : -1;
	strlist_release(&opts);
	if (a < 0)
		return -1;
	struct value v = { 0 };
	value_set_str(&v, p ? "ios" : "android");
	facts_set(s->facts, "device.platform", FACT_ANSWERED, &v, "check --manual", NULL, NULL);
	value_release(&v);
	/* the chosen app backs up; the others were not chosen, so they do not */
	for (size_t i = 0; i < n; i++) {
		value_set_bool(&v, i == (size_t)a);
		char *name = xasprintf("app.%s.in_use", apps[i]->id);
		facts_set(s->facts, name, FACT_ANSWERED, &v, "check --manual", NULL, NULL);
		free(name);
		value_release(&v);
	}
	return 0;
}

/* ---- the loop ---- */

int tui_check(struct tui_session *s)
{
	setlocale(LC_ALL, "");
	if (!initscr())
		return -1;
	raw();
	noecho();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	if (s->color && has_colors()) {
		start_color();
		use_default_colors();
		init_pair(PAIR_PROBLEM, COLOR_RED, -1);
		init_pair(PAIR_MAYBE, COLOR_YELLOW, -1);
		init_pair(PAIR_OK, COLOR_GREEN, -1);
		init_pair(PAIR_DONE, COLOR_CYAN, -1);
		init_pair(PAIR_HEAD, COLOR_BLUE, -1);
	} else {
		s->color = false;
	}
	struct ui u;
	memset(&u, 0, sizeof(u));
	u.s = s;
	s->quit = true;
	if (s->manual && manual_setup(s)) {
		s->quit = false;
		endwin();
		diagnose(s->kb, s->facts, &s->dg);
		return 0;
	}
	diagnose(s->kb, s->facts, &s->dg);
	items_build(&u);
	for (;;) {
		draw_main(&u);
		wint_t k;
		int r = get_wch(&k);
		if (r == ERR)
			continue;
		if (r == KEY_CODE_YES && k == KEY_RESIZE)
			continue; /* ncurses has the new size: drawn again above */
		enum act a = key_main(&u, k, r == KEY_CODE_YES);
		if (a == ACT_QUIT)
			break;
		switch (a) {
		case ACT_ANSWER: do_answer(&u); break;
		case ACT_SEARCH: do_search(&u); break;
		case ACT_RESCAN: do_rescan(&u); break;
		case ACT_HELP: show_help(&u); break;
		case ACT_MARK: do_mark(&u); break;
		default: break;
		}
	}
	endwin();
	items_clear(&u);
	lines_clear(&u);
	free(u.lines);
	free(u.message);
	free(u.popup_title);
	strlist_release(&u.popup);
	strlist_release(&u.asked);
	return 0;
}

/*
 * rules-lex.h - tokens of the rule language (internal to rules-*.c).
 * The lexer tracks line and column so every diagnostic can point at the
 * exact place; on a bad character it reports and skips, so one run shows
 * every error.
 */
#ifndef BD_RULES_LEX_H
#define BD_RULES_LEX_H

#include <stddef.h>
#include "diag.h"

enum tok_kind {
	T_EOF,
	T_WORD,		/* identifiers, fact names, keywords */
	T_NUMBER,	/* text kept as written */
	T_STRING,	/* escapes resolved, white space folded */
	T_LBRACE, T_RBRACE, T_LPAREN, T_RPAREN, T_LBRACKET, T_RBRACKET, T_COMMA,
	T_PERCENT,
	T_EQ, T_NE, T_LT, T_LE, T_GT, T_GE,
};

struct token {
	enum tok_kind kind;
	char *text;		/* owned; NULL for punctuation */
	int line, col;		/* where it starts */
	int sline, scol;	/* for strings: where the content starts (after the quote) */
};

struct lexer {
	const char *file;	/* borrowed */
	const char *src;
	size_t len, pos;
	const char *qsrc;	/* the whole file, to quote lines in diagnostics */
	size_t qlen;
	int line, col;
	struct diags *d;
};

void lex_init(struct lexer *lx, const char *file, const char *src, size_t len, struct diags *d);
/* Next token; the caller frees tok->text. */
void lex_next(struct lexer *lx, struct token *tok);
const char *tok_kind_name(enum tok_kind k);
/* The text of line `line` of src (caller frees), for diagnostics. */
char *lex_line(const char *src, size_t len, int line);

#endif

/* rules-lex.c - the hand-written lexer of the rule language. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "rules-lex.h"
#include "xalloc.h"
#include "banned.h"

void lex_init(struct lexer *lx, const char *file, const char *src, size_t len, struct diags *d)
{
	lx->file = file;
	lx->src = src;
	lx->len = len;
	lx->qsrc = src;
	lx->qlen = len;
	lx->pos = 0;
	lx->line = 1;
	lx->col = 1;
	lx->d = d;
}

const char *tok_kind_name(enum tok_kind k)
{
	switch (k) {
	case T_EOF: return "end of file";
	case T_WORD: return "word";
	case T_NUMBER: return "number";
	case T_STRING: return "string";
	case T_LBRACE: return "'{'";
	case T_RBRACE: return "'}'";
	case T_LPAREN: return "'('";
	case T_RPAREN: return "')'";
	case T_LBRACKET: return "'['";
	case T_RBRACKET: return "']'";
	case T_COMMA: return "','";
	case T_PERCENT: return "'%'";
	case T_EQ: return "'=='";
	case T_NE: return "'!='";
	case T_LT: return "'<'";
	case T_LE: return "'<='";
	case T_GT: return "'>'";
	case T_GE: return "'>='";
	}
	return "?";
}

char *lex_line(const char *src, size_t len, int line)
{
	size_t i = 0;
	for (int l = 1; l < line && i < len; i++)
		if (src[i] == '\n')
			l++;
	size_t e = i;
	while (e < len && src[e] != '\n' && src[e] != '\r')
		e++;
	return xstrndup(src + i, e - i);
}

static int peekc(const struct lexer *lx, size_t ahead)
{
	return lx->pos + ahead < lx->len ? (unsigned char)lx->src[lx->pos + ahead] : -1;
}

static void advance(struct lexer *lx)
{
	if (lx->pos >= lx->len)
		return;
	if (lx->src[lx->pos] == '\n') {
		lx->line++;
		lx->col = 1;
	} else {
		lx->col++;
	}
	lx->pos++;
}

static void error_at(struct lexer *lx, int line, int col, const char *msg, const char *arg)
{
	char *sl = lex_line(lx->qsrc, lx->qlen, line);
	diag_error(lx->d, lx->file, line, col, sl, msg, arg);
	free(sl);
}

static int word_start(int c)
{
	return isalpha(c) || c == '_' || c == '$';
}

static int word_char(int c)
{
	return isalnum(c) || c == '_' || c == '.' || c == '$' || c == '-';
}

static void lex_string(struct lexer *lx, struct token *tok)
{
	struct buf b = BUF_INIT;
	int pending_space = 0;
	advance(lx); /* opening quote */
	tok->sline = lx->line;
	tok->scol = lx->col;
	for (;;) {
		int c = peekc(lx, 0);
		if (c < 0) {
			error_at(lx, tok->line, tok->col, "%s", "unterminated string");
			break;
		}
		if (c == '"') {
			advance(lx);
			break;
		}
		if (isspace(c)) {
			pending_space = b.len > 0;
			advance(lx);
			continue;
		}
		if (pending_space) {
			buf_putc(&b, ' ');
			pending_space = 0;
		}
		if (c == '\\') {
			int l = lx->line, col = lx->col;
			advance(lx);
			int e = peekc(lx, 0);
			if (e == '"' || e == '\\')
				buf_putc(&b, (char)e);
			else if (e == 'n')
				buf_putc(&b, '\n');
			else {
				char what[8] = { '\\', e > 0 ? (char)e : ' ', 0 };
				error_at(lx, l, col, "unknown escape '%s' in string (use \\\", \\\\ or \\n)", what);
			}
			if (e >= 0)
				advance(lx);
			continue;
		}
		buf_putc(&b, (char)c);
		advance(lx);
	}
	tok->kind = T_STRING;
	tok->text = buf_detach(&b);
}

void lex_next(struct lexer *lx, struct token *tok)
{
	memset(tok, 0, sizeof(*tok));
again:
	for (;;) {
		int c = peekc(lx, 0);
		if (c == '#') {
			while (peekc(lx, 0) >= 0 && peekc(lx, 0) != '\n')
				advance(lx);
		} else if (c >= 0 && isspace(c)) {
			advance(lx);
		} else {
			break;
		}
	}
	tok->line = lx->line;
	tok->col = lx->col;
	int c = peekc(lx, 0);
	if (c < 0) {
		tok->kind = T_EOF;
		return;
	}
	if (c == '"') {
		lex_string(lx, tok);
		return;
	}
	if (word_start(c)) {
		size_t s = lx->pos;
		while (peekc(lx, 0) >= 0 && word_char(peekc(lx, 0)))
			advance(lx);
		tok->kind = T_WORD;
		tok->text = xstrndup(lx->src + s, lx->pos - s);
		return;
	}
	if (isdigit(c) || (c == '-' && isdigit(peekc(lx, 1)))) {
		/* a leading minus belongs to the number: there is no subtraction */
		size_t s = lx->pos;
		if (c == '-')
			advance(lx);
		while (isdigit(peekc(lx, 0)))
			advance(lx);
		if (peekc(lx, 0) == '.' && isdigit(peekc(lx, 1))) {
			advance(lx);
			while (isdigit(peekc(lx, 0)))
				advance(lx);
		}
		tok->kind = T_NUMBER;
		tok->text = xstrndup(lx->src + s, lx->pos - s);
		/* "10GB" lexes as "10" "GB": the unit is a word of its own */
		return;
	}
	int n = peekc(lx, 1);
	switch (c) {
	case '{': tok->kind = T_LBRACE; break;
	case '}': tok->kind = T_RBRACE; break;
	case '(': tok->kind = T_LPAREN; break;
	case ')': tok->kind = T_RPAREN; break;
	case '[': tok->kind = T_LBRACKET; break;
	case ']': tok->kind = T_RBRACKET; break;
	case ',': tok->kind = T_COMMA; break;
	case '%': tok->kind = T_PERCENT; break;
	case '=':
		if (n == '=') {
			advance(lx);
			tok->kind = T_EQ;
			break;
		}
		error_at(lx, lx->line, lx->col, "%s", "'=' is not an operator here (use '==' to compare)");
		advance(lx);
		goto again;
	case '!':
		if (n == '=') {
			advance(lx);
			tok->kind = T_NE;
			break;
		}
		error_at(lx, lx->line, lx->col, "%s", "'!' is not an operator here (use 'not' or '!=')");
		advance(lx);
		goto again;
	case '<':
		if (n == '=') {
			advance(lx);
			tok->kind = T_LE;
		} else {
			tok->kind = T_LT;
		}
		break;
	case '>':
		if (n == '=') {
			advance(lx);
			tok->kind = T_GE;
		} else {
			tok->kind = T_GT;
		}
		break;
	default: {
		char what[16];
		if (isprint(c))
			what[0] = (char)c, what[1] = 0;
		else
			snprintf(what, sizeof(what), "\\x%02x", c);
		error_at(lx, lx->line, lx->col, "unexpected character '%s'", what);
		advance(lx);
		goto again;
	}
	}
	advance(lx);
}

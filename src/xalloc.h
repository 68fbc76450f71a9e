/*
 * xalloc.h - allocation helpers that never return NULL, and a growable string.
 *
 * Ownership, once for the whole program: a function returning `char *` hands
 * the caller a string to free(); `const char *` is borrowed.  Objects come in
 * `X_new / X_free` (heap) or `X_init / X_release` (caller's storage) pairs.
 * Running out of memory is not an error we can report sensibly: the
 * allocators print a message and abort.
 */
#ifndef BD_XALLOC_H
#define BD_XALLOC_H

#include <stdarg.h>
#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* Grow an array so that index `need - 1` fits; `alloc` is updated. */
#define ALLOC_GROW(arr, need, alloc)                                          \
	do {                                                                  \
		if ((size_t)(need) > (alloc)) {                               \
			size_t ag_n_ = (alloc) ? (alloc) * 2 : 8;             \
			while (ag_n_ < (size_t)(need))                        \
				ag_n_ *= 2;                                   \
			(arr) = xrealloc((arr), ag_n_ * sizeof(*(arr)));      \
			(alloc) = ag_n_;                                      \
		}                                                             \
	} while (0)

/* A growable NUL-terminated string.  BUF_INIT or buf_init() before use. */
struct buf {
	char *s;
	size_t len;
	size_t alloc;
};
#define BUF_INIT { NULL, 0, 0 }

void buf_init(struct buf *b);
void buf_release(struct buf *b);
void buf_reset(struct buf *b);
void buf_add(struct buf *b, const char *s, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The string, never NULL (an empty buffer gives ""). */
const char *buf_str(const struct buf *b);
/* Take the string out; the buffer is left empty.  Caller frees. */
char *buf_detach(struct buf *b);

/*
 * Read a whole file ("-" is standard input) into b.  0, or -1 with *cause
 * ("cannot open: No such file or directory").
 */
int buf_read_file(struct buf *b, const char *path, char **cause);

/* A list of owned strings. */
struct strlist {
	char **v;
	size_t n;
	size_t alloc;
};
#define STRLIST_INIT { NULL, 0, 0 }
void strlist_push(struct strlist *l, const char *s);
void strlist_push_owned(struct strlist *l, char *s);
int strlist_has(const struct strlist *l, const char *s);
void strlist_copy(struct strlist *dst, const struct strlist *src);
void strlist_release(struct strlist *l);

#endif

/*
 * util.h - small helpers shared by every module: allocation that never
 * returns NULL silently, formatted strings, hex, and a growable pointer
 * vector with a hard ceiling.
 *
 * Ownership: every function that returns a char * returns memory the caller
 * owns and releases with free(). cs_vec owns only its array, never the
 * pointers stored in it; the module that fills a vector frees its elements.
 */
#ifndef CS_UTIL_H
#define CS_UTIL_H

#include <stdarg.h>
#include <stddef.h>

/* A vector never grows past this many elements (ceiling against hostile
 * inputs such as a PEM file with millions of blocks). */
#define CS_VEC_MAX ((size_t)1 << 24)

struct cs_vec {
	void	**v;
	size_t	  n;
	size_t	  cap;
};

/* Appends p; returns 0, or -1 when out of memory or at CS_VEC_MAX. */
int	 cs_vec_push(struct cs_vec *vec, void *p);
/* Frees the array (not the elements) and zeroes the vector. */
void	 cs_vec_release(struct cs_vec *vec);

/* strdup that accepts NULL (returns NULL). */
char	*cs_strdup(const char *s);
/* Copies len bytes and adds a NUL; NULL when out of memory. */
char	*cs_strndup(const char *s, size_t len);
/* printf into fresh memory; NULL when out of memory. */
char	*cs_printf(const char *fmt, ...)
	    __attribute__((format(printf, 1, 2)));
char	*cs_vprintf(const char *fmt, va_list ap)
	    __attribute__((format(printf, 1, 0)));
/* Lower-case hex of len bytes, optionally with sep between bytes (0: none). */
char	*cs_hex(const unsigned char *p, size_t len, char sep);
/* A copy of len bytes with control bytes and NUL written as \xNN, so the
 * whole value survives as a C string; NULL when out of memory. */
char	*cs_escape_ctrl(const char *s, size_t len);
/* Lower-cases s in place (ASCII only) and returns it. */
char	*cs_lower(char *s);

#endif

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
#include <stdint.h>

struct tm;

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
/* Appends a formatted string the vector then owns; 0, or -1 when out of
 * memory. */
int	 cs_vec_vprintf(struct cs_vec *vec, const char *fmt, va_list ap)
	    __attribute__((format(printf, 2, 0)));

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
/* The same without a separator into out, which holds 2 len + 1 bytes. */
void	 cs_hex_into(const unsigned char *p, size_t len, char *out);
/* Days from 1970-01-01 to the proleptic Gregorian date y-m-d (m 1..12). */
int64_t	 cs_days_from_civil(int64_t y, unsigned m, unsigned d);
/* Seconds since the epoch of a broken-down UTC time (no time zone, no
 * mktime: any year OpenSSL can parse). */
int64_t	 cs_tm_epoch(const struct tm *tm);
/* "YYYY-MM-DDTHH:MM:SSZ" of seconds since the epoch into buf; the number
 * itself when gmtime cannot represent it. */
void	 cs_rfc3339(int64_t t, char *buf, size_t size);
/* A copy of len bytes with control bytes and NUL written as \xNN, so the
 * whole value survives as a C string; NULL when out of memory. */
char	*cs_escape_ctrl(const char *s, size_t len);
/* Lower-cases s in place (ASCII only) and returns it. */
char	*cs_lower(char *s);

#endif

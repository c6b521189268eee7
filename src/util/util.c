#include "util/util.h"

#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int
cs_vec_push(struct cs_vec *vec, void *p)
{
	if (vec->n == vec->cap) {
		size_t	  ncap = vec->cap ? vec->cap * 2 : 8;
		void	**nv;

		if (vec->cap >= CS_VEC_MAX)
			return -1;
		if (ncap > CS_VEC_MAX)
			ncap = CS_VEC_MAX;
		if ((nv = realloc(vec->v, ncap * sizeof(*nv))) == NULL)
			return -1;
		vec->v = nv;
		vec->cap = ncap;
	}
	vec->v[vec->n++] = p;
	return 0;
}

void
cs_vec_release(struct cs_vec *vec)
{
	free(vec->v);
	vec->v = NULL;
	vec->n = vec->cap = 0;
}

int
cs_vec_vprintf(struct cs_vec *vec, const char *fmt, va_list ap)
{
	char	*s = cs_vprintf(fmt, ap);

	if (s == NULL || cs_vec_push(vec, s) == -1) {
		free(s);
		return -1;
	}
	return 0;
}

char *
cs_strdup(const char *s)
{
	return s == NULL ? NULL : strdup(s);
}

char *
cs_strndup(const char *s, size_t len)
{
	char	*d;

	if ((d = malloc(len + 1)) == NULL)
		return NULL;
	if (len > 0)
		memcpy(d, s, len);
	d[len] = '\0';
	return d;
}

char *
cs_vprintf(const char *fmt, va_list ap)
{
	va_list	 ap2;
	char	*s;
	int	 n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0 || (s = malloc((size_t)n + 1)) == NULL)
		return NULL;
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

char *
cs_printf(const char *fmt, ...)
{
	va_list	 ap;
	char	*s;

	va_start(ap, fmt);
	s = cs_vprintf(fmt, ap);
	va_end(ap);
	return s;
}

char *
cs_hex(const unsigned char *p, size_t len, char sep)
{
	static const char digits[] = "0123456789abcdef";
	size_t	 per = sep ? 3 : 2, i, o = 0;
	char	*s;

	if ((s = malloc(len * per + 1)) == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		if (sep && i > 0)
			s[o++] = sep;
		s[o++] = digits[p[i] >> 4];
		s[o++] = digits[p[i] & 0xf];
	}
	s[o] = '\0';
	return s;
}

void
cs_hex_into(const unsigned char *p, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";
	size_t	 i;

	for (i = 0; i < len; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 0xf];
	}
	out[2 * len] = '\0';
}

int64_t
cs_days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t		 era;
	unsigned	 yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

int64_t
cs_tm_epoch(const struct tm *tm)
{
	return cs_days_from_civil(tm->tm_year + 1900LL,
	    (unsigned)tm->tm_mon + 1, (unsigned)tm->tm_mday) * 86400 +
	    tm->tm_hour * 3600 + tm->tm_min * 60 + tm->tm_sec;
}

void
cs_rfc3339(int64_t t, char *buf, size_t size)
{
	struct tm	 tm;
	time_t		 tt = (time_t)t;

	if (gmtime_r(&tt, &tm) == NULL ||
	    strftime(buf, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		snprintf(buf, size, "%lld", (long long)t);
}

char *
cs_lower(char *s)
{
	char	*p;

	for (p = s; p != NULL && *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return s;
}

char *
cs_escape_ctrl(const char *s, size_t len)
{
	char	*out, *p;
	size_t	 i;

	if (len > (SIZE_MAX - 1) / 4 || (out = malloc(len * 4 + 1)) == NULL)
		return NULL;
	for (i = 0, p = out; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			p += sprintf(p, "\\x%02x", c);
		else
			*p++ = (char)c;
	}
	*p = '\0';
	return out;
}

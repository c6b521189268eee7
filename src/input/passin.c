/* Passwords in openssl's -passin forms. */
#include "input/input.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>

#define PASS_MAX	1023

/* First line of fd, without its line ending. */
static char *
first_line(int fd, char *err, size_t errlen)
{
	char	 buf[PASS_MAX + 1], *nl, *s;
	size_t	 n = 0;
	ssize_t	 r;

	while (n < PASS_MAX) {
		r = read(fd, buf + n, PASS_MAX - n);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			snprintf(err, errlen, "cannot read: %s", strerror(errno));
			OPENSSL_cleanse(buf, sizeof(buf));
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (memchr(buf, '\n', n) != NULL)
			break;
	}
	buf[n] = '\0';
	if ((nl = strchr(buf, '\n')) != NULL)
		*nl = '\0';
	if ((nl = strchr(buf, '\r')) != NULL)
		*nl = '\0';
	s = cs_strdup(buf);
	OPENSSL_cleanse(buf, sizeof(buf));
	if (s == NULL)
		snprintf(err, errlen, "out of memory");
	return s;
}

static char *
from_file(const char *path, char *err, size_t errlen)
{
	char	*s;
	int	 fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "cannot open %s: %s", path, strerror(errno));
		return NULL;
	}
	s = first_line(fd, err, errlen);
	close(fd);
	return s;
}

static char *
from_fd(const char *num, char *err, size_t errlen)
{
	char	*end;
	long	 fd;

	errno = 0;
	fd = strtol(num, &end, 10);
	if (errno != 0 || *num == '\0' || *end != '\0' || fd < 0 || fd > INT_MAX) {
		snprintf(err, errlen, "fd: wants a file descriptor number");
		return NULL;
	}
	return first_line((int)fd, err, errlen);
}

char *
cs_passin_read(const char *spec, char *err, size_t errlen)
{
	const char	*v;
	char		*s;

	if (strncmp(spec, "pass:", 5) == 0) {
		if ((s = cs_strdup(spec + 5)) == NULL)
			snprintf(err, errlen, "out of memory");
		return s;
	}
	if (strncmp(spec, "env:", 4) == 0) {
		if ((v = getenv(spec + 4)) == NULL) {
			snprintf(err, errlen, "environment variable %s is not set",
			    spec + 4);
			return NULL;
		}
		if ((s = cs_strdup(v)) == NULL)
			snprintf(err, errlen, "out of memory");
		return s;
	}
	if (strncmp(spec, "file:", 5) == 0)
		return from_file(spec + 5, err, errlen);
	if (strncmp(spec, "fd:", 3) == 0)
		return from_fd(spec + 3, err, errlen);
	if (strcmp(spec, "stdin") == 0)
		return first_line(STDIN_FILENO, err, errlen);
	snprintf(err, errlen, "unknown form (use pass:, env:, file:, fd: or stdin)");
	return NULL;
}

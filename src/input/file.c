/* Reading an input whole, with a size ceiling and clear reasons. */
#include "input/input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int
too_large(size_t max, char *err, size_t errlen)
{
	snprintf(err, errlen, "larger than the %zu-byte ceiling (see --max-size)",
	    max);
	return -1;
}

/* Reads to EOF; hint is the expected size (+1 so EOF needs no regrow). */
static int
read_all(int fd, size_t max, size_t hint, unsigned char **buf, size_t *len,
    char *err, size_t errlen)
{
	size_t		 cap = 0, n = 0, want;
	unsigned char	*b = NULL, *nb;
	ssize_t		 r;

	for (;;) {
		if (n == cap) {
			if (cap > max) {
				free(b);
				return too_large(max, err, errlen);
			}
			want = cap ? cap * 2 : hint ? hint + 1 : 65536;
			if (want > max + 1)
				want = max + 1;
			if ((nb = realloc(b, want)) == NULL) {
				free(b);
				snprintf(err, errlen, "out of memory");
				return -1;
			}
			b = nb;
			cap = want;
		}
		if ((r = read(fd, b + n, cap - n)) == -1) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "cannot read: %s", strerror(errno));
			free(b);
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > max) {
		free(b);
		return too_large(max, err, errlen);
	}
	*buf = b;
	*len = n;
	return 0;
}

int
cs_read_file(const char *path, size_t max, unsigned char **buf, size_t *len,
    char *err, size_t errlen)
{
	struct stat	 st;
	int		 fd, rc;

	*buf = NULL;
	*len = 0;
	if (strcmp(path, "-") == 0)
		return read_all(STDIN_FILENO, max, 0, buf, len, err, errlen);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1) {
		snprintf(err, errlen, "cannot open: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1) {
		snprintf(err, errlen, "cannot stat: %s", strerror(errno));
		close(fd);
		return -1;
	}
	if (S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "is a directory, not a file");
		close(fd);
		return -1;
	}
	if (S_ISREG(st.st_mode) && (uintmax_t)st.st_size > max) {
		close(fd);
		return too_large(max, err, errlen);
	}
	rc = read_all(fd, max, S_ISREG(st.st_mode) ? (size_t)st.st_size : 0,
	    buf, len, err, errlen);
	close(fd);
	return rc;
}

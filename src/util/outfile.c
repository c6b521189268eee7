#include "util/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "util/util.h"

#define OUTFILE_BUF	((size_t)256 << 10)

int
cs_outfile_open(struct cs_outfile *of, const char *path, mode_t mode,
    char *err, size_t errlen)
{
	mode_t	 old;
	int	 fd;

	memset(of, 0, sizeof(*of));
	if (path == NULL || strcmp(path, "-") == 0) {
		of->fp = stdout;
		return 0;
	}
	if ((of->path = cs_strdup(path)) == NULL ||
	    (of->tmp = cs_printf("%s.tmp.XXXXXX", path)) == NULL) {
		snprintf(err, errlen, "out of memory");
		cs_outfile_abort(of);
		return -1;
	}
	if ((fd = mkstemp(of->tmp)) == -1) {
		snprintf(err, errlen, "cannot create a file beside %s: %s", path,
		    strerror(errno));
		free(of->tmp);
		of->tmp = NULL;
		cs_outfile_abort(of);
		return -1;
	}
	old = umask(0);
	umask(old);
	if (fchmod(fd, mode & ~old) == -1 || (of->fp = fdopen(fd, "w")) == NULL) {
		snprintf(err, errlen, "cannot prepare %s: %s", of->tmp,
		    strerror(errno));
		close(fd);
		cs_outfile_abort(of);
		return -1;
	}
	/* a scan's report runs to megabytes: written in large pieces (glibc
	 * takes a size only with a buffer; its own is of st_blksize) */
	if ((of->buf = malloc(OUTFILE_BUF)) != NULL &&
	    setvbuf(of->fp, of->buf, _IOFBF, OUTFILE_BUF) != 0) {
		free(of->buf);
		of->buf = NULL;
	}
	return 0;
}

int
cs_outfile_commit(struct cs_outfile *of, char *err, size_t errlen)
{
	int	 failed;

	if (of->path == NULL) {
		if (fflush(of->fp) == 0 && !ferror(of->fp))
			return 0;
		snprintf(err, errlen, "cannot write to standard output: %s",
		    strerror(errno));
		return -1;
	}
	failed = fflush(of->fp) != 0 || ferror(of->fp) ||
	    fsync(fileno(of->fp)) == -1;
	if (fclose(of->fp) != 0)
		failed = 1;
	of->fp = NULL;
	if (failed || rename(of->tmp, of->path) == -1) {
		snprintf(err, errlen, "cannot write %s: %s", of->path,
		    strerror(errno));
		cs_outfile_abort(of);
		return -1;
	}
	free(of->tmp);
	of->tmp = NULL;
	cs_outfile_abort(of);
	return 0;
}

void
cs_outfile_abort(struct cs_outfile *of)
{
	if (of->fp != NULL && of->fp != stdout)
		fclose(of->fp);
	of->fp = NULL;
	if (of->buf != NULL) {	/* only once fp is closed; it may have
				 * held a private key (fix --key-out) */
		OPENSSL_cleanse(of->buf, OUTFILE_BUF);
		free(of->buf);
		of->buf = NULL;
	}
	if (of->tmp != NULL)
		unlink(of->tmp);
	free(of->tmp);
	free(of->path);
	of->tmp = of->path = NULL;
}

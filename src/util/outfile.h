/*
 * outfile.h - write an output atomically: into a temporary file beside the
 * destination, renamed over it only when everything was written. A failure
 * leaves nothing half-written. "-" (or NULL) means standard output.
 *
 * Ownership: the cs_outfile owns its FILE, the FILE's buffer (wiped when
 * freed) and temporary path; commit or abort exactly once, then free.
 */
#ifndef CS_UTIL_OUTFILE_H
#define CS_UTIL_OUTFILE_H

#include <stdio.h>
#include <sys/types.h>

struct cs_outfile {
	FILE	*fp;
	char	*path;		/* destination, NULL for stdout */
	char	*tmp;		/* temporary beside it */
	char	*buf;		/* fp's buffer, NULL for stdio's own */
};

/* mode is applied to the new file (e.g. 0644, or 0600 for private keys). */
int	 cs_outfile_open(struct cs_outfile *of, const char *path, mode_t mode,
	    char *err, size_t errlen);
/* Flush, sync and rename into place; -1 with a reason (temp removed). */
int	 cs_outfile_commit(struct cs_outfile *of, char *err, size_t errlen);
/* Remove the temporary file; harmless after commit. */
void	 cs_outfile_abort(struct cs_outfile *of);

#endif

/* Walking files and directories for lint and scan. */
#include "config.h"

#include <errno.h>
#include <fts.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input/input.h"

static int
by_name(const FTSENT **a, const FTSENT **b)
{
	return strcmp((*a)->fts_name, (*b)->fts_name);
}

static int
walk_entry(FTSENT *e, cs_walk_file_cb file_cb, cs_walk_error_cb error_cb,
    void *arg)
{
	char	 msg[256];

	switch (e->fts_info) {
	case FTS_F:
		return file_cb(e->fts_path, e->fts_level > 0, arg);
	case FTS_DC:
		return error_cb(e->fts_path, "directory loop: already visited "
		    "through a symbolic link; not walked again", arg);
	case FTS_DNR:
	case FTS_ERR:
	case FTS_NS:
		snprintf(msg, sizeof(msg), "cannot read: %s",
		    strerror(e->fts_errno));
		return error_cb(e->fts_path, msg, arg);
	case FTS_SLNONE:
		return error_cb(e->fts_path, "dangling symbolic link", arg);
	case FTS_DEFAULT:
		if (e->fts_level == 0)
			return file_cb(e->fts_path, 0, arg);
		return 0;	/* sockets, devices, FIFOs inside a tree */
	default:
		return 0;	/* directories in pre- and post-order */
	}
}

int
cs_walk(const char *path, cs_walk_file_cb file_cb, cs_walk_error_cb error_cb,
    void *arg)
{
	char * const	 paths[] = { (char *)path, NULL };
	struct stat	 st;
	FTS		*fts;
	FTSENT		*e;
	int		 rc = 0;

	if (strcmp(path, "-") == 0 || stat(path, &st) == -1 ||
	    !S_ISDIR(st.st_mode))
		return file_cb(path, 0, arg);
	if ((fts = fts_open(paths, FTS_LOGICAL | FTS_NOCHDIR, by_name)) == NULL)
		return error_cb(path, strerror(errno), arg);
	do {
		errno = 0;
		if ((e = fts_read(fts)) == NULL)
			break;
		rc = walk_entry(e, file_cb, error_cb, arg);
	} while (rc == 0);
	if (rc == 0 && e == NULL && errno != 0) {
		char msg[256];

		snprintf(msg, sizeof(msg), "walk stopped: %s", strerror(errno));
		rc = error_cb(path, msg, arg);
	}
	fts_close(fts);
	return rc;
}

/*
 * The walk `scan` uses: symbolic links are not followed unless follow is
 * set (FTS_PHYSICAL reports them as FTS_SL, and they go to link_cb with
 * their target); with follow, a loop is an error and the walk goes on.
 * Every regular file reaches file_cb with its stat data, so the caller can
 * skip huge files and visit each inode once.
 */
static int
tree_entry(FTSENT *e, const struct cs_walk_tree_cbs *cbs, void *arg)
{
	char	 msg[256], target[4096];
	ssize_t	 n;

	switch (e->fts_info) {
	case FTS_F:
		return cbs->file(e->fts_path, e->fts_statp, arg);
	case FTS_SL:
		if (cbs->link == NULL)
			return 0;
		if ((n = readlink(e->fts_accpath, target,
		    sizeof(target) - 1)) < 0)
			return 0;
		target[n] = '\0';
		return cbs->link(e->fts_path, target, arg);
	case FTS_DC:
		return cbs->error(e->fts_path, "directory loop: already "
		    "visited through a symbolic link; not walked again", arg);
	case FTS_DNR:
	case FTS_ERR:
	case FTS_NS:
		snprintf(msg, sizeof(msg), "cannot read: %s",
		    strerror(e->fts_errno));
		return cbs->error(e->fts_path, msg, arg);
	case FTS_SLNONE:
		return cbs->error(e->fts_path, "dangling symbolic link", arg);
	default:
		return 0;	/* directories, devices, sockets, FIFOs */
	}
}

int
cs_walk_tree(const char *path, int follow, const struct cs_walk_tree_cbs *cbs,
    void *arg)
{
	char * const	 paths[] = { (char *)path, NULL };
	FTS		*fts;
	FTSENT		*e;
	int		 rc = 0, opts;

	opts = FTS_NOCHDIR | FTS_COMFOLLOW |
	    (follow ? FTS_LOGICAL : FTS_PHYSICAL);
	if ((fts = fts_open(paths, opts, by_name)) == NULL)
		return cbs->error(path, strerror(errno), arg);
	do {
		errno = 0;
		if ((e = fts_read(fts)) == NULL)
			break;
		rc = tree_entry(e, cbs, arg);
	} while (rc == 0);
	if (rc == 0 && e == NULL && errno != 0) {
		char msg[256];

		snprintf(msg, sizeof(msg), "walk stopped: %s", strerror(errno));
		rc = cbs->error(path, msg, arg);
	}
	fts_close(fts);
	return rc;
}

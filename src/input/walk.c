/* Walking files and directories for lint and scan. */
#define _GNU_SOURCE	/* getdents64 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fts.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
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
 * The walk `scan` uses. fts stats every entry; on a fleet that stat costs
 * as much as reading the file, so this walk trusts the d_type the kernel
 * gives with each name (getdents64, or readdir) and stats only what it
 * cannot class otherwise: entries of type DT_UNKNOWN, and with follow the
 * symbolic links (to learn what they lead to). Each
 * directory's names are read whole, sorted and closed before its
 * sub-directories are entered, so one descriptor is open at a time. The
 * order and the messages are fts's (FTS_PHYSICAL, or FTS_LOGICAL with
 * follow, and FTS_COMFOLLOW): files in name order, pre-order.
 */
struct tw_ent {
	char		*name;
	unsigned char	 type;		/* DT_REG, DT_DIR or DT_LNK */
};

struct tw_ents {
	struct tw_ent	*v;
	size_t		 n, cap;
};

struct tw_dir {
	dev_t		 dev;
	ino_t		 ino;
};

/*
 * A directory's entries as the kernel hands them over. With getdents64
 * they are read straight into the walk's one buffer (each directory is
 * read whole before the next is opened): fdopendir would stat and fcntl
 * the descriptor and allocate a buffer of its own, for each of a fleet's
 * thousands of directories.
 */
#define TW_BUF		32768

struct tw_stream {
	int		 fd;
#ifdef HAVE_GETDENTS64
	char		*buf;
	size_t		 len, off;
#else
	DIR		*dir;
#endif
};

struct tree_walk {
	const struct cs_walk_tree_cbs	*cbs;
	void				*arg;
	int				 follow;
	char				*path;		/* the entry's path */
	size_t				 cap;
	struct tw_dir			*up;		/* ancestors, for loops */
	size_t				 depth, capup;
	char				*buf;		/* TW_BUF, for tw_stream */
};

/* Prepares to read the directory open on fd, which it then owns; -1
 * (errno set) and fd closed when it cannot. */
static int
tw_open(struct tree_walk *tw, struct tw_stream *ds, int fd)
{
	ds->fd = fd;
#ifdef HAVE_GETDENTS64
	if (tw->buf == NULL && (tw->buf = malloc(TW_BUF)) == NULL) {
		close(fd);
		errno = ENOMEM;
		return -1;
	}
	ds->buf = tw->buf;
	ds->len = ds->off = 0;
#else
	(void)tw;
	if ((ds->dir = fdopendir(fd)) == NULL) {
		int errnum = errno;

		close(fd);
		errno = errnum;
		return -1;
	}
#endif
	return 0;
}

/* The next entry's name and d_type: 1, 0 at the end, -1 (errno set). */
static int
tw_next(struct tw_stream *ds, const char **name, unsigned char *type)
{
#ifdef HAVE_GETDENTS64
	const struct dirent64	*de;
	ssize_t			 n;
	size_t			 left;

	if (ds->off >= ds->len) {
		if ((n = getdents64(ds->fd, ds->buf, TW_BUF)) <= 0)
			return n == 0 ? 0 : -1;
		ds->len = (size_t)n;
		ds->off = 0;
	}
	de = (const struct dirent64 *)(ds->buf + ds->off);
	left = ds->len - ds->off;
	if (left <= offsetof(struct dirent64, d_name) ||
	    de->d_reclen <= offsetof(struct dirent64, d_name) ||
	    de->d_reclen > left ||
	    memchr(de->d_name, '\0', de->d_reclen -
	    offsetof(struct dirent64, d_name)) == NULL) {
		errno = EIO;	/* not a record the kernel writes */
		return -1;
	}
	ds->off += de->d_reclen;
#else
	const struct dirent	*de;

	errno = 0;
	if ((de = readdir(ds->dir)) == NULL)
		return errno == 0 ? 0 : -1;
#endif
	*name = de->d_name;
	*type = de->d_type;
	return 1;
}

static void
tw_close(struct tw_stream *ds)
{
#ifdef HAVE_GETDENTS64
	close(ds->fd);
#else
	closedir(ds->dir);
#endif
}

static int
tw_error(struct tree_walk *tw, const char *what, int errnum)
{
	char	 msg[256];

	snprintf(msg, sizeof(msg), "%s: %s", what, strerror(errnum));
	return tw->cbs->error(tw->path, msg, tw->arg);
}

/* path = path[0..len) "/" name, as fts joins them (one slash kept). */
static int
tw_append(struct tree_walk *tw, size_t len, const char *name)
{
	size_t	 nlen = strlen(name), need;
	char	*np;

	if (len > 0 && tw->path[len - 1] == '/')
		len--;
	need = len + nlen + 2;
	if (need > tw->cap) {
		if ((np = realloc(tw->path, need * 2)) == NULL)
			return -1;
		tw->path = np;
		tw->cap = need * 2;
	}
	tw->path[len] = '/';
	memcpy(tw->path + len + 1, name, nlen + 1);
	return 0;
}

static int
tw_by_name(const void *a, const void *b)
{
	return strcmp(((const struct tw_ent *)a)->name,
	    ((const struct tw_ent *)b)->name);
}

static unsigned char
tw_type(mode_t mode)
{
	if (S_ISREG(mode))
		return DT_REG;
	if (S_ISDIR(mode))
		return DT_DIR;
	if (S_ISLNK(mode))
		return DT_LNK;
	return DT_UNKNOWN;	/* devices, FIFOs, sockets: never opened */
}

/*
 * What an entry is, stat'ing it only when d_type does not say; with
 * follow a link becomes what it leads to (DT_LNK: dangling).
 * Returns the type, DT_UNKNOWN for what is skipped, or -1 (errno set).
 */
static int
tw_class(struct tree_walk *tw, int dfd, const char *name, unsigned char type)
{
	struct stat	 st;

	if (type == DT_REG || type == DT_DIR)
		return type;
	if (type != DT_UNKNOWN && type != DT_LNK)
		return DT_UNKNOWN;
	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == -1)
		return -1;
	if (!S_ISLNK(st.st_mode) || !tw->follow)
		return tw_type(st.st_mode);
	if (fstatat(dfd, name, &st, 0) == -1)
		return DT_LNK;
	return S_ISLNK(st.st_mode) ? DT_UNKNOWN : tw_type(st.st_mode);
}

static void
tw_ents_free(struct tw_ents *ents)
{
	size_t	 i;

	for (i = 0; i < ents->n; i++)
		free(ents->v[i].name);
	free(ents->v);
}

static int
tw_keep(struct tw_ents *ents, const char *name, int type)
{
	struct tw_ent	*nv;
	size_t		 ncap;

	if (ents->n == ents->cap) {
		ncap = ents->cap != 0 ? ents->cap * 2 : 16;
		if ((nv = reallocarray(ents->v, ncap, sizeof(*nv))) == NULL)
			return -1;
		ents->v = nv;
		ents->cap = ncap;
	}
	if ((ents->v[ents->n].name = cs_strdup(name)) == NULL)
		return -1;
	ents->v[ents->n++].type = (unsigned char)type;
	return 0;
}

/* The entries of the open directory at path[0..len), classed; -1 when out
 * of memory or when a callback stopped the walk. */
static int
tw_read(struct tree_walk *tw, struct tw_stream *ds, size_t len,
    struct tw_ents *ents)
{
	const char	*name;
	unsigned char	 dtype;
	int		 more, type, rc = 0;

	while (rc == 0 && (more = tw_next(ds, &name, &dtype)) == 1) {
		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			continue;
		if ((type = tw_class(tw, ds->fd, name, dtype)) == -1) {
			if (tw_append(tw, len, name) == -1)
				return -1;
			rc = tw_error(tw, "cannot read", errno);
			tw->path[len] = '\0';
		} else if (type != DT_UNKNOWN)
			rc = tw_keep(ents, name, type);
	}
	if (rc == 0 && more == -1)
		rc = tw_error(tw, "cannot read", errno);
	return rc;
}

static int	tw_dir(struct tree_walk *, size_t);

static int
tw_link(struct tree_walk *tw)
{
	char	 target[4096];
	ssize_t	 n;

	if (tw->cbs->link == NULL ||
	    (n = readlink(tw->path, target, sizeof(target) - 1)) < 0)
		return 0;
	target[n] = '\0';
	return tw->cbs->link(tw->path, target, tw->arg);
}

static int
tw_entry(struct tree_walk *tw, size_t len, const struct tw_ent *e)
{
	if (tw_append(tw, len, e->name) == -1)
		return -1;
	switch (e->type) {
	case DT_REG:
		return tw->cbs->file(tw->path, tw->arg);
	case DT_DIR:
		return tw_dir(tw, strlen(tw->path));
	case DT_LNK:
		if (tw->follow)
			return tw->cbs->error(tw->path,
			    "dangling symbolic link", tw->arg);
		return tw_link(tw);
	default:
		return 0;
	}
}

/* Is the directory open on fd one of its ancestors? Else it is the
 * deepest one from now on. 1: a loop, 0: entered, -1: errno set. */
static int
tw_enter(struct tree_walk *tw, int fd)
{
	struct tw_dir	*np;
	struct stat	 st;
	size_t		 i, ncap;

	if (fstat(fd, &st) == -1)
		return -1;
	for (i = 0; i < tw->depth; i++)
		if (tw->up[i].dev == st.st_dev && tw->up[i].ino == st.st_ino)
			return 1;
	if (tw->depth == tw->capup) {
		ncap = tw->capup != 0 ? tw->capup * 2 : 16;
		if ((np = reallocarray(tw->up, ncap, sizeof(*np))) == NULL)
			return -1;
		tw->up = np;
		tw->capup = ncap;
	}
	tw->up[tw->depth].dev = st.st_dev;
	tw->up[tw->depth++].ino = st.st_ino;
	return 0;
}

/* Walks the directory at tw->path (len bytes). */
static int
tw_dir(struct tree_walk *tw, size_t len)
{
	struct tw_ents	 ents = { 0 };
	struct tw_stream ds;
	size_t		 i;
	int		 fd, rc;

	/* without follow, a link swapped in since readdir is not entered;
	 * the root is followed either way */
	fd = open(tw->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC |
	    O_NONBLOCK | (tw->follow || tw->depth == 0 ? 0 : O_NOFOLLOW));
	if (fd == -1)
		return tw_error(tw, "cannot read", errno);
	if ((rc = tw_enter(tw, fd)) != 0) {
		rc = rc == 1 ? tw->cbs->error(tw->path, "directory loop: "
		    "already visited through a symbolic link; not walked "
		    "again", tw->arg) : tw_error(tw, "cannot read", errno);
		close(fd);
		return rc;
	}
	if (tw_open(tw, &ds, fd) == -1)
		rc = tw_error(tw, "cannot read", errno);
	else {
		rc = tw_read(tw, &ds, len, &ents);
		tw_close(&ds);
	}
	if (rc == 0 && ents.n > 1)
		qsort(ents.v, ents.n, sizeof(*ents.v), tw_by_name);
	for (i = 0; rc == 0 && i < ents.n; i++)
		rc = tw_entry(tw, len, &ents.v[i]);
	tw_ents_free(&ents);
	tw->depth--;
	return rc;
}

static int
tw_root(const char *path, const struct cs_walk_tree_cbs *cbs, void *arg)
{
	char		 msg[256];
	struct stat	 st;
	int		 errnum = errno;

	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode))
		return cbs->error(path, "dangling symbolic link", arg);
	snprintf(msg, sizeof(msg), "cannot read: %s", strerror(errnum));
	return cbs->error(path, msg, arg);
}

int
cs_walk_tree(const char *path, int follow, const struct cs_walk_tree_cbs *cbs,
    void *arg)
{
	struct tree_walk	 tw = { .cbs = cbs, .arg = arg,
		.follow = follow };
	struct stat		 st;
	int			 rc;

	if (stat(path, &st) == -1)
		return tw_root(path, cbs, arg);
	if (S_ISREG(st.st_mode))
		return cbs->file(path, arg);
	if (!S_ISDIR(st.st_mode))
		return 0;	/* a device, FIFO or socket named as root */
	tw.cap = strlen(path) + 1;
	if ((tw.path = cs_strdup(path)) == NULL)
		return cbs->error(path, strerror(ENOMEM), arg);
	rc = tw_dir(&tw, tw.cap - 1);
	free(tw.path);
	free(tw.up);
	free(tw.buf);
	return rc;
}

/*
 * The walk, the worker threads and the index (see scan.h).
 *
 * A walker thread lists each root (names only, in name order, nothing
 * stat'ed but what readdir cannot class) while the workers decode the
 * files it has listed into a window of slots, and the calling thread
 * joins them into the index in walk order, with what else the walk met
 * (links, errors) at its place in that order, so the index and every
 * report are the same whatever the number of threads. The window bounds
 * memory: workers never run more than WINDOW files ahead of the join, the
 * walker no more than WALK_AHEAD, and a path is freed once joined.
 *
 * With --lint and a core the workers leave free, a worker close to the
 * join leaves the rules of the file it has decoded to the joining thread,
 * which would otherwise wait for it: the rules then run beside the next
 * file's decoding. A worker further ahead (the join is behind, with many
 * workers) runs them itself, as it does when LINT_HANDOFF_OBJS decoded
 * objects already wait for the joiner, which bounds the memory they hold.
 */
#include "config.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>

#include "scan/fast.h"
#include "scan/scan-int.h"
#include "scan/webconf.h"

#define WINDOW		1024
#define CONF_MAX_SIZE	((size_t)1 << 20)
#define BINARY_BIG	((size_t)64 << 10)	/* larger: peek first */
#define BINARY_PEEK	((size_t)4096)
#define JOIN_RUN	((size_t)64)	/* the joiner sleeps for such runs */
#define WALK_BATCH	64		/* files the walker publishes at once */
#define WALK_AHEAD	((size_t)1 << 16)	/* paths listed, not joined */
#define JOIN_FREE	((size_t)256)	/* joined paths freed at once */
/* --lint: a worker fewer files than LINT_HANDOFF ahead of the join leaves
 * a file's rules to the joiner, while fewer than LINT_HANDOFF_OBJS
 * objects wait for it (cs_scan_opts.lint_handoff sets another number). */
#define LINT_HANDOFF		((size_t)256)
#define LINT_HANDOFF_OBJS	((size_t)512)

/* --------------------------------------------------------------- index */

uint32_t
sx_intern(struct cs_scan *s, const char *str, size_t len)
{
	uint32_t	*v;
	const char	*copy;
	int		 added;

	if ((v = cs_map_intern(&s->strmap, str, len, (uint32_t)s->strings.n,
	    &added, &copy)) == NULL)
		return SX_NONE;
	if (added && cs_vec_push(&s->strings, (void *)(uintptr_t)copy) == -1) {
		*v = SX_NONE;	/* never looked up again as valid */
		return SX_NONE;
	}
	return *v;
}

const char *
sx_string(const struct cs_scan *s, uint32_t id)
{
	return id < s->strings.n ? s->strings.v[id] : "";
}

static int
grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t	 ncap;
	void	*np;

	if (need <= *cap)
		return 0;
	ncap = *cap != 0 ? *cap * 2 : 256;
	if (ncap > SX_NONE / 2 || (np = reallocarray(*p, ncap, size)) == NULL)
		return -1;
	*p = np;
	*cap = ncap;
	return 0;
}

static const unsigned char *
copy_spki(struct cs_scan *s, const unsigned char *spki, size_t len)
{
	unsigned char	*p;

	if ((p = cs_arena_alloc(&s->arena, len)) != NULL && len > 0)
		memcpy(p, spki, len);
	return p;
}

uint32_t
sx_add_key(struct cs_scan *s, const unsigned char sha[32],
    const unsigned char *spki, size_t spki_len)
{
	struct sx_key	*k;
	uint32_t	*v;
	int		 added;

	/* room first: a key in the map is always one of keys[] */
	if (grow((void **)&s->keys, &s->capkeys, s->nkeys + 1,
	    sizeof(*s->keys)) == -1 ||
	    (v = cs_map_put(&s->keymap, sha, 32, (uint32_t)s->nkeys,
	    &added)) == NULL)
		return SX_NONE;
	k = &s->keys[*v];
	if (added) {
		memcpy(k->sha, sha, 32);
		k->spki = NULL;
		k->spki_len = 0;
		s->nkeys++;
	}
	if (k->spki == NULL && spki != NULL) {	/* new, or known now */
		if ((k->spki = copy_spki(s, spki, spki_len)) == NULL)
			return SX_NONE;
		k->spki_len = spki_len;
	}
	return (uint32_t)(k - s->keys);
}

struct sx_file *
sx_add_file(struct cs_scan *s, const char *path, uint32_t origin,
    uint32_t top)
{
	struct sx_file	*f;
	char		*norm, *slash;

	if (grow((void **)&s->files, &s->capfiles, s->nfiles + 1,
	    sizeof(*s->files)) == -1)
		return NULL;
	f = &s->files[s->nfiles];
	memset(f, 0, sizeof(*f));
	if ((f->path = cs_arena_strndup(&s->arena, path, strlen(path))) ==
	    NULL)
		return NULL;
	f->origin = origin;
	f->top = top;
	f->first = (uint32_t)s->nobjs;
	if ((norm = sx_file_key(s, origin, path)) == NULL)
		return NULL;
	slash = strrchr(norm, '/');
	f->dir = sx_intern(s, norm, slash != NULL ? (size_t)(slash - norm) : 0);
	free(norm);
	if (f->dir == SX_NONE)
		return NULL;
	s->nfiles++;
	return f;
}

struct sx_obj *
sx_add_obj(struct cs_scan *s)
{
	struct sx_obj	*o;

	if (grow((void **)&s->objs, &s->capobjs, s->nobjs + 1,
	    sizeof(*s->objs)) == -1)
		return NULL;
	o = &s->objs[s->nobjs++];
	memset(o, 0, sizeof(*o));
	o->key = SX_NONE;
	o->file = (uint32_t)s->nfiles - 1;
	s->files[o->file].nobj++;
	return o;
}

/* Object i's path into buf (snprintf's contract): its length. */
static int
obj_path_fmt(const struct cs_scan *s, uint32_t i, char *buf, size_t size)
{
	const struct sx_obj	*o = &s->objs[i];
	const struct sx_file	*f = &s->files[o->file];
	const char		*org = "", *sep = "";

	if (s->norigins > 1 && f->origin != SX_NONE) {
		org = sx_string(s, f->origin);
		sep = ":";
	}
	if (f->nobj > 1)
		return snprintf(buf, size, "%s%s%s#%d", org, sep, f->path,
		    o->index);
	return snprintf(buf, size, "%s%s%s", org, sep, f->path);
}

char *
sx_obj_path(const struct cs_scan *s, uint32_t i)
{
	char	*p;
	int	 n;

	if ((n = obj_path_fmt(s, i, NULL, 0)) < 0 ||
	    (p = malloc((size_t)n + 1)) == NULL)
		return NULL;
	(void)obj_path_fmt(s, i, p, (size_t)n + 1);
	return p;
}

const char *
sx_obj_path_ref(struct cs_scan *s, uint32_t i)
{
	const struct sx_file	*f = &s->files[s->objs[i].file];
	char			*p;
	int			 n;

	if (f->nobj <= 1 && (s->norigins <= 1 || f->origin == SX_NONE))
		return f->path;		/* the path alone: the file's own */
	if ((n = obj_path_fmt(s, i, NULL, 0)) < 0 ||
	    (p = cs_arena_alloc(&s->arena, (size_t)n + 1)) == NULL)
		return NULL;
	(void)obj_path_fmt(s, i, p, (size_t)n + 1);
	return p;
}

/* "origin\npath" normalised, the key of a file in the path index. */
char *
sx_file_key(const struct cs_scan *s, uint32_t origin, const char *path)
{
	char	*key;

	if ((key = cs_printf("%s%s%s", origin == SX_NONE ? "" :
	    sx_string(s, origin), origin == SX_NONE ? "" : "\n", path)) == NULL)
		return NULL;
	return sx_normpath(key);
}

char *
sx_normpath(char *p)
{
	char	*r = p, *w = p, *prev;

	while (*r != '\0') {
		if (r[0] == '/' && r[1] == '/') {
			r++;
		} else if (r[0] == '/' && r[1] == '.' &&
		    (r[2] == '/' || r[2] == '\0')) {
			r += 2;
		} else if (r[0] == '/' && r[1] == '.' && r[2] == '.' &&
		    (r[3] == '/' || r[3] == '\0') && w > p) {
			/* drop the last component written, unless it is ".." */
			*w = '\0';
			prev = strrchr(p, '/');
			prev = prev != NULL ? prev : p;
			if (strcmp(prev[0] == '/' ? prev + 1 : prev, "..") == 0) {
				*w++ = *r++;
				continue;
			}
			w = prev;
			r += 3;
		} else
			*w++ = *r++;
	}
	*w = '\0';
	if (w > p + 1 && w[-1] == '/')
		w[-1] = '\0';
	return p;
}

int
sx_error(struct cs_scan *s, const char *path, const char *msg)
{
	struct cs_diag	*d;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return -1;
	d->path = cs_strdup(path);
	d->message = cs_strdup(msg);
	if (d->path == NULL || d->message == NULL ||
	    cs_vec_push(&s->errors, d) == -1) {
		cs_diag_free(d);
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------- set-up */

struct cs_scan *
cs_scan_new(const struct cs_scan_opts *opts, const char **err)
{
	struct cs_scan	*s;
	long		 ncpu;

	if ((s = calloc(1, sizeof(*s))) == NULL) {
		*err = "out of memory";
		return NULL;
	}
	s->opts = *opts;
	if (s->opts.max_size == 0)
		s->opts.max_size = CS_DEFAULT_MAX_SIZE;
	s->threads = opts->threads;
	if (s->threads == 0) {
		ncpu = sysconf(_SC_NPROCESSORS_ONLN);
		s->threads = ncpu > 0 ? (unsigned)ncpu : 1;
	}
	if (s->threads > 256)
		s->threads = 256;
	s->norigins = 1;
	return s;
}

static void
conf_free(struct sx_conf *c)
{
	if (c == NULL)
		return;
	free(c->cert);
	free(c->key);
	free(c);
}

void
cs_scan_free(struct cs_scan *s)
{
	size_t	 i, j;

	if (s == NULL)
		return;
	(void)sx_factors_end(s);	/* a report begun and not ended */
	for (i = 0; i < s->nobjs; i++) {
		if (s->objs[i].findings == NULL)
			continue;
		for (j = 0; j < s->objs[i].findings->n; j++)
			cs_finding_free(s->objs[i].findings->v[j]);
		cs_vec_release(s->objs[i].findings);
		free(s->objs[i].findings);
	}
	for (i = 0; i < s->confs.n; i++)
		conf_free(s->confs.v[i]);
	for (i = 0; i < s->roots.n; i++)
		free(s->roots.v[i]);
	for (i = 0; i < s->errors.n; i++)
		cs_diag_free(s->errors.v[i]);
	free(s->files);
	free(s->objs);
	free(s->bykey);
	free(s->keystart);
	free(s->objpath);
	free(s->keys);
	cs_map_release(&s->keymap);
	free(s->pathix);
	cs_map_release(&s->inodes);
	cs_map_release(&s->links);
	cs_map_release(&s->strmap);
	cs_vec_release(&s->strings);
	cs_arena_release(&s->arena);
	cs_vec_release(&s->confs);
	cs_vec_release(&s->roots);
	cs_vec_release(&s->errors);
	free(s);
}

/* ---------------------------------------------------------------- pool */

struct found_lint {
	int		 index;
	struct cs_vec	*findings;
};

struct slot {
	struct cs_fast_result	 res;
	const char		*path;		/* the pool's */
	char			*read_err;	/* the file could not be read */
	struct cs_vec		 lint;		/* struct found_lint * */
	struct cs_result	 full;		/* decoded, for the joiner's rules */
	struct cs_vec		 confs;		/* struct cs_webconf_pair * */
	uint64_t		 id[2];		/* dev, inode, if have_id */
	int			 have_id;
	int			 linked;	/* more than one hard link */
	int			 unread;	/* empty or over --max-size */
	int			 failed;	/* out of memory */
};

/* What the walk met besides this shard's files, joined at its place in
 * walk order: before is the number of files listed before it. */
enum wevent_kind { EV_LINK, EV_ERROR, EV_CLAIM };

struct wevent {
	size_t		 before;
	enum wevent_kind kind;
	char		*path;
	char		*text;		/* a link's target, an error */
	uint64_t	 id[2];		/* EV_CLAIM: another shard's file */
};

/*
 * The walker publishes files in batches under mu; workers take files
 * under mu and mark them done under mu; the joiner reads the marks and
 * publishes its progress with atomics and takes mu only to sleep. Nobody
 * is woken for nothing (a wake-up per file costs more than decoding a
 * certificate): the joiner sleeps until a file some way ahead is done
 * (wake_at) and processes the run; workers sleep only when the window is
 * full or the walk is behind, and say so (workers_waiting) before they
 * look, so that neither the joiner nor the walker can miss them.
 */
struct pool {
	struct cs_scan		*s;
	const char		*root;
	struct cs_vec		 paths;		/* char *, walk order; mu */
	struct cs_vec		 events;	/* struct wevent *; mu */
	atomic_size_t		 n;		/* paths.n, for progress */
	atomic_size_t		 nevents;	/* events.n */
	int			 walked;	/* the walk is over; mu */
	int			 walk_failed;	/* mu */
	int			 joiner_waits;	/* for the walk; mu */
	struct slot		 slots[WINDOW];
	atomic_uchar		 done[WINDOW];
	struct cs_lint		*lint;		/* the joiner's, --lint only */
	size_t			 handoff_objs;	/* at most so many objects in */
	atomic_size_t		 handed;	/* slots' full, waiting for it */
	size_t			 next;		/* next file to take; mu */
	atomic_size_t		 joined;	/* files joined so far */
	size_t			 wake_at;	/* mu; SIZE_MAX: joiner awake */
	atomic_uint		 workers_waiting;
	size_t			 freed;		/* paths[0, freed) are freed */
	atomic_int		 walker_waits;	/* WALK_AHEAD ahead; mu */
	int			 stop;		/* no more joins: the walker
						 * must not wait; mu */
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv_work;	/* files listed, window moved */
	pthread_cond_t		 cv_done;	/* wake_at decoded, or walked */
	pthread_cond_t		 cv_walk;	/* the join moved on, or stop */
};

struct worker {
	struct pool		*pool;
	struct cs_fast		*fast;
	struct cs_decoder	*dec;		/* --lint only */
	struct cs_lint		*lint;
	pthread_t		 tid;
	int			 started;
};

/* --------------------------------------------------------------- walk */

struct walk {
	struct pool	*p;
	char		*batch[WALK_BATCH];
	size_t		 nbatch;
	int		 failed;	/* out of memory */
};

/* Under mu: whoever waits for the walk looks again. */
static void
walk_wake(struct pool *p)
{
	if (atomic_load(&p->workers_waiting) > 0)
		pthread_cond_broadcast(&p->cv_work);
	if (p->joiner_waits)
		pthread_cond_signal(&p->cv_done);
}

/* Publishes the files listed so far. */
static int
walk_flush(struct walk *w)
{
	struct pool	*p = w->p;
	size_t		 i;

	pthread_mutex_lock(&p->mu);
	for (i = 0; i < w->nbatch; i++) {
		if (!w->failed && cs_vec_push(&p->paths, w->batch[i]) == 0)
			continue;
		free(w->batch[i]);
		w->failed = 1;
	}
	w->nbatch = 0;
	atomic_store(&p->n, p->paths.n);
	walk_wake(p);
	while (!p->stop && p->paths.n >= atomic_load(&p->joined) + WALK_AHEAD) {
		atomic_store(&p->walker_waits, 1);
		pthread_cond_wait(&p->cv_walk, &p->mu);
	}
	atomic_store(&p->walker_waits, 0);
	pthread_mutex_unlock(&p->mu);
	return w->failed ? -1 : 0;
}

static int
walk_event(struct walk *w, struct wevent *ev)
{
	struct pool	*p = w->p;
	int		 rc = 0;

	if (w->nbatch > 0 && walk_flush(w) == -1)
		rc = -1;
	pthread_mutex_lock(&p->mu);
	ev->before = p->paths.n;
	if (rc == -1 || cs_vec_push(&p->events, ev) == -1) {
		free(ev->path);
		free(ev->text);
		free(ev);
		w->failed = 1;
		rc = -1;
	}
	atomic_store(&p->nevents, p->events.n);
	pthread_mutex_unlock(&p->mu);
	return rc;
}

static int
walk_new_event(struct walk *w, enum wevent_kind kind, const char *path,
    const char *text, const struct stat *st)
{
	struct wevent	*ev;

	if ((ev = calloc(1, sizeof(*ev))) == NULL ||
	    (ev->path = cs_strdup(path)) == NULL ||
	    (text != NULL && (ev->text = cs_strdup(text)) == NULL)) {
		if (ev != NULL)
			free(ev->path);
		free(ev);
		w->failed = 1;
		return -1;
	}
	ev->kind = kind;
	if (st != NULL) {
		ev->id[0] = (uint64_t)st->st_dev;
		ev->id[1] = (uint64_t)st->st_ino;
	}
	return walk_event(w, ev);
}

/*
 * Each file is read once, whatever links lead to it: the join remembers
 * the inodes of files with several hard links (with -L, of all files),
 * learnt when they are opened. A file of another shard is not opened, but
 * it claims its inode here, in walk order, as if it had been read.
 */
static int
walk_claim(struct walk *w, const char *path)
{
	struct stat	 st;

	if (stat(path, &st) == -1 ||
	    (!w->p->s->opts.follow_links && st.st_nlink <= 1))
		return 0;
	return walk_new_event(w, EV_CLAIM, path, NULL, &st);
}

static int
walk_file(const char *path, void *arg)
{
	struct walk	*w = arg;
	struct cs_scan	*s = w->p->s;
	const char	*slash;

	/* Shards split by directory, so what is judged per directory (name
	 * stems, combined files, one key beside one certificate) is whole
	 * in one shard. */
	slash = strrchr(path, '/');
	if (s->opts.nshards > 0 && cs_hash64(path, slash != NULL ?
	    (size_t)(slash - path) : 0) % s->opts.nshards != s->opts.shard)
		return walk_claim(w, path);
	if ((w->batch[w->nbatch] = cs_strdup(path)) == NULL) {
		w->failed = 1;
		return -1;
	}
	if (++w->nbatch == WALK_BATCH)
		return walk_flush(w);
	return 0;
}

/* Links are remembered (not followed) so configs can be resolved. */
static int
walk_link(const char *path, const char *target, void *arg)
{
	return walk_new_event(arg, EV_LINK, path, target, NULL);
}

static int
walk_error(const char *path, const char *msg, void *arg)
{
	return walk_new_event(arg, EV_ERROR, path, msg, NULL);
}

static void *
walker_main(void *arg)
{
	static const struct cs_walk_tree_cbs cbs = {
		.file = walk_file, .link = walk_link, .error = walk_error,
	};
	struct walk	*w = arg;
	struct pool	*p = w->p;

	(void)cs_walk_tree(p->root, p->s->opts.follow_links, &cbs, w);
	if (w->nbatch > 0)
		(void)walk_flush(w);
	pthread_mutex_lock(&p->mu);
	p->walked = 1;
	p->walk_failed = w->failed;
	pthread_cond_broadcast(&p->cv_work);
	pthread_cond_signal(&p->cv_done);
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* ------------------------------------------------------------ workers */

/*
 * --lint: the whole catalogue over the fully decoded objects. The full
 * decoder runs anyway, so the index's objects are converted from its
 * results (as the fast path does for the files it hands over) instead of
 * decoding the file twice.
 */
static void
lint_objects(struct cs_lint *lint, struct slot *sl, struct cs_result *res)
{
	struct cs_object	*obj;
	struct found_lint	*fl;
	size_t			 i;

	if (cs_lint_run(lint, (struct cs_object *const *)res->objects.v,
	    res->objects.n) == -1)
		sl->failed = 1;
	for (i = 0; i < res->objects.n && !sl->failed; i++) {
		obj = res->objects.v[i];
		if ((fl = calloc(1, sizeof(*fl))) == NULL ||
		    (fl->findings = calloc(1, sizeof(*fl->findings))) == NULL ||
		    cs_vec_push(&sl->lint, fl) == -1) {
			if (fl != NULL)
				free(fl->findings);
			free(fl);
			sl->failed = 1;
			break;
		}
		fl->index = obj->src.index;
		*fl->findings = obj->findings;	/* moved, not copied */
		memset(&obj->findings, 0, sizeof(obj->findings));
	}
}

static void
conf_file(struct slot *sl, const unsigned char *buf, size_t len)
{
	enum cs_webconf_kind	 kind;
	struct cs_vec		 warnings = { 0 };
	size_t			 i;

	if (len > CONF_MAX_SIZE ||
	    (kind = cs_webconf_sniff(buf, len)) == CS_WEBCONF_NONE)
		return;
	if (cs_webconf_parse(kind, buf, len, &sl->confs, &warnings) == -1)
		sl->failed = 1;
	for (i = 0; i < warnings.n; i++)
		free(warnings.v[i]);
	cs_vec_release(&warnings);
}

/* The file's inode, for the join to read each file once. */
static void
slot_id(struct slot *sl, const struct stat *st)
{
	sl->id[0] = (uint64_t)st->st_dev;
	sl->id[1] = (uint64_t)st->st_ino;
	sl->have_id = 1;
	sl->linked = st->st_nlink > 1;
}

/*
 * Reads a regular file for scan: never blocks on a FIFO swapped in since
 * the walk, leaves empty files and files over max unread (returns 2),
 * and gives up early (returns 1, nothing read) on a large file whose
 * first block is binary without being DER (a SEQUENCE starts with 0x30):
 * executables, images and archives are not read through. The walk did
 * not stat the file: its size and inode come from the open descriptor.
 */
static int
scan_read(struct slot *sl, size_t max, unsigned char **buf, size_t *len,
    char *err, size_t errlen)
{
	unsigned char	*b;
	struct stat	 st;
	ssize_t		 n;
	size_t		 got = 0, size, want;
	int		 fd;

	*buf = NULL;
	*len = 0;
	if ((fd = open(sl->path, O_RDONLY | O_CLOEXEC | O_NOCTTY |
	    O_NONBLOCK)) == -1 || fstat(fd, &st) == -1) {
		snprintf(err, errlen, "cannot open: %s", strerror(errno));
		if (fd != -1)
			close(fd);
		else if (stat(sl->path, &st) == 0)
			slot_id(sl, &st);	/* unreadable: still once */
		return -1;
	}
	slot_id(sl, &st);
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return 1;	/* changed since the walk: not ours now */
	}
	if ((size_t)st.st_size > max || st.st_size == 0) {
		close(fd);
		return 2;	/* empty, or too big to be X.509 */
	}
	size = (size_t)st.st_size;
	if ((b = malloc(size + 1)) == NULL) {
		close(fd);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	while (got < size) {
		want = size - got;
		if (got == 0 && size > BINARY_BIG)
			want = BINARY_PEEK;	/* a first look */
		n = read(fd, b + got, want);
		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
		if (got == BINARY_PEEK && size > BINARY_BIG && b[0] != 0x30 &&
		    memchr(b, 0, got) != NULL) {
			free(b);
			close(fd);
			return 1;
		}
	}
	close(fd);
	if (got == 0 && size > 0) {
		free(b);
		snprintf(err, errlen, "cannot read: %s", strerror(errno));
		return -1;
	}
	*buf = b;
	*len = got;	/* shorter if it shrank meanwhile */
	return 0;
}

/* May file i's n objects wait in its slot for the joiner's rules? */
static int
hand_off(struct pool *p, size_t i, size_t n)
{
	if (i - atomic_load(&p->joined) >= LINT_HANDOFF)
		return 0;
	if (atomic_fetch_add(&p->handed, n) + n <= p->handoff_objs)
		return 1;
	atomic_fetch_sub(&p->handed, n);
	return 0;
}

static void
decode_buf(struct worker *w, struct slot *sl, size_t i,
    const unsigned char *buf, size_t len)
{
	struct cs_result	 full = { 0 };

	if (w->lint == NULL) {
		(void)cs_fast_decode(w->fast, sl->path, buf, len, &sl->res);
		if (sl->res.foreign)
			conf_file(sl, buf, len);
		return;
	}
	(void)cs_decode_buffer(w->dec, sl->path, buf, len, &full);
	if (cs_fast_from_result(w->fast, &full, &sl->res) == -1)
		sl->failed = 1;
	if (sl->res.foreign)
		conf_file(sl, buf, len);
	else if (full.objects.n > 0 && !sl->failed) {
		if (hand_off(w->pool, i, full.objects.n)) {
			sl->full = full;	/* moved: join_one lints it */
			return;
		}
		lint_objects(w->lint, sl, &full);
	}
	cs_result_release(&full);
}

static void
decode_one(struct worker *w, struct slot *sl, size_t i)
{
	unsigned char	*buf = NULL;
	size_t		 len = 0;
	char		 err[256];
	int		 rc;

	rc = scan_read(sl, w->pool->s->opts.max_size, &buf, &len, err,
	    sizeof(err));
	if (rc == 2) {
		sl->unread = 1;
		return;
	}
	if (rc == 1) {
		sl->res.foreign = 1;	/* binary: skipped unread */
		return;
	}
	if (rc == -1) {
		sl->read_err = cs_strdup(err);
		sl->failed = sl->read_err == NULL;
		return;
	}
	decode_buf(w, sl, i, buf, len);
	free(buf);
	ERR_clear_error();
}

/* Under mu: nothing to take yet (the walk is behind, or the window is
 * full), though the walk is not over. */
static int
worker_idle(struct pool *p)
{
	if (p->next >= p->paths.n)
		return !p->walked;
	return p->next >= atomic_load(&p->joined) + WINDOW;
}

static void *
worker_main(void *arg)
{
	struct worker	*w = arg;
	struct pool	*p = w->pool;
	struct slot	*sl;
	size_t		 i;

	pthread_mutex_lock(&p->mu);
	for (;;) {
		atomic_fetch_add(&p->workers_waiting, 1);
		while (worker_idle(p))
			pthread_cond_wait(&p->cv_work, &p->mu);
		atomic_fetch_sub(&p->workers_waiting, 1);
		if (p->next >= p->paths.n)
			break;
		i = p->next++;
		sl = &p->slots[i % WINDOW];
		sl->path = p->paths.v[i];
		pthread_mutex_unlock(&p->mu);
		decode_one(w, sl, i);
		pthread_mutex_lock(&p->mu);
		atomic_store(&p->done[i % WINDOW], 1);
		if (i >= p->wake_at)
			pthread_cond_signal(&p->cv_done);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* ---------------------------------------------------------------- join */

static uint32_t
top_of(struct cs_scan *s, const char *root, const char *path)
{
	size_t		 rl = strlen(root);
	const char	*rel = path, *slash;
	char		*t;
	uint32_t	 id;

	while (rl > 1 && root[rl - 1] == '/')
		rl--;
	if (strncmp(path, root, rl) == 0 && path[rl] == '/') {
		rel = path + rl;
		while (*rel == '/')
			rel++;
		if ((slash = strchr(rel, '/')) != NULL)
			rel = slash;	/* in a sub-directory: root/top */
		else
			rel = path + rl;	/* directly in the root */
		if ((t = cs_strndup(path, (size_t)(rel - path))) == NULL)
			return SX_NONE;
	} else if ((t = cs_strdup(root)) == NULL)
		return SX_NONE;
	sx_normpath(t);
	id = sx_intern(s, t, strlen(t));
	free(t);
	return id;
}

static int
join_objects(struct cs_scan *s, struct slot *sl)
{
	struct cs_fast_obj	*fo;
	struct sx_obj		*o;
	size_t			 i, j;

	for (i = 0; i < sl->res.objects.n; i++) {
		fo = sl->res.objects.v[i];
		if ((o = sx_add_obj(s)) == NULL)
			return -1;
		o->kind = (uint8_t)fo->kind;
		o->index = fo->index;
		o->not_after = fo->not_after;
		o->flags = (fo->locked ? SX_LOCKED : 0) |
		    (fo->is_ca ? SX_CA : 0) | (fo->self_issued ? SX_SELF : 0) |
		    (fo->has_validity ? SX_VALIDITY : 0) |
		    (fo->has_subject ? SX_SUBJECT : 0);
		memcpy(o->subject, fo->subject_sha256, sizeof(o->subject));
		if (fo->has_spki && (o->key = sx_add_key(s, fo->spki_sha256,
		    fo->spki, fo->spki_len)) == SX_NONE)
			return -1;
		for (j = 0; j < sl->lint.n; j++) {
			struct found_lint *fl = sl->lint.v[j];

			if (fl->index == fo->index && fl->findings != NULL) {
				o->findings = fl->findings;
				fl->findings = NULL;
			}
		}
	}
	return 0;
}

static int
join_confs(struct cs_scan *s, struct slot *sl)
{
	struct cs_webconf_pair	*wp;
	struct sx_conf		*c;
	size_t			 i;

	for (i = 0; i < sl->confs.n; i++) {
		wp = sl->confs.v[i];
		if ((c = calloc(1, sizeof(*c))) == NULL ||
		    cs_vec_push(&s->confs, c) == -1) {
			free(c);
			return -1;
		}
		c->file = (uint32_t)s->nfiles - 1;
		c->cert = wp->cert;
		c->key = wp->key;
		wp->cert = wp->key = NULL;
		c->server = cs_webconf_kind_name(wp->server);
		c->line = wp->line;
	}
	return 0;
}

static void
slot_release(struct slot *sl)
{
	size_t	 i, j;

	cs_fast_result_release(&sl->res);
	free(sl->read_err);
	for (i = 0; i < sl->lint.n; i++) {
		struct found_lint *fl = sl->lint.v[i];

		if (fl->findings != NULL) {
			for (j = 0; j < fl->findings->n; j++)
				cs_finding_free(fl->findings->v[j]);
			cs_vec_release(fl->findings);
			free(fl->findings);
		}
		free(fl);
	}
	cs_vec_release(&sl->lint);
	cs_result_release(&sl->full);
	for (i = 0; i < sl->confs.n; i++)
		cs_webconf_pair_free(sl->confs.v[i]);
	cs_vec_release(&sl->confs);
	memset(sl, 0, sizeof(*sl));
}

static int
locked_at(const struct cs_fast_result *res, int index)
{
	const struct cs_fast_obj	*o;
	size_t				 i;

	for (i = 0; i < res->objects.n; i++) {
		o = res->objects.v[i];
		if (o->index == index && o->locked)
			return 1;
	}
	return 0;
}

/* Was this file's inode met before? Only hard-linked files can be met
 * twice without -L, so only those are remembered. */
static int
join_seen(struct cs_scan *s, const uint64_t id[2], int linked, int *seen)
{
	int	 added = 1;

	*seen = 0;
	if (!s->opts.follow_links && !linked)
		return 0;
	if (cs_map_put(&s->inodes, id, 2 * sizeof(*id), 1, &added) == NULL)
		return -1;
	*seen = !added;
	return 0;
}

static int
join_one(struct cs_scan *s, struct pool *p, struct slot *sl)
{
	size_t	 i, nerr = 0;
	int	 rc = sl->failed ? -1 : 0, quiet, seen = 0;

	if (sl->have_id && join_seen(s, sl->id, sl->linked, &seen) == -1)
		rc = -1;
	if (seen)
		goto done;	/* read through another link */
	if (sl->full.objects.n > 0) {	/* its worker left the rules to us */
		lint_objects(p->lint, sl, &sl->full);
		if (sl->failed)
			rc = -1;	/* out of memory */
	}
	if (sl->unread) {
		s->skipped++;	/* empty, or too big to be X.509 */
		goto done;
	}
	if (sl->read_err != NULL) {
		rc = sx_error(s, sl->path, sl->read_err);
		goto done;
	}
	s->files_read++;
	for (i = 0; i < sl->res.errors.n; i++) {
		/* In a tree, what is not X.509 at all is skipped, and a key
		 * nobody had a password for is reported as locked, not as an
		 * error; a wrong --passin stays an error. */
		quiet = sl->res.foreign || (s->opts.pass_cb == NULL &&
		    locked_at(&sl->res,
		    ((struct cs_diag *)sl->res.errors.v[i])->index));
		if (!quiet && rc == 0 &&
		    cs_vec_push(&s->errors, sl->res.errors.v[i]) == 0) {
			nerr++;
			continue;
		}
		if (rc == 0 && quiet) {
			cs_diag_free(sl->res.errors.v[i]);
			continue;
		}
		rc = -1;
		cs_diag_free(sl->res.errors.v[i]);
	}
	sl->res.errors.n = 0;	/* moved or freed */
	if (sl->res.objects.n == 0 && sl->confs.n == 0) {
		if (nerr == 0)
			s->skipped++;
		goto done;
	}
	if (sx_add_file(s, sl->path, SX_NONE, top_of(s, p->root, sl->path)) ==
	    NULL || join_objects(s, sl) == -1 || join_confs(s, sl) == -1)
		rc = -1;
	if (sl->res.objects.n == 0)
		s->skipped++;	/* a config: read, not X.509 */
done:
	if (sl->full.objects.n > 0)	/* released with the slot */
		atomic_fetch_sub(&p->handed, sl->full.objects.n);
	slot_release(sl);
	return rc;
}

/* A link, remembered so configs can be resolved through it. */
static void
join_link(struct cs_scan *s, const char *path, const char *target)
{
	char		*full, *slash, *norm;
	uint32_t	 id;
	int		 added;

	slash = strrchr(path, '/');
	if (target[0] == '/' || slash == NULL)
		full = cs_strdup(target);
	else
		full = cs_printf("%.*s/%s", (int)(slash - path), path, target);
	if (full == NULL || (norm = cs_strdup(path)) == NULL) {
		free(full);
		return;
	}
	sx_normpath(full);
	sx_normpath(norm);
	if ((id = sx_intern(s, full, strlen(full))) != SX_NONE)
		(void)cs_map_put(&s->links, norm, strlen(norm), id, &added);
	free(full);
	free(norm);
}

static int
join_event(struct cs_scan *s, const struct wevent *ev)
{
	int	 seen;

	switch (ev->kind) {
	case EV_LINK:
		join_link(s, ev->path, ev->text);
		return 0;
	case EV_ERROR:
		return sx_error(s, ev->path, ev->text);
	default:
		return join_seen(s, ev->id, 1, &seen);
	}
}

/* Joins what the walk met before file j (all of it: SIZE_MAX). */
static int
join_events(struct cs_scan *s, struct pool *p, size_t *k, size_t j)
{
	struct wevent	*ev;
	int		 rc = 0;

	if (atomic_load(&p->nevents) <= *k)
		return 0;
	pthread_mutex_lock(&p->mu);
	for (; *k < p->events.n; (*k)++) {
		ev = p->events.v[*k];
		if (ev->before > j)
			break;
		if (join_event(s, ev) == -1)
			rc = -1;
		free(ev->path);
		free(ev->text);
		free(ev);
		p->events.v[*k] = NULL;
	}
	pthread_mutex_unlock(&p->mu);
	return rc;
}

/* Waits until file j is listed; 0 when the walk ended before it. */
static int
join_listed(struct pool *p, size_t j)
{
	int	 more;

	if (j < atomic_load(&p->n))
		return 1;
	pthread_mutex_lock(&p->mu);
	while (j >= p->paths.n && !p->walked) {
		p->joiner_waits = 1;
		pthread_cond_wait(&p->cv_done, &p->mu);
	}
	p->joiner_waits = 0;
	more = j < p->paths.n;
	pthread_mutex_unlock(&p->mu);
	return more;
}

static double
now_s(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
report_progress(struct cs_scan *s, struct pool *p, double start)
{
	struct cs_scan_progress	 pr;

	if (s->opts.progress == NULL)
		return;
	pr.files_done = atomic_load(&p->joined);
	pr.files_total = atomic_load(&p->n);
	pr.objects = s->nobjs;
	pr.elapsed = now_s() - start;
	s->opts.progress(&pr, s->opts.progress_arg);
}

/* Sleeps until file joined is decoded, and if possible a run after it. */
static void
join_wait(struct pool *p, size_t joined)
{
	struct timespec	 until;
	size_t		 at;

	pthread_mutex_lock(&p->mu);
	at = joined + JOIN_RUN < p->paths.n ? joined + JOIN_RUN :
	    p->paths.n - 1;
	while (!atomic_load(&p->done[joined % WINDOW]) ||
	    (!atomic_load(&p->done[at % WINDOW]) && at > joined)) {
		/* the end of the run, or the file itself once the run's
		 * end is done (several workers finish out of order) */
		p->wake_at = !atomic_load(&p->done[at % WINDOW]) ? at : joined;
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += 250000000L;	/* progress, at worst */
		if (until.tv_nsec >= 1000000000L) {
			until.tv_sec++;
			until.tv_nsec -= 1000000000L;
		}
		if (pthread_cond_timedwait(&p->cv_done, &p->mu, &until) != 0)
			break;
	}
	p->wake_at = SIZE_MAX;
	pthread_mutex_unlock(&p->mu);
}

/*
 * Frees the paths joined so far (the slots are done with them), and wakes
 * the walker once the join has caught up with half of what it may list
 * ahead. Every JOIN_FREE files, so that mu is seldom taken.
 */
static void
join_release(struct pool *p, size_t joined, int all)
{
	if (!all && joined - p->freed < JOIN_FREE)
		return;
	pthread_mutex_lock(&p->mu);
	for (; p->freed < joined; p->freed++) {
		free(p->paths.v[p->freed]);
		p->paths.v[p->freed] = NULL;
	}
	if (atomic_load(&p->walker_waits) &&
	    p->paths.n < joined + WALK_AHEAD / 2)
		pthread_cond_signal(&p->cv_walk);
	pthread_mutex_unlock(&p->mu);
}

static int
join_all(struct cs_scan *s, struct pool *p)
{
	double		 start = now_s(), last = start;
	size_t		 j, k = 0;
	int		 rc = 0;

	for (j = 0; join_listed(p, j); j++) {
		if (join_events(s, p, &k, j) == -1)
			rc = -1;
		while (!atomic_load(&p->done[j % WINDOW])) {
			join_wait(p, j);
			if (now_s() - last >= 0.25) {
				last = now_s();
				report_progress(s, p, start);
			}
		}
		if ((j & 255) == 0 && now_s() - last >= 0.25) {
			last = now_s();
			report_progress(s, p, start);
		}
		if (join_one(s, p, &p->slots[j % WINDOW]) == -1)
			rc = -1;
		atomic_store(&p->done[j % WINDOW], 0);
		atomic_store(&p->joined, j + 1);
		join_release(p, j + 1, 0);
		if (atomic_load(&p->workers_waiting) > 0) {
			pthread_mutex_lock(&p->mu);
			pthread_cond_broadcast(&p->cv_work);
			pthread_mutex_unlock(&p->mu);
		}
	}
	join_release(p, j, 1);
	if (join_events(s, p, &k, SIZE_MAX) == -1 || p->walk_failed)
		rc = -1;
	report_progress(s, p, start);
	return rc;
}

static int
worker_setup(struct cs_scan *s, struct worker *w)
{
	struct cs_decoder_opts	 dopts = { .max_size = s->opts.max_size,
		.pass_cb = s->opts.pass_cb, .pass_arg = s->opts.pass_arg };
	const char		*err;

	if ((w->fast = cs_fast_new(&dopts)) == NULL)
		return -1;
	if (!s->opts.lint)
		return 0;
	dopts.unsettled = 1;	/* the rules settle them, maybe on the joiner */
	if ((w->dec = cs_decoder_new(&dopts)) == NULL ||
	    (w->lint = cs_lint_new(s->opts.lint_opts, &err)) == NULL)
		return -1;
	return 0;
}

static void
workers_free(struct worker *ws, unsigned n)
{
	unsigned	 i;

	for (i = 0; i < n; i++) {
		cs_fast_free(ws[i].fast);
		cs_decoder_free(ws[i].dec);
		cs_lint_free(ws[i].lint);
	}
	free(ws);
}

/* The walker first, so that it lists while the workers are set up. */
static int
run_pool(struct cs_scan *s, struct pool *p)
{
	struct walk	 w = { .p = p };
	struct worker	*ws;
	const char	*err;
	pthread_t	 walker;
	unsigned	 i, n = s->threads, started = 0;
	int		 rc = -1;

	if (pthread_create(&walker, NULL, walker_main, &w) != 0)
		return -1;
	if ((ws = calloc(n, sizeof(*ws))) == NULL)
		goto done;
	for (i = 0; i < n; i++)
		if (worker_setup(s, &ws[i]) == -1)
			goto done;
	if (s->opts.lint && p->handoff_objs > 0 &&
	    (p->lint = cs_lint_new(s->opts.lint_opts, &err)) == NULL)
		goto done;
	for (i = 0; i < n; i++) {
		ws[i].pool = p;
		if (pthread_create(&ws[i].tid, NULL, worker_main, &ws[i]) != 0)
			break;
		ws[i].started = 1;
		started++;
	}
	if (started > 0)
		rc = join_all(s, p);
done:
	pthread_mutex_lock(&p->mu);	/* nobody joins from now on */
	p->stop = 1;
	pthread_cond_signal(&p->cv_walk);
	pthread_mutex_unlock(&p->mu);
	pthread_join(walker, NULL);
	for (i = 0; ws != NULL && i < n; i++)
		if (ws[i].started)
			pthread_join(ws[i].tid, NULL);
	cs_lint_free(p->lint);	/* holds certificates of the workers' */
	p->lint = NULL;
	if (ws != NULL)
		workers_free(ws, n);
	return rc;
}

static void
pool_free(struct pool *p)
{
	struct wevent	*ev;
	size_t		 i;

	for (i = 0; i < WINDOW; i++)
		slot_release(&p->slots[i]);	/* empty unless the join stopped */
	for (i = 0; i < p->paths.n; i++)
		free(p->paths.v[i]);
	cs_vec_release(&p->paths);
	for (i = 0; i < p->events.n; i++) {
		if ((ev = p->events.v[i]) == NULL)
			continue;
		free(ev->path);
		free(ev->text);
		free(ev);
	}
	cs_vec_release(&p->events);
	pthread_mutex_destroy(&p->mu);
	pthread_cond_destroy(&p->cv_work);
	pthread_cond_destroy(&p->cv_done);
	pthread_cond_destroy(&p->cv_walk);
	free(p);
}

/* How many decoded objects may wait for the joiner's rules. By default,
 * only where the workers leave a core free: elsewhere the joiner's rules
 * would only take a core from them, and freeing what another thread
 * allocated costs more. */
static size_t
handoff_objs(const struct cs_scan *s)
{
	long	 ncpu;

	if (s->opts.lint_handoff != 0)
		return s->opts.lint_handoff < 0 ? 0 :
		    (size_t)s->opts.lint_handoff;
	ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	return ncpu > 0 && s->threads < (unsigned long)ncpu ?
	    LINT_HANDOFF_OBJS : 0;
}

int
cs_scan_root(struct cs_scan *s, const char *root)
{
	struct pool	*p;
	char		*copy;
	int		 rc;

	if ((copy = cs_strdup(root)) == NULL ||
	    cs_vec_push(&s->roots, copy) == -1) {
		free(copy);
		return -1;
	}
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return -1;
	p->s = s;
	p->root = root;
	p->wake_at = SIZE_MAX;
	p->handoff_objs = handoff_objs(s);
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv_work, NULL);
	pthread_cond_init(&p->cv_done, NULL);
	pthread_cond_init(&p->cv_walk, NULL);
	rc = run_pool(s, p);
	pool_free(p);
	return rc;
}

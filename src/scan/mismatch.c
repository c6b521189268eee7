/*
 * Keys and certificates meant to go together whose public keys differ.
 * "Meant to go together" is read, strongest first, from: a web server
 * config in the tree naming both; one file holding both; the same name
 * stem in one directory (server.key / server.crt / server.crt.der; Let's
 * Encrypt's privkeyN.pem / certN.pem / fullchainN.pem); a directory with
 * exactly one private key and one end-entity certificate. Each key and
 * certificate pair is reported once, under the strongest reason. A
 * certificate whose own key is in the same directory is never a mismatch:
 * the other keys there are orphans (or old keys), not its partner.
 */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "scan/scan-int.h"

#define LINK_HOPS	8

struct mm {
	struct cs_scan		*s;
	struct cs_fleet		*fl;
	const uint32_t		*by;
	const uint32_t		*start;
	struct cs_map		 seen;		/* key obj, cert obj */
};

/* ------------------------------------------------------------- files */

/* First unlocked private key with a known key in file f, or SX_NONE. */
static uint32_t
file_priv(const struct cs_scan *s, uint32_t f, int *locked)
{
	const struct sx_file	*fi = &s->files[f];
	uint32_t		 i;

	*locked = 0;
	for (i = fi->first; i < fi->first + fi->nobj; i++) {
		if (s->objs[i].kind != CS_KIND_PRIVKEY)
			continue;
		if (s->objs[i].flags & SX_LOCKED)
			*locked = 1;
		else if (s->objs[i].key != SX_NONE)
			return i;
	}
	return SX_NONE;
}

/* The end-entity certificate of file f (else its first), or SX_NONE. */
static uint32_t
file_cert(const struct cs_scan *s, uint32_t f)
{
	const struct sx_file	*fi = &s->files[f];
	uint32_t		 i, any = SX_NONE;

	for (i = fi->first; i < fi->first + fi->nobj; i++) {
		if (s->objs[i].kind != CS_KIND_CERT ||
		    s->objs[i].key == SX_NONE)
			continue;
		if (!(s->objs[i].flags & SX_CA))
			return i;
		if (any == SX_NONE)
			any = i;
	}
	return any;
}

static int
file_has_cert_key(const struct cs_scan *s, uint32_t f, uint32_t key)
{
	const struct sx_file	*fi = &s->files[f];
	uint32_t		 i;

	for (i = fi->first; i < fi->first + fi->nobj; i++)
		if (s->objs[i].kind == CS_KIND_CERT && s->objs[i].key == key)
			return 1;
	return 0;
}

/* Is a private key of key in directory dir (or, with top set, under the
 * same top-level directory)? */
static int
key_present(const struct mm *m, uint32_t key, uint32_t dir, uint32_t top)
{
	const struct sx_obj	*o;
	uint32_t		 i;

	for (i = m->start[key]; i < m->start[key + 1]; i++) {
		o = &m->s->objs[m->by[i]];
		if (o->kind != CS_KIND_PRIVKEY)
			continue;
		if (m->s->files[o->file].dir == dir ||
		    (top != SX_NONE && m->s->files[o->file].top == top))
			return 1;
	}
	return 0;
}

static int
add(struct mm *m, uint32_t key, uint32_t cert, const char *reason,
    char *detail)
{
	struct cs_fleet_mismatch *x;
	uint32_t		 id[2] = { key, cert };
	int			 added;

	if (cs_map_put(&m->seen, id, sizeof(id), 1, &added) == NULL) {
		free(detail);
		return -1;
	}
	if (!added) {
		free(detail);
		return 0;
	}
	if ((x = calloc(1, sizeof(*x))) == NULL ||
	    cs_vec_push(&m->fl->mismatches, x) == -1) {
		free(x);
		free(detail);
		return -1;
	}
	x->reason = reason;
	x->detail = detail;
	x->key = sx_obj_path_ref(m->s, key);
	x->cert = sx_obj_path_ref(m->s, cert);
	return x->key != NULL && x->cert != NULL ? 0 : -1;
}

/* key and cert disagree: the certificate's file has no certificate of
 * the key (a bundle may list the chain first). */
static int
judge(struct mm *m, uint32_t key, uint32_t certfile, const char *reason,
    char *detail)
{
	uint32_t	 cert = file_cert(m->s, certfile);

	if (cert == SX_NONE || file_has_cert_key(m->s, certfile,
	    m->s->objs[key].key)) {
		free(detail);
		return 0;
	}
	return add(m, key, cert, reason, detail);
}

/* ----------------------------------------------------------- configs */

/*
 * The path index holds a 64-bit hash of each file's key, not the key, in
 * hash order: a hit is confirmed against the file itself, so a collision
 * costs a comparison, never a wrong file. Built only when a config needs
 * it, 12 to 16 bytes a file.
 */
static int
cmp_pathix(const void *va, const void *vb)
{
	const struct sx_pathix	*a = va, *b = vb;

	if (a->hash != b->hash)
		return a->hash < b->hash ? -1 : 1;
	return a->file < b->file ? -1 : a->file > b->file;
}

static int
path_index(struct cs_scan *s)
{
	char		*key;
	uint32_t	 f;

	free(s->pathix);
	s->npathix = 0;
	if ((s->pathix = calloc(s->nfiles + 1, sizeof(*s->pathix))) == NULL)
		return -1;
	for (f = 0; f < s->nfiles; f++) {
		if ((key = sx_file_key(s, s->files[f].origin,
		    s->files[f].path)) == NULL) {
			free(s->pathix);
			s->pathix = NULL;
			return -1;
		}
		s->pathix[f].hash = cs_hash64(key, strlen(key));
		s->pathix[f].file = f;
		free(key);
	}
	qsort(s->pathix, s->nfiles, sizeof(*s->pathix), cmp_pathix);
	s->npathix = s->nfiles;
	return 0;
}

static uint32_t
path_file(const struct cs_scan *s, const char *key)
{
	uint64_t	 h = cs_hash64(key, strlen(key));
	size_t		 lo = 0, hi = s->npathix, mid;
	char		*fk;
	int		 same;

	while (lo < hi) {		/* the first entry of hash h */
		mid = lo + (hi - lo) / 2;
		if (s->pathix[mid].hash < h)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < s->npathix && s->pathix[lo].hash == h; lo++) {
		if ((fk = sx_file_key(s, s->files[s->pathix[lo].file].origin,
		    s->files[s->pathix[lo].file].path)) == NULL)
			return SX_NONE;
		same = strcmp(fk, key) == 0;
		free(fk);
		if (same)
			return s->pathix[lo].file;
	}
	return SX_NONE;
}

static uint32_t
lookup(const struct cs_scan *s, const char *path)
{
	const uint32_t	*v;
	uint32_t	 f;
	char		*cur, *next;
	size_t		 i, hop;

	if ((cur = cs_strdup(path)) == NULL)
		return SX_NONE;
	sx_normpath(cur);
	for (hop = 0; hop < LINK_HOPS; hop++) {
		if ((f = path_file(s, cur)) != SX_NONE) {
			free(cur);
			return f;
		}
		/* a link on the way: the longest prefix that is one */
		next = NULL;
		for (i = strlen(cur); i > 0 && next == NULL; i--) {
			if (cur[i] != '/' && cur[i] != '\0')
				continue;
			if ((v = cs_map_get(&s->links, cur, i)) != NULL)
				next = cs_printf("%s%s", sx_string(s, *v),
				    cur + i);
		}
		free(cur);
		if ((cur = next) == NULL)
			return SX_NONE;
		sx_normpath(cur);
	}
	free(cur);
	return SX_NONE;
}

/*
 * A path written in a config found at cfg, in the scanned tree: as it is,
 * then under each directory above the config (a fleet laid out as
 * host/etc/..., configs naming /etc/...).
 */
static uint32_t
resolve(const struct cs_scan *s, const char *org, const char *cfg,
    const char *path)
{
	char		*dir, *cand, *slash;
	uint32_t	 f = SX_NONE;

	if (path[0] == '/' && (cand = cs_printf("%s%s", org, path)) != NULL) {
		f = lookup(s, cand);
		free(cand);
		if (f != SX_NONE)
			return f;
	}
	if ((dir = cs_printf("%s%s", org, cfg)) == NULL)
		return SX_NONE;
	while ((slash = strrchr(dir, '/')) != NULL && f == SX_NONE) {
		*slash = '\0';
		if ((cand = cs_printf("%s%s%s", dir, path[0] == '/' ? "" : "/",
		    path)) == NULL)
			break;
		f = lookup(s, cand);
		free(cand);
	}
	if (f == SX_NONE && path[0] != '/' && strchr(cfg, '/') == NULL &&
	    (cand = cs_printf("%s%s", org, path)) != NULL) {
		f = lookup(s, cand);
		free(cand);
	}
	free(dir);
	return f;
}

static int
one_conf(struct mm *m, const struct sx_conf *c)
{
	const struct sx_file *cf = &m->s->files[c->file];
	const char	*cfg = cf->path;
	uint32_t	 fc, fk = SX_NONE, key;
	char		*alt, org[512];
	int		 locked;

	/* merge keys paths by origin, as sx_add_file does */
	snprintf(org, sizeof(org), "%s%s", cf->origin == SX_NONE ? "" :
	    sx_string(m->s, cf->origin), cf->origin == SX_NONE ? "" : "\n");
	if ((fc = resolve(m->s, org, cfg, c->cert)) == SX_NONE)
		return 0;	/* not in the tree */
	if (c->key != NULL)
		fk = resolve(m->s, org, cfg, c->key);
	else if (file_priv(m->s, fc, &locked) != SX_NONE || locked)
		fk = fc;
	else if ((alt = cs_printf("%s.key", c->cert)) != NULL) {
		fk = resolve(m->s, org, cfg, alt);	/* HAProxy's sidecar */
		free(alt);
	}
	if (fk == SX_NONE ||
	    (key = file_priv(m->s, fk, &locked)) == SX_NONE)
		return 0;
	return judge(m, key, fc, c->server,
	    cs_printf("%s:%d", cfg, c->line));
}

/* ---------------------------------------------------- combined files */

static int
combined(struct mm *m)
{
	uint32_t	 f, key;
	int		 locked;

	for (f = 0; f < m->s->nfiles; f++) {
		if ((key = file_priv(m->s, f, &locked)) == SX_NONE)
			continue;
		if (judge(m, key, f, "combined-pem", NULL) == -1)
			return -1;
	}
	return 0;
}

/* ------------------------------------------------------- name stems */

static const char *const exts[] = {
	".pem", ".crt", ".cer", ".cert", ".der", ".key", ".csr", ".req",
	".p12", ".pfx", ".p7b", ".p7c", ".p8", ".pk8", ".priv", ".pub",
};

static const char *const suffixes[] = {
	"-key", "_key", ".key", "-cert", "_cert", "-crt", "_crt", "-chain",
	"_chain", "-fullchain", "_fullchain", "-priv", "_priv", "-private",
	"_private", "-csr", "_csr",
};

static int
strip(char *s, const char *const *list, size_t n)
{
	size_t	 i, ls = strlen(s), lx;

	for (i = 0; i < n; i++) {
		lx = strlen(list[i]);
		if (ls > lx && strcasecmp(s + ls - lx, list[i]) == 0) {
			s[ls - lx] = '\0';
			return 1;
		}
	}
	return 0;
}

/* Let's Encrypt's names: cert.pem, privkey3.pem, fullchain3.pem, ... */
static int
le_stem(const char *base, char *out, size_t size)
{
	static const char *const names[] = {
		"cert", "privkey", "fullchain", "chain",
	};
	size_t	 i, l, d;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		l = strlen(names[i]);
		if (strncmp(base, names[i], l) != 0)
			continue;
		for (d = l; isdigit((unsigned char)base[d]); d++)
			;
		if (strcmp(base + d, ".pem") != 0)
			continue;
		snprintf(out, size, "\001le%.*s", (int)(d - l), base + l);
		return 1;
	}
	return 0;
}

/* The stem of a file name; 1 for Let's Encrypt's naming, else 0. */
static int
stem_of(const char *path, char *out, size_t size)
{
	const char	*base = strrchr(path, '/');

	base = base != NULL ? base + 1 : path;
	if (le_stem(base, out, size))
		return 1;
	snprintf(out, size, "%s", base);
	while (strip(out, exts, sizeof(exts) / sizeof(exts[0])))
		;
	(void)strip(out, suffixes, sizeof(suffixes) / sizeof(suffixes[0]));
	return 0;
}

/* A file by its directory and the hash of its stem. */
struct stem_of_file {
	uint32_t	 dir;
	uint32_t	 file;
	uint64_t	 hash;
};

static int
cmp_stem(const void *va, const void *vb)
{
	const struct stem_of_file	*a = va, *b = vb;

	if (a->dir != b->dir)
		return a->dir < b->dir ? -1 : 1;
	if (a->hash != b->hash)
		return a->hash < b->hash ? -1 : 1;
	return a->file < b->file ? -1 : a->file > b->file;
}

/* Mismatches among files [0, n) of one directory, sharing a stem. */
static int
stem_pairs(struct mm *m, const uint32_t *files, size_t n, int le)
{
	const char	*why = le ? "letsencrypt" : "same-stem";
	uint32_t	 c, k, cert, key, cf, kf;
	int		 locked;
	size_t		 i, j;

	for (i = 0; i < n; i++) {
		cf = files[i];
		if (file_priv(m->s, cf, &locked) != SX_NONE || locked ||
		    (cert = file_cert(m->s, cf)) == SX_NONE ||
		    (m->s->objs[cert].flags & SX_CA))
			continue;
		c = m->s->objs[cert].key;
		if (key_present(m, c, m->s->files[cf].dir, SX_NONE))
			continue;
		for (j = 0; j < n; j++) {
			kf = files[j];
			if (kf == cf ||
			    (key = file_priv(m->s, kf, &locked)) == SX_NONE)
				continue;
			if ((k = m->s->objs[key].key) != c &&
			    judge(m, key, cf, why, NULL) == -1)
				return -1;
		}
	}
	return 0;
}

/*
 * Files of a run with one directory and stem hash, split by their stems
 * themselves (a hash collision must not join two stems): each stem's
 * files are moved to the front of tmp and judged together.
 */
static int
stem_run(struct mm *m, const struct stem_of_file *run, size_t n,
    uint32_t *tmp)
{
	char		 a[512], b[512];
	unsigned char	*done;
	size_t		 i, j, k;
	int		 le, rc = 0;

	if ((done = calloc(n, 1)) == NULL)
		return -1;
	for (i = 0; i < n && rc == 0; i++) {
		if (done[i])
			continue;
		le = stem_of(m->s->files[run[i].file].path, a, sizeof(a));
		for (j = i, k = 0; j < n; j++) {
			if (done[j] || (j > i && (stem_of(m->s->files[
			    run[j].file].path, b, sizeof(b)), strcmp(a, b) != 0)))
				continue;
			done[j] = 1;
			tmp[k++] = run[j].file;
		}
		if (k > 1)
			rc = stem_pairs(m, tmp, k, le);
	}
	free(done);
	return rc;
}

/* Runs of files of one directory and stem hash, by their first file. */
struct stem_runs {
	uint32_t	 first;		/* the run's first file */
	uint32_t	 at;		/* where it starts in the sorted files */
	uint32_t	 n;
};

static int
cmp_run(const void *va, const void *vb)
{
	const struct stem_runs	*a = va, *b = vb;

	return a->first < b->first ? -1 : a->first > b->first;
}

/*
 * Files with objects, sorted by directory and stem hash; the runs of two
 * or more are judged in the order of their first file, as the files were
 * walked (each directory's names in order), so the report lists them so.
 */
static int
stems(struct mm *m)
{
	struct stem_of_file	*v;
	struct stem_runs	*runs;
	uint32_t		*tmp;
	char			 stem[512];
	size_t			 n = 0, nr = 0, i, j;
	uint32_t		 f;
	int			 rc = -1;

	v = calloc(m->s->nfiles + 1, sizeof(*v));
	runs = calloc(m->s->nfiles / 2 + 1, sizeof(*runs));
	tmp = calloc(m->s->nfiles + 1, sizeof(*tmp));
	if (v == NULL || runs == NULL || tmp == NULL)
		goto done;
	for (f = 0; f < m->s->nfiles; f++) {
		if (m->s->files[f].nobj == 0)
			continue;
		(void)stem_of(m->s->files[f].path, stem, sizeof(stem));
		v[n].dir = m->s->files[f].dir;
		v[n].file = f;
		v[n++].hash = cs_hash64(stem, strlen(stem));
	}
	qsort(v, n, sizeof(*v), cmp_stem);
	for (i = 0; i < n; i = j) {
		for (j = i + 1; j < n && v[j].dir == v[i].dir &&
		    v[j].hash == v[i].hash; j++)
			;
		if (j - i > 1)
			runs[nr++] = (struct stem_runs){ v[i].file, (uint32_t)i,
			    (uint32_t)(j - i) };
	}
	qsort(runs, nr, sizeof(*runs), cmp_run);
	rc = 0;
	for (i = 0; i < nr && rc == 0; i++)
		rc = stem_run(m, v + runs[i].at, runs[i].n, tmp);
done:
	free(v);
	free(runs);
	free(tmp);
	return rc;
}

/* -------------------------------------------------------- directories */

struct dirview {
	uint32_t	 key;		/* the one private key object */
	int		 keys;		/* distinct private keys */
	int		 locked;
	uint32_t	 certkey;	/* the one end-entity key */
	int		 certkeys;
	int		 le;
};

static void
dir_look(const struct mm *m, const uint32_t *files, size_t n,
    struct dirview *d)
{
	const struct sx_obj	*o;
	uint32_t		 i, f;
	size_t			 j;
	char			 stem[512];

	memset(d, 0, sizeof(*d));
	d->key = d->certkey = SX_NONE;
	for (j = 0; j < n; j++) {
		f = files[j];
		d->le |= stem_of(m->s->files[f].path, stem, sizeof(stem));
		for (i = m->s->files[f].first;
		    i < m->s->files[f].first + m->s->files[f].nobj; i++) {
			o = &m->s->objs[i];
			if (o->kind == CS_KIND_PRIVKEY && (o->flags & SX_LOCKED))
				d->locked++;
			else if (o->kind == CS_KIND_PRIVKEY && o->key != SX_NONE &&
			    (d->key == SX_NONE ||
			    m->s->objs[d->key].key != o->key)) {
				d->keys++;
				d->key = i;
			} else if (o->kind == CS_KIND_CERT && !(o->flags & SX_CA) &&
			    o->key != SX_NONE && o->key != d->certkey) {
				d->certkeys++;
				d->certkey = o->key;
			}
		}
	}
}

static int
one_dir(struct mm *m, const uint32_t *files, size_t n)
{
	struct dirview	 d;
	uint32_t	 cert;
	size_t		 j;

	dir_look(m, files, n, &d);
	if (d.keys != 1 || d.locked || d.certkeys != 1 ||
	    m->s->objs[d.key].key == d.certkey ||
	    key_present(m, d.certkey, SX_NONE, m->s->files[files[0]].top))
		return 0;
	for (j = 0; j < n; j++) {
		cert = file_cert(m->s, files[j]);
		if (files[j] == m->s->objs[d.key].file || cert == SX_NONE ||
		    (m->s->objs[cert].flags & SX_CA))
			continue;	/* the key's own file, or a CA bundle */
		if (judge(m, d.key, files[j], d.le ? "letsencrypt" :
		    "directory", NULL) == -1)
			return -1;
	}
	return 0;
}

static int
directories(struct mm *m)
{
	uint32_t	*cnt, *order, *fill;
	size_t		 nd = m->s->strings.n, f, d;
	int		 rc = -1;

	cnt = calloc(nd + 1, sizeof(*cnt));
	fill = calloc(nd + 1, sizeof(*fill));
	order = calloc(m->s->nfiles + 1, sizeof(*order));
	if (cnt == NULL || fill == NULL || order == NULL)
		goto done;
	for (f = 0; f < m->s->nfiles; f++)
		cnt[m->s->files[f].dir + 1]++;
	for (d = 0; d < nd; d++)
		cnt[d + 1] += cnt[d];
	memcpy(fill, cnt, nd * sizeof(*fill));
	for (f = 0; f < m->s->nfiles; f++)
		order[fill[m->s->files[f].dir]++] = (uint32_t)f;
	rc = 0;
	for (d = 0; d < nd && rc == 0; d++)
		if (cnt[d + 1] - cnt[d] > 1)
			rc = one_dir(m, order + cnt[d], cnt[d + 1] - cnt[d]);
done:
	free(cnt);
	free(fill);
	free(order);
	return rc;
}

/* --------------------------------------------------------------- all */

int
sx_mismatches(struct cs_scan *s, struct cs_fleet *fl, const uint32_t *by,
    const uint32_t *start)
{
	struct mm	 m = { .s = s, .fl = fl, .by = by, .start = start };
	size_t		 i;
	int		 rc = -1;

	if (s->confs.n > 0 && (s->pathix == NULL ||
	    s->npathix != s->nfiles) && path_index(s) == -1)
		goto done;
	for (i = 0; i < s->confs.n; i++)
		if (one_conf(&m, s->confs.v[i]) == -1)
			goto done;
	if (combined(&m) == -1 || stems(&m) == -1 || directories(&m) == -1)
		goto done;
	rc = 0;
done:
	cs_map_release(&m.seen);
	return rc;
}

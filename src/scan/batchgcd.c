/*
 * batchgcd.c - batch GCD over product and remainder trees (batchgcd.h).
 */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gmp.h>
#include <pthread.h>

#include "scan/batchgcd.h"

struct input {
	unsigned char	*n;		/* no leading zero byte; freed by run */
	size_t		 len;
	size_t		 id;
	size_t		 seq;		/* order of cs_bgcd_add */
	size_t		 uniq;		/* index of its distinct modulus */
	unsigned	 flags;
};

struct level {
	mpz_t		*v;
	size_t		 n;
};

/* Pairwise GCD among flagged moduli, before it becomes a cs_bgcd_group. */
struct fgroup {
	mpz_t		 v;
	size_t		*members;	/* indices of distinct moduli */
	size_t		 n, cap;
};

struct cs_bgcd {
	struct input	*in;
	size_t		 n_in, cap_in;
	mpz_t		*mod;		/* distinct valid moduli */
	mpz_t		*gcd;		/* gcd(R / N, N) of each */
	size_t		*first;		/* first input of each, inputs sorted */
	size_t		 n_u;
	unsigned char	**gcd_bytes;
	struct cs_bgcd_hit *hits;
	size_t		 n_hits;
	struct cs_bgcd_group *groups;
	size_t		 n_groups, cap_groups;
	int		 ran;
	char		 err[128];
};

static int
fail(struct cs_bgcd *b, const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	vsnprintf(b->err, sizeof(b->err), fmt, ap);
	va_end(ap);
	return -1;
}

struct cs_bgcd *
cs_bgcd_new(void)
{
	return calloc(1, sizeof(struct cs_bgcd));
}

static void
mpz_array_free(mpz_t *v, size_t n)
{
	size_t	 i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		mpz_clear(v[i]);
	free(v);
}

static mpz_t *
mpz_array_new(size_t n)
{
	mpz_t	*v;
	size_t	 i;

	if ((v = calloc(n ? n : 1, sizeof(*v))) == NULL)
		return NULL;
	for (i = 0; i < n; i++)
		mpz_init(v[i]);
	return v;
}

static void
groups_free(struct cs_bgcd *b)
{
	size_t	 i;

	for (i = 0; i < b->n_groups; i++) {
		free((void *)b->groups[i].value);
		free((void *)b->groups[i].ids);
	}
	free(b->groups);
}

void
cs_bgcd_free(struct cs_bgcd *b)
{
	size_t	 i;

	if (b == NULL)
		return;
	for (i = 0; i < b->n_in; i++)
		free(b->in[i].n);
	free(b->in);
	for (i = 0; b->gcd_bytes != NULL && i < b->n_u; i++)
		free(b->gcd_bytes[i]);
	free(b->gcd_bytes);
	mpz_array_free(b->mod, b->n_u);
	mpz_array_free(b->gcd, b->n_u);
	free(b->first);
	free(b->hits);
	groups_free(b);
	free(b);
}

const char *
cs_bgcd_error(const struct cs_bgcd *b)
{
	return b->err;
}

static int
grow_inputs(struct cs_bgcd *b)
{
	struct input	*in;
	size_t		 cap;

	if (b->n_in < b->cap_in)
		return 0;
	if (b->n_in >= CS_BGCD_MAX_MODULI)
		return fail(b, "more than %zu moduli", CS_BGCD_MAX_MODULI);
	cap = b->cap_in ? b->cap_in * 2 : 64;
	if ((in = realloc(b->in, cap * sizeof(*in))) == NULL)
		return fail(b, "out of memory");
	b->in = in;
	b->cap_in = cap;
	return 0;
}

int
cs_bgcd_add(struct cs_bgcd *b, const unsigned char *n, size_t len, size_t id)
{
	struct input	*in;

	if (b->ran)
		return fail(b, "cs_bgcd_add after cs_bgcd_run");
	while (len > 0 && n[0] == 0) {
		n++;
		len--;
	}
	if (len > CS_BGCD_MAX_BYTES)
		return fail(b, "modulus of %zu bytes", len);
	if (grow_inputs(b) == -1)
		return -1;
	in = &b->in[b->n_in];
	memset(in, 0, sizeof(*in));
	if ((in->n = malloc(len ? len : 1)) == NULL)
		return fail(b, "out of memory");
	if (len > 0)
		memcpy(in->n, n, len);
	in->len = len;
	in->id = id;
	in->seq = b->n_in++;
	if (len == 0 || (len == 1 && n[0] == 1))
		in->flags = CS_BGCD_INVALID;
	else if ((n[len - 1] & 1) == 0)
		in->flags = CS_BGCD_EVEN;
	return 0;
}

/* Invalid moduli last; then by value; then in order of addition. */
static int
cmp_input(const void *va, const void *vb)
{
	const struct input	*a = va, *b = vb;
	int			 ai = (a->flags & CS_BGCD_INVALID) != 0;
	int			 bi = (b->flags & CS_BGCD_INVALID) != 0;
	int			 c;

	if (ai != bi)
		return ai - bi;
	if (!ai && a->len != b->len)
		return a->len < b->len ? -1 : 1;
	if (!ai && (c = memcmp(a->n, b->n, a->len)) != 0)
		return c;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

static int
same_modulus(const struct input *a, const struct input *b)
{
	return a->len == b->len && memcmp(a->n, b->n, a->len) == 0;
}

/* Sorts the inputs and gives each distinct valid modulus one leaf. */
static int
distinct_moduli(struct cs_bgcd *b)
{
	size_t	 i, u = 0, end = 0;

	if (b->n_in > 0)
		qsort(b->in, b->n_in, sizeof(*b->in), cmp_input);
	if ((b->first = calloc(b->n_in + 1, sizeof(*b->first))) == NULL ||
	    (b->mod = mpz_array_new(b->n_in)) == NULL ||
	    (b->gcd = mpz_array_new(b->n_in)) == NULL)
		return fail(b, "out of memory");
	b->n_u = b->n_in;	/* every mpz_t initialised, for the free */
	for (i = 0; i < b->n_in; i++) {
		if (b->in[i].flags & CS_BGCD_INVALID)
			break;
		end = i + 1;
		if (i > 0 && same_modulus(&b->in[i - 1], &b->in[i])) {
			b->in[i].uniq = u - 1;
			continue;
		}
		b->first[u] = i;
		mpz_import(b->mod[u], b->in[i].len, 1, 1, 0, 0, b->in[i].n);
		b->in[i].uniq = u++;
	}
	for (i = 0; i < b->n_in; i++) {		/* the leaves hold them now */
		free(b->in[i].n);
		b->in[i].n = NULL;
	}
	for (i = u; i < b->n_in; i++) {
		mpz_clear(b->mod[i]);
		mpz_clear(b->gcd[i]);
	}
	b->n_u = u;
	b->first[u] = end;	/* invalid inputs, sorted last, are in none */
	return 0;
}

static void
levels_free(struct level *lv, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		mpz_array_free(lv[i].v, lv[i].n);
}

/* One level's worth of node computations, split over threads. */
struct job {
	void		(*node)(const struct job *, size_t);
	const struct level *in;		/* the level computed from */
	const struct level *leaves;	/* the level below it, if needed */
	mpz_t		*out;
	size_t		 lo, hi;	/* this thread's nodes */
};

/* out[i] = in[2i] in[2i + 1], or in[2i] alone at an odd end. */
static void
product_node(const struct job *j, size_t i)
{
	if (2 * i + 1 < j->in->n)
		mpz_mul(j->out[i], j->in->v[2 * i], j->in->v[2 * i + 1]);
	else
		mpz_set(j->out[i], j->in->v[2 * i]);
}

/* out[i] = in[i / 2] mod leaves[i]^2. */
static void
remainder_node(const struct job *j, size_t i)
{
	mpz_t	 sq;

	mpz_init(sq);
	mpz_mul(sq, j->leaves->v[i], j->leaves->v[i]);
	mpz_tdiv_r(j->out[i], j->in->v[i / 2], sq);
	mpz_clear(sq);
}

/* out[i] = gcd(R / N, N), R = in[i / 2] mod N^2, N = leaves[i]. */
static void
gcd_node(const struct job *j, size_t i)
{
	const mpz_t	*n = &j->leaves->v[i];
	mpz_t		 r;

	remainder_node(j, i);
	mpz_init(r);
	mpz_divexact(r, j->out[i], *n);
	mpz_gcd(j->out[i], r, *n);
	mpz_clear(r);
}

static void *
job_run(void *arg)
{
	const struct job	*j = arg;
	size_t			 i;

	for (i = j->lo; i < j->hi; i++)
		j->node(j, i);
	return NULL;
}

/*
 * Runs t over nodes [0, n), in contiguous shares on up to threads threads;
 * a thread that cannot be started has its share run here.
 */
static void
run_level(const struct job *t, size_t n, unsigned threads)
{
	struct job	 jobs[CS_BGCD_MAX_THREADS];
	pthread_t	 tid[CS_BGCD_MAX_THREADS];
	int		 started[CS_BGCD_MAX_THREADS];
	size_t		 k, nt;

	nt = threads < 1 ? 1 : threads > CS_BGCD_MAX_THREADS ?
	    CS_BGCD_MAX_THREADS : threads;
	if (nt > n)
		nt = n;
	for (k = 0; k < nt; k++) {
		jobs[k] = *t;
		jobs[k].lo = n * k / nt;
		jobs[k].hi = n * (k + 1) / nt;
		started[k] = k > 0 &&
		    pthread_create(&tid[k], NULL, job_run, &jobs[k]) == 0;
	}
	for (k = 0; k < nt; k++)
		if (!started[k])
			job_run(&jobs[k]);
	for (k = 1; k < nt; k++)
		if (started[k])
			pthread_join(tid[k], NULL);
}

/* Makes a level of n nodes from t's input level; -1: out of memory. */
static int
make_level(struct job *t, struct level *out, size_t n, unsigned threads)
{
	out->n = n;
	if ((out->v = mpz_array_new(n)) == NULL)
		return -1;
	t->out = out->v;
	run_level(t, n, threads);
	return 0;
}

/*
 * Only the leaves, every KEEP_STRIDE-th level and the root are kept once
 * built; a level in between is rebuilt from the kept one below when the
 * descent needs it. That bounds the tree to about a quarter of its levels
 * for some 10% more time.
 */
#define KEEP_STRIDE	4

/* Makes lv[c + 1..k] from lv[c], keeping only lv[k]; -1: out of memory. */
static int
product_levels(struct level *lv, size_t c, size_t k, unsigned threads)
{
	struct job	 t = { product_node, NULL, NULL, NULL, 0, 0 };
	size_t		 j;

	for (j = c; j < k; j++) {
		t.in = &lv[j];
		if (make_level(&t, &lv[j + 1], (lv[j].n + 1) / 2, threads) == -1)
			return -1;
		if (j > c) {
			mpz_array_free(lv[j].v, lv[j].n);
			lv[j].v = NULL;
		}
	}
	return 0;
}

/*
 * Builds levels 1..top over the leaves (level 0, not owned), keeping
 * those KEEP_STRIDE says; returns the number of levels including the
 * leaves, or 0 when out of memory.
 */
static size_t
product_tree(struct level *lv, mpz_t *leaves, size_t n, unsigned threads)
{
	size_t	 k;

	lv[0].v = leaves;
	lv[0].n = n;
	for (k = 0; lv[k].n > 1; k++) {
		if (product_levels(lv, k, k + 1, threads) == -1) {
			levels_free(lv + 1, k + 1);
			return 0;
		}
		if (k % KEEP_STRIDE != 0) {
			mpz_array_free(lv[k].v, lv[k].n);
			lv[k].v = NULL;
		}
	}
	return k + 1;
}

/* Level k of the product tree, rebuilt when it was not kept. */
static int
product_level(struct level *lv, size_t k, unsigned threads)
{
	if (lv[k].v != NULL)
		return 0;
	return product_levels(lv, k - k % KEEP_STRIDE, k, threads);
}

/*
 * Descends from the root (which becomes the first remainder level),
 * freeing each product and remainder level once the next one is made;
 * the leaves' remainders become their GCDs in gcd.
 */
static int
remainder_tree(struct level *lv, size_t nlv, mpz_t *gcd, unsigned threads)
{
	struct job	 t = { remainder_node, NULL, NULL, NULL, 0, 0 };
	struct level	 rem, next;
	size_t		 k = nlv - 1;

	rem = lv[k];
	lv[k].v = NULL;
	while (--k > 0) {
		t.in = &rem;
		t.leaves = &lv[k];
		if (product_level(lv, k, threads) == -1 ||
		    make_level(&t, &next, lv[k].n, threads) == -1) {
			mpz_array_free(rem.v, rem.n);
			levels_free(lv + 1, k);
			return -1;
		}
		mpz_array_free(rem.v, rem.n);
		mpz_array_free(lv[k].v, lv[k].n);
		lv[k].v = NULL;
		rem = next;
	}
	t.node = gcd_node;
	t.in = &rem;
	t.leaves = &lv[0];
	t.out = gcd;
	run_level(&t, lv[0].n, threads);
	mpz_array_free(rem.v, rem.n);
	return 0;
}

static int
batch_gcd(struct cs_bgcd *b, unsigned threads)
{
	struct level	 lv[64];
	size_t		 nlv, i;

	if (b->n_u < 2) {
		for (i = 0; i < b->n_u; i++)
			mpz_set_ui(b->gcd[i], 1);
		return 0;
	}
	memset(lv, 0, sizeof(lv));
	if ((nlv = product_tree(lv, b->mod, b->n_u, threads)) == 0 ||
	    remainder_tree(lv, nlv, b->gcd, threads) == -1)
		return fail(b, "out of memory");
	return 0;
}

static unsigned char *
export_bytes(const mpz_t v, size_t *len)
{
	unsigned char	*p;

	*len = (mpz_sizeinbase(v, 2) + 7) / 8;
	if ((p = malloc(*len ? *len : 1)) == NULL)
		return NULL;
	mpz_export(p, len, 1, 1, 0, 0, v);
	return p;
}

/* Flags every input from its modulus's GCD and duplicates. */
static int
flag_inputs(struct cs_bgcd *b)
{
	size_t	 u, i, len;

	if ((b->gcd_bytes = calloc(b->n_u + 1, sizeof(*b->gcd_bytes))) == NULL)
		return fail(b, "out of memory");
	for (u = 0; u < b->n_u; u++) {
		unsigned flags = 0;

		if (b->first[u + 1] - b->first[u] > 1)
			flags |= CS_BGCD_DUPLICATE;
		if (mpz_cmp_ui(b->gcd[u], 1) > 0) {
			flags |= CS_BGCD_SHARED;
			if ((b->gcd_bytes[u] = export_bytes(b->gcd[u], &len)) ==
			    NULL)
				return fail(b, "out of memory");
		}
		for (i = b->first[u]; i < b->first[u + 1]; i++)
			b->in[i].flags |= flags;
	}
	return 0;
}

static int
cmp_hit(const void *va, const void *vb)
{
	const struct cs_bgcd_hit	*a = va, *b = vb;

	return (a->id > b->id) - (a->id < b->id);
}

static int
collect_hits(struct cs_bgcd *b)
{
	struct cs_bgcd_hit	*h;
	size_t			 i;

	if ((b->hits = calloc(b->n_in + 1, sizeof(*b->hits))) == NULL)
		return fail(b, "out of memory");
	for (i = 0; i < b->n_in; i++) {
		const struct input *in = &b->in[i];

		if (in->flags == 0)
			continue;
		h = &b->hits[b->n_hits++];
		h->id = in->id;
		h->flags = in->flags;
		if (in->flags & CS_BGCD_SHARED) {
			h->gcd = b->gcd_bytes[in->uniq];
			h->gcd_len = (mpz_sizeinbase(b->gcd[in->uniq], 2) + 7) / 8;
		}
	}
	if (b->n_hits > 0)
		qsort(b->hits, b->n_hits, sizeof(*b->hits), cmp_hit);
	return 0;
}

static int
cmp_size(const void *va, const void *vb)
{
	size_t	 a = *(const size_t *)va, b = *(const size_t *)vb;

	return (a > b) - (a < b);
}

static struct cs_bgcd_group *
new_group(struct cs_bgcd *b)
{
	struct cs_bgcd_group	*g;
	size_t			 cap;

	if (b->n_groups == b->cap_groups) {
		cap = b->cap_groups ? b->cap_groups * 2 : 8;
		if ((g = realloc(b->groups, cap * sizeof(*g))) == NULL)
			return NULL;
		b->groups = g;
		b->cap_groups = cap;
	}
	g = &b->groups[b->n_groups++];
	memset(g, 0, sizeof(*g));
	return g;
}

/* A group of the ids of the given distinct moduli, with value v. */
static int
add_group(struct cs_bgcd *b, enum cs_bgcd_kind kind, const mpz_t v,
    const size_t *members, size_t n)
{
	struct cs_bgcd_group	*g;
	size_t			*ids, m, i, k = 0;

	for (m = 0; m < n; m++)
		k += b->first[members[m] + 1] - b->first[members[m]];
	if ((g = new_group(b)) == NULL ||
	    (ids = calloc(k, sizeof(*ids))) == NULL)
		return fail(b, "out of memory");
	g->ids = ids;
	g->n_ids = k;
	g->kind = kind;
	for (k = 0, m = 0; m < n; m++)
		for (i = b->first[members[m]]; i < b->first[members[m] + 1]; i++)
			ids[k++] = b->in[i].id;
	qsort(ids, k, sizeof(*ids), cmp_size);
	if ((g->value = export_bytes(v, &g->value_len)) == NULL)
		return fail(b, "out of memory");
	return 0;
}

static int
duplicate_groups(struct cs_bgcd *b)
{
	size_t	 u;

	for (u = 0; u < b->n_u; u++)
		if (b->first[u + 1] - b->first[u] > 1 &&
		    add_group(b, CS_BGCD_GROUP_DUPLICATE, b->mod[u], &u, 1) == -1)
			return -1;
	return 0;
}

struct fgroups {
	struct fgroup	*v;
	size_t		 n, cap;
};

static void
fgroups_release(struct fgroups *fg)
{
	size_t	 i;

	for (i = 0; i < fg->n; i++) {
		mpz_clear(fg->v[i].v);
		free(fg->v[i].members);
	}
	free(fg->v);
}

static int
fgroup_member(struct fgroup *g, size_t u)
{
	size_t	*m, i;

	for (i = 0; i < g->n; i++)
		if (g->members[i] == u)
			return 0;
	if (g->n == g->cap) {
		g->cap = g->cap ? g->cap * 2 : 4;
		if ((m = realloc(g->members, g->cap * sizeof(*m))) == NULL)
			return -1;
		g->members = m;
	}
	g->members[g->n++] = u;
	return 0;
}

/* The group of value v, created when new; NULL when out of memory. */
static struct fgroup *
fgroup_of(struct fgroups *fg, const mpz_t v)
{
	struct fgroup	*g;
	size_t		 i, cap;

	for (i = 0; i < fg->n; i++)
		if (mpz_cmp(fg->v[i].v, v) == 0)
			return &fg->v[i];
	if (fg->n == fg->cap) {
		cap = fg->cap ? fg->cap * 2 : 8;
		if ((g = realloc(fg->v, cap * sizeof(*g))) == NULL)
			return NULL;
		fg->v = g;
		fg->cap = cap;
	}
	g = &fg->v[fg->n++];
	memset(g, 0, sizeof(*g));
	mpz_init_set(g->v, v);
	return g;
}

/*
 * Pairwise GCD among the flagged distinct moduli only (quadratic in their
 * number, which batch GCD has made small); each distinct GCD above 1 is a
 * group.
 */
static int
pair_flagged(struct cs_bgcd *b, const size_t *fl, size_t nfl,
    struct fgroups *fg)
{
	struct fgroup	*grp;
	mpz_t		 g;
	size_t		 i, j;
	int		 rc = 0;

	mpz_init(g);
	for (i = 0; i < nfl && rc == 0; i++)
		for (j = i + 1; j < nfl && rc == 0; j++) {
			mpz_gcd(g, b->mod[fl[i]], b->mod[fl[j]]);
			if (mpz_cmp_ui(g, 1) == 0)
				continue;
			if ((grp = fgroup_of(fg, g)) == NULL ||
			    fgroup_member(grp, fl[i]) == -1 ||
			    fgroup_member(grp, fl[j]) == -1)
				rc = fail(b, "out of memory");
		}
	mpz_clear(g);
	return rc;
}

static int
factor_groups(struct cs_bgcd *b)
{
	struct fgroups	 fg = { NULL, 0, 0 };
	size_t		*fl = NULL, nfl = 0, u;
	int		 rc = -1;

	if ((fl = calloc(b->n_u + 1, sizeof(*fl))) == NULL) {
		fail(b, "out of memory");
		goto out;
	}
	for (u = 0; u < b->n_u; u++)
		if (mpz_cmp_ui(b->gcd[u], 1) > 0)
			fl[nfl++] = u;
	if (pair_flagged(b, fl, nfl, &fg) == -1)
		goto out;
	for (u = 0; u < fg.n; u++)
		if (add_group(b, CS_BGCD_GROUP_FACTOR, fg.v[u].v,
		    fg.v[u].members, fg.v[u].n) == -1)
			goto out;
	rc = 0;
out:
	fgroups_release(&fg);
	free(fl);
	return rc;
}

static int
cmp_group(const void *va, const void *vb)
{
	const struct cs_bgcd_group	*a = va, *b = vb;

	if (a->kind != b->kind)
		return a->kind == CS_BGCD_GROUP_DUPLICATE ? -1 : 1;
	if (a->value_len != b->value_len)
		return a->value_len < b->value_len ? -1 : 1;
	return memcmp(a->value, b->value, a->value_len);
}

int
cs_bgcd_run(struct cs_bgcd *b, unsigned threads)
{
	if (b->ran)
		return fail(b, "cs_bgcd_run called twice");
	b->ran = 1;
	if (distinct_moduli(b) == -1 || batch_gcd(b, threads) == -1 ||
	    flag_inputs(b) == -1 || collect_hits(b) == -1 ||
	    duplicate_groups(b) == -1 || factor_groups(b) == -1)
		return -1;
	if (b->n_groups > 0)	/* qsort's array must not be NULL */
		qsort(b->groups, b->n_groups, sizeof(*b->groups), cmp_group);
	return 0;
}

size_t
cs_bgcd_nhits(const struct cs_bgcd *b)
{
	return b->n_hits;
}

const struct cs_bgcd_hit *
cs_bgcd_hit(const struct cs_bgcd *b, size_t i)
{
	return i < b->n_hits ? &b->hits[i] : NULL;
}

size_t
cs_bgcd_ngroups(const struct cs_bgcd *b)
{
	return b->n_groups;
}

const struct cs_bgcd_group *
cs_bgcd_group(const struct cs_bgcd *b, size_t i)
{
	return i < b->n_groups ? &b->groups[i] : NULL;
}

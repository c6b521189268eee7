/*
 * batchgcd.c - batch GCD over product and remainder trees (batchgcd.h).
 */
#include "config.h"

#include <sys/types.h>

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include <gmp.h>
#if defined(HAVE_MALLOPT) && defined(HAVE_MALLOC_H)
#include <malloc.h>
#endif
#include <pthread.h>

#include "scan/batchgcd.h"
#include "util/par.h"

struct input {
	unsigned char	*n;		/* no leading zero byte; freed by run */
	size_t		 len;
	size_t		 id;
	size_t		 seq;		/* order of cs_bgcd_add */
	size_t		 uniq;		/* index of its distinct modulus */
	unsigned	 flags;
};

struct level {
	mpz_t		*v;		/* NULL: not in memory */
	size_t		*w;		/* fractions only: bits after the point */
	size_t		 n;
	int		 spilled;	/* products: written to the spill file */
	off_t		 off;		/* where */
	size_t		 limbs;		/* how many limbs in all */
};

/*
 * The product tree: its levels, and the unlinked temporary file the levels
 * between the leaves and the top are written to once built, to be read
 * back when the descent reaches them (spill NULL: none could be made, or
 * it failed; levels are then kept or rebuilt, see kept()).
 */
struct tree {
	struct level	 lv[64];
	size_t		 top;
	unsigned	 threads;
	int		 keep_all;	/* small: every level stays */
	int		 may_spill;	/* large: levels go to a file */
	FILE		*spill;
	off_t		 end;		/* of what the spill file holds */
	int		 no_write;	/* a write failed: read back only */
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
	size_t		 spill_min;	/* cs_bgcd_spill */
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
	struct cs_bgcd	*b;

	if ((b = calloc(1, sizeof(*b))) != NULL)
		b->spill_min = CS_BGCD_SPILL_MIN;
	return b;
}

void
cs_bgcd_spill(struct cs_bgcd *b, size_t min_bytes)
{
	b->spill_min = min_bytes;
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
level_free(struct level *l)
{
	mpz_array_free(l->v, l->n);
	free(l->w);
	l->v = NULL;
	l->w = NULL;
}

static void
levels_free(struct level *lv, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		level_free(&lv[i]);
}

/* A level of n fractions, all 0; -1: out of memory. */
static int
frac_level_new(struct level *f, size_t n)
{
	f->n = n;
	f->v = mpz_array_new(n);
	f->w = calloc(n ? n : 1, sizeof(*f->w));
	if (f->v == NULL || f->w == NULL) {
		level_free(f);
		return -1;
	}
	return 0;
}

/*
 * A thread's working numbers, reused from node to node: GMP keeps their
 * limbs, so a level's nodes do not each allocate (and fault in) numbers
 * of the size of the largest, and fractions are copied out of them at
 * their own size instead of keeping a product's allocation.
 */
struct scratch {
	mpz_t		 sq, prod, tmp, r;
};

/* One level's worth of node computations, split over threads. */
struct job {
	void		(*node)(const struct job *, size_t);
	struct scratch	*sc;		/* the running thread's */
	const struct level *in;		/* the level computed from */
	const struct level *prod;	/* products of the level computed */
	struct level	*out;
	size_t		 k;		/* index of the level computed */
	size_t		 least;		/* bits of the smallest leaf */
	int		 chunked;	/* top_node: divide in chunks */
};

/* out[i] = in[2i] in[2i + 1], or in[2i] alone at an odd end. */
static void
product_node(const struct job *j, size_t i)
{
	const struct level	*in = j->in;

	if (2 * i + 1 < in->n)
		mpz_mul(j->out->v[i], in->v[2 * i], in->v[2 * i + 1]);
	else
		mpz_set(j->out->v[i], in->v[2 * i]);
}

/*
 * Guard bits of every fraction. Each level of the descent adds at most
 * four units in the last place to a fraction's error (frac_mul: the bits
 * dropped, the truncation, and up to two from mul_low), and there are at
 * most 64 levels: frac(P / N^2) N is off by less than 2^-54 at a leaf.
 */
#define GUARD_BITS	64

/*
 * Bits after the point kept for a node of level k (leaves: 0) whose
 * product is q: bits(N) at a leaf N, and above it what a child c needs
 * before its sibling s squared is applied, its own bits and 2 bits(s),
 * at most 2 bits(q) + 2 - least for a child at level 1 (bits(N) + 2
 * bits(s) with bits(N) >= least) and so on up: 2 bits(q) + 2k - least.
 * Leaving out the least bits of a leaf saves a quarter of the work at
 * level 1, an eighth at level 2.
 */
static size_t
frac_bits(const mpz_t q, size_t k, size_t least)
{
	size_t	 b = mpz_sizeinbase(q, 2);

	return k == 0 ? b + GUARD_BITS : 2 * b + 2 * k - least + GUARD_BITS;
}

/*
 * GMP 6 has a wrap-around product, {rp, rn} = {ap, an} {bp, bn} mod
 * B^rn - 1 (0 < bn <= an <= rn, an + bn > rn / 2, rn from _next_size,
 * scratch tp of 2 rn + 4 limbs), at about the cost of a product of rn
 * limbs: the fractions need only the middle of each product, and with it
 * the descent takes a third less time than with mpz_mul. It is internal to
 * GMP (not in gmp.h), hence declared here and used only on the version
 * known to export it with this interface.
 */
#if __GNU_MP_VERSION == 6 && !defined(__MINI_GMP_H__) && \
    !defined(CS_BGCD_NO_WRAP)
#define CS_BGCD_WRAP	1
void		__gmpn_mulmod_bnm1(mp_ptr, mp_size_t, mp_srcptr, mp_size_t,
		    mp_srcptr, mp_size_t, mp_ptr);
mp_size_t	__gmpn_mulmod_bnm1_next_size(mp_size_t);
#endif

#ifdef CS_BGCD_WRAP
/*
 * out = x s mod 2^bits, give or take less than 2^bits(s) + 1 (mod 2^bits),
 * x < 2^bits, out distinct from x and s: the product modulo B^rn - 1, rn
 * limbs holding bits, is L + H with L the wanted low part and H the high
 * part folded over, below 2^bits(s).
 */
static void
mul_low(mpz_t out, const mpz_t x, const mpz_t s, size_t bits, mpz_t tmp)
{
	mp_size_t	 an = mpz_size(x), bn = mpz_size(s), rn;

	rn = __gmpn_mulmod_bnm1_next_size((bits + GMP_NUMB_BITS - 1) /
	    GMP_NUMB_BITS);
	if (an < bn || an + bn <= rn) {	/* small: the plain product */
		mpz_mul(out, x, s);
		mpz_tdiv_r_2exp(out, out, bits);
		return;
	}
	__gmpn_mulmod_bnm1(mpz_limbs_write(out, rn), rn, mpz_limbs_read(x),
	    an, mpz_limbs_read(s), bn, mpz_limbs_write(tmp, 2 * rn + 4));
	mpz_limbs_finish(out, rn);
	mpz_tdiv_r_2exp(out, out, bits);
}
#else
static void
mul_low(mpz_t out, const mpz_t x, const mpz_t s, size_t bits, mpz_t tmp)
{
	(void)tmp;
	mpz_mul(out, x, s);
	mpz_tdiv_r_2exp(out, out, bits);
}
#endif

/*
 * out = (a / 2^wa) s modulo 1, to w bits after the point (w + bits(s) <=
 * wa), out distinct from a and s. The low limbs of a too far down to reach
 * those w bits are left out (read in place, not copied); of the product
 * only the bits between s's size and the point are kept, the integer part
 * and the rest being of no use.
 */
static void
frac_mul(mpz_t out, const mpz_t a, size_t wa, const mpz_t s, size_t w,
    struct scratch *sc)
{
	size_t		 sb = mpz_sizeinbase(s, 2);
	mp_size_t	 skip = (wa - w - sb) / GMP_NUMB_BITS, n;
	size_t		 bits = wa - (size_t)skip * GMP_NUMB_BITS;
	mpz_t		 x;

	n = (mp_size_t)mpz_size(a) > skip ? (mp_size_t)mpz_size(a) - skip : 0;
	mpz_roinit_n(x, mpz_limbs_read(a) + (n > 0 ? skip : 0), n);
	mul_low(sc->prod, x, s, bits, sc->tmp);
	mpz_tdiv_q_2exp(out, sc->prod, bits - w);
}

/*
 * out = frac(P / Q^2) for node i of the level below in, to w bits, Q being
 * prod[i]: its parent's fraction times its sibling's product squared,
 * modulo 1 (the parent's product being Q times the sibling's).
 */
static void
child_frac(const struct job *j, size_t i, mpz_t out, size_t w)
{
	const struct level	*q = j->prod, *f = j->in;

	if ((i ^ 1) >= q->n) {		/* alone under its parent */
		mpz_tdiv_q_2exp(out, f->v[i / 2], f->w[i / 2] - w);
		return;
	}
	mpz_mul(j->sc->sq, q->v[i ^ 1], q->v[i ^ 1]);
	frac_mul(out, f->v[i / 2], f->w[i / 2], j->sc->sq, w, j->sc);
}

static void
frac_node(const struct job *j, size_t i)
{
	size_t	 w = frac_bits(j->prod->v[i], j->k, j->least);

	j->out->w[i] = w;
	child_frac(j, i, j->out->v[i], w);
}

/*
 * out[i] = gcd(P / N mod N, N), N = prod[i]: frac(P / N^2) N is P / N mod
 * N once rounded to the nearest integer, or N itself when the fraction is
 * just below 1 for 0, which has the same GCD.
 */
static void
gcd_node(const struct job *j, size_t i)
{
	const mpz_t	*n = &j->prod->v[i];
	size_t		 w = frac_bits(*n, 0, j->least);
	mpz_ptr		 r = j->sc->r;

	child_frac(j, i, r, w);
	mpz_mul(r, r, *n);
	mpz_tdiv_q_2exp(r, r, w - 1);	/* rounded: (r / 2^(w - 1) + 1) / 2 */
	mpz_add_ui(r, r, 1);
	mpz_tdiv_q_2exp(r, r, 1);
	mpz_gcd(j->out->v[i], r, *n);
}

/* A thread's copy of the level's job, with its scratch. */
struct job_thread {
	struct job	 j;
	struct scratch	 sc;
};

static void *
job_begin(const void *arg)
{
	struct job_thread	*t;

	if ((t = malloc(sizeof(*t))) == NULL)
		return NULL;
	t->j = *(const struct job *)arg;
	mpz_inits(t->sc.sq, t->sc.prod, t->sc.tmp, t->sc.r, NULL);
	t->j.sc = &t->sc;
	return t;
}

static int
job_node(void *state, size_t i)
{
	struct job_thread	*t = state;

	t->j.node(&t->j, i);
	return 0;
}

static void
job_end(void *state)
{
	struct job_thread	*t = state;

	mpz_clears(t->sc.sq, t->sc.prod, t->sc.tmp, t->sc.r, NULL);
	free(t);
}

/*
 * Runs t over nodes [0, n) on up to threads threads (cs_par_for: each
 * takes the next nodes not yet taken, as batch GCD shares the cores with
 * a scan's report). 0, or -1 when no thread had the memory to start.
 */
static int
run_level(const struct job *t, size_t n, unsigned threads)
{
	const struct cs_par	 p = { job_begin, job_node, job_end, t };

	return cs_par_for(&p, n, threads > CS_BGCD_MAX_THREADS ?
	    CS_BGCD_MAX_THREADS : threads);
}

/*
 * Every product level costs about the same memory, the moduli's size (25
 * MB for 100k RSA-2048 moduli), and the descent needs them in the reverse
 * order of their making. Below KEEP_ALL_BYTES of moduli, every level stays
 * in memory. Above, the leaves, the upper half of the levels and every
 * KEEP_STRIDE-th one below stay, and a level in between is rebuilt, with
 * the missing ones under it, from the nearest one below in memory when the
 * descent needs it: at 100k moduli rebuilding costs 1.5% of the run, where
 * keeping every level cost 255 MiB more at the peak (733 MiB). From
 * cs_bgcd_spill's size of moduli on, the kept levels would take more than
 * some 300 MB: each level between the leaves and the top is then written
 * to an unlinked temporary file in $TMPDIR (or /tmp) once built, freed,
 * and read back when the descent reaches it (380 MB of disk at 100k
 * moduli; 180 MiB less at the peak, for 2 to 5% more time, the page cache
 * being slower than a rebuild). When no such file can be made, the levels
 * are kept or rebuilt (never all kept); when a write fails, nothing more
 * is written, the levels from then on are kept or rebuilt, and those
 * written before are read back. A level that cannot be read back is
 * rebuilt from the nearest one below in memory or in the file. The results
 * are the same either way.
 */
#define KEEP_STRIDE	4
/* Below this size of moduli, every level stays: log2(moduli) levels of it. */
#define KEEP_ALL_BYTES	((size_t)4 << 20)

static int
kept(size_t k, size_t top)
{
	return k % KEEP_STRIDE == 0 || 2 * k >= top;
}

static void
spill_open(struct tree *t)
{
	const char	*dir = getenv("TMPDIR");
	char		 path[4096];
	int		 fd;

	t->spill = NULL;
	t->end = 0;
	if (dir == NULL || *dir == '\0')
		dir = "/tmp";
	if ((size_t)snprintf(path, sizeof(path), "%s/certsmith-bgcd-XXXXXX",
	    dir) >= sizeof(path) || (fd = mkstemp(path)) == -1)
		return;
	(void)unlink(path);
	(void)fcntl(fd, F_SETFD, FD_CLOEXEC);	/* not for a child's exec */
	if ((t->spill = fdopen(fd, "w+b")) == NULL)
		(void)close(fd);
	else
		(void)setvbuf(t->spill, NULL, _IOFBF, (size_t)1 << 20);
}

static void
spill_close(struct tree *t)
{
	if (t->spill != NULL)
		(void)fclose(t->spill);
	t->spill = NULL;
}

/*
 * Writes level k to the spill file, each node as its number of limbs
 * (a size_t) and the limbs themselves, as they are in memory: the file is
 * read back by this process only. 0 when it is there (and may be freed),
 * -1 when it is not (no file, or the write failed: nothing more is written,
 * the levels written before stay readable).
 */
static int
spill_write(struct tree *t, size_t k)
{
	struct level	*l = &t->lv[k];
	off_t		 end;
	size_t		 i, n;

	if (t->spill == NULL || t->no_write ||
	    fseeko(t->spill, t->end, SEEK_SET) == -1)
		goto fail;
	l->limbs = 0;
	for (i = 0; i < l->n; i++) {
		n = mpz_size(l->v[i]);
		if (fwrite(&n, sizeof(n), 1, t->spill) != 1 || (n > 0 &&
		    fwrite(mpz_limbs_read(l->v[i]), sizeof(mp_limb_t), n,
		    t->spill) != n))
			goto fail;
		l->limbs += n;
	}
	if (fflush(t->spill) == EOF || (end = ftello(t->spill)) == -1)
		goto fail;
	l->spilled = 1;
	l->off = t->end;
	t->end = end;
	return 0;
fail:
	if (t->spill != NULL)
		clearerr(t->spill);
	t->no_write = 1;
	return -1;
}

/* Reads level k back from the spill file; -1: it could not. */
static int
spill_read(struct tree *t, size_t k)
{
	struct level	*l = &t->lv[k];
	size_t		 i, n, left = l->limbs;

	if (t->spill == NULL || !l->spilled ||
	    fseeko(t->spill, l->off, SEEK_SET) == -1 ||
	    (l->v = mpz_array_new(l->n)) == NULL)
		return -1;
	for (i = 0; i < l->n; i++) {
		if (fread(&n, sizeof(n), 1, t->spill) != 1 || n > left ||
		    (n > 0 && fread(mpz_limbs_write(l->v[i], (mp_size_t)n),
		    sizeof(mp_limb_t), n, t->spill) != n)) {
			level_free(l);
			return -1;
		}
		mpz_limbs_finish(l->v[i], (mp_size_t)n);
		left -= n;
	}
	return 0;
}

/* Makes lv[k + 1] from lv[k]; -1: out of memory. */
static int
product_level_make(struct level *lv, size_t k, unsigned threads)
{
	struct job	 t;

	memset(&t, 0, sizeof(t));
	t.node = product_node;
	t.in = &lv[k];
	t.out = &lv[k + 1];
	lv[k + 1].n = (lv[k].n + 1) / 2;
	if ((lv[k + 1].v = mpz_array_new(lv[k + 1].n)) == NULL)
		return -1;
	return run_level(&t, lv[k + 1].n, threads);
}

/*
 * Builds levels 1..top over the leaves (level 0, not owned; n >= 3), top
 * being the level of two nodes under the root, which is never needed;
 * spills or keeps the levels in between. -1: out of memory.
 */
static int
product_tree(struct tree *t, mpz_t *leaves, size_t n)
{
	struct level	*lv = t->lv;
	size_t		 k;

	for (t->top = 0, k = n; k > 2; k = (k + 1) / 2)
		t->top++;
	lv[0].v = leaves;
	lv[0].n = n;
	if (t->may_spill)
		spill_open(t);
	for (k = 0; k < t->top; k++) {
		if (product_level_make(lv, k, t->threads) == -1) {
			levels_free(lv + 1, k + 1);
			return -1;
		}
		if (k > 0 && !t->keep_all &&
		    (spill_write(t, k) == 0 || !kept(k, t->top)))
			level_free(&lv[k]);
	}
	return 0;
}

/*
 * Level k of the product tree, read back or, when not in memory, rebuilt
 * from the nearest level below that is in memory or can be read back.
 */
static int
product_level(struct tree *t, size_t k)
{
	size_t	 c = k;

	if (t->lv[k].v != NULL || spill_read(t, k) == 0)
		return 0;
	while (--c > 0 && t->lv[c].v == NULL && spill_read(t, c) == -1)
		continue;
	for (; c < k; c++)
		if (product_level_make(t->lv, c, t->threads) == -1)
			return -1;
	return 0;
}

/*
 * The fraction of node i of the top level, the two nodes under the root:
 * with P = Q0 Q1, P / Q0^2 is Q1 / Q0, whose fractional part is (Q1 mod
 * Q0) / Q0, one division; the same for Q1.
 */
/*
 * frac(s / q) for the two children q and s of the root, to w bits. GMP's
 * division of the whole (3 bits(q) by bits(q)) takes scratch of some ten
 * times the moduli's size, the peak of the run: when the product tree is
 * spilled to save memory, it is done by long division in chunks of at
 * most bits(q) quotient bits, the last without a remainder, which take a
 * fraction of that (70 MiB less at the peak for 133k moduli) for a
 * remainder more to compute (2 to 5% of the run).
 */
static void
top_node(const struct job *j, size_t i)
{
	const struct level	*q = j->prod;
	mpz_t			*out = &j->out->v[i];
	mpz_ptr			 r = j->sc->r, qt = j->sc->tmp;
	size_t			 left, c, db = mpz_sizeinbase(q->v[i], 2);

	j->out->w[i] = frac_bits(q->v[i], j->k, j->least);
	if (!j->chunked) {
		mpz_tdiv_r(*out, q->v[i ^ 1], q->v[i]);
		mpz_mul_2exp(*out, *out, j->out->w[i]);
		mpz_tdiv_q(*out, *out, q->v[i]);
		return;
	}
	mpz_tdiv_r(r, q->v[i ^ 1], q->v[i]);
	mpz_set_ui(*out, 0);
	for (left = j->out->w[i]; left > 0; left -= c) {
		c = left > db ? db : left;
		mpz_mul_2exp(r, r, c);
		if (c == left)		/* the last: no remainder needed */
			mpz_tdiv_q(qt, r, q->v[i]);
		else
			mpz_tdiv_qr(qt, r, r, q->v[i]);
		mpz_mul_2exp(*out, *out, c);
		mpz_add(*out, *out, qt);
	}
}

/*
 * The top level's fractions into f, from the top level, which it frees.
 * The two divisions run side by side only while every level is kept (a
 * small tree, where they are a third of the run): for 100k moduli both at
 * once would add a good 150 MB to the peak, for a second or two.
 */
static int
top_fracs(struct tree *tr, size_t least, struct level *f)
{
	struct job	 t;
	int		 rc;

	memset(&t, 0, sizeof(t));
	t.node = top_node;
	t.chunked = tr->may_spill;
	t.prod = &tr->lv[tr->top];
	t.out = f;
	t.k = tr->top;
	t.least = least;
	if (frac_level_new(f, 2) == -1)
		return -1;
	rc = run_level(&t, 2, tr->keep_all ? tr->threads : 1);
	level_free(&tr->lv[tr->top]);
	if (rc == -1)
		level_free(f);
	return rc;
}

/*
 * Descends from the fractions of the top level to the leaves' GCDs in gcd,
 * bringing back each product level it needs, and freeing each product and
 * fraction level once the next one is made.
 */
static int
descend(struct tree *tr, mpz_t *gcd)
{
	struct level	*lv = tr->lv;
	struct level	 f, next, g = { gcd, NULL, lv[0].n, 0, 0, 0 };
	struct job	 t;
	size_t		 k = tr->top, least = SIZE_MAX, i;
	int		 rc;

	for (i = 0; i < lv[0].n; i++)
		if (mpz_sizeinbase(lv[0].v[i], 2) < least)
			least = mpz_sizeinbase(lv[0].v[i], 2);
	if (top_fracs(tr, least, &f) == -1) {
		levels_free(lv + 1, k);
		return -1;
	}
	memset(&t, 0, sizeof(t));
	t.least = least;
	t.node = frac_node;
	t.in = &f;
	t.out = &next;
	while (--k > 0) {
		t.prod = &lv[k];
		t.k = k;
		next.v = NULL;
		next.w = NULL;
		if (product_level(tr, k) == -1 ||
		    frac_level_new(&next, lv[k].n) == -1 ||
		    run_level(&t, lv[k].n, tr->threads) == -1) {
			level_free(&f);
			level_free(&next);
			levels_free(lv + 1, k);
			return -1;
		}
		level_free(&f);
		level_free(&lv[k]);
		f = next;
	}
	t.prod = &lv[0];
	t.k = 0;
	t.node = gcd_node;
	t.out = &g;
	rc = run_level(&t, lv[0].n, tr->threads);
	level_free(&f);
	return rc;
}

/* Two moduli share gcd(N0, N1); one shares nothing. */
static int
batch_gcd(struct cs_bgcd *b, unsigned threads)
{
	struct tree	 t;
	size_t		 i, bytes;
	int		 rc;

	if (b->n_u < 3) {
		for (i = 0; i < b->n_u; i++)
			if (b->n_u == 2)
				mpz_gcd(b->gcd[i], b->mod[0], b->mod[1]);
			else
				mpz_set_ui(b->gcd[i], 1);
		return 0;
	}
	memset(&t, 0, sizeof(t));
	t.threads = threads;
	for (i = 0, bytes = 0; i < b->n_u; i++)
		bytes += mpz_size(b->mod[i]) * sizeof(mp_limb_t);
	t.may_spill = bytes >= b->spill_min;
	t.keep_all = !t.may_spill && bytes < KEEP_ALL_BYTES;
	rc = product_tree(&t, b->mod, b->n_u) == -1 ||
	    descend(&t, b->gcd) == -1 ? -1 : 0;
	spill_close(&t);
	return rc == -1 ? fail(b, "out of memory") : 0;
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
 * Pairwise GCD among the given flagged distinct moduli (quadratic in their
 * number: factor_groups hands over only those it cannot group by their
 * GCDs); each distinct GCD above 1 is a group.
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

/* A flagged modulus and its GCD with the product of the others. */
struct flagged {
	mpz_srcptr	 g;
	size_t		 u;
};

static int
cmp_flagged(const void *va, const void *vb)
{
	const struct flagged	*a = va, *b = vb;
	int			 c = mpz_cmp(a->g, b->g);

	if (c != 0)
		return c;
	return a->u < b->u ? -1 : a->u > b->u;
}

/* Up to this many distinct GCDs, which of them meet is found pairwise;
 * above, by batch GCD over them. */
#define MEET_PAIRWISE	64

/*
 * meet[r] = whether vals[r] has a factor in common with another of the d
 * values (distinct, above 1); 0, or -1 when out of memory.
 */
static int
values_meet(const mpz_srcptr *vals, size_t d, unsigned threads, char *meet)
{
	struct cs_bgcd	 sub;
	mpz_t		 g;
	size_t		 i, j;
	int		 rc = 0;

	if (d <= MEET_PAIRWISE) {
		mpz_init(g);
		for (i = 0; i < d; i++)
			for (j = i + 1; j < d; j++) {
				mpz_gcd(g, vals[i], vals[j]);
				if (mpz_cmp_ui(g, 1) > 0)
					meet[i] = meet[j] = 1;
			}
		mpz_clear(g);
		return 0;
	}
	memset(&sub, 0, sizeof(sub));
	sub.n_u = d;
	if ((sub.mod = mpz_array_new(d)) == NULL ||
	    (sub.gcd = mpz_array_new(d)) == NULL)
		rc = -1;
	for (i = 0; rc == 0 && i < d; i++)
		mpz_set(sub.mod[i], vals[i]);
	/* Never spilled to a file (values at most the moduli's size, and
	 * only those of flagged moduli). */
	sub.spill_min = SIZE_MAX;
	if (rc == 0 && batch_gcd(&sub, threads) == -1)
		rc = -1;
	for (i = 0; rc == 0 && i < d; i++)
		meet[i] = mpz_cmp_ui(sub.gcd[i], 1) > 0;
	mpz_array_free(sub.mod, d);
	mpz_array_free(sub.gcd, d);
	return rc;
}

/*
 * The groups of moduli sharing a factor, among the flagged ones. A flagged
 * N has g = gcd(N, P / N) > 1, the part of N that other moduli share. Two
 * moduli share gcd(N, N'), which divides both their g's: moduli with the
 * same g share exactly that g, and moduli whose g's are coprime share
 * nothing. So the flagged moduli are bucketed by g; a bucket whose g has
 * no factor in common with another bucket's is a group as it stands, and
 * only the moduli of buckets whose g's meet go to pairwise GCD. Keys from
 * a generator that repeats primes make buckets of two or three and no
 * pairwise GCD at all, where pairwise GCD over every flagged modulus was
 * quadratic (12 million GCDs for 5,000 such keys).
 */
static int
factor_groups(struct cs_bgcd *b, unsigned threads)
{
	struct fgroups	 fg = { NULL, 0, 0 };
	struct flagged	*fl = NULL;
	mpz_srcptr	*vals = NULL;
	size_t		*run = NULL, *rest = NULL, *members = NULL;
	size_t		 nfl = 0, d = 0, nrest = 0, u, r, i;
	char		*meet = NULL;
	int		 rc = -1;

	if ((fl = calloc(b->n_u + 1, sizeof(*fl))) == NULL) {
		fail(b, "out of memory");
		goto out;
	}
	for (u = 0; u < b->n_u; u++)
		if (mpz_cmp_ui(b->gcd[u], 1) > 0) {
			fl[nfl].g = b->gcd[u];
			fl[nfl++].u = u;
		}
	if (nfl > 0)
		qsort(fl, nfl, sizeof(*fl), cmp_flagged);
	/* run[r]: where bucket r starts in fl; run[d] = nfl. */
	if ((run = calloc(nfl + 1, sizeof(*run))) == NULL ||
	    (vals = calloc(nfl + 1, sizeof(*vals))) == NULL ||
	    (meet = calloc(nfl + 1, 1)) == NULL ||
	    (rest = calloc(nfl + 1, sizeof(*rest))) == NULL ||
	    (members = calloc(nfl + 1, sizeof(*members))) == NULL) {
		fail(b, "out of memory");
		goto out;
	}
	for (i = 0; i < nfl; i++)
		if (i == 0 || mpz_cmp(fl[i].g, fl[i - 1].g) != 0) {
			run[d] = i;
			vals[d++] = fl[i].g;
		}
	run[d] = nfl;
	if (values_meet(vals, d, threads, meet) == -1) {
		fail(b, "out of memory");
		goto out;
	}
	for (r = 0; r < d; r++) {
		if (meet[r]) {
			for (i = run[r]; i < run[r + 1]; i++)
				rest[nrest++] = fl[i].u;
			continue;
		}
		for (i = run[r]; i < run[r + 1]; i++)
			members[i - run[r]] = fl[i].u;
		if (run[r + 1] - run[r] > 1 && add_group(b,
		    CS_BGCD_GROUP_FACTOR, vals[r], members,
		    run[r + 1] - run[r]) == -1)
			goto out;
	}
	if (nrest > 0) {
		qsort(rest, nrest, sizeof(*rest), cmp_size);
		if (pair_flagged(b, rest, nrest, &fg) == -1)
			goto out;
	}
	for (u = 0; u < fg.n; u++)
		if (add_group(b, CS_BGCD_GROUP_FACTOR, fg.v[u].v,
		    fg.v[u].members, fg.v[u].n) == -1)
			goto out;
	rc = 0;
out:
	fgroups_release(&fg);
	free(fl);
	free(vals);
	free(run);
	free(meet);
	free(rest);
	free(members);
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

/*
 * Every large product GMP makes allocates its scratch and frees it again.
 * glibc hands such blocks straight back to the kernel (munmap, or a trim of
 * the heap), and the next product faults the pages in zeroed once more: at
 * 100k moduli 360,000 page faults and 3 s of system time. Keeping freed
 * memory in the heap (blocks up to glibc's largest mmap threshold, no
 * trimming) spares most of them; the process keeps its peak heap until it
 * exits, which it does soon after the scan.
 */
static void
keep_heap(void)
{
#if defined(HAVE_MALLOPT) && defined(HAVE_MALLOC_H)
	(void)mallopt(M_MMAP_THRESHOLD, 32 * 1024 * 1024);
	(void)mallopt(M_TRIM_THRESHOLD, INT_MAX);
#endif
}

int
cs_bgcd_run(struct cs_bgcd *b, unsigned threads)
{
	static pthread_once_t	 once = PTHREAD_ONCE_INIT;

	if (b->ran)
		return fail(b, "cs_bgcd_run called twice");
	b->ran = 1;
	(void)pthread_once(&once, keep_heap);
	if (distinct_moduli(b) == -1 || batch_gcd(b, threads) == -1 ||
	    flag_inputs(b) == -1 || collect_hits(b) == -1 ||
	    duplicate_groups(b) == -1 || factor_groups(b, threads) == -1)
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

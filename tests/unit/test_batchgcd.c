/*
 * test_batchgcd - batch GCD over moduli built from known primes: primes
 * come from mpz_nextprime on numbers drawn from a fixed seed, so every run
 * builds the same moduli.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <gmp.h>

#include "scan/batchgcd.h"

#define NPRIMES	24

struct fixture {
	struct cs_bgcd	*b;
	mpz_t		 p[NPRIMES];	/* 128-bit primes, distinct */
	mpz_t		 big;		/* a 512-bit prime */
	mpz_t		 t;		/* scratch */
};

static int
setup(void **state)
{
	struct fixture	*f;
	gmp_randstate_t	 rs;
	int		 i;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	gmp_randinit_default(rs);
	gmp_randseed_ui(rs, 20121207);
	for (i = 0; i < NPRIMES; i++) {
		mpz_init(f->p[i]);
		mpz_urandomb(f->p[i], rs, 128);
		mpz_setbit(f->p[i], 127);
		mpz_nextprime(f->p[i], f->p[i]);
	}
	mpz_init(f->big);
	mpz_urandomb(f->big, rs, 512);
	mpz_setbit(f->big, 511);
	mpz_nextprime(f->big, f->big);
	mpz_init(f->t);
	gmp_randclear(rs);
	f->b = cs_bgcd_new();
	*state = f;
	return f->b == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;
	int		 i;

	if (f == NULL)
		return 0;
	for (i = 0; i < NPRIMES; i++)
		mpz_clear(f->p[i]);
	mpz_clear(f->big);
	mpz_clear(f->t);
	cs_bgcd_free(f->b);
	free(f);
	return 0;
}

static void
add_mpz(struct fixture *f, const mpz_t n, size_t id)
{
	unsigned char	 buf[512];
	size_t		 len;

	assert_true(mpz_sizeinbase(n, 256) <= sizeof(buf));
	mpz_export(buf, &len, 1, 1, 0, 0, n);
	assert_int_equal(cs_bgcd_add(f->b, buf, len, id), 0);
}

/* Adds p * q under id. */
static void
add_pq(struct fixture *f, const mpz_t p, const mpz_t q, size_t id)
{
	mpz_mul(f->t, p, q);
	add_mpz(f, f->t, id);
}

static void
assert_bytes(const unsigned char *got, size_t len, const mpz_t want)
{
	mpz_t	 v;

	assert_non_null(got);
	mpz_init(v);
	mpz_import(v, len, 1, 1, 0, 0, got);
	assert_int_equal(mpz_cmp(v, want), 0);
	mpz_clear(v);
}

static void
assert_hit(struct fixture *f, size_t i, size_t id, unsigned flags)
{
	const struct cs_bgcd_hit *h = cs_bgcd_hit(f->b, i);

	assert_non_null(h);
	assert_int_equal(h->id, id);
	assert_int_equal(h->flags, flags);
	if ((flags & CS_BGCD_SHARED) == 0) {
		assert_null(h->gcd);
		assert_int_equal(h->gcd_len, 0);
	}
}

static void
assert_group(struct fixture *f, size_t i, enum cs_bgcd_kind kind,
    const mpz_t value, const size_t *ids, size_t n)
{
	const struct cs_bgcd_group *g = cs_bgcd_group(f->b, i);

	assert_non_null(g);
	assert_int_equal(g->kind, kind);
	assert_bytes(g->value, g->value_len, value);
	assert_int_equal(g->n_ids, n);
	assert_memory_equal(g->ids, ids, n * sizeof(*ids));
}

static void
test_cs_bgcd_run_no_shared(void **state)
{
	struct fixture	*f = *state;
	size_t		 i;

	for (i = 0; i < 5; i++)
		add_pq(f, f->p[2 * i], f->p[2 * i + 1], i);
	assert_int_equal(cs_bgcd_run(f->b, 1), 0);
	assert_int_equal(cs_bgcd_nhits(f->b), 0);
	assert_int_equal(cs_bgcd_ngroups(f->b), 0);
	assert_string_equal(cs_bgcd_error(f->b), "");
}

static void
test_cs_bgcd_run_two_share_p(void **state)
{
	struct fixture	*f = *state;
	static const size_t ids[] = { 3, 7 };

	add_pq(f, f->p[0], f->p[1], 7);
	add_pq(f, f->p[2], f->p[3], 5);
	add_pq(f, f->p[0], f->p[4], 3);
	assert_int_equal(cs_bgcd_run(f->b, 1), 0);
	assert_int_equal(cs_bgcd_nhits(f->b), 2);
	assert_hit(f, 0, 3, CS_BGCD_SHARED);
	assert_hit(f, 1, 7, CS_BGCD_SHARED);
	assert_bytes(cs_bgcd_hit(f->b, 0)->gcd, cs_bgcd_hit(f->b, 0)->gcd_len,
	    f->p[0]);
	assert_int_equal(cs_bgcd_ngroups(f->b), 1);
	assert_group(f, 0, CS_BGCD_GROUP_FACTOR, f->p[0], ids, 2);
}

static void
test_cs_bgcd_run_three_share_p(void **state)
{
	struct fixture	*f = *state;
	static const size_t ids[] = { 10, 20, 30 };
	size_t		 i;

	for (i = 0; i < 3; i++)
		add_pq(f, f->p[5], f->p[i], ids[i]);
	add_pq(f, f->p[6], f->p[7], 40);
	assert_int_equal(cs_bgcd_run(f->b, 1), 0);
	assert_int_equal(cs_bgcd_nhits(f->b), 3);
	for (i = 0; i < 3; i++)
		assert_hit(f, i, ids[i], CS_BGCD_SHARED);
	assert_int_equal(cs_bgcd_ngroups(f->b), 1);
	assert_group(f, 0, CS_BGCD_GROUP_FACTOR, f->p[5], ids, 3);
}

/* A = p0 p1 shares p0 with B and p1 with C: its GCD is A itself. */
static void
test_cs_bgcd_run_both_primes_shared(void **state)
{
	struct fixture	*f = *state;
	static const size_t ab[] = { 0, 1 }, ac[] = { 0, 2 };
	const struct cs_bgcd_hit *h;

	add_pq(f, f->p[0], f->p[1], 0);
	add_pq(f, f->p[0], f->p[2], 1);
	add_pq(f, f->p[1], f->p[3], 2);
	assert_int_equal(cs_bgcd_run(f->b, 1), 0);
	assert_int_equal(cs_bgcd_nhits(f->b), 3);
	h = cs_bgcd_hit(f->b, 0);
	mpz_mul(f->t, f->p[0], f->p[1]);
	assert_bytes(h->gcd, h->gcd_len, f->t);
	assert_int_equal(cs_bgcd_ngroups(f->b), 2);
	if (mpz_cmp(f->p[0], f->p[1]) < 0) {
		assert_group(f, 0, CS_BGCD_GROUP_FACTOR, f->p[0], ab, 2);
		assert_group(f, 1, CS_BGCD_GROUP_FACTOR, f->p[1], ac, 2);
	} else {
		assert_group(f, 0, CS_BGCD_GROUP_FACTOR, f->p[1], ac, 2);
		assert_group(f, 1, CS_BGCD_GROUP_FACTOR, f->p[0], ab, 2);
	}
}

static void
test_cs_bgcd_run_duplicates(void **state)
{
	struct fixture	*f = *state;
	static const size_t ids[] = { 1, 4 };
	unsigned char	 buf[64];
	size_t		 len;

	add_pq(f, f->p[0], f->p[1], 4);
	add_pq(f, f->p[2], f->p[3], 2);
	mpz_mul(f->t, f->p[0], f->p[1]);
	buf[0] = buf[1] = 0;		/* leading zeros do not matter */
	mpz_export(buf + 2, &len, 1, 1, 0, 0, f->t);
	assert_int_equal(cs_bgcd_add(f->b, buf, len + 2, 1), 0);
	assert_int_equal(cs_bgcd_run(f->b, 1), 0);
	assert_int_equal(cs_bgcd_nhits(f->b), 2);
	assert_hit(f, 0, 1, CS_BGCD_DUPLICATE);
	assert_hit(f, 1, 4, CS_BGCD_DUPLICATE);
	assert_int_equal(cs_bgcd_ngroups(f->b), 1);
	assert_group(f, 0, CS_BGCD_GROUP_DUPLICATE, f->t, ids, 2);
}

/* A duplicated modulus that also shares a prime with a third. */
static void
test_cs_bgcd_run_duplicate_and_shared(void **state)
{
	struct fixture	*f = *state;
	static const size_t dup[] = { 0, 1 }, all[] = { 0, 1, 2 };

	add_pq(f, f->p[0], f->p[1], 0);
	add_pq(f, f->p[0], f->p[1], 1);
	add_pq(f, f->p[0], f->p[2], 2);
	assert_int_equal(cs_bgcd_run(f->b, 1), 0);
	assert_int_equal(cs_bgcd_nhits(f->b), 3);
	assert_hit(f, 0, 0, CS_BGCD_SHARED | CS_BGCD_DUPLICATE);
	assert_hit(f, 1, 1, CS_BGCD_SHARED | CS_BGCD_DUPLICATE);
	assert_hit(f, 2, 2, CS_BGCD_SHARED);
	assert_int_equal(cs_bgcd_ngroups(f->b), 2);
	mpz_mul(f->t, f->p[0], f->p[1]);
	assert_group(f, 0, CS_BGCD_GROUP_DUPLICATE, f->t, dup, 2);
	assert_group(f, 1, CS_BGCD_GROUP_FACTOR, f->p[0], all, 3);
}

static void
test_cs_bgcd_run_one_modulus(void **state)
{
	struct fixture	*f = *state;

	add_pq(f, f->p[0], f->p[1], 0);
	assert_int_equal(cs_bgcd_run(f->b, 1), 0);
	assert_int_equal(cs_bgcd_nhits(f->b), 0);
	assert_int_equal(cs_bgcd_ngroups(f->b), 0);
}

/* Two moduli: the tree is not needed, the result is the same. */
static void
test_cs_bgcd_run_two_moduli(void **state)
{
	struct fixture	*f = *state;
	static const size_t ids[] = { 4, 9 };
	const struct cs_bgcd_hit *h;

	add_pq(f, f->p[0], f->p[1], 9);
	add_pq(f, f->p[2], f->p[1], 4);
	assert_int_equal(cs_bgcd_run(f->b, 1), 0);
	assert_int_equal(cs_bgcd_nhits(f->b), 2);
	assert_hit(f, 0, 4, CS_BGCD_SHARED);
	assert_hit(f, 1, 9, CS_BGCD_SHARED);
	h = cs_bgcd_hit(f->b, 0);
	assert_bytes(h->gcd, h->gcd_len, f->p[1]);
	assert_int_equal(cs_bgcd_ngroups(f->b), 1);
	assert_group(f, 0, CS_BGCD_GROUP_FACTOR, f->p[1], ids, 2);
}

/* Two coprime moduli and one duplicate: nothing shared. */
static void
test_cs_bgcd_run_two_coprime(void **state)
{
	struct fixture	*f = *state;

	add_pq(f, f->p[0], f->p[1], 0);
	add_pq(f, f->p[2], f->p[3], 1);
	add_pq(f, f->p[2], f->p[3], 2);
	assert_int_equal(cs_bgcd_run(f->b, 1), 0);
	assert_int_equal(cs_bgcd_nhits(f->b), 2);
	assert_hit(f, 0, 1, CS_BGCD_DUPLICATE);
	assert_hit(f, 1, 2, CS_BGCD_DUPLICATE);
	assert_int_equal(cs_bgcd_ngroups(f->b), 1);
}

static void
test_cs_bgcd_run_empty(void **state)
{
	struct fixture	*f = *state;

	assert_int_equal(cs_bgcd_run(f->b, 1), 0);
	assert_int_equal(cs_bgcd_nhits(f->b), 0);
	assert_int_equal(cs_bgcd_ngroups(f->b), 0);
	assert_null(cs_bgcd_hit(f->b, 0));
	assert_null(cs_bgcd_group(f->b, 0));
}

/* Sizes from 64 to 640 bits; the shared prime is the 512-bit one. */
static void
test_cs_bgcd_run_mixed_sizes(void **state)
{
	struct fixture	*f = *state;
	static const size_t ids[] = { 1, 3 };
	mpz_t		 a, c;

	mpz_init_set_ui(a, 4294967311UL);	/* a 33-bit prime */
	mpz_init_set_ui(c, 4294967291UL);	/* the largest 32-bit prime */
	add_pq(f, a, f->p[0], 0);
	add_pq(f, f->big, f->p[1], 1);
	add_pq(f, f->p[2], f->p[3], 2);
	add_pq(f, f->big, c, 3);
	add_pq(f, a, c, 4);
	mpz_clear(a);
	mpz_clear(c);
	assert_int_equal(cs_bgcd_run(f->b, 1), 0);
	assert_int_equal(cs_bgcd_nhits(f->b), 4);	/* not 2 */
	assert_int_equal(cs_bgcd_ngroups(f->b), 3);
	assert_group(f, 2, CS_BGCD_GROUP_FACTOR, f->big, ids, 2);
}

/* Moduli far apart in size sharing nothing. */
static void
test_cs_bgcd_run_mixed_sizes_none(void **state)
{
	struct fixture	*f = *state;
	mpz_t		 a;

	mpz_init_set_ui(a, 4294967311UL);
	add_pq(f, a, f->p[0], 0);
	add_pq(f, f->big, f->p[1], 1);
	add_pq(f, f->big, f->big, 2);
	mpz_set_ui(a, 3);
	add_pq(f, a, f->p[2], 3);
	mpz_clear(a);
	assert_int_equal(cs_bgcd_run(f->b, 1), 0);
	assert_int_equal(cs_bgcd_nhits(f->b), 2);
	assert_hit(f, 0, 1, CS_BGCD_SHARED);
	assert_hit(f, 1, 2, CS_BGCD_SHARED);
	assert_int_equal(cs_bgcd_ngroups(f->b), 1);
}

/* An odd number of leaves at several levels; the pair at both ends. */
static void
test_cs_bgcd_run_odd_tree(void **state)
{
	struct fixture	*f = *state;
	static const size_t ids[] = { 0, 20 };
	size_t		 i;

	add_pq(f, f->p[0], f->p[1], 0);
	for (i = 1; i < 20; i++)
		add_pq(f, f->p[i + 1], f->p[i + 1], i);
	add_pq(f, f->p[0], f->p[23], 20);
	assert_int_equal(cs_bgcd_run(f->b, 1), 0);
	assert_int_equal(cs_bgcd_nhits(f->b), 2);
	assert_int_equal(cs_bgcd_ngroups(f->b), 1);
	assert_group(f, 0, CS_BGCD_GROUP_FACTOR, f->p[0], ids, 2);
}

/* A chain: modulus i is p[i] p[i + 1], and p[3] is in a third one. */
static struct cs_bgcd *
chain(struct fixture *f, unsigned threads)
{
	struct cs_bgcd	*save = f->b, *b;
	size_t		 i;

	assert_non_null(f->b = cs_bgcd_new());
	for (i = 0; i < 13; i++)
		add_pq(f, f->p[i], f->p[i + 1], i);
	add_pq(f, f->p[3], f->p[20], 11);
	assert_int_equal(cs_bgcd_run(f->b, threads), 0);
	b = f->b;
	f->b = save;
	return b;
}

/* Threads share each level out; the results are the same. */
static void
test_cs_bgcd_run_threads(void **state)
{
	struct fixture	*f = *state;
	struct cs_bgcd	*one = chain(f, 1), *three = chain(f, 3);
	static const size_t p3[] = { 2, 3, 11 };
	size_t		 i;

	assert_int_equal(cs_bgcd_nhits(one), 14);
	assert_int_equal(cs_bgcd_ngroups(one), 12);
	assert_int_equal(cs_bgcd_nhits(three), 14);
	assert_int_equal(cs_bgcd_ngroups(three), 12);
	for (i = 0; i < 14; i++) {
		const struct cs_bgcd_hit *a = cs_bgcd_hit(one, i);
		const struct cs_bgcd_hit *b = cs_bgcd_hit(three, i);

		assert_int_equal(a->flags, CS_BGCD_SHARED);
		assert_int_equal(a->id, b->id);
		assert_int_equal(a->gcd_len, b->gcd_len);
		assert_memory_equal(a->gcd, b->gcd, a->gcd_len);
	}
	for (i = 0; i < 12 && cs_bgcd_group(one, i)->n_ids != 3; i++)
		continue;
	cs_bgcd_free(three);
	cs_bgcd_free(f->b);
	f->b = one;
	assert_group(f, i, CS_BGCD_GROUP_FACTOR, f->p[3], p3, 3);
}

static void
test_cs_bgcd_add_invalid(void **state)
{
	struct fixture	*f = *state;
	static const unsigned char zero[] = { 0, 0 }, one[] = { 0, 1 };

	assert_int_equal(cs_bgcd_add(f->b, zero, sizeof(zero), 2), 0);
	assert_int_equal(cs_bgcd_add(f->b, one, sizeof(one), 1), 0);
	assert_int_equal(cs_bgcd_add(f->b, NULL, 0, 0), 0);
	add_pq(f, f->p[0], f->p[1], 3);
	assert_int_equal(cs_bgcd_run(f->b, 1), 0);
	assert_int_equal(cs_bgcd_nhits(f->b), 3);
	assert_hit(f, 0, 0, CS_BGCD_INVALID);
	assert_hit(f, 1, 1, CS_BGCD_INVALID);
	assert_hit(f, 2, 2, CS_BGCD_INVALID);
	assert_int_equal(cs_bgcd_ngroups(f->b), 0);
}

static void
test_cs_bgcd_run_even(void **state)
{
	struct fixture	*f = *state;
	static const size_t ids[] = { 0, 2 };
	const struct cs_bgcd_hit *h;
	mpz_t		 two;

	mpz_init_set_ui(two, 2);
	add_pq(f, two, f->p[0], 0);
	add_pq(f, f->p[1], f->p[2], 1);
	add_pq(f, two, f->p[3], 2);
	assert_int_equal(cs_bgcd_run(f->b, 1), 0);
	assert_int_equal(cs_bgcd_nhits(f->b), 2);
	assert_hit(f, 0, 0, CS_BGCD_SHARED | CS_BGCD_EVEN);
	h = cs_bgcd_hit(f->b, 1);
	assert_int_equal(h->gcd_len, 1);
	assert_int_equal(h->gcd[0], 2);
	assert_group(f, 0, CS_BGCD_GROUP_FACTOR, two, ids, 2);
	mpz_clear(two);
}

static void
test_cs_bgcd_run_twice(void **state)
{
	struct fixture	*f = *state;

	add_pq(f, f->p[0], f->p[1], 0);
	assert_int_equal(cs_bgcd_run(f->b, 1), 0);
	assert_int_equal(cs_bgcd_run(f->b, 1), -1);
	assert_int_equal(cs_bgcd_add(f->b, (const unsigned char *)"\x03", 1,
	    1), -1);
	assert_string_not_equal(cs_bgcd_error(f->b), "");
}

static void
test_cs_bgcd_add_too_long(void **state)
{
	struct fixture	*f = *state;
	unsigned char	*p;

	assert_non_null(p = calloc(1, CS_BGCD_MAX_BYTES + 1));
	p[0] = 1;
	assert_int_equal(cs_bgcd_add(f->b, p, CS_BGCD_MAX_BYTES + 1, 0), -1);
	free(p);
}

static void
test_cs_bgcd_free_null(void **state)
{
	(void)state;
	cs_bgcd_free(NULL);
}

/*
 * A randomized cross-check: moduli of mixed sizes (8 to 600 bits) from a
 * pool of primes, some sharing a prime by construction, some duplicated,
 * some even, one a square, checked against the definition: a distinct
 * modulus N's GCD is gcd(N, the product of all the other distinct ones).
 */
#define XN_POOL		640
#define XN_MOD		330

struct xcheck {
	mpz_t		 pool[XN_POOL];
	mpz_t		 mod[XN_MOD];
	size_t		 id[XN_MOD];
};

static void
xcheck_build(struct xcheck *x, gmp_randstate_t rs)
{
	static const unsigned long bits[] = { 6, 16, 31, 33, 64, 100, 300 };
	size_t		 i, a, c;

	for (i = 0; i < XN_POOL; i++) {
		mpz_init(x->pool[i]);
		mpz_urandomb(x->pool[i], rs, bits[i % 7]);
		mpz_setbit(x->pool[i], bits[i % 7] - 1);
		mpz_nextprime(x->pool[i], x->pool[i]);
	}
	for (i = 0; i < XN_MOD; i++) {
		mpz_init(x->mod[i]);
		x->id[i] = 5000 - 7 * i;
		a = 2 * i;			/* pairwise coprime */
		c = 2 * i + 1;
		if (i >= 300) {			/* one prime of modulus 5 j */
			a = 10 * (i - 300);
			c = i + 300;
		}
		if (i % 41 == 40)		/* anything */
			a = gmp_urandomm_ui(rs, XN_POOL);
		mpz_mul(x->mod[i], x->pool[a], x->pool[c]);
		if (i % 53 == 52)		/* a duplicate */
			mpz_set(x->mod[i], x->mod[i / 2]);
		if (i % 97 == 96)
			mpz_mul_2exp(x->mod[i], x->pool[c], 1);
	}
	mpz_mul(x->mod[7], x->pool[620], x->pool[620]);	/* as 320 */
}

static void
xcheck_free(struct xcheck *x)
{
	size_t	 i;

	for (i = 0; i < XN_POOL; i++)
		mpz_clear(x->pool[i]);
	for (i = 0; i < XN_MOD; i++)
		mpz_clear(x->mod[i]);
}

/* The flags and GCD input i should get; g is set to the GCD. */
static unsigned
xcheck_want(const struct xcheck *x, size_t i, mpz_t g)
{
	unsigned	 flags = 0;
	size_t		 j;
	mpz_t		 p;

	mpz_init_set_ui(p, 1);
	for (j = 0; j < XN_MOD; j++) {
		if (mpz_cmp(x->mod[j], x->mod[i]) == 0) {
			if (j != i)
				flags |= CS_BGCD_DUPLICATE;
			continue;
		}
		for (size_t k = 0; k < j; k++)	/* each distinct once */
			if (mpz_cmp(x->mod[k], x->mod[j]) == 0)
				goto next;
		mpz_mul(p, p, x->mod[j]);
next:		;
	}
	mpz_gcd(g, p, x->mod[i]);
	if (mpz_cmp_ui(g, 1) > 0)
		flags |= CS_BGCD_SHARED;
	if (mpz_even_p(x->mod[i]))
		flags |= CS_BGCD_EVEN;
	mpz_clear(p);
	return flags;
}

static const struct cs_bgcd_hit *
hit_of(const struct cs_bgcd *b, size_t id)
{
	size_t	 i;

	for (i = 0; i < cs_bgcd_nhits(b); i++)
		if (cs_bgcd_hit(b, i)->id == id)
			return cs_bgcd_hit(b, i);
	return NULL;
}

/* Every input's hit is what the definition says, and nothing else. */
static void
xcheck_hits(const struct xcheck *x, const struct cs_bgcd *b)
{
	const struct cs_bgcd_hit *h;
	size_t		 i, n = 0;
	unsigned	 flags;
	mpz_t		 g;

	mpz_init(g);
	for (i = 0; i < XN_MOD; i++) {
		flags = xcheck_want(x, i, g);
		h = hit_of(b, x->id[i]);
		if (flags == 0) {
			assert_null(h);
			continue;
		}
		n++;
		assert_non_null(h);
		assert_int_equal(h->flags, flags);
		if (flags & CS_BGCD_SHARED)
			assert_bytes(h->gcd, h->gcd_len, g);
	}
	assert_int_equal(cs_bgcd_nhits(b), n);
	assert_true(n > 20);
	mpz_clear(g);
}

static size_t
xcheck_index(const struct xcheck *x, size_t id)
{
	size_t	 i;

	for (i = 0; i < XN_MOD && x->id[i] != id; i++)
		continue;
	assert_true(i < XN_MOD);
	return i;
}

/* A factor group's value divides each member's modulus, and is > 1. */
static void
xcheck_groups(const struct xcheck *x, const struct cs_bgcd *b)
{
	const struct cs_bgcd_group *g;
	size_t		 i, k, nf = 0;
	mpz_t		 v;

	mpz_init(v);
	for (i = 0; i < cs_bgcd_ngroups(b); i++) {
		g = cs_bgcd_group(b, i);
		assert_true(g->n_ids >= 2);
		mpz_import(v, g->value_len, 1, 1, 0, 0, g->value);
		assert_true(mpz_cmp_ui(v, 1) > 0);
		nf += g->kind == CS_BGCD_GROUP_FACTOR;
		for (k = 0; k < g->n_ids; k++)
			assert_true(mpz_divisible_p(
			    x->mod[xcheck_index(x, g->ids[k])], v));
	}
	assert_true(nf > 10);
	mpz_clear(v);
}

static int
cmp_id(const void *va, const void *vb)
{
	size_t	 a = *(const size_t *)va, b = *(const size_t *)vb;

	return a < b ? -1 : a > b;
}

/*
 * The factor groups are exactly those of the definition, worked out the
 * slow way: every pair of distinct moduli sharing g > 1 puts the ids of
 * both (with their duplicates) in the group of value g.
 */
static void
exact_groups(const mpz_t *mod, const size_t *id, size_t n,
    const struct cs_bgcd *b)
{
	const struct cs_bgcd_group *gr;
	size_t		*want, *pi, *pj, np = 0, nw, i, j, k, nf = 0, nv = 0;
	mpz_t		*pg, v;
	char		*in, *used;

	assert_non_null(want = calloc(n, sizeof(*want)));
	assert_non_null(in = calloc(n, 1));
	assert_non_null(pi = calloc(n * n, sizeof(*pi)));
	assert_non_null(pj = calloc(n * n, sizeof(*pj)));
	assert_non_null(pg = calloc(n * n, sizeof(*pg)));
	mpz_init(v);
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++) {
			if (mpz_cmp(mod[i], mod[j]) == 0)
				continue;
			mpz_init(pg[np]);
			mpz_gcd(pg[np], mod[i], mod[j]);
			if (mpz_cmp_ui(pg[np], 1) <= 0) {
				mpz_clear(pg[np]);
				continue;
			}
			pi[np] = i;
			pj[np++] = j;
		}
	assert_non_null(used = calloc(np + 1, 1));
	for (k = 0; k < cs_bgcd_ngroups(b); k++) {
		gr = cs_bgcd_group(b, k);
		if (gr->kind != CS_BGCD_GROUP_FACTOR)
			continue;
		nf++;
		mpz_import(v, gr->value_len, 1, 1, 0, 0, gr->value);
		memset(in, 0, n);
		for (i = 0; i < np; i++)
			if (mpz_cmp(pg[i], v) == 0) {
				in[pi[i]] = in[pj[i]] = 1;
				used[i] = 1;
			}
		/* Duplicates of a member are members. */
		for (i = 0; i < n; i++)
			for (j = 0; j < n && !in[i]; j++)
				if (in[j] && mpz_cmp(mod[i], mod[j]) == 0)
					in[i] = 1;
		for (i = nw = 0; i < n; i++)
			if (in[i])
				want[nw++] = id[i];
		qsort(want, nw, sizeof(*want), cmp_id);
		assert_int_equal(gr->n_ids, nw);
		assert_memory_equal(gr->ids, want, nw * sizeof(*want));
	}
	/* No shared factor without its group, and one group per value. */
	for (i = 0; i < np; i++) {
		if (!used[i])
			fail_msg("no group for a shared factor");
		for (j = 0; j < i && mpz_cmp(pg[j], pg[i]) != 0; j++)
			continue;
		nv += j == i;
	}
	assert_int_equal(nf, nv);
	for (i = 0; i < np; i++)
		mpz_clear(pg[i]);
	mpz_clear(v);
	free(used);
	free(pg);
	free(pi);
	free(pj);
	free(want);
	free(in);
}

static void
test_cs_bgcd_run_cross_check(void **state)
{
	struct fixture	*f = *state;
	struct xcheck	 x;
	gmp_randstate_t	 rs;
	unsigned	 threads, pass;
	size_t		 i;
	char		*tmpdir = getenv("TMPDIR");
	struct rlimit	 fsize;
	void		(*old_xfsz)(int) = SIG_DFL;

	if (tmpdir != NULL)
		assert_non_null(tmpdir = strdup(tmpdir));
	gmp_randinit_default(rs);
	gmp_randseed_ui(rs, 4);
	xcheck_build(&x, rs);
	gmp_randclear(rs);
	/*
	 * The product tree spilled to a temporary file on one thread and on
	 * three; then with no temporary directory to spill it to (the levels
	 * are kept or rebuilt instead); then all kept in memory; then with
	 * the file's writes failing after the first few levels (a file size
	 * limit, its signal ignored): those are read back, the others kept
	 * or rebuilt.
	 */
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &fsize), 0);
	for (pass = 0; pass < 5; pass++) {
		threads = pass == 1 ? 3 : 1;
		if (pass == 2)
			assert_int_equal(setenv("TMPDIR",
			    "/nonexistent/certsmith-test", 1), 0);
		if (pass == 4) {
			struct rlimit small = fsize;

			small.rlim_cur = 12288;
			assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
			old_xfsz = signal(SIGXFSZ, SIG_IGN);
			if (tmpdir != NULL)
				assert_int_equal(setenv("TMPDIR", tmpdir, 1), 0);
			else
				assert_int_equal(unsetenv("TMPDIR"), 0);
		}
		cs_bgcd_free(f->b);
		assert_non_null(f->b = cs_bgcd_new());
		cs_bgcd_spill(f->b, pass == 3 ? SIZE_MAX : 0);
		for (i = 0; i < XN_MOD; i++)
			add_mpz(f, x.mod[i], x.id[i]);
		assert_int_equal(cs_bgcd_run(f->b, threads), 0);
		xcheck_hits(&x, f->b);
		xcheck_groups(&x, f->b);
		exact_groups((const mpz_t *)x.mod, x.id, XN_MOD, f->b);
	}
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &fsize), 0);
	signal(SIGXFSZ, old_xfsz);
	if (tmpdir != NULL)
		assert_int_equal(setenv("TMPDIR", tmpdir, 1), 0);
	else
		assert_int_equal(unsetenv("TMPDIR"), 0);
	free(tmpdir);
	xcheck_free(&x);
}

/*
 * Many groups, as keys from a generator that repeats primes give: 90 pairs
 * each sharing a prime of its own (more distinct shared values than are
 * compared pairwise), one prime in six moduli, a triangle (A and B share
 * x, B and C share y: B's shared part is all of B), and moduli sharing
 * nothing. The groups are exactly the definition's.
 */
#define MG_PAIRS	90
#define MG_MOD		(2 * MG_PAIRS + 6 + 3 + 20)

static void
test_cs_bgcd_run_many_groups(void **state)
{
	struct fixture	*f = *state;
	gmp_randstate_t	 rs;
	mpz_t		 pr[2 * MG_MOD], mod[MG_MOD];
	size_t		 id[MG_MOD], i, n = 0, np = 0;

	gmp_randinit_default(rs);
	gmp_randseed_ui(rs, 2012);
	for (i = 0; i < 2 * MG_MOD; i++) {
		mpz_init(pr[i]);
		mpz_urandomb(pr[i], rs, 64);
		mpz_setbit(pr[i], 63);
		mpz_nextprime(pr[i], pr[i]);
	}
	gmp_randclear(rs);
	for (i = 0; i < MG_MOD; i++)
		mpz_init(mod[i]);
	for (i = 0; i < MG_PAIRS; i++, np += 3) {
		mpz_mul(mod[n++], pr[np], pr[np + 1]);
		mpz_mul(mod[n++], pr[np], pr[np + 2]);
	}
	for (i = 0; i < 6; i++)
		mpz_mul(mod[n++], pr[np], pr[np + 1 + i]);
	np += 7;
	mpz_mul(mod[n++], pr[np], pr[np + 1]);		/* A = w x */
	mpz_mul(mod[n++], pr[np + 1], pr[np + 2]);	/* B = x y */
	mpz_mul(mod[n++], pr[np + 2], pr[np + 3]);	/* C = y z */
	np += 4;
	while (n < MG_MOD) {
		mpz_mul(mod[n++], pr[np], pr[np + 1]);
		np += 2;
	}
	assert_true(np <= 2 * MG_MOD);
	for (i = 0; i < MG_MOD; i++) {
		id[i] = (i * 37) % MG_MOD;	/* not in modulus order */
		add_mpz(f, mod[i], id[i]);
	}
	assert_int_equal(cs_bgcd_run(f->b, 2), 0);
	assert_int_equal(cs_bgcd_ngroups(f->b), MG_PAIRS + 1 + 2);
	exact_groups((const mpz_t *)mod, id, MG_MOD, f->b);
	for (i = 0; i < 2 * MG_MOD; i++)
		mpz_clear(pr[i]);
	for (i = 0; i < MG_MOD; i++)
		mpz_clear(mod[i]);
}

#define T(fn) cmocka_unit_test_setup_teardown(fn, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_cs_bgcd_run_no_shared),
		T(test_cs_bgcd_run_two_share_p),
		T(test_cs_bgcd_run_three_share_p),
		T(test_cs_bgcd_run_both_primes_shared),
		T(test_cs_bgcd_run_duplicates),
		T(test_cs_bgcd_run_duplicate_and_shared),
		T(test_cs_bgcd_run_one_modulus),
		T(test_cs_bgcd_run_empty),
		T(test_cs_bgcd_run_two_moduli),
		T(test_cs_bgcd_run_two_coprime),
		T(test_cs_bgcd_run_mixed_sizes),
		T(test_cs_bgcd_run_mixed_sizes_none),
		T(test_cs_bgcd_run_odd_tree),
		T(test_cs_bgcd_run_threads),
		T(test_cs_bgcd_add_invalid),
		T(test_cs_bgcd_run_even),
		T(test_cs_bgcd_run_twice),
		T(test_cs_bgcd_add_too_long),
		T(test_cs_bgcd_run_cross_check),
		T(test_cs_bgcd_run_many_groups),
		cmocka_unit_test(test_cs_bgcd_free_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

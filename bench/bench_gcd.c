/*
 * bench_gcd - batch GCD (cs_bgcd) over a fleet of RSA-2048-sized moduli.
 *
 *   bench_gcd [-n N] [-k K] [-s SEED] [-j THREADS] [-S SPILL_BYTES]
 *
 * Builds N moduli (default 100000) of 2040 to 2090 bits, plants K primes
 * (default 20) each shared by two moduli and one duplicated modulus, runs
 * cs_bgcd_run once and checks that exactly the planted pairs and the
 * duplicate are reported, with THREADS threads (default 1: issue 4's
 * target is one core), the product tree going to a temporary file from
 * SPILL_BYTES of moduli on (default: cs_bgcd_spill's). Prints the seconds
 * spent building the moduli and in batch GCD (CLOCK_MONOTONIC) and the peak
 * RSS (getrusage). Exits 1 when the check fails, 2 on a usage or run error.
 *
 * The moduli are a stand-in for real RSA moduli: generating 2N random
 * 1024-bit primes takes some 36 ms each here (two hours for 100k moduli),
 * so each modulus is instead the product of about 51 consecutive primes
 * just above 2^40, taken from a segmented sieve. No prime is used twice,
 * so the moduli are pairwise coprime by construction, which random odd
 * numbers are not (most share a small factor). Batch GCD costs the same:
 * it depends only on the sizes of the numbers, never on their factors.
 * A planted modulus is a random 1024-bit prime (mpz_nextprime) times
 * about 1024 bits of sieve primes, and shares that prime with one other.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <gmp.h>

#include "scan/batchgcd.h"

#define SIEVE_SEG	((uint64_t)1 << 20)
#define SIEVE_BASE	((uint32_t)1 << 21)	/* > sqrt of the range sieved */
#define SIEVE_START	((uint64_t)1 << 40)
#define MOD_BITS	2040

struct sieve {
	uint32_t	*base;		/* primes below SIEVE_BASE */
	size_t		 nbase;
	unsigned char	*seg;		/* 1: composite */
	uint64_t	 lo;		/* the segment is [lo, lo + SIEVE_SEG) */
	uint64_t	 pos;
};

struct opts {
	size_t		 n, k;
	unsigned long	 seed;
	unsigned	 threads;
	size_t		 spill;		/* -S: cs_bgcd_spill, 0: its default */
};

struct plant {
	size_t		 a, b;		/* the two moduli */
	mpz_t		 p;
};

struct fleet {
	struct opts	 o;
	struct plant	*pl;		/* k shared primes, then the duplicate */
	size_t		*of;		/* per modulus: its plant, or SIZE_MAX */
};

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
sieve_init(struct sieve *s)
{
	unsigned char	*c;
	uint32_t	 i, j;

	memset(s, 0, sizeof(*s));
	if ((c = calloc(SIEVE_BASE, 1)) == NULL ||
	    (s->base = calloc(SIEVE_BASE / 8, sizeof(*s->base))) == NULL ||
	    (s->seg = malloc(SIEVE_SEG)) == NULL) {
		free(c);
		return -1;
	}
	for (i = 2; i < SIEVE_BASE; i++) {
		if (c[i])
			continue;
		s->base[s->nbase++] = i;
		for (j = i * 2; j < SIEVE_BASE; j += i)
			c[j] = 1;
	}
	free(c);
	s->lo = SIEVE_START - SIEVE_SEG;
	s->pos = SIEVE_SEG;
	return 0;
}

static void
sieve_segment(struct sieve *s)
{
	uint64_t	 m;
	size_t		 i;

	s->lo += SIEVE_SEG;
	s->pos = 0;
	memset(s->seg, 0, SIEVE_SEG);
	for (i = 0; i < s->nbase; i++) {
		uint64_t p = s->base[i];

		for (m = (s->lo + p - 1) / p * p; m < s->lo + SIEVE_SEG; m += p)
			s->seg[m - s->lo] = 1;
	}
}

static uint64_t
sieve_next(struct sieve *s)
{
	for (;;) {
		if (s->pos == SIEVE_SEG)
			sieve_segment(s);
		if (!s->seg[s->pos++])
			return s->lo + s->pos - 1;
	}
}

static void
sieve_free(struct sieve *s)
{
	free(s->base);
	free(s->seg);
}

/* Multiplies m by sieve primes until it has at least MOD_BITS bits. */
static void
fill_modulus(mpz_t m, struct sieve *s)
{
	while (mpz_sizeinbase(m, 2) < MOD_BITS)
		mpz_mul_ui(m, m, (unsigned long)sieve_next(s));
}

static size_t
pick_free(struct fleet *f, gmp_randstate_t rs)
{
	size_t	 i;

	do
		i = (size_t)gmp_urandomm_ui(rs, (unsigned long)f->o.n);
	while (f->of[i] != SIZE_MAX);
	return i;
}

/* Chooses the planted pairs: k shared primes, then one duplicate. */
static int
plant(struct fleet *f)
{
	gmp_randstate_t	 rs;
	size_t		 i;

	if ((f->of = malloc(f->o.n * sizeof(*f->of))) == NULL ||
	    (f->pl = calloc(f->o.k + 1, sizeof(*f->pl))) == NULL)
		return -1;
	for (i = 0; i < f->o.n; i++)
		f->of[i] = SIZE_MAX;
	gmp_randinit_default(rs);
	gmp_randseed_ui(rs, f->o.seed);
	for (i = 0; i <= f->o.k; i++) {
		f->pl[i].a = pick_free(f, rs);
		f->of[f->pl[i].a] = i;
		f->pl[i].b = pick_free(f, rs);
		f->of[f->pl[i].b] = i;
		mpz_init(f->pl[i].p);
		mpz_urandomb(f->pl[i].p, rs, 1024);
		mpz_setbit(f->pl[i].p, 1023);
		if (i < f->o.k)
			mpz_nextprime(f->pl[i].p, f->pl[i].p);
	}
	gmp_randclear(rs);
	return 0;
}

static int
add_modulus(struct cs_bgcd *b, const mpz_t m, size_t id)
{
	unsigned char	 buf[CS_BGCD_MAX_BYTES];
	size_t		 len;

	mpz_export(buf, &len, 1, 1, 0, 0, m);
	return cs_bgcd_add(b, buf, len, id);
}

/*
 * Modulus i: fresh sieve primes, after its planted prime if it has one;
 * the second of the duplicate pair is a copy of the first.
 */
static int
build(struct fleet *f, struct cs_bgcd *b, struct sieve *s)
{
	mpz_t	 m;
	size_t	 i, pi;
	int	 rc = 0;

	mpz_init(m);
	for (i = 0; i < f->o.n && rc == 0; i++) {
		pi = f->of[i];
		if (pi == f->o.k && i == f->pl[pi].b)
			continue;		/* the duplicate, added below */
		mpz_set_ui(m, 1);
		if (pi != SIZE_MAX && pi < f->o.k)
			mpz_set(m, f->pl[pi].p);
		fill_modulus(m, s);
		if (pi == f->o.k)
			mpz_set(f->pl[pi].p, m);
		rc = add_modulus(b, m, i);
	}
	if (rc == 0)
		rc = add_modulus(b, f->pl[f->o.k].p, f->pl[f->o.k].b);
	mpz_clear(m);
	return rc;
}

static int
check_hit(const struct fleet *f, const struct cs_bgcd_hit *h)
{
	const struct plant	*p;
	mpz_t			 g;
	int			 ok;

	if (h->id >= f->o.n || f->of[h->id] == SIZE_MAX)
		return 0;
	p = &f->pl[f->of[h->id]];
	if (f->of[h->id] == f->o.k)
		return h->flags == CS_BGCD_DUPLICATE;
	if (h->flags != CS_BGCD_SHARED)
		return 0;
	mpz_init(g);
	mpz_import(g, h->gcd_len, 1, 1, 0, 0, h->gcd);
	ok = mpz_cmp(g, p->p) == 0;
	mpz_clear(g);
	return ok;
}

static int
check_group(const struct fleet *f, const struct cs_bgcd_group *g)
{
	const struct plant	*p;
	size_t			 lo, hi;

	if (g->n_ids != 2 || g->ids[0] >= f->o.n || f->of[g->ids[0]] ==
	    SIZE_MAX)
		return 0;
	p = &f->pl[f->of[g->ids[0]]];
	lo = p->a < p->b ? p->a : p->b;
	hi = p->a < p->b ? p->b : p->a;
	if (g->ids[0] != lo || g->ids[1] != hi)
		return 0;
	return (g->kind == CS_BGCD_GROUP_DUPLICATE) == (f->of[lo] == f->o.k);
}

/* Exactly the planted pairs, each once: 2 (k + 1) hits, k + 1 groups. */
static int
check(const struct fleet *f, const struct cs_bgcd *b)
{
	size_t	 i, bad = 0;

	for (i = 0; i < cs_bgcd_nhits(b); i++)
		bad += !check_hit(f, cs_bgcd_hit(b, i));
	for (i = 0; i < cs_bgcd_ngroups(b); i++)
		bad += !check_group(f, cs_bgcd_group(b, i));
	printf("found: %zu hits, %zu groups (planted %zu, %zu), %zu wrong\n",
	    cs_bgcd_nhits(b), cs_bgcd_ngroups(b), 2 * (f->o.k + 1),
	    f->o.k + 1, bad);
	return bad == 0 && cs_bgcd_nhits(b) == 2 * (f->o.k + 1) &&
	    cs_bgcd_ngroups(b) == f->o.k + 1 ? 0 : -1;
}

static int
parse(int argc, char **argv, struct opts *o)
{
	int	 ch;

	o->n = 100000;
	o->k = 20;
	o->seed = 4;
	o->threads = 1;
	o->spill = 0;
	while ((ch = getopt(argc, argv, "n:k:s:j:S:")) != -1) {
		if (ch == 'n')
			o->n = strtoul(optarg, NULL, 10);
		else if (ch == 'k')
			o->k = strtoul(optarg, NULL, 10);
		else if (ch == 's')
			o->seed = strtoul(optarg, NULL, 10);
		else if (ch == 'j')
			o->threads = (unsigned)strtoul(optarg, NULL, 10);
		else if (ch == 'S')
			o->spill = strtoul(optarg, NULL, 10);
		else
			return -1;
	}
	if (optind != argc || o->n < 2 * (o->k + 1) || o->n > CS_BGCD_MAX_MODULI)
		return -1;
	return 0;
}

static void
fleet_free(struct fleet *f)
{
	size_t	 i;

	for (i = 0; f->pl != NULL && i <= f->o.k; i++)
		mpz_clear(f->pl[i].p);
	free(f->pl);
	free(f->of);
}

static long
peak_rss_kb(void)
{
	struct rusage	 ru;

	if (getrusage(RUSAGE_SELF, &ru) == -1)
		return -1;
	return ru.ru_maxrss;
}

static int
run(struct fleet *f, struct cs_bgcd *b, struct sieve *s)
{
	double	 t0, t1, t2;

	t0 = now();
	if (plant(f) == -1 || build(f, b, s) == -1) {
		fprintf(stderr, "bench_gcd: building the moduli failed\n");
		return 2;
	}
	t1 = now();
	if (cs_bgcd_run(b, f->o.threads) == -1) {
		fprintf(stderr, "bench_gcd: %s\n", cs_bgcd_error(b));
		return 2;
	}
	t2 = now();
	printf("moduli: %zu of %d+ bits, %zu shared primes + 1 duplicate "
	    "planted, %u thread(s)\n", f->o.n, MOD_BITS, f->o.k, f->o.threads);
	printf("build: %.2f s\nbatch gcd: %.2f s\npeak rss: %.1f MiB\n",
	    t1 - t0, t2 - t1, (double)peak_rss_kb() / 1024.0);
	return check(f, b) == 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	struct fleet	 f;
	struct sieve	 s;
	struct cs_bgcd	*b = NULL;
	int		 rc = 2;

	memset(&f, 0, sizeof(f));
	memset(&s, 0, sizeof(s));
	if (parse(argc, argv, &f.o) == -1) {
		fprintf(stderr, "usage: bench_gcd [-n N] [-k K] [-s SEED] "
		    "[-j THREADS] [-S SPILL_BYTES] (N >= 2 (K + 1))\n");
		return 2;
	}
	if (sieve_init(&s) == -1 || (b = cs_bgcd_new()) == NULL)
		fprintf(stderr, "bench_gcd: out of memory\n");
	else {
		if (f.o.spill > 0)
			cs_bgcd_spill(b, f.o.spill);
		rc = run(&f, b, &s);
	}
	cs_bgcd_free(b);
	fleet_free(&f);
	sieve_free(&s);
	return rc;
}

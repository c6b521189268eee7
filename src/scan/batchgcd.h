/*
 * batchgcd.h - shared RSA prime factors and duplicate moduli across a whole
 * fleet, by batch GCD (Heninger et al., "Mining your Ps and Qs", 2012).
 *
 * A product tree of the moduli is built bottom-up (mpz_mul, level by
 * level), P being the product of all. Bernstein's scaled remainder tree
 * ("Scaled remainder trees", 2004) then comes down: each node of product
 * Q holds frac(P / Q^2) as a binary fraction of 2 bits(Q) + 2 level + 64
 * bits. The two nodes under the root (never built) start it, Q0's being
 * (Q1 mod Q0) / Q0 since P / Q0^2 = Q1 / Q0, one division each; below
 * them a child's fraction is its parent's times the square of its
 * sibling's product, modulo 1 (P / Qc^2 = (P / Qp^2) Qs^2): a product
 * instead of a division by a square at every node. Of each product only
 * the middle is needed, which GMP 6 computes by a wrap-around product (an
 * internal GMP function, see batchgcd.c; plain mpz_mul otherwise). At a
 * leaf N, frac(P / N^2) N rounded is P / N mod N and gcd(P / N mod N, N)
 * the product of the primes N shares with some other modulus. Every step
 * is exact up to a few units in the last place of a fraction, well inside
 * the 64 guard bits, so the GCDs are exact. The cost is quasi-linear in
 * the total size of the moduli, never the quadratic cost of pairwise GCD.
 * Which flagged moduli share which factor comes from their GCDs: moduli
 * with the same GCD share exactly it, and only those whose GCDs have a
 * factor in common with another's are compared pairwise (see
 * factor_groups in batchgcd.c).
 *
 * Usage:
 *
 *	struct cs_bgcd *b = cs_bgcd_new();
 *	cs_bgcd_add(b, n, nlen, id);		(once per modulus)
 *	if (cs_bgcd_run(b, threads) == -1) ... cs_bgcd_error(b) ...
 *	for (i = 0; i < cs_bgcd_nhits(b); i++) ... cs_bgcd_hit(b, i) ...
 *	for (i = 0; i < cs_bgcd_ngroups(b); i++) ... cs_bgcd_group(b, i) ...
 *	cs_bgcd_free(b);
 *
 * Inputs: each modulus is an unsigned big-endian byte string (leading zero
 * bytes are ignored) with a caller-chosen id, typically an index into the
 * caller's own table of objects; ids need not be distinct or dense, they
 * are only handed back. Moduli equal to 0 or 1 cannot be RSA moduli: they
 * are left out of the computation and reported with CS_BGCD_INVALID. Even
 * moduli take part like any other (two even moduli share the factor 2) and
 * are also marked CS_BGCD_EVEN. Identical moduli are detected before the
 * trees are built, take part once, and are reported as CS_BGCD_DUPLICATE
 * groups rather than as shared factors (their GCD is the whole modulus).
 *
 * Memory: cs_bgcd_add copies the bytes; cs_bgcd_run frees them once the
 * moduli are GMP integers. Every level of the product tree is as large as
 * all the moduli together (25 MB for 100k RSA-2048 moduli, 16 levels
 * under the root), a level of fractions twice that. Below 4 MiB of
 * moduli cs_bgcd_run keeps every level; above, every fourth level and the
 * upper half, rebuilding the others when the descent needs them; from
 * cs_bgcd_spill's size of moduli on, it writes each product level, once
 * built, to an unlinked temporary file in $TMPDIR or /tmp instead (as much
 * disk as the moduli times the levels; on a tmpfs that is memory too) and
 * reads it back when the descent reaches it. It frees each level once the
 * descent has passed it, and holds at most two levels of fractions at a
 * time. The peak comes at the top, where GMP's own scratch for the two
 * divisions of the largest numbers adds several times their size: 596 MiB
 * for 100k RSA-2048 moduli (24 MiB of them, below the default size for
 * the file), 417 MiB with cs_bgcd_spill(b, 0).
 * Each level is shared among the threads in contiguous runs of nodes.
 * Everything returned by cs_bgcd_hit and cs_bgcd_group is owned by the
 * context and stays valid until cs_bgcd_free. Library code: nothing is
 * printed and nothing exits, except that GMP itself aborts the process
 * when it cannot allocate; the other errors are described by
 * cs_bgcd_error.
 */
#ifndef CS_SCAN_BATCHGCD_H
#define CS_SCAN_BATCHGCD_H

#include <stddef.h>

/* Hard ceiling on the moduli of one context, and on one modulus's size. */
#define CS_BGCD_MAX_MODULI	((size_t)1 << 24)
#define CS_BGCD_MAX_BYTES	((size_t)8192)
#define CS_BGCD_MAX_THREADS	64
/* cs_bgcd_spill's default: 32 MiB of moduli, 131k RSA-2048 ones. */
#define CS_BGCD_SPILL_MIN	((size_t)32 << 20)

/* Flags of a hit (bitwise or). */
#define CS_BGCD_SHARED		0x01u	/* shares a factor with another modulus */
#define CS_BGCD_DUPLICATE	0x02u	/* another input has the same modulus */
#define CS_BGCD_INVALID		0x04u	/* modulus 0 or 1: not computed */
#define CS_BGCD_EVEN		0x08u	/* modulus divisible by 2 */

struct cs_bgcd;

/*
 * One input whose modulus is weak across the fleet: one per id added with
 * at least one flag. gcd (big-endian, no leading zero, gcd_len bytes) is
 * the product of the factors this modulus shares with other distinct
 * moduli (with CS_BGCD_SHARED), otherwise NULL with gcd_len 0; for an RSA
 * modulus it is one prime, or the modulus itself when both of its primes
 * are shared.
 */
struct cs_bgcd_hit {
	size_t			 id;
	unsigned		 flags;
	const unsigned char	*gcd;
	size_t			 gcd_len;
};

enum cs_bgcd_kind {
	CS_BGCD_GROUP_FACTOR,	/* the ids' moduli have value as common factor */
	CS_BGCD_GROUP_DUPLICATE	/* the ids have value as their modulus */
};

/*
 * A set of ids that belong together. For CS_BGCD_GROUP_FACTOR, value is
 * the GCD of two of the distinct moduli of the group, and every modulus of
 * the group has that GCD with at least one other (for RSA moduli: one
 * shared prime per group; a modulus both of whose primes are shared is in
 * two groups). Every id of a duplicated modulus is listed. ids are in
 * ascending order, n_ids >= 2.
 */
struct cs_bgcd_group {
	enum cs_bgcd_kind	 kind;
	const unsigned char	*value;
	size_t			 value_len;
	const size_t		*ids;
	size_t			 n_ids;
};

/* A new empty context, or NULL when out of memory. */
struct cs_bgcd	*cs_bgcd_new(void);
/* Frees the context and everything it returned; accepts NULL. */
void		 cs_bgcd_free(struct cs_bgcd *b);

/*
 * Moduli of min_bytes or more in all (default CS_BGCD_SPILL_MIN) have
 * their product tree written to a temporary file while the remainder tree
 * is not yet down to each level (see Memory above); below, its levels are
 * kept in memory or rebuilt. 0: always; SIZE_MAX: never.
 */
void		 cs_bgcd_spill(struct cs_bgcd *b, size_t min_bytes);

/*
 * Adds a copy of the modulus n (len bytes, big-endian) under id. Returns 0,
 * or -1 when out of memory, past a ceiling above, or after cs_bgcd_run.
 */
int		 cs_bgcd_add(struct cs_bgcd *b, const unsigned char *n,
		    size_t len, size_t id);

/*
 * Runs batch GCD over every modulus added, on up to threads threads (0 and
 * 1: the calling thread only; at most CS_BGCD_MAX_THREADS). Returns 0 (also
 * with 0 or 1 modulus: nothing can be shared), or -1 when out of memory or
 * when run twice. The results do not depend on the number of threads.
 */
int		 cs_bgcd_run(struct cs_bgcd *b, unsigned threads);

/* The hits, in ascending order of id. */
size_t		 cs_bgcd_nhits(const struct cs_bgcd *b);
const struct cs_bgcd_hit *cs_bgcd_hit(const struct cs_bgcd *b, size_t i);

/* The groups: duplicates first, then factors, each in order of value. */
size_t		 cs_bgcd_ngroups(const struct cs_bgcd *b);
const struct cs_bgcd_group *cs_bgcd_group(const struct cs_bgcd *b, size_t i);

/* What the last failure was ("" when none); owned by the context. */
const char	*cs_bgcd_error(const struct cs_bgcd *b);

#endif

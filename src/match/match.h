/*
 * match.h - do a key, CSRs and certificates belong together?
 *
 * Compares two decoded objects and gives one verdict for the pair: the
 * same public key (EVP_PKEY_eq on the public parts, so an EC key matches a
 * certificate that carries its point compressed), a certificate that
 * carries every name its CSR asked for, a certificate issued by another
 * (issuer name equals subject name and the signature verifies).
 *
 * Knows nothing of the command line or of output formats.
 *
 * Ownership: a cs_match_pair borrows its two objects, which must outlive
 * it, and owns its details string; cs_match_pair_release() frees it.
 */
#ifndef CS_MATCH_H
#define CS_MATCH_H

#include "model/object.h"

enum cs_match_kind {
	CS_MATCH_KEY_CERT,	/* key (private or public) <-> certificate */
	CS_MATCH_KEY_CSR,	/* key <-> CSR */
	CS_MATCH_CSR_CERT,	/* CSR <-> certificate */
	CS_MATCH_CERT_ISSUER,	/* certificate <-> the certificate that issued it */
};

enum cs_match_verdict {
	CS_MATCH_OK,		/* "match" */
	CS_MATCH_MISMATCH,	/* the public keys differ */
	CS_MATCH_NAMES_DIFFER,	/* same key; the certificate lacks CSR names */
	CS_MATCH_ISSUED_BY,	/* b issued a */
	CS_MATCH_SIG_INVALID,	/* b's subject is a's issuer; signature fails */
};

struct cs_match_pair {
	enum cs_match_kind	 kind;
	enum cs_match_verdict	 verdict;
	const struct cs_object	*a;	/* the key, the CSR, or the issued cert */
	const struct cs_object	*b;	/* the cert or CSR, or the issuer */
	char			*details;	/* for a person; never key bytes */
};

/* Comparing a with b without the reference role: only CSR <-> certificate
 * and certificate <-> issuer pairs. As the reference, a is also compared
 * as a key with any other object that carries one. */
enum cs_match_role {
	CS_MATCH_PEERS,
	CS_MATCH_REFERENCE,
};

/*
 * Compares a with b (in either order; the pair names them in its own
 * order). Returns 1 and fills out when the two form a pair, 0 when they do
 * not (two CSRs, certificates with no issuer link, an object without a
 * loaded key), -1 when out of memory.
 */
int		 cs_match_compare(const struct cs_object *a,
		    const struct cs_object *b, enum cs_match_role role,
		    struct cs_match_pair *out);
void		 cs_match_pair_release(struct cs_match_pair *pair);

/* 1 when the verdict means "these belong together". */
int		 cs_match_verdict_ok(enum cs_match_verdict v);

/* "key-certificate", ... and "match", "mismatch", ... */
const char	*cs_match_kind_name(enum cs_match_kind kind);
const char	*cs_match_verdict_name(enum cs_match_verdict v);

/* 1 when both are certificates and child names issuer's subject as its
 * issuer (the signature is not checked). */
int		 cs_match_names_issuer(const struct cs_object *child,
		    const struct cs_object *issuer);

#endif

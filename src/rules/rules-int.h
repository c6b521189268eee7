/*
 * Internal to src/rules: each family file exports one NULL-terminated table
 * of its rules; registry.c lists the families in catalogue order.
 */
#ifndef CS_RULES_INT_H
#define CS_RULES_INT_H

#include <gmp.h>

#include "rules/rule.h"

extern const struct cs_rule *const cs_family_key[];
extern const struct cs_rule *const cs_family_sig[];
extern const struct cs_rule *const cs_family_name[];
extern const struct cs_rule *const cs_family_dn[];
extern const struct cs_rule *const cs_family_csr[];
extern const struct cs_rule *const cs_family_cert[];
extern const struct cs_rule *const cs_family_chain[];
extern const struct cs_rule *const cs_family_field[];

/* Helpers every family may use (src/rules/helpers.c). */

/* The last attribute with this dotted OID in the subject ("2.5.4.3" is
 * the CN), or NULL. */
const struct cs_attr *rule_subject_attr(const struct cs_object *obj,
		    const char *oid);
#define RULE_OID_CN	"2.5.4.3"
/* The key is RSA (plain or PSS). */
int		 rule_is_rsa(const struct cs_object *obj);
/* basicConstraints asserts cA (a certificate's, or a CSR's request). */
int		 rule_is_ca(const struct cs_object *obj);
/* A self-signed CA certificate (or a v1 self-signed one): a root. */
int		 rule_is_trust_anchor(const struct cs_object *obj);
/* A certificate whose issuer name is its subject name (self-issued). */
int		 rule_self_issued(const struct cs_object *obj);
/* A check's status after adding finding f: CS_CHECK_FAILED when f is NULL
 * (out of memory), else CS_CHECK_RAN; the _fix form also sets the fix. */
enum cs_check	 rule_done(const struct cs_finding *f);
enum cs_check	 rule_done_fix(struct cs_finding *f, const char *action,
		    const char *value);
/* The extension with this dotted OID, or NULL. */
const struct cs_ext *rule_ext(const struct cs_object *obj, const char *oid);

/*
 * What the key rules work out from a public key alone, kept by the lint
 * context for the last few keys: a key file, its certificate and its CSR
 * carry the same key, and reading the RSA numbers (a parameter export and
 * a GMP import each), the small-factor GCD and the EC point check cost
 * more than the rest of the key rules. Keyed by the SPKI's SHA-256 when
 * the object's key is loaded; otherwise held for that object only.
 */
struct rule_memo {
	unsigned char	 spki[32];	/* whose key */
	int		 keyed;		/* spki is set */
	int		 n_state;	/* 0: not read yet, 1: n holds it, -1: unreadable */
	int		 e_state;	/* the same for e */
	mpz_t		 n;
	mpz_t		 e;
	int		 small_state;	/* 0: not yet, 1: small_factor holds it */
	unsigned long	 small_factor;	/* 0: none */
	int		 point_state;	/* 0: not yet, else point_ok + 1 */
};

/* The memo of obj's key (reset when it holds another key's). */
struct rule_memo *cs_lint_memo(struct cs_lint *l, const struct cs_object *obj);

/* X509_verify(cert, the issuer's key), remembered by the lint context for
 * the pair: a fleet's chain files repeat the same intermediate and root,
 * and the decoder hands out one shared X509 (and key) for the same DER.
 * Both objects are certificates. */
int		 cs_lint_verify(struct cs_lint *l, const struct cs_object *cert,
		    const struct cs_object *issuer);

#endif

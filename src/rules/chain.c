/* chain.*: the certificates of one file read as a chain, leaf first. */
#include "config.h"

#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "rules/rules-int.h"

/* Bundles larger than this are not read as chains (O(n^2) name matching). */
#define CHAIN_MAX	64

/*
 * The certificates of a bundle in file order, and for each its issuer in
 * the bundle (by name, itself excluded; -1: none or self-issued) and
 * whether it repeats an earlier certificate.
 */
struct chain {
	const struct cs_object	*c[CHAIN_MAX];
	int			 parent[CHAIN_MAX];
	int			 dup[CHAIN_MAX];
	size_t			 n;
};

static int
find_parent(const struct chain *ch, size_t i)
{
	X509	*x = ch->c[i]->cert;
	size_t	 j;

	if (rule_self_issued(ch->c[i]))
		return -1;
	for (j = 0; j < ch->n; j++)
		if (j != i && !ch->dup[j] &&
		    X509_NAME_cmp(X509_get_issuer_name(x),
		    X509_get_subject_name(ch->c[j]->cert)) == 0)
			return (int)j;
	return -1;
}

/* 0, or -1 when the bundle holds fewer than 2 or more than CHAIN_MAX. */
static int
chain_load(struct chain *ch, const struct cs_object *const *objs, size_t n)
{
	size_t	 i, j;

	ch->n = 0;
	for (i = 0; i < n; i++) {
		if (objs[i]->kind != CS_KIND_CERT || objs[i]->cert == NULL)
			continue;
		if (ch->n == CHAIN_MAX)
			return -1;
		ch->dup[ch->n] = 0;
		for (j = 0; j < ch->n; j++)
			if (X509_cmp(ch->c[j]->cert, objs[i]->cert) == 0)
				ch->dup[ch->n] = 1;
		ch->c[ch->n++] = objs[i];
	}
	if (ch->n < 2)
		return -1;
	for (i = 0; i < ch->n; i++)
		ch->parent[i] = ch->dup[i] ? -1 : find_parent(ch, i);
	return 0;
}

static int
issues_any(const struct chain *ch, size_t i)
{
	size_t	 j;

	for (j = 0; j < ch->n; j++)
		if (ch->parent[j] == (int)i)
			return 1;
	return 0;
}

/* Walks up from i; the length, or 0 on a loop. */
static size_t
walk(const struct chain *ch, size_t i, int *path)
{
	size_t	 len = 0;
	int	 k = (int)i;

	while (k >= 0) {
		if (len == ch->n)
			return 0;
		if (path != NULL)
			path[len] = k;
		len++;
		k = ch->parent[k];
	}
	return len;
}

/* The longest chain from a certificate that issues none of the others,
 * earliest first on ties; its length, path[] its members leaf first. */
static size_t
main_chain(const struct chain *ch, int *path)
{
	size_t	 i, len, best = 0, at = 0;

	for (i = 0; i < ch->n; i++) {
		if (ch->dup[i] || issues_any(ch, i))
			continue;
		if ((len = walk(ch, i, NULL)) > best) {
			best = len;
			at = i;
		}
	}
	return best == 0 ? 0 : walk(ch, at, path);
}

/* --- order ---------------------------------------------------------- */

static size_t
chain_distinct(const struct chain *ch)
{
	size_t	 i, n = 0;

	for (i = 0; i < ch->n; i++)
		n += !ch->dup[i];
	return n;
}

static int
order_text(const struct chain *ch, const int *path, size_t len, char *buf,
    size_t size)
{
	size_t	 i, off = 0;
	int	 w;

	buf[0] = '\0';
	for (i = 0; i < len; i++) {
		w = snprintf(buf + off, size - off, "%s%d", i ? "," : "",
		    ch->c[path[i]]->src.index);
		if (w < 0 || (size_t)w >= size - off)
			return -1;
		off += (size_t)w;
	}
	return 0;
}

static enum cs_check
check_chain_order(struct cs_lint *l, const struct cs_object *const *objs,
    size_t n)
{
	struct chain		 ch;
	struct cs_finding	*f;
	int			 path[CHAIN_MAX];
	char			 order[CHAIN_MAX * 8];
	size_t			 len, i, pos = 0;
	int			 moved = 0;

	if (chain_load(&ch, objs, n) == -1)
		return CS_CHECK_NA;
	len = main_chain(&ch, path);
	if (len == 0 || len != chain_distinct(&ch))
		return CS_CHECK_RAN;
	for (i = 0; i < ch.n && !moved; i++)
		if (!ch.dup[i] && path[pos++] != (int)i)
			moved = 1;
	if (!moved)
		return CS_CHECK_RAN;
	if (order_text(&ch, path, len, order, sizeof(order)) == -1)
		return CS_CHECK_FAILED;
	f = cs_finding_add(l, ch.c[path[0]], NULL, order,
	    "the bundle is not in leaf-first order; clients expect each "
	    "certificate to be followed by its issuer (objects %s)", order);
	if (f == NULL || cs_finding_fix(f, "reorder", order) == -1)
		return CS_CHECK_FAILED;
	return CS_CHECK_RAN;
}

static const struct cs_rule rule_chain_order = {
	.id = "chain.order",
	.severity = CS_SEV_WARNING,
	.applies = CS_APPLIES_BUNDLE,
	.summary = "bundle not in leaf-first order where reordering fixes it",
	.citation = "RFC 8446 4.4.2; RFC 5246 7.4.2",
	.check_bundle = check_chain_order,
};

/* --- linkage -------------------------------------------------------- */

static int
on_path(const int *path, size_t len, size_t i)
{
	size_t	 k;

	for (k = 0; k < len; k++)
		if (path[k] == (int)i)
			return 1;
	return 0;
}

/* The top of the chain is not self-issued while other certificates lie
 * outside it: its issuer is missing between them. */
static enum cs_check
linkage_gap(struct cs_lint *l, const struct cs_object *top)
{
	char	 name[256];

	if (rule_self_issued(top))
		return CS_CHECK_RAN;
	if (X509_NAME_oneline(X509_get_issuer_name(top->cert), name,
	    sizeof(name)) == NULL)
		name[0] = '\0';
	return cs_finding_add(l, top, "issuer", name, "the issuer of this "
	    "certificate is missing from the bundle, which holds other "
	    "certificates: the chain has a gap") == NULL ?
	    CS_CHECK_FAILED : CS_CHECK_RAN;
}

/* Only self-issued certificates: a set of trust anchors, not a chain. */
static int
anchors_only(const struct chain *ch)
{
	size_t	 i;

	for (i = 0; i < ch->n; i++)
		if (!rule_self_issued(ch->c[i]))
			return 0;
	return 1;
}

static enum cs_check
check_chain_linkage(struct cs_lint *l, const struct cs_object *const *objs,
    size_t n)
{
	struct chain		 ch;
	int			 path[CHAIN_MAX];
	size_t			 len, i;
	const struct cs_object	*top;

	if (chain_load(&ch, objs, n) == -1 || anchors_only(&ch))
		return CS_CHECK_NA;
	if ((len = main_chain(&ch, path)) == 0 || len == chain_distinct(&ch))
		return CS_CHECK_RAN;
	top = ch.c[path[len - 1]];
	if (linkage_gap(l, top) == CS_CHECK_FAILED)
		return CS_CHECK_FAILED;
	for (i = 0; i < ch.n; i++) {
		if (ch.dup[i] || on_path(path, len, i))
			continue;
		if (cs_finding_add(l, ch.c[i], "issuer", NULL,
		    "the certificate is not part of the chain from object %d "
		    "to object %d: it neither issued nor was issued by a "
		    "certificate of that chain (a gap or an unrelated "
		    "certificate)", ch.c[path[0]]->src.index,
		    top->src.index) == NULL)
			return CS_CHECK_FAILED;
	}
	return CS_CHECK_RAN;
}

static const struct cs_rule rule_chain_linkage = {
	.id = "chain.linkage",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_BUNDLE,
	.summary = "certificate in a bundle not linked to the chain (gap or "
	    "unrelated certificate)",
	.citation = "RFC 5280 6.1; RFC 8446 4.4.2",
	.check_bundle = check_chain_linkage,
};

/* --- signature ------------------------------------------------------ */

static enum cs_check
check_chain_signature(struct cs_lint *l, const struct cs_object *const *objs,
    size_t n)
{
	struct chain	 ch;
	size_t		 i, done = 0;

	if (chain_load(&ch, objs, n) == -1)
		return CS_CHECK_NA;
	for (i = 0; i < ch.n; i++) {
		if (ch.parent[i] < 0)
			continue;
		done++;
		if (cs_lint_verify(l, ch.c[i], ch.c[ch.parent[i]]) == 1)
			continue;
		if (cs_finding_add(l, ch.c[i], "signature", NULL,
		    "the signature does not verify with the key of its issuer "
		    "in the bundle (object %d)",
		    ch.c[ch.parent[i]]->src.index) == NULL)
			return CS_CHECK_FAILED;
	}
	return done == 0 ? CS_CHECK_NA : CS_CHECK_RAN;
}

static const struct cs_rule rule_chain_signature = {
	.id = "chain.signature",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_BUNDLE,
	.summary = "certificate signature does not verify with its issuer's key "
	    "from the bundle",
	.citation = "RFC 5280 6.1.3 (a)(1)",
	.check_bundle = check_chain_signature,
};

/* --- duplicate ------------------------------------------------------ */

static enum cs_check
check_chain_duplicate(struct cs_lint *l, const struct cs_object *const *objs,
    size_t n)
{
	struct chain	 ch;
	size_t		 i;

	if (chain_load(&ch, objs, n) == -1)
		return CS_CHECK_NA;
	for (i = 0; i < ch.n; i++)
		if (ch.dup[i] && cs_finding_add(l, ch.c[i], NULL, NULL,
		    "the certificate appears earlier in the same bundle; "
		    "the copy only wastes bytes in every handshake") == NULL)
			return CS_CHECK_FAILED;
	return CS_CHECK_RAN;
}

static const struct cs_rule rule_chain_duplicate = {
	.id = "chain.duplicate",
	.severity = CS_SEV_WARNING,
	.applies = CS_APPLIES_BUNDLE,
	.summary = "the same certificate twice in one bundle",
	.citation = "RFC 8446 4.4.2",
	.check_bundle = check_chain_duplicate,
};

/* --- issuer-not-ca -------------------------------------------------- */

/* Decoded here, not through OpenSSL's cached flags, which read as empty
 * for any certificate OpenSSL deems invalid. */
static BASIC_CONSTRAINTS *
x509_bc(X509 *x)
{
	BASIC_CONSTRAINTS	*bc;

	bc = X509_get_ext_d2i(x, NID_basic_constraints, NULL, NULL);
	ERR_clear_error();
	return bc;
}

static const char *
not_ca_reason(X509 *x)
{
	BASIC_CONSTRAINTS	*bc = x509_bc(x);
	ASN1_BIT_STRING		*ku;
	int			 ca = bc != NULL && bc->ca, sign;

	BASIC_CONSTRAINTS_free(bc);
	if (!ca)
		return "basicConstraints does not assert cA";
	if ((ku = X509_get_ext_d2i(x, NID_key_usage, NULL, NULL)) == NULL) {
		ERR_clear_error();
		return NULL;
	}
	sign = ASN1_BIT_STRING_get_bit(ku, 5);
	ASN1_BIT_STRING_free(ku);
	return sign ? NULL : "keyUsage lacks keyCertSign";
}

static long
x509_pathlen(X509 *x)
{
	BASIC_CONSTRAINTS	*bc = x509_bc(x);
	long			 n = -1;

	if (bc != NULL && bc->ca && bc->pathlen != NULL)
		n = ASN1_INTEGER_get(bc->pathlen);
	BASIC_CONSTRAINTS_free(bc);
	return n;
}

static enum cs_check
check_chain_issuer_not_ca(struct cs_lint *l,
    const struct cs_object *const *objs, size_t n)
{
	struct chain	 ch;
	const char	*why;
	size_t		 i;
	int		 p, done = 0;

	if (chain_load(&ch, objs, n) == -1)
		return CS_CHECK_NA;
	for (i = 0; i < ch.n; i++) {
		if ((p = ch.parent[i]) < 0)
			continue;
		done = 1;
		if ((why = not_ca_reason(ch.c[p]->cert)) == NULL)
			continue;
		if (cs_finding_add(l, ch.c[p], strncmp(why, "basic", 5) == 0 ?
		    "extensions.basicConstraints" : "extensions.keyUsage",
		    NULL, "the certificate issued object %d of the bundle but "
		    "cannot act as a CA: %s", ch.c[i]->src.index,
		    why) == NULL)
			return CS_CHECK_FAILED;
	}
	return done ? CS_CHECK_RAN : CS_CHECK_NA;
}

static const struct cs_rule rule_chain_issuer_not_ca = {
	.id = "chain.issuer-not-ca",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_BUNDLE,
	.summary = "issuing certificate in the bundle is not a CA or lacks "
	    "keyCertSign",
	.citation = "RFC 5280 4.2.1.9, 6.1.4 (k)",
	.check_bundle = check_chain_issuer_not_ca,
};

/* --- aki-mismatch --------------------------------------------------- */

/* 1: the AKI keyIdentifier of x differs from the SKI of issuer; 0: it
 * matches; -1: one of them is absent. */
static int
aki_differs(X509 *x, X509 *issuer)
{
	AUTHORITY_KEYID		*aki;
	ASN1_OCTET_STRING	*ski;
	int			 rc = -1;

	aki = X509_get_ext_d2i(x, NID_authority_key_identifier, NULL, NULL);
	ski = X509_get_ext_d2i(issuer, NID_subject_key_identifier, NULL, NULL);
	ERR_clear_error();
	if (aki != NULL && aki->keyid != NULL && ski != NULL)
		rc = ASN1_OCTET_STRING_cmp(aki->keyid, ski) != 0;
	AUTHORITY_KEYID_free(aki);
	ASN1_OCTET_STRING_free(ski);
	return rc;
}

static enum cs_check
check_chain_aki_mismatch(struct cs_lint *l,
    const struct cs_object *const *objs, size_t n)
{
	struct chain	 ch;
	size_t		 i;
	int		 p, rc, done = 0;

	if (chain_load(&ch, objs, n) == -1)
		return CS_CHECK_NA;
	for (i = 0; i < ch.n; i++) {
		if ((p = ch.parent[i]) < 0 ||
		    (rc = aki_differs(ch.c[i]->cert, ch.c[p]->cert)) == -1)
			continue;
		done = 1;
		if (rc == 0)
			continue;
		if (cs_finding_add(l, ch.c[i],
		    "extensions.authorityKeyIdentifier", NULL,
		    "the authorityKeyIdentifier does not match the "
		    "subjectKeyIdentifier of its issuer in the bundle (object "
		    "%d): another key of that name signed it, and clients that "
		    "build paths by key identifier will not find this issuer",
		    ch.c[p]->src.index) == NULL)
			return CS_CHECK_FAILED;
	}
	return done ? CS_CHECK_RAN : CS_CHECK_NA;
}

static const struct cs_rule rule_chain_aki_mismatch = {
	.id = "chain.aki-mismatch",
	.severity = CS_SEV_WARNING,
	.applies = CS_APPLIES_BUNDLE,
	.summary = "authorityKeyIdentifier differs from the issuer's "
	    "subjectKeyIdentifier in the bundle",
	.citation = "RFC 5280 4.2.1.1, 4.2.1.2",
	.check_bundle = check_chain_aki_mismatch,
};

/* --- pathlen -------------------------------------------------------- */

/* Walks up from the bottom certificate b, counting the non-self-issued
 * intermediates passed; flags each ancestor whose pathLenConstraint is
 * smaller than that count. */
static enum cs_check
pathlen_walk(struct cs_lint *l, const struct chain *ch, size_t b,
    int *flagged)
{
	long	 below = 0, max;
	size_t	 steps = 0;
	int	 k = ch->parent[b];

	while (k >= 0 && steps++ < ch->n) {
		max = x509_pathlen(ch->c[k]->cert);
		if (max >= 0 && below > max && !flagged[k]) {
			flagged[k] = 1;
			if (cs_finding_add(l, ch->c[k],
			    "extensions.basicConstraints", NULL,
			    "pathLenConstraint %ld allows %ld intermediate "
			    "CA certificate(s) below this one, but the bundle "
			    "has %ld", max, max, below) == NULL)
				return CS_CHECK_FAILED;
		}
		if (!rule_self_issued(ch->c[k]))
			below++;
		k = ch->parent[k];
	}
	return CS_CHECK_RAN;
}

static enum cs_check
check_chain_pathlen(struct cs_lint *l, const struct cs_object *const *objs,
    size_t n)
{
	struct chain	 ch;
	int		 flagged[CHAIN_MAX] = { 0 };
	size_t		 i;
	int		 done = 0;

	if (chain_load(&ch, objs, n) == -1)
		return CS_CHECK_NA;
	for (i = 0; i < ch.n; i++) {
		if (ch.dup[i] || ch.parent[i] < 0 || issues_any(&ch, i))
			continue;
		done = 1;
		if (pathlen_walk(l, &ch, i, flagged) == CS_CHECK_FAILED)
			return CS_CHECK_FAILED;
	}
	return done ? CS_CHECK_RAN : CS_CHECK_NA;
}

static const struct cs_rule rule_chain_pathlen = {
	.id = "chain.pathlen",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_BUNDLE,
	.summary = "more intermediate CAs below a certificate than its "
	    "pathLenConstraint allows",
	.citation = "RFC 5280 4.2.1.9, 6.1.4 (l)",
	.check_bundle = check_chain_pathlen,
};

const struct cs_rule *const cs_family_chain[] = {
	&rule_chain_order,
	&rule_chain_linkage,
	&rule_chain_signature,
	&rule_chain_duplicate,
	&rule_chain_issuer_not_ca,
	&rule_chain_aki_mismatch,
	&rule_chain_pathlen,
	NULL,
};

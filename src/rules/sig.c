/* sig.*: signature algorithms and parameters. */
#include "config.h"

#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "rules/rules-int.h"

static int
weak_hash(const char *hash)
{
	static const char *const weak[] = { "md2", "md4", "md5", "sha1" };
	size_t	 i;

	for (i = 0; i < sizeof(weak) / sizeof(weak[0]); i++)
		if (strcmp(hash, weak[i]) == 0)
			return 1;
	return 0;
}

static enum cs_check
check_sig_weak_hash(struct cs_lint *l, const struct cs_object *obj)
{
	struct cs_finding	*f;

	if (!obj->sig.present)
		return CS_CHECK_NA;
	if (obj->sig.hash == NULL || !weak_hash(obj->sig.hash))
		return CS_CHECK_RAN;
	f = cs_finding_add(l, obj, "signature", obj->sig.algorithm,
	    "signed with %s, a hash that no longer resists collisions",
	    obj->sig.hash);
	return rule_done_fix(f, "set-digest", "sha256");
}

static const struct cs_rule rule_sig_weak_hash = {
	.id = "sig.weak-hash",
	.anchor_lenient = 1,	/* an anchor's own signature is not relied on */
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_CSR | CS_APPLIES_CERT,
	.summary = "signed with MD2, MD4, MD5 or SHA-1",
	.citation = "CA/B Forum BR 7.1.3.2; RFC 6151; RFC 9155",
	.check = check_sig_weak_hash,
};

/* The signatureAlgorithm outside the signed data, or NULL. */
static const X509_ALGOR *
outer_alg(const struct cs_object *obj)
{
	const X509_ALGOR	*alg = NULL;

	if (obj->kind == CS_KIND_CERT && obj->cert != NULL)
		X509_get0_signature(NULL, &alg, obj->cert);
	else if (obj->kind == CS_KIND_CSR && obj->req != NULL)
		X509_REQ_get0_signature(obj->req, NULL, &alg);
	return alg;
}

/* The key that made the signature is the object's own: a CSR, or a
 * certificate whose issuer is its subject and whose key identifiers agree
 * (not X509_self_signed: it also requires the algorithms to match). */
static int
signed_by_own_key(const struct cs_object *obj)
{
	const ASN1_OCTET_STRING	*akid, *skid;

	if (obj->kind == CS_KIND_CSR)
		return 1;
	if (obj->kind != CS_KIND_CERT || !rule_self_issued(obj))
		return 0;
	akid = X509_get0_authority_key_id(obj->cert);
	skid = X509_get0_subject_key_id(obj->cert);
	ERR_clear_error();
	return akid == NULL || (skid != NULL &&
	    ASN1_OCTET_STRING_cmp(akid, skid) == 0);
}

static enum cs_check
check_sig_mismatch(struct cs_lint *l, const struct cs_object *obj)
{
	const X509_ALGOR	*outer = outer_alg(obj), *inner;
	char			 name[80];

	if (obj->cert == NULL || outer == NULL ||
	    (inner = X509_get0_tbs_sigalg(obj->cert)) == NULL)
		return CS_CHECK_NA;
	if (X509_ALGOR_cmp(inner, outer) == 0)
		return CS_CHECK_RAN;
	if (OBJ_cmp(inner->algorithm, outer->algorithm) == 0)
		snprintf(name, sizeof(name), "the parameters of %s",
		    obj->sig.algorithm);
	else if (OBJ_obj2txt(name, sizeof(name), inner->algorithm, 0) <= 0)
		snprintf(name, sizeof(name), "an unreadable algorithm");
	return cs_finding_add(l, obj, "signature", obj->sig.algorithm,
	    "the signature algorithm inside the signed part (%s) differs from "
	    "the one beside the signature: RFC 5280 requires both to be "
	    "identical, and verifiers reject the certificate", name) == NULL ?
	    CS_CHECK_FAILED : CS_CHECK_RAN;
}

static const struct cs_rule rule_sig_mismatch = {
	.id = "sig.mismatch",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_CERT,
	.summary = "tbsCertificate signature algorithm differs from the outer "
	    "signatureAlgorithm",
	.citation = "RFC 5280 4.1.1.2, 4.1.2.3",
	.check = check_sig_mismatch,
};

/* PSS parameters as RFC 4055 reads them, defaults filled in. */
struct pss {
	int	 hash;		/* NID */
	int	 mgf;		/* NID of the mask generation function */
	int	 mgf_hash;	/* NID */
	long	 salt;
	long	 trailer;
};

/* The hash NID inside MGF1's parameters, NID_undef when unreadable. */
static int
mgf1_hash(const X509_ALGOR *mgf)
{
	const ASN1_TYPE	*param = mgf->parameter;
	X509_ALGOR	*hash;
	int		 nid;

	if (param == NULL || param->type != V_ASN1_SEQUENCE)
		return NID_undef;
	hash = ASN1_TYPE_unpack_sequence(ASN1_ITEM_rptr(X509_ALGOR), param);
	if (hash == NULL) {
		ERR_clear_error();
		return NID_undef;
	}
	nid = OBJ_obj2nid(hash->algorithm);
	X509_ALGOR_free(hash);
	return nid;
}

static int
pss_read(const X509_ALGOR *alg, struct pss *out)
{
	RSA_PSS_PARAMS	*pp;
	const void	*pval;
	int		 ptype;

	X509_ALGOR_get0(NULL, &ptype, &pval, alg);
	if (ptype != V_ASN1_SEQUENCE ||
	    (pp = ASN1_item_unpack(pval, ASN1_ITEM_rptr(RSA_PSS_PARAMS))) == NULL) {
		ERR_clear_error();
		return -1;
	}
	out->hash = pp->hashAlgorithm != NULL ?
	    OBJ_obj2nid(pp->hashAlgorithm->algorithm) : NID_sha1;
	out->mgf = pp->maskGenAlgorithm != NULL ?
	    OBJ_obj2nid(pp->maskGenAlgorithm->algorithm) : NID_mgf1;
	out->mgf_hash = pp->maskGenAlgorithm != NULL ?
	    mgf1_hash(pp->maskGenAlgorithm) : NID_sha1;
	out->salt = pp->saltLength != NULL ? ASN1_INTEGER_get(pp->saltLength) : 20;
	out->trailer = pp->trailerField != NULL ?
	    ASN1_INTEGER_get(pp->trailerField) : 1;
	RSA_PSS_PARAMS_free(pp);
	return 0;
}

/* What is wrong with the parameters, or NULL. */
static const char *
pss_problem(const struct pss *p, char *buf, size_t size)
{
	const EVP_MD	*md = EVP_get_digestbynid(p->hash);

	if (p->mgf != NID_mgf1)
		return "the mask generation function is not MGF1";
	if (p->mgf_hash != p->hash)
		return "MGF1 uses a different hash than the signature";
	if (p->trailer != 1)
		return "trailerField is not 1";
	if (md != NULL && p->salt != EVP_MD_get_size(md)) {
		snprintf(buf, size, "the salt is %ld bytes, not the %d bytes of "
		    "%s", p->salt, EVP_MD_get_size(md), OBJ_nid2sn(p->hash));
		return buf;
	}
	return NULL;
}

static enum cs_check
check_sig_rsa_pss_params(struct cs_lint *l, const struct cs_object *obj)
{
	const X509_ALGOR	*alg = outer_alg(obj);
	const char		*why;
	struct pss		 p;
	char			 buf[96];

	if (alg == NULL || OBJ_obj2nid(alg->algorithm) != NID_rsassaPss)
		return CS_CHECK_NA;
	if (pss_read(alg, &p) == -1)
		why = "the parameters are missing or unreadable";
	else if ((why = pss_problem(&p, buf, sizeof(buf))) == NULL)
		return CS_CHECK_RAN;
	return cs_finding_add(l, obj, "signature", obj->sig.algorithm,
	    "RSA-PSS signature parameters are not the recommended form: %s "
	    "(RFC 4055 wants them present, one hash for both, a salt as "
	    "long as the hash and trailerField 1; CAs accept only that)",
	    why) == NULL ? CS_CHECK_FAILED : CS_CHECK_RAN;
}

static const struct cs_rule rule_sig_rsa_pss_params = {
	.id = "sig.rsa-pss.params",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_CSR | CS_APPLIES_CERT,
	.summary = "RSA-PSS parameters missing, with mixed hashes, a salt "
	    "not the hash length, or trailerField not 1",
	.citation = "RFC 4055 3.1, 3.3; CA/B Forum BR 7.1.3.2.1",
	.check = check_sig_rsa_pss_params,
};

/* Can a key of this algorithm (NID) make signatures of this kind? */
static int
key_fits(int sig_pk, int key_nid)
{
	if (sig_pk == key_nid)
		return 1;
	if (sig_pk == NID_rsassaPss)
		return key_nid == NID_rsaEncryption;
	if (sig_pk == NID_sm2)
		return key_nid == NID_X9_62_id_ecPublicKey;
	return 0;
}

static enum cs_check
check_sig_key_mismatch(struct cs_lint *l, const struct cs_object *obj)
{
	int	 md, pk, key_nid;

	if (!obj->sig.present || !obj->key.present || obj->key.oid == NULL ||
	    !signed_by_own_key(obj))
		return CS_CHECK_NA;
	if (!OBJ_find_sigid_algs(OBJ_txt2nid(obj->sig.oid), &md, &pk) ||
	    (key_nid = OBJ_txt2nid(obj->key.oid)) == NID_undef)
		return CS_CHECK_NA;
	if (key_fits(pk, key_nid))
		return CS_CHECK_RAN;
	return cs_finding_add(l, obj, "signature", obj->sig.algorithm,
	    "signed with %s, which a %s key cannot produce: the signature "
	    "was not made with this object's own key and cannot verify",
	    obj->sig.algorithm, obj->key.algorithm) == NULL ?
	    CS_CHECK_FAILED : CS_CHECK_RAN;
}

static const struct cs_rule rule_sig_key_mismatch = {
	.id = "sig.key-mismatch",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_CSR | CS_APPLIES_CERT,
	.summary = "signature algorithm does not fit the signer's key (CSRs, "
	    "self-signed certificates)",
	.citation = "RFC 2986 4.2; RFC 5280 4.1.1.2; RFC 3279 2.2",
	.check = check_sig_key_mismatch,
};

static enum cs_check
check_sig_algorithm_unknown(struct cs_lint *l, const struct cs_object *obj)
{
	int	 md, pk, nid;

	if (!obj->sig.present || obj->sig.oid == NULL)
		return CS_CHECK_NA;
	nid = OBJ_txt2nid(obj->sig.oid);
	if (nid != NID_undef && OBJ_find_sigid_algs(nid, &md, &pk))
		return CS_CHECK_RAN;
	return cs_finding_add(l, obj, "signature", obj->sig.algorithm,
	    "%s is not a signature algorithm OpenSSL knows: the signature "
	    "cannot be verified and most relying parties will refuse it",
	    obj->sig.algorithm) == NULL ? CS_CHECK_FAILED : CS_CHECK_RAN;
}

static const struct cs_rule rule_sig_algorithm_unknown = {
	.id = "sig.algorithm.unknown",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_CSR | CS_APPLIES_CERT,
	.summary = "signature algorithm OpenSSL does not recognise",
	.citation = "RFC 5280 4.1.1.2; RFC 2986 4.2",
	.check = check_sig_algorithm_unknown,
};

static enum cs_check
check_sig_self_signed_invalid(struct cs_lint *l, const struct cs_object *obj)
{
	if (obj->kind != CS_KIND_CERT || obj->sig.valid == CS_UNKNOWN)
		return CS_CHECK_NA;
	if (obj->sig.valid == CS_YES)
		return CS_CHECK_RAN;
	return cs_finding_add(l, obj, "signature", obj->sig.algorithm,
	    "the certificate names itself as issuer but its signature does "
	    "not verify with its own key: it is corrupt or was altered after "
	    "signing") == NULL ? CS_CHECK_FAILED : CS_CHECK_RAN;
}

static const struct cs_rule rule_sig_self_signed_invalid = {
	.id = "sig.self-signed.invalid",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_CERT,
	.summary = "self-signed certificate whose signature does not verify",
	.citation = "RFC 5280 6.1.3 (a)(1); RFC 5280 3.2",
	.check = check_sig_self_signed_invalid,
};

/* The encoding of the parameters the algorithm prescribes: NULL for
 * PKCS #1 v1.5, absent for ECDSA, DSA and EdDSA; 0: no rule. */
static int
params_expected(int pk)
{
	switch (pk) {
	case NID_rsaEncryption:
		return V_ASN1_NULL;
	case NID_X9_62_id_ecPublicKey:
	case NID_dsa:
	case NID_ED25519:
	case NID_ED448:
		return V_ASN1_UNDEF;
	default:
		return 0;
	}
}

static enum cs_check
check_sig_algorithm_params(struct cs_lint *l, const struct cs_object *obj)
{
	const X509_ALGOR	*alg = outer_alg(obj);
	int			 md, pk, ptype, want;

	if (alg == NULL || !OBJ_find_sigid_algs(OBJ_obj2nid(alg->algorithm),
	    &md, &pk) || (want = params_expected(pk)) == 0)
		return CS_CHECK_NA;
	X509_ALGOR_get0(NULL, &ptype, NULL, alg);
	if (ptype == want)
		return CS_CHECK_RAN;
	return cs_finding_add(l, obj, "signature", obj->sig.algorithm,
	    "%s must be encoded with %s parameters, but they are %s: strict "
	    "verifiers and CAs reject the other encoding", obj->sig.algorithm,
	    want == V_ASN1_NULL ? "NULL" : "absent",
	    ptype == V_ASN1_UNDEF ? "absent" : ptype == V_ASN1_NULL ? "NULL" :
	    "something else") == NULL ? CS_CHECK_FAILED : CS_CHECK_RAN;
}

static const struct cs_rule rule_sig_algorithm_params = {
	.id = "sig.algorithm.params",
	.severity = CS_SEV_WARNING,
	.applies = CS_APPLIES_CSR | CS_APPLIES_CERT,
	.summary = "signature AlgorithmIdentifier parameters not NULL (RSA "
	    "PKCS #1 v1.5) or not absent (ECDSA, DSA, EdDSA)",
	.citation = "RFC 4055 5; RFC 5758 3.1, 3.2; RFC 8410 3; CA/B Forum "
	    "BR 7.1.3.2",
	.check = check_sig_algorithm_params,
};

const struct cs_rule *const cs_family_sig[] = {
	&rule_sig_weak_hash,
	&rule_sig_mismatch,
	&rule_sig_rsa_pss_params,
	&rule_sig_key_mismatch,
	&rule_sig_algorithm_unknown,
	&rule_sig_self_signed_invalid,
	&rule_sig_algorithm_params,
	NULL,
};

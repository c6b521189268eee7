/* The records `scan` keeps of each object (see fast.h). */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>
#include <openssl/params.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <openssl/decoder.h>

#include "input/input-int.h"
#include "scan/fast.h"

/*
 * What the fast path keeps between calls: key decoder contexts (expensive
 * to build, cheap to reuse), its decoder's library context with only the
 * null provider so that an exact d2i_X509 does not decode the public key,
 * and a scratch buffer. Everything is per cs_fast, so per thread.
 */
#define FAST_KEYCTX_MAX	24

struct fast_keyctx {
	enum der_kind		 kind;
	const char		*keytype;	/* static string or NULL */
	OSSL_DECODER_CTX	*dctx;
	EVP_PKEY		*slot;
};

#define CA_MEMO_MAX	509

/* EC groups built for the points the fast path checks, by the curve's
 * OID (its whole TLV, short form). */
#define FAST_GROUPS_MAX	16
#define CURVE_TLV_MAX	18
#define ORDER_MAX	72	/* octets of the largest group order walked */

struct fast_group {
	unsigned char		 oid[CURVE_TLV_MAX];
	size_t			 oid_len;
	int			 nid;
	EC_GROUP		*group;
	int			 named;	/* a key's group name gives oid back */
	unsigned char		 order[ORDER_MAX];	/* big-endian */
	size_t			 order_len;
};

struct ca_memo {
	unsigned char		 sha256[32];	/* of the certificate DER */
	int			 is_ca;
	int			 used;
};

struct cs_fast {
	struct cs_decoder	*dec;
	struct ca_memo		 ca_memo[CA_MEMO_MAX];
	EVP_MD			*sha256;
	OSSL_LIB_CTX		*libctx;	/* the caller's, for keys */
	OSSL_LIB_CTX		*nullctx;	/* dec's key-less context */
	struct fast_keyctx	 keys[FAST_KEYCTX_MAX];
	size_t			 nkeys;
	unsigned long		 fallbacks;
	unsigned long		 keys_walked;	/* keys taken by key_walk */
	int			 full_only;
	struct fast_group	 groups[FAST_GROUPS_MAX];
	size_t			 ngroups;
	BN_CTX			*bnctx;		/* for the points */
	signed char		 b64[256];	/* base64 digit values */
	unsigned char		*scratch;	/* decoded PEM bodies */
	size_t			 scratch_cap;
};

/* Values of base64 digits, 64 for '=', -1 for anything else. */
static void
b64_table(signed char t[256])
{
	static const char	 alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	int			 i;

	memset(t, -1, 256);
	for (i = 0; i < 64; i++)
		t[(unsigned char)alphabet[i]] = (signed char)i;
	t['='] = 64;
}

struct cs_fast *
cs_fast_new(const struct cs_decoder_opts *opts)
{
	struct cs_decoder_opts	 o = { 0 };
	struct cs_fast		*f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return NULL;
	if (opts != NULL)
		o = *opts;
	/* from_object reads neither extension values nor a CSR's verdict */
	o.unsettled = 1;
	f->libctx = o.libctx;
	f->dec = cs_decoder_new(&o);
	f->sha256 = EVP_MD_fetch(f->libctx, "SHA256", NULL);
	b64_table(f->b64);
	if (f->dec != NULL)
		f->nullctx = cs_decoder_keyless(f->dec);
	if (f->dec == NULL || f->sha256 == NULL || f->nullctx == NULL) {
		cs_fast_free(f);
		return NULL;
	}
	return f;
}

void
cs_fast_free(struct cs_fast *f)
{
	size_t	 i;

	if (f == NULL)
		return;
	for (i = 0; i < f->nkeys; i++) {
		OSSL_DECODER_CTX_free(f->keys[i].dctx);
		EVP_PKEY_free(f->keys[i].slot);
	}
	for (i = 0; i < f->ngroups; i++)
		EC_GROUP_free(f->groups[i].group);
	BN_CTX_free(f->bnctx);
	cs_decoder_free(f->dec);
	EVP_MD_free(f->sha256);
	OPENSSL_clear_free(f->scratch, f->scratch_cap);
	free(f);
}

static void
fast_obj_free(struct cs_fast_obj *o)
{
	if (o == NULL)
		return;
	free(o->spki);
	free(o);
}

void
cs_fast_result_release(struct cs_fast_result *res)
{
	size_t	 i;

	for (i = 0; i < res->objects.n; i++)
		fast_obj_free(res->objects.v[i]);
	for (i = 0; i < res->errors.n; i++)
		cs_diag_free(res->errors.v[i]);
	for (i = 0; i < res->skipped.n; i++)
		cs_diag_free(res->skipped.v[i]);
	cs_vec_release(&res->objects);
	cs_vec_release(&res->errors);
	cs_vec_release(&res->skipped);
	res->foreign = 0;
}

/*
 * The SPKI's parts as DER slices: algorithm OID contents, the parameters
 * TLV (may be empty) and the BIT STRING contents (unused-bits octet first).
 */
struct spki_parts {
	const unsigned char	*oid;
	long			 oid_len;
	const unsigned char	*params;
	long			 params_len;
	const unsigned char	*bits;
	long			 bits_len;
};

/* One TLV at *p within end: tag, contents, advancing *p past it. */
static int
tlv(const unsigned char **p, const unsigned char *end, int want_tag,
    const unsigned char **contents, long *clen)
{
	const unsigned char	*q = *p;
	long			 len;
	int			 tag, xclass, ret;

	if (q >= end)
		return -1;
	ret = ASN1_get_object(&q, &len, &tag, &xclass, end - q);
	if ((ret & 0x80) || ret == 0x21 || xclass != V_ASN1_UNIVERSAL ||
	    tag != want_tag || len > end - q)
		return -1;
	*contents = q;
	*clen = len;
	*p = q + len;
	return 0;
}

static int
spki_split(const unsigned char *der, size_t len, struct spki_parts *sp)
{
	const unsigned char	*p = der, *end = der + len, *seq, *alg, *aend;
	long			 seq_len, alg_len;

	if (tlv(&p, end, V_ASN1_SEQUENCE, &seq, &seq_len) == -1 || p != end)
		return -1;
	p = seq;
	end = seq + seq_len;
	if (tlv(&p, end, V_ASN1_SEQUENCE, &alg, &alg_len) == -1)
		return -1;
	aend = alg + alg_len;
	if (tlv(&alg, aend, V_ASN1_OBJECT, &sp->oid, &sp->oid_len) == -1)
		return -1;
	sp->params = alg;
	sp->params_len = aend - alg;
	if (tlv(&p, end, V_ASN1_BIT_STRING, &sp->bits, &sp->bits_len) == -1 ||
	    p != end || sp->bits_len < 1)
		return -1;
	return 0;
}

/* DER of id-ecPublicKey (1.2.840.10045.2.1), contents only. */
static const unsigned char oid_ec[] = {
	0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01
};

/* An EC SPKI whose point is compressed (or hybrid), re-encoded
 * uncompressed. */
static int
ec_uncompress(const unsigned char *der, size_t len, unsigned char **out,
    size_t *out_len)
{
	const unsigned char	*p = der;
	EVP_PKEY		*pkey;
	unsigned char		*buf = NULL;
	int			 n, ok = -1;

	if ((pkey = d2i_PUBKEY(NULL, &p, (long)len)) == NULL)
		goto done;
	if (EVP_PKEY_set_utf8_string_param(pkey,
	    OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT, "uncompressed") != 1)
		goto done;
	if ((n = i2d_PUBKEY(pkey, &buf)) <= 0)
		goto done;
	if ((*out = malloc((size_t)n)) == NULL)
		goto done;
	memcpy(*out, buf, (size_t)n);
	*out_len = (size_t)n;
	ok = 0;
done:
	OPENSSL_free(buf);
	EVP_PKEY_free(pkey);
	ERR_clear_error();
	return ok;
}

/* As cs_spki_normalise, with the digest given (a fetched one saves an
 * implicit fetch per call). */
static int
spki_normalise(const EVP_MD *md, const unsigned char *spki, size_t len,
    unsigned char sha256[32], unsigned char **der_out, size_t *der_len)
{
	struct spki_parts	 sp;
	unsigned char		*norm = NULL;
	size_t			 norm_len = 0;

	if (spki_split(spki, len, &sp) == -1)
		return -1;
	if (sp.oid_len == (long)sizeof(oid_ec) &&
	    memcmp(sp.oid, oid_ec, sizeof(oid_ec)) == 0 && sp.bits_len >= 2 &&
	    (sp.bits[1] == 0x02 || sp.bits[1] == 0x03 || sp.bits[1] == 0x06 ||
	    sp.bits[1] == 0x07) &&
	    ec_uncompress(spki, len, &norm, &norm_len) == 0) {
		spki = norm;
		len = norm_len;
	}
	if (EVP_Digest(spki, len, sha256, NULL, md, NULL) != 1) {
		free(norm);
		ERR_clear_error();
		return -1;
	}
	if (der_out != NULL) {
		if (norm == NULL) {
			if ((norm = malloc(len)) == NULL)
				return -1;
			memcpy(norm, spki, len);
		}
		*der_out = norm;
		*der_len = len;
	} else
		free(norm);
	return 0;
}

int
cs_spki_normalise(const unsigned char *spki, size_t len,
    unsigned char sha256[32], unsigned char **der_out, size_t *der_len)
{
	return spki_normalise(EVP_sha256(), spki, len, sha256, der_out,
	    der_len);
}

/* The SPKI DER of a decoded object as found (re-encoded), or NULL. */
static unsigned char *
obj_spki_der(const struct cs_object *obj, int *len)
{
	unsigned char	*der = NULL;

	*len = 0;
	if (obj->cert != NULL)
		*len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(obj->cert), &der);
	else if (obj->req != NULL)
		*len = i2d_X509_PUBKEY(X509_REQ_get_X509_PUBKEY(obj->req),
		    &der);
	else if (obj->pubkey != NULL)
		*len = i2d_X509_PUBKEY(obj->pubkey, &der);
	else if (obj->pkey != NULL)
		*len = i2d_PUBKEY(obj->pkey, &der);
	if (*len <= 0) {
		ERR_clear_error();
		OPENSSL_free(der);
		return NULL;
	}
	return der;
}

static int
name_hash(struct cs_fast *f, const X509_NAME *name, unsigned char out[32])
{
	unsigned char	*der = NULL;
	int		 len, ok;

	if (name == NULL || (len = i2d_X509_NAME(name, &der)) <= 0) {
		ERR_clear_error();
		return 0;
	}
	ok = EVP_Digest(der, (size_t)len, out, NULL, f->sha256, NULL) == 1;
	OPENSSL_free(der);
	return ok;
}

/* Converts one fully decoded object. */
static struct cs_fast_obj *
from_object(struct cs_fast *f, const struct cs_object *obj)
{
	struct cs_fast_obj	*o;
	unsigned char		*der;
	int			 len;

	if ((o = calloc(1, sizeof(*o))) == NULL)
		return NULL;
	o->kind = obj->kind;
	o->index = obj->src.index;
	o->locked = obj->key.locked;
	if ((der = obj_spki_der(obj, &len)) != NULL) {
		if (spki_normalise(f->sha256, der, (size_t)len,
		    o->spki_sha256, &o->spki, &o->spki_len) == 0)
			o->has_spki = 1;
		OPENSSL_free(der);
	}
	if (obj->cert != NULL) {
		o->has_validity = obj->validity.present;
		o->not_before = obj->validity.not_before;
		o->not_after = obj->validity.not_after;
		o->is_ca = X509_check_ca(obj->cert) == 1 &&
		    (X509_get_extension_flags(obj->cert) & EXFLAG_BCONS) != 0;
		o->self_issued = X509_NAME_cmp(X509_get_subject_name(obj->cert),
		    X509_get_issuer_name(obj->cert)) == 0;
		o->has_subject = name_hash(f, X509_get_subject_name(obj->cert),
		    o->subject_sha256);
	} else if (obj->req != NULL)
		o->has_subject = name_hash(f,
		    X509_REQ_get_subject_name(obj->req), o->subject_sha256);
	ERR_clear_error();
	return o;
}

/* The whole file through the full decoder, converted. */
int
cs_fast_from_result(struct cs_fast *f, struct cs_result *full,
    struct cs_fast_result *res)
{
	struct cs_fast_obj	*o;
	size_t			 i;

	res->foreign = full->foreign;
	/* The diagnostics move over as they are. */
	for (i = 0; i < full->errors.n; i++)
		if (cs_vec_push(&res->errors, full->errors.v[i]) == -1)
			cs_diag_free(full->errors.v[i]);
	for (i = 0; i < full->skipped.n; i++)
		if (cs_vec_push(&res->skipped, full->skipped.v[i]) == -1)
			cs_diag_free(full->skipped.v[i]);
	full->errors.n = full->skipped.n = 0;
	for (i = 0; i < full->objects.n; i++) {
		if ((o = from_object(f, full->objects.v[i])) == NULL ||
		    cs_vec_push(&res->objects, o) == -1) {
			fast_obj_free(o);
			return -1;
		}
	}
	return 0;
}

static int
full_decode(struct cs_fast *f, const char *path, const unsigned char *buf,
    size_t len, struct cs_fast_result *res)
{
	struct cs_result	 full = { 0 };
	int			 rc;

	rc = cs_decode_buffer(f->dec, path, buf, len, &full);
	if (cs_fast_from_result(f, &full, res) == -1)
		rc = -1;
	cs_result_release(&full);
	return rc;
}

/*
 * The fast path proper. Each step returns 0, or -1 to give the whole file
 * to the full decoder: on anything it does not handle, anything unusual and
 * any error, so that errors, messages and numbering are the full
 * decoder's own.
 */
struct fast_file {
	struct cs_fast		*f;
	const char		*path;
	struct cs_fast_result	*res;
	int			 next;		/* index of the next object */
	int			 block;		/* PEM block from 1; DER: 0 */
	const char		*label;
};

static struct cs_fast_obj *
obj_add(struct fast_file *ff, enum cs_kind kind)
{
	struct cs_fast_obj	*o;

	if ((o = calloc(1, sizeof(*o))) == NULL)
		return NULL;
	o->kind = kind;
	o->index = ff->next;
	if (cs_vec_push(&ff->res->objects, o) == -1) {
		free(o);
		return NULL;
	}
	ff->next++;
	return o;
}

static int
obj_spki(struct cs_fast *f, struct cs_fast_obj *o, const unsigned char *der,
    size_t len)
{
	if (spki_normalise(f->sha256, der, len, o->spki_sha256, &o->spki,
	    &o->spki_len) == -1)
		return -1;
	o->has_spki = 1;
	return 0;
}

/* A skipped block, worded as blk_skip words it. */
static int
skip_add(struct fast_file *ff, const char *why)
{
	struct cs_diag	*d;

	if ((d = calloc(1, sizeof(*d))) == NULL)
		return -1;
	d->index = ff->next;
	if (ff->block > 0)
		d->message = cs_printf("block %d (%s): %s", ff->block,
		    ff->label, why);
	else
		d->message = cs_strdup(why);
	if (d->message == NULL || (d->path = cs_strdup(ff->path)) == NULL ||
	    cs_vec_push(&ff->res->skipped, d) == -1) {
		cs_diag_free(d);
		return -1;
	}
	return 0;
}

/* ASN1_TIME to epoch seconds exactly as the view computes it. */
static int64_t
time_epoch(const ASN1_TIME *t)
{
	struct tm	 tm;

	memset(&tm, 0, sizeof(tm));
	if (t == NULL || !ASN1_TIME_to_tm(t, &tm)) {
		ERR_clear_error();
		return 0;
	}
	return cs_tm_epoch(&tm);
}

static int
pubkey_spki(struct cs_fast *f, struct cs_fast_obj *o,
    const X509_PUBKEY *pub)
{
	unsigned char	*der = NULL;
	int		 len;

	if (pub == NULL || (len = i2d_X509_PUBKEY(pub, &der)) <= 0) {
		ERR_clear_error();
		return 0;
	}
	if (obj_spki(f, o, der, (size_t)len) == -1)
		ERR_clear_error();
	OPENSSL_free(der);
	return 0;
}

/*
 * A certificate decoded by d2i_X509 in the provider-less library context:
 * every field as the full decoder sees it, but the public key stays DER.
 */
static int
cert_exact(struct fast_file *ff, const unsigned char *der, size_t len)
{
	const unsigned char	*p = der;
	struct cs_fast_obj	*o;
	X509			*x;
	uint32_t		 flags;
	int			 rc = -1;

	if ((x = X509_new_ex(ff->f->nullctx, NULL)) == NULL)
		return -1;
	if (d2i_X509(&x, &p, (long)len) == NULL) {
		ERR_clear_error();
		return -1;
	}
	if (p != der + len || (o = obj_add(ff, CS_KIND_CERT)) == NULL)
		goto done;
	pubkey_spki(ff->f, o, X509_get_X509_PUBKEY(x));
	o->has_validity = 1;
	o->not_before = time_epoch(X509_get0_notBefore(x));
	o->not_after = time_epoch(X509_get0_notAfter(x));
	/* Without a SHA-1 provider the first caching of the extensions
	 * reports failure (no fingerprint); later calls answer from the
	 * cache, as X509_check_ca does with a fingerprint. */
	flags = X509_get_extension_flags(x);
	o->is_ca = (flags & EXFLAG_BCONS) != 0 && X509_check_ca(x) == 1;
	o->self_issued = X509_NAME_cmp(X509_get_subject_name(x),
	    X509_get_issuer_name(x)) == 0;
	o->has_subject = name_hash(ff->f, X509_get_subject_name(x),
	    o->subject_sha256);
	rc = 0;
done:
	X509_free(x);
	ERR_clear_error();
	return rc;
}

static int
req_exact(struct fast_file *ff, const unsigned char *der, size_t len)
{
	const unsigned char	*p = der;
	struct cs_fast_obj	*o;
	X509_REQ		*req;
	int			 rc = -1;

	if ((req = X509_REQ_new_ex(ff->f->nullctx, NULL)) == NULL)
		return -1;
	if (d2i_X509_REQ(&req, &p, (long)len) == NULL) {
		ERR_clear_error();
		return -1;
	}
	if (p != der + len || (o = obj_add(ff, CS_KIND_CSR)) == NULL)
		goto done;
	pubkey_spki(ff->f, o, X509_REQ_get_X509_PUBKEY(req));
	o->has_subject = name_hash(ff->f, X509_REQ_get_subject_name(req),
	    o->subject_sha256);
	rc = 0;
done:
	X509_REQ_free(req);
	ERR_clear_error();
	return rc;
}

static int
spki_file(struct fast_file *ff, const unsigned char *der, size_t len)
{
	const unsigned char	*p = der;
	struct cs_fast_obj	*o;
	X509_PUBKEY		*pub;
	int			 rc = -1;

	/* d2i in the null context: the structure only, as the full decoder's
	 * d2i_X509_PUBKEY accepts it, without decoding the key. */
	if ((pub = d2i_X509_PUBKEY(NULL, &p, (long)len)) == NULL) {
		ERR_clear_error();
		return -1;
	}
	if (p == der + len && (o = obj_add(ff, CS_KIND_PUBKEY)) != NULL) {
		pubkey_spki(ff->f, o, pub);
		rc = 0;
	}
	X509_PUBKEY_free(pub);
	ERR_clear_error();
	return rc;
}

/* --- EC groups ------------------------------------------------------- */

/* Whether a key's SPKI, built from its group's name, names the curve by
 * this OID again (then the walk takes it), and the group's order. */
static void
group_facts(struct fast_group *g)
{
	const ASN1_OBJECT	*obj = OBJ_nid2obj(g->nid);
	const BIGNUM		*order = EC_GROUP_get0_order(g->group);
	const char		*name = OSSL_EC_curve_nid2name(g->nid);

	g->order_len = (size_t)BN_num_bytes(order);
	g->named = name != NULL && OBJ_sn2nid(name) == g->nid &&
	    obj != NULL && OBJ_length(obj) == g->oid_len - 2 &&
	    memcmp(OBJ_get0_data(obj), g->oid + 2, g->oid_len - 2) == 0 &&
	    g->order_len <= ORDER_MAX &&
	    BN_bn2bin(order, g->order) == (int)g->order_len;
}

/*
 * The group of the curve a DER OID (its TLV) names, built once per cs_fast
 * and kept with what the key walk needs of it; NULL when OpenSSL has no
 * such curve, for SM2 (OpenSSL loads its keys as another type) and when
 * the cache is full (the caller then decodes the key). Only curves that
 * have a group take a place, so junk OIDs cannot fill the cache.
 */
static const struct fast_group *
curve_group(struct cs_fast *f, const unsigned char *tlv, size_t len)
{
	struct fast_group	*g;
	const unsigned char	*p = tlv;
	ASN1_OBJECT		*obj = NULL;
	size_t			 i;
	int			 nid = NID_undef;

	if (len < 3 || len > CURVE_TLV_MAX || tlv[0] != V_ASN1_OBJECT ||
	    tlv[1] != len - 2)
		return NULL;
	for (i = 0; i < f->ngroups; i++)
		if (f->groups[i].oid_len == len &&
		    memcmp(f->groups[i].oid, tlv, len) == 0)
			return &f->groups[i];
	if (f->ngroups == FAST_GROUPS_MAX)
		return NULL;
	if (d2i_ASN1_OBJECT(&obj, &p, (long)len) != NULL && p == tlv + len)
		nid = OBJ_obj2nid(obj);
	ASN1_OBJECT_free(obj);
	g = &f->groups[f->ngroups];
	if (nid == NID_undef || nid == NID_sm2 || (g->group =
	    EC_GROUP_new_by_curve_name_ex(f->libctx, NULL, nid)) == NULL) {
		ERR_clear_error();
		return NULL;
	}
	f->ngroups++;
	memcpy(g->oid, tlv, len);
	g->oid_len = len;
	g->nid = nid;
	group_facts(g);
	ERR_clear_error();
	return g;
}

/* A point encoding on g's curve (oct2point refuses one off the curve or
 * outside the field) other than the point at infinity. */
static int
point_ok(struct cs_fast *f, const struct fast_group *g,
    const unsigned char *pt, size_t len)
{
	EC_POINT	*p;
	int		 ok;

	if (f->bnctx == NULL && (f->bnctx = BN_CTX_new_ex(f->libctx)) == NULL)
		return 0;
	if ((p = EC_POINT_new(g->group)) == NULL)
		return 0;
	ok = EC_POINT_oct2point(g->group, p, pt, len, f->bnctx) == 1 &&
	    !EC_POINT_is_at_infinity(g->group, p);
	EC_POINT_free(p);
	ERR_clear_error();
	return ok;
}

/* --- keys ------------------------------------------------------------- */

/* The decoder parameters src/input/keys.c uses for each kind. */
static const struct {
	enum der_kind	 kind;
	const char	*structure;
	const char	*keytype;
	int		 selection;
	enum cs_kind	 obj_kind;
} key_forms[] = {
	{ DK_PKCS8, "PrivateKeyInfo", NULL, EVP_PKEY_KEYPAIR, CS_KIND_PRIVKEY },
	{ DK_RSA_PRIV, "type-specific", "RSA", EVP_PKEY_KEYPAIR,
	    CS_KIND_PRIVKEY },
	{ DK_EC_PRIV, "type-specific", "EC", EVP_PKEY_KEYPAIR,
	    CS_KIND_PRIVKEY },
	{ DK_DSA_PRIV, "type-specific", "DSA", EVP_PKEY_KEYPAIR,
	    CS_KIND_PRIVKEY },
	{ DK_ANY_PRIV, NULL, NULL, EVP_PKEY_KEYPAIR, CS_KIND_PRIVKEY },
	{ DK_RSA_PUB, "type-specific", "RSA", EVP_PKEY_PUBLIC_KEY,
	    CS_KIND_PUBKEY },
	/* Not a file kind the fast path decodes as a key (it walks SPKIs):
	 * for cs_fast_spki_key. */
	{ DK_SPKI, "SubjectPublicKeyInfo", NULL, EVP_PKEY_PUBLIC_KEY,
	    CS_KIND_PUBKEY },
};

static int
key_form_of(enum der_kind kind)
{
	size_t	 i;

	for (i = 0; i < sizeof(key_forms) / sizeof(key_forms[0]); i++)
		if (key_forms[i].kind == kind)
			return (int)i;
	return -1;
}

/*
 * A PrivateKeyInfo or SubjectPublicKeyInfo context limited to the key type
 * its algorithm names decodes in a fraction of the time of one that tries
 * every type; a key the limited context refuses goes to the full decoder
 * like any error.
 */
static const struct {
	unsigned char	 oid[9];
	size_t		 len;
	const char	*keytype;
} alg_types[] = {
	{ { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01 }, 9, "RSA" },
	{ { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01 }, 7, "EC" },
	{ { 0x2b, 0x65, 0x70 }, 3, "ED25519" },
	{ { 0x2b, 0x65, 0x71 }, 3, "ED448" },
	{ { 0x2b, 0x65, 0x6e }, 3, "X25519" },
	{ { 0x2b, 0x65, 0x6f }, 3, "X448" },
};

/* The key type an algorithm OID (contents) names, or NULL (any type). */
static const char *
oid_keytype(const unsigned char *oid, long len)
{
	size_t	 i;

	for (i = 0; i < sizeof(alg_types) / sizeof(alg_types[0]); i++)
		if ((size_t)len == alg_types[i].len &&
		    memcmp(oid, alg_types[i].oid, alg_types[i].len) == 0)
			return alg_types[i].keytype;
	return NULL;
}

/* The key type of a PrivateKeyInfo's algorithm, or NULL (any type). */
static const char *
p8_keytype(const unsigned char *der, size_t len)
{
	const unsigned char	*p = der, *end = der + len, *c, *oid;
	long			 clen, olen;

	if (tlv(&p, end, V_ASN1_SEQUENCE, &c, &clen) == -1)
		return NULL;
	p = c;
	end = c + clen;
	if (tlv(&p, end, V_ASN1_INTEGER, &c, &clen) == -1 ||
	    tlv(&p, end, V_ASN1_SEQUENCE, &c, &clen) == -1 ||
	    tlv(&c, c + clen, V_ASN1_OBJECT, &oid, &olen) == -1)
		return NULL;
	return oid_keytype(oid, olen);
}

/* The context for a key form; algtype is the key type the algorithm OID
 * names, for the forms that carry one (PKCS#8, SPKI). */
static struct fast_keyctx *
keyctx_get(struct cs_fast *f, int form, const char *algtype)
{
	struct fast_keyctx	*c;
	const char		*keytype = key_forms[form].keytype;
	size_t			 i;

	if (key_forms[form].kind == DK_PKCS8 || key_forms[form].kind == DK_SPKI)
		keytype = algtype;
	for (i = 0; i < f->nkeys; i++)
		if (f->keys[i].kind == key_forms[form].kind &&
		    f->keys[i].keytype == keytype)
			return &f->keys[i];
	if (f->nkeys == FAST_KEYCTX_MAX)
		return NULL;
	c = &f->keys[f->nkeys];
	c->dctx = OSSL_DECODER_CTX_new_for_pkey(&c->slot, "DER",
	    key_forms[form].structure, keytype, key_forms[form].selection,
	    f->libctx, NULL);
	if (c->dctx == NULL)
		return NULL;
	c->kind = key_forms[form].kind;
	c->keytype = keytype;
	f->nkeys++;
	return c;
}

/* A small DER writer for the SPKIs built from key parameters. */
struct dbuf {
	unsigned char	*p;
	size_t		 len;
	size_t		 cap;
	int		 failed;
};

static void
dbuf_put(struct dbuf *d, const void *data, size_t len)
{
	if (d->failed || len > d->cap - d->len) {
		d->failed = 1;
		return;
	}
	memcpy(d->p + d->len, data, len);
	d->len += len;
}

static void
dbuf_hdr(struct dbuf *d, unsigned char tag, size_t len)
{
	unsigned char	 h[6];
	size_t		 n = 0, l;
	int		 i, bytes = 0;

	h[n++] = tag;
	if (len < 0x80)
		h[n++] = (unsigned char)len;
	else {
		for (l = len; l > 0; l >>= 8)
			bytes++;
		if (bytes > 4) {
			d->failed = 1;
			return;
		}
		h[n++] = (unsigned char)(0x80 | bytes);
		for (i = bytes - 1; i >= 0; i--)
			h[n++] = (unsigned char)(len >> (8 * i));
	}
	dbuf_put(d, h, n);
}

/* Tag and length octets of a DER TLV with len content octets. */
static size_t
hdr_len(size_t len)
{
	size_t	 n = 2;

	if (len < 0x80)
		return n;
	for (; len > 0; len >>= 8)
		n++;
	return n;
}

/* SEQUENCE { SEQUENCE { alg, params }, BIT STRING { 0, key } } */
static int
spki_build(struct dbuf *d, const unsigned char *alg, size_t alg_len,
    size_t key_len)
{
	size_t	 bits = 1 + key_len, inner;

	inner = hdr_len(alg_len) + alg_len + hdr_len(bits) + bits;
	d->cap = hdr_len(inner) + inner;
	d->len = 0;
	if ((d->p = malloc(d->cap)) == NULL)
		return -1;
	dbuf_hdr(d, V_ASN1_SEQUENCE | V_ASN1_CONSTRUCTED, inner);
	dbuf_hdr(d, V_ASN1_SEQUENCE | V_ASN1_CONSTRUCTED, alg_len);
	dbuf_put(d, alg, alg_len);
	dbuf_hdr(d, V_ASN1_BIT_STRING, bits);
	dbuf_put(d, "", 1);
	return d->failed ? -1 : 0;
}

/* AlgorithmIdentifier contents: rsaEncryption, NULL. */
static const unsigned char alg_rsa[] = {
	0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01,
	0x05, 0x00
};

/* Largest RSA modulus taken here (bytes); larger keys use i2d_PUBKEY. */
#define RSA_N_MAX	1024

/* An unsigned OSSL_PARAM integer (native byte order) as big-endian bytes
 * without leading zeros; returns the length. */
static size_t
native_to_be(const unsigned char *in, size_t len, unsigned char *out)
{
	static const uint16_t	 one = 1;
	size_t			 i, n = len;

	if (*(const unsigned char *)&one == 1) {
		while (n > 0 && in[n - 1] == 0)
			n--;
		for (i = 0; i < n; i++)
			out[i] = in[n - 1 - i];
		return n;
	}
	for (i = 0; i < len && in[i] == 0; i++)
		;
	memcpy(out, in + i, len - i);
	return len - i;
}

/* INTEGER from big-endian magnitude bytes (n may be 0). */
static size_t
uint_len(const unsigned char *be, size_t n)
{
	n += n == 0 || (be[0] & 0x80);
	return hdr_len(n) + n;
}

static void
dbuf_uint(struct dbuf *d, const unsigned char *be, size_t n)
{
	int	 pad = n == 0 || (be[0] & 0x80);

	dbuf_hdr(d, V_ASN1_INTEGER, n + (size_t)pad);
	if (pad)
		dbuf_put(d, "", 1);
	dbuf_put(d, be, n);
}

/* The rsaEncryption SPKI of n and e (big-endian, no leading zeros). */
static int
rsa_spki_of(struct dbuf *d, const unsigned char *n, size_t nlen,
    const unsigned char *e, size_t elen)
{
	size_t	 seq = uint_len(n, nlen) + uint_len(e, elen);

	if (spki_build(d, alg_rsa, sizeof(alg_rsa), hdr_len(seq) + seq) == -1)
		return -1;
	dbuf_hdr(d, V_ASN1_SEQUENCE | V_ASN1_CONSTRUCTED, seq);
	dbuf_uint(d, n, nlen);
	dbuf_uint(d, e, elen);
	return d->failed || d->len != d->cap ? -1 : 0;
}

/* The id-ecPublicKey SPKI of a named curve (OID contents) and a point. */
static int
ec_spki_of(struct dbuf *d, const unsigned char *curve, size_t clen,
    const unsigned char *point, size_t plen)
{
	unsigned char	 alg[4 + sizeof(oid_ec) + 40];
	size_t		 alen = 0;

	if (clen > 40)
		return -1;
	alg[alen++] = V_ASN1_OBJECT;
	alg[alen++] = sizeof(oid_ec);
	memcpy(alg + alen, oid_ec, sizeof(oid_ec));
	alen += sizeof(oid_ec);
	alg[alen++] = V_ASN1_OBJECT;
	alg[alen++] = (unsigned char)clen;
	memcpy(alg + alen, curve, clen);
	alen += clen;
	if (spki_build(d, alg, alen, plen) == -1)
		return -1;
	dbuf_put(d, point, plen);
	return d->failed || d->len != d->cap ? -1 : 0;
}

/*
 * n and e in one EVP_PKEY_get_params call into fixed buffers: the
 * EVP_PKEY_get_bn_param pair costs ten times more (two exports, two BIGNUM
 * conversions).
 */
static int
rsa_spki(EVP_PKEY *pkey, struct dbuf *d)
{
	unsigned char	 nraw[RSA_N_MAX], eraw[64], n[RSA_N_MAX], e[64];
	OSSL_PARAM	 ps[] = {
		OSSL_PARAM_BN(OSSL_PKEY_PARAM_RSA_N, nraw, sizeof(nraw)),
		OSSL_PARAM_BN(OSSL_PKEY_PARAM_RSA_E, eraw, sizeof(eraw)),
		OSSL_PARAM_END
	};
	size_t		 nlen, elen;

	if (!EVP_PKEY_get_params(pkey, ps) || !OSSL_PARAM_modified(&ps[0]) ||
	    !OSSL_PARAM_modified(&ps[1]) || ps[0].return_size > sizeof(nraw) ||
	    ps[1].return_size > sizeof(eraw))
		return -1;
	nlen = native_to_be(nraw, ps[0].return_size, n);
	elen = native_to_be(eraw, ps[1].return_size, e);
	return rsa_spki_of(d, n, nlen, e, elen);
}

static int
ec_spki(EVP_PKEY *pkey, struct dbuf *d)
{
	unsigned char	 point[160];
	char		 name[64];
	const ASN1_OBJECT *curve;
	size_t		 plen;
	int		 nid;

	if (!EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_EC_ENCODING,
	    name, sizeof(name), NULL) ||
	    strcmp(name, OSSL_PKEY_EC_ENCODING_GROUP) != 0 ||
	    !EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME,
	    name, sizeof(name), NULL) ||
	    (nid = OBJ_sn2nid(name)) == NID_undef ||
	    (curve = OBJ_nid2obj(nid)) == NULL || OBJ_length(curve) == 0 ||
	    !EVP_PKEY_get_octet_string_param(pkey,
	    OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point, sizeof(point), &plen))
		return -1;
	/* The point at infinity (one zero octet) is left to i2d_PUBKEY, as
	 * in the full decoder. */
	if (plen < 2)
		return -1;
	return ec_spki_of(d, OBJ_get0_data(curve), OBJ_length(curve), point,
	    plen);
}

/* The keys whose SPKI is the algorithm OID and the raw public key. */
static const struct {
	const char	*name;
	unsigned char	 oid_last;	/* 1.3.101.x */
} raw_keys[] = {
	{ "ED25519", 112 }, { "ED448", 113 }, { "X25519", 110 },
	{ "X448", 111 },
};

static int
raw_spki(EVP_PKEY *pkey, struct dbuf *d)
{
	unsigned char	 alg[] = { V_ASN1_OBJECT, 3, 0x2b, 0x65, 0 }, pub[64];
	size_t		 i, plen;

	for (i = 0; i < sizeof(raw_keys) / sizeof(raw_keys[0]); i++)
		if (EVP_PKEY_is_a(pkey, raw_keys[i].name))
			break;
	if (i == sizeof(raw_keys) / sizeof(raw_keys[0]) ||
	    !EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY,
	    pub, sizeof(pub), &plen))
		return -1;
	alg[4] = raw_keys[i].oid_last;
	if (spki_build(d, alg, sizeof(alg), plen) == -1)
		return -1;
	dbuf_put(d, pub, plen);
	return d->failed || d->len != d->cap ? -1 : 0;
}

/*
 * The key's SPKI as i2d_PUBKEY would write it, built from the key's
 * parameters where the type is known (an encoder context per key costs
 * tens of microseconds); i2d_PUBKEY for the rest.
 */
static void
key_spki(struct cs_fast *f, struct cs_fast_obj *o, EVP_PKEY *pkey)
{
	struct dbuf	 d = { 0 };
	unsigned char	*der = NULL;
	int		 len;

	if ((EVP_PKEY_is_a(pkey, "RSA") && rsa_spki(pkey, &d) == 0) ||
	    (EVP_PKEY_is_a(pkey, "EC") && ec_spki(pkey, &d) == 0) ||
	    raw_spki(pkey, &d) == 0) {
		obj_spki(f, o, d.p, d.len);
		free(d.p);
		ERR_clear_error();
		return;
	}
	free(d.p);
	ERR_clear_error();
	if ((len = i2d_PUBKEY(pkey, &der)) > 0)
		obj_spki(f, o, der, (size_t)len);
	OPENSSL_free(der);
	ERR_clear_error();
}

static int
key_decode(struct fast_file *ff, int form, const unsigned char *der,
    size_t len)
{
	struct fast_keyctx	*c;
	struct cs_fast_obj	*o;
	const unsigned char	*p = der;
	size_t			 left = len;
	EVP_PKEY		*pkey;

	if ((c = keyctx_get(ff->f, form, p8_keytype(der, len))) == NULL)
		return -1;
	EVP_PKEY_free(c->slot);
	c->slot = NULL;
	if (!OSSL_DECODER_from_data(c->dctx, &p, &left) || c->slot == NULL ||
	    left != 0) {
		ERR_clear_error();
		return -1;
	}
	pkey = c->slot;
	c->slot = NULL;
	if ((o = obj_add(ff, key_forms[form].obj_kind)) != NULL)
		key_spki(ff->f, o, pkey);
	EVP_PKEY_free(pkey);
	return o == NULL ? -1 : 0;
}

/* --- the DER walker ---------------------------------------------------- */

/*
 * Certificates, CSRs and public keys are walked with ASN1_get_object rather
 * than decoded. The walker is stricter than d2i: definite, minimal lengths,
 * the string and parameter types OpenSSL takes without a second look, and
 * no field it cannot answer for exactly. Whatever it is unsure of goes to
 * the exact path above (one object) and whatever that rejects to the full
 * decoder (the file), so the walker never accepts what d2i would refuse.
 */
#define WALK_UNSURE	(-1)

struct der {
	const unsigned char	*p;
	const unsigned char	*end;
};

#define TAG_CTX(n)	(0x80 | (n))
#define TAG_CONS	0x20

/* The next TLV if its identifier octet is ident; its contents in *in and
 * its whole encoding in *tlv (may be NULL). */
static int
der_take(struct der *d, unsigned char ident, struct der *in, struct der *tlv)
{
	const unsigned char	*q = d->p;
	long			 len;
	int			 tag, cls, ret;

	if (q >= d->end || *q != ident)
		return WALK_UNSURE;
	ret = ASN1_get_object(&q, &len, &tag, &cls, d->end - d->p);
	if ((ret & 0x80) || (ret & 1) || len > d->end - q ||
	    (size_t)(q - d->p) != hdr_len((size_t)len))
		return WALK_UNSURE;
	in->p = q;
	in->end = q + len;
	if (tlv != NULL) {
		tlv->p = d->p;
		tlv->end = in->end;
	}
	d->p = in->end;
	return 0;
}

static int
der_peek(const struct der *d, unsigned char ident)
{
	return d->p < d->end && *d->p == ident;
}

/* INTEGER contents as c2i_ASN1_INTEGER takes them, and minimal. */
static int
int_ok(const struct der *c)
{
	size_t	 n = (size_t)(c->end - c->p);

	if (n == 0)
		return 0;
	return n == 1 || !((c->p[0] == 0 && !(c->p[1] & 0x80)) ||
	    (c->p[0] == 0xff && (c->p[1] & 0x80)));
}

static int
take_int(struct der *d)
{
	struct der	 c;

	return der_take(d, V_ASN1_INTEGER, &c, NULL) == 0 && int_ok(&c) ? 0 :
	    WALK_UNSURE;
}

/* OBJECT IDENTIFIER contents as c2i_ASN1_OBJECT takes them. */
static int
oid_ok(const struct der *c)
{
	const unsigned char	*p;

	if (c->p >= c->end || (c->end[-1] & 0x80))
		return 0;
	for (p = c->p; p < c->end; p++)
		if (*p == 0x80 && (p == c->p || !(p[-1] & 0x80)))
			return 0;
	return 1;
}

static int
take_oid(struct der *d, struct der *c)
{
	return der_take(d, V_ASN1_OBJECT, c, NULL) == 0 && oid_ok(c) ? 0 :
	    WALK_UNSURE;
}

/* BIT STRING contents; canonical: padding bits zero, as i2d rewrites them. */
static int
bits_ok(const struct der *c, int canonical)
{
	size_t	 n = (size_t)(c->end - c->p);

	if (n == 0 || c->p[0] > 7)
		return 0;
	if (!canonical)
		return 1;
	if (n == 1)
		return c->p[0] == 0;
	return (c->end[-1] & ((1u << c->p[0]) - 1)) == 0;
}

static int
take_bits(struct der *d, unsigned char ident, int canonical)
{
	struct der	 c;

	return der_take(d, ident, &c, NULL) == 0 && bits_ok(&c, canonical) ?
	    0 : WALK_UNSURE;
}

/* AlgorithmIdentifier with no parameters, NULL, an OID or a SEQUENCE. */
static int
take_algid(struct der *d)
{
	struct der	 alg, c;

	if (der_take(d, V_ASN1_SEQUENCE | TAG_CONS, &alg, NULL) == -1 ||
	    take_oid(&alg, &c) == -1)
		return WALK_UNSURE;
	if (der_peek(&alg, V_ASN1_NULL)) {
		if (der_take(&alg, V_ASN1_NULL, &c, NULL) == -1 || c.p != c.end)
			return WALK_UNSURE;
	} else if (der_peek(&alg, V_ASN1_OBJECT)) {
		if (take_oid(&alg, &c) == -1)
			return WALK_UNSURE;
	} else if (der_peek(&alg, V_ASN1_SEQUENCE | TAG_CONS) &&
	    der_take(&alg, V_ASN1_SEQUENCE | TAG_CONS, &c, NULL) == -1)
		return WALK_UNSURE;
	return alg.p == alg.end ? 0 : WALK_UNSURE;
}

/* SubjectPublicKeyInfo whose DER is what i2d_X509_PUBKEY writes back. */
static int
take_spki(struct der *d, struct der *tlv)
{
	struct der	 spki;

	if (der_take(d, V_ASN1_SEQUENCE | TAG_CONS, &spki, tlv) == -1 ||
	    take_algid(&spki) == -1 ||
	    take_bits(&spki, V_ASN1_BIT_STRING, 1) == -1)
		return WALK_UNSURE;
	return spki.p == spki.end ? 0 : WALK_UNSURE;
}

/* --- private keys, walked --------------------------------------------- */

/*
 * An RSA or EC private key carries its public key (n and e; SEC1's
 * publicKey), so its SPKI is built from those bytes without decoding the
 * key: a decoder context costs tens of microseconds a key, the walk one or
 * two. The walk takes the plain shapes only: PKCS#1 version 0 (two primes)
 * with every INTEGER positive and minimal; SEC1 version 1 on a named curve
 * with its public point (checked on the curve as d2i checks it) and a
 * private scalar of the order's length in [1, order); either in a PKCS#8
 * version 0 without attributes. Anything else goes to the decoder context
 * as before: the walk never takes what the decoder would refuse.
 */
struct walked_key {
	int			 ec;
	struct der		 n, e;		/* RSA: INTEGER contents */
	struct der		 curve;		/* EC: OID TLV */
	struct der		 point;		/* EC: the encoded point */
};

/* INTEGER whose contents are the single octet v (a version). */
static int
take_version(struct der *d, unsigned char v)
{
	struct der	 c;

	return der_take(d, V_ASN1_INTEGER, &c, NULL) == 0 &&
	    c.end - c.p == 1 && c.p[0] == v ? 0 : WALK_UNSURE;
}

/* A minimal INTEGER greater than zero; its contents in *c. */
static int
take_posint(struct der *d, struct der *c)
{
	if (der_take(d, V_ASN1_INTEGER, c, NULL) == -1 || !int_ok(c) ||
	    (c->p[0] & 0x80) || (c->end - c->p == 1 && c->p[0] == 0))
		return WALK_UNSURE;
	return 0;
}

/* RSAPrivateKey { 0, n, e, d, p, q, dp, dq, qinv } spanning der. */
static int
walk_rsa_priv(const struct der *der, struct walked_key *k)
{
	struct der	 all = *der, seq, x;
	int		 i;

	if (der_take(&all, V_ASN1_SEQUENCE | TAG_CONS, &seq, NULL) == -1 ||
	    all.p != all.end || take_version(&seq, 0) == -1 ||
	    take_posint(&seq, &k->n) == -1 || take_posint(&seq, &k->e) == -1)
		return WALK_UNSURE;
	for (i = 0; i < 6; i++)
		if (take_posint(&seq, &x) == -1)
			return WALK_UNSURE;
	return seq.p == seq.end ? 0 : WALK_UNSURE;
}

/* [0] { curve OID }, if there: k->curve, or the same as k->curve when
 * the PKCS#8 algorithm named it. */
static int
take_ec_curve(struct der *seq, struct walked_key *k)
{
	struct der	 x, c, oid;

	if (!der_peek(seq, TAG_CTX(0) | TAG_CONS))
		return k->curve.p != NULL ? 0 : WALK_UNSURE;
	if (der_take(seq, TAG_CTX(0) | TAG_CONS, &x, NULL) == WALK_UNSURE ||
	    der_take(&x, V_ASN1_OBJECT, &c, &oid) == WALK_UNSURE ||
	    x.p != x.end || !oid_ok(&c))
		return WALK_UNSURE;
	if (k->curve.p == NULL) {
		k->curve = oid;
		return 0;
	}
	return oid.end - oid.p == k->curve.end - k->curve.p &&
	    memcmp(oid.p, k->curve.p, (size_t)(oid.end - oid.p)) == 0 ? 0 :
	    WALK_UNSURE;
}

/* [1] { BIT STRING { 0, point } }: k->point. */
static int
take_ec_point(struct der *seq, struct walked_key *k)
{
	struct der	 x, bits;

	if (der_take(seq, TAG_CTX(1) | TAG_CONS, &x, NULL) == WALK_UNSURE ||
	    der_take(&x, V_ASN1_BIT_STRING, &bits, NULL) == WALK_UNSURE ||
	    x.p != x.end || bits.end - bits.p < 2 || bits.p[0] != 0)
		return WALK_UNSURE;
	k->point.p = bits.p + 1;
	k->point.end = bits.end;
	return 0;
}

/* A private scalar of the order's length, not zero, below the order. */
static int
scalar_ok(const struct fast_group *g, const struct der *priv)
{
	size_t	 i;

	if ((size_t)(priv->end - priv->p) != g->order_len ||
	    memcmp(priv->p, g->order, g->order_len) >= 0)
		return 0;
	for (i = 0; i < g->order_len; i++)
		if (priv->p[i] != 0)
			return 1;
	return 0;
}

/*
 * ECPrivateKey { 1, privateKey, [0] curve, [1] publicKey } spanning der.
 * k->curve is the PKCS#8 algorithm's curve (p NULL for SEC1 alone); a [0]
 * must then name the same one.
 */
static int
walk_ec_priv(struct cs_fast *f, const struct der *der, struct walked_key *k)
{
	struct der		 all = *der, seq, priv;
	const struct fast_group	*g;
	const unsigned char	*pt;

	if (der_take(&all, V_ASN1_SEQUENCE | TAG_CONS, &seq, NULL) ==
	    WALK_UNSURE || all.p != all.end ||
	    take_version(&seq, 1) == WALK_UNSURE ||
	    der_take(&seq, V_ASN1_OCTET_STRING, &priv, NULL) == WALK_UNSURE ||
	    take_ec_curve(&seq, k) == WALK_UNSURE ||
	    take_ec_point(&seq, k) == WALK_UNSURE || seq.p != seq.end)
		return WALK_UNSURE;
	pt = k->point.p;
	if ((g = curve_group(f, k->curve.p,
	    (size_t)(k->curve.end - k->curve.p))) == NULL || !g->named ||
	    (pt[0] != 2 && pt[0] != 3 && pt[0] != 4) ||
	    !point_ok(f, g, pt, (size_t)(k->point.end - pt)) ||
	    !scalar_ok(g, &priv))
		return WALK_UNSURE;
	k->ec = 1;
	return 0;
}

/* PrivateKeyInfo { 0, { rsaEncryption, NULL } or { id-ecPublicKey, curve },
 * OCTET STRING } spanning der. */
static int
walk_p8(struct cs_fast *f, const struct der *der, struct walked_key *k)
{
	struct der	 all = *der, seq, alg, oid, inner;
	const char	*kt;

	if (der_take(&all, V_ASN1_SEQUENCE | TAG_CONS, &seq, NULL) == -1 ||
	    all.p != all.end || take_version(&seq, 0) == -1 ||
	    der_take(&seq, V_ASN1_SEQUENCE | TAG_CONS, &alg, NULL) == -1 ||
	    take_oid(&alg, &oid) == -1 ||
	    der_take(&seq, V_ASN1_OCTET_STRING, &inner, NULL) == -1 ||
	    seq.p != seq.end ||
	    (kt = oid_keytype(oid.p, oid.end - oid.p)) == NULL)
		return WALK_UNSURE;
	if (strcmp(kt, "RSA") == 0)
		return alg.end - alg.p == 2 && alg.p[0] == V_ASN1_NULL &&
		    alg.p[1] == 0 ? walk_rsa_priv(&inner, k) : WALK_UNSURE;
	if (strcmp(kt, "EC") != 0 ||
	    der_take(&alg, V_ASN1_OBJECT, &oid, &k->curve) == -1 ||
	    alg.p != alg.end || !oid_ok(&oid))
		return WALK_UNSURE;
	return walk_ec_priv(f, &inner, k);
}

/* The SPKI of a walked key, as key_spki builds it for the decoded key. */
static int
walked_spki(const struct walked_key *k, struct dbuf *d)
{
	struct der	 n = k->n, e = k->e;

	if (k->ec)	/* curve_group took the TLV: short form */
		return ec_spki_of(d, k->curve.p + 2,
		    (size_t)(k->curve.end - k->curve.p) - 2, k->point.p,
		    (size_t)(k->point.end - k->point.p));
	n.p += n.p[0] == 0;	/* magnitudes: no sign octet */
	e.p += e.p[0] == 0;
	return rsa_spki_of(d, n.p, (size_t)(n.end - n.p), e.p,
	    (size_t)(e.end - e.p));
}

/* A private key of a kind the walk takes, into ff with its SPKI: *walked
 * set; 0, or -1 when out of memory. Any other key is left to the decoder
 * (*walked 0). */
static int
key_walk(struct fast_file *ff, enum der_kind kind, const unsigned char *der,
    size_t len, int *walked)
{
	struct der		 all = { der, der + len };
	struct walked_key	 k;
	struct dbuf		 d = { 0 };
	struct cs_fast_obj	*o;
	int			 rc = WALK_UNSURE;

	*walked = 0;
	memset(&k, 0, sizeof(k));
	if (kind == DK_PKCS8)
		rc = walk_p8(ff->f, &all, &k);
	else if (kind == DK_RSA_PRIV)
		rc = walk_rsa_priv(&all, &k);
	else if (kind == DK_EC_PRIV)
		rc = walk_ec_priv(ff->f, &all, &k);
	if (rc == WALK_UNSURE)
		return 0;
	*walked = 1;
	if (walked_spki(&k, &d) == -1 || (o = obj_add(ff,
	    CS_KIND_PRIVKEY)) == NULL || obj_spki(ff->f, o, d.p, d.len) == -1) {
		free(d.p);
		return -1;
	}
	ff->f->keys_walked++;
	free(d.p);
	return 0;
}

/* Directory string types whose canonical form (X509_NAME_cmp) is the
 * ASCII text lower-cased with spaces folded. */
static int
simple_string(unsigned char ident, const struct der *v)
{
	const unsigned char	*p;

	if (ident != V_ASN1_PRINTABLESTRING && ident != V_ASN1_UTF8STRING &&
	    ident != V_ASN1_IA5STRING && ident != V_ASN1_T61STRING &&
	    ident != V_ASN1_VISIBLESTRING)
		return 0;
	for (p = v->p; p < v->end; p++)
		if (*p == 0 || *p >= 0x80)
			return 0;
	return 1;
}

/* A Name of single-attribute RDNs with simple strings (others: unsure). */
static int
take_name(struct der *d, struct der *tlv)
{
	struct der	 name, rdn, ava, c;
	unsigned char	 ident;

	if (der_take(d, V_ASN1_SEQUENCE | TAG_CONS, &name, tlv) == -1)
		return WALK_UNSURE;
	while (name.p < name.end) {
		if (der_take(&name, V_ASN1_SET | TAG_CONS, &rdn, NULL) == -1 ||
		    der_take(&rdn, V_ASN1_SEQUENCE | TAG_CONS, &ava,
		    NULL) == -1 ||
		    rdn.p != rdn.end || take_oid(&ava, &c) == -1 ||
		    ava.p >= ava.end)
			return WALK_UNSURE;
		ident = *ava.p;
		if (der_take(&ava, ident, &c, NULL) == -1 ||
		    !simple_string(ident, &c) || ava.p != ava.end)
			return WALK_UNSURE;
	}
	return 0;
}

static int
is_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* The canonical form X509_NAME_cmp compares: trimmed, runs of space
 * folded to one, ASCII lower-cased. */
static size_t
canon(const struct der *v, unsigned char *out)
{
	const unsigned char	*p = v->p, *end = v->end;
	size_t			 n = 0;

	while (p < end && is_space(*p))
		p++;
	while (end > p && is_space(end[-1]))
		end--;
	while (p < end) {
		if (is_space(*p)) {
			out[n++] = ' ';
			while (p < end && is_space(*p))
				p++;
		} else {
			/* ASCII only, whatever the locale, as OpenSSL does. */
			out[n++] = *p >= 'A' && *p <= 'Z' ?
			    (unsigned char)(*p + ('a' - 'A')) : *p;
			p++;
		}
	}
	return n;
}

/* One attribute of a simple Name: its OID and value contents. */
static void
next_ava(struct der *name, struct der *oid, struct der *val)
{
	struct der	 rdn, ava;

	der_take(name, V_ASN1_SET | TAG_CONS, &rdn, NULL);
	der_take(&rdn, V_ASN1_SEQUENCE | TAG_CONS, &ava, NULL);
	der_take(&ava, V_ASN1_OBJECT, oid, NULL);
	der_take(&ava, *ava.p, val, NULL);
}

/* X509_NAME_cmp(a, b) == 0 for two simple names; WALK_UNSURE when a value
 * is too long for the buffers. */
static int
names_equal(const struct der *a_tlv, const struct der *b_tlv)
{
	unsigned char	 ca[256], cb[256];
	struct der	 a = *a_tlv, b = *b_tlv, na, nb, oa, ob, va, vb;
	size_t		 la, lb;

	if (a.end - a.p == b.end - b.p && memcmp(a.p, b.p,
	    (size_t)(a.end - a.p)) == 0)
		return 1;
	der_take(&a, V_ASN1_SEQUENCE | TAG_CONS, &na, NULL);
	der_take(&b, V_ASN1_SEQUENCE | TAG_CONS, &nb, NULL);
	while (na.p < na.end && nb.p < nb.end) {
		next_ava(&na, &oa, &va);
		next_ava(&nb, &ob, &vb);
		if (oa.end - oa.p != ob.end - ob.p ||
		    memcmp(oa.p, ob.p, (size_t)(oa.end - oa.p)) != 0)
			return 0;
		if (va.end - va.p > (long)sizeof(ca) ||
		    vb.end - vb.p > (long)sizeof(cb))
			return WALK_UNSURE;
		la = canon(&va, ca);
		lb = canon(&vb, cb);
		if (la != lb || memcmp(ca, cb, la) != 0)
			return 0;
	}
	return na.p == na.end && nb.p == nb.end;
}

static int
two_digits(const unsigned char *p)
{
	return (p[0] - '0') * 10 + (p[1] - '0');
}

/* UTCTime YYMMDDHHMMSSZ or GeneralizedTime YYYYMMDDHHMMSSZ, in range,
 * to epoch seconds as ASN1_TIME_to_tm and the view compute them. */
static int
take_time(struct der *d, int64_t *epoch)
{
	static const int mdays[] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	struct der	 c;
	const unsigned char *p;
	size_t		 i, n;
	int		 y, mo, day, h, mi, s;

	if (der_peek(d, V_ASN1_UTCTIME)) {
		if (der_take(d, V_ASN1_UTCTIME, &c, NULL) == -1 ||
		    c.end - c.p != 13)
			return WALK_UNSURE;
	} else if (der_take(d, V_ASN1_GENERALIZEDTIME, &c, NULL) == -1 ||
	    c.end - c.p != 15)
		return WALK_UNSURE;
	n = (size_t)(c.end - c.p) - 1;
	for (i = 0; i < n; i++)
		if (c.p[i] < '0' || c.p[i] > '9')
			return WALK_UNSURE;
	if (c.p[n] != 'Z')
		return WALK_UNSURE;
	if (n == 12) {
		y = two_digits(c.p);
		y += y < 50 ? 2000 : 1900;
		p = c.p + 2;
	} else {
		y = two_digits(c.p) * 100 + two_digits(c.p + 2);
		p = c.p + 4;
	}
	mo = two_digits(p);
	day = two_digits(p + 2);
	h = two_digits(p + 4);
	mi = two_digits(p + 6);
	s = two_digits(p + 8);
	if (mo < 1 || mo > 12 || day < 1 || day > mdays[mo - 1] || h > 23 ||
	    mi > 59 || s > 59 || (mo == 2 && day == 29 &&
	    (y % 4 != 0 || (y % 100 == 0 && y % 400 != 0))))
		return WALK_UNSURE;
	*epoch = cs_days_from_civil(y, (unsigned)mo, (unsigned)day) * 86400 +
	    h * 3600 + mi * 60 + s;
	return 0;
}

/* DER of id-ce-basicConstraints (2.5.29.19), contents only. */
static const unsigned char oid_bc[] = { 0x55, 0x1d, 0x13 };

/* basicConstraints: 1 when it says cA TRUE, else 0. Whether such a
 * certificate counts as a CA depends on all its extensions (OpenSSL's
 * X509_check_ca): fast_cert asks OpenSSL, once per distinct certificate. */
static int
bc_ca(const struct der *value)
{
	struct der	 v = *value, seq, c;
	int		 ca = 0;

	if (der_take(&v, V_ASN1_SEQUENCE | TAG_CONS, &seq, NULL) == -1 ||
	    v.p != v.end)
		return WALK_UNSURE;
	if (der_peek(&seq, V_ASN1_BOOLEAN)) {
		if (der_take(&seq, V_ASN1_BOOLEAN, &c, NULL) == -1 ||
		    c.end - c.p != 1)
			return WALK_UNSURE;
		ca = c.p[0] != 0;
	}
	if (der_peek(&seq, V_ASN1_INTEGER) && take_int(&seq) == -1)
		return WALK_UNSURE;
	return seq.p == seq.end ? ca : WALK_UNSURE;
}

static int
take_exts(struct der *tbs, int *ca_claim)
{
	struct der	 outer, list, ext, oid, c;
	int		 bc;

	if (der_take(tbs, TAG_CTX(3) | TAG_CONS, &outer, NULL) == -1 ||
	    der_take(&outer, V_ASN1_SEQUENCE | TAG_CONS, &list, NULL) == -1 ||
	    outer.p != outer.end || list.p == list.end)
		return WALK_UNSURE;
	while (list.p < list.end) {
		if (der_take(&list, V_ASN1_SEQUENCE | TAG_CONS, &ext,
		    NULL) == -1 || take_oid(&ext, &oid) == -1)
			return WALK_UNSURE;
		if (der_peek(&ext, V_ASN1_BOOLEAN) &&
		    (der_take(&ext, V_ASN1_BOOLEAN, &c, NULL) == -1 ||
		    c.end - c.p != 1))
			return WALK_UNSURE;
		if (der_take(&ext, V_ASN1_OCTET_STRING, &c, NULL) == -1 ||
		    ext.p != ext.end)
			return WALK_UNSURE;
		if (oid.end - oid.p == (long)sizeof(oid_bc) &&
		    memcmp(oid.p, oid_bc, sizeof(oid_bc)) == 0) {
			if ((bc = bc_ca(&c)) == WALK_UNSURE)
				return WALK_UNSURE;
			*ca_claim |= bc;
		}
	}
	return 0;
}

/* The outer SEQUENCE { signed, AlgorithmIdentifier, BIT STRING }, the
 * whole buffer; the signed part in *tbs. */
static int
take_signed(const unsigned char *der, size_t len, struct der *tbs)
{
	struct der	 all = { der, der + len }, top;

	if (der_take(&all, V_ASN1_SEQUENCE | TAG_CONS, &top, NULL) == -1 ||
	    all.p != all.end ||
	    der_take(&top, V_ASN1_SEQUENCE | TAG_CONS, tbs, NULL) == -1 ||
	    take_algid(&top) == -1 ||
	    take_bits(&top, V_ASN1_BIT_STRING, 0) == -1)
		return WALK_UNSURE;
	return top.p == top.end ? 0 : WALK_UNSURE;
}

struct cert_walk {
	struct der	 issuer, subject, spki;
	int64_t		 not_before, not_after;
	int		 ca_claim;	/* basicConstraints says cA TRUE */
};

static int
walk_cert(const unsigned char *der, size_t len, struct cert_walk *cw)
{
	struct der	 tbs, ver, val;

	if (take_signed(der, len, &tbs) == -1)
		return WALK_UNSURE;
	if (der_peek(&tbs, TAG_CTX(0) | TAG_CONS)) {
		if (der_take(&tbs, TAG_CTX(0) | TAG_CONS, &ver, NULL) == -1 ||
		    der_take(&ver, V_ASN1_INTEGER, &val, NULL) == -1 ||
		    ver.p != ver.end || val.end - val.p != 1 || val.p[0] > 2)
			return WALK_UNSURE;
	}
	if (take_int(&tbs) == -1 || take_algid(&tbs) == -1 ||
	    take_name(&tbs, &cw->issuer) == -1 ||
	    der_take(&tbs, V_ASN1_SEQUENCE | TAG_CONS, &val, NULL) == -1 ||
	    take_time(&val, &cw->not_before) == -1 ||
	    take_time(&val, &cw->not_after) == -1 || val.p != val.end ||
	    take_name(&tbs, &cw->subject) == -1 ||
	    take_spki(&tbs, &cw->spki) == -1)
		return WALK_UNSURE;
	if (der_peek(&tbs, TAG_CTX(1)) && take_bits(&tbs, TAG_CTX(1), 0) == -1)
		return WALK_UNSURE;
	if (der_peek(&tbs, TAG_CTX(2)) && take_bits(&tbs, TAG_CTX(2), 0) == -1)
		return WALK_UNSURE;
	cw->ca_claim = 0;
	if (der_peek(&tbs, TAG_CTX(3) | TAG_CONS) &&
	    take_exts(&tbs, &cw->ca_claim) == -1)
		return WALK_UNSURE;
	return tbs.p == tbs.end ? 0 : WALK_UNSURE;
}

static int
name_sha256(struct cs_fast *f, const struct der *name, unsigned char out[32])
{
	return EVP_Digest(name->p, (size_t)(name->end - name->p), out, NULL,
	    f->sha256, NULL) == 1;
}

/* X509_check_ca as the full decoder's certificate answers it. */
static int
ca_exact(struct cs_fast *f, const unsigned char *der, size_t len, int *is_ca)
{
	const unsigned char	*p = der;
	X509			*x;

	if ((x = X509_new_ex(f->nullctx, NULL)) == NULL)
		return -1;
	if (d2i_X509(&x, &p, (long)len) == NULL || p != der + len) {
		X509_free(x);
		ERR_clear_error();
		return -1;
	}
	/* As in cert_exact: the first caching fails for want of SHA-1. */
	*is_ca = (X509_get_extension_flags(x) & EXFLAG_BCONS) != 0 &&
	    X509_check_ca(x) == 1;
	X509_free(x);
	ERR_clear_error();
	return 0;
}

/*
 * Certificates that claim to be CAs are few and repeated (every chain file
 * holds the same intermediates): the answer is kept per certificate DER
 * digest, direct-mapped.
 */
static int
ca_lookup(struct cs_fast *f, const unsigned char *der, size_t len, int *is_ca)
{
	struct ca_memo	*m;
	unsigned char	 md[32];

	if (EVP_Digest(der, len, md, NULL, f->sha256, NULL) != 1)
		return -1;
	m = &f->ca_memo[(md[0] | (md[1] << 8)) % CA_MEMO_MAX];
	if (m->used && memcmp(m->sha256, md, sizeof(md)) == 0) {
		*is_ca = m->is_ca;
		return 0;
	}
	if (ca_exact(f, der, len, is_ca) == -1)
		return -1;
	memcpy(m->sha256, md, sizeof(md));
	m->is_ca = *is_ca;
	m->used = 1;
	return 0;
}

static int
fast_cert(struct fast_file *ff, const unsigned char *der, size_t len)
{
	struct cert_walk	 cw;
	struct cs_fast_obj	*o;
	int			 self, is_ca = 0;

	if (walk_cert(der, len, &cw) == -1 ||
	    (self = names_equal(&cw.subject, &cw.issuer)) == WALK_UNSURE)
		return cert_exact(ff, der, len);
	if (cw.ca_claim && ca_lookup(ff->f, der, len, &is_ca) == -1)
		return -1;
	if ((o = obj_add(ff, CS_KIND_CERT)) == NULL)
		return -1;
	o->is_ca = is_ca;
	obj_spki(ff->f, o, cw.spki.p, (size_t)(cw.spki.end - cw.spki.p));
	o->has_validity = 1;
	o->not_before = cw.not_before;
	o->not_after = cw.not_after;
	o->self_issued = self;
	o->has_subject = name_sha256(ff->f, &cw.subject, o->subject_sha256);
	ERR_clear_error();
	return 0;
}

/* A CSR attribute value OpenSSL stores without looking inside. */
static int
take_attr_value(struct der *set)
{
	struct der	 c;
	unsigned char	 ident;

	if (set->p >= set->end)
		return WALK_UNSURE;
	ident = *set->p;
	if (ident != (V_ASN1_SEQUENCE | TAG_CONS) &&
	    ident != (V_ASN1_SET | TAG_CONS) &&
	    ident != V_ASN1_PRINTABLESTRING && ident != V_ASN1_UTF8STRING &&
	    ident != V_ASN1_IA5STRING && ident != V_ASN1_T61STRING)
		return WALK_UNSURE;
	return der_take(set, ident, &c, NULL);
}

static int
take_attrs(struct der *info)
{
	struct der	 attrs, attr, oid, set;

	if (der_take(info, TAG_CTX(0) | TAG_CONS, &attrs, NULL) == -1)
		return WALK_UNSURE;
	while (attrs.p < attrs.end) {
		if (der_take(&attrs, V_ASN1_SEQUENCE | TAG_CONS, &attr,
		    NULL) == -1 || take_oid(&attr, &oid) == -1 ||
		    der_take(&attr, V_ASN1_SET | TAG_CONS, &set, NULL) == -1 ||
		    attr.p != attr.end || set.p == set.end)
			return WALK_UNSURE;
		while (set.p < set.end)
			if (take_attr_value(&set) == -1)
				return WALK_UNSURE;
	}
	return 0;
}

static int
fast_req(struct fast_file *ff, const unsigned char *der, size_t len)
{
	struct der		 info, subject, spki;
	struct cs_fast_obj	*o;

	if (take_signed(der, len, &info) == -1 || take_int(&info) == -1 ||
	    take_name(&info, &subject) == -1 || take_spki(&info, &spki) == -1 ||
	    take_attrs(&info) == -1 || info.p != info.end)
		return req_exact(ff, der, len);
	if ((o = obj_add(ff, CS_KIND_CSR)) == NULL)
		return -1;
	obj_spki(ff->f, o, spki.p, (size_t)(spki.end - spki.p));
	o->has_subject = name_sha256(ff->f, &subject, o->subject_sha256);
	ERR_clear_error();
	return 0;
}

static int
fast_spki_file(struct fast_file *ff, const unsigned char *der, size_t len)
{
	struct der		 all = { der, der + len }, spki;
	struct cs_fast_obj	*o;

	if (take_spki(&all, &spki) == -1 || all.p != all.end)
		return spki_file(ff, der, len);
	if ((o = obj_add(ff, CS_KIND_PUBKEY)) == NULL)
		return -1;
	obj_spki(ff->f, o, der, len);
	ERR_clear_error();
	return 0;
}

/* One DER structure of a known kind. */
static int
fast_der(struct fast_file *ff, enum der_kind kind, const unsigned char *der,
    size_t len)
{
	int	 form, walked;

	switch (kind) {
	case DK_CERT:
		return fast_cert(ff, der, len);
	case DK_CSR:
		return fast_req(ff, der, len);
	case DK_SPKI:
		return fast_spki_file(ff, der, len);
	case DK_CRL:
		return skip_add(ff, "certificate revocation list skipped "
		    "(CRLs are not inspected)");
	case DK_PARAMS:
		return skip_add(ff, "key parameters skipped");
	default:
		if ((form = key_form_of(kind)) == -1)
			return -1;
		if (key_walk(ff, kind, der, len, &walked) == -1)
			return -1;
		return walked ? 0 : key_decode(ff, form, der, len);
	}
}

/* --- PEM -------------------------------------------------------------- */

/* Longest base64 line taken; longer ones go to the full decoder. */
#define PEM_LINE_MAX	80
#define PEM_LABEL_MAX	64

struct line {
	const unsigned char	*p;
	size_t			 len;	/* without the line end */
};

/* The next line; -1 at the end of the buffer or on a line the fast path
 * does not take (no newline at the end, a NUL byte). */
static int
next_line(const unsigned char **p, const unsigned char *end, struct line *l)
{
	const unsigned char	*nl;

	if (*p >= end ||
	    (nl = memchr(*p, '\n', (size_t)(end - *p))) == NULL)
		return -1;
	l->p = *p;
	l->len = (size_t)(nl - *p);
	if (l->len > 0 && l->p[l->len - 1] == '\r')
		l->len--;
	*p = nl + 1;
	return memchr(l->p, '\0', l->len) == NULL ? 0 : -1;
}

static int
starts(const struct line *l, const char *s)
{
	size_t	 n = strlen(s);

	return l->len >= n && memcmp(l->p, s, n) == 0;
}

/* "-----BEGIN LABEL-----" -> LABEL; -1 if the line is not that. */
static int
begin_label(const struct line *l, char *label)
{
	size_t	 n;

	if (!starts(l, "-----BEGIN ") || l->len < 16 ||
	    memcmp(l->p + l->len - 5, "-----", 5) != 0)
		return -1;
	n = l->len - 16;
	if (n == 0 || n >= PEM_LABEL_MAX || memchr(l->p + 11, '-', n) != NULL)
		return -1;
	memcpy(label, l->p + 11, n);
	label[n] = '\0';
	return 0;
}

static int
is_end(const struct line *l, const char *label)
{
	size_t	 n = strlen(label);

	return l->len == 14 + n && starts(l, "-----END ") &&
	    memcmp(l->p + 9, label, n) == 0 &&
	    memcmp(l->p + 9 + n, "-----", 5) == 0;
}

static int
scratch_grow(struct cs_fast *f, size_t need)
{
	unsigned char	*n;

	if (need <= f->scratch_cap)
		return 0;
	if ((n = malloc(need)) == NULL)
		return -1;
	OPENSSL_clear_free(f->scratch, f->scratch_cap);
	f->scratch = n;
	f->scratch_cap = need;
	return 0;
}

/* Strict base64 across lines: groups of four, '=' only at the very end. */
struct b64 {
	unsigned char	*out;
	size_t		 len;
	uint32_t	 acc;
	int		 n;		/* characters in acc */
	int		 pad;		/* '=' seen */
};

static int
b64_line(const signed char *t, struct b64 *b, const struct line *l)
{
	const unsigned char	*p = l->p, *end = l->p + l->len;
	unsigned char		*out = b->out + b->len;
	uint32_t		 acc = b->acc;
	int			 n = b->n, v;

	for (; p < end; p++) {
		if ((v = t[*p]) < 0 || b->pad)
			return -1;		/* not base64, or after '=' */
		if (v == 64) {
			/* '=' pads the last group: "xx==" or "xxx=". */
			if (n < 2 || (n == 2 && (p + 1 >= end || p[1] != '=')))
				return -1;
			b->pad = 4 - n;
			acc <<= 6 * b->pad;
			p += b->pad - 1;
			n = 4;
		} else {
			acc = (acc << 6) | (uint32_t)v;
			n++;
		}
		if (n < 4)
			continue;
		*out++ = (unsigned char)(acc >> 16);
		if (b->pad < 2)
			*out++ = (unsigned char)(acc >> 8);
		if (b->pad < 1)
			*out++ = (unsigned char)acc;
		acc = 0;
		n = 0;
	}
	b->len = (size_t)(out - b->out);
	b->acc = acc;
	b->n = n;
	return 0;
}

/*
 * Decodes the body lines of one block into f->scratch, *out_len bytes
 * (also on failure, so that they can be wiped); -1 on anything but clean
 * base64 lines up to the END line. On such input this gives what
 * EVP_DecodeUpdate gives the PEM reader, several times faster.
 */
static int
pem_body(struct cs_fast *f, const unsigned char **p, const unsigned char *end,
    const char *label, size_t *out_len)
{
	struct line	 l;
	struct b64	 b = { 0 };
	int		 rc = -1;

	*out_len = 0;
	if (scratch_grow(f, (size_t)(end - *p)) == -1)
		return -1;
	b.out = f->scratch;
	for (;;) {
		if (next_line(p, end, &l) == -1)
			break;
		if (is_end(&l, label)) {
			rc = b.n != 0 || b.len == 0 ? -1 : 0;
			break;
		}
		if (l.len == 0 || l.len > PEM_LINE_MAX ||
		    b64_line(f->b64, &b, &l) == -1)
			break;
	}
	*out_len = b.len;
	return rc;
}

static int
same_kind(enum der_kind label, enum der_kind content)
{
	if (label == content)
		return 1;
	return label == DK_ANY_PRIV && (content == DK_PKCS8 ||
	    content == DK_RSA_PRIV || content == DK_EC_PRIV ||
	    content == DK_DSA_PRIV);
}

/* A block's kind as src/input/pem.c settles it; -1 when the content is
 * not the label's (the full decoder adds a note and decodes the content). */
static int
block_kind(const char *label, const unsigned char *der, size_t len,
    enum der_kind *kind)
{
	enum der_kind	 content;

	*kind = pem_label_kind(label);
	if (*kind == DK_UNKNOWN || *kind == DK_PARAMS)
		return 0;
	if (sniff_der(der, len, &content) != SNIFF_OK)
		return 0;
	return same_kind(*kind, content) ? 0 : -1;
}

static int
fast_pem(struct fast_file *ff, const unsigned char *buf, size_t len)
{
	const unsigned char	*p = buf, *end = buf + len;
	struct line		 l;
	char			 label[PEM_LABEL_MAX];
	enum der_kind		 kind;
	size_t			 dlen;
	int			 rc;

	while (p < end) {
		if (next_line(&p, end, &l) == -1)
			return -1;
		if (begin_label(&l, label) == -1) {
			/* Text between blocks is ignored, unless it looks
			 * like a broken BEGIN or END line. */
			if (starts(&l, "-----") || l.len > 200)
				return -1;
			continue;
		}
		ff->block++;
		ff->label = label;
		rc = pem_body(ff->f, &p, end, label, &dlen) == -1 ||
		    block_kind(label, ff->f->scratch, dlen, &kind) == -1 ||
		    kind == DK_UNKNOWN || kind == DK_PKCS12 ||
		    fast_der(ff, kind, ff->f->scratch, dlen) == -1 ? -1 : 0;
		/* The body may be a private key: wipe it. */
		OPENSSL_cleanse(ff->f->scratch, dlen);
		if (rc == -1)
			return -1;
	}
	return ff->block > 0 ? 0 : -1;
}

static int
fast_file(struct fast_file *ff, const unsigned char *buf, size_t len)
{
	enum der_kind	 kind;

	if (len == 0)
		return -1;
	if (buf[0] == 0x30 && sniff_der(buf, len, &kind) == SNIFF_OK)
		return fast_der(ff, kind, buf, len);
	if (!looks_like_pem(buf, len))
		return -1;	/* junk: the full decoder says so quickly */
	return fast_pem(ff, buf, len);
}

/* Appends what the fast path found to res (as cs_decode_buffer appends). */
static int
result_move(struct cs_fast_result *res, struct cs_fast_result *tmp)
{
	size_t	 i;
	int	 rc = 0;

	for (i = 0; i < tmp->objects.n; i++)
		if (cs_vec_push(&res->objects, tmp->objects.v[i]) == -1) {
			fast_obj_free(tmp->objects.v[i]);
			rc = -1;
		}
	for (i = 0; i < tmp->skipped.n; i++)
		if (cs_vec_push(&res->skipped, tmp->skipped.v[i]) == -1) {
			cs_diag_free(tmp->skipped.v[i]);
			rc = -1;
		}
	tmp->objects.n = tmp->skipped.n = 0;
	cs_fast_result_release(tmp);
	return rc;
}

int
cs_fast_decode(struct cs_fast *f, const char *path, const unsigned char *buf,
    size_t len, struct cs_fast_result *res)
{
	struct cs_fast_result	 tmp = { 0 };
	struct fast_file	 ff = { .f = f, .path = path, .res = &tmp };

	ERR_clear_error();
	if (!f->full_only && fast_file(&ff, buf, len) == 0)
		return result_move(res, &tmp);
	cs_fast_result_release(&tmp);
	ERR_clear_error();
	f->fallbacks++;
	return full_decode(f, path, buf, len, res);
}

unsigned long
cs_fast_fallbacks(const struct cs_fast *f)
{
	return f->fallbacks;
}

unsigned long
cs_fast_keys_walked(const struct cs_fast *f)
{
	return f->keys_walked;
}

void
cs_fast_set_full(struct cs_fast *f, int on)
{
	f->full_only = on;
}

int
cs_fast_spki_key(struct cs_fast *f, const unsigned char *spki, size_t len,
    X509_PUBKEY **pub, EVP_PKEY **pkey)
{
	struct spki_parts	 sp;
	struct fast_keyctx	*c;
	const unsigned char	*p = spki;
	size_t			 left = len;

	*pkey = NULL;
	if (spki_split(spki, len, &sp) == -1 ||
	    (*pub = X509_PUBKEY_new_ex(f->nullctx, NULL)) == NULL)
		goto fail;
	/* On failure d2i frees *pub and sets it to NULL. */
	if (d2i_X509_PUBKEY(pub, &p, (long)len) == NULL)
		goto fail;
	if (p != spki + len) {
		X509_PUBKEY_free(*pub);
		goto fail;
	}
	c = keyctx_get(f, key_form_of(DK_SPKI), oid_keytype(sp.oid,
	    sp.oid_len));
	p = spki;
	if (c != NULL) {
		EVP_PKEY_free(c->slot);
		c->slot = NULL;
		if (OSSL_DECODER_from_data(c->dctx, &p, &left) && left == 0)
			*pkey = c->slot;
		else
			EVP_PKEY_free(c->slot);
		c->slot = NULL;
	}
	ERR_clear_error();
	return 0;
fail:
	*pub = NULL;
	ERR_clear_error();
	return -1;
}

/* An EC SPKI's point on a named curve other than SM2's (which OpenSSL
 * loads as another key type): 1 valid, 0 not plainly so. */
static int
ec_facts(struct cs_fast *f, const struct spki_parts *sp,
    struct cs_spki_facts *kf)
{
	const struct fast_group	*g;

	if ((g = curve_group(f, sp->params, (size_t)sp->params_len)) == NULL ||
	    !point_ok(f, g, sp->bits + 1, (size_t)sp->bits_len - 1))
		return 0;
	kf->bits = EC_GROUP_order_bits(g->group);
	kf->point_valid = 1;
	return 1;
}

int
cs_fast_spki_facts(struct cs_fast *f, const unsigned char *spki, size_t len,
    struct cs_spki_facts *kf)
{
	struct spki_parts	 sp;
	const unsigned char	*n, *e;
	size_t			 n_len, e_len;
	const char		*kt;
	unsigned char		 top;

	memset(kf, 0, sizeof(*kf));
	if (spki_split(spki, len, &sp) == -1 || sp.bits[0] != 0)
		return 0;
	/* rsaEncryption or id-ecPublicKey, by the table of key types. */
	if ((kt = oid_keytype(sp.oid, sp.oid_len)) == NULL)
		return 0;
	if (strcmp(kt, "EC") == 0)
		return ec_facts(f, &sp, kf);
	if (strcmp(kt, "RSA") != 0 ||
	    !(sp.params_len == 0 || (sp.params_len == 2 &&
	    sp.params[0] == V_ASN1_NULL && sp.params[1] == 0)) ||
	    cs_rsa_public_parts(sp.bits + 1, (size_t)sp.bits_len - 1, &n,
	    &n_len, &e, &e_len) == -1)
		return 0;
	/* BN_num_bits(n); a minimal positive INTEGER has a zero first octet
	 * only before one with its top bit set. */
	if (n[0] == 0) {
		n++;
		n_len--;
	}
	kf->bits = (int)(n_len * 8);
	for (top = n[0]; !(top & 0x80); top = (unsigned char)(top << 1))
		kf->bits--;
	return 1;
}

/* The records `scan` keeps of each object (see fast.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/objects.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "scan/fast.h"

struct cs_fast {
	struct cs_decoder	*dec;
	EVP_MD			*sha256;
};

struct cs_fast *
cs_fast_new(const struct cs_decoder_opts *opts)
{
	struct cs_fast	*f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return NULL;
	f->dec = cs_decoder_new(opts);
	f->sha256 = EVP_MD_fetch(opts != NULL ? opts->libctx : NULL, "SHA256",
	    NULL);
	if (f->dec == NULL || f->sha256 == NULL) {
		cs_fast_free(f);
		return NULL;
	}
	return f;
}

void
cs_fast_free(struct cs_fast *f)
{
	if (f == NULL)
		return;
	cs_decoder_free(f->dec);
	EVP_MD_free(f->sha256);
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

/* An EC SPKI whose point is compressed, re-encoded uncompressed. */
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

int
cs_spki_normalise(const unsigned char *spki, size_t len,
    unsigned char sha256[32], unsigned char **der_out, size_t *der_len)
{
	struct spki_parts	 sp;
	unsigned char		*norm = NULL;
	size_t			 norm_len = 0;

	if (spki_split(spki, len, &sp) == -1)
		return -1;
	if (sp.oid_len == (long)sizeof(oid_ec) &&
	    memcmp(sp.oid, oid_ec, sizeof(oid_ec)) == 0 && sp.bits_len >= 2 &&
	    (sp.bits[1] == 0x02 || sp.bits[1] == 0x03) &&
	    ec_uncompress(spki, len, &norm, &norm_len) == 0) {
		spki = norm;
		len = norm_len;
	}
	if (EVP_Digest(spki, len, sha256, NULL, EVP_sha256(), NULL) != 1) {
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

/* The SPKI DER of a decoded object, or NULL. */
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
		if (cs_spki_normalise(der, (size_t)len, o->spki_sha256,
		    &o->spki, &o->spki_len) == 0)
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

int
cs_fast_decode(struct cs_fast *f, const char *path, const unsigned char *buf,
    size_t len, struct cs_fast_result *res)
{
	struct cs_result	 full = { 0 };
	struct cs_fast_obj	*o;
	size_t			 i;
	int			 rc;

	rc = cs_decode_buffer(f->dec, path, buf, len, &full);
	res->foreign = full.foreign;
	for (i = 0; i < full.objects.n; i++) {
		if ((o = from_object(f, full.objects.v[i])) == NULL ||
		    cs_vec_push(&res->objects, o) == -1) {
			fast_obj_free(o);
			rc = -1;
			break;
		}
	}
	/* The diagnostics move over as they are. */
	for (i = 0; i < full.errors.n; i++)
		if (cs_vec_push(&res->errors, full.errors.v[i]) == -1)
			cs_diag_free(full.errors.v[i]);
	for (i = 0; i < full.skipped.n; i++)
		if (cs_vec_push(&res->skipped, full.skipped.v[i]) == -1)
			cs_diag_free(full.skipped.v[i]);
	full.errors.n = full.skipped.n = 0;
	cs_result_release(&full);
	return rc;
}

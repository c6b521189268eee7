/*
 * Fill the plain-data view of a cs_object from OpenSSL handles. Anything
 * OpenSSL cannot tell us becomes a note on the object, never a failure:
 * only running out of memory returns -1.
 */
#include "model/object.h"

#include <arpa/inet.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/asn1t.h>
#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>
#include <openssl/sha.h>
#include <openssl/x509v3.h>

/* Longest text we keep for one extension value or name (hostile input). */
#define VIEW_TEXT_MAX	(64 * 1024)

static char *
oid_text(const ASN1_OBJECT *obj)
{
	char	 buf[128], *s;
	int	 n;

	n = OBJ_obj2txt(buf, sizeof(buf), obj, 1);
	if (n < 0)
		return cs_strdup("?");
	if ((size_t)n < sizeof(buf))
		return cs_strdup(buf);
	if ((s = malloc((size_t)n + 1)) == NULL)
		return NULL;
	OBJ_obj2txt(s, n + 1, obj, 1);
	return s;
}

static char *
bio_take(BIO *bio)
{
	char	*data;
	long	 len;

	len = BIO_get_mem_data(bio, &data);
	if (len < 0)
		len = 0;
	if (len > VIEW_TEXT_MAX)
		len = VIEW_TEXT_MAX;
	while (len > 0 && (data[len - 1] == '\n' || data[len - 1] == ' '))
		len--;
	return cs_strndup(data, (size_t)len);
}

static const char *
string_type_name(int type)
{
	switch (type) {
	case V_ASN1_UTF8STRING:		return "UTF8String";
	case V_ASN1_PRINTABLESTRING:	return "PrintableString";
	case V_ASN1_IA5STRING:		return "IA5String";
	case V_ASN1_T61STRING:		return "TeletexString";
	case V_ASN1_BMPSTRING:		return "BMPString";
	case V_ASN1_UNIVERSALSTRING:	return "UniversalString";
	case V_ASN1_VISIBLESTRING:	return "VisibleString";
	case V_ASN1_NUMERICSTRING:	return "NumericString";
	case V_ASN1_GENERALSTRING:	return "GeneralString";
	case V_ASN1_VIDEOTEXSTRING:	return "VideotexString";
	case V_ASN1_GRAPHICSTRING:	return "GraphicString";
	case V_ASN1_OCTET_STRING:	return "OCTET STRING";
	case V_ASN1_BIT_STRING:		return "BIT STRING";
	default:			return ASN1_tag2str(type);
	}
}

/* UTF-8 of an ASN.1 string; on a bad encoding, the raw bytes as "#hex". */
static int
string_utf8(const ASN1_STRING *str, char **out, size_t *outlen)
{
	unsigned char	*u = NULL;
	int		 n;

	n = ASN1_STRING_to_UTF8(&u, str);
	if (n >= 0) {
		*out = cs_strndup((char *)u, (size_t)n);
		*outlen = (size_t)n;
		OPENSSL_free(u);
	} else {
		char *hex;

		ERR_clear_error();
		hex = cs_hex(ASN1_STRING_get0_data(str),
		    (size_t)ASN1_STRING_length(str), 0);
		*out = hex == NULL ? NULL : cs_printf("#%s", hex);
		*outlen = *out == NULL ? 0 : strlen(*out);
		free(hex);
	}
	return *out == NULL ? -1 : 0;
}

static int
attr_fill(struct cs_attr *a, const X509_NAME_ENTRY *e)
{
	const ASN1_OBJECT	*obj = X509_NAME_ENTRY_get_object(e);
	const ASN1_STRING	*data = X509_NAME_ENTRY_get_data(e);
	int			 nid = OBJ_obj2nid(obj);

	a->rdn = X509_NAME_ENTRY_set(e);
	if ((a->oid = oid_text(obj)) == NULL)
		return -1;
	a->type = cs_strdup(nid == NID_undef ? a->oid : OBJ_nid2sn(nid));
	a->string_type = cs_strdup(string_type_name(ASN1_STRING_type(data)));
	if (a->type == NULL || a->string_type == NULL)
		return -1;
	return string_utf8(data, &a->value, &a->value_len);
}

static int
name_fill(struct cs_name *out, const X509_NAME *name)
{
	int	 i, n;

	if (name == NULL || (n = X509_NAME_entry_count(name)) <= 0)
		return 0;
	if ((out->attrs = calloc((size_t)n, sizeof(*out->attrs))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		out->n++;
		if (attr_fill(&out->attrs[i], X509_NAME_get_entry(name, i)) == -1)
			return -1;
	}
	return 0;
}

static char *
name_rfc2253(const X509_NAME *name)
{
	BIO	*bio;
	char	*s = NULL;

	if ((bio = BIO_new(BIO_s_mem())) == NULL)
		return NULL;
	if (X509_NAME_print_ex(bio, name, 0, XN_FLAG_RFC2253) >= 0)
		s = bio_take(bio);
	BIO_free(bio);
	return s;
}

static char *
ip_text(const ASN1_OCTET_STRING *ip)
{
	char	 buf[INET6_ADDRSTRLEN];
	int	 len = ASN1_STRING_length(ip);
	const unsigned char *p = ASN1_STRING_get0_data(ip);

	if (len == 4 && inet_ntop(AF_INET, p, buf, sizeof(buf)) != NULL)
		return cs_strdup(buf);
	if (len == 16 && inet_ntop(AF_INET6, p, buf, sizeof(buf)) != NULL)
		return cs_strdup(buf);
	return cs_hex(p, (size_t)len, ':');
}

static char *
othername_text(const OTHERNAME *on)
{
	char	*oid, *val = NULL, *s;
	size_t	 len;

	if ((oid = oid_text(on->type_id)) == NULL)
		return NULL;
	if (on->value != NULL && ASN1_TYPE_get(on->value) != V_ASN1_SEQUENCE &&
	    on->value->value.asn1_string != NULL &&
	    ASN1_TYPE_get(on->value) != V_ASN1_OBJECT &&
	    ASN1_TYPE_get(on->value) != V_ASN1_BOOLEAN &&
	    ASN1_TYPE_get(on->value) != V_ASN1_NULL)
		string_utf8(on->value->value.asn1_string, &val, &len);
	s = cs_printf("otherName:%s;%s", oid, val != NULL ? val : "<unsupported>");
	free(oid);
	free(val);
	return s;
}

static int
san_fill(struct cs_san *san, const GENERAL_NAME *gen)
{
	int	 type;
	void	*v = GENERAL_NAME_get0_value(gen, &type);
	char	*t = NULL;

	san->type = CS_SAN_OTHER;
	switch (type) {
	case GEN_DNS:
	case GEN_EMAIL:
	case GEN_URI:
		san->type = type == GEN_DNS ? CS_SAN_DNS :
		    type == GEN_EMAIL ? CS_SAN_EMAIL : CS_SAN_URI;
		san->value_len = (size_t)ASN1_STRING_length(v);
		san->value = cs_strndup((const char *)ASN1_STRING_get0_data(v),
		    san->value_len);
		return san->value == NULL ? -1 : 0;
	case GEN_IPADD:
		san->type = CS_SAN_IP;
		san->value = ip_text(v);
		break;
	case GEN_OTHERNAME:
		san->value = othername_text(v);
		break;
	case GEN_DIRNAME:
		t = name_rfc2253(v);
		san->value = t == NULL ? NULL : cs_printf("dirName:%s", t);
		break;
	case GEN_RID:
		t = oid_text(v);
		san->value = t == NULL ? NULL : cs_printf("RID:%s", t);
		break;
	case GEN_X400:
		san->value = cs_strdup("x400Address");
		break;
	default:
		san->value = cs_strdup("ediPartyName");
		break;
	}
	free(t);
	if (san->value == NULL)
		return -1;
	san->value_len = strlen(san->value);
	return 0;
}

static int
sans_fill(struct cs_object *obj, const STACK_OF(X509_EXTENSION) *exts)
{
	GENERAL_NAMES	*gens;
	int		 crit = 0, i, n, rc = 0;

	gens = X509V3_get_d2i(exts, NID_subject_alt_name, &crit, NULL);
	if (gens == NULL) {
		ERR_clear_error();
		if (crit == -2)
			return cs_object_note(obj,
			    "more than one subjectAltName extension");
		if (crit >= 0)
			return cs_object_note(obj,
			    "subjectAltName extension could not be decoded");
		return 0;
	}
	n = sk_GENERAL_NAME_num(gens);
	if (n > 0 && (obj->sans = calloc((size_t)n, sizeof(*obj->sans))) == NULL)
		rc = -1;
	for (i = 0; rc == 0 && i < n; i++) {
		obj->n_sans++;
		rc = san_fill(&obj->sans[i], sk_GENERAL_NAME_value(gens, i));
	}
	GENERAL_NAMES_free(gens);
	return rc;
}

/* Everything of an extension but its value (ext_value). */
static int
ext_fill(struct cs_ext *e, X509_EXTENSION *ext)
{
	const ASN1_OBJECT	*obj = X509_EXTENSION_get_object(ext);
	int			 nid = OBJ_obj2nid(obj);

	e->critical = X509_EXTENSION_get_critical(ext);
	if ((e->oid = oid_text(obj)) == NULL)
		return -1;
	if (nid != NID_undef && (e->name = cs_strdup(OBJ_nid2sn(nid))) == NULL)
		return -1;
	return 0;
}

/* The value as OpenSSL prints it, or the hex of its octets. */
static int
ext_value(struct cs_ext *e, X509_EXTENSION *ext, BIO *bio)
{
	const ASN1_OCTET_STRING	*data = X509_EXTENSION_get_data(ext);

	(void)BIO_reset(bio);
	if (X509V3_EXT_print(bio, ext, X509V3_EXT_DEFAULT, 0) > 0 &&
	    BIO_pending(bio) > 0) {
		e->value = bio_take(bio);
	} else {
		ERR_clear_error();
		e->value = cs_hex(ASN1_STRING_get0_data(data),
		    (size_t)ASN1_STRING_length(data), ':');
	}
	return e->value == NULL ? -1 : 0;
}

/* The extensions without their values, which cs_view_settle adds. */
static int
exts_fill(struct cs_object *obj, const STACK_OF(X509_EXTENSION) *exts)
{
	int	 i, n = sk_X509_EXTENSION_num(exts), rc = 0;

	if (n <= 0)
		return 0;
	if ((obj->exts = calloc((size_t)n, sizeof(*obj->exts))) == NULL)
		return -1;
	for (i = 0; rc == 0 && i < n; i++) {
		obj->n_exts++;
		rc = ext_fill(&obj->exts[i], sk_X509_EXTENSION_value(exts, i));
	}
	if (rc == 0)
		rc = sans_fill(obj, exts);
	return rc;
}

/* The values of the extensions exts_fill took from the same stack. */
static int
exts_values(struct cs_object *obj, const STACK_OF(X509_EXTENSION) *exts)
{
	BIO	*bio;
	size_t	 i;
	int	 rc = 0, n = sk_X509_EXTENSION_num(exts);

	if (obj->n_exts == 0)
		return 0;
	/* NULL (-1): a CSR's extensions could not be parsed again */
	if (n < 0 || (size_t)n < obj->n_exts ||
	    (bio = BIO_new(BIO_s_mem())) == NULL)
		return -1;
	for (i = 0; rc == 0 && i < obj->n_exts; i++)
		if (obj->exts[i].value == NULL)
			rc = ext_value(&obj->exts[i],
			    sk_X509_EXTENSION_value(exts, (int)i), bio);
	BIO_free(bio);
	return rc;
}

static const char *
key_algorithm_name(int nid)
{
	switch (nid) {
	case NID_rsaEncryption:
	case NID_rsa:			return "rsa";
	case NID_rsassaPss:		return "rsa-pss";
	case NID_X9_62_id_ecPublicKey:	return "ec";
	case NID_ED25519:		return "ed25519";
	case NID_ED448:			return "ed448";
	case NID_X25519:		return "x25519";
	case NID_X448:			return "x448";
	case NID_dsa:			return "dsa";
	case NID_dhKeyAgreement:	return "dh";
	case NID_dhpublicnumber:	return "dhx";
	case NID_sm2:			return "sm2";
	default:			return NULL;
	}
}

static char *
curve_name(int ptype, const void *pval)
{
	const char	*nist;
	int		 nid;

	if (ptype == V_ASN1_SEQUENCE)
		return cs_strdup("explicit");
	if (ptype != V_ASN1_OBJECT)
		return cs_strdup("implicit");
	if ((nid = OBJ_obj2nid(pval)) == NID_undef)
		return oid_text(pval);
	if ((nist = EC_curve_nid2nist(nid)) != NULL)
		return cs_strdup(nist);
	return cs_strdup(OBJ_nid2sn(nid));
}

static int
spki_hash(struct cs_keyinfo *key, X509_PUBKEY *pub)
{
	unsigned char	*der = NULL;
	int		 len;

	if ((len = i2d_X509_PUBKEY(pub, &der)) <= 0) {
		ERR_clear_error();
		return 0;
	}
	SHA256(der, (size_t)len, key->spki_sha256);
	key->has_spki = 1;
	OPENSSL_free(der);
	return 0;
}

/* The algorithm and curve of the SPKI: 1, 0 when it cannot be read (and
 * a note says so), or -1. */
static int
keyinfo_alg(struct cs_object *obj, X509_PUBKEY *pub)
{
	struct cs_keyinfo	*key = &obj->key;
	ASN1_OBJECT		*aobj = NULL;
	X509_ALGOR		*alg = NULL;
	const void		*pval = NULL;
	const char		*name;
	int			 ptype = V_ASN1_UNDEF, nid;

	key->present = 1;
	if (!X509_PUBKEY_get0_param(&aobj, NULL, NULL, &alg, pub))
		return cs_object_note(obj, "public key could not be read");
	X509_ALGOR_get0(NULL, &ptype, &pval, alg);
	nid = OBJ_obj2nid(aobj);
	if ((key->oid = oid_text(aobj)) == NULL)
		return -1;
	name = key_algorithm_name(nid);
	if ((key->algorithm = cs_strdup(name != NULL ? name : key->oid)) == NULL)
		return -1;
	if ((nid == NID_X9_62_id_ecPublicKey || nid == NID_sm2) &&
	    (key->curve = curve_name(ptype, pval)) == NULL)
		return -1;
	return 1;
}

/* Key facts from the SPKI as found; pkey may be NULL (not loadable). */
static int
keyinfo_fill(struct cs_object *obj, X509_PUBKEY *pub, EVP_PKEY *pkey)
{
	struct cs_keyinfo	*key = &obj->key;
	int			 rc;

	if ((rc = keyinfo_alg(obj, pub)) != 1)
		return rc;
	if (pkey != NULL) {
		key->loaded = 1;
		key->bits = EVP_PKEY_get_bits(pkey);
	} else {
		ERR_clear_error();
		if (cs_object_note(obj, "public key algorithm %s is not "
		    "supported by OpenSSL: only its OID and fingerprint are "
		    "known", key->oid) == -1)
			return -1;
	}
	return spki_hash(key, pub);
}

static char *
pss_hash(int ptype, const void *pval)
{
	RSA_PSS_PARAMS	*pss;
	char		*s;

	if (ptype != V_ASN1_SEQUENCE)
		return cs_strdup("sha1");
	pss = ASN1_item_unpack(pval, ASN1_ITEM_rptr(RSA_PSS_PARAMS));
	if (pss == NULL) {
		ERR_clear_error();
		return NULL;
	}
	if (pss->hashAlgorithm == NULL)
		s = cs_strdup("sha1");
	else
		s = cs_lower(cs_strdup(OBJ_nid2ln(
		    OBJ_obj2nid(pss->hashAlgorithm->algorithm))));
	RSA_PSS_PARAMS_free(pss);
	return s;
}

static int
siginfo_fill(struct cs_siginfo *sig, const X509_ALGOR *alg)
{
	const ASN1_OBJECT	*aobj;
	const void		*pval;
	int			 ptype, nid, md = NID_undef, pk;

	X509_ALGOR_get0(&aobj, &ptype, &pval, alg);
	sig->present = 1;
	nid = OBJ_obj2nid(aobj);
	if ((sig->oid = oid_text(aobj)) == NULL)
		return -1;
	sig->algorithm = cs_strdup(nid == NID_undef ? sig->oid : OBJ_nid2ln(nid));
	if (sig->algorithm == NULL)
		return -1;
	if (nid == NID_rsassaPss)
		sig->hash = pss_hash(ptype, pval);
	else if (OBJ_find_sigid_algs(nid, &md, &pk) && md != NID_undef)
		sig->hash = cs_lower(cs_strdup(OBJ_nid2ln(md)));
	return 0;
}

static int
time_fill(const ASN1_TIME *t, int64_t *epoch, char *buf, size_t len)
{
	struct tm	 tm;

	memset(&tm, 0, sizeof(tm));
	if (t == NULL || !ASN1_TIME_to_tm(t, &tm)) {
		ERR_clear_error();
		snprintf(buf, len, "invalid");
		*epoch = 0;
		return -1;
	}
	*epoch = cs_tm_epoch(&tm);
	snprintf(buf, len, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900,
	    tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return 0;
}

static int
validity_fill(struct cs_object *obj, X509 *cert)
{
	struct cs_validity *v = &obj->validity;

	v->present = 1;
	if (time_fill(X509_get0_notBefore(cert), &v->not_before,
	    v->not_before_str, sizeof(v->not_before_str)) == -1 &&
	    cs_object_note(obj, "notBefore is not a valid time") == -1)
		return -1;
	if (time_fill(X509_get0_notAfter(cert), &v->not_after,
	    v->not_after_str, sizeof(v->not_after_str)) == -1 &&
	    cs_object_note(obj, "notAfter is not a valid time") == -1)
		return -1;
	return 0;
}

static int
serial_fill(struct cs_object *obj, const ASN1_INTEGER *serial)
{
	BIGNUM	*bn;
	char	*hex;

	if ((bn = ASN1_INTEGER_to_BN(serial, NULL)) == NULL) {
		ERR_clear_error();
		return cs_object_note(obj, "serial number could not be read");
	}
	hex = BN_bn2hex(bn);
	BN_free(bn);
	if (hex == NULL)
		return -1;
	obj->serial = cs_lower(cs_strdup(hex));
	OPENSSL_free(hex);
	return obj->serial == NULL ? -1 : 0;
}

/*
 * Whether the certificate signed itself, as X509_self_signed(cert, 0)
 * answers it but with the key given: X509_self_signed asks the certificate
 * for its key, which a certificate decoded without it does not hold.
 * Self-issued (subject = issuer), an authority key identifier naming the
 * certificate itself when there is one, and a signature algorithm for the
 * key's type (an RSA key may sign with RSASSA-PSS).
 */
static int
cert_self_signed(X509 *cert, EVP_PKEY *pkey)
{
	AUTHORITY_KEYID		*akid;
	const ASN1_OBJECT	*alg;
	int			 crit, ok, pknid;

	if ((X509_get_extension_flags(cert) & EXFLAG_SI) == 0)
		return 0;
	akid = X509_get_ext_d2i(cert, NID_authority_key_identifier, &crit,
	    NULL);
	ok = X509_check_akid(cert, akid) == X509_V_OK;
	AUTHORITY_KEYID_free(akid);
	if (!ok)
		return 0;
	X509_ALGOR_get0(&alg, NULL, NULL, X509_get0_tbs_sigalg(cert));
	if (!OBJ_find_sigid_algs(OBJ_obj2nid(alg), NULL, &pknid))
		return 0;
	return EVP_PKEY_is_a(pkey, OBJ_nid2sn(pknid)) ||
	    (pknid == NID_rsassaPss && EVP_PKEY_is_a(pkey, "RSA"));
}

static enum cs_tristate
cert_self_verify(X509 *cert, EVP_PKEY *pkey)
{
	int	 rc;

	if (pkey == NULL || !cert_self_signed(cert, pkey)) {
		ERR_clear_error();
		return CS_UNKNOWN;
	}
	rc = X509_verify(cert, pkey);
	ERR_clear_error();
	return rc == 1 ? CS_YES : rc == 0 ? CS_NO : CS_UNKNOWN;
}

int
cs_view_cert(struct cs_object *obj, X509 *cert, EVP_PKEY *pkey)
{
	const X509_ALGOR	*alg;

	if (!X509_up_ref(cert))
		return -1;
	obj->cert = cert;
	obj->version = X509_get_version(cert);
	if (pkey == NULL)
		pkey = X509_get0_pubkey(cert);
	ERR_clear_error();
	if (pkey != NULL && EVP_PKEY_up_ref(pkey))
		obj->pkey = pkey;
	X509_get0_signature(NULL, &alg, cert);
	if (name_fill(&obj->subject, X509_get_subject_name(cert)) == -1 ||
	    name_fill(&obj->issuer, X509_get_issuer_name(cert)) == -1 ||
	    keyinfo_fill(obj, X509_get_X509_PUBKEY(cert), obj->pkey) == -1 ||
	    siginfo_fill(&obj->sig, alg) == -1 ||
	    validity_fill(obj, cert) == -1 ||
	    serial_fill(obj, X509_get0_serialNumber(cert)) == -1 ||
	    exts_fill(obj, X509_get0_extensions(cert)) == -1)
		return -1;
	obj->unsettled = 1;
	return 0;
}

void
cs_view_cert_verify(struct cs_object *obj)
{
	obj->sig.valid = cert_self_verify(obj->cert, obj->pkey);
}

static int
reqattr_fill(struct cs_reqattr *ra, X509_ATTRIBUTE *attr)
{
	const ASN1_OBJECT	*obj = X509_ATTRIBUTE_get0_object(attr);
	ASN1_TYPE		*t = X509_ATTRIBUTE_get0_type(attr, 0);
	int			 nid = OBJ_obj2nid(obj);
	size_t			 len;

	if ((ra->oid = oid_text(obj)) == NULL)
		return -1;
	if (nid != NID_undef && (ra->name = cs_strdup(OBJ_nid2sn(nid))) == NULL)
		return -1;
	/* A password sent in the clear to the CA is still a password. */
	ra->secret = nid == NID_pkcs9_challengePassword;
	if (t == NULL || ra->secret)
		return 0;
	switch (ASN1_TYPE_get(t)) {
	case V_ASN1_UTF8STRING:
	case V_ASN1_PRINTABLESTRING:
	case V_ASN1_IA5STRING:
	case V_ASN1_T61STRING:
	case V_ASN1_BMPSTRING:
	case V_ASN1_UNIVERSALSTRING:
	case V_ASN1_VISIBLESTRING:
		return string_utf8(t->value.asn1_string, &ra->value, &len);
	default:
		return 0;
	}
}

static int
reqattrs_fill(struct cs_object *obj, X509_REQ *req)
{
	int	 i, n = X509_REQ_get_attr_count(req);

	if (n <= 0)
		return 0;
	if ((obj->reqattrs = calloc((size_t)n, sizeof(*obj->reqattrs))) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		obj->n_reqattrs++;
		if (reqattr_fill(&obj->reqattrs[i], X509_REQ_get_attr(req, i)) == -1)
			return -1;
	}
	return 0;
}

static enum cs_tristate
req_verify(X509_REQ *req, EVP_PKEY *pkey, OSSL_LIB_CTX *libctx)
{
	int	 rc;

	if (pkey == NULL)
		return CS_UNKNOWN;
	rc = X509_REQ_verify_ex(req, pkey, libctx, NULL);
	ERR_clear_error();
	return rc == 1 ? CS_YES : rc == 0 ? CS_NO : CS_UNKNOWN;
}

int
cs_view_req(struct cs_object *obj, X509_REQ *req, EVP_PKEY *pkey,
    OSSL_LIB_CTX *libctx)
{
	STACK_OF(X509_EXTENSION)	*exts;
	const X509_ALGOR		*alg;
	int				 rc = -1;

	obj->req = req;
	obj->version = X509_REQ_get_version(req);
	if (pkey == NULL)
		pkey = X509_REQ_get0_pubkey(obj->req);
	ERR_clear_error();
	if (pkey != NULL && EVP_PKEY_up_ref(pkey))
		obj->pkey = pkey;
	pkey = obj->pkey;
	X509_REQ_get0_signature(obj->req, NULL, &alg);
	exts = X509_REQ_get_extensions(obj->req);
	ERR_clear_error();
	if (name_fill(&obj->subject, X509_REQ_get_subject_name(obj->req)) == 0 &&
	    keyinfo_fill(obj, X509_REQ_get_X509_PUBKEY(obj->req), pkey) == 0 &&
	    siginfo_fill(&obj->sig, alg) == 0 &&
	    reqattrs_fill(obj, obj->req) == 0 &&
	    exts_fill(obj, exts) == 0)
		rc = 0;
	sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
	obj->libctx = libctx;
	obj->unsettled = 1;
	return rc;
}

int
cs_view_settle(struct cs_object *obj)
{
	STACK_OF(X509_EXTENSION)	*exts;
	int				 rc = 0;

	if (!obj->unsettled)
		return 0;
	if (obj->cert != NULL)
		rc = exts_values(obj, X509_get0_extensions(obj->cert));
	else if (obj->req != NULL) {
		exts = X509_REQ_get_extensions(obj->req);
		ERR_clear_error();
		rc = exts_values(obj, exts);
		sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
		if (rc == 0)
			obj->sig.valid = req_verify(obj->req, obj->pkey,
			    obj->libctx);
	}
	if (rc == 0)
		obj->unsettled = 0;
	return rc;
}

/*
 * An SPKI as plain fields. d2i_X509_PUBKEY (and X509_PUBKEY_set, which
 * encodes and then decodes) also loads the key, building an OpenSSL
 * decoder context every time: the costliest step of viewing a private key,
 * whose public half is already loaded.
 */
typedef struct {
	X509_ALGOR	*algor;
	ASN1_BIT_STRING	*key;
} CS_SPKI;

ASN1_SEQUENCE(CS_SPKI) = {
	ASN1_SIMPLE(CS_SPKI, algor, X509_ALGOR),
	ASN1_SIMPLE(CS_SPKI, key, ASN1_BIT_STRING),
} static_ASN1_SEQUENCE_END(CS_SPKI)

X509_PUBKEY *
cs_spki_fields(const unsigned char **pp, long len)
{
	CS_SPKI			*s;
	X509_PUBKEY		*pub = NULL;
	X509_ALGOR		*alg;
	unsigned char		*penc = NULL;
	int			 klen;

	s = (CS_SPKI *)ASN1_item_d2i(NULL, pp, len, ASN1_ITEM_rptr(CS_SPKI));
	/* X509_PUBKEY_set0_param takes whole bytes only. */
	if (s == NULL || (s->key->flags & 0x07) != 0 ||
	    (pub = X509_PUBKEY_new()) == NULL)
		goto fail;
	klen = ASN1_STRING_length(s->key);
	if ((penc = OPENSSL_memdup(ASN1_STRING_get0_data(s->key),
	    klen > 0 ? (size_t)klen : 1)) == NULL ||
	    !X509_PUBKEY_set0_param(pub, NULL, V_ASN1_UNDEF, NULL, penc, klen))
		goto fail;
	penc = NULL;
	X509_PUBKEY_get0_param(NULL, NULL, NULL, &alg, pub);
	if (!X509_ALGOR_copy(alg, s->algor))
		goto fail;
	ASN1_item_free((ASN1_VALUE *)s, ASN1_ITEM_rptr(CS_SPKI));
	return pub;
fail:
	OPENSSL_free(penc);
	X509_PUBKEY_free(pub);
	ASN1_item_free((ASN1_VALUE *)s, ASN1_ITEM_rptr(CS_SPKI));
	return NULL;
}

/* The fields of exactly len bytes of SPKI DER. */
static X509_PUBKEY *
spki_fields(const unsigned char *der, long len)
{
	const unsigned char	*p = der;
	X509_PUBKEY		*pub;

	if ((pub = cs_spki_fields(&p, len)) != NULL && p != der + len) {
		X509_PUBKEY_free(pub);
		pub = NULL;
	}
	return pub;
}

/*
 * The SPKIs of the common key types, built here from the key's parameters
 * as OpenSSL's encoder would write them: i2d_PUBKEY builds a new encoder
 * context for every key, which costs more than the rest of a key's view.
 * A builder returns NULL for a form it does not cover (explicit curves,
 * say), and the encoder does those.
 */
typedef struct {
	BIGNUM	*n;
	BIGNUM	*e;
} CS_RSA_PUB;

ASN1_SEQUENCE(CS_RSA_PUB) = {
	ASN1_SIMPLE(CS_RSA_PUB, n, BIGNUM),
	ASN1_SIMPLE(CS_RSA_PUB, e, BIGNUM),
} static_ASN1_SEQUENCE_END(CS_RSA_PUB)

/* An X509_PUBKEY of these fields; takes *penc (set to NULL) on success. */
static X509_PUBKEY *
spki_new(int nid, int ptype, void *pval, unsigned char **penc, int len)
{
	X509_PUBKEY	*pub;

	if ((pub = X509_PUBKEY_new()) == NULL)
		return NULL;
	if (!X509_PUBKEY_set0_param(pub, OBJ_nid2obj(nid), ptype, pval, *penc,
	    len)) {
		X509_PUBKEY_free(pub);
		return NULL;
	}
	*penc = NULL;
	return pub;
}

/* An octet string parameter of the key, allocated. */
static unsigned char *
pkey_octets(EVP_PKEY *pkey, const char *name, size_t *len)
{
	unsigned char	*buf;

	if (!EVP_PKEY_get_octet_string_param(pkey, name, NULL, 0, len) ||
	    *len == 0 || *len > INT_MAX || (buf = OPENSSL_malloc(*len)) == NULL)
		return NULL;
	if (!EVP_PKEY_get_octet_string_param(pkey, name, buf, *len, len)) {
		OPENSSL_free(buf);
		return NULL;
	}
	return buf;
}

static X509_PUBKEY *
rsa_spki(EVP_PKEY *pkey, int nid)
{
	CS_RSA_PUB	 k = { NULL, NULL };
	unsigned char	*der = NULL;
	X509_PUBKEY	*pub = NULL;
	int		 len;

	if (EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_N, &k.n) &&
	    EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E, &k.e) &&
	    (len = ASN1_item_i2d((ASN1_VALUE *)&k, &der,
	    ASN1_ITEM_rptr(CS_RSA_PUB))) > 0)
		pub = spki_new(nid, V_ASN1_NULL, NULL, &der, len);
	OPENSSL_free(der);
	BN_free(k.n);
	BN_free(k.e);
	return pub;
}

/* The first octet of an encoded point agrees with the key's point format:
 * then the point is what the encoder would write. */
static int
point_form_ok(EVP_PKEY *pkey, unsigned char first)
{
	char	 form[32];

	if (!EVP_PKEY_get_utf8_string_param(pkey,
	    OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT, form, sizeof(form),
	    NULL))
		return 0;
	if (strcmp(form, OSSL_PKEY_EC_POINT_CONVERSION_FORMAT_UNCOMPRESSED) == 0)
		return first == 0x04;
	if (strcmp(form, OSSL_PKEY_EC_POINT_CONVERSION_FORMAT_COMPRESSED) == 0)
		return first == 0x02 || first == 0x03;
	return 0;
}

/* A named-curve EC key; explicit parameters are left to the encoder. */
static X509_PUBKEY *
ec_spki(EVP_PKEY *pkey, int nid)
{
	char		 enc[32], group[80];
	unsigned char	*point = NULL;
	X509_PUBKEY	*pub = NULL;
	size_t		 len = 0;
	int		 curve;

	if (!EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_EC_ENCODING,
	    enc, sizeof(enc), NULL) ||
	    strcmp(enc, OSSL_PKEY_EC_ENCODING_GROUP) != 0 ||
	    !EVP_PKEY_get_utf8_string_param(pkey, OSSL_PKEY_PARAM_GROUP_NAME,
	    group, sizeof(group), NULL))
		return NULL;
	if ((curve = EC_curve_nist2nid(group)) == NID_undef)
		curve = OBJ_sn2nid(group);
	if (curve != NID_undef &&
	    (point = pkey_octets(pkey, OSSL_PKEY_PARAM_PUB_KEY, &len)) != NULL &&
	    point_form_ok(pkey, point[0]))
		pub = spki_new(nid, V_ASN1_OBJECT, OBJ_nid2obj(curve), &point,
		    (int)len);
	OPENSSL_free(point);
	return pub;
}

/* Ed25519, Ed448, X25519, X448: the raw key, no parameters. */
static X509_PUBKEY *
raw_spki(EVP_PKEY *pkey, int nid)
{
	unsigned char	*raw;
	X509_PUBKEY	*pub = NULL;
	size_t		 len = 0;

	if ((raw = pkey_octets(pkey, OSSL_PKEY_PARAM_PUB_KEY, &len)) != NULL)
		pub = spki_new(nid, V_ASN1_UNDEF, NULL, &raw, (int)len);
	OPENSSL_free(raw);
	return pub;
}

static const struct spki_builder {
	const char	*type;
	int		 nid;
	X509_PUBKEY	*(*build)(EVP_PKEY *, int);
} spki_builders[] = {
	{ "RSA",	NID_rsaEncryption,		rsa_spki },
	{ "EC",		NID_X9_62_id_ecPublicKey,	ec_spki },
	{ "ED25519",	NID_ED25519,			raw_spki },
	{ "ED448",	NID_ED448,			raw_spki },
	{ "X25519",	NID_X25519,			raw_spki },
	{ "X448",	NID_X448,			raw_spki },
};

/* The SPKI of a loaded key, without loading the key again; NULL when the
 * key cannot be encoded. */
static X509_PUBKEY *
pkey_spki(EVP_PKEY *pkey)
{
	const struct spki_builder	*sb;
	unsigned char			*der = NULL;
	X509_PUBKEY			*pub = NULL;
	size_t				 i;
	int				 len;

	for (i = 0; i < sizeof(spki_builders) / sizeof(spki_builders[0]); i++) {
		sb = &spki_builders[i];
		if (EVP_PKEY_is_a(pkey, sb->type)) {
			if ((pub = sb->build(pkey, sb->nid)) != NULL)
				return pub;
			break;
		}
	}
	ERR_clear_error();
	if ((len = i2d_PUBKEY(pkey, &der)) > 0)
		pub = spki_fields(der, len);
	OPENSSL_free(der);
	return pub;
}

int
cs_view_pkey(struct cs_object *obj, EVP_PKEY *pkey)
{
	if (!EVP_PKEY_up_ref(pkey))
		return -1;
	obj->pkey = pkey;
	if ((obj->pubkey = pkey_spki(pkey)) == NULL) {
		ERR_clear_error();
		obj->key.present = 1;
		obj->key.loaded = 1;
		obj->key.bits = EVP_PKEY_get_bits(pkey);
		obj->key.algorithm = cs_lower(cs_strdup(EVP_PKEY_get0_type_name(pkey)));
		return cs_object_note(obj, "public key could not be encoded");
	}
	return keyinfo_fill(obj, obj->pubkey, pkey);
}

int
cs_view_pubkey(struct cs_object *obj, X509_PUBKEY *pub)
{
	EVP_PKEY	*pkey;

	pkey = X509_PUBKEY_get0(pub);
	ERR_clear_error();
	return cs_view_spki(obj, pub, pkey);
}

int
cs_view_spki(struct cs_object *obj, X509_PUBKEY *pub, EVP_PKEY *pkey)
{
	obj->pubkey = pub;
	if (pkey != NULL && EVP_PKEY_up_ref(pkey))
		obj->pkey = pkey;
	return keyinfo_fill(obj, pub, obj->pkey);
}

int
cs_view_spki_known(struct cs_object *obj, X509_PUBKEY *pub, int bits,
    const unsigned char sha256[32])
{
	int	 rc;

	obj->pubkey = pub;
	if ((rc = keyinfo_alg(obj, pub)) != 1)
		return rc;
	obj->key.loaded = 1;
	obj->key.bits = bits;
	memcpy(obj->key.spki_sha256, sha256, sizeof(obj->key.spki_sha256));
	obj->key.has_spki = 1;
	return 0;
}

/* A positive, minimally encoded DER INTEGER at *p, advanced past it. */
static int
der_uint(const unsigned char **p, const unsigned char *end,
    const unsigned char **v, size_t *len)
{
	const unsigned char	*q = *p;
	long			 l;
	int			 tag, xclass;

	if (q >= end || ASN1_get_object(&q, &l, &tag, &xclass, end - q) != 0 ||
	    xclass != V_ASN1_UNIVERSAL || tag != V_ASN1_INTEGER || l < 1 ||
	    l > end - q || (q[0] & 0x80) ||
	    (q[0] == 0 && (l == 1 || !(q[1] & 0x80)))) {
		ERR_clear_error();
		return -1;
	}
	*v = q;
	*len = (size_t)l;
	*p = q + l;
	return 0;
}

int
cs_rsa_public_parts(const unsigned char *der, size_t len,
    const unsigned char **n, size_t *n_len, const unsigned char **e,
    size_t *e_len)
{
	const unsigned char	*p = der, *end = der + len;
	long			 l;
	int			 tag, xclass;

	if (len < 2 || len > LONG_MAX ||
	    ASN1_get_object(&p, &l, &tag, &xclass, (long)len) !=
	    V_ASN1_CONSTRUCTED || xclass != V_ASN1_UNIVERSAL ||
	    tag != V_ASN1_SEQUENCE || l != end - p) {
		ERR_clear_error();
		return -1;
	}
	if (der_uint(&p, end, n, n_len) == -1 ||
	    der_uint(&p, end, e, e_len) == -1 || p != end)
		return -1;
	return 0;
}

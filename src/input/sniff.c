/*
 * Content sniffing. A DER structure is classified by the shape of its
 * outer SEQUENCE (the tags of its children, and for the signed types the
 * shape of the to-be-signed part), so each kind goes straight to the one
 * decoder that fits instead of trying them all in turn.
 */
#include "input/input-int.h"

#include <limits.h>
#include <string.h>

#include <openssl/asn1.h>
#include <openssl/objects.h>

#define SHAPE_MAX	12

struct tlv {
	const unsigned char *hdr;	/* start of the identifier octets */
	int		 tag;
	int		 cls;
	int		 cons;
	const unsigned char *content;
	long		 len;		/* content length (indefinite: to end) */
};

struct shape {
	struct tlv	 kid[SHAPE_MAX];
	int		 n;		/* children seen (capped at SHAPE_MAX+1) */
};

static int
tlv_read(const unsigned char **p, long avail, struct tlv *t)
{
	const unsigned char	*q = *p;
	int			 rc;

	t->hdr = *p;
	rc = ASN1_get_object(&q, &t->len, &t->tag, &t->cls, avail);
	if (rc & 0x80)
		return -1;
	t->cons = rc & V_ASN1_CONSTRUCTED;
	t->content = q;
	if (rc & 1) {			/* indefinite length (BER) */
		t->len = avail - (long)(q - *p);
		*p += avail;
		return 0;
	}
	*p = q + t->len;
	return 0;
}

/* Children of a constructed TLV; -1 if the content is not well-formed. */
static int
shape_of(const struct tlv *outer, struct shape *s)
{
	const unsigned char	*p = outer->content;
	const unsigned char	*end = p + outer->len;
	struct tlv		 t;

	s->n = 0;
	while (p < end) {
		if (p[0] == 0 && p + 1 < end && p[1] == 0)
			break;		/* end-of-contents of BER */
		if (tlv_read(&p, (long)(end - p), &t) == -1)
			return -1;
		if (s->n < SHAPE_MAX)
			s->kid[s->n] = t;
		if (++s->n > SHAPE_MAX)
			break;
	}
	return 0;
}

static int
is(const struct shape *s, int i, int cls, int tag)
{
	return i < s->n && i < SHAPE_MAX && s->kid[i].cls == cls &&
	    s->kid[i].tag == tag;
}

#define U V_ASN1_UNIVERSAL
#define C V_ASN1_CONTEXT_SPECIFIC

static int
small_int(const struct tlv *t, long *v)
{
	if (t->cls != U || t->tag != V_ASN1_INTEGER || t->len < 1 || t->len > 2)
		return 0;
	*v = t->content[0];
	if (t->len == 2)
		*v = (*v << 8) | t->content[1];
	return 1;
}

static int
all_integers(const struct shape *s)
{
	int	 i;

	for (i = 0; i < s->n && i < SHAPE_MAX; i++)
		if (!is(s, i, U, V_ASN1_INTEGER))
			return 0;
	return 1;
}

/* Certificate, CSR or CRL: { tbs, algorithm, signature }. */
static enum der_kind
signed_kind(const struct tlv *tbs_tlv)
{
	struct shape	 tbs;
	int		 o;

	if (shape_of(tbs_tlv, &tbs) == -1 || tbs.n < 3)
		return DK_UNKNOWN;
	if (is(&tbs, 0, C, 0))
		return DK_CERT;			/* [0] version: v2/v3 cert */
	o = is(&tbs, 0, U, V_ASN1_INTEGER) ? 1 : 0;
	if (o == 1 && tbs.n == 4 && is(&tbs, 3, C, 0))
		return DK_CSR;
	if (is(&tbs, o + 2, U, V_ASN1_UTCTIME) ||
	    is(&tbs, o + 2, U, V_ASN1_GENERALIZEDTIME))
		return DK_CRL;
	if (o == 1 && tbs.n >= 6)
		return DK_CERT;			/* v1: serial first */
	return DK_UNKNOWN;
}

static enum der_kind
content_info_kind(const struct shape *s)
{
	const struct tlv *t = &s->kid[0];
	ASN1_OBJECT	*obj;
	const unsigned char *p = t->hdr;
	int		 nid;

	/* Re-read the OID with its header so d2i gets a whole TLV. */
	if (t->len > 120)
		return DK_UNKNOWN;
	obj = d2i_ASN1_OBJECT(NULL, &p, t->len + (long)(t->content - t->hdr));
	if (obj == NULL)
		return DK_UNKNOWN;
	nid = OBJ_obj2nid(obj);
	ASN1_OBJECT_free(obj);
	return nid == NID_pkcs7_signed || nid == NID_pkcs7_signedAndEnveloped ||
	    nid == NID_pkcs7_data ? DK_PKCS7 : DK_UNKNOWN;
}

static enum der_kind
classify(const struct tlv *top, const struct shape *s)
{
	long	 v;

	if (s->n == 3 && is(s, 0, U, V_ASN1_SEQUENCE) &&
	    is(s, 1, U, V_ASN1_SEQUENCE) && is(s, 2, U, V_ASN1_BIT_STRING))
		return signed_kind(&s->kid[0]);
	if (s->n == 2 && is(s, 0, U, V_ASN1_SEQUENCE) &&
	    is(s, 1, U, V_ASN1_BIT_STRING))
		return DK_SPKI;
	if (s->n == 2 && is(s, 0, U, V_ASN1_SEQUENCE) &&
	    is(s, 1, U, V_ASN1_OCTET_STRING))
		return DK_EPKI;
	if (s->n == 2 && all_integers(s))
		return DK_RSA_PUB;
	if (s->n >= 1 && is(s, 0, U, V_ASN1_OBJECT) && s->kid[0].len <= 120 &&
	    (s->n == 1 || is(s, 1, C, 0)))
		return content_info_kind(s);
	if (s->n < 2 || !small_int(&s->kid[0], &v))
		return DK_UNKNOWN;
	if (v == 3 && is(s, 1, U, V_ASN1_SEQUENCE))
		return DK_PKCS12;
	if ((v == 0 || v == 1) && is(s, 1, U, V_ASN1_SEQUENCE) &&
	    is(s, 2, U, V_ASN1_OCTET_STRING))
		return DK_PKCS8;
	if (v == 1 && is(s, 1, U, V_ASN1_OCTET_STRING))
		return DK_EC_PRIV;
	if (v == 0 && s->n == 6 && all_integers(s))
		return DK_DSA_PRIV;
	if ((v == 0 || v == 1) && s->n >= 9 && all_integers(s))
		return DK_RSA_PRIV;
	(void)top;
	return DK_UNKNOWN;
}

enum sniff_status
sniff_der(const unsigned char *p, size_t len, enum der_kind *kind)
{
	const unsigned char	*q = p;
	struct tlv		 top;
	struct shape		 s;

	*kind = DK_UNKNOWN;
	if (len < 2 || len > (size_t)LONG_MAX || p[0] != 0x30)
		return SNIFF_UNRECOGNISED;
	if (tlv_read(&q, (long)len, &top) == -1 || shape_of(&top, &s) == -1)
		return SNIFF_MALFORMED;
	*kind = classify(&top, &s);
	return *kind == DK_UNKNOWN ? SNIFF_UNRECOGNISED : SNIFF_OK;
}

const char *
der_kind_name(enum der_kind kind)
{
	switch (kind) {
	case DK_CERT:
	case DK_CERT_AUX:	return "a certificate";
	case DK_CSR:		return "a certificate request";
	case DK_CRL:		return "a CRL";
	case DK_PKCS8:		return "a PKCS#8 private key";
	case DK_EPKI:		return "an encrypted PKCS#8 private key";
	case DK_RSA_PRIV:	return "an RSA private key";
	case DK_EC_PRIV:	return "an EC private key";
	case DK_DSA_PRIV:	return "a DSA private key";
	case DK_ANY_PRIV:	return "a private key";
	case DK_SPKI:		return "a public key";
	case DK_RSA_PUB:	return "an RSA public key";
	case DK_PKCS7:		return "PKCS#7";
	case DK_PKCS12:		return "PKCS#12";
	case DK_PARAMS:		return "key parameters";
	default:		return "an unknown structure";
	}
}

static const struct {
	const char	*label;
	enum der_kind	 kind;
} pem_labels[] = {
	{ "CERTIFICATE",		DK_CERT },
	{ "X509 CERTIFICATE",		DK_CERT },
	{ "TRUSTED CERTIFICATE",	DK_CERT_AUX },
	{ "CERTIFICATE REQUEST",	DK_CSR },
	{ "NEW CERTIFICATE REQUEST",	DK_CSR },
	{ "PRIVATE KEY",		DK_PKCS8 },
	{ "ENCRYPTED PRIVATE KEY",	DK_EPKI },
	{ "RSA PRIVATE KEY",		DK_RSA_PRIV },
	{ "EC PRIVATE KEY",		DK_EC_PRIV },
	{ "DSA PRIVATE KEY",		DK_DSA_PRIV },
	{ "ANY PRIVATE KEY",		DK_ANY_PRIV },
	{ "PUBLIC KEY",			DK_SPKI },
	{ "RSA PUBLIC KEY",		DK_RSA_PUB },
	{ "PKCS7",			DK_PKCS7 },
	{ "PKCS #7 SIGNED DATA",	DK_PKCS7 },
	{ "CMS",			DK_PKCS7 },
	{ "PKCS12",			DK_PKCS12 },
	{ "X509 CRL",			DK_CRL },
	{ "EC PARAMETERS",		DK_PARAMS },
	{ "DH PARAMETERS",		DK_PARAMS },
	{ "X9.42 DH PARAMETERS",	DK_PARAMS },
	{ "DSA PARAMETERS",		DK_PARAMS },
};

enum der_kind
pem_label_kind(const char *label)
{
	size_t	 i;

	for (i = 0; i < sizeof(pem_labels) / sizeof(pem_labels[0]); i++)
		if (strcmp(label, pem_labels[i].label) == 0)
			return pem_labels[i].kind;
	return DK_UNKNOWN;
}

int
looks_like_pem(const unsigned char *p, size_t len)
{
	static const char	 begin[] = "-----BEGIN ";
	const unsigned char	*q = p, *end = p + len;

	while ((q = memchr(q, '-', (size_t)(end - q))) != NULL) {
		if ((size_t)(end - q) < sizeof(begin) - 1)
			return 0;
		if ((q == p || q[-1] == '\n' || q[-1] == '\r') &&
		    memcmp(q, begin, sizeof(begin) - 1) == 0)
			return 1;
		q++;
	}
	return 0;
}

/*
 * The decoder's front door: sniff a buffer, split PEM, hand each DER
 * structure to the one decoder its kind calls for, and record what went
 * wrong with a message that names the block and the reason.
 */
#include "input/input-int.h"

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/provider.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

struct cs_decoder *
cs_decoder_new(const struct cs_decoder_opts *opts)
{
	struct cs_decoder *dec;

	if ((dec = calloc(1, sizeof(*dec))) == NULL)
		return NULL;
	dec->libctx = opts->libctx;
	dec->unsettled = opts->unsettled;
	dec->max_size = opts->max_size ? opts->max_size : CS_DEFAULT_MAX_SIZE;
	dec->pass_cb = opts->pass_cb;
	dec->pass_arg = opts->pass_arg;
	/* Without it every certificate takes OpenSSL's own way. */
	if ((dec->keyless = OSSL_LIB_CTX_new()) != NULL &&
	    (dec->nullprov = OSSL_PROVIDER_load(dec->keyless, "null")) == NULL) {
		OSSL_LIB_CTX_free(dec->keyless);
		dec->keyless = NULL;
	}
	ERR_clear_error();
	return dec;
}

OSSL_LIB_CTX *
cs_decoder_keyless(const struct cs_decoder *dec)
{
	return dec->keyless;
}

void
cs_decoder_free(struct cs_decoder *dec)
{
	size_t	 i;

	if (dec == NULL)
		return;
	for (i = 0; i < dec->ncache; i++) {
		OSSL_DECODER_CTX_free(dec->cache[i].dctx);
		EVP_PKEY_free(dec->cache[i].slot);
	}
	for (i = 0; i < CERT_CACHE_MAX; i++) {
		free(dec->certs[i].der);
		X509_free(dec->certs[i].cert);
		EVP_PKEY_free(dec->certs[i].pkey);
	}
	OSSL_PROVIDER_unload(dec->nullprov);
	OSSL_LIB_CTX_free(dec->keyless);
	OPENSSL_cleanse(dec->pw, sizeof(dec->pw));
	free(dec);
}

static void
diags_release(struct cs_vec *v)
{
	size_t	 i;

	for (i = 0; i < v->n; i++)
		cs_diag_free(v->v[i]);
	cs_vec_release(v);
}

void
cs_result_release(struct cs_result *res)
{
	size_t	 i;

	for (i = 0; i < res->objects.n; i++)
		cs_object_free(res->objects.v[i]);
	cs_vec_release(&res->objects);
	diags_release(&res->errors);
	diags_release(&res->skipped);
}

const char *
ossl_reason(const char *fallback)
{
	unsigned long	 e = ERR_peek_last_error();
	const char	*r = e ? ERR_reason_error_string(e) : NULL;

	return r != NULL ? r : fallback;
}

int
ossl_unsupported(void)
{
	unsigned long	 e;
	int		 found = 0;

	while ((e = ERR_get_error()) != 0)
		if (ERR_GET_REASON(e) == ERR_R_UNSUPPORTED ||
		    (ERR_GET_LIB(e) == ERR_LIB_EVP &&
		    (ERR_GET_REASON(e) == EVP_R_UNSUPPORTED_CIPHER ||
		    ERR_GET_REASON(e) == EVP_R_UNSUPPORTED_ALGORITHM ||
		    ERR_GET_REASON(e) == EVP_R_UNKNOWN_CIPHER)))
			found = 1;
	return found;
}

static int
diag_add(struct cs_vec *v, const char *path, int index, char *msg)
{
	struct cs_diag	*d;

	if (msg == NULL || (d = calloc(1, sizeof(*d))) == NULL) {
		free(msg);
		return -1;
	}
	d->index = index;
	d->message = msg;
	if ((d->path = cs_strdup(path)) == NULL || cs_vec_push(v, d) == -1) {
		cs_diag_free(d);
		return -1;
	}
	return 0;
}

static char *blk_message(struct blk *, const char *, va_list)
    __attribute__((format(printf, 2, 0)));

static char *
blk_message(struct blk *b, const char *fmt, va_list ap)
{
	char	*reason, *msg;

	if ((reason = cs_vprintf(fmt, ap)) == NULL)
		return NULL;
	if (b->block > 0 && b->label != NULL)
		msg = cs_printf("block %d (%s): %s", b->block, b->label, reason);
	else if (b->block > 0)
		msg = cs_printf("block %d: %s", b->block, reason);
	else
		msg = cs_strdup(reason);
	free(reason);
	return msg;
}

int
blk_error(struct blk *b, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	msg = blk_message(b, fmt, ap);
	va_end(ap);
	ERR_clear_error();
	b->failed = 1;
	diag_add(&b->res->errors, b->path, *b->next_index, msg);
	return -1;
}

int
blk_skip(struct blk *b, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	msg = blk_message(b, fmt, ap);
	va_end(ap);
	ERR_clear_error();
	if (diag_add(&b->res->skipped, b->path, *b->next_index, msg) == -1)
		return blk_error(b, "out of memory");
	return 0;
}

struct cs_object *
blk_object(struct blk *b, enum cs_kind kind)
{
	struct cs_object *obj;

	obj = cs_object_new(kind, b->path, *b->next_index, b->enc, b->cont,
	    b->label);
	if (obj != NULL && b->mislabel != NULL &&
	    cs_object_note(obj, "the PEM label says %s, but the content is %s",
	    b->label, b->mislabel) == -1) {
		cs_object_free(obj);
		obj = NULL;
	}
	if (obj == NULL)
		blk_error(b, "out of memory");
	return obj;
}

int
blk_emit(struct blk *b, struct cs_object *obj)
{
	if (cs_vec_push(&b->res->objects, obj) == -1) {
		cs_object_free(obj);
		return blk_error(b, "out of memory");
	}
	(*b->next_index)++;
	return 0;
}

/* A certificate's object (pkey: its key loaded apart, or NULL); its
 * self-signature is checked unless the cache entry it came from knows the
 * answer. */
static int
emit_cert(struct blk *b, X509 *cert, EVP_PKEY *pkey, int trusted,
    struct cert_cache *c)
{
	struct cs_object *obj;

	if ((obj = blk_object(b, CS_KIND_CERT)) == NULL)
		return -1;
	obj->trusted = trusted;
	if (cs_view_cert(obj, cert, pkey) == -1) {
		cs_object_free(obj);
		return blk_error(b, "out of memory");
	}
	if (c != NULL && c->sig_known)
		obj->sig.valid = c->sig;
	else
		cs_view_cert_verify(obj);
	if (c != NULL) {
		c->sig = obj->sig.valid;
		c->sig_known = 1;
	}
	if (!b->dec->unsettled && cs_view_settle(obj) == -1) {
		cs_object_free(obj);
		return blk_error(b, "out of memory");
	}
	return blk_emit(b, obj);
}

int
blk_emit_cert(struct blk *b, X509 *cert, int trusted)
{
	return emit_cert(b, cert, NULL, trusted, NULL);
}

static int
trailing(struct blk *b, const unsigned char *p, const unsigned char *end,
    const char *what)
{
	if (p == end)
		return 0;
	return blk_error(b, "trailing data: %zu byte(s) after the %s",
	    (size_t)(end - p), what);
}

/* Parse a certificate; 0 and *out (with *aux updated), or -1 reported. */
static int
parse_cert(struct blk *b, const unsigned char *der, size_t len, int *aux,
    X509 **out)
{
	const unsigned char	*p = der, *end = der + len;
	X509			*cert;

	*out = NULL;
	if ((cert = X509_new_ex(b->dec->libctx, NULL)) == NULL)
		return blk_error(b, "out of memory");
	if ((*aux ? d2i_X509_AUX(&cert, &p, (long)len) :
	    d2i_X509(&cert, &p, (long)len)) == NULL) {
		/* d2i_X509 frees and clears cert; d2i_X509_AUX keeps it when
		 * only the trust data after the certificate is bad. */
		X509_free(cert);
		return blk_error(b, "malformed certificate: %s",
		    ossl_reason("bad DER"));
	}
	if (!*aux && p != end) {
		/* A certificate followed by trust data is a TRUSTED CERTIFICATE. */
		const unsigned char *q = der;
		X509 *tc = d2i_X509_AUX(NULL, &q, (long)len);

		if (tc != NULL && q == end) {
			X509_free(cert);
			cert = tc;
			p = q;
			*aux = 1;
		} else {
			X509_free(tc);
		}
	}
	if (trailing(b, p, end, "certificate") == -1) {
		X509_free(cert);
		return -1;
	}
	*out = cert;
	return 0;
}

/*
 * Where the SubjectPublicKeyInfo lies in the DER of a certificate
 * (cert: after an optional [0] version and five fields) or of a request
 * (after two): 0 and *spki, *spki_len, or -1 when the DER is not of that
 * shape.
 */
static int
tbs_spki(const unsigned char *der, size_t len, int cert,
    const unsigned char **spki, size_t *spki_len)
{
	const unsigned char	*p = der, *end = der + len, *at;
	long			 plen;
	int			 tag, cls, rc, i, skip = cert ? 5 : 2;

	/* Into the outer SEQUENCE, then into the signed part's. */
	for (i = 0; i < 2; i++) {
		rc = ASN1_get_object(&p, &plen, &tag, &cls, end - p);
		if (rc != V_ASN1_CONSTRUCTED || tag != V_ASN1_SEQUENCE ||
		    cls != V_ASN1_UNIVERSAL)
			return -1;
		end = p + plen;
	}
	for (i = 0; p < end; i++) {
		at = p;
		rc = ASN1_get_object(&p, &plen, &tag, &cls, end - p);
		if ((rc & 0x80) != 0 || rc == (V_ASN1_CONSTRUCTED | 1) ||
		    plen > end - p)
			return -1;
		p += plen;
		if (cert && i == 0 && cls == V_ASN1_CONTEXT_SPECIFIC &&
		    tag == 0) {
			i = -1;		/* the version: not one of the five */
			cert = 0;
			continue;
		}
		if (i == skip) {
			if (rc != V_ASN1_CONSTRUCTED || tag != V_ASN1_SEQUENCE ||
			    cls != V_ASN1_UNIVERSAL)
				return -1;
			*spki = at;
			*spki_len = (size_t)(p - at);
			return 0;
		}
	}
	return -1;
}

/*
 * A certificate or request (item) decoded without its key, and the key
 * loaded apart. d2i_X509 and d2i_X509_REQ build a new OpenSSL decoder
 * context for every public key they meet, most of the cost of a
 * certificate; in the key-less library context that finds nothing at
 * once, and the key goes through the decoder's cached context for its
 * type. The structure itself carries the default library context, as
 * X509_new_ex(NULL, NULL) would give it.
 *
 * 0 with *out and *pkey (NULL when the key does not load, where
 * X509_get0_pubkey would fail), or -1 when OpenSSL's own way is to be
 * taken: no key-less context, an uncommon key type, bytes after the
 * structure, a certificate whose extensions OpenSSL finds invalid, or
 * anything malformed (so that the messages are OpenSSL's).
 */
static int
parse_keyless(struct cs_decoder *dec, const ASN1_ITEM *item,
    const unsigned char *der, size_t len, ASN1_VALUE **out, EVP_PKEY **pkey)
{
	const unsigned char	*p = der, *spki;
	ASN1_VALUE		*v;
	X509_PUBKEY		*pub;
	X509_ALGOR		*alg;
	const char		*keytype = NULL;
	size_t			 spki_len;
	int			 cert = item == ASN1_ITEM_rptr(X509);

	*out = NULL;
	*pkey = NULL;
	/* With a caller's libctx, OpenSSL's way keeps it on the structure. */
	if (dec->keyless == NULL || dec->libctx != NULL || len > LONG_MAX)
		return -1;
	v = ASN1_item_d2i_ex(NULL, &p, (long)len, item, dec->keyless, NULL);
	if (v != NULL && p == der + len) {
		pub = cert ? X509_get_X509_PUBKEY((X509 *)v) :
		    X509_REQ_get_X509_PUBKEY((X509_REQ *)v);
		if (X509_PUBKEY_get0_param(NULL, NULL, NULL, &alg, pub))
			keytype = algorithm_keytype(alg);
	}
	if (keytype == NULL || (cert && (X509_get_extension_flags((X509 *)v) &
	    EXFLAG_INVALID) != 0) ||
	    tbs_spki(der, len, cert, &spki, &spki_len) == -1) {
		ASN1_item_free(v, item);
		ERR_clear_error();
		return -1;
	}
	ERR_clear_error();
	*pkey = load_spki_key(dec, keytype, spki, spki_len);
	*out = v;
	return 0;
}

static struct cert_cache *
cert_cached(struct cs_decoder *dec, const unsigned char *der, size_t len,
    int aux)
{
	struct cert_cache	*c;
	size_t			 i;

	for (i = 0; i < CERT_CACHE_MAX; i++) {
		c = &dec->certs[i];
		if (c->der != NULL && c->len == len && c->aux == aux &&
		    memcmp(c->der, der, len) == 0) {
			c->used = ++dec->tick;
			return c;
		}
	}
	return NULL;
}

/* Keep a decoded certificate in the least recently used slot; the cache
 * is only an aid, so running out of memory just leaves it out. */
static struct cert_cache *
cert_remember(struct cs_decoder *dec, const unsigned char *der, size_t len,
    int aux, X509 *cert, EVP_PKEY *pkey, int trusted)
{
	struct cert_cache	*c = &dec->certs[0];
	size_t			 i;

	if (len > CERT_CACHE_DER_MAX)
		return NULL;
	for (i = 1; i < CERT_CACHE_MAX && c->der != NULL; i++)
		if (dec->certs[i].der == NULL || dec->certs[i].used < c->used)
			c = &dec->certs[i];
	free(c->der);
	X509_free(c->cert);
	EVP_PKEY_free(c->pkey);
	memset(c, 0, sizeof(*c));
	if ((c->der = malloc(len)) == NULL)
		return NULL;
	if (!X509_up_ref(cert) || (pkey != NULL && !EVP_PKEY_up_ref(pkey))) {
		free(c->der);
		c->der = NULL;
		return NULL;
	}
	memcpy(c->der, der, len);
	c->len = len;
	c->aux = aux;
	c->cert = cert;
	c->pkey = pkey;
	c->trusted = trusted;
	c->used = ++dec->tick;
	return c;
}

static int
decode_cert(struct blk *b, const unsigned char *der, size_t len, int aux)
{
	struct cert_cache	*c;
	X509			*cert;
	EVP_PKEY		*pkey = NULL;
	int			 trusted = aux, rc;

	if ((c = cert_cached(b->dec, der, len, aux)) != NULL)
		return emit_cert(b, c->cert, c->pkey, c->trusted, c);
	/* Trust data after the certificate is d2i_X509_AUX's. */
	if (aux || parse_keyless(b->dec, ASN1_ITEM_rptr(X509), der, len,
	    (ASN1_VALUE **)&cert, &pkey) == -1) {
		if (parse_cert(b, der, len, &trusted, &cert) == -1)
			return -1;
	}
	c = cert_remember(b->dec, der, len, aux, cert, pkey, trusted);
	rc = emit_cert(b, cert, pkey, trusted, c);
	X509_free(cert);
	EVP_PKEY_free(pkey);
	return rc;
}

static int
decode_req(struct blk *b, const unsigned char *der, size_t len)
{
	const unsigned char	*p = der;
	struct cs_object	*obj;
	X509_REQ		*req;
	EVP_PKEY		*pkey = NULL;
	int			 rc;

	if (parse_keyless(b->dec, ASN1_ITEM_rptr(X509_REQ), der, len,
	    (ASN1_VALUE **)&req, &pkey) == 0) {
		p = der + len;
	} else {
		if ((req = X509_REQ_new_ex(b->dec->libctx, NULL)) == NULL)
			return blk_error(b, "out of memory");
		if (d2i_X509_REQ(&req, &p, (long)len) == NULL)
			return blk_error(b, "malformed certificate request: %s",
			    ossl_reason("bad DER"));
	}
	if (trailing(b, p, der + len, "certificate request") == -1 ||
	    (obj = blk_object(b, CS_KIND_CSR)) == NULL) {
		X509_REQ_free(req);
		EVP_PKEY_free(pkey);
		return -1;
	}
	rc = cs_view_req(obj, req, pkey, b->dec->libctx);
	EVP_PKEY_free(pkey);
	if (rc == 0 && !b->dec->unsettled)
		rc = cs_view_settle(obj);
	if (rc == -1) {
		cs_object_free(obj);
		return blk_error(b, "out of memory");
	}
	return blk_emit(b, obj);
}

/* An SPKI the way OpenSSL reads it, loading the key as it goes. */
static int
decode_spki_openssl(struct blk *b, const unsigned char *der, size_t len)
{
	const unsigned char	*p = der;
	struct cs_object	*obj;
	X509_PUBKEY		*pub;

	if ((pub = d2i_X509_PUBKEY(NULL, &p, (long)len)) == NULL)
		return blk_error(b, "malformed public key: %s",
		    ossl_reason("bad DER"));
	if (trailing(b, p, der + len, "public key") == -1 ||
	    (obj = blk_object(b, CS_KIND_PUBKEY)) == NULL) {
		X509_PUBKEY_free(pub);
		return -1;
	}
	if (cs_view_pubkey(obj, pub) == -1) {
		cs_object_free(obj);
		return blk_error(b, "out of memory");
	}
	return blk_emit(b, obj);
}

/* An SPKI of a common key type is read as plain fields and its key loaded
 * through the decoder's cached context; the rest, and anything malformed
 * (for OpenSSL's own messages), as OpenSSL reads it. */
static int
decode_spki(struct blk *b, const unsigned char *der, size_t len)
{
	const unsigned char	*p = der;
	struct cs_object	*obj;
	X509_PUBKEY		*pub;
	X509_ALGOR		*alg;
	EVP_PKEY		*pkey;
	const char		*keytype = NULL;
	int			 rc;

	if ((pub = cs_spki_fields(&p, (long)len)) != NULL &&
	    X509_PUBKEY_get0_param(NULL, NULL, NULL, &alg, pub))
		keytype = algorithm_keytype(alg);
	if (keytype == NULL) {
		X509_PUBKEY_free(pub);
		ERR_clear_error();
		return decode_spki_openssl(b, der, len);
	}
	if (trailing(b, p, der + len, "public key") == -1 ||
	    (obj = blk_object(b, CS_KIND_PUBKEY)) == NULL) {
		X509_PUBKEY_free(pub);
		return -1;
	}
	pkey = load_spki_key(b->dec, keytype, der, (size_t)(p - der));
	rc = cs_view_spki(obj, pub, pkey);
	EVP_PKEY_free(pkey);
	if (rc == -1) {
		cs_object_free(obj);
		return blk_error(b, "out of memory");
	}
	return blk_emit(b, obj);
}

int
decode_der_kind(struct blk *b, enum der_kind kind, const unsigned char *der,
    size_t len)
{
	switch (kind) {
	case DK_CERT:
	case DK_CERT_AUX:
		return decode_cert(b, der, len, kind == DK_CERT_AUX);
	case DK_CSR:
		return decode_req(b, der, len);
	case DK_SPKI:
		return decode_spki(b, der, len);
	case DK_PKCS8:
	case DK_RSA_PRIV:
	case DK_EC_PRIV:
	case DK_DSA_PRIV:
	case DK_ANY_PRIV:
	case DK_RSA_PUB:
		return decode_privkey(b, kind, der, len);
	case DK_EPKI:
		return decode_epki(b, der, len);
	case DK_PKCS7:
		return decode_pkcs7(b, der, len);
	case DK_PKCS12:
		return decode_pkcs12(b, der, len);
	case DK_CRL:
		return blk_skip(b, "certificate revocation list skipped "
		    "(CRLs are not inspected)");
	case DK_PARAMS:
		return blk_skip(b, "key parameters skipped");
	default:
		return blk_error(b, "unsupported structure");
	}
}

static int
all_space(const unsigned char *p, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
			return 0;
	return 1;
}

static int
decode_der(struct blk *b, const unsigned char *buf, size_t len)
{
	enum der_kind	 kind;

	switch (sniff_der(buf, len, &kind)) {
	case SNIFF_OK:
		return decode_der_kind(b, kind, buf, len);
	case SNIFF_MALFORMED:
		return blk_error(b, "malformed DER: the outer structure is "
		    "truncated or its lengths are inconsistent");
	default:
		return blk_error(b, "malformed DER: a well-formed structure, "
		    "but not a certificate, request, key or container "
		    "certsmith knows");
	}
}

int
cs_decode_buffer(struct cs_decoder *dec, const char *path,
    const unsigned char *buf, size_t len, struct cs_result *res)
{
	enum der_kind	 kind;
	int		 next = 0, rc;
	struct blk	 b = {
		.dec = dec, .res = res, .path = path, .enc = CS_ENC_DER,
		.cont = CS_CONT_NONE, .next_index = &next,
	};

	ERR_clear_error();
	dec->pw_asked = 0;
	dec->pw_len = -1;
	if (len == 0 || all_space(buf, len))
		rc = blk_error(&b, "empty file");
	else if (buf[0] == 0x30 && sniff_der(buf, len, &kind) == SNIFF_OK)
		rc = decode_der_kind(&b, kind, buf, len);
	else if (looks_like_pem(buf, len)) {
		b.enc = CS_ENC_PEM;
		rc = decode_pem(&b, buf, len);
	} else if (buf[0] == 0x30)
		rc = decode_der(&b, buf, len);
	else {
		res->foreign = 1;
		rc = blk_error(&b, "not X.509 material: no PEM block and not "
		    "DER");
	}
	OPENSSL_cleanse(dec->pw, sizeof(dec->pw));
	dec->pw_asked = 0;
	ERR_clear_error();
	return rc == -1 || b.failed ? -1 : 0;
}

int
cs_decode_file(struct cs_decoder *dec, const char *path, struct cs_result *res)
{
	unsigned char	*buf = NULL;
	size_t		 len = 0;
	char		 err[256];
	int		 rc;

	if (cs_read_file(path, dec->max_size, &buf, &len, err, sizeof(err)) == -1) {
		int next = 0;
		struct blk b = { .dec = dec, .res = res, .path = path,
		    .next_index = &next };

		return blk_error(&b, "%s", err);
	}
	rc = cs_decode_buffer(dec, path, buf, len, res);
	OPENSSL_clear_free(buf, len);
	return rc;
}

/*
 * Private and raw public keys. OpenSSL decoder contexts are expensive to
 * build and cheap to reuse, so the decoder keeps one per (structure, key
 * type) and each decoded key is taken out of the context's slot.
 * Encrypted keys are opened with the file's password; without one (or with
 * a wrong one) the key is reported as locked and the reason as an error.
 */
#include "input/input-int.h"

#include <string.h>

#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>

struct key_form {
	const char	*structure;
	const char	*keytype;
	int		 selection;
	const char	*algorithm;	/* for a locked key of this form */
};

static int
key_form(enum der_kind kind, struct key_form *f)
{
	f->selection = EVP_PKEY_KEYPAIR;
	f->keytype = NULL;
	f->algorithm = NULL;
	switch (kind) {
	case DK_PKCS8:
		f->structure = "PrivateKeyInfo";
		return 0;
	case DK_RSA_PRIV:
		f->structure = "type-specific";
		f->keytype = "RSA";
		f->algorithm = "rsa";
		return 0;
	case DK_EC_PRIV:
		f->structure = "type-specific";
		f->keytype = "EC";
		f->algorithm = "ec";
		return 0;
	case DK_DSA_PRIV:
		f->structure = "type-specific";
		f->keytype = "DSA";
		f->algorithm = "dsa";
		return 0;
	case DK_RSA_PUB:
		f->structure = "type-specific";
		f->keytype = "RSA";
		f->selection = EVP_PKEY_PUBLIC_KEY;
		return 0;
	case DK_ANY_PRIV:
		f->structure = NULL;
		return 0;
	default:
		return -1;
	}
}

/*
 * The key type an AlgorithmIdentifier names, for a decoder context that
 * holds only that type's decoders. NULL for other algorithms, and for EC
 * keys on the SM2 curve, which two decoders accept.
 */
const char *
algorithm_keytype(const X509_ALGOR *alg)
{
	static const struct {
		int		 nid;
		const char	*keytype;
	} types[] = {
		{ NID_rsaEncryption,		"RSA" },
		{ NID_X9_62_id_ecPublicKey,	"EC" },
		{ NID_ED25519,			"ED25519" },
		{ NID_ED448,			"ED448" },
		{ NID_X25519,			"X25519" },
		{ NID_X448,			"X448" },
	};
	const ASN1_OBJECT	*aobj;
	const void		*pval;
	size_t			 i;
	int			 nid, ptype;

	X509_ALGOR_get0(&aobj, &ptype, &pval, alg);
	nid = OBJ_obj2nid(aobj);
	if (nid == NID_X9_62_id_ecPublicKey && ptype == V_ASN1_OBJECT &&
	    OBJ_obj2nid(pval) == NID_sm2)
		return NULL;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (types[i].nid == nid)
			return types[i].keytype;
	return NULL;
}

/*
 * The key type a PrivateKeyInfo names, or NULL. Without a type, every
 * decoder of the context parses the structure in turn until one
 * recognises the algorithm.
 */
static const char *
p8_keytype(const unsigned char *der, size_t len)
{
	const unsigned char	*p = der;
	PKCS8_PRIV_KEY_INFO	*p8;
	const ASN1_OBJECT	*aobj;
	const X509_ALGOR	*alg;
	const char		*keytype;

	if ((p8 = d2i_PKCS8_PRIV_KEY_INFO(NULL, &p, (long)len)) == NULL ||
	    !PKCS8_pkey_get0(&aobj, NULL, NULL, &alg, p8)) {
		PKCS8_PRIV_KEY_INFO_free(p8);
		ERR_clear_error();
		return NULL;
	}
	keytype = algorithm_keytype(alg);
	PKCS8_PRIV_KEY_INFO_free(p8);
	return keytype;
}

static struct dec_cache *
cache_get(struct cs_decoder *dec, const struct key_form *f)
{
	struct dec_cache	*c;
	size_t			 i;

	for (i = 0; i < dec->ncache; i++) {
		c = &dec->cache[i];
		if (c->structure == f->structure && c->keytype == f->keytype &&
		    c->selection == f->selection)
			return c;
	}
	if (dec->ncache == DEC_CACHE_MAX)
		return NULL;
	c = &dec->cache[dec->ncache];
	c->dctx = OSSL_DECODER_CTX_new_for_pkey(&c->slot, "DER", f->structure,
	    f->keytype, f->selection, dec->libctx, NULL);
	if (c->dctx == NULL)
		return NULL;
	c->structure = f->structure;
	c->keytype = f->keytype;
	c->selection = f->selection;
	dec->ncache++;
	return c;
}

/* Decode DER into a key; 0 and *out, or -1 (reason on the error queue).
 * *rest is set to the number of bytes left after the key. */
static int
load_key(struct cs_decoder *dec, const struct key_form *f,
    const unsigned char *der, size_t len, EVP_PKEY **out, size_t *rest)
{
	struct dec_cache	*c;
	const unsigned char	*p = der;
	size_t			 left = len;

	*out = NULL;
	if ((c = cache_get(dec, f)) == NULL)
		return -1;
	EVP_PKEY_free(c->slot);
	c->slot = NULL;
	if (!OSSL_DECODER_from_data(c->dctx, &p, &left) || c->slot == NULL)
		return -1;
	*out = c->slot;
	c->slot = NULL;
	*rest = left;
	return 0;
}

EVP_PKEY *
load_spki_key(struct cs_decoder *dec, const char *keytype,
    const unsigned char *der, size_t len)
{
	struct key_form	 f = {
		.structure = "SubjectPublicKeyInfo", .keytype = keytype,
		.selection = EVP_PKEY_PUBLIC_KEY,
	};
	EVP_PKEY	*pkey = NULL;
	size_t		 rest = 0;

	if (load_key(dec, &f, der, len, &pkey, &rest) == -1 || rest != 0) {
		EVP_PKEY_free(pkey);
		pkey = NULL;
	}
	ERR_clear_error();
	return pkey;
}

static int
emit_key(struct blk *b, EVP_PKEY *pkey, enum cs_kind kind)
{
	struct cs_object *obj;

	if ((obj = blk_object(b, kind)) == NULL)
		return -1;
	if (cs_view_pkey(obj, pkey) == -1) {
		cs_object_free(obj);
		return blk_error(b, "out of memory");
	}
	return blk_emit(b, obj);
}

int
decode_privkey(struct blk *b, enum der_kind kind, const unsigned char *der,
    size_t len)
{
	struct key_form	 f;
	EVP_PKEY	*pkey = NULL;
	size_t		 rest = 0;
	int		 rc;

	if (key_form(kind, &f) == -1)
		return blk_error(b, "unsupported key structure");
	if (kind == DK_PKCS8)
		f.keytype = p8_keytype(der, len);
	if (load_key(b->dec, &f, der, len, &pkey, &rest) == -1)
		return blk_error(b, "malformed %s key: %s",
		    kind == DK_RSA_PUB ? "public" : "private",
		    ossl_reason("the DER does not decode as a key"));
	if (rest != 0)
		rc = blk_error(b, "trailing data: %zu byte(s) after the key", rest);
	else
		rc = emit_key(b, pkey,
		    kind == DK_RSA_PUB ? CS_KIND_PUBKEY : CS_KIND_PRIVKEY);
	EVP_PKEY_free(pkey);
	return rc;
}

int
emit_locked(struct blk *b, const char *algorithm)
{
	struct cs_object *obj;

	if ((obj = blk_object(b, CS_KIND_PRIVKEY)) == NULL)
		return -1;
	obj->key.present = 1;
	obj->key.locked = 1;
	if (algorithm != NULL &&
	    (obj->key.algorithm = cs_strdup(algorithm)) == NULL) {
		cs_object_free(obj);
		return blk_error(b, "out of memory");
	}
	return blk_emit(b, obj);
}

int
file_password(struct blk *b, const char **pw)
{
	struct cs_decoder *dec = b->dec;

	if (!dec->pw_asked) {
		dec->pw_asked = 1;
		dec->pw_len = -1;
		if (dec->pass_cb != NULL)
			dec->pw_len = dec->pass_cb(dec->pw, (int)sizeof(dec->pw),
			    b->path, dec->pass_arg);
		if (dec->pw_len >= (int)sizeof(dec->pw))
			dec->pw_len = -1;
		if (dec->pw_len >= 0)
			dec->pw[dec->pw_len] = '\0';
	}
	*pw = dec->pw;
	return dec->pw_len;
}

int
decrypt_error(struct blk *b, const char *what, int had_password)
{
	if (ossl_unsupported())
		return blk_error(b, "cannot decrypt %s: its encryption algorithm "
		    "is not available in this OpenSSL", what);
	if (had_password)
		return blk_error(b, "wrong password: %s could not be decrypted",
		    what);
	return blk_error(b, "%s is encrypted and no password was given (use "
	    "--passin): reported as locked", what);
}

/* Report a key that stays locked, and why; always -1. */
static int
locked(struct blk *b, const char *algorithm, int had_password)
{
	decrypt_error(b, "the private key", had_password);
	emit_locked(b, algorithm);
	return -1;
}

int
decode_p8inf(struct blk *b, const PKCS8_PRIV_KEY_INFO *p8)
{
	unsigned char	*der = NULL;
	int		 len, rc;

	if ((len = i2d_PKCS8_PRIV_KEY_INFO(p8, &der)) <= 0)
		return blk_error(b, "malformed private key: %s",
		    ossl_reason("cannot encode PrivateKeyInfo"));
	rc = decode_privkey(b, DK_PKCS8, der, (size_t)len);
	OPENSSL_clear_free(der, (size_t)len);
	return rc;
}

int
decode_epki(struct blk *b, const unsigned char *der, size_t len)
{
	const unsigned char	*p = der;
	PKCS8_PRIV_KEY_INFO	*p8inf;
	X509_SIG		*p8;
	const char		*pw;
	int			 pwlen, rc;

	if ((p8 = d2i_X509_SIG(NULL, &p, (long)len)) == NULL)
		return blk_error(b, "malformed encrypted private key: %s",
		    ossl_reason("bad DER"));
	if (p != der + len) {
		X509_SIG_free(p8);
		return blk_error(b, "trailing data: %zu byte(s) after the "
		    "encrypted private key", (size_t)(der + len - p));
	}
	if ((pwlen = file_password(b, &pw)) < 0) {
		X509_SIG_free(p8);
		return locked(b, NULL, 0);
	}
	p8inf = PKCS8_decrypt_ex(p8, pw, pwlen, b->dec->libctx, NULL);
	X509_SIG_free(p8);
	if (p8inf == NULL)
		return locked(b, NULL, 1);
	rc = decode_p8inf(b, p8inf);
	PKCS8_PRIV_KEY_INFO_free(p8inf);
	return rc;
}

static int
pem_pass_cb(char *buf, int size, int rwflag, void *u)
{
	const char	*pw = u;
	int		 len = (int)strlen(pw);

	(void)rwflag;
	if (len > size)
		return -1;
	memcpy(buf, pw, (size_t)len);
	return len;
}

/* A traditional key with Proc-Type: 4,ENCRYPTED and DEK-Info headers. */
int
decode_pem_encrypted(struct blk *b, const char *header, unsigned char *data,
    long len)
{
	enum der_kind	 kind = pem_label_kind(b->label);
	EVP_CIPHER_INFO	 ci;
	struct key_form	 f;
	EVP_PKEY	*pkey = NULL;
	const char	*pw;
	size_t		 rest = 0;
	int		 rc;

	if (kind != DK_RSA_PRIV && kind != DK_EC_PRIV && kind != DK_DSA_PRIV &&
	    kind != DK_PKCS8)
		kind = DK_ANY_PRIV;
	key_form(kind, &f);
	if (!PEM_get_EVP_CIPHER_INFO((char *)header, &ci))
		return blk_error(b, "malformed Proc-Type/DEK-Info header: %s",
		    ossl_reason("unknown cipher"));
	if (file_password(b, &pw) < 0)
		return locked(b, f.algorithm, 0);
	if (!PEM_do_header(&ci, data, &len, pem_pass_cb, (void *)pw) ||
	    load_key(b->dec, &f, data, (size_t)len, &pkey, &rest) == -1)
		return locked(b, f.algorithm, 1);
	rc = rest == 0 ? emit_key(b, pkey, CS_KIND_PRIVKEY) :
	    blk_error(b, "trailing data: %zu byte(s) after the key", rest);
	EVP_PKEY_free(pkey);
	return rc;
}

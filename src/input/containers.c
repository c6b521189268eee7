/*
 * PKCS#7 certificate bundles and PKCS#12 files. Every certificate and key
 * inside becomes an object of its own, with the container recorded in its
 * source.
 */
#include "input/input-int.h"

#include <string.h>

#include <openssl/err.h>
#include <openssl/pkcs12.h>
#include <openssl/pkcs7.h>

/* Nested SafeContents deeper than this are refused (hostile input). */
#define P12_MAX_DEPTH	4

int
decode_pkcs7(struct blk *b, const unsigned char *der, size_t len)
{
	const unsigned char	*p = der;
	STACK_OF(X509)		*certs = NULL;
	PKCS7			*p7;
	enum cs_container	 saved = b->cont;
	int			 i, n;

	if ((p7 = d2i_PKCS7(NULL, &p, (long)len)) == NULL)
		return blk_error(b, "malformed PKCS#7: %s", ossl_reason("bad DER"));
	if (p != der + len) {
		PKCS7_free(p7);
		return blk_error(b, "trailing data: %zu byte(s) after the PKCS#7",
		    (size_t)(der + len - p));
	}
	if (PKCS7_type_is_signed(p7) && p7->d.sign != NULL)
		certs = p7->d.sign->cert;
	else if (PKCS7_type_is_signedAndEnveloped(p7) &&
	    p7->d.signed_and_enveloped != NULL)
		certs = p7->d.signed_and_enveloped->cert;
	n = sk_X509_num(certs);
	b->cont = CS_CONT_PKCS7;
	if (n <= 0)
		blk_skip(b, "PKCS#7 holds no certificates");
	for (i = 0; i < n; i++)
		blk_emit_cert(b, sk_X509_value(certs, i), 0);
	b->cont = saved;
	PKCS7_free(p7);
	return b->failed ? -1 : 0;
}

/* The password state of one PKCS#12 file. */
struct p12_pw {
	const char	*pw;
	int		 len;
	int		 user;		/* pw is the user's password */
	int		 asked;		/* the user was asked already */
};

/* Switch to the user's password for a retry; 0 if there is a new one. */
static int
p12_use_user(struct blk *b, struct p12_pw *st)
{
	const char	*pw;
	int		 len;

	if (st->asked)
		return -1;
	st->asked = 1;
	if ((len = file_password(b, &pw)) < 0)
		return -1;
	st->pw = pw;
	st->len = len;
	st->user = 1;
	return 0;
}

/* Choose the password that verifies the MAC: "", none, then the user's. */
static int
p12_mac_password(struct blk *b, PKCS12 *p12, struct p12_pw *st)
{
	if (PKCS12_verify_mac(p12, "", 0)) {
		st->pw = "";
		return 0;
	}
	if (PKCS12_verify_mac(p12, NULL, 0)) {
		st->pw = NULL;
		return 0;
	}
	ERR_clear_error();
	if (p12_use_user(b, st) == 0 && PKCS12_verify_mac(p12, st->pw, st->len))
		return 0;
	if (st->user)
		blk_error(b, "wrong password: the PKCS#12 MAC does not verify");
	else
		decrypt_error(b, "the PKCS#12 file", 0);
	emit_locked(b, NULL);
	return -1;
}

static int walk_bags(struct blk *, const STACK_OF(PKCS12_SAFEBAG) *,
    struct p12_pw *, int);

static int
shrouded_key(struct blk *b, const PKCS12_SAFEBAG *bag, struct p12_pw *st)
{
	PKCS8_PRIV_KEY_INFO	*p8;
	int			 rc;

	p8 = PKCS12_decrypt_skey_ex(bag, st->pw, st->len, b->dec->libctx, NULL);
	if (p8 == NULL && p12_use_user(b, st) == 0)
		p8 = PKCS12_decrypt_skey_ex(bag, st->pw, st->len,
		    b->dec->libctx, NULL);
	if (p8 == NULL) {
		decrypt_error(b, "the PKCS#12 private key", st->user);
		emit_locked(b, NULL);
		return -1;
	}
	rc = decode_p8inf(b, p8);
	PKCS8_PRIV_KEY_INFO_free(p8);
	return rc;
}

static int
cert_bag(struct blk *b, const PKCS12_SAFEBAG *bag)
{
	X509	*cert;
	int	 rc;

	if (PKCS12_SAFEBAG_get_bag_nid(bag) != NID_x509Certificate)
		return blk_skip(b, "PKCS#12 certificate bag of another type "
		    "skipped");
	if ((cert = PKCS12_SAFEBAG_get1_cert(bag)) == NULL)
		return blk_error(b, "malformed certificate in PKCS#12: %s",
		    ossl_reason("bad DER"));
	rc = blk_emit_cert(b, cert, 0);
	X509_free(cert);
	return rc;
}

static int
walk_bag(struct blk *b, const PKCS12_SAFEBAG *bag, struct p12_pw *st,
    int depth)
{
	switch (PKCS12_SAFEBAG_get_nid(bag)) {
	case NID_keyBag:
		return decode_p8inf(b, PKCS12_SAFEBAG_get0_p8inf(bag));
	case NID_pkcs8ShroudedKeyBag:
		return shrouded_key(b, bag, st);
	case NID_certBag:
		return cert_bag(b, bag);
	case NID_safeContentsBag:
		if (depth >= P12_MAX_DEPTH)
			return blk_error(b, "PKCS#12 nested too deeply");
		return walk_bags(b, PKCS12_SAFEBAG_get0_safes(bag), st, depth + 1);
	default:
		return blk_skip(b, "PKCS#12 bag of type %s skipped",
		    OBJ_nid2sn(PKCS12_SAFEBAG_get_nid(bag)));
	}
}

static int
walk_bags(struct blk *b, const STACK_OF(PKCS12_SAFEBAG) *bags,
    struct p12_pw *st, int depth)
{
	int	 i;

	for (i = 0; i < sk_PKCS12_SAFEBAG_num(bags); i++)
		walk_bag(b, sk_PKCS12_SAFEBAG_value(bags, i), st, depth);
	return b->failed ? -1 : 0;
}

static STACK_OF(PKCS12_SAFEBAG) *
encrypted_bags(struct blk *b, PKCS7 *p7, struct p12_pw *st)
{
	STACK_OF(PKCS12_SAFEBAG) *bags;

	bags = PKCS12_unpack_p7encdata(p7, st->pw, st->len);
	if (bags == NULL && p12_use_user(b, st) == 0)
		bags = PKCS12_unpack_p7encdata(p7, st->pw, st->len);
	if (bags == NULL)
		decrypt_error(b, "the PKCS#12 certificates", st->user);
	return bags;
}

static int
walk_authsafes(struct blk *b, PKCS12 *p12, struct p12_pw *st)
{
	STACK_OF(PKCS7)			*safes;
	STACK_OF(PKCS12_SAFEBAG)	*bags;
	PKCS7				*p7;
	int				 i;

	if ((safes = PKCS12_unpack_authsafes(p12)) == NULL)
		return blk_error(b, "malformed PKCS#12 contents: %s",
		    ossl_reason("bad DER"));
	for (i = 0; i < sk_PKCS7_num(safes); i++) {
		p7 = sk_PKCS7_value(safes, i);
		bags = NULL;
		if (PKCS7_type_is_data(p7))
			bags = PKCS12_unpack_p7data(p7);
		else if (PKCS7_type_is_encrypted(p7))
			bags = encrypted_bags(b, p7, st);
		else
			blk_skip(b, "PKCS#12 safe of another type skipped");
		if (bags != NULL)
			walk_bags(b, bags, st, 0);
		sk_PKCS12_SAFEBAG_pop_free(bags, PKCS12_SAFEBAG_free);
	}
	sk_PKCS7_pop_free(safes, PKCS7_free);
	return b->failed ? -1 : 0;
}

int
decode_pkcs12(struct blk *b, const unsigned char *der, size_t len)
{
	const unsigned char	*p = der;
	struct p12_pw		 st = { .pw = "", .len = 0 };
	enum cs_container	 saved = b->cont;
	PKCS12			*p12;
	int			 rc = -1;

	if ((p12 = d2i_PKCS12(NULL, &p, (long)len)) == NULL)
		return blk_error(b, "malformed PKCS#12: %s", ossl_reason("bad DER"));
	b->cont = CS_CONT_PKCS12;
	if (p != der + len)
		blk_error(b, "trailing data: %zu byte(s) after the PKCS#12",
		    (size_t)(der + len - p));
	else if (!PKCS12_mac_present(p12) || p12_mac_password(b, p12, &st) == 0)
		rc = walk_authsafes(b, p12, &st);
	ERR_clear_error();
	b->cont = saved;
	PKCS12_free(p12);
	return rc;
}

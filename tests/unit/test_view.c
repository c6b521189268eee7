/*
 * test_view - the shortcuts the decoder takes past OpenSSL's slow paths
 * must not change what it reports: the SPKI of a private key built from
 * its parameters (cs_view_pkey), a public key read as plain fields and
 * loaded through the cached decoder context, and certificates shared
 * through the decoder's certificate cache, certificates and requests
 * decoded without their key (which is loaded apart) and the self-signature
 * answer that then cannot come from X509_self_signed; and objects left
 * unsettled, then settled (cs_view_settle), against settled ones.
 *
 * Keys are generated in the test; each SPKI is compared with OpenSSL's
 * own encoding (i2d_PUBKEY).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "input/input.h"
#include "model/object.h"
#include "testutil.h"

/* The key types whose SPKI cs_view_pkey builds itself, and two it leaves
 * to OpenSSL's encoder (DSA has no builder). */
static EVP_PKEY *
make_key(const char *type)
{
	if (strcmp(type, "RSA") == 0)
		return EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)1024);
	if (strcmp(type, "EC") == 0)
		return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	if (strcmp(type, "EC-384") == 0)
		return EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384");
	return EVP_PKEY_Q_keygen(NULL, NULL, type);
}

/* obj's SPKI, as the view keeps it, is OpenSSL's encoding of key. */
static void
assert_spki_is_openssl(const struct cs_object *obj, EVP_PKEY *key)
{
	unsigned char	*want = NULL, *got = NULL, sha[32];
	int		 wlen, glen;

	assert_non_null(obj->pubkey);
	wlen = i2d_PUBKEY(key, &want);
	glen = i2d_X509_PUBKEY(obj->pubkey, &got);
	assert_true(wlen > 0);
	assert_int_equal(glen, wlen);
	assert_memory_equal(got, want, (size_t)wlen);
	assert_int_equal(tu_spki_sha256(key, sha), 0);
	assert_true(obj->key.has_spki);
	assert_memory_equal(obj->key.spki_sha256, sha, sizeof(sha));
	OPENSSL_free(want);
	OPENSSL_free(got);
}

static void
test_cs_view_pkey_spki_as_encoder(void **state)
{
	static const char *const types[] = { "RSA", "EC", "EC-384",
	    "ED25519", "ED448", "X25519", "X448" };
	struct cs_object	*obj;
	EVP_PKEY		*key;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		assert_non_null(key = make_key(types[i]));
		obj = cs_object_new(CS_KIND_PRIVKEY, "mem", 0, CS_ENC_DER,
		    CS_CONT_NONE, NULL);
		assert_non_null(obj);
		assert_int_equal(cs_view_pkey(obj, key), 0);
		assert_true(obj->key.loaded);
		assert_int_equal(obj->key.bits, EVP_PKEY_get_bits(key));
		assert_spki_is_openssl(obj, key);
		cs_object_free(obj);
		EVP_PKEY_free(key);
	}
}

/* A compressed EC point stays compressed, as the encoder writes it. */
static void
test_cs_view_pkey_spki_compressed_point(void **state)
{
	struct cs_object	*obj;
	EVP_PKEY		*key;

	(void)state;
	assert_non_null(key = make_key("EC"));
	assert_int_equal(EVP_PKEY_set_utf8_string_param(key,
	    "point-format", "compressed"), 1);
	obj = cs_object_new(CS_KIND_PRIVKEY, "mem", 0, CS_ENC_DER,
	    CS_CONT_NONE, NULL);
	assert_non_null(obj);
	assert_int_equal(cs_view_pkey(obj, key), 0);
	assert_spki_is_openssl(obj, key);
	cs_object_free(obj);
	EVP_PKEY_free(key);
}

static void
test_cs_decode_buffer_spki_loaded(void **state)
{
	static const char *const types[] = { "RSA", "EC", "ED25519", "X448" };
	struct cs_decoder_opts	 opts = { 0 };
	struct cs_decoder	*dec;
	struct cs_result	 res;
	struct cs_object	*obj;
	unsigned char		*der = NULL;
	EVP_PKEY		*key;
	size_t			 i;
	int			 len;

	(void)state;
	assert_non_null(dec = cs_decoder_new(&opts));
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		assert_non_null(key = make_key(types[i]));
		assert_true((len = i2d_PUBKEY(key, &der)) > 0);
		memset(&res, 0, sizeof(res));
		assert_int_equal(cs_decode_buffer(dec, "mem.der", der,
		    (size_t)len, &res), 0);
		assert_int_equal(res.objects.n, 1);
		obj = res.objects.v[0];
		assert_int_equal(obj->kind, CS_KIND_PUBKEY);
		assert_true(obj->key.loaded);
		assert_int_equal(EVP_PKEY_eq(cs_object_pubkey(obj), key), 1);
		assert_spki_is_openssl(obj, key);
		cs_result_release(&res);
		OPENSSL_free(der);
		der = NULL;
		EVP_PKEY_free(key);
	}
	cs_decoder_free(dec);
}

static unsigned char *
cert_pem(X509 *cert, size_t *len)
{
	BIO	*bio = BIO_new(BIO_s_mem());
	char	*data;
	unsigned char *copy;
	long	 n;

	assert_non_null(bio);
	assert_int_equal(PEM_write_bio_X509(bio, cert), 1);
	assert_int_equal(PEM_write_bio_X509(bio, cert), 1);
	n = BIO_get_mem_data(bio, &data);
	assert_true(n > 0);
	assert_non_null(copy = malloc((size_t)n));
	memcpy(copy, data, (size_t)n);
	*len = (size_t)n;
	BIO_free(bio);
	return copy;
}

/* The same certificate twice in a file, and again in the next file: one
 * shared X509, and the same view each time. */
static void
test_cs_decode_buffer_cert_shared(void **state)
{
	struct cs_decoder_opts	 opts = { 0 };
	struct cs_decoder	*dec;
	struct cs_result	 a, b;
	struct cs_object	*o1, *o2, *o3;
	unsigned char		*pem;
	EVP_PKEY		*key;
	X509			*cert;
	size_t			 len;

	(void)state;
	assert_non_null(key = make_key("EC"));
	assert_non_null(cert = tu_make_cert(key, "shared", 2));
	pem = cert_pem(cert, &len);
	assert_non_null(dec = cs_decoder_new(&opts));
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	assert_int_equal(cs_decode_buffer(dec, "a.pem", pem, len, &a), 0);
	assert_int_equal(cs_decode_buffer(dec, "b.pem", pem, len, &b), 0);
	assert_int_equal(a.objects.n, 2);
	assert_int_equal(b.objects.n, 2);
	o1 = a.objects.v[0];
	o2 = a.objects.v[1];
	o3 = b.objects.v[0];
	assert_ptr_equal(o1->cert, o2->cert);
	assert_ptr_equal(o1->cert, o3->cert);
	assert_int_equal(X509_cmp(o1->cert, cert), 0);
	assert_int_equal(o1->sig.valid, CS_YES);
	assert_int_equal(o2->sig.valid, CS_YES);
	assert_int_equal(o3->sig.valid, CS_YES);
	assert_int_equal(o2->src.index, 1);
	assert_string_equal(o3->src.path, "b.pem");
	assert_string_equal(o3->subject.attrs[0].value, "shared");
	assert_memory_equal(o1->key.spki_sha256, o3->key.spki_sha256, 32);
	cs_result_release(&a);
	cs_result_release(&b);
	cs_decoder_free(dec);
	free(pem);
	X509_free(cert);
	EVP_PKEY_free(key);
}

/* What the view says of a certificate's own signature, from OpenSSL's own
 * decode of it (the key loaded by d2i_X509, X509_self_signed). */
static enum cs_tristate
openssl_self_sig(X509 *ref)
{
	EVP_PKEY	*key = X509_get0_pubkey(ref);
	int		 rc;

	if (key == NULL || X509_self_signed(ref, 0) != 1)
		return CS_UNKNOWN;
	rc = X509_verify(ref, key);
	return rc == 1 ? CS_YES : rc == 0 ? CS_NO : CS_UNKNOWN;
}

static void
assert_same_key(EVP_PKEY *got, EVP_PKEY *want)
{
	if (want == NULL)
		assert_null(got);
	else
		assert_int_equal(EVP_PKEY_eq(got, want), 1);
}

struct keyless_count {
	size_t	 objects;	/* certificates and requests compared */
	size_t	 keyless;	/* of them decoded without their key */
};

/* A certificate or request object against OpenSSL's own decode of its
 * DER: the same key (or none), the same self-signature answer. */
static void
assert_as_openssl(const struct cs_object *obj, struct keyless_count *n)
{
	const unsigned char	*p;
	unsigned char		*der = NULL;
	X509			*ref;
	X509_REQ		*rref;
	EVP_PKEY		*key;
	int			 len, rc;

	if (obj->kind == CS_KIND_CERT && obj->cert != NULL) {
		assert_true((len = i2d_X509(obj->cert, &der)) > 0);
		p = der;
		assert_non_null(ref = d2i_X509(NULL, &p, len));
		assert_same_key(cs_object_pubkey(obj), X509_get0_pubkey(ref));
		assert_int_equal(obj->sig.valid, openssl_self_sig(ref));
		if (X509_get0_pubkey(obj->cert) == NULL && obj->pkey != NULL)
			n->keyless++;
		X509_free(ref);
	} else if (obj->kind == CS_KIND_CSR && obj->req != NULL) {
		assert_true((len = i2d_X509_REQ(obj->req, &der)) > 0);
		p = der;
		assert_non_null(rref = d2i_X509_REQ(NULL, &p, len));
		key = X509_REQ_get0_pubkey(rref);
		assert_same_key(cs_object_pubkey(obj), key);
		rc = key != NULL ? X509_REQ_verify(rref, key) : -1;
		assert_int_equal(obj->sig.valid, rc == 1 ? CS_YES :
		    rc == 0 ? CS_NO : CS_UNKNOWN);
		if (X509_REQ_get0_pubkey(obj->req) == NULL && obj->pkey != NULL)
			n->keyless++;
		X509_REQ_free(rref);
	} else {
		return;
	}
	ERR_clear_error();
	n->objects++;
	OPENSSL_free(der);
}

struct corpus_walk {
	struct cs_decoder	*dec;
	struct keyless_count	 n;
};

static void
keyless_file(const char *path, void *arg)
{
	struct corpus_walk	*w = arg;
	struct cs_result	 res;
	size_t			 i;

	memset(&res, 0, sizeof(res));
	(void)cs_decode_file(w->dec, path, &res);
	for (i = 0; i < res.objects.n; i++)
		assert_as_openssl(res.objects.v[i], &w->n);
	cs_result_release(&res);
}

/* Every file of the corpus directories that hold certificates and CSRs,
 * through fn. */
static void
walk_corpus(void (*fn)(const char *, void *), void *arg)
{
	static const char *const dirs[] = { "good", "bad", "lint", "match",
	    "fix" };
	const char	*corpus = getenv("CORPUS");
	char		*dir;
	size_t		 i;

	if (corpus == NULL)
		fail_msg("CORPUS is not set (export CORPUS=<srcdir>/corpus)");
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		dir = tu_path_join(corpus, dirs[i]);
		tu_walk_files(dir, fn, arg);
		free(dir);
	}
}

/* Every certificate and request of the corpus, decoded without its key
 * where the decoder can, gives what OpenSSL's own decode gives. */
static void
test_cs_decode_keyless_corpus(void **state)
{
	struct cs_decoder_opts	 opts = { 0 };
	struct corpus_walk	 w;

	(void)state;
	memset(&w, 0, sizeof(w));
	assert_non_null(w.dec = cs_decoder_new(&opts));
	walk_corpus(keyless_file, &w);
	cs_decoder_free(w.dec);
	/* Most of them took the key-less way, not all (DSA, RSA-PSS keys
	 * and PKCS#7 certificates take OpenSSL's). */
	assert_true(w.n.objects > 100);
	assert_true(w.n.keyless > w.n.objects / 2);
	assert_true(w.n.keyless < w.n.objects);
}

struct settle_walk {
	struct cs_decoder	*dec;		/* settles */
	struct cs_decoder	*later;		/* leaves unsettled */
	size_t			 exts, csrs;
};

static void
settle_file(const char *path, void *arg)
{
	struct settle_walk	*w = arg;
	struct cs_result	 a, b;
	struct cs_object	*x, *y;
	size_t			 i, j;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	(void)cs_decode_file(w->dec, path, &a);
	(void)cs_decode_file(w->later, path, &b);
	assert_int_equal(a.objects.n, b.objects.n);
	for (i = 0; i < a.objects.n; i++) {
		x = a.objects.v[i];
		y = b.objects.v[i];
		assert_int_equal(x->unsettled, 0);
		assert_int_equal(x->n_exts, y->n_exts);
		for (j = 0; j < y->n_exts; j++) {
			assert_null(y->exts[j].value);
			assert_non_null(x->exts[j].value);
		}
		if (y->kind == CS_KIND_CSR) {
			assert_int_equal(y->sig.valid, CS_UNKNOWN);
			w->csrs += x->sig.valid == CS_YES;
		}
		assert_int_equal(cs_view_settle(y), 0);
		assert_int_equal(cs_view_settle(y), 0);	/* once is enough */
		assert_int_equal(y->unsettled, 0);
		assert_int_equal(x->sig.valid, y->sig.valid);
		for (j = 0; j < y->n_exts; j++) {
			assert_string_equal(x->exts[j].value, y->exts[j].value);
			w->exts++;
		}
	}
	cs_result_release(&a);
	cs_result_release(&b);
}

/* Objects decoded unsettled lack their extensions' values and a CSR's
 * signature verdict until cs_view_settle, which gives what the decoder
 * gives when it settles them itself. */
static void
test_cs_view_settle_corpus(void **state)
{
	struct cs_decoder_opts	 opts = { 0 }, later = { .unsettled = 1 };
	struct settle_walk	 w;

	(void)state;
	memset(&w, 0, sizeof(w));
	assert_non_null(w.dec = cs_decoder_new(&opts));
	assert_non_null(w.later = cs_decoder_new(&later));
	walk_corpus(settle_file, &w);
	cs_decoder_free(w.dec);
	cs_decoder_free(w.later);
	assert_true(w.exts > 100);
	assert_true(w.csrs > 10);
}

/*
 * A certificate for subject_key named subject, issued by issuer and signed
 * by signer (RSASSA-PSS when pss); when akid_len > 0, with an authority
 * key identifier of akid_len bytes of akid and the subject key identifier
 * 05 06 07 08.
 */
static X509 *
make_signed(EVP_PKEY *subject_key, const char *subject, const char *issuer,
    EVP_PKEY *signer, int pss, const unsigned char *akid, int akid_len)
{
	static const unsigned char own_id[] = { 5, 6, 7, 8 };
	X509			*cert;
	EVP_MD_CTX		*md;
	EVP_PKEY_CTX		*pctx;
	AUTHORITY_KEYID		*ak;
	ASN1_OCTET_STRING	*skid;

	assert_non_null(cert = X509_new());
	assert_int_equal(X509_set_version(cert, 2), 1);
	assert_int_equal(ASN1_INTEGER_set(X509_get_serialNumber(cert), 7), 1);
	assert_int_equal(X509_NAME_add_entry_by_txt(X509_get_subject_name(cert),
	    "CN", MBSTRING_UTF8, (const unsigned char *)subject, -1, -1, 0), 1);
	assert_int_equal(X509_NAME_add_entry_by_txt(X509_get_issuer_name(cert),
	    "CN", MBSTRING_UTF8, (const unsigned char *)issuer, -1, -1, 0), 1);
	assert_non_null(X509_gmtime_adj(X509_getm_notBefore(cert), 0));
	assert_non_null(X509_gmtime_adj(X509_getm_notAfter(cert), 86400));
	assert_int_equal(X509_set_pubkey(cert, subject_key), 1);
	if (akid_len > 0) {
		assert_non_null(skid = ASN1_OCTET_STRING_new());
		assert_int_equal(ASN1_OCTET_STRING_set(skid, own_id,
		    sizeof(own_id)), 1);
		assert_int_equal(X509_add1_ext_i2d(cert,
		    NID_subject_key_identifier, skid, 0, 0), 1);
		ASN1_OCTET_STRING_free(skid);
		assert_non_null(ak = AUTHORITY_KEYID_new());
		assert_non_null(ak->keyid = ASN1_OCTET_STRING_new());
		assert_int_equal(ASN1_OCTET_STRING_set(ak->keyid, akid,
		    akid_len), 1);
		assert_int_equal(X509_add1_ext_i2d(cert,
		    NID_authority_key_identifier, ak, 0, 0), 1);
		AUTHORITY_KEYID_free(ak);
	}
	assert_non_null(md = EVP_MD_CTX_new());
	assert_int_equal(EVP_DigestSignInit(md, &pctx, EVP_sha256(), NULL,
	    signer), 1);
	if (pss)
		assert_true(EVP_PKEY_CTX_set_rsa_padding(pctx,
		    RSA_PKCS1_PSS_PADDING) > 0);
	assert_true(X509_sign_ctx(cert, md) > 0);
	EVP_MD_CTX_free(md);
	return cert;
}

/* One certificate decoded from memory: its view's self-signature answer
 * against OpenSSL's, and that answer. */
static enum cs_tristate
decoded_self_sig(X509 *cert)
{
	struct cs_decoder_opts	 opts = { 0 };
	struct cs_decoder	*dec;
	struct cs_result	 res;
	struct keyless_count	 n = { 0, 0 };
	unsigned char		*der = NULL;
	enum cs_tristate	 got;
	int			 len;

	assert_non_null(dec = cs_decoder_new(&opts));
	assert_true((len = i2d_X509(cert, &der)) > 0);
	memset(&res, 0, sizeof(res));
	assert_int_equal(cs_decode_buffer(dec, "mem.der", der, (size_t)len,
	    &res), 0);
	assert_int_equal(res.objects.n, 1);
	assert_as_openssl(res.objects.v[0], &n);
	assert_int_equal(n.keyless, 1);
	got = ((struct cs_object *)res.objects.v[0])->sig.valid;
	cs_result_release(&res);
	cs_decoder_free(dec);
	OPENSSL_free(der);
	return got;
}

/* Self-signed or not, as X509_self_signed tells it: the cases where a
 * self-issued certificate is not self-signed. */
static void
test_cs_decode_keyless_self_signed(void **state)
{
	static const unsigned char other_id[] = { 1, 2, 3, 4 };
	static const unsigned char own_id[] = { 5, 6, 7, 8 };
	static const struct {
		int			 key, signer;	/* in keys[] */
		const char		*issuer;	/* the subject is "a" */
		int			 pss;
		const unsigned char	*akid;		/* 4 bytes, or none */
		enum cs_tristate	 want;
	} cases[] = {
		/* Self-signed, PKCS#1 v1.5 and RSASSA-PSS with an
		 * rsaEncryption key. */
		{ 0, 0, "a", 0, NULL, CS_YES },
		{ 0, 0, "a", 1, NULL, CS_YES },
		/* Self-issued, signed by another RSA key: self-signed, and
		 * not valid. */
		{ 0, 1, "a", 0, NULL, CS_NO },
		/* Self-issued, an EC key signed with RSA: the algorithms
		 * differ. */
		{ 2, 0, "a", 0, NULL, CS_UNKNOWN },
		/* Self-issued, the authority key identifier its own, then
		 * another one (without a subject key identifier, any would
		 * do). */
		{ 0, 0, "a", 0, own_id, CS_YES },
		{ 0, 0, "a", 0, other_id, CS_UNKNOWN },
		/* Issued by another name. */
		{ 0, 0, "b", 0, NULL, CS_UNKNOWN },
	};
	EVP_PKEY	*keys[3];
	X509		*c;
	size_t		 i;

	(void)state;
	assert_non_null(keys[0] = make_key("RSA"));
	assert_non_null(keys[1] = make_key("RSA"));
	assert_non_null(keys[2] = make_key("EC"));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		c = make_signed(keys[cases[i].key], "a", cases[i].issuer,
		    keys[cases[i].signer], cases[i].pss, cases[i].akid,
		    cases[i].akid != NULL ? 4 : 0);
		assert_int_equal(decoded_self_sig(c), cases[i].want);
		X509_free(c);
	}
	for (i = 0; i < 3; i++)
		EVP_PKEY_free(keys[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cs_view_pkey_spki_as_encoder),
		cmocka_unit_test(test_cs_view_pkey_spki_compressed_point),
		cmocka_unit_test(test_cs_decode_buffer_spki_loaded),
		cmocka_unit_test(test_cs_decode_buffer_cert_shared),
		cmocka_unit_test(test_cs_view_settle_corpus),
		cmocka_unit_test(test_cs_decode_keyless_corpus),
		cmocka_unit_test(test_cs_decode_keyless_self_signed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_view - the shortcuts the decoder takes past OpenSSL's slow paths
 * must not change what it reports: the SPKI of a private key built from
 * its parameters (cs_view_pkey), a public key read as plain fields and
 * loaded through the cached decoder context, and certificates shared
 * through the decoder's certificate cache.
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

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cs_view_pkey_spki_as_encoder),
		cmocka_unit_test(test_cs_view_pkey_spki_compressed_point),
		cmocka_unit_test(test_cs_decode_buffer_spki_loaded),
		cmocka_unit_test(test_cs_decode_buffer_cert_shared),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

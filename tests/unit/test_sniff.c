/*
 * test_sniff - content sniffing of DER (sniff_der), PEM labels
 * (pem_label_kind) and PEM detection (looks_like_pem).
 *
 * Most inputs are built in memory from one EC P-256 key so each test says
 * what it checks; RSA, DSA and the containers come from the corpus
 * ($CORPUS) because generating them here would be slow.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/encoder.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>

#include "input/input-int.h"
#include "testutil.h"

struct fixture {
	EVP_PKEY	*key;		/* EC P-256 */
	X509		*cert;		/* v3, self-signed with key */
	unsigned char	*der;		/* scratch output of the test */
	size_t		 len;
};

static int
setup(void **state)
{
	struct fixture	*f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	*state = f;
	if ((f->key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256")) == NULL ||
	    (f->cert = tu_make_cert(f->key, "sniff", X509_VERSION_3)) == NULL)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	if (f == NULL)
		return 0;
	X509_free(f->cert);
	EVP_PKEY_free(f->key);
	OPENSSL_free(f->der);
	free(f);
	return 0;
}

/* Takes over a buffer from an i2d function; fails the test if there is none. */
static void
keep_der(struct fixture *f, unsigned char *der, int len)
{
	assert_non_null(der);
	assert_true(len > 0);
	f->der = der;
	f->len = (size_t)len;
}

/* Copies a memory BIO's contents into f->der. */
static void
keep_bio(struct fixture *f, BIO *bio)
{
	char	*data;
	long	 len;

	len = BIO_get_mem_data(bio, &data);
	assert_true(len > 0);
	f->der = OPENSSL_memdup(data, (size_t)len);
	assert_non_null(f->der);
	f->len = (size_t)len;
}

static char *
corpus_path(const char *name)
{
	const char	*dir = getenv("CORPUS");

	if (dir == NULL)
		fail_msg("CORPUS is not set (export CORPUS=<srcdir>/corpus)");
	return tu_path_join(dir, name);
}

/* The bytes of a corpus file, into f->der. */
static void
corpus_der(struct fixture *f, const char *name)
{
	char	*path = corpus_path(name);
	BIO	*bio = BIO_new_file(path, "rb");
	BIO	*mem = BIO_new(BIO_s_mem());
	char	 buf[4096];
	int	 n;

	assert_non_null(bio);
	assert_non_null(mem);
	while ((n = BIO_read(bio, buf, sizeof(buf))) > 0)
		assert_int_equal(BIO_write(mem, buf, n), n);
	keep_bio(f, mem);
	BIO_free(mem);
	BIO_free(bio);
	free(path);
}

/* The DER body of the one PEM block in a corpus file, into f->der; the
 * block must carry the expected label. */
static void
corpus_pem_body(struct fixture *f, const char *name, const char *label)
{
	char		*path = corpus_path(name);
	BIO		*bio = BIO_new_file(path, "r");
	char		*pem_name = NULL, *header = NULL;
	unsigned char	*data = NULL;
	long		 len = 0;

	assert_non_null(bio);
	assert_true(PEM_read_bio(bio, &pem_name, &header, &data, &len));
	assert_string_equal(pem_name, label);
	keep_der(f, data, (int)len);
	OPENSSL_free(pem_name);
	OPENSSL_free(header);
	BIO_free(bio);
	free(path);
}

static void
assert_sniffs(const struct fixture *f, enum der_kind want)
{
	enum der_kind	 kind = DK_PARAMS;

	assert_int_equal(sniff_der(f->der, f->len, &kind), SNIFF_OK);
	assert_int_equal(kind, want);
}

/* --- sniff_der: what each structure is classified as ------------------ */

static void
test_sniff_der_cert_v3(void **state)
{
	struct fixture	*f = *state;
	unsigned char	*der = NULL;

	keep_der(f, der, i2d_X509(f->cert, &der));
	assert_sniffs(f, DK_CERT);
}

static void
test_sniff_der_cert_v1(void **state)
{
	struct fixture	*f = *state;
	unsigned char	*der = NULL;
	X509		*v1;

	/* No [0] version: the TBS starts with the serial. */
	assert_non_null(v1 = tu_make_cert(f->key, "sniff", X509_VERSION_1));
	assert_int_equal(X509_get_version(v1), X509_VERSION_1);
	keep_der(f, der, i2d_X509(v1, &der));
	X509_free(v1);
	assert_sniffs(f, DK_CERT);
}

static void
test_sniff_der_cert_v1_corpus(void **state)
{
	struct fixture	*f = *state;

	corpus_pem_body(f, "good/v1-rsa1024.crt", "CERTIFICATE");
	assert_sniffs(f, DK_CERT);
}

static void
test_sniff_der_csr(void **state)
{
	struct fixture	*f = *state;
	unsigned char	*der = NULL;
	X509_REQ	*req;

	assert_non_null(req = X509_REQ_new());
	assert_true(X509_REQ_set_subject_name(req, X509_get_subject_name(f->cert)));
	assert_true(X509_REQ_set_pubkey(req, f->key));
	assert_true(X509_REQ_sign(req, f->key, EVP_sha256()) > 0);
	keep_der(f, der, i2d_X509_REQ(req, &der));
	X509_REQ_free(req);
	assert_sniffs(f, DK_CSR);
}

static void
test_sniff_der_crl(void **state)
{
	struct fixture	*f = *state;
	unsigned char	*der = NULL;
	X509_CRL	*crl;
	ASN1_TIME	*t;

	assert_non_null(crl = X509_CRL_new());
	assert_non_null(t = X509_gmtime_adj(NULL, 0));
	assert_true(X509_CRL_set_version(crl, X509_CRL_VERSION_2));
	assert_true(X509_CRL_set_issuer_name(crl, X509_get_subject_name(f->cert)));
	assert_true(X509_CRL_set1_lastUpdate(crl, t));
	assert_true(X509_CRL_set1_nextUpdate(crl, t));
	assert_true(X509_CRL_sign(crl, f->key, EVP_sha256()) > 0);
	keep_der(f, der, i2d_X509_CRL(crl, &der));
	ASN1_TIME_free(t);
	X509_CRL_free(crl);
	assert_sniffs(f, DK_CRL);
}

static void
test_sniff_der_pkcs8(void **state)
{
	struct fixture		*f = *state;
	unsigned char		*der = NULL;
	PKCS8_PRIV_KEY_INFO	*p8;

	assert_non_null(p8 = EVP_PKEY2PKCS8(f->key));
	keep_der(f, der, i2d_PKCS8_PRIV_KEY_INFO(p8, &der));
	PKCS8_PRIV_KEY_INFO_free(p8);
	assert_sniffs(f, DK_PKCS8);
}

static void
test_sniff_der_pkcs8_ed25519_corpus(void **state)
{
	struct fixture	*f = *state;

	/* OneAsymmetricKey with no parameters in the algorithm. */
	corpus_der(f, "good/ed25519-p8.der");
	assert_sniffs(f, DK_PKCS8);
}

static void
test_sniff_der_epki(void **state)
{
	struct fixture	*f = *state;
	BIO		*bio;

	assert_non_null(bio = BIO_new(BIO_s_mem()));
	assert_true(i2d_PKCS8PrivateKey_bio(bio, f->key, EVP_aes_256_cbc(),
	    NULL, 0, NULL, (void *)"secret"));
	keep_bio(f, bio);
	BIO_free(bio);
	assert_sniffs(f, DK_EPKI);
}

static void
test_sniff_der_spki(void **state)
{
	struct fixture	*f = *state;
	unsigned char	*der = NULL;

	keep_der(f, der, i2d_PUBKEY(f->key, &der));
	assert_sniffs(f, DK_SPKI);
}

static void
test_sniff_der_rsa_public(void **state)
{
	struct fixture	*f = *state;

	corpus_der(f, "good/rsa2048-pkcs1-pub.der");
	assert_sniffs(f, DK_RSA_PUB);
}

static void
test_sniff_der_rsa_private(void **state)
{
	struct fixture	*f = *state;

	corpus_der(f, "good/rsa2048-trad.der");
	assert_sniffs(f, DK_RSA_PRIV);
}

static void
test_sniff_der_ec_private(void **state)
{
	struct fixture		*f = *state;
	OSSL_ENCODER_CTX	*ectx;
	unsigned char		*der = NULL;
	size_t			 len = 0;

	/* SEC1 ECPrivateKey is the "type-specific" structure of an EC key. */
	ectx = OSSL_ENCODER_CTX_new_for_pkey(f->key, EVP_PKEY_KEYPAIR, "DER",
	    "type-specific", NULL);
	assert_non_null(ectx);
	assert_true(OSSL_ENCODER_to_data(ectx, &der, &len));
	OSSL_ENCODER_CTX_free(ectx);
	keep_der(f, der, (int)len);
	assert_int_equal(f->der[0], 0x30);
	assert_sniffs(f, DK_EC_PRIV);
}

static void
test_sniff_der_ec_private_corpus(void **state)
{
	struct fixture	*f = *state;

	corpus_der(f, "good/ec-p256-sec1.der");
	assert_sniffs(f, DK_EC_PRIV);
}

static void
test_sniff_der_dsa_private(void **state)
{
	struct fixture	*f = *state;

	corpus_pem_body(f, "good/dsa2048-trad.key", "DSA PRIVATE KEY");
	assert_sniffs(f, DK_DSA_PRIV);
}

static void
test_sniff_der_pkcs7(void **state)
{
	struct fixture	*f = *state;

	corpus_der(f, "good/chain.p7c");
	assert_sniffs(f, DK_PKCS7);
}

static void
test_sniff_der_pkcs7_in_memory(void **state)
{
	struct fixture	*f = *state;
	unsigned char	*der = NULL;
	PKCS7		*p7;

	/* A certs-only SignedData, as "openssl crl2pkcs7 -nocrl" makes. */
	assert_non_null(p7 = PKCS7_new());
	assert_true(PKCS7_set_type(p7, NID_pkcs7_signed));
	assert_true(PKCS7_content_new(p7, NID_pkcs7_data));
	assert_true(PKCS7_add_certificate(p7, f->cert));
	keep_der(f, der, i2d_PKCS7(p7, &der));
	PKCS7_free(p7);
	assert_sniffs(f, DK_PKCS7);
}

static void
test_sniff_der_pkcs12(void **state)
{
	struct fixture	*f = *state;

	corpus_der(f, "good/leaf-rsa2048.p12");
	assert_sniffs(f, DK_PKCS12);
}

static void
test_sniff_der_pkcs12_in_memory(void **state)
{
	struct fixture	*f = *state;
	unsigned char	*der = NULL;
	PKCS12		*p12;

	p12 = PKCS12_create("secret", "sniff", f->key, f->cert, NULL, 0, 0, 0,
	    0, 0);
	assert_non_null(p12);
	keep_der(f, der, i2d_PKCS12(p12, &der));
	PKCS12_free(p12);
	assert_sniffs(f, DK_PKCS12);
}

/* --- sniff_der: what is not (or not quite) DER ------------------------ */

static void
test_sniff_der_truncated(void **state)
{
	struct fixture	*f = *state;
	unsigned char	*der = NULL, *cut;
	enum der_kind	 kind = DK_CERT;
	size_t		 n;

	keep_der(f, der, i2d_X509(f->cert, &der));
	/* Exactly as many bytes as are left, so an over-read shows in
	 * valgrind. */
	for (n = 2; n < f->len; n += 37) {
		assert_non_null(cut = malloc(n));
		memcpy(cut, f->der, n);
		assert_int_equal(sniff_der(cut, n, &kind), SNIFF_MALFORMED);
		assert_int_equal(kind, DK_UNKNOWN);
		free(cut);
	}
}

static void
test_sniff_der_inner_length_inconsistent(void **state)
{
	/* The outer length fits, the child claims more than there is. */
	static const unsigned char der[] = { 0x30, 0x04, 0x30, 0x09, 0x05, 0x00 };
	enum der_kind	 kind;

	(void)state;
	assert_int_equal(sniff_der(der, sizeof(der), &kind), SNIFF_MALFORMED);
	assert_int_equal(kind, DK_UNKNOWN);
}

static void
test_sniff_der_two_nulls(void **state)
{
	static const unsigned char der[] = { 0x30, 0x04, 0x05, 0x00, 0x05, 0x00 };
	enum der_kind	 kind = DK_CERT;

	(void)state;
	assert_int_equal(sniff_der(der, sizeof(der), &kind), SNIFF_UNRECOGNISED);
	assert_int_equal(kind, DK_UNKNOWN);
}

static void
test_sniff_der_not_sequence(void **state)
{
	/* A SET, an INTEGER and text: none starts with 0x30. */
	static const unsigned char set[] = { 0x31, 0x04, 0x05, 0x00, 0x05, 0x00 };
	static const unsigned char integer[] = { 0x02, 0x01, 0x05 };
	static const char text[] = "hello, world";
	enum der_kind	 kind = DK_CERT;

	(void)state;
	assert_int_equal(sniff_der(set, sizeof(set), &kind), SNIFF_UNRECOGNISED);
	assert_int_equal(kind, DK_UNKNOWN);
	assert_int_equal(sniff_der(integer, sizeof(integer), &kind),
	    SNIFF_UNRECOGNISED);
	assert_int_equal(sniff_der((const unsigned char *)text, strlen(text),
	    &kind), SNIFF_UNRECOGNISED);
	assert_int_equal(kind, DK_UNKNOWN);
}

static void
test_sniff_der_tiny(void **state)
{
	unsigned char	*one;
	enum der_kind	 kind = DK_CERT;

	(void)state;
	assert_int_equal(sniff_der(NULL, 0, &kind), SNIFF_UNRECOGNISED);
	assert_int_equal(kind, DK_UNKNOWN);
	assert_non_null(one = malloc(1));
	one[0] = 0x30;
	kind = DK_CERT;
	assert_int_equal(sniff_der(one, 1, &kind), SNIFF_UNRECOGNISED);
	assert_int_equal(kind, DK_UNKNOWN);
	free(one);
}

static void
test_sniff_der_empty_sequence(void **state)
{
	static const unsigned char der[] = { 0x30, 0x00 };
	enum der_kind	 kind = DK_CERT;

	(void)state;
	assert_int_equal(sniff_der(der, sizeof(der), &kind), SNIFF_UNRECOGNISED);
	assert_int_equal(kind, DK_UNKNOWN);
}

/* Runs sniff_der on an exact-size heap copy (valgrind sees over-reads). */
static enum sniff_status
sniff_copy(const unsigned char *p, size_t len, enum der_kind *kind)
{
	unsigned char		*copy;
	enum sniff_status	 st;

	assert_non_null(copy = malloc(len));
	memcpy(copy, p, len);
	st = sniff_der(copy, len, kind);
	free(copy);
	return st;
}

static void
test_sniff_der_indefinite(void **state)
{
	/* BER: SEQUENCE (indefinite) { NULL, NULL } end-of-contents. */
	static const unsigned char nulls[] = {
		0x30, 0x80, 0x05, 0x00, 0x05, 0x00, 0x00, 0x00 };
	/* The same, missing its end-of-contents octets. */
	static const unsigned char no_eoc[] = { 0x30, 0x80, 0x05, 0x00 };
	/* Only the header. */
	static const unsigned char bare[] = { 0x30, 0x80 };
	/* Indefinite inside indefinite, cut short. */
	static const unsigned char nested[] = { 0x30, 0x80, 0x30, 0x80, 0x02 };
	enum der_kind	 kind = DK_CERT;
	enum sniff_status st;

	(void)state;
	assert_int_equal(sniff_copy(nulls, sizeof(nulls), &kind),
	    SNIFF_UNRECOGNISED);
	assert_int_equal(kind, DK_UNKNOWN);
	st = sniff_copy(no_eoc, sizeof(no_eoc), &kind);
	assert_int_not_equal(st, SNIFF_OK);
	assert_int_equal(kind, DK_UNKNOWN);
	st = sniff_copy(bare, sizeof(bare), &kind);
	assert_int_not_equal(st, SNIFF_OK);
	assert_int_equal(kind, DK_UNKNOWN);
	st = sniff_copy(nested, sizeof(nested), &kind);
	assert_int_not_equal(st, SNIFF_OK);
	assert_int_equal(kind, DK_UNKNOWN);
}

static void
test_sniff_der_indefinite_cert(void **state)
{
	struct fixture	*f = *state;
	unsigned char	*der = NULL, *ber, *q;
	const unsigned char *p;
	enum der_kind	 kind = DK_UNKNOWN;
	long		 len;
	int		 tag, cls;
	size_t		 hdr, blen;

	/* Re-wrap a certificate's children in an indefinite-length outer
	 * SEQUENCE: BER, but the same shape. */
	keep_der(f, der, i2d_X509(f->cert, &der));
	p = f->der;
	assert_int_equal(ASN1_get_object(&p, &len, &tag, &cls, (long)f->len),
	    V_ASN1_CONSTRUCTED);
	hdr = (size_t)(p - f->der);
	blen = 2 + (size_t)len + 2;
	assert_non_null(ber = malloc(blen));
	q = ber;
	*q++ = 0x30;
	*q++ = 0x80;
	memcpy(q, p, (size_t)len);
	q += len;
	*q++ = 0x00;
	*q++ = 0x00;
	assert_true(hdr + (size_t)len == f->len);
	assert_int_equal(sniff_der(ber, blen, &kind), SNIFF_OK);
	assert_int_equal(kind, DK_CERT);
	free(ber);
}

/* --- pem_label_kind --------------------------------------------------- */

static void
test_pem_label_kind_every_label(void **state)
{
	static const struct {
		const char	*label;
		enum der_kind	 kind;
	} want[] = {
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
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		if (pem_label_kind(want[i].label) != want[i].kind)
			fail_msg("\"%s\": kind %d, want %d", want[i].label,
			    (int)pem_label_kind(want[i].label), (int)want[i].kind);
}

static void
test_pem_label_kind_unknown(void **state)
{
	static const char *const unknown[] = {
		"OPENSSH PRIVATE KEY", "SSH2 PUBLIC KEY", "PGP MESSAGE", "",
		"certificate", "CERTIFICATE ", " CERTIFICATE", "CERTIFICATE\n",
		"PRIVATE", "X509",
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++)
		assert_int_equal(pem_label_kind(unknown[i]), DK_UNKNOWN);
}

/* --- looks_like_pem --------------------------------------------------- */

/* looks_like_pem on an exact-size heap copy of s (no NUL after it). */
static int
pem_copy(const char *s)
{
	size_t		 len = strlen(s);
	unsigned char	*copy;
	int		 rc;

	assert_non_null(copy = malloc(len ? len : 1));
	memcpy(copy, s, len);
	rc = looks_like_pem(copy, len);
	free(copy);
	return rc;
}

static void
test_looks_like_pem_at_start(void **state)
{
	(void)state;
	assert_true(pem_copy("-----BEGIN CERTIFICATE-----\nMIIB\n"
	    "-----END CERTIFICATE-----\n"));
	assert_true(pem_copy("-----BEGIN X"));
}

static void
test_looks_like_pem_in_middle(void **state)
{
	(void)state;
	assert_true(pem_copy("Subject: CN=example\n- - -\n"
	    "-----BEGIN CERTIFICATE-----\nMIIB\n"));
	/* BEGIN counts only at the start of a line, as OpenSSL reads it. */
	assert_false(pem_copy("----------BEGIN PUBLIC KEY-----\n"));
	assert_false(pem_copy("CN=see -----BEGIN here"));
	assert_true(pem_copy("text\r\n-----BEGIN PUBLIC KEY-----\n"));
}

static void
test_looks_like_pem_in_middle_of_binary(void **state)
{
	static const unsigned char buf[] = {
		0x30, 0x00, 0x2d, 0xff, '\n', '-', '-', '-', '-', '-',
		'B', 'E', 'G', 'I', 'N', ' ', 'K', 0x00 };
	static const unsigned char inline_begin[] = {
		0x30, 0x00, 0x2d, 0xff, 0x00, '-', '-', '-', '-', '-',
		'B', 'E', 'G', 'I', 'N', ' ', 'K', 0x00 };

	(void)state;
	assert_true(looks_like_pem(buf, sizeof(buf)));
	assert_false(looks_like_pem(inline_begin, sizeof(inline_begin)));
}

static void
test_looks_like_pem_cut_short(void **state)
{
	(void)state;
	/* Every proper prefix of "-----BEGIN " at the end of the buffer. */
	assert_false(pem_copy("text\n-----BEGIN"));
	assert_false(pem_copy("text\n-----BEGI"));
	assert_false(pem_copy("text\n-----B"));
	assert_false(pem_copy("text\n-----"));
	assert_false(pem_copy("text\n-"));
	assert_false(pem_copy("-----BEGIN"));
}

static void
test_looks_like_pem_absent(void **state)
{
	struct fixture	*f = *state;
	unsigned char	*der = NULL;

	assert_false(pem_copy(""));
	assert_false(pem_copy("plain text, no markers"));
	assert_false(pem_copy("-----END CERTIFICATE-----\n"));
	assert_false(pem_copy("----- BEGIN CERTIFICATE-----\n"));
	assert_false(pem_copy("-----begin certificate-----\n"));
	assert_false(pem_copy("-----BEGIN\tCERTIFICATE-----\n"));
	keep_der(f, der, i2d_X509(f->cert, &der));
	assert_false(looks_like_pem(f->der, f->len));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_sniff_der_cert_v3),
		T(test_sniff_der_cert_v1),
		T(test_sniff_der_cert_v1_corpus),
		T(test_sniff_der_csr),
		T(test_sniff_der_crl),
		T(test_sniff_der_pkcs8),
		T(test_sniff_der_pkcs8_ed25519_corpus),
		T(test_sniff_der_epki),
		T(test_sniff_der_spki),
		T(test_sniff_der_rsa_public),
		T(test_sniff_der_rsa_private),
		T(test_sniff_der_ec_private),
		T(test_sniff_der_ec_private_corpus),
		T(test_sniff_der_dsa_private),
		T(test_sniff_der_pkcs7),
		T(test_sniff_der_pkcs7_in_memory),
		T(test_sniff_der_pkcs12),
		T(test_sniff_der_pkcs12_in_memory),
		T(test_sniff_der_truncated),
		T(test_sniff_der_inner_length_inconsistent),
		T(test_sniff_der_two_nulls),
		T(test_sniff_der_not_sequence),
		T(test_sniff_der_tiny),
		T(test_sniff_der_empty_sequence),
		T(test_sniff_der_indefinite),
		T(test_sniff_der_indefinite_cert),
		T(test_pem_label_kind_every_label),
		T(test_pem_label_kind_unknown),
		T(test_looks_like_pem_at_start),
		T(test_looks_like_pem_in_middle),
		T(test_looks_like_pem_in_middle_of_binary),
		T(test_looks_like_pem_cut_short),
		T(test_looks_like_pem_absent),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

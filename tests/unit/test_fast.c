/*
 * test_fast - the fast per-object decoder of `scan` against the full
 * decoder: every corpus file must give the same objects (kind, index,
 * SPKI, validity, CA flag, subject) and the same errors, skipped blocks
 * and foreign flag, with and without a password. Plus hostile DER, a
 * compressed EC point that must index with its key, encrypted keys, and
 * the RSA and EC private keys the fast path walks without a decoder
 * (which shapes it takes, and that it hands every other one over).
 * Last, scan --lint finds the same whichever thread runs the rules.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/sha.h>

#include "input/input.h"
#include "rules/rule.h"
#include "scan/fast.h"
#include "scan/scan.h"
#include "testutil.h"

#define PASSWORD	"certsmith"

static int
pass_cb(char *buf, int size, const char *path, void *arg)
{
	const char	*pw = arg;
	int		 len = (int)strlen(pw);

	(void)path;
	if (len >= size)
		return -1;
	memcpy(buf, pw, (size_t)len);
	return len;
}

/* The record the full decoder's object gives, computed the slow way. */
struct expect {
	int		 has_spki;
	unsigned char	 spki[32];
	int		 has_subject;
	unsigned char	 subject[32];
	int		 is_ca;
	int		 self_issued;
};

static void
name_sha256(const X509_NAME *name, struct expect *e)
{
	unsigned char	*der = NULL;
	int		 len;

	if (name == NULL || (len = i2d_X509_NAME(name, &der)) <= 0)
		return;
	assert_int_equal(EVP_Digest(der, (size_t)len, e->subject, NULL,
	    EVP_sha256(), NULL), 1);
	e->has_subject = 1;
	OPENSSL_free(der);
}

static void
expect_of(const struct cs_object *obj, struct expect *e)
{
	unsigned char	*der = NULL;
	int		 len = 0;

	memset(e, 0, sizeof(*e));
	if (obj->cert != NULL)
		len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(obj->cert), &der);
	else if (obj->req != NULL)
		len = i2d_X509_PUBKEY(X509_REQ_get_X509_PUBKEY(obj->req), &der);
	else if (obj->pubkey != NULL)
		len = i2d_X509_PUBKEY(obj->pubkey, &der);
	else if (obj->pkey != NULL)
		len = i2d_PUBKEY(obj->pkey, &der);
	if (len > 0 && cs_spki_normalise(der, (size_t)len, e->spki, NULL,
	    NULL) == 0)
		e->has_spki = 1;
	OPENSSL_free(der);
	if (obj->cert != NULL) {
		e->is_ca = X509_check_ca(obj->cert) == 1 &&
		    (X509_get_extension_flags(obj->cert) & EXFLAG_BCONS) != 0;
		e->self_issued = X509_NAME_cmp(X509_get_subject_name(obj->cert),
		    X509_get_issuer_name(obj->cert)) == 0;
		name_sha256(X509_get_subject_name(obj->cert), e);
	} else if (obj->req != NULL)
		name_sha256(X509_REQ_get_subject_name(obj->req), e);
	ERR_clear_error();
}

static void
compare_object(const char *path, const struct cs_object *obj,
    const struct cs_fast_obj *o)
{
	struct expect	 e;

	expect_of(obj, &e);
	if (o->kind != obj->kind || o->index != obj->src.index ||
	    o->locked != obj->key.locked || o->has_spki != e.has_spki ||
	    o->is_ca != e.is_ca || o->self_issued != e.self_issued ||
	    o->has_subject != e.has_subject)
		fail_msg("%s#%d: kind %d/%d index %d locked %d/%d spki %d/%d "
		    "ca %d/%d self %d/%d subject %d/%d", path, obj->src.index,
		    o->kind, obj->kind, o->index, o->locked, obj->key.locked,
		    o->has_spki, e.has_spki, o->is_ca, e.is_ca, o->self_issued,
		    e.self_issued, o->has_subject, e.has_subject);
	if (e.has_spki && memcmp(o->spki_sha256, e.spki, 32) != 0)
		fail_msg("%s#%d: SPKI hashes differ", path, o->index);
	if (e.has_subject && memcmp(o->subject_sha256, e.subject, 32) != 0)
		fail_msg("%s#%d: subject hashes differ", path, o->index);
	assert_int_equal(o->has_validity, obj->cert != NULL ?
	    obj->validity.present : 0);
	if (o->has_validity && (o->not_before != obj->validity.not_before ||
	    o->not_after != obj->validity.not_after))
		fail_msg("%s#%d: validity differs", path, o->index);
}

static void
compare_diags(const char *path, const struct cs_vec *full,
    const struct cs_vec *fast)
{
	size_t	 i;

	if (full->n != fast->n)
		fail_msg("%s: %zu diagnostics from the full decoder, %zu from "
		    "the fast one", path, full->n, fast->n);
	for (i = 0; i < full->n; i++) {
		const struct cs_diag *a = full->v[i], *b = fast->v[i];

		assert_int_equal(a->index, b->index);
		assert_string_equal(a->message, b->message);
	}
}

/* One buffer through both decoders; returns the number of objects. */
static size_t
compare_buffer(struct cs_decoder *dec, struct cs_fast *f, const char *path,
    const unsigned char *buf, size_t len)
{
	struct cs_result	 full = { 0 };
	struct cs_fast_result	 fast = { 0 };
	size_t			 i, n;
	int			 rc1, rc2;

	rc1 = cs_decode_buffer(dec, path, buf, len, &full);
	rc2 = cs_fast_decode(f, path, buf, len, &fast);
	assert_int_equal(rc1, rc2);
	if (full.objects.n != fast.objects.n)
		fail_msg("%s: %zu objects from the full decoder, %zu from the "
		    "fast one", path, full.objects.n, fast.objects.n);
	for (i = 0; i < full.objects.n; i++)
		compare_object(path, full.objects.v[i], fast.objects.v[i]);
	compare_diags(path, &full.errors, &fast.errors);
	compare_diags(path, &full.skipped, &fast.skipped);
	assert_int_equal(full.foreign, fast.foreign);
	n = fast.objects.n;
	cs_result_release(&full);
	cs_fast_result_release(&fast);
	return n;
}

static unsigned char *
read_all(const char *path, size_t *len)
{
	unsigned char	*buf;
	char		 err[256];

	if (cs_read_file(path, CS_DEFAULT_MAX_SIZE, &buf, len, err,
	    sizeof(err)) == -1)
		fail_msg("%s: %s", path, err);
	return buf;
}

static size_t
compare_file(struct cs_decoder *dec, struct cs_fast *f, const char *path)
{
	unsigned char	*buf;
	size_t		 len, n;

	buf = read_all(path, &len);
	n = compare_buffer(dec, f, path, buf, len);
	free(buf);
	return n;
}

struct walk {
	struct cs_decoder	*dec;
	struct cs_fast		*fast;
	size_t			 files;
	size_t			 objects;
};

static void
walk_file(const char *path, void *arg)
{
	struct walk	*w = arg;

	w->files++;
	w->objects += compare_file(w->dec, w->fast, path);
}

static void
walk_corpus(const char *password, struct walk *w)
{
	static const char *const dirs[] = { "good", "bad", "lint", "match" };
	struct cs_decoder_opts	 opts = { 0 };
	const char		*corpus = getenv("CORPUS");
	char			*dir;
	size_t			 i;

	if (corpus == NULL)
		fail_msg("CORPUS is not set (export CORPUS=<srcdir>/corpus)");
	if (password != NULL) {
		opts.pass_cb = pass_cb;
		opts.pass_arg = (void *)password;
	}
	assert_non_null(w->dec = cs_decoder_new(&opts));
	assert_non_null(w->fast = cs_fast_new(&opts));
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		dir = tu_path_join(corpus, dirs[i]);
		tu_walk_files(dir, walk_file, w);
		free(dir);
	}
	cs_decoder_free(w->dec);
	cs_fast_free(w->fast);
}

static void
test_fast_corpus_same(void **state)
{
	struct walk	 w = { 0 };

	(void)state;
	walk_corpus(NULL, &w);
	assert_true(w.files > 200);
	assert_true(w.objects > 200);
}

static void
test_fast_corpus_same_password(void **state)
{
	struct walk	 w = { 0 };

	(void)state;
	walk_corpus(PASSWORD, &w);
	assert_true(w.files > 200);
}

/* The fast path itself took these (no fallback). */
static void
test_fast_takes_common_files(void **state)
{
	static const char *const files[] = {
		"good/leaf-rsa2048.crt", "good/chain.pem", "good/ec-p256.key",
		"good/ec-p256-trad.key", "good/ed25519.key",
		"good/csr-ec-p256.csr", "good/csr-rsa2048-san.der",
		"good/ec-p256.pub", "good/ec-p256-p8.der",
	};
	struct cs_decoder_opts	 opts = { 0 };
	struct cs_fast		*f;
	const char		*corpus = getenv("CORPUS");
	char			*path;
	size_t			 i;

	(void)state;
	assert_non_null(corpus);
	assert_non_null(f = cs_fast_new(&opts));
	assert_non_null(opts.libctx == NULL ? f : NULL);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct cs_decoder *dec = cs_decoder_new(&opts);
		unsigned long before = cs_fast_fallbacks(f);

		path = tu_path_join(corpus, files[i]);
		assert_true(compare_file(dec, f, path) > 0);
		if (cs_fast_fallbacks(f) != before)
			fail_msg("%s went to the full decoder", files[i]);
		free(path);
		cs_decoder_free(dec);
	}
	cs_fast_free(f);
}

static void
decode_bytes(struct cs_fast *f, const unsigned char *buf, size_t len,
    struct cs_fast_result *res)
{
	memset(res, 0, sizeof(*res));
	cs_fast_decode(f, "mem", buf, len, res);
}

/* Truncated and garbage DER: errors, never a crash or an object. */
static void
test_fast_hostile_der(void **state)
{
	struct cs_decoder_opts	 opts = { 0 };
	struct cs_fast_result	 res;
	struct cs_fast		*f;
	EVP_PKEY		*key;
	X509			*cert;
	unsigned char		*der = NULL, *mut;
	int			 len, cut, i;

	(void)state;
	assert_non_null(f = cs_fast_new(&opts));
	assert_non_null(key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256"));
	assert_non_null(cert = tu_make_cert(key, "hostile", 2));
	assert_true((len = i2d_X509(cert, &der)) > 0);
	decode_bytes(f, der, (size_t)len, &res);
	assert_int_equal(res.objects.n, 1);
	cs_fast_result_release(&res);
	for (cut = 1; cut < len; cut += 7) {
		decode_bytes(f, der, (size_t)cut, &res);
		assert_int_equal(res.objects.n, 0);
		assert_true(res.errors.n > 0);
		cs_fast_result_release(&res);
	}
	assert_non_null(mut = malloc((size_t)len));
	for (i = 2; i < len; i += 3) {
		memcpy(mut, der, (size_t)len);
		mut[i] ^= 0xa5;
		decode_bytes(f, mut, (size_t)len, &res);
		assert_true(res.objects.n + res.errors.n > 0);
		cs_fast_result_release(&res);
	}
	/* A huge length in the outer header. */
	memcpy(mut, "\x30\x84\x7f\xff\xff\xff\x30\x00", 8);
	decode_bytes(f, mut, 8, &res);
	assert_int_equal(res.objects.n, 0);
	assert_true(res.errors.n > 0);
	cs_fast_result_release(&res);
	free(mut);
	OPENSSL_free(der);
	X509_free(cert);
	EVP_PKEY_free(key);
	cs_fast_free(f);
}

static void
fast_file(struct cs_fast *f, const char *name, struct cs_fast_result *res)
{
	char		*path = tu_path_join(getenv("CORPUS"), name);
	unsigned char	*buf;
	size_t		 len;

	buf = read_all(path, &len);
	memset(res, 0, sizeof(*res));
	cs_fast_decode(f, path, buf, len, res);
	free(buf);
	free(path);
}

static const struct cs_fast_obj *
only_object(const struct cs_fast_result *res)
{
	assert_int_equal(res->objects.n, 1);
	return res->objects.v[0];
}

static void
test_fast_compressed_point_pairs(void **state)
{
	struct cs_decoder_opts	 opts = { 0 };
	struct cs_fast_result	 crt, key;
	struct cs_fast		*f;

	(void)state;
	assert_non_null(f = cs_fast_new(&opts));
	fast_file(f, "match/ec-compressed.crt", &crt);
	fast_file(f, "match/ec.key", &key);
	assert_true(only_object(&crt)->has_spki);
	assert_true(only_object(&key)->has_spki);
	assert_memory_equal(only_object(&crt)->spki_sha256,
	    only_object(&key)->spki_sha256, 32);
	assert_int_equal(only_object(&crt)->spki_len,
	    only_object(&key)->spki_len);
	cs_fast_result_release(&crt);
	cs_fast_result_release(&key);
	cs_fast_free(f);
}

static void
test_fast_encrypted_key(void **state)
{
	struct cs_decoder_opts	 opts = { 0 };
	struct cs_fast_result	 enc, plain;
	struct cs_fast		*f;

	(void)state;
	assert_non_null(f = cs_fast_new(&opts));
	fast_file(f, "match/ec-enc.key", &enc);
	assert_true(only_object(&enc)->locked);
	assert_false(only_object(&enc)->has_spki);
	assert_int_equal(enc.errors.n, 1);
	cs_fast_result_release(&enc);
	cs_fast_free(f);

	opts.pass_cb = pass_cb;
	opts.pass_arg = (void *)PASSWORD;
	assert_non_null(f = cs_fast_new(&opts));
	fast_file(f, "match/ec-enc.key", &enc);
	fast_file(f, "match/ec.key", &plain);
	assert_false(only_object(&enc)->locked);
	assert_true(only_object(&enc)->has_spki);
	assert_int_equal(enc.errors.n, 0);
	assert_memory_equal(only_object(&enc)->spki_sha256,
	    only_object(&plain)->spki_sha256, 32);
	cs_fast_result_release(&enc);
	cs_fast_result_release(&plain);
	cs_fast_free(f);
}

/* A small deterministic generator, so that failures repeat. */
static uint32_t
lcg(uint32_t *state)
{
	*state = *state * 1103515245u + 12345u;
	return *state >> 8;
}

/*
 * Hostile variants of common files (bits flipped, bytes replaced, cut
 * short): the fast path must give exactly what the full decoder gives,
 * whether it handles them or hands them over.
 */
static void
test_fast_mutations_same(void **state)
{
	static const char *const files[] = {
		"good/chain.pem", "good/csr-rsa2048-san.der",
		"good/ec-p256.key", "good/leaf-ed25519.crt",
		"match/ec-compressed.crt", "good/rsa2048-trad.key",
		"good/ec-p384-trad.key", "good/ec-p256-sec1.der",
		"good/rsa1024.key",
	};
	struct cs_decoder_opts	 opts = { 0 };
	struct cs_decoder	*dec;
	struct cs_fast		*f;
	unsigned char		*orig, *buf;
	uint32_t		 seed = 20261123;
	size_t			 i, len, n, pos;
	char			*path;
	int			 it, k;

	(void)state;
	assert_non_null(dec = cs_decoder_new(&opts));
	assert_non_null(f = cs_fast_new(&opts));
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		path = tu_path_join(getenv("CORPUS"), files[i]);
		orig = read_all(path, &len);
		for (it = 0; it < 60; it++) {
			n = len;
			assert_non_null(buf = malloc(len));
			memcpy(buf, orig, len);
			for (k = 0; k < 1 + (int)(lcg(&seed) % 3); k++) {
				pos = lcg(&seed) % n;
				switch (lcg(&seed) % 3) {
				case 0:
					buf[pos] ^= (unsigned char)(1u <<
					    (lcg(&seed) % 8));
					break;
				case 1:
					buf[pos] = (unsigned char)lcg(&seed);
					break;
				default:
					n = pos + 1;
				}
			}
			compare_buffer(dec, f, path, buf, n);
			free(buf);
		}
		free(orig);
		free(path);
	}
	cs_decoder_free(dec);
	cs_fast_free(f);
}

/* A certificate whose outer length is in a longer form than DER allows:
 * d2i takes it, the walker does not; the result is the same. */
static void
test_fast_nonminimal_length(void **state)
{
	struct cs_decoder_opts	 opts = { 0 };
	struct cs_decoder	*dec;
	struct cs_fast		*f;
	EVP_PKEY		*key;
	X509			*cert;
	unsigned char		*der = NULL, *ber;
	int			 len;

	(void)state;
	assert_non_null(dec = cs_decoder_new(&opts));
	assert_non_null(f = cs_fast_new(&opts));
	assert_non_null(key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256"));
	assert_non_null(cert = tu_make_cert(key, "long form", 2));
	assert_true((len = i2d_X509(cert, &der)) > 0);
	assert_int_equal(der[1], 0x82);		/* 30 82 LL LL */
	assert_non_null(ber = malloc((size_t)len + 1));
	ber[0] = 0x30;
	ber[1] = 0x83;
	ber[2] = 0;
	memcpy(ber + 3, der + 2, (size_t)len - 2);
	compare_buffer(dec, f, "ber", ber, (size_t)len + 1);
	free(ber);
	OPENSSL_free(der);
	X509_free(cert);
	EVP_PKEY_free(key);
	cs_decoder_free(dec);
	cs_fast_free(f);
}

/* PEM the splitter must get right or hand over: CRLF, text around
 * blocks, a short last line, padding in the middle, a missing END. */
static void
test_fast_pem_shapes(void **state)
{
	struct cs_decoder_opts	 opts = { 0 };
	struct cs_decoder	*dec;
	struct cs_fast		*f;
	unsigned char		*pem, *buf;
	size_t			 len, n, i;
	char			*path;

	(void)state;
	assert_non_null(dec = cs_decoder_new(&opts));
	assert_non_null(f = cs_fast_new(&opts));
	path = tu_path_join(getenv("CORPUS"), "good/leaf-rsa2048.crt");
	pem = read_all(path, &len);
	assert_non_null(buf = malloc(2 * len + 64));

	/* CRLF line ends and text before and after. */
	n = (size_t)sprintf((char *)buf, "subject=whatever\r\n");
	for (i = 0; i < len; i++) {
		if (pem[i] == '\n')
			buf[n++] = '\r';
		buf[n++] = pem[i];
	}
	n += (size_t)sprintf((char *)buf + n, "trailing words\n");
	assert_int_equal(compare_buffer(dec, f, "crlf", buf, n), 1);
	/* ... and the fast path took it. */
	assert_int_equal(cs_fast_fallbacks(f), 0);

	/* Two copies, the second cut before its END line. */
	memcpy(buf, pem, len);
	memcpy(buf + len, pem, len - 30);
	compare_buffer(dec, f, "cut", buf, 2 * len - 30);

	/* '=' in the middle of the body. */
	memcpy(buf, pem, len);
	buf[100] = '=';
	compare_buffer(dec, f, "pad", buf, len);

	/* No newline after the END line. */
	compare_buffer(dec, f, "noeol", pem, len - 1);
	free(buf);
	free(pem);
	free(path);
	cs_decoder_free(dec);
	cs_fast_free(f);
}

/* A certificate whose issuer is subject written differently. */
static unsigned char *
cert_names(EVP_PKEY *key, const char *subj, int subj_type, const char *iss,
    int iss_type, int *len)
{
	X509		*x;
	X509_NAME	*s, *i;
	unsigned char	*der = NULL;

	assert_non_null(x = X509_new());
	assert_non_null(s = X509_NAME_new());
	assert_non_null(i = X509_NAME_new());
	assert_true(X509_NAME_add_entry_by_txt(s, "CN", subj_type,
	    (const unsigned char *)subj, -1, -1, 0));
	assert_true(X509_NAME_add_entry_by_txt(i, "CN", iss_type,
	    (const unsigned char *)iss, -1, -1, 0));
	assert_true(X509_set_version(x, 2));
	assert_true(ASN1_INTEGER_set(X509_get_serialNumber(x), 7));
	assert_true(X509_set_subject_name(x, s));
	assert_true(X509_set_issuer_name(x, i));
	assert_non_null(X509_gmtime_adj(X509_getm_notBefore(x), 0));
	assert_non_null(X509_gmtime_adj(X509_getm_notAfter(x), 86400));
	assert_true(X509_set_pubkey(x, key));
	assert_true(X509_sign(x, key, EVP_sha256()) > 0);
	assert_true((*len = i2d_X509(x, &der)) > 0);
	X509_NAME_free(s);
	X509_NAME_free(i);
	X509_free(x);
	return der;
}

#define PRINTABLE	V_ASN1_PRINTABLESTRING
#define UTF8		V_ASN1_UTF8STRING
#define IA5		V_ASN1_IA5STRING

/* Self-issued is X509_NAME_cmp's answer: case and runs of spaces do not
 * count, string types neither; the letters do. */
static void
test_fast_self_issued_canonical(void **state)
{
	static const struct {
		const char	*subj;
		int		 subj_type;
		const char	*iss;
		int		 iss_type;
		int		 self;
	} cases[] = {
		{ "Test  CA", PRINTABLE, " test ca ", UTF8, 1 },
		{ "Test CA", UTF8, "Test CA", UTF8, 1 },
		{ "Test CA", UTF8, "Test CB", UTF8, 0 },
		{ "Test\tCA", IA5, "TEST CA", UTF8, 1 },
	};
	struct cs_decoder_opts	 opts = { 0 };
	struct cs_fast_result	 res;
	struct cs_decoder	*dec;
	struct cs_fast		*f;
	EVP_PKEY		*key;
	unsigned char		*der;
	size_t			 i;
	int			 len;

	(void)state;
	assert_non_null(dec = cs_decoder_new(&opts));
	assert_non_null(f = cs_fast_new(&opts));
	assert_non_null(key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256"));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		der = cert_names(key, cases[i].subj, cases[i].subj_type,
		    cases[i].iss, cases[i].iss_type, &len);
		compare_buffer(dec, f, "names", der, (size_t)len);
		decode_bytes(f, der, (size_t)len, &res);
		assert_int_equal(only_object(&res)->self_issued, cases[i].self);
		cs_fast_result_release(&res);
		OPENSSL_free(der);
	}
	assert_int_equal(cs_fast_fallbacks(f), 0);
	EVP_PKEY_free(key);
	cs_decoder_free(dec);
	cs_fast_free(f);
}

/* cs_fast_spki_key against d2i_X509_PUBKEY on one SPKI. */
static void
spki_key_same(struct cs_fast *f, const unsigned char *der, int len)
{
	const unsigned char	*p = der;
	X509_PUBKEY		*ref, *pub;
	EVP_PKEY		*pkey, *want;
	unsigned char		*again = NULL;

	assert_non_null(ref = d2i_X509_PUBKEY(NULL, &p, len));
	want = X509_PUBKEY_get0(ref);
	ERR_clear_error();
	assert_int_equal(cs_fast_spki_key(f, der, (size_t)len, &pub, &pkey), 0);
	assert_int_equal(i2d_X509_PUBKEY(pub, &again), len);
	assert_memory_equal(again, der, (size_t)len);
	if (want == NULL)
		assert_null(pkey);
	else
		assert_int_equal(EVP_PKEY_eq(pkey, want), 1);
	OPENSSL_free(again);
	X509_PUBKEY_free(pub);
	EVP_PKEY_free(pkey);
	X509_PUBKEY_free(ref);
}

/* The per-key rules' SPKI decoding: every key type of the corpus, an
 * algorithm OpenSSL does not know, a compressed point; garbage refused. */
static void
test_fast_spki_key(void **state)
{
	static const char *const files[] = {
		"good/leaf-rsa2048.crt", "good/ec-p384.key", "good/ed25519.key",
		"good/ed448.key", "good/dsa2048.key", "good/leaf-x25519.crt",
		"good/leaf-rsa-pss.crt", "good/unknown-alg.crt",
		"good/ec-explicit.key", "match/ec-compressed.crt",
	};
	struct cs_decoder_opts	 opts = { 0 };
	struct cs_decoder	*dec;
	struct cs_fast		*f;
	struct cs_result	 res;
	const struct cs_object	*obj;
	unsigned char		*der;
	X509_PUBKEY		*pub;
	EVP_PKEY		*pkey;
	size_t			 i;
	char			*path;
	int			 len;

	(void)state;
	assert_non_null(dec = cs_decoder_new(&opts));
	assert_non_null(f = cs_fast_new(&opts));
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		memset(&res, 0, sizeof(res));
		path = tu_path_join(getenv("CORPUS"), files[i]);
		cs_decode_file(dec, path, &res);
		assert_true(res.objects.n > 0);
		obj = res.objects.v[0];
		der = NULL;
		len = obj->cert != NULL ?
		    i2d_X509_PUBKEY(X509_get_X509_PUBKEY(obj->cert), &der) :
		    i2d_X509_PUBKEY(obj->pubkey, &der);
		assert_true(len > 0);
		spki_key_same(f, der, len);
		/* Cut short: refused. */
		assert_int_equal(cs_fast_spki_key(f, der, (size_t)len - 1,
		    &pub, &pkey), -1);
		assert_null(pub);
		assert_null(pkey);
		OPENSSL_free(der);
		cs_result_release(&res);
		free(path);
	}
	cs_decoder_free(dec);
	cs_fast_free(f);
}

/*
 * cs_fast_spki_facts against loading the key: every SPKI of the corpus it
 * takes must be one OpenSSL loads, with the same bits, an EC point that
 * passes EVP_PKEY_public_check_quick, and the same findings of the per-key
 * rules through cs_view_spki_known as through cs_view_spki.
 */
struct facts_walk {
	struct cs_decoder	*dec;
	struct cs_fast		*fast;
	struct cs_lint		*lint_full;	/* apart: each keeps its own */
	struct cs_lint		*lint_light;	/* memo of n, e and the point */
	size_t			 rsa, ec, other;
};

/* n and e as the rules now read them from the SPKI, against the key's. */
static void
rsa_parts_same(const char *path, const unsigned char *der, int len,
    EVP_PKEY *pkey)
{
	const unsigned char	*p = der, *n, *e;
	X509_PUBKEY		*pub;
	const unsigned char	*pk;
	BIGNUM			*bn_n = NULL, *bn_e = NULL, *x, *y;
	size_t			 n_len, e_len;
	int			 pklen;

	assert_non_null(pub = cs_spki_fields(&p, len));
	assert_int_equal(X509_PUBKEY_get0_param(NULL, &pk, &pklen, NULL, pub),
	    1);
	assert_int_equal(cs_rsa_public_parts(pk, (size_t)pklen, &n, &n_len, &e,
	    &e_len), 0);
	assert_int_equal(EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_N,
	    &bn_n), 1);
	assert_int_equal(EVP_PKEY_get_bn_param(pkey, OSSL_PKEY_PARAM_RSA_E,
	    &bn_e), 1);
	assert_non_null(x = BN_bin2bn(n, (int)n_len, NULL));
	assert_non_null(y = BN_bin2bn(e, (int)e_len, NULL));
	if (BN_cmp(x, bn_n) != 0 || BN_cmp(y, bn_e) != 0)
		fail_msg("%s: n or e from the SPKI differ from the key's", path);
	BN_free(x);
	BN_free(y);
	BN_free(bn_n);
	BN_free(bn_e);
	X509_PUBKEY_free(pub);
}

/* The per-key rules' findings over obj, as one line into buf. */
static void
key_findings(struct cs_lint *l, struct cs_object *obj, char *buf,
    size_t size)
{
	const struct cs_finding	*f;
	size_t			 i, used = 0;
	int			 n;

	buf[0] = '\0';
	assert_int_equal(cs_lint_run(l, &obj, 1), 0);
	for (i = 0; i < obj->findings.n; i++) {
		f = obj->findings.v[i];
		n = snprintf(buf + used, size - used, "%s/%d/%s;", f->rule,
		    (int)f->severity, f->message);
		assert_true(n > 0 && (size_t)n < size - used);
		used += (size_t)n;
	}
}

static void
facts_same(struct facts_walk *w, const char *path, const unsigned char *der,
    int len)
{
	struct cs_spki_facts	 kf;
	const unsigned char	*p = der;
	struct cs_object	*full, *light;
	X509_PUBKEY		*pub, *pub2;
	EVP_PKEY		*pkey;
	EVP_PKEY_CTX		*ctx;
	unsigned char		 sha[32];
	char			 a[4096], b[4096];

	if (cs_fast_spki_facts(w->fast, der, (size_t)len, &kf) == 0) {
		w->other++;
		return;
	}
	assert_int_equal(cs_fast_spki_key(w->fast, der, (size_t)len, &pub,
	    &pkey), 0);
	if (pkey == NULL)
		fail_msg("%s: facts for a key OpenSSL does not load", path);
	if (EVP_PKEY_get_bits(pkey) != kf.bits)
		fail_msg("%s: %d bits, facts say %d", path,
		    EVP_PKEY_get_bits(pkey), kf.bits);
	if (EVP_PKEY_is_a(pkey, "EC")) {
		w->ec++;
		assert_int_equal(kf.point_valid, 1);
		assert_non_null(ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pkey,
		    NULL));
		assert_int_equal(EVP_PKEY_public_check_quick(ctx), 1);
		EVP_PKEY_CTX_free(ctx);
	} else {
		assert_true(EVP_PKEY_is_a(pkey, "RSA"));
		rsa_parts_same(path, der, len, pkey);
		w->rsa++;
	}
	assert_non_null(full = cs_object_new(CS_KIND_PUBKEY, path, 0,
	    CS_ENC_DER, CS_CONT_NONE, NULL));
	assert_int_equal(cs_view_spki(full, pub, pkey), 0);
	assert_non_null(light = cs_object_new(CS_KIND_PUBKEY, path, 0,
	    CS_ENC_DER, CS_CONT_NONE, NULL));
	assert_non_null(pub2 = cs_spki_fields(&p, len));
	SHA256(der, (size_t)len, sha);
	assert_int_equal(cs_view_spki_known(light, pub2, kf.bits, sha), 0);
	light->key.point_valid = kf.point_valid;
	assert_memory_equal(light->key.spki_sha256, full->key.spki_sha256, 32);
	key_findings(w->lint_full, full, a, sizeof(a));
	key_findings(w->lint_light, light, b, sizeof(b));
	if (strcmp(a, b) != 0)
		fail_msg("%s: loaded key: %s; facts: %s", path, a, b);
	cs_object_free(full);
	cs_object_free(light);
	EVP_PKEY_free(pkey);
}

static void
facts_file(const char *path, void *arg)
{
	struct facts_walk	*w = arg;
	struct cs_result	 res;
	const struct cs_object	*obj;
	X509_PUBKEY		*pub;
	unsigned char		*der;
	size_t			 i;
	int			 len;

	memset(&res, 0, sizeof(res));
	cs_decode_file(w->dec, path, &res);
	for (i = 0; i < res.objects.n; i++) {
		obj = res.objects.v[i];
		pub = obj->cert != NULL ? X509_get_X509_PUBKEY(obj->cert) :
		    obj->pubkey;
		der = NULL;
		if (pub == NULL || (len = i2d_X509_PUBKEY(pub, &der)) <= 0) {
			ERR_clear_error();
			continue;
		}
		facts_same(w, path, der, len);
		OPENSSL_free(der);
	}
	cs_result_release(&res);
}

static void
test_fast_spki_facts(void **state)
{
	static const char *const dirs[] = { "good", "bad", "lint", "match" };
	const struct cs_rule *const *all;
	struct cs_decoder_opts	 opts = { 0 };
	struct cs_lint_opts	 lopts = { 0 };
	struct facts_walk	 w = { 0 };
	signed char		*en;
	const char		*err;
	size_t			 i, n;
	char			*dir;

	(void)state;
	all = cs_rules_all(&n);
	assert_non_null(en = calloc(n, 1));
	for (i = 0; i < n; i++)
		en[i] = strncmp(all[i]->id, "key.", 4) == 0;
	lopts.enabled = en;
	assert_non_null(w.lint_full = cs_lint_new(&lopts, &err));
	assert_non_null(w.lint_light = cs_lint_new(&lopts, &err));
	assert_non_null(w.dec = cs_decoder_new(&opts));
	assert_non_null(w.fast = cs_fast_new(&opts));
	for (i = 0; i < sizeof(dirs) / sizeof(dirs[0]); i++) {
		dir = tu_path_join(getenv("CORPUS"), dirs[i]);
		tu_walk_files(dir, facts_file, &w);
		free(dir);
	}
	/* Not vacuous: the corpus has weak RSA and EC keys of many kinds. */
	assert_true(w.rsa > 50);
	assert_true(w.ec > 20);
	assert_true(w.other > 10);
	cs_decoder_free(w.dec);
	cs_fast_free(w.fast);
	cs_lint_free(w.lint_full);
	cs_lint_free(w.lint_light);
	free(en);
}

/* What cs_fast_spki_facts leaves to a loaded key. */
static void
test_fast_spki_facts_refused(void **state)
{
	/* P-256 SPKI header; the point follows. */
	static const unsigned char ec_head[] = {
		0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce,
		0x3d, 0x02, 0x01, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d,
		0x03, 0x01, 0x07, 0x03, 0x42, 0x00,
	};
	/* rsaEncryption, n = -1 (0xff), e = 3. */
	static const unsigned char rsa_neg[] = {
		0x30, 0x1a, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
		0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00, 0x03, 0x09, 0x00,
		0x30, 0x06, 0x02, 0x01, 0xff, 0x02, 0x01, 0x03,
	};
	/* The same with n = 0x00 0x7f: padded, not minimal. */
	static const unsigned char rsa_pad[] = {
		0x30, 0x1b, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
		0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00, 0x03, 0x0a, 0x00,
		0x30, 0x07, 0x02, 0x02, 0x00, 0x7f, 0x02, 0x01, 0x03,
	};
	/* n = 0x00 0x80 (minimal: 8 bits), e = 3. */
	static const unsigned char rsa_8[] = {
		0x30, 0x1b, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
		0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00, 0x03, 0x0a, 0x00,
		0x30, 0x07, 0x02, 0x02, 0x00, 0x80, 0x02, 0x01, 0x03,
	};
	struct cs_decoder_opts	 opts = { 0 };
	struct cs_spki_facts	 kf;
	struct cs_fast		*f;
	EVP_PKEY		*key;
	unsigned char		 der[sizeof(ec_head) + 65];
	size_t			 plen = 65;

	(void)state;
	assert_non_null(f = cs_fast_new(&opts));
	assert_non_null(key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256"));
	memcpy(der, ec_head, sizeof(ec_head));
	assert_int_equal(EVP_PKEY_get_octet_string_param(key,
	    OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, der + sizeof(ec_head), plen,
	    &plen), 1);
	assert_int_equal(plen, 65);
	assert_int_equal(cs_fast_spki_facts(f, der, sizeof(der), &kf), 1);
	assert_int_equal(kf.bits, 256);
	assert_int_equal(kf.point_valid, 1);
	/* y + 1 is not on the curve. */
	der[sizeof(der) - 1] ^= 1;
	assert_int_equal(cs_fast_spki_facts(f, der, sizeof(der), &kf), 0);
	der[sizeof(der) - 1] ^= 1;
	/* A well-formed SPKI whose point lacks its last octet. */
	der[1]--;
	der[sizeof(ec_head) - 2]--;
	assert_int_equal(cs_fast_spki_facts(f, der, sizeof(der) - 1, &kf), 0);
	der[1]++;
	der[sizeof(ec_head) - 2]++;
	assert_int_equal(cs_fast_spki_facts(f, der, sizeof(der), &kf), 1);
	/* Unused bits in the BIT STRING. */
	der[sizeof(ec_head) - 1] = 1;
	assert_int_equal(cs_fast_spki_facts(f, der, sizeof(der), &kf), 0);
	assert_int_equal(cs_fast_spki_facts(f, rsa_neg, sizeof(rsa_neg), &kf),
	    0);
	assert_int_equal(cs_fast_spki_facts(f, rsa_pad, sizeof(rsa_pad), &kf),
	    0);
	assert_int_equal(cs_fast_spki_facts(f, rsa_8, sizeof(rsa_8), &kf), 1);
	assert_int_equal(kf.bits, 8);
	EVP_PKEY_free(key);
	cs_fast_free(f);
}

/* --- private keys walked without a decoder context -------------------- */

/* The DER of a corpus PEM file's first block. */
static unsigned char *
pem_der(const char *name, long *len)
{
	char		*path = tu_path_join(getenv("CORPUS"), name);
	char		*pname = NULL, *header = NULL;
	unsigned char	*der = NULL;
	BIO		*b;

	assert_non_null(b = BIO_new_file(path, "r"));
	assert_int_equal(PEM_read_bio(b, &pname, &header, &der, len), 1);
	OPENSSL_free(pname);
	OPENSSL_free(header);
	BIO_free(b);
	free(path);
	return der;
}

/* The elements of a DER SEQUENCE, each as its whole TLV. */
#define PARTS_MAX	12

struct parts {
	const unsigned char	*p[PARTS_MAX];
	size_t			 len[PARTS_MAX];
	size_t			 n;
};

static void
split_seq(const unsigned char *der, long len, struct parts *t)
{
	const unsigned char	*p = der, *q, *end;
	long			 l;
	int			 tag, cls;

	assert_int_equal(ASN1_get_object(&p, &l, &tag, &cls, len) & 0x80, 0);
	end = p + l;
	for (t->n = 0; p < end; t->n++) {
		q = p;
		assert_true(t->n < PARTS_MAX);
		assert_int_equal(ASN1_get_object(&q, &l, &tag, &cls,
		    end - p) & 0x80, 0);
		t->p[t->n] = p;
		t->len[t->n] = (size_t)(q - p) + (size_t)l;
		p = q + l;
	}
}

/* A DER buffer put together piece by piece. */
struct dbuild {
	unsigned char	 b[4096];
	size_t		 n;
};

static void
put(struct dbuild *b, const void *p, size_t n)
{
	assert_true(n <= sizeof(b->b) - b->n);
	if (n == 0)
		return;		/* p may be NULL */
	memcpy(b->b + b->n, p, n);
	b->n += n;
}

/* out = tag, DER length, in's bytes. */
static void
wrap(struct dbuild *out, unsigned char tag, const struct dbuild *in)
{
	unsigned char	 h[4] = { tag };
	size_t		 hl = 2;

	if (in->n < 0x80)
		h[1] = (unsigned char)in->n;
	else if (in->n < 0x100) {
		h[1] = 0x81;
		h[2] = (unsigned char)in->n;
		hl = 3;
	} else {
		h[1] = 0x82;
		h[2] = (unsigned char)(in->n >> 8);
		h[3] = (unsigned char)in->n;
		hl = 4;
	}
	out->n = 0;
	put(out, h, hl);
	put(out, in->b, in->n);
}

/* SEQUENCE of t's parts, part i replaced by rep (rlen 0: left out), and
 * extra bytes after the last part. */
static void
seq_with(struct dbuild *out, const struct parts *t, size_t i,
    const unsigned char *rep, size_t rlen, const unsigned char *extra,
    size_t elen)
{
	struct dbuild	 in = { .n = 0 };
	size_t		 k;

	for (k = 0; k < t->n; k++)
		if (k != i)
			put(&in, t->p[k], t->len[k]);
		else if (rlen > 0)
			put(&in, rep, rlen);
	put(&in, extra, elen);
	wrap(out, 0x30, &in);
}

/* A key's DER through both decoders: the same result; walked says
 * whether the walk must take it without a decoder context. */
static void
key_variant(struct cs_decoder *dec, struct cs_fast *f, const char *what,
    const unsigned char *der, size_t len, int walked)
{
	unsigned long	 before = cs_fast_keys_walked(f);

	compare_buffer(dec, f, what, der, len);
	if (walked != (cs_fast_keys_walked(f) == before + 1))
		fail_msg("%s: %s", what, walked ? "was not walked" :
		    "was walked");
}

/* A key's SEQUENCE with element part replaced by rep (len 0: left out;
 * part past the last element: rep appended), which the walk must leave
 * to the decoder. */
struct key_edit {
	const char		*what;
	size_t			 part;
	const unsigned char	*rep;
	size_t			 len;
};

static void
key_edits(struct cs_decoder *dec, struct cs_fast *f, const struct parts *t,
    const struct key_edit *e, size_t n)
{
	struct dbuild	 key;
	size_t		 i;

	for (i = 0; i < n; i++) {
		if (e[i].part < t->n)
			seq_with(&key, t, e[i].part, e[i].rep, e[i].len, NULL,
			    0);
		else
			seq_with(&key, t, e[i].part, NULL, 0, e[i].rep,
			    e[i].len);
		key_variant(dec, f, e[i].what, key.b, key.n, 0);
	}
}

/* The PKCS#8 key p8 holding inner in its OCTET STRING. */
static void
p8_variant(struct cs_decoder *dec, struct cs_fast *f, const struct parts *p8,
    const struct dbuild *inner, const char *what, int walked)
{
	struct dbuild	 oct, key;

	wrap(&oct, 0x04, inner);
	seq_with(&key, p8, 2, oct.b, oct.n, NULL, 0);
	key_variant(dec, f, what, key.b, key.n, walked);
}

/* Two primes, INTEGERs positive and minimal, nothing after: walked;
 * anything else goes to the decoder, with the same result. */
static void
test_fast_rsa_key_walk(void **state)
{
	static const unsigned char v1[] = { 0x02, 0x01, 0x01 };
	static const unsigned char neg[] = { 0x02, 0x03, 0x81, 0x00, 0x01 };
	static const unsigned char zero[] = { 0x02, 0x01, 0x00 };
	static const unsigned char one[] = { 0x02, 0x01, 0x01 };
	static const struct key_edit rsa_edits[] = {
		{ "version 1", 0, v1, sizeof(v1) },
		{ "negative e", 2, neg, sizeof(neg) },
		{ "zero d", 3, zero, sizeof(zero) },
		{ "a tenth INTEGER", 9, one, sizeof(one) },
	};
	static const unsigned char attrs[] = { 0xa0, 0x00 };
	static const unsigned char algid_bare[] = { 0x30, 0x0b, 0x06, 0x09,
	    0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01 };
	struct cs_decoder_opts	 opts = { 0 };
	struct cs_decoder	*dec;
	struct cs_fast		*f;
	struct parts		 t, p8;
	struct dbuild		 b, inner, oct;
	unsigned char		*der, *der8;
	long			 len, len8;

	(void)state;
	assert_non_null(dec = cs_decoder_new(&opts));
	assert_non_null(f = cs_fast_new(&opts));
	der = pem_der("good/rsa2048-trad.key", &len);
	der8 = pem_der("good/rsa2048.key", &len8);
	split_seq(der, len, &t);
	split_seq(der8, len8, &p8);
	assert_int_equal(t.n, 9);
	assert_int_equal(p8.n, 3);

	key_variant(dec, f, "PKCS#1", der, (size_t)len, 1);
	key_variant(dec, f, "PKCS#8", der8, (size_t)len8, 1);
	key_edits(dec, f, &t, rsa_edits, sizeof(rsa_edits) /
	    sizeof(rsa_edits[0]));
	/* p with a needless leading zero octet. */
	{
		const unsigned char *q = t.p[4];
		long l;
		int tag, cls;

		assert_int_equal(ASN1_get_object(&q, &l, &tag, &cls,
		    (long)t.len[4]) & 0x80, 0);
		inner.n = 0;
		put(&inner, "", 1);
		put(&inner, q, (size_t)l);
		wrap(&oct, 0x02, &inner);
	}
	seq_with(&b, &t, 4, oct.b, oct.n, NULL, 0);
	key_variant(dec, f, "non-minimal p", b.b, b.n, 0);
	inner.n = 0;
	put(&inner, der, (size_t)len);
	put(&inner, "", 1);
	key_variant(dec, f, "a byte after the key", inner.b, inner.n, 0);

	seq_with(&b, &p8, 3, NULL, 0, attrs, sizeof(attrs));
	key_variant(dec, f, "PKCS#8 with attributes", b.b, b.n, 0);
	seq_with(&b, &p8, 0, v1, sizeof(v1), NULL, 0);
	key_variant(dec, f, "PKCS#8 version 1", b.b, b.n, 0);
	seq_with(&b, &p8, 1, algid_bare, sizeof(algid_bare), NULL, 0);
	key_variant(dec, f, "PKCS#8 without NULL", b.b, b.n, 0);
	/* The PKCS#1 key with an INTEGER after it inside the OCTET STRING. */
	inner.n = 0;
	put(&inner, der, (size_t)len);
	put(&inner, one, sizeof(one));
	p8_variant(dec, f, &p8, &inner, "PKCS#8 with trailing octets", 0);

	OPENSSL_free(der);
	OPENSSL_free(der8);
	cs_decoder_free(dec);
	cs_fast_free(f);
}

/* The SEC1 key t with its [1] publicKey { BIT STRING { unused, pt } }. */
static void
point_variant(struct cs_decoder *dec, struct cs_fast *f,
    const struct parts *t, const char *what, unsigned char unused,
    const unsigned char *pt, size_t len, int walked)
{
	struct dbuild	 bits = { .n = 0 }, x, tagged, key;

	put(&bits, &unused, 1);
	put(&bits, pt, len);
	wrap(&x, 0x03, &bits);
	wrap(&tagged, 0xa1, &x);
	seq_with(&key, t, 3, tagged.b, tagged.n, NULL, 0);
	key_variant(dec, f, what, key.b, key.n, walked);
}

/* SEC1 version 1 on a named curve with its point and a scalar in range:
 * walked, alone or in PKCS#8; anything else goes to the decoder. */
static void
test_fast_ec_key_walk(void **state)
{
	static const unsigned char v2[] = { 0x02, 0x01, 0x02 };
	static const unsigned char p384[] = { 0xa0, 0x07, 0x06, 0x05, 0x2b,
	    0x81, 0x04, 0x00, 0x22 };
	static const unsigned char unknown[] = { 0xa0, 0x05, 0x06, 0x03, 0x2a,
	    0x03, 0x04 };
	static const unsigned char inf[] = { 0xa1, 0x04, 0x03, 0x02, 0x00,
	    0x00 };
	static const struct key_edit ec_edits[] = {
		{ "SEC1 without its point", 3, NULL, 0 },
		{ "SEC1 without its curve", 2, NULL, 0 },
		{ "SEC1 version 2", 0, v2, sizeof(v2) },
		{ "SEC1 on an unknown curve", 2, unknown, sizeof(unknown) },
		{ "the point at infinity", 3, inf, sizeof(inf) },
	};
	struct cs_decoder_opts	 opts = { 0 };
	struct cs_decoder	*dec;
	struct cs_fast		*f;
	struct parts		 t, p8;
	struct dbuild		 b;
	EC_GROUP		*g;
	unsigned char		 scal[34] = { 0x04, 32 }, point[65];
	unsigned char		*der, *der8;
	size_t			 len, len8;

	(void)state;
	assert_non_null(dec = cs_decoder_new(&opts));
	assert_non_null(f = cs_fast_new(&opts));
	{
		char *p = tu_path_join(getenv("CORPUS"), "good/ec-p256-sec1.der");

		der = read_all(p, &len);
		free(p);
		p = tu_path_join(getenv("CORPUS"), "good/ec-p256-p8.der");
		der8 = read_all(p, &len8);
		free(p);
	}
	split_seq(der, (long)len, &t);
	split_seq(der8, (long)len8, &p8);
	assert_int_equal(t.n, 4);
	assert_int_equal(p8.n, 3);
	/* [1] { BIT STRING { 0, 04 X Y } } */
	assert_int_equal(t.len[3], 70);
	memcpy(point, t.p[3] + 5, 65);
	assert_int_equal(point[0], 4);

	key_variant(dec, f, "SEC1", der, len, 1);
	key_variant(dec, f, "PKCS#8", der8, len8, 1);
	key_edits(dec, f, &t, ec_edits, sizeof(ec_edits) / sizeof(ec_edits[0]));

	/* The point compressed: walked, and it indexes as before. Hybrid,
	 * off the curve, with unused bits: the decoder's. */
	point[0] = (unsigned char)(2 | (point[64] & 1));
	point_variant(dec, f, &t, "compressed point", 0, point, 33, 1);
	point[0] = (unsigned char)(6 | (point[64] & 1));
	point_variant(dec, f, &t, "hybrid point", 0, point, 65, 0);
	point[0] = 4;
	point[64] ^= 1;
	point_variant(dec, f, &t, "point off the curve", 0, point, 65, 0);
	point[64] ^= 1;
	point_variant(dec, f, &t, "unused bits", 1, point, 65, 0);

	/* Scalars: zero, the order, one octet short. */
	seq_with(&b, &t, 1, scal, sizeof(scal), NULL, 0);
	key_variant(dec, f, "zero scalar", b.b, b.n, 0);
	assert_non_null(g = EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1));
	assert_int_equal(BN_bn2binpad(EC_GROUP_get0_order(g), scal + 2, 32),
	    32);
	EC_GROUP_free(g);
	seq_with(&b, &t, 1, scal, sizeof(scal), NULL, 0);
	key_variant(dec, f, "scalar equal to the order", b.b, b.n, 0);
	memcpy(scal + 1, t.p[1] + 2, 32);
	scal[1] = 31;
	seq_with(&b, &t, 1, scal, 33, NULL, 0);
	key_variant(dec, f, "scalar one octet short", b.b, b.n, 0);

	/* PKCS#8 with [0] in the SEC1 key: the same curve is walked; another
	 * goes to the decoder (the point is not on it either, so this does
	 * not tell the two checks apart). */
	seq_with(&b, &t, 99, NULL, 0, NULL, 0);
	p8_variant(dec, f, &p8, &b, "PKCS#8 repeating its curve", 1);
	seq_with(&b, &t, 2, p384, sizeof(p384), NULL, 0);
	p8_variant(dec, f, &p8, &b, "PKCS#8 naming two curves", 0);

	free(der);
	free(der8);
	cs_decoder_free(dec);
	cs_fast_free(f);
}

/* What a scan --lint of root found, one line per object and finding. */
static char *
scan_lint_text(const char *root, unsigned threads, long handoff)
{
	struct cs_lint_opts	 lopts = { .now = 1700000000 };
	struct cs_scan_opts	 opts = { .threads = threads, .lint = 1,
		.lint_opts = &lopts, .lint_handoff = handoff,
		.at = 1700000000, .weak_at = CS_SEV_WARNING };
	struct cs_fleet		 fl = { 0 };
	struct cs_fleet_object	 o;
	const struct cs_finding	*f;
	struct cs_scan		*s;
	const char		*err;
	char			*text;
	size_t			 i, j, len;
	FILE			*mem;

	assert_non_null(s = cs_scan_new(&opts, &err));
	assert_int_equal(cs_scan_root(s, root), 0);
	assert_int_equal(cs_scan_report_begin(s, &fl), 0);
	assert_int_equal(cs_scan_report_end(s, &fl), 0);
	assert_non_null(mem = open_memstream(&text, &len));
	for (i = 0; i < fl.nobjs; i++) {
		assert_int_equal(cs_fleet_object_at(&fl, i, &o), 0);
		assert_true(o.linted);
		fprintf(mem, "%s %d\n", o.path, (int)o.kind);
		for (j = 0; j < o.findings->n; j++) {
			f = o.findings->v[j];
			fprintf(mem, "  %s %d %s|%s|%s|%s|%s\n", f->rule,
			    (int)f->severity, f->field ? f->field : "-",
			    f->value ? f->value : "-", f->message,
			    f->fix_action ? f->fix_action : "-",
			    f->fix_value ? f->fix_value : "-");
		}
	}
	fclose(mem);
	cs_fleet_release(&fl);
	cs_scan_free(s);
	return text;
}

/* The joining thread runs the rules of the files a worker leaves it
 * (scan.c); whether it does or the workers do, or each some of them (a
 * handoff of a few objects), the findings are the same, at one thread
 * and at several. */
static void
test_cs_scan_root_lint_either_thread(void **state)
{
	static const long	 handoff[] = { 0, 1, 3, -1 };
	const char		*corpus = getenv("CORPUS");
	char			 root[4096];
	char			*want, *got;
	unsigned		 threads;
	size_t			 i;

	(void)state;
	if (corpus == NULL)
		fail_msg("CORPUS is not set (export CORPUS=<srcdir>/corpus)");
	snprintf(root, sizeof(root), "%s/lint", corpus);
	want = scan_lint_text(root, 1, -1);
	assert_true(strstr(want, "  ") != NULL);	/* some findings */
	for (threads = 1; threads <= 3; threads += 2) {
		for (i = 0; i < sizeof(handoff) / sizeof(handoff[0]); i++) {
			got = scan_lint_text(root, threads, handoff[i]);
			assert_string_equal(got, want);
			free(got);
		}
	}
	free(want);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fast_corpus_same),
		cmocka_unit_test(test_fast_corpus_same_password),
		cmocka_unit_test(test_fast_takes_common_files),
		cmocka_unit_test(test_fast_hostile_der),
		cmocka_unit_test(test_fast_compressed_point_pairs),
		cmocka_unit_test(test_fast_encrypted_key),
		cmocka_unit_test(test_fast_mutations_same),
		cmocka_unit_test(test_fast_nonminimal_length),
		cmocka_unit_test(test_fast_pem_shapes),
		cmocka_unit_test(test_fast_self_issued_canonical),
		cmocka_unit_test(test_fast_spki_key),
		cmocka_unit_test(test_fast_spki_facts),
		cmocka_unit_test(test_fast_spki_facts_refused),
		cmocka_unit_test(test_fast_rsa_key_walk),
		cmocka_unit_test(test_fast_ec_key_walk),
		cmocka_unit_test(test_cs_scan_root_lint_either_thread),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

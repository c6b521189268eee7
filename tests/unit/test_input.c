/*
 * test_input - the decoder's public interface: cs_decode_buffer,
 * cs_decode_file, cs_passin_read and cs_read_file.
 *
 * Inputs are built in memory from one EC P-256 key (key, CSR and
 * certificates); files go to a private temporary directory that teardown
 * removes.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "input/input.h"
#include "testutil.h"

#define PATH	"mem.pem"

struct fixture {
	EVP_PKEY		*key;		/* EC P-256 */
	X509			*cert;		/* CN=first, self-signed */
	X509			*cert2;		/* CN=second, same key */
	X509_REQ		*req;
	unsigned char		 spki[32];	/* SHA-256 of key's SPKI */
	BIO			*out;		/* input being built */
	struct cs_decoder	*dec;
	struct cs_result	 res;
	const char		*password;	/* what pass_cb answers */
	int			 pass_calls;
	char			 dir[32];	/* private temporary directory */
	char			*path;		/* scratch, within dir */
};

static int
pass_cb(char *buf, int size, const char *path, void *arg)
{
	struct fixture	*f = arg;
	size_t		 len;

	(void)path;
	f->pass_calls++;
	if (f->password == NULL || (len = strlen(f->password)) >= (size_t)size)
		return -1;
	memcpy(buf, f->password, len);
	return (int)len;
}

static int
setup(void **state)
{
	struct cs_decoder_opts	 opts = { 0 };
	struct fixture		*f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	*state = f;
	if (tu_mkdtemp(f->dir, sizeof(f->dir), "/tmp/cs-input-XXXXXX") == -1)
		return -1;
	if ((f->key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256")) == NULL ||
	    (f->cert = tu_make_cert(f->key, "first", X509_VERSION_3)) == NULL ||
	    (f->cert2 = tu_make_cert(f->key, "second", X509_VERSION_3)) == NULL ||
	    (f->req = tu_make_req(f->key, "request")) == NULL ||
	    tu_spki_sha256(f->key, f->spki) == -1 ||
	    (f->out = BIO_new(BIO_s_mem())) == NULL ||
	    (f->dec = cs_decoder_new(&opts)) == NULL)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	if (f == NULL)
		return 0;
	cs_result_release(&f->res);
	cs_decoder_free(f->dec);
	BIO_free(f->out);
	X509_REQ_free(f->req);
	X509_free(f->cert2);
	X509_free(f->cert);
	EVP_PKEY_free(f->key);
	tu_rm_dir(f->dir);
	free(f->path);
	free(f);
	return 0;
}

/* A decoder that asks pass_cb for passwords. */
static void
use_password(struct fixture *f, const char *password)
{
	struct cs_decoder_opts	 opts = { .pass_cb = pass_cb, .pass_arg = f };

	cs_decoder_free(f->dec);
	assert_non_null(f->dec = cs_decoder_new(&opts));
	f->password = password;
}

static void
put(struct fixture *f, const char *text)
{
	assert_int_equal(BIO_puts(f->out, text), (int)strlen(text));
}

static size_t
built(struct fixture *f, const unsigned char **p)
{
	char	*data;
	long	 len;

	len = BIO_get_mem_data(f->out, &data);
	assert_true(len >= 0);
	*p = (const unsigned char *)data;
	return (size_t)len;
}

/* Decode what was built into f->out. */
static int
decode_built(struct fixture *f)
{
	const unsigned char	*p;
	size_t			 len = built(f, &p);

	return cs_decode_buffer(f->dec, PATH, p, len, &f->res);
}

static struct cs_object *
object(struct fixture *f, size_t i)
{
	assert_true(i < f->res.objects.n);
	return f->res.objects.v[i];
}

static const char *
error_message(struct fixture *f, size_t i)
{
	const struct cs_diag *d;

	assert_true(i < f->res.errors.n);
	d = f->res.errors.v[i];
	assert_non_null(d->message);
	return d->message;
}

static char *
scratch_path(struct fixture *f, const char *name)
{
	return tu_scratch_path(&f->path, f->dir, name);
}

static void
write_file(const char *path, const void *data, size_t len)
{
	FILE	*fp;

	assert_non_null(fp = fopen(path, "wb"));
	assert_int_equal(fwrite(data, 1, len, fp), len);
	assert_int_equal(fclose(fp), 0);
}

/* --- cs_decode_buffer: PEM ------------------------------------------- */

static void
test_cs_decode_buffer_two_certs_with_text(void **state)
{
	struct fixture		*f = *state;
	struct cs_object	*o;
	size_t			 i;

	put(f, "Bag Attributes\n    friendlyName: first\n");
	assert_true(PEM_write_bio_X509(f->out, f->cert));
	put(f, "subject=CN = second\nissuer=CN = second\n\n- - - -\n");
	assert_true(PEM_write_bio_X509(f->out, f->cert2));
	put(f, "the end\n");

	assert_int_equal(decode_built(f), 0);
	assert_int_equal(f->res.errors.n, 0);
	assert_int_equal(f->res.objects.n, 2);
	for (i = 0; i < 2; i++) {
		o = object(f, i);
		assert_int_equal(o->src.index, (int)i);
		assert_int_equal(o->kind, CS_KIND_CERT);
		assert_int_equal(o->src.encoding, CS_ENC_PEM);
		assert_int_equal(o->src.container, CS_CONT_NONE);
		assert_string_equal(o->src.path, PATH);
		assert_string_equal(o->src.label, "CERTIFICATE");
		assert_int_equal(o->subject.n, 1);
	}
	assert_string_equal(object(f, 0)->subject.attrs[0].value, "first");
	assert_string_equal(object(f, 1)->subject.attrs[0].value, "second");
}

static void
test_cs_decode_buffer_crlf(void **state)
{
	struct fixture		*f = *state;
	const unsigned char	*p;
	unsigned char		*crlf;
	size_t			 len, i, n = 0;

	assert_true(PEM_write_bio_X509(f->out, f->cert));
	assert_true(PEM_write_bio_X509(f->out, f->cert2));
	len = built(f, &p);
	assert_non_null(crlf = malloc(len * 2));
	for (i = 0; i < len; i++) {
		if (p[i] == '\n')
			crlf[n++] = '\r';
		crlf[n++] = p[i];
	}
	assert_non_null(memchr(crlf, '\r', n));

	assert_int_equal(cs_decode_buffer(f->dec, PATH, crlf, n, &f->res), 0);
	free(crlf);
	assert_int_equal(f->res.errors.n, 0);
	assert_int_equal(f->res.objects.n, 2);
	assert_int_equal(object(f, 0)->src.index, 0);
	assert_int_equal(object(f, 1)->src.index, 1);
	assert_string_equal(object(f, 1)->subject.attrs[0].value, "second");
}

static void
test_cs_decode_buffer_bad_base64_block(void **state)
{
	struct fixture	*f = *state;
	BIO		*mid;
	char		*data, *body;
	long		 len;

	/* Block 2 is a certificate whose body holds a character that is
	 * not base64. */
	assert_non_null(mid = BIO_new(BIO_s_mem()));
	assert_true(PEM_write_bio_X509(mid, f->cert));
	len = BIO_get_mem_data(mid, &data);
	assert_true(len > 100);
	assert_non_null(body = memchr(data, '\n', (size_t)len));
	body[10] = '*';

	assert_true(PEM_write_bio_X509(f->out, f->cert));
	assert_int_equal(BIO_write(f->out, data, (int)len), (int)len);
	assert_true(PEM_write_bio_X509(f->out, f->cert2));
	BIO_free(mid);

	assert_int_equal(decode_built(f), -1);
	assert_int_equal(f->res.objects.n, 2);
	assert_int_equal(object(f, 0)->src.index, 0);
	assert_int_equal(object(f, 1)->src.index, 1);
	assert_string_equal(object(f, 0)->subject.attrs[0].value, "first");
	assert_string_equal(object(f, 1)->subject.attrs[0].value, "second");
	assert_int_equal(f->res.errors.n, 1);
	tu_assert_contains(error_message(f, 0), "block 2");
	tu_assert_contains(error_message(f, 0), "base64");
}

static void
test_cs_decode_buffer_empty(void **state)
{
	struct fixture		*f = *state;
	const struct cs_diag	*d;
	static const unsigned char blank[] = " \t\r\n\n";

	assert_int_equal(cs_decode_buffer(f->dec, PATH, (const unsigned char *)"",
	    0, &f->res), -1);
	assert_int_equal(f->res.objects.n, 0);
	assert_int_equal(f->res.errors.n, 1);
	d = f->res.errors.v[0];
	assert_string_equal(d->message, "empty file");
	assert_string_equal(d->path, PATH);

	assert_int_equal(cs_decode_buffer(f->dec, PATH, blank,
	    sizeof(blank) - 1, &f->res), -1);
	assert_int_equal(f->res.errors.n, 2);
	assert_string_equal(error_message(f, 1), "empty file");
}

static void
test_cs_decode_buffer_not_x509(void **state)
{
	struct fixture	*f = *state;

	put(f, "just some text\n");
	assert_int_equal(decode_built(f), -1);
	assert_int_equal(f->res.objects.n, 0);
	assert_int_equal(f->res.errors.n, 1);
	tu_assert_contains(error_message(f, 0), "not X.509 material");
}

/* --- cs_decode_buffer: DER ------------------------------------------- */

static void
test_cs_decode_buffer_der_cert(void **state)
{
	struct fixture	*f = *state;

	assert_true(i2d_X509_bio(f->out, f->cert));
	assert_int_equal(decode_built(f), 0);
	assert_int_equal(f->res.errors.n, 0);
	assert_int_equal(f->res.objects.n, 1);
	assert_int_equal(object(f, 0)->kind, CS_KIND_CERT);
	assert_int_equal(object(f, 0)->src.encoding, CS_ENC_DER);
	assert_null(object(f, 0)->src.label);
}

/* A name that holds a PEM BEGIN line must not turn DER into "PEM". */
static void
test_cs_decode_buffer_der_with_begin_in_name(void **state)
{
	struct fixture	*f = *state;
	X509		*cert;

	cert = tu_make_cert(f->key, "x\n-----BEGIN CERTIFICATE-----\n",
	    X509_VERSION_3);
	assert_non_null(cert);
	assert_true(i2d_X509_bio(f->out, cert));
	X509_free(cert);
	assert_int_equal(decode_built(f), 0);
	assert_int_equal(f->res.errors.n, 0);
	assert_int_equal(f->res.objects.n, 1);
	assert_int_equal(object(f, 0)->kind, CS_KIND_CERT);
	assert_int_equal(object(f, 0)->src.encoding, CS_ENC_DER);
}

static void
test_cs_decode_buffer_der_trailing(void **state)
{
	struct fixture	*f = *state;

	assert_true(i2d_X509_bio(f->out, f->cert));
	assert_int_equal(BIO_write(f->out, "\x00\x01\x02", 3), 3);
	assert_int_equal(decode_built(f), -1);
	assert_int_equal(f->res.objects.n, 0);
	assert_int_equal(f->res.errors.n, 1);
	tu_assert_contains(error_message(f, 0), "trailing data");
	tu_assert_contains(error_message(f, 0), "3 byte");
}

static void
test_cs_decode_buffer_der_truncated(void **state)
{
	struct fixture		*f = *state;
	const unsigned char	*p;
	size_t			 len;

	assert_true(i2d_X509_bio(f->out, f->cert));
	len = built(f, &p);
	assert_int_equal(cs_decode_buffer(f->dec, PATH, p, len - 1, &f->res), -1);
	assert_int_equal(f->res.objects.n, 0);
	assert_int_equal(f->res.errors.n, 1);
	tu_assert_contains(error_message(f, 0), "malformed DER");
}

static void
test_cs_decode_buffer_der_shaped_but_malformed(void **state)
{
	/* Each has the outer shape of its kind, so the sniffer sends it to
	 * that kind's decoder, which refuses it. */
	static const unsigned char cert[] = {
		0x30, 0x12, 0x30, 0x0a, 0xa0, 0x03, 0x02, 0x01, 0x02, 0x02,
		0x01, 0x01, 0x05, 0x00, 0x30, 0x00, 0x03, 0x02, 0x00, 0x00 };
	static const unsigned char csr[] = {
		0x30, 0x11, 0x30, 0x09, 0x02, 0x01, 0x00, 0x30, 0x00, 0x30,
		0x00, 0xa0, 0x00, 0x30, 0x00, 0x03, 0x02, 0x00, 0x00 };
	static const unsigned char spki[] = {
		0x30, 0x06, 0x30, 0x00, 0x03, 0x02, 0x00, 0x00 };
	static const unsigned char epki[] = {
		0x30, 0x06, 0x30, 0x00, 0x04, 0x02, 0x00, 0x00 };
	static const unsigned char p8[] = {
		0x30, 0x08, 0x02, 0x01, 0x00, 0x30, 0x00, 0x04, 0x01, 0x00 };
	static const struct {
		const unsigned char	*der;
		size_t			 len;
		const char		*message;
	} cases[] = {
		{ cert, sizeof(cert), "malformed certificate: " },
		{ csr, sizeof(csr), "malformed certificate request: " },
		{ spki, sizeof(spki), "malformed public key: " },
		{ epki, sizeof(epki), "malformed encrypted private key: " },
		{ p8, sizeof(p8), "malformed private key: " },
	};
	struct fixture	*f = *state;
	size_t		 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(cs_decode_buffer(f->dec, PATH, cases[i].der,
		    cases[i].len, &f->res), -1);
		assert_int_equal(f->res.objects.n, 0);
		assert_int_equal(f->res.errors.n, i + 1);
		tu_assert_contains(error_message(f, i), cases[i].message);
	}
}

static void
test_cs_decode_buffer_unknown_label_block(void **state)
{
	struct fixture	*f = *state;

	assert_true(PEM_write_bio_X509(f->out, f->cert));
	put(f, "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n"
	    "-----END OPENSSH PRIVATE KEY-----\n");
	assert_true(PEM_write_bio_X509(f->out, f->cert2));
	assert_int_equal(decode_built(f), -1);
	assert_int_equal(f->res.objects.n, 2);
	assert_int_equal(object(f, 1)->src.index, 1);
	assert_int_equal(f->res.errors.n, 1);
	tu_assert_contains(error_message(f, 0),
	    "block 2 (OPENSSH PRIVATE KEY): unsupported PEM label");
}

/* --- cs_decode_buffer: encrypted keys -------------------------------- */

static void
write_encrypted_p8(struct fixture *f)
{
	assert_true(PEM_write_bio_PKCS8PrivateKey(f->out, f->key,
	    EVP_aes_256_cbc(), NULL, 0, NULL, (void *)"secret"));
}

static void
test_cs_decode_buffer_encrypted_right_password(void **state)
{
	struct fixture		*f = *state;
	struct cs_object	*o;

	use_password(f, "secret");
	write_encrypted_p8(f);
	assert_int_equal(decode_built(f), 0);
	assert_int_equal(f->pass_calls, 1);
	assert_int_equal(f->res.errors.n, 0);
	assert_int_equal(f->res.objects.n, 1);
	o = object(f, 0);
	assert_int_equal(o->kind, CS_KIND_PRIVKEY);
	assert_string_equal(o->src.label, "ENCRYPTED PRIVATE KEY");
	assert_true(o->key.present);
	assert_false(o->key.locked);
	assert_true(o->key.loaded);
	assert_string_equal(o->key.algorithm, "ec");
	assert_string_equal(o->key.curve, "P-256");
	assert_int_equal(o->key.bits, 256);
	assert_true(o->key.has_spki);
	assert_memory_equal(o->key.spki_sha256, f->spki, sizeof(f->spki));
}

static void
test_cs_decode_buffer_encrypted_der(void **state)
{
	struct fixture		*f = *state;
	struct cs_object	*o;

	use_password(f, "secret");
	assert_true(i2d_PKCS8PrivateKey_bio(f->out, f->key, EVP_aes_256_cbc(),
	    NULL, 0, NULL, (void *)"secret"));
	assert_int_equal(decode_built(f), 0);
	assert_int_equal(f->res.errors.n, 0);
	assert_int_equal(f->res.objects.n, 1);
	o = object(f, 0);
	assert_int_equal(o->src.encoding, CS_ENC_DER);
	assert_false(o->key.locked);
	assert_true(o->key.has_spki);
	assert_memory_equal(o->key.spki_sha256, f->spki, sizeof(f->spki));
}

static void
test_cs_decode_buffer_encrypted_traditional(void **state)
{
	struct fixture		*f = *state;
	struct cs_object	*o;

	/* Proc-Type: 4,ENCRYPTED with a DEK-Info header. */
	use_password(f, "secret");
	assert_true(PEM_write_bio_PrivateKey_traditional(f->out, f->key,
	    EVP_aes_128_cbc(), NULL, 0, NULL, (void *)"secret"));
	assert_int_equal(decode_built(f), 0);
	assert_int_equal(f->res.errors.n, 0);
	assert_int_equal(f->res.objects.n, 1);
	o = object(f, 0);
	assert_string_equal(o->src.label, "EC PRIVATE KEY");
	assert_false(o->key.locked);
	assert_true(o->key.has_spki);
	assert_memory_equal(o->key.spki_sha256, f->spki, sizeof(f->spki));
}

static void
test_cs_decode_buffer_encrypted_wrong_password(void **state)
{
	struct fixture		*f = *state;
	struct cs_object	*o;

	use_password(f, "not the password");
	write_encrypted_p8(f);
	assert_int_equal(decode_built(f), -1);
	assert_int_equal(f->pass_calls, 1);
	assert_int_equal(f->res.errors.n, 1);
	tu_assert_contains(error_message(f, 0), "wrong password");
	assert_int_equal(f->res.objects.n, 1);
	o = object(f, 0);
	assert_int_equal(o->kind, CS_KIND_PRIVKEY);
	assert_true(o->key.present);
	assert_true(o->key.locked);
	assert_false(o->key.has_spki);
	assert_null(o->pkey);
}

static void
test_cs_decode_buffer_encrypted_no_callback(void **state)
{
	struct fixture		*f = *state;
	struct cs_object	*o;

	write_encrypted_p8(f);
	assert_int_equal(decode_built(f), -1);
	assert_int_equal(f->res.errors.n, 1);
	tu_assert_contains(error_message(f, 0), "no password");
	assert_int_equal(f->res.objects.n, 1);
	o = object(f, 0);
	assert_int_equal(o->kind, CS_KIND_PRIVKEY);
	assert_true(o->key.locked);
	assert_int_equal(o->key.has_spki, 0);
	assert_null(o->pkey);
}

static void
test_cs_decode_buffer_encrypted_asks_once(void **state)
{
	struct fixture	*f = *state;

	/* Two encrypted keys in one file: one question. */
	use_password(f, "secret");
	write_encrypted_p8(f);
	write_encrypted_p8(f);
	assert_int_equal(decode_built(f), 0);
	assert_int_equal(f->pass_calls, 1);
	assert_int_equal(f->res.objects.n, 2);
	assert_false(object(f, 1)->key.locked);

	/* A second file asks again. */
	assert_int_equal(decode_built(f), 0);
	assert_int_equal(f->pass_calls, 2);
	assert_int_equal(f->res.objects.n, 4);
}

/* --- cs_decode_buffer: the same key in every form --------------------- */

static void
test_cs_decode_buffer_same_spki(void **state)
{
	struct fixture		*f = *state;
	static const enum cs_kind kinds[] = {
		CS_KIND_PRIVKEY, CS_KIND_CSR, CS_KIND_CERT, CS_KIND_PUBKEY,
	};
	struct cs_object	*o;
	size_t			 i;

	assert_true(PEM_write_bio_PrivateKey(f->out, f->key, NULL, NULL, 0,
	    NULL, NULL));
	assert_true(PEM_write_bio_X509_REQ(f->out, f->req));
	assert_true(PEM_write_bio_X509(f->out, f->cert));
	assert_true(PEM_write_bio_PUBKEY(f->out, f->key));

	assert_int_equal(decode_built(f), 0);
	assert_int_equal(f->res.errors.n, 0);
	assert_int_equal(f->res.objects.n, 4);
	for (i = 0; i < 4; i++) {
		o = object(f, i);
		assert_int_equal(o->kind, kinds[i]);
		assert_int_equal(o->src.index, (int)i);
		assert_true(o->key.has_spki);
		assert_memory_equal(o->key.spki_sha256, f->spki,
		    sizeof(f->spki));
	}
}

/* --- cs_decode_file -------------------------------------------------- */

static void
test_cs_decode_file_pem(void **state)
{
	struct fixture		*f = *state;
	const unsigned char	*p;
	size_t			 len;
	char			*path = scratch_path(f, "cert.pem");

	assert_true(PEM_write_bio_X509(f->out, f->cert));
	len = built(f, &p);
	write_file(path, p, len);
	assert_int_equal(cs_decode_file(f->dec, path, &f->res), 0);
	assert_int_equal(f->res.errors.n, 0);
	assert_int_equal(f->res.objects.n, 1);
	assert_string_equal(object(f, 0)->src.path, path);
}

static void
test_cs_decode_file_missing(void **state)
{
	struct fixture		*f = *state;
	const struct cs_diag	*d;
	char			*path = scratch_path(f, "missing.pem");

	assert_int_equal(cs_decode_file(f->dec, path, &f->res), -1);
	assert_int_equal(f->res.objects.n, 0);
	assert_int_equal(f->res.errors.n, 1);
	d = f->res.errors.v[0];
	assert_string_equal(d->path, path);
	tu_assert_contains(d->message, "cannot open");
}

/* --- cs_passin_read -------------------------------------------------- */

static void
test_cs_passin_read_pass(void **state)
{
	char	 err[128] = "", *pw;

	(void)state;
	assert_non_null(pw = cs_passin_read("pass:s3cret word", err, sizeof(err)));
	assert_string_equal(pw, "s3cret word");
	free(pw);
	assert_non_null(pw = cs_passin_read("pass:", err, sizeof(err)));
	assert_string_equal(pw, "");
	free(pw);
}

static void
test_cs_passin_read_env(void **state)
{
	char	 err[128] = "", *pw;

	(void)state;
	assert_int_equal(setenv("CS_TEST_PASSIN", "from-env", 1), 0);
	assert_non_null(pw = cs_passin_read("env:CS_TEST_PASSIN", err,
	    sizeof(err)));
	assert_string_equal(pw, "from-env");
	free(pw);
	assert_int_equal(unsetenv("CS_TEST_PASSIN"), 0);
	assert_null(cs_passin_read("env:CS_TEST_PASSIN", err, sizeof(err)));
	tu_assert_contains(err, "CS_TEST_PASSIN");
	tu_assert_contains(err, "not set");
}

static void
test_cs_passin_read_file(void **state)
{
	struct fixture	*f = *state;
	char		 err[256] = "", *pw;
	char		 spec[128];
	static const char text[] = "first line\r\nsecond line\n";

	write_file(scratch_path(f, "pass.txt"), text, sizeof(text) - 1);
	snprintf(spec, sizeof(spec), "file:%s", f->path);
	assert_non_null(pw = cs_passin_read(spec, err, sizeof(err)));
	assert_string_equal(pw, "first line");
	free(pw);

	snprintf(spec, sizeof(spec), "file:%s/missing", f->dir);
	assert_null(cs_passin_read(spec, err, sizeof(err)));
	tu_assert_contains(err, "cannot open");
}

static void
test_cs_passin_read_fd(void **state)
{
	char	 err[128] = "", spec[32], *pw;
	int	 fds[2];

	(void)state;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "piped\nnot this\n", 15), 15);
	close(fds[1]);
	snprintf(spec, sizeof(spec), "fd:%d", fds[0]);
	pw = cs_passin_read(spec, err, sizeof(err));
	close(fds[0]);
	assert_non_null(pw);
	assert_string_equal(pw, "piped");
	free(pw);

	assert_null(cs_passin_read("fd:seven", err, sizeof(err)));
	tu_assert_contains(err, "file descriptor");
	assert_null(cs_passin_read("fd:", err, sizeof(err)));
	assert_null(cs_passin_read("fd:-1", err, sizeof(err)));
}

static void
test_cs_passin_read_unknown(void **state)
{
	char	 err[128] = "";

	(void)state;
	assert_null(cs_passin_read("secret", err, sizeof(err)));
	tu_assert_contains(err, "unknown form");
	err[0] = '\0';
	assert_null(cs_passin_read("PASS:secret", err, sizeof(err)));
	tu_assert_contains(err, "unknown form");
}

/* --- cs_read_file ---------------------------------------------------- */

static void
test_cs_read_file_directory(void **state)
{
	struct fixture	*f = *state;
	unsigned char	*buf = (unsigned char *)"x";
	size_t		 len = 1;
	char		 err[128] = "";

	assert_int_equal(cs_read_file(f->dir, 1024, &buf, &len, err,
	    sizeof(err)), -1);
	tu_assert_contains(err, "is a directory");
	assert_null(buf);
	assert_int_equal(len, 0);
}

static void
test_cs_read_file_missing(void **state)
{
	struct fixture	*f = *state;
	unsigned char	*buf = NULL;
	size_t		 len = 0;
	char		 err[128] = "";

	assert_int_equal(cs_read_file(scratch_path(f, "nope"), 1024, &buf, &len,
	    err, sizeof(err)), -1);
	tu_assert_contains(err, "cannot open");
	tu_assert_contains(err, strerror(ENOENT));
	assert_null(buf);
}

static void
test_cs_read_file_above_max(void **state)
{
	struct fixture	*f = *state;
	unsigned char	 data[100], *buf = NULL;
	size_t		 len = 0;
	char		 err[128] = "";

	memset(data, 'a', sizeof(data));
	write_file(scratch_path(f, "big"), data, sizeof(data));
	assert_int_equal(cs_read_file(f->path, sizeof(data) - 1, &buf, &len,
	    err, sizeof(err)), -1);
	tu_assert_contains(err, "ceiling");
	assert_null(buf);

	/* Exactly at the ceiling is fine. */
	assert_int_equal(cs_read_file(f->path, sizeof(data), &buf, &len, err,
	    sizeof(err)), 0);
	assert_int_equal(len, sizeof(data));
	assert_memory_equal(buf, data, sizeof(data));
	free(buf);
}

static void
test_cs_read_file_empty(void **state)
{
	struct fixture	*f = *state;
	unsigned char	*buf = NULL;
	size_t		 len = 1;
	char		 err[128] = "";

	write_file(scratch_path(f, "empty"), "", 0);
	assert_int_equal(cs_read_file(f->path, 1024, &buf, &len, err,
	    sizeof(err)), 0);
	assert_int_equal(len, 0);
	free(buf);
}

/* A pipe has no size to check up front: the ceiling applies while reading. */
static void
test_cs_read_file_pipe_above_max(void **state)
{
	unsigned char	*buf = NULL;
	size_t		 len = 0;
	char		 err[128] = "", path[32];
	int		 fds[2], rc;

	(void)state;
	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "0123456789abcdefghij", 20), 20);
	close(fds[1]);
	snprintf(path, sizeof(path), "/dev/fd/%d", fds[0]);
	rc = cs_read_file(path, 10, &buf, &len, err, sizeof(err));
	close(fds[0]);
	assert_int_equal(rc, -1);
	tu_assert_contains(err, "ceiling");
	assert_null(buf);

	assert_int_equal(pipe(fds), 0);
	assert_int_equal(write(fds[1], "0123456789", 10), 10);
	close(fds[1]);
	snprintf(path, sizeof(path), "/dev/fd/%d", fds[0]);
	rc = cs_read_file(path, 10, &buf, &len, err, sizeof(err));
	close(fds[0]);
	assert_int_equal(rc, 0);
	assert_int_equal(len, 10);
	assert_memory_equal(buf, "0123456789", 10);
	free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_cs_decode_buffer_two_certs_with_text),
		T(test_cs_decode_buffer_crlf),
		T(test_cs_decode_buffer_bad_base64_block),
		T(test_cs_decode_buffer_empty),
		T(test_cs_decode_buffer_not_x509),
		T(test_cs_decode_buffer_der_cert),
		T(test_cs_decode_buffer_der_with_begin_in_name),
		T(test_cs_decode_buffer_der_trailing),
		T(test_cs_decode_buffer_der_truncated),
		T(test_cs_decode_buffer_der_shaped_but_malformed),
		T(test_cs_decode_buffer_unknown_label_block),
		T(test_cs_decode_buffer_encrypted_right_password),
		T(test_cs_decode_buffer_encrypted_der),
		T(test_cs_decode_buffer_encrypted_traditional),
		T(test_cs_decode_buffer_encrypted_wrong_password),
		T(test_cs_decode_buffer_encrypted_no_callback),
		T(test_cs_decode_buffer_encrypted_asks_once),
		T(test_cs_decode_buffer_same_spki),
		T(test_cs_decode_file_pem),
		T(test_cs_decode_file_missing),
		T(test_cs_passin_read_pass),
		T(test_cs_passin_read_env),
		T(test_cs_passin_read_file),
		T(test_cs_passin_read_fd),
		T(test_cs_passin_read_unknown),
		T(test_cs_read_file_directory),
		T(test_cs_read_file_missing),
		T(test_cs_read_file_above_max),
		T(test_cs_read_file_empty),
		T(test_cs_read_file_pipe_above_max),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

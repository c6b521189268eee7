/*
 * test_report - the JSON contract (cs_object_json, cs_diag_json,
 * cs_json_bytes) and the reporters (json, jsonl, text) writing to memory.
 *
 * The objects come from the real decoder: a certificate built in memory
 * with known names, dates, serial and extensions is PEM-encoded and
 * decoded, and what the reporters make of it is checked.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "input/input.h"
#include "report/report.h"
#include "testutil.h"

#define PATH	"mem.pem"

struct fixture {
	EVP_PKEY		*key;		/* EC P-256 */
	X509			*cert;		/* see make_cert */
	unsigned char		 spki[32];
	struct cs_decoder	*dec;
	struct cs_result	 res;
	json_t			*json;		/* what the test parsed */
	char			*out;		/* a reporter's output */
	size_t			 outlen;
	FILE			*fp;		/* writes into out */
};

static int
add_ext(X509 *cert, int nid, const char *value)
{
	X509V3_CTX	 ctx;
	X509_EXTENSION	*ext;
	int		 ok;

	X509V3_set_ctx_nodb(&ctx);
	X509V3_set_ctx(&ctx, cert, cert, NULL, NULL, 0);
	if ((ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value)) == NULL)
		return 0;
	ok = X509_add_ext(cert, ext, -1);
	X509_EXTENSION_free(ext);
	return ok;
}

/* v3, serial 0x1234, CN (UTF8String) + O (PrintableString), valid from
 * 2024-01-01 to 2034-01-01, SANs and basicConstraints, self-signed. */
static X509 *
make_cert(EVP_PKEY *key, const char *cn)
{
	X509		*cert;
	X509_NAME	*name;

	if ((cert = X509_new()) == NULL)
		return NULL;
	name = X509_get_subject_name(cert);
	if (!X509_set_version(cert, X509_VERSION_3) ||
	    !ASN1_INTEGER_set(X509_get_serialNumber(cert), 0x1234) ||
	    !X509_NAME_add_entry_by_txt(name, "CN", V_ASN1_UTF8STRING,
	    (const unsigned char *)cn, -1, -1, 0) ||
	    !X509_NAME_add_entry_by_txt(name, "O", V_ASN1_PRINTABLESTRING,
	    (const unsigned char *)"Example Org", -1, -1, 0) ||
	    !X509_set_issuer_name(cert, name) ||
	    !ASN1_TIME_set_string_X509(X509_getm_notBefore(cert),
	    "20240101000000Z") ||
	    !ASN1_TIME_set_string_X509(X509_getm_notAfter(cert),
	    "20340101120000Z") ||
	    !X509_set_pubkey(cert, key) ||
	    !add_ext(cert, NID_basic_constraints, "critical,CA:FALSE") ||
	    !add_ext(cert, NID_subject_alt_name,
	    "DNS:report.example,IP:192.0.2.1") ||
	    X509_sign(cert, key, EVP_sha256()) <= 0) {
		X509_free(cert);
		return NULL;
	}
	return cert;
}

static int
setup(void **state)
{
	struct cs_decoder_opts	 opts = { 0 };
	struct fixture		*f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	*state = f;
	if ((f->key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256")) == NULL ||
	    (f->cert = make_cert(f->key, "report.example")) == NULL ||
	    (f->dec = cs_decoder_new(&opts)) == NULL ||
	    (f->fp = open_memstream(&f->out, &f->outlen)) == NULL ||
	    tu_spki_sha256(f->key, f->spki) == -1)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	if (f == NULL)
		return 0;
	if (f->fp != NULL)
		fclose(f->fp);
	free(f->out);
	json_decref(f->json);
	cs_result_release(&f->res);
	cs_decoder_free(f->dec);
	X509_free(f->cert);
	EVP_PKEY_free(f->key);
	free(f);
	return 0;
}

/* Decode what a memory BIO holds; it must be exactly one object. */
static const struct cs_object *
decode_bio(struct fixture *f, BIO *bio)
{
	char	*data;
	long	 len;

	len = BIO_get_mem_data(bio, &data);
	assert_true(len > 0);
	cs_decode_buffer(f->dec, PATH, (unsigned char *)data, (size_t)len,
	    &f->res);
	assert_int_equal(f->res.objects.n, 1);
	return f->res.objects.v[0];
}

static const struct cs_object *
decode_cert(struct fixture *f, X509 *cert)
{
	const struct cs_object	*obj;
	BIO			*bio;

	assert_non_null(bio = BIO_new(BIO_s_mem()));
	assert_true(PEM_write_bio_X509(bio, cert));
	obj = decode_bio(f, bio);
	BIO_free(bio);
	assert_int_equal(f->res.errors.n, 0);
	return obj;
}

/* The reporter output so far, NUL-terminated, in f->out / f->outlen. */
static const char *
output(struct fixture *f)
{
	assert_int_equal(fclose(f->fp), 0);
	f->fp = NULL;
	assert_non_null(f->out);
	return f->out;
}

static json_t *
get(const json_t *obj, const char *key)
{
	json_t	*v;

	assert_true(json_is_object(obj));
	if ((v = json_object_get(obj, key)) == NULL)
		fail_msg("no member \"%s\"", key);
	return v;
}

static const char *
get_str(const json_t *obj, const char *key)
{
	json_t	*v = get(obj, key);

	if (!json_is_string(v))
		fail_msg("member \"%s\" is not a string", key);
	return json_string_value(v);
}

static json_int_t
get_int(const json_t *obj, const char *key)
{
	json_t	*v = get(obj, key);

	if (!json_is_integer(v))
		fail_msg("member \"%s\" is not an integer", key);
	return json_integer_value(v);
}

static json_t *
get_array(const json_t *obj, const char *key, size_t n)
{
	json_t	*v = get(obj, key);

	if (!json_is_array(v))
		fail_msg("member \"%s\" is not an array", key);
	assert_int_equal(json_array_size(v), n);
	return v;
}

/* --- cs_object_json -------------------------------------------------- */

static void
test_cs_object_json_cert_source_and_names(void **state)
{
	struct fixture	*f = *state;
	json_t		*src, *subject, *a;

	f->json = cs_object_json(decode_cert(f, f->cert));
	assert_non_null(f->json);

	src = get(f->json, "source");
	assert_string_equal(get_str(src, "path"), PATH);
	assert_int_equal(get_int(src, "index"), 0);
	assert_string_equal(get_str(src, "encoding"), "pem");
	assert_true(json_is_null(get(src, "container")));
	assert_string_equal(get_str(f->json, "kind"), "certificate");
	assert_int_equal(get_int(f->json, "version"), 3);

	subject = get_array(f->json, "subject", 2);
	a = json_array_get(subject, 0);
	assert_string_equal(get_str(a, "type"), "CN");
	assert_string_equal(get_str(a, "oid"), "2.5.4.3");
	assert_string_equal(get_str(a, "value"), "report.example");
	assert_string_equal(get_str(a, "string_type"), "UTF8String");
	a = json_array_get(subject, 1);
	assert_string_equal(get_str(a, "type"), "O");
	assert_string_equal(get_str(a, "oid"), "2.5.4.10");
	assert_string_equal(get_str(a, "value"), "Example Org");
	assert_string_equal(get_str(a, "string_type"), "PrintableString");
	/* Self-signed: the issuer is the subject. */
	assert_true(json_equal(get(f->json, "issuer"), subject));
}

static void
test_cs_object_json_cert_sans(void **state)
{
	struct fixture	*f = *state;
	json_t		*sans;

	f->json = cs_object_json(decode_cert(f, f->cert));
	assert_non_null(f->json);
	sans = get_array(f->json, "sans", 2);
	assert_string_equal(get_str(json_array_get(sans, 0), "type"), "dns");
	assert_string_equal(get_str(json_array_get(sans, 0), "value"),
	    "report.example");
	assert_string_equal(get_str(json_array_get(sans, 1), "type"), "ip");
	assert_string_equal(get_str(json_array_get(sans, 1), "value"),
	    "192.0.2.1");
}

static void
test_cs_object_json_cert_key_and_signature(void **state)
{
	struct fixture	*f = *state;
	json_t		*key, *sig;
	char		 hex[65];
	size_t		 i;

	f->json = cs_object_json(decode_cert(f, f->cert));
	assert_non_null(f->json);
	key = get(f->json, "key");
	assert_string_equal(get_str(key, "algorithm"), "ec");
	assert_int_equal(get_int(key, "bits"), 256);
	assert_string_equal(get_str(key, "curve"), "P-256");
	for (i = 0; i < sizeof(f->spki); i++)
		snprintf(hex + 2 * i, 3, "%02x", f->spki[i]);
	assert_string_equal(get_str(key, "spki_sha256"), hex);
	assert_true(json_is_false(get(key, "locked")));

	sig = get(f->json, "signature");
	assert_string_equal(get_str(sig, "algorithm"), "ecdsa-with-SHA256");
	assert_string_equal(get_str(sig, "hash"), "sha256");
	assert_true(json_is_true(get(sig, "valid")));
}

static void
test_cs_object_json_cert_validity_serial_extensions(void **state)
{
	struct fixture	*f = *state;
	json_t		*v, *exts, *e, *bc = NULL;
	size_t		 i;

	f->json = cs_object_json(decode_cert(f, f->cert));
	assert_non_null(f->json);
	v = get(f->json, "validity");
	assert_string_equal(get_str(v, "not_before"), "2024-01-01T00:00:00Z");
	assert_string_equal(get_str(v, "not_after"), "2034-01-01T12:00:00Z");
	assert_string_equal(get_str(f->json, "serial"), "1234");

	exts = get_array(f->json, "extensions", 2);
	for (i = 0; i < json_array_size(exts); i++) {
		e = json_array_get(exts, i);
		assert_non_null(get_str(e, "oid"));
		assert_non_null(get_str(e, "value"));
		assert_true(json_is_boolean(get(e, "critical")));
		if (strcmp(get_str(e, "oid"), "2.5.29.19") == 0)
			bc = e;
	}
	assert_non_null(bc);
	assert_string_equal(get_str(bc, "name"), "basicConstraints");
	assert_true(json_is_true(get(bc, "critical")));
	tu_assert_contains(get_str(bc, "value"), "CA:FALSE");

	get_array(f->json, "findings", 0);
	assert_true(json_is_false(get(f->json, "trusted")));
}

static void
test_cs_object_json_locked_key(void **state)
{
	struct fixture	*f = *state;
	json_t		*key;
	BIO		*bio;

	/* An encrypted key and no password: locked, no fingerprint. */
	assert_non_null(bio = BIO_new(BIO_s_mem()));
	assert_true(PEM_write_bio_PKCS8PrivateKey(bio, f->key,
	    EVP_aes_256_cbc(), NULL, 0, NULL, (void *)"secret"));
	f->json = cs_object_json(decode_bio(f, bio));
	BIO_free(bio);
	assert_non_null(f->json);
	assert_string_equal(get_str(f->json, "kind"), "private-key");
	assert_true(json_is_null(get(f->json, "subject")));
	assert_true(json_is_null(get(f->json, "version")));
	assert_true(json_is_null(get(f->json, "signature")));
	assert_true(json_is_null(get(f->json, "validity")));
	key = get(f->json, "key");
	assert_true(json_is_true(get(key, "locked")));
	assert_true(json_is_null(get(key, "spki_sha256")));
	assert_true(json_is_null(get(key, "bits")));
	get_array(f->json, "findings", 0);
}

/* --- cs_json_bytes / cs_diag_json ------------------------------------- */

static void
test_cs_json_bytes_invalid_utf8(void **state)
{
	struct fixture	*f = *state;
	static const char bad[] = "ab\xff\xfe\x01z";

	f->json = cs_json_bytes(bad, sizeof(bad) - 1);
	assert_non_null(f->json);
	assert_true(json_is_string(f->json));
	assert_string_equal(json_string_value(f->json), "ab\\xff\\xfe\\x01z");
}

static void
test_cs_json_bytes_valid_utf8(void **state)
{
	struct fixture	*f = *state;
	json_t		*j;

	/* Valid UTF-8 is kept as it is, NUL included. */
	f->json = cs_json_bytes("caf\xc3\xa9", 5);
	assert_non_null(f->json);
	assert_string_equal(json_string_value(f->json), "caf\xc3\xa9");
	assert_non_null(j = cs_json_bytes("a\0b", 3));
	assert_int_equal(json_string_length(j), 3);
	assert_memory_equal(json_string_value(j), "a\0b", 3);
	json_decref(j);
	assert_non_null(j = cs_json_bytes(NULL, 0));
	assert_true(json_is_null(j));
	json_decref(j);
}

static void
test_cs_json_bytes_truncated_sequence(void **state)
{
	struct fixture	*f = *state;

	/* The first byte of a two-byte sequence, then the end. */
	f->json = cs_json_bytes("x\xc3", 2);
	assert_non_null(f->json);
	assert_string_equal(json_string_value(f->json), "x\\xc3");
}

static void
test_cs_diag_json_fields(void **state)
{
	struct fixture	*f = *state;
	struct cs_diag	 d = { .path = "in.pem", .index = 2,
	    .message = "block 3: bad base64 in the PEM body" };

	f->json = cs_diag_json(&d);
	assert_non_null(f->json);
	assert_string_equal(get_str(f->json, "path"), "in.pem");
	assert_int_equal(get_int(f->json, "index"), 2);
	assert_string_equal(get_str(f->json, "message"), d.message);
}

/* --- reporters ------------------------------------------------------- */

static void
test_cs_format_parse_names(void **state)
{
	enum cs_format	 fmt = CS_FMT_TEXT;

	(void)state;
	assert_int_equal(cs_format_parse("json", &fmt), 0);
	assert_int_equal(fmt, CS_FMT_JSON);
	assert_int_equal(cs_format_parse("jsonl", &fmt), 0);
	assert_int_equal(fmt, CS_FMT_JSONL);
	assert_int_equal(cs_format_parse("text", &fmt), 0);
	assert_int_equal(fmt, CS_FMT_TEXT);
	assert_int_equal(cs_format_parse("JSON", &fmt), -1);
	assert_int_equal(cs_format_parse("xml", &fmt), -1);
	assert_int_equal(cs_format_parse("", &fmt), -1);
}

static struct cs_reporter *
reporter(struct fixture *f, enum cs_format fmt)
{
	struct cs_report_opts	 opts = {
		.out = f->fp, .color = 0, .version = "0.0-test",
	};
	struct cs_reporter	*rep;

	assert_non_null(rep = cs_reporter_new(fmt, &opts));
	return rep;
}

static void
test_cs_reporter_json_document(void **state)
{
	struct fixture		*f = *state;
	struct cs_reporter	*rep = reporter(f, CS_FMT_JSON);
	struct cs_diag		 err = { .path = "bad.pem", .index = 0,
	    .message = "block 2: bad base64 in the PEM body" };
	struct cs_diag		 skip = { .path = "crl.pem", .index = 0,
	    .message = "certificate revocation list skipped" };
	json_error_t		 jerr;
	json_t			*tool, *objs;

	assert_int_equal(cs_report_object(rep, decode_cert(f, f->cert)), 0);
	assert_int_equal(cs_report_error(rep, &err), 0);
	assert_int_equal(cs_report_skipped(rep, &skip), 0);
	assert_int_equal(cs_report_end(rep), 0);
	cs_reporter_free(rep);

	f->json = json_loads(output(f), 0, &jerr);
	if (f->json == NULL)
		fail_msg("not JSON: %s (line %d)", jerr.text, jerr.line);
	assert_string_equal(get_str(f->json, "schema"), "certsmith/1");
	assert_string_equal(get_str(f->json, "schema"), CS_SCHEMA);
	tool = get(f->json, "tool");
	assert_string_equal(get_str(tool, "name"), "certsmith");
	assert_string_equal(get_str(tool, "version"), "0.0-test");
	objs = get_array(f->json, "objects", 1);
	assert_string_equal(get_str(json_array_get(objs, 0), "kind"),
	    "certificate");
	assert_string_equal(get_str(json_array_get(get_array(f->json, "errors",
	    1), 0), "message"), err.message);
	assert_string_equal(get_str(json_array_get(get_array(f->json,
	    "skipped", 1), 0), "path"), "crl.pem");
}

static void
test_cs_reporter_json_empty_run(void **state)
{
	struct fixture		*f = *state;
	struct cs_reporter	*rep = reporter(f, CS_FMT_JSON);
	json_error_t		 jerr;

	assert_int_equal(cs_report_end(rep), 0);
	cs_reporter_free(rep);
	f->json = json_loads(output(f), 0, &jerr);
	assert_non_null(f->json);
	assert_string_equal(get_str(f->json, "schema"), "certsmith/1");
	get_array(f->json, "objects", 0);
	get_array(f->json, "errors", 0);
	get_array(f->json, "skipped", 0);
}

static void
test_cs_reporter_json_copies_objects(void **state)
{
	struct fixture		*f = *state;
	struct cs_reporter	*rep = reporter(f, CS_FMT_JSON);
	json_error_t		 jerr;

	/* The objects are released before the document is written. */
	assert_int_equal(cs_report_object(rep, decode_cert(f, f->cert)), 0);
	cs_result_release(&f->res);
	assert_int_equal(cs_report_end(rep), 0);
	cs_reporter_free(rep);
	f->json = json_loads(output(f), 0, &jerr);
	assert_non_null(f->json);
	assert_string_equal(get_str(json_array_get(get_array(f->json, "objects",
	    1), 0), "serial"), "1234");
}

static void
test_cs_reporter_jsonl_lines(void **state)
{
	struct fixture		*f = *state;
	struct cs_reporter	*rep = reporter(f, CS_FMT_JSONL);
	struct cs_diag		 err = { .path = "bad.pem", .index = 1,
	    .message = "trailing data" };
	const char		*line, *nl;
	static const char *const types[] = { "object", "error" };
	json_error_t		 jerr;
	json_t			*rec;
	size_t			 i;

	assert_int_equal(cs_report_object(rep, decode_cert(f, f->cert)), 0);
	assert_int_equal(cs_report_error(rep, &err), 0);
	assert_int_equal(cs_report_end(rep), 0);
	cs_reporter_free(rep);

	line = output(f);
	for (i = 0; i < 2; i++) {
		assert_non_null(nl = strchr(line, '\n'));
		rec = json_loadb(line, (size_t)(nl - line), 0, &jerr);
		if (rec == NULL)
			fail_msg("line %zu is not JSON: %s", i + 1, jerr.text);
		f->json = rec;
		assert_string_equal(get_str(rec, "schema"), "certsmith/1");
		assert_string_equal(get_str(rec, "type"), types[i]);
		assert_true(json_is_object(get(rec, types[i])));
		json_decref(rec);
		f->json = NULL;
		line = nl + 1;
	}
	assert_string_equal(line, "");
}

/*
 * cs_jsonl_line writes a record member by member: its line must be byte
 * for byte jansson's compact dump of the same record built as a tree, for
 * every kind of member and string (plain, escaped, not UTF-8, longer than
 * the line's own buffer).
 */
static char *
dumped_record(const char *type, json_t *item)
{
	json_t	*rec;
	char	*s, *line;

	rec = json_pack("{s:s,s:s,s:o}", "schema", "certsmith/1", "type",
	    type, type, item);
	assert_non_null(rec);
	s = json_dumps(rec, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(rec);
	assert_non_null(s);
	assert_non_null(line = malloc(strlen(s) + 2));
	snprintf(line, strlen(s) + 2, "%s\n", s);
	free(s);
	return line;
}

/* Reopens the fixture's stream that output() closed. */
static void
reopen_output(struct fixture *f)
{
	if (f->fp == NULL) {
		free(f->out);
		f->out = NULL;
		assert_non_null(f->fp = open_memstream(&f->out, &f->outlen));
	}
}

static void
test_cs_jsonl_line_bytes(void **state)
{
	struct fixture		*f = *state;
	static const char *const strs[] = {
		"/srv/a b/c.pem", "", "q\"uote", "back\\slash", "tab\tnl\n",
		"del\x7f", "caf\xc3\xa9", "bad\xff\xfe", "MIIB+/==",
	};
	static const json_int_t ints[] = { 0, -1, 1829763194,
	    (json_int_t)1 << 62 };
	struct cs_jsonl_line	 l;
	char			 name[16], big[5000], *want;
	json_t			*item;
	size_t			 i;

	reopen_output(f);
	assert_non_null(item = json_object());
	cs_jsonl_line_begin(&l, "object");
	for (i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
		snprintf(name, sizeof(name), "s%zu", i);
		cs_jsonl_line_str(&l, name, strs[i], strlen(strs[i]));
		json_object_set_new(item, name, cs_json_bytes(strs[i],
		    strlen(strs[i])));
	}
	for (i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
		snprintf(name, sizeof(name), "i%zu", i);
		cs_jsonl_line_int(&l, name, ints[i]);
		json_object_set_new(item, name, json_integer(ints[i]));
	}
	cs_jsonl_line_bool(&l, "t", 1);
	cs_jsonl_line_bool(&l, "f", 0);
	json_object_set_new(item, "t", json_true());
	json_object_set_new(item, "f", json_false());
	memset(big, 'x', sizeof(big));	/* past the line's own buffer */
	big[100] = '"';
	cs_jsonl_line_str(&l, "big", big, sizeof(big));
	json_object_set_new(item, "big", cs_json_bytes(big, sizeof(big)));
	big[100] = 'x';			/* plain, and grown again */
	cs_jsonl_line_str(&l, "big2", big, sizeof(big));
	cs_jsonl_line_str(&l, "big3", big, sizeof(big));
	json_object_set_new(item, "big2", cs_json_bytes(big, sizeof(big)));
	json_object_set_new(item, "big3", cs_json_bytes(big, sizeof(big)));
	cs_jsonl_line_str(&l, "none", NULL, 0);
	json_object_set_new(item, "none", json_null());
	assert_int_equal(cs_jsonl_line_end(&l, f->fp), 0);
	want = dumped_record("object", item);
	if (strcmp(output(f), want) != 0)
		fail_msg("got  %s\nwant %s", f->out, want);
	free(want);

	reopen_output(f);			/* no member at all */
	cs_jsonl_line_begin(&l, "summary");
	assert_int_equal(cs_jsonl_line_end(&l, f->fp), 0);
	want = dumped_record("summary", json_object());
	assert_string_equal(output(f), want);
	free(want);
}

/* cs_jsonl_record: the envelope as text, the item dumped by jansson; an
 * item too long for its buffer takes another way to the same bytes; a
 * type that is not the code's own is refused. */
static void
test_cs_jsonl_record_bytes(void **state)
{
	struct fixture	*f = *state;
	static const char *const types[] = { "pair", "pair" };
	char		 big[9000], *want;
	json_t		*item;
	size_t		 i;

	memset(big, 'y', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	big[7] = '\\';
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		reopen_output(f);
		item = json_pack("{s:s,s:[s,i],s:b}", "spki_sha256", "ab01",
		    "keys", i == 1 ? big : "k\"1", 2, "ok", 1);
		assert_non_null(item);
		want = dumped_record(types[i], json_deep_copy(item));
		assert_int_equal(cs_jsonl_record(f->fp, types[i], item), 0);
		if (strcmp(output(f), want) != 0)
			fail_msg("%zu: got %.200s\nwant %.200s", i, f->out, want);
		free(want);
	}
}

/* A type that is not a plain name fails and writes nothing; so does a
 * record without an item. */
static void
test_cs_jsonl_line_refused(void **state)
{
	struct fixture		*f = *state;
	struct cs_jsonl_line	 l;
	char			 grown[3000];

	cs_jsonl_line_begin(&l, "odd\"type");
	cs_jsonl_line_str(&l, "p", "x", 1);
	assert_int_equal(cs_jsonl_line_end(&l, f->fp), -1);
	cs_jsonl_line_begin(&l, "schema");	/* would be a second "schema" */
	assert_int_equal(cs_jsonl_line_end(&l, f->fp), -1);
	memset(grown, 'g', sizeof(grown));
	cs_jsonl_line_begin(&l, "object");	/* grown, then a bad name */
	cs_jsonl_line_str(&l, "q", grown, sizeof(grown));
	cs_jsonl_line_int(&l, "Bad name", 1);
	assert_int_equal(cs_jsonl_line_end(&l, f->fp), -1);
	assert_int_equal(cs_jsonl_record(f->fp, "object", NULL), -1);
	assert_int_equal(cs_jsonl_record(f->fp, "odd-type", json_object()),
	    -1);
	assert_int_equal(cs_jsonl_record(f->fp, "type", json_object()), -1);
	assert_string_equal(output(f), "");
}

static void
test_cs_reporter_text_escapes_control(void **state)
{
	struct fixture		*f = *state;
	struct cs_reporter	*rep = reporter(f, CS_FMT_TEXT);
	X509			*evil;
	const char		*out;

	/* A CN that would turn a terminal red. */
	assert_non_null(evil = make_cert(f->key, "\x1b[31mred"));
	assert_int_equal(cs_report_object(rep, decode_cert(f, evil)), 0);
	X509_free(evil);
	assert_int_equal(cs_report_end(rep), 0);
	cs_reporter_free(rep);

	out = output(f);
	tu_assert_contains(out, "mem.pem#0: certificate");
	tu_assert_contains(out, "CN=\\x1b[31mred");
	assert_null(memchr(f->out, 0x1b, f->outlen));
}

static void
test_cs_reporter_text_error_escapes(void **state)
{
	struct fixture		*f = *state;
	struct cs_reporter	*rep = reporter(f, CS_FMT_TEXT);
	struct cs_diag		 d = { .path = "evil\x1b]0;title\x07.pem",
	    .index = 0, .message = "block 1 (\x1b[2J): unsupported PEM label" };
	const char		*out;

	assert_int_equal(cs_report_error(rep, &d), 0);
	assert_int_equal(cs_report_end(rep), 0);
	cs_reporter_free(rep);
	out = output(f);
	tu_assert_contains(out, "evil\\x1b]0;title\\x07.pem: error: ");
	tu_assert_contains(out, "block 1 (\\x1b[2J)");
	assert_null(memchr(f->out, 0x1b, f->outlen));
	assert_null(memchr(f->out, 0x07, f->outlen));
}

static void
test_cs_text_escaped_controls(void **state)
{
	struct fixture	*f = *state;
	static const char in[] = "a\tb\x7f" "c\xc2\x9b" "d\xc3\xa9\n";

	cs_text_escaped(f->fp, in, sizeof(in) - 1);
	/* C0, DEL and UTF-8 C1 controls are escaped; other UTF-8 is kept. */
	assert_string_equal(output(f), "a\\x09b\\x7fc\\u009bd\xc3\xa9\\x0a");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_cs_object_json_cert_source_and_names),
		T(test_cs_object_json_cert_sans),
		T(test_cs_object_json_cert_key_and_signature),
		T(test_cs_object_json_cert_validity_serial_extensions),
		T(test_cs_object_json_locked_key),
		T(test_cs_json_bytes_invalid_utf8),
		T(test_cs_json_bytes_valid_utf8),
		T(test_cs_json_bytes_truncated_sequence),
		T(test_cs_diag_json_fields),
		T(test_cs_format_parse_names),
		T(test_cs_reporter_json_document),
		T(test_cs_reporter_json_empty_run),
		T(test_cs_reporter_json_copies_objects),
		T(test_cs_reporter_jsonl_lines),
		T(test_cs_jsonl_line_bytes),
		T(test_cs_jsonl_line_refused),
		T(test_cs_jsonl_record_bytes),
		T(test_cs_reporter_text_escapes_control),
		T(test_cs_reporter_text_error_escapes),
		T(test_cs_text_escaped_controls),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Unit tests for src/fix: edits of a request, signing, the config reader. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/evp.h>
#include <openssl/x509v3.h>

#include "fix/fix.h"
#include "testutil.h"

struct fixture {
	EVP_PKEY	*key;
	char		 dir[256];
	char		*path;
};

static int
setup(void **state)
{
	struct fixture	*fx = calloc(1, sizeof(*fx));

	if (fx == NULL ||
	    (fx->key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256")) == NULL ||
	    tu_mkdtemp(fx->dir, sizeof(fx->dir), "/tmp/test_fix.XXXXXX") == -1)
		return -1;
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*fx = *state;

	tu_rm_dir(fx->dir);
	free(fx->path);
	EVP_PKEY_free(fx->key);
	free(fx);
	return 0;
}

/* Adds a copy of ext to *exts and frees ext. */
static void
add_ext(STACK_OF(X509_EXTENSION) **exts, X509_EXTENSION *ext)
{
	assert_non_null(ext);
	assert_non_null(X509v3_add_ext(exts, ext, -1));
	X509_EXTENSION_free(ext);
}

static void
release_notes(struct cs_vec *notes)
{
	size_t	 i;

	for (i = 0; i < notes->n; i++)
		free(notes->v[i]);
	cs_vec_release(notes);
}

/* A request with the given subject ("/C=AU/O=X/CN=y", '+' for a
 * multi-valued RDN) and extensions (NULL: none), signed with key. */
static X509_REQ *
make_req(EVP_PKEY *key, const char *subj, const char *san, const char *ku)
{
	X509_REQ			*req = X509_REQ_new();
	X509_NAME			*name = X509_NAME_new();
	STACK_OF(X509_EXTENSION)	*exts = sk_X509_EXTENSION_new_null();
	char				 buf[512], *p, *next, *eq;
	char				 sep, prev = '/';
	X509V3_CTX			 ctx;

	assert_non_null(req);
	snprintf(buf, sizeof(buf), "%s", subj);
	for (p = buf + 1; p != NULL && *p != '\0'; p = next, prev = sep) {
		next = strpbrk(p, "/+");
		sep = next != NULL ? *next : '\0';
		if (next != NULL)
			*next++ = '\0';
		eq = strchr(p, '=');
		assert_non_null(eq);
		*eq = '\0';
		/* An empty value only goes in with an explicit type. */
		assert_true(X509_NAME_add_entry_by_txt(name, p, eq[1] == '\0' ?
		    V_ASN1_UTF8STRING : MBSTRING_UTF8, (unsigned char *)eq + 1,
		    -1, -1, prev == '+' ? -1 : 0));
	}
	X509V3_set_ctx(&ctx, NULL, NULL, NULL, NULL, 0);
	X509V3_set_ctx_nodb(&ctx);
	if (san != NULL)
		add_ext(&exts, X509V3_EXT_nconf(NULL, &ctx, "subjectAltName",
		    san));
	if (ku != NULL)
		add_ext(&exts, X509V3_EXT_nconf(NULL, &ctx, "keyUsage", ku));
	assert_true(X509_REQ_set_subject_name(req, name));
	assert_true(X509_REQ_set_pubkey(req, key));
	if (sk_X509_EXTENSION_num(exts) > 0)
		assert_true(X509_REQ_add_extensions(req, exts));
	assert_true(X509_REQ_sign(req, key, EVP_sha256()) > 0);
	X509_NAME_free(name);
	sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
	return req;
}

/* The request's subject as one line ("C=AU, O=X, CN=y"). */
static void
subject_of(X509_REQ *req, char *buf, size_t size)
{
	BIO	*bio = BIO_new(BIO_s_mem());
	int	 n;

	X509_NAME_print_ex(bio, X509_REQ_get_subject_name(req), 0,
	    XN_FLAG_SEP_COMMA_PLUS | ASN1_STRFLGS_RFC2253);
	n = BIO_read(bio, buf, (int)size - 1);
	buf[n > 0 ? n : 0] = '\0';
	BIO_free(bio);
}

static X509_REQ *
signed_req(struct cs_fix *f, EVP_PKEY *key)
{
	char		 err[256];
	X509_REQ	*req = cs_fix_sign(f, key, NULL, err, sizeof(err));

	if (req == NULL)
		fail_msg("sign: %s", err);
	assert_int_equal(X509_REQ_verify(req, key), 1);
	return req;
}

static struct cs_fix *
fix_of(EVP_PKEY *key, const char *subj, const char *san, const char *ku)
{
	X509_REQ	*req = make_req(key, subj, san, ku);
	char		 err[256];
	struct cs_fix	*f = cs_fix_from_req(req, err, sizeof(err));

	X509_REQ_free(req);
	assert_non_null(f);
	return f;
}

static const struct cs_fix_change *
last_change(const struct cs_fix *f)
{
	const struct cs_vec	*v = cs_fix_changes(f);

	assert_true(v->n > 0);
	return v->v[v->n - 1];
}

static enum cs_fix_status
act(struct cs_fix *f, const char *action, const char *value,
    const char *target)
{
	char	 why[256];

	return cs_fix_action(f, action, value, target, "test", why, sizeof(why));
}

static void
assert_subject(struct cs_fix *f, EVP_PKEY *key, const char *want)
{
	X509_REQ	*req = signed_req(f, key);
	char		 got[512];

	subject_of(req, got, sizeof(got));
	assert_string_equal(got, want);
	X509_REQ_free(req);
}

/* --- subject ---------------------------------------------------------- */

static void
test_subject_remove_keeps_order(void **state)
{
	struct fixture	*fx = *state;
	struct cs_fix	*f = fix_of(fx->key, "/C=AU/ST=Some-State/O=Example/"
			    "CN=www.example.com", NULL, NULL);

	assert_int_equal(act(f, "remove-subject", "ST", "Some-State"),
	    CS_FIX_APPLIED);
	assert_string_equal(last_change(f)->field, "subject.ST");
	assert_string_equal(last_change(f)->before, "Some-State");
	assert_null(last_change(f)->after);
	assert_subject(f, fx->key, "C=AU,O=Example,CN=www.example.com");
	assert_int_equal(act(f, "remove-subject", "ST", NULL), CS_FIX_NOOP);
	cs_fix_free(f);
}

static void
test_subject_remove_target_value(void **state)
{
	struct fixture	*fx = *state;
	struct cs_fix	*f = fix_of(fx->key, "/O=Example/OU=Ops/OU=/CN=a.example",
			    NULL, NULL);

	/* The empty OU goes, the other stays. */
	assert_int_equal(act(f, "remove-subject", "OU", ""), CS_FIX_APPLIED);
	assert_subject(f, fx->key, "O=Example,OU=Ops,CN=a.example");
	cs_fix_free(f);
}

static void
test_subject_set_in_place_and_multivalued(void **state)
{
	struct fixture	*fx = *state;
	struct cs_fix	*f = fix_of(fx->key, "/C=gb/O=Example+OU=Web/CN=a.example",
			    NULL, NULL);

	assert_int_equal(act(f, "set-subject", "C=GB", "gb"), CS_FIX_APPLIED);
	assert_string_equal(last_change(f)->before, "gb");
	assert_string_equal(last_change(f)->after, "GB");
	/* A SET OF in DER order: the shorter OU first. */
	assert_subject(f, fx->key, "C=GB,OU=Web+O=Example,CN=a.example");
	assert_int_equal(act(f, "set-subject", "C=GB", NULL), CS_FIX_NOOP);
	cs_fix_free(f);
}

static void
test_subject_set_string_type(void **state)
{
	struct fixture		*fx = *state;
	X509_REQ		*req = X509_REQ_new(), *out;
	X509_NAME		*name = X509_NAME_new();
	struct cs_fix		*f;
	const ASN1_STRING	*c;
	char			 err[256];

	/* C as a UTF8String: the same text as a PrintableString is a change. */
	assert_true(X509_NAME_add_entry_by_txt(name, "C", V_ASN1_UTF8STRING,
	    (const unsigned char *)"GB", -1, -1, 0));
	assert_true(X509_REQ_set_subject_name(req, name));
	assert_true(X509_REQ_set_pubkey(req, fx->key));
	assert_non_null(f = cs_fix_from_req(req, err, sizeof(err)));
	assert_int_equal(act(f, "set-subject", "C=GB", "GB"), CS_FIX_APPLIED);
	out = signed_req(f, fx->key);
	c = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(
	    X509_REQ_get_subject_name(out), 0));
	assert_int_equal(ASN1_STRING_type(c), V_ASN1_PRINTABLESTRING);
	assert_int_equal(act(f, "set-subject", "C=GB", "GB"), CS_FIX_NOOP);
	X509_REQ_free(out);
	X509_REQ_free(req);
	X509_NAME_free(name);
	cs_fix_free(f);
}

static void
test_subject_insert_order(void **state)
{
	struct fixture	*fx = *state;
	struct cs_fix	*f = fix_of(fx->key, "/O=Example/CN=a.example", NULL,
			    NULL);
	char		 why[256];

	assert_int_equal(cs_fix_set(f, "subject.C=DE", why, sizeof(why)),
	    CS_FIX_APPLIED);
	assert_int_equal(cs_fix_set(f, "subject.emailAddress=a@example.com",
	    why, sizeof(why)), CS_FIX_APPLIED);
	assert_subject(f, fx->key,
	    "C=DE,O=Example,CN=a.example,emailAddress=a@example.com");
	assert_int_equal(cs_fix_set(f, "subject.O=", why, sizeof(why)),
	    CS_FIX_APPLIED);
	assert_subject(f, fx->key,
	    "C=DE,CN=a.example,emailAddress=a@example.com");
	cs_fix_free(f);
}

static void
test_subject_bad_values(void **state)
{
	struct fixture	*fx = *state;
	struct cs_fix	*f = fix_of(fx->key, "/CN=a.example", NULL, NULL);
	char		 why[256];

	assert_int_equal(cs_fix_set(f, "subject.C=GBR", why, sizeof(why)),
	    CS_FIX_ERROR);
	tu_assert_contains(why, "C 'GBR'");
	assert_int_equal(cs_fix_set(f, "subject.notAType=x", why,
	    sizeof(why)), CS_FIX_ERROR);
	tu_assert_contains(why, "notAType");
	assert_int_equal(cs_fix_set(f, "issuer.CN=x", why, sizeof(why)),
	    CS_FIX_ERROR);
	assert_int_equal(cs_fix_set(f, "subject.CN", why, sizeof(why)),
	    CS_FIX_ERROR);
	assert_int_equal(cs_fix_changes(f)->n, 0);
	cs_fix_free(f);
}

/* --- subjectAltName --------------------------------------------------- */

static void
assert_sans(struct cs_fix *f, EVP_PKEY *key, const char *want)
{
	X509_REQ			*req = signed_req(f, key);
	STACK_OF(X509_EXTENSION)	*exts = X509_REQ_get_extensions(req);
	GENERAL_NAMES			*gens;
	char				 got[512] = "";
	int				 i;

	gens = X509V3_get_d2i(exts, NID_subject_alt_name, NULL, NULL);
	for (i = 0; i < sk_GENERAL_NAME_num(gens); i++) {
		const GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);
		const ASN1_STRING *s = g->type == GEN_DNS ? g->d.dNSName : NULL;

		snprintf(got + strlen(got), sizeof(got) - strlen(got), "%s%s",
		    i > 0 ? "," : "", s != NULL ?
		    (const char *)ASN1_STRING_get0_data(s) : g->type == GEN_IPADD ?
		    "(ip)" : "(other)");
	}
	assert_string_equal(got, want);
	GENERAL_NAMES_free(gens);
	sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
	X509_REQ_free(req);
}

static void
test_san_add_drop(void **state)
{
	struct fixture	*fx = *state;
	struct cs_fix	*f = fix_of(fx->key, "/CN=a.example",
			    "DNS:b.example,DNS:B.Example", NULL);
	char		 why[256];

	assert_int_equal(cs_fix_add_san(f, "dns:a.example", "t", why,
	    sizeof(why)), CS_FIX_APPLIED);
	assert_int_equal(cs_fix_add_san(f, "DNS:A.EXAMPLE", "t", why,
	    sizeof(why)), CS_FIX_NOOP);
	assert_int_equal(cs_fix_add_san(f, "ip:192.0.2.1", "t", why,
	    sizeof(why)), CS_FIX_APPLIED);
	/* The exact duplicate goes, the first spelling stays. */
	assert_int_equal(act(f, "remove-san", "dns:B.Example", NULL),
	    CS_FIX_APPLIED);
	assert_sans(f, fx->key, "b.example,a.example,(ip)");
	assert_int_equal(cs_fix_drop_san(f, "dns:c.example", "t", why,
	    sizeof(why)), CS_FIX_ERROR);
	tu_assert_contains(why, "no subjectAltName dns:c.example");
	assert_int_equal(cs_fix_add_san(f, "dns:bad name", "t", why,
	    sizeof(why)), CS_FIX_ERROR);
	assert_int_equal(cs_fix_add_san(f, "ip:999.1.1.1", "t", why,
	    sizeof(why)), CS_FIX_ERROR);
	assert_int_equal(cs_fix_add_san(f, "fax:123", "t", why, sizeof(why)),
	    CS_FIX_ERROR);
	assert_int_equal(cs_fix_add_san(f, "email:nobody", "t", why,
	    sizeof(why)), CS_FIX_ERROR);
	cs_fix_free(f);
}

static void
test_san_replace_in_place(void **state)
{
	struct fixture	*fx = *state;
	struct cs_fix	*f = fix_of(fx->key, "/CN=a.example",
			    "DNS:x.example,DNS:WWW.Example.com,DNS:y.example",
			    NULL);

	assert_int_equal(act(f, "replace-san", "dns:www.example.com",
	    "WWW.Example.com"), CS_FIX_APPLIED);
	assert_string_equal(last_change(f)->before, "dns:WWW.Example.com");
	assert_string_equal(last_change(f)->after, "dns:www.example.com");
	assert_sans(f, fx->key, "x.example,www.example.com,y.example");
	cs_fix_free(f);
}

static void
test_san_drop_last_removes_extension(void **state)
{
	struct fixture	*fx = *state;
	struct cs_fix	*f = fix_of(fx->key, "/CN=a.example", "DNS:a.example",
			    NULL);
	X509_REQ	*req;
	STACK_OF(X509_EXTENSION) *exts;
	char		 why[256];

	assert_int_equal(cs_fix_drop_san(f, "dns:a.example", "t", why,
	    sizeof(why)), CS_FIX_APPLIED);
	req = signed_req(f, fx->key);
	exts = X509_REQ_get_extensions(req);
	assert_int_equal(X509v3_get_ext_by_NID(exts, NID_subject_alt_name, -1),
	    -1);
	sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
	X509_REQ_free(req);
	cs_fix_free(f);
}

/* --- extensions, attributes, digest ----------------------------------- */

static void
test_extension_set_remove(void **state)
{
	struct fixture	*fx = *state;
	struct cs_fix	*f = fix_of(fx->key, "/CN=a.example", "DNS:a.example",
			    "critical,digitalSignature,keyEncipherment");

	assert_int_equal(act(f, "set-extension",
	    "keyUsage=critical,digitalSignature", NULL), CS_FIX_APPLIED);
	tu_assert_contains(last_change(f)->before, "Key Encipherment");
	assert_string_equal(last_change(f)->field, "extensions.keyUsage");
	assert_int_equal(act(f, "set-extension",
	    "keyUsage=critical,digitalSignature", NULL), CS_FIX_NOOP);
	assert_int_equal(act(f, "remove-extension", "keyUsage", NULL),
	    CS_FIX_APPLIED);
	assert_int_equal(act(f, "remove-extension", "2.5.29.15", NULL),
	    CS_FIX_NOOP);
	assert_int_equal(act(f, "set-extension", "keyUsage=sparkle", NULL),
	    CS_FIX_ERROR);
	assert_int_equal(act(f, "set-extension", "no equals", NULL),
	    CS_FIX_ERROR);
	/* The SAN is still there, first. */
	assert_sans(f, fx->key, "a.example");
	cs_fix_free(f);
}

static void
test_extension_dedupe(void **state)
{
	struct fixture			*fx = *state;
	X509_REQ			*req = make_req(fx->key, "/CN=a.example",
					    NULL, NULL), *out;
	STACK_OF(X509_EXTENSION)	*exts = NULL;
	struct cs_fix			*f;
	X509V3_CTX			 ctx;
	char				 err[256];

	X509V3_set_ctx(&ctx, NULL, NULL, NULL, NULL, 0);
	X509V3_set_ctx_nodb(&ctx);
	add_ext(&exts, X509V3_EXT_nconf(NULL, &ctx, "keyUsage",
	    "critical,digitalSignature"));
	add_ext(&exts, X509V3_EXT_nconf(NULL, &ctx, "keyUsage",
	    "critical,keyAgreement"));
	assert_true(X509_REQ_add_extensions(req, exts));
	assert_non_null(f = cs_fix_from_req(req, err, sizeof(err)));
	assert_int_equal(act(f, "dedupe-extension", "2.5.29.15", NULL),
	    CS_FIX_APPLIED);
	tu_assert_contains(last_change(f)->before, "Key Agreement");
	assert_int_equal(act(f, "dedupe-extension", "keyUsage", NULL),
	    CS_FIX_NOOP);
	out = signed_req(f, fx->key);
	sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
	exts = X509_REQ_get_extensions(out);
	assert_int_equal(sk_X509_EXTENSION_num(exts), 1);
	sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
	X509_REQ_free(out);
	X509_REQ_free(req);
	cs_fix_free(f);
}

static void
test_attribute_remove(void **state)
{
	struct fixture	*fx = *state;
	X509_REQ	*req = make_req(fx->key, "/CN=a.example", NULL, NULL);
	X509_REQ	*out;
	struct cs_fix	*f;
	char		 err[256];

	assert_true(X509_REQ_add1_attr_by_NID(req, NID_pkcs9_challengePassword,
	    MBSTRING_ASC, (const unsigned char *)"secret", -1));
	assert_true(X509_REQ_add1_attr_by_NID(req, NID_pkcs9_unstructuredName,
	    MBSTRING_ASC, (const unsigned char *)"Example", -1));
	assert_non_null(f = cs_fix_from_req(req, err, sizeof(err)));
	assert_int_equal(act(f, "remove-attribute", "challengePassword", NULL),
	    CS_FIX_APPLIED);
	/* Never the secret itself. */
	assert_string_equal(last_change(f)->before, "(withheld)");
	out = signed_req(f, fx->key);
	assert_int_equal(X509_REQ_get_attr_by_NID(out,
	    NID_pkcs9_challengePassword, -1), -1);
	assert_true(X509_REQ_get_attr_by_NID(out, NID_pkcs9_unstructuredName,
	    -1) >= 0);
	X509_REQ_free(out);
	X509_REQ_free(req);
	cs_fix_free(f);
}

static void
test_digest_choice(void **state)
{
	struct fixture	*fx = *state;
	struct cs_fix	*f = fix_of(fx->key, "/CN=a.example", NULL, NULL);
	EVP_PKEY	*ed = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519");
	char		 why[256];

	cs_fix_keep_digest(f, "sha1");
	assert_string_equal(cs_fix_digest(f, fx->key), "sha256");
	cs_fix_keep_digest(f, "sha384");
	assert_string_equal(cs_fix_digest(f, fx->key), "sha384");
	assert_string_equal(cs_fix_digest(f, ed), "");
	assert_int_equal(cs_fix_set(f, "signature.digest=sha512", why,
	    sizeof(why)), CS_FIX_APPLIED);
	assert_string_equal(cs_fix_digest(f, fx->key), "sha512");
	/* sig.weak-hash's fix does not undo the user's choice. */
	assert_int_equal(act(f, "set-digest", "sha256", NULL), CS_FIX_NOOP);
	assert_string_equal(cs_fix_digest(f, fx->key), "sha512");
	assert_int_equal(cs_fix_set(f, "signature.digest=md5", why,
	    sizeof(why)), CS_FIX_ERROR);
	X509_REQ_free(signed_req(f, ed));
	X509_REQ_free(signed_req(f, fx->key));
	assert_int_equal(act(f, "new-key", "rsa:3072", NULL),
	    CS_FIX_UNSUPPORTED);
	assert_int_equal(act(f, "reorder", "1,0", NULL), CS_FIX_UNSUPPORTED);
	EVP_PKEY_free(ed);
	cs_fix_free(f);
}

static void
cert_ext(X509 *cert, X509V3_CTX *ctx, int nid, const char *value)
{
	X509_EXTENSION	*ext = X509V3_EXT_conf_nid(NULL, ctx, nid, value);

	assert_non_null(ext);
	assert_true(X509_add_ext(cert, ext, -1));
	X509_EXTENSION_free(ext);
}

static void
test_from_cert_subject_and_san_only(void **state)
{
	struct fixture	*fx = *state;
	X509		*cert = tu_make_cert(fx->key, "www.example.com", 2);
	X509V3_CTX	 ctx;
	struct cs_fix	*f;
	X509_REQ	*req;
	STACK_OF(X509_EXTENSION) *exts;
	char		 err[256];

	X509V3_set_ctx(&ctx, cert, cert, NULL, NULL, 0);
	cert_ext(cert, &ctx, NID_basic_constraints, "critical,CA:FALSE");
	cert_ext(cert, &ctx, NID_subject_alt_name, "DNS:www.example.com");
	assert_non_null(f = cs_fix_from_cert(cert, err, sizeof(err)));
	req = signed_req(f, fx->key);
	exts = X509_REQ_get_extensions(req);
	assert_int_equal(sk_X509_EXTENSION_num(exts), 1);
	assert_int_equal(X509v3_get_ext_by_NID(exts, NID_subject_alt_name, -1),
	    0);
	assert_subject(f, fx->key, "CN=www.example.com");
	sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
	X509_REQ_free(req);
	X509_free(cert);
	cs_fix_free(f);
}

/* --- config ----------------------------------------------------------- */

static struct cs_fix *
config(struct fixture *fx, const char *text, struct cs_vec *notes, char *err,
    size_t errlen)
{
	FILE	*fp;

	tu_scratch_path(&fx->path, fx->dir, "req.cnf");
	assert_non_null(fp = fopen(fx->path, "w"));
	fputs(text, fp);
	fclose(fp);
	return cs_fix_from_config(fx->path, NULL, notes, err, errlen);
}

static void
test_config_prompt_no(void **state)
{
	struct fixture	*fx = *state;
	struct cs_vec	 notes = { 0 };
	struct cs_fix	*f;
	char		 err[512];

	f = config(fx, "[req]\nprompt = no\ndistinguished_name = dn\n"
	    "req_extensions = ext\nx509_extensions = v3\ndefault_md = sha384\n"
	    "[dn]\nC = DE\nO = Example\n0.OU = A\n1.OU = B\nCN = a.example\n"
	    "[ext]\nsubjectAltName = @alt\n[alt]\nDNS.1 = a.example\n"
	    "DNS.2 = b.example\n", &notes, err, sizeof(err));
	if (f == NULL)
		fail_msg("config: %s", err);
	assert_int_equal(notes.n, 1);
	tu_assert_contains(notes.v[0], "x509_extensions");
	assert_subject(f, fx->key, "C=DE,O=Example,OU=A,OU=B,CN=a.example");
	assert_sans(f, fx->key, "a.example,b.example");
	assert_string_equal(cs_fix_digest(f, fx->key), "sha384");
	release_notes(&notes);
	cs_fix_free(f);
}

static void
test_config_prompt_defaults(void **state)
{
	struct fixture	*fx = *state;
	struct cs_vec	 notes = { 0 };
	struct cs_fix	*f;
	char		 err[512];

	f = config(fx, "[req]\ndistinguished_name = dn\n[dn]\n"
	    "countryName = Country\ncountryName_default = FI\n"
	    "countryName_min = 2\norganizationName = Org\n"
	    "commonName = Name\ncommonName_default = a.example\n",
	    &notes, err, sizeof(err));
	if (f == NULL)
		fail_msg("config: %s", err);
	assert_subject(f, fx->key, "C=FI,CN=a.example");
	release_notes(&notes);
	cs_fix_free(f);
}

static void
test_config_errors(void **state)
{
	static const struct {
		const char	*text;
		const char	*says;
	} bad[] = {
		{ "[req]\ndistinguished_name = dn\nfrobnicate = 1\n[dn]\n",
		  "frobnicate is not supported" },
		{ "[req\n", "line 1" },
		{ "[other]\nx = 1\n", "no [req] section" },
		{ "[req]\nprompt = no\n", "no distinguished_name" },
		{ "[req]\ndistinguished_name = nowhere\n", "[nowhere]" },
		{ "[req]\nprompt = no\ndistinguished_name = dn\n[dn]\n"
		  "bogusType = x\n", "bogusType" },
		{ "[req]\nprompt = no\ndistinguished_name = dn\n"
		  "req_extensions = e\n[dn]\nCN = a\n[e]\nkeyUsage = sparkle\n",
		  "keyUsage = sparkle" },
	};
	struct fixture	*fx = *state;
	struct cs_vec	 notes = { 0 };
	char		 err[512];
	size_t		 i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		assert_null(config(fx, bad[i].text, &notes, err, sizeof(err)));
		tu_assert_contains(err, bad[i].says);
	}
	release_notes(&notes);
	assert_null(cs_fix_from_config("/nonexistent/req.cnf", NULL, &notes,
	    err, sizeof(err)));
	tu_assert_contains(err, "cannot be read");
}

static void
test_keyspec(void **state)
{
	static const char *const good[] = { "rsa:2048", "ec:P-256",
	    "ec:secp384r1", "ed25519", "ED448" };
	static const char *const bad[] = { "rsa:1024", "rsa:", "rsa:2048x",
	    "ec:P-192", "dsa:2048", "", "rsa:99999" };
	EVP_PKEY	*key;
	char		 err[256];
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		assert_true(cs_fix_keyspec_ok(good[i]));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_false(cs_fix_keyspec_ok(bad[i]));
	assert_non_null(key = cs_fix_new_key("ec:P-384", NULL, err,
	    sizeof(err)));
	assert_int_equal(EVP_PKEY_get_bits(key), 384);
	EVP_PKEY_free(key);
	assert_null(cs_fix_new_key("ec:P-192", NULL, err, sizeof(err)));
	tu_assert_contains(err, "ec:P-192");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_subject_remove_keeps_order),
		cmocka_unit_test(test_subject_remove_target_value),
		cmocka_unit_test(test_subject_set_in_place_and_multivalued),
		cmocka_unit_test(test_subject_set_string_type),
		cmocka_unit_test(test_subject_insert_order),
		cmocka_unit_test(test_subject_bad_values),
		cmocka_unit_test(test_san_add_drop),
		cmocka_unit_test(test_san_replace_in_place),
		cmocka_unit_test(test_san_drop_last_removes_extension),
		cmocka_unit_test(test_extension_set_remove),
		cmocka_unit_test(test_extension_dedupe),
		cmocka_unit_test(test_attribute_remove),
		cmocka_unit_test(test_digest_choice),
		cmocka_unit_test(test_from_cert_subject_and_san_only),
		cmocka_unit_test(test_config_prompt_no),
		cmocka_unit_test(test_config_prompt_defaults),
		cmocka_unit_test(test_config_errors),
		cmocka_unit_test(test_keyspec),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

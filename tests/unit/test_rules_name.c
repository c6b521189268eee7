/*
 * test_rules_name - the name.* rules driven by tables: which --host a set of
 * SANs (and, without SANs, the CN) covers by RFC 6125 6.4, and which rule a
 * single DNS or IP SAN trips. Each row becomes an in-memory CSR signed with
 * one P-256 key, decoded into the model and linted like any input.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "model/object.h"
#include "rules/rule.h"

/* A host and the identifiers presented: does it match? */
struct host_row {
	const char	*cn;		/* subject CN, or NULL */
	const char	*sans;		/* openssl subjectAltName syntax, or NULL */
	const char	*host;
	int		 covered;	/* 1: no name.host.coverage finding */
	int		 near;		/* 1: name.wildcard.coverage finding */
};

static const struct host_row host_rows[] = {
	{ NULL, "DNS:www.example.com", "www.example.com", 1, 0 },
	{ NULL, "DNS:www.example.com", "WWW.EXAMPLE.COM", 1, 0 },
	{ NULL, "DNS:WWW.Example.Com", "www.example.com", 1, 0 },
	{ NULL, "DNS:www.example.com", "www.example.com.", 1, 0 },
	{ NULL, "DNS:www.example.com", "example.com", 0, 0 },
	{ NULL, "DNS:www.example.com", "www.example.com.evil.example.org", 0, 0 },
	{ NULL, "DNS:www.example.com", "ww.example.com", 0, 0 },
	{ NULL, "DNS:*.example.com", "app.example.com", 1, 0 },
	{ NULL, "DNS:*.example.com", "APP.example.COM", 1, 0 },
	{ NULL, "DNS:*.example.com", "xn--bcher-kva.example.com", 1, 0 },
	{ NULL, "DNS:*.example.com", "example.com", 0, 1 },
	{ NULL, "DNS:*.example.com", "a.b.example.com", 0, 1 },
	{ NULL, "DNS:*.example.com", "a.b.c.example.com", 0, 1 },
	{ NULL, "DNS:*.example.com", ".example.com", 0, 0 },
	{ NULL, "DNS:*.example.com", "app.example.org", 0, 0 },
	{ NULL, "DNS:*.example.com", "appexample.com", 0, 0 },
	{ NULL, "DNS:*.example.com,DNS:example.com", "example.com", 1, 0 },
	{ NULL, "DNS:*.example.com,DNS:a.b.example.com", "a.b.example.com", 1, 0 },
	{ NULL, "DNS:w*.example.com", "www.example.com", 0, 0 },
	{ NULL, "DNS:*w.example.com", "ww.example.com", 0, 0 },
	{ NULL, "DNS:a.*.example.com", "a.b.example.com", 0, 0 },
	{ NULL, "DNS:*", "localhost", 0, 0 },
	{ NULL, "DNS:*.", "a.", 0, 0 },
	{ NULL, "DNS:*.*.example.com", "a.b.example.com", 0, 0 },
	{ NULL, "IP:192.0.2.1", "192.0.2.1", 1, 0 },
	{ NULL, "IP:192.0.2.1", "192.0.2.10", 0, 0 },
	{ NULL, "DNS:192.0.2.1", "192.0.2.1", 0, 0 },
	{ NULL, "IP:2001:db8::1", "2001:DB8:0:0:0:0:0:1", 1, 0 },
	{ NULL, "IP:2001:db8::1", "2001:db8::2", 0, 0 },
	{ NULL, "IP:::ffff:192.0.2.1", "192.0.2.1", 0, 0 },
	{ NULL, "IP:192.0.2.1", "www.example.com", 0, 0 },
	{ "www.example.com", "DNS:app.example.com", "www.example.com", 0, 0 },
	{ "www.example.com", NULL, "www.example.com", 0, 0 },
	{ "www.example.com", NULL, "app.example.com", 0, 0 },
	{ "*.example.com", NULL, "app.example.com", 0, 0 },
	{ "192.0.2.1", NULL, "192.0.2.1", 0, 0 },
	{ "www.example.com", "email:a@example.com", "www.example.com", 0, 0 },
	{ NULL, NULL, "www.example.com", 0, 0 },
	{ NULL, "email:a@example.com", "a@example.com", 0, 0 },
};

/* One SAN and the name.* rule it trips (NULL: none of those checked). */
struct san_row {
	const char	*san;
	const char	*trips;
};

static const char *const san_rules[] = {
	"name.dns.syntax", "name.dns.underscore", "name.wildcard.position",
	"name.wildcard.public-suffix", "name.idn.invalid", "name.internal",
	"name.ip.reserved", "name.ip-as-dns", "name.email.syntax", NULL,
};

static const struct san_row san_rows[] = {
	{ "DNS:www.example.com", NULL },
	{ "DNS:a-b.example.com", NULL },
	{ "DNS:a.b.c.d.example.co.uk", NULL },
	{ "DNS:*.example.com", NULL },
	{ "DNS:*.example.co.uk", NULL },
	{ "DNS:xn--bcher-kva.example.com", NULL },
	{ "DNS:XN--BCHER-KVA.example.com", NULL },
	{ "DNS:xn--90a3ac.xn--90a3ac", NULL },
	{ "DNS:a..example.com", "name.dns.syntax" },
	{ "DNS:.example.com", "name.dns.syntax" },
	{ "DNS:example.com.", "name.dns.syntax" },
	{ "DNS:-a.example.com", "name.dns.syntax" },
	{ "DNS:a-.example.com", "name.dns.syntax" },
	{ "DNS:a!b.example.com", "name.dns.syntax" },
	{ "DNS:0123456789012345678901234567890123456789012345678901234567890123"
	    ".example.com", "name.dns.syntax" },
	{ "DNS:_dmarc.example.com", "name.dns.underscore" },
	{ "DNS:w*.example.com", "name.wildcard.position" },
	{ "DNS:*w.example.com", "name.wildcard.position" },
	{ "DNS:www.*.example.com", "name.wildcard.position" },
	{ "DNS:*", "name.wildcard.position" },
	{ "DNS:*.com", "name.wildcard.public-suffix" },
	{ "DNS:*.co.uk", "name.wildcard.public-suffix" },
	{ "DNS:*.CO.UK", "name.wildcard.public-suffix" },
	{ "DNS:xn--ls8h.example.com", "name.idn.invalid" },
	{ "DNS:xn--a.example.com", "name.idn.invalid" },
	{ "DNS:localhost", "name.internal" },
	{ "DNS:printer.local", "name.internal" },
	{ "DNS:nas.home.arpa", "name.internal" },
	{ "DNS:git.corp", "name.internal" },
	{ "DNS:*.internal", "name.internal" },
	{ "DNS:www.example.notatld", "name.internal" },
	{ "DNS:192.0.2.1", "name.ip-as-dns" },
	{ "DNS:2001:db8::1", "name.ip-as-dns" },
	{ "IP:93.184.215.14", NULL },
	{ "IP:2606:4700:4700::1111", NULL },
	{ "IP:172.15.255.255", NULL },
	{ "IP:172.32.0.0", NULL },
	{ "IP:100.128.0.1", NULL },
	{ "IP:10.1.2.3", "name.ip.reserved" },
	{ "IP:172.31.255.255", "name.ip.reserved" },
	{ "IP:100.127.255.255", "name.ip.reserved" },
	{ "IP:169.254.0.1", "name.ip.reserved" },
	{ "IP:198.51.100.7", "name.ip.reserved" },
	{ "IP:255.255.255.255", "name.ip.reserved" },
	{ "IP:fc00::1", "name.ip.reserved" },
	{ "IP:febf::1", "name.ip.reserved" },
	{ "IP:::1", "name.ip.reserved" },
	{ "email:admin@example.com", NULL },
	{ "email:admin", "name.email.syntax" },
	{ "email:@example.com", "name.email.syntax" },
	{ "email:a@b@example.com", "name.email.syntax" },
	{ "email:a@exa_mple.com", "name.email.syntax" },
};

static int
setup(void **state)
{
	EVP_PKEY	*pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");

	*state = pkey;
	return pkey == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	EVP_PKEY_free(*state);
	return 0;
}

static X509_REQ *
make_req(EVP_PKEY *pkey, const char *cn, const char *sans)
{
	X509_REQ			*req = X509_REQ_new();
	X509_NAME			*name = X509_NAME_new();
	STACK_OF(X509_EXTENSION)	*exts = sk_X509_EXTENSION_new_null();
	X509_EXTENSION			*ext = NULL;

	assert_non_null(req);
	assert_non_null(name);
	assert_non_null(exts);
	if (cn != NULL)
		assert_int_equal(X509_NAME_add_entry_by_txt(name, "CN",
		    MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0), 1);
	assert_int_equal(X509_REQ_set_subject_name(req, name), 1);
	assert_int_equal(X509_REQ_set_pubkey(req, pkey), 1);
	if (sans != NULL) {
		ext = X509V3_EXT_nconf_nid(NULL, NULL, NID_subject_alt_name,
		    sans);
		assert_non_null(ext);
		assert_int_not_equal(sk_X509_EXTENSION_push(exts, ext), 0);
		assert_int_equal(X509_REQ_add_extensions(req, exts), 1);
	}
	assert_int_not_equal(X509_REQ_sign(req, pkey, EVP_sha256()), 0);
	sk_X509_EXTENSION_pop_free(exts, X509_EXTENSION_free);
	X509_NAME_free(name);
	return req;
}

/* Lints one CSR made of cn and sans with these --host names. */
static struct cs_object *
lint_req(EVP_PKEY *pkey, const char *cn, const char *sans,
    const char *const *hosts, size_t n_hosts)
{
	struct cs_lint_opts	 opts = { .hosts = hosts, .n_hosts = n_hosts,
				    .now = 1700000000 };
	struct cs_object	*obj;
	struct cs_lint		*l;
	const char		*err = NULL;

	obj = cs_object_new(CS_KIND_CSR, "table", 0, CS_ENC_DER, CS_CONT_NONE,
	    NULL);
	assert_non_null(obj);
	assert_int_equal(cs_view_req(obj, make_req(pkey, cn, sans), NULL, NULL), 0);
	l = cs_lint_new(&opts, &err);
	assert_non_null(l);
	assert_int_equal(cs_lint_run(l, &obj, 1), 0);
	cs_lint_free(l);
	return obj;
}

static const struct cs_finding *
find_finding(const struct cs_object *obj, const char *rule)
{
	const struct cs_finding	*f;
	size_t			 i;

	for (i = 0; i < obj->findings.n; i++) {
		f = obj->findings.v[i];
		if (strcmp(f->rule, rule) == 0)
			return f;
	}
	return NULL;
}

static int
has_finding(const struct cs_object *obj, const char *rule)
{
	return find_finding(obj, rule) != NULL;
}

static void
test_host_coverage_table(void **state)
{
	const struct host_row	*r;
	struct cs_object	*obj;
	size_t			 i;

	for (i = 0; i < sizeof(host_rows) / sizeof(host_rows[0]); i++) {
		r = &host_rows[i];
		obj = lint_req(*state, r->cn, r->sans, &r->host, 1);
		if (has_finding(obj, "name.host.coverage") == r->covered ||
		    has_finding(obj, "name.wildcard.coverage") != r->near)
			fail_msg("row %zu: cn %s, sans %s, host %s: expected "
			    "covered %d, near-wildcard %d", i,
			    r->cn ? r->cn : "-", r->sans ? r->sans : "-",
			    r->host, r->covered, r->near);
		cs_object_free(obj);
	}
}

/* Without SANs a CN that matches is reported at notice, not error. */
static void
test_host_coverage_cn_only_notice(void **state)
{
	const char		*host = "www.example.com";
	struct cs_object	*obj = lint_req(*state, host, NULL, &host, 1);
	const struct cs_finding	*f = find_finding(obj, "name.host.coverage");

	assert_non_null(f);
	assert_int_equal(f->severity, CS_SEV_NOTICE);
	assert_string_equal(f->fix_action, "add-san");
	assert_string_equal(f->fix_value, "dns:www.example.com");
	cs_object_free(obj);
}

static void
test_host_coverage_ip_fix(void **state)
{
	const char		*host = "2001:db8::5";
	struct cs_object	*obj;
	const struct cs_finding	*f;

	obj = lint_req(*state, NULL, "DNS:www.example.com", &host, 1);
	f = find_finding(obj, "name.host.coverage");
	assert_non_null(f);
	assert_int_equal(f->severity, CS_SEV_ERROR);
	assert_string_equal(f->fix_value, "ip:2001:db8::5");
	cs_object_free(obj);
}

static void
test_san_rules_table(void **state)
{
	const struct san_row	*r;
	struct cs_object	*obj;
	size_t			 i, j;

	for (i = 0; i < sizeof(san_rows) / sizeof(san_rows[0]); i++) {
		r = &san_rows[i];
		obj = lint_req(*state, NULL, r->san, NULL, 0);
		for (j = 0; san_rules[j] != NULL; j++) {
			int want = r->trips != NULL &&
			    strcmp(r->trips, san_rules[j]) == 0;

			if (has_finding(obj, san_rules[j]) != want)
				fail_msg("row %zu: %s: %s %s", i, r->san,
				    san_rules[j], want ? "did not trip" :
				    "tripped");
		}
		cs_object_free(obj);
	}
}

static void
test_san_duplicate_case(void **state)
{
	struct cs_object	*obj;

	obj = lint_req(*state, NULL, "DNS:a.example.com,DNS:b.example.com,"
	    "DNS:A.EXAMPLE.COM", NULL, 0);
	assert_int_equal(obj->findings.n > 0, 1);
	assert_true(has_finding(obj, "name.san.duplicate"));
	cs_object_free(obj);
	obj = lint_req(*state, NULL, "DNS:a.example.com,IP:93.184.215.14,"
	    "email:a.example.com", NULL, 0);
	assert_false(has_finding(obj, "name.san.duplicate"));
	cs_object_free(obj);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_host_coverage_table),
		cmocka_unit_test(test_host_coverage_cn_only_notice),
		cmocka_unit_test(test_host_coverage_ip_fix),
		cmocka_unit_test(test_san_rules_table),
		cmocka_unit_test(test_san_duplicate_case),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

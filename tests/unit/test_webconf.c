/*
 * test_webconf - key and certificate pairs from nginx, Apache and HAProxy
 * configurations held in memory; each case states the pairs expected, in
 * order, and which warnings (by a substring) must be there.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "scan/webconf.h"
#include "util/util.h"

/* An expected pair: key NULL means key inside the certificate file. */
struct want {
	const char	*cert, *key;
	int		 line;
};

struct result {
	struct cs_vec	 pairs, warnings;
};

static void
result_free(struct result *r)
{
	size_t	 i;

	for (i = 0; i < r->pairs.n; i++)
		cs_webconf_pair_free(r->pairs.v[i]);
	for (i = 0; i < r->warnings.n; i++)
		free(r->warnings.v[i]);
	cs_vec_release(&r->pairs);
	cs_vec_release(&r->warnings);
}

static void
parse(struct result *r, enum cs_webconf_kind kind, const char *text,
    size_t len)
{
	memset(r, 0, sizeof(*r));
	assert_int_equal(cs_webconf_parse(kind, (const unsigned char *)text,
	    len, &r->pairs, &r->warnings), 0);
}

static int
has_warning(const struct result *r, const char *sub)
{
	size_t	 i;

	for (i = 0; i < r->warnings.n; i++)
		if (strstr(r->warnings.v[i], sub) != NULL)
			return 1;
	return 0;
}

/* Parses text as kind; the pairs must be want[0..n), warn a warning. */
static void
check(enum cs_webconf_kind kind, const char *text, const struct want *want,
    size_t n, const char *warn)
{
	struct result		 r;
	struct cs_webconf_pair	*p;
	size_t			 i;

	parse(&r, kind, text, strlen(text));
	assert_int_equal(r.pairs.n, n);
	for (i = 0; i < n; i++) {
		p = r.pairs.v[i];
		assert_string_equal(p->cert, want[i].cert);
		if (want[i].key == NULL)
			assert_null(p->key);
		else
			assert_string_equal(p->key, want[i].key);
		assert_int_equal(p->line, want[i].line);
		assert_int_equal(p->server, kind);
	}
	if (warn != NULL)
		assert_true(has_warning(&r, warn));
	else
		assert_int_equal(r.warnings.n, 0);
	result_free(&r);
}

#define N(a)	(sizeof(a) / sizeof((a)[0]))

/* ---- sniff ---- */

static void
test_sniff_kinds(void **state)
{
	static const struct {
		const char		*text;
		enum cs_webconf_kind	 kind;
	} cases[] = {
		{ "server {\n ssl_certificate a.crt;\n}\n", CS_WEBCONF_NGINX },
		{ "<VirtualHost *:443>\nSSLCertificateFile a\n",
		    CS_WEBCONF_APACHE },
		{ "sslcertificatefile /x\n", CS_WEBCONF_APACHE },
		{ "  SslCertificateFILE /x\n", CS_WEBCONF_APACHE },
		{ "SSLCertificateFil /x\n", CS_WEBCONF_NONE },
		{ "frontend f\n bind :443 ssl crt /a.pem\n",
		    CS_WEBCONF_HAPROXY },
		{ "bind :443 ssl crt-list /l\n", CS_WEBCONF_HAPROXY },
		{ "global\n\tcrt-base /etc/ssl\n", CS_WEBCONF_HAPROXY },
		{ "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
		    CS_WEBCONF_NONE },
		{ "Welcome to Ubuntu 24.04 LTS\n * Documentation: "
		    "https://help.ubuntu.com\n", CS_WEBCONF_NONE },
		{ "the crtc driver\nscrt x\n", CS_WEBCONF_NONE },
		{ "", CS_WEBCONF_NONE },
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < N(cases); i++)
		assert_int_equal(cs_webconf_sniff(
		    (const unsigned char *)cases[i].text,
		    strlen(cases[i].text)), cases[i].kind);
}

static void
test_sniff_binary(void **state)
{
	/* The nginx executable names the directive but holds NUL bytes. */
	static const unsigned char bin[] = "\x7f" "ELF\x02\x01\x01\0\0\0"
	    "ssl_certificate\0ssl_certificate_key\0";

	(void)state;
	assert_int_equal(cs_webconf_sniff(bin, sizeof(bin) - 1),
	    CS_WEBCONF_NONE);
	assert_int_equal(cs_webconf_sniff(NULL, 0), CS_WEBCONF_NONE);
	assert_string_equal(cs_webconf_kind_name(CS_WEBCONF_HAPROXY),
	    "haproxy");
}

/* ---- nginx ---- */

static void
test_nginx_simple(void **state)
{
	static const struct want w[] = {
		{ "/etc/ssl/a.crt", "/etc/ssl/a.key", 4 },
	};

	(void)state;
	check(CS_WEBCONF_NGINX,
	    "http {\n"
	    "  server {\n"
	    "    listen 443 ssl;\n"
	    "    ssl_certificate /etc/ssl/a.crt;\n"
	    "    ssl_certificate_key /etc/ssl/a.key;\n"
	    "    location / { root /srv; }\n"
	    "  }\n"
	    "}\n", w, N(w), NULL);
}

static void
test_nginx_inherit(void **state)
{
	static const struct want w[] = {
		{ "http.crt", "own.key", 2 },		/* server with a key */
		{ "http.crt", "http.key", 2 },		/* http, closed later */
		{ "s.crt", "s.key", 8 },
	};

	(void)state;
	check(CS_WEBCONF_NGINX,
	    "http {\n"
	    "  ssl_certificate http.crt;\n"
	    "  ssl_certificate_key http.key;\n"
	    "  server { listen 443 ssl; }\n"	/* inherits: no new pair */
	    "  server { ssl_certificate_key own.key; }\n"
	    "}\n"
	    "stream {\n"
	    "  server { ssl_certificate s.crt;\n"
	    "    ssl_certificate_key s.key; }\n"
	    "}\n", w, N(w), NULL);
}

static void
test_nginx_split_inherit(void **state)
{
	/* The http level lends its certificate; only the server pairs. */
	static const struct want w[] = {
		{ "c.pem", "k.pem", 1 },
	};

	(void)state;
	check(CS_WEBCONF_NGINX,
	    "http { ssl_certificate c.pem;\n"
	    " server { ssl_certificate_key k.pem; } }\n", w, N(w), NULL);
}

static void
test_nginx_multiple(void **state)
{
	static const struct want w[] = {
		{ "rsa.crt", "rsa.key", 2 },
		{ "ecdsa.crt", "ecdsa.key", 3 },
	};

	(void)state;
	check(CS_WEBCONF_NGINX,
	    "server {\n"
	    " ssl_certificate rsa.crt;\n"
	    " ssl_certificate ecdsa.crt;\n"
	    " ssl_certificate_key rsa.key;\n"
	    " ssl_certificate_key ecdsa.key;\n"
	    "}\n", w, N(w), NULL);
}

static void
test_nginx_quotes_comments(void **state)
{
	static const struct want w[] = {
		{ "/a b/c.crt", "/k'ey\"s\\.key", 4 },
		{ "x\\;y.crt", "z.key", 6 },	/* nginx keeps this backslash */
	};

	(void)state;
	check(CS_WEBCONF_NGINX,
	    "# ssl_certificate commented.crt;\n"
	    "server { # ssl_certificate_key no.key;\n"
	    "  #ssl_certificate old.crt;\n"
	    "  ssl_certificate \"/a b/c.crt\"; # trailing\n"
	    "  ssl_certificate_key '/k\\'ey\"s\\\\.key';\n"
	    "  ssl_certificate x\\;y.crt; ssl_certificate_key \"z.key\";\n"
	    "}\n", w, N(w), NULL);
}

static void
test_nginx_snippet(void **state)
{
	/* Debian's snippets/snakeoil.conf, included into servers. */
	static const struct want w[] = {
		{ "/etc/ssl/certs/ssl-cert-snakeoil.pem",
		    "/etc/ssl/private/ssl-cert-snakeoil.key", 1 },
	};

	(void)state;
	check(CS_WEBCONF_NGINX,
	    "ssl_certificate /etc/ssl/certs/ssl-cert-snakeoil.pem;\n"
	    "ssl_certificate_key /etc/ssl/private/ssl-cert-snakeoil.key;\n",
	    w, N(w), NULL);
}

static void
test_nginx_variables(void **state)
{
	static const struct want w[] = {
		{ "ok.crt", "ok.key", 8 },
	};

	(void)state;
	check(CS_WEBCONF_NGINX,
	    "server {\n"
	    " ssl_certificate /etc/ssl/$ssl_server_name.crt;\n"
	    " ssl_certificate_key /etc/ssl/$ssl_server_name.key;\n"
	    "}\n"
	    "server { ssl_certificate data:$cert; ssl_certificate_key "
	    "data:$key; }\n"
	    "server { ssl_certificate /c/${name}.crt; ssl_certificate_key k; }\n"
	    "server {\n"
	    " ssl_certificate ok.crt; ssl_certificate_key ok.key; }\n",
	    w, N(w), "uses a variable");
	check(CS_WEBCONF_NGINX,
	    "server { ssl_certificate data:$c; ssl_certificate_key x; }\n",
	    NULL, 0, "inline data");
	check(CS_WEBCONF_NGINX,
	    "server { ssl_certificate c; ssl_certificate_key engine:e:id; }\n",
	    NULL, 0, "engine");
}

static void
test_nginx_mismatched_counts(void **state)
{
	static const struct want w[] = {
		{ "a.crt", "a.key", 1 },
	};

	(void)state;
	check(CS_WEBCONF_NGINX,
	    "server { ssl_certificate a.crt; ssl_certificate b.crt;\n"
	    " ssl_certificate_key a.key; }\n", w, N(w),
	    "2 ssl_certificate but 1 ssl_certificate_key");
	check(CS_WEBCONF_NGINX, "server { ssl_certificate a.crt; }\n",
	    NULL, 0, "without ssl_certificate_key");
	check(CS_WEBCONF_NGINX, "server { ssl_certificate a b; }\n",
	    NULL, 0, "takes one argument");
}

/* ---- Apache ---- */

static void
test_apache_simple(void **state)
{
	static const struct want w[] = {
		{ "/etc/ssl/a.crt", "/etc/ssl/a.key", 4 },
	};

	(void)state;
	check(CS_WEBCONF_APACHE,
	    "<IfModule mod_ssl.c>\n"
	    "<VirtualHost *:443>\n"
	    "  SSLEngine on\n"
	    "  sslcertificatefile /etc/ssl/a.crt\n"
	    "  SSLCERTIFICATEKEYFILE /etc/ssl/a.key\n"
	    "</VirtualHost>\n"
	    "</IfModule>\n", w, N(w), NULL);
}

static void
test_apache_inherit(void **state)
{
	static const struct want w[] = {
		{ "srv.crt", "srv.key", 1 },		/* the server level */
		{ "own.crt", "srv.key", 5 },		/* host merges the key */
	};

	(void)state;
	/* Server-level directives count wherever they are in the file. */
	check(CS_WEBCONF_APACHE,
	    "SSLCertificateFile srv.crt\n"
	    "<VirtualHost a:443>\n"
	    "</VirtualHost>\n"
	    "<VirtualHost b:443>\n SSLCertificateFile own.crt\n"
	    "</VirtualHost>\n"
	    "SSLCertificateKeyFile srv.key\n", w, N(w), NULL);
	check(CS_WEBCONF_APACHE,
	    "<VirtualHost _default_:443>\n"
	    "SSLCertificateFile only.crt\n"
	    "</VirtualHost>\n", (const struct want[]){ { "only.crt", NULL,
	    2 } }, 1, NULL);
}

static void
test_apache_multiple(void **state)
{
	static const struct want w[] = {
		{ "rsa.crt", "rsa.key", 2 },
		{ "ec.crt", "ec.key", 3 },
		{ "combined.pem", NULL, 4 },
	};

	(void)state;
	check(CS_WEBCONF_APACHE,
	    "<VirtualHost *:443>\n"
	    "SSLCertificateFile rsa.crt\n"
	    "SSLCertificateFile ec.crt\n"
	    "SSLCertificateFile combined.pem\n"
	    "SSLCertificateKeyFile rsa.key\n"
	    "SSLCertificateKeyFile ec.key\n"
	    "</VirtualHost>\n", w, N(w), NULL);
}

static void
test_apache_quotes_continuation(void **state)
{
	static const struct want w[] = {
		{ "/a b/c.crt", "/d/e.key", 4 },
	};

	(void)state;
	check(CS_WEBCONF_APACHE,
	    "# SSLCertificateFile commented.crt\n"
	    "  #SSLCertificateKeyFile old.key \\\n  still comment\n"
	    "SSLCertificateFile \"/a b/c.crt\"\n"
	    "SSLCertificateKeyFile \\\n  /d/e.key\n", w, N(w), NULL);
}

static void
test_apache_unresolved(void **state)
{
	(void)state;
	check(CS_WEBCONF_APACHE,
	    "<VirtualHost *:443>\n"
	    "SSLCertificateFile ${CERTDIR}/a.crt\n"
	    "</VirtualHost>\n", NULL, 0, "Define");
	check(CS_WEBCONF_APACHE,
	    "SSLCertificateFile pkcs11:token=t;object=c\n"
	    "SSLCertificateKeyFile pkcs11:token=t;object=k\n",
	    NULL, 0, "PKCS#11");
	check(CS_WEBCONF_APACHE,
	    "<VirtualHost *:443>\nSSLCertificateKeyFile k\n</VirtualHost>\n",
	    NULL, 0, "without SSLCertificateFile");
}

static void
test_apache_unbalanced(void **state)
{
	static const struct want w[] = {
		{ "a.crt", NULL, 3 },
	};

	(void)state;
	check(CS_WEBCONF_APACHE,
	    "</VirtualHost>\n"
	    "<VirtualHost *:443>\n"
	    "SSLCertificateFile a.crt\n", w, N(w), "not closed");
}

/* ---- HAProxy ---- */

static void
test_haproxy_simple(void **state)
{
	static const struct want w[] = {
		{ "/etc/haproxy/site.pem", NULL, 2 },
	};

	(void)state;
	check(CS_WEBCONF_HAPROXY,
	    "frontend https\n"
	    "    bind :443 ssl crt /etc/haproxy/site.pem alpn h2,http/1.1\n"
	    "    default_backend app\n", w, N(w), NULL);
}

static void
test_haproxy_crt_base(void **state)
{
	static const struct want w[] = {
		{ "/etc/ssl/private/a.pem", NULL, 5 },
		{ "/abs/b.pem", NULL, 5 },
		{ "/etc/ssl/private/dir", NULL, 5 },
		{ "/etc/ssl/private/client.pem", NULL, 7 },
	};

	(void)state;
	check(CS_WEBCONF_HAPROXY,
	    "global\n"
	    "    crt-base /etc/ssl/private # where they are\n"
	    "    ca-base /etc/ssl/certs\n"
	    "frontend f\n"
	    "    bind :443 ssl crt a.pem crt /abs/b.pem crt dir\n"
	    "backend b\n"
	    "    server s1 10.0.0.1:443 ssl crt client.pem verify none\n",
	    w, N(w), NULL);
}

static void
test_haproxy_quotes_comments(void **state)
{
	static const struct want w[] = {
		{ "/a b/c.pem", NULL, 3 },
		{ "/d#e.pem", NULL, 3 },
		{ "/f g.pem", NULL, 3 },
	};

	(void)state;
	check(CS_WEBCONF_HAPROXY,
	    "# bind :443 ssl crt /commented.pem\n"
	    "listen l\n"
	    "  bind :443 ssl crt \"/a b/c.pem\" crt /d\\#e.pem crt '/f g.pem'"
	    " # crt /nope.pem\n", w, N(w), NULL);
}

static void
test_haproxy_unfollowed(void **state)
{
	static const struct want w[] = {
		{ "/x.pem", NULL, 2 },
	};

	(void)state;
	check(CS_WEBCONF_HAPROXY,
	    "frontend f\n bind :443 ssl crt-list /etc/l.txt crt /x.pem\n",
	    w, N(w), "crt-list is not followed");
	check(CS_WEBCONF_HAPROXY,
	    "frontend f\n bind :443 ssl crt \"$CERT\"\n", NULL, 0,
	    "environment variable");
	check(CS_WEBCONF_HAPROXY,
	    "frontend f\n bind :443 ssl crt \"@web/site1\"\n", NULL, 0,
	    "crt-store");
	check(CS_WEBCONF_HAPROXY, "frontend f\n bind :443 ssl crt\n", NULL,
	    0, "without a value");
}

static void
test_haproxy_crt_store(void **state)
{
	static const struct want w[] = {
		{ "/c/site1.pem", "/k/site1.key", 4 },
		{ "/c/site2.pem", NULL, 5 },
	};

	(void)state;
	check(CS_WEBCONF_HAPROXY,
	    "crt-store web\n"
	    "    crt-base /c\n"
	    "    key-base /k\n"
	    "    load crt site1.pem key site1.key alias site1\n"
	    "    load crt \"site2.pem\"\n", w, N(w), NULL);
}

/* ---- hostile input ---- */

static void
test_hostile_unbalanced(void **state)
{
	static const char *const texts[] = {
		"}}}} server { ssl_certificate a; ssl_certificate_key b; }",
		"server { ssl_certificate \"a; ssl_certificate_key b; }",
		"server { ssl_certificate a ssl_certificate_key b }",
		"server { ssl_certificate '",
		"server { ssl_certificate \\",
		"\\",
		"{",
		";;;;{}{}{;}}",
	};
	struct result	 r;
	size_t		 i;

	(void)state;
	for (i = 0; i < N(texts); i++) {
		parse(&r, CS_WEBCONF_NGINX, texts[i], strlen(texts[i]));
		assert_true(r.pairs.n <= 1);
		if (i > 0)
			assert_true(r.warnings.n > 0);
		result_free(&r);
		parse(&r, CS_WEBCONF_APACHE, texts[i], strlen(texts[i]));
		assert_int_equal(r.pairs.n, 0);
		result_free(&r);
		parse(&r, CS_WEBCONF_HAPROXY, texts[i], strlen(texts[i]));
		assert_int_equal(r.pairs.n, 0);
		result_free(&r);
	}
	/* The first text still gives its pair, after a warning. */
	parse(&r, CS_WEBCONF_NGINX, texts[0], strlen(texts[0]));
	assert_int_equal(r.pairs.n, 1);
	assert_true(has_warning(&r, "unexpected '}'"));
	result_free(&r);
}

static void
test_hostile_nul(void **state)
{
	static const char text[] = "server { ssl_certificate a\0b;\n"
	    "ssl_certificate_key k; }\n"
	    "server { ssl_certificate c; ssl_certificate_key d; }\n";
	static const char atext[] = "SSLCertificateFile a\0b\n";
	struct result		 r;
	struct cs_webconf_pair	*p;

	(void)state;
	parse(&r, CS_WEBCONF_NGINX, text, sizeof(text) - 1);
	assert_int_equal(r.pairs.n, 1);
	p = r.pairs.v[0];
	assert_string_equal(p->cert, "c");
	assert_true(has_warning(&r, "control bytes"));
	result_free(&r);
	parse(&r, CS_WEBCONF_APACHE, atext, sizeof(atext) - 1);
	assert_int_equal(r.pairs.n, 0);
	assert_true(has_warning(&r, "control bytes"));
	result_free(&r);
}

/* A buffer of n copies of unit (with an optional head). */
static char *
repeat(const char *head, const char *unit, size_t n, size_t *len)
{
	size_t	 hl = strlen(head), ul = strlen(unit), i;
	char	*s;

	s = malloc(hl + ul * n + 1);
	assert_non_null(s);
	memcpy(s, head, hl);
	for (i = 0; i < n; i++)
		memcpy(s + hl + i * ul, unit, ul);
	s[hl + ul * n] = '\0';
	*len = hl + ul * n;
	return s;
}

static void
test_hostile_deep(void **state)
{
	struct result	 r;
	size_t		 len;
	char		*s;

	(void)state;
	s = repeat("ssl_certificate a; ssl_certificate_key b;", "server {",
	    1 << 20, &len);
	parse(&r, CS_WEBCONF_NGINX, s, len);
	assert_true(has_warning(&r, "nested deeper"));
	assert_int_equal(r.pairs.n, 1);
	result_free(&r);
	free(s);
}

static void
test_hostile_pair_limit(void **state)
{
	static const struct {
		enum cs_webconf_kind	 kind;
		const char		*unit;
	} cases[] = {
		{ CS_WEBCONF_NGINX,
		    "server{ssl_certificate a;ssl_certificate_key b;}\n" },
		{ CS_WEBCONF_APACHE, "<VirtualHost>\nSSLCertificateFile a\n"
		    "</VirtualHost>\n" },
		{ CS_WEBCONF_HAPROXY, "bind :1 crt a crt b crt c crt d\n" },
	};
	struct result	 r;
	size_t		 i, len;
	char		*s;

	(void)state;
	for (i = 0; i < N(cases); i++) {
		s = repeat("", cases[i].unit, 3 * CS_WEBCONF_MAX_PAIRS, &len);
		parse(&r, cases[i].kind, s, len);
		assert_int_equal(r.pairs.n, CS_WEBCONF_MAX_PAIRS);
		assert_true(has_warning(&r, "pairs, the rest are left out"));
		result_free(&r);
		free(s);
	}
}

static void
test_hostile_big(void **state)
{
	static const char *const units[] = {
		"ssl_certificate $x;\n",	/* one warning each */
		"x",				/* one 16 MiB word */
		"\"",
		"{",
		"\\\n",
	};
	static const enum cs_webconf_kind kinds[] = {
		CS_WEBCONF_NGINX, CS_WEBCONF_APACHE, CS_WEBCONF_HAPROXY,
	};
	struct result	 r;
	size_t		 i, k, len;
	char		*s;

	(void)state;
	for (i = 0; i < N(units); i++) {
		/* 16 MiB for the first two, 1 MiB is enough for the others
		 * (and keeps the test quick under valgrind). */
		s = repeat("server {", units[i], ((size_t)(i < 2 ? 16 : 1)
		    << 20) / strlen(units[i]), &len);
		for (k = 0; k < N(kinds); k++) {
			parse(&r, kinds[k], s, len);
			assert_true(r.warnings.n <= CS_WEBCONF_MAX_WARNINGS);
			assert_int_equal(r.pairs.n, 0);
			result_free(&r);
		}
		assert_int_equal(cs_webconf_sniff((unsigned char *)s, len),
		    i == 0 ? CS_WEBCONF_NGINX : CS_WEBCONF_NONE);
		free(s);
	}
}

static void
test_hostile_warning_limit(void **state)
{
	struct result	 r;
	size_t		 len;
	char		*s;

	(void)state;
	s = repeat("", "server { ssl_certificate $x; ssl_certificate_key y; }",
	    10000, &len);
	parse(&r, CS_WEBCONF_NGINX, s, len);
	assert_int_equal(r.warnings.n, CS_WEBCONF_MAX_WARNINGS);
	assert_true(has_warning(&r, "too many warnings"));
	result_free(&r);
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sniff_kinds),
		cmocka_unit_test(test_sniff_binary),
		cmocka_unit_test(test_nginx_simple),
		cmocka_unit_test(test_nginx_inherit),
		cmocka_unit_test(test_nginx_split_inherit),
		cmocka_unit_test(test_nginx_multiple),
		cmocka_unit_test(test_nginx_quotes_comments),
		cmocka_unit_test(test_nginx_snippet),
		cmocka_unit_test(test_nginx_variables),
		cmocka_unit_test(test_nginx_mismatched_counts),
		cmocka_unit_test(test_apache_simple),
		cmocka_unit_test(test_apache_inherit),
		cmocka_unit_test(test_apache_multiple),
		cmocka_unit_test(test_apache_quotes_continuation),
		cmocka_unit_test(test_apache_unresolved),
		cmocka_unit_test(test_apache_unbalanced),
		cmocka_unit_test(test_haproxy_simple),
		cmocka_unit_test(test_haproxy_crt_base),
		cmocka_unit_test(test_haproxy_quotes_comments),
		cmocka_unit_test(test_haproxy_unfollowed),
		cmocka_unit_test(test_haproxy_crt_store),
		cmocka_unit_test(test_hostile_unbalanced),
		cmocka_unit_test(test_hostile_nul),
		cmocka_unit_test(test_hostile_deep),
		cmocka_unit_test(test_hostile_pair_limit),
		cmocka_unit_test(test_hostile_big),
		cmocka_unit_test(test_hostile_warning_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

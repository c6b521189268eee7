/*
 * test_rules_dn - the dn.* rules over the corpus (corpus/lint/dn/, made by
 * corpus/lint/gen-dn.sh): the field each finding names, its severity, and
 * the exact fix the CSR regeneration will apply. The corpus manifest checks
 * trips and silences; this checks remedies, issuer fields and parameters.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <string.h>

#include "input/input.h"
#include "rules/rule.h"
#include "testutil.h"

struct want {
	const char	*file;		/* under corpus/lint/dn/ */
	int		 cn_max;	/* cn-max-length, 0: default */
	const char	*rule;
	const char	*field;
	const char	*value;
	enum cs_severity sev;
	const char	*fix_action;	/* NULL: no fix expected */
	const char	*fix_value;
};

#define W	CS_SEV_WARNING
#define E	CS_SEV_ERROR
#define N	CS_SEV_NOTICE

static const struct want wants[] = {
	{ "country-uk.csr", 0, "dn.country-code", "subject.C", "UK", E,
	    "set-subject", "C=GB" },
	{ "country-lower.csr", 0, "dn.country-code", "subject.C", "us", E,
	    "set-subject", "C=US" },
	{ "country-usa.csr", 0, "dn.country-code", "subject.C", "USA", E,
	    NULL, NULL },
	{ "cert-issuer-uk.crt", 0, "dn.country-code", "issuer.C", "UK", E,
	    NULL, NULL },
	{ "state-abbrev.csr", 0, "dn.state-abbrev", "subject.ST", "CA", W,
	    "set-subject", "ST=California" },
	{ "openssl-default.csr", 0, "dn.openssl-default", "subject.C", "AU",
	    W, "remove-subject", "C" },
	{ "empty-value.csr", 0, "dn.empty-value", "subject.O", "", E,
	    "remove-subject", "O" },
	{ "whitespace-edge.csr", 0, "dn.whitespace", "subject.O",
	    " Example Ltd ", W, "set-subject", "O=Example Ltd" },
	{ "whitespace-double.csr", 0, "dn.whitespace", "subject.O",
	    "Example  Ltd", N, "set-subject", "O=Example Ltd" },
	{ "country-usa.csr", 0, "dn.length", "subject.C", "USA", E, NULL,
	    NULL },
	{ "clean.csr", 10, "dn.length", "subject.CN", "www.example.com", E,
	    NULL, NULL },
	{ "printable-at.csr", 0, "dn.printable-charset", "subject.CN",
	    "alice@example.com", E, NULL, NULL },
	{ "string-bmp.csr", 0, "dn.deprecated-string-type", "subject.O",
	    "Example \xe2\x82\xac Ltd", W, "set-subject",
	    "O=Example \xe2\x82\xac Ltd" },
	{ "string-type.csr", 0, "dn.string-type", "subject.C", "GB", W,
	    "set-subject", "C=GB" },
	{ "duplicate-cn.csr", 0, "dn.duplicate-attr", "subject.CN",
	    "b.example.com", W, NULL, NULL },
	{ "email.csr", 0, "dn.email-in-subject", "subject.emailAddress",
	    "alice@example.com", W, "remove-subject", "emailAddress" },
	{ "empty-subject.csr", 0, "dn.empty-subject", "subject", NULL, W,
	    NULL, NULL },
	{ "cert-empty-subject.crt", 0, "dn.empty-subject", "subject", NULL, W,
	    NULL, NULL },
	{ "control-nul.csr", 0, "dn.control-chars", "subject.CN",
	    "www.example.com\\x00.evil.example", E, NULL, NULL },
	{ "multivalued.csr", 0, "dn.multivalued-rdn", "subject.CN",
	    "www.example.com", W, NULL, NULL },
};

/* Inputs where the rule runs and stays silent. */
static const struct want silent[] = {
	{ "length-utf8.csr", 0, "dn.length", NULL, NULL, 0, NULL, NULL },
	{ "clean.csr", 15, "dn.length", NULL, NULL, 0, NULL, NULL },
	{ "cert-issuer-uk.crt", 0, "dn.length", NULL, NULL, 0, NULL, NULL },
	{ "cert-empty-subject-crit.crt", 0, "dn.empty-subject", NULL, NULL, 0,
	    NULL, NULL },
	{ "duplicate-ou.csr", 0, "dn.duplicate-attr", NULL, NULL, 0, NULL,
	    NULL },
	{ "printable-ok.csr", 0, "dn.printable-charset", NULL, NULL, 0, NULL,
	    NULL },
};

/* Decodes corpus/lint/dn/FILE and lints it with RULE enabled. */
static void
run_open(struct tu_run *r, const struct want *w)
{
	struct cs_params	 params;

	cs_params_default(&params);
	if (w->cn_max > 0)
		params.cn_max_len = w->cn_max;
	tu_run_open(r, "dn", w->file, w->rule, &params);
}

static void
test_findings_fixes(void **state)
{
	const struct cs_finding	*f;
	struct tu_run		 r;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(wants) / sizeof(wants[0]); i++) {
		const struct want *w = &wants[i];

		run_open(&r, w);
		print_message("%s %s\n", w->file, w->rule);
		assert_non_null(f = tu_finding_of(r.obj, w->rule));
		assert_string_equal(f->field, w->field);
		if (w->value == NULL)
			assert_null(f->value);
		else
			assert_string_equal(f->value, w->value);
		assert_int_equal(f->severity, w->sev);
		tu_assert_fix(f, w->fix_action, w->fix_value);
		tu_run_close(&r);
	}
}

static void
test_findings_silent(void **state)
{
	struct tu_run	 r;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(silent) / sizeof(silent[0]); i++) {
		run_open(&r, &silent[i]);
		print_message("%s %s\n", silent[i].file, silent[i].rule);
		tu_assert_silent(&r, silent[i].rule);
		tu_run_close(&r);
	}
}

/* A self-signed certificate's issuer is its subject: one finding, not two. */
static void
test_country_code_self_issued(void **state)
{
	static const struct want w = { "cert-state-abbrev.crt", 0,
	    "dn.state-abbrev", NULL, NULL, 0, NULL, NULL };
	const struct cs_object	*obj;
	struct tu_run		 r;

	(void)state;
	run_open(&r, &w);
	obj = r.res.objects.v[0];
	assert_int_equal(obj->findings.n, 1);
	tu_run_close(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_findings_fixes),
		cmocka_unit_test(test_findings_silent),
		cmocka_unit_test(test_country_code_self_issued),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

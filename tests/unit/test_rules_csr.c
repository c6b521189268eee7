/*
 * test_rules_csr - the csr.* rules over the corpus (corpus/lint/csr/, made
 * by corpus/lint/gen-csr.sh): which finding each input gets, and the exact
 * fix the CSR regeneration will apply. The corpus manifest checks trips and
 * silences; this checks the machine-readable remedies and the parameters.
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
	const char	*file;		/* under corpus/lint/csr/ */
	const char	*required;	/* required-key-usage, or NULL */
	const char	*rule;
	const char	*field;
	const char	*fix_action;	/* NULL: no fix expected */
	const char	*fix_value;
};

static const struct want wants[] = {
	{ "bad-signature.csr", NULL, "csr.signature", "signature", NULL, NULL },
	{ "version-1.csr", NULL, "csr.version", "version", NULL, NULL },
	{ "challenge.csr", NULL, "csr.challenge-password",
	    "attributes.challengePassword", "remove-attribute",
	    "challengePassword" },
	{ "unknown-critical.csr", NULL, "csr.unknown-critical-ext",
	    "extensions.1.2.3.4", "remove-extension", "1.2.3.4" },
	{ "ku-ec-keyenc.csr", NULL, "csr.key-usage.key-type",
	    "extensions.keyUsage", "set-extension",
	    "keyUsage=critical,digitalSignature" },
	{ "ku-rsa-keyagree.csr", NULL, "csr.key-usage.key-type",
	    "extensions.keyUsage", "set-extension",
	    "keyUsage=critical,digitalSignature" },
	{ "ku-ed25519-keyenc.csr", NULL, "csr.key-usage.key-type",
	    "extensions.keyUsage", "set-extension",
	    "keyUsage=critical,digitalSignature" },
	{ "ca-requested.csr", NULL, "csr.ca-requested",
	    "extensions.basicConstraints", "remove-extension",
	    "basicConstraints" },
	{ "ext-duplicate.csr", NULL, "csr.extension.duplicate",
	    "extensions.keyUsage", "dedupe-extension", "2.5.29.15" },
	{ "attr-unknown.csr", NULL, "csr.attribute.unknown",
	    "attributes.1.3.6.1.4.1.55555.7", "remove-attribute",
	    "1.3.6.1.4.1.55555.7" },
	{ "san-critical.csr", NULL, "csr.san.critical",
	    "extensions.subjectAltName", "set-extension",
	    "subjectAltName=DNS:www.example.com,IP:192.0.2.1" },
	{ "no-ext.csr", NULL, "csr.key-usage.required",
	    "extensions.keyUsage", NULL, NULL },
	{ "clean-ec.csr", "nonRepudiation", "csr.key-usage.required",
	    "extensions.keyUsage", "set-extension",
	    "keyUsage=critical,digitalSignature,nonRepudiation" },
	{ "no-ext.csr", "nonRepudiation,digitalSignature",
	    "csr.key-usage.required", "extensions.keyUsage", "set-extension",
	    "keyUsage=critical,digitalSignature,nonRepudiation" },
};

/* Inputs where the rule runs and stays silent. */
static const struct want silent[] = {
	{ "clean-ec.csr", NULL, "csr.key-usage.required", NULL, NULL, NULL },
	{ "xroad-sign.csr", "nonRepudiation", "csr.key-usage.required",
	    NULL, NULL, NULL },
	{ "ku-ec-keyagree.csr", NULL, "csr.key-usage.key-type", NULL, NULL,
	    NULL },
	{ "san-critical-empty.csr", NULL, "csr.san.critical", NULL, NULL,
	    NULL },
	{ "challenge.csr", NULL, "csr.attribute.unknown", NULL, NULL, NULL },
};

/* Decodes corpus/lint/csr/FILE and lints it with RULE enabled. */
static void
run_open(struct tu_run *r, const struct want *w)
{
	struct cs_params	 params;

	cs_params_default(&params);
	params.required_key_usage = w->required;
	tu_run_open(r, "csr", w->file, w->rule, &params);
}

static void
test_findings_fixes(void **state)
{
	const struct cs_finding	*f;
	struct tu_run		 r;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(wants) / sizeof(wants[0]); i++) {
		run_open(&r, &wants[i]);
		print_message("%s %s\n", wants[i].file, wants[i].rule);
		assert_non_null(f = tu_finding_of(r.obj, wants[i].rule));
		assert_string_equal(f->field, wants[i].field);
		tu_assert_fix(f, wants[i].fix_action, wants[i].fix_value);
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

/* The challengePassword's text never reaches a finding. */
static void
test_challenge_password_secret(void **state)
{
	static const struct want w = { "challenge.csr", NULL,
	    "csr.challenge-password", NULL, NULL, NULL };
	const struct cs_finding	*f;
	struct tu_run		 r;

	(void)state;
	run_open(&r, &w);
	assert_non_null(f = tu_finding_of(r.obj, w.rule));
	assert_null(f->value);
	assert_null(strstr(f->message, "not-a-real-secret"));
	tu_run_close(&r);
}

/* An unknown name in required-key-usage: the check cannot run. */
static void
test_required_key_usage_bad_param(void **state)
{
	static const struct want w = { "clean-ec.csr", "signing",
	    "csr.key-usage.required", NULL, NULL, NULL };
	struct tu_run	 r;

	(void)state;
	run_open(&r, &w);
	assert_false(tu_ran(r.obj, w.rule));
	assert_null(tu_finding_of(r.obj, w.rule));
	tu_run_close(&r);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_findings_fixes),
		cmocka_unit_test(test_findings_silent),
		cmocka_unit_test(test_challenge_password_secret),
		cmocka_unit_test(test_required_key_usage_bad_param),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

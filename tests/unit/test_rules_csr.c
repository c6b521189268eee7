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

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "input/input.h"
#include "rules/rule.h"

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
	    "extensions.keyUsage", NULL, NULL },
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

struct run {
	struct cs_decoder	*dec;
	struct cs_result	 res;
	struct cs_lint		*lint;
	signed char		*enabled;
};

/* Decodes corpus/lint/csr/FILE and lints it with RULE enabled. */
static void
run_open(struct run *r, const struct want *w)
{
	struct cs_decoder_opts	 dopts = { 0 };
	struct cs_lint_opts	 lopts = { 0 };
	struct cs_params	 params;
	const struct cs_rule *const *all;
	const char		*corpus = getenv("CORPUS"), *err;
	char			 path[512];
	size_t			 i, n;

	memset(r, 0, sizeof(*r));
	snprintf(path, sizeof(path), "%s/lint/csr/%s",
	    corpus != NULL ? corpus : "corpus", w->file);
	assert_non_null(r->dec = cs_decoder_new(&dopts));
	assert_int_equal(cs_decode_file(r->dec, path, &r->res), 0);
	all = cs_rules_all(&n);
	assert_non_null(r->enabled = malloc(n));
	for (i = 0; i < n; i++)
		r->enabled[i] = strcmp(all[i]->id, w->rule) == 0;
	cs_params_default(&params);
	params.required_key_usage = w->required;
	lopts.params = &params;
	lopts.enabled = r->enabled;
	assert_non_null(r->lint = cs_lint_new(&lopts, &err));
	assert_int_equal(cs_lint_run(r->lint,
	    (struct cs_object *const *)r->res.objects.v, r->res.objects.n), 0);
}

static void
run_close(struct run *r)
{
	cs_lint_free(r->lint);
	cs_result_release(&r->res);
	cs_decoder_free(r->dec);
	free(r->enabled);
}

static const struct cs_finding *
finding_of(const struct run *r, const char *rule)
{
	const struct cs_object	*obj = r->res.objects.v[0];
	size_t			 i;

	for (i = 0; i < obj->findings.n; i++) {
		const struct cs_finding *f = obj->findings.v[i];

		if (strcmp(f->rule, rule) == 0)
			return f;
	}
	return NULL;
}

static int
ran(const struct run *r, const char *rule)
{
	const struct cs_object	*obj = r->res.objects.v[0];
	size_t			 i;

	for (i = 0; i < obj->checked.n; i++)
		if (strcmp(obj->checked.v[i], rule) == 0)
			return 1;
	return 0;
}

static void
test_findings_fixes(void **state)
{
	const struct cs_finding	*f;
	struct run		 r;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(wants) / sizeof(wants[0]); i++) {
		run_open(&r, &wants[i]);
		print_message("%s %s\n", wants[i].file, wants[i].rule);
		assert_non_null(f = finding_of(&r, wants[i].rule));
		assert_string_equal(f->field, wants[i].field);
		if (wants[i].fix_action == NULL) {
			assert_null(f->fix_action);
		} else {
			assert_string_equal(f->fix_action, wants[i].fix_action);
			assert_string_equal(f->fix_value, wants[i].fix_value);
		}
		run_close(&r);
	}
}

static void
test_findings_silent(void **state)
{
	struct run	 r;
	size_t		 i;

	(void)state;
	for (i = 0; i < sizeof(silent) / sizeof(silent[0]); i++) {
		run_open(&r, &silent[i]);
		print_message("%s %s\n", silent[i].file, silent[i].rule);
		assert_true(ran(&r, silent[i].rule));
		assert_null(finding_of(&r, silent[i].rule));
		run_close(&r);
	}
}

/* The challengePassword's text never reaches a finding. */
static void
test_challenge_password_secret(void **state)
{
	static const struct want w = { "challenge.csr", NULL,
	    "csr.challenge-password", NULL, NULL, NULL };
	const struct cs_finding	*f;
	struct run		 r;

	(void)state;
	run_open(&r, &w);
	assert_non_null(f = finding_of(&r, w.rule));
	assert_null(f->value);
	assert_null(strstr(f->message, "not-a-real-secret"));
	run_close(&r);
}

/* An unknown name in required-key-usage: the check cannot run. */
static void
test_required_key_usage_bad_param(void **state)
{
	static const struct want w = { "clean-ec.csr", "signing",
	    "csr.key-usage.required", NULL, NULL, NULL };
	struct run	 r;

	(void)state;
	run_open(&r, &w);
	assert_false(ran(&r, w.rule));
	assert_null(finding_of(&r, w.rule));
	run_close(&r);
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

/*
 * test_policy - profiles: loading the shipped profiles and test profiles
 * from corpus/profiles, extends, every kind of broken profile, and the
 * field rules they carry run by the rule field.pattern.
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
#include "policy/policy.h"
#include "rules/rule.h"

#define SHIPPED	CS_SRC_PROFILE_DIR

static char	 err[1024];

static const char *
corpus(const char *rel)
{
	static char	 path[1024];
	const char	*dir = getenv("CORPUS");

	if (dir != NULL && *dir != '\0')
		snprintf(path, sizeof(path), "%s/%s", dir, rel);
	else
		snprintf(path, sizeof(path), "%s/../corpus/%s", SHIPPED, rel);
	return path;
}

static struct cs_profile *
load(const char *spec)
{
	err[0] = '\0';
	return cs_profile_load(spec, SHIPPED, err, sizeof(err));
}

/* Loading a test profile fails with this text in the error. */
static void
fails_with(const char *rel, const char *want)
{
	struct cs_profile	*p = load(corpus(rel));

	assert_null(p);
	if (strstr(err, want) == NULL)
		fail_msg("%s: '%s' lacks '%s'", rel, err, want);
}

static long
index_of(const char *id)
{
	const struct cs_rule *const	*all;
	size_t				 n, i;

	all = cs_rules_all(&n);
	for (i = 0; i < n; i++)
		if (strcmp(all[i]->id, id) == 0)
			return (long)i;
	return -1;
}

/* --- cs_profile_load: shipped profiles ------------------------------ */

static void
test_cs_profile_load_shipped(void **state)
{
	static const char *const names[] = { "default", "cabf-br",
	    "letsencrypt", "x-road-sign", "x-road-auth", "smime" };
	struct cs_profile	*p;
	size_t			 i;

	(void)state;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if ((p = load(names[i])) == NULL)
			fail_msg("%s: %s", names[i], err);
		assert_string_equal(cs_profile_name(p), names[i]);
		cs_profile_free(p);
	}
}

static void
test_cs_profile_load_default_is_builtin(void **state)
{
	struct cs_profile	*p = load("default"), *b = cs_profile_builtin();
	const struct cs_params	*pp, *bp;
	size_t			 n, i;

	(void)state;
	assert_non_null(p);
	assert_non_null(b);
	pp = cs_profile_params(p);
	bp = cs_profile_params(b);
	assert_int_equal(pp->rsa_min_bits, bp->rsa_min_bits);
	assert_int_equal(pp->n_curves, bp->n_curves);
	for (i = 0; i < pp->n_curves; i++)
		assert_string_equal(pp->curves[i], bp->curves[i]);
	assert_int_equal(pp->cn_max_len, bp->cn_max_len);
	assert_int_equal(pp->expiring_days, bp->expiring_days);
	assert_null(pp->required_key_usage);
	(void)cs_rules_all(&n);
	assert_memory_equal(cs_profile_enabled(p), cs_profile_enabled(b), n);
	assert_memory_equal(cs_profile_severity(p), cs_profile_severity(b), n);
	assert_null(cs_profile_fields(p, &n));
	assert_int_equal(n, 0);
	cs_profile_free(p);
	cs_profile_free(b);
}

static void
test_cs_profile_load_cabf_br(void **state)
{
	struct cs_profile	*p = load("cabf-br");
	const struct cs_params	*pp;

	(void)state;
	assert_non_null(p);
	pp = cs_profile_params(p);
	assert_int_equal(pp->max_validity_days, 398);
	assert_int_equal(pp->san_required, 1);
	assert_int_equal(pp->internal_names_ok, 0);
	assert_int_equal(pp->n_curves, 3);
	assert_int_equal(cs_profile_severity(p)[index_of("sig.weak-hash")],
	    CS_SEV_ERROR);
	cs_profile_free(p);
}

static void
test_cs_profile_load_x_road_sign(void **state)
{
	struct cs_profile	*p = load("x-road-sign");
	size_t			 n;

	(void)state;
	assert_non_null(p);
	assert_string_equal(cs_profile_params(p)->required_key_usage,
	    "nonRepudiation");
	assert_non_null(cs_profile_fields(p, &n));
	assert_true(n >= 3);
	cs_profile_free(p);
}

static void
test_cs_profile_load_unknown_name(void **state)
{
	(void)state;
	assert_null(load("no-such-profile"));
	assert_non_null(strstr(err, "no profile 'no-such-profile'"));
	assert_non_null(strstr(err, "cabf-br"));
	assert_non_null(strstr(err, "x-road-auth"));
	assert_null(load("../etc/passwd-ish"));
}

/* --- extends ---------------------------------------------------------- */

static void
test_cs_profile_load_extends_parent_first(void **state)
{
	struct cs_profile	*p = load(corpus("profiles/child.xml"));
	const struct cs_params	*pp;

	(void)state;
	if (p == NULL)
		fail_msg("%s", err);
	assert_string_equal(cs_profile_name(p), "child");
	pp = cs_profile_params(p);
	assert_int_equal(pp->rsa_min_bits, 3072);		/* child */
	assert_int_equal(pp->max_validity_days, 398);		/* cabf-br */
	assert_int_equal(pp->cn_max_len, 64);			/* built-in */
	assert_int_equal(pp->n_curves, 1);
	assert_string_equal(pp->curves[0], "P-384");
	assert_int_equal(cs_profile_severity(p)[index_of("sig.weak-hash")],
	    CS_SEV_WARNING);
	assert_int_equal(cs_profile_enabled(p)[index_of("name.cn-in-san")], 0);
	cs_profile_free(p);
}

static void
test_cs_profile_load_extends_loop(void **state)
{
	(void)state;
	fails_with("profiles/loop-a.xml", "extends loops: ");
	assert_non_null(strstr(err, "loop-a.xml -> "));
	assert_non_null(strstr(err, "loop-b.xml -> "));
}

static void
test_cs_profile_load_extends_depth(void **state)
{
	struct cs_profile	*p;

	(void)state;
	fails_with("profiles/deep1.xml", "extends chain deeper than 8");
	assert_non_null(strstr(err, "deep9.xml"));
	/* Eight files are fine, and the last one's param comes through. */
	p = load(corpus("profiles/deep2.xml"));
	if (p == NULL)
		fail_msg("%s", err);
	assert_int_equal(cs_profile_params(p)->rsa_min_bits, 3072);
	cs_profile_free(p);
}

static void
test_cs_profile_load_extends_missing(void **state)
{
	(void)state;
	fails_with("profiles/missing-parent.xml",
	    "missing-parent.xml:2: extends: no profile 'no-such-profile'");
}

/* --- broken profiles ------------------------------------------------ */

static void
test_cs_profile_load_unknown_rule(void **state)
{
	(void)state;
	fails_with("profiles/unknown-rule.xml",
	    "unknown-rule.xml:4: no rule 'no.such-rule'");
}

static void
test_cs_profile_load_bad_param(void **state)
{
	(void)state;
	fails_with("profiles/bad-param.xml",
	    "bad-param.xml:4: max-validity-days: 'forever' is not a whole");
	fails_with("profiles/bad-curve.xml",
	    "bad-curve.xml:3: allowed-curves: unknown curve 'P-999'");
}

static void
test_cs_profile_load_bad_pattern(void **state)
{
	(void)state;
	fails_with("profiles/bad-pattern.xml",
	    "bad-pattern.xml:4: pattern: missing closing parenthesis at "
	    "offset 9");
}

static void
test_cs_profile_load_schema_error(void **state)
{
	(void)state;
	fails_with("profiles/schema-error.xml", "schema-error.xml:4: ");
	assert_non_null(strstr(err, "no-such-param"));
	fails_with("profiles/not-xml.xml", "not-xml.xml:3: ");
}

static void
test_cs_profile_load_doctype(void **state)
{
	(void)state;
	fails_with("profiles/doctype.xml", "doctype.xml:");
	fails_with("profiles/external-entity.xml",
	    "external-entity.xml:5: a DOCTYPE");
}

/* --- field rules ------------------------------------------------------ */

struct linted {
	struct cs_profile	*prof;
	struct cs_decoder	*dec;
	struct cs_result	 res;
	struct cs_lint		*lint;
};

static void
lint_with(struct linted *t, const char *profile, const char *input)
{
	struct cs_decoder_opts	 dopts = { 0 };
	struct cs_lint_opts	 lopts = { 0 };
	const char		*why;

	memset(t, 0, sizeof(*t));
	t->prof = load(corpus(profile));
	if (t->prof == NULL)
		fail_msg("%s", err);
	cs_profile_lint_opts(t->prof, &lopts);
	assert_non_null(t->dec = cs_decoder_new(&dopts));
	assert_int_equal(cs_decode_file(t->dec, corpus(input), &t->res), 0);
	assert_non_null(t->lint = cs_lint_new(&lopts, &why));
	assert_int_equal(cs_lint_run(t->lint,
	    (struct cs_object *const *)t->res.objects.v, t->res.objects.n), 0);
}

static void
linted_free(struct linted *t)
{
	cs_lint_free(t->lint);
	cs_result_release(&t->res);
	cs_decoder_free(t->dec);
	cs_profile_free(t->prof);
}

static const struct cs_finding *
finding_at(const struct cs_object *obj, const char *field)
{
	const struct cs_finding	*f;
	size_t			 i;

	for (i = 0; i < obj->findings.n; i++) {
		f = obj->findings.v[i];
		if (strcmp(f->rule, "field.pattern") == 0 &&
		    strcmp(f->field, field) == 0)
			return f;
	}
	return NULL;
}

static size_t
field_findings(const struct cs_object *obj)
{
	size_t	 i, n = 0;

	for (i = 0; i < obj->findings.n; i++)
		n += strcmp(((struct cs_finding *)obj->findings.v[i])->rule,
		    "field.pattern") == 0;
	return n;
}

static void
test_check_field_pattern_org_rules(void **state)
{
	struct linted		 t;
	const struct cs_object	*obj;
	const struct cs_finding	*f;

	(void)state;
	lint_with(&t, "profiles/org-rules.xml", "good/csr-rsa2048-san.csr");
	assert_int_equal(t.res.objects.n, 1);
	obj = t.res.objects.v[0];
	assert_non_null(f = finding_at(obj, "subject.O"));
	assert_int_equal(f->severity, CS_SEV_WARNING);
	assert_string_equal(f->value, "Certsmith Test");
	assert_non_null(strstr(f->message, "must be Example Inc"));
	assert_non_null(strstr(f->message, "^Example Inc$"));
	assert_string_equal(f->citation, "profile field rule");
	assert_non_null(f = finding_at(obj, "sans[0]"));
	assert_int_equal(f->severity, CS_SEV_NOTICE);
	assert_non_null(f = finding_at(obj, "sans[1]"));
	assert_null(finding_at(obj, "sans[2]"));	/* an IP, not DNS */
	assert_non_null(f = finding_at(obj, "subject.serialNumber"));
	assert_null(f->value);
	assert_int_equal(f->severity, CS_SEV_ERROR);
	assert_non_null(strstr(f->message, "missing"));
	/* OU, key and signature rules hold; issuer rules skip a CSR. */
	assert_int_equal(field_findings(obj), 4);
	linted_free(&t);
}

static void
test_check_field_pattern_certificate_issuer(void **state)
{
	struct linted		 t;
	const struct cs_object	*obj;

	(void)state;
	lint_with(&t, "profiles/org-rules.xml", "good/leaf-ec-p256.crt");
	obj = t.res.objects.v[0];
	/* The issuer has a CN, so the required issuer.CN rule is quiet. */
	assert_null(finding_at(obj, "issuer.CN"));
	assert_non_null(finding_at(obj, "subject.serialNumber"));
	linted_free(&t);
}

static void
test_check_field_pattern_no_fields_is_na(void **state)
{
	struct linted		 t;
	const struct cs_object	*obj;
	size_t			 i;

	(void)state;
	lint_with(&t, "profiles/deep9.xml", "good/csr-rsa2048-san.csr");
	obj = t.res.objects.v[0];
	assert_int_equal(field_findings(obj), 0);
	for (i = 0; i < obj->checked.n; i++)
		assert_string_not_equal(obj->checked.v[i], "field.pattern");
	linted_free(&t);
}

/* Hostile bytes: invalid UTF-8 and a NUL inside the value. */
static struct cs_object *
object_with_org(const char *value, size_t len)
{
	struct cs_object	*obj;
	struct cs_attr		*a;

	obj = cs_object_new(CS_KIND_CSR, "hostile.csr", 0, CS_ENC_PEM,
	    CS_CONT_NONE, NULL);
	assert_non_null(obj);
	assert_non_null(a = calloc(1, sizeof(*a)));
	obj->subject.attrs = a;
	obj->subject.n = 1;
	assert_non_null(a->type = strdup("O"));
	assert_non_null(a->oid = strdup("2.5.4.10"));
	assert_non_null(a->string_type = strdup("UTF8String"));
	assert_non_null(a->value = malloc(len + 1));
	memcpy(a->value, value, len);
	a->value[len] = '\0';
	a->value_len = len;
	return obj;
}

static void
test_check_field_pattern_hostile_values(void **state)
{
	static const struct {
		const char	*value;
		size_t		 len;
		int		 trips;
	} cases[] = {
		{ "Example Inc", 11, 0 },
		{ "Example Inc\0evil", 16, 1 },
		{ "\xff\xfe" "Example Inc", 13, 1 },
		{ "Example Inc\xc3", 12, 1 },
	};
	struct cs_profile	*p = load(corpus("profiles/org-rules.xml"));
	const struct cs_rule *const *all;
	struct cs_lint_opts	 lopts = { 0 };
	struct cs_lint		*l;
	struct cs_object	*obj;
	const char		*why;
	size_t			 n, i;

	(void)state;
	assert_non_null(p);
	all = cs_rules_all(&n);
	for (i = 0; i < n; i++)
		assert_int_equal(cs_profile_set_enabled(p, all[i]->id,
		    strcmp(all[i]->id, "field.pattern") == 0), 0);
	cs_profile_lint_opts(p, &lopts);
	assert_non_null(l = cs_lint_new(&lopts, &why));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		obj = object_with_org(cases[i].value, cases[i].len);
		assert_int_equal(cs_lint_run(l, &obj, 1), 0);
		if ((finding_at(obj, "subject.O") != NULL) != cases[i].trips)
			fail_msg("case %zu: trips %d", i, !cases[i].trips);
		cs_object_free(obj);
	}
	cs_lint_free(l);
	cs_profile_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cs_profile_load_shipped),
		cmocka_unit_test(test_cs_profile_load_default_is_builtin),
		cmocka_unit_test(test_cs_profile_load_cabf_br),
		cmocka_unit_test(test_cs_profile_load_x_road_sign),
		cmocka_unit_test(test_cs_profile_load_unknown_name),
		cmocka_unit_test(test_cs_profile_load_extends_parent_first),
		cmocka_unit_test(test_cs_profile_load_extends_loop),
		cmocka_unit_test(test_cs_profile_load_extends_depth),
		cmocka_unit_test(test_cs_profile_load_extends_missing),
		cmocka_unit_test(test_cs_profile_load_unknown_rule),
		cmocka_unit_test(test_cs_profile_load_bad_param),
		cmocka_unit_test(test_cs_profile_load_bad_pattern),
		cmocka_unit_test(test_cs_profile_load_schema_error),
		cmocka_unit_test(test_cs_profile_load_doctype),
		cmocka_unit_test(test_check_field_pattern_org_rules),
		cmocka_unit_test(test_check_field_pattern_certificate_issuer),
		cmocka_unit_test(test_check_field_pattern_no_fields_is_na),
		cmocka_unit_test(test_check_field_pattern_hostile_values),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * test_rules - the catalogue's shape (ids, summaries, citations, masks) and
 * the engine: which rules run on which kind, per-rule switches and
 * severities, findings attached to the right object.
 *
 * Objects are built by hand as plain data (the model is plain data), so the
 * engine is tested without the decoder.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rule.h"
#include "testutil.h"

/* A private key object with an RSA key of `bits` bits, and nothing else. */
static struct cs_object *
rsa_key_object(int bits)
{
	struct cs_object	*obj;

	obj = cs_object_new(CS_KIND_PRIVKEY, "mem.key", 0, CS_ENC_PEM,
	    CS_CONT_NONE, "PRIVATE KEY");
	assert_non_null(obj);
	obj->key.present = 1;
	obj->key.algorithm = strdup("rsa");
	obj->key.bits = bits;
	return obj;
}

static struct cs_lint *
lint_new(const struct cs_lint_opts *opts)
{
	const char	*err;
	struct cs_lint	*l = cs_lint_new(opts, &err);

	assert_non_null(l);
	return l;
}

/* Lower-case, dotted, at least two parts, [a-z0-9-] between the dots. */
static int
id_well_formed(const char *id)
{
	const char	*p;
	int		 dots = 0, part = 0;

	for (p = id; *p != '\0'; p++) {
		if (*p == '.') {
			if (part == 0)
				return 0;
			dots++;
			part = 0;
		} else if (islower((unsigned char)*p) ||
		    isdigit((unsigned char)*p) || *p == '-') {
			part++;
		} else
			return 0;
	}
	return dots >= 1 && part > 0;
}

static void
test_cs_rules_all_shape(void **state)
{
	const struct cs_rule *const	*all;
	size_t				 n, i, j;

	(void)state;
	all = cs_rules_all(&n);
	assert_true(n >= 5);
	for (i = 0; i < n; i++) {
		const struct cs_rule *r = all[i];

		assert_true(id_well_formed(r->id));
		assert_non_null(r->summary);
		assert_true(strlen(r->summary) > 10);
		assert_non_null(r->citation);
		assert_true(strlen(r->citation) > 3);
		assert_true(r->severity <= CS_SEV_ERROR);
		assert_true((r->check != NULL) != (r->check_bundle != NULL));
		assert_true(r->applies != 0);
		assert_true((r->check_bundle != NULL) ==
		    ((r->applies & CS_APPLIES_BUNDLE) != 0));
		for (j = 0; j < i; j++)
			assert_string_not_equal(all[j]->id, r->id);
		assert_ptr_equal(cs_rule_find(r->id), r);
	}
}

static void
test_cs_rule_find_fixed_ids(void **state)
{
	static const char *const fixed[] = {
		"csr.signature", "sig.weak-hash", "key.rsa.min-bits",
		"name.cn-in-san", "cert.validity.expired",
	};
	size_t	 i;

	(void)state;
	for (i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
		assert_non_null(cs_rule_find(fixed[i]));
	assert_null(cs_rule_find("no.such-rule"));
	assert_null(cs_rule_find(""));
}

static void
test_cs_applies_names_list(void **state)
{
	char	 buf[64];

	(void)state;
	assert_string_equal(cs_applies_names(CS_APPLIES_CSR | CS_APPLIES_CERT,
	    buf, sizeof(buf)), "csr,certificate");
	assert_string_equal(cs_applies_names(CS_APPLIES_BUNDLE, buf,
	    sizeof(buf)), "bundle");
	assert_string_equal(cs_applies_names(0, buf, sizeof(buf)), "");
	/* A short buffer is cut, never overrun. */
	assert_string_equal(cs_applies_names(CS_APPLIES_KEYS, buf, 5), "csr");
}

static void
test_cs_lint_run_weak_key(void **state)
{
	struct cs_lint_opts	 opts = { .now = 0 };
	struct cs_object	*weak = rsa_key_object(1024);
	struct cs_object	*strong = rsa_key_object(4096);
	struct cs_object	*objs[2] = { weak, strong };
	struct cs_lint		*l = lint_new(&opts);
	const struct cs_finding	*f;

	(void)state;
	assert_int_equal(cs_lint_run(l, objs, 2), 0);
	assert_true(weak->linted && strong->linted);
	assert_true(tu_has_finding(weak, "key.rsa.min-bits"));
	assert_false(tu_has_finding(strong, "key.rsa.min-bits"));
	assert_true(tu_ran(strong, "key.rsa.min-bits"));
	/* CSR-only and certificate-only rules never run on a key. */
	assert_false(tu_ran(weak, "csr.signature"));
	assert_false(tu_ran(weak, "cert.validity.expired"));
	f = weak->findings.v[0];
	assert_string_equal(f->field, "key");
	assert_string_equal(f->value, "1024");
	assert_int_equal(f->severity, CS_SEV_ERROR);
	assert_non_null(f->citation);
	assert_string_equal(f->fix_action, "new-key");
	cs_lint_free(l);
	cs_object_free(weak);
	cs_object_free(strong);
}

static signed char *
per_rule(signed char fill)
{
	size_t		 n;
	signed char	*v;

	(void)cs_rules_all(&n);
	v = malloc(n);
	assert_non_null(v);
	memset(v, fill, n);
	return v;
}

static size_t
index_of(const char *id)
{
	const struct cs_rule *const	*all;
	size_t				 n, i;

	all = cs_rules_all(&n);
	for (i = 0; i < n; i++)
		if (strcmp(all[i]->id, id) == 0)
			return i;
	fail_msg("no rule %s", id);
	return 0;
}

static void
test_cs_lint_run_overrides(void **state)
{
	signed char		*enabled = per_rule(-1), *sev = per_rule(-1);
	struct cs_lint_opts	 opts = { .enabled = enabled, .severity = sev };
	struct cs_object	*obj = rsa_key_object(1024);
	struct cs_params	 params;
	struct cs_lint		*l;

	(void)state;
	sev[index_of("key.rsa.min-bits")] = CS_SEV_NOTICE;
	l = lint_new(&opts);
	assert_int_equal(cs_lint_run(l, &obj, 1), 0);
	assert_int_equal(((struct cs_finding *)obj->findings.v[0])->severity,
	    CS_SEV_NOTICE);
	cs_lint_free(l);
	cs_object_free(obj);

	/* Switched off: it neither runs nor finds. */
	enabled[index_of("key.rsa.min-bits")] = 0;
	obj = rsa_key_object(1024);
	l = lint_new(&opts);
	assert_int_equal(cs_lint_run(l, &obj, 1), 0);
	assert_false(tu_ran(obj, "key.rsa.min-bits"));
	assert_false(tu_has_finding(obj, "key.rsa.min-bits"));
	cs_lint_free(l);
	cs_object_free(obj);

	/* A profile parameter moves the threshold. */
	cs_params_default(&params);
	params.rsa_min_bits = 8192;
	opts.params = &params;
	opts.enabled = NULL;
	opts.severity = NULL;
	obj = rsa_key_object(4096);
	l = lint_new(&opts);
	assert_int_equal(cs_lint_run(l, &obj, 1), 0);
	assert_true(tu_has_finding(obj, "key.rsa.min-bits"));
	cs_lint_free(l);
	cs_object_free(obj);
	free(enabled);
	free(sev);
}

static void
test_cs_finding_add_outside_a_check(void **state)
{
	struct cs_lint_opts	 opts = { 0 };
	struct cs_object	*obj = rsa_key_object(2048);
	struct cs_lint		*l = lint_new(&opts);

	(void)state;
	/* No rule is running and obj is not being linted: refused. */
	assert_null(cs_finding_add(l, obj, "key", NULL, "%s", "x"));
	assert_int_equal(obj->findings.n, 0);
	cs_lint_free(l);
	cs_object_free(obj);
}

static void
test_cs_lint_country_known_iso_codes(void **state)
{
	struct cs_lint_opts	 opts = { 0 };
	struct cs_lint		*l = lint_new(&opts);

	(void)state;
	assert_int_equal(cs_lint_country_known(l, "GB"), 1);
	assert_int_equal(cs_lint_country_known(l, "EE"), 1);
	assert_int_equal(cs_lint_country_known(l, "UK"), 0);
	assert_int_equal(cs_lint_country_known(l, "gb"), 0);
	assert_int_equal(cs_lint_country_known(l, "GBR"), 0);
	assert_int_equal(cs_lint_country_known(l, ""), 0);
	assert_non_null(cs_lint_psl(l));
	cs_lint_free(l);
}

static void
test_cs_severity_parse_names(void **state)
{
	enum cs_severity	 s;

	(void)state;
	assert_int_equal(cs_severity_parse("warning", &s), 0);
	assert_int_equal(s, CS_SEV_WARNING);
	assert_string_equal(cs_severity_name(CS_SEV_NOTICE), "notice");
	assert_int_equal(cs_severity_parse("fatal", &s), -1);
	assert_true(CS_SEV_ERROR > CS_SEV_WARNING &&
	    CS_SEV_WARNING > CS_SEV_NOTICE && CS_SEV_NOTICE > CS_SEV_INFO);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cs_rules_all_shape),
		cmocka_unit_test(test_cs_rule_find_fixed_ids),
		cmocka_unit_test(test_cs_applies_names_list),
		cmocka_unit_test(test_cs_lint_run_weak_key),
		cmocka_unit_test(test_cs_lint_run_overrides),
		cmocka_unit_test(test_cs_finding_add_outside_a_check),
		cmocka_unit_test(test_cs_lint_country_known_iso_codes),
		cmocka_unit_test(test_cs_severity_parse_names),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

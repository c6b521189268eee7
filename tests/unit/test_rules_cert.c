/*
 * test_rules_cert - the numbers of the cert.* rules at their boundaries:
 * validity windows, period lengths, serial signs, versions and repeated
 * extensions, on certificate objects built by hand as plain data.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "rules/rule.h"
#include "testutil.h"

#define DAY	86400
#define NOW	((int64_t)1750000000)	/* 2025-06-15T15:06:40Z */

static struct cs_object *
cert_object(int64_t not_before, int64_t not_after)
{
	struct cs_object	*obj;

	obj = cs_object_new(CS_KIND_CERT, "mem.crt", 0, CS_ENC_PEM,
	    CS_CONT_NONE, "CERTIFICATE");
	assert_non_null(obj);
	obj->version = 2;
	obj->validity.present = 1;
	obj->validity.not_before = not_before;
	obj->validity.not_after = not_after;
	strcpy(obj->validity.not_before_str, "2025-01-01T00:00:00Z");
	strcpy(obj->validity.not_after_str, "2026-01-01T00:00:00Z");
	obj->serial = strdup("4a5b6c7d8e9f0a1b");
	assert_non_null(obj->serial);
	return obj;
}

/* Lints obj at NOW with the given max-validity-days and expiring-days
 * and says whether rule id tripped. */
static int
trips(struct cs_object *obj, const char *id, int max_days, int expiring)
{
	struct cs_params	 p;
	struct cs_lint_opts	 opts = { .now = NOW, .params = &p };
	struct cs_lint		*l;
	const char		*err;
	int			 hit;

	cs_params_default(&p);
	p.max_validity_days = max_days;
	p.expiring_days = expiring;
	l = cs_lint_new(&opts, &err);
	assert_non_null(l);
	assert_int_equal(cs_lint_run(l, &obj, 1), 0);
	hit = tu_has_finding(obj, id);
	cs_lint_free(l);
	cs_object_free(obj);
	return hit;
}

static void
test_check_cert_validity_expiring_window_edges(void **state)
{
	const char *id = "cert.validity.expiring";

	(void)state;
	assert_true(trips(cert_object(0, NOW + 30 * DAY), id, 0, 30));
	assert_false(trips(cert_object(0, NOW + 30 * DAY + 1), id, 0, 30));
	assert_true(trips(cert_object(0, NOW), id, 0, 30));
	assert_false(trips(cert_object(0, NOW - 1), id, 0, 30));
	assert_false(trips(cert_object(0, NOW + DAY), id, 0, 0));
}

static void
test_check_cert_validity_too_long_inclusive_period(void **state)
{
	const char *id = "cert.validity.too-long";

	(void)state;
	/* 398 days including both ends: notAfter = notBefore + 398d - 1s. */
	assert_false(trips(cert_object(0, 398 * DAY - 1), id, 398, 30));
	assert_true(trips(cert_object(0, 398 * DAY), id, 398, 30));
	/* No profile limit and no serverAuth: no ceiling at all. */
	assert_false(trips(cert_object(0, 9000 * DAY), id, 0, 30));
}

static void
test_check_cert_validity_not_yet_valid_and_inverted(void **state)
{
	(void)state;
	assert_false(trips(cert_object(NOW, NOW + DAY),
	    "cert.validity.not-yet-valid", 0, 30));
	assert_true(trips(cert_object(NOW + 1, NOW + DAY),
	    "cert.validity.not-yet-valid", 0, 30));
	assert_false(trips(cert_object(NOW, NOW),
	    "cert.validity.inverted", 0, 30));
	assert_true(trips(cert_object(NOW + 1, NOW),
	    "cert.validity.inverted", 0, 30));
}

static int
serial_trips(const char *serial)
{
	struct cs_object	*obj = cert_object(0, NOW + 365 * DAY);

	free(obj->serial);
	obj->serial = strdup(serial);
	assert_non_null(obj->serial);
	return trips(obj, "cert.serial.not-positive", 0, 30);
}

static void
test_check_cert_serial_not_positive_signs(void **state)
{
	(void)state;
	assert_true(serial_trips("0"));
	assert_true(serial_trips("00"));
	assert_true(serial_trips("-05"));
	assert_false(serial_trips("1"));
	assert_false(serial_trips("100"));
}

static void
add_ext(struct cs_object *obj, const char *oid)
{
	struct cs_ext	*e;

	e = realloc(obj->exts, (obj->n_exts + 1) * sizeof(*e));
	assert_non_null(e);
	obj->exts = e;
	memset(&e[obj->n_exts], 0, sizeof(*e));
	e[obj->n_exts].oid = strdup(oid);
	assert_non_null(e[obj->n_exts].oid);
	obj->n_exts++;
}

static void
test_check_cert_version_extensions_by_version(void **state)
{
	struct cs_object	*obj;
	const char		*id = "cert.version.extensions";

	(void)state;
	obj = cert_object(0, NOW + DAY);
	add_ext(obj, "2.5.29.19");
	assert_false(trips(obj, id, 0, 30));
	obj = cert_object(0, NOW + DAY);
	obj->version = 1;
	add_ext(obj, "2.5.29.19");
	assert_true(trips(obj, id, 0, 30));
	obj = cert_object(0, NOW + DAY);
	obj->version = 0;
	assert_false(trips(obj, id, 0, 30));
}

static void
test_check_cert_ext_duplicate_same_oid(void **state)
{
	struct cs_object	*obj;
	const char		*id = "cert.ext.duplicate";

	(void)state;
	obj = cert_object(0, NOW + DAY);
	add_ext(obj, "2.5.29.19");
	add_ext(obj, "2.5.29.15");
	assert_false(trips(obj, id, 0, 30));
	obj = cert_object(0, NOW + DAY);
	add_ext(obj, "2.5.29.19");
	add_ext(obj, "2.5.29.15");
	add_ext(obj, "2.5.29.19");
	assert_true(trips(obj, id, 0, 30));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_cert_validity_expiring_window_edges),
		cmocka_unit_test(test_check_cert_validity_too_long_inclusive_period),
		cmocka_unit_test(test_check_cert_validity_not_yet_valid_and_inverted),
		cmocka_unit_test(test_check_cert_serial_not_positive_signs),
		cmocka_unit_test(test_check_cert_version_extensions_by_version),
		cmocka_unit_test(test_check_cert_ext_duplicate_same_oid),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

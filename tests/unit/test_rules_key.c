/*
 * test_rules_key - the number theory behind the key.* rules: small factors,
 * Fermat's method, the ROCA fingerprint and the RSA exponent classes. The
 * helpers are static, so the family file is compiled into the test.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "rules/key.c"

/* Mersenne primes: no factor below 10000, far apart. */
#define M89	"618970019642690137449562111"
#define M127	"170141183460469231731687303715884105727"

static void
set(mpz_t n, const char *a, const char *b)
{
	mpz_t	 t;

	mpz_init_set_str(t, b, 10);
	mpz_set_str(n, a, 10);
	mpz_mul(n, n, t);
	mpz_clear(t);
}

static void
test_small_factor_found(void **state)
{
	mpz_t	 n;

	(void)state;
	mpz_init(n);
	set(n, "9973", M127);
	assert_int_equal(small_factor(n), 9973);
	set(n, "2", M127);
	assert_int_equal(small_factor(n), 2);
	set(n, "3", "9967");
	assert_int_equal(small_factor(n), 3);
	mpz_clear(n);
}

static void
test_small_factor_none(void **state)
{
	mpz_t	 n;

	(void)state;
	mpz_init(n);
	set(n, M89, M127);
	assert_int_equal(small_factor(n), 0);
	set(n, "10007", "10009");
	assert_int_equal(small_factor(n), 0);
	mpz_clear(n);
}

static void
test_fermat_splits_close(void **state)
{
	mpz_t	 n;

	(void)state;
	mpz_init(n);
	set(n, "1000003", "1000033");
	assert_true(fermat_splits(n, FERMAT_ROUNDS));
	set(n, M127, M127);
	assert_true(fermat_splits(n, 1));
	mpz_clear(n);
}

static void
test_fermat_splits_far(void **state)
{
	mpz_t	 n;

	(void)state;
	mpz_init(n);
	set(n, M89, M127);
	assert_false(fermat_splits(n, FERMAT_ROUNDS));
	set(n, "2", M127);
	assert_false(fermat_splits(n, FERMAT_ROUNDS));
	mpz_clear(n);
}

static void
test_fermat_splits_round_count(void **state)
{
	mpz_t	 n;

	(void)state;
	/* 303 = 52^2 - 49^2; the search starts at ceil(sqrt(303)) = 18. */
	mpz_init_set_ui(n, 303);
	assert_false(fermat_splits(n, 34));
	assert_true(fermat_splits(n, 35));
	mpz_clear(n);
}

static void
test_roca_shape_generator_power(void **state)
{
	mpz_t	 n;

	(void)state;
	mpz_init(n);
	mpz_ui_pow_ui(n, 65537, 1234);
	assert_true(roca_shape(n));
	mpz_set_ui(n, 1);
	assert_true(roca_shape(n));
	mpz_clear(n);
}

static void
test_roca_shape_ordinary(void **state)
{
	mpz_t	 n;

	(void)state;
	mpz_init(n);
	set(n, M89, M127);
	assert_false(roca_shape(n));
	mpz_set_ui(n, 2);
	assert_false(roca_shape(n));
	mpz_clear(n);
}

static void
test_roca_primes_table(void **state)
{
	const struct roca_prime	*rp;
	size_t			 i;
	unsigned		 g;

	(void)state;
	for (i = 0; i < sizeof(roca_primes) / sizeof(roca_primes[0]); i++) {
		rp = &roca_primes[i];
		g = 65537 % rp->p;
		assert_true(rp->mask[0] >> 1 & 1);
		assert_true(rp->mask[g / 32] >> (g % 32) & 1);
		assert_false(rp->mask[0] & 1);
	}
}

static void
test_exponent_class_values(void **state)
{
	static const struct {
		const char		*e;
		enum exponent_class	 want;
	} cases[] = {
		{ "0", EXP_BROKEN }, { "1", EXP_BROKEN }, { "2", EXP_BROKEN },
		{ "65536", EXP_BROKEN }, { "3", EXP_SMALL }, { "17", EXP_SMALL },
		{ "65535", EXP_SMALL }, { "65537", EXP_OK }, { "65539", EXP_OK },
		{ M127, EXP_OK },
		{ "115792089237316195423570985008687907853269984665640564039457584007913129639935",
		    EXP_OK },
		{ "115792089237316195423570985008687907853269984665640564039457584007913129639937",
		    EXP_LARGE },
	};
	mpz_t	 e;
	size_t	 i;

	(void)state;
	mpz_init(e);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mpz_set_str(e, cases[i].e, 10);
		assert_int_equal(exponent_class(e), cases[i].want);
	}
	mpz_clear(e);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f)	cmocka_unit_test(f)
		T(test_small_factor_found),
		T(test_small_factor_none),
		T(test_fermat_splits_close),
		T(test_fermat_splits_far),
		T(test_fermat_splits_round_count),
		T(test_roca_shape_generator_power),
		T(test_roca_shape_ordinary),
		T(test_roca_primes_table),
		T(test_exponent_class_values),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

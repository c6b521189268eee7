/*
 * The fleet checks of `scan` and `merge`: what they report across files
 * (a mismatch, a shared factor, ...) is named like a rule so reports
 * (SARIF ruleId, JUnit test cases) and the catalogue treat it as one.
 * The engine never runs these; the scan's analysis (analyse.c,
 * mismatch.c, weak.c) finds them.
 */
#include "config.h"

#include <string.h>

#include "scan/scan.h"

static const struct cs_rule check_mismatch = {
	.id = "scan.mismatch",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_FLEET,
	.summary = "private key and certificate meant to go together (web server "
	    "config, one file, one name stem, one directory) hold different "
	    "keys",
	.citation = "RFC 5280 4.1.2.7; RFC 8446 4.4.3",
};

static const struct cs_rule check_shared_factor = {
	.id = "scan.shared-factor",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_FLEET,
	.summary = "RSA moduli of different keys share a prime (batch GCD over "
	    "the fleet): both private keys can be computed",
	.citation = "Heninger et al., Mining Your Ps and Qs, USENIX Security "
	    "2012",
};

static const struct cs_rule check_duplicate_modulus = {
	.id = "scan.duplicate-modulus",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_FLEET,
	.summary = "different keys with the same RSA modulus: either private "
	    "key gives the other",
	.citation = "Heninger et al., Mining Your Ps and Qs, USENIX Security "
	    "2012, 3.3",
};

static const struct cs_rule check_key_reuse = {
	.id = "scan.key-reuse",
	.severity = CS_SEV_WARNING,
	.applies = CS_APPLIES_FLEET,
	.summary = "one key in certificates for different subjects, or under "
	    "different top-level directories or hosts",
	.citation = "NIST SP 800-57 Part 1 Rev. 5, 5.2",
};

static const struct cs_rule check_orphan_key = {
	.id = "scan.orphan-key",
	.severity = CS_SEV_NOTICE,
	.applies = CS_APPLIES_FLEET,
	.summary = "private key with no certificate or CSR of its key anywhere "
	    "in the fleet",
	.citation = "NIST SP 800-57 Part 1 Rev. 5, 8.3.4",
};

static const struct cs_rule check_locked_key = {
	.id = "scan.locked-key",
	.severity = CS_SEV_INFO,
	.applies = CS_APPLIES_FLEET,
	.summary = "encrypted private key that no --passin opened, so it "
	    "cannot be paired",
	.citation = "RFC 5958 3",
};

static const struct cs_rule check_keyless_cert = {
	.id = "scan.keyless-certificate",
	.severity = CS_SEV_INFO,
	.applies = CS_APPLIES_FLEET,
	.summary = "end-entity certificate whose private key is not in the "
	    "fleet",
	.citation = "RFC 5280 4.1.2.7",
};

static const struct cs_rule check_expired = {
	.id = "scan.expired",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_FLEET,
	.summary = "certificate in the fleet expired (at --at)",
	.citation = "RFC 5280 4.1.2.5",
	.params = "expiring-days",
};

static const struct cs_rule check_expiring = {
	.id = "scan.expiring",
	.severity = CS_SEV_WARNING,
	.applies = CS_APPLIES_FLEET,
	.summary = "certificate in the fleet expires within --expiring days",
	.citation = "RFC 5280 4.1.2.5",
	.params = "expiring-days",
};

static const struct cs_rule *const checks[] = {
	&check_mismatch,
	&check_shared_factor,
	&check_duplicate_modulus,
	&check_key_reuse,
	&check_orphan_key,
	&check_locked_key,
	&check_keyless_cert,
	&check_expired,
	&check_expiring,
};

const struct cs_rule *const *
cs_fleet_checks(size_t *n)
{
	*n = sizeof(checks) / sizeof(checks[0]);
	return checks;
}

const struct cs_rule *
cs_fleet_check(const char *id)
{
	size_t	 i;

	for (i = 0; i < sizeof(checks) / sizeof(checks[0]); i++)
		if (strcmp(checks[i]->id, id) == 0)
			return checks[i];
	return NULL;
}

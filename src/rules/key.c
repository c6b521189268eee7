/* key.*: the strength and soundness of public keys. */
#include "config.h"

#include <string.h>

#include "rules/rules-int.h"

static enum cs_check
check_key_rsa_min_bits(struct cs_lint *l, const struct cs_object *obj)
{
	const struct cs_params	*p = cs_lint_params(l);
	struct cs_finding	*f;
	char			 bits[16], fix[32];

	if (!rule_is_rsa(obj))
		return CS_CHECK_NA;
	if (obj->key.bits <= 0)
		return CS_CHECK_FAILED;
	if (obj->key.bits >= p->rsa_min_bits)
		return CS_CHECK_RAN;
	snprintf(bits, sizeof(bits), "%d", obj->key.bits);
	snprintf(fix, sizeof(fix), "rsa:%d",
	    p->rsa_min_bits > 3072 ? p->rsa_min_bits : 3072);
	f = cs_finding_add(l, obj, "key", bits,
	    "RSA key of %d bits is below the minimum of %d", obj->key.bits,
	    p->rsa_min_bits);
	if (f == NULL || cs_finding_fix(f, "new-key", fix) == -1)
		return CS_CHECK_FAILED;
	return CS_CHECK_RAN;
}

static const struct cs_rule rule_key_rsa_min_bits = {
	.id = "key.rsa.min-bits",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_KEYS,
	.summary = "RSA modulus shorter than the profile minimum",
	.citation = "CA/B Forum BR 6.1.5; NIST SP 800-131A Rev. 2",
	.params = "rsa-min-bits",
	.check = check_key_rsa_min_bits,
};

const struct cs_rule *const cs_family_key[] = {
	&rule_key_rsa_min_bits,
	NULL,
};

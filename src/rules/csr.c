/* csr.*: what a certificate request asks for. */
#include "config.h"

#include "rules/rules-int.h"

static enum cs_check
check_csr_signature(struct cs_lint *l, const struct cs_object *obj)
{
	if (obj->sig.valid == CS_UNKNOWN)
		return CS_CHECK_FAILED;
	if (obj->sig.valid == CS_YES)
		return CS_CHECK_RAN;
	return cs_finding_add(l, obj, "signature", obj->sig.algorithm,
	    "the request's self-signature does not verify with its own key: "
	    "it does not prove possession of the private key, and a CA will "
	    "reject it") == NULL ? CS_CHECK_FAILED : CS_CHECK_RAN;
}

static const struct cs_rule rule_csr_signature = {
	.id = "csr.signature",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_CSR,
	.summary = "the CSR's self-signature (proof of possession) does not verify",
	.citation = "RFC 2986 section 3; RFC 4211 section 4",
	.check = check_csr_signature,
};

const struct cs_rule *const cs_family_csr[] = {
	&rule_csr_signature,
	NULL,
};

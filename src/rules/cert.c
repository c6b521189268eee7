/* cert.*: certificate validity, serial and extensions. */
#include "config.h"

#include "rules/rules-int.h"

static enum cs_check
check_cert_validity_expired(struct cs_lint *l, const struct cs_object *obj)
{
	if (!obj->validity.present)
		return CS_CHECK_FAILED;
	if (obj->validity.not_after >= cs_lint_now(l))
		return CS_CHECK_RAN;
	return cs_finding_add(l, obj, "validity.not_after",
	    obj->validity.not_after_str, "the certificate expired on %s",
	    obj->validity.not_after_str) == NULL ?
	    CS_CHECK_FAILED : CS_CHECK_RAN;
}

static const struct cs_rule rule_cert_validity_expired = {
	.id = "cert.validity.expired",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_CERT,
	.summary = "notAfter is before the evaluation time",
	.citation = "RFC 5280 4.1.2.5",
	.check = check_cert_validity_expired,
};

const struct cs_rule *const cs_family_cert[] = {
	&rule_cert_validity_expired,
	NULL,
};

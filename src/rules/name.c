/* name.*: host names, SANs and what they cover. */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "rules/rules-int.h"

/* A CN that is meant as a host name: has a dot, no space, no '@'. */
static int
looks_like_host(const struct cs_attr *cn)
{
	return cn->value_len == strlen(cn->value) &&
	    strchr(cn->value, '.') != NULL && strchr(cn->value, ' ') == NULL &&
	    strchr(cn->value, '@') == NULL;
}

static int
in_dns_sans(const struct cs_object *obj, const char *name)
{
	size_t	 i;

	for (i = 0; i < obj->n_sans; i++)
		if ((obj->sans[i].type == CS_SAN_DNS ||
		    obj->sans[i].type == CS_SAN_IP) &&
		    strcasecmp(obj->sans[i].value, name) == 0)
			return 1;
	return 0;
}

static enum cs_check
check_name_cn_in_san(struct cs_lint *l, const struct cs_object *obj)
{
	const struct cs_attr	*cn = rule_subject_attr(obj, RULE_OID_CN);
	struct cs_finding	*f;
	char			*fix;

	if (cn == NULL || !looks_like_host(cn) || obj->n_sans == 0)
		return CS_CHECK_NA;
	if (in_dns_sans(obj, cn->value))
		return CS_CHECK_RAN;
	f = cs_finding_add(l, obj, "subject.CN", cn->value,
	    "the CN '%s' is not among the subject alternative names; clients "
	    "ignore the CN and a CA will drop or reject it", cn->value);
	if (f == NULL || (fix = cs_printf("dns:%s", cn->value)) == NULL)
		return CS_CHECK_FAILED;
	if (cs_finding_fix(f, "add-san", fix) == -1) {
		free(fix);
		return CS_CHECK_FAILED;
	}
	free(fix);
	return CS_CHECK_RAN;
}

static const struct cs_rule rule_name_cn_in_san = {
	.id = "name.cn-in-san",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_NAMED,
	.summary = "the CN is a host name that is not among the DNS SANs",
	.citation = "CA/B Forum BR 7.1.4.3; RFC 6125 6.4.4",
	.check = check_name_cn_in_san,
};

const struct cs_rule *const cs_family_name[] = {
	&rule_name_cn_in_san,
	NULL,
};

/* sig.*: signature algorithms and parameters. */
#include "config.h"

#include <string.h>

#include "rules/rules-int.h"

static int
is_self_signed(const struct cs_object *obj)
{
	return obj->kind == CS_KIND_CERT && obj->sig.valid == CS_YES;
}

static int
weak_hash(const char *hash)
{
	static const char *const weak[] = { "md2", "md4", "md5", "sha1" };
	size_t	 i;

	for (i = 0; i < sizeof(weak) / sizeof(weak[0]); i++)
		if (strcmp(hash, weak[i]) == 0)
			return 1;
	return 0;
}

static enum cs_check
check_sig_weak_hash(struct cs_lint *l, const struct cs_object *obj)
{
	struct cs_finding	*f;

	if (!obj->sig.present)
		return CS_CHECK_NA;
	if (obj->sig.hash == NULL || !weak_hash(obj->sig.hash))
		return CS_CHECK_RAN;
	f = cs_finding_add(l, obj, "signature", obj->sig.algorithm,
	    "signed with %s, a hash that no longer resists collisions%s",
	    obj->sig.hash, is_self_signed(obj) ?
	    " (a self-signed trust anchor's own signature is not relied on)" :
	    "");
	if (f == NULL || cs_finding_fix(f, "set-digest", "sha256") == -1)
		return CS_CHECK_FAILED;
	if (is_self_signed(obj) && f->severity > CS_SEV_NOTICE)
		f->severity = CS_SEV_NOTICE;
	return CS_CHECK_RAN;
}

static const struct cs_rule rule_sig_weak_hash = {
	.id = "sig.weak-hash",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_CSR | CS_APPLIES_CERT,
	.summary = "signed with MD2, MD4, MD5 or SHA-1",
	.citation = "CA/B Forum BR 7.1.3.2; RFC 6151; RFC 9155",
	.check = check_sig_weak_hash,
};

const struct cs_rule *const cs_family_sig[] = {
	&rule_sig_weak_hash,
	NULL,
};

/* Small lookups shared by the rule families. */
#include "config.h"

#include <string.h>

#include <openssl/err.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "rules/rules-int.h"

const struct cs_attr *
rule_subject_attr(const struct cs_object *obj, const char *oid)
{
	const struct cs_attr	*found = NULL;
	size_t			 i;

	for (i = 0; i < obj->subject.n; i++)
		if (strcmp(obj->subject.attrs[i].oid, oid) == 0)
			found = &obj->subject.attrs[i];
	return found;
}

int
rule_is_rsa(const struct cs_object *obj)
{
	return obj->key.present && obj->key.algorithm != NULL &&
	    (strcmp(obj->key.algorithm, "rsa") == 0 ||
	    strcmp(obj->key.algorithm, "rsa-pss") == 0);
}

const struct cs_ext *
rule_ext(const struct cs_object *obj, const char *oid)
{
	size_t	 i;

	for (i = 0; i < obj->n_exts; i++)
		if (strcmp(obj->exts[i].oid, oid) == 0)
			return &obj->exts[i];
	return NULL;
}

int
rule_is_ca(const struct cs_object *obj)
{
	BASIC_CONSTRAINTS	*bc;
	const struct cs_ext	*ext;
	int			 ca;

	if (obj->cert == NULL) {
		ext = rule_ext(obj, "2.5.29.19");
		return ext != NULL && ext->value != NULL &&
		    strstr(ext->value, "CA:TRUE") != NULL;
	}
	bc = X509_get_ext_d2i(obj->cert, NID_basic_constraints, NULL, NULL);
	ERR_clear_error();
	ca = bc != NULL && bc->ca != 0;
	BASIC_CONSTRAINTS_free(bc);
	return ca;
}

int
rule_is_trust_anchor(const struct cs_object *obj)
{
	return obj->kind == CS_KIND_CERT && obj->sig.valid == CS_YES &&
	    (obj->version == 0 || rule_is_ca(obj));
}

int
rule_self_issued(const struct cs_object *obj)
{
	return obj->cert != NULL &&
	    X509_NAME_cmp(X509_get_subject_name(obj->cert),
	    X509_get_issuer_name(obj->cert)) == 0;
}

enum cs_check
rule_done(const struct cs_finding *f)
{
	return f == NULL ? CS_CHECK_FAILED : CS_CHECK_RAN;
}

enum cs_check
rule_done_fix(struct cs_finding *f, const char *action, const char *value)
{
	if (f == NULL || cs_finding_fix(f, action, value) == -1)
		return CS_CHECK_FAILED;
	return CS_CHECK_RAN;
}

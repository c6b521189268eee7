/* Loading rules/NAME.xml: to be written. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "policy/policy-int.h"

const char *
cs_profile_dir(void)
{
	const char	*env = getenv("CERTSMITH_PROFILE_DIR");

	return env != NULL && *env != '\0' ? env : CS_SRC_PROFILE_DIR;
}

struct cs_profile *
cs_profile_load(const char *spec, const char *dir, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s: profiles cannot be loaded yet", spec);
	return NULL;
}

void
profile_fields_free(struct cs_profile *p)
{
	free(p->fields);
	p->fields = NULL;
	p->n_fields = 0;
}

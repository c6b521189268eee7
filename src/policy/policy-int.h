/* Internal to src/policy. */
#ifndef CS_POLICY_INT_H
#define CS_POLICY_INT_H

#include "policy/policy.h"
#include "util/util.h"

struct cs_profile {
	char			*name;
	struct cs_params	 params;
	signed char		*enabled;	/* n_rules, -1: table default */
	signed char		*severity;	/* n_rules, -1: table default */
	size_t			 n_rules;
	struct cs_field_rule	*fields;
	size_t			 n_fields;
	struct cs_vec		 strings;	/* char *: owned text params point to */
};

void	 profile_fields_free(struct cs_profile *p);

struct _xmlNode;
/* Applies one validated profile element (<profile>) on top of what p holds
 * (its parent's settings, or the built-in defaults) and takes its name.
 * 0, or -1 with "FILE:LINE: reason" in err. */
int	 profile_apply(struct cs_profile *p, struct _xmlNode *root,
	    const char *file, char *err, size_t errlen);

#endif

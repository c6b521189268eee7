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

#endif

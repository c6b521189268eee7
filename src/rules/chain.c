/* chain.*: (rules to come) */
#include "config.h"

#include "rules/rules-int.h"

const struct cs_rule *const cs_family_chain[] = {
	NULL,
};

/*
 * Internal to src/rules: each family file exports one NULL-terminated table
 * of its rules; registry.c lists the families in catalogue order.
 */
#ifndef CS_RULES_INT_H
#define CS_RULES_INT_H

#include "rules/rule.h"

extern const struct cs_rule *const cs_family_key[];
extern const struct cs_rule *const cs_family_sig[];
extern const struct cs_rule *const cs_family_name[];
extern const struct cs_rule *const cs_family_dn[];
extern const struct cs_rule *const cs_family_csr[];
extern const struct cs_rule *const cs_family_cert[];
extern const struct cs_rule *const cs_family_chain[];
extern const struct cs_rule *const cs_family_field[];

#endif

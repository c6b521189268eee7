/*
 * policy.h - profiles: rules/NAME.xml, validated against rules/profile.xsd,
 * turned into the parameters, per-rule switches and severities, and
 * compiled field patterns the rule engine runs with.
 *
 * Ownership: a struct cs_profile owns everything it hands out (parameters,
 * the arrays, field rules and their compiled PCRE2 code); they live until
 * cs_profile_free(). The per-rule arrays are indexed like cs_rules_all().
 */
#ifndef CS_POLICY_H
#define CS_POLICY_H

#include <stddef.h>

#include "rules/rule.h"

struct cs_profile;

/*
 * The table's defaults with no file behind them: what `lint` uses without
 * --profile, and what rules/default.xml must equal. NULL: out of memory.
 */
struct cs_profile *cs_profile_builtin(void);

/*
 * Loads a profile: a PATH when spec contains '/' or ends in ".xml", else the
 * shipped profile NAME from dir (NULL: cs_profile_dir()). Follows "extends"
 * (a loop or a chain deeper than 8 is an error). NULL on failure, with err
 * naming the file, the line and the reason.
 */
struct cs_profile *cs_profile_load(const char *spec, const char *dir,
		    char *err, size_t errlen);
void		 cs_profile_free(struct cs_profile *p);

/* Where shipped profiles are: $CERTSMITH_PROFILE_DIR, else the installed
 * directory, else the source tree's rules/ (an uninstalled build). */
const char	*cs_profile_dir(void);

const char	*cs_profile_name(const struct cs_profile *p);
const struct cs_params *cs_profile_params(const struct cs_profile *p);
const signed char *cs_profile_enabled(const struct cs_profile *p);
const signed char *cs_profile_severity(const struct cs_profile *p);
const struct cs_field_rule *cs_profile_fields(const struct cs_profile *p,
		    size_t *n);

/* Command-line overrides (--enable/--disable, --expiring): 0, or -1 when
 * the rule id is unknown. */
int		 cs_profile_set_enabled(struct cs_profile *p, const char *id,
		    int on);
void		 cs_profile_set_expiring(struct cs_profile *p, int days);

/* Fills lint options from the profile (params, switches, fields). */
void		 cs_profile_lint_opts(const struct cs_profile *p,
		    struct cs_lint_opts *opts);

#endif

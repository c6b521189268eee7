/* Profiles: the built-in defaults and per-rule overrides. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "policy/policy-int.h"

struct cs_profile *
cs_profile_builtin(void)
{
	struct cs_profile	*p;
	size_t			 n;

	(void)cs_rules_all(&n);
	if ((p = calloc(1, sizeof(*p))) == NULL)
		return NULL;
	p->n_rules = n;
	p->enabled = malloc(n ? n : 1);
	p->severity = malloc(n ? n : 1);
	p->name = cs_strdup("default");
	if (p->enabled == NULL || p->severity == NULL || p->name == NULL) {
		cs_profile_free(p);
		return NULL;
	}
	memset(p->enabled, -1, n);
	memset(p->severity, -1, n);
	cs_params_default(&p->params);
	return p;
}

void
cs_profile_free(struct cs_profile *p)
{
	size_t	 i;

	if (p == NULL)
		return;
	for (i = 0; i < p->strings.n; i++)
		free(p->strings.v[i]);
	cs_vec_release(&p->strings);
	profile_fields_free(p);
	free(p->enabled);
	free(p->severity);
	free(p->name);
	free(p);
}

const char *
cs_profile_name(const struct cs_profile *p)
{
	return p->name;
}

const struct cs_params *
cs_profile_params(const struct cs_profile *p)
{
	return &p->params;
}

const signed char *
cs_profile_enabled(const struct cs_profile *p)
{
	return p->enabled;
}

const signed char *
cs_profile_severity(const struct cs_profile *p)
{
	return p->severity;
}

const struct cs_field_rule *
cs_profile_fields(const struct cs_profile *p, size_t *n)
{
	*n = p->n_fields;
	return p->fields;
}

int
cs_profile_set_enabled(struct cs_profile *p, const char *id, int on)
{
	long	 i = cs_rule_index(id);

	if (i < 0)
		return -1;
	p->enabled[i] = (signed char)(on ? 1 : 0);
	return 0;
}

void
cs_profile_set_expiring(struct cs_profile *p, int days)
{
	p->params.expiring_days = days;
}

void
cs_profile_lint_opts(const struct cs_profile *p, struct cs_lint_opts *opts)
{
	opts->params = &p->params;
	opts->enabled = p->enabled;
	opts->severity = p->severity;
	opts->fields = p->fields;
	opts->n_fields = p->n_fields;
}

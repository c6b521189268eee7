/* The catalogue: every family's table, flattened once, in this order. */
#include "rules/rules-int.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

static const struct cs_rule *const *const families[] = {
	cs_family_key,
	cs_family_sig,
	cs_family_name,
	cs_family_dn,
	cs_family_csr,
	cs_family_cert,
	cs_family_chain,
	cs_family_field,
};
#define NFAMILIES (sizeof(families) / sizeof(families[0]))

/* Generous ceiling; registry_build() refuses to overflow it. */
#define MAX_RULES 256

struct catalogue {
	const struct cs_rule	*v[MAX_RULES];
	size_t			 n;
};

static void
registry_build(struct catalogue *c)
{
	size_t	 f, i;

	c->n = 0;
	for (f = 0; f < NFAMILIES; f++)
		for (i = 0; families[f][i] != NULL && c->n < MAX_RULES; i++)
			c->v[c->n++] = families[f][i];
}

/* Flattened once per process (pthread_once: scan lints from threads) and
 * never written again. */
static struct catalogue	 flat;
static pthread_once_t	 flat_once = PTHREAD_ONCE_INIT;

static void
flat_build(void)
{
	registry_build(&flat);
}

static const struct catalogue *
catalogue(void)
{
	pthread_once(&flat_once, flat_build);
	return &flat;
}

const struct cs_rule *const *
cs_rules_all(size_t *n)
{
	const struct catalogue *c = catalogue();

	*n = c->n;
	return c->v;
}

long
cs_rule_index(const char *id)
{
	const struct catalogue	*c = catalogue();
	size_t			 i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->v[i]->id, id) == 0)
			return (long)i;
	return -1;
}

const struct cs_rule *
cs_rule_find(const char *id)
{
	long	 i = cs_rule_index(id);

	return i < 0 ? NULL : catalogue()->v[i];
}

static const struct {
	unsigned	 bit;
	const char	*name;
} applies_names[] = {
	{ CS_APPLIES_CSR, "csr" },
	{ CS_APPLIES_CERT, "certificate" },
	{ CS_APPLIES_PRIVKEY, "private-key" },
	{ CS_APPLIES_PUBKEY, "public-key" },
	{ CS_APPLIES_BUNDLE, "bundle" },
	{ CS_APPLIES_FLEET, "fleet" },
};

const char *
cs_applies_names(unsigned applies, char *buf, size_t size)
{
	size_t	 i, off = 0;

	buf[0] = '\0';
	for (i = 0; i < sizeof(applies_names) / sizeof(applies_names[0]); i++) {
		if (!(applies & applies_names[i].bit))
			continue;
		int w = snprintf(buf + off, size - off, "%s%s",
		    off ? "," : "", applies_names[i].name);
		if (w < 0 || (size_t)w >= size - off) {
			buf[off] = '\0';	/* whole names only */
			break;
		}
		off += (size_t)w;
	}
	return buf;
}

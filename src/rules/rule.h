/*
 * rule.h - the rule engine: the catalogue of rules, the parameters a profile
 * sets, and the lint context that runs rules over decoded objects.
 *
 * A rule is one `static const struct cs_rule` in the file of its family
 * (src/rules/<family>.c), named rule_<id with dots and dashes as '_'>, and
 * listed in that family's table; src/rules/registry.c lists the families.
 * A check never prints: it appends findings with cs_finding_add() and
 * returns CS_CHECK_RAN, CS_CHECK_NA (nothing to look at in this object: no
 * SAN, no RSA key, ...) or CS_CHECK_FAILED (it could not run: a locked key,
 * out of memory). Only CS_CHECK_RAN counts as "the rule applied" in reports.
 *
 * Ownership: the catalogue is static. A struct cs_lint is created by the
 * command, borrows the profile parameters it is given (they must outlive
 * it), owns its loaded data (public suffix list, country codes), and
 * attaches the findings it produces to the objects it is run over; the
 * objects own them from then on (cs_object_free releases them).
 */
#ifndef CS_RULES_RULE_H
#define CS_RULES_RULE_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/types.h>

#include "model/object.h"

/* What a rule applies to (mask). */
enum cs_applies {
	CS_APPLIES_CSR = 1 << 0,
	CS_APPLIES_CERT = 1 << 1,
	CS_APPLIES_PRIVKEY = 1 << 2,
	CS_APPLIES_PUBKEY = 1 << 3,
	/* Runs once over all objects of one input file (chains, bundles). */
	CS_APPLIES_BUNDLE = 1 << 4,
	/* A fleet check of `scan` (src/scan/checks.c): no check function,
	 * never run by the engine, listed in the catalogue. */
	CS_APPLIES_FLEET = 1 << 5,
};
#define CS_APPLIES_NAMED	(CS_APPLIES_CSR | CS_APPLIES_CERT)
#define CS_APPLIES_KEYS		(CS_APPLIES_CSR | CS_APPLIES_CERT | \
				 CS_APPLIES_PRIVKEY | CS_APPLIES_PUBKEY)

enum cs_check {
	CS_CHECK_RAN,
	CS_CHECK_NA,
	CS_CHECK_FAILED,
};

struct cs_lint;

struct cs_rule {
	const char		*id;		/* "key.rsa.min-bits" */
	enum cs_severity	 severity;	/* default; profiles override */
	unsigned		 applies;	/* mask of enum cs_applies */
	int			 off;		/* off unless a profile enables it */
	/* On a trust anchor (a self-signed CA certificate) its findings are at
	 * most warnings: RFC 5280 6.1.1 (d) takes only the anchor's name and
	 * key, so the field is never processed by a relying party. */
	int			 anchor_lenient;
	const char		*summary;	/* one line, for the catalogue */
	const char		*citation;	/* "RFC 5280 4.1.2.2", "CA/B BR 6.1.5" */
	const char		*params;	/* profile parameters it reads, or NULL */
	/* One of the two, by applies: */
	enum cs_check		(*check)(struct cs_lint *l,
				    const struct cs_object *obj);
	enum cs_check		(*check_bundle)(struct cs_lint *l,
				    const struct cs_object *const *objs,
				    size_t n);
};

/* The catalogue, in registry order; never NULL. */
const struct cs_rule *const *cs_rules_all(size_t *n);
/* The rule with this id, or NULL. */
const struct cs_rule *cs_rule_find(const char *id);
/* Its position in cs_rules_all() (the index of per-rule arrays), or -1. */
long		 cs_rule_index(const char *id);
/* "csr,certificate,private-key,public-key,bundle" style list, static buffer
 * owned by the caller (at least 64 bytes). */
const char	*cs_applies_names(unsigned applies, char *buf, size_t size);

#define CS_MAX_CURVES	16
#define CS_MAX_HOSTS	64

/*
 * What a profile can set. cs_params_default() gives the values of the
 * `default` profile; a field left 0 / NULL means "no limit" where the
 * comment says so.
 */
struct cs_params {
	int		 rsa_min_bits;		/* rsa-min-bits, 2048 */
	int		 rsa_max_bits;		/* rsa-max-bits, 0: no limit */
	int		 ec_min_bits;		/* ec-min-bits, 256 */
	const char	*curves[CS_MAX_CURVES];	/* allowed-curves; "P-256", ... */
	size_t		 n_curves;
	int		 max_validity_days;	/* max-validity-days, 0: no limit */
	int		 expiring_days;		/* expiring-days (--expiring), 30 */
	int		 san_required;		/* san-required, 0 */
	int		 max_names;		/* max-names, 0: no limit */
	int		 cn_max_len;		/* cn-max-length, 64 */
	/* required-key-usage: names as in OpenSSL's keyUsage text,
	 * comma separated ("nonRepudiation"), NULL: none */
	const char	*required_key_usage;
	int		 internal_names_ok;	/* internal-names-ok, 0 */
};

void		 cs_params_default(struct cs_params *p);

/* A field rule from a profile: a field path and a pattern. */
struct cs_field_rule {
	const char		*field;		/* "subject.O", "san.dns" */
	int			 must_match;	/* 1: must match; 0: must not */
	int			 required;	/* the field must be present */
	enum cs_severity	 severity;
	const char		*message;
	const char		*pattern;	/* PCRE2 source, for messages */
	void			*code;		/* pcre2_code_8 *, owned by the profile */
};

struct cs_lint_opts {
	const struct cs_params		*params;	/* NULL: defaults */
	int64_t				 now;		/* evaluation time (--at) */
	const char *const		*hosts;		/* --host names */
	size_t				 n_hosts;
	OSSL_LIB_CTX			*libctx;
	/* Per-rule overrides from the profile and the command line, indexed
	 * like cs_rules_all(); NULL: the table's defaults.
	 * enabled[i]: -1 table default, 0 off, 1 on.
	 * severity[i]: -1 table default, else an enum cs_severity. */
	const signed char		*enabled;
	const signed char		*severity;
	const struct cs_field_rule	*fields;
	size_t				 n_fields;
};

/* NULL when out of memory; *err (static text) says why loading failed. */
struct cs_lint	*cs_lint_new(const struct cs_lint_opts *opts, const char **err);
void		 cs_lint_free(struct cs_lint *l);

/*
 * Settles each object (cs_view_settle), then runs every enabled rule that
 * applies on each object, then the bundle rules over the whole set (one
 * input file). Findings land in objs[i]->findings, the ids of the rules
 * that ran in objs[i]->checked. 0, or -1 when out of memory.
 */
int		 cs_lint_run(struct cs_lint *l, struct cs_object *const *objs,
		    size_t n);

/* Is the rule enabled, at which severity, in this context? */
int		 cs_lint_enabled(const struct cs_lint *l, const struct cs_rule *r);
enum cs_severity cs_lint_severity(const struct cs_lint *l,
		    const struct cs_rule *r);

/* --- for checks ------------------------------------------------------ */

const struct cs_params *cs_lint_params(const struct cs_lint *l);
int64_t		 cs_lint_now(const struct cs_lint *l);
const char *const *cs_lint_hosts(const struct cs_lint *l, size_t *n);
OSSL_LIB_CTX	*cs_lint_libctx(const struct cs_lint *l);
const struct cs_field_rule *cs_lint_fields(const struct cs_lint *l, size_t *n);
/* The public suffix list (a const psl_ctx_t *), loaded once per context. */
const void	*cs_lint_psl(struct cs_lint *l);
/* Is cc an ISO 3166-1 alpha-2 code (from Debian's iso-codes)? */
int		 cs_lint_country_known(struct cs_lint *l, const char *cc);

/*
 * Appends a finding of the running rule on obj, at the rule's severity in
 * this context. field and value are copied (value may be NULL); the message
 * is formatted. Returns the finding so the check may add a fix or lower the
 * severity, or NULL when out of memory (the check then returns
 * CS_CHECK_FAILED).
 */
struct cs_finding *cs_finding_add(struct cs_lint *l,
		    const struct cs_object *obj, const char *field,
		    const char *value, const char *fmt, ...)
		    __attribute__((format(printf, 5, 6)));
/* Replaces the finding's value with len bytes of s, control bytes and NUL
 * escaped as \xNN (a C string cannot hold a SAN's embedded NUL); returns f,
 * or NULL (f freed from the object's list is not possible, so f is left
 * as it was) when out of memory. Accepts f == NULL. */
struct cs_finding *cs_finding_value(struct cs_finding *f, const char *s,
		    size_t len);
/* Sets the machine-readable remedy; 0, or -1 when out of memory. */
int		 cs_finding_fix(struct cs_finding *f, const char *action,
		    const char *value);

#endif

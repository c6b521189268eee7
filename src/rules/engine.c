/* The lint context and the loop that runs the catalogue over objects. */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <libpsl.h>
#include <openssl/err.h>
#include <openssl/x509.h>

#include "rules/rules-int.h"

#define RULE_MEMO_MAX		8

/* A remembered chain signature check; the lint context holds a reference
 * on both certificates, so their addresses identify them. */
#define VERIFY_CACHE_MAX	32

struct verified {
	X509			*cert;
	X509			*issuer;
	int			 rc;		/* X509_verify's answer */
};

struct cs_lint {
	struct cs_lint_opts	 opts;
	struct cs_params	 defaults;	/* when opts.params is NULL */
	psl_ctx_t		*psl_owned;
	const psl_ctx_t		*psl;
	unsigned char		 countries[26][26];	/* [A-Z][A-Z] known */
	int			 countries_loaded;
	int			 countries_tried;

	/* The rule and object set being checked. */
	const struct cs_rule	*cur;
	enum cs_severity	 cur_severity;
	struct cs_object *const	*objs;
	size_t			 n_objs;

	struct rule_memo	 memos[RULE_MEMO_MAX];	/* ring, by SPKI */
	size_t			 memo_next;	/* the slot to reuse */
	struct rule_memo	 memo_obj;	/* an unkeyed object's */
	const struct cs_object	*memo_owner;	/* NULL: memo_obj holds nobody's */

	struct verified		 verified[VERIFY_CACHE_MAX];
	size_t			 verified_next;	/* ring: the slot to reuse */
};

void
cs_params_default(struct cs_params *p)
{
	static const char *const curves[] = { "P-256", "P-384", "P-521" };
	size_t	 i;

	memset(p, 0, sizeof(*p));
	p->rsa_min_bits = 2048;
	p->ec_min_bits = 256;
	for (i = 0; i < sizeof(curves) / sizeof(curves[0]); i++)
		p->curves[i] = curves[i];
	p->n_curves = i;
	p->expiring_days = 30;
	p->cn_max_len = 64;
}

static int
countries_load(struct cs_lint *l)
{
	json_t		*doc, *list, *e;
	size_t		 i;
	const char	*cc;

	if ((doc = json_load_file(ISO3166_JSON, 0, NULL)) == NULL)
		return -1;
	list = json_object_get(doc, "3166-1");
	json_array_foreach(list, i, e) {
		cc = json_string_value(json_object_get(e, "alpha_2"));
		if (cc != NULL && strlen(cc) == 2 && cc[0] >= 'A' &&
		    cc[0] <= 'Z' && cc[1] >= 'A' && cc[1] <= 'Z')
			l->countries[cc[0] - 'A'][cc[1] - 'A'] = 1;
	}
	json_decref(doc);
	l->countries_loaded = 1;
	return 0;
}

static void
memo_init(struct rule_memo *m)
{
	mpz_init(m->n);
	mpz_init(m->e);
}

static void
memo_clear(struct rule_memo *m)
{
	mpz_clear(m->n);
	mpz_clear(m->e);
}

struct cs_lint *
cs_lint_new(const struct cs_lint_opts *opts, const char **err)
{
	struct cs_lint	*l;
	size_t		 i;

	*err = NULL;
	if ((l = calloc(1, sizeof(*l))) == NULL) {
		*err = "out of memory";
		return NULL;
	}
	l->opts = *opts;
	if (l->opts.params == NULL) {
		cs_params_default(&l->defaults);
		l->opts.params = &l->defaults;
	}
	for (i = 0; i < RULE_MEMO_MAX; i++)
		memo_init(&l->memos[i]);
	memo_init(&l->memo_obj);
	return l;
}

static void
verified_clear(struct verified *v)
{
	X509_free(v->cert);
	X509_free(v->issuer);
	memset(v, 0, sizeof(*v));
}

void
cs_lint_free(struct cs_lint *l)
{
	size_t	 i;

	if (l == NULL)
		return;
	for (i = 0; i < VERIFY_CACHE_MAX; i++)
		verified_clear(&l->verified[i]);
	for (i = 0; i < RULE_MEMO_MAX; i++)
		memo_clear(&l->memos[i]);
	memo_clear(&l->memo_obj);
	psl_free(l->psl_owned);
	free(l);
}

static void
memo_reset(struct rule_memo *m)
{
	m->keyed = 0;
	m->n_state = m->e_state = 0;
	m->small_state = m->point_state = 0;
}

struct rule_memo *
cs_lint_memo(struct cs_lint *l, const struct cs_object *obj)
{
	struct rule_memo	*m;
	size_t			 i;

	/* Keyed by the SPKI's digest whenever it is known: one key, one memo
	 * (an object freed and another made at its address must not inherit
	 * the first one's). */
	if (!obj->key.has_spki || obj->key.locked) {
		if (l->memo_owner != obj) {
			l->memo_owner = obj;
			memo_reset(&l->memo_obj);
		}
		return &l->memo_obj;
	}
	for (i = 0; i < RULE_MEMO_MAX; i++) {
		m = &l->memos[i];
		if (m->keyed && memcmp(m->spki, obj->key.spki_sha256,
		    sizeof(m->spki)) == 0)
			return m;
	}
	m = &l->memos[l->memo_next];
	l->memo_next = (l->memo_next + 1) % RULE_MEMO_MAX;
	memo_reset(m);
	memcpy(m->spki, obj->key.spki_sha256, sizeof(m->spki));
	m->keyed = 1;
	return m;
}

int
cs_lint_verify(struct cs_lint *l, const struct cs_object *certobj,
    const struct cs_object *issuerobj)
{
	struct verified	*v;
	X509		*cert = certobj->cert, *issuer = issuerobj->cert;
	EVP_PKEY	*key;
	size_t		 i;
	int		 rc;

	for (i = 0; i < VERIFY_CACHE_MAX; i++)
		if (l->verified[i].cert == cert &&
		    l->verified[i].issuer == issuer)
			return l->verified[i].rc;
	key = cs_object_pubkey(issuerobj);
	rc = key != NULL ? X509_verify(cert, key) : -1;
	ERR_clear_error();
	if (!X509_up_ref(cert))
		return rc;
	if (!X509_up_ref(issuer)) {
		X509_free(cert);
		return rc;
	}
	v = &l->verified[l->verified_next];
	verified_clear(v);
	v->cert = cert;
	v->issuer = issuer;
	v->rc = rc;
	l->verified_next = (l->verified_next + 1) % VERIFY_CACHE_MAX;
	return rc;
}

static size_t
rule_index(const struct cs_rule *r)
{
	const struct cs_rule *const	*all;
	size_t				 n, i;

	all = cs_rules_all(&n);
	for (i = 0; i < n; i++)
		if (all[i] == r)
			return i;
	return n;
}

/* i is r's index in the catalogue (the per-rule arrays' index). */
static int
enabled_at(const struct cs_lint *l, const struct cs_rule *r, size_t i)
{
	if (l->opts.enabled != NULL && l->opts.enabled[i] != -1)
		return l->opts.enabled[i];
	return !r->off;
}

static enum cs_severity
severity_at(const struct cs_lint *l, const struct cs_rule *r, size_t i)
{
	if (l->opts.severity != NULL && l->opts.severity[i] != -1)
		return (enum cs_severity)l->opts.severity[i];
	return r->severity;
}

int
cs_lint_enabled(const struct cs_lint *l, const struct cs_rule *r)
{
	return enabled_at(l, r, rule_index(r));
}

enum cs_severity
cs_lint_severity(const struct cs_lint *l, const struct cs_rule *r)
{
	return severity_at(l, r, rule_index(r));
}

static unsigned
kind_bit(enum cs_kind kind)
{
	switch (kind) {
	case CS_KIND_CSR:
		return CS_APPLIES_CSR;
	case CS_KIND_CERT:
		return CS_APPLIES_CERT;
	case CS_KIND_PRIVKEY:
		return CS_APPLIES_PRIVKEY;
	case CS_KIND_PUBKEY:
		return CS_APPLIES_PUBKEY;
	}
	return 0;
}

static int
record(struct cs_object *obj, const struct cs_rule *r, enum cs_check rc)
{
	if (rc == CS_CHECK_RAN)
		return cs_vec_push(&obj->checked, (void *)r->id);
	if (rc == CS_CHECK_FAILED)
		return cs_object_note(obj, "rule %s could not run", r->id);
	return 0;
}

static int
run_object(struct cs_lint *l, struct cs_object *obj,
    const struct cs_rule *const *all, size_t n)
{
	size_t	 i;

	l->memo_owner = NULL;	/* obj may sit where a freed object was */
	obj->linted = 1;
	if (obj->key.locked)	/* nothing to check until it is opened */
		return cs_object_note(obj, "not linted: the key is encrypted "
		    "(give its password with --passin)");
	for (i = 0; i < n; i++) {
		const struct cs_rule *r = all[i];

		if (r->check == NULL || !(r->applies & kind_bit(obj->kind)) ||
		    !enabled_at(l, r, i))
			continue;
		l->cur = r;
		l->cur_severity = severity_at(l, r, i);
		if (record(obj, r, r->check(l, obj)) == -1)
			return -1;
	}
	return 0;
}

static int
run_bundle(struct cs_lint *l, struct cs_object *const *objs, size_t n_objs,
    const struct cs_rule *const *all, size_t n)
{
	size_t		 i, j;
	enum cs_check	 rc;

	for (i = 0; i < n; i++) {
		const struct cs_rule *r = all[i];

		if (r->check_bundle == NULL || !enabled_at(l, r, i))
			continue;
		l->cur = r;
		l->cur_severity = severity_at(l, r, i);
		rc = r->check_bundle(l, (const struct cs_object *const *)objs,
		    n_objs);
		for (j = 0; j < n_objs; j++)
			if (record(objs[j], r, rc) == -1)
				return -1;
	}
	return 0;
}

int
cs_lint_run(struct cs_lint *l, struct cs_object *const *objs, size_t n)
{
	const struct cs_rule *const	*all;
	size_t				 n_rules, i;
	int				 rc = 0;

	all = cs_rules_all(&n_rules);
	l->objs = objs;
	l->n_objs = n;
	for (i = 0; i < n && rc == 0; i++)
		rc = cs_view_settle(objs[i]);
	for (i = 0; i < n && rc == 0; i++)
		rc = run_object(l, objs[i], all, n_rules);
	if (rc == 0 && n > 0)
		rc = run_bundle(l, objs, n, all, n_rules);
	l->cur = NULL;
	l->objs = NULL;
	l->n_objs = 0;
	return rc;
}

const struct cs_params *
cs_lint_params(const struct cs_lint *l)
{
	return l->opts.params;
}

int64_t
cs_lint_now(const struct cs_lint *l)
{
	return l->opts.now;
}

const char *const *
cs_lint_hosts(const struct cs_lint *l, size_t *n)
{
	*n = l->opts.n_hosts;
	return l->opts.hosts;
}

OSSL_LIB_CTX *
cs_lint_libctx(const struct cs_lint *l)
{
	return l->opts.libctx;
}

const struct cs_field_rule *
cs_lint_fields(const struct cs_lint *l, size_t *n)
{
	*n = l->opts.n_fields;
	return l->opts.fields;
}

/*
 * The public suffix list and the country table load on first use, once
 * per context (zlint once spent most of its time re-reading the list per
 * lookup): a context that runs only key rules, as scan's weak-key check
 * does on every thread, never reads either. psl_latest() picks the newer
 * of the built-in list and the system's /usr/share/publicsuffix.
 */
const void *
cs_lint_psl(struct cs_lint *l)
{
	if (l->psl == NULL) {
		l->psl_owned = psl_latest(NULL);
		l->psl = l->psl_owned != NULL ? l->psl_owned : psl_builtin();
	}
	return l->psl;
}

int
cs_lint_country_known(struct cs_lint *l, const char *cc)
{
	if (!l->countries_tried) {
		l->countries_tried = 1;
		(void)countries_load(l);
	}
	if (!l->countries_loaded)
		return -1;
	if (strlen(cc) != 2 || cc[0] < 'A' || cc[0] > 'Z' || cc[1] < 'A' ||
	    cc[1] > 'Z')
		return 0;
	return l->countries[cc[0] - 'A'][cc[1] - 'A'];
}

static struct cs_object *
mutable_object(struct cs_lint *l, const struct cs_object *obj)
{
	size_t	 i;

	for (i = 0; i < l->n_objs; i++)
		if (l->objs[i] == obj)
			return l->objs[i];
	return NULL;
}

static struct cs_finding *
finding_new(const struct cs_rule *r, enum cs_severity sev, const char *field,
    const char *value, char *message)
{
	struct cs_finding	*f;

	if (message == NULL || (f = calloc(1, sizeof(*f))) == NULL) {
		free(message);
		return NULL;
	}
	f->rule = r->id;
	f->citation = r->citation;
	f->severity = sev;
	f->message = message;
	f->field = cs_strdup(field);
	f->value = cs_strdup(value);
	if ((field != NULL && f->field == NULL) ||
	    (value != NULL && f->value == NULL)) {
		cs_finding_free(f);
		return NULL;
	}
	return f;
}

static int
anchor_soften(struct cs_finding *f)
{
	char	*m;

	if ((m = cs_printf("%s (lowered to a warning: this is a trust "
	    "anchor, and relying parties take only its name and key)",
	    f->message)) == NULL)
		return -1;
	free(f->message);
	f->message = m;
	f->severity = CS_SEV_WARNING;
	return 0;
}

struct cs_finding *
cs_finding_add(struct cs_lint *l, const struct cs_object *obj,
    const char *field, const char *value, const char *fmt, ...)
{
	struct cs_object	*target;
	struct cs_finding	*f;
	va_list			 ap;

	if (l->cur == NULL || (target = mutable_object(l, obj)) == NULL)
		return NULL;
	va_start(ap, fmt);
	f = finding_new(l->cur, l->cur_severity, field, value,
	    cs_vprintf(fmt, ap));
	va_end(ap);
	if (f != NULL && l->cur->anchor_lenient && f->severity > CS_SEV_WARNING &&
	    rule_is_trust_anchor(obj) && anchor_soften(f) == -1) {
		cs_finding_free(f);
		f = NULL;
	}
	if (f != NULL && cs_vec_push(&target->findings, f) == -1) {
		cs_finding_free(f);
		f = NULL;
	}
	return f;
}

struct cs_finding *
cs_finding_value(struct cs_finding *f, const char *s, size_t len)
{
	char	*v;

	if (f == NULL || (v = cs_escape_ctrl(s, len)) == NULL)
		return NULL;
	free(f->value);
	f->value = v;
	return f;
}

int
cs_finding_fix(struct cs_finding *f, const char *action, const char *value)
{
	free(f->fix_action);
	free(f->fix_value);
	f->fix_action = cs_strdup(action);
	f->fix_value = cs_strdup(value);
	if (f->fix_action == NULL || (value != NULL && f->fix_value == NULL))
		return -1;
	return 0;
}

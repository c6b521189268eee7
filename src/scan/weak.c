/*
 * Weak keys across a fleet: the catalogue's per-key rules (key.*), run
 * once per distinct key rather than once per file that carries it, on as
 * many threads as the scan has (the calling one among them), each taking
 * the next keys not yet taken. A key is listed with every path that
 * carries it when a finding reaches the scan's threshold.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509.h>

#include "scan/fast.h"
#include "scan/scan-int.h"
#include "util/par.h"

/* The pass, shared by its threads. */
struct weak_pass {
	struct cs_scan		*s;
	struct cs_lint_opts	 lopts;
	const uint32_t		*by;
	const uint32_t		*start;
	struct cs_vec		*found;		/* per key: struct cs_finding * */
};

/* A thread's own. */
struct weak_thread {
	const struct weak_pass	*w;
	struct cs_lint		*l;
	struct cs_fast		*fast;		/* its SPKI decoder */
};

/* The per-key rules alone, with the profile's settings for them. */
static signed char *
key_rules_only(const struct cs_lint_opts *base)
{
	const struct cs_rule *const	*all;
	signed char			*en;
	size_t				 n, i;

	all = cs_rules_all(&n);
	if ((en = malloc(n + 1)) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		if (strncmp(all[i]->id, "key.", 4) != 0)
			en[i] = 0;
		else
			en[i] = base->enabled != NULL ? base->enabled[i] : -1;
	}
	return en;
}

/*
 * The per-key rules over key k. RSA and plain EC keys are not loaded: the
 * rules read n and e from the SPKI, and the EC point is checked here
 * against a group built once (cs_fast_spki_facts); other keys, and any
 * key out of the ordinary, are loaded as lint loads them.
 */
static int
lint_key(void *state, size_t i)
{
	struct weak_thread	*t = state;
	const struct weak_pass	*j = t->w;
	uint32_t		 k = (uint32_t)i;
	const struct sx_key	*key = &j->s->keys[k];
	const unsigned char	*p = key->spki, *q;
	struct cs_spki_facts	 kf;
	struct cs_object	*obj;
	X509_PUBKEY		*pub;
	EVP_PKEY		*pkey = NULL;
	char			*path;
	int			 rc = 0, known;

	known = cs_fast_spki_facts(t->fast, p, key->spki_len, &kf);
	if (known) {
		q = p;	/* cs_spki_fields advances it, even when it fails */
		if ((pub = cs_spki_fields(&q, (long)key->spki_len)) == NULL)
			known = 0;
		ERR_clear_error();
	}
	if (!known &&
	    cs_fast_spki_key(t->fast, p, key->spki_len, &pub, &pkey) == -1)
		return 0;	/* a key OpenSSL cannot load: nothing to judge */
	path = sx_obj_path(j->s, j->by[j->start[k]]);
	obj = cs_object_new(CS_KIND_PUBKEY, path != NULL ? path : "",
	    j->s->objs[j->by[j->start[k]]].index, CS_ENC_DER, CS_CONT_NONE,
	    NULL);
	free(path);
	if (obj == NULL) {
		X509_PUBKEY_free(pub);
		EVP_PKEY_free(pkey);
		return -1;
	}
	if (known) {
		rc = cs_view_spki_known(obj, pub, kf.bits, key->sha);
		obj->key.point_valid = kf.point_valid;
	} else
		rc = cs_view_spki(obj, pub, pkey);
	EVP_PKEY_free(pkey);	/* the view holds its own reference */
	if (rc == -1 || cs_lint_run(t->l, &obj, 1) == -1)
		rc = -1;
	else {
		j->found[k] = obj->findings;	/* moved */
		memset(&obj->findings, 0, sizeof(obj->findings));
	}
	cs_object_free(obj);
	ERR_clear_error();
	return rc;
}

static void
weak_end(void *state)
{
	struct weak_thread	*t = state;

	cs_fast_free(t->fast);
	cs_lint_free(t->l);
	free(t);
}

static void *
weak_begin(const void *arg)
{
	struct weak_thread	*t;
	struct cs_decoder_opts	 dopts = { 0 };
	const char		*err;

	if ((t = calloc(1, sizeof(*t))) == NULL)
		return NULL;
	t->w = arg;
	if ((t->l = cs_lint_new(&t->w->lopts, &err)) == NULL ||
	    (t->fast = cs_fast_new(&dopts)) == NULL) {
		weak_end(t);
		return NULL;
	}
	return t;
}

static void
free_found(struct cs_vec *v)
{
	size_t	 i;

	for (i = 0; i < v->n; i++)
		cs_finding_free(v->v[i]);
	cs_vec_release(v);
}

/* Lists key k when a finding reaches the threshold; takes its findings. */
static int
add_weak(struct cs_scan *s, struct cs_fleet *fl, uint32_t k,
    struct cs_vec *found, const uint32_t *by, const uint32_t *start)
{
	struct cs_fleet_weak	*w;
	struct cs_finding	*f;
	enum cs_severity	 worst = CS_SEV_INFO;
	size_t			 i;
	const char		*p;

	for (i = 0; i < found->n; i++) {
		f = found->v[i];
		if (f->severity > worst)
			worst = f->severity;
	}
	if (found->n == 0 || worst < s->opts.weak_at) {
		free_found(found);
		return 0;
	}
	if ((w = calloc(1, sizeof(*w))) == NULL ||
	    cs_vec_push(&fl->weak, w) == -1) {
		free(w);
		free_found(found);
		return -1;
	}
	w->severity = worst;
	w->findings = *found;
	memset(found, 0, sizeof(*found));
	cs_hex_into(s->keys[k].sha, sizeof(s->keys[k].sha), w->spki);
	for (i = start[k]; i < start[k + 1]; i++)
		if ((p = sx_obj_path_ref(s, by[i])) == NULL ||
		    cs_vec_push(&w->paths, (void *)(uintptr_t)p) == -1)
			return -1;
	return 0;
}

int
sx_weak_keys(struct cs_scan *s, struct cs_fleet *fl, const uint32_t *by,
    const uint32_t *start)
{
	struct weak_pass	 w = { .s = s, .by = by, .start = start };
	const struct cs_par	 p = { weak_begin, lint_key, weak_end, &w };
	signed char		*en;
	uint32_t		 k;
	int			 rc = 0;

	if (s->nkeys == 0 || s->opts.lint_opts == NULL)
		return 0;
	en = key_rules_only(s->opts.lint_opts);
	w.found = calloc(s->nkeys, sizeof(*w.found));
	if (en == NULL || w.found == NULL) {
		rc = -1;
		goto done;
	}
	w.lopts = *s->opts.lint_opts;
	w.lopts.enabled = en;
	if (cs_par_for(&p, s->nkeys, s->threads) == -1)
		rc = -1;
	for (k = 0; k < s->nkeys; k++)
		if (add_weak(s, fl, k, &w.found[k], by, start) == -1)
			rc = -1;
done:
	free(en);
	free(w.found);
	return rc;
}

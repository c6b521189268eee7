/*
 * From the index to the fleet report (see scan.h): pairs, orphans, locked
 * keys, keys without certificates, reuse, expiry and shared factors here;
 * mismatches in mismatch.c and weak keys in weak.c.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/asn1.h>
#include <openssl/objects.h>

#include "scan/batchgcd.h"
#include "scan/scan-int.h"

/* The path of object o onto v, borrowed from the scan (fleet.h). */
static int
push_path(struct cs_scan *s, struct cs_vec *v, uint32_t o)
{
	const char	*p;

	if ((p = sx_obj_path_ref(s, o)) == NULL ||
	    cs_vec_push(v, (void *)(uintptr_t)p) == -1)
		return -1;
	return 0;
}

/* Objects grouped by key: bykey[keystart[k] .. keystart[k + 1]). */
static int
group_by_key(const struct cs_scan *s, uint32_t **bykey, uint32_t **keystart)
{
	uint32_t	*start, *fill, *by;
	size_t		 i;

	start = calloc(s->nkeys + 1, sizeof(*start));
	fill = calloc(s->nkeys + 1, sizeof(*fill));
	by = calloc(s->nobjs + 1, sizeof(*by));
	if (start == NULL || fill == NULL || by == NULL) {
		free(start);
		free(fill);
		free(by);
		return -1;
	}
	for (i = 0; i < s->nobjs; i++)
		if (s->objs[i].key != SX_NONE)
			start[s->objs[i].key + 1]++;
	for (i = 0; i < s->nkeys; i++)
		start[i + 1] += start[i];
	memcpy(fill, start, s->nkeys * sizeof(*fill));
	for (i = 0; i < s->nobjs; i++)
		if (s->objs[i].key != SX_NONE)
			by[fill[s->objs[i].key]++] = (uint32_t)i;
	free(fill);
	*bykey = by;
	*keystart = start;
	return 0;
}

/* ------------------------------------------------------------ objects */

static const struct cs_vec no_findings;

/* The fleet's view of object i, built in the scan's buffers. */
static int
object_at(void *ctx, size_t i, struct cs_fleet_object *fo)
{
	struct cs_scan		*s = ctx;
	const struct sx_obj	*o = &s->objs[i];
	const struct sx_file	*f = &s->files[o->file];

	memset(fo, 0, sizeof(*fo));
	free(s->objpath);
	if ((s->objpath = sx_obj_path(s, (uint32_t)i)) == NULL)
		return -1;
	fo->path = s->objpath;
	fo->file = f->path;
	fo->index = o->index;
	fo->kind = o->kind;
	fo->locked = (o->flags & SX_LOCKED) != 0;
	fo->is_ca = (o->flags & SX_CA) != 0;
	fo->self_issued = (o->flags & SX_SELF) != 0;
	if (o->key != SX_NONE) {
		fo->has_spki = 1;
		cs_hex_into(s->keys[o->key].sha, 32, fo->spki);
		if (s->bykey[s->keystart[o->key]] == i) {
			fo->spki_der = s->keys[o->key].spki;
			fo->spki_len = s->keys[o->key].spki_len;
		}
	}
	fo->has_validity = (o->flags & SX_VALIDITY) != 0;
	fo->not_after = o->not_after;
	if (o->flags & SX_SUBJECT) {
		fo->has_subject = 1;
		cs_hex_into(o->subject, sizeof(o->subject), fo->subject);
	}
	fo->linted = o->findings != NULL;
	fo->findings = o->findings != NULL ? o->findings : &no_findings;
	fo->top = sx_string(s, f->top);
	if (f->origin != SX_NONE)
		fo->origin = sx_string(s, f->origin);
	return 0;
}

/* -------------------------------------------------- pairs and orphans */

struct keyview {
	size_t	 priv, certs, ee_certs, csrs;
};

static void
key_counts(const struct cs_scan *s, const uint32_t *by, uint32_t a,
    uint32_t b, struct keyview *kv)
{
	const struct sx_obj	*o;
	uint32_t		 i;

	memset(kv, 0, sizeof(*kv));
	for (i = a; i < b; i++) {
		o = &s->objs[by[i]];
		if (o->kind == CS_KIND_PRIVKEY)
			kv->priv++;
		else if (o->kind == CS_KIND_CERT) {
			kv->certs++;
			kv->ee_certs += !(o->flags & SX_CA);
		} else if (o->kind == CS_KIND_CSR)
			kv->csrs++;
	}
}

static int
add_pair(struct cs_scan *s, struct cs_fleet *fl, uint32_t k,
    const uint32_t *by, uint32_t a, uint32_t b)
{
	struct cs_fleet_pair	*p;
	struct cs_vec		*v;
	uint32_t		 i;

	if ((p = calloc(1, sizeof(*p))) == NULL ||
	    cs_vec_push(&fl->pairs, p) == -1) {
		free(p);
		return -1;
	}
	cs_hex_into(s->keys[k].sha, 32, p->spki);
	for (i = a; i < b; i++) {
		switch (s->objs[by[i]].kind) {
		case CS_KIND_PRIVKEY:
			v = &p->keys;
			break;
		case CS_KIND_CERT:
			v = &p->certs;
			break;
		case CS_KIND_CSR:
			v = &p->csrs;
			break;
		default:
			continue;
		}
		if (push_path(s, v, by[i]) == -1)
			return -1;
	}
	return 0;
}

static int
pairs_and_orphans(struct cs_scan *s, struct cs_fleet *fl,
    const uint32_t *by, const uint32_t *start)
{
	struct keyview	 kv;
	uint32_t	 k, i;

	for (k = 0; k < s->nkeys; k++) {
		key_counts(s, by, start[k], start[k + 1], &kv);
		if (kv.priv > 0 && kv.certs + kv.csrs > 0 &&
		    add_pair(s, fl, k, by, start[k], start[k + 1]) == -1)
			return -1;
		for (i = start[k]; i < start[k + 1]; i++) {
			const struct sx_obj *o = &s->objs[by[i]];

			if (o->kind == CS_KIND_PRIVKEY &&
			    kv.certs + kv.csrs == 0 &&
			    push_path(s, &fl->orphan_keys, by[i]) == -1)
				return -1;
			if (o->kind == CS_KIND_CERT && !(o->flags & SX_CA) &&
			    kv.priv == 0 &&
			    push_path(s, &fl->keyless_certs, by[i]) == -1)
				return -1;
		}
	}
	for (i = 0; i < s->nobjs; i++)
		if (s->objs[i].kind == CS_KIND_PRIVKEY &&
		    (s->objs[i].flags & SX_LOCKED) &&
		    push_path(s, &fl->locked_keys, i) == -1)
			return -1;
	return 0;
}

/* --------------------------------------------------------------- reuse */

/*
 * A key is reused when its certificates name different subjects, or when
 * copies of it (private keys, end-entity certificates) sit under different
 * top-level directories or on different hosts. CA certificates copied
 * everywhere (trust bundles) and one certificate renewed under the same
 * subject are not reuse.
 */
static const char *
reuse_reason(const struct cs_scan *s, const uint32_t *by, uint32_t a,
    uint32_t b)
{
	const struct sx_obj	*o, *first_cert = NULL;
	uint32_t		 i, top = SX_NONE;
	int			 tops = 0;

	for (i = a; i < b; i++) {
		o = &s->objs[by[i]];
		if (o->kind == CS_KIND_CERT && (o->flags & SX_SUBJECT)) {
			if (first_cert == NULL)
				first_cert = o;
			else if (memcmp(first_cert->subject, o->subject,
			    sizeof(o->subject)) != 0)
				return "subjects";
		}
		if (o->kind == CS_KIND_PRIVKEY ||
		    (o->kind == CS_KIND_CERT && !(o->flags & SX_CA))) {
			if (top == SX_NONE)
				top = s->files[o->file].top;
			else if (s->files[o->file].top != top)
				tops = 1;
		}
	}
	return tops ? "directories" : NULL;
}

static int
reuse(struct cs_scan *s, struct cs_fleet *fl, const uint32_t *by,
    const uint32_t *start)
{
	struct cs_fleet_reuse	*r;
	const char		*why;
	uint32_t		 k, i;

	for (k = 0; k < s->nkeys; k++) {
		if (start[k + 1] - start[k] < 2 ||
		    (why = reuse_reason(s, by, start[k], start[k + 1])) == NULL)
			continue;
		if ((r = calloc(1, sizeof(*r))) == NULL ||
		    cs_vec_push(&fl->reused, r) == -1) {
			free(r);
			return -1;
		}
		cs_hex_into(s->keys[k].sha, 32, r->spki);
		r->reason = why;
		for (i = start[k]; i < start[k + 1]; i++) {
			const struct sx_obj *o = &s->objs[by[i]];

			if (o->kind == CS_KIND_PRIVKEY &&
			    push_path(s, &r->keys, by[i]) == -1)
				return -1;
			if (o->kind == CS_KIND_CERT &&
			    push_path(s, &r->certs, by[i]) == -1)
				return -1;
		}
	}
	return 0;
}

/* -------------------------------------------------------------- expiry */

static int
expiry(struct cs_scan *s, struct cs_fleet *fl)
{
	struct cs_fleet_expiry	*e;
	int64_t			 horizon;
	size_t			 i;

	horizon = s->opts.at + (int64_t)s->opts.expiring_days * 86400;
	for (i = 0; i < s->nobjs; i++) {
		const struct sx_obj *o = &s->objs[i];

		if (o->kind != CS_KIND_CERT || !(o->flags & SX_VALIDITY) ||
		    o->not_after >= horizon)
			continue;
		if ((e = calloc(1, sizeof(*e))) == NULL ||
		    cs_vec_push(&fl->expiring, e) == -1) {
			free(e);
			return -1;
		}
		if ((e->path = sx_obj_path_ref(s, (uint32_t)i)) == NULL)
			return -1;
		cs_rfc3339(o->not_after, e->not_after, sizeof(e->not_after));
		e->expired = o->not_after < s->opts.at;
		e->days = (o->not_after - s->opts.at) / 86400;
		if (o->not_after < s->opts.at &&
		    (o->not_after - s->opts.at) % 86400 != 0)
			e->days--;	/* floor, not truncation */
	}
	return 0;
}

/* ----------------------------------------------------- shared factors */

/* The modulus inside an RSA SPKI, or NULL. */
static const unsigned char *
rsa_modulus(const struct sx_key *k, size_t *len)
{
	const unsigned char	*p = k->spki, *q, *end = k->spki + k->spki_len;
	ASN1_OBJECT		*oid = NULL;
	long			 l;
	int			 tag, xc, nid;

	/* SEQUENCE { SEQUENCE { OID, ... }, BIT STRING { SEQUENCE { n, e } } } */
	if (ASN1_get_object(&p, &l, &tag, &xc, end - p) & 0x80 ||
	    tag != V_ASN1_SEQUENCE)
		return NULL;
	if (ASN1_get_object(&p, &l, &tag, &xc, end - p) & 0x80 ||
	    tag != V_ASN1_SEQUENCE || l > end - p)
		return NULL;
	q = p + l;
	if (d2i_ASN1_OBJECT(&oid, &p, q - p) == NULL)
		return NULL;
	nid = OBJ_obj2nid(oid);
	ASN1_OBJECT_free(oid);
	if (nid != NID_rsaEncryption && nid != NID_rsassaPss)
		return NULL;
	p = q;
	if (ASN1_get_object(&p, &l, &tag, &xc, end - p) & 0x80 ||
	    tag != V_ASN1_BIT_STRING || l < 1 || l > end - p || *p != 0)
		return NULL;
	p++;
	if (ASN1_get_object(&p, &l, &tag, &xc, end - p) & 0x80 ||
	    tag != V_ASN1_SEQUENCE)
		return NULL;
	if (ASN1_get_object(&p, &l, &tag, &xc, end - p) & 0x80 ||
	    tag != V_ASN1_INTEGER || l < 1 || l > end - p)
		return NULL;
	*len = (size_t)l;
	return p;
}

static int
add_factor(struct cs_scan *s, struct cs_fleet *fl,
    const struct cs_bgcd_group *g, const uint32_t *by, const uint32_t *start)
{
	struct cs_fleet_factor	*f;
	size_t			 i;
	uint32_t		 j, k;

	if ((f = calloc(1, sizeof(*f))) == NULL ||
	    cs_vec_push(&fl->factors, f) == -1) {
		free(f);
		return -1;
	}
	f->duplicate = g->kind == CS_BGCD_GROUP_DUPLICATE;
	for (i = 0; i < g->n_ids; i++) {
		k = (uint32_t)g->ids[i];
		for (j = start[k]; j < start[k + 1]; j++)
			if (push_path(s, &f->paths, by[j]) == -1)
				return -1;
	}
	return 0;
}

/*
 * Batch GCD over the RSA moduli of the index, which it only reads: it runs
 * in a thread of its own from cs_scan_report_begin on, beside the writing
 * of the object records and all the rest cs_scan_report_known works out
 * and the caller writes, and its groups join the report once it is done.
 * Nothing cancels it: a report that fails meanwhile waits for it.
 */
struct sx_factors {
	const struct cs_scan	*s;
	struct cs_bgcd		*b;
	pthread_t		 tid;
	int			 started;	/* tid runs it */
	int			 rc;
};

static void *
factors_main(void *arg)
{
	struct sx_factors	*j = arg;
	const unsigned char	*n;
	size_t			 len;
	uint32_t		 k;

	j->rc = -1;
	for (k = 0; k < j->s->nkeys; k++)
		if ((n = rsa_modulus(&j->s->keys[k], &len)) != NULL &&
		    cs_bgcd_add(j->b, n, len, k) == -1)
			return NULL;
	j->rc = cs_bgcd_run(j->b, j->s->threads);
	return NULL;
}

/*
 * Starts batch GCD on a thread of its own, as the walk has one beside the
 * -j workers: with -j 1 too it runs beside the report instead of before it
 * (a third of the run then). Here and now when no thread can be started.
 */
static int
factors_start(struct cs_scan *s)
{
	struct sx_factors	*j;

	if ((j = calloc(1, sizeof(*j))) == NULL)
		return -1;
	j->s = s;
	if ((j->b = cs_bgcd_new()) == NULL) {
		free(j);
		return -1;
	}
	s->factors = j;
	j->started = pthread_create(&j->tid, NULL, factors_main, j) == 0;
	if (!j->started)
		(void)factors_main(j);
	return 0;
}

/* Waits for batch GCD; 0, or -1 when it failed. */
static int
factors_wait(struct sx_factors *j)
{
	if (j->started) {
		pthread_join(j->tid, NULL);
		j->started = 0;
	}
	return j->rc;
}

int
sx_factors_end(struct cs_scan *s)
{
	struct sx_factors	*j = s->factors;
	int			 rc;

	if (j == NULL)
		return 0;
	rc = factors_wait(j);
	cs_bgcd_free(j->b);
	free(j);
	s->factors = NULL;
	return rc;
}

static int
add_factors(struct cs_scan *s, struct cs_fleet *fl, const uint32_t *by,
    const uint32_t *start)
{
	struct sx_factors	*j = s->factors;
	size_t			 i;

	if (factors_wait(j) == -1)
		return -1;
	for (i = 0; i < cs_bgcd_ngroups(j->b); i++)
		if (add_factor(s, fl, cs_bgcd_group(j->b, i), by, start) == -1)
			return -1;
	return 0;
}

static int
analyse_keys(struct cs_scan *s, struct cs_fleet *fl, const uint32_t *by,
    const uint32_t *start)
{
	int	 rc = 0;

	if (sx_weak_keys(s, fl, by, start) == -1 ||
	    sx_mismatches(s, fl, by, start) == -1)
		rc = -1;
	return rc;
}

/* ---------------------------------------------------------------- all */

/* What the configs named, so merge can judge them over the joined index. */
static int
add_configs(const struct cs_scan *s, struct cs_fleet *fl)
{
	const struct sx_conf	*c;
	struct cs_fleet_config	*x;
	size_t			 i;

	for (i = 0; i < s->confs.n; i++) {
		c = s->confs.v[i];
		if ((x = calloc(1, sizeof(*x))) == NULL ||
		    cs_vec_push(&fl->configs, x) == -1) {
			free(x);
			return -1;
		}
		x->path = cs_strdup(s->files[c->file].path);
		x->top = cs_strdup(sx_string(s, s->files[c->file].top));
		x->line = c->line;
		x->server = c->server;
		x->cert = cs_strdup(c->cert);
		x->key = cs_strdup(c->key);
		if (x->path == NULL || x->top == NULL || x->cert == NULL ||
		    (c->key != NULL && x->key == NULL))
			return -1;
	}
	return 0;
}

static int
move_errors(struct cs_scan *s, struct cs_fleet *fl)
{
	size_t	 i;

	for (i = 0; i < s->errors.n; i++)
		if (cs_vec_push(&fl->errors, s->errors.v[i]) == -1)
			return -1;
		else
			s->errors.v[i] = NULL;
	cs_vec_release(&s->errors);
	return 0;
}

static int
copy_roots(const struct cs_scan *s, struct cs_fleet *fl)
{
	char	*r;
	size_t	 i;

	for (i = 0; i < s->roots.n; i++)
		if ((r = cs_strdup(s->roots.v[i])) == NULL ||
		    cs_vec_push(&fl->roots, r) == -1) {
			free(r);
			return -1;
		}
	return 0;
}

int
cs_scan_report_begin(struct cs_scan *s, struct cs_fleet *fl)
{
	if (s->factors != NULL)
		return -1;	/* begun already */
	s->known = 0;
	free(s->bykey);
	free(s->keystart);
	s->bykey = s->keystart = NULL;
	fl->nobjs = s->nobjs;
	fl->object_at = object_at;
	fl->object_ctx = s;

	fl->files = s->files_read;
	fl->objects = s->nobjs;
	fl->skipped_files = s->skipped;
	fl->at = s->opts.at;
	fl->expiring_days = s->opts.expiring_days;
	/* bykey is kept for object_at. */
	if (copy_roots(s, fl) == -1 ||
	    group_by_key(s, &s->bykey, &s->keystart) == -1 ||
	    factors_start(s) == -1)
		return -1;
	return 0;
}

int
cs_scan_report_known(struct cs_scan *s, struct cs_fleet *fl)
{
	const uint32_t	*by = s->bykey, *start = s->keystart;

	if (s->factors == NULL)
		return -1;	/* not begun, or begun in vain */
	if (s->known)
		return 0;
	if (pairs_and_orphans(s, fl, by, start) == -1 ||
	    reuse(s, fl, by, start) == -1 || expiry(s, fl) == -1 ||
	    analyse_keys(s, fl, by, start) == -1 ||
	    add_configs(s, fl) == -1 ||
	    move_errors(s, fl) == -1) {
		(void)sx_factors_end(s);
		return -1;
	}
	s->known = 1;
	return 0;
}

int
cs_scan_report_end(struct cs_scan *s, struct cs_fleet *fl)
{
	int	 rc;

	if (cs_scan_report_known(s, fl) == -1)
		return -1;
	rc = add_factors(s, fl, s->bykey, s->keystart);
	if (sx_factors_end(s) == -1)
		rc = -1;
	return rc;
}

/* Releasing a fleet report (see fleet.h). */
#include "config.h"

#include <stdlib.h>

#include "model/fleet.h"

static void
free_strings(struct cs_vec *v)
{
	size_t	 i;

	for (i = 0; i < v->n; i++)
		free(v->v[i]);
	cs_vec_release(v);
}

/* Paths are borrowed (fleet.h): only the vector goes. */
static void
drop_paths(struct cs_vec *v)
{
	cs_vec_release(v);
}

static void
free_findings(struct cs_vec *v)
{
	size_t	 i;

	for (i = 0; i < v->n; i++)
		cs_finding_free(v->v[i]);
	cs_vec_release(v);
}

static void
free_each(struct cs_vec *v, void (*fn)(void *))
{
	size_t	 i;

	for (i = 0; i < v->n; i++)
		fn(v->v[i]);
	cs_vec_release(v);
}

static void
pair_free(void *p)
{
	struct cs_fleet_pair	*x = p;

	drop_paths(&x->keys);
	drop_paths(&x->certs);
	drop_paths(&x->csrs);
	free(x);
}

static void
mismatch_free(void *p)
{
	struct cs_fleet_mismatch *x = p;

	free(x->detail);
	free(x);
}

static void
reuse_free(void *p)
{
	struct cs_fleet_reuse	*x = p;

	drop_paths(&x->keys);
	drop_paths(&x->certs);
	free(x);
}

static void
factor_free(void *p)
{
	struct cs_fleet_factor	*x = p;

	drop_paths(&x->paths);
	free(x);
}

static void
expiry_free(void *p)
{
	free(p);
}

static void
weak_free(void *p)
{
	struct cs_fleet_weak	*x = p;

	drop_paths(&x->paths);
	free_findings(&x->findings);
	free(x);
}

static void
config_free(void *p)
{
	struct cs_fleet_config	*x = p;

	free(x->path);
	free(x->top);
	free(x->cert);
	free(x->key);
	free(x);
}

static void
diag_free(void *p)
{
	cs_diag_free(p);
}

void
cs_fleet_release(struct cs_fleet *fl)
{
	free_strings(&fl->roots);
	free_each(&fl->pairs, pair_free);
	free_each(&fl->mismatches, mismatch_free);
	drop_paths(&fl->orphan_keys);
	drop_paths(&fl->locked_keys);
	drop_paths(&fl->keyless_certs);
	free_each(&fl->reused, reuse_free);
	free_each(&fl->factors, factor_free);
	free_each(&fl->expiring, expiry_free);
	free_each(&fl->weak, weak_free);
	free_each(&fl->configs, config_free);
	free_each(&fl->errors, diag_free);
}

int
cs_fleet_object_at(const struct cs_fleet *fl, size_t i,
    struct cs_fleet_object *o)
{
	if (fl->object_at == NULL || i >= fl->nobjs)
		return -1;
	return fl->object_at(fl->object_ctx, i, o);
}

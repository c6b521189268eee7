/* The reports of `scan` and `merge` (see fleet.h). */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/evp.h>

#include "report/fleet.h"
#include "rules/rule.h"

/* ---------------------------------------------------------------- json */

static json_t *
strings(const struct cs_vec *v)
{
	json_t	*a = json_array();
	size_t	 i;

	for (i = 0; a != NULL && i < v->n; i++)
		if (json_array_append_new(a, cs_json_bytes(v->v[i],
		    strlen(v->v[i]))) == -1) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *
findings(const struct cs_vec *v)
{
	json_t	*a = json_array();
	size_t	 i;

	for (i = 0; a != NULL && i < v->n; i++)
		if (json_array_append_new(a, cs_finding_json(v->v[i])) == -1) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *
pair_json(const struct cs_fleet_pair *p)
{
	return json_pack("{s:s,s:o,s:o,s:o}", "spki_sha256", p->spki,
	    "keys", strings(&p->keys), "certificates", strings(&p->certs),
	    "csrs", strings(&p->csrs));
}

static json_t *
mismatch_json(const struct cs_fleet_mismatch *m)
{
	json_t	*j;

	j = json_pack("{s:o,s:o,s:s}", "key", cs_json_bytes(m->key,
	    strlen(m->key)), "certificate", cs_json_bytes(m->cert,
	    strlen(m->cert)), "reason", m->reason);
	if (j != NULL && m->detail != NULL)
		json_object_set_new(j, "config", cs_json_bytes(m->detail,
		    strlen(m->detail)));
	return j;
}

static json_t *
reuse_json(const struct cs_fleet_reuse *r)
{
	return json_pack("{s:s,s:s,s:o,s:o}", "spki_sha256", r->spki,
	    "reason", r->reason, "keys", strings(&r->keys), "certificates",
	    strings(&r->certs));
}

static json_t *
expiry_json(const struct cs_fleet_expiry *e)
{
	return json_pack("{s:o,s:s,s:b,s:I}", "path", cs_json_bytes(e->path,
	    strlen(e->path)), "not_after", e->not_after, "expired",
	    e->expired, "days_left", (json_int_t)e->days);
}

static json_t *
weak_json(const struct cs_fleet_weak *w)
{
	return json_pack("{s:s,s:s,s:o,s:o}", "spki_sha256", w->spki,
	    "severity", cs_severity_name(w->severity), "paths",
	    strings(&w->paths), "findings", findings(&w->findings));
}

static json_t *
factors_json(const struct cs_fleet *fl, int duplicate)
{
	const struct cs_fleet_factor	*f;
	json_t				*a = json_array();
	size_t				 i;

	for (i = 0; a != NULL && i < fl->factors.n; i++) {
		f = fl->factors.v[i];
		if (f->duplicate == duplicate && json_array_append_new(a,
		    json_pack("{s:o}", "paths", strings(&f->paths))) == -1) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

static json_t *
list_json(const struct cs_vec *v, json_t *(*fn)(const void *))
{
	json_t	*a = json_array();
	size_t	 i;

	for (i = 0; a != NULL && i < v->n; i++)
		if (json_array_append_new(a, fn(v->v[i])) == -1) {
			json_decref(a);
			return NULL;
		}
	return a;
}

#define LIST(v, fn)	list_json((v), (json_t *(*)(const void *))(fn))

static size_t
count_dups(const struct cs_fleet *fl, int duplicate)
{
	size_t	 i, n = 0;

	for (i = 0; i < fl->factors.n; i++)
		n += ((struct cs_fleet_factor *)fl->factors.v[i])->duplicate ==
		    duplicate;
	return n;
}

static size_t
count_expired(const struct cs_fleet *fl)
{
	size_t	 i, n = 0;

	for (i = 0; i < fl->expiring.n; i++)
		n += ((struct cs_fleet_expiry *)fl->expiring.v[i])->expired;
	return n;
}

static json_t *
summary_json(const struct cs_fleet *fl)
{
	return json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,s:I,"
	    "s:I,s:I}",
	    "files", (json_int_t)fl->files,
	    "skipped_files", (json_int_t)fl->skipped_files,
	    "objects", (json_int_t)fl->objects,
	    "pairs", (json_int_t)fl->pairs.n,
	    "mismatches", (json_int_t)fl->mismatches.n,
	    "orphan_keys", (json_int_t)fl->orphan_keys.n,
	    "locked_keys", (json_int_t)fl->locked_keys.n,
	    "certificates_without_key", (json_int_t)fl->keyless_certs.n,
	    "reused_keys", (json_int_t)fl->reused.n,
	    "shared_factors", (json_int_t)count_dups(fl, 0),
	    "duplicate_moduli", (json_int_t)count_dups(fl, 1),
	    "weak_keys", (json_int_t)fl->weak.n,
	    "expiring", (json_int_t)fl->expiring.n,
	    "errors", (json_int_t)fl->errors.n);
}

json_t *
cs_fleet_json(const struct cs_fleet *fl)
{
	char	 at[64];

	cs_rfc3339(fl->at, at, sizeof(at));
	return json_pack("{s:o,s:I,s:I,s:I,s:s,s:i,s:o,s:o,s:o,s:o,s:o,s:o,"
	    "s:o,s:o,s:o,s:o,s:o}",
	    "roots", strings(&fl->roots),
	    "files", (json_int_t)fl->files,
	    "skipped_files", (json_int_t)fl->skipped_files,
	    "objects", (json_int_t)fl->objects,
	    "at", at, "expiring_days", fl->expiring_days,
	    "pairs", LIST(&fl->pairs, pair_json),
	    "mismatches", LIST(&fl->mismatches, mismatch_json),
	    "orphan_keys", strings(&fl->orphan_keys),
	    "locked_keys", strings(&fl->locked_keys),
	    "certificates_without_key", strings(&fl->keyless_certs),
	    "reused_keys", LIST(&fl->reused, reuse_json),
	    "shared_factors", factors_json(fl, 0),
	    "duplicate_moduli", factors_json(fl, 1),
	    "expiring", LIST(&fl->expiring, expiry_json),
	    "weak_keys", LIST(&fl->weak, weak_json),
	    "summary", summary_json(fl));
}

static json_t *
time_json(int64_t t)
{
	char		 buf[64];

	cs_rfc3339(t, buf, sizeof(buf));
	return json_string(buf);
}

static json_t *
object_json(const struct cs_fleet_object *o)
{
	json_t	*j;

	j = json_pack("{s:o,s:s}", "path", cs_json_bytes(o->path,
	    strlen(o->path)), "kind", cs_kind_name(o->kind));
	if (j == NULL)
		return NULL;
	if (o->has_spki)
		json_object_set_new(j, "spki_sha256", json_string(o->spki));
	if (o->kind == CS_KIND_PRIVKEY)
		json_object_set_new(j, "locked", json_boolean(o->locked));
	if (o->kind == CS_KIND_CERT)
		json_object_set_new(j, "ca", json_boolean(o->is_ca));
	if (o->has_validity)
		json_object_set_new(j, "not_after", time_json(o->not_after));
	if (o->linted)
		json_object_set_new(j, "findings", findings(o->findings));
	return j;
}

/*
 * The document is written in pieces, the objects one at a time, so that a
 * fleet of a million objects is never a million JSON trees in memory.
 */
static int
dump_member(FILE *out, const char *name, json_t *j, int last)
{
	int	 rc = -1;

	if (j != NULL && fprintf(out, "  \"%s\": ", name) >= 0 &&
	    json_dumpf(j, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER) == 0 &&
	    fputs(last ? "\n" : ",\n", out) != EOF)
		rc = 0;
	json_decref(j);
	return rc;
}

static int
dump_objects(FILE *out, const struct cs_fleet *fl)
{
	struct cs_fleet_object	 o;
	json_t			*j;
	size_t			 i;
	int			 rc;

	if (fputs("  \"objects\": [", out) == EOF)
		return -1;
	for (i = 0; i < fl->nobjs; i++) {
		if (cs_fleet_object_at(fl, i, &o) == -1 ||
		    (j = object_json(&o)) == NULL)
			return -1;
		rc = fputs(i == 0 ? "\n    " : ",\n    ", out) == EOF ? -1 :
		    json_dumpf(j, out, JSON_COMPACT | JSON_PRESERVE_ORDER);
		json_decref(j);
		if (rc == -1)
			return -1;
	}
	return fputs(fl->nobjs > 0 ? "\n  ],\n" : "],\n", out) == EOF ? -1 : 0;
}

static int
write_json(const struct cs_fleet *fl, const struct cs_fleet_report_opts *o)
{
	if (fprintf(o->out, "{\n  \"schema\": \"%s\",\n", CS_SCHEMA) < 0 ||
	    dump_member(o->out, "tool", json_pack("{s:s,s:s}", "name",
	    "certsmith", "version", o->version), 0) == -1 ||
	    dump_member(o->out, "scan", cs_fleet_json(fl), 0) == -1 ||
	    dump_objects(o->out, fl) == -1 ||
	    dump_member(o->out, "errors", LIST(&fl->errors, cs_diag_json),
	    1) == -1 || fputs("}\n", o->out) == EOF)
		return -1;
	return 0;
}

/* --------------------------------------------------------------- jsonl */

/* The object's record: object_json's members but the findings, and what
 * merge needs to rebuild the index (cs_jsonl_line: one per object). */
static int
object_record(FILE *out, const struct cs_fleet_object *o)
{
	struct cs_jsonl_line	 l;
	const char		*kind = cs_kind_name(o->kind);
	char			 t[64], *b64;
	int			 n;

	cs_jsonl_line_begin(&l, "object");
	cs_jsonl_line_str(&l, "path", o->path, strlen(o->path));
	cs_jsonl_line_str(&l, "kind", kind, strlen(kind));
	if (o->has_spki)
		cs_jsonl_line_str(&l, "spki_sha256", o->spki, strlen(o->spki));
	if (o->kind == CS_KIND_PRIVKEY)
		cs_jsonl_line_bool(&l, "locked", o->locked);
	if (o->kind == CS_KIND_CERT)
		cs_jsonl_line_bool(&l, "ca", o->is_ca);
	if (o->has_validity) {
		cs_rfc3339(o->not_after, t, sizeof(t));
		cs_jsonl_line_str(&l, "not_after", t, strlen(t));
	}
	cs_jsonl_line_str(&l, "file", o->file != NULL ? o->file : "",
	    o->file != NULL ? strlen(o->file) : 0);
	cs_jsonl_line_int(&l, "index", (json_int_t)o->index);
	if (o->origin != NULL)
		cs_jsonl_line_str(&l, "origin", o->origin, strlen(o->origin));
	cs_jsonl_line_str(&l, "top", o->top != NULL ? o->top : "",
	    o->top != NULL ? strlen(o->top) : 0);
	cs_jsonl_line_bool(&l, "self_issued", o->self_issued);
	if (o->has_validity)
		cs_jsonl_line_int(&l, "not_after_epoch", o->not_after);
	if (o->has_subject)
		cs_jsonl_line_str(&l, "subject_hash", o->subject,
		    strlen(o->subject));
	if (o->spki_der != NULL && o->spki_len < 65536) {
		if ((b64 = malloc(o->spki_len / 3 * 4 + 8)) == NULL)
			l.failed = 1;
		else {
			n = EVP_EncodeBlock((unsigned char *)b64, o->spki_der,
			    (int)o->spki_len);
			cs_jsonl_line_str(&l, "spki", b64, n > 0 ? (size_t)n : 0);
			free(b64);
		}
	}
	return cs_jsonl_line_end(&l, out);
}

static int
finding_records(FILE *out, const struct cs_fleet_object *o)
{
	json_t	*f;
	size_t	 i;

	for (i = 0; i < o->findings->n; i++) {
		if ((f = cs_finding_json(o->findings->v[i])) == NULL)
			return -1;
		json_object_set_new(f, "path", cs_json_bytes(o->path,
		    strlen(o->path)));
		if (cs_jsonl_record(out, "finding", f) == -1)
			return -1;
	}
	return 0;
}

static int
records(FILE *out, const char *type, const struct cs_vec *v,
    json_t *(*fn)(const void *))
{
	size_t	 i;

	for (i = 0; i < v->n; i++)
		if (cs_jsonl_record(out, type, fn(v->v[i])) == -1)
			return -1;
	return 0;
}

static json_t *
path_json(const void *p)
{
	return json_pack("{s:o}", "path", cs_json_bytes(p, strlen(p)));
}

static json_t *
config_json(const void *p)
{
	const struct cs_fleet_config *c = p;

	return json_pack("{s:o,s:o,s:i,s:s,s:o,s:o}", "path",
	    cs_json_bytes(c->path, strlen(c->path)), "top",
	    cs_json_bytes(c->top, strlen(c->top)), "line", c->line,
	    "server", c->server, "certificate", cs_json_bytes(c->cert,
	    strlen(c->cert)), "key", c->key != NULL ?
	    cs_json_bytes(c->key, strlen(c->key)) : json_null());
}

static json_t *
factor_json(const void *p)
{
	const struct cs_fleet_factor *f = p;

	return json_pack("{s:b,s:o}", "duplicate_modulus", f->duplicate,
	    "paths", strings(&f->paths));
}

#define RECORDS(out, type, v, fn) \
	records((out), (type), (v), (json_t *(*)(const void *))(fn))

/* The scan record, then a record per object and per finding. */
static int
jsonl_objects(const struct cs_fleet *fl, const struct cs_fleet_report_opts *o)
{
	struct cs_fleet_object	 obj;
	FILE			*out = o->out;
	json_t			*hdr;
	size_t			 i;

	hdr = json_pack("{s:o,s:{s:s,s:s}}", "roots", strings(&fl->roots),
	    "tool", "name", "certsmith", "version", o->version);
	if (hdr != NULL && o->origin != NULL)
		json_object_set_new(hdr, "origin", json_string(o->origin));
	if (cs_jsonl_record(out, "scan", hdr) == -1)
		return -1;
	for (i = 0; i < fl->nobjs; i++)
		if (cs_fleet_object_at(fl, i, &obj) == -1 ||
		    object_record(out, &obj) == -1 ||
		    finding_records(out, &obj) == -1)
			return -1;
	return 0;
}

/* The records of what cs_scan_report_known works out: all but the shared
 * factors, which batch GCD finds, and the summary. */
static int
jsonl_known(FILE *out, const struct cs_fleet *fl)
{
	if (RECORDS(out, "config", &fl->configs, config_json) == -1 ||
	    RECORDS(out, "error", &fl->errors, cs_diag_json) == -1 ||
	    RECORDS(out, "pair", &fl->pairs, pair_json) == -1 ||
	    RECORDS(out, "mismatch", &fl->mismatches, mismatch_json) == -1 ||
	    RECORDS(out, "orphan_key", &fl->orphan_keys, path_json) == -1 ||
	    RECORDS(out, "locked_key", &fl->locked_keys, path_json) == -1 ||
	    RECORDS(out, "certificate_without_key", &fl->keyless_certs,
	    path_json) == -1 ||
	    RECORDS(out, "reused_key", &fl->reused, reuse_json) == -1 ||
	    RECORDS(out, "expiring", &fl->expiring, expiry_json) == -1 ||
	    RECORDS(out, "weak_key", &fl->weak, weak_json) == -1)
		return -1;
	return 0;
}

static int
write_jsonl(const struct cs_fleet *fl, const struct cs_fleet_report_opts *o)
{
	FILE	*out = o->out;

	if ((o->written < CS_FLEET_OBJECTS && jsonl_objects(fl, o) == -1) ||
	    (o->written < CS_FLEET_KNOWN && jsonl_known(out, fl) == -1) ||
	    RECORDS(out, "shared_factor", &fl->factors, factor_json) == -1)
		return -1;
	return cs_jsonl_record(out, "summary", summary_json(fl));
}

/* ---------------------------------------------------------------- text */

static void
paint(FILE *out, int color, const char *code, const char *s)
{
	if (color)
		fprintf(out, "\033[%sm%s\033[0m", code, s);
	else
		fputs(s, out);
}

static void
tpath(FILE *out, const char *p)
{
	cs_text_escaped(out, p, strlen(p));
}

static void
text_list(FILE *out, int color, const char *label, const char *code,
    const struct cs_vec *v)
{
	size_t	 i;

	for (i = 0; i < v->n; i++) {
		paint(out, color, code, label);
		fputs("  ", out);
		tpath(out, v->v[i]);
		fputc('\n', out);
	}
}

static void
text_summary(FILE *out, const struct cs_fleet *fl)
{
	fprintf(out, "scanned %zu files (%zu not X.509), %zu objects; "
	    "%zu errors\n", fl->files, fl->skipped_files, fl->objects,
	    fl->errors.n);
	fprintf(out, "pairs %zu, mismatches %zu, orphan keys %zu, locked keys "
	    "%zu, certificates without their key %zu\n", fl->pairs.n,
	    fl->mismatches.n, fl->orphan_keys.n, fl->locked_keys.n,
	    fl->keyless_certs.n);
	fprintf(out, "reused keys %zu, shared factors %zu, duplicate moduli "
	    "%zu, weak keys %zu, expiring in %d days %zu (expired %zu)\n",
	    fl->reused.n, count_dups(fl, 0), count_dups(fl, 1), fl->weak.n,
	    fl->expiring_days, fl->expiring.n, count_expired(fl));
}

static void
text_problems(FILE *out, int c, const struct cs_fleet *fl)
{
	size_t	 i, j;

	for (i = 0; i < fl->mismatches.n; i++) {
		const struct cs_fleet_mismatch *m = fl->mismatches.v[i];

		paint(out, c, "1;31", "MISMATCH");
		fputs("  key ", out);
		tpath(out, m->key);
		fputs("  certificate ", out);
		tpath(out, m->cert);
		fprintf(out, "  (%s", m->reason);
		if (m->detail != NULL) {
			fputs(": ", out);
			tpath(out, m->detail);
		}
		fputs(")\n", out);
	}
	for (i = 0; i < fl->factors.n; i++) {
		const struct cs_fleet_factor *f = fl->factors.v[i];

		paint(out, c, "1;31", f->duplicate ? "DUPLICATE-MODULUS" :
		    "SHARED-FACTOR");
		for (j = 0; j < f->paths.n; j++) {
			fputs("  ", out);
			tpath(out, f->paths.v[j]);
		}
		fputc('\n', out);
	}
	for (i = 0; i < fl->weak.n; i++) {
		const struct cs_fleet_weak *w = fl->weak.v[i];
		const struct cs_finding *f = w->findings.v[0];

		paint(out, c, "1;31", "WEAK-KEY");
		fprintf(out, "  %s: %s:", cs_severity_name(w->severity),
		    f->rule);
		for (j = 0; j < w->paths.n; j++) {
			fputs("  ", out);
			tpath(out, w->paths.v[j]);
		}
		fputc('\n', out);
	}
	for (i = 0; i < fl->reused.n; i++) {
		const struct cs_fleet_reuse *r = fl->reused.v[i];

		paint(out, c, "33", "REUSED-KEY");
		fprintf(out, "  (%s)", r->reason);
		for (j = 0; j < r->certs.n; j++) {
			fputs("  ", out);
			tpath(out, r->certs.v[j]);
		}
		for (j = 0; j < r->keys.n; j++) {
			fputs("  ", out);
			tpath(out, r->keys.v[j]);
		}
		fputc('\n', out);
	}
}

static void
text_rest(FILE *out, int c, const struct cs_fleet *fl)
{
	size_t	 i;

	for (i = 0; i < fl->expiring.n; i++) {
		const struct cs_fleet_expiry *e = fl->expiring.v[i];

		paint(out, c, "33", e->expired ? "EXPIRED" : "EXPIRING");
		fputs("  ", out);
		tpath(out, e->path);
		fprintf(out, "  %s (%lld days)\n", e->not_after,
		    (long long)e->days);
	}
	text_list(out, c, "ORPHAN-KEY", "33", &fl->orphan_keys);
	text_list(out, c, "LOCKED-KEY", "36", &fl->locked_keys);
	for (i = 0; i < fl->errors.n; i++) {
		const struct cs_diag *d = fl->errors.v[i];

		paint(out, c, "31", "ERROR");
		fputs("  ", out);
		tpath(out, d->path);
		fputs(": ", out);
		cs_text_escaped(out, d->message, strlen(d->message));
		fputc('\n', out);
	}
}

static void
text_findings(FILE *out, int c, const struct cs_fleet *fl)
{
	size_t	 i, j;

	struct cs_fleet_object	 o;

	for (i = 0; i < fl->nobjs; i++) {
		if (cs_fleet_object_at(fl, i, &o) == -1)
			return;
		for (j = 0; j < o.findings->n; j++) {
			const struct cs_finding *f = o.findings->v[j];

			paint(out, c, f->severity >= CS_SEV_ERROR ? "31" :
			    "33", cs_severity_name(f->severity));
			fputs("  ", out);
			tpath(out, o.path);
			fprintf(out, "  %s: ", f->rule);
			cs_text_escaped(out, f->message, strlen(f->message));
			fputc('\n', out);
		}
	}
}

static int
write_text(const struct cs_fleet *fl, const struct cs_fleet_report_opts *o)
{
	text_summary(o->out, fl);
	text_problems(o->out, o->color, fl);
	text_rest(o->out, o->color, fl);
	text_findings(o->out, o->color, fl);
	return ferror(o->out) ? -1 : 0;
}

int
cs_fleet_write_part(enum cs_format fmt, const struct cs_fleet *fl,
    const struct cs_fleet_report_opts *opts, enum cs_fleet_part part)
{
	if (fmt != CS_FMT_JSONL)
		return 0;
	if ((opts->written < CS_FLEET_OBJECTS && jsonl_objects(fl, opts) ==
	    -1) || (part >= CS_FLEET_KNOWN && opts->written < CS_FLEET_KNOWN &&
	    jsonl_known(opts->out, fl) == -1))
		return -1;
	return 1;
}

int
cs_fleet_write(enum cs_format fmt, const struct cs_fleet *fl,
    const struct cs_fleet_report_opts *opts)
{
	switch (fmt) {
	case CS_FMT_TEXT:
		return write_text(fl, opts);
	case CS_FMT_JSON:
		return write_json(fl, opts);
	case CS_FMT_JSONL:
		return write_jsonl(fl, opts);
	default:
		return -1;
	}
}

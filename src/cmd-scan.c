/*
 * certsmith scan: every key, certificate and CSR under some directories,
 * and which of them belong together; certsmith merge: the same report
 * over the JSONL records of many scans (hosts or shards).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "policy/policy.h"
#include "report/fleet.h"
#include "rules/rule.h"
#include "scan/scan.h"
#include "util/outfile.h"

struct scan_run {
	struct cs_cli		*cli;
	struct cs_profile	*prof;
	struct cs_lint_opts	 lopts;
	struct cs_scan		*scan;
	struct cs_fleet		 fleet;
	char			 host[256];
	int			 progress_shown;
};

static void
progress(const struct cs_scan_progress *p, void *arg)
{
	struct scan_run	*r = arg;

	fprintf(stderr, "\r\033[Kscan: %zu/%zu files, %zu objects, "
	    "%.0f files/s, %.1f s", p->files_done, p->files_total, p->objects,
	    p->elapsed > 0 ? (double)p->files_done / p->elapsed : 0.0,
	    p->elapsed);
	r->progress_shown = 1;
}

static int
expiring_days(const struct scan_run *r)
{
	if (r->cli->expiring >= 0)
		return r->cli->expiring;
	return r->lopts.params != NULL ? r->lopts.params->expiring_days : 30;
}

static const char *
origin(struct scan_run *r)
{
	if (r->cli->origin != NULL)
		return r->cli->origin;
	if (gethostname(r->host, sizeof(r->host) - 1) == -1 ||
	    r->host[0] == '\0')
		snprintf(r->host, sizeof(r->host), "localhost");
	r->host[sizeof(r->host) - 1] = '\0';
	return r->host;
}

static int
scan_open(struct scan_run *r, int progress_ok)
{
	struct cs_cli		*cli = r->cli;
	struct cs_scan_opts	 o = { 0 };
	const char		*err;

	if ((r->prof = cli_profile_open(cli)) == NULL)
		return CS_EXIT_USAGE;
	cli_lint_opts(cli, r->prof, &r->lopts);
	o.follow_links = cli->follow;
	o.threads = cli->jobs;
	o.max_size = cli->max_size;
	o.shard = cli->shard;
	o.nshards = cli->nshards;
	o.origin = origin(r);
	/* A fleet is never prompted for, key by key and thread by thread:
	 * without --passin, encrypted keys are reported as locked. */
	o.pass_cb = cli->password != NULL ? cli_password : NULL;
	o.pass_arg = cli;
	o.lint_opts = &r->lopts;
	o.lint = cli->lint;
	o.at = r->lopts.now;
	o.expiring_days = expiring_days(r);
	o.weak_at = CS_SEV_WARNING;
	if (progress_ok && !cli->quiet && isatty(STDERR_FILENO)) {
		o.progress = progress;
		o.progress_arg = r;
	}
	if ((r->scan = cs_scan_new(&o, &err)) == NULL) {
		fprintf(stderr, "certsmith: %s\n", err);
		return CS_EXIT_INTERNAL;
	}
	return 0;
}

/* Input problems on stderr as they are also in the report. */
static void
warn_errors(const struct scan_run *r)
{
	const struct cs_diag	*d;
	size_t			 i;

	for (i = 0; i < r->fleet.errors.n; i++) {
		d = r->fleet.errors.v[i];
		cli_warn(r->cli, d->path, d->message);
	}
}

/* Is a fleet check with something to report at or above --fail-on? */
static int
check_fails(const char *id, size_t count, int on)
{
	return count > 0 && (int)cs_fleet_check(id)->severity >= on;
}

static size_t
expired_count(const struct cs_fleet *fl, int expired)
{
	size_t	 i, n = 0;

	for (i = 0; i < fl->expiring.n; i++)
		n += ((struct cs_fleet_expiry *)fl->expiring.v[i])->expired ==
		    expired;
	return n;
}

static int
fails(const struct scan_run *r)
{
	const struct cs_fleet	*fl = &r->fleet;
	struct cs_fleet_object	 o;
	const struct cs_finding	*f;
	size_t			 i, j;
	int			 on = r->cli->fail_on;

	if (check_fails("scan.mismatch", fl->mismatches.n, on) ||
	    check_fails("scan.shared-factor", fl->factors.n, on) ||
	    check_fails("scan.key-reuse", fl->reused.n, on) ||
	    check_fails("scan.orphan-key", fl->orphan_keys.n, on) ||
	    check_fails("scan.locked-key", fl->locked_keys.n, on) ||
	    check_fails("scan.keyless-certificate", fl->keyless_certs.n, on) ||
	    check_fails("scan.expired", expired_count(fl, 1), on) ||
	    check_fails("scan.expiring", expired_count(fl, 0), on))
		return 1;
	for (i = 0; i < fl->weak.n; i++)
		if ((int)((struct cs_fleet_weak *)fl->weak.v[i])->severity >= on)
			return 1;
	for (i = 0; i < fl->nobjs; i++) {
		if (cs_fleet_object_at(fl, i, &o) == -1)
			return 1;	/* out of memory: do not say "fine" */
		for (j = 0; j < o.findings->n; j++) {
			f = o.findings->v[j];
			if ((int)f->severity >= on)
				return 1;
		}
	}
	return 0;
}

static int
enabled_rules(const struct scan_run *r, struct cs_vec *out)
{
	const struct cs_rule *const	*all;
	size_t				 n, i;

	all = cs_rules_all(&n);
	for (i = 0; i < n; i++) {
		int en = r->lopts.enabled != NULL ? r->lopts.enabled[i] : -1;

		if ((en == 1 || (en == -1 && !all[i]->off)) &&
		    (r->cli->lint || strncmp(all[i]->id, "key.", 4) == 0) &&
		    cs_vec_push(out, (void *)all[i]) == -1)
			return -1;
	}
	all = cs_fleet_checks(&n);
	for (i = 0; i < n; i++)
		if (cs_vec_push(out, (void *)all[i]) == -1)
			return -1;
	return 0;
}

/* ---------------------------------------------- JUnit and SARIF */

/*
 * JUnit and SARIF report findings on objects, so each fleet problem is
 * handed to those reporters as a finding of its fleet check on an object
 * standing for the path it concerns.
 */
struct problem {
	const char	*path;		/* "file" or "file#index" */
	enum cs_kind	 kind;
	const char	*check;		/* "scan.mismatch", ... */
	const char	*field;
	const char	*value;
	char		*message;	/* owned; freed by report_problem */
};

static void
split_path(const char *path, char **file, int *index)
{
	const char	*hash = strrchr(path, '#'), *p;

	*index = 0;
	if (hash != NULL && hash[1] != '\0') {
		for (p = hash + 1; *p >= '0' && *p <= '9'; p++)
			;
		if (*p == '\0') {
			*index = atoi(hash + 1);
			*file = cs_strndup(path, (size_t)(hash - path));
			return;
		}
	}
	*file = cs_strdup(path);
}

static int
report_problem(struct cs_reporter *rep, struct problem *p)
{
	const struct cs_rule	*check = cs_fleet_check(p->check);
	struct cs_object	*obj = NULL;
	struct cs_finding	*f;
	char			*file;
	int			 index, rc = -1;

	split_path(p->path, &file, &index);
	if (file == NULL || p->message == NULL || (obj = cs_object_new(p->kind,
	    file, index, CS_ENC_PEM, CS_CONT_NONE, NULL)) == NULL ||
	    (f = calloc(1, sizeof(*f))) == NULL)
		goto done;
	if (cs_vec_push(&obj->findings, f) == -1) {
		free(f);
		goto done;
	}
	f->rule = check->id;
	f->citation = check->citation;
	f->severity = check->severity;
	f->field = cs_strdup(p->field);
	f->value = cs_strdup(p->value);
	f->message = p->message;
	p->message = NULL;
	if (cs_vec_push(&obj->checked, (void *)check->id) == -1)
		goto done;
	obj->linted = 1;
	rc = cs_report_object(rep, obj);
done:
	free(p->message);
	free(file);
	cs_object_free(obj);
	return rc;
}

static int
problem(struct cs_reporter *rep, const char *path, enum cs_kind kind,
    const char *check, const char *value, char *message)
{
	struct problem	 p = { .path = path, .kind = kind, .check = check,
		.field = kind == CS_KIND_CERT ? "certificate" : "key",
		.value = value, .message = message };

	return report_problem(rep, &p);
}

static int
report_mismatches(struct cs_reporter *rep, const struct cs_fleet *fl)
{
	const struct cs_fleet_mismatch	*m;
	size_t				 i;

	for (i = 0; i < fl->mismatches.n; i++) {
		m = fl->mismatches.v[i];
		if (problem(rep, m->key, CS_KIND_PRIVKEY, "scan.mismatch",
		    m->cert, cs_printf("this key is not the key of %s, which "
		    "goes with it by %s%s%s", m->cert, m->reason,
		    m->detail != NULL ? " " : "", m->detail != NULL ?
		    m->detail : "")) == -1)
			return -1;
	}
	return 0;
}

static int
report_factors(struct cs_reporter *rep, const struct cs_fleet *fl)
{
	const struct cs_fleet_factor	*f;
	size_t				 i, j;

	for (i = 0; i < fl->factors.n; i++) {
		f = fl->factors.v[i];
		for (j = 0; j < f->paths.n; j++)
			if (problem(rep, f->paths.v[j], CS_KIND_PUBKEY,
			    f->duplicate ? "scan.duplicate-modulus" :
			    "scan.shared-factor", NULL, cs_printf("%s with "
			    "%zu other object(s) of other keys: %s",
			    f->duplicate ? "the same RSA modulus" :
			    "an RSA prime factor in common", f->paths.n - 1,
			    (const char *)f->paths.v[j == 0 ? 1 : 0])) == -1)
				return -1;
	}
	return 0;
}

/* Reports findings owned elsewhere on an object standing for file#index. */
static int
report_borrowed(struct cs_reporter *rep, enum cs_kind kind, const char *file,
    int index, const struct cs_vec *findings)
{
	struct cs_object	*obj;
	size_t			 k;
	int			 rc = 0;

	if ((obj = cs_object_new(kind, file, index, CS_ENC_PEM, CS_CONT_NONE,
	    NULL)) == NULL)
		return -1;
	obj->findings = *findings;	/* borrowed for the call */
	obj->linted = 1;
	for (k = 0; k < findings->n && rc == 0; k++)
		rc = cs_vec_push(&obj->checked, (void *)((struct cs_finding *)
		    findings->v[k])->rule);
	if (rc == 0)
		rc = cs_report_object(rep, obj);
	memset(&obj->findings, 0, sizeof(obj->findings));
	cs_object_free(obj);
	return rc;
}

static int
report_weak(struct cs_reporter *rep, const struct cs_fleet *fl)
{
	const struct cs_fleet_weak	*w;
	char				*file;
	size_t				 i, j;
	int				 index, rc;

	for (i = 0; i < fl->weak.n; i++) {
		w = fl->weak.v[i];
		for (j = 0; j < w->paths.n; j++) {
			split_path(w->paths.v[j], &file, &index);
			rc = file == NULL ? -1 : report_borrowed(rep,
			    CS_KIND_PUBKEY, file, index, &w->findings);
			free(file);
			if (rc == -1)
				return -1;
		}
	}
	return 0;
}

static int
report_lists(struct cs_reporter *rep, const struct cs_fleet *fl)
{
	const struct cs_fleet_reuse	*ru;
	const struct cs_fleet_expiry	*e;
	size_t				 i, j;

	for (i = 0; i < fl->reused.n; i++) {
		ru = fl->reused.v[i];
		for (j = 0; j < ru->certs.n; j++)
			if (problem(rep, ru->certs.v[j], CS_KIND_CERT,
			    "scan.key-reuse", ru->spki, cs_printf("its key is "
			    "reused (%s) by %zu other object(s)", ru->reason,
			    ru->certs.n + ru->keys.n - 1)) == -1)
				return -1;
	}
	for (i = 0; i < fl->expiring.n; i++) {
		e = fl->expiring.v[i];
		if (problem(rep, e->path, CS_KIND_CERT, e->expired ?
		    "scan.expired" : "scan.expiring", e->not_after,
		    cs_printf("%s %s (%lld days)", e->expired ? "expired" :
		    "expires", e->not_after, (long long)e->days)) == -1)
			return -1;
	}
	for (i = 0; i < fl->orphan_keys.n; i++)
		if (problem(rep, fl->orphan_keys.v[i], CS_KIND_PRIVKEY,
		    "scan.orphan-key", NULL, cs_printf("no certificate or CSR "
		    "of this key in the fleet")) == -1)
			return -1;
	for (i = 0; i < fl->locked_keys.n; i++)
		if (problem(rep, fl->locked_keys.v[i], CS_KIND_PRIVKEY,
		    "scan.locked-key", NULL, cs_printf("encrypted; give "
		    "--passin to pair it")) == -1)
			return -1;
	for (i = 0; i < fl->keyless_certs.n; i++)
		if (problem(rep, fl->keyless_certs.v[i], CS_KIND_CERT,
		    "scan.keyless-certificate", NULL, cs_printf("the private "
		    "key of this certificate is not in the fleet")) == -1)
			return -1;
	return 0;
}

static int
report_linted(struct cs_reporter *rep, const struct cs_fleet *fl)
{
	struct cs_fleet_object		 fo;
	size_t				 i;

	for (i = 0; i < fl->nobjs; i++) {
		if (cs_fleet_object_at(fl, i, &fo) == -1)
			return -1;
		if (fo.linted && report_borrowed(rep, fo.kind, fo.file,
		    fo.index, fo.findings) == -1)
			return -1;
	}
	return 0;
}

static int
report_via_objects(struct scan_run *r, FILE *out,
    const struct cs_vec *rules)
{
	struct cs_report_opts	 ro = { .out = out, .color = r->cli->color,
		.version = PACKAGE_VERSION, .lint = 1,
		.fail_on = r->cli->fail_on,
		.profile = cs_profile_name(r->prof),
		.rules = (const struct cs_rule *const *)rules->v,
		.n_rules = rules->n };
	struct cs_reporter	*rep;
	size_t			 i;
	int			 rc = -1;

	if ((rep = cs_reporter_new(r->cli->format, &ro)) == NULL)
		return -1;
	if (report_mismatches(rep, &r->fleet) == -1 ||
	    report_factors(rep, &r->fleet) == -1 ||
	    report_weak(rep, &r->fleet) == -1 ||
	    report_lists(rep, &r->fleet) == -1 ||
	    report_linted(rep, &r->fleet) == -1)
		goto done;
	for (i = 0; i < r->fleet.errors.n; i++)
		if (cs_report_error(rep, r->fleet.errors.v[i]) == -1)
			goto done;
	rc = cs_report_end(rep);
done:
	cs_reporter_free(rep);
	return rc;
}

/* ------------------------------------------------------------------ */

/* The report's part up to part, when its format has one. */
static int
write_part(struct scan_run *r, struct cs_fleet_report_opts *ro,
    enum cs_fleet_part part)
{
	int	 n;

	n = cs_fleet_write_part(r->cli->format, &r->fleet, ro, part);
	if (n == -1) {
		fprintf(stderr, "certsmith: cannot write the report\n");
		return -1;
	}
	if (n == 1)
		ro->written = part;
	return 0;
}

/*
 * Works out the report and writes it. JSONL's records but the shared
 * factors and the summary are written while batch GCD runs: the object
 * records, which need only the index (cs_scan_report_begin), then the
 * others, once cs_scan_report_known has worked them out. The other
 * formats are written once everything is known. On standard output, JSONL
 * that fails later (out of memory) has its records already written and no
 * summary record: the exit status (4) says so, as for a stream cut short.
 */
static int
scan_finish(struct scan_run *r)
{
	struct cs_fleet_report_opts	 ro = { .color = r->cli->color,
		.version = PACKAGE_VERSION, .fail_on = r->cli->fail_on,
		.lint = r->cli->lint, .origin = r->host[0] ? r->host :
		r->cli->origin };
	struct cs_vec			 rules = { 0 };
	struct cs_outfile		 of;
	char				 err[512];
	int				 rc = CS_EXIT_INTERNAL, opened = 0;
	enum cs_format			 fmt = r->cli->format;

	if (enabled_rules(r, &rules) == -1) {
		fprintf(stderr, "certsmith: out of memory\n");
		goto done;
	}
	ro.rules = (const struct cs_rule *const *)rules.v;
	ro.n_rules = rules.n;
	/* Before batch GCD starts, which cs_scan_free would wait for. */
	if (cs_outfile_open(&of, r->cli->output, 0644, err, sizeof(err)) == -1) {
		fprintf(stderr, "certsmith: %s\n", err);
		goto done;
	}
	opened = 1;
	ro.out = of.fp;
	if (cs_scan_report_begin(r->scan, &r->fleet) == -1) {
		fprintf(stderr, "certsmith: out of memory\n");
		goto done;
	}
	if (write_part(r, &ro, CS_FLEET_OBJECTS) == -1)
		goto done;
	if (cs_scan_report_known(r->scan, &r->fleet) == -1) {
		fprintf(stderr, "certsmith: out of memory\n");
		goto done;
	}
	if (write_part(r, &ro, CS_FLEET_KNOWN) == -1)
		goto done;
	if (cs_scan_report_end(r->scan, &r->fleet) == -1) {
		fprintf(stderr, "certsmith: out of memory\n");
		goto done;
	}
	warn_errors(r);
	if ((fmt == CS_FMT_JUNIT || fmt == CS_FMT_SARIF ?
	    report_via_objects(r, of.fp, &rules) :
	    cs_fleet_write(fmt, &r->fleet, &ro)) == -1) {
		fprintf(stderr, "certsmith: cannot write the report\n");
		goto done;
	}
	opened = 0;
	if (cs_outfile_commit(&of, err, sizeof(err)) == -1) {
		fprintf(stderr, "certsmith: %s\n", err);
		goto done;
	}
	if (r->fleet.errors.n > 0)
		rc = CS_EXIT_INPUT;
	else
		rc = fails(r) ? CS_EXIT_FINDINGS : CS_EXIT_OK;
done:
	if (opened)
		cs_outfile_abort(&of);
	cs_vec_release(&rules);
	return rc;
}

static void
scan_close(struct scan_run *r)
{
	cs_fleet_release(&r->fleet);
	cs_scan_free(r->scan);
	cs_profile_free(r->prof);
}

static int
scan_main(struct cs_cli *cli)
{
	struct scan_run	 r = { .cli = cli };
	int		 i, rc;

	if (cli_output_not_input(cli) == -1)
		return CS_EXIT_USAGE;
	if ((rc = scan_open(&r, 1)) != 0)
		goto done;
	for (i = 0; i < cli->nargs; i++)
		if (cs_scan_root(r.scan, cli->args[i]) == -1) {
			fprintf(stderr, "certsmith: out of memory\n");
			rc = CS_EXIT_INTERNAL;
			goto done;
		}
	if (r.progress_shown)
		fputs("\r\033[K", stderr);
	rc = scan_finish(&r);
done:
	scan_close(&r);
	return rc;
}

/* Loads one JSONL file; 0, or -1 after saying why (the others go on). */
static int
merge_load(struct scan_run *r, const char *path)
{
	FILE	*in;
	char	 err[512];
	int	 rc;

	if (strcmp(path, "-") == 0)
		in = stdin;
	else if ((in = fopen(path, "r")) == NULL) {
		fprintf(stderr, "certsmith: %s: cannot open: %s\n", path,
		    strerror(errno));
		return -1;
	}
	rc = cs_scan_load_jsonl(r->scan, path, in, err, sizeof(err));
	if (rc == -1)
		fprintf(stderr, "certsmith: %s: %s; the records before it are "
		    "kept\n", path, err);
	if (in != stdin)
		fclose(in);
	return rc;
}

static int
merge_main(struct cs_cli *cli)
{
	struct scan_run	 r = { .cli = cli };
	int		 i, rc, failed = 0;

	if (cli_output_not_input(cli) == -1)
		return CS_EXIT_USAGE;
	if ((rc = scan_open(&r, 0)) != 0)
		goto done;
	r.host[0] = '\0';
	for (i = 0; i < cli->nargs; i++)
		if (merge_load(&r, cli->args[i]) == -1)
			failed = 1;
	rc = scan_finish(&r);
	if (failed && rc != CS_EXIT_INTERNAL)
		rc = CS_EXIT_INPUT;
done:
	scan_close(&r);
	return rc;
}

#define SCAN_FORMATS	(1u << CS_FMT_TEXT | 1u << CS_FMT_JSON | \
	1u << CS_FMT_JSONL | 1u << CS_FMT_JUNIT | 1u << CS_FMT_SARIF)

const struct command cmd_scan = {
	.name = "scan",
	.summary = "find the keys, certificates and CSRs of a fleet that "
	    "belong together, and those that do not",
	.operands = "DIR|FILE...",
	.description =
	    "Walks the directories (without following symbolic links "
	    "unless -L) and\ndecodes every file on worker threads. "
	    "Reports pairs (a private key with\nthe certificates and "
	    "CSRs of its key), mismatches (a key and a\ncertificate "
	    "meant to go together - same name stem, one file, "
	    "one\ndirectory, a web server configuration - whose keys "
	    "differ), orphan and\nlocked keys, reused keys, expired "
	    "and expiring certificates, weak keys\n(the key.* rules "
	    "and shared RSA factors by batch GCD). Encrypted "
	    "keys\nopen with --passin only (scan never prompts); the "
	    "others are locked.\nEach is a fleet check (scan.mismatch, "
	    "...; see `certsmith rules`) with a\nseverity: exit 1 when "
	    "one of them, or a finding of --lint, is at or\nabove "
	    "--fail-on; 3 when a file could not be read or decoded.",
	.options = OPT_FORMAT | OPT_OUTPUT | OPT_PASSIN | OPT_QUIET |
	    OPT_COLOR | OPT_MAX_SIZE | OPT_PROFILE | OPT_AT | OPT_EXPIRING |
	    OPT_FAIL_ON | OPT_ENABLE | OPT_DISABLE | OPT_FOLLOW | OPT_JOBS |
	    OPT_SHARD | OPT_LINT | OPT_ORIGIN,
	.formats = SCAN_FORMATS,
	.min_args = 1,
	.run = scan_main,
};

const struct command cmd_merge = {
	.name = "merge",
	.summary = "join the JSONL of many scans into one fleet report",
	.operands = "FILE.jsonl...",
	.description =
	    "Reads the records `scan --format jsonl` wrote on many hosts or\n"
	    "shards and reports as scan does, over all of them at once: pairs,\n"
	    "mismatches, orphans, reuse and shared factors are worked out again\n"
	    "over the joined index, so the shards of one tree (one --origin)\n"
	    "give what one scan of it gives. Paths read ORIGIN:PATH.",
	.options = OPT_FORMAT | OPT_OUTPUT | OPT_QUIET | OPT_COLOR |
	    OPT_PROFILE | OPT_AT | OPT_EXPIRING | OPT_FAIL_ON | OPT_ENABLE |
	    OPT_DISABLE | OPT_JOBS,
	.formats = SCAN_FORMATS,
	.min_args = 1,
	.run = merge_main,
};

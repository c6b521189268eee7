/*
 * certsmith scan: every key, certificate and CSR under some directories,
 * and which of them belong together; certsmith merge: the same report
 * over the JSONL records of many scans (hosts or shards).
 */
#include "config.h"

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
	o.pass_cb = cli_password;
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

static int
fails(const struct scan_run *r)
{
	const struct cs_fleet	*fl = &r->fleet;
	const struct cs_fleet_object *o;
	const struct cs_finding	*f;
	size_t			 i, j;
	int			 on = r->cli->fail_on;

	if (on == CS_FAIL_NEVER)
		return 0;
	if (fl->mismatches.n > 0 || fl->factors.n > 0)
		return 1;
	for (i = 0; i < fl->weak.n; i++)
		if ((int)((struct cs_fleet_weak *)fl->weak.v[i])->severity >= on)
			return 1;
	for (i = 0; i < fl->objs.n; i++) {
		o = fl->objs.v[i];
		for (j = 0; j < o->findings.n; j++) {
			f = o->findings.v[j];
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
	return 0;
}

static int
scan_write(struct scan_run *r)
{
	struct cs_fleet_report_opts	 ro = { .color = r->cli->color,
		.version = PACKAGE_VERSION, .fail_on = r->cli->fail_on,
		.lint = r->cli->lint, .origin = r->host[0] ? r->host :
		r->cli->origin };
	struct cs_vec			 rules = { 0 };
	struct cs_outfile		 of;
	char				 err[512];
	int				 rc = -1;

	if (enabled_rules(r, &rules) == -1)
		goto done;
	ro.rules = (const struct cs_rule *const *)rules.v;
	ro.n_rules = rules.n;
	if (cs_outfile_open(&of, r->cli->output, 0644, err, sizeof(err)) == -1) {
		fprintf(stderr, "certsmith: %s\n", err);
		goto done;
	}
	ro.out = of.fp;
	if (cs_fleet_write(r->cli->format, &r->fleet, &ro) == -1) {
		fprintf(stderr, "certsmith: cannot write the report\n");
		cs_outfile_abort(&of);
		goto done;
	}
	if (cs_outfile_commit(&of, err, sizeof(err)) == -1) {
		fprintf(stderr, "certsmith: %s\n", err);
		goto done;
	}
	rc = 0;
done:
	cs_vec_release(&rules);
	return rc;
}

static int
scan_finish(struct scan_run *r)
{
	if (cs_scan_report(r->scan, &r->fleet) == -1) {
		fprintf(stderr, "certsmith: out of memory\n");
		return CS_EXIT_INTERNAL;
	}
	warn_errors(r);
	if (scan_write(r) == -1)
		return CS_EXIT_INTERNAL;
	if (r->fleet.errors.n > 0)
		return CS_EXIT_INPUT;
	return fails(r) ? CS_EXIT_FINDINGS : CS_EXIT_OK;
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

static int
merge_main(struct cs_cli *cli)
{
	struct scan_run	 r = { .cli = cli };
	FILE		*in;
	char		 err[512];
	int		 i, rc;

	if (cli_output_not_input(cli) == -1)
		return CS_EXIT_USAGE;
	if ((rc = scan_open(&r, 0)) != 0)
		goto done;
	r.host[0] = '\0';
	for (i = 0; i < cli->nargs; i++) {
		if (strcmp(cli->args[i], "-") == 0)
			in = stdin;
		else if ((in = fopen(cli->args[i], "r")) == NULL) {
			fprintf(stderr, "certsmith: %s: cannot open\n",
			    cli->args[i]);
			rc = CS_EXIT_INPUT;
			goto done;
		}
		if (cs_scan_load_jsonl(r.scan, cli->args[i], in, err,
		    sizeof(err)) == -1) {
			fprintf(stderr, "certsmith: %s: %s\n", cli->args[i],
			    err);
			rc = CS_EXIT_INPUT;
		}
		if (in != stdin)
			fclose(in);
		if (rc != 0)
			goto done;
	}
	rc = scan_finish(&r);
done:
	scan_close(&r);
	return rc;
}

#define SCAN_FORMATS	(1u << CS_FMT_TEXT | 1u << CS_FMT_JSON | \
	1u << CS_FMT_JSONL)

const struct command cmd_scan = {
	.name = "scan",
	.summary = "find the keys, certificates and CSRs of a fleet that "
	    "belong together, and those that do not",
	.operands = "DIR|FILE...",
	.description =
	    "Walks the directories (without following symbolic links unless "
	    "-L) and decodes every file on worker threads. Reports pairs "
	    "(a private key with the certificates and CSRs of its key), "
	    "mismatches (a key and a certificate meant to go together - same "
	    "name stem, one file, one directory, a web server configuration "
	    "- whose keys differ), orphan and locked keys, reused keys, "
	    "expired and expiring certificates, weak keys (the key.* rules "
	    "and shared RSA factors by batch GCD). Exit 1 on a mismatch, a "
	    "shared factor or a finding at or above --fail-on; 3 when a file "
	    "could not be read or decoded.",
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
	    "Reads the records `scan --format jsonl` wrote on many hosts or "
	    "shards and reports as scan does, across all of them: pairs, "
	    "orphans, reuse and shared factors span every input; mismatches "
	    "found by each scan are carried over. Paths are shown as "
	    "ORIGIN:PATH, the origin being each scan's --origin (by default "
	    "its host name).",
	.options = OPT_FORMAT | OPT_OUTPUT | OPT_QUIET | OPT_COLOR |
	    OPT_PROFILE | OPT_AT | OPT_EXPIRING | OPT_FAIL_ON | OPT_ENABLE |
	    OPT_DISABLE | OPT_JOBS,
	.formats = SCAN_FORMATS,
	.min_args = 1,
	.run = merge_main,
};

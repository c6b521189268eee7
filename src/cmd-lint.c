/* certsmith lint: run the rule catalogue over CSRs, certificates and keys. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "input/input.h"
#include "policy/policy.h"
#include "rules/rule.h"
#include "scan/scan.h"
#include "util/outfile.h"

struct lint_run {
	struct cs_cli		*cli;
	struct cs_decoder	*dec;
	struct cs_lint		*lint;
	struct cs_reporter	*rep;
	int			 input_failed;
	int			 write_failed;
	int			 internal;
	int			 worst;		/* highest severity, -1: none */
};

static void
report_diags(struct lint_run *lr, struct cs_vec *v, int skipped)
{
	size_t	 i;

	for (i = 0; i < v->n; i++) {
		const struct cs_diag *d = v->v[i];

		if (!skipped)
			cli_warn(lr->cli, d->path, d->message);
		if ((skipped ? cs_report_skipped(lr->rep, d) :
		    cs_report_error(lr->rep, d)) == -1)
			lr->write_failed = 1;
	}
}

static void
note_worst(struct lint_run *lr, const struct cs_object *obj)
{
	size_t	 i;

	for (i = 0; i < obj->findings.n; i++) {
		const struct cs_finding *f = obj->findings.v[i];

		if ((int)f->severity > lr->worst)
			lr->worst = (int)f->severity;
	}
}

/* A file that is not X.509 at all, met while walking a directory, is
 * skipped (a README beside the certificates), not an error. */
static void
foreign_to_skipped(struct cs_result *res)
{
	size_t	 i;

	for (i = 0; i < res->errors.n; i++)
		if (cs_vec_push(&res->skipped, res->errors.v[i]) == -1)
			cs_diag_free(res->errors.v[i]);	/* out of memory */
	res->errors.n = 0;
}

static int
lint_file(const char *path, int from_dir, void *arg)
{
	struct lint_run	*lr = arg;
	struct cs_result res = { 0 };
	size_t		 i;

	if (cs_decode_file(lr->dec, path, &res) == -1) {
		if (from_dir && res.foreign && res.objects.n == 0)
			foreign_to_skipped(&res);
		else
			lr->input_failed = 1;
	}
	if (cs_lint_run(lr->lint, (struct cs_object *const *)res.objects.v,
	    res.objects.n) == -1)
		lr->internal = 1;
	for (i = 0; i < res.objects.n; i++) {
		note_worst(lr, res.objects.v[i]);
		if (cs_report_object(lr->rep, res.objects.v[i]) == -1)
			lr->write_failed = 1;
	}
	report_diags(lr, &res.errors, 0);
	report_diags(lr, &res.skipped, 1);
	cs_result_release(&res);
	return 0;
}

static int
walk_error(const char *path, const char *msg, void *arg)
{
	struct lint_run	*lr = arg;
	struct cs_diag	 d = { .path = (char *)path, .index = 0,
	    .message = (char *)msg };

	lr->input_failed = 1;
	cli_warn(lr->cli, path, msg);
	if (cs_report_error(lr->rep, &d) == -1)
		lr->write_failed = 1;
	return 0;
}

static int
apply_switches(struct cs_cli *cli, struct cs_profile *prof)
{
	const char	*id;
	size_t		 i;

	for (i = 0; i < cli->enable.n; i++)
		if (cs_profile_set_enabled(prof, cli->enable.v[i], 1) == -1)
			goto unknown;
	for (i = 0; i < cli->disable.n; i++)
		if (cs_profile_set_enabled(prof, cli->disable.v[i], 0) == -1)
			goto unknown;
	if (cli->expiring >= 0)
		cs_profile_set_expiring(prof, cli->expiring);
	return 0;
unknown:
	id = i < cli->enable.n ? cli->enable.v[i] : cli->disable.v[i];
	if (cs_fleet_check(id) != NULL)
		fprintf(stderr, "certsmith: '%s' is a fleet check of scan, which "
		    "--enable and --disable do not switch (--fail-on sets "
		    "which severities fail the run)\n", id);
	else
		fprintf(stderr, "certsmith: no rule '%s' (certsmith rules "
		    "lists them)\n", id);
	return -1;
}

struct cs_profile *
cli_profile_open(struct cs_cli *cli)
{
	struct cs_profile	*prof;
	char			 err[1024];

	if (cli->profile == NULL)
		prof = cs_profile_builtin();
	else
		prof = cs_profile_load(cli->profile, NULL, err, sizeof(err));
	if (prof == NULL) {
		fprintf(stderr, "certsmith: %s\n",
		    cli->profile == NULL ? "out of memory" : err);
		return NULL;
	}
	if (apply_switches(cli, prof) == -1) {
		cs_profile_free(prof);
		return NULL;
	}
	return prof;
}

/* The enabled rules, for reporters that list them (SARIF, JUnit). */
static int
enabled_rules(const struct cs_lint *l, struct cs_vec *out)
{
	const struct cs_rule *const	*all;
	size_t				 n, i;

	all = cs_rules_all(&n);
	for (i = 0; i < n; i++)
		if (cs_lint_enabled(l, all[i]) &&
		    cs_vec_push(out, (void *)all[i]) == -1)
			return -1;
	return 0;
}

static int
lint_exit(struct lint_run *lr)
{
	if (lr->internal)
		return CS_EXIT_INTERNAL;
	if (lr->input_failed)
		return CS_EXIT_INPUT;
	if (lr->worst >= 0 && lr->worst >= lr->cli->fail_on)
		return CS_EXIT_FINDINGS;
	return CS_EXIT_OK;
}

static int
lint_finish(struct lint_run *lr, struct cs_outfile *of)
{
	if (cli_report_commit(lr->rep, of, lr->write_failed) == -1)
		return CS_EXIT_INTERNAL;
	return lint_exit(lr);
}

void
cli_lint_opts(const struct cs_cli *cli, const struct cs_profile *prof,
    struct cs_lint_opts *lopts)
{
	cs_profile_lint_opts(prof, lopts);
	lopts->now = cli->have_at ? cli->at : (int64_t)time(NULL);
	lopts->hosts = (const char *const *)cli->hosts.v;
	lopts->n_hosts = cli->hosts.n;
}

struct cs_lint *
cli_lint_open(const struct cs_cli *cli, const struct cs_profile *prof)
{
	struct cs_lint_opts	 lopts = { 0 };
	struct cs_lint		*l;
	const char		*err;

	cli_lint_opts(cli, prof, &lopts);
	if ((l = cs_lint_new(&lopts, &err)) == NULL)
		fprintf(stderr, "certsmith: %s\n", err);
	return l;
}

static int
lint_inputs(struct lint_run *lr, struct cs_outfile *of)
{
	int	 i;

	for (i = 0; i < lr->cli->nargs; i++)
		(void)cs_walk(lr->cli->args[i], lint_file, walk_error, lr);
	return lint_finish(lr, of);
}

static int
lint_main(struct cs_cli *cli)
{
	struct cs_decoder_opts	 dopts = {
		.max_size = cli->max_size, .pass_cb = cli_password,
		.pass_arg = cli,
	};
	struct cs_report_opts	 ropts = { .color = cli->color,
		.version = PACKAGE_VERSION, .lint = 1, .fail_on = cli->fail_on };
	struct lint_run		 lr = { .cli = cli, .worst = -1 };
	struct cs_profile	*prof = NULL;
	struct cs_vec		 rules = { 0 };
	struct cs_outfile	 of;
	char			 err[512];
	int			 rc = CS_EXIT_INTERNAL;

	if (cli_output_not_input(cli) == -1 || (prof = cli_profile_open(cli)) == NULL)
		return CS_EXIT_USAGE;
	if ((lr.lint = cli_lint_open(cli, prof)) == NULL ||
	    enabled_rules(lr.lint, &rules) == -1 ||
	    (lr.dec = cs_decoder_new(&dopts)) == NULL)
		goto done;
	ropts.profile = cs_profile_name(prof);
	ropts.rules = (const struct cs_rule *const *)rules.v;
	ropts.n_rules = rules.n;
	if (cs_outfile_open(&of, cli->output, 0644, err, sizeof(err)) == -1) {
		fprintf(stderr, "certsmith: %s\n", err);
		goto done;
	}
	ropts.out = of.fp;
	if ((lr.rep = cs_reporter_new(cli->format, &ropts)) == NULL) {
		fprintf(stderr, "certsmith: out of memory\n");
		cs_outfile_abort(&of);
		goto done;
	}
	rc = lint_inputs(&lr, &of);
done:
	cs_reporter_free(lr.rep);
	cs_decoder_free(lr.dec);
	cs_lint_free(lr.lint);
	cs_vec_release(&rules);
	cs_profile_free(prof);
	return rc;
}

const struct command cmd_lint = {
	.name = "lint",
	.summary = "check CSRs, certificates and keys against a rule profile",
	.operands = "FILE|DIR|-...",
	.description =
	    "Runs every rule of the profile over each CSR, certificate and key\n"
	    "in each FILE, in every file under each DIR (recursively; files\n"
	    "that are not X.509 material at all are skipped there), or on\n"
	    "standard input ('-'). Each finding names the rule, its severity,\n"
	    "the field, the offending value and, where the remedy is known, a\n"
	    "machine-readable fix. 'certsmith rules' lists the rules.\n"
	    "Exit status: 0 when no finding reaches --fail-on, 1 when one does,\n"
	    "3 when an input could not be read or decoded (the others are\n"
	    "still linted and reported).",
	.options = OPT_FORMAT | OPT_OUTPUT | OPT_PASSIN | OPT_QUIET |
	    OPT_COLOR | OPT_MAX_SIZE | OPT_PROFILE | OPT_HOST | OPT_AT |
	    OPT_EXPIRING | OPT_FAIL_ON | OPT_ENABLE | OPT_DISABLE,
	.formats = 1u << CS_FMT_TEXT | 1u << CS_FMT_JSON | 1u << CS_FMT_JSONL |
	    1u << CS_FMT_JUNIT | 1u << CS_FMT_SARIF,
	.min_args = 1,
	.run = lint_main,
};

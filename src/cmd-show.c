/* certsmith show: decode and describe. */
#include "config.h"

#include <stdio.h>

#include "cli.h"
#include "input/input.h"
#include "util/outfile.h"

struct show_run {
	struct cs_cli		*cli;
	struct cs_decoder	*dec;
	struct cs_reporter	*rep;
	int			 input_failed;
	int			 write_failed;
};

static void
show_one(struct show_run *sr, const char *path)
{
	struct cs_result	 res = { 0 };
	size_t			 i;

	if (cs_decode_file(sr->dec, path, &res) == -1)
		sr->input_failed = 1;
	for (i = 0; i < res.objects.n; i++)
		if (cs_report_object(sr->rep, res.objects.v[i]) == -1)
			sr->write_failed = 1;
	for (i = 0; i < res.errors.n; i++) {
		const struct cs_diag *d = res.errors.v[i];

		cli_warn(sr->cli, d->path, d->message);
		if (cs_report_error(sr->rep, d) == -1)
			sr->write_failed = 1;
	}
	for (i = 0; i < res.skipped.n; i++)
		if (cs_report_skipped(sr->rep, res.skipped.v[i]) == -1)
			sr->write_failed = 1;
	cs_result_release(&res);
}

static int
show_finish(struct show_run *sr, struct cs_outfile *of)
{
	if (cli_report_commit(sr->rep, of, sr->write_failed) == -1)
		return CS_EXIT_INTERNAL;
	return sr->input_failed ? CS_EXIT_INPUT : CS_EXIT_OK;
}

static int
show_run(struct cs_cli *cli)
{
	struct cs_decoder_opts	 dopts = {
		.max_size = cli->max_size, .pass_cb = cli_password,
		.pass_arg = cli,
	};
	struct cs_report_opts	 ropts = { .color = cli->color,
		.version = PACKAGE_VERSION };
	struct show_run		 sr = { .cli = cli };
	struct cs_outfile	 of;
	char			 err[512];
	int			 i, rc = CS_EXIT_INTERNAL;

	if (cli_output_not_input(cli) == -1)
		return CS_EXIT_USAGE;
	if (cs_outfile_open(&of, cli->output, 0644, err, sizeof(err)) == -1) {
		fprintf(stderr, "certsmith: %s\n", err);
		return CS_EXIT_INTERNAL;
	}
	ropts.out = of.fp;
	if ((sr.dec = cs_decoder_new(&dopts)) == NULL ||
	    (sr.rep = cs_reporter_new(cli->format, &ropts)) == NULL) {
		fprintf(stderr, "certsmith: out of memory\n");
		cs_outfile_abort(&of);
		goto done;
	}
	for (i = 0; i < cli->nargs; i++)
		show_one(&sr, cli->args[i]);
	rc = show_finish(&sr, &of);
done:
	cs_reporter_free(sr.rep);
	cs_decoder_free(sr.dec);
	return rc;
}

const struct command cmd_show = {
	.name = "show",
	.summary = "decode and describe certificates, CSRs and keys",
	.operands = "FILE|-...",
	.description =
	    "Decodes every certificate, certificate request, private and public\n"
	    "key in each FILE (PEM with any number of blocks, DER, PKCS#7,\n"
	    "PKCS#12; '-' reads standard input) and describes each: subject,\n"
	    "SANs, key algorithm, size and curve, SPKI SHA-256 fingerprint,\n"
	    "signature, validity and extensions. Private key material is never\n"
	    "printed. Exit status 3 when an input could not be read or decoded;\n"
	    "the other inputs are still shown.",
	.options = OPT_FORMAT | OPT_OUTPUT | OPT_PASSIN | OPT_QUIET |
	    OPT_COLOR | OPT_MAX_SIZE,
	.min_args = 1,
	.run = show_run,
};

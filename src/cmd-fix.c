/* certsmith fix: lint a CSR, apply its findings' fixes, sign a new one. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/pem.h>

#include "cli.h"
#include "fix/fix.h"
#include "input/input.h"
#include "policy/policy.h"
#include "rules/rule.h"
#include "util/outfile.h"

/* Fixes can make new findings (a new CN asks for its SAN): relint and
 * apply again, this many times at most. */
#define MAX_ROUNDS	6

struct fix_run {
	struct cs_cli		*cli;
	struct cs_decoder	*dec;
	struct cs_lint		*lint;
	struct cs_profile	*prof;
	struct cs_result	 src;		/* the CSR or certificate file */
	struct cs_result	 keyfile;
	const struct cs_object	*source;	/* the CSR or certificate */
	const char		*source_path;	/* it, or the config file */
	EVP_PKEY		*key;		/* signs the new request */
	struct cs_fix		*fx;
	struct cs_object	*result;	/* the new request, linted */
	struct cs_vec		 notes;		/* char *: from the config */
	int			 dry_run;
};

static void
say(const char *path, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
say(const char *path, const char *fmt, ...)
{
	va_list	 ap;

	fputs("certsmith fix: ", stderr);
	if (path != NULL) {
		cs_text_escaped(stderr, path, strlen(path));
		fputs(": ", stderr);
	}
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/* --- the command line ------------------------------------------------- */

static int
check_sources(const struct cs_cli *cli)
{
	int	 n = (cli->nargs > 0) + (cli->from_cert != NULL) +
		    (cli->config != NULL);

	if (cli->nargs > 1)
		return cli_usage_error(&cmd_fix,
		    "one CSR at a time, not '%s' too", cli->args[1]);
	if (n != 1)
		return cli_usage_error(&cmd_fix,
		    "%s", n == 0 ? "give a CSR, --from-cert CERT or "
		    "--config FILE" : "give only one of a CSR, --from-cert "
		    "and --config");
	if (cli->key != NULL && cli->new_key != NULL)
		return cli_usage_error(&cmd_fix,
		    "%s", "--key and --new-key exclude each other");
	if (cli->nargs == 0 && cli->key == NULL && cli->new_key == NULL)
		return cli_usage_error(&cmd_fix,
		    "%s", "a request from --from-cert or --config "
		    "needs --key KEY or --new-key SPEC to sign it");
	return 0;
}

static int
check_options(const struct cs_cli *cli)
{
	int	 rc;

	if ((rc = check_sources(cli)) != 0)
		return rc;
	if (cli->new_key != NULL && !cs_fix_keyspec_ok(cli->new_key))
		return cli_usage_error(&cmd_fix,
		    "--new-key wants rsa:BITS (2048 to 16384), "
		    "ec:P-256|P-384|P-521, ed25519 or ed448, not '%s'",
		    cli->new_key);
	if (cli->new_key != NULL && cli->key_out == NULL && !cli->dry_run)
		return cli_usage_error(&cmd_fix,
		    "%s", "--new-key needs --key-out FILE: a key "
		    "nobody keeps cannot use the certificate");
	if (cli->key_out != NULL && cli->new_key == NULL)
		return cli_usage_error(&cmd_fix,
		    "%s", "--key-out goes with --new-key");
	if (cli->key_out != NULL && strcmp(cli->key_out, "-") == 0)
		return cli_usage_error(&cmd_fix,
		    "%s", "--key-out wants a file: a private key is "
		    "never written to standard output");
	if (cli->key_out != NULL && cli->output != NULL &&
	    strcmp(cli->key_out, cli->output) == 0)
		return cli_usage_error(&cmd_fix,
		    "%s", "-o and --key-out name the same file");
	return 0;
}

static int
same_file(const char *a, const char *b)
{
	struct stat	 sa, sb;

	return a != NULL && b != NULL && stat(a, &sa) == 0 &&
	    stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
	    sa.st_ino == sb.st_ino;
}

/* Never over an input; over an existing file only with --force. */
static int
check_output(const struct cs_cli *cli, const char *out, const char *what)
{
	const char	*inputs[] = { cli->nargs > 0 ? cli->args[0] : NULL,
	    cli->key, cli->from_cert, cli->config };
	size_t		 i;

	if (out == NULL)
		return 0;
	for (i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++)
		if (same_file(out, inputs[i])) {
			say(out, "refusing to write the %s over the input %s",
			    what, inputs[i]);
			return CS_EXIT_USAGE;
		}
	if (!cli->force && access(out, F_OK) == 0) {
		say(out, "exists; --force replaces it");
		return CS_EXIT_USAGE;
	}
	return 0;
}

static int
check_outputs(const struct cs_cli *cli)
{
	int	 rc;

	if (cli->dry_run)
		return 0;
	if ((rc = check_output(cli, cli->output, "request")) != 0 ||
	    (rc = check_output(cli, cli->key_out, "new key")) != 0)
		return rc;
	if (cli->output == NULL && cli->outform_der && isatty(STDOUT_FILENO))
		return cli_usage_error(&cmd_fix,
		    "%s", "DER is binary: give -o FILE rather than "
		    "a terminal");
	return 0;
}

/* --- inputs ------------------------------------------------------------ */

/* Prints the file's decoding errors; 1 when there were any. */
static int
print_errors(const struct cs_result *res)
{
	size_t	 i;

	for (i = 0; i < res->errors.n; i++) {
		const struct cs_diag *d = res->errors.v[i];

		say(d->path, "%s", d->message);
	}
	return res->errors.n > 0;
}

static const struct cs_object *
first_of(const struct cs_result *res, enum cs_kind kind)
{
	size_t	 i;

	for (i = 0; i < res->objects.n; i++) {
		const struct cs_object *obj = res->objects.v[i];

		if (obj->kind == kind)
			return obj;
	}
	return NULL;
}

static size_t
count_of(const struct cs_result *res, enum cs_kind kind)
{
	size_t	 i, n = 0;

	for (i = 0; i < res->objects.n; i++)
		n += ((const struct cs_object *)res->objects.v[i])->kind == kind;
	return n;
}

static int
load_key(struct fix_run *fr)
{
	const char		*path = fr->cli->key;
	const struct cs_object	*obj;

	(void)cs_decode_file(fr->dec, path, &fr->keyfile);
	obj = first_of(&fr->keyfile, CS_KIND_PRIVKEY);
	if (obj != NULL && obj->pkey != NULL && !obj->key.locked) {
		fr->key = obj->pkey;
		EVP_PKEY_up_ref(fr->key);
		return 0;
	}
	if (print_errors(&fr->keyfile))
		return CS_EXIT_INPUT;
	if (obj != NULL && obj->key.locked)
		say(path, "the key is encrypted and %s", fr->cli->passin != NULL ?
		    "--passin did not open it" : "no password was given "
		    "(--passin)");
	else
		say(path, "holds no private key");
	return CS_EXIT_INPUT;
}

static int
load_source(struct fix_run *fr)
{
	const char	*path = fr->cli->nargs > 0 ? fr->cli->args[0] :
			    fr->cli->from_cert;
	enum cs_kind	 want = fr->cli->nargs > 0 ? CS_KIND_CSR : CS_KIND_CERT;

	fr->source_path = path;
	(void)cs_decode_file(fr->dec, path, &fr->src);
	if ((fr->source = first_of(&fr->src, want)) != NULL) {
		if (count_of(&fr->src, want) > 1)
			say(path, "holds %zu %s; the first is used",
			    count_of(&fr->src, want), want == CS_KIND_CSR ?
			    "requests" : "certificates");
		return 0;
	}
	if (print_errors(&fr->src))
		return CS_EXIT_INPUT;
	if (want == CS_KIND_CSR && first_of(&fr->src, CS_KIND_CERT) != NULL)
		say(path, "holds a certificate, not a request: --from-cert "
		    "makes a renewal request from it");
	else
		say(path, "holds no %s", want == CS_KIND_CSR ?
		    "certificate request" : "certificate");
	return CS_EXIT_INPUT;
}

static int
load_config(struct fix_run *fr)
{
	char	 err[1024];
	size_t	 i;

	fr->source_path = fr->cli->config;
	fr->fx = cs_fix_from_config(fr->cli->config, NULL, &fr->notes,
	    err, sizeof(err));
	for (i = 0; i < fr->notes.n; i++)
		say(fr->cli->config, "%s", (const char *)fr->notes.v[i]);
	if (fr->fx == NULL) {
		say(fr->cli->config, "%s", err);
		return CS_EXIT_INPUT;
	}
	return 0;
}

static char *
spki_hex(const struct cs_object *obj)
{
	return obj->key.has_spki ? cs_hex(obj->key.spki_sha256, 8, 0) :
	    cs_strdup("unknown");
}

/* The source's public key must be the signing key's. */
static int
key_matches(struct fix_run *fr)
{
	const struct cs_object	*k = first_of(&fr->keyfile, CS_KIND_PRIVKEY);
	EVP_PKEY		*pub = cs_object_pubkey(fr->source);
	char			*a, *b;

	if (pub != NULL && EVP_PKEY_eq(pub, fr->key) == 1)
		return 0;
	ERR_clear_error();
	a = spki_hex(fr->source);
	b = spki_hex(k);
	say(fr->cli->key, "is not the key of %s (public key SHA-256 %s... "
	    "against %s...); nothing written", fr->source_path,
	    b != NULL ? b : "?", a != NULL ? a : "?");
	free(a);
	free(b);
	return CS_EXIT_FINDINGS;
}

/* --- lint and fix ----------------------------------------------------- */

/*
 * A key the profile finds too weak cannot be fixed by re-signing: refuse,
 * naming --new-key. In a dry run, say what the new key would be.
 */
static int
weak_key(struct fix_run *fr, const struct cs_object *obj)
{
	const struct cs_finding	*f = NULL;
	size_t			 i;

	for (i = 0; i < obj->findings.n && f == NULL; i++) {
		f = obj->findings.v[i];
		if (f->fix_action == NULL || strcmp(f->fix_action, "new-key") != 0 ||
		    (int)f->severity < fr->cli->fail_on)
			f = NULL;
	}
	if (f == NULL || fr->cli->new_key != NULL)
		return 0;
	if (fr->dry_run)
		return cs_fix_note_change(fr->fx, "key", "the request's",
		    f->fix_value, f->rule) == -1 ? CS_EXIT_INTERNAL : 0;
	say(fr->source_path, "%s [%s]", f->message, f->rule);
	say(NULL, "this key cannot make an acceptable request: give "
	    "--new-key %s --key-out FILE to sign with a fresh key; nothing "
	    "written", f->fix_value != NULL ? f->fix_value : "rsa:3072");
	return CS_EXIT_FINDINGS;
}

/* Applies every fix of obj's findings; the number that changed the
 * request, or -1 when out of memory. */
static int
apply_findings(struct fix_run *fr, const struct cs_object *obj)
{
	char			 why[512];
	size_t			 i;
	int			 n = 0;
	enum cs_fix_status	 st;

	for (i = 0; i < obj->findings.n; i++) {
		const struct cs_finding *f = obj->findings.v[i];

		st = cs_fix_finding(fr->fx, f, why, sizeof(why));
		if (st == CS_FIX_APPLIED)
			n++;
		else if (st == CS_FIX_NOMEM)
			return -1;
		else if (st == CS_FIX_ERROR)
			say(fr->source_path, "the fix of %s cannot be applied: "
			    "%s", f->rule, why);
	}
	return n;
}

/* The exit status for an edit's outcome. */
static int
edit_status(enum cs_fix_status st, const char *opt, const char *why)
{
	if (st == CS_FIX_NOMEM)
		return CS_EXIT_INTERNAL;
	if (st == CS_FIX_ERROR)
		return cli_usage_error(&cmd_fix, "%s: %s", opt, why);
	return 0;
}

static int
apply_edits(struct fix_run *fr)
{
	const struct cs_cli	*cli = fr->cli;
	char			 why[512];
	size_t			 i;
	int			 rc = 0;

	for (i = 0; rc == 0 && i < cli->sets.n; i++)
		rc = edit_status(cs_fix_set(fr->fx, cli->sets.v[i], why,
		    sizeof(why)), "--set", why);
	for (i = 0; rc == 0 && i < cli->drop_sans.n; i++)
		rc = edit_status(cs_fix_drop_san(fr->fx, cli->drop_sans.v[i],
		    "--drop-san", why, sizeof(why)), "--drop-san", why);
	for (i = 0; rc == 0 && i < cli->add_sans.n; i++)
		rc = edit_status(cs_fix_add_san(fr->fx, cli->add_sans.v[i],
		    "--add-san", why, sizeof(why)), "--add-san", why);
	return rc;
}

/* Signs the request as it stands and lints it into fr->result. */
static int
sign_and_lint(struct fix_run *fr)
{
	const char	*path = fr->cli->output != NULL ? fr->cli->output : "-";
	X509_REQ	*req;
	char		 err[512];

	cs_object_free(fr->result);
	fr->result = NULL;
	if ((req = cs_fix_sign(fr->fx, fr->key, NULL, err, sizeof(err))) == NULL) {
		say(fr->source_path, "%s", err);
		return CS_EXIT_INTERNAL;
	}
	fr->result = cs_object_new(CS_KIND_CSR, path, 0, fr->cli->outform_der ?
	    CS_ENC_DER : CS_ENC_PEM, CS_CONT_NONE, fr->cli->outform_der ?
	    NULL : "CERTIFICATE REQUEST");
	if (fr->result == NULL) {
		X509_REQ_free(req);
		return CS_EXIT_INTERNAL;
	}
	if (cs_view_req(fr->result, req, NULL, NULL) == -1 ||
	    cs_lint_run(fr->lint, &fr->result, 1) == -1)	/* settles it */
		return CS_EXIT_INTERNAL;
	return 0;
}

/* Relints and applies until nothing changes. */
static int
rounds(struct fix_run *fr)
{
	int	 round, n = 0, rc;

	for (round = 0; round < MAX_ROUNDS; round++) {
		if ((rc = sign_and_lint(fr)) != 0)
			return rc;
		if ((n = apply_findings(fr, fr->result)) == -1)
			return CS_EXIT_INTERNAL;
		if (n == 0)
			return 0;
	}
	say(fr->source_path, "the fixes still change the request after %d "
	    "rounds; the last one is kept", MAX_ROUNDS);
	return sign_and_lint(fr);
}

/* The source's own lint: the CSR as it is; a request from a certificate
 * or a config is first signed as it stands. */
static int
first_lint(struct fix_run *fr, const struct cs_object **obj)
{
	int	 rc;

	if (fr->cli->nargs > 0) {
		*obj = fr->source;
		return cs_lint_run(fr->lint, (struct cs_object *const *)&fr->source,
		    1) == -1 ? CS_EXIT_INTERNAL : 0;
	}
	if ((rc = sign_and_lint(fr)) != 0)
		return rc;
	*obj = fr->result;
	return 0;
}

/* --- outputs ----------------------------------------------------------- */

static void
print_changes(const struct fix_run *fr)
{
	const struct cs_vec	*v = cs_fix_changes(fr->fx);
	size_t			 i;

	for (i = 0; i < v->n; i++) {
		const struct cs_fix_change *c = v->v[i];

		fprintf(stderr, "%s%s: ", fr->dry_run ? "would change " : "",
		    c->field);
		if (c->before != NULL)
			cs_text_escaped(stderr, c->before, strlen(c->before));
		else
			fputs("(none)", stderr);
		fputs(" -> ", stderr);
		if (c->after != NULL)
			cs_text_escaped(stderr, c->after, strlen(c->after));
		else
			fputs("(removed)", stderr);
		fprintf(stderr, "  [%s]\n", c->why);
	}
	if (v->n == 0)
		fprintf(stderr, "no changes: the request %s re-signed as it "
		    "is\n", fr->dry_run ? "would be" : "is");
}

static int
changed(const struct fix_run *fr, const char *field)
{
	const struct cs_vec	*v = cs_fix_changes(fr->fx);
	size_t			 i;

	for (i = 0; i < v->n; i++)
		if (strcmp(((const struct cs_fix_change *)v->v[i])->field,
		    field) == 0)
			return 1;
	return 0;
}

/* The new key and signature, when they differ from the source's. */
static int
note_key_and_signature(struct fix_run *fr)
{
	const struct cs_object	*r = fr->result;
	char			*before = NULL, *after;
	int			 rc = 0;

	if (fr->cli->new_key != NULL && fr->source != NULL) {
		before = cs_printf("%s %d bits", fr->source->key.algorithm ?
		    fr->source->key.algorithm : "unknown", fr->source->key.bits);
		after = cs_printf("%s %d bits", r->key.algorithm ?
		    r->key.algorithm : "unknown", r->key.bits);
		rc = before == NULL || after == NULL ? -1 :
		    cs_fix_note_change(fr->fx, "key", before, after, "--new-key");
		free(before);
		free(after);
	}
	if (rc == 0 && fr->source != NULL && fr->source->kind == CS_KIND_CSR &&
	    fr->source->sig.valid == CS_NO)
		rc = cs_fix_note_change(fr->fx, "signature", "does not verify",
		    "verifies", "csr.signature");
	else if (rc == 0 && !changed(fr, "signature.digest") &&
	    fr->source != NULL && fr->source->kind == CS_KIND_CSR &&
	    fr->source->sig.algorithm != NULL && r->sig.algorithm != NULL &&
	    strcmp(fr->source->sig.algorithm, r->sig.algorithm) != 0)
		rc = cs_fix_note_change(fr->fx, "signature",
		    fr->source->sig.algorithm, r->sig.algorithm, "re-signed");
	return rc;
}

/* What is left after the fixes, on stderr; the worst severity or -1. */
static int
report_left(struct fix_run *fr)
{
	struct cs_report_opts	 ropts = { .out = stderr, .lint = 1,
	    .color = 0, .version = PACKAGE_VERSION,
	    .fail_on = fr->cli->fail_on };
	struct cs_reporter	*rep;
	size_t			 i;
	int			 worst = -1;

	for (i = 0; i < fr->result->findings.n; i++) {
		const struct cs_finding *f = fr->result->findings.v[i];

		if ((int)f->severity > worst)
			worst = (int)f->severity;
	}
	if (worst < 0 || fr->cli->quiet)
		return worst;
	ropts.profile = cs_profile_name(fr->prof);
	fprintf(stderr, "findings left in the new request:\n");
	if ((rep = cs_reporter_new(CS_FMT_TEXT, &ropts)) != NULL) {
		(void)cs_report_object(rep, fr->result);
		(void)cs_report_end(rep);
	}
	cs_reporter_free(rep);
	return worst;
}

static int
write_req(FILE *fp, X509_REQ *req, int der)
{
	BIO	*bio = BIO_new_fp(fp, BIO_NOCLOSE);
	int	 ok;

	if (bio == NULL)
		return -1;
	ok = der ? i2d_X509_REQ_bio(bio, req) : PEM_write_bio_X509_REQ(bio, req);
	ok = ok && BIO_flush(bio) == 1;
	BIO_free(bio);
	return ok ? 0 : -1;
}

static int
write_key(FILE *fp, EVP_PKEY *key)
{
	BIO	*bio = BIO_new_fp(fp, BIO_NOCLOSE);
	int	 ok;

	if (bio == NULL)
		return -1;
	ok = PEM_write_bio_PrivateKey(bio, key, NULL, NULL, 0, NULL, NULL) &&
	    BIO_flush(bio) == 1;
	BIO_free(bio);
	return ok ? 0 : -1;
}

static int
open_out(struct cs_outfile *of, const char *path, mode_t mode)
{
	char	 err[512];

	if (cs_outfile_open(of, path, mode, err, sizeof(err)) == -1) {
		say(NULL, "%s; nothing written", err);
		return -1;
	}
	return 0;
}

/* The new key (if any) and the request, each renamed into place only when
 * both are written. */
static int
write_outputs(struct fix_run *fr)
{
	struct cs_outfile	 kof = { 0 }, rof = { 0 };
	char			 err[512];
	int			 have_key = fr->cli->key_out != NULL;

	if (have_key && open_out(&kof, fr->cli->key_out, 0600) == -1)
		return CS_EXIT_INTERNAL;
	if (open_out(&rof, fr->cli->output, 0644) == -1)
		goto fail;
	if ((have_key && write_key(kof.fp, fr->key) == -1) ||
	    write_req(rof.fp, fr->result->req, fr->cli->outform_der) == -1) {
		say(NULL, "cannot write the %s; nothing written", have_key ?
		    "key and request" : "request");
		goto fail;
	}
	if (have_key && cs_outfile_commit(&kof, err, sizeof(err)) == -1) {
		say(NULL, "%s; nothing written", err);
		goto fail;
	}
	if (cs_outfile_commit(&rof, err, sizeof(err)) == -1) {
		say(NULL, "%s; nothing written", err);
		if (have_key)
			(void)unlink(fr->cli->key_out);
		cs_outfile_abort(&rof);
		return CS_EXIT_INTERNAL;
	}
	return 0;
fail:
	cs_outfile_abort(&kof);
	cs_outfile_abort(&rof);
	return CS_EXIT_INTERNAL;
}

/* --- the command ------------------------------------------------------- */

static int
start(struct fix_run *fr)
{
	struct cs_cli	*cli = fr->cli;
	char		 err[512];
	int		 rc;

	if (cli->key != NULL && (rc = load_key(fr)) != 0)
		return rc;
	if (cli->config != NULL)
		rc = load_config(fr);
	else if ((rc = load_source(fr)) == 0 && cli->key != NULL)
		rc = key_matches(fr);
	if (rc != 0)
		return rc;
	if (cli->config == NULL) {
		fr->fx = fr->source->kind == CS_KIND_CSR ?
		    cs_fix_from_req(fr->source->req, err, sizeof(err)) :
		    cs_fix_from_cert(fr->source->cert, err, sizeof(err));
		if (fr->fx == NULL) {
			say(fr->source_path, "%s", err);
			return CS_EXIT_INPUT;
		}
		if (fr->source->kind == CS_KIND_CSR)
			cs_fix_keep_digest(fr->fx, fr->source->sig.hash);
	}
	return 0;
}

static int
new_key(struct fix_run *fr)
{
	char	 err[512];

	if (fr->cli->new_key == NULL)
		return 0;
	if ((fr->key = cs_fix_new_key(fr->cli->new_key, NULL, err,
	    sizeof(err))) == NULL) {
		say(NULL, "%s", err);
		return CS_EXIT_INTERNAL;
	}
	return 0;
}

static int
finish(struct fix_run *fr)
{
	int	 worst, rc;

	if (fr->dry_run) {
		print_changes(fr);
		return CS_EXIT_FINDINGS;
	}
	if (note_key_and_signature(fr) == -1)
		return CS_EXIT_INTERNAL;
	print_changes(fr);
	worst = report_left(fr);
	if ((rc = write_outputs(fr)) != 0)
		return rc;
	return worst >= 0 && worst >= fr->cli->fail_on ? CS_EXIT_FINDINGS :
	    CS_EXIT_OK;
}

static int
run(struct fix_run *fr)
{
	const struct cs_object	*first;
	int			 rc;

	if ((rc = start(fr)) != 0 || (rc = new_key(fr)) != 0)
		return rc;
	if ((rc = apply_edits(fr)) != 0)
		return rc;
	if (fr->key == NULL) {
		/* A CSR without a key: its own findings, once. */
		if (cs_lint_run(fr->lint, (struct cs_object *const *)&fr->source,
		    1) == -1)
			return CS_EXIT_INTERNAL;
		first = fr->source;
	} else if ((rc = first_lint(fr, &first)) != 0)
		return rc;
	if ((rc = weak_key(fr, first)) != 0)
		return rc;
	if (apply_findings(fr, first) == -1)
		return CS_EXIT_INTERNAL;
	if (!fr->dry_run && (rc = rounds(fr)) != 0)
		return rc;
	return finish(fr);
}

static int
fix_main(struct cs_cli *cli)
{
	struct cs_decoder_opts	 dopts = { .max_size = cli->max_size,
	    .pass_cb = cli_password, .pass_arg = cli };
	struct fix_run		 fr = { .cli = cli };
	size_t			 i;
	int			 rc;

	fr.dry_run = cli->dry_run || (cli->key == NULL && cli->new_key == NULL);
	cli->dry_run = fr.dry_run;
	if ((rc = check_options(cli)) != 0 || (rc = check_outputs(cli)) != 0)
		return rc;
	if ((fr.prof = cli_profile_open(cli)) == NULL)
		return CS_EXIT_USAGE;
	rc = CS_EXIT_INTERNAL;
	if ((fr.lint = cli_lint_open(cli, fr.prof)) != NULL &&
	    (fr.dec = cs_decoder_new(&dopts)) != NULL)
		rc = run(&fr);
	cs_object_free(fr.result);
	cs_fix_free(fr.fx);
	EVP_PKEY_free(fr.key);
	cs_result_release(&fr.src);
	cs_result_release(&fr.keyfile);
	for (i = 0; i < fr.notes.n; i++)
		free(fr.notes.v[i]);
	cs_vec_release(&fr.notes);
	cs_decoder_free(fr.dec);
	cs_lint_free(fr.lint);
	cs_profile_free(fr.prof);
	return rc;
}

const struct command cmd_fix = {
	.name = "fix",
	.summary = "regenerate a corrected CSR: apply the findings' fixes, sign",
	.operands = "[CSR]",
	.description =
	    "Lints the CSR, applies the fix of every finding that has one and\n"
	    "the edits given (--set, --add-san, --drop-san), signs a new request\n"
	    "with --key (which must be the CSR's own key) or with a --new-key,\n"
	    "lints it again and writes it. What changed is printed on standard\n"
	    "error, one line each (field: before -> after [rule]), then any\n"
	    "findings left. Everything else is kept as it was: subject order,\n"
	    "other attributes, other requested extensions.\n"
	    "--from-cert CERT starts a renewal request from a certificate's\n"
	    "subject and SANs; --config FILE from an openssl.cnf [req] section.\n"
	    "Without --key or --new-key nothing is signed: the changes that\n"
	    "would be made are printed (--dry-run). Never writes over an input,\n"
	    "nor over an existing file without --force; writes atomically.\n"
	    "Exit status: 0 the new request lints clean at --fail-on, 1 findings\n"
	    "remain, a dry run, a key that is not the CSR's or too weak (nothing\n"
	    "written), 2 usage, 3 an input could not be read or decoded, 4 the\n"
	    "output could not be written.",
	.options = OPT_OUTPUT | OPT_PASSIN | OPT_QUIET | OPT_MAX_SIZE |
	    OPT_PROFILE | OPT_HOST | OPT_AT | OPT_FAIL_ON | OPT_ENABLE |
	    OPT_DISABLE | OPT_KEY | OPT_NEW_KEY | OPT_KEY_OUT | OPT_OUTFORM |
	    OPT_FORCE | OPT_DRY_RUN | OPT_SET | OPT_ADD_SAN | OPT_DROP_SAN |
	    OPT_FROM_CERT | OPT_CONFIG,
	.formats = 1u << CS_FMT_TEXT,
	.min_args = 0,
	.run = fix_main,
};

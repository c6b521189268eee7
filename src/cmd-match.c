/* certsmith match: do a key, CSRs and certificates belong together? */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli.h"
#include "input/input.h"
#include "match/match.h"
#include "util/outfile.h"

/* Text shows this many hex digits of a fingerprint; JSON shows all. */
#define SHORT_HEX	16

struct match_out {
	enum cs_format	 format;
	FILE		*fp;
	json_t		*reference;	/* json: the document's parts */
	json_t		*pairs;
	json_t		*errors;
	int		 failed;	/* a write failed */
};

struct match_run {
	struct cs_cli		*cli;
	struct cs_decoder	*dec;
	struct cs_result	*results;	/* one per operand */
	struct cs_vec		 others;	/* struct cs_object *, borrowed */
	struct cs_vec		 issuers;	/* those of others that issued one
						 * of the others: a chain */
	const struct cs_object	*reference;
	struct match_out	 out;
	int			 input_failed;
	int			 internal;
	int			 differ;	/* a pair does not belong together */
};

static char *
obj_name(const struct cs_object *obj)
{
	return cs_printf("%s#%d", obj->src.path, obj->src.index);
}

static json_t *
spki_json(const struct cs_object *obj)
{
	char	*hex;
	json_t	*j;

	if (!obj->key.has_spki)
		return json_null();
	if ((hex = cs_hex(obj->key.spki_sha256, sizeof(obj->key.spki_sha256),
	    0)) == NULL)
		return NULL;
	j = json_string(hex);
	free(hex);
	return j;
}

static json_t *
name_json(const struct cs_object *obj)
{
	char	*name = obj_name(obj);
	json_t	*j;

	if (name == NULL)
		return NULL;
	j = cs_json_bytes(name, strlen(name));
	free(name);
	return j;
}

static json_t *
reference_json(const struct cs_object *obj)
{
	if (obj == NULL)
		return json_null();
	return json_pack("{s:o,s:s,s:s?,s:o,s:b}", "name", name_json(obj),
	    "kind", cs_kind_name(obj->kind), "algorithm", obj->key.algorithm,
	    "spki_sha256", spki_json(obj), "locked", obj->key.locked);
}

static json_t *
pair_json(const struct cs_match_pair *p)
{
	return json_pack("{s:o,s:o,s:s,s:s,s:o,s:o,s:s}", "a", name_json(p->a),
	    "b", name_json(p->b), "kind", cs_match_kind_name(p->kind),
	    "verdict", cs_match_verdict_name(p->verdict),
	    "a_spki_sha256", spki_json(p->a), "b_spki_sha256", spki_json(p->b),
	    "details", p->details);
}

static void
text_name(FILE *fp, const struct cs_object *obj)
{
	cs_text_escaped(fp, obj->src.path, strlen(obj->src.path));
	fprintf(fp, "#%d", obj->src.index);
}

static void
text_spki(FILE *fp, const struct cs_object *obj)
{
	size_t	 i;

	if (!obj->key.has_spki) {
		fputs("-", fp);
		return;
	}
	for (i = 0; i < SHORT_HEX / 2; i++)
		fprintf(fp, "%02x", obj->key.spki_sha256[i]);
}

static void
text_pair(FILE *fp, const struct cs_match_pair *p)
{
	fprintf(fp, "%s %s ", cs_match_verdict_name(p->verdict),
	    cs_match_kind_name(p->kind));
	text_name(fp, p->a);
	fputc(' ', fp);
	text_name(fp, p->b);
	fputs(" spki ", fp);
	text_spki(fp, p->a);
	fputc(' ', fp);
	text_spki(fp, p->b);
	fputs(": ", fp);
	cs_text_escaped(fp, p->details, strlen(p->details));
	fputc('\n', fp);
}

static void
text_reference(FILE *fp, const struct cs_object *obj)
{
	fputs("reference ", fp);
	text_name(fp, obj);
	fprintf(fp, " %s %s spki ", cs_kind_name(obj->kind),
	    obj->key.locked ? "locked" : obj->key.algorithm != NULL ?
	    obj->key.algorithm : "unknown");
	text_spki(fp, obj);
	fputc('\n', fp);
}

static void
out_reference(struct match_out *mo, const struct cs_object *obj)
{
	switch (mo->format) {
	case CS_FMT_TEXT:
		if (obj != NULL)
			text_reference(mo->fp, obj);
		break;
	case CS_FMT_JSONL:
		if (cs_jsonl_record(mo->fp, "reference", reference_json(obj)) == -1)
			mo->failed = 1;
		break;
	default:
		if ((mo->reference = reference_json(obj)) == NULL)
			mo->failed = 1;
	}
}

static void
out_pair(struct match_out *mo, const struct cs_match_pair *p)
{
	switch (mo->format) {
	case CS_FMT_TEXT:
		text_pair(mo->fp, p);
		break;
	case CS_FMT_JSONL:
		if (cs_jsonl_record(mo->fp, "pair", pair_json(p)) == -1)
			mo->failed = 1;
		break;
	default:
		if (json_array_append_new(mo->pairs, pair_json(p)) == -1)
			mo->failed = 1;
	}
}

static void
out_error(struct match_out *mo, const struct cs_diag *d)
{
	if (mo->format == CS_FMT_JSONL) {
		if (cs_jsonl_record(mo->fp, "error", cs_diag_json(d)) == -1)
			mo->failed = 1;
	} else if (mo->format == CS_FMT_JSON) {
		if (json_array_append_new(mo->errors, cs_diag_json(d)) == -1)
			mo->failed = 1;
	}
}

/* Writes the JSON document (the other formats streamed); 0 or -1. */
static int
out_end(struct match_out *mo)
{
	json_t	*doc;
	int	 rc = -1;

	if (mo->format != CS_FMT_JSON)
		return mo->failed ? -1 : 0;
	doc = json_pack("{s:s,s:{s:s,s:s},s:{s:O,s:O},s:O}", "schema",
	    CS_SCHEMA, "tool", "name", "certsmith", "version", PACKAGE_VERSION,
	    "match", "reference", mo->reference, "pairs", mo->pairs,
	    "errors", mo->errors);
	if (doc != NULL && json_dumpf(doc, mo->fp, JSON_INDENT(2) |
	    JSON_PRESERVE_ORDER) == 0 && fputc('\n', mo->fp) != EOF)
		rc = 0;
	json_decref(doc);
	return mo->failed ? -1 : rc;
}

static void
decode_operand(struct match_run *mr, int i)
{
	struct cs_result	*res = &mr->results[i];
	size_t			 j;

	if (cs_decode_file(mr->dec, mr->cli->args[i], res) == -1)
		mr->input_failed = 1;
	for (j = 0; j < res->errors.n; j++) {
		const struct cs_diag *d = res->errors.v[j];

		cli_warn(mr->cli, d->path, d->message);
		out_error(&mr->out, d);
	}
}

/* The first private key of the first operand, else its first object. */
static const struct cs_object *
pick_reference(const struct cs_result *first)
{
	size_t	 i;

	for (i = 0; i < first->objects.n; i++) {
		const struct cs_object *obj = first->objects.v[i];

		if (obj->kind == CS_KIND_PRIVKEY)
			return obj;
	}
	return first->objects.n > 0 ? first->objects.v[0] : NULL;
}

static int
collect_others(struct match_run *mr)
{
	size_t	 j;
	int	 i;

	for (i = 0; i < mr->cli->nargs; i++)
		for (j = 0; j < mr->results[i].objects.n; j++)
			if (mr->results[i].objects.v[j] != mr->reference &&
			    cs_vec_push(&mr->others,
			    mr->results[i].objects.v[j]) == -1)
				return -1;
	return 0;
}

static int
is_issuer(const struct match_run *mr, const struct cs_object *obj)
{
	size_t	 i;

	for (i = 0; i < mr->issuers.n; i++)
		if (mr->issuers.v[i] == obj)
			return 1;
	return 0;
}

static int
find_issuers(struct match_run *mr)
{
	struct cs_object *const	*o = (struct cs_object *const *)mr->others.v;
	size_t			 i, j;

	for (i = 0; i < mr->others.n; i++)
		for (j = 0; j < mr->others.n; j++)
			if (i != j && !is_issuer(mr, o[i]) &&
			    cs_match_names_issuer(o[j], o[i]) &&
			    cs_vec_push(&mr->issuers, o[i]) == -1)
				return -1;
	return 0;
}

/* The CA certificates of a chain given beside a leaf are not expected to
 * carry the key or the CSR's key: only a match with them is news. */
static int
expected_mismatch(const struct match_run *mr, const struct cs_match_pair *p)
{
	return p->verdict == CS_MATCH_MISMATCH && p->kind != CS_MATCH_KEY_CSR &&
	    is_issuer(mr, p->b);
}

static void
compare(struct match_run *mr, const struct cs_object *a,
    const struct cs_object *b, enum cs_match_role role)
{
	struct cs_match_pair	 p;
	int			 r;

	if ((r = cs_match_compare(a, b, role, &p)) == -1)
		mr->internal = 1;
	if (r != 1 || expected_mismatch(mr, &p)) {
		if (r == 1)
			cs_match_pair_release(&p);
		return;
	}
	if (!cs_match_verdict_ok(p.verdict))
		mr->differ = 1;
	out_pair(&mr->out, &p);
	cs_match_pair_release(&p);
}

static void
compare_all(struct match_run *mr)
{
	const struct cs_object *const	*o =
	    (const struct cs_object *const *)mr->others.v;
	size_t				 i, j;

	if (mr->reference != NULL && !mr->reference->key.locked &&
	    cs_object_pubkey(mr->reference) == NULL)
		cli_warn(mr->cli, mr->reference->src.path, "the reference "
		    "carries no usable key: nothing is compared with it");
	for (i = 0; mr->reference != NULL && i < mr->others.n; i++)
		compare(mr, mr->reference, o[i], CS_MATCH_REFERENCE);
	for (i = 0; i < mr->others.n; i++)
		for (j = i + 1; j < mr->others.n; j++)
			compare(mr, o[i], o[j], CS_MATCH_PEERS);
}

static int
match_exit(const struct match_run *mr)
{
	if (mr->internal)
		return CS_EXIT_INTERNAL;
	if (mr->input_failed)
		return CS_EXIT_INPUT;
	return mr->differ ? CS_EXIT_FINDINGS : CS_EXIT_OK;
}

static int
match_inputs(struct match_run *mr, struct cs_outfile *of)
{
	char	 err[512];
	int	 i;

	for (i = 0; i < mr->cli->nargs; i++)
		decode_operand(mr, i);
	mr->reference = pick_reference(&mr->results[0]);
	if (collect_others(mr) == -1 || find_issuers(mr) == -1)
		mr->internal = 1;
	out_reference(&mr->out, mr->reference);
	compare_all(mr);
	if (out_end(&mr->out) == -1) {
		fprintf(stderr, "certsmith: cannot write the report\n");
		cs_outfile_abort(of);
		return CS_EXIT_INTERNAL;
	}
	if (cs_outfile_commit(of, err, sizeof(err)) == -1) {
		fprintf(stderr, "certsmith: %s\n", err);
		return CS_EXIT_INTERNAL;
	}
	return match_exit(mr);
}

static void
match_release(struct match_run *mr)
{
	int	 i;

	for (i = 0; mr->results != NULL && i < mr->cli->nargs; i++)
		cs_result_release(&mr->results[i]);
	free(mr->results);
	cs_vec_release(&mr->others);
	cs_vec_release(&mr->issuers);
	cs_decoder_free(mr->dec);
	json_decref(mr->out.reference);
	json_decref(mr->out.pairs);
	json_decref(mr->out.errors);
}

static int
match_open(struct match_run *mr, struct cs_cli *cli)
{
	struct cs_decoder_opts	 dopts = {
		.max_size = cli->max_size, .pass_cb = cli_password,
		.pass_arg = cli,
	};

	mr->cli = cli;
	mr->out.format = cli->format;
	mr->results = calloc((size_t)cli->nargs, sizeof(*mr->results));
	mr->out.pairs = json_array();
	mr->out.errors = json_array();
	mr->dec = cs_decoder_new(&dopts);
	if (mr->results == NULL || mr->out.pairs == NULL ||
	    mr->out.errors == NULL || mr->dec == NULL) {
		fprintf(stderr, "certsmith: out of memory\n");
		return -1;
	}
	return 0;
}

static int
match_main(struct cs_cli *cli)
{
	struct match_run	 mr = { 0 };
	struct cs_outfile	 of;
	char			 err[512];
	int			 rc = CS_EXIT_INTERNAL;

	if (cli_output_not_input(cli) == -1)
		return CS_EXIT_USAGE;
	if (match_open(&mr, cli) == -1)
		goto done;
	if (cs_outfile_open(&of, cli->output, 0644, err, sizeof(err)) == -1) {
		fprintf(stderr, "certsmith: %s\n", err);
		goto done;
	}
	mr.out.fp = of.fp;
	rc = match_inputs(&mr, &of);
done:
	match_release(&mr);
	return rc;
}

const struct command cmd_match = {
	.name = "match",
	.summary = "do a key, CSRs and certificates belong together?",
	.operands = "KEY CERT|CSR...",
	.description =
	    "Compares the private key in KEY (or, when KEY holds none, its\n"
	    "first certificate, CSR or public key: the reference) with every\n"
	    "certificate and CSR in the other files, each CSR with each\n"
	    "certificate, and each certificate with the others for issuer\n"
	    "linkage. Verdicts, one per pair: match (the same public key; for\n"
	    "a CSR and a certificate also every DNS, IP and email SAN and the\n"
	    "CN the CSR asked for), mismatch (the keys differ), names-differ,\n"
	    "issued-by (issuer name and signature check out) and\n"
	    "signature-invalid (the name matches, the signature does not).\n"
	    "A certificate that issued another one given (a chain) is reported\n"
	    "beside a key or CSR only when their keys match.\n"
	    "Keys are compared on their public parts, so compressed and\n"
	    "uncompressed EC points match; both SPKI SHA-256 fingerprints are\n"
	    "shown. Exit status: 0 when every pair belongs together, 1 when\n"
	    "one does not, 3 when an input could not be read or decoded or a\n"
	    "key stayed locked (the rest is still compared).",
	.options = OPT_FORMAT | OPT_OUTPUT | OPT_PASSIN | OPT_QUIET |
	    OPT_MAX_SIZE,
	.min_args = 2,
	.run = match_main,
};

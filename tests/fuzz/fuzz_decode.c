/*
 * libFuzzer harness for the decoder and the rules: every input is decoded
 * as one file, linted with every rule of the catalogue switched on (also
 * those only a profile enables, with two --host names), and every object
 * and diagnostic is turned into its JSON view and dumped, so the sniffer,
 * the PEM splitter, the per-kind decoders, the view, the rules and the
 * JSON escaping all see hostile bytes. Encrypted keys and PKCS#12 files are
 * opened with the corpus password, so the decryption paths run too.
 * scan's fast path decodes the same bytes and must find what the full
 * decoder found (the same objects, keys and number of errors); the web
 * server config parsers read them as each server's syntax. Every CSR and
 * certificate goes through `fix`: its findings' fixes are applied and the
 * new request signed, and a request that signs must verify.
 *
 * Build: ./configure CC=clang --enable-fuzzer && make tests/fuzz/fuzz_decode
 * Run:   tests/fuzz/run.sh BUILD_DIR SECONDS
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "fix/fix.h"
#include "input/input.h"
#include "report/report.h"
#include "rules/rule.h"
#include "scan/fast.h"
#include "scan/webconf.h"

#define FUZZ_PASSWORD	"certsmith"

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
fuzz_pass(char *buf, int size, const char *path, void *arg)
{
	size_t	 len = strlen(FUZZ_PASSWORD);

	(void)path;
	(void)arg;
	if (size < 0 || len >= (size_t)size)
		return -1;
	memcpy(buf, FUZZ_PASSWORD, len);
	return (int)len;
}

/* One decoder for the whole run, reused as the real tool reuses it. */
static struct cs_decoder *
fuzz_decoder(void)
{
	static struct cs_decoder *dec;
	struct cs_decoder_opts	 opts = { .pass_cb = fuzz_pass };

	if (dec == NULL && (dec = cs_decoder_new(&opts)) == NULL)
		abort();
	return dec;
}

/* One lint context with every rule on, built once. */
static struct cs_lint *
fuzz_lint(void)
{
	static const char *const hosts[] = { "www.example.com", "192.0.2.1" };
	static struct cs_lint	*l;
	static signed char	*all_on;
	struct cs_lint_opts	 opts = { .now = 1893456000, .hosts = hosts,
	    .n_hosts = 2 };
	const char		*err;
	size_t			 n;

	if (l != NULL)
		return l;
	(void)cs_rules_all(&n);
	if ((all_on = malloc(n ? n : 1)) == NULL)
		abort();
	memset(all_on, 1, n);
	opts.enabled = all_on;
	if ((l = cs_lint_new(&opts, &err)) == NULL)
		abort();
	return l;
}

/* Dump j (taking the reference); the string is thrown away. */
static void
dump_json(json_t *j)
{
	char	*s;

	if (j == NULL)
		return;
	s = json_dumps(j, JSON_COMPACT | JSON_ENSURE_ASCII);
	free(s);
	json_decref(j);
}

static void
dump_diags(const struct cs_vec *v)
{
	size_t	 i;

	for (i = 0; i < v->n; i++)
		dump_json(cs_diag_json(v->v[i]));
}

static struct cs_fast *
fuzz_fast(void)
{
	static struct cs_fast	*f;
	struct cs_decoder_opts	 opts = { .pass_cb = fuzz_pass };

	if (f == NULL && (f = cs_fast_new(&opts)) == NULL)
		abort();
	return f;
}

/* The fast path agrees with the full decoder (res) on these bytes. */
static void
fast_agrees(const uint8_t *data, size_t size, const struct cs_result *res)
{
	struct cs_fast_result	 fr = { 0 };
	const struct cs_fast_obj *fo;
	const struct cs_object	*o;
	unsigned char		 sha[32];
	size_t			 i;

	(void)cs_fast_decode(fuzz_fast(), "fuzz", data, size, &fr);
	if (fr.objects.n != res->objects.n || fr.errors.n != res->errors.n ||
	    fr.foreign != res->foreign)
		abort();
	for (i = 0; i < fr.objects.n; i++) {
		fo = fr.objects.v[i];
		o = res->objects.v[i];
		if (fo->kind != o->kind || fo->index != o->src.index ||
		    fo->locked != o->key.locked)
			abort();
		/* the full view hashes the SPKI as found; scan normalises */
		if (fo->has_spki && o->key.has_spki &&
		    cs_spki_normalise(fo->spki, fo->spki_len, sha, NULL,
		    NULL) == 0 && memcmp(sha, fo->spki_sha256, 32) != 0)
			abort();
	}
	cs_fast_result_release(&fr);
}

static void
webconf_all(const uint8_t *data, size_t size)
{
	static const enum cs_webconf_kind kinds[] = {
		CS_WEBCONF_NGINX, CS_WEBCONF_APACHE, CS_WEBCONF_HAPROXY,
	};
	struct cs_vec	 pairs = { 0 }, warnings = { 0 };
	size_t		 i, k;

	(void)cs_webconf_sniff(data, size);
	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		if (cs_webconf_parse(kinds[k], data, size, &pairs,
		    &warnings) == -1)
			abort();
		for (i = 0; i < pairs.n; i++)
			cs_webconf_pair_free(pairs.v[i]);
		for (i = 0; i < warnings.n; i++)
			free(warnings.v[i]);
		pairs.n = warnings.n = 0;
	}
	cs_vec_release(&pairs);
	cs_vec_release(&warnings);
}

static EVP_PKEY *
fuzz_key(void)
{
	static EVP_PKEY	*key;

	if (key == NULL && (key = EVP_PKEY_Q_keygen(NULL, NULL, "EC",
	    "P-256")) == NULL)
		abort();
	return key;
}

/* fix over one linted CSR or certificate. */
static void
fix_one(const struct cs_object *obj)
{
	struct cs_fix	*fx;
	X509_REQ	*req;
	char		 err[256];
	size_t		 i;

	if (obj->kind == CS_KIND_CSR && obj->req != NULL)
		fx = cs_fix_from_req(obj->req, err, sizeof(err));
	else if (obj->kind == CS_KIND_CERT && obj->cert != NULL)
		fx = cs_fix_from_cert(obj->cert, err, sizeof(err));
	else
		return;
	if (fx == NULL)
		return;
	cs_fix_keep_digest(fx, obj->sig.hash);
	for (i = 0; i < obj->findings.n; i++)
		(void)cs_fix_finding(fx, obj->findings.v[i], err, sizeof(err));
	req = cs_fix_sign(fx, fuzz_key(), NULL, err, sizeof(err));
	if (req != NULL && X509_REQ_verify(req, fuzz_key()) != 1)
		abort();
	X509_REQ_free(req);
	cs_fix_free(fx);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cs_result	 res = { 0 };
	size_t			 i;
	int			 rc;

	rc = cs_decode_buffer(fuzz_decoder(), "fuzz", data, size, &res);
	/* The contract of input.h: -1 exactly when an error was appended. */
	if ((rc == -1) != (res.errors.n > 0))
		abort();
	fast_agrees(data, size, &res);
	webconf_all(data, size);
	if (cs_lint_run(fuzz_lint(), (struct cs_object *const *)res.objects.v,
	    res.objects.n) == -1)
		abort();
	for (i = 0; i < res.objects.n; i++) {
		dump_json(cs_object_json(res.objects.v[i]));
		fix_one(res.objects.v[i]);
	}
	dump_diags(&res.errors);
	dump_diags(&res.skipped);
	cs_result_release(&res);
	return 0;
}

/*
 * merge: the index fed from the JSONL records `scan --format jsonl`
 * writes (see scan.h). Object records carry what the index holds (file,
 * index, kind, key digest, the SPKI once per key, flags, expiry, subject
 * digest); finding records follow their object; config records carry what
 * web server configs named. Everything else (pairs, mismatches,
 * summaries) merge works out again over the joined index, so shards of
 * one tree give what one scan of it gives; those records are skipped.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "scan/scan-int.h"

#define LINE_MAX_LEN	((size_t)16 << 20)

struct loader {
	struct cs_scan	*s;
	uint32_t	 origin;	/* of the records that follow */
	char		*last_file;	/* file of the last object record */
	uint32_t	 last_origin;
};

static const char *
jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int
hexbytes(const char *hex, unsigned char *out, size_t n)
{
	size_t		 i;
	unsigned	 v;

	if (hex == NULL || strlen(hex) != 2 * n)
		return -1;
	for (i = 0; i < n; i++) {
		if (sscanf(hex + 2 * i, "%2x", &v) != 1)
			return -1;
		out[i] = (unsigned char)v;
	}
	return 0;
}

static int
kind_parse(const char *name, enum cs_kind *kind)
{
	static const enum cs_kind kinds[] = {
		CS_KIND_CSR, CS_KIND_CERT, CS_KIND_PRIVKEY, CS_KIND_PUBKEY,
	};
	size_t	 i;

	for (i = 0; name != NULL && i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(name, cs_kind_name(kinds[i])) == 0) {
			*kind = kinds[i];
			return 0;
		}
	return -1;
}

static int
header(struct loader *ld, json_t *h)
{
	const char	*org = jstr(h, "origin"), *root;
	json_t		*roots = json_object_get(h, "roots"), *r;
	char		*copy;
	size_t		 i;

	ld->origin = sx_intern(ld->s, org != NULL ? org : "-",
	    strlen(org != NULL ? org : "-"));
	if (ld->origin == SX_NONE)
		return -1;
	json_array_foreach(roots, i, r) {
		if ((root = json_string_value(r)) == NULL)
			continue;
		if ((copy = cs_printf("%s:%s", sx_string(ld->s, ld->origin),
		    root)) == NULL || cs_vec_push(&ld->s->roots, copy) == -1) {
			free(copy);
			return -1;
		}
	}
	return 0;
}

static unsigned char *
unbase64(const char *b64, size_t *len)
{
	unsigned char	*out;
	size_t		 n = strlen(b64);
	int		 got;

	if (n == 0 || n % 4 != 0 || (out = malloc(n / 4 * 3 + 1)) == NULL)
		return NULL;
	if ((got = EVP_DecodeBlock(out, (const unsigned char *)b64,
	    (int)n)) < 0) {
		free(out);
		return NULL;
	}
	*len = (size_t)got - (b64[n - 1] == '=') - (b64[n - 2] == '=');
	return out;
}

/* 0, -1 when out of memory, -2 when the record's SPKI is not base64. */
static int
object_key(struct loader *ld, json_t *o, struct sx_obj *x)
{
	unsigned char	 sha[32], *der = NULL;
	const char	*b64 = jstr(o, "spki");
	size_t		 len = 0;

	if (hexbytes(jstr(o, "spki_sha256"), sha, sizeof(sha)) == -1)
		return 0;	/* an object without a key */
	if (b64 != NULL && (der = unbase64(b64, &len)) == NULL)
		return -2;	/* not base64 */
	x->key = sx_add_key(ld->s, sha, der, len);
	free(der);
	return x->key == SX_NONE ? -1 : 0;
}

static int
new_file(struct loader *ld, const char *file, const char *top)
{
	char		*t;
	uint32_t	 tid;

	if (ld->last_file != NULL && ld->last_origin == ld->origin &&
	    strcmp(ld->last_file, file) == 0)
		return 0;
	free(ld->last_file);
	if ((ld->last_file = cs_strdup(file)) == NULL ||
	    (t = cs_printf("%s\n%s", sx_string(ld->s, ld->origin),
	    top != NULL ? top : "")) == NULL)
		return -1;
	tid = sx_intern(ld->s, t, strlen(t));
	free(t);
	ld->last_origin = ld->origin;
	if (tid == SX_NONE ||
	    sx_add_file(ld->s, file, ld->origin, tid) == NULL)
		return -1;
	ld->s->files_read++;
	return 0;
}

static int
object(struct loader *ld, json_t *o, char *err, size_t errlen)
{
	const char	*file = jstr(o, "file");
	struct sx_obj	*x;
	enum cs_kind	 kind;

	if (file == NULL || kind_parse(jstr(o, "kind"), &kind) == -1) {
		snprintf(err, errlen, "an object record without file or kind");
		return -1;
	}
	if (new_file(ld, file, jstr(o, "top")) == -1 ||
	    (x = sx_add_obj(ld->s)) == NULL)
		goto oom;
	x->kind = (uint8_t)kind;
	x->index = (int32_t)json_integer_value(json_object_get(o, "index"));
	x->flags = (json_is_true(json_object_get(o, "locked")) ? SX_LOCKED :
	    0) | (json_is_true(json_object_get(o, "ca")) ? SX_CA : 0) |
	    (json_is_true(json_object_get(o, "self_issued")) ? SX_SELF : 0);
	if (json_is_integer(json_object_get(o, "not_after_epoch"))) {
		x->flags |= SX_VALIDITY;
		x->not_after = json_integer_value(json_object_get(o,
		    "not_after_epoch"));
	}
	if (hexbytes(jstr(o, "subject_hash"), x->subject,
	    sizeof(x->subject)) == 0)
		x->flags |= SX_SUBJECT;
	switch (object_key(ld, o, x)) {
	case -2:
		snprintf(err, errlen, "an object record whose spki is not "
		    "base64");
		return -1;
	case -1:
		goto oom;
	}
	return 0;
oom:
	snprintf(err, errlen, "out of memory");
	return -1;
}

/* A finding follows its object's record. */
static int
finding(struct loader *ld, json_t *f)
{
	const struct cs_rule	*rule;
	struct cs_finding	*x;
	struct sx_obj		*o;
	const char		*id = jstr(f, "rule"), *sev = jstr(f, "severity");
	json_t			*fix = json_object_get(f, "fix");
	enum cs_severity	 severity;
	uint32_t		 rid;

	if (ld->s->nobjs == 0 || id == NULL || sev == NULL ||
	    cs_severity_parse(sev, &severity) == -1)
		return 0;
	o = &ld->s->objs[ld->s->nobjs - 1];
	if (o->findings == NULL &&
	    (o->findings = calloc(1, sizeof(*o->findings))) == NULL)
		return -1;
	if ((x = calloc(1, sizeof(*x))) == NULL ||
	    cs_vec_push(o->findings, x) == -1) {
		free(x);
		return -1;
	}
	rule = cs_rule_find(id);
	rid = rule == NULL ? sx_intern(ld->s, id, strlen(id)) : 0;
	x->rule = rule != NULL ? rule->id : sx_string(ld->s, rid);
	x->citation = rule != NULL ? rule->citation : NULL;
	x->severity = severity;
	x->field = cs_strdup(jstr(f, "field"));
	x->value = cs_strdup(jstr(f, "value"));
	x->message = cs_strdup(jstr(f, "message") != NULL ?
	    jstr(f, "message") : "");
	x->fix_action = cs_strdup(jstr(fix, "action"));
	x->fix_value = cs_strdup(jstr(fix, "value"));
	return x->message != NULL ? 0 : -1;
}

static char *
with_origin(struct loader *ld, const char *path)
{
	return cs_printf("%s:%s", sx_string(ld->s, ld->origin),
	    path != NULL ? path : "");
}

/* A config's pair, judged again over the joined index. */
static int
config(struct loader *ld, json_t *c)
{
	const char	*file = jstr(c, "path"), *cert = jstr(c, "certificate");
	const char	*server = jstr(c, "server");
	struct sx_conf	*x;

	if (file == NULL || cert == NULL || server == NULL)
		return 0;
	if (new_file(ld, file, jstr(c, "top")) == -1 ||
	    (x = calloc(1, sizeof(*x))) == NULL)
		return -1;
	if (cs_vec_push(&ld->s->confs, x) == -1) {
		free(x);
		return -1;
	}
	x->file = (uint32_t)ld->s->nfiles - 1;
	x->line = (int)json_integer_value(json_object_get(c, "line"));
	x->server = strcmp(server, "nginx") == 0 ? "nginx" :
	    strcmp(server, "apache") == 0 ? "apache" : "haproxy";
	x->cert = cs_strdup(cert);
	x->key = cs_strdup(jstr(c, "key"));
	return x->cert != NULL ? 0 : -1;
}

static int
error_record(struct loader *ld, json_t *e)
{
	char	*path;
	int	 rc;

	if ((path = with_origin(ld, jstr(e, "path"))) == NULL)
		return -1;
	rc = sx_error(ld->s, path, jstr(e, "message") != NULL ?
	    jstr(e, "message") : "error");
	free(path);
	return rc;
}

static int
record(struct loader *ld, json_t *rec, char *err, size_t errlen)
{
	const char	*type = jstr(rec, "type");
	json_t		*item;

	if (type == NULL || (item = json_object_get(rec, type)) == NULL ||
	    strcmp(jstr(rec, "schema") != NULL ? jstr(rec, "schema") : "",
	    "certsmith/1") != 0) {
		snprintf(err, errlen, "not a certsmith record");
		return -1;
	}
	if (strcmp(type, "scan") == 0)
		return header(ld, item) == -1 ? (snprintf(err, errlen,
		    "out of memory"), -1) : 0;
	if (ld->origin == SX_NONE) {
		snprintf(err, errlen, "records before the scan record: not "
		    "the output of `certsmith scan --format jsonl`");
		return -1;
	}
	if (strcmp(type, "object") == 0)
		return object(ld, item, err, errlen);
	if ((strcmp(type, "finding") == 0 && finding(ld, item) == -1) ||
	    (strcmp(type, "config") == 0 && config(ld, item) == -1) ||
	    (strcmp(type, "error") == 0 && error_record(ld, item) == -1)) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

static void
count_origins(struct cs_scan *s)
{
	struct cs_map	 seen = { 0 };
	size_t		 i;
	int		 added;

	s->norigins = 0;
	for (i = 0; i < s->nfiles; i++)
		if (cs_map_put(&seen, &s->files[i].origin,
		    sizeof(s->files[i].origin), 1, &added) != NULL && added)
			s->norigins++;
	cs_map_release(&seen);
	/* merge always names the origin, so paths read the same whether one
	 * scan or many were joined */
	if (s->norigins < 2)
		s->norigins = 2;
}

int
cs_scan_load_jsonl(struct cs_scan *s, const char *path, FILE *in, char *err,
    size_t errlen)
{
	struct loader	 ld = { .s = s, .origin = SX_NONE };
	json_error_t	 jerr;
	json_t		*rec;
	char		*line = NULL, msg[256];
	size_t		 cap = 0, lineno = 0;
	ssize_t		 n;
	int		 rc = 0;

	(void)path;
	s->merged = 1;
	while (rc == 0 && (n = getline(&line, &cap, in)) != -1) {
		lineno++;
		if (n <= 1)
			continue;
		if ((size_t)n > LINE_MAX_LEN ||
		    (rec = json_loadb(line, (size_t)n, 0, &jerr)) == NULL) {
			snprintf(err, errlen, "line %zu: not JSON", lineno);
			rc = -1;
			break;
		}
		if (record(&ld, rec, msg, sizeof(msg)) == -1) {
			snprintf(err, errlen, "line %zu: %s", lineno, msg);
			rc = -1;
		}
		json_decref(rec);
	}
	if (rc == 0 && ferror(in)) {
		snprintf(err, errlen, "read error");
		rc = -1;
	}
	if (rc == 0 && lineno == 0) {
		snprintf(err, errlen, "empty: no scan records");
		rc = -1;
	}
	free(line);
	free(ld.last_file);
	count_origins(s);
	return rc;
}

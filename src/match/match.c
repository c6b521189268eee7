/* Which keys, CSRs and certificates belong together. */
#include "match/match.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/err.h>

#define OID_CN	"2.5.4.3"

static const char *const kind_names[] = {
	[CS_MATCH_KEY_CERT] = "key-certificate",
	[CS_MATCH_KEY_CSR] = "key-csr",
	[CS_MATCH_CSR_CERT] = "csr-certificate",
	[CS_MATCH_CERT_ISSUER] = "certificate-issuer",
};

static const char *const verdict_names[] = {
	[CS_MATCH_OK] = "match",
	[CS_MATCH_MISMATCH] = "mismatch",
	[CS_MATCH_NAMES_DIFFER] = "names-differ",
	[CS_MATCH_ISSUED_BY] = "issued-by",
	[CS_MATCH_SIG_INVALID] = "signature-invalid",
};

const char *
cs_match_kind_name(enum cs_match_kind kind)
{
	return kind_names[kind];
}

const char *
cs_match_verdict_name(enum cs_match_verdict v)
{
	return verdict_names[v];
}

int
cs_match_verdict_ok(enum cs_match_verdict v)
{
	return v == CS_MATCH_OK || v == CS_MATCH_ISSUED_BY;
}

void
cs_match_pair_release(struct cs_match_pair *pair)
{
	if (pair == NULL)
		return;
	free(pair->details);
	pair->details = NULL;
}

static int
is_key(const struct cs_object *obj)
{
	return obj->kind == CS_KIND_PRIVKEY || obj->kind == CS_KIND_PUBKEY;
}

static const char *
alg(const struct cs_object *obj)
{
	return obj->key.algorithm != NULL ? obj->key.algorithm : "unknown";
}

/* 1 same key, 0 different; details say how they differ. */
static int
same_key(const struct cs_object *a, const struct cs_object *b, char **details)
{
	int	 eq;

	eq = EVP_PKEY_eq(cs_object_pubkey(a), cs_object_pubkey(b));
	ERR_clear_error();
	if (eq == 1)
		*details = cs_strdup("same public key");
	else if (eq == -1)
		*details = cs_printf("key types differ: %s, %s", alg(a), alg(b));
	else if (eq == -2)
		*details = cs_printf("the keys cannot be compared (%s)", alg(a));
	else
		*details = cs_printf("different %s public keys", alg(a));
	return eq == 1;
}

static int
key_pair(const struct cs_object *key, const struct cs_object *other,
    enum cs_match_kind kind, struct cs_match_pair *out)
{
	*out = (struct cs_match_pair){ .kind = kind, .a = key, .b = other };
	out->verdict = same_key(key, other, &out->details) ? CS_MATCH_OK :
	    CS_MATCH_MISMATCH;
	return out->details == NULL ? -1 : 1;
}

static const struct cs_attr *
common_name(const struct cs_object *obj)
{
	const struct cs_attr	*found = NULL;
	size_t			 i;

	for (i = 0; i < obj->subject.n; i++)
		if (strcmp(obj->subject.attrs[i].oid, OID_CN) == 0)
			found = &obj->subject.attrs[i];
	return found;
}

static int
same_text(const char *a, size_t alen, const char *b, size_t blen)
{
	return alen == blen && strncasecmp(a, b, alen) == 0;
}

static int
has_san(const struct cs_object *cert, const struct cs_san *want)
{
	size_t	 i;

	for (i = 0; i < cert->n_sans; i++)
		if (cert->sans[i].type == want->type &&
		    same_text(cert->sans[i].value, cert->sans[i].value_len,
		    want->value, want->value_len))
			return 1;
	return 0;
}

/* Appends "TYPE:VALUE" (control bytes escaped) to *list; -1 when out of
 * memory. */
static int
list_add(char **list, const char *type, const char *value, size_t len)
{
	char	*v, *next;

	if ((v = cs_escape_ctrl(value, len)) == NULL)
		return -1;
	next = cs_printf("%s%s%s:%s", *list != NULL ? *list : "",
	    *list != NULL ? ", " : "", type, v);
	free(v);
	free(*list);
	*list = next;
	return next == NULL ? -1 : 0;
}

static int
missing_sans(const struct cs_object *csr, const struct cs_object *cert,
    char **list)
{
	const struct cs_san	*s;
	size_t			 i;

	for (i = 0; i < csr->n_sans; i++) {
		s = &csr->sans[i];
		if (s->type != CS_SAN_DNS && s->type != CS_SAN_IP &&
		    s->type != CS_SAN_EMAIL)
			continue;
		if (!has_san(cert, s) && list_add(list,
		    cs_san_type_name(s->type), s->value, s->value_len) == -1)
			return -1;
	}
	return 0;
}

static int
missing_cn(const struct cs_object *csr, const struct cs_object *cert,
    char **list)
{
	const struct cs_attr	*want = common_name(csr), *have;

	if (want == NULL)
		return 0;
	have = common_name(cert);
	if (have != NULL && same_text(have->value, have->value_len,
	    want->value, want->value_len))
		return 0;
	return list_add(list, "CN", want->value, want->value_len);
}

static int
csr_cert_pair(const struct cs_object *csr, const struct cs_object *cert,
    struct cs_match_pair *out)
{
	char	*missing = NULL;

	if (key_pair(csr, cert, CS_MATCH_CSR_CERT, out) == -1)
		return -1;
	if (out->verdict != CS_MATCH_OK)
		return 1;
	if (missing_sans(csr, cert, &missing) == -1 ||
	    missing_cn(csr, cert, &missing) == -1) {
		free(missing);
		cs_match_pair_release(out);
		return -1;
	}
	if (missing == NULL) {
		free(out->details);
		out->details = cs_strdup("same public key; the certificate "
		    "carries every name the CSR asked for");
	} else {
		out->verdict = CS_MATCH_NAMES_DIFFER;
		free(out->details);
		out->details = cs_printf("same public key; the certificate "
		    "lacks %s", missing);
		free(missing);
	}
	return out->details == NULL ? -1 : 1;
}

int
cs_match_names_issuer(const struct cs_object *child,
    const struct cs_object *issuer)
{
	if (child->cert == NULL || issuer->cert == NULL)
		return 0;
	return X509_NAME_cmp(X509_get_issuer_name(child->cert),
	    X509_get_subject_name(issuer->cert)) == 0;
}

static int
issuer_pair(const struct cs_object *child, const struct cs_object *issuer,
    struct cs_match_pair *out)
{
	int	 ok;

	ok = X509_verify(child->cert, cs_object_pubkey(issuer)) == 1;
	ERR_clear_error();
	*out = (struct cs_match_pair){ .kind = CS_MATCH_CERT_ISSUER,
	    .a = child, .b = issuer };
	out->verdict = ok ? CS_MATCH_ISSUED_BY : CS_MATCH_SIG_INVALID;
	out->details = cs_strdup(ok ? "the issuer's key verifies the "
	    "signature" : "issuer name matches, but the signature does not "
	    "verify with the issuer's key");
	return out->details == NULL ? -1 : 1;
}

static int
cert_cert(const struct cs_object *a, const struct cs_object *b,
    enum cs_match_role role, struct cs_match_pair *out)
{
	if (cs_match_names_issuer(b, a))
		return issuer_pair(b, a, out);
	if (cs_match_names_issuer(a, b))
		return issuer_pair(a, b, out);
	if (role == CS_MATCH_REFERENCE)
		return key_pair(a, b, CS_MATCH_KEY_CERT, out);
	return 0;
}

static int
with_key(const struct cs_object *key, const struct cs_object *other,
    struct cs_match_pair *out)
{
	if (other->kind == CS_KIND_CERT)
		return key_pair(key, other, CS_MATCH_KEY_CERT, out);
	if (other->kind == CS_KIND_CSR)
		return key_pair(key, other, CS_MATCH_KEY_CSR, out);
	return 0;
}

int
cs_match_compare(const struct cs_object *a, const struct cs_object *b,
    enum cs_match_role role, struct cs_match_pair *out)
{
	if (a == b || cs_object_pubkey(a) == NULL || cs_object_pubkey(b) == NULL)
		return 0;
	if (is_key(a) || is_key(b)) {
		if (role != CS_MATCH_REFERENCE)
			return 0;
		return is_key(a) ? with_key(a, b, out) : with_key(b, a, out);
	}
	if (a->kind == CS_KIND_CERT && b->kind == CS_KIND_CERT)
		return cert_cert(a, b, role, out);
	if (a->kind == CS_KIND_CSR && b->kind == CS_KIND_CERT)
		return csr_cert_pair(a, b, out);
	if (a->kind == CS_KIND_CERT && b->kind == CS_KIND_CSR)
		return csr_cert_pair(b, a, out);
	if (role == CS_MATCH_REFERENCE)
		return key_pair(a, b, CS_MATCH_KEY_CSR, out);
	return 0;
}

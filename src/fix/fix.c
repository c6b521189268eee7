/* The request being rebuilt: copies in, actions on the subject, extensions,
 * attributes and digest, and signing. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include "fix/fix-int.h"

enum cs_fix_status
fix_why(enum cs_fix_status status, char *why, size_t whylen,
    const char *fmt, ...)
{
	va_list	 ap;

	if (whylen > 0) {
		va_start(ap, fmt);
		vsnprintf(why, whylen, fmt, ap);
		va_end(ap);
	}
	return status;
}

enum cs_fix_status
fix_oom(char *why, size_t whylen)
{
	return fix_why(CS_FIX_NOMEM, why, whylen, "out of memory");
}

int
fix_change(struct cs_fix *fx, const char *field, const char *before,
    const char *after, const char *why)
{
	struct cs_fix_change	*c;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return -1;
	c->field = cs_strdup(field);
	c->before = before != NULL ? cs_strdup(before) : NULL;
	c->after = after != NULL ? cs_strdup(after) : NULL;
	c->why = cs_strdup(why != NULL ? why : "");
	if (c->field == NULL || (before != NULL && c->before == NULL) ||
	    (after != NULL && c->after == NULL) || c->why == NULL ||
	    cs_vec_push(&fx->changes, c) == -1) {
		free(c->field);
		free(c->before);
		free(c->after);
		free(c->why);
		free(c);
		return -1;
	}
	return 0;
}

int
cs_fix_note_change(struct cs_fix *fx, const char *field, const char *before,
    const char *after, const char *why)
{
	return fix_change(fx, field, before, after, why);
}

const struct cs_vec *
cs_fix_changes(const struct cs_fix *fx)
{
	return &fx->changes;
}

struct cs_fix *
fix_new(void)
{
	struct cs_fix	*fx;

	if ((fx = calloc(1, sizeof(*fx))) == NULL)
		return NULL;
	fx->subject = X509_NAME_new();
	fx->exts = sk_X509_EXTENSION_new_null();
	fx->attrs = sk_X509_ATTRIBUTE_new_null();
	if (fx->subject == NULL || fx->exts == NULL || fx->attrs == NULL) {
		cs_fix_free(fx);
		return NULL;
	}
	return fx;
}

void
cs_fix_free(struct cs_fix *fx)
{
	size_t	 i;

	if (fx == NULL)
		return;
	X509_NAME_free(fx->subject);
	sk_X509_EXTENSION_pop_free(fx->exts, X509_EXTENSION_free);
	sk_X509_ATTRIBUTE_pop_free(fx->attrs, X509_ATTRIBUTE_free);
	for (i = 0; i < fx->changes.n; i++) {
		struct cs_fix_change *c = fx->changes.v[i];

		free(c->field);
		free(c->before);
		free(c->after);
		free(c->why);
		free(c);
	}
	cs_vec_release(&fx->changes);
	free(fx);
}

/* --- copies in ------------------------------------------------------- */

static int
copy_subject(struct cs_fix *fx, const X509_NAME *name)
{
	X509_NAME	*dup;

	if (name == NULL)
		return 0;
	if ((dup = X509_NAME_dup(name)) == NULL)
		return -1;
	X509_NAME_free(fx->subject);
	fx->subject = dup;
	return 0;
}

static int
copy_attrs(struct cs_fix *fx, const X509_REQ *req)
{
	X509_ATTRIBUTE	*a, *dup;
	int		 i, nid;

	for (i = 0; i < X509_REQ_get_attr_count(req); i++) {
		a = X509_REQ_get_attr(req, i);
		nid = OBJ_obj2nid(X509_ATTRIBUTE_get0_object(a));
		if (nid == NID_ext_req || nid == NID_ms_ext_req)
			continue;
		if ((dup = X509_ATTRIBUTE_dup(a)) == NULL ||
		    !sk_X509_ATTRIBUTE_push(fx->attrs, dup)) {
			X509_ATTRIBUTE_free(dup);
			return -1;
		}
	}
	return 0;
}

/* Does req carry an extension request at all? */
static int
has_ext_req(const X509_REQ *req)
{
	return X509_REQ_get_attr_by_NID(req, NID_ext_req, -1) >= 0 ||
	    X509_REQ_get_attr_by_NID(req, NID_ms_ext_req, -1) >= 0;
}

struct cs_fix *
cs_fix_from_req(const X509_REQ *req, char *err, size_t errlen)
{
	struct cs_fix			*fx;
	STACK_OF(X509_EXTENSION)	*exts = NULL;

	if ((fx = fix_new()) == NULL)
		goto nomem;
	if (copy_subject(fx, X509_REQ_get_subject_name(req)) == -1 ||
	    copy_attrs(fx, req) == -1)
		goto nomem;
	if (has_ext_req(req)) {
		/* OpenSSL's getter takes a non-const request. */
		if ((exts = X509_REQ_get_extensions((X509_REQ *)req)) == NULL) {
			snprintf(err, errlen, "the requested extensions do "
			    "not decode");
			cs_fix_free(fx);
			return NULL;
		}
		sk_X509_EXTENSION_pop_free(fx->exts, X509_EXTENSION_free);
		fx->exts = exts;
	}
	return fx;
nomem:
	cs_fix_free(fx);
	snprintf(err, errlen, "out of memory");
	return NULL;
}

struct cs_fix *
cs_fix_from_cert(const X509 *cert, char *err, size_t errlen)
{
	struct cs_fix		*fx;
	X509_EXTENSION		*ext, *dup = NULL;
	int			 i;

	if ((fx = fix_new()) == NULL ||
	    copy_subject(fx, X509_get_subject_name(cert)) == -1)
		goto nomem;
	/* The SAN is the subject's; every other extension is the issuer's. */
	i = X509_get_ext_by_NID(cert, NID_subject_alt_name, -1);
	if (i >= 0) {
		ext = X509_get_ext(cert, i);
		if ((dup = X509_EXTENSION_dup(ext)) == NULL ||
		    !sk_X509_EXTENSION_push(fx->exts, dup)) {
			X509_EXTENSION_free(dup);
			goto nomem;
		}
	}
	return fx;
nomem:
	cs_fix_free(fx);
	snprintf(err, errlen, "out of memory");
	return NULL;
}

/* --- subject ---------------------------------------------------------- */

/* "C", or the dotted OID when OpenSSL has no short name. */
static void
obj_label(const ASN1_OBJECT *obj, char *buf, size_t size)
{
	int	 nid = OBJ_obj2nid(obj);

	if (nid != NID_undef && OBJ_nid2sn(nid) != NULL)
		snprintf(buf, size, "%s", OBJ_nid2sn(nid));
	else if (OBJ_obj2txt(buf, (int)size, obj, 1) <= 0)
		snprintf(buf, size, "?");
}

static char *
obj_field(const char *prefix, const ASN1_OBJECT *obj)
{
	char	 label[64];

	obj_label(obj, label, sizeof(label));
	return cs_printf("%s.%s", prefix, label);
}

/* The entry's value as UTF-8 (malloc'ed), or NULL. */
static char *
entry_text(const X509_NAME_ENTRY *ne)
{
	unsigned char	*utf8 = NULL;
	char		*s;
	int		 len;

	len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(ne));
	if (len < 0)
		return NULL;
	s = cs_escape_ctrl((const char *)utf8, (size_t)len);
	OPENSSL_free(utf8);
	return s;
}

/* The entry of type obj whose value is target, else the first of the type;
 * -1 when there is none. */
static int
subject_find(const X509_NAME *name, const ASN1_OBJECT *obj, const char *target)
{
	int	 i, first = -1;
	char	*v;

	for (i = 0; i < X509_NAME_entry_count(name); i++) {
		const X509_NAME_ENTRY *ne = X509_NAME_get_entry(name, i);

		if (OBJ_cmp(X509_NAME_ENTRY_get_object(ne), obj) != 0)
			continue;
		if (first == -1)
			first = i;
		if (target == NULL)
			break;
		v = entry_text(ne);
		if (v != NULL && strcmp(v, target) == 0) {
			free(v);
			return i;
		}
		free(v);
	}
	return first;
}

/*
 * A copy of in with the entry at `at` replaced by with (NULL: removed), or
 * with inserted as an RDN of its own before `at` (insert set). Multi-valued
 * RDNs stay together.
 */
static X509_NAME *
name_rebuild(const X509_NAME *in, int at, const X509_NAME_ENTRY *with,
    int insert)
{
	X509_NAME	*out = X509_NAME_new();
	int		 i, n = X509_NAME_entry_count(in), prev = -1, set, ok = 1;

	for (i = 0; out != NULL && ok && i <= n; i++) {
		const X509_NAME_ENTRY *ne;

		if (insert && i == at) {
			ok = X509_NAME_add_entry(out, with, -1, 0);
			prev = -1;
		}
		if (i == n || !ok)
			break;
		ne = X509_NAME_get_entry(in, i);
		set = X509_NAME_ENTRY_set(ne);
		if (!insert && i == at) {
			if (with == NULL)
				continue;
			ne = with;
		}
		ok = X509_NAME_add_entry(out, ne, -1, set == prev ? -1 : 0);
		prev = set;
	}
	if (!ok) {
		X509_NAME_free(out);
		return NULL;
	}
	return out;
}

/* Where a new attribute goes: before the first of a later rank. */
static int
insert_at(const X509_NAME *name, const ASN1_OBJECT *obj)
{
	static const int order[] = {
		NID_domainComponent, NID_countryName, NID_stateOrProvinceName,
		NID_localityName, NID_streetAddress, NID_organizationName,
		NID_organizationalUnitName, NID_serialNumber, NID_commonName,
		NID_pkcs9_emailAddress,
	};
	size_t	 n = sizeof(order) / sizeof(order[0]), r, mine = n;
	int	 i;

	for (r = 0; r < n; r++)
		if (order[r] == OBJ_obj2nid(obj))
			mine = r;
	for (i = 0; i < X509_NAME_entry_count(name) && mine < n; i++) {
		int nid = OBJ_obj2nid(X509_NAME_ENTRY_get_object(
		    X509_NAME_get_entry(name, i)));

		for (r = mine + 1; r < n; r++)
			if (order[r] == nid)
				return i;
	}
	return X509_NAME_entry_count(name);
}

static enum cs_fix_status
subject_put(struct cs_fix *fx, int at, int insert, const X509_NAME_ENTRY *with,
    char *why, size_t whylen)
{
	X509_NAME	*name = name_rebuild(fx->subject, at, with, insert);

	if (name == NULL)
		return fix_oom(why, whylen);
	X509_NAME_free(fx->subject);
	fx->subject = name;
	return CS_FIX_APPLIED;
}

/* A new entry of type obj; the string type follows OpenSSL's table
 * (PrintableString for C and serialNumber, IA5String for emailAddress and
 * DC, UTF8String otherwise). */
static X509_NAME_ENTRY *
entry_new(const ASN1_OBJECT *obj, const char *value, char *why, size_t whylen)
{
	X509_NAME_ENTRY	*ne;
	char		 label[64];
	unsigned long	 e;

	ERR_clear_error();
	ne = X509_NAME_ENTRY_create_by_OBJ(NULL, obj, MBSTRING_UTF8,
	    (const unsigned char *)value, -1);
	if (ne == NULL) {
		obj_label(obj, label, sizeof(label));
		e = ERR_peek_last_error();
		fix_why(CS_FIX_ERROR, why, whylen, "%s '%s' is not a valid value"
		    "%s%s", label, value, e != 0 ? ": " : "",
		    e != 0 ? ERR_reason_error_string(e) : "");
		ERR_clear_error();
	}
	return ne;
}

static enum cs_fix_status
subject_set(struct cs_fix *fx, const ASN1_OBJECT *obj, const char *value,
    const char *target, const char *who, char *why, size_t whylen)
{
	X509_NAME_ENTRY		*ne, *cur = NULL;
	char			*field, *old = NULL;
	int			 at = subject_find(fx->subject, obj, target);
	enum cs_fix_status	 st;

	if ((ne = entry_new(obj, value, why, whylen)) == NULL)
		return CS_FIX_ERROR;
	if (at >= 0)
		cur = X509_NAME_get_entry(fx->subject, at);
	/* The same text in another string type is still a change. */
	if (cur != NULL && ASN1_STRING_cmp(X509_NAME_ENTRY_get_data(cur),
	    X509_NAME_ENTRY_get_data(ne)) == 0) {
		X509_NAME_ENTRY_free(ne);
		return CS_FIX_NOOP;
	}
	if ((cur != NULL && (old = entry_text(cur)) == NULL) ||
	    (field = obj_field("subject", obj)) == NULL) {
		free(old);
		X509_NAME_ENTRY_free(ne);
		return fix_oom(why, whylen);
	}
	st = subject_put(fx, at >= 0 ? at : insert_at(fx->subject, obj),
	    at < 0, ne, why, whylen);
	X509_NAME_ENTRY_free(ne);
	if (st == CS_FIX_APPLIED && fix_change(fx, field, old, value, who) == -1)
		st = fix_oom(why, whylen);
	free(old);
	free(field);
	return st;
}

static enum cs_fix_status
subject_remove(struct cs_fix *fx, const ASN1_OBJECT *obj, const char *target,
    const char *who, char *why, size_t whylen)
{
	char			*field, *old;
	int			 at = subject_find(fx->subject, obj, target);
	enum cs_fix_status	 st;

	if (at < 0)
		return CS_FIX_NOOP;
	old = entry_text(X509_NAME_get_entry(fx->subject, at));
	field = obj_field("subject", obj);
	st = old == NULL || field == NULL ? fix_oom(why, whylen) :
	    subject_put(fx, at, 0, NULL, why, whylen);
	if (st == CS_FIX_APPLIED && fix_change(fx, field, old, NULL, who) == -1)
		st = fix_oom(why, whylen);
	free(old);
	free(field);
	return st;
}

/* "C=GB" or "CN=www.example.com": the type (short or long name, or an
 * OID) before the first '='. */
static enum cs_fix_status
subject_action(struct cs_fix *fx, const char *value, const char *target,
    int remove, const char *who, char *why, size_t whylen)
{
	const char		*eq = remove ? NULL : strchr(value, '=');
	char			*type;
	ASN1_OBJECT		*obj;
	enum cs_fix_status	 st;

	if (!remove && eq == NULL)
		return fix_why(CS_FIX_ERROR, why, whylen, "'%s' is not "
		    "TYPE=VALUE", value);
	type = remove ? cs_strdup(value) :
	    cs_strndup(value, (size_t)(eq - value));
	if (type == NULL)
		return fix_oom(why, whylen);
	if ((obj = OBJ_txt2obj(type, 0)) == NULL) {
		st = fix_why(CS_FIX_ERROR, why, whylen, "no attribute type "
		    "'%s'", type);
		free(type);
		return st;
	}
	free(type);
	if (remove || eq[1] == '\0')
		st = subject_remove(fx, obj, target, who, why, whylen);
	else
		st = subject_set(fx, obj, eq + 1, target, who, why, whylen);
	ASN1_OBJECT_free(obj);
	return st;
}

/* --- extensions and attributes ---------------------------------------- */

/* The extension as OpenSSL prints it, on one line; "critical," first. */
static char *
ext_text(X509_EXTENSION *ext)
{
	BIO	*bio = BIO_new(BIO_s_mem());
	char	*data, *s = NULL;
	long	 len;
	size_t	 i;

	if (bio == NULL)
		return NULL;
	if (X509_EXTENSION_get_critical(ext))
		BIO_puts(bio, "critical,");
	if (!X509V3_EXT_print(bio, ext, 0, 0))
		ASN1_STRING_print(bio, X509_EXTENSION_get_data(ext));
	len = BIO_get_mem_data(bio, &data);
	if (len >= 0 && (s = cs_escape_ctrl(data, (size_t)len)) != NULL)
		for (i = 0; s[i] != '\0'; i++)
			if (s[i] == '\n')
				s[i] = ' ';
	BIO_free(bio);
	ERR_clear_error();
	return s;
}

/* The first extension of type obj at or after from, or -1. */
static int
ext_find(const struct cs_fix *fx, const ASN1_OBJECT *obj, int from)
{
	return X509v3_get_ext_by_OBJ(fx->exts, obj, from - 1);
}

static int
ext_same(X509_EXTENSION *a, X509_EXTENSION *b)
{
	unsigned char	*da = NULL, *db = NULL;
	int		 la = i2d_X509_EXTENSION(a, &da);
	int		 lb = i2d_X509_EXTENSION(b, &db);
	int		 same = la > 0 && la == lb && memcmp(da, db, (size_t)la) == 0;

	OPENSSL_free(da);
	OPENSSL_free(db);
	return same;
}

/* Removes every extension of type obj from index `from` on; -1 on OOM. */
static void
ext_drop_from(struct cs_fix *fx, const ASN1_OBJECT *obj, int from)
{
	int	 i;

	while ((i = ext_find(fx, obj, from)) >= 0)
		X509_EXTENSION_free(sk_X509_EXTENSION_delete(fx->exts, i));
}

/* Puts ext (owned from here) in place of the first of its type, dropping
 * any further ones, or appends it. */
static enum cs_fix_status
ext_put(struct cs_fix *fx, X509_EXTENSION *ext, const char *who, char *why,
    size_t whylen)
{
	const ASN1_OBJECT	*obj = X509_EXTENSION_get_object(ext);
	int			 at = ext_find(fx, obj, 0);
	X509_EXTENSION		*old = at >= 0 ?
				    sk_X509_EXTENSION_value(fx->exts, at) : NULL;
	char			*before = NULL, *after, *field;
	enum cs_fix_status	 st = CS_FIX_APPLIED;

	if (old != NULL && ext_same(old, ext) && ext_find(fx, obj, at + 1) < 0) {
		X509_EXTENSION_free(ext);
		return CS_FIX_NOOP;
	}
	before = old != NULL ? ext_text(old) : NULL;
	after = ext_text(ext);
	field = obj_field("extensions", obj);
	if (old != NULL) {
		(void)sk_X509_EXTENSION_set(fx->exts, at, ext);
		X509_EXTENSION_free(old);
		ext_drop_from(fx, X509_EXTENSION_get_object(ext), at + 1);
	} else if (!sk_X509_EXTENSION_push(fx->exts, ext)) {
		X509_EXTENSION_free(ext);
		st = fix_oom(why, whylen);
	}
	if (st == CS_FIX_APPLIED && (field == NULL || after == NULL ||
	    fix_change(fx, field, before, after, who) == -1))
		st = fix_oom(why, whylen);
	free(before);
	free(after);
	free(field);
	return st;
}

/* "keyUsage=critical,digitalSignature": an extension in OpenSSL's config
 * syntax. */
static enum cs_fix_status
ext_set(struct cs_fix *fx, const char *value, const char *who, char *why,
    size_t whylen)
{
	const char	*eq = strchr(value, '=');
	char		*name;
	X509_EXTENSION	*ext;
	X509V3_CTX	 ctx;

	if (eq == NULL || eq == value)
		return fix_why(CS_FIX_ERROR, why, whylen, "'%s' is not "
		    "NAME=VALUE", value);
	if ((name = cs_strndup(value, (size_t)(eq - value))) == NULL)
		return fix_oom(why, whylen);
	X509V3_set_ctx(&ctx, NULL, NULL, NULL, NULL, 0);
	X509V3_set_ctx_nodb(&ctx);
	ERR_clear_error();
	ext = X509V3_EXT_nconf(NULL, &ctx, name, eq + 1);
	free(name);
	ERR_clear_error();
	if (ext == NULL)
		return fix_why(CS_FIX_ERROR, why, whylen, "OpenSSL cannot make "
		    "the extension '%s'", value);
	return ext_put(fx, ext, who, why, whylen);
}

/* Drops every extension of the type, or all but the first (dedupe). */
static enum cs_fix_status
ext_drop(struct cs_fix *fx, const char *value, int keep_first,
    const char *who, char *why, size_t whylen)
{
	ASN1_OBJECT		*obj = OBJ_txt2obj(value, 0);
	int			 first, at;
	char			*before, *field;
	enum cs_fix_status	 st = CS_FIX_APPLIED;

	if (obj == NULL)
		return fix_why(CS_FIX_ERROR, why, whylen, "no extension '%s'",
		    value);
	first = ext_find(fx, obj, 0);
	at = keep_first && first >= 0 ? ext_find(fx, obj, first + 1) : first;
	if (at < 0) {
		ASN1_OBJECT_free(obj);
		return CS_FIX_NOOP;
	}
	before = ext_text(sk_X509_EXTENSION_value(fx->exts, at));
	field = obj_field("extensions", obj);
	ext_drop_from(fx, obj, keep_first ? first + 1 : 0);
	if (before == NULL || field == NULL ||
	    fix_change(fx, field, before, NULL, who) == -1)
		st = fix_oom(why, whylen);
	free(before);
	free(field);
	ASN1_OBJECT_free(obj);
	return st;
}

/* The attribute's value for a person; challengePassword is withheld. */
static char *
attr_text(X509_ATTRIBUTE *a)
{
	ASN1_TYPE	*t = X509_ATTRIBUTE_get0_type(a, 0);
	unsigned char	*utf8 = NULL;
	char		*s;
	int		 len;

	if (OBJ_obj2nid(X509_ATTRIBUTE_get0_object(a)) ==
	    NID_pkcs9_challengePassword)
		return cs_strdup("(withheld)");
	if (t == NULL || (t->type != V_ASN1_UTF8STRING &&
	    t->type != V_ASN1_PRINTABLESTRING && t->type != V_ASN1_IA5STRING &&
	    t->type != V_ASN1_T61STRING && t->type != V_ASN1_BMPSTRING) ||
	    (len = ASN1_STRING_to_UTF8(&utf8, t->value.asn1_string)) < 0)
		return cs_strdup("(present)");
	s = cs_escape_ctrl((const char *)utf8, (size_t)len);
	OPENSSL_free(utf8);
	return s;
}

static enum cs_fix_status
attr_remove(struct cs_fix *fx, const char *value, const char *who, char *why,
    size_t whylen)
{
	ASN1_OBJECT		*obj = OBJ_txt2obj(value, 0);
	X509_ATTRIBUTE		*a;
	char			*before, *field;
	int			 i;
	enum cs_fix_status	 st = CS_FIX_NOOP;

	if (obj == NULL)
		return fix_why(CS_FIX_ERROR, why, whylen, "no attribute '%s'",
		    value);
	for (i = 0; i < sk_X509_ATTRIBUTE_num(fx->attrs); i++) {
		a = sk_X509_ATTRIBUTE_value(fx->attrs, i);
		if (OBJ_cmp(X509_ATTRIBUTE_get0_object(a), obj) != 0)
			continue;
		before = attr_text(a);
		field = obj_field("attributes", obj);
		(void)sk_X509_ATTRIBUTE_delete(fx->attrs, i--);
		X509_ATTRIBUTE_free(a);
		st = CS_FIX_APPLIED;
		if (before == NULL || field == NULL ||
		    fix_change(fx, field, before, NULL, who) == -1)
			st = fix_oom(why, whylen);
		free(before);
		free(field);
		if (st == CS_FIX_NOMEM)
			break;
	}
	ASN1_OBJECT_free(obj);
	return st;
}

/* --- digest ----------------------------------------------------------- */

static int
digest_strong(const char *hash)
{
	static const char *const strong[] = {
		"sha256", "sha384", "sha512", "sha512-256", "sha3-256",
		"sha3-384", "sha3-512",
	};
	size_t	 i;

	for (i = 0; hash != NULL && i < sizeof(strong) / sizeof(strong[0]); i++)
		if (strcasecmp(hash, strong[i]) == 0)
			return 1;
	return 0;
}

void
cs_fix_keep_digest(struct cs_fix *fx, const char *hash)
{
	snprintf(fx->orig, sizeof(fx->orig), "%s", hash != NULL ? hash : "");
	if (digest_strong(hash))
		snprintf(fx->kept, sizeof(fx->kept), "%s", hash);
}

const char *
cs_fix_digest(const struct cs_fix *fx, const EVP_PKEY *key)
{
	char	 name[64];

	/* Ed25519 and Ed448 sign the message itself: OpenSSL says UNDEF. */
	if (key != NULL && EVP_PKEY_get_default_digest_name((EVP_PKEY *)key,
	    name, sizeof(name)) == 2 && strcmp(name, "UNDEF") == 0)
		return "";
	if (fx->digest[0] != '\0')
		return fx->digest;
	return fx->kept[0] != '\0' ? fx->kept : "sha256";
}

static enum cs_fix_status
digest_set(struct cs_fix *fx, const char *value, int user, const char *who,
    char *why, size_t whylen)
{
	EVP_MD	*md = EVP_MD_fetch(NULL, value, NULL);
	char	 before[32];

	ERR_clear_error();
	if (md == NULL || !digest_strong(value)) {
		EVP_MD_free(md);
		return fix_why(CS_FIX_ERROR, why, whylen, "'%s' is not a "
		    "SHA-2 or SHA-3 digest", value);
	}
	EVP_MD_free(md);
	/* A rule only wants a strong digest: one chosen already stays. */
	if (fx->digest[0] != '\0' && !user)
		return CS_FIX_NOOP;
	snprintf(before, sizeof(before), "%s", fx->digest[0] != '\0' ?
	    fx->digest : fx->orig[0] != '\0' ? fx->orig : "(default)");
	snprintf(fx->digest, sizeof(fx->digest), "%s", value);
	cs_lower(fx->digest);
	if (strcmp(before, fx->digest) == 0)
		return CS_FIX_NOOP;
	return fix_change(fx, "signature.digest", before, fx->digest, who) == -1 ?
	    fix_oom(why, whylen) : CS_FIX_APPLIED;
}

/* --- actions ---------------------------------------------------------- */

enum cs_fix_status
cs_fix_action(struct cs_fix *fx, const char *action, const char *value,
    const char *target, const char *who, char *why, size_t whylen)
{
	if (value == NULL)
		value = "";
	if (strcmp(action, "add-san") == 0)
		return cs_fix_add_san(fx, value, who, why, whylen);
	if (strcmp(action, "remove-san") == 0)
		return cs_fix_drop_san(fx, value, who, why, whylen);
	if (strcmp(action, "replace-san") == 0)
		return cs_fix_replace_san(fx, value, target, who, why, whylen);
	if (strcmp(action, "set-subject") == 0)
		return subject_action(fx, value, target, 0, who, why, whylen);
	if (strcmp(action, "remove-subject") == 0)
		return subject_action(fx, value, target, 1, who, why, whylen);
	if (strcmp(action, "set-extension") == 0)
		return ext_set(fx, value, who, why, whylen);
	if (strcmp(action, "remove-extension") == 0)
		return ext_drop(fx, value, 0, who, why, whylen);
	if (strcmp(action, "dedupe-extension") == 0)
		return ext_drop(fx, value, 1, who, why, whylen);
	if (strcmp(action, "remove-attribute") == 0)
		return attr_remove(fx, value, who, why, whylen);
	if (strcmp(action, "set-digest") == 0)
		return digest_set(fx, value, 0, who, why, whylen);
	if (strcmp(action, "new-key") == 0)
		return fix_why(CS_FIX_UNSUPPORTED, why, whylen, "needs a new "
		    "key (--new-key %s)", value);
	return fix_why(CS_FIX_UNSUPPORTED, why, whylen, "'%s' is not an edit "
	    "of a request", action);
}

enum cs_fix_status
cs_fix_finding(struct cs_fix *fx, const struct cs_finding *f, char *why,
    size_t whylen)
{
	if (f->fix_action == NULL)
		return CS_FIX_NOOP;
	return cs_fix_action(fx, f->fix_action, f->fix_value, f->value,
	    f->rule, why, whylen);
}

enum cs_fix_status
cs_fix_set(struct cs_fix *fx, const char *assignment, char *why, size_t whylen)
{
	if (strncmp(assignment, "subject.", 8) == 0)
		return subject_action(fx, assignment + 8, NULL, 0, "--set", why,
		    whylen);
	if (strncmp(assignment, "signature.digest=", 17) == 0)
		return digest_set(fx, assignment + 17, 1, "--set", why, whylen);
	return fix_why(CS_FIX_ERROR, why, whylen, "--set takes subject.ATTR="
	    "VALUE or signature.digest=NAME, not '%s'", assignment);
}

/* --- signing ---------------------------------------------------------- */

static int
req_fill(X509_REQ *req, const struct cs_fix *fx, EVP_PKEY *key)
{
	int	 i;

	if (!X509_REQ_set_version(req, X509_REQ_VERSION_1) ||
	    !X509_REQ_set_subject_name(req, fx->subject) ||
	    !X509_REQ_set_pubkey(req, key))
		return -1;
	if (sk_X509_EXTENSION_num(fx->exts) > 0 &&
	    !X509_REQ_add_extensions(req, fx->exts))
		return -1;
	for (i = 0; i < sk_X509_ATTRIBUTE_num(fx->attrs); i++)
		if (!X509_REQ_add1_attr(req, sk_X509_ATTRIBUTE_value(fx->attrs,
		    i)))
			return -1;
	return 0;
}

X509_REQ *
cs_fix_sign(struct cs_fix *fx, EVP_PKEY *key, OSSL_LIB_CTX *libctx, char *err,
    size_t errlen)
{
	X509_REQ	*req = X509_REQ_new_ex(libctx, NULL);
	EVP_MD_CTX	*mctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX	*pctx = NULL;
	const char	*md = cs_fix_digest(fx, key);
	unsigned long	 e;

	ERR_clear_error();
	if (req == NULL || mctx == NULL || req_fill(req, fx, key) == -1) {
		snprintf(err, errlen, "cannot build the request");
		goto fail;
	}
	if (EVP_DigestSignInit_ex(mctx, &pctx, md[0] != '\0' ? md : NULL,
	    libctx, NULL, key, NULL) != 1 ||
	    /* RFC 4055 3.1, CA/B BR 7.1.3.2: the salt as long as the hash. */
	    (EVP_PKEY_is_a(key, "RSA-PSS") &&
	    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) <= 0) ||
	    X509_REQ_sign_ctx(req, mctx) <= 0) {
		e = ERR_peek_last_error();
		snprintf(err, errlen, "cannot sign the request%s%s%s",
		    md[0] != '\0' ? " with " : "", md,
		    e != 0 ? "" : "");
		if (e != 0)
			snprintf(err + strlen(err), errlen - strlen(err), ": %s",
			    ERR_reason_error_string(e) != NULL ?
			    ERR_reason_error_string(e) : "unknown reason");
		goto fail;
	}
	EVP_MD_CTX_free(mctx);
	return req;
fail:
	ERR_clear_error();
	EVP_MD_CTX_free(mctx);
	X509_REQ_free(req);
	return NULL;
}

/* --- new keys --------------------------------------------------------- */

static const struct {
	const char	*name;		/* as the user writes it */
	const char	*group;		/* OpenSSL's group name */
} curves[] = {
	{ "P-256", "P-256" }, { "prime256v1", "P-256" },
	{ "secp256r1", "P-256" }, { "P-384", "P-384" },
	{ "secp384r1", "P-384" }, { "P-521", "P-521" },
	{ "secp521r1", "P-521" },
};

static const char *
curve_group(const char *name)
{
	size_t	 i;

	for (i = 0; i < sizeof(curves) / sizeof(curves[0]); i++)
		if (strcasecmp(curves[i].name, name) == 0)
			return curves[i].group;
	return NULL;
}

static int
rsa_bits(const char *s)
{
	char	*end;
	long	 bits;

	bits = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || bits < 2048 || bits > 16384)
		return -1;
	return (int)bits;
}

int
cs_fix_keyspec_ok(const char *spec)
{
	if (strncasecmp(spec, "rsa:", 4) == 0)
		return rsa_bits(spec + 4) > 0;
	if (strncasecmp(spec, "ec:", 3) == 0)
		return curve_group(spec + 3) != NULL;
	return strcasecmp(spec, "ed25519") == 0 || strcasecmp(spec, "ed448") == 0;
}

EVP_PKEY *
cs_fix_new_key(const char *spec, OSSL_LIB_CTX *libctx, char *err,
    size_t errlen)
{
	EVP_PKEY	*key = NULL;

	if (!cs_fix_keyspec_ok(spec)) {
		snprintf(err, errlen, "'%s' is not rsa:BITS (2048 to 16384), "
		    "ec:P-256|P-384|P-521, ed25519 or ed448", spec);
		return NULL;
	}
	if (strncasecmp(spec, "rsa:", 4) == 0)
		key = EVP_PKEY_Q_keygen(libctx, NULL, "RSA",
		    (size_t)rsa_bits(spec + 4));
	else if (strncasecmp(spec, "ec:", 3) == 0)
		key = EVP_PKEY_Q_keygen(libctx, NULL, "EC",
		    curve_group(spec + 3));
	else
		key = EVP_PKEY_Q_keygen(libctx, NULL,
		    strcasecmp(spec, "ed25519") == 0 ? "ED25519" : "ED448");
	if (key == NULL)
		snprintf(err, errlen, "OpenSSL could not generate a %s key",
		    spec);
	ERR_clear_error();
	return key;
}

/* A request from the [req] section of an openssl.cnf-style file. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/conf.h>
#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "fix/fix-int.h"

struct cnf {
	CONF		*conf;
	struct cs_fix	*fx;
	struct cs_vec	*notes;
	int		 prompt;	/* the DN section holds prompts */
	const char	*dn;		/* section names */
	const char	*exts;
	const char	*attrs;
	char		*err;
	size_t		 errlen;
};

static int cnf_error(struct cnf *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
cnf_error(struct cnf *c, const char *fmt, ...)
{
	va_list	 ap;
	unsigned long e = ERR_peek_last_error();
	size_t	 n;

	va_start(ap, fmt);
	vsnprintf(c->err, c->errlen, fmt, ap);
	va_end(ap);
	n = strlen(c->err);
	if (e != 0 && ERR_reason_error_string(e) != NULL && n < c->errlen)
		snprintf(c->err + n, c->errlen - n, " (OpenSSL: %s)",
		    ERR_reason_error_string(e));
	ERR_clear_error();
	return -1;
}

static int cnf_note(struct cnf *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int
cnf_note(struct cnf *c, const char *fmt, ...)
{
	va_list	 ap;
	int	 rc;

	va_start(ap, fmt);
	rc = cs_vec_vprintf(c->notes, fmt, ap);
	va_end(ap);
	return rc == -1 ? cnf_error(c, "out of memory") : 0;
}

/* The [req] directives certsmith reads, and those that do not concern a
 * request built from an existing key (noted, not silently dropped). */
static const char *const req_used[] = {
	"prompt", "distinguished_name", "req_extensions", "attributes",
	"default_md", "string_mask", "utf8",
};
static const char *const req_ignored[] = {
	"default_bits", "default_keyfile", "encrypt_key", "encrypt_rsa_key", "x509_extensions",
	"input_password", "output_password", "RANDFILE", "oid_file",
	"oid_section",
};

static int
listed(const char *name, const char *const *list, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (strcmp(name, list[i]) == 0)
			return 1;
	return 0;
}

static int
check_directives(struct cnf *c, STACK_OF(CONF_VALUE) *req)
{
	int	 i;

	for (i = 0; i < sk_CONF_VALUE_num(req); i++) {
		const char *name = sk_CONF_VALUE_value(req, i)->name;

		if (listed(name, req_used, sizeof(req_used) /
		    sizeof(req_used[0])))
			continue;
		if (!listed(name, req_ignored, sizeof(req_ignored) /
		    sizeof(req_ignored[0])))
			return cnf_error(c, "[req] %s is not supported by "
			    "certsmith fix (it reads prompt, distinguished_name, "
			    "req_extensions, attributes, default_md, string_mask "
			    "and utf8)", name);
		if (cnf_note(c, "[req] %s does not concern the request "
		    "(the key comes from --key or --new-key); ignored",
		    name) == -1)
			return -1;
	}
	return 0;
}

/* "1.OU" -> "OU", as openssl req reads repeated names; "+" in front puts
 * the attribute in the RDN before it. */
static const char *
dn_type(const char *name, int *multi)
{
	const char	*p;

	for (p = name; *p != '\0'; p++)
		if ((*p == ':' || *p == ',' || *p == '.') && p[1] != '\0') {
			name = p + 1;
			break;
		}
	*multi = *name == '+';
	return *multi ? name + 1 : name;
}

static int
has_suffix(const char *s, const char *suffix)
{
	size_t	 n = strlen(s), m = strlen(suffix);

	return n > m && strcmp(s + n - m, suffix) == 0;
}

/* The value the DN entry contributes: itself (prompt = no), or its
 * _default (the prompt form, as `openssl req -batch` takes it); NULL:
 * nothing. */
static const char *
dn_value(struct cnf *c, const char *section, const CONF_VALUE *v)
{
	char		*key;
	const char	*def;

	if (!c->prompt)
		return v->value;
	if (has_suffix(v->name, "_default") || has_suffix(v->name, "_min") ||
	    has_suffix(v->name, "_max") || has_suffix(v->name, "_value"))
		return NULL;
	if ((key = cs_printf("%s_default", v->name)) == NULL)
		return NULL;
	def = NCONF_get_string(c->conf, section, key);
	ERR_clear_error();
	free(key);
	return def != NULL && *def != '\0' ? def : NULL;
}

static int
read_dn(struct cnf *c)
{
	STACK_OF(CONF_VALUE)	*sec = NCONF_get_section(c->conf, c->dn);
	const char		*type, *value;
	int			 i, multi;

	if (sec == NULL)
		return cnf_error(c, "distinguished_name names [%s], which is "
		    "not in the file", c->dn);
	for (i = 0; i < sk_CONF_VALUE_num(sec); i++) {
		const CONF_VALUE *v = sk_CONF_VALUE_value(sec, i);

		if ((value = dn_value(c, c->dn, v)) == NULL)
			continue;
		type = dn_type(v->name, &multi);
		if (*value == '\0')
			return cnf_error(c, "[%s] %s has no value", c->dn,
			    v->name);
		if (!X509_NAME_add_entry_by_txt(c->fx->subject, type,
		    MBSTRING_UTF8, (const unsigned char *)value, -1, -1,
		    multi && i > 0 ? -1 : 0))
			return cnf_error(c, "[%s] %s = %s is not a valid "
			    "subject attribute", c->dn, v->name, value);
	}
	return 0;
}

static int
read_attrs(struct cnf *c)
{
	STACK_OF(CONF_VALUE)	*sec = NCONF_get_section(c->conf, c->attrs);
	X509_ATTRIBUTE		*a;
	const char		*value;
	int			 i;

	if (sec == NULL)
		return cnf_error(c, "attributes names [%s], which is not in "
		    "the file", c->attrs);
	for (i = 0; i < sk_CONF_VALUE_num(sec); i++) {
		const CONF_VALUE *v = sk_CONF_VALUE_value(sec, i);

		if ((value = dn_value(c, c->attrs, v)) == NULL ||
		    *value == '\0')
			continue;
		a = X509_ATTRIBUTE_create_by_txt(NULL, v->name, MBSTRING_UTF8,
		    (const unsigned char *)value, -1);
		if (a == NULL || !sk_X509_ATTRIBUTE_push(c->fx->attrs, a)) {
			X509_ATTRIBUTE_free(a);
			return cnf_error(c, "[%s] %s is not a request "
			    "attribute OpenSSL knows", c->attrs, v->name);
		}
	}
	return 0;
}

static int
read_exts(struct cnf *c)
{
	STACK_OF(CONF_VALUE)	*sec = NCONF_get_section(c->conf, c->exts);
	X509_EXTENSION		*ext;
	X509V3_CTX		 ctx;
	int			 i;

	if (sec == NULL)
		return cnf_error(c, "req_extensions names [%s], which is not "
		    "in the file", c->exts);
	X509V3_set_ctx(&ctx, NULL, NULL, NULL, NULL, 0);
	X509V3_set_nconf(&ctx, c->conf);
	for (i = 0; i < sk_CONF_VALUE_num(sec); i++) {
		const CONF_VALUE *v = sk_CONF_VALUE_value(sec, i);

		ext = X509V3_EXT_nconf(c->conf, &ctx, v->name, v->value);
		if (ext == NULL)
			return cnf_error(c, "[%s] %s = %s is not an extension "
			    "OpenSSL can make", c->exts, v->name, v->value);
		if (X509v3_add_ext(&c->fx->exts, ext, -1) == NULL) {
			X509_EXTENSION_free(ext);
			return cnf_error(c, "out of memory");
		}
		X509_EXTENSION_free(ext);
	}
	return 0;
}

static const char *
req_get(struct cnf *c, const char *name)
{
	const char	*v = NCONF_get_string(c->conf, "req", name);

	ERR_clear_error();
	return v;
}

static int
read_digest(struct cnf *c)
{
	const char	*md = req_get(c, "default_md");

	if (md == NULL || strcasecmp(md, "default") == 0)
		return 0;
	cs_fix_keep_digest(c->fx, md);
	if (c->fx->kept[0] == '\0')
		return cnf_note(c, "[req] default_md = %s is not a SHA-2 or "
		    "SHA-3 digest; sha256 is used", md);
	return 0;
}

static int
read_req(struct cnf *c)
{
	STACK_OF(CONF_VALUE)	*req = NCONF_get_section(c->conf, "req");
	const char		*prompt, *mask;

	if (req == NULL)
		return cnf_error(c, "there is no [req] section");
	if (check_directives(c, req) == -1)
		return -1;
	if ((c->dn = req_get(c, "distinguished_name")) == NULL)
		return cnf_error(c, "[req] has no distinguished_name");
	prompt = req_get(c, "prompt");
	c->prompt = prompt == NULL || strcasecmp(prompt, "no") != 0;
	c->exts = req_get(c, "req_extensions");
	c->attrs = req_get(c, "attributes");
	mask = req_get(c, "string_mask");
	if (mask != NULL && strcmp(mask, "utf8only") != 0 &&
	    cnf_note(c, "[req] string_mask = %s: certsmith uses "
	    "PrintableString where the attribute requires it and UTF8String "
	    "elsewhere (RFC 5280 4.1.2.6)", mask) == -1)
		return -1;
	if (read_dn(c) == -1 ||
	    (c->exts != NULL && read_exts(c) == -1) ||
	    (c->attrs != NULL && read_attrs(c) == -1))
		return -1;
	return read_digest(c);
}

struct cs_fix *
cs_fix_from_config(const char *path, OSSL_LIB_CTX *libctx,
    struct cs_vec *notes, char *err, size_t errlen)
{
	struct cnf	 c = { .notes = notes, .err = err, .errlen = errlen };
	long		 line = 0;

	ERR_clear_error();
	if ((c.conf = NCONF_new_ex(libctx, NULL)) == NULL ||
	    (c.fx = fix_new()) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (NCONF_load(c.conf, path, &line) <= 0) {
		if (line > 0)
			cnf_error(&c, "line %ld does not parse", line);
		else
			cnf_error(&c, "cannot be read");
		goto fail;
	}
	if (read_req(&c) == -1)
		goto fail;
	NCONF_free(c.conf);
	return c.fx;
fail:
	NCONF_free(c.conf);
	cs_fix_free(c.fx);
	return NULL;
}

/*
 * Applying one validated profile document to a profile that already holds
 * its parent's settings: params, rule switches and severities, field rules
 * (with their PCRE2 patterns compiled here, once).
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <libxml/tree.h>
#include <openssl/ec.h>
#include <openssl/objects.h>

#include "policy/policy-int.h"

#define FIELDS_MAX	1024

/* Where the error goes: "FILE:LINE: reason". */
struct where {
	const char	*file;
	long		 line;
	char		*err;
	size_t		 errlen;
};

static int __attribute__((format(printf, 2, 3)))
fail(const struct where *w, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	n = snprintf(w->err, w->errlen, "%s:%ld: ", w->file, w->line);
	if (n < 0 || (size_t)n >= w->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(w->err + n, w->errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return -1;
}

static int
oom(const struct where *w)
{
	return fail(w, "out of memory");
}

/* A string the profile owns from now on (freed by cs_profile_free). */
static const char *
own(struct cs_profile *p, char *s)
{
	if (s == NULL)
		return NULL;
	if (cs_vec_push(&p->strings, s) == -1) {
		free(s);
		return NULL;
	}
	return s;
}

static char *
prop(xmlNodePtr n, const char *name)
{
	xmlChar	*v = xmlGetProp(n, (const xmlChar *)name);
	char	*s;

	if (v == NULL)
		return NULL;
	s = cs_strdup((char *)v);
	xmlFree(v);
	return s;
}

/* The element's text with runs of white space made one space. */
static char *
text_of(xmlNodePtr n)
{
	xmlChar	*v = xmlNodeGetContent(n);
	char	*s, *in, *out;

	if (v == NULL)
		return cs_strdup("");
	if ((s = cs_strdup((char *)v)) == NULL) {
		xmlFree(v);
		return NULL;
	}
	xmlFree(v);
	for (in = out = s; *in != '\0'; in++) {
		if (isspace((unsigned char)*in)) {
			if (out != s && out[-1] != ' ')
				*out++ = ' ';
		} else
			*out++ = *in;
	}
	if (out != s && out[-1] == ' ')
		out--;
	*out = '\0';
	return s;
}

static int
is_true(const char *v)
{
	return strcmp(v, "true") == 0 || strcmp(v, "1") == 0;
}

/* --- params -------------------------------------------------------- */

enum param_kind { P_INT, P_BOOL, P_CURVES, P_KEYUSAGE };

struct param_def {
	const char	*name;
	enum param_kind	 kind;
	size_t		 off;
	long		 min, max;
};

#define INTP(f)	offsetof(struct cs_params, f)
static const struct param_def params[] = {
	{ "rsa-min-bits", P_INT, INTP(rsa_min_bits), 512, 16384 },
	{ "rsa-max-bits", P_INT, INTP(rsa_max_bits), 0, 65536 },
	{ "ec-min-bits", P_INT, INTP(ec_min_bits), 160, 571 },
	{ "allowed-curves", P_CURVES, 0, 0, 0 },
	{ "max-validity-days", P_INT, INTP(max_validity_days), 0, 36525 },
	{ "expiring-days", P_INT, INTP(expiring_days), 0, 36525 },
	{ "san-required", P_BOOL, INTP(san_required), 0, 1 },
	{ "max-names", P_INT, INTP(max_names), 0, 100000 },
	{ "cn-max-length", P_INT, INTP(cn_max_len), 1, 1024 },
	{ "required-key-usage", P_KEYUSAGE, 0, 0, 0 },
	{ "internal-names-ok", P_BOOL, INTP(internal_names_ok), 0, 1 },
};

static const char *const key_usages[] = {
	"digitalSignature", "nonRepudiation", "keyEncipherment",
	"dataEncipherment", "keyAgreement", "keyCertSign", "cRLSign",
	"encipherOnly", "decipherOnly",
};

static int
set_int(const struct param_def *d, struct cs_params *pp, const char *v,
    const struct where *w)
{
	char	*end;
	long	 n;

	errno = 0;
	n = strtol(v, &end, 10);
	if (d->kind == P_BOOL) {
		if (strcmp(v, "true") && strcmp(v, "false") && strcmp(v, "1") &&
		    strcmp(v, "0"))
			return fail(w, "%s: '%s' is not true or false",
			    d->name, v);
		n = is_true(v);
	} else if (*v == '\0' || *end != '\0' || errno != 0 || n < d->min ||
	    n > d->max)
		return fail(w, "%s: '%s' is not a whole number from %ld to %ld",
		    d->name, v, d->min, d->max);
	*(int *)(void *)((char *)pp + d->off) = (int)n;
	return 0;
}

static int
curve_known(const char *name)
{
	return EC_curve_nist2nid(name) != NID_undef ||
	    OBJ_sn2nid(name) != NID_undef;
}

static int
set_curves(struct cs_profile *p, char *v, const struct where *w)
{
	char		*tok, *save = NULL;
	const char	*s;
	size_t		 n = 0;

	for (tok = strtok_r(v, ", ", &save); tok != NULL;
	    tok = strtok_r(NULL, ", ", &save)) {
		if (!curve_known(tok))
			return fail(w, "allowed-curves: unknown curve '%s'",
			    tok);
		if (n == CS_MAX_CURVES)
			return fail(w, "allowed-curves: more than %d curves",
			    CS_MAX_CURVES);
		if ((s = own(p, cs_strdup(tok))) == NULL)
			return oom(w);
		p->params.curves[n++] = s;
	}
	if (n == 0)
		return fail(w, "allowed-curves: no curve named");
	p->params.n_curves = n;
	return 0;
}

static int
keyusage_known(const char *name)
{
	size_t	 i;

	for (i = 0; i < sizeof(key_usages) / sizeof(key_usages[0]); i++)
		if (strcmp(key_usages[i], name) == 0)
			return 1;
	return 0;
}

/* Stored as "a,b" (no spaces); an empty value clears the parent's. */
static int
set_keyusage(struct cs_profile *p, const char *v, const struct where *w)
{
	char	*copy, *out, *tok, *save = NULL;

	if ((copy = cs_strdup(v)) == NULL ||
	    (out = calloc(1, strlen(v) + 1)) == NULL) {
		free(copy);
		return oom(w);
	}
	for (tok = strtok_r(copy, ", ", &save); tok != NULL;
	    tok = strtok_r(NULL, ", ", &save)) {
		if (!keyusage_known(tok)) {
			fail(w, "required-key-usage: unknown key usage '%s' "
			    "(digitalSignature, nonRepudiation, ...)", tok);
			free(copy);
			free(out);
			return -1;
		}
		if (*out != '\0')
			strcat(out, ",");
		strcat(out, tok);
	}
	free(copy);
	if (*out == '\0') {
		free(out);
		p->params.required_key_usage = NULL;
		return 0;
	}
	if ((p->params.required_key_usage = own(p, out)) == NULL)
		return oom(w);
	return 0;
}

static int
apply_param(struct cs_profile *p, xmlNodePtr n, const struct where *w)
{
	char	*name = prop(n, "name"), *v = text_of(n);
	size_t	 i;
	int	 rc = -1;

	if (name == NULL || v == NULL) {
		rc = oom(w);
		goto done;
	}
	for (i = 0; i < sizeof(params) / sizeof(params[0]); i++)
		if (strcmp(params[i].name, name) == 0)
			break;
	if (i == sizeof(params) / sizeof(params[0]))
		rc = fail(w, "no param '%s'", name);
	else if (params[i].kind == P_CURVES)
		rc = set_curves(p, v, w);
	else if (params[i].kind == P_KEYUSAGE)
		rc = set_keyusage(p, v, w);
	else
		rc = set_int(&params[i], &p->params, v, w);
done:
	free(name);
	free(v);
	return rc;
}

/* --- rules --------------------------------------------------------- */

static int
apply_rule(struct cs_profile *p, xmlNodePtr n, const struct where *w)
{
	char			*id = prop(n, "id"), *on = prop(n, "enabled");
	char			*sev = prop(n, "severity");
	enum cs_severity	 s;
	long			 i;
	int			 rc = 0;

	if (id == NULL)
		rc = oom(w);
	else if ((i = cs_rule_index(id)) < 0)
		rc = fail(w, "no rule '%s'", id);
	else if (on == NULL && sev == NULL)
		rc = fail(w, "rule '%s': neither enabled nor severity is set",
		    id);
	else if (sev != NULL && cs_severity_parse(sev, &s) == -1)
		rc = fail(w, "rule '%s': no severity '%s'", id, sev);
	else {
		if (on != NULL)
			p->enabled[i] = (signed char)is_true(on);
		if (sev != NULL)
			p->severity[i] = (signed char)s;
	}
	free(id);
	free(on);
	free(sev);
	return rc;
}

/* --- fields -------------------------------------------------------- */

static int
compile(struct cs_field_rule *fr, const struct where *w)
{
	PCRE2_UCHAR	 msg[256];
	PCRE2_SIZE	 off;
	uint32_t	 opts = PCRE2_UTF | PCRE2_NEVER_BACKSLASH_C;
	int		 code;

#ifdef PCRE2_MATCH_INVALID_UTF
	opts |= PCRE2_MATCH_INVALID_UTF;
#endif
	fr->code = pcre2_compile((PCRE2_SPTR)fr->pattern, PCRE2_ZERO_TERMINATED,
	    opts, &code, &off, NULL);
	if (fr->code != NULL)
		return 0;
	if (pcre2_get_error_message(code, msg, sizeof(msg)) < 0)
		snprintf((char *)msg, sizeof(msg), "error %d", code);
	return fail(w, "pattern: %s at offset %zu", (char *)msg, (size_t)off);
}

/* subject.X / issuer.X: X must be an attribute OpenSSL knows, or an OID. */
static int
path_ok(const char *path, const struct where *w)
{
	const char	*dot = strchr(path, '.');

	if ((strncmp(path, "subject.", 8) != 0 &&
	    strncmp(path, "issuer.", 7) != 0) || dot == NULL)
		return 0;
	if (isdigit((unsigned char)dot[1]) || OBJ_sn2nid(dot + 1) != NID_undef)
		return 0;
	return fail(w, "path '%s': no attribute '%s' (use a short name "
	    "such as CN, O, C, serialNumber, or a dotted OID)", path, dot + 1);
}

/* The attributes that must agree with each other; 0 or -1. */
static int
field_attrs_ok(struct cs_field_rule *fr, const char *match,
    const char *notm, const char *sev, const struct where *w)
{
	if (match != NULL && notm != NULL)
		return fail(w, "field '%s': both match and not-match",
		    fr->field);
	if (match == NULL && notm == NULL && !fr->required)
		return fail(w, "field '%s': needs match, not-match or "
		    "required=\"true\"", fr->field);
	if (sev != NULL && cs_severity_parse(sev, &fr->severity) == -1)
		return fail(w, "field '%s': no severity '%s'", fr->field, sev);
	return path_ok(fr->field, w);
}

static int
field_fill(struct cs_profile *p, struct cs_field_rule *fr, xmlNodePtr n,
    const struct where *w)
{
	char	*match = prop(n, "match"), *notm = prop(n, "not-match");
	char	*req = prop(n, "required"), *sev = prop(n, "severity");
	char	*pat;
	int	 rc = -1;

	fr->field = own(p, prop(n, "path"));
	fr->message = own(p, text_of(n));
	fr->required = req != NULL && is_true(req);
	fr->must_match = notm == NULL;
	fr->severity = CS_SEV_ERROR;
	if (fr->field == NULL || fr->message == NULL)
		oom(w);
	else if (field_attrs_ok(fr, match, notm, sev, w) == 0) {
		pat = match != NULL ? match : notm;
		match = notm = NULL;	/* own() takes it, or frees it */
		if (pat != NULL && (fr->pattern = own(p, pat)) == NULL)
			oom(w);
		else
			rc = pat != NULL ? compile(fr, w) : 0;
	}
	free(match);
	free(notm);
	free(req);
	free(sev);
	return rc;
}

static int
apply_field(struct cs_profile *p, xmlNodePtr n, const struct where *w)
{
	struct cs_field_rule	*grown;

	if (p->n_fields == FIELDS_MAX)
		return fail(w, "more than %d field rules", FIELDS_MAX);
	grown = realloc(p->fields, (p->n_fields + 1) * sizeof(*grown));
	if (grown == NULL)
		return oom(w);
	p->fields = grown;
	memset(&grown[p->n_fields], 0, sizeof(*grown));
	if (field_fill(p, &grown[p->n_fields], n, w) == -1) {
		pcre2_code_free(grown[p->n_fields].code);
		return -1;
	}
	p->n_fields++;
	return 0;
}

void
profile_fields_free(struct cs_profile *p)
{
	size_t	 i;

	for (i = 0; i < p->n_fields; i++)
		pcre2_code_free(p->fields[i].code);
	free(p->fields);
	p->fields = NULL;
	p->n_fields = 0;
}

/* --- the document ---------------------------------------------------- */

static int
apply_child(struct cs_profile *p, xmlNodePtr n, const struct where *w)
{
	const char	*name = (const char *)n->name;

	if (strcmp(name, "param") == 0)
		return apply_param(p, n, w);
	if (strcmp(name, "rule") == 0)
		return apply_rule(p, n, w);
	if (strcmp(name, "field") == 0)
		return apply_field(p, n, w);
	return 0;	/* description */
}

int
profile_apply(struct cs_profile *p, struct _xmlNode *root, const char *file,
    char *err, size_t errlen)
{
	struct where	 w = { file, xmlGetLineNo(root), err, errlen };
	xmlNodePtr	 n;
	char		*name;

	for (n = root->children; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		w.line = xmlGetLineNo(n);
		if (apply_child(p, n, &w) == -1)
			return -1;
	}
	w.line = xmlGetLineNo(root);
	if (p->params.rsa_max_bits != 0 &&
	    p->params.rsa_max_bits < p->params.rsa_min_bits)
		return fail(&w, "rsa-max-bits %d is below rsa-min-bits %d",
		    p->params.rsa_max_bits, p->params.rsa_min_bits);
	if ((name = prop(root, "name")) == NULL)
		return oom(&w);
	free(p->name);
	p->name = name;
	return 0;
}

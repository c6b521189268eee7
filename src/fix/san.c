/* The subjectAltName of the request being rebuilt: add, drop, replace. */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "fix/fix-int.h"

static const struct {
	const char	*prefix;
	int		 type;
} san_types[] = {
	{ "dns", GEN_DNS }, { "ip", GEN_IPADD }, { "email", GEN_EMAIL },
	{ "uri", GEN_URI },
};
#define N_SAN_TYPES	(sizeof(san_types) / sizeof(san_types[0]))

static const char *
type_prefix(int type)
{
	size_t	 i;

	for (i = 0; i < N_SAN_TYPES; i++)
		if (san_types[i].type == type)
			return san_types[i].prefix;
	return NULL;
}

static char *
ip_text(const ASN1_OCTET_STRING *ip)
{
	char	 buf[INET6_ADDRSTRLEN];
	int	 len = ASN1_STRING_length(ip);

	if ((len != 4 && len != 16) || inet_ntop(len == 4 ? AF_INET : AF_INET6,
	    ASN1_STRING_get0_data(ip), buf, sizeof(buf)) == NULL)
		return cs_strdup("ip:(malformed)");
	return cs_printf("ip:%s", buf);
}

char *
fix_gen_text(const GENERAL_NAME *gen)
{
	const char		*prefix = type_prefix(gen->type);
	const ASN1_IA5STRING	*s;
	char			*esc, *out;

	if (prefix == NULL)
		return NULL;
	if (gen->type == GEN_IPADD)
		return ip_text(gen->d.iPAddress);
	s = gen->type == GEN_DNS ? gen->d.dNSName : gen->type == GEN_EMAIL ?
	    gen->d.rfc822Name : gen->d.uniformResourceIdentifier;
	esc = cs_escape_ctrl((const char *)ASN1_STRING_get0_data(s),
	    (size_t)ASN1_STRING_length(s));
	out = esc != NULL ? cs_printf("%s:%s", prefix, esc) : NULL;
	free(esc);
	return out;
}

GENERAL_NAMES *
fix_sans(const struct cs_fix *fx, int *crit)
{
	GENERAL_NAMES	*gens;
	int		 i;

	*crit = -1;
	i = X509v3_get_ext_by_NID(fx->exts, NID_subject_alt_name, -1);
	if (i < 0)
		return GENERAL_NAMES_new();
	*crit = X509_EXTENSION_get_critical(sk_X509_EXTENSION_value(fx->exts, i));
	gens = X509V3_EXT_d2i(sk_X509_EXTENSION_value(fx->exts, i));
	ERR_clear_error();
	return gens;
}

int
fix_put_sans(struct cs_fix *fx, GENERAL_NAMES *gens, int crit)
{
	int	 i;

	if (sk_GENERAL_NAME_num(gens) == 0) {
		while ((i = X509v3_get_ext_by_NID(fx->exts,
		    NID_subject_alt_name, -1)) >= 0)
			X509_EXTENSION_free(X509v3_delete_ext(fx->exts, i));
		return 0;
	}
	/* RFC 5280 4.2.1.6: critical when the subject is empty. */
	if (crit < 0)
		crit = X509_NAME_entry_count(fx->subject) == 0;
	return X509V3_add1_i2d(&fx->exts, NID_subject_alt_name, gens, crit,
	    X509V3_ADD_REPLACE) == 1 ? 0 : -1;
}

/* "dns:NAME" -> a general name; NULL with the reason in why. */
static GENERAL_NAME *
gen_parse(const char *spec, char *why, size_t whylen)
{
	const char	*colon = strchr(spec, ':'), *v;
	GENERAL_NAME	*gen = NULL;
	size_t		 i;
	int		 type = -1;

	for (i = 0; colon != NULL && i < N_SAN_TYPES; i++)
		if (strlen(san_types[i].prefix) == (size_t)(colon - spec) &&
		    strncasecmp(spec, san_types[i].prefix,
		    (size_t)(colon - spec)) == 0)
			type = san_types[i].type;
	if (type == -1 || colon[1] == '\0') {
		fix_why(CS_FIX_ERROR, why, whylen, "'%s' is not dns:NAME, "
		    "ip:ADDRESS, email:ADDRESS or uri:URI", spec);
		return NULL;
	}
	v = colon + 1;
	for (i = 0; v[i] != '\0'; i++)
		if ((unsigned char)v[i] <= ' ' || (unsigned char)v[i] >= 0x7f) {
			fix_why(CS_FIX_ERROR, why, whylen, "'%s' holds a space, "
			    "a control or a non-ASCII character (IDNs go in "
			    "as A-labels, xn--...)", spec);
			return NULL;
		}
	if (type == GEN_EMAIL && strchr(v, '@') == NULL) {
		fix_why(CS_FIX_ERROR, why, whylen, "'%s' has no '@'", spec);
		return NULL;
	}
	gen = a2i_GENERAL_NAME(NULL, NULL, NULL, type, v, 0);
	ERR_clear_error();
	if (gen == NULL)
		fix_why(CS_FIX_ERROR, why, whylen, "'%s' is not a valid %s",
		    spec, type == GEN_IPADD ? "IP address" : "name");
	return gen;
}

/* The same name: DNS names compared without case (RFC 4343). */
static int
gen_same(const GENERAL_NAME *a, const GENERAL_NAME *b)
{
	const ASN1_STRING	*x, *y;

	if (a->type != b->type)
		return 0;
	if (a->type != GEN_DNS)
		return GENERAL_NAME_cmp((GENERAL_NAME *)a, (GENERAL_NAME *)b) == 0;
	x = a->d.dNSName;
	y = b->d.dNSName;
	return ASN1_STRING_length(x) == ASN1_STRING_length(y) &&
	    strncasecmp((const char *)ASN1_STRING_get0_data(x),
	    (const char *)ASN1_STRING_get0_data(y),
	    (size_t)ASN1_STRING_length(x)) == 0;
}

/* The last entry equal to gen, byte for byte if one is, else without
 * case; -1 when none is. */
static int
gen_find(const GENERAL_NAMES *gens, const GENERAL_NAME *gen)
{
	int	 i, loose = -1;

	for (i = sk_GENERAL_NAME_num(gens) - 1; i >= 0; i--) {
		GENERAL_NAME *g = sk_GENERAL_NAME_value(gens, i);

		if (GENERAL_NAME_cmp(g, (GENERAL_NAME *)gen) == 0)
			return i;
		if (loose == -1 && gen_same(g, gen))
			loose = i;
	}
	return loose;
}

/* Edits the SAN: removes the entry at `at` (-1: none) and puts gen (owned
 * from here; NULL: none) in its place, or at the end. */
static enum cs_fix_status
san_edit(struct cs_fix *fx, GENERAL_NAMES *gens, int crit, int at,
    GENERAL_NAME *gen, const char *who, char *why, size_t whylen)
{
	char			*before = NULL, *after = NULL;
	enum cs_fix_status	 st = CS_FIX_APPLIED;

	if (at >= 0) {
		GENERAL_NAME *old = sk_GENERAL_NAME_delete(gens, at);

		before = fix_gen_text(old);
		GENERAL_NAME_free(old);
	}
	if (gen != NULL) {
		after = fix_gen_text(gen);
		if (!sk_GENERAL_NAME_insert(gens, gen, at)) {
			GENERAL_NAME_free(gen);
			st = CS_FIX_ERROR;
		}
	}
	if (st == CS_FIX_APPLIED && fix_put_sans(fx, gens, crit) == -1)
		st = CS_FIX_ERROR;
	if (st == CS_FIX_APPLIED && fix_change(fx, "sans", before, after,
	    who) == -1)
		st = CS_FIX_ERROR;
	free(before);
	free(after);
	return st == CS_FIX_ERROR ? fix_oom(why, whylen) : st;
}

/* spec parsed into *gen and the SAN as it stands into *gens; -1 with the
 * reason in why (nothing left to free). */
static int
san_start(const struct cs_fix *fx, const char *spec, GENERAL_NAME **gen,
    GENERAL_NAMES **gens, int *crit, char *why, size_t whylen)
{
	if ((*gen = gen_parse(spec, why, whylen)) == NULL)
		return -1;
	if ((*gens = fix_sans(fx, crit)) == NULL) {
		GENERAL_NAME_free(*gen);
		fix_why(CS_FIX_ERROR, why, whylen, "the subjectAltName does "
		    "not decode");
		return -1;
	}
	return 0;
}

enum cs_fix_status
cs_fix_add_san(struct cs_fix *fx, const char *spec, const char *who,
    char *why, size_t whylen)
{
	GENERAL_NAMES		*gens;
	GENERAL_NAME		*gen;
	enum cs_fix_status	 st = CS_FIX_NOOP;
	int			 crit;

	if (san_start(fx, spec, &gen, &gens, &crit, why, whylen) == -1)
		return CS_FIX_ERROR;
	if (gen_find(gens, gen) >= 0)
		GENERAL_NAME_free(gen);
	else
		st = san_edit(fx, gens, crit, -1, gen, who, why, whylen);
	GENERAL_NAMES_free(gens);
	return st;
}

enum cs_fix_status
cs_fix_drop_san(struct cs_fix *fx, const char *spec, const char *who,
    char *why, size_t whylen)
{
	GENERAL_NAMES		*gens;
	GENERAL_NAME		*gen;
	enum cs_fix_status	 st;
	int			 crit, at;

	if (san_start(fx, spec, &gen, &gens, &crit, why, whylen) == -1)
		return CS_FIX_ERROR;
	if ((at = gen_find(gens, gen)) < 0)
		st = fix_why(CS_FIX_ERROR, why, whylen, "the request has no "
		    "subjectAltName %s", spec);
	else
		st = san_edit(fx, gens, crit, at, NULL, who, why, whylen);
	GENERAL_NAME_free(gen);
	GENERAL_NAMES_free(gens);
	return st;
}

enum cs_fix_status
cs_fix_replace_san(struct cs_fix *fx, const char *spec, const char *target,
    const char *who, char *why, size_t whylen)
{
	GENERAL_NAMES		*gens;
	GENERAL_NAME		*gen, *old = NULL;
	enum cs_fix_status	 st = CS_FIX_NOOP;
	int			 crit, at = -1;

	if (san_start(fx, spec, &gen, &gens, &crit, why, whylen) == -1)
		return CS_FIX_ERROR;
	/* The old name, of the new one's type, found byte for byte. */
	if (target != NULL) {
		old = a2i_GENERAL_NAME(NULL, NULL, NULL, gen->type, target, 0);
		ERR_clear_error();
	}
	if (old != NULL)
		for (at = sk_GENERAL_NAME_num(gens) - 1; at >= 0; at--)
			if (GENERAL_NAME_cmp(sk_GENERAL_NAME_value(gens, at),
			    old) == 0)
				break;
	GENERAL_NAME_free(old);
	if (at >= 0 && GENERAL_NAME_cmp(sk_GENERAL_NAME_value(gens, at),
	    gen) == 0)
		GENERAL_NAME_free(gen);
	else if (at < 0 && gen_find(gens, gen) >= 0)
		GENERAL_NAME_free(gen);
	else
		st = san_edit(fx, gens, crit, at, gen, who, why, whylen);
	GENERAL_NAMES_free(gens);
	return st;
}

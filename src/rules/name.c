/* name.*: host names, SANs and what they cover. */
#include "config.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <idn2.h>
#include <libpsl.h>
#include <openssl/x509v3.h>

#include "rules/rules-int.h"

#define DNS_MAX_LEN	253
#define LABEL_MAX_LEN	63

/* The string holds no NUL before its end. */
static int
clean(const char *s, size_t len)
{
	return s != NULL && strlen(s) == len;
}

/* Printable ASCII only, so it may go into a message as it is. */
static int
printable(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return 0;
	return clean(s, len);
}

/* Lower-cased copy into buf; -1 when it does not fit or holds a NUL. */
static int
lower_copy(char *buf, size_t size, const char *s, size_t len)
{
	size_t	 i;

	if (len >= size || memchr(s, '\0', len) != NULL)
		return -1;
	for (i = 0; i < len; i++)
		buf[i] = s[i] >= 'A' && s[i] <= 'Z' ? (char)(s[i] - 'A' + 'a') : s[i];
	buf[len] = '\0';
	return 0;
}

/* AF_INET or AF_INET6 with the address in out, or 0: not an IP address. */
static int
ip_parse(const char *s, size_t len, unsigned char out[16])
{
	if (!clean(s, len))
		return 0;
	if (inet_pton(AF_INET, s, out) == 1)
		return AF_INET;
	if (inet_pton(AF_INET6, s, out) == 1)
		return AF_INET6;
	return 0;
}

static int
ip_equal(const char *a, size_t alen, const char *b, size_t blen)
{
	unsigned char	 x[16], y[16];
	int		 af = ip_parse(a, alen, x);

	if (af == 0 || ip_parse(b, blen, y) != af)
		return 0;
	return memcmp(x, y, af == AF_INET ? 4 : 16) == 0;
}

static int
ldh_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '*';
}

/*
 * Why s is not a DNS name of LDH labels (RFC 1035 2.3.1, RFC 5280 4.2.1.6),
 * or NULL. '_' and '*' pass here: they have rules of their own.
 */
static const char *
dns_syntax_error(const char *s, size_t len)
{
	size_t	 i, label = 0;

	if (len == 0)
		return "is empty";
	if (len > DNS_MAX_LEN)
		return "is longer than 253 octets";
	if (s[len - 1] == '.')
		return "ends with a dot";
	for (i = 0; i < len; i++) {
		if (s[i] == '.') {
			if (label == 0)
				return "has an empty label";
			if (s[i - 1] == '-')
				return "has a label that ends with a hyphen";
			label = 0;
			continue;
		}
		if (!ldh_char(s[i]))
			return "holds a character other than letters, digits, "
			    "hyphens and dots (a space, control or non-ASCII byte?)";
		if (label == 0 && s[i] == '-')
			return "has a label that starts with a hyphen";
		if (++label > LABEL_MAX_LEN)
			return "has a label longer than 63 octets";
	}
	return s[len - 1] == '-' ? "has a label that ends with a hyphen" : NULL;
}

/* A CN meant as a host name: has a dot, no space, no '@', not an IP. */
static int
cn_is_hostish(const struct cs_attr *cn)
{
	unsigned char	 ip[16];

	return clean(cn->value, cn->value_len) &&
	    strchr(cn->value, '.') != NULL && strchr(cn->value, ' ') == NULL &&
	    strchr(cn->value, '@') == NULL &&
	    ip_parse(cn->value, cn->value_len, ip) == 0;
}

static int
cn_is_ip(const struct cs_attr *cn)
{
	unsigned char	 ip[16];

	return ip_parse(cn->value, cn->value_len, ip) != 0;
}

static size_t
count_sans(const struct cs_object *obj, int dns, int ip)
{
	size_t	 i, n = 0;

	for (i = 0; i < obj->n_sans; i++)
		if ((dns && obj->sans[i].type == CS_SAN_DNS) ||
		    (ip && obj->sans[i].type == CS_SAN_IP))
			n++;
	return n;
}

/* Adds a finding with a fix "action" of "prefix:name"; the check's status. */
static enum cs_check
finding_with_fix(struct cs_finding *f, const char *action, const char *prefix,
    const char *name)
{
	char	*fix;
	int	 rc;

	if (f == NULL)
		return CS_CHECK_FAILED;
	if (action == NULL)
		return CS_CHECK_RAN;
	if ((fix = cs_printf("%s:%s", prefix, name)) == NULL)
		return CS_CHECK_FAILED;
	rc = cs_finding_fix(f, action, fix);
	free(fix);
	return rc == -1 ? CS_CHECK_FAILED : CS_CHECK_RAN;
}

/*
 * Runs test over every DNS SAN and adds a finding for each name it returns
 * a reason for ("... DNS name 'x' <reason>").
 */
typedef const char *(*dns_test)(struct cs_lint *l, const char *s, size_t len);

/* The name with blanks around it dropped and in lower case, when that
 * passes test; NULL otherwise (a fix only where one is certain). */
typedef char *(*dns_repair)(struct cs_lint *l, const char *s, size_t len);

/* Adds the repaired name as the fix: "dns:NAME" for action replace-san,
 * "CN=NAME" for set-subject. */
static enum cs_check
dns_fix(struct cs_finding *f, struct cs_lint *l, const char *s, size_t len,
    dns_repair repair, const char *action)
{
	char	*fixed, *value;
	int	 rc;

	if (f == NULL)
		return CS_CHECK_FAILED;
	if (repair == NULL || (fixed = repair(l, s, len)) == NULL)
		return CS_CHECK_RAN;
	value = cs_printf("%s%s", strcmp(action, "set-subject") == 0 ? "CN=" :
	    "dns:", fixed);
	free(fixed);
	rc = value == NULL ? -1 : cs_finding_fix(f, action, value);
	free(value);
	return rc == -1 ? CS_CHECK_FAILED : CS_CHECK_RAN;
}

static enum cs_check
each_dns_san_fix(struct cs_lint *l, const struct cs_object *obj, dns_test test,
    dns_repair repair)
{
	const struct cs_san	*san;
	const char		*why;
	char			 field[32];
	size_t			 i;
	int			 ran = 0;

	for (i = 0; i < obj->n_sans; i++) {
		san = &obj->sans[i];
		if (san->type != CS_SAN_DNS || san->value == NULL)
			continue;
		ran = 1;
		if ((why = test(l, san->value, san->value_len)) == NULL)
			continue;
		snprintf(field, sizeof(field), "sans[%zu]", i);
		if (dns_fix(cs_finding_value(cs_finding_add(l, obj, field,
		    san->value, "the DNS name '%s' %s", printable(san->value,
		    san->value_len) ? san->value : "(unprintable)", why),
		    san->value, san->value_len), l, san->value, san->value_len,
		    repair, "replace-san") == CS_CHECK_FAILED)
			return CS_CHECK_FAILED;
	}
	return ran ? CS_CHECK_RAN : CS_CHECK_NA;
}

static enum cs_check
each_dns_san(struct cs_lint *l, const struct cs_object *obj, dns_test test)
{
	return each_dns_san_fix(l, obj, test, NULL);
}

/* --- name.cn-in-san ------------------------------------------------- */

static int
in_dns_sans(const struct cs_object *obj, const char *name)
{
	size_t	 i;

	for (i = 0; i < obj->n_sans; i++)
		if (obj->sans[i].type == CS_SAN_DNS &&
		    clean(obj->sans[i].value, obj->sans[i].value_len) &&
		    strcasecmp(obj->sans[i].value, name) == 0)
			return 1;
	return 0;
}

static enum cs_check
check_name_cn_in_san(struct cs_lint *l, const struct cs_object *obj)
{
	const struct cs_attr	*cn = rule_subject_attr(obj, RULE_OID_CN);
	struct cs_finding	*f;
	char			*lower;
	enum cs_check		 rc;

	if (cn == NULL || !cn_is_hostish(cn) || count_sans(obj, 1, 1) == 0)
		return CS_CHECK_NA;
	if (in_dns_sans(obj, cn->value))
		return CS_CHECK_RAN;
	f = cs_finding_value(cs_finding_add(l, obj, "subject.CN", cn->value,
	    "the CN '%s' is not among the subject alternative names; clients "
	    "ignore the CN and a CA will drop or reject it",
	    printable(cn->value, cn->value_len) ? cn->value : "(unprintable)"),
	    cn->value, cn->value_len);
	/* DNS names go in lower case (name.dns.case). */
	if ((lower = cs_strdup(cn->value)) == NULL)
		return CS_CHECK_FAILED;
	rc = finding_with_fix(f, "add-san", "dns", cs_lower(lower));
	free(lower);
	return rc;
}

static const struct cs_rule rule_name_cn_in_san = {
	.id = "name.cn-in-san",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_NAMED,
	.summary = "the CN is a host name that is not among the DNS SANs",
	.citation = "CA/B Forum BR 7.1.4.3; RFC 6125 6.4.4",
	.check = check_name_cn_in_san,
};

/* --- name.san.missing ----------------------------------------------- */

/* san-required: the profile wants a SAN on every end-entity name. */
static enum cs_check
san_required_missing(struct cs_lint *l, const struct cs_object *obj)
{
	if (!cs_lint_params(l)->san_required || rule_is_ca(obj))
		return CS_CHECK_NA;
	if (obj->n_sans > 0)
		return CS_CHECK_RAN;
	return cs_finding_add(l, obj, "sans", NULL, "the profile requires a "
	    "subject alternative name and there is none") == NULL ?
	    CS_CHECK_FAILED : CS_CHECK_RAN;
}

static enum cs_check
check_name_san_missing(struct cs_lint *l, const struct cs_object *obj)
{
	const struct cs_attr	*cn = rule_subject_attr(obj, RULE_OID_CN);
	struct cs_finding	*f;
	int			 ip;

	if (rule_is_ca(obj))
		return CS_CHECK_NA;	/* a CA's CN names the CA, not a host */
	if (cn == NULL || (!cn_is_hostish(cn) && !cn_is_ip(cn)))
		return san_required_missing(l, obj);
	if (count_sans(obj, 1, 1) > 0)
		return CS_CHECK_RAN;
	ip = cn_is_ip(cn);
	f = cs_finding_add(l, obj, "sans", NULL,
	    "the CN '%s' is a host %s but there is no DNS or IP subject "
	    "alternative name; TLS clients ignore the CN and match only SANs",
	    cn->value, ip ? "address" : "name");
	return finding_with_fix(f, "add-san", ip ? "ip" : "dns", cn->value);
}

static const struct cs_rule rule_name_san_missing = {
	.id = "name.san.missing",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_NAMED,
	.summary = "the CN is a host name or address but there is no DNS/IP "
	    "SAN (or, with san-required, no SAN at all)",
	.citation = "CA/B Forum BR 7.1.4.2.1; RFC 6125 6.4.4; RFC 2818 3.1",
	.params = "san-required",
	.check = check_name_san_missing,
};

/* --- name.dns.syntax ------------------------------------------------ */

static const char *
test_dns_syntax(struct cs_lint *l, const char *s, size_t len)
{
	unsigned char	 ip[16];

	if (ip_parse(s, len, ip) == AF_INET6)
		return NULL;	/* name.ip-as-dns says what it is */
	if (!clean(s, len))
		return "holds a NUL byte";
	return dns_syntax_error(s, len);
}

static char *
dns_repaired(struct cs_lint *l, const char *s, size_t len)
{
	char	*r;

	while (len > 0 && (*s == ' ' || *s == '\t'))
		s++, len--;
	while (len > 0 && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (len == 0 || (r = cs_strndup(s, len)) == NULL)
		return NULL;
	cs_lower(r);
	if (test_dns_syntax(l, r, len) != NULL) {
		free(r);
		return NULL;
	}
	return r;
}

static enum cs_check
check_name_dns_syntax(struct cs_lint *l, const struct cs_object *obj)
{
	const struct cs_attr	*cn = rule_subject_attr(obj, RULE_OID_CN);
	const char		*why;
	enum cs_check		 rc;

	rc = each_dns_san_fix(l, obj, test_dns_syntax, dns_repaired);
	if (rc == CS_CHECK_FAILED || cn == NULL || !cn_is_hostish(cn) ||
	    (why = dns_syntax_error(cn->value, cn->value_len)) == NULL)
		return rc;
	return dns_fix(cs_finding_value(cs_finding_add(l, obj, "subject.CN",
	    cn->value, "the CN host name '%s' %s", printable(cn->value,
	    cn->value_len) ? cn->value : "(unprintable)", why), cn->value,
	    cn->value_len), l, cn->value, cn->value_len, dns_repaired,
	    "set-subject");
}

static const struct cs_rule rule_name_dns_syntax = {
	.id = "name.dns.syntax",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_NAMED,
	.summary = "a DNS SAN or host-name CN is not a valid preferred-syntax "
	    "DNS name",
	.citation = "RFC 1035 2.3.1; RFC 5280 4.2.1.6; CA/B Forum BR 7.1.4.2.1",
	.check = check_name_dns_syntax,
};

/* --- name.dns.case -------------------------------------------------- */

static const char *
test_dns_case(struct cs_lint *l, const char *s, size_t len)
{
	size_t	 i;

	(void)l;
	for (i = 0; i < len; i++)
		if (s[i] >= 'A' && s[i] <= 'Z')
			return "has upper-case letters; DNS names compare "
			    "without case, and CAs write them in lower case, "
			    "so the certificate would not say what the request "
			    "says";
	return NULL;
}

static enum cs_check
check_name_dns_case(struct cs_lint *l, const struct cs_object *obj)
{
	const struct cs_attr	*cn = rule_subject_attr(obj, RULE_OID_CN);
	const char		*why;
	enum cs_check		 rc;

	rc = each_dns_san_fix(l, obj, test_dns_case, dns_repaired);
	if (rc == CS_CHECK_FAILED || cn == NULL || !cn_is_hostish(cn))
		return rc;
	if ((why = test_dns_case(l, cn->value, cn->value_len)) == NULL)
		return CS_CHECK_RAN;
	return dns_fix(cs_finding_value(cs_finding_add(l, obj, "subject.CN",
	    cn->value, "the CN host name '%s' %s", printable(cn->value,
	    cn->value_len) ? cn->value : "(unprintable)", why), cn->value,
	    cn->value_len), l, cn->value, cn->value_len, dns_repaired,
	    "set-subject");
}

static const struct cs_rule rule_name_dns_case = {
	.id = "name.dns.case",
	.severity = CS_SEV_NOTICE,
	.applies = CS_APPLIES_NAMED,
	.summary = "a DNS SAN or host-name CN has upper-case letters",
	.citation = "RFC 4343 section 3; RFC 5280 7.2",
	.check = check_name_dns_case,
};

/* --- name.dns.underscore -------------------------------------------- */

static const char *
test_dns_underscore(struct cs_lint *l, const char *s, size_t len)
{
	if (memchr(s, '_', len) == NULL)
		return NULL;
	return "holds an underscore, which is not allowed in a host name; "
	    "publicly-trusted CAs may not issue for it since 2019";
}

static enum cs_check
check_name_dns_underscore(struct cs_lint *l, const struct cs_object *obj)
{
	return each_dns_san(l, obj, test_dns_underscore);
}

static const struct cs_rule rule_name_dns_underscore = {
	.id = "name.dns.underscore",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_NAMED,
	.summary = "a DNS SAN holds an underscore",
	.citation = "CA/B Forum BR 7.1.4.2.1 (Ballot SC12); RFC 5280 4.2.1.6",
	.check = check_name_dns_underscore,
};

/* --- name.wildcard.position ----------------------------------------- */

static const char *
test_wildcard_position(struct cs_lint *l, const char *s, size_t len)
{
	const char	*star = memchr(s, '*', len);

	if (star == NULL)
		return NULL;
	if (star == s && len >= 3 && s[1] == '.' &&
	    memchr(s + 1, '*', len - 1) == NULL)
		return NULL;
	return "has a '*' that is not the whole left-most label; only "
	    "'*.example.com' is a wildcard clients match";
}

static enum cs_check
check_name_wildcard_position(struct cs_lint *l, const struct cs_object *obj)
{
	return each_dns_san(l, obj, test_wildcard_position);
}

static const struct cs_rule rule_name_wildcard_position = {
	.id = "name.wildcard.position",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_NAMED,
	.summary = "a '*' in a DNS SAN other than as the whole left-most label",
	.citation = "RFC 6125 6.4.3; CA/B Forum BR 1.6.1 (Wildcard Domain "
	    "Name), 7.1.4.2.1",
	.check = check_name_wildcard_position,
};

/* --- name.wildcard.public-suffix ------------------------------------ */

static const char *
test_wildcard_public_suffix(struct cs_lint *l, const char *s, size_t len)
{
	char	 base[DNS_MAX_LEN + 1];

	if (len < 3 || s[0] != '*' || s[1] != '.' ||
	    lower_copy(base, sizeof(base), s + 2, len - 2) == -1)
		return NULL;
	if (!psl_is_public_suffix2(cs_lint_psl(l), base,
	    PSL_TYPE_ANY | PSL_TYPE_NO_STAR_RULE))
		return NULL;
	return "is a wildcard directly over a public suffix, so it would "
	    "cover domains of unrelated owners";
}

static enum cs_check
check_name_wildcard_public_suffix(struct cs_lint *l,
    const struct cs_object *obj)
{
	return each_dns_san(l, obj, test_wildcard_public_suffix);
}

static const struct cs_rule rule_name_wildcard_public_suffix = {
	.id = "name.wildcard.public-suffix",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_NAMED,
	.summary = "a wildcard DNS SAN directly over a public suffix (*.co.uk)",
	.citation = "CA/B Forum BR 3.2.2.6; Public Suffix List",
	.check = check_name_wildcard_public_suffix,
};

/* --- name.idn.invalid ----------------------------------------------- */

/* The A-label (lower-cased, NUL-terminated) is valid IDNA2008. */
static int
alabel_valid(const char *label)
{
	uint8_t	*out = NULL;
	int	 rc;

	rc = idn2_lookup_u8((const uint8_t *)label, &out, IDN2_NO_TR46);
	idn2_free(out);
	return rc == IDN2_OK;
}

static const char *
test_idn_invalid(struct cs_lint *l, const char *s, size_t len)
{
	char		 label[LABEL_MAX_LEN + 1];
	const char	*p = s, *end = s + len, *dot;

	if (!clean(s, len))
		return NULL;
	for (; p < end; p = dot + 1) {
		if ((dot = memchr(p, '.', (size_t)(end - p))) == NULL)
			dot = end;
		if (dot - p < 4 || strncasecmp(p, "xn--", 4) != 0 ||
		    lower_copy(label, sizeof(label), p, (size_t)(dot - p)) == -1)
			continue;
		if (!alabel_valid(label))
			return "holds an A-label ('xn--') that does not decode to "
			    "a valid IDNA2008 U-label";
	}
	return NULL;
}

static enum cs_check
check_name_idn_invalid(struct cs_lint *l, const struct cs_object *obj)
{
	return each_dns_san(l, obj, test_idn_invalid);
}

static const struct cs_rule rule_name_idn_invalid = {
	.id = "name.idn.invalid",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_NAMED,
	.summary = "a DNS SAN holds an A-label that is not valid IDNA2008",
	.citation = "RFC 5891 5.4; RFC 5890 2.3.2.1; RFC 5280 7.2",
	.check = check_name_idn_invalid,
};

/* --- name.internal -------------------------------------------------- */

/* Special-use and commonly squatted internal top-level names. */
static const char *const internal_tlds[] = {
	"alt", "corp", "example", "home", "internal", "intranet", "invalid",
	"lan", "local", "localdomain", "localhost", "onion", "private", "test",
	NULL,
};

static const char *
internal_reason(const psl_ctx_t *psl, const char *name, int wild)
{
	const char	*tld = strrchr(name, '.');
	size_t		 i, n = strlen(name);

	if (tld == NULL && !wild)
		return "is a single-label name, which only resolves inside a "
		    "local network";
	tld = tld == NULL ? name : tld + 1;
	if (n >= 10 && strcmp(name + n - 10, ".home.arpa") == 0)
		return "is under home.arpa, reserved for home networks (RFC 8375)";
	for (i = 0; internal_tlds[i] != NULL; i++)
		if (strcmp(tld, internal_tlds[i]) == 0)
			return "is under a special-use or internal top-level "
			    "domain (RFC 6761, RFC 6762, RFC 7686)";
	if (*tld != '\0' && !psl_is_public_suffix2(psl, tld,
	    PSL_TYPE_ICANN | PSL_TYPE_NO_STAR_RULE))
		return "ends in a top-level domain the public suffix list does "
		    "not know, so it is an internal name";
	return NULL;
}

static const char *
test_internal(struct cs_lint *l, const char *s, size_t len)
{
	char		 name[DNS_MAX_LEN + 1];
	unsigned char	 ip[16];

	int		 wild;

	if (ip_parse(s, len, ip) != 0 ||
	    lower_copy(name, sizeof(name), s, len) == -1)
		return NULL;
	wild = strncmp(name, "*.", 2) == 0;
	if (strchr(name + wild * 2, '*') != NULL)
		return NULL;	/* name.wildcard.position */
	return internal_reason(cs_lint_psl(l), name + wild * 2, wild);
}

static enum cs_check
check_name_internal(struct cs_lint *l, const struct cs_object *obj)
{
	if (cs_lint_params(l)->internal_names_ok)
		return CS_CHECK_NA;
	return each_dns_san(l, obj, test_internal);
}

static const struct cs_rule rule_name_internal = {
	.id = "name.internal",
	.severity = CS_SEV_WARNING,
	.applies = CS_APPLIES_NAMED,
	.summary = "a DNS SAN is an internal name (single label, reserved or "
	    "unknown top-level domain); public CAs reject it",
	.citation = "CA/B Forum BR 4.2.2, 7.1.4.2.1; RFC 6761; RFC 8375",
	.params = "internal-names-ok",
	.check = check_name_internal,
};

/* --- name.ip.reserved ----------------------------------------------- */

struct ip_range {
	int		 af;
	unsigned char	 net[16];
	int		 bits;
	const char	*what;
};

static const struct ip_range reserved_ranges[] = {
	{ AF_INET, { 0 }, 8, "'this network' (RFC 791)" },
	{ AF_INET, { 10 }, 8, "private (RFC 1918)" },
	{ AF_INET, { 100, 64 }, 10, "shared CGNAT space (RFC 6598)" },
	{ AF_INET, { 127 }, 8, "loopback (RFC 1122)" },
	{ AF_INET, { 169, 254 }, 16, "link-local (RFC 3927)" },
	{ AF_INET, { 172, 16 }, 12, "private (RFC 1918)" },
	{ AF_INET, { 192, 0, 0 }, 24, "IETF protocol assignments (RFC 6890)" },
	{ AF_INET, { 192, 0, 2 }, 24, "documentation TEST-NET-1 (RFC 5737)" },
	{ AF_INET, { 192, 168 }, 16, "private (RFC 1918)" },
	{ AF_INET, { 198, 18 }, 15, "benchmarking (RFC 2544)" },
	{ AF_INET, { 198, 51, 100 }, 24, "documentation TEST-NET-2 (RFC 5737)" },
	{ AF_INET, { 203, 0, 113 }, 24, "documentation TEST-NET-3 (RFC 5737)" },
	{ AF_INET, { 224 }, 4, "multicast (RFC 5771)" },
	{ AF_INET, { 240 }, 4, "reserved or broadcast (RFC 1112, RFC 919)" },
	{ AF_INET6, { 0 }, 128, "the unspecified address (RFC 4291)" },
	{ AF_INET6, { [15] = 1 }, 128, "loopback (RFC 4291)" },
	{ AF_INET6, { [10] = 0xff, [11] = 0xff }, 96, "IPv4-mapped (RFC 4291)" },
	{ AF_INET6, { 0, 0x64, 0xff, 0x9b, 0, 1 }, 48,
	    "local-use NAT64 (RFC 8215)" },
	{ AF_INET6, { 0x01 }, 64, "discard-only (RFC 6666)" },
	{ AF_INET6, { 0x20, 0x01, 0x0d, 0xb8 }, 32, "documentation (RFC 3849)" },
	{ AF_INET6, { 0x3f, 0xff }, 20, "documentation (RFC 9637)" },
	{ AF_INET6, { 0xfc }, 7, "unique local (RFC 4193)" },
	{ AF_INET6, { 0xfe, 0x80 }, 10, "link-local (RFC 4291)" },
	{ AF_INET6, { 0xfe, 0xc0 }, 10, "deprecated site-local (RFC 3879)" },
	{ AF_INET6, { 0xff }, 8, "multicast (RFC 4291)" },
};

static int
prefix_match(const unsigned char *a, const unsigned char *net, int bits)
{
	int	 n = bits / 8, rem = bits % 8;

	if (memcmp(a, net, (size_t)n) != 0)
		return 0;
	return rem == 0 || ((a[n] ^ net[n]) & (0xff << (8 - rem)) & 0xff) == 0;
}

/* The range an address lies in, or NULL for a global address. */
static const char *
ip_reserved(const char *s, size_t len)
{
	unsigned char	 a[16];
	size_t		 i;
	int		 af = ip_parse(s, len, a);

	for (i = 0; af != 0 && i < sizeof(reserved_ranges) /
	    sizeof(reserved_ranges[0]); i++)
		if (reserved_ranges[i].af == af &&
		    prefix_match(a, reserved_ranges[i].net, reserved_ranges[i].bits))
			return reserved_ranges[i].what;
	return NULL;
}

static enum cs_check
check_name_ip_reserved(struct cs_lint *l, const struct cs_object *obj)
{
	const char	*what;
	char		 field[32];
	size_t		 i;
	int		 ran = 0;

	for (i = 0; i < obj->n_sans; i++) {
		if (obj->sans[i].type != CS_SAN_IP)
			continue;
		ran = 1;
		if ((what = ip_reserved(obj->sans[i].value,
		    obj->sans[i].value_len)) == NULL)
			continue;
		snprintf(field, sizeof(field), "sans[%zu]", i);
		if (cs_finding_add(l, obj, field, obj->sans[i].value,
		    "the IP address %s is %s, not a public address a "
		    "publicly-trusted CA may certify", obj->sans[i].value,
		    what) == NULL)
			return CS_CHECK_FAILED;
	}
	return ran ? CS_CHECK_RAN : CS_CHECK_NA;
}

static const struct cs_rule rule_name_ip_reserved = {
	.id = "name.ip.reserved",
	.severity = CS_SEV_WARNING,
	.applies = CS_APPLIES_NAMED,
	.summary = "an IP SAN in a private, loopback, link-local, documentation "
	    "or other reserved range",
	.citation = "CA/B Forum BR 1.6.1 (Reserved IP Address), 7.1.4.2.1; "
	    "IANA special-purpose address registries (RFC 6890)",
	.check = check_name_ip_reserved,
};

/* --- name.ip-as-dns ------------------------------------------------- */

static int
in_ip_sans(const struct cs_object *obj, const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < obj->n_sans; i++)
		if (obj->sans[i].type == CS_SAN_IP && ip_equal(obj->sans[i].value,
		    obj->sans[i].value_len, s, len))
			return 1;
	return 0;
}

static enum cs_check
ip_as_dns_san(struct cs_lint *l, const struct cs_object *obj, size_t i)
{
	struct cs_finding	*f;
	char			 field[32];

	snprintf(field, sizeof(field), "sans[%zu]", i);
	f = cs_finding_add(l, obj, field, obj->sans[i].value,
	    "the IP address %s is written as a DNS name; clients match IP "
	    "addresses only against iPAddress SANs", obj->sans[i].value);
	if (in_ip_sans(obj, obj->sans[i].value, obj->sans[i].value_len))
		return finding_with_fix(f, "remove-san", "dns",
		    obj->sans[i].value);
	return finding_with_fix(f, "add-san", "ip", obj->sans[i].value);
}

static enum cs_check
check_name_ip_as_dns(struct cs_lint *l, const struct cs_object *obj)
{
	const struct cs_attr	*cn = rule_subject_attr(obj, RULE_OID_CN);
	unsigned char		 ip[16];
	size_t			 i;
	enum cs_check		 rc = CS_CHECK_NA;

	for (i = 0; i < obj->n_sans && rc != CS_CHECK_FAILED; i++) {
		if (obj->sans[i].type != CS_SAN_DNS)
			continue;
		rc = CS_CHECK_RAN;
		if (ip_parse(obj->sans[i].value, obj->sans[i].value_len, ip))
			rc = ip_as_dns_san(l, obj, i);
	}
	if (rc == CS_CHECK_FAILED || cn == NULL || !cn_is_ip(cn) ||
	    count_sans(obj, 1, 1) == 0)
		return rc;
	if (in_ip_sans(obj, cn->value, cn->value_len))
		return CS_CHECK_RAN;
	return finding_with_fix(cs_finding_add(l, obj, "subject.CN", cn->value,
	    "the CN is the IP address %s but no iPAddress SAN holds it; clients "
	    "match IP addresses only against iPAddress SANs", cn->value),
	    "add-san", "ip", cn->value);
}

static const struct cs_rule rule_name_ip_as_dns = {
	.id = "name.ip-as-dns",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_NAMED,
	.summary = "an IP address written as a DNS SAN, or as the CN without "
	    "an IP SAN",
	.citation = "RFC 5280 4.2.1.6; RFC 6125 1.7.2; CA/B Forum BR 7.1.4.2.1",
	.check = check_name_ip_as_dns,
};

/* --- name.email.syntax ---------------------------------------------- */

static const char *
email_syntax_error(const char *s, size_t len)
{
	const char	*at;
	size_t		 i;

	if (!clean(s, len))
		return "holds a NUL byte";
	if ((at = memchr(s, '@', len)) == NULL || strchr(at + 1, '@') != NULL)
		return "does not hold exactly one '@'";
	if (at == s)
		return "has an empty local part";
	for (i = 0; s + i < at; i++)
		if (s[i] <= 0x20 || s[i] > 0x7e)
			return "has a space, control or non-ASCII byte in its "
			    "local part";
	if (dns_syntax_error(at + 1, len - (size_t)(at + 1 - s)) != NULL ||
	    strpbrk(at + 1, "*_") != NULL)
		return "has a domain that is not a valid host name";
	return NULL;
}

static enum cs_check
check_name_email_syntax(struct cs_lint *l, const struct cs_object *obj)
{
	const char	*why;
	char		 field[32];
	size_t		 i;
	int		 ran = 0;

	for (i = 0; i < obj->n_sans; i++) {
		if (obj->sans[i].type != CS_SAN_EMAIL)
			continue;
		ran = 1;
		if ((why = email_syntax_error(obj->sans[i].value,
		    obj->sans[i].value_len)) == NULL)
			continue;
		snprintf(field, sizeof(field), "sans[%zu]", i);
		if (cs_finding_value(cs_finding_add(l, obj, field,
		    obj->sans[i].value, "the e-mail address '%s' %s; an "
		    "rfc822Name must be local-part@domain",
		    printable(obj->sans[i].value, obj->sans[i].value_len) ?
		    obj->sans[i].value : "(unprintable)", why),
		    obj->sans[i].value, obj->sans[i].value_len) == NULL)
			return CS_CHECK_FAILED;
	}
	return ran ? CS_CHECK_RAN : CS_CHECK_NA;
}

static const struct cs_rule rule_name_email_syntax = {
	.id = "name.email.syntax",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_NAMED,
	.summary = "an rfc822Name SAN that is not local-part@domain",
	.citation = "RFC 5280 4.2.1.6; RFC 5322 3.4.1",
	.check = check_name_email_syntax,
};

/* --- name.host.coverage --------------------------------------------- */

/* Does the presented DNS identifier cover host (RFC 6125 6.4.1, 6.4.3)? */
static int
dns_covers(const char *san, size_t san_len, const char *host, size_t host_len)
{
	const char	*dot;

	if (!clean(san, san_len))
		return 0;
	if (san_len == host_len && strncasecmp(san, host, host_len) == 0)
		return 1;
	if (san_len < 3 || san[0] != '*' || san[1] != '.' ||
	    (dot = memchr(host, '.', host_len)) == NULL || dot == host)
		return 0;
	return san_len - 2 == host_len - (size_t)(dot + 1 - host) &&
	    strncasecmp(san + 2, dot + 1, san_len - 2) == 0;
}

/* The host without one trailing dot: its length. */
static size_t
host_len(const char *host)
{
	size_t	 n = strlen(host);

	return n > 1 && host[n - 1] == '.' ? n - 1 : n;
}

/* 1: a SAN covers host; 2: only the CN does (no DNS/IP SANs); 0: none. */
static int
host_covered(const struct cs_object *obj, const char *host)
{
	const struct cs_attr	*cn;
	unsigned char		 ip[16];
	size_t			 i, n = host_len(host);
	int			 is_ip = ip_parse(host, strlen(host), ip) != 0;

	for (i = 0; i < obj->n_sans; i++) {
		const struct cs_san *s = &obj->sans[i];

		if (is_ip ? s->type == CS_SAN_IP && ip_equal(s->value,
		    s->value_len, host, strlen(host)) : s->type == CS_SAN_DNS &&
		    dns_covers(s->value, s->value_len, host, n))
			return 1;
	}
	if (count_sans(obj, 1, 1) > 0 ||
	    (cn = rule_subject_attr(obj, RULE_OID_CN)) == NULL)
		return 0;
	if (is_ip)
		return ip_equal(cn->value, cn->value_len, host, strlen(host)) ? 2 : 0;
	return dns_covers(cn->value, cn->value_len, host, n) ? 2 : 0;
}

static struct cs_finding *
host_finding_add(struct cs_lint *l, const struct cs_object *obj,
    const char *host, int how, int ip)
{
	if (how == 2)
		return cs_finding_add(l, obj, "sans", host, "only the subject CN "
		    "covers %s; there are no DNS or IP SANs and clients that "
		    "follow RFC 6125 and the BR ignore the CN", host);
	if (count_sans(obj, 1, 1) > 0)
		return cs_finding_add(l, obj, "sans", host, "%s is not covered "
		    "by any %s SAN, so clients will refuse the connection", host,
		    ip ? "IP" : "DNS");
	if (rule_subject_attr(obj, RULE_OID_CN) == NULL)
		return cs_finding_add(l, obj, "sans", host, "%s is not covered: "
		    "there are no DNS or IP SANs and no CN", host);
	return cs_finding_add(l, obj, "sans", host, "%s is not covered: there "
	    "are no DNS or IP SANs, and the CN, consulted as a last resort "
	    "(RFC 6125 6.4.4), does not match it either", host);
}

static enum cs_check
host_finding(struct cs_lint *l, const struct cs_object *obj, const char *host,
    int how)
{
	unsigned char		 addr[16];
	int			 ip = ip_parse(host, strlen(host), addr) != 0;
	struct cs_finding	*f = host_finding_add(l, obj, host, how, ip);
	char			*name;
	enum cs_check		 rc;

	if (f != NULL && how == 2)
		f->severity = CS_SEV_NOTICE;
	if ((name = cs_strndup(host, host_len(host))) == NULL)
		return CS_CHECK_FAILED;
	rc = finding_with_fix(f, "add-san", ip ? "ip" : "dns", name);
	free(name);
	return rc;
}

static enum cs_check
check_name_host_coverage(struct cs_lint *l, const struct cs_object *obj)
{
	const char *const	*hosts;
	size_t			 i, n;
	int			 how;

	hosts = cs_lint_hosts(l, &n);
	if (n == 0 || rule_is_ca(obj))
		return CS_CHECK_NA;
	for (i = 0; i < n; i++)
		if ((how = host_covered(obj, hosts[i])) != 1 &&
		    host_finding(l, obj, hosts[i], how) == CS_CHECK_FAILED)
			return CS_CHECK_FAILED;
	return CS_CHECK_RAN;
}

static const struct cs_rule rule_name_host_coverage = {
	.id = "name.host.coverage",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_NAMED,
	.summary = "a --host name or address is not covered by the SANs",
	.citation = "RFC 6125 6.4; RFC 2818 3.1; CA/B Forum BR 7.1.4.2.1",
	.check = check_name_host_coverage,
};

/* --- name.wildcard.coverage ----------------------------------------- */

/* Labels host has in front of base ("a.b" + base: 2), 0 for host == base,
 * -1 when host is not at or under base. */
static int
labels_above(const char *host, size_t hlen, const char *base, size_t blen)
{
	size_t	 i;
	int	 n = 1;

	if (hlen == blen)
		return strncasecmp(host, base, blen) == 0 ? 0 : -1;
	if (hlen < blen + 2 || host[hlen - blen - 1] != '.' ||
	    strncasecmp(host + hlen - blen, base, blen) != 0)
		return -1;
	for (i = 0; i < hlen - blen - 1; i++)
		n += host[i] == '.';
	return n;
}

/* The index of a wildcard SAN that almost covers host, or -1. */
static long
near_wildcard(const struct cs_object *obj, const char *host, int *above)
{
	const struct cs_san	*s;
	size_t			 i;

	for (i = 0; i < obj->n_sans; i++) {
		s = &obj->sans[i];
		if (s->type != CS_SAN_DNS || !clean(s->value, s->value_len) ||
		    s->value_len < 3 || strncmp(s->value, "*.", 2) != 0)
			continue;
		*above = labels_above(host, host_len(host), s->value + 2,
		    s->value_len - 2);
		if (*above == 0 || *above > 1)
			return (long)i;
	}
	return -1;
}

static enum cs_check
near_finding(struct cs_lint *l, const struct cs_object *obj, const char *host,
    long w, int above)
{
	struct cs_finding	*f;
	char			 field[32], *name;
	enum cs_check		 rc;

	snprintf(field, sizeof(field), "sans[%ld]", w);
	f = cs_finding_add(l, obj, field, host, "the wildcard %s does not "
	    "cover %s, which is %s: '*' stands for exactly one left-most label "
	    "(RFC 6125 6.4.3)", obj->sans[w].value, host, above == 0 ?
	    "its base name" : "more than one label below it");
	if ((name = cs_strndup(host, host_len(host))) == NULL)
		return CS_CHECK_FAILED;
	rc = finding_with_fix(f, "add-san", "dns", name);
	free(name);
	return rc;
}

static enum cs_check
check_name_wildcard_coverage(struct cs_lint *l, const struct cs_object *obj)
{
	const char *const	*hosts;
	size_t			 i, n;
	long			 w;
	int			 above;

	hosts = cs_lint_hosts(l, &n);
	if (n == 0 || rule_is_ca(obj) || count_sans(obj, 1, 0) == 0)
		return CS_CHECK_NA;
	for (i = 0; i < n; i++) {
		if (host_covered(obj, hosts[i]) != 0 ||
		    (w = near_wildcard(obj, hosts[i], &above)) < 0)
			continue;
		if (near_finding(l, obj, hosts[i], w, above) == CS_CHECK_FAILED)
			return CS_CHECK_FAILED;
	}
	return CS_CHECK_RAN;
}

static const struct cs_rule rule_name_wildcard_coverage = {
	.id = "name.wildcard.coverage",
	.severity = CS_SEV_WARNING,
	.applies = CS_APPLIES_NAMED,
	.summary = "a --host is the base of a wildcard SAN or more than one "
	    "label below it, which the wildcard does not cover",
	.citation = "RFC 6125 6.4.3; RFC 2818 3.1",
	.check = check_name_wildcard_coverage,
};

/* --- name.san.duplicate --------------------------------------------- */

static int
san_cmp(const void *a, const void *b)
{
	const struct cs_san	*x = *(const struct cs_san *const *)a;
	const struct cs_san	*y = *(const struct cs_san *const *)b;
	size_t			 n = x->value_len < y->value_len ?
				    x->value_len : y->value_len;
	int			 c;

	if (x->type != y->type)
		return x->type < y->type ? -1 : 1;
	if (x->value == NULL || y->value == NULL)
		return x->value != NULL ? 1 : y->value != NULL ? -1 :
		    x < y ? -1 : x > y;
	c = x->type == CS_SAN_DNS ? strncasecmp(x->value, y->value, n) :
	    memcmp(x->value, y->value, n);
	if (c == 0 && x->value_len != y->value_len)
		c = x->value_len < y->value_len ? -1 : 1;
	if (c == 0 && x != y)
		c = x < y ? -1 : 1;	/* first occurrence first */
	return c;
}

static int
san_same(const struct cs_san *x, const struct cs_san *y)
{
	return x->type == y->type && x->value_len == y->value_len &&
	    (x->type == CS_SAN_DNS ?
	    strncasecmp(x->value, y->value, x->value_len) :
	    memcmp(x->value, y->value, x->value_len)) == 0;
}

static enum cs_check
duplicate_finding(struct cs_lint *l, const struct cs_object *obj, size_t i)
{
	static const char *const prefix[] = { "dns", "ip", "email", "uri" };
	const struct cs_san	*s = &obj->sans[i];
	char			 field[32];

	snprintf(field, sizeof(field), "sans[%zu]", i);
	return finding_with_fix(cs_finding_add(l, obj, field, s->value,
	    "the %s SAN '%s' is listed more than once", cs_san_type_name(s->type),
	    printable(s->value, s->value_len) ? s->value : "(unprintable)"),
	    s->type == CS_SAN_OTHER ? NULL : "remove-san",
	    s->type == CS_SAN_OTHER ? "" : prefix[s->type], s->value);
}

static enum cs_check
check_name_san_duplicate(struct cs_lint *l, const struct cs_object *obj)
{
	const struct cs_san	**v;
	size_t			 i;
	enum cs_check		 rc = CS_CHECK_RAN;

	if (obj->n_sans == 0)
		return CS_CHECK_NA;
	if ((v = calloc(obj->n_sans, sizeof(*v))) == NULL)
		return CS_CHECK_FAILED;
	for (i = 0; i < obj->n_sans; i++)
		v[i] = &obj->sans[i];
	qsort(v, obj->n_sans, sizeof(*v), san_cmp);
	for (i = 1; i < obj->n_sans && rc != CS_CHECK_FAILED; i++)
		if (v[i]->value != NULL && v[i - 1]->value != NULL &&
		    san_same(v[i], v[i - 1]))
			rc = duplicate_finding(l, obj, (size_t)(v[i] - obj->sans));
	free(v);
	return rc;
}

static const struct cs_rule rule_name_san_duplicate = {
	.id = "name.san.duplicate",
	.severity = CS_SEV_WARNING,
	.applies = CS_APPLIES_NAMED,
	.summary = "the same SAN is listed twice (DNS names compared "
	    "case-insensitively)",
	.citation = "RFC 5280 4.2.1.6; CA/B Forum BR 7.1.4.2.1",
	.check = check_name_san_duplicate,
};

/* --- name.san.max-count --------------------------------------------- */

static enum cs_check
check_name_san_max_count(struct cs_lint *l, const struct cs_object *obj)
{
	int	 max = cs_lint_params(l)->max_names;
	size_t	 n = count_sans(obj, 1, 1);
	char	 count[32];

	if (n == 0)
		return CS_CHECK_NA;
	if (max <= 0 || n <= (size_t)max)
		return CS_CHECK_RAN;
	snprintf(count, sizeof(count), "%zu", n);
	if (cs_finding_add(l, obj, "sans", count, "%zu DNS and IP names are "
	    "more than the %d the profile allows in one certificate", n,
	    max) == NULL)
		return CS_CHECK_FAILED;
	return CS_CHECK_RAN;
}

static const struct cs_rule rule_name_san_max_count = {
	.id = "name.san.max-count",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_NAMED,
	.summary = "more DNS and IP SANs than the profile's max-names",
	.citation = "CA policy (e.g. Let's Encrypt: 100 names per certificate)",
	.params = "max-names",
	.check = check_name_san_max_count,
};

/* --- name.cn.not-host ----------------------------------------------- */

static const char *
first_dns_san(const struct cs_object *obj)
{
	size_t	 i;

	for (i = 0; i < obj->n_sans; i++)
		if (obj->sans[i].type == CS_SAN_DNS &&
		    printable(obj->sans[i].value, obj->sans[i].value_len) &&
		    dns_syntax_error(obj->sans[i].value,
		    obj->sans[i].value_len) == NULL)
			return obj->sans[i].value;
	return NULL;
}

static enum cs_check
check_name_cn_not_host(struct cs_lint *l, const struct cs_object *obj)
{
	const struct cs_attr	*cn = rule_subject_attr(obj, RULE_OID_CN);
	struct cs_finding	*f;
	const char		*dns;
	char			*fix;
	int			 rc;

	if (cn == NULL || count_sans(obj, 1, 0) == 0)
		return CS_CHECK_NA;
	if (cn_is_ip(cn) || cn_is_hostish(cn) ||
	    (clean(cn->value, cn->value_len) &&
	    dns_syntax_error(cn->value, cn->value_len) == NULL))
		return CS_CHECK_RAN;
	f = cs_finding_value(cs_finding_add(l, obj, "subject.CN", cn->value,
	    "the CN '%s' is neither a host name nor an IP address although the "
	    "object names DNS hosts; CAs drop or reject such a CN for TLS",
	    printable(cn->value, cn->value_len) ? cn->value : "(unprintable)"),
	    cn->value, cn->value_len);
	if (f == NULL)
		return CS_CHECK_FAILED;
	if ((dns = first_dns_san(obj)) == NULL)
		return CS_CHECK_RAN;
	if ((fix = cs_printf("CN=%s", dns)) == NULL)
		return CS_CHECK_FAILED;
	rc = cs_finding_fix(f, "set-subject", fix);
	free(fix);
	return rc == -1 ? CS_CHECK_FAILED : CS_CHECK_RAN;
}

static const struct cs_rule rule_name_cn_not_host = {
	.id = "name.cn.not-host",
	.severity = CS_SEV_NOTICE,
	.applies = CS_APPLIES_NAMED,
	.summary = "the CN is neither a host name nor an IP address although "
	    "there are DNS SANs",
	.citation = "CA/B Forum BR 7.1.4.3; RFC 6125 6.4.4",
	.check = check_name_cn_not_host,
};

const struct cs_rule *const cs_family_name[] = {
	&rule_name_cn_in_san,
	&rule_name_san_missing,
	&rule_name_dns_syntax,
	&rule_name_dns_underscore,
	&rule_name_wildcard_position,
	&rule_name_wildcard_public_suffix,
	&rule_name_idn_invalid,
	&rule_name_internal,
	&rule_name_ip_reserved,
	&rule_name_ip_as_dns,
	&rule_name_email_syntax,
	&rule_name_host_coverage,
	&rule_name_wildcard_coverage,
	&rule_name_san_duplicate,
	&rule_name_san_max_count,
	&rule_name_cn_not_host,
	&rule_name_dns_case,
	NULL,
};

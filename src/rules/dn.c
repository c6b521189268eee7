/* dn.*: the attributes of distinguished names (subject, and issuer). */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/x509.h>

#include "rules/rules-int.h"

#define OID_C		"2.5.4.6"
#define OID_ST		"2.5.4.8"
#define OID_L		"2.5.4.7"
#define OID_O		"2.5.4.10"
#define OID_OU		"2.5.4.11"
#define OID_DC		"0.9.2342.19200300.100.1.25"
#define OID_EMAIL	"1.2.840.113549.1.9.1"
#define OID_SAN		"2.5.29.17"

/* Checks one attribute of the name called `name` ("subject", "issuer");
 * CS_CHECK_NA when the attribute is not of interest. */
typedef enum cs_check (*attr_check)(struct cs_lint *l,
    const struct cs_object *obj, const char *name, const struct cs_attr *a);

static enum cs_check
each_in(struct cs_lint *l, const struct cs_object *obj, const char *name,
    const struct cs_name *dn, attr_check fn)
{
	enum cs_check	 rc = CS_CHECK_NA, r;
	size_t		 i;

	for (i = 0; i < dn->n; i++) {
		if ((r = fn(l, obj, name, &dn->attrs[i])) == CS_CHECK_FAILED)
			return r;
		if (r == CS_CHECK_RAN)
			rc = r;
	}
	return rc;
}

/* Runs fn over the subject and, with issuer set, a certificate's issuer. */
static enum cs_check
each_attr(struct cs_lint *l, const struct cs_object *obj, int issuer,
    attr_check fn)
{
	enum cs_check	 rc, r;

	if ((rc = each_in(l, obj, "subject", &obj->subject, fn)) ==
	    CS_CHECK_FAILED)
		return rc;
	if (!issuer || obj->kind != CS_KIND_CERT || (obj->cert == NULL || rule_self_issued(obj)))
		return rc;
	r = each_in(l, obj, "issuer", &obj->issuer, fn);
	return r == CS_CHECK_NA ? rc : r;
}

static int
is_subject(const char *name)
{
	return strcmp(name, "subject") == 0;
}

static int
has_ctrl(const struct cs_attr *a)
{
	size_t	 i;

	for (i = 0; i < a->value_len; i++)
		if ((unsigned char)a->value[i] < 0x20 ||
		    (unsigned char)a->value[i] == 0x7f)
			return 1;
	return 0;
}

/* The value with control bytes (and NUL) as \xNN, for findings. */
static char *
safe_value(const struct cs_attr *a)
{
	return cs_escape_ctrl(a->value, a->value_len);
}

/* A finding on attribute a of `name`; NULL when out of memory. */
static struct cs_finding *
attr_finding(struct cs_lint *l, const struct cs_object *obj, const char *name,
    const struct cs_attr *a, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

static struct cs_finding *
attr_finding(struct cs_lint *l, const struct cs_object *obj, const char *name,
    const struct cs_attr *a, const char *fmt, ...)
{
	struct cs_finding	*f = NULL;
	va_list			 ap;
	char			*field, *value, *msg;

	va_start(ap, fmt);
	msg = cs_vprintf(fmt, ap);
	va_end(ap);
	field = cs_printf("%s.%s", name, a->type);
	value = safe_value(a);
	if (msg != NULL && field != NULL && value != NULL)
		f = cs_finding_add(l, obj, field, value, "%s", msg);
	free(msg);
	free(field);
	free(value);
	return f;
}

/* Adds a fix whose value is formatted; -1 when out of memory. */
static int
fix_printf(struct cs_finding *f, const char *action, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int
fix_printf(struct cs_finding *f, const char *action, const char *fmt, ...)
{
	va_list	 ap;
	char	*v;
	int	 rc;

	va_start(ap, fmt);
	v = cs_vprintf(fmt, ap);
	va_end(ap);
	rc = v == NULL ? -1 : cs_finding_fix(f, action, v);
	free(v);
	return rc;
}

/* --- dn.country-code ------------------------------------------------- */

static const char *
country_fix(struct cs_lint *l, const char *cc, char up[3])
{
	static const char *const aliases[][2] = {
		{ "UK", "GB" }, { "EL", "GR" },
	};
	size_t		 i;

	for (i = 0; i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strcmp(cc, aliases[i][0]) == 0)
			return aliases[i][1];
	if (strlen(cc) != 2)
		return NULL;
	up[0] = (char)(cc[0] >= 'a' && cc[0] <= 'z' ? cc[0] - 32 : cc[0]);
	up[1] = (char)(cc[1] >= 'a' && cc[1] <= 'z' ? cc[1] - 32 : cc[1]);
	up[2] = '\0';
	return cs_lint_country_known(l, up) == 1 ? up : NULL;
}

/* "EU" is exceptionally reserved in ISO 3166-1, not assigned: some
 * publicly trusted roots carry it, so it is a warning, not an error. */
static enum cs_check
country_eu(struct cs_lint *l, const struct cs_object *obj, const char *name,
    const struct cs_attr *a)
{
	struct cs_finding	*f;

	f = attr_finding(l, obj, name, a, "EU is an exceptionally reserved "
	    "ISO 3166-1 code, not an assigned country code; the CA/B Forum "
	    "requirements accept only assigned codes");
	if (f == NULL)
		return CS_CHECK_FAILED;
	if (f->severity > CS_SEV_WARNING)
		f->severity = CS_SEV_WARNING;
	return CS_CHECK_RAN;
}

static enum cs_check
attr_country_code(struct cs_lint *l, const struct cs_object *obj,
    const char *name, const struct cs_attr *a)
{
	struct cs_finding	*f;
	const char		*fix;
	char			 up[3];
	int			 known;

	if (strcmp(a->oid, OID_C) != 0)
		return CS_CHECK_NA;
	known = a->value_len == strlen(a->value) ?
	    cs_lint_country_known(l, a->value) : 0;
	if (known == -1)
		return CS_CHECK_FAILED;
	if (known == 1)
		return CS_CHECK_RAN;
	if (strcmp(a->value, "EU") == 0)
		return country_eu(l, obj, name, a);
	f = attr_finding(l, obj, name, a, "the country is not an ISO 3166-1 "
	    "alpha-2 code (two upper-case letters, e.g. GB, US, DE); CAs "
	    "reject the name");
	if (f == NULL)
		return CS_CHECK_FAILED;
	fix = a->value_len == strlen(a->value) ?
	    country_fix(l, a->value, up) : NULL;
	if (fix != NULL && is_subject(name) &&
	    fix_printf(f, "set-subject", "C=%s", fix) == -1)
		return CS_CHECK_FAILED;
	return CS_CHECK_RAN;
}

static enum cs_check
check_dn_country_code(struct cs_lint *l, const struct cs_object *obj)
{
	return each_attr(l, obj, 1, attr_country_code);
}

static const struct cs_rule rule_dn_country_code = {
	.id = "dn.country-code",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_NAMED,
	.summary = "the countryName is not an ISO 3166-1 alpha-2 code",
	.citation = "RFC 5280 Appendix A (X520countryName); ISO 3166-1; "
	    "CA/B Forum BR 7.1.4.2",
	.check = check_dn_country_code,
};

/* --- dn.state-abbrev ------------------------------------------------- */

static const char *const us_states[][2] = {
	{ "AL", "Alabama" }, { "AK", "Alaska" }, { "AZ", "Arizona" },
	{ "AR", "Arkansas" }, { "CA", "California" }, { "CO", "Colorado" },
	{ "CT", "Connecticut" }, { "DE", "Delaware" },
	{ "DC", "District of Columbia" }, { "FL", "Florida" },
	{ "GA", "Georgia" }, { "HI", "Hawaii" }, { "ID", "Idaho" },
	{ "IL", "Illinois" }, { "IN", "Indiana" }, { "IA", "Iowa" },
	{ "KS", "Kansas" }, { "KY", "Kentucky" }, { "LA", "Louisiana" },
	{ "ME", "Maine" }, { "MD", "Maryland" }, { "MA", "Massachusetts" },
	{ "MI", "Michigan" }, { "MN", "Minnesota" }, { "MS", "Mississippi" },
	{ "MO", "Missouri" }, { "MT", "Montana" }, { "NE", "Nebraska" },
	{ "NV", "Nevada" }, { "NH", "New Hampshire" }, { "NJ", "New Jersey" },
	{ "NM", "New Mexico" }, { "NY", "New York" },
	{ "NC", "North Carolina" }, { "ND", "North Dakota" }, { "OH", "Ohio" },
	{ "OK", "Oklahoma" }, { "OR", "Oregon" }, { "PA", "Pennsylvania" },
	{ "RI", "Rhode Island" }, { "SC", "South Carolina" },
	{ "SD", "South Dakota" }, { "TN", "Tennessee" }, { "TX", "Texas" },
	{ "UT", "Utah" }, { "VT", "Vermont" }, { "VA", "Virginia" },
	{ "WA", "Washington" }, { "WV", "West Virginia" },
	{ "WI", "Wisconsin" }, { "WY", "Wyoming" },
};

static const char *
us_state_name(const struct cs_object *obj, const char *code)
{
	const struct cs_attr	*c = rule_subject_attr(obj, OID_C);
	size_t			 i;

	if (c != NULL && strcmp(c->value, "US") != 0)
		return NULL;
	for (i = 0; i < sizeof(us_states) / sizeof(us_states[0]); i++)
		if (strcmp(us_states[i][0], code) == 0)
			return us_states[i][1];
	return NULL;
}

static int
all_letters(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if (!((s[i] >= 'A' && s[i] <= 'Z') ||
		    (s[i] >= 'a' && s[i] <= 'z')))
			return 0;
	return 1;
}

static enum cs_check
attr_state_abbrev(struct cs_lint *l, const struct cs_object *obj,
    const char *name, const struct cs_attr *a)
{
	struct cs_finding	*f;
	const char		*full;

	if (strcmp(a->oid, OID_ST) != 0)
		return CS_CHECK_NA;
	if (a->value_len < 2 || a->value_len > 3 ||
	    !all_letters(a->value, a->value_len))
		return CS_CHECK_RAN;
	f = attr_finding(l, obj, name, a, "the state or province looks "
	    "like an abbreviation; the Baseline Requirements ask for its full "
	    "name");
	if (f == NULL)
		return CS_CHECK_FAILED;
	full = us_state_name(obj, a->value);
	if (full != NULL && fix_printf(f, "set-subject", "ST=%s", full) == -1)
		return CS_CHECK_FAILED;
	return CS_CHECK_RAN;
}

static enum cs_check
check_dn_state_abbrev(struct cs_lint *l, const struct cs_object *obj)
{
	return each_attr(l, obj, 0, attr_state_abbrev);
}

static const struct cs_rule rule_dn_state_abbrev = {
	.id = "dn.state-abbrev",
	.severity = CS_SEV_WARNING,
	.applies = CS_APPLIES_NAMED,
	.summary = "the stateOrProvinceName is an abbreviation, not the full "
	    "name",
	.citation = "CA/B Forum BR 7.1.4.2.2 (stateOrProvinceName)",
	.check = check_dn_state_abbrev,
};

/* --- dn.openssl-default ---------------------------------------------- */

/* Answers left at the defaults of openssl.cnf's prompts (upstream and
 * Red Hat's). C "AU" is a default only next to one of the others. */
static const char *const placeholders[][2] = {
	{ OID_ST, "Some-State" },
	{ OID_O, "Internet Widgits Pty Ltd" },
	{ OID_L, "Default City" },
	{ OID_O, "Default Company Ltd" },
	{ OID_C, "XX" },
};

static int
is_placeholder(const struct cs_attr *a)
{
	size_t	 i;

	for (i = 0; i < sizeof(placeholders) / sizeof(placeholders[0]); i++)
		if (strcmp(a->oid, placeholders[i][0]) == 0 &&
		    a->value_len == strlen(placeholders[i][1]) &&
		    strcmp(a->value, placeholders[i][1]) == 0)
			return 1;
	return 0;
}

static int
has_upstream_default(const struct cs_object *obj)
{
	const struct cs_attr	*st = rule_subject_attr(obj, OID_ST);
	const struct cs_attr	*o = rule_subject_attr(obj, OID_O);

	return (st != NULL && strcmp(st->value, "Some-State") == 0) ||
	    (o != NULL && strcmp(o->value, "Internet Widgits Pty Ltd") == 0);
}

static enum cs_check
attr_openssl_default(struct cs_lint *l, const struct cs_object *obj,
    const char *name, const struct cs_attr *a)
{
	struct cs_finding	*f;

	if (!is_placeholder(a) && !(strcmp(a->oid, OID_C) == 0 &&
	    strcmp(a->value, "AU") == 0 && has_upstream_default(obj)))
		return CS_CHECK_RAN;
	f = attr_finding(l, obj, name, a, "'%s' is the default answer of "
	    "OpenSSL's prompt, not information about the subject; CAs reject "
	    "or drop it", a->value);
	if (f == NULL || fix_printf(f, "remove-subject", "%s", a->type) == -1)
		return CS_CHECK_FAILED;
	return CS_CHECK_RAN;
}

static enum cs_check
check_dn_openssl_default(struct cs_lint *l, const struct cs_object *obj)
{
	return obj->subject.n == 0 ? CS_CHECK_NA :
	    each_attr(l, obj, 0, attr_openssl_default);
}

static const struct cs_rule rule_dn_openssl_default = {
	.id = "dn.openssl-default",
	.severity = CS_SEV_WARNING,
	.applies = CS_APPLIES_NAMED,
	.summary = "the subject holds OpenSSL's prompt defaults (Some-State, "
	    "Internet Widgits Pty Ltd, XX, ...)",
	.citation = "CA/B Forum BR 7.1.4.2 (subject information must be "
	    "verified); openssl.cnf req_distinguished_name defaults",
	.check = check_dn_openssl_default,
};

/* --- dn.empty-value -------------------------------------------------- */

static enum cs_check
attr_empty_value(struct cs_lint *l, const struct cs_object *obj,
    const char *name, const struct cs_attr *a)
{
	struct cs_finding	*f;

	if (a->value_len > 0)
		return CS_CHECK_RAN;
	f = attr_finding(l, obj, name, a, "the attribute %s has an empty "
	    "value; X.520 attributes need at least one character and strict "
	    "parsers reject the name", a->type);
	if (f == NULL)
		return CS_CHECK_FAILED;
	if (is_subject(name) && fix_printf(f, "remove-subject", "%s",
	    a->type) == -1)
		return CS_CHECK_FAILED;
	return CS_CHECK_RAN;
}

static enum cs_check
check_dn_empty_value(struct cs_lint *l, const struct cs_object *obj)
{
	return each_attr(l, obj, 1, attr_empty_value);
}

static const struct cs_rule rule_dn_empty_value = {
	.id = "dn.empty-value",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_NAMED,
	.summary = "an attribute of the name has an empty value",
	.citation = "RFC 5280 Appendix A (SIZE (1..ub-...)); CA/B Forum BR "
	    "7.1.4.2",
	.check = check_dn_empty_value,
};

/* --- dn.whitespace --------------------------------------------------- */

static int
double_space(const struct cs_attr *a)
{
	size_t	 i;

	for (i = 1; i < a->value_len; i++)
		if (a->value[i] == ' ' && a->value[i - 1] == ' ')
			return 1;
	return 0;
}

/* The value trimmed, inner runs of spaces collapsed. */
static char *
tidy(const struct cs_attr *a)
{
	char	*out, *p;
	size_t	 i;

	if ((out = malloc(a->value_len + 1)) == NULL)
		return NULL;
	for (i = 0, p = out; i < a->value_len; i++)
		if (a->value[i] != ' ' || (p > out && p[-1] != ' '))
			*p++ = a->value[i];
	while (p > out && p[-1] == ' ')
		p--;
	*p = '\0';
	return out;
}

static int
whitespace_fix(struct cs_finding *f, const struct cs_attr *a)
{
	char	*v;
	int	 rc;

	if (has_ctrl(a) || (v = tidy(a)) == NULL)
		return has_ctrl(a) ? 0 : -1;
	rc = *v == '\0' ? fix_printf(f, "remove-subject", "%s", a->type) :
	    fix_printf(f, "set-subject", "%s=%s", a->type, v);
	free(v);
	return rc;
}

static enum cs_check
attr_whitespace(struct cs_lint *l, const struct cs_object *obj,
    const char *name, const struct cs_attr *a)
{
	struct cs_finding	*f;
	int			 edge;

	edge = a->value_len > 0 && (a->value[0] == ' ' ||
	    a->value[a->value_len - 1] == ' ');
	if (!edge && !double_space(a))
		return CS_CHECK_RAN;
	f = attr_finding(l, obj, name, a, edge ? "the value of %s has leading "
	    "or trailing spaces; name matching and display differ between "
	    "implementations" : "the value of %s holds doubled spaces",
	    a->type);
	if (f == NULL)
		return CS_CHECK_FAILED;
	if (!edge && f->severity > CS_SEV_NOTICE)
		f->severity = CS_SEV_NOTICE;
	if (is_subject(name) && whitespace_fix(f, a) == -1)
		return CS_CHECK_FAILED;
	return CS_CHECK_RAN;
}

static enum cs_check
check_dn_whitespace(struct cs_lint *l, const struct cs_object *obj)
{
	return each_attr(l, obj, 0, attr_whitespace);
}

static const struct cs_rule rule_dn_whitespace = {
	.id = "dn.whitespace",
	.severity = CS_SEV_WARNING,
	.applies = CS_APPLIES_NAMED,
	.summary = "a value of the subject has leading, trailing or doubled "
	    "spaces",
	.citation = "CA/B Forum BR 7.1.4.2 (no meaningless metadata); RFC 4518 "
	    "2.6 (insignificant space handling)",
	.check = check_dn_whitespace,
};

/* --- dn.length ------------------------------------------------------- */

/* RFC 5280 Appendix A upper bounds, in characters; 0: the CN (profile). */
static const struct {
	const char	*oid;
	size_t		 max;
} bounds[] = {
	{ RULE_OID_CN, 0 },
	{ "2.5.4.4", 32768 },	/* surname, ub-name */
	{ "2.5.4.42", 32768 },	/* givenName */
	{ "2.5.4.43", 32768 },	/* initials */
	{ "2.5.4.44", 32768 },	/* generationQualifier */
	{ OID_L, 128 },
	{ OID_ST, 128 },
	{ OID_O, 64 },
	{ OID_OU, 64 },
	{ "2.5.4.12", 64 },	/* title */
	{ "2.5.4.5", 64 },	/* serialNumber */
	{ "2.5.4.65", 128 },	/* pseudonym */
	{ OID_EMAIL, 255 },
};

static size_t
utf8_chars(const struct cs_attr *a)
{
	size_t	 i, n = 0;

	for (i = 0; i < a->value_len; i++)
		if (((unsigned char)a->value[i] & 0xc0) != 0x80)
			n++;
	return n;
}

static size_t
bound_of(const struct cs_lint *l, const char *oid)
{
	size_t	 i;

	for (i = 0; i < sizeof(bounds) / sizeof(bounds[0]); i++)
		if (strcmp(bounds[i].oid, oid) == 0)
			return bounds[i].max != 0 ? bounds[i].max :
			    (size_t)cs_lint_params(l)->cn_max_len;
	return 0;
}

static enum cs_check
attr_length(struct cs_lint *l, const struct cs_object *obj,
    const char *name, const struct cs_attr *a)
{
	size_t	 max, n = utf8_chars(a);

	if (strcmp(a->oid, OID_C) == 0)
		return n == 2 ? CS_CHECK_RAN : rule_done(attr_finding(l, obj, name,
		    a, "the country has %zu characters; it must be exactly 2",
		    n));
	if ((max = bound_of(l, a->oid)) == 0)
		return CS_CHECK_NA;
	if (n <= max)
		return CS_CHECK_RAN;
	return rule_done(attr_finding(l, obj, name, a, "the %s has %zu characters, "
	    "more than the upper bound of %zu; CAs reject or truncate it",
	    a->type, n, max));
}

static enum cs_check
check_dn_length(struct cs_lint *l, const struct cs_object *obj)
{
	return each_attr(l, obj, 1, attr_length);
}

static const struct cs_rule rule_dn_length = {
	.id = "dn.length",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_NAMED,
	.summary = "an attribute is longer than its RFC 5280 upper bound "
	    "(CN 64, O 64, OU 64, L 128, ST 128, emailAddress 255, C 2)",
	.citation = "RFC 5280 Appendix A (ub-* upper bounds)",
	.params = "cn-max-length",
	.check = check_dn_length,
};

/* --- dn.printable-charset -------------------------------------------- */

static int
printable(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
	    (c >= '0' && c <= '9') || (c != '\0' && strchr(" '()+,-./:=?", c)
	    != NULL);
}

static enum cs_check
attr_printable_charset(struct cs_lint *l, const struct cs_object *obj,
    const char *name, const struct cs_attr *a)
{
	size_t	 i;

	if (strcmp(a->string_type, "PrintableString") != 0)
		return CS_CHECK_NA;
	for (i = 0; i < a->value_len; i++)
		if (!printable((unsigned char)a->value[i]))
			break;
	if (i == a->value_len)
		return CS_CHECK_RAN;
	return rule_done(attr_finding(l, obj, name, a, "the %s is a PrintableString "
	    "but holds '%c' (byte 0x%02x), outside its character set; strict "
	    "parsers reject the name", a->type,
	    (unsigned char)a->value[i] >= 0x20 &&
	    (unsigned char)a->value[i] < 0x7f ? a->value[i] : '?',
	    (unsigned char)a->value[i]));
}

static enum cs_check
check_dn_printable_charset(struct cs_lint *l, const struct cs_object *obj)
{
	return each_attr(l, obj, 1, attr_printable_charset);
}

static const struct cs_rule rule_dn_printable_charset = {
	.id = "dn.printable-charset",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_NAMED,
	.summary = "a PrintableString holds characters outside its set",
	.citation = "X.680 41.4 (PrintableString); RFC 5280 4.1.2.4",
	.check = check_dn_printable_charset,
};

/* --- dn.deprecated-string-type --------------------------------------- */

static enum cs_check
attr_deprecated_string_type(struct cs_lint *l, const struct cs_object *obj,
    const char *name, const struct cs_attr *a)
{
	struct cs_finding	*f;

	if (strcmp(a->string_type, "TeletexString") != 0 &&
	    strcmp(a->string_type, "BMPString") != 0 &&
	    strcmp(a->string_type, "UniversalString") != 0)
		return CS_CHECK_RAN;
	f = attr_finding(l, obj, name, a, "the %s is encoded as %s; new "
	    "certificates must use UTF8String or PrintableString", a->type,
	    a->string_type);
	if (f == NULL)
		return CS_CHECK_FAILED;
	if (a->value[0] != '#' && !has_ctrl(a) &&
	    fix_printf(f, "set-subject", "%s=%s", a->type, a->value) == -1)
		return CS_CHECK_FAILED;
	return CS_CHECK_RAN;
}

static enum cs_check
check_dn_deprecated_string_type(struct cs_lint *l, const struct cs_object *obj)
{
	/* Not the issuer: it must repeat the CA's subject byte for byte. */
	return obj->subject.n == 0 ? CS_CHECK_NA :
	    each_attr(l, obj, 0, attr_deprecated_string_type);
}

static const struct cs_rule rule_dn_deprecated_string_type = {
	.id = "dn.deprecated-string-type",
	.severity = CS_SEV_WARNING,
	.applies = CS_APPLIES_NAMED,
	.summary = "a subject attribute is a TeletexString, BMPString or "
	    "UniversalString",
	.citation = "RFC 5280 4.1.2.4 (DirectoryString)",
	.check = check_dn_deprecated_string_type,
};

/* --- dn.string-type ------------------------------------------------- */

/* Attributes whose ASN.1 syntax admits one string type only. */
static const char *const fixed_types[][2] = {
	{ OID_C, "PrintableString" },		/* RFC 5280 X520countryName */
	{ "2.5.4.5", "PrintableString" },	/* X520SerialNumber */
	{ "2.5.4.46", "PrintableString" },	/* X520dnQualifier */
	{ OID_EMAIL, "IA5String" },		/* RFC 5280 EmailAddress */
	{ OID_DC, "IA5String" },		/* RFC 4519 2.4 */
};

static const char *
fixed_type(const char *oid)
{
	size_t	 i;

	for (i = 0; i < sizeof(fixed_types) / sizeof(fixed_types[0]); i++)
		if (strcmp(fixed_types[i][0], oid) == 0)
			return fixed_types[i][1];
	return NULL;
}

static enum cs_check
attr_string_type(struct cs_lint *l, const struct cs_object *obj,
    const char *name, const struct cs_attr *a)
{
	struct cs_finding	*f;
	const char		*want = fixed_type(a->oid);

	if (want == NULL)
		return CS_CHECK_NA;
	if (strcmp(a->string_type, want) == 0)
		return CS_CHECK_RAN;
	f = attr_finding(l, obj, name, a, "the %s is encoded as %s; its "
	    "syntax allows only %s, and strict parsers reject the name",
	    a->type, a->string_type, want);
	if (f == NULL)
		return CS_CHECK_FAILED;
	/* emailAddress: dn.email-in-subject removes it instead. */
	if (a->value[0] != '#' && !has_ctrl(a) &&
	    strcmp(a->oid, OID_EMAIL) != 0 &&
	    fix_printf(f, "set-subject", "%s=%s", a->type, a->value) == -1)
		return CS_CHECK_FAILED;
	return CS_CHECK_RAN;
}

static enum cs_check
check_dn_string_type(struct cs_lint *l, const struct cs_object *obj)
{
	/* Not the issuer: it must repeat the CA's subject byte for byte. */
	return each_attr(l, obj, 0, attr_string_type);
}

static const struct cs_rule rule_dn_string_type = {
	.id = "dn.string-type",
	.severity = CS_SEV_WARNING,
	.applies = CS_APPLIES_NAMED,
	.summary = "an attribute with a fixed syntax has the wrong string type "
	    "(C, serialNumber, dnQualifier: PrintableString; emailAddress, "
	    "DC: IA5String)",
	.citation = "RFC 5280 Appendix A; RFC 4519 2.4",
	.check = check_dn_string_type,
};

/* --- dn.duplicate-attr ----------------------------------------------- */

static int
repeatable(const char *oid)
{
	return strcmp(oid, OID_DC) == 0 || strcmp(oid, OID_OU) == 0;
}

static enum cs_check
check_dn_duplicate_attr(struct cs_lint *l, const struct cs_object *obj)
{
	const struct cs_name	*dn = &obj->subject;
	size_t			 i, j;

	if (dn->n == 0)
		return CS_CHECK_NA;
	for (i = 1; i < dn->n; i++) {
		if (repeatable(dn->attrs[i].oid))
			continue;
		for (j = 0; j < i; j++)
			if (strcmp(dn->attrs[i].oid, dn->attrs[j].oid) == 0)
				break;
		if (j < i && attr_finding(l, obj, "subject", &dn->attrs[i],
		    "the subject holds %s more than once; CAs take one of them "
		    "or reject the request", dn->attrs[i].type) == NULL)
			return CS_CHECK_FAILED;
	}
	return CS_CHECK_RAN;
}

static const struct cs_rule rule_dn_duplicate_attr = {
	.id = "dn.duplicate-attr",
	.severity = CS_SEV_WARNING,
	.applies = CS_APPLIES_NAMED,
	.summary = "the subject holds the same attribute type more than once "
	    "(other than OU and DC)",
	.citation = "CA/B Forum BR 7.1.4.2 (each attribute at most once)",
	.check = check_dn_duplicate_attr,
};

/* --- dn.email-in-subject --------------------------------------------- */

static int
in_email_sans(const struct cs_object *obj, const char *mail)
{
	size_t	 i;

	for (i = 0; i < obj->n_sans; i++)
		if (obj->sans[i].type == CS_SAN_EMAIL &&
		    strcmp(obj->sans[i].value, mail) == 0)
			return 1;
	return 0;
}

static enum cs_check
attr_email_in_subject(struct cs_lint *l, const struct cs_object *obj,
    const char *name, const struct cs_attr *a)
{
	struct cs_finding	*f = NULL;
	char			*mail;

	if (strcmp(a->oid, OID_EMAIL) != 0)
		return CS_CHECK_RAN;
	if ((mail = safe_value(a)) == NULL)
		return CS_CHECK_FAILED;
	if (in_email_sans(obj, a->value))
		f = attr_finding(l, obj, name, a, "the subject holds the "
		    "deprecated emailAddress attribute; the address is already "
		    "an rfc822Name SAN, drop it from the subject");
	else
		f = attr_finding(l, obj, name, a, "the subject holds the "
		    "deprecated emailAddress attribute; put the address in an "
		    "rfc822Name SAN instead (add-san email:%s)", mail);
	free(mail);
	if (f == NULL || fix_printf(f, "remove-subject", "emailAddress") == -1)
		return CS_CHECK_FAILED;
	return CS_CHECK_RAN;
}

static enum cs_check
check_dn_email_in_subject(struct cs_lint *l, const struct cs_object *obj)
{
	return obj->subject.n == 0 ? CS_CHECK_NA :
	    each_attr(l, obj, 0, attr_email_in_subject);
}

static const struct cs_rule rule_dn_email_in_subject = {
	.id = "dn.email-in-subject",
	.severity = CS_SEV_WARNING,
	.applies = CS_APPLIES_NAMED,
	.summary = "the subject holds emailAddress (belongs in an rfc822Name "
	    "SAN)",
	.citation = "RFC 5280 4.1.2.6; CA/B Forum BR 7.1.4.2",
	.check = check_dn_email_in_subject,
};

/* --- dn.empty-subject ------------------------------------------------ */

static enum cs_check
check_dn_empty_subject(struct cs_lint *l, const struct cs_object *obj)
{
	const struct cs_ext	*san = rule_ext(obj, OID_SAN);

	if (obj->subject.n > 0)
		return CS_CHECK_RAN;
	if (obj->kind == CS_KIND_CERT) {
		if (san != NULL && san->critical)
			return CS_CHECK_RAN;
		return rule_done(cs_finding_add(l, obj, "subject", NULL, "the "
		    "subject is empty but there is no critical subjectAltName "
		    "extension to name the subject"));
	}
	return rule_done(cs_finding_add(l, obj, "subject", NULL, "the request's "
	    "subject is empty; many CAs and tools need at least a CN%s",
	    san == NULL ? ", and without SANs nothing names the subject at "
	    "all" : ""));
}

static const struct cs_rule rule_dn_empty_subject = {
	.id = "dn.empty-subject",
	.severity = CS_SEV_WARNING,
	.applies = CS_APPLIES_NAMED,
	.summary = "the subject is empty (in a CSR, or in a certificate "
	    "without a critical SAN)",
	.citation = "RFC 5280 4.1.2.6 and 4.2.1.6",
	.check = check_dn_empty_subject,
};

/* --- dn.control-chars ------------------------------------------------ */

static enum cs_check
attr_control_chars(struct cs_lint *l, const struct cs_object *obj,
    const char *name, const struct cs_attr *a)
{
	if (!has_ctrl(a))
		return CS_CHECK_RAN;
	return rule_done(attr_finding(l, obj, name, a, "the %s holds control "
	    "characters or NUL; such names display one thing and compare as "
	    "another (a classic spoofing trick)", a->type));
}

static enum cs_check
check_dn_control_chars(struct cs_lint *l, const struct cs_object *obj)
{
	return each_attr(l, obj, 1, attr_control_chars);
}

static const struct cs_rule rule_dn_control_chars = {
	.id = "dn.control-chars",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_NAMED,
	.summary = "a value of the name holds control characters or NUL",
	.citation = "RFC 5280 4.1.2.4; RFC 4518 2.2 (prohibited characters)",
	.check = check_dn_control_chars,
};

/* --- dn.multivalued-rdn ---------------------------------------------- */

static enum cs_check
check_dn_multivalued_rdn(struct cs_lint *l, const struct cs_object *obj)
{
	const struct cs_name	*dn = &obj->subject;
	size_t			 i;

	if (dn->n == 0)
		return CS_CHECK_NA;
	for (i = 1; i < dn->n; i++)
		if (dn->attrs[i].rdn == dn->attrs[i - 1].rdn)
			return rule_done(attr_finding(l, obj, "subject",
			    &dn->attrs[i], "%s shares a relative "
			    "distinguished name with %s (a multi-valued RDN); "
			    "each RDN should hold one attribute",
			    dn->attrs[i].type, dn->attrs[i - 1].type));
	return CS_CHECK_RAN;
}

static const struct cs_rule rule_dn_multivalued_rdn = {
	.id = "dn.multivalued-rdn",
	.severity = CS_SEV_WARNING,
	.applies = CS_APPLIES_NAMED,
	.summary = "the subject has a relative distinguished name with more "
	    "than one attribute",
	.citation = "CA/B Forum BR 7.1.4.1 (one AttributeTypeAndValue per RDN)",
	.check = check_dn_multivalued_rdn,
};

const struct cs_rule *const cs_family_dn[] = {
	&rule_dn_country_code,
	&rule_dn_state_abbrev,
	&rule_dn_openssl_default,
	&rule_dn_empty_value,
	&rule_dn_whitespace,
	&rule_dn_length,
	&rule_dn_printable_charset,
	&rule_dn_deprecated_string_type,
	&rule_dn_string_type,
	&rule_dn_duplicate_attr,
	&rule_dn_email_in_subject,
	&rule_dn_empty_subject,
	&rule_dn_control_chars,
	&rule_dn_multivalued_rdn,
	NULL,
};

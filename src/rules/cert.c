/* cert.*: certificate validity, serial and extensions. */
#include "config.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/x509v3.h>

#include "rules/rules-int.h"

#define DAY		86400
/* The ceiling for TLS server certificates when the profile sets none:
 * CA/B Forum BR 6.3.2 as of 2018-03-01 (ballot 193). */
#define TLS_DEFAULT_MAX_DAYS	825
/* RFC 5280 4.1.2.2: at most 20 octets. */
#define SERIAL_MAX_OCTETS	20
/* CA/B Forum BR 7.1: at least 64 bits of CSPRNG output. */
#define SERIAL_MIN_OCTETS	8

#define OID_BC		"2.5.29.19"
#define OID_SKI		"2.5.29.14"
#define OID_AKI		"2.5.29.35"

/*
 * The extensions are decoded here rather than read from OpenSSL's cached
 * flags: X509_get_key_usage() and friends answer 0 or NULL for any
 * certificate OpenSSL considers invalid (an empty keyUsage, a duplicate
 * extension), which would make one defect look like several.
 */
static BASIC_CONSTRAINTS *
cert_bc(const struct cs_object *obj)
{
	BASIC_CONSTRAINTS	*bc;

	bc = X509_get_ext_d2i(obj->cert, NID_basic_constraints, NULL, NULL);
	ERR_clear_error();
	return bc;
}

/* pathLenConstraint, or -1 when absent. */
static long
cert_pathlen(const struct cs_object *obj)
{
	BASIC_CONSTRAINTS	*bc;
	long			 n = -1;

	if ((bc = cert_bc(obj)) == NULL)
		return -1;
	if (bc->pathlen != NULL)
		n = ASN1_INTEGER_get(bc->pathlen);
	BASIC_CONSTRAINTS_free(bc);
	return n;
}

/* The KU_* value of keyUsage bit number `bit` (0: digitalSignature). */
static long
ku_mask(size_t bit)
{
	return bit < 8 ? 0x80L >> bit : 0x8000L;
}

/* Key usage bits (KU_*), or -1 when the certificate has no keyUsage. */
static long
cert_ku(const struct cs_object *obj)
{
	ASN1_BIT_STRING	*ku;
	long		 bits = 0;
	size_t		 i;

	if (obj->cert == NULL || (ku = X509_get_ext_d2i(obj->cert,
	    NID_key_usage, NULL, NULL)) == NULL) {
		ERR_clear_error();
		return -1;
	}
	for (i = 0; i < 9; i++)
		if (ASN1_BIT_STRING_get_bit(ku, (int)i))
			bits |= ku_mask(i);
	ASN1_BIT_STRING_free(ku);
	return bits;
}

/* XKU_SSL_SERVER / XKU_ANYEKU of the extendedKeyUsage, or -1 without it. */
static long
cert_xku(const struct cs_object *obj)
{
	EXTENDED_KEY_USAGE	*eku;
	long			 bits = 0;
	int			 i;

	if (obj->cert == NULL || (eku = X509_get_ext_d2i(obj->cert,
	    NID_ext_key_usage, NULL, NULL)) == NULL) {
		ERR_clear_error();
		return -1;
	}
	for (i = 0; i < sk_ASN1_OBJECT_num(eku); i++) {
		int nid = OBJ_obj2nid(sk_ASN1_OBJECT_value(eku, i));

		bits |= nid == NID_server_auth ? XKU_SSL_SERVER :
		    nid == NID_anyExtendedKeyUsage ? XKU_ANYEKU : 0;
	}
	EXTENDED_KEY_USAGE_free(eku);
	return bits;
}

/* --- validity ------------------------------------------------------- */

static enum cs_check
check_cert_validity_expired(struct cs_lint *l, const struct cs_object *obj)
{
	if (!obj->validity.present)
		return CS_CHECK_FAILED;
	if (obj->validity.not_after >= cs_lint_now(l))
		return CS_CHECK_RAN;
	return cs_finding_add(l, obj, "validity.not_after",
	    obj->validity.not_after_str, "the certificate expired on %s",
	    obj->validity.not_after_str) == NULL ?
	    CS_CHECK_FAILED : CS_CHECK_RAN;
}

static const struct cs_rule rule_cert_validity_expired = {
	.id = "cert.validity.expired",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_CERT,
	.summary = "notAfter is before the evaluation time",
	.citation = "RFC 5280 4.1.2.5",
	.check = check_cert_validity_expired,
};

static enum cs_check
check_cert_validity_not_yet_valid(struct cs_lint *l,
    const struct cs_object *obj)
{
	if (!obj->validity.present)
		return CS_CHECK_FAILED;
	if (obj->validity.not_before <= cs_lint_now(l))
		return CS_CHECK_RAN;
	return rule_done(cs_finding_add(l, obj, "validity.not_before",
	    obj->validity.not_before_str,
	    "the certificate is not valid before %s; relying parties reject "
	    "it until then", obj->validity.not_before_str));
}

static const struct cs_rule rule_cert_validity_not_yet_valid = {
	.id = "cert.validity.not-yet-valid",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_CERT,
	.summary = "notBefore is after the evaluation time",
	.citation = "RFC 5280 4.1.2.5",
	.check = check_cert_validity_not_yet_valid,
};

static enum cs_check
check_cert_validity_expiring(struct cs_lint *l, const struct cs_object *obj)
{
	int64_t	 now = cs_lint_now(l), left;
	int	 days = cs_lint_params(l)->expiring_days;

	if (!obj->validity.present)
		return CS_CHECK_FAILED;
	left = obj->validity.not_after - now;
	if (days <= 0 || left < 0 || left > (int64_t)days * DAY)
		return CS_CHECK_RAN;
	return rule_done(cs_finding_add(l, obj, "validity.not_after",
	    obj->validity.not_after_str,
	    "the certificate expires on %s, in %lld day(s), within the "
	    "%d-day renewal window", obj->validity.not_after_str,
	    (long long)(left / DAY), days));
}

static const struct cs_rule rule_cert_validity_expiring = {
	.id = "cert.validity.expiring",
	.severity = CS_SEV_WARNING,
	.applies = CS_APPLIES_CERT,
	.summary = "notAfter falls within the renewal window (--expiring DAYS)",
	.citation = "RFC 5280 4.1.2.5",
	.params = "expiring-days",
	.check = check_cert_validity_expiring,
};

static int
cert_tls_server_ee(const struct cs_object *obj)
{
	long	 xku = cert_xku(obj);

	return xku > 0 && (xku & XKU_SSL_SERVER) && !rule_is_ca(obj);
}

static enum cs_check
check_cert_validity_too_long(struct cs_lint *l, const struct cs_object *obj)
{
	int	 limit = cs_lint_params(l)->max_validity_days;
	int64_t	 period;

	if (!obj->validity.present)
		return CS_CHECK_FAILED;
	if (rule_is_ca(obj))
		return CS_CHECK_NA;
	if (limit <= 0 && cert_tls_server_ee(obj))
		limit = TLS_DEFAULT_MAX_DAYS;
	/* BR 1.6.1: the period includes both notBefore and notAfter. */
	period = obj->validity.not_after - obj->validity.not_before + 1;
	if (limit <= 0 || period <= (int64_t)limit * DAY)
		return CS_CHECK_RAN;
	return rule_done(cs_finding_add(l, obj, "validity.not_after",
	    obj->validity.not_after_str,
	    "the validity period of %lld day(s) exceeds the maximum of %d "
	    "days; clients refuse longer-lived certificates",
	    (long long)((period + DAY - 1) / DAY), limit));
}

static const struct cs_rule rule_cert_validity_too_long = {
	.id = "cert.validity.too-long",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_CERT,
	.summary = "end-entity validity period longer than max-validity-days "
	    "(825 days for TLS servers when the profile sets none)",
	.citation = "CA/B Forum BR 6.3.2",
	.params = "max-validity-days",
	.check = check_cert_validity_too_long,
};

static enum cs_check
check_cert_validity_inverted(struct cs_lint *l, const struct cs_object *obj)
{
	if (!obj->validity.present)
		return CS_CHECK_FAILED;
	if (obj->validity.not_before <= obj->validity.not_after)
		return CS_CHECK_RAN;
	return rule_done(cs_finding_add(l, obj, "validity.not_before",
	    obj->validity.not_before_str,
	    "notBefore (%s) is after notAfter (%s): the certificate is never "
	    "valid", obj->validity.not_before_str,
	    obj->validity.not_after_str));
}

static const struct cs_rule rule_cert_validity_inverted = {
	.id = "cert.validity.inverted",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_CERT,
	.summary = "notBefore is after notAfter",
	.citation = "RFC 5280 4.1.2.5",
	.check = check_cert_validity_inverted,
};

/* RFC 5280 4.1.2.5.1/4.1.2.5.2: UTCTime YYMMDDHHMMSSZ through 2049,
 * GeneralizedTime YYYYMMDDHHMMSSZ from 2050. */
static const char *
time_encoding_problem(const ASN1_TIME *t, const char *iso)
{
	int	 year = atoi(iso), len = ASN1_STRING_length(t);

	if (!isdigit((unsigned char)iso[0]))
		return NULL;	/* not a time at all: a note on the object */
	if (ASN1_STRING_type(t) == V_ASN1_UTCTIME)
		return year >= 2050 ? "UTCTime for a year after 2049" :
		    len != 13 ? "UTCTime not in the form YYMMDDHHMMSSZ" : NULL;
	if (ASN1_STRING_type(t) == V_ASN1_GENERALIZEDTIME)
		return year < 2050 ? "GeneralizedTime for a year before 2050" :
		    len != 15 ? "GeneralizedTime not in the form "
		    "YYYYMMDDHHMMSSZ" : NULL;
	return "neither UTCTime nor GeneralizedTime";
}

static enum cs_check
check_cert_validity_encoding(struct cs_lint *l, const struct cs_object *obj)
{
	const char	*why;

	if (obj->cert == NULL || !obj->validity.present)
		return CS_CHECK_FAILED;
	if ((why = time_encoding_problem(X509_get0_notBefore(obj->cert),
	    obj->validity.not_before_str)) != NULL &&
	    cs_finding_add(l, obj, "validity.not_before",
	    obj->validity.not_before_str, "notBefore is encoded as %s",
	    why) == NULL)
		return CS_CHECK_FAILED;
	if ((why = time_encoding_problem(X509_get0_notAfter(obj->cert),
	    obj->validity.not_after_str)) != NULL &&
	    cs_finding_add(l, obj, "validity.not_after",
	    obj->validity.not_after_str, "notAfter is encoded as %s",
	    why) == NULL)
		return CS_CHECK_FAILED;
	return CS_CHECK_RAN;
}

static const struct cs_rule rule_cert_validity_encoding = {
	.id = "cert.validity.encoding",
	.anchor_lenient = 1,
	.severity = CS_SEV_WARNING,
	.applies = CS_APPLIES_CERT,
	.summary = "validity time not UTCTime through 2049 and GeneralizedTime "
	    "from 2050, with seconds and Z",
	.citation = "RFC 5280 4.1.2.5",
	.check = check_cert_validity_encoding,
};

/* --- serial --------------------------------------------------------- */

static enum cs_check
check_cert_serial_not_positive(struct cs_lint *l, const struct cs_object *obj)
{
	if (obj->serial == NULL)
		return CS_CHECK_FAILED;
	if (obj->serial[0] != '-' && strspn(obj->serial, "0") !=
	    strlen(obj->serial))
		return CS_CHECK_RAN;
	return rule_done(cs_finding_add(l, obj, "serial", obj->serial,
	    "the serial number %s is not a positive integer", obj->serial));
}

static const struct cs_rule rule_cert_serial_not_positive = {
	.id = "cert.serial.not-positive",
	.anchor_lenient = 1,
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_CERT,
	.summary = "serial number zero or negative",
	.citation = "RFC 5280 4.1.2.2",
	.check = check_cert_serial_not_positive,
};

/* Content octets of the DER INTEGER (with any sign octet). */
static int
serial_octets(const struct cs_object *obj)
{
	const ASN1_INTEGER	*s = X509_get0_serialNumber(obj->cert);
	int			 der;

	if (s == NULL || (der = i2d_ASN1_INTEGER(s, NULL)) <= 2)
		return -1;
	return der - (der - 2 < 128 ? 2 : der - 3 < 256 ? 3 : 4);
}

static enum cs_check
check_cert_serial_too_long(struct cs_lint *l, const struct cs_object *obj)
{
	int	 n;

	if (obj->cert == NULL || (n = serial_octets(obj)) < 0)
		return CS_CHECK_FAILED;
	if (n <= SERIAL_MAX_OCTETS)
		return CS_CHECK_RAN;
	return rule_done(cs_finding_add(l, obj, "serial", obj->serial,
	    "the serial number is %d octets long; RFC 5280 allows at most %d "
	    "and clients may reject longer ones", n, SERIAL_MAX_OCTETS));
}

static const struct cs_rule rule_cert_serial_too_long = {
	.id = "cert.serial.too-long",
	.anchor_lenient = 1,
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_CERT,
	.summary = "serial number longer than 20 octets",
	.citation = "RFC 5280 4.1.2.2",
	.check = check_cert_serial_too_long,
};

static enum cs_check
check_cert_serial_low_entropy(struct cs_lint *l, const struct cs_object *obj)
{
	const ASN1_INTEGER	*s;
	int			 n;

	if (obj->cert == NULL ||
	    (s = X509_get0_serialNumber(obj->cert)) == NULL)
		return CS_CHECK_FAILED;
	n = ASN1_STRING_length(s);
	if (n >= SERIAL_MIN_OCTETS)
		return CS_CHECK_RAN;
	return rule_done(cs_finding_add(l, obj, "serial", obj->serial,
	    "the serial number holds only %d significant octet(s); it cannot "
	    "carry the 64 random bits that make certificate contents "
	    "unpredictable", n));
}

static const struct cs_rule rule_cert_serial_low_entropy = {
	.id = "cert.serial.low-entropy",
	.severity = CS_SEV_NOTICE,
	.applies = CS_APPLIES_CERT,
	.summary = "serial number shorter than 8 octets (64 random bits)",
	.citation = "CA/B Forum BR 7.1",
	.check = check_cert_serial_low_entropy,
};

/* --- version -------------------------------------------------------- */

static enum cs_check
check_cert_version_extensions(struct cs_lint *l, const struct cs_object *obj)
{
	char	 v[8];

	if (obj->version >= 2 || obj->version < 0)
		return CS_CHECK_RAN;
	if (obj->n_exts == 0)
		return CS_CHECK_RAN;
	snprintf(v, sizeof(v), "v%ld", obj->version + 1);
	return rule_done(cs_finding_add(l, obj, "version", v,
	    "a %s certificate carries %zu extension(s); extensions require "
	    "version 3", v, obj->n_exts));
}

static const struct cs_rule rule_cert_version_extensions = {
	.id = "cert.version.extensions",
	.anchor_lenient = 1,
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_CERT,
	.summary = "version 1 or 2 certificate with extensions",
	.citation = "RFC 5280 4.1.2.9",
	.check = check_cert_version_extensions,
};

/* --- basicConstraints and keyUsage ---------------------------------- */

static enum cs_check
check_cert_bc_ca_critical(struct cs_lint *l, const struct cs_object *obj)
{
	const struct cs_ext	*bc = rule_ext(obj, OID_BC);

	if (bc == NULL || obj->cert == NULL || !rule_is_ca(obj))
		return CS_CHECK_NA;
	if (bc->critical)
		return CS_CHECK_RAN;
	return rule_done_fix(cs_finding_add(l, obj, "extensions.basicConstraints",
	    bc->value, "the CA certificate's basicConstraints extension is not "
	    "marked critical"), "set-extension",
	    "basicConstraints=critical,CA:TRUE");
}

static const struct cs_rule rule_cert_basic_constraints_ca_critical = {
	.id = "cert.basic-constraints.ca-critical",
	.anchor_lenient = 1,
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_CERT,
	.summary = "CA certificate whose basicConstraints is not critical",
	.citation = "RFC 5280 4.2.1.9",
	.check = check_cert_bc_ca_critical,
};

static enum cs_check
check_cert_bc_pathlen(struct cs_lint *l, const struct cs_object *obj)
{
	const struct cs_ext	*bc = rule_ext(obj, OID_BC);
	long			 ku;

	if (bc == NULL || obj->cert == NULL)
		return CS_CHECK_NA;
	if (cert_pathlen(obj) < 0)
		return CS_CHECK_RAN;
	if (!rule_is_ca(obj))
		return rule_done(cs_finding_add(l, obj,
		    "extensions.basicConstraints", bc->value,
		    "pathLenConstraint is set but cA is not asserted"));
	ku = cert_ku(obj);
	if (ku < 0 || (ku & KU_KEY_CERT_SIGN))
		return CS_CHECK_RAN;
	return rule_done(cs_finding_add(l, obj, "extensions.basicConstraints",
	    bc->value, "pathLenConstraint is set but keyUsage does not "
	    "assert keyCertSign"));
}

static const struct cs_rule rule_cert_basic_constraints_pathlen = {
	.id = "cert.basic-constraints.pathlen",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_CERT,
	.summary = "pathLenConstraint without cA, or without keyCertSign",
	.citation = "RFC 5280 4.2.1.9",
	.check = check_cert_bc_pathlen,
};

static enum cs_check
check_cert_key_usage_ca(struct cs_lint *l, const struct cs_object *obj)
{
	long	 ku;

	if (obj->cert == NULL || (ku = cert_ku(obj)) < 0)
		return CS_CHECK_NA;
	if (rule_is_ca(obj) && !(ku & KU_KEY_CERT_SIGN))
		return rule_done_fix(cs_finding_add(l, obj, "extensions.keyUsage",
		    NULL, "a CA certificate whose keyUsage lacks keyCertSign "
		    "cannot issue certificates"), "set-extension",
		    "keyUsage=critical,keyCertSign,cRLSign");
	if (!rule_is_ca(obj) && (ku & KU_KEY_CERT_SIGN))
		return rule_done(cs_finding_add(l, obj, "extensions.keyUsage",
		    NULL, "keyUsage asserts keyCertSign but basicConstraints "
		    "does not assert cA"));
	return CS_CHECK_RAN;
}

static const struct cs_rule rule_cert_key_usage_ca = {
	.id = "cert.key-usage.ca",
	.anchor_lenient = 1,
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_CERT,
	.summary = "cA without keyCertSign, or keyCertSign without cA",
	.citation = "RFC 5280 4.2.1.3, 4.2.1.9",
	.check = check_cert_key_usage_ca,
};

static enum cs_check
check_cert_key_usage_missing(struct cs_lint *l, const struct cs_object *obj)
{
	struct cs_finding	*f;

	if (obj->cert == NULL || obj->version < 2)
		return CS_CHECK_NA;
	if (cert_ku(obj) >= 0)
		return CS_CHECK_RAN;
	if (rule_is_ca(obj))
		return rule_done_fix(cs_finding_add(l, obj, "extensions.keyUsage",
		    NULL, "the CA certificate has no keyUsage extension"),
		    "set-extension", "keyUsage=critical,keyCertSign,cRLSign");
	f = cs_finding_add(l, obj, "extensions.keyUsage", NULL,
	    "the certificate has no keyUsage extension, so its key may be "
	    "used for any purpose");
	if (f != NULL && f->severity > CS_SEV_NOTICE)
		f->severity = CS_SEV_NOTICE;
	return rule_done_fix(f, "set-extension",
	    rule_is_rsa(obj) ? "keyUsage=critical,digitalSignature,"
	    "keyEncipherment" : "keyUsage=critical,digitalSignature");
}

static const struct cs_rule rule_cert_key_usage_missing = {
	.id = "cert.key-usage.missing",
	.anchor_lenient = 1,
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_CERT,
	.summary = "v3 CA certificate without keyUsage (end entity: notice)",
	.citation = "RFC 5280 4.2.1.3",
	.check = check_cert_key_usage_missing,
};

static enum cs_check
check_cert_key_usage_empty(struct cs_lint *l, const struct cs_object *obj)
{
	long	 ku;

	if (obj->cert == NULL || (ku = cert_ku(obj)) < 0)
		return CS_CHECK_NA;
	if (ku != 0)
		return CS_CHECK_RAN;
	return rule_done(cs_finding_add(l, obj, "extensions.keyUsage", NULL,
	    "the keyUsage extension asserts no bit at all, so the key may "
	    "be used for nothing"));
}

static const struct cs_rule rule_cert_key_usage_empty = {
	.id = "cert.key-usage.empty",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_CERT,
	.summary = "keyUsage extension with no bit set",
	.citation = "RFC 5280 4.2.1.3",
	.check = check_cert_key_usage_empty,
};

/* keyUsage bit names as OpenSSL's configuration spells them, by bit. */
static const char *const ku_bit_names[] = {
	"digitalSignature", "nonRepudiation", "keyEncipherment",
	"dataEncipherment", "keyAgreement", "keyCertSign", "cRLSign",
	"encipherOnly", "decipherOnly",
};
#define N_KU_BITS	(sizeof(ku_bit_names) / sizeof(ku_bit_names[0]))

/* The KU_* mask of a comma-separated list of names; -1: unknown name. */
static long
ku_parse_names(const char *s)
{
	size_t	 len, i;
	long	 mask = 0;

	while (*s != '\0') {
		len = strcspn(s, ",");
		for (i = 0; i < N_KU_BITS; i++)
			if (strlen(ku_bit_names[i]) == len &&
			    strncmp(ku_bit_names[i], s, len) == 0)
				break;
		if (i == N_KU_BITS)
			return -1;
		mask |= ku_mask(i);
		s += len + (s[len] == ',');
	}
	return mask;
}

/* "sep"-separated names of mask's bits into buf. */
static char *
ku_text(long mask, const char *sep, char *buf, size_t size)
{
	size_t	 i;

	buf[0] = '\0';
	for (i = 0; i < N_KU_BITS; i++)
		if (mask & ku_mask(i)) {
			if (buf[0] != '\0')
				strncat(buf, sep, size - strlen(buf) - 1);
			strncat(buf, ku_bit_names[i], size - strlen(buf) - 1);
		}
	return buf;
}

static enum cs_check
check_cert_key_usage_required(struct cs_lint *l, const struct cs_object *obj)
{
	const char		*req = cs_lint_params(l)->required_key_usage;
	struct cs_finding	*f;
	long			 want, have;
	char			 miss[192], fix[224];

	if (req == NULL || obj->cert == NULL)
		return CS_CHECK_NA;
	if ((want = ku_parse_names(req)) < 0)
		return CS_CHECK_FAILED;
	if ((have = cert_ku(obj)) < 0)
		have = 0;
	if ((want & ~have) == 0)
		return CS_CHECK_RAN;
	ku_text(want & ~have, ", ", miss, sizeof(miss));
	f = cs_finding_add(l, obj, "extensions.keyUsage", NULL,
	    "the certificate's keyUsage lacks %s, which the profile requires",
	    miss);
	snprintf(fix, sizeof(fix), "keyUsage=critical,%s",
	    ku_text(want | have, ",", miss, sizeof(miss)));
	return rule_done_fix(f, "set-extension", fix);
}

static const struct cs_rule rule_cert_key_usage_required = {
	.id = "cert.key-usage.required",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_CERT,
	.off = 1,
	.summary = "keyUsage lacks a usage the profile requires "
	    "(required-key-usage)",
	.citation = "RFC 5280 4.2.1.3; X-Road security server key profiles",
	.params = "required-key-usage",
	.check = check_cert_key_usage_required,
};

/* --- extendedKeyUsage ----------------------------------------------- */

static enum cs_check
check_cert_eku_server_auth_usage(struct cs_lint *l,
    const struct cs_object *obj)
{
	long	 ku, xku = cert_xku(obj);

	if (xku < 0 || !(xku & XKU_SSL_SERVER) || (ku = cert_ku(obj)) < 0)
		return CS_CHECK_NA;
	if (ku & KU_DIGITAL_SIGNATURE)
		return CS_CHECK_RAN;
	if (rule_is_rsa(obj) && (ku & KU_KEY_ENCIPHERMENT))
		return rule_done_fix(cs_finding_add(l, obj, "extensions.keyUsage",
		    NULL, "keyUsage has keyEncipherment but not "
		    "digitalSignature: the key can only serve RSA key "
		    "exchange, which TLS 1.3 and forward-secret suites do "
		    "not use"), "set-extension",
		    "keyUsage=critical,digitalSignature,keyEncipherment");
	return rule_done_fix(cs_finding_add(l, obj, "extensions.keyUsage", NULL,
	    "extendedKeyUsage has serverAuth but keyUsage lacks "
	    "digitalSignature, so TLS clients refuse the handshake"),
	    "set-extension", rule_is_rsa(obj) ?
	    "keyUsage=critical,digitalSignature,keyEncipherment" :
	    "keyUsage=critical,digitalSignature");
}

static const struct cs_rule rule_cert_eku_server_auth_usage = {
	.id = "cert.eku.server-auth-usage",
	.severity = CS_SEV_WARNING,
	.applies = CS_APPLIES_CERT,
	.summary = "serverAuth extended key usage without digitalSignature",
	.citation = "RFC 5280 4.2.1.12; RFC 8446 4.4.2.2",
	.check = check_cert_eku_server_auth_usage,
};

static enum cs_check
check_cert_eku_any(struct cs_lint *l, const struct cs_object *obj)
{
	long	 xku = cert_xku(obj);

	if (xku < 0 || rule_is_ca(obj))
		return CS_CHECK_NA;
	if (!(xku & XKU_ANYEKU))
		return CS_CHECK_RAN;
	return rule_done_fix(cs_finding_add(l, obj, "extensions.extendedKeyUsage",
	    "anyExtendedKeyUsage", "the end-entity certificate allows "
	    "anyExtendedKeyUsage instead of naming its purposes"),
	    "set-extension", "extendedKeyUsage=serverAuth");
}

static const struct cs_rule rule_cert_eku_any = {
	.id = "cert.eku.any",
	.severity = CS_SEV_WARNING,
	.applies = CS_APPLIES_CERT,
	.summary = "anyExtendedKeyUsage in an end-entity certificate",
	.citation = "CA/B Forum BR 7.1.2.3; RFC 5280 4.2.1.12",
	.check = check_cert_eku_any,
};

/* --- key identifiers ------------------------------------------------ */

static enum cs_check
check_cert_ski_missing(struct cs_lint *l, const struct cs_object *obj)
{
	struct cs_finding	*f;

	if (obj->cert == NULL || obj->version < 2)
		return CS_CHECK_NA;
	if (rule_ext(obj, OID_SKI) != NULL)
		return CS_CHECK_RAN;
	f = cs_finding_add(l, obj, "extensions.subjectKeyIdentifier", NULL,
	    rule_is_ca(obj) ? "the CA certificate has no subjectKeyIdentifier, "
	    "so certificates it issues cannot name their issuer's key" :
	    "the certificate has no subjectKeyIdentifier");
	if (f != NULL && !rule_is_ca(obj) && f->severity > CS_SEV_NOTICE)
		f->severity = CS_SEV_NOTICE;
	return rule_done_fix(f, "set-extension", "subjectKeyIdentifier=hash");
}

static const struct cs_rule rule_cert_ski_missing = {
	.id = "cert.ski.missing",
	.anchor_lenient = 1,
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_CERT,
	.summary = "CA certificate without subjectKeyIdentifier (end entity: "
	    "notice)",
	.citation = "RFC 5280 4.2.1.2",
	.check = check_cert_ski_missing,
};

static enum cs_check
check_cert_aki_missing(struct cs_lint *l, const struct cs_object *obj)
{
	if (obj->cert == NULL || obj->version < 2 || rule_self_issued(obj))
		return CS_CHECK_NA;
	if (rule_ext(obj, OID_AKI) != NULL)
		return CS_CHECK_RAN;
	return rule_done(cs_finding_add(l, obj,
	    "extensions.authorityKeyIdentifier", NULL,
	    "the certificate has no authorityKeyIdentifier, so clients cannot "
	    "tell which of its issuer's keys signed it"));
}

static const struct cs_rule rule_cert_aki_missing = {
	.id = "cert.aki.missing",
	.anchor_lenient = 1,
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_CERT,
	.summary = "certificate not self-issued without authorityKeyIdentifier",
	.citation = "RFC 5280 4.2.1.1",
	.check = check_cert_aki_missing,
};

/* --- other extensions ----------------------------------------------- */

static enum cs_check
check_cert_unknown_critical_ext(struct cs_lint *l,
    const struct cs_object *obj)
{
	char	 field[128];
	int	 i, n;

	if (obj->cert == NULL || (n = X509_get_ext_count(obj->cert)) == 0)
		return CS_CHECK_NA;
	for (i = 0; i < n && (size_t)i < obj->n_exts; i++) {
		X509_EXTENSION *ext = X509_get_ext(obj->cert, i);

		if (!X509_EXTENSION_get_critical(ext) ||
		    X509_supported_extension(ext))
			continue;
		snprintf(field, sizeof(field), "extensions.%s",
		    obj->exts[i].name != NULL ? obj->exts[i].name :
		    obj->exts[i].oid);
		if (rule_done_fix(cs_finding_add(l, obj, field, obj->exts[i].oid,
		    "the critical extension %s is not one OpenSSL knows; "
		    "clients that do not know it must reject the certificate",
		    obj->exts[i].oid), "remove-extension", obj->exts[i].oid) ==
		    CS_CHECK_FAILED)
			return CS_CHECK_FAILED;
	}
	return CS_CHECK_RAN;
}

static const struct cs_rule rule_cert_unknown_critical_ext = {
	.id = "cert.unknown-critical-ext",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_CERT,
	.summary = "critical extension that OpenSSL does not recognise",
	.citation = "RFC 5280 4.2",
	.check = check_cert_unknown_critical_ext,
};

static enum cs_check
check_cert_ext_duplicate(struct cs_lint *l, const struct cs_object *obj)
{
	char	 field[128];
	size_t	 i, j;

	if (obj->n_exts == 0)
		return CS_CHECK_NA;
	for (i = 1; i < obj->n_exts; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(obj->exts[i].oid, obj->exts[j].oid) == 0)
				break;
		if (j == i)
			continue;
		snprintf(field, sizeof(field), "extensions.%s",
		    obj->exts[i].name != NULL ? obj->exts[i].name :
		    obj->exts[i].oid);
		if (cs_finding_add(l, obj, field, obj->exts[i].oid,
		    "the extension %s appears more than once; clients "
		    "reject such certificates", obj->exts[i].oid) == NULL)
			return CS_CHECK_FAILED;
	}
	return CS_CHECK_RAN;
}

static const struct cs_rule rule_cert_ext_duplicate = {
	.id = "cert.ext.duplicate",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_CERT,
	.summary = "the same extension more than once",
	.citation = "RFC 5280 4.2",
	.check = check_cert_ext_duplicate,
};

static enum cs_check
check_cert_self_signed_not_ca(struct cs_lint *l, const struct cs_object *obj)
{
	if (obj->cert == NULL || !rule_self_issued(obj))
		return CS_CHECK_NA;
	if (rule_is_ca(obj))
		return CS_CHECK_RAN;
	return rule_done(cs_finding_add(l, obj, "issuer", NULL,
	    "the certificate is self-signed and not a CA: no client trusts "
	    "it unless it is pinned or installed one by one"));
}

static const struct cs_rule rule_cert_self_signed_not_ca = {
	.id = "cert.self-signed.not-ca",
	.severity = CS_SEV_NOTICE,
	.applies = CS_APPLIES_CERT,
	.summary = "self-signed end-entity certificate",
	.citation = "RFC 5280 3.2, 6.1",
	.check = check_cert_self_signed_not_ca,
};

const struct cs_rule *const cs_family_cert[] = {
	&rule_cert_validity_expired,
	&rule_cert_validity_not_yet_valid,
	&rule_cert_validity_expiring,
	&rule_cert_validity_too_long,
	&rule_cert_validity_inverted,
	&rule_cert_validity_encoding,
	&rule_cert_serial_not_positive,
	&rule_cert_serial_too_long,
	&rule_cert_serial_low_entropy,
	&rule_cert_version_extensions,
	&rule_cert_basic_constraints_ca_critical,
	&rule_cert_basic_constraints_pathlen,
	&rule_cert_key_usage_ca,
	&rule_cert_key_usage_missing,
	&rule_cert_key_usage_empty,
	&rule_cert_key_usage_required,
	&rule_cert_eku_server_auth_usage,
	&rule_cert_eku_any,
	&rule_cert_ski_missing,
	&rule_cert_aki_missing,
	&rule_cert_unknown_critical_ext,
	&rule_cert_ext_duplicate,
	&rule_cert_self_signed_not_ca,
	NULL,
};

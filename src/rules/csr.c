/* csr.*: what a certificate request asks for. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/objects.h>
#include <openssl/x509v3.h>

#include "rules/rules-int.h"

#define OID_KU		"2.5.29.15"
#define OID_BC		"2.5.29.19"
#define OID_SAN		"2.5.29.17"
#define OID_CHALLENGE	"1.2.840.113549.1.9.7"

static enum cs_check
check_csr_signature(struct cs_lint *l, const struct cs_object *obj)
{
	if (obj->sig.valid == CS_UNKNOWN)
		return CS_CHECK_FAILED;
	if (obj->sig.valid == CS_YES)
		return CS_CHECK_RAN;
	return cs_finding_add(l, obj, "signature", obj->sig.algorithm,
	    "the request's self-signature does not verify with its own key: "
	    "it does not prove possession of the private key, and a CA will "
	    "reject it") == NULL ? CS_CHECK_FAILED : CS_CHECK_RAN;
}

static const struct cs_rule rule_csr_signature = {
	.id = "csr.signature",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_CSR,
	.summary = "the CSR's self-signature (proof of possession) does not verify",
	.citation = "RFC 2986 section 3; RFC 4211 section 4",
	.check = check_csr_signature,
};

static char *
ext_field(const struct cs_ext *e)
{
	return cs_printf("extensions.%s", e->name != NULL ? e->name : e->oid);
}

/* --- csr.version ----------------------------------------------------- */

static enum cs_check
check_csr_version(struct cs_lint *l, const struct cs_object *obj)
{
	char	 v[24];

	if (obj->version == 0)
		return CS_CHECK_RAN;
	snprintf(v, sizeof(v), "%ld", obj->version);
	return rule_done(cs_finding_add(l, obj, "version", v, "the request's "
	    "version is %ld; PKCS#10 defines only version 0 (v1) and CAs "
	    "reject anything else", obj->version));
}

static const struct cs_rule rule_csr_version = {
	.id = "csr.version",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_CSR,
	.summary = "the CSR's version is not 0 (v1)",
	.citation = "RFC 2986 section 4.1",
	.check = check_csr_version,
};

/* --- csr.challenge-password ------------------------------------------ */

static enum cs_check
check_csr_challenge_password(struct cs_lint *l, const struct cs_object *obj)
{
	struct cs_finding	*f;
	size_t			 i;

	for (i = 0; i < obj->n_reqattrs; i++)
		if (strcmp(obj->reqattrs[i].oid, OID_CHALLENGE) == 0)
			break;
	if (i == obj->n_reqattrs)
		return CS_CHECK_RAN;
	/* The value is a secret: never in the finding. */
	f = cs_finding_add(l, obj, "attributes.challengePassword", NULL,
	    "the request carries a challengePassword: it travels in clear "
	    "text to the CA and stays readable in the CSR, and many CAs "
	    "reject requests that have one");
	if (f == NULL ||
	    cs_finding_fix(f, "remove-attribute", "challengePassword") == -1)
		return CS_CHECK_FAILED;
	return CS_CHECK_RAN;
}

static const struct cs_rule rule_csr_challenge_password = {
	.id = "csr.challenge-password",
	.severity = CS_SEV_WARNING,
	.applies = CS_APPLIES_CSR,
	.summary = "the CSR carries a challengePassword attribute (clear text)",
	.citation = "RFC 2985 5.4.1; RFC 2986 section 4",
	.check = check_csr_challenge_password,
};

/* --- csr.unknown-critical-ext ---------------------------------------- */

static int
ext_known(const struct cs_ext *e)
{
	return e->name != NULL &&
	    X509V3_EXT_get_nid(OBJ_sn2nid(e->name)) != NULL;
}

static enum cs_check
check_csr_unknown_critical_ext(struct cs_lint *l, const struct cs_object *obj)
{
	struct cs_finding	*f;
	char			*field;
	size_t			 i;

	if (obj->n_exts == 0)
		return CS_CHECK_NA;
	for (i = 0; i < obj->n_exts; i++) {
		if (!obj->exts[i].critical || ext_known(&obj->exts[i]))
			continue;
		if ((field = ext_field(&obj->exts[i])) == NULL)
			return CS_CHECK_FAILED;
		f = cs_finding_add(l, obj, field, obj->exts[i].oid, "the "
		    "request asks for the unrecognised extension %s as "
		    "critical; relying parties that do not know it must "
		    "reject the certificate, and CAs refuse it",
		    obj->exts[i].oid);
		free(field);
		if (f == NULL || cs_finding_fix(f, "remove-extension",
		    obj->exts[i].oid) == -1)
			return CS_CHECK_FAILED;
	}
	return CS_CHECK_RAN;
}

static const struct cs_rule rule_csr_unknown_critical_ext = {
	.id = "csr.unknown-critical-ext",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_CSR,
	.summary = "the CSR requests an unrecognised extension as critical",
	.citation = "RFC 5280 4.2",
	.check = check_csr_unknown_critical_ext,
};

/* --- keyUsage: text as OpenSSL prints it, name as its config takes it -- */

enum {
	KU_DS = 1 << 0, KU_NR = 1 << 1, KU_KE = 1 << 2, KU_DE = 1 << 3,
	KU_KA = 1 << 4, KU_KCS = 1 << 5, KU_CRL = 1 << 6, KU_EO = 1 << 7,
	KU_DO = 1 << 8,
};

static const struct {
	const char	*text;
	const char	*name;
	unsigned	 bit;
} key_usages[] = {
	{ "Digital Signature", "digitalSignature", KU_DS },
	{ "Non Repudiation", "nonRepudiation", KU_NR },
	{ "Key Encipherment", "keyEncipherment", KU_KE },
	{ "Data Encipherment", "dataEncipherment", KU_DE },
	{ "Key Agreement", "keyAgreement", KU_KA },
	{ "Certificate Sign", "keyCertSign", KU_KCS },
	{ "CRL Sign", "cRLSign", KU_CRL },
	{ "Encipher Only", "encipherOnly", KU_EO },
	{ "Decipher Only", "decipherOnly", KU_DO },
};
#define N_KU	(sizeof(key_usages) / sizeof(key_usages[0]))

/* The bit of one name (by printed text or config name, len bytes). */
static unsigned
ku_bit(const char *s, size_t len)
{
	size_t	 i;

	while (len > 0 && *s == ' ')
		s++, len--;
	for (i = 0; i < N_KU; i++)
		if ((strlen(key_usages[i].text) == len &&
		    strncmp(key_usages[i].text, s, len) == 0) ||
		    (strlen(key_usages[i].name) == len &&
		    strncmp(key_usages[i].name, s, len) == 0))
			return key_usages[i].bit;
	return 0;
}

/* The usages of a comma-separated list; -1 when a name is unknown. */
static long
ku_parse(const char *s)
{
	const char	*end;
	unsigned	 bit, mask = 0;

	for (; *s != '\0'; s = *end == ',' ? end + 1 : end) {
		end = strchr(s, ',');
		if (end == NULL)
			end = s + strlen(s);
		if ((bit = ku_bit(s, (size_t)(end - s))) == 0)
			return -1;
		mask |= bit;
	}
	return mask;
}

/* "keyUsage=critical,digitalSignature,..." for a set-extension fix. */
static int
ku_fix(struct cs_finding *f, int critical, unsigned mask)
{
	char	 buf[256];
	size_t	 i;

	snprintf(buf, sizeof(buf), "keyUsage=%s", critical ? "critical" : "");
	for (i = 0; i < N_KU; i++)
		if (mask & key_usages[i].bit) {
			if (buf[strlen(buf) - 1] != '=')
				strcat(buf, ",");
			strcat(buf, key_usages[i].name);
		}
	return cs_finding_fix(f, "set-extension", buf);
}

/* --- csr.key-usage.key-type ------------------------------------------ */

/* Usages the key algorithm allows, 0 when unknown. */
static unsigned
ku_allowed(const char *alg)
{
	static const struct {
		const char	*alg;
		unsigned	 mask;
	} allowed[] = {
		{ "rsa", KU_DS | KU_NR | KU_KE | KU_DE | KU_KCS | KU_CRL },
		{ "rsa-pss", KU_DS | KU_NR | KU_KCS | KU_CRL },
		{ "ec", KU_DS | KU_NR | KU_KA | KU_KCS | KU_CRL | KU_EO |
		    KU_DO },
		{ "ed25519", KU_DS | KU_NR | KU_KCS | KU_CRL },
		{ "ed448", KU_DS | KU_NR | KU_KCS | KU_CRL },
		{ "x25519", KU_KA | KU_EO | KU_DO },
		{ "x448", KU_KA | KU_EO | KU_DO },
		{ "dsa", KU_DS | KU_NR | KU_KCS | KU_CRL },
	};
	size_t	 i;

	for (i = 0; alg != NULL && i < sizeof(allowed) / sizeof(allowed[0]);
	    i++)
		if (strcmp(allowed[i].alg, alg) == 0)
			return allowed[i].mask;
	return 0;
}

/* The usages that must go: not for this key, or encipherOnly /
 * decipherOnly without keyAgreement (RFC 5280 4.2.1.3). */
static unsigned
ku_wrong(unsigned mask, unsigned allowed)
{
	unsigned	 bad = mask & ~allowed;

	if (!(mask & allowed & KU_KA))
		bad |= mask & (KU_EO | KU_DO);
	return bad;
}

static const char *
ku_names(unsigned mask, char *buf, size_t size)
{
	size_t	 i;

	buf[0] = '\0';
	for (i = 0; i < N_KU; i++)
		if (mask & key_usages[i].bit) {
			if (buf[0] != '\0')
				strncat(buf, ", ", size - strlen(buf) - 1);
			strncat(buf, key_usages[i].name,
			    size - strlen(buf) - 1);
		}
	return buf;
}

static enum cs_check
check_csr_key_usage_key_type(struct cs_lint *l, const struct cs_object *obj)
{
	const struct cs_ext	*ku = rule_ext(obj, OID_KU);
	struct cs_finding	*f;
	unsigned		 allowed, bad, keep;
	long			 mask;
	char			 names[160];

	if (ku == NULL || (allowed = ku_allowed(obj->key.algorithm)) == 0)
		return CS_CHECK_NA;
	if ((mask = ku_parse(ku->value)) <= 0)
		return CS_CHECK_FAILED;
	if ((bad = ku_wrong((unsigned)mask, allowed)) == 0)
		return CS_CHECK_RAN;
	keep = (unsigned)mask & ~bad;
	if (keep == 0)
		keep = allowed & KU_DS ? KU_DS : KU_KA;
	f = cs_finding_add(l, obj, "extensions.keyUsage", ku->value, "the "
	    "request asks for %s, which a %s key cannot do; CAs reject it or "
	    "issue a certificate clients refuse", ku_names(bad, names,
	    sizeof(names)), obj->key.algorithm);
	if (f == NULL || ku_fix(f, ku->critical, keep) == -1)
		return CS_CHECK_FAILED;
	return CS_CHECK_RAN;
}

static const struct cs_rule rule_csr_key_usage_key_type = {
	.id = "csr.key-usage.key-type",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_CSR,
	.summary = "the requested keyUsage is impossible for the key type "
	    "(keyEncipherment on EC/EdDSA, keyAgreement on RSA, ...)",
	.citation = "RFC 3279 2.3; RFC 4055 1.2; RFC 5480 3; RFC 8410 5; "
	    "RFC 5280 4.2.1.3",
	.check = check_csr_key_usage_key_type,
};

/* --- csr.key-usage.required ------------------------------------------ */

static enum cs_check
check_csr_key_usage_required(struct cs_lint *l, const struct cs_object *obj)
{
	const char		*req = cs_lint_params(l)->required_key_usage;
	const struct cs_ext	*ku = rule_ext(obj, OID_KU);
	struct cs_finding	*f;
	long			 want = 0, have = 0;
	char			 names[160];

	if ((req != NULL && (want = ku_parse(req)) < 0) ||
	    (ku != NULL && (have = ku_parse(ku->value)) < 0))
		return CS_CHECK_FAILED;
	if (ku != NULL && (want & ~have) == 0)
		return CS_CHECK_RAN;
	if (want == 0)
		return rule_done(cs_finding_add(l, obj, "extensions.keyUsage", NULL,
		    "the request asks for no keyUsage; the profile needs the "
		    "key's purpose stated"));
	f = cs_finding_add(l, obj, "extensions.keyUsage", ku ? ku->value : NULL,
	    "the request's keyUsage lacks %s, which the profile requires",
	    ku_names((unsigned)(want & ~have), names, sizeof(names)));
	if (f == NULL || ku_fix(f, 1, (unsigned)(want | have)) == -1)
		return CS_CHECK_FAILED;
	return CS_CHECK_RAN;
}

static const struct cs_rule rule_csr_key_usage_required = {
	.id = "csr.key-usage.required",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_CSR,
	.off = 1,
	.summary = "the requested keyUsage lacks a usage the profile requires "
	    "(without the parameter: no keyUsage at all)",
	.citation = "RFC 5280 4.2.1.3; X-Road security server key profiles",
	.params = "required-key-usage",
	.check = check_csr_key_usage_required,
};

/* --- csr.ca-requested ------------------------------------------------ */

static int
end_entity_name(const struct cs_object *obj)
{
	const struct cs_attr	*cn = rule_subject_attr(obj, RULE_OID_CN);
	size_t			 i;

	for (i = 0; i < obj->n_sans; i++)
		if (obj->sans[i].type == CS_SAN_DNS)
			return 1;
	return cn != NULL && cn->value_len == strlen(cn->value) &&
	    strchr(cn->value, '.') != NULL && strchr(cn->value, ' ') == NULL &&
	    strchr(cn->value, '@') == NULL;
}

static enum cs_check
check_csr_ca_requested(struct cs_lint *l, const struct cs_object *obj)
{
	const struct cs_ext	*bc = rule_ext(obj, OID_BC);
	struct cs_finding	*f;

	if (bc == NULL)
		return CS_CHECK_NA;
	if (strncmp(bc->value, "CA:TRUE", 7) != 0 || !end_entity_name(obj))
		return CS_CHECK_RAN;
	f = cs_finding_add(l, obj, "extensions.basicConstraints", bc->value,
	    "the request asks for a CA certificate (CA:TRUE) for what looks "
	    "like a server name; a CA will refuse it or strip it");
	if (f == NULL ||
	    cs_finding_fix(f, "remove-extension", "basicConstraints") == -1)
		return CS_CHECK_FAILED;
	return CS_CHECK_RAN;
}

static const struct cs_rule rule_csr_ca_requested = {
	.id = "csr.ca-requested",
	.severity = CS_SEV_WARNING,
	.applies = CS_APPLIES_CSR,
	.summary = "basicConstraints CA:TRUE requested for an end-entity name",
	.citation = "RFC 5280 4.2.1.9; CA/B Forum BR 7.1.2.7.8",
	.check = check_csr_ca_requested,
};

/* --- csr.extension.duplicate ----------------------------------------- */

static enum cs_check
check_csr_extension_duplicate(struct cs_lint *l, const struct cs_object *obj)
{
	struct cs_finding	*f;
	char			*field;
	size_t			 i, j;

	if (obj->n_exts == 0)
		return CS_CHECK_NA;
	for (i = 1; i < obj->n_exts; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(obj->exts[i].oid, obj->exts[j].oid) == 0)
				break;
		if (j == i)
			continue;
		if ((field = ext_field(&obj->exts[i])) == NULL)
			return CS_CHECK_FAILED;
		f = cs_finding_add(l, obj, field, obj->exts[i].value, "the "
		    "request holds the extension %s more than once; a "
		    "certificate must not, and CAs reject the request",
		    obj->exts[i].name ? obj->exts[i].name : obj->exts[i].oid);
		free(field);
		/* The first one stays. */
		if (f == NULL || cs_finding_fix(f, "dedupe-extension",
		    obj->exts[i].oid) == -1)
			return CS_CHECK_FAILED;
	}
	return CS_CHECK_RAN;
}

static const struct cs_rule rule_csr_extension_duplicate = {
	.id = "csr.extension.duplicate",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_CSR,
	.summary = "the same extension appears twice in the extensionRequest",
	.citation = "RFC 5280 4.2; RFC 2985 5.4.2",
	.check = check_csr_extension_duplicate,
};

/* --- csr.attribute.unknown ------------------------------------------- */

static const char *const known_attrs[] = {
	"1.2.840.113549.1.9.2",		/* unstructuredName */
	OID_CHALLENGE,
	"1.2.840.113549.1.9.8",		/* unstructuredAddress */
	"1.2.840.113549.1.9.14",	/* extensionRequest */
	"1.2.840.113549.1.9.15",	/* smimeCapabilities */
	"1.3.6.1.4.1.311.2.1.14",	/* Microsoft extension request */
	"1.3.6.1.4.1.311.13.2.1",	/* Microsoft enrollment name-value */
	"1.3.6.1.4.1.311.13.2.2",	/* Microsoft enrollment CSP */
	"1.3.6.1.4.1.311.13.2.3",	/* Microsoft OS version */
	"1.3.6.1.4.1.311.21.20",	/* Microsoft request client info */
};

static int
attr_known(const char *oid)
{
	size_t	 i;

	for (i = 0; i < sizeof(known_attrs) / sizeof(known_attrs[0]); i++)
		if (strcmp(known_attrs[i], oid) == 0)
			return 1;
	return 0;
}

static enum cs_check
check_csr_attribute_unknown(struct cs_lint *l, const struct cs_object *obj)
{
	struct cs_finding	*f;
	char			*field;
	size_t			 i;

	for (i = 0; i < obj->n_reqattrs; i++) {
		if (attr_known(obj->reqattrs[i].oid))
			continue;
		field = cs_printf("attributes.%s", obj->reqattrs[i].name ?
		    obj->reqattrs[i].name : obj->reqattrs[i].oid);
		if (field == NULL)
			return CS_CHECK_FAILED;
		f = cs_finding_add(l, obj, field, obj->reqattrs[i].oid,
		    "the request carries the attribute %s, which CAs do not "
		    "know; it is ignored at best", obj->reqattrs[i].oid);
		free(field);
		if (f == NULL || cs_finding_fix(f, "remove-attribute",
		    obj->reqattrs[i].oid) == -1)
			return CS_CHECK_FAILED;
	}
	return CS_CHECK_RAN;
}

static const struct cs_rule rule_csr_attribute_unknown = {
	.id = "csr.attribute.unknown",
	.severity = CS_SEV_NOTICE,
	.applies = CS_APPLIES_CSR,
	.summary = "the CSR carries an attribute other than the PKCS#9 and "
	    "Microsoft enrolment ones",
	.citation = "RFC 2985 5.4; RFC 2986 section 4.1",
	.check = check_csr_attribute_unknown,
};

/* --- csr.san.critical ------------------------------------------------ */

static const char *
san_prefix(enum cs_san_type type)
{
	switch (type) {
	case CS_SAN_DNS:	return "DNS";
	case CS_SAN_IP:		return "IP";
	case CS_SAN_EMAIL:	return "email";
	case CS_SAN_URI:	return "URI";
	default:		return NULL;
	}
}

/* Printable ASCII without ',' (the separator of the config form). */
static int
plain(const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++)
		if (s[i] <= ' ' || s[i] >= 0x7f || s[i] == ',')
			return 0;
	return 1;
}

/* "subjectAltName=DNS:a,IP:b" from the SANs; NULL when one cannot be
 * written in that form (or out of memory). */
static char *
san_config(const struct cs_object *obj)
{
	char	*s = cs_strdup("subjectAltName="), *t;
	size_t	 i;

	for (i = 0; s != NULL && i < obj->n_sans; i++) {
		const struct cs_san *san = &obj->sans[i];

		t = NULL;
		if (san_prefix(san->type) != NULL && plain(san->value,
		    san->value_len))
			t = cs_printf("%s%s%s:%s", s, i > 0 ? "," : "",
			    san_prefix(san->type), san->value);
		free(s);
		s = t;
	}
	return s;
}

static enum cs_check
check_csr_san_critical(struct cs_lint *l, const struct cs_object *obj)
{
	const struct cs_ext	*san = rule_ext(obj, OID_SAN);
	struct cs_finding	*f;
	char			*fix;

	if (san == NULL)
		return CS_CHECK_NA;
	if (!san->critical || obj->subject.n == 0)
		return CS_CHECK_RAN;
	f = cs_finding_add(l, obj, "extensions.subjectAltName", san->value,
	    "the subjectAltName is requested as critical although the subject "
	    "is not empty; RFC 5280 marks it critical only for an empty "
	    "subject");
	if (f == NULL)
		return CS_CHECK_FAILED;
	if ((fix = san_config(obj)) != NULL &&
	    cs_finding_fix(f, "set-extension", fix) == -1) {
		free(fix);
		return CS_CHECK_FAILED;
	}
	free(fix);
	return CS_CHECK_RAN;
}

static const struct cs_rule rule_csr_san_critical = {
	.id = "csr.san.critical",
	.severity = CS_SEV_NOTICE,
	.applies = CS_APPLIES_CSR,
	.summary = "the SAN is requested as critical while the subject is "
	    "not empty",
	.citation = "RFC 5280 4.2.1.6",
	.check = check_csr_san_critical,
};

const struct cs_rule *const cs_family_csr[] = {
	&rule_csr_signature,
	&rule_csr_version,
	&rule_csr_challenge_password,
	&rule_csr_unknown_critical_ext,
	&rule_csr_key_usage_key_type,
	&rule_csr_key_usage_required,
	&rule_csr_ca_requested,
	&rule_csr_extension_duplicate,
	&rule_csr_attribute_unknown,
	&rule_csr_san_critical,
	NULL,
};

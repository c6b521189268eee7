/* field.*: the field rules of the active profile (<field> elements). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "rules/rules-int.h"

/* One value found at a field rule's path, and where it sits. */
struct fvalue {
	char		 field[64];	/* "subject.O", "sans[3]", "key" */
	const char	*value;
	size_t		 len;
};

static int
san_type_of(const char *what, enum cs_san_type *t)
{
	static const struct {
		const char		*name;
		enum cs_san_type	 type;
	} types[] = {
		{ "dns", CS_SAN_DNS }, { "ip", CS_SAN_IP },
		{ "email", CS_SAN_EMAIL }, { "uri", CS_SAN_URI },
	};
	size_t	 i;

	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (strcmp(types[i].name, what) == 0) {
			*t = types[i].type;
			return 0;
		}
	return -1;
}

static int
matches(const struct cs_field_rule *fr, const char *s, size_t len,
    pcre2_match_data *md)
{
	return pcre2_match(fr->code, (PCRE2_SPTR)s, len, 0, 0, md, NULL) >= 0;
}

/* Candidate n for a subject value that breaks a must-match rule: the
 * value trimmed, then in lower case, then in upper case, then each --host
 * (a CN that must be the server's name); into buf, 0, or -1: no more. */
static int
candidate(struct cs_lint *l, const char *attr, const char *value, size_t n,
    char *buf, size_t size)
{
	const char *const	*hosts;
	size_t			 nhosts, len, i;

	buf[0] = '\0';
	if (n < 3) {
		if (value == NULL)
			return 0;
		while (*value == ' ')
			value++;
		len = strlen(value);
		while (len > 0 && value[len - 1] == ' ')
			len--;
		if (len == 0 || len >= size)
			return 0;
		for (i = 0; i < len; i++)
			buf[i] = n == 1 && value[i] >= 'A' && value[i] <= 'Z' ?
			    (char)(value[i] - 'A' + 'a') : n == 2 &&
			    value[i] >= 'a' && value[i] <= 'z' ?
			    (char)(value[i] - 'a' + 'A') : value[i];
		buf[len] = '\0';
		return 0;
	}
	hosts = cs_lint_hosts(l, &nhosts);
	if (strcmp(attr, "CN") != 0 || n - 3 >= nhosts ||
	    strlen(hosts[n - 3]) >= size)
		return -1;
	snprintf(buf, size, "%s", hosts[n - 3]);
	return 0;
}

/* A set-subject fix for a subject value (NULL: missing) that breaks a
 * must-match rule, when a candidate satisfies it; 0, or -1 (no memory). */
static int
subject_fix(struct cs_lint *l, const struct cs_field_rule *fr,
    struct cs_finding *f, const char *value, pcre2_match_data *md)
{
	const char	*attr = fr->field + 8;
	char		 buf[256], *fix;
	size_t		 n;
	int		 rc;

	if (strncmp(fr->field, "subject.", 8) != 0 || !fr->must_match ||
	    fr->code == NULL)
		return 0;
	for (n = 0; candidate(l, attr, value, n, buf, sizeof(buf)) == 0; n++) {
		if (buf[0] == '\0' || !matches(fr, buf, strlen(buf), md))
			continue;
		if ((fix = cs_printf("%s=%s", attr, buf)) == NULL)
			return -1;
		rc = cs_finding_fix(f, "set-subject", fix);
		free(fix);
		return rc;
	}
	return 0;
}

/* Tests one value; finding when it breaks the rule. 0, or -1 (no memory). */
static int
test_value(struct cs_lint *l, const struct cs_object *obj,
    const struct cs_field_rule *fr, const struct fvalue *v,
    pcre2_match_data *md)
{
	struct cs_finding	*f;
	int			 rc, matched;

	if (fr->code == NULL)
		return 0;
	rc = pcre2_match(fr->code, (PCRE2_SPTR)v->value, v->len, 0, 0, md,
	    NULL);
	matched = rc >= 0;	/* 0: matched, ovector too small (fine) */
	if (matched == fr->must_match)
		return 0;
	f = cs_finding_add(l, obj, v->field, v->value, "%s (%s %s)",
	    *fr->message != '\0' ? fr->message : "value breaks a profile "
	    "field rule", fr->must_match ? "must match" : "must not match",
	    fr->pattern);
	if (f == NULL)
		return -1;
	f->severity = fr->severity;
	return v->len == strlen(v->value) ? subject_fix(l, fr, f, v->value, md) : 0;
}

static int
name_values(struct cs_lint *l, const struct cs_object *obj,
    const struct cs_field_rule *fr, pcre2_match_data *md, size_t *seen)
{
	const struct cs_name	*nm;
	const char		*want, *scope;
	struct fvalue		 v;
	size_t			 i;

	scope = strncmp(fr->field, "subject.", 8) == 0 ? "subject" : "issuer";
	nm = *scope == 's' ? &obj->subject : &obj->issuer;
	want = strchr(fr->field, '.') + 1;
	for (i = 0; i < nm->n; i++) {
		if (strcmp(nm->attrs[i].type, want) != 0 &&
		    strcmp(nm->attrs[i].oid, want) != 0)
			continue;
		(*seen)++;
		snprintf(v.field, sizeof(v.field), "%s.%s", scope,
		    nm->attrs[i].type);
		v.value = nm->attrs[i].value;
		v.len = nm->attrs[i].value_len;
		if (test_value(l, obj, fr, &v, md) == -1)
			return -1;
	}
	return 0;
}

static int
san_values(struct cs_lint *l, const struct cs_object *obj,
    const struct cs_field_rule *fr, pcre2_match_data *md, size_t *seen)
{
	enum cs_san_type	 t;
	struct fvalue		 v;
	size_t			 i;

	if (san_type_of(fr->field + 4, &t) == -1)
		return 0;
	for (i = 0; i < obj->n_sans; i++) {
		if (obj->sans[i].type != t)
			continue;
		(*seen)++;
		snprintf(v.field, sizeof(v.field), "sans[%zu]", i);
		v.value = obj->sans[i].value;
		v.len = obj->sans[i].value_len;
		if (test_value(l, obj, fr, &v, md) == -1)
			return -1;
	}
	return 0;
}

/* key.algorithm, key.curve, signature.algorithm: one value or none. */
static int
fact_values(struct cs_lint *l, const struct cs_object *obj,
    const struct cs_field_rule *fr, pcre2_match_data *md, size_t *seen)
{
	struct fvalue	 v;

	v.value = NULL;
	if (strcmp(fr->field, "key.algorithm") == 0 && obj->key.present)
		v.value = obj->key.algorithm;
	else if (strcmp(fr->field, "key.curve") == 0 && obj->key.present)
		v.value = obj->key.curve;
	else if (strcmp(fr->field, "signature.algorithm") == 0 &&
	    obj->sig.present)
		v.value = obj->sig.algorithm;
	if (v.value == NULL)
		return 0;
	(*seen)++;
	snprintf(v.field, sizeof(v.field), "%s",
	    *fr->field == 'k' ? "key" : "signature");
	v.len = strlen(v.value);
	return test_value(l, obj, fr, &v, md);
}

static int
missing(struct cs_lint *l, const struct cs_object *obj,
    const struct cs_field_rule *fr, pcre2_match_data *md)
{
	struct cs_finding	*f;

	f = cs_finding_add(l, obj, fr->field, NULL, "%s (%s is missing)",
	    *fr->message != '\0' ? fr->message : "the profile requires this "
	    "field", fr->field);
	if (f == NULL)
		return -1;
	f->severity = fr->severity;
	return subject_fix(l, fr, f, NULL, md);
}

static int
run_field(struct cs_lint *l, const struct cs_object *obj,
    const struct cs_field_rule *fr, pcre2_match_data *md)
{
	size_t	 seen = 0;

	if (strncmp(fr->field, "subject.", 8) == 0 ||
	    strncmp(fr->field, "issuer.", 7) == 0) {
		if (name_values(l, obj, fr, md, &seen) == -1)
			return -1;
	} else if (strncmp(fr->field, "san.", 4) == 0) {
		if (san_values(l, obj, fr, md, &seen) == -1)
			return -1;
	} else if (fact_values(l, obj, fr, md, &seen) == -1)
		return -1;
	if (seen == 0 && fr->required)
		return missing(l, obj, fr, md);
	return 0;
}

static enum cs_check
check_field_pattern(struct cs_lint *l, const struct cs_object *obj)
{
	const struct cs_field_rule	*fields;
	pcre2_match_data		*md;
	size_t				 n, i;
	enum cs_check			 rc = CS_CHECK_RAN;

	fields = cs_lint_fields(l, &n);
	if (n == 0)
		return CS_CHECK_NA;
	if ((md = pcre2_match_data_create(1, NULL)) == NULL)
		return CS_CHECK_FAILED;
	for (i = 0; i < n && rc == CS_CHECK_RAN; i++) {
		if (strncmp(fields[i].field, "issuer.", 7) == 0 &&
		    obj->kind != CS_KIND_CERT)
			continue;
		if (run_field(l, obj, &fields[i], md) == -1)
			rc = CS_CHECK_FAILED;
	}
	pcre2_match_data_free(md);
	return rc;
}

static const struct cs_rule rule_field_pattern = {
	.id = "field.pattern",
	.severity = CS_SEV_ERROR,
	.applies = CS_APPLIES_NAMED,
	.summary = "a field breaks a field rule of the profile (pattern or "
	    "required field)",
	.citation = "profile field rule",
	.check = check_field_pattern,
};

const struct cs_rule *const cs_family_field[] = {
	&rule_field_pattern,
	NULL,
};

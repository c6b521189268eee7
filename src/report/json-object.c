/* The JSON contract (schema certsmith/1) for objects and diagnostics. */
#include "report/report.h"

#include <stdlib.h>
#include <string.h>

json_t *
cs_json_bytes(const char *s, size_t len)
{
	json_t	*j;
	char	*esc, *o;
	size_t	 i;

	if (s == NULL)
		return json_null();
	if ((j = json_stringn(s, len)) != NULL)
		return j;
	/* Not UTF-8 (or holds what jansson refuses): keep ASCII, escape rest. */
	if ((esc = malloc(len * 4 + 1)) == NULL)
		return NULL;
	for (i = 0, o = esc; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f)
			*o++ = (char)c;
		else
			o += sprintf(o, "\\x%02x", c);
	}
	*o = '\0';
	j = json_string(esc);
	free(esc);
	return j;
}

static json_t *
jstr(const char *s)
{
	return s == NULL ? json_null() : cs_json_bytes(s, strlen(s));
}

static json_t *
name_json(const struct cs_name *name)
{
	json_t	*arr = json_array();
	size_t	 i;

	for (i = 0; arr != NULL && i < name->n; i++) {
		const struct cs_attr *a = &name->attrs[i];

		json_array_append_new(arr, json_pack("{s:o,s:o,s:o,s:o,s:i}",
		    "type", jstr(a->type), "oid", jstr(a->oid),
		    "value", cs_json_bytes(a->value, a->value_len),
		    "string_type", jstr(a->string_type), "rdn", a->rdn));
	}
	return arr;
}

static json_t *
sans_json(const struct cs_object *obj)
{
	json_t	*arr = json_array();
	size_t	 i;

	for (i = 0; arr != NULL && i < obj->n_sans; i++)
		json_array_append_new(arr, json_pack("{s:s,s:o}",
		    "type", cs_san_type_name(obj->sans[i].type),
		    "value", cs_json_bytes(obj->sans[i].value,
		    obj->sans[i].value_len)));
	return arr;
}

static json_t *
key_json(const struct cs_keyinfo *key)
{
	char	*hex = NULL;
	json_t	*j;

	if (!key->present)
		return json_null();
	if (key->has_spki)
		hex = cs_hex(key->spki_sha256, sizeof(key->spki_sha256), 0);
	j = json_pack("{s:o,s:o,s:o,s:o,s:o,s:b}",
	    "algorithm", jstr(key->algorithm),
	    "oid", jstr(key->oid),
	    "bits", key->bits > 0 ? json_integer(key->bits) : json_null(),
	    "curve", jstr(key->curve),
	    "spki_sha256", jstr(hex),
	    "locked", key->locked);
	free(hex);
	return j;
}

static json_t *
tristate_json(enum cs_tristate t)
{
	return t == CS_UNKNOWN ? json_null() : json_boolean(t == CS_YES);
}

static json_t *
sig_json(const struct cs_siginfo *sig)
{
	if (!sig->present)
		return json_null();
	return json_pack("{s:o,s:o,s:o,s:o}", "algorithm", jstr(sig->algorithm),
	    "oid", jstr(sig->oid), "hash", jstr(sig->hash),
	    "valid", tristate_json(sig->valid));
}

static json_t *
validity_json(const struct cs_validity *v)
{
	if (!v->present)
		return json_null();
	return json_pack("{s:s,s:s}", "not_before", v->not_before_str,
	    "not_after", v->not_after_str);
}

static json_t *
exts_json(const struct cs_object *obj)
{
	json_t	*arr = json_array();
	size_t	 i;

	for (i = 0; arr != NULL && i < obj->n_exts; i++) {
		const struct cs_ext *e = &obj->exts[i];

		json_array_append_new(arr, json_pack("{s:o,s:o,s:b,s:o}",
		    "oid", jstr(e->oid), "name", jstr(e->name),
		    "critical", e->critical, "value", jstr(e->value)));
	}
	return arr;
}

static json_t *
reqattrs_json(const struct cs_object *obj)
{
	json_t	*arr = json_array();
	size_t	 i;

	for (i = 0; arr != NULL && i < obj->n_reqattrs; i++) {
		const struct cs_reqattr *a = &obj->reqattrs[i];

		json_array_append_new(arr, json_pack("{s:o,s:o,s:o}",
		    "oid", jstr(a->oid), "name", jstr(a->name),
		    "value", jstr(a->value)));
	}
	return arr;
}

static json_t *
notes_json(const struct cs_object *obj)
{
	json_t	*arr = json_array();
	size_t	 i;

	for (i = 0; arr != NULL && i < obj->notes.n; i++)
		json_array_append_new(arr, jstr(obj->notes.v[i]));
	return arr;
}

static json_t *
fix_json(const struct cs_finding *f)
{
	if (f->fix_action == NULL)
		return json_null();
	return json_pack("{s:s,s:o}", "action", f->fix_action,
	    "value", jstr(f->fix_value));
}

json_t *
cs_finding_json(const struct cs_finding *f)
{
	return json_pack("{s:s,s:s,s:o,s:o,s:o,s:o,s:o}", "rule", f->rule,
	    "severity", cs_severity_name(f->severity),
	    "field", jstr(f->field),
	    "value", f->value != NULL ?
	    cs_json_bytes(f->value, strlen(f->value)) : json_null(),
	    "message", cs_json_bytes(f->message, strlen(f->message)),
	    "citation", jstr(f->citation),
	    "fix", fix_json(f));
}

static json_t *
findings_json(const struct cs_object *obj)
{
	json_t	*arr = json_array();
	size_t	 i;

	for (i = 0; arr != NULL && i < obj->findings.n; i++)
		json_array_append_new(arr, cs_finding_json(obj->findings.v[i]));
	return arr;
}

static json_t *
checked_json(const struct cs_object *obj)
{
	json_t	*arr = json_array();
	size_t	 i;

	for (i = 0; arr != NULL && i < obj->checked.n; i++)
		json_array_append_new(arr, json_string(obj->checked.v[i]));
	return arr;
}

static json_t *
source_json(const struct cs_source *src)
{
	return json_pack("{s:o,s:i,s:s,s:o,s:o}", "path", jstr(src->path),
	    "index", src->index, "encoding", cs_encoding_name(src->encoding),
	    "container", jstr(cs_container_name(src->container)),
	    "label", jstr(src->label));
}

json_t *
cs_object_json(const struct cs_object *obj)
{
	int	 named = obj->kind == CS_KIND_CERT || obj->kind == CS_KIND_CSR;
	int	 cert = obj->kind == CS_KIND_CERT;
	json_t	*j;

	j = json_pack("{s:o,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o,s:o}",
	    "source", source_json(&obj->src),
	    "kind", cs_kind_name(obj->kind),
	    "version", named ? json_integer(obj->version + 1) : json_null(),
	    "subject", named ? name_json(&obj->subject) : json_null(),
	    "issuer", cert ? name_json(&obj->issuer) : json_null(),
	    "sans", sans_json(obj),
	    "key", key_json(&obj->key),
	    "signature", sig_json(&obj->sig),
	    "validity", validity_json(&obj->validity),
	    "serial", jstr(obj->serial),
	    "extensions", exts_json(obj));
	if (j == NULL)
		return NULL;
	if (obj->kind == CS_KIND_CSR)
		json_object_set_new(j, "attributes", reqattrs_json(obj));
	if (cert)
		json_object_set_new(j, "trusted", json_boolean(obj->trusted));
	json_object_set_new(j, "notes", notes_json(obj));
	json_object_set_new(j, "findings", findings_json(obj));
	if (obj->linted)
		json_object_set_new(j, "checked", checked_json(obj));
	return j;
}

json_t *
cs_diag_json(const struct cs_diag *diag)
{
	return json_pack("{s:o,s:i,s:o}", "path", jstr(diag->path),
	    "index", diag->index, "message", jstr(diag->message));
}

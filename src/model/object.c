#include "model/object.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_names[] = {
	[CS_KIND_CSR] = "csr",
	[CS_KIND_CERT] = "certificate",
	[CS_KIND_PRIVKEY] = "private-key",
	[CS_KIND_PUBKEY] = "public-key",
};

static const char *const san_type_names[] = {
	[CS_SAN_DNS] = "dns",
	[CS_SAN_IP] = "ip",
	[CS_SAN_EMAIL] = "email",
	[CS_SAN_URI] = "uri",
	[CS_SAN_OTHER] = "other",
};

static const char *const severity_names[] = {
	[CS_SEV_INFO] = "info",
	[CS_SEV_NOTICE] = "notice",
	[CS_SEV_WARNING] = "warning",
	[CS_SEV_ERROR] = "error",
};

const char *
cs_severity_name(enum cs_severity sev)
{
	return severity_names[sev];
}

int
cs_severity_parse(const char *name, enum cs_severity *sev)
{
	size_t	 i;

	for (i = 0; i < sizeof(severity_names) / sizeof(severity_names[0]); i++)
		if (strcmp(name, severity_names[i]) == 0) {
			*sev = (enum cs_severity)i;
			return 0;
		}
	return -1;
}

void
cs_finding_free(struct cs_finding *f)
{
	if (f == NULL)
		return;
	free(f->field);
	free(f->value);
	free(f->message);
	free(f->fix_action);
	free(f->fix_value);
	free(f);
}

const char *
cs_kind_name(enum cs_kind kind)
{
	return kind_names[kind];
}

const char *
cs_encoding_name(enum cs_encoding enc)
{
	return enc == CS_ENC_PEM ? "pem" : "der";
}

const char *
cs_container_name(enum cs_container cont)
{
	switch (cont) {
	case CS_CONT_PKCS7:
		return "pkcs7";
	case CS_CONT_PKCS12:
		return "pkcs12";
	default:
		return NULL;
	}
}

const char *
cs_san_type_name(enum cs_san_type type)
{
	return san_type_names[type];
}

struct cs_object *
cs_object_new(enum cs_kind kind, const char *path, int index,
    enum cs_encoding enc, enum cs_container cont, const char *label)
{
	struct cs_object *obj;

	if ((obj = calloc(1, sizeof(*obj))) == NULL)
		return NULL;
	obj->kind = kind;
	obj->src.index = index;
	obj->src.encoding = enc;
	obj->src.container = cont;
	obj->sig.valid = CS_UNKNOWN;
	if ((obj->src.path = cs_strdup(path)) == NULL ||
	    (label != NULL && (obj->src.label = cs_strdup(label)) == NULL)) {
		cs_object_free(obj);
		return NULL;
	}
	return obj;
}

static void
name_free(struct cs_name *name)
{
	size_t	 i;

	for (i = 0; i < name->n; i++) {
		free(name->attrs[i].type);
		free(name->attrs[i].oid);
		free(name->attrs[i].value);
		free(name->attrs[i].string_type);
	}
	free(name->attrs);
	name->attrs = NULL;
	name->n = 0;
}

static void
view_free(struct cs_object *obj)
{
	size_t	 i;

	name_free(&obj->subject);
	name_free(&obj->issuer);
	for (i = 0; i < obj->n_sans; i++)
		free(obj->sans[i].value);
	free(obj->sans);
	for (i = 0; i < obj->n_exts; i++) {
		free(obj->exts[i].oid);
		free(obj->exts[i].name);
		free(obj->exts[i].value);
	}
	free(obj->exts);
	for (i = 0; i < obj->n_reqattrs; i++) {
		free(obj->reqattrs[i].oid);
		free(obj->reqattrs[i].name);
		free(obj->reqattrs[i].value);
	}
	free(obj->reqattrs);
	free(obj->key.algorithm);
	free(obj->key.oid);
	free(obj->key.curve);
	free(obj->sig.algorithm);
	free(obj->sig.oid);
	free(obj->sig.hash);
	free(obj->serial);
	for (i = 0; i < obj->notes.n; i++)
		free(obj->notes.v[i]);
	cs_vec_release(&obj->notes);
	for (i = 0; i < obj->findings.n; i++)
		cs_finding_free(obj->findings.v[i]);
	cs_vec_release(&obj->findings);
	cs_vec_release(&obj->checked);
}

void
cs_object_free(struct cs_object *obj)
{
	if (obj == NULL)
		return;
	view_free(obj);
	X509_free(obj->cert);
	X509_REQ_free(obj->req);
	EVP_PKEY_free(obj->pkey);
	X509_PUBKEY_free(obj->pubkey);
	free(obj->src.path);
	free(obj->src.label);
	free(obj);
}

int
cs_object_note(struct cs_object *obj, const char *fmt, ...)
{
	va_list	 ap;
	int	 rc;

	va_start(ap, fmt);
	rc = cs_vec_vprintf(&obj->notes, fmt, ap);
	va_end(ap);
	return rc;
}

void
cs_diag_free(struct cs_diag *diag)
{
	if (diag == NULL)
		return;
	free(diag->path);
	free(diag->message);
	free(diag);
}

EVP_PKEY *
cs_object_pubkey(const struct cs_object *obj)
{
	if (obj->key.locked)
		return NULL;
	return obj->pkey;
}

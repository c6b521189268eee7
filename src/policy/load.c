/*
 * Loading rules/NAME.xml: find the file, parse it without network or
 * external entities, validate it against profile.xsd, follow "extends"
 * (parent first), and hand each document to profile_apply().
 */
#include "config.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#include "policy/policy-int.h"

#define EXTENDS_MAX	8
#define PROFILE_MAX_SIZE (1024 * 1024)
#define SCHEMA_FILE	"profile.xsd"

/* The first libxml2 error of one parse or validation, as "FILE:LINE: why". */
struct errsink {
	char		*buf;
	size_t		 len;
	const char	*file;		/* when libxml2 names none */
	int		 set;
};

struct loadctx {
	const char	*dir;		/* shipped profiles and the schema */
	xmlSchemaPtr	 schema;
	xmlDocPtr	 schema_doc;
	struct {
		char		*real;	/* compared: the same file twice */
		const char	*shown;	/* as named, for messages */
	}		 chain[EXTENDS_MAX];
	size_t		 depth;
	char		*err;
	size_t		 errlen;
};

static int	 is_dir(const char *);

const char *
cs_profile_dir(void)
{
	const char	*env = getenv("CERTSMITH_PROFILE_DIR");

	if (env != NULL && *env != '\0')
		return env;
	return is_dir(CS_PROFILE_DIR) ? CS_PROFILE_DIR : CS_SRC_PROFILE_DIR;
}

static int
is_dir(const char *path)
{
	struct stat	 st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int
is_file(const char *path)
{
	struct stat	 st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static void
sink_error(void *data, xmlErrorPtr e)
{
	struct errsink	*s = data;
	const char	*msg;
	size_t		 n;

	if (s->set || e == NULL || e->level == XML_ERR_WARNING)
		return;
	s->set = 1;
	msg = e->message != NULL ? e->message : "invalid XML";
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
		n--;
	snprintf(s->buf, s->len, "%s:%d: %.*s",
	    e->file != NULL ? e->file : s->file, e->line, (int)n, msg);
}

/* libxml2 2.9 routes a parser context's errors to sax->serror with
 * ctxt->userData; keep userData (the context) and find the sink in
 * _private. */
static void
parser_error(void *data, xmlErrorPtr e)
{
	xmlParserCtxtPtr	 ctxt = data;

	sink_error(ctxt->_private, e);
}

static xmlDocPtr	 xml_read(struct loadctx *, const char *);

/* The schema document is parsed like a profile (errors collected, no
 * network) and kept until the schema is freed. */
static int
schema_load(struct loadctx *lc)
{
	xmlSchemaParserCtxtPtr	 pctxt;
	struct errsink		 sink = { lc->err, lc->errlen, NULL, 0 };
	char			*path;

	if ((path = cs_printf("%s/%s", lc->dir, SCHEMA_FILE)) == NULL) {
		snprintf(lc->err, lc->errlen, "out of memory");
		return -1;
	}
	sink.file = path;
	if ((lc->schema_doc = xml_read(lc, path)) == NULL) {
		free(path);
		return -1;
	}
	if ((pctxt = xmlSchemaNewDocParserCtxt(lc->schema_doc)) != NULL) {
		xmlSchemaSetParserStructuredErrors(pctxt, sink_error, &sink);
		lc->schema = xmlSchemaParse(pctxt);
		xmlSchemaFreeParserCtxt(pctxt);
	}
	if (lc->schema == NULL && !sink.set)
		snprintf(lc->err, lc->errlen, "%s: cannot load the schema",
		    path);
	free(path);
	return lc->schema == NULL ? -1 : 0;
}

static int
validate(struct loadctx *lc, xmlDocPtr doc, const char *path)
{
	xmlSchemaValidCtxtPtr	 vctxt;
	struct errsink		 sink = { lc->err, lc->errlen, path, 0 };
	int			 rc;

	if (lc->schema == NULL && schema_load(lc) == -1)
		return -1;
	if ((vctxt = xmlSchemaNewValidCtxt(lc->schema)) == NULL) {
		snprintf(lc->err, lc->errlen, "out of memory");
		return -1;
	}
	xmlSchemaSetValidStructuredErrors(vctxt, sink_error, &sink);
	rc = xmlSchemaValidateDoc(vctxt, doc);
	xmlSchemaFreeValidCtxt(vctxt);
	if (rc != 0 && !sink.set)
		snprintf(lc->err, lc->errlen, "%s: does not match the schema",
		    path);
	return rc == 0 ? 0 : -1;
}

static int
size_ok(struct loadctx *lc, const char *path)
{
	struct stat	 st;

	if (stat(path, &st) == -1 || !S_ISREG(st.st_mode)) {
		snprintf(lc->err, lc->errlen, "%s: cannot read the profile",
		    path);
		return 0;
	}
	if (st.st_size > PROFILE_MAX_SIZE) {
		snprintf(lc->err, lc->errlen, "%s: larger than %d bytes",
		    path, PROFILE_MAX_SIZE);
		return 0;
	}
	return 1;
}

/* No network, no external entities or DTD loading (no XML_PARSE_NOENT,
 * DTDLOAD or HUGE); a DOCTYPE at all is refused, which also keeps
 * internal entity expansion (billion laughs) out. */
static xmlDocPtr
xml_read(struct loadctx *lc, const char *path)
{
	xmlParserCtxtPtr	 ctxt;
	xmlDocPtr		 doc;
	struct errsink		 sink = { lc->err, lc->errlen, path, 0 };

	if (!size_ok(lc, path))
		return NULL;
	if ((ctxt = xmlNewParserCtxt()) == NULL) {
		snprintf(lc->err, lc->errlen, "out of memory");
		return NULL;
	}
	ctxt->_private = &sink;
	ctxt->sax->serror = parser_error;
	doc = xmlCtxtReadFile(ctxt, path, NULL, XML_PARSE_NONET);
	xmlFreeParserCtxt(ctxt);
	if (doc == NULL && !sink.set)
		snprintf(lc->err, lc->errlen, "%s: not well-formed XML", path);
	if (doc != NULL && doc->intSubset != NULL) {
		snprintf(lc->err, lc->errlen, "%s:%ld: a DOCTYPE (DTD or "
		    "entities) is not allowed before this element", path,
		    xmlDocGetRootElement(doc) != NULL ?
		    xmlGetLineNo(xmlDocGetRootElement(doc)) : 1L);
		xmlFreeDoc(doc);
		return NULL;
	}
	return doc;
}

static xmlDocPtr
doc_read(struct loadctx *lc, const char *path)
{
	xmlDocPtr	 doc;

	if ((doc = xml_read(lc, path)) != NULL && validate(lc, doc, path) == -1) {
		xmlFreeDoc(doc);
		return NULL;
	}
	return doc;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "a, b, c": the *.xml names in dir, sorted; NULL when out of memory. */
static char *
shipped_names(const char *dir)
{
	struct cs_vec	 names = { 0 };
	DIR		*d;
	struct dirent	*de;
	char		 list[1024] = "";
	size_t		 i, n;

	if ((d = opendir(dir)) != NULL) {
		while ((de = readdir(d)) != NULL) {
			n = strlen(de->d_name);
			if (n > 4 && de->d_name[0] != '.' &&
			    strcmp(de->d_name + n - 4, ".xml") == 0)
				(void)cs_vec_push(&names,
				    cs_strndup(de->d_name, n - 4));
		}
		closedir(d);
	}
	if (names.n > 0)
		qsort(names.v, names.n, sizeof(*names.v), name_cmp);
	for (i = 0; i < names.n; i++) {
		if (names.v[i] != NULL && strlen(list) + 64 < sizeof(list))
			snprintf(list + strlen(list), sizeof(list) -
			    strlen(list), "%s%s", *list ? ", " : "",
			    (char *)names.v[i]);
		free(names.v[i]);
	}
	cs_vec_release(&names);
	return cs_strdup(*list ? list : "none");
}

static int
name_ok(const char *name)
{
	size_t	 n = strlen(name);

	return n > 0 && n < 64 && strspn(name,
	    "abcdefghijklmnopqrstuvwxyz0123456789._-") == n && name[0] != '.';
}

/* The path of profile NAME: in `near` (the extending file's directory)
 * first, then in the shipped directory. */
static char *
named_path(struct loadctx *lc, const char *name, const char *near)
{
	char	*path, *list;

	if (name_ok(name) && near != NULL) {
		if ((path = cs_printf("%s/%s.xml", near, name)) == NULL)
			return NULL;
		if (is_file(path))
			return path;
		free(path);
	}
	if (name_ok(name)) {
		if ((path = cs_printf("%s/%s.xml", lc->dir, name)) == NULL)
			return NULL;
		if (is_file(path))
			return path;
		free(path);
	}
	list = shipped_names(lc->dir);
	snprintf(lc->err, lc->errlen, "no profile '%s' in %s (shipped: %s)",
	    name, lc->dir, list != NULL ? list : "?");
	free(list);
	return NULL;
}

static char *
dir_of(const char *path)
{
	const char	*slash = strrchr(path, '/');

	if (slash == NULL)
		return cs_strdup(".");
	return cs_strndup(path, slash == path ? 1 : (size_t)(slash - path));
}

/* "a.xml -> b.xml -> a.xml" */
static void
chain_error(struct loadctx *lc, const char *next, const char *why)
{
	size_t	 i, used;

	snprintf(lc->err, lc->errlen, "%s: %s: ", lc->chain[0].shown, why);
	for (i = 0; i < lc->depth; i++) {
		used = strlen(lc->err);
		snprintf(lc->err + used, lc->errlen - used, "%s -> ",
		    lc->chain[i].shown);
	}
	used = strlen(lc->err);
	snprintf(lc->err + used, lc->errlen - used, "%s", next);
}

/* path must outlive the load (it does: it is on the caller's stack). */
static int
chain_push(struct loadctx *lc, const char *path)
{
	char	 real[PATH_MAX];
	size_t	 i;

	if (realpath(path, real) == NULL)
		snprintf(real, sizeof(real), "%s", path);
	for (i = 0; i < lc->depth; i++)
		if (strcmp(lc->chain[i].real, real) == 0) {
			chain_error(lc, path, "extends loops");
			return -1;
		}
	if (lc->depth == EXTENDS_MAX) {
		chain_error(lc, path, "extends chain deeper than 8");
		return -1;
	}
	if ((lc->chain[lc->depth].real = cs_strdup(real)) == NULL) {
		snprintf(lc->err, lc->errlen, "out of memory");
		return -1;
	}
	lc->chain[lc->depth++].shown = path;
	return 0;
}

static struct cs_profile *load_file(struct loadctx *, const char *);

/* The profile this document starts from: its parent, or the built-in. */
static struct cs_profile *
base_of(struct loadctx *lc, xmlNodePtr root, const char *path)
{
	struct cs_profile	*p;
	xmlChar			*ext;
	char			*near, *ppath;

	if ((ext = xmlGetProp(root, (const xmlChar *)"extends")) == NULL) {
		if ((p = cs_profile_builtin()) == NULL)
			snprintf(lc->err, lc->errlen, "out of memory");
		return p;
	}
	p = NULL;
	near = dir_of(path);
	ppath = near != NULL ? named_path(lc, (char *)ext, near) : NULL;
	if (ppath == NULL && near == NULL)
		snprintf(lc->err, lc->errlen, "out of memory");
	else if (ppath == NULL) {
		char	*why = cs_strdup(lc->err);

		snprintf(lc->err, lc->errlen, "%s:%ld: extends: %s", path,
		    xmlGetLineNo(root), why != NULL ? why : "not found");
		free(why);
	} else
		p = load_file(lc, ppath);
	free(ppath);
	free(near);
	xmlFree(ext);
	return p;
}

static struct cs_profile *
load_file(struct loadctx *lc, const char *path)
{
	struct cs_profile	*p = NULL;
	xmlDocPtr		 doc;

	if (chain_push(lc, path) == -1)
		return NULL;
	if ((doc = doc_read(lc, path)) == NULL)
		return NULL;
	p = base_of(lc, xmlDocGetRootElement(doc), path);
	if (p != NULL && profile_apply(p, xmlDocGetRootElement(doc), path,
	    lc->err, lc->errlen) == -1) {
		cs_profile_free(p);
		p = NULL;
	}
	xmlFreeDoc(doc);
	return p;
}

static int
is_path(const char *spec)
{
	size_t	 n = strlen(spec);

	return strchr(spec, '/') != NULL ||
	    (n >= 4 && strcmp(spec + n - 4, ".xml") == 0);
}

struct cs_profile *
cs_profile_load(const char *spec, const char *dir, char *err, size_t errlen)
{
	struct loadctx		 lc = { 0 };
	struct cs_profile	*p = NULL;
	char			*path;
	size_t			 i;

	lc.dir = dir != NULL ? dir : cs_profile_dir();
	lc.err = err;
	lc.errlen = errlen;
	if (is_path(spec))
		path = cs_strdup(spec);
	else
		path = named_path(&lc, spec, NULL);
	if (path != NULL)
		p = load_file(&lc, path);
	else if (is_path(spec))
		snprintf(err, errlen, "out of memory");
	free(path);
	for (i = 0; i < lc.depth; i++)
		free(lc.chain[i].real);
	xmlSchemaFree(lc.schema);
	xmlFreeDoc(lc.schema_doc);
	return p;
}

/*
 * testutil - helpers shared by the unit tests; see testutil.h for what
 * belongs here and who owns what.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <sys/stat.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include "testutil.h"

X509 *
tu_make_cert(EVP_PKEY *key, const char *cn, long version)
{
	X509		*cert;
	X509_NAME	*name;

	if ((cert = X509_new()) == NULL)
		return NULL;
	name = X509_get_subject_name(cert);
	if (!X509_set_version(cert, version) ||
	    !ASN1_INTEGER_set(X509_get_serialNumber(cert), 1) ||
	    !X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_UTF8,
	    (const unsigned char *)cn, -1, -1, 0) ||
	    !X509_set_issuer_name(cert, name) ||
	    X509_gmtime_adj(X509_getm_notBefore(cert), 0) == NULL ||
	    X509_gmtime_adj(X509_getm_notAfter(cert), 86400) == NULL ||
	    !X509_set_pubkey(cert, key) ||
	    X509_sign(cert, key, EVP_sha256()) <= 0) {
		X509_free(cert);
		return NULL;
	}
	return cert;
}

X509_REQ *
tu_make_req(EVP_PKEY *key, const char *cn)
{
	X509_REQ	*req;

	if ((req = X509_REQ_new()) == NULL)
		return NULL;
	if (!X509_NAME_add_entry_by_txt(X509_REQ_get_subject_name(req), "CN",
	    MBSTRING_UTF8, (const unsigned char *)cn, -1, -1, 0) ||
	    !X509_REQ_set_pubkey(req, key) ||
	    X509_REQ_sign(req, key, EVP_sha256()) <= 0) {
		X509_REQ_free(req);
		return NULL;
	}
	return req;
}

int
tu_spki_sha256(EVP_PKEY *key, unsigned char out[32])
{
	unsigned char	*der = NULL;
	int		 len;

	if ((len = i2d_PUBKEY(key, &der)) <= 0)
		return -1;
	SHA256(der, (size_t)len, out);
	OPENSSL_free(der);
	return 0;
}

int
tu_mkdtemp(char *dir, size_t size, const char *tmpl)
{
	if (size == 0)
		return -1;
	if (strlen(tmpl) >= size) {
		dir[0] = '\0';
		return -1;
	}
	strcpy(dir, tmpl);
	if (mkdtemp(dir) == NULL) {
		dir[0] = '\0';
		return -1;
	}
	return 0;
}

void
tu_rm_dir(const char *dir)
{
	DIR		*d;
	struct dirent	*e;
	char		 path[512];

	if (dir[0] == '\0' || (d = opendir(dir)) == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		unlink(path);
	}
	closedir(d);
	rmdir(dir);
}

char *
tu_path_join(const char *dir, const char *name)
{
	size_t	 size = strlen(dir) + strlen(name) + 2;
	char	*path;

	path = malloc(size);
	assert_non_null(path);
	snprintf(path, size, "%s/%s", dir, name);
	return path;
}

void
tu_walk_files(const char *dir, void (*fn)(const char *path, void *arg),
    void *arg)
{
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	char		*path;

	assert_non_null(d = opendir(dir));
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		path = tu_path_join(dir, de->d_name);
		assert_int_equal(lstat(path, &st), 0);
		if (S_ISDIR(st.st_mode))
			tu_walk_files(path, fn, arg);
		else if (S_ISREG(st.st_mode))
			fn(path, arg);
		free(path);
	}
	closedir(d);
}

char *
tu_scratch_path(char **slot, const char *dir, const char *name)
{
	free(*slot);
	*slot = NULL;
	*slot = tu_path_join(dir, name);
	return *slot;
}

void
tu_assert_contains(const char *s, const char *part)
{
	assert_non_null(s);
	if (strstr(s, part) == NULL)
		fail_msg("\"%s\" does not contain \"%s\"", s, part);
}

void
tu_run_open(struct tu_run *r, const char *family, const char *file,
    const char *rule, const struct cs_params *params)
{
	struct cs_decoder_opts	 dopts = { 0 };
	struct cs_lint_opts	 lopts = { 0 };
	const struct cs_rule *const *all;
	const char		*corpus = getenv("CORPUS"), *err;
	char			 path[512];
	size_t			 i, n;

	memset(r, 0, sizeof(*r));
	snprintf(path, sizeof(path), "%s/lint/%s/%s",
	    corpus != NULL ? corpus : "corpus", family, file);
	assert_non_null(r->dec = cs_decoder_new(&dopts));
	assert_int_equal(cs_decode_file(r->dec, path, &r->res), 0);
	r->obj = r->res.objects.n > 0 ? r->res.objects.v[0] : NULL;
	all = cs_rules_all(&n);
	assert_non_null(r->enabled = malloc(n));
	for (i = 0; i < n; i++)
		r->enabled[i] = strcmp(all[i]->id, rule) == 0;
	lopts.params = params;
	lopts.enabled = r->enabled;
	assert_non_null(r->lint = cs_lint_new(&lopts, &err));
	assert_int_equal(cs_lint_run(r->lint,
	    (struct cs_object *const *)r->res.objects.v, r->res.objects.n), 0);
}

void
tu_run_close(struct tu_run *r)
{
	cs_lint_free(r->lint);
	cs_result_release(&r->res);
	cs_decoder_free(r->dec);
	free(r->enabled);
}

const struct cs_finding *
tu_finding_of(const struct cs_object *obj, const char *rule)
{
	size_t	 i;

	for (i = 0; i < obj->findings.n; i++) {
		const struct cs_finding *f = obj->findings.v[i];

		if (strcmp(f->rule, rule) == 0)
			return f;
	}
	return NULL;
}

int
tu_has_finding(const struct cs_object *obj, const char *rule)
{
	return tu_finding_of(obj, rule) != NULL;
}

int
tu_ran(const struct cs_object *obj, const char *rule)
{
	size_t	 i;

	for (i = 0; i < obj->checked.n; i++)
		if (strcmp(obj->checked.v[i], rule) == 0)
			return 1;
	return 0;
}

void
tu_assert_fix(const struct cs_finding *f, const char *action,
    const char *value)
{
	if (action == NULL) {
		assert_null(f->fix_action);
	} else {
		assert_string_equal(f->fix_action, action);
		assert_string_equal(f->fix_value, value);
	}
}

void
tu_assert_silent(const struct tu_run *r, const char *rule)
{
	assert_true(tu_ran(r->obj, rule));
	assert_null(tu_finding_of(r->obj, rule));
}

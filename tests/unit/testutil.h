/*
 * testutil - helpers shared by the unit tests in tests/unit/.
 *
 * What lives here: only helpers that more than one test program uses in
 * the same form (or in forms that differ by one parameter).  A helper that
 * one test file uses, or whose body is particular to that file's fixture
 * (test_report's make_cert with fixed dates and extensions, test_report's
 * JSON lookups, test_sniff's corpus readers, test_util's dir_entries, the
 * fixtures' setup and teardown), stays in that file.
 *
 * Who owns what:
 * - tu_make_cert and tu_make_req return a new object that the caller
 *   frees (X509_free, X509_REQ_free); NULL when OpenSSL fails.
 * - tu_path_join returns a malloc'd string that the caller frees.
 *   tu_scratch_path frees the string *slot held and stores the new one
 *   there: the slot (a fixture's `path`) owns it, the return value is
 *   borrowed.
 * - tu_mkdtemp fills the caller's buffer; the directory is the caller's
 *   to remove, normally with tu_rm_dir in teardown.
 * - tu_rm_dir removes the files directly inside dir, then dir; it is
 *   meant for the flat scratch directories of tu_mkdtemp only.
 *
 * - tu_run_open fills the caller's struct tu_run; tu_run_close frees what
 *   it holds (decoder, result, lint, enabled mask).  tu_finding_of returns
 *   a finding borrowed from obj.
 *
 * The tu_assert_* helpers, tu_path_join and tu_run_open fail the running cmocka test
 * rather than return an error, so they may be called from tests only (not
 * from setup or teardown, where the others return -1 / NULL instead).
 */
#ifndef CS_TESTUTIL_H
#define CS_TESTUTIL_H

#include <stddef.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "input/input.h"
#include "rules/rule.h"

/* A self-signed certificate: the given version, serial 1, subject and
 * issuer CN=cn, valid from now for one day, key's public key, signed with
 * key and SHA-256. */
X509		*tu_make_cert(EVP_PKEY *key, const char *cn, long version);

/* A certificate request for CN=cn with key's public key, signed with key
 * and SHA-256. */
X509_REQ	*tu_make_req(EVP_PKEY *key, const char *cn);

/* The SHA-256 of key's DER SubjectPublicKeyInfo; 0, or -1 on failure. */
int		 tu_spki_sha256(EVP_PKEY *key, unsigned char out[32]);

/* Makes a private directory from tmpl (which ends in XXXXXX) into dir
 * (size bytes); 0, or -1 with dir set to "" (which tu_rm_dir ignores). */
int		 tu_mkdtemp(char *dir, size_t size, const char *tmpl);

/* Removes the files in dir, then dir; "" or a missing dir is a no-op. */
void		 tu_rm_dir(const char *dir);

/* "dir/name", malloc'd; fails the test if out of memory. */
char		*tu_path_join(const char *dir, const char *name);

/* Calls fn(path, arg) for every regular file under dir, symbolic links
 * not followed; fails the test if dir cannot be read. */
void		 tu_walk_files(const char *dir,
		    void (*fn)(const char *path, void *arg), void *arg);

/* Replaces *slot with "dir/name" (freeing the old one) and returns it. */
char		*tu_scratch_path(char **slot, const char *dir, const char *name);

/* Fails the test unless s is non-NULL and contains part. */
void		 tu_assert_contains(const char *s, const char *part);

/* One corpus input decoded and linted with a single rule enabled. */
struct tu_run {
	struct cs_decoder	*dec;
	struct cs_result	 res;
	struct cs_lint		*lint;
	signed char		*enabled;
	const struct cs_object	*obj;	/* the first object of res */
};

/* Decodes $CORPUS/lint/family/file (CORPUS defaults to "corpus") and lints
 * it with only rule enabled, under params; fails the test on any error. */
void		 tu_run_open(struct tu_run *r, const char *family,
		    const char *file, const char *rule,
		    const struct cs_params *params);

/* Frees what tu_run_open made. */
void		 tu_run_close(struct tu_run *r);

/* obj's first finding of rule, or NULL. */
const struct cs_finding *tu_finding_of(const struct cs_object *obj,
		    const char *rule);

/* 1 if obj has a finding of rule, else 0. */
int		 tu_has_finding(const struct cs_object *obj, const char *rule);

/* 1 if rule ran on obj (is in its checked list), else 0. */
int		 tu_ran(const struct cs_object *obj, const char *rule);

/* Fails the test unless f has no fix (action NULL) or exactly the fix
 * action/value. */
void		 tu_assert_fix(const struct cs_finding *f, const char *action,
		    const char *value);

/* Fails the test unless rule ran on r's object without a finding. */
void		 tu_assert_silent(const struct tu_run *r, const char *rule);

#endif /* CS_TESTUTIL_H */

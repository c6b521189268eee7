/*
 * fix.h - rebuild a certificate signing request with the remedies of its
 * findings and the user's edits applied, then sign it.
 *
 * A struct cs_fix holds the request being built: the subject, the requested
 * extensions, the other attributes and the signature digest. It starts as a
 * copy of a CSR (everything kept as it was, in its order), of a certificate
 * (its subject and subjectAltName only: the other extensions are the
 * issuer's) or of an openssl.cnf [req] section (fix/config.c). Every action
 * that changes it appends a struct cs_fix_change, so a person can read what
 * changed (before -> after) and why.
 *
 * Actions are the machine-readable fixes the rules attach to findings
 * (struct cs_finding's fix_action and fix_value): add-san, remove-san,
 * set-subject, remove-subject, remove-attribute, set-extension,
 * remove-extension, dedupe-extension, set-digest, replace-san. new-key and reorder are not edits of a
 * request; cs_fix_finding says so and leaves them to the caller.
 *
 * Knows nothing of the command line and never prints.
 *
 * Ownership: a cs_fix owns its copies and its changes; cs_fix_free()
 * releases them and accepts NULL. cs_fix_sign() returns a new X509_REQ the
 * caller frees; the keys it is given are borrowed.
 */
#ifndef CS_FIX_FIX_H
#define CS_FIX_FIX_H

#include <stddef.h>

#include <openssl/types.h>

#include "model/object.h"
#include "util/util.h"

/* One change, for a person: field, before and after (NULL: absent). */
struct cs_fix_change {
	char		*field;		/* "subject.C", "sans", "extensions.keyUsage" */
	char		*before;	/* NULL: there was none */
	char		*after;		/* NULL: removed */
	char		*why;		/* rule id, or the option ("--set") */
};

enum cs_fix_status {
	CS_FIX_APPLIED,		/* the request changed */
	CS_FIX_NOOP,		/* nothing to do: already so */
	CS_FIX_UNSUPPORTED,	/* not an edit of a request (why says) */
	CS_FIX_ERROR,		/* a bad value (why says) */
	CS_FIX_NOMEM,		/* out of memory */
};

struct cs_fix;

/* A copy of req's subject, extensions and attributes, or NULL (why in err). */
struct cs_fix	*cs_fix_from_req(const X509_REQ *req, char *err, size_t errlen);
/* A renewal request: cert's subject and subjectAltName. */
struct cs_fix	*cs_fix_from_cert(const X509 *cert, char *err, size_t errlen);
/*
 * A request from the [req] section of an openssl.cnf-style file:
 * distinguished_name (prompt = no, or the _default values of the prompt
 * form), req_extensions, attributes, default_md, string_mask. Directives
 * it does not support are named in err, never ignored; ones that do not
 * concern the request (x509_extensions, default_bits, ...) append a note
 * to notes (char *, owned by the caller).
 */
struct cs_fix	*cs_fix_from_config(const char *path, OSSL_LIB_CTX *libctx,
		    struct cs_vec *notes, char *err, size_t errlen);
void		 cs_fix_free(struct cs_fix *fx);

/* Applies f's fix, if it has one; why gets the reason for anything but
 * CS_FIX_APPLIED and CS_FIX_NOOP. */
enum cs_fix_status cs_fix_finding(struct cs_fix *fx,
		    const struct cs_finding *f, char *why, size_t whylen);
/*
 * Applies one action; target is the value the action replaces or removes
 * where the caller knows it (a finding's value), else NULL; who is recorded
 * in the change ("dn.country-code", "--set").
 */
enum cs_fix_status cs_fix_action(struct cs_fix *fx, const char *action,
		    const char *value, const char *target, const char *who,
		    char *why, size_t whylen);

/* --set FIELD=VALUE: subject.ATTR (an empty VALUE removes the attribute)
 * or signature.digest. */
enum cs_fix_status cs_fix_set(struct cs_fix *fx, const char *assignment,
		    char *why, size_t whylen);
/* --add-san / --drop-san TYPE:VALUE (dns, ip, email, uri). Dropping a
 * name the request does not hold is CS_FIX_ERROR. */
enum cs_fix_status cs_fix_add_san(struct cs_fix *fx, const char *spec,
		    const char *who, char *why, size_t whylen);
enum cs_fix_status cs_fix_drop_san(struct cs_fix *fx, const char *spec,
		    const char *who, char *why, size_t whylen);
/* Puts spec in place of the name target ("www.Example.com", of spec's
 * type), or appends it when target is not there. */
enum cs_fix_status cs_fix_replace_san(struct cs_fix *fx, const char *spec,
		    const char *target, const char *who, char *why,
		    size_t whylen);

/* The digest the request will be signed with, "" for keys that sign
 * without one (Ed25519, Ed448), given the signing key. */
const char	*cs_fix_digest(const struct cs_fix *fx, const EVP_PKEY *key);
/* Sets the digest the original request used (kept when it is strong). */
void		 cs_fix_keep_digest(struct cs_fix *fx, const char *hash);

/* Builds the request with key's public key, signed by key with
 * cs_fix_digest(). NULL (why in err) when signing fails. */
X509_REQ	*cs_fix_sign(struct cs_fix *fx, EVP_PKEY *key,
		    OSSL_LIB_CTX *libctx, char *err, size_t errlen);

/* The changes so far, in order (struct cs_fix_change *). */
const struct cs_vec *cs_fix_changes(const struct cs_fix *fx);
/* Records a change the caller made (the key, the signature); 0 or -1. */
int		 cs_fix_note_change(struct cs_fix *fx, const char *field,
		    const char *before, const char *after, const char *why);

/*
 * A new key: "rsa:BITS" (2048 to 16384), "ec:CURVE" (P-256, P-384, P-521,
 * or OpenSSL's names of them), "ed25519", "ed448". cs_fix_keyspec_ok
 * checks the text only; cs_fix_new_key generates (NULL, why in err).
 */
int		 cs_fix_keyspec_ok(const char *spec);
EVP_PKEY	*cs_fix_new_key(const char *spec, OSSL_LIB_CTX *libctx,
		    char *err, size_t errlen);

#endif

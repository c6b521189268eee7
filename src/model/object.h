/*
 * object.h - struct cs_object: one decoded thing (CSR, certificate, private
 * key or public key) with where it came from and a normalised, plain-data
 * view of it that rules and reporters read without touching OpenSSL.
 *
 * Ownership: a cs_object owns every string and array in it and holds one
 * reference on each OpenSSL handle (cert, req, pkey, pubkey). cs_object_free()
 * releases all of it and accepts NULL. Private key material lives only inside
 * the EVP_PKEY; nothing in the view is secret.
 */
#ifndef CS_MODEL_OBJECT_H
#define CS_MODEL_OBJECT_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "util/util.h"

enum cs_kind {
	CS_KIND_CSR,
	CS_KIND_CERT,
	CS_KIND_PRIVKEY,
	CS_KIND_PUBKEY,
};

enum cs_encoding {
	CS_ENC_PEM,
	CS_ENC_DER,
};

enum cs_container {
	CS_CONT_NONE,
	CS_CONT_PKCS7,
	CS_CONT_PKCS12,
};

struct cs_source {
	char			*path;		/* as given on the command line */
	int			 index;		/* object's position in the file */
	enum cs_encoding	 encoding;
	enum cs_container	 container;
	char			*label;		/* PEM label, NULL for DER */
};

/* One attribute of a distinguished name, in encoding order. */
struct cs_attr {
	char	*type;		/* short name ("CN") or dotted OID */
	char	*oid;		/* dotted OID */
	char	*value;		/* UTF-8; hostile bytes kept as they are */
	size_t	 value_len;	/* may hold NULs */
	char	*string_type;	/* "UTF8String", "PrintableString", ... */
	int	 rdn;		/* index of the RDN (multi-valued RDNs share it) */
};

struct cs_name {
	struct cs_attr	*attrs;
	size_t		 n;
};

enum cs_san_type {
	CS_SAN_DNS,
	CS_SAN_IP,
	CS_SAN_EMAIL,
	CS_SAN_URI,
	CS_SAN_OTHER,
};

struct cs_san {
	enum cs_san_type type;
	char		*value;
	size_t		 value_len;
};

struct cs_keyinfo {
	int		 present;	/* the object carries a key at all */
	char		*algorithm;	/* "rsa", "ec", ... or dotted OID */
	char		*oid;		/* algorithm OID, dotted */
	int		 bits;		/* 0 when unknown */
	char		*curve;		/* "P-256", "secp256k1", "explicit", NULL */
	int		 has_spki;	/* spki_sha256 is set */
	unsigned char	 spki_sha256[32];
	int		 locked;	/* encrypted and not opened */
	int		 loaded;	/* OpenSSL could load the key */
	int		 point_valid;	/* EC: the point was found on its curve
					 * and not at infinity without loading
					 * the key (cs_view_spki_known) */
};

enum cs_tristate {
	CS_UNKNOWN = -1,
	CS_NO = 0,
	CS_YES = 1,
};

struct cs_siginfo {
	int		 present;
	char		*algorithm;	/* long name or dotted OID */
	char		*oid;
	char		*hash;		/* "sha256", NULL when intrinsic/unknown */
	enum cs_tristate valid;
};

struct cs_validity {
	int		 present;
	int64_t		 not_before;	/* seconds since the epoch, UTC */
	int64_t		 not_after;
	char		 not_before_str[64];	/* RFC 3339, "...Z" */
	char		 not_after_str[64];
};

struct cs_ext {
	char	*oid;
	char	*name;		/* OpenSSL short name, NULL when unknown */
	int	 critical;
	char	*value;		/* decoded text, or hex of the octets;
				 * NULL until cs_view_settle */
};

/* A CSR attribute (challengePassword, extensionRequest, ...). */
struct cs_reqattr {
	char	*oid;
	char	*name;
	char	*value;		/* text when it is a string, else NULL */
	int	 secret;	/* a challengePassword: value withheld */
};

/* Severities, lowest first, so "at or above" is a comparison. */
enum cs_severity {
	CS_SEV_INFO,
	CS_SEV_NOTICE,
	CS_SEV_WARNING,
	CS_SEV_ERROR,
};

/*
 * One problem a rule found in one object. rule and citation point into the
 * static rule table (or, for profile field rules, into the loaded profile,
 * which outlives every report); the rest is owned by the finding.
 */
struct cs_finding {
	const char		*rule;		/* "key.rsa.min-bits" */
	enum cs_severity	 severity;
	char			*field;		/* "subject.CN", "sans[2]", "key" */
	char			*value;		/* the offending value, or NULL */
	char			*message;	/* for a person */
	const char		*citation;
	char			*fix_action;	/* "add-san", ...; NULL: no known fix */
	char			*fix_value;	/* "dns:www.example.com", or NULL */
};

struct cs_object {
	enum cs_kind		 kind;
	struct cs_source	 src;

	/* OpenSSL handles, NULL where they do not apply. */
	X509			*cert;
	X509_REQ		*req;
	EVP_PKEY		*pkey;		/* the object's key (public half for
						 * certificates and CSRs) */
	X509_PUBKEY		*pubkey;	/* the SPKI as found */

	/* The normalised view. */
	long			 version;	/* as encoded (cert v3 == 2) */
	struct cs_name		 subject;	/* empty for keys */
	struct cs_name		 issuer;	/* certificates only */
	struct cs_san		*sans;
	size_t			 n_sans;
	struct cs_keyinfo	 key;
	struct cs_siginfo	 sig;
	struct cs_validity	 validity;
	char			*serial;	/* lower-case hex, "-" prefix if negative */
	struct cs_ext		*exts;
	size_t			 n_exts;
	struct cs_reqattr	*reqattrs;
	size_t			 n_reqattrs;
	int			 trusted;	/* TRUSTED CERTIFICATE (aux data) */
	int			 unsettled;	/* see cs_view_settle */
	OSSL_LIB_CTX		*libctx;	/* a CSR's, for cs_view_settle */
	struct cs_vec		 notes;		/* char *: facts a person should know */

	/* Filled by the rule engine (src/rules), empty until it runs. */
	int			 linted;	/* the engine ran over this object */
	struct cs_vec		 findings;	/* struct cs_finding * */
	struct cs_vec		 checked;	/* const char *: ids of rules that ran */
};

/* A problem with one input, or with one block of it. */
struct cs_diag {
	char	*path;
	int	 index;		/* index of the object it concerns (0: the file) */
	char	*message;	/* names the block and the reason */
};

void		 cs_diag_free(struct cs_diag *diag);
void		 cs_finding_free(struct cs_finding *f);

/* "error", "warning", "notice", "info"; cs_severity_parse returns 0 or -1. */
const char	*cs_severity_name(enum cs_severity sev);
int		 cs_severity_parse(const char *name, enum cs_severity *sev);

const char	*cs_kind_name(enum cs_kind kind);
const char	*cs_encoding_name(enum cs_encoding enc);
const char	*cs_container_name(enum cs_container cont); /* NULL for none */
const char	*cs_san_type_name(enum cs_san_type type);

struct cs_object *cs_object_new(enum cs_kind kind, const char *path, int index,
		    enum cs_encoding enc, enum cs_container cont,
		    const char *label);
void		 cs_object_free(struct cs_object *obj);
/* The public key the object carries (a certificate's, a CSR's, a key's),
 * borrowed; NULL when none is loaded or the key is still locked. */
EVP_PKEY	*cs_object_pubkey(const struct cs_object *obj);
/* Appends a formatted note; returns 0 or -1 (out of memory). */
int		 cs_object_note(struct cs_object *obj, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));

/*
 * Fill the view from an OpenSSL handle. cs_view_cert and cs_view_pkey take
 * their own reference; cs_view_req and cs_view_pubkey take ownership of what
 * they are given, even when they fail. Return 0, or -1 when out of memory; facts
 * OpenSSL cannot provide become notes, not failures.
 */
/* cs_view_cert and cs_view_req also take the key their structure carries
 * when the decoder loaded it apart (a structure decoded without its key,
 * see src/input/decode.c), with a reference of their own; NULL: the key
 * the structure loaded itself, if any. */
int		 cs_view_cert(struct cs_object *obj, X509 *cert, EVP_PKEY *pkey);
/* A certificate's sig.valid, which cs_view_cert leaves unknown: checking a
 * self-signed certificate's own signature is the costly part of its view,
 * so a decoder that has seen the certificate before copies the answer. */
void		 cs_view_cert_verify(struct cs_object *obj);
/* libctx (NULL: OpenSSL's default) is the one the CSR's signature is
 * checked in, and must outlive obj. */
int		 cs_view_req(struct cs_object *obj, X509_REQ *req, EVP_PKEY *pkey,
		    OSSL_LIB_CTX *libctx);
/*
 * cs_view_cert and cs_view_req leave out the costly parts of a view that
 * only some readers want: the extensions' values (exts[i].value stays
 * NULL) and a CSR's signature verdict (sig.valid stays unknown). This
 * fills them in (0, or -1 when out of memory); it does nothing for an
 * object already settled. The decoder settles its objects unless asked
 * not to (cs_decoder_opts.unsettled); the rule engine settles what it is
 * given.
 */
int		 cs_view_settle(struct cs_object *obj);
int		 cs_view_pkey(struct cs_object *obj, EVP_PKEY *pkey);
int		 cs_view_pubkey(struct cs_object *obj, X509_PUBKEY *pub);
/* As cs_view_pubkey, with the key loaded by the caller (NULL: it could not
 * be); takes its own reference on pkey. */
int		 cs_view_spki(struct cs_object *obj, X509_PUBKEY *pub,
		    EVP_PKEY *pkey);
/*
 * As cs_view_spki for a key its caller knows OpenSSL loads, without the
 * key: bits as EVP_PKEY_get_bits gives them, sha256 the SPKI's digest. The
 * per-key rules then read what they need from the SPKI itself (the scan's
 * weak-key pass, where building an EVP_PKEY cost more than the rules).
 */
int		 cs_view_spki_known(struct cs_object *obj, X509_PUBKEY *pub,
		    int bits, const unsigned char sha256[32]);
/*
 * The modulus n and exponent e of a DER RSAPublicKey (RFC 8017 A.1.1) as
 * the big-endian contents of their INTEGERs: 0 when the DER is exactly
 * that SEQUENCE with both positive and minimally encoded, else -1 (what
 * OpenSSL may still read some other way).
 */
int		 cs_rsa_public_parts(const unsigned char *der, size_t len,
		    const unsigned char **n, size_t *n_len,
		    const unsigned char **e, size_t *e_len);
/* The fields of the SPKI at *pp (advanced past it), the key not loaded:
 * d2i_X509_PUBKEY also loads the key, building a new OpenSSL decoder
 * context each time. NULL when the DER is not an SPKI. */
X509_PUBKEY	*cs_spki_fields(const unsigned char **pp, long len);

#endif

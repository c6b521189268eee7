/*
 * fleet.h - what `scan` and `merge` found across a fleet, as plain data
 * for the reporters: which keys pair with which certificates and CSRs,
 * which do not belong together, and which keys are orphaned, locked,
 * reused or weak.
 *
 * Every path names a file; where the file holds several objects it is
 * "path#index". When the records of more than one origin (host or shard
 * label) are joined by `merge`, a path is "origin:path".
 *
 * Ownership: a cs_fleet owns every string, vector and finding in it;
 * cs_fleet_release frees them all.
 */
#ifndef CS_MODEL_FLEET_H
#define CS_MODEL_FLEET_H

#include <stddef.h>
#include <stdint.h>

#include "model/object.h"
#include "util/util.h"

/* A key with the certificates and CSRs that carry it. */
struct cs_fleet_pair {
	char		 spki[65];	/* SHA-256, lower-case hex */
	struct cs_vec	 keys;		/* char *: private keys */
	struct cs_vec	 certs;		/* char *: certificates */
	struct cs_vec	 csrs;		/* char *: CSRs */
};

/* A key and a certificate meant to go together whose keys differ. */
struct cs_fleet_mismatch {
	char		*key;
	char		*cert;
	const char	*reason;	/* same-stem, combined-pem, directory,
					 * letsencrypt, nginx, apache, haproxy */
	char		*detail;	/* the config and its line, or NULL */
};

/* A key and certificate a web server config names (for merge). */
struct cs_fleet_config {
	char		*path;		/* the config */
	char		*top;
	int		 line;
	const char	*server;	/* "nginx", "apache", "haproxy" */
	char		*cert;		/* as written */
	char		*key;		/* NULL: in the certificate's file */
};

/* One key in certificates for several subjects or in several top-level
 * directories (or on several hosts). */
struct cs_fleet_reuse {
	char		 spki[65];
	const char	*reason;	/* "subjects", "directories" */
	struct cs_vec	 keys;		/* char * */
	struct cs_vec	 certs;		/* char * */
};

/* RSA moduli sharing a prime, or the same modulus under different keys. */
struct cs_fleet_factor {
	int		 duplicate;	/* 1: the same modulus */
	struct cs_vec	 paths;		/* char *: every object of each key */
};

struct cs_fleet_expiry {
	char		*path;
	char		 not_after[64];	/* RFC 3339 */
	int		 expired;
	int64_t		 days;		/* days left, negative once expired */
};

/* A key the per-key rules flag, wherever it is. */
struct cs_fleet_weak {
	char		 spki[65];
	enum cs_severity severity;	/* of the worst finding */
	struct cs_vec	 paths;		/* char * */
	struct cs_vec	 findings;	/* struct cs_finding * */
};

/* One object as the index saw it, with its findings under --lint. */
struct cs_fleet_object {
	char		*path;
	char		*file;		/* the file alone */
	int		 index;		/* the object's place in it */
	enum cs_kind	 kind;
	int		 locked;
	int		 has_spki;
	char		 spki[65];
	int		 has_validity;
	char		 not_after[64];
	int		 linted;
	struct cs_vec	 findings;	/* struct cs_finding * */
	/* What merge needs to join scans (the JSONL records carry it): */
	char		*origin;	/* NULL: this host */
	char		*top;		/* top-level directory under its root */
	int		 is_ca;
	int		 self_issued;
	int64_t		 not_after_t;
	int		 has_subject;
	char		 subject[17];	/* first 8 octets of its SHA-256, hex */
	unsigned char	*spki_der;	/* the first object of each key only */
	size_t		 spki_len;
};

struct cs_fleet {
	struct cs_vec	 roots;		/* char * */
	size_t		 files;		/* files read */
	size_t		 objects;
	size_t		 skipped_files;	/* not X.509 (junk, configs, huge) */
	int64_t		 at;		/* evaluation time */
	int		 expiring_days;
	struct cs_vec	 pairs;		/* struct cs_fleet_pair * */
	struct cs_vec	 mismatches;	/* struct cs_fleet_mismatch * */
	struct cs_vec	 orphan_keys;	/* char * */
	struct cs_vec	 locked_keys;	/* char * */
	struct cs_vec	 keyless_certs;	/* char *: end-entity, key not found */
	struct cs_vec	 reused;	/* struct cs_fleet_reuse * */
	struct cs_vec	 factors;	/* struct cs_fleet_factor * */
	struct cs_vec	 expiring;	/* struct cs_fleet_expiry * */
	struct cs_vec	 weak;		/* struct cs_fleet_weak * */
	struct cs_vec	 objs;		/* struct cs_fleet_object * */
	struct cs_vec	 configs;	/* struct cs_fleet_config * */
	struct cs_vec	 errors;	/* struct cs_diag * */
};

void		 cs_fleet_release(struct cs_fleet *fl);

#endif

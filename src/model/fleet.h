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
 * Ownership: a cs_fleet owns its vectors, findings and the strings
 * declared char *, and cs_fleet_release frees them all. The paths of
 * objects (const char *, and the elements of the vectors marked "paths")
 * are borrowed, like the objects, from whatever produced the fleet (the
 * scan), which must outlive it: a million objects' paths are not copied
 * into the report.
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
	struct cs_vec	 keys;		/* paths: private keys */
	struct cs_vec	 certs;		/* paths: certificates */
	struct cs_vec	 csrs;		/* paths: CSRs */
};

/* A key and a certificate meant to go together whose keys differ. */
struct cs_fleet_mismatch {
	const char	*key;
	const char	*cert;
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
	struct cs_vec	 keys;		/* paths */
	struct cs_vec	 certs;		/* paths */
};

/* RSA moduli sharing a prime, or the same modulus under different keys. */
struct cs_fleet_factor {
	int		 duplicate;	/* 1: the same modulus */
	struct cs_vec	 paths;		/* paths: every object of each key */
};

struct cs_fleet_expiry {
	const char	*path;
	char		 not_after[64];	/* RFC 3339 */
	int		 expired;
	int64_t		 days;		/* days left, negative once expired */
};

/* A key the per-key rules flag, wherever it is. */
struct cs_fleet_weak {
	char		 spki[65];
	enum cs_severity severity;	/* of the worst finding */
	struct cs_vec	 paths;		/* paths */
	struct cs_vec	 findings;	/* struct cs_finding * */
};

/*
 * One object as the index saw it, with its findings under --lint. Objects
 * are not held in the fleet (a million of them would double the memory
 * of the index): the reporters read them one at a time through
 * cs_fleet_object_at, and everything in one is borrowed, valid until the
 * next call.
 */
struct cs_fleet_object {
	const char	*path;		/* "file" or "file#index" */
	const char	*file;		/* the file alone */
	int		 index;		/* the object's place in it */
	enum cs_kind	 kind;
	int		 locked;
	int		 has_spki;
	char		 spki[65];	/* SHA-256, hex */
	int		 has_validity;
	int64_t		 not_after;
	int		 linted;
	const struct cs_vec *findings;	/* struct cs_finding *; never NULL */
	/* What merge needs to join scans (the JSONL records carry it): */
	const char	*origin;	/* NULL: this host */
	const char	*top;		/* top-level directory under its root */
	int		 is_ca;
	int		 self_issued;
	int		 has_subject;
	char		 subject[17];	/* first 8 octets of its SHA-256, hex */
	const unsigned char *spki_der;	/* the first object of each key only */
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
	struct cs_vec	 orphan_keys;	/* paths */
	struct cs_vec	 locked_keys;	/* paths */
	struct cs_vec	 keyless_certs;	/* paths: end-entity, key not found */
	struct cs_vec	 reused;	/* struct cs_fleet_reuse * */
	struct cs_vec	 factors;	/* struct cs_fleet_factor * */
	struct cs_vec	 expiring;	/* struct cs_fleet_expiry * */
	struct cs_vec	 weak;		/* struct cs_fleet_weak * */
	/* The objects, read through cs_fleet_object_at. */
	size_t		 nobjs;
	int		(*object_at)(void *ctx, size_t i,
			    struct cs_fleet_object *o);
	void		*object_ctx;
	struct cs_vec	 configs;	/* struct cs_fleet_config * */
	struct cs_vec	 errors;	/* struct cs_diag * */
};

void		 cs_fleet_release(struct cs_fleet *fl);
/* Fills o with object i (< nobjs); 0, or -1 when out of memory. */
int		 cs_fleet_object_at(const struct cs_fleet *fl, size_t i,
		    struct cs_fleet_object *o);

#endif

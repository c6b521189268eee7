/*
 * fast.h - what `scan` needs of each object, decoded as cheaply as OpenSSL
 * allows.
 *
 * `show` and `lint` build the full normalised view of every object
 * (src/input, src/model). `scan` needs far less: the kind, where the object
 * is in its file, the SHA-256 of its SubjectPublicKeyInfo, and for
 * certificates the validity, whether it is a CA and a digest of its
 * subject. cs_fast_decode finds those without building the view: PEM is
 * split by its own strict code; certificates, CSRs and public keys are
 * walked in their DER (never decoded: the SPKI is hashed as found); so
 * are RSA and EC private keys in their plain shapes (the SPKI is built
 * from the public key they carry); other keys go through decoder contexts
 * that are built once per cs_fast and reused, and their SPKI is built from
 * the key's parameters. Whatever the fast
 * path does not handle (containers, encrypted keys, mislabelled PEM, any
 * error, odd encodings, junk) is handed to the full decoder and converted,
 * so the result is the same either way: the objects, their numbering
 * (path#index) and the errors are those cs_decode_buffer would give
 * (tests/unit/test_fast.c compares both over the whole corpus).
 *
 * SPKI normalisation: an EC key's point is hashed uncompressed, so a
 * certificate carrying a compressed point indexes with its private key.
 *
 * Ownership: a cs_fast is used by one thread at a time (one per worker);
 * it holds no global state, and keeps between calls its decoder contexts
 * and, per distinct CA certificate, OpenSSL's answer to X509_check_ca.
 * A cs_fast_result owns its objects, their SPKI bytes and its diagnostics.
 */
#ifndef CS_SCAN_FAST_H
#define CS_SCAN_FAST_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/types.h>

#include "input/input.h"
#include "model/object.h"
#include "util/util.h"

struct cs_fast_obj {
	enum cs_kind	 kind;
	int		 index;		/* as cs_decode_buffer numbers objects */
	int		 locked;	/* an encrypted key nobody opened */
	int		 has_spki;	/* spki_sha256, spki and key_* are set */
	unsigned char	 spki_sha256[32];	/* of the normalised SPKI */
	unsigned char	*spki;		/* normalised SPKI DER (owned) */
	size_t		 spki_len;
	/* Certificates only (zero otherwise): */
	int		 has_validity;
	int64_t		 not_before;	/* seconds since the epoch, UTC */
	int64_t		 not_after;
	int		 is_ca;		/* basicConstraints cA TRUE */
	int		 self_issued;	/* subject and issuer DER equal */
	/* Certificates and CSRs: SHA-256 of the subject's DER; zero if none. */
	int		 has_subject;
	unsigned char	 subject_sha256[32];
};

struct cs_fast_result {
	struct cs_vec	 objects;	/* struct cs_fast_obj * */
	struct cs_vec	 errors;	/* struct cs_diag *, as cs_result's */
	struct cs_vec	 skipped;	/* struct cs_diag * */
	int		 foreign;	/* as cs_result.foreign */
};

struct cs_fast;

/* opts as for cs_decoder_new (the password callback is used only when an
 * encrypted key is met). NULL when out of memory. */
struct cs_fast	*cs_fast_new(const struct cs_decoder_opts *opts);
void		 cs_fast_free(struct cs_fast *f);

/* As cs_decode_buffer, filling res; 0, or -1 when an error was appended. */
int		 cs_fast_decode(struct cs_fast *f, const char *path,
		    const unsigned char *buf, size_t len,
		    struct cs_fast_result *res);
void		 cs_fast_result_release(struct cs_fast_result *res);
/*
 * What cs_decode_buffer gave, as cs_fast_decode gives it (the path a file
 * takes when the fast path hands it over): the objects are converted into
 * res and stay in full (scan --lint lints them), the diagnostics move to
 * res. 0, or -1 when out of memory.
 */
int		 cs_fast_from_result(struct cs_fast *f, struct cs_result *full,
		    struct cs_fast_result *res);
/* How many files this cs_fast handed to the full decoder so far (for
 * benchmarks and tests: the rest took the fast path). */
unsigned long	 cs_fast_fallbacks(const struct cs_fast *f);
/* How many private keys were walked in their DER (not decoded; for
 * tests). */
unsigned long	 cs_fast_keys_walked(const struct cs_fast *f);
/* on: every file goes to the full decoder and is converted, as before the
 * fast path (to compare results or timings). */
void		 cs_fast_set_full(struct cs_fast *f, int on);

/*
 * A DER SubjectPublicKeyInfo as d2i_X509_PUBKEY gives it, for the per-key
 * rules, at a fraction of the cost (d2i_X509_PUBKEY builds a decoder
 * context per call): *pub is the structure without its key (decoded in a
 * provider-less library context: X509_PUBKEY_get0 cannot load it), *pkey
 * the key, decoded with a context f keeps per key type, or NULL when
 * OpenSSL cannot load it (where X509_PUBKEY_get0 would fail). Both are the
 * caller's to free. 0, or -1 (*pub and *pkey NULL) when spki is not one
 * SubjectPublicKeyInfo.
 */
int		 cs_fast_spki_key(struct cs_fast *f, const unsigned char *spki,
		    size_t len, X509_PUBKEY **pub, EVP_PKEY **pkey);

/*
 * What the per-key rules need of an SPKI that OpenSSL would load, found
 * without loading it (an EVP_PKEY costs a decoder call, and for EC the
 * building of its curve's group, each time): RSA keys (rsaEncryption) in
 * plain DER, and EC keys on a named curve whose point decodes onto the
 * curve (checked with a group f keeps per curve) and is not at infinity.
 * 1 with kf filled, or 0 for any other key or anything unusual, which the
 * caller loads through cs_fast_spki_key.
 */
struct cs_spki_facts {
	int		 bits;		/* as EVP_PKEY_get_bits */
	int		 point_valid;	/* EC: see above */
};
int		 cs_fast_spki_facts(struct cs_fast *f,
		    const unsigned char *spki, size_t len,
		    struct cs_spki_facts *kf);

/*
 * The normalised SPKI of a DER SubjectPublicKeyInfo: the same bytes, or for
 * an EC key with a compressed point the SPKI with the point uncompressed.
 * Fills sha256 and, when der_out is not NULL, a malloc'ed copy of the
 * normalised DER. 0, or -1 when spki is not a SubjectPublicKeyInfo.
 */
int		 cs_spki_normalise(const unsigned char *spki, size_t len,
		    unsigned char sha256[32], unsigned char **der_out,
		    size_t *der_len);

#endif

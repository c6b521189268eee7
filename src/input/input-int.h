/* Internal to src/input: what the sniffer, the PEM splitter and the
 * per-kind decoders share. */
#ifndef CS_INPUT_INT_H
#define CS_INPUT_INT_H

#include "input/input.h"

#include <openssl/decoder.h>

/* What a DER structure (or a PEM label) says it is. */
enum der_kind {
	DK_UNKNOWN,
	DK_CERT,
	DK_CERT_AUX,		/* TRUSTED CERTIFICATE */
	DK_CSR,
	DK_CRL,
	DK_PKCS8,		/* PrivateKeyInfo / OneAsymmetricKey */
	DK_EPKI,		/* EncryptedPrivateKeyInfo */
	DK_RSA_PRIV,
	DK_EC_PRIV,
	DK_DSA_PRIV,
	DK_ANY_PRIV,
	DK_SPKI,
	DK_RSA_PUB,
	DK_PKCS7,
	DK_PKCS12,
	DK_PARAMS,		/* EC/DH/DSA parameters: skipped quietly */
};

/* Why the sniffer could not classify DER. */
enum sniff_status {
	SNIFF_OK,
	SNIFF_MALFORMED,	/* starts like DER, is not well-formed */
	SNIFF_UNRECOGNISED,	/* well-formed, not a structure we know */
};

enum sniff_status sniff_der(const unsigned char *p, size_t len,
		    enum der_kind *kind);
/* What a kind is, for messages ("a certificate request"). */
const char	*der_kind_name(enum der_kind kind);
/* Kind for a PEM label; DK_UNKNOWN if certsmith does not handle it. */
enum der_kind	 pem_label_kind(const char *label);
/* Non-zero when the buffer holds a PEM BEGIN line. */
int		 looks_like_pem(const unsigned char *p, size_t len);

/* Key forms a decoder may need: PrivateKeyInfo untyped and for six key
 * types, SubjectPublicKeyInfo for six, four type-specific ones and the
 * any-structure one (18); a full cache makes a key fail to load. */
#define DEC_CACHE_MAX	24

struct dec_cache {
	const char		*structure;
	const char		*keytype;
	int			 selection;
	OSSL_DECODER_CTX	*dctx;
	EVP_PKEY		*slot;	/* the context writes each key here */
};

/*
 * Certificates decoded lately, by their exact DER. A fleet repeats its CA
 * certificates in every chain file, and decoding and checking them again
 * would be most of the cost of a chain. The X509 and its key are shared
 * read-only with every object made from them.
 */
#define CERT_CACHE_MAX	32
#define CERT_CACHE_DER_MAX	(64 * 1024)	/* larger ones are not kept */

struct cert_cache {
	unsigned char		*der;		/* NULL: slot unused */
	size_t			 len;
	int			 aux;		/* the decoder was asked for aux */
	X509			*cert;
	EVP_PKEY		*pkey;		/* its key loaded apart, or NULL */
	int			 trusted;	/* what the decode found */
	enum cs_tristate	 sig;		/* its self-signature check */
	int			 sig_known;
	unsigned long		 used;		/* tick of the last use */
};

struct cs_decoder {
	OSSL_LIB_CTX		*libctx;
	int			 unsettled;	/* cs_decoder_opts.unsettled */
	/* A library context with no provider but the null one: certificates
	 * and CSRs decoded in it leave their key alone (see decode.c); not
	 * used with a caller's libctx. NULL when it could not be made. */
	OSSL_LIB_CTX		*keyless;
	OSSL_PROVIDER		*nullprov;
	size_t			 max_size;
	cs_pass_cb		 pass_cb;
	void			*pass_arg;
	struct dec_cache	 cache[DEC_CACHE_MAX];
	size_t			 ncache;
	struct cert_cache	 certs[CERT_CACHE_MAX];
	unsigned long		 tick;

	/* Per-file password state, cleansed after each file. */
	char			 pw[1024];
	int			 pw_len;	/* -1: asked, none to be had */
	int			 pw_asked;
};

/* Where the bytes being decoded came from. */
struct blk {
	struct cs_decoder	*dec;
	struct cs_result	*res;
	const char		*path;
	const char		*label;		/* PEM label or NULL */
	int			 block;		/* 1-based PEM block, 0 for DER */
	enum cs_encoding	 enc;
	enum cs_container	 cont;
	int			*next_index;	/* object counter of the file */
	const char		*mislabel;	/* content's kind, if not the label's */
	int			 failed;
};

/* Append a diagnostic naming the block; always returns -1. */
int		 blk_error(struct blk *b, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
int		 blk_skip(struct blk *b, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
/* A fresh object for this block with the next index, or NULL. */
struct cs_object *blk_object(struct blk *b, enum cs_kind kind);
/* Hand a filled object to the result (frees it on failure). */
int		 blk_emit(struct blk *b, struct cs_object *obj);
/* A certificate object (takes its own reference on cert). */
int		 blk_emit_cert(struct blk *b, X509 *cert, int trusted);
/* Non-zero when the error queue says an algorithm is not available (as
 * opposed to a wrong password); empties the queue. */
int		 ossl_unsupported(void);
/* The most useful OpenSSL reason on the error queue, or fallback. */
const char	*ossl_reason(const char *fallback);

/* Decode DER bytes of a known kind; appends objects or errors. */
int		 decode_der_kind(struct blk *b, enum der_kind kind,
		    const unsigned char *der, size_t len);
int		 decode_privkey(struct blk *b, enum der_kind kind,
		    const unsigned char *der, size_t len);
int		 decode_epki(struct blk *b, const unsigned char *der, size_t len);
int		 decode_pem_encrypted(struct blk *b, const char *header,
		    unsigned char *data, long len);
int		 decode_p8inf(struct blk *b, const PKCS8_PRIV_KEY_INFO *p8);
int		 decode_pkcs7(struct blk *b, const unsigned char *der, size_t len);
int		 decode_pkcs12(struct blk *b, const unsigned char *der, size_t len);
int		 decode_pem(struct blk *b, const unsigned char *buf, size_t len);
/* Why something encrypted stays shut: unsupported algorithm, wrong
 * password, or none given; always -1. */
int		 decrypt_error(struct blk *b, const char *what, int had_password);
/* Locked private key object (no password, or a wrong one). */
int		 emit_locked(struct blk *b, const char *algorithm);
/* The decoder key type ("RSA", "EC", ...) an algorithm names, or NULL. */
const char	*algorithm_keytype(const X509_ALGOR *alg);
/* The key of len bytes of SPKI DER of that type, through the decoder's
 * cached context; NULL when it does not load (errors cleared). */
EVP_PKEY	*load_spki_key(struct cs_decoder *dec, const char *keytype,
		    const unsigned char *der, size_t len);
/* The file's password: asks once per file; -1 when there is none. */
int		 file_password(struct blk *b, const char **pw);

#endif

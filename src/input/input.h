/*
 * input.h - turn bytes into cs_objects.
 *
 * The decoder sniffs content (never file names): PEM with any number of
 * blocks, or a single DER structure, including PKCS#7 and PKCS#12
 * containers. Each object found is appended to a cs_result together with
 * any problems, so one bad block never hides the good ones.
 *
 * Ownership: a cs_result owns its objects and diagnostics; release it with
 * cs_result_release(). A cs_decoder owns its OpenSSL decoder contexts and
 * is used by one thread at a time; the library context is borrowed.
 * Passwords are asked for through the caller's callback, kept only while a
 * file is decoded, and cleansed afterwards.
 */
#ifndef CS_INPUT_H
#define CS_INPUT_H

#include <stddef.h>

#include <openssl/types.h>

#include "model/object.h"
#include "util/util.h"

/* Files larger than this are refused unless the caller sets another. */
#define CS_DEFAULT_MAX_SIZE	((size_t)16 * 1024 * 1024)

struct cs_result {
	struct cs_vec	 objects;	/* struct cs_object * */
	struct cs_vec	 errors;	/* struct cs_diag *: decoding failed */
	struct cs_vec	 skipped;	/* struct cs_diag *: recognised, not ours */
	int		 foreign;	/* no PEM block and not DER at all: a
					 * directory walk may skip such a file */
};

/*
 * Walks path: a file is passed to file_cb as it is; a directory is walked
 * recursively in name order, following symbolic links, and every regular
 * file in it is passed on. Problems (unreadable directory, a directory
 * loop, a dangling link) go to error_cb with a message; the walk goes on.
 * Returns 0, or -1 when a callback returned -1 (the walk stops).
 */
typedef int (*cs_walk_file_cb)(const char *path, int from_dir, void *arg);
typedef int (*cs_walk_error_cb)(const char *path, const char *msg, void *arg);
int		 cs_walk(const char *path, cs_walk_file_cb file_cb,
		    cs_walk_error_cb error_cb, void *arg);

/*
 * Walks path for `scan`: symbolic links are reported to link (with the
 * link's target as written; link may be NULL) and not followed, unless
 * follow is set, when they are followed with loop detection. A path
 * named as the root is followed either way. Every regular file (with
 * follow, every link to one) reaches file, in name order; it is not
 * stat'ed, so the caller learns its size and inode when it opens it.
 * Devices, FIFOs and sockets are skipped. Problems reach error. Return
 * values as cs_walk's.
 */
struct cs_walk_tree_cbs {
	int	(*file)(const char *path, void *arg);
	int	(*link)(const char *path, const char *target, void *arg);
	cs_walk_error_cb error;
};
int		 cs_walk_tree(const char *path, int follow,
		    const struct cs_walk_tree_cbs *cbs, void *arg);

/*
 * Fills buf with the password for path and returns its length, or -1 when
 * none can be had. Called at most once per file.
 */
typedef int (*cs_pass_cb)(char *buf, int size, const char *path, void *arg);

struct cs_decoder_opts {
	OSSL_LIB_CTX	*libctx;	/* NULL: OpenSSL's default */
	size_t		 max_size;	/* 0: CS_DEFAULT_MAX_SIZE */
	cs_pass_cb	 pass_cb;	/* NULL: encrypted keys stay locked */
	void		*pass_arg;
	/* Objects come as cs_view_cert and cs_view_req leave them, for a
	 * caller that settles them later (cs_view_settle), on another thread
	 * or only when it needs to: scan --lint. */
	int		 unsettled;
};

struct cs_decoder;

struct cs_decoder *cs_decoder_new(const struct cs_decoder_opts *opts);
void		 cs_decoder_free(struct cs_decoder *dec);
/* The decoder's library context with only the null provider: structures
 * decoded in it leave their public key unloaded, as scan's fast path and
 * the decoder itself want (see decode.c). Owned by dec; NULL when it could
 * not be made. */
OSSL_LIB_CTX	*cs_decoder_keyless(const struct cs_decoder *dec);

/*
 * Decode everything in buf (len bytes, named path in messages). Returns 0
 * when every part decoded, -1 when at least one error was appended (or
 * memory ran out, which is also appended as an error).
 */
int		 cs_decode_buffer(struct cs_decoder *dec, const char *path,
		    const unsigned char *buf, size_t len, struct cs_result *res);
/* Read path ("-" is standard input) and decode it; as cs_decode_buffer. */
int		 cs_decode_file(struct cs_decoder *dec, const char *path,
		    struct cs_result *res);

void		 cs_result_release(struct cs_result *res);

/*
 * Read a password given in openssl's -passin forms: pass:TEXT, env:VAR,
 * file:PATH, fd:N, stdin. Returns a malloc'ed string the caller cleanses
 * and frees, or NULL with a reason in err.
 */
char		*cs_passin_read(const char *spec, char *err, size_t errlen);

/*
 * Read a whole file with a size ceiling. Returns 0 and a malloc'ed buffer,
 * or -1 and a reason in err (which names no path; the caller does).
 */
int		 cs_read_file(const char *path, size_t max, unsigned char **buf,
		    size_t *len, char *err, size_t errlen);

#endif

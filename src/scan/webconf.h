/*
 * webconf.h - key and certificate paths that a web server configuration
 * names together (nginx, Apache httpd with mod_ssl, HAProxy), so that scan
 * can check that each such key belongs to its certificate.
 *
 * Usage, on a file scan could not decode as X.509:
 *
 *	kind = cs_webconf_sniff(buf, len);
 *	if (kind != CS_WEBCONF_NONE &&
 *	    cs_webconf_parse(kind, buf, len, &pairs, &warnings) == -1)
 *		... out of memory ...
 *	for (i = 0; i < pairs.n; i++) ... (struct cs_webconf_pair *)pairs.v[i]
 *	... cs_webconf_pair_free each, free() each warning, cs_vec_release ...
 *
 * What is and is not resolved:
 * - Paths are returned as written, after the server's own prefixing (HAProxy
 *   crt-base, key-base); a relative path is relative to the server's prefix
 *   (nginx: its conf directory; Apache: ServerRoot; HAProxy: its working
 *   directory), which the caller has to guess, usually the directory of the
 *   configuration file or its parent.
 * - Include directives (nginx include, Apache Include/IncludeOptional,
 *   HAProxy has none) are never followed: the included file lies in the
 *   scanned tree too and is parsed on its own. A snippet that holds only
 *   ssl_certificate and ssl_certificate_key (Debian's snakeoil.conf) gives
 *   its pair by itself; a pair split across two files is not seen.
 * - Values the server computes at run time are skipped with a warning:
 *   nginx variables ($ssl_server_name) and data:/engine:/store: values,
 *   Apache ${DEFINE}s and pkcs11: URIs, HAProxy "$ENV" and @store
 *   references.
 *
 * Per server:
 * - nginx: ssl_certificate and ssl_certificate_key in any block (http,
 *   server, mail, stream, or the top level of a snippet). A block without
 *   its own list of certificates (or of keys) inherits the enclosing
 *   block's, each list on its own, as nginx merges them; the i-th
 *   certificate pairs with the i-th key (RSA + ECDSA). Pairs are reported
 *   once, where they are declared: by each server block with a directive of
 *   its own, and by any other block that has both directives, in the order
 *   the blocks close (inner blocks first).
 * - Apache: SSLCertificateFile and SSLCertificateKeyFile, case-insensitive,
 *   at server level and in <VirtualHost> sections (other sections such as
 *   <IfModule> are transparent). A virtual host's lists are merged with the
 *   server-level ones position by position (mod_ssl 2.4.8 and later: the
 *   host's i-th entry replaces the server's i-th), wherever in the file the
 *   server-level directives are. The i-th certificate pairs with the i-th
 *   key; a certificate without a key has key NULL: the key is in the
 *   certificate file.
 * - HAProxy: every "crt PATH" on bind, server and default-server lines,
 *   prefixed by the global crt-base unless absolute, with key NULL: HAProxy
 *   reads the key from the same PEM, or else from PATH.key beside it (the
 *   caller tries both). PATH may also name a directory, every file of which
 *   is loaded (the caller checks). crt-store sections' "load crt X key Y"
 *   give explicit pairs (crt-base and key-base of the section or global
 *   apply). crt-list files are not followed (a warning says so).
 *
 * Hostile input (unbalanced braces or quotes, NUL bytes, huge lines, deep
 * nesting) gives warnings, never a failure; the work is linear in len.
 * At most CS_WEBCONF_MAX_PAIRS pairs and CS_WEBCONF_MAX_WARNINGS warnings
 * are produced per call; the last warning says when either was reached.
 */
#ifndef CS_SCAN_WEBCONF_H
#define CS_SCAN_WEBCONF_H

#include <stddef.h>

#include "util/util.h"

#define CS_WEBCONF_MAX_PAIRS	4096
#define CS_WEBCONF_MAX_WARNINGS	256
/* Block nesting past this depth stops the parse with a warning. */
#define CS_WEBCONF_MAX_DEPTH	64
/* Longer words (PATH_MAX) are not paths: a warning, and they are skipped. */
#define CS_WEBCONF_MAX_WORD	4096

/* Which server's syntax a file looks like, from its content. */
enum cs_webconf_kind {
	CS_WEBCONF_NONE,
	CS_WEBCONF_NGINX,
	CS_WEBCONF_APACHE,
	CS_WEBCONF_HAPROXY
};

/*
 * A cheap look at a file's content, no parse: whether it names the
 * directives of one of the servers (nginx: "ssl_certificate"; Apache:
 * "SSLCertificateFile" in any case; HAProxy: a bind, server or load line
 * word "crt"/"crt-list", or crt-base). A buffer holding a NUL byte is a
 * binary (the nginx executable holds the directive names), never a
 * configuration: CS_WEBCONF_NONE. Linear in len, a few passes.
 */
enum cs_webconf_kind cs_webconf_sniff(const unsigned char *buf, size_t len);

/* The server's name for messages: "nginx", "apache", "haproxy", "none". */
const char	*cs_webconf_kind_name(enum cs_webconf_kind kind);

struct cs_webconf_pair {
	char			*cert;	/* path as resolved above; owned */
	char			*key;	/* owned; NULL: key inside cert's file */
	enum cs_webconf_kind	 server;
	int			 line;	/* 1-based, of the certificate directive */
};

/*
 * Parses buf as kind's syntax. Appends a struct cs_webconf_pair * to pairs
 * for each pair found, and a char * "LINE: reason" to warnings for each
 * problem (the caller owns and frees both). Returns 0 (also when the file
 * is garbage: then with warnings), or -1 when out of memory, in which case
 * what was appended stays appended and owned by the caller.
 */
int		 cs_webconf_parse(enum cs_webconf_kind kind,
		    const unsigned char *buf, size_t len, struct cs_vec *pairs,
		    struct cs_vec *warnings);

/* Frees a pair; accepts NULL. */
void		 cs_webconf_pair_free(struct cs_webconf_pair *p);

#endif

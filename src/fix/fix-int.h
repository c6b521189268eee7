/* fix-int.h - what fix.c, san.c and config.c share; not a public header. */
#ifndef CS_FIX_INT_H
#define CS_FIX_INT_H

#include <stdarg.h>

#include <openssl/x509.h>

#include "fix/fix.h"

struct cs_fix {
	X509_NAME			*subject;
	STACK_OF(X509_EXTENSION)	*exts;
	STACK_OF(X509_ATTRIBUTE)	*attrs;	/* all but the extension request */
	char				 digest[32];	/* chosen; "" : not yet */
	char				 kept[32];	/* the original's, if strong */
	char				 orig[32];	/* the original's */
	struct cs_vec			 changes;	/* struct cs_fix_change * */
};

/* An empty request (subject, extension and attribute stacks), or NULL. */
struct cs_fix	*fix_new(void);

/* Appends a change; 0, or -1 when out of memory. */
int		 fix_change(struct cs_fix *fx, const char *field,
		    const char *before, const char *after, const char *why);

/* Sets why (a formatted reason) and returns status. */
enum cs_fix_status fix_why(enum cs_fix_status status, char *why, size_t whylen,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* CS_FIX_NOMEM, with "out of memory" in why. */
enum cs_fix_status fix_oom(char *why, size_t whylen);

/* "dns:www.example.com" style text of a general name, or NULL (an
 * otherName, or out of memory). Caller frees. */
char		*fix_gen_text(const GENERAL_NAME *gen);

/* The subjectAltName as it stands: a new stack (maybe empty) the caller
 * frees with GENERAL_NAMES_free, its criticality in *crit (-1: no SAN).
 * NULL when the extension does not decode or memory ran out. */
GENERAL_NAMES	*fix_sans(const struct cs_fix *fx, int *crit);
/* Replaces the subjectAltName with gens (removes it when empty); 0 or -1. */
int		 fix_put_sans(struct cs_fix *fx, GENERAL_NAMES *gens, int crit);

#endif

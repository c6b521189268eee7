/*
 * webconf.c - key and certificate pairs named by nginx, Apache and HAProxy
 * configurations (webconf.h). One small lexer per syntax, each a single
 * forward pass over the buffer into fixed-size word buffers, so that no
 * input costs more than linear time or more memory than the values kept.
 */
#include "config.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "scan/webconf.h"
#include "util/util.h"

/* One directive value: a path as written, kept until its block ends. */
struct val {
	int	 line;
	int	 bad;		/* too long, or holds a NUL or control byte */
	char	 path[];
};

/* A word being read; longer words are cut and marked. */
struct word {
	char	 s[CS_WEBCONF_MAX_WORD + 1];
	size_t	 len;
	int	 bad;
	int	 var;		/* HAProxy: "$" inside double quotes */
	int	 line;
};

struct lex {
	const unsigned char	*p, *end;
	int			 line;
};

struct ctx {
	enum cs_webconf_kind	 kind;
	struct cs_vec		*pairs, *warnings;
	size_t			 npairs, nwarnings;
	int			 oom;
};

/* Values a server computes at run time or loads from elsewhere; the
 * first match gives the reason. */
static const struct unresolved {
	enum cs_webconf_kind	 kind;
	const char		*s;
	int			 prefix;	/* else: anywhere in the value */
	const char		*why;
} unresolved[] = {
	{ CS_WEBCONF_NGINX, "data:", 1, "is inline data" },
	{ CS_WEBCONF_NGINX, "engine:", 1, "is an OpenSSL engine key" },
	{ CS_WEBCONF_NGINX, "store:", 1, "is an OpenSSL store URI" },
	{ CS_WEBCONF_NGINX, "$", 0, "uses a variable" },
	{ CS_WEBCONF_APACHE, "${", 0, "uses a Define" },
	{ CS_WEBCONF_APACHE, "pkcs11:", 1, "is a PKCS#11 URI" },
	{ CS_WEBCONF_HAPROXY, "@", 1, "refers to a crt-store entry" },
};

static const char *const kind_names[] = {
	[CS_WEBCONF_NONE] = "none",
	[CS_WEBCONF_NGINX] = "nginx",
	[CS_WEBCONF_APACHE] = "apache",
	[CS_WEBCONF_HAPROXY] = "haproxy",
};

const char *
cs_webconf_kind_name(enum cs_webconf_kind kind)
{
	if ((size_t)kind >= sizeof(kind_names) / sizeof(kind_names[0]))
		return "none";
	return kind_names[kind];
}

void
cs_webconf_pair_free(struct cs_webconf_pair *p)
{
	if (p == NULL)
		return;
	free(p->cert);
	free(p->key);
	free(p);
}

/* ---- sniffing ---- */

static int
fold(int c, int nocase)
{
	return nocase && c >= 'A' && c <= 'Z' ? c | 0x20 : c;
}

/*
 * Boyer-Moore-Horspool: most bytes are skipped, which keeps sniffing every
 * undecodable file of a tree cheap. With nocase, pat is lower-case and the
 * text's ASCII letters are folded.
 */
static const unsigned char *
search(const unsigned char *p, const unsigned char *end, const char *pat,
    int nocase)
{
	size_t	 shift[256], n = strlen(pat), i;
	int	 last = (unsigned char)pat[n - 1], c;

	for (i = 0; i < 256; i++)
		shift[i] = n;
	for (i = 0; i + 1 < n; i++)
		shift[(unsigned char)pat[i]] = n - 1 - i;
	while ((size_t)(end - p) >= n) {
		c = fold(p[n - 1], nocase);
		if (c == last) {
			for (i = 0; i + 1 < n &&
			    fold(p[i], nocase) == (unsigned char)pat[i]; i++)
				;
			if (i + 1 == n)
				return p;
		}
		p += shift[c];
	}
	return NULL;
}

static int
is_blank(int c)
{
	return c == ' ' || c == '\t';
}

/* "crt", "crt-list" or "crt-base" as a whole word. */
static int
has_crt_word(const unsigned char *buf, const unsigned char *end)
{
	static const char *const tails[] = { "", "-list", "-base" };
	const unsigned char	*p = buf, *q;
	size_t			 i, n;

	while ((p = search(p, end, "crt", 0)) != NULL) {
		q = p + 3;
		if (p == buf || is_blank(p[-1]) || p[-1] == '\n') {
			for (i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
				n = strlen(tails[i]);
				if ((size_t)(end - q) > n &&
				    memcmp(q, tails[i], n) == 0 &&
				    is_blank(q[n]))
					return 1;
			}
		}
		p = q;
	}
	return 0;
}

enum cs_webconf_kind
cs_webconf_sniff(const unsigned char *buf, size_t len)
{
	const unsigned char	*end = buf + len;

	if (buf == NULL || len == 0 || memchr(buf, '\0', len) != NULL)
		return CS_WEBCONF_NONE;
	if (search(buf, end, "ssl_certificate", 0) != NULL)
		return CS_WEBCONF_NGINX;
	if (search(buf, end, "sslcertificatefile", 1) != NULL)
		return CS_WEBCONF_APACHE;
	if (has_crt_word(buf, end))
		return CS_WEBCONF_HAPROXY;
	return CS_WEBCONF_NONE;
}

/* ---- results shared by the three parsers ---- */

static int	 warn(struct ctx *, int, const char *, ...)
		    __attribute__((format(printf, 3, 4)));

static int
warn(struct ctx *c, int line, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg, *s;

	if (c->oom)
		return -1;
	if (c->nwarnings >= CS_WEBCONF_MAX_WARNINGS)
		return 0;
	if (++c->nwarnings == CS_WEBCONF_MAX_WARNINGS)
		msg = cs_strdup("too many warnings, the rest are left out");
	else {
		va_start(ap, fmt);
		msg = cs_vprintf(fmt, ap);
		va_end(ap);
	}
	s = msg == NULL ? NULL : cs_printf("%d: %s", line, msg);
	free(msg);
	if (s == NULL || cs_vec_push(c->warnings, s) == -1) {
		free(s);
		c->oom = 1;
		return -1;
	}
	return 0;
}

static const char *
why_unresolved(enum cs_webconf_kind kind, const struct val *v)
{
	size_t	 i, n;

	if (v->bad)
		return "is empty, too long or holds control bytes";
	for (i = 0; i < sizeof(unresolved) / sizeof(unresolved[0]); i++) {
		if (unresolved[i].kind != kind)
			continue;
		n = strlen(unresolved[i].s);
		if (unresolved[i].prefix ?
		    strncmp(v->path, unresolved[i].s, n) == 0 :
		    strstr(v->path, unresolved[i].s) != NULL)
			return unresolved[i].why;
	}
	return NULL;
}

static int
push_pair(struct ctx *c, const char *cert, const char *key, int line)
{
	struct cs_webconf_pair	*p;

	if ((p = calloc(1, sizeof(*p))) == NULL)
		goto oom;
	p->server = c->kind;
	p->line = line;
	if ((p->cert = cs_strdup(cert)) == NULL ||
	    (key != NULL && (p->key = cs_strdup(key)) == NULL))
		goto oom;
	if (cs_vec_push(c->pairs, p) == -1)
		goto oom;
	c->npairs++;
	return 0;
oom:
	cs_webconf_pair_free(p);
	c->oom = 1;
	return -1;
}

/*
 * Reports cert with key (NULL: key in the certificate's file), or says why
 * not. what names the directives for the warnings.
 */
static int
emit(struct ctx *c, const struct val *cert, const struct val *key,
    const char *what)
{
	const char	*why;

	if (c->npairs >= CS_WEBCONF_MAX_PAIRS) {
		if (c->npairs++ == CS_WEBCONF_MAX_PAIRS)
			return warn(c, cert->line, "more than %d pairs, the "
			    "rest are left out", CS_WEBCONF_MAX_PAIRS);
		return 0;
	}
	if ((why = why_unresolved(c->kind, cert)) != NULL)
		return warn(c, cert->line, "%s certificate %s: skipped",
		    what, why);
	if (key != NULL && (why = why_unresolved(c->kind, key)) != NULL)
		return warn(c, key->line, "%s key %s: skipped", what, why);
	return push_pair(c, cert->path, key == NULL ? NULL : key->path,
	    cert->line);
}

static struct val *
val_new(const struct word *w, const char *base)
{
	struct val	*v;
	size_t		 blen = base == NULL ? 0 : strlen(base), i;
	int		 join;

	/* HAProxy prefixes relative paths with crt-base or key-base. */
	join = blen > 0 && w->s[0] != '/' && w->s[0] != '@';
	if (!join)
		blen = 0;
	if ((v = malloc(sizeof(*v) + blen + 1 + w->len + 1)) == NULL)
		return NULL;
	v->line = w->line;
	v->bad = w->bad || w->len == 0;
	memcpy(v->path, base == NULL ? "" : base, blen);
	if (join && base[blen - 1] != '/')
		v->path[blen++] = '/';
	memcpy(v->path + blen, w->s, w->len + 1);
	for (i = 0; i < w->len; i++)
		if ((unsigned char)w->s[i] < 0x20 || w->s[i] == 0x7f)
			v->bad = 1;
	return v;
}

/* Appends a value to a list, at most CS_WEBCONF_MAX_PAIRS of them. */
static int
list_add(struct ctx *c, struct cs_vec *list, const struct word *w,
    const char *name)
{
	struct val	*v;

	if (list->n >= CS_WEBCONF_MAX_PAIRS)
		return warn(c, w->line, "too many %s in one block", name);
	if ((v = val_new(w, NULL)) == NULL || cs_vec_push(list, v) == -1) {
		free(v);
		c->oom = 1;
		return -1;
	}
	return 0;
}

static void
list_free(struct cs_vec *list)
{
	size_t	 i;

	for (i = 0; i < list->n; i++)
		free(list->v[i]);
	cs_vec_release(list);
}

/* ---- words ---- */

static void
word_reset(struct word *w, int line)
{
	w->len = 0;
	w->bad = 0;
	w->var = 0;
	w->line = line;
	w->s[0] = '\0';
}

static void
word_add(struct word *w, int ch)
{
	if (w->len >= CS_WEBCONF_MAX_WORD || ch == '\0') {
		w->bad = 1;
		return;
	}
	w->s[w->len++] = (char)ch;
	w->s[w->len] = '\0';
}

static int
word_is(const struct word *w, const char *s)
{
	return !w->bad && strcmp(w->s, s) == 0;
}

/* ---- nginx ---- */

enum ntok { NT_EOF, NT_WORD, NT_SEMI, NT_OPEN, NT_CLOSE };

struct nframe {
	int		 is_server;
	struct cs_vec	 certs, keys;
};

struct nginx {
	struct ctx	*c;
	struct lex	 lx;
	struct word	 name, arg, rest;
	size_t		 nwords;
	int		 depth, stopped;
	int		 open_line[CS_WEBCONF_MAX_DEPTH + 1];
	struct nframe	 f[CS_WEBCONF_MAX_DEPTH + 1];
};

static void
nginx_skip(struct lex *lx)
{
	const unsigned char	*nl;

	while (lx->p < lx->end) {
		if (*lx->p == '\n') {
			lx->line++;
			lx->p++;
		} else if (*lx->p == ' ' || *lx->p == '\t' || *lx->p == '\r')
			lx->p++;
		else if (*lx->p == '#') {
			nl = memchr(lx->p, '\n', (size_t)(lx->end - lx->p));
			lx->p = nl == NULL ? lx->end : nl;
		} else
			break;
	}
}

/* A backslash and what follows, as nginx unescapes them. */
static void
nginx_escape(struct lex *lx, struct word *w)
{
	int	 ch;

	if (lx->p + 1 >= lx->end) {
		word_add(w, *lx->p++);
		return;
	}
	ch = lx->p[1];
	lx->p += 2;
	switch (ch) {
	case '"': case '\'': case '\\':
		word_add(w, ch);
		break;
	case 't':
		word_add(w, '\t');
		break;
	case 'r':
		word_add(w, '\r');
		break;
	case 'n':
		word_add(w, '\n');
		break;
	default:
		if (ch == '\n')
			lx->line++;
		word_add(w, '\\');
		word_add(w, ch);
	}
}

static enum ntok
nginx_quoted(struct ctx *c, struct lex *lx, struct word *w)
{
	int	 q = *lx->p++;

	while (lx->p < lx->end && *lx->p != q) {
		if (*lx->p == '\\') {
			nginx_escape(lx, w);
			continue;
		}
		if (*lx->p == '\n')
			lx->line++;
		word_add(w, *lx->p++);
	}
	if (lx->p == lx->end) {
		warn(c, w->line, "unterminated quoted string");
		return NT_EOF;
	}
	lx->p++;
	return NT_WORD;
}

static enum ntok
nginx_bare(struct lex *lx, struct word *w)
{
	int	 ch, brace = 0;

	while (lx->p < lx->end) {
		ch = *lx->p;
		if (brace && ch == '}')
			brace = 0;
		else if (ch == '{' && w->len > 0 && w->s[w->len - 1] == '$')
			brace = 1;
		else if (!brace && (ch == ' ' || ch == '\t' || ch == '\r' ||
		    ch == '\n' || ch == ';' || ch == '{' || ch == '}'))
			break;
		else if (ch == '\\') {
			nginx_escape(lx, w);
			continue;
		}
		word_add(w, ch);
		lx->p++;
	}
	return NT_WORD;
}

static enum ntok
nginx_token(struct ctx *c, struct lex *lx, struct word *w)
{
	nginx_skip(lx);
	if (lx->p >= lx->end)
		return NT_EOF;
	switch (*lx->p) {
	case ';':
		lx->p++;
		return NT_SEMI;
	case '{':
		lx->p++;
		return NT_OPEN;
	case '}':
		lx->p++;
		return NT_CLOSE;
	}
	word_reset(w, lx->line);
	if (*lx->p == '"' || *lx->p == '\'')
		return nginx_quoted(c, lx, w);
	return nginx_bare(lx, w);
}

/* The nearest list of certificates (or keys) a block sees. */
static const struct cs_vec *
nginx_list(const struct nginx *ng, int d, int keys)
{
	for (; d >= 0; d--) {
		if (keys && ng->f[d].keys.n > 0)
			return &ng->f[d].keys;
		if (!keys && ng->f[d].certs.n > 0)
			return &ng->f[d].certs;
	}
	return NULL;
}

/*
 * Pairs are reported where declared: by a server block with a directive of
 * its own, or by another block (http, mail, stream, a snippet's top level)
 * that has both; a block with only one of the two lends it to its servers.
 */
static int
nginx_emit(struct nginx *ng, int d)
{
	const struct nframe	*f = &ng->f[d];
	const struct cs_vec	*certs, *keys;
	size_t			 i;
	int			 line;

	if (f->certs.n == 0 && f->keys.n == 0)
		return 0;
	if (!f->is_server && (f->certs.n == 0 || f->keys.n == 0))
		return 0;
	certs = nginx_list(ng, d, 0);
	keys = nginx_list(ng, d, 1);
	if (certs == NULL)
		return warn(ng->c, ((struct val *)keys->v[0])->line,
		    "ssl_certificate_key without ssl_certificate");
	line = ((struct val *)certs->v[0])->line;
	if (keys == NULL)
		return warn(ng->c, line,
		    "ssl_certificate without ssl_certificate_key");
	if (certs->n != keys->n && warn(ng->c, line, "%zu ssl_certificate "
	    "but %zu ssl_certificate_key", certs->n, keys->n) == -1)
		return -1;
	for (i = 0; i < certs->n && i < keys->n; i++)
		if (emit(ng->c, certs->v[i], keys->v[i], "ssl_certificate") == -1)
			return -1;
	return 0;
}

static int
nginx_pop(struct nginx *ng)
{
	struct nframe	*f = &ng->f[ng->depth];
	int		 rc;

	rc = nginx_emit(ng, ng->depth);
	list_free(&f->certs);
	list_free(&f->keys);
	f->is_server = 0;
	if (ng->depth > 0)
		ng->depth--;
	return rc;
}

static int
nginx_push(struct nginx *ng)
{
	if (ng->depth >= CS_WEBCONF_MAX_DEPTH) {
		ng->stopped = 1;
		return warn(ng->c, ng->lx.line, "blocks nested deeper than "
		    "%d: the rest of the file is skipped",
		    CS_WEBCONF_MAX_DEPTH);
	}
	ng->depth++;
	ng->f[ng->depth].is_server = ng->nwords > 0 &&
	    word_is(&ng->name, "server");
	ng->open_line[ng->depth] = ng->lx.line;
	return 0;
}

static int
nginx_directive(struct nginx *ng)
{
	struct nframe	*f = &ng->f[ng->depth];
	int		 key;

	if (ng->nwords == 0)
		return 0;
	if (word_is(&ng->name, "ssl_certificate"))
		key = 0;
	else if (word_is(&ng->name, "ssl_certificate_key"))
		key = 1;
	else
		return 0;
	if (ng->nwords != 2)
		return warn(ng->c, ng->name.line, "%s takes one argument",
		    ng->name.s);
	return list_add(ng->c, key ? &f->keys : &f->certs, &ng->arg,
	    ng->name.s);
}

static struct word *
nginx_slot(struct nginx *ng)
{
	if (ng->nwords == 0)
		return &ng->name;
	return ng->nwords == 1 ? &ng->arg : &ng->rest;
}

/* One token; returns 1 at the end of the input, 0 to go on, -1 on OOM. */
static int
nginx_step(struct nginx *ng)
{
	int	 rc = 0;

	switch (nginx_token(ng->c, &ng->lx, nginx_slot(ng))) {
	case NT_EOF:
		return 1;
	case NT_WORD:
		ng->nwords++;
		return 0;
	case NT_SEMI:
		rc = nginx_directive(ng);
		break;
	case NT_OPEN:
		rc = nginx_push(ng);
		break;
	case NT_CLOSE:
		if (ng->nwords > 0)
			rc = warn(ng->c, ng->name.line, "missing ';'");
		if (rc == 0 && ng->depth == 0)
			rc = warn(ng->c, ng->lx.line, "unexpected '}'");
		else if (rc == 0)
			rc = nginx_pop(ng);
		break;
	}
	ng->nwords = 0;
	return rc == -1 || ng->stopped ? rc : 0;
}

static int
nginx_parse(struct ctx *c, const unsigned char *buf, size_t len)
{
	struct nginx	*ng;
	int		 rc;

	if ((ng = calloc(1, sizeof(*ng))) == NULL)
		return -1;
	ng->c = c;
	ng->lx = (struct lex){ buf, buf + len, 1 };
	/* include is not followed: the included file is scanned on its own. */
	while ((rc = nginx_step(ng)) == 0 && !ng->stopped)
		;
	if (rc != -1 && !ng->stopped && ng->nwords > 0)
		warn(c, ng->name.line, "missing ';' at the end of the file");
	if (rc != -1 && !ng->stopped && ng->depth > 0)
		warn(c, ng->open_line[ng->depth], "block not closed");
	while (ng->depth > 0)
		nginx_pop(ng);
	nginx_pop(ng);
	free(ng);
	return c->oom ? -1 : 0;
}

/* ---- Apache ---- */

struct avhost {
	int		 line;
	struct cs_vec	 certs, keys;
};

struct apache {
	struct ctx	*c;
	struct lex	 lx;
	struct word	 name, arg, rest;
	size_t		 nwords;
	struct avhost	 server;
	struct avhost	*cur;		/* open <VirtualHost>, or NULL */
	struct cs_vec	 vhosts;	/* closed ones with directives */
};

static void
avhost_free(struct avhost *v)
{
	if (v == NULL)
		return;
	list_free(&v->certs);
	list_free(&v->keys);
}

/* Skips backslash-newline: Apache joins such lines before parsing. */
static int
ap_peek(struct lex *lx)
{
	for (;;) {
		if (lx->p >= lx->end)
			return -1;
		if (*lx->p != '\\')
			return *lx->p;
		if (lx->p + 1 < lx->end && lx->p[1] == '\n')
			lx->p += 2;
		else if (lx->p + 2 < lx->end && lx->p[1] == '\r' &&
		    lx->p[2] == '\n')
			lx->p += 3;
		else
			return '\\';
		lx->line++;
	}
}

static void
ap_word(struct ctx *c, struct lex *lx, struct word *w)
{
	int	 ch, q = 0;

	word_reset(w, lx->line);
	if ((ch = ap_peek(lx)) == '"' || ch == '\'') {
		q = ch;
		lx->p++;
	}
	while ((ch = ap_peek(lx)) != -1 && ch != '\n') {
		if (q == 0 && (ch == ' ' || ch == '\t' || ch == '\r'))
			return;
		lx->p++;
		if (q != 0 && ch == q)
			return;
		if (q != 0 && ch == '\\' && ap_peek(lx) == q)
			ch = *lx->p++;
		word_add(w, ch);
	}
	if (q != 0)
		warn(c, w->line, "unterminated quoted string");
}

/* Reads the words of one logical line; a comment line has none. */
static void
ap_line(struct apache *ap)
{
	struct lex	*lx = &ap->lx;
	int		 ch;

	ap->nwords = 0;
	for (;;) {
		while ((ch = ap_peek(lx)) == ' ' || ch == '\t' || ch == '\r')
			lx->p++;
		if (ch == -1)
			return;
		if (ch == '\n') {
			lx->p++;
			lx->line++;
			return;
		}
		if (ap->nwords == 0 && ch == '#') {
			while ((ch = ap_peek(lx)) != -1 && ch != '\n')
				lx->p++;
			continue;
		}
		ap_word(ap->c, lx, ap->nwords == 0 ? &ap->name :
		    ap->nwords == 1 ? &ap->arg : &ap->rest);
		ap->nwords++;
	}
}

/* "<VirtualHost", "<VirtualHost>", "</VirtualHost>": 1 open, 2 close. */
static int
ap_section(const struct word *w)
{
	const char	*s = w->s;
	size_t		 n;
	int		 kind = 1;

	if (w->bad || s[0] != '<')
		return 0;
	if (*++s == '/') {
		kind = 2;
		s++;
	}
	n = strlen(s);
	if (n > 0 && s[n - 1] == '>')
		n--;
	return n == 11 && strncasecmp(s, "virtualhost", n) == 0 ? kind : 0;
}

static int
ap_open(struct apache *ap)
{
	if (ap->cur != NULL)
		return warn(ap->c, ap->name.line,
		    "<VirtualHost> inside <VirtualHost>: ignored");
	if ((ap->cur = calloc(1, sizeof(*ap->cur))) == NULL) {
		ap->c->oom = 1;
		return -1;
	}
	ap->cur->line = ap->name.line;
	return 0;
}

static int
ap_close(struct apache *ap)
{
	struct avhost	*v = ap->cur;

	if (v == NULL)
		return warn(ap->c, ap->name.line,
		    "</VirtualHost> without <VirtualHost>");
	ap->cur = NULL;
	if (v->certs.n == 0 && v->keys.n == 0) {
		free(v);
		return 0;
	}
	if (cs_vec_push(&ap->vhosts, v) == -1) {
		avhost_free(v);
		free(v);
		ap->c->oom = 1;
		return -1;
	}
	return 0;
}

static int
ap_directive(struct apache *ap)
{
	struct avhost	*v = ap->cur != NULL ? ap->cur : &ap->server;
	int		 key;

	if (ap->name.bad)
		return 0;
	if (strcasecmp(ap->name.s, "SSLCertificateFile") == 0)
		key = 0;
	else if (strcasecmp(ap->name.s, "SSLCertificateKeyFile") == 0)
		key = 1;
	else
		return 0;
	if (ap->nwords != 2)
		return warn(ap->c, ap->name.line, "%s takes one argument",
		    ap->name.s);
	return list_add(ap->c, key ? &v->keys : &v->certs, &ap->arg,
	    ap->name.s);
}

/* mod_ssl 2.4.8+: the host's i-th entry replaces the server's i-th. */
static const struct val *
ap_merged(const struct cs_vec *own, const struct cs_vec *base, size_t i)
{
	if (i < own->n)
		return own->v[i];
	return i < base->n ? base->v[i] : NULL;
}

static int
ap_emit(struct apache *ap, const struct avhost *v, const struct avhost *base)
{
	size_t	 nc = v->certs.n, nk = v->keys.n, i;

	if (base != NULL) {
		nc = nc > base->certs.n ? nc : base->certs.n;
		nk = nk > base->keys.n ? nk : base->keys.n;
	} else
		base = v;
	if (nc == 0)
		return warn(ap->c, v->line,
		    "SSLCertificateKeyFile without SSLCertificateFile");
	if (nk > nc && warn(ap->c, v->line, "%zu SSLCertificateKeyFile but "
	    "%zu SSLCertificateFile", nk, nc) == -1)
		return -1;
	for (i = 0; i < nc; i++)
		if (emit(ap->c, ap_merged(&v->certs, &base->certs, i),
		    ap_merged(&v->keys, &base->keys, i),
		    "SSLCertificateFile") == -1)
			return -1;
	return 0;
}

static int
ap_finish(struct apache *ap)
{
	size_t	 i;

	if (ap->cur != NULL) {
		warn(ap->c, ap->cur->line, "<VirtualHost> not closed");
		if (ap_close(ap) == -1)
			return -1;
	}
	if (ap->server.certs.n > 0 && ap_emit(ap, &ap->server, NULL) == -1)
		return -1;
	for (i = 0; i < ap->vhosts.n; i++)
		if (ap_emit(ap, ap->vhosts.v[i], &ap->server) == -1)
			return -1;
	return 0;
}

static void
apache_free(struct apache *ap)
{
	size_t	 i;

	avhost_free(ap->cur);
	free(ap->cur);
	for (i = 0; i < ap->vhosts.n; i++) {
		avhost_free(ap->vhosts.v[i]);
		free(ap->vhosts.v[i]);
	}
	cs_vec_release(&ap->vhosts);
	avhost_free(&ap->server);
	free(ap);
}

static int
apache_parse(struct ctx *c, const unsigned char *buf, size_t len)
{
	struct apache	*ap;
	int		 rc = 0;

	if ((ap = calloc(1, sizeof(*ap))) == NULL)
		return -1;
	ap->c = c;
	ap->lx = (struct lex){ buf, buf + len, 1 };
	ap->server.line = 1;
	/* Include is not followed: the included file is scanned on its own. */
	while (rc != -1 && ap->lx.p < ap->lx.end) {
		ap_line(ap);
		if (ap->nwords == 0)
			continue;
		switch (ap_section(&ap->name)) {
		case 1:
			rc = ap_open(ap);
			break;
		case 2:
			rc = ap_close(ap);
			break;
		default:
			rc = ap_directive(ap);
		}
	}
	if (rc != -1)
		ap_finish(ap);
	apache_free(ap);
	return c->oom ? -1 : 0;
}

/* ---- HAProxy ---- */

enum hsection { HS_OTHER, HS_GLOBAL, HS_STORE };

/* What the next word of a line is the value of. */
enum hexpect { HX_NONE, HX_CRT, HX_CRTLIST, HX_KEY, HX_BASE };

static const struct {
	const char	*name;
	enum hsection	 section;
} hsections[] = {
	{ "global", HS_GLOBAL }, { "crt-store", HS_STORE },
	{ "defaults", HS_OTHER }, { "frontend", HS_OTHER },
	{ "backend", HS_OTHER }, { "listen", HS_OTHER },
	{ "peers", HS_OTHER }, { "resolvers", HS_OTHER },
	{ "userlist", HS_OTHER }, { "mailers", HS_OTHER },
	{ "program", HS_OTHER }, { "http-errors", HS_OTHER },
	{ "ring", HS_OTHER }, { "cache", HS_OTHER },
	{ "log-forward", HS_OTHER }, { "traces", HS_OTHER },
	{ "acme", HS_OTHER },
};

struct haproxy {
	struct ctx	*c;
	struct lex	 lx;
	enum hsection	 section;
	struct word	 w, first, crt, key;
	int		 has_crt, has_key;
	char		 crt_base[CS_WEBCONF_MAX_WORD + 1];
	char		 key_base[CS_WEBCONF_MAX_WORD + 1];
	char		 store_crt_base[CS_WEBCONF_MAX_WORD + 1];
	char		 store_key_base[CS_WEBCONF_MAX_WORD + 1];
};

/* One character of a word, after a backslash or inside double quotes. */
static void
hap_escaped(struct lex *lx, struct word *w)
{
	if (lx->p + 1 < lx->end && lx->p[1] != '\n') {
		word_add(w, lx->p[1]);
		lx->p += 2;
	} else
		word_add(w, *lx->p++);
}

/* One word; 0 at the end of the line or at a comment. */
static int
hap_word(struct ctx *c, struct lex *lx, struct word *w)
{
	int	 q = 0, ch;

	while (lx->p < lx->end && (*lx->p == ' ' || *lx->p == '\t' ||
	    *lx->p == '\r'))
		lx->p++;
	if (lx->p >= lx->end || *lx->p == '\n' || *lx->p == '#')
		return 0;
	word_reset(w, lx->line);
	while (lx->p < lx->end && (ch = *lx->p) != '\n') {
		if (q == 0 && (ch == ' ' || ch == '\t' || ch == '\r' ||
		    ch == '#'))
			break;
		if (ch == '"' || ch == '\'') {
			if (q == 0 || q == ch) {
				q = q == 0 ? ch : 0;
				lx->p++;
				continue;
			}
		} else if (ch == '\\' && q != '\'') {
			hap_escaped(lx, w);
			continue;
		} else if (ch == '$' && q == '"')
			w->var = 1;
		word_add(w, ch);
		lx->p++;
	}
	if (q != 0)
		warn(c, w->line, "unterminated quoted string");
	return 1;
}

static void
hap_eol(struct lex *lx)
{
	const unsigned char	*nl;

	nl = memchr(lx->p, '\n', (size_t)(lx->end - lx->p));
	lx->p = nl == NULL ? lx->end : nl + 1;
	lx->line++;
}

/* "crt" value of a bind or server line: a pair with the key inside. */
static int
hap_crt(struct haproxy *h, const struct word *w, const char *base)
{
	struct val	*v;
	int		 rc;

	if (w->var)
		return warn(h->c, w->line, "crt uses an environment "
		    "variable: skipped");
	if ((v = val_new(w, base)) == NULL) {
		h->c->oom = 1;
		return -1;
	}
	rc = emit(h->c, v, NULL, "crt");
	free(v);
	return rc;
}

static const char *
hap_base(const struct haproxy *h, int key)
{
	if (h->section == HS_STORE) {
		if (key && h->store_key_base[0] != '\0')
			return h->store_key_base;
		if (!key && h->store_crt_base[0] != '\0')
			return h->store_crt_base;
	}
	return key ? h->key_base : h->crt_base;
}

/* crt-store "load crt X key Y": an explicit pair. */
static int
hap_load(struct haproxy *h)
{
	struct val	*cert = NULL, *key = NULL;
	int		 rc = -1;

	if (!h->has_crt)
		return warn(h->c, h->first.line, "load without crt");
	if (h->crt.var || (h->has_key && h->key.var))
		return warn(h->c, h->first.line, "load uses an environment "
		    "variable: skipped");
	if ((cert = val_new(&h->crt, hap_base(h, 0))) == NULL ||
	    (h->has_key && (key = val_new(&h->key, hap_base(h, 1))) == NULL))
		h->c->oom = 1;
	else
		rc = emit(h->c, cert, key, "load");
	free(cert);
	free(key);
	return rc;
}

static int
hap_value(struct haproxy *h, enum hexpect x, const struct word *w)
{
	char	*base;

	switch (x) {
	case HX_CRT:
		if (h->section == HS_STORE) {
			h->crt = *w;
			h->has_crt = 1;
			return 0;
		}
		return hap_crt(h, w, h->crt_base);
	case HX_KEY:
		h->key = *w;
		h->has_key = 1;
		return 0;
	case HX_CRTLIST:
		return warn(h->c, w->line, "crt-list is not followed: "
		    "its certificates are scanned on their own");
	case HX_BASE:
		if (w->bad || w->var)
			return warn(h->c, w->line, "%s unusable: ignored",
			    h->first.s);
		base = h->section == HS_STORE ?
		    (word_is(&h->first, "crt-base") ? h->store_crt_base :
		    h->store_key_base) :
		    (word_is(&h->first, "crt-base") ? h->crt_base : h->key_base);
		memcpy(base, w->s, w->len + 1);
		return 0;
	default:
		return 0;
	}
}

/* What the word after w on this line is, given the line's first word. */
static enum hexpect
hap_expect(const struct haproxy *h, const struct word *w)
{
	if (word_is(&h->first, "crt-base") || word_is(&h->first, "key-base"))
		return h->section != HS_OTHER && w == &h->first ?
		    HX_BASE : HX_NONE;
	if (w == &h->first)
		return HX_NONE;
	if (h->section == HS_STORE && word_is(&h->first, "load"))
		return word_is(w, "crt") ? HX_CRT :
		    word_is(w, "key") ? HX_KEY : HX_NONE;
	if (!word_is(&h->first, "bind") && !word_is(&h->first, "server") &&
	    !word_is(&h->first, "default-server"))
		return HX_NONE;
	return word_is(w, "crt") ? HX_CRT :
	    word_is(w, "crt-list") ? HX_CRTLIST : HX_NONE;
}

static void
hap_section(struct haproxy *h)
{
	size_t	 i;

	for (i = 0; i < sizeof(hsections) / sizeof(hsections[0]); i++) {
		if (!word_is(&h->first, hsections[i].name))
			continue;
		h->section = hsections[i].section;
		h->store_crt_base[0] = '\0';
		h->store_key_base[0] = '\0';
		return;
	}
}

static int
hap_line(struct haproxy *h)
{
	enum hexpect	 x;
	int		 rc = 0;

	h->has_crt = h->has_key = 0;
	if (!hap_word(h->c, &h->lx, &h->first))
		return 0;
	hap_section(h);
	x = hap_expect(h, &h->first);
	while (rc == 0 && hap_word(h->c, &h->lx, &h->w)) {
		if (x != HX_NONE) {
			rc = hap_value(h, x, &h->w);
			x = HX_NONE;
		} else
			x = hap_expect(h, &h->w);
	}
	if (rc == 0 && x != HX_NONE)
		rc = warn(h->c, h->first.line, "%s without a value",
		    x == HX_BASE ? h->first.s : "crt");
	if (rc == 0 && h->section == HS_STORE && word_is(&h->first, "load"))
		rc = hap_load(h);
	return rc;
}

static int
haproxy_parse(struct ctx *c, const unsigned char *buf, size_t len)
{
	struct haproxy	*h;

	if ((h = calloc(1, sizeof(*h))) == NULL)
		return -1;
	h->c = c;
	h->lx = (struct lex){ buf, buf + len, 1 };
	while (h->lx.p < h->lx.end) {
		if (hap_line(h) == -1)
			break;
		hap_eol(&h->lx);
	}
	free(h);
	return c->oom ? -1 : 0;
}

int
cs_webconf_parse(enum cs_webconf_kind kind, const unsigned char *buf,
    size_t len, struct cs_vec *pairs, struct cs_vec *warnings)
{
	struct ctx	 c = { kind, pairs, warnings, 0, 0, 0 };

	if (buf == NULL)
		len = 0;
	switch (kind) {
	case CS_WEBCONF_NGINX:
		return nginx_parse(&c, buf, len);
	case CS_WEBCONF_APACHE:
		return apache_parse(&c, buf, len);
	case CS_WEBCONF_HAPROXY:
		return haproxy_parse(&c, buf, len);
	default:
		return 0;
	}
}

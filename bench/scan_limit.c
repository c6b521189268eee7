/*
 * scan_limit - the least work OpenSSL needs to find every object in a tree
 * of files and hash its SubjectPublicKeyInfo: the lower bound `certsmith
 * scan` is measured against (issue 4, "Speed").
 *
 *   bench_scan_limit [-j THREADS] [-v] PATH...
 *
 * Uses OpenSSL alone, no certsmith code. Directories are walked without
 * following symbolic links; files are shared among THREADS workers (default
 * 1). Each file is read whole; PEM bodies are base64-decoded with
 * EVP_DecodeUpdate; a certificate's or CSR's SPKI is located in its DER
 * with ASN1_get_object and hashed as found (its public key is never
 * decoded); a public key file is hashed as it is; a private key is decoded
 * with a decoder context each thread builds once per structure and its
 * SPKI is built from the key's parameters (RSA, EC named curves) or with
 * i2d_PUBKEY. Encrypted keys, containers and junk are only recognised and
 * skipped: they cost a scanner little besides the reading. Prints files,
 * objects, seconds and files/s; -v prints one line per object.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/asn1.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/decoder.h>
#include <openssl/evp.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/x509.h>

#define MAX_FILE	(16 * 1024 * 1024)

struct files {
	char		**v;
	size_t		 n, cap;
};

/* Key structures the workers decode, each with its context: a context
 * limited to one key type decodes several times faster than one that
 * tries them all, so PKCS#8 gets one per algorithm. */
enum form {
	F_PKCS8, F_P8_RSA, F_P8_EC, F_P8_ED25519, F_P8_ED448, F_P8_X25519,
	F_P8_X448, F_RSA, F_EC, F_MAX
};

static const struct {
	const char	*structure;
	const char	*keytype;
	unsigned char	 oid[10];	/* PKCS#8 algorithm, length first */
} forms[F_MAX] = {
	{ "PrivateKeyInfo", NULL, { 0 } },
	{ "PrivateKeyInfo", "RSA",
	    { 9, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01 } },
	{ "PrivateKeyInfo", "EC",
	    { 7, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01 } },
	{ "PrivateKeyInfo", "ED25519", { 3, 0x2b, 0x65, 0x70 } },
	{ "PrivateKeyInfo", "ED448", { 3, 0x2b, 0x65, 0x71 } },
	{ "PrivateKeyInfo", "X25519", { 3, 0x2b, 0x65, 0x6e } },
	{ "PrivateKeyInfo", "X448", { 3, 0x2b, 0x65, 0x6f } },
	{ "type-specific", "RSA", { 0 } },
	{ "type-specific", "EC", { 0 } },
};

struct worker {
	pthread_t		 tid;
	const struct files	*files;
	atomic_size_t		*next;
	int			 verbose;
	EVP_MD			*sha256;
	EVP_ENCODE_CTX		*b64;
	OSSL_DECODER_CTX	*dctx[F_MAX];
	EVP_PKEY		*slot[F_MAX];
	unsigned char		*der;
	size_t			 der_cap;
	size_t			 objects;
};

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
files_add(struct files *fl, const char *path)
{
	if (fl->n == fl->cap) {
		fl->cap = fl->cap ? fl->cap * 2 : 1024;
		if ((fl->v = realloc(fl->v, fl->cap * sizeof(*fl->v))) == NULL)
			exit(2);
	}
	if ((fl->v[fl->n++] = strdup(path)) == NULL)
		exit(2);
}

static void
walk(struct files *fl, const char *path)
{
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	char		 sub[4096];

	if (lstat(path, &st) == -1)
		return;
	if (S_ISREG(st.st_mode)) {
		files_add(fl, path);
		return;
	}
	if (!S_ISDIR(st.st_mode) || (d = opendir(path)) == NULL)
		return;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0 &&
		    snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name) <
		    (int)sizeof(sub))
			walk(fl, sub);
	closedir(d);
}

static unsigned char *
read_file(const char *path, size_t *len)
{
	struct stat	 st;
	unsigned char	*buf = NULL;
	ssize_t		 r;
	size_t		 n = 0;
	int		 fd;

	if ((fd = open(path, O_RDONLY)) == -1)
		return NULL;
	if (fstat(fd, &st) == -1 || st.st_size > MAX_FILE ||
	    (buf = malloc((size_t)st.st_size + 1)) == NULL)
		goto fail;
	while (n < (size_t)st.st_size &&
	    (r = read(fd, buf + n, (size_t)st.st_size - n)) > 0)
		n += (size_t)r;
	close(fd);
	*len = n;
	return buf;
fail:
	close(fd);
	free(buf);
	return NULL;
}

/* One TLV of the wanted tag at *p; its contents in *c, *clen. */
static int
tlv(const unsigned char **p, const unsigned char *end, int cls, int tag,
    const unsigned char **c, long *clen)
{
	const unsigned char	*q = *p;
	int			 t, xc, r;

	if (q >= end)
		return -1;
	r = ASN1_get_object(&q, clen, &t, &xc, end - q);
	if ((r & 0x80) || (r & 1) || t != tag || xc != cls || *clen > end - q)
		return -1;
	*c = q;
	*p = q + *clen;
	return 0;
}

static void
emit(struct worker *w, const char *path, const char *what,
    const unsigned char *spki, size_t len)
{
	unsigned char	 md[32];

	if (EVP_Digest(spki, len, md, NULL, w->sha256, NULL) != 1)
		return;
	w->objects++;
	if (w->verbose)
		printf("%s %s %02x%02x%02x%02x\n", path, what, md[0], md[1],
		    md[2], md[3]);
}

#define U	V_ASN1_UNIVERSAL
#define SEQ	V_ASN1_SEQUENCE

/* Certificate or CSR: the SPKI TLV inside the signed part. */
static int
signed_spki(const unsigned char *der, size_t len, const unsigned char **spki,
    size_t *spki_len, const char **what)
{
	const unsigned char	*p = der, *end = der + len, *c, *tbs, *tend;
	long			 l;
	int			 skip, i;

	if (tlv(&p, end, U, SEQ, &c, &l) == -1)
		return -1;
	p = c;
	end = c + l;
	if (tlv(&p, end, U, SEQ, &tbs, &l) == -1)
		return -1;
	tend = tbs + l;
	p = tbs;
	if (p < tend && *p == 0xa0) {		/* certificate [0] version */
		if (tlv(&p, tend, V_ASN1_CONTEXT_SPECIFIC, 0, &c, &l) == -1)
			return -1;
		skip = 5;
		*what = "certificate";
	} else if (p + 2 < tend && *p == 0x02 && p[1] < 0x80 &&
	    p[2 + p[1]] == 0x30) {		/* CSR: version, subject */
		skip = 2;
		*what = "csr";
	} else {
		skip = 5;			/* v1 certificate */
		*what = "certificate";
	}
	for (i = 0; i < skip; i++) {
		const unsigned char *q = p;
		int t, xc;

		if (p >= tend ||
		    ASN1_get_object(&q, &l, &t, &xc, tend - p) & 0x80)
			return -1;
		p = q + l;
	}
	*spki = p;
	if (tlv(&p, tend, U, SEQ, &c, &l) == -1)
		return -1;
	*spki_len = (size_t)(p - *spki);
	return 0;
}

static const unsigned char alg_rsa[] = {
	0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01,
	0x01, 0x05, 0x00
};

static size_t
put_hdr(unsigned char *o, int tag, size_t len)
{
	size_t	 n = 0;

	o[n++] = (unsigned char)tag;
	if (len < 0x80)
		o[n++] = (unsigned char)len;
	else if (len < 0x100) {
		o[n++] = 0x81;
		o[n++] = (unsigned char)len;
	} else {
		o[n++] = 0x82;
		o[n++] = (unsigned char)(len >> 8);
		o[n++] = (unsigned char)len;
	}
	return n;
}

static size_t
put_int(unsigned char *o, const BIGNUM *bn)
{
	size_t	 n = (size_t)BN_num_bytes(bn), h;
	int	 pad = BN_is_bit_set(bn, (int)n * 8 - 1);

	h = put_hdr(o, V_ASN1_INTEGER, n + (size_t)pad);
	if (pad)
		o[h++] = 0;
	BN_bn2bin(bn, o + h);
	return h + n;
}

/* RSA SPKI from n and e, in buf (big enough for 16384-bit moduli). */
static size_t
rsa_spki(EVP_PKEY *pk, unsigned char *buf)
{
	unsigned char	 body[2200], key[2300], probe[8];
	BIGNUM		*n = NULL, *e = NULL;
	size_t		 bl = 0, kl = 0, ol = 0;

	if (!EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_N, &n) ||
	    !EVP_PKEY_get_bn_param(pk, OSSL_PKEY_PARAM_RSA_E, &e) ||
	    BN_num_bytes(n) > 2048 || BN_num_bytes(e) > 64) {
		BN_free(n);
		BN_free(e);
		return 0;
	}
	bl += put_int(body, n);
	bl += put_int(body + bl, e);
	BN_free(n);
	BN_free(e);
	kl = put_hdr(key, 0x30, bl);
	memcpy(key + kl, body, bl);
	kl += bl;
	ol = put_hdr(buf, 0x30, sizeof(alg_rsa) + put_hdr(probe, 0x03, kl + 1) +
	    kl + 1);
	memcpy(buf + ol, alg_rsa, sizeof(alg_rsa));
	ol += sizeof(alg_rsa);
	ol += put_hdr(buf + ol, 0x03, kl + 1);
	buf[ol++] = 0;
	memcpy(buf + ol, key, kl);
	return ol + kl;
}

/* EC SPKI from the curve's OID and the encoded point. */
static size_t
ec_spki(EVP_PKEY *pk, unsigned char *buf)
{
	static const unsigned char ecpk[] = { 0x06, 0x07, 0x2a, 0x86, 0x48,
	    0xce, 0x3d, 0x02, 0x01 };
	unsigned char	 pt[200], alg[64], probe[8];
	char		 name[64];
	const ASN1_OBJECT *curve;
	size_t		 pl, al = 0, ol;
	int		 cl;

	if (!EVP_PKEY_get_utf8_string_param(pk, OSSL_PKEY_PARAM_GROUP_NAME,
	    name, sizeof(name), NULL) ||
	    (curve = OBJ_nid2obj(OBJ_sn2nid(name))) == NULL ||
	    (cl = (int)OBJ_length(curve)) <= 0 || cl > 40 ||
	    !EVP_PKEY_get_octet_string_param(pk,
	    OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, pt, sizeof(pt), &pl) ||
	    pl > sizeof(pt))
		return 0;
	memcpy(alg, ecpk, sizeof(ecpk));
	al = sizeof(ecpk);
	alg[al++] = 0x06;
	alg[al++] = (unsigned char)cl;
	memcpy(alg + al, OBJ_get0_data(curve), (size_t)cl);
	al += (size_t)cl;
	ol = put_hdr(buf, 0x30, put_hdr(probe, 0x30, al) + al +
	    put_hdr(probe, 0x03, pl + 1) + pl + 1);
	ol += put_hdr(buf + ol, 0x30, al);
	memcpy(buf + ol, alg, al);
	ol += al;
	ol += put_hdr(buf + ol, 0x03, pl + 1);
	buf[ol++] = 0;
	/* The point again, straight into place (pl is known now). */
	if (!EVP_PKEY_get_octet_string_param(pk,
	    OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, buf + ol, pl, &pl))
		return 0;
	return ol + pl;
}

/* The PKCS#8 form for the key's algorithm OID. */
static enum form
p8_form(const unsigned char *der, size_t len)
{
	const unsigned char	*p = der, *end = der + len, *c, *alg, *oid;
	long			 l, al, ol;
	int			 f;

	if (tlv(&p, end, U, SEQ, &c, &l) == -1)
		return F_PKCS8;
	p = c;
	end = c + l;
	if (tlv(&p, end, U, V_ASN1_INTEGER, &c, &l) == -1 ||
	    tlv(&p, end, U, SEQ, &alg, &al) == -1 ||
	    tlv(&alg, alg + al, U, V_ASN1_OBJECT, &oid, &ol) == -1)
		return F_PKCS8;
	for (f = F_P8_RSA; f <= F_P8_X448; f++)
		if (ol == forms[f].oid[0] &&
		    memcmp(oid, forms[f].oid + 1, (size_t)ol) == 0)
			return (enum form)f;
	return F_PKCS8;
}

static void
key_der(struct worker *w, const char *path, enum form f,
    const unsigned char *der, size_t len)
{
	const unsigned char	*p = der;
	unsigned char		 buf[2400], *spki = NULL;
	size_t			 left = len, sl;
	int			 n;

	if (w->dctx[f] == NULL &&
	    (w->dctx[f] = OSSL_DECODER_CTX_new_for_pkey(&w->slot[f], "DER",
	    forms[f].structure, forms[f].keytype, EVP_PKEY_KEYPAIR, NULL,
	    NULL)) == NULL)
		return;
	EVP_PKEY_free(w->slot[f]);
	w->slot[f] = NULL;
	if (!OSSL_DECODER_from_data(w->dctx[f], &p, &left) ||
	    w->slot[f] == NULL) {
		ERR_clear_error();
		return;
	}
	if ((EVP_PKEY_is_a(w->slot[f], "RSA") &&
	    (sl = rsa_spki(w->slot[f], buf)) > 0) ||
	    (EVP_PKEY_is_a(w->slot[f], "EC") &&
	    (sl = ec_spki(w->slot[f], buf)) > 0)) {
		emit(w, path, "key", buf, sl);
		return;
	}
	if ((n = i2d_PUBKEY(w->slot[f], &spki)) > 0)
		emit(w, path, "key", spki, (size_t)n);
	OPENSSL_free(spki);
}

static void
object(struct worker *w, const char *path, const char *label,
    const unsigned char *der, size_t len)
{
	const unsigned char	*spki;
	const char		*what;
	size_t			 sl;

	if (label == NULL || strcmp(label, "CERTIFICATE") == 0 ||
	    strcmp(label, "CERTIFICATE REQUEST") == 0) {
		if (signed_spki(der, len, &spki, &sl, &what) == 0) {
			emit(w, path, what, spki, sl);
			return;
		}
		if (label != NULL)
			return;
	}
	if (label == NULL || strcmp(label, "PUBLIC KEY") == 0) {
		if (len > 2 && der[0] == 0x30 && label != NULL) {
			emit(w, path, "public-key", der, len);
			return;
		}
	}
	if (label == NULL || strcmp(label, "PRIVATE KEY") == 0)
		key_der(w, path, p8_form(der, len), der, len);
	else if (strcmp(label, "RSA PRIVATE KEY") == 0)
		key_der(w, path, F_RSA, der, len);
	else if (strcmp(label, "EC PRIVATE KEY") == 0)
		key_der(w, path, F_EC, der, len);
}

static int
grow(struct worker *w, size_t need)
{
	if (need <= w->der_cap)
		return 0;
	free(w->der);
	w->der_cap = need;
	return (w->der = malloc(need)) == NULL ? -1 : 0;
}

static const unsigned char *
find(const unsigned char *p, const unsigned char *end, const char *s)
{
	size_t	 n = strlen(s);

	while ((p = memchr(p, s[0], (size_t)(end - p))) != NULL) {
		if ((size_t)(end - p) < n)
			return NULL;
		if (memcmp(p, s, n) == 0)
			return p;
		p++;
	}
	return NULL;
}

static void
pem(struct worker *w, const char *path, const unsigned char *buf, size_t len)
{
	const unsigned char	*p = buf, *end = buf + len, *b, *e, *nl;
	char			 label[64];
	size_t			 ll;
	int			 n, fin;

	while ((b = find(p, end, "-----BEGIN ")) != NULL) {
		b += 11;
		if ((nl = memchr(b, '\n', (size_t)(end - b))) == NULL ||
		    (e = find(nl, end, "-----END ")) == NULL)
			return;
		ll = (size_t)(nl - b);
		while (ll > 0 && (b[ll - 1] == '-' || b[ll - 1] == '\r'))
			ll--;
		p = e + 9;
		if (ll >= sizeof(label) || find(nl, e, "Proc-Type:") != NULL ||
		    grow(w, (size_t)(e - nl)) == -1)
			continue;
		memcpy(label, b, ll);
		label[ll] = '\0';
		EVP_DecodeInit(w->b64);
		if (EVP_DecodeUpdate(w->b64, w->der, &n, nl,
		    (int)(e - nl)) < 0 ||
		    EVP_DecodeFinal(w->b64, w->der + n, &fin) != 1)
			continue;
		object(w, path, label, w->der, (size_t)(n + fin));
	}
}

static void *
work(void *arg)
{
	struct worker	*w = arg;
	unsigned char	*buf;
	size_t		 i, len;

	while ((i = atomic_fetch_add(w->next, 1)) < w->files->n) {
		if ((buf = read_file(w->files->v[i], &len)) == NULL)
			continue;
		if (len > 0 && buf[0] == 0x30)
			object(w, w->files->v[i], NULL, buf, len);
		else if (len > 0)
			pem(w, w->files->v[i], buf, len);
		free(buf);
	}
	return NULL;
}

int
main(int argc, char *argv[])
{
	struct files	 fl = { 0 };
	struct worker	*ws;
	atomic_size_t	 next = 0;
	size_t		 objects = 0;
	double		 t0, t;
	int		 ch, i, j, nthreads = 1, verbose = 0;

	while ((ch = getopt(argc, argv, "j:v")) != -1) {
		if (ch == 'j')
			nthreads = atoi(optarg);
		else if (ch == 'v')
			verbose = 1;
		else
			goto usage;
	}
	if (optind == argc || nthreads < 1 || nthreads > 256)
		goto usage;
	if ((ws = calloc((size_t)nthreads, sizeof(*ws))) == NULL)
		return 2;
	t0 = now();
	for (i = optind; i < argc; i++)
		walk(&fl, argv[i]);
	for (i = 0; i < nthreads; i++) {
		ws[i].files = &fl;
		ws[i].next = &next;
		ws[i].verbose = verbose;
		ws[i].sha256 = EVP_MD_fetch(NULL, "SHA256", NULL);
		ws[i].b64 = EVP_ENCODE_CTX_new();
		if (ws[i].sha256 == NULL || ws[i].b64 == NULL ||
		    pthread_create(&ws[i].tid, NULL, work, &ws[i]) != 0)
			return 2;
	}
	for (i = 0; i < nthreads; i++) {
		pthread_join(ws[i].tid, NULL);
		objects += ws[i].objects;
	}
	t = now() - t0;
	printf("files %zu objects %zu seconds %.3f files/s %.0f threads %d\n",
	    fl.n, objects, t, (double)fl.n / t, nthreads);
	for (i = 0; i < nthreads; i++) {
		for (j = 0; j < F_MAX; j++) {
			OSSL_DECODER_CTX_free(ws[i].dctx[j]);
			EVP_PKEY_free(ws[i].slot[j]);
		}
		EVP_MD_free(ws[i].sha256);
		EVP_ENCODE_CTX_free(ws[i].b64);
		free(ws[i].der);
	}
	for (i = 0; (size_t)i < fl.n; i++)
		free(fl.v[i]);
	free(fl.v);
	free(ws);
	return 0;
usage:
	fprintf(stderr, "usage: bench_scan_limit [-j THREADS] [-v] PATH...\n");
	return 2;
}

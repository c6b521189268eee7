/*
 * bench_decode - how fast the decoder turns bytes into objects.
 *
 *   bench_decode [-n ROUNDS] [-t SECONDS] [-p PASSWORD] FILE...
 *
 * Every FILE is read into memory once and decoded once to learn what it
 * holds. Then groups of files are decoded over and over with one reused
 * cs_decoder, as the tool decodes its operands: all unencrypted files, then
 * only the files holding nothing but certificates, CSRs, private keys or
 * public keys. Files holding an encrypted key are left out of those groups;
 * with -p they are timed as a group of their own with a second decoder
 * that has a password callback. Each group runs for SECONDS of wall time
 * (default 2) or ROUNDS rounds. Time covers cs_decode_buffer() and
 * cs_result_release(), nothing else.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "input/input.h"

/* Groups 0..3 are the cs_kind values; then these. */
#define G_ALL		4
#define G_ENCRYPTED	5
#define G_MAX		6

#define KIND_NONE	(-1)
#define KIND_MIXED	(-2)

struct bfile {
	const char	*path;
	unsigned char	*buf;
	size_t		 len;
	int		 kind;		/* enum cs_kind, KIND_NONE, KIND_MIXED */
	int		 encrypted;	/* holds a key that stayed locked */
	int		 failed;	/* decoding reported errors */
};

struct bench {
	struct bfile	*files;
	size_t		 n;
	struct bfile	**sel;		/* scratch: the files of one group */
	long		 rounds;	/* 0: run for secs */
	double		 secs;
	const char	*password;
	struct cs_decoder *dec;		/* no password: encrypted stays locked */
	struct cs_decoder *encdec;	/* with -p */
};

struct run {
	size_t		 files;
	size_t		 objects;
	long		 rounds;
	double		 secs;
	int		 failed;	/* some decode reported errors */
};

static void
usage(void)
{
	fprintf(stderr, "usage: bench_decode [-n ROUNDS] [-t SECONDS] "
	    "[-p PASSWORD] FILE...\n");
	exit(2);
}

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
bench_pass(char *buf, int size, const char *path, void *arg)
{
	const char	*pw = arg;
	size_t		 len = strlen(pw);

	(void)path;
	if (size < 0 || len >= (size_t)size)
		return -1;
	memcpy(buf, pw, len);
	return (int)len;
}

static const char *
group_name(int g)
{
	if (g == G_ALL)
		return "all";
	if (g == G_ENCRYPTED)
		return "encrypted";
	return cs_kind_name((enum cs_kind)g);
}

/* Decode f once: what kinds it holds, and whether a key stayed locked. */
static void
classify(struct cs_decoder *dec, struct bfile *f)
{
	struct cs_result	 res = { 0 };
	const struct cs_object	*obj;
	size_t			 i;

	f->failed = cs_decode_buffer(dec, f->path, f->buf, f->len, &res) == -1;
	f->kind = KIND_NONE;
	for (i = 0; i < res.objects.n; i++) {
		obj = res.objects.v[i];
		if (obj->key.locked)
			f->encrypted = 1;
		if (f->kind == KIND_NONE)
			f->kind = (int)obj->kind;
		else if (f->kind != (int)obj->kind)
			f->kind = KIND_MIXED;
	}
	cs_result_release(&res);
}

static int
load(struct bench *b, char **paths)
{
	struct bfile	*f;
	char		 err[256];
	size_t		 i;

	for (i = 0; i < b->n; i++) {
		f = &b->files[i];
		f->path = paths[i];
		if (cs_read_file(f->path, CS_DEFAULT_MAX_SIZE, &f->buf, &f->len,
		    err, sizeof(err)) == -1) {
			fprintf(stderr, "bench_decode: %s: %s\n", f->path, err);
			return -1;
		}
		classify(b->dec, f);
		if (f->failed && !f->encrypted)
			fprintf(stderr, "bench_decode: %s: decode errors; "
			    "left out\n", f->path);
	}
	return 0;
}

static int
in_group(const struct bfile *f, int g)
{
	if (g == G_ENCRYPTED)
		return f->encrypted;
	if (f->encrypted || f->failed)
		return 0;
	return g == G_ALL || f->kind == g;
}

static size_t
select_group(struct bench *b, int g)
{
	size_t	 i, n = 0;

	for (i = 0; i < b->n; i++)
		if (in_group(&b->files[i], g))
			b->sel[n++] = &b->files[i];
	return n;
}

static void
decode_round(struct cs_decoder *dec, struct bfile **sel, struct run *r)
{
	struct cs_result	 res;
	size_t			 i;

	for (i = 0; i < r->files; i++) {
		memset(&res, 0, sizeof(res));
		if (cs_decode_buffer(dec, sel[i]->path, sel[i]->buf, sel[i]->len,
		    &res) == -1)
			r->failed = 1;
		r->objects += res.objects.n;
		cs_result_release(&res);
	}
}

static void
time_group(const struct bench *b, struct cs_decoder *dec, struct run *r)
{
	double	 start = now();

	do {
		decode_round(dec, b->sel, r);
		r->rounds++;
		r->secs = now() - start;
	} while (b->rounds > 0 ? r->rounds < b->rounds : r->secs < b->secs);
}

static void
print_run(int g, const struct run *r)
{
	printf("%-12s %6zu %7ld %9zu %9.3f %11.1f %10.1f%s\n", group_name(g),
	    r->files, r->rounds, r->objects, r->secs,
	    (double)r->objects / r->secs,
	    (double)r->files * (double)r->rounds / r->secs,
	    r->failed ? "  (with decode errors)" : "");
}

static void
list_encrypted(const struct bench *b)
{
	size_t	 i;

	for (i = 0; i < b->n; i++)
		if (b->files[i].encrypted)
			printf("encrypted, not timed (no -p): %s\n",
			    b->files[i].path);
}

static void
run_groups(struct bench *b)
{
	static const int	 order[] = { G_ALL, CS_KIND_CERT, CS_KIND_CSR,
	    CS_KIND_PRIVKEY, CS_KIND_PUBKEY, G_ENCRYPTED };
	struct cs_decoder	*dec;
	struct run		 r;
	size_t			 i;

	printf("%-12s %6s %7s %9s %9s %11s %10s\n", "group", "files",
	    "rounds", "objects", "seconds", "objects/s", "files/s");
	for (i = 0; i < sizeof(order) / sizeof(order[0]); i++) {
		memset(&r, 0, sizeof(r));
		dec = order[i] == G_ENCRYPTED ? b->encdec : b->dec;
		if ((r.files = select_group(b, order[i])) == 0 || dec == NULL)
			continue;
		time_group(b, dec, &r);
		print_run(order[i], &r);
	}
	if (b->encdec == NULL)
		list_encrypted(b);
}

static void
summary(const struct bench *b)
{
	size_t	 i, bytes = 0, enc = 0, mixed = 0, failed = 0;

	for (i = 0; i < b->n; i++) {
		bytes += b->files[i].len;
		enc += b->files[i].encrypted != 0;
		mixed += b->files[i].kind == KIND_MIXED;
		failed += b->files[i].failed && !b->files[i].encrypted;
	}
	printf("bench_decode: %zu files (%zu bytes) in memory; %zu encrypted, "
	    "%zu of mixed kinds (in 'all' only), %zu with errors (left out)\n",
	    b->n, bytes, enc, mixed, failed);
	if (b->rounds > 0)
		printf("each group: %ld rounds\n", b->rounds);
	else
		printf("each group: at least %.1f s of wall time\n", b->secs);
}

static void
parse_args(struct bench *b, int argc, char **argv)
{
	char	*end;
	int	 c;

	b->secs = 2.0;
	while ((c = getopt(argc, argv, "n:p:t:")) != -1) {
		errno = 0;
		switch (c) {
		case 'n':
			b->rounds = strtol(optarg, &end, 10);
			if (errno || *end != '\0' || b->rounds <= 0)
				usage();
			break;
		case 'p':
			b->password = optarg;
			break;
		case 't':
			b->secs = strtod(optarg, &end);
			if (errno || *end != '\0' || !(b->secs > 0))
				usage();
			break;
		default:
			usage();
		}
	}
	if (optind >= argc)
		usage();
	b->n = (size_t)(argc - optind);
}

static void
bench_free(struct bench *b)
{
	size_t	 i;

	for (i = 0; b->files != NULL && i < b->n; i++) {
		if (b->files[i].buf != NULL)
			OPENSSL_cleanse(b->files[i].buf, b->files[i].len);
		free(b->files[i].buf);
	}
	free(b->files);
	free(b->sel);
	cs_decoder_free(b->dec);
	cs_decoder_free(b->encdec);
}

/* The plain decoder, and with -p one that asks for the password. */
static int
bench_init(struct bench *b)
{
	struct cs_decoder_opts	 opts = { 0 };

	b->files = calloc(b->n, sizeof(*b->files));
	b->sel = calloc(b->n, sizeof(*b->sel));
	if (b->files == NULL || b->sel == NULL ||
	    (b->dec = cs_decoder_new(&opts)) == NULL)
		return -1;
	if (b->password == NULL)
		return 0;
	opts.pass_cb = bench_pass;
	opts.pass_arg = (void *)b->password;
	return (b->encdec = cs_decoder_new(&opts)) == NULL ? -1 : 0;
}

int
main(int argc, char **argv)
{
	struct bench	 b = { 0 };
	int		 rc = 1;

	parse_args(&b, argc, argv);
	if (bench_init(&b) == -1)
		fprintf(stderr, "bench_decode: out of memory\n");
	else if (load(&b, argv + optind) == 0) {
		summary(&b);
		run_groups(&b);
		rc = 0;
	}
	bench_free(&b);
	return rc;
}

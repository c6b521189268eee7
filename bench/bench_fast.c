/*
 * bench_fast - what `scan` pays per object: the fast path of
 * cs_fast_decode against the full decoder plus conversion it replaces.
 *
 *   bench_fast [-t SECONDS] FILE|DIR...
 *
 * Files (directories are walked, symbolic links not followed) are read
 * into memory once and decoded once to learn what they hold; then each
 * group (files holding only certificates, only CSRs, only private keys,
 * only public keys; mixed files; locked keys; files that fail) is decoded
 * over and over for SECONDS (default 1) by each path, with one reused
 * cs_fast; then all files together. Prints microseconds per object (per
 * file for groups without objects), how many of the group's files the fast
 * path handed to the full decoder, and files/s over all files.
 */
#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "scan/fast.h"

/* G_ALL is every file, whatever its group. */
enum group {
	G_CERT, G_CSR, G_PRIV, G_PUB, G_MIXED, G_LOCKED, G_FAILED, G_ALL, G_MAX
};

static const char *const group_names[G_MAX] = {
	"certificate", "csr", "private-key", "public-key", "mixed", "locked",
	"failed", "all",
};

struct bfile {
	unsigned char	*buf;
	size_t		 len;
	size_t		 objects;
	enum group	 group;
};

struct bench {
	struct bfile	*files;
	size_t		 n, cap;
	double		 secs;
};

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static enum group
group_of(const struct cs_fast_result *res)
{
	const struct cs_fast_obj *o;
	size_t		 i;
	int		 kind = -1;

	if (res->errors.n > 0) {
		for (i = 0; i < res->objects.n; i++)
			if (((struct cs_fast_obj *)res->objects.v[i])->locked)
				return G_LOCKED;
		return G_FAILED;
	}
	for (i = 0; i < res->objects.n; i++) {
		o = res->objects.v[i];
		if (kind != -1 && kind != (int)o->kind)
			return G_MIXED;
		kind = (int)o->kind;
	}
	switch (kind) {
	case CS_KIND_CERT:	return G_CERT;
	case CS_KIND_CSR:	return G_CSR;
	case CS_KIND_PRIVKEY:	return G_PRIV;
	case CS_KIND_PUBKEY:	return G_PUB;
	default:		return G_FAILED;
	}
}

static void
add_file(struct bench *b, struct cs_fast *f, const char *path)
{
	struct cs_fast_result	 res = { 0 };
	struct bfile		*bf;
	char			 err[256];

	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 256;
		b->files = realloc(b->files, b->cap * sizeof(*bf));
		if (b->files == NULL)
			exit(2);
	}
	bf = &b->files[b->n];
	if (cs_read_file(path, CS_DEFAULT_MAX_SIZE, &bf->buf, &bf->len, err,
	    sizeof(err)) == -1) {
		fprintf(stderr, "bench_fast: %s: %s\n", path, err);
		return;
	}
	cs_fast_decode(f, path, bf->buf, bf->len, &res);
	bf->objects = res.objects.n;
	bf->group = group_of(&res);
	cs_fast_result_release(&res);
	b->n++;
}

static void
add_path(struct bench *b, struct cs_fast *f, const char *path)
{
	struct dirent	*de;
	struct stat	 st;
	DIR		*d;
	char		 sub[4096];

	if (lstat(path, &st) == -1)
		return;
	if (S_ISREG(st.st_mode)) {
		add_file(b, f, path);
		return;
	}
	if (!S_ISDIR(st.st_mode) || (d = opendir(path)) == NULL)
		return;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0 &&
		    snprintf(sub, sizeof(sub), "%s/%s", path, de->d_name) <
		    (int)sizeof(sub))
			add_path(b, f, sub);
	closedir(d);
}

/* Seconds per round over the group's files, and the fallbacks of a round. */
static double
time_group(struct bench *b, struct cs_fast *f, enum group g, int full,
    unsigned long *fallbacks)
{
	struct cs_fast_result	 res;
	double			 t0 = now(), t;
	unsigned long		 fb0;
	size_t			 i;
	long			 rounds = 0;

	cs_fast_set_full(f, full);
	do {
		fb0 = cs_fast_fallbacks(f);
		for (i = 0; i < b->n; i++) {
			if (g != G_ALL && b->files[i].group != g)
				continue;
			memset(&res, 0, sizeof(res));
			cs_fast_decode(f, "bench", b->files[i].buf,
			    b->files[i].len, &res);
			cs_fast_result_release(&res);
		}
		*fallbacks = cs_fast_fallbacks(f) - fb0;
		rounds++;
	} while ((t = now() - t0) < b->secs);
	return t / (double)rounds;
}

int
main(int argc, char *argv[])
{
	struct cs_decoder_opts	 opts = { 0 };
	struct bench		 b = { .secs = 1.0 };
	struct cs_fast		*f;
	unsigned long		 fb_fast, fb_full;
	size_t			 i, files, objects;
	double			 tfast, tfull, per;
	int			 ch, g;

	while ((ch = getopt(argc, argv, "t:")) != -1) {
		if (ch != 't')
			goto usage;
		b.secs = atof(optarg);
	}
	if (optind == argc)
		goto usage;
	if ((f = cs_fast_new(&opts)) == NULL)
		return 2;
	for (i = (size_t)optind; i < (size_t)argc; i++)
		add_path(&b, f, argv[i]);
	printf("%-12s %6s %7s %12s %12s %7s %9s\n", "group", "files",
	    "objects", "full us/obj", "fast us/obj", "speedup", "fallbacks");
	for (g = 0; g < G_MAX; g++) {
		files = objects = 0;
		for (i = 0; i < b.n; i++)
			if (g == G_ALL || b.files[i].group == (enum group)g) {
				files++;
				objects += b.files[i].objects;
			}
		if (files == 0)
			continue;
		tfull = time_group(&b, f, g, 1, &fb_full);
		tfast = time_group(&b, f, g, 0, &fb_fast);
		per = objects > 0 ? (double)objects : (double)files;
		printf("%-12s %6zu %7zu %12.1f %12.1f %6.1fx %9lu\n",
		    group_names[g], files, objects, tfull / per * 1e6,
		    tfast / per * 1e6, tfull / tfast, fb_fast);
		if (g == G_ALL)
			printf("all files/s (decoding only, one thread): "
			    "full %.0f, "
			    "fast %.0f\n", (double)files / tfull,
			    (double)files / tfast);
	}
	cs_fast_free(f);
	for (i = 0; i < b.n; i++)
		free(b.files[i].buf);
	free(b.files);
	return 0;
usage:
	fprintf(stderr, "usage: bench_fast [-t SECONDS] FILE|DIR...\n");
	return 2;
}

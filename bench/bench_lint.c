/*
 * bench_lint - what linting costs next to decoding, per object.
 *
 *   bench_lint [-t SECONDS] [-r] FILE...
 *
 * Every FILE is read into memory once. Then, with one reused decoder and
 * one lint context (the built-in default profile, as `certsmith lint`
 * without --profile), two loops run for SECONDS each (default 2):
 * decode-only (cs_decode_buffer + release), and decode + lint (the same
 * plus cs_lint_run over each file's objects). Lint cost per object is the
 * difference. The target of issue 3 is lint <= 2x decode; the program
 * exits 1 when it is missed. With -r it also times each rule alone over
 * the same files and lists the ten most expensive.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "input/input.h"
#include "policy/policy.h"
#include "rules/rule.h"

struct bfile {
	const char	*path;
	unsigned char	*buf;
	size_t		 len;
};

struct bench {
	struct bfile	*files;
	size_t		 n;
	double		 secs;
	struct cs_decoder *dec;
};

struct timing {
	double		 secs;
	size_t		 objects;
};

static double
now(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static size_t
one_round(struct bench *b, struct cs_lint *l)
{
	struct cs_result	 res;
	size_t			 i, objects = 0;

	for (i = 0; i < b->n; i++) {
		memset(&res, 0, sizeof(res));
		(void)cs_decode_buffer(b->dec, b->files[i].path, b->files[i].buf,
		    b->files[i].len, &res);
		if (l != NULL)
			(void)cs_lint_run(l, (struct cs_object *const *)
			    res.objects.v, res.objects.n);
		objects += res.objects.n;
		cs_result_release(&res);
	}
	return objects;
}

static struct timing
timed(struct bench *b, struct cs_lint *l)
{
	struct timing	 t = { 0 };
	double		 start = now();

	do {
		t.objects += one_round(b, l);
		t.secs = now() - start;
	} while (t.secs < b->secs);
	return t;
}

static double
per_object_us(struct timing t)
{
	return t.objects ? t.secs * 1e6 / (double)t.objects : 0;
}

static struct cs_lint *
lint_with(const signed char *enabled, int64_t at)
{
	struct cs_lint_opts	 o = { .now = at, .enabled = enabled };
	const char		*err;
	struct cs_lint		*l;

	if ((l = cs_lint_new(&o, &err)) == NULL)
		fprintf(stderr, "bench_lint: %s\n", err);
	return l;
}

struct rule_cost {
	const char	*id;
	double		 us;
};

static int
by_cost(const void *a, const void *b)
{
	double	 x = ((const struct rule_cost *)a)->us;
	double	 y = ((const struct rule_cost *)b)->us;

	return x < y ? 1 : x > y ? -1 : 0;
}

static void
per_rule(struct bench *b, double decode_us, int64_t at)
{
	const struct cs_rule *const	*all;
	struct rule_cost		*cost;
	signed char			*on;
	size_t				 n, i;
	struct cs_lint			*l;

	all = cs_rules_all(&n);
	if ((cost = calloc(n, sizeof(*cost))) == NULL ||
	    (on = malloc(n)) == NULL) {
		free(cost);
		return;
	}
	for (i = 0; i < n; i++) {
		memset(on, 0, n);
		on[i] = 1;
		cost[i].id = all[i]->id;
		if ((l = lint_with(on, at)) == NULL)
			continue;
		cost[i].us = per_object_us(timed(b, l)) - decode_us;
		cs_lint_free(l);
	}
	qsort(cost, n, sizeof(*cost), by_cost);
	printf("\nmost expensive rules alone (us per object over decoding):\n");
	for (i = 0; i < n && i < 10; i++)
		printf("  %-32s %8.2f\n", cost[i].id, cost[i].us);
	free(on);
	free(cost);
}

static int
load(struct bench *b, char **paths)
{
	char	 err[256];
	size_t	 i;

	for (i = 0; i < b->n; i++) {
		b->files[i].path = paths[i];
		if (cs_read_file(paths[i], CS_DEFAULT_MAX_SIZE, &b->files[i].buf,
		    &b->files[i].len, err, sizeof(err)) == -1) {
			fprintf(stderr, "bench_lint: %s: %s\n", paths[i], err);
			return -1;
		}
	}
	return 0;
}

static int
report(struct timing dec, struct timing lint)
{
	double	 d = per_object_us(dec), both = per_object_us(lint);
	double	 cost = both - d;

	printf("%-22s %10s %12s\n", "", "objects/s", "us/object");
	printf("%-22s %10.0f %12.2f\n", "decode only",
	    dec.objects / dec.secs, d);
	printf("%-22s %10.0f %12.2f\n", "decode + lint",
	    lint.objects / lint.secs, both);
	printf("%-22s %10s %12.2f\n", "lint alone", "", cost);
	printf("lint / decode: %.2fx (target <= 2x): %s\n", cost / d,
	    cost <= 2 * d ? "met" : "NOT MET");
	return cost <= 2 * d ? 0 : 1;
}

int
main(int argc, char **argv)
{
	struct cs_decoder_opts	 dopts = { 0 };
	struct bench		 b = { .secs = 2 };
	struct timing		 dec, both;
	struct cs_lint		*l = NULL;
	int			 c, rules = 0, rc = 2;
	int64_t			 at = (int64_t)time(NULL);
	size_t			 i;

	while ((c = getopt(argc, argv, "rt:")) != -1) {
		if (c == 't' && (b.secs = atof(optarg)) > 0)
			continue;
		if (c == 'r') {
			rules = 1;
			continue;
		}
		fprintf(stderr, "usage: bench_lint [-t SECONDS] [-r] FILE...\n");
		return 2;
	}
	b.n = (size_t)(argc - optind);
	if (b.n == 0 || (b.files = calloc(b.n, sizeof(*b.files))) == NULL)
		return 2;
	if (load(&b, argv + optind) == -1 ||
	    (b.dec = cs_decoder_new(&dopts)) == NULL ||
	    (l = lint_with(NULL, at)) == NULL)
		goto done;
	printf("%zu files, %.1f s per loop\n", b.n, b.secs);
	dec = timed(&b, NULL);
	both = timed(&b, l);
	rc = report(dec, both);
	if (rules)
		per_rule(&b, per_object_us(dec), at);
done:
	cs_lint_free(l);
	cs_decoder_free(b.dec);
	for (i = 0; i < b.n; i++)
		free(b.files[i].buf);
	free(b.files);
	return rc;
}

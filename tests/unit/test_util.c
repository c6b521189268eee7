/*
 * test_util - the small helpers of src/util: the growable vector, string
 * and hex helpers, the arena, the hash map and the atomic output file.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/arena.h"
#include "util/map.h"
#include "util/outfile.h"
#include "util/par.h"
#include "util/util.h"
#include "testutil.h"

struct fixture {
	char		 dir[32];	/* private temporary directory */
	char		*path;		/* scratch, within dir */
	mode_t		 umask;		/* the process's, restored by teardown */
	struct cs_outfile of;
};

static int
setup(void **state)
{
	struct fixture	*f;

	if ((f = calloc(1, sizeof(*f))) == NULL)
		return -1;
	*state = f;
	f->umask = umask(022);
	if (tu_mkdtemp(f->dir, sizeof(f->dir), "/tmp/cs-util-XXXXXX") == -1)
		return -1;
	return 0;
}

static int
teardown(void **state)
{
	struct fixture	*f = *state;

	if (f == NULL)
		return 0;
	cs_outfile_abort(&f->of);
	tu_rm_dir(f->dir);
	umask(f->umask);
	free(f->path);
	free(f);
	return 0;
}

static char *
scratch_path(struct fixture *f, const char *name)
{
	return tu_scratch_path(&f->path, f->dir, name);
}

/* Names in the fixture's directory, counted. */
static int
dir_entries(const struct fixture *f)
{
	DIR		*d;
	struct dirent	*e;
	int		 n = 0;

	assert_non_null(d = opendir(f->dir));
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static void
assert_file_holds(const char *path, const char *want)
{
	char	 buf[256];
	FILE	*fp;
	size_t	 n;

	assert_non_null(fp = fopen(path, "rb"));
	n = fread(buf, 1, sizeof(buf), fp);
	fclose(fp);
	assert_int_equal(n, strlen(want));
	assert_memory_equal(buf, want, n);
}

/* --- cs_arena --------------------------------------------------------- */

static void
test_cs_arena_pieces_kept(void **state)
{
	struct cs_arena	 a = { 0 };
	char		*s[5000], name[32];
	unsigned char	*big = NULL;
	size_t		 i;

	(void)state;
	for (i = 0; i < 5000; i++) {	/* several blocks' worth */
		snprintf(name, sizeof(name), "piece-%zu", i);
		assert_non_null(s[i] = cs_arena_strndup(&a, name,
		    strlen(name)));
		if (i == 2500) {	/* a piece of a block of its own */
			assert_non_null(big = cs_arena_alloc(&a, 100000));
			memset(big, 0xa5, 100000);
		}
	}
	for (i = 0; i < 5000; i++) {	/* nothing moved, nothing overlaps */
		snprintf(name, sizeof(name), "piece-%zu", i);
		assert_string_equal(s[i], name);
	}
	assert_non_null(big);
	assert_int_equal(big[0], 0xa5);
	assert_int_equal(big[99999], 0xa5);
	assert_true(cs_arena_bytes(&a) >= 100000 + 5000 * 10);
	assert_true(cs_arena_bytes(&a) < 100000 + 5000 * 10 + (256 << 10));
	cs_arena_release(&a);
	assert_int_equal(cs_arena_bytes(&a), 0);
	assert_non_null(cs_arena_strndup(&a, "again", 5));	/* reusable */
	cs_arena_release(&a);
}

static void
test_cs_arena_alloc_aligned(void **state)
{
	struct cs_arena	 a = { 0 };
	void		*p;
	int		 i;

	(void)state;
	for (i = 0; i < 100; i++) {
		assert_non_null(cs_arena_strndup(&a, "abcdefg", (size_t)i % 7));
		assert_non_null(p = cs_arena_alloc(&a, (size_t)i));
		assert_int_equal((uintptr_t)p % _Alignof(max_align_t), 0);
	}
	assert_null(cs_arena_alloc(&a, SIZE_MAX));
	assert_null(cs_arena_strndup(&a, "", SIZE_MAX));
	cs_arena_release(&a);
}

/* --- cs_map ----------------------------------------------------------- */

static void
test_cs_map_put_get(void **state)
{
	struct cs_map	 m = { 0 };
	const char	*copy;
	char		 key[32];
	uint32_t	*v, i;
	int		 added;

	(void)state;
	for (i = 0; i < 20000; i++) {	/* grows many times */
		snprintf(key, sizeof(key), "k%u", i);
		assert_non_null(v = cs_map_put(&m, key, strlen(key), i,
		    &added));
		assert_int_equal(added, 1);
	}
	assert_int_equal(m.n, 20000);
	assert_true(m.n * 10 <= m.cap * 7);	/* never past 70% full */
	for (i = 0; i < 20000; i++) {
		snprintf(key, sizeof(key), "k%u", i);
		assert_non_null(v = cs_map_get(&m, key, strlen(key)));
		assert_int_equal(*v, i);
	}
	assert_null(cs_map_get(&m, "k20000", 6));
	assert_null(cs_map_get(&m, "k1", 1));	/* a prefix is another key */
	/* a second put keeps the first value and says so */
	assert_non_null(v = cs_map_intern(&m, "k7", 2, 99, &added, &copy));
	assert_int_equal(added, 0);
	assert_int_equal(*v, 7);
	assert_string_equal(copy, "k7");
	assert_true(cs_map_bytes(&m) >= m.cap * sizeof(*m.slots));
	cs_map_release(&m);
	assert_null(cs_map_get(&m, "k7", 2));
}

static void
test_cs_map_binary_keys(void **state)
{
	struct cs_map	 m = { 0 };
	unsigned char	 a[4] = { 0, 1, 0, 2 }, b[4] = { 0, 1, 0, 3 };
	const char	*copy;
	uint32_t	*v;
	int		 added;

	(void)state;
	assert_null(cs_map_get(&m, a, sizeof(a)));	/* empty map */
	assert_non_null(cs_map_intern(&m, a, sizeof(a), 1, &added, &copy));
	assert_memory_equal(copy, a, sizeof(a));
	assert_int_equal(copy[4], '\0');	/* NUL after the copy */
	assert_non_null(cs_map_put(&m, b, sizeof(b), 2, &added));
	assert_non_null(cs_map_put(&m, "", 0, 3, &added));	/* empty key */
	assert_int_equal(added, 1);
	assert_non_null(v = cs_map_get(&m, a, sizeof(a)));
	assert_int_equal(*v, 1);
	assert_non_null(v = cs_map_get(&m, b, sizeof(b)));
	assert_int_equal(*v, 2);
	assert_non_null(v = cs_map_get(&m, "", 0));
	assert_int_equal(*v, 3);
	cs_map_release(&m);
}

/* --- cs_vec ----------------------------------------------------------- */

static void
test_cs_vec_push_growth(void **state)
{
	static int	 items[1000];
	struct cs_vec	 v = { 0 };
	size_t		 i, cap = 0, grew = 0;

	(void)state;
	for (i = 0; i < 1000; i++) {
		assert_int_equal(cs_vec_push(&v, &items[i]), 0);
		assert_int_equal(v.n, i + 1);
		assert_true(v.cap >= v.n);
		if (v.cap != cap) {
			grew++;
			cap = v.cap;
		}
	}
	/* Growth is geometric: a handful of reallocations, not one each. */
	assert_in_range(grew, 1, 12);
	for (i = 0; i < 1000; i++)
		assert_ptr_equal(v.v[i], &items[i]);
	cs_vec_release(&v);
	assert_null(v.v);
	assert_int_equal(v.n, 0);
	assert_int_equal(v.cap, 0);
}

static void
test_cs_vec_push_null_element(void **state)
{
	struct cs_vec	 v = { 0 };

	(void)state;
	assert_int_equal(cs_vec_push(&v, NULL), 0);
	assert_int_equal(v.n, 1);
	assert_null(v.v[0]);
	cs_vec_release(&v);
}

static void
test_cs_vec_push_ceiling(void **state)
{
	/* A vector already full at the ceiling refuses another element
	 * (and does not touch its array). */
	struct cs_vec	 v = { .v = NULL, .n = CS_VEC_MAX, .cap = CS_VEC_MAX };
	int		 x;

	(void)state;
	assert_int_equal(cs_vec_push(&v, &x), -1);
	assert_int_equal(v.n, CS_VEC_MAX);
	assert_int_equal(v.cap, CS_VEC_MAX);
	assert_null(v.v);
}

static void
test_cs_vec_release_empty(void **state)
{
	struct cs_vec	 v = { 0 };

	(void)state;
	cs_vec_release(&v);
	assert_null(v.v);
	assert_int_equal(v.n, 0);
}

/* --- strings ---------------------------------------------------------- */

static void
test_cs_hex_no_separator(void **state)
{
	static const unsigned char bytes[] = { 0x00, 0x0f, 0xab, 0xff, 0x10 };
	char	*s;

	(void)state;
	assert_non_null(s = cs_hex(bytes, sizeof(bytes), 0));
	assert_string_equal(s, "000fabff10");
	free(s);
	assert_non_null(s = cs_hex(bytes, 0, 0));
	assert_string_equal(s, "");
	free(s);
}

static void
test_cs_hex_separator(void **state)
{
	static const unsigned char bytes[] = { 0x00, 0x0f, 0xab, 0xff, 0x10 };
	char	*s;

	(void)state;
	assert_non_null(s = cs_hex(bytes, sizeof(bytes), ':'));
	assert_string_equal(s, "00:0f:ab:ff:10");
	free(s);
	assert_non_null(s = cs_hex(bytes, 1, ':'));
	assert_string_equal(s, "00");
	free(s);
	assert_non_null(s = cs_hex(bytes, 0, ':'));
	assert_string_equal(s, "");
	free(s);
}

static void
test_cs_printf_formats(void **state)
{
	char	*s;

	(void)state;
	assert_non_null(s = cs_printf("%s-%d-%zu-%%", "a", -42, (size_t)7));
	assert_string_equal(s, "a--42-7-%");
	free(s);
	assert_non_null(s = cs_printf("%s", ""));
	assert_string_equal(s, "");
	free(s);
}

static void
test_cs_printf_long(void **state)
{
	char	*s;
	size_t	 i;

	(void)state;
	/* Longer than any stack buffer a first attempt might use. */
	assert_non_null(s = cs_printf("<%*d>", 5000, 9));
	assert_int_equal(strlen(s), 5002);
	assert_int_equal(s[0], '<');
	for (i = 1; i < 5000; i++)
		assert_int_equal(s[i], ' ');
	assert_string_equal(s + 5000, "9>");
	free(s);
}

static void
test_cs_lower_ascii(void **state)
{
	char	 s[] = "AbC-XYZ 09 \xc3\x89t\xc3\xa9";
	char	 empty[] = "";

	(void)state;
	assert_ptr_equal(cs_lower(s), s);
	/* Only ASCII letters change; the UTF-8 bytes of "É" stay. */
	assert_string_equal(s, "abc-xyz 09 \xc3\x89t\xc3\xa9");
	assert_string_equal(cs_lower(empty), "");
	assert_null(cs_lower(NULL));
}

static void
test_cs_strndup_embedded_nul(void **state)
{
	static const char src[] = { 'a', 'b', '\0', 'c', 'd', 'X' };
	char	*s;

	(void)state;
	assert_non_null(s = cs_strndup(src, 5));
	assert_memory_equal(s, src, 5);
	assert_int_equal(s[5], '\0');		/* terminated after len */
	assert_int_equal(strlen(s), 2);
	free(s);
	assert_non_null(s = cs_strndup(src, 0));
	assert_string_equal(s, "");
	free(s);
}

static void
test_cs_strdup_null(void **state)
{
	char	*s;

	(void)state;
	assert_null(cs_strdup(NULL));
	assert_non_null(s = cs_strdup("copy"));
	assert_string_equal(s, "copy");
	free(s);
}

/* --- cs_outfile ------------------------------------------------------- */

static void
test_cs_outfile_commit(void **state)
{
	struct fixture	*f = *state;
	char		 err[256] = "";
	struct stat	 st;
	char		*path = scratch_path(f, "out.key");

	assert_int_equal(cs_outfile_open(&f->of, path, 0600, err,
	    sizeof(err)), 0);
	assert_non_null(f->of.fp);
	assert_true(fputs("secret\n", f->of.fp) >= 0);
	/* Until the commit only the temporary file exists. */
	assert_int_equal(stat(path, &st), -1);
	assert_int_equal(dir_entries(f), 1);

	assert_int_equal(cs_outfile_commit(&f->of, err, sizeof(err)), 0);
	assert_null(f->of.fp);
	assert_null(f->of.tmp);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	assert_file_holds(path, "secret\n");
	assert_int_equal(dir_entries(f), 1);	/* no temporary left */
}

static void
test_cs_outfile_commit_mode_umask(void **state)
{
	struct fixture	*f = *state;
	char		 err[256] = "";
	struct stat	 st;
	char		*path = scratch_path(f, "out.pem");

	/* 0666 under the fixture's umask 022 */
	assert_int_equal(cs_outfile_open(&f->of, path, 0666, err,
	    sizeof(err)), 0);
	assert_true(fputs("public\n", f->of.fp) >= 0);
	assert_int_equal(cs_outfile_commit(&f->of, err, sizeof(err)), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0644);
}

static void
test_cs_outfile_commit_replaces(void **state)
{
	struct fixture	*f = *state;
	char		 err[256] = "";
	FILE		*fp;
	char		*path = scratch_path(f, "out.pem");

	assert_non_null(fp = fopen(path, "w"));
	fputs("old contents, longer than the new\n", fp);
	assert_int_equal(fclose(fp), 0);

	assert_int_equal(cs_outfile_open(&f->of, path, 0644, err,
	    sizeof(err)), 0);
	assert_true(fputs("new\n", f->of.fp) >= 0);
	/* The old file is intact until the commit. */
	assert_file_holds(path, "old contents, longer than the new\n");
	assert_int_equal(cs_outfile_commit(&f->of, err, sizeof(err)), 0);
	assert_file_holds(path, "new\n");
	assert_int_equal(dir_entries(f), 1);
}

static void
test_cs_outfile_abort(void **state)
{
	struct fixture	*f = *state;
	char		 err[256] = "";
	struct stat	 st;
	char		*path = scratch_path(f, "out.key");

	assert_int_equal(cs_outfile_open(&f->of, path, 0600, err,
	    sizeof(err)), 0);
	assert_true(fputs("half-written", f->of.fp) >= 0);
	cs_outfile_abort(&f->of);
	assert_null(f->of.fp);
	assert_null(f->of.tmp);
	assert_null(f->of.path);
	assert_int_equal(stat(path, &st), -1);
	assert_int_equal(dir_entries(f), 0);
	/* A second abort is harmless. */
	cs_outfile_abort(&f->of);
	assert_int_equal(dir_entries(f), 0);
}

static void
test_cs_outfile_open_missing_directory(void **state)
{
	struct fixture	*f = *state;
	char		 err[256] = "";
	char		*path = scratch_path(f, "no/such/dir/out.pem");

	assert_int_equal(cs_outfile_open(&f->of, path, 0644, err,
	    sizeof(err)), -1);
	assert_true(err[0] != '\0');
	tu_assert_contains(err, path);
	tu_assert_contains(err, strerror(ENOENT));
	assert_null(f->of.fp);
	assert_null(f->of.tmp);
	assert_null(f->of.path);
	assert_int_equal(dir_entries(f), 0);
}

static void
test_cs_outfile_open_stdout(void **state)
{
	struct fixture	*f = *state;
	char		 err[256] = "";

	assert_int_equal(cs_outfile_open(&f->of, "-", 0644, err,
	    sizeof(err)), 0);
	assert_ptr_equal(f->of.fp, stdout);
	assert_null(f->of.path);
	assert_null(f->of.tmp);
	assert_int_equal(cs_outfile_commit(&f->of, err, sizeof(err)), 0);
	cs_outfile_abort(&f->of);	/* must not close stdout */
	assert_true(fflush(stdout) == 0);
	assert_int_equal(fileno(stdout), STDOUT_FILENO);
	assert_int_equal(dir_entries(f), 0);
}

/* --- cs_par_for ------------------------------------------------------ */

struct par_case {
	atomic_int	*done;		/* times each item ran */
	atomic_int	 begun, ended;
	atomic_int	 refuse;	/* begin calls still to refuse */
	size_t		 fail_at;	/* item that fails, or SIZE_MAX */
};

static void *
par_begin(const void *arg)
{
	struct par_case	*c = (struct par_case *)(uintptr_t)arg;

	if (atomic_fetch_sub(&c->refuse, 1) > 0)
		return NULL;
	atomic_fetch_add(&c->begun, 1);
	return c;
}

static int
par_item(void *state, size_t i)
{
	struct par_case	*c = state;

	atomic_fetch_add(&c->done[i], 1);
	return i == c->fail_at ? -1 : 0;
}

static void
par_end(void *state)
{
	struct par_case	*c = state;

	atomic_fetch_add(&c->ended, 1);
}

/* Runs n items on threads threads; refuse begins fail first. */
static int
par_run(struct par_case *c, size_t n, unsigned threads, int refuse,
    size_t fail_at)
{
	const struct cs_par	 p = { par_begin, par_item, par_end, c };
	size_t			 i;

	c->done = calloc(n + 1, sizeof(*c->done));
	assert_non_null(c->done);
	for (i = 0; i <= n; i++)
		atomic_init(&c->done[i], 0);
	atomic_init(&c->begun, 0);
	atomic_init(&c->ended, 0);
	atomic_init(&c->refuse, refuse);
	c->fail_at = fail_at;
	return cs_par_for(&p, n, threads);
}

static void
test_cs_par_for_each_once(void **state)
{
	static const size_t	 ns[] = { 0, 1, 2, 7, 64, 1000, 4099 };
	static const unsigned	 ts[] = { 0, 1, 2, 3, 8, 300 };
	struct par_case		 c;
	size_t			 a, b, i;

	(void)state;
	for (a = 0; a < sizeof(ns) / sizeof(ns[0]); a++)
		for (b = 0; b < sizeof(ts) / sizeof(ts[0]); b++) {
			assert_int_equal(par_run(&c, ns[a], ts[b], 0, SIZE_MAX),
			    0);
			for (i = 0; i < ns[a]; i++)
				assert_int_equal(atomic_load(&c.done[i]), 1);
			assert_int_equal(atomic_load(&c.begun),
			    atomic_load(&c.ended));
			assert_true(ns[a] == 0 || atomic_load(&c.begun) >= 1);
			assert_true((size_t)atomic_load(&c.begun) <=
			    (ns[a] < (ts[b] ? ts[b] : 1) ? ns[a] :
			    (ts[b] ? ts[b] : 1)));
			free(c.done);
		}
}

static void
test_cs_par_for_failures(void **state)
{
	struct par_case	 c;
	size_t		 i;

	(void)state;
	/* an item fails: -1, and every other item still runs at most once */
	assert_int_equal(par_run(&c, 500, 1, 0, 3), -1);
	assert_int_equal(atomic_load(&c.done[3]), 1);
	assert_int_equal(atomic_load(&c.done[4]), 0);	/* its thread stops */
	free(c.done);
	assert_int_equal(par_run(&c, 500, 4, 0, 3), -1);
	for (i = 0; i < 500; i++)
		assert_true(atomic_load(&c.done[i]) <= 1);
	free(c.done);
	/* a thread without its state: -1, the others take its items */
	assert_int_equal(par_run(&c, 500, 4, 1, SIZE_MAX), -1);
	for (i = 0; i < 500; i++)
		assert_int_equal(atomic_load(&c.done[i]), 1);
	assert_int_equal(atomic_load(&c.begun), atomic_load(&c.ended));
	free(c.done);
	/* no thread has its state: -1, nothing runs */
	assert_int_equal(par_run(&c, 500, 2, 2, SIZE_MAX), -1);
	for (i = 0; i < 500; i++)
		assert_int_equal(atomic_load(&c.done[i]), 0);
	assert_int_equal(atomic_load(&c.ended), 0);
	free(c.done);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
#define T(fn)	cmocka_unit_test_setup_teardown(fn, setup, teardown)
		T(test_cs_arena_pieces_kept),
		T(test_cs_arena_alloc_aligned),
		T(test_cs_map_put_get),
		T(test_cs_map_binary_keys),
		T(test_cs_vec_push_growth),
		T(test_cs_vec_push_null_element),
		T(test_cs_vec_push_ceiling),
		T(test_cs_vec_release_empty),
		T(test_cs_hex_no_separator),
		T(test_cs_hex_separator),
		T(test_cs_printf_formats),
		T(test_cs_printf_long),
		T(test_cs_lower_ascii),
		T(test_cs_strndup_embedded_nul),
		T(test_cs_strdup_null),
		T(test_cs_outfile_commit),
		T(test_cs_outfile_commit_mode_umask),
		T(test_cs_outfile_commit_replaces),
		T(test_cs_outfile_abort),
		T(test_cs_outfile_open_missing_directory),
		T(test_cs_outfile_open_stdout),
		T(test_cs_par_for_each_once),
		T(test_cs_par_for_failures),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

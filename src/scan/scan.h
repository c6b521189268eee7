/*
 * scan.h - find every key and certificate in a tree (or in the JSONL of
 * many scans) and say which belong together and which do not.
 *
 * A scan walks its roots (on a thread of its own, listing names while
 * the files listed are decoded), decodes every regular file on worker
 * threads through the fast path (fast.h), and joins the results in walk
 * order into an index keyed by SPKI SHA-256: the index holds a few dozen
 * bytes per object plus one copy of each distinct SPKI, never the files.
 * cs_scan_report_begin/_end then work out pairs, mismatches (same name stem,
 * combined PEM, one key and one certificate in a directory, web server
 * configs), orphans, locked keys, reuse, expiry, weak keys (the per-key
 * rules once per distinct key) and shared RSA factors (batch GCD), into a
 * cs_fleet for the reporters.
 *
 * `merge` feeds the index from JSONL records instead (cs_scan_load_jsonl),
 * so the fleet-wide answers (pairs, reuse, shared factors) span every host
 * and shard; what only a walk can see (mismatches by directory and config)
 * is worked out again from the records (configs are carried as records).
 *
 * Library code: nothing is printed; problems become the fleet's errors.
 */
#ifndef CS_SCAN_SCAN_H
#define CS_SCAN_SCAN_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "input/input.h"
#include "model/fleet.h"
#include "rules/rule.h"

struct cs_scan_progress {
	size_t		 files_done;
	size_t		 files_total;
	size_t		 objects;
	double		 elapsed;	/* seconds */
};

struct cs_scan_opts {
	int		 follow_links;	/* -L */
	unsigned	 threads;	/* 0: one per core */
	size_t		 max_size;	/* 0: CS_DEFAULT_MAX_SIZE */
	unsigned	 shard;		/* --shard I/N: keep files whose path */
	unsigned	 nshards;	/* hash is I mod N; N == 0: every file */
	const char	*origin;	/* host or shard label for the records */
	cs_pass_cb	 pass_cb;
	void		*pass_arg;
	/* The rule engine's settings (profile, --at, --host). The per-key
	 * rules always run once per distinct key; with lint set, the whole
	 * catalogue runs on every object as well. */
	const struct cs_lint_opts *lint_opts;
	int		 lint;
	/* With lint: how many decoded objects may wait for the joining thread
	 * to run their rules (see scan.c); 0: the default (some when fewer
	 * threads than cores, else none); -1: none, the workers run every
	 * file's rules. The findings are the same either
	 * way; tests vary it to see that. */
	long		 lint_handoff;
	int64_t		 at;		/* expiry is judged at this time */
	int		 expiring_days;
	enum cs_severity weak_at;	/* a key finding at or above: weak */
	/* Called from the joining thread about four times a second; NULL:
	 * no progress. */
	void		(*progress)(const struct cs_scan_progress *p,
			    void *arg);
	void		*progress_arg;
};

struct cs_scan;

/* NULL (with *err set to a static reason) when it cannot be set up. */
struct cs_scan	*cs_scan_new(const struct cs_scan_opts *opts,
		    const char **err);
void		 cs_scan_free(struct cs_scan *s);

/* Walks and decodes one root (a directory or a file); 0, or -1 when out of
 * memory (problems with files become errors of the fleet). */
int		 cs_scan_root(struct cs_scan *s, const char *root);

/* Reads the records of one JSONL file written by a
 * `scan --format jsonl`;
 * 0, or -1 with a reason in err (the line it stopped at). */
int		 cs_scan_load_jsonl(struct cs_scan *s, const char *path,
		    FILE *in, char *err, size_t errlen);

/* The fleet checks (scan.mismatch, ...): rule-shaped descriptions of
 * what scan reports across files, for reports and the catalogue. */
const struct cs_rule *const *cs_fleet_checks(size_t *n);
const struct cs_rule *cs_fleet_check(const char *id);

/*
 * Works out the report in steps, so that what is known can be written
 * while batch GCD runs on a thread of its own: after cs_scan_report_begin,
 * fl gives the objects (cs_fleet_object_at), its roots and counts;
 * cs_scan_report_known (optional) works out all but the shared factors;
 * cs_scan_report_end waits for batch GCD and adds them (working out the
 * rest first when _known did not). Each 0, or -1 when out of memory (or
 * called out of order); cs_scan_free waits for a begun report that is
 * never ended.
 */
int		 cs_scan_report_begin(struct cs_scan *s, struct cs_fleet *fl);
int		 cs_scan_report_known(struct cs_scan *s, struct cs_fleet *fl);
int		 cs_scan_report_end(struct cs_scan *s, struct cs_fleet *fl);

#endif

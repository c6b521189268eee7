/*
 * fleet.h - the reports of `scan` and `merge`: one function per format
 * over a whole cs_fleet (a fleet is reported once, at the end, because
 * pairs and shared factors are only known when everything is indexed).
 */
#ifndef CS_REPORT_FLEET_H
#define CS_REPORT_FLEET_H

#include <stdio.h>

#include "model/fleet.h"
#include "report/report.h"

struct cs_fleet_report_opts {
	FILE		*out;
	int		 color;
	const char	*version;
	const char	*origin;	/* this host's label for the records */
	int		 fail_on;	/* enum cs_severity or above: never */
	int		 lint;		/* objects were linted */
	const struct cs_rule *const *rules;	/* for SARIF and JUnit */
	size_t		 n_rules;
	int		 written;	/* parts by cs_fleet_write_part */
};

/* The parts of a report that can be written before batch GCD ends. */
enum cs_fleet_part {
	CS_FLEET_OBJECTS = 1,	/* needs cs_scan_report_begin */
	CS_FLEET_KNOWN		/* needs cs_scan_report_known */
};

/* 0, or -1 when out of memory or the output cannot be written. */
int	 cs_fleet_write(enum cs_format fmt, const struct cs_fleet *fl,
	    const struct cs_fleet_report_opts *opts);
/*
 * For a format whose report opens with what is known before batch GCD
 * ends (JSONL: the scan record and the object and finding records, then
 * the records of all but the shared factors and the summary), the part of
 * it up to part, which can be written while batch GCD runs, after what
 * opts->written says is written already; the caller then sets written to
 * part, and cs_fleet_write writes the rest. 1 written, 0 when fmt has no
 * such part, -1 as cs_fleet_write.
 */
int	 cs_fleet_write_part(enum cs_format fmt, const struct cs_fleet *fl,
	    const struct cs_fleet_report_opts *opts, enum cs_fleet_part part);

/* The fleet-level problems, as pseudo rules for JUnit and SARIF: "scan.mismatch", ... */
json_t	*cs_fleet_json(const struct cs_fleet *fl);

#endif

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
	int		 objects_written;	/* by cs_fleet_write_objects */
};

/* 0, or -1 when out of memory or the output cannot be written. */
int	 cs_fleet_write(enum cs_format fmt, const struct cs_fleet *fl,
	    const struct cs_fleet_report_opts *opts);
/*
 * For a format whose report opens with what needs only the objects (JSONL:
 * the scan record, then the object and finding records), that part, which
 * can be written while the fleet's analysis goes on (cs_scan_report_begin);
 * cs_fleet_write with objects_written set then writes the rest. 1 written,
 * 0 when fmt has no such part, -1 as cs_fleet_write.
 */
int	 cs_fleet_write_objects(enum cs_format fmt, const struct cs_fleet *fl,
	    const struct cs_fleet_report_opts *opts);

/* The fleet-level problems, as pseudo rules for JUnit and SARIF: "scan.mismatch", ... */
json_t	*cs_fleet_json(const struct cs_fleet *fl);

#endif

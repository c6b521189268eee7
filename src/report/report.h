/*
 * report.h - one small interface in front of every output format.
 *
 * A reporter is created for one run, fed objects, input errors and skipped
 * parts as they are decoded, and finished with cs_report_end(), which
 * writes whatever the format holds back (JSON writes one document at the
 * end; text and JSONL stream). The reporter copies what it needs: objects
 * may be freed as soon as cs_report_object() returns.
 *
 * Ownership: the reporter borrows the FILE it writes to; the caller opens
 * and closes it.
 */
#ifndef CS_REPORT_H
#define CS_REPORT_H

#include <stdio.h>

#include <jansson.h>

#include "model/object.h"

#define CS_SCHEMA	"certsmith/1"

enum cs_format {
	CS_FMT_TEXT,
	CS_FMT_JSON,
	CS_FMT_JSONL,
	CS_FMT_JUNIT,
	CS_FMT_SARIF,
	CS_FMT_MD,		/* `rules` only: no reporter behind it */
	CS_FMT_MAN,		/* `rules` only: the roff rule list */
	CS_FMT_COUNT,
};

struct cs_rule;

struct cs_report_opts {
	FILE		*out;
	int		 color;		/* ANSI colour in text output */
	const char	*version;	/* tool version for the document */
	/* Set by `lint` (zero for `show`): */
	int		 lint;		/* text shows findings, not descriptions */
	int		 fail_on;	/* enum cs_severity, or above it: never */
	const char	*profile;	/* the profile's name, for the document */
	/* The rules that were enabled, for SARIF's tool.driver.rules and
	 * JUnit's test cases; borrowed. */
	const struct cs_rule *const *rules;
	size_t		 n_rules;
};

struct cs_reporter;

/* Parse a --format name; 0, or -1 when unknown. */
int		 cs_format_parse(const char *name, enum cs_format *fmt);
const char	*cs_format_name(enum cs_format fmt);

/* NULL when out of memory or when fmt has no reporter (md). */
struct cs_reporter *cs_reporter_new(enum cs_format fmt,
		    const struct cs_report_opts *opts);
void		 cs_reporter_free(struct cs_reporter *rep);
/* Each returns 0, or -1 when the output cannot be written. */
int		 cs_report_object(struct cs_reporter *rep,
		    const struct cs_object *obj);
int		 cs_report_error(struct cs_reporter *rep,
		    const struct cs_diag *diag);
int		 cs_report_skipped(struct cs_reporter *rep,
		    const struct cs_diag *diag);
int		 cs_report_end(struct cs_reporter *rep);

/* Writes one JSONL line {"schema", "type": type, type: item}, stealing
 * item (NULL fails), type being one of the code's own ([a-z0-9_], not
 * "schema" or "type"); 0, or -1 when it cannot be written. */
int		 cs_jsonl_record(FILE *out, const char *type, json_t *item);
/*
 * A JSONL line written member by member, without a jansson tree (for the
 * records a fleet has one of per object): _begin, then each member in
 * order (name: one of the code's own, [a-z0-9_], each once; a string may
 * be any bytes, as cs_json_bytes, NULL being null), then _end, which
 * writes the line (0, or -1 when it cannot be written, memory ran out, a
 * name was not plain or the caller set failed to give the line up) and
 * frees what it took. {"schema", "type": type, type: {members}}, as
 * cs_jsonl_record writes it. Not to be copied: buf may point into it.
 */
struct cs_jsonl_line {
	char		*buf;
	size_t		 len, cap;
	int		 members;
	int		 failed;
	char		 small[2048];
};
void		 cs_jsonl_line_begin(struct cs_jsonl_line *l, const char *type);
void		 cs_jsonl_line_str(struct cs_jsonl_line *l, const char *name,
		    const char *s, size_t n);
void		 cs_jsonl_line_int(struct cs_jsonl_line *l, const char *name,
		    json_int_t v);
void		 cs_jsonl_line_bool(struct cs_jsonl_line *l, const char *name,
		    int v);
int		 cs_jsonl_line_end(struct cs_jsonl_line *l, FILE *out);

/* The JSON contract's view of one object / diagnostic (new reference). */
json_t		*cs_object_json(const struct cs_object *obj);
json_t		*cs_diag_json(const struct cs_diag *diag);
/* {"rule", "severity", "field", "value", "message", "citation", "fix"} */
json_t		*cs_finding_json(const struct cs_finding *f);
/* A JSON string from bytes that may not be valid UTF-8 (never NULL
 * unless out of memory): bad bytes become \xNN text. */
json_t		*cs_json_bytes(const char *s, size_t len);

/* The anchor GitHub gives the heading "### `id`" in docs/rules.md
 * (lower case; characters other than letters, digits, '-' and '_'
 * dropped), into buf. */
const char	*cs_rule_anchor(const char *id, char *buf, size_t size);

/* ["a", "b"] from "a,b" / "a, b"; [] from NULL or "" (new reference). */
json_t		*cs_list_json(const char *list);

/* Writes bytes for a terminal: control characters become \xNN, so hostile
 * names cannot drive the terminal. */
void		 cs_text_escaped(FILE *out, const char *s, size_t len);

#endif

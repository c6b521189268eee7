/* Internal to src/report: the table each format fills in. */
#ifndef CS_REPORT_INT_H
#define CS_REPORT_INT_H

#include "report/report.h"

struct cs_reporter;

struct report_ops {
	const char	*name;
	int		(*init)(struct cs_reporter *);		/* may be NULL */
	void		(*release)(struct cs_reporter *);	/* may be NULL */
	int		(*object)(struct cs_reporter *, const struct cs_object *);
	int		(*error)(struct cs_reporter *, const struct cs_diag *);
	int		(*skipped)(struct cs_reporter *, const struct cs_diag *);
	int		(*end)(struct cs_reporter *);
};

/* Counts every format may report at the end; report.c keeps them. */
struct report_tally {
	size_t		 objects;
	size_t		 files;		/* distinct inputs met */
	size_t		 inputs_failed;	/* distinct inputs with an error */
	size_t		 by_sev[4];	/* findings, by enum cs_severity */
	char		*last_path;	/* input of the last object or error */
	char		*last_failed;	/* input of the last error */
};

struct cs_reporter {
	const struct report_ops	*ops;
	struct cs_report_opts	 opts;
	json_t			*doc;		/* formats that hold back */
	void			*state;		/* a format's own, freed by release */
	struct report_tally	 tally;		/* updated before each callback */
};

extern const struct report_ops report_text_ops;
extern const struct report_ops report_json_ops;
extern const struct report_ops report_jsonl_ops;
extern const struct report_ops report_junit_ops;
extern const struct report_ops report_sarif_ops;

/* Does path differ from the input last met? (NULL-safe.) */
int		 report_new_path(const char *last, const char *path);
/* Bytes for XML text: control characters, bytes that are not UTF-8 and
 * the non-characters XML refuses become \xNN text. Never NULL unless out
 * of memory; free() it. */
char		*report_xml_safe(const char *s, size_t len);

#endif

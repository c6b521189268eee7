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

struct cs_reporter {
	const struct report_ops	*ops;
	struct cs_report_opts	 opts;
	json_t			*doc;		/* formats that hold back */
	void			*state;		/* a format's own, freed by release */
};

extern const struct report_ops report_text_ops;
extern const struct report_ops report_json_ops;
extern const struct report_ops report_jsonl_ops;
extern const struct report_ops report_junit_ops;
extern const struct report_ops report_sarif_ops;


#endif

#include "report/report-int.h"

#include <stdlib.h>
#include <string.h>

static const struct {
	const char		*name;
	enum cs_format		 fmt;
	const struct report_ops	*ops;
} formats[] = {
	{ "text",	CS_FMT_TEXT,	&report_text_ops },
	{ "json",	CS_FMT_JSON,	&report_json_ops },
	{ "jsonl",	CS_FMT_JSONL,	&report_jsonl_ops },
	{ "junit",	CS_FMT_JUNIT,	&report_junit_ops },
	{ "sarif",	CS_FMT_SARIF,	&report_sarif_ops },
	{ "md",		CS_FMT_MD,	NULL },
};

const char *
cs_format_name(enum cs_format fmt)
{
	size_t	 i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (formats[i].fmt == fmt)
			return formats[i].name;
	return "?";
}

int
cs_format_parse(const char *name, enum cs_format *fmt)
{
	size_t	 i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (strcmp(name, formats[i].name) == 0) {
			*fmt = formats[i].fmt;
			return 0;
		}
	return -1;
}

struct cs_reporter *
cs_reporter_new(enum cs_format fmt, const struct cs_report_opts *opts)
{
	struct cs_reporter	*rep;
	size_t			 i;

	if ((rep = calloc(1, sizeof(*rep))) == NULL)
		return NULL;
	rep->opts = *opts;
	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (formats[i].fmt == fmt)
			rep->ops = formats[i].ops;
	if (rep->ops == NULL) {
		free(rep);
		return NULL;
	}
	if (rep->ops->init != NULL && rep->ops->init(rep) == -1) {
		cs_reporter_free(rep);
		return NULL;
	}
	return rep;
}

void
cs_reporter_free(struct cs_reporter *rep)
{
	if (rep == NULL)
		return;
	if (rep->ops != NULL && rep->ops->release != NULL)
		rep->ops->release(rep);
	json_decref(rep->doc);
	free(rep);
}

int
cs_report_object(struct cs_reporter *rep, const struct cs_object *obj)
{
	return rep->ops->object(rep, obj);
}

int
cs_report_error(struct cs_reporter *rep, const struct cs_diag *diag)
{
	return rep->ops->error(rep, diag);
}

int
cs_report_skipped(struct cs_reporter *rep, const struct cs_diag *diag)
{
	return rep->ops->skipped(rep, diag);
}

int
cs_report_end(struct cs_reporter *rep)
{
	if (rep->ops->end(rep) == -1)
		return -1;
	return fflush(rep->opts.out) == 0 && !ferror(rep->opts.out) ? 0 : -1;
}

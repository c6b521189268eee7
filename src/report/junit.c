/* --format junit: to be written. */
#include "report/report-int.h"

static int
junit_object_cb(struct cs_reporter *rep, const struct cs_object *obj)
{
	return 0;
}

static int
junit_diag_cb(struct cs_reporter *rep, const struct cs_diag *diag)
{
	return 0;
}

static int
junit_end_cb(struct cs_reporter *rep)
{
	return 0;
}

const struct report_ops report_junit_ops = {
	.name = "junit",
	.object = junit_object_cb,
	.error = junit_diag_cb,
	.skipped = junit_diag_cb,
	.end = junit_end_cb,
};

/* --format sarif: to be written. */
#include "report/report-int.h"

static int
sarif_object_cb(struct cs_reporter *rep, const struct cs_object *obj)
{
	return 0;
}

static int
sarif_diag_cb(struct cs_reporter *rep, const struct cs_diag *diag)
{
	return 0;
}

static int
sarif_end_cb(struct cs_reporter *rep)
{
	return 0;
}

const struct report_ops report_sarif_ops = {
	.name = "sarif",
	.object = sarif_object_cb,
	.error = sarif_diag_cb,
	.skipped = sarif_diag_cb,
	.end = sarif_end_cb,
};

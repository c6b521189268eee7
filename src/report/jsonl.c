/* --format jsonl: one JSON record per line, written as they come. */
#include "report/report-int.h"

int
cs_jsonl_record(FILE *out, const char *type, json_t *item)
{
	json_t	*rec;
	int	 rc = -1;

	if (item == NULL)
		return -1;
	rec = json_pack("{s:s,s:s,s:o}", "schema", CS_SCHEMA, "type", type,
	    type, item);
	if (rec != NULL && json_dumpf(rec, out, JSON_COMPACT |
	    JSON_PRESERVE_ORDER) == 0 && fputc('\n', out) != EOF)
		rc = 0;
	json_decref(rec);
	return rc;
}

static int
line(struct cs_reporter *rep, const char *type, json_t *item)
{
	return cs_jsonl_record(rep->opts.out, type, item);
}

static int
jsonl_object(struct cs_reporter *rep, const struct cs_object *obj)
{
	return line(rep, "object", cs_object_json(obj));
}

static int
jsonl_error(struct cs_reporter *rep, const struct cs_diag *diag)
{
	return line(rep, "error", cs_diag_json(diag));
}

static int
jsonl_skipped(struct cs_reporter *rep, const struct cs_diag *diag)
{
	return line(rep, "skipped", cs_diag_json(diag));
}

static int
jsonl_end(struct cs_reporter *rep)
{
	(void)rep;
	return 0;
}

const struct report_ops report_jsonl_ops = {
	.name = "jsonl",
	.object = jsonl_object,
	.error = jsonl_error,
	.skipped = jsonl_skipped,
	.end = jsonl_end,
};

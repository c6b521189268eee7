/* --format jsonl: one JSON record per line, written as they come. */
#include "report/report-int.h"

#define RECORD_BUF	8192

/*
 * One line. The record is dumped into a buffer and written at once:
 * json_dumpf writes each token with its own locked fwrite, which cost a
 * third of a fleet's JSONL report.
 */
static int
record_write(FILE *out, const json_t *rec)
{
	char	 buf[RECORD_BUF], *big;
	size_t	 n;
	int	 rc;

	n = json_dumpb(rec, buf, sizeof(buf) - 1, JSON_COMPACT |
	    JSON_PRESERVE_ORDER);
	if (n == 0)
		return -1;
	if (n < sizeof(buf)) {
		buf[n] = '\n';
		return fwrite(buf, 1, n + 1, out) == n + 1 ? 0 : -1;
	}
	if ((big = json_dumps(rec, JSON_COMPACT | JSON_PRESERVE_ORDER)) ==
	    NULL)
		return -1;
	rc = fputs(big, out) != EOF && fputc('\n', out) != EOF ? 0 : -1;
	free(big);
	return rc;
}

int
cs_jsonl_record(FILE *out, const char *type, json_t *item)
{
	json_t	*rec;
	int	 rc = -1;

	if (item == NULL)
		return -1;
	rec = json_pack("{s:s,s:s,s:o}", "schema", CS_SCHEMA, "type", type,
	    type, item);
	if (rec != NULL)
		rc = record_write(out, rec);
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

/* --format json: one document, written when the run ends. */
#include "report/report-int.h"

static int
doc_init(struct cs_reporter *rep)
{
	if (rep->doc != NULL)
		return 0;
	rep->doc = json_pack("{s:s,s:{s:s,s:s},s:[],s:[],s:[]}",
	    "schema", CS_SCHEMA, "tool", "name", "certsmith",
	    "version", rep->opts.version, "objects", "errors", "skipped");
	return rep->doc == NULL ? -1 : 0;
}

static int
append(struct cs_reporter *rep, const char *key, json_t *item)
{
	if (item == NULL || doc_init(rep) == -1) {
		json_decref(item);
		return -1;
	}
	return json_array_append_new(json_object_get(rep->doc, key), item);
}

static int
json_object_cb(struct cs_reporter *rep, const struct cs_object *obj)
{
	return append(rep, "objects", cs_object_json(obj));
}

static int
json_error_cb(struct cs_reporter *rep, const struct cs_diag *diag)
{
	return append(rep, "errors", cs_diag_json(diag));
}

static int
json_skipped_cb(struct cs_reporter *rep, const struct cs_diag *diag)
{
	return append(rep, "skipped", cs_diag_json(diag));
}

static int
json_end_cb(struct cs_reporter *rep)
{
	if (doc_init(rep) == -1 ||
	    json_dumpf(rep->doc, rep->opts.out, JSON_INDENT(2) |
	    JSON_PRESERVE_ORDER) == -1)
		return -1;
	return fputc('\n', rep->opts.out) == EOF ? -1 : 0;
}

const struct report_ops report_json_ops = {
	.name = "json",
	.object = json_object_cb,
	.error = json_error_cb,
	.skipped = json_skipped_cb,
	.end = json_end_cb,
};

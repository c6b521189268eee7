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

/* lint: the profile and the counts, after the arrays. */
static int
lint_keys(struct cs_reporter *rep)
{
	const struct report_tally	*t = &rep->tally;
	json_t				*sum;

	sum = json_pack("{s:I,s:I,s:I,s:I,s:I,s:I,s:I}",
	    "objects", (json_int_t)t->objects, "files", (json_int_t)t->files,
	    "errors", (json_int_t)t->by_sev[CS_SEV_ERROR],
	    "warnings", (json_int_t)t->by_sev[CS_SEV_WARNING],
	    "notices", (json_int_t)t->by_sev[CS_SEV_NOTICE],
	    "infos", (json_int_t)t->by_sev[CS_SEV_INFO],
	    "inputs_failed", (json_int_t)t->inputs_failed);
	if (sum == NULL || json_object_set_new(rep->doc, "profile",
	    rep->opts.profile != NULL ? json_string(rep->opts.profile) :
	    json_null()) == -1)
		return json_decref(sum), -1;
	return json_object_set_new(rep->doc, "summary", sum);
}

static int
json_end_cb(struct cs_reporter *rep)
{
	if (doc_init(rep) == -1 || (rep->opts.lint && lint_keys(rep) == -1) ||
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

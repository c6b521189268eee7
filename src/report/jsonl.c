/* --format jsonl: one JSON record per line, written as they come. */
#include "report/report-int.h"

#define RECORD_BUF	8192
#define DUMP_FLAGS	(JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY)

/* A record type or member name written as it is: [a-z0-9_], short. */
static int
plain_name(const char *s)
{
	size_t	 i;

	for (i = 0; s[i] != '\0'; i++)
		if (i >= 64 || !((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return i > 0;
}

/* Base64 or hex: characters JSON takes as they are. */
static int
plain_value(const char *s)
{
	for (; *s != '\0'; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= '0' && *s <= '9') || *s == '+' || *s == '/' ||
		    *s == '='))
			return 0;
	return 1;
}

/*
 * One line: {"schema":"certsmith/1","type":TYPE,TYPE:ITEM}, with NAME:
 * "VALUE" added last to ITEM, an object, when name is not NULL. jansson
 * dumps ITEM alone, into a buffer written at once (json_dumpf writes each
 * token with its own locked fwrite). The envelope, whose names are fixed,
 * and the tail, base64 that needs no escaping (a fleet's SPKIs are most of
 * its JSONL), are written as text: dumping them through jansson cost as
 * much again as the rest of the record. The bytes are those of jansson's
 * compact dump of the whole record.
 */
static int
record_write(FILE *out, const char *type, const json_t *item,
    const char *name, const char *value)
{
	char		 buf[RECORD_BUF], *big = NULL;
	size_t		 m, pre;
	int		 n, rc;

	n = snprintf(buf, sizeof(buf), "{\"schema\":\"%s\",\"type\":\"%s\","
	    "\"%s\":", CS_SCHEMA, type, type);
	if (n < 0 || (size_t)n >= sizeof(buf))
		return -1;
	pre = (size_t)n;
	if ((m = json_dumpb(item, buf + pre, sizeof(buf) - pre,
	    DUMP_FLAGS)) == 0)
		return -1;
	if (m > sizeof(buf) - pre) {		/* too long: on its own */
		if ((big = json_dumps(item, DUMP_FLAGS)) == NULL)
			return -1;
		m = strlen(big);
	}
	if (name != NULL)
		m--;				/* "}": after the tail */
	rc = (big == NULL ? fwrite(buf, 1, pre + m, out) == pre + m :
	    fwrite(buf, 1, pre, out) == pre && fwrite(big, 1, m, out) == m) &&
	    (name == NULL || fprintf(out, "%s\"%s\":\"%s\"}", m > 1 ? "," : "",
	    name, value) >= 0) && fputs("}\n", out) != EOF ? 0 : -1;
	free(big);
	return rc;
}

int
cs_jsonl_record_tail(FILE *out, const char *type, json_t *item,
    const char *name, const char *value)
{
	json_t	*rec;
	char	*s;
	int	 rc = -1;

	if (item == NULL)
		return -1;
	if (name != NULL && (!plain_name(type) || !json_is_object(item) ||
	    !plain_name(name) || !plain_value(value) ||
	    json_object_get(item, name) != NULL)) {
		if (json_object_set_new(item, name, json_string(value)) == -1)
			goto done;
		name = NULL;			/* dumped with the rest */
	}
	if (plain_name(type))
		rc = record_write(out, type, item, name, value);
	else if ((rec = json_pack("{s:s,s:s,s:O}", "schema", CS_SCHEMA,
	    "type", type, type, item)) != NULL) {
		s = json_dumps(rec, DUMP_FLAGS);
		rc = s != NULL && fputs(s, out) != EOF &&
		    fputc('\n', out) != EOF ? 0 : -1;
		free(s);
		json_decref(rec);
	}
done:
	json_decref(item);
	return rc;
}

int
cs_jsonl_record(FILE *out, const char *type, json_t *item)
{
	return cs_jsonl_record_tail(out, type, item, NULL, NULL);
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

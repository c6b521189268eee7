/* --format jsonl: one JSON record per line, written as they come. */
#include "report/report-int.h"

#define RECORD_BUF	8192
#define LINE_MAX_LEN	((size_t)64 << 20)	/* cs_jsonl_line's ceiling */
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

/* A record type: a plain name that does not repeat an envelope key. */
static int
record_type(const char *type)
{
	return plain_name(type) && strcmp(type, "schema") != 0 &&
	    strcmp(type, "type") != 0;
}

/* The record's envelope up to its item: {"schema":...,"type":T,"T": */
static int
envelope(char *buf, size_t size, const char *type)
{
	int	 n;

	if (!record_type(type))
		return -1;
	n = snprintf(buf, size, "{\"schema\":\"%s\",\"type\":\"%s\",\"%s\":",
	    CS_SCHEMA, type, type);
	return n < 0 || (size_t)n >= size ? -1 : n;
}

/* Text jansson would dump as it is: printable ASCII but '"' and '\\'. */
static int
plain_text(const char *s, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (s[i] < 0x20 || s[i] > 0x7e || s[i] == '"' || s[i] == '\\')
			return 0;
	return 1;
}

/*
 * One line: {"schema":"certsmith/1","type":TYPE,TYPE:ITEM}, TYPE one of the
 * code's record types (record_type; -1 else). jansson dumps
 * ITEM alone, into a buffer written at once (json_dumpf writes each token
 * with its own locked fwrite); the envelope, whose names are fixed, is
 * written as text. The bytes are those of jansson's compact dump of the
 * whole record.
 */
static int
record_write(FILE *out, const char *type, const json_t *item)
{
	char		 buf[RECORD_BUF], *big = NULL;
	size_t		 m, pre;
	int		 n, rc;

	if ((n = envelope(buf, sizeof(buf), type)) == -1)
		return -1;
	pre = (size_t)n;
	if ((m = json_dumpb(item, buf + pre, sizeof(buf) - pre,
	    DUMP_FLAGS)) == 0)
		return -1;
	if (m <= sizeof(buf) - pre)
		rc = fwrite(buf, 1, pre + m, out) == pre + m;
	else if ((big = json_dumps(item, DUMP_FLAGS)) == NULL)
		return -1;			/* too long: on its own */
	else
		rc = fwrite(buf, 1, pre, out) == pre &&
		    fputs(big, out) != EOF;
	free(big);
	return rc && fputs("}\n", out) != EOF ? 0 : -1;
}

int
cs_jsonl_record(FILE *out, const char *type, json_t *item)
{
	int	 rc;

	if (item == NULL)
		return -1;
	rc = record_write(out, type, item);
	json_decref(item);
	return rc;
}

/*
 * A record written member by member, for the records a fleet has one of
 * per object: building a jansson tree for each and dumping it took most
 * of a scan's report (8 us a record, where this takes 1). Names are the
 * code's own; a string jansson would dump as it is goes in as it is, any
 * other through cs_json_bytes and jansson's dump, so the bytes are those
 * of jansson's compact dump of the same record.
 */
static void
line_put(struct cs_jsonl_line *l, const char *s, size_t n)
{
	char	*nb;
	size_t	 cap;

	if (l->failed || n == 0)
		return;
	if (n > LINE_MAX_LEN - l->len) {
		l->failed = 1;			/* no record is that long */
		return;
	}
	if (n > l->cap - l->len) {
		for (cap = l->cap * 2; n > cap - l->len; cap *= 2)
			continue;
		nb = l->buf == l->small ? malloc(cap) : realloc(l->buf, cap);
		if (nb == NULL) {
			l->failed = 1;
			return;
		}
		if (l->buf == l->small)
			memcpy(nb, l->small, l->len);
		l->buf = nb;
		l->cap = cap;
	}
	memcpy(l->buf + l->len, s, n);
	l->len += n;
}

static void
line_name(struct cs_jsonl_line *l, const char *name)
{
	if (!plain_name(name))
		l->failed = 1;
	if (l->members++ > 0)
		line_put(l, ",", 1);
	line_put(l, "\"", 1);
	line_put(l, name, strlen(name));
	line_put(l, "\":", 2);
}

void
cs_jsonl_line_begin(struct cs_jsonl_line *l, const char *type)
{
	int	 n;

	l->buf = l->small;
	l->cap = sizeof(l->small);
	l->len = 0;
	l->members = 0;
	l->failed = 0;
	if ((n = envelope(l->small, sizeof(l->small) - 1, type)) == -1)
		l->failed = 1;
	else {
		l->len = (size_t)n;
		line_put(l, "{", 1);
	}
}

void
cs_jsonl_line_str(struct cs_jsonl_line *l, const char *name, const char *s,
    size_t n)
{
	json_t	*j;
	char	*d;

	line_name(l, name);
	if (s == NULL) {
		line_put(l, "null", 4);		/* as cs_json_bytes */
		return;
	}
	if (plain_text(s, n)) {
		line_put(l, "\"", 1);
		line_put(l, s, n);
		line_put(l, "\"", 1);
		return;
	}
	j = cs_json_bytes(s, n);
	if (j == NULL || (d = json_dumps(j, DUMP_FLAGS)) == NULL)
		l->failed = 1;
	else {
		line_put(l, d, strlen(d));
		free(d);
	}
	json_decref(j);
}

void
cs_jsonl_line_int(struct cs_jsonl_line *l, const char *name, json_int_t v)
{
	char	 buf[32];
	int	 n;

	line_name(l, name);
	n = snprintf(buf, sizeof(buf), "%" JSON_INTEGER_FORMAT, v);
	if (n < 0 || (size_t)n >= sizeof(buf))
		l->failed = 1;
	else
		line_put(l, buf, (size_t)n);
}

void
cs_jsonl_line_bool(struct cs_jsonl_line *l, const char *name, int v)
{
	line_name(l, name);
	line_put(l, v ? "true" : "false", v ? 4 : 5);
}

int
cs_jsonl_line_end(struct cs_jsonl_line *l, FILE *out)
{
	int	 rc;

	line_put(l, "}}\n", 3);
	rc = !l->failed && fwrite(l->buf, 1, l->len, out) == l->len ? 0 : -1;
	if (l->buf != l->small)
		free(l->buf);
	l->buf = NULL;
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

#include "report/report-int.h"

#include <stdio.h>
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
	{ "man",	CS_FMT_MAN,	NULL },
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
	free(rep->tally.last_path);
	free(rep->tally.last_failed);
	free(rep);
}

int
report_new_path(const char *last, const char *path)
{
	if (last == NULL || path == NULL)
		return last != path;
	return strcmp(last, path) != 0;
}

/* Counts path as met; -1 when out of memory. */
static int
tally_path(char **last, size_t *count, const char *path)
{
	char	*copy;

	if (!report_new_path(*last, path))
		return 0;
	if ((copy = strdup(path != NULL ? path : "-")) == NULL)
		return -1;
	free(*last);
	*last = copy;
	(*count)++;
	return 0;
}

int
cs_report_object(struct cs_reporter *rep, const struct cs_object *obj)
{
	struct report_tally	*t = &rep->tally;
	size_t			 i;

	if (tally_path(&t->last_path, &t->files, obj->src.path) == -1)
		return -1;
	t->objects++;
	for (i = 0; i < obj->findings.n; i++) {
		const struct cs_finding *f = obj->findings.v[i];

		if ((unsigned)f->severity < 4)
			t->by_sev[f->severity]++;
	}
	return rep->ops->object(rep, obj);
}

int
cs_report_error(struct cs_reporter *rep, const struct cs_diag *diag)
{
	struct report_tally	*t = &rep->tally;

	if (tally_path(&t->last_path, &t->files, diag->path) == -1 ||
	    tally_path(&t->last_failed, &t->inputs_failed, diag->path) == -1)
		return -1;
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

const char *
cs_rule_anchor(const char *id, char *buf, size_t size)
{
	size_t	 off = 0;

	for (; *id != '\0' && off + 1 < size; id++) {
		char c = *id;

		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		    c == '-' || c == '_')
			buf[off++] = c;
	}
	buf[off] = '\0';
	return buf;
}

/* Length of the well-formed UTF-8 sequence XML accepts at s, or 0. */
static size_t
xml_char_len(const unsigned char *s, size_t len)
{
	unsigned long	 cp;
	size_t		 n, i;

	if (s[0] < 0x80)
		return s[0] >= 0x20 || s[0] == '\t' || s[0] == '\n' ? 1 : 0;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		n = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		n = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		n = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n > len)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000) ||
	    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) ||
	    cp == 0xfffe || cp == 0xffff || (cp >= 0x80 && cp <= 0x9f))
		return 0;
	return n;
}

char *
report_xml_safe(const char *s, size_t len)
{
	const unsigned char	*u = (const unsigned char *)s;
	char			*out, *p;
	size_t			 i, n;

	if (s == NULL)
		len = 0;
	if ((out = malloc(len * 4 + 1)) == NULL)
		return NULL;
	for (i = 0, p = out; i < len; ) {
		if ((n = xml_char_len(u + i, len - i)) == 0) {
			p += sprintf(p, "\\x%02x", u[i]);
			i++;
			continue;
		}
		memcpy(p, u + i, n);
		p += n;
		i += n;
	}
	*p = '\0';
	return out;
}

json_t *
cs_list_json(const char *list)
{
	json_t		*arr = json_array();
	const char	*end;
	size_t		 len;

	while (arr != NULL && list != NULL && *list != '\0') {
		while (*list == ' ' || *list == ',')
			list++;
		if ((end = strchr(list, ',')) == NULL)
			end = list + strlen(list);
		for (len = (size_t)(end - list); len > 0 && list[len - 1] == ' ';
		    len--)
			;
		if (len > 0 && json_array_append_new(arr,
		    json_stringn(list, len)) == -1) {
			json_decref(arr);
			return NULL;
		}
		list = end;
	}
	return arr;
}

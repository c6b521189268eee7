/*
 * --format junit: for CI systems. One <testsuite> per input file, one
 * <testcase> per rule that ran on an object of it (classname "PATH#INDEX"),
 * a <failure> when the rule found something at or above --fail-on; lower
 * findings go to the suite's <system-out>, inputs that could not be decoded
 * become an <error> test case. Built as a libxml2 tree, written at the end;
 * the layout follows the Apache Ant JUnit schema (one failure per test
 * case, so several findings of one rule on one object share it).
 */
#include "report/report-int.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxml/tree.h>

#include "rules/rule.h"

struct junit {
	xmlDocPtr	 doc;
	xmlNodePtr	 suite;		/* the open suite, NULL: none */
	char		*path;		/* its input file */
	int		 next_id;
	int		 tests, failures, errors;
	char		*out;		/* system-out text, malloc'd */
	size_t		 out_len;
	char		 host[256];
	char		 stamp[32];
};

/* Adds an attribute from bytes that may be hostile; -1 when out of memory. */
static int
set_attr(xmlNodePtr node, const char *name, const char *value)
{
	char		*safe;
	xmlAttrPtr	 a;

	if ((safe = report_xml_safe(value, value ? strlen(value) : 0)) == NULL)
		return -1;
	a = xmlNewProp(node, BAD_CAST name, BAD_CAST safe);
	free(safe);
	return a == NULL ? -1 : 0;
}

static int
set_int(xmlNodePtr node, const char *name, long v)
{
	char	 buf[32];

	snprintf(buf, sizeof(buf), "%ld", v);
	return xmlNewProp(node, BAD_CAST name, BAD_CAST buf) == NULL ? -1 : 0;
}

static xmlNodePtr
text_child(xmlNodePtr parent, const char *name, const char *text)
{
	char		*safe;
	xmlNodePtr	 n;

	if ((safe = report_xml_safe(text, text ? strlen(text) : 0)) == NULL)
		return NULL;
	n = xmlNewTextChild(parent, NULL, BAD_CAST name, BAD_CAST safe);
	free(safe);
	return n;
}

/* Appends a printf-formatted line to the suite's system-out. */
static int
out_append(struct junit *j, const char *s)
{
	size_t	 len = strlen(s);
	char	*p;

	if ((p = realloc(j->out, j->out_len + len + 2)) == NULL)
		return -1;
	j->out = p;
	memcpy(p + j->out_len, s, len);
	j->out_len += len;
	p[j->out_len++] = '\n';
	p[j->out_len] = '\0';
	return 0;
}

static int
suite_close(struct junit *j)
{
	xmlNodePtr	 s = j->suite;
	int		 rc = 0;

	if (s == NULL)
		return 0;
	if (set_int(s, "tests", j->tests) == -1 ||
	    set_int(s, "failures", j->failures) == -1 ||
	    set_int(s, "errors", j->errors) == -1 ||
	    text_child(s, "system-out", j->out != NULL ? j->out : "") == NULL ||
	    text_child(s, "system-err", "") == NULL)
		rc = -1;
	j->suite = NULL;
	free(j->out);
	j->out = NULL;
	j->out_len = 0;
	return rc;
}

static int
property(xmlNodePtr props, const char *name, const char *value)
{
	xmlNodePtr	 p;

	p = xmlNewChild(props, NULL, BAD_CAST "property", NULL);
	if (p == NULL || set_attr(p, "name", name) == -1 ||
	    set_attr(p, "value", value) == -1)
		return -1;
	return 0;
}

/* The run's settings: profile and --fail-on. */
static int
properties(const struct cs_reporter *rep, xmlNodePtr suite)
{
	xmlNodePtr	 props;
	int		 f = rep->opts.fail_on;

	props = xmlNewChild(suite, NULL, BAD_CAST "properties", NULL);
	if (props == NULL)
		return -1;
	if (rep->opts.profile != NULL &&
	    property(props, "profile", rep->opts.profile) == -1)
		return -1;
	return property(props, "fail-on", f >= CS_SEV_INFO &&
	    f <= CS_SEV_ERROR ? cs_severity_name(f) : "never");
}

/* The suite of path, opened when it is not the current one. */
static xmlNodePtr
suite_for(struct cs_reporter *rep, const char *path)
{
	struct junit	*j = rep->state;
	xmlNodePtr	 s;

	if (path == NULL)
		path = "-";
	if (j->suite != NULL && !report_new_path(j->path, path))
		return j->suite;
	if (suite_close(j) == -1)
		return NULL;
	free(j->path);
	if ((j->path = strdup(path)) == NULL)
		return NULL;
	j->tests = j->failures = j->errors = 0;
	s = xmlNewChild(xmlDocGetRootElement(j->doc), NULL,
	    BAD_CAST "testsuite", NULL);
	if (s == NULL || set_attr(s, "name", path[0] ? path : "-") == -1 ||
	    set_attr(s, "package", "certsmith") == -1 ||
	    set_int(s, "id", j->next_id++) == -1 ||
	    set_attr(s, "hostname", j->host) == -1 ||
	    set_attr(s, "timestamp", j->stamp) == -1 ||
	    set_attr(s, "time", "0") == -1 ||
	    properties(rep, s) == -1)
		return NULL;
	return j->suite = s;
}

static xmlNodePtr
testcase(struct junit *j, const char *name, const char *classname)
{
	xmlNodePtr	 tc;

	tc = xmlNewChild(j->suite, NULL, BAD_CAST "testcase", NULL);
	if (tc == NULL || set_attr(tc, "name", name) == -1 ||
	    set_attr(tc, "classname", classname) == -1 ||
	    set_attr(tc, "time", "0") == -1)
		return NULL;
	j->tests++;
	return tc;
}

/* One finding as text lines: message, field, value, citation, fix. */
static void
finding_text(FILE *m, const struct cs_finding *f)
{
	fprintf(m, "%s: %s\n", cs_severity_name(f->severity), f->message);
	fprintf(m, "field: %s\n", f->field != NULL ? f->field : "-");
	if (f->value != NULL)
		fprintf(m, "value: %s\n", f->value);
	if (f->citation != NULL)
		fprintf(m, "citation: %s\n", f->citation);
	if (f->fix_action != NULL)
		fprintf(m, "fix: %s %s\n", f->fix_action,
		    f->fix_value != NULL ? f->fix_value : "");
}

/* The <failure> of one rule on one object: every finding at or above
 * fail_on, the most severe naming the type. */
static int
failure(struct cs_reporter *rep, struct junit *j, xmlNodePtr tc,
    const struct cs_object *obj, const char *rule)
{
	const struct cs_finding	*first = NULL;
	char			*all = NULL;
	size_t			 len, i;
	xmlNodePtr		 fail;
	FILE			*m;
	int			 worst = CS_SEV_INFO, rc = -1;

	if ((m = open_memstream(&all, &len)) == NULL)
		return -1;
	for (i = 0; i < obj->findings.n; i++) {
		const struct cs_finding *f = obj->findings.v[i];

		if (strcmp(f->rule, rule) != 0 ||
		    (int)f->severity < rep->opts.fail_on)
			continue;
		if (first != NULL)
			fputc('\n', m);
		else
			first = f;
		if ((int)f->severity > worst)
			worst = (int)f->severity;
		finding_text(m, f);
	}
	if (fclose(m) != 0)
		goto done;
	rc = 0;
	if (first == NULL)
		goto done;
	fail = text_child(tc, "failure", all);
	if (fail == NULL || set_attr(fail, "message", first->message) == -1 ||
	    set_attr(fail, "type", cs_severity_name(worst)) == -1)
		rc = -1;
	j->failures++;
done:
	free(all);
	return rc;
}

/* Findings below fail_on, as lines of the suite's system-out. */
static int
below_lines(struct cs_reporter *rep, struct junit *j,
    const struct cs_object *obj)
{
	size_t	 i;
	char	*line;
	int	 rc;

	for (i = 0; i < obj->findings.n; i++) {
		const struct cs_finding *f = obj->findings.v[i];

		if ((int)f->severity >= rep->opts.fail_on)
			continue;
		line = cs_printf("%s#%d %s %s [%s] %s", obj->src.path ?
		    obj->src.path : "-", obj->src.index,
		    cs_severity_name(f->severity), f->rule,
		    f->field != NULL ? f->field : "-", f->message);
		rc = line == NULL ? -1 : out_append(j, line);
		free(line);
		if (rc == -1)
			return -1;
	}
	return 0;
}

/* Did a rule already get its test case on this object? */
static int
seen_before(const struct cs_object *obj, size_t nchecked, size_t upto,
    const char *rule)
{
	size_t	 i;

	for (i = 0; i < nchecked; i++)
		if (strcmp(obj->checked.v[i], rule) == 0)
			return 1;
	for (i = 0; i < upto; i++)
		if (strcmp(((const struct cs_finding *)
		    obj->findings.v[i])->rule, rule) == 0)
			return 1;
	return 0;
}

static int
rule_case(struct cs_reporter *rep, struct junit *j,
    const struct cs_object *obj, const char *classname, const char *rule)
{
	xmlNodePtr	 tc;

	if ((tc = testcase(j, rule, classname)) == NULL)
		return -1;
	return failure(rep, j, tc, obj, rule);
}

static int
junit_object_cb(struct cs_reporter *rep, const struct cs_object *obj)
{
	struct junit	*j = rep->state;
	char		*classname;
	size_t		 i;
	int		 rc = -1;

	if (suite_for(rep, obj->src.path) == NULL)
		return -1;
	classname = cs_printf("%s#%d", obj->src.path ? obj->src.path : "-",
	    obj->src.index);
	if (classname == NULL)
		return -1;
	for (i = 0; i < obj->checked.n; i++)
		if (rule_case(rep, j, obj, classname, obj->checked.v[i]) == -1)
			goto done;
	/* Findings of rules not listed as run (profile field rules). */
	for (i = 0; i < obj->findings.n; i++) {
		const char *rule = ((const struct cs_finding *)
		    obj->findings.v[i])->rule;

		if (!seen_before(obj, obj->checked.n, i, rule) &&
		    rule_case(rep, j, obj, classname, rule) == -1)
			goto done;
	}
	rc = below_lines(rep, j, obj);
done:
	free(classname);
	return rc;
}

static int
junit_diag(struct cs_reporter *rep, const struct cs_diag *diag,
    const char *name, const char *elem)
{
	struct junit	*j = rep->state;
	xmlNodePtr	 tc, e;
	char		*classname;

	if (suite_for(rep, diag->path) == NULL)
		return -1;
	classname = cs_printf("%s#%d", diag->path ? diag->path : "-",
	    diag->index);
	tc = classname != NULL ? testcase(j, name, classname) : NULL;
	free(classname);
	if (tc == NULL || (e = text_child(tc, elem, diag->message)) == NULL ||
	    set_attr(e, "message", diag->message) == -1)
		return -1;
	if (strcmp(elem, "error") == 0) {
		j->errors++;
		return set_attr(e, "type", "input");
	}
	return 0;
}

static int
junit_error_cb(struct cs_reporter *rep, const struct cs_diag *diag)
{
	return junit_diag(rep, diag, "decode", "error");
}

static int
junit_skipped_cb(struct cs_reporter *rep, const struct cs_diag *diag)
{
	return junit_diag(rep, diag, "decode", "skipped");
}

static int
junit_init(struct cs_reporter *rep)
{
	struct junit	*j;
	xmlNodePtr	 root;
	time_t		 now = time(NULL);
	struct tm	 tm;

	if ((j = calloc(1, sizeof(*j))) == NULL)
		return -1;
	rep->state = j;
	if (gethostname(j->host, sizeof(j->host)) != 0 || j->host[0] == '\0')
		strcpy(j->host, "localhost");
	j->host[sizeof(j->host) - 1] = '\0';
	if (gmtime_r(&now, &tm) == NULL ||
	    strftime(j->stamp, sizeof(j->stamp), "%Y-%m-%dT%H:%M:%S", &tm) == 0)
		strcpy(j->stamp, "1970-01-01T00:00:00");
	if ((j->doc = xmlNewDoc(BAD_CAST "1.0")) == NULL ||
	    (root = xmlNewNode(NULL, BAD_CAST "testsuites")) == NULL)
		return -1;
	xmlDocSetRootElement(j->doc, root);
	return 0;
}

static void
junit_release(struct cs_reporter *rep)
{
	struct junit	*j = rep->state;

	if (j == NULL)
		return;
	if (j->doc != NULL)
		xmlFreeDoc(j->doc);
	free(j->path);
	free(j->out);
	free(j);
	rep->state = NULL;
}

static int
junit_end_cb(struct cs_reporter *rep)
{
	struct junit	*j = rep->state;

	if (suite_close(j) == -1)
		return -1;
	return xmlDocFormatDump(rep->opts.out, j->doc, 1) < 0 ? -1 : 0;
}

const struct report_ops report_junit_ops = {
	.name = "junit",
	.init = junit_init,
	.release = junit_release,
	.object = junit_object_cb,
	.error = junit_error_cb,
	.skipped = junit_skipped_cb,
	.end = junit_end_cb,
};

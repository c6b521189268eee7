/*
 * --format sarif: SARIF 2.1.0 for code-scanning dashboards. One run; the
 * enabled rules are tool.driver.rules, each finding a result pointing at
 * the input file (artifactLocation) and at the object and field
 * (logicalLocations). Inputs that could not be decoded become
 * toolExecutionNotifications of the invocation. Written at the end.
 */
#include "report/report-int.h"

#include <stdlib.h>
#include <string.h>

#include "rules/rule.h"

#define SARIF_SCHEMA	"https://json.schemastore.org/sarif-2.1.0.json"
#define SARIF_HOME	"https://github.com/certsmith/certsmith"
#define SARIF_RULES_DOC	SARIF_HOME "/blob/main/docs/rules.md#"

struct sarif {
	json_t	*results;
	json_t	*notes;		/* toolExecutionNotifications */
	int	 failed;	/* an input could not be decoded */
};

static const char *
level(enum cs_severity sev)
{
	switch (sev) {
	case CS_SEV_ERROR:
		return "error";
	case CS_SEV_WARNING:
		return "warning";
	default:
		return "note";
	}
}

static json_t *
bytes(const char *s)
{
	return s != NULL ? cs_json_bytes(s, strlen(s)) : json_null();
}

/* A relative URI reference for a path: everything but unreserved
 * characters and '/' percent-encoded; absolute paths become file URIs. */
static json_t *
path_uri(const char *path)
{
	static const char	 hexd[] = "0123456789ABCDEF";
	const unsigned char	*p;
	char			*buf, *o;
	json_t			*j;

	if (path == NULL || *path == '\0')
		path = "-";
	if ((buf = malloc(strlen(path) * 3 + 8)) == NULL)
		return NULL;
	o = buf;
	if (path[0] == '/')
		o += sprintf(o, "file://");
	for (p = (const unsigned char *)path; *p != '\0'; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p) != NULL)
			*o++ = (char)*p;
		else {
			*o++ = '%';
			*o++ = hexd[*p >> 4];
			*o++ = hexd[*p & 15];
		}
	}
	*o = '\0';
	j = json_string(buf);
	free(buf);
	return j;
}

static json_t *
physical(const char *path)
{
	return json_pack("{s:{s:o}}", "artifactLocation", "uri",
	    path_uri(path));
}

static json_t *
rule_descriptor(const struct cs_rule *r)
{
	char	 anchor[128], applies[96];
	json_t	*j;
	char	*help;

	cs_rule_anchor(r->id, anchor, sizeof(anchor));
	if ((help = cs_printf("%s%s", SARIF_RULES_DOC, anchor)) == NULL)
		return NULL;
	j = json_pack("{s:s,s:{s:s},s:s,s:{s:s},s:{s:o,s:o,s:o}}",
	    "id", r->id, "shortDescription", "text", r->summary,
	    "helpUri", help,
	    "defaultConfiguration", "level", level(r->severity),
	    "properties", "citation", bytes(r->citation),
	    "applies", cs_list_json(cs_applies_names(r->applies, applies,
	    sizeof(applies))), "params", cs_list_json(r->params));
	free(help);
	return j;
}

static json_t *
driver(const struct cs_reporter *rep)
{
	json_t	*rules = json_array();
	size_t	 i;

	for (i = 0; rules != NULL && i < rep->opts.n_rules; i++)
		if (json_array_append_new(rules,
		    rule_descriptor(rep->opts.rules[i])) == -1) {
			json_decref(rules);
			return NULL;
		}
	return json_pack("{s:s,s:s,s:s,s:o*}", "name", "certsmith",
	    "version", rep->opts.version != NULL ? rep->opts.version : "",
	    "informationUri", SARIF_HOME, "rules", rules);
}

static json_t *
fix_json(const struct cs_finding *f)
{
	if (f->fix_action == NULL)
		return json_null();
	return json_pack("{s:s,s:o}", "action", f->fix_action,
	    "value", bytes(f->fix_value));
}

static json_t *
logical(const struct cs_object *obj, const struct cs_finding *f)
{
	char	*fqn;
	json_t	*j;

	fqn = cs_printf("objects[%d].%s", obj->src.index,
	    f->field != NULL ? f->field : "");
	if (fqn == NULL)
		return NULL;
	j = json_pack("[{s:o,s:o,s:s,s:{s:i}}]",
	    "name", bytes(f->field != NULL ? f->field : "object"),
	    "fullyQualifiedName", bytes(fqn), "kind", "member",
	    "properties", "objectIndex", obj->src.index);
	free(fqn);
	return j;
}

static json_t *
result(const struct cs_reporter *rep, const struct cs_object *obj,
    const struct cs_finding *f)
{
	json_t	*j;
	size_t	 i;

	j = json_pack("{s:s,s:s,s:{s:o},s:[{s:o,s:o}],s:{s:o,s:o,s:s,s:o,s:i}}",
	    "ruleId", f->rule, "level", level(f->severity),
	    "message", "text", bytes(f->message),
	    "locations", "physicalLocation", physical(obj->src.path),
	    "logicalLocations", logical(obj, f),
	    "properties", "field", bytes(f->field), "value", bytes(f->value),
	    "severity", cs_severity_name(f->severity), "fix", fix_json(f),
	    "objectIndex", obj->src.index);
	if (j == NULL)
		return NULL;
	for (i = 0; i < rep->opts.n_rules; i++)
		if (strcmp(rep->opts.rules[i]->id, f->rule) == 0) {
			json_object_set_new(j, "ruleIndex", json_integer((json_int_t)i));
			break;
		}
	return j;
}

static int
sarif_object_cb(struct cs_reporter *rep, const struct cs_object *obj)
{
	struct sarif	*s = rep->state;
	size_t		 i;

	for (i = 0; i < obj->findings.n; i++)
		if (json_array_append_new(s->results,
		    result(rep, obj, obj->findings.v[i])) == -1)
			return -1;
	return 0;
}

static int
notification(struct sarif *s, const struct cs_diag *diag, const char *lvl)
{
	return json_array_append_new(s->notes, json_pack(
	    "{s:s,s:{s:o},s:[{s:o}]}", "level", lvl,
	    "message", "text", bytes(diag->message),
	    "locations", "physicalLocation", physical(diag->path)));
}

static int
sarif_error_cb(struct cs_reporter *rep, const struct cs_diag *diag)
{
	struct sarif	*s = rep->state;

	s->failed = 1;
	return notification(s, diag, "error");
}

static int
sarif_skipped_cb(struct cs_reporter *rep, const struct cs_diag *diag)
{
	return notification(rep->state, diag, "note");
}

static int
sarif_init(struct cs_reporter *rep)
{
	struct sarif	*s;

	if ((s = calloc(1, sizeof(*s))) == NULL)
		return -1;
	rep->state = s;
	s->results = json_array();
	s->notes = json_array();
	return s->results == NULL || s->notes == NULL ? -1 : 0;
}

static void
sarif_release(struct cs_reporter *rep)
{
	struct sarif	*s = rep->state;

	if (s == NULL)
		return;
	json_decref(s->results);
	json_decref(s->notes);
	free(s);
	rep->state = NULL;
}

static int
sarif_end_cb(struct cs_reporter *rep)
{
	struct sarif	*s = rep->state;
	json_t		*doc;
	int		 rc;

	doc = json_pack("{s:s,s:s,s:[{s:{s:o},s:[{s:b,s:O}],s:O,s:{s:s*}}]}",
	    "$schema", SARIF_SCHEMA, "version", "2.1.0", "runs",
	    "tool", "driver", driver(rep),
	    "invocations", "executionSuccessful", !s->failed,
	    "toolExecutionNotifications", s->notes,
	    "results", s->results,
	    "properties", "profile", rep->opts.profile);
	if (doc == NULL)
		return -1;
	rc = json_dumpf(doc, rep->opts.out, JSON_INDENT(2) |
	    JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (rc == -1)
		return -1;
	return fputc('\n', rep->opts.out) == EOF ? -1 : 0;
}

const struct report_ops report_sarif_ops = {
	.name = "sarif",
	.init = sarif_init,
	.release = sarif_release,
	.object = sarif_object_cb,
	.error = sarif_error_cb,
	.skipped = sarif_skipped_cb,
	.end = sarif_end_cb,
};

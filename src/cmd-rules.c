/*
 * certsmith rules: the catalogue, as a table (text), as JSON, as the
 * Markdown document docs/rules.md (md) and as the roff rule list of the
 * manual page (man). The two documents are generated from here only.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "rules/rule.h"
#include "scan/scan.h"
#include "util/outfile.h"

#define FAMILY_MAX	64

struct catalogue {
	const struct cs_rule *const	*v;
	size_t				 n;
};

/* The family of a rule: its id up to the first dot. */
static size_t
family_len(const char *id)
{
	const char	*dot = strchr(id, '.');

	return dot != NULL ? (size_t)(dot - id) : strlen(id);
}

static int
same_family(const char *a, const char *b)
{
	size_t	 n = family_len(a);

	return n == family_len(b) && strncmp(a, b, n) == 0;
}

/* Is rule i the first of its family in the catalogue? */
static int
family_first(const struct catalogue *c, size_t i)
{
	size_t	 k;

	for (k = 0; k < i; k++)
		if (same_family(c->v[k]->id, c->v[i]->id))
			return 0;
	return 1;
}

static const char *
applies_of(const struct cs_rule *r, char *buf, size_t size)
{
	return cs_applies_names(r->applies, buf, size);
}

static int
ends_with_stop(const char *s)
{
	size_t	 n = strlen(s);

	return n > 0 && (s[n - 1] == '.' || s[n - 1] == '?' || s[n - 1] == '!');
}

static void roff_text(FILE *out, const char *s);

/* The summary as a sentence: capital first letter, full stop; escaped
 * for roff when roff is set. */
static void
sentence(FILE *out, const char *s, int roff)
{
	char	*t;

	t = cs_printf("%c%s%s", *s >= 'a' && *s <= 'z' ? *s - 'a' + 'A' : *s,
	    *s != '\0' ? s + 1 : "", ends_with_stop(s) ? "" : ".");
	if (t == NULL)
		return;
	if (roff)
		roff_text(out, t);
	else
		fputs(t, out);
	free(t);
}

/* --- text ------------------------------------------------------------ */

static void
rules_text(FILE *out, const struct catalogue *c)
{
	char	 buf[96];
	size_t	 i;
	int	 wid = 4, wap = 7, w;

	for (i = 0; i < c->n; i++) {
		if ((w = (int)strlen(c->v[i]->id)) > wid)
			wid = w;
		if ((w = (int)strlen(applies_of(c->v[i], buf, sizeof(buf)))) > wap)
			wap = w;
	}
	fprintf(out, "%-*s  %-8s %-*s  %s\n", wid, "RULE", "SEVERITY", wap,
	    "APPLIES", "SUMMARY");
	for (i = 0; i < c->n; i++)
		fprintf(out, "%-*s  %-8s %-*s  %s%s\n", wid, c->v[i]->id,
		    cs_severity_name(c->v[i]->severity), wap,
		    applies_of(c->v[i], buf, sizeof(buf)), c->v[i]->summary,
		    c->v[i]->off ? " (off by default)" : "");
}

/* --- json ------------------------------------------------------------ */

static json_t *
rule_json(const struct cs_rule *r)
{
	char	 buf[96];

	return json_pack("{s:s,s:s,s:o,s:s,s:s?,s:o,s:b,s:b}", "id", r->id,
	    "severity", cs_severity_name(r->severity),
	    "applies", cs_list_json(applies_of(r, buf, sizeof(buf))),
	    "summary", r->summary, "citation", r->citation,
	    "params", cs_list_json(r->params),
	    "enabled_by_default", !r->off,
	    "anchor_lenient", r->anchor_lenient);
}

static int
rules_json(FILE *out, const struct catalogue *c)
{
	json_t	*doc, *arr;
	size_t	 i;
	int	 rc;

	if ((arr = json_array()) == NULL)
		return -1;
	for (i = 0; i < c->n; i++)
		if (json_array_append_new(arr, rule_json(c->v[i])) == -1) {
			json_decref(arr);
			return -1;
		}
	if ((doc = json_pack("{s:s,s:o}", "schema", CS_SCHEMA, "rules",
	    arr)) == NULL)
		return -1;
	rc = json_dumpf(doc, out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	return rc == -1 || fputc('\n', out) == EOF ? -1 : 0;
}

/* --- md -------------------------------------------------------------- */

static void
md_family_toc(FILE *out, const struct catalogue *c, size_t first)
{
	char	 anchor[128];
	size_t	 i;
	int	 n = 0;

	fprintf(out, "- **%.*s**:", (int)family_len(c->v[first]->id),
	    c->v[first]->id);
	for (i = first; i < c->n; i++)
		if (same_family(c->v[i]->id, c->v[first]->id))
			fprintf(out, "%s [`%s`](#%s)", n++ ? "," : "",
			    c->v[i]->id, cs_rule_anchor(c->v[i]->id, anchor,
			    sizeof(anchor)));
	fputc('\n', out);
}

static void
md_list(FILE *out, const char *list)
{
	const char	*p;

	if (list == NULL || *list == '\0') {
		fputs("none", out);
		return;
	}
	for (p = list; *p != '\0'; p++) {
		if (p == list || p[-1] == ',')
			fputc('`', out);
		if (*p == ',') {
			fputs("`, ", out);
			while (p[1] == ' ')
				p++;
			continue;
		}
		fputc(*p, out);
	}
	fputc('`', out);
}

static void
md_rule(FILE *out, const struct cs_rule *r)
{
	char	 buf[96];

	fprintf(out, "\n### `%s`\n\n", r->id);
	sentence(out, r->summary, 0);
	fputs("\n\n", out);
	fprintf(out, "- Severity: %s\n", cs_severity_name(r->severity));
	fputs("- Applies to: ", out);
	md_list(out, applies_of(r, buf, sizeof(buf)));
	fprintf(out, "\n- Default: %s\n", r->off ? "off (a profile or "
	    "`--enable` turns it on)" : "on");
	if (r->anchor_lenient)
		fputs("- On a trust anchor (self-signed CA certificate): at most "
		    "a warning\n", out);
	fputs("- Parameters: ", out);
	md_list(out, r->params);
	fprintf(out, "\n- Citation: %s\n", r->citation != NULL ?
	    r->citation : "none");
}

static void
rules_md(FILE *out, const struct catalogue *c)
{
	size_t	 i, k;

	fputs("# certsmith rule catalogue\n\n"
	    "<!-- Generated by `certsmith rules --format md`; do not edit. "
	    "Run `make docs` after changing a rule. -->\n\n"
	    "`certsmith lint` runs these rules over CSRs, certificates and "
	    "keys. Each\nfinding names the rule, its severity, the field and "
	    "the offending value.\nA profile (`--profile`) may turn rules on "
	    "or off, change their severity\nand set the parameters listed "
	    "here; `--enable` and `--disable` override\nit for one run. "
	    "Severities, from highest: error (a CA rejects it, or it is\n"
	    "broken), warning (likely wrong), notice (worth knowing), info.\n\n",
	    out);
	fprintf(out, "%zu rules.\n\n## Contents\n\n", c->n);
	for (i = 0; i < c->n; i++)
		if (family_first(c, i))
			md_family_toc(out, c, i);
	for (i = 0; i < c->n; i++) {
		if (!family_first(c, i))
			continue;
		fprintf(out, "\n## %.*s\n", (int)family_len(c->v[i]->id),
		    c->v[i]->id);
		for (k = i; k < c->n; k++)
			if (same_family(c->v[k]->id, c->v[i]->id))
				md_rule(out, c->v[k]);
	}
}

/* --- man ------------------------------------------------------------- */

/* Text for roff: backslashes doubled as \e, a leading '.' or '\'' kept
 * from being read as a request. */
static void
roff_text(FILE *out, const char *s)
{
	if (s == NULL)
		return;
	if (*s == '.' || *s == '\'')
		fputs("\\&", out);
	for (; *s != '\0'; s++) {
		if (*s == '\\')
			fputs("\\e", out);
		else if (*s == '-')
			fputs("\\-", out);
		else
			fputc(*s, out);
	}
}

static void
man_rule(FILE *out, const struct cs_rule *r)
{
	char		 buf[96];
	const char	*p;

	fputs(".TP\n.B ", out);
	roff_text(out, r->id);
	fprintf(out, "\n%s; ", cs_severity_name(r->severity));
	for (p = applies_of(r, buf, sizeof(buf)); *p != '\0'; p++) {
		if (*p == ',')
			fputs(", ", out);
		else if (*p == '-')
			fputs("\\-", out);
		else
			fputc(*p, out);
	}
	if (r->params != NULL) {
		fputs("; parameters: ", out);
		roff_text(out, r->params);
	}
	if (r->off)
		fputs("; off by default", out);
	fputs(".\n.br\n", out);
	sentence(out, r->summary, 1);
	fputc('\n', out);
	if (r->citation != NULL) {
		fputs("(", out);
		roff_text(out, r->citation);
		fputs(")\n", out);
	}
}

static void
rules_man(FILE *out, const struct catalogue *c)
{
	size_t	 i;

	fputs(".\\\" Generated by `certsmith rules --format man`.\n", out);
	for (i = 0; i < c->n; i++)
		man_rule(out, c->v[i]);
}

/* --------------------------------------------------------------------- */

static int	 rules_print(struct cs_cli *, FILE *, const struct catalogue *);

/* The engine's rules, then the fleet checks of scan. */
static const struct cs_rule **
catalogue_all(size_t *n)
{
	const struct cs_rule *const	*rules, *const *fleet;
	const struct cs_rule		**all;
	size_t				 nr, nf;

	rules = cs_rules_all(&nr);
	fleet = cs_fleet_checks(&nf);
	if ((all = calloc(nr + nf, sizeof(*all))) == NULL)
		return NULL;
	memcpy(all, rules, nr * sizeof(*all));
	memcpy(all + nr, fleet, nf * sizeof(*all));
	*n = nr + nf;
	return all;
}

static int
rules_write(struct cs_cli *cli, FILE *out)
{
	struct catalogue	 c;
	const struct cs_rule	**all;
	int			 rc;

	if ((all = catalogue_all(&c.n)) == NULL)
		return -1;
	c.v = all;
	rc = rules_print(cli, out, &c);
	free(all);
	return rc;
}

static int
rules_print(struct cs_cli *cli, FILE *out, const struct catalogue *cp)
{
	struct catalogue	 c = *cp;

	switch (cli->format) {
	case CS_FMT_JSON:
		return rules_json(out, &c);
	case CS_FMT_MD:
		rules_md(out, &c);
		break;
	case CS_FMT_MAN:
		rules_man(out, &c);
		break;
	default:
		rules_text(out, &c);
		break;
	}
	return ferror(out) ? -1 : 0;
}

static int
rules_main(struct cs_cli *cli)
{
	struct cs_outfile	 of;
	char			 err[512];

	if (cs_outfile_open(&of, cli->output, 0644, err, sizeof(err)) == -1) {
		fprintf(stderr, "certsmith: %s\n", err);
		return CS_EXIT_INTERNAL;
	}
	if (rules_write(cli, of.fp) == -1 || fflush(of.fp) != 0) {
		fprintf(stderr, "certsmith: cannot write the catalogue\n");
		cs_outfile_abort(&of);
		return CS_EXIT_INTERNAL;
	}
	if (cs_outfile_commit(&of, err, sizeof(err)) == -1) {
		fprintf(stderr, "certsmith: %s\n", err);
		return CS_EXIT_INTERNAL;
	}
	return CS_EXIT_OK;
}

const struct command cmd_rules = {
	.name = "rules",
	.summary = "list the rule catalogue",
	.operands = "",
	.description = "Lists every rule: id, default severity, what it "
	    "applies to, summary,\ncitation and the profile parameters it "
	    "reads. --format md writes the\ncatalogue document (docs/rules.md), "
	    "--format man the rule list of the\nmanual page.",
	.options = OPT_FORMAT | OPT_OUTPUT,
	.formats = 1u << CS_FMT_TEXT | 1u << CS_FMT_JSON | 1u << CS_FMT_MD |
	    1u << CS_FMT_MAN,
	.min_args = 0,
	.run = rules_main,
};

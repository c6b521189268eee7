/* --format text: for people. One heading per object, facts aligned. */
#include "report/report-int.h"

#include <stdlib.h>
#include <string.h>

#define BOLD(rep)	((rep)->opts.color ? "\033[1m" : "")
#define RED(rep)	((rep)->opts.color ? "\033[31m" : "")
#define RESET(rep)	((rep)->opts.color ? "\033[0m" : "")

static const char *const sev_colour[] = {
	[CS_SEV_INFO] = "",
	[CS_SEV_NOTICE] = "\033[36m",
	[CS_SEV_WARNING] = "\033[33m",
	[CS_SEV_ERROR] = "\033[31m",
};

void
cs_text_escaped(FILE *out, const char *s, size_t len)
{
	size_t	 i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		/* C0 controls, DEL, and C1 controls encoded as UTF-8. */
		if (c < 0x20 || c == 0x7f)
			fprintf(out, "\\x%02x", c);
		else if (c == 0xc2 && i + 1 < len &&
		    (unsigned char)s[i + 1] >= 0x80 &&
		    (unsigned char)s[i + 1] <= 0x9f) {
			fprintf(out, "\\u%04x", (unsigned char)s[i + 1]);
			i++;
		} else
			fputc(c, out);
	}
}

static void
text_str(FILE *out, const char *s)
{
	if (s != NULL)
		cs_text_escaped(out, s, strlen(s));
}

static void
label(struct cs_reporter *rep, const char *name)
{
	fprintf(rep->opts.out, "  %-14s", name);
}

static void
name_line(struct cs_reporter *rep, const char *title, const struct cs_name *nm)
{
	FILE	*out = rep->opts.out;
	size_t	 i;

	label(rep, title);
	if (nm->n == 0)
		fputs("(empty)", out);
	for (i = 0; i < nm->n; i++) {
		if (i > 0)
			fputs(nm->attrs[i].rdn == nm->attrs[i - 1].rdn ? " + " : ", ",
			    out);
		text_str(out, nm->attrs[i].type);
		fputc('=', out);
		cs_text_escaped(out, nm->attrs[i].value, nm->attrs[i].value_len);
	}
	fputc('\n', out);
}

static void
key_lines(struct cs_reporter *rep, const struct cs_keyinfo *key)
{
	FILE	*out = rep->opts.out;
	char	*hex;

	label(rep, "Key:");
	text_str(out, key->algorithm != NULL ? key->algorithm : "unknown");
	if (key->bits > 0)
		fprintf(out, " %d bits", key->bits);
	if (key->curve != NULL) {
		fputs(", curve ", out);
		text_str(out, key->curve);
	}
	if (key->locked)
		fprintf(out, " %s(locked: encrypted, not opened)%s", RED(rep),
		    RESET(rep));
	fputc('\n', out);
	if (!key->has_spki)
		return;
	if ((hex = cs_hex(key->spki_sha256, sizeof(key->spki_sha256), 0)) == NULL)
		return;
	label(rep, "SPKI SHA-256:");
	fprintf(out, "%s\n", hex);
	free(hex);
}

static void
sig_line(struct cs_reporter *rep, const struct cs_object *obj)
{
	FILE		*out = rep->opts.out;
	const char	*verdict;

	label(rep, "Signature:");
	text_str(out, obj->sig.algorithm);
	if (obj->sig.hash != NULL)
		fprintf(out, " (hash %s)", obj->sig.hash);
	if (obj->sig.valid == CS_YES)
		verdict = obj->kind == CS_KIND_CSR ? "self-signature verifies" :
		    "self-signed, verifies";
	else if (obj->sig.valid == CS_NO)
		verdict = obj->kind == CS_KIND_CSR ?
		    "self-signature DOES NOT VERIFY" :
		    "self-signed, DOES NOT VERIFY";
	else
		verdict = obj->kind == CS_KIND_CSR ? "not verifiable" :
		    "issued by another key, not verified here";
	fprintf(out, ", %s%s%s\n", obj->sig.valid == CS_NO ? RED(rep) : "",
	    verdict, obj->sig.valid == CS_NO ? RESET(rep) : "");
}

static void
sans_line(struct cs_reporter *rep, const struct cs_object *obj)
{
	FILE	*out = rep->opts.out;
	size_t	 i;

	label(rep, "SANs:");
	if (obj->n_sans == 0)
		fputs("(none)", out);
	for (i = 0; i < obj->n_sans; i++) {
		fprintf(out, "%s%s:", i ? ", " : "",
		    cs_san_type_name(obj->sans[i].type));
		cs_text_escaped(out, obj->sans[i].value, obj->sans[i].value_len);
	}
	fputc('\n', out);
}

/* Multi-line values are indented under their extension. */
static void
indented(FILE *out, const char *s, const char *indent)
{
	const char	*nl;

	while ((nl = strchr(s, '\n')) != NULL) {
		cs_text_escaped(out, s, (size_t)(nl - s));
		fprintf(out, "\n%s", indent);
		s = nl + 1;
	}
	text_str(out, s);
	fputc('\n', out);
}

static void
exts_lines(struct cs_reporter *rep, const struct cs_object *obj)
{
	FILE	*out = rep->opts.out;
	size_t	 i;

	if (obj->n_exts == 0)
		return;
	label(rep, "Extensions:");
	fputc('\n', out);
	for (i = 0; i < obj->n_exts; i++) {
		fputs("    ", out);
		text_str(out, obj->exts[i].name != NULL ? obj->exts[i].name :
		    obj->exts[i].oid);
		fputs(obj->exts[i].critical ? " (critical): " : ": ", out);
		indented(out, obj->exts[i].value != NULL ?
		    obj->exts[i].value : "", "      ");	/* unsettled */
	}
}

static void
reqattr_lines(struct cs_reporter *rep, const struct cs_object *obj)
{
	FILE	*out = rep->opts.out;
	size_t	 i;

	for (i = 0; i < obj->n_reqattrs; i++) {
		if (obj->reqattrs[i].value == NULL && !obj->reqattrs[i].secret)
			continue;
		label(rep, "Attribute:");
		text_str(out, obj->reqattrs[i].name != NULL ?
		    obj->reqattrs[i].name : obj->reqattrs[i].oid);
		fputs(" = ", out);
		text_str(out, obj->reqattrs[i].secret ? "(withheld: a password)" :
		    obj->reqattrs[i].value);
		fputc('\n', out);
	}
}

static void
heading(struct cs_reporter *rep, const struct cs_object *obj)
{
	FILE		*out = rep->opts.out;
	const char	*cont = cs_container_name(obj->src.container);

	fputs(BOLD(rep), out);
	text_str(out, obj->src.path);
	fprintf(out, "#%d: %s", obj->src.index, cs_kind_name(obj->kind));
	fputs(RESET(rep), out);
	fprintf(out, " (%s%s%s", cs_encoding_name(obj->src.encoding),
	    cont ? ", in " : "", cont ? cont : "");
	if (obj->trusted)
		fputs(", trusted certificate", out);
	fputs(")\n", out);
}

/* --- lint: findings only ---------------------------------------------- */

/* "CN=www.example.com", "rsa 2048 bits", ... after the kind. */
static void
lint_summary(FILE *out, const struct cs_object *obj)
{
	size_t	 i;

	if (obj->kind == CS_KIND_CSR || obj->kind == CS_KIND_CERT) {
		for (i = obj->subject.n; i > 0; i--)
			if (obj->subject.attrs[i - 1].type != NULL &&
			    strcmp(obj->subject.attrs[i - 1].type, "CN") == 0)
				break;
		if (i == 0) {
			fputs(" (no CN)", out);
			return;
		}
		fputs(" CN=", out);
		cs_text_escaped(out, obj->subject.attrs[i - 1].value,
		    obj->subject.attrs[i - 1].value_len);
		return;
	}
	if (!obj->key.present)
		return;
	fputc(' ', out);
	text_str(out, obj->key.algorithm != NULL ? obj->key.algorithm : "key");
	if (obj->key.bits > 0)
		fprintf(out, " %d bits", obj->key.bits);
	if (obj->key.curve != NULL) {
		fputc(' ', out);
		text_str(out, obj->key.curve);
	}
}

static void
lint_finding(struct cs_reporter *rep, const struct cs_finding *f)
{
	FILE		*out = rep->opts.out;
	int		 sev = (unsigned)f->severity < 4 ? (int)f->severity : 0;
	const char	*name = cs_severity_name(f->severity);

	fprintf(out, "  %s%s%s%*s ", rep->opts.color ? sev_colour[sev] : "",
	    name, RESET(rep), (int)(7 - strlen(name)), "");
	text_str(out, f->rule);
	if (f->field != NULL) {
		fputs(" [", out);
		text_str(out, f->field);
		fputc(']', out);
	}
	fputc(' ', out);
	text_str(out, f->message);
	if (f->value != NULL) {
		fputs(" (value: ", out);
		text_str(out, f->value);
		fputc(')', out);
	}
	fputc('\n', out);
}

static int
lint_object(struct cs_reporter *rep, const struct cs_object *obj)
{
	FILE	*out = rep->opts.out;
	size_t	 i;

	if (obj->findings.n == 0)
		return 0;
	fputs(BOLD(rep), out);
	text_str(out, obj->src.path);
	fprintf(out, " [%d] %s", obj->src.index, cs_kind_name(obj->kind));
	fputs(RESET(rep), out);
	lint_summary(out, obj);
	fputc('\n', out);
	for (i = 0; i < obj->findings.n; i++)
		lint_finding(rep, obj->findings.v[i]);
	return ferror(out) ? -1 : 0;
}

static const char *
plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

static int
lint_end(struct cs_reporter *rep)
{
	const struct report_tally	*t = &rep->tally;
	FILE				*out = rep->opts.out;

	fprintf(out, "%zu %s in %zu %s: %zu %s, %zu %s, %zu %s",
	    t->objects, plural(t->objects, "object", "objects"),
	    t->files, plural(t->files, "file", "files"),
	    t->by_sev[CS_SEV_ERROR], plural(t->by_sev[CS_SEV_ERROR], "error",
	    "errors"), t->by_sev[CS_SEV_WARNING],
	    plural(t->by_sev[CS_SEV_WARNING], "warning", "warnings"),
	    t->by_sev[CS_SEV_NOTICE], plural(t->by_sev[CS_SEV_NOTICE],
	    "notice", "notices"));
	if (t->by_sev[CS_SEV_INFO] > 0)
		fprintf(out, ", %zu info", t->by_sev[CS_SEV_INFO]);
	if (t->inputs_failed > 0)
		fprintf(out, "; %zu %s could not be read", t->inputs_failed,
		    plural(t->inputs_failed, "input", "inputs"));
	fputc('\n', out);
	return ferror(out) ? -1 : 0;
}

static int
text_object(struct cs_reporter *rep, const struct cs_object *obj)
{
	FILE	*out = rep->opts.out;
	size_t	 i;

	if (rep->opts.lint)
		return lint_object(rep, obj);

	heading(rep, obj);
	if (obj->kind == CS_KIND_CERT || obj->kind == CS_KIND_CSR) {
		label(rep, "Version:");
		fprintf(out, "%ld\n", obj->version + 1);
		name_line(rep, "Subject:", &obj->subject);
	}
	if (obj->kind == CS_KIND_CERT) {
		name_line(rep, "Issuer:", &obj->issuer);
		label(rep, "Serial:");
		fprintf(out, "%s\n", obj->serial ? obj->serial : "?");
		label(rep, "Validity:");
		fprintf(out, "%s to %s\n", obj->validity.not_before_str,
		    obj->validity.not_after_str);
	}
	if (obj->key.present)
		key_lines(rep, &obj->key);
	if (obj->sig.present)
		sig_line(rep, obj);
	if (obj->kind == CS_KIND_CERT || obj->kind == CS_KIND_CSR)
		sans_line(rep, obj);
	reqattr_lines(rep, obj);
	exts_lines(rep, obj);
	for (i = 0; i < obj->notes.n; i++) {
		label(rep, "Note:");
		text_str(out, obj->notes.v[i]);
		fputc('\n', out);
	}
	fputc('\n', out);
	return ferror(out) ? -1 : 0;
}

static int
text_error(struct cs_reporter *rep, const struct cs_diag *diag)
{
	FILE	*out = rep->opts.out;

	if (out == stdout)		/* main already said it on stderr */
		return 0;
	fprintf(out, "%s", RED(rep));
	text_str(out, diag->path);
	fputs(": error: ", out);
	text_str(out, diag->message);
	fprintf(out, "%s\n%s", RESET(rep), rep->opts.lint ? "" : "\n");
	return ferror(out) ? -1 : 0;
}

static int
text_skipped(struct cs_reporter *rep, const struct cs_diag *diag)
{
	(void)rep;
	(void)diag;
	return 0;
}

static int
text_end(struct cs_reporter *rep)
{
	if (rep->opts.lint)
		return lint_end(rep);
	return 0;
}

const struct report_ops report_text_ops = {
	.name = "text",
	.object = text_object,
	.error = text_error,
	.skipped = text_skipped,
	.end = text_end,
};

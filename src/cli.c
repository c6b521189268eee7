/* Options shared by every command, and --help generated from tables. */
#include "cli.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "input/input.h"
#include "util/outfile.h"

struct cli_option {
	enum cli_opt	 id;
	const char	*name;
	char		 short_name;	/* 0: none */
	const char	*arg;		/* NULL: takes no argument */
	const char	*help;
};

static const struct cli_option options[] = {
	{ OPT_FORMAT, "format", 0, "FORMAT",
	  "output format (default: text)" },
	{ OPT_OUTPUT, "output", 'o', "FILE",
	  "write to FILE (atomically) instead of standard output" },
	{ OPT_PASSIN, "passin", 0, "SPEC",
	  "password for encrypted keys and PKCS#12: pass:TEXT, env:VAR, "
	  "file:PATH, fd:N or stdin (without it, a prompt on a terminal)" },
	{ OPT_QUIET, "quiet", 'q', NULL,
	  "do not print input errors on standard error" },
	{ OPT_COLOR, "color", 0, "auto|always|never",
	  "colour in text output (default: auto; NO_COLOR is respected)" },
	{ OPT_MAX_SIZE, "max-size", 0, "BYTES",
	  "refuse inputs larger than this (default: 16777216)" },
	{ OPT_PROFILE, "profile", 'p', "NAME|PATH",
	  "lint with this profile: a shipped one (default, cabf-br, "
	  "letsencrypt, x-road-sign, x-road-auth, smime) or an XML file" },
	{ OPT_HOST, "host", 'H', "NAME",
	  "the certificate or CSR must cover this host name or IP address "
	  "(repeatable)" },
	{ OPT_AT, "at", 0, "TIME",
	  "evaluate validity at this RFC 3339 time instead of now" },
	{ OPT_EXPIRING, "expiring", 0, "DAYS",
	  "warn about certificates that expire within DAYS (default: the "
	  "profile's, 30)" },
	{ OPT_FAIL_ON, "fail-on", 0, "error|warning|notice|never",
	  "exit 1 when a finding is at or above this severity (default: error)" },
	{ OPT_ENABLE, "enable", 0, "RULE",
	  "run this rule even if the profile turns it off (repeatable)" },
	{ OPT_DISABLE, "disable", 0, "RULE",
	  "do not run this rule (repeatable)" },
	{ OPT_FOLLOW, "follow", 'L', NULL,
	  "follow symbolic links (loops are detected and reported)" },
	{ OPT_JOBS, "jobs", 'j', "N",
	  "decode on N threads, as do the key checks and batch GCD (at "
	  "most 64) (default: one per core); the walk has one more, and "
	  "with --lint and a core left free, the thread gathering the files "
	  "runs rules too" },
	{ OPT_SHARD, "shard", 0, "I/N",
	  "scan only share I of N (0 <= I < N) of the directories, chosen "
	  "by a hash of each directory's path, so N runs split a tree" },
	{ OPT_LINT, "lint", 0, NULL,
	  "also run the whole rule catalogue on every object" },
	{ OPT_ORIGIN, "origin", 0, "NAME",
	  "label this scan's records with NAME for merge: the host the tree "
	  "is on; shards of one tree share it (default: the host name)" },
	{ OPT_KEY, "key", 'k', "FILE",
	  "the private key to sign with; it must be the request's own" },
	{ OPT_NEW_KEY, "new-key", 0, "rsa:BITS|ec:CURVE|ed25519|ed448",
	  "sign with a freshly generated key (needs --key-out)" },
	{ OPT_KEY_OUT, "key-out", 0, "FILE",
	  "write the new key there (PKCS#8 PEM, mode 0600)" },
	{ OPT_OUTFORM, "outform", 0, "pem|der",
	  "encoding of the new request (default: pem)" },
	{ OPT_FORCE, "force", 'f', NULL,
	  "replace an existing output file (never an input)" },
	{ OPT_DRY_RUN, "dry-run", 'n', NULL,
	  "print the changes, write nothing (implied without --key)" },
	{ OPT_SET, "set", 0, "FIELD=VALUE",
	  "subject.ATTR=VALUE (empty VALUE removes it) or "
	  "signature.digest=NAME (repeatable)" },
	{ OPT_ADD_SAN, "add-san", 0, "TYPE:VALUE",
	  "add dns:NAME, ip:ADDRESS, email:ADDRESS or uri:URI (repeatable)" },
	{ OPT_DROP_SAN, "drop-san", 0, "TYPE:VALUE",
	  "remove that subjectAltName (repeatable)" },
	{ OPT_FROM_CERT, "from-cert", 0, "CERT",
	  "start from a certificate's subject and SANs (a renewal request)" },
	{ OPT_CONFIG, "config", 0, "FILE",
	  "start from the [req] section of an openssl.cnf-style file" },
};
#define NOPTIONS (sizeof(options) / sizeof(options[0]))

static unsigned
command_formats(const struct command *cmd)
{
	if (cmd->formats != 0)
		return cmd->formats;
	return 1u << CS_FMT_TEXT | 1u << CS_FMT_JSON | 1u << CS_FMT_JSONL;
}

static const char *
formats_list(const struct command *cmd, char *buf, size_t size)
{
	unsigned	 mask = command_formats(cmd);
	size_t		 off = 0;
	int		 f, w;

	buf[0] = '\0';
	for (f = 0; f < CS_FMT_COUNT; f++) {
		if (!(mask & (1u << f)))
			continue;
		w = snprintf(buf + off, size - off, "%s%s", off ? "|" : "",
		    cs_format_name((enum cs_format)f));
		if (w < 0 || (size_t)w >= size - off) {
			buf[off] = '\0';
			break;
		}
		off += (size_t)w;
	}
	return buf;
}

void
cli_usage(const struct command *cmd, FILE *out)
{
	size_t		 i;
	char		 left[96], formats[64];
	const char	*arg;

	fprintf(out, "usage: certsmith %s [options] %s\n\n%s\n\noptions:\n",
	    cmd->name, cmd->operands, cmd->description);
	for (i = 0; i < NOPTIONS; i++) {
		if (!(cmd->options & options[i].id))
			continue;
		arg = options[i].id == OPT_FORMAT ?
		    formats_list(cmd, formats, sizeof(formats)) : options[i].arg;
		snprintf(left, sizeof(left), "%s%c%s--%s%s%s",
		    options[i].short_name ? "-" : "",
		    options[i].short_name ? options[i].short_name : ' ',
		    options[i].short_name ? ", " : "  ", options[i].name,
		    arg ? " " : "", arg ? arg : "");
		fprintf(out, "  %-30s %s\n", left, options[i].help);
	}
	fprintf(out, "  %-30s %s\n", "-h, --help", "show this help");
}

int
cli_usage_error(const struct command *cmd, const char *fmt, ...)
{
	va_list	 ap;

	fprintf(stderr, "certsmith %s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'certsmith %s --help'.\n", cmd->name);
	return CS_EXIT_USAGE;
}

static int
parse_size(const char *s, size_t *out)
{
	char			*end;
	unsigned long long	 v;

	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v == 0 || v > SIZE_MAX / 2)
		return -1;
	*out = (size_t)v;
	return 0;
}

static int
parse_days(const char *s, int *out)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 0 || v > 36500)
		return -1;
	*out = (int)v;
	return 0;
}

static int
push_arg(const struct command *cmd, struct cs_vec *vec, const char *arg)
{
	if (cs_vec_push(vec, (void *)arg) == -1)
		return cli_usage_error(cmd, "too many repeated options");
	return 0;
}

static int
parse_fail_on(const struct command *cmd, struct cs_cli *cli, const char *arg)
{
	enum cs_severity	 sev;

	if (strcmp(arg, "never") == 0) {
		cli->fail_on = CS_FAIL_NEVER;
		return 0;
	}
	if (cs_severity_parse(arg, &sev) == -1 || sev == CS_SEV_INFO)
		return cli_usage_error(cmd,
		    "--fail-on wants error, warning, notice "
		    "or never, not '%s'", arg);
	cli->fail_on = (int)sev;
	return 0;
}

static int
offset_seconds(const char *s, long *off)
{
	int	 hh, mm, n = 0;

	if (strcmp(s, "Z") == 0 || strcmp(s, "z") == 0) {
		*off = 0;
		return 0;
	}
	if ((s[0] != '+' && s[0] != '-') ||
	    sscanf(s + 1, "%2d:%2d%n", &hh, &mm, &n) != 2 || s[1 + n] != '\0' ||
	    hh > 23 || mm > 59)
		return -1;
	*off = (s[0] == '-' ? -1 : 1) * (hh * 3600L + mm * 60L);
	return 0;
}

int
cli_parse_time(const char *s, int64_t *out)
{
	struct tm	 tm = { 0 };
	int		 n = 0;
	long		 off = 0;
	time_t		 t;

	if (sscanf(s, "%4d-%2d-%2d%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
	    &n) != 3 || n != 10)
		return -1;
	if (s[n] != '\0') {
		int m = 0;

		if ((s[n] != 'T' && s[n] != 't' && s[n] != ' ') ||
		    sscanf(s + n + 1, "%2d:%2d:%2d%n", &tm.tm_hour, &tm.tm_min,
		    &tm.tm_sec, &m) != 3 || m != 8)
			return -1;
		n += 1 + m;
		if (s[n] == '.')
			for (n++; s[n] >= '0' && s[n] <= '9'; n++)
				;
		if (offset_seconds(s + n, &off) == -1)
			return -1;
	}
	if (tm.tm_mon < 1 || tm.tm_mon > 12 || tm.tm_mday < 1 ||
	    tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 ||
	    tm.tm_sec > 60)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	if ((t = timegm(&tm)) == (time_t)-1)
		return -1;
	*out = (int64_t)t - off;
	return 0;
}

static int
resolve_color(struct cs_cli *cli)
{
	const char	*nc = getenv("NO_COLOR");

	if (strcmp(cli->color_mode, "always") == 0)
		cli->color = 1;
	else if (strcmp(cli->color_mode, "never") == 0)
		cli->color = 0;
	else if (strcmp(cli->color_mode, "auto") == 0)
		cli->color = cli->output == NULL && isatty(STDOUT_FILENO) &&
		    (nc == NULL || *nc == '\0');
	else
		return -1;
	return 0;
}

static int
parse_count(const char *s, unsigned lo, unsigned hi, unsigned *out)
{
	char		*end;
	unsigned long	 v;

	errno = 0;
	if (*s < '0' || *s > '9')
		return -1;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < lo || v > hi)
		return -1;
	*out = (unsigned)v;
	return 0;
}

static int
parse_shard(const char *s, unsigned *i, unsigned *n)
{
	const char	*slash = strchr(s, '/');
	char		 first[32];

	if (slash == NULL || (size_t)(slash - s) >= sizeof(first))
		return -1;
	memcpy(first, s, (size_t)(slash - s));
	first[slash - s] = '\0';
	if (parse_count(first, 0, 1000000, i) == -1 ||
	    parse_count(slash + 1, 1, 1000000, n) == -1 || *i >= *n)
		return -1;
	return 0;
}

static int
apply(const struct command *cmd, struct cs_cli *cli, enum cli_opt id,
    const char *arg)
{
	char	 err[256];

	switch (id) {
	case OPT_FORMAT:
		if (cs_format_parse(arg, &cli->format) == -1 ||
		    !(command_formats(cmd) & (1u << cli->format)))
			return cli_usage_error(cmd,
			    "--format wants %s, not '%s'",
			    formats_list(cmd, err, sizeof(err)), arg);
		return 0;
	case OPT_OUTPUT:
		cli->output = strcmp(arg, "-") == 0 ? NULL : arg;
		return 0;
	case OPT_PASSIN:
		cli->passin = arg;
		if (cli->password != NULL) {
			OPENSSL_cleanse(cli->password, strlen(cli->password));
			free(cli->password);
		}
		if ((cli->password = cs_passin_read(arg, err, sizeof(err))) == NULL)
			return cli_usage_error(cmd, "--passin: %s", err);
		return 0;
	case OPT_QUIET:
		cli->quiet = 1;
		return 0;
	case OPT_COLOR:
		cli->color_mode = arg;
		return 0;
	case OPT_PROFILE:
		cli->profile = arg;
		return 0;
	case OPT_HOST:
		if (*arg == '\0')
			return cli_usage_error(cmd, "--host wants a name");
		return push_arg(cmd, &cli->hosts, arg);
	case OPT_AT:
		if (cli_parse_time(arg, &cli->at) == -1)
			return cli_usage_error(cmd,
			    "--at wants an RFC 3339 time such "
			    "as 2030-01-31T12:00:00Z, not '%s'", arg);
		cli->have_at = 1;
		return 0;
	case OPT_EXPIRING:
		if (parse_days(arg, &cli->expiring) == -1)
			return cli_usage_error(cmd,
			    "--expiring wants a number of "
			    "days, not '%s'", arg);
		return 0;
	case OPT_FAIL_ON:
		return parse_fail_on(cmd, cli, arg);
	case OPT_ENABLE:
		return push_arg(cmd, &cli->enable, arg);
	case OPT_DISABLE:
		return push_arg(cmd, &cli->disable, arg);
	case OPT_FOLLOW:
		cli->follow = 1;
		return 0;
	case OPT_JOBS:
		if (parse_count(arg, 1, 1024, &cli->jobs) == -1)
			return cli_usage_error(cmd, "--jobs wants a number of "
			    "threads from 1 to 1024, not '%s'", arg);
		return 0;
	case OPT_SHARD:
		if (parse_shard(arg, &cli->shard, &cli->nshards) == -1)
			return cli_usage_error(cmd, "--shard wants I/N with "
			    "0 <= I < N, not '%s'", arg);
		return 0;
	case OPT_LINT:
		cli->lint = 1;
		return 0;
	case OPT_ORIGIN:
		if (*arg == '\0' || strpbrk(arg, ":\n") != NULL)
			return cli_usage_error(cmd,
			    "--origin wants a name without "
			    "':', not '%s'", arg);
		cli->origin = arg;
		return 0;
	case OPT_KEY:
		cli->key = arg;
		return 0;
	case OPT_NEW_KEY:
		cli->new_key = arg;
		return 0;
	case OPT_KEY_OUT:
		cli->key_out = arg;
		return 0;
	case OPT_OUTFORM:
		if (strcmp(arg, "pem") != 0 && strcmp(arg, "der") != 0)
			return cli_usage_error(cmd,
			    "--outform wants pem or der, "
			    "not '%s'", arg);
		cli->outform_der = strcmp(arg, "der") == 0;
		return 0;
	case OPT_FORCE:
		cli->force = 1;
		return 0;
	case OPT_DRY_RUN:
		cli->dry_run = 1;
		return 0;
	case OPT_SET:
		return push_arg(cmd, &cli->sets, arg);
	case OPT_ADD_SAN:
		return push_arg(cmd, &cli->add_sans, arg);
	case OPT_DROP_SAN:
		return push_arg(cmd, &cli->drop_sans, arg);
	case OPT_FROM_CERT:
		cli->from_cert = arg;
		return 0;
	case OPT_CONFIG:
		cli->config = arg;
		return 0;
	case OPT_MAX_SIZE:
		if (parse_size(arg, &cli->max_size) == -1)
			return cli_usage_error(cmd,
			    "--max-size wants a positive "
			    "number of bytes, not '%s'", arg);
		return 0;
	}
	return 0;
}

int
cli_parse(const struct command *cmd, int argc, char **argv, struct cs_cli *cli)
{
	struct option	 longopts[NOPTIONS + 2];
	char		 shortopts[2 * NOPTIONS + 4] = "h";
	size_t		 i, n = 0, s = 1;
	int		 c, idx, rc;

	cli->color_mode = "auto";
	cli->expiring = -1;
	cli->fail_on = CS_SEV_ERROR;
	cli->max_size = CS_DEFAULT_MAX_SIZE;
	for (i = 0; i < NOPTIONS; i++) {
		if (!(cmd->options & options[i].id))
			continue;
		longopts[n++] = (struct option){ options[i].name,
		    options[i].arg ? required_argument : no_argument, NULL,
		    256 + (int)i };
		if (options[i].short_name) {
			shortopts[s++] = options[i].short_name;
			if (options[i].arg)
				shortopts[s++] = ':';
		}
	}
	longopts[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	longopts[n] = (struct option){ NULL, 0, NULL, 0 };
	shortopts[s] = '\0';
	opterr = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, shortopts, longopts, &idx)) != -1) {
		if (c == 'h') {
			cli_usage(cmd, stdout);
			return 1;
		}
		if (c == '?' || c == ':')
			return cli_usage_error(cmd,
			    "bad or incomplete option '%s'",
			    argv[optind - 1]);
		for (i = 0; c < 256 && i < NOPTIONS; i++)
			if (options[i].short_name == c)
				c = 256 + (int)i;
		if ((rc = apply(cmd, cli, options[c - 256].id, optarg)) != 0)
			return rc;
	}
	if (resolve_color(cli) == -1)
		return cli_usage_error(cmd,
		    "--color wants auto, always or never, "
		    "not '%s'", cli->color_mode);
	cli->args = argv + optind;
	cli->nargs = argc - optind;
	if (cli->nargs < cmd->min_args)
		return cli_usage_error(cmd, "%s", "missing operand");
	return 0;
}

void
cli_release(struct cs_cli *cli)
{
	cs_vec_release(&cli->hosts);
	cs_vec_release(&cli->enable);
	cs_vec_release(&cli->disable);
	cs_vec_release(&cli->sets);
	cs_vec_release(&cli->add_sans);
	cs_vec_release(&cli->drop_sans);
	if (cli->password != NULL) {
		OPENSSL_cleanse(cli->password, strlen(cli->password));
		free(cli->password);
		cli->password = NULL;
	}
}

int
cli_password(char *buf, int size, const char *path, void *arg)
{
	struct cs_cli	*cli = arg;
	char		 prompt[512];
	size_t		 len;

	if (cli->password != NULL) {
		len = strlen(cli->password);
		if (len >= (size_t)size)
			return -1;
		memcpy(buf, cli->password, len + 1);
		return (int)len;
	}
	if (!isatty(STDIN_FILENO))
		return -1;
	snprintf(prompt, sizeof(prompt), "Password for %s: ", path);
	if (EVP_read_pw_string(buf, size, prompt, 0) != 0) {
		OPENSSL_cleanse(buf, (size_t)size);
		return -1;
	}
	return (int)strlen(buf);
}

static void
warn_line(FILE *out, const char *path, const char *msg)
{
	fputs("certsmith: ", out);
	cs_text_escaped(out, path, strlen(path));
	fputs(": ", out);
	cs_text_escaped(out, msg, strlen(msg));
	fputc('\n', out);
}

/*
 * The line is made in memory and written at once: stderr is unbuffered,
 * and escaping it character by character cost a write(2) a character (37k
 * of them for 400 messages); one write also keeps it whole beside
 * another thread's. When the memory stream fails, straight to stderr.
 */
void
cli_warn(const struct cs_cli *cli, const char *path, const char *msg)
{
	FILE	*m;
	char	*buf = NULL;
	size_t	 len = 0;
	int	 bad;

	if (cli->quiet)
		return;
	if ((m = open_memstream(&buf, &len)) == NULL) {
		warn_line(stderr, path, msg);
		return;
	}
	warn_line(m, path, msg);
	bad = ferror(m) != 0;
	if (fclose(m) != 0 || bad)
		warn_line(stderr, path, msg);
	else
		fwrite(buf, 1, len, stderr);
	free(buf);
}

int
cli_report_commit(struct cs_reporter *rep, struct cs_outfile *of,
    int write_failed)
{
	char	 err[512];

	if (cs_report_end(rep) == -1 || write_failed) {
		fprintf(stderr, "certsmith: cannot write the report\n");
		cs_outfile_abort(of);
		return -1;
	}
	if (cs_outfile_commit(of, err, sizeof(err)) == -1) {
		fprintf(stderr, "certsmith: %s\n", err);
		return -1;
	}
	return 0;
}

int
cli_output_not_input(const struct cs_cli *cli)
{
	struct stat	 out, in;
	int		 i;

	if (cli->output == NULL || stat(cli->output, &out) == -1)
		return 0;
	for (i = 0; i < cli->nargs; i++) {
		if (stat(cli->args[i], &in) == 0 && in.st_dev == out.st_dev &&
		    in.st_ino == out.st_ino) {
			fprintf(stderr, "certsmith: refusing to write the report "
			    "over the input %s\n", cli->args[i]);
			return -1;
		}
	}
	return 0;
}

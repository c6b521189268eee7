/*
 * cli.h - the command table and the options every command shares.
 *
 * main.c holds one table of struct command; each cmd-*.c defines one.
 * --help text is generated from the table and the option table in cli.c,
 * never written beside them.
 */
#ifndef CS_CLI_H
#define CS_CLI_H

#include <stddef.h>
#include <stdint.h>

#include "report/report.h"

/* Exit status: a published contract, never renumbered. */
enum cs_exit {
	CS_EXIT_OK = 0,
	CS_EXIT_FINDINGS = 1,
	CS_EXIT_USAGE = 2,
	CS_EXIT_INPUT = 3,
	CS_EXIT_INTERNAL = 4,
};

/* Options a command may accept (a mask in struct command). */
enum cli_opt {
	OPT_FORMAT = 1 << 0,
	OPT_OUTPUT = 1 << 1,
	OPT_PASSIN = 1 << 2,
	OPT_QUIET = 1 << 3,
	OPT_COLOR = 1 << 4,
	OPT_MAX_SIZE = 1 << 5,
	OPT_PROFILE = 1 << 6,
	OPT_HOST = 1 << 7,
	OPT_AT = 1 << 8,
	OPT_EXPIRING = 1 << 9,
	OPT_FAIL_ON = 1 << 10,
	OPT_ENABLE = 1 << 11,
	OPT_DISABLE = 1 << 12,
	OPT_FOLLOW = 1 << 13,
	OPT_JOBS = 1 << 14,
	OPT_SHARD = 1 << 15,
	OPT_LINT = 1 << 16,
	OPT_ORIGIN = 1 << 17,
	OPT_KEY = 1 << 18,
	OPT_NEW_KEY = 1 << 19,
	OPT_KEY_OUT = 1 << 20,
	OPT_OUTFORM = 1 << 21,
	OPT_FORCE = 1 << 22,
	OPT_DRY_RUN = 1 << 23,
	OPT_SET = 1 << 24,
	OPT_ADD_SAN = 1 << 25,
	OPT_DROP_SAN = 1 << 26,
	OPT_FROM_CERT = 1 << 27,
	OPT_CONFIG = 1 << 28,
};

/* --fail-on never */
#define CS_FAIL_NEVER	(CS_SEV_ERROR + 1)

struct cs_cli {
	enum cs_format	 format;
	const char	*output;	/* -o, NULL for stdout */
	const char	*passin;	/* --passin spec */
	char		*password;	/* read from passin; cleansed at exit */
	int		 quiet;
	int		 color;		/* resolved: 1 to colour text output */
	const char	*color_mode;	/* auto | always | never */
	size_t		 max_size;
	const char	*profile;	/* --profile NAME|PATH, NULL: default */
	struct cs_vec	 hosts;		/* const char *: --host */
	int		 have_at;
	int64_t		 at;		/* --at, seconds since the epoch */
	int		 expiring;	/* --expiring DAYS, -1: the profile's */
	int		 fail_on;	/* enum cs_severity or CS_FAIL_NEVER */
	struct cs_vec	 enable;	/* const char *: --enable RULE */
	struct cs_vec	 disable;	/* const char *: --disable RULE */
	int		 follow;	/* -L */
	unsigned	 jobs;		/* -j, 0: one per core */
	unsigned	 shard;		/* --shard I/N (nshards 0: none) */
	unsigned	 nshards;
	int		 lint;		/* scan --lint */
	const char	*origin;	/* --origin */
	/* fix: */
	const char	*key;		/* --key FILE */
	const char	*new_key;	/* --new-key SPEC */
	const char	*key_out;	/* --key-out FILE */
	int		 outform_der;	/* --outform der */
	int		 force;		/* --force */
	int		 dry_run;	/* --dry-run */
	struct cs_vec	 sets;		/* const char *: --set FIELD=VALUE */
	struct cs_vec	 add_sans;	/* const char *: --add-san */
	struct cs_vec	 drop_sans;	/* const char *: --drop-san */
	const char	*from_cert;	/* --from-cert CERT */
	const char	*config;	/* --config FILE */
	char		**args;		/* operands after the options */
	int		 nargs;
	const char	*progname;
};

struct command {
	const char	*name;
	const char	*summary;	/* one line for the command list */
	const char	*operands;	/* synopsis of the operands */
	const char	*description;	/* a paragraph for --help */
	unsigned	 options;	/* mask of enum cli_opt */
	unsigned	 formats;	/* mask of 1 << enum cs_format; 0: text,
					 * json and jsonl */
	int		 min_args;
	int		(*run)(struct cs_cli *cli);
};

extern const struct command cmd_show;
extern const struct command cmd_lint;
extern const struct command cmd_match;
extern const struct command cmd_rules;
extern const struct command cmd_scan;
extern const struct command cmd_merge;
extern const struct command cmd_fix;

struct cs_profile;
struct cs_lint_opts;
/* The --profile (or the built-in default) with --enable/--disable
 * applied; NULL after printing why. */
struct cs_profile *cli_profile_open(struct cs_cli *cli);
/* The rule engine's settings from the profile, --at and --host. */
void	 cli_lint_opts(const struct cs_cli *cli, const struct cs_profile *prof,
	    struct cs_lint_opts *lopts);

struct cs_lint;
/* A lint context for them; NULL after printing why. */
struct cs_lint *cli_lint_open(const struct cs_cli *cli,
	    const struct cs_profile *prof);

/* Parses an RFC 3339 time ("2030-01-01T00:00:00Z", "...+02:00", or a
 * date alone, taken as midnight UTC); 0, or -1. */
int	 cli_parse_time(const char *s, int64_t *out);

/*
 * Parse argv (after the command name) for cmd into cli. Returns 0, 1 when
 * --help was printed (exit 0), or CS_EXIT_USAGE after printing why.
 */
int	 cli_parse(const struct command *cmd, int argc, char **argv,
	    struct cs_cli *cli);
void	 cli_release(struct cs_cli *cli);
void	 cli_usage(const struct command *cmd, FILE *out);
/* "certsmith CMD: MESSAGE" and a pointer to --help on stderr; returns
 * CS_EXIT_USAGE. */
int	 cli_usage_error(const struct command *cmd, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* Password callback for the decoder: --passin, else a terminal prompt. */
int	 cli_password(char *buf, int size, const char *path, void *arg);

/* "certsmith: PATH: MESSAGE" on stderr, unless --quiet. */
void	 cli_warn(const struct cs_cli *cli, const char *path, const char *msg);

struct cs_outfile;
/*
 * Ends the report and renames the output into place; on a write failure
 * (or when write_failed is set) removes the temporary file. 0, or -1 after
 * printing why.
 */
int	 cli_report_commit(struct cs_reporter *rep, struct cs_outfile *of,
	    int write_failed);

/* -1 (with a message) when path names one of the input operands. */
int	 cli_output_not_input(const struct cs_cli *cli);

#endif

/* certsmith: argv to a command, from one table. */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/provider.h>

#include "cli.h"

static const struct command *const commands[] = {
	&cmd_show,
	&cmd_lint,
	&cmd_match,
	&cmd_scan,
	&cmd_merge,
	&cmd_fix,
	&cmd_rules,
};
#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

static void
usage(FILE *out)
{
	size_t	 i;

	fprintf(out, "usage: certsmith COMMAND [options] [operands]\n\n"
	    "Inspect, lint and match X.509 certificates, CSRs and keys.\n\n"
	    "commands:\n");
	for (i = 0; i < NCOMMANDS; i++)
		fprintf(out, "  %-10s %s\n", commands[i]->name,
		    commands[i]->summary);
	fprintf(out, "\n'certsmith COMMAND --help' describes a command.\n"
	    "Exit status: 0 fine, 1 findings at or above --fail-on, 2 usage "
	    "error,\n3 an input could not be read or decoded, 4 internal "
	    "error.\n");
}

/*
 * Old PKCS#12 files (RC2-40, single DES) and keys need OpenSSL's legacy
 * provider; load it beside the default one when it is installed.
 */
static OSSL_PROVIDER *
crypto_init(void)
{
	OSSL_PROVIDER	*legacy;

	legacy = OSSL_PROVIDER_try_load(NULL, "legacy", 1);
	ERR_clear_error();
	return legacy;
}

static int
run(const struct command *cmd, int argc, char **argv)
{
	struct cs_cli	 cli = { .progname = "certsmith" };
	OSSL_PROVIDER	*legacy = crypto_init();
	int		 rc;

	rc = cli_parse(cmd, argc, argv, &cli);
	if (rc == 0)
		rc = cmd->run(&cli);
	else if (rc == 1)
		rc = CS_EXIT_OK;
	cli_release(&cli);
	if (legacy != NULL)
		OSSL_PROVIDER_unload(legacy);
	return rc;
}

int
main(int argc, char **argv)
{
	size_t		 i;

	if (argc < 2) {
		usage(stderr);
		return CS_EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return CS_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("certsmith %s\n", PACKAGE_VERSION);
		return CS_EXIT_OK;
	}
	for (i = 0; i < NCOMMANDS; i++)
		if (strcmp(argv[1], commands[i]->name) == 0)
			return run(commands[i], argc - 1, argv + 1);
	fprintf(stderr, "certsmith: unknown command '%s'\n\n", argv[1]);
	usage(stderr);
	return CS_EXIT_USAGE;
}

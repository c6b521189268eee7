/* certsmith rules: the catalogue (to be completed). */
#include "config.h"

#include <stdio.h>

#include "cli.h"
#include "rules/rule.h"

static int
rules_main(struct cs_cli *cli)
{
	const struct cs_rule *const	*all;
	size_t				 n, i;

	all = cs_rules_all(&n);
	for (i = 0; i < n; i++)
		printf("%-28s %-8s %s\n", all[i]->id,
		    cs_severity_name(all[i]->severity), all[i]->summary);
	return CS_EXIT_OK;
}

const struct command cmd_rules = {
	.name = "rules",
	.summary = "list the rule catalogue",
	.operands = "",
	.description = "Lists every rule: id, default severity, what it "
	    "applies to,\nsummary and citation.",
	.options = OPT_FORMAT | OPT_OUTPUT,
	.formats = 1u << CS_FMT_TEXT | 1u << CS_FMT_JSON | 1u << CS_FMT_MD,
	.min_args = 0,
	.run = rules_main,
};

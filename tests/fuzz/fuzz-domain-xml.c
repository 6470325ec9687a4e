/* libFuzzer target: the domain XML parser and validator (what `xlite
 * validate` and `xlite create -n` run), then, for a document it accepts,
 * the planner and both of its printers.
 *
 * Checked beyond "no crash, no leak, no undefined behaviour":
 * - a refused document always comes with a message (the CLI prints it);
 * - an accepted one always plans or says why;
 * - the plan's JSON is valid JSON (json-glib parses it back);
 * - every ${...} placeholder the plan writes is one apply knows (apply
 *   would fail half-way through a create otherwise). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>
#include <libxml/parser.h>

#include "libtool/parse/config.h"
#include "libtool/plan/plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static void quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static void on_warning(const char *msg, void *opaque)
{
	(void)opaque;
	if (!msg || !*msg)
		abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	xmlInitParser();
	xmlSetGenericErrorFunc(NULL, quiet);
	return 0;
}

static void must_expand(const char *s, struct xlite_plan_vars *vars, const char *what)
{
	char *out = NULL, *err = NULL;

	if (!s)
		return;
	if (xlite_expand_err(s, xlite_plan_vars_lookup, vars, &out, &err) < 0) {
		fprintf(stderr, "plan %s '%s' does not expand: %s\n", what, s,
			err ? err : "(no message)");
		abort();
	}
	free(out);
	free(err);
}

static void check_ops(const struct xlite_xs_ops *ops, struct xlite_plan_vars *vars)
{
	size_t i;

	for (i = 0; i < ops->n; i++) {
		must_expand(ops->ops[i].path, vars, "path");
		must_expand(ops->ops[i].value, vars, "value");
		must_expand(ops->ops[i].perms, vars, "perms");
	}
}

static void check_plan(const struct xlite_plan *plan)
{
	const char **paths = g_new0(const char *, plan->n_disks + 1);
	const char **physdevs = g_new0(const char *, plan->n_disks + 1);
	struct xlite_plan_vars vars = {
		.domid = 7, .uuid = plan->uuid, .console_mfn = 1, .store_mfn = 2,
		.console_port = 3, .store_port = 4, .n_disks = plan->n_disks,
	};
	JsonParser *jp = json_parser_new();
	GError *gerr = NULL;
	char *text, *json;
	size_t i;

	for (i = 0; i < plan->n_disks; i++) {
		paths[i] = "/dev/loop0";
		physdevs[i] = "7:0";
	}
	vars.disk_path = paths;
	vars.disk_physdev = physdevs;
	check_ops(&plan->domain_nodes, &vars);
	for (i = 0; i < plan->n_disks; i++)
		check_ops(&plan->disks[i].nodes, &vars);
	for (i = 0; i < plan->n_nics; i++) {
		check_ops(&plan->nics[i].nodes, &vars);
		must_expand(plan->nics[i].vif, &vars, "vif");
		must_expand(plan->nics[i].hotplug_status, &vars, "hotplug-status path");
	}

	text = xlite_plan_to_text(plan);
	json = xlite_plan_to_json(plan);
	if (!text || !json)
		abort();
	if (!json_parser_load_from_data(jp, json, -1, &gerr)) {
		fprintf(stderr, "plan JSON does not parse: %s\n%s\n", gerr->message, json);
		abort();
	}
	g_object_unref(jp);
	free(text);
	free(json);
	g_free(paths);
	g_free(physdevs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct xlite_config cfg;
	struct xlite_plan plan;
	char *err = NULL, *perr = NULL;
	int rc;

	xlite_config_init(&cfg);
	rc = xlite_config_parse_memory(&cfg, (const char *)data, size, "fuzz.xml",
				       on_warning, NULL, &err);
	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "parse: %d %s\n", rc, err ? err : "");
	if (rc < 0) {
		if (!err)
			abort();	/* the CLI would print nothing useful */
		free(err);
		xlite_config_dispose(&cfg);
		return 0;
	}
	free(err);
	xlite_plan_init(&plan);
	rc = xlite_plan_build(&plan, &cfg, &perr);
	if (getenv("FUZZ_VERBOSE"))
		fprintf(stderr, "plan: %d %s\n", rc, perr ? perr : "");
	if (rc < 0 && !perr)
		abort();
	if (rc == 0)
		check_plan(&plan);
	free(perr);
	xlite_plan_dispose(&plan);
	xlite_config_dispose(&cfg);
	return 0;
}

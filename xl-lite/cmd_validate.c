/* xlite validate FILE...: parse and check domain XML, touching nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libtool/parse/config.h"
#include "libtool/util/json.h"
#include "xl-lite/xlite.h"

struct validate_out {
	bool json;
	GPtrArray *warnings;	/* JSON: the warnings of the current file */
};

static void on_warning(const char *msg, void *opaque)
{
	struct validate_out *o = opaque;

	if (!o->json) {
		xlite_warn("%s", msg);
		return;
	}
	g_ptr_array_add(o->warnings, g_strdup(msg));
}

int xlite_cmd_validate(struct xlite_cli *cli, int argc, char **argv)
{
	const struct xlite_cmd *cmd = xlite_cmd_find("validate");
	struct validate_out o = { .json = false };
	g_autoptr(XliteJson) json = xlite_json_new();
	int i, first = 1, status = XLITE_EXIT_OK;

	for (; first < argc && argv[first][0] == '-' && argv[first][1]; first++) {
		if (strcmp(argv[first], "--json") == 0)
			o.json = cli->json = true;
		else if (strcmp(argv[first], "--") == 0) {
			first++;
			break;
		} else
			return xlite_usage(cmd);
	}
	if (first >= argc)
		return xlite_usage(cmd);
	xlite_json_begin_array(json);
	for (i = first; i < argc; i++) {
		struct xlite_config cfg;
		g_autoptr(GPtrArray) warnings = g_ptr_array_new_with_free_func(g_free);
		char *err = NULL;
		unsigned int j;
		int rc;

		xlite_config_init(&cfg);
		o.warnings = warnings;
		rc = xlite_config_parse_file(&cfg, argv[i], on_warning, &o, &err);
		if (rc < 0)
			status = XLITE_EXIT_USAGE;
		if (o.json) {
			xlite_json_begin_object(json);
			xlite_json_member_str(json, "file", argv[i]);
			xlite_json_member_bool(json, "ok", rc >= 0);
			xlite_json_member_str(json, "error",
					      rc < 0 ? (err ? err : "invalid") : NULL);
			xlite_json_set_member_name(json, "warnings");
			xlite_json_begin_array(json);
			for (j = 0; j < warnings->len; j++)
				xlite_json_add_str(json, g_ptr_array_index(warnings, j));
			xlite_json_end_array(json);
			xlite_json_end_object(json);
		} else if (rc < 0) {
			xlite_err("%s", err ? err : argv[i]);
		} else {
			printf("%s: ok\n", argv[i]);
		}
		g_free(err);
		xlite_config_dispose(&cfg);
	}
	xlite_json_end_array(json);
	if (o.json)
		xlite_json_print(stdout, json, true);
	return status;
}

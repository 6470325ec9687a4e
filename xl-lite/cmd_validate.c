/* xlite validate FILE...: parse and check domain XML, touching nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "libtool/parse/config.h"
#include "xl-lite/xlite.h"

struct validate_out {
	bool json;
	FILE *f;		/* JSON: the warnings of the current file */
	unsigned int n_warn;
};

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void on_warning(const char *msg, void *opaque)
{
	struct validate_out *o = opaque;

	if (!o->json) {
		xlite_warn("%s", msg);
		return;
	}
	fputs(o->n_warn++ ? ", " : "", o->f);
	json_str(o->f, msg);
}

int xlite_cmd_validate(struct xlite_cli *cli, int argc, char **argv)
{
	const struct xlite_cmd *cmd = xlite_cmd_find("validate");
	struct validate_out o = { .json = false };
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
	if (o.json)
		fputs("[\n", stdout);
	for (i = first; i < argc; i++) {
		struct xlite_config cfg;
		char *err = NULL, *warnings = NULL;
		size_t wlen = 0;
		int rc;

		xlite_config_init(&cfg);
		o.n_warn = 0;
		o.f = o.json ? open_memstream(&warnings, &wlen) : NULL;
		if (o.json && !o.f) {
			xlite_err("out of memory");
			return XLITE_EXIT_FAIL;
		}
		rc = xlite_config_parse_file(&cfg, argv[i], on_warning, &o, &err);
		if (rc < 0)
			status = XLITE_EXIT_USAGE;
		if (o.json) {
			fclose(o.f);
			printf("  {\"file\": ");
			json_str(stdout, argv[i]);
			printf(", \"ok\": %s, \"error\": ", rc < 0 ? "false" : "true");
			if (rc < 0)
				json_str(stdout, err ? err : "invalid");
			else
				fputs("null", stdout);
			printf(", \"warnings\": [%s]}%s\n", warnings ? warnings : "",
			       i + 1 < argc ? "," : "");
			free(warnings);
		} else if (rc < 0) {
			xlite_err("%s", err ? err : argv[i]);
		} else {
			printf("%s: ok\n", argv[i]);
		}
		free(err);
		xlite_config_dispose(&cfg);
	}
	if (o.json)
		fputs("]\n", stdout);
	return status;
}

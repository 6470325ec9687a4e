/* ls and dump: read a subtree, print it. */
#include <stdio.h>
#include <string.h>

#include "xenstore-client/cli.h"

static int print_tree(const char *path, unsigned int flags, bool json)
{
	struct xsc_node *root = NULL;
	struct xsc_ctx ctx = XSC_CTX_INIT;
	GString *out = g_string_new(NULL);
	int rc = xscli_open(&ctx, 0);

	if (rc)
		goto out;
	if (xsc_tree_read(&ctx, path, flags, &root) < 0) {
		xscli_err("%s", xsc_errmsg(&ctx));
		rc = XSCLI_EXIT_FAIL;
		goto out;
	}
	if (json)
		xsc_tree_format_json(root, flags, out);
	else
		xsc_tree_format_ls(root, flags, out);
	fwrite(out->str, 1, out->len, stdout);
	rc = XSCLI_EXIT_OK;
out:
	xsc_node_free(root);
	xsc_close(&ctx);
	g_string_free(out, TRUE);
	return rc;
}

int xscli_cmd_ls(const struct xscli_cmd *cmd, int argc, char **argv)
{
	unsigned int flags = 0;
	char *path = "/";
	int c, rc;

	while ((c = xscli_getopt(cmd, argc, argv, "p", NULL)) != -1) {
		if (c != 'p')
			return XSCLI_EXIT_USAGE;
		flags |= XSC_TREE_PERMS;
	}
	if (argc - xscli_optind() > 1)
		return xscli_usage(cmd);
	if (argc - xscli_optind() == 1)
		path = argv[xscli_optind()];
	rc = xscli_check_paths(&path, 1);
	if (rc)
		return rc;
	return print_tree(path, flags, false);
}

int xscli_cmd_dump(const struct xscli_cmd *cmd, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "no-perms", no_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned int flags = XSC_TREE_PERMS;
	char *path;
	int c, rc;

	while ((c = xscli_getopt(cmd, argc, argv, "", longopts)) != -1) {
		if (c == 'P')
			flags &= ~(unsigned int)XSC_TREE_PERMS;
		else if (c != 'j')
			return XSCLI_EXIT_USAGE;
	}
	if (argc - xscli_optind() != 1)
		return xscli_usage(cmd);
	path = argv[xscli_optind()];
	rc = xscli_check_paths(&path, 1);
	if (rc)
		return rc;
	return print_tree(path, flags, true);
}

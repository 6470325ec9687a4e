/* xl's own disk and vif parser cases (tests/unit/data/xl-words.txt, from
 * xen.git's check-xl-disk-parse and check-xl-vif-parse) through xlite's
 * block-attach and network-attach parsers: each case gives what xlite
 * says, and where that differs from xl the data says why. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>

#include "libtool/device/device.h"

struct xl_case {
	unsigned int line;
	char *kind, *xl, *xlite, *why;
	char **words;
};

static GPtrArray *cases;

static void case_free(gpointer p)
{
	struct xl_case *c = p;

	g_free(c->kind);
	g_free(c->xl);
	g_free(c->xlite);
	g_free(c->why);
	g_strfreev(c->words);
	g_free(c);
}

/* What a disk spec set, in the data's words. */
static char *disk_result(const struct xlite_disk *d)
{
	return g_strdup_printf("source=%s vdev=%s(%u) mode=%s%s%s", d->source, d->target, d->vdev,
			       d->readonly ? "ro" : "rw", d->no_discard ? " no-discard" : "",
			       d->untrusted ? " untrusted" : "");
}

/* What vif words set, in the data's words. */
static char *vif_result(const struct xlite_nic *n)
{
	GString *s = g_string_new(n->routed ? "routed" : "");

	if (n->bridge)
		g_string_append_printf(s, "bridge=%s", n->bridge);
	if (n->rate_usecs)
		g_string_append_printf(s, " rate=%llu,%u", (unsigned long long)n->rate_bytes,
				       n->rate_usecs);
	if (n->untrusted)
		g_string_append(s, " untrusted");
	return g_string_free(s, FALSE);
}

/* xlite's result for C: the rendering, or "refused: MESSAGE". */
static char *run(const struct xl_case *c)
{
	const char *const *words = (const char *const *)c->words;
	size_t n = g_strv_length(c->words);
	char *err = NULL, *out;
	int rc;

	if (strcmp(c->kind, "disk") == 0) {
		struct xlite_disk d;
		bool given;

		rc = xlite_disk_spec_parse(words, n, &d, &given, &err);
		if (rc < 0)
			goto refused;
		out = disk_result(&d);
		g_free(d.source);
		g_free(d.target);
		return out;
	}
	{
		struct xlite_nic nic;

		rc = xlite_nic_spec_parse(words, n, &nic, &err);
		if (rc < 0)
			goto refused;
		out = vif_result(&nic);
		xlite_nic_dispose(&nic);
		return out;
	}
refused:
	g_assert_cmpint(rc, ==, -EINVAL);
	g_assert_nonnull(err);
	out = g_strdup_printf("refused: %s", err);
	g_free(err);
	return out;
}

static bool refused(const char *r)
{
	return g_str_has_prefix(r, "refused");
}

static bool agree(const struct xl_case *c)
{
	return refused(c->xl) ? refused(c->xlite) : strcmp(c->xl, c->xlite) == 0;
}

static void test_case(gconstpointer data)
{
	const struct xl_case *c = data;
	g_autofree char *joined = g_strjoinv("' '", c->words);
	g_autofree char *got = run(c);

	g_test_message("line %u: '%s': xl %s; xlite %s", c->line, joined, c->xl, got);
	if (refused(c->xlite))	/* the data holds a part of the message */
		g_assert_nonnull(strstr(got, c->xlite + strlen("refused: ")));
	else
		g_assert_cmpstr(got, ==, c->xlite);
	/* a difference from xl is explained, an agreement is not */
	if (agree(c))
		g_assert_cmpstr(c->why, ==, "-");
	else
		g_assert_cmpstr(c->why, !=, "-");
}

/* Every case of xl's two scripts is here (28 disk, 44 vif), and the
 * agreement count the data gives: the ones that differ, with why. */
static void test_summary(void)
{
	unsigned int disk = 0, vif = 0, same = 0;
	guint i;

	for (i = 0; i < cases->len; i++) {
		const struct xl_case *c = cases->pdata[i];

		disk += strcmp(c->kind, "disk") == 0;
		vif += strcmp(c->kind, "vif") == 0;
		if (agree(c))
			same++;
		else
			g_test_message("differs: line %u %s '%s': %s", c->line, c->kind,
				       c->words[0], c->why);
	}
	g_test_message("%u of %u of xl's cases agree", same, cases->len);
	g_assert_cmpuint(disk, ==, 28);
	g_assert_cmpuint(vif, ==, 44);
	g_assert_cmpuint(same, ==, 55);
}

static void load(const char *path)
{
	g_autofree char *text = NULL;
	g_auto(GStrv) lines = NULL;
	GError *error = NULL;
	unsigned int i;

	if (!g_file_get_contents(path, &text, NULL, &error))
		g_error("%s", error->message);
	lines = g_strsplit(text, "\n", 0);
	for (i = 0; lines[i]; i++) {
		g_auto(GStrv) f = NULL;
		struct xl_case *c;

		if (!lines[i][0] || lines[i][0] == '#')
			continue;
		f = g_strsplit(lines[i], " | ", 5);
		if (g_strv_length(f) != 5)
			g_error("%s:%u: expected 5 fields separated by ' | '", path, i + 1);
		c = g_new0(struct xl_case, 1);
		c->line = i + 1;
		c->kind = g_strdup(f[0]);
		c->xl = g_strdup(f[1]);
		c->xlite = g_strdup(f[2]);
		c->why = g_strdup(f[3]);
		c->words = g_strsplit(f[4], "\t", 0);
		if (strcmp(c->kind, "disk") != 0 && strcmp(c->kind, "vif") != 0)
			g_error("%s:%u: kind '%s', expected disk or vif", path, i + 1, c->kind);
		g_ptr_array_add(cases, c);
	}
}

int main(int argc, char **argv)
{
	g_autofree char *path = NULL;
	guint i;
	int rc;

	g_test_init(&argc, &argv, NULL);
	path = g_test_build_filename(G_TEST_DIST, "tests", "unit", "data", "xl-words.txt", NULL);
	cases = g_ptr_array_new_with_free_func(case_free);
	load(path);
	for (i = 0; i < cases->len; i++) {
		const struct xl_case *c = cases->pdata[i];
		g_autofree char *name = g_strdup_printf("/xl-words/%s/line-%u", c->kind, c->line);

		g_test_add_data_func(name, c, test_case);
	}
	g_test_add_func("/xl-words/summary", test_summary);
	rc = g_test_run();
	g_ptr_array_free(cases, TRUE);
	return rc;
}

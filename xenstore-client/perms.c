/* Permission lists: "n0,r5" <-> struct xs_permissions[]. */
#include <errno.h>
#include <string.h>

#include "libtool/util/number.h"
#include "xenstore-client/xsc.h"

/* Domain ids from DOMID_FIRST_RESERVED (0x7FF0) on are not real domains. */
#define XSC_DOMID_LIMIT 0x7FF0u

static const char perm_letters[4] = { 'n', 'r', 'w', 'b' };

int xsc_perm_parse(const char *s, struct xs_permissions *perm, struct xsc_err *err)
{
	unsigned int bits;
	uint64_t id;
	int rc;

	switch (s[0]) {
	case 'n': bits = XS_PERM_NONE; break;
	case 'r': bits = XS_PERM_READ; break;
	case 'w': bits = XS_PERM_WRITE; break;
	case 'b': bits = XS_PERM_READ | XS_PERM_WRITE; break;
	default:
		xsc_err_set(err, "invalid permission '%.32s': must start with n, r, w or b", s);
		return -EINVAL;
	}
	if (!s[1]) {
		xsc_err_set(err, "invalid permission '%.32s': no domain id after '%c'", s, s[0]);
		return -EINVAL;
	}
	rc = xlite_number_parse(s + 1, 0, XSC_DOMID_LIMIT - 1, &id);
	if (rc == -ERANGE) {
		xsc_err_set(err, "invalid permission '%.32s': domain id out of range", s);
		return rc;
	}
	if (rc < 0) {
		xsc_err_set(err, "invalid permission '%.32s': domain id must be decimal", s);
		return rc;
	}
	perm->id = (unsigned int)id;
	perm->perms = bits;
	return 0;
}

static bool is_sep(char c)
{
	return c == ',' || c == ' ' || c == '\t' || c == '\n';
}

/* Appends the entries of s to arr (GArray of struct xs_permissions). */
static int parse_into(GArray *arr, const char *s, struct xsc_err *err)
{
	char entry[16];
	size_t len;
	struct xs_permissions perm;
	int rc;

	while (*s) {
		while (is_sep(*s))
			s++;
		if (!*s)
			break;
		for (len = 0; s[len] && !is_sep(s[len]); len++)
			;
		if (len >= sizeof(entry)) {
			xsc_err_set(err, "invalid permission '%.*s...': too long", 16, s);
			return -EINVAL;
		}
		memcpy(entry, s, len);
		entry[len] = '\0';
		rc = xsc_perm_parse(entry, &perm, err);
		if (rc < 0)
			return rc;
		if (arr->len >= XSC_PERMS_MAX) {
			xsc_err_set(err, "too many permissions (at most %d)", XSC_PERMS_MAX);
			return -E2BIG;
		}
		g_array_append_val(arr, perm);
		s += len;
	}
	return 0;
}

int xsc_perms_parse_strv(const char *const *strs, unsigned int n_strs,
			 struct xs_permissions **perms, unsigned int *n,
			 struct xsc_err *err)
{
	GArray *arr = g_array_new(FALSE, FALSE, sizeof(struct xs_permissions));
	unsigned int i;
	int rc = 0;

	for (i = 0; i < n_strs; i++) {
		rc = parse_into(arr, strs[i], err);
		if (rc < 0)
			goto out;
	}
	if (arr->len == 0) {
		xsc_err_set(err, "empty permission list (want e.g. n0,r5)");
		rc = -EINVAL;
		goto out;
	}
	*n = arr->len;
	*perms = (struct xs_permissions *)(void *)g_array_free(arr, FALSE);
	arr = NULL;
out:
	if (arr)
		g_array_free(arr, TRUE);
	return rc;
}

int xsc_perms_parse(const char *s, struct xs_permissions **perms, unsigned int *n,
		    struct xsc_err *err)
{
	return xsc_perms_parse_strv(&s, 1, perms, n, err);
}

int xsc_perms_validate(const struct xs_permissions *perms, unsigned int n,
		       struct xsc_err *err)
{
	unsigned int i;

	if (n == 0 || !perms) {
		xsc_err_set(err, "empty permission list");
		return -EINVAL;
	}
	if (n > XSC_PERMS_MAX) {
		xsc_err_set(err, "too many permissions (%u, at most %d)", n, XSC_PERMS_MAX);
		return -E2BIG;
	}
	for (i = 0; i < n; i++) {
		if (perms[i].perms & ~(unsigned int)(XS_PERM_READ | XS_PERM_WRITE)) {
			xsc_err_set(err, "permission %u has unknown bits 0x%x", i, perms[i].perms);
			return -EINVAL;
		}
		if (perms[i].id >= XSC_DOMID_LIMIT) {
			xsc_err_set(err, "permission %u names domain %u, out of range", i, perms[i].id);
			return -ERANGE;
		}
	}
	return 0;
}

char *xsc_perms_format(const struct xs_permissions *perms, unsigned int n, const char *sep)
{
	GString *s;
	unsigned int i;

	if (xsc_perms_validate(perms, n, NULL) < 0)
		return NULL;
	s = g_string_new(NULL);
	for (i = 0; i < n; i++)
		g_string_append_printf(s, "%s%c%u", i ? sep : "",
				       perm_letters[perms[i].perms & 3], perms[i].id);
	return g_string_free(s, FALSE);
}

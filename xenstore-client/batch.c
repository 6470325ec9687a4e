/* Building batches, and their text form (for dry runs and stdin). */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include "xenstore-client/xsc-priv.h"

static void op_clear(gpointer p)
{
	struct xsc_op *op = p;

	g_free(op->path);
	g_free(op->value);
	g_free(op->perms);
}

void xsc_batch_init(struct xsc_batch *batch)
{
	memset(batch, 0, sizeof(*batch));
	batch->ops = g_array_new(FALSE, TRUE, sizeof(struct xsc_op));
	g_array_set_clear_func(batch->ops, op_clear);
}

void xsc_batch_dispose(struct xsc_batch *batch)
{
	if (batch->ops)
		g_array_free(batch->ops, TRUE);
	batch->ops = NULL;
}

unsigned int xsc_batch_len(const struct xsc_batch *batch)
{
	return batch->ops->len;
}

const char *xsc_op_kind_name(enum xsc_op_kind kind)
{
	switch (kind) {
	case XSC_OP_MKDIR: return "mkdir";
	case XSC_OP_WRITE: return "write";
	case XSC_OP_RM: return "rm";
	case XSC_OP_SET_PERMS: return "chmod";
	}
	return "?";
}

/* Keeps the first error: later checks by the caller find it in status. */
static int sticky(struct xsc_batch *batch, int rc, const struct xsc_err *err)
{
	if (rc < 0 && batch->status == 0) {
		batch->status = rc;
		batch->err = *err;
	}
	return rc;
}

static int add_op(struct xsc_batch *batch, enum xsc_op_kind kind, const char *path,
		  const void *value, size_t value_len,
		  const struct xs_permissions *perms, unsigned int n_perms)
{
	struct xsc_op op = { .kind = kind };
	struct xsc_err err = { "" };
	int rc = xsc_path_validate(path, &err);

	if (rc < 0)
		return sticky(batch, rc, &err);
	if (kind == XSC_OP_WRITE) {
		rc = xsc_value_validate(path, value_len, &err);
		if (rc < 0)
			return sticky(batch, rc, &err);
		op.value = g_malloc(value_len + 1);
		memcpy(op.value, value, value_len);
		op.value[value_len] = '\0';
		op.value_len = value_len;
	}
	if (n_perms || kind == XSC_OP_SET_PERMS) {
		rc = xsc_perms_validate(perms, n_perms, &err);
		if (rc < 0) {
			struct xsc_err why = err;

			g_free(op.value);
			xsc_err_set(&err, "permissions of %.64s: %s", path, why.msg);
			return sticky(batch, rc, &err);
		}
		op.perms = g_new(struct xs_permissions, n_perms);
		memcpy(op.perms, perms, sizeof(*perms) * n_perms);
		op.n_perms = n_perms;
	}
	op.path = g_strdup(path);
	g_array_append_val(batch->ops, op);
	return 0;
}

int xsc_batch_mkdir(struct xsc_batch *batch, const char *path,
		    const struct xs_permissions *perms, unsigned int n)
{
	return add_op(batch, XSC_OP_MKDIR, path, NULL, 0, perms, n);
}

int xsc_batch_mkdir_str(struct xsc_batch *batch, const char *path, const char *perms)
{
	g_autofree struct xs_permissions *p = NULL;
	struct xsc_err err = { "" };
	unsigned int n = 0;
	int rc;

	if (perms) {
		rc = xsc_perms_parse(perms, &p, &n, &err);
		if (rc < 0)
			return sticky(batch, rc, &err);
	}
	return xsc_batch_mkdir(batch, path, p, n);
}

int xsc_batch_write_len(struct xsc_batch *batch, const char *path,
			const void *value, size_t len)
{
	return add_op(batch, XSC_OP_WRITE, path, value, len, NULL, 0);
}

int xsc_batch_write(struct xsc_batch *batch, const char *path, const char *value)
{
	return add_op(batch, XSC_OP_WRITE, path, value, strlen(value), NULL, 0);
}

int xsc_batch_writef(struct xsc_batch *batch, const char *path, const char *fmt, ...)
{
	va_list ap;
	char *value;
	int rc;

	va_start(ap, fmt);
	value = g_strdup_vprintf(fmt, ap);
	va_end(ap);
	rc = add_op(batch, XSC_OP_WRITE, path, value, strlen(value), NULL, 0);
	g_free(value);
	return rc;
}

int xsc_batch_rm(struct xsc_batch *batch, const char *path)
{
	return add_op(batch, XSC_OP_RM, path, NULL, 0, NULL, 0);
}

int xsc_batch_set_perms(struct xsc_batch *batch, const char *path,
			const struct xs_permissions *perms, unsigned int n)
{
	return add_op(batch, XSC_OP_SET_PERMS, path, NULL, 0, perms, n);
}

unsigned int xsc_batch_requests(const struct xsc_batch *batch)
{
	unsigned int i, n = 0;
	const struct xsc_op *op;

	for (i = 0; i < batch->ops->len; i++) {
		op = &g_array_index(batch->ops, struct xsc_op, i);
		n += (op->kind == XSC_OP_MKDIR && op->n_perms) ? 2 : 1;
	}
	return n ? n + 2 : 0;	/* + transaction start and end */
}

static bool is_below(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	return strncmp(path, dir, n) == 0 && path[n] == '/';
}

static bool is_new_root(const struct xsc_batch *batch, guint i)
{
	const struct xsc_op *op = &g_array_index(batch->ops, struct xsc_op, i), *other;
	guint j;

	if (op->kind != XSC_OP_MKDIR || op->n_perms == 0 || op->perms[0].id != 0)
		return false;
	for (j = 0; j < batch->ops->len; j++) {
		other = &g_array_index(batch->ops, struct xsc_op, j);
		if (other->kind == XSC_OP_MKDIR && is_below(op->path, other->path))
			return false;
	}
	return true;
}

void xsc_batch_split_roots(struct xsc_batch *batch, struct xsc_batch *roots)
{
	guint n = batch->ops->len, i, kept = 0;
	bool *root = g_new0(bool, n ? n : 1);
	struct xsc_op *op;

	/* Decided on the whole batch first: a directory below a root stays. */
	for (i = 0; i < n; i++)
		root[i] = is_new_root(batch, i);
	for (i = 0; i < n; i++) {
		op = &g_array_index(batch->ops, struct xsc_op, i);
		/* The op's strings change hands: moved, not copied. */
		if (root[i])
			g_array_append_val(roots->ops, *op);
		else
			g_array_index(batch->ops, struct xsc_op, kept++) = *op;
	}
	/* The slots past kept were moved: shrink without clearing them. */
	for (i = kept; i < n; i++)
		memset(&g_array_index(batch->ops, struct xsc_op, i), 0, sizeof(*op));
	g_array_set_size(batch->ops, kept);
	g_free(root);
}

/* ---- text form ---- */

static const char *skip_blanks(const char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	return s;
}

/* Copies the next blank-delimited word; returns what follows it. */
static const char *next_word(const char *s, char **word)
{
	size_t n = 0;

	s = skip_blanks(s);
	while (s[n] && s[n] != ' ' && s[n] != '\t')
		n++;
	*word = n ? g_strndup(s, n) : NULL;
	return s + n;
}

/* "..." with \" \\ \n \t \r \xHH; nothing but blanks may follow. */
static int parse_quoted(const char *s, GString *out, struct xsc_err *err)
{
	int hi, lo;

	for (s++; *s && *s != '"'; s++) {
		if (*s != '\\') {
			g_string_append_c(out, *s);
			continue;
		}
		s++;
		switch (*s) {
		case '"': g_string_append_c(out, '"'); break;
		case '\\': g_string_append_c(out, '\\'); break;
		case 'n': g_string_append_c(out, '\n'); break;
		case 't': g_string_append_c(out, '\t'); break;
		case 'r': g_string_append_c(out, '\r'); break;
		case 'x':
			hi = g_ascii_xdigit_value(s[1]);
			lo = hi < 0 ? -1 : g_ascii_xdigit_value(s[2]);
			if (lo < 0) {
				xsc_err_set(err, "\\x must be followed by two hex digits");
				return -EINVAL;
			}
			g_string_append_c(out, (char)(hi * 16 + lo));
			s += 2;
			break;
		default:
			xsc_err_set(err, "unknown escape \\%c in quoted value", *s ? *s : '0');
			return -EINVAL;
		}
	}
	if (*s != '"') {
		xsc_err_set(err, "quoted value has no closing '\"'");
		return -EINVAL;
	}
	if (*skip_blanks(s + 1)) {
		xsc_err_set(err, "text after the closing '\"' of a quoted value");
		return -EINVAL;
	}
	return 0;
}

static int parse_write(struct xsc_batch *batch, const char *path, const char *rest,
		       struct xsc_err *err)
{
	GString *value = g_string_new(NULL);
	int rc = 0;

	/* One blank separates PATH from VALUE; the rest is the value. */
	if (*rest == ' ' || *rest == '\t')
		rest++;
	if (*rest == '"') {
		rc = parse_quoted(rest, value, err);
		if (rc < 0)
			goto out;
	} else {
		g_string_append(value, rest);
	}
	rc = xsc_batch_write_len(batch, path, value->str, value->len);
	if (rc < 0)
		*err = batch->err;
out:
	g_string_free(value, TRUE);
	return rc;
}

int xsc_batch_parse_line(struct xsc_batch *batch, const char *line, struct xsc_err *err)
{
	char *buf = g_strdup(line), *cmd = NULL, *path = NULL, *extra = NULL;
	struct xs_permissions *perms = NULL;
	unsigned int n_perms = 0;
	const char *rest;
	size_t len = strlen(buf);
	int rc = 0;

	while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
		buf[--len] = '\0';
	rest = skip_blanks(buf);
	if (!*rest || *rest == '#')
		goto out;
	rest = next_word(rest, &cmd);
	rest = next_word(rest, &path);
	if (!path) {
		xsc_err_set(err, "'%s' needs a path", cmd);
		rc = -EINVAL;
		goto out;
	}
	if (strcmp(cmd, "write") == 0) {
		rc = parse_write(batch, path, rest, err);
		goto out;
	}
	if (strcmp(cmd, "rm") == 0) {
		next_word(rest, &extra);
		if (extra) {
			xsc_err_set(err, "rm takes one path, not '%s'", extra);
			rc = -EINVAL;
			goto out;
		}
		rc = xsc_batch_rm(batch, path);
	} else if (strcmp(cmd, "mkdir") == 0 || strcmp(cmd, "chmod") == 0) {
		if (*skip_blanks(rest) || cmd[0] == 'c') {
			rc = xsc_perms_parse(rest, &perms, &n_perms, err);
			if (rc < 0)
				goto out;
		}
		rc = cmd[0] == 'm' ? xsc_batch_mkdir(batch, path, perms, n_perms)
				   : xsc_batch_set_perms(batch, path, perms, n_perms);
	} else {
		xsc_err_set(err, "unknown operation '%s' (mkdir, write, rm or chmod)", cmd);
		rc = -EINVAL;
		goto out;
	}
	if (rc < 0)
		*err = batch->err;
out:
	g_free(buf);
	g_free(cmd);
	g_free(path);
	g_free(extra);
	g_free(perms);
	return rc;
}

/* Printed bare only when reading it back gives the same bytes. */
static bool value_is_plain(const char *v, size_t len)
{
	size_t i;

	if (len == 0 || v[0] == '"' || v[0] == ' ' || v[0] == '\t' ||
	    v[len - 1] == ' ' || v[len - 1] == '\t')
		return false;
	for (i = 0; i < len; i++)
		if ((unsigned char)v[i] < ' ' || (unsigned char)v[i] > '~' || v[i] == '\\')
			return false;
	return true;
}

static void print_quoted(FILE *f, const char *v, size_t len)
{
	size_t i;
	unsigned char c;

	fputc('"', f);
	for (i = 0; i < len; i++) {
		c = (unsigned char)v[i];
		switch (c) {
		case '"': fputs("\\\"", f); break;
		case '\\': fputs("\\\\", f); break;
		case '\n': fputs("\\n", f); break;
		case '\t': fputs("\\t", f); break;
		case '\r': fputs("\\r", f); break;
		default:
			if (c < ' ' || c > '~')
				fprintf(f, "\\x%02x", c);
			else
				fputc(c, f);
		}
	}
	fputc('"', f);
}

void xsc_batch_print(const struct xsc_batch *batch, FILE *f)
{
	const struct xsc_op *op;
	unsigned int i;
	char *p;

	for (i = 0; i < batch->ops->len; i++) {
		op = &g_array_index(batch->ops, struct xsc_op, i);
		fprintf(f, "%s %s", xsc_op_kind_name(op->kind), op->path);
		if (op->kind == XSC_OP_WRITE) {
			fputc(' ', f);
			if (value_is_plain(op->value, op->value_len))
				fputs(op->value, f);
			else
				print_quoted(f, op->value, op->value_len);
		}
		if (op->n_perms) {
			p = xsc_perms_format(op->perms, op->n_perms, ",");
			fprintf(f, " %s", p ? p : "?");
			g_free(p);
		}
		fputc('\n', f);
	}
}

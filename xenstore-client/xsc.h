/* libxsclient: xenstore access for xlite (reads, writes, permissions,
 * transactions retried on EAGAIN, watches as a GSource, subtree dumps, and
 * pipelined batches that apply many writes in one transaction).
 *
 * Errors: every int-returning function returns 0 (or a documented count) on
 * success and a negative errno on failure; the reason is recorded once, in
 * the context (xsc_errmsg) or in the struct xsc_err passed in.
 * Memory handed back to the caller is freed with g_free() / g_strfreev().
 */
#ifndef XSC_H
#define XSC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <glib.h>
#include <xenstore.h>	/* struct xs_permissions, XS_PERM_*, xs_transaction_t */

#define XSC_ERR_MAX 256
/* A transaction refused with EAGAIN (another one changed what it read and
 * committed first) runs again after a random pause of between half and all
 * of a delay that starts at XSC_RETRY_FIRST_US and doubles up to
 * XSC_RETRY_MAX_US, until XSC_RETRY_BUDGET_MS have passed since its first
 * run: a bound in time, not in tries, so that many toolstack commands at
 * once all get through, and the pauses spread them apart. The bound is
 * generous (libxl retries for ever): a writer that keeps committing first
 * can hold one off for as long as its own batches last, and a batch took
 * up to a second in the loaded lab (20-xenstore: one of 30 conflicting
 * batches from two writers failed once with 10 s). */
#define XSC_RETRY_FIRST_US 1000
#define XSC_RETRY_MAX_US 100000
#define XSC_RETRY_BUDGET_MS 30000
/* Upper bound on the entries of one permission list. */
#define XSC_PERMS_MAX 256

struct xsc_err {
	char msg[XSC_ERR_MAX];	/* "" when no error was recorded */
};

/* Records a message (printf-style) in err, which may be NULL. */
void xsc_err_set(struct xsc_err *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* ---- context ---------------------------------------------------------- */

enum {
	XSC_OPEN_READONLY = 1u << 0,	/* libxenstore read-only handle */
	XSC_OPEN_NO_WIRE = 1u << 1,	/* batches use sequential libxenstore calls */
	/* the raw connection of batches uses /dev/xen/xenbus, not the socket */
	XSC_OPEN_WIRE_DEV = 1u << 2,
};

/* The retry policy of a context; 0 in a field means its XSC_RETRY_ default. */
struct xsc_retry {
	unsigned int first_us, max_us, budget_ms;
};

/* Caller-owned; treat the fields as private (they are here so the struct can
 * live on the stack), except retry, which may be set after xsc_open, and the
 * counters n_requests, n_retries and retry_wait_us, which may be read. */
struct xsc_ctx {
	struct xs_handle *xsh;
	xs_transaction_t txn;		/* XBT_NULL outside xsc_transaction_run */
	unsigned int flags;
	struct xsc_retry retry;		/* of transactions refused with EAGAIN */
	int wire_fd;			/* raw connection for batches; -1 until first used */
	bool wire_is_dev;		/* /dev/xen/xenbus: one write() per message */
	uint32_t wire_req_id;
	GPtrArray *watch_skip;		/* initial watch events still to drop */
	unsigned long n_requests;	/* xenstore requests sent through this context */
	unsigned long n_retries;	/* transactions restarted on EAGAIN */
	unsigned long retry_wait_us;	/* time paused before those restarts */
	struct xsc_err err;
};

/* A context that xsc_close() accepts before (or without) xsc_open(). */
#define XSC_CTX_INIT { .txn = XBT_NULL, .wire_fd = -1 }

/* Connects to xenstored (unix socket, else /dev/xen/xenbus). Whether it
 * succeeds or not, the context must be released with xsc_close(). When xenstore
 * is not reachable: -ENOENT/-EACCES/... and a message saying why. */
int xsc_open(struct xsc_ctx *ctx, unsigned int flags);
void xsc_close(struct xsc_ctx *ctx);
const char *xsc_errmsg(const struct xsc_ctx *ctx);

/* ---- paths and values (pure) ------------------------------------------ */

/* Absolute path, "/" or components of [A-Za-z0-9_@-], no "//", no trailing
 * "/", at most XENSTORE_ABS_PATH_MAX bytes. */
int xsc_path_validate(const char *path, struct xsc_err *err);
/* Like xsc_path_validate, and also accepts the special watch paths
 * "@releaseDomain", "@introduceDomain". */
int xsc_watch_path_validate(const char *path, struct xsc_err *err);
/* The request body (path, NUL, value) must fit XENSTORE_PAYLOAD_MAX. */
int xsc_value_validate(const char *path, size_t value_len, struct xsc_err *err);

/* ---- permissions (pure) ----------------------------------------------- */

/* One entry: a letter n (none), r (read), w (write), b (both), then a domid
 * (decimal, < DOMID_FIRST_RESERVED), e.g. "r5". The first entry of a list
 * names the owner, and its letter applies to every domain not listed. */
int xsc_perm_parse(const char *s, struct xs_permissions *perm, struct xsc_err *err);
/* A list separated by commas and/or blanks: "n0,r5" or "n0 r5". *perms is
 * g_free()d by the caller; *n >= 1 on success. */
int xsc_perms_parse(const char *s, struct xs_permissions **perms, unsigned int *n,
		    struct xsc_err *err);
/* The same from separate strings (argv), each holding one or more entries. */
int xsc_perms_parse_strv(const char *const *strs, unsigned int n_strs,
			 struct xs_permissions **perms, unsigned int *n,
			 struct xsc_err *err);
/* 1 <= n <= XSC_PERMS_MAX, known bits only, valid domids. */
int xsc_perms_validate(const struct xs_permissions *perms, unsigned int n,
		       struct xsc_err *err);
/* "n0,r5" (sep ","), or "n0 r5" with sep " "; g_free() it. NULL if invalid. */
char *xsc_perms_format(const struct xs_permissions *perms, unsigned int n, const char *sep);

/* ---- single operations (inside xsc_transaction_run they join it) ------ */

/* *value is NUL-terminated (len excludes it); len may be NULL. -ENOENT when absent. */
int xsc_read(struct xsc_ctx *ctx, const char *path, char **value, size_t *len);
/* 1 if path exists, 0 if not, negative errno on other errors. */
int xsc_exists(struct xsc_ctx *ctx, const char *path);
/* Reads PATHS[0..N) pipelined over the raw connection (bursts of 128
 * requests, one round trip each); without one, or inside a transaction,
 * one read after another (a context that was never xsc_open()ed has only
 * the raw connection: -ENOTCONN when it cannot be had). VALUES[i]: node
 * i's value, NUL-terminated
 * (g_free), or NULL when it is missing, refused or not a valid path. 0; or
 * -errno when xenstored cannot be reached or the stream broke (every
 * VALUES[i] NULL then, the reason in ctx). */
int xsc_read_many(struct xsc_ctx *ctx, const char *const *paths, unsigned int n,
		  char **values);
int xsc_write(struct xsc_ctx *ctx, const char *path, const char *value);
int xsc_write_len(struct xsc_ctx *ctx, const char *path, const void *value, size_t len);
int xsc_mkdir(struct xsc_ctx *ctx, const char *path);
/* Removes path and its subtree. */
int xsc_rm(struct xsc_ctx *ctx, const char *path);
/* Child names, NULL-terminated (g_strfreev); n may be NULL. */
int xsc_directory(struct xsc_ctx *ctx, const char *path, char ***names, unsigned int *n);
int xsc_get_perms(struct xsc_ctx *ctx, const char *path,
		  struct xs_permissions **perms, unsigned int *n);
int xsc_set_perms(struct xsc_ctx *ctx, const char *path,
		  const struct xs_permissions *perms, unsigned int n);

/* ---- transactions ----------------------------------------------------- */

/* fn runs inside a transaction; xsc_* calls made with ctx in fn join it.
 * fn returns 0 to commit, a negative errno to abort (returned as is), or
 * -EAGAIN to restart. A commit refused with EAGAIN restarts fn too, after a
 * pause (ctx->retry), until the time budget is spent; then -EAGAIN. Any
 * other failure is returned at once. fn must be safe to rerun. */
typedef int (*xsc_txn_fn)(struct xsc_ctx *ctx, void *opaque);
int xsc_transaction_run(struct xsc_ctx *ctx, xsc_txn_fn fn, void *opaque);

/* ---- watches ---------------------------------------------------------- */

enum {
	/* xenstored fires every new watch once at once; drop that first event. */
	XSC_WATCH_SKIP_INITIAL = 1u << 0,
};
/* token must be unique per watch within ctx. */
int xsc_watch(struct xsc_ctx *ctx, const char *path, const char *token, unsigned int flags);
int xsc_unwatch(struct xsc_ctx *ctx, const char *path, const char *token);

/* Called for every fired watch; return G_SOURCE_CONTINUE or G_SOURCE_REMOVE.
 * path == NULL means the connection failed (reason in xsc_errmsg(ctx)); the
 * source is then removed whatever cb returns. */
typedef gboolean (*xsc_watch_cb)(struct xsc_ctx *ctx, const char *path,
				 const char *token, void *opaque);
/* A GSource polling xs_fileno(); attach it to a GMainContext. ctx must
 * outlive the source. destroy (may be NULL) is called on opaque at the end. */
GSource *xsc_watch_source_new(struct xsc_ctx *ctx, xsc_watch_cb cb, void *opaque,
			      GDestroyNotify destroy);

/* The same on ctx's raw connection (wire-watch.c), without libxenstore and
 * its reader thread, for a process that only waits: ctx needs no
 * xsc_open(), only xsc_close() at the end. 0 once xenstored has set the
 * watch. */
int xsc_wire_watch(struct xsc_ctx *ctx, const char *path, const char *token);
/* Waits up to timeout_ms for the raw watch to fire, then reads every event
 * pending: 1 when one or more came, 0 when none did, < 0 when the
 * connection failed (message in ctx). */
int xsc_wire_watch_wait(struct xsc_ctx *ctx, int timeout_ms);

/* ---- subtree dump ----------------------------------------------------- */

/* An in-memory xenstore subtree; formatting it is pure (testable). */
struct xsc_node {
	char *name;			/* last component; the whole path for the root */
	char *value;			/* NUL-terminated; NULL = not read */
	size_t value_len;
	struct xs_permissions *perms;	/* NULL when not read */
	unsigned int n_perms;
	GPtrArray *children;		/* of struct xsc_node *, in xenstored's order */
};

struct xsc_node *xsc_node_new(const char *name);
void xsc_node_free(struct xsc_node *node);
struct xsc_node *xsc_node_add_child(struct xsc_node *parent, const char *name);
void xsc_node_set_value(struct xsc_node *node, const void *value, size_t len);
void xsc_node_set_perms(struct xsc_node *node, const struct xs_permissions *perms,
			unsigned int n);

enum {
	XSC_TREE_PERMS = 1u << 0,	/* read/print permissions too */
};
/* Reads path and everything below it. Nodes that vanish meanwhile are skipped. */
int xsc_tree_read(struct xsc_ctx *ctx, const char *path, unsigned int flags,
		  struct xsc_node **root);
/* JSON: {"path":P,"value":V,"perms":["n0","r5"],"children":[{"name":N,...}]}
 * ("perms" only with XSC_TREE_PERMS), laid out by libtool/util/json.c;
 * ends with a newline. Values that are not UTF-8 keep each byte as the
 * code point of its number. */
void xsc_tree_format_json(const struct xsc_node *root, unsigned int flags, GString *out);
/* xenstore-ls format: the children of root, `name = "value"`, one space of
 * indent per level; with XSC_TREE_PERMS a "  (n0,r5)" column like `-p`. */
void xsc_tree_format_ls(const struct xsc_node *root, unsigned int flags, GString *out);
/* Xen xenstore-read/-ls quoting: printable ASCII but backslash as is;
 * \t \n \r \\, \ooo below 010, \xHH for the rest. */
void xsc_value_quote(GString *out, const char *s, size_t len);
/* The inverse, as xenstore-write reads its VALUE arguments. */
void xsc_value_unquote(GString *out, const char *s);

/* ---- batches: many changes, one transaction, pipelined ---------------- */

enum xsc_op_kind {
	XSC_OP_MKDIR,		/* mkdir path, then set perms if any */
	XSC_OP_WRITE,
	XSC_OP_RM,		/* a missing node is not an error */
	XSC_OP_SET_PERMS,
};

struct xsc_op {
	enum xsc_op_kind kind;
	char *path;
	char *value;			/* WRITE: NUL-terminated copy */
	size_t value_len;
	struct xs_permissions *perms;	/* MKDIR (optional), SET_PERMS */
	unsigned int n_perms;
};

/* Adds validate their arguments; the first failure is kept (sticky) and makes
 * xsc_batch_commit fail, so callers may check once at the end. */
struct xsc_batch {
	GArray *ops;			/* of struct xsc_op */
	int status;			/* 0, or the first add error */
	struct xsc_err err;
};

void xsc_batch_init(struct xsc_batch *batch);
void xsc_batch_dispose(struct xsc_batch *batch);
unsigned int xsc_batch_len(const struct xsc_batch *batch);
/* perms may be NULL (n 0): the directory inherits its parent's. */
int xsc_batch_mkdir(struct xsc_batch *batch, const char *path,
		    const struct xs_permissions *perms, unsigned int n);
/* The same with PERMS as xenstore-chmod takes them ("n0,r5"), or NULL. */
int xsc_batch_mkdir_str(struct xsc_batch *batch, const char *path, const char *perms);
int xsc_batch_write(struct xsc_batch *batch, const char *path, const char *value);
int xsc_batch_write_len(struct xsc_batch *batch, const char *path,
			const void *value, size_t len);
int xsc_batch_writef(struct xsc_batch *batch, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int xsc_batch_rm(struct xsc_batch *batch, const char *path);
int xsc_batch_set_perms(struct xsc_batch *batch, const char *path,
			const struct xs_permissions *perms, unsigned int n);
/* Number of xenstore requests a commit sends (without retries). */
unsigned int xsc_batch_requests(const struct xsc_batch *batch);

/* Text form, one op per line (what xsc_batch_print writes, and what
 * `xlite-xenstore batch` reads):
 *   mkdir PATH [PERMS]      e.g. mkdir /local/domain/5/device n5,r0
 *   write PATH VALUE        VALUE: rest of the line, or "quoted" with \" \\ \n \t \xHH
 *   rm PATH
 *   chmod PATH PERMS
 * Blank lines and lines starting with # are ignored. */
int xsc_batch_parse_line(struct xsc_batch *batch, const char *line, struct xsc_err *err);
void xsc_batch_print(const struct xsc_batch *batch, FILE *f);

/* Applies every op in one transaction, all or nothing, restarted on EAGAIN
 * as xsc_transaction_run does (ctx->retry). Over the raw wire protocol: one
 * round trip to start, the ops pipelined in one burst, one to end. Without a
 * raw connection, the same through libxenstore. Must not be called inside
 * xsc_transaction_run. */
int xsc_batch_commit(struct xsc_ctx *ctx, const struct xsc_batch *batch);
/* The same ops in order without a transaction (pipelined too): none can be
 * refused with EAGAIN, and a failure leaves the ops before it done. */
int xsc_batch_apply(struct xsc_ctx *ctx, const struct xsc_batch *batch);

/* Moves out of batch into roots the MKDIRs of new top-level directories
 * owned by domain 0: those with permissions whose owner is 0 and that are
 * not below another MKDIR of the batch. Made before the batch's
 * transaction (xsc_batch_apply), they keep it from reading their parents
 * (/local/domain, /vm, a backend type's directory), which every other
 * create changes: C xenstored and oxenstored refuse the commit of a
 * transaction when a node it read changed meanwhile, and adding a child
 * to a directory reads it. roots must be initialised (and empty). */
void xsc_batch_split_roots(struct xsc_batch *batch, struct xsc_batch *roots);

#endif

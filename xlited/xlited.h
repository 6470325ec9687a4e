/* xlited: the daemon in each dom0 (issue 12). One GLib main loop owns the
 * HTTPS server (libmicrohttpd in its external-polling mode: its epoll
 * descriptor is a GLib source), the xenstore watch and the Server-Sent
 * Events clients. A request that touches Xen runs on a small pool of
 * worker threads, each opening its own hypervisor handles, while its
 * connection is suspended; the loop resumes it with the reply. Handlers
 * call the same library functions as the CLI (libtool/). */
#ifndef XLITED_H
#define XLITED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "libtool/hv/hv.h"
#include "libtool/util/hostconf.h"
#include "xenstore-client/xsc.h"

/* A request body larger than this is refused with 413 (a domain XML is
 * a few KiB; the parser itself stops at 1 MiB). */
#define XLITED_MAX_BODY (256 * 1024)
/* Refused bodies up to this are read and dropped, so the client gets the
 * reply; larger ones are not read (the connection is closed). */
#define XLITED_DISCARD_MAX (4 * 1024 * 1024)
#define XLITED_WORKERS 4
/* An SSE comment this often keeps idle streams (and proxies) alive and
 * finds clients that went away. */
#define XLITED_SSE_PING_S 15
/* Domains' states are compared this often besides the xenstore watch
 * (pause and unpause fire no watch). */
#define XLITED_POLL_MS 2000

/* Files in the state directory. */
#define XLITED_KEY_FILE "xlited-key.pem"
#define XLITED_CERT_FILE "xlited-cert.pem"
#define XLITED_TOKEN_FILE "api-token"

struct MHD_Daemon;
struct MHD_Connection;

/* What xlited knows of one domain, to tell what changed. */
struct xlited_dom {
	uint32_t domid;
	char *name;
	char state[7];
	bool shutdown;
	unsigned int shutdown_reason;
};

struct xlited {
	struct xlite_hostconf conf;
	const char *conf_file;
	GMainLoop *loop;
	struct MHD_Daemon *mhd;
	guint mhd_fd_source, mhd_timer;
	GThreadPool *pool;
	/* TLS material and the token (creds.c) */
	char *key_pem, *cert_pem, *token, *fingerprint;
	/* events.c: the watch, the last known domains, the SSE clients */
	struct xsc_ctx xs;
	GSource *watch_source;
	struct xlite_hv hv;		/* the loop's own: domain lists and names */
	bool hv_open;
	GHashTable *doms;		/* domid -> struct xlited_dom */
	GPtrArray *sse;			/* struct xlited_sse * */
	uint64_t event_seq;
	guint poll_timer, ping_timer;
	gint stopping;		/* g_atomic_int_*: read by workers and threads */
	/* supervise.c: the domains' lifecycle actions, on a thread */
	struct xlited_super *super;
	int daemon_lock;	/* xlite_daemon_lock(): one xlited per host */
	/* balancer.c: the memory balancer's loop, on a thread */
	struct xlited_balancer *balancer;
	struct xlited_sampler *sampler;	/* sample.c */
	char *www_dir;		/* www.c: the web console's files */
	GPtrArray *peers;	/* peers.c: struct xlited_peer * */
	struct xlited_event_log *event_log;	/* events.c: the last events */
	struct xlited_nodecache *nodecache;	/* nodecache.c; NULL: none */
};

/* ---- creds.c: certificate, key and token in the state directory ---- */
/* Loads STATE_DIR's key, certificate and token, making each that is
 * missing (the key and token 0600, the directory 0700). A key or token
 * that others may read is refused. 0, or -errno with *err. */
int xlited_creds_load(struct xlited *d, const char *state_dir, char **err);
void xlited_creds_dispose(struct xlited *d);
/* GIVEN (LEN bytes, not NUL-terminated) against EXPECTED, in time that
 * depends on EXPECTED's length only. */
bool xlited_token_equal(const char *given, size_t len, const char *expected);
/* The credential of an Authorization header value ("Bearer TOKEN", the
 * scheme in any case): a pointer into VALUE and *len, or NULL. */
const char *xlited_bearer(const char *value, size_t *len);

/* ---- http.c: the server on the loop ---- */
int xlited_http_start(struct xlited *d, char **err);
void xlited_http_stop(struct xlited *d);
/* Lets libmicrohttpd run now (after a resume). */
void xlited_http_kick(struct xlited *d);

/* ---- route.c: the API's table (pure) ---- */
struct xlited_req;
typedef void xlited_handler(struct xlited_req *r);
enum xlited_route_kind {
	XLITED_ROUTE_WORKER,	/* runs on a worker thread */
	XLITED_ROUTE_EVENTS,	/* the SSE stream, on the loop */
	XLITED_ROUTE_PUBLIC,	/* on a worker, no token needed (the login) */
};
struct xlited_route {
	const char *method;
	const char *pattern;	/* "*" matches one path segment: the NAME */
	enum xlited_route_kind kind;
	xlited_handler *fn;
	bool takes_body;
};
/* The route for METHOD and PATH: *arg (g_free) is the segment "*"
 * matched, or NULL. NULL when none: *status 404 (no such path) or 405
 * (the path exists with other methods; *allow lists them, g_free). */
const struct xlited_route *xlited_route_find(const char *method, const char *path, char **arg,
					     unsigned int *status, char **allow);

struct xlite_json;

/* ---- a request, as the handlers see it ---- */
struct xlited_req {
	struct xlited *d;
	struct MHD_Connection *conn;
	const struct xlited_route *route;
	char *method, *path, *arg;
	bool dry_run;			/* ?dry_run=1 */
	char *since;			/* ?since=T */
	GByteArray *body;
	uint64_t received;		/* body bytes, kept or dropped */
	bool too_large;
	bool suspended, done;
	/* the reply */
	unsigned int status;
	const char *content_type;
	GString *out;
	char *allow;			/* 405's Allow header */
	const char *cache_control;	/* NULL: no-store */
	char *set_cookie;		/* www.c's login */
};

/* reply.c: a JSON reply {"error": MSG, "status": N} (and "line" when MSG
 * begins FILE:LINE:), or any body. */
void xlited_reply_error(struct xlited_req *r, unsigned int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void xlited_reply(struct xlited_req *r, unsigned int status, const char *content_type,
		  const char *body);
/* The HTTP status that fits a library error (-ESRCH 404, -EEXIST 409,
 * ...). */
unsigned int xlited_status_of(int rc);
/* The line of a parser message "NAME:LINE: ...", or 0. */
unsigned int xlited_error_line(const char *msg);

/* ---- api.c, api-domain.c: the handlers (worker threads) ---- */
void xlited_api_host(struct xlited_req *r);
void xlited_api_domains(struct xlited_req *r);
void xlited_api_domain(struct xlited_req *r);
void xlited_api_create(struct xlited_req *r);
void xlited_api_shutdown(struct xlited_req *r);
void xlited_api_reboot(struct xlited_req *r);
void xlited_api_pause(struct xlited_req *r);
void xlited_api_unpause(struct xlited_req *r);
void xlited_api_destroy(struct xlited_req *r);
void xlited_api_memory(struct xlited_req *r);
void xlited_api_vcpus(struct xlited_req *r);
void xlited_api_metrics(struct xlited_req *r);	/* metrics.c */
/* xlite_domain_resolve with every name from CACHE (may be NULL) or read
 * in one round trip (SPEC a name): 0 with *domid, or -errno with *err. */
int xlited_resolve(struct xlited_nodecache *cache, struct xlite_hv *hv, const char *spec,
		   uint32_t *domid, char **err);
/* Opens R's own hypervisor handles, or replies 503 and returns < 0. */
int xlited_api_hv_open(struct xlited_req *r, struct xlite_hv *hv, unsigned int flags);
/* api-domain.c: a domain from XML (LEN bytes, messages "SOURCE:LINE:"),
 * as `xlite create` makes it: PLAN and RES (initialised by the caller)
 * filled. 0; or -errno with *err and the HTTP *status that fits. Any
 * thread. */
struct xlite_plan;
struct xlite_apply_result;
int xlited_create_xml(struct xlited *d, const char *xml, size_t len, const char *source,
		      GPtrArray *warnings, struct xlite_plan *plan, struct xlite_apply_result *res,
		      unsigned int *status, char **err);
/* Ends the object B with "warnings": [...] and replies with it. */
void xlited_reply_warnings(struct xlited_req *r, unsigned int status, struct xlite_json *b,
			   GPtrArray *warnings);
/* api-defined.c: defined domains (define, undefine, start, autostart). */
void xlited_api_define(struct xlited_req *r);
void xlited_api_undefine(struct xlited_req *r);
void xlited_api_start(struct xlited_req *r);
void xlited_api_autostart(struct xlited_req *r);
/* STATE_DIR/domains (g_free). */
char *xlited_defined_dir(struct xlited *d);
/* GET /api/v1/domains: the defined domains that do not run (not among
 * DOMS), appended to the array B. */
void xlited_add_defined(struct xlited *d, struct xlite_hv *hv, struct xlite_json *b,
			const struct xlite_dominfo *doms, size_t n);
/* api.c: the JSON object of R's body (parsed by P), or a 400 reply and
 * NULL. */
JsonObject *xlited_body_object(struct xlited_req *r, JsonParser *p);

/* ---- supervise.c: on_poweroff/on_reboot/on_crash of every domain ----
 * A thread of its own adopts each running domain xlite made (the CLI's
 * monitors give way), carries out its actions under the name lock, and
 * at its start creates the defined domains marked autostart. The loop's
 * @releaseDomain watch wakes it. */
int xlited_supervise_start(struct xlited *d, char **err);
void xlited_supervise_wake(struct xlited *d);
void xlited_supervise_stop(struct xlited *d);

/* ---- balancer.c: the memory balancer's loop ([balancer] in xlite.conf) */
int xlited_balancer_start(struct xlited *d, char **err);
void xlited_balancer_stop(struct xlited *d);
void xlited_api_balancer(struct xlited_req *r);
/* Moves made since the start, for /metrics. */
uint64_t xlited_balancer_moves(struct xlited *d);

/* events.c: sends JSON (an object, one line; taken) to every event
 * client as one event. Any thread: it is sent from the loop. */
void xlited_events_post(struct xlited *d, char *json);

/* metrics.c: Prometheus text exposition of DOMS (pure, for the tests). */
struct xlite_dominfo;
struct xlite_mem_dom;
struct xlite_io;
struct xlited_metric_dom {
	const struct xlite_dominfo *info;
	const char *name;
	const struct xlite_mem_dom *mem;	/* NULL: not known */
	const struct xlite_io *io;		/* its backends' counters; NULL: none */
};
void xlited_metrics_format(GString *out, const struct xlited_metric_dom *doms, size_t n,
			   uint64_t host_total_bytes, uint64_t host_free_bytes,
			   unsigned int nr_cpus);

/* ---- events.c: domain state changes, to SSE clients ---- */
int xlited_events_start(struct xlited *d, char **err);
void xlited_events_stop(struct xlited *d);
/* Answers R (on the loop) with the event stream. */
int xlited_events_attach(struct xlited *d, struct MHD_Connection *conn);
/* Pure: the events that take OLD to NEW (struct xlited_dom), each
 * {"type": "created"|"destroyed"|"shutdown"|"paused"|"unpaused"|...}
 * as one JSON line appended to EVENTS (a GPtrArray of char *). */
void xlited_events_diff(GHashTable *old_doms, GHashTable *new_doms, GPtrArray *events);
void xlited_dom_free(void *p);
/* Sends "event: TYPE" with DATA (one JSON line) to every SSE client (on
 * the loop). */
void xlited_events_send(struct xlited *d, const char *type, const char *data);

/* ---- events.c: the last XLITED_EVENT_LOG events (not the samples),
 * for GET /api/v1/events/history; any thread. ---- */
#define XLITED_EVENT_LOG 200
struct xlited_event_log *xlited_event_log_new(void);
void xlited_event_log_free(struct xlited_event_log *log);
/* Keeps event ID, sent at TIME_MS (Unix ms), JSON (one object). */
void xlited_event_log_add(struct xlited_event_log *log, uint64_t id, int64_t time_ms,
			  const char *json);
/* [{"id": N, "time": MS, "event": {...}}, ...], oldest first (g_free). */
char *xlited_event_log_json(struct xlited_event_log *log);

/* ---- prefetch.c: many domains' xenstore nodes in one round trip ----
 * HV is what the library is given: the real hypervisor (REAL's handles)
 * whose xs_read answers the paths read ahead (a missing node: -ENOENT),
 * and asks REAL for any other. A request that walks every domain reads
 * their nodes in one pipelined burst first, instead of one round trip
 * after another; with CACHE, what it holds is not read again. */
struct xlited_prefetch {
	struct xlite_hv hv;		/* first: the xs_read finds the rest */
	struct xlite_hv_ops ops;
	struct xlite_hv *real;
	GHashTable *values;		/* path -> value (NULL: missing) */
	struct xsc_ctx xs;
	bool xs_open;
	/* NULL: read every domain's nodes; else those not in it, kept there */
	struct xlited_nodecache *cache;
	bool refresh;			/* read all even so (the sampler) */
};
void xlited_prefetch_init(struct xlited_prefetch *p, struct xlite_hv *real);
void xlited_prefetch_dispose(struct xlited_prefetch *p);
/* Records PATH's VALUE (taken; NULL: the node is missing). */
void xlited_prefetch_put(struct xlited_prefetch *p, const char *path, char *value);
/* Appends to PATHS (g_free'd strings) the nodes the library reads of each
 * of INFOS for a list entry (pure); NAMES_ONLY: their names. */
void xlited_prefetch_paths(GPtrArray *paths, const struct xlite_dominfo *infos, size_t n,
			   bool names_only);
/* INFOS' nodes read ahead: from P's cache when it holds them, the others
 * in one burst (kept in the cache). */
int xlited_prefetch_domains(struct xlited_prefetch *p, const struct xlite_dominfo *infos,
			    size_t n, bool names_only);
/* INFOS, the whole domain list: those not in it leave P's cache, the nodes
 * of the others are read ahead (xlited_prefetch_domains). */
void xlited_prefetch_listed(struct xlited_prefetch *p, const struct xlite_dominfo *infos,
			    size_t n, bool names_only);
/* REAL's domain list (*infos, g_free) with their nodes read ahead. 0, or
 * -errno with the reason in HV's error. */
int xlited_prefetch_all(struct xlited_prefetch *p, bool names_only,
			struct xlite_dominfo **infos, size_t *n);

/* ---- nodecache.c: the domains' nodes as last read, any thread ----
 * Emptied per domain by the watch on /local/domain (events.c) as soon as
 * one of its nodes changes, and when the domain leaves the list; so a
 * request answers from it what xenstore holds, without a read. */
struct xlited_nodecache;
struct xlited_nodecache *xlited_nodecache_new(void);
void xlited_nodecache_free(struct xlited_nodecache *c);
/* DOMID's generation: take it before reading its nodes, for _store. */
uint64_t xlited_nodecache_gen(struct xlited_nodecache *c, uint32_t domid);
/* One of DOMID's nodes changed: what is kept of it goes. */
void xlited_nodecache_invalidate(struct xlited_nodecache *c, uint32_t domid);
/* The watch is gone: nothing is kept from now on. */
void xlited_nodecache_disable(struct xlited_nodecache *c);
/* The domain a watch event's PATH belongs to (/local/domain/D/...). */
bool xlited_nodecache_path_domid(const char *path, uint32_t *domid);
/* Keeps PATHS' VALUES (copied; NULL: missing) for INFO's domain, unless
 * its generation moved past GEN (a change came during the read). */
void xlited_nodecache_store(struct xlited_nodecache *c, const struct xlite_dominfo *info,
			    uint64_t gen, GPtrArray *paths, char **values);
/* Puts INFO's kept nodes into P: true, or false when none are kept for
 * that domain (the same id and uuid). */
bool xlited_nodecache_fill(struct xlited_nodecache *c, const struct xlite_dominfo *info,
			   struct xlited_prefetch *p);
/* Forgets the domains not among INFOS. */
void xlited_nodecache_keep(struct xlited_nodecache *c, const struct xlite_dominfo *infos,
			   size_t n);

#endif
